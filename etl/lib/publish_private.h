/*
 * publish_private: what the writers of the publication bundle share (publish.c, publish_html.c):
 * the rendered table (one table of the bundle, as every format shows it) and the helpers that
 * build tables and sentences from a dataset. Internal to publish*.c, as libarchive keeps its
 * internals in *_private.h; not for programs.
 */
#ifndef MAPPA_PUBLISH_PRIVATE_H
#define MAPPA_PUBLISH_PRIVATE_H

#include <stddef.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "publish_lang.h"
#include "strbuf.h"

#define RT_ROWS (AREAS_MAX + 4)
#define RT_COLS 24

enum rt_kind { RT_TEXT, RT_NUMBER, RT_SYMBOL };

struct rt_cell {
	enum rt_kind kind;
	char text[160];
	long long number;
	int revised;                      /* RT_NUMBER: shown with " [r]" */
};

struct rtable {
	char title[512];
	size_t ncols, nrows;
	size_t row_headers;               /* leading columns that label the row */
	char head[RT_COLS][160];
	struct rt_cell cell[RT_ROWS][RT_COLS];
	unsigned symbols;                 /* bit s set: status s appears as a symbol */
};


/* Statistics in the order of the annual report's section; returns how many. */
size_t publish_stat_order(const struct defs *defs, unsigned *out);
/* Whether stat is a single count (no categories, no levels). */
int publish_is_single(const struct defs *defs, unsigned stat);
/* An area's (or the nation's) name; the code itself when unknown. */
const char *publish_area_name(const struct dataset *ds, const char *code);
const struct dataset_area *publish_find_area(const struct dataset *ds, const char *code);
/* A statistic's title, with the year where it names a day ("on 31 March 2023"). */
void publish_stat_title(const struct dataset *ds, const struct defs *defs, unsigned stat,
			char *buf, size_t size);
/* The same in lang: the Welsh title where the definitions have one ("... 31 Mawrth 2023"). */
void publish_stat_title_lang(const struct dataset *ds, const struct defs *defs, unsigned stat,
			     enum publish_lang lang, char *buf, size_t size);
/* "2022/23". */
void publish_period_label(const struct dataset *ds, char *buf, size_t size);
/* "Cumbria and Gwent sent no valid return for the period: ..." (call when ds->incomplete). */
void publish_missing_sentence(const struct dataset *ds, char *buf, size_t size);
/* The rate's population and where it comes from, as one plain-text paragraph (no newline). */
void publish_population_note(const struct dataset *ds, const char *area, struct strbuf *out);

/* The table of stat for one area or the nation, laid out as in the annual report. */
void publish_rt_grid(struct rtable *t, const struct dataset *ds, const struct defs *defs,
		     const char *area, unsigned stat);
/* The same with its labels in lang; area_name: the area's name in lang (NULL: its name). */
void publish_rt_grid_lang(struct rtable *t, const struct dataset *ds, const struct defs *defs,
			  const char *area, unsigned stat, enum publish_lang lang,
			  const char *area_name);
/* The all-areas table of stat: one row per area. */
void publish_rt_areas(struct rtable *t, const struct dataset *ds, const struct defs *defs, unsigned stat);
/* The single counts of one area or the nation, one row each. */
void publish_rt_singles(struct rtable *t, const struct dataset *ds, const struct defs *defs,
			const char *area);
/* The same with its labels in lang; area_name as for publish_rt_grid_lang. */
void publish_rt_singles_lang(struct rtable *t, const struct dataset *ds, const struct defs *defs,
			     const char *area, enum publish_lang lang, const char *area_name);
/*
 * The report's tables for one area, in its order, labelled in lang (area_name: the area's name
 * in lang, NULL: its name): calls fn for each with a caption, and ors the symbols shown into
 * *symbols.
 */
void publish_area_tables(const struct dataset *ds, const struct defs *defs, const char *area,
			 enum publish_lang lang, const char *area_name,
			 void (*fn)(const struct rtable *t, void *ctx, const char *caption), void *ctx,
			 unsigned *symbols);
/* in without its " [note N]" markers (HTML and text show the notes after the table; the CSV
   files have none). */
void publish_strip_notes(const char *in, char *out, size_t size);
/* The symbol a withheld cell shows: "-" for [z] in the layout of the annual reports. */
const char *publish_display_symbol(const struct rt_cell *cell, int report_style);

/* What the symbols mean: [c], then [z] (or -), then [x]. */
extern const char *const publish_symbol_lines[3];

#endif
