#include "merge.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "normalise.h"
#include "quote.h"
#include "regfile.h"
#include "validator.h"
#include "xmlsafe.h"

/* a file name quoted for a message or the report (quote.h) */
#define QNAME 1100

enum input_state {
	IN_USED,          /* the area's data */
	IN_SUPERSEDED,    /* a lower revision than the one used */
	IN_DUPLICATE,     /* the same revision and content as another input */
	IN_CONFLICT,      /* the same revision as another input, different content */
	IN_OTHER_PERIOD,  /* refused: not the period merged */
	IN_REFUSED        /* refused when added: damaged or not a normalised dataset */
};

struct merge_input {
	char *path;            /* the observations file */
	char *source;          /* the return it was normalised from */
	char code[AREA_CODE_MAX];
	char period[12];
	long revision;
	char submitted[11];
	long period_line, revision_line; /* where they were read (0: unknown) */
	long long *values;     /* one per inner cell (m->ncells); NULL when refused */
	enum input_state state;
	size_t other;          /* duplicate, conflict: the input kept; superseded: the winner */
};

struct merge {
	const struct defs *defs;
	const struct areas *areas;
	char period[12];
	int period_given;
	int allow_missing;
	size_t superseded_max;
	const char *name;
	size_t ncells;
	int cell_index[DEFS_MAX_TABLES][5][4];   /* -1: not an inner cell */
	struct merge_input *in;
	size_t nin, alloc;
	size_t nrefused;
	int decided;
	long winner[AREAS_MAX];                  /* per reference area: input index, -1 missing */
};

static const char *const stage_names[] = { "normalised", "merged", "suppressed" };

long long merge_rate(long long count, long per, long long population)
{
	long long q, r, whole, part;

	if (population <= 0 || count < 0 || per < 0)
		return 0;
	/* half up: floor(count * per / population + 1/2), in parts that cannot overflow for any
	 * sum of bounded counts: count = q * population + r, with r < population */
	q = count / population;
	r = count % population;
	if (__builtin_mul_overflow(q, (long long)per, &whole) ||
	    __builtin_mul_overflow(r, 2LL * per, &part) || part > LLONG_MAX - population ||
	    population > LLONG_MAX / 2 ||
	    __builtin_add_overflow(whole, (part + population) / (population * 2), &whole))
		return -1;
	return whole;
}

struct merge *merge_new(const struct defs *defs, const struct areas *areas,
			const struct merge_options *opts)
{
	struct merge *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->defs = defs;
	m->areas = areas;
	if (opts && opts->period) {
		snprintf(m->period, sizeof m->period, "%s", opts->period);
		m->period_given = 1;
	}
	m->allow_missing = opts ? opts->allow_missing : 0;
	m->superseded_max = opts && opts->superseded_max ? opts->superseded_max
							 : DATASET_SUPERSEDED_MAX;
	m->name = opts && opts->name ? opts->name : "mappa-merge";
	for (size_t ti = 0; ti < DEFS_MAX_TABLES; ti++)
		for (int c = 0; c <= 4; c++)
			for (int l = 0; l <= 3; l++)
				m->cell_index[ti][c][l] =
					ti < defs->ntables && defs_has_cell(&defs->tables[ti], c, l)
						? (int)m->ncells++ : -1;
	for (size_t i = 0; i < AREAS_MAX; i++)
		m->winner[i] = -1;
	return m;
}

void merge_free(struct merge *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nin; i++) {
		free(m->in[i].path);
		free(m->in[i].source);
		free(m->in[i].values);
	}
	free(m->in);
	free(m);
}

/* The cell's name for messages: "eligible category 1 level 2". */
static void cell_text(char *buf, size_t size, const struct defs *defs, unsigned stat, int cat,
		      int lev)
{
	const char *name = dataset_stat_name(defs, stat);
	int n = snprintf(buf, size, "%s", name ? name : "?");
	if (n < 0 || (size_t)n >= size)
		return;
	if (cat != CAT_NONE)
		n += snprintf(buf + n, size - (size_t)n, " category %s", defs_category_name(cat));
	if (n >= 0 && (size_t)n < size && lev != LEVEL_NONE)
		snprintf(buf + n, size - (size_t)n, " level %s", defs_level_name(lev));
}

/* Checks the rows of a one-area normalised dataset into e->values. Returns the errors added. */
static size_t check_rows(struct merge *m, struct merge_input *e, const struct dataset *ds,
			 struct diag_list *d)
{
	const struct dataset_area *a = &ds->areas[0];
	unsigned char seen[DEFS_MAX_TABLES * 5 * 4];
	size_t errors = 0, nmissing = 0;
	char what[128];

