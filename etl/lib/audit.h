/*
 * audit.h - LP audit of a suppression pattern.
 *
 * Given only what is published - the values of published cells, which
 * cells are suppressed, the relations, inequalities and bounds of an
 * sdc_problem (sdc.h) - compute for every suppressed cell the interval
 * [lo, hi] of values consistent with all of it and with non-negativity,
 * by linear programming (GLPK).  Values of suppressed cells in the
 * problem are never read, so a standalone checker may leave them at 0.
 *
 * The system is split into independent components.  Within a component a
 * few solutions with varied objectives are found first; a cell that
 * already varies enough between them passes without its own LPs (its
 * interval is then a lower estimate, exact == 0).  The other cells get a
 * minimising and a maximising LP, each warm-started from the last basis.
 * With AUDIT_EXACT every cell gets its two LPs.
 *
 * The LPs are smaller than the system, with the same solutions: an
 * inequality with one unknown is a bound of its column, and an equality with
 * two unknowns and coefficients +-1 (x + y = c) ties one to the other, so
 * that only one of them is a column (x = c - y).  The whole system's LP of
 * the fixtures' pattern has 976 columns and 1,059 rows instead of 1,478 and
 * 1,600.
 *
 * A cell passes when floor(hi) - ceil(lo) >= min_width, or when its
 * interval is exactly [0,0] and zeros are published (protect_zeros == 0);
 * and, where a protection range applies to it (range_max[cell] > 0), when
 * its interval also reaches 0 or a value above range_max[cell]: a reader
 * must never learn that a cell holds 1..range_max people. A cell with pass_above[cell] > 0 also
 * passes when the reader can prove it holds more than pass_above[cell]: a cell that was
 * withheld for a reason not at hand (an earlier publication's, in the audit of a revision),
 * which protects people only if it holds a count in the primary range (pass_above its top).
 * A cell with zero_sib[cell] = s, where s is published (not suppressed), passes as a published
 * zero does (protect_zeros == 0, outside the protection range) when its interval is exactly
 * [v, v] with v the value of s: it tells only that its withheld part (an area's Category 4) is
 * 0, whose own interval [0, 0] passes. An area's total over categories 1-4 pinned at its
 * published 1-3 was refused where its Category 4 cell, pinned at 0, passed (a revision of
 * Durham on an adversarial inbox could never be published).
 *
 * Attackers.  audit_run is the outsider: what is published and nothing
 * else.  audit_run_known audits the view of a reader who also knows the
 * true values of some suppressed cells (an area's own data lead knows the
 * area's cells; the one person in a cell of 1 knows that cell): those cells
 * are then known values, and only the cells still unknown to that reader
 * are audited.  With AUDIT_TRUTH the problem holds the true value of every
 * cell; it is a solution every reader must allow, and the audit uses it as
 * a free observation.
 */
#ifndef MAPPA_AUDIT_H
#define MAPPA_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "sdc_problem.h"

#define AUDIT_EXACT 1u		/* exact interval for every suppressed cell */
#define AUDIT_TRUTH 2u		/* the problem's values are the true ones */
#define AUDIT_NO_TIES 4u	/* every unknown its own LP column: none tied to another by an
				   equality with two unknowns (tests: the same intervals) */

struct audit_options {
	int64_t min_width;	/* default 1 */
	int protect_zeros;	/* default 0 */
	unsigned flags;		/* AUDIT_EXACT, AUDIT_TRUTH, AUDIT_NO_TIES */
	const int64_t *range_max; /* per cell, or NULL: no protection range */
	const int64_t *pass_above; /* per cell, or NULL: a cell with pass_above[c] > 0 also
				      passes when its whole interval lies above it (see below) */
	const size_t *zero_sib;	/* per cell, or NULL: SIZE_MAX, or the cell that is the whole
				   of this total but for a part that is not published (an
				   area's total over categories 1-4 and its 1-3; see below) */
};

