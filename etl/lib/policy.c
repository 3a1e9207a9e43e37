/*
 * policy.c - load and validate the disclosure-control policy.
 */
#include "policy.h"

#include "errmsg.h"
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
	pol->withheld_categories = 1u << 4;
	pol->area.min = 1;
	pol->area.max = 2;
	pol->area.protect_zeros = 0;
	pol->national = pol->area;
	pol->min_width = 1;
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

/* First error reported by libxml2, kept with its line. */
struct errstate {
	const char *name;
	char msg[200];
	int line;
	int have;
};

static void on_error(void *ctx, xmlErrorPtr e)
{
	struct errstate *es = ctx;
	size_t n;

	if (es->have || e == NULL || e->level == XML_ERR_WARNING)
		return;
	es->have = 1;
	es->line = e->line;
	snprintf(es->msg, sizeof(es->msg), "%s",
		 e->message ? e->message : "unknown error");
	n = strlen(es->msg);
	while (n > 0 && (es->msg[n - 1] == '\n' || es->msg[n - 1] == ' '))
		es->msg[--n] = '\0';
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

static int is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	       xmlStrEqual(n->ns->href, BAD_CAST POLICY_NS) &&
	       xmlStrEqual(n->name, BAD_CAST name);
}

static int extract(const xmlDoc *doc, const char *name, struct policy *pol,
		   char *err, size_t errlen)
{
	const xmlNode *root = xmlDocGetRootElement((xmlDoc *)doc);
	int rc = POLICY_EINVALID;

	memset(pol, 0, sizeof(*pol));
	for (const xmlNode *n = root->children; n; n = n->next) {
		if (is_el(n, "withheld")) {
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
					errmsg_set(err, errlen, "%s:%ld: bad "
					       "category", name,
					       xmlGetLineNo(c));
					goto out;
				}
				pol->withheld_categories |= 1u << cat;
			}
		} else if (is_el(n, "primary")) {
			struct policy_threshold t;
			xmlChar *scope = xmlGetProp(n, BAD_CAST "scope");
			xmlChar *mn = xmlGetProp(n, BAD_CAST "min");
			xmlChar *mx = xmlGetProp(n, BAD_CAST "max");
			xmlChar *pz = xmlGetProp(n, BAD_CAST "protectZeros");
			int bad = parse_int(mn, 1, 9999999, &t.min) ||
				  parse_int(mx, 1, 9999999, &t.max) ||
				  pz == NULL || scope == NULL;
			int national = scope != NULL &&
				       xmlStrEqual(scope, BAD_CAST "national");

			t.protect_zeros = pz && xmlStrEqual(pz, BAD_CAST "true");
			xmlFree(scope);
			xmlFree(mn);
			xmlFree(mx);
			xmlFree(pz);
			if (bad) {
				errmsg_set(err, errlen, "%s:%ld: bad primary rule",
				       name, xmlGetLineNo(n));
				goto out;
			}
			if (t.min > t.max) {
				errmsg_set(err, errlen, "%s:%ld: primary rule: min "
				       "%lld is above max %lld", name,
				       xmlGetLineNo(n), (long long)t.min,
				       (long long)t.max);
				goto out;
			}
			if (national)
				pol->national = t;
			else
				pol->area = t;
		} else if (is_el(n, "interval")) {
			xmlChar *w = xmlGetProp(n, BAD_CAST "minWidth");
			int bad = parse_int(w, 1, 9999999, &pol->min_width);
			xmlFree(w);
			if (bad) {
				errmsg_set(err, errlen, "%s:%ld: bad minWidth",
				       name, xmlGetLineNo(n));
				goto out;
			}
		}
	}
	rc = POLICY_OK;
out:
	return rc;
}