	memset(seen, 0, sizeof seen);
	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		const char *problem = NULL;
		int idx = -1;

		if (strcmp(o->area, a->code) != 0) {
			/* at the row's line, as every diagnostic about one row (QA: line 0) */
			diag_add(d, e->path, o->line, "M03", DIAG_ERROR,
				 "a row for '%s' in the observations of area %s", o->area, a->code);
			return errors + 1;
		}
		if (o->value < 0 || o->value >= DEFS_COUNT_LIMIT) {
			cell_text(what, sizeof what, m->defs, o->stat, o->category, o->level);
			diag_add(d, e->path, o->line, "M10", DIAG_ERROR,
				 "%s of area %s is %lld: a count in a return is below %lld, so no total is made of it",
				 what, a->code, o->value, DEFS_COUNT_LIMIT);
			return errors + 1;
		}
		if (o->stat >= m->defs->ntables)
			problem = "is a rate, which only the merge computes";
		else if (o->category < 0 || o->category > 4 || o->level < 0 || o->level > 3)
			problem = "is a total, which only the merge computes";
		else if ((idx = m->cell_index[o->stat][o->category][o->level]) >= 0) {
			if (o->status != OBS_OK)
				problem = "has a status other than ok";
			else if (seen[idx]++)
				problem = "appears twice";
		} else if (!normalise_in_grid(&m->defs->tables[o->stat], o->category, o->level))
			problem = "is not a cell of the table";
		else if (o->status != OBS_NA || o->value != 0)
			problem = "cannot exist, so must be 'na' with value 0";
		if (problem) {
			cell_text(what, sizeof what, m->defs, o->stat, o->category, o->level);
			diag_add(d, e->path, o->line, "M03", DIAG_ERROR, "%s of area %s %s", what, a->code,
				 problem);
			return errors + 1;
		}
		if (idx >= 0)
			e->values[idx] = o->value;
	}
	for (size_t ti = 0; ti < m->defs->ntables; ti++)
		for (int c = 0; c <= 4; c++)
			for (int l = 0; l <= 3; l++) {
				int idx = m->cell_index[ti][c][l];
				if (idx >= 0 && !seen[idx] && nmissing++ == 0)
					cell_text(what, sizeof what, m->defs, (unsigned)ti, c, l);
			}
	if (nmissing) {
		diag_add(d, e->path, 0, "M03", DIAG_ERROR,
			 "%zu cell%s of area %s missing, the first %s: the file is not a complete normalised return",
			 nmissing, nmissing == 1 ? " is" : "s are", a->code, what);
		errors++;
	}
	return errors;
}

int merge_add(struct merge *m, const char *path, const struct dataset *ds, struct diag_list *d)
{
	struct merge_input *e;
	const struct area *ref = NULL;
	size_t errors = 0;

	if (m->nin == m->alloc) {
		size_t n = m->alloc ? m->alloc * 2 : 64;
		struct merge_input *p = realloc(m->in, n * sizeof *p);
		if (!p)
			goto oom;
		m->in = p;
		m->alloc = n;
	}
	e = &m->in[m->nin];
	memset(e, 0, sizeof *e);
	e->state = IN_REFUSED;
	e->path = strdup(path);
	if (!e->path)
		goto oom;
	m->nin++;

	if (ds->stage != STAGE_NORMALISED) {
		diag_add(d, path, ds->stage_line, "M01", DIAG_ERROR,
			 "a %s dataset, not a normalised one: merge reads the output of mappa-normalise",
			 (unsigned)ds->stage < 3 ? stage_names[ds->stage] : "?");
		errors++;
	} else if (ds->nareas != 1 || ds->areas[0].state != AREA_PRESENT) {
		diag_add(d, path, 0, "M01", DIAG_ERROR,
			 "holds %zu areas: a normalised dataset holds the one area of its return",
			 ds->nareas);
		errors++;
	} else if (ds->areas[0].revision < 1) {
		diag_add(d, path, ds->areas[0].revision_line, "M01", DIAG_ERROR,
			 "revision %ld: a revision is 1 or more", ds->areas[0].revision);
		errors++;
	} else if (!(ref = areas_find(m->areas, ds->areas[0].code))) {
		diag_add(d, path, ds->areas[0].line, "M02", DIAG_ERROR,
			 "area '%s' is not in the reference data", ds->areas[0].code);
		errors++;
	}
	if (errors == 0) {
		const struct dataset_area *a = &ds->areas[0];
		snprintf(e->code, sizeof e->code, "%s", a->code);
		snprintf(e->period, sizeof e->period, "%s", ds->period);
		snprintf(e->submitted, sizeof e->submitted, "%s", a->submitted);
		e->revision = a->revision;
		e->period_line = ds->period_line;
		e->revision_line = a->revision_line;
		e->source = strdup(a->source);
		e->values = calloc(m->ncells ? m->ncells : 1, sizeof *e->values);
		if (!e->source || !e->values)
			goto oom;
		errors += check_rows(m, e, ds, d);
		if (errors == 0 && a->population != ref->population)
			diag_add(d, path, a->line, "M07", DIAG_WARNING,
				 "area %s was normalised with population %lld, the reference data says %lld: the reference data's is used",
				 a->code, a->population, ref->population);
	}
	if (errors) {
		free(e->values);
		e->values = NULL;
		m->nrefused++;
		return -1;
	}
	e->state = IN_USED;
	return 0;
oom:
	diag_add_errno(d, path, "M99", ENOMEM, "out of memory");
	m->nrefused++;
	return -1;
}

