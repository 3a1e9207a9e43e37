#include "publish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "ods.h"
#include "pivot.h"
#include "publish_html.h"
#include "publish_private.h"
#include "publish_series.h"
#include "sdmx.h"

/* Copies s into dst of size bytes, cut if need be (never in the middle of a UTF-8 sequence). */
static void copy_str(char *dst, size_t size, const char *s)
{
	size_t n = strlen(s);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void rt_text(struct rtable *t, size_t r, size_t c, const char *s)
{
	t->cell[r][c].kind = RT_TEXT;
	copy_str(t->cell[r][c].text, sizeof t->cell[r][c].text, s);
}

static void rt_value(struct rtable *t, size_t r, size_t c, const struct pivot_value *v)
{
	if (v->published) {
		t->cell[r][c].kind = RT_NUMBER;
		t->cell[r][c].number = v->value;
		t->cell[r][c].revised = v->revised;
	} else {
		t->cell[r][c].kind = RT_SYMBOL;
		snprintf(t->cell[r][c].text, sizeof t->cell[r][c].text, "%s", v->symbol);
		t->symbols |= 1u << v->status;
	}
}

int publish_period_years(const char *period, int *first, int *second)
{
	int a, b;
	if (strlen(period) != 7 || period[4] != '-')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (period[i] < '0' || period[i] > '9'))
			return -1;
	a = atoi(period);
	b = atoi(period + 5);
	if (a < 1990 || a > 9998 || b != (a + 1) % 100)
		return -1;
	*first = a;
	*second = a + 1;
	return 0;
}

const char *publish_slug(const char *name, char *buf, size_t size)
{
	size_t n = 0;
	int dash = 0;

	for (const char *p = name; *p && n + 2 < size; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n)
				buf[n++] = '-';
			buf[n++] = c;
			dash = 0;
		} else {
			dash = 1;
		}
	}
	if (n == 0 && size > 5) {
		memcpy(buf, "area", 4);
		n = 4;
	}
	buf[n] = '\0';
	return buf;
}

/* Statistics in the order of the annual report's section. */
size_t publish_stat_order(const struct defs *defs, unsigned *out)
{
	static const char *const seed[] = { "eligible", "managedAtLevel23", "notificationBreach",
		"notificationRevoked", "shpo", "shpoForeignTravel", "notificationOrder", "sroBreach",
		"returnedToCustody", "shpoBreach" };
	size_t n = 0;
	unsigned total = dataset_stat_count(defs);
	unsigned char used[DEFS_MAX_TABLES + DEFS_MAX_RATES] = { 0 };

	for (size_t i = 0; i < sizeof seed / sizeof seed[0]; i++) {
		int s = dataset_stat_find(defs, seed[i]);
		if (s >= 0 && (unsigned)s < defs->ntables) {
			out[n++] = (unsigned)s;
			used[s] = 1;
		}
	}
	for (unsigned s = 0; s < total; s++)
		if (!used[s])
			out[n++] = s;
	return n;
}

int publish_is_single(const struct defs *defs, unsigned stat)
{
	return stat < defs->ntables && !pivot_has_categories(defs, stat) && !pivot_has_levels(defs, stat);
}

const char *publish_area_name(const struct dataset *ds, const char *code)
{
	if (strcmp(code, ds->national_code) == 0)
		return ds->national_name;
	for (size_t i = 0; i < ds->nareas; i++)
		if (strcmp(ds->areas[i].code, code) == 0)
			return ds->areas[i].name;
	return code;
}

const struct dataset_area *publish_find_area(const struct dataset *ds, const char *code)
{
	for (size_t i = 0; i < ds->nareas; i++)
		if (strcmp(ds->areas[i].code, code) == 0)
			return &ds->areas[i];
	return NULL;
}

/* Population aged 10 and over: an area's, or the sum of the areas that sent a return. */
static long long population_of(const struct dataset *ds, const char *code, int *approximate)
{
	long long sum = 0;
	*approximate = 0;
	for (size_t i = 0; i < ds->nareas; i++) {
		const struct dataset_area *a = &ds->areas[i];
		if (strcmp(code, a->code) == 0) {
			*approximate = a->population_approximate;
			return a->population;
		}
		if (a->state == AREA_PRESENT) {
			sum += a->population;
			*approximate |= a->population_approximate;
		}
	}
	return strcmp(code, ds->national_code) == 0 ? sum : 0;
}

/* The title of a statistic with the year where it names a day ("on 31 March 2023"). */
void publish_stat_title(const struct dataset *ds, const struct defs *defs, unsigned stat,
		       char *buf, size_t size)
{
	publish_stat_title_lang(ds, defs, stat, PUBLISH_EN, buf, size);
}

void publish_stat_title_lang(const struct dataset *ds, const struct defs *defs, unsigned stat,
			     enum publish_lang lang, char *buf, size_t size)
{
	int y1 = 0, y2 = 0;
	const char *code = publish_msg(lang, MSG_LANG_CODE);
	const char *t = stat < defs->ntables
		? defs_title(defs->tables[stat].title, defs->tables[stat].title_cy, code)
		: defs_title(defs->rates[stat - defs->ntables].title,
			     defs->rates[stat - defs->ntables].title_cy, code);
	char day[40];
	size_t n = strlen(t), k;
	/* "31 March", "31 Mawrth": the day the stock is counted, in the title's language */
	publish_lang_date(lang, "2000-03-31", day, sizeof day);
	k = strlen(day) - 5;
	publish_period_years(ds->period, &y1, &y2);
	if (n >= k && strncmp(t + n - k, day, k) == 0)
		snprintf(buf, size, "%s %d", t, y2);
	else
		snprintf(buf, size, "%s", t);
}

/* A category's column label in lang (as pivot_category_label in English). */
static const char *category_label(int cat, enum publish_lang lang)
{
	switch (cat) {
	case 1: return publish_msg(lang, MSG_CATEGORY_1);
	case 2: return publish_msg(lang, MSG_CATEGORY_2);
	case 3: return publish_msg(lang, MSG_CATEGORY_3);
	case 4: return publish_msg(lang, MSG_CATEGORY_4);
	case CAT_ALL: return publish_msg(lang, MSG_CATEGORY_ALL);
	case CAT_1_3: return publish_msg(lang, MSG_CATEGORY_1_3);
	default: return publish_msg(lang, MSG_NUMBER);
	}
}

/* A level's row label in lang: "Level 2", "Total" (as pivot_level_label in English). */
static const char *level_label(int level, enum publish_lang lang, char *buf, size_t size)
{
	if (level == LEVEL_ALL)
		return publish_msg(lang, MSG_TOTAL);
	if (level < 1 || level > 3)
		return "";
	snprintf(buf, size, publish_msg(lang, MSG_LEVEL_N), level);
	return buf;
}

void publish_period_label(const struct dataset *ds, char *buf, size_t size)
{
	int y1 = 0, y2 = 0;
	publish_period_years(ds->period, &y1, &y2);
	snprintf(buf, size, "%d/%02d", y1, y2 % 100);
}

/* ---- release metadata and populations ---- */

#define SOURCE_TEXT "the yearly statistical returns of the MAPPA areas of England and Wales"

static size_t count_approximate(const struct dataset *ds)
{
	size_t n = 0;
	for (size_t i = 0; i < ds->nareas; i++)
		n += ds->areas[i].population_approximate != 0;
	return n;
}

/* "North Wales sent no valid return ...": the areas without a return, by name. */
void publish_missing_sentence(const struct dataset *ds, char *buf, size_t size)
{
	size_t n = 0, k = 0, len;

	for (size_t i = 0; i < ds->nareas; i++)
		n += ds->areas[i].state == AREA_MISSING;
	buf[0] = '\0';
	for (size_t i = 0; i < ds->nareas; i++) {
		if (ds->areas[i].state != AREA_MISSING)
			continue;
		k++;
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", k == 1 ? "" : k == n ? " and " : ", ", ds->areas[i].name);
	}
	len = strlen(buf);
	snprintf(buf + len, size - len, " sent no valid return for the period: %s figures are not "
		 "available [x], and the national figures cover the other %zu area%s.",
		 n == 1 ? "its" : "their", ds->nareas - n, ds->nareas - n == 1 ? "" : "s");
}

/*
 * Where the populations come from, as one paragraph: the official source only for the areas
 * whose population is that source's figure; every approximation called one, with how it was
 * made (ref's approximationSource and approximationMethod, when ref has them).
 */
