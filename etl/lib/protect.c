#include "protect.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "growarray.h"
#include "embedded.h"
#include "policy.h"
#include "sdc.h"

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
	for (int c = 1; c <= 3; c++)
		if (policy_withheld(pol, c)) {
			diag_add(d, path ? path : "policy/default.xml", pol->withheld_line[c], "S05",
				 DIAG_ERROR, "only category 4 can be withheld per area (area totals are "
				 "published over categories 1-3)");
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
	size_t relations, inequalities;
};

static void linked_release(struct linked *L)
{
	sdc_problem_free(L->p);
	free(L->row_cell);
	free(L->cell_row);
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
	if (e->count == 0)
		(void)diag_add(d, name, 0, rule, DIAG_ERROR, "internal error");
	for (size_t i = 0; i < e->count; i++)
		(void)diag_add(d, name, e->items[i].line, rule, e->items[i].severity, "%s",
			       e->items[i].message);
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

/* The table sums of one area (or the nation): over levels and over categories. */
static int add_table_sums(const struct dataset *ds, const struct defs *defs, struct linked *L,
			  const char *area, struct diag_list *d)
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
				if (add_sum(L, cell_of(ds, L, area, t, cats[i], LEVEL_ALL), m, n, d))
					return -1;
			}
		if (T->categories) /* each level code: 1-3 and all = sums of the categories */
			for (int j = 0; j < nlevs; j++) {
				size_t n = 0;
				for (int c = 1; c <= 3; c++)
					if (T->categories >> c & 1u)
						m[n++] = cell_of(ds, L, area, t, c, levs[j]);
				if (add_sum(L, cell_of(ds, L, area, t, CAT_1_3, levs[j]), m, n, d))
					return -1;
				if (T->categories >> 4 & 1u)
					m[n++] = cell_of(ds, L, area, t, 4, levs[j]);
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
	int national = strcmp(o->area, ds->national_code) == 0;
	switch (policy_reason(pol, national, o->category, o->value)) {
	case POLICY_WITHHELD: return SDC_WITHHELD;
	case POLICY_PRIMARY: return SDC_PRIMARY;
	default: return SDC_CANDIDATE;
	}
}

/*
 * A published rate r = round half up (count x per / population) bounds the count:
 * (2r - 1) P <= 2 per count < (2r + 1) P.
 */
static int add_rate_bounds(const struct dataset *ds, const struct defs *defs, struct linked *L,
			   enum build_mode mode, struct diag_list *d)
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
		if (sdc_set_bounds(L->p, cell, lo, hi, d) != SDC_OK)
			return -1;
	}
	return 0;
}

/*
 * Figures an earlier publication of the period made public (known: rows with OBS_OK, e.g.
 * from series_known_published), for every reader: a published bound [v, v] on the cell, and,
 * for elimination, the highest preference to publish (it costs nothing to publish what is
 * public). A row whose true value differs (a revised figure) is not known in this way.
 */
