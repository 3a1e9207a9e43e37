/*
 * fuzz_common: what every libFuzzer target of tests/fuzz shares.
 *
 * Each target loads what it needs once (definitions, reference data, a compiled validator) in
 * LLVMFuzzerInitialize and frees everything an input made before LLVMFuzzerTestOneInput
 * returns, so that LeakSanitizer can attribute any leak to the library. xmlCleanupParser() is
 * never called per input (it frees libxml2's global state, which the next parse re-creates and
 * which the harness cannot safely tear down while a compiled schema is alive).
 */
#ifndef MAPPA_FUZZ_COMMON_H
#define MAPPA_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "diag.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libxml2 prints stray errors to stderr through its generic handler (for example from the
 * schema validator before a structured handler is set); a fuzzer's output stays readable
 * without them. */
static void fuzz_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Called at the start of every input: a library function that set a global libxml2 error
 * handler and returned early must not leave it pointing into a dead stack frame. */
static inline void fuzz_reset_libxml(void)
{
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, fuzz_quiet);
	xmlResetLastError();
}

/* Setup failures are bugs of the harness or of the compiled-in data, not findings. */
static inline void fuzz_setup_failed(const char *what, const struct diag_list *d)
{
	fprintf(stderr, "fuzz: cannot set up: %s\n", what);
	if (d)
		diag_print(d, stderr);
	abort();
}

/* Walks every diagnostic so that ASan sees a read of each file name and message. */
static inline size_t fuzz_touch_diags(const struct diag_list *d)
{
	size_t n = 0;
	for (size_t i = 0; i < d->count; i++) {
		const struct diag *g = &d->items[i];
		for (const char *s = g->message; s && *s; s++)
			n += (unsigned char)*s;
		for (const char *s = g->file; s && *s; s++)
			n += (unsigned char)*s;
		n += (size_t)g->line + (unsigned char)g->rule[0];
	}
	/* every diagnostic is counted, and kept unless past DIAG_KEEP (then dropped) */
	if (d->errors + d->warnings != d->count + d->dropped || d->count > DIAG_KEEP ||
	    (d->dropped && d->count != DIAG_KEEP))
		abort(); /* the list's counters disagree with its items */
	return n;
}

#endif
