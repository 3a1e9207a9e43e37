#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(struct strbuf *b)
{
	memset(b, 0, sizeof *b);
}

void strbuf_release(struct strbuf *b)
{
	free(b->data);
	strbuf_init(b);
}

static int grow(struct strbuf *b, size_t extra)
{
	size_t need, n;
	char *p;

	if (b->failed)
		return -1;
	if (extra > STRBUF_CAP || b->len + extra + 1 > STRBUF_CAP) {
		b->failed = 1;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return 0;
	n = b->alloc ? b->alloc : 256;
	while (n < need)
		n *= 2;
	p = realloc(b->data, n);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->alloc = n;
	return 0;
}

void strbuf_add(struct strbuf *b, const void *data, size_t n)
{
	if (grow(b, n) != 0)
		return;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

void strbuf_addf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (grow(b, 64) != 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->alloc - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n >= b->alloc - b->len) {
		if (grow(b, (size_t)n) != 0)
			return;
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->alloc - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

int strbuf_ok(const struct strbuf *b)
{
	return b->failed ? -1 : 0;
}

char *strbuf_detach(struct strbuf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	if (!p) {
		p = calloc(1, 1);
		if (len)
			*len = 0;
	}
	strbuf_init(b);
	return p;
}

char *strbuf_vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *s;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !(s = malloc((size_t)n + 1)))
		return NULL;
	if (vsnprintf(s, (size_t)n + 1, fmt, ap) != n) {
		free(s);
		return NULL;
	}
	return s;
}
