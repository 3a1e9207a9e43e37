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

/* At most this many attributes on one element, and namespace declarations in one document. */
#define XMLSAFE_MAX_ATTRS 64
#define XMLSAFE_MAX_NSDECLS 64

enum xmlsafe_read_status {
	XMLSAFE_READ_OK = 0,
	XMLSAFE_READ_ERROR = -1,   /* errno says why */
	XMLSAFE_READ_TOO_BIG = -2, /* more than max bytes */
	XMLSAFE_READ_NOT_FILE = -3 /* a FIFO, a device or a socket: never read; errno EINVAL */
};

/*
 * Reads the whole file at path, at most max bytes, into a NUL-terminated buffer the caller frees.
 * The file is opened without blocking and must be a regular file: a FIFO, a device or a socket
 * is refused before anything is read (a FIFO with no writer would otherwise block for ever).
 * Returns one of enum xmlsafe_read_status; errno is set on XMLSAFE_READ_ERROR and is EINVAL on
 * XMLSAFE_READ_NOT_FILE, so that callers which only pass errno on still say why.
 */
int xmlsafe_read_file(const char *path, size_t max, char **buf, size_t *len);

/*
 * xmlsafe_read_file for the readers of the project's own files, reporting through d: returns 0
 * with *buf (NUL-terminated; the caller frees it) and *len; -1 after an error `rule` "larger
 * than MAX bytes"; -2 after an error `rule` "cannot read: REASON" that keeps the errno
 * (diag_errnum; REASON xmlsafe_strerror's). Both at line 0 of path.
 */
int xmlsafe_read_path(const char *path, size_t max, const char *rule, char **buf, size_t *len,
		      struct diag_list *d);

/* strerror(err) for an errno left by xmlsafe_read_file: EINVAL says "not a regular file". */
const char *xmlsafe_strerror(int err);

/*
 * The input gate every parse goes through (xmlsafe_parse calls it; the CSV readers may too).
 * Refuses, with one error of rule id `rule` at its line appended to d, and returns -1:
 * an empty file; an encoding that is not UTF-8 (with or without a BOM), UTF-16 with a BOM or a
 * declared ISO-8859-1, or a BOM or declaration that contradicts the bytes (UTF-16 or UTF-32
 * without a BOM, a UTF-16 BOM with a UTF-8 declaration, UTF-7, EBCDIC, UCS-4); a NUL character
 * anywhere; in UTF-16, a surrogate without its pair (at its line); an element with more than
 * XMLSAFE_MAX_ATTRS attributes; more than XMLSAFE_MAX_NSDECLS namespace declarations. Returns 0 when buf may be parsed.
 */
int xmlsafe_gate(const char *file, const char *buf, size_t len, const char *rule,
		 struct diag_list *d);

/* Rule ids a parse reports with. */
struct xmlsafe_rules {
	const char *malformed; /* not well-formed, empty, bad encoding */
	const char *doctype;   /* a DOCTYPE was present */
};

/*
 * Parses buf (len bytes: UTF-8, UTF-16 with a BOM, a declared ISO-8859-1; see xmlsafe_gate,
 * which it passes first) as the document named file. Returns the document, or NULL after appending the
 * reason to d (with the line where libxml2 found it). Line numbers beyond 65535 are kept.
 */
xmlDocPtr xmlsafe_parse(const char *file, const char *buf, size_t len,
			const struct xmlsafe_rules *rules, struct diag_list *d);

/* Rule ids xmlsafe_load reports with. */
struct xmlsafe_load_rules {
	struct xmlsafe_rules parse;
	const char *schema;  /* the schema itself does not compile (a fault of ours) */
	const char *invalid; /* the document breaks the schema */
};

/*
 * The one loader of the project's own XML files (definitions, reference data, policy): compiles
 * the schema xsd (xsdlen bytes, named xsdname in messages), parses buf (len bytes) as the
 * document named file through the input gate (xmlsafe_parse), and validates it. Returns the
 * document (free with xmlFreeDoc), or NULL after appending why to d: the schema's failure (at
 * line 0 of xsdname), the parse's, or every breach of the schema.
 */
xmlDocPtr xmlsafe_load(const char *file, const char *buf, size_t len, const unsigned char *xsd,
		       size_t xsdlen, const char *xsdname, const struct xmlsafe_load_rules *rules,
		       struct diag_list *d);

/*
 * Compiles an XML Schema held in memory (read safely, as any input); name is the file named in
 * the diagnostics. A schema is one self-contained file: every xs:include, xs:import and
 * xs:redefine is refused at its line, and nothing is loaded while it compiles (a refusing
 * entity loader, set for the call: not for threads that parse meanwhile). Returns the schema
 * (free with xmlSchemaFree()), or NULL with every problem appended to d under rule, at its
 * line of the schema (0 when none applies); libxml2 prints nothing.
 */
xmlSchemaPtr xmlsafe_schema_compile(const unsigned char *xsd, size_t len, const char *name,
				    const char *rule, struct diag_list *d);

/*
 * Validates doc against schema and appends every schema error as an error with rule id `rule`,
 * skipping lines where d already holds an error (one problem, one message). Namespace names
 * are left out of the messages. Returns the number of schema errors found (reported or not),
 * or -1 when the validation itself failed: out of memory, or libxml2 could not evaluate the
 * schema on this document (a pattern that backtracks without end; the schema's fault, which
 * the caller reports: nothing about it is appended to d, and libxml2 prints nothing).
 */
int xmlsafe_validate(xmlSchemaPtr schema, xmlDocPtr doc, const char *file, const char *rule,
		     struct diag_list *d);

/*
 * Marks an element as already reported: schema errors about it or anything inside it are not
 * reported again by xmlsafe_validate (they are consequences of the problem reported).
 */
void xmlsafe_mark_reported(xmlNode *e);

/*
 * Marks a table whose cells were found wrong as a whole (a cell given twice, missing, or one
 * that cannot exist): the schema's messages about the table itself and about its count
 * elements (not about their attributes) only repeat that, and are not reported; a message about
 * an element that does not belong there, or about an attribute, is (QA: R09 hid a misspelt
 * <cont>, the cause of the missing cell).
 */
void xmlsafe_mark_structure(xmlNode *e);

/* Marks an element whose value was refused: the schema's messages about its value are not
 * reported again, those about its attributes are (QA: R06 hid an attribute not allowed). */
void xmlsafe_mark_value(xmlNode *e);

/* Whether the document's element e is named `name` in namespace ns. */
int xmlsafe_is(const xmlNode *e, const char *ns, const char *name);

/* The attribute's value with XML whitespace trimmed, or NULL when absent; free with xmlFree. */
char *xmlsafe_attr(const xmlNode *e, const char *name);

/* A copy of v with XML whitespace trimmed from both ends (NULL: out of memory); free with
 * xmlFree. For a value also needed as written (xmlGetNoNsProp's), which is then read once. */
char *xmlsafe_trim(const xmlChar *v);

/* Copies the trimmed attribute into dst (size bytes, cut to fit; "" when absent). For
 * attributes whose length the schema already bounds below size. */
void xmlsafe_copy_attr(char *dst, size_t size, const xmlNode *e, const char *name);

/* The element's text with XML whitespace trimmed; free with xmlFree. Never NULL unless OOM. */
char *xmlsafe_text(const xmlNode *e);

/* The element's line: past 65,535 too, for a document xmlsafe parsed (the line its start tag
 * begins on, kept whole), else libxml2's xmlGetLineNo. */
long xmlsafe_line(const xmlNode *e);

#endif
