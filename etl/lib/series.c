/*
 * series: the earlier publications read back from their bundles (see series.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "series.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "digest.h"
#include "history.h"
#include "pivot.h"
#include "publish_release.h"
#include "published.h"
#include "quote.h"
#include "xmlsafe.h"
#include "yoy.h"

static void period_of(int y, char *buf, size_t size)
{
	snprintf(buf, size, "%04d-%02d", y % 10000, (y + 1) % 100);
}

/*
 * Whether the symbolic link path resolves to a file inside the folder dir (OUTDIR's bundles are
 * links into its run folders: mappa-run's layout). A link that resolves nowhere counts as
 * inside: it names no bundle, and the caller's stat() skips it (what a killed run leaves).
 */
static int link_inside(const char *path, const char *dir)
{
	char *rd = NULL, *rp = NULL;
	int inside = 0;
	size_t n;

	rd = realpath(dir, NULL);
	rp = realpath(path, NULL);
	if (!rp && (errno == ENOENT || errno == ENOTDIR)) {
		inside = 1;
		goto out;
	}
	if (!rd || !rp)
		goto out;
	n = strlen(rd);
	inside = strncmp(rp, rd, n) == 0 && (rp[n] == '/' || (n == 1 && rd[0] == '/'));
out:
	free(rd);
	free(rp);
	return inside;
}

/*
 * Where the symbolic link path, which resolves to nothing, stops: the first name along its
 * chain of links that is not there, relative to dir when it is inside it (out: size bytes).
 */
static void gone_target(const char *path, const char *dir, char *out, size_t size)
{
	char cur[4200], next[4200], target[4096];
	char *rd = realpath(dir, NULL);
	struct stat st;

	snprintf(cur, sizeof cur, "%s", path);
	snprintf(out, size, "%s", path);
	for (int hops = 0; hops < 40; hops++) {
		ssize_t n = readlink(cur, target, sizeof target - 1);
		char *slash, *up;
		if (n < 0)
			break;
		target[n] = '\0';
		slash = strrchr(cur, '/');
		if (target[0] == '/' || !slash) {
			snprintf(next, sizeof next, "%s", target);
		} else {
			*slash = '\0';
			up = realpath(cur, NULL);
			n = snprintf(next, sizeof next, "%s/%s", up ? up : cur, target);
			free(up);
			if (n >= (ssize_t)sizeof next)
				break;
		}
		snprintf(cur, sizeof cur, "%s", next);
		if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
			break;
	}
	/* runs/ID/bundle/../../RUN read as runs/RUN: each step's folder was made real above,
	   so what is left of '..' and '.' is read by name */
	{
		size_t o = 0;
		const char *p = cur;
		while (*p) {
			const char *e = strchr(p, '/');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			if (len == 2 && p[0] == '.' && p[1] == '.') {
				while (o > 0 && next[o - 1] != '/')
					o--;
				if (o > 0)
					o--;
			} else if (len > 0 && !(len == 1 && p[0] == '.') && o + len + 2 < sizeof next) {
				if (o > 0 || cur[0] == '/')
					next[o++] = '/';
				memcpy(next + o, p, len);
				o += len;
			}
			p += len + (e != NULL);
		}
		next[o] = '\0';
	}
	if (rd && strncmp(next, rd, strlen(rd)) == 0 && next[strlen(rd)] == '/')
		snprintf(out, size, "%s", next + strlen(rd) + 1);
	else
		snprintf(out, size, "%s", next);
	free(rd);
}

int series_name_lost(const char *path, const char *dir, char *gone, size_t size)
{
	struct stat st;

	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode) || stat(path, &st) == 0 ||
	    (errno != ENOENT && errno != ENOTDIR))
		return 0;
	gone_target(path, dir, gone, size);
	return 1;
}

void series_init(struct series *s)
{
	memset(s, 0, sizeof *s);
	dataset_init(&s->before.ds);
	dataset_init(&s->truth);
}

void series_release(struct series *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nperiods; i++)
		dataset_release(&s->periods[i].ds);
	free(s->periods);
	free(s->carried);
	s->carried = NULL;
	s->ncarried = 0;
	dataset_release(&s->before.ds);
	dataset_release(&s->truth);
	s->have_truth = 0;
	s->periods = NULL;
	s->nperiods = 0;
	s->republished = 0;
}

/* The next CSV field of *p (RFC 4180: quoted or not) into buf; 1 when a field was read, with
 * *end set when it was the last of its line; 0 at the end of the text. */
static int csv_field(const char **p, char *buf, size_t size, int *end)
{
	const char *s = *p;
	size_t n = 0;

	if (!*s)
		return 0;
	if (*s == '"') {
		for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
			if (*s == '"')
				s++;
			if (n + 1 < size)
				buf[n++] = *s;
		}
		if (*s == '"')
			s++;
	}
	for (; *s && *s != ',' && *s != '\r' && *s != '\n'; s++)
		if (n + 1 < size)
			buf[n++] = *s;
	buf[n] = '\0';
	*end = *s != ',';
	if (*s == ',')
		s++;
	else {
		while (*s == '\r')
			s++;
		if (*s == '\n')
			s++;
	}
	*p = s;
	return 1;
}

/* A published form of revisions.csv: a count of 1 to 15 digits, or a GSS symbol. */
static int published_form(const char *v)
{
	size_t n = strspn(v, "0123456789");

	if (n > 0 && n <= 15 && v[n] == '\0')
		return 1;
	return strcmp(v, "[c]") == 0 || strcmp(v, "[x]") == 0 || strcmp(v, "[z]") == 0;
}

/*
 * The rows of an earlier revisions.csv (text; at names it in messages) into s->carried. Every
 * row is read or refused (H06 at its line): a bundle whose manifest was made again vouches for
 * nothing, and a row skipped let a withheld figure's first publication go unread (QA: a row
 * with a seventh field, a NUL or a -2 was dropped and the audit of both bundles passed).
 * 0; -1 with the errors in d; -2 out of memory.
 */
static int parse_carried(struct series *s, const struct defs *defs, const char *text,
			 size_t len, const char *at, struct diag_list *d)
{
	static const char *const head[] = { "area_code", "area_name", "table", "category", "level",
					    "published_before", "published_now" };
	const char *p = text;
	char f[8][96];
	size_t alloc = 0, before = d->errors;
	long line = 0;

	if (!*text && len == 0) {
		diag_add(d, at, 0, "H06", DIAG_ERROR, "revisions.csv is empty, with no header: the "
			 "bundle was changed after it was published; restore it as published");
		return -1;
	}
	if (strlen(text) != len) { /* the rows after it were never read */
		diag_add(d, at, 0, "H06", DIAG_ERROR, "revisions.csv holds a NUL byte: the bundle was "
			 "changed after it was published; restore it as published");
		return -1;
	}
	while (*p && d->errors - before < 20) {
		int end = 0, n = 0, st, cat, lev;
		const char *why = NULL;
		struct series_revision *r;
		line++;
		while (!end && n < 8 && csv_field(&p, f[n], sizeof f[n], &end))
			n++;
		while (!end) { /* the rest of an overlong row: counted as one field too many */
			char tmp[96];
			if (!csv_field(&p, tmp, sizeof tmp, &end))
				break;
		}
		if (line == 1) {
			for (int i = 0; i < 7 && !why; i++)
				if (n != 7 || strcmp(f[i], head[i]) != 0)
					why = "its header is not revisions.csv's";
			if (why) {
				diag_add(d, at, line, "H06", DIAG_ERROR, "%s: the bundle was changed "
					 "after it was published; restore it as published", why);
				return -1;
			}
			continue;
		}
		st = n == 7 ? dataset_stat_find(defs, f[2]) : -1;
		cat = f[3][0] ? defs_parse_category(f[3]) : CAT_NONE;
		lev = f[4][0] ? defs_parse_level(f[4]) : LEVEL_NONE;
		if (n != 7)
			why = n > 7 ? "has more than 7 fields" : "has fewer than 7 fields";
		else if (strlen(f[0]) >= AREA_CODE_MAX || !f[0][0] ||
			 (strcmp(f[0], s->before.ds.national_code) != 0 &&
			  !dataset_area_find(&s->before.ds, f[0])))
			why = "names no area of the bundle";
		else if (st < 0 || st >= (int)defs->ntables + (int)defs->nrates)
			why = "names no table of the definitions";
		else if (cat < 0 || lev < 0)
			why = "names no category and level of the definitions";
		else if (!published_form(f[5]) || !published_form(f[6]))
			why = "gives a published form that is not a count of 0 or more nor [c], [x] or [z]";
		else if (series_first_published(s, f[0], (unsigned)st, cat, lev))
			why = "repeats the figure of a row before it";
		if (why) {
			diag_add(d, at, line, "H06", DIAG_ERROR, "a row of revisions.csv %s: the bundle "
				 "was changed after it was published; restore it as published", why);
			continue;
		}
		if (s->ncarried == alloc) {
			size_t na = alloc ? alloc * 2 : 64;
			struct series_revision *q = realloc(s->carried, na * sizeof *q);
			if (!q)
				return -2;
			s->carried = q;
			alloc = na;
		}
		r = &s->carried[s->ncarried++];
		memcpy(r->area, f[0], strlen(f[0]) + 1); /* shorter than AREA_CODE_MAX */
		r->stat = (unsigned)st;
		r->category = cat;
		r->level = lev;
		snprintf(r->first, sizeof r->first, "%.31s", f[5]);
	}
	return d->errors > before ? -1 : 0;
}

