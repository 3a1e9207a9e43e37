#include "xmlsafe.h"
#include "quote.h"
#include "regfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

/* Options for every parse: see the header. XML_PARSE_NOENT, DTDLOAD, DTDATTR, XINCLUDE and
 * HUGE are deliberately absent. */
#define XMLSAFE_PARSE_OPTIONS \
	(XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR | XML_PARSE_BIG_LINES)

int xmlsafe_read_file(const char *path, size_t max, char **buf, size_t *len)
{
	int fd, result = XMLSAFE_READ_ERROR;
	struct stat st;
	char *p = NULL;
	size_t n = 0, cap;

	*buf = NULL;
	*len = 0;
	/* a FIFO with no writer must not be waited on; only regular files are read */
	fd = regfile_open(AT_FDCWD, path, 0, &st);
	if (fd < 0)
		return errno == EINVAL ? XMLSAFE_READ_NOT_FILE : XMLSAFE_READ_ERROR;
	if ((unsigned long long)st.st_size > max) {
		result = XMLSAFE_READ_TOO_BIG;
		goto out;
	}
	cap = (size_t)st.st_size + 1;
	p = malloc(cap + 1);
	if (!p)
		goto out;
	for (;;) {
		ssize_t r;
		if (n == cap) { /* the file grew while it was read */
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

const char *xmlsafe_strerror(int err)
{
	if (err == EINVAL)
		return "not a regular file (a FIFO, a device or a socket is never read)";
	return strerror(err);
}

int xmlsafe_read_path(const char *path, size_t max, const char *rule, char **buf, size_t *len,
		      struct diag_list *d)
{
	int r = xmlsafe_read_file(path, max, buf, len), e = errno;

	if (r == XMLSAFE_READ_OK)
		return 0;
	if (r == XMLSAFE_READ_TOO_BIG) {
		diag_add(d, path, 0, rule, DIAG_ERROR, "larger than %zu bytes", max);
		return -1;
	}
	diag_add_errno(d, path, rule, e, "cannot read: %s", xmlsafe_strerror(e));
	return -2;
}

/*
 * The input gate: what a document must be before libxml2 sees it (docs/rules.md, R01).
 * The bytes are read as units: single bytes (UTF-8, ISO-8859-1) or 16-bit units (UTF-16 with a
 * BOM), so that the markup can be checked in either without decoding it.
 */
enum gate_encoding { GATE_8BIT, GATE_UTF8_BOM, GATE_UTF16LE, GATE_UTF16BE };

struct gate {
	const unsigned char *b;
	size_t start, n; /* the first unit after the BOM; the number of units */
	enum gate_encoding enc;
	const char *file;
	const char *rule;
	struct diag_list *d;
};

static unsigned unit(const struct gate *g, size_t i)
{
	const unsigned char *u;
	if (g->enc == GATE_8BIT || g->enc == GATE_UTF8_BOM)
		return g->b[g->start + i];
	u = g->b + g->start + 2 * i;
	return g->enc == GATE_UTF16LE ? (unsigned)u[0] | (unsigned)u[1] << 8
				      : (unsigned)u[0] << 8 | (unsigned)u[1];
}

static int unit_is_space(unsigned c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whether the units from i on spell s (ASCII). */
static int units_match(const struct gate *g, size_t i, const char *s)
{
	for (; *s; s++, i++)
		if (i >= g->n || unit(g, i) != (unsigned char)*s)
			return 0;
	return 1;
}

static int gate_refuse(const struct gate *g, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int gate_refuse(const struct gate *g, long line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_add(g->d, g->file, line, g->rule, DIAG_ERROR, "%s", msg);
	return -1;
}

/*
 * The encoding the declaration names, upper-cased into name (empty when there is no
 * declaration or it names none). Returns 0, or -1 when the declaration cannot be read.
 */
static int declared_encoding(const struct gate *g, char *name, size_t size)
{
	size_t i, end, o = 0;
	unsigned q;

	name[0] = '\0';
	if (!units_match(g, 0, "<?xml") || g->n < 6 || !unit_is_space(unit(g, 5)))
		return 0;
	for (end = 5; end + 1 < g->n && end < 512; end++)
		if (unit(g, end) == '?' && unit(g, end + 1) == '>')
			break;
	if (end + 1 >= g->n || end >= 512)
		return -1;
	for (i = 5; i + 8 < end; i++)
		if (unit_is_space(unit(g, i - 1)) && units_match(g, i, "encoding"))
			break;
	if (i + 8 >= end)
		return 0;
	for (i += 8; i < end && unit_is_space(unit(g, i)); i++)
		;
	if (i >= end || unit(g, i) != '=')
		return -1;
	for (i++; i < end && unit_is_space(unit(g, i)); i++)
		;
	if (i >= end || (unit(g, i) != '"' && unit(g, i) != '\''))
		return -1;
	q = unit(g, i++);
	for (; i < end && unit(g, i) != q; i++) {
		unsigned c = unit(g, i);
		if (o + 1 >= size || c > 0x7e || c < 0x21)
			return -1;
		name[o++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
	}
	name[o] = '\0';
	return i < end ? 0 : -1;
}

static int encoding_is(const char *name, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(name, *names) == 0)
			return 1;
	return 0;
}

/* The BOM, the declaration and the bytes must agree, on one of the documented encodings. */
static int gate_encoding(struct gate *g, size_t len)
{
	/* not US-ASCII: libxml2 then reads a byte outside ASCII as a broken attribute ("AttValue:
	   ' expected"), and docs/rules.md lists only these */
	static const char *const utf8[] = { "UTF-8", "UTF8", NULL };
	static const char *const latin1[] = { "ISO-8859-1", "ISO_8859-1", "LATIN1", "LATIN-1", NULL };
	static const char *const utf16le[] = { "UTF-16", "UTF16", "UTF-16LE", NULL };
	static const char *const utf16be[] = { "UTF-16", "UTF16", "UTF-16BE", NULL };
	const unsigned char *b = g->b;
	char name[48], q[64];
	unsigned first;

	if (len >= 4 && ((b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) ||
			 (b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)))
		return gate_refuse(g, 1, "the file is in UTF-32: save it as UTF-8");
	if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		g->enc = GATE_UTF8_BOM;
		g->start = 3;
	} else if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		g->enc = b[0] == 0xFF ? GATE_UTF16LE : GATE_UTF16BE;
		g->start = 2;
		if (len % 2)
			return gate_refuse(g, 1,
					   "the file starts with a UTF-16 byte order mark but has an odd number of bytes");
	} else if (len >= 2 && b[0] == 0 && b[1] == 0 && !(len >= 4 && b[2] == 0 && b[3] != 0)) {
		/* no encoding starts so (UTF-32BE without its mark is 00 00 00 3C): a file of
		   zeros, or damaged (QA: it was told it is in UTF-16 or UTF-32) */
		return gate_refuse(g, 1, "the file starts with a NUL character: XML cannot hold one "
					 "(a file of zeros, or damaged?)");
	} else if (len >= 2 && (b[0] == 0 || b[1] == 0)) {
		return gate_refuse(g, 1,
				   "the file is in UTF-16 or UTF-32 without a byte order mark: save it as UTF-8 (or UTF-16 with a byte order mark)");
	}
	g->n = g->enc == GATE_UTF16LE || g->enc == GATE_UTF16BE ? (len - g->start) / 2
								 : len - g->start;
	if (g->n == 0)
		return gate_refuse(g, 1, "the file is empty");
	first = unit(g, 0);
	if (first != '<' && !unit_is_space(first))
		return gate_refuse(g, 1,
				   "the file does not begin with '<': it is not XML, or it is in an encoding that is not supported (UTF-8, UTF-16 with a byte order mark, or ISO-8859-1 declared)");
	if (declared_encoding(g, name, sizeof name) != 0)
		return gate_refuse(g, 1, "the XML declaration cannot be read");
	if (name[0] == '\0')
		return 0;
	diag_quote(q, sizeof q, name, 40);
	switch (g->enc) {
	case GATE_8BIT:
		if (encoding_is(name, utf8) || encoding_is(name, latin1))
			return 0;
		if (encoding_is(name, utf16le) || encoding_is(name, utf16be))
			return gate_refuse(g, 1,
					   "the declaration says '%s' but the file has no UTF-16 byte order mark and is not UTF-16",
					   q);
		return gate_refuse(g, 1,
				   "the encoding '%s' is not supported: use UTF-8, UTF-16 with a byte order mark, or ISO-8859-1",
				   q);
	case GATE_UTF8_BOM:
		if (encoding_is(name, utf8))
			return 0;
		return gate_refuse(g, 1, "the declaration says '%s' but the byte order mark says UTF-8", q);
	case GATE_UTF16LE:
	case GATE_UTF16BE:
		if (encoding_is(name, g->enc == GATE_UTF16LE ? utf16le : utf16be))
			return 0;
		return gate_refuse(g, 1,
				   "the declaration says '%s' but the byte order mark says UTF-16", q);
	}
	return 0;
}

/*
 * The markup, scanned before libxml2 parses it: no NUL anywhere (libxml2 stops reading at one
 * and would accept whatever came before it), at most XMLSAFE_MAX_ATTRS attributes on an
 * element and XMLSAFE_MAX_NSDECLS namespace declarations in the document (libxml2 2.9 compares
 * an element's attributes pairwise: a flood of them costs minutes).
 */
static int gate_markup(const struct gate *g)
{
	enum { TEXT, TAG, VALUE, SKIP } state = TEXT;
	const char *skip_to = NULL;
	long line = 1, tag_line = 1;
	size_t attrs = 0, nsdecls = 0;
	unsigned quote = 0;
	int after_space = 0;

	for (size_t i = 0; i < g->n; i++) {
		unsigned c = unit(g, i);
		int pair = 0;
		if (c == 0)
			return gate_refuse(g, line,
					   "a NUL character: XML cannot hold one, and nothing after it would be read");
		if (c == '\n')
			line++;
		if ((g->enc == GATE_UTF16LE || g->enc == GATE_UTF16BE) && c >= 0xD800 && c <= 0xDFFF) {
			/* a surrogate is a character only as a high one followed by a low one; libxml2
			   reported a lone one at line 1 ("input conversion failed") and then a second,
			   wrong error where its decoding stopped: one error at its line, as in UTF-8 */
			unsigned next = i + 1 < g->n ? unit(g, i + 1) : 0;
			if (c >= 0xDC00 || next < 0xDC00 || next > 0xDFFF)
				return gate_refuse(g, line,
						   "not well-formed XML: a UTF-16 surrogate 0x%X without its pair, not a character (bytes not valid in UTF-16)",
						   c);
			pair = 1; /* one character: read as its high unit, its low one skipped */
		}
		switch (state) {
		case TEXT:
			if (c != '<')
				break;
			if (units_match(g, i, "<!--"))
				skip_to = "-->";
			else if (units_match(g, i, "<![CDATA["))
				skip_to = "]]>";
			else if (units_match(g, i + 1, "?") || units_match(g, i + 1, "!") ||
				 units_match(g, i + 1, "/"))
				skip_to = ">"; /* a PI, a DOCTYPE (refused by the parse), an end tag */
			else {
				state = TAG;
				tag_line = line;
				attrs = 0;
				after_space = 0;
				break;
			}
			state = SKIP;
			break;
		case SKIP:
			if (units_match(g, i, skip_to)) {
				i += strlen(skip_to) - 1;
				state = TEXT;
			}
			break;
		case TAG:
			if (c == '>') {
				state = TEXT;
			} else if (c == '"' || c == '\'') {
				quote = c;
				state = VALUE;
			} else if (unit_is_space(c)) {
				after_space = 1;
			} else {
				if (after_space && c != '/' && c != '=') {
					if (++attrs > XMLSAFE_MAX_ATTRS) {
						return gate_refuse(g, tag_line,
								   "an element with more than %d attributes",
								   XMLSAFE_MAX_ATTRS);
					}
					if (units_match(g, i, "xmlns") &&
					    (units_match(g, i + 5, ":") || units_match(g, i + 5, "=") ||
					     (i + 5 < g->n && unit_is_space(unit(g, i + 5)))) &&
					    ++nsdecls > XMLSAFE_MAX_NSDECLS) {
						return gate_refuse(g, tag_line,
								   "more than %d namespace declarations in the document",
								   XMLSAFE_MAX_NSDECLS);
					}
				}
				after_space = 0;
			}
			break;
		case VALUE:
			if (c == quote) {
				state = TAG;
				after_space = 0;
			}
			break;
		}
		if (pair)
			i++;
	}
	return 0;
}

int xmlsafe_gate(const char *file, const char *buf, size_t len, const char *rule,
		 struct diag_list *d)
{
	struct gate g = { (const unsigned char *)buf, 0, 0, GATE_8BIT, file, rule, d };

	if (len == 0)
		return gate_refuse(&g, 1, "the file is empty");
	if (gate_encoding(&g, len) != 0)
		return -1;
	return gate_markup(&g);
}

struct parse_state {
	const char *file;
	const struct xmlsafe_rules *rules;
	struct diag_list *d;
	int doctype;
	int errors;
};

/*
 * What xmlsafe keeps of an element in its _private, the application's field, which libxml2
 * never reads or frees: its line and the mark the validator gave it (xmlsafe_mark_*), as one
 * number: the line shifted left by 3, bit 2 set when a line is kept, the mark in bits 0-1.
 */
enum { MARK_NONE, MARK_REPORTED, MARK_STRUCTURE, MARK_VALUE };
#define KEPT_LINE 4u

static uintptr_t kept(const xmlNode *e)
{
	return e && e->type == XML_ELEMENT_NODE ? (uintptr_t)e->_private : 0;
}

static unsigned mark_of(const xmlNode *e)
{
	return (unsigned)(kept(e) & 3u);
}

static void set_kept(xmlNode *e, uintptr_t v)
{
	e->_private = (void *)v;
}

/*
 * An element's line, kept whole: libxml2 keeps it in 16 bits, and past line 65,535 its
 * xmlGetLineNo answers with a neighbouring text node's line, one or two too many (QA: an
 * area on line 70,006 reported at 70,007). And the line its start tag begins on: libxml2's is
 * where the tag ends, so an attribute on the second line of a start tag of four was reported
 * at its "   >" line. The tag is read back from its end to its '<' in the input's buffer (an
 * attribute value holds no '<'); where that is not in the buffer, or holds a carriage return
 * alone (not before a line feed), whose lines libxml2 counts its own way, the end's line is
 * kept.
 */
static void start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
			  const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
			  int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	long line, up = 0;

	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
			      nb_attributes, nb_defaulted, attributes);
	if (!ctxt->node || !ctxt->input || ctxt->input->line <= 0)
		return;
	line = ctxt->input->line;
	if (ctxt->input->base && ctxt->input->cur && ctxt->input->cur > ctxt->input->base) {
		const xmlChar *p = ctxt->input->cur - 1;
		while (p > ctxt->input->base && *p != '<' && (*p != '\r' || p[1] == '\n')) {
			up += *p == '\n';
			p--;
		}
		if (*p == '<' && up < line)
			line -= up;
	}
	if ((uintptr_t)line <= UINTPTR_MAX >> 3)
		set_kept(ctxt->node, ((uintptr_t)line << 3) | KEPT_LINE);
}

/*
 * libxml2 out of memory (XML_ERR_NO_MEMORY): the machine's fault, not the file's, an error
 * with ENOMEM (exit 70, never the 65 of a malformed file or a schema breach). 1 when e was one.
 */
static int no_memory(const xmlError *e, struct diag_list *d, const char *file, const char *rule)
{
	if (e->code != XML_ERR_NO_MEMORY)
		return 0;
	diag_add_errno(d, file, rule, ENOMEM, "out of memory");
	return 1;
}

static void parse_error(void *data, xmlErrorPtr e)
{
	struct parse_state *s = data;
	const char *msg, *huge;
	long line;

	if (!e || e->level < XML_ERR_ERROR || s->doctype)
		return;
	if (no_memory(e, s->d, s->file, s->rules->malformed))
		return;
	line = e->line > 0 ? e->line : 1;
	/* the first: libxml2 reads on after a fault and reports its consequences, on that line
	   and below it (QA: a missing quote in a start tag at line 15 gave three R01s, the
	   others "Opening and ending tag mismatch: return line 5 and eligible" at 25 and "Extra
	   content at the end of the document" at 28, where nothing was wrong) */
	if (s->errors > 0)
		return;
	s->errors++;
	msg = e->message ? e->message : "parse error";
	/* libxml2's safety limits end in advice to its caller ("... use XML_PARSE_HUGE
	   option"), which the person who sent the file cannot follow: say what the limit is */
	huge = strstr(msg, "XML_PARSE_HUGE");
	if (huge && strncmp(msg, "Excessive depth in document:", 28) == 0)
		diag_add(s->d, s->file, line, s->rules->malformed, DIAG_ERROR,
			 "not well-formed XML: elements nested more than %ld deep (no file this "
			 "pipeline reads is anywhere near that deep)", strtol(msg + 28, NULL, 10));
	else if (huge) {
		const char *cut = strstr(msg, "use XML_PARSE_HUGE");
		diag_add(s->d, s->file, line, s->rules->malformed, DIAG_ERROR,
			 "not well-formed XML: %.*s(over a safety limit of the XML reader)",
			 (int)((cut ? cut : huge) - msg), msg);
	} else
		diag_add(s->d, s->file, line, s->rules->malformed, DIAG_ERROR,
			 "not well-formed XML: %s", msg);
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

/*
 * A copy of buf with every CR not followed by LF made an LF (malloc'd into *out), or *out NULL
 * when buf has none. XML reads a lone CR as a line end (XML 1.0, 2.11: the processor makes it
 * an LF before anything else), but libxml2 counts lines by LF alone, so a file saved with CR
 * line ends (classic Mac OS) had every diagnostic at line 1. The units are bytes, or 16-bit
 * units after a UTF-16 byte order mark. 0, or -1 out of memory.
 */
static int lone_cr_to_lf(const char *buf, size_t len, char **out)
{
	const unsigned char *b = (const unsigned char *)buf;
	int utf16 = len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF));
	size_t w = utf16 ? 2 : 1, lo = utf16 && b[0] == 0xFF ? 0 : w - 1; /* the byte that holds
									     an ASCII unit */
	char *c = NULL;

	*out = NULL;
	for (size_t i = 0; i + w <= len; i += w) {
		if (b[i + lo] != '\r' || (utf16 && b[i + 1 - lo] != 0))
			continue;
		if (i + 2 * w <= len && b[i + w + lo] == '\n' && (!utf16 || b[i + w + 1 - lo] == 0))
			continue; /* CR LF: libxml2 counts it once */
		if (!c) {
			if (!(c = malloc(len ? len : 1)))
				return -1;
			memcpy(c, buf, len);
		}
		c[i + lo] = '\n';
	}
	*out = c;
	return 0;
}