static void population_sources(const struct dataset *ds, const struct areas *ref, struct strbuf *out)
{
	size_t approx = count_approximate(ds), n = ds->nareas;

	if (approx == 0) {
		strbuf_addf(out, "Population aged 10 and over, the denominator of the rate per 100,000: %s.",
			    ds->population_source);
		return;
	}
	if (approx == n)
		strbuf_addf(out, "Population aged 10 and over, the denominator of the rate per 100,000: "
			    "the population%s of %s %zu area%s %s approximation%s, not official estimates.",
			    n == 1 ? "" : "s", n == 1 ? "the" : "all", n, n == 1 ? "" : "s",
			    n == 1 ? "is an" : "are", n == 1 ? "" : "s");
	else
		strbuf_addf(out, "Population aged 10 and over, the denominator of the rate per 100,000: "
			    "%s for %zu area%s; the population%s of the other %zu %s approximation%s, not "
			    "official estimates.", ds->population_source, n - approx, n - approx == 1 ? "" : "s",
			    approx == 1 ? "" : "s", approx, approx == 1 ? "is an" : "are", approx == 1 ? "" : "s");
	if (ref && ref->approximation_method[0])
		strbuf_addf(out, " Each approximation is %s.", ref->approximation_method);
	if (ref && ref->approximation_source[0])
		strbuf_addf(out, " Made from: %s.", ref->approximation_source);
	strbuf_puts(out, " The rates per 100,000 that use them are approximate too, and will change "
			 "when the official estimates replace them.");
}

/* The table of stat for one area or the nation, as in the annual report. */
void publish_rt_grid(struct rtable *t, const struct dataset *ds, const struct defs *defs,
		    const char *area, unsigned stat)
{
	publish_rt_grid_lang(t, ds, defs, area, stat, PUBLISH_EN, NULL);
}

void publish_rt_grid_lang(struct rtable *t, const struct dataset *ds, const struct defs *defs,
			  const char *area, unsigned stat, enum publish_lang lang,
			  const char *area_name)
{
	struct pivot_grid g;
	char title[300], plabel[16], per[32], lev[32];
	int national = strcmp(area, ds->national_code) == 0;

	if (!area_name)
		area_name = publish_area_name(ds, area);
	memset(t, 0, sizeof *t);
	publish_stat_title_lang(ds, defs, stat, lang, title, sizeof title);
	publish_period_label(ds, plabel, sizeof plabel);
	snprintf(t->title, sizeof t->title, "%s, %s, %s", title, area_name, plabel);
	pivot_grid(ds, defs, area, stat, &g);
	t->row_headers = 1;
	t->ncols = g.ncols + 1;
	t->nrows = g.nrows;
	if (pivot_is_rate(defs, stat)) {
		int approx;
		long long pop = population_of(ds, area, &approx);
		snprintf(t->head[0], sizeof t->head[0], "%s", publish_msg(lang, MSG_AREA));
		snprintf(t->head[1], sizeof t->head[1], "%s%s [note 5]", publish_msg(lang, MSG_POPULATION),
			 approx ? publish_msg(lang, MSG_APPROXIMATE) : "");
		snprintf(t->head[2], sizeof t->head[2], publish_msg(lang, MSG_RATE_PER),
			 pivot_format_number(defs->rates[stat - defs->ntables].per, per, sizeof per));
		t->ncols = 3;
		rt_text(t, 0, 0, area_name);
		if (pop > 0) {
			t->cell[0][1].kind = RT_NUMBER;
			t->cell[0][1].number = pop;
		} else {
			rt_text(t, 0, 1, "[x]");
			t->cell[0][1].kind = RT_SYMBOL;
			t->symbols |= 1u << OBS_MISSING;
		}
		rt_value(t, 0, 2, &g.cell[0][0]);
		return;
	}
	snprintf(t->head[0], sizeof t->head[0], "%s",
		 publish_msg(lang, g.row_level[0] == LEVEL_NONE ? MSG_MEASURE : MSG_LEVEL));
	for (size_t c = 0; c < g.ncols; c++) {
		const char *label = category_label(g.col_cat[c], lang);
		if (g.col_cat[c] == CAT_1_3)
			snprintf(t->head[c + 1], sizeof t->head[0], "%s [note 2]", label);
		else if (g.col_cat[c] == 4)
			snprintf(t->head[c + 1], sizeof t->head[0], "%s [note 1]", label);
		else
			snprintf(t->head[c + 1], sizeof t->head[0], "%s", label);
	}
	for (size_t r = 0; r < g.nrows; r++) {
		rt_text(t, r, 0, g.row_level[r] == LEVEL_NONE ? title
					 : level_label(g.row_level[r], lang, lev, sizeof lev));
		for (size_t c = 0; c < g.ncols; c++)
			rt_value(t, r, c + 1, &g.cell[r][c]);
	}
	(void)national;
}

/* The all-areas table of stat: one row per area, the area's grid laid out along the row. */
void publish_rt_areas(struct rtable *t, const struct dataset *ds, const struct defs *defs, unsigned stat)
{
	struct pivot_grid g;
	char title[300], plabel[16], per[32];
	size_t col = 2;

	memset(t, 0, sizeof *t);
	publish_stat_title(ds, defs, stat, title, sizeof title);
	publish_period_label(ds, plabel, sizeof plabel);
	snprintf(t->title, sizeof t->title, "%s, by MAPPA area, %s", title, plabel);
	t->row_headers = 2;
	snprintf(t->head[0], sizeof t->head[0], "Area code");
	snprintf(t->head[1], sizeof t->head[1], "Area name");
	if (ds->nareas == 0)
		return;
	pivot_grid(ds, defs, ds->areas[0].code, stat, &g);
	if (pivot_is_rate(defs, stat)) {
		snprintf(t->head[2], sizeof t->head[2], "Population aged 10 and over%s [note 5]",
			 count_approximate(ds) ? " (approximate)" : "");
		snprintf(t->head[3], sizeof t->head[3], "Rate per %s population aged 10 and over",
			 pivot_format_number(defs->rates[stat - defs->ntables].per, per, sizeof per));
		col = 4;
	} else {
		for (size_t r = 0; r < g.nrows; r++)
			for (size_t c = 0; c < g.ncols; c++) {
				char *h = t->head[col++];
				const char *lev = g.row_level[r] == LEVEL_ALL ? "all levels" : pivot_level_label(g.row_level[r]);
				if (g.col_cat[c] == CAT_NONE && g.row_level[r] == LEVEL_NONE)
					snprintf(h, sizeof t->head[0], "Number");
				else if (g.col_cat[c] == CAT_NONE)
					snprintf(h, sizeof t->head[0], "%s", g.row_level[r] == LEVEL_ALL ? "Total" : lev);
				else if (g.col_cat[c] == CAT_1_3)
					snprintf(h, sizeof t->head[0], "Total (categories 1-3), %s [note 2]", lev);
				else
					snprintf(h, sizeof t->head[0], "Category %d, %s", g.col_cat[c], lev);
			}
	}
	t->ncols = col;
	for (size_t a = 0; a < ds->nareas && a < RT_ROWS && a < AREAS_MAX; a++) {
		const struct dataset_area *da = &ds->areas[a];
		rt_text(t, a, 0, da->code);
		rt_text(t, a, 1, da->name);
		if (pivot_is_rate(defs, stat)) {
			struct pivot_value v = pivot_get(ds, defs, da->code, stat, CAT_NONE, LEVEL_NONE);
			t->cell[a][2].kind = RT_NUMBER;
			t->cell[a][2].number = da->population;
			rt_value(t, a, 3, &v);
		} else {
			struct pivot_grid ag;
			size_t k = 2;
			pivot_grid(ds, defs, da->code, stat, &ag);
			for (size_t r = 0; r < ag.nrows; r++)
				for (size_t c = 0; c < ag.ncols; c++)
					rt_value(t, a, k++, &ag.cell[r][c]);
		}
	}
	t->nrows = ds->nareas < RT_ROWS ? ds->nareas : RT_ROWS;
}

/* The single counts of one area or the nation, one row each (the report's small tables). */
void publish_rt_singles(struct rtable *t, const struct dataset *ds, const struct defs *defs,
		       const char *area)
{
	publish_rt_singles_lang(t, ds, defs, area, PUBLISH_EN, NULL);
}

