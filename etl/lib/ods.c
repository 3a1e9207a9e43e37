#include "ods.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define NS_NUMBER "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
#define NS_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
#define NS_XLINK "http://www.w3.org/1999/xlink"

/* Column widths from content: characters of 11 pt Arial, about 0.21 cm each. */
#define ODS_CM_PER_CHAR 0.21
#define ODS_MIN_CHARS 6
#define ODS_MAX_CHARS 60          /* wider text wraps */
#define ODS_HEADER_CHARS 24       /* column headers wrap (ColumnHeader style) */

void ods_init(struct ods *o, const char *title, const char *subject)
{
	memset(o, 0, sizeof *o);
	snprintf(o->title, sizeof o->title, "%s", title ? title : "");
	snprintf(o->subject, sizeof o->subject, "%s", subject ? subject : "");
}

void ods_release(struct ods *o)
{
	for (size_t s = 0; s < o->nsheets; s++) {
		struct ods_sheet *sh = &o->sheets[s];
		for (size_t r = 0; r < sh->nrows; r++) {
			for (size_t c = 0; c < sh->rows[r].ncells; c++) {
				free(sh->rows[r].cells[c].text);
				free(sh->rows[r].cells[c].href);
			}
			free(sh->rows[r].cells);
		}
		free(sh->rows);
	}
	free(o->sheets);
	o->sheets = NULL;
	o->nsheets = o->alloc = 0;
}

static void *grow(void *p, size_t *alloc, size_t n, size_t size)
{
	size_t a;
	void *q;
	if (n < *alloc)
		return p;
	a = *alloc ? *alloc * 2 : 8;
	q = realloc(p, a * size);
	if (q)
		*alloc = a;
	return q;
}

struct ods_sheet *ods_add_sheet(struct ods *o, const char *name)
{
	struct ods_sheet *p, *sh;

	if (o->failed)
		return NULL;
	p = grow(o->sheets, &o->alloc, o->nsheets, sizeof *p);
	if (!p) {
		o->failed = 1;
		return NULL;
	}
	o->sheets = p;
	sh = &o->sheets[o->nsheets++];
	memset(sh, 0, sizeof *sh);
	snprintf(sh->name, sizeof sh->name, "%s", name);
	return sh;
}

void ods_row(struct ods *o)
{
	struct ods_sheet *sh;
	struct ods_row *p;

	if (o->failed || !o->nsheets) {
		o->failed = 1;
		return;
	}
	sh = &o->sheets[o->nsheets - 1];
	p = grow(sh->rows, &sh->alloc, sh->nrows, sizeof *p);
	if (!p) {
		o->failed = 1;
		return;
	}
	sh->rows = p;
	memset(&sh->rows[sh->nrows++], 0, sizeof *p);
}

void ods_header_row(struct ods *o, const char *range_name)
{
	struct ods_sheet *sh;

	ods_row(o);
	if (o->failed)
		return;
	sh = &o->sheets[o->nsheets - 1];
	sh->header_row = sh->nrows;
	snprintf(sh->range, sizeof sh->range, "%s", range_name);
}

static struct ods_cell *new_cell(struct ods *o)
{
	struct ods_sheet *sh;
	struct ods_row *row;
	struct ods_cell *p;

	if (o->failed || !o->nsheets || !o->sheets[o->nsheets - 1].nrows) {
		o->failed = 1;
		return NULL;
	}
	sh = &o->sheets[o->nsheets - 1];
	row = &sh->rows[sh->nrows - 1];
	p = grow(row->cells, &row->alloc, row->ncells, sizeof *p);
	if (!p) {
		o->failed = 1;
		return NULL;
	}
	row->cells = p;
	p = &row->cells[row->ncells++];
	memset(p, 0, sizeof *p);
	return p;
}

void ods_text(struct ods *o, const char *text, enum ods_look look)
{
	struct ods_cell *c = new_cell(o);
	if (!c)
		return;
	c->kind = ODS_STRING;
	c->look = look;
	c->text = strdup(text ? text : "");
	if (!c->text)
		o->failed = 1;
}

void ods_link(struct ods *o, const char *text, const char *href)
{
	struct ods_cell *c = new_cell(o);
	if (!c)
		return;
	c->kind = ODS_STRING;
	c->look = ODS_PLAIN;
	c->text = strdup(text ? text : "");
	c->href = strdup(href ? href : "");
	if (!c->text || !c->href)
		o->failed = 1;
}

