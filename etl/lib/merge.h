/*
 * merge: the normalised datasets of one period into the national dataset (docs/merge.md).
 *
 *	struct merge *m = merge_new(&defs, &areas, &opts);
 *	for each file: merge_add_path(m, path, &diags);   (or merge_add with a dataset in memory)
 *	merge_finish(m, &national, &diags);                (decides, then builds the dataset)
 *	merge_write_report(m, &national, stdout);
 *	merge_free(m);
 *
 * Each input is checked as it is added (a normalised dataset of one area of the reference data,
 * every inner cell present once) and kept in a compact form (its values, not its dataset), so
 * memory grows by a few hundred bytes an input. merge_finish decides order-independently:
 *  - the period: opts.period, else the period of most inputs (a tie is an error); inputs of
 *    another period are refused (M04);
 *  - per area, the highest revision wins; lower revisions are superseded (recorded in the
 *    dataset and reported, M09 warning); inputs of one area with the same revision and the
 *    same content are harmless duplicates (M08 warning, one kept); with different content they
 *    are an error naming both files (M05);
 *  - an area of the reference data without input is missing: an error (M06), or with
 *    opts.allow_missing its cells are OBS_MISSING and the dataset is marked incomplete;
 *  - then every area cell, the area totals over categories (all, 1-3) and levels (all), the
 *    national cells and totals as sums of the areas present, and the rates, rounded half up.
 * The output is the same whatever the order of the inputs.
 */
#ifndef MAPPA_MERGE_H
#define MAPPA_MERGE_H

#include <stdio.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"

struct merge_options {
	const char *period;     /* "2022-23", or NULL: the period of most inputs */
	int allow_missing;      /* keep going when an area has no input */
	const char *name;       /* file name for diagnostics that concern no input file */
	size_t superseded_max;  /* inputs superseded by a higher revision, at most (M14); 0:
				   DATASET_SUPERSEDED_MAX, what the observations format records */
};

struct merge;

/* defs and areas must outlive the merge; opts is copied (its strings are not). NULL: no memory. */
struct merge *merge_new(const struct defs *defs, const struct areas *areas,
			const struct merge_options *opts);
void merge_free(struct merge *m);   /* accepts NULL */

/*
 * Adds ds, read from path (the name used in diagnostics and the report). Returns 0 when it was
 * accepted, -1 when it was refused, with the reasons in d (M01-M03, M99 out of memory). A
 * refused input makes merge_finish fail.
 */
int merge_add(struct merge *m, const char *path, const struct dataset *ds, struct diag_list *d);

/* Reads path with dataset_read_path and adds it. Returns 0, -1 (reasons in d: damaged or
 * refused) or -2 when it cannot be read (an error O08 in d that keeps the errno, diag_errnum). */
int merge_add_path(struct merge *m, const char *path, struct diag_list *d);

/*
 * Adds path, which may be an observations file (read as merge_add_path does) or an area
 * return (XML): the return is then checked with v and normalised in this process, so a merge
 * of many returns needs no intermediate files. An invalid return is refused with the
 * validator's diagnostics. Returns as merge_add_path; a file that cannot be opened or is not a
 * regular file is an error M11 at line 0 that keeps the errno (a return that can be opened but
 * then not read, the validator's R03 "cannot read", keeping it too).
 */
struct validator;
int merge_add_any_path(struct merge *m, struct validator *v, const char *path,
		       struct diag_list *d);

/*
 * Decides which inputs are used and builds the national dataset into out (initialised here;
 * release it with dataset_release). Returns 0, or -1 with every problem in d (out is then
 * empty). Warnings (duplicates, superseded revisions) may be added on success.
 */
int merge_finish(struct merge *m, struct dataset *out, struct diag_list *d);

/*
 * Writes a plain-text summary: period, inputs, areas present with revision and source,
 * superseded, duplicates, refused and missing, and (out not NULL: after a successful
 * merge_finish) the national totals of eligible and the national rate. Returns 0 or -1.
 */
int merge_write_report(const struct merge *m, const struct dataset *out, FILE *f);

/* Rate per `per` rounded half up: (count * per) / population; 0 when population is 0; -1 when
 * the rate does not fit in a long long (never for counts below DEFS_COUNT_LIMIT). */
long long merge_rate(long long count, long per, long long population);

#endif
