/*
 * readers.h - the readers of a suppression pattern, and the repair loop that protects the
 * pattern from every one of them.
 *
 * A reader sees what is published and knows some suppressed cells besides: the outsider
 * knows none; an insider knows every cell of its group (an area's own data lead), or of two
 * groups with a coalition of 2; a singleton, the one person in a suppressed cell of 1, knows
 * that cell. Each reader's view is audited by LP (audit.h) on the true system: a cell fails
 * for a reader when that reader can narrow it below the policy.
 *
 * The engine below (sdc_problem.h, audit.h) knows cells and relations. This module also
 * knows groups of cells (the areas, then the nation as the last group) and positions (the
 * same table cell in every group), and with them proves most readers' cells in small
 * restricted views before any LP of the whole system: a reader who knows more deduces at
 * least as much, so a cell that passes with most groups fixed at their true values passes
 * for every reader whose knowledge lies in the fixed groups. What no view proves is audited
 * on the whole system, so the answer is the one every reader's own audit would give.
 *
 * The MAPPA adapter (protect.c) builds the groups and positions from a dataset; the engine's
 * benchmark (tests/bench/bench_sdc.c) from a synthetic table of 42 to 1,000 areas.
 *
 * Threads: the proofs of the groups and the audits of the readers are independent, and run in
 * two threads (READERS_SHARES; readers.shares), split by index, not by timing. The answers,
 * the pattern and the count of LPs are the same in every run, and the answers are those of
 * one thread (test_readers compares them; make check-threads runs them under
 * ThreadSanitizer). A round of the repair loop splits its failures in two by group, the even
 * groups' and the odd groups' (REPAIR_SHARES), each share with its own repair LPs and blind to the
 * other's cells until the next round's audit; that split is fixed, so the pattern is the same with
 * one thread or two (readers.shares 1 runs the shares one after the other). A program that calls
 * these functions sets GLPK's fatal error hook through audit_on_solver_fatal (audit.h).
 *
 * Ownership: a struct readers owns its arrays; readers_release frees them and accepts a
 * zeroed struct. A struct readers_failures is filled by readers_audit; the caller frees f.
 * Functions return 0 or a negative value on error (out of memory, a failed LP) with the
 * reason in d (sdc_error: no file; the adapter relays it under the file it is about).
 */
#ifndef MAPPA_READERS_H
#define MAPPA_READERS_H

#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "sdc.h"

/* Reader kinds (bits, the same values as PROTECT_* of protect.h). */
enum {
	READER_OUTSIDER = 1u,
	READER_INSIDER = 2u,
	READER_SINGLETON = 4u
};

/*
 * The LPs one protection may solve (the audits of every reader and each repair LP): the
 * fixtures take about 3,700, the hardest adversarial inbox about 10,500. A policy that needs
 * more (minWidth above 1 with zeros published leaves every reader to the LP of the whole
 * system) stops in bounded time. A count, not a clock: the same input and policy always give
 * the same answer.
 */
#define READERS_LP_BUDGET 30000

/* The threads the readers' audits run in (see above): the machines this runs on have two cores. */
#define READERS_SHARES 2

struct reader {
	unsigned kind;			/* READER_* */
	char who[48];			/* "outsider", "insider AREA", "singleton" */
	size_t known_cell;		/* singleton: its cell; else SIZE_MAX */
	size_t first, n;		/* its cells: readers.cells[first .. first + n) */
	size_t focus_first, focus_n;	/* singleton: the cells left to audit for it (see
					   readers_add_singletons); focus_n 0: every cell */
	size_t ga, gb;			/* the groups it knows cells of, or SIZE_MAX */
};

