/*
 * ods: a small OpenDocument spreadsheet writer. Sheets of rows of cells (text, links or whole
 * numbers, stored as numbers), four cell looks (plain, title, column header, symbol: text
 * aligned right like the numbers beside it), written as an ODF 1.2 package: `mimetype` first
 * and stored, then content.xml, styles.xml, meta.xml and META-INF/manifest.xml, all made with
 * libxml2's xmlTextWriter, packed by zipmem with a fixed time, so the same workbook gives the
 * same bytes. No merged cells, no formulas.
 *
 * A sheet may hold one table: its header row (ods_header_row) is marked as
 * table:table-header-rows, and the table (header row to last row) gets a named range. Column
 * widths come from the content of the rows with more than one cell (titles and one-cell
 * description rows overflow instead); long text in such rows wraps. Pages print on A4.
 */
#ifndef MAPPA_ODS_H
#define MAPPA_ODS_H

#include <stddef.h>

#include "diag.h"
#include "strbuf.h"
#include "zipmem.h"

#define ODS_MIMETYPE "application/vnd.oasis.opendocument.spreadsheet"

enum ods_kind { ODS_EMPTY, ODS_STRING, ODS_NUMBER };
enum ods_look { ODS_PLAIN, ODS_TITLE, ODS_HEADER, ODS_SYMBOL };

struct ods_cell {
	enum ods_kind kind;
	enum ods_look look;
	char *text;             /* ODS_STRING; owned */
	char *href;             /* ODS_STRING: a link ("#Sheet.A1", "mailto:..."), or NULL; owned */
	long long number;       /* ODS_NUMBER */
};

struct ods_row {
	size_t ncells, alloc;
	struct ods_cell *cells;
};

struct ods_sheet {
	char name[32];          /* at most 31 bytes, as spreadsheet programs allow */
	double first_width_cm;  /* width of column A; 0 (the default): from the content */
	int wrap;               /* plain text in column A wraps (a cover sheet) */
	size_t header_row;      /* 1 + the index of the table's header row; 0: no table */
	char range[40];         /* the table's named range, when header_row */
	size_t nrows, alloc;
	struct ods_row *rows;
};

struct ods {
	char title[256];
	char subject[256];
	size_t nsheets, alloc;
	struct ods_sheet *sheets;
	int failed;             /* an allocation failed: ods_write refuses */
};

void ods_init(struct ods *o, const char *title, const char *subject);
void ods_release(struct ods *o);

/* Appends a sheet and returns it (valid until the next ods_add_sheet), or NULL. */
struct ods_sheet *ods_add_sheet(struct ods *o, const char *name);
/* Starts a new row on the last sheet. */
void ods_row(struct ods *o);
/*
 * Starts the header row of the last sheet's table, whose named range is range_name (letters,
 * digits and '_', starting with a letter); the table runs from here to the sheet's last row
 * and is as wide as this row.
 */
void ods_header_row(struct ods *o, const char *range_name);
/* Append a cell to the last row of the last sheet. */
void ods_text(struct ods *o, const char *text, enum ods_look look);
void ods_number(struct ods *o, long long v);
/* A text that links to href: "#Sheet.A1" (a sheet), "mailto:...", "https://...". */
void ods_link(struct ods *o, const char *text, const char *href);
void ods_empty(struct ods *o);

/* Appends the package to out. Returns 0, or -1 with an error appended to d (rule P99, naming
 * file: the workbook's name in the bundle). */
int ods_write(const struct ods *o, const struct zipmem_time *when, struct strbuf *out,
	      const char *file, struct diag_list *d);

/* The XML parts alone (for tests): content.xml, styles.xml, meta.xml, manifest.xml. */
int ods_content_xml(const struct ods *o, struct strbuf *out);
int ods_styles_xml(struct strbuf *out);
int ods_meta_xml(const struct ods *o, struct strbuf *out);
int ods_manifest_xml(struct strbuf *out);

#endif
