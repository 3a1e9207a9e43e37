/*
 * stage_setup: what every stage program does first, shared by the programs only (the library
 * never prints; this does, in the programs' style).
 */
#ifndef MAPPA_STAGE_SETUP_H
#define MAPPA_STAGE_SETUP_H

#include "areas.h"
#include "bundle.h"
#include "dataset.h"
#include "defs.h"
#include "fe_main.h"
#include "outfile.h"
#include "publish_release_file.h"

/*
 * Loads the statistics definitions (built in) and the reference data (reference: a file, or
 * NULL for the built-in copy), printing the diagnostics of whatever is wrong on stderr
 * ("FILE:0: error[F05]: cannot read: REASON" included). Returns a sysexits status: EX_OK;
 * EX_SOFTWARE when the built-in definitions do not load; EX_NOINPUT when the reference file
 * cannot be read; EX_DATAERR when it is not valid reference data (fe_status).
 */
int stage_load_reference(const struct fe_prog *prog, struct defs *defs, struct areas *areas,
			 const char *reference);

/*
 * The options mappa-publish and mappa-run share: --format and the release metadata. Their
 * getopt_long entries (STAGE_RELEASE_LONGOPTS, codes above any character so that they never
 * clash with a program's own), the lines of --help that describe them (STAGE_RELEASE_HELP,
 * which both man pages mirror), and what each one sets.
 */
enum {
	STAGE_OPT_FORMAT = 0x100,
	STAGE_OPT_RELEASE_DATE,
	STAGE_OPT_NEXT_RELEASE,
	STAGE_OPT_PRODUCER,
	STAGE_OPT_CONTACT,
	STAGE_OPT_EMAIL,
	STAGE_OPT_PHONE,
	STAGE_OPT_METHODOLOGY
};

#define STAGE_RELEASE_LONGOPTS \
	{ "format", required_argument, NULL, STAGE_OPT_FORMAT }, \
	{ "release-date", required_argument, NULL, STAGE_OPT_RELEASE_DATE }, \
	{ "next-release", required_argument, NULL, STAGE_OPT_NEXT_RELEASE }, \
	{ "producer", required_argument, NULL, STAGE_OPT_PRODUCER }, \
	{ "contact", required_argument, NULL, STAGE_OPT_CONTACT }, \
	{ "email", required_argument, NULL, STAGE_OPT_EMAIL }, \
	{ "phone", required_argument, NULL, STAGE_OPT_PHONE }, \
	{ "methodology", required_argument, NULL, STAGE_OPT_METHODOLOGY }

#define STAGE_RELEASE_HELP \
	"  --release-date DATE  YYYY-MM-DD (default: the last Thursday of October\n" \
	"                       after the period)\n" \
	"  --next-release DATE  YYYY-MM-DD or YYYY-MM (default: a year later)\n" \
	"  --producer TEXT      who produces the statistics\n" \
	"                       (National MAPPA statistics team)\n" \
	"  --contact TEXT       who users write to (National MAPPA statistics team)\n" \
	"  --email ADDRESS      contact email (mappa.statistics@example.org)\n" \
	"  --phone NUMBER       contact telephone (020 7946 0000)\n" \
	"  --methodology URL    methodology page (https://example.org/mappa/methodology)\n"

/*
 * Takes option opt (a STAGE_OPT_* code) with its argument: the release metadata into *release
 * (pointing at arg, which must outlive it), --format into *fmt. Returns EX_OK; EX_USAGE for a
 * --format other than tar.gz or zip (said, with the usage); -1 when opt is not one of these.
 */
int stage_release_option(const struct fe_prog *prog, int opt, const char *arg,
			 struct publish_release *release, enum bundle_format *fmt);

/*
 * Checks the release metadata given as options (publish_release_check). Returns EX_OK, or
 * prints the one line "PROG: --OPTION: error[L04]: PROBLEM" (no usage) and returns EX_USAGE;
 * EX_SOFTWARE out of memory.
 */
int stage_check_release_options(const struct fe_prog *prog, const struct publish_release *release);

/*
 * The release metadata of mappa-publish and mappa-run: the publication file path (--release;
 * NULL: none) first, then the options already in *release over it (publish_release_merge),
 * checked. *file receives the loaded file, whose buffers *release points into (the caller
 * frees it, after its last use of *release; NULL when there is no file). Prints what is wrong
 * in the programs' style. Returns EX_OK; EX_NOINPUT the file cannot be read; EX_DATAERR it is
 * not a valid publication file (its diagnostics); EX_USAGE the options over it fail the check;
 * EX_SOFTWARE out of memory.
 */
int stage_load_release(const struct fe_prog *prog, const char *path,
		       struct publish_release *release, struct publish_release_file **file);

/*
 * The release dates against the period, once it is known (publish_release_check_dates: the end
 * of the period, and a date given alone against the other's default), release as
 * stage_load_release left it over the file (path; NULL: none). A date of the file is an
 * invalid publication file: its diagnostic "PATH:LINE: error[L04]: ..." at the line of the
 * element, then "PROG: PATH is not a valid publication file for PERIOD: nothing written",
 * EX_DATAERR. A date of an option is bad usage: "PROG: --OPTION: error[L04]: ...", EX_USAGE.
 * Returns EX_OK when they hold; EX_SOFTWARE out of memory.
 */
int stage_check_release_dates(const struct fe_prog *prog, const struct publish_release *release,
			      const char *path, const struct publish_release_file *file,
			      const char *period);

/*
 * Writes the dataset a stage made (sorted first: dataset_write) to path, or to standard output
 * when path is "-" or NULL. Returns status when it is written (a status an earlier failure set,
 * such as a --report that could not be written, is kept); when not, for standard output
 * fe_stdout_failed's EX_IOERR (its message printed), for a file the status of the diagnostics
 * of dataset_write_path (added to d, then every one of d printed; fe_diags_io, FE_WRITE:
 * nothing is left where the file should be).
 */
int stage_write_dataset(const struct fe_prog *prog, struct dataset *ds,
			const struct defs *defs, const char *path, struct diag_list *d, int status);

/*
 * The --report of a program with two outputs (mappa-merge, mappa-suppress), so that neither
 * stays without the other: written whole first, by write(f, arg) (0, or -1 when it failed), to
 * a temporary file beside path (outfile.h), or to standard output when path is "-" (then o
 * holds nothing to put in place); then, only once the dataset is in place,
 * stage_report_commit renames it there; on any other way out outfile_abort(o) removes it.
 * Each returns EX_OK, or prints "PATH:0: error[O10]: cannot write: REASON" (for standard
 * output fe_stdout_failed's message) and returns the status: EX_CANTCREAT when it cannot be
 * created or put in place, EX_IOERR when it could not be written whole (fe_status_write);
 * nothing is left at path then, nor beside it.
 */
int stage_report_write(const struct fe_prog *prog, struct outfile *o, const char *path,
		       int (*write)(FILE *f, void *arg), void *arg);
int stage_report_commit(struct outfile *o);

#endif
