/*
 * protect: disclosure control of the national dataset. Adapts the MAPPA dataset (every area
 * table with its margins, the national tables, national = sum of the areas for every cell, the
 * published rules between tables, the published rates) onto the generic engine of sdc.h as one
 * linked system, suppresses, and audits with audit.h what each reader the policy names can
 * deduce: the outsider, each area's own data lead, the person alone in a suppressed cell of 1
 * (docs/disclosure-method.md).
 */
#ifndef MAPPA_PROTECT_H
#define MAPPA_PROTECT_H

#include <stddef.h>

#include "dataset.h"
#include "defs.h"
#include "policy.h"

/* The settings come from the policy file as policy.h reads it (struct policy: one policy for
 * this stage, the audit and the publisher). */

/* The readers (docs/disclosure-method.md). The outsider knows what is published; an insider
 * is an area's own data lead (or a coalition of them), who also knows the area's figures; a
 * singleton is the one person in a suppressed cell of 1, who knows that cell. */
enum {
	PROTECT_OUTSIDER = 1u,
	PROTECT_INSIDER = 2u,
	PROTECT_SINGLETON = 4u,
	PROTECT_ALL = 7u
};

/*
 * Loads the policy file at path (NULL: the built-in policy/default.xml), validated against
 * schemas/policy.xsd (policy.h), and checks that this stage can apply it: a policy that
 * withholds a category other than 4 per area is S05 (the area tables publish totals over
 * categories 1-3). Returns 0; -1 invalid (reasons in d, at their lines); -2 unreadable (a C01
 * diagnostic with the errno in d).
 */
int protect_policy_load(struct policy *pol, const char *path, struct diag_list *d);

/* The readers pol names (PROTECT_* bits; the outsider always). */
unsigned protect_attackers(const struct policy *pol);

struct protect_summary {
	long primary, secondary, withheld;
	long long secondary_sum;
	size_t cells, relations, inequalities;
	size_t audited, audit_failures;
	size_t repair_rounds;            /* audits run to repair what elimination left */
	size_t readers;                  /* readers audited (outsider, insiders, singletons) */
	int stopped;                     /* the suppression stopped at its work budget: not every
					    reader was audited, and audited/audit_failures say
					    nothing (-2, S03) */
	int earlier;                     /* a revision (PROTECT_EARLIER_*): 0 none */
	int publish_again;               /* the policy's last pass: 0 not asked, 1 every
					    secondary tried, 2 stopped at its work budget */
	size_t published_again;          /* secondaries it published again */
	size_t pinned_zeros;             /* secondary 0s the outsider reads as 0, published (not
					    counted in secondary) */
	size_t unprotectable;            /* refused before any audit: protected cells the tables
					    and what is known determine, whatever is withheld */
	size_t identified;               /* primaries the reader who knows the method identifies
					    (docs/disclosure-method.md): kept at least minWidth
					    wide for it, with the primary range known */
	double seconds_suppress, seconds_audit;
};

/* How a revision's earlier publication was audited with this one (protect_summary.earlier). */
enum {
	PROTECT_EARLIER_JOINT = 1,      /* both publications as one linear system */
	PROTECT_EARLIER_DISAGREES = 2   /* its figures contradict now's for an area taken as
					   unchanged (a change where both withhold a figure):
					   only what it published for those areas is known */
};

/* A cell of a (joint) system by its key: an earlier figure under its area's own code. */
struct protect_cell_key {
	int earlier;             /* the earlier publication's figure (a revision) */
	char area[AREA_CODE_MAX];
	unsigned stat;
	int category, level;
};

/* The audited interval of one suppressed row of a dataset, as one reader sees it. */
struct protect_interval {
	size_t row;              /* index into ds->obs; SIZE_MAX for an earlier figure */
	int earlier;             /* the cell is the earlier publication's figure (a revision) */
	char area[AREA_CODE_MAX]; /* the cell's key (an earlier figure: its area's own code) */
	unsigned stat;
	int category, level;
	long long lo, hi;        /* hi < 0: unbounded */
	int exact;               /* 0: a proven inner estimate (the cell passed early) */
	int pass;
	unsigned attacker;       /* PROTECT_OUTSIDER, _INSIDER or _SINGLETON */
	char who[48];            /* "outsider", "insider E23000002", "insider E23000002+E23000003",
				    "singleton" (the cell of 1 is alone) */
	int method;              /* the reader knows the method (method_bounds in protect.c): 2
				    the pattern shows this cell is a primary, 1 some others, 0 none
				    (or the audit had no true values to tell primaries by) */
	int has_alone;           /* a singleton: 1, and its cell of 1 (now's or an earlier
				    publication's) in alone */
	struct protect_cell_key alone;
};

/*
 * A failing interval in words, as mappa-audit and mappa-publish say it: "AREA TABLE category
 * 'C' level 'L': the READER (who is alone in ...) can deduce it lies in [LO, HI], narrower than
 * the policy allows". Into buf (n bytes, cut to fit); returns buf.
 */
const char *protect_interval_words(const struct protect_interval *iv, const struct defs *defs,
				   char *buf, size_t n);