void publish_rt_singles_lang(struct rtable *t, const struct dataset *ds, const struct defs *defs,
			     const char *area, enum publish_lang lang, const char *area_name)
{
	unsigned order[DEFS_MAX_TABLES + DEFS_MAX_RATES];
	size_t n = publish_stat_order(defs, order);
	char plabel[16];

	memset(t, 0, sizeof *t);
	publish_period_label(ds, plabel, sizeof plabel);
	snprintf(t->title, sizeof t->title, "%s, %s, %s", publish_msg(lang, MSG_SINGLES_TITLE),
		 area_name ? area_name : publish_area_name(ds, area), plabel);
	t->row_headers = 1;
	t->ncols = 2;
	snprintf(t->head[0], sizeof t->head[0], "%s", publish_msg(lang, MSG_MEASURE));
	snprintf(t->head[1], sizeof t->head[1], "%s", publish_msg(lang, MSG_NUMBER));
	for (size_t i = 0; i < n; i++) {
		char title[300];
		struct pivot_value v;
		if (!publish_is_single(defs, order[i]) || t->nrows == RT_ROWS)
			continue;
		publish_stat_title_lang(ds, defs, order[i], lang, title, sizeof title);
		v = pivot_get(ds, defs, area, order[i], CAT_NONE, LEVEL_NONE);
		rt_text(t, t->nrows, 0, title);
		rt_value(t, t->nrows, 1, &v);
		t->nrows++;
	}
}

/* ---- renderers ---- */

static void rt_csv(const struct rtable *t, struct strbuf *out)
{
	const char *f[RT_COLS];
	char nums[RT_COLS][32], heads[RT_COLS][160];

	for (size_t c = 0; c < t->ncols; c++) {
		publish_strip_notes(t->head[c], heads[c], sizeof heads[c]);
		f[c] = heads[c];
	}
	csv_row(out, f, t->ncols);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const struct rt_cell *cell = &t->cell[r][c];
			if (cell->kind == RT_NUMBER) {
				snprintf(nums[c], sizeof nums[c], "%lld%s", cell->number, cell->revised ? " [r]" : "");
				f[c] = nums[c];
			} else {
				f[c] = cell->text;
			}
		}
		csv_row(out, f, t->ncols);
	}
}

/* Drops " [note N]" markers for HTML and text, where the notes follow the table. */
void publish_strip_notes(const char *in, char *out, size_t size)
{
	const char *p = strstr(in, " [note ");
	size_t n = p ? (size_t)(p - in) : strlen(in);
	if (n >= size)
		n = size - 1;
	memcpy(out, in, n);
	out[n] = '\0';
}

/* Category 3 at level 1 cannot exist: the annual reports show "-" there. */
const char *publish_display_symbol(const struct rt_cell *cell, int report_style)
{
	if (report_style && strcmp(cell->text, "[z]") == 0)
		return "-";
	return cell->text;
}

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

/* Plain text: the title, then columns padded to width; labels left, figures right. */
static void rt_txt(const struct rtable *t, struct strbuf *out, const char *const *short_heads)
{
	size_t width[RT_COLS] = { 0 };
	char buf[RT_ROWS][RT_COLS][40];
	char head[RT_COLS][200];

	for (size_t c = 0; c < t->ncols; c++) {
		publish_strip_notes(short_heads && short_heads[c] ? short_heads[c] : t->head[c], head[c], sizeof head[c]);
		width[c] = utf8_width(head[c]);
	}
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			const struct rt_cell *cell = &t->cell[r][c];
			const char *s = cell->kind == RT_NUMBER
				? pivot_format_number(cell->number, buf[r][c], sizeof buf[r][c])
				: cell->kind == RT_SYMBOL ? publish_display_symbol(cell, 1) : cell->text;
			if (cell->kind != RT_NUMBER)
				snprintf(buf[r][c], sizeof buf[r][c], "%s", s);
			else if (cell->revised)
				snprintf(buf[r][c] + strlen(buf[r][c]), sizeof buf[r][c] - strlen(buf[r][c]), " [r]");
			if (cell->kind == RT_TEXT && utf8_width(cell->text) > width[c])
				width[c] = utf8_width(cell->text);
			else if (utf8_width(buf[r][c]) > width[c])
				width[c] = utf8_width(buf[r][c]);
		}
	strbuf_puts(out, t->title);
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
			const struct rt_cell *cell = &t->cell[r][c];
			const char *s = cell->kind == RT_TEXT ? cell->text : buf[r][c];
			size_t w = utf8_width(s);
			if (c)
				strbuf_puts(out, "  ");
			if (c && cell->kind != RT_TEXT)
				pad(out, width[c] - w);
			strbuf_puts(out, s);
			if (cell->kind == RT_TEXT && c + 1 < t->ncols)
				pad(out, width[c] - w);
		}
		strbuf_puts(out, "\n");
	}
	strbuf_puts(out, "\n");
}

/* ---- CSV files ---- */

/* The published table of stat for a file (CSV, a workbook sheet): national or all areas. */
static void rt_published(struct rtable *t, const struct dataset *ds, const struct defs *defs,
			 unsigned stat, int national)
{
	if (national && publish_is_single(defs, stat)) {
		/* one row in the all-areas layout */
		struct pivot_value v = pivot_get(ds, defs, ds->national_code, stat, CAT_NONE, LEVEL_NONE);
		char title[300], plabel[16];
		memset(t, 0, sizeof *t);
		publish_stat_title(ds, defs, stat, title, sizeof title);
		publish_period_label(ds, plabel, sizeof plabel);
		snprintf(t->title, sizeof t->title, "%s, %s, %s", title, ds->national_name, plabel);
		t->ncols = 3;
		t->nrows = 1;
		t->row_headers = 2;
		snprintf(t->head[0], sizeof t->head[0], "Area code");
		snprintf(t->head[1], sizeof t->head[1], "Area name");
		snprintf(t->head[2], sizeof t->head[2], "Number");
		rt_text(t, 0, 0, ds->national_code);
		rt_text(t, 0, 1, ds->national_name);
		rt_value(t, 0, 2, &v);
	} else if (national) {
		publish_rt_grid(t, ds, defs, ds->national_code, stat);
	} else {
		publish_rt_areas(t, ds, defs, stat);
	}
}

void publish_table_csv(const struct dataset *ds, const struct defs *defs, unsigned stat,
		       int national, struct strbuf *out)
{
	struct rtable *t = malloc(sizeof *t);
	if (!t) {
		out->failed = 1;
		return;
	}
	rt_published(t, ds, defs, stat, national);
	rt_csv(t, out);
	free(t);
}

/* Calls fn for every published row of the long form, in order: nation, areas by code. */
typedef void (*row_fn)(const struct dataset *ds, const struct defs *defs, const char *area,
		       unsigned stat, int cat, int level, const struct pivot_value *v, struct strbuf *out);

static void each_row(const struct dataset *ds, const struct defs *defs, row_fn fn, struct strbuf *out)
{
	for (size_t a = 0; a <= ds->nareas; a++) {
		const char *code = a == 0 ? ds->national_code : ds->areas[a - 1].code;
		for (unsigned s = 0; s < dataset_stat_count(defs); s++) {
			int cats[32], levels[32];
			size_t n = pivot_keys(defs, s, a == 0, cats, levels, 32);
			for (size_t k = 0; k < n; k++) {
				struct pivot_value v = pivot_get(ds, defs, code, s, cats[k], levels[k]);
				fn(ds, defs, code, s, cats[k], levels[k], &v, out);
			}
		}
	}
}

static void obs_row(const struct dataset *ds, const struct defs *defs, const char *area,
		    unsigned stat, int cat, int level, const struct pivot_value *v, struct strbuf *out)
{
	char num[32];
	const char *f[8];
	snprintf(num, sizeof num, "%lld", v->value);
	f[0] = ds->period;
	f[1] = area;
	f[2] = publish_area_name(ds, area);
	f[3] = dataset_stat_name(defs, stat);
	f[4] = defs_category_name(cat);
	f[5] = defs_level_name(level);
	f[6] = v->published ? num : "";
	f[7] = v->published ? "" : v->symbol;
	csv_row(out, f, 8);
}

void publish_observations_csv(const struct dataset *ds, const struct defs *defs, struct strbuf *out)
{
	static const char *const head[] = { "period", "area_code", "area_name", "table", "category",
					    "level", "value", "status" };
	csv_row(out, head, 8);
	each_row(ds, defs, obs_row, out);
}

/* ---- the area sections ---- */

const char *const publish_symbol_lines[] = {
	"[c] confidential: withheld so that no individual can be identified. A count of 1 or 2 is "
	"not published, nor any figure from which such a count could be worked out; Category 4 "
	"figures are never published for an area and appear only in the national tables.",
	"- (or [z]) not applicable: Category 3 individuals cannot be managed at level 1.",
	"[x] not available: the area sent no valid return for the period.",
};

