#include "pivot.h"

#include <stdio.h>
#include <string.h>

#include "policy.h"

int pivot_has_categories(const struct defs *defs, unsigned stat)
{
	return stat < defs->ntables && defs->tables[stat].categories != 0;
}

int pivot_has_levels(const struct defs *defs, unsigned stat)
{
	return stat < defs->ntables && defs->tables[stat].levels != 0;
}

int pivot_is_rate(const struct defs *defs, unsigned stat)
{
	return stat >= defs->ntables && stat < defs->ntables + defs->nrates;
}

static struct pivot_value symbol_value(enum obs_status s)
{
	struct pivot_value v;
	v.published = 0;
	v.value = 0;
	v.status = s;
	v.symbol = obs_status_symbol(s);
	v.revised = 0;
	return v;
}

/* pol, or the shipped default policy in *def when pol is NULL. */
static const struct policy *policy_or_default(const struct policy *pol, struct policy *def)
{
	if (pol)
		return pol;
	policy_init_default(def);
	return def;
}

/* Whether an area's cell of category cat is never published under pol (policy_reason: a
 * withheld category, or a total over categories that holds one). */
static int area_withheld(const struct policy *pol, int cat)
{
	return policy_reason(pol, 0, cat, 0) == POLICY_WITHHELD;
}

struct pivot_value pivot_get(const struct dataset *ds, const struct defs *defs, const char *area,
			     unsigned stat, int cat, int level)
{
	return pivot_get_policy(ds, defs, NULL, area, stat, cat, level);
}

struct pivot_value pivot_get_policy(const struct dataset *ds, const struct defs *defs,
				    const struct policy *pol, const char *area, unsigned stat,
				    int cat, int level)
{
	int national = strcmp(area, ds->national_code) == 0;
	const struct obs *o;
	struct pivot_value v;
	struct policy def;

	/* cells that cannot exist are [z] whatever the dataset holds */
	if (stat < defs->ntables && cat >= 1 && cat <= 4 && level >= 1 && level <= 3 &&
	    !defs_has_cell(&defs->tables[stat], cat, level))
		return symbol_value(OBS_NA);
	o = dataset_find(ds, area, stat, cat, level);
	if (!o)
		return symbol_value(OBS_MISSING);
	if (!national && area_withheld(policy_or_default(pol, &def), cat)) {
		/* never published for an area, whatever status the suppression gave it */
		return symbol_value(o->status == OBS_OK ? OBS_WITHHELD : o->status);
	}
	if (!obs_status_published(o->status))
		return symbol_value(o->status);
	v.published = 1;
	v.value = o->value;
	v.status = OBS_OK;
	v.symbol = "";
	v.revised = o->revised;
	return v;
}

static size_t categories_of(const struct defs *defs, const struct policy *pol, unsigned stat,
			    int national, int with_withheld, int *out)
{
	size_t n = 0;
	struct policy def;
	if (!pivot_has_categories(defs, stat)) {
		out[n++] = CAT_NONE;
		return n;
	}
	for (int c = 1; c <= 4; c++)
		if (defs->tables[stat].categories >> c & 1u)
			if (national || with_withheld || !policy_withheld(policy_or_default(pol, &def), c))
				out[n++] = c;
	out[n++] = national ? CAT_ALL : CAT_1_3;
	return n;
}

static size_t levels_of(const struct defs *defs, unsigned stat, int *out)
{
	size_t n = 0;
	if (!pivot_has_levels(defs, stat)) {
		out[n++] = LEVEL_NONE;
		return n;
	}
	for (int l = 1; l <= 3; l++)
		if (defs->tables[stat].levels >> l & 1u)
			out[n++] = l;
	out[n++] = LEVEL_ALL;
	return n;
}

void pivot_grid(const struct dataset *ds, const struct defs *defs, const char *area, unsigned stat,
		struct pivot_grid *g)
{
	pivot_grid_policy(ds, defs, NULL, area, stat, g);
}

void pivot_grid_policy(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
		       const char *area, unsigned stat, struct pivot_grid *g)
{
	int national = strcmp(area, ds->national_code) == 0;

	memset(g, 0, sizeof *g);
	g->ncols = categories_of(defs, pol, stat, national, 0, g->col_cat);
	g->nrows = levels_of(defs, stat, g->row_level);
	for (size_t r = 0; r < g->nrows; r++)
		for (size_t c = 0; c < g->ncols; c++)
			g->cell[r][c] = pivot_get_policy(ds, defs, pol, area, stat, g->col_cat[c],
							 g->row_level[r]);
}

size_t pivot_keys(const struct defs *defs, unsigned stat, int national, int *cats, int *levels,
		  size_t max)
{
	return pivot_keys_policy(defs, NULL, stat, national, cats, levels, max);
}

size_t pivot_keys_policy(const struct defs *defs, const struct policy *pol, unsigned stat,
			 int national, int *cats, int *levels, size_t max)
{
	int c[PIVOT_MAX_COLS], l[PIVOT_MAX_ROWS];
	size_t nc = categories_of(defs, pol, stat, national, 1, c), nl = levels_of(defs, stat, l), n = 0;

	/* sorted as the dataset sorts: category code, then level code */
	for (size_t i = 0; i < nc; i++)
		for (size_t j = 0; j < nl; j++)
			if (n < max) {
				cats[n] = c[i];
				levels[n] = l[j];
				n++;
			}
	return n;
}

const char *pivot_category_label(int cat)
{
	switch (cat) {
	case 1: return "Category 1: subject to sex offender notification requirements";
	case 2: return "Category 2: violent offenders";
	case 3: return "Category 3: other dangerous offenders";
	case 4: return "Category 4: terrorism and terrorism risk offenders";
	case CAT_ALL: return "Total (categories 1-4)";
	case CAT_1_3: return "Total (categories 1-3)";
	default: return "Number";
	}
}

const char *pivot_category_short(int cat)
{
	switch (cat) {
	case 1: return "Category 1";
	case 2: return "Category 2";
	case 3: return "Category 3";
	case 4: return "Category 4";
	case CAT_ALL: case CAT_1_3: return "Total";
	default: return "Number";
	}
}

const char *pivot_level_label(int level)
{
	switch (level) {
	case 1: return "Level 1";
	case 2: return "Level 2";
	case 3: return "Level 3";
	case LEVEL_ALL: return "Total";
	default: return "";
	}
}

const char *pivot_format_number(long long v, char *buf, size_t size)
{
	char digits[32];
	size_t n, out = 0;
	int neg = v < 0;
	unsigned long long u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	snprintf(digits, sizeof digits, "%llu", u);
	n = strlen(digits);
	if (neg && out + 1 < size)
		buf[out++] = '-';
	for (size_t i = 0; i < n && out + 1 < size; i++) {
		if (i && (n - i) % 3 == 0 && out + 2 < size)
			buf[out++] = ',';
		buf[out++] = digits[i];
	}
	buf[out] = '\0';
	return buf;
}
