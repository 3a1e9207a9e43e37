#!/usr/bin/env python3
"""Write the 42 fixture returns of one period: fixtures/returns/<period>/<code>.xml.

London (E23000001) carries the figures of London's published 2022/23 report (and the invented
Category 4 figures of examples/return-london-2022-23.xml); the file written is byte for byte that
example. The other 41 areas are synthetic but plausible: London's rates per head of population
aged 10 and over, scaled per category to national levels, with area-to-area variation and
Poisson noise, so small areas get single-digit and zero counts at levels 2 and 3.

Every return obeys the rules of the return: counts are non-negative integers below 10,000,000;
for every category at levels 2-3 managedAtLevel23 >= eligible and returnedToCustody <=
managedAtLevel23; shpoForeignTravel <= shpo; no category 3 at level 1. The 42 eligible tables
add up to exactly 91,040, the published national total for 31 March 2023: the small difference
left by the random draws is put on the level 1, category 1 and 2 cells of the five most
populous areas other than London, in proportion to their populations.

Earlier periods (--period 2021-22, --period 2020-21) are made backwards from the period after
them, area by area and cell by cell: a year earlier, each figure is a draw around the later one
divided by a national growth per category (the eligible population has grown a few per cent a
year), times an area trend and a little noise of its own, with Poisson noise on the counts; so
figures move from year to year as real ones do, small cells by a few people and large ones by
a few per cent, and never jump. London is synthetic too in these periods (its real reports for
those years are not in the repository). The rules of the return hold in every period, and the
42 eligible tables add up exactly to the period's national total below, reached the same way
(the five largest areas other than London absorb the difference). Those earlier totals are
fixture targets chosen for a plausible trend, not published figures.

Deterministic: a fixed seed per area and period (no clock, no hash randomisation), areas in code
order. The 2022-23 files are the same bytes whatever --period is asked for.
Standard library only. Reads codes, names and populations from reference/areas.xml.

Usage: scripts/gen-returns.py [--period P] [--reference FILE] [--out DIR] [--quiet]
P is 2022-23 (default), 2021-22 or 2020-21; DIR defaults to fixtures/returns/P.
Run from the repository root; prints the national sums per table, category and level.
"""

import argparse
import math
import os
import random
import sys
import xml.etree.ElementTree as ET

REF_NS = "urn:mappa:reference:1"
SEED = "mappa-fixtures-2022-23"
REVISION = 1
NATIONAL_ELIGIBLE = 91040          # published total, categories 1-4, on 31 March 2023
LONDON = "E23000001"
MAX_COUNT = 10_000_000

# Earlier periods, each made from the period after it. growth: the national change per category
# from this period to the next (1.04: the next period's figures are 4% higher). eligible: the
# national eligible total (categories 1-4) on the period's last day, a fixture target.
EARLIER = {
    "2021-22": {"next": "2022-23", "eligible": 88170,
                "growth": {1: 1.032, 2: 1.045, 3: 1.02, 4: 1.05}},
    "2020-21": {"next": "2021-22", "eligible": 85610,
                "growth": {1: 1.028, 2: 1.04, 3: 1.01, 4: 1.06}},
}
PERIODS = ("2020-21", "2021-22", "2022-23")
TREND_SIGMA = 0.015     # spread of an area's own trend around the national growth (log scale)
CELL_SIGMA = 0.01       # spread of a cell's own movement on top of it (log scale)

CATS = (1, 2, 3, 4)
ELIGIBLE_CELLS = [(c, l) for c in CATS for l in (1, 2, 3) if not (c == 3 and l == 1)]
L23_CELLS = [(c, l) for c in CATS for l in (2, 3)]
SINGLES = ("notificationBreach", "notificationRevoked", "shpo", "shpoForeignTravel",
           "notificationOrder", "sroBreach")

# London's return: the seed's figures for categories 1-3, the example's for category 4.
LONDON_RETURN = {
    "date": "2023-05-15",
    "eligible": {(1, 1): 6867, (1, 2): 31, (1, 3): 3, (2, 1): 3612, (2, 2): 49, (2, 3): 8,
                 (3, 2): 40, (3, 3): 11, (4, 1): 85, (4, 2): 21, (4, 3): 9},
    "managedAtLevel23": {(1, 2): 179, (1, 3): 18, (2, 2): 303, (2, 3): 25,
                         (3, 2): 215, (3, 3): 27, (4, 2): 38, (4, 3): 15},
    "returnedToCustody": {(1, 2): 9, (1, 3): 6, (2, 2): 12, (2, 3): 4,
                          (3, 2): 27, (3, 3): 7, (4, 2): 2, (4, 3): 1},
    "shpoBreach": {2: 0, 3: 0},
    "notificationBreach": 158, "notificationRevoked": 64, "shpo": 548,
    "shpoForeignTravel": 0, "notificationOrder": 7, "sroBreach": 9,
}

