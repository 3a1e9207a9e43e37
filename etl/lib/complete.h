/*
 * complete.h - whole-number values for the unknown cells of a linear system.
 *
 * The audits (audit.h) and the repair loop (readers.h) take the values of an sdc_problem as
 * the truth: a solution every reader allows. When some cells' true values are not at hand (the
 * figures an earlier publication withheld, in the audit of a revision: protect.h), any values
 * that satisfy every relation, inequality and bound with the other cells at their values serve
 * the same purpose, since every reader's view allows them too. complete_values finds such
 * values, in whole numbers, with GLPK's branch and bound; when there are none the other cells'
 * values contradict the system (the earlier figures do not agree with the ones now), and the
 * caller decides.
 *
 * Ownership: nothing is kept; p's values of the unknown cells are overwritten on success only.
 */
#ifndef MAPPA_COMPLETE_H
#define MAPPA_COMPLETE_H

#include "diag.h"
#include "sdc_problem.h"

/* The search for values stops after this many seconds of GLPK (an error, never a guess). */
#define COMPLETE_SECONDS 30

/*
 * Sets the value of every cell c with unknown[c] != 0 (and not SDC_EMPTY) so that p's relations,
 * inequalities and bounds hold, the other cells at their values, each unknown value a whole
 * number >= its lower bound (0 at least). Returns SDC_OK; SDC_EINCONSISTENT when no such values
 * exist (nothing changed, no diagnostic); SDC_ENOMEM or SDC_ELP with the reason in d.
 */
int complete_values(struct sdc_problem *p, const unsigned char *unknown, struct diag_list *d);

#endif
