/*
 * publish_series: time series, the previous period beside this one, and revisions (see
 * publish_series.h).
 */
#include "publish_series.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "htmlesc.h"
#include "pivot.h"
#include "publish_csv.h"
#include "publish.h"
#include "publish_private.h"
#include "publish_text.h"

#define MAX_KEYS 32

int publish_series_active(const struct series *s)
{
	return s && (s->nperiods > 0 || s->republished);
}

/* "2021/22" of "2021-22". */
static void label_of(const char *period, char *buf, size_t size)
{
	if (strlen(period) == 7)
		snprintf(buf, size, "%.4s/%.2s", period, period + 5);
	else
		snprintf(buf, size, "%s", period);
}

/* A statistic's title without a year: "... on 31 March of each year". */
static void series_title(const struct defs *defs, unsigned stat, char *buf, size_t size)
{
	char t[400];
	const char *raw = stat < defs->ntables ? defs->tables[stat].title
					       : defs->rates[stat - defs->ntables].title;
	size_t n;

	publish_strip_notes(raw, t, sizeof t);
	n = strlen(t);
	if (n >= 8 && strcmp(t + n - 8, "31 March") == 0)
		snprintf(buf, size, "%s of each year", t);
	else
		snprintf(buf, size, "%s", t);
}

/* A level as the series tables label it: "All" for a statistic without levels. */
static const char *level_short(int level)
{
	return level == LEVEL_NONE ? "All" : pivot_level_label(level);
}

/* A published cell as shown: the value ("1234", with " [r]" when revised) or its symbol. */
static const char *shown(const struct pivot_value *v, int revised, char *buf, size_t size)
{
	if (!v->published)
		return v->symbol;
	snprintf(buf, size, "%lld%s", v->value, revised ? " [r]" : "");
	return buf;
}

/* Whether the cell (area, stat, cat, level) of ds is marked revised. */
static int is_revised(const struct dataset *ds, const char *area, unsigned stat, int cat, int level)
{
	const struct obs *o = dataset_find(ds, area, stat, cat, level);
	return o && o->revised;
}

/* ---- revisions ---- */

typedef void (*diff_fn)(const struct dataset *ds, const struct defs *defs, const char *area,
			unsigned stat, int cat, int level, const char *before,
			const struct pivot_value *now, void *ctx);

/* Calls fn for every published key of ds (national first) whose published form differs from
 * its first publication: the earlier bundle's, or, for a figure that bundle already listed as
 * revised, the form its revisions.csv gives as published before. */
static size_t each_difference(const struct series *s, const struct dataset *ds, const struct defs *defs,
			      diff_fn fn, void *ctx)
{
	size_t n = 0;

	if (!s || !s->republished)
		return 0;
	for (size_t a = 0; a <= ds->nareas; a++) {
		const char *code = a == 0 ? ds->national_code : ds->areas[a - 1].code;
		for (unsigned st = 0; st < dataset_stat_count(defs); st++) {
			int cats[MAX_KEYS], levels[MAX_KEYS];
			size_t nk = pivot_keys(defs, st, a == 0, cats, levels, MAX_KEYS);
			for (size_t k = 0; k < nk; k++) {
				struct pivot_value vn = pivot_get(ds, defs, code, st, cats[k], levels[k]);
				char bb[32], nb[32];
				const char *b = series_first_form(s, defs, code, st, cats[k], levels[k], bb,
								  sizeof bb);
				if (strcmp(b, shown(&vn, 0, nb, sizeof nb)) == 0)
					continue;
				n++;
				if (fn)
					fn(ds, defs, code, st, cats[k], levels[k], b, &vn, ctx);
			}
		}
	}
	return n;
}

static void revision_row(const struct dataset *ds, const struct defs *defs, const char *area,
			 unsigned stat, int cat, int level, const char *before,
			 const struct pivot_value *now, void *ctx)
{
	char b2[32];
	const char *f[7];

	publish_csv_key(ds, defs, area, stat, cat, level, f);
	f[5] = before;
	f[6] = shown(now, 0, b2, sizeof b2);
	csv_row(ctx, f, 7);
}

