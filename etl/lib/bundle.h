/*
 * bundle: the files of a publication bundle in memory, written as one archive (.tar.gz or .zip)
 * under a single top folder, deterministically and atomically.
 *
 * Deterministic: entries sorted by name, folders added for every file, one fixed time for all
 * (derived from the period, never the clock), owner 0/0 "root", modes 0644 (files) and 0755
 * (folders), gzip without name or time stamp, zip DOS times set from fields (no time zone).
 * Atomic: the archive is written to ".NAME.tmp.PID" in the target folder, fsync'd, renamed
 * over NAME, and the folder fsync'd; on any error the temporary file is removed and NAME is
 * untouched.
 */
#ifndef MAPPA_BUNDLE_H
#define MAPPA_BUNDLE_H

#include <stddef.h>

#include "diag.h"
#include "strbuf.h"
#include "zipmem.h"

#define BUNDLE_NAME_MAX 200

enum bundle_format { BUNDLE_TAR_GZ, BUNDLE_ZIP };

struct bundle_file {
	char *path;             /* relative to the top folder; owned */
	unsigned char *data;    /* owned */
	size_t len;
};

struct bundle {
	char top[64];           /* the single top folder, e.g. "mappa-2022-23" */
	struct zipmem_time when;
	size_t nfiles, alloc;
	struct bundle_file *files;
};

/* Starts an empty bundle whose entries live under top/ and carry the time `when`. */
void bundle_init(struct bundle *b, const char *top, const struct zipmem_time *when);
/* Frees every file; accepts a bundle that was only initialised. */
void bundle_release(struct bundle *b);

/*
 * Whether path is an acceptable entry name: relative, '/'-separated, no empty, "." or ".."
 * component, only [A-Za-z0-9._-] in components, none starting with '.', at most
 * BUNDLE_NAME_MAX bytes.
 */
int bundle_name_ok(const char *path);

/*
 * Adds a copy of len bytes at data as path. Returns 0, or -1 with one error B01 appended to d
 * (file: the top folder, line 0; the entry quoted in the message; b unchanged): a bad name
 * (bundle_name_ok), a name already in the bundle, or out of memory (keeping ENOMEM,
 * diag_errnum). Every caller builds its names, so each of these is a fault of ours.
 */
int bundle_add(struct bundle *b, const char *path, const void *data, size_t len,
	       struct diag_list *d);
/* The same for a buffer; B01 "out of memory" (ENOMEM) when the buffer had failed. */
int bundle_add_strbuf(struct bundle *b, const char *path, const struct strbuf *sb,
		      struct diag_list *d);

/* The file called path, or NULL. */
const struct bundle_file *bundle_find(const struct bundle *b, const char *path);

/* The lower-case hex SHA-256 (digest_sha256_hex) of the regular file at path (relative to
   dirfd, never through a symbolic link at its name) of at most max bytes. 0, or -1 with errno
   set when it cannot be opened or read, EINVAL when it is not a regular file (a FIFO is never
   waited on) and EFBIG when it is larger than max (a sparse file of terabytes is not read). */
int bundle_sha256_file(int dirfd, const char *path, size_t max, char hex[65]);

/*
 * Appends to out the manifest of every file but MANIFEST.sha256, sorted by path, in
 * sha256sum's format ("HEX  PATH\n"), paths relative to the top folder.
 */
void bundle_manifest_text(const struct bundle *b, struct strbuf *out);
/* Adds (or replaces) MANIFEST.sha256. Returns 0, or -1 with B01 "out of memory" (ENOMEM)
 * appended to d, as bundle_add. */
int bundle_add_manifest(struct bundle *b, struct diag_list *d);

/*
 * Writes the archive to out. Returns 0, or -1 with one error B01 appended to d (line 0, file
 * "TOP.tar.gz" or "TOP.zip": a bad top folder name, out of memory, or what libarchive or libzip
 * refused, naming the entry).
 */
int bundle_archive(const struct bundle *b, enum bundle_format fmt, struct strbuf *out,
		   struct diag_list *d);

/*
 * Writes the archive as dir/name atomically (see above). Returns 0, or -1 with one error
 * appended to d, about the file dir/name at line 0: B01 the archive cannot be built
 * (bundle_archive); B02 it cannot be written in place, with the errno of the call that failed
 * (diag_errnum): EINVAL a bad name, ENAMETOOLONG, ELOOP dir/name is a symbolic link (refused,
 * outfile.h), ENOSPC, EFBIG, EACCES, ... from creating, writing, syncing or renaming.
 */
int bundle_write_atomic(const struct bundle *b, enum bundle_format fmt, const char *dir,
			const char *name, struct diag_list *d);

/* A format's file extension, without its dot: "tar.gz" or "zip". */
const char *bundle_format_ext(enum bundle_format fmt);
/* The format whose extension (without its dot) is ext: 0 with *fmt set, or -1 for any other. */
int bundle_format_parse(const char *ext, enum bundle_format *fmt);
/* A period's bundle file name, "mappa-PERIOD.EXT", into buf: 0, or -1 when it does not fit. */
int bundle_name(char *buf, size_t size, const char *period, enum bundle_format fmt);

/* The name of the same period's bundle in the other format ("mappa-2022-23.zip" for
   "mappa-2022-23.tar.gz", and back) into buf: 0, or -1 for a name bundle_name_parse refuses or
   a buf too small. */
int bundle_name_other(const char *name, char *buf, size_t size);

/*
 * A bundle's file name, the one parser of it: "mappa-YYYY-YY.tar.gz" or "mappa-YYYY-YY.zip"
 * with a valid period (dataset_period_year). Returns the period's first year and sets period
 * (8 bytes) and *zip (either may be NULL), or -1 for any other name.
 */
int bundle_name_parse(const char *name, char *period, int *zip);

#endif
