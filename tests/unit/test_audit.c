/*
 * test_audit.c - known answers for the LP interval audit (audit.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glpk.h>

#include "audit.h"
#include "sdc.h"

/*
 * The 2x3 table of the literature: young/old by Iceland, Portugal, Spain
 *	2 0 5 | 7
 *	3 4 6 | 13
 *	5 4 11| 20
 */
enum { YI, YP, YS, OI, OP, OS, YT, OT, TI, TP, TS, TT, NCELL23 };

static struct sdc_problem *table23(const int64_t inner[6])
{
	struct sdc_problem *p = sdc_problem_new(NCELL23);
	const size_t r0[] = { YI, YP, YS }, r1[] = { OI, OP, OS };
	const size_t c0[] = { YI, OI }, c1[] = { YP, OP }, c2[] = { YS, OS };
	const size_t rt[] = { YT, OT }, ct[] = { TI, TP, TS };
	int64_t v[NCELL23];

	assert_non_null(p);
	memcpy(v, inner, 6 * sizeof(int64_t));
	v[YT] = v[YI] + v[YP] + v[YS];
	v[OT] = v[OI] + v[OP] + v[OS];
	v[TI] = v[YI] + v[OI];
	v[TP] = v[YP] + v[OP];
	v[TS] = v[YS] + v[OS];
	v[TT] = v[YT] + v[OT];
	for (size_t i = 0; i < NCELL23; i++)
		assert_int_equal(sdc_set_cell(p, i, v[i], SDC_CANDIDATE, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, YT, r0, 3, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, OT, r1, 3, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, TI, c0, 2, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, TP, c1, 2, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, TS, c2, 2, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, TT, rt, 2, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, TT, ct, 3, NULL), SDC_OK);
	return p;
}

static const int64_t lit23[6] = { 2, 0, 5, 3, 4, 6 };

/* Audits p with the cells supp_cells[0..n) suppressed, under opt. */
static void run_audit_opt(const struct sdc_problem *p, const size_t *supp_cells,
			  size_t n, const struct audit_options *opt,
			  struct audit_result *res)
{
	unsigned char supp[64] = { 0 };
	struct diag_list d = DIAG_LIST_INIT;

	assert_true(sdc_problem_ncells(p) <= sizeof supp);
	for (size_t i = 0; i < n; i++)
		supp[supp_cells[i]] = 1;
	assert_int_equal(audit_run(p, supp, opt, res, &d), SDC_OK);
}

static void run_audit(const struct sdc_problem *p, const size_t *supp_cells,
		      size_t n, int protect_zeros, unsigned flags,
		      struct audit_result *res)
{
	struct audit_options opt;

	audit_options_init(&opt);
	opt.protect_zeros = protect_zeros;
	opt.flags = flags;
	run_audit_opt(p, supp_cells, n, &opt, res);
}

static void expect_interval(const struct audit_result *res, size_t cell,
			    int64_t lo, int64_t hi, int pass)
{
	const struct audit_cell *c = audit_result_find(res, cell);

	assert_non_null(c);
	assert_int_equal(c->ilo, lo);
	assert_int_equal(c->ihi, hi);
	assert_int_equal(c->pass, pass);
}

static void test_single_zero_disclosed(void **state)
{
	struct sdc_problem *p = table23(lit23);
	struct audit_result res;
	const size_t s1[] = { YP };

	(void)state;
	run_audit(p, s1, 1, 1, AUDIT_EXACT, &res);
	assert_int_equal(res.n, 1);
	expect_interval(&res, YP, 0, 0, 0);
	assert_int_equal(res.n_fail, 1);
	audit_result_release(&res);
	/* with zeros published, [0,0] discloses no one */
	run_audit(p, s1, 1, 0, AUDIT_EXACT, &res);
	expect_interval(&res, YP, 0, 0, 1);
	assert_int_equal(res.n_fail, 0);
	audit_result_release(&res);
	sdc_problem_free(p);
}

static void test_column_pair_disclosed(void **state)
{
	struct sdc_problem *p = table23(lit23);
	struct audit_result res;
	const size_t s2[] = { YP, OP };

	(void)state;
	run_audit(p, s2, 2, 1, AUDIT_EXACT, &res);
	expect_interval(&res, YP, 0, 0, 0);
	expect_interval(&res, OP, 4, 4, 0);
	assert_int_equal(res.n_fail, 2);
	audit_result_release(&res);
	sdc_problem_free(p);
}

static void test_safe_rectangle(void **state)
{
	struct sdc_problem *p = table23(lit23);
	struct audit_result res;
	const size_t s4[] = { YI, YP, OI, OP };

	(void)state;
	for (unsigned flags = 0; flags <= AUDIT_EXACT; flags++) {
		run_audit(p, s4, 4, 1, flags, &res);
		assert_int_equal(res.n_fail, 0);
		assert_int_equal(res.n_components, 1);
		if (flags & AUDIT_EXACT) {
			expect_interval(&res, YI, 0, 2, 1);
			expect_interval(&res, YP, 0, 2, 1);
			expect_interval(&res, OI, 3, 5, 1);
			expect_interval(&res, OP, 2, 4, 1);
			for (size_t i = 0; i < res.n; i++)
				assert_true(res.cells[i].exact);
		}
		audit_result_release(&res);
	}
	sdc_problem_free(p);
}

/*
 * 3x2 table: rows 7, 3, 6 (row 3 published as 3, 3), columns 9, 7,
 * total 16; the four other inner cells suppressed: top-left in [3,6].
 */
