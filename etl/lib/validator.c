#include "validator.h"

#include "isodate.h"
#include "quote.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dataset.h"
#include "embedded.h"
#include "xmlsafe.h"

/* A count must be below this (DESIGN.md: below 10,000,000). */
#define COUNT_LIMIT DEFS_COUNT_LIMIT
#define REVISION_LIMIT 1000000L

struct validator {
	const struct defs *defs;
	const struct areas *areas;
	xmlSchemaPtr schema;
	char *xsdname; /* the schema's name in diagnostics */
};

static const struct xmlsafe_rules return_rules = { "R01", "R02" };

struct validator *validator_new(const struct defs *defs, const struct areas *areas,
				const unsigned char *xsd, size_t len, const char *xsdname,
				struct diag_list *d)
{
	struct validator *v = calloc(1, sizeof *v);

	if (!v)
		return NULL;
	v->defs = defs;
	v->areas = areas;
	if (!xsd) {
		xsd = mappa_embed_return_xsd;
		len = mappa_embed_return_xsd_len;
		xsdname = "return.xsd";
	}
	if (!xsdname)
		xsdname = "return.xsd";
	v->xsdname = strdup(xsdname);
	if (!v->xsdname)
		goto fail;
	v->schema = xmlsafe_schema_compile(xsd, len, xsdname, "R00", d);
	if (!v->schema)
		goto fail;
	return v;
fail:
	free(v->xsdname);
	free(v);
	return NULL;
}

void validator_free(struct validator *v)
{
	if (!v)
		return;
	xmlSchemaFree(v->schema);
	free(v->xsdname);
	free(v);
}

/* What one check of one document needs. */
struct check {
	const struct validator *v;
	const char *file;
	struct area_return *r;
	struct diag_list *d;
	/* what the shipped schema requires of the header, for a --schema that does not: the
	   area's code given, the period's two dates and the submission's date read, the
	   revision given (check_header_complete) */
	int area_coded, period_dated, submission_dated, revision_given;
};

#define ERR(c, line, rule, ...) diag_add((c)->d, (c)->file, (line), (rule), DIAG_ERROR, __VA_ARGS__)

/* Parses a count: digits only (whitespace already trimmed). Reports R06/R07. */
static int parse_count(struct check *c, long line, const char *what, const char *s,
		       long long *out)
{
	char q[80];
	long long v = 0;
	size_t i;

	diag_quote_arg(q, sizeof q, s, 24);
	if (s[0] == '\0') {
		ERR(c, line, "R06", "%s is empty: a count must be a whole number of 0 or more", what);
		return -1;
	}
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9') {
			ERR(c, line, "R06",
			    "%s is %s: a count must be a whole number of 0 or more, written with digits only",
			    what, q);
			return -1;
		}
	}
	while (s[0] == '0' && s[1] != '\0') /* leading zeros say nothing: 0006867 is 6867 */
		s++;
	if (strlen(s) > 15) {
		ERR(c, line, "R07", "%s is %s: a count must be below %lld", what, q, COUNT_LIMIT);
		return -1;
	}
	for (i = 0; s[i]; i++)
		v = v * 10 + (s[i] - '0');
	if (v >= COUNT_LIMIT) {
		ERR(c, line, "R07", "%s is %lld: a count must be below %lld", what, v, COUNT_LIMIT);
		return -1;
	}
	*out = v;
	return 0;
}

static void describe_cell(char *buf, size_t size, const struct defs_table *t, int cat, int lev)
{
	if (cat && lev)
		snprintf(buf, size, "%s category %d level %d", t->name, cat, lev);
	else if (lev)
		snprintf(buf, size, "%s level %d", t->name, lev);
	else
		snprintf(buf, size, "%s", t->name);
}

/* Reads a dimension attribute ("category" or "level"): returns 1..max, 0 when absent, -1 bad. */
static int dim_attr(const xmlNode *e, const char *name, int max, char *raw, size_t rawsize)
{
	char *v = xmlsafe_attr(e, name);
	int r;

	snprintf(raw, rawsize, "''"); /* absent */
	if (!v)
		return 0;
	diag_quote_arg(raw, rawsize, v, 16);
	r = (v[0] >= '1' && v[0] <= '0' + max && v[1] == '\0') ? v[0] - '0' : -1;
	xmlFree(v);
	return r;
}

