/*
 * publish_ods: the workbook (see publish_ods.h).
 */
#include "publish_ods.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ods.h"
#include "pivot.h"
#include "publish.h"
#include "publish_layout.h"
#include "publish_private.h"
#include "publish_series.h"

static const char *const notes[] = {
	"Category 4 (terrorism and terrorism risk offenders) figures are never published for an area, "
	"because the numbers are small; they are published only in the national tables.",
	"Area totals are over Categories 1 to 3 only, so that Category 4 cannot be worked out by "
	"subtraction. National totals are over Categories 1 to 4.",
	"Counts of %s are not published [c]%s. Further figures are withheld [c] where needed so that no withheld count can be worked out from totals, "
	"including from the national total less the other areas.",
	"Category 3 individuals cannot be managed at level 1 [z].",
	"Rates are per 100,000 of the population aged 10 and over. ",
	"MAPPA-eligible individuals are counted on 31 March (a snapshot); the other figures cover the "
	"year from 1 April to 31 March.",
	"[x] marks an area that sent no valid return for the period; national figures then cover the "
	"areas that did.",
};

/* The notes above, by index; a table's notes are a mask of these bits. */
enum { NOTE_CAT4, NOTE_TOTAL13, NOTE_C, NOTE_Z, NOTE_RATE, NOTE_SNAPSHOT, NOTE_X, NOTE_COUNT };

/* A cell of text: the text built in sb (then emptied; a failed sb fails the workbook). */
static void text_cell(struct ods *o, struct strbuf *sb, enum ods_look look)
{
	if (strbuf_ok(sb) != 0)
		o->failed = 1;
	ods_text(o, sb->data ? sb->data : "", look);
	strbuf_release(sb);
}

/* A row of one cell of text built in sb, as text_cell. */
static void text_row(struct ods *o, struct strbuf *sb, enum ods_look look)
{
	ods_row(o);
	text_cell(o, sb, look);
}

/*
 * The notes that apply to a published table, from what it holds: the "[note N]" markers of its
 * headings (N counting from 1 in notes[]), the symbols it shows, an area table without
 * Category 4, a national table that leaves out an area without a return, a snapshot.
 */
static unsigned table_notes(const struct ptable *t, const struct dataset *ds, const struct defs *defs,
			    const struct policy *pol, unsigned stat, int national)
{
	unsigned m = 0;
	char title[PUBLISH_TITLE_SIZE];

	for (size_t c = 0; c < t->ncols; c++) {
		const char *p = strstr(ptable_heading(t, c), "[note ");
		if (p) {
			long k = strtol(p + 6, NULL, 10);
			if (k >= 1 && k <= NOTE_COUNT)
				m |= 1u << (k - 1);
		}
	}
	if (t->symbols & ((1u << OBS_PRIMARY) | (1u << OBS_SECONDARY) | (1u << OBS_WITHHELD)))
		m |= 1u << NOTE_C;
	if (t->symbols & (1u << OBS_NA))
		m |= 1u << NOTE_Z;
	if ((t->symbols & (1u << OBS_MISSING)) || (national && ds->incomplete))
		m |= 1u << NOTE_X;
	if (!national && pivot_has_categories(defs, stat) && pol->withheld_categories)
		m |= 1u << NOTE_CAT4;
	publish_stat_title(ds, defs, stat, title, sizeof title);
	if (strlen(title) > 8 && strstr(title, "31 March"))
		m |= 1u << NOTE_SNAPSHOT;
	return m;
}

/* s with each "[note 5]" as "[note number[4]]". */
static void renumber_notes(const char *s, const int *number, struct strbuf *out)
{
	while (*s) {
		long k;
		if (strncmp(s, "[note ", 6) == 0 && (k = strtol(s + 6, NULL, 10)) >= 1 && k <= NOTE_COUNT &&
		    strchr(s, ']')) {
			strbuf_addf(out, "[note %d]", number[k - 1]);
			s = strchr(s, ']') + 1;
		} else {
			strbuf_add(out, s++, 1);
		}
	}
}

/* "notes 1, 3 and 7" of mask m, numbered. */
static void notes_list(unsigned m, const int *number, struct strbuf *out)
{
	size_t k = 0, count = 0;
	for (int i = 0; i < NOTE_COUNT; i++)
		count += m >> i & 1u;
	strbuf_addf(out, "note%s ", count == 1 ? "" : "s");
	for (int i = 0; i < NOTE_COUNT; i++) {
		if (!(m >> i & 1u))
			continue;
		k++;
		strbuf_addf(out, "%s%d", k == 1 ? "" : k == count ? " and " : ", ", number[i]);
	}
}