const char *series_first_published(const struct series *s, const char *area, unsigned stat,
				   int category, int level)
{
	for (size_t i = 0; s && i < s->ncarried; i++) {
		const struct series_revision *r = &s->carried[i];
		if (r->stat == stat && r->category == category && r->level == level &&
		    strcmp(r->area, area) == 0)
			return r->first;
	}
	return NULL;
}

const char *series_first_form(const struct series *s, const struct defs *defs, const char *area,
			      unsigned stat, int category, int level, char *buf, size_t size)
{
	const char *first = series_first_published(s, area, stat, category, level);
	struct pivot_value v;

	if (first)
		return first;
	v = pivot_get(&s->before.ds, defs, area, stat, category, level);
	if (!v.published)
		return v.symbol;
	snprintf(buf, size, "%lld", v.value);
	return buf;
}

/* series.h; the record is read whole, at most RUN_RECORD_MAX bytes (a run folder's has one
   line), and not waited on (a FIFO there blocked the run for ever) */
#define RUN_RECORD_MAX 65536

__attribute__((noinline)) int series_check_run_record(const char *path, struct diag_list *d)
{
	char run[PATH_MAX], rec[PATH_MAX + NAME_MAX + 16]; /* rec: then the bundle */
	char want[65] = "", hex[65], qr[600], cur[PATH_MAX + 32];
	const char *file = NULL, *base = strrchr(path, '/');
	char *buf = NULL, *line, *next;
	size_t len = 0;
	int r, rc = 0, bad = 0, in_place = 0;

	if (!series_run_folder(path, run, &file)) {
		/*
		 * A file at OUTDIR's name itself, not the link mappa-run makes: the publication of
		 * its period is what latest's bundle folder leads to (DIR/latest/bundle/FILE), and
		 * the file must be that bundle (a copy of it is). A file put over the name by hand,
		 * changed and with its manifest made again, went into the next year's series with
		 * exit 0 (QA); the record was checked only through the link.
		 */
		int n = base ? snprintf(cur, sizeof cur, "%.*s/latest/bundle/%s",
					(int)(base - path), path, base + 1)
			     : snprintf(cur, sizeof cur, "latest/bundle/%s", path);
		if (n < 0 || (size_t)n >= sizeof cur || !series_run_folder(cur, run, &file))
			return 0; /* no OUTDIR's publication of its period: an archive's bundle */
		in_place = 1;
	}
	if (snprintf(rec, sizeof rec, "%s/bundle.sha256", run) >= (int)sizeof rec)
		return 0;
	quote_name_buf(qr, sizeof qr, rec);
	/* whole, capped, a regular file only: a FIFO there blocked the run for ever */
	r = xmlsafe_read_file(rec, RUN_RECORD_MAX, &buf, &len);
	if (r == XMLSAFE_READ_ERROR && errno == ENOENT)
		return 0;
	if (r != XMLSAFE_READ_OK) {
		int e = r == XMLSAFE_READ_ERROR ? errno : 0;
		/* a permission is no damage: a run by hand as another user (root) leaves its run
		   folder unreadable to the service's, and a backup was the wrong advice (QA) */
		diag_add(d, path, 0, "H03", DIAG_ERROR,
			 "the record of what its run published, %s, cannot be read (%s): %s", qr,
			 r == XMLSAFE_READ_TOO_BIG ? "larger than a record can be"
			 : r == XMLSAFE_READ_NOT_FILE ? "not a regular file" : strerror(e),
			 e == EACCES || e == EPERM
				 ? SERIES_GIVE_BACK
				 : "restore the run folder from a backup of OUTDIR");
		return -1;
	}
	for (line = buf; line < buf + len; line = next) {
		const char *nl = memchr(line, '\n', (size_t)(buf + len - line)), *name;
		size_t n = nl ? (size_t)(nl - line) : (size_t)(buf + len - line), name_len;
		next = line + n + (nl != NULL);
		if (!digest_sha256_line(line, n, hex, &name, &name_len) || name_len < 8 ||
		    memcmp(name, "bundle/", 7) != 0) {
			bad = 1; /* not sha256sum's line (a CR, a NUL), or not of a bundle */
			continue;
		}
		if (name_len - 7 == strlen(file) && memcmp(name + 7, file, name_len - 7) == 0) {
			if (want[0] && strcmp(want, hex) != 0)
				bad = 1; /* two lines for it that disagree: the last won (QA) */
			memcpy(want, hex, sizeof want);
		}
	}
	free(buf);
	/* a line that is not the record's makes the whole record untrusted, whatever the others
	   say (QA: accepted when another line named the bundle) */
	if (bad || !want[0]) {
		diag_add(d, path, 0, "H03", DIAG_ERROR,
			 "the record of what its run published, %s, %s: restore the run folder from a "
			 "backup of OUTDIR", qr, bad ? "is damaged" : "does not name this bundle");
		return -1;
	}
	if (in_place ? bundle_sha256_file(AT_FDCWD, path, HISTORY_MAX_BYTES, hex) != 0
		     : snprintf(rec, sizeof rec, "%s/bundle/%s", run, file) >= (int)sizeof rec ||
		       bundle_sha256_file(AT_FDCWD, rec, HISTORY_MAX_BYTES, hex) != 0) {
		diag_add(d, path, 0, "H01", DIAG_ERROR, "cannot read: %s", strerror(errno));
		rc = -1;
	} else if (strcmp(hex, want) != 0 && in_place) {
		diag_add(d, path, 0, "H03", DIAG_ERROR,
			 "this is not the bundle published for its period: a file, not the link "
			 "mappa-run makes, with SHA-256 %.12s..., where the run that published the "
			 "period (its record %s) says %.12s...; it was put in its place by hand (restored "
			 "from another backup?). Remove it (the next run makes the link again), or put "
			 "back the bundle that run published, and run again", hex, qr, want);
		rc = -1;
	} else if (strcmp(hex, want) != 0) {
		diag_add(d, path, 0, "H03", DIAG_ERROR,
			 "this is not the bundle its run published: its SHA-256 is %.12s..., the run's "
			 "record %s says %.12s...; it was changed or put in its place after publication "
			 "(restored from another backup?). Put back the bundle that run published, from "
			 "a backup of OUTDIR, and run again", hex, qr, want);
		rc = -1;
	}
	return rc;
}

