#include "publish_release.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "isodate.h"
#include "quote.h"

static const char *const months[] = { "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December" };

void publish_release_init(struct publish_release *r)
{
	memset(r, 0, sizeof *r);
}

/* 0 Sunday .. 6 Saturday (Sakamoto). */
static int weekday(int y, int m, int d)
{
	static const int t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	if (m < 3)
		y--;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

static int last_thursday_of_october(int y)
{
	int d = 31;
	while (weekday(y, 10, d) != 4)
		d--;
	return d;
}

/* YYYY-10-DD, the last Thursday of October of y (1991 .. 9999: it fits; "" if not). */
static void october_date(char *buf, size_t size, int y)
{
	int n = snprintf(buf, size, "%04d-10-%02d", y, last_thursday_of_october(y));

	if (n < 0 || (size_t)n >= size)
		buf[0] = '\0';
}

void publish_release_fill(struct publish_release *r, const char *period)
{
	int y = period ? dataset_period_year(period) + 1 : 0;

	if (y <= 0)
		y = 2000;
	if (!r->date) {
		october_date(r->date_buf, sizeof r->date_buf, y);
		r->date = r->date_buf;
	}
	if (!r->next) {
		october_date(r->next_buf, sizeof r->next_buf, y + 1);
		r->next = r->next_buf;
	}
	if (!r->producer)
		r->producer = "National MAPPA statistics team";
	if (!r->contact)
		r->contact = "National MAPPA statistics team";
	if (!r->email)
		r->email = "mappa.statistics@example.org";
	if (!r->phone)
		r->phone = "020 7946 0000";
	if (!r->methodology)
		r->methodology = "https://example.org/mappa/methodology";
}

/* Parses "YYYY-MM-DD" (need_day) or also "YYYY-MM"; returns yyyymmdd (day 0 for a month), or -1. */
static long parse_date(const char *s, int need_day)
{
	size_t n = strlen(s);
	int y, m, d = 0;

	if (n != 10 && (n != 7 || need_day))
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -1;
	/* all digits checked above: strtol cannot fail here */
	y = (int)strtol(s, NULL, 10);
	m = (int)strtol(s + 5, NULL, 10);
	if (n == 10)
		d = (int)strtol(s + 8, NULL, 10);
	/* a day that exists: the calendar check the returns' dates have (isodate) */
	if (y < 1991 || y > 9999 || m < 1 || m > 12 || (n == 10 && isodate_parse(s, NULL, NULL, NULL)))
		return -1;
	return (long)y * 10000 + (long)m * 100 + d;
}

/* The length of the valid UTF-8 sequence at p and its code point in *cp, or 0 (RFC 3629: no
   overlong form, no surrogate, nothing above U+10FFFF). */
static size_t utf8_char(const unsigned char *p, unsigned long *cp)
{
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, *cp = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, *cp = p[0] & 0x0fu, lo = p[0] == 0xe0 ? 0xa0 : 0x80, hi = p[0] == 0xed ? 0x9f : 0xbf;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, *cp = p[0] & 0x07u, lo = p[0] == 0xf0 ? 0x90 : 0x80, hi = p[0] == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	for (size_t k = 1; k < n; k++) {
		if (p[k] < (k == 1 ? lo : 0x80) || p[k] > (k == 1 ? hi : 0xbf))
			return 0;
		*cp = *cp << 6 | (p[k] & 0x3fu);
	}
	return n;
}

/*
 * Why s cannot stand as one line of text on every page (HTML, text, the workbook's XML), or
 * NULL: 1 to 200 characters, not only spaces (not bytes: a Welsh name of 101 letters with accents is 202
 * bytes), valid UTF-8 (a byte 0xFF made the workbook's XML not well-formed, and the bundle was
 * published), no control character (C0, DEL, C1: U+0085 is a line end), and no character that
 * hides, reorders or breaks text (quote.h: U+202E would reverse what follows it on the page,
 * U+2028 break the line).
 */
static const char *text_problem(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0, blank = 0;

	while (*p) {
		unsigned long cp;
		size_t n = utf8_char(p, &cp);
		if (n == 0)
			return "not UTF-8 text";
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return "1 to 200 characters on one line";
		if (quote_hidden_len((const char *)p))
			return "a character that hides, reorders or breaks text (such as U+200B, "
			       "U+202E or U+2028) is not allowed";
		/* spaces (U+0020, U+00A0 no-break, U+3000 ideographic, and Unicode's other
		   White_Space: QA, --producer of U+2002 en spaces was taken) and the blank
		   Braille pattern U+2800 */
		blank += cp == 0x20 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
			 cp == 0x202f || cp == 0x205f || cp == 0x3000 || cp == 0x2800;
		p += n;
		chars++;
	}
	/* spaces only name no one (QA: --producer '   ' was accepted) */
	if (chars && blank == chars)
		return "1 to 200 characters on one line, not only spaces";
	return chars == 0 || chars > 200 ? "1 to 200 characters on one line" : NULL;
}

static int text_ok(const char *s)
{
	return text_problem(s) == NULL;
}

static int email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	const char *dot;
	if (!at || at == s || strchr(at + 1, '@'))
		return 0;
	dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0')
		return 0;
	/* every label of the domain: 'a@b..c' and 'a@.b.c' were taken (QA) */
	if (at[1] == '.' || strstr(at + 1, ".."))
		return 0;
	/* nor what a mailto: link would read as more than an address ('?subject=..&body=..'
	   added mail headers to the pages' link) */
	for (; *s; s++)
		if (strchr(" <>\",;?&#%/\\:()[]", *s))
			return 0;
	return 1;
}

