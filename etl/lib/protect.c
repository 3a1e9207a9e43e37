#include "protect.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "complete.h"
#include "growarray.h"
#include "unionfind.h"
#include "embedded.h"
#include "policy.h"
#include "readers.h"
#include "sdc.h"
#include "strbuf.h"

/* a reader's kind is reported as the attacker it is */
_Static_assert((unsigned)PROTECT_OUTSIDER == (unsigned)READER_OUTSIDER &&
	       (unsigned)PROTECT_INSIDER == (unsigned)READER_INSIDER &&
	       (unsigned)PROTECT_SINGLETON == (unsigned)READER_SINGLETON,
	       "the readers' kinds are PROTECT_* bits");

int protect_policy_load(struct policy *pol, const char *path, struct diag_list *d)
{
	const struct policy_schema xsd = { NULL, (const char *)mappa_embed_policy_xsd,
					   mappa_embed_policy_xsd_len };
	int r;

	policy_init_default(pol);
	/* C00-C03 at their lines (C01 with the errno when the file cannot be read) */
	if (path)
		r = policy_read_file(path, &xsd, pol, d);
	else
		r = policy_read_memory((const char *)mappa_embed_policy_xml, mappa_embed_policy_xml_len,
				       "policy/default.xml", &xsd, pol, d);
	if (r == POLICY_EIO)
		return -2;
	if (r != POLICY_OK)
		return -1;
	if (!path) { /* no line to name: policy/default.xml is not beside an installed program */
		pol->interval_line = 0;
		memset(pol->withheld_line, 0, sizeof pol->withheld_line);
	}
	for (int c = 1; c <= 3; c++)
		if (policy_withheld(pol, c)) {
			diag_add(d, path ? path : "policy/default.xml", pol->withheld_line[c], "S05",
				 DIAG_ERROR, "only category 4 can be withheld per area (area totals are "
				 "published over categories 1-3)");
			return -1;
		}
	/* the publisher never publishes an area's category 4 nor its totals over 1-4: a policy
	   that publishes them would pass the suppression and stop at the publication (P04) */
	if (!policy_withheld(pol, 4)) {
		diag_add(d, path ? path : "policy/default.xml", pol->withheld_line[0], "S05",
			 DIAG_ERROR, "category 4 (terrorism) is never published per area: the area's "
			 "withheld element must name it");
		return -1;
	}
	return 0;
}

unsigned protect_attackers(const struct policy *pol)
{
	return PROTECT_OUTSIDER | (pol->insiders ? PROTECT_INSIDER : 0u) |
	       (pol->singletons ? PROTECT_SINGLETON : 0u);
}

/*
 * BUILD_PROTECT: the system elimination works on (states by the policy). BUILD_AUDIT: what
 * the outsider knows (values of suppressed rows unknown). BUILD_REAL: the system with every
 * true value kept, for the readers who know some of them and for the repair rounds.
 */
enum build_mode { BUILD_PROTECT, BUILD_AUDIT, BUILD_REAL };

/* The dataset as one linked system of cells. */
struct linked {
	struct sdc_problem *p;
	size_t ncells;
	size_t *row_cell;   /* per row: its cell, or SIZE_MAX (rates, missing areas) */
	size_t *cell_row;   /* per cell: its row */
	unsigned char *kept; /* per cell (BUILD_PROTECT): withheld because the earlier
			       publication withheld it and nothing changed since (known) */
	size_t relations, inequalities;
};

static void linked_release(struct linked *L)
{
	sdc_problem_free(L->p);
	free(L->row_cell);
	free(L->cell_row);
	free(L->kept);
	memset(L, 0, sizeof *L);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Reports what went wrong in one call (e: from this module and the engine below it, each
 * added by sdc_error without a file) under the file it is about and the rule of the public
 * function that failed.
 */
static void relay(struct diag_list *d, const struct diag_list *e, const char *name,
		  const char *rule)
{
	/* nothing kept: the error could not be (out of memory), or there was none to keep (an
	   internal error); neither is the data's, so 70 through ENOMEM (it was "internal error"
	   and 65, under ulimit -v) */
	if (e->count == 0)
		(void)diag_add_errno(d, name, rule, ENOMEM, "%s",
				     e->errors ? "out of memory"
					       : "out of memory, or an internal error (nothing said why)");
	for (size_t i = 0; i < e->count; i++) {
		if (e->items[i].errnum) /* out of memory stays the machine's (exit 70) */
			(void)diag_add_errno(d, name, rule, e->items[i].errnum, "%s",
					     e->items[i].message);
		else
			(void)diag_add(d, name, e->items[i].line, rule, e->items[i].severity, "%s",
				       e->items[i].message);
	}
}


/* The cells a refusal's first line names (what fits the run's one line); the rest, to
   SDC_REPORT_CELLS, a line each. */
#define PROTECT_NAMED 4

/* The tags of earlier publications (series.h; mappa-audit gives one per --earlier). */
#define EARLIER_TAGS "0123456789abcdef"

/* Whether a row is an earlier publication's figure (series.h: a revision's joint system). */
static int is_earlier(const struct obs *o)
{
	return o->area[0] == DATASET_EARLIER;
}

/* A row's own area code (an earlier figure's: after DATASET_EARLIER and its publication's tag). */
static const char *base_code(const struct obs *o)
{
	return is_earlier(o) && o->area[1] ? o->area + 2 : o->area;
}

/* How many earlier publications ds holds figures of (their tags, DATASET_EARLIER rows). */
static size_t earlier_count(const struct dataset *ds)
{
	char tags[sizeof EARLIER_TAGS];
	size_t n = 0;

	for (size_t i = 0; i < ds->nobs; i++) {
		size_t k;
		if (!is_earlier(&ds->obs[i]))
			continue;
		for (k = 0; k < n && tags[k] != ds->obs[i].area[1]; k++)
			;
		if (k == n && n < sizeof tags)
			tags[n++] = ds->obs[i].area[1];
	}
	return n;
}

/* The words before a cell's own, into buf: "" for now's figure, "the earlier publication's "
   for an earlier one's, and with several, "earlier publication 2 of 3's " by its tag (QA: a
   refusal named one cell of two publications twice, in the same words). Returns buf. */
static const char *earlier_words(const struct obs *o, size_t nearlier, char *buf, size_t size)
{
	const char *t = is_earlier(o) && o->area[1] ? strchr(EARLIER_TAGS, o->area[1]) : NULL;

	if (!is_earlier(o))
		snprintf(buf, size, "%s", "");
	else if (nearlier <= 1 || !t)
		snprintf(buf, size, "the earlier publication's ");
	else
		snprintf(buf, size, "earlier publication %d of %zu's ", (int)(t - EARLIER_TAGS) + 1,
			 nearlier);
	return buf;
}

/* A reader of R in words, as mappa-audit names one: "the outsider", "the insider E23000001",
   "the singleton (who is alone in W15000004 returnedToCustody category '4' level '3')". */
static void reader_words(const struct dataset *ds, const struct defs *defs, const struct linked *L,
			 const struct readers *R, size_t reader, char *buf, size_t size)
{
	const struct reader *x;

	if (reader >= R->n) {
		snprintf(buf, size, "a reader");
		return;
	}
	x = &R->r[reader];
	if (x->known_cell != SIZE_MAX) {
		const struct obs *k = &ds->obs[L->cell_row[x->known_cell]];
		char w[160];
		snprintf(buf, size, "the %s (who is alone in %s%s)", x->who,
			 is_earlier(k) ? "the earlier publication's " : "",
			 dataset_cell_words(defs, base_code(k), k->stat, k->category, k->level, w,
					    sizeof w));
	} else
		snprintf(buf, size, "the %s", x->who);
}

/* Whether a row is the nation's, now or in an earlier publication. */
static int is_national(const struct dataset *ds, const struct obs *o)
{
	return strcmp(base_code(o), ds->national_code) == 0;
}


/* The cell of a row key, or SIZE_MAX when there is no such row or it is not a cell. */
static size_t cell_of(const struct dataset *ds, const struct linked *L, const char *area,
		      unsigned stat, int cat, int lev)
{
	const struct obs *o = dataset_find(ds, area, stat, cat, lev);
	return o ? L->row_cell[o - ds->obs] : SIZE_MAX;
}

/*
 * Appends the cell of a sum's member to m: SIZE_MAX when it has no row or is not a cell (the
 * sum is then left out), nothing for a cell that cannot exist and has no row (a dataset may
 * leave those out: it is 0, and a reader knows it; the sum was left out, so that a category 1-3
 * total of two published figures was audited as safe, while mappa-publish refused it, P06).
 */
static void add_member(const struct dataset *ds, const struct defs *defs, const struct linked *L,
		       const char *area, unsigned stat, int cat, int lev, size_t *m, size_t *n)
{
	size_t c = cell_of(ds, L, area, stat, cat, lev);

	if (c == SIZE_MAX && defs_is_not_applicable(defs, stat, cat, lev) &&
	    !dataset_find(ds, area, stat, cat, lev))
		return;
	m[(*n)++] = c;
}

/* Adds total = sum(members) when the total and every member are cells. */
static int add_sum(struct linked *L, size_t total, const size_t *members, size_t n, struct diag_list *d)
{
	if (total == SIZE_MAX || n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (members[i] == SIZE_MAX)
			return 0;
	if (sdc_add_relation(L->p, total, members, n, d) != SDC_OK)
		return -1;
	L->relations++;
	return 0;
}

/* A table's category codes (its categories, then 1-3 and all) and level codes (its levels,
   then all), in cats and levs; CAT_NONE / LEVEL_NONE alone where it has none. */
static void table_codes(const struct defs_table *T, int cats[7], int *ncats, int levs[5], int *nlevs)
{
	*ncats = *nlevs = 0;
	if (T->categories) {
		for (int c = 1; c <= 4; c++)
			if (T->categories >> c & 1u)
				cats[(*ncats)++] = c;
		cats[(*ncats)++] = CAT_1_3;
		cats[(*ncats)++] = CAT_ALL;
	} else
		cats[(*ncats)++] = CAT_NONE;
	if (T->levels) {
		for (int l = 1; l <= 3; l++)
			if (T->levels >> l & 1u)
				levs[(*nlevs)++] = l;
		levs[(*nlevs)++] = LEVEL_ALL;
	} else
		levs[(*nlevs)++] = LEVEL_NONE;
}

/* The table sums of one area (or the nation): over levels and over categories. */
static int add_table_sums(const struct dataset *ds, const struct defs *defs, struct linked *L,
			  const char *area, struct diag_list *d)
{
	for (unsigned t = 0; t < defs->ntables; t++) {
		const struct defs_table *T = &defs->tables[t];
		int cats[7], levs[5], ncats, nlevs;
		size_t m[8];

		table_codes(T, cats, &ncats, levs, &nlevs);
		if (T->levels) /* each category code: LEVEL_ALL = sum of the levels */
			for (int i = 0; i < ncats; i++) {
				size_t n = 0;
				for (int j = 0; j < nlevs - 1; j++)
					add_member(ds, defs, L, area, t, cats[i], levs[j], m, &n);
				if (add_sum(L, cell_of(ds, L, area, t, cats[i], LEVEL_ALL), m, n, d))
					return -1;
			}
		if (T->categories) /* each level code: 1-3 and all = sums of the categories */
			for (int j = 0; j < nlevs; j++) {
				size_t n = 0;
				for (int c = 1; c <= 3; c++)
					if (T->categories >> c & 1u)
						add_member(ds, defs, L, area, t, c, levs[j], m, &n);
				if (add_sum(L, cell_of(ds, L, area, t, CAT_1_3, levs[j]), m, n, d))
					return -1;
				if (T->categories >> 4 & 1u)
					add_member(ds, defs, L, area, t, 4, levs[j], m, &n);
				if (add_sum(L, cell_of(ds, L, area, t, CAT_ALL, levs[j]), m, n, d))
					return -1;
			}
	}
	return 0;
}

/* The published rules between tables (definitions), cell by cell. */
static int add_rules(const struct dataset *ds, const struct defs *defs, struct linked *L,
		     const char *area, struct diag_list *d)
{
	for (size_t r = 0; r < defs->nrules; r++) {
		const struct defs_rule *rule = &defs->rules[r];
		for (int c = 0; c <= 4; c++)
			for (int l = 0; l <= 3; l++) {
				size_t a, b;
				if (!defs_has_cell(&defs->tables[rule->table], c, l) ||
				    !defs_has_cell(&defs->tables[rule->other], c, l))
					continue;
				a = cell_of(ds, L, area, (unsigned)rule->table, c, l);
				b = cell_of(ds, L, area, (unsigned)rule->other, c, l);
				if (a == SIZE_MAX || b == SIZE_MAX)
					continue;
				if (rule->op == DEFS_GE) {
					size_t x = a;
					a = b;
					b = x;
				}
				if (sdc_add_leq(L->p, a, b, d) != SDC_OK)
					return -1;
				L->inequalities++;
			}
	}
	return 0;
}


/* What the policy makes of a count row by its true value: withheld, primary or a candidate. */
static enum sdc_state policy_state(const struct dataset *ds, const struct policy *pol,
				   const struct obs *o)
{
	int national = is_national(ds, o);
	if (is_earlier(o)) /* a figure published then, or withheld then: history */
		return o->status == OBS_OK ? SDC_CANDIDATE : SDC_WITHHELD;
	switch (policy_reason(pol, national, o->category, o->value)) {
	case POLICY_WITHHELD: return SDC_WITHHELD;
	case POLICY_PRIMARY: return SDC_PRIMARY;
	default: return SDC_CANDIDATE;
	}
}

/* Whether row o is a count an area's return holds (defs_is_return_count, not national) */
static int return_count(const struct dataset *ds, const struct defs *defs, const struct obs *o)
{
	return !is_national(ds, o) && defs_is_return_count(defs, o->stat, o->category, o->level);
}

/*
 * Every count in a return is below DEFS_COUNT_LIMIT (R07), and the return format says so:
 * every reader knows it, so it bounds each area's cell of the return (a total over
 * categories or levels is a sum of them, a national cell the sum of the areas'). Without it,
 * counts at 9,999,999 pinned primaries that the audit saw as [0, 4] (QA).
 *
 * The audit of a publication always knows it: a bound that does not bind changes no
 * interval. The suppression's system has it only where a count of the return is at least
 * half the limit: an unused bound still changes the path of GLPK's repair LPs, and so which
 * of two equally cheap repairs is taken (secondaries +-2 on adversarial inboxes); far below
 * the limit every count keeps millions of headroom, and the audit of what is published,
 * which has the bound, refuses a pattern it would narrow.
 */
static int add_count_limit(const struct dataset *ds, const struct defs *defs, struct linked *L,
			   enum build_mode mode, struct diag_list *d)
{
	int near = mode == BUILD_AUDIT;

	for (size_t c = 0; c < L->ncells && !near; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		near = return_count(ds, defs, o) && o->value >= DEFS_COUNT_LIMIT / 2;
	}
	for (size_t c = 0; c < L->ncells && near; c++)
		if (return_count(ds, defs, &ds->obs[L->cell_row[c]]) &&
		    sdc_set_bounds(L->p, c, 0, DEFS_COUNT_LIMIT - 1, d) != SDC_OK)
			return -1;
	return 0;
}

/*
 * A published rate r = round half up (count x per / population) bounds the count:
 * (2r - 1) P <= 2 per count < (2r + 1) P. Its count is a total over levels, which the count
 * limit (add_count_limit) never bounds, so this is the cell's only bound.
 */
static int add_rate_bounds(const struct dataset *ds, const struct defs *defs, struct linked *L,
			   enum build_mode mode, struct diag_list *d)
{
	long long national_pop = dataset_national_population(ds);

	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		const struct defs_rate *rate;
		const struct dataset_area *a;
		long long pop, r, lo, hi, two_per;
		size_t cell;

		if (o->stat < defs->ntables || o->status == OBS_MISSING)
			continue;
		if ((mode != BUILD_PROTECT || is_earlier(o)) && o->status != OBS_OK)
			continue;
		rate = &defs->rates[o->stat - defs->ntables];
		if (is_earlier(o) && is_national(ds, o))
			continue; /* its population: the areas the earlier publication had */
		a = dataset_area_find(ds, base_code(o));
		pop = a ? a->population : national_pop;
		cell = cell_of(ds, L, o->area, (unsigned)rate->table, rate->category, LEVEL_ALL);
		if (cell == SIZE_MAX || pop <= 0)
			continue;
		r = o->value;
		two_per = 2LL * rate->per;
		lo = r > 0 ? ((2 * r - 1) * pop + two_per - 1) / two_per : 0;
		hi = ((2 * r + 1) * pop - 1) / two_per;
		if (sdc_set_bounds(L->p, cell, lo, hi, d) != SDC_OK)
			return -1;
	}
	return 0;
}

/*
 * Figures an earlier publication of the period made public (known: rows with OBS_OK, e.g.
 * from series_known_published), for every reader: a published bound [v, v] on the cell, and,
 * for elimination, the highest preference to publish (it costs nothing to publish what is
 * public). A row whose true value differs (a revised figure) is not known in this way. A
 * national figure the publication being revised published with the value it has now is not
 * known (series_known_earlier: withheld now, no reader knows that it did not change), but the
 * suppression prefers to publish it again as much: what it withholds then is what a reader
 * needs withheld (a count moved between areas), not the first publication's figures.
 */
static int add_known(const struct dataset *ds, const struct dataset *known, struct linked *L,
		     enum build_mode mode, struct diag_list *d)
{
	char code[AREA_CODE_MAX + 2];
	int entered = 0; /* an area the publication being revised did not have */

	for (size_t i = 0; known && i < ds->nobs && !entered; i++)
		entered = is_earlier(&ds->obs[i]) && ds->obs[i].area[1] == '0' &&
			  ds->obs[i].status == OBS_MISSING && !is_national(ds, &ds->obs[i]);
	/* not where an area came since: a national figure the same then tells what the late
	   area adds up to (a late return was refused in 41 of 42 areas) */
	if (known && mode == BUILD_PROTECT && !entered &&
	    dataset_earlier_code(code, sizeof code, '0', ds->national_code) == 0)
		for (size_t c = 0; c < L->ncells; c++) {
			const struct obs *o = &ds->obs[L->cell_row[c]], *e;
			if (is_earlier(o) || !is_national(ds, o) || o->status == OBS_NA)
				continue;
			e = dataset_find(ds, code, o->stat, o->category, o->level);
			if (e && e->status == OBS_OK && e->value == o->value &&
			    sdc_set_cost(L->p, c, 1e15, d) != SDC_OK)
				return -1;
		}
	for (size_t c = 0; known && c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		const struct obs *k = dataset_find(known, o->area, o->stat, o->category, o->level);
		if (k && !is_earlier(o) && obs_status_withheld(k->status) && mode == BUILD_PROTECT &&
		    o->status != OBS_NA && sdc_cell_state(L->p, c) == SDC_CANDIDATE) {
			/* withheld before, nothing changed since: withheld again */
			if (!L->kept && !(L->kept = calloc(L->ncells + 1, 1))) {
				sdc_error(d, "out of memory");
				return -1;
			}
			L->kept[c] = 1;
			if (sdc_set_cell(L->p, c, o->value, SDC_WITHHELD, d) != SDC_OK)
				return -1;
			continue;
		}
		if (!k || k->status != OBS_OK || o->status == OBS_NA || k->value < 0)
			continue;
		if (!(mode == BUILD_AUDIT && obs_status_withheld(o->status)) && k->value != o->value)
			continue;
		if (sdc_set_bounds(L->p, c, k->value, k->value, d) != SDC_OK)
			return -1;
		if (mode == BUILD_PROTECT && sdc_set_cost(L->p, c, 1e15, d) != SDC_OK)
			return -1;
	}
	return 0;
}

/* A row in words, as the errors name it: "K04000001 eligible category '1' level '1'",
   "E23000002 notificationOrder". */
static void row_words(const struct dataset *ds, const struct defs *defs, size_t row, char *buf,
		      size_t size)
{
	const struct obs *o = &ds->obs[row];

	dataset_cell_words(defs, base_code(o), o->stat, o->category, o->level, buf, size);
}

/*
 * Whether the figures of this publication add up, before anything is solved: every total is
 * the sum of its parts, every published rule holds (a <= b), every count lies in what its
 * published rate allows. A merged dataset always does; one changed afterwards (its checksum
 * made again) did not, and was refused by the LPs as "the published figures admit no
 * non-negative solution", twice (once per thread), naming nothing. 0, or -1 with the first
 * figure that does not add up in d. An earlier publication's copies (a revision) are not
 * checked: some of their values are not at hand.
 */
static int check_adds_up(const struct dataset *ds, const struct defs *defs, const struct linked *L,
			 int published_only, struct diag_list *d)
{
	const struct sdc_problem *p = L->p;
	char a[160], b[160];
	/* a figure whose value is not at hand: an earlier publication's copy, or (published_only:
	   the outsider's dataset, read from observations.csv) a withheld one */
#define UNKNOWN(c) (is_earlier(&ds->obs[L->cell_row[c]]) ||				\
		    (published_only && obs_status_withheld(ds->obs[L->cell_row[c]].status)))

	for (size_t r = 0; r < sdc_nrelations(p); r++) {
		const size_t *m;
		size_t nm, t = sdc_relation(p, r, &m, &nm);
		long long sum = 0;
		int unknown = UNKNOWN(t);
		for (size_t k = 0; k < nm; k++) {
			unknown |= UNKNOWN(m[k]);
			sum += sdc_cell_value(p, m[k]);
		}
		if (unknown || sum == sdc_cell_value(p, t))
			continue;
		row_words(ds, defs, L->cell_row[t], a, sizeof a);
		sdc_error_at(d, ds->obs[L->cell_row[t]].line, "%s is %lld, but the %zu figures it totals sum to %lld: the dataset does "
			  "not add up (changed after it was written?)", a, (long long)sdc_cell_value(p, t),
			  nm, sum);
		return -1;
	}
	for (size_t i = 0; i < sdc_nleq(p); i++) {
		size_t x, y;
		sdc_leq(p, i, &x, &y);
		if (UNKNOWN(x) || UNKNOWN(y) || sdc_cell_value(p, x) <= sdc_cell_value(p, y))
			continue;
		row_words(ds, defs, L->cell_row[x], a, sizeof a);
		row_words(ds, defs, L->cell_row[y], b, sizeof b);
		sdc_error_at(d, ds->obs[L->cell_row[x]].line, "%s is %lld, above %s (%lld), which it cannot exceed: the dataset does "
			  "not add up (changed after it was written?)", a, (long long)sdc_cell_value(p, x),
			  b, (long long)sdc_cell_value(p, y));
		return -1;
	}
	for (size_t c = 0; c < L->ncells; c++) {
		int64_t lo, hi, v = sdc_cell_value(p, c);
		if (UNKNOWN(c))
			continue;
		sdc_cell_bounds(p, c, &lo, &hi);
		if (v >= lo && (hi < 0 || v <= hi))
			continue;
		row_words(ds, defs, L->cell_row[c], a, sizeof a);
		/* the bounds are the rates' (add_rate_bounds) with the reference data's populations:
		   a publication made with other populations (mappa-run --reference) failed here with
		   "changed after it was written?" alone (QA). The rate's own line too: an edited rate
		   was named at its count's line alone (QA) */
		b[0] = '\0';
		for (size_t i = 0; i < ds->nobs; i++)
			if (ds->obs[i].stat >= defs->ntables && ds->obs[i].line > 0 &&
			    dataset_rate_count(ds, defs, &ds->obs[i]) == &ds->obs[L->cell_row[c]]) {
				snprintf(b, sizeof b, " (the rate is at line %ld)", ds->obs[i].line);
				break;
			}
		/* the populations: a dataset's area lines, or the reference data for a bundle's
		   observations.csv (QA: mappa-suppress, which has no --reference, advised it) */
		sdc_error_at(d, ds->obs[L->cell_row[c]].line, "%s is %lld, outside what its published rate%s allows with the areas' "
			  "populations (%lld to %lld): the rates were made with other populations (a "
			  "bundle: give mappa-audit the reference data it was made with, --reference), "
			  "or the dataset was changed after it was written", a, (long long)v, b,
			  (long long)lo, (long long)hi);
		return -1;
	}
#undef UNKNOWN
	return 0;
}

