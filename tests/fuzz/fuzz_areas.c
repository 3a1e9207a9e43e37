/*
 * fuzz_areas: the reference data reader (areas_load: safe parse, reference.xsd, then the
 * loader's own checks).
 */
#include "fuzz_common.h"

#include <string.h>

#include "areas.h"

static struct areas areas;

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
	r = areas_load(&areas, "areas.xml", (const char *)data, size, &d);
	if (r != 0 && d.errors == 0)
		abort(); /* refused without a reason */
	if (r == 0) {
		if (areas.count > AREAS_MAX)
			abort();
		for (size_t i = 0; i < areas.count; i++) {
			const char *code = areas.items[i].code;
			if (!memchr(code, '\0', sizeof areas.items[i].code))
				abort();
			if (areas_find(&areas, code) == NULL || areas_index(&areas, code) < 0)
				abort();
		}
		(void)areas_population(&areas);
	}
	(void)fuzz_touch_diags(&d);
	diag_clear(&d);
	return 0;
}