static int phone_ok(const char *s)
{
	int digits = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" +()-", *s))
			return 0;
	}
	return digits >= 6 && digits <= 15;
}

static int url_ok(const char *s)
{
	const char *host;

	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return 0;
	/* a host: "http://" alone and "https:///etc/passwd" were published as the methodology
	   link, which leads nowhere (QA) */
	if (!isalnum((unsigned char)*host) && *host != '[')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '"' || *s == '<' || *s == '>' || *s == 0x7f)
			return 0;
	return 1;
}

int publish_release_check_period(const struct publish_release *r, const char *period,
				 const char *file, long line, struct diag_list *d)
{
	long date, end;
	int y2;
	char q[80];

	if (!r->date || !period || strlen(period) != 7 || (date = parse_date(r->date, 1)) < 0)
		return 0;
	y2 = (int)strtol(period, NULL, 10) + 1;
	end = (long)y2 * 10000 + 331;
	if (date > end)
		return 0;
	diag_add(d, file ? file : "-", line, "L04", DIAG_ERROR,
		 "release date %s is not after the end of the period %s (31 March %d): a "
		 "publication comes out after the year it counts",
		 quote_arg_buf(q, 48, r->date), period, y2);
	return -1;
}

enum publish_release_field publish_release_check_dates(const struct publish_release *r,
							 const char *period, const char *file,
							 const struct publish_release_lines *lines,
							 struct diag_list *d)
{
	static const struct publish_release_lines none;
	const struct publish_release_lines *at = lines ? lines : &none;
	struct publish_release def;
	long date, next;
	char q[80], q2[80];

	if (!file)
		file = "-";
	if (publish_release_check_period(r, period, file, at->date, d) != 0)
		return PUBLISH_RELEASE_FIELD_DATE;
	/* one date given alone: the other is the default the bundle will print */
	if (!period || strlen(period) != 7 || !r->date == !r->next)
		return PUBLISH_RELEASE_FIELD_NONE;
	publish_release_init(&def);
	def.date = r->date;
	def.next = r->next;
	publish_release_fill(&def, period);
	if ((date = parse_date(def.date, 1)) < 0 || (next = parse_date(def.next, 0)) < 0 ||
	    (next % 100 ? next > date : next / 100 > date / 100))
		return PUBLISH_RELEASE_FIELD_NONE;
	if (r->next) {
		diag_add(d, file, at->next, "L04", DIAG_ERROR,
			 "next release %s is not after the release date %s, the default for %s "
			 "(no release date given)",
			 quote_arg_buf(q, 48, r->next), quote_arg_buf(q2, 48, def.date), period);
		return PUBLISH_RELEASE_FIELD_NEXT;
	}
	diag_add(d, file, at->date, "L04", DIAG_ERROR,
		 "release date %s is not before the next release %s, the default for %s "
		 "(no next release given)",
		 quote_arg_buf(q, 48, r->date), quote_arg_buf(q2, 48, def.next), period);
	return PUBLISH_RELEASE_FIELD_DATE;
}