size_t publish_series_revisions_csv(const struct series *s, const struct dataset *ds,
				    const struct defs *defs, struct strbuf *out)
{
	static const char *const head[] = { "area_code", "area_name", "table", "category", "level",
					    "published_before", "published_now" };
	csv_row(out, head, 7);
	return each_difference(s, ds, defs, revision_row, out);
}

struct mark_ctx {
	struct dataset *marked;
	size_t n;
};

static void mark_one(const struct dataset *ds, const struct defs *defs, const char *area,
		     unsigned stat, int cat, int level, const char *before,
		     const struct pivot_value *now, void *ctx)
{
	struct mark_ctx *m = ctx;
	struct obs *o;

	(void)defs;
	(void)ds;
	if (!now->published)
		return;
	/* every figure revisions.csv lists and now published: its first publication showed it
	   otherwise (another value, [c], or [x] when its area had no return then). Marked by
	   whether its area looked revised since the publication before, a figure withheld before
	   in an area not revised went unmarked (a revision of Cumbria published Cheshire's
	   returnedToCustody 1-3 total at level 2), and a late return's figures lost their marks
	   on the next night's run of the same returns (QA) */
	(void)before;
	o = dataset_find(m->marked, area, stat, cat, level);
	if (o && !o->revised) {
		o->revised = 1;
		m->n++;
	}
}

int publish_series_mark(const struct series *s, const struct dataset *ds, const struct defs *defs,
			struct dataset *marked, size_t *nrevised)
{
	struct mark_ctx *m = calloc(1, sizeof *m);
	int result = -1;

	*nrevised = 0;
	*marked = *ds;
	marked->superseded = NULL;
	marked->nsuperseded = marked->superseded_alloc = 0;
	marked->obs = NULL;
	marked->nobs = marked->obs_alloc = 0;
	if (!m)
		goto out;
	if (ds->nobs) {
		marked->obs = malloc(ds->nobs * sizeof *marked->obs);
		if (!marked->obs)
			goto out;
		memcpy(marked->obs, ds->obs, ds->nobs * sizeof *marked->obs);
		marked->nobs = marked->obs_alloc = ds->nobs;
	}
	m->marked = marked;
	each_difference(s, ds, defs, mark_one, m);
	*nrevised = m->n;
	result = 0;
out:
	free(m);
	if (result != 0) {
		free(marked->obs);
		dataset_init(marked);
	}
	return result;
}

size_t publish_series_revised_areas(const struct series *s, const struct dataset *ds, int shown,
				    const struct defs *defs, char *buf, size_t size)
{
	size_t n = 0, len;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < ds->nareas; i++) {
		if (!(shown ? series_area_shown_revised(s, ds, defs, ds->areas[i].code)
			    : series_area_revised(s, ds, defs, ds->areas[i].code)))
			continue;
		len = strlen(buf);
		if (len < size)
			snprintf(buf + len, size - len, "%s%s (%s)", n ? ", " : "", ds->areas[i].name,
				 ds->areas[i].code);
		n++;
	}
	return n;
}

/*
 * The areas whose population (the denominator of their rates) differs from the one the
 * earlier publication of the period used, "Cumbria (E23000002) 443,000 to 450,000", into buf;
 * known only with that publication's true values (series_attach_truth). Returns how many. A
 * change of the reference data republishes pages that show the new population, where no
 * rounded rate need move: it is said, not left for a reader to find (QA).
 */
static size_t population_changes(const struct series *s, const struct dataset *ds, char *buf,
				 size_t size)
{
	size_t n = 0, len;

	if (size)
		buf[0] = '\0';
	if (!s || !s->republished || !s->have_truth)
		return 0;
	for (size_t i = 0; i < ds->nareas; i++) {
		const struct dataset_area *a = &ds->areas[i];
		const struct dataset_area *b = dataset_area_find(&s->truth, a->code);
		char pb[32], pn[32];
		if (!b || b->population == a->population)
			continue;
		len = strlen(buf);
		if (len < size)
			snprintf(buf + len, size - len, "%s%s (%s) %s to %s", n ? ", " : "", a->name,
				 a->code, pivot_format_number(b->population, pb, sizeof pb),
				 pivot_format_number(a->population, pn, sizeof pn));
		n++;
	}
	return n;
}

