/*
 * test_readers.c - known answers for the readers of a pattern and the repair loop
 * (readers.h): which readers a table has, what each is audited on, a pattern the outsider
 * passes and an insider breaks, and its repair.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "readers.h"

/*
 * Three areas and the nation, two cells and a total each:
 *	A: 1 5 | 6	B: 2 7 | 9	C: 4 3 | 7	nation: 7 15 | 22
 * The 1 and the 2 are primary; groups A, B, C, then the nation; a cell's position is its
 * column.
 */
enum { A1, A2, AT, B1, B2, BT, C1, C2, CT, N1, N2, NT, NCELL };
static const int64_t value[NCELL] = { 1, 5, 6, 2, 7, 9, 4, 3, 7, 7, 15, 22 };
static const char *const names[] = { "A", "B", "C" };

static struct sdc_problem *table(void)
{
	struct sdc_problem *p = sdc_problem_new(NCELL);
	const size_t m[][3] = { { A1, A2 }, { B1, B2 }, { C1, C2 }, { N1, N2 },
				{ A1, B1, C1 }, { A2, B2, C2 }, { AT, BT, CT } };
	const size_t t[] = { AT, BT, CT, NT, N1, N2, NT };

	assert_non_null(p);
	for (size_t c = 0; c < NCELL; c++)
		assert_int_equal(sdc_set_cell(p, c, value[c], SDC_CANDIDATE, NULL), SDC_OK);
	for (size_t r = 0; r < 7; r++)
		assert_int_equal(sdc_add_relation(p, t[r], m[r], r < 4 ? 2 : 3, NULL), SDC_OK);
	return p;
}

static void groups(struct readers *R, int coalition)
{
	assert_int_equal(readers_init(R, NCELL, coalition), 0);
	R->ngroups = 4;
	R->npos = 3;
	for (size_t c = 0; c < NCELL; c++) {
		R->group[c] = c / 3;
		R->pos[c] = c % 3;
	}
}

static void options(struct audit_options *o, int64_t *range)
{
	audit_options_init(o);
	o->flags = AUDIT_TRUTH;
	for (size_t c = 0; c < NCELL; c++)
		range[c] = 2; /* no reader may conclude 1 or 2 */
	o->range_max = range;
}

/* The outsider first, an insider per area (or pair of areas), a singleton per inner 1. */
static void test_readers_of_a_table(void **state)
{
	struct sdc_problem *p = table();
	struct readers R;
	unsigned char supp[NCELL] = { 0 };

	(void)state;
	readers_release(NULL);
	supp[A1] = supp[A2] = supp[B1] = supp[B2] = 1;
	groups(&R, 1);
	assert_int_equal(R.nsets, 2);
	assert_int_equal(readers_add_insiders(&R, NCELL, names, 1), 0);
	assert_int_equal(readers_add_singletons(&R, p, supp, 1), 0);
	assert_int_equal(R.n, 5);
	assert_int_equal(R.r[0].kind, READER_OUTSIDER);
	assert_int_equal(R.r[0].n, 0);
	assert_int_equal(R.r[2].kind, READER_INSIDER);
	assert_string_equal(R.r[2].who, "insider B");
	assert_int_equal(R.r[2].n, 3);
	assert_int_equal(R.cells[R.r[2].first], B1);
	assert_int_equal(R.cells[R.r[2].first + 2], BT);
	/* the person in A's 1 knows it; with A's insider audited, it is audited on A's other
	   cells only, never on the totals over its own cell (AT, N1, NT) */
	assert_int_equal(R.r[4].kind, READER_SINGLETON);
	assert_int_equal(R.r[4].known_cell, A1);
	assert_int_equal(R.r[4].n, 1);
	assert_int_equal(R.r[4].focus_n, 1);
	assert_int_equal(R.cells[R.r[4].focus_first], A2);
	readers_release(&R);

	/* not dominated: every cell but its own and the totals over it */
	groups(&R, 1);
	assert_int_equal(readers_add_singletons(&R, p, supp, 0), 0);
	assert_int_equal(R.n, 2);
	assert_int_equal(R.r[1].focus_n, NCELL - 4);
	for (size_t k = 0; k < R.r[1].focus_n; k++) {
		size_t c = R.cells[R.r[1].focus_first + k];
		assert_true(c != A1 && c != AT && c != N1 && c != NT);
	}
	readers_release(&R);

	/* a coalition of two: every pair, knowing both areas' cells */
	groups(&R, 2);
	assert_int_equal(R.nsets, 3);
	assert_int_equal(readers_add_insiders(&R, NCELL, names, 2), 0);
	assert_int_equal(R.n, 4);
	assert_string_equal(R.r[3].who, "insider B+C");
	assert_int_equal(R.r[3].n, 6);
	assert_int_equal(R.r[3].ga, 1);
	assert_int_equal(R.r[3].gb, 2);
	readers_release(&R);
	sdc_problem_free(p);
}

