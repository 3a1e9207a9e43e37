/*
 * publish_text: the plain-text outputs of the bundle: each area's statistics section
 * (areas/CODE-NAME.txt, laid out as in the annual report: the release line, the tables with
 * their columns padded, the population note and the symbols used), and the text helpers that
 * README.txt shares (wrapping at a width, the release line). Appends to out (a failed
 * allocation marks out failed).
 */
#ifndef MAPPA_PUBLISH_TEXT_H
#define MAPPA_PUBLISH_TEXT_H

#include <stddef.h>

#include "dataset.h"
#include "defs.h"
#include "policy.h"
#include "ptable.h"
#include "publish_lang.h"
#include "publish_release.h"
#include "strbuf.h"

/* The width at which the text files wrap. */
#define PUBLISH_TEXT_WIDTH 92

/* A table: title (NULL: t's own), then its columns padded to their widths, labels left and
 * figures right; heads: replacement headings per column (NULL, or NULL entries: t's own). */
void publish_text_table(const struct ptable *t, const char *title, const char *const *heads,
			struct strbuf *out);
/* s wrapped at width columns and ended by a newline; a "- " item's continuation lines are
 * indented to its text. */
void publish_text_wrap(struct strbuf *out, const char *s, size_t width);
/* The paragraph built in para wrapped at PUBLISH_TEXT_WIDTH, as publish_text_wrap; para is
 * emptied (released). A failed para marks out failed and appends nothing. */
void publish_text_wrap_para(struct strbuf *out, struct strbuf *para);
/* The release metadata as one paragraph (no newline). */
void publish_text_release(const struct publish_release *r, struct strbuf *out);
/* An area's statistics section (area: an area code of ds); pol: the disclosure policy (NULL: the
 * shipped default); rel NULL: the demo defaults. In English; publish_text_area_lang: in lang,
 * area_name the area's name in lang (NULL: its name in ds). */
void publish_text_area(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
		       const char *area,
		       const struct publish_release *rel, struct strbuf *out);
void publish_text_area_lang(const struct dataset *ds, const struct defs *defs,
			    const struct policy *pol, const char *area, enum publish_lang lang,
			    const char *area_name, const struct publish_release *rel,
			    struct strbuf *out);

#endif