/*
 * Whether the statuses of ds agree with its returns: 'na' only, and always, on a cell that
 * cannot exist (as '0 na'), 'missing' on every figure of an area that sent no return and on no
 * other. 0, or -1 with the first that does not in d (S02).
 */
static int check_statuses(const struct dataset *ds, const struct defs *defs, struct diag_list *d)
{
	char w[160];

	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		const struct dataset_area *area;
		int national, absent, cannot;
		if (is_earlier(o))
			continue;
		national = is_national(ds, o);
		area = national ? NULL : dataset_area_find(ds, o->area);
		absent = area && area->state == AREA_MISSING;
		cannot = defs_is_not_applicable(defs, o->stat, o->category, o->level);
		row_words(ds, defs, i, w, sizeof w);
		if (cannot && (o->status != OBS_NA || o->value != 0)) {
			sdc_error_at(d, o->line, "%s is a cell that cannot exist, but it is not '0 na' (changed "
				  "after it was written?)", w);
			return -1;
		}
		if (o->status == OBS_NA && !cannot) {
			sdc_error_at(d, o->line, "%s is 'na' (a cell that cannot exist), but it is a figure of "
				  "its table (changed after it was written?)", w);
			return -1;
		}
		if (o->status == OBS_MISSING && !absent) {
			sdc_error_at(d, o->line, "%s is 'missing', but %s (changed after it was written?)", w,
				  national ? "the nation's figures are the sums of the areas present"
					   : "its area sent a return");
			return -1;
		}
		if (absent && !cannot && o->status != OBS_MISSING) {
			sdc_error_at(d, o->line, "%s is not 'missing', but its area sent no return (changed after "
				  "it was written?)", w);
			return -1;
		}
	}
	return 0;
}

/*
 * Whether a merged dataset is whole, as mappa-merge writes it, before anything is solved: a row
 * for every figure of its tables that can exist and for every rate, for every area and the
 * nation (a cell that cannot exist is 0 without one: add_member), and statuses that agree with
 * the returns: 'na' only on a cell that cannot exist, 'missing' on every figure of an area that
 * sent no return and on no other. A row that is not there, or one 'missing' or 'na' where a
 * figure is, drops every sum it is part of from the linked system, and the suppression and its
 * audit no longer see what a reader sees: each was suppressed, audited clean, and refused by
 * mappa-publish (P05, P06) or published with [x] in an area that sent its return (QA). One
 * missing or wrong is a dataset changed after it was written. 0, or -1 with the first in d.
 */
static int check_complete(const struct dataset *ds, const struct defs *defs, struct diag_list *d)
{
	size_t present = dataset_areas_in(ds, AREA_PRESENT);
	size_t missing = dataset_areas_in(ds, AREA_MISSING);

	/* the nation is the sum of the areas present: of none, there is nothing to publish (a
	   sample of one missing area was published with the national tables as zeros, QA); and
	   the incomplete flag says what the areas do (a flag that disagreed made the pages say
	   that "" sent no return, or drop the notice of an area that did not, QA) */
	if (!present) {
		sdc_error(d, "no area of the dataset sent a return: there are no national figures "
			  "(changed after it was written?)");
		return -1;
	}
	if (ds->incomplete != (missing > 0)) {
		sdc_error(d, "the dataset says its national figures are %s, but %zu area%s sent no "
			  "return (changed after it was written?)",
			  ds->incomplete ? "of some areas only" : "of every area", missing,
			  missing == 1 ? "" : "s");
		return -1;
	}

	for (size_t a = 0; a <= ds->nareas; a++) {
		const char *code = a < ds->nareas ? ds->areas[a].code : ds->national_code;
		for (unsigned t = 0; t < dataset_stat_count(defs); t++) {
			int cats[7] = { CAT_NONE }, levs[5] = { LEVEL_NONE }, ncats = 1, nlevs = 1;
			if (t < defs->ntables)
				table_codes(&defs->tables[t], cats, &ncats, levs, &nlevs);
			for (int i = 0; i < ncats; i++)
				for (int j = 0; j < nlevs; j++) {
					char c[32] = "", l[32] = "";
					if (dataset_find(ds, code, t, cats[i], levs[j]) ||
					    defs_is_not_applicable(defs, t, cats[i], levs[j]))
						continue;
					if (cats[i] != CAT_NONE)
						snprintf(c, sizeof c, " category '%s'",
							 defs_category_name(cats[i]));
					if (levs[j] != LEVEL_NONE)
						snprintf(l, sizeof l, " level '%s'", defs_level_name(levs[j]));
					sdc_error(d, "the dataset has no row for %s %s%s%s: a merged "
						  "dataset holds every figure of its tables and every rate "
						  "(changed after it was written?)", code,
						  dataset_stat_name(defs, t), c, l);
					return -1;
				}
		}
	}
	return check_statuses(ds, defs, d);
}

/*
 * Two earlier publications of the period (a third publication is solved with the first and the
 * second) each have their own copy of an area that changed since (by tag), and nothing said
 * that an area which did not change between those two has the same figures in both: a data
 * lead who knew it pinned another area's primary at [2, 2] (QA, chains of three revisions).
 * Where both copies hold every true value (their run folders' truth) and the values are the
 * same, area by area, each cell of one copy is tied to the other's (a sum of one). Not the
 * nation's: each copy's national figures are the sums of its areas', so with every area tied
 * (none changed between the two) they are equal already; with an area changed between them,
 * equal national figures are two changes that cancel, which no reader knows (QA: one person
 * moved from Gwent to Warwickshire behind [c], the national figures unchanged and withheld by
 * the second publication; tied, the first bundle's published 81 pinned the national eligible
 * 3/3 of a third, and Gwent's data lead Warwickshire's 1, and every later revision was
 * refused). 0, or -1 with the reason in d.
 */
