#include "dataset.h"
#include "isodate.h"
#include "outfile.h"
#include "quote.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "xmlsafe.h"

#define MAGIC "mappa-observations"

static const char *const stage_names[] = { "normalised", "merged", "suppressed" };
static const char *const status_names[OBS_STATUS_COUNT] = {
	"ok", "primary", "secondary", "withheld", "na", "missing"
};
static const char *const status_symbols[OBS_STATUS_COUNT] = { "", "[c]", "[c]", "[c]", "[z]", "[x]" };
static const char *const sdmx_obs[OBS_STATUS_COUNT] = { "A", "Q", "Q", "Q", "M", "O" };
/* One confidentiality code for every withheld cell, whatever the reason: a reader who could
 * tell a primary (a small count) from a secondary would narrow it (docs/disclosure-method.md). */
static const char *const sdmx_conf[OBS_STATUS_COUNT] = { "F", "C", "C", "C", "", "" };

const char *obs_status_name(enum obs_status s) { return s < OBS_STATUS_COUNT ? status_names[s] : "?"; }
const char *obs_status_symbol(enum obs_status s) { return s < OBS_STATUS_COUNT ? status_symbols[s] : "?"; }
const char *obs_status_sdmx_obs(enum obs_status s) { return s < OBS_STATUS_COUNT ? sdmx_obs[s] : "?"; }
const char *obs_status_sdmx_conf(enum obs_status s) { return s < OBS_STATUS_COUNT ? sdmx_conf[s] : "?"; }
int obs_status_published(enum obs_status s) { return s == OBS_OK; }
int obs_status_withheld(enum obs_status s)
{
	return s == OBS_PRIMARY || s == OBS_SECONDARY || s == OBS_WITHHELD;
}

void dataset_init(struct dataset *ds)
{
	memset(ds, 0, sizeof *ds);
	ds->stage = STAGE_NORMALISED;
}

void dataset_release(struct dataset *ds)
{
	free(ds->obs);
	free(ds->superseded);
	ds->obs = NULL;
	ds->superseded = NULL;
	ds->nobs = ds->obs_alloc = ds->nsuperseded = ds->superseded_alloc = 0;
}

struct dataset *dataset_new(void)
{
	struct dataset *ds = malloc(sizeof *ds);
	if (ds)
		dataset_init(ds);
	return ds;
}

void dataset_free(struct dataset *ds)
{
	if (!ds)
		return;
	dataset_release(ds);
	free(ds);
}

int dataset_add(struct dataset *ds, const char *area, unsigned stat, int category, int level,
		long long value, enum obs_status status)
{
	struct obs *o;

	if (ds->nobs == ds->obs_alloc) {
		size_t n = ds->obs_alloc ? ds->obs_alloc * 2 : 256;
		struct obs *p = realloc(ds->obs, n * sizeof *p);
		if (!p)
			return -1;
		ds->obs = p;
		ds->obs_alloc = n;
	}
	o = &ds->obs[ds->nobs++];
	memset(o, 0, sizeof *o);
	snprintf(o->area, sizeof o->area, "%s", area);
	o->stat = stat;
	o->category = category;
	o->level = level;
	o->value = value;
	o->status = status;
	return 0;
}

int dataset_add_superseded(struct dataset *ds, const struct dataset_superseded *s)
{
	if (ds->nsuperseded == ds->superseded_alloc) {
		size_t n = ds->superseded_alloc ? ds->superseded_alloc * 2 : 8;
		struct dataset_superseded *p = realloc(ds->superseded, n * sizeof *p);
		if (!p)
			return -1;
		ds->superseded = p;
		ds->superseded_alloc = n;
	}
	ds->superseded[ds->nsuperseded++] = *s;
	return 0;
}

/* The national code sorts first; qsort has no context, so it is kept here while sorting. */
static const char *sort_national;

static int area_cmp(const char *a, const char *b)
{
	int an = strcmp(a, sort_national) == 0, bn = strcmp(b, sort_national) == 0;
	if (an != bn)
		return an ? -1 : 1;
	return strcmp(a, b);
}

static int obs_cmp(const void *pa, const void *pb)
{
	const struct obs *a = pa, *b = pb;
	int c = area_cmp(a->area, b->area);
	if (c)
		return c;
	if (a->stat != b->stat)
		return a->stat < b->stat ? -1 : 1;
	if (a->category != b->category)
		return a->category < b->category ? -1 : 1;
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	return 0;
}

static int superseded_cmp(const void *pa, const void *pb)
{
	const struct dataset_superseded *a = pa, *b = pb;
	int c = strcmp(a->code, b->code);
	if (c)
		return c;
	if (a->revision != b->revision)
		return a->revision < b->revision ? -1 : 1;
	return strcmp(a->source, b->source);
}

static int area_entry_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct dataset_area *)pa)->code, ((const struct dataset_area *)pb)->code);
}

int dataset_earlier_code(char *buf, size_t size, char tag, const char *area)
{
	size_t n = strlen(area);
	if (n + 3 > size)
		return -1;
	buf[0] = DATASET_EARLIER;
	buf[1] = tag;
	memcpy(buf + 2, area, n + 1);
	return 0;
}

size_t dataset_areas_in(const struct dataset *ds, enum area_state state)
{
	size_t n = 0;

	for (size_t a = 0; a < ds->nareas; a++)
		n += ds->areas[a].state == state;
	return n;
}

void dataset_sort(struct dataset *ds)
{
	sort_national = ds->national_code;
	if (ds->nobs)
		qsort(ds->obs, ds->nobs, sizeof *ds->obs, obs_cmp);
	if (ds->nsuperseded)
		qsort(ds->superseded, ds->nsuperseded, sizeof *ds->superseded, superseded_cmp);
	if (ds->nareas)
		qsort(ds->areas, ds->nareas, sizeof *ds->areas, area_entry_cmp);
	ds->nobs_sorted = ds->nobs;
}

