/*
 * audit.c - interval audit of a suppression pattern by LP (GLPK).
 */
#include "audit.h"

#include "growarray.h"
#include "unionfind.h"

#include <glpk.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#define AUDIT_EPS 1e-6

void audit_options_init(struct audit_options *opt)
{
	opt->min_width = 1;
	opt->protect_zeros = 0;
	opt->flags = 0;
	opt->range_max = NULL;
	opt->pass_above = NULL;
	opt->zero_sib = NULL;
}

void audit_result_release(struct audit_result *res)
{
	if (res == NULL)
		return;
	free(res->cells);
	memset(res, 0, sizeof(*res));
}

const struct audit_cell *audit_result_find(const struct audit_result *res,
					   size_t cell)
{
	size_t lo = 0, hi = res->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (res->cells[mid].cell < cell)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < res->n && res->cells[lo].cell == cell) ? &res->cells[lo]
							    : NULL;
}

/* The linear system over the suppressed cells. */
struct system {
	const unsigned char *st;	/* the problem's states and values (sdc_cell_states) */
	const int64_t *val;
	size_t nvar;
	size_t *cell_of;	/* var -> cell */
	size_t *var_of;		/* cell -> var or SIZE_MAX */
	size_t nrow;
	size_t *row_start;	/* nrow + 1 */
	size_t *row_var;
	double *row_coef;
	double *row_rhs;
	unsigned char *row_leq;	/* 1: <= rhs; 0: = rhs */
	size_t nnz, cap, rowcap;
	/* var -> bounds from its inequalities with no other unknown (-/+HUGE_VAL: none),
	   which are bounds of the column, not rows: the LPs are smaller (the fixtures: 262
	   of 1,764 rows of the whole system) */
	double *var_lo, *var_hi;
	/* components */
	size_t *comp_of;	/* var -> component */
	size_t ncomp;
	size_t *comp_vstart, *comp_vars;	/* CSR over components */
	size_t *comp_rstart, *comp_rows;
};

static void system_release(struct system *s)
{
	free(s->cell_of);
	free(s->var_of);
	free(s->row_start);
	free(s->row_var);
	free(s->row_coef);
	free(s->row_rhs);
	free(s->row_leq);
	free(s->var_lo);
	free(s->var_hi);
	free(s->comp_of);
	free(s->comp_vstart);
	free(s->comp_vars);
	free(s->comp_rstart);
	free(s->comp_rows);
	memset(s, 0, sizeof(*s));
}

/* Whether a cell is known to the reader (empty, or not suppressed), and its value then. */
static int known(const unsigned char *st, const unsigned char *supp, size_t cell)
{
	return st[cell] == SDC_EMPTY || !supp[cell];
}

static double known_value(const unsigned char *st, const int64_t *val, size_t cell)
{
	return st[cell] == SDC_EMPTY ? 0.0 : (double)val[cell];
}

/* Add one row: cells[i] with coefficients coef[i]; op: 0 '=', 1 '<='. */
static int add_row(struct system *s, const unsigned char *supp, const size_t *cells,
		   const double *coef, size_t n, int leq, double *acc,
		   struct diag_list *d)
{
	double rhs = 0.0;
	size_t start = s->nnz, cap;

	for (size_t i = 0; i < n; i++) {
		size_t c = cells[i];
		if (known(s->st, supp, c)) {
			rhs -= coef[i] * known_value(s->st, s->val, c);
			continue;
		}
		if (acc[s->var_of[c]] == 0.0) {
			cap = s->cap;
			if (grow_array((void **)&s->row_var, &cap, s->nnz + 1,
				 sizeof(size_t)))
				return SDC_ENOMEM;
			cap = s->cap;
			if (grow_array((void **)&s->row_coef, &cap, s->nnz + 1,
				 sizeof(double)))
				return SDC_ENOMEM;
			s->cap = cap;
			s->row_var[s->nnz++] = s->var_of[c];
		}
		acc[s->var_of[c]] += coef[i];
	}
	{
		size_t w = start;
		for (size_t k = start; k < s->nnz; k++) {
			size_t v = s->row_var[k];
			if (acc[v] != 0.0) {
				s->row_var[w] = v;
				s->row_coef[w++] = acc[v];
			}
			acc[v] = 0.0;
		}
		s->nnz = w;
	}
	if (leq && s->nnz == start + 1) {
		/* coef x <= rhs: a bound of x */
		size_t v = s->row_var[start];
		double coef1 = s->row_coef[start], b = rhs / coef1;
		if (coef1 > 0.0 && b < s->var_hi[v])
			s->var_hi[v] = b;
		else if (coef1 < 0.0 && b > s->var_lo[v])
			s->var_lo[v] = b;
		s->nnz = start;
		return SDC_OK;
	}
	if (s->nnz == start) {
		/* nothing unknown: the published figures must agree */
		if ((leq && rhs < -AUDIT_EPS) ||
		    (!leq && fabs(rhs) > AUDIT_EPS)) {
			sdc_error(d, "published figures contradict a "
			       "%s on cell %zu", leq ? "published inequality"
			       : "relation", cells[0]);
			return SDC_EINCONSISTENT;
		}
		return SDC_OK;
	}
	cap = s->rowcap;
	if (grow_array((void **)&s->row_start, &cap, s->nrow + 2, sizeof(size_t)))
		return SDC_ENOMEM;
	cap = s->rowcap;
	if (grow_array((void **)&s->row_rhs, &cap, s->nrow + 2, sizeof(double)))
		return SDC_ENOMEM;
	cap = s->rowcap;
	if (grow_array((void **)&s->row_leq, &cap, s->nrow + 2, 1))
		return SDC_ENOMEM;
	s->rowcap = cap;
	s->row_start[s->nrow] = start;
	s->row_rhs[s->nrow] = rhs;
	s->row_leq[s->nrow] = (unsigned char)leq;
	s->nrow++;
	s->row_start[s->nrow] = s->nnz;
	return SDC_OK;
}

/* The bounds of an unknown in the problem: its cell's own, and its one-unknown inequalities
   (hi HUGE_VAL: none). */
static void var_bounds(const struct sdc_problem *p, const struct system *s, size_t v,
		       double *lo, double *hi)
{
	int64_t clo, chi;

	sdc_cell_bounds(p, s->cell_of[v], &clo, &chi);
	*lo = clo > 0 ? (double)clo : 0.0;
	*hi = chi >= 0 ? (double)chi : HUGE_VAL;
	if (s->var_lo[v] > *lo)
		*lo = s->var_lo[v];
	if (s->var_hi[v] < *hi)
		*hi = s->var_hi[v];
}

/* The row of relation r (total - members = 0) and of inequality i (a - b <= 0). */
static int relation_row(struct system *s, const struct sdc_problem *p, const unsigned char *supp,
			size_t r, size_t *cells, double *coef, double *acc, struct diag_list *d)
{
	const size_t *m;
	size_t nm;

	cells[0] = sdc_relation(p, r, &m, &nm);
	coef[0] = 1.0;
	for (size_t k = 0; k < nm; k++) {
		cells[k + 1] = m[k];
		coef[k + 1] = -1.0;
	}
	return add_row(s, supp, cells, coef, nm + 1, 0, acc, d);
}

static int leq_row(struct system *s, const struct sdc_problem *p, const unsigned char *supp,
		   size_t i, size_t *cells, double *coef, double *acc, struct diag_list *d)
{
	sdc_leq(p, i, &cells[0], &cells[1]);
	coef[0] = 1.0;
	coef[1] = -1.0;
	return add_row(s, supp, cells, coef, 2, 1, acc, d);
}

/* Per cell, the relations and inequalities it is in (see audit.h). */
struct audit_index {
	size_t nrel, nleq, maxm;
	size_t *rstart, *rel;	/* cell c: relations rel[rstart[c] .. rstart[c + 1]) */
	size_t *lstart, *leq;	/* cell c: inequalities leq[lstart[c] .. lstart[c + 1]) */
};

void audit_index_free(struct audit_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->rstart);
	free(ix->rel);
	free(ix->lstart);
	free(ix->leq);
	free(ix);
}

int audit_index_new(const struct sdc_problem *p, struct audit_index **out, struct diag_list *d)
{
	size_t n = sdc_problem_ncells(p), nr = 0, nl = 0;
	struct audit_index *ix = calloc(1, sizeof *ix);

	*out = NULL;
	if (ix == NULL)
		goto nomem;
	ix->nrel = sdc_nrelations(p);
	ix->nleq = sdc_nleq(p);
	ix->maxm = 2;
	ix->rstart = calloc(n + 2, sizeof(size_t));
	ix->lstart = calloc(n + 2, sizeof(size_t));
	if (!ix->rstart || !ix->lstart)
		goto nomem;
	/* c's count at c + 1; the prefix sums make rstart[c] c's start */
	for (size_t r = 0; r < ix->nrel; r++) {
		const size_t *m;
		size_t nm, t = sdc_relation(p, r, &m, &nm);
		if (nm + 1 > ix->maxm)
			ix->maxm = nm + 1;
		ix->rstart[t + 1]++;
		for (size_t k = 0; k < nm; k++)
			ix->rstart[m[k] + 1]++;
		nr += nm + 1;
	}
	for (size_t i = 0; i < ix->nleq; i++) {
		size_t a, b;
		sdc_leq(p, i, &a, &b);
		ix->lstart[a + 1]++;
		ix->lstart[b + 1]++;
		nl += 2;
	}
	for (size_t c = 0; c < n; c++) {
		ix->rstart[c + 1] += ix->rstart[c];
		ix->lstart[c + 1] += ix->lstart[c];
	}
	ix->rel = malloc((nr + 1) * sizeof(size_t));
	ix->leq = malloc((nl + 1) * sizeof(size_t));
	if (!ix->rel || !ix->leq)
		goto nomem;
	/* rstart[c] is where c's next entry goes, so that it ends at c's end: shifted back */
	for (size_t r = 0; r < ix->nrel; r++) {
		const size_t *m;
		size_t nm, t = sdc_relation(p, r, &m, &nm);
		ix->rel[ix->rstart[t]++] = r;
		for (size_t k = 0; k < nm; k++)
			ix->rel[ix->rstart[m[k]]++] = r;
	}
	for (size_t i = 0; i < ix->nleq; i++) {
		size_t a, b;
		sdc_leq(p, i, &a, &b);
		ix->leq[ix->lstart[a]++] = i;
		ix->leq[ix->lstart[b]++] = i;
	}
	for (size_t c = n; c > 0; c--) {
		ix->rstart[c] = ix->rstart[c - 1];
		ix->lstart[c] = ix->lstart[c - 1];
	}
	ix->rstart[0] = ix->lstart[0] = 0;
	*out = ix;
	return SDC_OK;
nomem:
	audit_index_free(ix);
	sdc_error(d, "out of memory");
	return SDC_ENOMEM;
}

