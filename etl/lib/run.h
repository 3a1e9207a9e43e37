/*
 * run: the unattended run of the whole pipeline in one process (docs/operations.md).
 *
 *	struct run_options o;  run_options_init(&o);  o.inbox = ...; o.outdir = ...;
 *	struct run_result res;
 *	int status = run_execute(&o, &defs, &areas, &res);   (a sysexits status)
 *	... print res.message ...
 *	run_result_release(&res);
 *
 * run_execute takes the lock OUTDIR/.lock (flock on a file opened with O_NOFOLLOW|O_CLOEXEC;
 * the kernel drops it when the process dies, so a stale lock never needs a person), lists the
 * inbox (every entry accounted for), reads each return once (the bytes copied into the run
 * folder with their SHA-256, validated, normalised), merges, suppresses and audits, builds the
 * bundle in memory, reads the archive back from those bytes (manifest checked, observations.csv
 * audited as a reader would), writes the run report (text and HTML) and then publishes with
 * one rename: OUTDIR/mappa-PERIOD.EXT is a symbolic link to latest/bundle/mappa-PERIOD.EXT, and
 * the rename of a new link runs/RUN-ID over OUTDIR/latest publishes the run and its bundle at
 * once (they always agree, whenever the run stops); then the run's status file is written.
 * Only the bundle, the folders that lead to it, OUTDIR and the status file are fsync'd.
 *
 * Nothing is printed: the outcome is the returned status and res.message (one line, names
 * already quoted). The run folder OUTDIR/runs/RUN-ID/ keeps inbox/ (the copied returns),
 * inbox.sha256, checks/NNN.txt (every diagnostic of the NNN-th inbox entry), normalised/,
 * national.obs, suppressed.obs, merge-report.txt, suppression-report.txt, bundle/, run.log,
 * report.txt, report.html and status. A write failure (73/74) before the publish removes the
 * run folder, so OUTDIR is left as it was.
 */
#ifndef MAPPA_RUN_H
#define MAPPA_RUN_H

#include <stddef.h>

#include "areas.h"
#include "bundle.h"
#include "defs.h"
#include "publish_release.h"
#include "yoy.h"

/* Diagnostics of one file shown in the report and the log (the rest: "and N more"). */
#define RUN_DIAG_SHOWN 50
/* The run folder's files with every merge diagnostic, and every one of the later stages (the
 * history, suppression and publication), when there are more than RUN_DIAG_SHOWN. */
#define RUN_MERGE_LIST "checks/merge.txt"
#define RUN_STAGE_LIST "checks/publish.txt"
/* Inbox entries not read (dot files, folders, links...) named in the report; every one is named
 * in run.log (100,000 dot files made a report of 22 MB, QA). */
#define RUN_SKIPPED_SHOWN 100
/* The diagnostics of one file kept for its checks/NNN.txt in the run folder: every one a
 * return within the size budget can have (a 1 MiB return has at most about 25,000 lines). */
#define RUN_DIAG_KEPT 30000
/* and of the whole inbox (about 13 MB; it was 200,000, about 45 MB, and nine 1 MiB returns of
 * 25,500 duplicate cells each made a run of 63 MB that a memory limit of 100 MB stopped with
 * 70 instead of 65, QA): past it, a file keeps RUN_DIAG_SHOWN and counts the rest ("and N more
 * not kept" in its checks/NNN.txt) */
#define RUN_DIAG_BUDGET 60000

/* The inbox's files a run reads, at most (dot files, never read, not counted): an inbox holds
 * the areas' returns, 42 a period with their revisions; and its entries of every kind. An inbox
 * with more is refused (65) before anything is read (100,000 copies of a return took 1.4 GB
 * and 2.5 minutes, QA; 20,000 dot files take 40 MB). */
#define RUN_INBOX_MAX 5000
#define RUN_INBOX_ENTRIES_MAX 100000
/* Superseded returns named on an area's line of the report (each has its own line too). */
#define RUN_SUPERSEDED_SHOWN 10

/* The default time budget of one return, in seconds (a return takes a few milliseconds). */
#define RUN_RETURN_SECONDS 10.0