/* The areas a revision names: those whose published figures changed, not every area with a
   revised return (one whose revision lies behind [c] alone is not named: docs/publication.md).
   "Revised areas (a return other than the one published before)" read as every such area,
   and a reader took the others as unchanged (QA). */
#define REVISED_AREAS "Revised areas whose published figures changed: "
/* The words before population_changes' list, in README, the cover and index.html alike. */
#define POPULATIONS_REVISED \
	"Populations revised (the reference data; the denominators of the rates per 100,000): "

/* Whether this publication revises the period's earlier one: a figure, or a population. */
static int revises(const struct series *s, const struct dataset *ds, const struct defs *defs)
{
	char none[1];

	return each_difference(s, ds, defs, NULL, NULL) > 0 ||
	       population_changes(s, ds, none, sizeof none) > 0;
}

/* ---- the time series ---- */

/* The published form of (stat, cat, level) of the nation in column c (0 .. nperiods). */
static struct pivot_value series_value(const struct series *s, const struct dataset *ds,
				       const struct defs *defs, size_t c, unsigned stat, int cat,
				       int level, int *revised)
{
	*revised = 0;
	if (c < s->nperiods) {
		const struct series_period *p = &s->periods[c];
		struct pivot_value v = { 0, 0, OBS_MISSING, "[x]", 0 };
		if (!p->present)
			return v;
		return pivot_get(&p->ds, defs, p->ds.national_code, stat, cat, level);
	}
	*revised = is_revised(ds, ds->national_code, stat, cat, level);
	return pivot_get(ds, defs, ds->national_code, stat, cat, level);
}

static const char *column_period(const struct series *s, const struct dataset *ds, size_t c)
{
	return c < s->nperiods ? s->periods[c].period : ds->period;
}

void publish_series_csv(const struct series *s, const struct dataset *ds, const struct defs *defs,
			unsigned stat, struct strbuf *out)
{
	const char *f[SERIES_MAX_PERIODS + 2];
	char nums[SERIES_MAX_PERIODS + 1][32];
	int cats[MAX_KEYS], levels[MAX_KEYS];
	size_t nk = pivot_keys(defs, stat, 1, cats, levels, MAX_KEYS), ncol = s->nperiods + 1;

	f[0] = "category";
	f[1] = "level";
	for (size_t c = 0; c < ncol; c++)
		f[c + 2] = column_period(s, ds, c);
	csv_row(out, f, ncol + 2);
	for (size_t k = 0; k < nk; k++) {
		f[0] = defs_category_name(cats[k]);
		f[1] = defs_level_name(levels[k]);
		for (size_t c = 0; c < ncol; c++) {
			int rev;
			struct pivot_value v = series_value(s, ds, defs, c, stat, cats[k], levels[k], &rev);
			f[c + 2] = shown(&v, rev, nums[c], sizeof nums[c]);
		}
		csv_row(out, f, ncol + 2);
	}
}

/*
 * The earlier periods whose bundle had areas without a return ([x]): their national figures
 * sum the others only, beside complete years in the series (QA: 2021-22 of 41 areas was
 * charted beside 2022-23 of 42 without a word). "2021/22 (41 of 42 areas; none from Durham)",
 * "; " between periods, into buf; their count returned.
 */
#define INCOMPLETE_WORDS "Earlier periods published with areas missing (their national " \
			 "figures are the sums of the areas that sent a return): "

