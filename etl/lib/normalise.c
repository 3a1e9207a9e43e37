#include "normalise.h"

#include <errno.h>
#include <string.h>

int normalise_in_grid(const struct defs_table *t, int cat, int level)
{
	if (t->categories == 0 ? cat != CAT_NONE : (cat < 1 || cat > 4 || !(t->categories >> cat & 1u)))
		return 0;
	if (t->levels == 0 ? level != LEVEL_NONE : (level < 1 || level > 3 || !(t->levels >> level & 1u)))
		return 0;
	return 1;
}

int normalise_return(struct dataset *ds, const struct defs *defs, const struct areas *areas,
		     const struct area_return *r, const char *source, struct diag_list *d)
{
	const char *file = source ? source : "";
	const struct area *ref;
	struct dataset_area *a;

	dataset_init(ds);
	if (strlen(file) >= sizeof ds->areas[0].source) {
		/* the SOURCE field holds no more, and a field is never cut (QA: cut mid UTF-8) */
		diag_add(d, file, 0, "N03", DIAG_ERROR,
			 "the return's name is %zu bytes long: an observations file records at most %zu (give it a shorter name)",
			 strlen(file), sizeof ds->areas[0].source - 1);
		return -1;
	}
	ref = areas_find(areas, r->area_code);
	if (!ref) {
		diag_add(d, file, r->area_line, "N01", DIAG_ERROR,
			 "area '%s' is not in the reference data", r->area_code);
		return -1;
	}
	ds->stage = STAGE_NORMALISED;
	snprintf(ds->period, sizeof ds->period, "%s", r->period);
	ds->period_line = r->period_line;
	snprintf(ds->national_code, sizeof ds->national_code, "%s", areas->national_code);
	snprintf(ds->national_name, sizeof ds->national_name, "%s", areas->national_name);
	snprintf(ds->population_source, sizeof ds->population_source, "%s",
		 areas->population_source);
	ds->nareas = 1;
	a = &ds->areas[0];
	snprintf(a->code, sizeof a->code, "%s", ref->code);
	snprintf(a->name, sizeof a->name, "%s", ref->name);
	a->state = AREA_PRESENT;
	a->revision = r->revision;
	snprintf(a->submitted, sizeof a->submitted, "%s", r->submitted);
	a->population = ref->population;
	a->population_approximate = ref->approximate;
	memcpy(a->source, file, strlen(file) + 1); /* it fits: checked above */
	a->line = r->area_line;
	a->revision_line = r->submission_line;

	for (size_t ti = 0; ti < defs->ntables; ti++) {
		const struct defs_table *t = &defs->tables[ti];
		for (int cat = 0; cat <= 4; cat++)
			for (int lev = 0; lev <= 3; lev++) {
				int rc;
				if (!normalise_in_grid(t, cat, lev))
					continue;
				if (!defs_has_cell(t, cat, lev)) {
					rc = dataset_add(ds, a->code, (unsigned)ti, cat, lev, 0, OBS_NA);
				} else if (!r->cells[ti][cat][lev].present) {
					diag_add(d, file, r->table_line[ti], "N02", DIAG_ERROR,
						 "%s category '%s' level '%s' has no count", t->name,
						 defs_category_name(cat), defs_level_name(lev));
					dataset_release(ds);
					return -1;
				} else {
					rc = dataset_add(ds, a->code, (unsigned)ti, cat, lev,
							 r->cells[ti][cat][lev].value, OBS_OK);
				}
				if (rc != 0) {
					diag_add_errno(d, file, "N09", ENOMEM, "out of memory");
					dataset_release(ds);
					return -1;
				}
			}
	}
	dataset_sort(ds);
	return 0;
}