xmlDocPtr xmlsafe_parse(const char *file, const char *buf, size_t len,
			const struct xmlsafe_rules *rules, struct diag_list *d)
{
	struct parse_state s = { file, rules, d, 0, 0 };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	char *lf = NULL;

	if (len > (size_t)INT32_MAX) {
		diag_add(d, file, 1, rules->malformed, DIAG_ERROR, "the file is too large");
		return NULL;
	}
	if (lone_cr_to_lf(buf, len, &lf) != 0) {
		diag_add_errno(d, file, rules->malformed, ENOMEM, "out of memory");
		return NULL;
	}
	if (lf)
		buf = lf;
	if (xmlsafe_gate(file, buf, len, rules->malformed, d) != 0) {
		free(lf);
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		free(lf);
		diag_add_errno(d, file, rules->malformed, ENOMEM, "out of memory");
		return NULL;
	}
	ctxt->_private = &s;
	ctxt->sax->startElementNs = start_element;
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
	free(lf);
	return doc;
}

struct schema_errs {
	const char *name;
	const char *rule;
	struct diag_list *d;
};

static void schema_compile_error(void *data, xmlErrorPtr e)
{
	struct schema_errs *b = data;
	if (e && e->level >= XML_ERR_ERROR && !no_memory(e, b->d, b->name, b->rule))
		diag_add(b->d, b->name, e->line, b->rule, DIAG_ERROR, "%s",
			 e->message ? e->message : "?");
}

