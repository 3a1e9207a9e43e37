/*
 * ods: a small OpenDocument spreadsheet writer. Sheets of rows of cells (text or whole
 * numbers, stored as numbers), three cell looks (plain, title, column header), written as an
 * ODF 1.2 package: `mimetype` first and stored, then content.xml, styles.xml, meta.xml and
 * META-INF/manifest.xml, all made with libxml2's xmlTextWriter, packed by zipmem with a fixed
 * time, so the same workbook gives the same bytes. No merged cells, no formulas.
 */
#ifndef MAPPA_ODS_H
#define MAPPA_ODS_H

#include <stddef.h>

#include "strbuf.h"
#include "zipmem.h"

#define ODS_MIMETYPE "application/vnd.oasis.opendocument.spreadsheet"

enum ods_kind { ODS_EMPTY, ODS_STRING, ODS_NUMBER };
enum ods_look { ODS_PLAIN, ODS_TITLE, ODS_HEADER };

struct ods_cell {
	enum ods_kind kind;
	enum ods_look look;
	char *text;             /* ODS_STRING; owned */
	long long number;       /* ODS_NUMBER */
};

struct ods_row {
	size_t ncells, alloc;
	struct ods_cell *cells;
};

struct ods_sheet {
	char name[32];          /* at most 31 bytes, as spreadsheet programs allow */
	double first_width_cm;  /* width of column A; the others get other_width_cm */
	double other_width_cm;
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
/* Append a cell to the last row of the last sheet. */
void ods_text(struct ods *o, const char *text, enum ods_look look);
void ods_number(struct ods *o, long long v);
void ods_empty(struct ods *o);

/* Appends the package to out. Returns 0, or -1 with a message in err. */
int ods_write(const struct ods *o, const struct zipmem_time *when, struct strbuf *out,
	      char *err, size_t errsize);

/* The XML parts alone (for tests): content.xml, styles.xml, meta.xml, manifest.xml. */
int ods_content_xml(const struct ods *o, struct strbuf *out);
int ods_styles_xml(struct strbuf *out);
int ods_meta_xml(const struct ods *o, struct strbuf *out);
int ods_manifest_xml(struct strbuf *out);

#endif