static int tie_same_copies(const struct dataset *ds, struct linked *L, struct diag_list *d)
{
	char tags[16], code1[AREA_CODE_MAX + 2], code2[AREA_CODE_MAX + 2];
	size_t ntags = 0;

	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		size_t k;
		if (!is_earlier(o))
			continue;
		for (k = 0; k < ntags && tags[k] != o->area[1]; k++)
			;
		if (k == ntags && ntags < sizeof tags)
			tags[ntags++] = o->area[1];
	}
	for (size_t t1 = 0; t1 < ntags; t1++)
		for (size_t t2 = t1 + 1; t2 < ntags; t2++)
			for (size_t a = 0; a < ds->nareas; a++) {
				const char *base = ds->areas[a].code;
				size_t n1 = 0, n2 = 0, same = 1;
				if (dataset_earlier_code(code1, sizeof code1, tags[t1], base) != 0 ||
				    dataset_earlier_code(code2, sizeof code2, tags[t2], base) != 0)
					continue;
				for (size_t i = 0; i < ds->nobs && same; i++) {
					const struct obs *o = &ds->obs[i], *e;
					if (strcmp(o->area, code2) == 0)
						n2++;
					if (strcmp(o->area, code1) != 0)
						continue;
					n1++;
					e = dataset_find(ds, code2, o->stat, o->category, o->level);
					same = e && e->status != OBS_MISSING && o->status != OBS_MISSING &&
					       o->value >= 0 && e->value == o->value;
				}
				if (!same || n1 == 0 || n1 != n2)
					continue;
				for (size_t i = 0; i < ds->nobs; i++) {
					const struct obs *o = &ds->obs[i], *e;
					size_t m;
					if (strcmp(o->area, code1) != 0 || L->row_cell[i] == SIZE_MAX)
						continue;
					e = dataset_find(ds, code2, o->stat, o->category, o->level);
					m = e ? L->row_cell[e - ds->obs] : SIZE_MAX;
					if (m != SIZE_MAX && add_sum(L, L->row_cell[i], &m, 1, d))
						return -1;
				}
			}
	return 0;
}

/*
 * An earlier publication's copy of an area that changed since is a system of its own, but its
 * figures that did not change are the same people: whoever holds both bundles may take an
 * unchanged table as unchanged. A revision of Lancashire's eligible category 1 level 1 published
 * its returnedToCustody level-2 total (7) where the first bundle had published the all-levels
 * total (9), and a reader who took that table as the same in both got the withheld level-3
 * total, a primary 2 (QA; mappa-audit passed it, taking every figure of a revised area as
 * possibly changed). Each cell of a copy whose true value is at hand (published then, or its
 * run folder's truth; not one completed, complete.h) and equals the cell's value now is tied to
 * it (a sum of one), as tie_same_copies ties two copies: the reader who knows which figures did
 * not change, the strongest of that kind. Only where now's values are the truth (not the
 * outsider's audit of what is published, BUILD_AUDIT). 0, or -1 with the reason in d.
 */
static int tie_unchanged_cells(const struct dataset *ds, struct linked *L, enum build_mode mode,
			       struct diag_list *d)
{
	if (mode == BUILD_AUDIT)
		return 0;
	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i], *e;
		size_t m;
		/* not a count of 1: the person alone there may be another now (one out, one in),
		   and a tie makes the one alone in either cell the one alone in both (a total of
		   one cell: readers.c), which dropped the earlier person as a reader (test_series,
		   an area's one person moved) */
		if (!is_earlier(o) || L->row_cell[i] == SIZE_MAX || o->value < 0 || o->value == 1 ||
		    o->completed || o->status == OBS_MISSING || o->status == OBS_NA)
			continue;
		/* not the nation's: that it did not change is the sum of every changed area's
		   change, which no reader knows (a data lead knows its own, and what the system
		   gives of the others' is in it already); only a guess. Tied, a late return after
		   --allow-missing was refused in 41 of 42 areas (each 0 it withholds by policy
		   pinned by an unchanged national cell), and a count moved between two areas with
		   the national unchanged in 15 revisions of 32 (QA, 7 December: the outsider
		   "deduced" a national notificationOrder withheld in the revision at [9, 9], its
		   value in the first bundle) */
		if (is_national(ds, o))
			continue;
		e = dataset_find(ds, base_code(o), o->stat, o->category, o->level);
		if (!e || is_earlier(e) || e->status == OBS_MISSING || e->value != o->value)
			continue;
		m = L->row_cell[e - ds->obs];
		if (m != SIZE_MAX && add_sum(L, L->row_cell[i], &m, 1, d))
			return -1;
	}
	return 0;
}

static int build(const struct dataset *ds, const struct defs *defs,
		 const struct policy *pol, enum build_mode mode,
		 const struct dataset *known, struct linked *L, struct diag_list *d)
{
	memset(L, 0, sizeof *L);
	L->row_cell = malloc((ds->nobs + 1) * sizeof *L->row_cell);
	L->cell_row = malloc((ds->nobs + 1) * sizeof *L->cell_row);
	if (!L->row_cell || !L->cell_row)
		goto nomem;
	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		L->row_cell[i] = SIZE_MAX;
		if (o->stat >= defs->ntables || o->status == OBS_MISSING)
			continue;
		L->row_cell[i] = L->ncells;
		L->cell_row[L->ncells++] = i;
	}
	L->p = sdc_problem_new(L->ncells);
	if (!L->p)
		goto nomem;
	for (size_t c = 0; c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		enum sdc_state st;
		long long value = o->value < 0 ? 0 : o->value; /* an earlier value not at hand */

		if (o->status == OBS_NA) {
			st = SDC_EMPTY;
			value = 0;
		} else if (mode == BUILD_AUDIT || mode == BUILD_REAL) {
			st = SDC_CANDIDATE;
			if (mode == BUILD_AUDIT && obs_status_withheld(o->status))
				value = 0; /* never read: the reader does not know it */
		} else {
			st = policy_state(ds, pol, o);
		}
		if (sdc_set_cell(L->p, c, value, st, d) != SDC_OK)
			goto fail;
	}
	/* each present area's tables and the national tables */
	if (add_table_sums(ds, defs, L, ds->national_code, d) ||
	    add_rules(ds, defs, L, ds->national_code, d))
		goto fail;
	for (size_t a = 0; a < ds->nareas; a++) {
		if (ds->areas[a].state != AREA_PRESENT)
			continue;
		if (add_table_sums(ds, defs, L, ds->areas[a].code, d) ||
		    add_rules(ds, defs, L, ds->areas[a].code, d))
			goto fail;
	}
	/* the earlier publication's copies (a revision): each with its own tables */
	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		if (!is_earlier(o) || (i > 0 && strcmp(ds->obs[i - 1].area, o->area) == 0))
			continue;
		if (add_table_sums(ds, defs, L, o->area, d) || add_rules(ds, defs, L, o->area, d))
			goto fail;
	}
	/* national = sum of the present areas, for every cell and margin; the earlier national
	   figures, the sum of the areas it had: the unchanged ones shared, the others its copies */
	{
		size_t *m = malloc((ds->nareas + 1) * sizeof *m);
		unsigned char (*ghosted)[AREAS_MAX] = calloc(256, sizeof *ghosted);
		char code[AREA_CODE_MAX];
		if (!m || !ghosted) {
			free(m);
			free(ghosted);
			goto nomem;
		}
		/* the areas each earlier publication has a copy of (they changed since): by its
		   tag, the character after DATASET_EARLIER */
		for (size_t i = 0; i < ds->nobs; i++) {
			const struct obs *o = &ds->obs[i];
			if (!is_earlier(o) || is_national(ds, o) ||
			    (i > 0 && strcmp(ds->obs[i - 1].area, o->area) == 0))
				continue;
			for (size_t a = 0; a < ds->nareas && a < AREAS_MAX; a++)
				if (strcmp(ds->areas[a].code, base_code(o)) == 0)
					ghosted[(unsigned char)o->area[1]][a] = 1;
		}
		for (size_t i = 0; i < ds->nobs; i++) {
			const struct obs *o = &ds->obs[i];
			int earlier = is_earlier(o);
			unsigned char tag = (unsigned char)o->area[1];
			size_t n = 0;
			if (L->row_cell[i] == SIZE_MAX || !is_national(ds, o))
				continue;
			for (size_t a = 0; a < ds->nareas; a++) {
				const struct obs *e = NULL;
				if (earlier && ghosted[tag][a]) {
					if (dataset_earlier_code(code, sizeof code, (char)tag,
								 ds->areas[a].code) == 0)
						e = dataset_find(ds, code, o->stat, o->category, o->level);
					/* no such figure then: the sum is not a relation of the system */
					if (!e)
						m[n++] = SIZE_MAX;
					else if (e->status != OBS_MISSING)
						m[n++] = L->row_cell[e - ds->obs];
				} else if (ds->areas[a].state == AREA_PRESENT)
					m[n++] = cell_of(ds, L, ds->areas[a].code, o->stat, o->category,
							 o->level);
			}
			if (add_sum(L, L->row_cell[i], m, n, d)) {
				free(m);
				free(ghosted);
				goto fail;
			}
		}
		free(m);
		free(ghosted);
	}
	if (tie_same_copies(ds, L, d) || tie_unchanged_cells(ds, L, mode, d))
		goto fail;
	if (add_count_limit(ds, defs, L, mode, d) || add_rate_bounds(ds, defs, L, mode, d))
		goto fail;
	if (add_known(ds, known, L, mode, d))
		goto fail;
	return 0;
nomem:
	sdc_error(d, "out of memory");
fail:
	linked_release(L);
	return -1;
}

/*
 * The system one protection or audit works on. For a revision whose earlier publication is
 * in known as a system of its own (series_known_published: DATASET_EARLIER rows), ds's rows
 * (the same indices) and then those rows: both publications are one linear system, the areas
 * whose figures did not change shared, so that no reader who kept the earlier bundle solves
 * them together for a protected cell of either. Otherwise a view of ds.
 */
struct joint {
	struct dataset ds;	/* rows 0 .. nreal: the caller's; then the earlier figures */
	size_t nreal;
	int copy;		/* ds.obs is this struct's own */
	int earlier;		/* PROTECT_EARLIER_* */
};

static void joint_release(struct joint *J)
{
	if (J->copy)
		free(J->ds.obs);
	memset(J, 0, sizeof *J);
}

/* A joint on the heap (its dataset is 45 KB: off the stack frame, which ulimit -v may not let
   grow); NULL with "out of memory" in d. joint_free releases and frees it (NULL: nothing). */
static struct joint *joint_new(struct diag_list *d)
{
	struct joint *J = calloc(1, sizeof *J);
	if (!J)
		sdc_error(d, "out of memory");
	return J;
}

static void joint_free(struct joint *J)
{
	if (!J)
		return;
	joint_release(J);
	free(J);
}

static int same_key(const struct obs *a, const struct obs *b)
{
	return a->stat == b->stat && a->category == b->category && a->level == b->level &&
	       strcmp(a->area, b->area) == 0;
}

/*
 * Makes J from ds and known. With values (ds holds every true value), the earlier figures it
 * withheld get values every reader allows (complete.h): the audits and repairs take a system's
 * values as a solution of it. When there are none, the earlier figures contradict now's for the
 * areas taken as unchanged (one changed only where both publications withhold it): the copies
 * are dropped, and only the figures the earlier publication published for those areas are known
 * (PROTECT_EARLIER_DISAGREES). 0, or -1 with the reason in d.
 */
static int joint_make(struct joint *J, const struct dataset *ds, const struct defs *defs,
		      const struct policy *pol, const struct dataset *known, int values,
		      struct diag_list *d)
{
	struct linked L;
	unsigned char *unknown = NULL;
	size_t nearlier = 0;
	int r;

	memset(J, 0, sizeof *J);
	J->ds = *ds;
	J->nreal = ds->nobs;
	for (size_t i = 0; known && i < known->nobs; i++)
		nearlier += is_earlier(&known->obs[i]) ? 1u : 0u;
	if (nearlier == 0)
		return 0;
	J->ds.obs = malloc((ds->nobs + nearlier) * sizeof *J->ds.obs);
	if (!J->ds.obs) {
		memset(J, 0, sizeof *J);
		sdc_error(d, "out of memory");
		return -1;
	}
	J->copy = 1;
	J->ds.nsuperseded = 0;
	J->ds.superseded = NULL;
	memcpy(J->ds.obs, ds->obs, ds->nobs * sizeof *ds->obs);
	J->ds.nobs = ds->nobs;
	for (size_t i = 0; i < known->nobs; i++)
		if (is_earlier(&known->obs[i])) {
			J->ds.obs[J->ds.nobs] = known->obs[i];
			J->ds.obs[J->ds.nobs++].line = 0; /* a line of another file */
		}
	J->ds.obs_alloc = J->ds.nobs;
	/* DATASET_EARLIER sorts after every area code: ds's rows keep their places */
	dataset_sort(&J->ds);
	for (size_t i = 0; i < J->nreal; i++)
		if (!same_key(&J->ds.obs[i], &ds->obs[i])) {
			sdc_error(d, "internal error: the dataset's rows are not in their order");
			joint_release(J);
			return -1;
		}
	J->earlier = PROTECT_EARLIER_JOINT;
	if (!values)
		return 0;
	if (build(&J->ds, defs, pol, BUILD_REAL, known, &L, d)) {
		joint_release(J);
		return -1;
	}
	unknown = calloc(L.ncells + 1, 1);
	if (!unknown) {
		sdc_error(d, "out of memory");
		r = SDC_ENOMEM;
	} else {
		for (size_t c = 0; c < L.ncells; c++) {
			const struct obs *o = &J->ds.obs[L.cell_row[c]];
			unknown[c] = is_earlier(o) && obs_status_withheld(o->status) && o->value < 0;
		}
		r = complete_values(L.p, unknown, d);
	}
	if (r == SDC_OK)
		for (size_t c = 0; c < L.ncells; c++)
			if (unknown[c]) {
				J->ds.obs[L.cell_row[c]].value = sdc_cell_value(L.p, c);
				J->ds.obs[L.cell_row[c]].completed = 1;
			}
	free(unknown);
	linked_release(&L);
	if (r == SDC_EINCONSISTENT) {
		J->ds.nobs = J->nreal; /* the earlier rows are the last ones */
		J->ds.nobs_sorted = J->nreal;
		J->earlier = PROTECT_EARLIER_DISAGREES;
		return 0;
	}
	if (r != SDC_OK) {
		joint_release(J);
		return -1;
	}
	return 0;
}

/* After ds's statuses changed: the same in J's copy of its rows. */
static void joint_statuses(struct joint *J, const struct dataset *ds)
{
	for (size_t i = 0; J->copy && i < J->nreal; i++)
		J->ds.obs[i].status = ds->obs[i].status;
}

/* The key of J's row into an interval (an earlier figure under its area's own code). */
static void interval_key(struct protect_interval *pi, const struct joint *J, size_t row)
{
	const struct obs *o = &J->ds.obs[row];
	pi->earlier = is_earlier(o);
	pi->row = row < J->nreal ? row : SIZE_MAX;
	snprintf(pi->area, sizeof pi->area, "%s", base_code(o));
	pi->stat = o->stat;
	pi->category = o->category;
	pi->level = o->level;
}

