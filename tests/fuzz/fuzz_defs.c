/*
 * fuzz_defs: the definitions reader (defs_load: safe parse, definitions.xsd, then the
 * loader's own checks), and the lookups every stage then makes on what it loaded.
 */
#include "fuzz_common.h"

#include <string.h>

#include "defs.h"

static struct defs defs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlInitParser();
	fuzz_reset_libxml();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list d = DIAG_LIST_INIT;
	int r;

	fuzz_reset_libxml();
	r = defs_load(&defs, "definitions.xml", (const char *)data, size, &d);
	if (r != 0 && d.errors == 0)
		abort(); /* refused without a reason */
	if (r == 0) {
		if (defs.ntables > DEFS_MAX_TABLES || defs.nrules > DEFS_MAX_RULES ||
		    defs.nrates > DEFS_MAX_RATES)
			abort();
		for (size_t i = 0; i < defs.ntables; i++) {
			const struct defs_table *t = &defs.tables[i];
			if (defs_find(&defs, t->name) < 0)
				abort();
			(void)defs_cell_count(t);
			for (int c = 0; c < CAT_CODES; c++)
				for (int l = 0; l < LEVEL_CODES; l++)
					(void)defs_has_cell(t, c, l);
		}
		for (size_t i = 0; i < defs.nrules; i++)
			if (defs.rules[i].table >= defs.ntables || defs.rules[i].other >= defs.ntables)
				abort();
		for (size_t i = 0; i < defs.nrates; i++)
			if (defs.rates[i].table >= defs.ntables)
				abort();
	}
	(void)fuzz_touch_diags(&d);
	diag_clear(&d);
	return 0;
}