static void test_three_by_two(void **state)
{
	enum { A, B, C, D, E, F, R1, R2, R3, K1, K2, T, N };
	const int64_t v[N] = { 4, 3, 2, 1, 3, 3, 7, 3, 6, 9, 7, 16 };
	const size_t r1[] = { A, B }, r2[] = { C, D }, r3[] = { E, F };
	const size_t k1[] = { A, C, E }, k2[] = { B, D, F };
	const size_t rt[] = { R1, R2, R3 }, kt[] = { K1, K2 };
	const size_t supp[] = { A, B, C, D };
	struct sdc_problem *p = sdc_problem_new(N);
	struct audit_result res;

	(void)state;
	for (size_t i = 0; i < N; i++)
		sdc_set_cell(p, i, v[i], SDC_CANDIDATE, NULL);
	sdc_add_relation(p, R1, r1, 2, NULL);
	sdc_add_relation(p, R2, r2, 2, NULL);
	sdc_add_relation(p, R3, r3, 2, NULL);
	sdc_add_relation(p, K1, k1, 3, NULL);
	sdc_add_relation(p, K2, k2, 3, NULL);
	sdc_add_relation(p, T, rt, 3, NULL);
	sdc_add_relation(p, T, kt, 2, NULL);
	run_audit(p, supp, 4, 0, AUDIT_EXACT, &res);
	expect_interval(&res, A, 3, 6, 1);
	expect_interval(&res, B, 1, 4, 1);
	expect_interval(&res, C, 0, 3, 1);
	expect_interval(&res, D, 0, 3, 1);
	audit_result_release(&res);
	/* the fast mode agrees on pass/fail */
	run_audit(p, supp, 4, 0, 0, &res);
	assert_int_equal(res.n_fail, 0);
	audit_result_release(&res);
	sdc_problem_free(p);
}

/* young: Spain 5, Iceland 0, Portugal 0; old: 6, 3, 4 */
static void test_zero_partners(void **state)
{
	const int64_t v[6] = { 0, 0, 5, 3, 4, 6 };
	struct sdc_problem *p = table23(v);
	struct audit_result res;
	const size_t s2[] = { YI, YP };
	const size_t s4[] = { YI, YP, OI, OP };
	const size_t s6[] = { YI, YP, YS, OI, OP, OS };

	(void)state;
	run_audit(p, s2, 2, 1, 0, &res);
	assert_int_equal(res.n_fail, 2);
	expect_interval(&res, YI, 0, 0, 0);
	audit_result_release(&res);
	/* the linearly safe rectangle is still pinned by non-negativity */
	run_audit(p, s4, 4, 1, AUDIT_EXACT, &res);
	assert_int_equal(res.n_fail, 4);
	expect_interval(&res, OI, 3, 3, 0);
	audit_result_release(&res);
	run_audit(p, s6, 6, 1, AUDIT_EXACT, &res);
	assert_int_equal(res.n_fail, 0);
	expect_interval(&res, YI, 0, 3, 1);
	expect_interval(&res, YS, 0, 5, 1);
	audit_result_release(&res);
	sdc_problem_free(p);
}

/* a <= b with b published pins a suppressed a */
static void test_inequality_pins(void **state)
{
	enum { A, C, T, D, N };
	const size_t m[] = { A, C };
	const size_t supp[] = { A, C };
	struct sdc_problem *p = sdc_problem_new(N);
	struct audit_result res;

	(void)state;
	sdc_set_cell(p, A, 2, SDC_PRIMARY, NULL);
	sdc_set_cell(p, C, 0, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, T, 2, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, D, 0, SDC_CANDIDATE, NULL);
	sdc_add_relation(p, T, m, 2, NULL);
	run_audit(p, supp, 2, 0, AUDIT_EXACT, &res);
	expect_interval(&res, A, 0, 2, 1);
	audit_result_release(&res);
	assert_int_equal(sdc_add_leq(p, C, D, NULL), SDC_OK);
	run_audit(p, supp, 2, 0, AUDIT_EXACT, &res);
	expect_interval(&res, A, 2, 2, 0);
	expect_interval(&res, C, 0, 0, 1);
	assert_int_equal(res.n_fail, 1);
	audit_result_release(&res);
	sdc_problem_free(p);
}

/*
 * zero_sib: an area's total over categories 1-4 (T = P + F, F its Category 4) pinned at its
 * 1-3 total P tells only that F is 0, which passes as a published zero: T passes at exactly
 * P's value when P is public (published, or pinned by its known bounds: an earlier
 * publication's figure), not when P is only deduced, not with zeros protected, and not inside
 * the protection range. (A revision of Durham on an adversarial inbox was refused: T at
 * [5, 5] failed where F at [0, 0] passed.)
 */
static void zero_sib_run(const struct sdc_problem *p, const size_t *supp_cells, size_t n,
			 const size_t *zero_sib, const int64_t *range, int protect_zeros,
			 struct audit_result *res)
{
	struct audit_options opt;

	audit_options_init(&opt);
	opt.flags = AUDIT_EXACT;
	opt.protect_zeros = protect_zeros;
	opt.zero_sib = zero_sib;
	opt.range_max = range;
	run_audit_opt(p, supp_cells, n, &opt, res);
}

