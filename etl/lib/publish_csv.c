/*
 * publish_csv: the bundle's CSV files (see publish_csv.h).
 */
#include "publish_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "pivot.h"
#include "publish_layout.h"
#include "publish_private.h"

void publish_csv_table(const struct ptable *t, struct strbuf *out)
{
	const char **f = t->ncols ? calloc(t->ncols, sizeof *f) : NULL;
	char **owned = t->ncols ? calloc(t->ncols, sizeof *owned) : NULL;

	if (!f || !owned) {
		out->failed = 1;
		goto out;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = ptable_heading(t, c);
		owned[c] = strndup(h, publish_notes_at(h));
		if (!owned[c]) {
			out->failed = 1;
			goto out;
		}
		f[c] = owned[c];
	}
	csv_row(out, f, t->ncols);
	for (size_t r = 0; r < t->nrows; r++) {
		char nums[40];
		/* at most one number a row is formatted at a time: each is written as its own field */
		for (size_t c = 0; c < t->ncols; c++) {
			const struct ptable_cell *cell = ptable_at(t, r, c);
			if (c)
				strbuf_puts(out, ",");
			if (cell->kind == PTABLE_NUMBER) {
				snprintf(nums, sizeof nums, "%lld%s", cell->number, cell->revised ? " [r]" : "");
				csv_field(out, nums);
			} else {
				csv_field(out, ptable_cell_text(cell));
			}
		}
		strbuf_puts(out, "\r\n");
	}
out:
	if (owned)
		for (size_t c = 0; c < t->ncols; c++)
			free(owned[c]);
	free(owned);
	free(f);
}

void publish_csv_published(const struct dataset *ds, const struct defs *defs,
			   const struct policy *pol, unsigned stat,
			   int national, struct strbuf *out)
{
	struct ptable t;

	publish_layout_published(&t, ds, defs, pol, stat, national);
	if (ptable_ok(&t) == 0)
		publish_csv_table(&t, out);
	else
		out->failed = 1;
	ptable_release(&t);
}

void publish_csv_key(const struct dataset *ds, const struct defs *defs, const char *area,
		     unsigned stat, int cat, int level, const char **f)
{
	f[0] = area;
	f[1] = publish_area_name(ds, area);
	f[2] = dataset_stat_name(defs, stat);
	f[3] = defs_category_name(cat);
	f[4] = defs_level_name(level);
}

static void observation_row(const struct dataset *ds, const struct defs *defs, const char *area,
			    unsigned stat, int cat, int level, const struct pivot_value *v,
			    struct strbuf *out)
{
	char num[32];
	const char *f[8];
	snprintf(num, sizeof num, "%lld", v->value);
	f[0] = ds->period;
	publish_csv_key(ds, defs, area, stat, cat, level, f + 1);
	f[6] = v->published ? num : "";
	f[7] = v->published ? "" : v->symbol;
	csv_row(out, f, 8);
}

void publish_csv_observations(const struct dataset *ds, const struct defs *defs,
			      const struct policy *pol, struct strbuf *out)
{
	static const char *const head[] = { "period", "area_code", "area_name", "table", "category",
					    "level", "value", "status" };
	csv_row(out, head, 8);
	for (size_t a = 0; a <= ds->nareas; a++) {
		const char *code = a == 0 ? ds->national_code : ds->areas[a - 1].code;
		for (unsigned s = 0; s < dataset_stat_count(defs); s++) {
			int cats[32], levels[32];
			size_t n = pivot_keys_policy(defs, pol, s, a == 0, cats, levels, 32);
			for (size_t k = 0; k < n; k++) {
				struct pivot_value v = pivot_get_policy(ds, defs, pol, code, s, cats[k], levels[k]);
				observation_row(ds, defs, code, s, cats[k], levels[k], &v, out);
			}
		}
	}
}