struct obs *dataset_find(const struct dataset *ds, const char *area, unsigned stat,
			 int category, int level)
{
	struct obs key;

	memset(&key, 0, sizeof key);
	snprintf(key.area, sizeof key.area, "%s", area);
	key.stat = stat;
	key.category = category;
	key.level = level;
	sort_national = ds->national_code;
	/* rows are kept sorted by every writer and reader; a scan only for rows added since */
	if (ds->nobs) {
		struct obs *hit = bsearch(&key, ds->obs, ds->nobs, sizeof *ds->obs, obs_cmp);
		if (hit)
			return hit;
	}
	if (ds->nobs_sorted == ds->nobs)
		return NULL; /* sorted: not there (without this, every absent row cost a scan) */
	for (size_t i = 0; i < ds->nobs; i++)
		if (obs_cmp(&key, &ds->obs[i]) == 0)
			return &ds->obs[i];
	return NULL;
}

unsigned dataset_stat_count(const struct defs *defs)
{
	return (unsigned)(defs->ntables + defs->nrates);
}

const char *dataset_stat_name(const struct defs *defs, unsigned stat)
{
	if (stat < defs->ntables)
		return defs->tables[stat].name;
	if (stat < defs->ntables + defs->nrates)
		return defs->rates[stat - defs->ntables].name;
	return NULL;
}

/* A status as a reader sees it: [c] whatever the reason. */
static int published_as(enum obs_status st)
{
	return obs_status_withheld(st) ? OBS_WITHHELD : (int)st;
}

const struct obs *dataset_published_differs(const struct dataset *now, const struct dataset *before)
{
	for (size_t i = 0; i < now->nobs; i++) {
		const struct obs *o = &now->obs[i];
		const struct obs *e = dataset_find(before, o->area, o->stat, o->category, o->level);
		if (!e)
			continue; /* a figure observations.csv does not hold, now as then */
		if (published_as(o->status) != published_as(e->status) ||
		    (o->status == OBS_OK && o->value != e->value))
			return o;
	}
	/* a row now lacks is published again as [x] or [z]: no figure then, none now */
	for (const struct obs *e = before->obs; e && e < before->obs + before->nobs; e++)
		if ((e->status == OBS_OK || obs_status_withheld(e->status)) &&
		    !dataset_find(now, e->area, e->stat, e->category, e->level))
			return e;
	return NULL;
}

struct obs *dataset_rate_count(const struct dataset *ds, const struct defs *defs,
			       const struct obs *rate)
{
	const struct defs_rate *r;

	if (rate->stat < defs->ntables || rate->stat - defs->ntables >= defs->nrates)
		return NULL;
	r = &defs->rates[rate->stat - defs->ntables];
	return dataset_find(ds, rate->area, (unsigned)r->table, r->category, LEVEL_ALL);
}

int dataset_rate_shown_alone(const struct dataset *ds, const struct defs *defs,
			     const struct obs *o)
{
	const struct obs *count;

	if (o->stat < defs->ntables || o->status != OBS_OK)
		return 0;
	count = dataset_rate_count(ds, defs, o);
	return !count || count->status != OBS_OK;
}

long long dataset_national_population(const struct dataset *ds)
{
	long long sum = 0;

	for (size_t i = 0; i < ds->nareas && i < AREAS_MAX; i++)
		if (ds->areas[i].state == AREA_PRESENT)
			sum += ds->areas[i].population;
	return sum;
}

const struct dataset_area *dataset_area_find(const struct dataset *ds, const char *code)
{
	for (size_t i = 0; i < ds->nareas && i < AREAS_MAX; i++)
		if (strcmp(ds->areas[i].code, code) == 0)
			return &ds->areas[i];
	return NULL;
}

const char *dataset_cell_words(const struct defs *defs, const char *area, unsigned stat,
			       int category, int level, char *buf, size_t size)
{
	const char *name = dataset_stat_name(defs, stat);
	char c[32] = "", l[32] = "";

	if (category != CAT_NONE)
		snprintf(c, sizeof c, " category '%s'", defs_category_name(category));
	if (level != LEVEL_NONE)
		snprintf(l, sizeof l, " level '%s'", defs_level_name(level));
	snprintf(buf, size, "%s %s%s%s", area, name ? name : "(no statistic)", c, l);
	return buf;
}

int dataset_stat_find(const struct defs *defs, const char *name)
{
	for (unsigned i = 0; i < dataset_stat_count(defs); i++)
		if (strcmp(dataset_stat_name(defs, i), name) == 0)
			return (int)i;
	return -1;
}

/* ---- writing ---- */

struct writer {
	FILE *out;
	uLong crc;
	unsigned long lines;
	int failed;
};

/* A name field (a source, the policy) as written, in q (4 * DATASET_PATH_MAX + 8 bytes): a
 * name that must be quoted (a control character, a quote or a backslash, or a character that
 * makes two names look alike: quote.h) C-quoted as the reports show it ("x\ny.xml"), and read
 * back unquoted (read_name): made spaces, two inputs x<LF>y.xml and 'x y.xml' became one source,
 * and the lineage said revision 1 came from revision 2's file; quoted only when it held a
 * control character, a name that was itself such a form ("a\ty.xml" with its quotes) still
 * became one with a<TAB>y.xml (QA). A name that is "-" itself is written "\"-\"", since a
 * bare "-" is no name (QA: a return named '-' came back as no name). The other fields are
 * written as they are, and checked plain as they are read. */
#define NAME_FIELD_MAX (4 * DATASET_PATH_MAX + 8)
static const char *name_field(const char *s, char *q)
{
	if (s && strcmp(s, "-") == 0)
		return "\"-\"";
	return s && quote_needed(s) ? quote_name_buf(q, NAME_FIELD_MAX, s) : s;
}