static void test_zero_sib(void **state)
{
	enum { P, F, T, D, Q, R, N };
	const size_t tm[] = { P, F }, qm[] = { P, R };
	const size_t sib[N] = { SIZE_MAX, SIZE_MAX, P, SIZE_MAX, SIZE_MAX, SIZE_MAX };
	const size_t s2[] = { F, T }, s3[] = { P, F, T };
	const int64_t range2[N] = { 2, 2, 2, 2, 2, 2 }, range5[N] = { 5, 5, 5, 5, 5, 5 };
	struct sdc_problem *p = sdc_problem_new(N);
	struct audit_result res;

	(void)state;
	sdc_set_cell(p, P, 5, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, F, 0, SDC_WITHHELD, NULL);
	sdc_set_cell(p, T, 5, SDC_WITHHELD, NULL);
	sdc_set_cell(p, D, 0, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, Q, 7, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, R, 2, SDC_CANDIDATE, NULL);
	sdc_add_relation(p, T, tm, 2, NULL);
	sdc_add_relation(p, Q, qm, 2, NULL);
	assert_int_equal(sdc_add_leq(p, F, D, NULL), SDC_OK); /* F pinned at 0 */
	/* without zero_sib: T fails at [5, 5], F passes at [0, 0] */
	zero_sib_run(p, s2, 2, NULL, NULL, 0, &res);
	expect_interval(&res, T, 5, 5, 0);
	expect_interval(&res, F, 0, 0, 1);
	audit_result_release(&res);
	/* P published: T passes, as F does; and with a protection range below 5 */
	zero_sib_run(p, s2, 2, sib, NULL, 0, &res);
	expect_interval(&res, T, 5, 5, 1);
	assert_int_equal(res.n_fail, 0);
	audit_result_release(&res);
	zero_sib_run(p, s2, 2, sib, range2, 0, &res);
	expect_interval(&res, T, 5, 5, 1);
	audit_result_release(&res);
	/* not inside the protection range, not with zeros protected */
	zero_sib_run(p, s2, 2, sib, range5, 0, &res);
	expect_interval(&res, T, 5, 5, 0);
	audit_result_release(&res);
	zero_sib_run(p, s2, 2, sib, NULL, 1, &res);
	expect_interval(&res, T, 5, 5, 0);
	audit_result_release(&res);
	/* P suppressed, deduced (Q - R) but not public: T fails */
	zero_sib_run(p, s3, 3, sib, NULL, 0, &res);
	expect_interval(&res, P, 5, 5, 0);
	expect_interval(&res, T, 5, 5, 0);
	audit_result_release(&res);
	/* P suppressed with known bounds [5, 5] (an earlier publication's figure): public */
	assert_int_equal(sdc_set_bounds(p, P, 5, 5, NULL), SDC_OK);
	zero_sib_run(p, s3, 3, sib, NULL, 0, &res);
	expect_interval(&res, T, 5, 5, 1);
	audit_result_release(&res);
	sdc_problem_free(p);
}

/*
 * An inequality with one unknown left is a bound of that unknown (the audit makes it a
 * column bound, not a row): from below (D <= C, D published) as well as from above, and
 * combined with the cell's own known bounds; bounds that leave no value are S02.
 */
static void test_inequality_one_unknown(void **state)
{
	enum { A, C, T, D, N };
	const size_t m[] = { A, C };
	const size_t supp[] = { A, C };
	struct sdc_problem *p = sdc_problem_new(N);
	struct audit_result res;
	unsigned char s[N] = { 1, 1, 0, 0 };
	struct diag_list d = DIAG_LIST_INIT;

	(void)state;
	sdc_set_cell(p, A, 2, SDC_PRIMARY, NULL);
	sdc_set_cell(p, C, 6, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, T, 8, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, D, 5, SDC_CANDIDATE, NULL);
	sdc_add_relation(p, T, m, 2, NULL);
	assert_int_equal(sdc_add_leq(p, D, C, NULL), SDC_OK);	/* C >= 5 */
	run_audit(p, supp, 2, 0, AUDIT_EXACT, &res);
	expect_interval(&res, C, 5, 8, 1);
	expect_interval(&res, A, 0, 3, 1);
	audit_result_release(&res);
	/* and C <= 7 from its own bounds: A in [1,3], which the range protects against */
	assert_int_equal(sdc_set_bounds(p, C, 0, 7, NULL), SDC_OK);
	run_audit(p, supp, 2, 0, AUDIT_EXACT, &res);
	expect_interval(&res, C, 5, 7, 1);
	expect_interval(&res, A, 1, 3, 1);
	audit_result_release(&res);
	/* C <= 4 contradicts D <= C with D = 5 */
	assert_int_equal(sdc_set_bounds(p, C, 0, 4, NULL), SDC_OK);
	assert_int_equal(audit_run(p, s, NULL, &res, &d), SDC_EINCONSISTENT);
	assert_true(d.count > 0);
	assert_string_equal(d.items[d.count - 1].rule, "S02");
	assert_non_null(strstr(d.items[d.count - 1].message, "no non-negative solution"));
	diag_clear(&d);
	sdc_problem_free(p);
}

/*
 * x + y = c with both unknown ties x to y in the LP (x = c - y): the same answers, and a
 * contradiction found when the ties are made is S02 as the LP's would be, with and without
 * the ties: bounds that leave the tied column no value (A + C = 8 with A >= 5 and C >= 4),
 * and a second equality over the same two that the first contradicts (A + C = 8 and = 9).
 */
static void test_ties(void **state)
{
	enum { A, C, T, U, N };
	const size_t m[] = { A, C };
	unsigned char s[N] = { 1, 1, 0, 0 };
	struct audit_result res;
	struct diag_list d = DIAG_LIST_INIT;
	struct audit_options opt;

	(void)state;
	for (unsigned ties = 0; ties < 2; ties++) {
		struct sdc_problem *p = sdc_problem_new(N);
		audit_options_init(&opt);
		opt.flags = AUDIT_EXACT | (ties ? 0u : AUDIT_NO_TIES);
		sdc_set_cell(p, A, 5, SDC_PRIMARY, NULL);
		sdc_set_cell(p, C, 3, SDC_CANDIDATE, NULL);
		sdc_set_cell(p, T, 8, SDC_CANDIDATE, NULL);
		sdc_set_cell(p, U, 8, SDC_CANDIDATE, NULL);
		sdc_add_relation(p, T, m, 2, NULL);
		sdc_add_relation(p, U, m, 2, NULL);
		assert_int_equal(sdc_set_bounds(p, A, 2, -1, NULL), SDC_OK);
		assert_int_equal(audit_run(p, s, &opt, &res, &d), SDC_OK);
		expect_interval(&res, A, 2, 8, 1);
		expect_interval(&res, C, 0, 6, 1);
		audit_result_release(&res);
		/* bounds: A >= 5 and C >= 4 leave A + C = 8 no solution */
		assert_int_equal(sdc_set_bounds(p, A, 5, -1, NULL), SDC_OK);
		assert_int_equal(sdc_set_bounds(p, C, 4, -1, NULL), SDC_OK);
		assert_int_equal(audit_run(p, s, &opt, &res, &d), SDC_EINCONSISTENT);
		assert_true(d.count > 0);
		assert_string_equal(d.items[d.count - 1].rule, "S02");
		assert_non_null(strstr(d.items[d.count - 1].message, "no non-negative solution"));
		diag_clear(&d);
		/* the same two cells summing to 8 and to 9 */
		assert_int_equal(sdc_set_bounds(p, A, 0, -1, NULL), SDC_OK);
		assert_int_equal(sdc_set_bounds(p, C, 0, -1, NULL), SDC_OK);
		sdc_set_cell(p, U, 9, SDC_CANDIDATE, NULL);
		assert_int_equal(audit_run(p, s, &opt, &res, &d), SDC_EINCONSISTENT);
		assert_true(d.count > 0);
		assert_string_equal(d.items[d.count - 1].rule, "S02");
		diag_clear(&d);
		sdc_problem_free(p);
	}
}

