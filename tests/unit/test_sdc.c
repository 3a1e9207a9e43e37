/*
 * test_sdc.c - secondary suppression (sdc.h): known cases from the
 * literature, linked tables, zeros, inequalities, and a property test
 * over a few hundred random linked tables checked by an independent
 * exact audit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "sdc.h"

static int suppressed(enum sdc_status s)
{
	return s == SDC_SUPPRESS_PRIMARY || s == SDC_SUPPRESS_SECONDARY ||
	       s == SDC_SUPPRESS_WITHHELD;
}

/* exact audit of the engine's pattern: number of failing cells */
static size_t exact_failures(const struct sdc_problem *p,
			     const enum sdc_status *st, int protect_zeros,
			     int64_t min_width)
{
	size_t n = sdc_problem_ncells(p), nfail;
	unsigned char *supp = calloc(n + 1, 1);
	struct audit_options opt;
	struct audit_result res;
	struct diag_list d = DIAG_LIST_INIT;

	assert_non_null(supp);
	for (size_t i = 0; i < n; i++)
		supp[i] = (unsigned char)suppressed(st[i]);
	audit_options_init(&opt);
	opt.flags = AUDIT_EXACT;
	opt.protect_zeros = protect_zeros;
	opt.min_width = min_width;
	if (audit_run(p, supp, &opt, &res, &d) != SDC_OK)
		fail_msg("audit: %s", d.count ? d.items[0].message : "");
	nfail = res.n_fail;
	audit_result_release(&res);
	free(supp);
	return nfail;
}

/* 2x3 young/old by Iceland/Portugal/Spain, as in test_audit.c */
enum { YI, YP, YS, OI, OP, OS, YT, OT, TI, TP, TS, TT, NCELL23 };

static struct sdc_problem *table23(const int64_t inner[6], int64_t pmax,
				   int protect_zeros)
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
		assert_int_equal(sdc_set_cell(p, i, v[i],
				 sdc_threshold_state(v[i], 1, pmax,
						     protect_zeros), NULL),
				 SDC_OK);
	sdc_add_relation(p, YT, r0, 3, NULL);
	sdc_add_relation(p, OT, r1, 3, NULL);
	sdc_add_relation(p, TI, c0, 2, NULL);
	sdc_add_relation(p, TP, c1, 2, NULL);
	sdc_add_relation(p, TS, c2, 2, NULL);
	sdc_add_relation(p, TT, rt, 2, NULL);
	sdc_add_relation(p, TT, ct, 3, NULL);
	return p;
}

static void test_threshold_state(void **state)
{
	(void)state;
	assert_int_equal(sdc_threshold_state(0, 1, 2, 0), SDC_CANDIDATE);
	assert_int_equal(sdc_threshold_state(0, 1, 2, 1), SDC_PRIMARY);
	assert_int_equal(sdc_threshold_state(1, 1, 2, 0), SDC_PRIMARY);
	assert_int_equal(sdc_threshold_state(2, 1, 2, 0), SDC_PRIMARY);
	assert_int_equal(sdc_threshold_state(3, 1, 2, 0), SDC_CANDIDATE);
}

/* young-Portugal (0) primary with zeros protected: the rectangle with
   Iceland is the cheapest safe pattern */
static void test_literature_2x3(void **state)
{
	const int64_t v[6] = { 2, 0, 5, 3, 4, 6 };
	struct sdc_problem *p = table23(v, 0, 1);
	enum sdc_status st[NCELL23];
	struct sdc_options opt;
	struct sdc_report rep;
	struct diag_list d = DIAG_LIST_INIT;

	(void)state;
	sdc_options_init(&opt);
	opt.protect_zeros = 1;
	assert_int_equal(sdc_suppress(p, &opt, st, &rep, &d),
			 SDC_OK);
	assert_int_equal(st[YP], SDC_SUPPRESS_PRIMARY);
	assert_int_equal(st[YI], SDC_SUPPRESS_SECONDARY);
	assert_int_equal(st[OI], SDC_SUPPRESS_SECONDARY);
	assert_int_equal(st[OP], SDC_SUPPRESS_SECONDARY);
	for (size_t i = 0; i < NCELL23; i++)
		if (i != YP && i != YI && i != OI && i != OP)
			assert_int_equal(st[i], SDC_PUBLISH);
	assert_int_equal(rep.n_primary, 1);
	assert_int_equal(rep.n_secondary, 3);
	assert_int_equal(rep.sum_secondary, 2 + 3 + 4);
	assert_int_equal(exact_failures(p, st, 1, 1), 0);
	sdc_problem_free(p);
}

