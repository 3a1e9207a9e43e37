/*
 * fuzz_history: the reader of an earlier period's published bundle (history_read_mem: the
 * archive through libarchive, every entry's name and type, MANIFEST.sha256 line by line and
 * every checksum, the period, then observations.csv through published_read). The seeds are
 * small uncompressed tar and stored zip bundles, so that mutations reach the manifest and the
 * CSV rather than stop at the gzip check.
 */
#include "fuzz_common.h"

#include <string.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "history.h"

static struct defs defs;
static struct areas areas;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag_list d = DIAG_LIST_INIT;
	(void)argc;
	(void)argv;
	xmlInitParser();
	fuzz_reset_libxml();
	if (defs_load_default(&defs, &d) != 0 || areas_load_default(&areas, &d) != 0)
		abort();
	diag_clear(&d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct dataset ds;
	char *rev = NULL;
	size_t rlen = 0;
	int r;

	fuzz_reset_libxml();
	r = history_read_mem(&ds, &defs, &areas, "mappa-fuzz.tar", data, size, NULL, &rev, &rlen,
			     &d);
	if (r != 0 && rev)
		abort(); /* revisions only with a bundle read */
	if (rev && rev[rlen] != '\0')
		abort(); /* NUL-terminated at rlen */
	free(rev);
	if (r != 0 && d.errors == 0)
		abort(); /* refused without a reason */
	if (r != 0 && ds.nobs != 0)
		abort(); /* a refused bundle leaves nothing usable */
	if (r == 0 && (ds.stage != STAGE_SUPPRESSED || ds.nareas > AREAS_MAX || strlen(ds.period) != 7))
		abort();
	dataset_release(&ds);
	(void)fuzz_touch_diags(&d);
	diag_clear(&d);
	return 0;
}