static int add_known(const struct dataset *ds, const struct dataset *known, struct linked *L,
		     enum build_mode mode, struct diag_list *d)
{
	for (size_t c = 0; known && c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		const struct obs *k = dataset_find(known, o->area, o->stat, o->category, o->level);
		if (!k || k->status != OBS_OK || o->status == OBS_NA || k->value < 0)
			continue;
		if (!(mode == BUILD_AUDIT && suppressed_status(o->status)) && k->value != o->value)
			continue;
		if (sdc_set_bounds(L->p, c, k->value, k->value, d) != SDC_OK)
			return -1;
		if (mode == BUILD_PROTECT && sdc_set_cost(L->p, c, 1e15, d) != SDC_OK)
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
		long long value = o->value;

		if (o->status == OBS_NA) {
			st = SDC_EMPTY;
			value = 0;
		} else if (mode == BUILD_AUDIT || mode == BUILD_REAL) {
			st = SDC_CANDIDATE;
			if (mode == BUILD_AUDIT && suppressed_status(o->status))
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
			if (add_sum(L, L->row_cell[i], m, n, d)) {
				free(m);
				goto fail;
			}
		}
		free(m);
	}
	if (add_rate_bounds(ds, defs, L, mode, d))
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

const char *protect_attacker_name(unsigned attacker)
{
	switch (attacker) {
	case PROTECT_OUTSIDER: return "outsider";
	case PROTECT_INSIDER: return "insider";
	case PROTECT_SINGLETON: return "singleton";
	default: return "reader";
	}
}

/*
 * The readers of a linked system: for each, the cells it knows besides what is published.
 * Insiders know every cell of their area(s); a singleton knows its cell of 1.
 */
struct reader {
	unsigned kind;
	char who[48];
	size_t known_row;  /* singleton: its row; else SIZE_MAX */
	size_t first, n;   /* its cells: readers.cells[first .. first + n) */
	size_t focus_first, focus_n; /* singleton: the cells left to audit for it (see
					readers_build); focus_n 0: every cell */
	size_t ga, gb;     /* the groups (areas) it knows cells of, or SIZE_MAX */
};

/*
 * Groups for the proofs of audit_readers: each present area is a group and the nation is
 * the last; pos numbers the positions (table, category, level) so that cells of different
 * areas at the same position can be compared.
 */
struct readers {
	struct reader *r;
	size_t n, alloc;
	size_t *cells;
	size_t ncells, cells_alloc;
	size_t *group, ngroups; /* per cell: its group; the nation is ngroups - 1 */
	size_t *pos, npos;      /* per cell: its position */
	size_t nsets;           /* partner sets a proof needs: the coalition size + 1 */
};

static void readers_release(struct readers *R)
{
	free(R->r);
	free(R->cells);
	free(R->group);
	free(R->pos);
	memset(R, 0, sizeof *R);
}

static int readers_push(struct readers *R, unsigned kind, const char *who, size_t known_row,
			const size_t *cells, size_t n, const size_t *focus, size_t nfocus)
{
	struct reader *x;
	if (grow_array((void **)&R->r, &R->alloc, R->n + 1, sizeof *R->r) ||
	    grow_array((void **)&R->cells, &R->cells_alloc, R->ncells + n + nfocus + 1,
		       sizeof *R->cells))
		return -1;
	x = &R->r[R->n++];
	x->kind = kind;
	snprintf(x->who, sizeof x->who, "%s", who);
	x->known_row = known_row;
	x->first = R->ncells;
	x->n = n;
	if (n)
		memcpy(R->cells + R->ncells, cells, n * sizeof *cells);
	R->ncells += n;
	x->ga = x->gb = SIZE_MAX;
	x->focus_first = R->ncells;
	x->focus_n = nfocus;
	if (nfocus)
		memcpy(R->cells + R->ncells, focus, nfocus * sizeof *focus);
	R->ncells += nfocus;
	return 0;
}

/* The cells of one area, in cell order (ds sorted: an area's rows are contiguous). */
static size_t area_cells(const struct dataset *ds, const struct linked *L, const char *code,
			 size_t *out)
{
	size_t n = 0;
	for (size_t c = 0; c < L->ncells; c++)
		if (strcmp(ds->obs[L->cell_row[c]].area, code) == 0)
			out[n++] = c;
	return n;
}

/* Groups (present areas in order, then the nation) and positions of the cells. */
static int groups_build(const struct dataset *ds, const struct linked *L, const size_t *present,
			size_t np, struct readers *R)
{
	size_t nat = 0, *natcell = malloc((L->ncells + 1) * sizeof *natcell);
	int rc = -1;

	R->group = malloc((L->ncells + 1) * sizeof *R->group);
	R->pos = malloc((L->ncells + 1) * sizeof *R->pos);
	if (!natcell || !R->group || !R->pos)
		goto out;
	R->ngroups = np + 1;
	for (size_t c = 0; c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		R->group[c] = np;
		if (strcmp(o->area, ds->national_code) == 0) {
			natcell[nat++] = c;
			continue;
		}
		for (size_t i = 0; i < np; i++)
			if (strcmp(ds->areas[present[i]].code, o->area) == 0) {
				R->group[c] = i;
				break;
			}
	}
	/* a position is a national cell: the nation has every position */
	R->npos = nat;
	for (size_t c = 0; c < L->ncells; c++) {
		const struct obs *o = &ds->obs[L->cell_row[c]];
		R->pos[c] = SIZE_MAX;
		for (size_t k = 0; k < nat; k++) {
			const struct obs *m = &ds->obs[L->cell_row[natcell[k]]];
			if (o->stat == m->stat && o->category == m->category && o->level == m->level) {
				R->pos[c] = k;
				break;
			}
		}
	}
	rc = 0;
out:
	free(natcell);
	return rc;
}

/*
 * The readers the policy names. supp marks the suppressed cells; value holds the true values
 * (a singleton is a suppressed cell of 1). The outsider is always first.
 */
static int readers_build(const struct dataset *ds, const struct linked *L,
			 const struct policy *pol, unsigned attackers,
			 const unsigned char *supp, struct readers *R)
{
	size_t *buf = malloc((2 * L->ncells + 1) * sizeof *buf);
	size_t *present = malloc((ds->nareas + 1) * sizeof *present), np = 0;
	int rc = -1, dominated;

	memset(R, 0, sizeof *R);
	if (!buf || !present)
		goto out;
	if (readers_push(R, PROTECT_OUTSIDER, "outsider", SIZE_MAX, NULL, 0, NULL, 0))
		goto out;
	for (size_t a = 0; a < ds->nareas; a++)
		if (ds->areas[a].state == AREA_PRESENT)
			present[np++] = a;
	if (groups_build(ds, L, present, np, R))
		goto out;
	R->nsets = pol->coalition >= 2 ? 3 : 2;
	if (attackers & PROTECT_INSIDER) {
		for (size_t i = 0; i < np; i++) {
			const char *ca = ds->areas[present[i]].code;
			char who[48];
			size_t n = area_cells(ds, L, ca, buf);
			if (pol->coalition <= 1) {
				snprintf(who, sizeof who, "insider %s", ca);
				if (readers_push(R, PROTECT_INSIDER, who, SIZE_MAX, buf, n, NULL, 0))
					goto out;
				R->r[R->n - 1].ga = i;
				continue;
			}
			for (size_t j = i + 1; j < np; j++) {
				const char *cb = ds->areas[present[j]].code;
				size_t m = area_cells(ds, L, cb, buf + n);
				snprintf(who, sizeof who, "insider %s+%s", ca, cb);
				if (readers_push(R, PROTECT_INSIDER, who, SIZE_MAX, buf, n + m, NULL, 0))
					goto out;
				R->r[R->n - 1].ga = i;
				R->r[R->n - 1].gb = j;
			}
		}
	}
	/*
	 * A singleton is the one person in a suppressed inner cell of 1 (a cell that is no
	 * relation's total: the person in a total of 1 is also alone in an inner cell of it). It
	 * knows that cell. What it learns about a total that holds its own cell is that total
	 * less itself, and every other cell of that total is audited on its own: the totals over
	 * its cell are not audited for it (otherwise a withheld total over Categories 1-4 would
	 * count as disclosed to the person in its Category 4 cell, who learns nothing but the
	 * published total over 1-3 plus itself).
	 *
	 * A reader who knows more deduces at least as much: every interval of a singleton in an
	 * area's cell contains the interval that area's insider gets, and the policy's rule is
	 * monotone under that inclusion (always, but for an interval [0,0] passing while [0,1]
	 * fails, possible only with published zeros and minWidth above 1). So where the insider of
	 * its area is audited, a singleton's audit needs only the cells that insider knows: the
	 * other cells of its own area.
	 */
	dominated = (attackers & PROTECT_INSIDER) && (pol->min_width <= 1 ||
		    pol->area.protect_zeros || pol->national.protect_zeros);
	if (attackers & PROTECT_SINGLETON) {
		unsigned char *total = calloc(L->ncells + 1, 1), *up = calloc(L->ncells + 1, 1);
		size_t nrel = sdc_nrelations(L->p);
		if (!total || !up) {
			free(total);
			free(up);
			goto out;
		}
		for (size_t r = 0; r < nrel; r++) {
			const size_t *m;
			size_t k;
			total[sdc_relation(L->p, r, &m, &k)] = 1;
		}
		for (size_t c = 0; c < L->ncells; c++) {
			const struct obs *o = &ds->obs[L->cell_row[c]];
			size_t nf = 0, w = 0;
			int grew = 1;
			if (!supp[c] || total[c] || sdc_cell_state(L->p, c) == SDC_EMPTY ||
			    sdc_cell_value(L->p, c) != 1)
				continue;
			/* the totals over c, to a fixed point */
			memset(up, 0, L->ncells);
			up[c] = 1;
			while (grew) {
				grew = 0;
				for (size_t r = 0; r < nrel; r++) {
					const size_t *m;
					size_t k, t = sdc_relation(L->p, r, &m, &k);
					if (up[t])
						continue;
					for (size_t i = 0; i < k; i++)
						if (up[m[i]]) {
							up[t] = 1;
							grew = 1;
							break;
						}
				}
			}
			if (dominated && strcmp(o->area, ds->national_code) != 0)
				nf = area_cells(ds, L, o->area, buf);
			else
				for (size_t x = 0; x < L->ncells; x++)
					buf[nf++] = x;
			for (size_t i = 0; i < nf; i++)
				if (!up[buf[i]])
					buf[w++] = buf[i];
			if (w == 0)
				continue; /* nothing it does not know already */
			if (readers_push(R, PROTECT_SINGLETON, "singleton", L->cell_row[c], &c, 1,
					 buf, w)) {
				free(total);
				free(up);
				goto out;
			}
			R->r[R->n - 1].ga = R->group[c];
		}
		free(total);
		free(up);
	}
	rc = 0;
out:
	free(buf);
	free(present);
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
		range[c] = strcmp(o->area, ds->national_code) == 0 ? pol->national.max
								    : pol->area.max;
	}
	return range;
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
	}
	return s;
}