#define XSD_NS "http://www.w3.org/2001/XMLSchema"

/*
 * Refuses every xs:include, xs:import and xs:redefine of the schema, each at its line: they
 * make libxml2 read another schema, from any file (file:///etc/shadow, its first line then
 * printed in libxml2's message) or from the network. A schema is one self-contained file.
 * Returns the number refused.
 */
static int refuse_schema_refs(const xmlNode *e, const struct schema_errs *b)
{
	static const char *const refs[] = { "include", "import", "redefine" };
	int n = 0;

	for (; e; e = e->next) {
		if (e->type != XML_ELEMENT_NODE)
			continue;
		for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
			if (xmlsafe_is(e, XSD_NS, refs[i])) {
				diag_add(b->d, b->name, xmlsafe_line(e), b->rule, DIAG_ERROR,
					 "xs:%s is not allowed: a schema must be one self-contained file "
					 "(no other schema is read, from a file or the network)",
					 refs[i]);
				n++;
			}
		n += refuse_schema_refs(e->children, b);
	}
	return n;
}

/* The entity loader while a schema compiles: nothing is loaded (belt and braces for
 * refuse_schema_refs; libxml2 reports the refusal through the handlers, never raw). */
static xmlParserInputPtr refuse_load(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

xmlSchemaPtr xmlsafe_schema_compile(const unsigned char *xsd, size_t len, const char *name,
				    const char *rule, struct diag_list *d)
{
	struct schema_errs b = { name, rule, d };
	const struct xmlsafe_rules rules = { rule, rule };
	xmlExternalEntityLoader loader = xmlGetExternalEntityLoader();
	xmlSchemaParserCtxtPtr pctxt;
	xmlSchemaPtr schema = NULL;
	xmlDocPtr doc;
	size_t before = d->errors;

	doc = xmlsafe_parse(name, (const char *)xsd, len, &rules, d);
	if (!doc)
		goto out;
	if (refuse_schema_refs(xmlDocGetRootElement(doc), &b) > 0) {
		xmlFreeDoc(doc);
		goto out;
	}
	pctxt = xmlSchemaNewDocParserCtxt(doc);
	if (pctxt) {
		xmlSchemaSetParserStructuredErrors(pctxt, schema_compile_error, &b);
		/* what libxml2 reports outside the schema's context (a load, a regexp) too */
		xmlSetStructuredErrorFunc(&b, schema_compile_error);
		xmlSetExternalEntityLoader(refuse_load);
		schema = xmlSchemaParse(pctxt);
		xmlSetExternalEntityLoader(loader);
		xmlSetStructuredErrorFunc(NULL, NULL);
		xmlSchemaFreeParserCtxt(pctxt);
	}
	xmlFreeDoc(doc);
	if (!schema && d->errors == before)
		diag_add(d, name, 0, rule, DIAG_ERROR, "cannot compile the schema");
out:
	return schema;
}

struct validate_state {
	const char *file;
	const char *rule;
	struct diag_list *d;
	int count;
	long last_line;
	int failed; /* libxml2 could not evaluate the schema on the document */
	/* the lines that hold more than one element (a return written on one line): there a
	   message about an element is told from another by its element, not its line */
	long shared[64];
	size_t nshared;           /* SHARED_MANY: more than fit, every line taken as shared */
	const xmlNode *said[128]; /* elements a message was said about, on a shared line */
	size_t nsaid;
	/* the attributes a schema message was said about, by element and name as libxml2 gives
	   it (the message shows a long name cut and an invisible character quoted: two names
	   alike there are still two attributes) */
	const void *attr_node[256];
	uint64_t attr_name[256];
	size_t nattr;
};

#define SHARED_MANY ((size_t)-1)

/* Removes every "{namespace}" from a libxml2 message. */
static void strip_namespaces(char *m)
{
	char *o = m;
	for (char *c = m; *c; c++) {
		if (*c == '{') {
			/* only a namespace ("{urn:mappa:return:1}count"): a URI, with a colon and no
			   space or quote; "[0-9]{4}" and "{'a', 'b'}" are the message itself (a date
			   pattern was shown as '[0-9]-04-01', an enumeration as "the set .") */
			char *close = strchr(c, '}');
			size_t n = close ? (size_t)(close - c) : 0;
			if (close && close[1] != '\0' && close[1] != ' ' && close[1] != '}' &&
			    memchr(c, ':', n) && !memchr(c, ' ', n) && !memchr(c, '\'', n)) {
				c = close;
				continue;
			}
		}
		*o++ = *c;
	}
	*o = '\0';
}

/* Marks element e (MARK_*), keeping its line. */
static void mark(xmlNode *e, unsigned m)
{
	if (e && e->type == XML_ELEMENT_NODE)
		set_kept(e, (kept(e) & ~(uintptr_t)3u) | m);
}

void xmlsafe_mark_reported(xmlNode *e)
{
	mark(e, MARK_REPORTED);
}

void xmlsafe_mark_structure(xmlNode *e)
{
	mark(e, MARK_STRUCTURE);
}

void xmlsafe_mark_value(xmlNode *e)
{
	mark(e, MARK_VALUE);
}

/* Whether a schema message (about attribute attr, "" for none) of node only repeats what a
 * table's structure error or a refused value said (xmlsafe_mark_structure, _mark_value). */
static int structure_said(const xmlNode *n, const char *attr)
{
	if (n && n->type == XML_ATTRIBUTE_NODE)
		n = n->parent;
	if (!n || n->type != XML_ELEMENT_NODE)
		return 0;
	if (mark_of(n) == MARK_STRUCTURE || (mark_of(n) == MARK_VALUE && !attr[0]))
		return 1;
	/* a count's category and level say which cell it is: the structure error's subject */
	return (!attr[0] || strcmp(attr, "category") == 0 || strcmp(attr, "level") == 0) &&
	       n->parent && mark_of(n->parent) == MARK_STRUCTURE && n->name &&
	       strcmp((const char *)n->name, "count") == 0;
}

static int inside_reported(const xmlNode *n)
{
	for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (mark_of(n) == MARK_REPORTED)
			return 1;
	return 0;
}

/*
 * The attribute a schema message is about ("Element 'area', attribute 'nmae': ..."), into attr
 * (size bytes); "" for a message about an element.
 */
static void message_attribute(const char *m, char *attr, size_t size)
{
	const char *a = m ? strstr(m, ", attribute '") : NULL, *end;

	attr[0] = '\0';
	if (!a)
		return;
	a += strlen(", attribute '");
	end = strchr(a, '\'');
	if (end && (size_t)(end - a) < size) {
		memcpy(attr, a, (size_t)(end - a));
		attr[end - a] = '\0';
	}
}

/* Whether message names attribute attr as our messages do: "attr 'value'", "attr \"value\""
   or "attribute 'attr'". */
static int message_names_attribute(const char *message, const char *attr)
{
	char named[90];

	snprintf(named, sizeof named, "%s '", attr);
	if (strstr(message, named))
		return 1;
	snprintf(named, sizeof named, "%s \"", attr);
	if (strstr(message, named))
		return 1;
	snprintf(named, sizeof named, "attribute '%s'", attr);
	return strstr(message, named) != NULL;
}

/* Whether one of our messages names an attribute of element node other than attr ("revision
 * '15/05/2023' is not ..."): then a value it shows is that attribute's, even when attr holds the
 * same text (QA: revision and date both "15/05/2023", and the date's error was not said). */
static int names_other_attribute(const char *message, const xmlNode *node, const char *attr)
{
	for (const xmlAttr *a = node ? node->properties : NULL; a; a = a->next) {
		const char *n = (const char *)a->name;
		if (n && strcmp(n, attr) != 0 && message_names_attribute(message, n))
			return 1;
	}
	return 0;
}

/* FNV-1a of a name. */
static uint64_t name_hash(const char *n)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *n; n++)
		h = (h ^ (unsigned char)*n) * UINT64_C(1099511628211);
	return h;
}