static void table_sheet(struct ods *o, const char *sheet, size_t number, const struct ptable *t,
			unsigned notes_mask, const int *note_number)
{
	struct strbuf sb = STRBUF_INIT;
	char range[40], marker[24];
	unsigned in_heads = 0;

	if (!ods_add_sheet(o, sheet))
		return;
	for (size_t c = 0; c < t->ncols; c++)
		for (int k = 0; k < NOTE_COUNT; k++) {
			snprintf(marker, sizeof marker, "[note %d]", k + 1);
			if (strstr(ptable_heading(t, c), marker))
				in_heads |= 1u << k;
		}
	/* notes of the whole table go in its title, the others stay in their column headings */
	strbuf_addf(&sb, "Table %zu: %s", number, t->title ? t->title : "");
	for (int k = 0; k < NOTE_COUNT; k++)
		if ((notes_mask >> k & 1u) && !(in_heads >> k & 1u))
			strbuf_addf(&sb, " [note %d]", note_number[k]);
	text_row(o, &sb, ODS_TITLE);
	ods_row(o);
	ods_text(o, "This worksheet contains one table.", ODS_PLAIN);
	if (notes_mask) {
		strbuf_puts(&sb, "This table refers to ");
		notes_list(notes_mask, note_number, &sb);
		strbuf_puts(&sb, ", on the Notes worksheet: the title or a column heading says where each applies.");
		text_row(o, &sb, ODS_PLAIN);
	}
	if (t->symbols & ~(1u << PTABLE_REVISED)) {
		ods_row(o);
		ods_text(o, "Some cells hold a symbol instead of a number: [c] confidential, [z] not "
			    "applicable, [x] not available (see the Cover sheet).", ODS_PLAIN);
	}
	/* [r] said where it is shown, as every page says it (QA: the sheets showed "2790 [r]"
	   and named the other symbols only) */
	if (t->symbols >> PTABLE_REVISED & 1u) {
		ods_row(o);
		ods_text(o, "A number marked [r] is revised: it differs from this period's earlier "
			    "publication (see the Cover sheet; revisions.csv lists every figure that "
			    "changed).", ODS_PLAIN);
	}
	ods_row(o);
	ods_text(o, "Source: the yearly MAPPA statistical returns of the MAPPA areas of England and Wales.", ODS_PLAIN);
	snprintf(range, sizeof range, "Table_%zu", number);
	ods_header_row(o, range);
	for (size_t c = 0; c < t->ncols; c++) {
		renumber_notes(ptable_heading(t, c), note_number, &sb);
		text_cell(o, &sb, ODS_HEADER);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		ods_row(o);
		for (size_t c = 0; c < t->ncols; c++) {
			const struct ptable_cell *cell = ptable_at(t, r, c);
			if (cell->kind == PTABLE_NUMBER && cell->revised) {
				char rv[40];
				snprintf(rv, sizeof rv, "%lld [r]", cell->number);
				ods_text(o, rv, ODS_PLAIN);
			} else if (cell->kind == PTABLE_NUMBER) {
				ods_number(o, cell->number);
			} else {
				ods_text(o, ptable_cell_text(cell), cell->kind == PTABLE_SYMBOL ? ODS_SYMBOL : ODS_PLAIN);
			}
		}
	}
}

struct sheet_ref {
	char name[32];
	char *title;            /* owned */
	unsigned notes;         /* the notes that apply to the table */
};