/* One failing cell for one reader. */
struct failure {
	size_t reader, cell;
	int64_t ilo, ihi;
	int exact;
};

struct failures {
	struct failure *f;
	size_t n, alloc;
};

/*
 * Proofs that save most readers' LPs. A reader who knows more deduces at least as much, so a
 * cell that passes in a restricted view - every cell outside a few areas and the nation fixed
 * at its true value, as if published - passes for every reader whose knowledge lies outside
 * those areas (the rule is monotone when minWidth is 1 or zeros are protected). For each group
 * g (an area, or the nation) there are nsets disjoint sets of partner areas, those sharing
 * most suppressed positions with g; the restricted view j of g frees g, the nation and the
 * areas of set j. A cell of g that passes in view j is proven for every insider (or pair) with
 * no area in set j: with coalition c there are c + 1 sets, and c areas miss one of them. A
 * singleton in g is proven in view 0 with its own cell fixed. What is not proven is audited
 * on the whole system, so the answer is the same as without the proofs, only cheaper.
 */
#define PROOF_PARTNERS 8

struct proofs {
	size_t *set;		/* [g][j][k]: partner group, SIZE_MAX unused */
	unsigned char *pass;	/* [j][cell]: passes in view j of its group */
	unsigned char *spass;	/* [singleton slot][cell] */
	size_t *slot;		/* per reader: its singleton slot, or SIZE_MAX */
	size_t n;		/* cells */
};

static void proofs_release(struct proofs *P)
{
	free(P->set);
	free(P->pass);
	free(P->spass);
	free(P->slot);
	memset(P, 0, sizeof *P);
}

static int proof_in_set(const struct readers *R, const struct proofs *P, size_t g, size_t j,
			size_t area)
{
	const size_t *set = P->set + (g * R->nsets + j) * PROOF_PARTNERS;
	if (area == SIZE_MAX)
		return 0;
	for (size_t k = 0; k < PROOF_PARTNERS; k++)
		if (set[k] == area)
			return 1;
	return 0;
}

/* Whether cell c is proven to pass for reader i. */
static int proven(const struct readers *R, const struct proofs *P, size_t i, size_t c)
{
	const struct reader *x = &R->r[i];
	size_t g;
	if (!P->set || !R->group)
		return 0;
	g = R->group[c];
	if (x->kind == PROTECT_SINGLETON)
		return P->slot[i] != SIZE_MAX && P->spass[P->slot[i] * P->n + c];
	if (x->kind != PROTECT_INSIDER)
		return 0;
	for (size_t j = 0; j < R->nsets; j++)
		if (P->pass[j * P->n + c] && !proof_in_set(R, P, g, j, x->ga) &&
		    !proof_in_set(R, P, g, j, x->gb))
			return 1;
	return 0;
}

/* Chooses the partner sets of every group from the suppressed positions. */
static int proofs_sets(const struct sdc_problem *p, const struct readers *R,
		       const unsigned char *supp, size_t ncells, struct proofs *P)
{
	size_t ng = R->ngroups, np = ng - 1;
	unsigned char *at = calloc(ng * R->npos + 1, 1);
	size_t *score = malloc((np + 1) * sizeof *score), *order = malloc((np + 1) * sizeof *order);
	int rc = -1;

	P->set = malloc((ng * R->nsets * PROOF_PARTNERS + 1) * sizeof *P->set);
	if (!at || !score || !order || !P->set)
		goto out;
	/* 1: suppressed; 3: suppressed and above 0 (a partner that can go down as g goes up) */
	for (size_t c = 0; c < ncells; c++)
		if (supp[c] && R->pos[c] != SIZE_MAX)
			at[R->group[c] * R->npos + R->pos[c]] =
				sdc_cell_value(p, c) > 0 ? 3 : 1;
	for (size_t g = 0; g < ng; g++) {
		size_t n = 0, *set = P->set + g * R->nsets * PROOF_PARTNERS;
		for (size_t k = 0; k < R->nsets * PROOF_PARTNERS; k++)
			set[k] = SIZE_MAX;
		for (size_t h = 0; h < np; h++) {
			if (h == g)
				continue;
			score[h] = 0;
			for (size_t q = 0; q < R->npos; q++)
				score[h] += at[g * R->npos + q] ? at[h * R->npos + q] : 0u;
			if (score[h] == 0)
				continue;
			/* insertion by score, then group order: the same input, the same sets */
			size_t k = n++;
			while (k > 0 && score[order[k - 1]] < score[h]) {
				order[k] = order[k - 1];
				k--;
			}
			order[k] = h;
		}
		for (size_t k = 0; k < n && k < R->nsets * PROOF_PARTNERS; k++)
			set[(k % R->nsets) * PROOF_PARTNERS + k / R->nsets] = order[k];
	}
	rc = 0;
out:
	free(at);
	free(score);
	free(order);
	return rc;
}

/*
 * The restricted views: fills P (P->set NULL when no proof is possible, and then nothing is
 * proven).
 */
static int proofs_build(const struct linked *real, const unsigned char *supp,
			const struct readers *R, const struct audit_options *aopt,
			const unsigned char *sensitive, const unsigned char *want,
			struct proofs *P, size_t *n_lp, size_t budget, struct diag_list *d)
{
	size_t n = real->ncells, nsing = 0, nat = R->ngroups - 1;
	unsigned char *sub = NULL, *focus = NULL;
	size_t *list = NULL;
	int rc = -1;

