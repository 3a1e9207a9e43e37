/*
 * publish_html: the HTML pages (see publish_html.h), written through libxml2's xmlTextWriter
 * (xhtml.h): the writer escapes every text and attribute value.
 */
#include "publish_html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pivot.h"
#include "publish.h"
#include "publish_chart.h"
#include "publish_layout.h"
#include "publish_private.h"
#include "xhtml.h"

struct html_ctx {
	struct xhtml *h;
	enum publish_lang lang;
};

static void population_html(const struct dataset *ds, const char *area, enum publish_lang lang,
			    struct xhtml *h)
{
	struct strbuf note = STRBUF_INIT;
	publish_population_note_lang(ds, area, lang, &note);
	if (strbuf_ok(&note) != 0)
		h->failed = 1;
	xhtml_element(h, "p", note.data);
	xhtml_nl(h);
	strbuf_release(&note);
}

/* <tag attr="value"> for a start tag with one attribute. */
static void start1(struct xhtml *h, const char *tag, const char *attr, const char *value)
{
	xhtml_start(h, tag);
	xhtml_attr(h, attr, value);
}

/*
 * A table in a region that scrolls by itself when the screen is narrower than the table (the
 * page never does), focusable and labelled by the caption so that keyboards reach it.
 */
static void table_html(const struct ptable *t, struct xhtml *h, int report_style, const char *caption,
		       enum publish_lang lang)
{
	char buf[64];
	size_t id = xhtml_next_id(h);

	if (ptable_ok(t) != 0)
		h->failed = 1;
	start1(h, "div", "class", "scroll");
	xhtml_attr(h, "role", "region");
	xhtml_attr(h, "tabindex", "0");
	xhtml_attrf(h, "aria-labelledby", "table%zu", id);
	xhtml_nl(h);
	xhtml_start(h, "table");
	xhtml_nl(h);
	xhtml_start(h, "caption");
	xhtml_attrf(h, "id", "table%zu", id);
	xhtml_text(h, caption ? caption : t->title);
	xhtml_end(h);
	xhtml_nl(h);
	xhtml_start(h, "thead");
	xhtml_nl(h);
	xhtml_start(h, "tr");
	for (size_t c = 0; c < t->ncols; c++) {
		const char *head = ptable_heading(t, c);
		start1(h, "th", "scope", "col");
		xhtml_text_n(h, head, publish_notes_at(head));
		xhtml_end(h);
	}
	xhtml_end(h);
	xhtml_nl(h);
	xhtml_end(h);
	xhtml_nl(h);
	xhtml_start(h, "tbody");
	xhtml_nl(h);
	for (size_t r = 0; r < t->nrows; r++) {
		xhtml_start(h, "tr");
		for (size_t c = 0; c < t->ncols; c++) {
			const struct ptable_cell *cell = ptable_at(t, r, c);
			int rowhead = c < t->row_headers && (t->row_headers == 1 || c == 1);
			if (rowhead)
				start1(h, "th", "scope", "row");
			else if (cell->kind == PTABLE_TEXT)
				xhtml_start(h, "td");
			else
				start1(h, "td", "class", "num");
			if (cell->kind == PTABLE_NUMBER) {
				xhtml_text(h, pivot_format_number(cell->number, buf, sizeof buf));
				if (cell->revised) {
					xhtml_text(h, " ");
					start1(h, "abbr", "title", publish_msg(lang, MSG_ABBR_R)); /* QA: English on the Welsh pages */
					xhtml_text(h, "[r]");
					xhtml_end(h);
				}
			} else if (cell->kind == PTABLE_SYMBOL) {
				const char *sym = publish_display_symbol(ptable_cell_text(cell), report_style);
				start1(h, "abbr", "title", publish_msg(lang, strcmp(sym, "[c]") == 0 ? MSG_ABBR_C :
								     strcmp(sym, "[x]") == 0 ? MSG_ABBR_X : MSG_ABBR_Z));
				xhtml_text(h, sym);
				xhtml_end(h);
			} else {
				xhtml_text(h, ptable_cell_text(cell));
			}
			xhtml_end(h);
		}
		xhtml_end(h);
		xhtml_nl(h);
	}
	xhtml_end(h);
	xhtml_nl(h);
	xhtml_end(h);
	xhtml_nl(h);
	xhtml_end(h);
	xhtml_nl(h);
}

