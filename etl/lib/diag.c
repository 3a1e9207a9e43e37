#include "diag.h"
#include "growarray.h"

#include "quote.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *dup_string(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

/*
 * One printable line: a newline, carriage return or tab from libxml2 or the input becomes a
 * space, and every other control character (C0, DEL, and C1 written in UTF-8) becomes '?', so
 * that nothing in a message can move the cursor, colour a terminal or forge a line.
 */
static void make_printable(char *msg)
{
	unsigned char *w = (unsigned char *)msg;

	for (const unsigned char *c = (const unsigned char *)msg; *c;) {
		size_t n;
		if (*c == '\n' || *c == '\r' || *c == '\t') {
			*w++ = ' ';
			c++;
		} else if (*c < 0x80) {
			*w++ = *c < 0x20 || *c == 0x7f ? '?' : *c;
			c++;
		} else if ((n = quote_visible_len((const char *)c)) > 0) {
			memmove(w, c, n); /* a letter ('ô'), kept whole */
			w += n;
			c += n;
		} else {
			/* a C1 control, text from a file that would reorder or hide the line (U+202E
			   in an attribute value): one '?' a character; a byte that is not UTF-8 (a
			   lone 0x9B, the 8-bit CSI that starts a terminal's colour sequence: QA) one
			   a byte */
			n = quote_hidden_len((const char *)c);
			*w++ = '?';
			c += n ? n : 1;
		}
	}
	*w = '\0';
}

static int add(struct diag_list *l, const char *file, long line, const char *rule,
	       enum diag_severity sev, int errnum, const char *fmt, va_list ap)
	__attribute__((format(printf, 7, 0)));

/* The index of file in l->files, or SIZE_MAX: the last one used first (a file's diagnostics
 * mostly come together), then from the newest back. */
static size_t find_file(struct diag_list *l, const char *file)
{
	if (l->nfiles && strcmp(l->files[l->nfiles - 1].name, file) == 0)
		return l->nfiles - 1;
	for (size_t k = l->nfiles; k-- > 0;)
		if (strcmp(l->files[k].name, file) == 0)
			return k;
	return SIZE_MAX;
}

/*
 * Whether a diagnostic of file is to be kept (a list without a keep: per file, diag.h); counts
 * it for its file. *k receives its file's index, SIZE_MAX for a file not named yet (to be
 * added when it is kept).
 */
static int to_keep(struct diag_list *l, const char *file, enum diag_severity sev, size_t *k)
{
	struct diag_file *f;

	*k = find_file(l, file);
	if (*k == SIZE_MAX)
		return l->nfiles < DIAG_KEEP_FILES;
	f = &l->files[*k];
	if (sev == DIAG_ERROR)
		f->errors++;
	else
		f->warnings++;
	if (f->kept >= DIAG_KEEP || l->count >= DIAG_KEEP_TOTAL) {
		f->dropped++;
		return 0;
	}
	return 1;
}

/* Adds file to l->files (its name: the kept diagnostic's copy). -1 when out of memory. */
static int add_file(struct diag_list *l, const char *name, enum diag_severity sev)
{
	struct diag_file *f;

	if (grow_array((void **)&l->files, &l->files_alloc, l->nfiles + 1, sizeof *l->files))
		return -1;
	f = &l->files[l->nfiles++];
	f->name = name;
	f->kept = f->dropped = 0;
	f->max_line = 0;
	f->errors = sev == DIAG_ERROR;
	f->warnings = sev != DIAG_ERROR;
	return 0;
}

/* The most bytes of one message: two names quoted at their longest (a name of 255 control
   bytes is 1,020 escaped) and the words around them fit; past it the message is cut. */
#define DIAG_MESSAGE_MAX 8191

/* The message of fmt as one printable line without spaces at its end (malloc'd, the caller
   frees), or NULL out of memory. It was cut at 511 bytes, inside a quoted name's escapes,
   leaving the name unclosed and the rest of the message gone (QA). */
static char *format_message(const char *fmt, va_list ap)
{
	char *msg = strbuf_vformat(fmt, ap);

	if (!msg)
		return NULL;
	if (strlen(msg) > DIAG_MESSAGE_MAX)
		msg[DIAG_MESSAGE_MAX] = '\0';
	make_printable(msg);
	for (size_t k = strlen(msg); k > 0 && msg[k - 1] == ' '; k--)
		msg[k - 1] = '\0';
	return msg;
}