	memset(P, 0, sizeof *P);
	P->n = n;
	if (!R->group || R->ngroups < 2 || (aopt->flags & AUDIT_EXACT) ||
	    !(aopt->min_width <= 1 || aopt->protect_zeros))
		return 0;
	P->slot = malloc((R->n + 1) * sizeof *P->slot);
	if (!P->slot)
		goto nomem;
	for (size_t i = 0; i < R->n; i++)
		P->slot[i] = R->r[i].kind == PROTECT_SINGLETON && R->r[i].ga != nat ? nsing++
										 : SIZE_MAX;
	sub = calloc(n + 1, 1);
	focus = calloc(n + 1, 1);
	list = malloc((n + 1) * sizeof *list);
	P->pass = calloc(R->nsets * n + 1, 1);
	P->spass = calloc(nsing * n + 1, 1);
	if (!sub || !focus || !list || !P->pass || !P->spass || proofs_sets(real->p, R, supp, n, P))
		goto nomem;
	for (size_t g = 0; g < R->ngroups && *n_lp <= budget; g++) {
		for (size_t j = 0; want[g] && j < R->nsets; j++) {
			struct audit_session *sess = NULL;
			struct audit_result res;
			size_t nl = 0;
			for (size_t c = 0; c < n; c++) {
				size_t h = R->group[c];
				sub[c] = supp[c] && (h == g || h == nat || proof_in_set(R, P, g, j, h));
				if (sub[c] && h == g && sensitive[c]) {
					focus[c] = 1;
					list[nl++] = c;
				}
			}
			if (nl == 0)
				continue;
			if (audit_session_new(real->p, sub, aopt, &sess, d) != SDC_OK)
				goto out;
			if (audit_session_run(sess, NULL, 0, focus, &res, d) != SDC_OK) {
				audit_session_free(sess);
				goto out;
			}
			*n_lp += res.n_lp;
			for (size_t k = 0; k < res.n; k++)
				P->pass[j * n + res.cells[k].cell] = (unsigned char)res.cells[k].pass;
			audit_result_release(&res);
			for (size_t k = 0; k < nl; k++)
				focus[list[k]] = 0;
			/* the singletons of g, each with its own cell known */
			for (size_t i = 0; j == 0 && g != nat && i < R->n; i++) {
				const struct reader *x = &R->r[i];
				size_t kc = x->kind == PROTECT_SINGLETON ? R->cells[x->first] : 0, m = 0;
				if (P->slot[i] == SIZE_MAX || x->ga != g || !sub[kc])
					continue;
				/* not a cell that fails in this view already: knowing kc too, the
				   singleton deduces at least as much, so it fails for it as well */
				for (size_t k = 0; k < x->focus_n; k++) {
					size_t c = R->cells[x->focus_first + k];
					if (sub[c] && sensitive[c] && c != kc && P->pass[c]) {
						focus[c] = 1;
						list[m++] = c;
					}
				}
				if (m == 0)
					continue;
				if (audit_session_run(sess, &kc, 1, focus, &res, d) != SDC_OK) {
					audit_session_free(sess);
					goto out;
				}
				*n_lp += res.n_lp;
				for (size_t k = 0; k < res.n; k++)
					P->spass[P->slot[i] * n + res.cells[k].cell] =
						(unsigned char)res.cells[k].pass;
				audit_result_release(&res);
				for (size_t k = 0; k < m; k++)
					focus[list[k]] = 0;
			}
			audit_session_free(sess);
		}
	}
	rc = 0;
	goto out;
nomem:
	sdc_error(d, "out of memory");
out:
	free(sub);
	free(focus);
	free(list);
	if (rc)
		proofs_release(P);
	return rc;
}

/*
 * Audits the view of every reader of R on the system real (true values) with suppression
 * supp. Failures go to F; the outsider's full result to *outsider when not NULL (caller
 * releases). A reader's view differs from the outsider's only in the components holding its
 * cells, but each view is one audit here: the linked MAPPA system is one component.
 */