/* Reads dir/p->file into p->ds for period (and its revisions.csv into *rev, when rev); 0 or
 * -1 (diagnostics in d). */
static int read_one(struct series_period *p, const struct defs *defs, const struct areas *areas,
		    const char *dir, char **rev, size_t *revlen, struct diag_list *d)
{
	char path[4200];
	size_t rlen = 0;

	snprintf(path, sizeof path, "%s/%s", dir, p->file);
	if (series_check_run_record(path, d) != 0)
		return -1;
	if (history_read_about(&p->ds, defs, areas, path, p->period, rev, &rlen, &p->about, d) != 0)
		return -1;
	if (revlen)
		*revlen = rlen;
	dataset_sort(&p->ds);
	p->present = 1;
	return 0;
}

int series_load(struct series *s, const struct defs *defs, const struct areas *areas,
		const char *dir, const char *period, struct diag_list *d)
{
	/* per earlier year (offset from the oldest allowed): 0 none, 1 tar.gz, 2 zip only */
	unsigned char found[SERIES_MAX_PERIODS] = { 0 }, self = 0;
	int cur = dataset_period_year(period), oldest, first = -1, result = -1, refused = 0;
	DIR *dp = NULL;
	struct dirent *de;

	series_init(s);
	snprintf(s->period, sizeof s->period, "%s", period);
	if (cur < 0) {
		diag_add_errno(d, dir, "H01", EINVAL, "no history for the period '%s'", period);
		errno = EINVAL;
		return -2;
	}
	oldest = cur - (SERIES_MAX_PERIODS - 1);
	dp = opendir(dir);
	if (!dp) {
		int e = errno;
		diag_add_errno(d, dir, "H01", e, "cannot read: %s", strerror(e));
		errno = e;
		return -2;
	}
	while ((de = readdir(dp)) != NULL) {
		int zip = 0, y = bundle_name_parse(de->d_name, NULL, &zip);
		unsigned char *slot;
		char path[4200];
		struct stat st;
		int link;
		if (y < 0 || y > cur || y < oldest)
			continue;
		/* a folder (or a FIFO...) at a bundle's name is no bundle: the publication refuses
		   it where the bundle goes (mappa-run: 73), and an earlier one is not read */
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		link = lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
		if (link && !link_inside(path, dir)) {
			diag_add(d, path, 0, "H01", DIAG_ERROR,
				 "a symbolic link that leads out of the history folder (or nowhere that can be checked): refused, and left as it is");
			refused = 1;
			continue;
		}
		if (stat(path, &st) != 0) {
			/*
			 * A published name that leads nowhere: a period published, whose bundle is
			 * gone (its run folder removed). It was left out, and the series had [x]
			 * for the year without a word (QA). Refused: the publication would drop a
			 * year its readers have. (mappa-run removes the names a killed run left
			 * before it reads the history.)
			 */
			char gone[4200];
			if (!series_name_lost(path, dir, gone, sizeof gone))
				continue; /* gone between the two calls, or not there */
			diag_add(d, path, 0, "H01", DIAG_ERROR,
				 "the published bundle cannot be read: the name leads to '%s', which is "
				 "not there (its run folder removed?): restore it from a backup, the "
				 "whole run folder, and run again", gone);
			refused = 1;
			continue;
		}
		if (!S_ISREG(st.st_mode) && link) {
			/*
			 * The name a publication made (a link into a run folder) leads to a folder,
			 * a FIFO or a device: its bundle is gone as surely as when the name leads
			 * nowhere (QA: only a warning, and a revision of the period went out as a
			 * first publication, without the joint audit with the bundle its readers
			 * hold).
			 */
			diag_add(d, path, 0, "H01", DIAG_ERROR,
				 "the published bundle cannot be read: the name leads to a folder, a "
				 "FIFO or a device, not the bundle its run published: restore the run "
				 "folder from a backup, and run again");
			refused = 1;
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			/* said, so that a period missing from the series is never a surprise */
			diag_add(d, path, 0, "H01", DIAG_WARNING,
				 "not a regular file (a folder, a FIFO or a device at a bundle's name): not read, and left as it is");
			continue;
		}
		slot = y == cur ? &self : &found[y - oldest];
		if (*slot != 0) {
			/*
			 * A .tar.gz and a .zip of one period: the .tar.gz is the publication
			 * (docs/publication.md: the .zip only when there is no .tar.gz). The newer
			 * was taken, and a stray .zip dropped beside OUTDIR's .tar.gz (another
			 * version, copied in later) became the series' figures, and the earlier
			 * publication of a revision (QA). The report says which is read.
			 */
			char other[64];
			(void)bundle_name_other(de->d_name, other, sizeof other);
			diag_add(d, path, 0, "H01", DIAG_WARNING,
				 "%s is here too: %s is read (the .tar.gz is the publication, the .zip "
				 "only when there is no .tar.gz); move the other out", other,
				 zip ? other : de->d_name);
		}
		if (*slot == 0 || !zip)
			*slot = (unsigned char)(zip ? 2 : 1);
	}
	closedir(dp);
	if (refused)
		goto out;
	for (int y = oldest; y < cur; y++)
		if (found[y - oldest]) {
			first = y;
			break;
		}
	if (first >= 0) {
		s->periods = calloc((size_t)(cur - first), sizeof *s->periods);
		if (!s->periods) {
			diag_add_errno(d, dir, "H01", ENOMEM, "out of memory");
			goto out;
		}
		for (int y = first; y < cur; y++) {
			struct series_period *p = &s->periods[s->nperiods++];
			dataset_init(&p->ds);
			period_of(y, p->period, sizeof p->period);
			if (!found[y - oldest])
				continue;
			(void)bundle_name(p->file, sizeof p->file, p->period,
					  found[y - oldest] == 2 ? BUNDLE_ZIP : BUNDLE_TAR_GZ);
			if (read_one(p, defs, areas, dir, NULL, NULL, d) != 0)
				goto out;
		}
	}
	if (self) {
		snprintf(s->before.period, sizeof s->before.period, "%s", period);
		(void)bundle_name(s->before.file, sizeof s->before.file, period,
				  self == 2 ? BUNDLE_ZIP : BUNDLE_TAR_GZ);
		char *rev = NULL;
		size_t revlen = 0;
		if (read_one(&s->before, defs, areas, dir, &rev, &revlen, d) != 0)
			goto out;
		s->republished = 1;
		if (rev) {
			char at[PATH_MAX + 200];
			snprintf(at, sizeof at, "%s/%s(mappa-%s/revisions.csv)", dir,
				 s->before.file, period);
			int pr = parse_carried(s, defs, rev, revlen, at, d);
			free(rev);
			if (pr == -2)
				diag_add_errno(d, dir, "H01", ENOMEM, "out of memory");
			if (pr != 0)
				goto out;
		}
	}
	result = 0;
out:
	if (result != 0) {
		series_release(s);
		series_init(s);
		snprintf(s->period, sizeof s->period, "%s", period);
	}
	return result;
}

const struct dataset *series_previous(const struct series *s)
{
	if (!s || !s->nperiods || !s->periods[s->nperiods - 1].present)
		return NULL;
	return &s->periods[s->nperiods - 1].ds;
}

/*
 * Whether a figure of now differs from value: with now_true, now holds every true value; without,
 * only the figures published with a value (OBS_OK) can be compared, and another status tells
 * nothing (0: no difference seen).
 */
static int differs(const struct obs *n, long long value, int now_true)
{
	if (!n)
		return 1;
	if (!now_true && n->status != OBS_OK)
		return 0;
	return n->value != value;
}

/* Whether area code sent a return for one of the two publications only. */
static int presence_differs(const struct dataset *before, const struct dataset *now,
			    const char *code)
{
	const struct dataset_area *a = dataset_area_find(before, code), *b = dataset_area_find(now, code);

	return (a && a->state == AREA_PRESENT) != (b && b->state == AREA_PRESENT);
}

