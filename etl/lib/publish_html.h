/*
 * publish_html: the HTML pages of the publication bundle: each area's statistics section and
 * the national summary page (a chart of the rates by area, the same figures as a table, the
 * national tables). Every page carries the release metadata, a key to the symbols and the
 * population note; tables sit in regions that scroll on their own, so a page never scrolls
 * sideways on a phone. Appends to out (a failed allocation marks out failed).
 */
#ifndef MAPPA_PUBLISH_HTML_H
#define MAPPA_PUBLISH_HTML_H

#include "bundle.h"
#include "dataset.h"
#include "defs.h"
#include "publish_release.h"
#include "strbuf.h"

/* An area's statistics section (area: an area code of ds); rel NULL: the demo defaults. */
void publish_html_area(const struct dataset *ds, const struct defs *defs, const char *area,
		       const struct publish_release *rel, struct strbuf *out);
/* The national summary page; lists the files already in b. rel: as above. */
void publish_html_index(const struct dataset *ds, const struct defs *defs, const struct bundle *b,
			const struct publish_release *rel, struct strbuf *out);

#endif