/* zeros primary: young Spain 5, Iceland 0, Portugal 0; old 6, 3, 4.
   Suppressing the zeros (and their linear complements) discloses them;
   the engine must go further and pass the audit. */
static void test_zero_partners(void **state)
{
	const int64_t v[6] = { 0, 0, 5, 3, 4, 6 };
	struct sdc_problem *p = table23(v, 0, 1);
	enum sdc_status st[NCELL23];
	struct sdc_options opt;
	struct sdc_report rep;
	struct diag_list d = DIAG_LIST_INIT;

	(void)state;
	sdc_options_init(&opt);
	opt.protect_zeros = 1;
	/* Gaussian elimination alone is not enough */
	assert_int_equal(sdc_gauss(p, st, &d), SDC_OK);
	assert_true(exact_failures(p, st, 1, 1) > 0);
	assert_int_equal(sdc_suppress(p, &opt, st, &rep, &d),
			 SDC_OK);
	assert_int_equal(st[YI], SDC_SUPPRESS_PRIMARY);
	assert_int_equal(st[YP], SDC_SUPPRESS_PRIMARY);
	assert_true(rep.n_repairs > 0);
	assert_int_equal(exact_failures(p, st, 1, 1), 0);
	sdc_problem_free(p);
}

/*
 * Linked tables: 3 areas x (2 cells + total) and a national row that is
 * the sum of the areas.  Area 0 has a 1.
 */
static struct sdc_problem *linked3(void)
{
	const int64_t v[3][2] = { { 1, 7 }, { 9, 8 }, { 12, 10 } };
	struct sdc_problem *p = sdc_problem_new(12);
	size_t m[3];

	/* area a: cells 3a, 3a+1, total 3a+2; national 9, 10, total 11 */
	for (size_t a = 0; a < 3; a++) {
		for (size_t c = 0; c < 2; c++)
			sdc_set_cell(p, 3 * a + c, v[a][c],
				     sdc_threshold_state(v[a][c], 1, 2, 0), NULL);
		sdc_set_cell(p, 3 * a + 2, v[a][0] + v[a][1], SDC_CANDIDATE, NULL);
		m[0] = 3 * a;
		m[1] = 3 * a + 1;
		sdc_add_relation(p, 3 * a + 2, m, 2, NULL);
	}
	sdc_set_cell(p, 9, 22, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, 10, 25, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, 11, 47, SDC_CANDIDATE, NULL);
	for (size_t c = 0; c < 3; c++) {
		m[0] = c;
		m[1] = 3 + c;
		m[2] = 6 + c;
		sdc_add_relation(p, 9 + c, m, 3, NULL);
	}
	m[0] = 9;
	m[1] = 10;
	sdc_add_relation(p, 11, m, 2, NULL);
	return p;
}

static void test_linked_tables(void **state)
{
	struct sdc_problem *p = linked3();
	enum sdc_status st[12];
	struct sdc_report rep;
	struct diag_list d = DIAG_LIST_INIT;
	size_t area_supp[3] = { 0, 0, 0 };

	(void)state;
	/* suppressing within area 0 only: recoverable from the national row */
	for (size_t i = 0; i < 12; i++)
		st[i] = SDC_PUBLISH;
	st[0] = SDC_SUPPRESS_PRIMARY;
	st[1] = SDC_SUPPRESS_SECONDARY;
	assert_true(exact_failures(p, st, 0, 1) > 0);

	assert_int_equal(sdc_suppress(p, NULL, st, &rep, &d),
			 SDC_OK);
	assert_int_equal(st[0], SDC_SUPPRESS_PRIMARY);
	for (size_t i = 0; i < 9; i++)
		if (suppressed(st[i]))
			area_supp[i / 3]++;
	assert_true(area_supp[1] + area_supp[2] > 0);
	assert_int_equal(exact_failures(p, st, 0, 1), 0);
	/* the cheapest complement: area 1 (9, 8) rather than area 2 */
	assert_int_equal(rep.n_secondary, 3);
	assert_int_equal(rep.sum_secondary, 7 + 9 + 8);
	sdc_problem_free(p);
}

