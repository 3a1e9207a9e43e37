#include "htmlesc.h"

#include <string.h>

void htmlesc_append(struct strbuf *out, const char *s)
{
	if (!s)
		return;
	while (*s) {
		/* copy the run of bytes that need nothing at once */
		size_t n = strcspn(s, "&<>\"'");
		strbuf_add(out, s, n);
		s += n;
		switch (*s) {
		case '&': strbuf_puts(out, "&amp;"); break;
		case '<': strbuf_puts(out, "&lt;"); break;
		case '>': strbuf_puts(out, "&gt;"); break;
		case '"': strbuf_puts(out, "&quot;"); break;
		case '\'': strbuf_puts(out, "&#39;"); break;
		default: return;
		}
		s++;
	}
}
