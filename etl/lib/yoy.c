/*
 * yoy: year-on-year checks of a return against the period before (see yoy.h, docs/rules.md).
 */
#include "yoy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void yoy_limits_default(struct yoy_limits *l)
{
	l->percent = YOY_PERCENT_DEFAULT;
	l->amount = YOY_AMOUNT_DEFAULT;
	l->large = YOY_LARGE_DEFAULT;
}

/* One whole number in [min, YOY_LIMIT_MAX) at *s, ending at a ',' (then skipped) or, when
 * last, at the end of the string. Returns 0 and advances *s, or -1 with why (the number named,
 * and the range when it is out of it; why may be NULL). */
static int parse_limit(const char **s, const char *name, long min, int last, long *out,
		       char *why, size_t whysize)
{
	char *end;
	long v;

	if (**s == '\0' || (**s == ',' && !last)) {
		if (why)
			snprintf(why, whysize, "%s is missing: three whole numbers are needed", name);
		return -1;
	}
	if (**s < '0' || **s > '9') {
		if (why)
			snprintf(why, whysize, "%s is not a whole number written in digits", name);
		return -1;
	}
	errno = 0;
	v = strtol(*s, &end, 10);
	if (last ? *end != '\0' : *end != ',') {
		if (!why)
			return -1;
		if (*end == ',')
			snprintf(why, whysize, "more than three numbers");
		else if (*end == '\0')
			snprintf(why, whysize, "nothing follows %s: three whole numbers are needed",
				 name);
		else
			snprintf(why, whysize, "%s is not a whole number written in digits", name);
		return -1;
	}
	/* which number is out of range, and the range (QA: a bare "bad --yoy-limits") */
	if (errno || v < min || v >= YOY_LIMIT_MAX) {
		int n = (int)(end - *s);
		if (why)
			snprintf(why, whysize, "%s %.*s%s is out of range: it is from %ld to %ld", name,
				 n > 20 ? 20 : n, *s, n > 20 ? "..." : "", min, YOY_LIMIT_MAX - 1);
		return -1;
	}
	*s = last ? end : end + 1;
	*out = v;
	return 0;
}

int yoy_parse_limits_why(const char *s, struct yoy_limits *l, char *why, size_t whysize)
{
	struct yoy_limits t;

	if (why && whysize)
		why[0] = '\0';
	if (!s) {
		if (why)
			snprintf(why, whysize, "no limits given");
		return -1;
	}
	if (parse_limit(&s, "PERCENT", 1, 0, &t.percent, why, whysize) ||
	    parse_limit(&s, "AMOUNT", 0, 0, &t.amount, why, whysize) ||
	    parse_limit(&s, "LARGE", 1, 1, &t.large, why, whysize))
		return -1;
	*l = t;
	return 0;
}

int yoy_parse_limits(const char *s, struct yoy_limits *l)
{
	return yoy_parse_limits_why(s, l, NULL, 0);
}

/* "eligible, category 1, level 2", "shpoBreach, level 3" or "shpo". */
static void describe(char *buf, size_t size, const struct defs_table *t, int cat, int lev)
{
	if (cat && lev)
		snprintf(buf, size, "%s, category %d, level %d", t->name, cat, lev);
	else if (lev)
		snprintf(buf, size, "%s, level %d", t->name, lev);
	else if (cat)
		snprintf(buf, size, "%s, category %d", t->name, cat);
	else
		snprintf(buf, size, "%s", t->name);
}

/* The starting year of a period "YYYY-YY", or -1. */
static int start_year(const char *period)
{
	int y = 0;

	for (int i = 0; i < 4; i++) {
		if (period[i] < '0' || period[i] > '9')
			return -1;
		y = y * 10 + (period[i] - '0');
	}
	return period[4] == '-' ? y : -1;
}

/* Y03 at the period of cur: the earlier what is for period, not the one just before. */
static int wrong_period(const char *period, const char *what, const struct area_return *cur,
			const char *cur_file, struct diag_list *d)
{
	char q[24];

	diag_quote(q, sizeof q, period, 12);
	if (diag_add(d, cur_file, cur->period_line, "Y03", DIAG_WARNING,
		     "the earlier %s is for %s, not for the period just before %s: no year-on-year comparison",
		     what, q, cur->period))
		return -1;
	return 1;
}

/* Y01 and Y02 for one cell; returns 1 when a warning was added, 0 when none, -1 on failure. */
static int compare_cell(const struct yoy_limits *lim, const char *what, const char *before_period,
			long long before, const struct return_cell *now, const char *file,
			struct diag_list *d)
{
	long long change = now->value - before;
	long long size = change < 0 ? -change : change;
	int rc = 0;

