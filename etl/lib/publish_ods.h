/*
 * publish_ods: the workbook of the publication bundle (mappa-PERIOD.ods, written by ods.h), laid
 * out as the Analysis Function's "Releasing statistics in spreadsheets" asks: a cover (title,
 * description, period, release dates, source, populations, methodology, revisions, symbols,
 * contact, licence), a contents sheet linking to every sheet, a notes sheet with only the notes
 * that apply somewhere (each listing its tables), then one sheet per published table (national
 * tables first) whose title or headings say which notes apply, and the time-series sheets of
 * publish_series.h.
 */
#ifndef MAPPA_PUBLISH_ODS_H
#define MAPPA_PUBLISH_ODS_H

#include <stddef.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "policy.h"
#include "publish_release.h"
#include "series.h"
#include "strbuf.h"
#include "zipmem.h"

/*
 * Appends the workbook of ds to out, its parts dated when; pol: the disclosure policy (NULL: the
 * shipped default); rel: the resolved release metadata;
 * series and nrevised as publish_bundle has them (series NULL: none); file: the workbook's name
 * in the bundle, for diagnostics. Returns 0, or -1 with an error (P99) appended to d.
 */
int publish_ods_workbook(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
			 const struct areas *ref, const struct publish_release *rel, const struct zipmem_time *when,
			 const struct series *series, size_t nrevised, const char *file,
			 struct strbuf *out, struct diag_list *d);

#endif
