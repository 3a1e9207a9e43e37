/*
 * publish: the publication bundle of a suppressed dataset (docs/publication.md), assembled from
 * one writer per output, as libarchive keeps one format per file: README.txt (publish_readme.h),
 * the CSV tables and the long form (publish_csv.h), the long form as SDMX-CSV with its structure
 * (sdmx.h), the workbook (publish_ods.h over ods.h), each area's statistics section as HTML
 * (publish_html.h) and text (publish_text.h), the national summary page with its chart
 * (publish_html.h, publish_chart.h), the time series and revisions (publish_series.h), and a
 * SHA-256 manifest. The tables all formats show are laid out once (publish_layout.h) in one
 * table model (ptable.h). Everything is made in memory into a struct bundle; bundle.h writes it.
 * What is published follows pivot.h; whether it may be published, publish_check.h.
 */
#ifndef MAPPA_PUBLISH_H
#define MAPPA_PUBLISH_H

#include <stddef.h>

#include "areas.h"
#include "bundle.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "policy.h"
#include "publish_check.h"
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
	/* the disclosure policy the dataset was suppressed under (policy.h): which categories an
	   area never publishes, the counts never published (in the prose); NULL: the shipped
	   default */
	const struct policy *policy;
};

/*
 * Fills b (initialised here, top folder "mappa-PERIOD", time 1 April of the period's second
 * year, 00:00 UTC) with every file of the bundle, the manifest last. Call publish_check_policy
 * first. Returns 0, or -1 with the reason appended to d (b is then released): L04 release
 * metadata that fails publish_release_validate (naming the bundle's top folder, line 0), P02 a
 * bad period (the SDMX structure), P99 out of memory, B01 a file the bundle refuses (bundle_add);
 * each names the bundle or the file.
 */
int publish_bundle(const struct dataset *ds, const struct defs *defs, const struct areas *ref,
		   const struct publish_options *opt, struct bundle *b, struct diag_list *d);

/* "london", "devon-and-cornwall": lower case ASCII letters and digits joined by '-'. */
const char *publish_slug(const char *name, char *buf, size_t size);
/* The years of a period "2022-23": 2022 and 2023. Returns 0, or -1 when it is not one. */
int publish_period_years(const char *period, int *first, int *second);

#endif