static size_t incomplete_periods(const struct series *s, char *buf, size_t size)
{
	size_t n = 0, w = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; s && i < s->nperiods; i++) {
		const struct dataset *e = &s->periods[i].ds;
		size_t present = 0, named = 0;
		char lab[16];
		int k;
		if (!s->periods[i].present)
			continue;
		for (size_t a = 0; a < e->nareas; a++)
			present += e->areas[a].state == AREA_PRESENT;
		if (present == e->nareas)
			continue;
		label_of(s->periods[i].period, lab, sizeof lab);
		k = snprintf(buf + w, size > w ? size - w : 0, "%s%s (%zu of %zu areas; none from ",
			     n ? "; " : "", lab, present, e->nareas);
		w += k > 0 ? (size_t)k : 0;
		for (size_t a = 0; a < e->nareas && w < size; a++) {
			if (e->areas[a].state == AREA_PRESENT)
				continue;
			k = named < 5 ? snprintf(buf + w, size - w, "%s%s", named ? ", " : "",
						 e->areas[a].name)
				      : named == 5 ? snprintf(buf + w, size - w, " and others") : 0;
			w += k > 0 ? (size_t)k : 0;
			named++;
		}
		k = w < size ? snprintf(buf + w, size - w, ")") : 0;
		w += k > 0 ? (size_t)k : 0;
		n++;
	}
	if (size && w >= size)
		buf[size - 1] = '\0';
	return n;
}

void publish_series_readme(const struct series *s, const struct dataset *ds, const struct defs *defs,
			   const char *release, size_t nrevised, struct strbuf *out)
{
	char buf[2400], areas[1800], first[16], last[16];

	if (!publish_series_active(s))
		return;
	if (s->nperiods) {
		label_of(s->periods[0].period, first, sizeof first);
		label_of(ds->period, last, sizeof last);
		strbuf_puts(out, "\nTime series\n-----------\n");
		snprintf(buf, sizeof buf, "tables/series-national-TABLE.csv hold each national table "
			 "from %s to %s, one column per period, oldest first (one row per category "
			 "and level, coded as in observations.csv); the workbook has them as the "
			 "Series_ sheets and index.html as a chart and tables; each area's page shows "
			 "its figures for the previous period beside this one. The figures of earlier "
			 "periods are copied from their published bundles exactly as published: a "
			 "withheld figure stays [c], and a period with no published bundle is [x].",
			 first, last);
		publish_text_wrap(out, buf, PUBLISH_TEXT_WIDTH);
		strbuf_puts(out, "Earlier bundles:");
		for (size_t i = 0; i < s->nperiods; i++)
			if (s->periods[i].present)
				strbuf_addf(out, " %s", s->periods[i].file);
			else
				strbuf_addf(out, " (%s: none, [x])", s->periods[i].period);
		strbuf_puts(out, "\n");
		if (incomplete_periods(s, areas, sizeof areas)) {
			snprintf(buf, sizeof buf, INCOMPLETE_WORDS "%s.", areas);
			publish_text_wrap(out, buf, PUBLISH_TEXT_WIDTH);
		}
	}
	if (revises(s, ds, defs)) {
		size_t n = publish_series_revised_areas(s, ds, 1, defs, areas, sizeof areas);
		char pops[1800];
		label_of(ds->period, last, sizeof last);
		strbuf_puts(out, "\nRevisions\n---------\n");
		if (!each_difference(s, ds, defs, NULL, NULL)) /* a population alone */
			snprintf(buf, sizeof buf, "This release, of %s, revises the statistics for %s "
				 "published before: no published figure changed.", release, last);
		else
			snprintf(buf, sizeof buf, "This release, of %s, revises the statistics for %s "
				 "published before. " REVISED_AREAS "%s. %zu figure%s revised, marked [r] in the "
				 "tables, the workbook and the pages; revisions.csv lists every figure "
				 "whose published form changed (area, table, category, level, "
				 "published before, published now), including figures withheld now or "
				 "before.", release, last, n ? areas : "none",
				 nrevised, nrevised == 1 ? " is" : "s are");
		publish_text_wrap(out, buf, PUBLISH_TEXT_WIDTH);
		if (population_changes(s, ds, pops, sizeof pops)) {
			snprintf(buf, sizeof buf, POPULATIONS_REVISED "%s.", pops);
			publish_text_wrap(out, buf, PUBLISH_TEXT_WIDTH);
		}
		if (nrevised)
			strbuf_puts(out, "[r]  revised since the earlier publication of the period\n");
	}
}