const char *protect_attacker_name(unsigned attacker)
{
	switch (attacker) {
	case PROTECT_OUTSIDER: return "outsider";
	case PROTECT_INSIDER: return "insider";
	case PROTECT_SINGLETON: return "singleton";
	default: return "reader";
	}
}

/* The audit options of pol (range, above: per cell, may be NULL). */
static void audit_options_for(struct audit_options *aopt, const struct policy *pol,
			      const int64_t *range, const int64_t *above, int exact)
{
	audit_options_init(aopt);
	aopt->min_width = pol->min_width;
	aopt->protect_zeros = pol->area.protect_zeros || pol->national.protect_zeros;
	aopt->flags = AUDIT_TRUTH | (exact ? AUDIT_EXACT : 0u);
	aopt->range_max = range;
	aopt->pass_above = above;
}

/*
 * Per cell of a revision's joint system: an earlier figure withheld then passes when a reader
 * proves it above the primary range of its scope, unless the policy withholds its category
 * whatever its count (audit.h, pass_above): which cells the earlier publication withheld as
 * primary is not published, and a count above the range protects no one. *out NULL when L
 * has no earlier figure. 0, or -1 out of memory.
 */
static int above_build(const struct dataset *ds, const struct linked *L,
		       const struct policy *pol, int64_t **out)
{
	int any = 0;
	*out = NULL;
	for (size_t c = 0; c < L->ncells && !any; c++)
		any = is_earlier(&ds->obs[L->cell_row[c]]);
	if (!any)
		return 0;
	*out = calloc(L->ncells + 1, sizeof **out);
	if (!*out)
		return -1;
	for (size_t c = 0; c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		int national = is_national(ds, o);
		if (!is_earlier(o) || policy_reason(pol, national, o->category, 1) == POLICY_WITHHELD)
			continue;
		(*out)[c] = national ? pol->national.max : pol->area.max;
	}
	return 0;
}

/* The most copies of one figure in a joint system: now's and each earlier publication's. */
#define COPIES (sizeof EARLIER_TAGS)

/* The rows of o's figure in every publication of L's system that are cells of it (now's, then
   each earlier one's; o among them) into e (room for COPIES). Their count. */
static size_t copies_of(const struct dataset *ds, const struct linked *L, const struct obs *o,
			const struct obs **e)
{
	char code[AREA_CODE_MAX];
	size_t n = 0;

	for (size_t k = 0; k < COPIES; k++) {
		const struct obs *x;
		if (k == 0)
			snprintf(code, sizeof code, "%s", base_code(o));
		else if (dataset_earlier_code(code, sizeof code, EARLIER_TAGS[k - 1],
					      base_code(o)) != 0)
			continue;
		x = dataset_find(ds, code, o->stat, o->category, o->level);
		if (x && L->row_cell[x - ds->obs] != SIZE_MAX)
			e[n++] = x;
	}
	return n;
}

/* Whether o, the figure of a singleton's cell in the other publication, is its own history:
   1, or not at hand (complete.h's value, or none). */
static int own_history(const struct obs *o)
{
	return o->value == 1 || o->completed || o->value < 0;
}

/*
 * The singletons of the suppressed cells of 1 in supp, or only in only (NULL: every one;
 * readers_add_singletons), supp the whole pattern. The person in an earlier cell of 1 is a
 * reader too when that 1 is its true value (the run folder of the earlier publication gave it;
 * QA: the person alone in Merseyside's first notificationOrder of 1 pinned its revised figure,
 * a withheld 2, from the national totals of both bundles); not where complete.h gave the value.
 * Each with what it knows of a revision's other publication: its own cell there, when that is 1 too (or
 * its value is not at hand), and every total over it, is its own history, not audited for it.
 * A person alone in a cell in one publication and not in the other's (a 1 now, a 2 then, or
 * the reverse) is audited on that other figure: what it learns there is someone else (QA:
 * the person alone in Merseyside's first notificationOrder of 1 pinned the revised 2). From
 * readers_build and the repair rounds. 0, or -1 out of memory.
 */
static int add_singletons(const struct dataset *ds, const struct linked *L, struct readers *R,
			  const unsigned char *supp, const unsigned char *only, int dominated)
{
	size_t first = R->n, nrel = sdc_nrelations(L->p);
	unsigned char *own = NULL, *now = malloc(2 * L->ncells + 1), *now_only;
	int rc = -1;

	if (!now)
		return -1;
	now_only = now + L->ncells;
	for (size_t c = 0; c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		now[c] = supp[c] && !(is_earlier(o) && (o->completed || o->value < 0));
		now_only[c] = now[c] && (!only || only[c]);
	}
	if (readers_add_singletons(R, L->p, now, only ? now_only : NULL, dominated))
		goto out;
	rc = 0;
	if (L->ncells == 0 || !is_earlier(&ds->obs[ds->nobs - 1]))
		goto out; /* no earlier publication in the system */
	rc = -1;
	own = calloc(L->ncells + 1, 1);
	if (!own)
		goto out;
	for (size_t i = first; i < R->n; i++) {
		struct reader *x = &R->r[i];
		size_t w = 0, grew = 1, twins = 0;
		memset(own, 0, L->ncells);
		/* each cell it is in (its cell of 1, and the cells of 1 it knows below it), in
		   every other publication: now's (for a person alone in an earlier cell), and each
		   earlier one's */
		for (size_t j = 0; j < x->n; j++) {
			const struct obs *o = &ds->obs[L->cell_row[R->cells[x->first + j]]], *e[COPIES];
			size_t n = o->value == 1 ? copies_of(ds, L, o, e) : 0;
			for (size_t k = 0; k < n; k++)
				if (e[k] != o && own_history(e[k])) {
					own[L->row_cell[e[k] - ds->obs]] = 1;
					twins++;
				}
		}
		if (twins == 0)
			continue;
		while (grew) { /* the totals over it, and theirs */
			grew = 0;
			for (size_t r = 0; r < nrel; r++) {
				const size_t *m;
				size_t nm, tot = sdc_relation(L->p, r, &m, &nm);
				for (size_t k = 0; k < nm && !own[tot]; k++)
					if (own[m[k]])
						own[tot] = 1, grew = 1;
			}
		}
		for (size_t k = 0; k < x->focus_n; k++)
			if (!own[R->cells[x->focus_first + k]])
				R->cells[x->focus_first + w++] = R->cells[x->focus_first + k];
		if (w > 0) /* focus_n 0 would mean every cell */
			x->focus_n = w;
	}
	rc = 0;
out:
	free(own);
	free(now);
	return rc;
}

/*
 * Publishes every secondary cell that the outsider pins to its value (status SDC_PUBLISH):
 * publishing what every reader already knows tells no one anything, and such a cell cannot
 * be widened by any pattern. A revision makes them (an area's figure the earlier bundle
 * published, withheld now, and tied to it by both publications' national totals). *n: how
 * many. 0, or -1 with the reason in d.
 */
static int publish_pinned(const struct sdc_problem *real, enum sdc_status *status,
			  unsigned char *supp, const struct readers *R,
			  const unsigned char *sensitive, const struct audit_options *aopt,
			  size_t *n_lp, size_t *n, struct diag_list *d)
{
	struct readers_failures F = { NULL, 0, 0 };
	struct audit_result out;
	size_t ncells = sdc_problem_ncells(real);

	int r;

	*n = 0;
	memset(&out, 0, sizeof out);
	sdc_withheld_cells(status, ncells, supp);
	r = readers_audit(real, supp, R, aopt, sensitive, NULL, NULL, &F, &out, n_lp,
			  READERS_LP_BUDGET, d);
	if (r != 0) {
		audit_result_release(&out);
		free(F.f);
		return r < 0 ? -1 : 1;
	}
	for (size_t i = 0; i < out.n; i++) {
		const struct audit_cell *ac = &out.cells[i];
		size_t c = ac->cell;
		if (ac->pass || !ac->exact || ac->ilo != ac->ihi || sensitive[c] ||
		    status[c] != SDC_SUPPRESS_SECONDARY || ac->ilo != sdc_cell_value(real, c))
			continue;
		status[c] = SDC_PUBLISH;
		supp[c] = 0;
		(*n)++;
	}
	audit_result_release(&out);
	free(F.f);
	return 0;
}

/*
 * Publishes every secondary 0 of this publication that the outsider pins at 0 (status
 * SDC_PUBLISH): its interval is [0, 0] from what is published (a total of 0 over it, a rule
 * that puts it below a published 0), which passes the audit as a published 0 does, so the
 * repairs can leave one behind that protects nothing: a [c] that every reader reads as 0
 * (QA: a 0 that 3/all - 3/2 shows). Publishing what the outsider deduces changes no reader's
 * view: each knows what the outsider knows, and the published figures' solutions are the
 * same. The outsider's exact audit of those cells only, from the true values (an LP for each
 * that its first solutions do not move off 0). *n: how many. 0, or -1 with the reason in d.
 */
static int publish_pinned_zeros(const struct dataset *ds, const struct linked *L,
				enum sdc_status *status, unsigned char *supp,
				const unsigned char *sensitive, const struct audit_options *aopt,
				size_t *n_lp, size_t *n, struct diag_list *d)
{
	struct audit_session *sess = NULL;
	struct audit_options exact;
	struct audit_result res;
	unsigned char *focus = calloc(L->ncells + 1, 1);
	size_t nf = 0;
	int rc = -1;

	*n = 0;
	memset(&res, 0, sizeof res);
	if (!focus) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < L->ncells; c++) {
		focus[c] = status[c] == SDC_SUPPRESS_SECONDARY && !sensitive[c] &&
			   sdc_cell_value(L->p, c) == 0 && !is_earlier(&ds->obs[L->cell_row[c]]);
		nf += focus[c];
	}
	if (nf == 0) {
		rc = 0;
		goto out;
	}
	sdc_withheld_cells(status, L->ncells, supp);
	/* exact: a 0 passes whatever its interval, and its audit stops at the truth's [0, 0] */
	exact = *aopt;
	exact.flags |= AUDIT_EXACT;
	if (audit_session_new(L->p, supp, &exact, &sess, d) != SDC_OK ||
	    audit_session_run(sess, NULL, 0, focus, &res, d) != SDC_OK)
		goto out;
	*n_lp += res.n_lp;
	for (size_t i = 0; i < res.n; i++) {
		const struct audit_cell *ac = &res.cells[i];
		if (!focus[ac->cell] || !ac->exact || ac->ilo != 0 || ac->ihi != 0)
			continue;
		status[ac->cell] = SDC_PUBLISH;
		supp[ac->cell] = 0;
		(*n)++;
	}
	rc = 0;
out:
	audit_result_release(&res);
	audit_session_free(sess);
	free(focus);
	return rc;
}

/*
 * readers_protect, and for a revision (revision), when a cell cannot be protected, the
 * secondaries what was published before pins published (publish_pinned: public, not lost)
 * and the repair again. Adds its rounds to *rounds. As readers_protect.
 */
static int repair(const struct sdc_problem *real, enum sdc_status *status, unsigned char *supp,
		  const struct readers *R, const unsigned char *sensitive,
		  const struct audit_options *aopt, int revision, size_t *rounds, size_t *n_lp,
		  struct readers_failure *lost, struct diag_list *d)
{
	size_t pinned = 0, more = 0;
	int r = readers_protect(real, status, R, sensitive, aopt, &more, n_lp, lost, d);

	*rounds += more;
	if (r != 1 || !revision)
		return r;
	switch (publish_pinned(real, status, supp, R, sensitive, aopt, n_lp, &pinned, d)) {
	case 0:
		break;
	case 1:
		return 2; /* the work budget is spent */
	default:
		return -1;
	}
	if (pinned == 0)
		return r;
	more = 0;
	r = readers_protect(real, status, R, sensitive, aopt, &more, n_lp, lost, d);
	*rounds += more;
	return r;
}

/* Whether every reader of R passes the pattern supp: 1 yes, 0 no, 2 the work budget
   (READERS_LP_BUDGET, with the LPs in *n_lp so far) was spent first, -1 error (in d). */
static int passes_every_reader(const struct sdc_problem *real, const unsigned char *supp,
			       const struct readers *R, const struct audit_options *aopt,
			       const unsigned char *sensitive, size_t *n_lp, struct diag_list *d)
{
	struct readers_failures F = { NULL, 0, 0 };
	struct audit_result out;
	int rc = -1, r;

	memset(&out, 0, sizeof out);
	r = readers_audit(real, supp, R, aopt, sensitive, NULL, NULL, &F, &out, n_lp,
			  READERS_LP_BUDGET, d);
	if (r != 0) {
		rc = r < 0 ? -1 : 2;
		goto done;
	}
	rc = F.n == 0;
	for (size_t i = 0; rc == 1 && i < out.n; i++)
		rc = out.cells[i].pass;
done:
	audit_result_release(&out);
	free(F.f);
	return rc;
}

/*
 * R->twin (readers.h): the copies of one figure in the publications of a revision's joint
 * system that are 1, true values (not complete.h's), linked in a cycle in publication order.
 */
static void link_twins(const struct dataset *ds, const struct linked *L, struct readers *R)
{
	if (L->ncells == 0 || !is_earlier(&ds->obs[ds->nobs - 1]))
		return; /* no earlier publication in the system */
	for (size_t c = 0; c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]], *e[COPIES];
		size_t cells[COPIES], n = 0, ne;
		if (o->value != 1 || o->completed || R->twin[c] != SIZE_MAX)
			continue;
		ne = copies_of(ds, L, o, e);
		for (size_t k = 0; k < ne; k++)
			if (e[k]->value == 1 && !e[k]->completed)
				cells[n++] = L->row_cell[e[k] - ds->obs];
		for (size_t i = 0; n > 1 && i < n; i++)
			R->twin[cells[i]] = cells[(i + 1) % n];
	}
}

/*
 * The readers the policy names (attackers: PROTECT_* bits), on the linked system L with the
 * true values; supp marks the suppressed cells (a singleton is a suppressed cell of 1). The
 * groups are the present areas in order, then those with figures in an earlier publication
 * only, then the nation; a position is a national cell (the
 * nation has every position), and a cell's position is the national cell of its table,
 * category and level.
 */
static int readers_build(const struct dataset *ds, const struct linked *L,
			 const struct policy *pol, unsigned attackers,
			 const unsigned char *supp, const int64_t *above, int rules_known,
			 struct readers *R)
{
	size_t *natcell = malloc((L->ncells + 1) * sizeof *natcell), nat = 0, np = 0;
	const char **names = malloc((ds->nareas + 1) * sizeof *names);
	struct audit_options aopt;
	int rc = -1;

	audit_options_for(&aopt, pol, NULL, above, 0);

