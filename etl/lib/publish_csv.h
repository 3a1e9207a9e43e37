/*
 * publish_csv: the CSV files of the publication bundle (RFC 4180, csvout.h): the long form
 * observations.csv (every published cell: period, area, table, category, level, value, status)
 * and one file per published table. Notes markers are dropped (the CSV files carry none); a
 * figure is written without thousands separators, with " [r]" when revised. Appends to out (a
 * failed allocation marks out failed).
 */
#ifndef MAPPA_PUBLISH_CSV_H
#define MAPPA_PUBLISH_CSV_H

#include "dataset.h"
#include "defs.h"
#include "policy.h"
#include "ptable.h"
#include "strbuf.h"


/* pol: the disclosure policy (NULL: the shipped default). */

/* A table: a heading row, then one row per table row. */
void publish_csv_table(const struct ptable *t, struct strbuf *out);
/* The national (national != 0) or all-areas table of stat (publish_layout_published). */
void publish_csv_published(const struct dataset *ds, const struct defs *defs,
			   const struct policy *pol, unsigned stat,
			   int national, struct strbuf *out);
/* observations.csv: nation first, then the areas in ds's order; keys as pivot_keys. */
void publish_csv_observations(const struct dataset *ds, const struct defs *defs,
			      const struct policy *pol, struct strbuf *out);
/* The key columns that observations.csv and revisions.csv share, into f[0] to f[4]: area_code,
 * area_name, table, category, level (strings of ds and defs, not copies). */
void publish_csv_key(const struct dataset *ds, const struct defs *defs, const char *area,
		     unsigned stat, int cat, int level, const char **f);

#endif
