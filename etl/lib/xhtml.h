/*
 * xhtml: HTML pages written through libxml2's xmlTextWriter, as the workbook (ods.h) and the
 * SDMX structure (sdmx.h) are: every text and attribute value is escaped by libxml2, so no
 * writer concatenates markup with a private escaper. The syntax is HTML5's that XML also reads
 * (void elements written as <meta .../>, every other element with its end tag, even when
 * empty), so that inline SVG needs nothing else. Line breaks are written where the caller asks
 * (xhtml_nl); nothing is indented.
 *
 * Like strbuf, the calls never fail loudly: the first failure (out of memory, an element ended
 * that was not started) marks the page failed, later calls do nothing, and xhtml_finish says so.
 * Ownership: the page owns its writer and buffer until xhtml_finish or xhtml_release (which
 * accepts a zeroed or finished page).
 */
#ifndef MAPPA_XHTML_H
#define MAPPA_XHTML_H

#include <libxml/xmlwriter.h>

#include "strbuf.h"

struct xhtml {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	int failed;
	size_t ids;             /* a counter for the page's generated ids ("table1", ...) */
};

/* Starts a page: "<!DOCTYPE html>" and a line break (doctype 0: a fragment, no doctype).
 * Returns 0, or -1 out of memory (h is failed). */
int xhtml_open(struct xhtml *h, int doctype);
void xhtml_start(struct xhtml *h, const char *name);
void xhtml_attr(struct xhtml *h, const char *name, const char *value);
/* Attribute name (not NULL) with a printf-formatted value. */
void xhtml_attrf(struct xhtml *h, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Text content, escaped (NULL: nothing). */
void xhtml_text(struct xhtml *h, const char *s);
void xhtml_textf(struct xhtml *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The first n bytes of s as text. */
void xhtml_text_n(struct xhtml *h, const char *s, size_t n);
/* Ends the innermost element with its end tag ("<td></td>" when empty). */
void xhtml_end(struct xhtml *h);
/* Ends a void element ("<meta .../>", an SVG shape). */
void xhtml_end_void(struct xhtml *h);
/* An element holding only text: <name>text</name>. */
void xhtml_element(struct xhtml *h, const char *name, const char *text);
/* A line break between elements. */
void xhtml_nl(struct xhtml *h);
/* The next generated id number of the page (1, 2, ...). */
size_t xhtml_next_id(struct xhtml *h);

/* Ends every open element, appends the page to out and releases h. Returns 0, or -1 when any
 * call failed (out is then marked failed and nothing is appended). */
int xhtml_finish(struct xhtml *h, struct strbuf *out);
void xhtml_release(struct xhtml *h);

#endif
