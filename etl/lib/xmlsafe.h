/*
 * xmlsafe: reading untrusted XML with libxml2 without letting it reach the file system or the
 * network. Every document is parsed from memory, with no network, no entity substitution, no
 * DTD loading and no XInclude; a DOCTYPE of any kind stops the parse (a return, a policy or a
 * reference file has no business carrying one), so there are no entities to expand.
 */
#ifndef MAPPA_XMLSAFE_H
#define MAPPA_XMLSAFE_H

#include <stddef.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "diag.h"

/* The size cap for any XML document we read. */
#define XMLSAFE_MAX_BYTES ((size_t)1 << 20)

enum xmlsafe_read_status { XMLSAFE_READ_OK = 0, XMLSAFE_READ_ERROR = -1, XMLSAFE_READ_TOO_BIG = -2 };

/*
 * Reads the whole file at path, at most max bytes, into a NUL-terminated buffer the caller frees.
 * Returns XMLSAFE_READ_OK; XMLSAFE_READ_ERROR with errno set when it cannot be read;
 * XMLSAFE_READ_TOO_BIG when it holds more than max bytes.
 */
int xmlsafe_read_file(const char *path, size_t max, char **buf, size_t *len);

/* Rule ids a parse reports with. */
struct xmlsafe_rules {
	const char *malformed; /* not well-formed, empty, bad encoding */
	const char *doctype;   /* a DOCTYPE was present */
};

/*
 * Parses buf (len bytes, any encoding libxml2 detects: UTF-8, UTF-16 with a BOM, a declared
 * ISO-8859-1) as the document named file. Returns the document, or NULL after appending the
 * reason to d (with the line where libxml2 found it). Line numbers beyond 65535 are kept.
 */
xmlDocPtr xmlsafe_parse(const char *file, const char *buf, size_t len,
			const struct xmlsafe_rules *rules, struct diag_list *d);

/*
 * Compiles an XML Schema held in memory; name is used in messages. Returns NULL and a message in
 * err on failure. Free with xmlSchemaFree().
 */
xmlSchemaPtr xmlsafe_schema_compile(const unsigned char *xsd, size_t len, const char *name,
				    char *err, size_t errsize);

/*
 * Validates doc against schema and appends every schema error as an error with rule id `rule`,
 * skipping lines where d already holds an error (one problem, one message). Namespace names
 * are left out of the messages. Returns the number of schema errors found (reported or not),
 * or -1 when the validation itself failed.
 */
int xmlsafe_validate(xmlSchemaPtr schema, xmlDocPtr doc, const char *file, const char *rule,
		     struct diag_list *d);

/*
 * Marks an element as already reported: schema errors about it or anything inside it are not
 * reported again by xmlsafe_validate (they are consequences of the problem reported).
 */
void xmlsafe_mark_reported(xmlNode *e);

/* Whether the document's element e is named `name` in namespace ns. */
int xmlsafe_is(const xmlNode *e, const char *ns, const char *name);

/* The attribute's value with XML whitespace trimmed, or NULL when absent; free with xmlFree. */
char *xmlsafe_attr(const xmlNode *e, const char *name);

/* Copies the trimmed attribute into dst (size bytes, cut to fit; "" when absent). For
 * attributes whose length the schema already bounds below size. */
void xmlsafe_copy_attr(char *dst, size_t size, const xmlNode *e, const char *name);

/* The element's text with XML whitespace trimmed; free with xmlFree. Never NULL unless OOM. */
char *xmlsafe_text(const xmlNode *e);

/* The element's line (libxml2 keeps big line numbers with XML_PARSE_BIG_LINES). */
long xmlsafe_line(const xmlNode *e);

#endif
