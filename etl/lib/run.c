/*
 * run: the unattended run of the whole pipeline in one process (see run.h).
 */
#define _XOPEN_SOURCE 700

#include "run.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "areturn.h"
#include "bundle.h"
#include "dataset.h"
#include "digest.h"
#include "diag.h"
#include "htmlesc.h"
#include "isodate.h"
#include "lockfile.h"
#include "merge.h"
#include "normalise.h"
#include "outfile.h"
#include "protect.h"
#include "publish.h"
#include "published.h"
#include "quote.h"
#include "regfile.h"
#include "run_history.h"
#include "strbuf.h"
#include "validator.h"
#include "xmlsafe.h"

#define RUN_PATH_MAX 4096
/* the longest path of OUTDIR: RUN_PATH_MAX less room for a run folder's files below it (a
   return's copy in runs/RUN-ID/inbox/ has a name of up to 255 bytes) */
#define RUN_OUTDIR_MAX (RUN_PATH_MAX - 512)
#define RUN_NAME_MAX 1100 /* a quoted file name: 255 bytes, each at most 4 when escaped */

enum entry_state {
	ENTRY_SKIPPED,      /* not a regular file, or a dot file: not read (why says so) */
	ENTRY_UNREADABLE,   /* a regular file that cannot be read */
	ENTRY_INVALID,      /* read, and refused by the validator or the normaliser */
	ENTRY_VALID,        /* valid; the merge did not decide (it failed) */
	ENTRY_USED,
	ENTRY_SUPERSEDED,
	ENTRY_DUPLICATE,
	ENTRY_CONFLICT,     /* the same revision as another with other content (M05) */
	ENTRY_CHANGED,      /* the revision the period's publication used, other content (M05) */
	ENTRY_OTHER_PERIOD, /* of another period (M04) */
	ENTRY_REFUSED       /* refused by the merge for another reason */
};

struct entry {
	char *name;                 /* as in the inbox; owned */
	char *display;              /* quoted for printing (the diagnostics name it raw, and
				       diag_format quotes it); owned. Not an array of the longest
				       quoted name: 100,000 dot files took 192 MB (QA) */
	enum entry_state state;
	const char *why;            /* ENTRY_SKIPPED, ENTRY_UNREADABLE */
	char sha256[65];
	size_t partial;             /* over the size budget: the bytes read, copied and checksummed */
	char area[AREA_CODE_MAX];   /* a valid return's area, or the area an invalid one names */
	long revision;
	struct diag_list diags;     /* every diagnostic of this file, from every stage */
	int checks_stale;           /* diags has one its checks/NNN.txt, written with the merge,
				       lacks (a later stage's M05): written again with the report */
	struct area_return *ret;    /* a valid return as read, with its lines (year-on-year); owned */
	int listed;                 /* ENTRY_SKIPPED: among the RUN_SKIPPED_SHOWN the reports list
				       (mark_listed) */
};

enum run_protect_step { RUN_PROTECT_POLICY, RUN_PROTECT_SUPPRESS, RUN_PROTECT_AUDIT };

struct run {
	const struct run_options *o;
	const struct defs *defs;
	const struct areas *areas;
	struct run_result *res;
	int status;
	char outdir[RUN_PATH_MAX], inbox[RUN_PATH_MAX], rundir[RUN_PATH_MAX];
	/* INBOX and OUTDIR quoted for messages, cut at 600 bytes ("..."): a whole path of 4,096 bytes
	   (2,000 "../") left no room for the reason in a message of 2,048 */
	char q_outdir[600], q_inbox[600];
	int outfd, lockfd, runfd;
	int lock_noted;             /* the run's note is in the lock file it holds (emptied at the
				       end; nothing else is ever written into a file at .lock) */
	int created_runs;           /* this run created OUTDIR/runs */
	int created_outdir;         /* this run created OUTDIR (its .lock stays in it) */
	const char *put_failed;     /* the run folder's file a put_ function last failed to write */
	FILE *log;
	int log_failed, log_errno;
	char started[32];
	struct strbuf notes;        /* recovered state, logged once the log is open */
	struct strbuf pubs;         /* publications.sha256: every earlier publication of the period
				       this one is solved with, "HEX  runs/RUN/bundle/NAME" */
	struct strbuf times;        /* " step N ms," for each step so far */
	double t_last, cpu_last;
	struct policy policy;     /* suppression, audits and the publisher's prose */
	struct protect_summary sum, audit;
	size_t n, nread;
	size_t over;            /* the inbox's entries when over a limit (none kept), else 0 */
	struct entry *e;
	struct diag_list merge_diags; /* the merge's diagnostics that concern no one file */
	struct diag_list stage_diags; /* publish check, published read */
	struct dataset ds;
	int merged, provisional, suppressed, verified, published;
	char period[12];
	char bundle_name[64];
	struct strbuf archive;
	size_t bundle_files;
	char result[1024];          /* the report's result line */
	char suppress_failed[1536]; /* why the suppression, run, gave no pattern or was refused,
				       "error[RULE]: MESSAGE" (not the work budget), or empty */
	struct strbuf refused_too;  /* the refusal's other errors, "error[RULE]: MESSAGE" a line
				       each (the other cells no pattern protects) */
	struct run_history hist;    /* the earlier bundles, year-on-year warnings (run_history.h) */
	size_t earlier_truth;       /* earlier publications of the period whose true values (their
				       run folders' suppressed.obs) the suppression has */
	struct dataset known;       /* a revision: what the earlier bundle published (have_known) */
	int have_known;
	char date_note[600];        /* the release date before a return was sent, returns sent after today: said ("" not) */
};

/* ---- small helpers ---- */

static void utc_stamp(char *buf, size_t size, const char *fmt)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	if (strftime(buf, size, fmt, &tm) == 0 && size)
		buf[0] = '\0';
}

/* The status of a failed write or creation. */
static int write_status(int e)
{
	return e == ENOSPC || e == EFBIG || e == EIO || e == EDQUOT ? EX_IOERR : EX_CANTCREAT;
}

/* The message of the first error kept in l, for the run's one-line outcome. */
static const char *first_message(const struct diag_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].severity == DIAG_ERROR)
			return l->items[i].message;
	return "out of memory";
}

/* The first error of l from its item from on as "error[RULE]: MESSAGE" in buf (a failure names
   its rule); when none is kept, why: past the list's limit, or out of memory. */
static const char *first_error(const struct diag_list *l, size_t from, char *buf, size_t size)
{
	for (size_t i = from; i < l->count; i++)
		if (l->items[i].severity == DIAG_ERROR) {
			snprintf(buf, size, "error[%s]: %s", l->items[i].rule, l->items[i].message);
			return buf;
		}
	return l->dropped ? "its diagnostics are past the report's limit" : "out of memory";
}

/*
 * A name as quote_name_buf shows it (shown), put inside a message as quote_arg_buf puts one:
 * 'name' when plain, the double-quoted form as it is (QA: "the policy '"pol\nicy.xml"'", quoted
 * twice). Into dst (size bytes); errno is kept, for the strerror beside it. Returns dst.
 */
static const char *as_arg(char *dst, size_t size, const char *shown)
{
	int e = errno;
	if (shown[0] == '"')
		snprintf(dst, size, "%s", shown);
	else
		snprintf(dst, size, "'%s'", shown);
	errno = e;
	return dst;
}

/* The rule of l's first error (S03, the suppression's, when none is kept). */
static const char *first_rule(const struct diag_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].severity == DIAG_ERROR)
			return l->items[i].rule;
	return "S03";
}

static int fail(struct run *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct run *r, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->res->message, sizeof r->res->message, fmt, ap);
	va_end(ap);
	r->status = status;
	return status;
}

static void run_log(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void run_log(struct run *r, const char *fmt, ...)
{
	char stamp[32];
	va_list ap;

	if (!r->log || r->log_failed)
		return;
	utc_stamp(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ");
	fprintf(r->log, "%s ", stamp);
	va_start(ap, fmt);
	vfprintf(r->log, fmt, ap);
	va_end(ap);
	fputc('\n', r->log);
	if (fflush(r->log) != 0 || ferror(r->log)) {
		r->log_failed = 1;
		r->log_errno = errno ? errno : EIO;
	}
}

/* The path of the run folder's leaf (the folder itself when leaf is NULL) for a person to read:
   quoted as one name (OUTDIR's part quoted alone was half quoted, and could not be pasted;
   QA, in the caller's line, then in report.txt and run.log). NULL when out of memory. */
static char *run_path_shown(const struct run *r, const char *leaf)
{
	struct strbuf raw = STRBUF_INIT, q = STRBUF_INIT;

	strbuf_addf(&raw, "%s/runs/%s%s%s", r->outdir, r->res->run_id, leaf ? "/" : "",
		    leaf ? leaf : "");
	if (strbuf_ok(&raw) == 0 && raw.data)
		quote_name(&q, raw.data);
	strbuf_release(&raw);
	if (strbuf_ok(&q) != 0 || !q.data) {
		strbuf_release(&q);
		return NULL;
	}
	return strbuf_detach(&q, NULL);
}

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The CPU time of the process so far (user + system), in seconds. */
static double cpu_seconds_now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Each step: the time since the one before (for the log: where the time goes), then the test
   hook. */
static void hook(struct run *r, const char *step)
{
	double now = seconds_now(), cpu = cpu_seconds_now();
	strbuf_addf(&r->times, " %s %.0f ms (CPU %.0f ms),", step, (now - r->t_last) * 1000,
		    (cpu - r->cpu_last) * 1000);
	r->t_last = now;
	r->cpu_last = cpu;
	if (r->o->hook)
		r->o->hook(step);
}

/*
 * Writes len bytes as rel in the run folder with mode (less the umask; sync: fsync the file).
 * Returns 0 or -1 (errno).
 */
static int put_file(struct run *r, const char *rel, const void *data, size_t len, int sync,
		    mode_t mode)
{
	int fd = openat(r->runfd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
			mode);
	int e;
	r->put_failed = rel;
	if (fd < 0)
		return -1;
	if (outfile_write_all(fd, data, len) != 0 || (sync && fsync(fd) != 0)) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (close(fd) != 0)
		return -1;
	r->put_failed = NULL;
	return 0;
}

static int put_strbuf(struct run *r, const char *rel, const struct strbuf *sb, int sync)
{
	if (strbuf_ok(sb) != 0) {
		errno = ENOMEM;
		return -1;
	}
	/* the run's own records (reports, checks, checksums of the returns) are the operator's
	   only whatever the umask: a failed run's report.txt showed the national totals before
	   suppression, and a return's diagnostics quote its counts; read by all under umask 022
	   (a web server on OUTDIR), they gave away cells the bundle withholds (QA) */
	return put_file(r, rel, sb->data ? sb->data : "", sb->len, sync, 0600);
}

/* A dataset of the run: true values, readable by the operator only (whatever the umask). */
static int put_dataset(struct run *r, const char *rel, struct dataset *ds)
{
	int fd = openat(r->runfd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	r->put_failed = rel;
	if (fd < 0 || dataset_write_fd(ds, r->defs, fd, 0) != 0)
		return -1;
	r->put_failed = NULL;
	return 0;
}

/* The merge's own summary (inputs, decisions, national totals) as merge-report.txt. */
static int put_merge_report(struct run *r, const struct merge *m)
{
	int fd = openat(r->runfd, "merge-report.txt", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
			0600); /* the national totals before suppression */
	FILE *f;
	int rc, e;
	r->put_failed = "merge-report.txt";
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	rc = merge_write_report(m, r->merged ? &r->ds : NULL, f);
	e = errno;
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	if (rc == 0)
		r->put_failed = NULL;
	errno = e;
	return rc;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void run_sha256_line(struct strbuf *out, const char *hex, const char *name)
{
	/* sha256sum's own escapes (coreutils 9): \\, \n and \r, which sha256sum -c reads back;
	   a CR written raw let a name overwrite its line on a terminal (QA). The format has no
	   escape for the other controls: the reports name every entry quoted. */
	if (!strpbrk(name, "\\\n\r")) {
		strbuf_addf(out, "%s  %s\n", hex, name);
		return;
	}
	strbuf_addf(out, "\\%s  ", hex);
	for (const char *p = name; *p; p++) {
		if (*p == '\\')
			strbuf_puts(out, "\\\\");
		else if (*p == '\n')
			strbuf_puts(out, "\\n");
		else if (*p == '\r')
			strbuf_puts(out, "\\r");
		else
			strbuf_add(out, p, 1);
	}
	strbuf_puts(out, "\n");
}

void run_html_escape(struct strbuf *out, const char *s)
{
	htmlesc_append(out, s);   /* the project's one HTML escaper */
}

void run_options_init(struct run_options *o)
{
	memset(o, 0, sizeof *o);
	o->format = BUNDLE_TAR_GZ;
	o->min_free_kb = 20480;
	yoy_limits_default(&o->yoy);
	o->max_return_bytes = XMLSAFE_MAX_BYTES;
	o->max_return_seconds = RUN_RETURN_SECONDS;
	publish_release_init(&o->release);
}

void run_result_release(struct run_result *res)
{
	if (!res)
		return;
	free(res->run_dir);
	free(res->bundle_path);
	free(res->report_path);
	res->run_dir = res->bundle_path = res->report_path = NULL;
	diag_clear(&res->setup);
}

/* ---- disclosure control: every call into protect.h is here ---- */

/* The run folder's status N when its file is whole ("status N\n"), else -1. */
static int status_value(int runfd)
{
	char buf[32];
	long v;
	/* O_NONBLOCK, and a regular file only: a FIFO at the name, in any run folder, kept the
	   run waiting for a writer for ever, holding its lock (QA) */
	int fd = regfile_open(runfd, "status", O_NOFOLLOW, NULL);
	ssize_t got;
	size_t digits;

	if (fd < 0)
		return -1;
	got = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (got <= 7)
		return -1;
	buf[got] = '\0';
	digits = strspn(buf + 7, "0123456789");
	if (strncmp(buf, "status ", 7) != 0 || digits == 0 || buf[7 + digits] != '\n' ||
	    (size_t)got != 7 + digits + 1)
		return -1;
	v = strtol(buf + 7, NULL, 10); /* saturates: a whole status of any length */
	return v > INT_MAX ? INT_MAX : (int)v;
}

/* Whether an error of l is a permission refused (its message says so, as series.c writes it). */
static int denied(const struct diag_list *l)
{
	const char *why = strerror(EACCES);

	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].severity == DIAG_ERROR && strstr(l->items[i].message, why))
			return 1;
	return 0;
}

/* Other earlier publications solved with this one besides the one being revised: each a
   different set of figures (a revision's). A 17th is refused, not left out. */
#define RUN_EARLIER_MORE 15

static int name_desc(const void *a, const void *b)
{
	return strcmp(*(const char *const *)b, *(const char *const *)a);
}

/* Whether --history names a folder other than OUTDIR (by device and inode: OUTDIR/. and a
   link to it are OUTDIR). */
static int history_elsewhere(const struct run *r)
{
	struct stat hs, os;

	return r->o->history && (stat(r->o->history, &hs) != 0 || fstat(r->outfd, &os) != 0 ||
				 hs.st_dev != os.st_dev || hs.st_ino != os.st_ino);
}

/* Whether OUTDIR holds a bundle of period (published before: its link, or a file); name (64
   bytes) gets the name found. */
static int outdir_published(const struct run *r, const char *period, char name[64])
{
	struct stat st;

	for (int e = 0; e < 2; e++)
		if (bundle_name(name, 64, period, e ? BUNDLE_ZIP : BUNDLE_TAR_GZ) == 0 &&
		    fstatat(r->outfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			return 1;
	name[0] = '\0';
	return 0;
}

/* The folder the earlier bundles are read from: --history, or OUTDIR. */
static const char *history_dir(const struct run *r)
{
	return r->o->history ? r->o->history : r->outdir;
}

/* The true values behind the bundle being revised (series_attach_run_truth): OUTDIR's link at
   its name leads into a run folder's bundle/. 1 attached, 0 not there, -1 there but damaged
   (why in d), -2 out of memory. */
static int attach_before_truth(struct run *r, struct series *s, struct diag_list *d)
{
	char link[RUN_PATH_MAX + 100];

	/* OUTDIR's link at the bundle's name: a revision is run only in the OUTDIR that
	   published the period (run_protect refuses --history elsewhere) */
	if (snprintf(link, sizeof link, "%s/%s", r->outdir, s->before.file) >= (int)sizeof link)
		return 0;
	return series_attach_run_truth(s, r->defs, link, d);
}

/*
 * Whether the run folder rfd published period in format e (0 tar.gz, 1 zip): its status 0 and
 * its bundle/ holding the period's file itself, not a link. rel (size bytes) gets the file's
 * path in the folder, st its stat.
 */
static int run_folder_published(int rfd, const char *period, int e, char *rel, size_t size,
				struct stat *st)
{
	return status_value(rfd) == 0 &&
	       snprintf(rel, size, "bundle/mappa-%s.%s", period,
			bundle_format_ext(e ? BUNDLE_ZIP : BUNDLE_TAR_GZ)) < (int)size &&
	       fstatat(rfd, rel, st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st->st_mode);
}

/*
 * The publication being revised, OUTDIR's name of the period (a link into a run folder): its
 * path under OUTDIR (runs/RUN/bundle/NAME) into rel (size bytes) and its SHA-256 into hex,
 * appended to r->pubs. 0, or -1 when it is not in one of OUTDIR's run folders or cannot be
 * read (attach_before_truth has found its run folder's true values, so neither happens).
 */
static int add_before_publication(struct run *r, char *rel, size_t size, char hex[65])
{
	char link[RUN_PATH_MAX + 100], run[PATH_MAX], out[PATH_MAX];
	const char *name = NULL;
	size_t n;

	if (snprintf(link, sizeof link, "%s/%s", r->outdir, r->hist.series.before.file) >=
		    (int)sizeof link ||
	    !series_run_folder(link, run, &name) || !realpath(r->outdir, out))
		return -1;
	n = strlen(out);
	if (strncmp(run, out, n) != 0 || strncmp(run + n, "/runs/", 6) != 0 ||
	    snprintf(rel, size, "%s/bundle/%s", run + n + 1, name) >= (int)size ||
	    bundle_sha256_file(r->outfd, rel, HISTORY_MAX_BYTES, hex) != 0)
		return -1;
	strbuf_addf(&r->pubs, "%s  %s\n", hex, rel);
	return 0;
}

/* Whether sb holds line (n bytes, its line end not among them) as one of its lines, whole. */
static int has_line(const struct strbuf *sb, const char *line, size_t n)
{
	const char *s = sb->data, *end = sb->data + sb->len;

	while (sb->len > 0 && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (len == n && memcmp(s, line, n) == 0)
			return 1;
		s = nl ? nl + 1 : end;
	}
	return 0;
}

/* Whether pubs (sha256sum's format, as add_before_publication and add_other_publications
   write it) has the line "HEX  NAME": that bundle, at that path (a run folder removed is
   missed though another holds the same bytes). */
static int pubs_has(const struct strbuf *pubs, const char *hex, const char *name, size_t name_len)
{
	char line[600];

	if (name_len > sizeof line - 67)
		return 0;
	memcpy(line, hex, 64);
	line[64] = line[65] = ' ';
	memcpy(line + 66, name, name_len);
	return has_line(pubs, line, 66 + name_len);
}

/*
 * Every publication the one being revised was solved with (publications.sha256 of its run
 * folder, rel its bundle's path under OUTDIR) must be among those this run found (r->pubs):
 * one missing is a publication whose run folder was removed, and a revision audited without
 * it could let a reader of all the bundles learn withheld figures (QA: after the clean-up of
 * docs/operations.md removed the first publication's run folder, a third publication went out
 * with its joint audit on the second alone, and the outsider pinned Bedfordshire's eligible
 * 3/3 at [2, 2] from the three bundles). A run folder written before this record was kept
 * has none: nothing to check. 0, or -1 refused (why in d).
 */
static int check_publication_record(struct run *r, const char *rel, struct diag_list *d)
{
	char rec[600], line[600], q[700], qr[700];
	const char *slash = strstr(rel + 5, "/bundle/");
	FILE *f = NULL;
	int fd, rc = 0;
	long ln = 0;

	quote_name_buf(qr, sizeof qr, rel);
	if (!slash || snprintf(rec, sizeof rec, "%.*s/publications.sha256", (int)(slash - rel),
			       rel) >= (int)sizeof rec)
		return 0;
	/* without blocking, a regular file only: a FIFO there would stop the run for ever */
	fd = regfile_open(r->outfd, rec, O_NOFOLLOW, NULL);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || !(f = fdopen(fd, "r"))) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		diag_add(d, rec, 0, "S03", DIAG_ERROR,
			 "the record of the publications %s was solved with cannot be read (%s): %s",
			 qr, xmlsafe_strerror(e),
			 e == EACCES || e == EPERM
				 ? SERIES_GIVE_BACK
				 : "restore it from a backup of OUTDIR");
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof line, f)) {
		char hex[65];
		const char *name;
		size_t name_len;
		ln++;
		if (!digest_sha256_line(line, strcspn(line, "\n"), hex, &name, &name_len)) {
			diag_add(d, rec, ln, "S03", DIAG_ERROR,
				 "not a line of sha256sum's format (HEX  PATH): the record of the "
				 "publications %s was solved with is damaged", qr);
			rc = -1;
			continue;
		}
		if (pubs_has(&r->pubs, hex, name, name_len))
			continue;
		line[strcspn(line, "\n")] = '\0'; /* the name's end */
		diag_add(d, rec, ln, "S03", DIAG_ERROR,
			 "%s was solved with an earlier publication of the period, %s (sha256 "
			 "%.12s...), that is in no run folder of OUTDIR: its run folder was removed "
			 "or changed, and a revision audited without it could let a reader of every "
			 "bundle learn withheld figures. Put the run folder back (from a backup of "
			 "OUTDIR) and run again",
			 qr, quote_name_buf(q, sizeof q, name), hex);
		rc = -1;
	}
	if (rc == 0 && ferror(f)) {
		diag_add(d, rec, 0, "S03", DIAG_ERROR,
			 "the record of the publications %s was solved with cannot be read", qr);
		rc = -1;
	}
	fclose(f);
	return rc;
}

/* A run folder of OUTDIR that this run cannot read: no damage, another user's (QA: it was said
   to be removed, and a backup advised). */
static void denied_folder(struct diag_list *refusal, const char *name)
{
	char q[300];

	diag_add(refusal, "runs", 0, "S03", DIAG_ERROR,
		 "the run folder runs/%s cannot be read (Permission denied): " SERIES_GIVE_BACK,
		 quote_name_buf(q, sizeof q, name));
}

/* Adds the figures of ds (every row: area, cell, value and status; every area's state and
   population, which bound the counts behind a published rate) to ctx. */
static void figures_add(struct sha256_ctx *ctx, const struct dataset *ds)
{
	char row[AREA_CODE_MAX + 96];

	for (size_t i = 0; i < ds->nareas; i++) {
		const struct dataset_area *a = &ds->areas[i];
		int n = snprintf(row, sizeof row, "%s\t%d\t%lld\t%d\n", a->code, (int)a->state,
				 a->population, a->population_approximate);
		if (n > 0)
			sha256_update(ctx, (size_t)n < sizeof row ? (size_t)n : sizeof row - 1,
				      (const uint8_t *)row);
	}
	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		int n = snprintf(row, sizeof row, "%s\t%u\t%d\t%d\t%lld\t%d\n", o->area, o->stat,
				 o->category, o->level, o->value, (int)o->status);
		if (n > 0)
			sha256_update(ctx, (size_t)n < sizeof row ? (size_t)n : sizeof row - 1,
				      (const uint8_t *)row);
	}
}

/*
 * What a publication of the period published and the true values behind it, as one SHA-256:
 * two bundles with the same (another release date, another period's time series beside it, a
 * night's run of an unchanged inbox under other options) are one publication to a reader, and
 * the second adds nothing to the linear system of a revision.
 */
static void figures_digest(const struct series *s, char hex[65])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	figures_add(&ctx, &s->before.ds);
	sha256_update(&ctx, 1, (const uint8_t *)"\f");
	if (s->have_truth)
		figures_add(&ctx, &s->truth);
	digest_sha256_finish(&ctx, hex);
}

/*
 * Every other bundle of the period published from OUTDIR's run folders (a run folder whose
 * status is 0, its bundle/ holding the period's file itself, not a link), newest first: a
 * reader may have kept any of them, so each is solved with this publication too
 * (series_known_more), beside the one being revised (already in r->known). Each set of figures
 * once (figures_digest: a bundle with the same figures and true values as one taken is
 * recorded in r->pubs, not solved again); more than RUN_EARLIER_MORE different sets are
 * refused (S03), never some left out (QA: the 16 newest bundles were solved with, in silence,
 * where the docs promise every earlier publication). A revision is published only in the OUTDIR that published the period
 * (run_protect), so OUTDIR's run folders hold every earlier publication of it. One that cannot
 * be read is a warning of the report (d). One without its true values is refused: 0, -1 out of
 * memory, -2 refused (why in refusal).
 */
static int same_revision_changed(struct run *r, const struct dataset *ds, const struct series *s);

