/*
 * policy.c - load and validate the disclosure-control policy.
 */
#include "policy.h"

#include "digest.h"
#include "xmlsafe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#define MAX_POLICY_BYTES (1024 * 1024)

/* The widest minWidth (schemas/policy.xsd says the same), and why. */
#define MAX_MIN_WIDTH 5
#define MIN_WIDTH_WHY \
	"minWidth is at most 5: secondary suppression takes longer with every step of " \
	"width (on the 42 areas 5 takes about 16 times as long as 1, and 1000 would never end)"

/* The widest primary threshold (schemas/policy.xsd says the same), and why. */
#define MAX_THRESHOLD 10
#define THRESHOLD_WHY \
	"min and max are at most 10: every count they cover is suppressed and protected, and " \
	"suppression takes longer with every one (on the 42 areas max 10 with protectZeros takes " \
	"about twice as long as the default 2, and 9999999, every cell, ten times)"

#define COALITION_WHY \
	"the coalition is 1 or 2: every k areas are audited together, and 3 would mean 11,480 " \
	"coalitions of the 42 areas"

const char *policy_strerror(int code)
{
	switch (code) {
	case POLICY_OK: return "ok";
	case POLICY_ENOMEM: return "out of memory";
	case POLICY_EIO: return "cannot read";
	case POLICY_EPARSE: return "not well-formed";
	case POLICY_ESCHEMA: return "cannot load the schema";
	case POLICY_EINVALID: return "invalid policy";
	default: return "unknown error";
	}
}

void policy_init_default(struct policy *pol)
{
	memset(pol, 0, sizeof *pol);
	pol->withheld_categories = 1u << 4;
	pol->area.min = 1;
	pol->area.max = 2;
	pol->area.protect_zeros = 0;
	pol->national = pol->area;
	pol->min_width = 1;
	pol->protection_range = 1;
	pol->insiders = 1;
	pol->coalition = 1;
	pol->singletons = 1;
}

int policy_withheld(const struct policy *pol, int category)
{
	if (category < 1 || category > 4)
		return 0;
	return (pol->withheld_categories >> category) & 1u;
}

int policy_primary(const struct policy *pol, int national, int64_t value)
{
	const struct policy_threshold *t = national ? &pol->national
						    : &pol->area;

	if (value == 0)
		return t->protect_zeros;
	return value >= t->min && value <= t->max;
}

enum policy_reason policy_reason(const struct policy *pol, int national, int category,
				 int64_t value)
{
	/* the categories a count holds, as bits 1 << c like withheld_categories: its own, or
	   those a total adds up (every category, or 1-3) */
	const unsigned c1_3 = 1u << 1 | 1u << 2 | 1u << 3, c1_4 = c1_3 | 1u << 4;
	unsigned holds = category >= 1 && category <= 4 ? 1u << category
		       : category == CAT_ALL ? c1_4 : category == CAT_1_3 ? c1_3 : 0u;
	if (!national && (pol->withheld_categories & holds))
		return POLICY_WITHHELD;
	return policy_primary(pol, national, value) ? POLICY_PRIMARY : POLICY_PUBLISHED;
}

static int parse_int(const xmlChar *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll((const char *)s, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int64_t)v;
	return 0;
}

/*
 * An xs:boolean restricted to true|false: the schema collapses white space before it checks,
 * so " true" is valid and must read as true (it read as false, and a policy naming every reader
 * protected against the outsider only, QA). *out: 1 or 0, absent (s NULL) when there is no
 * attribute. 0, or -1 for anything else.
 */
