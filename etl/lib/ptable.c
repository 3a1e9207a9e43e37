#include "ptable.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void ptable_init(struct ptable *t, size_t ncols)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	if (ncols && !(t->head = calloc(ncols, sizeof *t->head)))
		t->failed = 1;
}

void ptable_release(struct ptable *t)
{
	if (!t)
		return;
	free(t->title);
	if (t->head)
		for (size_t c = 0; c < t->ncols; c++)
			free(t->head[c]);
	free(t->head);
	if (t->cells)
		for (size_t i = 0; i < t->nrows * t->ncols; i++)
			free(t->cells[i].text);
	free(t->cells);
	memset(t, 0, sizeof *t);
}

int ptable_ok(const struct ptable *t)
{
	return t->failed ? -1 : 0;
}

/* fmt formatted into *slot (the old string freed), or t failed. */
__attribute__((format(printf, 3, 0)))
static void set_formatted(struct ptable *t, char **slot, const char *fmt, va_list ap)
{
	char *s = strbuf_vformat(fmt, ap);

	if (!s) {
		t->failed = 1;
		return;
	}
	free(*slot);
	*slot = s;
}

void ptable_title(struct ptable *t, const char *fmt, ...)
{
	va_list ap;

	if (t->failed)
		return;
	va_start(ap, fmt);
	set_formatted(t, &t->title, fmt, ap);
	va_end(ap);
}

void ptable_head(struct ptable *t, size_t c, const char *fmt, ...)
{
	va_list ap;

	if (t->failed || c >= t->ncols)
		return;
	va_start(ap, fmt);
	set_formatted(t, &t->head[c], fmt, ap);
	va_end(ap);
}

const char *ptable_heading(const struct ptable *t, size_t c)
{
	return c < t->ncols && t->head && t->head[c] ? t->head[c] : "";
}

size_t ptable_add_row(struct ptable *t)
{
	size_t r = t->nrows;

	if (t->failed || t->ncols == 0)
		return r;
	if (t->nrows == t->alloc_rows) {
		size_t n = t->alloc_rows ? 2 * t->alloc_rows : 8;
		struct ptable_cell *p;
		if (n > ((size_t)-1) / sizeof *p / t->ncols ||
		    !(p = realloc(t->cells, n * t->ncols * sizeof *p))) {
			t->failed = 1;
			return r;
		}
		t->cells = p;
		t->alloc_rows = n;
	}
	memset(&t->cells[r * t->ncols], 0, t->ncols * sizeof *t->cells);
	t->nrows++;
	return r;
}

const struct ptable_cell *ptable_at(const struct ptable *t, size_t r, size_t c)
{
	return r < t->nrows && c < t->ncols ? &t->cells[r * t->ncols + c] : NULL;
}

const char *ptable_cell_text(const struct ptable_cell *cell)
{
	return cell && cell->kind != PTABLE_NUMBER && cell->text ? cell->text : "";
}

static struct ptable_cell *cell_of(struct ptable *t, size_t r, size_t c)
{
	if (t->failed || r >= t->nrows || c >= t->ncols)
		return NULL;
	return &t->cells[r * t->ncols + c];
}

static void set_string(struct ptable *t, size_t r, size_t c, enum ptable_kind kind, const char *s)
{
	struct ptable_cell *cell = cell_of(t, r, c);
	char *copy;

	if (!cell)
		return;
	if (!(copy = strdup(s ? s : ""))) {
		t->failed = 1;
		return;
	}
	free(cell->text);
	cell->kind = kind;
	cell->text = copy;
	cell->number = 0;
	cell->revised = 0;
}

void ptable_set_text(struct ptable *t, size_t r, size_t c, const char *s)
{
	set_string(t, r, c, PTABLE_TEXT, s);
}

void ptable_set_number(struct ptable *t, size_t r, size_t c, long long v, int revised)
{
	struct ptable_cell *cell = cell_of(t, r, c);

	if (!cell)
		return;
	free(cell->text);
	cell->text = NULL;
	cell->kind = PTABLE_NUMBER;
	cell->number = v;
	cell->revised = revised;
	if (revised && !t->failed)
		t->symbols |= 1u << PTABLE_REVISED;
}

void ptable_set_symbol(struct ptable *t, size_t r, size_t c, const char *symbol, unsigned status)
{
	set_string(t, r, c, PTABLE_SYMBOL, symbol);
	if (!t->failed && status < PTABLE_REVISED)
		t->symbols |= 1u << status;
}