	if (!natcell || !names || readers_init(R, L->ncells, pol->coalition))
		goto out;
	for (size_t a = 0; a < ds->nareas; a++)
		if (ds->areas[a].state == AREA_PRESENT)
			names[np++] = ds->areas[a].code;
	/* an area with figures in an earlier publication of the period only (its return
	   withdrawn since): its data lead knows them still, and pinned another area's earlier
	   count of 1 from the two bundles when it was not a reader (QA) */
	for (size_t a = 0; a < ds->nareas; a++) {
		int earlier = 0;
		if (ds->areas[a].state == AREA_PRESENT)
			continue;
		for (size_t c = 0; c < L->ncells && !earlier; c++) {
			const struct obs *o = &ds->obs[L->cell_row[c]];
			earlier = is_earlier(o) && strcmp(base_code(o), ds->areas[a].code) == 0;
		}
		if (earlier)
			names[np++] = ds->areas[a].code;
	}
	R->ngroups = np + 1;
	for (size_t c = 0; c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		R->group[c] = np;
		if (strcmp(o->area, ds->national_code) == 0) {
			natcell[nat++] = c;
			continue;
		}
		/* an area's earlier figures are its data lead's too (at the values complete.h
		   gave the ones withheld then: the earlier return is not at hand) */
		for (size_t i = 0; i < np; i++)
			if (strcmp(names[i], base_code(o)) == 0) {
				R->group[c] = i;
				break;
			}
	}
	R->npos = nat;
	for (size_t c = 0; c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		R->pos[c] = SIZE_MAX;
		R->earlier[c] = (unsigned char)is_earlier(o);
		/* an earlier figure: at no position */
		for (size_t k = 0; k < nat && !is_earlier(o); k++) {
			const struct obs *m = &ds->obs[L->cell_row[natcell[k]]];
			if (o->stat == m->stat && o->category == m->category && o->level == m->level) {
				R->pos[c] = k;
				break;
			}
		}
	}
	if ((attackers & PROTECT_INSIDER) && rules_known != 2 &&
	    readers_add_insiders(R, L->ncells, names, pol->coalition))
		goto out;
	R->rules_known = rules_known;
	link_twins(ds, L, R);
	if ((attackers & PROTECT_SINGLETON) &&
	    add_singletons(ds, L, R, supp, NULL, (attackers & PROTECT_INSIDER) &&
			   audit_monotone(&aopt)))
		goto out;
	rc = 0;
out:
	free(natcell);
	free(names);
	if (rc)
		readers_release(R);
	return rc;
}

/* Per cell: the top of the protection range of its scope (0: none). */
static int64_t *range_build(const struct dataset *ds, const struct linked *L,
			    const struct policy *pol)
{
	int64_t *range = calloc(L->ncells + 1, sizeof *range);
	if (!range || !pol->protection_range)
		return range;
	for (size_t c = 0; c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		range[c] = is_national(ds, o) ? pol->national.max : pol->area.max;
	}
	return range;
}

/*
 * Per cell: an area's total over categories 1-4, withheld because it holds Category 4 (the
 * policy's one withheld category, zeros published), has its 1-3 total as zero_sib (audit.h):
 * pinned at that total's published value, it tells only that its Category 4 is 0. SIZE_MAX
 * for every other cell; NULL out of memory.
 */
static size_t *zero_sib_build(const struct dataset *ds, const struct linked *L,
			      const struct policy *pol)
{
	size_t *z = malloc((L->ncells + 1) * sizeof *z);
	int applies = pol->withheld_categories == 1u << 4 && !pol->area.protect_zeros;

	for (size_t c = 0; z && c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]], *s;
		z[c] = SIZE_MAX;
		if (!applies || o->category != CAT_ALL || is_national(ds, o))
			continue;
		s = dataset_find(ds, o->area, o->stat, CAT_1_3, o->level);
		if (s)
			z[c] = L->row_cell[s - ds->obs];
	}
	return z;
}

/*
 * Per cell: whether the policy protects it (primary or withheld). The outsider audits every
 * suppressed cell (a cell it can deduce is withheld for nothing); the other readers audit the
 * protected ones. A secondary cell is not sensitive: that an insider or the person in a cell
 * of 1 deduces it does not matter, because every consequence for a protected cell is in that
 * cell's own interval, which is audited for the same reader.
 */
static unsigned char *sensitive_build(const struct dataset *ds, const struct linked *L,
				      const struct policy *pol)
{
	unsigned char *s = calloc(L->ncells + 1, 1);
	for (size_t c = 0; s && c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		enum sdc_state st = o->status == OBS_NA ? SDC_EMPTY : policy_state(ds, pol, o);
		s[c] = st == SDC_PRIMARY || st == SDC_WITHHELD;
		/* an earlier figure withheld: protected as its reason was when its run folder
		   gives it (a secondary is not); one whose reason is not at hand is OBS_PRIMARY */
		if (is_earlier(o) && obs_status_withheld(o->status))
			s[c] = o->status != OBS_SECONDARY;
	}
	return s;
}

/*
 * Which cells belong to the publication of tag t as it was published (a revision's joint
 * system, docs/disclosure-method.md "The reader who knows the method"), into mine per cell:
 * its copies (tag t), and the figures of every area it holds no copy of (the areas it holds a
 * copy of changed since). Now's national figures and a changed area's are this publication's.
 * changed is scratch, one byte per area.
 */
static void earlier_cells(const struct dataset *ds, const struct linked *L, char t,
			  unsigned char *changed, unsigned char *mine)
{
	size_t n = L->ncells;

	memset(changed, 0, ds->nareas);
	for (size_t c = 0; c < n; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		const struct dataset_area *a;
		if (is_earlier(o) && o->area[1] == t && !is_national(ds, o) &&
		    (a = dataset_area_find(ds, base_code(o))) != NULL)
			changed[a - ds->areas] = 1;
	}
	for (size_t c = 0; c < n; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		const struct dataset_area *a;
		if (is_earlier(o))
			mine[c] = o->area[1] == t;
		else
			mine[c] = !is_national(ds, o) && (a = dataset_area_find(ds, o->area)) != NULL &&
				  !changed[a - ds->areas];
	}
}

/*
 * Whether the cells a reading takes for primaries and are not (ident 1) in the relation of
 * total t and members m are all known to one reader the policy names: the data lead of their
 * area (a coalition's areas). That reader knows its own cells are no primaries, and reads the
 * rest of the relation right (QA: London's data lead, its own 3 the complement taken for a
 * primary, read the three other [c] of a national 6 less what was published, 3: each 1).
 */
static int knows_wrong(const struct readers *R, const struct policy *pol,
		       const unsigned char *ident, size_t t, const size_t *m, size_t nm)
{
	size_t groups[2], ng = 0, most = readers_coalition(R);

	if (!(protect_attackers(pol) & READER_INSIDER))
		return 0;
	for (size_t j = 0; j <= nm; j++) {
		size_t c = j < nm ? m[j] : t, g = R->group[c], k;
		if (ident[c] != 1)
			continue;
		if (g + 1 == R->ngroups)
			return 0; /* the nation's: no data lead knows it */
		for (k = 0; k < ng && groups[k] != g; k++)
			;
		if (k == ng) {
			if (ng == most)
				return 0;
			groups[ng++] = g;
		}
	}
	return 1;
}

/*
 * One reading of the reader who knows the method (readers_identified): the primaries it
 * identifies in one publication's pattern, into ident per cell: 2 a primary (the true
 * value), 1 not one, 3 a primary in a relation read wrong, 0 not identified. tag 0: now's
 * publication, its own cells the candidates, and every relation of L read (a revision's
 * pattern is chosen in the joint system); a figure the earlier readings identified (carried: the same cell, or tied to the
 * copy they read) is identified in this one too, as the reader who holds both bundles reads
 * it. Else the earlier publication of that tag as it was published: its relations (those of
 * the cells mine marks, earlier_cells: its copies' tables, its national sums, the tables of
 * the areas that did not change), its own figures the candidates; one whose
 * value is not at hand (no run folder) is not identified. L is the system of the true
 * values, whose cells are all candidates: those kept withheld because an earlier publication
 * withheld them are read as a reader of this bundle alone reads them (read as what they are,
 * a republished bundle was refused the pattern its first publication passed), and so are
 * those the policy withholds (Category 4, the totals over it), which a reader who knows the
 * policy would not read: docs/disclosure-method.md, "What it then knows".
 *
 * Where a cell it takes for a primary is not one (a complement some reader needed for a
 * reason this reading does not see), it is wrong about that relation: its reading gives it a
 * value there that is not the truth, and nothing it can tell from the rest. No cell of such a
 * relation of this publication is taken as known to be a primary (a late return's level-3 row
 * of Durham, withheld whole with a complement 0 in it, was refused as the primaries' pin),
 * but where one data lead knows every such cell of it (knows_wrong). A wrong reading of one
 * publication does not make another's wrong: a reader can read a revision alone
 * (test_protect, test_method_reader_revision).
 */
static void method_reading(const struct dataset *ds, const struct linked *L,
			   const struct policy *pol, const struct readers *R,
			   const unsigned char *supp, char tag, const unsigned char *mine,
			   const unsigned char *carried, unsigned char *cand, unsigned char *use,
			   unsigned char *ident)
{
	size_t n = L->ncells, nrel = sdc_nrelations(L->p);

	for (size_t c = 0; c < n; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		cand[c] = o->status != OBS_NA && (tag ? mine[c] : !is_earlier(o));
	}
	for (size_t i = 0; tag && i < nrel; i++) {
		const size_t *m;
		size_t nm, t = sdc_relation(L->p, i, &m, &nm);
		/* a tie of a copy to now's figure or another copy's is no table of it */
		use[i] = (unsigned char)(mine[t] && !(nm == 1 && is_earlier(&ds->obs[L->cell_row[t]])));
		for (size_t j = 0; j < nm && use[i]; j++)
			use[i] = mine[m[j]];
	}
	/* the readers the method protected against: the policy's (public), whatever is audited */
	(void)readers_identified(L->p, supp, R, protect_attackers(pol), cand, tag ? use : NULL,
				 ident);
	for (size_t c = 0; c < n; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		if (!tag && carried[c])
			ident[c] = 1;
		if (!ident[c] || o->status == OBS_NA ||
		    (is_earlier(o) && (o->completed || o->value < 0)))
			ident[c] = 0;
		else if (!is_earlier(o))
			ident[c] = policy_state(ds, pol, o) == SDC_PRIMARY ? 2 : 1;
		else
			ident[c] = o->status == OBS_PRIMARY ? 2 : 1;
	}
	for (size_t r = 0; r < nrel; r++) {
		const size_t *m;
		size_t nm, t = sdc_relation(L->p, r, &m, &nm);
		int wrong = ident[t] == 1;
		if (tag && !use[r])
			continue;
		for (size_t j = 0; j < nm && !wrong; j++)
			wrong = ident[m[j]] == 1;
		if (!wrong || knows_wrong(R, pol, ident, t, m, nm))
			continue;
		if (ident[t] == 2)
			ident[t] = 3;
		for (size_t j = 0; j < nm; j++)
			if (ident[m[j]] == 2)
				ident[m[j]] = 3;
	}
}

/*
 * The reader who knows the method (method_reading, docs/disclosure-method.md): every primary
 * it identifies in the pattern supp (now's, and in a revision each earlier publication's)
 * holds, to it, a count in its scope's primary range (1..max, or 0..max with zeros
 * protected). That is set on L->p as a bound every reader knows. Such a reader learns that an
 * identified primary is in the primary range, which no pattern keeps from it; what is kept
 * from it is the value: its audit is the minimum width alone (the protection range is the
 * plain audit's, for the reader who does not read the pattern). Primaries come from the true
 * values (ds holds them; an earlier publication's, from its run folder). saved (2 per cell)
 * keeps the bounds before, for method_restore; bounded (per cell) marks the cells bounded,
 * *nb how many. 0, or -1 out of memory (L->p unchanged).
 */
static int method_bounds(const struct dataset *ds, const struct linked *L,
			 const struct policy *pol, const struct readers *R,
			 const unsigned char *supp, int64_t *saved, unsigned char *bounded,
			 size_t *nb)
{
	size_t n = L->ncells, nrel = sdc_nrelations(L->p), ntags = 0;
	unsigned char *cand = calloc(n + 1, 1), *ident = calloc(n + 1, 1);
	unsigned char *use = calloc(nrel + 1, 1), *changed = calloc(ds->nareas + 1, 1);
	unsigned char *carried = calloc(n + 1, 1), *mine = calloc(n + 1, 1);
	char tags[sizeof EARLIER_TAGS + 1] = { 0 };
	int r = -1;

	*nb = 0;
	if (!cand || !ident || !use || !changed || !carried || !mine)
		goto out;
	/* each earlier publication's reading (its tag: after DATASET_EARLIER), then now's */
	for (size_t c = 0; c < n; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		if (is_earlier(o) && o->area[1] && !strchr(tags + 1, o->area[1]) &&
		    ntags + 2 < sizeof tags)
			tags[1 + ntags++] = o->area[1];
	}
	memset(bounded, 0, n);
	for (size_t k = ntags + 1; k-- > 0;) {
		if (k > 0)
			earlier_cells(ds, L, tags[k], changed, mine);
		method_reading(ds, L, pol, R, supp, tags[k], mine, carried, cand, use, ident);
		for (size_t c = 0; c < n; c++)
			if (ident[c] == 2)
				bounded[c] = 1;
		/* what now's reading takes from this one: a figure it identified, itself (an
		   area that did not change) or through a tie to its copy (one that did, the
		   figure not: tie_unchanged_cells) */
		for (size_t c = 0; k > 0 && c < n; c++)
			if (ident[c] && !is_earlier(&ds->obs[L->cell_row[c]]))
				carried[c] = 1;
		for (size_t i = 0; k > 0 && i < nrel; i++) {
			const size_t *m;
			size_t nm, t = sdc_relation(L->p, i, &m, &nm);
			if (nm == 1 && ident[t] && is_earlier(&ds->obs[L->cell_row[t]]) &&
			    !is_earlier(&ds->obs[L->cell_row[m[0]]]) && supp[m[0]])
				carried[m[0]] = 1;
		}
	}
	for (size_t c = 0; c < n; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		const struct policy_threshold *sc = is_national(ds, o) ? &pol->national : &pol->area;
		int64_t lo, hi, slo = sc->protect_zeros ? 0 : sc->min, shi = sc->max;
		sdc_cell_bounds(L->p, c, &lo, &hi);
		saved[2 * c] = lo;
		saved[2 * c + 1] = hi;
		if (!bounded[c])
			continue;
		bounded[c] = 0;
		if (slo > lo)
			lo = slo;
		if (hi < 0 || shi < hi)
			hi = shi;
		if (hi < lo || sdc_set_bounds(L->p, c, lo, hi, NULL) != SDC_OK)
			continue; /* the truth is in both: cannot happen */
		bounded[c] = 1;
		(*nb)++;
	}
	r = 0;
out:
	free(cand);
	free(ident);
	free(use);
	free(changed);
	free(carried);
	free(mine);
	return r;
}

/*
 * The withheld cells (supp) whose intervals the bounds on the cells marked in bounded can
 * change: those joined to one of them through relations and inequalities of withheld cells
 * (a published cell is a constant and joins nothing). Every other cell's LP is the plain
 * audit's, which it passed. NULL out of memory.
 */