static int parse_bool(const xmlChar *s, int absent, int *out)
{
	size_t a = 0, b;

	if (s == NULL) {
		*out = absent;
		return 0;
	}
	b = strlen((const char *)s);
	while (a < b && strchr(" \t\n\r", s[a]))
		a++;
	while (b > a && strchr(" \t\n\r", s[b - 1]))
		b--;
	if (b - a == 4 && memcmp(s + a, "true", 4) == 0)
		*out = 1;
	else if (b - a == 5 && memcmp(s + a, "false", 5) == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	       xmlStrEqual(n->ns->href, BAD_CAST POLICY_NS) &&
	       xmlStrEqual(n->name, BAD_CAST name);
}

static int extract(const xmlDoc *doc, const char *name, struct policy *pol,
		   struct diag_list *d)
{
	const xmlNode *root = xmlDocGetRootElement((xmlDoc *)doc);
	int rc = POLICY_EINVALID;

	memset(pol, 0, sizeof(*pol));
	/* what an omitted optional setting means: every reader, the range */
	pol->protection_range = 1;
	pol->insiders = 1;
	pol->coalition = 1;
	pol->singletons = 1;
	for (const xmlNode *n = root->children; n; n = n->next) {
		if (is_el(n, "withheld")) {
			pol->withheld_line[0] = xmlGetLineNo(n);
			for (const xmlNode *c = n->children; c; c = c->next) {
				xmlChar *t;
				int64_t cat;
				int bad;
				if (!is_el(c, "category"))
					continue;
				t = xmlNodeGetContent(c);
				bad = parse_int(t, 1, 4, &cat);
				xmlFree(t);
				if (bad) {
					diag_add(d, name, xmlGetLineNo(c), "C03",
						 DIAG_ERROR, "bad category");
					goto out;
				}
				pol->withheld_categories |= 1u << cat;
				pol->withheld_line[cat] = xmlGetLineNo(c);
			}
		} else if (is_el(n, "primary")) {
			struct policy_threshold t;
			xmlChar *scope = xmlGetProp(n, BAD_CAST "scope");
			xmlChar *mn = xmlGetProp(n, BAD_CAST "min");
			xmlChar *mx = xmlGetProp(n, BAD_CAST "max");
			xmlChar *pz = xmlGetProp(n, BAD_CAST "protectZeros");
			int bad = parse_int(mn, 1, 9999999, &t.min) ||
				  parse_int(mx, 1, 9999999, &t.max) ||
				  pz == NULL || scope == NULL ||
				  parse_bool(pz, 0, &t.protect_zeros);
			int national = scope != NULL &&
				       xmlStrEqual(scope, BAD_CAST "national");

			xmlFree(scope);
			xmlFree(mn);
			xmlFree(mx);
			xmlFree(pz);
			if (bad) {
				diag_add(d, name, xmlGetLineNo(n), "C03",
					 DIAG_ERROR, "bad primary rule");
				goto out;
			}
			if (t.max > MAX_THRESHOLD) {
				diag_add(d, name, xmlGetLineNo(n), "C03",
					 DIAG_ERROR, "%s", THRESHOLD_WHY);
				goto out;
			}
			if (t.min > t.max) {
				diag_add(d, name, xmlGetLineNo(n), "C03",
					 DIAG_ERROR, "primary rule: min %lld is "
					 "above max %lld", (long long)t.min,
					 (long long)t.max);
				goto out;
			}
			/* Every count from 1 to max identifies few enough people to be suppressed: a
			   rule starting above 1 would publish the 1s (and 2s) below it, while the
			   bundle's README says the counts of min to max are the small ones. */
			if (t.min != 1) {
				diag_add(d, name, xmlGetLineNo(n), "C03",
					 DIAG_ERROR, "primary rule: min %lld is not 1: a "
					 "primary rule suppresses the counts from 1 up to "
					 "max, and one starting at %lld would publish the "
					 "counts below it", (long long)t.min,
					 (long long)t.min);
				goto out;
			}
			if (national)
				pol->national = t;
			else
				pol->area = t;
		} else if (is_el(n, "interval")) {
			xmlChar *w = xmlGetProp(n, BAD_CAST "minWidth");
			xmlChar *pr = xmlGetProp(n, BAD_CAST "protectionRange");
			int bad = parse_int(w, 1, 9999999, &pol->min_width),
			    bad_range = parse_bool(pr, 1, &pol->protection_range);
			pol->interval_line = xmlGetLineNo(n);
			xmlFree(w);
			xmlFree(pr);
			if (bad || bad_range) {
				diag_add(d, name, xmlGetLineNo(n), "C03",
					 DIAG_ERROR, bad ? "bad minWidth" : "bad protectionRange");
				goto out;
			}
			if (pol->min_width > MAX_MIN_WIDTH) {
				diag_add(d, name, xmlGetLineNo(n), "C03",
					 DIAG_ERROR, "%s", MIN_WIDTH_WHY);
				goto out;
			}
		} else if (is_el(n, "secondaries")) {
			xmlChar *pa = xmlGetProp(n, BAD_CAST "publishAgain");
			int bad = parse_bool(pa, 0, &pol->publish_again);
			xmlFree(pa);
			if (bad) {
				diag_add(d, name, xmlGetLineNo(n), "C03",
					 DIAG_ERROR, "bad publishAgain");
				goto out;
			}
		} else if (is_el(n, "attackers")) {
			xmlChar *in = xmlGetProp(n, BAD_CAST "insiders");
			xmlChar *co = xmlGetProp(n, BAD_CAST "coalition");
			xmlChar *si = xmlGetProp(n, BAD_CAST "singletons");
			int64_t k = 1;
			int bad = co != NULL && parse_int(co, 1, 2, &k);
			int bad_reader = parse_bool(in, 1, &pol->insiders) ||
					 parse_bool(si, 1, &pol->singletons);
			pol->coalition = (int)k;
			xmlFree(in);
			xmlFree(co);
			xmlFree(si);
			if (bad_reader) {
				diag_add(d, name, xmlGetLineNo(n), "C03",
					 DIAG_ERROR, "bad insiders or singletons (true or false)");
				goto out;
			}
			if (bad) {
				diag_add(d, name, xmlGetLineNo(n), "C03",
					 DIAG_ERROR, "bad coalition size: %s",
					 COALITION_WHY);
				goto out;
			}
		}
	}
	rc = POLICY_OK;
out:
	return rc;
}

/*
 * Adds why to a schema message about a bounded setting: the schema says only that 6 is above
 * the maximum 5. Only to a value above the maximum: why the maximum is what it is explains
 * neither a value below the minimum (minWidth 0) nor one that is not plain digits ("+1").
 */
static void explain_bounds(struct diag_list *d, size_t from)
{
	static const struct {
		const char *attribute, *why;
	} bounds[] = {
		{ "attribute 'minWidth'", MIN_WIDTH_WHY },
		{ "attribute 'min'", THRESHOLD_WHY },
		{ "attribute 'max'", THRESHOLD_WHY },
		{ "attribute 'coalition'", COALITION_WHY },
	};

	for (size_t i = from; i < d->count; i++) {
		struct diag *di = &d->items[i];
		for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++) {
			size_t n, w;
			char *m;
			if (!strstr(di->message, bounds[b].attribute))
				continue;
			if (!strstr(di->message, "'maxInclusive'"))
				break;
			n = strlen(di->message);
			w = strlen(bounds[b].why);
			m = malloc(n + 1 + w + 1);
			if (!m)
				break; /* the message without why */
			memcpy(m, di->message, n);
			/* "('2'). the coalition is" read as a sentence without its capital (QA) */
			if (n > 0 && m[n - 1] == '.')
				m[n - 1] = ';';
			m[n] = ' ';
			memcpy(m + n + 1, bounds[b].why, w + 1);
			free(di->message);
			di->message = m;
			break;
		}
	}
}

