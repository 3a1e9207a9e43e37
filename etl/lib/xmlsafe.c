#include "xmlsafe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

/* Options for every parse: see the header. XML_PARSE_NOENT, DTDLOAD, DTDATTR, XINCLUDE and
 * HUGE are deliberately absent. */
#define XMLSAFE_PARSE_OPTIONS \
	(XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR | XML_PARSE_BIG_LINES | \
	 XML_PARSE_NOCDATA)

int xmlsafe_read_file(const char *path, size_t max, char **buf, size_t *len)
{
	int fd, result = XMLSAFE_READ_ERROR;
	struct stat st;
	char *p = NULL;
	size_t n = 0, cap;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_NOCTTY);
	if (fd < 0)
		return XMLSAFE_READ_ERROR;
	if (fstat(fd, &st) != 0)
		goto out;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto out;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		result = XMLSAFE_READ_TOO_BIG;
		goto out;
	}
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	p = malloc(cap + 1);
	if (!p)
		goto out;
	for (;;) {
		ssize_t r;
		if (n == cap) {
			char *q;
			if (cap > max)
				break;
			cap *= 2;
			q = realloc(p, cap + 1);
			if (!q)
				goto out;
			p = q;
		}
		r = read(fd, p + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max)
			break;
	}
	if (n > max) {
		result = XMLSAFE_READ_TOO_BIG;
		goto out;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	p = NULL;
	result = XMLSAFE_READ_OK;
out:
	free(p);
	{
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return result;
}

struct parse_state {
	const char *file;
	const struct xmlsafe_rules *rules;
	struct diag_list *d;
	int doctype;
	int errors;
	long last_line;
};

static void parse_error(void *data, xmlErrorPtr e)
{
	struct parse_state *s = data;
	long line;

	if (!e || e->level < XML_ERR_ERROR || s->doctype)
		return;
	line = e->line > 0 ? e->line : 1;
	/* libxml2 often follows one fault with consequences on the same line: keep the first */
	if (s->errors > 0 && line == s->last_line)
		return;
	if (s->errors >= 10)
		return;
	s->errors++;
	s->last_line = line;
	diag_add(s->d, s->file, line, s->rules->malformed, DIAG_ERROR,
		 "not well-formed XML: %s", e->message ? e->message : "parse error");
}

static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
			   const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *s = ctxt->_private;
	(void)name;
	(void)external_id;
	(void)system_id;
	if (!s->doctype) {
		s->doctype = 1;
		diag_add(s->d, s->file, xmlSAX2GetLineNumber(ctx), s->rules->doctype, DIAG_ERROR,
			 "a DOCTYPE is not allowed (no DTD, no entities): remove it");
	}
	xmlStopParser(ctxt);
}