void ods_number(struct ods *o, long long v)
{
	struct ods_cell *c = new_cell(o);
	if (!c)
		return;
	c->kind = ODS_NUMBER;
	c->number = v;
}

void ods_empty(struct ods *o)
{
	struct ods_cell *c = new_cell(o);
	if (c)
		c->kind = ODS_EMPTY;
}

/* ---- XML parts ---- */

#define W(call) do { if ((call) < 0) rc = -1; } while (0)

static int finish(xmlTextWriterPtr w, xmlBufferPtr xb, struct strbuf *out, int rc)
{
	if (xmlTextWriterEndDocument(w) < 0)
		rc = -1;
	xmlFreeTextWriter(w);
	if (rc == 0)
		strbuf_add(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return rc == 0 ? strbuf_ok(out) : -1;
}

static xmlTextWriterPtr start(xmlBufferPtr *xb)
{
	xmlTextWriterPtr w;
	*xb = xmlBufferCreate();
	if (!*xb)
		return NULL;
	w = xmlNewTextWriterMemory(*xb, 0);
	if (!w) {
		xmlBufferFree(*xb);
		return NULL;
	}
	if (xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0) {
		xmlFreeTextWriter(w);
		xmlBufferFree(*xb);
		return NULL;
	}
	return w;
}

static void attr(xmlTextWriterPtr w, int *rc, const char *name, const char *value)
{
	if (xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value) < 0)
		*rc = -1;
}

static void el(xmlTextWriterPtr w, int *rc, const char *name)
{
	if (xmlTextWriterStartElement(w, BAD_CAST name) < 0)
		*rc = -1;
}

static void end(xmlTextWriterPtr w, int *rc)
{
	if (xmlTextWriterEndElement(w) < 0)
		*rc = -1;
}

static void office_ns(xmlTextWriterPtr w, int *rc)
{
	attr(w, rc, "xmlns:office", NS_OFFICE);
	attr(w, rc, "xmlns:style", NS_STYLE);
	attr(w, rc, "xmlns:text", NS_TEXT);
	attr(w, rc, "xmlns:table", NS_TABLE);
	attr(w, rc, "xmlns:fo", NS_FO);
	attr(w, rc, "xmlns:number", NS_NUMBER);
	attr(w, rc, "xmlns:xlink", NS_XLINK);
	attr(w, rc, "office:version", "1.2");
}

