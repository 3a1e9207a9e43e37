/*
 * series: the publication across years. The bundles already published (mappa-PERIOD.tar.gz or
 * .zip in the output folder, or in an archive folder named by the caller) are the history:
 * each is read back with history_read (rules H01-H04, then P01-P05), exactly as a reader who
 * kept it knows it. Nothing here reads an earlier return, and nothing writes into the folder.
 *
 * From the history come
 *   - the time series of the bundle (publish_series.h): every earlier period from the oldest
 *     bundle found to the period before, a period without a bundle shown as [x];
 *   - the previous period beside this one on each area page, and the year-on-year checks of a
 *     run (yoy_compare_published against the period before);
 *   - the earlier publication of the same period, when a period is published again: the
 *     revisions (revisions.csv, [r]) and, for the audit of both publications together, the
 *     figures the earlier bundle published for the areas whose figures did not change
 *     (series_known_published).
 */
#ifndef MAPPA_SERIES_H
#define MAPPA_SERIES_H

#include <stddef.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "history.h"

/* The time series holds at most this many periods, the period published included (the oldest
 * earlier bundles beyond it are not read). */
#define SERIES_MAX_PERIODS 20

/* The advice for a file of OUTDIR this run may not read (EACCES, EPERM): no damage, but a run
   by hand as another user's; one sentence for every message that gives it. */
#define SERIES_GIVE_BACK                                                                        \
	"give OUTDIR and everything in it back to the user the runs run as (chown -R; a run by " \
	"hand as another user, such as root?)"

struct series_period {
	char period[12];        /* "2021-22" */
	int present;            /* 1: a bundle was read into ds; 0: no bundle ([x]) */
	char file[80];          /* its file name in the folder, "mappa-2021-22.tar.gz" */
	struct dataset ds;      /* what it published (published_read); empty when !present */
	struct history_about about; /* its release date and the periods its series shows */
};

/* A row of the earlier publication's own revisions.csv: how the figure was first published. */
struct series_revision {
	char area[AREA_CODE_MAX];
	unsigned stat;
	int category, level;
	char first[32];         /* "1234", "[c]", ... as published first */
};

struct series {
	char period[12];                /* the period being published */
	size_t nperiods;                /* earlier periods, oldest first, consecutive, to the one before */
	struct series_period *periods;
	int republished;                /* a bundle of this very period is in the folder */
	struct series_period before;    /* that bundle (the publication being revised) */
	/* when that bundle was itself a revision: its revisions.csv, so that a figure revised
	   then stays revised (compared with its first publication) when the period is published
	   again, e.g. by the next night's run over the same inbox */
	size_t ncarried;
	struct series_revision *carried;
	/* the suppressed dataset behind that bundle (its run folder's suppressed.obs), when at
	   hand: the true values of what it withheld (series_attach_truth); else empty */
	int have_truth;
	struct dataset truth;
};

/* An empty series (no history): series_release accepts it, as it accepts NULL. */
void series_init(struct series *s);
void series_release(struct series *s);

/*
 * Whether path (in the history folder dir) is a symbolic link that leads nowhere: a published
 * name whose bundle is gone (its run folder removed). gone (size bytes) then gets where the
 * chain of links stops, relative to dir when inside it, for a message telling what to restore.
 * series_load refuses such a name (H01); mappa-run refuses one in OUTDIR when its history is
 * elsewhere. (A killed run's names are removed before, by mappa-run's recovery.)
 */
int series_name_lost(const char *path, const char *dir, char *gone, size_t size);

/*
 * Reads the history for period ("2022-23") from the folder dir: every mappa-YYYY-YY.tar.gz (or,
 * when there is none for a period, mappa-YYYY-YY.zip) of an earlier period, at most
 * SERIES_MAX_PERIODS - 1 of the most recent ones, and the bundle of period itself when there is
 * one. Other entries of dir, and entries of those names that are not regular files (a folder),
 * are not read; a symbolic link at such a name is followed only when it leads to a file inside
 * dir (mappa-run's OUTDIR links its bundles into its run folders), else refused (H01), as is one
 * that leads nowhere (series_name_lost). s is initialised here. Returns 0; -1 when a
 * bundle is refused (its diagnostics in d: a damaged or foreign bundle is never skipped
 * silently); -2 when dir cannot be listed (an H01 "cannot read" diagnostic of dir in d keeps
 * the errno, diag_errnum; errno is set too).
 */
int series_load(struct series *s, const struct defs *defs, const struct areas *areas,
		const char *dir, const char *period, struct diag_list *d);

