#include "csvout.h"

#include <string.h>

int csv_needs_quotes(const char *s)
{
	size_t n;

	if (!s || !*s)
		return 0;
	if (strpbrk(s, ",\"\r\n"))
		return 1;
	n = strlen(s);
	return s[0] == ' ' || s[n - 1] == ' ';
}

void csv_field(struct strbuf *b, const char *s)
{
	if (!s)
		return;
	if (!csv_needs_quotes(s)) {
		strbuf_puts(b, s);
		return;
	}
	strbuf_add(b, "\"", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			strbuf_add(b, "\"\"", 2);
		else
			strbuf_add(b, p, 1);
	}
	strbuf_add(b, "\"", 1);
}

void csv_row(struct strbuf *b, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_add(b, ",", 1);
		csv_field(b, fields[i]);
	}
	strbuf_add(b, "\r\n", 2);
}