size_t audit_index_relations(const struct audit_index *ix, size_t cell, const size_t **rel)
{
	*rel = ix->rel + ix->rstart[cell];
	return ix->rstart[cell + 1] - ix->rstart[cell];
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/*
 * The rows of the relations and inequalities that hold an unknown of s, in the order of the
 * problem (the same LP as from every relation): the others have nothing unknown, and p's
 * values, the truth, hold them.
 */
static int index_rows(struct system *s, const struct sdc_problem *p, const unsigned char *supp,
		      const struct audit_index *ix, size_t *cells, double *coef, double *acc,
		      struct diag_list *d)
{
	unsigned char *rm = calloc(ix->nrel + 1, 1), *lm = calloc(ix->nleq + 1, 1);
	size_t *rl = malloc((ix->nrel + 1) * sizeof(size_t)), nrl = 0;
	size_t *ll = malloc((ix->nleq + 1) * sizeof(size_t)), nll = 0;
	int rc = SDC_ENOMEM;

	if (!rm || !lm || !rl || !ll) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t v = 0; v < s->nvar; v++) {
		size_t c = s->cell_of[v];
		for (size_t k = ix->rstart[c]; k < ix->rstart[c + 1]; k++)
			if (!rm[ix->rel[k]]) {
				rm[ix->rel[k]] = 1;
				rl[nrl++] = ix->rel[k];
			}
		for (size_t k = ix->lstart[c]; k < ix->lstart[c + 1]; k++)
			if (!lm[ix->leq[k]]) {
				lm[ix->leq[k]] = 1;
				ll[nll++] = ix->leq[k];
			}
	}
	qsort(rl, nrl, sizeof *rl, cmp_size);
	qsort(ll, nll, sizeof *ll, cmp_size);
	rc = SDC_OK;
	for (size_t i = 0; i < nrl && rc == SDC_OK; i++)
		rc = relation_row(s, p, supp, rl[i], cells, coef, acc, d);
	for (size_t i = 0; i < nll && rc == SDC_OK; i++)
		rc = leq_row(s, p, supp, ll[i], cells, coef, acc, d);
out:
	free(rm);
	free(lm);
	free(rl);
	free(ll);
	return rc;
}

/* The rows of every relation and inequality of p, in order. */
static int every_row(struct system *s, const struct sdc_problem *p, const unsigned char *supp,
		     size_t *cells, double *coef, double *acc, struct diag_list *d)
{
	int rc = SDC_OK;

	for (size_t r = 0; r < sdc_nrelations(p) && rc == SDC_OK; r++)
		rc = relation_row(s, p, supp, r, cells, coef, acc, d);
	for (size_t i = 0; i < sdc_nleq(p) && rc == SDC_OK; i++)
		rc = leq_row(s, p, supp, i, cells, coef, acc, d);
	return rc;
}

static int system_build(struct system *s, const struct sdc_problem *p,
			const unsigned char *supp, const struct audit_index *ix,
			struct diag_list *d)
{
	size_t n = sdc_problem_ncells(p), maxm = 2;
	size_t *cells = NULL, *parent = NULL, *cnt = NULL;
	double *coef = NULL, *acc = NULL;
	int rc = SDC_ENOMEM;

	memset(s, 0, sizeof(*s));
	s->st = sdc_cell_states(p);
	s->val = sdc_cell_values(p);
	s->var_of = malloc((n + 1) * sizeof(size_t));
	s->cell_of = malloc((n + 1) * sizeof(size_t));
	s->row_start = malloc(2 * sizeof(size_t));
	if (!s->var_of || !s->cell_of || !s->row_start)
		goto out;
	s->rowcap = 2;
	{
		size_t cap = 0;
		if (grow_array((void **)&s->row_rhs, &cap, 2, sizeof(double)))
			goto out;
		cap = 0;
		if (grow_array((void **)&s->row_leq, &cap, 2, 1))
			goto out;
		s->rowcap = 2;
	}
	s->row_start[0] = 0;
	for (size_t c = 0; c < n; c++) {
		s->var_of[c] = SIZE_MAX;
		if (!known(s->st, supp, c)) {
			s->var_of[c] = s->nvar;
			s->cell_of[s->nvar++] = c;
		}
	}
	if (ix != NULL)
		maxm = ix->maxm;
	for (size_t r = 0; ix == NULL && r < sdc_nrelations(p); r++) {
		const size_t *m;
		size_t nm;
		(void)sdc_relation(p, r, &m, &nm);
		if (nm + 1 > maxm)
			maxm = nm + 1;
	}
	cells = malloc(maxm * sizeof(size_t));
	coef = malloc(maxm * sizeof(double));
	acc = calloc(s->nvar + 1, sizeof(double));
	s->var_lo = malloc((s->nvar + 1) * sizeof(double));
	s->var_hi = malloc((s->nvar + 1) * sizeof(double));
	if (!cells || !coef || !acc || !s->var_lo || !s->var_hi)
		goto out;
	for (size_t v = 0; v < s->nvar; v++) {
		s->var_lo[v] = -HUGE_VAL;
		s->var_hi[v] = HUGE_VAL;
	}
	rc = ix != NULL ? index_rows(s, p, supp, ix, cells, coef, acc, d)
			: every_row(s, p, supp, cells, coef, acc, d);
	if (rc != SDC_OK)
		goto out;
	/* known bounds of published cells must hold too (with an index, p's values are the
	   truth), and an unknown's bounds with its one-unknown inequalities must leave it a
	   value */
	for (size_t c = 0; c < n; c++) {
		if (ix != NULL && known(s->st, supp, c))
			continue;
		int64_t lo, hi;
		sdc_cell_bounds(p, c, &lo, &hi);
		if (!known(s->st, supp, c)) {
			double dlo, dhi;
			var_bounds(p, s, s->var_of[c], &dlo, &dhi);
			if (dhi < dlo - AUDIT_EPS) {
				sdc_error(d, "the published figures admit no non-negative solution");
				rc = SDC_EINCONSISTENT;
				goto out;
			}
			continue;
		}
		if (known_value(s->st, s->val, c) < (double)lo ||
		    (hi >= 0 && known_value(s->st, s->val, c) > (double)hi)) {
			sdc_error(d, "published cell %zu is outside its "
			       "known bounds", c);
			rc = SDC_EINCONSISTENT;
			goto out;
		}
	}

	/* components */
	rc = SDC_ENOMEM;
	parent = malloc((s->nvar + 1) * sizeof(size_t));
	cnt = calloc(s->nvar + 2, sizeof(size_t));
	s->comp_of = malloc((s->nvar + 1) * sizeof(size_t));
	if (!parent || !cnt || !s->comp_of)
		goto out;
	for (size_t v = 0; v < s->nvar; v++)
		parent[v] = v;
	for (size_t r = 0; r < s->nrow; r++) {
		size_t a = uf_root(parent, s->row_var[s->row_start[r]]);
		for (size_t k = s->row_start[r] + 1; k < s->row_start[r + 1];
		     k++) {
			size_t b = uf_root(parent, s->row_var[k]);
			if (a < b)
				parent[b] = a;
			else if (b < a) {
				parent[a] = b;
				a = b;
			}
		}
	}
	/* number components by their smallest variable */
	for (size_t v = 0; v < s->nvar; v++) {
		size_t root = uf_root(parent, v);
		if (root == v)
			s->comp_of[v] = s->ncomp++;
		else
			s->comp_of[v] = s->comp_of[root];
	}
	s->comp_vstart = calloc(s->ncomp + 1, sizeof(size_t));
	s->comp_vars = malloc((s->nvar + 1) * sizeof(size_t));
	s->comp_rstart = calloc(s->ncomp + 1, sizeof(size_t));
	s->comp_rows = malloc((s->nrow + 1) * sizeof(size_t));
	if (!s->comp_vstart || !s->comp_vars || !s->comp_rstart ||
	    !s->comp_rows)
		goto out;
	for (size_t v = 0; v < s->nvar; v++)
		s->comp_vstart[s->comp_of[v] + 1]++;
	for (size_t c = 0; c < s->ncomp; c++)
		s->comp_vstart[c + 1] += s->comp_vstart[c];
	memset(cnt, 0, (s->nvar + 2) * sizeof(size_t));
	for (size_t v = 0; v < s->nvar; v++) {
		size_t c = s->comp_of[v];
		s->comp_vars[s->comp_vstart[c] + cnt[c]++] = v;
	}
	for (size_t r = 0; r < s->nrow; r++)
		s->comp_rstart[s->comp_of[s->row_var[s->row_start[r]]] + 1]++;
	for (size_t c = 0; c < s->ncomp; c++)
		s->comp_rstart[c + 1] += s->comp_rstart[c];
	memset(cnt, 0, (s->nvar + 2) * sizeof(size_t));
	for (size_t r = 0; r < s->nrow; r++) {
		size_t c = s->comp_of[s->row_var[s->row_start[r]]];
		s->comp_rows[s->comp_rstart[c] + cnt[c]++] = r;
	}
	rc = SDC_OK;
out:
	if (rc == SDC_ENOMEM)
		sdc_error(d, "out of memory");
	free(cells);
	free(coef);
	free(acc);
	free(parent);
	free(cnt);
	if (rc != SDC_OK)
		system_release(s);
	return rc;
}

