/*
 * publish_text: the plain-text sections (see publish_text.h).
 */
#include "publish_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pivot.h"
#include "publish_layout.h"
#include "publish_private.h"

#define SOURCE_TEXT "the yearly statistical returns of the MAPPA areas of England and Wales"

static size_t utf8_width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static void pad(struct strbuf *out, size_t n)
{
	while (n--)
		strbuf_add(out, " ", 1);
}

void publish_text_table(const struct ptable *t, const char *title, const char *const *heads,
			struct strbuf *out)
{
	size_t ncells = t->nrows * t->ncols;
	size_t *width = calloc(t->ncols ? t->ncols : 1, sizeof *width);
	char **head = calloc(t->ncols ? t->ncols : 1, sizeof *head);
	char (*nums)[48] = calloc(ncells ? ncells : 1, sizeof *nums);
	const char **shown = calloc(ncells ? ncells : 1, sizeof *shown);

	if (!width || !head || !nums || !shown) {
		out->failed = 1;
		goto out;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = heads && heads[c] ? heads[c] : ptable_heading(t, c);
		if (!(head[c] = strndup(h, publish_notes_at(h)))) {
			out->failed = 1;
			goto out;
		}
		width[c] = utf8_width(head[c]);
	}
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			const struct ptable_cell *cell = ptable_at(t, r, c);
			size_t i = r * t->ncols + c, w;
			if (cell->kind == PTABLE_NUMBER) {
				char num[32];
				snprintf(nums[i], sizeof nums[i], "%s%s",
					 pivot_format_number(cell->number, num, sizeof num),
					 cell->revised ? " [r]" : "");
				shown[i] = nums[i];
			} else if (cell->kind == PTABLE_SYMBOL) {
				shown[i] = publish_display_symbol(ptable_cell_text(cell), 1);
			} else {
				shown[i] = ptable_cell_text(cell);
			}
			w = utf8_width(shown[i]);
			if (w > width[c])
				width[c] = w;
		}
	strbuf_puts(out, title ? title : t->title ? t->title : "");
	strbuf_puts(out, "\n\n");
	for (size_t c = 0; c < t->ncols; c++) {
		size_t w = utf8_width(head[c]);
		if (c) {
			strbuf_puts(out, "  ");
			pad(out, width[c] - w);
		}
		strbuf_puts(out, head[c]);
		if (!c && t->ncols > 1)
			pad(out, width[c] - w);
	}
	strbuf_puts(out, "\n");
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const struct ptable_cell *cell = ptable_at(t, r, c);
			const char *s = shown[r * t->ncols + c];
			size_t w = utf8_width(s);
			if (c)
				strbuf_puts(out, "  ");
			if (c && cell->kind != PTABLE_TEXT)
				pad(out, width[c] - w);
			strbuf_puts(out, s);
			if (cell->kind == PTABLE_TEXT && c + 1 < t->ncols)
				pad(out, width[c] - w);
		}
		strbuf_puts(out, "\n");
	}
	strbuf_puts(out, "\n");
out:
	if (head)
		for (size_t c = 0; c < t->ncols; c++)
			free(head[c]);
	free(head);
	free(width);
	free(nums);
	free(shown);
}

void publish_text_wrap(struct strbuf *out, const char *s, size_t width)
{
	size_t col = 0, indent = strncmp(s, "- ", 2) == 0 ? 2 : 0;
	int first = 1;

	for (;;) {
		size_t n;
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		n = strcspn(s, " ");
		if (!first && col + 1 + n > width) {
			strbuf_puts(out, "\n");
			pad(out, indent);
			col = indent;
			first = 1;
		}
		if (!first) {
			strbuf_puts(out, " ");
			col++;
		}
		strbuf_add(out, s, n);
		col += n;
		first = 0;
		s += n;
	}
	strbuf_puts(out, "\n");
}