static unsigned char *method_near(const struct sdc_problem *p, const unsigned char *supp,
				  const unsigned char *bounded)
{
	size_t n = sdc_problem_ncells(p), *up = malloc((n + 1) * sizeof *up);
	unsigned char *hit = calloc(n + 1, 1), *near = calloc(n + 1, 1);

	if (!up || !hit || !near) {
		free(near);
		near = NULL;
		goto out;
	}
	for (size_t c = 0; c < n; c++)
		up[c] = c;
	for (size_t r = 0; r < sdc_nrelations(p); r++) {
		const size_t *m;
		size_t nm, t = sdc_relation(p, r, &m, &nm), first = supp[t] ? t : SIZE_MAX;
		for (size_t j = 0; j < nm; j++) {
			if (!supp[m[j]])
				continue;
			if (first == SIZE_MAX)
				first = m[j];
			else
				up[uf_root(up, m[j])] = uf_root(up, first);
		}
	}
	for (size_t i = 0; i < sdc_nleq(p); i++) {
		size_t a, b;
		sdc_leq(p, i, &a, &b);
		if (supp[a] && supp[b])
			up[uf_root(up, a)] = uf_root(up, b);
	}
	for (size_t c = 0; c < n; c++)
		if (bounded[c])
			hit[uf_root(up, c)] = 1;
	for (size_t c = 0; c < n; c++)
		near[c] = supp[c] && hit[uf_root(up, c)];
out:
	free(up);
	free(hit);
	return near;
}

/* The bounds method_bounds saved, back on L->p. */
static void method_restore(const struct linked *L, const int64_t *saved)
{
	for (size_t c = 0; c < L->ncells; c++)
		(void)sdc_set_bounds(L->p, c, saved[2 * c], saved[2 * c + 1], NULL);
}

/*
 * After a repair lost a cell to a person alone in a cell of 1 who reads no published rule (R
 * made with rules_known 0): what that narrower singleton cannot be kept from may be its own.
 * The person alone in a total of 1 of an area whose other cells are 0 'learns' that the
 * eligible cell under its managedAtLevel23 of 1 is 1, which it knows (R15); with earlier
 * publications fixed no pattern hides it (a revision back to a first publication's figures
 * was refused). The wider readers, who know it, decide: R is made again with rules_known 1
 * for the pattern in status. 1 when it was (repair again), 0 when the cell was not lost to
 * such a singleton, -1 out of memory (in d).
 */
static int widen_singletons(const struct dataset *ds, const struct linked *real,
			    const struct policy *pol, const enum sdc_status *status,
			    unsigned char *supp, const int64_t *above, struct readers *R,
			    struct readers_failure *lost, struct diag_list *d)
{
	if (R->rules_known || lost->reader >= R->n || R->r[lost->reader].kind != READER_SINGLETON)
		return 0;
	sdc_withheld_cells(status, real->ncells, supp);
	readers_release(R);
	if (readers_build(ds, real, pol, protect_attackers(pol), supp, above, 1, R)) {
		sdc_error(d, "out of memory");
		return -1;
	}
	lost->reader = lost->cell = SIZE_MAX;
	return 1;
}

/* Rounds of method_repair: each adds complements, and the cells the reader identifies can
   only grow with them; the fixtures and the adversarial inboxes take 1 or 2. */
#define METHOD_ROUNDS 16

/*
 * After the repair loop: the reader who knows the method (method_bounds), each reader of R
 * knowing it too, is audited on the pattern in status, and the pattern repaired until every
 * reader passes with what it identifies (the primaries bounded are counted into *identified,
 * the last round's). The plain audit passed before and still does: complements only widen
 * what it finds. As readers_protect: 0 every reader passes, 1 a cell cannot be protected
 * (*lost), 2 the work budget, 3 still repairing after METHOD_ROUNDS rounds, -1 error (in d).
 */
static int method_repair(const struct dataset *ds, const struct linked *real,
			 const struct policy *pol, enum sdc_status *status, unsigned char *supp,
			 const struct readers *R, const unsigned char *sensitive,
			 const struct audit_options *aopt, size_t *rounds, size_t *n_lp,
			 size_t *identified, struct readers_failure *lost, struct diag_list *d)
{
	size_t n = real->ncells;
	int64_t *saved = malloc((2 * n + 1) * sizeof *saved);
	unsigned char *bounded = calloc(n + 1, 1), *near = NULL;
	int r = 3;

	if (!saved || !bounded) {
		sdc_error(d, "out of memory");
		r = -1;
		goto out;
	}
	for (int round = 0; round < METHOD_ROUNDS; round++) {
		struct audit_options a2 = *aopt;
		size_t before = 0, after = 0, more = 0;
		sdc_withheld_cells(status, n, supp);
		for (size_t c = 0; c < n; c++)
			before += supp[c];
		if (method_bounds(ds, real, pol, R, supp, saved, bounded, identified)) {
			sdc_error(d, "out of memory");
			r = -1;
			break;
		}
		if (*identified == 0) {
			r = 0;
			break;
		}
		a2.range_max = NULL;
		/* every reader passed the pattern without the bounds: only the cells they can
		   change are audited first (the fixtures: the components of three tables) */
		free(near);
		near = method_near(real->p, supp, bounded);
		if (!near) {
			method_restore(real, saved);
			sdc_error(d, "out of memory");
			r = -1;
			break;
		}
		r = readers_protect_from(real->p, status, R, sensitive, &a2, near, &more, n_lp, lost,
					 d);
		method_restore(real, saved);
		*rounds += more;
		if (r != 0)
			break;
		for (size_t c = 0; c < n; c++)
			after += sdc_withholds(status[c]) != 0;
		if (after == before)
			break; /* every reader passed, nothing added */
		r = 3;
	}
out:
	sdc_withheld_cells(status, n, supp);
	free(saved);
	free(bounded);
	free(near);
	return r;
}

/* Whether F (a plain audit's failures) holds f's reader and cell. */
static int failed_plain(const struct readers_failures *F, const struct readers_failure *f)
{
	for (size_t i = 0; i < F->n; i++)
		if (F->f[i].reader == f->reader && F->f[i].cell == f->cell)
			return 1;
	return 0;
}

/*
 * Whether the earlier publication's cell lost->cell, which the repair loop could not protect
 * from lost->reader, fails for that reader even with every figure of now withheld: then no
 * pattern of this publication protects it, and what shows it is the earlier bundles read
 * with what that reader knows of the returns now (QA: a correction of Derbyshire's
 * managedAtLevel23 2/2 from 2 to 1; the person now alone there reads eligible 2/3 = 1 from
 * the first bundle). 1 so; 0 not, or not known (out of memory, the budget spent).
 */
static int earlier_exposed(const struct dataset *ds, const struct linked *L,
			   const struct readers *R, const unsigned char *sensitive,
			   const struct audit_options *aopt, const struct readers_failure *lost)
{
	size_t n = L->ncells, lp = 0;
	unsigned char *all = malloc(n + 1), *ask = calloc(n + 1, 1);
	struct readers_failures F = { NULL, 0, 0 }, none = { NULL, 0, 0 };
	struct diag_list d = DIAG_LIST_INIT;
	int r = 0;

	if (!all || !ask || lost->cell >= n)
		goto out;
	for (size_t c = 0; c < n; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		/* the earlier publications' cells as they were published; now's all withheld (a
		   figure an earlier bundle made public keeps its bound, add_known) */
		all[c] = (unsigned char)(is_earlier(o) ? obs_status_withheld(o->status) != 0
						   : o->status != OBS_NA);
	}
	ask[lost->cell] = 1;
	if (readers_audit(L->p, all, R, aopt, sensitive, ask, &none, &F, NULL, &lp,
			  READERS_LP_BUDGET, &d) == 0)
		for (size_t i = 0; i < F.n; i++)
			r |= F.f[i].cell == lost->cell && F.f[i].reader == lost->reader;
out:
	free(F.f);
	free(all);
	free(ask);
	diag_clear(&d);
	return r;
}

/* protect_audit_known on the system J with its failures in d, without a file (see relay). */
static int audit_joint(const struct joint *J, const struct defs *defs,
		       const struct policy *pol, const struct dataset *known,
		       unsigned attackers, int exact, struct protect_interval **out, size_t *nout,
		       struct protect_summary *sum, struct diag_list *d)
{
	const struct dataset *ds = &J->ds;
	struct linked L;
	struct audit_options opt;
	struct audit_result res;
	struct readers R;
	struct readers_failures F = { NULL, 0, 0 }, M = { NULL, 0, 0 };
	unsigned char *suppressed = NULL, *sensitive = NULL, *bounded = NULL, *near = NULL;
	int64_t *range = NULL, *above = NULL, *saved = NULL;
	size_t *zero_sib = NULL;
	struct timespec t0;
	size_t n_lp = 0, k = 0, identified = 0, nfail = 0;
	int result = -1;

	*out = NULL;
	*nout = 0;
	memset(&res, 0, sizeof res);
	memset(&R, 0, sizeof R);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* the outsider never reads a suppressed value; the others need the truth */
	if (build(ds, defs, pol, attackers == PROTECT_OUTSIDER ? BUILD_AUDIT : BUILD_REAL, known, &L, d))
		return -1;
	suppressed = calloc(L.ncells + 1, 1);
	range = range_build(ds, &L, pol);
	zero_sib = zero_sib_build(ds, &L, pol);
	if (!suppressed || !range || !zero_sib || above_build(ds, &L, pol, &above)) {
		sdc_error(d, "out of memory");
		goto out;
	}
	/* what is at hand (the true values, or the outsider's published ones) must add up before
	   any LP says why not */
	if (check_adds_up(ds, defs, &L, attackers == PROTECT_OUTSIDER, d))
		goto out;
	for (size_t c = 0; c < L.ncells; c++)
		suppressed[c] = (unsigned char)obs_status_withheld(ds->obs[L.cell_row[c]].status);
	sensitive = sensitive_build(ds, &L, pol);
	if (!sensitive ||
	    readers_build(ds, &L, pol, attackers | PROTECT_OUTSIDER, suppressed, above, 1, &R)) {
		sdc_error(d, "out of memory");
		goto out;
	}
	audit_options_for(&opt, pol, range, above, exact);
	opt.zero_sib = zero_sib;
	if (attackers == PROTECT_OUTSIDER)
		opt.flags &= ~AUDIT_TRUTH; /* the values of suppressed cells are not there */
	if (readers_audit(L.p, suppressed, &R, &opt, sensitive, NULL, NULL, &F, &res, &n_lp, SIZE_MAX,
			  d))
		goto out;
	if (attackers != PROTECT_OUTSIDER && J->earlier != PROTECT_EARLIER_DISAGREES) {
		/* every reader knows the method (method_bounds): with the true values at hand, the
		   primaries it identifies are in the primary range to each, and each must still
		   not be pinned. Its failures follow the plain audit's, but for a cell the plain
		   audit already failed for that reader */
		struct audit_options mopt = opt;
		saved = malloc((2 * L.ncells + 1) * sizeof *saved);
		bounded = calloc(L.ncells + 1, 1);
		if (!saved || !bounded) {
			sdc_error(d, "out of memory");
			goto out;
		}
		if (method_bounds(ds, &L, pol, &R, suppressed, saved, bounded, &identified)) {
			sdc_error(d, "out of memory");
			goto out;
		}
		mopt.range_max = NULL;
		if (identified > 0) {
			/* only the cells the bounds can change (method_near): every other cell's
			   LP is the plain audit's; every cell when the rule is not monotone */
			struct readers_failures none = { NULL, 0, 0 };
			near = method_near(L.p, suppressed, bounded);
			if (!near) {
				sdc_error(d, "out of memory");
				goto out;
			}
			if (readers_audit(L.p, suppressed, &R, &mopt, sensitive,
					  audit_monotone(&mopt) && F.n == 0 ? near : NULL, &none, &M,
					  NULL, &n_lp, SIZE_MAX, d))
				goto out;
		}
	}
	*out = calloc(res.n + F.n + M.n + 1, sizeof **out);
	if (!*out) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < res.n; i++) {
		const struct audit_cell *ac = &res.cells[i];
		struct protect_interval *pi = &(*out)[k++];
		interval_key(pi, J, L.cell_row[ac->cell]);
		pi->lo = ac->ilo;
		pi->hi = ac->ihi == INT64_MAX ? -1 : ac->ihi;
		pi->exact = ac->exact;
		pi->pass = ac->pass;
		pi->attacker = PROTECT_OUTSIDER;
		snprintf(pi->who, sizeof pi->who, "outsider");
		pi->has_alone = 0;
	}
	nfail = F.n;
	for (size_t i = 0; i < F.n + M.n; i++) {
		const struct readers_failure *f = i < F.n ? &F.f[i] : &M.f[i - F.n];
		const struct reader *x = &R.r[f->reader];
		struct protect_interval *pi;
		if (i < F.n && x->kind == PROTECT_OUTSIDER)
			continue; /* already listed */
		if (i >= F.n && failed_plain(&F, f))
			continue; /* the plain audit's failure says it */
		if (i >= F.n)
			nfail++;
		pi = &(*out)[k++];
		interval_key(pi, J, L.cell_row[f->cell]);
		pi->lo = f->ilo;
		pi->hi = f->ihi == INT64_MAX ? -1 : f->ihi;
		pi->exact = f->exact;
		pi->pass = 0;
		pi->method = i < F.n ? 0 : bounded[f->cell] ? 2 : 1;
		pi->attacker = x->kind;
		snprintf(pi->who, sizeof pi->who, "%s", x->who);
		pi->has_alone = x->known_cell != SIZE_MAX;
		if (pi->has_alone) {
			const struct obs *one = &J->ds.obs[L.cell_row[x->known_cell]];
			pi->alone.earlier = is_earlier(one);
			snprintf(pi->alone.area, sizeof pi->alone.area, "%s", base_code(one));
			pi->alone.stat = one->stat;
			pi->alone.category = one->category;
			pi->alone.level = one->level;
		}
	}
	*nout = k;
	if (sum) {
		sum->audited = res.n;
		sum->audit_failures = nfail;
		sum->cells = L.ncells;
		sum->relations = L.relations;
		sum->inequalities = L.inequalities;
		sum->readers = R.n;
		sum->seconds_audit = seconds_since(&t0);
		sum->earlier = J->earlier;
		sum->identified = identified;
	}
	result = 0;
out:
	audit_result_release(&res);
	free(F.f);
	free(M.f);
	readers_release(&R);
	free(bounded);
	free(near);
	free(saved);
	free(suppressed);
	free(sensitive);
	free(range);
	free(above);
	free(zero_sib);
	linked_release(&L);
	return result;
}

const char *protect_interval_words(const struct protect_interval *iv, const struct defs *defs,
				   char *buf, size_t n)
{
	char alone[224] = "", w[160];

	if (iv->has_alone) {
		const struct protect_cell_key *k = &iv->alone;
		snprintf(alone, sizeof alone, " (who is alone in %s%s)",
			 k->earlier ? "the earlier publication's " : "",
			 dataset_cell_words(defs, k->area, k->stat, k->category, k->level, w,
					    sizeof w));
	}
	snprintf(buf, n, "%s%s: the %s%s%s can deduce it lies in [%lld, %lld], narrower than the "
		 "policy allows",
		 iv->earlier ? "the earlier publication's " : "",
		 dataset_cell_words(defs, iv->area, iv->stat, iv->category, iv->level, w, sizeof w),
		 iv->who, alone,
		 iv->method == 2 ? ", who knows the method (the pattern shows this cell is a primary),"
		 : iv->method == 1 ? ", who knows the method (the pattern shows which cells are "
				     "primaries),"
				   : "",
		 iv->lo, iv->hi);
	return buf;
}

