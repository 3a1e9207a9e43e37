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
 * Usage: bench_sdc [areas ...]      (default 42 100 300 1000)
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

static int build(size_t A, struct sdc_problem **out)
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
		return -1;
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
			if (sdc_set_cell(p, i, v[i], s, &d))
				return -1;
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
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 42, 100, 300, 1000 };
	size_t nsizes = argc > 1 ? (size_t)(argc - 1) : 4;
	int status = 0;
	struct sdc_options opt;

	protect_zeros = getenv("BENCH_PROTECT_ZEROS") != NULL;
	sdc_options_init(&opt);
	opt.protect_zeros = protect_zeros;

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
		if (A < 2 || build(A, &p) != 0) {
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