/* a published a <= b pins a suppressed partner; the engine repairs it */
static void test_inequality(void **state)
{
	enum { A, C, T, D, E, F, N };
	const size_t m[] = { A, C }, m2[] = { D, F };
	struct sdc_problem *p = sdc_problem_new(N);
	enum sdc_status st[N];
	struct sdc_report rep;
	struct diag_list d = DIAG_LIST_INIT;

	(void)state;
	sdc_set_cell(p, A, 2, SDC_PRIMARY, NULL);
	sdc_set_cell(p, C, 0, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, T, 2, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, D, 0, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, E, 5, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, F, 5, SDC_CANDIDATE, NULL);
	sdc_add_relation(p, T, m, 2, NULL);
	sdc_add_relation(p, E, m2, 2, NULL);
	sdc_add_leq(p, C, D, NULL);
	/* an explicit cost makes the zero an ordinary complement */
	sdc_set_cost(p, C, 0.0, NULL);
	assert_int_equal(sdc_gauss(p, st, &d), SDC_OK);
	assert_int_equal(st[C], SDC_SUPPRESS_SECONDARY);
	assert_int_equal(st[D], SDC_PUBLISH);
	assert_int_equal(exact_failures(p, st, 0, 1), 1);
	assert_int_equal(sdc_suppress(p, NULL, st, &rep, &d),
			 SDC_OK);
	assert_int_equal(exact_failures(p, st, 0, 1), 0);
	assert_int_equal(rep.n_repairs, 1);
	sdc_problem_free(p);
}

/* withheld cells are protected like primaries; empties are never cells */
static void test_withheld_and_empty(void **state)
{
	enum { A, B, W, Z, T, N };
	const size_t m[] = { A, B, W, Z };
	struct sdc_problem *p = sdc_problem_new(N);
	enum sdc_status st[N];
	struct sdc_report rep;

	(void)state;
	sdc_set_cell(p, A, 10, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, B, 20, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, W, 30, SDC_WITHHELD, NULL);
	sdc_set_cell(p, Z, 0, SDC_EMPTY, NULL);
	sdc_set_cell(p, T, 60, SDC_CANDIDATE, NULL);
	sdc_add_relation(p, T, m, 4, NULL);
	assert_int_equal(sdc_suppress(p, NULL, st, &rep, NULL), SDC_OK);
	assert_int_equal(st[W], SDC_SUPPRESS_WITHHELD);
	assert_int_equal(st[Z], SDC_NOT_APPLICABLE);
	assert_int_equal(st[T], SDC_PUBLISH);
	assert_int_equal(st[B], SDC_PUBLISH);
	assert_int_equal(st[A], SDC_SUPPRESS_SECONDARY);
	assert_int_equal(rep.n_withheld, 1);
	assert_int_equal(rep.sum_secondary, 10);
	{
		/* withheld, whatever the reason; the structurally empty cell is not withheld
		   (OBS_STATUS M), nor a published one */
		unsigned char supp[N];
		memset(supp, 9, sizeof supp);
		sdc_withheld_cells(st, N, supp);
		assert_int_equal(supp[A], 1);
		assert_int_equal(supp[W], 1);
		assert_int_equal(supp[Z], 0);
		assert_int_equal(supp[T], 0);
		assert_int_equal(supp[B], 0);
		assert_true(sdc_withholds(SDC_SUPPRESS_PRIMARY));
	}
	sdc_problem_free(p);
}