/* Records a refused input, so that the report lists it and merge_finish fails; out of memory
   (ENOMEM) is said in d. */
static void add_refused(struct merge *m, const char *path, struct diag_list *d)
{
	struct dataset *empty = dataset_new();
	struct diag_list ignore = DIAG_LIST_INIT;

	if (!empty) {
		m->nrefused++;
		diag_add_errno(d, path, "M99", ENOMEM, "out of memory");
		return;
	}
	empty->stage = STAGE_MERGED;
	merge_add(m, path, empty, &ignore);
	if (diag_errnum(&ignore) == ENOMEM)
		diag_add_errno(d, path, "M99", ENOMEM, "out of memory");
	diag_clear(&ignore);
	dataset_free(empty);
}

int merge_add_path(struct merge *m, const char *path, struct diag_list *d)
{
	struct dataset *ds = dataset_new(); /* 45 KB: off the stack */
	int r;

	if (!ds) {
		add_refused(m, path, d);
		return -1;
	}
	r = dataset_read_path(ds, m->defs, path, d);
	if (r == -2)
		goto out;
	if (r != 0) {
		add_refused(m, path, d); /* keep a record of it for the report */
		r = -1;
		goto out;
	}
	r = merge_add(m, path, ds, d);
out:
	dataset_free(ds);
	return r;
}

/* An input that cannot be read: M11 at line 0 with the errno (and errno set to it). Returns -2. */
static int unreadable(const char *path, int e, struct diag_list *d)
{
	diag_add_errno(d, path, "M11", e, "cannot read: %s", xmlsafe_strerror(e));
	errno = e;
	return -2;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcmp(s + n - k, suffix) == 0;
}

/* Whether the n bytes of head start as an XML document: '<', after a BOM or white space. */
static int starts_as_xml(const char *head, size_t n)
{
	size_t i = n >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	return i < n && head[i] == '<';
}

int merge_add_any_path(struct merge *m, struct validator *v, const char *path,
		       struct diag_list *d)
{
	static const char magic[] = "mappa-observations";
	char head[sizeof magic - 1];
	struct area_return *r;
	struct dataset *ds;
	struct stat st = { 0 };
	ssize_t n;
	int fd, rc;

	/* a FIFO or a device is refused before anything is read (as xmlsafe_read_file does) */
	fd = regfile_open(AT_FDCWD, path, 0, &st);
	if (fd < 0)
		return unreadable(path, errno, d);
	n = read(fd, head, sizeof head);
	close(fd);
	/*
	 * An observations file by its first line, or the start of it (a file cut short), or by
	 * its name when it does not start as XML does (a BOM, a space): the observations reader
	 * says what is wrong with it (O01, O02), where the validator said "not XML" (QA).
	 */
	if ((n > 0 && memcmp(head, magic, (size_t)n) == 0) ||
	    (has_suffix(path, ".obs") && !starts_as_xml(head, n > 0 ? (size_t)n : 0)))
		return merge_add_path(m, path, d);
	r = malloc(sizeof *r);
	if (!r) {
		add_refused(m, path, d);
		return -1;
	}
	switch (validator_check_file(v, path, r, d)) {
	case VALIDATOR_VALID:
		break;
	case VALIDATOR_UNREADABLE:
		/* gone or changed since it was opened above: the validator's own R03 "cannot read"
		   is in d, with its errno */
		free(r);
		errno = diag_errnum(d);
		return -2;
	default:
		free(r);
		add_refused(m, path, d);
		return -1;
	}
	ds = dataset_new(); /* 45 KB: off the stack */
	rc = ds ? normalise_return(ds, m->defs, m->areas, r, path, d) : -1;
	free(r);
	if (rc != 0) {
		add_refused(m, path, d);
		rc = -1;
		goto out;
	}
	rc = merge_add(m, path, ds, d);
out:
	dataset_free(ds);
	return rc;
}