int protect_audit(const struct dataset *ds, const struct defs *defs,
		  const struct policy *pol, unsigned attackers, int exact, const char *name,
		  struct protect_interval **out, size_t *nout, struct protect_summary *sum,
		  struct diag_list *d)
{
	return protect_audit_known(ds, defs, pol, NULL, attackers, exact, name, out, nout, sum, d);
}

int protect_audit_known(const struct dataset *ds, const struct defs *defs,
			const struct policy *pol, const struct dataset *known,
			unsigned attackers, int exact, const char *name,
			struct protect_interval **out, size_t *nout, struct protect_summary *sum,
			struct diag_list *d)
{
	struct diag_list e = DIAG_LIST_INIT;
	struct joint *J = joint_new(&e);
	int r = -1;

	*out = NULL;
	*nout = 0;
	/* the outsider reads no withheld value: the earlier ones need none */
	if (J && joint_make(J, ds, defs, pol, known, attackers != PROTECT_OUTSIDER, &e) == 0)
		r = audit_joint(J, defs, pol, known, attackers, exact, out, nout, sum, &e);
	joint_free(J);
	if (r != 0)
		relay(d, &e, name, "A01");
	diag_clear(&e);
	return r;
}

int protect_adds_up(const struct dataset *ds, const struct defs *defs, const char *name,
		    const char *rule, struct diag_list *d)
{
	struct diag_list e = DIAG_LIST_INIT;
	struct policy pol;
	struct linked L;
	int r = -1;

	policy_init_default(&pol); /* the states are not read: BUILD_REAL */
	if (build(ds, defs, &pol, BUILD_REAL, NULL, &L, &e) == 0)
		r = check_adds_up(ds, defs, &L, 0, &e);
	linked_release(&L);
	if (r != 0)
		relay(d, &e, name, rule);
	diag_clear(&e);
	return r;
}

int protect_statuses_agree(const struct dataset *ds, const struct defs *defs, const char *name,
			   const char *rule, struct diag_list *d)
{
	struct diag_list e = DIAG_LIST_INIT;
	int r = check_statuses(ds, defs, &e);

	if (r != 0)
		relay(d, &e, name, rule);
	diag_clear(&e);
	return r;
}

size_t protect_published_unsafe(const struct dataset *ds, const struct defs *defs,
				const struct policy *pol, const char *name, const char *rule,
				struct diag_list *d)
{
	size_t n = 0;
	char a[160];

	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		enum policy_reason why;
		if (o->status != OBS_OK || o->stat >= defs->ntables || is_earlier(o))
			continue;
		why = policy_reason(pol, is_national(ds, o), o->category, o->value);
		if (why == POLICY_PUBLISHED)
			continue;
		if (n++ < 20) {
			row_words(ds, defs, i, a, sizeof a);
			diag_add(d, name, o->line, rule, DIAG_ERROR, "%s is published as %lld: %s", a,
				 o->value, why == POLICY_PRIMARY
						   ? "a count the policy never publishes (a primary "
						     "suppression)"
						   : "the policy never publishes this category for an area");
		}
	}
	return n;
}

int protect_attach_truth(struct dataset *pub, const struct dataset *truth, const struct defs *defs,
			 const char *name, struct diag_list *d)
{
	char w[160];

	if (strcmp(pub->period, truth->period) != 0) {
		diag_add(d, name, 0, "A03", DIAG_ERROR, "the confidential dataset is for %s, the publication for %s",
			 truth->period, pub->period);
		return -1;
	}
	for (size_t i = 0; i < pub->nobs; i++) {
		struct obs *o = &pub->obs[i];
		const struct obs *t;
		if (o->status == OBS_MISSING || o->status == OBS_NA)
			continue;
		t = dataset_find(truth, o->area, o->stat, o->category, o->level);
		dataset_cell_words(defs, o->area, o->stat, o->category, o->level, w, sizeof w);
		if (!t || t->status == OBS_MISSING) {
			diag_add(d, name, 0, "A03", DIAG_ERROR, "%s is a figure the confidential "
				 "dataset lacks", w);
			return -1;
		}
		if (o->status == OBS_OK && obs_status_withheld(t->status)) {
			/* a figure the publication shows that the dataset behind it withholds (it
			   was audited as a published figure, and passed) */
			diag_add(d, name, t->line, "A03", DIAG_ERROR, "%s is published (%lld), but the "
				 "confidential dataset withholds it", w, o->value);
			return -1;
		}
		if (o->status == OBS_OK && t->value != o->value) {
			diag_add(d, name, t->line, "A03", DIAG_ERROR, "%s is published as %lld, but the "
				 "confidential dataset has %lld", w, o->value, t->value);
			return -1;
		}
		if (o->status != OBS_OK)
			o->value = t->value;
	}
	/* the figures the publication never shows (an area's totals over categories 1-4, the
	   nation's over 1-3): unknowns of the system the pattern was chosen in, which the
	   reader who knows the method reads as such. Without them the bundle's system was
	   another, that reader took a complement of one of them for a primary, and
	   mappa-audit --dataset of a published bundle failed where the dataset's audit passed */
	size_t npub = pub->nobs;
	for (size_t i = 0; i < truth->nobs; i++) {
		const struct obs *t = &truth->obs[i];
		const struct dataset_area *a = dataset_area_find(pub, t->area);
		int national = strcmp(t->area, pub->national_code) == 0;
		if (t->status == OBS_MISSING || (!national && (!a || a->state != AREA_PRESENT)) ||
		    dataset_find(pub, t->area, t->stat, t->category, t->level))
			continue;
		if (dataset_add(pub, t->area, t->stat, t->category, t->level, t->value, t->status) != 0) {
			diag_add(d, name, 0, "A03", DIAG_ERROR, "out of memory");
			return -1;
		}
	}
	if (pub->nobs != npub)
		dataset_sort(pub);
	return 0;
}

/* Copies the engine's decisions onto the rows, with the rates following their counts. */
static void apply_status(struct dataset *ds, const struct defs *defs, const struct linked *L,
			 const enum sdc_status *status, struct protect_summary *sum)
{
	sum->primary = sum->secondary = sum->withheld = 0;
	sum->secondary_sum = 0;
	for (size_t c = 0; c < L->ncells; c++) {
		struct obs *o;
		if (L->cell_row[c] >= ds->nobs)
			continue; /* an earlier publication's figure (the joint system's) */
		o = &ds->obs[L->cell_row[c]];
		switch (status[c]) {
		case SDC_PUBLISH: o->status = OBS_OK; break;
		case SDC_SUPPRESS_PRIMARY: o->status = OBS_PRIMARY; sum->primary++; break;
		case SDC_SUPPRESS_SECONDARY:
			o->status = OBS_SECONDARY;
			sum->secondary++;
			sum->secondary_sum += o->value;
			break;
		case SDC_SUPPRESS_WITHHELD:
			if (L->kept && L->kept[c]) { /* a secondary of the earlier pattern, kept */
				o->status = OBS_SECONDARY;
				sum->secondary++;
				sum->secondary_sum += o->value;
				break;
			}
			o->status = OBS_WITHHELD;
			sum->withheld++;
			break;
		case SDC_NOT_APPLICABLE: o->status = OBS_NA; break;
		}
	}
	/* a rate is published only with the count behind it */
	for (size_t i = 0; i < ds->nobs; i++) {
		struct obs *o = &ds->obs[i];
		const struct obs *count;
		if (o->stat < defs->ntables || o->status == OBS_MISSING)
			continue;
		count = dataset_rate_count(ds, defs, o);
		o->status = count && count->status == OBS_OK ? OBS_OK : OBS_SECONDARY;
	}
}

/*
 * The independent check of what is published, from the published rows alone (the outsider:
 * no suppressed value is read). The other readers were audited by the repair loop's last
 * round on the true system, whose rate bounds are those of the first pattern: a rate
 * suppressed since then bounds its count there but not here, so that audit is the stricter.
 */
static int audit_published(const struct joint *J, const struct defs *defs,
			   const struct policy *pol, const struct dataset *known,
			   struct protect_summary *sum, struct protect_interval *first,
			   struct diag_list *d)
{
	struct protect_summary asum;
	struct protect_interval *iv = NULL;
	size_t niv;

	memset(&asum, 0, sizeof asum);
	memset(first, 0, sizeof *first);
	if (audit_joint(J, defs, pol, known, PROTECT_OUTSIDER, 0, &iv, &niv, &asum, d))
		return -1;
	for (size_t i = 0; i < niv; i++)
		if (!iv[i].pass) { /* the first that fails, for the message: nothing is written */
			*first = iv[i];
			break;
		}
	free(iv);
	sum->audited = asum.audited;
	sum->audit_failures += asum.audit_failures;
	sum->seconds_audit += asum.seconds_audit;
	return 0;
}

int protect_dataset(struct dataset *ds, const struct defs *defs, const struct policy *pol,
		    const char *name, struct protect_summary *sum, struct diag_list *d)
{
	return protect_dataset_known(ds, defs, pol, NULL, name, sum, d);
}

/*
 * What a policy that spent the suppression's LP budget could ask less of, into buf: each of
 * its settings above the least (minWidth 1, a coalition of 1, primaries up to 2, zeros
 * published). With minWidth above 1 and zeros published the restricted views prove nothing
 * (audit_monotone), which is most of the cost. (It said "minWidth 1 and a coalition of 1 are
 * already the least" of a policy with max 10 and protected zeros, QA.) Returns buf.
 */
static const char *budget_advice(const struct policy *pol, const struct audit_options *aopt,
				 char *buf, size_t size)
{
	const char *less[4];
	size_t n = 0, used = 0;
	int zeros = pol->area.protect_zeros || pol->national.protect_zeros;

	if (!audit_monotone(aopt)) {
		snprintf(buf, size, "minWidth 1, or protected zeros, lets most readers be proven in "
				    "their area's view");
		return buf;
	}
	if (aopt->min_width > 1)
		less[n++] = "a smaller minWidth";
	if (pol->coalition > 1)
		less[n++] = "a coalition of 1";
	if (pol->area.max > 2 || pol->national.max > 2)
		less[n++] = "primaries up to 2 (max)";
	if (zeros && aopt->min_width <= 1) /* above 1, published zeros cost more (above) */
		less[n++] = "published zeros";
	if (n == 0) {
		snprintf(buf, size, "minWidth 1, a coalition of 1, primaries up to 2 and published "
				    "zeros are already the least a policy can ask of this dataset");
		return buf;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++) {
		const char *sep = i == 0 ? "" : i + 1 < n ? ", " : n > 2 ? ", or " : " or ";
		int w = snprintf(buf + used, size - used, "%s%s", sep, less[i]);
		used += w > 0 ? (size_t)w : 0;
	}
	if (used < size)
		snprintf(buf + used, size - used, " needs fewer");
	return buf;
}

/* protect_dataset_known with its failures in d, without a file (see relay). */
static int suppress_known(struct dataset *ds, const struct defs *defs,
			  const struct policy *pol, const struct dataset *known,
			  struct protect_summary *sum, struct diag_list *d)
{
	struct linked L, real;
	struct joint *J;
	struct protect_interval failing;
	struct sdc_options opt;
	struct sdc_report rep;
	struct audit_options aopt;
	struct diag_list engine = DIAG_LIST_INIT;
	struct readers R;
	enum sdc_status *status = NULL;
	unsigned char *supp = NULL, *sensitive = NULL, *fresh = NULL;
	int64_t *range = NULL, *above = NULL;
	size_t *zero_sib = NULL;
	struct protect_summary local;
	struct timespec t0;
	struct readers_failure lost = { SIZE_MAX, SIZE_MAX, 0, 0, 0 };
	size_t n_lp = 0;
	int method_lost = 0; /* the cell lost was lost to the reader who knows the method */
	int r, result = -1;

