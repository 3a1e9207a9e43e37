/*
 * fuzz_return: an area's return (XML) through validator_check: the safe parse, every rule and
 * the schema, exactly as mappa-validate checks a file. The validator, definitions and
 * reference data are the compiled-in ones, loaded once. Each input is checked twice and the
 * two results must agree: no state may carry over from one return to the next.
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
static struct area_return ret, ret2;

/* Whether two checks of the same bytes said the same: a validator that checks 10,000 returns
 * in one process must keep no state from one to the next. */
static int same_diags(const struct diag_list *a, const struct diag_list *b)
{
	if (a->count != b->count || a->errors != b->errors)
		return 0;
	for (size_t i = 0; i < a->count; i++)
		if (a->items[i].line != b->items[i].line ||
		    strcmp(a->items[i].rule, b->items[i].rule) != 0 ||
		    strcmp(a->items[i].message, b->items[i].message) != 0)
			return 0;
	return 1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag_list d = DIAG_LIST_INIT;

	(void)argc;
	(void)argv;
	xmlInitParser();
	fuzz_reset_libxml();
	if (defs_load_default(&defs, &d) != 0)
		fuzz_setup_failed("definitions", &d);
	if (areas_load_default(&areas, &d) != 0)
		fuzz_setup_failed("reference data", &d);
	validator = validator_new(&defs, &areas, NULL, 0, NULL, &d);
	if (!validator)
		fuzz_setup_failed("return.xsd", &d);
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
	{
		struct diag_list d2 = DIAG_LIST_INIT;
		enum validator_result r2;

		memset(&ret2, 0x5a, sizeof ret2);
		r2 = validator_check(validator, "fuzz.xml", (const char *)data, size, &ret2, &d2);
		if (r2 != r || !same_diags(&d, &d2) || memcmp(&ret, &ret2, sizeof ret) != 0)
			abort(); /* the second check of the same bytes differs from the first */
		diag_clear(&d2);
	}
	(void)fuzz_touch_diags(&d);
	diag_clear(&d);
	return 0;
}