static void cover(struct ods *o, const char *title, const struct dataset *ds, const struct defs *defs,
		  const struct areas *ref, const struct publish_release *rel,
		  const struct series *series, size_t nrevised)
{
	struct strbuf sb = STRBUF_INIT;
	struct publish_release_item it[PUBLISH_RELEASE_ITEMS];
	int y1 = 0, y2 = 0;

	publish_period_years(ds->period, &y1, &y2);
	ods_add_sheet(o, "Cover");
	if (o->nsheets) {
		o->sheets[o->nsheets - 1].first_width_cm = 17;
		o->sheets[o->nsheets - 1].wrap = 1;
	}
	ods_row(o); ods_text(o, title, ODS_TITLE);
	ods_row(o); ods_text(o, "This workbook holds the national and area tables of the yearly statistics "
			     "of the Multi-Agency Public Protection Arrangements (MAPPA) of England and Wales: "
			     "the individuals managed under MAPPA, the notification requirements and the "
			     "restrictive orders.", ODS_PLAIN);
	ods_row(o); ods_text(o, "Period covered", ODS_HEADER);
	strbuf_addf(&sb, "1 April %d to 31 March %d (MAPPA-eligible individuals: on 31 March %d)", y1, y2, y2);
	text_row(o, &sb, ODS_PLAIN);
	publish_release_items(rel, it);
	ods_row(o); ods_text(o, "Publication dates", ODS_HEADER);
	strbuf_addf(&sb, "Released: %s", it[0].value);
	text_row(o, &sb, ODS_PLAIN);
	strbuf_addf(&sb, "Next release: %s", it[1].value);
	text_row(o, &sb, ODS_PLAIN);
	ods_row(o); ods_text(o, "Source", ODS_HEADER);
	strbuf_addf(&sb, "The yearly statistical returns of the %zu MAPPA areas of England and Wales, "
		    "produced by %s.", ds->nareas, rel->producer);
	text_row(o, &sb, ODS_PLAIN);
	if (ds->incomplete) {
		publish_missing_sentence(ds, &sb);
		text_row(o, &sb, ODS_PLAIN);
	}
	publish_population_sources(ds, ref, &sb);
	text_row(o, &sb, ODS_PLAIN);
	ods_row(o); ods_text(o, "Methodology", ODS_HEADER);
	ods_row(o); ods_text(o, "The Notes worksheet says what each table counts and what is withheld. "
			     "The methodology:", ODS_PLAIN);
	ods_row(o); ods_link(o, rel->methodology, rel->methodology);
	ods_row(o); ods_text(o, "Revisions", ODS_HEADER);
	ods_row(o); ods_text(o, "The figures are revised only when an area resubmits its return. A "
			     "revision may also publish or withhold other figures, so that every "
			     "withheld figure stays protected; a revised release says so on this "
			     "sheet.", ODS_PLAIN);
	publish_series_ods_cover(series, ds, defs, it[0].value, nrevised, o);
	ods_row(o); ods_text(o, "Symbols used", ODS_HEADER);
	ods_row(o); ods_text(o, "Some cells hold a symbol instead of a number:", ODS_PLAIN);
	ods_row(o); ods_text(o, "[c] confidential: withheld so that no individual can be identified", ODS_PLAIN);
	ods_row(o); ods_text(o, "[z] not applicable: Category 3 individuals cannot be managed at level 1", ODS_PLAIN);
	ods_row(o); ods_text(o, "[x] not available: the area sent no valid return", ODS_PLAIN);
	if (nrevised) {
		ods_row(o);
		ods_text(o, publish_msg(PUBLISH_EN, MSG_SYMBOL_R), ODS_PLAIN);
	}
	ods_row(o); ods_text(o, "Contact", ODS_HEADER);
	ods_row(o); ods_text(o, rel->contact, ODS_PLAIN);
	strbuf_addf(&sb, "mailto:%s", rel->email);
	if (strbuf_ok(&sb) != 0)
		o->failed = 1;
	ods_row(o); ods_link(o, rel->email, sb.data ? sb.data : "");
	strbuf_release(&sb);
	strbuf_addf(&sb, "Telephone: %s", rel->phone);
	text_row(o, &sb, ODS_PLAIN);
	ods_row(o); ods_text(o, "Licence", ODS_HEADER);
	strbuf_addf(&sb, "These statistics may be used under the %s:", PUBLISH_LICENCE);
	text_row(o, &sb, ODS_PLAIN);
	ods_row(o); ods_link(o, PUBLISH_LICENCE_URL, PUBLISH_LICENCE_URL);
	ods_row(o); ods_text(o, "Tables", ODS_HEADER);
	ods_row(o); ods_text(o, "The Contents worksheet lists the tables; the Notes worksheet explains them.", ODS_PLAIN);
}

static void notes_sheet(struct ods *o, const struct dataset *ds, const struct policy *pol,
			const struct areas *ref,
			const struct sheet_ref *refs, size_t nrefs, const int *note_number)
{
	struct strbuf sb = STRBUF_INIT;

	ods_add_sheet(o, "Notes");
	ods_row(o); ods_text(o, "Notes", ODS_TITLE);
	ods_row(o); ods_text(o, "This worksheet contains one table. Each note is referred to in the title "
			     "or the column headings of the tables it applies to, as [note 1] and so on.", ODS_PLAIN);
	ods_header_row(o, "Notes_table");
	ods_text(o, "Note number", ODS_HEADER); ods_text(o, "Note text", ODS_HEADER);
	ods_text(o, "Tables the note applies to", ODS_HEADER);
	for (int i = 0; i < NOTE_COUNT; i++) {
		size_t count = 0;
		if (!note_number[i])
			continue;
		ods_row(o);
		strbuf_addf(&sb, "note %d", note_number[i]);
		text_cell(o, &sb, ODS_PLAIN);
		if (i == NOTE_C) {
			struct strbuf rule = STRBUF_INIT, zeros = STRBUF_INIT;
			publish_counts_rule(pol, &rule);
			publish_zeros_rule(pol, &zeros);
			if (strbuf_ok(&rule) != 0 || strbuf_ok(&zeros) != 0)
				o->failed = 1;
			strbuf_addf(&sb, notes[i], rule.data ? rule.data : "", zeros.data ? zeros.data : "");
			strbuf_release(&rule);
			strbuf_release(&zeros);
		} else {
			strbuf_puts(&sb, notes[i]);
		}
		if (i == NOTE_RATE) {
			publish_population_sources(ds, ref, &sb);
		} else if (i == NOTE_X && ds->incomplete) {
			strbuf_puts(&sb, " ");
			publish_missing_sentence(ds, &sb);
		}
		text_cell(o, &sb, ODS_PLAIN);
		for (size_t r = 0; r < nrefs; r++)
			if (refs[r].notes >> i & 1u)
				strbuf_addf(&sb, "%s%zu", count++ ? ", " : "", r + 1);
		text_cell(o, &sb, ODS_PLAIN);
	}
}

