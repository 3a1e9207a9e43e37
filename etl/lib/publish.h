/*
 * publish: the publication bundle of a suppressed dataset (docs/publication.md): README, CSV
 * tables, the long form as CSV and as SDMX-CSV with its structure (sdmx.h), an ODS workbook,
 * each area's statistics section as HTML (publish_html.h) and text, a national summary page
 * with a chart (publish_html.h), and a SHA-256 manifest. Everything is made in memory into a
 * struct bundle; bundle.h writes it. What is published follows pivot.h.
 */
#ifndef MAPPA_PUBLISH_H
#define MAPPA_PUBLISH_H

#include <stddef.h>

#include "areas.h"
#include "bundle.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "publish_release.h"
#include "series.h"
#include "strbuf.h"

struct publish_options {
	/* release date, next release, producer, contact, methodology: printed the same in
	   README.txt, the workbook's cover and every page; NULL fields take the demo defaults of
	   publish_release_fill */
	struct publish_release release;
	/* the earlier publications (series.h): time series, the previous period on the area
	   pages, revisions (publish_series.h); NULL: none, the bundle of this period alone */
	const struct series *series;
};

/*
 * Checks that ds may be published (rule ids P01-P06): stage suppressed; a period like
 * "2022-23" of consecutive years; every area a reference area (the name of an area code
 * becomes a file name); every row a published table needs present for areas that sent a
 * return and for the nation; no per-area category 4 cell or total over categories 1-4 marked
 * publishable; and no withheld figure given away by the simplest subtraction (P06: the only
 * withheld figure of a table row or column, or of one cell across the areas against the
 * national figure, unless its value is 0). Returns 0, or -1 with the problems appended to d,
 * each naming file (the dataset's name; line 0: they are about the whole dataset).
 */
int publish_check(const struct dataset *ds, const struct defs *defs, const struct areas *ref,
		  const char *file, struct diag_list *d);

/*
 * Fills b (initialised here, top folder "mappa-PERIOD", time 1 April of the period's second
 * year, 00:00 UTC) with every file of the bundle, the manifest last. Call publish_check first.
 * Returns 0, or -1 with a message in err (b is then released).
 */
int publish_build(const struct dataset *ds, const struct defs *defs, const struct areas *ref,
		  const struct publish_options *opt, struct bundle *b, char *err, size_t errsize);

/* The parts, for tests. Each appends to out. */
void publish_observations_csv(const struct dataset *ds, const struct defs *defs, struct strbuf *out);
/* The national (national != 0) or all-areas table of stat as CSV. */
void publish_table_csv(const struct dataset *ds, const struct defs *defs, unsigned stat,
		       int national, struct strbuf *out);
/*
 * An area's statistics section (area: an area code of ds) as plain text, with the release
 * line of rel (NULL: the demo defaults). The HTML pages: publish_html.h.
 */
void publish_area_text(const struct dataset *ds, const struct defs *defs, const char *area,
		       const struct publish_release *rel, struct strbuf *out);

/* "london", "devon-and-cornwall": lower case ASCII letters and digits joined by '-'. */
const char *publish_slug(const char *name, char *buf, size_t size);
/* The years of a period "2022-23": 2022 and 2023. Returns 0, or -1 when it is not one. */
int publish_period_years(const char *period, int *first, int *second);

#endif
