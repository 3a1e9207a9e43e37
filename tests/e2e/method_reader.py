#!/usr/bin/env python3
"""The reader who knows the method, on a bundle, apart from the C code (docs/disclosure-method.md).

usage: method_reader.py OBSERVATIONS.csv SUPPRESSED.obs [MIN MAX]

A figure an area holds alone (no category, no level: notificationBreach, ...) is in one
relation only, national = the sum of the areas. The method withholds a complement only where
some reader needs one: with 4 or more areas withheld in that sum, publishing one of them would
leave at least two others unknown to any one reader (an area's data lead, the person alone in
a cell of 1), so none can have been needed, and a reader who knows the method takes each to be
a primary, MIN..MAX. When they are all primaries (the suppressed dataset says so) and the
national figure is published, what is left of it (the national figure less the published
areas) must not pin them: not every one at MIN (k * MIN) nor every one at MAX (k * MAX).
When one of them is not a primary (a complement), its area's data lead knows its value and
that it is none: what is left less that value must not pin the others (QA, 7 December: the
data lead of Cheshire, its own 21 withheld beside four 1s under a national 45 with
Lancashire's 20 published, had 4 over four primaries).
A sharper reader tells some complements by their values (QA, 7 December; not modelled by the C
code, docs/disclosure-method.md): an area's withheld shpo is at least its published
shpoForeignTravel (rule R17), so one at MAX + 1 or more cannot be a primary. It takes the other
withheld areas of the sum to be the primaries, each at least MIN, and the told complements at
least their lower bounds: when the national figure less the published areas is exactly that
least sum, every primary is at MIN. Its data leads know their own figures as well. A reading
that names a complement a primary misleads its reader, and is not counted.
Prints each figure that does, and exits 1 if any; 0 otherwise, with how many figures it read.
"""
import csv
import sys


def main():
    pub, truth = sys.argv[1], sys.argv[2]
    lo = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    hi = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    status = {}
    value = {}
    national = None
    with open(truth, encoding='utf-8') as f:
        for line in f:
            p = line.rstrip('\n').split('\t')
            if p[0] == 'national':
                national = p[1]
            if p[0] == 'obs' and p[3] == '-' and p[4] == '-':
                status[(p[1], p[2])] = p[6]
                value[(p[1], p[2])] = int(p[5])
    rows = {}
    with open(pub, encoding='utf-8', newline='') as f:
        for r in csv.DictReader(f):
            if r['category'] or r['level']:
                continue
            rows.setdefault(r['table'], []).append(r)
    bad = 0
    published = {(r['area_code'], t): int(r['value'])
                 for t, rs in rows.items() for r in rs if r['value'] != ''}
    for table, rs in sorted(rows.items()):
        nat = [r for r in rs if r['area_code'] == national]
        if not nat or nat[0]['value'] == '':
            continue
        left = int(nat[0]['value'])
        withheld = []
        for r in rs:
            if r['area_code'] == national:
                continue
            if r['value'] != '':
                left -= int(r['value'])
            elif r['status'] == '[c]':
                withheld.append(r['area_code'])
        k = len(withheld)
        if k < 4:
            continue
        others = [a for a in withheld if status.get((a, table)) != 'primary']
        if not others:
            if left in (k * lo, k * hi):
                print('%s: the national %s less the published areas is %d over %d primaries: '
                      'each is %d' % (pub, table, left, k, left // k))
                bad += 1
        elif len(others) == 1 and (others[0], table) in value:
            rest = left - value[(others[0], table)]
            if rest in ((k - 1) * lo, (k - 1) * hi):
                print('%s: the national %s less the published areas and %s\'s own %d (its '
                      'data lead knows it) is %d over %d primaries: each is %d'
                      % (pub, table, others[0], value[(others[0], table)], rest, k - 1,
                         rest // (k - 1)))
                bad += 1
        bad += by_value(pub, table, left, withheld, status, value, published, lo, hi)
    if bad:
        return 1
    print('%s: %d figures held by areas alone, none pinned by the method' % (pub, len(rows)))
    return 0


def by_value(pub, table, left, withheld, status, value, published, lo, hi):
    """The sharper reader of one sum (see above): the outsider, then each data lead."""
    floor = {}
    for a in withheld:
        if table == 'shpo' and (a, 'shpoForeignTravel') in published:
            floor[a] = published[(a, 'shpoForeignTravel')]
    told = [a for a in withheld if floor.get(a, 0) > hi]
    if not told:
        return 0
    bad = 0
    for lead in [None] + withheld:
        rest = left
        least = 0
        primaries = []
        for a in withheld:
            if a == lead:
                rest -= value.get((a, table), 0)
            elif a in told:
                least += floor[a]
            else:
                primaries.append(a)
        # a reading that takes a complement for a primary misleads its reader
        if not primaries or any(status.get((a, table)) != 'primary' for a in primaries):
            continue
        if rest == least + len(primaries) * lo:
            print('%s: %s: the national %s less the published areas%s is %d, the least that '
                  '%d primaries and the complements %s (told by their values, at least %d) '
                  'can hold: each primary is %d'
                  % (pub, 'the data lead of ' + lead if lead else 'the outsider', table,
                     ' and its own figure' if lead else '', rest, len(primaries),
                     ', '.join(told), least, lo))
            bad += 1
    return bad


if __name__ == '__main__':
    sys.exit(main())