/* One component as a GLPK problem. */
struct lp {
	glp_prob *P;
	glp_smcp parm;
	size_t nv;
	const size_t *vars;	/* component's variables (global ids) */
	size_t *local;		/* global var -> local var (1-based) */
	double *x;		/* last solution, per local var */
	/*
	 * Columns. An equality with two unknowns and coefficients +-1 (x + y = c, x - y = c)
	 * ties one to the other, so only one of them is a column: local var k is
	 * sgn[k] * column col[k] + off[k]. The LP has the same solutions, with fewer rows and
	 * columns (the whole system of the fixtures' pattern: 976 columns and 1,059 rows
	 * instead of 1,478 and 1,600).
	 */
	size_t ncol;
	int *col;		/* per local var: its column (1-based) */
	double *sgn, *off;	/* per local var */
	size_t *cstart, *cmem;	/* column j: its local vars cmem[cstart[j - 1] .. cstart[j] - 1] */
	double *obj;		/* per column: scratch */
	size_t n_lp;
};

/* The bounds column j (1-based) has in the problem: every one of its variables' mapped onto
   it. Returns 0, or -1 when they leave it no value. */
static int lp_col_default(struct lp *L, const struct sdc_problem *p,
			  const struct system *s, size_t j)
{
	double clo = -HUGE_VAL, chi = HUGE_VAL;

	for (size_t e = L->cstart[j - 1]; e < L->cstart[j]; e++) {
		size_t k = L->cmem[e];
		double lo, hi, a, b;
		var_bounds(p, s, L->vars[k], &lo, &hi);
		/* x = sgn * col + off: col = sgn * (x - off) */
		if (L->sgn[k] > 0.0) {
			a = lo - L->off[k];
			b = hi == HUGE_VAL ? HUGE_VAL : hi - L->off[k];
		} else {
			a = hi == HUGE_VAL ? -HUGE_VAL : L->off[k] - hi;
			b = L->off[k] - lo;
		}
		if (a > clo)
			clo = a;
		if (b < chi)
			chi = b;
	}
	if (chi < clo - AUDIT_EPS)
		return -1;
	if (chi <= clo)
		glp_set_col_bnds(L->P, (int)j, GLP_FX, clo, clo);
	else if (clo > -HUGE_VAL && chi < HUGE_VAL)
		glp_set_col_bnds(L->P, (int)j, GLP_DB, clo, chi);
	else if (clo > -HUGE_VAL)
		glp_set_col_bnds(L->P, (int)j, GLP_LO, clo, 0.0);
	else if (chi < HUGE_VAL)
		glp_set_col_bnds(L->P, (int)j, GLP_UP, 0.0, chi);
	else
		glp_set_col_bnds(L->P, (int)j, GLP_FR, 0.0, 0.0);
	return 0;
}

/* Local var k known to be x: its column fixed where that puts k. */
static void lp_fix_var(struct lp *L, size_t k, double x)
{
	double c = L->sgn[k] * (x - L->off[k]);

	glp_set_col_bnds(L->P, L->col[k], GLP_FX, c, c);
}

/* The root of local var k, and sgn[k], off[k] made relative to it (path compression). */
static size_t alias_find(size_t *par, double *sgn, double *off, size_t *path, size_t k)
{
	size_t n = 0, r = k;

	while (par[r] != r) {
		path[n++] = r;
		r = par[r];
	}
	while (n > 0) {
		size_t u = path[--n], q = par[u];
		if (q == r)
			continue;
		off[u] = sgn[u] * off[q] + off[u];
		sgn[u] = sgn[u] * sgn[q];
		par[u] = r;
	}
	return r;
}

/*
 * Ties the variables of the component's equalities with two unknowns (coefficients +-1):
 * fills L->col, sgn, off, ncol, cstart, cmem, and used[q] for each row of the component
 * that a tie replaces. subst 0: none is tied (every variable its own column).
 */
static int lp_alias(struct lp *L, const struct system *s, size_t r0, size_t nr, int subst,
		    unsigned char *used)
{
	size_t nv = L->nv, *par = malloc((nv + 1) * sizeof(size_t));
	size_t *path = malloc((nv + 1) * sizeof(size_t));
	int rc = -1;

	if (!par || !path)
		goto out;
	for (size_t k = 0; k < nv; k++) {
		par[k] = k;
		L->sgn[k] = 1.0;
		L->off[k] = 0.0;
	}
	for (size_t q = 0; subst && q < nr; q++) {
		size_t r = s->comp_rows[r0 + q], e = s->row_start[r];
		size_t kx, ky, X, Y;
		double a, b, c, sx, ox, sy, oy;

		if (s->row_leq[r] || s->row_start[r + 1] - e != 2)
			continue;
		a = s->row_coef[e];
		b = s->row_coef[e + 1];
		if (fabs(a) != 1.0 || fabs(b) != 1.0)
			continue;
		c = s->row_rhs[r];
		kx = L->local[s->row_var[e]] - 1;
		ky = L->local[s->row_var[e + 1]] - 1;
		X = alias_find(par, L->sgn, L->off, path, kx);
		Y = alias_find(par, L->sgn, L->off, path, ky);
		if (X == Y)
			continue; /* tied already: the row stays, over one column */
		/* relative to the roots (a root's own sgn is 1, off 0) */
		sx = L->sgn[kx];
		ox = L->off[kx];
		sy = L->sgn[ky];
		oy = L->off[ky];
		/* a (sx X + ox) + b (sy Y + oy) = c, and a sx is its own inverse */
		par[X] = Y;
		L->sgn[X] = -a * sx * b * sy;
		L->off[X] = a * sx * (c - a * ox - b * oy);
		used[q] = 1;
	}
	L->ncol = 0;
	for (size_t k = 0; k < nv; k++)
		if (par[k] == k)
			L->col[k] = (int)++L->ncol;
	L->cstart = calloc(L->ncol + 1, sizeof(size_t));
	L->cmem = malloc((nv + 1) * sizeof(size_t));
	L->obj = calloc(L->ncol + 1, sizeof(double));
	if (!L->cstart || !L->cmem || !L->obj)
		goto out;
	/* cstart[j - 1]: the count of column j, summed to where it ends, then filled
	   backwards to where it starts */
	for (size_t k = 0; k < nv; k++) {
		size_t root = alias_find(par, L->sgn, L->off, path, k);
		L->col[k] = L->col[root];
		L->cstart[L->col[k] - 1]++;
	}
	for (size_t j = 1; j < L->ncol; j++)
		L->cstart[j] += L->cstart[j - 1];
	for (size_t k = nv; k-- > 0;)
		L->cmem[--L->cstart[L->col[k] - 1]] = k;
	L->cstart[L->ncol] = nv;
	rc = 0;
out:
	free(par);
	free(path);
	return rc;
}

static int lp_build(struct lp *L, const struct system *s,
		    const struct sdc_problem *p, size_t comp, size_t *local, int subst,
		    struct diag_list *d)
{
	size_t v0 = s->comp_vstart[comp], nv = s->comp_vstart[comp + 1] - v0;
	size_t r0 = s->comp_rstart[comp], nr = s->comp_rstart[comp + 1] - r0;
	int *ind = NULL;
	double *val = NULL;
	unsigned char *used = NULL, *seen = NULL;
	size_t maxlen = 1;
	int rc = SDC_ENOMEM;

