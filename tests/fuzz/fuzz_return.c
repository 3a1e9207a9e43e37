/*
 * fuzz_return: an area's return (XML) through validator_check: the safe parse, every rule and
 * the schema, exactly as mappa-validate checks a file. The validator, definitions and
 * reference data are the compiled-in ones, loaded once.
 */
#include "fuzz_common.h"

#include <string.h>

#include "areas.h"
#include "areturn.h"
#include "defs.h"
#include "validator.h"

static struct defs defs;
static struct areas areas;
static struct validator *validator;
static struct area_return ret;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag_list d = DIAG_LIST_INIT;
	char err[256];

	(void)argc;
	(void)argv;
	xmlInitParser();
	fuzz_reset_libxml();
	if (defs_load_default(&defs, &d) != 0)
		fuzz_setup_failed("definitions", &d);
	if (areas_load_default(&areas, &d) != 0)
		fuzz_setup_failed("reference data", &d);
	validator = validator_new(&defs, &areas, NULL, 0, err, sizeof err);
	if (!validator)
		fuzz_setup_failed(err, NULL);
	diag_clear(&d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list d = DIAG_LIST_INIT;
	enum validator_result r;

	fuzz_reset_libxml();
	memset(&ret, 0xa5, sizeof ret); /* the validator must not rely on a zeroed result */
	r = validator_check(validator, "fuzz.xml", (const char *)data, size, &ret, &d);
	if (r == VALIDATOR_VALID && d.errors != 0)
		abort(); /* valid yet with errors */
	if (r == VALIDATOR_INVALID && d.errors == 0)
		abort(); /* invalid without a reason */
	if (r == VALIDATOR_VALID && memchr(ret.area_code, '\0', sizeof ret.area_code) == NULL)
		abort(); /* an accepted return's area code is not a string */
	(void)fuzz_touch_diags(&d);
	diag_clear(&d);
	return 0;
}
