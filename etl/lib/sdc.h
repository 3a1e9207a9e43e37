/*
 * sdc.h - generic secondary cell suppression for linked tables of counts.
 *
 * The problem (cells, relations, inequalities, bounds) is the linear
 * system of sdc_problem.h, the module below both this one and the audit.
 *
 * sdc_suppress() chooses the secondary suppressions over the whole linked
 * system at once by Gaussian elimination (the method of SSBtools'
 * GaussSuppression, in exact modular arithmetic), then audits the pattern
 * by linear programming (audit.h) and adds further suppressions until the
 * audit passes.  The result depends only on the input: ties are broken by
 * cell index.
 *
 * The library never prints; functions return SDC_OK or a negative SDC_E* code
 * and append what is wrong to d (may be NULL; see sdc_problem.h).
 */
#ifndef MAPPA_SDC_H
#define MAPPA_SDC_H

#include <stddef.h>
#include <stdint.h>

#include "sdc_problem.h"

/* What the engine decided, and why (kept between stages; every suppressed cell is published
   with one status, [c] / SDMX CONF_STATUS C, whatever the reason). */
enum sdc_status {
	SDC_PUBLISH = 0,
	SDC_SUPPRESS_PRIMARY,	/* a small count */
	SDC_SUPPRESS_SECONDARY,	/* protects a primary one */
	SDC_SUPPRESS_WITHHELD,	/* withheld by policy */
	SDC_NOT_APPLICABLE	/* OBS_STATUS M */
};

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

#define SDC_REPORT_CELLS 32	/* cells a report names */

struct sdc_report {
	size_t n_primary;
	size_t n_withheld;
	size_t n_secondary;	/* all secondary suppressions */
	int64_t sum_secondary;	/* sum of their values */
	size_t n_repairs;	/* of n_secondary, added by the audit repair */
	size_t n_audit_rounds;	/* audits run */
	size_t n_unprotectable;	/* protected cells no pattern can protect */
	size_t unprotectable[SDC_REPORT_CELLS]; /* the first of them, in cell order (SIZE_MAX
						   past n_unprotectable) */
	size_t n_audit_fail;	/* suppressed cells failing the last audit */
	double seconds_gauss;
	double seconds_audit;
};

void sdc_options_init(struct sdc_options *opt);

/*
 * Suppress.  status must hold ncells entries; it receives the decision for
 * every cell.  report may be NULL.  Returns SDC_OK when the audit passes,
 * SDC_EUNSAFE when some protected cell could not be protected (status is
 * still filled: every primary and withheld cell is suppressed).
 */
int sdc_suppress(const struct sdc_problem *p, const struct sdc_options *opt,
		 enum sdc_status *status, struct sdc_report *report,
		 struct diag_list *d);

/* Gaussian elimination only, no audit and no repair (what the engine does
   before its audit; for tests and comparisons).  The content of status on
   entry is ignored.  Returns SDC_EUNSAFE when a protected cell is
   determined by the relations alone. */
int sdc_gauss(const struct sdc_problem *p, enum sdc_status *status,
	      struct diag_list *d);

/* Whether a cell of status s is withheld from publication, whatever the reason (every status
   but SDC_PUBLISH and SDC_NOT_APPLICABLE). */
int sdc_withholds(enum sdc_status s);

/* supp[c] = sdc_withholds(status[c]) for every c < n: the suppressed cells, as the readers'
   audits (readers.h) and the repairs take them. */
void sdc_withheld_cells(const enum sdc_status *status, size_t n, unsigned char *supp);


#endif