/* a primary that the relations alone determine cannot be protected */
static void test_unprotectable(void **state)
{
	enum { E1, E2, T, N };
	const size_t m[] = { E1, E2 };
	struct sdc_problem *p = sdc_problem_new(N);
	enum sdc_status st[N];
	struct sdc_report rep;
	struct diag_list d = DIAG_LIST_INIT;

	(void)state;
	sdc_set_cell(p, E1, 0, SDC_EMPTY, NULL);
	sdc_set_cell(p, E2, 0, SDC_EMPTY, NULL);
	sdc_set_cell(p, T, 0, SDC_PRIMARY, NULL);
	sdc_add_relation(p, T, m, 2, NULL);
	assert_int_equal(sdc_suppress(p, NULL, st, &rep, &d),
			 SDC_EUNSAFE);
	assert_int_equal(rep.n_unprotectable, 1);
	assert_int_equal(st[T], SDC_SUPPRESS_PRIMARY);
	assert_true(d.count > 0);
	assert_string_equal(d.items[0].rule, "S02");
	diag_clear(&d);
	sdc_problem_free(p);
}

static void test_errors(void **state)
{
	struct sdc_problem *p = sdc_problem_new(3);
	const size_t m1[] = { 1 }, m2[] = { 0 }, m3[] = { 5 }, m0[] = { 0 };
	enum sdc_status st[3], st12[12];
	struct diag_list d = DIAG_LIST_INIT;

	(void)state;
	assert_int_equal(sdc_set_cell(p, 3, 1, SDC_CANDIDATE, &d), SDC_EINVAL);
	assert_int_equal(sdc_set_cell(p, 0, -1, SDC_CANDIDATE, &d), SDC_EINVAL);
	assert_int_equal(sdc_set_cell(p, 0, 1, SDC_EMPTY, &d),
			 SDC_EINVAL);
	assert_int_equal(sdc_set_bounds(p, 0, 3, 2, &d),
			 SDC_EINVAL);
	assert_int_equal(sdc_add_relation(p, 0, m3, 1, &d),
			 SDC_EINVAL);
	assert_int_equal(sdc_add_relation(p, 0, m0, 1, &d),
			 SDC_EINVAL);
	assert_int_equal(sdc_add_leq(p, 0, 7, &d), SDC_EINVAL);
	/* one S02 diagnostic a refusal, with no file: the adapter names the file */
	assert_int_equal(d.count, 7);
	assert_int_equal(d.errors, 7);
	assert_string_equal(d.items[0].rule, "S02");
	assert_non_null(strstr(d.items[0].message, "cell 3 out of range"));
	diag_clear(&d);
	/* a cycle of totals */
	assert_int_equal(sdc_add_relation(p, 0, m1, 1, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, 1, m2, 1, NULL), SDC_OK);
	assert_int_equal(sdc_suppress(p, NULL, st, NULL, &d),
			 SDC_EINVAL);
	assert_non_null(strstr(d.items[d.count - 1].message, "cycle"));
	diag_clear(&d);
	sdc_problem_free(p);
	/* figures that break a relation are refused by the audit */
	p = linked3();
	sdc_set_cell(p, 11, 48, SDC_CANDIDATE, NULL);
	assert_int_equal(sdc_suppress(p, NULL, st12, NULL, &d),
			 SDC_EINCONSISTENT);
	assert_true(d.count > 0);
	assert_string_equal(d.items[0].rule, "S02");
	assert_int_equal(d.items[0].line, 0);
	diag_clear(&d);
	assert_string_equal(sdc_strerror(SDC_EUNSAFE),
			    "a protected cell cannot be protected");
	sdc_problem_free(p);
	sdc_problem_free(NULL);
}

