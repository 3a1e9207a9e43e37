/*
 * sdc.c - secondary suppression by Gaussian elimination, with LP repair.
 *
 * The method, in the dual form used here.  Let Z be the space of
 * perturbations y of the cell values that keep every relation true (and
 * empty cells at 0).  A reader who knows the published cells P can tell a
 * cell p exactly from them and the relations iff every y in Z with y_j = 0
 * for all j in P also has y_p = 0.  We keep a basis of
 *	Z(P) = { y in Z : y_j = 0 for j in P }
 * as sparse vectors over the cells, and a count, per cell, of the basis
 * vectors that are non-zero there.  Publishing a candidate c imposes
 * y_c = 0: pick the sparsest basis vector z_k with z_k[c] != 0, subtract
 * multiples of it from the others so that they vanish at c, and drop it.
 * That discloses a protected cell p exactly when the column of p over the
 * basis is a multiple of the column of c; then c is suppressed instead.
 * Candidates are visited from most to least preferred to publish (cost
 * descending, then index), as in GaussSuppression.
 *
 * Arithmetic is exact, modulo the prime 2^61 - 1.  A dependency over the
 * rationals is one modulo p; the converse can fail only if a determinant
 * is a multiple of p, and then the engine errs towards suppressing.  The
 * LP audit that follows is independent of this arithmetic.
 */
#include "sdc.h"

#include "growarray.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"

int sdc_withholds(enum sdc_status s)
{
	return s != SDC_PUBLISH && s != SDC_NOT_APPLICABLE;
}

void sdc_withheld_cells(const enum sdc_status *status, size_t n, unsigned char *supp)
{
	for (size_t c = 0; c < n; c++)
		supp[c] = (unsigned char)sdc_withholds(status[c]);
}

void sdc_options_init(struct sdc_options *opt)
{
	opt->min_width = 1;
	opt->protect_zeros = 0;
	opt->audit = 1;
	opt->max_repairs = 0;
	opt->zero_complements = 0;
}

static double cell_cost(const struct sdc_problem *p, size_t i)
{
	return sdc_cell_cost(p, i);
}

/* ---- arithmetic modulo 2^61 - 1 ---- */

#define MODP ((UINT64_C(1) << 61) - 1)

static uint64_t mod_mul(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;
	uint64_t lo = (uint64_t)(r & MODP);
	uint64_t hi = (uint64_t)(r >> 61);
	uint64_t s = lo + hi;

	if (s >= MODP)
		s -= MODP;
	return s;
}

static uint64_t mod_sub(uint64_t a, uint64_t b)
{
	return a >= b ? a - b : a + MODP - b;
}

static uint64_t mod_inv(uint64_t a)
{
	uint64_t r = 1, e = MODP - 2;

	while (e) {
		if (e & 1)
			r = mod_mul(r, a);
		a = mod_mul(a, a);
		e >>= 1;
	}
	return r;
}

static uint64_t mod_from(int64_t c)
{
	int64_t m = c % (int64_t)MODP;

	if (m < 0)
		m += (int64_t)MODP;
	return (uint64_t)m;
}

/* ---- the elimination state ---- */

struct svec {
	size_t *idx;		/* sorted cell indices */
	uint64_t *val;		/* non-zero values */
	size_t n, cap;
	int alive;
};

struct gauss {
	size_t ncell, nvec;
	struct svec *v;
	size_t **col;		/* per cell: basis vectors (maybe stale) */
	size_t *collen, *colcap;
	size_t *colcnt;		/* exact count of vectors non-zero at cell */
	size_t *stamp;		/* per vector */
	size_t curstamp;
	size_t *stamp2;		/* per vector, per column visit */
	size_t curstamp2;
	size_t *pos;		/* per vector: its place in J */
	size_t *J;		/* gathered vectors */
	uint64_t *JV;
	size_t nJ;
	size_t *sidx;		/* merge scratch */
	uint64_t *sval;
	size_t scap;
	unsigned char *protect;	/* per cell */
};

