/*
 * history: an earlier period's published bundle (mappa-PERIOD.tar.gz or mappa-PERIOD.zip, as
 * mappa-publish writes it) read back as its readers know it: the observations it published.
 * The earlier bundles are the history of the publication; the earlier returns never are.
 *
 * The archive is opened read-only and read into memory; nothing is extracted, written or
 * changed. It is checked in this order, each problem a diagnostic (docs/rules.md):
 *   H01  the file cannot be read, is not a regular file, is not a .tar.gz, .tar or .zip
 *        archive, is damaged (truncated, bad compressed data), or exceeds a cap
 *        (HISTORY_MAX_BYTES the file, HISTORY_MAX_UNPACKED all its files together,
 *        HISTORY_MAX_ENTRIES entries);
 *   H02  an entry that is not a plain file or folder (a link, a device), a name outside one
 *        top folder mappa-PERIOD/ (absolute, "..", a second top folder), a name the bundle
 *        would not write (bundle_name_ok), an entry given twice;
 *   H03  MANIFEST.sha256 is missing, a line of it is not "HEX  PATH", a file is not listed in
 *        it, a listed file is missing, a file's SHA-256 differs from it (changed after
 *        publication);
 *   H04  a foreign bundle: not for the period asked for, no observations.csv, or an
 *        observations.csv for another period than its folder;
 * and then observations.csv with published_read (rules P01-P05). Diagnostics name the archive,
 * or a member as "ARCHIVE(mappa-PERIOD/NAME)" with the line in that member.
 */
#ifndef MAPPA_HISTORY_H
#define MAPPA_HISTORY_H

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"

/* A bundle of the 42 areas is about 0.2 MB packed and 1 MB unpacked: these leave 30 times that
   and keep a hostile file's memory small (QA: a member declaring 2 GiB of zeros took 305 MB
   before it was refused at 256 MB, and exit 70 under a memory limit, not 65) */
#define HISTORY_MAX_BYTES (16L * 1024 * 1024)      /* the archive file */
#define HISTORY_MAX_UNPACKED (32L * 1024 * 1024)   /* its files together, unpacked */
#define HISTORY_MAX_ENTRIES 10000

/*
 * Reads the bundle at path into ds (a STAGE_SUPPRESSED dataset of what it published, as
 * published_read gives it). period: the period the bundle must be for ("2021-22"), or NULL for
 * any. ds is initialised here and is the caller's to dataset_release, whatever the result.
 * Returns 0, or -1 with every problem found in d (and ds holding nothing usable).
 */
int history_read(struct dataset *ds, const struct defs *defs, const struct areas *areas,
		 const char *path, const char *period, struct diag_list *d);

/*
 * Whether the regular file at path is an archive whose first entry lies in the folder a bundle
 * of period has ("mappa-2022-23/..."): a bundle of the period, whatever its file's name. Only
 * that entry's header is read. 1 yes; 0 no (not such an archive, not a regular file); -1 it
 * cannot be opened (errno set).
 */
int history_holds_period(const char *path, const char *period);

/* history_read, and the bundle's revisions.csv (a republished period's; publish_series.h):
 * *revisions its bytes, NUL-terminated, and *rlen their length, the caller's to free; NULL and
 * 0 when the bundle has none (or the result is -1). */
int history_read_revisions(struct dataset *ds, const struct defs *defs, const struct areas *areas,
			   const char *path, const char *period, char **revisions, size_t *rlen,
			   struct diag_list *d);

/* What a bundle says of itself besides its figures (history_read_about). */
struct history_about {
	char release[11];   /* the release date its README.txt gives ("Release date  26 October
			       2023" as "2023-10-26"); "" when it has none that can be read (a
			       bundle written before the line was there, or another's): no error */
	char shown[200];    /* the earlier periods its time series shows with figures (a column
			       of tables/series-national-*.csv not all [x]), oldest first, each
			       followed by a space: "2020-21 2021-22 "; "" none */
};

/* history_read_revisions, and what the bundle says of itself in *about (NULL: not read). */
int history_read_about(struct dataset *ds, const struct defs *defs, const struct areas *areas,
		       const char *path, const char *period, char **revisions, size_t *rlen,
		       struct history_about *about, struct diag_list *d);

/* history_read_revisions for an archive already in memory (data, len bytes; only read), named
 * name in diagnostics: a file read once (series.c's earlier publication), the fuzz target
 * (tests/fuzz/fuzz_history.c). revisions may be NULL. */
int history_read_mem(struct dataset *ds, const struct defs *defs, const struct areas *areas,
		     const char *name, const void *data, size_t len, const char *period,
		     char **revisions, size_t *rlen, struct diag_list *d);

#endif