static void check_table(struct check *c, size_t ti, xmlNode *e)
{
	const struct defs_table *t = &c->v->defs->tables[ti];
	struct area_return *r = c->r;
	long tline = xmlsafe_line(e);
	char missing[256] = "";
	size_t nmissing = 0;
	int structure = 0; /* a cell given twice, one that cannot exist, or one missing */

	if (r->table_line[ti]) {
		xmlsafe_mark_reported(e);
		ERR(c, tline, "R08", "table '%s' appears twice (first at line %ld)", t->name,
		    r->table_line[ti]);
		return;
	}
	r->table_line[ti] = tline;

	if (t->categories == 0 && t->levels == 0) { /* a single count */
		char *s = xmlsafe_text(e);
		struct return_cell *cell = &r->cells[ti][0][0];
		if (s && parse_count(c, tline, t->name, s, &cell->value) == 0)
			cell->present = 1;
		else if (s)
			xmlsafe_mark_value(e); /* the schema's type error on it says the same */
		cell->line = tline;
		xmlFree(s);
		return;
	}
	for (xmlNode *k = e->children; k; k = k->next) {
		char rawc[24], rawl[24], what[96], *s;
		long line;
		int cat, lev;
		struct return_cell *cell;

		if (!xmlsafe_is(k, RETURN_NS, "count"))
			continue; /* anything else is the schema's to report */
		line = xmlsafe_line(k);
		cat = dim_attr(k, "category", 9, rawc, sizeof rawc);
		lev = dim_attr(k, "level", 9, rawl, sizeof rawl);
		if (cat < 0 || lev < 0) {
			ERR(c, line, "R10", "%s has no cell category %s level %s", t->name, rawc,
			    rawl);
			structure = 1;
			continue;
		}
		if (!defs_has_cell(t, cat, lev)) {
			structure = 1;
			describe_cell(what, sizeof what, t, cat, lev);
			if (cat == 0 && t->categories)
				ERR(c, line, "R10", "a count in %s needs a category", t->name);
			else if (lev == 0 && t->levels)
				ERR(c, line, "R10", "a count in %s needs a level", t->name);
			else
				ERR(c, line, "R10", "%s cannot exist%s", what,
				    (cat >= 1 && cat <= 4 && (t->na[cat] >> lev & 1u))
					    ? " (no such cell in this table)"
					    : " (no such category or level in this table)");
			continue;
		}
		cell = &r->cells[ti][cat][lev];
		describe_cell(what, sizeof what, t, cat, lev);
		if (cell->line) {
			ERR(c, line, "R08", "%s is given twice (first at line %ld)", what, cell->line);
			structure = 1;
			continue;
		}
		cell->line = line;
		s = xmlsafe_text(k);
		if (s && parse_count(c, line, what, s, &cell->value) == 0)
			cell->present = 1;
		else if (s)
			/* the schema's type error on this count only: what else is wrong in the
			   table (an attribute, this count's too, an element that does not belong)
			   is said (QA) */
			xmlsafe_mark_value(k);
		xmlFree(s);
	}
	for (int cat = 0; cat <= 4; cat++)
		for (int lev = 0; lev <= 3; lev++) {
			size_t used = strlen(missing);
			if (!defs_has_cell(t, cat, lev) || r->cells[ti][cat][lev].line)
				continue;
			nmissing++;
			if (cat)
				snprintf(missing + used, sizeof missing - used, "%scategory %d level %d",
					 used ? ", " : "", cat, lev);
			else
				snprintf(missing + used, sizeof missing - used, "%slevel %d",
					 used ? ", " : "", lev);
		}
	if (nmissing) {
		ERR(c, tline, "R09", "%s is missing %zu cell%s: %s", t->name, nmissing,
		    nmissing == 1 ? "" : "s", missing);
		structure = 1;
	}
	/* the schema's count of cells would only repeat a duplicate, extra or missing cell; what
	   else is wrong in the table (an element that does not belong, an attribute) is said */
	if (structure)
		xmlsafe_mark_structure(e);
}

