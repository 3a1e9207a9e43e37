/*
 * complete.c - whole-number values for the unknown cells of a linear system (complete.h).
 *
 * One integer program: a column per unknown cell, bounded as the cell is; a row per relation
 * or inequality that holds an unknown cell, with the known cells' values on the right-hand
 * side. No objective: any solution will do. A system of a few hundred unknowns (the earlier
 * figures of some areas and of the nation) takes GLPK milliseconds.
 */
#include "complete.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>

/* Adds the row "sum coef * cell  (= or <=)  rhs" over the cells of one relation or inequality
   (cells[0] with coefficient +1, the others -1), the known ones moved to the right. */
static void add_row(glp_prob *P, const int *col, const int64_t *val, const unsigned char *states,
		    const size_t *cells, size_t n, int leq, int *ind, double *coef)
{
	double rhs = 0.0;
	int len = 0, row;

	for (size_t k = 0; k < n; k++) {
		size_t c = cells[k];
		double s = k == 0 ? 1.0 : -1.0;
		if (states[c] == SDC_EMPTY)
			continue;
		if (col[c] == 0) {
			rhs -= s * (double)val[c];
			continue;
		}
		ind[++len] = col[c];
		coef[len] = s;
	}
	row = glp_add_rows(P, 1);
	glp_set_row_bnds(P, row, leq ? GLP_UP : GLP_FX, rhs, rhs);
	glp_set_mat_row(P, row, len, ind, coef);
}

int complete_values(struct sdc_problem *p, const unsigned char *unknown, struct diag_list *d)
{
	size_t n = sdc_problem_ncells(p), nrel = sdc_nrelations(p), nleq = sdc_nleq(p), widest = 2;
	const int64_t *val = sdc_cell_values(p);
	const unsigned char *states = sdc_cell_states(p);
	int *col = calloc(n + 1, sizeof *col), *ind = NULL, term, ret, ncols = 0;
	double *coef = NULL;
	size_t *cells = NULL;
	glp_prob *P = NULL;
	glp_iocp parm;
	int rc = SDC_ENOMEM;

	for (size_t r = 0; r < nrel; r++) {
		const size_t *m;
		size_t nm;
		(void)sdc_relation(p, r, &m, &nm);
		if (nm + 1 > widest)
			widest = nm + 1;
	}
	ind = malloc((widest + 1) * sizeof *ind);
	coef = malloc((widest + 1) * sizeof *coef);
	cells = malloc((widest + 1) * sizeof *cells);
	P = glp_create_prob();
	if (!col || !ind || !coef || !cells || !P) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < n; c++) {
		int64_t lo, hi;
		if (!unknown[c] || states[c] == SDC_EMPTY)
			continue;
		sdc_cell_bounds(p, c, &lo, &hi);
		col[c] = ++ncols;
		glp_add_cols(P, 1);
		glp_set_col_kind(P, col[c], GLP_IV);
		if (hi >= 0)
			glp_set_col_bnds(P, col[c], hi > (lo > 0 ? lo : 0) ? GLP_DB : GLP_FX,
					 (double)(lo > 0 ? lo : 0), (double)hi);
		else
			glp_set_col_bnds(P, col[c], GLP_LO, (double)(lo > 0 ? lo : 0), 0.0);
	}
	rc = SDC_OK;
	if (ncols == 0)
		goto out;
	for (size_t r = 0; r < nrel + nleq; r++) {
		size_t nc, any = 0;
		if (r < nrel) {
			const size_t *m;
			size_t nm;
			cells[0] = sdc_relation(p, r, &m, &nm);
			for (size_t k = 0; k < nm; k++)
				cells[k + 1] = m[k];
			nc = nm + 1;
		} else {
			sdc_leq(p, r - nrel, &cells[0], &cells[1]);
			nc = 2;
		}
		for (size_t k = 0; k < nc; k++)
			any |= col[cells[k]] != 0;
		if (any)
			add_row(P, col, val, states, cells, nc, r >= nrel, ind, coef);
	}
	glp_init_iocp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_ON;
	parm.tm_lim = COMPLETE_SECONDS * 1000;
	term = glp_term_out(GLP_OFF);
	ret = glp_intopt(P, &parm);
	glp_term_out(term);
	if (ret == GLP_ENOPFS || ret == GLP_ENODFS ||
	    (ret == 0 && glp_mip_status(P) == GLP_NOFEAS)) {
		rc = SDC_EINCONSISTENT;
		goto out;
	}
	if ((ret != 0 && ret != GLP_ETMLIM) ||
	    (glp_mip_status(P) != GLP_OPT && glp_mip_status(P) != GLP_FEAS)) {
		sdc_error(d, "no whole-number values found for %d unknown cell%s (GLPK %s %d)", ncols,
			  ncols == 1 ? "" : "s", ret == GLP_ETMLIM ? "time limit," : "code", ret);
		rc = SDC_ELP;
		goto out;
	}
	for (size_t c = 0; c < n; c++) {
		double x;
		if (col[c] == 0)
			continue;
		x = floor(glp_mip_col_val(P, col[c]) + 0.5);
		if (sdc_set_cell(p, c, (int64_t)x, sdc_cell_state(p, c), d) != SDC_OK) {
			rc = SDC_ELP;
			goto out;
		}
	}
out:
	if (P)
		glp_delete_prob(P);
	free(col);
	free(ind);
	free(coef);
	free(cells);
	return rc;
}