/* ---- deciding ---- */

static const struct merge *sort_merge; /* qsort has no context */

static int input_cmp(const void *pa, const void *pb)
{
	const struct merge_input *a = &sort_merge->in[*(const size_t *)pa];
	const struct merge_input *b = &sort_merge->in[*(const size_t *)pb];
	int c;

	if ((c = strcmp(a->period, b->period)) != 0)
		return c;
	if ((c = strcmp(a->code, b->code)) != 0)
		return c;
	if (a->revision != b->revision)
		return a->revision > b->revision ? -1 : 1; /* highest first */
	if ((c = strcmp(a->source ? a->source : "", b->source ? b->source : "")) != 0)
		return c;
	return strcmp(a->path ? a->path : "", b->path ? b->path : "");
}

static int same_content(const struct merge *m, const struct merge_input *a,
			const struct merge_input *b)
{
	return strcmp(a->submitted, b->submitted) == 0 &&
	       memcmp(a->values, b->values, m->ncells * sizeof *a->values) == 0;
}

/* Chooses the period; returns 0, or -1 after reporting a tie. order holds the accepted inputs
 * sorted by period. */
static int choose_period(struct merge *m, const size_t *order, size_t n, struct diag_list *d)
{
	size_t best = 0, best_count = 0, ties = 0;
	char list[512] = "";

	for (size_t i = 0; i < n;) {
		size_t j = i;
		size_t used = strlen(list);
		while (j < n && strcmp(m->in[order[j]].period, m->in[order[i]].period) == 0)
			j++;
		snprintf(list + used, sizeof list - used, "%s%s (%zu)", used ? ", " : "",
			 m->in[order[i]].period, j - i);
		if (j - i > best_count) {
			best = i;
			best_count = j - i;
			ties = 0;
		} else if (j - i == best_count)
			ties++;
		i = j;
	}
	if (ties) {
		diag_add(d, m->name, 0, "M04", DIAG_ERROR,
			 "the inputs are of several periods, none in a majority: %s; give --period",
			 list);
		return -1;
	}
	if (n)
		snprintf(m->period, sizeof m->period, "%s", m->in[order[best]].period);
	return 0;
}

/* Emits one area's (or the national) rows of table ti from v[cat][lev]. */
static int emit_table(struct dataset *out, const struct defs *defs, const char *area, size_t ti,
		      long long v[5][4], enum obs_status st)
{
	const struct defs_table *t = &defs->tables[ti];
	int cmin = t->categories ? 1 : 0, cmax = t->categories ? 4 : 0;
	int lmin = t->levels ? 1 : 0, lmax = t->levels ? 3 : 0;
	unsigned s = (unsigned)ti;
	int rc = 0;

	for (int c = cmin; c <= cmax; c++)
		for (int l = lmin; l <= lmax; l++) {
			if (!normalise_in_grid(t, c, l))
				continue;
			if (defs_has_cell(t, c, l))
				rc |= dataset_add(out, area, s, c, l, st == OBS_OK ? v[c][l] : 0, st);
			else
				rc |= dataset_add(out, area, s, c, l, 0, OBS_NA);
		}
	if (t->categories) { /* over categories, at each level and over all levels */
		int levs[5], nlev = 0;
		if (t->levels) {
			for (int l = 1; l <= 3; l++)
				if (t->levels >> l & 1u)
					levs[nlev++] = l;
			levs[nlev++] = LEVEL_ALL;
		} else
			levs[nlev++] = LEVEL_NONE;
		for (int i = 0; i < nlev; i++) {
			int l = levs[i];
			long long all = 0, c13 = 0;
			for (int c = 1; c <= 4; c++)
				for (int k = lmin; k <= lmax; k++)
					if ((l == LEVEL_ALL || k == l) && defs_has_cell(t, c, k)) {
						all += v[c][k];
						if (c <= 3)
							c13 += v[c][k];
					}
			rc |= dataset_add(out, area, s, CAT_ALL, l, st == OBS_OK ? all : 0, st);
			rc |= dataset_add(out, area, s, CAT_1_3, l, st == OBS_OK ? c13 : 0, st);
		}
	}
	if (t->levels) /* over levels, for each category */
		for (int c = cmin; c <= cmax; c++) {
			long long sum = 0;
			if (t->categories && !(t->categories >> c & 1u))
				continue;
			for (int l = 1; l <= 3; l++)
				if (defs_has_cell(t, c, l))
					sum += v[c][l];
			rc |= dataset_add(out, area, s, c, LEVEL_ALL, st == OBS_OK ? sum : 0, st);
		}
	return rc;
}

