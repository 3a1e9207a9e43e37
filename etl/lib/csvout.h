/*
 * csvout: RFC 4180 CSV output. Lines end in CRLF; a field is quoted when it holds a comma, a
 * double quote, a CR or an LF (or starts or ends with a space), and a quote inside is doubled.
 */
#ifndef MAPPA_CSVOUT_H
#define MAPPA_CSVOUT_H

#include <stddef.h>

#include "strbuf.h"

/* Whether s needs quoting. */
int csv_needs_quotes(const char *s);
/* Appends one field (NULL is an empty field), quoted when needed, with no separator. */
void csv_field(struct strbuf *b, const char *s);
/* Appends n fields separated by commas and ended by CRLF. */
void csv_row(struct strbuf *b, const char *const *fields, size_t n);

#endif