int publish_ods_workbook(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
			 const struct areas *ref, const struct publish_release *rel, const struct zipmem_time *when,
			 const struct series *series, size_t nrevised, const char *file,
			 struct strbuf *out, struct diag_list *d)
{
	struct ods o;
	struct sheet_ref refs[2 * (DEFS_MAX_TABLES + DEFS_MAX_RATES)];
	struct strbuf sb = STRBUF_INIT;
	size_t nrefs = 0;
	char plabel[16], title[160], link[48];
	int result = -1, note_number[NOTE_COUNT], k = 0;
	unsigned used = 0;
	unsigned nstat = dataset_stat_count(defs);
	struct policy def;

	pol = publish_policy(pol, &def);
	memset(refs, 0, sizeof refs);
	publish_period_label(ds, plabel, sizeof plabel);
	snprintf(title, sizeof title, "Multi-Agency Public Protection Arrangements (MAPPA) statistics, England and Wales, %s", plabel);
	ods_init(&o, title, "MAPPA annual statistics");

	/* the table sheets' names, titles and notes first, for the contents and the notes */
	for (int national = 1; national >= 0; national--)
		for (unsigned s = 0; s < nstat; s++) {
			struct sheet_ref *r = &refs[nrefs++];
			struct ptable t;
			char st[PUBLISH_TITLE_SIZE];
			publish_layout_published(&t, ds, defs, pol, s, national);
			if (ptable_ok(&t) != 0)
				o.failed = 1;
			r->notes = table_notes(&t, ds, defs, pol, s, national);
			ptable_release(&t);
			used |= r->notes;
			publish_stat_title(ds, defs, s, st, sizeof st);
			snprintf(r->name, sizeof r->name, "%s_%.*s", national ? "National" : "Areas",
				 national ? 22 : 25, dataset_stat_name(defs, s));
			strbuf_addf(&sb, "Table %zu: %s, %s", nrefs, st,
				    national ? "England and Wales" : "by MAPPA area");
			if (strbuf_ok(&sb) != 0)
				o.failed = 1;
			r->title = strbuf_detach(&sb, NULL);
		}

	cover(&o, title, ds, defs, ref, rel, series, nrevised);

	/* the notes that apply somewhere, numbered in order */
	for (int i = 0; i < NOTE_COUNT; i++)
		note_number[i] = used >> i & 1u ? ++k : 0;

	ods_add_sheet(&o, "Contents");
	ods_row(&o); ods_text(&o, "Table of contents", ODS_TITLE);
	ods_row(&o); ods_text(&o, "This worksheet contains one table. Each sheet name links to its sheet.", ODS_PLAIN);
	ods_header_row(&o, "Contents_table");
	ods_text(&o, "Sheet name", ODS_HEADER); ods_text(&o, "Table title", ODS_HEADER);
	ods_row(&o); ods_link(&o, "Notes", "#Notes.A1"); ods_text(&o, "Notes used in the tables", ODS_PLAIN);
	for (size_t i = 0; i < nrefs; i++) {
		snprintf(link, sizeof link, "#%.31s.A1", refs[i].name);
		ods_row(&o);
		ods_link(&o, refs[i].name, link);
		ods_text(&o, refs[i].title ? refs[i].title : "", ODS_PLAIN);
	}
	publish_series_ods_contents(series, defs, &o);

	notes_sheet(&o, ds, pol, ref, refs, nrefs, note_number);

	for (size_t i = 0; i < nrefs; i++) {
		struct ptable t;
		publish_layout_published(&t, ds, defs, pol, (unsigned)(i % nstat), i < nstat);
		if (ptable_ok(&t) != 0)
			o.failed = 1;
		table_sheet(&o, refs[i].name, i + 1, &t, refs[i].notes, note_number);
		ptable_release(&t);
	}
	publish_series_ods_sheets(series, ds, defs, &o);
	if (o.failed)
		diag_add_errno(d, file, "P99", ENOMEM, "out of memory while making the workbook");
	else
		result = ods_write(&o, when, out, file, d);
	ods_release(&o);
	for (size_t i = 0; i < nrefs; i++)
		free(refs[i].title);
	return result;
}
