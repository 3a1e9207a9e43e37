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
#include "policy.h"
#include "publish_lang.h"
#include "publish_release.h"
#include "strbuf.h"

/* An area's statistics section (area: an area code of ds); pol: the disclosure policy (NULL: the
 * shipped default); rel NULL: the demo defaults. */
void publish_html_area(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
		       const char *area,
		       const struct publish_release *rel, struct strbuf *out);
/* Which page publish_html_area_lang writes. */
struct publish_html_page {
	enum publish_lang lang;
	const char *area_name;        /* the area's name in lang (NULL: the dataset's) */
	const char *other_file;       /* the same page in the other language, beside it, or NULL */
	enum publish_lang other_lang;
};

/* An area's section in page->lang (page NULL: English, no other language), linking to the page
 * in the other language (hreflang) when there is one. */
void publish_html_area_lang(const struct dataset *ds, const struct defs *defs,
			    const struct policy *pol, const char *area,
			    const struct publish_release *rel, const struct publish_html_page *page,
			    struct strbuf *out);

/* The national summary page; lists the files already in b; says in Welsh (lang="cy") that the
 * Welsh areas' sections are also in Welsh, naming them as ref does. pol, rel: as above. */
void publish_html_index(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
			const struct areas *ref, const struct bundle *b,
			const struct publish_release *rel, struct strbuf *out);

#endif
