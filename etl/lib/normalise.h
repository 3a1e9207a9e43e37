/*
 * normalise: one valid area return as observations (docs/merge.md).
 *
 * The result is a struct dataset at STAGE_NORMALISED that holds one area: its code, its
 * reference name and population, the return's revision and submission date, and `source`, the
 * name the caller gives for the return (mappa-normalise passes the path as given). Its rows are
 * every inner cell of every table (status OBS_OK) and every cell that cannot exist (category 3
 * at level 1 of eligible: OBS_NA, value 0). No totals: the merge computes them.
 *
 * Nothing in the result depends on how the return was written (encoding, line ends,
 * whitespace, comments, attribute or element order): two returns that mean the same thing and
 * are given the same source give the same bytes.
 */
#ifndef MAPPA_NORMALISE_H
#define MAPPA_NORMALISE_H

#include "areas.h"
#include "areturn.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"

/*
 * Fills ds (initialised here; release with dataset_release) from r, a return the validator
 * accepted. source may be NULL (recorded as ""). Returns 0; -1 with a reason in d (rule N01:
 * the area is not in the reference data; N02: a cell is absent from r; N09: out of memory).
 */
int normalise_return(struct dataset *ds, const struct defs *defs, const struct areas *areas,
		     const struct area_return *r, const char *source, struct diag_list *d);

/* Whether (cat, level) is in the table's grid of categories x levels, inner or not applicable. */
int normalise_in_grid(const struct defs_table *t, int cat, int level);

#endif
