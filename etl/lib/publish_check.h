/*
 * publish_check: whether a suppressed dataset may be published (rule ids P01-P06), the
 * publisher's own last look before anything is written.
 */
#ifndef MAPPA_PUBLISH_CHECK_H
#define MAPPA_PUBLISH_CHECK_H

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "policy.h"
#include "series.h"

/*
 * Checks that ds may be published: stage suppressed (P01); a period like "2022-23" of
 * consecutive years (P02); every area a reference area (P03: the name of an area code becomes a
 * file name); every row a published table needs present for areas that sent a return and for
 * the nation (P05); no per-area category 4 cell or total over categories 1-4 marked publishable
 * (P04: the categories the policy withholds, policy_withheld); and no withheld figure given
 * away by the simplest subtraction (P06: the only withheld figure of a table row or column, or
 * of one cell across the areas against the national figure, unless the policy says its value
 * discloses no one, policy_exact_allowed). Returns 0, or -1 with the problems appended to d,
 * each naming file (the dataset's name; line 0: they are about the whole dataset).
 * pol: the disclosure policy (NULL, and publish_check: the shipped default).
 */
int publish_check_policy(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
			 const struct areas *ref, const char *file, struct diag_list *d);
int publish_check(const struct dataset *ds, const struct defs *defs, const struct areas *ref,
		  const char *file, struct diag_list *d);

/*
 * Checks an earlier publication read from a bundle of the history (ds, its observations.csv as
 * published_read reads it; file names the bundle), whose figures this publication shows again
 * (its time series, the areas' pages beside the year before): a bundle edited after it was
 * published, its manifest made again, was taken as it stood (QA: a [c] replaced by its value
 * was printed on an area's page). Errors H06: published figures its tables contradict (a total
 * that is not the sum of its parts), a rate shown beside its withheld count, an area's figure
 * that pol withholds for areas, a withheld figure the outsider can narrow below pol, or a
 * count pol never publishes. Its rates are checked against this reference data's populations
 * (those of its day may differ): a warning when they do not fit. Returns 0, or -1 after an
 * error (ENOMEM kept when out of memory).
 */
int publish_check_earlier(const struct dataset *ds, const struct defs *defs,
			  const struct policy *pol, const char *file, struct diag_list *d);

/*
 * publish_check_earlier for every earlier period of s at hand (its bundle in dir, named in the
 * diagnostics as dir/FILE). Returns 0, or -1 after an error of any of them.
 */
int publish_check_series(const struct series *s, const struct defs *defs,
			 const struct policy *pol, const char *dir, struct diag_list *d);

#endif
