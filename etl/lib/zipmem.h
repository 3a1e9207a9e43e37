/*
 * zipmem: builds a ZIP archive in memory with libzip, entry by entry in the order given, with
 * fixed DOS times (no clock, no time zone), no extra fields and no data descriptors, so that
 * the same entries give the same bytes. An ODF package needs exactly this for its `mimetype`
 * entry (first, stored, no extra field), which libarchive 3.6's zip writer cannot do.
 */
#ifndef MAPPA_ZIPMEM_H
#define MAPPA_ZIPMEM_H

#include <stddef.h>

#include "diag.h"
#include "strbuf.h"

struct zipmem_entry {
	const char *name;       /* relative, '/'-separated; a name ending in '/' is a folder */
	const void *data;       /* not copied: must live until zipmem_archive returns */
	size_t len;
	int store;              /* 1: stored uncompressed; 0: deflated */
	unsigned mode;          /* Unix permission bits for the external attributes; 0: none */
};

/* A DOS date and time (local fields, taken as UTC). */
struct zipmem_time {
	int year, month, day, hour, minute, second;
};

/*
 * Appends the archive of the n entries to out. file names the archive in diagnostics (e.g.
 * "mappa-2022-23.zip"), rule is their id. Returns 0, or -1 with one error (line 0: the archive
 * as a whole; the entry's name in the message) appended to d.
 */
int zipmem_archive(const struct zipmem_entry *entries, size_t n, const struct zipmem_time *when,
		   struct strbuf *out, const char *file, const char *rule, struct diag_list *d);

#endif