/* two relations for one total impose an equation between leaves */
static void test_extra_relation(void **state)
{
	enum { A, B, C, D, T, N };
	const size_t ab[] = { A, B }, cd[] = { C, D };
	struct sdc_problem *p = sdc_problem_new(N);
	enum sdc_status st[N];
	struct sdc_report rep;

	(void)state;
	sdc_set_cell(p, A, 1, SDC_PRIMARY, NULL);
	sdc_set_cell(p, B, 9, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, C, 4, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, D, 6, SDC_CANDIDATE, NULL);
	sdc_set_cell(p, T, 10, SDC_CANDIDATE, NULL);
	sdc_add_relation(p, T, ab, 2, NULL);
	sdc_add_relation(p, T, cd, 2, NULL);
	assert_int_equal(sdc_suppress(p, NULL, st, &rep, NULL), SDC_OK);
	/* A + B = C + D = T: publishing T, C and D leaves A + B = 10 */
	assert_int_equal(st[A], SDC_SUPPRESS_PRIMARY);
	assert_int_equal(st[B], SDC_SUPPRESS_SECONDARY);
	assert_int_equal(st[T], SDC_PUBLISH);
	assert_int_equal(st[C], SDC_PUBLISH);
	assert_int_equal(st[D], SDC_PUBLISH);
	assert_int_equal(exact_failures(p, st, 0, 1), 0);
	sdc_problem_free(p);
}

/* cost overrides the value as the preference */
static void test_cost(void **state)
{
	const int64_t v[6] = { 2, 1, 5, 3, 4, 6 };
	struct sdc_problem *p = table23(v, 1, 0);
	enum sdc_status st[NCELL23];

	(void)state;
	assert_int_equal(sdc_suppress(p, NULL, st, NULL, NULL), SDC_OK);
	assert_int_equal(st[YI], SDC_SUPPRESS_SECONDARY);
	/* make Iceland precious: Spain becomes the complement */
	sdc_set_cost(p, YI, 100.0, NULL);
	sdc_set_cost(p, OI, 100.0, NULL);
	assert_int_equal(sdc_suppress(p, NULL, st, NULL, NULL), SDC_OK);
	assert_int_equal(st[YI], SDC_PUBLISH);
	assert_int_equal(st[YS], SDC_SUPPRESS_SECONDARY);
	assert_int_equal(exact_failures(p, st, 0, 1), 0);
	sdc_problem_free(p);
}

/* ---- property test over random linked tables ---- */

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

static size_t rnd(size_t n)
{
	return (size_t)(rng() % n);
}

/*
 * areas x (R x C table with margins) and a national table that is the
 * sum of the areas for every cell and margin.  Optionally the last
 * column is withheld in every area.
 */
static struct sdc_problem *random_linked(size_t A, size_t R, size_t C,
					 int withhold, int protect_zeros)
{
	static const int64_t draw[] = { 0, 0, 0, 0, 1, 1, 1, 2, 2, 3,
					4, 5, 7, 12, 30 };
	size_t W = (R + 1) * (C + 1), n = (A + 1) * W;
	struct sdc_problem *p = sdc_problem_new(n);
	int64_t *v = calloc(n, sizeof(int64_t));
	size_t *m = malloc((A + C + R + 2) * sizeof(size_t));

	assert_non_null(p);
	assert_non_null(v);
	assert_non_null(m);
#define CELL(t, r, c) ((t) * W + (r) * (C + 1) + (c))
	for (size_t a = 0; a < A; a++) {
		for (size_t r = 0; r < R; r++)
			for (size_t c = 0; c < C; c++) {
				int64_t x = draw[rnd(sizeof(draw) /
						     sizeof(draw[0]))];
				v[CELL(a, r, c)] = x;
				v[CELL(a, r, C)] += x;
				v[CELL(a, R, c)] += x;
				v[CELL(a, R, C)] += x;
			}
		for (size_t r = 0; r <= R; r++)
			for (size_t c = 0; c <= C; c++)
				v[CELL(A, r, c)] += v[CELL(a, r, c)];
	}
	for (size_t t = 0; t <= A; t++)
		for (size_t r = 0; r <= R; r++)
			for (size_t c = 0; c <= C; c++) {
				size_t i = CELL(t, r, c);
				enum sdc_state s = sdc_threshold_state(
					v[i], 1, 2, protect_zeros);
				if (withhold && t < A && c == C - 1)
					s = SDC_WITHHELD;
				assert_int_equal(sdc_set_cell(p, i, v[i], s, NULL), SDC_OK);
			}
	for (size_t t = 0; t <= A; t++) {
		for (size_t r = 0; r < R; r++) {
			for (size_t c = 0; c < C; c++)
				m[c] = CELL(t, r, c);
			sdc_add_relation(p, CELL(t, r, C), m, C, NULL);
		}
		for (size_t c = 0; c <= C; c++) {
			for (size_t r = 0; r < R; r++)
				m[r] = CELL(t, r, c);
			sdc_add_relation(p, CELL(t, R, c), m, R, NULL);
		}
		for (size_t c = 0; c < C; c++)
			m[c] = CELL(t, R, c);
		sdc_add_relation(p, CELL(t, R, C), m, C, NULL);
	}
	for (size_t r = 0; r <= R; r++)
		for (size_t c = 0; c <= C; c++) {
			for (size_t a = 0; a < A; a++)
				m[a] = CELL(a, r, c);
			sdc_add_relation(p, CELL(A, r, c), m, A, NULL);
		}
#undef CELL
	free(v);
	free(m);
	return p;
}