/*
 * Attaches to s the suppressed dataset behind the publication being revised (truth, copied):
 * its true values of what it withheld, so that the earlier system of series_known_earlier holds
 * true values and true reasons instead of unknowns, and a change behind [c] is seen. It must be
 * that publication's: the same period, every figure the bundle published with a value equal,
 * every one it withheld withheld. Returns 0; -1 when it is not (nothing attached); -2 out of
 * memory.
 */
int series_attach_truth(struct series *s, const struct dataset *truth);

/*
 * A bundle that mappa-run published must be the one its run folder's record names (RUN/
 * bundle.sha256, sha256sum's format: "HEX  bundle/FILE"). A bundle put in its place by hand or
 * restored from another backup, itself whole with a manifest to match, was read as the period's
 * publication, and its figures went into the next year's series with exit 0 (QA). A file at
 * the name itself (DIR/FILE, not the link into a run folder) must be the bundle that
 * DIR/latest/bundle/FILE leads to, by the record of that run (QA: one put there by hand went
 * into the series). 0 when path is the one, or when there is no record (a bundle copied out of
 * its run folder, an archive's bundle with no latest beside it, a run folder written before
 * the record was kept); -1 with an H03 error at path in d when it is not, or
 * when the record cannot be read or does not name it. series_load and series_load_earlier
 * check every bundle they read so; mappa-run each earlier publication of its OUTDIR.
 */
int series_check_run_record(const char *path, struct diag_list *d);

/*
 * The run folder of a bundle that mappa-run published: bundle is its path (RUN/bundle/FILE, or
 * a symbolic link leading there, as OUTDIR's names do); RUN, resolved (realpath), into run
 * (PATH_MAX bytes), and when file is not NULL, *file the bundle's own FILE name (pointing into
 * run, after RUN's terminator). 1 found; 0 when the bundle cannot be resolved or is in no
 * bundle/ folder.
 */
int series_run_folder(const char *bundle, char *run, const char **file);

/*
 * The same from the run folder of a bundle that mappa-run published: bundle is its path
 * (RUN/bundle/FILE, or a symbolic link leading there, as OUTDIR's names do), and RUN/
 * suppressed.obs is read and attached when it is there and is that bundle's. 1 attached; 0 no
 * run folder (a bundle copied alone: the earlier withheld values then stay unknown); -1 the run
 * folder's file missing or of no use (damaged, truncated, edited, another publication's), with
 * why in d (an error naming the file; d may be NULL); -2 out of memory.
 */
int series_attach_run_truth(struct series *s, const struct defs *defs, const char *bundle,
			    struct diag_list *d);

/*
 * A file in folder (or a link to one) that looks like a bundle of period kept under a name other
 * than its own: a name ending in .tar.gz, .tgz or .zip (in any case), no bundle's own name, that
 * holds mappa-PERIOD in any case ("mappa-2022-23-old.tar.gz", "Copy of MAPPA-2022-23.ZIP") or whose
 * first entry is in the period's folder ("previous.tar.gz": history_holds_period). 2 (its name in
 * found) when such a file cannot be opened to tell. A revision is
 * audited with the bundle it revises, found by its name, and one renamed that way was no
 * revision at all (QA: published with exit 0, and the pair gave Bedfordshire's earlier 2 to the
 * outsider). Its name into found (size bytes): 1, or 0 for none (or a folder that cannot be
 * read: series_load says why, where it matters).
 */
int series_renamed_bundle(const char *folder, const char *period, char *found, size_t size);

/*
 * Whether dir, when it is not the folder history, holds the bundle of period (a regular file
 * under either of its names): its path into path (size bytes), 1; else 0. Published with a
 * history folder elsewhere, it would be replaced as if the period had never been published.
 */
int series_other_bundle(const char *dir, const char *history, const char *period, char *path,
			size_t size);

/*
 * What a reader of now (a suppressed dataset, true values and pattern) and of the earlier
 * bundle at path (read into s, by series_load or series_load_earlier) knows of the period:
 * series_known_earlier into known (initialised here; dataset_release it whatever the result),
 * with the bundle's true values from its mappa-run folder when it has one. Without them a
 * figure now shown otherwise than the bundle shows it cannot be audited (a figure withheld then
 * and published now was taken as unchanged, and the outsider pinned an area's earlier 2 from
 * the nation's two totals: QA); that is refused, P09 at file in d. 0; -1 refused (P09, or the
 * run folder's true values missing or damaged: S03); -2 out of memory.
 */