struct audit_cell {
	size_t cell;		/* index in the problem */
	double lo, hi;		/* LP interval; hi = HUGE_VAL if unbounded */
	int64_t ilo, ihi;	/* integer interval; ihi = INT64_MAX if unbounded */
	int exact;		/* 1: lo and hi are the LP optimum; 0: proven
				   inner estimate (the cell passed early) */
	int pass;
};

struct audit_result {
	size_t n;		/* suppressed non-empty cells, by cell index */
	struct audit_cell *cells;
	size_t n_fail;
	size_t n_components;
	size_t n_lp;		/* simplex calls */
};

void audit_options_init(struct audit_options *opt);

/*
 * suppressed[i] != 0 marks cell i as suppressed (unknown).  Empty cells
 * (SDC_EMPTY) count as known zeros whatever suppressed says.  Returns
 * SDC_OK (whether or not cells fail: see res->n_fail), SDC_EINCONSISTENT
 * when the published figures admit no solution, SDC_ENOMEM, SDC_ELP.
 * On success res must be released with audit_result_release.
 */
int audit_run(const struct sdc_problem *p, const unsigned char *suppressed,
	      const struct audit_options *opt, struct audit_result *res,
	      struct diag_list *d);

/*
 * The same for a reader who also knows the cells with known[c] != 0 (their
 * values in the problem must be the true ones): res holds the cells that
 * are suppressed and not known.  known may be NULL (the outsider).
 */
int audit_run_known(const struct sdc_problem *p,
		    const unsigned char *suppressed, const unsigned char *known,
		    const struct audit_options *opt, struct audit_result *res,
		    struct diag_list *d);

/*
 * One pattern audited for many readers: the system and one LP per
 * component are built once; each run fixes the reader's known cells at
 * their values (AUDIT_TRUTH: the problem holds the true values), audits the
 * components those cells are in (every component when known is NULL: the
 * outsider), and restores the LP, warm for the next reader.  A reader's
 * result holds the cells of those components it does not know; in every
 * other component it sees what the outsider sees.  The session keeps
 * pointers to p and reads suppressed only while it is made.
 */
struct audit_session;
int audit_session_new(const struct sdc_problem *p,
		      const unsigned char *suppressed,
		      const struct audit_options *opt,
		      struct audit_session **out, struct diag_list *d);
/*
 * The relations and inequalities of every cell of p, built once for many sessions on the same
 * problem: a session made with it visits only those that hold one of its unknown cells, so a
 * restricted view (most cells known) of a large system costs what the view holds. The others
 * have nothing unknown and are not checked: p's values must be the truth (AUDIT_TRUTH). The
 * index is read only while a session is made; p must not change while it is used.
 */
struct audit_index;
int audit_index_new(const struct sdc_problem *p, struct audit_index **out,
		    struct diag_list *d);
void audit_index_free(struct audit_index *ix);
/* The relations cell is in, as a member or as the total (*rel: their numbers, in the order
   of the problem, a relation twice where the cell is in it twice); returns how many. */
size_t audit_index_relations(const struct audit_index *ix, size_t cell, const size_t **rel);
int audit_session_new_indexed(const struct sdc_problem *p, const unsigned char *suppressed,
			      const struct audit_options *opt, const struct audit_index *ix,
			      struct audit_session **out, struct diag_list *d);

/* focus (per cell, may be NULL): audit only the cells marked there. */
int audit_session_run(struct audit_session *a, const size_t *known,
		      size_t nknown, const unsigned char *focus,
		      struct audit_result *res, struct diag_list *d);
void audit_session_free(struct audit_session *a);

/*
 * Threads. GLPK keeps its state per thread: a session (or widener) is made, run and freed in
 * one thread. audit_on_solver_fatal sets the function GLPK calls on a fatal error of its own
 * (out of memory; it must not return) in this thread and in every thread that calls
 * audit_thread_begin; a program sets it once, before any audit. A thread other than the one
 * that started the program calls audit_thread_begin before its first audit and
 * audit_thread_end after its last session is freed (GLPK's state of the thread is freed).
 */
void audit_on_solver_fatal(void (*fn)(void *info));
void audit_thread_begin(void);
void audit_thread_end(void);

