/*
 * areturn: one area's return as read from its XML (see docs/return-format.md). Filled by the
 * validator; only a return the validator accepted is complete.
 */
#ifndef MAPPA_ARETURN_H
#define MAPPA_ARETURN_H

#include "areas.h"
#include "defs.h"

struct return_cell {
	long long value;
	long line;               /* where the count stands in the file */
	unsigned char present;
};

struct area_return {
	char area_code[AREA_CODE_MAX];
	char area_name[101];
	int has_name;
	char period_start[11];   /* YYYY-MM-DD */
	char period_end[11];
	char period[12];         /* "2022-23" */
	long revision;
	char submitted[11];      /* YYYY-MM-DD */
	long area_line, period_line, submission_line;
	long table_line[DEFS_MAX_TABLES];            /* 0: the table is absent */
	struct return_cell cells[DEFS_MAX_TABLES][5][4]; /* [table][category][level] */
};

#endif