# Rough national sizes of the eligible categories (1-4) aimed at; they add up to 91,040.
# London is low in category 1 and 2 per head and high in category 4 (terrorism), so each
# category gets its own factor over London's rates.
CATEGORY_TARGET = {1: 69600, 2: 20700, 3: 420, 4: 320}
AREA_SIGMA = 0.12       # spread of the per-area factor (log scale)
CATEGORY_SIGMA = 0.08   # spread of the per-area, per-category factor (log scale)
ADJUST_AREAS = 5        # areas that absorb the difference to the national total


def poisson(rng, lam):
    """A Poisson draw from rng.random() only (stable across Python versions)."""
    if lam <= 0:
        return 0
    if lam >= 50:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def binomial(rng, n, p):
    return sum(1 for _ in range(n) if rng.random() < p)


def read_areas(path):
    root = ET.parse(path).getroot()
    areas = []
    for a in root.findall(f"{{{REF_NS}}}area"):
        areas.append({"code": a.get("code"), "name": a.get("name"),
                      "population": int(a.get("population"))})
    if len(areas) != 42 or len({a["code"] for a in areas}) != 42:
        sys.exit(f"gen-returns: '{path}': expected 42 areas with distinct codes")
    if not any(a["code"] == LONDON for a in areas):
        sys.exit(f"gen-returns: '{path}': no area {LONDON} (London)")
    return sorted(areas, key=lambda a: a["code"])


def generate(areas):
    lon = next(a for a in areas if a["code"] == LONDON)
    others = [a for a in areas if a["code"] != LONDON]
    p_lon = lon["population"]
    le = LONDON_RETURN["eligible"]
    lm = LONDON_RETURN["managedAtLevel23"]
    lr = LONDON_RETURN["returnedToCustody"]

    # Per-area random factors, drawn first, then normalised so that their population-weighted
    # mean is 1 (the expected national totals then hit the category targets).
    rngs = {a["code"]: random.Random(f"{SEED}:{a['code']}") for a in others}
    af = {}
    cf = {}
    for a in others:
        rng = rngs[a["code"]]
        af[a["code"]] = math.exp(rng.gauss(0, AREA_SIGMA))
        cf[a["code"]] = {c: math.exp(rng.gauss(0, CATEGORY_SIGMA)) for c in CATS}
    p_sum = sum(a["population"] for a in others)
    mean_a = sum(a["population"] * af[a["code"]] for a in others) / p_sum
    for a in others:
        af[a["code"]] /= mean_a
    for c in CATS:
        mean_c = sum(a["population"] * af[a["code"]] * cf[a["code"]][c] for a in others) / \
            sum(a["population"] * af[a["code"]] for a in others)
        for a in others:
            cf[a["code"]][c] /= mean_c

    london_cat = {c: sum(v for (cc, _), v in le.items() if cc == c) for c in CATS}
    scale = {c: (CATEGORY_TARGET[c] - london_cat[c]) / (london_cat[c] * p_sum / p_lon)
             for c in CATS}

    returns = {LONDON: LONDON_RETURN}
    for a in others:
        code, rng = a["code"], rngs[a["code"]]
        x = a["population"] / p_lon * af[code]
        k = {c: x * scale[c] * cf[code][c] for c in CATS}
        r = {"date": f"2023-05-{2 + int(rng.random() * 28):02d}"}
        r["eligible"] = {(c, l): poisson(rng, le[(c, l)] * k[c]) for (c, l) in ELIGIBLE_CELLS}
        managed = {}
        rtc = {}
        for (c, l) in L23_CELLS:
            extra = poisson(rng, (lm[(c, l)] - le[(c, l)]) * k[c] * math.exp(rng.gauss(0, 0.1)))
            managed[(c, l)] = r["eligible"][(c, l)] + extra
            p = min(0.9, lr[(c, l)] / lm[(c, l)] * math.exp(rng.gauss(0, 0.2)))
            rtc[(c, l)] = binomial(rng, managed[(c, l)], p)
        r["managedAtLevel23"] = managed
        r["returnedToCustody"] = rtc
        r["shpoBreach"] = {2: poisson(rng, 6.0 * x), 3: poisson(rng, 1.5 * x)}
        r["notificationBreach"] = poisson(rng, 158 * k[1])
        r["notificationRevoked"] = poisson(rng, 64 * k[1])
        r["shpo"] = poisson(rng, 548 * k[1])
        r["shpoForeignTravel"] = binomial(rng, r["shpo"], 0.01)
        r["notificationOrder"] = poisson(rng, 7 * x * 0.5)
        r["sroBreach"] = poisson(rng, 9 * k[1])
        returns[code] = r

    # Hit the published national total exactly.
    return returns, adjust(returns, others, NATIONAL_ELIGIBLE)


