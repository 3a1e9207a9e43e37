#include "published.h"

#include "normalise.h"
#include "pivot.h"
#include "quote.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NFIELDS 8
#define FIELD_MAX 256

/* Splits one CSV record starting at *p; fields are copied into f. Returns the number of
 * fields (more than NFIELDS: the line had that many, f holds the first NFIELDS), -1 on a
 * malformed record. Advances *p past the record's line end. */
static int csv_record(const char **p, const char *end, char f[NFIELDS][FIELD_MAX], long *line)
{
	const char *s = *p;
	int n = 0;

	for (;;) {
		size_t o = 0;
		if (n == NFIELDS) {
			/* more fields than a row has: counted to the line's end, which is skipped,
			   so that the rows after it are read (QA: "not CSV", and reading stopped) */
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			int more = 1;
			for (const char *c = s; c < (nl ? nl : end) && more < 1000; c++)
				more += *c == ',';
			for (const char *c = s; c < (nl ? nl : end); c++)
				if (*c == '"')
					return -1; /* a quoted field among them: where it ends is not known */
			*p = nl ? nl + 1 : end;
			return NFIELDS + more;
		}
		if (s < end && *s == '"') {
			s++;
			for (;;) {
				if (s >= end)
					return -1;
				if (*s == '"') {
					if (s + 1 < end && s[1] == '"') {
						s++;
					} else {
						s++;
						break;
					}
				}
				if (*s == '\n')
					(*line)++;
				if (o + 1 >= FIELD_MAX)
					return -1;
				f[n][o++] = *s++;
			}
		} else {
			while (s < end && *s != ',' && *s != '\r' && *s != '\n') {
				if (*s == '"' || o + 1 >= FIELD_MAX)
					return -1;
				f[n][o++] = *s++;
			}
		}
		f[n++][o] = '\0';
		if (s < end && *s == ',') {
			s++;
			continue;
		}
		if (s < end && *s == '\r')
			s++;
		if (s < end && *s == '\n')
			s++;
		else if (s < end)
			return -1;
		break;
	}
	*p = s;
	return n;
}

/*
 * The line of the second row of buf (after its header) for the cell o, or 0: a duplicate is
 * found once the rows are sorted, where their lines are no longer known (it was reported at
 * line 0).
 */
static long second_line(const char *buf, size_t len, const struct defs *defs, const struct obs *o)
{
	const char *p = buf, *end = buf + len;
	char f[NFIELDS][FIELD_MAX];
	long line = 1, start;
	int seen = 0;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	if (csv_record(&p, end, f, &line) != NFIELDS)
		return 0;
	while (p < end) {
		start = ++line;
		if (csv_record(&p, end, f, &line) != NFIELDS)
			return 0;
		if (strcmp(f[1], o->area) == 0 && strcmp(f[3], dataset_stat_name(defs, o->stat)) == 0 &&
		    strcmp(f[4], defs_category_name(o->category)) == 0 &&
		    strcmp(f[5], defs_level_name(o->level)) == 0 && ++seen == 2)
			return start;
	}
	return 0;
}

/* Whether the cell is in its table's grid but cannot exist (category 3 at level 1 of eligible):
 * published as [z], as normalise and merge write it, and only that cell is. */
static int cannot_exist(const struct defs *defs, int stat, int cat, int lev)
{
	const struct defs_table *t = (unsigned)stat < defs->ntables ? &defs->tables[stat] : NULL;
	return t && normalise_in_grid(t, cat, lev) && !defs_has_cell(t, cat, lev);
}

static int read_csv(struct dataset *ds, const struct defs *defs, const struct areas *areas,
		    const char *file, const char *buf, size_t len, int named, struct diag_list *d);

int published_read(struct dataset *ds, const struct defs *defs, const struct areas *areas,
		   const char *file, const char *buf, size_t len, struct diag_list *d)
{
	return read_csv(ds, defs, areas, file, buf, len, 0, d);
}

int published_read_named(struct dataset *ds, const struct defs *defs, const struct areas *areas,
			 const char *file, const char *buf, size_t len, struct diag_list *d)
{
	return read_csv(ds, defs, areas, file, buf, len, 1, d);
}