static int audit_readers(const struct linked *real, const unsigned char *supp,
			 const struct readers *R, const struct audit_options *aopt,
			 const unsigned char *sensitive,
			 const unsigned char *recheck, const struct failures *prev,
			 struct failures *F, struct audit_result *outsider, size_t *n_lp,
			 size_t budget, struct diag_list *d)
{
	struct audit_session *sess = NULL;
	struct proofs P;
	unsigned char *focus = calloc(real->ncells + 1, 1), *own = calloc(real->ncells + 1, 1);
	unsigned char *ofail = calloc(real->ncells + 1, 1), *want = NULL, *ask = NULL;
	size_t *list = malloc((real->ncells + 1) * sizeof *list), p = 0, plp = 0;
	int rc = -1;

	F->n = 0;
	memset(&P, 0, sizeof P);
	if (!focus || !own || !list || !ofail) {
		sdc_error(d, "out of memory");
		goto out;
	}
	/* the groups whose cells some reader audits: every one, or after the first round those
	   of the cells rechecked */
	want = calloc(R->ngroups + 1, 1);
	if (!want) {
		sdc_error(d, "out of memory");
		goto out;
	}
	/*
	 * and the cells they audit: every sensitive one, or after the first round only those
	 * that can have changed (intervals only widen as suppression grows): the sensitive cells
	 * rechecked and the cells that failed
	 */
	ask = recheck ? calloc(real->ncells + 1, 1) : NULL;
	if (recheck && !ask) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t c = 0; ask && c < real->ncells; c++)
		ask[c] = recheck[c] && sensitive[c]; /* only the outsider audits others */
	for (size_t q = 0; ask && q < prev->n; q++)
		ask[prev->f[q].cell] = sensitive[prev->f[q].cell];
	for (size_t c = 0; R->group && c < real->ncells; c++)
		if (ask ? ask[c] : sensitive[c])
			want[R->group[c]] = 1;
	if (R->n > 1 && proofs_build(real, supp, R, aopt, ask ? ask : sensitive, want, &P,
				     n_lp ? n_lp : &plp, budget, d))
		goto out;
	if (audit_session_new(real->p, supp, aopt, &sess, d) != SDC_OK)
		goto out;
	for (size_t i = 0; i < R->n; i++) {
		const struct reader *x = &R->r[i];
		struct audit_result res;
		int any = 0, r;

		if ((n_lp ? *n_lp : plp) > budget) {
			rc = 1; /* the work budget is spent: the caller says so */
			goto out;
		}

		for (size_t k = 0; k < x->n; k++)
			any |= supp[R->cells[x->first + k]];
		if (x->kind != PROTECT_OUTSIDER && !any)
			continue; /* knows nothing suppressed: sees what the outsider sees */
		if (!recheck && x->kind == PROTECT_OUTSIDER) {
			r = audit_session_run(sess, NULL, 0, NULL, &res, d);
		} else {
			size_t nl = 0, w = 0;
			if (!recheck && x->focus_n) {
				/* the sensitive cells it does not know */
				for (size_t k = 0; k < x->focus_n; k++)
					if (sensitive[R->cells[x->focus_first + k]])
						list[nl++] = R->cells[x->focus_first + k];
			} else if (!recheck) {
				for (size_t c = 0; c < real->ncells; c++)
					if (sensitive[c] && supp[c])
						list[nl++] = c;
			} else {
				/* only what can have changed: the new cells and this reader's failures */
				for (size_t k = 0; k < x->focus_n; k++)
					own[R->cells[x->focus_first + k]] = 1;
				for (size_t c = 0; c < real->ncells; c++)
					if (recheck[c] && (!x->focus_n || own[c]) && !focus[c] &&
					    (x->kind == PROTECT_OUTSIDER || sensitive[c])) {
						focus[c] = 1;
						list[nl++] = c;
					}
				for (; p < prev->n && prev->f[p].reader <= i; p++)
					if (prev->f[p].reader == i && !focus[prev->f[p].cell]) {
						focus[prev->f[p].cell] = 1;
						list[nl++] = prev->f[p].cell;
					}
				/*
				 * and the outsider's: a reader who knew nothing suppressed last round
				 * was not audited then (it saw what the outsider saw), and a cell that
				 * failed for the outsider fails for every reader that does not know it
				 */
				for (size_t q = 0; i > 0 && q < prev->n && prev->f[q].reader == 0; q++)
					if (!focus[prev->f[q].cell] &&
					    (!x->focus_n || own[prev->f[q].cell]) &&
					    sensitive[prev->f[q].cell]) {
						focus[prev->f[q].cell] = 1;
						list[nl++] = prev->f[q].cell;
					}
				for (size_t k = 0; k < x->focus_n; k++)
					own[R->cells[x->focus_first + k]] = 0;
				for (size_t k = 0; k < nl; k++)
					focus[list[k]] = 0;
			}
			/*
			 * What a restricted view proves needs no LP of the whole system; a cell that
			 * fails for the outsider this round fails for every reader who does not know
			 * it (it is repaired for the outsider, and the next round rechecks it for
			 * every reader).
			 */
			for (size_t k = 0; k < nl; k++)
				if (!ofail[list[k]] && !proven(R, &P, i, list[k]))
					list[w++] = list[k];
			nl = w;
			if (nl == 0)
				continue;
			for (size_t k = 0; k < nl; k++)
				focus[list[k]] = 1;
			r = audit_session_run(sess, x->kind == PROTECT_OUTSIDER ? NULL
						: R->cells + x->first, x->n, focus, &res, d);
			for (size_t k = 0; k < nl; k++)
				focus[list[k]] = 0;
		}
		if (r != SDC_OK)
			goto out;
		if (n_lp)
			*n_lp += res.n_lp;
		for (size_t j = 0; j < res.n; j++) {
			const struct audit_cell *ac = &res.cells[j];
			struct failure *f;
			if (ac->pass)
				continue;
			if (grow_array((void **)&F->f, &F->alloc, F->n + 1, sizeof *F->f)) {
				audit_result_release(&res);
				sdc_error(d, "out of memory");
				goto out;
			}
			f = &F->f[F->n++];
			f->reader = i;
			f->cell = ac->cell;
			f->ilo = ac->ilo;
			f->ihi = ac->ihi;
			f->exact = ac->exact;
		}
		if (x->kind == PROTECT_OUTSIDER)
			for (size_t j = 0; j < res.n; j++)
				ofail[res.cells[j].cell] = !res.cells[j].pass;
		if (x->kind == PROTECT_OUTSIDER && outsider)
			*outsider = res;
		else
			audit_result_release(&res);
	}
	rc = 0;
out:
	audit_session_free(sess);
	proofs_release(&P);
	free(focus);
	free(ofail);
	free(want);
	free(ask);
	free(own);
	free(list);
	return rc;
}

static void audit_options_for(struct audit_options *aopt, const struct policy *pol,
			      const int64_t *range, int exact)
{
	audit_options_init(aopt);
	aopt->min_width = pol->min_width;
	aopt->protect_zeros = pol->area.protect_zeros || pol->national.protect_zeros;
	aopt->flags = AUDIT_TRUTH | (exact ? AUDIT_EXACT : 0u);
	aopt->range_max = range;
}

/* protect_audit_known with its failures in d, without a file (see relay). */
static int audit_known(const struct dataset *ds, const struct defs *defs,
		       const struct policy *pol, const struct dataset *known,
		       unsigned attackers, int exact, struct protect_interval **out, size_t *nout,
		       struct protect_summary *sum, struct diag_list *d)
{
	struct linked L;
	struct audit_options opt;
	struct audit_result res;
	struct readers R;
	struct failures F = { NULL, 0, 0 };
	unsigned char *suppressed = NULL, *sensitive = NULL;
	int64_t *range = NULL;
	struct timespec t0;
	size_t n_lp = 0, k = 0;
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
	if (!suppressed || !range) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < L.ncells; c++)
		suppressed[c] = (unsigned char)suppressed_status(ds->obs[L.cell_row[c]].status);
	sensitive = sensitive_build(ds, &L, pol);
	if (!sensitive || readers_build(ds, &L, pol, attackers | PROTECT_OUTSIDER, suppressed, &R)) {
		sdc_error(d, "out of memory");
		goto out;
	}
	audit_options_for(&opt, pol, range, exact);
	if (attackers == PROTECT_OUTSIDER)
		opt.flags &= ~AUDIT_TRUTH; /* the values of suppressed cells are not there */
	if (audit_readers(&L, suppressed, &R, &opt, sensitive, NULL, NULL, &F, &res, &n_lp, SIZE_MAX,
			  d))
		goto out;
	*out = calloc(res.n + F.n + 1, sizeof **out);
	if (!*out) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < res.n; i++) {
		const struct audit_cell *ac = &res.cells[i];
		struct protect_interval *pi = &(*out)[k++];
		pi->row = L.cell_row[ac->cell];
		pi->lo = ac->ilo;
		pi->hi = ac->ihi == INT64_MAX ? -1 : ac->ihi;
		pi->exact = ac->exact;
		pi->pass = ac->pass;
		pi->attacker = PROTECT_OUTSIDER;
		snprintf(pi->who, sizeof pi->who, "outsider");
		pi->known_row = SIZE_MAX;
	}
	for (size_t i = 0; i < F.n; i++) {
		const struct failure *f = &F.f[i];
		const struct reader *x = &R.r[f->reader];
		struct protect_interval *pi;
		if (x->kind == PROTECT_OUTSIDER)
			continue; /* already listed */
		pi = &(*out)[k++];
		pi->row = L.cell_row[f->cell];
		pi->lo = f->ilo;
		pi->hi = f->ihi == INT64_MAX ? -1 : f->ihi;
		pi->exact = f->exact;
		pi->pass = 0;
		pi->attacker = x->kind;
		snprintf(pi->who, sizeof pi->who, "%s", x->who);
		pi->known_row = x->known_row;
	}
	*nout = k;
	if (sum) {
		sum->audited = res.n;
		sum->audit_failures = F.n;
		sum->cells = L.ncells;
		sum->relations = L.relations;
		sum->inequalities = L.inequalities;
		sum->readers = R.n;
		sum->seconds_audit = seconds_since(&t0);
	}
	result = 0;