static int add_other_publications(struct run *r, const struct dataset *ds, struct diag_list *d,
				  struct diag_list *refusal)
{
	char path[RUN_PATH_MAX + 300], rel[300], q[300];
	const char *period = ds->period;
	struct diag_list scratch = DIAG_LIST_INIT;
	size_t nnames = 0, cap = 0;
	char **names = NULL;
	struct series *si = NULL; /* 90 KB: off the stack frame (ulimit -v) */
	struct stat st, before;	/* before: the bundle being revised (taken already) */
	char seen[RUN_EARLIER_MORE + 2][65]; /* figures_digest of each set solved with */
	struct strbuf keys = STRBUF_INIT;   /* "BUNDLE TRUTH" SHA-256s of the bundles taken */
	struct strbuf folders = STRBUF_INIT; /* "runs/RUN/bundle/NAME" of each publishing folder */
	size_t nfig = 0;
	struct dirent *de;
	int dfd = openat(r->outfd, "runs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc = 0;
	DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;

	if (!dir) {
		if (dfd >= 0)
			close(dfd);
		return 0; /* no run folders: nothing else was published here */
	}
	if (fstatat(r->outfd, r->hist.series.before.file, &before, 0) != 0)
		memset(&before, 0, sizeof before);
	figures_digest(&r->hist.series, seen[nfig++]); /* the publication being revised */
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (nnames == cap) {
			char **m = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof *names);
			if (!m) {
				rc = -1;
				goto out;
			}
			names = m;
		}
		if (!(names[nnames] = strdup(de->d_name))) {
			rc = -1;
			goto out;
		}
		nnames++;
	}
	if (nnames > 1)
		qsort(names, nnames, sizeof *names, name_desc);
	if (nnames && !(si = malloc(sizeof *si))) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < nnames && rc == 0; i++) {
		int rfd = openat(dirfd(dir), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (rfd < 0 && errno == EACCES) {
			denied_folder(refusal, names[i]);
			rc = -2;
		}
		for (int e = 0; rfd >= 0 && e < 2; e++) {
			char h[65], truth[65], fig[65];
			size_t k;
			errno = 0;
			if (!run_folder_published(rfd, period, e, rel, sizeof rel, &st)) {
				if (errno == EACCES) { /* its status or bundle/ */
					denied_folder(refusal, names[i]);
					rc = -2;
					break;
				}
				continue;
			}
			if (snprintf(path, sizeof path, "%s/runs/%s/%s", r->outdir, names[i], rel) >=
			    (int)sizeof path)
				continue;
			if (st.st_dev == before.st_dev && st.st_ino == before.st_ino)
				continue; /* the one being revised: its record is checked by the caller */
			strbuf_addf(&folders, "runs/%s/%s\n", names[i], rel);
			/* the bundle its run published, whatever else it is (QA: another of the
			   period put in its place was skipped as the same bytes as that one, and
			   the revision refused as if its run folder had been removed): which
			   publications a reader kept is then unknown */
			if (series_check_run_record(path, &scratch) != 0) {
				diag_add(refusal, path, 0, "H03", DIAG_ERROR, "%s",
					 scratch.count ? scratch.items[0].message
						       : "not the bundle its run published");
				rc = -2;
				break;
			}
			if (bundle_sha256_file(rfd, rel, HISTORY_MAX_BYTES, h) != 0)
				continue; /* unreadable */
			/* every one in the record, whatever it repeats */
			strbuf_addf(&r->pubs, "%s  runs/%s/%s\n", h,
				    quote_name_buf(q, sizeof q, names[i]), rel);
			/*
			 * The same bundle and the same true values (its run folder's
			 * suppressed.obs) as one taken: the same publication (a night's run of an
			 * unchanged inbox). The same bytes alone are not: a revision behind [c]
			 * gives the bundle of the one before (QA: 17 of them were taken for one,
			 * never solved, and the limit below never reached).
			 */
			if (bundle_sha256_file(rfd, "suppressed.obs", DATASET_MAX_BYTES, truth) == 0) {
				char key[140];
				snprintf(key, sizeof key, "%s %s\n", h, truth);
				if (has_line(&keys, key, strlen(key) - 1))
					continue;
				strbuf_puts(&keys, key);
			}
			if (series_load_earlier(si, r->defs, r->areas, path, period, &scratch) != 0) {
				/* its own diagnostics stay out of the run's: it is not an input */
				(void)diag_add(d, path, 0, "H01", DIAG_WARNING,
					       "an earlier publication of %s in a run folder cannot be read "
					       "(%s): it is not solved with this one", period,
					       scratch.count ? scratch.items[0].message : "refused");
			} else {
				/*
				 * Its true values, as for the publication being revised: without
				 * them a change behind [c] in both is not seen (an older run
				 * folder's suppressed.obs truncated: the revision was published,
				 * audited with the true values of 2 publications of 3, QA).
				 */
				int t = series_attach_run_truth(si, r->defs, path, refusal);
				if (t != 1) {
					if (t == 0)
						diag_add(refusal, path, 0, "S03", DIAG_ERROR,
							 "an earlier publication of %s without its true values "
							 "(the suppressed.obs of its run folder): a figure "
							 "changed where both withhold it cannot be seen",
							 period);
					series_release(si);
					rc = t == -2 ? -1 : -2;
					break;
				}
				figures_digest(si, fig);
				for (k = 0; k < nfig && strcmp(seen[k], fig) != 0; k++)
					;
				if (k < nfig) {
					/* the figures of one taken: not solved again */
					series_release(si);
					diag_clear(&scratch);
					continue;
				}
				if (nfig > RUN_EARLIER_MORE) {
					diag_add(refusal, path, 0, "S03", DIAG_ERROR,
						 "%s has been published with more than %d different "
						 "sets of figures before this one: a revision is "
						 "audited with every earlier publication of its period, "
						 "and this stage solves at most %d with it. A reader of "
						 "all of them is beyond what it can check: nothing is "
						 "published, now or in a later run of the period (a run "
						 "of the same inbox included); its last publication "
						 "stands (docs/operations.md, revisions)",
						 period, RUN_EARLIER_MORE + 1, RUN_EARLIER_MORE + 1);
					series_release(si);
					rc = -2;
					break;
				}
				memcpy(seen[nfig++], fig, sizeof fig);
				r->earlier_truth++;
				/* a return it used, with other figures under the same revision (the
				   M05 names the publication by its run folder) */
				t = snprintf(path, sizeof path, "runs/%s/%s", names[i], rel);
				if (t > 0 && (size_t)t < sizeof si->before.file)
					memcpy(si->before.file, path, (size_t)t + 1);
				else
					snprintf(si->before.file, sizeof si->before.file,
						 "a run folder's bundle");
				t = same_revision_changed(r, ds, si);
				if (t != 0) {
					if (t == -1)
						diag_add(refusal, "national dataset", 0, "M05", DIAG_ERROR,
							 "a return published before has other figures "
							 "under the same revision number (see the merge "
							 "diagnostics)");
					series_release(si);
					rc = t == -2 ? -1 : -2;
					break;
				}
				if (series_known_more(si, ds, r->defs, 1, "123456789abcdef"[nfig - 2],
						      &r->known) != 0) {
					series_release(si);
					rc = -1;
					break;
				}
			}
			series_release(si);
			diag_clear(&scratch);
		}
		if (rfd >= 0)
			close(rfd);
	}
	/*
	 * Every publishing run folder's record, not only the predecessor's: each earlier
	 * publication any of them was solved with must still be here (QA: with the predecessor's
	 * record deleted, or latest put back on an older run by hand, a revision was published
	 * audited without a bundle the other records name).
	 */
	for (const char *l = folders.data; rc == 0 && l && *l;) {
		const char *nl = strchr(l, '\n');
		char one[RUN_PATH_MAX];
		int n = snprintf(one, sizeof one, "%.*s", (int)(nl - l), l);
		if (n > 0 && (size_t)n < sizeof one && check_publication_record(r, one, refusal) != 0)
			rc = -2;
		l = nl + 1;
	}
out:
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(si);
	strbuf_release(&keys);
	strbuf_release(&folders);
	diag_clear(&scratch);
	closedir(dir);
	return rc;
}

/*
 * Whether a run folder of OUTDIR published period (status 0, its bundle/ holding the period's
 * file itself): 1 with the newest such folder's name in run (size bytes), else 0.
 */
static int runs_published(struct run *r, const char *period, char *run, size_t size)
{
	int dfd = openat(r->outfd, "runs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), found = 0;
	DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;

	if (!dir) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	while ((de = readdir(dir)) != NULL) {
		char rel[300];
		struct stat st;
		int rfd, ok = 0;
		if (de->d_name[0] == '.' || (found && strcmp(de->d_name, run) <= 0))
			continue;
		rfd = openat(dirfd(dir), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (rfd < 0)
			continue;
		for (int e = 0; !ok && e < 2; e++)
			ok = run_folder_published(rfd, period, e, rel, sizeof rel, &st);
		close(rfd);
		if (ok) {
			snprintf(run, size, "%s", de->d_name);
			found = 1;
		}
	}
	closedir(dir);
	return found;
}

static void diag_line(struct strbuf *out, const struct diag *d);
static int diag_copy(struct diag_list *to, const struct diag *d);
static int put_checks(struct run *r, size_t i, int log);

/* The entry a diagnostic of the merge names (the file as merge_add was given it), among the
   returns read and valid; NULL for none (a diagnostic of the merge as a whole). */
static struct entry *entry_named(struct run *r, const char *file)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->e[i].state >= ENTRY_VALID && strcmp(r->e[i].name, file) == 0)
			return &r->e[i];
	return NULL;
}

/*
 * M05 across publications (series_same_revision_changed): a return an earlier publication of the
 * period (s: the one being revised, or another, with its true values) used with other figures
 * under its revision number, the one used now or one a higher revision supersedes now (QA: a
 * published revision edited in place went unnoticed once a higher one was in the inbox;
 * docs/merge.md: "at whichever revision"; and a return taken back to the revision the first
 * publication used, edited, was compared with the second only, QA). Each error goes to its
 * entry, which becomes a conflict (the report called it valid and used, and run.log had no line
 * of it, QA), and to run.log. 0, -1 when some return changed, or -2 out of memory.
 */
static int same_revision_changed(struct run *r, const struct dataset *ds, const struct series *s)
{
	struct diag_list found = DIAG_LIST_INIT;
	struct strbuf one = STRBUF_INIT;
	int n = series_same_revision_changed(s, ds, r->defs, &found), rc, nomem = 0;

	for (size_t i = 0; i < r->n && s->have_truth; i++) {
		struct entry *e = &r->e[i];
		const struct dataset_area *b;
		struct dataset *one_ds;
		if (e->state != ENTRY_SUPERSEDED || !e->ret)
			continue;
		b = dataset_area_find(&s->truth, e->ret->area_code);
		if (!b || b->state != AREA_PRESENT || b->revision != e->ret->revision)
			continue;
		one_ds = malloc(sizeof *one_ds); /* 45 KB: off the stack frame */
		if (!one_ds) {
			nomem = 1; /* not a return that changed (it was reported as one) */
			break;
		}
		if (normalise_return(one_ds, r->defs, r->areas, e->ret, e->name, &found) == 0)
			n += series_same_revision_changed(s, one_ds, r->defs, &found);
		dataset_release(one_ds);
		free(one_ds);
	}
	for (size_t k = 0; k < found.count; k++) {
		const struct diag *x = &found.items[k];
		struct entry *e = entry_named(r, x->file);
		if (e) {
			diag_copy(&e->diags, x);
			if (strcmp(x->rule, "M05") == 0)
				e->state = ENTRY_CHANGED;
			e->checks_stale = 1; /* its checks/NNN.txt lacked this (QA) */
		} else
			diag_copy(&r->merge_diags, x);
		one.len = 0;
		diag_line(&one, x);
		run_log(r, "merge: %s", one.data ? one.data : "");
	}
	rc = nomem ? -2 : n > 0 || found.errors ? -1 : 0;
	strbuf_release(&one);
	diag_clear(&found);
	return rc;
}

/*
 * What the publication being revised had of area code (its suppressed dataset's area: state,
 * revision, source), when its true values are at hand; else NULL.
 */
static const struct dataset_area *published_before(const struct run *r, const char *code)
{
	if (!r->hist.loaded || !r->hist.series.republished || !r->hist.series.have_truth)
		return NULL;
	return dataset_area_find(&r->hist.series.truth, code);
}

static void published_warning(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * A warning for cron's mail (the result's one line, on standard error) and run.log: added to
 * those said before, not dropped (QA: going back to a revision with its first release's
 * date, cron's mail said the first and run.log neither).
 */
static void warning_add(struct run *r, const char *msg)
{
	size_t k = strlen(r->res->warning), n = strlen(msg), room;

	if (k == 0) {
		snprintf(r->res->warning, sizeof r->res->warning, "%s", msg);
		return;
	}
	if (k + 3 >= sizeof r->res->warning)
		return;
	room = sizeof r->res->warning - k - 3;
	if (n > room)
		n = room;
	memcpy(r->res->warning + k, "; ", 2);
	memcpy(r->res->warning + k + 2, msg, n);
	r->res->warning[k + 2 + n] = '\0';
}

static void published_warning(struct run *r, const char *fmt, ...)
{
	char msg[sizeof r->res->warning];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	run_log(r, "warning: %s", msg);
	warning_add(r, msg);
}

/*
 * A revision going back (the return of a higher revision, published before, gone from the
 * inbox): published, as docs/operations.md's "Going back" allows, but cron's mail and run.log
 * say so (QA: the lower revision's figures republished with nothing but "revised areas"). Once
 * the true values of the publication being revised are at hand.
 */
static void warn_going_back(struct run *r)
{
	for (size_t i = 0; i < r->ds.nareas; i++) {
		const struct dataset_area *now = &r->ds.areas[i];
		const struct dataset_area *was = published_before(r, now->code);
		char msg[sizeof r->res->warning];
		if (now->state != AREA_PRESENT || !was || was->state != AREA_PRESENT ||
		    was->revision <= now->revision)
			continue;
		snprintf(msg, sizeof msg, "%s (%s) goes back from revision %ld, published before, to "
			 "revision %ld: no return of revision %ld or higher is in the inbox now "
			 "(docs/operations.md, 'Going back')", now->name, now->code, was->revision,
			 now->revision, was->revision);
		published_warning(r, "%s", msg);
	}
}

/* Whether this run republishes the period: the history read holds a bundle of it. */
static int republishing(const struct run *r)
{
	return r->hist.loaded && r->hist.series.republished;
}

/*
 * One step of disclosure control. Returns protect.h's answer: 0; -1 it cannot go on; -2 the
 * result is not safe (for the audit: a suppressed cell narrower than the policy allows, A02 of
 * observations.csv). Whatever failed is appended to d, as protect.h reports it.
 */
static int run_protect(struct run *r, enum run_protect_step step, struct dataset *ds,
		       struct diag_list *d)
{
	struct protect_interval *iv = NULL;
	size_t niv = 0;
	int rc = -1;

	switch (step) {
	case RUN_PROTECT_POLICY:
		return protect_policy_load(&r->policy, r->o->policy, d);
	case RUN_PROTECT_SUPPRESS:
		snprintf(ds->policy, sizeof ds->policy, "%s",
			 r->o->policy ? r->o->policy : "policy/default.xml");
		/* a revision: what the earlier bundle of the period published stays public, and
		   the two publications together must disclose nothing the policy protects */
		char found[64];
		if (history_elsewhere(r) &&
		    (outdir_published(r, ds->period, found) ||
		     republishing(r))) {
			/*
			 * A revision is published in the OUTDIR that published the period, and
			 * audited with every earlier publication kept in its run folders. With
			 * --history at another folder, a run took the period as never published
			 * and replaced OUTDIR's bundle without the joint audit, and a reader of
			 * both bundles pinned London's notificationOrder at 1 (QA); a revision made
			 * in another OUTDIR (--history at the first) was safe, but the next one,
			 * made from it, knew nothing of the first, and an outsider pinned a count
			 * of 2 from the first and third bundles (QA: 25 of 30 random third
			 * revisions). Both refused, before anything is replaced.
			 */
			char q[RUN_PATH_MAX];
			quote_name_buf(q, sizeof q, r->o->history);
			/* the name said: a file there that is no bundle was taken for one without a
			   word (QA) */
			if (found[0])
				diag_add(d, "national dataset", 0, "S03", DIAG_ERROR,
					 "OUTDIR published %s before ('%s/%s' is there; a file that is no "
					 "bundle of it: move it away), and --history names another folder "
					 "(%s): a revision is audited with OUTDIR's earlier publications of "
					 "the period; copy the other periods' bundles from %s into OUTDIR and "
					 "run it without --history (without them its time series would lose "
					 "them: H05)", ds->period, r->q_outdir, found, q, q);
			else
				diag_add(d, "national dataset", 0, "S03", DIAG_ERROR,
					 "%s was published from the --history folder %s: publish its "
					 "revision in that OUTDIR, whose run folders keep every publication "
					 "of the period for the next revision to be audited with (one made "
					 "elsewhere would be forgotten by the next)", ds->period, q);
			return -1;
		}
		if (!republishing(r) && !history_elsewhere(r)) {
			/*
			 * OUTDIR's name of the period leads nowhere (latest removed, dangling, or
			 * pointed by hand at a run that did not publish), but a run folder did
			 * publish it: the run took the period as never published, and a revision
			 * went out without the joint audit with the bundle its readers hold, and
			 * without [r] or revisions.csv (QA). Refused before anything is replaced.
			 */
			char run[256], q[300];
			if (runs_published(r, ds->period, run, sizeof run)) {
				diag_add(d, "national dataset", 0, "S03", DIAG_ERROR,
					 "%s was published by the run folder runs/%s, but OUTDIR's "
					 "latest does not lead to a published bundle of it (removed, "
					 "dangling, or pointed at a run that did not publish): a revision "
					 "audited as a first publication could let a reader of both bundles "
					 "learn withheld figures. Point latest at the last run that "
					 "published (docs/operations.md) and run again", ds->period,
					 quote_name_buf(q, sizeof q, run));
				return -1;
			}
		}
		if (republishing(r) && !r->have_known) {
			char brel[600], bhex[65];
			int t = attach_before_truth(r, &r->hist.series, d);
			if (t == -2) {
				diag_add_errno(d, "national dataset", "S02", ENOMEM, "out of memory");
				return -1;
			}
			if (t == -1)
				return -1; /* there, but damaged: why is in d, naming the file */
			r->earlier_truth = t == 1 ? 1u : 0u;
			if (t == 1)
				warn_going_back(r);
			if (r->earlier_truth == 0) {
				/*
				 * Without the true values of the publication being revised, a figure
				 * changed where both withhold it cannot be seen: an area that changed
				 * only there was taken as unchanged, and the pattern published let the
				 * person in a cell of 1 and an area's data lead pin withheld figures
				 * (a bundle copied alone into a --history folder). Refused.
				 */
				diag_add(d, "national dataset", 0, "S03", DIAG_ERROR,
					 "%s was published before, and the true values of that publication "
					 "(the suppressed.obs of its run folder) are not where its bundle "
					 "is: a figure changed where both publications withhold it cannot be "
					 "seen, so what a reader of both bundles learns cannot be audited. "
					 "Run in the OUTDIR that published it, or give --history that OUTDIR "
					 "with its runs/ folder", ds->period);
				return -1;
			}
			t = same_revision_changed(r, ds, &r->hist.series);
			if (t == -2) {
				diag_add_errno(d, "national dataset", "M05", ENOMEM, "out of memory");
				return -1;
			}
			if (t != 0) {
				diag_add(d, "national dataset", 0, "M05", DIAG_ERROR,
					 "a return published before has other figures under the same "
					 "revision number (see the merge diagnostics)");
				return -1;
			}
			t = series_known_published(&r->hist.series, ds, r->defs, &r->known) ? -1
				: add_before_publication(r, brel, sizeof brel, bhex) != 0 ? -3
				: add_other_publications(r, ds, &r->stage_diags, d);
			if (t == 0 && check_publication_record(r, brel, d) != 0)
				t = -2;
			if (t == -3) {
				diag_add(d, "national dataset", 0, "S03", DIAG_ERROR,
					 "the bundle %s is revising cannot be read in OUTDIR's run "
					 "folders", ds->period);
				t = -2;
			}
			if (t != 0) {
				/* what was gathered goes (have_known stays 0: the run's cleanup
				   would not release it) */
				dataset_release(&r->known);
				if (t == -1)
					diag_add_errno(d, "national dataset", "S02", ENOMEM,
						       "out of memory");
				return -1;
			}
			r->have_known = 1;
		}
		rc = protect_dataset_known(ds, r->defs, &r->policy, r->have_known ? &r->known : NULL,
					   "national dataset", &r->sum, d);
		break;
	case RUN_PROTECT_AUDIT:
		/* the bundle as its reader gets it: the outsider (protect_dataset has audited
		   every reader of the policy on the true values before anything was written) */
		rc = protect_audit_known(ds, r->defs, &r->policy, r->have_known ? &r->known : NULL,
					 PROTECT_OUTSIDER, 0, "observations.csv", &iv, &niv, &r->audit,
					 d);
		if (rc == 0 && r->audit.audit_failures) {
			diag_add(d, "observations.csv", 0, "A02", DIAG_ERROR,
				 "%zu suppressed cell%s narrower than the policy allows",
				 r->audit.audit_failures, r->audit.audit_failures == 1 ? " is" : "s are");
			rc = -2;
		}
		free(iv);
		break;
	}
	return rc;
}

/* ---- OUTDIR, the lock, what a killed run left ---- */

/* Makes path and the folders above it that are not there; made[i] (RUN_PATH_MAX bytes) is set
   to 1 where the prefix of path of length i was made by it, else 0. */
static int mkdir_p(const char *path, unsigned char *made)
{
	char buf[RUN_PATH_MAX];
	size_t n = strlen(path);

	memset(made, 0, RUN_PATH_MAX);
	if (n == 0 || n >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) == 0)
			made[i] = 1;
		else if (errno != EEXIST)
			return -1;
		buf[i] = i < n ? '/' : '\0';
	}
	return 0;
}

/* Removes the folders mkdir_p(path, made) made, deepest first, and only those (a folder it
   found there, reached again through "..", stays): a run refused before it took the lock
   leaves nothing (QA: an OUTDIR too long for its run folders was refused after it and 14
   folders above it were made). */
static void unmake_dirs(const char *path, const unsigned char *made)
{
	char buf[RUN_PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof buf)
		return;
	memcpy(buf, path, n + 1);
	for (size_t i = n; i > 0; i--) {
		if (!made[i])
			continue;
		buf[i] = '\0';
		if (unlinkat(AT_FDCWD, buf, AT_REMOVEDIR) != 0 && errno != ENOENT)
			return;
	}
}

/* In buf (size RUN_PATH_MAX): path, or, while it is not there, the nearest folder above it
   that is ("." for a relative name with nothing of it made yet). 0, or -1 when path is empty
   or too long or a step fails other than by being absent (not a folder, no permission). */
static int nearest_existing(const char *path, char buf[RUN_PATH_MAX])
{
	struct stat st;
	size_t n = strlen(path);

	if (n == 0 || n >= RUN_PATH_MAX)
		return -1;
	memcpy(buf, path, n + 1);
	while (stat(buf, &st) != 0) {
		char *slash = strrchr(buf, '/');
		if (errno != ENOENT || strcmp(buf, ".") == 0)
			return -1;
		if (!slash)
			memcpy(buf, ".", 2); /* a relative name: the working folder */
		else if (slash == buf)
			slash[1] = '\0'; /* up to the root */
		else
			*slash = '\0';
	}
	return 0;
}

/* The KiB free to an unprivileged writer on the file system that holds path, or that will
   hold it once made (its nearest existing folder above); -1 when that cannot be told. */
static long long free_kib(const char *path)
{
	char buf[RUN_PATH_MAX];
	struct statvfs vfs;
	unsigned long long kib;

	if (nearest_existing(path, buf) != 0 || statvfs(buf, &vfs) != 0)
		return -1;
	kib = (unsigned long long)vfs.f_bavail * (vfs.f_frsize / 1024);
	return kib > (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)kib;
}

/* Whether name in OUTDIR is something other than what belongs there: 0 fine (absent or of
   type want), -1 (a folder or other object stands there). */