/*
 * Suppresses a STAGE_MERGED dataset in place: sets every row's status, the summary in ds and
 * its stage to STAGE_SUPPRESSED. Then audits the result from its published rows alone. Returns
 * 0; -1 on error (an S02 diagnostic in d); -2 when no pattern protects every cell from every
 * reader, or the audit finds a suppressed cell narrower than the policy allows (an S03
 * diagnostic naming the cell or the count; ds is then not to be written), or the policy asks
 * more than the work budget (sum->stopped; a second S03 at the policy's interval line, file
 * ds->policy, when it came from a file). name is the file the dataset came from: diagnostics
 * name it (line 0: no line of it is to blame).
 */
int protect_dataset(struct dataset *ds, const struct defs *defs, const struct policy *pol,
		    const char *name, struct protect_summary *sum, struct diag_list *d);

/*
 * The same when an earlier publication of the period made figures public (a revision): known
 * holds them (rows with OBS_OK and their values, e.g. series_known_published; NULL: none),
 * and every reader, the outsider included, knows each one whose true value it still is. Rows
 * of known under DATASET_EARLIER codes (dataset.h) are the earlier publication as a system of
 * its own (series.h), solved with this one: its withheld figures are protected as well (one
 * that a reader proves above the primary range passes), its withheld values get values that
 * satisfy both (complete.h), and when there are none the copies are left out
 * (sum->earlier). A row of known under an area's own code with a withheld status keeps that
 * cell withheld (nothing changed since the earlier publication: its pattern is kept). The
 * pattern chosen, and the audits, hold with that knowledge: the two publications together
 * disclose nothing the policy protects, or -2 (nothing to write). known is only read.
 */
int protect_dataset_known(struct dataset *ds, const struct defs *defs,
			  const struct policy *pol, const struct dataset *known,
			  const char *name, struct protect_summary *sum, struct diag_list *d);

/*
 * Audits what ds publishes, for the readers in attackers (PROTECT_* bits): rows with OBS_OK
 * are known to every reader, rows with OBS_PRIMARY, OBS_SECONDARY or OBS_WITHHELD are unknown
 * to the outsider (their values are never read for it), OBS_NA are known zeros, OBS_MISSING
 * areas are outside the national totals. populations are read from ds->areas. The insider and
 * singleton readers know some suppressed values: for them ds must hold the true values of the
 * suppressed rows (a suppressed dataset, or a published one completed by
 * protect_attach_truth). With exact, every interval is computed exactly (two LPs a cell).
 * Fills *out (caller frees) with one entry per suppressed row for the outsider, then one per
 * cell that fails for another reader. Returns 0 (see sum->audit_failures), -1 on error (an A01
 * diagnostic in d naming the file name, line 0).
 */
int protect_audit(const struct dataset *ds, const struct defs *defs,
		  const struct policy *pol, unsigned attackers, int exact, const char *name,
		  struct protect_interval **out, size_t *nout, struct protect_summary *sum,
		  struct diag_list *d);

/* The same with the figures of an earlier publication known to every reader (see
   protect_dataset_known). */
int protect_audit_known(const struct dataset *ds, const struct defs *defs,
			const struct policy *pol, const struct dataset *known,
			unsigned attackers, int exact, const char *name,
			struct protect_interval **out, size_t *nout, struct protect_summary *sum,
			struct diag_list *d);

/*
 * Whether the true values of ds (a merged or suppressed dataset: every value at hand) add up:
 * every table's total is the sum of its parts, national = the sum of the areas, every
 * published rule holds (returnedToCustody <= managedAtLevel23, ...) and every count lies in
 * what its rate allows. 0, or -1 with one error name:0: error[rule] naming the first figure
 * that does not (a dataset changed after the merge), or why it could not be checked.
 */
int protect_adds_up(const struct dataset *ds, const struct defs *defs, const char *name,
		    const char *rule, struct diag_list *d);

/*
 * Whether the statuses of ds agree with its returns, as mappa-merge writes them: 'na' only on
 * a cell that cannot exist, 'missing' on every figure of an area that sent no return and on no
 * other. A figure of an area that sent its return relabelled 'missing' or 'na' (its value
 * published as [x] or [z]) lets a reader take it from its total (QA: a primary 1 so relabelled,
 * its secondaries published, passed mappa-publish and mappa-audit). 0, or -1 with one error
 * name:LINE: error[rule] naming the first that does not.
 */
int protect_statuses_agree(const struct dataset *ds, const struct defs *defs, const char *name,
			   const char *rule, struct diag_list *d);

/*
 * The counts ds publishes (status OBS_OK) that pol never publishes: a primary-unsafe value of
 * its scope, or a withheld category of an area. One error name:0: error[rule] for each (the
 * first 20; a published count of 1 in a dataset edited after the suppression was published,
 * and audited clean); returns how many.
 */
size_t protect_published_unsafe(const struct dataset *ds, const struct defs *defs,
				const struct policy *pol, const char *name, const char *rule,
				struct diag_list *d);

/*
 * Completes a published dataset (read from observations.csv) with the true values of its
 * withheld rows from the suppressed dataset truth, so that insiders and singletons can be
 * audited. Every published value must equal the truth and every key must be in it. Returns 0,
 * -1 with an A03 diagnostic in d naming name (the file truth came from) at the truth's line of
 * the figure, and the figure (defs names it).
 */
int protect_attach_truth(struct dataset *pub, const struct dataset *truth, const struct defs *defs,
			 const char *name, struct diag_list *d);

/* "outsider", "insider", "singleton" for one PROTECT_* bit. */
const char *protect_attacker_name(unsigned attacker);

#endif