struct readers {
	struct reader *r;		/* the outsider first */
	size_t n, alloc;
	size_t *cells;
	size_t ncells, cells_alloc;
	/* set by the caller after readers_init: per cell its group (the nation, the last group,
	   is ngroups - 1) and its position (SIZE_MAX: none); npos positions */
	size_t *group, ngroups;
	size_t *pos, npos;
	/* per cell, set by the caller: 1 for a figure of an earlier publication of the period (a
	   revision's joint system). With rules_known 0, the person alone in an earlier total of
	   1 is audited as the one in the inner cell under it, and no person alone in a total of
	   1 is audited on earlier figures; else both are readers of every publication */
	unsigned char *earlier;
	/* per cell, set by the caller (readers_init: SIZE_MAX, none): the same figure in another
	   publication of the period when it is 1 there too, a true value in both; the copies of
	   one figure so linked form a cycle. The person alone in one inner cell (no relation's
	   total) is taken to be the person alone in the other (own history): with rules_known
	   it knows both, and what each publication's rules put below them. Not through a total:
	   a total of 1 in both may hold one person in one and another in the other */
	size_t *twin;
	/* set by the caller before readers_add_singletons: 1, a person alone in a cell of 1 knows
	   whether it is in each cell a published inequality puts below its own (its eligible
	   under its managedAtLevel23), and every singleton's knowledge is closed as a total
	   singleton's is; 2, the same, and only the singletons whose knowledge that widens are
	   added (and, in a revision, every total singleton: see earlier); 0, it knows its cell
	   alone (and a total singleton the cells below its total) */
	int rules_known;
	size_t nsets;			/* partner sets a proof needs: the coalition size + 1 */
	/* set by the caller: 1 when the outsider is known to pass every pattern R audits (the
	   readers a pattern every reader before passed is audited for again, readers_add_
	   singletons with rules_known 2): it is not audited, and without insiders the restricted
	   views are only the first of the singletons' groups, the one their proofs are made in */
	int outsider_passes;
	size_t shares;			/* threads the audits may use: 0 READERS_SHARES, 1 this
					   one only; the answers are the same (see readers.c) */
};

/*
 * Starts R for a system of ncells cells with coalition (1 or 2): allocates group[] and pos[]
 * (the caller fills them and sets ngroups and npos) and adds the outsider. 0 or -1 (out of
 * memory, R released).
 */
int readers_init(struct readers *R, size_t ncells, int coalition);
void readers_release(struct readers *R);

/*
 * Adds a reader who knows cells[0..n) (copied); focus[0..nfocus) are the only cells audited
 * for it (nfocus 0: every cell it does not know). 0 or -1 (out of memory).
 */
int readers_add(struct readers *R, unsigned kind, const char *who, size_t known_cell,
		const size_t *cells, size_t n, const size_t *focus, size_t nfocus);

/*
 * An insider for every group but the nation (coalition 1), or for every pair of them
 * (coalition 2; and each alone too where there are at most two groups but the nation), named
 * "insider NAME" (or "insider A+B") from names[group]. Each knows the cells of its group(s) in
 * cell order. 0 or -1.
 */
int readers_add_insiders(struct readers *R, size_t ncells, const char *const *names,
			 int coalition);

/*
 * A singleton for every suppressed (supp) cell of 1 of p, or (only not NULL) for every cell of 1
 * in only, a part of supp: supp is the whole pattern, what each singleton cannot see (a repair
 * round's new cells given as the pattern made every older suppressed cell look published, and
 * a total over them 'learned from itself alone' was not audited, QA). In a cell that is no relation's
 * total it knows that cell: with dominated (every insider is audited and the policy's rule is
 * monotone: minWidth 1 or zeros protected), a singleton of an area's group audits only the
 * other cells of its group; otherwise every cell; never the totals over its own cell. In a
 * total of 1 it knows every cell below it (each other part is 0), and is audited on the whole
 * system but for the totals over the cells it is in and what it learns from itself alone
 * (readers.c, add_singletons_knowing). With rules_known, a singleton on whose cell another
 * knows (the same person, who knows more) is not made. 0 or -1.
 */
int readers_add_singletons(struct readers *R, const struct sdc_problem *p,
			   const unsigned char *supp, const unsigned char *only, int dominated);

/* One failing cell for one reader. */
struct readers_failure {
	size_t reader, cell;
	int64_t ilo, ihi;
	int exact;
};

struct readers_failures {
	struct readers_failure *f;	/* grouped by reader, in reader order */
	size_t n, alloc;
};

/*
 * Audits the view of every reader of R on real (the true values) with suppression supp.
 * sensitive marks the protected cells (primary or withheld): the outsider audits every
 * suppressed cell, the others only the sensitive ones. With recheck (after a repair round,
 * when the rule is monotone) only the cells marked there and prev's failures are audited.
 * Failures go to F; the outsider's whole result to *outsider when not NULL (the caller
 * releases it). Adds the LPs to *n_lp (may be NULL). Returns 0, 1 when more than budget LPs
 * were spent (F then incomplete), or -1 on error.
 */
int readers_audit(const struct sdc_problem *real, const unsigned char *supp,
		  const struct readers *R, const struct audit_options *aopt,
		  const unsigned char *sensitive, const unsigned char *recheck,
		  const struct readers_failures *prev, struct readers_failures *F,
		  struct audit_result *outsider, size_t *n_lp, size_t budget, struct diag_list *d);