static void test_property_random_linked(void **state)
{
	const char *env = getenv("SDC_PROPERTY_CASES");
	size_t cases = env ? (size_t)strtoul(env, NULL, 10) : 300;
	size_t total_secondary = 0, total_repairs = 0;

	(void)state;
	rng_state = UINT64_C(0x2545F4914F6CDD1D);
	for (size_t k = 0; k < cases; k++) {
		size_t A = 2 + rnd(29), R = 2 + rnd(2), C = 2 + rnd(3);
		int withhold = rnd(2) == 0, pz = rnd(3) == 0;
		int64_t width = rnd(5) == 0 ? 2 : 1;
		struct sdc_problem *p = random_linked(A, R, C, withhold, pz);
		size_t n = sdc_problem_ncells(p);
		enum sdc_status *s1 = malloc(n * sizeof(*s1));
		enum sdc_status *s2 = malloc(n * sizeof(*s2));
		struct sdc_options opt;
		struct sdc_report rep;
		struct diag_list d = DIAG_LIST_INIT;
		int rc;

		assert_non_null(s1);
		assert_non_null(s2);
		sdc_options_init(&opt);
		opt.protect_zeros = pz;
		opt.min_width = width;
		rc = sdc_suppress(p, &opt, s1, &rep, &d);
		if (rc != SDC_OK)
			fail_msg("case %zu (A=%zu R=%zu C=%zu): %s", k, A, R, C,
				 d.count ? d.items[0].message : "");
		for (size_t i = 0; i < n; i++) {
			enum sdc_state cs = sdc_cell_state(p, i);
			if (cs == SDC_PRIMARY || cs == SDC_WITHHELD)
				assert_true(suppressed(s1[i]));
		}
		if (exact_failures(p, s1, pz, width) != 0)
			fail_msg("case %zu: audit fails", k);
		assert_int_equal(sdc_suppress(p, &opt, s2, NULL, NULL),
				 SDC_OK);
		assert_memory_equal(s1, s2, n * sizeof(*s1));
		if (getenv("SDC_PROPERTY_VERBOSE"))
			print_message("case %zu A=%zu R=%zu C=%zu w=%d pz=%d "
				      "mw=%lld: sec %zu rep %zu rounds %zu "
				      "%.3fs\n", k, A, R, C, withhold, pz,
				      (long long)width, rep.n_secondary,
				      rep.n_repairs, rep.n_audit_rounds,
				      rep.seconds_gauss + rep.seconds_audit);
		total_secondary += rep.n_secondary;
		total_repairs += rep.n_repairs;
		free(s1);
		free(s2);
		sdc_problem_free(p);
	}
	print_message("%zu random linked tables: %zu secondary suppressions, "
		      "%zu by audit repair\n", cases, total_secondary,
		      total_repairs);
}