/* ---- the workbook ---- */

static void sheet_name(const struct defs *defs, unsigned stat, char *buf, size_t size)
{
	snprintf(buf, size, "Series_%.24s", dataset_stat_name(defs, stat));
}

void publish_series_ods_cover(const struct series *s, const struct dataset *ds, const struct defs *defs,
			      const char *release, size_t nrevised, struct ods *o)
{
	char buf[2400], areas[1800], last[16];
	size_t n;

	if (!s || !revises(s, ds, defs))
		return;
	n = publish_series_revised_areas(s, ds, 1, defs, areas, sizeof areas);
	label_of(ds->period, last, sizeof last);
	if (!each_difference(s, ds, defs, NULL, NULL)) /* a population alone */
		snprintf(buf, sizeof buf, "This release (%s) revises the statistics for %s published "
			 "before: no published figure changed.", release, last);
	else
		snprintf(buf, sizeof buf, "This release (%s) revises the statistics for %s published "
			 "before. " REVISED_AREAS "%s. "
			 "%zu figure%s marked [r] ([r]: revised); revisions.csv in the bundle lists "
			 "every figure whose published form changed.", release, last,
			 n ? areas : "none", nrevised,
			 nrevised == 1 ? " is" : "s are");
	ods_row(o);
	ods_text(o, buf, ODS_PLAIN);
	if (population_changes(s, ds, areas, sizeof areas)) {
		snprintf(buf, sizeof buf, POPULATIONS_REVISED "%s.", areas);
		ods_row(o);
		ods_text(o, buf, ODS_PLAIN);
	}
}

void publish_series_ods_contents(const struct series *s, const struct defs *defs, struct ods *o)
{
	char name[40], href[48], title[500], t[420];

	if (!s || !s->nperiods)
		return;
	for (unsigned st = 0; st < dataset_stat_count(defs); st++) {
		sheet_name(defs, st, name, sizeof name);
		snprintf(href, sizeof href, "#%s.A1", name);
		series_title(defs, st, t, sizeof t);
		snprintf(title, sizeof title, "Time series: %s, England and Wales", t);
		ods_row(o);
		ods_link(o, name, href);
		ods_text(o, title, ODS_PLAIN);
	}
}

void publish_series_ods_sheets(const struct series *s, const struct dataset *ds, const struct defs *defs,
			       struct ods *o)
{
	char name[40], title[500], t[420], range[40], lab[16], num[32];
	size_t ncol;

	if (!s || !s->nperiods)
		return;
	ncol = s->nperiods + 1;
	for (unsigned st = 0; st < dataset_stat_count(defs); st++) {
		int cats[MAX_KEYS], levels[MAX_KEYS];
		size_t nk = pivot_keys(defs, st, 1, cats, levels, MAX_KEYS);
		sheet_name(defs, st, name, sizeof name);
		series_title(defs, st, t, sizeof t);
		snprintf(title, sizeof title, "Time series: %s, England and Wales", t);
		ods_add_sheet(o, name);
		ods_row(o);
		ods_text(o, title, ODS_TITLE);
		ods_row(o);
		ods_text(o, "This worksheet contains one table, one column per period, oldest first. "
			    "Earlier periods as published in their bundles: [c] confidential, [z] not "
			    "applicable, [x] not available (no published bundle for the period), "
			    "[r] revised.", ODS_PLAIN);
		if (incomplete_periods(s, t, sizeof t)) {
			char note[600];
			snprintf(note, sizeof note, INCOMPLETE_WORDS "%s.", t);
			ods_row(o);
			ods_text(o, note, ODS_PLAIN);
		}
		snprintf(range, sizeof range, "%.31s_table", name);
		ods_header_row(o, range);
		ods_text(o, "Category", ODS_HEADER);
		ods_text(o, "Level", ODS_HEADER);
		for (size_t c = 0; c < ncol; c++) {
			label_of(column_period(s, ds, c), lab, sizeof lab);
			ods_text(o, lab, ODS_HEADER);
		}
		for (size_t k = 0; k < nk; k++) {
			ods_row(o);
			ods_text(o, pivot_category_short(cats[k]), ODS_PLAIN);
			ods_text(o, level_short(levels[k]), ODS_PLAIN);
			for (size_t c = 0; c < ncol; c++) {
				int rev;
				struct pivot_value v = series_value(s, ds, defs, c, st, cats[k], levels[k], &rev);
				if (v.published && !rev)
					ods_number(o, v.value);
				else
					ods_text(o, shown(&v, rev, num, sizeof num),
						 v.published ? ODS_PLAIN : ODS_SYMBOL);
			}
		}
	}
}