/* Whether a schema message about attribute name (as libxml2 gives it) of element node was said;
 * if not, records it (when it can: -1 when the record is full). */
static int attribute_recorded(struct validate_state *s, const void *node, const char *name)
{
	uint64_t h = name_hash(name);

	for (size_t i = 0; i < s->nattr; i++)
		if (s->attr_node[i] == node && s->attr_name[i] == h)
			return 1;
	if (s->nattr == sizeof s->attr_name / sizeof s->attr_name[0])
		return -1;
	s->attr_node[s->nattr] = node;
	s->attr_name[s->nattr++] = h;
	return 0;
}

/*
 * Whether the schema's message about attribute attr of node at line repeats what is said there:
 * a schema message about the same attribute, or one of our rules' errors at that line that
 * names it ("revision '0' is not ...", "attribute 'note' is from another namespace") or gives
 * its value ("the period 2022-04-01 to 2023-04-30 is not a reporting year", of end's value).
 * Another attribute of the element is another problem (QA: two unknown attributes showed one;
 * a bad date beside R14's revision showed none). schema_recorded: the schema's messages about
 * this element's attributes are in s's record (attribute_recorded), not compared here.
 */
static int attribute_said(const struct validate_state *s, long line, const char *attr,
			  const xmlNode *node, int schema_recorded)
{
	char shown[128];
	xmlChar *value = NULL;
	int said = 0;

	if (node && node->type == XML_ATTRIBUTE_NODE)
		node = node->parent;
	if (node && node->type == XML_ELEMENT_NODE)
		value = xmlGetProp(node, (const xmlChar *)attr);
	/* the value as our messages show it: C-quoted when it holds what cannot be seen (QA: a
	   code with a zero-width space was R05 and R11, one problem said twice) */
	if (value && quote_needed((const char *)value)) {
		quote_name_buf(shown, sizeof shown, (const char *)value);
		xmlFree(value);
		value = xmlStrdup((const xmlChar *)shown);
	}
	for (size_t i = 0; i < s->d->count && !said; i++) {
		const struct diag *x = &s->d->items[i];
		char other[64];
		if (x->line != line || x->severity != DIAG_ERROR)
			continue;
		message_attribute(x->message, other, sizeof other);
		if (other[0])
			/* the schema's own: by the record where it holds them all */
			said = !schema_recorded && strcmp(other, attr) == 0;
		else
			said = message_names_attribute(x->message, attr) ||
			       (value && strlen((const char *)value) >= 3 &&
				strstr(x->message, (const char *)value) &&
				!names_other_attribute(x->message, node, attr));
	}
	xmlFree(value);
	return said;
}