/* File k is full and a diagnostic before its last kept line comes: it takes the place of that
 * last one (the first kept at that line, from the end), which is then the one only counted. */
static int replace_last(struct diag_list *l, size_t k, long line, const char *rule,
			enum diag_severity sev, int errnum, const char *fmt, va_list ap)
{
	struct diag_file *f = &l->files[k];
	char *m;
	size_t at = SIZE_MAX;

	for (size_t i = l->count; i-- > 0;)
		if (l->items[i].file_index == k && l->items[i].line == f->max_line) {
			at = i;
			break;
		}
	if (at == SIZE_MAX)
		return 0;
	m = format_message(fmt, ap);
	if (!m)
		return -1;
	free(l->items[at].message);
	l->items[at].message = m; /* its file's name stays: the file may own it (struct diag_file) */
	l->items[at].line = line;
	snprintf(l->items[at].rule, sizeof l->items[at].rule, "%s", rule);
	l->items[at].severity = sev;
	l->items[at].errnum = errnum;
	f->max_line = line;
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].file_index == k && l->items[i].line > f->max_line)
			f->max_line = l->items[i].line;
	return 0;
}

static int add(struct diag_list *l, const char *file, long line, const char *rule,
	       enum diag_severity sev, int errnum, const char *fmt, va_list ap)
{
	struct diag *d;
	size_t k = SIZE_MAX;

	if (!file)
		file = "-";
	/* counted first: even one that cannot be kept (over the caps, or out of memory) counts */
	if (sev == DIAG_ERROR && errnum && !l->errnum)
		l->errnum = errnum;
	if (sev == DIAG_ERROR)
		l->errors++;
	else
		l->warnings++;
	if (l->keep ? l->count >= l->keep : !to_keep(l, file, sev, &k)) {
		l->dropped++;
		if (!l->keep && k == SIZE_MAX)
			l->unnamed++;
		else if (!l->keep && l->files[k].kept >= DIAG_KEEP && line < l->files[k].max_line)
			return replace_last(l, k, line, rule, sev, errnum, fmt, ap);
		return 0;
	}
	if (grow_array((void **)&l->items, &l->alloc, l->count + 1, sizeof *l->items))
		return -1;
	d = &l->items[l->count];
	d->file = dup_string(file);
	d->message = format_message(fmt, ap);
	if (!d->file || !d->message) {
		free(d->file);
		free(d->message);
		return -1;
	}
	if (!l->keep && k == SIZE_MAX) {
		if (add_file(l, d->file, sev) != 0) {
			free(d->file);
			free(d->message);
			return -1;
		}
		k = l->nfiles - 1;
	}
	if (!l->keep) {
		l->files[k].kept++;
		if (line > l->files[k].max_line)
			l->files[k].max_line = line;
	}
	d->file_index = l->keep ? SIZE_MAX : k;
	d->line = line;
	snprintf(d->rule, sizeof d->rule, "%s", rule);
	d->severity = sev;
	d->errnum = errnum;
	l->count++;
	return 0;
}

int diag_add(struct diag_list *l, const char *file, long line, const char *rule,
	     enum diag_severity sev, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = add(l, file, line, rule, sev, 0, fmt, ap);
	va_end(ap);
	return r;
}

int diag_add_errno(struct diag_list *l, const char *file, const char *rule, int errnum,
		   const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = add(l, file, 0, rule, DIAG_ERROR, errnum, fmt, ap);
	va_end(ap);
	return r;
}

int diag_errnum(const struct diag_list *l)
{
	return l->errnum;
}

int diag_has_error_at(const struct diag_list *l, long line)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].line == line && l->items[i].severity == DIAG_ERROR)
			return 1;
	return 0;
}

void diag_sort(struct diag_list *l)
{
	/* insertion sort: stable, and a file has few diagnostics */
	for (size_t i = 1; i < l->count; i++) {
		struct diag d = l->items[i];
		size_t j = i;
		while (j > 0 && (l->items[j - 1].line > d.line ||
				 (l->items[j - 1].line == d.line &&
				  strcmp(l->items[j - 1].rule, d.rule) > 0))) {
			l->items[j] = l->items[j - 1];
			j--;
		}
		l->items[j] = d;
	}
}

