/*
 * fuzz_published: the reader of the published long form (published_read: RFC 4180 CSV,
 * the header, every field, duplicates), and the LP audit mappa-audit runs on what it accepts.
 */
#include "fuzz_common.h"

#include <string.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "protect.h"
#include "published.h"

static struct defs defs;
static struct areas areas;
static struct policy policy;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag_list d = DIAG_LIST_INIT;
	(void)argc;
	(void)argv;
	xmlInitParser();
	fuzz_reset_libxml();
	if (defs_load_default(&defs, &d) != 0 || areas_load_default(&areas, &d) != 0)
		abort();
	policy_init_default(&policy);
	diag_clear(&d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct dataset ds;
	int r;

	fuzz_reset_libxml();
	r = published_read(&ds, &defs, &areas, "observations.csv", (const char *)data, size, &d);
	if (r != 0 && d.errors == 0)
		abort(); /* refused without a reason */
	if (r == 0) {
		struct protect_interval *iv = NULL;
		struct protect_summary sum;
		size_t n = 0;
		if (ds.stage != STAGE_SUPPRESSED || ds.nareas > AREAS_MAX)
			abort();
		/* small inputs only: the audit is an LP per component (protect.h reports into d
		   since e780771: a failure there must come with its reason too) */
		if (ds.nobs <= 200 &&
		    protect_audit(&ds, &defs, &policy, PROTECT_OUTSIDER, 0, "observations.csv", &iv,
				  &n, &sum, &d) == 0) {
			for (size_t i = 0; i < n; i++)
				if (iv[i].row >= ds.nobs)
					abort();
		}
		free(iv);
		dataset_release(&ds);
	}
	(void)fuzz_touch_diags(&d);
	diag_clear(&d);
	return 0;
}
