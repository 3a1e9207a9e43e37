/*
 * pivot: turns the observations of a suppressed dataset into the published tables.
 *
 * The publication policy lives here, in one place, so that every output (CSV, ODS, HTML, text,
 * observations) shows the same thing. Which categories an area never publishes is the
 * disclosure policy's (policy_withheld, policy.h; the shipped policy withholds Category 4):
 * - an area's table has the other categories and the total over categories 1-3 ("1-3"); its
 *   withheld category's cells are rows of the long form with status [c] and never a value, and
 *   its total over categories 1-4 ("all") is never published in any form, not even as a symbol;
 * - the national table has categories 1-4 and the total over 1-4 ("all"), and no "1-3" total;
 * - a value is shown only when its status is OBS_OK; otherwise its GSS symbol; a row absent
 *   from the dataset is [x] (not available).
 */
#ifndef MAPPA_PIVOT_H
#define MAPPA_PIVOT_H

#include <stddef.h>

#include "dataset.h"
#include "defs.h"

struct policy;

#define PIVOT_MAX_ROWS 5
#define PIVOT_MAX_COLS 6

struct pivot_value {
	int published;          /* 1: value may be shown; 0: show symbol */
	long long value;        /* 0 when not published */
	enum obs_status status;
	const char *symbol;     /* "" when published, else "[c]", "[z]" or "[x]" */
	int revised;            /* published and marked revised (obs.revised): shown with [r] */
};

/* One table for one area or the nation: rows are levels then the total over levels, columns
 * categories then the total over categories. A table without levels has one row (LEVEL_NONE),
 * one without categories one column (CAT_NONE). */
struct pivot_grid {
	size_t nrows, ncols;
	int row_level[PIVOT_MAX_ROWS];
	int col_cat[PIVOT_MAX_COLS];
	struct pivot_value cell[PIVOT_MAX_ROWS][PIVOT_MAX_COLS];
};

/* Whether a statistic index is a table with a category dimension, a level dimension, a rate. */
int pivot_has_categories(const struct defs *defs, unsigned stat);
int pivot_has_levels(const struct defs *defs, unsigned stat);
int pivot_is_rate(const struct defs *defs, unsigned stat);

/* The published value of one key (see above for the policy); national: area is the nation.
 * pol: the disclosure policy (NULL: the shipped default, policy_init_default); the functions
 * without _policy use the shipped default. */
struct pivot_value pivot_get(const struct dataset *ds, const struct defs *defs, const char *area,
			     unsigned stat, int cat, int level);
struct pivot_value pivot_get_policy(const struct dataset *ds, const struct defs *defs,
				    const struct policy *pol, const char *area, unsigned stat,
				    int cat, int level);

/* Fills g with the published table of stat for area (the national code: the national table). */
void pivot_grid(const struct dataset *ds, const struct defs *defs, const char *area, unsigned stat,
		struct pivot_grid *g);
void pivot_grid_policy(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
		       const char *area, unsigned stat, struct pivot_grid *g);

/*
 * The keys of stat that the long form (observations.csv) has for an area or the nation, in
 * publication order: every (category, level) of the grid, plus, for an area, each withheld
 * category at every level and its total over levels. Returns the count (at most max).
 */
size_t pivot_keys(const struct defs *defs, unsigned stat, int national, int *cats, int *levels,
		  size_t max);
size_t pivot_keys_policy(const struct defs *defs, const struct policy *pol, unsigned stat,
			 int national, int *cats, int *levels, size_t max);

/* Labels: "Category 1: subject to sex offender notification requirements", "Total (categories
 * 1-3)", ...; short labels "Category 1", "Total"; levels "Level 1", "Total". */
const char *pivot_category_label(int cat);
const char *pivot_category_short(int cat);
const char *pivot_level_label(int level);

/* "1,234,567" into buf (size at least 32). */
const char *pivot_format_number(long long v, char *buf, size_t size);

#endif