/* Emits every row of one area (or the nation) from its inner cells v. */
static int emit_area(struct dataset *out, const struct defs *defs, const char *area,
		     long long v[DEFS_MAX_TABLES][5][4], enum obs_status st, long long population)
{
	int rc = 0;

	for (size_t ti = 0; ti < defs->ntables; ti++)
		rc |= emit_table(out, defs, area, ti, v[ti], st);
	for (size_t r = 0; r < defs->nrates; r++) {
		const struct defs_rate *rate = &defs->rates[r];
		const struct defs_table *t = &defs->tables[rate->table];
		long long count = 0;
		for (int l = 0; l <= 3; l++)
			if (defs_has_cell(t, rate->category, l))
				count += v[rate->table][rate->category][l];
		long long value = st == OBS_OK ? merge_rate(count, rate->per, population) : 0;
		if (value < 0)
			return -1; /* cannot happen with counts below DEFS_COUNT_LIMIT */
		rc |= dataset_add(out, area, (unsigned)(defs->ntables + r), CAT_NONE, LEVEL_NONE,
				  value, st == OBS_OK && population > 0 ? OBS_OK : OBS_MISSING);
	}
	return rc;
}

static void fill_values(const struct merge *m, const struct merge_input *e,
			long long v[DEFS_MAX_TABLES][5][4])
{
	memset(v, 0, sizeof(long long) * DEFS_MAX_TABLES * 5 * 4);
	for (size_t ti = 0; ti < m->defs->ntables; ti++)
		for (int c = 0; c <= 4; c++)
			for (int l = 0; l <= 3; l++)
				if (m->cell_index[ti][c][l] >= 0)
					v[ti][c][l] = e->values[m->cell_index[ti][c][l]];
}

static int build(struct merge *m, struct dataset *out)
{
	long long (*v)[5][4] = calloc(DEFS_MAX_TABLES, sizeof *v);
	long long (*nat)[5][4] = calloc(DEFS_MAX_TABLES, sizeof *nat);
	long long natpop = 0;
	size_t present = 0;
	int rc = 0;

	if (!v || !nat) {
		free(v);
		free(nat);
		return -1;
	}
	out->stage = STAGE_MERGED;
	snprintf(out->period, sizeof out->period, "%s", m->period);
	snprintf(out->national_code, sizeof out->national_code, "%s", m->areas->national_code);
	snprintf(out->national_name, sizeof out->national_name, "%s", m->areas->national_name);
	snprintf(out->population_source, sizeof out->population_source, "%s",
		 m->areas->population_source);
	for (size_t i = 0; i < m->areas->count && i < AREAS_MAX; i++) {
		const struct area *ref = &m->areas->items[i];
		struct dataset_area *a = &out->areas[out->nareas++];
		const struct merge_input *e = m->winner[i] >= 0 ? &m->in[m->winner[i]] : NULL;

		memset(a, 0, sizeof *a);
		snprintf(a->code, sizeof a->code, "%s", ref->code);
		snprintf(a->name, sizeof a->name, "%s", ref->name);
		a->population = ref->population;
		a->population_approximate = ref->approximate;
		if (e) {
			a->state = AREA_PRESENT;
			a->revision = e->revision;
			a->revision_line = e->revision_line; /* in its input (series M05) */
			snprintf(a->submitted, sizeof a->submitted, "%s", e->submitted);
			snprintf(a->source, sizeof a->source, "%s", e->source);
			fill_values(m, e, v);
			for (size_t ti = 0; ti < DEFS_MAX_TABLES; ti++)
				for (int c = 0; c <= 4; c++)
					for (int l = 0; l <= 3; l++)
						nat[ti][c][l] += v[ti][c][l];
			natpop += ref->population;
			present++;
			rc |= emit_area(out, m->defs, ref->code, v, OBS_OK, ref->population);
		} else {
			a->state = AREA_MISSING;
			out->incomplete = 1;
			memset(v, 0, sizeof(long long) * DEFS_MAX_TABLES * 5 * 4);
			rc |= emit_area(out, m->defs, ref->code, v, OBS_MISSING, ref->population);
		}
	}
	rc |= emit_area(out, m->defs, out->national_code, nat, present ? OBS_OK : OBS_MISSING,
			natpop);
	for (size_t i = 0; m->in && i < m->nin; i++) {
		const struct merge_input *e = &m->in[i];
		struct dataset_superseded s;
		if (e->state != IN_SUPERSEDED)
			continue;
		memset(&s, 0, sizeof s);
		snprintf(s.code, sizeof s.code, "%s", e->code);
		s.revision = e->revision;
		s.by_revision = m->in[e->other].revision;
		snprintf(s.source, sizeof s.source, "%s", e->source);
		rc |= dataset_add_superseded(out, &s);
	}
	dataset_sort(out);
	free(v);
	free(nat);
	return rc ? -1 : 0;
}

