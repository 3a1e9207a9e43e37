/*
 * stage_setup: what every stage program does first, shared by the programs only (the library
 * never prints; this does, in the programs' style).
 */
#ifndef MAPPA_STAGE_SETUP_H
#define MAPPA_STAGE_SETUP_H

#include "areas.h"
#include "defs.h"
#include "fe_main.h"

/*
 * Loads the statistics definitions (built in) and the reference data (reference: a file, or
 * NULL for the built-in copy), printing whatever is wrong on stderr: "PROG: cannot read ..."
 * (fe_cannot) or the file's diagnostics. Returns a sysexits status: EX_OK; EX_SOFTWARE when the
 * built-in definitions do not load; EX_NOINPUT when the reference file cannot be read;
 * EX_DATAERR when it is not valid reference data.
 */
int stage_load_reference(const struct fe_prog *prog, struct defs *defs, struct areas *areas,
			 const char *reference);

#endif