static void gauss_release(struct gauss *g)
{
	if (g->v) {
		for (size_t i = 0; i < g->nvec; i++) {
			free(g->v[i].idx);
			free(g->v[i].val);
		}
	}
	if (g->col) {
		for (size_t i = 0; i < g->ncell; i++)
			free(g->col[i]);
	}
	free(g->v);
	free(g->col);
	free(g->collen);
	free(g->colcap);
	free(g->colcnt);
	free(g->stamp);
	free(g->stamp2);
	free(g->pos);
	free(g->J);
	free(g->JV);
	free(g->sidx);
	free(g->sval);
	free(g->protect);
	memset(g, 0, sizeof(*g));
}

static int col_push(struct gauss *g, size_t cell, size_t vec)
{
	if (grow_array((void **)&g->col[cell], &g->colcap[cell],
		 g->collen[cell] + 1, sizeof(size_t)))
		return -1;
	g->col[cell][g->collen[cell]++] = vec;
	return 0;
}

static int vec_push(struct svec *v, size_t cell, uint64_t val)
{
	size_t cap = v->cap;

	if (grow_array((void **)&v->idx, &cap, v->n + 1, sizeof(size_t)))
		return -1;
	cap = v->cap;
	if (grow_array((void **)&v->val, &cap, v->n + 1, sizeof(uint64_t)))
		return -1;
	v->cap = cap;
	v->idx[v->n] = cell;
	v->val[v->n] = val;
	v->n++;
	return 0;
}

static uint64_t vec_get(const struct svec *v, size_t cell)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->idx[mid] < cell)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < v->n && v->idx[lo] == cell) ? v->val[lo] : 0;
}

/* Gather into g->J the live vectors non-zero at cell, with their values,
   and compact the column list. */
static void gather(struct gauss *g, size_t cell)
{
	size_t *c = g->col[cell];
	size_t w = 0;

	g->curstamp++;
	g->nJ = 0;
	for (size_t r = 0; r < g->collen[cell]; r++) {
		size_t j = c[r];
		uint64_t x;

		if (!g->v[j].alive || g->stamp[j] == g->curstamp)
			continue;
		x = vec_get(&g->v[j], cell);
		if (x == 0)
			continue;
		g->stamp[j] = g->curstamp;
		c[w++] = j;
		g->J[g->nJ] = j;
		g->JV[g->nJ] = x;
		g->nJ++;
	}
	g->collen[cell] = w;
}

/* Gather the live vectors with non-zero value of the functional f
   (sparse: cells fc[0..nf-1], coefficients fv), walking the columns of
   its cells only. */
static void gather_functional(struct gauss *g, const size_t *fc,
			      const uint64_t *fv, size_t nf, uint64_t *acc)
{
	size_t nj = 0;

	g->curstamp++;
	for (size_t t = 0; t < nf; t++) {
		size_t cell = fc[t];
		size_t visit = ++g->curstamp2;
		for (size_t r = 0; r < g->collen[cell]; r++) {
			size_t j = g->col[cell][r];
			uint64_t x;
			if (!g->v[j].alive || g->stamp2[j] == visit)
				continue;
			g->stamp2[j] = visit;
			x = vec_get(&g->v[j], cell);
			if (x == 0)
				continue;
			if (g->stamp[j] != g->curstamp) {
				g->stamp[j] = g->curstamp;
				g->pos[j] = nj;
				g->J[nj] = j;
				acc[nj++] = 0;
			}
			acc[g->pos[j]] = mod_sub(acc[g->pos[j]],
					 mod_sub(0, mod_mul(fv[t], x)));
		}
	}
	g->nJ = 0;
	for (size_t q = 0; q < nj; q++) {
		if (acc[q] != 0) {
			g->J[g->nJ] = g->J[q];
			g->JV[g->nJ] = acc[q];
			g->nJ++;
		}
	}
}

static size_t pick_pivot(const struct gauss *g)
{
	size_t best = 0;

	for (size_t q = 1; q < g->nJ; q++) {
		const struct svec *a = &g->v[g->J[q]], *b = &g->v[g->J[best]];
		if (a->n < b->n || (a->n == b->n && g->J[q] < g->J[best]))
			best = q;
	}
	return best;
}

