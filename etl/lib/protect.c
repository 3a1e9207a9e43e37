#include "protect.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "embedded.h"
#include "policy.h"
#include "sdc.h"

void protect_policy_default(struct protect_policy *pol)
{
	memset(pol, 0, sizeof *pol);
	pol->withheld_categories = 1u << 4;
	pol->area_min = 1;
	pol->area_max = 2;
	pol->national_min = 1;
	pol->national_max = 2;
	pol->min_width = 1;
}

int protect_policy_load(struct protect_policy *pol, const char *path, struct diag_list *d)
{
	const struct policy_schema xsd = { NULL, (const char *)mappa_embed_policy_xsd,
					   mappa_embed_policy_xsd_len };
	struct policy p;
	char err[512];
	int r;

	protect_policy_default(pol);
	if (path)
		r = policy_load_file(path, &xsd, &p, err, sizeof err);
	else
		r = policy_load_memory((const char *)mappa_embed_policy_xml, mappa_embed_policy_xml_len,
				       "policy/default.xml", &xsd, &p, err, sizeof err);
	if (r == POLICY_EIO)
		return -2;
	if (r != POLICY_OK) {
		diag_add(d, path ? path : "policy/default.xml", 0, "S04", DIAG_ERROR,
			 "invalid disclosure policy: %s", err);
		return -1;
	}
	pol->withheld_categories = p.withheld_categories;
	pol->area_min = p.area.min;
	pol->area_max = p.area.max;
	pol->area_protect_zeros = p.area.protect_zeros;
	pol->national_min = p.national.min;
	pol->national_max = p.national.max;
	pol->national_protect_zeros = p.national.protect_zeros;
	pol->min_width = p.min_width;
	if (pol->withheld_categories & ~(1u << 4)) {
		diag_add(d, path ? path : "policy/default.xml", 0, "S05", DIAG_ERROR,
			 "only category 4 can be withheld per area (area totals are published over categories 1-3)");
		return -1;
	}
	return 0;
}

/*
 * BUILD_PROTECT: the system elimination works on (states by the policy, known zeros, tight
 * inequalities as equations). BUILD_AUDIT: what a reader knows (values of suppressed rows
 * unknown). BUILD_REAL: the reader's system with every true value kept, for repair rounds
 * that audit patterns other than the dataset's current one.
 */
enum build_mode { BUILD_PROTECT, BUILD_AUDIT, BUILD_REAL };

/* The dataset as one linked system of cells. */
struct linked {
	struct sdc_problem *p;
	size_t ncells;
	size_t *row_cell;   /* per row: its cell, or SIZE_MAX (rates, missing areas) */
	size_t *cell_row;   /* per cell: its row */
	size_t relations, inequalities;
	unsigned char *known_zero; /* cells a reader knows are 0 from a <= b, b = 0 */
	int tighten;               /* give elimination tight inequalities as equations */
};

