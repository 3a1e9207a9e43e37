/*
 * bench_sdc.c - suppression and audit of a synthetic linked MAPPA-like
 * table (the eligible table) for 42, 100, 300 and 1000 areas.
 *
 * Per area: categories 1-4 x levels 1-3, category 3 at level 1 empty;
 * category totals over levels; level totals and a grand total over
 * categories 1-3 only; category 4 withheld.  National: the sum of the
 * areas for every cell and margin, plus level totals and a grand total
 * over categories 1-4.  Counts 1-2 are primary in area and national
 * cells, zeros are published (the default policy).
 *
 * Usage: bench_sdc [--readers] [areas ...]      (default 42 100 300 1000)
 * With --readers the pattern is protected from every reader of the shipped policy, as
 * mappa-suppress does (readers.h): elimination with zeros as complements, then the repair
 * loop over the outsider, each area's insider and the person in every suppressed cell of 1,
 * with the protection range (no reader may conclude a cell holds 1 or 2 people). Without it,
 * the outsider alone (sdc_suppress with its own audit).
 * Environment: BENCH_PROTECT_ZEROS=1 makes zeros primary too;
 * BENCH_AUDIT_DETAIL=1 also times a second, standalone audit of the
 * pattern and prints its LP counts.
 * Prints one line per size.  The counts are drawn from a fixed seed, so
 * every run measures the same tables.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "readers.h"
#include "sdc.h"

/* per-table layout */
enum {
	IN = 0,			/* 12 inner cells: (c-1) * 3 + (l-1) */
	CT = 12,		/* 4 category totals over levels */
	LT = 16,		/* 3 level totals over categories 1-3 */
	GT = 19,		/* grand total over categories 1-3 */
	AREA_W = 20,
	LT4 = 20,		/* national only: level totals over 1-4 */
	GT4 = 23,		/* national only: grand total over 1-4 */
	NAT_W = 24
};

static uint64_t rs = UINT64_C(0x853c49e6748fea9b);

static double unif(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (double)(rs >> 11) * (1.0 / 9007199254740992.0);
}

static int64_t poisson(double mean)
{
	if (mean > 50) {	/* normal approximation */
		double u1 = unif(), u2 = unif();
		double z = sqrt(-2.0 * log(u1 + 1e-300)) * cos(6.283185307 * u2);
		double x = floor(mean + sqrt(mean) * z + 0.5);
		return x < 0 ? 0 : (int64_t)x;
	}
	{
		double l = exp(-mean), p = 1.0;
		int64_t k = 0;
		do {
			k++;
			p *= unif();
		} while (p > l);
		return k - 1;
	}
}

static size_t cell(size_t A, size_t t, size_t off)
{
	return t < A ? t * AREA_W + off : A * AREA_W + off;
}

static int protect_zeros;

