/*
 * dataset: the observations data model between stages (docs/observations-format.md).
 *
 * One row per cell, keyed by (area, statistic, category, level), with a value and a status,
 * as in SDMX. A statistic is a table of schemas/definitions.xml or one of its rates. The
 * normalise stage writes one area's inner cells; the merge adds area totals, the national
 * cells and totals and the rates; the suppression sets statuses. One reader and one writer,
 * versioned; the reader validates everything (a truncated or edited file is an error).
 */
#ifndef MAPPA_DATASET_H
#define MAPPA_DATASET_H

#include <stddef.h>
#include <stdio.h>

#include "areas.h"
#include "defs.h"
#include "diag.h"

#define DATASET_FORMAT_VERSION 1
#define DATASET_PATH_MAX 512
/* The largest value a row may hold (twelve digits): what the reader accepts, so what no writer
 * may write. */
#define DATASET_VALUE_MAX 999999999999LL

/*
 * The first character of an area code in a dataset of what earlier publications made known
 * (series_known_earlier): "~0E23000002" holds the figures the latest earlier publication of the
 * period published for E23000002 when they changed since, "~0K04000001" the nation's, and
 * "~1..." another earlier publication's (series_known_more), so that the disclosure control
 * sees every publication as one linear system (protect.h). The second character tags the
 * publication; the code follows. No area code of a return or of the reference data begins
 * with it.
 */
#define DATASET_EARLIER '~'

/* The code of earlier publication tag's copy of area (DATASET_EARLIER, tag, area) into buf; 0,
   or -1 when it does not fit (no code of the reference data is that long). */
int dataset_earlier_code(char *buf, size_t size, char tag, const char *area);

enum dataset_stage { STAGE_NORMALISED, STAGE_MERGED, STAGE_SUPPRESSED };

/*
 * A cell's status. Before suppression every present cell is OBS_OK. Published symbols (GSS):
 * OBS_PRIMARY, OBS_SECONDARY and OBS_WITHHELD are "[c]", OBS_NA "[z]", OBS_MISSING "[x]".
 * SDMX: OBS_STATUS Q with CONF_STATUS C, the same for all three (what is published never says
 * why a cell is withheld; the reason stays in this file, for the team's own use); OBS_STATUS M
 * (not applicable); O (missing). The value of a withheld or suppressed cell is kept between
 * stages (the audit needs it) and never published.
 */
enum obs_status { OBS_OK, OBS_PRIMARY, OBS_SECONDARY, OBS_WITHHELD, OBS_NA, OBS_MISSING,
		  OBS_STATUS_COUNT };

struct obs {
	char area[AREA_CODE_MAX]; /* an area's code, or the national code */
	unsigned stat;            /* statistic: < defs.ntables a table, else rate stat - ntables */
	int category;             /* CAT_NONE, 1-4, CAT_ALL, CAT_1_3 */
	int level;                /* LEVEL_NONE, 1-3, LEVEL_ALL */
	long long value;          /* a count, or a whole-number rate; 0 when OBS_NA / OBS_MISSING */
	enum obs_status status;
	unsigned char revised;     /* publish only: changed since the period's earlier publication ([r]);
	                             never written or read */
	unsigned char completed;   /* protect only: an earlier publication's withheld figure whose value
	                             complete.h gave (its true value not at hand); never written or read */
	long line;                 /* the line of the file it was read from, for diagnostics about
	                             the row; 0 when it was made here; never written */
};

enum area_state { AREA_PRESENT, AREA_MISSING };

struct dataset_area {
	char code[AREA_CODE_MAX];
	char name[96];          /* the schema allows 80 characters */
	enum area_state state;
	long revision;                 /* of the return used; 0 when missing */
	char submitted[11];
	long long population;          /* aged 10 and over, from the reference data */
	int population_approximate;
	char source[DATASET_PATH_MAX]; /* the return's file name ("" when missing) */
	/* where the area and its revision were read, for diagnostics (merge's M01, M02, M05,
	   M07-M09): the area line of an observations file, or the return's area and submission
	   elements; 0 when not read from a file. Never written. */
	long line, revision_line;
};

struct dataset_superseded {
	char code[AREA_CODE_MAX];
	long revision;
	char source[DATASET_PATH_MAX];
	long by_revision;
	long line;      /* read: its line in the file; else 0 */
};

/* At most this many superseded lines in a file (each is about 550 bytes in memory: 9.9 million
   of them in a file of 256 MiB took 5.6 GB, QA) */
