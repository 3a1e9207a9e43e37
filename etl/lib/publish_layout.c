/*
 * publish_layout: the publication's tables laid out from the pivot of a dataset (see
 * publish_layout.h).
 */
#include "publish_layout.h"

#include <stdio.h>
#include <string.h>

#include "pivot.h"
#include "publish_private.h"

static void set_value(struct ptable *t, size_t r, size_t c, const struct pivot_value *v)
{
	if (v->published)
		ptable_set_number(t, r, c, v->value, v->revised);
	else
		ptable_set_symbol(t, r, c, v->symbol, (unsigned)v->status);
}

void publish_layout_grid(struct ptable *t, const struct dataset *ds, const struct defs *defs,
			 const struct policy *pol,
			 const char *area, unsigned stat, enum publish_lang lang, const char *area_name)
{
	struct pivot_grid g;
	char title[PUBLISH_TITLE_SIZE], plabel[16], per[32], lev[32];

	struct policy def;

	pol = publish_policy(pol, &def);
	if (!area_name)
		area_name = publish_area_name(ds, area);
	publish_stat_title_lang(ds, defs, stat, lang, title, sizeof title);
	publish_period_label(ds, plabel, sizeof plabel);
	pivot_grid_policy(ds, defs, pol, area, stat, &g);
	if (pivot_is_rate(defs, stat)) {
		int approx;
		long long pop = publish_population_of(ds, area, &approx);
		ptable_init(t, 3);
		ptable_title(t, "%s, %s, %s", title, area_name, plabel);
		t->row_headers = 1;
		ptable_head(t, 0, "%s", publish_msg(lang, MSG_AREA));
		ptable_head(t, 1, "%s%s [note 5]", publish_msg(lang, MSG_POPULATION),
			    approx ? publish_msg(lang, MSG_APPROXIMATE) : "");
		ptable_head(t, 2, publish_msg(lang, MSG_RATE_PER),
			    pivot_format_number(defs->rates[stat - defs->ntables].per, per, sizeof per));
		ptable_add_row(t);
		ptable_set_text(t, 0, 0, area_name);
		if (pop > 0)
			ptable_set_number(t, 0, 1, pop, 0);
		else
			ptable_set_symbol(t, 0, 1, "[x]", OBS_MISSING);
		set_value(t, 0, 2, &g.cell[0][0]);
		return;
	}
	ptable_init(t, g.ncols + 1);
	ptable_title(t, "%s, %s, %s", title, area_name, plabel);
	t->row_headers = 1;
	ptable_head(t, 0, "%s", publish_msg(lang, g.row_level[0] == LEVEL_NONE ? MSG_MEASURE : MSG_LEVEL));
	for (size_t c = 0; c < g.ncols; c++) {
		const char *label = publish_category_label(g.col_cat[c], lang);
		if (g.col_cat[c] == CAT_1_3)
			ptable_head(t, c + 1, "%s [note 2]", label);
		else if (policy_withheld(pol, g.col_cat[c]))   /* published only nationally */
			ptable_head(t, c + 1, "%s [note 1]", label);
		else
			ptable_head(t, c + 1, "%s", label);
	}
	for (size_t r = 0; r < g.nrows; r++) {
		size_t row = ptable_add_row(t);
		ptable_set_text(t, row, 0, g.row_level[r] == LEVEL_NONE ? title
					   : publish_level_label(g.row_level[r], lang, lev, sizeof lev));
		for (size_t c = 0; c < g.ncols; c++)
			set_value(t, row, c + 1, &g.cell[r][c]);
	}
}

void publish_layout_areas(struct ptable *t, const struct dataset *ds, const struct defs *defs,
			 const struct policy *pol,
			  unsigned stat)
{
	struct pivot_grid g;
	char title[PUBLISH_TITLE_SIZE], plabel[16], per[32];
	size_t col = 2;
	int rate = pivot_is_rate(defs, stat);

	publish_stat_title(ds, defs, stat, title, sizeof title);
	publish_period_label(ds, plabel, sizeof plabel);
	if (ds->nareas == 0) {
		ptable_init(t, 2);
	} else {
		pivot_grid_policy(ds, defs, pol, ds->areas[0].code, stat, &g);
		ptable_init(t, rate ? 4 : 2 + g.nrows * g.ncols);
	}
	ptable_title(t, "%s, by MAPPA area, %s", title, plabel);
	t->row_headers = 2;
	ptable_head(t, 0, "Area code");
	ptable_head(t, 1, "Area name");
	if (ds->nareas == 0)
		return;
	if (rate) {
		ptable_head(t, 2, "Population aged 10 and over%s [note 5]",
			    publish_count_approximate(ds) ? " (approximate)" : "");
		ptable_head(t, 3, "Rate per %s population aged 10 and over",
			    pivot_format_number(defs->rates[stat - defs->ntables].per, per, sizeof per));
	} else {
		for (size_t r = 0; r < g.nrows; r++)
			for (size_t c = 0; c < g.ncols; c++, col++) {
				const char *lev = g.row_level[r] == LEVEL_ALL ? "all levels" : pivot_level_label(g.row_level[r]);
				if (g.col_cat[c] == CAT_NONE && g.row_level[r] == LEVEL_NONE)
					ptable_head(t, col, "Number");
				else if (g.col_cat[c] == CAT_NONE)
					ptable_head(t, col, "%s", g.row_level[r] == LEVEL_ALL ? "Total" : lev);
				else if (g.col_cat[c] == CAT_1_3)
					ptable_head(t, col, "Total (categories 1-3), %s [note 2]", lev);
				else
					ptable_head(t, col, "Category %d, %s", g.col_cat[c], lev);
			}
	}
	for (size_t a = 0; a < ds->nareas; a++) {
		const struct dataset_area *da = &ds->areas[a];
		size_t row = ptable_add_row(t);
		ptable_set_text(t, row, 0, da->code);
		ptable_set_text(t, row, 1, da->name);
		if (rate) {
			struct pivot_value v = pivot_get_policy(ds, defs, pol, da->code, stat, CAT_NONE, LEVEL_NONE);
			ptable_set_number(t, row, 2, da->population, 0);
			set_value(t, row, 3, &v);
		} else {
			struct pivot_grid ag;
			size_t k = 2;
			pivot_grid_policy(ds, defs, pol, da->code, stat, &ag);
			for (size_t r = 0; r < ag.nrows; r++)
				for (size_t c = 0; c < ag.ncols; c++)
					set_value(t, row, k++, &ag.cell[r][c]);
		}
	}
}