static int read_csv(struct dataset *ds, const struct defs *defs, const struct areas *areas,
		    const char *file, const char *buf, size_t len, int named, struct diag_list *d)
{
	const char *p = buf, *end = buf + len;
	char f[NFIELDS][FIELD_MAX];
	long line = 1, errors = 0;
	long at = 1; /* the line a row starts at, where its errors are said: a row with a line end in
			a quoted field was said at its last line (QA) */
	size_t published_rows[AREAS_MAX] = { 0 };
	long missing_line[AREAS_MAX] = { 0 }; /* the first [x] row of each area */

	/* every error is given to the list, which keeps 100 of a file and counts the rest
	   ("FILE: and N more not shown"): a local cap of 20 dropped the others uncounted, and a
	   file with 2,000,000 bad rows showed 20 with nothing to say there were more (QA) */
#define PERR(rule, ...) \
	do { \
		errors++; \
		diag_add(d, file, at, rule, DIAG_ERROR, __VA_ARGS__); \
	} while (0)

	dataset_init(ds);
	ds->stage = STAGE_SUPPRESSED;
	snprintf(ds->national_code, sizeof ds->national_code, "%s", areas->national_code);
	snprintf(ds->national_name, sizeof ds->national_name, "%s", areas->national_name);
	snprintf(ds->population_source, sizeof ds->population_source, "%s",
		 areas->population_source);
	{
		/* a NUL byte cut its field there, and the rest of the field went unread: 69495\0999
		   was read as 69495 (QA); refused at its line, as the .obs reader does */
		const char *nul = memchr(buf, '\0', len);
		if (nul) {
			for (const char *c = buf; c < nul; c++)
				at += *c == '\n';
			PERR("P02", "a NUL byte");
			goto out;
		}
	}
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	{
		/* a header line whose text is right but which ends in CR CR LF (a CR LF file whose
		   line ends were converted again) was said to be the wrong header (QA): the message
		   says so. Only then: the file is published with CR LF, which is read, and a CR LF
		   file with another header was told to use LF line ends (QA) */
		const char *h = p, *e = memchr(p, '\n', (size_t)(end - p));
		size_t hl = strlen(PUBLISHED_CSV_HEADER);
		int crs = 0;

		while (e && e > p && e[-1] == '\r') {
			e--;
			crs++;
		}
		if (csv_record(&p, end, f, &line) != NFIELDS ||
		    strcmp(f[0], "period") != 0 || strcmp(f[7], "status") != 0) {
			int doubled = crs > 1 && (size_t)(e - h) == hl &&
				      memcmp(h, PUBLISHED_CSV_HEADER, hl) == 0;
			PERR("P01", "not an observations.csv: the header must be %s%s",
			     PUBLISHED_CSV_HEADER,
			     doubled ? ", and its line ends in CR CR LF (CR LF line ends converted "
				       "again): give the file as published, with CR LF or LF line ends"
				     : "");
			goto out;
		}
	}
	while (p < end) {
		int n, stat, cat, lev, ai;
		enum obs_status st;
		long long v = 0;

		at = ++line;
		{
			n = csv_record(&p, end, f, &line);
			if (n != NFIELDS) {
				/* at the row's first line: an unterminated quote ran on to the end of
				   the file, and the row was reported at its last line (QA) */
				if (n < 0)
					PERR("P02", "a row that is not CSV (a quote not closed, or a field "
					     "too long)");
				else if (n == 1 && f[0][0] == '\0')
					PERR("P02", "an empty line: a row must have %d fields", NFIELDS);
				else
					PERR("P02", "a row must have %d fields, and this one has %d%s",
					     NFIELDS, n, n >= NFIELDS + 1000 ? " or more" : "");
				if (n < 0)
					break;
				continue;
			}
		}
		if (ds->period[0] == '\0') {
			if (!dataset_period_valid(f[0])) {
				PERR("P03", "period '%.12s' is not a reporting year from "
				     DATASET_PERIOD_RANGE " like 2022-23", f[0]);
				continue;
			}
			memcpy(ds->period, f[0], 8);
		}
		else if (strcmp(ds->period, f[0]) != 0)
			PERR("P03", "period '%.12s' differs from '%s'", f[0], ds->period);
		ai = areas_index(areas, f[1]);
		if (ai < 0 && strcmp(f[1], ds->national_code) != 0) {
			PERR("P03", "unknown area code '%.16s'", f[1]);
			continue;
		}
		/* the name is the reference data's for the code: London's rows named "Cumbria",
		   or a name with a line end in it, were audited without a word (QA) */
		if (named) {
			const char *want = ai >= 0 ? areas->items[ai].name : areas->national_name;
			if (strcmp(f[2], want) != 0) {
				char q[160];
				PERR("P03", "area name %s is not the name of %s in the reference data "
				     "('%s'; a publication made with other reference data: give it, "
				     "--reference)", quote_arg_buf(q, sizeof q, f[2]), f[1], want);
				continue;
			}
		}
		stat = dataset_stat_find(defs, f[3]);
		cat = defs_parse_category(f[4]);
		lev = defs_parse_level(f[5]);
		if (stat < 0 || cat < 0 || lev < 0) {
			PERR("P03", "no such cell: table '%.32s' category '%.8s' level '%.8s'", f[3], f[4], f[5]);
			continue;
		}
		if (f[7][0] == '\0') {
			char *e;
			if (f[6][0] == '\0') {
				PERR("P04", "a row with no status needs a value");
				continue;
			}
			errno = 0;
			v = strtoll(f[6], &e, 10);
			/* digits only: strtoll took " 69495" (QA), '+' and '-' too */
			if (strspn(f[6], "0123456789") != strlen(f[6]) || *e != '\0' || v < 0) {
				char q[80];
				PERR("P04", "value %s is not a whole number of 0 or more",
				     diag_quote_arg(q, sizeof q, f[6], 20));
				continue;
			}
			/* digits, but too many: said so, the value marked where it is cut (QA: 29
			   digits were shown as their first 20 and called not a whole number) */
			if (errno == ERANGE || v > DATASET_VALUE_MAX) {
				char q[80];
				PERR("P04", "value %s is too large: a value is at most %lld",
				     diag_quote_arg(q, sizeof q, f[6], 20), DATASET_VALUE_MAX);
				continue;
			}
			/* an area's own cell is a count from its return: below the return's limit */
			if (ai >= 0 && defs_is_return_count(defs, (unsigned)stat, cat, lev) &&
			    v >= DEFS_COUNT_LIMIT) {
				PERR("P04", "value %lld of an area's cell is not below %lld, the limit of a count in a return",
				     v, DEFS_COUNT_LIMIT);
				continue;
			}
			st = OBS_OK;
		} else if (f[6][0] != '\0') {
			PERR("P04", "a row with a status symbol must have an empty value");
			continue;
		} else if (strcmp(f[7], "[c]") == 0) {
			st = OBS_SECONDARY;
		} else if (strcmp(f[7], "[z]") == 0) {
			st = OBS_NA;
		} else if (strcmp(f[7], "[x]") == 0) {
			st = OBS_MISSING;
		} else {
			PERR("P04", "unknown status '%.8s'", f[7]);
			continue;
		}
		/* a present area's [c] made [x] or [z] was taken and the cell dropped (QA): [z] is
		   the cell that cannot exist and only it, [x] an area that sent no return */
		if ((st == OBS_NA) != cannot_exist(defs, stat, cat, lev)) {
			PERR("P04", st == OBS_NA ? "status '[z]' (not applicable) for a cell that exists"
				    : "the cell cannot exist (not applicable): its status must be '[z]'");
			continue;
		}
		if (st == OBS_MISSING && ai < 0) {
			PERR("P04", "status '[x]' (no return) for a cell of the nation, which is always published");
			continue;
		}
		if (ai >= 0) {
			size_t k;
			for (k = 0; k < ds->nareas; k++)
				if (strcmp(ds->areas[k].code, f[1]) == 0)
					break;
			if (k == ds->nareas) {
				struct dataset_area *a = &ds->areas[ds->nareas++];
				const struct area *ra = &areas->items[ai];
				memset(a, 0, sizeof *a);
				snprintf(a->code, sizeof a->code, "%s", ra->code);
				snprintf(a->name, sizeof a->name, "%s", ra->name);
				a->population = ra->population;
				a->population_approximate = ra->approximate;
				a->state = AREA_MISSING;
			}
			if (st != OBS_MISSING && st != OBS_NA) /* [z] is there for missing areas too */
				published_rows[k]++;
			else if (st == OBS_MISSING && missing_line[k] == 0)
				missing_line[k] = at;
		}
		if (dataset_add(ds, f[1], (unsigned)stat, cat, lev, v, st)) {
			diag_add_errno(d, file, "P05", ENOMEM, "out of memory"); /* 70: not the data's */
			errors++;
			break;
		}
		ds->obs[ds->nobs - 1].line = at;
	}
	for (size_t k = 0; k < ds->nareas; k++)
		if (published_rows[k] && missing_line[k]) {
			/* one row [x] of an area with figures: an area sent its return or did not */
			at = missing_line[k];
			PERR("P04", "status '[x]' (no return) for a cell of area %s, which has figures "
			     "published: an area's cells are all '[x]' or none is", ds->areas[k].code);
		} else if (published_rows[k]) {
			ds->areas[k].state = AREA_PRESENT;
		}
	dataset_sort(ds);
	for (size_t i = 1; i < ds->nobs; i++) {
		const struct obs *a = &ds->obs[i - 1], *b = &ds->obs[i];
		if (strcmp(a->area, b->area) == 0 && a->stat == b->stat && a->category == b->category &&
		    a->level == b->level) {
			at = second_line(buf, len, defs, b);
			char w[160];
			PERR("P03", "the cell %s appears twice",
			     dataset_cell_words(defs, b->area, b->stat, b->category, b->level, w,
						sizeof w));
			break;
		}
	}
out:
	if (errors) {
		dataset_release(ds);
		return -1;
	}
	return 0;
#undef PERR
}

int published_complete(const struct dataset *ds, const struct defs *defs, const char *file,
		       int na_rows, const char *rule, struct diag_list *d)
{
	size_t missing = 0;

	for (size_t a = 0; a <= ds->nareas; a++) {
		const char *code = a == 0 ? ds->national_code : ds->areas[a - 1].code;
		for (unsigned s = 0; s < dataset_stat_count(defs); s++) {
			int cats[32], levels[32];
			size_t n = pivot_keys(defs, s, a == 0, cats, levels, 32);
			for (size_t k = 0; k < n; k++) {
				if (dataset_find(ds, code, s, cats[k], levels[k]))
					continue;
				if (!na_rows && defs_is_not_applicable(defs, s, cats[k], levels[k]))
					continue;
				char w[160];
				missing++;
				diag_add(d, file, 0, rule, DIAG_ERROR,
					 "no row for %s: every cell of the nation and of each area "
					 "has one (the file was cut or edited)",
					 dataset_cell_words(defs, code, s, cats[k], levels[k], w,
							    sizeof w));
			}
		}
	}
	return missing ? -1 : 0;
}