void publish_text_release(const struct publish_release *r, struct strbuf *out)
{
	struct publish_release_item it[PUBLISH_RELEASE_ITEMS];
	publish_release_items(r, it);
	strbuf_addf(out, "Published %s by %s. Next release: %s. Source: %s. Contact: %s, %s, "
		    "telephone %s. Methodology: %s. Licence: %s (%s).", it[0].value, it[2].value,
		    it[1].value, SOURCE_TEXT, it[4].value, it[5].value, it[6].value, it[7].value,
		    it[8].value, it[8].href);
}

void publish_text_wrap_para(struct strbuf *out, struct strbuf *para)
{
	if (strbuf_ok(para) != 0)
		out->failed = 1;
	else if (para->data)
		publish_text_wrap(out, para->data, PUBLISH_TEXT_WIDTH);
	strbuf_release(para);
}

struct area_ctx {
	struct strbuf *out;
	enum publish_lang lang;
};

static void area_table(const struct ptable *t, void *ctx, const char *caption)
{
	static const char *const shorts[] = { NULL, "Category 1", "Category 2", "Category 3", "Total" };
	const struct area_ctx *c = ctx;
	int grid = t->ncols == 5 && strcmp(ptable_heading(t, 0), publish_msg(c->lang, MSG_LEVEL)) == 0;
	char heads[3][40];
	const char *lang_shorts[5];

	if (!grid || c->lang == PUBLISH_EN) {
		publish_text_table(t, caption, grid ? shorts : NULL, c->out);
		return;
	}
	lang_shorts[0] = NULL;
	for (int k = 0; k < 3; k++) {
		snprintf(heads[k], sizeof heads[k], publish_msg(c->lang, MSG_CATEGORY_N), k + 1);
		lang_shorts[k + 1] = heads[k];
	}
	lang_shorts[4] = publish_msg(c->lang, MSG_TOTAL);
	publish_text_table(t, caption, lang_shorts, c->out);
}

/* The title, underlined with '=' to its width. */
static void text_title(struct strbuf *out, const char *fmt, const char *name, const char *plabel)
{
	size_t start = out->len, w;

	strbuf_addf(out, fmt, name, plabel);
	w = out->failed ? 0 : utf8_width(out->data + start);
	strbuf_puts(out, "\n");
	while (w--)
		strbuf_puts(out, "=");
	strbuf_puts(out, "\n\n");
}

/* The symbols shown, each explained once (primary, secondary and withheld are all [c]; [r]
   last, when a number is marked revised). */
static void symbols_text(struct strbuf *out, const struct policy *pol, enum publish_lang lang,
			 unsigned symbols)
{
	struct strbuf note = STRBUF_INIT;

	strbuf_addf(out, "\n%s\n", publish_msg(lang, MSG_SYMBOLS_HEADING));
	for (int s = OBS_PRIMARY; s < OBS_STATUS_COUNT; s++) {
		enum publish_msg l = s == OBS_NA ? MSG_SYMBOL_Z : s == OBS_MISSING ? MSG_SYMBOL_X : MSG_SYMBOL_C;
		if (!(symbols >> s & 1u))
			continue;
		if (s == OBS_SECONDARY || s == OBS_WITHHELD) {
			if (symbols & (1u << OBS_PRIMARY))
				continue;
			if (s == OBS_WITHHELD && (symbols & (1u << OBS_SECONDARY)))
				continue;
		}
		publish_symbol_line(pol, lang, l, 0, &note); /* an area's page */
		publish_text_wrap_para(out, &note);
	}
	if (symbols >> PTABLE_REVISED & 1u) {
		publish_symbol_line(pol, lang, MSG_SYMBOL_R, 0, &note);
		publish_text_wrap_para(out, &note);
	}
}

/* The section in Welsh (or another language but English): every sentence from publish_lang,
 * the labels from the definitions, the release metadata as labelled lines. */