/* known bounds (from a rounded rate) narrow an interval */
static void test_bounds(void **state)
{
	struct sdc_problem *p = table23(lit23);
	struct audit_result res;
	const size_t s4[] = { YI, YP, OI, OP };

	(void)state;
	assert_int_equal(sdc_set_bounds(p, OI, 4, 9, NULL), SDC_OK);
	run_audit(p, s4, 4, 1, AUDIT_EXACT, &res);
	expect_interval(&res, YI, 0, 1, 1);
	expect_interval(&res, OI, 4, 5, 1);
	audit_result_release(&res);
	assert_int_equal(sdc_set_bounds(p, OI, 5, 9, NULL), SDC_OK);
	run_audit(p, s4, 4, 1, AUDIT_EXACT, &res);
	expect_interval(&res, YI, 0, 0, 0);
	assert_int_equal(res.n_fail, 4);
	audit_result_release(&res);
	sdc_problem_free(p);
}

static void test_minimum_width(void **state)
{
	struct sdc_problem *p = table23(lit23);
	struct audit_result res;
	struct audit_options opt;
	unsigned char supp[NCELL23] = { 0 };

	(void)state;
	supp[YI] = supp[YP] = supp[OI] = supp[OP] = 1;
	audit_options_init(&opt);
	opt.min_width = 3;
	assert_int_equal(audit_run(p, supp, &opt, &res, NULL), SDC_OK);
	assert_int_equal(res.n_fail, 4);
	audit_result_release(&res);
	opt.min_width = 2;
	assert_int_equal(audit_run(p, supp, &opt, &res, NULL), SDC_OK);
	assert_int_equal(res.n_fail, 0);
	audit_result_release(&res);
	sdc_problem_free(p);
}

/* separate tables are separate components; published values are all
   the audit reads */
static void test_components_and_unknown_values(void **state)
{
	struct sdc_problem *p = sdc_problem_new((size_t)2 * NCELL23);
	struct audit_result res;
	unsigned char supp[2 * NCELL23] = { 0 };
	struct audit_options opt;

	(void)state;
	for (size_t t = 0; t < 2; t++) {
		struct sdc_problem *q = table23(lit23);
		size_t off = t * NCELL23;
		for (size_t i = 0; i < NCELL23; i++)
			sdc_set_cell(p, off + i, sdc_cell_value(q, i),
				     SDC_CANDIDATE, NULL);
		for (size_t r = 0; r < sdc_nrelations(q); r++) {
			const size_t *m;
			size_t nm, mm[3];
			size_t tot = sdc_relation(q, r, &m, &nm);
			for (size_t k = 0; k < nm; k++)
				mm[k] = m[k] + off;
			sdc_add_relation(p, tot + off, mm, nm, NULL);
		}
		sdc_problem_free(q);
	}
	/* a standalone checker does not know the suppressed values */
	sdc_set_cell(p, YI, 0, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, OP, 0, SDC_CANDIDATE, NULL);
	supp[YI] = supp[YP] = supp[OI] = supp[OP] = 1;
	supp[NCELL23 + YP] = 1;
	audit_options_init(&opt);
	opt.flags = AUDIT_EXACT;
	assert_int_equal(audit_run(p, supp, &opt, &res, NULL), SDC_OK);
	assert_int_equal(res.n, 5);
	assert_int_equal(res.n_components, 2);
	expect_interval(&res, OP, 2, 4, 1);
	expect_interval(&res, NCELL23 + YP, 0, 0, 1);
	assert_true(audit_result_find(&res, YS) == NULL);
	audit_result_release(&res);
	sdc_problem_free(p);
}

/* the repair LP finds the cheapest cells that let a pinned cell move */
static void test_widen(void **state)
{
	const int64_t v[6] = { 0, 0, 5, 3, 4, 6 };
	struct sdc_problem *p = table23(v);
	unsigned char supp[NCELL23] = { 0 }, add[NCELL23] = { 0 };
	struct audit_result res;
	struct audit_options opt;
	size_t nadd = 0;
	double lo, hi;

	(void)state;
	supp[YI] = supp[YP] = supp[OI] = supp[OP] = 1;
	assert_int_equal(audit_cell_interval(p, supp, YI, &lo, &hi, NULL),
			 SDC_OK);
	assert_true(lo > -1e-9 && hi < 1e-9);
	assert_int_equal(audit_widen(p, supp, YI, 1, 1.0, NULL, add, &nadd, NULL), SDC_OK);
	/* young Iceland up means young Spain down and old Spain up */
	assert_int_equal(nadd, 2);
	assert_true(add[YS] && add[OS]);
	supp[YS] = supp[OS] = 1;
	audit_options_init(&opt);
	opt.protect_zeros = 1;
	opt.flags = AUDIT_EXACT;
	assert_int_equal(audit_run(p, supp, &opt, &res, NULL), SDC_OK);
	assert_int_equal(res.n_fail, 0);
	audit_result_release(&res);
	/* a cell bounded by a known hi cannot be pushed past it */
	sdc_set_bounds(p, YI, 0, 0, NULL);
	memset(add, 0, sizeof(add));
	assert_int_equal(audit_widen(p, supp, YI, 1, 1.0, NULL, add, &nadd, NULL), SDC_EUNSAFE);
	/* a target within reach needs nothing */
	assert_int_equal(audit_widen(p, supp, YS, 0, 5.0, NULL, add, &nadd, NULL), SDC_OK);
	assert_int_equal(nadd, 0);
	assert_int_equal(audit_widen(p, supp, TT, 0, 5.0, NULL, add, &nadd, NULL), SDC_EINVAL);
	sdc_problem_free(p);
}