/*
 * From what is published alone: whether a national figure published with a value then is
 * withheld now or has another value, where area code withholds a cell of the same statistic
 * then or now. The change may be that area's, behind [c]: a reader cannot take it as
 * unchanged (QA: Essex revised in its Category 4 alone, every area's withheld per area,
 * mappa-audit from the bundles pinned the national Category 4 at the first bundle's 227, the
 * true figure 229; a revision putting Cambridgeshire's [c] back to its first figures, A01).
 */
static int national_change_hidden(const struct dataset *before, const struct dataset *now,
				  const char *code)
{
	unsigned char changed[64] = { 0 }; /* by statistic: a national figure of it changed */
	int any = 0;

	for (size_t i = 0; i < before->nobs; i++) {
		const struct obs *o = &before->obs[i], *n;
		if (o->status != OBS_OK || strcmp(o->area, before->national_code) != 0)
			continue;
		n = dataset_find(now, o->area, o->stat, o->category, o->level);
		if (n && n->status == OBS_OK && n->value == o->value)
			continue;
		if (o->stat >= sizeof changed)
			return 1;
		changed[o->stat] = 1;
		any = 1;
	}
	/* any withheld cell of that statistic may hold the change (a national total of a
	   category over every level is its levels' too, and a category's total its own) */
	for (int pub = 0; any && pub < 2; pub++) {
		const struct dataset *ds = pub ? now : before;
		for (size_t i = 0; i < ds->nobs; i++) {
			const struct obs *o = &ds->obs[i];
			if (o->stat < sizeof changed && changed[o->stat] && obs_status_withheld(o->status) &&
			    strcmp(o->area, code) == 0)
				return 1;
		}
	}
	return 0;
}

/*
 * Whether one area's figures (not the nation's) in the earlier publication differ from now's:
 * the area is in one of them only, or a figure it published with a value now is not (see
 * differs). The publications before it (its revisions.csv) are not read.
 */
static int area_changed(const struct dataset *before, const struct dataset *truth,
			const struct dataset *now, const char *code, int now_true)
{
	if (presence_differs(before, now, code))
		return 1;
	if (!now_true && national_change_hidden(before, now, code))
		return 1;
	for (size_t i = 0; i < before->nobs; i++) {
		const struct obs *o = &before->obs[i], *n;
		if (o->status != OBS_OK || strcmp(o->area, code) != 0)
			continue;
		n = dataset_find(now, code, o->stat, o->category, o->level);
		/* from what is published alone, a figure published then and withheld now may
		   have changed: the area is not taken as unchanged (its earlier figures are a
		   system of their own), so that no audit assumes a value it cannot know */
		if (!now_true && n && obs_status_withheld(n->status))
			return 1;
		if (differs(n, o->value, now_true))
			return 1;
	}
	/* with both true values, a change behind [c] too */
	for (size_t i = 0; truth && now_true && i < truth->nobs; i++) {
		const struct obs *o = &truth->obs[i], *n;
		if (strcmp(o->area, code) != 0 || o->status == OBS_MISSING || o->status == OBS_NA)
			continue;
		n = dataset_find(now, code, o->stat, o->category, o->level);
		if (n && n->status != OBS_MISSING && n->status != OBS_NA && n->value != o->value)
			return 1; /* (a row now does not have, an area's total over 1-4 that
				     observations.csv never shows, tells nothing) */
	}
	return 0;
}

/* Whether a figure of area code that a publication before the earlier one first published
   with a value (its revisions.csv) is not the area's figure now. */
static int carried_revised(const struct series *s, const struct dataset *now, const char *code,
			   int now_true)
{
	for (size_t i = 0; i < s->ncarried; i++) {
		const struct series_revision *r = &s->carried[i];
		if (strcmp(r->area, code) != 0 || r->first[0] < '0' || r->first[0] > '9')
			continue;
		if (differs(dataset_find(now, code, r->stat, r->category, r->level),
			    strtoll(r->first, NULL, 10), now_true))
			return 1;
	}
	return 0;
}

/* Whether one area (not the nation) changed between the two publications. */
static int one_area_revised(const struct series *s, const struct dataset *now, const char *code,
			    int now_true)
{
	return area_changed(&s->before.ds, s->have_truth ? &s->truth : NULL, now, code, now_true) ||
	       carried_revised(s, now, code, now_true);
}

static int area_revised(const struct series *s, const struct dataset *now, const char *area,
			int now_true)
{
	if (!s || !s->republished)
		return 0;
	if (strcmp(area, now->national_code) == 0) {
		for (size_t i = 0; i < now->nareas; i++)
			if (one_area_revised(s, now, now->areas[i].code, now_true))
				return 1;
		for (size_t i = 0; i < s->before.ds.nareas; i++)
			if (!dataset_area_find(now, s->before.ds.areas[i].code))
				return 1;
		return 0;
	}
	return one_area_revised(s, now, area, now_true);
}

int series_area_revised(const struct series *s, const struct dataset *now, const struct defs *defs,
			const char *area)
{
	(void)defs;
	return area_revised(s, now, area, 1);
}

/* Whether what is published of area code differs between the earlier publication and now. */
static int area_shown_changed(const struct dataset *before, const struct dataset *now,
			      const char *code)
{
	if (presence_differs(before, now, code))
		return 1;
	for (size_t i = 0; i < before->nobs; i++) {
		const struct obs *o = &before->obs[i], *n;
		if (strcmp(o->area, code) != 0)
			continue;
		n = dataset_find(now, code, o->stat, o->category, o->level);
		if (!n || (o->status == OBS_OK) != (n->status == OBS_OK) ||
		    (o->status == OBS_OK && o->value != n->value))
			return 1;
	}
	return 0;
}

/*
 * Whether a figure of area code that the first publication of the period gave with a value v
 * (the earlier bundle's, or the published_before of its revisions.csv) is now another value,
 * or withheld with a true value other than v; or the area had no return then ([x]) and has one
 * now. A function of the first publication and now alone: the same returns published again
 * name what the publication before named (QA: after a revision, the next night's run named
 * "none" beside the [r] it kept), an area back at its first figures is not named (QA: named
 * with no row in revisions.csv), and an area revised behind [c] alone is not named whatever
 * its pattern did (QA: Cheshire, revised in its Category 4 alone, named for figures a
 * revision no longer needed withheld, beside the national Category 4 it withdrew).
 */
static int area_changed_since_first(const struct series *s, const struct dataset *now,
				    const struct defs *defs, const char *code)
{
	const struct dataset *before = &s->before.ds;
	const struct dataset_area *ab = dataset_area_find(before, code), *an = dataset_area_find(now, code);
	int first_present = ab && ab->state == AREA_PRESENT, now_present = an && an->state == AREA_PRESENT;

	/* with a return at the first publication: as the earlier one, unless its revisions.csv
	   says otherwise ("[x]" then, or a figure then where the earlier one had none) */
	for (size_t i = 0; i < s->ncarried; i++)
		if (strcmp(s->carried[i].area, code) == 0)
			first_present = strcmp(s->carried[i].first, "[x]") != 0;
	if (first_present != now_present)
		return 1;
	for (size_t i = 0; now_present && i < now->nobs; i++) {
		const struct obs *n = &now->obs[i];
		const char *first;
		char buf[32];
		if (strcmp(n->area, code) != 0 ||
		    (n->status != OBS_OK && !obs_status_withheld(n->status)))
			continue;
		first = series_first_form(s, defs, code, n->stat, n->category, n->level, buf, sizeof buf);
		if (first[0] < '0' || first[0] > '9')
			continue; /* withheld then, or not there */
		if (n->value != strtoll(first, NULL, 10))
			return 1;
	}
	return 0;
}

int series_area_shown_revised(const struct series *s, const struct dataset *now,
			      const struct defs *defs, const char *area)
{
	if (!s || !s->republished)
		return 0;
	return area_changed_since_first(s, now, defs, area);
}

