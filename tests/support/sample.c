#include "sample.h"

#include "normalise.h"

#include <stdio.h>
#include <string.h>

#include "pivot.h"

static unsigned long long next(unsigned long long *s)
{
	/* splitmix64: small, portable, the same everywhere */
	unsigned long long z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static long long uniform(unsigned long long *s, long long lo, long long hi)
{
	return lo + (long long)(next(s) % (unsigned long long)(hi - lo + 1));
}

/* Inner cell value for an area of population pop. */
static long long make_value(unsigned long long *s, const char *table, int cat, int level, long long pop,
			    long long eligible)
{
	long long base = pop / 1000; /* London: about 7,750 */
	if (strcmp(table, "eligible") == 0) {
		if (cat == 4)
			return uniform(s, 0, level == 1 ? 6 : 3);
		if (level == 1)
			return cat == 1 ? base * (65 + uniform(s, 0, 45)) / 100
					: base * 45 / 100 + uniform(s, 0, base / 10);
		if (level == 2)
			return uniform(s, 0, 4 + base / 150);
		return uniform(s, 0, 2 + base / 600);
	}
	if (strcmp(table, "managedAtLevel23") == 0)
		return eligible * 5 + uniform(s, 0, 3 + base / 200);
	if (strcmp(table, "returnedToCustody") == 0)
		return eligible / 8 + uniform(s, 0, 2);
	if (strcmp(table, "shpoBreach") == 0)
		return uniform(s, 0, 3);
	if (strcmp(table, "notificationBreach") == 0)
		return base / 50 + uniform(s, 0, 10);
	if (strcmp(table, "notificationRevoked") == 0)
		return base / 120 + uniform(s, 0, 5);
	if (strcmp(table, "shpo") == 0)
		return base / 14 + uniform(s, 0, 20);
	if (strcmp(table, "shpoForeignTravel") == 0)
		return uniform(s, 0, 3);
	return uniform(s, 0, 9);
}

static int stat_cell_na(const struct defs *defs, const struct obs *o)
{
	return o->category >= 1 && o->category <= 4 && o->level >= 1 && o->level <= 3 &&
	       !defs_has_cell(&defs->tables[o->stat], o->category, o->level);
}

static int is_small(long long v) { return v >= 1 && v <= 2; }

/* Suppression as the stage would set it, for one area's table (see sample.h). */
static void suppress_area(struct dataset *ds, const struct defs *defs, const char *code, unsigned t)
{
	(void)defs;
	for (size_t i = 0; i < ds->nobs; i++) {
		struct obs *o = &ds->obs[i];
		if (strcmp(o->area, code) || o->stat != t || o->status != OBS_OK)
			continue;
		if (o->category == 4 || o->category == CAT_ALL)
			o->status = OBS_WITHHELD;
		else if (is_small(o->value)) /* every count of 1 or 2, totals too (P08) */
			o->status = OBS_PRIMARY;
	}
}

/* A line: cells whose sum is the last one. Exactly one withheld: withhold the smallest other
   published part (zeros last), so the line no longer gives it away. Returns 1 when it did. */
static int fix_line(struct obs **cells, size_t n)
{
	size_t hidden = 0;
	struct obs *best = NULL;

	for (size_t i = 0; i < n; i++)
		if (cells[i] && cells[i]->status != OBS_OK)
			hidden++;
	if (hidden != 1 || n < 3)
		return 0;
	for (size_t i = 0; i + 1 < n; i++) {
		struct obs *o = cells[i];
		if (!o || o->status != OBS_OK)
			continue;
		if (!best || (best->value == 0 && o->value > 0) ||
		    (o->value > 0 && o->value < best->value))
			best = o;
	}
	if (!best)
		return 0;
	best->status = OBS_SECONDARY;
	return 1;
}

/* Secondary suppression over every area's rows and columns and every cell across the areas
   against the national figure, until no line has a single withheld figure. */
static void suppress_secondary(struct dataset *ds, const struct defs *defs)
{
	int changed = 1;

	while (changed) {
		changed = 0;
		for (unsigned t = 0; t < defs->ntables; t++) {
			struct pivot_grid g;
			struct obs *cells[AREAS_MAX + 1];
			pivot_grid(ds, defs, ds->areas[0].code, t, &g);
			for (size_t a = 0; a < ds->nareas; a++) {
				const char *code = ds->areas[a].code;
				if (ds->areas[a].state == AREA_MISSING)
					continue;
				for (size_t r = 0; r < g.nrows; r++) {
					for (size_t c = 0; c < g.ncols; c++)
						cells[c] = dataset_find(ds, code, t, g.col_cat[c], g.row_level[r]);
					changed |= fix_line(cells, g.ncols);
				}
				for (size_t c = 0; c < g.ncols; c++) {
					for (size_t r = 0; r < g.nrows; r++)
						cells[r] = dataset_find(ds, code, t, g.col_cat[c], g.row_level[r]);
					changed |= fix_line(cells, g.nrows);
				}
			}
			for (size_t c = 0; c < g.ncols; c++)
				for (size_t r = 0; r < g.nrows; r++) {
					size_t n = 0;
					for (size_t a = 0; a < ds->nareas; a++)
						if (ds->areas[a].state == AREA_PRESENT)
							cells[n++] = dataset_find(ds, ds->areas[a].code, t, g.col_cat[c], g.row_level[r]);
					/* the areas' totals over 1-3 sum to the national one too */
					cells[n++] = dataset_find(ds, ds->national_code, t, g.col_cat[c],
								  g.row_level[r]);
					if (cells[n - 1])
						changed |= fix_line(cells, n);
				}
		}
	}
}

int sample_dataset(struct dataset *ds, const struct defs *defs, const struct areas *ref,
		   size_t nareas, unsigned seed, const char *period, const char *missing)
{
	unsigned long long s = seed;
	int elig = defs_find(defs, "eligible");
	long long natpop = 0, natcat1 = 0;

	dataset_init(ds);
	ds->stage = STAGE_SUPPRESSED;
	snprintf(ds->period, sizeof ds->period, "%s", period);
	snprintf(ds->national_code, sizeof ds->national_code, "%s", ref->national_code);
	snprintf(ds->national_name, sizeof ds->national_name, "%s", ref->national_name);
	snprintf(ds->population_source, sizeof ds->population_source, "%s", ref->population_source);
	snprintf(ds->policy, sizeof ds->policy, "policy/default.xml");
	if (nareas == 0 || nareas > ref->count)
		nareas = ref->count;
	for (size_t a = 0; a < nareas; a++) {
		const struct area *ra = &ref->items[a];
		struct dataset_area *da = &ds->areas[ds->nareas++];
		int absent = missing && strcmp(missing, ra->code) == 0;
		long long cat1 = 0;

		memset(da, 0, sizeof *da);
		snprintf(da->code, sizeof da->code, "%s", ra->code);
		snprintf(da->name, sizeof da->name, "%s", ra->name);
		da->state = absent ? AREA_MISSING : AREA_PRESENT;
		da->revision = absent ? 0 : 1;
		/* sent in the April after the period ends (R18; publish checks it, P02) */
		if (absent)
			da->submitted[0] = '\0';
		else
			snprintf(da->submitted, sizeof da->submitted, "%04u-04-28",
				 (unsigned)(dataset_period_year(period) + 1) % 10000u);
		da->population = ra->population;
		da->population_approximate = ra->approximate;
		if (!absent)
			snprintf(da->source, sizeof da->source, "%s-%s.xml", ra->code, period);
		else
			ds->incomplete = 1;
		for (unsigned t = 0; t < defs->ntables; t++) {
			const struct defs_table *tab = &defs->tables[t];
			long long cellv[5][4] = { { 0 } };
			int cmax = tab->categories ? 4 : 0, cmin = tab->categories ? 1 : 0;
			int lmin = tab->levels ? 1 : 0, lmax = tab->levels ? 3 : 0;
			for (int c = cmin; c <= cmax; c++)
				for (int l = lmin; l <= lmax; l++) {
					long long v, e = 0;
					const struct obs *eo;
					if (tab->categories && !(tab->categories >> c & 1u))
						continue;
					if (tab->levels && !(tab->levels >> l & 1u))
						continue;
					if (!defs_has_cell(tab, c, l))
						continue; /* no row: the dataset format has none for such cells */
					eo = elig >= 0 ? dataset_find(ds, ra->code, (unsigned)elig, c, l) : NULL;
					if (eo)
						e = eo->value;
					if (strcmp(tab->name, "returnedToCustody") == 0) {
						int m = defs_find(defs, "managedAtLevel23");
						const struct obs *mo = m >= 0 ? dataset_find(ds, ra->code, (unsigned)m, c, l) : NULL;
						e = mo ? mo->value : 0;
					}
					v = absent ? 0 : make_value(&s, tab->name, c, l, ra->population, e);
					/* R16: never more returned to custody than were managed there */
					if (strcmp(tab->name, "returnedToCustody") == 0 && v > e)
						v = e;
					if (strcmp(tab->name, "shpoForeignTravel") == 0) {
						int sh = defs_find(defs, "shpo");
						const struct obs *so = sh >= 0 ? dataset_find(ds, ra->code, (unsigned)sh, 0, 0) : NULL;
						if (so && v > so->value)
							v = so->value;
					}
					cellv[c][l] = v;
					if (dataset_add(ds, ra->code, t, c, l, v, absent ? OBS_MISSING : OBS_OK))
						return -1;
				}
			/* totals */
			if (tab->levels)
				for (int c = cmin; c <= cmax; c++) {
					long long sum = 0;
					if (tab->categories && !(tab->categories >> c & 1u))
						continue;
					for (int l = 1; l <= 3; l++)
						sum += cellv[c][l];
					if (dataset_add(ds, ra->code, t, c, LEVEL_ALL, sum, absent ? OBS_MISSING : OBS_OK))
						return -1;
				}
			if (tab->categories)
				for (int l = lmin; l <= 4; l++) {
					long long all = 0, first3 = 0;
					if (l && l < 4 && !(tab->levels >> l & 1u))
						continue;
					for (int c = 1; c <= 4; c++)
						for (int k = 1; k <= 3; k++)
							if (l == 4 || k == l) {
								all += cellv[c][k];
								if (c < 4)
									first3 += cellv[c][k];
							}
					if (dataset_add(ds, ra->code, t, CAT_ALL, l, all, absent ? OBS_MISSING : OBS_OK) ||
					    dataset_add(ds, ra->code, t, CAT_1_3, l, first3, absent ? OBS_MISSING : OBS_OK))
						return -1;
					if (l == 4 && (int)t == elig)
						cat1 = cellv[1][1] + cellv[1][2] + cellv[1][3];
				}
			dataset_sort(ds);
		}
		if (defs->nrates) {
			long long rate = ra->population ? (cat1 * 100000 + ra->population / 2) / ra->population : 0;
			if (dataset_add(ds, ra->code, (unsigned)defs->ntables, CAT_NONE, LEVEL_NONE,
					absent ? 0 : rate, absent ? OBS_MISSING : OBS_OK))
				return -1;
		}
		if (!absent) {
			natpop += ra->population;
			natcat1 += cat1;
		}
		dataset_sort(ds);
		if (!absent)
			for (unsigned t = 0; t < defs->ntables; t++)
				suppress_area(ds, defs, ra->code, t);
	}
	/* national: sums of every area row over the present areas */
	{
		struct obs keys[256];
		size_t nkeys = 0;
		for (size_t i = 0; i < ds->nobs && nareas; i++) {
			const struct obs *o = &ds->obs[i];
			if (strcmp(o->area, ds->areas[0].code) == 0 && o->stat < defs->ntables && nkeys < 256)
				keys[nkeys++] = *o;
		}
		for (size_t i = 0; i < nkeys; i++) {
			const struct obs *o = &keys[i];
			int na = stat_cell_na(defs, o);
			if (dataset_add(ds, ds->national_code, o->stat, o->category, o->level, 0,
					na ? OBS_NA : OBS_OK))
				return -1;
		}
		dataset_sort(ds);
		for (size_t i = 0; i < ds->nobs; i++) {
			const struct obs *o = &ds->obs[i];
			struct obs *n;
			if (strcmp(o->area, ds->national_code) == 0 || o->stat >= defs->ntables ||
			    o->status == OBS_MISSING || o->status == OBS_NA)
				continue;
			n = dataset_find(ds, ds->national_code, o->stat, o->category, o->level);
			if (n)
				n->value += o->value;
		}
		if (defs->nrates &&
		    dataset_add(ds, ds->national_code, (unsigned)defs->ntables, CAT_NONE, LEVEL_NONE,
				natpop ? (natcat1 * 100000 + natpop / 2) / natpop : 0, OBS_OK))
			return -1;
		dataset_sort(ds);
	}
	/* a national count of 1 or 2 is primary too (the shipped policy's national threshold) */
	for (size_t i = 0; i < ds->nobs; i++) {
		struct obs *o = &ds->obs[i];
		if (strcmp(o->area, ds->national_code) == 0 && o->stat < defs->ntables &&
		    o->status == OBS_OK && is_small(o->value))
			o->status = OBS_PRIMARY;
	}
	if (ds->nareas)
		suppress_secondary(ds, defs);
	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		if (o->status == OBS_PRIMARY)
			ds->primary_count++;
		else if (o->status == OBS_SECONDARY) {
			ds->secondary_count++;
			ds->secondary_sum += o->value;
		} else if (o->status == OBS_WITHHELD)
			ds->withheld_count++;
	}
	return 0;
}

int sample_merged(struct dataset *ds, const struct defs *defs)
{
	for (size_t i = 0; i < ds->nobs; i++) {
		struct obs *o = &ds->obs[i];
		if (o->status != OBS_MISSING && o->status != OBS_NA)
			o->status = OBS_OK;
	}
	for (size_t a = 0; a <= ds->nareas; a++) {
		const char *code = a < ds->nareas ? ds->areas[a].code : ds->national_code;
		for (unsigned t = 0; t < defs->ntables; t++)
			for (int c = 1; c <= 4; c++)
				for (int l = 1; l <= 3; l++)
					if (normalise_in_grid(&defs->tables[t], c, l) &&
					    !defs_has_cell(&defs->tables[t], c, l) &&
					    !dataset_find(ds, code, t, c, l) &&
					    dataset_add(ds, code, t, c, l, 0, OBS_NA))
						return -1;
	}
	dataset_sort(ds);
	ds->stage = STAGE_MERGED;
	ds->policy[0] = '\0';
	ds->policy_sha256[0] = '\0';
	ds->primary_count = ds->secondary_count = ds->withheld_count = 0;
	ds->secondary_sum = 0;
	return 0;
}