static void area_text_other(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
			    const char *area, enum publish_lang lang, const char *area_name,
			    const struct publish_release *r, struct strbuf *out)
{
	struct publish_release_item it[PUBLISH_RELEASE_ITEMS];
	struct area_ctx c = { out, lang };
	struct strbuf note = STRBUF_INIT;
	unsigned symbols = 0;
	char plabel[16];
	const struct dataset_area *a = dataset_area_find(ds, area);

	publish_period_label(ds, plabel, sizeof plabel);
	text_title(out, publish_msg(lang, MSG_PAGE_TITLE), area_name, plabel);
	publish_release_items_lang(r, lang, it);
	for (size_t i = 0; i < PUBLISH_RELEASE_ITEMS; i++) {
		strbuf_addf(&note, "%s: %s", it[i].label, it[i].value);
		if (it[i].href[0] && strcmp(it[i].href, it[i].value) != 0 && strncmp(it[i].href, "mailto:", 7) != 0)
			strbuf_addf(&note, " (%s)", it[i].href);
		publish_text_wrap_para(out, &note);
	}
	strbuf_puts(out, "\n");
	publish_text_wrap(out, publish_msg(lang, MSG_INTRO), PUBLISH_TEXT_WIDTH);
	strbuf_puts(out, "\n");
	if (a && a->state == AREA_MISSING) {
		publish_text_wrap(out, publish_msg(lang, MSG_AREA_MISSING), PUBLISH_TEXT_WIDTH);
		strbuf_puts(out, "\n");
	}
	publish_text_wrap(out, publish_msg(lang, MSG_CATEGORY4), PUBLISH_TEXT_WIDTH);
	strbuf_puts(out, "\n");
	if (publish_layout_area_tables(ds, defs, pol, area, lang, area_name, area_table, &c, &symbols) != 0)
		out->failed = 1;
	publish_population_note_lang(ds, area, lang, &note);
	publish_text_wrap_para(out, &note);
	symbols_text(out, pol, lang, symbols);
}

void publish_text_area(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
		       const char *area,
		       const struct publish_release *rel, struct strbuf *out)
{
	struct publish_release r;
	unsigned symbols = 0;
	char plabel[16];
	const struct dataset_area *a = dataset_area_find(ds, area);
	struct strbuf note = STRBUF_INIT;
	struct area_ctx c = { out, PUBLISH_EN };
	struct policy def;

	pol = publish_policy(pol, &def);
	publish_period_label(ds, plabel, sizeof plabel);
	text_title(out, "MAPPA statistics: %s, %s", publish_area_name(ds, area), plabel);
	publish_release_resolve(&r, rel, ds->period);
	publish_text_release(&r, &note);
	publish_text_wrap_para(out, &note);
	strbuf_puts(out, "\n");
	if (a && a->state == AREA_MISSING)
		strbuf_puts(out, "This area sent no valid return for the period: its figures are not available [x].\n\n");
	strbuf_puts(out, "Figures for Category 4 (terrorism and terrorism risk offenders) are not published for\n"
			 "areas; they are included in the national tables. Totals are over Categories 1-3.\n\n");
	if (publish_layout_area_tables(ds, defs, pol, area, PUBLISH_EN, NULL, area_table, &c, &symbols) != 0)
		out->failed = 1;
	publish_population_note(ds, area, &note);
	publish_text_wrap_para(out, &note);
	symbols_text(out, pol, PUBLISH_EN, symbols);
}

void publish_text_area_lang(const struct dataset *ds, const struct defs *defs,
			    const struct policy *pol, const char *area, enum publish_lang lang,
			    const char *area_name, const struct publish_release *rel,
			    struct strbuf *out)
{
	struct publish_release r;
	struct policy def;

	if (lang == PUBLISH_EN) {
		publish_text_area(ds, defs, pol, area, rel, out);
		return;
	}
	pol = publish_policy(pol, &def);
	publish_release_resolve(&r, rel, ds->period);
	area_text_other(ds, defs, pol, area, lang, area_name ? area_name : publish_area_name(ds, area),
			&r, out);
}