int series_shown_changed(const struct series *s, const struct dataset *now)
{
	if (!s || !s->republished)
		return 0;
	if (area_shown_changed(&s->before.ds, now, now->national_code))
		return 1;
	for (size_t i = 0; i < now->nareas; i++)
		if (area_shown_changed(&s->before.ds, now, now->areas[i].code))
			return 1;
	for (size_t i = 0; i < s->before.ds.nareas; i++)
		if (!dataset_area_find(now, s->before.ds.areas[i].code))
			return 1;
	return 0;
}

size_t series_dropped(const struct series *s, char *buf, size_t size)
{
	size_t n = 0, w = 0;

	if (size)
		buf[0] = '\0';
	if (!s || !s->republished)
		return 0;
	for (const char *p = s->before.about.shown; strlen(p) >= 8; p += 8) {
		int there = 0;
		for (size_t i = 0; i < s->nperiods; i++)
			if (s->periods[i].present && strncmp(s->periods[i].period, p, 7) == 0)
				there = 1;
		if (there)
			continue;
		if (size && w + 10 < size) {
			int k = snprintf(buf + w, size - w, "%s%.7s", n ? ", " : "", p);
			if (k > 0)
				w += (size_t)k;
		}
		n++;
	}
	return n;
}

int series_release_stale(const struct series *s, const char *date)
{
	int cmp;

	if (!s || !s->republished || !s->before.about.release[0] || !date || strlen(date) != 10)
		return 0;
	cmp = strcmp(date, s->before.about.release); /* both YYYY-MM-DD */
	return cmp > 0 ? 0 : cmp == 0 ? 1 : 2;
}