/* z_j := z_j - a * z_k */
static int axpy(struct gauss *g, size_t j, size_t k, uint64_t a)
{
	struct svec *zj = &g->v[j];
	const struct svec *zk = &g->v[k];
	size_t need = zj->n + zk->n, x = 0, y = 0, n = 0;

	if (need > g->scap) {
		size_t cap = g->scap;
		if (grow_array((void **)&g->sidx, &cap, need, sizeof(size_t)))
			return -1;
		cap = g->scap;
		if (grow_array((void **)&g->sval, &cap, need, sizeof(uint64_t)))
			return -1;
		g->scap = cap;
	}
	while (x < zj->n || y < zk->n) {
		if (y >= zk->n || (x < zj->n && zj->idx[x] < zk->idx[y])) {
			g->sidx[n] = zj->idx[x];
			g->sval[n++] = zj->val[x++];
		} else if (x >= zj->n || zk->idx[y] < zj->idx[x]) {
			size_t cell = zk->idx[y];
			g->sidx[n] = cell;
			g->sval[n++] = mod_sub(0, mod_mul(a, zk->val[y++]));
			if (col_push(g, cell, j))
				return -1;
			g->colcnt[cell]++;
		} else {
			uint64_t r = mod_sub(zj->val[x], mod_mul(a, zk->val[y]));
			size_t cell = zj->idx[x];
			x++;
			y++;
			if (r == 0) {
				g->colcnt[cell]--;
				continue;
			}
			g->sidx[n] = cell;
			g->sval[n++] = r;
		}
	}
	if (n > zj->cap) {
		size_t cap = zj->cap;
		if (grow_array((void **)&zj->idx, &cap, n, sizeof(size_t)))
			return -1;
		cap = zj->cap;
		if (grow_array((void **)&zj->val, &cap, n, sizeof(uint64_t)))
			return -1;
		zj->cap = cap;
	}
	memcpy(zj->idx, g->sidx, n * sizeof(size_t));
	memcpy(zj->val, g->sval, n * sizeof(uint64_t));
	zj->n = n;
	return 0;
}

/* Impose the functional gathered in g->J/JV (pivot index q). */
static int eliminate(struct gauss *g, size_t q)
{
	size_t k = g->J[q];
	uint64_t inv = mod_inv(g->JV[q]);
	struct svec *zk;

	for (size_t t = 0; t < g->nJ; t++) {
		if (t == q)
			continue;
		if (axpy(g, g->J[t], k, mod_mul(g->JV[t], inv)))
			return -1;
	}
	zk = &g->v[k];
	for (size_t t = 0; t < zk->n; t++)
		g->colcnt[zk->idx[t]]--;
	zk->alive = 0;
	free(zk->idx);
	free(zk->val);
	zk->idx = NULL;
	zk->val = NULL;
	zk->n = zk->cap = 0;
	return 0;
}

/* Would imposing y_c = 0 (gathered in J) make a protected cell determined? */
static int discloses(const struct gauss *g, size_t c, size_t q)
{
	const struct svec *zk = &g->v[g->J[q]];
	uint64_t invc = mod_inv(g->JV[q]);

	for (size_t t = 0; t < zk->n; t++) {
		size_t p = zk->idx[t];
		uint64_t lam;
		int same = 1;

		if (p == c || !g->protect[p] || g->colcnt[p] != g->nJ)
			continue;
		lam = mod_mul(zk->val[t], invc);
		for (size_t s = 0; s < g->nJ && same; s++) {
			if (g->J[s] == g->J[q])
				continue;
			if (vec_get(&g->v[g->J[s]], p) !=
			    mod_mul(lam, g->JV[s]))
				same = 0;
		}
		if (same)
			return 1;
	}
	return 0;
}

struct expansion {
	size_t *leaf;
	int64_t *coef;
	size_t n;
};