/* The report's tables for one area, in its order; calls back per table. */
void publish_area_tables(const struct dataset *ds, const struct defs *defs, const char *area,
			enum publish_lang lang, const char *area_name,
			void (*fn)(const struct rtable *t, void *ctx, const char *caption), void *ctx,
			unsigned *symbols)
{
	unsigned order[DEFS_MAX_TABLES + DEFS_MAX_RATES];
	size_t n = publish_stat_order(defs, order);
	struct rtable *t = malloc(sizeof *t);
	int singles_done = 0;

	if (!t)
		return;
	for (size_t i = 0; i < n; i++) {
		char title[300];
		unsigned s = order[i];
		if (publish_is_single(defs, s)) {
			if (singles_done)
				continue;
			singles_done = 1;
			publish_rt_singles_lang(t, ds, defs, area, lang, area_name);
			fn(t, ctx, publish_msg(lang, MSG_SINGLES_TITLE));
		} else {
			publish_rt_grid_lang(t, ds, defs, area, s, lang, area_name);
			publish_stat_title_lang(ds, defs, s, lang, title, sizeof title);
			fn(t, ctx, title);
		}
		*symbols |= t->symbols;
	}
	free(t);
}

struct area_ctx {
	struct strbuf *out;
};

static void area_txt_one(const struct rtable *t, void *ctx, const char *caption)
{
	struct area_ctx *c = ctx;
	static const char *const shorts[] = { NULL, "Category 1", "Category 2", "Category 3", "Total" };
	int grid = t->ncols == 5 && strcmp(t->head[0], "Level") == 0;
	struct rtable *copy = malloc(sizeof *copy);
	if (!copy) {
		c->out->failed = 1;
		return;
	}
	memcpy(copy, t, sizeof *copy);
	snprintf(copy->title, sizeof copy->title, "%s", caption);
	rt_txt(copy, c->out, grid ? shorts : NULL);
	free(copy);
}

void publish_population_note(const struct dataset *ds, const char *area, struct strbuf *out)
{
	int approx;
	long long pop = population_of(ds, area, &approx);
	char buf[32];

	strbuf_puts(out, publish_msg(PUBLISH_EN, MSG_POP_NOTE));
	strbuf_puts(out, pivot_format_number(pop, buf, sizeof buf));
	if (!approx) {
		strbuf_puts(out, "), using ");
		strbuf_puts(out, ds->population_source);
		strbuf_puts(out, ".");
	} else if (strcmp(area, ds->national_code) == 0) {
		strbuf_puts(out, ", the sum of the areas' populations). ");
		strbuf_puts(out, count_approximate(ds) == ds->nareas ? "Every area's population is"
				 : "Some areas' populations are");
		strbuf_puts(out, " an approximation, not an official estimate (README.txt says how each "
				 "was made), so the rate is approximate too.");
	} else {
		strbuf_puts(out, publish_msg(PUBLISH_EN, MSG_POP_APPROXIMATE));
	}
}

/* Wraps s at width columns; a "- " item's continuation lines are indented to its text. */
static void wrap_text(struct strbuf *out, const char *s, size_t width)
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

/* The release metadata as one paragraph (text pages). */
static void release_sentence(const struct publish_release *r, struct strbuf *out)
{
	struct publish_release_item it[PUBLISH_RELEASE_ITEMS];
	publish_release_items(r, it);
	strbuf_addf(out, "Published %s by %s. Next release: %s. Source: %s. Contact: %s, %s, "
		    "telephone %s. Methodology: %s. Licence: %s (%s).", it[0].value, it[2].value,
		    it[1].value, SOURCE_TEXT, it[4].value, it[5].value, it[6].value, it[7].value,
		    it[8].value, it[8].href);
}

void publish_area_text(const struct dataset *ds, const struct defs *defs, const char *area,
		       const struct publish_release *rel, struct strbuf *out)
{
	struct publish_release r;
	struct area_ctx c = { out };
	unsigned symbols = 0;
	char plabel[16], line[600];
	const struct dataset_area *a = publish_find_area(ds, area);
	struct strbuf note = STRBUF_INIT;

	publish_period_label(ds, plabel, sizeof plabel);
	snprintf(line, sizeof line, "MAPPA statistics: %s, %s", publish_area_name(ds, area), plabel);
	strbuf_puts(out, line);
	strbuf_puts(out, "\n");
	for (size_t i = utf8_width(line); i > 0; i--)
		strbuf_puts(out, "=");
	strbuf_puts(out, "\n\n");
	publish_release_resolve(&r, rel, ds->period);
	release_sentence(&r, &note);
	if (strbuf_ok(&note) == 0 && note.data)
		wrap_text(out, note.data, 92);
	strbuf_release(&note);
	strbuf_puts(out, "\n");
	if (a && a->state == AREA_MISSING)
		strbuf_puts(out, "This area sent no valid return for the period: its figures are not available [x].\n\n");
	strbuf_puts(out, "Figures for Category 4 (terrorism and terrorism risk offenders) are not published for\n"
			 "areas; they are included in the national tables. Totals are over Categories 1-3.\n\n");
	publish_area_tables(ds, defs, area, PUBLISH_EN, NULL, area_txt_one, &c, &symbols);
	publish_population_note(ds, area, &note);
	if (strbuf_ok(&note) == 0 && note.data)
		wrap_text(out, note.data, 92);
	strbuf_release(&note);
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
		wrap_text(out, l, 92);
	}
}

/* ---- checks ---- */

/*
 * The simplest disclosure: a line (a table row or column with its total, or one cell across
 * the areas with the national figure) where exactly one figure is withheld and the rest are
 * published gives that figure away by subtraction. The suppression's audit proves much more;
 * this is the publisher's own last look, and it never passes a cell that the published
 * figures pin to a value other than 0.
 */
struct line_part {
	const char *area;
	int cat, level;
	long long value;
	int published, counted;
};

static int line_check(const char *file, const struct dataset *ds, const struct defs *defs,
		      unsigned stat, const struct line_part *total, const struct line_part *parts,
		      size_t n, struct diag_list *d)
{
	size_t hidden = 0, which = 0;
	long long sum = 0;

	if (!total->counted)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!parts[i].counted)
			continue;
		sum += parts[i].value;
		if (!parts[i].published) {
			hidden++;
			which = i;
		}
	}
	if (total->published && hidden == 1 && parts[which].value != 0) {
		diag_add(d, file, 0, "P06", DIAG_ERROR,
			 "%s %s category '%s' level '%s' is withheld but equals a published total less "
			 "published figures: the suppression left it recoverable",
			 parts[which].area, dataset_stat_name(defs, stat),
			 defs_category_name(parts[which].cat), defs_level_name(parts[which].level));
		return -1;
	}
	if (!total->published && hidden == 0 && n > 0 && total->value != 0 &&
	    !(total->cat == CAT_1_3 && strcmp(total->area, ds->national_code) == 0)) {
		diag_add(d, file, 0, "P06", DIAG_ERROR,
			 "%s %s category '%s' level '%s' is withheld but is the sum of published figures",
			 total->area, dataset_stat_name(defs, stat), defs_category_name(total->cat),
			 defs_level_name(total->level));
		return -1;
	}
	(void)sum;
	return 0;
}

static struct line_part part_of(const struct dataset *ds, const struct defs *defs, const char *area,
				unsigned stat, int cat, int level)
{
	struct line_part p;
	struct pivot_value v = pivot_get(ds, defs, area, stat, cat, level);
	const struct obs *o = dataset_find(ds, area, stat, cat, level);

	p.area = area;
	p.cat = cat;
	p.level = level;
	p.value = o ? o->value : 0;
	p.published = v.published;
	/* cells that cannot exist and areas without a return are in no sum */
	p.counted = v.status != OBS_NA && v.status != OBS_MISSING;
	if (strcmp(area, ds->national_code) == 0 && cat == CAT_1_3) {
		/* the nation publishes no 1-3 total, but its total less Category 4 gives it */
		struct pivot_value all = pivot_get(ds, defs, area, stat, CAT_ALL, level);
		struct pivot_value c4 = pivot_get(ds, defs, area, stat, 4, level);
		const struct obs *oa = dataset_find(ds, area, stat, CAT_ALL, level);
		const struct obs *o4 = dataset_find(ds, area, stat, 4, level);
		p.published = all.published && c4.published;
		p.value = (oa ? oa->value : 0) - (o4 ? o4->value : 0);
		p.counted = oa && o4;
	}
	return p;
}

static void check_lines(const char *file, const struct dataset *ds, const struct defs *defs,
			struct diag_list *d)
{
	size_t before = d->errors;

