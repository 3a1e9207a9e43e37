/*
 * ptable: one table of the publication as every format shows it (CSV, plain text, HTML, the
 * workbook): a title, a heading per column, and rows of cells that hold text, a whole number
 * or a symbol ([c], [z], [x]). Every string is allocated to its length, so nothing is ever cut;
 * rows are added as needed. A failed allocation marks the table failed and later changes do
 * nothing: the writers check ptable_ok once, as with strbuf.
 *
 * Ownership: the table owns its title, headings and cell texts (copies of what it is given).
 * ptable_release frees them and accepts a zeroed or already released table.
 */
#ifndef MAPPA_PTABLE_H
#define MAPPA_PTABLE_H

#include <stddef.h>

enum ptable_kind { PTABLE_TEXT, PTABLE_NUMBER, PTABLE_SYMBOL };

struct ptable_cell {
	enum ptable_kind kind;
	char *text;             /* PTABLE_TEXT, PTABLE_SYMBOL: owned; NULL: empty */
	long long number;       /* PTABLE_NUMBER */
	int revised;            /* PTABLE_NUMBER: shown with " [r]" */
};

struct ptable {
	char *title;            /* owned; NULL: none */
	size_t ncols, nrows, alloc_rows;
	size_t row_headers;     /* leading columns that label the row */
	char **head;            /* ncols headings, owned; NULL: empty */
	struct ptable_cell *cells;      /* row-major, nrows * ncols */
	unsigned symbols;       /* bit s set: a symbol of status s is shown; bit
				   PTABLE_REVISED: a number marked [r] */
	int failed;
};

enum { PTABLE_REVISED = 31 }; /* the bit of ptable.symbols for [r] (statuses are below it) */

/* An empty table of ncols columns, no rows (t need not be initialised before). */
void ptable_init(struct ptable *t, size_t ncols);
void ptable_release(struct ptable *t);
/* 0 when every change succeeded, -1 after a failed allocation. */
int ptable_ok(const struct ptable *t);

/* The title and heading c, printf-formatted, allocated to their length. */
void ptable_title(struct ptable *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ptable_head(struct ptable *t, size_t c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Heading c, "" when none. */
const char *ptable_heading(const struct ptable *t, size_t c);

/* Appends an empty row (every cell empty text) and returns its index (on failure: the table is
 * failed and the index is still returned; setting its cells does nothing). */
size_t ptable_add_row(struct ptable *t);
/* Cell (r, c), or NULL outside the table. */
const struct ptable_cell *ptable_at(const struct ptable *t, size_t r, size_t c);
/* The cell's text: "" when it has none (and for a number). */
const char *ptable_cell_text(const struct ptable_cell *cell);

void ptable_set_text(struct ptable *t, size_t r, size_t c, const char *s);
void ptable_set_number(struct ptable *t, size_t r, size_t c, long long v, int revised);
/* A symbol for a cell of status (bit status of t->symbols is set; status < 32). */
void ptable_set_symbol(struct ptable *t, size_t r, size_t c, const char *symbol, unsigned status);

#endif