out:
	audit_result_release(&res);
	free(F.f);
	readers_release(&R);
	free(suppressed);
	free(sensitive);
	free(range);
	linked_release(&L);
	return result;
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
	int r = audit_known(ds, defs, pol, known, attackers, exact, out, nout, sum, &e);

	if (r != 0)
		relay(d, &e, name, "A01");
	diag_clear(&e);
	return r;
}

int protect_attach_truth(struct dataset *pub, const struct dataset *truth, const char *name,
			 struct diag_list *d)
{
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
		if (!t || t->status == OBS_MISSING) {
			diag_add(d, name, 0, "A03", DIAG_ERROR, "%s has a figure the confidential dataset lacks", o->area);
			return -1;
		}
		if (o->status == OBS_OK && t->value != o->value) {
			diag_add(d, name, 0, "A03", DIAG_ERROR, "%s: a published figure (%lld) differs from the "
				 "confidential dataset (%lld)", o->area, o->value, t->value);
			return -1;
		}
		if (o->status != OBS_OK)
			o->value = t->value;
	}
	return 0;
}

/* Bounds the repair: each round adds at least one cell or stops. */
#define REPAIR_ROUNDS_MAX 200

/*
 * Bounds the work: the LPs suppression may solve for one dataset (the audits of every reader
 * and each repair LP solved). The fixtures take about 3,700, the hardest adversarial inbox
 * about 10,500;
 * a policy that asks for more (minWidth above 1 with zeros published leaves every reader to
 * the LP of the whole system) is refused with S03 in bounded time, never a run without end.
 * A count, not a clock: the same input and policy always give the same answer.
 */
#define PROTECT_LP_BUDGET 30000

/*
 * The repair for one failing cell, as its reader sees it: the cheapest published cells whose
 * suppression lets the cell reach a value that makes its interval meet the policy (min_width
 * above its lowest value, or above the protection range; or min_width below its highest
 * value, or down to 0). The LP's solution is itself a feasible set of values for the new
 * pattern, so the new interval is wide enough. Sets add[] and returns the number of cells; 0
 * when the cell is fine already; SIZE_MAX when nothing can protect it; (size_t)-2 on error.
 * Adds the LPs it solves to *n_lp.
 */
static size_t repair_one(struct audit_widener *wd, const struct failure *f, int64_t width,
			 int64_t rmax, int protect_zeros, unsigned char *up, unsigned char *down,
			 size_t ncells, size_t *n_lp, struct diag_list *d)
{
	int need_width = !(f->ihi == INT64_MAX || f->ihi - f->ilo >= width ||
			   (f->ilo == 0 && f->ihi == 0 && !protect_zeros));
	int need_range = rmax > 0 && f->ilo > 0 && f->ihi <= rmax;
	double tup = -HUGE_VAL, tdown = HUGE_VAL, cup = HUGE_VAL, cdown = HUGE_VAL;
	size_t nup = SIZE_MAX, ndown = SIZE_MAX;
	int r;

	if (need_width) {
		tup = (double)(f->ilo + width);
		tdown = (double)(f->ihi - width);
	}
	if (need_range) {
		tup = tup > (double)(rmax + 1) ? tup : (double)(rmax + 1);
		tdown = tdown < 0.0 ? tdown : 0.0;
	}
	memset(up, 0, ncells);
	memset(down, 0, ncells);
	(*n_lp)++;
	r = audit_widener_solve(wd, f->cell, 1, tup, up, &nup, &cup, d);
	if (r != SDC_OK && r != SDC_EUNSAFE)
		return (size_t)-2;
	if (r != SDC_OK)
		nup = SIZE_MAX;
	if (nup == 0)
		return 0; /* reachable already: no repair, and no second LP to compare it with */
	if (tdown >= 0.0) {
		(*n_lp)++;
		r = audit_widener_solve(wd, f->cell, 0, tdown, down, &ndown, &cdown, d);
		if (r != SDC_OK && r != SDC_EUNSAFE)
			return (size_t)-2;
		if (r != SDC_OK)
			ndown = SIZE_MAX;
	}
	if (ndown == 0)
		return 0;
	if (nup == SIZE_MAX && ndown == SIZE_MAX)
		return SIZE_MAX;
	if (ndown != SIZE_MAX && (nup == SIZE_MAX || cdown < cup))
		memcpy(up, down, ncells);
	return nup != SIZE_MAX && !(ndown != SIZE_MAX && cdown < cup) ? nup : ndown;
}

/* Tells widener w that reader i is the one it repairs for now (*who: the last one). */
static void widener_reader(struct audit_widener *w, const struct readers *R, size_t *who, size_t i)
{
	if (*who == i)
		return;
	if (*who != SIZE_MAX)
		audit_widener_know(w, R->cells + R->r[*who].first, R->r[*who].n, 0);
	audit_widener_know(w, R->cells + R->r[i].first, R->r[i].n, 1);
	*who = i;
}