/*
 * A libxml2 message copied into out (size bytes), each quoted value of more than 60 bytes cut
 * to its first 40 (whole characters) and "...": a value of 600 or 1,000 characters filled the
 * message, and what was wrong with it ("is not a valid value of the atomic type 'xs:date'",
 * "has a length of '1000'; this exceeds the allowed maximum length of '100'") was cut off (QA).
 * A value ends at a quote followed by a space, a stop, a comma, a colon, a semicolon, a bracket or the end.
 */
static void message_copy(const char *in, char *out, size_t size)
{
	size_t o = 0;

	while (*in && o + 1 < size) {
		const char *end = *in == '\'' ? strchr(in + 1, '\'') : NULL;
		size_t len, keep;
		char seg[64], q[4 * sizeof seg + 8];
		int n, cut = 0;

		while (end && end[1] && !strchr(" .,:;])", end[1]))
			end = strchr(end + 1, '\'');
		if (!end && *in == '\'' && strlen(in + 1) > 60) {
			/* libxml2 cuts its own message at 64,000 characters: a value that long
			   never closes, and the copy ended inside it with no word of what was
			   wrong (QA) */
			end = in + strlen(in);
			cut = 1;
		}
		if (!end) {
			out[o++] = *in++;
			continue;
		}
		len = (size_t)(end - in - 1);
		keep = len > 60 ? 40 : len;
		while (keep > 0 && keep < len && ((unsigned char)in[1 + keep] & 0xc0u) == 0x80u)
			keep--;
		memcpy(seg, in + 1, keep);
		seg[keep] = '\0';
		/* a value with a character that cannot be seen (a no-break space, a zero-width one,
		   a bidirectional control: QA, shown as '?' or raw, a date ending in U+00A0 looked like
		   one ending in a space) C-quoted as a name is: "2023-05-15\302\240" */
		if (quote_needed(seg)) {
			quote_name_buf(q, sizeof q, seg);
			q[strlen(q) - 1] = '\0'; /* its closing quote, put after the "..." */
			n = snprintf(out + o, size - o, "%s%s\"", q, keep < len ? "..." : "");
		} else
			n = snprintf(out + o, size - o, "'%s%s'", seg, keep < len ? "..." : "");
		if (n < 0 || (size_t)n >= size - o)
			break;
		o += (size_t)n;
		if (cut) {
			n = snprintf(out + o, size - o, " (libxml2 cut its message here, at its limit of "
				     "64,000 characters: the value is about that long or longer)");
			if (n > 0 && (size_t)n < size - o)
				o += (size_t)n;
			break;
		}
		in = end + 1;
	}
	out[o] = '\0';
}