/*
 * Build the basis of Z: one vector per non-empty leaf (cell that is no
 * relation's total), holding the leaf's coefficient in every cell's
 * expansion over leaves through the first relation defining each total.
 * Then impose the other relations and the empty totals.
 */
static int gauss_init(struct gauss *g, const struct sdc_problem *p,
		      struct diag_list *d)
{
	size_t n = sdc_problem_ncells(p);
	size_t *def = NULL, *order = NULL, *stack = NULL, *vecof = NULL;
	unsigned char *mark = NULL;
	struct expansion *ex = NULL;
	int64_t *acc = NULL;
	size_t *touched = NULL;
	size_t *fc = NULL;
	uint64_t *fv = NULL, *facc = NULL;
	size_t norder = 0, nvec = 0;
	int rc = SDC_ENOMEM;

	memset(g, 0, sizeof(*g));
	g->ncell = n;
	def = malloc((n + 1) * sizeof(*def));
	order = malloc((n + 1) * sizeof(*order));
	stack = malloc((2 * n + 1) * sizeof(*stack));
	vecof = malloc((n + 1) * sizeof(*vecof));
	mark = calloc(n + 1, 1);
	ex = calloc(n + 1, sizeof(*ex));
	acc = calloc(n + 1, sizeof(*acc));
	touched = malloc((n + 1) * sizeof(*touched));
	g->col = calloc(n + 1, sizeof(*g->col));
	g->collen = calloc(n + 1, sizeof(size_t));
	g->colcap = calloc(n + 1, sizeof(size_t));
	g->colcnt = calloc(n + 1, sizeof(size_t));
	g->protect = calloc(n + 1, 1);
	if (!def || !order || !stack || !vecof || !mark || !ex || !acc ||
	    !touched || !g->col || !g->collen || !g->colcap || !g->colcnt ||
	    !g->protect)
		goto out;
	for (size_t i = 0; i < n; i++) {
		def[i] = SIZE_MAX;
		g->protect[i] = sdc_cell_state(p, i) == SDC_PRIMARY ||
				sdc_cell_state(p, i) == SDC_WITHHELD;
	}
	for (size_t r = sdc_nrelations(p); r-- > 0;) {
		const size_t *mm;
		size_t nn;
		def[sdc_relation(p, r, &mm, &nn)] = r;
	}

	/* post-order over the defining graph; mark 1 = on stack, 2 = done */
	for (size_t s0 = 0; s0 < n; s0++) {
		size_t sp = 0;

		if (mark[s0])
			continue;
		stack[sp++] = s0;
		stack[sp++] = 0;
		mark[s0] = 1;
		while (sp > 0) {
			size_t cell = stack[sp - 2], pos = stack[sp - 1];
			size_t r = def[cell], nm = 0;
			const size_t *mem = NULL;

			if (r != SIZE_MAX)
				(void)sdc_relation(p, r, &mem, &nm);
			if (pos < nm) {
				size_t m = mem[pos];
				stack[sp - 1] = pos + 1;
				if (mark[m] == 1) {
					sdc_error(d, "relations form a "
					       "cycle through cell %zu", m);
					rc = SDC_EINVAL;
					goto out;
				}
				if (mark[m] == 0) {
					if (sp + 2 > 2 * n + 1) {
						rc = SDC_EINVAL;
						goto out;
					}
					mark[m] = 1;
					stack[sp++] = m;
					stack[sp++] = 0;
				}
				continue;
			}
			mark[cell] = 2;
			order[norder++] = cell;
			sp -= 2;
		}
	}