	memset(L, 0, sizeof(*L));
	L->nv = nv;
	L->vars = s->comp_vars + v0;
	L->local = local;
	if (nv > (size_t)INT32_MAX - 1 || nr > (size_t)INT32_MAX - 1) {
		sdc_error(d, "component too large for the LP solver");
		return SDC_ELP;
	}
	L->x = calloc(nv + 1, sizeof(double));
	L->col = malloc((nv + 1) * sizeof(int));
	L->sgn = malloc((nv + 1) * sizeof(double));
	L->off = malloc((nv + 1) * sizeof(double));
	used = calloc(nr + 1, 1);
	if (!L->x || !L->col || !L->sgn || !L->off || !used)
		goto out;
	for (size_t k = 0; k < nv; k++)
		local[L->vars[k]] = k + 1;
	for (size_t k = 0; k < nr; k++) {
		size_t r = s->comp_rows[r0 + k];
		size_t len = s->row_start[r + 1] - s->row_start[r];
		if (len > maxlen)
			maxlen = len;
	}
	ind = malloc((maxlen + 1) * sizeof(int));
	val = malloc((maxlen + 1) * sizeof(double));
	if (!ind || !val || lp_alias(L, s, r0, nr, subst, used) != 0)
		goto out;
	seen = calloc(L->ncol + 1, 1);
	if (!seen)
		goto out;
	L->P = glp_create_prob();
	glp_set_obj_dir(L->P, GLP_MIN);
	glp_add_cols(L->P, (int)L->ncol);
	for (size_t j = 1; j <= L->ncol; j++)
		if (lp_col_default(L, p, s, j) != 0) {
			rc = SDC_EINCONSISTENT;
			goto out;
		}
	for (size_t k = 0; k < nr; k++) {
		size_t r = s->comp_rows[r0 + k];
		double rhs = s->row_rhs[r];
		int len = 0, w = 0, row;
		if (used[k])
			continue;
		/* the row over columns: a column's coefficients summed, the offsets moved right */
		for (size_t e = s->row_start[r]; e < s->row_start[r + 1]; e++) {
			size_t lv = local[s->row_var[e]] - 1;
			int j = L->col[lv];
			rhs -= s->row_coef[e] * L->off[lv];
			if (!seen[j]) {
				seen[j] = 1;
				ind[++len] = j;
			}
			L->obj[j] += s->row_coef[e] * L->sgn[lv];
		}
		for (int t = 1; t <= len; t++) {
			int j = ind[t];
			if (fabs(L->obj[j]) > 1e-9) {
				ind[++w] = j;
				val[w] = L->obj[j];
			}
			L->obj[j] = 0.0;
			seen[j] = 0;
		}
		if (w == 0) {
			/* nothing unknown left: the published figures must agree */
			if (s->row_leq[r] ? rhs < -AUDIT_EPS : fabs(rhs) > AUDIT_EPS) {
				rc = SDC_EINCONSISTENT;
				goto out;
			}
			continue;
		}
		row = glp_add_rows(L->P, 1);
		glp_set_mat_row(L->P, row, w, ind, val);
		if (s->row_leq[r])
			glp_set_row_bnds(L->P, row, GLP_UP, 0.0, rhs);
		else
			glp_set_row_bnds(L->P, row, GLP_FX, rhs, rhs);
	}
	glp_init_smcp(&L->parm);
	L->parm.msg_lev = GLP_MSG_OFF;
	L->parm.presolve = GLP_OFF;
	L->parm.meth = GLP_PRIMAL;
	/*
	 * Textbook pricing: an audit's solves are short and warm (about 10 pivots each), and the
	 * projected steepest edge's reference weights cost more to keep than they save (the
	 * fixtures: 28,534 pivots instead of 29,352, 7.46 G instructions instead of 7.88 G, the
	 * audits' simplex time 8% less). Only the path changes: an interval is an optimum.
	 */
	L->parm.pricing = GLP_PT_STD;
	glp_adv_basis(L->P, 0);
	rc = SDC_OK;
out:
	if (rc == SDC_ENOMEM)
		sdc_error(d, "out of memory");
	else if (rc == SDC_EINCONSISTENT)
		sdc_error(d, "the published figures admit no non-negative solution");
	free(ind);
	free(val);
	free(used);
	free(seen);
	return rc;
}

static void lp_release(struct lp *L)
{
	if (L->P)
		glp_delete_prob(L->P);
	free(L->x);
	free(L->col);
	free(L->sgn);
	free(L->off);
	free(L->cstart);
	free(L->cmem);
	free(L->obj);
	L->P = NULL;
	L->x = NULL;
	L->col = NULL;
	L->sgn = L->off = L->obj = NULL;
	L->cstart = L->cmem = NULL;
}

/* Solves L again from a fresh (advanced) basis: glp_simplex's return. */
static int lp_solve_fresh(struct lp *L)
{
	glp_adv_basis(L->P, 0);
	L->n_lp++;
	return glp_simplex(L->P, &L->parm);
}

/*
 * Solve with the current objective.  *val gets the optimum (+-HUGE_VAL when
 * unbounded); L->x the solution when it is primal feasible (returns 1 in
 * *feasible).
 */
static int lp_solve(struct lp *L, int maximise, double *val, int *feasible,
		    struct diag_list *d)
{
	int ret, st;

	glp_set_obj_dir(L->P, maximise ? GLP_MAX : GLP_MIN);
	ret = glp_simplex(L->P, &L->parm);
	L->n_lp++;
	if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND)
		ret = lp_solve_fresh(L);
	if (ret != 0) {
		sdc_error(d, "simplex failed (glpk code %d)", ret);
		return SDC_ELP;
	}
	st = glp_get_status(L->P);
	if (st == GLP_NOFEAS || st == GLP_INFEAS) {
		/*
		 * A claim that the published figures have no solution refuses the whole
		 * publication, so it is checked before it is believed: in floating point,
		 * from the last basis, counts of millions next to counts of one can look
		 * infeasible (a valid return with counts of 9,999,999 did). Again from a
		 * fresh basis, then in exact rational arithmetic.
		 */
		ret = lp_solve_fresh(L);
		st = ret == 0 ? glp_get_status(L->P) : GLP_UNDEF;
		if (st != GLP_OPT && st != GLP_UNBND) {
			ret = glp_exact(L->P, &L->parm);
			L->n_lp++;
			if (ret != 0) {
				sdc_error(d, "exact simplex failed (glpk code %d)", ret);
				return SDC_ELP;
			}
			st = glp_get_status(L->P);
		}
	}
	*feasible = glp_get_prim_stat(L->P) == GLP_FEAS;
	if (*feasible) {
		for (size_t k = 0; k < L->nv; k++)
			L->x[k] = L->sgn[k] * glp_get_col_prim(L->P, L->col[k]) + L->off[k];
	}
	if (st == GLP_OPT) {
		*val = glp_get_obj_val(L->P);
		return SDC_OK;
	}
	if (st == GLP_UNBND) {
		*val = maximise ? HUGE_VAL : -HUGE_VAL;
		return SDC_OK;
	}
	if (st == GLP_NOFEAS || st == GLP_INFEAS) {
		sdc_error(d, "the published figures admit no "
		       "non-negative solution");
		return SDC_EINCONSISTENT;
	}
	sdc_error(d, "simplex ended with status %d", st);
	return SDC_ELP;
}

/* The objective sum of w[k] x_k over the local vars (w NULL: 0), on their columns. */
static void lp_objective(struct lp *L, const double *w)
{
	for (size_t k = 0; w && k < L->nv; k++)
		L->obj[L->col[k]] += L->sgn[k] * w[k];
	for (size_t j = 1; j <= L->ncol; j++) {
		glp_set_obj_coef(L->P, (int)j, L->obj[j]);
		L->obj[j] = 0.0;
	}
}

/* The bounds local var k has in L now (its column's, mapped back): -+HUGE_VAL for none. */
static void lp_var_bounds(const struct lp *L, size_t k, double *lo, double *hi)
{
	int j = L->col[k], t = glp_get_col_type(L->P, j);
	double clo = t == GLP_LO || t == GLP_DB || t == GLP_FX ? glp_get_col_lb(L->P, j) : -HUGE_VAL;
	double chi = t == GLP_UP || t == GLP_DB || t == GLP_FX ? glp_get_col_ub(L->P, j) : HUGE_VAL;

	if (L->sgn[k] > 0.0) {
		*lo = clo == -HUGE_VAL ? -HUGE_VAL : clo + L->off[k];
		*hi = chi == HUGE_VAL ? HUGE_VAL : chi + L->off[k];
	} else {
		*lo = chi == HUGE_VAL ? -HUGE_VAL : L->off[k] - chi;
		*hi = clo == -HUGE_VAL ? HUGE_VAL : L->off[k] - clo;
	}
}

/* Minimises (maximise 0) or maximises local var k alone: *val its optimum. */
static int lp_solve_var(struct lp *L, size_t k, int maximise, double *val, int *feasible,
			struct diag_list *d)
{
	int rc;

	glp_set_obj_coef(L->P, L->col[k], L->sgn[k]);
	rc = lp_solve(L, maximise, val, feasible, d);
	glp_set_obj_coef(L->P, L->col[k], 0.0);
	if (rc == SDC_OK && fabs(*val) != HUGE_VAL)
		*val += L->off[k];
	return rc;
}

static int64_t int_lo(double lo)
{
	return (int64_t)ceil(lo - AUDIT_EPS * (1.0 + fabs(lo) * 1e-3));
}

static int64_t int_hi(double hi)
{
	if (hi == HUGE_VAL || hi > 9e18)
		return INT64_MAX;
	return (int64_t)floor(hi + AUDIT_EPS * (1.0 + fabs(hi) * 1e-3));
}

static int64_t range_of(const struct audit_options *opt, size_t cell)
{
	return opt->range_max ? opt->range_max[cell] : 0;
}

int audit_passes(const struct audit_options *opt, size_t cell, int64_t ilo,
		 int64_t ihi)
{
	int64_t rmax = range_of(opt, cell);

	/* a cell that protects people only if it holds a count up to pass_above */
	if (opt->pass_above && opt->pass_above[cell] > 0 && ilo > opt->pass_above[cell])
		return 1;
	/* the protection range: the interval must reach 0 or above rmax */
	if (rmax > 0 && ilo > 0 && ihi <= rmax)
		return 0;
	if (ihi == INT64_MAX)
		return 1;
	if (ihi - ilo >= opt->min_width)
		return 1;
	return ilo == 0 && ihi == 0 && !opt->protect_zeros;
}

/* audit_passes, and a total whose only unpublished part is 0 (zero_sib, audit.h) in the system
   s of p: its other part is public, a published cell (none of s's variables) or one whose
   known bounds pin it (an earlier publication's figure: the engine may mark it, but it was
   published) */
