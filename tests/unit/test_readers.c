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

static struct sdc_problem *table_of(const int64_t *v)
{
	struct sdc_problem *p = sdc_problem_new(NCELL);
	const size_t m[][3] = { { A1, A2 }, { B1, B2 }, { C1, C2 }, { N1, N2 },
				{ A1, B1, C1 }, { A2, B2, C2 }, { AT, BT, CT } };
	const size_t t[] = { AT, BT, CT, NT, N1, N2, NT };

	assert_non_null(p);
	for (size_t c = 0; c < NCELL; c++)
		assert_int_equal(sdc_set_cell(p, c, v[c], SDC_CANDIDATE, NULL), SDC_OK);
	for (size_t r = 0; r < 7; r++)
		assert_int_equal(sdc_add_relation(p, t[r], m[r], r < 4 ? 2 : 3, NULL), SDC_OK);
	return p;
}

static struct sdc_problem *table(void)
{
	return table_of(value);
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

/* The rectangle A1 A2 B1 B2 of the table, the 1 and the 2 sensitive; R its readers. */
static void rectangle(struct readers *R, struct audit_options *o, int64_t *range,
		      unsigned char *supp, unsigned char *sens)
{
	options(o, range);
	sens[A1] = sens[B1] = 1;
	supp[A1] = supp[A2] = supp[B1] = supp[B2] = 1;
	groups(R, 1);
	assert_int_equal(readers_add_insiders(R, NCELL, names, 1), 0);
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
	assert_int_equal(readers_add_singletons(&R, p, supp, NULL, 1), 0);
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
	assert_int_equal(readers_add_singletons(&R, p, supp, NULL, 0), 0);
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
 * What the person alone in a suppressed total of 1 is audited on. T = A + B (0 and 1) is its
 * total; it knows T, A and B. Not audited: the totals over the cell it is in (Y = B + P), and
 * what it learns from itself alone: W = P + A (P published, A known) and N = Q + P + A, the
 * published M = Q + P and A. Audited: a total over the 0 it knows or over a structural 0 (V =
 * A + Q, U = Z + Q: it is in neither, and learns them as it learns Q; QA: U left out let such a
 * person pin a 1 at [1, 2]).
 */
enum { TZ, TP, TQ, TU, TA, TB, TT, TW, TV, TY, TM, TN, TCELL };

static void test_total_singleton_focus(void **state)
{
	static const int64_t v[TCELL] = { 0, 5, 1, 1, 0, 1, 1, 5, 1, 6, 6, 6 };
	const size_t rel[][4] = { { TU, TZ, TQ }, { TT, TA, TB }, { TW, TP, TA }, { TV, TA, TQ },
				  { TY, TB, TP }, { TM, TQ, TP }, { TN, TQ, TP, TA } };
	const size_t nm[] = { 2, 2, 2, 2, 2, 2, 3 };
	struct sdc_problem *p = sdc_problem_new(TCELL);
	unsigned char supp[TCELL] = { 0 }, focus[TCELL] = { 0 };
	struct readers R;
	const struct reader *x = NULL;

	(void)state;
	assert_non_null(p);
	for (size_t c = 0; c < TCELL; c++) {
		assert_int_equal(sdc_set_cell(p, c, v[c], c == TZ ? SDC_EMPTY : SDC_CANDIDATE, NULL),
				 SDC_OK);
		supp[c] = c != TZ && c != TP && c != TM;
	}
	for (size_t r = 0; r < 7; r++)
		assert_int_equal(sdc_add_relation(p, rel[r][0], rel[r] + 1, nm[r], NULL), SDC_OK);
	assert_int_equal(readers_init(&R, TCELL, 1), 0);
	R.ngroups = 2;
	R.npos = 1;
	for (size_t c = 0; c < TCELL; c++) {
		R.group[c] = 0;
		R.pos[c] = 0;
	}
	assert_int_equal(readers_add_singletons(&R, p, supp, NULL, 0), 0);
	for (size_t i = 0; i < R.n; i++)
		if (R.r[i].kind == READER_SINGLETON && R.r[i].known_cell == TT)
			x = &R.r[i];
	assert_non_null(x);
	assert_int_equal(x->n, 3); /* T, A, B */
	for (size_t k = 0; k < x->focus_n; k++)
		focus[R.cells[x->focus_first + k]] = 1;
	assert_true(focus[TU] && focus[TV] && focus[TQ]);
	assert_false(focus[TT] || focus[TA] || focus[TB] || focus[TY] || focus[TW] || focus[TN]);
	readers_release(&R);
	sdc_problem_free(p);
}

/*
 * Two publications of one area (a revision): now X = X1 + X2 of 1 = 1 + 0 with Y <= X1 (a
 * rule: 0), and the earlier copies X', X1', X2', Y' with the same values. X1 and X1' are
 * twins (1 in both, true values). With the rules known, the person alone in the earlier total
 * X' knows X1', X2', Y' and, as the person alone in X1 (its own history), X1 and Y; it is a
 * reader, audited on now's figures but the total over its twin (QA: the person alone in
 * Cleveland's first total of 1 pinned the revised 2s). The person alone in X1' or X1 is that
 * person, who knows more: not a reader of its own. With the narrower readers the earlier total
 * is audited as its inner cell, and now's total singleton not on earlier figures.
 */
enum { WX, WX1, WX2, WY, EX, EX1, EX2, EY, WCELL };

static const struct reader *reader_in(const struct readers *R, size_t cell)
{
	for (size_t i = 0; i < R->n; i++)
		if (R->r[i].kind == READER_SINGLETON && R->r[i].known_cell == cell)
			return &R->r[i];
	return NULL;
}

static int reader_knows(const struct readers *R, const struct reader *x, size_t cell)
{
	for (size_t k = 0; k < x->n; k++)
		if (R->cells[x->first + k] == cell)
			return 1;
	return 0;
}

static int reader_audits(const struct readers *R, const struct reader *x, size_t cell)
{
	for (size_t k = 0; k < x->focus_n; k++)
		if (R->cells[x->focus_first + k] == cell)
			return 1;
	return 0;
}

static void test_revision_twins(void **state)
{
	static const int64_t v[WCELL] = { 1, 1, 0, 0, 1, 1, 0, 0 };
	struct sdc_problem *p = sdc_problem_new(WCELL);
	unsigned char supp[WCELL];
	const size_t now[] = { WX1, WX2 }, then[] = { EX1, EX2 };
	const struct reader *x;
	struct readers R;

	(void)state;
	assert_non_null(p);
	for (size_t c = 0; c < WCELL; c++) {
		assert_int_equal(sdc_set_cell(p, c, v[c], SDC_CANDIDATE, NULL), SDC_OK);
		supp[c] = 1;
	}
	assert_int_equal(sdc_add_relation(p, WX, now, 2, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, EX, then, 2, NULL), SDC_OK);
	assert_int_equal(sdc_add_leq(p, WY, WX1, NULL), SDC_OK);
	assert_int_equal(sdc_add_leq(p, EY, EX1, NULL), SDC_OK);
	for (int rules = 0; rules <= 1; rules++) {
		assert_int_equal(readers_init(&R, WCELL, 1), 0);
		R.ngroups = 2;
		R.npos = 0;
		for (size_t c = 0; c < WCELL; c++) {
			R.group[c] = 0;
			R.pos[c] = SIZE_MAX;
			R.earlier[c] = c >= EX;
		}
		R.twin[WX1] = EX1;
		R.twin[EX1] = WX1;
		R.twin[WX] = EX; /* a total: not walked (one person may be two) */
		R.twin[EX] = WX;
		R.rules_known = rules;
		assert_int_equal(readers_add_singletons(&R, p, supp, NULL, 0), 0);
		if (rules == 0) {
			assert_null(reader_in(&R, EX)); /* audited as the inner cell of 1 */
			x = reader_in(&R, WX);
			assert_non_null(x);
			assert_false(reader_audits(&R, x, EX2));
		} else {
			/* the person alone in X1' is the one alone in X' and in X1 (both know
			   it): it reads as they do */
			assert_null(reader_in(&R, EX1));
			assert_null(reader_in(&R, WX1));
			x = reader_in(&R, EX);
			assert_non_null(x);
			assert_true(reader_knows(&R, x, EX1) && reader_knows(&R, x, EX2) &&
				    reader_knows(&R, x, EY) && reader_knows(&R, x, WX1) &&
				    reader_knows(&R, x, WY));
			assert_false(reader_knows(&R, x, WX) || reader_knows(&R, x, WX2));
			assert_true(reader_audits(&R, x, WX2));
			assert_false(reader_audits(&R, x, WX));
			x = reader_in(&R, WX);
			assert_non_null(x);
			assert_true(reader_audits(&R, x, EX2));
		}
		readers_release(&R);
	}
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
	size_t rounds = 0, n_lp = 0, added = 0;
	struct readers_failure lost;
	int found_a = 0, found_b = 0;

	(void)state;
	for (size_t c = 0; c < NCELL; c++)
		st[c] = SDC_PUBLISH;
	st[A1] = st[B1] = SDC_SUPPRESS_PRIMARY;
	st[A2] = st[B2] = SDC_SUPPRESS_SECONDARY;
	rectangle(&R, &o, range, supp, sens);
	assert_int_equal(readers_add_singletons(&R, p, supp, NULL, audit_monotone(&o)), 0);
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
	assert_int_equal(lost.cell, SIZE_MAX);
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

/* Whether F holds a failure of the reader called who on cell c. */
static int fails_for(const struct readers *R, const struct readers_failures *F, const char *who,
		     size_t c)
{
	for (size_t i = 0; i < F->n; i++)
		if (F->f[i].cell == c && strcmp(R->r[F->f[i].reader].who, who) == 0)
			return 1;
	return 0;
}

/*
 * An area that holds every person of a national figure: its data lead finds the figure equal
 * to its own part, every other area's 0, and learns no one else's count. Column 1:
 *	A: 2 5 | 7	B: 0 7 | 7	C: 0 3 | 3	nation: 2 15 | 17
 * with A1, A2, N1, N2 withheld: insider A finds N1 in [2, 2], its own 2, and passes (a late
 * return holding the only Category 4 figure of the nation was refused, QA). With B1 a
 * published 1 instead, N1 is 3 and insider A learns that B holds 1: still a failure. And the
 * person in A's cell of 1 (A: 2 1 | 3), who knows less than A's data lead, is audited on N1
 * instead, and finds it [2, 2].
 */
/* R: the table's readers, an insider per area (and a singleton per inner 1 with singletons),
   audited on p with supp into F. */
static void audit_table(const struct sdc_problem *p, struct readers *R, const unsigned char *supp,
			const unsigned char *sens, const struct audit_options *o, int singletons,
			struct readers_failures *F)
{
	groups(R, 1);
	assert_int_equal(readers_add_insiders(R, NCELL, names, 1), 0);
	if (singletons)
		assert_int_equal(readers_add_singletons(R, p, supp, NULL, audit_monotone(o)), 0);
	assert_int_equal(readers_audit(p, supp, R, o, sens, NULL, NULL, F, NULL, NULL,
				       READERS_LP_BUDGET, NULL), 0);
}

static void test_insider_holds_all(void **state)
{
	/* A holds all of N1; B holds 1 of N1's 3; A holds all of N1, and a 1 in A2 */
	static const int64_t v[3][NCELL] = { { 2, 5, 7, 0, 7, 7, 0, 3, 3, 2, 15, 17 },
					     { 2, 5, 7, 1, 7, 8, 0, 3, 3, 3, 15, 18 },
					     { 2, 1, 3, 0, 7, 7, 0, 3, 3, 2, 11, 13 } };
	struct sdc_problem *p;
	struct readers R;
	struct readers_failures F = { NULL, 0, 0 };
	struct audit_options o;
	int64_t range[NCELL];
	unsigned char supp[NCELL] = { 0 }, sens[NCELL] = { 0 };

	(void)state;
	options(&o, range);
	supp[A1] = supp[A2] = supp[N1] = supp[N2] = 1;
	sens[A1] = sens[N1] = 1;
	p = table_of(v[0]);
	audit_table(p, &R, supp, sens, &o, 0, &F);
	assert_int_equal(F.n, 0);
	readers_release(&R);
	sdc_problem_free(p);

	/* B holds 1 of N1's 3: A's data lead learns it */
	p = table_of(v[1]);
	audit_table(p, &R, supp, sens, &o, 0, &F);
	assert_true(fails_for(&R, &F, "insider A", N1));
	readers_release(&R);
	sdc_problem_free(p);

	/* the person in A2 = 1 knows it, and AT = 3 is published: N1 = A1 = 2 to it */
	p = table_of(v[2]);
	sens[A2] = 1;
	audit_table(p, &R, supp, sens, &o, 1, &F);
	assert_false(fails_for(&R, &F, "insider A", N1));
	assert_true(fails_for(&R, &F, "singleton", N1));
	for (size_t i = 1; i < F.n; i++)
		assert_true(F.f[i - 1].reader <= F.f[i].reader);
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
	rectangle(&R, &o, range, supp, sens);
	assert_int_equal(readers_audit(p, supp, &R, &o, sens, NULL, NULL, &F, NULL, &n_lp, 0,
				       NULL), 1);
	free(F.f);
	readers_release(&R);
	sdc_problem_free(p);
}

/*
 * Property: on random linked tables (2-9 areas of 2 x 3 counts with their margins, the nation
 * the sum of the areas; many 0s, 1s and 2s; the last column withheld per area in half of
 * them; coalition 1 or 2), elimination then the repair loop over every reader ends with a
 * pattern that no reader narrows (an exact audit of every reader: none of the proofs the
 * loop itself relies on), publishes no primary or withheld cell, and is the same when run
 * again. A case where a cell cannot be protected must say which (status 1 and its cell).
 */
static uint64_t rnd;

static size_t rnd_below(size_t n)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return (size_t)(rnd % n);
}

enum { PR = 2, PC = 3, PW = PC + 1, PCELLS = (PR + 1) * PW };

static struct sdc_problem *random_table(size_t A, int withhold, int real)
{
	size_t n = (A + 1) * PCELLS, m[16];
	struct sdc_problem *p = sdc_problem_new(n);
	int64_t *v = calloc(n, sizeof *v);

	assert_non_null(p);
	assert_non_null(v);
	for (size_t a = 0; a < A; a++)
		for (size_t r = 0; r < PR; r++)
			for (size_t c = 0; c < PC; c++) {
				static const int64_t pick[] = { 0, 0, 1, 1, 2, 3, 5, 9, 14 };
				v[a * PCELLS + r * PW + c] = pick[rnd_below(9)];
			}
	for (size_t t = 0; t <= A; t++) {
		int64_t *x = v + t * PCELLS;
		if (t == A)
			for (size_t a = 0; a < A; a++)
				for (size_t r = 0; r < PR; r++)
					for (size_t c = 0; c < PC; c++)
						x[r * PW + c] += v[a * PCELLS + r * PW + c];
		for (size_t r = 0; r < PR; r++)
			for (size_t c = 0; c < PC; c++) {
				x[r * PW + PC] += x[r * PW + c];
				x[(size_t)PR * PW + c] += x[r * PW + c];
				x[PR * PW + PC] += x[r * PW + c];
			}
	}
	for (size_t c = 0; c < n; c++) {
		size_t t = c / PCELLS, k = c % PCELLS;
		enum sdc_state st = sdc_threshold_state(v[c], 1, 2, 0);
		if (withhold && t < A && k % PW == PC - 1)
			st = SDC_WITHHELD;
		if (real)
			st = SDC_CANDIDATE;
		assert_int_equal(sdc_set_cell(p, c, v[c], st, NULL), SDC_OK);
	}
	for (size_t t = 0; t <= A; t++) {
		size_t b = t * PCELLS;
		for (size_t r = 0; r <= PR; r++) {
			for (size_t c = 0; c < PC; c++)
				m[c] = b + r * PW + c;
			assert_int_equal(sdc_add_relation(p, b + r * PW + PC, m, PC, NULL), SDC_OK);
		}
		for (size_t c = 0; c <= PC; c++) {
			for (size_t r = 0; r < PR; r++)
				m[r] = b + r * PW + c;
			assert_int_equal(sdc_add_relation(p, b + (size_t)PR * PW + c, m, PR, NULL),
					 SDC_OK);
		}
	}
	for (size_t k = 0; k < PCELLS; k++) {
		for (size_t a = 0; a < A; a++)
			m[a] = a * PCELLS + k;
		assert_int_equal(sdc_add_relation(p, A * PCELLS + k, m, A, NULL), SDC_OK);
	}
	free(v);
	return p;
}

/* One table's readers and its pattern after elimination, the audits in shares threads
   (readers.h): supp, sens, range and o for readers_audit or readers_protect. */
static void table_readers(size_t A, int withhold, int coalition, uint64_t seed, size_t shares,
			  enum sdc_status *status, struct sdc_problem **realp, struct readers *R,
			  unsigned char *supp, unsigned char *sens, int64_t *range,
			  struct audit_options *o)
{
	struct sdc_problem *p;
	struct sdc_options opt;
	struct sdc_report rep;
	size_t n = (A + 1) * PCELLS;
	const char *nm[9] = { "1", "2", "3", "4", "5", "6", "7", "8", "9" };

	rnd = seed;
	p = random_table(A, withhold, 0);
	rnd = seed;
	*realp = random_table(A, withhold, 1);
	sdc_options_init(&opt);
	opt.audit = 0;
	opt.zero_complements = 1;
	assert_int_equal(sdc_suppress(p, &opt, status, &rep, NULL), SDC_OK);
	assert_int_equal(readers_init(R, n, coalition), 0);
	R->ngroups = A + 1;
	R->npos = PCELLS;
	R->shares = shares;
	for (size_t c = 0; c < n; c++) {
		enum sdc_state st = sdc_cell_state(p, c);
		R->group[c] = c / PCELLS;
		R->pos[c] = c % PCELLS;
		supp[c] = (unsigned char)sdc_withholds(status[c]);
		sens[c] = st == SDC_PRIMARY || st == SDC_WITHHELD;
		range[c] = 2;
	}
	audit_options_init(o);
	o->flags = AUDIT_TRUTH;
	o->range_max = range;
	assert_int_equal(readers_add_insiders(R, n, nm, coalition), 0);
	assert_int_equal(readers_add_singletons(R, *realp, supp, NULL, audit_monotone(o)), 0);
	sdc_problem_free(p);
}

/* The pattern of every reader for one table (table_readers); status[] gets it. Returns
   readers_protect's. */
static int protect_all(size_t A, int withhold, int coalition, uint64_t seed, size_t shares,
		       enum sdc_status *status, struct sdc_problem **realp, struct readers *R,
		       unsigned char *sens, int64_t *range, struct readers_failure *lost)
{
	struct audit_options o;
	size_t n = (A + 1) * PCELLS, rounds = 0, n_lp = 0;
	unsigned char *supp = calloc(n, 1);
	int r;

	assert_non_null(supp);
	table_readers(A, withhold, coalition, seed, shares, status, realp, R, supp, sens, range, &o);
	r = readers_protect(*realp, status, R, sens, &o, &rounds, &n_lp, lost, NULL);
	free(supp);
	return r;
}

/* The LPs readers_audit spends with budget b and the shares of R (SIZE_MAX: no budget). */
static size_t lps_within(const struct sdc_problem *real, const unsigned char *supp,
			 const struct readers *R, const struct audit_options *o,
			 const unsigned char *sens, size_t b)
{
	struct readers_failures F = { NULL, 0, 0 };
	size_t n_lp = 0;

	assert_true(readers_audit(real, supp, R, o, sens, NULL, NULL, &F, NULL, &n_lp, b, NULL) >= 0);
	free(F.f);
	return n_lp;
}

/*
 * The work budget with the audits in two shares: what is left when the shares begin is split
 * between them, so together they pass the budget by no more than one reader each, as one share
 * does by one reader. Each share checked the LPs before it plus its own against the whole budget,
 * and two shares spent it twice (a coalition-2 policy: 55,832 LPs for 30,000).
 */
static void test_budget_shared(void **state)
{
	enum { A = 9 };
	size_t full, over1 = 0;
	enum sdc_status status[(A + 1) * PCELLS];
	unsigned char supp[(A + 1) * PCELLS], sens[(A + 1) * PCELLS];
	int64_t range[(A + 1) * PCELLS];
	struct sdc_problem *real;
	struct readers R;
	struct audit_options o;

	(void)state;
	memset(supp, 0, sizeof supp);
	table_readers(A, 1, 1, 7, 1, status, &real, &R, supp, sens, range, &o);
	full = lps_within(real, supp, &R, &o, sens, SIZE_MAX);
	assert_true(full > 40);
	/* one share: by how much it passes a budget (the LPs of the reader it was on) */
	for (size_t b = 0; b < full; b += 3) {
		size_t got = lps_within(real, supp, &R, &o, sens, b);
		if (got > b && got - b > over1)
			over1 = got - b;
	}
	R.shares = 2;
	for (size_t b = 0; b < full; b += 3) {
		size_t got = lps_within(real, supp, &R, &o, sens, b);
		if (got > b + 2 * over1)
			print_error("budget %zu: %zu LPs (one share passes a budget by %zu at most)\n",
				    b, got, over1);
		assert_true(got <= b + 2 * over1);
	}
	readers_release(&R);
	sdc_problem_free(real);
}

/*
 * The cells reader i narrows below the policy, by audit_run_known: every suppressed cell it
 * does not know for the outsider; the sensitive ones for the others, a singleton's only in its
 * focus list (never the totals over its own cell).
 */
static size_t reader_failures(const struct sdc_problem *real, const unsigned char *supp,
			      const struct readers *R, size_t i, const unsigned char *sens,
			      const struct audit_options *o)
{
	const struct reader *x = &R->r[i];
	size_t n = sdc_problem_ncells(real), bad = 0;
	unsigned char *known = calloc(n, 1), *audited = calloc(n, 1);
	struct audit_result res;

	assert_true(known && audited);
	for (size_t k = 0; k < x->n; k++)
		known[R->cells[x->first + k]] = 1;
	for (size_t c = 0; c < n; c++)
		audited[c] = x->kind == READER_OUTSIDER || (sens[c] && !x->focus_n);
	for (size_t k = 0; k < x->focus_n; k++)
		audited[R->cells[x->focus_first + k]] = sens[R->cells[x->focus_first + k]];
	assert_int_equal(audit_run_known(real, supp, known, o, &res, NULL), SDC_OK);
	for (size_t k = 0; k < res.n; k++) {
		size_t c = res.cells[k].cell;
		int64_t own = 0;
		/* an insider that finds a national figure equal to its own part learns no one
		   else's count (readers.c, insider_holds_all) */
		for (size_t j = 0; x->kind == READER_INSIDER && j < x->n; j++) {
			size_t a = R->cells[x->first + j];
			if (R->group[c] == R->ngroups - 1 && R->pos[c] != SIZE_MAX &&
			    R->group[a] != R->ngroups - 1 && R->pos[a] == R->pos[c])
				own += sdc_cell_value(real, a);
		}
		if (own > 0 && res.cells[k].ilo == own && res.cells[k].ihi == own &&
		    audit_passes(o, c, 0, 0))
			continue;
		if (audited[c] && !res.cells[k].pass) {
			print_error("%s narrows cell %zu to [%lld, %lld]\n", x->who, res.cells[k].cell,
				    (long long)res.cells[k].ilo, (long long)res.cells[k].ihi);
			bad++;
		}
	}
	audit_result_release(&res);
	free(known);
	free(audited);
	return bad;
}

/*
 * The last pass on a pattern st that every reader of R passes (st2 a copy): it publishes only
 * secondaries, the same ones twice, and every reader still passes by audit_run_known. o: the
 * exact audit. Returns the cells published again.
 */
static size_t last_pass(const struct sdc_problem *real, const struct readers *R,
			enum sdc_status *st, enum sdc_status *st2, const unsigned char *sens,
			int64_t *range, const struct audit_options *o)
{
	size_t n = sdc_problem_ncells(real), again = 0, again2 = 0, n_lp = 0, fails = 0, count = 0;
	enum sdc_status *before = malloc(n * sizeof *before);
	unsigned char *supp = calloc(n, 1);
	struct audit_options a;

	assert_true(before && supp);
	memcpy(before, st, n * sizeof *st);
	memcpy(st2, st, n * sizeof *st);
	audit_options_init(&a);
	a.flags = AUDIT_TRUTH;
	a.range_max = range;
	assert_int_equal(readers_republish(real, st, R, sens, &a, SIZE_MAX, &n_lp, &again, NULL), 0);
	assert_int_equal(readers_republish(real, st2, R, sens, &a, SIZE_MAX, &n_lp, &again2, NULL), 0);
	assert_int_equal(again, again2);
	assert_memory_equal(st, st2, n * sizeof *st);
	for (size_t c = 0; c < n; c++) {
		if (st[c] != before[c]) {
			assert_int_equal(before[c], SDC_SUPPRESS_SECONDARY);
			assert_int_equal(st[c], SDC_PUBLISH);
			count++;
		}
		supp[c] = (unsigned char)sdc_withholds(st[c]);
	}
	assert_int_equal(count, again);
	for (size_t i = 0; again && i < R->n; i++)
		fails += reader_failures(real, supp, R, i, sens, o);
	assert_int_equal(fails, 0);
	free(before);
	free(supp);
	return again;
}

/*
 * The last pass publishes a secondary that no reader needs (the largest, tried first) and
 * keeps every one that some reader does.
 */
static void test_last_pass(void **state)
{
	struct sdc_problem *p = table();
	struct readers R;
	struct audit_options o, exact;
	int64_t range[NCELL];
	unsigned char supp[NCELL] = { 0 }, sens[NCELL] = { 0 };
	enum sdc_status st[NCELL], st2[NCELL], pre[NCELL];
	size_t rounds = 0, n_lp = 0, extra = SIZE_MAX, again = 0;
	struct readers_failure lost;

	(void)state;
	rectangle(&R, &o, range, supp, sens);
	assert_int_equal(readers_add_singletons(&R, p, supp, NULL, 1), 0);
	for (size_t c = 0; c < NCELL; c++)
		st[c] = sens[c] ? SDC_SUPPRESS_PRIMARY
			: supp[c] ? SDC_SUPPRESS_SECONDARY : SDC_PUBLISH;
	assert_int_equal(readers_protect(p, st, &R, sens, &o, &rounds, &n_lp, &lost, NULL), 0);
	/* nothing to publish again in what the repair loop chose */
	memcpy(st2, st, sizeof st);
	assert_int_equal(readers_republish(p, st2, &R, sens, &o, SIZE_MAX, &n_lp, &again, NULL), 0);
	assert_int_equal(again, 0);
	assert_memory_equal(st, st2, sizeof st);
	/* the largest published cell, suppressed for nothing, is published again */
	for (size_t c = 0; c < NCELL; c++)
		if (st[c] == SDC_PUBLISH && (extra == SIZE_MAX || value[c] > value[extra]))
			extra = c;
	assert_true(extra != SIZE_MAX);
	for (size_t c = 0; c < NCELL; c++)
		if (st[c] == SDC_SUPPRESS_SECONDARY)
			assert_true(value[c] < value[extra]);
	st[extra] = SDC_SUPPRESS_SECONDARY;
	audit_options_init(&exact);
	exact.flags = AUDIT_TRUTH | AUDIT_EXACT;
	exact.range_max = range;
	memcpy(pre, st, sizeof st);
	assert_int_equal(last_pass(p, &R, st, st2, sens, range, &exact), 1);
	assert_int_equal(st[extra], SDC_PUBLISH);
	/* a budget of no LP: the first try stops at its first audit, and the pattern is the
	   one before (a try the budget stops publishes nothing) */
	memcpy(st2, pre, sizeof st);
	assert_int_equal(readers_republish(p, st2, &R, sens, &o, 0, &n_lp, &again, NULL), 1);
	assert_int_equal(again, 0);
	assert_memory_equal(pre, st2, sizeof st);
	readers_release(&R);
	sdc_problem_free(p);
}

static void test_random_tables_every_reader(void **state)
{
	size_t passed = 0, lost_cases = 0, repaired = 0, again = 0;

	(void)state;
	for (uint64_t k = 0; k < 40; k++) {
		size_t A = 2 + (size_t)(k % 8), n = (A + 1) * PCELLS;
		struct readers_failure lost, lost2;
		int withhold = (int)(k % 2), coalition = k % 3 == 2 && A >= 3 ? 2 : 1, r, r2;
		uint64_t seed = UINT64_C(0x9e3779b97f4a7c15) * (k + 1);
		enum sdc_status *st = calloc(n, sizeof *st), *st2 = calloc(n, sizeof *st2);
		unsigned char *sens = calloc(n, 1), *supp = calloc(n, 1);
		int64_t *range = calloc(n, sizeof *range);
		struct sdc_problem *real = NULL, *real2 = NULL;
		struct readers R, R2;
		struct audit_options o;
		size_t nsec = 0, fails = 0;

		assert_true(st && st2 && sens && supp && range);
		r = protect_all(A, withhold, coalition, seed, 0, st, &real, &R, sens, range, &lost);
		r2 = protect_all(A, withhold, coalition, seed, 1, st2, &real2, &R2, sens, range,
				 &lost2);
		/* the same input, the same answer, with the audits in two threads or in one */
		assert_int_equal(r, r2);
		assert_int_equal(lost.cell, lost2.cell);
		assert_memory_equal(st, st2, n * sizeof *st);
		assert_true(r == 0 || r == 1);
		if (r == 1) {
			assert_true(lost.cell < n);
			assert_true(lost.reader < R.n);	/* who narrows it, for the error */
			assert_true(lost.ilo <= lost.ihi);
			lost_cases++;
		} else {
			for (size_t c = 0; c < n; c++) {
				supp[c] = (unsigned char)sdc_withholds(st[c]);
				if (sens[c])
					assert_true(supp[c]);
				nsec += st[c] == SDC_SUPPRESS_SECONDARY;
			}
			/* each reader audited on its own by audit.h, not by readers.c */
			audit_options_init(&o);
			o.flags = AUDIT_TRUTH | AUDIT_EXACT;
			o.range_max = range;
			for (size_t i = 0; i < R.n; i++)
				fails += reader_failures(real, supp, &R, i, sens, &o);
			assert_int_equal(fails, 0);
			passed++;
			again += last_pass(real, &R, st, st2, sens, range, &o);
		}
		repaired += nsec > 0;
		readers_release(&R);
		readers_release(&R2);
		sdc_problem_free(real);
		sdc_problem_free(real2);
		free(st);
		free(st2);
		free(sens);
		free(supp);
		free(range);
	}
	/* most tables end protected, with secondaries */
	assert_true(passed >= 30);
	assert_true(repaired >= 20);
	/* and the last pass finds secondaries that no reader needs */
	assert_true(again > 0);
	if (getenv("READERS_PROPERTY_VERBOSE"))
		print_message("%zu protected, %zu with secondaries, %zu with a cell no pattern "
			      "protects; %zu secondaries published again\n", passed, repaired,
			      lost_cases, again);
}

/* Whether the outsider passes supp: audit_run_known with nothing known, every cell. */
static int outsider_passes(const struct sdc_problem *real, const unsigned char *supp,
			   const struct audit_options *o)
{
	size_t n = sdc_problem_ncells(real);
	unsigned char *known = calloc(n, 1);
	struct audit_result res;
	int pass = 1;

	assert_non_null(known);
	assert_int_equal(audit_run_known(real, supp, known, o, &res, NULL), SDC_OK);
	for (size_t k = 0; k < res.n; k++)
		pass &= res.cells[k].pass;
	audit_result_release(&res);
	free(known);
	return pass;
}

/*
 * A pattern the outsider passes, audited again for the singletons alone (readers.h,
 * outsider_passes): the same failures with the outsider left out and the views narrowed to
 * the singletons' groups as with every view and the outsider audited. The patterns: each
 * protected random table with one secondary published again, where the outsider still passes.
 */
static void test_outsider_passes(void **state)
{
	size_t compared = 0, failing = 0;

	(void)state;
	for (uint64_t k = 0; k < 16; k++) {
		size_t A = 2 + (size_t)(k % 6), n = (A + 1) * PCELLS;
		uint64_t seed = UINT64_C(0x51a7e5d1b2c3) * (k + 3);
		enum sdc_status *st = calloc(n, sizeof *st);
		unsigned char *sens = calloc(n, 1), *supp = calloc(n, 1);
		int64_t *range = calloc(n, sizeof *range);
		struct sdc_problem *real = NULL;
		struct readers R;
		struct readers_failure lost;
		struct audit_options o;

		assert_true(st && sens && supp && range);
		if (protect_all(A, (int)(k % 2), 1, seed, 0, st, &real, &R, sens, range, &lost) != 0) {
			readers_release(&R);
			sdc_problem_free(real);
			free(st), free(sens), free(supp), free(range);
			continue;
		}
		audit_options_init(&o);
		o.flags = AUDIT_TRUTH;
		o.range_max = range;
		for (size_t s = 0; s < n; s++) {
			struct readers S;
			struct readers_failures F1 = { NULL, 0, 0 }, F2 = { NULL, 0, 0 };
			if (st[s] != SDC_SUPPRESS_SECONDARY)
				continue;
			for (size_t c = 0; c < n; c++)
				supp[c] = (unsigned char)(c != s && sdc_withholds(st[c]));
			if (!outsider_passes(real, supp, &o))
				continue; /* not a pattern for this */
			assert_int_equal(readers_init(&S, n, 1), 0);
			S.ngroups = R.ngroups;
			S.npos = R.npos;
			memcpy(S.group, R.group, n * sizeof *S.group);
			memcpy(S.pos, R.pos, n * sizeof *S.pos);
			assert_int_equal(readers_add_singletons(&S, real, supp, NULL, 0), 0);
			assert_int_equal(readers_audit(real, supp, &S, &o, sens, NULL, NULL, &F1, NULL,
						       NULL, SIZE_MAX, NULL), 0);
			S.outsider_passes = 1;
			assert_int_equal(readers_audit(real, supp, &S, &o, sens, NULL, NULL, &F2, NULL,
						       NULL, SIZE_MAX, NULL), 0);
			assert_int_equal(F1.n, F2.n);
			for (size_t q = 0; q < F1.n; q++) {
				assert_int_equal(F1.f[q].reader, F2.f[q].reader);
				assert_int_equal(F1.f[q].cell, F2.f[q].cell);
				assert_true(F1.f[q].reader > 0);
			}
			compared++;
			failing += F1.n > 0;
			free(F1.f);
			free(F2.f);
			readers_release(&S);
		}
		readers_release(&R);
		sdc_problem_free(real);
		free(st), free(sens), free(supp), free(range);
	}
	assert_true(compared >= 10);
	assert_true(failing >= 1); /* some singleton fails where the outsider does not */
	if (getenv("READERS_PROPERTY_VERBOSE"))
		print_message("%zu patterns compared, %zu with a failing singleton\n", compared,
			      failing);
}

/*
 * A singleton's proof in its area's view knows all it knows. The person alone in M (1) knows
 * E (1) too, which a published inequality puts below M (E <= M: it knows whether it is in E).
 * T = E + X is published as 3, so from E the person pins X, a 2, at [2, 2]. Knowing M alone,
 * X would be in [2, 3], which passes: a proof in the view with M alone known let the failure
 * through (the view must fix what the reader knows, not only its own cell). The outsider
 * passes X (E in [0, 3] under M in [0, 7] of MT = M + Y = 7).
 */
enum { KM, KE, KX, KT, KY, KMT, KZ, KCELL };

static void test_singleton_view_knows_all(void **state)
{
	static const int64_t v[KCELL] = { 1, 1, 2, 3, 6, 7, 0 };
	struct sdc_problem *p = sdc_problem_new(KCELL);
	const size_t et[] = { KE, KX }, my[] = { KM, KY }, known[] = { KM, KE }, focus[] = { KX };
	unsigned char supp[KCELL] = { 0 }, sens[KCELL] = { 0 };
	int64_t range[KCELL];
	struct readers R;
	struct readers_failures F = { NULL, 0, 0 };
	struct audit_options o;
	size_t nlp = 0, found = 0;

	(void)state;
	assert_non_null(p);
	for (size_t c = 0; c < KCELL; c++) {
		assert_int_equal(sdc_set_cell(p, c, v[c], SDC_CANDIDATE, NULL), SDC_OK);
		range[c] = 2;
	}
	assert_int_equal(sdc_add_relation(p, KT, et, 2, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, KMT, my, 2, NULL), SDC_OK);
	assert_int_equal(sdc_add_leq(p, KE, KM, NULL), SDC_OK);
	supp[KM] = supp[KE] = supp[KX] = supp[KY] = 1;
	sens[KM] = sens[KE] = sens[KX] = 1;
	audit_options_init(&o);
	o.flags = AUDIT_TRUTH;
	o.range_max = range;
	/* one area (group 0) and the nation (group 1, its one cell published) */
	assert_int_equal(readers_init(&R, KCELL, 1), 0);
	R.ngroups = 2;
	R.npos = 1;
	for (size_t c = 0; c < KCELL; c++) {
		R.group[c] = c == KZ;
		R.pos[c] = SIZE_MAX;
	}
	R.rules_known = 1;
	assert_int_equal(readers_add(&R, READER_SINGLETON, "singleton", KM, known, 2, focus, 1), 0);
	R.r[1].ga = 0;
	assert_int_equal(readers_audit(p, supp, &R, &o, sens, NULL, NULL, &F, NULL, &nlp,
				       READERS_LP_BUDGET, NULL),
			 0);
	for (size_t k = 0; k < F.n; k++) {
		assert_int_equal(F.f[k].reader, 1); /* the outsider passes */
		if (F.f[k].cell == KX) {
			assert_int_equal(F.f[k].ilo, 2);
			assert_int_equal(F.f[k].ihi, 2);
			found++;
		}
	}
	assert_int_equal(found, 1);
	free(F.f);
	readers_release(&R);
	sdc_problem_free(p);
}

/*
 * The reader who knows the method (readers_identified): a withheld cell is identified as a
 * primary when it is in no relation with at most 2 + s withheld cells (s: 1, or the coalition
 * where the relation spans groups). Five areas x0..x4 (groups 0-4) under a national total T
 * (group 5), and x0 = y0 + z0 in area 0.
 */
enum { X0, X1, X2, X3, X4, T5, Y0, Z0, ICELL };
#define EVERY (READER_OUTSIDER | READER_INSIDER | READER_SINGLETON)

static struct sdc_problem *identified_table(int x3_withheld)
{
	struct sdc_problem *p = sdc_problem_new(ICELL);
	const size_t nat[] = { X0, X1, X2, X3, X4 }, area[] = { Y0, Z0 };
	assert_non_null(p);
	for (size_t c = 0; c < ICELL; c++)
		assert_int_equal(sdc_set_cell(p, c, 1, c == X3 && x3_withheld ? SDC_WITHHELD
										: SDC_CANDIDATE,
					      NULL),
				 SDC_OK);
	assert_int_equal(sdc_add_relation(p, T5, nat, 5, NULL), SDC_OK);
	assert_int_equal(sdc_add_relation(p, X0, area, 2, NULL), SDC_OK);
	return p;
}

static void identified_groups(struct readers *R, int coalition)
{
	assert_int_equal(readers_init(R, ICELL, coalition), 0);
	R->ngroups = 6;
	R->npos = 1;
	for (size_t c = 0; c < ICELL; c++) {
		R->group[c] = c <= X4 ? c : c == T5 ? 5 : 0;
		R->pos[c] = SIZE_MAX;
	}
}

static void test_identified(void **state)
{
	struct sdc_problem *p = identified_table(0);
	struct readers R;
	unsigned char supp[ICELL] = { 0 }, ident[ICELL];

	(void)state;
	identified_groups(&R, 1);
	/* four of the national sum withheld: publishing one leaves three, two to a data lead */
	supp[X0] = supp[X1] = supp[X2] = supp[X3] = 1;
	assert_int_equal(readers_identified(p, supp, &R, EVERY, NULL, NULL, ident), 4);
	assert_true(ident[X0] && ident[X1] && ident[X2] && ident[X3]);
	assert_false(ident[X4] || ident[T5]);
	/* three: publishing one leaves two, one of which a data lead knows */
	supp[X3] = 0;
	assert_int_equal(readers_identified(p, supp, &R, EVERY, NULL, NULL, ident), 0);
	/* four again, and x0 with y0 in its area's sum: published, x0 would pin y0 */
	supp[X3] = supp[Y0] = 1;
	assert_int_equal(readers_identified(p, supp, &R, EVERY, NULL, NULL, ident), 3);
	assert_false(ident[X0] || ident[Y0]);
	assert_true(ident[X1] && ident[X2] && ident[X3]);
	/* an area's sum of three withheld: the person alone in one of them knows it */
	supp[Z0] = 1;
	supp[X1] = supp[X2] = supp[X3] = 0;
	assert_int_equal(readers_identified(p, supp, &R, EVERY, NULL, NULL, ident), 0);
	/* with no singleton among the policy's readers no one knows one of the three (the
	   area's data lead knows all of them): published, x0 pins nothing (QA: a policy without
	   singletons was read as if it had them, and a table of 1s was pinned whole) */
	assert_int_equal(readers_identified(p, supp, &R, READER_OUTSIDER | READER_INSIDER, NULL, NULL, ident),
			 3);
	/* three of the national sum: a data lead knows one, the outsider alone none */
	memset(supp, 0, sizeof supp);
	supp[X0] = supp[X1] = supp[X2] = 1;
	assert_int_equal(readers_identified(p, supp, &R, READER_OUTSIDER | READER_INSIDER, NULL, NULL, ident),
			 0);
	assert_int_equal(readers_identified(p, supp, &R, READER_OUTSIDER | READER_SINGLETON, NULL, NULL,
					    ident),
			 0);
	assert_int_equal(readers_identified(p, supp, &R, READER_OUTSIDER, NULL, NULL, ident), 3);
	readers_release(&R);

	/* a coalition of two knows two areas' cells: four in the national sum can be needed */
	identified_groups(&R, 2);
	memset(supp, 0, sizeof supp);
	supp[X0] = supp[X1] = supp[X2] = supp[X3] = 1;
	assert_int_equal(readers_identified(p, supp, &R, EVERY, NULL, NULL, ident), 0);
	supp[X4] = 1;
	assert_int_equal(readers_identified(p, supp, &R, EVERY, NULL, NULL, ident), 5);
	readers_release(&R);
	sdc_problem_free(p);

	/* a cell withheld by policy is never taken as a primary: the reader knows why */
	p = identified_table(1);
	identified_groups(&R, 1);
	memset(supp, 0, sizeof supp);
	supp[X0] = supp[X1] = supp[X2] = supp[X3] = 1;
	assert_int_equal(readers_identified(p, supp, &R, EVERY, NULL, NULL, ident), 3);
	assert_false(ident[X3]);
	readers_release(&R);
	sdc_problem_free(p);

	/* one publication's reading of a revision's joint system (protect.c): the candidates
	   given (x3 withheld by the policy, as on a system whose cells all are candidates) and
	   only its own relations read */
	p = identified_table(0);
	identified_groups(&R, 1);
	{
		unsigned char cand[ICELL] = { 0 }, use[2] = { 1, 0 };
		memset(supp, 0, sizeof supp);
		supp[X0] = supp[X1] = supp[X2] = supp[X3] = supp[Y0] = 1;
		cand[X0] = cand[X1] = cand[X2] = cand[Y0] = 1;
		/* x3 is no candidate; x0 and y0 are cleared by their area's sum */
		assert_int_equal(readers_identified(p, supp, &R, EVERY, cand, NULL, ident), 2);
		assert_true(ident[X1] && ident[X2]);
		assert_false(ident[X3] || ident[X0] || ident[Y0]);
		/* the area's sum not this publication's: nothing clears x0 and y0 */
		assert_int_equal(readers_identified(p, supp, &R, EVERY, cand, use, ident), 4);
		assert_true(ident[X0] && ident[Y0]);
		/* nor the national sum's: every candidate, whatever the sums hold */
		use[0] = 0;
		supp[X2] = supp[X3] = 0;
		assert_int_equal(readers_identified(p, supp, &R, EVERY, cand, use, ident), 3);
	}
	readers_release(&R);
	sdc_problem_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readers_of_a_table),
		cmocka_unit_test(test_total_singleton_focus),
		cmocka_unit_test(test_revision_twins),
		cmocka_unit_test(test_insider_breaks_and_repair),
		cmocka_unit_test(test_insider_holds_all),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_budget_shared),
		cmocka_unit_test(test_last_pass),
		cmocka_unit_test(test_random_tables_every_reader),
		cmocka_unit_test(test_outsider_passes),
		cmocka_unit_test(test_singleton_view_knows_all),
		cmocka_unit_test(test_identified),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
