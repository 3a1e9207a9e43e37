#include "quote.h"

#include <stdio.h>
#include <string.h>

/*
 * The length of the valid UTF-8 sequence at s (1-4), or 0 when the bytes there are not one
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). *cp gets the code
 * point.
 */
static size_t utf8_seq(const unsigned char *s, unsigned long *cp)
{
	unsigned long c;
	size_t n;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1fu;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0fu;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07u;
	} else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0u) != 0x80u)
			return 0;
		c = c << 6 | (s[i] & 0x3fu);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Code points printed as escapes although they are valid: controls, and what hides,
 * reorders or breaks text (zero-width characters, the bidirectional controls, the line and
 * paragraph separators, the soft hyphen, invisible operators, the byte order mark), and the
 * other characters Unicode makes invisible (Default_Ignorable_Code_Point but the variation
 * selectors U+FE00-U+FE0F of emoji) and the interlinear annotation controls: QA, a --producer
 * of U+3164 (Hangul filler) or U+034F alone was published as a blank name, and the tag
 * characters U+E0020-U+E007F carry ASCII text no reader sees. And Unicode's noncharacters
 * (U+FDD0-U+FDEF, and the last two of every plane, U+FFFE and U+FFFF on): never text, a
 * terminal shows each as it likes (QA: an inbox name with U+FFFE was printed raw). */
static int hidden(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0xad ||
	       cp == 0x34f || cp == 0x61c || cp == 0x115f || cp == 0x1160 ||
	       cp == 0x17b4 || cp == 0x17b5 || (cp >= 0x180b && cp <= 0x180f) ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0x3164 || cp == 0xfeff || cp == 0xffa0 ||
	       (cp >= 0xfff0 && cp <= 0xfffb) || (cp >= 0x1bca0 && cp <= 0x1bca3) ||
	       (cp >= 0x1d173 && cp <= 0x1d17a) || (cp >= 0xe0000 && cp <= 0xe0fff) ||
	       (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe ||
	       (cp >= 0x13430 && cp <= 0x1343f); /* Egyptian format controls (QA: raw in a name) */
}

/* The spaces but U+0020 (Unicode's Zs): shown as a space, so that names that differ by one
 * looked the same in a report ("E23000002.xml" beside "E23000002.xml" and U+00A0, QA). In a
 * name they are escaped (quote_needed); in text they are spaces. */
static int other_space(unsigned long cp)
{
	return cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f ||
	       cp == 0x205f || cp == 0x3000 || cp == 0x2800; /* and the braille blank (QA) */
}

/* A character that is escaped in a name, given the one before it (prev; 0 at the start): the
 * hidden ones, the other spaces, the quote and the backslash, and a variation selector
 * (U+FE00-U+FE0F) or a combining mark (U+0300-U+036F) on an ASCII character. Shown, these
 * make two names look alike: "E23000002.xml" and the same with U+FE0F after its '2', and
 * "caf\u00e9.xml" beside "cafe" and U+0301 (QA). On a letter that is not ASCII (an emoji's
 * selector, a mark on a Welsh letter) they are shown: that is text. */
static int name_escaped(unsigned long prev, unsigned long cp)
{
	return hidden(cp) || other_space(cp) || cp == '"' || cp == '\\' ||
	       (prev < 0x80 && ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x300 && cp <= 0x36f)));
}

int quote_text_plain(const char *s)
{
	size_t len = strlen(s), n;

	if (len && (s[0] == ' ' || s[len - 1] == ' '))
		return 0;
	for (; *s; s += n)
		if ((n = quote_visible_len(s)) == 0)
			return 0;
	return 1;
}

size_t quote_visible_len(const char *p)
{
	unsigned long cp;
	size_t n = utf8_seq((const unsigned char *)p, &cp);
	return n && !hidden(cp) ? n : 0;
}

size_t quote_hidden_len(const char *p)
{
	unsigned long cp;
	size_t n = utf8_seq((const unsigned char *)p, &cp);
	return n && hidden(cp) ? n : 0;
}

size_t quote_text_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0u) != 0x80u;
	return n;
}

/* Whether s, at a ':', begins ":DIGITS:": shown as it is, a name holding it reads as the
   FILE:LINE: of a diagnostic ("E23000002.xml:7: error[R11]: x" printed "...: valid", which a
   script matching FILE:LINE: error[RULE] took for an error; QA). That ':' is escaped (\072). */
static int colon_line(const unsigned char *s)
{
	size_t i = 1;

	if (s[0] != ':' || s[1] < '0' || s[1] > '9')
		return 0;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	return s[i] == ':';
}

/* quote_needed, with ":DIGITS:" a reason to quote when colons (a name), or not (a text). */
static int needed(const char *name, int colons)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t len;

	if (!name)
		return 0;
	/* a name that is empty, or begins or ends with a space, shows no edge: quoted */
	len = strlen(name);
	if (len == 0 || name[0] == ' ' || name[len - 1] == ' ')
		return 1;
	for (unsigned long prev = 0; *s;) {
		unsigned long cp;
		size_t n = utf8_seq(s, &cp);
		if (n == 0 || name_escaped(prev, cp) || (colons && colon_line(s)))
			return 1;
		prev = cp;
		s += n;
	}
	return 0;
}

int quote_needed(const char *name)
{
	return needed(name, 1);
}