enum publish_release_field publish_release_check(const struct publish_release *r,
						   const char *file,
						   const struct publish_release_lines *lines,
						   struct diag_list *d)
{
	static const struct publish_release_lines none;
	const struct publish_release_lines *at = lines ? lines : &none;
	long date = 0, next;
	char q[80], q2[80];	/* a value in a message, quoted as quote.h quotes a name */

	if (!file)
		file = "-";
	if (r->date && (date = parse_date(r->date, 1)) < 0) {
		diag_add(d, file, at->date, "L04", DIAG_ERROR,
			 "release date %s is not a date like 2023-10-26",
			 quote_arg_buf(q, 48, r->date));
		return PUBLISH_RELEASE_FIELD_DATE;
	}
	if (r->next) {
		next = parse_date(r->next, 0);
		if (next < 0) {
			diag_add(d, file, at->next, "L04", DIAG_ERROR,
				 "next release %s is not a date like 2024-10-31 or a month like 2024-10",
				 quote_arg_buf(q, 48, r->next));
			return PUBLISH_RELEASE_FIELD_NEXT;
		}
		if (r->date && (next % 100 ? next <= date : next / 100 <= date / 100)) {
			diag_add(d, file, at->next, "L04", DIAG_ERROR,
				 "next release %s is not after the release date %s",
				 quote_arg_buf(q, 48, r->next), quote_arg_buf(q2, 48, r->date));
			return PUBLISH_RELEASE_FIELD_NEXT;
		}
	}
	if (r->producer && !text_ok(r->producer)) {
		diag_add(d, file, at->producer, "L04", DIAG_ERROR, "producer: %s",
			 text_problem(r->producer));
		return PUBLISH_RELEASE_FIELD_PRODUCER;
	}
	if (r->contact && !text_ok(r->contact)) {
		diag_add(d, file, at->contact, "L04", DIAG_ERROR, "contact: %s",
			 text_problem(r->contact));
		return PUBLISH_RELEASE_FIELD_CONTACT;
	}
	if (r->email && (!text_ok(r->email) || !email_ok(r->email))) {
		diag_add(d, file, at->email, "L04", DIAG_ERROR,
			 "email %s is not an address like name@example.org",
			 quote_arg_buf(q, sizeof q, r->email));
		return PUBLISH_RELEASE_FIELD_EMAIL;
	}
	if (r->phone && !phone_ok(r->phone)) {
		diag_add(d, file, at->phone, "L04", DIAG_ERROR,
			 "phone %s: digits, spaces and + ( ) - only, 6 to 15 digits",
			 quote_arg_buf(q, 48, r->phone));
		return PUBLISH_RELEASE_FIELD_PHONE;
	}
	/* a link too long for the pages is said to be too long, not to be no address (QA: one
	   of 201 characters was "not an http:// or https:// address") */
	if (r->methodology && quote_text_chars(r->methodology) > 200) {
		diag_add(d, file, at->methodology, "L04", DIAG_ERROR,
			 "methodology %s is too long: %zu characters, at most 200",
			 quote_arg_buf(q, 48, r->methodology), quote_text_chars(r->methodology));
		return PUBLISH_RELEASE_FIELD_METHODOLOGY;
	}
	if (r->methodology && (!text_ok(r->methodology) || !url_ok(r->methodology))) {
		diag_add(d, file, at->methodology, "L04", DIAG_ERROR,
			 "methodology %s is not an http:// or https:// address",
			 quote_arg_buf(q, sizeof q, r->methodology));
		return PUBLISH_RELEASE_FIELD_METHODOLOGY;
	}
	return PUBLISH_RELEASE_FIELD_NONE;
}

int publish_release_validate(const struct publish_release *r, const char *file,
			     const struct publish_release_lines *lines, struct diag_list *d)
{
	return publish_release_check(r, file, lines, d) == PUBLISH_RELEASE_FIELD_NONE ? 0 : -1;
}

const char *publish_release_option_name(enum publish_release_field f)
{
	switch (f) {
	case PUBLISH_RELEASE_FIELD_DATE: return "--release-date";
	case PUBLISH_RELEASE_FIELD_NEXT: return "--next-release";
	case PUBLISH_RELEASE_FIELD_PRODUCER: return "--producer";
	case PUBLISH_RELEASE_FIELD_CONTACT: return "--contact";
	case PUBLISH_RELEASE_FIELD_EMAIL: return "--email";
	case PUBLISH_RELEASE_FIELD_PHONE: return "--phone";
	case PUBLISH_RELEASE_FIELD_METHODOLOGY: return "--methodology";
	case PUBLISH_RELEASE_FIELD_NONE: break;
	}
	return NULL;
}