static void check_area(struct check *c, const xmlNode *e)
{
	/* the name as written (raw): " Cumbria " is not Cumbria, and "   " is no name (QA: both
	   were taken in silence, trimmed, while "Cum  bria" got W01); trimmed, what is kept */
	xmlChar *raw = xmlGetNoNsProp(e, BAD_CAST "name");
	char *code = xmlsafe_attr(e, "code"), *name = raw ? xmlsafe_trim(raw) : NULL;
	long line = xmlsafe_line(e);
	const struct area *a;
	char q[64];

	c->r->area_line = line;
	c->area_coded = code != NULL;
	if (raw && raw[0] && name && !name[0])
		ERR(c, line, "R05", "the area name is blank: give the area's name, or leave the "
		    "attribute out");
	if (code) {
		diag_quote_arg(q, sizeof q, code, 40);
		a = areas_find(c->v->areas, code);
		if (!a) {
			if (strcmp(code, "E23000034") == 0)
				ERR(c, line, "R11",
				    "area code 'E23000034' (City of London) is part of London: use E23000001");
			else
				ERR(c, line, "R11", "unknown area code %s: see reference/areas.xml", q);
		} else {
			snprintf(c->r->area_code, sizeof c->r->area_code, "%s", code);
			/* counted in characters, as the schema counts: a name too long for it (R05) gets no W01
			   beside it, and one of 100 characters and 101 bytes got none either (QA round 3) */
			const char *as = (const char *)raw;
			if (as && name && name[0] && quote_text_chars(as) <= 100 && strcmp(as, a->name) != 0 &&
			    !(a->name_cy[0] && strcmp(as, a->name_cy) == 0)) { /* or its Welsh name (QA) */
				char cy[128] = "", qn[64];
				/* a name that differs by what cannot be seen (a no-break space, a space
				   at an end) shown C-quoted, "Gogledd\302\240Cymru": it looked the same
				   as the name it differs from (QA) */
				if (a->name_cy[0] && strcmp(a->name_cy, a->name) != 0)
					snprintf(cy, sizeof cy, " (in Welsh '%s')", a->name_cy);
				diag_add(c->d, c->file, line, "W01", DIAG_WARNING,
					 "area name %s differs from '%s'%s, the name of %s: the code is what "
					 "counts", diag_quote_arg(qn, sizeof qn, as, 40), a->name, cy, a->code);
			}
		}
	}
	if (name) {
		snprintf(c->r->area_name, sizeof c->r->area_name, "%s", name);
		c->r->has_name = 1;
	}
	xmlFree(code);
	xmlFree(name);
	xmlFree(raw);
}

static void check_period(struct check *c, const xmlNode *e)
{
	char *start = xmlsafe_attr(e, "start"), *end = xmlsafe_attr(e, "end");
	long line = xmlsafe_line(e);
	int y1, m1, d1, y2, m2, d2;

	c->r->period_line = line;
	if (start && end && isodate_parse(start, &y1, &m1, &d1) == 0 &&
	    isodate_parse(end, &y2, &m2, &d2) == 0) {
		c->period_dated = 1;
		if (m1 != 4 || d1 != 1 || m2 != 3 || d2 != 31 || y2 != y1 + 1)
			ERR(c, line, "R13",
			    "the period %s to %s is not a reporting year: it must run from 1 April to 31 March of the next year",
			    start, end);
		else if (!dataset_period_year_ok(y1))
			ERR(c, line, "R13",
			    "the period %s to %s is not a reporting year the publication can hold: "
			    "the reporting years run from " DATASET_PERIOD_RANGE, start, end);
		else {
			snprintf(c->r->period_start, sizeof c->r->period_start, "%s", start);
			snprintf(c->r->period_end, sizeof c->r->period_end, "%s", end);
			snprintf(c->r->period, sizeof c->r->period, "%04u-%02u", (unsigned)y1 % 10000u,
				 (unsigned)y2 % 100u);
		}
	} /* a missing or malformed date is the schema's to report */
	xmlFree(start);
	xmlFree(end);
}

static void check_submission(struct check *c, const xmlNode *e)
{
	char *rev = xmlsafe_attr(e, "revision"), *date = xmlsafe_attr(e, "date");
	long line = xmlsafe_line(e);
	int y, m, d;

	c->r->submission_line = line;
	c->revision_given = rev != NULL;
	if (rev) {
		char q[40];
		const char *n = rev;
		int digits = rev[0] != '\0';
		for (const char *p = rev; *p; p++)
			digits &= *p >= '0' && *p <= '9';
		/* leading zeros say nothing, whatever their number, as in a count: 00000001 is 1
		   (it was refused while 0000001 was 1) */
		while (n[0] == '0' && n[1] != '\0')
			n++;
		diag_quote_arg(q, sizeof q, rev, 16);
		if (!digits || strlen(n) > 7 || strtol(n, NULL, 10) < 1 ||
		    strtol(n, NULL, 10) > REVISION_LIMIT)
			ERR(c, line, "R14", "revision %s is not a whole number from 1 to %ld", q,
			    REVISION_LIMIT);
		else
			c->r->revision = strtol(n, NULL, 10);
	}
	if (date && isodate_parse(date, &y, &m, &d) == 0) {
		char today[16];
		c->submission_dated = 1;
		snprintf(c->r->submitted, sizeof c->r->submitted, "%s", date);
		/* a date not yet come is a typing error (QA: 2099-05-15 and 9999-12-31 were taken
		   in silence); a warning, for a clock that is behind */
		if (isodate_today(today, sizeof today) == 0 && strcmp(c->r->submitted, today) > 0)
			diag_add(c->d, c->file, line, "W02", DIAG_WARNING,
				 "submitted on %s, after today (%s, UTC): check the date", date, today);
	}
	xmlFree(rev);
	xmlFree(date);
}