/*
 * M12: a rate larger than a dataset may hold (DATASET_VALUE_MAX), from a population in the
 * reference data too small for the area's counts (a population of 1 beside counts of millions:
 * valid in each file). The dataset was written, exit 0, and its own reader refused it at the
 * next stage, blaming a file the pipeline wrote (QA). Named at the area's input (the nation's
 * at the merge's name). M13: a rate above its "per" (more individuals than people), from a
 * population that cannot be right. 1 when one is found.
 */
static int rate_too_large(const struct merge *m, const struct dataset *out, struct diag_list *d)
{
	int found = 0;

	for (size_t i = 0; i < out->nobs; i++) {
		const struct obs *o = &out->obs[i];
		const struct dataset_area *a;
		const char *file = m->name;
		char w[160];
		long per;
		if (o->stat < m->defs->ntables || o->status != OBS_OK)
			continue;
		per = m->defs->rates[o->stat - m->defs->ntables].per;
		if (o->value <= DATASET_VALUE_MAX && (per <= 0 || o->value <= per))
			continue;
		a = dataset_area_find(out, o->area);
		for (size_t k = 0; a && k < m->areas->count && k < AREAS_MAX; k++)
			if (strcmp(m->areas->items[k].code, o->area) == 0 && m->winner[k] >= 0)
				file = m->in[m->winner[k]].path;
		dataset_cell_words(m->defs, o->area, o->stat, o->category, o->level, w, sizeof w);
		if (o->value > DATASET_VALUE_MAX)
			diag_add(d, file, 0, "M12", DIAG_ERROR,
				 "%s would be %lld, more than a dataset holds (%lld): the population "
				 "the reference data gives %s (%lld) is too small for its counts", w,
				 o->value, DATASET_VALUE_MAX, a ? "the area" : "the nation",
				 a ? a->population : dataset_national_population(out));
		else
			/* more individuals than people: a wrong population would be printed as
			   a rate (a population of 1 for every area gave London 690,100,000 per
			   100,000, published with exit 0, QA) */
			diag_add(d, file, 0, "M13", DIAG_ERROR,
				 "%s would be %lld per %ld, more individuals than people: the "
				 "population the reference data gives %s (%lld) cannot be right", w,
				 o->value, per, a ? "the area" : "the nation",
				 a ? a->population : dataset_national_population(out));
		found = 1;
	}
	return found;
}