xmlDocPtr xmlsafe_parse(const char *file, const char *buf, size_t len,
			const struct xmlsafe_rules *rules, struct diag_list *d)
{
	struct parse_state s = { file, rules, d, 0, 0, 0 };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;

	if (len == 0) {
		diag_add(d, file, 1, rules->malformed, DIAG_ERROR, "the file is empty");
		return NULL;
	}
	if (len > (size_t)INT32_MAX) {
		diag_add(d, file, 1, rules->malformed, DIAG_ERROR, "the file is too large");
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		diag_add(d, file, 0, rules->malformed, DIAG_ERROR, "out of memory");
		return NULL;
	}
	ctxt->_private = &s;
	ctxt->sax->internalSubset = refuse_doctype;
	ctxt->sax->externalSubset = refuse_doctype;
	xmlSetStructuredErrorFunc(&s, parse_error);
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, file, NULL, XMLSAFE_PARSE_OPTIONS);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (doc && (s.doctype || s.errors > 0 || !ctxt->wellFormed)) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (!doc && !s.doctype && s.errors == 0)
		diag_add(d, file, 1, rules->malformed, DIAG_ERROR, "not well-formed XML");
	if (doc && (doc->intSubset || doc->extSubset)) { /* belt and braces */
		xmlFreeDoc(doc);
		doc = NULL;
		diag_add(d, file, 1, rules->doctype, DIAG_ERROR, "a DOCTYPE is not allowed");
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

struct schema_errbuf {
	char *err;
	size_t size;
	int set;
};

static void schema_compile_error(void *data, xmlErrorPtr e)
{
	struct schema_errbuf *b = data;
	if (!b->set && e && e->level >= XML_ERR_ERROR) {
		snprintf(b->err, b->size, "line %d: %s", e->line, e->message ? e->message : "?");
		b->set = 1;
	}
}

xmlSchemaPtr xmlsafe_schema_compile(const unsigned char *xsd, size_t len, const char *name,
				    char *err, size_t errsize)
{
	struct schema_errbuf b = { err, errsize, 0 };
	xmlSchemaParserCtxtPtr pctxt;
	xmlSchemaPtr schema = NULL;
	xmlDocPtr doc;
	struct diag_list d = DIAG_LIST_INIT;
	static const struct xmlsafe_rules rules = { "X01", "X02" };

	if (errsize)
		err[0] = '\0';
	doc = xmlsafe_parse(name, (const char *)xsd, len, &rules, &d);
	if (!doc) {
		snprintf(err, errsize, "%s", d.count ? d.items[0].message : "cannot parse");
		diag_clear(&d);
		return NULL;
	}
	pctxt = xmlSchemaNewDocParserCtxt(doc);
	if (pctxt) {
		xmlSchemaSetParserStructuredErrors(pctxt, schema_compile_error, &b);
		schema = xmlSchemaParse(pctxt);
		xmlSchemaFreeParserCtxt(pctxt);
	}
	xmlFreeDoc(doc);
	if (!schema && !b.set)
		snprintf(err, errsize, "cannot compile the schema %s", name);
	return schema;
}

struct validate_state {
	const char *file;
	const char *rule;
	struct diag_list *d;
	int count;
	long last_line;
};

/* Removes every "{namespace}" from a libxml2 message. */
static void strip_namespaces(char *m)
{
	char *o = m;
	for (char *c = m; *c; c++) {
		if (*c == '{') {
			char *close = strchr(c, '}');
			if (close && close[1] != '\0' && close[1] != ' ' && close[1] != '}') {
				c = close;
				continue;
			}
		}
		*o++ = *c;
	}
	*o = '\0';
}

static char reported_marker;

void xmlsafe_mark_reported(xmlNode *e)
{
	if (e)
		e->_private = &reported_marker;
}

static int inside_reported(const xmlNode *n)
{
	for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (n->_private == &reported_marker)
			return 1;
	return 0;
}

static void validate_error(void *data, xmlErrorPtr e)
{
	struct validate_state *s = data;
	char msg[480];
	long line;

	if (!e || e->level < XML_ERR_ERROR)
		return;
	s->count++;
	line = e->line > 0 ? e->line : 1;
	if (diag_has_error_at(s->d, line) || line == s->last_line ||
	    inside_reported((const xmlNode *)e->node))
		return;
	s->last_line = line;
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "schema error");
	strip_namespaces(msg);
	diag_add(s->d, s->file, line, s->rule, DIAG_ERROR, "%s", msg);
}

int xmlsafe_validate(xmlSchemaPtr schema, xmlDocPtr doc, const char *file, const char *rule,
		     struct diag_list *d)
{
	struct validate_state s = { file, rule, d, 0, 0 };
	xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema);
	int r;

	if (!vctxt)
		return -1;
	xmlSchemaSetValidStructuredErrors(vctxt, validate_error, &s);
	r = xmlSchemaValidateDoc(vctxt, doc);
	xmlSchemaFreeValidCtxt(vctxt);
	if (r < 0)
		return -1;
	if (r > 0 && s.count == 0)
		s.count = 1;
	return s.count;
}

int xmlsafe_is(const xmlNode *e, const char *ns, const char *name)
{
	if (!e || e->type != XML_ELEMENT_NODE || !xmlStrEqual(e->name, BAD_CAST name))
		return 0;
	if (!ns)
		return e->ns == NULL;
	return e->ns && xmlStrEqual(e->ns->href, BAD_CAST ns);
}

static char *trim_dup(const xmlChar *v)
{
	const xmlChar *b = v, *e;
	while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r')
		b++;
	e = b + xmlStrlen(b);
	while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	return (char *)xmlStrndup(b, (int)(e - b));
}

char *xmlsafe_attr(const xmlNode *e, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(e, BAD_CAST name);
	char *t;
	if (!v)
		return NULL;
	t = trim_dup(v);
	xmlFree(v);
	return t;
}

void xmlsafe_copy_attr(char *dst, size_t size, const xmlNode *e, const char *name)
{
	char *v = xmlsafe_attr(e, name);
	snprintf(dst, size, "%s", v ? v : "");
	xmlFree(v);
}

char *xmlsafe_text(const xmlNode *e)
{
	xmlChar *v = xmlNodeGetContent(e);
	char *t;
	if (!v)
		return (char *)xmlStrdup(BAD_CAST "");
	t = trim_dup(v);
	xmlFree(v);
	return t;
}

long xmlsafe_line(const xmlNode *e)
{
	return e ? xmlGetLineNo(e) : 0;
}
