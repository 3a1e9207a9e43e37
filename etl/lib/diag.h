/*
 * diag: diagnostics as values, the one error value of the library. Library code never prints
 * and never leaves its reasons in errno or in a caller's char buffer: it appends diagnostics
 * that carry the file, the line, a stable rule id, a severity and a plain message (like
 * libxml2's xmlError), and, when a system call failed (a file that cannot be read or written),
 * its errno; the programs print them and derive their exit status from them (etl/fe/fe_main.h).
 */
#ifndef MAPPA_DIAG_H
#define MAPPA_DIAG_H

#include <stddef.h>
#include <stdio.h>

struct strbuf;

enum diag_severity { DIAG_WARNING, DIAG_ERROR };

struct diag {
	char *file;            /* owned */
	long line;             /* 1-based; 0 when no line applies */
	char rule[8];          /* stable id, e.g. "R08", "W01" */
	enum diag_severity severity;
	char *message;         /* owned, one line, no trailing newline */
	int errnum;            /* 0: a problem of the data; else the errno of the system call that
				  failed (the file could not be read, written or created) */
	size_t file_index;     /* its file in the list's files (a list without keep); else SIZE_MAX */
};

/*
 * What a list keeps (unless its keep says otherwise): at most DIAG_KEEP diagnostics of each file,
 * the rest of that file only counted (diag_print then says "FILE: and N more not shown" after
 * its last one), so that every file with a problem is named, however many others have more
 * (QA: 150 bad returns to mappa-merge showed 100 and blamed the 50 others on the 100th). The
 * A file over DIAG_KEEP keeps its lowest lines: one added later at a line before its last kept
 * one takes that one's place (QA: 150 R04 errors from line 61 on hid an R06 at line 57, found
 * after them). The
 * whole is bounded too: past DIAG_KEEP_TOTAL diagnostics in all, a file keeps only its first,
 * and past DIAG_KEEP_FILES files, one not named yet is only counted (with the files' names in
 * the list, about 3 MB at most).
 */
#define DIAG_KEEP 100
#define DIAG_KEEP_TOTAL 2000
#define DIAG_KEEP_FILES 10000

/* The files a list has kept diagnostics of, with what it counted of each. */
struct diag_file {
	const char *name;        /* the file of its first kept diagnostic (owned by that one) */
	size_t kept, dropped;    /* kept in the list, and only counted */
	size_t errors, warnings; /* all of them, kept or not */
	long max_line;           /* the largest line of its kept ones */
};

struct diag_list {
	struct diag *items;
	size_t count, alloc;
	size_t errors, warnings; /* all of them, kept or not */
	size_t dropped;          /* not kept: over a file's DIAG_KEEP, or the list's keep */
	int errnum;              /* the errno of the first error that carried one, kept or not */
	size_t keep;             /* 0: DIAG_KEEP a file, as above; else at most this many in all,
				    whatever their file (the old rule: mappa-run's checks/NNN.txt of
				    one file each, within one budget for the inbox) */
	struct diag_file *files; /* keep 0: the files named, in order of their first diagnostic */
	size_t nfiles, files_alloc;
	size_t unnamed;          /* dropped of files past DIAG_KEEP_FILES, never named */
};

#define DIAG_LIST_INIT { NULL, 0, 0, 0, 0, 0, 0, 0, NULL, 0, 0, 0 }

/*
 * Appends a diagnostic; message is printf-formatted, and made one printable line. Past
 * DIAG_KEEP diagnostics, one is only counted (errors or warnings, and dropped). Returns 0, or -1
 * when out of memory (the diagnostic is still counted in errors or warnings).
 */
int diag_add(struct diag_list *l, const char *file, long line, const char *rule,
	     enum diag_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * Appends an error (line 0: a file as a whole) that a failed system call caused, keeping its
 * errno (errnum, not 0) for the exit status; the message says what failed and why, e.g.
 * "cannot read: not a regular file". Returns as diag_add does.
 */
int diag_add_errno(struct diag_list *l, const char *file, const char *rule, int errnum,
		   const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* The errno of the first error added to l that carried one (diag_add_errno), or 0: kept even
 * when the diagnostic itself was not (over DIAG_KEEP, out of memory). */
int diag_errnum(const struct diag_list *l);

/* Whether an error (not a warning) was already reported at this line. */
int diag_has_error_at(const struct diag_list *l, long line);

/* Sorts by line, then by rule id, keeping the order of equal keys. */
void diag_sort(struct diag_list *l);

/*
 * Appends one diagnostic as "file:line: error[RULE]: message" (no newline) to out, the file
 * name quoted as quote.h says: the one format of a diagnostic, for every program and report.
 */
void diag_format(struct strbuf *out, const struct diag *d);

/* Prints each as diag_format does, one a line; after the last one of a file that had some
 * dropped, "FILE: and N more not shown (E errors, W warnings in all)", E and W that file's; with
 * a keep, one such line at the end, of the whole list and after its last file. */
void diag_print(const struct diag_list *l, FILE *out);

/* Frees the items; the list is empty and reusable afterwards. */
void diag_clear(struct diag_list *l);

/*
 * Copies at most max bytes of s into a printable form: control characters, bytes that are not
 * valid UTF-8 and characters that hide or reorder text (quote.h) become '?' (one for a whole character), letters outside
 * ASCII stay as they are, and a longer string is cut (at a whole character) and ends in "...".
 * For quoting untrusted input in messages.
 */
void diag_quote(char *dst, size_t dstsize, const char *s, size_t max);

/*
 * Text of a file inside a message, into dst (dstsize bytes): 'text' in single quotes, cut as
 * diag_quote cuts at max bytes; or, when it holds what cannot be seen (a control character, a
 * no-break space, a zero-width character, a byte that is not UTF-8), its C-quoted form as
 * quote_name_buf writes it ("6\302\240669", "1\r"), cut at dstsize. Shown with '?' or as it
 * was, such text looked like a plain space (a CR of a CR LF line end, a U+00A0 in a count).
 * Returns dst.
 */
const char *diag_quote_arg(char *dst, size_t dstsize, const char *s, size_t max);

#endif