static void text_props(xmlTextWriterPtr w, int *rc, const char *size, int bold)
{
	el(w, rc, "style:text-properties");
	if (size)
		attr(w, rc, "fo:font-size", size);
	if (bold)
		attr(w, rc, "fo:font-weight", "bold");
	end(w, rc);
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Characters the cell shows: a number with its thousands separators. */
static size_t cell_chars(const struct ods_cell *cell)
{
	char buf[32];
	size_t n;

	if (cell->kind == ODS_NUMBER) {
		n = (size_t)snprintf(buf, sizeof buf, "%lld", cell->number);
		return n + (n - (cell->number < 0) - 1) / 3;
	}
	if (cell->kind != ODS_STRING)
		return 0;
	n = utf8_chars(cell->text);
	if (cell->look == ODS_HEADER && n > ODS_HEADER_CHARS)
		n = ODS_HEADER_CHARS;
	return n;
}

static size_t sheet_columns(const struct ods_sheet *sh)
{
	size_t ncols = 1;
	for (size_t r = 0; r < sh->nrows; r++)
		if (sh->rows[r].ncells > ncols)
			ncols = sh->rows[r].ncells;
	return ncols;
}

/* Width of column c in characters, from the rows with more than one cell. */
static size_t column_chars(const struct ods_sheet *sh, size_t c)
{
	size_t w = ODS_MIN_CHARS;
	for (size_t r = 0; r < sh->nrows; r++) {
		const struct ods_row *row = &sh->rows[r];
		size_t n;
		if (row->ncells < 2 || c >= row->ncells)
			continue;
		n = cell_chars(&row->cells[c]);
		if (n > w)
			w = n;
	}
	return w > ODS_MAX_CHARS ? ODS_MAX_CHARS : w;
}

static double column_cm(const struct ods_sheet *sh, size_t c)
{
	if (c == 0 && sh->first_width_cm > 0)
		return sh->first_width_cm;
	return 0.4 + ODS_CM_PER_CHAR * (double)column_chars(sh, c);
}

/* "A", "B", ..., "Z", "AA": the letters of column c (0-based). */
static void column_letters(size_t c, char *buf, size_t size)
{
	char tmp[8];
	size_t n = 0;
	c++;
	while (c > 0 && n < sizeof tmp) {
		tmp[n++] = (char)('A' + (c - 1) % 26);
		c = (c - 1) / 26;
	}
	for (size_t i = 0; i < n && i + 1 < size; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n < size ? n : size - 1] = '\0';
}

static void cell_style(xmlTextWriterPtr w, int *rc, const char *name, const char *align, int wrap)
{
	el(w, rc, "style:style");
	attr(w, rc, "style:name", name);
	attr(w, rc, "style:family", "table-cell");
	attr(w, rc, "style:parent-style-name", "Default");
	el(w, rc, "style:table-cell-properties");
	if (align)
		attr(w, rc, "style:text-align-source", "fix");
	if (wrap)
		attr(w, rc, "fo:wrap-option", "wrap");
	attr(w, rc, "style:vertical-align", "top");
	end(w, rc);
	if (align) {
		el(w, rc, "style:paragraph-properties");
		attr(w, rc, "fo:text-align", align);
		end(w, rc);
	}
	end(w, rc);
}

int ods_content_xml(const struct ods *o, struct strbuf *out)
{
	xmlBufferPtr xb;
	xmlTextWriterPtr w = start(&xb);
	int rc = 0;
	char buf[64];

	if (!w || o->failed)
		return -1;
	el(w, &rc, "office:document-content");
	office_ns(w, &rc);
	el(w, &rc, "office:automatic-styles");
	/* whole numbers with a thousands separator */
	el(w, &rc, "number:number-style");
	attr(w, &rc, "style:name", "N1");
	el(w, &rc, "number:number");
	attr(w, &rc, "number:decimal-places", "0");
	attr(w, &rc, "number:min-integer-digits", "1");
	attr(w, &rc, "number:grouping", "true");
	end(w, &rc);
	end(w, &rc);
	for (size_t s = 0; s < o->nsheets; s++) {
		size_t ncols = sheet_columns(&o->sheets[s]);
		for (size_t c = 0; c < ncols; c++) {
			snprintf(buf, sizeof buf, "co%zu_%zu", s + 1, c + 1);
			el(w, &rc, "style:style");
			attr(w, &rc, "style:name", buf);
			attr(w, &rc, "style:family", "table-column");
			el(w, &rc, "style:table-column-properties");
			snprintf(buf, sizeof buf, "%.2fcm", column_cm(&o->sheets[s], c));
			attr(w, &rc, "style:column-width", buf);
			end(w, &rc);
			end(w, &rc);
		}
	}
	el(w, &rc, "style:style");
	attr(w, &rc, "style:name", "ceNum");
	attr(w, &rc, "style:family", "table-cell");
	attr(w, &rc, "style:parent-style-name", "Default");
	attr(w, &rc, "style:data-style-name", "N1");
	el(w, &rc, "style:table-cell-properties");
	attr(w, &rc, "style:vertical-align", "top");
	end(w, &rc);
	end(w, &rc);
	cell_style(w, &rc, "ceSym", "end", 0);     /* symbols, aligned like the numbers */
	cell_style(w, &rc, "ceWrap", NULL, 1);     /* long text */
	end(w, &rc); /* automatic-styles */
	el(w, &rc, "office:body");
	el(w, &rc, "office:spreadsheet");
	for (size_t s = 0; s < o->nsheets; s++) {
		const struct ods_sheet *sh = &o->sheets[s];
		size_t ncols = sheet_columns(sh);
		el(w, &rc, "table:table");
		attr(w, &rc, "table:name", sh->name);
		for (size_t c = 0; c < ncols; c++) {
			el(w, &rc, "table:table-column");
			snprintf(buf, sizeof buf, "co%zu_%zu", s + 1, c + 1);
			attr(w, &rc, "table:style-name", buf);
			end(w, &rc);
		}
		for (size_t r = 0; r < sh->nrows; r++) {
			const struct ods_row *row = &sh->rows[r];
			int wide_row = row->ncells > 1;
			if (sh->header_row == r + 1)
				el(w, &rc, "table:table-header-rows");
			el(w, &rc, "table:table-row");
			for (size_t c = 0; c < row->ncells; c++) {
				const struct ods_cell *cell = &row->cells[c];
				el(w, &rc, "table:table-cell");
				if (cell->kind == ODS_NUMBER) {
					snprintf(buf, sizeof buf, "%lld", cell->number);
					attr(w, &rc, "table:style-name", "ceNum");
					attr(w, &rc, "office:value-type", "float");
					attr(w, &rc, "office:value", buf);
					el(w, &rc, "text:p");
					W(xmlTextWriterWriteString(w, BAD_CAST buf));
					end(w, &rc);
				} else if (cell->kind == ODS_STRING) {
					if (cell->look == ODS_TITLE)
						attr(w, &rc, "table:style-name", "Heading1");
					else if (cell->look == ODS_HEADER)
						attr(w, &rc, "table:style-name", "ColumnHeader");
					else if (cell->look == ODS_SYMBOL)
						attr(w, &rc, "table:style-name", "ceSym");
					else if ((sh->wrap && c == 0) ||
						 (wide_row && utf8_chars(cell->text) > ODS_MAX_CHARS))
						attr(w, &rc, "table:style-name", "ceWrap");
					attr(w, &rc, "office:value-type", "string");
					el(w, &rc, "text:p");
					if (cell->href) {
						el(w, &rc, "text:a");
						attr(w, &rc, "xlink:type", "simple");
						attr(w, &rc, "xlink:href", cell->href);
					}
					W(xmlTextWriterWriteString(w, BAD_CAST cell->text));
					if (cell->href)
						end(w, &rc);
					end(w, &rc);
				}
				end(w, &rc);
			}
			end(w, &rc);
			if (sh->header_row == r + 1)
				end(w, &rc); /* table-header-rows */
		}
		end(w, &rc); /* table */
	}
	/* a named range for each sheet's table */
	el(w, &rc, "table:named-expressions");
	for (size_t s = 0; s < o->nsheets; s++) {
		const struct ods_sheet *sh = &o->sheets[s];
		char last[8], addr[160];
		size_t width;
		if (!sh->header_row || !sh->range[0])
			continue;
		width = sh->rows[sh->header_row - 1].ncells ? sh->rows[sh->header_row - 1].ncells : 1;
		column_letters(width - 1, last, sizeof last);
		el(w, &rc, "table:named-range");
		attr(w, &rc, "table:name", sh->range);
		snprintf(addr, sizeof addr, "$'%s'.$A$%zu", sh->name, sh->header_row);
		attr(w, &rc, "table:base-cell-address", addr);
		snprintf(addr, sizeof addr, "$'%s'.$A$%zu:.$%s$%zu", sh->name, sh->header_row, last, sh->nrows);
		attr(w, &rc, "table:cell-range-address", addr);
		end(w, &rc);
	}
	end(w, &rc); /* named-expressions */
	end(w, &rc);
	end(w, &rc);
	end(w, &rc);
	return finish(w, xb, out, rc);
}

int ods_styles_xml(struct strbuf *out)
{
	xmlBufferPtr xb;
	xmlTextWriterPtr w = start(&xb);
	int rc = 0;

	if (!w)
		return -1;
	el(w, &rc, "office:document-styles");
	office_ns(w, &rc);
	el(w, &rc, "office:styles");
	el(w, &rc, "style:default-style");
	attr(w, &rc, "style:family", "table-cell");
	text_props(w, &rc, "11pt", 0);
	end(w, &rc);
	el(w, &rc, "style:style");
	attr(w, &rc, "style:name", "Default");
	attr(w, &rc, "style:family", "table-cell");
	end(w, &rc);
	el(w, &rc, "style:style");
	attr(w, &rc, "style:name", "Heading1");
	attr(w, &rc, "style:display-name", "Heading 1");
	attr(w, &rc, "style:family", "table-cell");
	attr(w, &rc, "style:parent-style-name", "Default");
	text_props(w, &rc, "15pt", 1);
	end(w, &rc);
	el(w, &rc, "style:style");
	attr(w, &rc, "style:name", "ColumnHeader");
	attr(w, &rc, "style:display-name", "Column header");
	attr(w, &rc, "style:family", "table-cell");
	attr(w, &rc, "style:parent-style-name", "Default");
	el(w, &rc, "style:table-cell-properties");
	attr(w, &rc, "fo:wrap-option", "wrap");
	attr(w, &rc, "style:vertical-align", "top");
	end(w, &rc);
	text_props(w, &rc, NULL, 1);
	end(w, &rc);
	end(w, &rc); /* styles */
	/* every sheet prints on A4 portrait, 2 cm margins: 17 cm of width */
	el(w, &rc, "office:automatic-styles");
	el(w, &rc, "style:page-layout");
	attr(w, &rc, "style:name", "pmA4");
	el(w, &rc, "style:page-layout-properties");
	attr(w, &rc, "fo:page-width", "21cm");
	attr(w, &rc, "fo:page-height", "29.7cm");
	attr(w, &rc, "style:print-orientation", "portrait");
	attr(w, &rc, "fo:margin-top", "2cm");
	attr(w, &rc, "fo:margin-bottom", "2cm");
	attr(w, &rc, "fo:margin-left", "2cm");
	attr(w, &rc, "fo:margin-right", "2cm");
	end(w, &rc);
	end(w, &rc);
	end(w, &rc);
	el(w, &rc, "office:master-styles");
	el(w, &rc, "style:master-page");
	attr(w, &rc, "style:name", "Default");
	attr(w, &rc, "style:page-layout-name", "pmA4");
	end(w, &rc);
	end(w, &rc);
	end(w, &rc);
	return finish(w, xb, out, rc);
}

int ods_meta_xml(const struct ods *o, struct strbuf *out)
{
	xmlBufferPtr xb;
	xmlTextWriterPtr w = start(&xb);
	int rc = 0;

	if (!w)
		return -1;
	el(w, &rc, "office:document-meta");
	attr(w, &rc, "xmlns:office", NS_OFFICE);
	attr(w, &rc, "xmlns:meta", NS_META);
	attr(w, &rc, "xmlns:dc", NS_DC);
	attr(w, &rc, "office:version", "1.2");
	el(w, &rc, "office:meta");
	el(w, &rc, "meta:generator");
	W(xmlTextWriterWriteString(w, BAD_CAST "mappa-publish " MAPPA_VERSION));
	end(w, &rc);
	el(w, &rc, "dc:title");
	W(xmlTextWriterWriteString(w, BAD_CAST o->title));
	end(w, &rc);
	el(w, &rc, "dc:subject");
	W(xmlTextWriterWriteString(w, BAD_CAST o->subject));
	end(w, &rc);
	el(w, &rc, "dc:language");
	W(xmlTextWriterWriteString(w, BAD_CAST "en-GB"));
	end(w, &rc);
	end(w, &rc);
	end(w, &rc);
	return finish(w, xb, out, rc);
}

static void manifest_entry(xmlTextWriterPtr w, int *rc, const char *path, const char *type,
			   int version)
{
	el(w, rc, "manifest:file-entry");
	attr(w, rc, "manifest:full-path", path);
	if (version)
		attr(w, rc, "manifest:version", "1.2");
	attr(w, rc, "manifest:media-type", type);
	end(w, rc);
}

int ods_manifest_xml(struct strbuf *out)
{
	xmlBufferPtr xb;
	xmlTextWriterPtr w = start(&xb);
	int rc = 0;

	if (!w)
		return -1;
	el(w, &rc, "manifest:manifest");
	attr(w, &rc, "xmlns:manifest", NS_MANIFEST);
	attr(w, &rc, "manifest:version", "1.2");
	manifest_entry(w, &rc, "/", ODS_MIMETYPE, 1);
	manifest_entry(w, &rc, "content.xml", "text/xml", 0);
	manifest_entry(w, &rc, "styles.xml", "text/xml", 0);
	manifest_entry(w, &rc, "meta.xml", "text/xml", 0);
	end(w, &rc);
	return finish(w, xb, out, rc);
}

int ods_write(const struct ods *o, const struct zipmem_time *when, struct strbuf *out,
	      const char *file, struct diag_list *d)
{
	struct strbuf content = STRBUF_INIT, styles = STRBUF_INIT, meta = STRBUF_INIT,
		      manifest = STRBUF_INIT;
	int result = -1;

	if (ods_content_xml(o, &content) != 0 || ods_styles_xml(&styles) != 0 ||
	    ods_meta_xml(o, &meta) != 0 || ods_manifest_xml(&manifest) != 0) {
		diag_add(d, file, 0, "P99", DIAG_ERROR, "cannot write the workbook's XML (out of memory?)");
		goto out;
	}
	{
		const struct zipmem_entry e[] = {
			{ "mimetype", ODS_MIMETYPE, strlen(ODS_MIMETYPE), 1, 0 },
			{ "content.xml", content.data, content.len, 0, 0 },
			{ "styles.xml", styles.data, styles.len, 0, 0 },
			{ "meta.xml", meta.data, meta.len, 0, 0 },
			{ "META-INF/manifest.xml", manifest.data, manifest.len, 0, 0 },
		};
		result = zipmem_archive(e, sizeof e / sizeof e[0], when, out, file, "P99", d);
	}
out:
	strbuf_release(&content);
	strbuf_release(&styles);
	strbuf_release(&meta);
	strbuf_release(&manifest);
	return result;
}