	/* expansions in post-order: members before totals */
	for (size_t o = 0; o < norder; o++) {
		size_t cell = order[o], r = def[cell], nt = 0;

		if (r == SIZE_MAX) {
			if (sdc_cell_state(p, cell) == SDC_EMPTY)
				continue;
			ex[cell].leaf = malloc(sizeof(size_t));
			ex[cell].coef = malloc(sizeof(int64_t));
			if (!ex[cell].leaf || !ex[cell].coef)
				goto out;
			ex[cell].leaf[0] = cell;
			ex[cell].coef[0] = 1;
			ex[cell].n = 1;
			continue;
		}
		const size_t *mem;
		size_t nmem;
		(void)sdc_relation(p, r, &mem, &nmem);
		for (size_t t = 0; t < nmem; t++) {
			const struct expansion *e = &ex[mem[t]];
			for (size_t u = 0; u < e->n; u++) {
				if (acc[e->leaf[u]] == 0)
					touched[nt++] = e->leaf[u];
				acc[e->leaf[u]] += e->coef[u];
				if (acc[e->leaf[u]] == 0)
					acc[e->leaf[u]] = INT64_MIN; /* keep */
			}
		}
		ex[cell].leaf = malloc((nt + 1) * sizeof(size_t));
		ex[cell].coef = malloc((nt + 1) * sizeof(int64_t));
		if (!ex[cell].leaf || !ex[cell].coef)
			goto out;
		for (size_t u = 0; u < nt; u++) {
			size_t l = touched[u];
			if (acc[l] != INT64_MIN) {
				ex[cell].leaf[ex[cell].n] = l;
				ex[cell].coef[ex[cell].n++] = acc[l];
			}
			acc[l] = 0;
		}
	}

	/* one vector per non-empty leaf, entries in cell order */
	for (size_t i = 0; i < n; i++) {
		vecof[i] = SIZE_MAX;
		if (def[i] == SIZE_MAX && sdc_cell_state(p, i) != SDC_EMPTY)
			vecof[i] = nvec++;
	}
	g->nvec = nvec;
	g->v = calloc(nvec + 1, sizeof(*g->v));
	g->stamp = calloc(nvec + 1, sizeof(size_t));
	g->stamp2 = calloc(nvec + 1, sizeof(size_t));
	g->pos = calloc(nvec + 1, sizeof(size_t));
	g->J = malloc((nvec + 1) * sizeof(size_t));
	g->JV = malloc((nvec + 1) * sizeof(uint64_t));
	facc = malloc((nvec + 1) * sizeof(uint64_t));
	if (!g->v || !g->stamp || !g->stamp2 || !g->pos || !g->J || !g->JV ||
	    !facc)
		goto out;
	for (size_t j = 0; j < nvec; j++)
		g->v[j].alive = 1;
	for (size_t c = 0; c < n; c++) {
		for (size_t u = 0; u < ex[c].n; u++) {
			size_t j = vecof[ex[c].leaf[u]];
			uint64_t x = mod_from(ex[c].coef[u]);
			if (x == 0)
				continue;
			if (vec_push(&g->v[j], c, x) || col_push(g, c, j))
				goto out;
			g->colcnt[c]++;
		}
	}

	/* relations other than the defining ones: impose t - sum members */
	{
		size_t fcap = 0;
		for (size_t r = 0; r < sdc_nrelations(p); r++) {
			const size_t *mem;
			size_t nm, nf = 0, t = sdc_relation(p, r, &mem, &nm);
			size_t need;
			if (def[t] == r)
				continue;
			need = nm + 1;
			if (need > fcap) {
				size_t cap = fcap;
				if (grow_array((void **)&fc, &cap, need,
					 sizeof(size_t)))
					goto out;
				cap = fcap;
				if (grow_array((void **)&fv, &cap, need,
					 sizeof(uint64_t)))
					goto out;
				fcap = cap;
			}
			fc[nf] = t;
			fv[nf++] = 1;
			for (size_t u = 0; u < nm; u++) {
				fc[nf] = mem[u];
				fv[nf++] = MODP - 1;
			}
			gather_functional(g, fc, fv, nf, facc);
			if (g->nJ > 0 && eliminate(g, pick_pivot(g)))
				goto out;
		}
	}
	/* empty totals are known zeros */
	for (size_t c = 0; c < n; c++) {
		if (sdc_cell_state(p, c) != SDC_EMPTY || g->colcnt[c] == 0)
			continue;
		gather(g, c);
		if (g->nJ > 0 && eliminate(g, pick_pivot(g)))
			goto out;
	}
	rc = SDC_OK;
out:
	if (rc == SDC_ENOMEM)
		sdc_error(d, "out of memory");
	if (ex) {
		for (size_t i = 0; i < n; i++) {
			free(ex[i].leaf);
			free(ex[i].coef);
		}
	}
	free(def);
	free(order);
	free(stack);
	free(vecof);
	free(mark);
	free(ex);
	free(acc);
	free(touched);
	free(fc);
	free(fv);
	free(facc);
	if (rc != SDC_OK)
		gauss_release(g);
	return rc;
}