size_t series_release_note(const struct series *s, const struct dataset *now, const char *date,
			   char *buf, size_t size)
{
	char day[40], before[40];
	int stale = series_release_stale(s, date), n;

	if (size)
		buf[0] = '\0';
	if (!stale || !size || !series_shown_changed(s, now))
		return 0;
	publish_release_date_text(date, day, sizeof day);
	publish_release_date_text(s->before.about.release, before, sizeof before);
	if (stale == 1)
		n = snprintf(buf, size, "the revised bundle gives %s as its release date, the date of "
			     "the publication it revises, so it says the revision came out then: give "
			     "the day the revision is released (--release-date, or the publication "
			     "file's releaseDate)", day);
	else
		n = snprintf(buf, size, "the revised bundle gives %s as its release date, before %s, "
			     "the date of the publication it revises: give the day the revision is "
			     "released (--release-date, or the publication file's releaseDate)",
			     day, before);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

int series_same_revision_changed(const struct series *s, const struct dataset *now,
				 const struct defs *defs, struct diag_list *d)
{
	int n = 0;

	if (!s || !s->republished || !s->have_truth)
		return 0;
	for (size_t i = 0; i < now->nareas; i++) {
		const struct dataset_area *a = &now->areas[i];
		const struct dataset_area *b = dataset_area_find(&s->truth, a->code);
		if (a->state != AREA_PRESENT || !b || b->state != AREA_PRESENT || b->revision != a->revision)
			continue;
		for (size_t k = 0; k < now->nobs; k++) {
			const struct obs *o = &now->obs[k], *e;
			char w[160];
			/* a figure of the return: a rate moves with the reference data's population
			   (docs/reference-data.md: rates change, counts do not), and a total with its
			   parts; a new population blocked the period, each area told to raise a
			   revision it had not changed (QA) */
			if (strcmp(o->area, a->code) != 0 ||
			    !defs_is_return_count(defs, o->stat, o->category, o->level))
				continue;
			e = dataset_find(&s->truth, a->code, o->stat, o->category, o->level);
			if (e && e->value == o->value &&
			    (e->status == OBS_NA) == (o->status == OBS_NA))
				continue;
			/* where, not what: the values are true values. The figure in words, without
			   the category and level a figure of one count has (QA: "category , level ,") */
			dataset_cell_words(defs, o->area, o->stat, o->category, o->level, w, sizeof w);
			diag_add(d, a->source[0] ? a->source : a->code, a->revision_line, "M05", DIAG_ERROR,
				 "area %s revision %ld differs from the revision %ld it published in %s "
				 "(%s, at least): a revision must not change; the area must raise the "
				 "revision number",
				 a->code, a->revision, b->revision, s->before.file, w);
			n++;
			break;
		}
	}
	return n;
}

/* Whether out already has a row with this key (rows still unsorted: a scan). */
static int has_key(const struct dataset *out, const char *area, unsigned stat, int category,
		   int level)
{
	for (size_t i = 0; i < out->nobs; i++) {
		const struct obs *o = &out->obs[i];
		if (o->stat == stat && o->category == category && o->level == level &&
		    strcmp(o->area, area) == 0)
			return 1;
	}
	return 0;
}

/* Whether area's earlier figures are in the earlier system: the nation's always, an area's
   when it changed (changed[k] for now's k-th area). */
static int in_system(const struct dataset *now, const unsigned char *changed, size_t nareas,
		     const char *area)
{
	if (strcmp(area, now->national_code) == 0)
		return 1;
	for (size_t k = 0; k < nareas; k++)
		if (strcmp(now->areas[k].code, area) == 0)
			return changed[k];
	return 0;
}

/*
 * The earlier publication as a second linear system beside now's (protect.h): when some area's
 * figures changed (area_changed), every row it published for such an area and for the nation,
 * under DATASET_EARLIER codes: a figure with a value as OBS_OK, a withheld one with its true
 * value and status when the truth is attached (series_attach_truth), else as OBS_PRIMARY with
 * value -1 (not known; taken as protected), [z] as OBS_NA; and for an area it did not have and now has, now's keys
 * with OBS_MISSING (the area is outside its national totals). The areas whose figures did not
 * change are shared: the same cells in both publications. 0, or -1 out of memory.
 */
static int add_earlier_system(const struct dataset *before, const struct dataset *truth,
			      const unsigned char *changed, char tag, const struct dataset *now,
			      struct dataset *out)
{
	size_t nareas = now->nareas < AREAS_MAX ? now->nareas : AREAS_MAX;
	char code[AREA_CODE_MAX];
	int any = 0;

	for (size_t i = 0; i < nareas; i++)
		any |= changed[i];
	if (!any)
		return 0;
	for (size_t i = 0; i < before->nobs; i++) {
		const struct obs *o = &before->obs[i];
		enum obs_status st;
		if (o->status == OBS_MISSING || !in_system(now, changed, nareas, o->area))
			continue;
		const struct obs *x = truth ? dataset_find(truth, o->area, o->stat, o->category, o->level)
					    : NULL;
		long long v = o->status == OBS_OK ? o->value : o->status == OBS_NA ? 0 : -1;
		st = o->status == OBS_OK ? OBS_OK : o->status == OBS_NA ? OBS_NA : OBS_PRIMARY;
		if (st == OBS_PRIMARY && x && obs_status_withheld(x->status)) {
			st = x->status; /* the true value and reason, from its run folder */
			v = x->value;
		}
		if (dataset_earlier_code(code, sizeof code, tag, o->area) != 0)
			continue;
		if (dataset_add(out, code, o->stat, o->category, o->level, v, st) != 0)
			return -1;
	}
	/* the rows the earlier publication does not show (an area's totals over categories 1-4
	   are never published): there, but unknown (or true from its run folder); or, for an
	   area it did not have, outside its totals. An area's keys are those of every area: the
	   first one now has is the template, so that an area gone since gets them too. */
	const char *tmpl = NULL;
	for (size_t i = 0; i < nareas && !tmpl; i++)
		if (now->areas[i].state == AREA_PRESENT)
			tmpl = now->areas[i].code;
	for (size_t i = 0; i < now->nobs; i++) {
		const struct obs *o = &now->obs[i];
		int national = strcmp(o->area, now->national_code) == 0;
		if (o->status == OBS_MISSING || (!national && (!tmpl || strcmp(o->area, tmpl) != 0)))
			continue;
		for (size_t k = 0; k <= nareas; k++) {
			const char *area = k == nareas ? now->national_code : now->areas[k].code;
			const struct dataset_area *a = dataset_area_find(before, area);
			enum obs_status st = OBS_PRIMARY;
			const struct obs *x;
			long long v = -1;
			if ((k == nareas) != national || (k < nareas && !changed[k]))
				continue;
			if (k < nareas && (!a || a->state != AREA_PRESENT)) {
				if (now->areas[k].state != AREA_PRESENT)
					continue;
				st = OBS_MISSING;
				v = 0;
			} else if (dataset_find(before, area, o->stat, o->category, o->level))
				continue;
			x = truth && st != OBS_MISSING
				    ? dataset_find(truth, area, o->stat, o->category, o->level) : NULL;
			if (x && obs_status_withheld(x->status)) {
				st = x->status;
				v = x->value;
			}
			if (dataset_earlier_code(code, sizeof code, tag, area) == 0 &&
			    dataset_add(out, code, o->stat, o->category, o->level, v, st) != 0)
				return -1;
		}
	}
	return 0;
}

/*
 * When no area's figures changed since the earlier publication (a run over the same returns
 * again), its pattern is kept whole: every figure it published is known (out gets those it
 * lacks), and every cell it withheld stays withheld (a row with OBS_SECONDARY and value 0
 * under the area's own code): that pattern was audited with the publications before it, which
 * are not at hand now (only their revised figures are: revisions.csv). 0, or -1 out of memory.
 */
static int add_unchanged(const struct dataset *before, const unsigned char *changed,
			 const struct dataset *now, int now_true, struct dataset *out)
{
	struct dataset *add; /* 45 KB: off the stack frame (ulimit -v) */
	int rc = -1;

	for (size_t i = 0; i < now->nareas && i < AREAS_MAX; i++)
		if (changed[i])
			return 0;
	for (size_t i = 0; i < before->nareas && i < AREAS_MAX; i++)
		if (!dataset_area_find(now, before->areas[i].code))
			return 0;
	add = dataset_new();
	if (!add)
		return -1;
	dataset_sort(out);
	for (size_t i = 0; i < before->nobs; i++) {
		const struct obs *o = &before->obs[i];
		const struct obs *n = dataset_find(now, o->area, o->stat, o->category, o->level);
		int withheld = obs_status_withheld(o->status);
		if ((o->status != OBS_OK && !withheld) || !n ||
		    dataset_find(out, o->area, o->stat, o->category, o->level))
			continue;
		if (o->status == OBS_OK && differs(n, o->value, now_true))
			continue;
		if (dataset_add(add, o->area, o->stat, o->category, o->level,
				withheld ? 0 : o->value, withheld ? OBS_SECONDARY : OBS_OK) != 0)
			goto out;
	}
	for (size_t i = 0; i < add->nobs; i++)
		if (dataset_add(out, add->obs[i].area, add->obs[i].stat, add->obs[i].category,
				add->obs[i].level, add->obs[i].value, add->obs[i].status) != 0)
			goto out;
	rc = 0;
out:
	dataset_free(add);
	return rc;
}

int series_known_earlier(const struct series *s, const struct dataset *now,
			 const struct defs *defs, int now_true, struct dataset *out)
{
	unsigned char revised[AREAS_MAX] = { 0 }, changed[AREAS_MAX] = { 0 };
	const struct dataset *before, *truth;
	int result = -1;

	(void)defs;
	dataset_init(out);
	out->stage = STAGE_SUPPRESSED;
	snprintf(out->period, sizeof out->period, "%s", now->period);
	snprintf(out->national_code, sizeof out->national_code, "%s", now->national_code);
	snprintf(out->national_name, sizeof out->national_name, "%s", now->national_name);
	out->nareas = now->nareas < AREAS_MAX ? now->nareas : AREAS_MAX;
	memcpy(out->areas, now->areas, out->nareas * sizeof out->areas[0]);
	if (!s || !s->republished)
		return 0;
	before = &s->before.ds;
	truth = s->have_truth ? &s->truth : NULL;
	/* changed since that publication (area_changed), once; revised also counts the figures
	   the publications before it gave (one_area_revised) */
	for (size_t i = 0; i < out->nareas; i++) {
		changed[i] = (unsigned char)area_changed(before, truth, now, now->areas[i].code,
							 now_true);
		revised[i] = (unsigned char)(changed[i] ||
					     carried_revised(s, now, now->areas[i].code, now_true));
	}
	for (size_t i = 0; i < before->nobs; i++) {
		const struct obs *o = &before->obs[i], *n;
		int keep;
		if (o->status != OBS_OK)
			continue;
		n = dataset_find(now, o->area, o->stat, o->category, o->level);
		if (strcmp(o->area, now->national_code) == 0) {
			/* still the nation's figure: known for sure only when now publishes it again
			   (the audit of what is published). The suppression does not take it as known:
			   it chooses whether to publish it again, and withheld, no reader knows that it
			   did not change (the sum of every changed area's change, a data lead knowing
			   its own); the earlier figure is in the earlier system all the same. Taken as
			   known, a late return was refused in 41 of 42 areas (each 0 it withholds by
			   policy pinned by a national cell it left unchanged), and a count moved
			   between two areas in 15 revisions of 32 (QA, 7 December) */
			keep = n && n->value == o->value && !now_true && n->status == OBS_OK;
		} else {
			size_t k = 0;
			while (k < out->nareas && strcmp(out->areas[k].code, o->area) != 0)
				k++;
			/* unchanged since that publication: what it published is this one's figure
			   and public, even when an earlier one gave the area other figures (revised
			   but not changed: Norfolk's 8, published by the second of three
			   publications and withheld by the third, was not known, and Bedfordshire's
			   data lead pinned the first's Cambridgeshire 2/3 at [2, 2]) */
			keep = k < out->nareas && !changed[k] && n;
		}
		if (keep && dataset_add(out, o->area, o->stat, o->category, o->level, o->value, OBS_OK) != 0)
			goto out;
	}
	/* what a publication before that one gave with a value and it withheld: its revisions.csv */
	for (size_t i = 0; i < s->ncarried; i++) {
		const struct series_revision *r = &s->carried[i];
		const struct obs *n;
		long long first;
		size_t k = 0;
		if (r->first[0] < '0' || r->first[0] > '9' || strcmp(r->area, now->national_code) == 0)
			continue;
		while (k < out->nareas && strcmp(out->areas[k].code, r->area) != 0)
			k++;
		n = dataset_find(now, r->area, r->stat, r->category, r->level);
		first = strtoll(r->first, NULL, 10);
		if (k == out->nareas || revised[k] || !n || (now_true && n->value != first))
			continue;
		/* from what is published alone, a figure withheld now may be the revised one (the
		   earlier bundle's revisions.csv lists the figures it changed, [c] now): its first
		   value is not known to be its value now. Taken as known, the same returns published
		   again after a revision failed mappa-audit --earlier (Cambridgeshire's first 23,
		   its revised figure behind [c], pinned the national cells) */
		if (!now_true && n->status != OBS_OK)
			continue;
		if (!has_key(out, r->area, r->stat, r->category, r->level) &&
		    dataset_add(out, r->area, r->stat, r->category, r->level, first, OBS_OK) != 0)
			goto out;
	}
	if (add_earlier_system(before, truth, changed, '0', now, out) != 0 ||
	    add_unchanged(before, changed, now, now_true, out) != 0)
		goto out;
	dataset_sort(out);
	result = 0;
out:
	if (result != 0) {
		dataset_release(out);
		dataset_init(out);
	}
	return result;
}

int series_attach_truth(struct series *s, const struct dataset *truth)
{
	const struct dataset *pub = &s->before.ds;
	struct dataset *t = &s->truth;

	if (!s->republished || truth->stage != STAGE_SUPPRESSED ||
	    strcmp(truth->period, pub->period) != 0)
		return -1;
	for (size_t i = 0; i < pub->nobs; i++) {
		const struct obs *o = &pub->obs[i];
		const struct obs *x = dataset_find(truth, o->area, o->stat, o->category, o->level);
		if (o->status == OBS_MISSING || o->status == OBS_NA)
			continue;
		if (!x || (o->status == OBS_OK && (x->status != OBS_OK || x->value != o->value)) ||
		    (o->status != OBS_OK && !obs_status_withheld(x->status)))
			return -1;
	}
	dataset_release(t);
	dataset_init(t);
	for (size_t i = 0; i < truth->nobs; i++) {
		const struct obs *x = &truth->obs[i];
		if (dataset_add(t, x->area, x->stat, x->category, x->level, x->value, x->status) != 0) {
			dataset_release(t);
			dataset_init(t);
			return -2;
		}
	}
	snprintf(t->national_code, sizeof t->national_code, "%s", truth->national_code);
	t->nareas = truth->nareas;
	memcpy(t->areas, truth->areas, truth->nareas * sizeof truth->areas[0]);
	dataset_sort(t);
	s->have_truth = 1;
	return 0;
}

int series_run_folder(const char *bundle, char *run, const char **file)
{
	char *slash;

	if (!realpath(bundle, run) || !(slash = strrchr(run, '/')))
		return 0;
	*slash = '\0'; /* RUN/bundle */
	if (file)
		*file = slash + 1;
	if (!(slash = strrchr(run, '/')) || strcmp(slash + 1, "bundle") != 0)
		return 0;
	*slash = '\0'; /* RUN */
	return 1;
}

int series_attach_run_truth(struct series *s, const struct defs *defs, const char *bundle,
			    struct diag_list *d)
{
	char real[PATH_MAX], obs[PATH_MAX + 32], qb[512], qo[512];
	struct diag_list scratch = DIAG_LIST_INIT;
	struct dataset *t; /* 45 KB: off the stack frame (ulimit -v) */
	struct stat st;
	int rc = 0;

	if (!series_run_folder(bundle, real, NULL))
		return 0;
	if (snprintf(obs, sizeof obs, "%s/suppressed.obs", real) >= (int)sizeof obs)
		return 0;
	if (lstat(obs, &st) != 0 && errno == ENOENT) {
		/* the bundle is in a run folder, which keeps its true values: gone from there, it
		   is named (the message said they were "not where its bundle is", QA) */
		if (d)
			diag_add(d, obs, 0, "S03", DIAG_ERROR,
				 "the true values of the earlier publication %s, %s, are missing from its "
				 "run folder: put the run folder's copy back (from a backup of OUTDIR)",
				 quote_arg_buf(qb, sizeof qb, bundle), quote_arg_buf(qo, sizeof qo, obs));
		return -1;
	}
	t = dataset_new();
	if (!t) {
		if (d)
			diag_add_errno(d, obs, "S03", ENOMEM, "out of memory");
		return -2;
	}
	if (dataset_read_path(t, defs, obs, &scratch) != 0) {
		/* there, and damaged: a truncated file was taken as no file, and a revision was
		   audited without that publication's true values (QA) */
		rc = -1;
		if (d)
			diag_add(d, obs, scratch.count ? scratch.items[0].line : 0, "S03", DIAG_ERROR,
				 "the true values of the earlier publication %s, %s, cannot be read: %s",
				 quote_arg_buf(qb, sizeof qb, bundle), quote_arg_buf(qo, sizeof qo, obs),
				 scratch.count ? scratch.items[0].message : "refused");
	} else {
		int a = series_attach_truth(s, t);
		rc = a == 0 ? 1 : a == -2 ? -2 : -1;
		if (rc == -1 && d)
			diag_add(d, obs, 0, "S03", DIAG_ERROR,
				 "%s is not the true values behind the earlier publication %s: it "
				 "publishes figures they do not hold, or shows a figure they withhold",
				 quote_arg_buf(qo, sizeof qo, obs), quote_arg_buf(qb, sizeof qb, bundle));
	}
	dataset_free(t);
	diag_clear(&scratch);
	return rc;
}

/* Whether name ends in suffix, in any case. */
static int ends_with_nocase(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);

	return n > m && strcasecmp(name + n - m, suffix) == 0;
}