	for (unsigned s = 0; s < defs->ntables && d->errors - before < 20; s++) {
		int cats[8], levels[8];
		size_t nc = 0, nl = 0;
		struct pivot_grid g;
		struct line_part parts[AREAS_MAX + 1], total;

		if (!ds->nareas)
			return;
		pivot_grid(ds, defs, ds->areas[0].code, s, &g);
		for (size_t c = 0; c < g.ncols; c++)
			cats[nc++] = g.col_cat[c];
		for (size_t r = 0; r < g.nrows; r++)
			levels[nl++] = g.row_level[r];
		/* within each area: rows and columns of its table */
		for (size_t a = 0; a < ds->nareas; a++) {
			const char *code = ds->areas[a].code;
			if (ds->areas[a].state == AREA_MISSING)
				continue;
			if (nc > 1)
				for (size_t r = 0; r < nl; r++) {
					for (size_t c = 0; c + 1 < nc; c++)
						parts[c] = part_of(ds, defs, code, s, cats[c], levels[r]);
					total = part_of(ds, defs, code, s, cats[nc - 1], levels[r]);
					line_check(file, ds, defs, s, &total, parts, nc - 1, d);
				}
			if (nl > 1)
				for (size_t c = 0; c < nc; c++) {
					for (size_t r = 0; r + 1 < nl; r++)
						parts[r] = part_of(ds, defs, code, s, cats[c], levels[r]);
					total = part_of(ds, defs, code, s, cats[c], levels[nl - 1]);
					line_check(file, ds, defs, s, &total, parts, nl - 1, d);
				}
		}
		/* across the areas: each cell and total against the national figure (Category 4
		   included: withheld in every area, published nationally) */
		for (int k = 0; k <= 4; k++) {
			int cat = k == 0 ? (nc > 1 ? CAT_1_3 : CAT_NONE) : k;
			if (k > 0 && (nc <= 1 || !(defs->tables[s].categories >> k & 1u)))
				continue;
			for (size_t r = 0; r < nl; r++) {
				size_t n = 0;
				for (size_t a = 0; a < ds->nareas; a++)
					parts[n++] = part_of(ds, defs, ds->areas[a].code, s, cat, levels[r]);
				total = part_of(ds, defs, ds->national_code, s, cat, levels[r]);
				line_check(file, ds, defs, s, &total, parts, n, d);
			}
		}
	}
}

int publish_check(const struct dataset *ds, const struct defs *defs, const struct areas *ref,
		  const char *file, struct diag_list *d)
{
	static const char *const stages[] = { "normalised", "merged", "suppressed" };
	size_t before = d->errors;
	int y1, y2;

	if (ds->stage != STAGE_SUPPRESSED) { /* nothing else about it is worth saying */
		diag_add(d, file, 0, "P01", DIAG_ERROR,
			 "the dataset is %s, not suppressed: only a suppressed dataset may be published (run mappa-suppress)",
			 stages[ds->stage]);
		return -1;
	}
	if (publish_period_years(ds->period, &y1, &y2) != 0)
		diag_add(d, file, 0, "P02", DIAG_ERROR, "bad period '%s' (like 2022-23)", ds->period);
	if (ds->nareas == 0)
		diag_add(d, file, 0, "P03", DIAG_ERROR, "the dataset has no areas");
	for (size_t i = 0; i < ds->nareas; i++) {
		char q[40];
		if (!areas_find(ref, ds->areas[i].code)) {
			diag_quote(q, sizeof q, ds->areas[i].code, 20);
			diag_add(d, file, 0, "P03", DIAG_ERROR, "area '%s' is not a reference area code", q);
		}
	}
	if (strcmp(ds->national_code, ref->national_code) != 0)
		diag_add(d, file, 0, "P03", DIAG_ERROR, "national code '%s' is not '%s'",
			 ds->national_code, ref->national_code);
	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		if (strcmp(o->area, ds->national_code) != 0 && (o->category == 4 || o->category == CAT_ALL) &&
		    o->status == OBS_OK) {
			diag_add(d, file, 0, "P04", DIAG_ERROR,
				 "%s %s category '%s' level '%s' is marked publishable: Category 4 and totals "
				 "over categories 1-4 are never published for an area (was the suppression run?)",
				 o->area, dataset_stat_name(defs, o->stat), defs_category_name(o->category),
				 defs_level_name(o->level));
			if (d->errors - before > 20)
				break;
		}
	}
	/* every row the tables need, for the nation and for each area that sent a return */
	for (size_t a = 0; a <= ds->nareas && d->errors - before <= 20; a++) {
		const char *code = a == 0 ? ds->national_code : ds->areas[a - 1].code;
		if (a > 0 && ds->areas[a - 1].state == AREA_MISSING)
			continue;
		for (unsigned s = 0; s < dataset_stat_count(defs); s++) {
			int cats[32], levels[32];
			size_t n = pivot_keys(defs, s, a == 0, cats, levels, 32);
			for (size_t k = 0; k < n; k++) {
				if (s < defs->ntables && cats[k] >= 1 && cats[k] <= 4 && levels[k] >= 1 &&
				    levels[k] <= 3 && !defs_has_cell(&defs->tables[s], cats[k], levels[k]))
					continue;
				if (!dataset_find(ds, code, s, cats[k], levels[k])) {
					diag_add(d, file, 0, "P05", DIAG_ERROR,
						 "%s has no row for %s category '%s' level '%s'", code,
						 dataset_stat_name(defs, s), defs_category_name(cats[k]),
						 defs_level_name(levels[k]));
					break;
				}
			}
		}
	}
	if (d->errors == before)
		check_lines(file, ds, defs, d);
	return d->errors > before ? -1 : 0;
}

/* ---- the workbook ---- */

static const char *const notes[] = {
	"Category 4 (terrorism and terrorism risk offenders) figures are never published for an area, "
	"because the numbers are small; they are published only in the national tables.",
	"Area totals are over Categories 1 to 3 only, so that Category 4 cannot be worked out by "
	"subtraction. National totals are over Categories 1 to 4.",
	"Counts of 1 or 2 in area tables are not published [c]; zeros are published. Further figures "
	"are withheld [c] where needed so that no withheld count can be worked out from totals, "
	"including from the national total less the other areas.",
	"Category 3 individuals cannot be managed at level 1 [z].",
	"Rates are per 100,000 of the population aged 10 and over. ",
	"MAPPA-eligible individuals are counted on 31 March (a snapshot); the other figures cover the "
	"year from 1 April to 31 March.",
	"[x] marks an area that sent no valid return for the period; national figures then cover the "
	"areas that did.",
};

/* The notes above, by index; a table's notes are a mask of these bits. */
enum { NOTE_CAT4, NOTE_TOTAL13, NOTE_C, NOTE_Z, NOTE_RATE, NOTE_SNAPSHOT, NOTE_X, NOTE_COUNT };

/*
 * The notes that apply to a published table, from what it holds: the "[note N]" markers of its
 * headings (N counting from 1 in notes[]), the symbols it shows, an area table without
 * Category 4, a national table that leaves out an area without a return, a snapshot.
 */
static unsigned table_notes(const struct rtable *t, const struct dataset *ds, const struct defs *defs,
			    unsigned stat, int national)
{
	unsigned m = 0;
	char title[300];
	size_t n;

	for (size_t c = 0; c < t->ncols; c++) {
		const char *p = strstr(t->head[c], "[note ");
		if (p) {
			long k = strtol(p + 6, NULL, 10);
			if (k >= 1 && k <= NOTE_COUNT)
				m |= 1u << (k - 1);
		}
	}
	if (t->symbols & ((1u << OBS_PRIMARY) | (1u << OBS_SECONDARY) | (1u << OBS_WITHHELD)))
		m |= 1u << NOTE_C;
	if (t->symbols & (1u << OBS_NA))
		m |= 1u << NOTE_Z;
	if ((t->symbols & (1u << OBS_MISSING)) || (national && ds->incomplete))
		m |= 1u << NOTE_X;
	if (!national && pivot_has_categories(defs, stat))
		m |= 1u << NOTE_CAT4;
	publish_stat_title(ds, defs, stat, title, sizeof title);
	n = strlen(title);
	if (n > 8 && strstr(title, "31 March"))
		m |= 1u << NOTE_SNAPSHOT;
	return m;
}