	if (before == 0 || now->value == 0) {
		long long other = before ? before : now->value;
		if (other < lim->large)
			return 0;
		if (before)
			rc = diag_add(d, file, now->line, "Y02", DIAG_WARNING,
				      "%s is 0, but was %lld in %s: check it (a figure of %ld or more rarely falls to 0 in a year)",
				      what, before, before_period, lim->large);
		else
			rc = diag_add(d, file, now->line, "Y02", DIAG_WARNING,
				      "%s is %lld, but was 0 in %s: check it (a figure of 0 rarely rises to %ld or more in a year)",
				      what, now->value, before_period, lim->large);
	} else {
		double pct = 100.0 * (double)change / (double)before;
		/* size * 100 > percent * before, in integers: both below 10^7 * 10^7 */
		if (size * 100 <= (long long)lim->percent * before || size <= lim->amount)
			return 0;
		/* whole percent, or one decimal where a whole one would read as the limit itself
		   ("+268 (+50%), more than 50%": +50.2%) */
		rc = diag_add(d, file, now->line, "Y01", DIAG_WARNING,
			      "%s is %lld, but was %lld in %s: %+lld (%+.*f%%), more than %ld%% and %ld people; check it",
			      what, now->value, before, before_period, change,
			      (long long)(size * 100 / before) == (long long)lim->percent ? 1 : 0, pct,
			      lim->percent, lim->amount);
	}
	return rc ? -1 : 1;
}

int yoy_compare(const struct defs *defs, const struct yoy_limits *limits,
		const struct area_return *prev, const struct area_return *cur,
		const char *cur_file, struct diag_list *d)
{
	int n = 0, y1 = start_year(prev->period), y2 = start_year(cur->period);

	if (strcmp(prev->area_code, cur->area_code) != 0) {
		char q[AREA_CODE_MAX + 8];
		diag_quote(q, sizeof q, prev->area_code, AREA_CODE_MAX - 1);
		if (diag_add(d, cur_file, cur->area_line, "Y03", DIAG_WARNING,
			     "the earlier return is for area %s, this one for %s: no year-on-year comparison",
			     q, cur->area_code))
			return -1;
		return 1;
	}
	if (y1 < 0 || y2 < 0 || y1 + 1 != y2)
		return wrong_period(prev->period, "return", cur, cur_file, d);
	for (size_t ti = 0; ti < defs->ntables && ti < DEFS_MAX_TABLES; ti++) {
		const struct defs_table *t = &defs->tables[ti];
		for (int cat = 0; cat <= 4; cat++)
			for (int lev = 0; lev <= 3; lev++) {
				const struct return_cell *a = &prev->cells[ti][cat][lev];
				const struct return_cell *b = &cur->cells[ti][cat][lev];
				char what[96];
				int r;
				if (!defs_has_cell(t, cat, lev) || !a->present || !b->present)
					continue;
				describe(what, sizeof what, t, cat, lev);
				r = compare_cell(limits, what, prev->period, a->value, b, cur_file, d);
				if (r < 0)
					return -1;
				n += r;
			}
	}
	return n;
}

int yoy_compare_published(const struct defs *defs, const struct yoy_limits *limits,
			  const struct dataset *prev, const struct area_return *cur,
			  const char *cur_file, struct diag_list *d)
{
	int n = 0, y1 = start_year(prev->period), y2 = start_year(cur->period);
	int present = 0;

	if (y1 < 0 || y2 < 0 || y1 + 1 != y2)
		return wrong_period(prev->period, "publication", cur, cur_file, d);
	for (size_t i = 0; i < prev->nareas && i < AREAS_MAX; i++)
		if (strcmp(prev->areas[i].code, cur->area_code) == 0)
			present = prev->areas[i].state == AREA_PRESENT;
	if (!present)
		return 0;
	for (size_t ti = 0; ti < defs->ntables && ti < DEFS_MAX_TABLES; ti++) {
		const struct defs_table *t = &defs->tables[ti];
		for (int cat = 0; cat <= 4; cat++)
			for (int lev = 0; lev <= 3; lev++) {
				const struct return_cell *b = &cur->cells[ti][cat][lev];
				const struct obs *o;
				char what[96];
				int r;
				if (!defs_has_cell(t, cat, lev) || !b->present)
					continue;
				o = dataset_find(prev, cur->area_code, (unsigned)ti, cat, lev);
				if (!o || o->status != OBS_OK)
					continue;
				describe(what, sizeof what, t, cat, lev);
				r = compare_cell(limits, what, prev->period, o->value, b, cur_file, d);
				if (r < 0)
					return -1;
				n += r;
			}
	}
	return n;
}