int series_revision_known(struct series *s, const struct dataset *now, const struct defs *defs,
			  const char *path, const char *file, struct dataset *known,
			  struct diag_list *d);

/*
 * The form a figure had when the period was first published, as a reader of that bundle saw
 * it: the earlier publication's revisions.csv's "published before" when it lists the figure,
 * else the earlier bundle's ("123", or a symbol: [c], [z], [x]). buf (size bytes) holds a
 * number; the result is buf, a symbol, or the revisions.csv field (s keeps it).
 */
const char *series_first_form(const struct series *s, const struct defs *defs, const char *area,
			      unsigned stat, int category, int level, char *buf, size_t size);

/* The first published form of a figure the earlier publication lists as revised, or NULL. */
const char *series_first_published(const struct series *s, const char *area, unsigned stat,
				   int category, int level);

/* The earlier period just before s->period, when its bundle was read; else NULL. */
const struct dataset *series_previous(const struct series *s);

/*
 * Whether area (a code) is revised in the republished period: some figure the earlier bundle
 * published with a value differs from the same figure of now (the dataset being published,
 * which still holds every true value, suppressed or not), or the area had a return in one
 * publication and none in the other, or a figure the earlier publication's revisions.csv gives
 * as first published with a value differs from now. The nation (national_code) is revised when any area is.
 * 0 when nothing was published before (s->republished == 0).
 */
int series_area_revised(const struct series *s, const struct dataset *now, const struct defs *defs,
			const char *area);

/*
 * Whether a reader of both bundles sees area revised: it is revised (series_area_revised) and
 * what is published of it differs: a figure published with a value then and now differs or is
 * withheld now, one withheld then is published now, or it had a return in one publication
 * only; the same for the figures a publication before the earlier one gave (the earlier
 * bundle's revisions.csv), so that the same returns published again name what the revision
 * named. An area whose change lies behind [c] alone (its Category 4) is revised, not shown so:
 * the public list of revised areas named it, which told that its withheld figures changed and,
 * with the national Category 4 cells the revision withdrew, which of them (QA).
 */
int series_area_shown_revised(const struct series *s, const struct dataset *now,
			      const struct defs *defs, const char *area);

/*
 * Whether anything published differs from the bundle revised (s->before), the nation
 * included: a figure's published form, or an area with a return in one of the two only. The
 * same returns published again (the next night's run) differ in nothing, whatever they revised
 * before. 0 when s is no revision.
 */
int series_shown_changed(const struct series *s, const struct dataset *now);

/*
 * The release date of a revision (s->republished; date "2023-10-26", as it will be printed)
 * against the one the bundle it revises gives (s->before.about.release): 1 the same day, 2 before
 * it, 0 after it or nothing to compare (no revision, no date read). A revised bundle with its
 * first release's date says the revision came out that day (QA: a cron line's --release-date
 * left as it was did so without a word); mappa-run's report says so.
 */
/*
 * The earlier periods the bundle being revised shows in its time series with figures
 * (s->before.about.shown) that have no bundle in the history now (an earlier bundle removed,
 * or read then from another folder): they would leave the series without a word (QA). Their
 * names into buf ("2020-21, 2021-22"), their count returned; 0 when s is no revision.
 */
size_t series_dropped(const struct series *s, char *buf, size_t size);

int series_release_stale(const struct series *s, const char *date);

/*
 * When now (the suppressed dataset being published) shows figures that differ from the bundle
 * revised (series_shown_changed: not the same returns again) and date is not after the release
 * date that bundle gives (series_release_stale): the sentence for the report and standard error
 * in buf ("the revised bundle gives 26 October 2023 as its release date, ..."), its length
 * returned; else "" and 0.
 */
size_t series_release_note(const struct series *s, const struct dataset *now, const char *date,
			   char *buf, size_t size);

/*
 * The areas of now (true values) whose return has the revision number it had in the
 * publication being revised but other figures: the same revision with other content is an
 * error (M05) across publications as within one inbox (an area's return edited in place went
 * out as a silent revision, QA). Needs the truth attached; one error per area, at its return's
 * revision line, naming the first figure of the return that differs but not its values (rates
 * and totals are not compared: a rate moves with the reference data's population). Returns how
 * many.
 */
int series_same_revision_changed(const struct series *s, const struct dataset *now,
				 const struct defs *defs, struct diag_list *d);