def adjust(returns, others, target):
    """Puts the difference to the national eligible total on the level 1, category 1 and 2
    cells of the ADJUST_AREAS most populous areas in others; returns the difference."""
    total = sum(sum(r["eligible"].values()) for r in returns.values())
    delta = target - total
    big = sorted(others, key=lambda a: (-a["population"], a["code"]))[:ADJUST_AREAS]
    big_pop = sum(a["population"] for a in big)
    shares = [delta * a["population"] // big_pop for a in big]
    shares[0] += delta - sum(shares)
    for a, d in zip(big, shares):
        d1 = d * 3 // 4
        e = returns[a["code"]]["eligible"]
        e[(1, 1)] += d1
        e[(2, 1)] += d - d1
    return delta


def earlier(areas, nxt, period):
    """The returns of period, made backwards from nxt, the returns of the period after it."""
    spec = EARLIER[period]
    end_year = int(period[:4]) + 1
    returns = {}
    for a in areas:
        code = a["code"]
        n = nxt[code]
        rng = random.Random(f"mappa-fixtures-{period}:{code}")
        trend = math.exp(rng.gauss(0, TREND_SIGMA))
        g = {c: spec["growth"][c] * trend for c in CATS}

        def back(value, c):
            return poisson(rng, value / g[c] * math.exp(rng.gauss(0, CELL_SIGMA)))

        r = {"date": f"{end_year}-05-{2 + int(rng.random() * 28):02d}"}
        r["eligible"] = {cell: back(n["eligible"][cell], cell[0]) for cell in ELIGIBLE_CELLS}
        managed = {}
        rtc = {}
        for cell in L23_CELLS:
            c = cell[0]
            managed[cell] = r["eligible"][cell] + back(
                n["managedAtLevel23"][cell] - n["eligible"][cell], c)
            rate = n["returnedToCustody"][cell] / n["managedAtLevel23"][cell] \
                if n["managedAtLevel23"][cell] else 0.0
            rtc[cell] = min(managed[cell], back(rate * managed[cell] * g[c], c))
        r["managedAtLevel23"] = managed
        r["returnedToCustody"] = rtc
        r["shpoBreach"] = {l: back(n["shpoBreach"][l], 1) for l in (2, 3)}
        for s in SINGLES:
            r[s] = back(n[s], 1)
        r["shpoForeignTravel"] = min(r["shpoForeignTravel"], r["shpo"])
        returns[code] = r
    others = [a for a in areas if a["code"] != LONDON]
    return returns, adjust(returns, others, spec["eligible"])


def make(areas, period):
    """The returns of period and the adjustment made to reach its national total."""
    returns, delta = generate(areas)
    for p in reversed(PERIODS[PERIODS.index(period):-1]):
        returns, delta = earlier(areas, returns, p)
    return returns, delta


def check(code, r):
    e, m, t = r["eligible"], r["managedAtLevel23"], r["returnedToCustody"]
    values = list(e.values()) + list(m.values()) + list(t.values()) + \
        list(r["shpoBreach"].values()) + [r[s] for s in SINGLES]
    problems = []
    if any(not isinstance(v, int) or v < 0 or v >= MAX_COUNT for v in values):
        problems.append("count out of range")
    if sorted(e) != sorted(ELIGIBLE_CELLS):
        problems.append("eligible cells")
    for cell in L23_CELLS:
        if m[cell] < e[cell]:
            problems.append(f"managedAtLevel23 < eligible at {cell}")
        if t[cell] > m[cell]:
            problems.append(f"returnedToCustody > managedAtLevel23 at {cell}")
    if r["shpoForeignTravel"] > r["shpo"]:
        problems.append("shpoForeignTravel > shpo")
    if problems:
        sys.exit(f"gen-returns: {code}: " + "; ".join(problems))


def render(code, name, r, period):
    y = int(period[:4])
    period_text = f"1 April {y} to 31 March {y + 1}"
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    if code == LONDON and period == PERIODS[-1]:
        out.append(f"<!-- MAPPA annual return: {name}, {period_text}.\n"
                   "     Categories 1-3 are the figures of London's published report. "
                   "The Category 4 figures are\n"
                   "     invented: they are never published per area, only inside "
                   "national totals. -->")
    elif period == PERIODS[-1]:
        out.append(f"<!-- MAPPA annual return: {name}, {period_text}.\n"
                   "     Synthetic test fixture written by scripts/gen-returns.py: London's "
                   "rates scaled to the\n"
                   "     area's population with noise. These are not the area's real "
                   "figures. -->")
    else:
        out.append(f"<!-- MAPPA annual return: {name}, {period_text}.\n"
                   "     Synthetic test fixture written by scripts/gen-returns.py: the "
                   "next period's figures taken\n"
                   "     a year back with a plausible trend and noise. These are not the "
                   "area's real figures. -->")
    out.append('<return xmlns="urn:mappa:return:1">')
    out.append(f'  <area code="{code}" name="{name}"/>')
    out.append(f'  <period start="{y}-04-01" end="{y + 1}-03-31"/>')
    out.append(f'  <submission revision="{REVISION}" date="{r["date"]}"/>')
    out.append("")
    out.append(f"  <!-- MAPPA-eligible individuals in the community on 31 March {y + 1} "
               "(no category 3 at level 1) -->")
    out.append("  <eligible>")
    for (c, l) in ELIGIBLE_CELLS:
        out.append(f'    <count category="{c}" level="{l}">{r["eligible"][(c, l)]}</count>')
    out.append("  </eligible>")
    out.append("")
    for table, comment in (
            ("managedAtLevel23", "Individuals managed at level 2 or 3 during the year"),
            ("returnedToCustody",
             "Level 2 and 3 individuals returned to custody for breach of licence")):
        out.append(f"  <!-- {comment} -->")
        out.append(f"  <{table}>")
        for (c, l) in L23_CELLS:
            out.append(f'    <count category="{c}" level="{l}">{r[table][(c, l)]}</count>')
        out.append(f"  </{table}>")
        out.append("")
    out.append("  <!-- Breaches of Sexual Harm Prevention Orders -->")
    out.append("  <shpoBreach>")
    for l in (2, 3):
        out.append(f'    <count level="{l}">{r["shpoBreach"][l]}</count>')
    out.append("  </shpoBreach>")
    out.append("")
    for s in SINGLES:
        out.append(f"  <{s}>{r[s]}</{s}>")
    out.append("</return>")
    return "\n".join(out) + "\n"


def summary(returns, delta, target):
    lines = [f"adjustment to reach {target}: {delta:+d} (level 1, categories 1-2, "
             f"{ADJUST_AREAS} largest areas other than London)"]
    for table, cells in (("eligible", ELIGIBLE_CELLS), ("managedAtLevel23", L23_CELLS),
                         ("returnedToCustody", L23_CELLS)):
        sums = {cell: sum(r[table][cell] for r in returns.values()) for cell in cells}
        lines.append(f"{table}: total {sum(sums.values())}")
        for c in CATS:
            row = [f"L{l}={sums[(c, l)]}" for l in (1, 2, 3) if (c, l) in sums]
            lines.append(f"  category {c}: {sum(v for (cc, _), v in sums.items() if cc == c)}"
                         f" ({', '.join(row)})")
    for l in (2, 3):
        lines.append(f"shpoBreach L{l}: {sum(r['shpoBreach'][l] for r in returns.values())}")
    for s in SINGLES:
        lines.append(f"{s}: {sum(r[s] for r in returns.values())}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description="Write the 42 fixture returns of one period.")
    ap.add_argument("--period", default=PERIODS[-1], choices=PERIODS,
                    help="the reporting year (default %(default)s)")
    ap.add_argument("--reference", default="reference/areas.xml")
    ap.add_argument("--out", help="output folder (default fixtures/returns/PERIOD)")
    ap.add_argument("--quiet", action="store_true", help="do not print the national sums")
    args = ap.parse_args()
    out_dir = args.out or os.path.join("fixtures", "returns", args.period)
    target = EARLIER[args.period]["eligible"] if args.period in EARLIER else NATIONAL_ELIGIBLE

    areas = read_areas(args.reference)
    returns, delta = make(areas, args.period)
    for a in areas:
        check(a["code"], returns[a["code"]])
    total = sum(sum(r["eligible"].values()) for r in returns.values())
    if total != target:
        sys.exit(f"gen-returns: eligible total {total}, expected {target}")

    os.makedirs(out_dir, exist_ok=True)
    for a in areas:
        path = os.path.join(out_dir, f"{a['code']}.xml")
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(render(a["code"], a["name"], returns[a["code"]], args.period))
        os.replace(tmp, path)
    if not args.quiet:
        print(summary(returns, delta, target))


if __name__ == "__main__":
    main()