static void linked_release(struct linked *L)
{
	sdc_problem_free(L->p);
	free(L->row_cell);
	free(L->cell_row);
	free(L->known_zero);
	memset(L, 0, sizeof *L);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int suppressed_status(enum obs_status s)
{
	return s == OBS_PRIMARY || s == OBS_SECONDARY || s == OBS_WITHHELD;
}

static const struct dataset_area *find_area(const struct dataset *ds, const char *code)
{
	for (size_t i = 0; i < ds->nareas; i++)
		if (strcmp(ds->areas[i].code, code) == 0)
			return &ds->areas[i];
	return NULL;
}

/* The cell of a row key, or SIZE_MAX when there is no such row or it is not a cell. */
static size_t cell_of(const struct dataset *ds, const struct linked *L, const char *area,
		      unsigned stat, int cat, int lev)
{
	const struct obs *o = dataset_find(ds, area, stat, cat, lev);
	return o ? L->row_cell[o - ds->obs] : SIZE_MAX;
}

/* Adds total = sum(members) when the total and every member are cells. */
static int add_sum(struct linked *L, size_t total, const size_t *members, size_t n, char *err,
		   size_t errsize)
{
	if (total == SIZE_MAX || n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (members[i] == SIZE_MAX)
			return 0;
	if (sdc_add_relation(L->p, total, members, n, err, errsize) != SDC_OK)
		return -1;
	L->relations++;
	return 0;
}

/* The table sums of one area (or the nation): over levels and over categories. */
static int add_table_sums(const struct dataset *ds, const struct defs *defs, struct linked *L,
			  const char *area, char *err, size_t errsize)
{
	for (unsigned t = 0; t < defs->ntables; t++) {
		const struct defs_table *T = &defs->tables[t];
		int cats[7], levs[5], ncats = 0, nlevs = 0;
		size_t m[8];

		if (T->categories) {
			for (int c = 1; c <= 4; c++)
				if (T->categories >> c & 1u)
					cats[ncats++] = c;
			cats[ncats++] = CAT_1_3;
			cats[ncats++] = CAT_ALL;
		} else
			cats[ncats++] = CAT_NONE;
		if (T->levels) {
			for (int l = 1; l <= 3; l++)
				if (T->levels >> l & 1u)
					levs[nlevs++] = l;
			levs[nlevs++] = LEVEL_ALL;
		} else
			levs[nlevs++] = LEVEL_NONE;

		if (T->levels) /* each category code: LEVEL_ALL = sum of the levels */
			for (int i = 0; i < ncats; i++) {
				size_t n = 0;
				for (int j = 0; j < nlevs - 1; j++)
					m[n++] = cell_of(ds, L, area, t, cats[i], levs[j]);
				if (add_sum(L, cell_of(ds, L, area, t, cats[i], LEVEL_ALL), m, n, err, errsize))
					return -1;
			}
		if (T->categories) /* each level code: 1-3 and all = sums of the categories */
			for (int j = 0; j < nlevs; j++) {
				size_t n = 0;
				for (int c = 1; c <= 3; c++)
					if (T->categories >> c & 1u)
						m[n++] = cell_of(ds, L, area, t, c, levs[j]);
				if (add_sum(L, cell_of(ds, L, area, t, CAT_1_3, levs[j]), m, n, err, errsize))
					return -1;
				if (T->categories >> 4 & 1u)
					m[n++] = cell_of(ds, L, area, t, 4, levs[j]);
				if (add_sum(L, cell_of(ds, L, area, t, CAT_ALL, levs[j]), m, n, err, errsize))
					return -1;
			}
	}
	return 0;
}

/* The published rules between tables (definitions), cell by cell. */
static int add_rules(const struct dataset *ds, const struct defs *defs, struct linked *L,
		     const char *area, char *err, size_t errsize)
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
				if (sdc_add_leq(L->p, a, b, err, errsize) != SDC_OK)
					return -1;
				L->inequalities++;
				/*
				 * A tight inequality (a = b in fact) bounds a from above by its own value
				 * and b from below by its own: elimination cannot see inequalities, so it
				 * is told the stronger fact a = b, which only credits the reader with more
				 * than it knows (safe); the audit checks the real system.
				 */
				if (L->tighten && sdc_cell_value(L->p, a) == sdc_cell_value(L->p, b)) {
					if (sdc_add_relation(L->p, b, &a, 1, err, errsize) != SDC_OK)
						return -1;
				}
			}
	}
	return 0;
}

/*
 * A published rate r = round half up (count x per / population) bounds the count:
 * (2r - 1) P <= 2 per count < (2r + 1) P.
 */
static int add_rate_bounds(const struct dataset *ds, const struct defs *defs, struct linked *L,
			   enum build_mode mode, char *err, size_t errsize)
{
	long long national_pop = 0;

	for (size_t i = 0; i < ds->nareas; i++)
		if (ds->areas[i].state == AREA_PRESENT)
			national_pop += ds->areas[i].population;
	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		const struct defs_rate *rate;
		const struct dataset_area *a;
		long long pop, r, lo, hi, two_per;
		size_t cell;

		if (o->stat < defs->ntables || o->status == OBS_MISSING)
			continue;
		if (mode != BUILD_PROTECT && o->status != OBS_OK)
			continue;
		rate = &defs->rates[o->stat - defs->ntables];
		a = find_area(ds, o->area);
		pop = a ? a->population : national_pop;
		cell = cell_of(ds, L, o->area, (unsigned)rate->table, rate->category, LEVEL_ALL);
		if (cell == SIZE_MAX || pop <= 0)
			continue;
		r = o->value;
		two_per = 2LL * rate->per;
		lo = r > 0 ? ((2 * r - 1) * pop + two_per - 1) / two_per : 0;
		hi = ((2 * r + 1) * pop - 1) / two_per;
		if (sdc_set_bounds(L->p, cell, lo, hi, err, errsize) != SDC_OK)
			return -1;
	}
	return 0;
}

