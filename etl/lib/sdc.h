/*
 * sdc.h - generic secondary cell suppression for linked tables of counts.
 *
 * A problem is N cells with non-negative integer values, M additive
 * relations "cell[t] = sum of cell[members]", published inequalities
 * "cell[a] <= cell[b]" and optional known bounds "lo <= cell <= hi".
 * Every relation, inequality and bound is assumed known to the reader.
 *
 * sdc_suppress() chooses the secondary suppressions over the whole linked
 * system at once by Gaussian elimination (the method of SSBtools'
 * GaussSuppression, in exact modular arithmetic), then audits the pattern
 * by linear programming (audit.h) and adds further suppressions until the
 * audit passes.  The result depends only on the input: ties are broken by
 * cell index.
 *
 * Ownership: the problem owns copies of everything added to it.  The
 * library never prints; functions return SDC_OK or a negative SDC_E* code
 * and write a message into err (errlen bytes, may be NULL/0).
 */
#ifndef MAPPA_SDC_H
#define MAPPA_SDC_H

#include <stddef.h>
#include <stdint.h>

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

/* What the engine decided, and why (kept between stages; every suppressed cell is published
   with one status, [c] / SDMX CONF_STATUS C, whatever the reason). */
enum sdc_status {
	SDC_PUBLISH = 0,
	SDC_SUPPRESS_PRIMARY,	/* a small count */
	SDC_SUPPRESS_SECONDARY,	/* protects a primary one */
	SDC_SUPPRESS_WITHHELD,	/* withheld by policy */
	SDC_NOT_APPLICABLE	/* OBS_STATUS M */
};

struct sdc_problem;

struct sdc_options {
	int64_t min_width;	/* smallest allowed integer interval width of a
				   suppressed cell; 1 = not deducible exactly */
	int protect_zeros;	/* 0: an interval [0,0] passes (zeros are
				   published); 1: it fails */
	int audit;		/* 1: audit and repair (default); 0: Gaussian
				   elimination only */
	size_t max_repairs;	/* cap on extra suppressions added by the
				   repair loop (0 = no cap) */
	int zero_complements;	/* 0 (default): a published zero is visited
				   first, so it is a complement only when no
				   other pattern exists (a suppressed zero
				   hides nothing once its partners sum to 0);
				   1: zeros are ordered by cost like others.
				   An explicit sdc_set_cost always counts. */
};

struct sdc_report {
	size_t n_primary;
	size_t n_withheld;
	size_t n_secondary;	/* all secondary suppressions */
	int64_t sum_secondary;	/* sum of their values */
	size_t n_repairs;	/* of n_secondary, added by the audit repair */
	size_t n_audit_rounds;	/* audits run */
	size_t n_unprotectable;	/* protected cells no pattern can protect */
	size_t n_audit_fail;	/* suppressed cells failing the last audit */
	double seconds_gauss;
	double seconds_audit;
};

void sdc_options_init(struct sdc_options *opt);

/* A problem of ncells cells, all candidates with value 0 and cost = value. */
struct sdc_problem *sdc_problem_new(size_t ncells);
void sdc_problem_free(struct sdc_problem *p);

size_t sdc_problem_ncells(const struct sdc_problem *p);

int sdc_set_cell(struct sdc_problem *p, size_t cell, int64_t value,
		 enum sdc_state state, char *err, size_t errlen);
/* Suppression cost; larger = more preferred to publish.  Default: value. */
int sdc_set_cost(struct sdc_problem *p, size_t cell, double cost,
		 char *err, size_t errlen);
/* Known bounds lo <= cell <= hi; hi < 0 means no upper bound. */
int sdc_set_bounds(struct sdc_problem *p, size_t cell, int64_t lo,
		   int64_t hi, char *err, size_t errlen);
/* cell[total] = sum of cell[members[0..n-1]]; a member may repeat. */
int sdc_add_relation(struct sdc_problem *p, size_t total,
		     const size_t *members, size_t n, char *err, size_t errlen);
/* cell[a] <= cell[b] is published knowledge. */
int sdc_add_leq(struct sdc_problem *p, size_t a, size_t b,
		char *err, size_t errlen);

/* Read-only access, for the audit and for adapters. */
int64_t sdc_cell_value(const struct sdc_problem *p, size_t cell);
enum sdc_state sdc_cell_state(const struct sdc_problem *p, size_t cell);
void sdc_cell_bounds(const struct sdc_problem *p, size_t cell, int64_t *lo,
		     int64_t *hi);
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

/*
 * Suppress.  status must hold ncells entries; it receives the decision for
 * every cell.  report may be NULL.  Returns SDC_OK when the audit passes,
 * SDC_EUNSAFE when some protected cell could not be protected (status is
 * still filled: every primary and withheld cell is suppressed).
 */
int sdc_suppress(const struct sdc_problem *p, const struct sdc_options *opt,
		 enum sdc_status *status, struct sdc_report *report,
		 char *err, size_t errlen);

/* Gaussian elimination only, no audit and no repair (what the engine does
   before its audit; for tests and comparisons).  The content of status on
   entry is ignored.  Returns SDC_EUNSAFE when a protected cell is
   determined by the relations alone. */
int sdc_gauss(const struct sdc_problem *p, enum sdc_status *status,
	      char *err, size_t errlen);

const char *sdc_strerror(int code);

#endif