struct keyed {
	double key;
	int zero;
	size_t cell;
};

/* most preferred to publish first: zeros (never useful complements),
   then cost descending, then cell index */
static int cmp_publish_first(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->zero != y->zero)
		return y->zero - x->zero;
	if (x->key > y->key)
		return -1;
	if (x->key < y->key)
		return 1;
	return (x->cell > y->cell) - (x->cell < y->cell);
}

static void initial_status(const struct sdc_problem *p,
			   enum sdc_status *status)
{
	for (size_t i = 0; i < sdc_problem_ncells(p); i++) {
		switch (sdc_cell_state(p, i)) {
		case SDC_PRIMARY:
			status[i] = SDC_SUPPRESS_PRIMARY;
			break;
		case SDC_WITHHELD:
			status[i] = SDC_SUPPRESS_WITHHELD;
			break;
		case SDC_EMPTY:
			status[i] = SDC_NOT_APPLICABLE;
			break;
		default:
			if (status[i] != SDC_SUPPRESS_SECONDARY)
				status[i] = SDC_PUBLISH;
			break;
		}
	}
}

static int gauss_run(const struct sdc_problem *p, enum sdc_status *status,
		     int zeros_last, size_t *n_unprotectable,
		     unsigned char *lost, struct diag_list *d)
{
	struct gauss g;
	struct keyed *cand = NULL;
	size_t nc = 0;
	int rc;

	initial_status(p, status);
	rc = gauss_init(&g, p, d);
	if (rc != SDC_OK)
		return rc;
	rc = SDC_ENOMEM;
	*n_unprotectable = 0;
	for (size_t i = 0; i < sdc_problem_ncells(p); i++) {
		if (g.protect[i] && g.colcnt[i] == 0) {
			(*n_unprotectable)++;
			if (lost)
				lost[i] = 1;
		}
	}
	cand = malloc((sdc_problem_ncells(p) + 1) * sizeof(*cand));
	if (cand == NULL)
		goto out;
	for (size_t i = 0; i < sdc_problem_ncells(p); i++) {
		if (sdc_cell_state(p, i) == SDC_CANDIDATE && status[i] == SDC_PUBLISH) {
			cand[nc].key = cell_cost(p, i);
			cand[nc].zero = zeros_last && sdc_cell_value(p, i) == 0 &&
					!sdc_cell_has_cost(p, i);
			cand[nc++].cell = i;
		}
	}
	qsort(cand, nc, sizeof(*cand), cmp_publish_first);
	for (size_t t = 0; t < nc; t++) {
		size_t c = cand[t].cell, q;

		if (g.colcnt[c] == 0)
			continue;	/* already determined: publish */
		gather(&g, c);
		q = pick_pivot(&g);
		if (discloses(&g, c, q)) {
			status[c] = SDC_SUPPRESS_SECONDARY;
			continue;
		}
		if (eliminate(&g, q))
			goto out;
	}
	rc = SDC_OK;
out:
	if (rc == SDC_ENOMEM)
		sdc_error(d, "out of memory");
	free(cand);
	gauss_release(&g);
	return rc;
}

int sdc_gauss(const struct sdc_problem *p, enum sdc_status *status,
	      struct diag_list *d)
{
	size_t nu = 0;
	int rc;

	for (size_t i = 0; i < sdc_problem_ncells(p); i++)
		status[i] = SDC_PUBLISH;
	rc = gauss_run(p, status, 1, &nu, NULL, d);