/* Whether an integer interval meets opt for cell (the rule above). */
int audit_passes(const struct audit_options *opt, size_t cell, int64_t ilo,
		 int64_t ihi);

/*
 * Whether the rule above is monotone under interval inclusion: an interval that contains a
 * passing interval passes. Always but for [0,0] passing while [0,1] fails, which needs
 * published zeros and min_width above 1. Where it holds, a reader who knows more deduces at
 * least as much, so a cell that passes for it passes for every reader who knows less.
 * With pass_above and min_width above 1 it does not hold ([3,3] passes above 2, [2,3] fails).
 */
int audit_monotone(const struct audit_options *opt);

/* The exact LP interval of one suppressed cell. */
int audit_cell_interval(const struct sdc_problem *p,
			const unsigned char *suppressed, size_t cell,
			double *lo, double *hi, struct diag_list *d);

/*
 * Repair: published candidate cells to suppress so that the suppressed
 * cell can reach >= target (up != 0) or <= target, at least cost: one LP
 * in which published cell c may move at weight[c] per unit (NULL: 1 +
 * value).  Sets add[c] = 1 for each such cell (add must be zeroed by the
 * caller) and *nadd (0 when the target is reachable already).
 * SDC_EUNSAFE when no suppression can do it: an answer, not an error, so
 * nothing is appended to d then.
 */
int audit_widen(const struct sdc_problem *p, const unsigned char *suppressed,
		size_t cell, int up, double target, const double *weight,
		unsigned char *add, size_t *nadd, struct diag_list *d);

/*
 * The same LP kept for several repairs: built once, then each solve
 * changes one bound and starts from the last basis.  After
 * audit_widener_suppress(w, c), published cell c moves for free in later
 * solves.  Solving for a cell suppressed after the build gives
 * SDC_EINVAL (use audit_widen).  *cost (may be NULL) gets the LP
 * objective, to compare the up and down repairs.
 */
struct audit_widener;
int audit_widener_new(const struct sdc_problem *p,
		      const unsigned char *suppressed, const double *weight,
		      struct audit_widener **out, struct diag_list *d);
/* The same for a reader who knows the cells with known[c] != 0 (suppressed
   or not): they stay at their values and are never proposed. */
int audit_widener_new_known(const struct sdc_problem *p,
			    const unsigned char *suppressed,
			    const unsigned char *known, const double *weight,
			    struct audit_widener **out, struct diag_list *d);
/* The same over the active cells only (active[c] != 0; NULL: all): every
   other cell is a constant at its value (it is neither moved nor proposed),
   so the LP is smaller and any answer it gives is also a repair of the whole
   system; SDC_EUNSAFE from a solve then means only "not within these cells".
   Solving or suppressing an inactive cell gives SDC_EINVAL. */
int audit_widener_new_active(const struct sdc_problem *p,
			     const unsigned char *suppressed,
			     const unsigned char *known,
			     const unsigned char *active, const double *weight,
			     struct audit_widener **out, struct diag_list *d);
int audit_widener_solve(struct audit_widener *w, size_t cell, int up,
			double target, unsigned char *add, size_t *nadd,
			double *cost, struct diag_list *d);
int audit_widener_suppress(struct audit_widener *w, size_t cell);
/* Solves w once with no target, with GLPK's presolver and the primal
   simplex, and keeps that optimal basis for the next solves. Worth it on the
   LP of a whole system that many solves will use: from that vertex, the dual
   simplex needs fewer pivots for each later target. On the LP of one area
   the first basis is better (a crash basis near the true values, which
   audit_widener_new_active sets). Nothing changes when that solve fails. */
void audit_widener_start(struct audit_widener *w);
/* on != 0: the next solves are for a reader who knows cells[0..n-1] (they
   stay at their values and are never proposed); on == 0: forget them. */
int audit_widener_know(struct audit_widener *w, const size_t *cells,
		       size_t n, int on);
void audit_widener_free(struct audit_widener *w);

/* The entry of res for cell, or NULL if the cell is not in it. */
const struct audit_cell *audit_result_find(const struct audit_result *res,
					   size_t cell);

void audit_result_release(struct audit_result *res);

#endif