/* Whether name holds part (ASCII letters in any case). */
static int contains_nocase(const char *name, const char *part)
{
	size_t n = strlen(part);

	for (; *name; name++)
		if (strncasecmp(name, part, n) == 0)
			return 1;
	return 0;
}

int series_renamed_bundle(const char *folder, const char *period, char *found, size_t size)
{
	char path[PATH_MAX], prefix[32];
	struct dirent *de;
	DIR *dir = opendir(folder);
	int hit = 0;

	if (!dir)
		return 0;
	snprintf(prefix, sizeof prefix, "mappa-%s", period);
	while (!hit && (de = readdir(dir)) != NULL) {
		struct stat st;
		if (bundle_name_parse(de->d_name, NULL, NULL) >= 0)
			continue; /* a bundle's own name (this period's, or another's: series_load) */
		if (!ends_with_nocase(de->d_name, ".tar.gz") && !ends_with_nocase(de->d_name, ".tgz") &&
		    !ends_with_nocase(de->d_name, ".zip"))
			continue;
		/* a file, or a link to one: a folder or a FIFO so named holds no publication */
		if (snprintf(path, sizeof path, "%s/%s", folder, de->d_name) >= (int)sizeof path ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		/* its name holds mappa-PERIOD, or its first entry is in the period's folder
		   ("previous.tar.gz": QA round 2); the period alone in a name refused a text file
		   "police-budget-2022-23.zip" (QA round 3). One that cannot be opened cannot be
		   told apart: 2 (it was passed over, and published beside) */
		if (contains_nocase(de->d_name, prefix)) {
			hit = 1;
		} else {
			int h = history_holds_period(path, period);
			hit = h == 1 ? 1 : h < 0 ? 2 : 0;
		}
		if (hit)
			snprintf(found, size, "%s", de->d_name);
	}
	closedir(dir);
	return hit;
}

int series_other_bundle(const char *dir, const char *history, const char *period, char *path,
			size_t size)
{
	struct stat a, b;
	char name[64];

	if (stat(dir, &a) == 0 && stat(history, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		return 0; /* the same folder: series_load read it */
	for (int zip = 0; zip < 2; zip++)
		if (bundle_name(name, sizeof name, period, zip ? BUNDLE_ZIP : BUNDLE_TAR_GZ) == 0 &&
		    snprintf(path, size, "%s/%s", dir, name) < (int)size && lstat(path, &a) == 0 &&
		    S_ISREG(a.st_mode))
			return 1;
	return 0;
}

int series_revision_known(struct series *s, const struct dataset *now, const struct defs *defs,
			  const char *path, const char *file, struct dataset *known,
			  struct diag_list *d)
{
	const struct obs *differs;
	int t;

	dataset_init(known);
	t = series_attach_run_truth(s, defs, path, d);
	if (t == -2)
		return -2;
	if (t == -1)
		return -1;
	/* only the same publication again (every figure published or withheld as the bundle has
	   it) tells a reader nothing new without the true values behind the bundle */
	if (!s->have_truth && (differs = dataset_published_differs(now, &s->before.ds)) != NULL) {
		char w[160], q[512];
		/* at its line when it is a figure of now's file (the bundle's has none here) */
		long at = differs >= now->obs && differs < now->obs + now->nobs ? differs->line : 0;
		diag_add(d, file, at, "P09", DIAG_ERROR, "%s is published otherwise than in the bundle "
			 "it revises (%s), whose true values are not at hand (it is not a link into the "
			 "run folder of the mappa-run that published it): what a reader of both learns "
			 "cannot be audited; make the revision with mappa-run (docs/operations.md, \"A "
			 "resubmission\")",
			 dataset_cell_words(defs, differs->area, differs->stat, differs->category,
					    differs->level, w, sizeof w),
			 quote_arg_buf(q, sizeof q, path));
		return -1;
	}
	return series_known_earlier(s, now, defs, 1, known) != 0 ? -2 : 0;
}

int series_known_more(const struct series *s, const struct dataset *now, const struct defs *defs,
		      int now_true, char tag, struct dataset *into)
{
	struct dataset *k = malloc(sizeof *k); /* 45 KB: off the stack frame (ulimit -v) */
	size_t m = 0;
	int rc = -1;

	if (!k)
		return -1;
	if (series_known_earlier(s, now, defs, now_true, k) != 0) {
		free(k);
		return -1;
	}
	for (size_t i = 0; i < k->nobs; i++) {
		struct obs *o = &k->obs[i];
		if (o->area[0] == DATASET_EARLIER)
			o->area[1] = tag; /* its own system beside the others */
		else if (o->status != OBS_OK)
			continue; /* only the latest publication's pattern is kept whole */
		k->obs[m++] = *o;
	}
	k->nobs = m;
	dataset_sort(k);
	rc = series_known_merge(into, k);
	dataset_free(k);
	return rc;
}

int series_known_published(const struct series *s, const struct dataset *now,
			   const struct defs *defs, struct dataset *out)
{
	return series_known_earlier(s, now, defs, 1, out);
}

int series_known_merge(struct dataset *into, const struct dataset *more)
{
	/* into's rows before this call (sorted), only read; and the rows to add: 45 KB each, off
	   the stack frame (ulimit -v) */
	struct dataset *view = malloc(sizeof *view), *add = dataset_new();
	int result = -1;

	if (!view || !add)
		goto out;
	*view = *into;
	for (size_t i = 0; i < more->nobs; i++) {
		const struct obs *o = &more->obs[i];
		if (view->nobs && dataset_find(view, o->area, o->stat, o->category, o->level))
			continue;
		if (dataset_add(add, o->area, o->stat, o->category, o->level, o->value, o->status) != 0)
			goto out;
	}
	for (size_t i = 0; i < add->nobs; i++) {
		const struct obs *o = &add->obs[i];
		if (dataset_add(into, o->area, o->stat, o->category, o->level, o->value, o->status) != 0)
			goto out;
	}
	dataset_sort(into);
	result = 0;
out:
	dataset_free(add);
	free(view);
	return result;
}

/* Reads the earlier publication at path into s->before (and its revisions.csv, a bundle's). */
static int load_earlier(struct series *s, const struct defs *defs, const struct areas *areas,
			const char *path, const char *period, struct diag_list *d)
{
	char *buf = NULL, *rev = NULL;
	size_t len = 0, rlen = 0;
	int r, result = -1;

	/* in a run folder, the bundle its run published, as series_load reads one (QA: a bundle
	   put in place of an earlier publication of the period was solved with as that one) */
	if (series_check_run_record(path, d) != 0)
		return -1;
	r = xmlsafe_read_file(path, (size_t)HISTORY_MAX_UNPACKED, &buf, &len);
	if (r == XMLSAFE_READ_ERROR || r == XMLSAFE_READ_NOT_FILE) {
		/* a FIFO or a device as well: cannot read, as every other reader says (EINVAL) */
		int e = errno;
		diag_add_errno(d, path, "H01", e, "cannot read: %s", xmlsafe_strerror(e));
		errno = e;
		return -2;
	}
	if (r != XMLSAFE_READ_OK) {
		diag_add(d, path, 0, "H01", DIAG_ERROR, "too large for an earlier publication");
		goto out;
	}
	if (len >= sizeof PUBLISHED_CSV_HEADER - 1 &&
	    memcmp(buf, PUBLISHED_CSV_HEADER, sizeof PUBLISHED_CSV_HEADER - 1) == 0) {
		/* a bundle's observations.csv, unpacked: no manifest to check it against */
		if (published_read(&s->before.ds, defs, areas, path, buf, len, d) != 0)
			goto out;
		if (strcmp(s->before.ds.period, period) != 0) {
			diag_add(d, path, 2, "H04", DIAG_ERROR,
				 "the earlier publication is for %.11s, not for %.11s", s->before.ds.period,
				 period);
			goto out;
		}
	} else if (history_read_mem(&s->before.ds, defs, areas, path, buf, len, period, &rev, &rlen,
				    d) != 0) {
		/* the bytes read once above: the file is not opened again */
		goto out;
	}
	dataset_sort(&s->before.ds);
	snprintf(s->before.period, sizeof s->before.period, "%s", period);
	s->republished = 1;
	if (rev) {
		char at[PATH_MAX + 200];
		snprintf(at, sizeof at, "%s(mappa-%s/revisions.csv)", path, period);
		int pr = parse_carried(s, defs, rev, rlen, at, d);
		if (pr == -2)
			diag_add_errno(d, path, "H01", ENOMEM, "out of memory");
		if (pr != 0)
			goto out;
	}
	result = 0;
out:
	free(buf);
	free(rev);
	return result;
}

int series_load_earlier(struct series *s, const struct defs *defs, const struct areas *areas,
			const char *path, const char *period, struct diag_list *d)
{
	int r;

	series_init(s);
	snprintf(s->period, sizeof s->period, "%s", period);
	r = load_earlier(s, defs, areas, path, period, d);
	if (r != 0) {
		int e = errno;
		series_release(s);
		series_init(s);
		snprintf(s->period, sizeof s->period, "%s", period);
		errno = e;
	}
	return r;
}

/* The return the merge used for area a (its source and code), or NULL. */
static const struct series_return *used_return(const struct dataset_area *a,
					       const struct series_return *returns, size_t n)
{
	for (size_t i = 0; returns && i < n; i++)
		if (returns[i].ret && returns[i].file && strcmp(returns[i].file, a->source) == 0 &&
		    strcmp(returns[i].ret->area_code, a->code) == 0 &&
		    returns[i].ret->revision == a->revision)
			return &returns[i];
	return NULL;
}

int series_yoy(const struct series *s, const struct dataset *merged, const struct defs *defs,
	       const struct yoy_limits *limits, const struct series_return *returns,
	       size_t nreturns, struct diag_list *d)
{
	const struct dataset *prev = series_previous(s);
	struct area_return *ret;
	int total = 0;

	if (!prev)
		return 0;
	ret = malloc(sizeof *ret);
	if (!ret)
		return -1;
	for (size_t i = 0; i < merged->nareas && total >= 0; i++) {
		const struct dataset_area *a = &merged->areas[i];
		const struct series_return *used;
		int n;
		if (a->state != AREA_PRESENT)
			continue;
		used = used_return(a, returns, nreturns);
		if (used) {
			n = yoy_compare_published(defs, limits, prev, used->ret, used->file, d);
			total = n < 0 ? -1 : total + n;
			continue;
		}
		memset(ret, 0, sizeof *ret);
		snprintf(ret->area_code, sizeof ret->area_code, "%s", a->code);
		snprintf(ret->period, sizeof ret->period, "%s", merged->period);
		ret->revision = a->revision;
		for (size_t ti = 0; ti < defs->ntables && ti < DEFS_MAX_TABLES; ti++)
			for (int cat = 0; cat <= 4; cat++)
				for (int lev = 0; lev <= 3; lev++) {
					const struct obs *o = dataset_find(merged, a->code, (unsigned)ti, cat, lev);
					if (!o || !defs_has_cell(&defs->tables[ti], cat, lev))
						continue;
					ret->cells[ti][cat][lev].value = o->value;
					ret->cells[ti][cat][lev].present = 1;
				}
		n = yoy_compare_published(defs, limits, prev, ret, a->source[0] ? a->source : a->code, d);
		total = n < 0 ? -1 : total + n;
	}
	free(ret);
	return total;
}