/* One round of repairs for the failures in P (see repair_loop). */
static int repair_round(const struct linked *real, unsigned char *supp, const struct readers *R,
			const struct audit_options *aopt, const double *weight,
			enum sdc_status *status, unsigned char *fresh, unsigned char *tried,
			unsigned char *up, unsigned char *down, const struct failures *P,
			size_t *added, size_t *lost, size_t *n_lp, struct diag_list *d)
{
	size_t n = real->ncells, ng = R->group ? R->ngroups : 0, nat = ng ? ng - 1 : 0;
	size_t whole_who = SIZE_MAX;
	struct audit_widener **gw = calloc(ng + 1, sizeof(void *)), *whole = NULL;
	size_t *gwho = malloc((ng + 1) * sizeof *gwho);
	unsigned char *active = calloc(n + 1, 1);
	struct proofs S;
	int rc = -1;

	memset(&S, 0, sizeof S);
	if (!gw || !gwho || !active || (ng && proofs_sets(real->p, R, supp, n, &S))) {
		sdc_error(d, "out of memory");
		goto out;
	}
	memset(tried, 0, n);
	for (size_t i = 0; i < P->n && *n_lp <= PROTECT_LP_BUDGET; i++) {
		const struct failure *f = &P->f[i];
		size_t g = ng ? R->group[f->cell] : 0, got = SIZE_MAX;
		int in_view;
		if (tried[f->cell])
			continue; /* one repair a cell a round: what fixes it for one reader often
				     fixes it for the others, and the next round's audit tells */
		tried[f->cell] = 1;
		/* with the outsider alone, its LP of the whole system is the one repair LP of the
		   round, and the area's LP would cost more cells (257, 3,738 on the fixtures
		   instead of 253, 3,515) to save little */
		in_view = ng && (R->n > 1 || R->r[f->reader].kind != PROTECT_OUTSIDER);
		if (in_view && !gw[g]) {
			for (size_t c = 0; c < n; c++) {
				size_t h = R->group[c];
				active[c] = h == g || h == nat;
				for (size_t j = 0; !active[c] && j < R->nsets; j++)
					active[c] = (unsigned char)proof_in_set(R, &S, g, j, h);
			}
			if (audit_widener_new_active(real->p, supp, NULL, active, weight, &gw[g], d) != SDC_OK)
				goto out;
			gwho[g] = SIZE_MAX;
		}
		if (in_view) {
			widener_reader(gw[g], R, &gwho[g], f->reader);
			got = repair_one(gw[g], f, aopt->min_width,
					 aopt->range_max ? aopt->range_max[f->cell] : 0,
					 aopt->protect_zeros, up, down, n, n_lp, d);
			if (got == (size_t)-2)
				goto out;
			/* a repair through a national cell: the view may lack the areas that would
			   make it cheap (a national cell is the sum of them), so the whole system
			   is asked, whose repair costs no more */
			for (size_t c = 0; got != SIZE_MAX && c < n; c++)
				if (up[c] && R->group[c] == nat)
					got = SIZE_MAX;
		}
		if (got == SIZE_MAX) {
			if (!whole) {
				if (audit_widener_new(real->p, supp, weight, &whole, d) != SDC_OK)
					goto out;
				/* the whole system's LP is large, and warm solves from the
				   presolver's vertex take fewer pivots than from all slacks
				   ("columns of two 1s": 3,609 iterations instead of 9,262) */
				audit_widener_start(whole);
				(*n_lp)++;
			}
			widener_reader(whole, R, &whole_who, f->reader);
			got = repair_one(whole, f, aopt->min_width,
					 aopt->range_max ? aopt->range_max[f->cell] : 0,
					 aopt->protect_zeros, up, down, n, n_lp, d);
			if (got == (size_t)-2)
				goto out;
		}
		if (got == SIZE_MAX) {
			*lost = f->cell;
			continue;
		}
		for (size_t c = 0; c < n && got; c++)
			if (up[c] && status[c] == SDC_PUBLISH) {
				status[c] = SDC_SUPPRESS_SECONDARY;
				supp[c] = 1;
				fresh[c] = 1;
				for (size_t h = 0; h < ng; h++)
					if (gw[h])
						audit_widener_suppress(gw[h], c);
				if (whole)
					audit_widener_suppress(whole, c);
				(*added)++;
			}
	}
	rc = 0;
out:
	for (size_t h = 0; gw && h < ng; h++)
		audit_widener_free(gw[h]);
	audit_widener_free(whole);
	free(gw);
	free(gwho);
	free(active);
	proofs_release(&S);
	return rc;
}

/*
 * The one repair loop: audit every reader; for each failing cell, suppress the cheapest
 * published cells that widen it in that reader's view; until every reader passes. A reader
 * widener (one LP over the whole system, solved warm for each of its failing cells) is built
 * once a round. Returns 0 when every reader passes, 1 when a cell cannot be protected (*lost
 * its row), 2 when PROTECT_LP_BUDGET is spent first, -1 on error.
 */
static int repair_loop(const struct linked *real, enum sdc_status *status,
		       const struct readers *R, const unsigned char *sensitive,
		       const struct audit_options *aopt, size_t *rounds, size_t *n_lp, size_t *lost, struct diag_list *d)
{
	size_t n = real->ncells;
	unsigned char *supp = calloc(n + 1, 1), *fresh = calloc(n + 1, 1), *tried = calloc(n + 1, 1);
	unsigned char *up = calloc(n + 1, 1), *down = calloc(n + 1, 1);
	double *weight = malloc((n + 1) * sizeof *weight);
	struct failures F = { NULL, 0, 0 }, P = { NULL, 0, 0 };
	int result = -1, r;
	int monotone = aopt->min_width <= 1 || aopt->protect_zeros;

	*lost = SIZE_MAX;
	if (!supp || !fresh || !tried || !up || !down || !weight) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < n; c++)
		weight[c] = 1.0 + (double)sdc_cell_value(real->p, c); /* small cells first */
	for (*rounds = 0;; (*rounds)++) {
		size_t added = 0;

		for (size_t c = 0; c < n; c++)
			supp[c] = status[c] != SDC_PUBLISH && status[c] != SDC_NOT_APPLICABLE;
		/*
		 * Suppression only grows, so every interval only widens, and a cell that passed
		 * still passes (the rule is monotone but for [0,0] against [0,1] with published
		 * zeros and minWidth above 1): after the first round, each reader rechecks only
		 * the cells suppressed since and the cells that failed for it.
		 */
		r = audit_readers(real, supp, R, aopt, sensitive, *rounds > 0 && monotone ? fresh : NULL,
				  &P, &F, NULL, n_lp, PROTECT_LP_BUDGET, d);
		if (r < 0)
			goto out;
		if (r > 0 || *n_lp > PROTECT_LP_BUDGET) {
			result = 2;
			break;
		}
		memset(fresh, 0, n);
		{
			struct failures t = P;
			P = F;
			F = t;
		}
		if (P.n == 0) {
			result = 0;
			break;
		}
		if (*rounds >= REPAIR_ROUNDS_MAX) {
			*lost = P.f[0].cell;
			result = 1;
			break;
		}
		/*
		 * Failures come grouped by reader, in reader order. The repair LP of a failing cell
		 * is the one of its group (its area or the nation, the group's partner areas and
		 * the nation; every other cell at its value): smaller, and any repair it finds is a
		 * repair of the whole system. Only where it finds none is the LP of the whole
		 * system asked. Each is built once a round, and told in turn what each reader knows.
		 */
		if (repair_round(real, supp, R, aopt, weight, status, fresh, tried, up, down, &P,
				 &added, lost, n_lp, d))
			goto out;
		if (*n_lp > PROTECT_LP_BUDGET) {
			result = 2;
			break;
		}
		if (added == 0) {
			if (*lost == SIZE_MAX)
				*lost = P.f[0].cell;
			result = 1;
			break;
		}
		*lost = SIZE_MAX;
	}
