#!/usr/bin/env python3
"""Write an adversarial inbox: the 42 fixture returns of 2022-23 with their small counts
rewritten to catch a disclosure control that protects against the outsider only.

Kinds (what the level 2 and 3 cells and the single-figure tables become):
  ones    many 1s and 2s: a cell is 1 or 2 more often than anything else, so most rows
          and columns hold two or more primary cells and most of them hold a 1 (the
          person alone there knows it);
  zeros   almost all zeros, with a few 1s and 2s: the complements are zeros, and a
          suppressed set of zeros must not be seen to sum to 0;
  pairs   every national column held by exactly two 1s: for each table, category and
          level, two areas hold 1 and every other area 0, so the national figure is 2,
          and each of the two areas' data leads knows its own 1.
Level 1 counts of the eligible table stay as they are (hundreds and thousands), as in a
real return. The rules of the return still hold: managedAtLevel23 >= eligible at levels
2-3, returnedToCustody <= managedAtLevel23, shpoForeignTravel <= shpo.

Deterministic: the seed and the kind fix every figure.  Standard library only.

Usage: scripts/gen-adversarial.py KIND SEED OUTDIR [--from DIR]
DIR defaults to fixtures/returns/2022-23; run from the repository root.
"""

import argparse
import os
import random
import re
import sys

COUNT = re.compile(r'(<count(?: category="(\d)")? level="(\d)">)(\d+)(</count>)')
SCALAR = re.compile(r'<(notificationBreach|notificationRevoked|shpo|shpoForeignTravel|'
                    r'notificationOrder|sroBreach)>(\d+)</\1>')
TABLE = re.compile(r'<(eligible|managedAtLevel23|returnedToCustody|shpoBreach)>(.*?)</\1>',
                   re.S)


def small(kind, rng):
    if kind == "ones":
        return rng.choice((0, 1, 1, 1, 2, 2, 2, 3, 5))
    return rng.choice((0,) * 12 + (1, 1, 2))


def parse(text):
    """The return's figures: {(table, category or 0, level or 0): value}."""
    cells = {}
    for t in TABLE.finditer(text):
        for c in COUNT.finditer(t.group(2)):
            cells[(t.group(1), int(c.group(2) or 0), int(c.group(3)))] = int(c.group(4))
    for s in SCALAR.finditer(text):
        cells[(s.group(1), 0, 0)] = int(s.group(2))
    return cells


def write(text, cells):
    def table(t):
        name = t.group(1)

        def count(c):
            key = (name, int(c.group(2) or 0), int(c.group(3)))
            return c.group(1) + str(cells[key]) + c.group(5)
        return "<%s>%s</%s>" % (name, COUNT.sub(count, t.group(2)), name)
    text = TABLE.sub(table, text)
    return SCALAR.sub(lambda s: "<%s>%d</%s>" % (s.group(1), cells[(s.group(1), 0, 0)],
                                                  s.group(1)), text)


def fix_rules(cells):
    for (t, c, lv), v in list(cells.items()):
        if t == "eligible" and lv in (2, 3):
            m = ("managedAtLevel23", c, lv)
            cells[m] = max(cells[m], v)
    for (t, c, lv), v in list(cells.items()):
        if t == "returnedToCustody":
            cells[(t, c, lv)] = min(v, cells[("managedAtLevel23", c, lv)])
    cells[("shpoForeignTravel", 0, 0)] = min(cells[("shpoForeignTravel", 0, 0)],
                                             cells[("shpo", 0, 0)])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("kind", choices=("ones", "zeros", "pairs"))
    ap.add_argument("seed", type=int)
    ap.add_argument("out")
    ap.add_argument("--from", dest="src", default="fixtures/returns/2022-23")
    a = ap.parse_args()
    rng = random.Random("mappa-adversarial-%s-%d" % (a.kind, a.seed))
    names = sorted(f for f in os.listdir(a.src) if f.endswith(".xml"))
    texts = {}
    for f in names:
        with open(os.path.join(a.src, f), encoding="utf-8") as fh:
            texts[f] = fh.read()
    figures = {f: parse(texts[f]) for f in names}
    keys = sorted(figures[names[0]])
    pairs = {}
    for key in keys:
        t, c, lv = key
        if t == "eligible" and lv == 1:
            continue
        if a.kind == "pairs":
            # the same two areas for a category and level in the three linked tables, so
            # that the rules between them hold without moving a figure
            linked = t in ("eligible", "managedAtLevel23", "returnedToCustody")
            pk = (c, lv) if linked else key
            if pk not in pairs:
                pairs[pk] = set(rng.sample(names, 2))
            two = pairs[pk]
            for f in names:
                figures[f][key] = 1 if f in two else 0
        else:
            for f in names:
                figures[f][key] = small(a.kind, rng)
    os.makedirs(a.out, exist_ok=True)
    for f in names:
        fix_rules(figures[f])
        with open(os.path.join(a.out, f), "w", encoding="utf-8") as fh:
            fh.write(write(texts[f], figures[f]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