struct run_options {
	const char *inbox, *outdir;     /* required */
	const char *period;             /* "2022-23", or NULL: the period of most returns */
	const char *policy;             /* disclosure policy file, or NULL: the built-in one */
	int allow_missing;              /* publish without the areas that sent nothing ([x]) */
	const char *history;            /* folder of the published bundles, or NULL: outdir */
	struct yoy_limits yoy;          /* year-on-year warnings (yoy.h); run_options_init: defaults */
	enum bundle_format format;
	long long min_free_kb;          /* refuse to start with less free space in OUTDIR */
	/* The budget of one return: at most max_return_bytes are read (a larger file is invalid,
	   R03), and reading, validating and normalising it may take at most max_return_seconds
	   (checked between reads and after each stage: a slower one is invalid, R19). */
	size_t max_return_bytes;        /* default and most: XMLSAFE_MAX_BYTES (1 MiB) */
	double max_return_seconds;      /* default RUN_RETURN_SECONDS */
	/* Release metadata of the bundle (publish_release.h), as mappa-publish takes it: the
	   caller checks it with publish_release_validate; NULL fields take their demo defaults. */
	struct publish_release release;
	/* the --release file (as given; NULL: none), and the lines of its <date> and <next> when
	   release.date and release.next are the file's (0: an option, or the default): a date of
	   the file that fails against the period is an L04 of the file at its line (65) */
	const char *release_file;
	long release_date_line, release_next_line;
	/* Called at each step (test hooks): locked copied validated normalised merged
	   suppressed bundled verified reported synced linked symlinked pointed finished; and,
	   for each regular file of the inbox once it is read, "read NAME" (NAME as in the inbox),
	   and before it is opened, "reading NAME" (from the thread that reads it: a hook that
	   blocks there stands for a file system whose read blocks). */
	void (*hook)(const char *step);
};

struct run_result {
	char run_id[64];
	char *run_dir;                  /* owned; NULL when no run folder was kept */
	char *bundle_path;              /* owned; the published bundle, or NULL */
	char *report_path;              /* owned; report.txt of the run folder, or NULL */
	char sha256[65];                /* of the published bundle */
	int incomplete;                 /* published with missing areas ([x]) */
	char message[2048];             /* one line: what happened (names quoted) */
	char warning[1024];             /* one line, or empty: published, but something is owed
					   (the status file could not be written) */
	struct diag_list setup;         /* owned; what made the run refuse before it began (the
					   policy's diagnostics, FILE:LINE: error[RULE]), for the
					   caller to print: there is no report then */
};

void run_options_init(struct run_options *o);
void run_result_release(struct run_result *res);   /* accepts a zeroed result */

/*
 * Runs the pipeline (see above). defs and areas: the loaded definitions and reference data.
 * Fills res (initialised here). Returns a sysexits status: 0 published; 65 a return invalid,
 * an area missing or a later stage refused the data (nothing published, report kept); 66 the
 * inbox or the policy cannot be read; 70 internal error; 73 OUTDIR or the run folder cannot be
 * created, the lock is not a regular file, too little free space, or a folder stands where the
 * bundle or latest goes; 74 write error; 75 another run holds the lock.
 */
int run_execute(const struct run_options *o, const struct defs *defs, const struct areas *areas,
		struct run_result *res);

/*
 * For a fatal error hook (the LP solver out of memory, which returns nowhere): records what a
 * run going on now can still record with system calls alone, before the process exits 70 -
 * "status 70" in its run folder, a line in its run.log, and the lock's note cleared. Nothing
 * when no run is going on. The report is not written (it needs memory).
 */
void run_fatal(void);

/*
 * Appends to out the sha256sum(1) line of a file: "HEX  NAME\n", or, when NAME holds a
 * backslash or a line end, "\HEX  NAME\n" with those escaped as sha256sum does.
 */
struct strbuf;
void run_sha256_line(struct strbuf *out, const char *hex, const char *name);

/* Appends s to out escaped for HTML text and attribute values (& < > " '): htmlesc_append. */
void run_html_escape(struct strbuf *out, const char *s);

#endif