void publish_layout_singles(struct ptable *t, const struct dataset *ds, const struct defs *defs,
			 const struct policy *pol,
			    const char *area, enum publish_lang lang, const char *area_name)
{
	unsigned order[DEFS_MAX_TABLES + DEFS_MAX_RATES];
	size_t n = publish_stat_order(defs, order);
	char plabel[16];

	ptable_init(t, 2);
	publish_period_label(ds, plabel, sizeof plabel);
	ptable_title(t, "%s, %s, %s", publish_msg(lang, MSG_SINGLES_TITLE),
		     area_name ? area_name : publish_area_name(ds, area), plabel);
	t->row_headers = 1;
	ptable_head(t, 0, "%s", publish_msg(lang, MSG_MEASURE));
	ptable_head(t, 1, "%s", publish_msg(lang, MSG_NUMBER));
	for (size_t i = 0; i < n; i++) {
		char title[PUBLISH_TITLE_SIZE];
		struct pivot_value v;
		size_t row;
		if (!publish_is_single(defs, order[i]))
			continue;
		publish_stat_title_lang(ds, defs, order[i], lang, title, sizeof title);
		v = pivot_get_policy(ds, defs, pol, area, order[i], CAT_NONE, LEVEL_NONE);
		row = ptable_add_row(t);
		ptable_set_text(t, row, 0, title);
		set_value(t, row, 1, &v);
	}
}

void publish_layout_published(struct ptable *t, const struct dataset *ds, const struct defs *defs,
			 const struct policy *pol,
			      unsigned stat, int national)
{
	if (national && publish_is_single(defs, stat)) {
		/* one row in the all-areas layout */
		struct pivot_value v = pivot_get_policy(ds, defs, pol, ds->national_code, stat, CAT_NONE, LEVEL_NONE);
		char title[PUBLISH_TITLE_SIZE], plabel[16];
		publish_stat_title(ds, defs, stat, title, sizeof title);
		publish_period_label(ds, plabel, sizeof plabel);
		ptable_init(t, 3);
		ptable_title(t, "%s, %s, %s", title, ds->national_name, plabel);
		t->row_headers = 2;
		ptable_head(t, 0, "Area code");
		ptable_head(t, 1, "Area name");
		ptable_head(t, 2, "Number");
		ptable_add_row(t);
		ptable_set_text(t, 0, 0, ds->national_code);
		ptable_set_text(t, 0, 1, ds->national_name);
		set_value(t, 0, 2, &v);
	} else if (national) {
		publish_layout_grid(t, ds, defs, pol, ds->national_code, stat, PUBLISH_EN, NULL);
	} else {
		publish_layout_areas(t, ds, defs, pol, stat);
	}
}

int publish_layout_area_tables(const struct dataset *ds, const struct defs *defs,
			       const struct policy *pol, const char *area,
			       enum publish_lang lang, const char *area_name,
			       void (*fn)(const struct ptable *t, void *ctx, const char *caption),
			       void *ctx, unsigned *symbols)
{
	unsigned order[DEFS_MAX_TABLES + DEFS_MAX_RATES];
	size_t n = publish_stat_order(defs, order);
	int singles_done = 0, result = 0;

	for (size_t i = 0; i < n && result == 0; i++) {
		char title[PUBLISH_TITLE_SIZE];
		struct ptable t;
		unsigned s = order[i];
		if (publish_is_single(defs, s)) {
			if (singles_done)
				continue;
			singles_done = 1;
			publish_layout_singles(&t, ds, defs, pol, area, lang, area_name);
			snprintf(title, sizeof title, "%s", publish_msg(lang, MSG_SINGLES_TITLE));
		} else {
			publish_layout_grid(&t, ds, defs, pol, area, s, lang, area_name);
			publish_stat_title_lang(ds, defs, s, lang, title, sizeof title);
		}
		if (ptable_ok(&t) == 0) {
			fn(&t, ctx, title);
			*symbols |= t.symbols;
		} else {
			result = -1;
		}
		ptable_release(&t);
	}
	return result;
}
