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

/* Wraps a paragraph built in note, then empties note. */
static void wrap_note(struct strbuf *out, struct strbuf *note)
{
	if (strbuf_ok(note) != 0)
		out->failed = 1;
	else if (note->data)
		publish_text_wrap(out, note->data, PUBLISH_TEXT_WIDTH);
	strbuf_release(note);
}

static void area_table(const struct ptable *t, void *ctx, const char *caption)
{
	static const char *const shorts[] = { NULL, "Category 1", "Category 2", "Category 3", "Total" };
	struct strbuf *out = ctx;
	int grid = t->ncols == 5 && strcmp(ptable_heading(t, 0), "Level") == 0;

	publish_text_table(t, caption, grid ? shorts : NULL, out);
}

void publish_text_area(const struct dataset *ds, const struct defs *defs, const char *area,
		       const struct publish_release *rel, struct strbuf *out)
{
	struct publish_release r;
	unsigned symbols = 0;
	char plabel[16];
	const struct dataset_area *a = publish_find_area(ds, area);
	struct strbuf note = STRBUF_INIT;
	size_t start;

	publish_period_label(ds, plabel, sizeof plabel);
	start = out->len;
	strbuf_addf(out, "MAPPA statistics: %s, %s", publish_area_name(ds, area), plabel);
	{
		size_t w = out->failed ? 0 : utf8_width(out->data + start);
		strbuf_puts(out, "\n");
		while (w--)
			strbuf_puts(out, "=");
	}
	strbuf_puts(out, "\n\n");
	publish_release_resolve(&r, rel, ds->period);
	publish_text_release(&r, &note);
	wrap_note(out, &note);
	strbuf_puts(out, "\n");
	if (a && a->state == AREA_MISSING)
		strbuf_puts(out, "This area sent no valid return for the period: its figures are not available [x].\n\n");
	strbuf_puts(out, "Figures for Category 4 (terrorism and terrorism risk offenders) are not published for\n"
			 "areas; they are included in the national tables. Totals are over Categories 1-3.\n\n");
	if (publish_layout_area_tables(ds, defs, area, PUBLISH_EN, NULL, area_table, out, &symbols) != 0)
		out->failed = 1;
	publish_population_note(ds, area, &note);
	wrap_note(out, &note);
	strbuf_puts(out, "\nSymbols\n");
	for (int s = OBS_PRIMARY; s < OBS_STATUS_COUNT; s++) {
		const char *l = s == OBS_NA ? publish_symbol_lines[1] : s == OBS_MISSING ? publish_symbol_lines[2] : publish_symbol_lines[0];
		if (!(symbols >> s & 1u))
			continue;
		if (s == OBS_SECONDARY || s == OBS_WITHHELD) {
			if (symbols & (1u << OBS_PRIMARY))
				continue;
			if (s == OBS_WITHHELD && (symbols & (1u << OBS_SECONDARY)))
				continue;
		}
		publish_text_wrap(out, l, PUBLISH_TEXT_WIDTH);
	}
}
