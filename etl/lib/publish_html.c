#include "publish_html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "htmlesc.h"
#include "pivot.h"
#include "publish.h"
#include "publish_chart.h"
#include "publish_layout.h"
#include "publish_private.h"

struct html_ctx {
	struct strbuf *out;
	enum publish_lang lang;
};


/* An area's population note in Welsh (the national page is in English only). */
static void population_note_cy(const struct dataset *ds, const char *area, struct strbuf *out)
{
	const struct dataset_area *a = publish_find_area(ds, area);
	char buf[32];

	strbuf_puts(out, publish_msg(PUBLISH_CY, MSG_POP_NOTE));
	strbuf_puts(out, pivot_format_number(a ? a->population : 0, buf, sizeof buf));
	if (a && !a->population_approximate)
		strbuf_addf(out, publish_msg(PUBLISH_CY, MSG_POP_OFFICIAL), ds->population_source);
	else
		strbuf_puts(out, publish_msg(PUBLISH_CY, MSG_POP_APPROXIMATE));
}

static void population_html(const struct dataset *ds, const char *area, enum publish_lang lang,
			    struct strbuf *out)
{
	struct strbuf note = STRBUF_INIT;
	if (lang == PUBLISH_CY && strcmp(area, ds->national_code) != 0)
		population_note_cy(ds, area, &note);
	else
		publish_population_note(ds, area, &note);
	strbuf_puts(out, "<p>");
	if (strbuf_ok(&note) == 0 && note.data)
		htmlesc_append(out, note.data);
	else
		out->failed = 1;
	strbuf_puts(out, "</p>\n");
	strbuf_release(&note);
}