int merge_finish(struct merge *m, struct dataset *out, struct diag_list *d)
{
	size_t *order = NULL, n = 0, errors = 0, start, end;
	int rc = -1;

	dataset_init(out);
	order = malloc((m->nin ? m->nin : 1) * sizeof *order);
	if (!order) {
		diag_add_errno(d, m->name, "M99", ENOMEM, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < m->nin; i++) {
		if (m->in[i].state == IN_REFUSED)
			continue;
		m->in[i].state = IN_USED;
		order[n++] = i;
	}
	sort_merge = m;
	if (n)
		qsort(order, n, sizeof *order, input_cmp);
	for (size_t i = 0; i < AREAS_MAX; i++)
		m->winner[i] = -1;
	if (!m->period_given && choose_period(m, order, n, d) != 0) {
		errors++;
		goto decided;
	}
	/* the inputs of the period merged: one run in order */
	for (start = 0; start < n && strcmp(m->in[order[start]].period, m->period) != 0; start++)
		;
	for (end = start; end < n && strcmp(m->in[order[end]].period, m->period) == 0; end++)
		;
	for (size_t k = 0; k < n; k++) {
		struct merge_input *e = &m->in[order[k]];
		if (k >= start && k < end)
			continue;
		e->state = IN_OTHER_PERIOD;
		diag_add(d, e->path, e->period_line, "M04", DIAG_ERROR,
			 "area %s revision %ld is of period %s, not %s: refused; take it out of "
			 "%s's returns (a return is published with its own period)", e->code,
			 e->revision, e->period, m->period, m->period);
		errors++;
	}
	for (size_t k = start; k < end;) {
		size_t rep = k;
		size_t win = order[k];
		int ai = areas_index(m->areas, m->in[win].code);

		if (ai >= 0 && ai < AREAS_MAX)
			m->winner[ai] = (long)win;
		for (k++; k < end && strcmp(m->in[order[k]].code, m->in[win].code) == 0; k++) {
			struct merge_input *e = &m->in[order[k]];
			struct merge_input *r = &m->in[order[rep]];
			char q1[QNAME], q2[QNAME];
			if (e->revision != r->revision) {
				rep = k;
				e->state = IN_SUPERSEDED;
				e->other = win;
				/* a correction sent before what it corrects is a wrong date or a wrong
				   revision number: said (QA: revision 2 of 2023-04-01 replaced revision 1
				   of 2023-05-04 without a word) */
				int older = e->submitted[0] && m->in[win].submitted[0] &&
					    strcmp(m->in[win].submitted, e->submitted) < 0;
				diag_add(d, e->path, e->revision_line, "M09", DIAG_WARNING,
					 "area %s revision %ld (%s) is superseded by revision %ld (%s)%s%s%s%s%s",
					 e->code, e->revision, quote_name_buf(q1, sizeof q1, e->source),
					 m->in[win].revision,
					 quote_name_buf(q2, sizeof q2, m->in[win].source),
					 older ? ", which is dated " : "",
					 older ? m->in[win].submitted : "",
					 older ? ", before this one's " : "",
					 older ? e->submitted : "",
					 older ? ": check the revision numbers and dates" : "");
			} else if (same_content(m, e, r)) {
				e->state = IN_DUPLICATE;
				e->other = order[rep];
				diag_add(d, e->path, e->revision_line, "M08", DIAG_WARNING,
					 "area %s revision %ld is the same as %s: a harmless duplicate, one is kept",
					 e->code, e->revision, quote_arg_buf(q1, sizeof q1, r->path));
			} else {
				e->state = IN_CONFLICT;
				e->other = order[rep];
				diag_add(d, e->path, e->revision_line, "M05", DIAG_ERROR,
					 "area %s revision %ld differs from %s, which has the same revision (%s): a revision must not change",
					 e->code, e->revision, quote_arg_buf(q1, sizeof q1, r->path),
					 strcmp(e->submitted, r->submitted) != 0
						 ? "another submission date" : "other counts");
				errors++;
			}
		}
	}
	if (n && start == end) {
		diag_add(d, m->name, 0, "M06", DIAG_ERROR, "no input is of period %s", m->period);
		errors++;
	}
	for (size_t i = 0; start < end && i < m->areas->count && i < AREAS_MAX; i++)
		if (m->winner[i] < 0 && !m->allow_missing) {
			diag_add(d, m->name, 0, "M06", DIAG_ERROR,
				 "area %s (%s) is missing: no input for period %s (--allow-missing merges without it)",
				 m->areas->items[i].code, m->areas->items[i].name, m->period);
			errors++;
		}
	if (n == 0) {
		diag_add(d, m->name, 0, "M06", DIAG_ERROR, "no usable input");
		errors++;
	}
	{
		/* the observations format's bound: past it the merge wrote a file that no stage
		   could read (QA) */
		size_t superseded = 0;
		for (size_t i = 0; i < m->nin; i++)
			superseded += m->in[i].state == IN_SUPERSEDED;
		if (superseded > m->superseded_max) {
			diag_add(d, m->name, 0, "M14", DIAG_ERROR,
				 "%zu inputs are revisions superseded by higher ones: at most %zu can be "
				 "recorded (take the old revisions out of the inputs)", superseded,
				 m->superseded_max);
			errors++;
		}
	}
decided:
	m->decided = 1;
	if (errors || m->nrefused)
		goto out;
	if (build(m, out) != 0) {
		dataset_release(out);
		dataset_init(out);
		diag_add_errno(d, m->name, "M99", ENOMEM, "out of memory");
		goto out;
	}
	if (rate_too_large(m, out, d)) {
		dataset_release(out);
		dataset_init(out);
		goto out;
	}
	rc = 0;
out:
	free(order);
	return rc;
}

/* ---- the report ---- */

int merge_write_report(const struct merge *m, const struct dataset *out, FILE *f)
{
	static const char *const state_text[] = { "used", "superseded", "duplicate",
						  "conflicting", "other period", "refused" };
	size_t count[6] = { 0 }, present = 0, nareas = m->areas->count, *order;
	char q1[QNAME], q2[QNAME];

	for (size_t i = 0; i < m->nin; i++)
		count[m->in[i].state]++;
	for (size_t i = 0; i < nareas && i < AREAS_MAX; i++)
		present += m->winner[i] >= 0;
	fprintf(f, "MAPPA merge report\n");
	fprintf(f, "period: %s\n", m->period[0] ? m->period : "(none decided)");
	fprintf(f, "result: %s\n", out ? (out->incomplete ? "merged, INCOMPLETE (areas missing)"
						      : "merged")
				      : "failed (see the diagnostics)");
	fprintf(f, "inputs: %zu (", m->nin);
	for (int s = 0; s < 6; s++)
		fprintf(f, "%s%zu %s", s ? ", " : "", count[s], state_text[s]);
	fprintf(f, ")\n");
	fprintf(f, "areas: %zu of %zu present, %zu missing\n", present, nareas, nareas - present);

	fprintf(f, "\nareas present (code, name, revision, submitted, return, observations file):\n");
	for (size_t i = 0; i < nareas && i < AREAS_MAX; i++) {
		const struct merge_input *e;
		if (m->winner[i] < 0)
			continue;
		e = &m->in[m->winner[i]];
		fprintf(f, "  %-10s %-28s revision %ld  submitted %s  %s  %s\n",
			m->areas->items[i].code, m->areas->items[i].name, e->revision, e->submitted,
			e->source[0] ? quote_name_buf(q1, sizeof q1, e->source) : "-",
			quote_name_buf(q2, sizeof q2, e->path));
	}
	order = malloc((m->nin ? m->nin : 1) * sizeof *order);
	if (!order)
		return -1;
	for (size_t i = 0; i < m->nin; i++)
		order[i] = i;
	sort_merge = m; /* the same order whatever the order of the inputs */
	if (m->nin)
		qsort(order, m->nin, sizeof *order, input_cmp);
	for (int s = IN_SUPERSEDED; s <= IN_REFUSED; s++) {
		if (!count[s])
			continue;
		fprintf(f, "\n%s:\n", state_text[s]);
		for (size_t k = 0; k < m->nin; k++) {
			const struct merge_input *e = &m->in[order[k]];
			if ((int)e->state != s)
				continue;
			if (s == IN_REFUSED) {
				fprintf(f, "  %s: damaged or not a normalised dataset\n",
					quote_name_buf(q1, sizeof q1, e->path));
				continue;
			}
			fprintf(f, "  %-10s revision %ld  %s  %s", e->code, e->revision,
				e->source[0] ? quote_name_buf(q1, sizeof q1, e->source) : "-",
				quote_name_buf(q2, sizeof q2, e->path));
			quote_name_buf(q1, sizeof q1, e->other < m->nin ? m->in[e->other].path : "");
			if (s == IN_SUPERSEDED)
				fprintf(f, "  by revision %ld (%s)\n", m->in[e->other].revision, q1);
			else if (s == IN_DUPLICATE)
				fprintf(f, "  same as %s (kept)\n", q1);
			else if (s == IN_CONFLICT)
				fprintf(f, "  differs from %s, same revision\n", q1);
			else
				fprintf(f, "  period %s\n", e->period);
		}
	}
	free(order);
	if (present < nareas) {
		fprintf(f, "\nmissing (no input):\n");
		for (size_t i = 0; i < nareas && i < AREAS_MAX; i++)
			if (m->winner[i] < 0)
				fprintf(f, "  %-10s %s\n", m->areas->items[i].code,
					m->areas->items[i].name);
	}
	if (out) {
		int ti = defs_find(m->defs, "eligible");
		const char *nat = out->national_code;
		if (ti >= 0) {
			unsigned s = (unsigned)ti;
			const struct obs *o;
			fprintf(f, "\nnational totals of eligible (%s %s, %zu areas%s):\n", nat,
				out->national_name, present,
				out->incomplete ? ", the areas present only" : "");
			for (int c = CAT_ALL; c <= CAT_1_3; c++) {
				o = dataset_find(out, nat, s, c, LEVEL_ALL);
				fprintf(f, "  categories %s, all levels: %lld\n",
					c == CAT_ALL ? "1-4" : "1-3", o ? o->value : 0);
			}
			for (int c = 1; c <= 4; c++) {
				o = dataset_find(out, nat, s, c, LEVEL_ALL);
				if (o)
					fprintf(f, "  category %d, all levels: %lld\n", c, o->value);
			}
			for (int l = 1; l <= 3; l++) {
				o = dataset_find(out, nat, s, CAT_ALL, l);
				if (o)
					fprintf(f, "  level %d, categories 1-4: %lld\n", l, o->value);
			}
		}
		for (size_t r = 0; r < m->defs->nrates; r++) {
			const struct obs *o = dataset_find(out, nat, (unsigned)(m->defs->ntables + r),
							   CAT_NONE, LEVEL_NONE);
			if (o)
				fprintf(f, "\n%s, national: %lld per %ld (%s)\n", m->defs->rates[r].name,
					o->value, m->defs->rates[r].per, obs_status_name(o->status));
		}
	}
	return ferror(f) || fflush(f) != 0 ? -1 : 0;
}
