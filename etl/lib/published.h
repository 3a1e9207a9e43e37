/*
 * published: reads the published long form, observations.csv of a bundle
 * (period,area_code,area_name,table,category,level,value,status), back into a dataset holding
 * exactly what a reader knows: published values, and the symbols of the cells that are not.
 * This is what mappa-audit audits.
 */
#ifndef MAPPA_PUBLISHED_H
#define MAPPA_PUBLISHED_H

#include <stddef.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"

/* The header line of observations.csv, without its line end. */
#define PUBLISHED_CSV_HEADER "period,area_code,area_name,table,category,level,value,status"

/*
 * Reads buf (RFC 4180 CSV with the header above) named file. A cell shown as [c] becomes
 * OBS_SECONDARY with value 0 (the reader cannot tell primary from secondary, nor the value),
 * [z] OBS_NA, [x] OBS_MISSING; an area none of whose rows holds a value or [c] (only
 * [x], and [z] for cells that cannot exist) is missing. Populations come
 * from the reference data. The result is a STAGE_SUPPRESSED dataset. Returns 0, or -1 with
 * every problem in d (rule ids P01-P05).
 */
int published_read(struct dataset *ds, const struct defs *defs, const struct areas *areas,
		   const char *file, const char *buf, size_t len, struct diag_list *d);

/*
 * published_read, and each row's area name must be the reference data's for its code (P03):
 * for a publication read with its own reference data (an audit, a run reading back what it
 * wrote). Not for an earlier year's bundle, whose names may have changed since.
 */
int published_read_named(struct dataset *ds, const struct defs *defs, const struct areas *areas,
			 const char *file, const char *buf, size_t len, struct diag_list *d);

/*
 * Whether ds (read by published_read from file, or a dataset read by dataset_read) has a row for
 * every cell of the nation and of every area it holds: the rows of observations.csv do not
 * depend on the policy (a withheld cell is a row with [c]), nor those of a dataset, so a file
 * without one was cut or edited after it was written, and an audit of it would have a figure
 * fewer than its readers (a suppressed dataset without a secondary's row audited clean, where
 * the row pins another cell, QA). na_rows: a cell that cannot exist has a row too ([z] in
 * observations.csv; a dataset may leave it out). 0, or -1 with an error of rule at line 0 for
 * each missing row in d.
 */
int published_complete(const struct dataset *ds, const struct defs *defs, const char *file,
		       int na_rows, const char *rule, struct diag_list *d);

#endif