	if (!sum)
		sum = &local;
	memset(sum, 0, sizeof *sum);
	memset(&real, 0, sizeof real);
	memset(&R, 0, sizeof R);
	memset(&failing, 0, sizeof failing);
	if (ds->stage != STAGE_MERGED) {
		sdc_error(d, "the dataset is not a merged national dataset");
		return -1;
	}
	dataset_sort(ds);
	if (check_complete(ds, defs, d))
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	J = joint_new(d);
	if (!J)
		return -1;
	if (joint_make(J, ds, defs, pol, known, 1, d)) {
		joint_free(J);
		return -1;
	}
	sum->earlier = J->earlier;
	if (J->earlier == PROTECT_EARLIER_DISAGREES) {
		/*
		 * An area taken as unchanged changed where both publications withhold it, and
		 * without the earlier true values nothing says which: a reader of both bundles
		 * sees the national figures move with no revised area to explain it, and a pattern
		 * audited on the figures alone let the person in a cell of 1 pin a figure withheld
		 * by policy (a revision run with --history in another OUTDIR). Refused.
		 */
		joint_free(J);
		sum->stopped = 0;
		sdc_error(d, "the earlier publication of %s and this one disagree for the areas taken "
			  "as unchanged (a figure both withhold changed), and its true values are not "
			  "at hand: no audit can know what a reader of both learns. Keep its run folder "
			  "(runs/RUN-ID/suppressed.obs) in OUTDIR or in the --history folder, where its "
			  "bundle is (docs/operations.md, revisions)", ds->period);
		return -2;
	}
	if (build(&J->ds, defs, pol, BUILD_PROTECT, known, &L, d)) {
		joint_free(J);
		return -1;
	}
	status = calloc(L.ncells + 1, sizeof *status);
	supp = calloc(L.ncells + 1, 1);
	if (!status || !supp) {
		sdc_error(d, "out of memory");
		goto out;
	}
	if (check_adds_up(&J->ds, defs, &L, 0, d))
		goto out;
	/*
	 * 1. Gaussian elimination over the whole linked system: no protected cell is a linear
	 * combination of published ones. Zeros are complements like any other cell, by cost
	 * (value): a level-1 cell of several hundred is never the only partner of a count of 1.
	 */
	sdc_options_init(&opt);
	opt.min_width = pol->min_width;
	opt.protect_zeros = pol->area.protect_zeros || pol->national.protect_zeros;
	opt.audit = 0;
	opt.zero_complements = 1;
	/* the engine's own words for a cell it cannot protect ("N protected cell(s) are
	   determined by the relations alone") give way to the cells named below */
	r = sdc_suppress(L.p, &opt, status, &rep, &engine);
	if (r != SDC_EUNSAFE)
		for (size_t i = 0; i < engine.count; i++) {
			const struct diag *e = &engine.items[i];
			if (e->errnum)
				(void)diag_add_errno(d, e->file, e->rule, e->errnum, "%s", e->message);
			else
				(void)diag_add(d, e->file, e->line, e->rule, e->severity, "%s",
					       e->message);
		}
	if (r == SDC_ENOMEM && engine.count == 0)
		sdc_error(d, "out of memory");
	diag_clear(&engine);
	if (r != SDC_OK && r != SDC_EUNSAFE)
		goto out;
	sum->cells = L.ncells;
	sum->relations = L.relations;
	sum->inequalities = L.inequalities;
	if (r == SDC_EUNSAFE) {
		/* which, and why it cannot be helped (QA: "8 protected cells are determined by the
		   relations alone", the run's report promising which figure and saying none) */
		struct strbuf which = STRBUF_INIT;
		size_t nearlier = earlier_count(&J->ds);
		char pre[64];
		for (size_t k = 0; k < PROTECT_NAMED && rep.unprotectable[k] != SIZE_MAX; k++) {
			const struct obs *o = &J->ds.obs[L.cell_row[rep.unprotectable[k]]];
			char w[160];
			strbuf_addf(&which, "%s%s%s", k ? "; " : "",
				    earlier_words(o, nearlier, pre, sizeof pre),
				    dataset_cell_words(defs, base_code(o), o->stat, o->category,
						       o->level, w, sizeof w));
		}
		apply_status(ds, defs, &L, status, sum);
		sum->unprotectable = rep.n_unprotectable;
		sdc_error(d, "%zu protected cell%s %s determined by the tables and what is known, "
			  "whatever else is withheld: %s%s%s", rep.n_unprotectable,
			  rep.n_unprotectable == 1 ? "" : "s", rep.n_unprotectable == 1 ? "is" : "are",
			  which.len ? which.data : "(none named)",
			  rep.n_unprotectable > PROTECT_NAMED ? ", and the others below" : "",
			  J->earlier == PROTECT_EARLIER_JOINT
				  ? " (a revision: an area published before and missing now can do that)"
				  : "");
		strbuf_release(&which);
		/* the rest, one a line, to the report's limit (QA: it named 4 of 13, and no file
		   the others) */
		for (size_t k = PROTECT_NAMED; k < SDC_REPORT_CELLS && rep.unprotectable[k] != SIZE_MAX; k++) {
			const struct obs *o = &J->ds.obs[L.cell_row[rep.unprotectable[k]]];
			char w[160];
			sdc_error(d, "determined too: %s%s", earlier_words(o, nearlier, pre, sizeof pre),
				  dataset_cell_words(defs, base_code(o), o->stat, o->category, o->level,
						     w, sizeof w));
		}
		if (rep.n_unprotectable > SDC_REPORT_CELLS)
			sdc_error(d, "determined too: %zu more protected cells, not named",
				  rep.n_unprotectable - SDC_REPORT_CELLS);
		result = -2;
		goto out;
	}
	/*
	 * 2. One repair loop over every reader of the policy (outsider, insiders, singletons), on
	 * the true system: what elimination cannot see (non-negativity, the published rules, what
	 * each insider knows, the protection range) is repaired at least cost.
	 */
	apply_status(ds, defs, &L, status, sum);
	if (build(&J->ds, defs, pol, BUILD_REAL, known, &real, d))
		goto out;
	if (real.ncells != L.ncells) {
		sdc_error(d, "internal error: the systems differ");
		goto out;
	}
	range = range_build(&J->ds, &real, pol);
	zero_sib = zero_sib_build(&J->ds, &real, pol);
	sensitive = sensitive_build(&J->ds, &real, pol);
	fresh = calloc(L.ncells + 1, 1);
	if (!range || !zero_sib || !sensitive || !fresh ||
	    above_build(&J->ds, &real, pol, &above)) {
		sdc_error(d, "out of memory");
		goto out;
	}
	sdc_withheld_cells(status, L.ncells, supp);
	if (readers_build(&J->ds, &real, pol, protect_attackers(pol), supp, above, 0, &R)) {
		sdc_error(d, "out of memory");
		goto out;
	}
	audit_options_for(&aopt, pol, range, above, 0);
	aopt.zero_sib = zero_sib;
	r = repair(real.p, status, supp, &R, sensitive, &aopt, known != NULL, &sum->repair_rounds,
		   &n_lp, &lost, d);
	if (r < 0)
		goto out;
	if (r == 1) {
		int w = widen_singletons(&J->ds, &real, pol, status, supp, above, &R, &lost, d);
		if (w < 0)
			goto out;
		if (w)
			r = repair(real.p, status, supp, &R, sensitive, &aopt, known != NULL,
				   &sum->repair_rounds, &n_lp, &lost, d);
		if (r < 0)
			goto out;
	}
	/*
	 * A repair can suppress a cell of 1 (a policy whose primary rule leaves 1s published):
	 * the one person in it is a reader too, who was not there when the readers were made.
	 * Each such person is added and every reader audited again, until none is new.
	 *
	 * Then every reader again, each person alone in a cell of 1 knowing besides whether it is
	 * in each cell the published rules put below its own (readers.h, rules_known: the audit
	 * of what is published knows it too). After the pattern the narrower singletons pass,
	 * not from the start: the repairs are greedy, and with the wider singletons from the
	 * start they took another path on the fixtures (143 eligible cells, 6,874, instead of
	 * 138, 5,817), where the pattern made without them passes them all.
	 */
	while (r == 0 && (protect_attackers(pol) & PROTECT_SINGLETON)) {
		size_t before = R.n, rounds = 0;
		int any = 0;
		for (size_t c = 0; c < L.ncells; c++) {
			int now = sdc_withholds(status[c]);
			fresh[c] = now && !supp[c];
			any |= fresh[c];
			supp[c] = (unsigned char)(supp[c] | now);
		}
		if (any && add_singletons(&J->ds, &real, &R, supp, fresh,
					  (protect_attackers(pol) & PROTECT_INSIDER) &&
						  audit_monotone(&aopt))) {
			sdc_error(d, "out of memory");
			goto out;
		}
		if (!any || R.n == before) {
			struct readers W;
			int clean;
			if (R.rules_known)
				break;
			/* first, the audit of the singletons the rules tell more (every other
			   reader passes this pattern and knows what it knew): most patterns pass */
			if (readers_build(&J->ds, &real, pol, protect_attackers(pol), supp, above, 2,
					  &W)) {
				sdc_error(d, "out of memory");
				goto out;
			}
			W.outsider_passes = 1; /* it passed this pattern with the readers of R */
			clean = passes_every_reader(real.p, supp, &W, &aopt, sensitive, &n_lp, d);
			readers_release(&W);
			if (clean < 0)
				goto out;
			if (clean == 2) {
				r = 2; /* the work budget is spent: said below */
				break;
			}
			if (clean)
				break;
			readers_release(&R);
			if (readers_build(&J->ds, &real, pol, protect_attackers(pol), supp, above, 1,
					  &R)) {
				sdc_error(d, "out of memory");
				goto out;
			}
		}
		r = readers_protect(real.p, status, &R, sensitive, &aopt, &rounds, &n_lp, &lost, d);
		if (r < 0)
			goto out;
		sum->repair_rounds += rounds;
	}
	if (r == 2) {
		char advice[200];
		sdc_error(d, "suppression stopped after %zu LPs: this policy needs more than the "
			 "%d this stage spends on one dataset (minWidth %lld with zeros %s, %zu "
			 "readers); %s", n_lp, READERS_LP_BUDGET, (long long)pol->min_width,
			 pol->area.protect_zeros || pol->national.protect_zeros ? "protected"
										 : "published",
			 R.n, budget_advice(pol, &aopt, advice, sizeof advice));
		sum->stopped = 1;
		result = -2;
		goto out;
	}
	/* 3. The last pass, when the policy asks for it: what no reader needs is published. */
	if (pol->publish_again) {
		/* its own result: r stays the repair loop's (1 there is a cell no pattern protects;
		   1 here, the pass stopped at its budget with a pattern every reader passes, made
		   the dataset refused) */
		/* its LPs counted apart: they are its own budget's, not the suppression's (QA:
		   the method's repairs after it found the 30,000 spent, and the shipped policy
		   with publishAgain refused every dataset) */
		size_t again_lp = 0;
		int again = readers_republish(real.p, status, &R, sensitive, &aopt,
					      pol->publish_again_lps ? pol->publish_again_lps
								     : READERS_REPUBLISH_BUDGET,
					      &again_lp, &sum->published_again, d);
		if (again < 0)
			goto out;
		sum->publish_again = again == 0 ? 1 : 2;
	}
	/*
	 * 3b. The reader who knows the method: where no reader can have needed a complement, the
	 * withheld cells are primaries (readers_identified). Each such primary, to every reader,
	 * is in the primary range, and must still not be pinned (QA: seven areas' [c] under a
	 * national 7 were each 1).
	 */
	if (r == 0 && J->earlier != PROTECT_EARLIER_DISAGREES) {
		method_lost = 1;
		r = method_repair(&J->ds, &real, pol, status, supp, &R, sensitive, &aopt,
				  &sum->repair_rounds, &n_lp, &sum->identified, &lost, d);
		if (r == 1) {
			int w = widen_singletons(&J->ds, &real, pol, status, supp, above, &R, &lost,
						 d);
			if (w < 0)
				goto out;
			if (w)
				r = method_repair(&J->ds, &real, pol, status, supp, &R, sensitive,
						  &aopt, &sum->repair_rounds, &n_lp, &sum->identified,
						  &lost, d);
		}
		if (r < 0)
			goto out;
		if (r == 3) {
			sdc_error(d, "suppression stopped after %d rounds against the reader who "
				  "knows the method: each round's complements let it identify more "
				  "primaries", METHOD_ROUNDS);
			sum->stopped = 1;
			result = -2;
			goto out;
		}
		if (r == 2) {
			char advice[200];
			sdc_error(d, "suppression stopped after %zu LPs: this policy needs more than "
				  "the %d this stage spends on one dataset (the reader who knows the "
				  "method); %s", n_lp, READERS_LP_BUDGET,
				  budget_advice(pol, &aopt, advice, sizeof advice));
			sum->stopped = 1;
			result = -2;
			goto out;
		}
	}
	/* 4. What the outsider reads as 0 is a 0: published (no reader learns more) */
	if (publish_pinned_zeros(&J->ds, &real, status, supp, sensitive, &aopt, &n_lp,
				 &sum->pinned_zeros, d))
		goto out;
	sum->readers = R.n;
	if (!R.rules_known && (protect_attackers(pol) & PROTECT_SINGLETON)) {
		/* the readers the pattern was audited for last, as mappa-audit counts them: each
		   person alone in a cell of 1 once, knowing what the rules put below it */
		struct readers W;
		sdc_withheld_cells(status, L.ncells, supp);
		if (readers_build(&J->ds, &real, pol, protect_attackers(pol), supp, above, 1, &W)) {
			sdc_error(d, "out of memory");
			goto out;
		}
		sum->readers = W.n;
		readers_release(&W);
	}
	sum->seconds_suppress = seconds_since(&t0);
	apply_status(ds, defs, &L, status, sum);
	ds->stage = STAGE_SUPPRESSED;
	/* what it was suppressed under, for mappa-publish's P09 */
	memcpy(ds->policy_sha256, pol->sha256, sizeof ds->policy_sha256);
	/* 5. The independent audit of what is published. */
	joint_statuses(J, ds);
	if (audit_published(J, defs, pol, known, sum, &failing, d))
		goto out;
	ds->primary_count = sum->primary;
	ds->secondary_count = sum->secondary;
	ds->secondary_sum = sum->secondary_sum;
	ds->withheld_count = sum->withheld;
	if (sum->audit_failures > 0 || r == 1) {
		/* the repair loop gave up on a cell: that is why, whatever the audit of the pattern
		   it left then finds (a revision no pattern protected was reported as 'the audit
		   finds 1 suppressed cell narrower', as if the suppression had erred, QA) */
		if (r == 1 && lost.cell != SIZE_MAX) {
			const struct obs *o = &J->ds.obs[L.cell_row[lost.cell]];
			char who[200], w[160];
			reader_words(&J->ds, defs, &L, &R, lost.reader, who, sizeof who);
			sdc_error(d, "no suppression pattern protects %s%s from every reader the "
				 "policy names: %s%s finds it in [%lld, %lld]%s",
				 is_earlier(o) ? "the earlier publication's " : "",
				 dataset_cell_words(defs, base_code(o), o->stat, o->category,
						    o->level, w, sizeof w),
				 who,
				 method_lost ? ", who knows the method (the pattern shows which "
					       "cells are primaries: every cell of a relation it "
					       "needs is withheld already),"
					     : "",
				 (long long)lost.ilo,
				 (long long)lost.ihi,
				 J->earlier == PROTECT_EARLIER_JOINT && !method_lost && is_earlier(o) &&
						 earlier_exposed(&J->ds, &real, &R, sensitive, &aopt, &lost)
					 ? " who holds the earlier bundles of the period too; withholding all "
					   "of this one would not protect it: the earlier bundle, read with "
					   "what the corrected returns tell that reader, shows it "
					   "(docs/disclosure-method.md, 'What is missing')"
				 : J->earlier == PROTECT_EARLIER_JOINT
					 ? " who holds the earlier bundles of the period too (a revision: "
					   "docs/operations.md)"
					 : method_lost && (pol->area.min == pol->area.max ||
							   pol->national.min == pol->national.max)
					 ? "; a primary range of one count tells that reader the value of "
					   "every primary it finds: widen it (the default is 1 to 2), or "
					   "protect zeros"
					 : "");
			if (sum->audit_failures == 0)
				sum->audit_failures = 1; /* the outsider's audit passed; that cell
							    fails for another reader */
		} else {
			char w[160];
			sdc_error(d,
				 "the audit finds %zu suppressed cell%s narrower than the policy allows, "
				 "the first %s%s in [%lld, %lld]%s",
				 sum->audit_failures, sum->audit_failures == 1 ? "" : "s",
				 failing.earlier ? "the earlier publication's " : "",
				 dataset_cell_words(defs, failing.area, failing.stat, failing.category,
						    failing.level, w, sizeof w),
				 failing.lo, failing.hi,
				 J->earlier == PROTECT_EARLIER_JOINT
					 ? " for a reader who holds the earlier bundles of the period too "
					   "(a revision: docs/operations.md)"
					 : "");
		}
		result = -2;
		goto out;
	}
	result = 0;
out:
	/* a stopped or refused suppression took its time too (its report said 0.000 s) */
	if (result != 0)
		sum->seconds_suppress = seconds_since(&t0);
	readers_release(&R);
	free(range);
	free(above);
	free(zero_sib);
	free(sensitive);
	free(fresh);
	free(supp);
	free(status);
	linked_release(&real);
	linked_release(&L);
	joint_free(J);
	return result;
}

int protect_dataset_known(struct dataset *ds, const struct defs *defs,
			  const struct policy *pol, const struct dataset *known,
			  const char *name, struct protect_summary *sum, struct diag_list *d)
{
	struct diag_list e = DIAG_LIST_INIT;
	int r = suppress_known(ds, defs, pol, known, sum, &e);

	if (r != 0)
		relay(d, &e, name, r == -2 ? "S03" : "S02");
	/* a policy that asks more than the work budget: its line too (the error above says why) */
	if (r == -2 && sum && sum->stopped && pol->interval_line > 0 && ds->policy[0])
		(void)diag_add(d, ds->policy, pol->interval_line, "S03", DIAG_ERROR,
			       "minWidth %lld here, with every reader of this policy, asks more LPs "
			       "than one suppression may spend (the dataset's error says how many)",
			       (long long)pol->min_width);
	diag_clear(&e);
	return r;
}