static int passes_in(const struct audit_options *opt, const struct sdc_problem *p,
		     const struct system *s, size_t cell, int64_t ilo, int64_t ihi)
{
	size_t sib;
	int64_t rmax, lo, hi;

	if (audit_passes(opt, cell, ilo, ihi))
		return 1;
	if (!opt->zero_sib || opt->protect_zeros || ilo != ihi)
		return 0;
	sib = opt->zero_sib[cell];
	if (sib == SIZE_MAX)
		return 0;
	rmax = range_of(opt, cell);
	if (rmax > 0 && ilo > 0 && ihi <= rmax)
		return 0;
	if (s->var_of[sib] == SIZE_MAX)
		return s->val[sib] == ilo;
	sdc_cell_bounds(p, sib, &lo, &hi);
	return lo == hi && lo == ilo;
}

int audit_monotone(const struct audit_options *opt)
{
	if (opt->pass_above && opt->min_width > 1)
		return 0;
	return opt->min_width <= 1 || opt->protect_zeros;
}

/* Observations this far apart prove the cell passes (never the zero rule:
   equal observations prove nothing). */
static int clears(double lo, double hi, const struct audit_options *opt,
		  size_t cell)
{
	int64_t ilo, ihi, rmax = range_of(opt, cell);

	if (!(lo <= hi))
		return 0;
	ilo = int_lo(lo);
	ihi = hi > 9e18 ? INT64_MAX : int_hi(hi);
	if (rmax > 0 && ilo > 0 && ihi <= rmax)
		return 0;
	if (ihi == INT64_MAX)
		return 1;
	/* zeros published and width 1: an interval reaching 0 always passes
	   ([0,0] discloses no one, [0,h] with h >= 1 is wide enough) */
	if (!opt->protect_zeros && opt->min_width <= 1 && ilo <= 0)
		return 1;
	return ihi - ilo >= opt->min_width;
}

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static void observe(const struct lp *L, double *olo, double *ohi)
{
	for (size_t k = 0; k < L->nv; k++) {
		if (L->x[k] < olo[k])
			olo[k] = L->x[k];
		if (L->x[k] > ohi[k])
			ohi[k] = L->x[k];
	}
}


/*
 * Fill out[] (indexed by global var) for the component of the built LP L.
 * Variables with fixed[k] != 0 are known to the reader (their columns fixed
 * by the caller): they are neither audited nor reported.
 */
/*
 * The minimum (maximise 0) or maximum of local var k in *val, its solution observed. A
 * solution seen already with the var at its column's bound (0, or a bound the reader's own
 * knowledge puts there) shows that bound is the optimum: no LP (a third of the fixtures'
 * per-cell LPs were such, solved by GLPK in 0 pivots at the cost of a call; 7.02 G
 * instructions for the suppression instead of 7.46 G).
 */
static int lp_side(struct lp *L, size_t k, int maximise, double *olo, double *ohi,
		   double *val, struct diag_list *d)
{
	double blo, bhi;
	int feas, rc;

	lp_var_bounds(L, k, &blo, &bhi);
	if (!maximise && olo[k] <= blo + AUDIT_EPS) {
		*val = blo;
		return SDC_OK;
	}
	if (maximise && ohi[k] >= bhi - AUDIT_EPS) {
		*val = bhi;
		return SDC_OK;
	}
	rc = lp_solve_var(L, k, maximise, val, &feas, d);
	if (rc == SDC_OK && feas)
		observe(L, olo, ohi);
	return rc;
}

static int audit_lp(struct lp *L, const struct system *s,
		    const struct sdc_problem *p, size_t comp,
		    const struct audit_options *opt, const unsigned char *fixed,
		    struct audit_cell *out, struct diag_list *d)
{
	double *w = NULL, *olo = NULL, *ohi = NULL;
	int exact_all = (opt->flags & AUDIT_EXACT) != 0;
	uint64_t seed = UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)comp;
	int rc = SDC_ENOMEM, feas;
	double val;

#define SKIP(k) (fixed != NULL && fixed[k])
	w = calloc(L->nv + 1, sizeof(double));
	olo = calloc(L->nv + 1, sizeof(double));
	ohi = calloc(L->nv + 1, sizeof(double));
	if (!w || !olo || !ohi) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < L->nv; k++) {
		olo[k] = HUGE_VAL;
		ohi[k] = -HUGE_VAL;
		if (opt->flags & AUDIT_TRUTH) {
			/* the truth is a solution every reader allows */
			olo[k] = ohi[k] = (double)sdc_cell_value(
				p, s->cell_of[L->vars[k]]);
		}
	}

	/*
	 * two solutions, every audited cell down together, then the cells that first solution
	 * left open up (none when at most four cells are audited: their own LPs cost no more).
	 * Pushing every cell up, as this did, spent most of its pivots raising cells the first
	 * solution had already cleared (under the shipped policy a cell seen at 0 passes):
	 * 6.36 G instructions for the fixtures' suppression instead of 7.02 G, the same answers.
	 * Two more with random signs used to follow; the pushes below do that for the cells
	 * still open, and without them the fixtures take 2,730 LPs instead of 2,988 (the
	 * adversarial inboxes 8-11% fewer), for the same answers: a cell is only ever failed by
	 * its own LPs.
	 */
	size_t nopen = 0;
	for (size_t k = 0; k < L->nv; k++)
		nopen += !SKIP(k);
	for (int round = 0; round < (exact_all ? 1 : nopen <= 4 ? 0 : 2); round++) {
		for (size_t k = 0; k < L->nv; k++)
			w[k] = SKIP(k) || (round > 0 &&
					   clears(olo[k], ohi[k], opt, s->cell_of[L->vars[k]])) ? 0.0 : 1.0;
		lp_objective(L, w);
		rc = lp_solve(L, round & 1, &val, &feas, d);
		if (rc != SDC_OK)
			goto out;
		if (feas)
			observe(L, olo, ohi);
		/* nothing left to clear: the other rounds would only widen what is proven
		   (the fixtures: 3,098 LPs of audit instead of 3,503) */
		size_t left = 0;
		for (size_t k = 0; k < L->nv && !left; k++)
			left += !SKIP(k) && !clears(olo[k], ohi[k], opt, s->cell_of[L->vars[k]]);
		if (left == 0 && !exact_all)
			break;
	}
	/* push the cells not yet cleared down, then up, then in random
	   directions, together, while each LP clears at least two of them (a
	   cell's own LPs cost one or two each) */
	for (int round = 0; !exact_all && round < 40; round++) {
		size_t left = 0, before;
		for (size_t k = 0; k < L->nv; k++) {
			int open = !SKIP(k) && !clears(olo[k], ohi[k], opt,
						      s->cell_of[L->vars[k]]);
			w[k] = !open ? 0.0 : round < 2 ? 1.0
				: ((xorshift(&seed) >> 11) & 1 ? 1.0 : -1.0);
			left += (size_t)open;
		}
		if (left < 4)
			break;
		before = left;
		lp_objective(L, w);
		rc = lp_solve(L, round & 1, &val, &feas, d);
		if (rc != SDC_OK)
			goto out;
		if (feas)
			observe(L, olo, ohi);
		left = 0;
		for (size_t k = 0; k < L->nv; k++)
			left += !SKIP(k) && !clears(olo[k], ohi[k], opt,
						    s->cell_of[L->vars[k]]);
		if (round > 0 && left + 2 > before)
			break;
	}
	lp_objective(L, NULL);
	for (size_t k = 0; k < L->nv; k++) {
		struct audit_cell *ac = &out[L->vars[k]];
		size_t cell = s->cell_of[L->vars[k]];
		double lo, hi;

		if (SKIP(k))
			continue;
		if (!exact_all && clears(olo[k], ohi[k], opt, cell)) {
			ac->lo = olo[k];
			ac->hi = ohi[k];
			ac->exact = 0;
			continue;
		}
		rc = lp_side(L, k, 0, olo, ohi, &lo, d);
		if (rc != SDC_OK)
			goto out;
		if (!exact_all && clears(lo, ohi[k], opt, cell)) {
			ac->lo = lo;
			ac->hi = ohi[k];
			ac->exact = 0;
			continue;
		}
		rc = lp_side(L, k, 1, olo, ohi, &hi, d);
		if (rc != SDC_OK)
			goto out;
		ac->lo = lo;
		ac->hi = hi;
		ac->exact = 1;
	}
#undef SKIP
	rc = SDC_OK;
out:
	free(w);
	free(olo);
	free(ohi);
	return rc;
}

/* Fill cells[v0..] (indexed by global var) for one component. */
static int audit_component(const struct system *s,
			   const struct sdc_problem *p, size_t comp,
			   const struct audit_options *opt, size_t *local,
			   struct audit_cell *out, size_t *n_lp, struct diag_list *d)
{
	struct lp L;
	int rc = lp_build(&L, s, p, comp, local, !(opt->flags & AUDIT_NO_TIES), d);

	if (rc == SDC_OK)
		rc = audit_lp(&L, s, p, comp, opt, NULL, out, d);
	*n_lp += L.n_lp;
	lp_release(&L);
	return rc;
}

/* One audited pattern, many readers (see audit.h). */
struct audit_session {
	const struct sdc_problem *p;
	struct audit_options opt;
	struct system s;
	size_t *local;		/* global var -> local column, per component */
	struct lp *lp;		/* per component, built when first needed */
	unsigned char *built;
	unsigned char *fixed;	/* per local column of the component in use */
	unsigned char *kvar;	/* per global var: known to the current reader */
	size_t *touched;	/* components of the current reader */
	unsigned char *mark;
	struct audit_cell *cells;	/* per global var */
	size_t n_lp;
};

