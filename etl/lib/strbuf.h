/*
 * strbuf: a growable byte buffer with a size cap, for building published files in memory.
 * Appending never fails loudly: a failed allocation or the cap sets `failed`, later appends do
 * nothing, and the caller checks strbuf_ok() once at the end (curl-style single check).
 */
#ifndef MAPPA_STRBUF_H
#define MAPPA_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#define STRBUF_CAP ((size_t)256 << 20)

struct strbuf {
	char *data;     /* NUL-terminated when len > 0 (the NUL is not counted) */
	size_t len, alloc;
	int failed;
};

#define STRBUF_INIT { NULL, 0, 0, 0 }

void strbuf_init(struct strbuf *b);
/* Frees the bytes; b is empty and reusable. Accepts a zeroed or released buffer. */
void strbuf_release(struct strbuf *b);
void strbuf_add(struct strbuf *b, const void *data, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_addf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 0 when every append so far succeeded, -1 otherwise. */
int strbuf_ok(const struct strbuf *b);
/* Takes the bytes out: the caller owns *data (free()); b is empty afterwards. */
char *strbuf_detach(struct strbuf *b, size_t *len);

/*
 * fmt formatted with ap into a new string allocated to its length (any length: nothing is
 * cut, and STRBUF_CAP does not apply), or NULL when out of memory or fmt is bad. The caller
 * owns the result (free()). ap is used up, as by vsnprintf: va_end it, do not reuse it.
 */
char *strbuf_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