/* ---- the pages ---- */

static void esc(struct strbuf *out, const char *s)
{
	htmlesc_append(out, s);   /* the project's one HTML escaper */
}

/* page with section inserted before its last "</main>" (at the end when there is none). */
static void insert_section(struct strbuf *page, const struct strbuf *section)
{
	struct strbuf out = STRBUF_INIT;
	const char *at = NULL, *p;

	if (!section->len || !page->data)
		return;
	for (p = page->data; (p = strstr(p, "</main>")) != NULL; p++)
		at = p;
	if (!at)
		at = page->data + page->len;
	strbuf_add(&out, page->data, (size_t)(at - page->data));
	strbuf_add(&out, section->data, section->len);
	strbuf_add(&out, at, page->len - (size_t)(at - page->data));
	if (strbuf_ok(&out) != 0 || strbuf_ok(section) != 0) {
		page->failed = 1;
		strbuf_release(&out);
		return;
	}
	strbuf_release(page);
	*page = out;
}

/* A table's scrolling region and the start of its caption, labelled id and stat ("series3");
 * the caller writes the caption's text. */
static void table_open(struct strbuf *out, const char *id, unsigned stat)
{
	strbuf_addf(out, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"%s%u\">\n"
		    "<table>\n<caption id=\"%s%u\">", id, stat, id, stat);
}

/* A row's start: the category as its heading, then the level. */
static void row_open(struct strbuf *out, int cat, int level)
{
	strbuf_addf(out, "<tr><th scope=\"row\">%s</th><td>%s</td>", pivot_category_short(cat),
		    level_short(level));
}

static void cell_html(struct strbuf *out, const struct pivot_value *v, int revised)
{
	char buf[40];

	if (v->published) {
		strbuf_addf(out, "<td class=\"num\">%s", pivot_format_number(v->value, buf, sizeof buf));
		if (revised)
			strbuf_puts(out, " <abbr title=\"revised\">[r]</abbr>");
		strbuf_puts(out, "</td>");
	} else {
		strbuf_addf(out, "<td class=\"num\"><abbr title=\"%s\">%s</abbr></td>",
			    strcmp(v->symbol, "[c]") == 0 ? "confidential" :
			    strcmp(v->symbol, "[x]") == 0 ? "not available" : "not applicable", v->symbol);
	}
}

/* The chart of the national total of the first table by period: one bar per period. */
static void series_chart(const struct series *s, const struct dataset *ds, const struct defs *defs,
			 struct strbuf *out)
{
	const unsigned stat = 0;
	int cat = pivot_has_categories(defs, stat) ? CAT_ALL : CAT_NONE;
	int level = pivot_has_levels(defs, stat) ? LEVEL_ALL : LEVEL_NONE;
	size_t ncol = s->nperiods + 1;
	const int left = 60, bar = 44, gap = 24, top = 30, height = 220;
	long long max = 1;
	char t[420], lab[16], num[40];
	struct pivot_value v[SERIES_MAX_PERIODS];
	int width;