/*
 * The repair loop: audits every reader; for each failing cell suppresses the cheapest
 * published cells that widen it in that reader's view (status SDC_PUBLISH becomes
 * SDC_SUPPRESS_SECONDARY); until every reader passes. *rounds: the repair rounds; *n_lp: the
 * LPs solved. Returns 0 when every reader passes, 1 when a cell cannot be protected (*lost
 * the cell, the reader who narrows it and the interval that reader finds; lost->cell is
 * SIZE_MAX otherwise), 2 when READERS_LP_BUDGET is spent first, -1 on error.
 */
int readers_protect(const struct sdc_problem *real, enum sdc_status *status,
		    const struct readers *R, const unsigned char *sensitive,
		    const struct audit_options *aopt, size_t *rounds, size_t *n_lp,
		    struct readers_failure *lost, struct diag_list *d);

/*
 * The same, when every reader is known to pass every cell but those marked in first (a
 * pattern that passed, audited again with something more known, which can change only the
 * intervals of the cells it marks): the first round audits those cells only, as a repair
 * round's audit does the cells new to it. first NULL: every cell, as readers_protect.
 */
int readers_protect_from(const struct sdc_problem *real, enum sdc_status *status,
			 const struct readers *R, const unsigned char *sensitive,
			 const struct audit_options *aopt, const unsigned char *first,
			 size_t *rounds, size_t *n_lp, struct readers_failure *lost,
			 struct diag_list *d);

/* The coalition of areas R's insiders read as one (the policy's, at most 2: nsets - 1). */
size_t readers_coalition(const struct readers *R);

/*
 * The reader who knows the method (docs/disclosure-method.md). The method is public: a count
 * in the primary range is withheld, and a complement (0, or above the range) only where some
 * reader needs it (and the policy's last pass publishes again what no reader needs). So a
 * withheld cell that no reader can have needed as a complement is a primary, and the reader
 * knows it holds a count in the primary range. As far as this reading goes, a withheld cell
 * can have been needed when it is the total or a member of a relation with at most 2 + s
 * withheld cells, s the cells one reader the policy names (kinds: READER_* bits) knows
 * besides: where the relation spans groups, the coalition's areas (insiders) or 1 (the person
 * alone in a cell of 1); within one group, 1 with singletons (that area's data lead knows all
 * of it); else 0. Published, it would leave one other withheld cell there pinned for that
 * reader. The inequalities and bounds are not read: a cell they alone make needed is taken
 * as identified (more protected, not less).
 *
 * Sets ident[c] (ncells of p) to 1 for every cell withheld in supp that this reader
 * identifies, 0 for the others. The candidates are the cells marked in cand, or with cand
 * NULL every cell but those p withholds by policy (SDC_WITHHELD: the reader knows why it is
 * withheld). Only the relations marked in use are read (NULL: all): a publication's own,
 * where a revision's joint system holds two (protect.c). R gives the groups and the
 * coalition (readers_coalition). Returns how many.
 */
size_t readers_identified(const struct sdc_problem *p, const unsigned char *supp,
			  const struct readers *R, unsigned kinds, const unsigned char *cand,
			  const unsigned char *use, unsigned char *ident);

/*
 * The last pass, after readers_protect passed: each secondary (SDC_SUPPRESS_SECONDARY in
 * status), largest first and then in cell order, is published again (SDC_PUBLISH) when every
 * reader of R still passes with it published, as readers_audit finds. After each try the
 * pattern is one every reader passes, so the pass may stop anywhere: it stops when it has
 * solved more than budget LPs (READERS_REPUBLISH_BUDGET; a count, not a clock: the same
 * input, the same pattern). Each try
 * that gets past two quick tests costs an audit of every reader (the fixtures: 17 s of CPU
 * for 15 cells of 335). Adds its LPs to *n_lp; *published: the cells published again.
 * Returns 0 when every secondary was tried, 1 when the budget stopped the pass, -1 on error
 * (status then holds a pattern every reader passes).
 */
#define READERS_REPUBLISH_BUDGET 200000
int readers_republish(const struct sdc_problem *real, enum sdc_status *status,
		      const struct readers *R, const unsigned char *sensitive,
		      const struct audit_options *aopt, size_t budget, size_t *n_lp,
		      size_t *published, struct diag_list *d);

#endif