/* real: every cell a candidate with its true value (the system the readers are audited on) */
static int build(size_t A, int real, struct sdc_problem **out)
{
	/* mean counts per unit of area size, category x level */
	static const double mean[4][3] = {
		{ 260, 5, 0.8 }, { 140, 7, 1.2 }, { 0, 4, 0.6 },
		{ 2.0, 0.8, 0.3 }
	};
	size_t n = A * AREA_W + NAT_W, m[1100];
	struct sdc_problem *p = sdc_problem_new(n);
	int64_t *v = calloc(n, sizeof(int64_t));
	struct diag_list d = DIAG_LIST_INIT;

	if (p == NULL || v == NULL || A > 1000)
		goto fail;
	for (size_t a = 0; a < A; a++) {
		double size = 0.3 + 2.7 * unif();
		for (size_t c = 0; c < 4; c++)
			for (size_t l = 0; l < 3; l++)
				if (!(c == 2 && l == 0))
					v[cell(A, a, IN + c * 3 + l)] =
						poisson(mean[c][l] * size);
	}
	for (size_t t = 0; t <= A; t++) {
		if (t == A)
			for (size_t a = 0; a < A; a++)
				for (size_t k = 0; k < 12; k++)
					v[cell(A, A, k)] += v[cell(A, a, k)];
		for (size_t c = 0; c < 4; c++)
			for (size_t l = 0; l < 3; l++) {
				int64_t x = v[cell(A, t, IN + c * 3 + l)];
				v[cell(A, t, CT + c)] += x;
				if (c < 3) {
					v[cell(A, t, LT + l)] += x;
					v[cell(A, t, GT)] += x;
				}
				if (t == A) {
					v[cell(A, t, LT4 + l)] += x;
					v[cell(A, t, GT4)] += x;
				}
			}
	}
	for (size_t t = 0; t <= A; t++) {
		size_t w = t < A ? AREA_W : NAT_W;
		for (size_t k = 0; k < w; k++) {
			size_t i = cell(A, t, k);
			enum sdc_state s = sdc_threshold_state(v[i], 1, 2,
								   protect_zeros);
			if (k == IN + 2 * 3 + 0)
				s = SDC_EMPTY;
			else if (t < A && ((k >= IN + 9 && k < IN + 12) ||
					   k == CT + 3))
				s = SDC_WITHHELD;
			if (real && s != SDC_EMPTY)
				s = SDC_CANDIDATE;
			if (sdc_set_cell(p, i, v[i], s, &d))
				goto fail;
		}
		for (size_t c = 0; c < 4; c++) {
			for (size_t l = 0; l < 3; l++)
				m[l] = cell(A, t, IN + c * 3 + l);
			sdc_add_relation(p, cell(A, t, CT + c), m, 3, NULL);
		}
		for (size_t l = 0; l < 3; l++) {
			for (size_t c = 0; c < 3; c++)
				m[c] = cell(A, t, IN + c * 3 + l);
			sdc_add_relation(p, cell(A, t, LT + l), m, 3, NULL);
		}
		for (size_t l = 0; l < 3; l++)
			m[l] = cell(A, t, LT + l);
		sdc_add_relation(p, cell(A, t, GT), m, 3, NULL);
		for (size_t c = 0; c < 3; c++)
			m[c] = cell(A, t, CT + c);
		sdc_add_relation(p, cell(A, t, GT), m, 3, NULL);
		if (t == A) {
			for (size_t l = 0; l < 3; l++) {
				m[0] = cell(A, t, LT + l);
				m[1] = cell(A, t, IN + 9 + l);
				sdc_add_relation(p, cell(A, t, LT4 + l), m, 2, NULL);
			}
			for (size_t l = 0; l < 3; l++)
				m[l] = cell(A, t, LT4 + l);
			sdc_add_relation(p, cell(A, t, GT4), m, 3, NULL);
			m[0] = cell(A, t, GT);
			m[1] = cell(A, t, CT + 3);
			sdc_add_relation(p, cell(A, t, GT4), m, 2, NULL);
		}
	}
	for (size_t k = 0; k < AREA_W; k++) {
		for (size_t a = 0; a < A; a++)
			m[a] = cell(A, a, k);
		sdc_add_relation(p, cell(A, A, k), m, A, NULL);
	}
	free(v);
	*out = p;
	return 0;
fail:
	diag_clear(&d);
	sdc_problem_free(p);
	free(v);
	return -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * The pattern of p protected from every reader, as mappa-suppress protects a dataset: prints
 * one line. 0, or 1 when the protection fails.
 */
static int every_reader(size_t A)
{
	struct sdc_problem *p = NULL, *real = NULL;
	struct sdc_options opt;
	struct sdc_report rep;
	struct audit_options aopt;
	struct readers R;
	struct diag_list d = DIAG_LIST_INIT;
	enum sdc_status *st = NULL;
	unsigned char *supp = NULL, *sens = NULL;
	int64_t *range = NULL;
	char (*names)[24] = NULL;
	const char **np = NULL;
	size_t n, rounds = 0, n_lp = 0, nsec = 0;
	struct readers_failure lost;
	long long sum = 0;
	double t0, t1, t2;
	int r, status = 1;

	memset(&R, 0, sizeof R);
	rs = UINT64_C(0x853c49e6748fea9b);
	if (build(A, 0, &p) != 0)
		goto out;
	rs = UINT64_C(0x853c49e6748fea9b);
	if (build(A, 1, &real) != 0)
		goto out;
	n = sdc_problem_ncells(p);
	st = calloc(n, sizeof *st);
	supp = calloc(n, 1);
	sens = calloc(n, 1);
	range = calloc(n, sizeof *range);
	names = calloc(A, sizeof *names);
	np = calloc(A, sizeof *np);
	if (!st || !supp || !sens || !range || !names || !np || readers_init(&R, n, 1))
		goto out;
	t0 = now();
	sdc_options_init(&opt);
	opt.protect_zeros = protect_zeros;
	opt.audit = 0;
	opt.zero_complements = 1;
	if (sdc_suppress(p, &opt, st, &rep, &d) != SDC_OK)
		goto out;
	t1 = now();
	/* groups: the areas, then the nation; a position is the national cell at the same offset */
	R.ngroups = A + 1;
	R.npos = NAT_W;
	for (size_t t = 0; t <= A; t++)
		for (size_t k = 0; k < (t < A ? (size_t)AREA_W : (size_t)NAT_W); k++) {
			R.group[cell(A, t, k)] = t;
			R.pos[cell(A, t, k)] = k;
		}
	for (size_t c = 0; c < n; c++) {
		enum sdc_state s = sdc_cell_state(p, c);
		supp[c] = (unsigned char)sdc_withholds(st[c]);
		sens[c] = s == SDC_PRIMARY || s == SDC_WITHHELD;
		range[c] = 2; /* the shipped policy: no reader may conclude 1 or 2 */
	}
	for (size_t a = 0; a < A; a++) {
		snprintf(names[a], sizeof names[a], "A%zu", a + 1);
		np[a] = names[a];
	}
	audit_options_init(&aopt);
	aopt.protect_zeros = protect_zeros;
	aopt.flags = AUDIT_TRUTH;
	aopt.range_max = range;
	if (readers_add_insiders(&R, n, np, 1) ||
	    readers_add_singletons(&R, real, supp, NULL, audit_monotone(&aopt)))
		goto out;
	r = readers_protect(real, st, &R, sens, &aopt, &rounds, &n_lp, &lost, &d);
	t2 = now();
	if (r < 0)
		goto out;
	for (size_t c = 0; c < n; c++)
		if (st[c] == SDC_SUPPRESS_SECONDARY) {
			nsec++;
			sum += (long long)sdc_cell_value(real, c);
		}
	printf("%6zu %6zu %5zu %5zu %5zu %7lld %8.3f %8.3f %8.3f %7zu %6zu %7zu %s\n", A, n,
	       rep.n_primary, rep.n_withheld, nsec, sum, t1 - t0, t2 - t1, t2 - t0, rounds, R.n,
	       n_lp, r == 0 ? "pass" : r == 1 ? "LOST" : "BUDGET");
	status = r == 0 ? 0 : 1;
out:
	if (status && d.count)
		fprintf(stderr, "bench_sdc: %zu areas: %s\n", A, d.items[0].message);
	diag_clear(&d);
	readers_release(&R);
	free(st);
	free(supp);
	free(sens);
	free(range);
	free(names);
	free(np);
	sdc_problem_free(p);
	sdc_problem_free(real);
	return status;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 42, 100, 300, 1000 };
	int readers = argc > 1 && strcmp(argv[1], "--readers") == 0;
	size_t nsizes;
	int status = 0;
	struct sdc_options opt;

	if (readers) {
		argv++;
		argc--;
	}
	nsizes = argc > 1 ? (size_t)(argc - 1) : 4;

	protect_zeros = getenv("BENCH_PROTECT_ZEROS") != NULL;
	sdc_options_init(&opt);
	opt.protect_zeros = protect_zeros;

	if (readers) {
		printf("%6s %6s %5s %5s %5s %7s %8s %8s %8s %7s %6s %7s %s\n", "areas", "cells",
		       "prim", "with", "sec", "sum_sec", "gauss_s", "readers_s", "total_s", "rounds",
		       "readers", "LPs", "result");
		for (size_t k = 0; k < nsizes; k++) {
			size_t A = argc > 1 ? (size_t)strtoul(argv[k + 1], NULL, 10) : sizes[k];
			if (A < 2 || A > 1000) {
				fprintf(stderr, "bench_sdc: cannot build %zu areas\n", A);
				return 1;
			}
			status |= every_reader(A);
			fflush(stdout);
		}
		return status;
	}
	printf("%6s %6s %5s %5s %5s %7s %8s %8s %8s %7s %6s\n", "areas",
	       "cells", "prim", "with", "sec", "sum_sec", "gauss_s",
	       "audit_s", "total_s", "repairs", "fail");
	for (size_t k = 0; k < nsizes; k++) {
		size_t A = argc > 1 ? (size_t)strtoul(argv[k + 1], NULL, 10)
				    : sizes[k];
		struct sdc_problem *p = NULL;
		enum sdc_status *st;
		struct sdc_report rep;
		struct diag_list d = DIAG_LIST_INIT;
		double t0, t1;
		int rc;

		rs = UINT64_C(0x853c49e6748fea9b);
		if (A < 2 || build(A, 0, &p) != 0) {
			fprintf(stderr, "bench_sdc: cannot build %zu areas\n",
				A);
			return 1;
		}
		st = malloc(sdc_problem_ncells(p) * sizeof(*st));
		if (st == NULL)
			return 1;
		t0 = now();
		rc = sdc_suppress(p, &opt, st, &rep, &d);
		t1 = now();
		if (rc != SDC_OK) {
			fprintf(stderr, "bench_sdc: %zu areas: %s\n", A, d.count ? d.items[0].message : "");
			status = 1;
		}
		printf("%6zu %6zu %5zu %5zu %5zu %7lld %8.3f %8.3f %8.3f "
		       "%7zu %6zu\n", A, sdc_problem_ncells(p), rep.n_primary,
		       rep.n_withheld, rep.n_secondary,
		       (long long)rep.sum_secondary, rep.seconds_gauss,
		       rep.seconds_audit, t1 - t0, rep.n_repairs,
		       rep.n_audit_fail);
		if (getenv("BENCH_AUDIT_DETAIL")) {
			unsigned char *supp = calloc(sdc_problem_ncells(p), 1);
			struct audit_result ar;
			struct audit_options ao;
			size_t exact = 0, maxc = 0;
			for (size_t i = 0; supp && i < sdc_problem_ncells(p); i++)
				supp[i] = st[i] == SDC_SUPPRESS_PRIMARY ||
					  st[i] == SDC_SUPPRESS_SECONDARY ||
					  st[i] == SDC_SUPPRESS_WITHHELD;
			t0 = now();
			audit_options_init(&ao);
			ao.protect_zeros = protect_zeros;
			if (supp && audit_run(p, supp, &ao, &ar, &d) == SDC_OK) {
				for (size_t i = 0; i < ar.n; i++)
					exact += (size_t)ar.cells[i].exact;
				printf("  audit alone: %.3f s, %zu suppressed, "
				       "%zu components, %zu LPs, %zu cells "
				       "needed their own LPs\n", now() - t0,
				       ar.n, ar.n_components, ar.n_lp, exact);
				(void)maxc;
				audit_result_release(&ar);
			}
			free(supp);
		}
		fflush(stdout);
		free(st);
		sdc_problem_free(p);
	}
	return status;
}