	if (!defs->ntables)
		return;
	series_title(defs, stat, t, sizeof t);
	for (size_t c = 0; c < ncol; c++) {
		int rev;
		v[c] = series_value(s, ds, defs, c, stat, cat, level, &rev);
		if (v[c].published && v[c].value > max)
			max = v[c].value;
	}
	max = (max * 11 + 9) / 10;
	width = left + (int)ncol * (bar + gap) + gap;
	strbuf_addf(out, "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
		    "aria-labelledby=\"series-title series-desc\" viewBox=\"0 0 %d %d\" "
		    "preserveAspectRatio=\"xMinYMin meet\" font-family=\"Arial, Helvetica, sans-serif\" "
		    "font-size=\"13\">\n<title id=\"series-title\">", width, top + height + 40);
	esc(out, t);
	strbuf_puts(out, ", England and Wales, total, by year</title>\n<desc id=\"series-desc\">Vertical bar chart, one bar per period, oldest first:");
	for (size_t c = 0; c < ncol; c++) {
		label_of(column_period(s, ds, c), lab, sizeof lab);
		strbuf_addf(out, " %s %s;", lab, v[c].published ? pivot_format_number(v[c].value, num, sizeof num)
							       : v[c].symbol);
	}
	strbuf_puts(out, " the figures are in the first time-series table below.</desc>\n");
	strbuf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#0b0c0c\"/>\n", left,
		    top + height, width, top + height);
	for (size_t c = 0; c < ncol; c++) {
		int x = left + gap + (int)c * (bar + gap);
		label_of(column_period(s, ds, c), lab, sizeof lab);
		if (v[c].published) {
			int h = (int)(v[c].value * height / max);
			strbuf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#1d70b8\"/>\n",
				    x, top + height - h, bar, h);
			strbuf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#0b0c0c\">%s</text>\n",
				    x + bar / 2, top + height - h - 6, pivot_format_number(v[c].value, num, sizeof num));
		} else {
			strbuf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#505a5f\">%s</text>\n",
				    x + bar / 2, top + height - 6, v[c].symbol);
		}
		strbuf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#0b0c0c\">%s</text>\n",
			    x + bar / 2, top + height + 20, lab);
	}
	strbuf_puts(out, "</svg>\n<figcaption>");
	esc(out, t);
	strbuf_puts(out, ", England and Wales, total over categories, by year (bars: one per period; a "
			 "period without a published bundle has no bar).</figcaption>\n</figure>\n");
}

static void revision_note(const struct series *s, const struct dataset *ds, const struct defs *defs,
			  size_t nrevised, struct strbuf *out)
{
	char areas[1800];
	size_t n;

	if (!revises(s, ds, defs))
		return;
	n = publish_series_revised_areas(s, ds, 1, defs, areas, sizeof areas);
	strbuf_puts(out, "<h2 id=\"revisions\">Revisions</h2>\n<p>This release revises the statistics "
			 "published before for this period");
	if (!each_difference(s, ds, defs, NULL, NULL)) { /* a population alone */
		strbuf_puts(out, ": no published figure changed.</p>\n");
	} else {
		strbuf_puts(out, ". " REVISED_AREAS);
		esc(out, n ? areas : "none");
		strbuf_addf(out, ". %zu figure%s marked <abbr title=\"revised\">[r]</abbr>; "
			    "<a href=\"revisions.csv\">revisions.csv</a> lists every figure whose "
			    "published form changed.</p>\n", nrevised, nrevised == 1 ? " is" : "s are");
	}
	if (population_changes(s, ds, areas, sizeof areas)) {
		strbuf_puts(out, "<p>" POPULATIONS_REVISED);
		esc(out, areas);
		strbuf_puts(out, ".</p>\n");
	}
}