	if (rc == SDC_OK && nu > 0) {
		sdc_error(d, "%zu protected cell(s) are determined by "
		       "the relations alone", nu);
		rc = SDC_EUNSAFE;
	}
	return rc;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int is_suppressed(enum sdc_status s)
{
	return s == SDC_SUPPRESS_PRIMARY || s == SDC_SUPPRESS_SECONDARY ||
	       s == SDC_SUPPRESS_WITHHELD;
}

/* The round's repair LP, or a fresh one for a cell suppressed after it
   was built. */
static int widen(const struct sdc_problem *p, const unsigned char *supp,
		 struct audit_widener *wd, size_t f, int up, double target,
		 const double *weight, unsigned char *add, size_t *nadd,
		 double *cost, struct diag_list *d)
{
	int rc = audit_widener_solve(wd, f, up, target, add, nadd, cost, d);

	if (rc == SDC_EINVAL) {
		/* suppressed after the round's LP was built */
		struct audit_widener *w1 = NULL;
		rc = audit_widener_new(p, supp, weight, &w1, d);
		if (rc == SDC_OK)
			rc = audit_widener_solve(w1, f, up, target, add, nadd,
						 cost, d);
		audit_widener_free(w1);
	}
	return rc;
}

int sdc_suppress(const struct sdc_problem *p, const struct sdc_options *opt,
		 enum sdc_status *status, struct sdc_report *report,
		 struct diag_list *d)
{
	struct sdc_options defopt;
	struct sdc_report rep;
	struct audit_options aopt;
	struct audit_result ares;
	struct audit_widener *wd = NULL;
	unsigned char *supp = NULL, *lost = NULL, *add = NULL, *add2 = NULL;
	double *weight = NULL;
	double t0;
	size_t nlost = 0;
	int rc = SDC_ENOMEM;

	memset(&rep, 0, sizeof(rep));
	for (size_t k = 0; k < SDC_REPORT_CELLS; k++)
		rep.unprotectable[k] = SIZE_MAX;
	memset(&ares, 0, sizeof(ares));
	if (opt == NULL) {
		sdc_options_init(&defopt);
		opt = &defopt;
	}
	if (opt->min_width < 0) {
		sdc_error(d, "minimum width %lld is negative",
		       (long long)opt->min_width);
		return SDC_EINVAL;
	}
	supp = calloc(sdc_problem_ncells(p) + 1, 1);
	lost = calloc(sdc_problem_ncells(p) + 1, 1);
	add = calloc(sdc_problem_ncells(p) + 1, 1);
	add2 = calloc(sdc_problem_ncells(p) + 1, 1);
	weight = malloc((sdc_problem_ncells(p) + 1) * sizeof(*weight));
	if (!supp || !lost || !add || !add2 || !weight) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < sdc_problem_ncells(p); i++) {
		status[i] = SDC_PUBLISH;
		/* repair price per unit moved: small cells first */
		weight[i] = 1.0 + fabs(cell_cost(p, i));
	}
	t0 = now_seconds();
	rc = gauss_run(p, status, !opt->zero_complements,
		       &rep.n_unprotectable, lost, d);
	rep.seconds_gauss = now_seconds() - t0;
	if (rc != SDC_OK)
		goto out;
	for (size_t i = 0; i < sdc_problem_ncells(p) && nlost < SDC_REPORT_CELLS; i++)
		if (lost[i])
			rep.unprotectable[nlost++] = i;
	while (nlost < SDC_REPORT_CELLS)
		rep.unprotectable[nlost++] = SIZE_MAX;

