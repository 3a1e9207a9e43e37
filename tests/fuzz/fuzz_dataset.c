/*
 * fuzz_dataset: the observations file reader (dataset_read), with the compiled-in definitions.
 *
 * The file ends with a line count and a CRC-32, so almost every mutation is refused at the
 * end line, and the checks that run only on an intact file (duplicate cells, the header) would
 * never be reached. Each input is therefore read twice: as it is, and with its end line
 * recomputed (when it has one), as a writer would have written it. A file the reader accepts
 * is written back with dataset_write and read again: what was read must round-trip.
 */
#include "fuzz_common.h"

#include <string.h>
#include <zlib.h>

#include "dataset.h"
#include "defs.h"

static struct defs defs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag_list d = DIAG_LIST_INIT;

	(void)argc;
	(void)argv;
	xmlInitParser();
	fuzz_reset_libxml();
	if (defs_load_default(&defs, &d) != 0)
		fuzz_setup_failed("definitions", &d);
	diag_clear(&d);
	return 0;
}

/* Copies data with its first line starting "end\t" replaced by a correct end line; NULL when
 * there is none (or out of memory). The caller frees. */
static char *fix_end_line(const char *data, size_t size, size_t *outlen)
{
	const char *p = data, *end = data + size;
	uLong crc = crc32(0L, Z_NULL, 0);
	unsigned long lines = 0;
	char tail[64];
	char *out;
	size_t head;
	int n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		if (lines > 0 && (size_t)(nl - p) >= 4 && memcmp(p, "end\t", 4) == 0)
			break;
		crc = crc32(crc, (const Bytef *)p, (uInt)(nl - p + 1));
		lines++;
		p = nl + 1;
	}
	if (p >= end)
		return NULL;
	head = (size_t)(p - data);
	n = snprintf(tail, sizeof tail, "end\t%lu\t%08lx\n", lines, (unsigned long)crc);
	out = malloc(head + (size_t)n + 1);
	if (!out)
		return NULL;
	memcpy(out, data, head);
	memcpy(out + head, tail, (size_t)n + 1);
	*outlen = head + (size_t)n;
	return out;
}

static void roundtrip(struct dataset *ds)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct dataset again;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	if (dataset_write(ds, &defs, f) != 0) {
		fclose(f);
		free(buf);
		abort(); /* a dataset the reader accepted cannot be written */
	}
	fclose(f);
	if (dataset_read(&again, &defs, "roundtrip", buf, len, &d) != 0) {
		diag_print(&d, stderr);
		abort(); /* what the writer wrote, the reader refuses */
	}
	if (again.nobs != ds->nobs || again.nareas != ds->nareas ||
	    again.nsuperseded != ds->nsuperseded || again.stage != ds->stage)
		abort(); /* the round trip lost or added something */
	dataset_release(&again);
	diag_clear(&d);
	free(buf);
}

static void read_one(const char *buf, size_t len)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct dataset ds;
	int r = dataset_read(&ds, &defs, "fuzz.obs", buf, len, &d);

	if (r != 0 && d.errors == 0)
		abort(); /* refused without a reason */
	if (r == 0 && d.errors != 0)
		abort(); /* accepted with errors */
	if (r == 0) {
		for (size_t i = 0; i < ds.nobs; i++) {
			const struct obs *o = &ds.obs[i];
			if (dataset_find(&ds, o->area, o->stat, o->category, o->level) != o)
				abort(); /* sorted rows that binary search cannot find */
		}
		roundtrip(&ds);
	}
	(void)fuzz_touch_diags(&d);
	diag_clear(&d);
	dataset_release(&ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *fixed;
	size_t fixedlen = 0;

	fuzz_reset_libxml();
	/* an exact-size heap copy, so that ASan catches any read past the end */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	read_one(copy, size);
	fixed = fix_end_line(copy, size, &fixedlen);
	if (fixed) {
		read_one(fixed, fixedlen);
		free(fixed);
	}
	free(copy);
	return 0;
}