/* the reusable repair LP: warm solves, cells suppressed along the way */
static void test_widener(void **state)
{
	const int64_t v[6] = { 0, 0, 5, 3, 4, 6 };
	struct sdc_problem *p = table23(v);
	unsigned char supp[NCELL23] = { 0 }, add[NCELL23] = { 0 };
	struct audit_widener *w = NULL;
	size_t nadd = 0;
	double cost = -1.0;

	(void)state;
	supp[YI] = supp[YP] = supp[OI] = supp[OP] = 1;
	assert_int_equal(audit_widener_new(p, supp, NULL, &w, NULL),
			 SDC_OK);
	assert_int_equal(audit_widener_solve(w, YI, 1, 1.0, add, &nadd, &cost, NULL), SDC_OK);
	assert_int_equal(nadd, 2);
	assert_true(add[YS] && add[OS]);
	assert_true(cost > 0.0);
	/* once they are suppressed, young Portugal can move as well */
	assert_int_equal(audit_widener_suppress(w, YS), SDC_OK);
	assert_int_equal(audit_widener_suppress(w, OS), SDC_OK);
	memset(add, 0, sizeof(add));
	assert_int_equal(audit_widener_solve(w, YP, 1, 1.0, add, &nadd, &cost, NULL), SDC_OK);
	assert_int_equal(nadd, 0);
	assert_true(cost < 1e-9);
	/* a cell suppressed after the build needs a fresh LP */
	assert_int_equal(audit_widener_solve(w, YS, 1, 6.0, add, &nadd, NULL, NULL), SDC_EINVAL);
	/* published cells cannot be pushed */
	assert_int_equal(audit_widener_solve(w, TT, 1, 6.0, add, &nadd, NULL, NULL), SDC_EINVAL);
	assert_int_equal(audit_widener_suppress(w, 99), SDC_EINVAL);
	audit_widener_free(w);
	audit_widener_free(NULL);
	sdc_problem_free(p);
}

/*
 * A widener started from the presolver's vertex (audit_widener_start) answers as one started
 * from its first basis (the crash basis near the true values: YI, OI and OP basic here), cost
 * for cost, over six solves: two independent starts of the same LP.
 */
static void test_widener_started(void **state)
{
	const int64_t v[6] = { 0, 0, 5, 3, 4, 6 };
	struct sdc_problem *p = table23(v);
	unsigned char supp[NCELL23] = { 0 }, add[2][NCELL23];
	struct audit_widener *w[2] = { NULL, NULL };
	size_t nadd[2];
	double cost[2];

	(void)state;
	supp[YI] = supp[YP] = supp[OI] = supp[OP] = 1;
	for (int k = 0; k < 2; k++)
		assert_int_equal(audit_widener_new(p, supp, NULL, &w[k], NULL), SDC_OK);
	audit_widener_start(w[1]);
	for (int k = 0; k < 2; k++) {
		memset(add[k], 0, sizeof add[k]);
		assert_int_equal(audit_widener_solve(w[k], YI, 1, 1.0, add[k], &nadd[k],
						     &cost[k], NULL), SDC_OK);
	}
	assert_int_equal(nadd[1], nadd[0]);
	assert_int_equal(nadd[1], 2);
	assert_true(fabs(cost[1] - cost[0]) < 1e-9);
	assert_memory_equal(add[1], add[0], sizeof add[0]);
	/* then, warm from there, each solve the same answer too */
	for (size_t t = 0; t < 4; t++) {
		const size_t cell[4] = { OI, OP, YP, OI };
		const double target[4] = { 1.0, 9.0, 2.0, 7.0 };
		int r[2];
		for (int k = 0; k < 2; k++) {
			memset(add[k], 0, sizeof add[k]);
			r[k] = audit_widener_solve(w[k], cell[t], t != 0, target[t], add[k],
						   &nadd[k], &cost[k], NULL);
		}
		assert_int_equal(r[1], r[0]);
		assert_int_equal(nadd[1], nadd[0]);
		if (r[0] == SDC_OK)
			assert_true(fabs(cost[1] - cost[0]) < 1e-9);
	}
	audit_widener_free(w[0]);
	audit_widener_free(w[1]);
	sdc_problem_free(p);
}

static void test_inconsistent(void **state)
{
	struct sdc_problem *p = table23(lit23);
	struct audit_result res;
	unsigned char supp[NCELL23] = { 0 };
	struct diag_list d = DIAG_LIST_INIT;

	(void)state;
	sdc_set_cell(p, TT, 21, SDC_CANDIDATE, NULL);
	assert_int_equal(audit_run(p, supp, NULL, &res, &d),
			 SDC_EINCONSISTENT);
	assert_true(d.count > 0);
	assert_string_equal(d.items[0].rule, "S02");
	diag_clear(&d);
	/* infeasible only through non-negativity */
	sdc_set_cell(p, TT, 20, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, YT, 1, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, OT, 19, SDC_CANDIDATE, NULL);
	supp[YI] = supp[OI] = 1;	/* young Iceland = 1 - 0 - 5 < 0 */
	assert_int_equal(audit_run(p, supp, NULL, &res, &d),
			 SDC_EINCONSISTENT);
	assert_true(d.count > 0);
	assert_non_null(strstr(d.items[d.count - 1].message, "no non-negative solution"));
	diag_clear(&d);
	audit_result_release(NULL);
	sdc_problem_free(p);
}