/*
 * The rectangle A1 A2 B1 B2 passes for the outsider (A1 anywhere in [0,3]), but A's data lead
 * knows A1 and A2 and reads B1 = 7 - 1 - 4 = 2 off the national column: the repair must
 * suppress more until no reader can, and then every audit passes.
 */
static void test_insider_breaks_and_repair(void **state)
{
	struct sdc_problem *p = table();
	struct readers R;
	struct readers_failures F = { NULL, 0, 0 };
	struct audit_options o;
	int64_t range[NCELL];
	unsigned char supp[NCELL] = { 0 }, sens[NCELL] = { 0 };
	enum sdc_status st[NCELL];
	size_t rounds = 0, n_lp = 0, lost = 0, added = 0;
	int found_a = 0, found_b = 0;

	(void)state;
	options(&o, range);
	sens[A1] = sens[B1] = 1;
	for (size_t c = 0; c < NCELL; c++)
		st[c] = SDC_PUBLISH;
	st[A1] = st[B1] = SDC_SUPPRESS_PRIMARY;
	st[A2] = st[B2] = SDC_SUPPRESS_SECONDARY;
	supp[A1] = supp[A2] = supp[B1] = supp[B2] = 1;
	groups(&R, 1);
	assert_int_equal(readers_add_insiders(&R, NCELL, names, 1), 0);
	assert_int_equal(readers_add_singletons(&R, p, supp, audit_monotone(&o)), 0);
	assert_int_equal(readers_audit(p, supp, &R, &o, sens, NULL, NULL, &F, NULL, &n_lp,
				       READERS_LP_BUDGET, NULL), 0);
	assert_true(n_lp > 0);
	for (size_t i = 0; i < F.n; i++) {
		const struct readers_failure *f = &F.f[i];
		assert_int_not_equal(R.r[f->reader].kind, READER_OUTSIDER);
		if (strcmp(R.r[f->reader].who, "insider A") == 0 && f->cell == B1) {
			assert_int_equal(f->ilo, 2);
			assert_int_equal(f->ihi, 2);
			found_a = 1;
		}
		if (strcmp(R.r[f->reader].who, "insider B") == 0 && f->cell == A1)
			found_b = 1;
	}
	assert_true(found_a && found_b);

	n_lp = 0;
	assert_int_equal(readers_protect(p, st, &R, sens, &o, &rounds, &n_lp, &lost, NULL), 0);
	assert_true(rounds >= 1);
	assert_int_equal(lost, SIZE_MAX);
	for (size_t c = 0; c < NCELL; c++) {
		supp[c] = st[c] != SDC_PUBLISH;
		if (c != A2 && c != B2 && st[c] == SDC_SUPPRESS_SECONDARY)
			added++;
	}
	assert_true(added > 0);
	assert_int_equal(st[A1], SDC_SUPPRESS_PRIMARY);
	/* every reader passes the repaired pattern, also audited exactly */
	o.flags |= AUDIT_EXACT;
	assert_int_equal(readers_audit(p, supp, &R, &o, sens, NULL, NULL, &F, NULL, NULL,
				       READERS_LP_BUDGET, NULL), 0);
	assert_int_equal(F.n, 0);
	free(F.f);
	readers_release(&R);
	sdc_problem_free(p);
}

/* A work budget spent: readers_audit says so instead of answering. */
static void test_budget(void **state)
{
	struct sdc_problem *p = table();
	struct readers R;
	struct readers_failures F = { NULL, 0, 0 };
	struct audit_options o;
	int64_t range[NCELL];
	unsigned char supp[NCELL] = { 0 }, sens[NCELL] = { 0 };
	size_t n_lp = 0;

	(void)state;
	options(&o, range);
	sens[A1] = sens[B1] = 1;
	supp[A1] = supp[A2] = supp[B1] = supp[B2] = 1;
	groups(&R, 1);
	assert_int_equal(readers_add_insiders(&R, NCELL, names, 1), 0);
	assert_int_equal(readers_audit(p, supp, &R, &o, sens, NULL, NULL, &F, NULL, &n_lp, 0,
				       NULL), 1);
	free(F.f);
	readers_release(&R);
	sdc_problem_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readers_of_a_table),
		cmocka_unit_test(test_insider_breaks_and_repair),
		cmocka_unit_test(test_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
