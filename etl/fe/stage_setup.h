/*
 * stage_setup: what every stage program does first, shared by the programs only (the library
 * never prints; this does, in the programs' style).
 */
#ifndef MAPPA_STAGE_SETUP_H
#define MAPPA_STAGE_SETUP_H

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "fe_main.h"
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
 * Checks the release metadata given as options (publish_release_validate). Returns EX_OK, or
 * prints "PROG: PROBLEM" and the usage (fe_usage_error) and returns EX_USAGE.
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
 * Writes the dataset a stage made (sorted first: dataset_write) to path, or to standard output
 * when path is "-" or NULL. Returns status when it is written (a status an earlier failure set,
 * such as a --report that could not be written, is kept); when not, for standard output
 * fe_stdout_failed's EX_IOERR (its message printed), for a file the status of the diagnostics
 * of dataset_write_path (added to d, then every one of d printed; fe_diags_io, FE_WRITE:
 * nothing is left where the file should be).
 */
int stage_write_dataset(const struct fe_prog *prog, struct dataset *ds,
			const struct defs *defs, const char *path, struct diag_list *d, int status);

#endif