static int check_slot(struct run *r, const char *name, mode_t want)
{
	struct stat st;
	if (fstatat(r->outfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return 0;
	return (st.st_mode & S_IFMT) == want ? 0 : -1;
}

/* Whether something other than a file or a symbolic link stands at a bundle's name in
   OUTDIR (a folder, a FIFO, a device): 1, else 0 (absent is fine). */
static int bundle_slot_taken(struct run *r, const char *name)
{
	return check_slot(r, name, S_IFLNK) != 0 && check_slot(r, name, S_IFREG) != 0;
}

/* Whether OUTDIR/.lock is still the file this run locked (r->lockfd): 1, else 0. */
static int lock_is_ours(const struct run *r)
{
	struct stat a, b;

	return r->lockfd >= 0 && fstat(r->lockfd, &a) == 0 &&
	       fstatat(r->outfd, ".lock", &b, AT_SYMLINK_NOFOLLOW) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/*
 * Whether OUTDIR/runs/RUN-ID is still this run's folder (r->runfd), holding its bundle: 1,
 * else 0. Removed while the run ran (a clean-up of the folders with no status 0, which a run
 * in progress does not have yet), latest was pointed at nothing with exit 0, and the
 * publication before it was gone from OUTDIR (QA).
 */
static int run_folder_is_ours(const struct run *r)
{
	char rel[300];
	struct stat a, b;

	snprintf(rel, sizeof rel, "runs/%s", r->res->run_id);
	if (fstat(r->runfd, &a) != 0 || fstatat(r->outfd, rel, &b, AT_SYMLINK_NOFOLLOW) != 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return 0;
	snprintf(rel, sizeof rel, "bundle/%s", r->bundle_name);
	return fstatat(r->runfd, rel, &b, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(b.st_mode);
}

/*
 * Removes OUTDIR/.lock.new, left by a run killed while it replaced the lock file, whatever it
 * is (an empty folder too; a link's target is not touched), and notes it. 0 when there is none
 * now; -1 (errno) when one is there and cannot go.
 */
static int remove_lock_new(struct run *r)
{
	struct stat ln;

	if (fstatat(r->outfd, ".lock.new", &ln, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? 0 : -1;
	if (unlinkat(r->outfd, ".lock.new", S_ISDIR(ln.st_mode) ? AT_REMOVEDIR : 0) != 0)
		return -1;
	strbuf_addf(&r->notes, "removed the leftover .lock.new of a run stopped while it replaced "
		    "the lock file\n");
	return 0;
}

/*
 * The lock file with more than one name (a backup by cp -al, a hard link to another file),
 * held by this run at r->lockfd: a new file of its own, locked, renamed over .lock, so that
 * nothing is written into the other names' file, and no person is needed (QA: every run after
 * a cp -al backup exited 73). A run that opened the old file and takes its lock after this
 * one lets it go finds .lock another file (lock_is_ours) and tries again. 0, or -1 (errno).
 */
static int replace_lock(struct run *r)
{
	int fd, e;

	if (remove_lock_new(r) != 0)
		return -1;
	fd = openat(r->outfd, ".lock.new", O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
		    0644);
	if (fd < 0)
		return -1;
	if (lockfile_take(fd) != 0 || renameat(r->outfd, ".lock.new", r->outfd, ".lock") != 0) {
		e = errno;
		(void)unlinkat(r->outfd, ".lock.new", 0);
		close(fd);
		errno = e;
		return -1;
	}
	close(r->lockfd);
	r->lockfd = fd;
	return 0;
}

static int take_lock(struct run *r)
{
	struct stat st;
	char note[256], stamp[32], holder[256];
	ssize_t got;
	int len, tries = 0;

again:
	r->lockfd = openat(r->outfd, ".lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
	if (r->lockfd < 0) {
		int e = errno;
		struct stat ls;
		if ((e == EACCES || e == EPERM) &&
		    fstatat(r->outfd, ".lock", &ls, AT_SYMLINK_NOFOLLOW) == 0 && ls.st_uid != geteuid())
			return fail(r, EX_CANTCREAT, "cannot open the lock file '%s/.lock': %s: it is "
				    "user %ju's, not this run's (%ju): give OUTDIR and everything in it "
				    "back to the user the runs run as (chown -R; a run by hand as "
				    "another user, such as root?)", r->q_outdir, strerror(e),
				    (uintmax_t)ls.st_uid, (uintmax_t)geteuid());
		if ((e == EACCES || e == EPERM) && fstat(r->outfd, &ls) == 0 && ls.st_uid != geteuid())
			return fail(r, EX_CANTCREAT, "cannot open the lock file '%s/.lock': %s: OUTDIR "
				    "is user %ju's, not this run's (%ju): give OUTDIR and everything in "
				    "it to the user the runs run as (chown -R)", r->q_outdir, strerror(e),
				    (uintmax_t)ls.st_uid, (uintmax_t)geteuid());
		if (e == EACCES || e == EPERM)
			return fail(r, EX_CANTCREAT, "cannot open the lock file '%s/.lock': %s: its "
				    "mode or OUTDIR's does not let its owner read and write it (chmod "
				    "u+rw .lock, u+rwx OUTDIR)", r->q_outdir, strerror(e));
		return fail(r, EX_CANTCREAT, "cannot open the lock file '%s/.lock': %s", r->q_outdir,
			    e == ELOOP ? "it is a symbolic link (refused; remove it)" : strerror(e));
	}
	if (fstat(r->lockfd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(r->lockfd);
		r->lockfd = -1;
		return fail(r, EX_CANTCREAT, "the lock file '%s/.lock' is not a regular file (refused; remove it)",
			    r->q_outdir);
	}
	/* a lock of the open file description (flock): a second descriptor of the file, closed,
	   does not give it up (QA: OUTDIR/mappa-2021-22.tar.gz a link to .lock, read as a bundle) */
	if (lockfile_take(r->lockfd) != 0) {
		if (errno != EWOULDBLOCK && errno != EACCES) {
			int e = errno;
			close(r->lockfd); /* not locked: never written (QA: emptied at the end) */
			r->lockfd = -1;
			return fail(r, EX_CANTCREAT, "cannot lock '%s/.lock': %s", r->q_outdir, strerror(e));
		}
		/* the holder writes its note just after it takes the lock: a run that comes in
		   between waits for it a little (at most 2 s), so that it can say who holds it */
		got = 0;
		/* a file with other names is another file's content: never shown (QA: a hard
		   link's first line printed as the holder) */
		for (int i = 0; i < 100 && st.st_nlink == 1; i++) {
			struct timespec ts = { 0, 20L * 1000 * 1000 };
			got = pread(r->lockfd, note, sizeof note - 1, 0);
			if (got > 0 && memchr(note, '\n', (size_t)got))
				break;
			nanosleep(&ts, NULL);
		}
		note[got > 0 ? got : 0] = '\0';
		note[strcspn(note, "\n")] = '\0';
		quote_text_buf(holder, sizeof holder, note); /* a time in it: not a name */
		close(r->lockfd);
		r->lockfd = -1;
		{
			/* the note is the last run's: its pid ended, or no note at all (a run
			   writes one at once, and empties it at its end), and the holder is not a
			   run (QA: a cron line wrapped in flock -n OUTDIR/.lock was told "another
			   run holds it", and a killed run's pid was named as the holder) */
			const char *p = strstr(note, " pid ");
			long pid = p ? strtol(p + 5, NULL, 10) : 0;
			if (!note[0] || (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH))
				return fail(r, EX_TEMPFAIL, "another process holds '%s/.lock' (%s%s): "
					    "not a run that says so; a flock of OUTDIR/.lock around "
					    "this run (the run takes it itself: wrap it in nothing, or "
					    "lock another file), or an operator's script; not started",
					    r->q_outdir, note[0] ? "its note is of an ended run: " : "no run's note",
					    note[0] ? holder : "");
		}
		return fail(r, EX_TEMPFAIL, "another run holds '%s/.lock' (%s); not started", r->q_outdir,
			    holder);
	}
	/* the file locked must be the one at the name: removed or replaced between the open and
	   the lock (a run that held it has just ended, and replaced it), it is opened again */
	if (!lock_is_ours(r)) {
		close(r->lockfd);
		r->lockfd = -1;
		if (++tries < 5)
			goto again;
		return fail(r, EX_TEMPFAIL, "the lock file '%s/.lock' changed each time it was "
			    "locked (another run replacing it?); not started", r->q_outdir);
	}
	/* a hard link there is another file's content, which the run's note would overwrite (and
	   the end of the run empty): a file of this run's own takes its place */
	if (st.st_nlink != 1) {
		if (replace_lock(r) != 0) {
			int e = errno;
			/* the other names' file is never written (QA: emptied at the end) */
			close(r->lockfd);
			r->lockfd = -1;
			return fail(r, EX_CANTCREAT, "the lock file '%s/.lock' has %ju names (a hard "
				    "link: a backup made with cp -al?), and a new one cannot be made "
				    "in its place as '%s/.lock.new': %s", r->q_outdir,
				    (uintmax_t)st.st_nlink, r->q_outdir, strerror(e));
		}
		strbuf_addf(&r->notes, "the lock file had %ju names (a hard link: a backup made "
			    "with cp -al?): a new one took its place, the other names' file left "
			    "as it was\n", (uintmax_t)st.st_nlink);
	}
	utc_stamp(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ");
	len = snprintf(note, sizeof note, "run %s pid %ld started %s\n", r->res->run_id, (long)getpid(),
		       stamp);
	/* a .lock.new left by a run killed while it replaced the lock (only the holder makes
	   one): its name goes; one that cannot go is left, harmless */
	(void)remove_lock_new(r);
	r->lock_noted = 1;
	if (ftruncate(r->lockfd, 0) != 0 || pwrite(r->lockfd, note, (size_t)len, 0) != len)
		return fail(r, write_status(errno), "cannot write the lock file '%s/.lock': %s",
			    r->q_outdir, strerror(errno));
	return EX_OK;
}

/*
 * Makes name in OUTDIR a symbolic link to target: a link under a temporary name renamed over
 * name (readers see the old object or the new link, never neither), then OUTDIR fsync'd.
 * step: the test hook between the two, or NULL. Returns 0 or -1 (errno).
 */
static int switch_link(struct run *r, const char *name, const char *target, const char *step)
{
	char tmp[160];
	int e;

	snprintf(tmp, sizeof tmp, ".%s.tmp-%s", name, r->res->run_id);
	unlinkat(r->outfd, tmp, 0);
	if (symlinkat(target, r->outfd, tmp) != 0)
		return -1;
	if (step)
		hook(r, step);
	/* latest is pointed only at a run folder still there (run_folder_is_ours) */
	if (strcmp(name, "latest") == 0 && !run_folder_is_ours(r)) {
		unlinkat(r->outfd, tmp, 0);
		errno = ENOENT;
		return -1;
	}
	if (renameat(r->outfd, tmp, r->outfd, name) != 0) {
		e = errno;
		unlinkat(r->outfd, tmp, 0);
		errno = e;
		return -1;
	}
	return fsync(r->outfd);
}

/* Whether name in OUTDIR is a symbolic link to exactly target. */
static int links_to(const struct run *r, const char *name, const char *target)
{
	char buf[300];
	ssize_t n = readlinkat(r->outfd, name, buf, sizeof buf - 1);
	if (n < 0)
		return 0;
	buf[n] = '\0';
	return strcmp(buf, target) == 0;
}

/* Whether two bundle names are the same period in two formats. */
static int same_period(const char *a, const char *b)
{
	char pa[8], pb[8];
	int za, zb;

	return bundle_name_parse(a, pa, &za) >= 0 && bundle_name_parse(b, pb, &zb) >= 0 &&
	       strcmp(pa, pb) == 0 && za != zb;
}

/* The run going on now, for run_fatal: its run folder, log and lock (-1: none). */
static volatile int fatal_runfd = -1, fatal_logfd = -1, fatal_lockfd = -1;

void run_fatal(void)
{
	static const char status[] = "status 70\n";
	static const char line[] = "fatal: the LP solver (GLPK) stopped: out of memory, or an "
				   "error of its own; nothing published, no report (exit 70)\n";
	int runfd = fatal_runfd, fd;
	char stamp[32];

	if (fatal_logfd >= 0) {
		/* stamped as every line of the log is (QA: this one was not); no allocation */
		utc_stamp(stamp, sizeof stamp - 1, "%Y-%m-%dT%H:%M:%SZ ");
		(void)outfile_write_all(fatal_logfd, stamp, strlen(stamp));
		(void)outfile_write_all(fatal_logfd, line, sizeof line - 1);
	}
	if (runfd >= 0) {
		/* as write_status_file, with system calls only: whole or not at all */
		unlinkat(runfd, ".status.tmp", 0);
		fd = openat(runfd, ".status.tmp", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0) {
			int ok = outfile_write_all(fd, status, sizeof status - 1) == 0 && fsync(fd) == 0;
			if (close(fd) == 0 && ok && renameat(runfd, ".status.tmp", runfd, "status") == 0)
				fsync(runfd);
			else
				unlinkat(runfd, ".status.tmp", 0);
		}
	}
	if (fatal_lockfd >= 0 && ftruncate(fatal_lockfd, 0) != 0)
		return; /* harmless: the lock goes with the process */
}

/*
 * The status file: written under a temporary name and renamed, so that it is whole or absent
 * (a full disk, or a kill between the truncation and the write, left it empty: neither the
 * status nor its absence). Returns 0 or -1 (errno).
 */
static int write_status_file(int runfd, int status)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "status %d\n", status), fd, rc, e;

	unlinkat(runfd, ".status.tmp", 0);
	fd = openat(runfd, ".status.tmp", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	rc = outfile_write_all(fd, buf, (size_t)n) == 0 && fsync(fd) == 0 ? 0 : -1;
	if (close(fd) != 0)
		rc = -1;
	if (rc == 0 && renameat(runfd, ".status.tmp", runfd, "status") != 0)
		rc = -1;
	if (rc != 0) {
		e = errno;
		unlinkat(runfd, ".status.tmp", 0);
		errno = e;
		return -1;
	}
	fsync(runfd);
	return 0;
}

/* Whether the run folder's status is whole: "status N\n". */
static int status_whole(int runfd)
{
	return status_value(runfd) >= 0;
}

/*
 * Every other period's bundle that OUTDIR publishes now (a name mappa-* that is a symbolic link
 * resolving to a file in a run folder's bundle/) comes with this run: runs/ID/bundle/NAME, a
 * link to that very file (../../RUN/bundle/FILE). A file put at a name by hand stays as it is,
 * and is not carried. 0, -1 (errno), or -2 when a name leads nowhere (series_name_lost: its
 * bundle gone, with --history elsewhere; the name and where it stops in lost, size bytes), -3
 * when a name leads into a run folder this run may not read (the name in lost), or -4 when
 * something other than a file or a link stands at a name (a folder: the name in lost).
 */
static int carry_periods(struct run *r, char *lost, size_t size)
{
	char path[RUN_PATH_MAX + 128], real[RUN_PATH_MAX], link[RUN_PATH_MAX], at[300];
	size_t olen = strlen(r->outdir);
	struct dirent *de;
	struct stat st;
	int dfd = dup(r->outfd), rc = 0;
	DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;

	if (!dir) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	rewinddir(dir); /* the offset is shared with outfd's (recover() listed it) */
	while (rc == 0 && (de = readdir(dir)) != NULL) {
		const char *nm = de->d_name, *rest, *slash;
		if (bundle_name_parse(nm, NULL, NULL) < 0 || strcmp(nm, r->bundle_name) == 0 ||
		    same_period(nm, r->bundle_name))
			continue;
		if (fstatat(r->outfd, nm, &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISREG(st.st_mode))
			continue; /* a file: recover() made it a link, or the history refused it */
		if (!S_ISLNK(st.st_mode)) {
			/* a folder, a FIFO...: the period it names was not carried, and left the
			   series and latest for good, exit 0 (QA) */
			snprintf(lost, size, "%.255s", nm);
			rc = -4;
			break;
		}
		if (snprintf(path, sizeof path, "%s/%s", r->outdir, nm) >= (int)sizeof path)
			continue;
		if (series_name_lost(path, r->outdir, real, sizeof real)) {
			/* a published period whose bundle is gone: not carried, the name left
			   dangling after a run that succeeded, the year lost without a word (QA) */
			snprintf(lost, size, "'%.255s' leads to '%.300s'", nm, real);
			rc = -2;
			break;
		}
		if (!realpath(path, real)) {
			/* a period a run folder this run may not read publishes (root's run by
			   hand): refused, not left out of latest (QA: the next run removed its
			   name, and the year left the series, exit 0) */
			if (errno == EACCES || errno == EPERM) {
				snprintf(lost, size, "'%.255s'", nm);
				rc = -3;
				break;
			}
			continue;
		}
		if (strncmp(real, r->outdir, olen) != 0 || strncmp(real + olen, "/runs/", 6) != 0)
			continue;
		rest = real + olen + 6;
		slash = strchr(rest, '/');
		if (!slash || strncmp(slash, "/bundle/", 8) != 0 || strchr(slash + 8, '/') ||
		    snprintf(link, sizeof link, "../../%s", rest) >= (int)sizeof link)
			continue;
		snprintf(at, sizeof at, "bundle/%s", nm);
		if (symlinkat(link, r->runfd, at) != 0)
			rc = -1;
		else
			run_log(r, "carried: bundle/%s -> %s (published now; latest keeps it)", nm, link);
	}
	closedir(dir);
	return rc;
}

/* Whether the files a and b of OUTDIR hold the same bytes (1), else 0 (or unreadable). */
static int same_bytes(const struct run *r, const char *a, const char *b)
{
	/* a FIFO at either name is refused, never waited on (QA) */
	struct stat sa, sb;
	int fa = regfile_open(r->outfd, a, O_NOFOLLOW, &sa);
	int fb = regfile_open(r->outfd, b, 0, &sb);
	char x[4096], y[4096];
	int same = 0;

	if (fa < 0 || fb < 0 || sa.st_size != sb.st_size || sa.st_size > HISTORY_MAX_BYTES)
		goto out;
	for (;;) {
		ssize_t n = read(fa, x, sizeof x), m;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		m = read(fb, y, (size_t)n);
		if (m != n || memcmp(x, y, (size_t)n) != 0)
			goto out;
	}
	same = 1;
out:
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return same;
}

/*
 * Whether the link nm in a run's bundle folder (dirfd) is one carry_periods makes:
 * "../../RUN-ID/bundle/FILE", into another run folder of OUTDIR. 1 yes, 0 no.
 */
static int carried_link(int dirfd, const char *nm)
{
	char t[512], *id, *slash;
	ssize_t n = readlinkat(dirfd, nm, t, sizeof t - 1);

	if (n <= 0)
		return 0;
	t[n] = '\0';
	if (strncmp(t, "../../", 6) != 0)
		return 0;
	id = t + 6;
	slash = strchr(id, '/');
	if (!slash || slash == id || strncmp(slash, "/bundle/", 8) != 0 || !slash[8] ||
	    strchr(slash + 8, '/'))
		return 0;
	*slash = '\0';
	return strcmp(id, ".") != 0 && strcmp(id, "..") != 0 && strcmp(slash + 8, "..") != 0 &&
	       strcmp(slash + 8, ".") != 0;
}

/*
 * Every entry of latest's bundle folder is published under its own name, a link through
 * latest (made now, or left by a layout that linked a run directly: the same file), and this
 * period's other format goes. After a publish, and in recover(). A regular file at a name (an
 * operator's) is replaced only with over_files (a publish), or when it holds latest's bundle
 * byte for byte (the link shows the same; QA: a copy of latest's own bundle put back by hand
 * stopped every later run, which found no run folder behind it). 0 or -1 (errno).
 */
static int link_names(struct run *r, int bundlefd, int over_files)
{
	char target[300], rec[512] = "", want[300];
	struct dirent *de;
	struct stat st;
	int dfd = dup(bundlefd), rc = 0, there, recorded = 0;
	DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;

	if (!dir) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	{
		/* the record of latest's run: the one file of its bundle folder it published (the
		   others are links to earlier runs'); a run folder of an older layout has none */
		int fd = openat(r->outfd, "latest/bundle.sha256", O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
				O_NONBLOCK);
		if (fd >= 0) {
			ssize_t got = fstat(fd, &st) == 0 && S_ISREG(st.st_mode)
					      ? read(fd, rec, sizeof rec - 1) : -1;
			rec[got > 0 ? got : 0] = '\0';
			recorded = 1;
			close(fd);
		}
	}
	while (rc == 0 && (de = readdir(dir)) != NULL) {
		const char *nm = de->d_name;
		if (bundle_name_parse(nm, NULL, NULL) < 0)
			continue;
		snprintf(target, sizeof target, "latest/bundle/%s", nm);
		if (links_to(r, nm, target))
			continue;
		/* what latest's run did not put there (by hand) is not published: a file its
		   record does not name, a link other than the ones carry_periods makes, anything
		   else (QA: a bundle of another OUTDIR copied into latest/bundle was given a name
		   by a run that published nothing, and every later run refused; then a link there
		   to /etc/passwd was given one, and a folder, and a FIFO) */
		snprintf(want, sizeof want, "  bundle/%s\n", nm);
		if (fstatat(bundlefd, nm, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    (S_ISREG(st.st_mode) && recorded && !strstr(rec, want)) ||
		    (S_ISLNK(st.st_mode) && !carried_link(bundlefd, nm)) ||
		    (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))) {
			/* nm is a bundle's name (bundle_name_parse): nothing to quote */
			if (!r->log)
				strbuf_addf(&r->notes, "latest/bundle/%s is not the bundle latest's run "
					    "published (put there by hand?): not published; move it away\n",
					    nm);
			else
				run_log(r, "latest/bundle/%s is not the bundle latest's run published "
					"(put there by hand?): not published; move it away", nm);
			continue;
		}
		/* a folder or the like there was refused for this run's own name; another period's
		   name is a link (carried) or nothing; a file is replaced only by a publish */
		there = fstatat(r->outfd, nm, &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (there && !S_ISLNK(st.st_mode) &&
		    !(S_ISREG(st.st_mode) && (over_files || same_bytes(r, nm, target))))
			continue;
		{
			/* a link elsewhere (an operator's, to a bundle outside OUTDIR) is replaced:
			   said with what it led to (it went without a word, QA) */
			char was[300] = "", qw[700];
			ssize_t n = there && S_ISLNK(st.st_mode)
					    ? readlinkat(r->outfd, nm, was, sizeof was - 1) : -1;
			if (n > 0)
				was[n] = '\0';
			if (switch_link(r, nm, target, NULL) != 0)
				rc = -1;
			else if (n > 0 && !r->log) /* recover(): logged once the log is open */
				strbuf_addf(&r->notes, "%s -> %s (it was a link to %s, not latest's "
					    "bundle of its period: replaced)\n", nm, target,
					    quote_arg_buf(qw, sizeof qw, was));
			else if (n > 0)
				run_log(r, "%s -> %s (it was a link to %s, not latest's bundle of its "
					"period: replaced)", nm, target, quote_arg_buf(qw, sizeof qw, was));
			else
				run_log(r, "%s -> %s", nm, target);
		}
	}
	closedir(dir);
	return rc;
}

/* Whether s has the shape of a run id (20261125T031500Z-1234): not empty, not '.' nor '..'. */
static int is_run_id(const char *s)
{
	return s[0] != '\0' && strspn(s, "0123456789TZ-") == strlen(s);
}

/* Whether the run folder runfd holds a bundle (bundle/ with a file of a bundle's name). */
static int has_bundle(int runfd)
{
	int bfd = openat(runfd, "bundle", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), found = 0;
	DIR *dir = bfd >= 0 ? fdopendir(bfd) : NULL;
	struct dirent *de;
	struct stat st;

	if (!dir) {
		if (bfd >= 0)
			close(bfd);
		return 0;
	}
	while (!found && (de = readdir(dir)) != NULL)
		found = bundle_name_parse(de->d_name, NULL, NULL) >= 0 &&
			fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			S_ISREG(st.st_mode);
	closedir(dir);
	return found;
}

/*
 * Whether some run folder of OUTDIR ever published: a status 0 and a bundle, or a folder this
 * run cannot read (taken as one that did). 0 only when none did: then a name through a latest
 * that is not there is a first publish's, killed before its rename, and goes; otherwise latest
 * was removed by hand, and its names stay for the history to refuse (QA: they were removed, and
 * every other year left the series of a run that exited 0).
 */
static int any_run_published(const struct run *r)
{
	int dfd = openat(r->outfd, "runs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;
	int found = 0;

	if (!dir) {
		if (dfd >= 0)
			close(dfd);
		return dfd < 0 && errno != ENOENT; /* runs/ unreadable: perhaps */
	}
	while (!found && (de = readdir(dir)) != NULL) {
		int fd;
		if (!is_run_id(de->d_name))
			continue;
		fd = openat(dirfd(dir), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			found = errno != ENOENT && errno != ENOTDIR && errno != ELOOP;
			continue;
		}
		found = status_value(fd) == 0 && has_bundle(fd);
		close(fd);
	}
	closedir(dir);
	return found;
}

/* Whether OUTDIR's latest is not there, or leads to a folder without a bundle (put there by
   hand). Dangling (its run folder gone) it is not: that is a backup's to restore. */
static int latest_broken(const struct run *r)
{
	struct stat st;
	int fd, published;

	if (fstatat(r->outfd, "latest", &st, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT;
	if (fstatat(r->outfd, "latest", &st, 0) != 0)
		return 0;
	fd = openat(r->outfd, "latest", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	published = has_bundle(fd);
	close(fd);
	return !published;
}

/*
 * What a killed run can leave, repaired under the lock before anything else (the publish is
 * the one rename of latest, see publish(); nothing here changes what readers see):
 * - temporary names in OUTDIR (.latest.tmp-RUN, .mappa-*.tmp-RUN, symbolic links): removed;
 *   nothing else (an operator's own dot file stays);
 * - latest pointing at a run without a whole status (killed after the publish, before its
 *   status; or a status left empty by an earlier version): that run published, so its
 *   "status 0" is recorded;
 * - a bundle name linked to latest/bundle/NAME where latest's run has no such bundle (the
 *   period's other format after a publish, an earlier layout's leftover, or latest pointed
 *   back by hand at a run from before the period was published): the link removed; with no
 *   latest at all, only when no run folder ever published (any_run_published);
 * - a bundle of latest's run without its name (killed after the publish, before the names):
 *   the name made (link_names). Nothing here changes a bundle a reader sees.
 */
static void recover(struct run *r)
{
	DIR *dir;
	struct dirent *de;
	int dfd = dup(r->outfd);
	char latest[256], rel[400];
	struct stat st;
	ssize_t n;
	int latest_gone, killed = 0, own, no_latest, no_old_publication, published = 0;

	n = readlinkat(r->outfd, "latest", latest, sizeof latest - 1);
	latest[n > 0 ? n : 0] = '\0';
	no_latest = fstatat(r->outfd, "latest", &st, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT;
	/* a run's own folder (a run id: not runs/.. nor runs/., where a status 0 was written into
	   OUTDIR or runs, QA) that holds a bundle: a run that never published (latest put there
	   by hand) has no status 0 recorded for it (QA) */
	own = n > 5 && (size_t)n < sizeof latest - 1 && strncmp(latest, "runs/", 5) == 0 &&
	      is_run_id(latest + 5);
	if (own) {
		int fd = openat(r->outfd, latest, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		/* a run that published holds a bundle: latest put by hand at one that did not
		   has no names removed through it (a refused run removed the period's, QA); and
		   its report, written once the bundle passed its audit: one killed before that,
		   latest put at it by hand, had a status 0 recorded for a bundle never audited (QA) */
		published = fd >= 0 && has_bundle(fd) &&
			    fstatat(fd, "report.txt", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
		if (published && !status_whole(fd)) {
			killed = 1;
			if (write_status_file(fd, 0) == 0)
				strbuf_addf(&r->notes, "%s published (latest points at it) but was stopped before its status: status 0 recorded\n",
					    latest);
		}
		if (fd >= 0)
			close(fd);
	}
	if (dfd < 0)
		return;
	dir = fdopendir(dfd);
	if (!dir) {
		close(dfd);
		return;
	}
	rewinddir(dir); /* the offset is shared with outfd's, which an earlier listing moved */
	/* latest a link to a run folder that is not there: removed by hand (a run makes its
	   folder before latest names it), so the names through it are publications whose
	   bundles are gone, not a killed run's: kept, and the history refuses them (H01) */
	latest_gone = readlinkat(r->outfd, "latest", rel, sizeof rel) > 0 &&
		      fstatat(r->outfd, "latest", &st, 0) != 0 && errno == ENOENT;
	no_old_publication = no_latest && !any_run_published(r);
	while ((de = readdir(dir)) != NULL) {
		const char *nm = de->d_name;
		if (nm[0] == '.') {
			/* only what switch_link makes: a symbolic link named .NAME.tmp-RUN (the
			   operator's own .latest.back, a file named .tmp-x, were removed as a
			   killed run's leftovers, QA) */
			const char *t = strstr(nm, ".tmp-");
			if (t && t > nm && is_run_id(t + 5) &&
			    fstatat(r->outfd, nm, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode) &&
			    unlinkat(r->outfd, nm, 0) == 0) {
				char q[RUN_NAME_MAX];
				strbuf_addf(&r->notes, "removed the leftover %s of a killed run\n",
					    quote_name_buf(q, sizeof q, nm));
			}
			continue;
		}
		if (bundle_name_parse(nm, NULL, NULL) < 0)
			continue;
		snprintf(rel, sizeof rel, "latest/bundle/%s", nm);
		/* only where latest's bundle folder has no such entry: one there that leads
		   nowhere is a publication whose run folder was removed, whose name was removed
		   here and made again by link_names, dangling, and the year left the series
		   without a word (QA); the history refuses it (H01, series_load). And only
		   through a latest that names a run folder of OUTDIR that published, or none where
		   no run folder published (a first publish killed before latest; any_run_published):
		   one put at runs/RUN/bundle, /etc, "." or a
		   run that did not publish by hand had the period's name removed by a run that
		   then refused (QA) */
		if (((own && published) || no_old_publication) && !latest_gone && links_to(r, nm, rel) &&
		    fstatat(r->outfd, nm, &st, 0) != 0 &&
		    errno == ENOENT && fstatat(r->outfd, rel, &st, AT_SYMLINK_NOFOLLOW) != 0 &&
		    unlinkat(r->outfd, nm, 0) == 0)
			strbuf_addf(&r->notes, "removed '%s': latest has no such bundle (a run stopped before it "
				    "published, the period's other format, or latest pointed back by hand)\n",
				    nm);
	}
	closedir(dir);
	/* a run killed after its publish, before the names of its bundles (or whose names could
	   not be made): made now, through latest when it names a run folder of OUTDIR (not one
	   put by hand elsewhere). A bundle file an operator put at a name stays until a run
	   publishes, unless latest's run published over it and was killed before its status (a
	   run that published nothing, or was refused, replaced it with a link without a word; QA) */
	if (own) {
		int bfd = openat(r->outfd, "latest/bundle", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (bfd >= 0) {
			if (link_names(r, bfd, killed) != 0)
				strbuf_addf(&r->notes, "could not link every name of latest's bundles: %s\n",
					    strerror(errno));
			close(bfd);
		}
	}
}

/* ---- 1. the inbox ---- */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static int list_inbox(struct run *r, int infd)
{
	char qa[620]; /* the inbox in a message (as_arg) */
	DIR *dir;
	struct dirent *de;
	int dfd = dup(infd);
	size_t alloc = 0, seen = 0, named = 0;

	if (dfd < 0 || !(dir = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return fail(r, EX_NOINPUT, "cannot read the inbox %s: %s",
			    as_arg(qa, sizeof qa, r->q_inbox), strerror(errno));
	}
	errno = 0;
	while ((de = readdir(dir)) != NULL) {
		struct entry *e;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		/* counted, not kept, past either limit */
		if (de->d_name[0] != '.')
			named++;
		if (++seen > RUN_INBOX_ENTRIES_MAX || named > RUN_INBOX_MAX) {
			errno = 0;
			continue;
		}
		if (r->n == alloc) {
			size_t na = alloc ? alloc * 2 : 64;
			struct entry *p = realloc(r->e, na * sizeof *p);
			if (!p)
				break;
			r->e = p;
			alloc = na;
		}
		e = &r->e[r->n];
		memset(e, 0, sizeof *e);
		e->name = strdup(de->d_name);
		if (!e->name)
			break;
		{
			char q[RUN_NAME_MAX];
			e->display = strdup(quote_name_buf(q, sizeof q, e->name));
		}
		if (!e->display) {
			free(e->name);
			break;
		}
		r->n++;
		errno = 0;
	}
	closedir(dir);
	if (errno)
		return fail(r, errno == ENOMEM ? EX_SOFTWARE : EX_NOINPUT, "cannot list the inbox %s: %s",
			    as_arg(qa, sizeof qa, r->q_inbox), strerror(errno));
	/* bounded memory, time and report (100,000 copies of a return took 1.4 GB, 2.5 minutes
	   and a run folder of 974 MB, QA): nothing is read, and the report lists nothing (it
	   listed the entries kept as "not used: (null)", QA) */
	if (named > RUN_INBOX_MAX || seen > RUN_INBOX_ENTRIES_MAX) {
		r->over = seen;
		for (size_t i = 0; i < r->n; i++) {
			free(r->e[i].name);
			free(r->e[i].display);
		}
		r->n = 0;
	}
	if (named > RUN_INBOX_MAX)
		return fail(r, EX_DATAERR, "the inbox %s holds %zu entries (not counting dot files), "
			    "more than the %d a run reads (an inbox holds the areas' returns: 42 a "
			    "period, with their revisions): move the others out; nothing read",
			    as_arg(qa, sizeof qa, r->q_inbox), named, RUN_INBOX_MAX);
	if (seen > RUN_INBOX_ENTRIES_MAX)
		return fail(r, EX_DATAERR, "the inbox %s holds %zu entries, more than the %d a run "
			    "lists: move the others out; nothing read", as_arg(qa, sizeof qa, r->q_inbox),
			    seen, RUN_INBOX_ENTRIES_MAX);
	if (r->n)
		qsort(r->e, r->n, sizeof *r->e, name_cmp);
	return EX_OK;
}

/*
 * The reading of one regular file of the inbox, in a thread of its own: a file system can block
 * in open or read (a stalled NFS, SMB or FUSE inbox; QA: a FUSE file whose read slept an hour
 * held the run, and its lock, past --max-return-seconds 1, and every later cron run exited 75).
 * The run waits until the time budget is spent, then leaves the thread: it owns the job from
 * then, frees it when its read ends, and the process's end stops it.
 */
struct read_job {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int infd, done, left;	/* left: the run no longer waits (the thread frees the job) */
	char *name;		/* owned */
	size_t max;
	double deadline;
	void (*hook)(const char *step);
	char *p;
	size_t n;
	const char *why;	/* not read: why (ENTRY_UNREADABLE) */
	int sync;		/* 1 mu made, 2 mu and cv */
};

static void read_job_free(struct read_job *j)
{
	if (j == NULL)
		return;
	if (j->sync >= 1)
		pthread_mutex_destroy(&j->mu);
	if (j->sync == 2)
		pthread_cond_destroy(&j->cv);
	if (j->infd >= 0)
		close(j->infd);
	free(j->name);
	free(j->p);
	free(j);
}

/* A job to read name in infd (at most max + 1 bytes, until the clock passes deadline); NULL
   when out of memory or descriptors. */
static struct read_job *read_job_new(int infd, const char *name, size_t max, double deadline,
				     void (*step_hook)(const char *))
{
	struct read_job *j = calloc(1, sizeof *j);
	pthread_condattr_t ca;

	if (!j)
		return NULL;
	j->infd = fcntl(infd, F_DUPFD_CLOEXEC, 0);
	j->name = strdup(name);
	j->p = malloc(max + 2);
	j->max = max;
	j->deadline = deadline;
	j->hook = step_hook;
	j->sync = pthread_mutex_init(&j->mu, NULL) == 0;
	if (j->sync && pthread_condattr_init(&ca) == 0) {
		if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
		    pthread_cond_init(&j->cv, &ca) == 0)
			j->sync = 2;
		pthread_condattr_destroy(&ca);
	}
	if (j->infd < 0 || !j->name || !j->p || j->sync != 2) {
		read_job_free(j);
		return NULL;
	}
	return j;
}

static void read_job_run(struct read_job *j)
{
	struct stat st;
	size_t n = 0;
	int fd;

	if (j->hook) {
		char step[300];
		snprintf(step, sizeof step, "reading %s", j->name);
		j->hook(step);
	}
	fd = regfile_open(j->infd, j->name, O_NOFOLLOW, &st);
	if (fd < 0) {
		/* EINVAL, EISDIR: opened, and not a regular file, as it was when it was listed */
		j->why = errno == EACCES		     ? "cannot be read: permission denied"
			 : errno == EINVAL || errno == EISDIR ? "changed while the inbox was read"
							      : "cannot be read";
		return;
	}
	/* into the buffer the run gave (j->max + 2 bytes): nothing is allocated here, so this
	   thread never gets a malloc arena of its own (64 MB of address space each, against
	   ulimit -v) */
	for (;;) {
		ssize_t got = read(fd, j->p + n, j->max + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			close(fd);
			j->why = "cannot be read: read error";
			return;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > j->max || seconds_now() > j->deadline)
			break;
	}
	close(fd);
	j->p[n] = '\0';
	j->n = n;
}

static void *read_job_thread(void *arg)
{
	struct read_job *j = arg;
	int left;

	read_job_run(j);
	pthread_mutex_lock(&j->mu);
	j->done = 1;
	left = j->left;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	if (left)
		read_job_free(j);
	return NULL;
}

/* Reads one entry of the inbox (never following a link, never opening a FIFO or a device):
   fills *buf (caller frees) or says in e why not. Reads at most max + 1 bytes (one more than
   the size budget, to know it is over), and stops once the clock passes deadline; a read that
   blocks past it is left (*stalled 1, e unreadable). -1 out of memory. */
static int read_entry(int infd, struct entry *e, size_t max, double deadline,
		      void (*step_hook)(const char *), char **buf, size_t *len, int *stalled)
{
	struct stat st;
	struct read_job *j;
	pthread_attr_t ta;
	pthread_t th;
	int rc = 0, attr, started;

	*buf = NULL;
	*len = 0;
	*stalled = 0;
	if (e->name[0] == '.') {
		e->state = ENTRY_SKIPPED;
		e->why = "a dot file (hidden): not read";
		return 0;
	}
	if (fstatat(infd, e->name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		e->state = ENTRY_UNREADABLE;
		e->why = "vanished while the inbox was read";
		return 0;
	}
	e->state = ENTRY_SKIPPED;
	if (S_ISLNK(st.st_mode)) {
		e->why = "a symbolic link: not followed (copy the return itself into the inbox)";
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		e->why = "a folder: not read (returns go directly in the inbox)";
		return 0;
	}
	if (S_ISFIFO(st.st_mode)) {
		e->why = "a FIFO (named pipe): not read";
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		e->why = S_ISSOCK(st.st_mode) ? "a socket: not read" : "a device: not read";
		return 0;
	}
	j = read_job_new(infd, e->name, max, deadline, step_hook);
	if (!j)
		return -1;
	/* a small stack: the default 8 MB of address space counts against ulimit -v */
	attr = pthread_attr_init(&ta) == 0;
	if (attr && pthread_attr_setstacksize(&ta, (size_t)256 << 10) != 0) {
		pthread_attr_destroy(&ta);
		attr = 0;
	}
	started = pthread_create(&th, attr ? &ta : NULL, read_job_thread, j) == 0;
	if (attr)
		pthread_attr_destroy(&ta);
	if (!started) {
		read_job_run(j); /* no thread to be had: read here, as before */
		j->done = 1;
	} else {
		/* the budget, and a second more: a read the clock stops ends by itself */
		double until = deadline + 1.0;
		struct timespec ts;
		ts.tv_sec = (time_t)until;
		ts.tv_nsec = (long)((until - (double)ts.tv_sec) * 1e9);
		pthread_mutex_lock(&j->mu);
		while (!j->done && pthread_cond_timedwait(&j->cv, &j->mu, &ts) == 0)
			;
		if (!j->done) {
			j->left = 1;
			*stalled = 1;
		}
		pthread_mutex_unlock(&j->mu);
		if (*stalled) {
			pthread_detach(th);
			e->state = ENTRY_UNREADABLE;
			e->why = "its reading did not end within the time budget of one return";
			return 0;
		}
		pthread_join(th, NULL);
	}
	if (j->why) {
		e->state = ENTRY_UNREADABLE;
		e->why = j->why;
	} else {
		*buf = j->p;
		*len = j->n;
		j->p = NULL;
		e->state = ENTRY_VALID;
	}
	read_job_free(j);
	return rc;
}

/* ---- 2. each return once: copy, checksum, validate, normalise, add to the merge ---- */

/* Whether the return e, started at t0, is over its time budget (then it has an R19 error). */
static int over_budget(struct run *r, struct entry *e, double t0, const char *what)
{
	double took = seconds_now() - t0;
	if (took <= r->o->max_return_seconds)
		return 0;
	diag_add(&e->diags, e->name, 1, "R19", DIAG_ERROR,
		 "%s this return took %.3g s, more than the time budget of one return (%g s, mappa-run --max-return-seconds): not used",
		 what, took, r->o->max_return_seconds);
	return 1;
}

static int read_returns(struct run *r, int infd, struct validator *v, struct merge *m)
{
	struct strbuf sums = STRBUF_INIT;
	struct area_return *ret = malloc(sizeof *ret);
	struct dataset *ds = malloc(sizeof *ds); /* 45 KB: off the stack frame (ulimit -v) */
	int status = EX_OK, copyfd = -1;
	size_t max = r->o->max_return_bytes, kept = 0;
	char rel[64];

	if (max == 0 || max > XMLSAFE_MAX_BYTES)
		max = XMLSAFE_MAX_BYTES;
	if (!ret || !ds) {
		free(ret);
		free(ds);
		return fail(r, EX_SOFTWARE, "out of memory");
	}
	copyfd = openat(r->runfd, "inbox", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (copyfd < 0) {
		status = fail(r, write_status(errno), "cannot open '%s/inbox': %s", r->rundir, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < r->n; i++) {
		struct entry *e = &r->e[i];
		char *buf = NULL;
		size_t len = 0;
		enum validator_result vr;
		double t0 = seconds_now();
		int fd, stalled;

		/* every diagnostic of a file for its checks/NNN.txt, within one budget for the inbox:
		   a thousand hostile returns must not each keep 25,000 */
		if (i > 0)
			kept += r->e[i - 1].diags.count;
		e->diags.keep = kept < RUN_DIAG_BUDGET - RUN_DIAG_KEPT ? RUN_DIAG_KEPT
			      : kept < RUN_DIAG_BUDGET - RUN_DIAG_SHOWN ? RUN_DIAG_BUDGET - kept
									 : RUN_DIAG_SHOWN;

		if (read_entry(infd, e, max, t0 + r->o->max_return_seconds, r->o->hook, &buf, &len,
			       &stalled) != 0) {
			status = fail(r, EX_SOFTWARE, "out of memory");
			goto out;
		}
		if (stalled) {
			over_budget(r, e, t0, "reading");
			run_log(r, "inbox: %s: %s", e->display, e->why);
			continue;
		}
		if (e->state == ENTRY_SKIPPED) {
			run_log(r, "inbox: %s: %s", e->display, e->why);
			continue;
		}
		if (e->state == ENTRY_UNREADABLE) {
			/* its diagnostic, with the rule, as every reader gives it (QA: the report
			   said only "invalid: cannot be read: permission denied") */
			diag_add(&e->diags, e->name, 0, "R03", DIAG_ERROR, "%s", e->why);
			run_log(r, "inbox: %s: %s", e->display, e->why);
			continue;
		}
		r->nread++;
		/* the copy and its checksum: the operator's record of what was read */
		digest_sha256_hex(buf, len, e->sha256);
		run_sha256_line(&sums, e->sha256, e->name);
		if (len > max)
			e->partial = len;
		fd = openat(copyfd, e->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 || outfile_write_all(fd, buf, len) != 0 || close(fd) != 0) {
			int err = errno;
			if (fd >= 0)
				close(fd);
			free(buf);
			status = fail(r, write_status(err), "cannot copy %s into '%s/inbox': %s", e->display,
				      r->rundir, strerror(err));
			goto out;
		}
		if (r->o->hook) {
			char step[300];
			snprintf(step, sizeof step, "read %s", e->name);
			r->o->hook(step);
		}
		memset(ret, 0, sizeof *ret);
		if (len > max) {
			diag_add(&e->diags, e->name, 1, "R03", DIAG_ERROR,
				 "the file is larger than %zu bytes (the size budget of one return): a return is a few kilobytes",
				 max);
			vr = VALIDATOR_INVALID;
		} else if (over_budget(r, e, t0, "reading")) {
			vr = VALIDATOR_INVALID;
		} else {
			vr = validator_check(v, e->name, buf, len, ret, &e->diags);
			if (vr == VALIDATOR_VALID && over_budget(r, e, t0, "reading and validating"))
				vr = VALIDATOR_INVALID;
		}
		free(buf);
		diag_sort(&e->diags);
		if (vr == VALIDATOR_FAILED) {
			status = fail(r, EX_SOFTWARE, "out of memory validating %s", e->display);
			goto out;
		}
		snprintf(e->area, sizeof e->area, "%s", ret->area_code);
		e->revision = ret->revision;
		if (vr != VALIDATOR_VALID) {
			e->state = ENTRY_INVALID;
			run_log(r, "validate: %s: invalid, %zu error%s", e->display, e->diags.errors,
				e->diags.errors == 1 ? "" : "s");
			continue;
		}
		if (normalise_return(ds, r->defs, r->areas, ret, e->name, &e->diags) != 0) {
			if (diag_errnum(&e->diags) == ENOMEM) {
				/* the machine's, not the return's: 70 */
				status = fail(r, EX_SOFTWARE, "out of memory normalising %s", e->display);
				goto out;
			}
			e->state = ENTRY_INVALID;
			run_log(r, "normalise: %s: refused", e->display);
			continue;
		}
		if (over_budget(r, e, t0, "reading, validating and normalising")) {
			dataset_release(ds);
			e->state = ENTRY_INVALID;
			run_log(r, "normalise: %s: over the time budget", e->display);
			continue;
		}
		snprintf(rel, sizeof rel, "normalised/%03zu.obs", i + 1);
		if (put_dataset(r, rel, ds) != 0) {
			int err = errno;
			dataset_release(ds);
			status = fail(r, write_status(err), "cannot write '%s/%s': %s", r->rundir, rel,
				      strerror(err));
			goto out;
		}
		if (merge_add(m, e->name, ds, &e->diags) != 0)
			e->state = ENTRY_REFUSED;
		dataset_release(ds);
		e->ret = malloc(sizeof *e->ret);
		if (!e->ret) {
			status = fail(r, EX_SOFTWARE, "out of memory");
			goto out;
		}
		memcpy(e->ret, ret, sizeof *ret);
		run_log(r, "validate: %s: valid: %s revision %ld%s", e->display, e->area, e->revision,
			e->diags.warnings ? " (with warnings)" : "");
	}
	if (put_strbuf(r, "inbox.sha256", &sums, 0) != 0) {
		status = fail(r, write_status(errno), "cannot write '%s/inbox.sha256': %s", r->rundir,
			      strerror(errno));
		goto out;
	}
out:
	if (copyfd >= 0)
		close(copyfd);
	strbuf_release(&sums);
	free(ret);
	free(ds);
	return status;
}

/* ---- 3. merge: the merge's own decisions, per file ---- */

static int diag_copy(struct diag_list *to, const struct diag *d)
{
	return diag_add(to, d->file, d->line, d->rule, d->severity, "%s", d->message);
}

/*
 * When the merge refused returns of its own (another period, M04; a conflict, M05) and
 * nothing else, the report's areas and totals come from a merge of the others, marked
 * provisional (nothing is published): their normalised datasets are read back from the run
 * folder. Sets r->provisional and r->ds when that merge succeeds.
 */
static void provisional_merge(struct run *r)
{
	struct merge_options mo = { r->o->period, 1, "merge", 0 };
	struct merge *m2 = merge_new(r->defs, r->areas, &mo);
	struct diag_list scratch = DIAG_LIST_INIT;
	char path[RUN_PATH_MAX + 64];
	int ok = m2 != NULL;

	for (size_t i = 0; ok && i < r->n; i++) {
		const struct entry *e = &r->e[i];
		if (e->state != ENTRY_VALID && e->state != ENTRY_SUPERSEDED && e->state != ENTRY_DUPLICATE)
			continue;
		if (snprintf(path, sizeof path, "%s/runs/%s/normalised/%03zu.obs", r->outdir,
			     r->res->run_id, i + 1) >= (int)sizeof path)
			ok = 0;
		else {
			struct dataset *ds = malloc(sizeof *ds); /* 45 KB: off the stack frame */
			ok = ds && dataset_read_path(ds, r->defs, path, &scratch) == 0 &&
			     merge_add(m2, e->name, ds, &scratch) == 0;
			if (ds)
				dataset_release(ds);
			free(ds);
		}
	}
	dataset_release(&r->ds);
	dataset_init(&r->ds);
	if (ok && merge_finish(m2, &r->ds, &scratch) == 0)
		r->provisional = 1;
	else {
		dataset_release(&r->ds);
		dataset_init(&r->ds);
	}
	diag_clear(&scratch);
	merge_free(m2);
}

static int merge_all(struct run *r, struct merge *m)
{
	struct diag_list d = DIAG_LIST_INIT;
	int rc;

	d.keep = RUN_DIAG_KEPT; /* each one, for checks/merge.txt (not a file's first 100) */
	rc = merge_finish(m, &r->ds, &d);

	for (size_t k = 0; k < d.count; k++) {
		const struct diag *x = &d.items[k];
		struct entry *e = entry_named(r, x->file);
		/* M12 and M13 (a rate too large for the reference data's population) are the
		   merge's as a whole: kept with the entry alone, the report said "valid ... (not
		   merged)", no invalid return and no merge diagnostic (QA, both) */
		if (!e || strcmp(x->rule, "M12") == 0 || strcmp(x->rule, "M13") == 0) {
			diag_copy(&r->merge_diags, x);
			continue;
		}
		diag_copy(&e->diags, x);
		if (strcmp(x->rule, "M09") == 0)
			e->state = ENTRY_SUPERSEDED;
		else if (strcmp(x->rule, "M08") == 0)
			e->state = ENTRY_DUPLICATE;
		else if (strcmp(x->rule, "M05") == 0)
			e->state = ENTRY_CONFLICT;
		else if (strcmp(x->rule, "M04") == 0)
			e->state = ENTRY_OTHER_PERIOD;
	}
	diag_clear(&d);
	r->merged = rc == 0;
	if (!r->merged && r->merge_diags.count == 0)
		provisional_merge(r);
	if (r->merged || r->provisional) {
		for (size_t i = 0; i < r->n; i++)
			if (r->e[i].state == ENTRY_VALID)
				r->e[i].state = ENTRY_USED;
		snprintf(r->period, sizeof r->period, "%s", r->ds.period);
	}
	return EX_OK;
}

/* ---- 4.-5. the bundle, and reading it back as a reader would ---- */

struct member {
	char path[256];
	char sha256[65];
};

/*
 * Reads the bundle back from r->archive as a reader would: every regular entry under
 * mappa-PERIOD/, the manifest checked against every file, observations.csv read and audited
 * for the outsider. Returns 0; -1 the bundle does not read back (an error H01-H04 about the
 * bundle, as the history reader's rules say, appended to d); -2 the audit of observations.csv
 * fails (A01 it cannot run, A02 a suppressed cell narrower than the policy allows).
 */
/* "the bundle cannot be read back" (H01) of file, from libarchive's a: with ENOMEM when it ran out
   of memory (the machine's fault, 70: not the bundle's). */
static void read_back_failed(struct archive *a, const char *file, struct diag_list *d)
{
	if (archive_errno(a) == ENOMEM)
		diag_add_errno(d, file, "H01", ENOMEM, "the bundle cannot be read back: out of memory");
	else
		diag_add(d, file, 0, "H01", DIAG_ERROR, "the bundle cannot be read back: %s",
			 archive_error_string(a));
}

static int verify_archive(struct run *r, struct diag_list *d)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	struct member *mem = NULL;
	size_t nmem = 0, amem = 0, prefix;
	char *manifest = NULL, *obs = NULL, top[80];
	size_t obslen = 0;
	struct dataset *pub = dataset_new(); /* 45 KB: off the stack frame (ulimit -v) */
	const char *file = r->bundle_name;
	int rc = -1, ar;

	snprintf(top, sizeof top, "mappa-%s/", r->period);
	prefix = strlen(top);
	if (!a || !pub) {
		diag_add_errno(d, file, "H01", ENOMEM, "out of memory");
		goto out;
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, r->archive.data, r->archive.len) != ARCHIVE_OK) {
		read_back_failed(a, file, d);
		goto out;
	}
	while ((ar = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		const char *path = archive_entry_pathname(ae);
		la_int64_t size = archive_entry_size(ae);
		char *data;
		la_ssize_t got;
		if (archive_entry_filetype(ae) != AE_IFREG)
			continue;
		if (!path || strncmp(path, top, prefix) != 0 || strlen(path + prefix) >= sizeof mem->path ||
		    size < 0 || size > (la_int64_t)STRBUF_CAP) {
			diag_add(d, file, 0, "H02", DIAG_ERROR, "the bundle holds an unexpected entry");
			goto out;
		}
		data = malloc((size_t)size + 1);
		if (!data) {
			diag_add_errno(d, file, "H01", ENOMEM, "out of memory");
			goto out;
		}
		got = archive_read_data(a, data, (size_t)size);
		if (got != (la_ssize_t)size) {
			free(data);
			if (got < 0 && archive_errno(a) == ENOMEM)
				diag_add_errno(d, file, "H01", ENOMEM, "out of memory");
			else
				diag_add(d, file, 0, "H01", DIAG_ERROR, "the bundle's %s cannot be read back", path);
			goto out;
		}
		data[size] = '\0';
		if (strcmp(path + prefix, "MANIFEST.sha256") == 0) {
			free(manifest);
			manifest = data;
			continue;
		}
		if (nmem == amem) {
			size_t na = amem ? amem * 2 : 128;
			struct member *p = realloc(mem, na * sizeof *p);
			if (!p) {
				free(data);
				diag_add_errno(d, file, "H01", ENOMEM, "out of memory");
				goto out;
			}
			mem = p;
			amem = na;
		}
		snprintf(mem[nmem].path, sizeof mem[nmem].path, "%s", path + prefix);
		digest_sha256_hex(data, (size_t)size, mem[nmem].sha256);
		nmem++;
		if (strcmp(path + prefix, "observations.csv") == 0) {
			free(obs);
			obs = data;
			obslen = (size_t)size;
		} else {
			free(data);
		}
	}
	if (ar != ARCHIVE_EOF) {
		read_back_failed(a, file, d);
		goto out;
	}
	if (!manifest || !obs) {
		diag_add(d, file, 0, manifest ? "H04" : "H03", DIAG_ERROR, "the bundle has no %s",
			 !manifest ? "MANIFEST.sha256" : "observations.csv");
		goto out;
	}
	{
		/* every line of the manifest matches a file, and every file has its line */
		size_t lines = 0;
		for (char *line = manifest, *nl; *line; line = nl + 1) {
			int found = 0;
			nl = strchr(line, '\n');
			if (!nl)
				break;
			*nl = '\0';
			lines++;
			for (size_t i = 0; i < nmem && !found; i++)
				found = strlen(line) == 66 + strlen(mem[i].path) &&
					memcmp(line, mem[i].sha256, 64) == 0 && strcmp(line + 66, mem[i].path) == 0;
			if (!found) {
				diag_add(d, file, 0, "H03", DIAG_ERROR,
					 "the bundle's MANIFEST.sha256 does not check: %.80s", line);
				goto out;
			}
		}
		if (lines != nmem) {
			diag_add(d, file, 0, "H03", DIAG_ERROR,
				 "the bundle's MANIFEST.sha256 lists %zu files, the bundle holds %zu", lines, nmem);
			goto out;
		}
	}
	r->bundle_files = nmem + 1;
	if (published_read_named(pub, r->defs, r->areas, "observations.csv", obs, obslen,
				 &r->stage_diags) != 0 ||
	    published_complete(pub, r->defs, "observations.csv", 1, "P03", &r->stage_diags) != 0) {
		/* out of memory is the machine's, not the bundle's: 70 */
		if (diag_errnum(&r->stage_diags) == ENOMEM)
			diag_add_errno(d, file, "H01", ENOMEM, "out of memory");
		else
			diag_add(d, file, 0, "H04", DIAG_ERROR, "the bundle's observations.csv cannot be read back");
		goto out;
	}
	rc = run_protect(r, RUN_PROTECT_AUDIT, pub, d);
out:
	dataset_free(pub);
	free(manifest);
	free(obs);
	free(mem);
	archive_read_free(a);
	return rc;
}

/* ---- the report ---- */

static const char *entry_outcome(const struct run *r, const struct entry *e, char *buf, size_t size)
{
	switch (e->state) {
	case ENTRY_SKIPPED:
		snprintf(buf, size, "not used: %s", e->why);
		break;
	case ENTRY_UNREADABLE:
		snprintf(buf, size, "invalid: %s", e->why);
		break;
	case ENTRY_INVALID:
		snprintf(buf, size, "invalid%s%s%s", e->area[0] ? " (appears to be for " : "", e->area,
			 e->area[0] ? ")" : "");
		break;
	case ENTRY_VALID:
		snprintf(buf, size, "valid: %s revision %ld (not merged)", e->area, e->revision);
		break;
	case ENTRY_USED:
		snprintf(buf, size, "valid: %s revision %ld, used", e->area, e->revision);
		break;
	case ENTRY_SUPERSEDED: {
		long by = 0;
		for (size_t i = 0; i < r->ds.nsuperseded; i++)
			if (strcmp(r->ds.superseded[i].source, e->name) == 0)
				by = r->ds.superseded[i].by_revision;
		snprintf(buf, size, "superseded: %s revision %ld, replaced by revision %ld", e->area,
			 e->revision, by);
		break;
	}
	case ENTRY_DUPLICATE:
		snprintf(buf, size, "valid: %s revision %ld, a duplicate (not used)", e->area, e->revision);
		break;
	case ENTRY_CONFLICT:
		snprintf(buf, size, "refused: %s revision %ld conflicts with another file of the same revision",
			 e->area, e->revision);
		break;
	case ENTRY_CHANGED:
		snprintf(buf, size, "refused: %s revision %ld differs from the revision %ld the period's "
			 "publication used (raise the revision number)", e->area, e->revision, e->revision);
		break;
	case ENTRY_OTHER_PERIOD:
		snprintf(buf, size, "refused: %s revision %ld is of another period", e->area, e->revision);
		break;
	case ENTRY_REFUSED:
		snprintf(buf, size, "refused by the merge: %s revision %ld", e->area, e->revision);
		break;
	}
	return buf;
}

static int entry_is_invalid(const struct entry *e)
{
	return e->state == ENTRY_INVALID || e->state == ENTRY_UNREADABLE || e->state == ENTRY_CONFLICT ||
	       e->state == ENTRY_CHANGED ||
	       e->state == ENTRY_OTHER_PERIOD || e->state == ENTRY_REFUSED;
}

static void diag_line(struct strbuf *out, const struct diag *d)
{
	diag_format(out, d);
}

/* A return that was read and found valid, with warnings for its data lead (W01, Y01-Y03). */
static int entry_warned(const struct entry *e)
{
	return !entry_is_invalid(e) && e->state != ENTRY_SKIPPED && e->diags.warnings > 0;
}

/* The area state line of the report. */
static void area_state(const struct run *r, const struct dataset_area *a, struct strbuf *out)
{
	if (a->state == AREA_PRESENT) {
		strbuf_addf(out, "valid (revision %ld of %s, ", a->revision, a->submitted);
		quote_name(out, a->source);
		strbuf_puts(out, ")");
		size_t shown = 0, more = 0;
		/* at most RUN_SUPERSEDED_SHOWN on the area's line (10,000 revisions of one area
		   made one line of 239 KB, QA); every superseded file has its line in the inbox
		   list of the report and in run.log */
		for (size_t i = 0; i < r->ds.nsuperseded; i++)
			if (strcmp(r->ds.superseded[i].code, a->code) == 0) {
				if (shown == RUN_SUPERSEDED_SHOWN) {
					more++;
					continue;
				}
				shown++;
				strbuf_addf(out, "; superseded: revision %ld (", r->ds.superseded[i].revision);
				quote_name(out, r->ds.superseded[i].source);
				strbuf_puts(out, ")");
			}
		if (more)
			strbuf_addf(out, "; and %zu more superseded", more);
		{
			/* a revision going back (its newer return gone from the inbox): published
			   as the docs' "Going back" allows, but said (QA: only "revised areas") */
			const struct dataset_area *b = published_before(r, a->code);
			if (b && b->state == AREA_PRESENT && b->revision > a->revision) {
				strbuf_addf(out, "; GOING BACK: revision %ld was published before (from ",
					    b->revision);
				quote_name(out, b->source);
				strbuf_puts(out, ")");
			}
		}
	} else {
		/* published before, its return gone from the inbox: said, with the file it came
		   from (QA: "missing" alone, after a published return was deleted) */
		const struct dataset_area *b = published_before(r, a->code);
		char link[RUN_PATH_MAX + 100], run[PATH_MAX], copy[PATH_MAX + 300];
		struct stat st;
		strbuf_puts(out, "missing");
		if (b && b->state == AREA_PRESENT) {
			strbuf_addf(out, "; published before from its revision %ld (", b->revision);
			quote_name(out, b->source);
			strbuf_puts(out, "), which is not in the inbox now");
			/* where its copy is, to put back (the run folder that published it) */
			if (snprintf(link, sizeof link, "%s/%s", r->outdir, r->hist.series.before.file) <
				    (int)sizeof link &&
			    series_run_folder(link, run, NULL) && !strchr(b->source, '/') &&
			    snprintf(copy, sizeof copy, "%s/inbox/%s", run, b->source) < (int)sizeof copy &&
			    lstat(copy, &st) == 0 && S_ISREG(st.st_mode)) {
				strbuf_puts(out, " (its copy: ");
				quote_name(out, copy);
				strbuf_puts(out, ")");
			}
		}
	}
	/* at most RUN_SUPERSEDED_SHOWN named, as superseded files are (QA: 2,000 invalid returns
	   of one area made its line 82 KB); each has its line in the inbox list */
	size_t named = 0, unnamed = 0, all = 0;
	for (size_t i = 0; i < r->n; i++)
		all += entry_is_invalid(&r->e[i]) && strcmp(r->e[i].area, a->code) == 0;
	for (size_t i = 0; i < r->n; i++)
		if (entry_is_invalid(&r->e[i]) && strcmp(r->e[i].area, a->code) == 0) {
			if (named == RUN_SUPERSEDED_SHOWN) {
				unnamed++;
				continue;
			}
			if (named++ == 0)
				strbuf_addf(out, a->state == AREA_PRESENT ? "; invalid return%s also "
					    "received: " : " (invalid return%s received: ",
					    all == 1 ? "" : "s");
			else
				strbuf_puts(out, ", ");
			strbuf_puts(out, r->e[i].display);
		}
	if (unnamed)
		strbuf_addf(out, " and %zu more", unnamed);
	if (named && a->state != AREA_PRESENT)
		strbuf_puts(out, ")");
}

static const char *cat_label(int c, int html)
{
	switch (c) {
	case CAT_1_3: return html ? "Categories 1 to 3" : "categories 1-3";
	case CAT_ALL: return html ? "Categories 1 to 4" : "categories 1-4";
	case 1: return html ? "Category 1" : "category 1";
	case 2: return html ? "Category 2" : "category 2";
	case 3: return html ? "Category 3" : "category 3";
	default: return html ? "Category 4" : "category 4";
	}
}

static void national_value(const struct run *r, int cat, char *buf, size_t size)
{
	int stat = dataset_stat_find(r->defs, "eligible");
	const struct obs *o = stat < 0 ? NULL
			      : dataset_find(&r->ds, r->ds.national_code, (unsigned)stat, cat, LEVEL_ALL);
	if (!o)
		snprintf(buf, size, "?");
	else if (o->status != OBS_OK)
		snprintf(buf, size, "%s", obs_status_symbol(o->status));
	else
		snprintf(buf, size, "%lld", o->value);
}

static void count_areas(const struct run *r, size_t *valid, size_t *missing)
{
	*valid = *missing = 0;
	for (size_t i = 0; i < r->ds.nareas; i++) {
		if (r->ds.areas[i].state == AREA_PRESENT)
			(*valid)++;
		else
			(*missing)++;
	}
}

/* Inbox entry i of the text report: its outcome, then its first diagnostics. */
/*
 * "and N more (...)" of a list of diagnostics shown up to RUN_DIAG_SHOWN, and where the rest are:
 * rel holds every one, or, when some were counted but not kept (the inbox's budget,
 * RUN_DIAG_BUDGET), the ones it keeps (the report said "all of them" of a file that ended "and
 * 129 more not kept", QA). Into buf (n bytes); "" when nothing more. Returns buf.
 */
static const char *more_words(const struct diag_list *l, const char *rel, char *buf, size_t n)
{
	size_t shown = l->count < RUN_DIAG_SHOWN ? l->count : RUN_DIAG_SHOWN;

	buf[0] = '\0';
	if (l->count + l->dropped <= shown)
		return buf;
	if (!l->dropped)
		snprintf(buf, n, "and %zu more (all of them: %s)", l->count + l->dropped - shown, rel);
	else
		snprintf(buf, n, "and %zu more (%s keeps the first %zu of all %zu; the rest were "
			 "counted, not kept: a run keeps at most %d diagnostics)",
			 l->count + l->dropped - shown, rel, l->count, l->count + l->dropped,
			 RUN_DIAG_BUDGET);
	return buf;
}

static void text_entry(const struct run *r, size_t i, struct strbuf *out)
{
	char rel[32], more[240];
	const struct entry *e = &r->e[i];
	char buf[1600];
	size_t shown = 0;

	strbuf_addf(out, "  %s: %s\n", e->display, entry_outcome(r, e, buf, sizeof buf));
	for (size_t k = 0; k < e->diags.count && shown < RUN_DIAG_SHOWN; k++, shown++) {
		strbuf_puts(out, "    ");
		diag_line(out, &e->diags.items[k]);
		strbuf_puts(out, "\n");
	}
	snprintf(rel, sizeof rel, "checks/%03zu.txt", i + 1);
	if (*more_words(&e->diags, rel, more, sizeof more))
		strbuf_addf(out, "    %s\n", more);
}

/*
 * Which entries that are not read the reports list, RUN_SKIPPED_SHOWN at most: the folders,
 * links, FIFOs and devices first, then the dot files, each in name order (QA: 150 dot files
 * hid a folder, a link and a FIFO from the report, taken in name order). The rest are counted,
 * and each is in run.log.
 */
static void mark_listed(struct run *r)
{
	size_t shown = 0;

	for (int dots = 0; dots < 2; dots++)
		for (size_t i = 0; i < r->n; i++) {
			struct entry *e = &r->e[i];
			if (e->state != ENTRY_SKIPPED || (e->name[0] == '.') != dots)
				continue;
			e->listed = shown < RUN_SKIPPED_SHOWN;
			shown += (size_t)e->listed;
		}
}

/* The bundle's path in OUTDIR quoted as one name (QA: "OUTDIR"/NAME, quoted in two pieces), and
   whether areas are missing from it. */
static const char *bundle_phrase(const struct run *r, char *buf, size_t n)
{
	char whole[RUN_PATH_MAX + 100], q[1024];

	snprintf(whole, sizeof whole, "%s/%s", r->outdir, r->bundle_name);
	snprintf(buf, n, "%s%s", quote_name_buf(q, sizeof q, whole),
		 r->ds.incomplete ? " (with missing areas as [x], --allow-missing)" : "");
	return buf;
}

/*
 * The report's result and exit status. A report written when the bundle is verified and not yet
 * published (status 0, no result) says so: publish() writes it again once it has published, so
 * one that still says it is a run stopped in between, which published only if latest names it.
 */
static void result_words(const struct run *r, int status, char *result, size_t rn, char *exit,
			 size_t en)
{
	char b[1200];

	if (r->result[0] || status != 0) {
		snprintf(result, rn, "%s", r->result);
		snprintf(exit, en, "%d", status);
		return;
	}
	snprintf(result, rn, "not published yet: %s is ready; this report is written again once it "
		 "is published (if it still says this, the run was stopped: it published only if "
		 "OUTDIR/latest names this run)", bundle_phrase(r, b, sizeof b));
	snprintf(exit, en, "none yet (the run's status file holds it once the run ends)");
}

/* What the report says of the bundle: published, ready, or made and not published. */
static const char *bundle_state(const struct run *r, int status)
{
	return r->published ? "" : status == 0 ? " (ready, not published yet)"
					       : " (made in the run folder, not published)";
}

static void text_report(const struct run *r, int status, const char *finished, struct strbuf *out)
{
	char more[240];
	static const int cats[] = { 1, 2, 3, 4, CAT_1_3, CAT_ALL };
	char buf[1600];
	size_t ninvalid = 0, nskipped = 0, nwarned = 0, nv, nm;

	for (size_t i = 0; i < r->n; i++) {
		ninvalid += (size_t)entry_is_invalid(&r->e[i]);
		nskipped += r->e[i].state == ENTRY_SKIPPED;
		nwarned += (size_t)entry_warned(&r->e[i]);
	}
	strbuf_puts(out, "MAPPA run report\n\n");
	strbuf_addf(out, "run:      %s\nstarted:  %s\nfinished: %s\n", r->res->run_id, r->started, finished);
	{
		char res[1600], ex[100];
		result_words(r, status, res, sizeof res, ex, sizeof ex);
		strbuf_addf(out, "result:   %s\nexit:     %s\n", res, ex);
	}
	strbuf_addf(out, "period:   %s\n", r->period[0] ? r->period : "unknown");
	if (r->over)
		strbuf_addf(out, "inbox:    %s (%zu entries, more than a run lists: none read)\n",
			    r->q_inbox, r->over);
	else
		strbuf_addf(out, "inbox:    %s (%zu entries, %zu returns read)\n", r->q_inbox, r->n,
			    r->nread);
	if (r->provisional)
		strbuf_puts(out, "\nNOT PUBLISHED: the figures below are provisional (a merge of the valid returns only).\n");
	strbuf_addf(out, "\nInvalid returns (%zu):\n", ninvalid);
	if (!ninvalid)
		strbuf_puts(out, "  none\n");
	for (size_t i = 0; i < r->n; i++)
		if (entry_is_invalid(&r->e[i]))
			text_entry(r, i, out);
	/* a valid return's warnings reach its data lead here, not only the log (QA: W01) */
	if (nwarned)
		/* a warning never stops a return; whether each was used its line says (QA: a
		   superseded return under "used all the same") */
		strbuf_addf(out, "\nWarnings in valid returns (%zu; a warning never stops a return):\n",
			    nwarned);
	for (size_t i = 0; i < r->n; i++)
		if (entry_warned(&r->e[i]))
			text_entry(r, i, out);
	if (r->ds.nareas) {
		count_areas(r, &nv, &nm);
		strbuf_addf(out, "\nAreas: %zu valid, %zu missing, %zu superseded returns\n", nv, nm,
			    r->ds.nsuperseded);
		for (size_t i = 0; i < r->ds.nareas; i++) {
			const struct dataset_area *a = &r->ds.areas[i];
			strbuf_addf(out, "  %s  %-28s ", a->code, a->name);
			area_state(r, a, out);
			strbuf_puts(out, "\n");
		}
		strbuf_addf(out, "\nNational totals, eligible on 31 March (England and Wales%s):\n",
			    r->ds.incomplete ? ", areas present only" : "");
		for (size_t c = 0; c < sizeof cats / sizeof cats[0]; c++) {
			national_value(r, cats[c], buf, sizeof buf);
			strbuf_addf(out, "  %-16s %s\n", cat_label(cats[c], 0), buf);
		}
	} else {
		strbuf_puts(out, r->merge_diags.count ? "\nAreas: no merge (see the merge diagnostics below)\n"
						      : "\nAreas: no merge (see the invalid returns above)\n");
	}
	run_history_text(&r->hist, &r->ds, r->defs, status == 0, out);
	strbuf_addf(out, "\nReturns received (%zu):\n", r->n - nskipped);
	for (size_t i = 0; i < r->n; i++) {
		const struct entry *e = &r->e[i];
		if (e->state == ENTRY_SKIPPED)
			continue;
		strbuf_addf(out, "  %s: %s\n", e->display, entry_outcome(r, e, buf, sizeof buf));
		/* with its SHA-256, as report.html (operations.md: the two say the same; QA) */
		if (!e->sha256[0])
			continue; /* not read */
		strbuf_addf(out, "    sha256 %s", e->sha256);
		if (e->partial)
			strbuf_addf(out, " (of its first %zu bytes, as copied: the file is larger than "
				    "the size budget)", e->partial);
		strbuf_puts(out, "\n");
	}
	if (nskipped) {
		size_t shown = 0;
		strbuf_addf(out, "\nOther inbox entries, not used (%zu):\n", nskipped);
		for (int dots = 0; dots < 2; dots++) /* in mark_listed's order */
			for (size_t i = 0; i < r->n; i++)
				if (r->e[i].state == ENTRY_SKIPPED && r->e[i].listed &&
				    (r->e[i].name[0] == '.') == dots) {
					strbuf_addf(out, "  %s: %s\n", r->e[i].display, r->e[i].why);
					shown++;
				}
		if (nskipped > shown)
			strbuf_addf(out, "  and %zu more (each of them in run.log)\n", nskipped - shown);
	}
	if (r->merge_diags.count || r->stage_diags.count) {
		strbuf_puts(out, "\nMerge and publication diagnostics:\n");
		for (int w = 0; w < 2; w++) {
			const struct diag_list *l = w ? &r->stage_diags : &r->merge_diags;
			for (size_t k = 0; k < l->count && k < RUN_DIAG_SHOWN; k++) {
				strbuf_puts(out, "  ");
				diag_line(out, &l->items[k]);
				strbuf_puts(out, "\n");
			}
			if (*more_words(l, w ? RUN_STAGE_LIST : RUN_MERGE_LIST, more, sizeof more))
				strbuf_addf(out, "  %s\n", more);
		}
	}
	strbuf_puts(out, "\nSuppression and audit:\n");
	if (r->suppressed) {
		strbuf_addf(out, "  withheld by policy: %ld cells\n  primary suppressions: %ld cells\n"
				 "  secondary suppressions: %ld cells\n",
			    r->sum.withheld, r->sum.primary, r->sum.secondary);
		if (r->sum.stopped)
			strbuf_puts(out, "  audit before publishing: not complete: the suppression stopped at its work budget (S03)\n");
		else if (r->suppress_failed[0] && r->sum.unprotectable > 0)
			/* refused before any audit (QA: "0 suppressed cells, 0 that no pattern
			   protects" beside a refusal naming 4) */
			strbuf_puts(out, "  audit before publishing: not run (the suppression was refused first)\n");
		else if (r->suppress_failed[0])
			/* the cells no pattern protects, not a fault of the audit ("1 narrower"
			   beside the refusal read as if the suppression had erred: QA) */
			strbuf_addf(out, "  audit before publishing: %zu suppressed cells, %zu that no pattern protects\n",
				    r->sum.audited, r->sum.audit_failures);
		else
			strbuf_addf(out, "  audit before publishing: %zu suppressed cells, %zu narrower than the policy allows\n",
				    r->sum.audited, r->sum.audit_failures);
		if (r->suppress_failed[0]) {
			strbuf_addf(out, "  refused: %s: nothing published\n", r->suppress_failed);
			for (const char *l = r->refused_too.len ? r->refused_too.data : NULL, *e;
			     l && (e = strchr(l, '\n')); l = e + 1)
				strbuf_addf(out, "  refused too: %.*s\n", (int)(e - l), l);
		}
	} else if (r->suppress_failed[0]) {
		strbuf_addf(out, "  failed: %s: no pattern, nothing published\n", r->suppress_failed);
	} else {
		strbuf_puts(out, "  not run\n");
	}
	if (r->verified)
		strbuf_addf(out, "  audit of the bundle's observations.csv, as a reader would: %zu suppressed cells, %zu narrower than the policy allows\n",
			    r->audit.audited, r->audit.audit_failures);
	strbuf_puts(out, "\nBundle:\n");
	if (r->verified)
		strbuf_addf(out, "  %s%s (%zu bytes, %zu files)\n  sha256 %s\n", r->bundle_name,
			    bundle_state(r, status), r->archive.len, r->bundle_files, r->res->sha256);
	else
		strbuf_puts(out, "  none published by this run\n");
	{
		char *shown = run_path_shown(r, NULL);
		strbuf_addf(out, "\nRun folder: %s (log: run.log)\n", shown ? shown : r->rundir);
		free(shown);
	}
}

static void html_row(struct strbuf *out, const char *th, const char *td)
{
	strbuf_puts(out, "<tr><th scope=\"row\">");
	run_html_escape(out, th);
	strbuf_puts(out, "</th><td>");
	run_html_escape(out, td);
	strbuf_puts(out, "</td></tr>\n");
}

/* Inbox entry i of the HTML report: its outcome, then its first diagnostics. */
static void html_entry(const struct run *r, size_t i, struct strbuf *out)
{
	char rel[32], more[240];
	const struct entry *e = &r->e[i];
	struct strbuf line = STRBUF_INIT;
	char buf[1600];
	size_t shown = 0;

	strbuf_puts(out, "<h3>");
	run_html_escape(out, e->display);
	strbuf_puts(out, ": ");
	run_html_escape(out, entry_outcome(r, e, buf, sizeof buf));
	strbuf_puts(out, "</h3>\n<ul>\n");
	for (size_t k = 0; k < e->diags.count && shown < RUN_DIAG_SHOWN; k++, shown++) {
		line.len = 0;
		diag_line(&line, &e->diags.items[k]);
		strbuf_puts(out, "<li>");
		run_html_escape(out, line.data ? line.data : "");
		strbuf_puts(out, "</li>\n");
	}
	snprintf(rel, sizeof rel, "checks/%03zu.txt", i + 1);
	if (*more_words(&e->diags, rel, more, sizeof more)) {
		strbuf_puts(out, "<li>");
		run_html_escape(out, more);
		strbuf_puts(out, "</li>\n");
	}
	strbuf_puts(out, "</ul>\n");
	strbuf_release(&line);
}

static void html_report(const struct run *r, int status, const char *finished, struct strbuf *out)
{
	char more[240];
	static const int cats[] = { 1, 2, 3, 4, CAT_1_3, CAT_ALL };
	char buf[1600];
	size_t ninvalid = 0, nwarned = 0, nskipped = 0, nv, nm;
	struct strbuf tmp = STRBUF_INIT;
	char res[1600], ex[100];

	result_words(r, status, res, sizeof res, ex, sizeof ex);
	for (size_t i = 0; i < r->n; i++) {
		ninvalid += (size_t)entry_is_invalid(&r->e[i]);
		nwarned += (size_t)entry_warned(&r->e[i]);
	}
	strbuf_puts(out, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>MAPPA run ");
	run_html_escape(out, r->res->run_id);
	strbuf_puts(out, ": ");
	run_html_escape(out, res);
	strbuf_puts(out, "</title>\n<style>\n"
			 "body { font-family: Arial, Helvetica, sans-serif; font-size: 1rem; line-height: 1.5; color: #0b0c0c; background: #fff; max-width: 60rem; margin: 1rem auto; padding: 0 1rem; }\n"
			 "table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }\n"
			 "caption { text-align: left; font-weight: bold; padding-bottom: 0.25rem; }\n"
			 "th, td { border: 1px solid #b1b4b6; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }\n"
			 "td.num { text-align: right; font-variant-numeric: tabular-nums; }\n"
			 ".result { border: 4px solid #0b0c0c; padding: 0.5rem 1rem; font-size: 1.2rem; }\n"
			 ".bad { border-color: #d4351c; }\n.good { border-color: #00703c; }\n"
			 "a:focus { outline: 3px solid #fd0; }\n</style>\n</head>\n<body>\n<main>\n<h1>MAPPA run report: ");
	run_html_escape(out, r->period[0] ? r->period : "unknown");
	strbuf_addf(out, "</h1>\n<p class=\"result %s\"><strong>Result: ",
		    r->published ? "good" : "bad");
	run_html_escape(out, res);
	strbuf_puts(out, "</strong> (exit status ");
	run_html_escape(out, ex);
	strbuf_puts(out, ")</p>\n");
	if (r->provisional)
		strbuf_puts(out, "<p><strong>Not published.</strong> The areas and totals below are provisional: a merge of the valid returns only.</p>\n");
	strbuf_puts(out, "<table>\n<caption>Run</caption>\n<tbody>\n");
	html_row(out, "Run", r->res->run_id);
	html_row(out, "Started", r->started);
	html_row(out, "Finished", finished);
	html_row(out, "Period", r->period[0] ? r->period : "unknown");
	tmp.len = 0;
	if (r->over)
		strbuf_addf(&tmp, "%s (%zu entries, more than a run lists: none read)", r->q_inbox,
			    r->over);
	else
		strbuf_addf(&tmp, "%s (%zu entries, %zu returns read)", r->q_inbox, r->n, r->nread);
	html_row(out, "Inbox", tmp.data ? tmp.data : "");
	{
		char *shown = run_path_shown(r, NULL);
		html_row(out, "Run folder", shown ? shown : r->rundir);
		free(shown);
	}
	strbuf_puts(out, "</tbody>\n</table>\n");

	strbuf_addf(out, "<h2>Invalid returns (%zu)</h2>\n", ninvalid);
	if (!ninvalid)
		strbuf_puts(out, "<p>None.</p>\n");
	else
		strbuf_puts(out, "<p>These returns were left out. Each error gives the line of the file and the rule id (see docs/rules.md).</p>\n");
	for (size_t i = 0; i < r->n; i++)
		if (entry_is_invalid(&r->e[i]))
			html_entry(r, i, out);
	/* a valid return's warnings reach its data lead here, not only the log (QA: W01) */
	if (nwarned) {
		strbuf_addf(out, "<h2>Warnings in valid returns (%zu)</h2>\n", nwarned);
		strbuf_puts(out, "<p>A warning never stops a return: each entry says whether the return was used. Each warning gives the line of the file and the rule id (see docs/rules.md).</p>\n");
	}
	for (size_t i = 0; i < r->n; i++)
		if (entry_warned(&r->e[i]))
			html_entry(r, i, out);

	strbuf_puts(out, "<h2>Areas</h2>\n");
	if (r->ds.nareas) {
		count_areas(r, &nv, &nm);
		strbuf_addf(out, "<p>%zu valid, %zu missing, %zu superseded returns.</p>\n", nv, nm,
			    r->ds.nsuperseded);
		strbuf_puts(out, "<table>\n<caption>Each area: valid (the revision used), missing, superseded revisions</caption>\n"
				 "<thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Area</th><th scope=\"col\">State</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < r->ds.nareas; i++) {
			const struct dataset_area *a = &r->ds.areas[i];
			tmp.len = 0;
			area_state(r, a, &tmp);
			strbuf_puts(out, "<tr><td>");
			run_html_escape(out, a->code);
			strbuf_puts(out, "</td><th scope=\"row\">");
			run_html_escape(out, a->name);
			strbuf_puts(out, "</th><td>");
			run_html_escape(out, tmp.data ? tmp.data : "");
			strbuf_puts(out, "</td></tr>\n");
		}
		strbuf_addf(out, "</tbody>\n</table>\n<table>\n<caption>National totals: MAPPA-eligible individuals on 31 March, England and Wales%s</caption>\n"
				 "<thead><tr><th scope=\"col\">Category</th><th scope=\"col\">Eligible</th></tr></thead>\n<tbody>\n",
			    r->ds.incomplete ? " (areas present only)" : "");
		for (size_t c = 0; c < sizeof cats / sizeof cats[0]; c++) {
			national_value(r, cats[c], buf, sizeof buf);
			strbuf_addf(out, "<tr><th scope=\"row\">%s</th><td class=\"num\">", cat_label(cats[c], 1));
			run_html_escape(out, buf);
			strbuf_puts(out, "</td></tr>\n");
		}
		strbuf_puts(out, "</tbody>\n</table>\n");
	} else {
		strbuf_puts(out, r->merge_diags.count ? "<p>No merge: see the merge diagnostics.</p>\n"
						      : "<p>No merge: see the invalid returns.</p>\n");
	}
	if (r->merge_diags.count || r->stage_diags.count) {
		strbuf_puts(out, "<h3>Merge and publication diagnostics</h3>\n<ul>\n");
		for (int w = 0; w < 2; w++) {
			const struct diag_list *l = w ? &r->stage_diags : &r->merge_diags;
			for (size_t k = 0; k < l->count && k < RUN_DIAG_SHOWN; k++) {
				tmp.len = 0;
				diag_line(&tmp, &l->items[k]);
				strbuf_puts(out, "<li>");
				run_html_escape(out, tmp.data ? tmp.data : "");
				strbuf_puts(out, "</li>\n");
			}
			if (*more_words(l, w ? RUN_STAGE_LIST : RUN_MERGE_LIST, more, sizeof more)) {
				strbuf_puts(out, "<li>");
				run_html_escape(out, more);
				strbuf_puts(out, "</li>\n");
			}
		}
		strbuf_puts(out, "</ul>\n");
	}

	run_history_html(&r->hist, &r->ds, r->defs, status == 0, out);
	strbuf_addf(out, "<h2>Inbox (%zu entries)</h2>\n<table>\n<caption>Every entry of the inbox and what became of it</caption>\n"
			 "<thead><tr><th scope=\"col\">Entry</th><th scope=\"col\">Outcome</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n",
		    r->n);
	for (size_t i = 0; i < r->n; i++) {
		if (r->e[i].state == ENTRY_SKIPPED) {
			nskipped++;
			if (!r->e[i].listed)
				continue;
		}
		strbuf_puts(out, "<tr><th scope=\"row\">");
		run_html_escape(out, r->e[i].display);
		strbuf_puts(out, "</th><td>");
		run_html_escape(out, entry_outcome(r, &r->e[i], buf, sizeof buf));
		strbuf_addf(out, "</td><td><code>%s</code>", r->e[i].sha256);
		/* a checksum of what was read is not the file's (QA: a 2 GB file showed the
		   SHA-256 of its first 1,048,577 bytes as if it were its own) */
		if (r->e[i].partial)
			strbuf_addf(out, " (of its first %zu bytes, as copied: the file is larger than "
					 "the size budget)", r->e[i].partial);
		strbuf_puts(out, "</td></tr>\n");
	}
	strbuf_puts(out, "</tbody>\n</table>\n");
	if (nskipped > RUN_SKIPPED_SHOWN)
		strbuf_addf(out, "<p>And %zu more entries that are not regular files or are dot files, "
				 "not read (each of them in run.log).</p>\n",
			    nskipped - RUN_SKIPPED_SHOWN);
	strbuf_puts(out, "<h2>Suppression and audit</h2>\n");
	if (r->suppressed) {
		strbuf_addf(out, "<p>Withheld by policy: %ld cells. Primary suppressions: %ld cells. Secondary suppressions: %ld cells. ",
			    r->sum.withheld, r->sum.primary, r->sum.secondary);
		if (r->sum.stopped)
			strbuf_puts(out, "Audit before publishing: not complete: the suppression stopped at its work budget (S03).</p>\n");
		else if (r->suppress_failed[0] && r->sum.unprotectable > 0)
			strbuf_puts(out, "Audit before publishing: not run (the suppression was refused first).</p>\n");
		else
			strbuf_addf(out, "Audit before publishing: %zu suppressed cells, %zu %s.</p>\n",
				    r->sum.audited, r->sum.audit_failures,
				    r->suppress_failed[0] ? "that no pattern protects"
							  : "narrower than the policy allows");
		if (r->suppress_failed[0]) {
			strbuf_puts(out, "<p>Refused: ");
			run_html_escape(out, r->suppress_failed);
			strbuf_puts(out, ": nothing published.</p>\n");
			if (r->refused_too.len) {
				char line[600];
				strbuf_puts(out, "<ul>\n");
				for (const char *l = r->refused_too.data, *e; (e = strchr(l, '\n')); l = e + 1) {
					snprintf(line, sizeof line, "%.*s", (int)(e - l), l);
					strbuf_puts(out, "<li>");
					run_html_escape(out, line);
					strbuf_puts(out, "</li>\n");
				}
				strbuf_puts(out, "</ul>\n");
			}
		}
	} else if (r->suppress_failed[0]) {
		strbuf_puts(out, "<p>Failed: ");
		run_html_escape(out, r->suppress_failed);
		strbuf_puts(out, ": no pattern, nothing published.</p>\n");
	} else
		strbuf_puts(out, "<p>Not run.</p>\n");
	if (r->verified)
		strbuf_addf(out, "<p>Audit of the bundle's observations.csv, as a reader would: %zu suppressed cells, %zu narrower than the policy allows.</p>\n",
			    r->audit.audited, r->audit.audit_failures);
	strbuf_puts(out, "<h2>Bundle</h2>\n");
	if (r->verified)
		strbuf_addf(out, "<p><strong>%s</strong>%s, %zu bytes, %zu files.<br>SHA-256: <code>%s</code></p>\n",
			    r->bundle_name, bundle_state(r, status), r->archive.len, r->bundle_files,
			    r->res->sha256);
	else
		strbuf_puts(out, "<p>No bundle was published by this run.</p>\n");
	strbuf_puts(out, "</main>\n</body>\n</html>\n");
	strbuf_release(&tmp);
}

/* Every diagnostic of l into the run folder's file rel, when there are more than the report
   shows. 0 or -1 (errno). */
static int put_list(struct run *r, const char *rel, const struct diag_list *l)
{
	struct strbuf all = STRBUF_INIT;
	int rc;

	if (l->count + l->dropped <= RUN_DIAG_SHOWN)
		return 0;
	for (size_t k = 0; k < l->count; k++) {
		diag_line(&all, &l->items[k]);
		strbuf_puts(&all, "\n");
	}
	if (l->dropped)
		strbuf_addf(&all, "and %zu more not kept\n", l->dropped);
	rc = put_strbuf(r, rel, &all, 0);
	strbuf_release(&all);
	return rc;
}

/* Writes report.txt and report.html (not synced: the status file is what says what happened). */
static int write_reports(struct run *r, int status)
{
	struct strbuf t = STRBUF_INIT, h = STRBUF_INIT;
	char finished[32];
	int rc;

	utc_stamp(finished, sizeof finished, "%Y-%m-%dT%H:%M:%SZ");
	/* the whole lists the report and the log show the first RUN_DIAG_SHOWN of (QA: 300 H/P
	   errors of a history bundle: 50 in the report, and the log sent the reader there) */
	if (put_list(r, RUN_MERGE_LIST, &r->merge_diags) != 0 ||
	    put_list(r, RUN_STAGE_LIST, &r->stage_diags) != 0)
		return -1;
	for (size_t i = 0; i < r->n; i++)
		if (r->e[i].checks_stale && put_checks(r, i, 0) != 0)
			return -1;
	mark_listed(r);
	text_report(r, status, finished, &t);
	html_report(r, status, finished, &h);
	rc = put_strbuf(r, "report.txt", &t, 0) == 0 && put_strbuf(r, "report.html", &h, 0) == 0 ? 0 : -1;
	strbuf_release(&t);
	strbuf_release(&h);
	if (rc == 0) {
		char *txt = run_path_shown(r, "report.txt"), *html = run_path_shown(r, "report.html");
		run_log(r, "report: %s, %s", txt ? txt : "report.txt", html ? html : "report.html");
		free(txt);
		free(html);
	}
	return rc;
}

/* The first RUN_DIAG_SHOWN diagnostics of l into the log, each after "what: ", then how many
   more (every one: the run folder's file rel, put_list). */
static void log_list(struct run *r, const char *what, const struct diag_list *l, const char *rel)
{
	char more[240];
	struct strbuf one = STRBUF_INIT;

	for (size_t k = 0; k < l->count && k < RUN_DIAG_SHOWN; k++) {
		one.len = 0;
		diag_line(&one, &l->items[k]);
		run_log(r, "%s: %s", what, one.data ? one.data : "");
	}
	if (*more_words(l, rel, more, sizeof more))
		run_log(r, "%s: %s", what, more);
	strbuf_release(&one);
}

/* Every diagnostic of the i-th entry into checks/NNN.txt (again, whole, when a later stage adds
   one); with log, the first RUN_DIAG_SHOWN into the log. 0, or -1 with errno set. */
static int put_checks(struct run *r, size_t i, int log)
{
	const struct entry *e = &r->e[i];
	struct strbuf all = STRBUF_INIT;
	char more[240], rel[64];
	int rc;

	for (size_t k = 0; k < e->diags.count; k++) {
		diag_line(&all, &e->diags.items[k]);
		strbuf_puts(&all, "\n");
		if (log && k < RUN_DIAG_SHOWN) {
			struct strbuf one = STRBUF_INIT;
			diag_line(&one, &e->diags.items[k]);
			run_log(r, "check: %s", one.data ? one.data : "");
			strbuf_release(&one);
		}
	}
	if (e->diags.dropped)
		strbuf_addf(&all, "%s: and %zu more not kept (%zu error%s, %zu warning%s in all)\n",
			    e->display, e->diags.dropped, e->diags.errors,
			    e->diags.errors == 1 ? "" : "s", e->diags.warnings,
			    e->diags.warnings == 1 ? "" : "s");
	snprintf(rel, sizeof rel, "checks/%03zu.txt", i + 1);
	if (log && *more_words(&e->diags, rel, more, sizeof more))
		run_log(r, "check: %s: %s", e->display, more);
	rc = put_strbuf(r, rel, &all, 0);
	strbuf_release(&all);
	return rc;
}

/* Every diagnostic of each file into checks/NNN.txt; the first RUN_DIAG_SHOWN into the log. */
static int write_checks(struct run *r)
{
	int rc = 0;

	for (size_t i = 0; i < r->n && rc == 0; i++)
		if (r->e[i].diags.count)
			rc = put_checks(r, i, 1);
	log_list(r, "merge", &r->merge_diags, RUN_MERGE_LIST);
	log_list(r, "publish", &r->stage_diags, RUN_STAGE_LIST);
	return rc;
}

/* ---- the publish: one rename of latest, then the status ---- */

/* fsync of a folder, by its path relative to OUTDIR. */
static int sync_dir(const struct run *r, const char *rel)
{
	int fd = openat(r->outfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc, e;
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

/*
 * The published bundle OUTDIR/mappa-PERIOD.EXT is a symbolic link to latest/bundle/ its name,
 * and latest a symbolic link to runs/RUN-ID, whose bundle/ folder holds the run's bundle and a
 * link to every other period's bundle published when it ran: the rename of latest over the old
 * one publishes the run, its bundle and every period's at once, so latest and the bundles
 * always agree, whenever the run stops. In order:
 * 1. refuse a folder (or anything but a file or a link) at the bundle's name or at latest;
 * 2. carry the other periods (carry_periods), then fsync the run's bundle/ folder, the run
 *    folder and runs/ (the bundle file already is): what latest will name is on disk before
 *    latest names it ("synced");
 * 3. the bundle's name becomes a link to latest/bundle/NAME when latest's run has such a bundle
 *    now (a revision of a period: the same file, until the rename), or when the name shows
 *    nothing now (it resolves from the rename on) ("linked"): killed after the rename, a run
 *    leaves a new period named (QA: made only in 5, a first publish killed between the two
 *    was published under no name until the next run);
 * 4. a link runs/RUN-ID made under a temporary name ("symlinked") is renamed over latest and
 *    OUTDIR fsync'd: published ("pointed");
 * 5. every name latest's bundle folder has, through latest: a first publish of a period, a
 *    file put there by hand or a link from an earlier layout (link_names); this period's other
 *    format goes;
 * 6. the status, "status 0", written and fsync'd ("finished").
 * A run killed before 4 leaves the publication as it was (and at most a temporary name, or a
 * new period's name leading nowhere yet, for the next run to remove); killed after 4, it has
 * published, and the next run makes the names and records its status (recover()).
 */
/* A failure after the publish: logged, and cron's warning when it is the first (the one
   standard error says). */
/*
 * Whether a file stands at the bundle's name that the publish would replace unread: 1, else 0.
 * It is replaced only when it is the bundle this run read from OUTDIR as the period's
 * publication (checked against its record), or latest's bundle byte for byte. One beside the
 * other format's bundle was never read (QA: an operator's file at mappa-2022-23.zip, the
 * period published as .tar.gz, replaced by --format zip with exit 0).
 */
static int stray_file(struct run *r)
{
	char target[300];
	struct stat st;

	if (fstatat(r->outfd, r->bundle_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
		return 0; /* nothing there, a link, or refused above */
	if (!r->o->history && republishing(r) &&
	    strcmp(r->hist.series.before.file, r->bundle_name) == 0)
		return 0;
	snprintf(target, sizeof target, "latest/bundle/%s", r->bundle_name);
	return !same_bytes(r, r->bundle_name, target);
}

/* OUTDIR/.lock removed or replaced while the run held it (lock_is_ours): nothing published. */
static int fail_lock_lost(struct run *r)
{
	return fail(r, EX_TEMPFAIL, "'%s/.lock' is no longer the file this run locked (removed or "
		    "replaced while it ran: another run may be publishing, or have published): "
		    "nothing published; run again", r->q_outdir);
}

/* The run folder removed while the run ran (run_folder_is_ours): nothing published. */
static int fail_run_folder_gone(struct run *r)
{
	return fail(r, EX_CANTCREAT, "the run folder '%s' is no longer there, or not with its "
		    "bundle (removed while the run ran: remove only run folders with no 'status 0' "
		    "when no run is going on, docs/operations.md): nothing published; run again",
		    r->rundir);
}

/* The bundle's name made in publish's step 3 (made: there was none), removed when it still
   links through latest: a publish that stops after it leaves OUTDIR as it was. */
static void unmake_name(struct run *r, int made)
{
	char target[300];

	snprintf(target, sizeof target, "latest/bundle/%s", r->bundle_name);
	if (made && links_to(r, r->bundle_name, target) && unlinkat(r->outfd, r->bundle_name, 0) == 0)
		fsync(r->outfd);
}

static int publish(struct run *r)
{
	char target[300], rel[200], lost[600];
	const char *what = NULL;
	struct stat st;
	int e, bfd, made_name = 0;

	/* the lock removed or replaced while this run held it (by hand, "a stale lock"): another
	   run may have published since, or be publishing (QA: two runs published, and the older
	   data won over the newer) */
	if (!lock_is_ours(r))
		return fail_lock_lost(r);
	if (check_slot(r, "latest", S_IFLNK) != 0)
		what = "latest";
	else if (bundle_slot_taken(r, r->bundle_name))
		what = r->bundle_name;
	if (what)
		return fail(r, EX_CANTCREAT, "something other than a %s stands at '%s/%s': refused, nothing replaced",
			    what == r->bundle_name ? "file or a symbolic link" : "symbolic link", r->q_outdir,
			    what);
	if (stray_file(r))
		return fail(r, EX_CANTCREAT, "a file stands at '%s/%s' that this run did not read as "
			    "the period's publication%s: refused, nothing replaced (move it away, or "
			    "publish in the format it is)", r->q_outdir, r->bundle_name,
			    !r->o->history && republishing(r)
				    ? " (it read the other format's)" : "");
	if ((e = carry_periods(r, lost, sizeof lost)) != 0) {
		if (e == -2 && fstatat(r->outfd, "latest", &st, AT_SYMLINK_NOFOLLOW) != 0 &&
		    errno == ENOENT)
			/* latest removed by hand: its names are kept, not removed (QA: every other
			   year left the series, exit 0) */
			return fail(r, EX_DATAERR, "OUTDIR's %s, and OUTDIR/latest is not there "
				    "(removed by hand?): point latest back at the run that published "
				    "last (docs/operations.md, 'Going back') and run again: nothing "
				    "published", lost);
		if (e == -2)
			return fail(r, EX_DATAERR, "OUTDIR's %s, which is not there (its run folder "
				    "removed?): restore it from a backup and run again: nothing published",
				    lost);
		if (e == -4)
			return fail(r, EX_CANTCREAT, "something other than a file or a symbolic link "
				    "stands at '%s/%s', another period's bundle name: refused, nothing "
				    "replaced (move it away: the next run makes the name again)",
				    r->q_outdir, lost);
		if (e == -3)
			return fail(r, EX_DATAERR, "OUTDIR's %s leads into a run folder this run cannot "
				    "read (Permission denied): " SERIES_GIVE_BACK ": nothing published",
				    lost);
		e = errno;
		return fail(r, write_status(e), "cannot link the other periods' bundles into '%s/bundle': %s",
			    r->rundir, strerror(e));
	}
	snprintf(rel, sizeof rel, "runs/%s/bundle", r->res->run_id);
	if (sync_dir(r, rel) != 0 || fsync(r->runfd) != 0 || sync_dir(r, "runs") != 0) {
		e = errno;
		return fail(r, write_status(e), "cannot sync the run folder '%s' to disk: %s", r->rundir,
			    strerror(e));
	}
	hook(r, "synced");

	/*
	 * 3. the bundle's name through latest, where that shows the same file until the rename,
	 * or where the name shows nothing now (a first publish in this format: the link resolves
	 * once latest names this run). Made only after the rename, a run killed there left a
	 * period switched to the other format (--format=zip after tar.gz) under no name at all:
	 * its old name resolved to nothing through the new latest, the new one was not made yet;
	 * and a first publish of a period published under no name.
	 */
	snprintf(target, sizeof target, "latest/bundle/%s", r->bundle_name);
	made_name = fstatat(r->outfd, r->bundle_name, &st, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT;
	if (!links_to(r, r->bundle_name, target) &&
	    (fstatat(r->outfd, target, &st, 0) == 0 ||
	     (fstatat(r->outfd, r->bundle_name, &st, 0) != 0 && errno == ENOENT)) &&
	    switch_link(r, r->bundle_name, target, NULL) != 0) {
		e = errno;
		return fail(r, write_status(e), "cannot link '%s/%s' to latest: %s", r->q_outdir,
			    r->bundle_name, strerror(e));
	}
	hook(r, "linked");

	/* 4. the publish, once more only while this run holds the lock at .lock (QA: removed
	   after the first check, a second run published, and this one published over it), and
	   only of a run folder still there (switch_link refuses latest at one that is not) */
	if (!lock_is_ours(r)) {
		unmake_name(r, made_name);
		return fail_lock_lost(r);
	}
	snprintf(target, sizeof target, "runs/%s", r->res->run_id);
	if (switch_link(r, "latest", target, "symlinked") != 0) {
		e = errno;
		if (!lock_is_ours(r))
			/* its temporary link removed by a run that took a new .lock (QA: 73, "No
			   such file or directory"): the name is that run's to keep or not */
			return fail_lock_lost(r);
		/* the name made in 3 (where nothing was) goes, or it dangles from the old latest: the
		   message says OUTDIR is as it was (QA: a refused rename of latest left one) */
		unmake_name(r, made_name);
		if (!run_folder_is_ours(r))
			return fail_run_folder_gone(r);
		return fail(r, write_status(e), "cannot point '%s/latest' at the run: %s: nothing published",
			    r->q_outdir, strerror(e));
	}
	r->published = 1;
	{
		char q[sizeof r->result];
		if (snprintf(r->result, sizeof r->result, "published %s",
			     bundle_phrase(r, q, sizeof q)) >= (int)sizeof r->result)
			r->result[sizeof r->result - 1] = '\0';
	}
	run_log(r, "published: %s/%s, latest -> runs/%s", r->q_outdir, r->bundle_name, r->res->run_id);
	hook(r, "pointed");
	/* 5. the names of latest's bundles; one bundle a period: this period in the other format
	   (through the old latest, it resolves to nothing now) goes */
	bfd = openat(r->runfd, "bundle", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (bfd < 0 || link_names(r, bfd, 1) != 0) {
		e = errno;
		published_warning(r, "published, but cannot link the bundles' names in '%s': %s (the "
				  "next run makes them)", r->q_outdir, strerror(e));
	}
	if (bfd >= 0)
		close(bfd);
	{
		char other[64];
		if (bundle_name_other(r->bundle_name, other, sizeof other) == 0 &&
		    snprintf(target, sizeof target, "latest/bundle/%s", other) < (int)sizeof target &&
		    links_to(r, other, target) && unlinkat(r->outfd, other, 0) == 0)
			run_log(r, "%s removed: %s is this period's bundle now", other, r->bundle_name);
	}
	if (write_reports(r, 0) != 0)
		/* the report written before the publish stays: it says the bundle was ready, and
		   that latest tells whether it was published */
		published_warning(r, "published, but cannot write the report again in '%s': %s",
				  r->rundir, strerror(errno));
	if (write_status_file(r->runfd, 0) != 0)
		/* the publish happened, and the next run records its status (recover) */
		published_warning(r, "published, but cannot write '%s/status': %s (the next run "
				  "records it)", r->rundir, strerror(errno));
	{
		/* a revision with its first release's date (QA): cron's mail says so */
		char note[600];
		if (run_history_release_note(&r->hist, &r->ds, note, sizeof note))
			published_warning(r, "published, but %s", note);
		else if (r->date_note[0]) { /* in run.log already */
			char dn[sizeof r->date_note + 16];
			snprintf(dn, sizeof dn, "published, but %s", r->date_note);
			warning_add(r, dn);
		}
	}
	hook(r, "finished");
	return EX_OK;
}

/* ---- the run ---- */

static int path_to_be(const char *path, char *out, size_t n);

/*
 * Whether --history cannot be read, before OUTDIR is made: a mistyped history folder left a
 * new OUTDIR with a run folder behind (66, QA). The history may be OUTDIR itself, not made yet
 * on a first run. 0, or the status (66) with its H01 in the setup diagnostics.
 */
__attribute__((noinline)) /* its buffers apart from start's, as path_to_be's */
static int history_missing(struct run *r)
{
	char h[RUN_PATH_MAX], o[RUN_PATH_MAX], qh[RUN_PATH_MAX];
	int fd = open(r->o->history, O_RDONLY | O_DIRECTORY | O_CLOEXEC), e = errno;

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	/* (not through "..": the kernel does not pass through a folder that is not there, and
	   nosuch/../OUTDIR left OUTDIR and a run folder behind, QA) */
	if (!strstr(r->o->history, "..") && path_to_be(r->o->history, h, sizeof h) == 0 &&
	    path_to_be(r->o->outdir, o, sizeof o) == 0 && strcmp(h, o) == 0)
		return 0;
	quote_arg_buf(qh, sizeof qh, r->o->history);
	diag_add_errno(&r->res->setup, r->o->history, "H01", e, "cannot read: %s", strerror(e));
	return fail(r, EX_NOINPUT, "cannot read the history folder %s: %s; nothing done", qh,
		    strerror(e));
}

/*
 * Where path will be once made: the real path of its longest existing prefix (links
 * resolved) with the rest appended. 0, or -1 when that does not fit in n or cannot be found.
 */
__attribute__((noinline)) /* its buffers apart from start's: no frame over 16 KB */
static int path_to_be(const char *path, char *out, size_t n)
{
	char head[RUN_PATH_MAX], real[RUN_PATH_MAX];
	size_t len = strlen(path), cut;

	if (len == 0 || len >= sizeof head)
		return -1;
	memcpy(head, path, len + 1);
	/* every turn cuts head shorter or ends: with the working folder removed, "." itself is
	   not there, and a loop that tried it again spun at full CPU forever (QA) */
	for (cut = len;;) {
		char *slash;
		head[cut] = '\0';
		if (realpath(cut ? head : ".", real))
			break;
		if (errno != ENOENT || cut == 0)
			return -1;
		slash = strrchr(head, '/');
		if (!slash) {
			cut = 0;
			continue;
		}
		cut = (size_t)(slash - head);
		if (cut == 0) {
			if (!realpath("/", real))
				return -1;
			break;
		}
	}
	/*
	 * the part that is not there yet, taken as mkdir_p takes it: none of it is a link, so
	 * 'nx/../in9/out' is in9/out (mkdir_p makes nx and goes back up; QA: taken as written, it
	 * was no path under INBOX, and the run was written into the inbox, exit 0)
	 */
	if (snprintf(out, n, "%s", real) >= (int)n)
		return -1;
	len = strlen(out);
	for (const char *p = path + cut; *p;) {
		size_t k;
		while (*p == '/')
			p++;
		k = strcspn(p, "/");
		if (k == 2 && p[0] == '.' && p[1] == '.') {
			char *up = strrchr(out, '/');
			len = up && up > out ? (size_t)(up - out) : 1;
			out[len] = '\0';
		} else if (k > 0 && !(k == 1 && p[0] == '.')) {
			int root = len == 1 && out[0] == '/';
			if (len + k + 2 > n)
				return -1;
			if (!root)
				out[len++] = '/';
			memcpy(out + len, p, k);
			len += k;
			out[len] = '\0';
		}
		p += k;
	}
	return 0;
}

/* Whether a folder above the absolute path resolved (its own name aside) is the folder dir.
   Cuts resolved as it goes. */
static int under_folder(char *resolved, const struct stat *dir)
{
	struct stat up;

	for (char *slash = strrchr(resolved, '/'); slash; slash = strrchr(resolved, '/')) {
		*slash = '\0';
		if (stat(resolved[0] ? resolved : "/", &up) == 0 && up.st_dev == dir->st_dev &&
		    up.st_ino == dir->st_ino)
			return 1;
	}
	return 0;
}

/*
 * Whether path (or, not there yet, the folder it would be made in) is inside a run folder of
 * some OUTDIR (a folder OUTDIR/runs/RUN-ID, OUTDIR holding a .lock): a run folder stays as its
 * run left it, and an OUTDIR there (OUTDIR/latest, a slip for OUTDIR) wrote runs/, latest and
 * a bundle name into a published run folder, exit 0 (QA; INBOX was refused so already).
 */
static int in_run_folder(const char *path)
{
	char buf[RUN_PATH_MAX], real[PATH_MAX];

	if (nearest_existing(path, buf) != 0 || !realpath(buf, real))
		return 0;
	for (char *slash = strrchr(real, '/'); slash && slash > real; slash = strrchr(real, '/')) {
		char *up;
		struct stat st;
		*slash = '\0'; /* real: the folder above; slash + 1: the name below it */
		up = strrchr(real, '/');
		if (!up || strcmp(up + 1, "runs") != 0 || !is_run_id(slash + 1))
			continue;
		*up = '\0';
		if (snprintf(buf, sizeof buf, "%s/.lock", real[0] ? real : "") < (int)sizeof buf &&
		    lstat(buf, &st) == 0)
			return 1;
		*up = '/';
	}
	return 0;
}

static const char inside_inbox[] = "OUTDIR must not be inside INBOX (INBOX is only read: nothing "
				   "in it is changed; here through another path to it)";

/* The repairs of OUTDIR made before a run that stopped with no run folder, for the caller to
   print (they were logged nowhere; QA). */
static void notes_to_warning(struct run *r)
{
	size_t k = 0;

	if (!r->notes.len)
		return;
	k = (size_t)snprintf(r->res->warning, sizeof r->res->warning, "before it stopped, OUTDIR was repaired: ");
	for (size_t i = 0; i < r->notes.len && k + 3 < sizeof r->res->warning; i++) {
		char c = r->notes.data[i];
		if (c != '\n')
			r->res->warning[k++] = c;
		else if (i + 1 < r->notes.len) {
			r->res->warning[k++] = ';';
			r->res->warning[k++] = ' ';
		}
	}
	r->res->warning[k] = '\0';
}

/* not inlined: its path buffers in run_execute's frame made it over 16 KB (Makefile FRAME) */
__attribute__((noinline)) static int start(struct run *r, int *infd)
{
	struct stat in, out;
	struct statvfs vfs;
	char real[RUN_PATH_MAX], qa[620]; /* qa: a name in a message (as_arg) */
	struct diag_list d = DIAG_LIST_INIT;
	unsigned char made[RUN_PATH_MAX]; /* the folders of OUTDIR's path this run made (mkdir_p) */
	int rc;

	quote_name_buf(r->q_inbox, sizeof r->q_inbox, r->o->inbox);
	quote_name_buf(r->q_outdir, sizeof r->q_outdir, r->o->outdir);
	rc = run_protect(r, RUN_PROTECT_POLICY, NULL, &d);
	if (rc != 0) {
		char *q = real; /* one buffer less: no frame over 16 KB (Makefile FRAME) */
		int e = errno;
		quote_arg_buf(q, sizeof real, r->o->policy ? r->o->policy : "policy/default.xml");
		if (rc == -2) /* its C01 is in d, printed by the caller whatever the status (QA) */
			fail(r, EX_NOINPUT, "cannot read the policy %s: %s", q, xmlsafe_strerror(e));
		else
			fail(r, EX_DATAERR, "the policy %s is not valid (%zu error%s above)", q,
			     d.errors, d.errors == 1 ? "" : "s");
		/* the caller prints them, at their lines; the list is the result's now */
		r->res->setup = d;
		return r->status;
	}
	*infd = open(r->o->inbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*infd < 0 || fstat(*infd, &in) != 0)
		return fail(r, EX_NOINPUT, "cannot read the inbox %s: %s",
			    as_arg(qa, sizeof qa, r->q_inbox), strerror(errno));
	/* a folder listed but not searched: every return in it was "vanished while the inbox was
	   read" (R03, 65; QA: chmod 644 on the inbox). The inbox as a whole cannot be read. */
	if (faccessat(*infd, ".", X_OK, AT_EACCESS) != 0)
		return fail(r, EX_NOINPUT, "cannot read the inbox %s: %s (it can be listed, but the "
			    "files in it cannot be opened: it needs search permission, x); nothing done",
			    as_arg(qa, sizeof qa, r->q_inbox), strerror(errno));
	/*
	 * A relative OUTDIR in a working folder that was removed: no path to it can be found, and
	 * mkdir_p would make '../x' beside the removed folder (the kernel still walks '..' from
	 * it). Refused before anything is made (QA: the run spun at full CPU in path_to_be).
	 */
	/* (realpath of "." itself succeeds under a folder without search permission for the
	   run's user, from the kernel's getcwd: the path is then tried, QA) */
	if (r->o->outdir[0] != '/' && (!realpath(".", real) || faccessat(AT_FDCWD, real, X_OK, AT_EACCESS) != 0)) {
		if (errno == ENOENT)
			return fail(r, EX_CANTCREAT, "cannot create '%s': the working folder was "
				    "removed, and OUTDIR is a path from it; nothing made (give OUTDIR "
				    "as an absolute path)", r->q_outdir);
		/* nor when the working folder's own path cannot be found (a folder above it
		   without search permission, or deeper than PATH_MAX): OUTDIR was made, and the
		   run then failed with "cannot enter" blaming it, an empty OUTDIR left (QA) */
		return fail(r, EX_CANTCREAT, "cannot create '%s': the path of the working folder "
			    "cannot be found (%s), and OUTDIR is a path from it; nothing made (give "
			    "OUTDIR as an absolute path)", r->q_outdir, strerror(errno));
	}
	/* INBOX is only read: an OUTDIR inside it would be made there (and listed next time) */
	{
		char rin[RUN_PATH_MAX], *rout = real; /* real is free until below */
		size_t k;
		if (realpath(r->o->inbox, rin) && path_to_be(r->o->outdir, rout, sizeof real) == 0 &&
		    (k = strlen(rin), strncmp(rout, rin, k) == 0) &&
		    (rout[k] == '\0' || rout[k] == '/' || (k == 1 && rin[0] == '/')))
			return fail(r, EX_USAGE, rout[k] == '\0' ? "INBOX and OUTDIR must be different folders"
								 : "OUTDIR must not be inside INBOX (INBOX is only read: nothing in it is changed)");
		/* and by what the folders are, not their paths: INBOX reached through a bind mount
		   (QA: OUTDIR under a bind mount of INBOX wrote the run into the inbox, exit 0) */
		if (path_to_be(r->o->outdir, rout, sizeof real) == 0 && under_folder(rout, &in))
			return fail(r, EX_USAGE, "%s", inside_inbox);
	}
	/*
	 * The run keeps the operator's umask, but one that takes the owner's own permissions made
	 * OUTDIR a folder its owner could not enter (umask 777: mode 000, left behind) or a .lock
	 * of mode 400 that every later run, whatever its umask, could not open (73 until someone
	 * changed its mode by hand; QA). Refused before anything is made.
	 */
	{
		mode_t mask = umask(0);
		umask(mask);
		if (mask & 0700)
			return fail(r, EX_CANTCREAT, "the umask %04o takes the owner's own permissions: "
				    "the run could not use what it makes; nothing done (use 022 or 077)",
				    (unsigned)mask);
	}
	if (r->o->history && history_missing(r) != 0)
		return r->status;
	{
		struct stat pre;
		r->created_outdir = lstat(r->o->outdir, &pre) != 0 && errno == ENOENT;
	}
	if (in_run_folder(r->o->outdir))
		return fail(r, EX_USAGE, "OUTDIR must not be inside a run folder of an OUTDIR (a run "
			    "folder stays as its run left it): give the OUTDIR itself, the folder "
			    "that holds latest and runs/");
	if (r->created_outdir) {
		/* short of space, a new OUTDIR is not made (QA: refused with it and its .lock
		   left behind); an existing one is checked below, under the lock */
		long long avail = free_kib(r->o->outdir);
		if (avail >= 0 && avail < r->o->min_free_kb)
			return fail(r, EX_CANTCREAT,
				    "only %lld KiB free on the file system of %s (at least %lld KiB "
				    "needed): nothing made",
				    avail, as_arg(qa, sizeof qa, r->q_outdir), r->o->min_free_kb);
	}
	if (mkdir_p(r->o->outdir, made) != 0) {
		int e = errno;
		unmake_dirs(r->o->outdir, made);
		return fail(r, EX_CANTCREAT, "cannot create %s: %s", as_arg(qa, sizeof qa, r->q_outdir),
			    strerror(e));
	}
	r->outfd = open(r->o->outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->outfd < 0 || fstat(r->outfd, &out) != 0 || !realpath(r->o->outdir, real)) {
		rc = fail(r, EX_CANTCREAT, "cannot enter %s: %s", as_arg(qa, sizeof qa, r->q_outdir),
			  strerror(errno));
		goto unmade;
	}
	if (in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
		rc = fail(r, EX_USAGE, "INBOX and OUTDIR must be different folders");
		goto unmade;
	}
	snprintf(r->outdir, sizeof r->outdir, "%s", real);
	quote_name_buf(r->q_outdir, sizeof r->q_outdir, real);
	/* room below it for the run folders' files (runs/RUN-ID/bundle/..., runs/RUN-ID/inbox/
	   NAME): a path of 4,040 bytes published once, and every later run was refused, its own
	   bundle's name resolving past PATH_MAX (QA) */
	if (strlen(real) > RUN_OUTDIR_MAX) {
		rc = fail(r, EX_CANTCREAT, "the path of OUTDIR is %zu bytes long: at most %d (the "
			    "files of its run folders are named below it); choose a shorter one: "
			    "nothing made", strlen(real), RUN_OUTDIR_MAX);
		goto unmade;
	}
	/* and once more where OUTDIR is now, for a path the check above could not resolve */
	if (under_folder(real, &in)) {
		rc = fail(r, EX_USAGE, "%s", inside_inbox);
		goto unmade;
	}
	/* nor INBOX OUTDIR/runs, where the run folder is made (QA: exit 0, and a run folder in the
	   inbox); a run folder's inbox (going back, docs/operations.md) is not written to */
	{
		struct stat runs;
		if (fstatat(r->outfd, "runs", &runs, AT_SYMLINK_NOFOLLOW) == 0 &&
		    runs.st_dev == in.st_dev && runs.st_ino == in.st_ino) {
			rc = fail(r, EX_USAGE, "INBOX must not be OUTDIR/runs (the run folder would be "
				  "made in it, and INBOX is only read: nothing in it is changed)");
			goto unmade;
		}
	}
	if (realpath(r->o->inbox, real)) {
		/* nor a run folder of OUTDIR (OUTDIR/latest, a slip for its inbox/ when going
		   back): the repairs write its status (QA), and INBOX is only read */
		size_t olen = strlen(r->outdir);
		quote_name_buf(r->q_inbox, sizeof r->q_inbox, real);
		if (strncmp(real, r->outdir, olen) == 0 && strncmp(real + olen, "/runs/", 6) == 0 &&
		    real[olen + 6] && !strchr(real + olen + 6, '/')) {
			rc = fail(r, EX_USAGE, "INBOX must not be a run folder of OUTDIR (INBOX is "
				  "only read, and a run writes into OUTDIR's run folders); going back, "
				  "its returns are in its inbox/ folder");
			goto unmade;
		}
	}
	if (take_lock(r) != EX_OK) {
		rc = r->status;
		goto unmade;
	}
	/* before the repairs, which read latest and write into its run folder: what refuses the
	   run changes nothing (a run short of space repaired OUTDIR first, and a link at runs put
	   a status 0 into another folder; QA) */
	if (check_slot(r, "latest", S_IFLNK) != 0)
		return fail(r, EX_CANTCREAT, "something other than a symbolic link stands at '%s/latest': refused, nothing replaced (move it away)",
			    r->q_outdir);
	if (check_slot(r, "runs", S_IFDIR) != 0)
		/* a link there would put the run folder (the true values) somewhere else */
		return fail(r, EX_CANTCREAT, "something other than a folder stands at '%s/runs': refused, nothing made (move it away)",
			    r->q_outdir);
	if (fstatvfs(r->outfd, &vfs) == 0) {
		unsigned long long kib = (unsigned long long)vfs.f_bavail * (vfs.f_frsize / 1024);
		long long avail = kib > (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)kib;
		if (avail < r->o->min_free_kb)
			return fail(r, EX_CANTCREAT,
				    "only %lld KiB free on the file system of '%s' (at least %lld KiB needed)",
				    avail, r->q_outdir, r->o->min_free_kb);
	}
	recover(r);
	return EX_OK;
unmade:
	/* refused before the lock was taken: the folders of OUTDIR's path this run made go (one
	   inside INBOX, reached through a link, was left there; QA), the lock's own folder
	   stays when the lock file is in it */
	if (r->outfd >= 0)
		close(r->outfd);
	r->outfd = -1;
	unmake_dirs(r->o->outdir, made);
	return rc;
}

static int make_run_folder(struct run *r)
{
	/*
	 * What holds the true values (the returns, their checks, the normalised returns) is the
	 * operator's only, whatever the umask; the bundle is public. The run folder itself stays
	 * searchable: the published name reaches the bundle through latest.
	 */
	static const char *const sub[] = { "inbox", "checks", "normalised", "bundle" };
	static const mode_t sub_mode[] = { 0700, 0700, 0700, 0755 };
	char rel[128];
	int fd;

	if (mkdirat(r->outfd, "runs", 0755) == 0)
		r->created_runs = 1;
	else if (errno != EEXIST)
		return fail(r, write_status(errno), "cannot create '%s/runs': %s", r->q_outdir, strerror(errno));
	else if (check_slot(r, "runs", S_IFDIR) != 0)
		/* a link there would put the run folder (the true values) somewhere else */
		return fail(r, EX_CANTCREAT, "something other than a folder stands at '%s/runs': refused, nothing made (move it away)",
			    r->q_outdir);
	/*
	 * RUN-ID is the second and the process id; in a container every run is process 1, and a
	 * second run in the same second found its folder there (73, "File exists"). The lock is
	 * held, so the next free "-2", "-3", ... is this run's.
	 */
	{
		char base[sizeof r->res->run_id];
		int made = -1;
		snprintf(base, sizeof base, "%s", r->res->run_id);
		for (int k = 1; k <= 100 && made != 0; k++) {
			if (k > 1 && snprintf(r->res->run_id, sizeof r->res->run_id, "%s-%d", base, k) >=
					     (int)sizeof r->res->run_id)
				break;
			snprintf(rel, sizeof rel, "runs/%s", r->res->run_id);
			if (snprintf(r->rundir, sizeof r->rundir, "%s/%s", r->q_outdir, rel) >=
			    (int)sizeof r->rundir)
				return fail(r, EX_CANTCREAT, "the name of OUTDIR is too long");
			made = mkdirat(r->outfd, rel, 0755);
			if (made != 0 && errno != EEXIST)
				break;
		}
		if (made != 0)
			return fail(r, write_status(errno), "cannot create the run folder '%s': %s",
				    r->rundir, strerror(errno));
	}
	r->runfd = openat(r->outfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (r->runfd < 0)
		return fail(r, EX_CANTCREAT, "cannot open the run folder '%s': %s", r->rundir, strerror(errno));
	fatal_runfd = r->runfd;
	fatal_lockfd = r->lockfd;
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++)
		if (mkdirat(r->runfd, sub[i], sub_mode[i]) != 0)
			return fail(r, write_status(errno), "cannot create '%s/%s': %s", r->rundir, sub[i],
				    strerror(errno));
	fd = openat(r->runfd, "run.log", O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || !(r->log = fdopen(fd, "a"))) {
		if (fd >= 0)
			close(fd);
		return fail(r, write_status(errno), "cannot create the log '%s/run.log': %s", r->rundir,
			    strerror(errno));
	}
	fatal_logfd = fd;
	return EX_OK;
}

/* Removes the run folder (a write failure before the publish: OUTDIR as it was). */
static void remove_run_folder(struct run *r)
{
	char path[RUN_PATH_MAX + 128];
	if (r->log) {
		fclose(r->log);
		r->log = NULL;
	}
	snprintf(path, sizeof path, "%s/runs/%s", r->outdir, r->res->run_id);
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (r->created_runs)
		unlinkat(r->outfd, "runs", AT_REMOVEDIR);
}

/*
 * Whether anything of this run is still in OUTDIR after remove_run_folder: its run folder, or a
 * name in OUTDIR holding its run id (.latest.tmp-RUN and the like). 1 with the first, quoted,
 * in left (size bytes); 0 when OUTDIR is as it was.
 */
static int run_leftover(struct run *r, char *left, size_t size)
{
	char rel[RUN_PATH_MAX], q[RUN_PATH_MAX];
	struct stat st;
	struct dirent *de;
	int fd, found = 0;
	DIR *dir;

	snprintf(rel, sizeof rel, "runs/%s", r->res->run_id);
	if (fstatat(r->outfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		snprintf(left, size, "%s", quote_name_buf(q, sizeof q, rel));
		return 1;
	}
	/* the bundle's name made before the switch of latest failed, leading nowhere */
	if (r->bundle_name[0] && fstatat(r->outfd, r->bundle_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode) && fstatat(r->outfd, r->bundle_name, &st, 0) != 0 && errno == ENOENT) {
		snprintf(left, size, "%s, a name that leads nowhere",
			 quote_name_buf(q, sizeof q, r->bundle_name));
		return 1;
	}
	fd = openat(r->outfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (!found && (de = readdir(dir)) != NULL)
		if (strstr(de->d_name, r->res->run_id)) {
			snprintf(left, size, "%s", quote_name_buf(q, sizeof q, de->d_name));
			found = 1;
		}
	closedir(dir);
	return found;
}

/* EX_OK, or the write status once a line of the log could not be written. */
static int log_ok(struct run *r)
{
	if (r->log_failed)
		return fail(r, write_status(r->log_errno), "cannot write the log '%s/run.log': %s",
			    r->rundir, strerror(r->log_errno));
	return EX_OK;
}

/*
 * The release dates against the period the returns are of (publish_release_check_dates: the end
 * of the period, the default of a date not given), before the costly steps: the bundle refused
 * them after the suppression and its audit, as an internal error (70). The --release file's
 * date is an invalid file (65, L04 at the line of its element, in the report and on stderr),
 * an option's bad usage (64, naming the option); either message names the rule.
 */
static int check_release_dates(struct run *r)
{
	struct diag_list rd = DIAG_LIST_INIT;
	const char *rf = r->o->release_file;
	const struct publish_release_lines at = { .date = r->o->release_date_line,
						  .next = r->o->release_next_line };
	enum publish_release_field f;
	int status = EX_OK;
	long line;

	f = publish_release_check_dates(&r->o->release, r->ds.period, rf, &at, &rd);
	if (f == PUBLISH_RELEASE_FIELD_NONE)
		goto out;
	if (rd.count == 0) {
		status = fail(r, EX_SOFTWARE, "cannot check the release dates: out of memory");
		goto out;
	}
	line = f == PUBLISH_RELEASE_FIELD_DATE ? at.date : at.next;
	if (rf && line > 0) {
		char q[RUN_PATH_MAX];
		quote_name_buf(q, sizeof q, rf);
		(void)diag_add(&r->res->setup, rd.items[0].file, rd.items[0].line, "L04", DIAG_ERROR,
			       "%s", rd.items[0].message);
		(void)diag_add(&r->stage_diags, rd.items[0].file, rd.items[0].line, "L04", DIAG_ERROR,
			       "%s", rd.items[0].message);
		status = fail(r, EX_DATAERR, "the publication file %s is not valid for %s (error[L04] "
			      "at its line %ld): nothing published", q, r->ds.period, line);
	} else {
		status = fail(r, EX_USAGE, "%s: error[L04]: %s",
			      f == PUBLISH_RELEASE_FIELD_DATE ? "--release-date" : "--next-release",
			      rd.items[0].message);
	}
out:
	diag_clear(&rd);
	return status;
}

static int pipeline(struct run *r, int infd)
{
	struct validator *v = NULL;
	struct merge *m = NULL;
	struct merge_options mo = { NULL, 0, NULL, 0 };
	struct bundle b;
	struct publish_options po = { 0 };
	struct diag_list errs = DIAG_LIST_INIT; /* why building or reading back the bundle failed */
	char rel[256], firsterr[1536];
	size_t ninvalid = 0, nstage;
	int rc, status = EX_OK;

	run_log(r, "mappa-run %s: run %s started (pid %ld)", MAPPA_VERSION, r->res->run_id, (long)getpid());
	run_log(r, "inbox: %s", r->q_inbox);
	run_log(r, "outdir: %s", r->q_outdir);
	{
		char qp[RUN_PATH_MAX], qd[64];
		quote_name_buf(qp, sizeof qp, r->o->policy ? r->o->policy : "built-in");
		quote_name_buf(qd, sizeof qd, r->o->period ? r->o->period : "auto");
		run_log(r, "options: period=%s policy=%s allow-missing=%d format=%s max-return-size=%zu max-return-seconds=%g",
			qd, qp, r->o->allow_missing, bundle_format_ext(r->o->format),
			r->o->max_return_bytes, r->o->max_return_seconds);
		{
			const struct publish_release *rl = &r->o->release;
			const char *const lab[] = { "release-date", "next-release", "producer", "contact",
						    "email", "phone", "methodology" };
			const char *const val[] = { rl->date, rl->next, rl->producer, rl->contact,
						    rl->email, rl->phone, rl->methodology };
			for (size_t i = 0; i < sizeof lab / sizeof lab[0]; i++) {
				quote_name_buf(qp, sizeof qp, val[i] ? val[i] : "the demo default");
				run_log(r, "release: %s=%s", lab[i], qp);
			}
		}
	}
	if (r->notes.len) {
		for (char *line = r->notes.data, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
			*nl = '\0';
			run_log(r, "recovered: %s", line);
		}
	}
	if ((status = log_ok(r)) != EX_OK)
		return status;
	hook(r, "locked");

	if ((status = list_inbox(r, infd)) != EX_OK)
		return status;
	run_log(r, "inbox: %zu entries", r->n);
	v = validator_new(r->defs, r->areas, NULL, 0, NULL, &r->stage_diags);
	mo.period = r->o->period;
	mo.allow_missing = 1; /* missing areas are decided below, with the figures for the report */
	mo.name = "merge";
	m = merge_new(r->defs, r->areas, &mo);
	if (!v || !m) {
		status = fail(r, EX_SOFTWARE, "cannot start the validator: %s",
			      v || !r->stage_diags.count ? "out of memory" : r->stage_diags.items[0].message);
		goto out;
	}
	status = read_returns(r, infd, v, m);
	if (status != EX_OK)
		goto out;
	hook(r, "copied");
	for (size_t i = 0; i < r->n; i++)
		ninvalid += (size_t)entry_is_invalid(&r->e[i]);
	run_log(r, "returns: %zu read, %zu invalid", r->nread, ninvalid);
	hook(r, "validated");
	hook(r, "normalised");
	merge_all(r, m);
	{
		size_t before = ninvalid;
		ninvalid = 0;
		for (size_t i = 0; i < r->n; i++)
			ninvalid += (size_t)entry_is_invalid(&r->e[i]);
		if (ninvalid > before)
			run_log(r, "merge: %zu more return%s refused (another period, or a conflict): %zu invalid",
				ninvalid - before, ninvalid - before == 1 ? "" : "s", ninvalid);
	}
	if ((status = log_ok(r)) != EX_OK || write_checks(r) != 0) {
		if (status == EX_OK)
			status = fail(r, write_status(errno), "cannot write '%s/checks': %s", r->rundir, strerror(errno));
		goto out;
	}
	if (!r->period[0] && r->o->period)
		snprintf(r->period, sizeof r->period, "%s", r->o->period);
	hook(r, "merged");
	if (put_merge_report(r, m) != 0 || (r->merged && put_dataset(r, "national.obs", &r->ds) != 0)) {
		/* the file named (QA: "into RUN: File too large" said which folder only) */
		status = fail(r, write_status(errno), "cannot write the merge's outputs: '%s/%s': %s",
			      r->rundir, r->put_failed ? r->put_failed : "national.obs", strerror(errno));
		goto out;
	}
	if (r->merged && (status = check_release_dates(r)) != EX_OK)
		goto out;
	/* a folder or another object at the period's name in OUTDIR (either format's), refused
	   as the publish refuses it, before the history takes the period as never published
	   there (QA: a folder at mappa-2022-23.tar.gz gave S03, "latest does not lead to a
	   published bundle ... point latest at the last run", with latest sound) */
	for (int f = 0; r->merged && f < 2; f++) {
		char name[64];
		if (bundle_name(name, sizeof name, r->ds.period, f ? BUNDLE_ZIP : BUNDLE_TAR_GZ) == 0 &&
		    bundle_slot_taken(r, name)) {
			status = fail(r, EX_CANTCREAT, "something other than a file or a symbolic link "
				      "stands at '%s/%s', the period's bundle name: refused, nothing "
				      "replaced (move it away)", r->q_outdir, name);
			goto out;
		}
	}
	if (r->merged) {
		/* the history: earlier bundles (time series, revisions) and the year-on-year checks */
		const char *hdir = history_dir(r);
		char qh[RUN_PATH_MAX], qa[RUN_PATH_MAX + 2]; /* qa: qh in a message (as_arg) */
		char run[256], qrun[300];
		struct series_return *used = calloc(r->n ? r->n : 1, sizeof *used);
		size_t nused = 0;
		for (size_t i = 0; used && i < r->n; i++)
			if (r->e[i].state == ENTRY_USED && r->e[i].ret)
				used[nused++] = (struct series_return){ r->e[i].ret, r->e[i].name };
		quote_name_buf(qh, sizeof qh, hdir);
		/* its diagnostics go to the report; the errno kept says which status (66, 70, 65) */
		run_log(r, "history: %s", qh);
		size_t nhist = r->stage_diags.count;
		rc = used ? run_history_load(&r->hist, r->defs, r->areas, &r->policy, hdir, qh, &r->ds, used, nused,
					     &r->o->yoy, &r->stage_diags) : -1;
		/* a file the history did not read (the other format's bundle of a period beside
		   its .tar.gz): cron's mail says so too (QA: an operator's file at
		   mappa-2022-23.zip, left there with exit 0, said in run.log alone) */
		for (size_t i = nhist; rc == 0 && i < r->stage_diags.count; i++) {
			const struct diag *g = &r->stage_diags.items[i];
			char w[sizeof r->res->warning], qf[300];
			if (g->severity != DIAG_WARNING || strcmp(g->rule, "H01") != 0)
				continue;
			snprintf(w, sizeof w, "%s: %.600s", quote_name_buf(qf, sizeof qf, g->file),
				 g->message);
			warning_add(r, w);
		}
		/* its diagnostics and the year-on-year warnings in the log too, capped as a file's
		   (QA: H01-H04 and Y01-Y03 were in the report only) */
		log_list(r, "history", &r->stage_diags, RUN_STAGE_LIST);
		if (rc == 0)
			log_list(r, "year-on-year", &r->hist.yoy, "the report");
		if (rc != 0) {
			int e = used ? diag_errnum(&r->stage_diags) : ENOMEM;
			free(used);
			if (e) {
				/* its H01, as mappa-publish --history says it (QA: it had no rule) */
				diag_add_errno(&r->res->setup, hdir, "H01", e, "cannot read: %s",
					       e == ENOMEM ? "out of memory" : strerror(e));
				status = fail(r, e == ENOMEM ? EX_SOFTWARE : EX_NOINPUT,
					      "cannot read the history folder %s: %s",
					      as_arg(qa, sizeof qa, qh),
					      e == ENOMEM ? "out of memory" : strerror(e));
			}
			else if (denied(&r->stage_diags))
				/* no damage: a run folder of another user's (root's run by hand) that
				   this one cannot read; cron's mail says so (QA: it read "damaged ...
				   restore from a backup") */
				status = fail(r, EX_DATAERR,
					      "a run folder in %s cannot be read (Permission denied): "
					      SERIES_GIVE_BACK "; see the report: nothing published",
					      as_arg(qa, sizeof qa, qh));
			else if (!history_elsewhere(r) && latest_broken(r) &&
				 runs_published(r, r->ds.period, run, sizeof run))
				/* latest removed by hand, or pointed at a run that did not publish: its
				   names are kept, and lead nowhere (QA: they were removed, and the years
				   left the series) */
				status = fail(r, EX_DATAERR, "%s was published by the run folder runs/%s, "
					      "but OUTDIR's latest does not lead to a published bundle of it "
					      "(removed, or pointed at a run that did not publish): "
					      "point latest at the last run that published (docs/operations.md, "
					      "'Going back') and run again: nothing published", r->ds.period,
					      quote_name_buf(qrun, sizeof qrun, run));
			else if (!history_elsewhere(r) && latest_broken(r) && any_run_published(r))
				status = fail(r, EX_DATAERR, "OUTDIR's latest does not lead to a published "
					      "bundle (removed, or pointed at a run that did not publish), and a "
					      "run folder published before: point latest at the "
					      "last run that published (docs/operations.md, 'Going back') and "
					      "run again: nothing published");
			else
				status = fail(r, EX_DATAERR,
					      "a published bundle in %s is refused (missing, damaged, changed after "
					      "publication or foreign; see the report): nothing published, and it is left as it is",
					      as_arg(qa, sizeof qa, qh));
			goto out;
		}
		free(used);
		run_log(r, "history: %zu earlier periods, %s; year-on-year: %d warnings",
			r->hist.series.nperiods, r->hist.series.republished ? "republished" : "first publication",
			r->hist.nyoy);
		{
			/* a year the bundle revised shows in its series, with no bundle now: refused
			   (QA: removed from OUTDIR, or --history dropped as the S03 below advised,
			   the revision went out without it, exit 0) */
			char gone[200], at[RUN_PATH_MAX + 100];
			if (series_dropped(&r->hist.series, gone, sizeof gone)) {
				snprintf(at, sizeof at, "%s/%s", hdir, r->hist.series.before.file);
				diag_add(&r->stage_diags, at, 0, "H05", DIAG_ERROR,
					 "this publication of %s shows %s in its time series, and the "
					 "history folder has no bundle of %s now: put %s back (from "
					 "where the run that published it read them) and run again",
					 r->ds.period, gone, gone, strchr(gone, ',') ? "them" : "it");
				status = fail(r, EX_DATAERR, "error[H05]: the bundle of %s published "
					      "before shows %s in its time series, and %s has no bundle of "
					      "%s now (removed, or read then from another folder with "
					      "--history): put %s back and run again: nothing published",
					      r->ds.period, gone, as_arg(qa, sizeof qa, qh), gone,
					      strchr(gone, ',') ? "them" : "it");
				goto out;
			}
		}
		{
			/* the release date the bundle will give, for the report's word on a
			   revision with its first release's date */
			struct publish_release when;
			const struct entry *latest = NULL;
			publish_release_resolve(&when, &r->o->release, r->ds.period);
			snprintf(r->hist.release, sizeof r->hist.release, "%s", when.date);
			/* a release dated before a return it publishes was sent (QA: a return of
			   2026-11-30 published with --release-date 2023-04-02, exit 0): said at the
			   return's submission line, in the report and on standard error */
			for (size_t i = 0; i < r->n; i++)
				if (r->e[i].state == ENTRY_USED && r->e[i].ret &&
				    (!latest || strcmp(r->e[i].ret->submitted, latest->ret->submitted) > 0))
					latest = &r->e[i];
			if (latest && strlen(when.date) == 10 &&
			    strcmp(when.date, latest->ret->submitted) < 0) {
				char d1[40], d2[40];
				publish_release_date_text(when.date, d1, sizeof d1);
				publish_release_date_text(latest->ret->submitted, d2, sizeof d2);
				diag_add(&r->stage_diags, latest->name, latest->ret->submission_line, "L06",
					 DIAG_WARNING, "sent on %s, after the release date the bundle gives, "
					 "%s: a release dated before its data; give the day it is "
					 "released (--release-date, or the publication file's releaseDate)",
					 d2, d1);
				snprintf(r->date_note, sizeof r->date_note, "the release date %s is before "
					 "%s, when %s was sent: give the day it is released (--release-date)",
					 d1, d2, latest->display);
				run_log(r, "warning: %s", r->date_note);
			}
			/* returns sent after today (W02 each, in the report only): said to cron
			   too (QA: a whole period of 2030-31, sent in 2031, published in silence),
			   after the release date's note when there is one (QA: lost beside it) */
			if (latest) {
				char today[16];
				size_t later = 0;
				if (isodate_today(today, sizeof today) == 0)
					for (size_t i = 0; i < r->n; i++)
						if (r->e[i].state == ENTRY_USED && r->e[i].ret &&
						    strcmp(r->e[i].ret->submitted, today) > 0)
							later++;
				if (later) {
					size_t at = strlen(r->date_note);
					char w02[sizeof r->date_note];
					snprintf(w02, sizeof w02, "%zu return%s %s sent after today "
						 "(%s, UTC), the latest %s on %s: check the dates (W02) "
						 "and the system clock", later, later == 1 ? "" : "s",
						 later == 1 ? "was" : "were", today, latest->display,
						 latest->ret->submitted);
					run_log(r, "warning: %s", w02);
					snprintf(r->date_note + at, sizeof r->date_note - at, "%s%s",
						 at ? "; and " : "", w02);
				}
			}
		}
		po.series = &r->hist.series;
	}
	{
		struct strbuf why = STRBUF_INIT, missing = STRBUF_INIT;
		for (size_t i = 0; (r->merged || r->provisional) && i < r->ds.nareas; i++)
			if (r->ds.areas[i].state != AREA_PRESENT)
				strbuf_addf(&missing, " %s", r->ds.areas[i].code);
		if (ninvalid)
			strbuf_addf(&why, "%zu invalid return%s", ninvalid, ninvalid == 1 ? "" : "s");
		if (r->nread == 0 || (!r->merged && r->nread == ninvalid))
			strbuf_addf(&why, "%sno valid return in the inbox", why.len ? "; " : "");
		else if (!r->merged && !r->provisional) {
			/* its first error said (QA: two periods tied gave no "give --period" on
			   standard error, only in the report) */
			const struct diag *first = NULL;
			for (size_t k = 0; k < r->merge_diags.count && !first; k++)
				if (r->merge_diags.items[k].severity == DIAG_ERROR)
					first = &r->merge_diags.items[k];
			if (first)
				strbuf_addf(&why, "%sthe merge failed: error[%s]: %s (see the merge diagnostics in the report)",
					    why.len ? "; " : "", first->rule, first->message);
			else
				strbuf_addf(&why, "%sthe merge failed (see the merge diagnostics in the report)",
					    why.len ? "; " : "");
		}
		else if (missing.len && !r->o->allow_missing) {
			strbuf_addf(&why, "%sarea%s missing:%s", why.len ? "; " : "",
				    strchr(missing.data + 1, ' ') ? "s" : "", missing.data);
			/* the true values of the publication being revised, for the report's words
			   on an area it published (QA: they came only with --allow-missing, "missing"
			   alone without); unreadable, the area is "missing" as before */
			if (republishing(r) && !r->hist.series.have_truth) {
				struct diag_list scratch = DIAG_LIST_INIT;
				(void)attach_before_truth(r, &r->hist.series, &scratch);
				diag_clear(&scratch);
			}
		}
		if (why.len) {
			r->provisional = r->merged || r->provisional;
			snprintf(r->result, sizeof r->result, "not published: %s", why.data);
			fail(r, EX_DATAERR, "%s", r->result);
			status = EX_DATAERR;
		}
		strbuf_release(&why);
		strbuf_release(&missing);
		if (status != EX_OK)
			goto out;
	}

	rc = run_protect(r, RUN_PROTECT_SUPPRESS, &r->ds, &errs);
	/* a refusal names its rule, in the report and on standard error (QA: docs/operations.md
	   promises "65, S03 in the report", and no S03 was anywhere) */
	snprintf(r->suppress_failed, sizeof r->suppress_failed, "%s",
		 first_error(&errs, 0, firsterr, sizeof firsterr));
	if (rc == -1) {
		/* out of memory is this run's fault, not the data's: 70, as for any internal error */
		if (errs.count && strcmp(errs.items[0].rule, "M05") == 0) {
			/* the data's fault, said as the merge's refusals are */
			snprintf(r->result, sizeof r->result, "not published: %.1000s",
				 r->suppress_failed);
			status = fail(r, EX_DATAERR, "%s", r->result);
			goto out;
		}
		/* by its errno, not its words (QA sweep: "internal error" with ENOMEM gave 65) */
		status = fail(r, diag_errnum(&errs) == ENOMEM || strstr(first_message(&errs), "out of memory")
					 ? EX_SOFTWARE : EX_DATAERR,
			      "the suppression failed: %s: nothing published", r->suppress_failed);
		goto out;
	}
	r->suppress_failed[0] = '\0';
	r->suppressed = 1;
	run_log(r, "suppress: %ld withheld, %ld primary, %ld secondary; audit: %zu cells, %zu too narrow (%.3f s + %.3f s)",
		r->sum.withheld, r->sum.primary, r->sum.secondary, r->sum.audited, r->sum.audit_failures,
		r->sum.seconds_suppress, r->sum.seconds_audit);
	if (rc == -2) {
		/* a policy that asks more than the budget: its line too (protect.h's second S03) */
		char q[RUN_PATH_MAX], at[RUN_PATH_MAX + 64] = "";
		if (r->sum.stopped && r->policy.interval_line > 0) {
			quote_name_buf(q, sizeof q, r->ds.policy); /* run_protect named it */
			if (snprintf(at, sizeof at, " (the policy's interval: '%s' line %ld)", q,
				     r->policy.interval_line) >= (int)sizeof at)
				at[0] = '\0';
		}
		if (!r->sum.stopped) {
			/* which figure, which reader and what it deduces are the team's, in the run
			   folder's report (600); the outcome goes to standard error and cron's mail
			   too, and named the person alone in an area's Category 4 total, and the
			   value a reader pinned (QA); its rule is no secret */
			snprintf(r->suppress_failed, sizeof r->suppress_failed, "%s", firsterr);
			for (size_t i = 0, seen = 0; i < errs.count; i++)
				if (errs.items[i].severity == DIAG_ERROR && seen++ > 0) /* past firsterr */
					strbuf_addf(&r->refused_too, "error[%s]: %s\n", errs.items[i].rule,
						    errs.items[i].message);
			if (r->sum.unprotectable > 0) /* refused before any audit (QA: "the audit
						    failed" beside "audit: not run") */
				status = fail(r, EX_DATAERR, "the suppression was refused: error[%s]: "
					      "protected figures are determined by the tables and what "
					      "is known, whatever is withheld (which, and why: the "
					      "report's 'Suppression and audit'): nothing published",
					      first_rule(&errs));
			else
				status = fail(r, EX_DATAERR, "the audit of the suppression failed: "
					      "error[%s]: no pattern protects every withheld figure from "
					      "every reader the policy names (which figure, and why: the "
					      "report's 'Suppression and audit'): nothing published",
					      first_rule(&errs));
			goto out;
		}
		status = fail(r, EX_DATAERR, "the suppression stopped at its work budget: %s%s: "
			      "nothing published", firsterr, at);
		goto out;
	}
	diag_clear(&errs); /* what is kept from here on is the bundle's */
	{
		struct strbuf s = STRBUF_INIT;
		strbuf_addf(&s, "withheld by policy: %ld cells\nprimary suppressions: %ld cells\n"
				"secondary suppressions: %ld cells\naudit: %zu suppressed cells, %zu narrower than the policy allows (%zu repair rounds)\n"
				"time: suppression %.3f s, audit %.3f s\n",
			    r->sum.withheld, r->sum.primary, r->sum.secondary, r->sum.audited,
			    r->sum.audit_failures, r->sum.repair_rounds, r->sum.seconds_suppress,
			    r->sum.seconds_audit);
		if (r->sum.earlier == PROTECT_EARLIER_JOINT)
			strbuf_addf(&s, "revision: this publication and the earlier ones audited as one "
					"linear system (the true values of %zu of them from their run "
					"folders)\n", r->earlier_truth);
		else if (r->sum.earlier == PROTECT_EARLIER_DISAGREES)
			strbuf_addf(&s, "revision: the earlier publication's figures contradict this one's "
					"for the areas taken as unchanged (a figure both withhold changed): "
					"only what it published for them is known to the audit\n");
		if (r->sum.identified)
			strbuf_addf(&s, "the reader who knows the method: %zu primar%s the pattern "
					"shows to be primary, none pinned\n", r->sum.identified,
				    r->sum.identified == 1 ? "y" : "ies");
		if (r->sum.pinned_zeros)
			strbuf_addf(&s, "published, not withheld: %zu secondary 0%s the published "
					"figures show to be 0\n", r->sum.pinned_zeros,
				    r->sum.pinned_zeros == 1 ? "" : "s");
		if (r->sum.publish_again)
			strbuf_addf(&s, "last pass: %zu published again (%s)\n", r->sum.published_again,
				    r->sum.publish_again == 1 ? "every secondary tried"
							      : "stopped at its work budget");
		/* publications.sha256 beside the true values: what a revision of this publication
		   must find again (check_publication_record); empty for a first publication */
		rc = put_strbuf(r, "suppression-report.txt", &s, 0) == 0 &&
		     put_dataset(r, "suppressed.obs", &r->ds) == 0 &&
		     put_strbuf(r, "publications.sha256", &r->pubs, 0) == 0 ? 0 : -1;
		strbuf_release(&s);
		if (rc != 0) {
			status = fail(r, write_status(errno), "cannot write '%s/%s': %s", r->rundir,
				      r->put_failed ? r->put_failed : "suppressed.obs", strerror(errno));
			goto out;
		}
	}
	hook(r, "suppressed");

	/* every failure of the publish names its rule (the outcome, the report's result): its
	   diagnostics (file:line: error[RULE]) go to the report, the first to the outcome */
	nstage = r->stage_diags.count;
	if (publish_check_policy(&r->ds, r->defs, &r->policy, r->areas, "suppressed.obs",
				 &r->stage_diags) != 0) {
		status = fail(r, EX_DATAERR, "the suppressed dataset cannot be published: %s (see the "
			      "report): nothing published",
			      first_error(&r->stage_diags, nstage, firsterr, sizeof firsterr));
		goto out;
	}
	po.release = r->o->release;
	po.policy = &r->policy; /* the prose says what this run's policy withholds */
	nstage = r->stage_diags.count;
	if (publish_bundle(&r->ds, r->defs, r->areas, &po, &b, &r->stage_diags) != 0) {
		status = fail(r, EX_SOFTWARE, "cannot build the bundle: %s",
			      first_error(&r->stage_diags, nstage, firsterr, sizeof firsterr));
		goto out;
	}
	(void)bundle_name(r->bundle_name, sizeof r->bundle_name, r->ds.period, r->o->format);
	rc = bundle_archive(&b, r->o->format, &r->archive, &errs);
	bundle_release(&b);
	if (rc != 0) {
		status = fail(r, EX_SOFTWARE, "cannot build the bundle: %s",
			      first_error(&errs, 0, firsterr, sizeof firsterr));
		goto out;
	}
	digest_sha256_hex(r->archive.data, r->archive.len, r->res->sha256);
	snprintf(rel, sizeof rel, "bundle/%s", r->bundle_name);
	if (put_file(r, rel, r->archive.data, r->archive.len, 1, 0644) != 0) {
		status = fail(r, write_status(errno), "cannot write '%s/%s': %s", r->rundir, rel, strerror(errno));
		goto out;
	}
	{
		/* the record of what this run publishes, which a later run reading it as history
		   checks the file against (series.h, the run folder's record): a bundle put in its
		   place, whole and with its own manifest, went into the next year's series (QA) */
		struct strbuf rec = STRBUF_INIT;
		strbuf_addf(&rec, "%s  %s\n", r->res->sha256, rel);
		rc = put_strbuf(r, "bundle.sha256", &rec, 1);
		strbuf_release(&rec);
		if (rc != 0) {
			status = fail(r, write_status(errno), "cannot write '%s/bundle.sha256': %s",
				      r->rundir, strerror(errno));
			goto out;
		}
	}
	hook(r, "bundled");
	rc = verify_archive(r, &errs);
	if (rc != 0) {
		status = fail(r, EX_DATAERR, "%s%s: nothing published",
			      rc == -2 ? "the audit of the bundle's observations.csv failed: " : "",
			      first_error(&errs, 0, firsterr, sizeof firsterr));
		goto out;
	}
	r->verified = 1;
	run_log(r, "bundle: %s, %zu bytes, %zu files, sha256 %s; manifest and audit pass (%zu cells audited in %.3f s)",
		r->bundle_name, r->archive.len, r->bundle_files, r->res->sha256, r->audit.audited,
		r->audit.seconds_audit);
	hook(r, "verified");

	if ((status = log_ok(r)) != EX_OK)
		goto out;
	/* no result yet: the report says the bundle is ready and not published, and publish()
	   writes it again once it is (QA: a run killed here, or refused by publish(), left a
	   report that said "published", exit 0) */
	if (write_reports(r, 0) != 0) {
		status = fail(r, write_status(errno), "cannot write the run report in '%s': %s", r->rundir,
			      strerror(errno));
		goto out;
	}
	hook(r, "reported");
	status = publish(r);
out:
	validator_free(v);
	merge_free(m);
	diag_clear(&errs);
	return status;
}

int run_execute(const struct run_options *o, const struct defs *defs, const struct areas *areas,
		struct run_result *res)
{
	struct run *r = calloc(1, sizeof *r); /* about 180 KB: off the stack frame, which
						 ulimit -v may not let grow */
	char stamp[32];
	int infd = -1, status;

	memset(res, 0, sizeof *res);
	if (!r) {
		snprintf(res->message, sizeof res->message, "out of memory");
		return EX_SOFTWARE;
	}
	r->o = o;
	r->defs = defs;
	r->areas = areas;
	r->res = res;
	r->outfd = r->lockfd = r->runfd = -1;
	dataset_init(&r->ds);
	/* the merge's and the later stages' diagnostics: each one, for checks/merge.txt and
	   checks/publish.txt (a list keeps a file's first 100 otherwise, and the report said "all
	   of them" of a file that ended "and 2480 more not kept"; QA) */
	r->merge_diags.keep = r->stage_diags.keep = RUN_DIAG_KEPT;
	strbuf_init(&r->notes);
	strbuf_init(&r->pubs);
	strbuf_init(&r->times);
	r->t_last = seconds_now();
	r->cpu_last = cpu_seconds_now();
	strbuf_init(&r->archive);
	utc_stamp(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ");
	/* the pid in 7 digits (Linux's largest is 4194304): two runs in one second sort in the
	   order they started, unless the pids wrapped (a test read run -998 as newer than -1003) */
	snprintf(res->run_id, sizeof res->run_id, "%s-%07ld", stamp, (long)getpid());
	utc_stamp(r->started, sizeof r->started, "%Y-%m-%dT%H:%M:%SZ");

	{
		/* a clock before 2000 or after 2099 (a machine without its real-time clock set):
		   run ids that sort before every other run, and GLPK's own clock stopped the LP
		   with an assertion, reported as "out of memory" (QA). Said so, nothing done */
		time_t now = time(NULL);
		struct tm tm;
		if (now == (time_t)-1 || !gmtime_r(&now, &tm) || tm.tm_year < 100 || tm.tm_year >= 200) {
			status = fail(r, EX_SOFTWARE, "the system clock says %s: set it to the real "
				      "date and time (the run's folder names and the LP solver need "
				      "them): nothing done", r->started[0] ? r->started : "no time");
			goto out;
		}
	}
	status = start(r, &infd);
	if (status != EX_OK)
		goto out;
	status = make_run_folder(r);
	if (status != EX_OK) {
		if (r->runfd >= 0 || r->created_runs)
			remove_run_folder(r);
		notes_to_warning(r);
		goto out;
	}
	status = pipeline(r, infd);
	if (status == EX_OK) {
		if (r->times.len > 1) {
			r->times.data[r->times.len - 1] = '\0';
			run_log(r, "time since the step before:%s", r->times.data);
		}
		run_log(r, "mappa-run: run %s finished: %s (exit 0)", res->run_id, r->result);
		res->incomplete = r->ds.incomplete;
		res->run_dir = strdup(r->rundir);
		res->report_path = run_path_shown(r, "report.txt");
		snprintf(res->message, sizeof res->message, "%s (run %s, sha256 %s)", r->result, res->run_id,
			 res->sha256);
		goto out;
	}
	if ((status == EX_CANTCREAT || status == EX_IOERR) && !r->published) {
		char msg[sizeof res->message], left[300], qa[620];
		snprintf(msg, sizeof msg, "%s", res->message);
		remove_run_folder(r);
		/* what it could not remove (OUTDIR or the run folder made read-only under it) is
		   said, not "as it was" (QA: a temporary link, or the whole run folder, stayed) */
		if (run_leftover(r, left, sizeof left)
			    ? snprintf(res->message, sizeof res->message,
				       "%s; run %s could not remove all it made in '%s' (%s): the "
				       "next run repairs a temporary or dangling name; a run folder "
				       "without a status published nothing, and can be removed by "
				       "hand", msg,
				       res->run_id, r->q_outdir, left) >= (int)sizeof res->message
			    /* but for the lock file, which stays (removed, a run waiting on it
			       could lock a file a third no longer sees); an OUTDIR the run made
			       is not "as it was" (QA) */
			    : snprintf(res->message, sizeof res->message,
				       "%s; run %s removed its run folder: %s %s, but for the lock "
				       "file (.lock)", msg, res->run_id,
				       as_arg(qa, sizeof qa, r->q_outdir),
				       r->created_outdir ? "is empty, as the run made it"
							 : "is as it was before the run") >=
				      (int)sizeof res->message)
			res->message[sizeof res->message - 1] = '\0';
		goto out;
	}
	/* a data error or an internal one: the run folder stays, with its report and status */
	run_log(r, "error: %s (exit %d)", res->message, status);
	if (!r->result[0])
		if (snprintf(r->result, sizeof r->result, "failed: %s", res->message) >= (int)sizeof r->result)
			r->result[sizeof r->result - 1] = '\0';
	write_reports(r, status);
	write_status_file(r->runfd, status);
	res->run_dir = strdup(r->rundir);
	res->report_path = run_path_shown(r, "report.txt");
out:
	fatal_runfd = fatal_logfd = fatal_lockfd = -1;
	if (r->log)
		fclose(r->log);
	if (r->lockfd >= 0) {
		/* the holder's note goes, from the file it was written into only; if it cannot, it
		   is harmless: the lock goes with us */
		if (r->lock_noted) {
			int t = ftruncate(r->lockfd, 0);
			(void)t;
		}
		close(r->lockfd);
	}
	if (r->runfd >= 0)
		close(r->runfd);
	if (r->outfd >= 0)
		close(r->outfd);
	if (infd >= 0)
		close(infd);
	for (size_t i = 0; i < r->n; i++) {
		free(r->e[i].name);
		free(r->e[i].display);
		free(r->e[i].ret);
		diag_clear(&r->e[i].diags);
	}
	free(r->e);
	diag_clear(&r->merge_diags);
	diag_clear(&r->stage_diags);
	dataset_release(&r->ds);
	run_history_release(&r->hist);
	if (r->have_known)
		dataset_release(&r->known);
	strbuf_release(&r->notes);
	strbuf_release(&r->pubs);
	strbuf_release(&r->times);
	strbuf_release(&r->refused_too);
	strbuf_release(&r->archive);
	free(r);
	return status;
}