/*
 * For the audit of both publications together (item 5 of issue 14): fills out (initialised
 * here, STAGE_SUPPRESSED, period and areas of now) with every figure the earlier bundle of the
 * republished period published with a value (status OBS_OK) for the areas that are not revised
 * (series_area_revised), and none of the nation's (withheld now, no reader knows that one did
 * not change; series_known_earlier's audit of what is published knows those published again
 * with their value): what a reader who kept the earlier bundle knows and what still holds;
 * and, when that bundle was itself a
 * revision, the figures of those areas its revisions.csv gives as first published with a value
 * (a reader who kept the first publication knows them). Keys as in now (area, stat,
 * category, level); dataset_find(out, ...) tells whether a cell of now is known.
 * And when some area's figures changed since the earlier publication, that publication as a
 * linear system of its own beside now's: every row it published for those areas and for the
 * nation, under the area codes DATASET_EARLIER, '0', code (dataset.h), a figure with a value as
 * OBS_OK, a withheld one with its true value and status when series_attach_truth gave them, else
 * as OBS_PRIMARY with value -1 (not known, taken as protected), [z] as OBS_NA; an area it
 * did not have and now has, as OBS_MISSING rows. The old national totals are sums of the
 * unchanged areas' cells (shared) and of those copies: a reader who kept both bundles solves
 * them together (protect.h). Only the publication being revised is copied so; what the ones
 * before it published with a value is known as above. Empty when the period was not published
 * before. Returns 0, or -1 when out of memory.
 */
int series_known_published(const struct series *s, const struct dataset *now,
			   const struct defs *defs, struct dataset *out);

/*
 * The same for an independent audit of both publications (mappa-audit --earlier), when now may
 * hold only what is published: with now_true (now holds every true value: a suppressed dataset,
 * or a published one completed by protect_attach_truth) it is series_known_published; without,
 * an area is revised when its presence differs, a figure published with a value in both
 * publications differs, or a figure published with a value before is withheld now (it may
 * have changed: a change behind [c] cannot be seen), and a national figure is known only when
 * now publishes the same value.
 */
int series_known_earlier(const struct series *s, const struct dataset *now,
			 const struct defs *defs, int now_true, struct dataset *out);

/*
 * Adds to into (a known dataset as above, made from the latest earlier publication) what
 * another earlier publication of the period, s (series_load_earlier), makes known: the
 * figures it published for the areas unchanged since it, and its own linear system (its
 * copies tagged tag, a character no other publication in into uses: DATASET_EARLIER, tag,
 * code). Returns 0, or -1 when out of memory.
 */
int series_known_more(const struct series *s, const struct dataset *now, const struct defs *defs,
		      int now_true, char tag, struct dataset *into);

/* Adds to into (a known dataset as above) every row of more whose key into lacks (the figures
 * of several earlier publications together). Returns 0, or -1 when out of memory. */
int series_known_merge(struct dataset *into, const struct dataset *more);

/*
 * Reads one earlier publication of period from path into s as the publication being revised
 * (s->before, s->republished = 1; a bundle's revisions.csv into s->carried), for
 * series_known_earlier: a bundle, checked as history_read checks it (H01-H04, P01-P05; in a
 * mappa-run folder, H03 unless it is the bundle the folder's record says its run published), or a
 * bundle's observations.csv unpacked (P01-P05; H04 when it is for another period). s is
 * initialised here (series_release it whatever the result). Returns 0; -1 refused
 * (diagnostics in d); -2 path cannot be read (an H01 "cannot read" diagnostic of path in d
 * keeps the errno; errno is set too).
 */
int series_load_earlier(struct series *s, const struct defs *defs, const struct areas *areas,
			const char *path, const char *period, struct diag_list *d);

/* One return of a run, as the validator read it (with the line of every figure), and its name
 * in diagnostics: for series_yoy. Neither is owned. */
struct area_return;
struct series_return {
	const struct area_return *ret;
	const char *file;
};

/*
 * The year-on-year checks of a run (rules Y01-Y03, yoy.h) of every area present in merged (the
 * merged dataset of the period: each area's figures as its return gave them) against what the
 * period before published of it (series_previous; nothing when it has no bundle). The warnings
 * go to d at the line of the figure in the area's return: returns (nreturns of them; may be
 * NULL) are the run's returns, and the one the merge used for an area (its file name is the
 * area's dataset_area.source) gives the lines; an area without one is checked from merged,
 * named after its source, without a line. Returns the number of warnings, or -1 when out of
 * memory.
 */
struct yoy_limits;
int series_yoy(const struct series *s, const struct dataset *merged, const struct defs *defs,
	       const struct yoy_limits *limits, const struct series_return *returns,
	       size_t nreturns, struct diag_list *d);

#endif