/* The escape for byte c (a control byte, or any byte of a sequence that must not be shown). */
static void escape_byte(char out[5], unsigned char c)
{
	static const char named[] = "\a\b\t\n\v\f\r";
	static const char letter[] = "abtnvfr";
	const char *p = c ? strchr(named, c) : NULL;

	if (c == '"' || c == '\\')
		snprintf(out, 5, "\\%c", c);
	else if (p)
		snprintf(out, 5, "\\%c", letter[p - named]);
	else
		snprintf(out, 5, "\\%03o", c);
}

/* Calls put(piece, arg) for each piece of the quoted form of name (the quotes included). */
static void quote_pieces(const char *name, int colons, void (*put)(const char *, size_t, void *),
			 void *arg)
{
	const unsigned char *s = (const unsigned char *)name;
	unsigned long prev = 0;

	put("\"", 1, arg);
	while (*s) {
		unsigned long cp = 0;
		size_t n = utf8_seq(s, &cp);
		char esc[5];

		if (n == 0) {
			escape_byte(esc, *s);
			put(esc, strlen(esc), arg);
			s++;
			prev = 0xfffd; /* what a reader shows for the byte */
			continue;
		}
		if (name_escaped(prev, cp) || (colons && colon_line(s))) {
			for (size_t i = 0; i < n; i++) {
				escape_byte(esc, s[i]);
				put(esc, strlen(esc), arg);
			}
		} else
			put((const char *)s, n, arg);
		prev = cp;
		s += n;
	}
	put("\"", 1, arg);
}

static void put_strbuf(const char *piece, size_t n, void *arg)
{
	strbuf_add(arg, piece, n);
}

void quote_name(struct strbuf *out, const char *name)
{
	if (!name)
		strbuf_puts(out, "(null)");
	else if (!quote_needed(name))
		strbuf_puts(out, name);
	else
		quote_pieces(name, 1, put_strbuf, out);
}

struct bounded {
	char *dst;
	size_t size, len;
	int cut;
};

/* Whole pieces only, keeping room for "...\"" and the NUL. */
static void put_bounded(const char *piece, size_t n, void *arg)
{
	struct bounded *b = arg;

	if (b->cut)
		return;
	if (b->len + n + 5 > b->size) {
		b->cut = 1;
		return;
	}
	memcpy(b->dst + b->len, piece, n);
	b->len += n;
}

/* quote_name_buf, or quote_text_buf when colons is 0. */
static const char *name_buf(char *dst, size_t size, const char *name, int colons)
{
	struct bounded b = { dst, size, 0, 0 };

	if (size == 0)
		return dst;
	if (!name)
		name = "(null)";
	if (!needed(name, colons) && strlen(name) < size) {
		memcpy(dst, name, strlen(name) + 1);
		return dst;
	}
	if (size < 6) {
		dst[0] = '\0';
		return dst;
	}
	if (!needed(name, colons)) {
		/* plain but too long: cut at a character boundary */
		size_t n = size - 4;
		while (n > 0 && ((unsigned char)name[n] & 0xc0u) == 0x80u)
			n--;
		memcpy(dst, name, n);
		memcpy(dst + n, "...", 4);
		return dst;
	}
	quote_pieces(name, colons, put_bounded, &b);
	if (b.cut) {
		memcpy(dst + b.len, "...\"", 4);
		b.len += 4;
	}
	dst[b.len] = '\0';
	return dst;
}

const char *quote_name_buf(char *dst, size_t size, const char *name)
{
	return name_buf(dst, size, name, 1);
}

const char *quote_text_buf(char *dst, size_t size, const char *text)
{
	return name_buf(dst, size, text, 0);
}

const char *quote_arg_buf(char *dst, size_t size, const char *name)
{
	if (size < 8 || (name && quote_needed(name)) || !name)
		return quote_name_buf(dst, size, name);
	size_t n;
	dst[0] = '\'';
	n = strlen(quote_name_buf(dst + 1, size - 2, name)) + 1;
	dst[n] = '\'';
	dst[n + 1] = '\0';
	return dst;
}

long quote_unquote(const char *quoted, char *dst, size_t size)
{
	static const char letter[] = "abtnvfr\"\\", named[] = "\a\b\t\n\v\f\r\"\\";
	size_t len = strlen(quoted), n = 0;

	if (len < 2 || quoted[0] != '"' || quoted[len - 1] != '"' || size == 0)
		return -1;
	for (size_t i = 1; i < len - 1; i++) {
		unsigned char c = (unsigned char)quoted[i];
		if (c == '"')
			return -1; /* a quote inside is escaped */
		if (c == '\\') {
			const char *l;
			if (++i >= len - 1)
				return -1;
			if ((l = strchr(letter, quoted[i])) != NULL && quoted[i] != '\0') {
				c = (unsigned char)named[l - letter];
			} else if (i + 2 < len - 1 && quoted[i] >= '0' && quoted[i] <= '3' &&
				   quoted[i + 1] >= '0' && quoted[i + 1] <= '7' && quoted[i + 2] >= '0' &&
				   quoted[i + 2] <= '7') {
				c = (unsigned char)((quoted[i] - '0') << 6 | (quoted[i + 1] - '0') << 3 |
						    (quoted[i + 2] - '0'));
				i += 2;
				if (c == 0)
					return -1;
			} else
				return -1;
		}
		if (n + 1 >= size)
			return -1;
		dst[n++] = (char)c;
	}
	dst[n] = '\0';
	return (long)n;
}