/* Load buf through xmlsafe_load (the input gate, no DOCTYPE, the schema), then extract. */
static int load(const char *buf, size_t len, const char *name,
		const struct policy_schema *xsd, struct policy *out,
		struct diag_list *d)
{
	static const struct xmlsafe_load_rules rules = {
		{ "C01", "C02" }, "C00", "C03"
	};
	xmlDocPtr doc = NULL;
	char *xsdbuf = NULL;
	size_t xsdlen = 0, before = d->count, errors = d->errors;
	int rc;

	if (xsd == NULL || (xsd->path == NULL && xsd->buf == NULL)) {
		diag_add(d, name, 0, "C00", DIAG_ERROR, "no schema given");
		return POLICY_ESCHEMA;
	}
	if (len > MAX_POLICY_BYTES) {
		diag_add(d, name, 0, "C01", DIAG_ERROR, "larger than %d bytes",
			 MAX_POLICY_BYTES);
		return POLICY_EINVALID;
	}
	if (xsd->path != NULL) {
		/* read like any input: a FIFO or a device is refused */
		int r = xmlsafe_read_file(xsd->path, MAX_POLICY_BYTES,
					  &xsdbuf, &xsdlen);
		if (r != XMLSAFE_READ_OK) {
			diag_add(d, xsd->path, 0, "C00", DIAG_ERROR,
				 "cannot open the policy schema: %s",
				 r == XMLSAFE_READ_TOO_BIG ? "too large"
							 : xmlsafe_strerror(errno));
			rc = POLICY_ESCHEMA;
			goto out;
		}
	}
	doc = xmlsafe_load(name, buf, len,
			   xsd->path ? (const unsigned char *)xsdbuf
				     : (const unsigned char *)xsd->buf,
			   xsd->path ? xsdlen : xsd->len,
			   xsd->path ? xsd->path : "(memory)", &rules, d);
	if (doc == NULL) {
		if (d->errors == errors) {
			rc = POLICY_ENOMEM;
			goto out;
		}
		explain_bounds(d, before);
		rc = POLICY_EPARSE;
		for (size_t i = before; i < d->count; i++) {
			if (strcmp(d->items[i].rule, "C00") == 0) {
				rc = POLICY_ESCHEMA;
				break;
			}
			if (strcmp(d->items[i].rule, "C03") == 0)
				rc = POLICY_EINVALID;
		}
		goto out;
	}
	rc = extract(doc, name, out, d);
	if (rc == POLICY_OK)
		digest_sha256_hex(buf, len, out->sha256); /* a dataset's policy-sha256 */
out:
	if (rc == POLICY_ENOMEM)
		diag_add_errno(d, name, "C01", ENOMEM, "out of memory");
	xmlFreeDoc(doc);
	free(xsdbuf);
	return rc;
}