void audit_session_free(struct audit_session *a)
{
	if (a == NULL)
		return;
	if (a->lp && a->built) {
		for (size_t c = 0; c < a->s.ncomp; c++)
			if (a->built[c])
				lp_release(&a->lp[c]);
	}
	free(a->lp);
	free(a->built);
	free(a->local);
	free(a->fixed);
	free(a->kvar);
	free(a->touched);
	free(a->mark);
	free(a->cells);
	system_release(&a->s);
	free(a);
}

/*
 * GLPK allocates and frees its working arrays on every simplex call; with
 * glibc's defaults the larger ones are mapped and unmapped each time, and the
 * page faults cost about a third of an audit of many readers.  Keeping freed
 * memory in the heap (up to 64 MiB a block) removes that.
 */
static void keep_freed_memory_once(void)
{
#if defined(__GLIBC__)
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
}

static void keep_freed_memory(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	(void)pthread_once(&once, keep_freed_memory_once);
}

/* Set once by the program before any audit (and any thread), read by the threads after. */
static void (*solver_fatal)(void *info);

void audit_on_solver_fatal(void (*fn)(void *info))
{
	solver_fatal = fn;
	glp_error_hook(fn, NULL);
}

void audit_thread_begin(void)
{
	if (solver_fatal)
		glp_error_hook(solver_fatal, NULL);
}

void audit_thread_end(void)
{
	glp_free_env();
}

int audit_session_new(const struct sdc_problem *p,
		      const unsigned char *suppressed,
		      const struct audit_options *opt,
		      struct audit_session **out, struct diag_list *d)
{
	return audit_session_new_indexed(p, suppressed, opt, NULL, out, d);
}

int audit_session_new_indexed(const struct sdc_problem *p, const unsigned char *suppressed,
			      const struct audit_options *opt, const struct audit_index *ix,
			      struct audit_session **out, struct diag_list *d)
{
	struct audit_session *a = calloc(1, sizeof(*a));
	int rc;

	keep_freed_memory();
	*out = NULL;
	if (a == NULL) {
		sdc_error(d, "out of memory");
		return SDC_ENOMEM;
	}
	a->p = p;
	if (opt)
		a->opt = *opt;
	else
		audit_options_init(&a->opt);
	rc = system_build(&a->s, p, suppressed, ix, d);
	if (rc != SDC_OK) {
		free(a);
		return rc;
	}
	a->local = malloc((a->s.nvar + 1) * sizeof(size_t));
	a->lp = calloc(a->s.ncomp + 1, sizeof(*a->lp));
	a->built = calloc(a->s.ncomp + 1, 1);
	a->fixed = calloc(a->s.nvar + 1, 1);
	a->kvar = calloc(a->s.nvar + 1, 1);
	a->touched = malloc((a->s.ncomp + 1) * sizeof(size_t));
	a->mark = calloc(a->s.ncomp + 1, 1);
	a->cells = calloc(a->s.nvar + 1, sizeof(*a->cells));
	if (!a->local || !a->lp || !a->built || !a->fixed || !a->kvar ||
	    !a->touched ||
	    !a->mark || !a->cells) {
		audit_session_free(a);
		sdc_error(d, "out of memory");
		return SDC_ENOMEM;
	}
	*out = a;
	return SDC_OK;
}

static int session_lp(struct audit_session *a, size_t comp, struct diag_list *d)
{
	int rc;

	if (a->built[comp])
		return SDC_OK;
	rc = lp_build(&a->lp[comp], &a->s, a->p, comp, a->local,
		      !(a->opt.flags & AUDIT_NO_TIES), d);
	if (rc != SDC_OK) {
		lp_release(&a->lp[comp]);
		return rc;
	}
	a->built[comp] = 1;
	return SDC_OK;
}

int audit_session_run(struct audit_session *a, const size_t *known,
		      size_t nknown, const unsigned char *focus,
		      struct audit_result *res, struct diag_list *d)
{
	size_t ntouched = 0, n = 0;
	int rc = SDC_OK, term = glp_term_out(GLP_OFF);

	memset(res, 0, sizeof(*res));
	/* the components this reader's knowledge reaches (all for the
	   outsider) */
	if (known == NULL) {
		for (size_t c = 0; c < a->s.ncomp; c++)
			a->touched[ntouched++] = c;
	} else {
		for (size_t i = 0; i < nknown; i++) {
			size_t v = known[i] < sdc_problem_ncells(a->p)
					   ? a->s.var_of[known[i]] : SIZE_MAX;
			if (v == SIZE_MAX)
				continue;
			a->kvar[v] = 1;
			if (a->mark[a->s.comp_of[v]])
				continue;
			a->mark[a->s.comp_of[v]] = 1;
			a->touched[ntouched++] = a->s.comp_of[v];
		}
	}
	for (size_t t = 0; t < ntouched && rc == SDC_OK; t++) {
		size_t comp = a->touched[t];
		struct lp *L;
		unsigned char *fx = NULL;

		rc = session_lp(a, comp, d);
		if (rc != SDC_OK)
			break;
		L = &a->lp[comp];
		if ((known != NULL || focus != NULL) && a->fixed != NULL) {
			fx = a->fixed;
			for (size_t k = 0; k < L->nv; k++) {
				size_t v = L->vars[k];
				double x;
				/* 1: known (fixed), 2: not in focus (free, not audited) */
				fx[k] = a->kvar[v] ? 1 : focus && !focus[a->s.cell_of[v]] ? 2 : 0;
				if (fx[k] != 1)
					continue;
				x = (double)sdc_cell_value(a->p, a->s.cell_of[v]);
				lp_fix_var(L, k, x);
			}
		}
		rc = audit_lp(L, &a->s, a->p, comp, &a->opt, fx, a->cells,
			      d);
		if (fx != NULL)
			for (size_t k = 0; k < L->nv; k++)
				if (fx[k] == 1)
					(void)lp_col_default(L, a->p, &a->s, (size_t)L->col[k]);
		for (size_t k = 0; k < L->nv; k++)
			n += fx == NULL || !fx[k];
	}
	if (rc == SDC_OK) {
		res->cells = calloc(n + 1, sizeof(*res->cells));
		if (res->cells == NULL) {
			sdc_error(d, "out of memory");
			rc = SDC_ENOMEM;
		}
	}
	if (rc == SDC_OK) {
		/* in cell order: components are numbered by their smallest
		   variable, and variables follow cell order */
		for (size_t v = 0; v < a->s.nvar; v++) {
			size_t comp = a->s.comp_of[v];
			struct audit_cell *ac;
			int in = known == NULL;
			for (size_t t = 0; !in && t < ntouched; t++)
				in = a->touched[t] == comp;
			if (!in)
				continue;
			if (a->kvar[v] || (focus && !focus[a->s.cell_of[v]]))
				continue;
			ac = &res->cells[res->n];
			*ac = a->cells[v];
			ac->cell = a->s.cell_of[v];
			ac->ilo = int_lo(ac->lo);
			ac->ihi = int_hi(ac->hi);
			ac->pass = passes_in(&a->opt, a->p, &a->s, ac->cell, ac->ilo, ac->ihi);
			res->n++;
			if (!ac->pass)
				res->n_fail++;
		}
		res->n_components = ntouched;
	}
	for (size_t t = 0; t < ntouched; t++)
		a->mark[a->touched[t]] = 0;
	if (known != NULL)
		for (size_t i = 0; i < nknown; i++)
			if (known[i] < sdc_problem_ncells(a->p) &&
			    a->s.var_of[known[i]] != SIZE_MAX)
				a->kvar[a->s.var_of[known[i]]] = 0;
	for (size_t t = 0; t < ntouched; t++)
		if (a->built[a->touched[t]]) {
			res->n_lp += a->lp[a->touched[t]].n_lp;
			a->lp[a->touched[t]].n_lp = 0;
		}
	glp_term_out(term);
	if (rc != SDC_OK)
		audit_result_release(res);
	return rc;
}

int audit_run(const struct sdc_problem *p, const unsigned char *suppressed,
	      const struct audit_options *opt, struct audit_result *res,
	      struct diag_list *d)
{
	struct audit_options defopt;
	struct system s;
	size_t *local = NULL;
	int rc, term;

	memset(res, 0, sizeof(*res));
	if (opt == NULL) {
		audit_options_init(&defopt);
		opt = &defopt;
	}
	rc = system_build(&s, p, suppressed, NULL, d);
	if (rc != SDC_OK)
		return rc;
	term = glp_term_out(GLP_OFF);
	rc = SDC_ENOMEM;
	res->cells = calloc(s.nvar + 1, sizeof(*res->cells));
	local = malloc((s.nvar + 1) * sizeof(size_t));
	if (!res->cells || !local) {
		sdc_error(d, "out of memory");
		goto out;
	}
	res->n = s.nvar;
	res->n_components = s.ncomp;
	for (size_t c = 0; c < s.ncomp; c++) {
		rc = audit_component(&s, p, c, opt, local, res->cells,
				     &res->n_lp, d);
		if (rc != SDC_OK)
			goto out;
	}
	for (size_t v = 0; v < s.nvar; v++) {
		struct audit_cell *ac = &res->cells[v];
		ac->cell = s.cell_of[v];
		ac->ilo = int_lo(ac->lo);
		ac->ihi = int_hi(ac->hi);
		ac->pass = passes_in(opt, p, &s, ac->cell, ac->ilo, ac->ihi);
		if (!ac->pass)
			res->n_fail++;
	}
	rc = SDC_OK;
out:
	glp_term_out(term);
	free(local);
	system_release(&s);
	if (rc != SDC_OK)
		audit_result_release(res);
	return rc;
}