void diag_format(struct strbuf *out, const struct diag *d)
{
	quote_name(out, d->file);
	strbuf_addf(out, ":%ld: %s[%s]: %s", d->line, d->severity == DIAG_ERROR ? "error" : "warning",
		    d->rule, d->message);
}

static void print_one(const struct diag *d, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;

	diag_format(&sb, d);
	if (strbuf_ok(&sb) == 0)
		fprintf(out, "%.*s\n", (int)sb.len, sb.data);
	strbuf_release(&sb);
}

static void print_more(FILE *out, const char *name, size_t dropped, size_t errors,
		       size_t warnings)
{
	char file[1024];

	fprintf(out, "%s: and %zu more not shown (%zu error%s, %zu warning%s in all)\n",
		quote_name_buf(file, sizeof file, name), dropped, errors, errors == 1 ? "" : "s",
		warnings, warnings == 1 ? "" : "s");
}

void diag_print(const struct diag_list *l, FILE *out)
{
	size_t *last = NULL; /* per file: 1 + the index of its last diagnostic, in the list's order */

	if (l->keep) {
		for (size_t i = 0; i < l->count; i++)
			print_one(&l->items[i], out);
		if (l->dropped && l->count)
			print_more(out, l->items[l->count - 1].file, l->dropped, l->errors,
				   l->warnings);
		return;
	}
	if (l->nfiles)
		last = calloc(l->nfiles, sizeof *last);
	if (last)
		for (size_t i = 0; i < l->count; i++)
			last[l->items[i].file_index] = i + 1;
	for (size_t i = 0; i < l->count; i++) {
		const struct diag_file *f = &l->files[l->items[i].file_index];
		print_one(&l->items[i], out);
		if (last && last[l->items[i].file_index] == i + 1 && f->dropped)
			print_more(out, f->name, f->dropped, f->errors, f->warnings);
	}
	for (size_t k = 0; !last && k < l->nfiles; k++) /* out of memory: at the end */
		if (l->files[k].dropped)
			print_more(out, l->files[k].name, l->files[k].dropped, l->files[k].errors,
				   l->files[k].warnings);
	if (l->unnamed)
		fprintf(out, "and %zu more not shown, of files past the first %d named (%zu error%s, %zu warning%s in all)\n",
			l->unnamed, DIAG_KEEP_FILES, l->errors, l->errors == 1 ? "" : "s",
			l->warnings, l->warnings == 1 ? "" : "s");
	free(last);
}

void diag_clear(struct diag_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].file);
		free(l->items[i].message);
	}
	free(l->items);
	free(l->files);
	l->items = NULL;
	l->files = NULL;
	l->count = l->alloc = l->errors = l->warnings = l->dropped = 0;
	l->nfiles = l->files_alloc = l->unnamed = 0;
	l->errnum = 0;
}

void diag_quote(char *dst, size_t dstsize, const char *s, size_t max)
{
	size_t i = 0, o = 0;

	if (dstsize == 0)
		return;
	while (s[i] && i < max && o + 1 < dstsize) {
		/* a letter outside ASCII stays readable (a Welsh name's 'ô'), whole or not at all */
		size_t n = (unsigned char)s[i] >= 0x80 ? quote_visible_len(s + i) : 0;
		size_t h = (unsigned char)s[i] >= 0x80 ? quote_hidden_len(s + i) : 0;
		if (n > 1 && i + n <= max && o + n < dstsize) {
			memcpy(dst + o, s + i, n);
			o += n;
			i += n;
			continue;
		}
		if (n > 1)
			break; /* cut before the letter, not inside it (QA: '...9?...') */
		if (h > 1) { /* a whole control or bidirectional character: one '?' */
			dst[o++] = '?';
			i += h;
			continue;
		}
		unsigned char c = (unsigned char)s[i];
		dst[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
		i++;
	}
	if (s[i] && o + 4 < dstsize) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
}

const char *diag_quote_arg(char *dst, size_t dstsize, const char *s, size_t max)
{
	char t[128];

	if (quote_needed(s))
		return quote_name_buf(dst, dstsize, s);
	diag_quote(t, sizeof t, s, max);
	snprintf(dst, dstsize, "'%.*s'", dstsize > 3 ? (int)(dstsize - 3) : 0, t);
	return dst;
}