static size_t count_in(const struct strbuf *sb, const char *what)
{
	size_t n = 0;
	if (!sb->data)
		return 0;
	for (const char *p = strstr(sb->data, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

/*
 * A table in a region that scrolls by itself when the screen is narrower than the table (the
 * page never does), focusable and labelled by the caption so that keyboards reach it.
 */
static void rt_html(const struct ptable *t, struct strbuf *out, int report_style, const char *caption,
		    enum publish_lang lang)
{
	char buf[64];
	size_t id = count_in(out, "<caption id=") + 1;

	strbuf_addf(out, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"table%zu\">\n"
		    "<table>\n<caption id=\"table%zu\">", id, id);
	htmlesc_append(out, caption ? caption : t->title);
	strbuf_puts(out, "</caption>\n<thead>\n<tr>");
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = ptable_heading(t, c);
		strbuf_puts(out, "<th scope=\"col\">");
		char *plain = strndup(h, publish_notes_at(h));
		if (!plain)
			out->failed = 1;
		htmlesc_append(out, plain);
		free(plain);
		strbuf_puts(out, "</th>");
	}
	strbuf_puts(out, "</tr>\n</thead>\n<tbody>\n");
	for (size_t r = 0; r < t->nrows; r++) {
		strbuf_puts(out, "<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			const struct ptable_cell *cell = ptable_at(t, r, c);
			int rowhead = c < t->row_headers && (t->row_headers == 1 || c == 1);
			strbuf_puts(out, rowhead ? "<th scope=\"row\">" : cell->kind == PTABLE_TEXT ? "<td>" : "<td class=\"num\">");
			if (cell->kind == PTABLE_NUMBER) {
				htmlesc_append(out, pivot_format_number(cell->number, buf, sizeof buf));
				if (cell->revised)
					strbuf_puts(out, " <abbr title=\"revised\">[r]</abbr>");
			} else if (cell->kind == PTABLE_SYMBOL) {
				const char *sym = publish_display_symbol(ptable_cell_text(cell), report_style);
				strbuf_puts(out, "<abbr title=\"");
				strbuf_puts(out, publish_msg(lang, strcmp(sym, "[c]") == 0 ? MSG_ABBR_C :
							 strcmp(sym, "[x]") == 0 ? MSG_ABBR_X : MSG_ABBR_Z));
				strbuf_puts(out, "\">");
				htmlesc_append(out, sym);
				strbuf_puts(out, "</abbr>");
			} else
				htmlesc_append(out, ptable_cell_text(cell));
			strbuf_puts(out, rowhead ? "</th>" : "</td>");
		}
		strbuf_puts(out, "</tr>\n");
	}
	strbuf_puts(out, "</tbody>\n</table>\n</div>\n");
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
 * The page's head in lang; other: the file of the same page in other_lang (beside it), or NULL
 * when there is none. Search engines and browsers find the other language by the alternate link.
 */
static void html_head_lang(struct strbuf *out, const char *title, enum publish_lang lang,
			   const char *other, enum publish_lang other_lang)
{
	strbuf_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
		    publish_msg(lang, MSG_LANG_CODE));
	if (other) {
		strbuf_addf(out, "<link rel=\"alternate\" hreflang=\"%s\" href=\"",
			    publish_msg(other_lang, MSG_LANG_CODE));
		htmlesc_append(out, other);
		strbuf_puts(out, "\">\n");
	}
	strbuf_puts(out, "<title>");
	htmlesc_append(out, title);
	strbuf_puts(out, "</title>\n<style>");
	strbuf_puts(out, css);
	strbuf_puts(out, "</style>\n</head>\n<body>\n<main>\n");
}

static void html_head(struct strbuf *out, const char *title)
{
	html_head_lang(out, title, PUBLISH_EN, NULL, PUBLISH_EN);
}

/* The release items in lang: labels, dates, source and licence translated; the values the
 * producer configured (names, addresses) as they are. */
static void release_items_lang(const struct publish_release *r, enum publish_lang lang,
			       struct publish_release_item *it)
{
	char d[60];

	publish_release_items(r, it);
	if (lang == PUBLISH_EN)
		return;
	for (size_t i = 0; i < PUBLISH_RELEASE_ITEMS; i++)
		it[i].label = publish_msg(lang, (enum publish_msg)(MSG_REL_DATE + i));
	snprintf(it[0].value, sizeof it[0].value, "%s", publish_lang_date(lang, r->date, d, sizeof d));
	snprintf(it[1].value, sizeof it[1].value, "%s%s", publish_lang_date(lang, r->next, d, sizeof d),
		 publish_msg(lang, MSG_REL_PROVISIONAL));
	snprintf(it[3].value, sizeof it[3].value, "%s", publish_msg(lang, MSG_REL_SOURCE_TEXT));
	snprintf(it[8].value, sizeof it[8].value, "%s", publish_msg(lang, MSG_REL_LICENCE_TEXT));
	snprintf(it[8].href, sizeof it[8].href, "%s", publish_msg(lang, MSG_REL_LICENCE_URL));
}

/* The release metadata, near the top of every page. */
static void release_html(const struct publish_release *r, enum publish_lang lang, struct strbuf *out)
{
	struct publish_release_item it[PUBLISH_RELEASE_ITEMS];
	release_items_lang(r, lang, it);
	strbuf_puts(out, "<dl class=\"release\">\n");
	for (size_t i = 0; i < PUBLISH_RELEASE_ITEMS; i++) {
		strbuf_puts(out, "<div><dt>");
		htmlesc_append(out, it[i].label);
		strbuf_puts(out, "</dt><dd>");
		if (it[i].href[0]) {
			strbuf_puts(out, "<a href=\"");
			htmlesc_append(out, it[i].href);
			strbuf_puts(out, "\">");
		}
		htmlesc_append(out, it[i].value);
		if (it[i].href[0])
			strbuf_puts(out, "</a>");
		strbuf_puts(out, "</dd></div>\n");
	}
	strbuf_puts(out, "</dl>\n");
}

static void area_html_one(const struct ptable *t, void *ctx, const char *caption)
{
	struct html_ctx *c = ctx;
	rt_html(t, c->out, 1, caption, c->lang);
}

/* A short visible key to the symbols before the tables (the list under "Symbols" says more). */
static void symbols_key(struct strbuf *out, enum publish_lang lang)
{
	strbuf_puts(out, "<p class=\"note\">");
	htmlesc_append(out, publish_msg(lang, MSG_SYMBOLS_KEY));
	strbuf_puts(out, "<a href=\"#symbols\">");
	htmlesc_append(out, publish_msg(lang, MSG_SYMBOLS_LINK));
	strbuf_puts(out, "</a>.</p>\n");
}

static void symbols_html(struct strbuf *out, unsigned symbols, enum publish_lang lang)
{
	strbuf_puts(out, "<h2 id=\"symbols\">");
	htmlesc_append(out, publish_msg(lang, MSG_SYMBOLS_HEADING));
	strbuf_puts(out, "</h2>\n<ul class=\"note\">\n");
	if (symbols & ((1u << OBS_PRIMARY) | (1u << OBS_SECONDARY) | (1u << OBS_WITHHELD))) {
		strbuf_puts(out, "<li>");
		htmlesc_append(out, publish_msg(lang, MSG_SYMBOL_C));
		strbuf_puts(out, "</li>\n");
	}
	if (symbols & (1u << OBS_NA)) {
		strbuf_puts(out, "<li>");
		htmlesc_append(out, publish_msg(lang, MSG_SYMBOL_Z));
		strbuf_puts(out, "</li>\n");
	}
	if (symbols & (1u << OBS_MISSING)) {
		strbuf_puts(out, "<li>");
		htmlesc_append(out, publish_msg(lang, MSG_SYMBOL_X));
		strbuf_puts(out, "</li>\n");
	}
	strbuf_puts(out, "</ul>\n");
}

void publish_html_area(const struct dataset *ds, const struct defs *defs, const char *area,
		       const struct publish_release *rel, struct strbuf *out)
{
	publish_html_area_lang(ds, defs, area, rel, NULL, out);
}

void publish_html_area_lang(const struct dataset *ds, const struct defs *defs, const char *area,
			    const struct publish_release *rel, const struct publish_html_page *page,
			    struct strbuf *out)
{
	struct publish_release r;
	enum publish_lang lang = page ? page->lang : PUBLISH_EN;
	struct html_ctx c = { out, lang };
	unsigned symbols = 0;
	char plabel[16], title[300];
	const struct dataset_area *a = publish_find_area(ds, area);
	const char *name = page && page->area_name ? page->area_name : publish_area_name(ds, area);
	const char *other = page ? page->other_file : NULL;
	enum publish_lang other_lang = page ? page->other_lang : PUBLISH_EN;

	publish_period_label(ds, plabel, sizeof plabel);
	snprintf(title, sizeof title, publish_msg(lang, MSG_PAGE_TITLE), name, plabel);
	html_head_lang(out, title, lang, other, other_lang);
	/* the summary is in English: a Welsh page says so, in the link and its hreflang */
	strbuf_addf(out, "<p><a href=\"../index.html\"%s>", lang != PUBLISH_EN ? " hreflang=\"en\"" : "");
	htmlesc_append(out, publish_msg(lang, MSG_SUMMARY_LINK));
	strbuf_puts(out, "</a></p>\n");
	if (other) {
		/* the link names the other language in that language, marked as such */
		strbuf_puts(out, "<p>");
		htmlesc_append(out, publish_msg(lang, MSG_OTHER_LANG_INTRO));
		strbuf_addf(out, " <a href=\"");
		htmlesc_append(out, other);
		strbuf_addf(out, "\" hreflang=\"%s\" lang=\"%s\">", publish_msg(other_lang, MSG_LANG_CODE),
			    publish_msg(other_lang, MSG_LANG_CODE));
		htmlesc_append(out, publish_msg(other_lang, MSG_LANG_NAME));
		strbuf_puts(out, "</a></p>\n");
	}
	strbuf_puts(out, "<h1>");
	htmlesc_append(out, title);
	strbuf_puts(out, "</h1>\n");
	publish_release_resolve(&r, rel, ds->period);
	release_html(&r, lang, out);
	strbuf_puts(out, "<p>");
	htmlesc_append(out, publish_msg(lang, MSG_INTRO));
	strbuf_puts(out, "</p>\n");
	if (a && a->state == AREA_MISSING) {
		strbuf_puts(out, "<p><strong>");
		htmlesc_append(out, publish_msg(lang, MSG_AREA_MISSING));
		strbuf_puts(out, "</strong></p>\n");
	}
	strbuf_puts(out, "<p>");
	htmlesc_append(out, publish_msg(lang, MSG_CATEGORY4));
	strbuf_puts(out, "</p>\n");
	symbols_key(out, lang);
	if (publish_layout_area_tables(ds, defs, area, lang, name, area_html_one, &c, &symbols) != 0)
		out->failed = 1;
	population_html(ds, area, lang, out);
	symbols_html(out, symbols, lang);
	strbuf_puts(out, "</main>\n</body>\n</html>\n");
}


/* ---- the summary page ---- */

void publish_html_index(const struct dataset *ds, const struct defs *defs, const struct bundle *b,
			const struct publish_release *rel, struct strbuf *out)
{
	struct ptable t;
	char plabel[16], title[300], slug[80];
	unsigned order[DEFS_MAX_TABLES + DEFS_MAX_RATES], symbols = 0;
	size_t n = publish_stat_order(defs, order);
	int singles_done = 0;

	publish_period_label(ds, plabel, sizeof plabel);
	snprintf(title, sizeof title, "MAPPA statistics: England and Wales, %s", plabel);
	html_head(out, title);
	strbuf_puts(out, "<h1>");
	htmlesc_append(out, title);
	strbuf_puts(out, "</h1>\n");
	release_html(rel, PUBLISH_EN, out);
	strbuf_puts(out, "<p>Multi-Agency Public Protection Arrangements (MAPPA): national "
			 "figures from the yearly returns of the MAPPA areas of England and Wales.</p>\n");
	if (ds->incomplete) {
		struct strbuf missing = STRBUF_INIT;
		publish_missing_sentence(ds, &missing);
		if (strbuf_ok(&missing) != 0)
			out->failed = 1;
		strbuf_puts(out, "<p><strong>");
		htmlesc_append(out, missing.data);
		strbuf_puts(out, "</strong></p>\n");
		strbuf_release(&missing);
	}
	symbols_key(out, PUBLISH_EN);
	strbuf_puts(out, "<h2>Rate per 100,000 by area</h2>\n");
	publish_chart_rates(ds, defs, out);
	if (defs->nrates) {
		/* the chart's figures as a table, for screen readers and for reading off values */
		char caption[200];
		publish_layout_areas(&t, ds, defs, (unsigned)defs->ntables);
		symbols |= t.symbols;
		snprintf(caption, sizeof caption, "Rate per 100,000 population aged 10 and over, by MAPPA area, %s", plabel);
		if (ptable_ok(&t) != 0)
			out->failed = 1;
		rt_html(&t, out, 0, caption, PUBLISH_EN);
		ptable_release(&t);
	}
	strbuf_puts(out, "<h2>National tables</h2>\n");
	for (size_t i = 0; i < n; i++) {
		unsigned s = order[i];
		if (publish_is_single(defs, s)) {
			if (singles_done)
				continue;
			singles_done = 1;
			publish_layout_singles(&t, ds, defs, ds->national_code, PUBLISH_EN, NULL);
		} else {
			publish_layout_grid(&t, ds, defs, ds->national_code, s, PUBLISH_EN, NULL);
		}
		symbols |= t.symbols;
		if (ptable_ok(&t) != 0)
			out->failed = 1;
		rt_html(&t, out, 0, NULL, PUBLISH_EN);
		ptable_release(&t);
	}
	population_html(ds, ds->national_code, PUBLISH_EN, out);
	symbols_html(out, symbols, PUBLISH_EN);
	strbuf_puts(out, "<h2>Areas</h2>\n<ul>\n");
	for (size_t i = 0; i < ds->nareas; i++) {
		publish_slug(ds->areas[i].name, slug, sizeof slug);
		strbuf_addf(out, "<li><a href=\"areas/%s-%s.html\">", ds->areas[i].code, slug);
		htmlesc_append(out, ds->areas[i].name);
		strbuf_puts(out, "</a>");
		publish_html_welsh_link(ds->areas[i].code, ds->areas[i].name, out);
		strbuf_puts(out, "</li>\n");
	}
	strbuf_puts(out, "</ul>\n<h2>Files in this bundle</h2>\n<ul>\n");
	for (size_t i = 0; i < b->nfiles; i++) {
		if (strncmp(b->files[i].path, "areas/", 6) == 0)
			continue;
		strbuf_puts(out, "<li><a href=\"");
		htmlesc_append(out, b->files[i].path);
		strbuf_puts(out, "\">");
		htmlesc_append(out, b->files[i].path);
		strbuf_puts(out, "</a></li>\n");
	}
	strbuf_puts(out, "<li>areas/: each area's statistics as HTML and plain text (the four Welsh areas' also in Welsh)</li>\n"
			 "<li>MANIFEST.sha256: checksums of every file (sha256sum -c MANIFEST.sha256)</li>\n"
			 "</ul>\n</main>\n</body>\n</html>\n");
}


void publish_html_welsh_link(const char *code, const char *name, struct strbuf *out)
{
	char file[160];

	if (!publish_lang_has_welsh(code))
		return;
	publish_lang_area_file(code, name, PUBLISH_CY, file, sizeof file);
	strbuf_puts(out, " (<a href=\"areas/");
	htmlesc_append(out, file);
	strbuf_puts(out, "\" hreflang=\"cy\" lang=\"cy\">");
	htmlesc_append(out, publish_msg(PUBLISH_CY, MSG_LANG_NAME));
	strbuf_puts(out, "</a>)");
}
