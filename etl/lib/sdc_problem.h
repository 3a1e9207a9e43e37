/*
 * sdc_problem.h - the linear system of a publication: cells, relations, inequalities, bounds.
 *
 * A problem is N cells with non-negative integer values, M additive relations
 * "cell[t] = sum of cell[members]", published inequalities "cell[a] <= cell[b]" and optional
 * known bounds "lo <= cell <= hi", and what the caller says of each cell (a candidate for
 * publication, primary, withheld by policy, structurally empty). Every relation, inequality
 * and bound is assumed known to every reader.
 *
 * This module is below both the elimination (sdc.h) and the LP audit (audit.h): each reads
 * the system through it, and neither knows the other's internals.
 *
 * Ownership: the problem owns copies of everything added to it. Functions return SDC_OK or a
 * negative SDC_E* code and append what is wrong to d (may be NULL) as an S02 diagnostic
 * (diag.h) with no file: the engine knows none, and the adapter that built the system from a
 * file reports it under that file's name (protect.h).
 */
#ifndef MAPPA_SDC_PROBLEM_H
#define MAPPA_SDC_PROBLEM_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

enum sdc_error {
	SDC_OK = 0,
	SDC_ENOMEM = -1,	/* out of memory */
	SDC_EINVAL = -2,	/* bad argument: cell index, cycle, negative value */
	SDC_EINCONSISTENT = -3,	/* the values contradict a relation or bound */
	SDC_EUNSAFE = -4,	/* a protected cell cannot be protected (see report) */
	SDC_ELP = -5		/* the LP solver failed */
};

/* What the caller says about a cell before suppression. */
enum sdc_state {
	SDC_CANDIDATE = 0,	/* may be published */
	SDC_PRIMARY,		/* unsafe: must be suppressed and protected */
	SDC_WITHHELD,		/* withheld by policy: suppressed and protected */
	SDC_EMPTY		/* structurally empty: value 0, known to all */
};

struct sdc_problem;

/* A problem of ncells cells, all candidates with value 0 and cost = value. */
struct sdc_problem *sdc_problem_new(size_t ncells);
void sdc_problem_free(struct sdc_problem *p);

size_t sdc_problem_ncells(const struct sdc_problem *p);

int sdc_set_cell(struct sdc_problem *p, size_t cell, int64_t value,
		 enum sdc_state state, struct diag_list *d);
/* Suppression cost; larger = more preferred to publish.  Default: value. */
int sdc_set_cost(struct sdc_problem *p, size_t cell, double cost,
		 struct diag_list *d);
/* Known bounds lo <= cell <= hi; hi < 0 means no upper bound. */
int sdc_set_bounds(struct sdc_problem *p, size_t cell, int64_t lo,
		   int64_t hi, struct diag_list *d);
/* cell[total] = sum of cell[members[0..n-1]]; a member may repeat. */
int sdc_add_relation(struct sdc_problem *p, size_t total,
		     const size_t *members, size_t n, struct diag_list *d);
/* cell[a] <= cell[b] is published knowledge. */
int sdc_add_leq(struct sdc_problem *p, size_t a, size_t b,
		struct diag_list *d);

/* Read-only access, for the audit and for adapters. */
int64_t sdc_cell_value(const struct sdc_problem *p, size_t cell);
/* Its cost (sdc_set_cost, else its value), and whether one was set. */
double sdc_cell_cost(const struct sdc_problem *p, size_t cell);
int sdc_cell_has_cost(const struct sdc_problem *p, size_t cell);
enum sdc_state sdc_cell_state(const struct sdc_problem *p, size_t cell);
void sdc_cell_bounds(const struct sdc_problem *p, size_t cell, int64_t *lo,
		     int64_t *hi);
/* Every cell's value and state at once (ncells each; the states are enum sdc_state values;
   valid until the problem changes): for loops over the whole problem. */
const int64_t *sdc_cell_values(const struct sdc_problem *p);
const unsigned char *sdc_cell_states(const struct sdc_problem *p);
size_t sdc_nrelations(const struct sdc_problem *p);
/* Relation r: its total and its n members (pointer valid until the next
   sdc_add_relation). */
size_t sdc_relation(const struct sdc_problem *p, size_t r,
		    const size_t **members, size_t *n);
size_t sdc_nleq(const struct sdc_problem *p);
void sdc_leq(const struct sdc_problem *p, size_t i, size_t *a, size_t *b);

/* The state a threshold rule gives a count: PRIMARY when min <= value <=
   max, or value == 0 and protect_zeros; else CANDIDATE. */
enum sdc_state sdc_threshold_state(int64_t value, int64_t min, int64_t max,
				   int protect_zeros);

const char *sdc_strerror(int code);

/* Appends to d (may be NULL) an S02 error without a file, as every function of the engine
   (this module, sdc.h, audit.h) reports. */
void sdc_error(struct diag_list *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same at a line of the file the figure was read from (0: none). */
void sdc_error_at(struct diag_list *d, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