static int line_shared(const struct validate_state *s, long line)
{
	if (s->nshared == SHARED_MANY)
		return 1;
	for (size_t i = 0; i < s->nshared; i++)
		if (s->shared[i] == line)
			return 1;
	return 0;
}

static void validate_error(void *data, xmlErrorPtr e)
{
	struct validate_state *s = data;
	char msg[480], raw[1024], attr[512];
	long line;
	int recorded = -1;

	if (!e || e->level < XML_ERR_ERROR)
		return;
	if (no_memory(e, s->d, s->file, s->rule))
		return;
	if (e->code == XML_SCHEMAV_INTERNAL || e->code == XML_SCHEMAP_INTERNAL ||
	    e->domain == XML_FROM_REGEXP) {
		s->failed = 1; /* the schema's fault, not the document's: the caller says so */
		return;
	}
	s->count++;
	line = kept(e->node) & KEPT_LINE ? xmlsafe_line(e->node) : e->line > 0 ? e->line : 1;
	message_copy(e->message ? e->message : "schema error", msg, sizeof msg);
	strip_namespaces(msg);
	/* the attribute's name as libxml2 gives it: the copy may show it cut or quoted */
	snprintf(raw, sizeof raw, "%s", e->message ? e->message : "");
	strip_namespaces(raw);
	message_attribute(raw, attr, sizeof attr);
	if (inside_reported((const xmlNode *)e->node) ||
	    structure_said((const xmlNode *)e->node, attr))
		return;
	if (attr[0]) {
		/* a schema message about the same attribute of the same element: said; one about
		   another is another problem (QA: two unknown names alike when cut, or holding a
		   zero-width joiner, showed one) */
		recorded = attribute_recorded(s, e->node, attr);
		if (recorded == 1)
			return;
		if (attribute_said(s, line, attr, (const xmlNode *)e->node, recorded == 0))
			return;
	} else if (line_shared(s, line) && s->nsaid < sizeof s->said / sizeof s->said[0]) {
		/* one line, several elements: our rules' errors there are about their own
		   elements, which they mark (QA: a return on one line showed its first problem) */
		for (size_t i = 0; i < s->nsaid; i++)
			if (s->said[i] == e->node)
				return;
		s->said[s->nsaid++] = e->node;
	} else if (diag_has_error_at(s->d, line) || line == s->last_line)
		return;
	s->last_line = line;
	diag_add(s->d, s->file, line, s->rule, DIAG_ERROR, "%s", msg);
}