/* Parse buf safely (xmlsafe: the input gate, no DOCTYPE), validate, extract. */
static int load(const char *buf, size_t len, const char *name,
		const struct policy_schema *xsd, struct policy *out,
		char *err, size_t errlen)
{
	static const struct xmlsafe_rules rules = { "P01", "P02" };
	struct diag_list d = DIAG_LIST_INIT;
	xmlDocPtr doc = NULL;
	xmlSchemaParserCtxtPtr spc = NULL;
	xmlSchemaPtr schema = NULL;
	xmlSchemaValidCtxtPtr vc = NULL;
	struct errstate es;
	char *xsdbuf = NULL;
	size_t xsdlen = 0;
	int rc = POLICY_ENOMEM, v;

	memset(&es, 0, sizeof(es));
	es.name = name;
	if (xsd == NULL || (xsd->path == NULL && xsd->buf == NULL)) {
		errmsg_set(err, errlen, "%s: no schema given", name);
		return POLICY_ESCHEMA;
	}
	if (len > MAX_POLICY_BYTES) {
		errmsg_set(err, errlen, "%s: larger than %d bytes", name,
		       MAX_POLICY_BYTES);
		return POLICY_EINVALID;
	}
	doc = xmlsafe_parse(name, buf, len, &rules, &d);
	if (doc == NULL) {
		if (d.count > 0)
			errmsg_set(err, errlen, "%s:%ld: %s", name,
			       d.items[0].line, d.items[0].message);
		else
			errmsg_set(err, errlen, "%s: not well-formed", name);
		rc = POLICY_EPARSE;
		goto out;
	}

	if (xsd->path != NULL) {
		/* read like any input: a FIFO or a device is refused */
		int r = xmlsafe_read_file(xsd->path, MAX_POLICY_BYTES,
					  &xsdbuf, &xsdlen);
		if (r != XMLSAFE_READ_OK) {
			errmsg_set(err, errlen, "%s: cannot open the policy "
			       "schema: %s", xsd->path,
			       r == XMLSAFE_READ_TOO_BIG ? "too large"
						       : xmlsafe_strerror(errno));
			rc = POLICY_ESCHEMA;
			goto out;
		}
	}
	spc = xsd->path ? xmlSchemaNewMemParserCtxt(xsdbuf, (int)xsdlen)
			: xmlSchemaNewMemParserCtxt(xsd->buf, (int)xsd->len);
	if (spc == NULL) {
		if (xsd->path != NULL) {
			errmsg_set(err, errlen, "%s: cannot load the policy "
			       "schema", xsd->path);
			rc = POLICY_ESCHEMA;
		}
		goto out;
	}
	xmlSchemaSetParserStructuredErrors(spc, on_error, &es);
	schema = xmlSchemaParse(spc);
	if (schema == NULL) {
		errmsg_set(err, errlen, "%s: cannot load the policy schema: %s",
		       xsd->path ? xsd->path : "(memory)",
		       es.have ? es.msg : "unknown error");
		rc = POLICY_ESCHEMA;
		goto out;
	}
	vc = xmlSchemaNewValidCtxt(schema);
	if (vc == NULL) {
		rc = POLICY_ENOMEM;
		goto out;
	}
	xmlSchemaSetValidStructuredErrors(vc, on_error, &es);
	v = xmlSchemaValidateDoc(vc, doc);
	if (v != 0) {
		if (v < 0 && !es.have)
			errmsg_set(err, errlen, "%s: validation failed internally",
			       name);
		else
			errmsg_set(err, errlen, "%s:%d: %s", name, es.line,
			       es.have ? es.msg : "invalid");
		rc = POLICY_EINVALID;
		goto out;
	}
	rc = extract(doc, name, out, err, errlen);
out:
	if (rc == POLICY_ENOMEM)
		errmsg_set(err, errlen, "%s: out of memory", name);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(spc);
	xmlFreeDoc(doc);
	free(xsdbuf);
	diag_clear(&d);
	return rc;
}

int policy_load_file(const char *path, const struct policy_schema *xsd,
		     struct policy *out, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	if (path == NULL) {
		errmsg_set(err, errlen, "no policy file given");
		return POLICY_EIO;
	}
	r = xmlsafe_read_file(path, MAX_POLICY_BYTES, &buf, &len);
	if (r == XMLSAFE_READ_TOO_BIG) {
		errmsg_set(err, errlen, "%s: larger than %d bytes", path,
		       MAX_POLICY_BYTES);
		return POLICY_EINVALID;
	}
	if (r != XMLSAFE_READ_OK) {
		errmsg_set(err, errlen, "%s: cannot open: %s", path,
		       xmlsafe_strerror(errno));
		return POLICY_EIO;
	}
	r = load(buf, len, path, xsd, out, err, errlen);
	free(buf);
	return r;
}

int policy_load_memory(const char *buf, size_t len, const char *name,
		       const struct policy_schema *xsd, struct policy *out,
		       char *err, size_t errlen)
{
	if (buf == NULL) {
		errmsg_set(err, errlen, "no policy given");
		return POLICY_EIO;
	}
	return load(buf, len, name ? name : "(policy)", xsd, out, err,
		    errlen);
}
