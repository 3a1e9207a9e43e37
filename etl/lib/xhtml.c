/*
 * xhtml: HTML through xmlTextWriter (see xhtml.h).
 */
#include "xhtml.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void check(struct xhtml *h, int rc)
{
	if (rc < 0)
		h->failed = 1;
}

int xhtml_open(struct xhtml *h, int doctype)
{
	memset(h, 0, sizeof *h);
	h->buf = xmlBufferCreate();
	h->w = h->buf ? xmlNewTextWriterMemory(h->buf, 0) : NULL;
	if (!h->w) {
		h->failed = 1;
		return -1;
	}
	if (doctype) {
		check(h, xmlTextWriterWriteDTD(h->w, BAD_CAST "html", NULL, NULL, NULL));
		xhtml_nl(h);
	}
	return h->failed ? -1 : 0;
}

void xhtml_start(struct xhtml *h, const char *name)
{
	if (!h->failed)
		check(h, xmlTextWriterStartElement(h->w, BAD_CAST name));
}

void xhtml_attr(struct xhtml *h, const char *name, const char *value)
{
	if (!h->failed)
		check(h, xmlTextWriterWriteAttribute(h->w, BAD_CAST name, BAD_CAST (value ? value : "")));
}

/* fmt formatted and written as the value of attribute name, or as text when name is NULL. */
__attribute__((format(printf, 3, 0)))
static void write_formatted(struct xhtml *h, const char *name, const char *fmt, va_list ap)
{
	char *s;

	if (h->failed)
		return;
	if (!(s = strbuf_vformat(fmt, ap))) {
		h->failed = 1;
		return;
	}
	if (name)
		xhtml_attr(h, name, s);
	else
		xhtml_text(h, s);
	free(s);
}

void xhtml_attrf(struct xhtml *h, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	write_formatted(h, name, fmt, ap);
	va_end(ap);
}

void xhtml_text(struct xhtml *h, const char *s)
{
	if (!h->failed && s && *s)
		check(h, xmlTextWriterWriteString(h->w, BAD_CAST s));
}

void xhtml_textf(struct xhtml *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	write_formatted(h, NULL, fmt, ap);
	va_end(ap);
}

void xhtml_text_n(struct xhtml *h, const char *s, size_t n)
{
	char *copy;

	if (h->failed || !s)
		return;
	if (!(copy = strndup(s, n))) {
		h->failed = 1;
		return;
	}
	xhtml_text(h, copy);
	free(copy);
}

void xhtml_end(struct xhtml *h)
{
	if (!h->failed)
		check(h, xmlTextWriterFullEndElement(h->w));
}

void xhtml_end_void(struct xhtml *h)
{
	if (!h->failed)
		check(h, xmlTextWriterEndElement(h->w));
}

void xhtml_element(struct xhtml *h, const char *name, const char *text)
{
	xhtml_start(h, name);
	xhtml_text(h, text);
	xhtml_end(h);
}

void xhtml_nl(struct xhtml *h)
{
	if (!h->failed)
		check(h, xmlTextWriterWriteString(h->w, BAD_CAST "\n"));
}

size_t xhtml_next_id(struct xhtml *h)
{
	return ++h->ids;
}

int xhtml_finish(struct xhtml *h, struct strbuf *out)
{
	int result = -1;

	if (!h->failed && xmlTextWriterEndDocument(h->w) >= 0) {
		/* the buffer is complete only once the writer is freed (it flushes) */
		xmlFreeTextWriter(h->w);
		h->w = NULL;
		strbuf_add(out, xmlBufferContent(h->buf), (size_t)xmlBufferLength(h->buf));
		result = 0;
	} else {
		out->failed = 1;
	}
	xhtml_release(h);
	return result;
}

void xhtml_release(struct xhtml *h)
{
	if (!h)
		return;
	if (h->w)
		xmlFreeTextWriter(h->w);
	if (h->buf)
		xmlBufferFree(h->buf);
	memset(h, 0, sizeof *h);
}