/* Records in s the lines of doc that hold more than one element (elements come in the order of
 * their lines). */
static void find_shared_lines(struct validate_state *s, const xmlNode *n, long *prev)
{
	for (; n && s->nshared != SHARED_MANY; n = n->next) {
		long line;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		line = xmlsafe_line(n);
		if (line == *prev && (s->nshared == 0 || s->shared[s->nshared - 1] != line)) {
			if (s->nshared == sizeof s->shared / sizeof s->shared[0])
				s->nshared = SHARED_MANY;
			else
				s->shared[s->nshared++] = line;
		}
		*prev = line;
		find_shared_lines(s, n->children, prev);
	}
}

int xmlsafe_validate(xmlSchemaPtr schema, xmlDocPtr doc, const char *file, const char *rule,
		     struct diag_list *d)
{
	struct validate_state s;
	long prev = -1;
	xmlSchemaValidCtxtPtr vctxt;
	/* libxml2 2.9's validator does not always survive running out of memory inside it (a
	   segmentation fault under ulimit -v, QA): room for it is made sure of first, and its
	   absence is "out of memory" (70), as anywhere else */
	void *room = malloc((size_t)4 << 20);
	int r;

	if (!room) {
		diag_add_errno(d, file, rule, ENOMEM, "out of memory");
		return -1;
	}
	free(room);
	memset(&s, 0, sizeof s);
	s.file = file;
	s.rule = rule;
	s.d = d;
	find_shared_lines(&s, doc ? xmlDocGetRootElement(doc) : NULL, &prev);
	vctxt = xmlSchemaNewValidCtxt(schema);
	if (!vctxt)
		return -1;
	xmlSchemaSetValidStructuredErrors(vctxt, validate_error, &s);
	/* the regexp engine reports without a context ("regexp error : Memory allocation failed"
	   when a pattern backtracks without end): never raw on stderr */
	xmlSetStructuredErrorFunc(&s, validate_error);
	r = xmlSchemaValidateDoc(vctxt, doc);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSchemaFreeValidCtxt(vctxt);
	if (r < 0 || s.failed)
		return -1;
	if (r > 0 && s.count == 0)
		s.count = 1;
	return s.count;
}

