/*
 * yoy: year-on-year checks of an area's return against the same area's return for the period
 * before (docs/rules.md, rules Y01-Y03). Both returns must have been accepted by the validator
 * (validator_check_file fills them). The checks only ever add warnings (DIAG_WARNING), each at
 * the line of the later return where the figure, the area or the period stands: a figure that
 * moves a lot may well be right, and the data lead is asked to look, not stopped.
 *
 *   Y01  a figure non-zero in both years changes by more than limits.percent per cent of the
 *        earlier figure AND by more than limits.amount people;
 *   Y02  a figure is 0 in one year and at least limits.large in the other;
 *   Y03  the earlier return is for another area, or not for the period just before: no figure
 *        is compared then.
 */
#ifndef MAPPA_YOY_H
#define MAPPA_YOY_H

#include "areturn.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"

#define YOY_PERCENT_DEFAULT 50
#define YOY_AMOUNT_DEFAULT 20
#define YOY_LARGE_DEFAULT 10
#define YOY_LIMIT_MAX 10000000L  /* no count reaches it (rule R09) */

struct yoy_limits {
	long percent;   /* Y01: change above this many per cent of the earlier figure ... */
	long amount;    /* ... and above this many people */
	long large;     /* Y02: 0 in one year and at least this in the other */
};

/* The defaults: 50 per cent and 20 people for Y01, 10 for Y02 (the reasons: docs/rules.md). */
void yoy_limits_default(struct yoy_limits *l);

/*
 * Parses "PERCENT,AMOUNT,LARGE" (three whole numbers, e.g. "50,20,10"; PERCENT and LARGE from
 * 1, AMOUNT from 0, each below YOY_LIMIT_MAX) into l. Returns 0, or -1 leaving l unchanged.
 */
int yoy_parse_limits(const char *s, struct yoy_limits *l);

/* The same, and when it fails, why into why (whysize bytes, NUL-ended; a sentence without its
 * full stop naming the number, PERCENT, AMOUNT or LARGE, and its range when it is out of it). */
int yoy_parse_limits_why(const char *s, struct yoy_limits *l, char *why, size_t whysize);

/*
 * Compares cur (read from cur_file) with prev, the same area's return for the period before,
 * over every cell of every table of defs present in both, and appends a warning to d for each
 * rule that fires. Appends nothing else. Returns the number of warnings added, or -1 when out
 * of memory.
 */
int yoy_compare(const struct defs *defs, const struct yoy_limits *limits,
		const struct area_return *prev, const struct area_return *cur,
		const char *cur_file, struct diag_list *d);

/*
 * The same against what the period before published of the area (prev: a dataset read from
 * that period's bundle, e.g. by history_read), for a run that keeps the published bundles and
 * not the earlier returns: only cells published with a value (OBS_OK) are compared, withheld
 * ones ([c], [x], [z]) never. Y03 when prev is not for the period just before; nothing at all
 * when the area is not in prev or sent no return then. Returns the number of warnings added,
 * or -1 when out of memory.
 */
int yoy_compare_published(const struct defs *defs, const struct yoy_limits *limits,
			  const struct dataset *prev, const struct area_return *cur,
			  const char *cur_file, struct diag_list *d);

#endif