const char *publish_release_date_text(const char *iso, char *buf, size_t size)
{
	long v = iso ? parse_date(iso, 0) : -1;
	long day = v > 0 ? v % 100 : 0, month = v > 0 ? v / 100 % 100 : 0, year = v > 0 ? v / 10000 : 0;

	if (month < 1 || month > 12)
		snprintf(buf, size, "%s", iso ? iso : "");
	else if (day)
		snprintf(buf, size, "%ld %s %ld", day, months[month - 1], year);
	else
		snprintf(buf, size, "%s %ld", months[month - 1], year);
	return buf;
}

int publish_release_date_iso(const char *text, size_t len, char *iso, size_t size)
{
	char back[40];
	size_t i = 0, m0, mlen;
	int day = 0, year = 0, m = -1;

	if (size)
		iso[0] = '\0';
	if (size < 11 || len == 0 || len >= sizeof back)
		return -1;
	/* D or DD, one space, the month's name, one space, YYYY, nothing more */
	while (i < len && i < 2 && isdigit((unsigned char)text[i]))
		day = day * 10 + (text[i++] - '0');
	if (i == 0 || text[0] == '0' || i >= len || text[i++] != ' ')
		return -1;
	m0 = i;
	while (i < len && isalpha((unsigned char)text[i]))
		i++;
	mlen = i - m0;
	if (i >= len || text[i++] != ' ' || len - i != 4)
		return -1;
	for (; i < len; i++) {
		if (!isdigit((unsigned char)text[i]))
			return -1;
		year = year * 10 + (text[i] - '0');
	}
	for (int k = 0; k < 12; k++)
		if (strlen(months[k]) == mlen && memcmp(text + m0, months[k], mlen) == 0)
			m = k + 1;
	if (m < 0)
		return -1;
	snprintf(iso, size, "%04d-%02d-%02d", year, m, day);
	/* a real day, that this module writes so ("1 May 2023": no leading 0, a year after 1990) */
	if (parse_date(iso, 1) <= 0 ||
	    strlen(publish_release_date_text(iso, back, sizeof back)) != len ||
	    memcmp(back, text, len) != 0) {
		iso[0] = '\0';
		return -1;
	}
	return 0;
}

void publish_release_resolve(struct publish_release *r, const struct publish_release *rel,
			     const char *period)
{
	if (rel)
		*r = *rel;
	else
		publish_release_init(r);
	if (rel && rel->date == rel->date_buf)
		r->date = r->date_buf;
	if (rel && rel->next == rel->next_buf)
		r->next = r->next_buf;
	publish_release_fill(r, period);
}

void publish_release_items(const struct publish_release *r, struct publish_release_item *it)
{
	char d[40], n[40];
	memset(it, 0, PUBLISH_RELEASE_ITEMS * sizeof *it);
	publish_release_date_text(r->date, d, sizeof d);
	publish_release_date_text(r->next, n, sizeof n);
	it[0].label = "Release date";
	snprintf(it[0].value, sizeof it[0].value, "%s", d);
	it[1].label = "Next release";
	snprintf(it[1].value, sizeof it[1].value, "%s (provisional)", n);
	it[2].label = "Producer";
	snprintf(it[2].value, sizeof it[2].value, "%s", r->producer);
	it[3].label = "Source";
	snprintf(it[3].value, sizeof it[3].value, "The yearly statistical returns of the MAPPA areas of England and Wales");
	it[4].label = "Contact";
	snprintf(it[4].value, sizeof it[4].value, "%s", r->contact);
	it[5].label = "Email";
	snprintf(it[5].value, sizeof it[5].value, "%s", r->email);
	snprintf(it[5].href, sizeof it[5].href, "mailto:%s", r->email);
	it[6].label = "Telephone";
	snprintf(it[6].value, sizeof it[6].value, "%s", r->phone);
	it[7].label = "Methodology";
	snprintf(it[7].value, sizeof it[7].value, "%s", r->methodology);
	snprintf(it[7].href, sizeof it[7].href, "%s", r->methodology);
	it[8].label = "Licence";
	snprintf(it[8].value, sizeof it[8].value, "%s", PUBLISH_LICENCE);
	snprintf(it[8].href, sizeof it[8].href, "%s", PUBLISH_LICENCE_URL);
}
