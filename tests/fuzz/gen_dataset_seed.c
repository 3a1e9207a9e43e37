/*
 * gen_dataset_seed: writes the observations seeds of tests/fuzz/corpus/dataset/ with the
 * library's own writer, so that they are exactly what the stages write.
 *   gen_dataset_seed normalised|merged|suppressed > FILE
 * Built and run by `make fuzz-seeds` (tests/fuzz/fuzz.mk); the output is checked in.
 */
#include <stdio.h>
#include <string.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"

/* Every inner cell of every table for one area, with small made-up counts. */
static int add_area_cells(struct dataset *ds, const struct defs *defs, const char *code, int seed)
{
	for (unsigned t = 0; t < defs->ntables; t++) {
		const struct defs_table *tb = &defs->tables[t];
		for (int c = 0; c <= 4; c++)
			for (int l = 0; l <= 3; l++)
				if (defs_has_cell(tb, c, l) &&
				    dataset_add(ds, code, t, c, l, (seed * 7 + c * 3 + l) % 40, OBS_OK))
					return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct defs defs;
	struct areas areas;
	struct dataset ds;
	const char *stage = argc > 1 ? argv[1] : "normalised";
	size_t nareas = strcmp(stage, "normalised") == 0 ? 1 : 3;
	int status = 1;

	dataset_init(&ds);
	if (defs_load_default(&defs, &d) || areas_load_default(&areas, &d)) {
		diag_print(&d, stderr);
		goto out;
	}
	ds.stage = strcmp(stage, "suppressed") == 0 ? STAGE_SUPPRESSED
		 : strcmp(stage, "merged") == 0 ? STAGE_MERGED : STAGE_NORMALISED;
	snprintf(ds.period, sizeof ds.period, "2022-23");
	snprintf(ds.national_code, sizeof ds.national_code, "%s", areas.national_code);
	snprintf(ds.national_name, sizeof ds.national_name, "%s", areas.national_name);
	snprintf(ds.population_source, sizeof ds.population_source, "%s", areas.population_source);
	for (size_t i = 0; i < nareas; i++) {
		struct dataset_area *a = &ds.areas[ds.nareas++];
		memset(a, 0, sizeof *a);
		snprintf(a->code, sizeof a->code, "%s", areas.items[i].code);
		snprintf(a->name, sizeof a->name, "%s", areas.items[i].name);
		a->population = areas.items[i].population;
		a->population_approximate = areas.items[i].approximate;
		if (i == 2) { /* a missing area */
			a->state = AREA_MISSING;
			continue;
		}
		a->state = AREA_PRESENT;
		a->revision = (long)i + 1;
		snprintf(a->submitted, sizeof a->submitted, "2023-05-%02u", (unsigned)(i % 9 + 1));
		snprintf(a->source, sizeof a->source, "returns/%s-r%zu.xml", areas.items[i].code,
			 i + 1);
		if (add_area_cells(&ds, &defs, a->code, (int)i))
			goto out;
	}
	if (ds.stage != STAGE_NORMALISED) {
		struct dataset_superseded s = { "", 1, "", 2 };
		snprintf(s.code, sizeof s.code, "%s", ds.areas[1].code);
		snprintf(s.source, sizeof s.source, "returns/%s-r1.xml", s.code);
		ds.incomplete = 1;
		if (dataset_add_superseded(&ds, &s) ||
		    add_area_cells(&ds, &defs, ds.national_code, 5) ||
		    dataset_add(&ds, ds.national_code, 0, CAT_ALL, LEVEL_ALL, 123, OBS_OK) ||
		    dataset_add(&ds, ds.areas[0].code, 0, CAT_1_3, LEVEL_ALL, 77, OBS_OK) ||
		    dataset_add(&ds, ds.areas[0].code, 0, 2, LEVEL_ALL, 20, OBS_OK))
			goto out;
		if (defs.nrates && dataset_add(&ds, ds.areas[0].code, (unsigned)defs.ntables,
					       CAT_NONE, LEVEL_NONE, 55, OBS_OK))
			goto out;
	}
	if (ds.stage == STAGE_SUPPRESSED) {
		snprintf(ds.policy, sizeof ds.policy, "policy/default.xml");
		ds.primary_count = 2;
		ds.secondary_count = 1;
		ds.secondary_sum = 9;
		ds.withheld_count = 1;
		ds.obs[0].status = OBS_PRIMARY;
		ds.obs[1].status = OBS_SECONDARY;
		ds.obs[2].status = OBS_WITHHELD;
		ds.obs[3].status = OBS_NA;
	}
	if (dataset_write(&ds, &defs, stdout) == 0)
		status = 0;
out:
	dataset_release(&ds);
	diag_clear(&d);
	return status;
}
