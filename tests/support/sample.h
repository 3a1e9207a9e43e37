/*
 * sample: synthetic suppressed datasets, for tests and demonstrations only (never real data):
 * test support (tests/support), not library; linked into the unit tests and bin/mappa-sample.
 * The figures are made up from a seed and the areas' populations, look like MAPPA returns
 * (London-sized areas have thousands at level 1, small areas a few at level 3), keep the
 * rules between tables, and carry statuses the way the suppression stage sets them: per-area
 * category 4 and area totals over categories 1-4 withheld, counts of 1-2 in area tables
 * primary-suppressed, and a simple row and column secondary suppression. It is a stand-in for
 * mappa-merge + mappa-suppress in unit tests, not a disclosure method: the outsider pins some
 * of its figures. bin/mappa-sample writes sample_merged's dataset, suppressed by protect.h.
 */
#ifndef MAPPA_SAMPLE_H
#define MAPPA_SAMPLE_H

#include <stddef.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"

/*
 * Fills ds (initialised here) with a STAGE_SUPPRESSED dataset for period (e.g. "2022-23") over
 * the first nareas areas of ref (all when 0 or more than there are). missing: the code of an
 * area that sent no return (its rows are [x]), or NULL. Returns 0 or -1 (out of memory).
 */
int sample_dataset(struct dataset *ds, const struct defs *defs, const struct areas *ref,
		   size_t nareas, unsigned seed, const char *period, const char *missing);

/*
 * Makes a sample_dataset a merged one, as mappa-merge writes it: every status back to ok
 * (missing and na kept), the cells that cannot exist added as na rows for every area and the
 * nation (the suppression refuses a merged dataset without them), and no suppression summary.
 * Returns 0 or -1 (out of memory).
 */
int sample_merged(struct dataset *ds, const struct defs *defs);

#endif