	t0 = now_seconds();
	audit_options_init(&aopt);
	aopt.min_width = opt->min_width;
	aopt.protect_zeros = opt->protect_zeros;
	while (opt->audit) {
		size_t nfix = 0;

		for (size_t i = 0; i < sdc_problem_ncells(p); i++)
			supp[i] = (unsigned char)is_suppressed(status[i]);
		audit_result_release(&ares);
		rc = audit_run(p, supp, &aopt, &ares, d);
		rep.n_audit_rounds++;
		if (rc != SDC_OK)
			goto out;
		rep.n_audit_fail = ares.n_fail;
		audit_widener_free(wd);
		wd = NULL;
		if (ares.n_fail > 0) {
			rc = audit_widener_new(p, supp, weight, &wd, d);
			if (rc != SDC_OK)
				goto out;
		}
		/* repair every failing cell in index order.  Suppression only
		   grows, so the interval found by the audit is still inside
		   the cell's interval: the cell passes if the repair LP can
		   push it min_width above the old minimum or below the old
		   maximum without new cells.  Otherwise take the cheaper of
		   the two repairs (up on a tie). */
		for (size_t t = 0; t < ares.n; t++) {
			size_t f = ares.cells[t].cell, nup = 0, ndown = 0;
			double ilo = ceil(ares.cells[t].lo - 1e-6);
			double ihi = floor(ares.cells[t].hi + 1e-6);
			double wdt = (double)opt->min_width, cup = 0, cdown = 0;
			int rup, rdown = SDC_EUNSAFE;
			unsigned char *use;

			if (ares.cells[t].pass || lost[f])
				continue;
			memset(add, 0, sdc_problem_ncells(p));
			rup = widen(p, supp, wd, f, 1, ilo + wdt, weight, add,
				    &nup, &cup, d);
			if (rup != SDC_OK && rup != SDC_EUNSAFE) {
				rc = rup;
				goto out;
			}
			if (rup == SDC_OK && nup == 0 && nfix > 0)
				continue;	/* fixed by an earlier repair */
			if (ihi - wdt >= 0.0) {
				memset(add2, 0, sdc_problem_ncells(p));
				rdown = widen(p, supp, wd, f, 0, ihi - wdt,
					      weight, add2, &ndown, &cdown, d);
				if (rdown != SDC_OK && rdown != SDC_EUNSAFE) {
					rc = rdown;
					goto out;
				}
				if (rdown == SDC_OK && ndown == 0 && nfix > 0)
					continue;
			}
			nfix++;
			if ((rup != SDC_OK || nup == 0) &&
			    (rdown != SDC_OK || ndown == 0)) {
				lost[f] = 1;	/* nothing can widen it */
				continue;
			}
			if (opt->max_repairs &&
			    rep.n_repairs >= opt->max_repairs) {
				lost[f] = 1;
				continue;
			}
			use = add;
			if (rup != SDC_OK || nup == 0 ||
			    (rdown == SDC_OK && ndown > 0 && cdown < cup))
				use = add2;
			for (size_t c = 0; c < sdc_problem_ncells(p); c++) {
				if (!use[c])
					continue;
				status[c] = SDC_SUPPRESS_SECONDARY;
				supp[c] = 1;
				audit_widener_suppress(wd, c);
				rep.n_repairs++;
			}
		}
		if (nfix == 0)
			break;
	}
	rep.seconds_audit = now_seconds() - t0;
	rc = SDC_OK;
	if (opt->audit && ares.n_fail > 0) {
		rc = SDC_EUNSAFE;
		sdc_error(d, "%zu suppressed cell(s) fail the audit",
		       ares.n_fail);
	} else if (rep.n_unprotectable > 0) {
		rc = SDC_EUNSAFE;
		sdc_error(d, "%zu protected cell(s) are determined by "
		       "the relations alone", rep.n_unprotectable);
	}
	for (size_t i = 0; i < sdc_problem_ncells(p); i++) {
		switch (status[i]) {
		case SDC_SUPPRESS_PRIMARY:
			rep.n_primary++;
			break;
		case SDC_SUPPRESS_WITHHELD:
			rep.n_withheld++;
			break;
		case SDC_SUPPRESS_SECONDARY:
			rep.n_secondary++;
			rep.sum_secondary += sdc_cell_value(p, i);
			break;
		default:
			break;
		}
	}
out:
	if (report)
		*report = rep;
	audit_result_release(&ares);
	audit_widener_free(wd);
	free(supp);
	free(lost);
	free(add);
	free(add2);
	free(weight);
	return rc;
}