static void test_unbounded(void **state)
{
	struct sdc_problem *p = table23(lit23);
	struct audit_result res;
	const size_t s[] = { YI, YP, OI, OP, TI, TP, YT, OT, TT };

	(void)state;
	run_audit(p, s, 9, 1, AUDIT_EXACT, &res);
	expect_interval(&res, YI, 0, INT64_MAX, 1);
	assert_true(audit_result_find(&res, YI)->hi == HUGE_VAL);
	audit_result_release(&res);
	sdc_problem_free(p);
}

/* The audit of a reader who knows some cells, with the true values set. */
static void run_known(const struct sdc_problem *p, const size_t *supp_cells,
		      size_t n, const size_t *known_cells, size_t nk,
		      const int64_t *range, struct audit_result *res)
{
	unsigned char supp[64] = { 0 }, known[64] = { 0 };
	struct audit_options opt;
	struct diag_list d = DIAG_LIST_INIT;

	audit_options_init(&opt);
	opt.flags = AUDIT_TRUTH | AUDIT_EXACT;
	opt.range_max = range;
	for (size_t i = 0; i < n; i++)
		supp[supp_cells[i]] = 1;
	for (size_t i = 0; i < nk; i++)
		known[known_cells[i]] = 1;
	assert_int_equal(audit_run_known(p, supp, nk ? known : NULL, &opt, res,
					 &d), SDC_OK);
}

/*
 * The person alone in a cell of 1: young-Iceland is 1, and the rectangle
 * young/old by Iceland/Portugal is suppressed.  Everyone else sees every
 * cell move (young-Iceland in [0,3]); the one person in young-Iceland knows
 * it is 1, and with it the whole rectangle.
 */
static void test_singleton_reader(void **state)
{
	static const int64_t v[6] = { 1, 2, 5, 3, 4, 6 };
	struct sdc_problem *p = table23(v);
	const size_t rect[] = { YI, YP, OI, OP }, me[] = { YI };
	struct audit_result res;

	(void)state;
	run_known(p, rect, 4, NULL, 0, NULL, &res);
	assert_int_equal(res.n_fail, 0);
	expect_interval(&res, YI, 0, 3, 1);
	audit_result_release(&res);
	run_known(p, rect, 4, me, 1, NULL, &res);
	assert_int_equal(res.n, 3);	/* its own cell is not audited */
	assert_null(audit_result_find(&res, YI));
	expect_interval(&res, YP, 2, 2, 0);
	expect_interval(&res, OI, 3, 3, 0);
	expect_interval(&res, OP, 4, 4, 0);
	assert_int_equal(res.n_fail, 3);
	audit_result_release(&res);
	sdc_problem_free(p);
}

/*
 * Two areas and the nation, one small table each: A = A1 + A2, B = B1 + B2,
 * N1 = A1 + B1, N2 = A2 + B2, N = A + B.  Only the areas' inner cells are
 * suppressed.  The outsider cannot pin any; area A's own data lead, who
 * knows A1 and A2, gets B's from the national totals.
 */
enum { A1, A2, AT, B1, B2, BT, N1, N2, NT, NCELL_AB };

static struct sdc_problem *two_areas(void)
{
	struct sdc_problem *p = sdc_problem_new(NCELL_AB);
	const int64_t v[NCELL_AB] = { 2, 50, 52, 1, 60, 61, 3, 110, 113 };
	const size_t ra[] = { A1, A2 }, rb[] = { B1, B2 }, n1[] = { A1, B1 };
	const size_t n2[] = { A2, B2 }, nt[] = { AT, BT };

	for (size_t i = 0; i < NCELL_AB; i++)
		assert_int_equal(sdc_set_cell(p, i, v[i], SDC_CANDIDATE, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, AT, ra, 2, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, BT, rb, 2, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, N1, n1, 2, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, N2, n2, 2, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, NT, nt, 2, NULL), SDC_OK);
	return p;
}

static void test_insider_reader(void **state)
{
	struct sdc_problem *p = two_areas();
	const size_t supp[] = { A1, A2, B1, B2 }, area_a[] = { A1, A2, AT };
	struct audit_result res;

	(void)state;
	run_known(p, supp, 4, NULL, 0, NULL, &res);
	assert_int_equal(res.n_fail, 0);
	expect_interval(&res, B1, 0, 3, 1);
	audit_result_release(&res);
	run_known(p, supp, 4, area_a, 3, NULL, &res);
	assert_int_equal(res.n, 2);
	expect_interval(&res, B1, 1, 1, 0);
	expect_interval(&res, B2, 60, 60, 0);
	audit_result_release(&res);
	sdc_problem_free(p);
}

/*
 * The protection range: T = a + b published as 3, a and b suppressed and
 * known to lie in [1, 2] (a published rate, say).  Width 1 is met, but a
 * reader learns that each holds 1 or 2 people: with the range top 2 both
 * fail; the truth (1, 2) and a cell reaching 3 or 0 would pass.
 */
static void test_protection_range(void **state)
{
	struct sdc_problem *p = sdc_problem_new(3);
	const size_t m[] = { 1, 2 }, supp[] = { 1, 2 };
	const int64_t none[3] = { 0, 0, 0 }, top2[3] = { 2, 2, 2 };
	struct audit_result res;

	(void)state;
	assert_int_equal(sdc_set_cell(p, 0, 3, SDC_CANDIDATE, NULL), SDC_OK);
	assert_int_equal(sdc_set_cell(p, 1, 1, SDC_PRIMARY, NULL), SDC_OK);
	assert_int_equal(sdc_set_cell(p, 2, 2, SDC_PRIMARY, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, 0, m, 2, NULL), SDC_OK);
	assert_int_equal(sdc_set_bounds(p, 1, 1, 2, NULL), SDC_OK);
	assert_int_equal(sdc_set_bounds(p, 2, 1, 2, NULL), SDC_OK);
	run_known(p, supp, 2, NULL, 0, none, &res);
	expect_interval(&res, 1, 1, 2, 1);
	audit_result_release(&res);
	run_known(p, supp, 2, NULL, 0, top2, &res);
	expect_interval(&res, 1, 1, 2, 0);
	expect_interval(&res, 2, 1, 2, 0);
	audit_result_release(&res);
	/* the rule itself */
	{
		struct audit_options opt;
		audit_options_init(&opt);
		opt.range_max = top2;
		assert_false(audit_passes(&opt, 1, 1, 2));
		assert_true(audit_passes(&opt, 1, 0, 2));
		assert_true(audit_passes(&opt, 1, 2, 3));
		assert_true(audit_passes(&opt, 1, 1, INT64_MAX));
		assert_false(audit_passes(&opt, 1, 1, 1));
	}
	sdc_problem_free(p);
}