/* "[note 5]" in s becomes "[note number[4]]"; the rest is copied. */
static void renumber_notes(const char *s, const int *number, char *out, size_t size)
{
	size_t n = 0;

	while (*s && n + 1 < size) {
		long k;
		if (strncmp(s, "[note ", 6) == 0 && (k = strtol(s + 6, NULL, 10)) >= 1 && k <= NOTE_COUNT &&
		    strchr(s, ']')) {
			int w = snprintf(out + n, size - n, "[note %d]", number[k - 1]);
			n = w > 0 && (size_t)w < size - n ? n + (size_t)w : size - 1;
			s = strchr(s, ']') + 1;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
}

/* "notes 1, 3 and 7" of mask m, numbered. */
static void notes_list(unsigned m, const int *number, char *buf, size_t size)
{
	size_t k = 0, count = 0, len;
	for (int i = 0; i < NOTE_COUNT; i++)
		count += m >> i & 1u;
	snprintf(buf, size, "note%s ", count == 1 ? "" : "s");
	for (int i = 0; i < NOTE_COUNT; i++) {
		if (!(m >> i & 1u))
			continue;
		k++;
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%d", k == 1 ? "" : k == count ? " and " : ", ", number[i]);
	}
}

static void ods_table_sheet(struct ods *o, const char *sheet, size_t number, const struct rtable *t,
			    unsigned notes_mask, const int *note_number)
{
	char title[700], buf[300], range[40];
	unsigned in_heads = 0;

	if (!ods_add_sheet(o, sheet))
		return;
	for (size_t c = 0; c < t->ncols; c++)
		for (int k = 0; k < NOTE_COUNT; k++) {
			snprintf(buf, sizeof buf, "[note %d]", k + 1);
			if (strstr(t->head[c], buf))
				in_heads |= 1u << k;
		}
	/* notes of the whole table go in its title, the others stay in their column headings */
	snprintf(title, sizeof title, "Table %zu: %s", number, t->title);
	for (int k = 0; k < NOTE_COUNT; k++)
		if ((notes_mask >> k & 1u) && !(in_heads >> k & 1u)) {
			size_t len = strlen(title);
			snprintf(title + len, sizeof title - len, " [note %d]", note_number[k]);
		}
	ods_row(o);
	ods_text(o, title, ODS_TITLE);
	ods_row(o);
	ods_text(o, "This worksheet contains one table.", ODS_PLAIN);
	if (notes_mask) {
		char list[120];
		notes_list(notes_mask, note_number, list, sizeof list);
		snprintf(buf, sizeof buf, "This table refers to %s, on the Notes worksheet: the title or a "
			 "column heading says where each applies.", list);
		ods_row(o);
		ods_text(o, buf, ODS_PLAIN);
	}
	if (t->symbols) {
		ods_row(o);
		ods_text(o, "Some cells hold a symbol instead of a number: [c] confidential, [z] not "
			    "applicable, [x] not available (see the Cover sheet).", ODS_PLAIN);
	}
	ods_row(o);
	ods_text(o, "Source: the yearly MAPPA statistical returns of the MAPPA areas of England and Wales.", ODS_PLAIN);
	snprintf(range, sizeof range, "Table_%zu", number);
	ods_header_row(o, range);
	for (size_t c = 0; c < t->ncols; c++) {
		renumber_notes(t->head[c], note_number, buf, sizeof buf);
		ods_text(o, buf, ODS_HEADER);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		ods_row(o);
		for (size_t c = 0; c < t->ncols; c++) {
			const struct rt_cell *cell = &t->cell[r][c];
			if (cell->kind == RT_NUMBER && cell->revised) {
				char rv[40];
				snprintf(rv, sizeof rv, "%lld [r]", cell->number);
				ods_text(o, rv, ODS_PLAIN);
			} else if (cell->kind == RT_NUMBER)
				ods_number(o, cell->number);
			else
				ods_text(o, cell->text, cell->kind == RT_SYMBOL ? ODS_SYMBOL : ODS_PLAIN);
		}
	}
}

struct sheet_ref {
	char name[32];
	char title[420];
	unsigned notes;         /* the notes that apply to the table */
};

static int build_ods(const struct dataset *ds, const struct defs *defs, const struct areas *ref,
		     const struct publish_release *rel, const struct zipmem_time *when,
		     const struct series *series, size_t nrevised,
		     struct strbuf *out, char *err, size_t errsize)
{
	struct ods o;
	struct rtable *t = malloc(sizeof *t);
	struct sheet_ref refs[2 * (DEFS_MAX_TABLES + DEFS_MAX_RATES)];
	size_t nrefs = 0;
	char plabel[16], title[300], buf[2400];
	int y1 = 0, y2 = 0, result, note_number[NOTE_COUNT], k = 0;
	struct publish_release_item it[PUBLISH_RELEASE_ITEMS];
	unsigned used = 0;
	unsigned nstat = dataset_stat_count(defs);

	if (!t) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	publish_period_label(ds, plabel, sizeof plabel);
	publish_period_years(ds->period, &y1, &y2);
	snprintf(title, sizeof title, "Multi-Agency Public Protection Arrangements (MAPPA) statistics, England and Wales, %s", plabel);
	ods_init(&o, title, "MAPPA annual statistics");

	/* the table sheets' names, titles and notes first, for the contents and the notes */
	for (int national = 1; national >= 0; national--)
		for (unsigned s = 0; s < nstat; s++) {
			struct sheet_ref *r = &refs[nrefs++];
			char st[300];
			rt_published(t, ds, defs, s, national);
			r->notes = table_notes(t, ds, defs, s, national);
			used |= r->notes;
			publish_stat_title(ds, defs, s, st, sizeof st);
			snprintf(r->name, sizeof r->name, "%s_%.*s", national ? "National" : "Areas",
				 national ? 22 : 25, dataset_stat_name(defs, s));
			snprintf(r->title, sizeof r->title, "Table %zu: %s, %s", nrefs, st,
				 national ? "England and Wales" : "by MAPPA area");
		}

	ods_add_sheet(&o, "Cover");
	o.sheets[o.nsheets - 1].first_width_cm = 17;
	o.sheets[o.nsheets - 1].wrap = 1;
	ods_row(&o); ods_text(&o, title, ODS_TITLE);
	ods_row(&o); ods_text(&o, "This workbook holds the national and area tables of the yearly statistics "
			       "of the Multi-Agency Public Protection Arrangements (MAPPA) of England and Wales: "
			       "the individuals managed under MAPPA, the notification requirements and the "
			       "restrictive orders.", ODS_PLAIN);
	ods_row(&o); ods_text(&o, "Period covered", ODS_HEADER);
	snprintf(buf, sizeof buf, "1 April %d to 31 March %d (MAPPA-eligible individuals: on 31 March %d)", y1, y2, y2);
	ods_row(&o); ods_text(&o, buf, ODS_PLAIN);
	publish_release_items(rel, it);
	ods_row(&o); ods_text(&o, "Publication dates", ODS_HEADER);
	snprintf(buf, sizeof buf, "Released: %s", it[0].value);
	ods_row(&o); ods_text(&o, buf, ODS_PLAIN);
	snprintf(buf, sizeof buf, "Next release: %s", it[1].value);
	ods_row(&o); ods_text(&o, buf, ODS_PLAIN);
	ods_row(&o); ods_text(&o, "Source", ODS_HEADER);
	snprintf(buf, sizeof buf, "The yearly statistical returns of the %zu MAPPA areas of England and Wales, "
		 "produced by %s.", ds->nareas, rel->producer);
	ods_row(&o); ods_text(&o, buf, ODS_PLAIN);
	if (ds->incomplete) {
		publish_missing_sentence(ds, buf, sizeof buf);
		ods_row(&o); ods_text(&o, buf, ODS_PLAIN);
	}
	{
		struct strbuf pop = STRBUF_INIT;
		population_sources(ds, ref, &pop);
		ods_row(&o); ods_text(&o, strbuf_ok(&pop) == 0 && pop.data ? pop.data : "", ODS_PLAIN);
		strbuf_release(&pop);
	}
	ods_row(&o); ods_text(&o, "Methodology", ODS_HEADER);
	ods_row(&o); ods_text(&o, "The Notes worksheet says what each table counts and what is withheld. "
			       "The methodology:", ODS_PLAIN);
	ods_row(&o); ods_link(&o, rel->methodology, rel->methodology);
	ods_row(&o); ods_text(&o, "Revisions", ODS_HEADER);
	ods_row(&o); ods_text(&o, "A figure changes only when an area resubmits its return; a revised "
			       "release says so on this sheet.", ODS_PLAIN);
	publish_series_ods_cover(series, ds, defs, it[0].value, nrevised, &o);
	ods_row(&o); ods_text(&o, "Symbols used", ODS_HEADER);
	ods_row(&o); ods_text(&o, "Some cells hold a symbol instead of a number:", ODS_PLAIN);
	ods_row(&o); ods_text(&o, "[c] confidential: withheld so that no individual can be identified", ODS_PLAIN);
	ods_row(&o); ods_text(&o, "[z] not applicable: Category 3 individuals cannot be managed at level 1", ODS_PLAIN);
	ods_row(&o); ods_text(&o, "[x] not available: the area sent no valid return", ODS_PLAIN);
	ods_row(&o); ods_text(&o, "Contact", ODS_HEADER);
	ods_row(&o); ods_text(&o, rel->contact, ODS_PLAIN);
	snprintf(buf, sizeof buf, "mailto:%s", rel->email);
	ods_row(&o); ods_link(&o, rel->email, buf);
	snprintf(buf, sizeof buf, "Telephone: %s", rel->phone);
	ods_row(&o); ods_text(&o, buf, ODS_PLAIN);
	ods_row(&o); ods_text(&o, "Licence", ODS_HEADER);
	snprintf(buf, sizeof buf, "These statistics may be used under the %s:", PUBLISH_LICENCE);
	ods_row(&o); ods_text(&o, buf, ODS_PLAIN);
	ods_row(&o); ods_link(&o, PUBLISH_LICENCE_URL, PUBLISH_LICENCE_URL);
	ods_row(&o); ods_text(&o, "Tables", ODS_HEADER);
	ods_row(&o); ods_text(&o, "The Contents worksheet lists the tables; the Notes worksheet explains them.", ODS_PLAIN);

	/* the notes that apply somewhere, numbered in order */
	for (int i = 0; i < NOTE_COUNT; i++)
		note_number[i] = used >> i & 1u ? ++k : 0;

	ods_add_sheet(&o, "Contents");
	ods_row(&o); ods_text(&o, "Table of contents", ODS_TITLE);
	ods_row(&o); ods_text(&o, "This worksheet contains one table. Each sheet name links to its sheet.", ODS_PLAIN);
	ods_header_row(&o, "Contents_table");
	ods_text(&o, "Sheet name", ODS_HEADER); ods_text(&o, "Table title", ODS_HEADER);
	ods_row(&o); ods_link(&o, "Notes", "#Notes.A1"); ods_text(&o, "Notes used in the tables", ODS_PLAIN);
	for (size_t i = 0; i < nrefs; i++) {
		snprintf(buf, sizeof buf, "#%.31s.A1", refs[i].name);
		ods_row(&o);
		ods_link(&o, refs[i].name, buf);
		ods_text(&o, refs[i].title, ODS_PLAIN);
	}
	publish_series_ods_contents(series, defs, &o);

	ods_add_sheet(&o, "Notes");
	ods_row(&o); ods_text(&o, "Notes", ODS_TITLE);
	ods_row(&o); ods_text(&o, "This worksheet contains one table. Each note is referred to in the title "
			       "or the column headings of the tables it applies to, as [note 1] and so on.", ODS_PLAIN);
	ods_header_row(&o, "Notes_table");
	ods_text(&o, "Note number", ODS_HEADER); ods_text(&o, "Note text", ODS_HEADER);
	ods_text(&o, "Tables the note applies to", ODS_HEADER);
	for (int i = 0; i < NOTE_COUNT; i++) {
		char tables[200];
		size_t len, count = 0;
		if (!note_number[i])
			continue;
		ods_row(&o);
		snprintf(buf, sizeof buf, "note %d", note_number[i]);
		ods_text(&o, buf, ODS_PLAIN);
		if (i == NOTE_RATE) {
			struct strbuf pop = STRBUF_INIT;
			population_sources(ds, ref, &pop);
			snprintf(buf, sizeof buf, "%s%s", notes[i], strbuf_ok(&pop) == 0 && pop.data ? pop.data : "");
			strbuf_release(&pop);
			ods_text(&o, buf, ODS_PLAIN);
		} else if (i == NOTE_X && ds->incomplete) {
			char missing[600];
			publish_missing_sentence(ds, missing, sizeof missing);
			snprintf(buf, sizeof buf, "%s %s", notes[i], missing);
			ods_text(&o, buf, ODS_PLAIN);
		} else {
			ods_text(&o, notes[i], ODS_PLAIN);
		}
		tables[0] = '\0';
		for (size_t r = 0; r < nrefs; r++) {
			if (!(refs[r].notes >> i & 1u))
				continue;
			len = strlen(tables);
			snprintf(tables + len, sizeof tables - len, "%s%zu", count++ ? ", " : "", r + 1);
		}
		ods_text(&o, tables, ODS_PLAIN);
	}

	for (size_t i = 0; i < nrefs; i++) {
		unsigned s = (unsigned)(i % nstat);
		rt_published(t, ds, defs, s, i < nstat);
		ods_table_sheet(&o, refs[i].name, i + 1, t, refs[i].notes, note_number);
	}
	publish_series_ods_sheets(series, ds, defs, &o);
	if (o.failed) {
		snprintf(err, errsize, "out of memory while making the workbook");
		result = -1;
	} else {
		result = ods_write(&o, when, out, err, errsize);
	}
	ods_release(&o);
	free(t);
	return result;
}

/* ---- README ---- */

static void readme(const struct dataset *ds, const struct defs *defs, const struct areas *ref,
		   const struct publish_release *rel, struct strbuf *out)
{
	char plabel[16], buf[1200];
	int y1 = 0, y2 = 0, missing = 0;
	struct publish_release_item it[PUBLISH_RELEASE_ITEMS];
	struct strbuf pop = STRBUF_INIT;

	publish_period_label(ds, plabel, sizeof plabel);
	publish_period_years(ds->period, &y1, &y2);
	for (size_t i = 0; i < ds->nareas; i++)
		missing += ds->areas[i].state == AREA_MISSING;
	snprintf(buf, sizeof buf, "MAPPA statistics, England and Wales, %s", plabel);
	strbuf_puts(out, buf);
	strbuf_puts(out, "\n");
	for (size_t i = strlen(buf); i > 0; i--)
		strbuf_puts(out, "=");
	strbuf_puts(out, "\n\n");
	snprintf(buf, sizeof buf,
		 "This bundle holds the published statistics of the Multi-Agency Public Protection "
		 "Arrangements (MAPPA) of England and Wales for the year 1 April %d to 31 March %d: the "
		 "national tables, one table per statistic with a row for each MAPPA area, every figure "
		 "in long form, a spreadsheet, and each area's statistics laid out as in its annual report.",
		 y1, y2);
	wrap_text(out, buf, 92);
	strbuf_puts(out, "\nRelease\n-------\n");
	publish_release_items(rel, it);
	for (size_t i = 0; i < PUBLISH_RELEASE_ITEMS; i++) {
		snprintf(buf, sizeof buf, "%-14s%s", it[i].label, it[i].value);
		strbuf_puts(out, buf);
		if (it[i].href[0] && strcmp(it[i].href, it[i].value) != 0 && strncmp(it[i].href, "mailto:", 7) != 0)
			strbuf_addf(out, "\n%-14s%s", "", it[i].href);
		strbuf_puts(out, "\n");
	}
	strbuf_puts(out, "\nPeriod\n------\n");
	snprintf(buf, sizeof buf, "%s (1 April %d to 31 March %d). MAPPA-eligible individuals are counted on "
		 "31 March %d; every other figure covers the whole year.", ds->period, y1, y2, y2);
	wrap_text(out, buf, 92);
	strbuf_puts(out, "\nSources\n-------\n");
	snprintf(buf, sizeof buf, "The yearly statistical returns of the MAPPA areas: %zu area%s, %zu with a "
		 "valid return%s.", ds->nareas, ds->nareas == 1 ? "" : "s", ds->nareas - (size_t)missing,
		 missing ? "; national figures cover only the areas with a return" : "");
	wrap_text(out, buf, 92);
	if (missing) {
		publish_missing_sentence(ds, buf, sizeof buf);
		wrap_text(out, buf, 92);
	}
	population_sources(ds, ref, &pop);
	if (strbuf_ok(&pop) == 0 && pop.data)
		wrap_text(out, pop.data, 92);
	strbuf_release(&pop);
	strbuf_puts(out, "\nWhat is published\n-----------------\n");
	wrap_text(out, "- Category 4 (terrorism and terrorism risk offenders) is never published for an "
		  "area; it appears only in the national tables.", 92);
	wrap_text(out, "- Area totals are over Categories 1-3 only (category `1-3` in observations.csv), "
		  "so that Category 4 cannot be found by subtracting; an area's total over Categories 1-4 "
		  "is not published in any form. National totals are over Categories 1-4 (category `all`).", 92);
	wrap_text(out, "- Counts of 1 or 2 in area tables are suppressed; zeros are published.", 92);
	wrap_text(out, "- Further figures are withheld so that no withheld figure can be worked out "
		  "from what is published, neither from an area's own totals nor from the national "
		  "totals less the other areas. Every withheld figure is shown as [c], whatever the "
		  "reason.", 92);
	strbuf_puts(out, "\nSymbols\n-------\n");
	strbuf_puts(out, "[c]  confidential: withheld to protect individuals from identification\n"
			 "[z]  not applicable (Category 3 individuals cannot be managed at level 1)\n"
			 "     (the area reports show \"-\" there, as the annual reports do)\n"
			 "[x]  not available (the area sent no valid return)\n"
			 "In the CSV files the value is empty exactly when the status holds a symbol.\n");
	strbuf_puts(out, "\nFiles\n-----\n");
	strbuf_addf(out,
		"README.txt                   this file\n"
		"index.html                   national summary: chart of the rate by area, national tables\n"
		"mappa-%s.ods            the tables as a spreadsheet (cover, contents, notes, one table a sheet)\n"
		"observations.csv             every figure in long form:\n"
		"                             period,area_code,area_name,table,category,level,value,status\n"
		"observations-sdmx.csv        the same as SDMX-CSV 2.0.0 (dataflow %s)\n"
		"observations-sdmx-structure.xml\n"
		"                             its SDMX-ML 2.1 structure: codelists, concepts, DSD, dataflow\n"
		"tables/national-TABLE.csv    national tables, as in the annual reports\n"
		"tables/areas-TABLE.csv       one row per area\n"
		"areas/CODE-NAME.html, .txt   each area's statistics, as in its annual report\n"
		"areas/CODE-NAME.cy.html      the same in Welsh, for the four Welsh areas\n"
		"MANIFEST.sha256              SHA-256 checksums of every other file\n",
		ds->period, SDMX_DATAFLOW);
	strbuf_puts(out, "\nThe tables\n----------\n");
	for (unsigned s = 0; s < dataset_stat_count(defs); s++) {
		char title[300];
		publish_stat_title(ds, defs, s, title, sizeof title);
		snprintf(buf, sizeof buf, "- %s: %s", dataset_stat_name(defs, s), title);
		wrap_text(out, buf, 92);
	}
	strbuf_puts(out, "\nChecking the bundle\n-------------------\n"
			 "In this folder run:\n\n    sha256sum -c MANIFEST.sha256\n\n"
			 "Every line must end in OK. The bundle is made deterministically: the same data "
			 "give the\nsame bytes, so two copies can be compared with their checksums.\n");
	snprintf(buf, sizeof buf, "Questions and comments: %s, %s, telephone %s.", rel->contact,
		 rel->email, rel->phone);
	strbuf_puts(out, "\nContact\n-------\n");
	wrap_text(out, buf, 92);
}

/* ---- the bundle ---- */

#define ADD(path, sb) \
	do { \
		if (bundle_add_strbuf(b, (path), (sb)) != 0) { \
			snprintf(err, errsize, "cannot add '%s' to the bundle: %s", (path), \
				 strbuf_ok(sb) ? "out of memory" : "bad or duplicate name"); \
			goto out; \
		} \
	} while (0)

int publish_build(const struct dataset *ds, const struct defs *defs, const struct areas *ref,
		  const struct publish_options *opt, struct bundle *b, char *err, size_t errsize)
{
	struct strbuf sb = STRBUF_INIT;
	struct zipmem_time when = { 2000, 1, 1, 0, 0, 0 };
	char top[64], path[256], slug[80];
	int y1, y2, result = -1, have_marked = 0;
	struct publish_release rel;
	const struct series *series = opt ? opt->series : NULL;
	struct dataset marked;
	size_t nrevised = 0;

	publish_release_resolve(&rel, opt ? &opt->release : NULL, ds->period);
	if (publish_release_check(&rel, err, errsize) != 0) {
		bundle_init(b, "mappa", &when);
		goto out;
	}
	if (publish_period_years(ds->period, &y1, &y2) == 0) {
		when.year = y2;
		when.month = 4;
		when.day = 1;
	}
	snprintf(top, sizeof top, "mappa-%s", ds->period);
	bundle_init(b, top, &when);
	if (series && series->republished) {
		/* a period published again: its revised figures are marked [r] (publish_series.h) */
		if (publish_series_mark(series, ds, defs, &marked, &nrevised) != 0) {
			snprintf(err, errsize, "out of memory");
			goto out;
		}
		have_marked = 1;
		ds = &marked;
	}

	readme(ds, defs, ref, &rel, &sb);
	publish_series_readme(series, ds, defs, rel.date, nrevised, &sb);
	ADD("README.txt", &sb);
	strbuf_release(&sb);
	publish_observations_csv(ds, defs, &sb);
	ADD("observations.csv", &sb);
	strbuf_release(&sb);
	sdmx_csv(ds, defs, &sb);
	ADD(SDMX_CSV_FILE, &sb);
	strbuf_release(&sb);
	if (sdmx_structure(defs, ref, ds->period, &sb) != 0) {
		snprintf(err, errsize, "cannot make the SDMX structure: out of memory");
		goto out;
	}
	ADD(SDMX_STRUCTURE_FILE, &sb);
	strbuf_release(&sb);
	for (unsigned s = 0; s < dataset_stat_count(defs); s++)
		for (int national = 1; national >= 0; national--) {
			snprintf(path, sizeof path, "tables/%s-%s.csv", national ? "national" : "areas",
				 dataset_stat_name(defs, s));
			publish_table_csv(ds, defs, s, national, &sb);
			ADD(path, &sb);
			strbuf_release(&sb);
		}
	for (unsigned s = 0; series && series->nperiods && s < dataset_stat_count(defs); s++) {
		snprintf(path, sizeof path, "tables/series-national-%s.csv", dataset_stat_name(defs, s));
		publish_series_csv(series, ds, defs, s, &sb);
		ADD(path, &sb);
		strbuf_release(&sb);
	}
	if (series && series->republished && publish_series_revisions_csv(series, ds, defs, &sb) > 0)
		ADD("revisions.csv", &sb);
	strbuf_release(&sb);
	if (build_ods(ds, defs, ref, &rel, &when, series, nrevised, &sb, err, errsize) != 0)
		goto out;
	snprintf(path, sizeof path, "mappa-%s.ods", ds->period);
	ADD(path, &sb);
	strbuf_release(&sb);
	for (size_t i = 0; i < ds->nareas; i++) {
		const struct dataset_area *a = &ds->areas[i];
		publish_slug(a->name, slug, sizeof slug);
		for (int lang = PUBLISH_EN; lang < PUBLISH_LANGS; lang++) {
			/* the Welsh areas' pages also in Welsh, each linking to the other (hreflang) */
			struct publish_html_page page = { (enum publish_lang)lang, NULL, NULL, PUBLISH_CY };
			const struct area *ra = ref ? areas_find(ref, a->code) : NULL;
			char file[160], other[160];
			int welsh = publish_lang_has_welsh(a->code);
			if (lang != PUBLISH_EN && !welsh)
				break;
			if (welsh) {
				page.other_lang = lang == PUBLISH_EN ? PUBLISH_CY : PUBLISH_EN;
				publish_lang_area_file(a->code, a->name, page.other_lang, other, sizeof other);
				page.other_file = other;
				if (lang == PUBLISH_CY && ra && ra->name_cy[0])
					page.area_name = ra->name_cy;
			}
			publish_lang_area_file(a->code, a->name, (enum publish_lang)lang, file, sizeof file);
			snprintf(path, sizeof path, "areas/%s", file);
			publish_html_area_lang(ds, defs, a->code, &rel, &page, &sb);
			/* the previous period and revisions: in English, on the English page only */
			if (lang == PUBLISH_EN)
				publish_series_html_area(series, ds, defs, a->code, &sb);
			ADD(path, &sb);
			strbuf_release(&sb);
		}
		snprintf(path, sizeof path, "areas/%s-%s.txt", a->code, slug);
		publish_area_text(ds, defs, a->code, &rel, &sb);
		ADD(path, &sb);
		strbuf_release(&sb);
	}
	publish_html_index(ds, defs, b, &rel, &sb);
	publish_series_html_index(series, ds, defs, nrevised, &sb);
	ADD("index.html", &sb);
	strbuf_release(&sb);
	if (bundle_add_manifest(b) != 0) {
		snprintf(err, errsize, "cannot make the manifest: out of memory");
		goto out;
	}
	result = 0;
out:
	strbuf_release(&sb);
	if (result != 0)
		bundle_release(b);
	if (have_marked)
		dataset_release(&marked);
	return result;
}