/* Phones first: nothing is wider than the screen but a table's own scrolling region; links are
   at least 24 px high; the chart scales with its viewBox. */
static const char css[] =
	"body{font-family:Arial,Helvetica,sans-serif;margin:1em;max-width:70em;color:#0b0c0c;line-height:1.4;overflow-wrap:break-word}"
	".scroll{overflow-x:auto;max-width:100%;margin:1em 0 2em}"
	"table{border-collapse:collapse}caption{font-weight:bold;text-align:left;padding:.3em 0}"
	"th,td{border:1px solid #b1b4b6;padding:.3em .6em;vertical-align:top}thead th{background:#f3f2f1}"
	"th[scope=row]{text-align:left;font-weight:normal;white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	"abbr{text-decoration:none}a{color:#1d70b8;display:inline-block;min-height:24px;min-width:24px;padding:2px 0}"
	"li{margin:.3em 0}.note{font-size:.95em}"
	"figure{margin:1em 0}svg{display:block;width:100%;max-width:62em;height:auto}"
	".release{display:flex;flex-wrap:wrap;gap:.2em 1.5em;margin:0 0 1.5em;padding:.6em .8em;background:#f3f2f1;font-size:.95em}"
	".release div{display:flex;flex-wrap:wrap;gap:0 .4em;align-items:baseline;max-width:100%}"
	".release dt{font-weight:bold}.release dd{margin:0;min-width:0;overflow-wrap:anywhere}"
	"@media (min-width:40em){body{margin:1.5em}}";

/*
 * Opens the page in lang and its head, up to <main>; other: the file of the same page in
 * other_lang (beside it), or NULL when there is none. Search engines and browsers find the
 * other language by the alternate link. Returns 0, or -1 out of memory.
 */
static int page_open(struct xhtml *h, const char *title, enum publish_lang lang,
		     const char *other, enum publish_lang other_lang)
{
	if (xhtml_open(h, 1) != 0)
		return -1;
	start1(h, "html", "lang", publish_msg(lang, MSG_LANG_CODE));
	xhtml_nl(h);
	xhtml_start(h, "head");
	xhtml_nl(h);
	start1(h, "meta", "charset", "utf-8");
	xhtml_end_void(h);
	xhtml_nl(h);
	start1(h, "meta", "name", "viewport");
	xhtml_attr(h, "content", "width=device-width, initial-scale=1");
	xhtml_end_void(h);
	xhtml_nl(h);
	if (other) {
		start1(h, "link", "rel", "alternate");
		xhtml_attr(h, "hreflang", publish_msg(other_lang, MSG_LANG_CODE));
		xhtml_attr(h, "href", other);
		xhtml_end_void(h);
		xhtml_nl(h);
	}
	xhtml_element(h, "title", title);
	xhtml_nl(h);
	xhtml_element(h, "style", css);
	xhtml_nl(h);
	xhtml_end(h);
	xhtml_nl(h);
	xhtml_start(h, "body");
	xhtml_nl(h);
	xhtml_start(h, "main");
	xhtml_nl(h);
	return 0;
}

/* Closes main, body and html, and appends the page to out. */
static void page_close(struct xhtml *h, struct strbuf *out)
{
	xhtml_end(h);   /* main */
	xhtml_nl(h);
	xhtml_end(h);   /* body */
	xhtml_nl(h);
	xhtml_end(h);   /* html */
	xhtml_finish(h, out);
}

/* The release metadata, near the top of every page. */
static void release_html(const struct publish_release *r, enum publish_lang lang, struct xhtml *h)
{
	struct publish_release_item it[PUBLISH_RELEASE_ITEMS];
	publish_release_items_lang(r, lang, it);
	start1(h, "dl", "class", "release");
	xhtml_nl(h);
	for (size_t i = 0; i < PUBLISH_RELEASE_ITEMS; i++) {
		xhtml_start(h, "div");
		xhtml_element(h, "dt", it[i].label);
		xhtml_start(h, "dd");
		if (it[i].href[0]) {
			start1(h, "a", "href", it[i].href);
			xhtml_text(h, it[i].value);
			xhtml_end(h);
		} else {
			xhtml_text(h, it[i].value);
		}
		xhtml_end(h);
		xhtml_end(h);
		xhtml_nl(h);
	}
	xhtml_end(h);
	xhtml_nl(h);
}

static void area_html_one(const struct ptable *t, void *ctx, const char *caption)
{
	struct html_ctx *c = ctx;
	table_html(t, c->h, 1, caption, c->lang);
}

/* A national table (ctx: the page), captioned with its own title, as on the summary page. */
static void national_html_one(const struct ptable *t, void *ctx, const char *caption)
{
	(void)caption;
	table_html(t, ctx, 0, NULL, PUBLISH_EN);
}

/* A paragraph of one text, and a line break. */
static void para(struct xhtml *h, const char *text)
{
	xhtml_element(h, "p", text);
	xhtml_nl(h);
}

/* A paragraph of one strong text. */
static void para_strong(struct xhtml *h, const char *text)
{
	xhtml_start(h, "p");
	xhtml_element(h, "strong", text);
	xhtml_end(h);
	xhtml_nl(h);
}

/* A short visible key to the symbols before the tables (the list under "Symbols" says more). */
static void symbols_key(struct xhtml *h, enum publish_lang lang)
{
	start1(h, "p", "class", "note");
	xhtml_text(h, publish_msg(lang, MSG_SYMBOLS_KEY));
	start1(h, "a", "href", "#symbols");
	xhtml_text(h, publish_msg(lang, MSG_SYMBOLS_LINK));
	xhtml_end(h);
	xhtml_text(h, ".");
	xhtml_end(h);
	xhtml_nl(h);
}

static void symbols_html(struct xhtml *h, const struct policy *pol, unsigned symbols,
			 enum publish_lang lang, int national)
{
	static const struct { unsigned mask; enum publish_msg msg; } items[] = {
		{ (1u << OBS_PRIMARY) | (1u << OBS_SECONDARY) | (1u << OBS_WITHHELD), MSG_SYMBOL_C },
		{ 1u << OBS_NA, MSG_SYMBOL_Z },
		{ 1u << OBS_MISSING, MSG_SYMBOL_X },
		{ 1u << PTABLE_REVISED, MSG_SYMBOL_R },
	};
	start1(h, "h2", "id", "symbols");
	xhtml_text(h, publish_msg(lang, MSG_SYMBOLS_HEADING));
	xhtml_end(h);
	xhtml_nl(h);
	start1(h, "ul", "class", "note");
	xhtml_nl(h);
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
		if (symbols & items[i].mask) {
			struct strbuf line = STRBUF_INIT;
			publish_symbol_line(pol, lang, items[i].msg, national, &line);
			if (strbuf_ok(&line) != 0)
				h->failed = 1;
			xhtml_element(h, "li", line.data);
			xhtml_nl(h);
			strbuf_release(&line);
		}
	xhtml_end(h);
	xhtml_nl(h);
}

void publish_html_area(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
		       const char *area, const struct publish_release *rel, struct strbuf *out)
{
	publish_html_area_lang(ds, defs, pol, area, rel, NULL, out);
}

void publish_html_area_lang(const struct dataset *ds, const struct defs *defs,
			    const struct policy *pol, const char *area,
			    const struct publish_release *rel, const struct publish_html_page *page,
			    struct strbuf *out)
{
	struct publish_release r;
	struct xhtml h;
	enum publish_lang lang = page ? page->lang : PUBLISH_EN;
	struct html_ctx c = { &h, lang };
	unsigned symbols = 0;
	char plabel[16];
	const struct dataset_area *a = dataset_area_find(ds, area);
	const char *name = page && page->area_name ? page->area_name : publish_area_name(ds, area);
	const char *other = page ? page->other_file : NULL;
	enum publish_lang other_lang = page ? page->other_lang : PUBLISH_EN;
	struct strbuf title = STRBUF_INIT;
	struct policy def;

	pol = publish_policy(pol, &def);
	publish_period_label(ds, plabel, sizeof plabel);
	strbuf_addf(&title, publish_msg(lang, MSG_PAGE_TITLE), name, plabel);
	if (strbuf_ok(&title) != 0 || page_open(&h, title.data, lang, other, other_lang) != 0) {
		out->failed = 1;
		xhtml_release(&h);
		strbuf_release(&title);
		return;
	}
	/* the summary is in English: a Welsh page says so, in the link and its hreflang */
	xhtml_start(&h, "p");
	start1(&h, "a", "href", "../index.html");
	if (lang != PUBLISH_EN)
		xhtml_attr(&h, "hreflang", "en");
	xhtml_text(&h, publish_msg(lang, MSG_SUMMARY_LINK));
	xhtml_end(&h);
	xhtml_end(&h);
	xhtml_nl(&h);
	if (other) {
		/* the link names the other language in that language, marked as such */
		xhtml_start(&h, "p");
		xhtml_text(&h, publish_msg(lang, MSG_OTHER_LANG_INTRO));
		xhtml_text(&h, " ");
		start1(&h, "a", "href", other);
		xhtml_attr(&h, "hreflang", publish_msg(other_lang, MSG_LANG_CODE));
		xhtml_attr(&h, "lang", publish_msg(other_lang, MSG_LANG_CODE));
		xhtml_text(&h, publish_msg(other_lang, MSG_LANG_NAME));
		xhtml_end(&h);
		xhtml_end(&h);
		xhtml_nl(&h);
	}
	xhtml_element(&h, "h1", title.data);
	xhtml_nl(&h);
	publish_release_resolve(&r, rel, ds->period);
	release_html(&r, lang, &h);
	para(&h, publish_msg(lang, MSG_INTRO));
	if (a && a->state == AREA_MISSING)
		para_strong(&h, publish_msg(lang, MSG_AREA_MISSING));
	para(&h, publish_msg(lang, MSG_CATEGORY4));
	symbols_key(&h, lang);
	if (publish_layout_area_tables(ds, defs, pol, area, lang, name, area_html_one, &c, &symbols) != 0)
		h.failed = 1;
	population_html(ds, area, lang, &h);
	symbols_html(&h, pol, symbols, lang, 0);
	page_close(&h, out);
	strbuf_release(&title);
}


/* ---- the summary page ---- */

/* A link to an area's Welsh page, " (Cymraeg)", for an area that has one. */
static void welsh_link(struct xhtml *h, const char *code, const char *name)
{
	char file[160];

	if (!publish_lang_has_welsh(code))
		return;
	publish_lang_area_file(code, name, PUBLISH_CY, file, sizeof file);
	xhtml_text(h, " (");
	xhtml_start(h, "a");
	xhtml_attrf(h, "href", "areas/%s", file);
	xhtml_attr(h, "hreflang", "cy");
	xhtml_attr(h, "lang", "cy");
	xhtml_text(h, publish_msg(PUBLISH_CY, MSG_LANG_NAME));
	xhtml_end(h);
	xhtml_text(h, ")");
}

void publish_html_index(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
			const struct areas *ref, const struct bundle *b, const struct publish_release *rel, struct strbuf *out)
{
	struct ptable t;
	struct policy def;
	struct xhtml h;
	char plabel[16], title[300], slug[80];
	unsigned symbols = 0;

	pol = publish_policy(pol, &def);
	publish_period_label(ds, plabel, sizeof plabel);
	snprintf(title, sizeof title, "MAPPA statistics: England and Wales, %s", plabel);
	if (page_open(&h, title, PUBLISH_EN, NULL, PUBLISH_EN) != 0) {
		out->failed = 1;
		xhtml_release(&h);
		return;
	}
	xhtml_element(&h, "h1", title);
	xhtml_nl(&h);
	release_html(rel, PUBLISH_EN, &h);
	para(&h, "Multi-Agency Public Protection Arrangements (MAPPA): national "
		 "figures from the yearly returns of the MAPPA areas of England and Wales.");
	{
		struct strbuf cy = STRBUF_INIT;
		if (publish_welsh_summary(ds, ref, PUBLISH_CY, 0, &cy) > 0) {
			if (strbuf_ok(&cy) != 0)
				h.failed = 1;
			start1(&h, "p", "lang", "cy");
			xhtml_text(&h, cy.data);
			xhtml_end(&h);
			xhtml_nl(&h);
		}
		strbuf_release(&cy);
	}
	if (ds->incomplete) {
		struct strbuf missing = STRBUF_INIT;
		publish_missing_sentence(ds, &missing);
		if (strbuf_ok(&missing) != 0)
			h.failed = 1;
		para_strong(&h, missing.data);
		strbuf_release(&missing);
	}
	symbols_key(&h, PUBLISH_EN);
	xhtml_element(&h, "h2", "Rate per 100,000 by area");
	xhtml_nl(&h);
	publish_chart_rates(ds, defs, &h);
	if (defs->nrates) {
		/* the chart's figures as a table, for screen readers and for reading off values */
		char caption[200];
		publish_layout_areas(&t, ds, defs, pol, (unsigned)defs->ntables);
		symbols |= t.symbols;
		snprintf(caption, sizeof caption, "Rate per 100,000 population aged 10 and over, by MAPPA area, %s", plabel);
		table_html(&t, &h, 0, caption, PUBLISH_EN);
		ptable_release(&t);
	}
	xhtml_element(&h, "h2", "National tables");
	xhtml_nl(&h);
	if (publish_layout_area_tables(ds, defs, pol, ds->national_code, PUBLISH_EN, NULL,
				       national_html_one, &h, &symbols) != 0)
		h.failed = 1;
	population_html(ds, ds->national_code, PUBLISH_EN, &h);
	symbols_html(&h, pol, symbols, PUBLISH_EN, 1); /* national tables and areas' rates */
	xhtml_element(&h, "h2", "Areas");
	xhtml_nl(&h);
	xhtml_start(&h, "ul");
	xhtml_nl(&h);
	for (size_t i = 0; i < ds->nareas; i++) {
		publish_slug(ds->areas[i].name, slug, sizeof slug);
		xhtml_start(&h, "li");
		xhtml_start(&h, "a");
		xhtml_attrf(&h, "href", "areas/%s-%s.html", ds->areas[i].code, slug);
		xhtml_text(&h, ds->areas[i].name);
		xhtml_end(&h);
		welsh_link(&h, ds->areas[i].code, ds->areas[i].name);
		xhtml_end(&h);
		xhtml_nl(&h);
	}
	xhtml_end(&h);
	xhtml_nl(&h);
	xhtml_element(&h, "h2", "Files in this bundle");
	xhtml_nl(&h);
	xhtml_start(&h, "ul");
	xhtml_nl(&h);
	for (size_t i = 0; i < b->nfiles; i++) {
		if (strncmp(b->files[i].path, "areas/", 6) == 0)
			continue;
		xhtml_start(&h, "li");
		start1(&h, "a", "href", b->files[i].path);
		xhtml_text(&h, b->files[i].path);
		xhtml_end(&h);
		xhtml_end(&h);
		xhtml_nl(&h);
	}
	xhtml_element(&h, "li", "areas/: each area's statistics as HTML and plain text (the four Welsh areas' also in Welsh)");
	xhtml_nl(&h);
	xhtml_element(&h, "li", "MANIFEST.sha256: checksums of every file (sha256sum -c MANIFEST.sha256)");
	xhtml_nl(&h);
	xhtml_end(&h);
	xhtml_nl(&h);
	page_close(&h, out);
}