int audit_run_known(const struct sdc_problem *p,
		    const unsigned char *suppressed, const unsigned char *known,
		    const struct audit_options *opt, struct audit_result *res,
		    struct diag_list *d)
{
	size_t n = sdc_problem_ncells(p);
	unsigned char *supp;
	int rc;

	if (known == NULL)
		return audit_run(p, suppressed, opt, res, d);
	memset(res, 0, sizeof(*res));
	supp = malloc(n + 1);
	if (supp == NULL) {
		sdc_error(d, "out of memory");
		return SDC_ENOMEM;
	}
	for (size_t c = 0; c < n; c++)
		supp[c] = suppressed[c] && !known[c];
	rc = audit_run(p, supp, opt, res, d);
	free(supp);
	return rc;
}

int audit_cell_interval(const struct sdc_problem *p,
			const unsigned char *suppressed, size_t cell,
			double *lo, double *hi, struct diag_list *d)
{
	struct system s;
	struct lp L;
	size_t *local = NULL;
	int rc, term, feas;

	memset(&L, 0, sizeof(L));
	if (cell >= sdc_problem_ncells(p) || !suppressed[cell] ||
	    sdc_cell_state(p, cell) == SDC_EMPTY) {
		sdc_error(d, "cell %zu is not a suppressed cell", cell);
		return SDC_EINVAL;
	}
	rc = system_build(&s, p, suppressed, NULL, d);
	if (rc != SDC_OK)
		return rc;
	term = glp_term_out(GLP_OFF);
	local = malloc((s.nvar + 1) * sizeof(size_t));
	if (local == NULL) {
		rc = SDC_ENOMEM;
		sdc_error(d, "out of memory");
		goto out;
	}
	rc = lp_build(&L, &s, p, s.comp_of[s.var_of[cell]], local, 1, d);
	if (rc != SDC_OK)
		goto out;
	rc = lp_solve_var(&L, local[s.var_of[cell]] - 1, 0, lo, &feas, d);
	if (rc == SDC_OK)
		rc = lp_solve_var(&L, local[s.var_of[cell]] - 1, 1, hi, &feas, d);
out:
	glp_term_out(term);
	lp_release(&L);
	free(local);
	system_release(&s);
	return rc;
}

/* lo <= x <= hi (hi == HUGE_VAL: no upper bound); GLPK wants GLP_FX for
   equal bounds */
static void col_bounds(glp_prob *P, int j, double lo, double hi)
{
	if (hi == HUGE_VAL)
		glp_set_col_bnds(P, j, GLP_LO, lo, 0.0);
	else if (hi <= lo)
		glp_set_col_bnds(P, j, GLP_FX, lo, lo);
	else
		glp_set_col_bnds(P, j, GLP_DB, lo, hi);
}

/*
 * The repair LP: every published candidate cell c may move away from its
 * value at a price weight[c] per unit (x_c = value_c + up_c - down_c);
 * suppressed cells are free; relations, inequalities, bounds and
 * non-negativity hold; and the cell is pushed to >= target (up) or
 * <= target.  The published cells that move are the ones to suppress.
 * The LP is built once; each solve changes the bounds of one column and
 * starts from the last basis.
 */
struct audit_widener {
	const struct sdc_problem *p;
	glp_prob *P;
	glp_smcp parm;
	size_t *col;		/* cell -> first column (1-based) or 0 */
	unsigned char *supp;	/* own copy, grows with audit_widener_suppress */
	unsigned char *orig;	/* suppressed when built: one column each */
	unsigned char *known;	/* suppressed already, or known to the reader */
};

void audit_widener_free(struct audit_widener *w)
{
	if (w == NULL)
		return;
	if (w->P)
		glp_delete_prob(w->P);
	free(w->col);
	free(w->supp);
	free(w->orig);
	free(w->known);
	free(w);
}

int audit_widener_new(const struct sdc_problem *p,
		      const unsigned char *suppressed, const double *weight,
		      struct audit_widener **out, struct diag_list *d)
{
	return audit_widener_new_known(p, suppressed, NULL, weight, out, d);
}

int audit_widener_new_known(const struct sdc_problem *p,
			    const unsigned char *suppressed,
			    const unsigned char *known, const double *weight,
			    struct audit_widener **out, struct diag_list *d)
{
	return audit_widener_new_active(p, suppressed, known, NULL, weight,
					out, d);
}

/*
 * The first basis of a repair LP: the free columns of the suppressed cells, the largest value
 * first, each made basic in place of the slack of an equality row that holds it and no column
 * made basic before it (a triangular basis, so never singular); every other column at its lower
 * bound, as in GLPK's all-slack basis. The basic columns and the slacks cost nothing, so every
 * reduced cost is a column's own cost (>= 0): the basis is dual feasible. With all slacks basic,
 * every suppressed cell starts at 0 and the first solve of an area's LP took about 450 dual
 * pivots to put them back near their values; from here, the basic cells take their true values
 * wherever the cells left out are 0 (the fixtures: 2,071 pivots for the 31 first solves instead
 * of 14,148). Returns -1 when out of memory.
 */
static int crash_basis(struct audit_widener *w)
{
	const struct sdc_problem *p = w->p;
	size_t n = sdc_problem_ncells(p), no = 0;
	int m = glp_get_num_rows(w->P), rc = -1;
	unsigned char *covered = calloc((size_t)m + 1, 1);
	int *ind = malloc(((size_t)m + 1) * sizeof *ind);
	double *val = malloc(((size_t)m + 1) * sizeof *val);
	size_t *order = malloc((n + 1) * sizeof *order);

	glp_std_basis(w->P);
	if (!covered || !ind || !val || !order)
		goto out;
	for (size_t c = 0; c < n; c++)
		if (w->orig[c] && w->col[c] && sdc_cell_value(p, c) > 0)
			order[no++] = c;
	/* the largest first (a cell left out sits at 0), then by cell: the same basis for the
	   same input */
	for (size_t i = 1; i < no; i++) {
		size_t c = order[i], k = i;
		while (k > 0 && sdc_cell_value(p, order[k - 1]) < sdc_cell_value(p, c)) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = c;
	}
	for (size_t i = 0; i < no; i++) {
		int j = (int)w->col[order[i]], len = glp_get_mat_col(w->P, j, ind, val), r = 0;
		for (int k = 1; k <= len && !r; k++)
			if (!covered[ind[k]] && glp_get_row_type(w->P, ind[k]) == GLP_FX)
				r = ind[k];
		if (!r)
			continue;
		glp_set_col_stat(w->P, j, GLP_BS);
		glp_set_row_stat(w->P, r, GLP_NS);
		for (int k = 1; k <= len; k++)
			covered[ind[k]] = 1;
	}
	rc = 0;
out:
	free(covered);
	free(ind);
	free(val);
	free(order);
	return rc;
}

int audit_widener_new_active(const struct sdc_problem *p,
			     const unsigned char *suppressed,
			     const unsigned char *known,
			     const unsigned char *active, const double *weight,
			     struct audit_widener **out, struct diag_list *d)
{
	size_t n = sdc_problem_ncells(p), maxm = 2;
	struct audit_widener *w = NULL;
	int *ind = NULL;
	double *val = NULL;
	int rc = SDC_ENOMEM, ncol = 0, nrow = 0;