/* A candidate cell of value 0, or one already known to be 0. */
static int zero_known_or_published(const struct linked *L, size_t c)
{
	return L->known_zero[c] ||
	       (sdc_cell_state(L->p, c) == SDC_CANDIDATE && sdc_cell_value(L->p, c) == 0);
}

static int mark_known_zero(struct linked *L, size_t c, int *changed, char *err, size_t errsize)
{
	if (L->known_zero[c] || sdc_cell_state(L->p, c) != SDC_CANDIDATE)
		return 0;
	L->known_zero[c] = 1;
	*changed = 1;
	return sdc_set_cell(L->p, c, 0, SDC_EMPTY, err, errsize) == SDC_OK ? 0 : -1;
}

/*
 * What zeros tell a reader, to a fixed point: a total of 0 makes every part of it 0, and
 * a <= b with b = 0 makes a = 0. Those cells are as good as published.
 */
static int propagate_known_zeros(struct linked *L, char *err, size_t errsize)
{
	size_t nrel = sdc_nrelations(L->p), nleq = sdc_nleq(L->p);
	int changed = 1;

	while (changed) {
		changed = 0;
		for (size_t r = 0; r < nrel; r++) {
			const size_t *m;
			size_t k, t = sdc_relation(L->p, r, &m, &k);
			if (!zero_known_or_published(L, t))
				continue;
			for (size_t i = 0; i < k; i++)
				if (mark_known_zero(L, m[i], &changed, err, errsize))
					return -1;
		}
		for (size_t i = 0; i < nleq; i++) {
			size_t a, b;
			sdc_leq(L->p, i, &a, &b);
			if (zero_known_or_published(L, b) && mark_known_zero(L, a, &changed, err, errsize))
				return -1;
		}
	}
	return 0;
}

static int build(const struct dataset *ds, const struct defs *defs,
		 const struct protect_policy *pol, enum build_mode mode, struct linked *L,
		 char *err, size_t errsize)
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
		int national = strcmp(o->area, ds->national_code) == 0;
		enum sdc_state st;
		long long value = o->value;

		if (o->status == OBS_NA) {
			st = SDC_EMPTY;
			value = 0;
		} else if (mode == BUILD_AUDIT || mode == BUILD_REAL) {
			st = SDC_CANDIDATE;
			if (mode == BUILD_AUDIT && suppressed_status(o->status))
				value = 0; /* never read: the reader does not know it */
		} else if (!national && pol->withheld_categories &&
			   ((o->category >= 1 && o->category <= 4 &&
			     (pol->withheld_categories >> o->category & 1u)) ||
			    o->category == CAT_ALL)) {
			st = SDC_WITHHELD;
		} else if (national) {
			st = sdc_threshold_state(value, pol->national_min, pol->national_max,
						 pol->national_protect_zeros);
		} else {
			st = sdc_threshold_state(value, pol->area_min, pol->area_max,
						 pol->area_protect_zeros);
		}
		if (sdc_set_cell(L->p, c, value, st, err, errsize) != SDC_OK)
			goto fail;
	}
	/*
	 * A published inequality a <= b with b = 0 tells every reader that a = 0 as well (counts
	 * are not negative): such a cell is as good as published, and elimination must not count
	 * on it as an unknown complement. Where zeros are published, mark it known.
	 */
	if (mode == BUILD_PROTECT && !pol->area_protect_zeros && !pol->national_protect_zeros)
		L->known_zero = calloc(L->ncells + 1, 1);
	L->tighten = mode == BUILD_PROTECT;
	/* each present area's tables and the national tables */
	if (add_table_sums(ds, defs, L, ds->national_code, err, errsize) ||
	    add_rules(ds, defs, L, ds->national_code, err, errsize))
		goto fail;
	for (size_t a = 0; a < ds->nareas; a++) {
		if (ds->areas[a].state != AREA_PRESENT)
			continue;
		if (add_table_sums(ds, defs, L, ds->areas[a].code, err, errsize) ||
		    add_rules(ds, defs, L, ds->areas[a].code, err, errsize))
			goto fail;
	}
	/* national = sum of the present areas, for every cell and margin */
	{
		size_t *m = malloc((ds->nareas + 1) * sizeof *m);
		if (!m)
			goto nomem;
		for (size_t i = 0; i < ds->nobs; i++) {
			const struct obs *o = &ds->obs[i];
			size_t n = 0;
			if (L->row_cell[i] == SIZE_MAX || strcmp(o->area, ds->national_code) != 0)
				continue;
			for (size_t a = 0; a < ds->nareas; a++)
				if (ds->areas[a].state == AREA_PRESENT)
					m[n++] = cell_of(ds, L, ds->areas[a].code, o->stat, o->category,
							 o->level);
			if (add_sum(L, L->row_cell[i], m, n, err, errsize)) {
				free(m);
				goto fail;
			}
		}
		free(m);
	}
	if (add_rate_bounds(ds, defs, L, mode, err, errsize))
		goto fail;
	if (L->known_zero && propagate_known_zeros(L, err, errsize))
		goto fail;
	return 0;
