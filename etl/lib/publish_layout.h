/*
 * publish_layout: the tables of the publication laid out from a suppressed dataset into the
 * table model (ptable.h), as the annual reports lay them out: an area's or the nation's table
 * of a statistic (levels down, categories across), the all-areas table (one row per area), the
 * small tables of single counts, and the report's tables of one area in order. What each cell
 * shows follows pivot.h. Labels come from the definitions (titles) and publish_lang.h.
 *
 * Each builder initialises t (it need not be initialised before) and the caller releases it
 * with ptable_release; a failed allocation leaves t failed (ptable_ok).
 */
#ifndef MAPPA_PUBLISH_LAYOUT_H
#define MAPPA_PUBLISH_LAYOUT_H

#include "dataset.h"
#include "defs.h"
#include "policy.h"
#include "ptable.h"
#include "publish_lang.h"

/* The table of stat for one area or the nation, labelled in lang; area_name: the area's name in
 * lang (NULL: its name in ds). */
void publish_layout_grid(struct ptable *t, const struct dataset *ds, const struct defs *defs,
			 const struct policy *pol,
			 const char *area, unsigned stat, enum publish_lang lang, const char *area_name);
/* The all-areas table of stat: one row per area, the area's table laid out along the row. */
void publish_layout_areas(struct ptable *t, const struct dataset *ds, const struct defs *defs,
			 const struct policy *pol,
			  unsigned stat);
/* The single counts of one area or the nation, one row each, labelled as publish_layout_grid. */
void publish_layout_singles(struct ptable *t, const struct dataset *ds, const struct defs *defs,
			 const struct policy *pol,
			    const char *area, enum publish_lang lang, const char *area_name);
/* The published table of stat for a file (a CSV table, a workbook sheet): the national table
 * (national != 0; a single count as one row in the all-areas layout) or the all-areas one. */
void publish_layout_published(struct ptable *t, const struct dataset *ds, const struct defs *defs,
			 const struct policy *pol,
			      unsigned stat, int national);

/*
 * The report's tables for one area (or the nation), in the report's order, labelled in lang
 * (area_name as above): calls fn for each with a caption, and ors the symbols shown into
 * *symbols. Returns 0, or -1 when a table could not be made (out of memory).
 */
int publish_layout_area_tables(const struct dataset *ds, const struct defs *defs,
			       const struct policy *pol, const char *area,
			       enum publish_lang lang, const char *area_name,
			       void (*fn)(const struct ptable *t, void *ctx, const char *caption),
			       void *ctx, unsigned *symbols);

#endif