/* A session gives every reader the answer of a fresh audit, and leaves
   the LP as it found it for the next reader. */
static void test_session_matches_fresh_audits(void **state)
{
	struct sdc_problem *p = two_areas();
	unsigned char supp[NCELL_AB] = { 0 };
	const size_t cells[] = { A1, A2, B1, B2 }, area_a[] = { A1, A2, AT };
	const size_t area_b[] = { B1, B2, BT };
	struct audit_options opt;
	struct audit_session *sess = NULL;
	struct audit_result res;

	(void)state;
	for (size_t i = 0; i < 4; i++)
		supp[cells[i]] = 1;
	audit_options_init(&opt);
	opt.flags = AUDIT_TRUTH;
	assert_int_equal(audit_session_new(p, supp, &opt, &sess, NULL), SDC_OK);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(audit_session_run(sess, area_a, 3, NULL, &res, NULL), SDC_OK);
		expect_interval(&res, B1, 1, 1, 0);
		assert_null(audit_result_find(&res, A1));
		audit_result_release(&res);
		assert_int_equal(audit_session_run(sess, NULL, 0, NULL, &res, NULL), SDC_OK);
		assert_int_equal(res.n, 4);
		assert_int_equal(res.n_fail, 0);
		audit_result_release(&res);
		assert_int_equal(audit_session_run(sess, area_b, 3, NULL, &res, NULL), SDC_OK);
		expect_interval(&res, A1, 2, 2, 0);
		expect_interval(&res, A2, 50, 50, 0);
		audit_result_release(&res);
	}
	/* focus: only the cells asked for */
	{
		unsigned char focus[NCELL_AB] = { 0 };
		focus[B2] = 1;
		assert_int_equal(audit_session_run(sess, area_a, 3, focus, &res, NULL), SDC_OK);
		assert_int_equal(res.n, 1);
		expect_interval(&res, B2, 60, 60, 0);
		audit_result_release(&res);
	}
	audit_session_free(sess);
	audit_session_free(NULL);
	sdc_problem_free(p);
}

/*
 * A session made with an index (audit_session_new_indexed) builds the same LP from the
 * relations and inequalities that hold its unknowns: the same intervals as one made without,
 * on random grids with inequalities and random patterns, as restricted views are (most
 * cells known).
 */
static void test_indexed_session_matches(void **state)
{
	enum { R = 5, C = 6, W = C + 1, N = (R + 1) * W };
	uint64_t seed = UINT64_C(0x2545f4914f6cdd1d);
	struct audit_index *ix = NULL;
	size_t audited = 0, exact = 0;

	(void)state;
	audit_index_free(NULL);
	for (int trial = 0; trial < 60; trial++) {
		struct sdc_problem *p = sdc_problem_new(N);
		int64_t v[N] = { 0 };
		unsigned char supp[N] = { 0 };
		size_t m[W];
		struct audit_options opt;
		struct audit_session *a = NULL, *b = NULL;
		struct audit_result ra, rb;

		assert_non_null(p);
		for (size_t r = 0; r < R; r++)
			for (size_t c = 0; c < C; c++) {
				seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
				v[r * W + c] = (int64_t)(seed % 7);
				v[r * W + C] += v[r * W + c];
				v[(size_t)R * W + c] += v[r * W + c];
				v[R * W + C] += v[r * W + c];
			}
		for (size_t i = 0; i < N; i++)
			assert_int_equal(sdc_set_cell(p, i, v[i], SDC_CANDIDATE, NULL), SDC_OK);
		for (size_t r = 0; r <= R; r++) {
			for (size_t c = 0; c < C; c++)
				m[c] = r * W + c;
			assert_int_equal(sdc_add_relation(p, r * W + C, m, C, NULL), SDC_OK);
		}
		for (size_t c = 0; c <= C; c++) {
			for (size_t r = 0; r < R; r++)
				m[r] = r * W + c;
			assert_int_equal(sdc_add_relation(p, (size_t)R * W + c, m, R, NULL),
					 SDC_OK);
		}
		/* published knowledge: a cell of row 0 at most its neighbour of row 1 */
		for (size_t c = 0; c < C; c++)
			if (v[c] <= v[W + c])
				assert_int_equal(sdc_add_leq(p, c, W + c, NULL), SDC_OK);
		/* a sparse pattern in two rows, as in a restricted view */
		for (size_t i = 0; i < N; i++) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			supp[i] = (i / W == (size_t)trial % R || i / W == R) && seed % 3 != 0;
		}
		assert_int_equal(audit_index_new(p, &ix, NULL), SDC_OK);
		audit_options_init(&opt);
		opt.flags = AUDIT_TRUTH | (trial % 2 ? AUDIT_EXACT : 0u);
		assert_int_equal(audit_session_new(p, supp, &opt, &a, NULL), SDC_OK);
		assert_int_equal(audit_session_new_indexed(p, supp, &opt, ix, &b, NULL), SDC_OK);
		assert_int_equal(audit_session_run(a, NULL, 0, NULL, &ra, NULL), SDC_OK);
		assert_int_equal(audit_session_run(b, NULL, 0, NULL, &rb, NULL), SDC_OK);
		assert_int_equal(ra.n, rb.n);
		assert_int_equal(ra.n_fail, rb.n_fail);
		audited += ra.n;
		for (size_t k = 0; k < ra.n; k++) {
			assert_int_equal(ra.cells[k].cell, rb.cells[k].cell);
			assert_true(ra.cells[k].lo == rb.cells[k].lo);
			assert_true(ra.cells[k].hi == rb.cells[k].hi);
			assert_int_equal(ra.cells[k].exact, rb.cells[k].exact);
			assert_int_equal(ra.cells[k].pass, rb.cells[k].pass);
			exact += (size_t)(ra.cells[k].exact && !ra.cells[k].pass);
		}
		audit_result_release(&ra);
		audit_result_release(&rb);
		audit_session_free(a);
		audit_session_free(b);
		audit_index_free(ix);
		sdc_problem_free(p);
	}
	/* enough cells, some of them narrowed, for the comparison to mean something */
	assert_true(audited > 300);
	assert_true(exact > 10);
}