nomem:
	snprintf(err, errsize, "out of memory");
fail:
	linked_release(L);
	return -1;
}

int protect_audit(const struct dataset *ds, const struct defs *defs,
		  const struct protect_policy *pol, int exact, struct protect_interval **out,
		  size_t *nout, struct protect_summary *sum, char *err, size_t errsize)
{
	struct linked L;
	struct audit_options opt;
	struct audit_result res;
	unsigned char *suppressed = NULL;
	struct timespec t0;
	int r, result = -1;

	*out = NULL;
	*nout = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (build(ds, defs, pol, BUILD_AUDIT, &L, err, errsize))
		return -1;
	suppressed = calloc(L.ncells + 1, 1);
	if (!suppressed) {
		snprintf(err, errsize, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < L.ncells; c++)
		suppressed[c] = (unsigned char)suppressed_status(ds->obs[L.cell_row[c]].status);
	audit_options_init(&opt);
	opt.min_width = pol->min_width;
	opt.protect_zeros = pol->area_protect_zeros || pol->national_protect_zeros;
	opt.flags = exact ? AUDIT_EXACT : 0;
	r = audit_run(L.p, suppressed, &opt, &res, err, errsize);
	if (r != SDC_OK)
		goto out;
	*out = calloc(res.n + 1, sizeof **out);
	if (!*out) {
		audit_result_release(&res);
		snprintf(err, errsize, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < res.n; i++) {
		const struct audit_cell *ac = &res.cells[i];
		struct protect_interval *pi = &(*out)[i];
		pi->row = L.cell_row[ac->cell];
		pi->lo = ac->ilo;
		pi->hi = ac->ihi == INT64_MAX ? -1 : ac->ihi;
		pi->exact = ac->exact;
		pi->pass = ac->pass;
	}
	*nout = res.n;
	if (sum) {
		sum->audited = res.n;
		sum->audit_failures = res.n_fail;
		sum->cells = L.ncells;
		sum->relations = L.relations;
		sum->inequalities = L.inequalities;
		sum->seconds_audit = seconds_since(&t0);
	}
	audit_result_release(&res);
	result = 0;
out:
	free(suppressed);
	linked_release(&L);
	return result;
}

/* Each repair round adds or settles at least one cell; this bounds the rounds all the same. */
#define REPAIR_ROUNDS_MAX 200

/* Cells that share a relation or an inequality with each cell (CSR). */
struct neighbours {
	size_t *start; /* ncells + 1 */
	size_t *cell;
};

static int neighbours_build(const struct linked *L, struct neighbours *nb)
{
	size_t n = L->ncells, nrel = sdc_nrelations(L->p), nleq = sdc_nleq(L->p), total = 0;
	size_t *deg = calloc(n + 1, sizeof *deg);

	nb->start = NULL;
	nb->cell = NULL;
	if (!deg)
		return -1;
	for (size_t r = 0; r < nrel; r++) {
		const size_t *m;
		size_t k, t = sdc_relation(L->p, r, &m, &k);
		deg[t] += k;
		for (size_t i = 0; i < k; i++)
			deg[m[i]] += k; /* the total and the other members */
		total += 2 * k + k * k;
	}
	for (size_t i = 0; i < nleq; i++) {
		size_t a, b;
		sdc_leq(L->p, i, &a, &b);
		deg[a]++;
		deg[b]++;
	}
	nb->start = malloc((n + 1) * sizeof *nb->start);
	if (!nb->start)
		goto fail;
	nb->start[0] = 0;
	for (size_t i = 0; i < n; i++)
		nb->start[i + 1] = nb->start[i] + deg[i];
	nb->cell = malloc((nb->start[n] + 1) * sizeof *nb->cell);
	if (!nb->cell)
		goto fail;
	memset(deg, 0, (n + 1) * sizeof *deg); /* now: filled so far */
#define PUT(x, y) (nb->cell[nb->start[(x)] + deg[(x)]++] = (y))
	for (size_t r = 0; r < nrel; r++) {
		const size_t *m;
		size_t k, t = sdc_relation(L->p, r, &m, &k);
		for (size_t i = 0; i < k; i++) {
			PUT(t, m[i]);
			PUT(m[i], t);
			for (size_t j = 0; j < k; j++)
				if (j != i)
					PUT(m[i], m[j]);
		}
	}
	for (size_t i = 0; i < nleq; i++) {
		size_t a, b;
		sdc_leq(L->p, i, &a, &b);
		PUT(a, b);
		PUT(b, a);
	}
#undef PUT
	/* PUT filled at most deg slots; shrink each list to what it holds */
	{
		size_t o = 0;
		for (size_t i = 0; i < n; i++) {
			size_t from = nb->start[i], cnt = deg[i];
			memmove(nb->cell + o, nb->cell + from, cnt * sizeof *nb->cell);
			nb->start[i] = o;
			o += cnt;
		}
		nb->start[n] = o;
	}
	(void)total;
	free(deg);
	return 0;
fail:
	free(deg);
	free(nb->start);
	free(nb->cell);
	return -1;
}

/*
 * The cheapest published cell nearest to f: a breadth-first search over the neighbour graph
 * that passes through suppressed cells and stops at the first layer holding a published cell
 * that could be suppressed; of that layer, the smallest value, then the lowest index.
 */
static size_t nearest_complement(const struct linked *L, const struct neighbours *nb,
				 const enum sdc_status *status, const unsigned char *determined,
				 size_t f, size_t *queue, unsigned *stamp, unsigned now)
{
	size_t head = 0, tail = 0, layer_end, best = SIZE_MAX;

	queue[tail++] = f;
	stamp[f] = now;
	while (head < tail && best == SIZE_MAX) {
		layer_end = tail;
		for (; head < layer_end; head++) {
			size_t x = queue[head];
			for (size_t k = nb->start[x]; k < nb->start[x + 1]; k++) {
				size_t c = nb->cell[k];
				if (stamp[c] == now)
					continue;
				stamp[c] = now;
				if (sdc_cell_state(L->p, c) == SDC_EMPTY)
					continue;
				if (status[c] != SDC_PUBLISH) {
					queue[tail++] = c; /* go on through what is already suppressed */
					continue;
				}
				if (determined[c])
					continue;
				if (best == SIZE_MAX || sdc_cell_value(L->p, c) < sdc_cell_value(L->p, best) ||
				    (sdc_cell_value(L->p, c) == sdc_cell_value(L->p, best) && c < best))
					best = c;
			}
		}
	}
	return best;
}

/*
 * The audit can find cells that Gaussian elimination leaves narrower than the policy allows:
 * non-negativity and the published inequalities bound cells that no equation pins. Each round
 * audits the pattern and, for every failing cell, suppresses its cheapest published neighbour
 * (smallest value, then lowest index: deterministic); more unknowns never narrow an interval,
 * so the rounds end. A complement (secondary) that the reader can compute exactly protects
 * nothing and is published instead: publishing a value already known adds nothing. Returns 0 when the audit passes, 1 when some cell cannot be protected,
 * -1 on error.
 */
static int repair(struct linked *L, const struct linked *real, enum sdc_status *status,
		  const struct protect_policy *pol, size_t *rounds, char *err, size_t errsize)
{
	struct neighbours nb;
	struct audit_options aopt;
	unsigned char *supp = calloc(L->ncells + 1, 1);
	unsigned char *determined = calloc(L->ncells + 1, 1); /* published as computable */
	size_t *queue = malloc((L->ncells + 1) * sizeof *queue);
	unsigned *stamp = calloc(L->ncells + 1, sizeof *stamp);
	unsigned stamp_now = 0;
	int result = -1, hammer = 0;

	*rounds = 0;
	if (!supp || !determined || !queue || !stamp || neighbours_build(L, &nb) != 0) {
		free(supp);
		free(determined);
		free(queue);
		free(stamp);
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	audit_options_init(&aopt);
	aopt.min_width = pol->min_width;
	aopt.protect_zeros = pol->area_protect_zeros || pol->national_protect_zeros;
	for (;;) {
		struct audit_result res;
		size_t added = 0, open = 0;

		for (size_t c = 0; c < L->ncells; c++) {
			supp[c] = status[c] != SDC_PUBLISH && status[c] != SDC_NOT_APPLICABLE;
			determined[c] = 0; /* as of this round's audit */
		}
		if (audit_run(real->p, supp, &aopt, &res, err, errsize) != SDC_OK)
			goto out;
		(*rounds)++;
		for (size_t i = 0; i < res.n; i++) {
			size_t f = res.cells[i].cell, best;
			if (res.cells[i].pass)
				continue;
			if (status[f] == SDC_SUPPRESS_SECONDARY && res.cells[i].exact &&
			    res.cells[i].hi - res.cells[i].lo < 1e-7) {
				determined[f] = 1; /* settled at the end */
				continue;
			}
			open++;
			if (!hammer) {
				best = nearest_complement(L, &nb, status, determined, f, queue, stamp,
							  ++stamp_now);
				if (best != SIZE_MAX) {
					status[best] = SDC_SUPPRESS_SECONDARY;
					added++;
				}
				continue;
			}
			/* the nearest cells did not do: every published neighbour goes */
			for (size_t k = nb.start[f]; k < nb.start[f + 1]; k++) {
				size_t c = nb.cell[k];
				if (status[c] == SDC_PUBLISH && sdc_cell_state(L->p, c) != SDC_EMPTY) {
					status[c] = SDC_SUPPRESS_SECONDARY;
					added++;
				}
			}
		}
		audit_result_release(&res);
		if (open == 0) {
			/*
			 * Every protected cell is safe. A complement the reader can compute exactly
			 * protects nothing: publish it (a value already known adds nothing).
			 */
			for (size_t c = 0; c < L->ncells; c++)
				if (determined[c] && status[c] == SDC_SUPPRESS_SECONDARY)
					status[c] = SDC_PUBLISH;
			result = 0;
			break;
		}
		if (added == 0 && !hammer) {
			hammer = 1;
			continue;
		}
		if (added == 0 || *rounds >= REPAIR_ROUNDS_MAX) {
			result = 1;
			break;
		}
	}
out:
	free(nb.start);
	free(nb.cell);
	free(supp);
	free(determined);
	free(queue);
	free(stamp);
	return result;
}

/* Copies the engine's decisions onto the rows, with the rates following their counts. */
static void apply_status(struct dataset *ds, const struct defs *defs, const struct linked *L,
			 const enum sdc_status *status, struct protect_summary *sum)
{
	sum->primary = sum->secondary = sum->withheld = 0;
	sum->secondary_sum = 0;
	for (size_t c = 0; c < L->ncells; c++) {
		struct obs *o = &ds->obs[L->cell_row[c]];
		switch (status[c]) {
		case SDC_PUBLISH: o->status = OBS_OK; break;
		case SDC_SUPPRESS_PRIMARY: o->status = OBS_PRIMARY; sum->primary++; break;
		case SDC_SUPPRESS_SECONDARY:
			o->status = OBS_SECONDARY;
			sum->secondary++;
			sum->secondary_sum += o->value;
			break;
		case SDC_SUPPRESS_WITHHELD: o->status = OBS_WITHHELD; sum->withheld++; break;
		case SDC_NOT_APPLICABLE: /* a known zero is published as the 0 it is */
			o->status = L->known_zero && L->known_zero[c] ? OBS_OK : OBS_NA;
			break;
		}
	}
	/* a rate is published only with the count behind it */
	for (size_t i = 0; i < ds->nobs; i++) {
		struct obs *o = &ds->obs[i];
		const struct defs_rate *rate;
		const struct obs *count;
		if (o->stat < defs->ntables || o->status == OBS_MISSING)
			continue;
		rate = &defs->rates[o->stat - defs->ntables];
		count = dataset_find(ds, o->area, (unsigned)rate->table, rate->category, LEVEL_ALL);
		o->status = count && count->status == OBS_OK ? OBS_OK : OBS_SECONDARY;
	}
}

/* The independent check: what a reader can deduce from the published rows alone. */
static int audit_published(struct dataset *ds, const struct defs *defs,
			   const struct protect_policy *pol, struct protect_summary *sum, char *err,
			   size_t errsize)
{
	struct protect_summary asum;
	struct protect_interval *iv = NULL;
	size_t niv;

	memset(&asum, 0, sizeof asum);
	if (protect_audit(ds, defs, pol, 0, &iv, &niv, &asum, err, errsize))
		return -1;
	free(iv);
	sum->audited = asum.audited;
	sum->audit_failures = asum.audit_failures;
	sum->seconds_audit += asum.seconds_audit;
	return 0;
}

int protect_dataset(struct dataset *ds, const struct defs *defs, const struct protect_policy *pol,
		    struct protect_summary *sum, char *err, size_t errsize)
{
	struct linked L;
	struct sdc_options opt;
	struct sdc_report rep;
	enum sdc_status *status = NULL;
	struct protect_summary local;
	struct timespec t0;
	int r, result = -1;

	if (!sum)
		sum = &local;
	memset(sum, 0, sizeof *sum);
	if (ds->stage != STAGE_MERGED) {
		snprintf(err, errsize, "the dataset is not a merged national dataset");
		return -1;
	}
	dataset_sort(ds);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (build(ds, defs, pol, BUILD_PROTECT, &L, err, errsize))
		return -1;
	status = calloc(L.ncells + 1, sizeof *status);
	if (!status) {
		snprintf(err, errsize, "out of memory");
		goto out;
	}
	/*
	 * Gaussian elimination over the whole linked system, then the independent audit of what
	 * it publishes. Where that audit finds a cell too narrow: the engine's own audit-and-widen
	 * repair from scratch, audited again; where even that leaves one, the adapter's repair.
	 */
	sdc_options_init(&opt);
	opt.min_width = pol->min_width;
	opt.protect_zeros = pol->area_protect_zeros || pol->national_protect_zeros;
	opt.audit = 0;
	r = sdc_suppress(L.p, &opt, status, &rep, err, errsize);
	if (r != SDC_OK && r != SDC_EUNSAFE)
		goto out;
	sum->cells = L.ncells;
	sum->relations = L.relations;
	sum->inequalities = L.inequalities;
	sum->seconds_suppress = seconds_since(&t0);
	apply_status(ds, defs, &L, status, sum);
	ds->stage = STAGE_SUPPRESSED;
	if (audit_published(ds, defs, pol, sum, err, errsize))
		goto out;
	if (sum->audit_failures > 0 && r == SDC_OK) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		opt.audit = 1;
		r = sdc_suppress(L.p, &opt, status, &rep, err, errsize);
		if (r != SDC_OK && r != SDC_EUNSAFE)
			goto out;
		sum->repair_rounds += rep.n_audit_rounds;
		sum->seconds_suppress += seconds_since(&t0);
		apply_status(ds, defs, &L, status, sum);
		if (audit_published(ds, defs, pol, sum, err, errsize))
			goto out;
	}
	if (sum->audit_failures > 0 && r == SDC_OK) {
		/* non-negativity or an inequality pins what elimination left: repair, check again */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		struct linked real;
		int rr;
		if (build(ds, defs, pol, BUILD_REAL, &real, err, errsize))
			goto out;
		if (real.ncells != L.ncells) {
			linked_release(&real);
			snprintf(err, errsize, "internal error: the systems differ");
			goto out;
		}
		rr = repair(&L, &real, status, pol, &sum->repair_rounds, err, errsize);
		linked_release(&real);
		if (rr < 0)
			goto out;
		sum->seconds_suppress += seconds_since(&t0);
		apply_status(ds, defs, &L, status, sum);
		if (audit_published(ds, defs, pol, sum, err, errsize))
			goto out;
	}
	ds->primary_count = sum->primary;
	ds->secondary_count = sum->secondary;
	ds->secondary_sum = sum->secondary_sum;
	ds->withheld_count = sum->withheld;
	if (sum->audit_failures > 0 || r == SDC_EUNSAFE) {
		if (r == SDC_EUNSAFE && sum->audit_failures == 0)
			snprintf(err, errsize, "%s", "a protected cell is determined by the tables alone");
		else
			snprintf(err, errsize,
				 "the audit finds %zu suppressed cell%s narrower than the policy allows",
				 sum->audit_failures, sum->audit_failures == 1 ? "" : "s");
		result = -2;
		goto out;
	}
	result = 0;
out:
	free(status);
	linked_release(&L);
	return result;
}