static void check_foreign(struct check *c, xmlNode *root)
{
	for (xmlNode *e = root; e; e = e->next) {
		if (e->type != XML_ELEMENT_NODE)
			continue;
		if (!e->ns || !xmlStrEqual(e->ns->href, BAD_CAST RETURN_NS)) {
			char q[64];
			diag_quote_arg(q, sizeof q, (const char *)e->name, 40);
			ERR(c, xmlsafe_line(e), "R04",
			    "element %s is not from the return's namespace %s (XInclude and other vocabularies are not allowed)",
			    q, RETURN_NS);
			/* the schema's "not expected" about it says the same (on a line of several
			   elements, where messages are not told apart by line) */
			xmlsafe_mark_reported(e);
			continue; /* its content is foreign too */
		}
		for (const xmlAttr *a = e->properties; a; a = a->next)
			if (a->ns) {
				char q[64];
				diag_quote_arg(q, sizeof q, (const char *)a->name, 40);
				ERR(c, xmlsafe_line(e), "R04",
				    "attribute %s is from another namespace: not allowed", q);
			}
		check_foreign(c, e->children);
	}
}

static void check_rules(struct check *c)
{
	const struct defs *defs = c->v->defs;
	const struct area_return *r = c->r;

	for (size_t i = 0; i < defs->nrules; i++) {
		const struct defs_rule *rule = &defs->rules[i];
		const struct defs_table *t = &defs->tables[rule->table];
		for (int cat = 0; cat <= 4; cat++)
			for (int lev = 0; lev <= 3; lev++) {
				const struct return_cell *a = &r->cells[rule->table][cat][lev];
				const struct return_cell *b = &r->cells[rule->other][cat][lev];
				char what[96], other[96];
				int broken;
				if (!defs_has_cell(t, cat, lev) || !a->present || !b->present)
					continue;
				broken = rule->op == DEFS_LE ? a->value > b->value : a->value < b->value;
				if (!broken)
					continue;
				describe_cell(what, sizeof what, t, cat, lev);
				describe_cell(other, sizeof other, &defs->tables[rule->other], cat, lev);
				ERR(c, a->line, rule->id, "%s is %lld but %s is %lld: %s", what, a->value,
				    other, b->value, rule->message);
			}
	}
}