xmlDocPtr xmlsafe_load(const char *file, const char *buf, size_t len, const unsigned char *xsd,
		       size_t xsdlen, const char *xsdname, const struct xmlsafe_load_rules *rules,
		       struct diag_list *d)
{
	xmlSchemaPtr schema = xmlsafe_schema_compile(xsd, xsdlen, xsdname, rules->schema, d);
	xmlDocPtr doc = NULL;

	if (!schema)
		goto out;
	doc = xmlsafe_parse(file, buf, len, &rules->parse, d);
	if (doc && xmlsafe_validate(schema, doc, file, rules->invalid, d) != 0) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
out:
	xmlSchemaFree(schema);
	return doc;
}

int xmlsafe_is(const xmlNode *e, const char *ns, const char *name)
{
	if (!e || e->type != XML_ELEMENT_NODE || !xmlStrEqual(e->name, BAD_CAST name))
		return 0;
	if (!ns)
		return e->ns == NULL;
	return e->ns && xmlStrEqual(e->ns->href, BAD_CAST ns);
}

char *xmlsafe_trim(const xmlChar *v)
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
	t = xmlsafe_trim(v);
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
	t = xmlsafe_trim(v);
	xmlFree(v);
	return t;
}

long xmlsafe_line(const xmlNode *e)
{
	if (kept(e) & KEPT_LINE)
		return (long)(kept(e) >> 3);
	return e ? xmlGetLineNo(e) : 0;
}