	*out = NULL;
	for (size_t r = 0; r < sdc_nrelations(p); r++) {
		const size_t *m;
		size_t nm;
		(void)sdc_relation(p, r, &m, &nm);
		if (nm + 1 > maxm)
			maxm = nm + 1;
	}
	w = calloc(1, sizeof(*w));
	ind = malloc((2 * maxm + 1) * sizeof(int));
	val = malloc((2 * maxm + 1) * sizeof(double));
	if (!w || !ind || !val)
		goto out;
	w->p = p;
	w->col = calloc(n + 1, sizeof(size_t));
	w->supp = malloc(n + 1);
	w->orig = malloc(n + 1);
	w->known = malloc(n + 1);
	if (!w->col || !w->supp || !w->orig || !w->known)
		goto out;
	for (size_t c = 0; c < n; c++)
		w->known[c] = suppressed[c] || (known && known[c]);
	for (size_t c = 0; c < n; c++)
		w->supp[c] = w->orig[c] = suppressed[c] &&
			!(known && known[c]) && !(active && !active[c]) &&
			sdc_cell_state(p, c) != SDC_EMPTY;
	w->P = glp_create_prob();
	glp_set_obj_dir(w->P, GLP_MIN);
	for (size_t c = 0; c < n; c++) {
		int64_t lo, hi;
		double v = (double)sdc_cell_value(p, c);

		if (sdc_cell_state(p, c) == SDC_EMPTY || (active && !active[c]))
			continue;	/* a constant: no column */
		sdc_cell_bounds(p, c, &lo, &hi);
		if (w->supp[c]) {
			ncol = glp_add_cols(w->P, 1);
			w->col[c] = (size_t)ncol;
			col_bounds(w->P, ncol, (double)lo,
				   hi >= 0 ? (double)hi : HUGE_VAL);
			continue;
		}
		/* up_c then down_c (glp_add_cols returns the first new one) */
		ncol = glp_add_cols(w->P, 2);
		w->col[c] = (size_t)ncol;
		if (sdc_cell_state(p, c) != SDC_CANDIDATE || w->known[c]) {
			/* fixed: not a candidate, or known to this reader */
			glp_set_col_bnds(w->P, ncol, GLP_FX, 0.0, 0.0);
			glp_set_col_bnds(w->P, ncol + 1, GLP_FX, 0.0, 0.0);
			continue;
		}
		col_bounds(w->P, ncol, 0.0,
			   hi >= 0 ? (double)hi - v : HUGE_VAL);
		col_bounds(w->P, ncol + 1, 0.0, v - (double)lo);
		glp_set_obj_coef(w->P, ncol, weight ? weight[c] : 1.0 + v);
		glp_set_obj_coef(w->P, ncol + 1, weight ? weight[c] : 1.0 + v);
	}
	for (size_t r = 0; r < sdc_nrelations(p) + sdc_nleq(p); r++) {
		size_t cells[2], nm, len = 0;
		const size_t *m;
		double rhs = 0.0;
		int leq = r >= sdc_nrelations(p);

		if (!leq) {
			cells[0] = sdc_relation(p, r, &m, &nm);
		} else {
			sdc_leq(p, r - sdc_nrelations(p), &cells[0], &cells[1]);
			m = cells + 1;
			nm = 1;
		}
		for (size_t k = 0; k <= nm; k++) {
			size_t c = k == 0 ? cells[0] : m[k - 1];
			double coef = k == 0 ? 1.0 : -1.0;
			if (sdc_cell_state(p, c) == SDC_EMPTY)
				continue;
			if (w->col[c] == 0) {	/* inactive: at its value */
				rhs -= coef * (double)sdc_cell_value(p, c);
				continue;
			}
			ind[++len] = (int)w->col[c];
			val[len] = coef;
			if (!w->supp[c]) {
				rhs -= coef * (double)sdc_cell_value(p, c);
				ind[++len] = (int)w->col[c] + 1;
				val[len] = -coef;
			}
		}
		/* GLPK refuses duplicate columns in a row: merge them */
		for (size_t x = 1; x <= len; x++)
			for (size_t y = x + 1; y <= len; y++)
				if (ind[x] == ind[y] && val[y] != 0.0) {
					val[x] += val[y];
					val[y] = 0.0;
				}
		{
			size_t k = 0;
			for (size_t x = 1; x <= len; x++)
				if (val[x] != 0.0) {
					k++;
					ind[k] = ind[x];
					val[k] = val[x];
				}
			len = k;
		}
		if (len == 0)
			continue;
		nrow = glp_add_rows(w->P, 1);
		glp_set_mat_row(w->P, nrow, (int)len, ind, val);
		if (leq)
			glp_set_row_bnds(w->P, nrow, GLP_UP, 0.0, rhs);
		else
			glp_set_row_bnds(w->P, nrow, GLP_FX, rhs, rhs);
	}
	glp_init_smcp(&w->parm);
	w->parm.msg_lev = GLP_MSG_OFF;
	w->parm.presolve = GLP_OFF;
	/* a dual feasible basis near the true values (crash_basis): the dual
	   simplex starts at once, and warm from the last basis after that */
	w->parm.meth = GLP_DUALP;
	if (crash_basis(w) != 0)
		goto out;
	*out = w;
	w = NULL;
	rc = SDC_OK;
out:
	if (rc == SDC_ENOMEM)
		sdc_error(d, "out of memory");
	audit_widener_free(w);
	free(ind);
	free(val);
	return rc;
}

int audit_widener_know(struct audit_widener *w, const size_t *cells,
		       size_t n, int on)
{
	const struct sdc_problem *p = w->p;

	for (size_t i = 0; i < n; i++) {
		size_t c = cells[i];
		int64_t lo, hi;
		double v;
		int j;

		if (c >= sdc_problem_ncells(p) || w->col[c] == 0)
			continue;
		j = (int)w->col[c];
		v = (double)sdc_cell_value(p, c);
		sdc_cell_bounds(p, c, &lo, &hi);
		if (on)
			w->known[c] |= 2;
		else
			w->known[c] &= 1;
		if (w->orig[c]) {	/* one free column: fixed at its value */
			if (on)
				glp_set_col_bnds(w->P, j, GLP_FX, v, v);
			else
				col_bounds(w->P, j, (double)lo,
					   hi >= 0 ? (double)hi : HUGE_VAL);
			continue;
		}
		if (sdc_cell_state(p, c) != SDC_CANDIDATE)
			continue;	/* fixed already */
		if (on) {
			glp_set_col_bnds(w->P, j, GLP_FX, 0.0, 0.0);
			glp_set_col_bnds(w->P, j + 1, GLP_FX, 0.0, 0.0);
		} else {
			col_bounds(w->P, j, 0.0,
				   hi >= 0 ? (double)hi - v : HUGE_VAL);
			col_bounds(w->P, j + 1, 0.0, v - (double)lo);
		}
	}
	return SDC_OK;
}

int audit_widener_suppress(struct audit_widener *w, size_t cell)
{
	if (cell >= sdc_problem_ncells(w->p) || w->col[cell] == 0)
		return SDC_EINVAL;
	if (w->supp[cell])
		return SDC_OK;
	w->supp[cell] = 1;
	/* it may move for free now */
	glp_set_obj_coef(w->P, (int)w->col[cell], 0.0);
	glp_set_obj_coef(w->P, (int)w->col[cell] + 1, 0.0);
	return SDC_OK;
}

void audit_widener_start(struct audit_widener *w)
{
	glp_smcp parm = w->parm;
	int term = glp_term_out(GLP_OFF);

	parm.presolve = GLP_ON;
	parm.meth = GLP_PRIMAL;
	/* every published cell at its value is an optimum (cost 0); the
	   presolver returns the basis of the one it finds, or an error and
	   no basis: then the first one again (crash_basis) */
	if ((glp_simplex(w->P, &parm) != 0 || glp_get_status(w->P) != GLP_OPT) &&
	    crash_basis(w) != 0)
		glp_std_basis(w->P);
	glp_term_out(term);
}

int audit_widener_solve(struct audit_widener *w, size_t cell, int up,
			double target, unsigned char *add, size_t *nadd,
			double *cost, struct diag_list *d)
{
	const struct sdc_problem *p = w->p;
	size_t n = sdc_problem_ncells(p);
	int64_t lo, hi;
	double clo, chi;
	int rc, term, ret, st, j;

	*nadd = 0;
	if (cost)
		*cost = 0.0;
	if (cell >= n || !w->supp[cell] || w->col[cell] == 0) {
		sdc_error(d, "cell %zu is not a suppressed cell", cell);
		return SDC_EINVAL;
	}
	if (!w->orig[cell]) {
		sdc_error(d, "cell %zu was suppressed after the repair "
		       "LP was built", cell);
		return SDC_EINVAL;
	}
	j = (int)w->col[cell];
	sdc_cell_bounds(p, cell, &lo, &hi);
	clo = (double)lo;
	chi = hi >= 0 ? (double)hi : HUGE_VAL;
	if (up)
		clo = target;
	else
		chi = target;
	if (clo > chi) {
		return SDC_EUNSAFE;	/* a result, not an error: nothing appended */
	}
	term = glp_term_out(GLP_OFF);
	col_bounds(w->P, j, clo, chi);
	ret = glp_simplex(w->P, &w->parm);
	if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND) {
		glp_std_basis(w->P);
		ret = glp_simplex(w->P, &w->parm);
	}
	st = glp_get_status(w->P);
	if (ret != 0) {
		sdc_error(d, "repair simplex failed (glpk code %d)", ret);
		rc = SDC_ELP;
	} else if (st == GLP_NOFEAS || st == GLP_INFEAS) {
		rc = SDC_EUNSAFE;	/* cannot reach the target: a result */
	} else if (st != GLP_OPT) {
		sdc_error(d, "repair simplex ended with status %d", st);
		rc = SDC_ELP;
	} else {
		rc = SDC_OK;	/* *nadd == 0: reachable already */
		if (cost)
			*cost = glp_get_obj_val(w->P);
		for (size_t c = 0; c < n; c++) {
			double moved;
			if (w->col[c] == 0 || w->supp[c] || w->known[c] ||
			    sdc_cell_state(p, c) != SDC_CANDIDATE)
				continue;
			moved = glp_get_col_prim(w->P, (int)w->col[c]) +
			    glp_get_col_prim(w->P, (int)w->col[c] + 1);
			if (moved > AUDIT_EPS) {
				add[c] = 1;
				(*nadd)++;
			}
		}
	}
	/* restore the cell's own bounds */
	col_bounds(w->P, j, (double)lo, hi >= 0 ? (double)hi : HUGE_VAL);
	glp_term_out(term);
	return rc;
}

int audit_widen(const struct sdc_problem *p, const unsigned char *suppressed,
		size_t cell, int up, double target, const double *weight,
		unsigned char *add, size_t *nadd, struct diag_list *d)
{
	struct audit_widener *w = NULL;
	int rc, term;

	*nadd = 0;
	if (cell >= sdc_problem_ncells(p) || !suppressed[cell] ||
	    sdc_cell_state(p, cell) == SDC_EMPTY) {
		sdc_error(d, "cell %zu is not a suppressed cell", cell);
		return SDC_EINVAL;
	}
	term = glp_term_out(GLP_OFF);
	rc = audit_widener_new(p, suppressed, weight, &w, d);
	if (rc == SDC_OK)
		rc = audit_widener_solve(w, cell, up, target, add, nadd, NULL,
					 d);
	audit_widener_free(w);
	glp_term_out(term);
	return rc;
}