/* A field may hold no tab or line break: they become spaces; an empty one is written "-". */
static void put_bytes(struct writer *w, const char *buf, size_t n)
{
	w->crc = crc32(w->crc, (const Bytef *)buf, (uInt)n);
	if (fwrite(buf, 1, n, w->out) != n)
		w->failed = 1;
}

/* A field whole, whatever its length (QA: cut at 1,023 bytes, a population source of 600 'é'
   ended inside a character, and every stage refused the file its writer had written). */
static void put_field(struct writer *w, const char *s, int last)
{
	char buf[256];
	size_t n = 0;

	if (!s || !*s)
		s = "-";
	for (; *s; s++) {
		buf[n++] = (*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s;
		if (n == sizeof buf) {
			put_bytes(w, buf, n);
			n = 0;
		}
	}
	buf[n++] = last ? '\n' : '\t';
	put_bytes(w, buf, n);
	if (last)
		w->lines++;
}

static void put_line(struct writer *w, int nfields, const char *const *fields)
{
	for (int i = 0; i < nfields; i++)
		put_field(w, fields[i], i == nfields - 1);
}

int dataset_write(struct dataset *ds, const struct defs *defs, FILE *out)
{
	struct writer w = { out, 0, 0, 0 };
	char n1[32], n2[32], n3[32], n4[32], n5[32], q[NAME_FIELD_MAX];

	w.crc = crc32(0L, Z_NULL, 0);
	dataset_sort(ds);
	snprintf(n1, sizeof n1, "%d", DATASET_FORMAT_VERSION);
	put_line(&w, 2, (const char *[]){ MAGIC, n1 });
	put_line(&w, 2, (const char *[]){ "stage", stage_names[ds->stage] });
	put_line(&w, 2, (const char *[]){ "period", ds->period });
	put_line(&w, 3, (const char *[]){ "national", ds->national_code, ds->national_name });
	put_line(&w, 2, (const char *[]){ "population-source", ds->population_source });
	put_line(&w, 2, (const char *[]){ "incomplete", ds->incomplete ? "1" : "0" });
	if (ds->stage == STAGE_SUPPRESSED) {
		snprintf(n1, sizeof n1, "%ld", ds->primary_count);
		snprintf(n2, sizeof n2, "%ld", ds->secondary_count);
		snprintf(n3, sizeof n3, "%lld", ds->secondary_sum);
		snprintf(n4, sizeof n4, "%ld", ds->withheld_count);
		put_line(&w, 2, (const char *[]){ "policy", name_field(ds->policy, q) });
		if (ds->policy_sha256[0])
			put_line(&w, 2, (const char *[]){ "policy-sha256", ds->policy_sha256 });
		put_line(&w, 5, (const char *[]){ "suppression", n1, n2, n3, n4 });
	}
	for (size_t i = 0; i < ds->nareas; i++) {
		const struct dataset_area *a = &ds->areas[i];
		snprintf(n1, sizeof n1, "%ld", a->revision);
		snprintf(n2, sizeof n2, "%lld", a->population);
		put_line(&w, 9, (const char *[]){ "area", a->code, a->name,
			 a->state == AREA_PRESENT ? "present" : "missing", n1, a->submitted, n2,
			 a->population_approximate ? "1" : "0", name_field(a->source, q) });
	}
	for (size_t i = 0; i < ds->nsuperseded; i++) {
		const struct dataset_superseded *s = &ds->superseded[i];
		snprintf(n1, sizeof n1, "%ld", s->revision);
		snprintf(n2, sizeof n2, "%ld", s->by_revision);
		put_line(&w, 5, (const char *[]){ "superseded", s->code, n1, n2, name_field(s->source, q) });
	}
	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		const char *stat = dataset_stat_name(defs, o->stat);
		if (!stat) {
			errno = EINVAL;
			return -1;
		}
		snprintf(n5, sizeof n5, "%lld", o->value);
		put_line(&w, 7, (const char *[]){ "obs", o->area, stat, defs_category_name(o->category),
			 defs_level_name(o->level), n5, obs_status_name(o->status) });
	}
	snprintf(n1, sizeof n1, "%lu", w.lines);
	snprintf(n2, sizeof n2, "%08lx", (unsigned long)w.crc);
	if (fprintf(out, "end\t%s\t%s\n", n1, n2) < 0 || w.failed || fflush(out) != 0)
		return -1;
	return 0;
}