int policy_read_file(const char *path, const struct policy_schema *xsd,
		     struct policy *out, struct diag_list *d)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	if (path == NULL) {
		diag_add_errno(d, "-", "C01", EINVAL, "no policy file given");
		errno = EINVAL;
		return POLICY_EIO;
	}
	r = xmlsafe_read_path(path, MAX_POLICY_BYTES, "C01", &buf, &len, d);
	if (r == -1)
		return POLICY_EINVALID;
	if (r != 0) {
		errno = diag_errnum(d); /* as the header says, for protect.c */
		return POLICY_EIO;
	}
	r = load(buf, len, path, xsd, out, d);
	free(buf);
	return r;
}

int policy_read_memory(const char *buf, size_t len, const char *name,
		       const struct policy_schema *xsd, struct policy *out,
		       struct diag_list *d)
{
	if (buf == NULL) {
		diag_add(d, name ? name : "(policy)", 0, "C01", DIAG_ERROR,
			 "no policy given");
		return POLICY_EIO;
	}
	return load(buf, len, name ? name : "(policy)", xsd, out, d);
}

int policy_exact_allowed(const struct policy *pol, int national, int64_t value)
{
	/* an interval [0,0] discloses no one while zeros are published; any other exact
	   value is narrower than every allowed width (minWidth is at least 1) */
	return value == 0 && !policy_primary(pol, national, value);
}