enum validator_result validator_check(struct validator *v, const char *file, const char *buf,
				      size_t len, struct area_return *r, struct diag_list *d)
{
	struct area_return scratch;
	struct check c = { 0 };
	size_t errors_before = d->errors;
	xmlDocPtr doc;
	xmlNode *root;
	int schema_errors, seen_area = 0, seen_period = 0, seen_submission = 0;
	unsigned char seen_table[DEFS_MAX_TABLES] = { 0 };

	if (!r)
		r = &scratch;
	memset(r, 0, sizeof *r);
	c.v = v;
	c.file = file;
	c.r = r;
	c.d = d;

	doc = xmlsafe_parse(file, buf, len, &return_rules, d);
	if (!doc)
		return VALIDATOR_INVALID;
	root = xmlDocGetRootElement(doc);
	if (!root) {
		ERR(&c, 1, "R01", "no root element");
		xmlFreeDoc(doc);
		return VALIDATOR_INVALID;
	}
	if (!xmlsafe_is(root, RETURN_NS, "return")) {
		/* the namespace it is in, named (QA: "the root element is 'return': a return's
		   root is 'return' in namespace ..." never said which), quoted and cut short */
		char q[200], qns[260];
		diag_quote_arg(q, sizeof q, (const char *)root->name, 40);
		if (root->ns && root->ns->href)
			diag_quote_arg(qns, sizeof qns, (const char *)root->ns->href, 60);
		ERR(&c, xmlsafe_line(root), "R05",
		    "the root element is %s %s%s: a return's root is 'return' in namespace %s", q,
		    root->ns && root->ns->href ? "in namespace " : "in no namespace",
		    root->ns && root->ns->href ? qns : "", RETURN_NS);
		xmlFreeDoc(doc);
		return VALIDATOR_INVALID;
	}
	check_foreign(&c, root);
	for (xmlNode *e = root->children; e; e = e->next) {
		int ti;
		if (e->type != XML_ELEMENT_NODE || !e->ns ||
		    !xmlStrEqual(e->ns->href, BAD_CAST RETURN_NS))
			continue;
		if (xmlsafe_is(e, RETURN_NS, "area")) {
			seen_area++;
			check_area(&c, e);
		} else if (xmlsafe_is(e, RETURN_NS, "period")) {
			seen_period++;
			check_period(&c, e);
		} else if (xmlsafe_is(e, RETURN_NS, "submission")) {
			seen_submission++;
			check_submission(&c, e);
		} else if ((ti = defs_find(v->defs, (const char *)e->name)) >= 0) {
			seen_table[ti] = 1;
			check_table(&c, (size_t)ti, e);
		}
	}
	if (r->period_end[0] && r->submitted[0] && strcmp(r->submitted, r->period_end) <= 0)
		ERR(&c, r->submission_line, "R18",
		    "submitted on %s, not after the period ended on %s: a return counts the whole year, so it is sent from the day after",
		    r->submitted, r->period_end);
	check_rules(&c);
	schema_errors = xmlsafe_validate(v->schema, doc, file, "R05", d);
	if (schema_errors == 0) {
		/* what the shipped schema requires, whatever schema this is (QA: under a permissive
		   --schema a return with no tables at all was valid); the shipped one reports it
		   first, once */
		long at = xmlsafe_line(root);
		if (!seen_area || !seen_period || !seen_submission)
			ERR(&c, at, "R05", "the return has no %s element: every return names its area, "
			    "its period and its submission",
			    !seen_area ? "area" : !seen_period ? "period" : "submission");
		else if (seen_area > 1 || seen_period > 1 || seen_submission > 1)
			ERR(&c, at, "R05", "the return has more than one %s element: a return is of "
			    "one area, one period and one submission",
			    seen_area > 1 ? "area" : seen_period > 1 ? "period" : "submission");
		else if (!c.area_coded)
			ERR(&c, r->area_line, "R05", "the area has no code: give its code (reference/areas.xml)");
		else if (!c.period_dated)
			ERR(&c, r->period_line, "R05", "the period has no start and end dates of the "
			    "form YYYY-MM-DD: give start=\"2022-04-01\" end=\"2023-03-31\" for 2022-23");
		else if (!c.revision_given || !c.submission_dated)
			ERR(&c, r->submission_line, "R05", "the submission has no %s: give its %s",
			    !c.revision_given ? "revision" : "date of the form YYYY-MM-DD",
			    !c.revision_given ? "revision (1, then 2, ...)" : "date, the day it was sent");
		for (size_t t = 0; t < v->defs->ntables; t++)
			if (!seen_table[t])
				ERR(&c, at, "R09", "the return has no %s table: every table of the return "
				    "is sent, its cells 0 where there is nothing to count",
				    v->defs->tables[t].name);
	}
	xmlFreeDoc(doc);
	if (schema_errors < 0) {
		/* the schema's fault (a pattern libxml2 cannot evaluate), not the return's: R00 of
		   the schema, as a schema that does not compile (no line: libxml2 does not say which
		   of its patterns) */
		char q[500];
		diag_quote_arg(q, sizeof q, file, 120);
		diag_add(d, v->xsdname, 0, "R00", DIAG_ERROR,
			 "the schema cannot be used to validate %s: libxml2 could not evaluate it "
			 "on that file (a pattern too costly to match, such as nested repetitions?)",
			 q);
		return VALIDATOR_FAILED;
	}
	return (d->errors > errors_before || schema_errors > 0) ? VALIDATOR_INVALID
								: VALIDATOR_VALID;
}

enum validator_result validator_check_file(struct validator *v, const char *path,
					   struct area_return *r, struct diag_list *d)
{
	char *buf;
	size_t len;
	enum validator_result result;
	int rd = xmlsafe_read_file(path, XMLSAFE_MAX_BYTES, &buf, &len), e = errno;

	if (r)
		memset(r, 0, sizeof *r);
	if (rd == XMLSAFE_READ_TOO_BIG) {
		diag_add(d, path, 1, "R03", DIAG_ERROR,
			 "the file is larger than %zu bytes: a return is a few kilobytes",
			 XMLSAFE_MAX_BYTES);
		result = VALIDATOR_INVALID;
		goto out;
	}
	if (rd != XMLSAFE_READ_OK) {
		if (!e)
			e = EIO; /* never a read error without its errno: it decides the status */
		diag_add_errno(d, path, "R03", e, "cannot read: %s", xmlsafe_strerror(e));
		result = VALIDATOR_UNREADABLE;
		goto out;
	}
	result = validator_check(v, path, buf, len, r, d);
	free(buf);
out:
	return result;
}