out:
	free(F.f);
	free(P.f);
	free(supp);
	free(fresh);
	free(tried);
	free(up);
	free(down);
	free(weight);
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
		case SDC_NOT_APPLICABLE: o->status = OBS_NA; break;
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

/*
 * The independent check of what is published, from the published rows alone (the outsider:
 * no suppressed value is read). The other readers were audited by the repair loop's last
 * round on the true system, whose rate bounds are those of the first pattern: a rate
 * suppressed since then bounds its count there but not here, so that audit is the stricter.
 */
static int audit_published(struct dataset *ds, const struct defs *defs,
			   const struct policy *pol, const struct dataset *known,
			   struct protect_summary *sum, struct diag_list *d)
{
	struct protect_summary asum;
	struct protect_interval *iv = NULL;
	size_t niv;

	memset(&asum, 0, sizeof asum);
	if (audit_known(ds, defs, pol, known, PROTECT_OUTSIDER, 0, &iv, &niv, &asum, d))
		return -1;
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

/* protect_dataset_known with its failures in d, without a file (see relay). */
static int suppress_known(struct dataset *ds, const struct defs *defs,
			  const struct policy *pol, const struct dataset *known,
			  struct protect_summary *sum, struct diag_list *d)
{
	struct linked L, real;
	struct sdc_options opt;
	struct sdc_report rep;
	struct audit_options aopt;
	struct readers R;
	enum sdc_status *status = NULL;
	unsigned char *supp = NULL, *sensitive = NULL;
	int64_t *range = NULL;
	struct protect_summary local;
	struct timespec t0;
	size_t lost = SIZE_MAX, n_lp = 0;
	int r, result = -1;

	if (!sum)
		sum = &local;
	memset(sum, 0, sizeof *sum);
	memset(&real, 0, sizeof real);
	memset(&R, 0, sizeof R);
	if (ds->stage != STAGE_MERGED) {
		sdc_error(d, "the dataset is not a merged national dataset");
		return -1;
	}
	dataset_sort(ds);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (build(ds, defs, pol, BUILD_PROTECT, known, &L, d))
		return -1;
	status = calloc(L.ncells + 1, sizeof *status);
	supp = calloc(L.ncells + 1, 1);
	if (!status || !supp) {
		sdc_error(d, "out of memory");
		goto out;
	}
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
	r = sdc_suppress(L.p, &opt, status, &rep, d);
	if (r != SDC_OK && r != SDC_EUNSAFE)
		goto out;
	sum->cells = L.ncells;
	sum->relations = L.relations;
	sum->inequalities = L.inequalities;
	if (r == SDC_EUNSAFE) {
		apply_status(ds, defs, &L, status, sum);
		sdc_error(d, "%s", "a protected cell is determined by the tables alone");
		result = -2;
		goto out;
	}
	/*
	 * 2. One repair loop over every reader of the policy (outsider, insiders, singletons), on
	 * the true system: what elimination cannot see (non-negativity, the published rules, what
	 * each insider knows, the protection range) is repaired at least cost.
	 */
	apply_status(ds, defs, &L, status, sum);
	if (build(ds, defs, pol, BUILD_REAL, known, &real, d))
		goto out;
	if (real.ncells != L.ncells) {
		sdc_error(d, "internal error: the systems differ");
		goto out;
	}
	range = range_build(ds, &real, pol);
	sensitive = sensitive_build(ds, &real, pol);
	if (!range || !sensitive) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < L.ncells; c++)
		supp[c] = status[c] != SDC_PUBLISH && status[c] != SDC_NOT_APPLICABLE;
	if (readers_build(ds, &real, pol, protect_attackers(pol), supp, &R)) {
		sdc_error(d, "out of memory");
		goto out;
	}
	audit_options_for(&aopt, pol, range, 0);
	r = repair_loop(&real, status, &R, sensitive, &aopt, &sum->repair_rounds, &n_lp, &lost, d);
	if (r < 0)
		goto out;
	if (r == 2) {
		sdc_error(d, "suppression stopped after %zu LPs: this policy needs more than the "
			 "%d this stage spends on one dataset (minWidth %lld with zeros %s, %zu "
			 "readers); %s", n_lp, PROTECT_LP_BUDGET, (long long)pol->min_width,
			 pol->area.protect_zeros || pol->national.protect_zeros ? "protected"
										 : "published",
			 R.n,
			 !(aopt.min_width <= 1 || aopt.protect_zeros)
				 ? "minWidth 1, or protected zeros, lets most readers be proven in "
				   "their area's view"
				 : aopt.min_width > 1 ? "a smaller minWidth, or a coalition of 1, needs fewer"
						      : "a coalition of 1, or fewer readers, needs fewer");
		sum->stopped = 1;
		result = -2;
		goto out;
	}
	sum->readers = R.n;
	sum->seconds_suppress = seconds_since(&t0);
	apply_status(ds, defs, &L, status, sum);
	ds->stage = STAGE_SUPPRESSED;
	/* 3. The independent audit of what is published. */
	if (audit_published(ds, defs, pol, known, sum, d))
		goto out;
	ds->primary_count = sum->primary;
	ds->secondary_count = sum->secondary;
	ds->secondary_sum = sum->secondary_sum;
	ds->withheld_count = sum->withheld;
	if (sum->audit_failures > 0 || r == 1) {
		if (sum->audit_failures == 0 && lost != SIZE_MAX) {
			const struct obs *o = &ds->obs[L.cell_row[lost]];
			sdc_error(d, "no suppression pattern protects %s %s category '%s' "
				 "level '%s' from every reader the policy names", o->area,
				 dataset_stat_name(defs, o->stat), defs_category_name(o->category),
				 defs_level_name(o->level));
			/* the audit of what is published (the outsider's) passed; that cell fails
			   for another reader */
			sum->audit_failures = 1;
		} else
			sdc_error(d,
				 "the audit finds %zu suppressed cell%s narrower than the policy allows "
				 "(mappa-audit --intervals shows them)",
				 sum->audit_failures, sum->audit_failures == 1 ? "" : "s");
		result = -2;
		goto out;
	}
	result = 0;
out:
	readers_release(&R);
	free(range);
	free(sensitive);
	free(supp);
	free(status);
	linked_release(&real);
	linked_release(&L);
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
	diag_clear(&e);
	return r;
}
