/*
 * run_history: the hook of mappa-run (run.c) into the history (series.h): the earlier bundles
 * read from OUTDIR (or the archive folder of --history), the year-on-year warnings of each
 * area (rules Y01-Y03) and the revised areas, and their sections of the run report. Internal
 * to run.c, as publish_private.h is to publish*.c.
 */
#ifndef MAPPA_RUN_HISTORY_H
#define MAPPA_RUN_HISTORY_H

#include <stddef.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "policy.h"
#include "series.h"
#include "strbuf.h"
#include "yoy.h"

struct run_history {
	int loaded;                 /* series holds the history */
	struct series series;
	char folder[1100];          /* where it was read from, quoted */
	struct diag_list yoy;       /* year-on-year warnings, area by area */
	int nyoy;                   /* how many (the list keeps DIAG_KEEP of them) */
	char later[256];            /* the bundles of later periods in the folder ("" none): a
				       revision's figures are not in their series until they are
				       published again */
	char release[11];           /* this run's release date ("2023-10-26"; "" not known) */
};

/*
 * Reads the history of merged's period from dir (quoted as qdir in the report), checks each
 * earlier publication it shows again under pol (publish_check_earlier: H06), and checks every
 * present area of merged against the period before, each warning at the line of the figure in
 * the area's return (returns: the run's valid returns, series_yoy). A zeroed h is ready.
 * Returns 0, or -1 with the errors appended to d: an earlier bundle refused (its own
 * diagnostics, H01-H04, H06 and P01-P05, no errno); H01 "cannot read: REASON" of dir at line 0
 * when the folder cannot be listed (its errno kept: diag_errnum); H01 of dir with ENOMEM when
 * out of memory.
 */
int run_history_load(struct run_history *h, const struct defs *defs, const struct areas *areas,
		     const struct policy *pol, const char *dir, const char *qdir,
		     const struct dataset *merged,
		     const struct series_return *returns, size_t nreturns,
		     const struct yoy_limits *limits, struct diag_list *d);

/* The report's sections: history read, revised areas (ds: the dataset published), and the
 * year-on-year warnings per area; publishes: whether the run publishes (a run that fails says it
 * would have republished the period). Nothing when h was not loaded. */
void run_history_text(const struct run_history *h, const struct dataset *ds, const struct defs *defs,
		      int publishes,
		      struct strbuf *out);
void run_history_html(const struct run_history *h, const struct dataset *ds, const struct defs *defs,
		      int publishes,
		      struct strbuf *out);

/* series_release_note of the history with this run's release date (h->release). */
size_t run_history_release_note(const struct run_history *h, const struct dataset *ds,
				char *buf, size_t size);

/* The revised areas' names and codes into buf; returns how many (0 when not republished). */
size_t run_history_revised(const struct run_history *h, const struct dataset *ds,
			   const struct defs *defs, char *buf, size_t size);

void run_history_release(struct run_history *h);   /* accepts NULL and a zeroed h */

#endif