#define DATASET_SUPERSEDED_MAX 100000

struct dataset {
	enum dataset_stage stage;
	long stage_line;        /* the line of the file that gave the stage (0: not read from a file) */
	char period[12];               /* "2022-23" */
	long period_line;       /* where the period was read (merge's M04; 0: not from a file) */
	char national_code[AREA_CODE_MAX];
	char national_name[96];
	char population_source[AREAS_TEXT_MAX]; /* the reference's, whole */
	int incomplete;                /* national totals miss some areas */
	/* suppression summary (STAGE_SUPPRESSED) */
	char policy[DATASET_PATH_MAX];
	char policy_sha256[65];        /* SHA-256 of that policy's bytes (policy.h); "": not
					  known (a dataset written before it was kept) */
	long primary_count, secondary_count, withheld_count;
	long long secondary_sum;
	size_t nareas;
	struct dataset_area areas[AREAS_MAX];
	size_t nsuperseded, superseded_alloc;
	struct dataset_superseded *superseded;
	size_t nobs, obs_alloc;
	struct obs *obs;
	/* nobs when dataset_sort last ran: while no row is added, dataset_find's binary search
	   is the answer (a row it misses is not there); otherwise it also scans */
	size_t nobs_sorted;
};

void dataset_init(struct dataset *ds);
void dataset_release(struct dataset *ds);   /* frees rows; ds can be reused after dataset_init */
/* A dataset on the heap, as after dataset_init (one is 45 KB: a function keeps it off its stack
   frame, which ulimit -v may not let grow), or NULL when out of memory; dataset_free releases
   and frees it (NULL: nothing). */
struct dataset *dataset_new(void);
void dataset_free(struct dataset *ds);

/* Appends a row. Returns 0 or -1 (out of memory). */
int dataset_add(struct dataset *ds, const char *area, unsigned stat, int category, int level,
		long long value, enum obs_status status);
int dataset_add_superseded(struct dataset *ds, const struct dataset_superseded *s);

/* How many of ds's areas are in state (the reader's check of the incomplete flag, the
   suppression's, and the pages' notice of the areas missing count them alike). */
size_t dataset_areas_in(const struct dataset *ds, enum area_state state);

/* Sorts rows into the canonical order: national first, then areas by code; then statistic,
 * category, level. Writers call it; it makes output independent of input order. */
void dataset_sort(struct dataset *ds);

/* The row with this key, or NULL (after dataset_sort: binary search; before: linear). */
struct obs *dataset_find(const struct dataset *ds, const char *area, unsigned stat,
			 int category, int level);

/*
 * The first figure that now (a suppressed dataset) publishes otherwise than before (a bundle's
 * observations.csv read back, or another suppressed dataset): with another value, withheld in
 * one and not the other ([c] whatever the reason), [x] or [z] in one only, or a figure of before
 * (a value or [c]) that now lacks (a lacking row is published as [x] or [z]). A figure before does not hold (observations.csv has no area's total over
 * categories 1-4) is not compared. NULL when what a reader gets is the same. Into now or before.
 */
const struct obs *dataset_published_differs(const struct dataset *now,
					    const struct dataset *before);

/*
 * The count a rate row is the rate of (its table and category, every level, of the same area),
 * or NULL when the dataset lacks it or rate is no rate's row. A rate is published only with
 * that count: the suppression writes it so and the publisher checks it (P04) through this.
 */
struct obs *dataset_rate_count(const struct dataset *ds, const struct defs *defs,
			       const struct obs *rate);

/*
 * Whether o is a rate published with a value (OBS_OK) whose count is not published beside it
 * (withheld, or not in ds): the rate tells a reader the count. The publisher refuses such a
 * dataset (P04) and an earlier bundle that shows one (H06).
 */
int dataset_rate_shown_alone(const struct dataset *ds, const struct defs *defs,
			     const struct obs *o);

/* The nation's population: the sum of the populations of the areas present, the denominator
   of the national rates (merge makes them so). */
long long dataset_national_population(const struct dataset *ds);

/* The area with this code (not the nation), or NULL. */
const struct dataset_area *dataset_area_find(const struct dataset *ds, const char *code);

/* Name of a statistic ("eligible", "notificationRate", ...); NULL when out of range. */
const char *dataset_stat_name(const struct defs *defs, unsigned stat);
/* The words naming one figure, "E23000002 eligible category '1' level '2'", without the category
 * or the level that a statistic does not have (a rate, notificationOrder): "category '' level
 * ''" named nothing (QA). Writes at most size bytes to buf (cut if longer) and returns buf. */