int dataset_period_year(const char *s)
{
	int y = 0;
	for (int i = 0; i < 7; i++)
		if (i == 4 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -1;
	if (s[7] != '\0')
		return -1;
	for (int i = 0; i < 4; i++)
		y = y * 10 + (s[i] - '0');
	return (y + 1) % 100 == (s[5] - '0') * 10 + (s[6] - '0') && dataset_period_year_ok(y) ? y : -1;
}

int dataset_period_year_ok(long y)
{
	return y >= DATASET_PERIOD_FIRST_YEAR && y <= DATASET_PERIOD_LAST_YEAR;
}

int dataset_period_valid(const char *s)
{
	return dataset_period_year(s) >= 0;
}

int dataset_write_fd(struct dataset *ds, const struct defs *defs, int fd, int sync)
{
	FILE *f = fdopen(fd, "w");
	int rc, saved;

	if (!f) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	rc = dataset_write(ds, defs, f) != 0 || (sync && fsync(fd) != 0) ? -1 : 0;
	saved = errno;
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	errno = saved;
	return rc;
}

/* dataset_write_path's work: -1 with errno set, -2 when something not a file stands there. */
static int write_path(struct dataset *ds, const struct defs *defs, const char *path)
{
	char tmp[DATASET_PATH_MAX + 32];
	int fd, saved, kind;

	if (outfile_tmpname(tmp, sizeof tmp, path) != 0)
		return -1;
	kind = outfile_check(path);
	if (kind < 0)
		return -1;
	if (kind == OUTFILE_STREAM) {
		/* straight into the device or the FIFO: it is not replaced (outfile.h) */
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
		return fd < 0 ? -1 : dataset_write_fd(ds, defs, fd, 0);
	}
	if (kind == OUTFILE_OTHER)
		return -2;
	/* 0600: it holds the true values (or path's own mode, outfile_keep_mode) */
	fd = outfile_create_tmp(tmp, path);
	if (fd < 0)
		return -1;
	if (dataset_write_fd(ds, defs, fd, 1) != 0 || rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}

int dataset_write_path(struct dataset *ds, const struct defs *defs, const char *path,
		       struct diag_list *d)
{
	int e, r = write_path(ds, defs, path);

	if (r == 0)
		return 0;
	if (r == -2) {
		diag_add_errno(d, path, "O10", EEXIST, "cannot write: " OUTFILE_NOT_A_FILE);
		return -1;
	}
	e = errno ? errno : EIO;
	diag_add_errno(d, path, "O10", e, "cannot write: %s", outfile_strerror(e));
	return -1;
}

/* ---- reading ---- */

#define MAX_FIELDS 10

struct reader {
	const char *file;
	struct diag_list *d;
	long line;
	int errors;
	unsigned seen;  /* header lines read (bit i: header_keys[i]) */
	long incomplete_line;	/* where the incomplete flag was read */
	long suppressed_line;	/* the first line only a suppressed dataset has (its key) */
	const char *suppressed_key;
};

/* The header lines, each at most once: a second 'period' line published a year's figures as
   another year's bundle, the last line read winning without a word (QA). */
static const char *const header_keys[] = {
	"stage", "period", "national", "population-source", "incomplete", "policy",
	"policy-sha256", "suppression",
};
/* header_keys from here on are a suppressed dataset's alone (dataset_write) */
enum { HEADER_SUPPRESSED = 5 };

/* every error goes to the list, which keeps 100 of a file and counts the rest ("and N more
   not shown"); a cap of 20 here dropped the others uncounted (QA) */
#define RERR(rd, rule, ...) \
	do { \
		(rd)->errors++; \
		diag_add((rd)->d, (rd)->file, (rd)->line, (rule), DIAG_ERROR, __VA_ARGS__); \
	} while (0)

static int parse_number(const char *s, long long max, long long *out)
{
	long long v = 0;
	if (!*s || strlen(s) > 15)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* Why parse_number refused s, for a message: not digits, too many, or too large. */
static const char *number_why(const char *s)
{
	if (!*s || strspn(s, "0123456789") != strlen(s))
		return "is not a whole number written in digits";
	return strlen(s) > 15 ? "has more than 15 digits" : "is too large";
}

/* Copies a field ("-" is empty). Returns -1, copying nothing, when it does not fit: cutting it
 * would make two different keys one (two area codes equal in their first 15 characters). */
static int copy_field(char *dst, size_t size, const char *s)
{
	size_t n;

	if (strcmp(s, "-") == 0)
		s = "";
	n = strlen(s);
	if (n >= size)
		return -1;
	memcpy(dst, s, n + 1);
	return 0;
}

/* A file name field (a source, the policy): its C-quoted form (put_field) read back as the
 * name it stands for, else as copy_field. 0, or -1 when it does not fit or is no quoted form. */
static int read_name(char *dst, size_t size, const char *s)
{
	if (s[0] == '"')
		return quote_unquote(s, dst, size) < 0 ? -1 : 0;
	return copy_field(dst, size, s);
}

/* 1 when a code or date read from a dataset can be published as it is: empty, or text with no
 * control character, no invalid UTF-8, nothing that hides or reorders text and no space at
 * either end (quote.h). An area name with an ESC and a \xff byte went into every format of the
 * bundle, and made its ODS not well-formed (QA). The source (a file name) is exempt: it is
 * quoted wherever it is printed. */
static int plain_field(const char *s)
{
	return strcmp(s, "-") == 0 || *s == '\0' || !quote_needed(s);
}

/* The same for a text (a name, the population source): a no-break space or a quote is text
 * there, as the reference data allows (a population source with one was written quoted and
 * refused by the next stage, O03). */
static int plain_text(const char *s)
{
	return strcmp(s, "-") == 0 || quote_text_plain(s);
}

static int valid_key(const struct defs *defs, unsigned stat, int cat, int lev)
{
	const struct defs_table *t;
	if (stat >= defs->ntables) /* a rate: one value per area */
		return cat == CAT_NONE && lev == LEVEL_NONE;
	t = &defs->tables[stat];
	if (defs_has_cell(t, cat, lev))
		return 1;
	/* a cell that cannot exist (category 3 at level 1) is kept as a row with status na */
	if (cat >= 1 && cat <= 4 && lev >= 1 && lev <= 3 && (t->na[cat] >> lev & 1u))
		return 1;
	/* totals: over categories (all, 1-3) and/or over levels */
	if ((cat == CAT_ALL || cat == CAT_1_3) && t->categories &&
	    (lev == LEVEL_ALL ? t->levels != 0 : (lev == LEVEL_NONE ? !t->levels : (t->levels >> lev & 1u))))
		return 1;
	if (lev == LEVEL_ALL && t->levels && cat >= 0 && cat <= 4 &&
	    (cat == CAT_NONE ? !t->categories : (t->categories >> cat & 1u)))
		return 1;
	return 0;
}

static int known_area(const struct dataset *ds, const char *code)
{
	if (strcmp(code, ds->national_code) == 0)
		return 1;
	for (size_t i = 0; i < ds->nareas; i++)
		if (strcmp(ds->areas[i].code, code) == 0)
			return 1;
	return 0;
}

static int read_line(struct reader *rd, struct dataset *ds, const struct defs *defs, int nf,
		     char **f)
{
	long long v;
	char q[80]; /* a field in a message (diag_quote_arg) */

	for (unsigned k = 0; k < sizeof header_keys / sizeof header_keys[0]; k++)
		if (strcmp(f[0], header_keys[k]) == 0) {
			if (rd->seen >> k & 1u)
				RERR(rd, "O03", "a second '%s' line (each header line comes once)",
				     header_keys[k]);
			rd->seen |= 1u << k;
			if (k >= HEADER_SUPPRESSED && !rd->suppressed_line) {
				rd->suppressed_line = rd->line;
				rd->suppressed_key = header_keys[k];
			}
		}
	if (strcmp(f[0], "stage") == 0 && nf == 2) {
		for (int i = 0; i < 3; i++)
			if (strcmp(f[1], stage_names[i]) == 0) {
				ds->stage = (enum dataset_stage)i;
				ds->stage_line = rd->line;
				return 0;
			}
		RERR(rd, "O03", "unknown stage %s", diag_quote_arg(q, sizeof q, f[1], 20));
	} else if (strcmp(f[0], "period") == 0 && nf == 2) {
		if (!dataset_period_valid(f[1]) ||
		    copy_field(ds->period, sizeof ds->period, f[1]) != 0)
			RERR(rd, "O03", "bad period %s (a reporting year from "
			     DATASET_PERIOD_RANGE ", like 2022-23)", diag_quote_arg(q, sizeof q, f[1], 20));
		ds->period_line = rd->line;
	} else if (strcmp(f[0], "national") == 0 && nf == 3) {
		if (copy_field(ds->national_code, sizeof ds->national_code, f[1]) != 0 ||
		    copy_field(ds->national_name, sizeof ds->national_name, f[2]) != 0)
			RERR(rd, "O03", "national code or name too long");
		if (f[1][0] == DATASET_EARLIER)
			RERR(rd, "O03", "the national code cannot begin with '%c'", DATASET_EARLIER);
		/* an area line before it with the same code: one code for two things, which the
		   writer (national first) made a file its reader refused (fuzz_dataset) */
		for (size_t i = 0; i < ds->nareas; i++)
			if (strcmp(ds->areas[i].code, ds->national_code) == 0) {
				RERR(rd, "O06", "area %s is also the national code",
				     diag_quote_arg(q, sizeof q, f[1], 16));
				break;
			}
		if (!plain_field(f[1]) || !plain_text(f[2]))
			RERR(rd, "O03", "the national code or name holds a control character, a byte "
			     "that is not UTF-8 or a space at an end");
	} else if (strcmp(f[0], "population-source") == 0 && nf == 2) {
		if (copy_field(ds->population_source, sizeof ds->population_source, f[1]) != 0)
			RERR(rd, "O03", "population source too long");
		if (!plain_text(f[1]))
			RERR(rd, "O03", "the population source holds a control character, a byte "
			     "that is not UTF-8 or a space at an end");
	} else if (strcmp(f[0], "incomplete") == 0 && nf == 2) {
		if (strcmp(f[1], "0") != 0 && strcmp(f[1], "1") != 0)
			RERR(rd, "O03", "bad incomplete flag %s (0 or 1)", diag_quote_arg(q, sizeof q, f[1], 8));
		ds->incomplete = strcmp(f[1], "1") == 0;
		rd->incomplete_line = rd->line;
	} else if (strcmp(f[0], "policy") == 0 && nf == 2) {
		if (read_name(ds->policy, sizeof ds->policy, f[1]) != 0)
			RERR(rd, "O03", "policy name too long, or a quoted name that is not whole");
	} else if (strcmp(f[0], "policy-sha256") == 0 && nf == 2) {
		if (strlen(f[1]) != 64 || strspn(f[1], "0123456789abcdef") != 64)
			RERR(rd, "O03", "bad policy-sha256 (64 lower-case hex digits)");
		else
			memcpy(ds->policy_sha256, f[1], 65);
	} else if (strcmp(f[0], "suppression") == 0 && nf == 5) {
		long long a, b, c, e;
		if (parse_number(f[1], 1LL << 40, &a) || parse_number(f[2], 1LL << 40, &b) ||
		    parse_number(f[3], 1LL << 50, &c) || parse_number(f[4], 1LL << 40, &e))
			RERR(rd, "O03", "bad suppression summary");
		else {
			ds->primary_count = (long)a;
			ds->secondary_count = (long)b;
			ds->secondary_sum = c;
			ds->withheld_count = (long)e;
		}
	} else if (strcmp(f[0], "area") == 0 && nf == 9) {
		struct dataset_area *a;
		long long rev, pop;
		if (ds->nareas == AREAS_MAX) {
			RERR(rd, "O04", "more than %d areas", AREAS_MAX);
			return -1;
		}
		/* the field and why: a bare "bad area line" left the data lead to guess which of
		   the nine was wrong (QA) */
		if (strcmp(f[3], "present") && strcmp(f[3], "missing")) {
			RERR(rd, "O04", "bad area line: the state %s is not 'present' or 'missing'",
			     diag_quote_arg(q, sizeof q, f[3], 20));
			return -1;
		}
		if (parse_number(f[4], 1000000, &rev)) {
			RERR(rd, "O04", "bad area line: the revision %s %s: a revision is from 0 to "
			     "1000000", diag_quote_arg(q, sizeof q, f[4], 20), number_why(f[4]));
			return -1;
		}
		if (parse_number(f[6], 1LL << 40, &pop)) {
			RERR(rd, "O04", "bad area line: the population %s %s: a population is from 0 "
			     "to %lld", diag_quote_arg(q, sizeof q, f[6], 20),
			     number_why(f[6]), 1LL << 40);
			return -1;
		}
		if (strcmp(f[7], "0") && strcmp(f[7], "1")) {
			RERR(rd, "O04", "bad area line: the approximate-population flag %s is not 0 "
			     "or 1", diag_quote_arg(q, sizeof q, f[7], 20));
			return -1;
		}
		if (known_area(ds, f[1])) {
			RERR(rd, "O06", "area %s appears twice", diag_quote_arg(q, sizeof q, f[1], 16));
			return -1;
		}
		a = &ds->areas[ds->nareas];
		memset(a, 0, sizeof *a);
		if (copy_field(a->code, sizeof a->code, f[1]) != 0 || a->code[0] == '\0' ||
		    copy_field(a->name, sizeof a->name, f[2]) != 0 ||
		    copy_field(a->submitted, sizeof a->submitted, f[5]) != 0 ||
		    read_name(a->source, sizeof a->source, f[8]) != 0) {
			RERR(rd, "O04", "bad area line: a field is empty or too long, or a quoted source name is not whole");
			return -1;
		}
		/* the library's mark of an earlier publication's rows (DATASET_EARLIER): such an
		   area was taken for history by the suppression, and its sums left out (QA) */
		if (a->code[0] == DATASET_EARLIER) {
			RERR(rd, "O04", "bad area line: a code cannot begin with '%c'", DATASET_EARLIER);
			return -1;
		}
		if (!plain_field(f[1]) || !plain_text(f[2]) || !plain_field(f[5])) {
			RERR(rd, "O04", "bad area line: the code, name or date holds a control "
			     "character, a byte that is not UTF-8 or a space at an end");
			return -1;
		}
		/* a date that exists, or none (QA: 2023-02-30 was merged and printed) */
		if (a->submitted[0] && isodate_parse(a->submitted, NULL, NULL, NULL) != 0) {
			RERR(rd, "O04", "bad area line: the submission date %s is not a date "
			     "(YYYY-MM-DD, one that exists)", diag_quote_arg(q, sizeof q, f[5], 16));
			return -1;
		}
		/* an area that sent its return has its date and revision (QA: a present area
		   dated '-' went through merge, suppression and publication) */
		if (strcmp(f[3], "present") == 0 && (!a->submitted[0] || rev < 1)) {
			RERR(rd, "O04", "bad area line: area %s is present, but %s: an area that "
			     "sent its return has the date it was sent and a revision from 1",
			     diag_quote_arg(q, sizeof q, f[1], 16),
			     !a->submitted[0] ? "has no submission date" : "its revision is 0");
			return -1;
		}
		ds->nareas++;
		a->state = strcmp(f[3], "present") == 0 ? AREA_PRESENT : AREA_MISSING;
		a->revision = (long)rev;
		a->population = pop;
		a->population_approximate = strcmp(f[7], "1") == 0;
		a->line = a->revision_line = rd->line;
	} else if (strcmp(f[0], "superseded") == 0 && nf == 5) {
		struct dataset_superseded s;
		long long r1, r2;
		memset(&s, 0, sizeof s);
		if (parse_number(f[2], 1000000, &r1) || parse_number(f[3], 1000000, &r2)) {
			RERR(rd, "O04", "bad superseded line");
			return -1;
		}
		if (copy_field(s.code, sizeof s.code, f[1]) != 0 ||
		    read_name(s.source, sizeof s.source, f[4]) != 0) {
			RERR(rd, "O04", "bad superseded line: a field is too long, or a quoted source name is not whole");
			return -1;
		}
		/* a code is written as it is, as an area line's: one with a byte that is not UTF-8
		   was written quoted, too long to be read back (fuzz_dataset) */
		if (!plain_field(f[1])) {
			RERR(rd, "O04", "bad superseded line: the code holds a control character, a "
			     "byte that is not UTF-8 or a space at an end");
			return -1;
		}
		if (ds->nsuperseded == DATASET_SUPERSEDED_MAX) {
			RERR(rd, "O04", "more than %d superseded lines", DATASET_SUPERSEDED_MAX);
			return -1;
		}
		s.revision = (long)r1;
		s.by_revision = (long)r2;
		s.line = rd->line;
		if (dataset_add_superseded(ds, &s))
			return -1;
	} else if (strcmp(f[0], "obs") == 0 && nf == 7) {
		int stat = dataset_stat_find(defs, f[2]);
		int cat = defs_parse_category(strcmp(f[3], "-") == 0 ? "" : f[3]);
		int lev = defs_parse_level(strcmp(f[4], "-") == 0 ? "" : f[4]);
		int status = -1;
		for (int i = 0; i < OBS_STATUS_COUNT; i++)
			if (strcmp(f[6], status_names[i]) == 0)
				status = i;
		if (!known_area(ds, f[1])) {
			RERR(rd, "O05", "row for area %s, which the file does not declare",
			     diag_quote_arg(q, sizeof q, f[1], 16));
			return -1;
		}
		if (stat < 0 || cat < 0 || lev < 0 || !valid_key(defs, (unsigned)stat, cat, lev)) {
			RERR(rd, "O05", "no such cell: %.40s category '%.8s' level '%.8s'", f[2], f[3], f[4]);
			return -1;
		}
		if (status < 0) {
			RERR(rd, "O05", "unknown status %s", diag_quote_arg(q, sizeof q, f[6], 16));
			return -1;
		}
		if (parse_number(f[5], DATASET_VALUE_MAX, &v)) {
			/* digits beyond the 15 a number may have are the reason, whatever their
			   value: 669 written in 19 digits was "not ... from 0 to 999999999999" (QA) */
			if (strlen(f[5]) > 15 && strspn(f[5], "0123456789") == strlen(f[5]))
				RERR(rd, "O05", "value %s has more than 15 digits (a number of the "
				     "file has at most 15, leading zeros included)",
				     diag_quote_arg(q, sizeof q, f[5], 20));
			else
				RERR(rd, "O05", "value %s is not a whole number from 0 to 999999999999",
				     diag_quote_arg(q, sizeof q, f[5], 20));
			return -1;
		}
		/* an area's own cell is a count from its return: below the return's limit */
		if (v >= DEFS_COUNT_LIMIT && defs_is_return_count(defs, (unsigned)stat, cat, lev) &&
		    strcmp(f[1], ds->national_code) != 0) {
			RERR(rd, "O05",
			     "value %lld of an area's cell is not below %lld, the limit of a count in a return",
			     v, DEFS_COUNT_LIMIT);
			return -1;
		}
		/* a figure that cannot exist or that no return gave has no value (QA: a 'missing' 7
		   was read, suppressed, published as [x] and audited, exit 0 each) */
		if (v != 0 && (status == OBS_NA || status == OBS_MISSING)) {
			RERR(rd, "O05", "value %lld with status %s: a figure that is 'na' or 'missing' "
			     "is 0", v, status_names[status]);
			return -1;
		}
		if (dataset_add(ds, f[1], (unsigned)stat, cat, lev, v, (enum obs_status)status))
			return -1;
		ds->obs[ds->nobs - 1].line = rd->line;
	} else {
		RERR(rd, "O03", "unknown or malformed line %s (%d fields)", diag_quote_arg(q, sizeof q, f[0], 20),
		     nf);
		return -1;
	}
	return 0;
}

/*
 * The superseded lines (sorted) against the area lines: each names an area present in the file,
 * a revision from 1 below the one it holds, and that one as the revision that replaced it; none
 * comes twice (QA: a code that is no area, revision 0, one superseded by a lower revision or by
 * one the area does not hold, and the same line 9.9 million times were taken). 0, or -1 said.
 */
static int superseded_check(const struct dataset *ds, struct reader *rd)
{
	char q[80];

	for (size_t i = 0; i < ds->nsuperseded; i++) {
		const struct dataset_superseded *s = &ds->superseded[i];
		const struct dataset_area *a = dataset_area_find(ds, s->code);
		rd->line = s->line;
		if (!a || a->state != AREA_PRESENT) {
			RERR(rd, "O04", "a superseded line of %s, which is not an area present in the file",
			     diag_quote_arg(q, sizeof q, s->code, 16));
			return -1;
		}
		if (s->revision < 1) {
			RERR(rd, "O04", "a superseded line of %s: revision %ld, but a revision is 1 "
			     "or more", diag_quote_arg(q, sizeof q, s->code, 16), s->revision);
			return -1;
		}
		if (s->by_revision != a->revision || s->revision >= s->by_revision) {
			RERR(rd, "O04", "a superseded line of %s: revision %ld replaced by revision %ld, "
			     "but the area holds revision %ld (the one that replaced it, above it)",
			     diag_quote_arg(q, sizeof q, s->code, 16), s->revision, s->by_revision,
			     a->revision);
			return -1;
		}
		if (i > 0 && superseded_cmp(&ds->superseded[i - 1], s) == 0) {
			RERR(rd, "O06", "the superseded line of %s revision %ld comes twice",
			     diag_quote_arg(q, sizeof q, s->code, 16), s->revision);
			return -1;
		}
	}
	return 0;
}

/*
 * The submission dates against the period, as R18 of a return: a return counts the whole year,
 * so it is sent after the period's last day (QA: 1900-01-01, edited and resealed, was merged and
 * suppressed, and refused only by mappa-publish, P02). At the area line; 0, or -1 said.
 */
static int submitted_check(const struct dataset *ds, struct reader *rd)
{
	int y = dataset_period_year(ds->period);
	char end[24];

	if (y < 0)
		return 0; /* no period, or a bad one: said as O03 */
	snprintf(end, sizeof end, "%04d-03-31", y + 1);
	for (size_t i = 0; i < ds->nareas; i++) {
		const struct dataset_area *a = &ds->areas[i];
		if (a->submitted[0] && strcmp(a->submitted, end) <= 0) {
			rd->line = a->line;
			RERR(rd, "O04", "bad area line: the submission date %s is not after %s, the "
			     "last day of the period %s: a return counts the whole year, so it is "
			     "sent from the day after (R18)", a->submitted, end, ds->period);
			return -1;
		}
	}
	return 0;
}

int dataset_read(struct dataset *ds, const struct defs *defs, const char *file, const char *buf,
		 size_t len, struct diag_list *d)
{
	struct reader rd = { file, d, 0, 0, 0, 0, 0, NULL };
	uLong crc = crc32(0L, Z_NULL, 0);
	const char *p = buf, *end = buf + len;
	int seen_end = 0;
	unsigned long lines = 0;
	/* an area line with a quoted source, the population-source line with a whole text */
	char line[4 * DATASET_PATH_MAX + AREAS_TEXT_MAX + 1024];

	dataset_init(ds);
	while (p < end && !seen_end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n;
		char *f[MAX_FIELDS];
		int nf = 0;

		rd.line++;
		if (!nl) {
			RERR(&rd, "O02", "the file is truncated: the last line has no end");
			break;
		}
		n = (size_t)(nl - p);
		if (n >= sizeof line) {
			RERR(&rd, "O03", "line too long");
			break;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		if (memchr(line, '\0', n)) {
			RERR(&rd, "O03", "a NUL byte in the line");
			break;
		}
		f[nf++] = line;
		for (char *c = line; *c; c++)
			if (*c == '\t') {
				*c = '\0';
				if (nf == MAX_FIELDS)
					break;
				f[nf++] = c + 1;
			}
		if (rd.line == 1) {
			if (nf != 2 || strcmp(f[0], MAGIC) != 0) {
				RERR(&rd, "O01", "not an observations file (no '%s' header)", MAGIC);
				break;
			}
			if (n > 0 && line[n - 1] == '\r') {
				RERR(&rd, "O01", "its lines end in CR LF (converted by another tool?): an "
				     "observations file has LF line ends");
				break;
			}
			if (strcmp(f[1], "1") != 0) {
				char q[40];
				RERR(&rd, "O01", "format version %s is not supported (this program reads %d)",
				     diag_quote_arg(q, sizeof q, f[1], 8), DATASET_FORMAT_VERSION);
				break;
			}
		} else if (strcmp(f[0], "end") == 0) {
			char want[16];
			seen_end = 1;
			snprintf(want, sizeof want, "%08lx", (unsigned long)crc);
			/* what is wrong with the line is said: one with no checksum, a field more or
			   a count '+3058' was said not to count the 3058 lines it counted (QA) */
			if (nf < 3)
				RERR(&rd, "O02", "the end line has no %s: it is 'end', the number of lines "
				     "before it and their checksum, separated by TABs: the file is damaged",
				     nf == 1 ? "line count and no checksum" : "checksum");
			else if (nf > 3)
				RERR(&rd, "O02", "the end line has %d%s fields, not 3 ('end', the number of "
				     "lines before it and their checksum): the file is damaged", nf,
				     nf == MAX_FIELDS ? " or more" : "");
			else if (f[1][0] == '\0')
				RERR(&rd, "O02", "the end line's count is empty (%lu lines before it): the "
				     "file is damaged", lines);
			else if (strspn(f[1], "0123456789") != strlen(f[1]) || strlen(f[1]) > 15) {
				char q[40];
				RERR(&rd, "O02", "the end line's count %s is not a number of at most 15 "
				     "digits (%lu lines before it): the file is damaged",
				     diag_quote_arg(q, sizeof q, f[1], 20), lines);
			} else if (strtoul(f[1], NULL, 10) != lines)
				RERR(&rd, "O02", "the end line does not count %lu lines: the file is damaged",
				     lines);
			else if (strcmp(f[2], want) != 0) {
				/* quoted: a CR after it showed as a space, the two looking the same (QA) */
				char q[40];
				RERR(&rd, "O07",
				     "checksum %s does not match the content (%s): the file was changed after it was written",
				     diag_quote_arg(q, sizeof q, f[2], 20), want);
			}
			p = nl + 1;
			break;
		} else if (read_line(&rd, ds, defs, nf, f) != 0 && rd.errors == 0) {
			diag_add_errno(rd.d, rd.file, "O09", ENOMEM, "out of memory"); /* 70: not the data's */
			rd.errors++;
			break;
		}
		crc = crc32(crc, (const Bytef *)p, (uInt)(n + 1));
		lines++;
		p = nl + 1;
	}
	if (!seen_end && rd.errors == 0) {
		rd.line++;
		RERR(&rd, "O02", "the file is truncated: no end line");
	}
	if (seen_end && p != end) {
		rd.line++;
		RERR(&rd, "O02", "data after the end line");
	}
	if (rd.errors == 0) {
		size_t before = ds->nobs;
		dataset_sort(ds);
		for (size_t i = 1; i < ds->nobs; i++)
			if (obs_cmp(&ds->obs[i - 1], &ds->obs[i]) == 0) {
				/* at the later of its lines, and the other said (QA: line 0) */
				const struct obs *o = &ds->obs[i], *p0 = &ds->obs[i - 1];
				char w[160];
				rd.line = o->line > p0->line ? o->line : p0->line;
				RERR(&rd, "O06", "the cell %s appears twice (also at line %ld)",
				     dataset_cell_words(defs, o->area, o->stat, o->category, o->level, w,
							sizeof w), o->line > p0->line ? p0->line : o->line);
				break;
			}
		(void)before;
		(void)superseded_check(ds, &rd); /* said */
		/* a line of another stage: the suppression's summary in a merged dataset was
		   read and dropped, and a merge of returns in a normalised one (QA) */
		if (ds->stage != STAGE_SUPPRESSED && rd.suppressed_line) {
			rd.line = rd.suppressed_line;
			RERR(&rd, "O03", "a '%s' line in a %s dataset: only a suppressed dataset has "
			     "one (mappa-suppress writes it)", rd.suppressed_key, stage_names[ds->stage]);
		}
		if (ds->stage == STAGE_NORMALISED && ds->nsuperseded) {
			rd.line = ds->superseded[0].line;
			RERR(&rd, "O04", "a 'superseded' line in a normalised dataset: only a merge of "
			     "returns has one (mappa-merge writes it)");
		}
		(void)submitted_check(ds, &rd); /* said */
		if (ds->period[0] == '\0' || ds->national_code[0] == '\0') {
			rd.line = 0;
			RERR(&rd, "O03", "the header has no period or national code");
		}
		/* the flag says what the area lines say: flipped by hand, the pages dropped their
		   notice of a missing area, or printed it for none (QA) */
		{
			size_t missing = dataset_areas_in(ds, AREA_MISSING);
			if (ds->incomplete != (missing > 0)) {
				rd.line = rd.incomplete_line;
				RERR(&rd, "O03", "the incomplete flag is %d, but %zu area%s missing",
				     ds->incomplete, missing, missing == 1 ? " is" : "s are");
			}
		}
	}
	if (rd.errors) {
		dataset_release(ds);
		return -1;
	}
	return 0;
}

int dataset_read_path(struct dataset *ds, const struct defs *defs, const char *path,
		      struct diag_list *d)
{
	char *buf;
	size_t len;
	int r;

	dataset_init(ds);
	r = xmlsafe_read_path(path, DATASET_MAX_BYTES, "O08", &buf, &len, d);
	if (r == -2)
		errno = diag_errnum(d);
	if (r != 0)
		return r;
	r = dataset_read(ds, defs, path, buf, len, d);
	free(buf);
	return r;
}