/*
 * The audit ties an unknown to another where an equality holds only the two (x + y = c): the
 * LP has fewer rows and columns and the same solutions. Over random linked tables and their
 * patterns, every exact interval is the same with and without the ties, for the outsider and
 * for a reader who knows the suppressed cells of one area.
 */
static void compare_ties(const struct sdc_problem *p, const unsigned char *supp,
			 const size_t *known, size_t nknown, int pz, size_t k)
{
	struct audit_result r[2];
	struct diag_list d = DIAG_LIST_INIT;

	for (int t = 0; t < 2; t++) {
		struct audit_options opt;
		struct audit_session *sess = NULL;
		audit_options_init(&opt);
		opt.flags = AUDIT_EXACT | (t ? AUDIT_NO_TIES : 0u);
		opt.protect_zeros = pz;
		assert_int_equal(audit_session_new(p, supp, &opt, &sess, &d), SDC_OK);
		assert_int_equal(audit_session_run(sess, known, nknown, NULL, &r[t], &d), SDC_OK);
		audit_session_free(sess);
	}
	assert_int_equal(r[0].n, r[1].n);
	for (size_t i = 0; i < r[0].n; i++) {
		const struct audit_cell *a = &r[0].cells[i], *b = &r[1].cells[i];
		if (a->cell != b->cell || a->ilo != b->ilo || a->ihi != b->ihi)
			fail_msg("case %zu, %zu known: cell %zu [%lld,%lld] with ties, cell %zu "
				 "[%lld,%lld] without", k, nknown, a->cell, (long long)a->ilo,
				 (long long)a->ihi, b->cell, (long long)b->ilo, (long long)b->ihi);
	}
	audit_result_release(&r[0]);
	audit_result_release(&r[1]);
}

static void test_property_ties(void **state)
{
	const char *env = getenv("SDC_PROPERTY_CASES");
	size_t cases = env ? (size_t)strtoul(env, NULL, 10) / 3 : 100, ntied = 0;

	(void)state;
	rng_state = UINT64_C(0x9E3779B97F4A7C15);
	for (size_t k = 0; k < cases; k++) {
		size_t A = 2 + rnd(12), R = 2 + rnd(2), C = 2 + rnd(3);
		size_t W = (R + 1) * (C + 1), nknown = 0;
		int withhold = rnd(2) == 0, pz = rnd(3) == 0;
		struct sdc_problem *p = random_linked(A, R, C, withhold, pz);
		size_t n = sdc_problem_ncells(p);
		enum sdc_status *st = malloc(n * sizeof(*st));
		unsigned char *supp = calloc(n + 1, 1);
		size_t *known = malloc((W + 1) * sizeof(size_t));
		struct sdc_options opt;

		assert_non_null(st);
		assert_non_null(supp);
		assert_non_null(known);
		sdc_options_init(&opt);
		opt.protect_zeros = pz;
		assert_int_equal(sdc_suppress(p, &opt, st, NULL, NULL), SDC_OK);
		/* and a few cells more, so that some patterns fail and intervals are narrow */
		for (size_t i = 0; i < n; i++)
			supp[i] = (unsigned char)(suppressed(st[i]) || rnd(8) == 0);
		for (size_t i = 0; i < n; i++)
			ntied += supp[i];
		compare_ties(p, supp, NULL, 0, pz, k);
		/* area 0's data lead: its suppressed cells known */
		for (size_t i = 0; i < W; i++)
			if (supp[i])
				known[nknown++] = i;
		compare_ties(p, supp, known, nknown, pz, k);
		free(known);
		free(supp);
		free(st);
		sdc_problem_free(p);
	}
	assert_true(ntied > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold_state),
		cmocka_unit_test(test_literature_2x3),
		cmocka_unit_test(test_zero_partners),
		cmocka_unit_test(test_linked_tables),
		cmocka_unit_test(test_inequality),
		cmocka_unit_test(test_withheld_and_empty),
		cmocka_unit_test(test_unprotectable),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_extra_relation),
		cmocka_unit_test(test_cost),
		cmocka_unit_test(test_property_random_linked),
		cmocka_unit_test(test_property_ties),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