const char *dataset_cell_words(const struct defs *defs, const char *area, unsigned stat,
			       int category, int level, char *buf, size_t size);
/* Statistic index of a name, or -1. */
int dataset_stat_find(const struct defs *defs, const char *name);
/* Number of statistics: tables + rates. */
unsigned dataset_stat_count(const struct defs *defs);

/* Status names in the file ("ok", "primary", ...), GSS symbols ("" for OBS_OK, "[c]", ...),
 * SDMX OBS_STATUS and CONF_STATUS codes. */
const char *obs_status_name(enum obs_status s);
const char *obs_status_symbol(enum obs_status s);
const char *obs_status_sdmx_obs(enum obs_status s);
const char *obs_status_sdmx_conf(enum obs_status s);
/* Whether the value may be shown to a reader. */
int obs_status_published(enum obs_status s);
/* Whether a status withholds the cell (OBS_PRIMARY, OBS_SECONDARY, OBS_WITHHELD: "[c]"). */
int obs_status_withheld(enum obs_status s);

/*
 * Writes ds (sorted first) to out. Returns 0, or -1 on a write error (errno set).
 */
int dataset_write(struct dataset *ds, const struct defs *defs, FILE *out);

/*
 * Writes ds to fd, which it takes and closes (sync: fsync'd before). Returns 0, or -1 with
 * errno set.
 */
int dataset_write_fd(struct dataset *ds, const struct defs *defs, int fd, int sync);

/*
 * The reporting years the publication can hold, by their first year: 2001-02 to 2099-00, the
 * one range every stage checks (the validator's R13, mappa-sample, the --period of mappa-run
 * and mappa-merge, the readers of datasets and bundles, the publisher). MAPPA began in April
 * 2001 (Criminal Justice and Court Services Act 2000), so no return counts an earlier year;
 * and a bundle's entries are dated 1 April after the period (a zip's DOS dates end in 2107,
 * ustar's in 2242) and its default release dates in the October after it and the one after
 * that: up to 2099-00 every one of them is a four-digit year well inside every format.
 */
#define DATASET_PERIOD_FIRST_YEAR 2001
#define DATASET_PERIOD_LAST_YEAR 2099
/* The range above as people read it, for messages: "2001-02 to 2099-00". */
#define DATASET_PERIOD_RANGE "2001-02 to 2099-00"

/* Whether s is a period: "2022-23", four digits, a dash, the next year's last two digits, its
 * first year in the range above. */
int dataset_period_valid(const char *s);
/* The first year of the period s (2022 for "2022-23"), or -1 when s is not one. */
int dataset_period_year(const char *s);
/* Whether y is the first year of a period in the range above. */
int dataset_period_year_ok(long y);

/*
 * Writes ds to path atomically: a temporary file in the same folder, fsync, rename. On any
 * error nothing at path changes. A symbolic link at path is refused (ELOOP, outfile.h), and the
 * temporary file is always a new one (never opened through a link planted there). A character
 * device or a FIFO at path (/dev/null) is written to, not replaced; a folder, a socket or a
 * block device is refused (EEXIST, "not a regular file"). Returns 0, or -1 with an error O10
 * "cannot write: REASON" of path at line 0 appended to d, keeping the errno (diag_errnum:
 * ELOOP, EEXIST, ENOENT, EACCES, ENOSPC, EFBIG, ...).
 */
int dataset_write_path(struct dataset *ds, const struct defs *defs, const char *path,
		       struct diag_list *d);

/*
 * Reads a dataset written by dataset_write from buf (len bytes) named file, checking the
 * format version, every field, every key against defs, duplicates, and the checksum that ends
 * the file. Returns 0, or -1 with every problem appended to d (rule ids O01-O09).
 */
int dataset_read(struct dataset *ds, const struct defs *defs, const char *file, const char *buf,
		 size_t len, struct diag_list *d);

/* The largest dataset file read (dataset_read_path) or hashed (bundle_sha256_file). */
#define DATASET_MAX_BYTES ((size_t)256 << 20)

/* Reads path. Size cap: DATASET_MAX_BYTES (256 MiB). Returns as dataset_read does; -1 also when larger (O08);
 * -2 when it cannot be read: an error O08 "cannot read: REASON" at line 0 that keeps the errno
 * (diag_errnum; errno is set to it too, for the callers that still read errno). */
int dataset_read_path(struct dataset *ds, const struct defs *defs, const char *path,
		      struct diag_list *d);

#endif