/* The repair LP for a reader: what it knows is never proposed. */
static void test_widener_for_a_reader(void **state)
{
	struct sdc_problem *p = two_areas();
	unsigned char supp[NCELL_AB] = { 0 }, add[NCELL_AB];
	const size_t cells[] = { A1, A2, B1, B2 }, area_a[] = { A1, A2, AT };
	struct audit_widener *w = NULL;
	size_t nadd = 0;

	(void)state;
	for (size_t i = 0; i < 4; i++)
		supp[cells[i]] = 1;
	assert_int_equal(audit_widener_new(p, supp, NULL, &w, NULL), SDC_OK);
	assert_int_equal(audit_widener_know(w, area_a, 3, 1), SDC_OK);
	memset(add, 0, sizeof add);
	/* B1 must reach 2 for area A's lead: only a national cell can give */
	assert_int_equal(audit_widener_solve(w, B1, 1, 2.0, add, &nadd, NULL, NULL), SDC_OK);
	assert_true(nadd > 0);
	assert_false(add[A1] || add[A2] || add[AT]);
	assert_true(add[N1] || add[BT]);
	assert_int_equal(audit_widener_know(w, area_a, 3, 0), SDC_OK);
	/* the outsider needs nothing more */
	memset(add, 0, sizeof add);
	assert_int_equal(audit_widener_solve(w, B1, 1, 2.0, add, &nadd, NULL, NULL), SDC_OK);
	assert_int_equal(nadd, 0);
	audit_widener_free(w);
	sdc_problem_free(p);
}

/*
 * GLPK's fatal errors (out of memory) reach the hook the program sets (audit_on_solver_fatal),
 * in the thread that set it and in a thread that calls audit_thread_begin, as the readers'
 * second thread does: without it GLPK would abort (SIGABRT). Each case runs in a child with
 * GLPK's memory limited to 1 MB (glp_mem_limit, per thread), auditing a 150 x 150 table whose
 * LP needs more; the hook exits 70 (EX_SOFTWARE, as the programs' does).
 */
static void fatal_hook(void *info)
{
	(void)info;
	_exit(70);
}

static void audit_big_table(void)
{
	enum { N = 150 };
	size_t ncells = (size_t)(N + 1) * (N + 1), m[N];
	struct sdc_problem *p = sdc_problem_new(ncells);
	unsigned char *supp = calloc(ncells, 1);
	struct audit_options opt;
	struct audit_result res;

	if (!p || !supp)
		_exit(71);
	/* cell (r, c) = r * (N + 1) + c; row N and column N are the totals */
	for (size_t r = 0; r <= N; r++)
		for (size_t c = 0; c <= N; c++) {
			int64_t v = r == N && c == N ? N * N : r == N || c == N ? N : 1;
			(void)sdc_set_cell(p, r * (N + 1) + c, v, SDC_CANDIDATE, NULL);
			supp[r * (N + 1) + c] = r < N && c < N;
		}
	for (size_t r = 0; r < N; r++) {
		for (size_t c = 0; c < N; c++)
			m[c] = r * (N + 1) + c;
		(void)sdc_add_relation(p, r * (N + 1) + N, m, N, NULL);
	}
	for (size_t c = 0; c < N; c++) {
		for (size_t r = 0; r < N; r++)
			m[r] = r * (N + 1) + c;
		(void)sdc_add_relation(p, (size_t)N * (N + 1) + c, m, N, NULL);
	}
	audit_options_init(&opt);
	glp_mem_limit(1);
	(void)audit_run(p, supp, &opt, &res, NULL);
	_exit(0); /* not reached: 1 MB is too little */
}

static void *audit_big_thread(void *arg)
{
	(void)arg;
	audit_thread_begin();
	audit_big_table();
	return NULL;
}

static int child_status(int in_thread)
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		pthread_t t;
		audit_on_solver_fatal(fatal_hook);
		if (!in_thread)
			audit_big_table();
		if (pthread_create(&t, NULL, audit_big_thread, NULL) != 0)
			_exit(72);
		(void)pthread_join(t, NULL);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void test_solver_fatal_hook(void **state)
{
	(void)state;
	assert_int_equal(child_status(0), 70);
	assert_int_equal(child_status(1), 70);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_zero_disclosed),
		cmocka_unit_test(test_column_pair_disclosed),
		cmocka_unit_test(test_safe_rectangle),
		cmocka_unit_test(test_three_by_two),
		cmocka_unit_test(test_zero_partners),
		cmocka_unit_test(test_inequality_pins),
		cmocka_unit_test(test_zero_sib),
		cmocka_unit_test(test_inequality_one_unknown),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_minimum_width),
		cmocka_unit_test(test_components_and_unknown_values),
		cmocka_unit_test(test_widen),
		cmocka_unit_test(test_widener),
		cmocka_unit_test(test_widener_started),
		cmocka_unit_test(test_inconsistent),
		cmocka_unit_test(test_unbounded),
		cmocka_unit_test(test_singleton_reader),
		cmocka_unit_test(test_insider_reader),
		cmocka_unit_test(test_protection_range),
		cmocka_unit_test(test_session_matches_fresh_audits),
		cmocka_unit_test(test_indexed_session_matches),
		cmocka_unit_test(test_widener_for_a_reader),
		cmocka_unit_test(test_solver_fatal_hook),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