void publish_series_html_index(const struct series *s, const struct dataset *ds, const struct defs *defs,
			       size_t nrevised, struct strbuf *page)
{
	struct strbuf sec = STRBUF_INIT;
	size_t ncol;
	char t[420], lab[16];

	if (!publish_series_active(s))
		return;
	revision_note(s, ds, defs, nrevised, &sec);
	if (s->nperiods) {
		ncol = s->nperiods + 1;
		strbuf_puts(&sec, "<h2 id=\"series\">Time series</h2>\n<p>Each national table for every "
				  "period, oldest first. Earlier periods are copied from their published "
				  "bundles as published: [c] confidential, [z] not applicable, [x] not "
				  "available (no published bundle for the period).</p>\n");
		if (incomplete_periods(s, t, sizeof t)) {
			strbuf_puts(&sec, "<p>" INCOMPLETE_WORDS);
			esc(&sec, t);
			strbuf_puts(&sec, ".</p>\n");
		}
		series_chart(s, ds, defs, &sec);
		for (unsigned st = 0; st < dataset_stat_count(defs); st++) {
			int cats[MAX_KEYS], levels[MAX_KEYS];
			size_t nk = pivot_keys(defs, st, 1, cats, levels, MAX_KEYS);
			series_title(defs, st, t, sizeof t);
			table_open(&sec, "series", st);
			strbuf_puts(&sec, "Time series: ");
			esc(&sec, t);
			strbuf_puts(&sec, ", England and Wales</caption>\n<thead>\n<tr><th scope=\"col\">Category</th><th scope=\"col\">Level</th>");
			for (size_t c = 0; c < ncol; c++) {
				label_of(column_period(s, ds, c), lab, sizeof lab);
				strbuf_addf(&sec, "<th scope=\"col\">%s</th>", lab);
			}
			strbuf_puts(&sec, "</tr>\n</thead>\n<tbody>\n");
			for (size_t k = 0; k < nk; k++) {
				row_open(&sec, cats[k], levels[k]);
				for (size_t c = 0; c < ncol; c++) {
					int rev;
					struct pivot_value v = series_value(s, ds, defs, c, st, cats[k], levels[k], &rev);
					cell_html(&sec, &v, rev);
				}
				strbuf_puts(&sec, "</tr>\n");
			}
			strbuf_puts(&sec, "</tbody>\n</table>\n</div>\n");
		}
	}
	insert_section(page, &sec);
	strbuf_release(&sec);
}

void publish_series_html_area(const struct series *s, const struct dataset *ds, const struct defs *defs,
			      const char *area, struct strbuf *page)
{
	struct strbuf sec = STRBUF_INIT;
	const struct series_period *p;
	char t[420], l1[16], l2[16];

	if (!s)
		return;
	if (!s->nperiods)
		goto out;
	p = &s->periods[s->nperiods - 1];
	label_of(p->period, l1, sizeof l1);
	label_of(ds->period, l2, sizeof l2);
	strbuf_addf(&sec, "<h2 id=\"previous\">%s beside %s</h2>\n<p>", l2, l1);
	if (p->present)
		strbuf_addf(&sec, "The figures published for this area for %s (in %s), as published, "
			    "beside this period's. ", l1, p->file);
	else
		strbuf_addf(&sec, "No bundle was published for %s: its figures are not available [x]. ", l1);
	strbuf_puts(&sec, "Category 4 is never published for an area.</p>\n");
	for (unsigned st = 0; st < dataset_stat_count(defs); st++) {
		int cats[MAX_KEYS], levels[MAX_KEYS];
		size_t nk = pivot_keys(defs, st, 0, cats, levels, MAX_KEYS);
		series_title(defs, st, t, sizeof t);
		table_open(&sec, "previous", st);
		esc(&sec, t);
		strbuf_addf(&sec, ", %s and %s</caption>\n<thead>\n<tr><th scope=\"col\">Category</th>"
			    "<th scope=\"col\">Level</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>\n"
			    "</thead>\n<tbody>\n", l1, l2, l1, l2);
		for (size_t k = 0; k < nk; k++) {
			struct pivot_value before = { 0, 0, OBS_MISSING, "[x]", 0 }, now;
			if (cats[k] == 4)
				continue;
			if (p->present)
				before = pivot_get(&p->ds, defs, area, st, cats[k], levels[k]);
			now = pivot_get(ds, defs, area, st, cats[k], levels[k]);
			row_open(&sec, cats[k], levels[k]);
			cell_html(&sec, &before, 0);
			cell_html(&sec, &now, now.published && is_revised(ds, area, st, cats[k], levels[k]));
			strbuf_puts(&sec, "</tr>\n");
		}
		strbuf_puts(&sec, "</tbody>\n</table>\n</div>\n");
	}
out:
	insert_section(page, &sec);
	strbuf_release(&sec);
}
