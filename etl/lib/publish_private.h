/*
 * publish_private: what the writers of the publication bundle share (publish*.c): the order of
 * the statistics, their titles, names and labels in each language, and the sentences about
 * missing areas and populations that several outputs print. Internal to publish*.c, as
 * libarchive keeps its internals in *_private.h; not for programs. The tables themselves are
 * laid out by publish_layout.h into the table model of ptable.h.
 */
#ifndef MAPPA_PUBLISH_PRIVATE_H
#define MAPPA_PUBLISH_PRIVATE_H

#include <stddef.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "policy.h"
#include "publish_lang.h"
#include "publish_release.h"
#include "strbuf.h"

/* Room for any statistic's title with its year (the Welsh titles are the longest). */
#define PUBLISH_TITLE_SIZE (sizeof ((struct defs_table *)0)->title_cy + 16)

/* pol, or the shipped default policy put in *def when pol is NULL. */
const struct policy *publish_policy(const struct policy *pol, struct policy *def);
/* The counts a table under the primary rule t never publishes, in words: "1 or 2", "1 to 5",
 * "1", with protected zeros "0 to 2", "0, or 3 to 5"; in lang ("1 neu 2", "1 i 5"). Returns
 * buf. */
const char *publish_threshold_words(const struct policy_threshold *t, enum publish_lang lang,
				    char *buf, size_t size);
/* Whether the area and national tables never publish the same counts. */
int publish_same_threshold(const struct policy *pol);
/* The counts pol never publishes, with the tables they are in (English): "1 or 2 in area and
 * national tables", or "1 or 2 in area tables and 1 in national tables"; then what is said of
 * zeros: "; zeros are published", "; zeros are published in national tables" or nothing (the
 * words name 0). As README.txt and the workbook's notes say it. */
void publish_counts_rule(const struct policy *pol, struct strbuf *out);
void publish_zeros_rule(const struct policy *pol, struct strbuf *out);

/* Statistics in the order of the annual report's section; returns how many. */
size_t publish_stat_order(const struct defs *defs, unsigned *out);
/* Whether stat is a single count (no categories, no levels). */
int publish_is_single(const struct defs *defs, unsigned stat);
/* An area's (or the nation's) name; the code itself when unknown. */
const char *publish_area_name(const struct dataset *ds, const char *code);
/* The population aged 10 and over of an area, or of the nation (the sum of the areas that sent
 * a return); *approximate: whether it is (or holds) an approximation. 0 for an unknown code. */
long long publish_population_of(const struct dataset *ds, const char *code, int *approximate);
/* How many of ds's areas have an approximate population. */
size_t publish_count_approximate(const struct dataset *ds);
/* A statistic's title, with the year where it names a day ("on 31 March 2023"); size at least
 * PUBLISH_TITLE_SIZE keeps every title whole. */
void publish_stat_title(const struct dataset *ds, const struct defs *defs, unsigned stat,
			char *buf, size_t size);
/* The same in lang: the Welsh title where the definitions have one ("... 31 Mawrth 2023"). */
void publish_stat_title_lang(const struct dataset *ds, const struct defs *defs, unsigned stat,
			     enum publish_lang lang, char *buf, size_t size);
/* A category's column label in lang ("Category 1: ...", "Total (categories 1-3)"). */
const char *publish_category_label(int cat, enum publish_lang lang);
/* A level's row label in lang: "Level 2", "Total" (buf: at least 32 bytes). */
const char *publish_level_label(int level, enum publish_lang lang, char *buf, size_t size);
/* "2022/23". */
void publish_period_label(const struct dataset *ds, char *buf, size_t size);
/* Appends "Cumbria and Gwent sent no valid return for the period: ..." (when ds->incomplete). */
void publish_missing_sentence(const struct dataset *ds, struct strbuf *out);
/* Appends the rate's population and where it comes from, as one plain-text paragraph (no
 * newline), in English. */
void publish_population_note(const struct dataset *ds, const char *area, struct strbuf *out);
/* The same in lang (an area's note in Welsh; the nation's is in English only). */
void publish_population_note_lang(const struct dataset *ds, const char *area, enum publish_lang lang,
				  struct strbuf *out);
/* The release items in lang: labels, dates, source and licence translated; the values the
 * producer configured (names, addresses) as they are. */
void publish_release_items_lang(const struct publish_release *r, enum publish_lang lang,
				struct publish_release_item *it);
/*
 * Appends where the populations come from, as one paragraph: the official source only for the
 * areas whose population is that source's figure; every approximation called one, with how it
 * was made (ref's approximationSource and approximationMethod, when ref has them).
 */
void publish_population_sources(const struct dataset *ds, const struct areas *ref, struct strbuf *out);
/* Appends, in lang, what the bundle holds and that the Welsh areas' sections are also in Welsh,
 * naming the Welsh areas of ds in lang (their Welsh names from ref, when ref has them); files:
 * followed by which files those are. Appends nothing when ds has no Welsh area. Returns how
 * many Welsh areas ds has. */
size_t publish_welsh_summary(const struct dataset *ds, const struct areas *ref, enum publish_lang lang,
			     int files, struct strbuf *out);
/* in without its " [note N]" markers (HTML and text show the notes after the table; the CSV
   files have none), cut to size. */
void publish_strip_notes(const char *in, char *out, size_t size);
/* The length of in without its " [note N]" markers. */
size_t publish_notes_at(const char *in);
/* The symbol a withheld cell shows: "-" for [z] in the layout of the annual reports. */
const char *publish_display_symbol(const char *symbol, int report_style);

/* What the symbols mean, in English: [c] (a format: %s the counts never published), then [z]
 * (or -), then [x]. */
extern const char *const publish_symbol_lines[3];
/* Appends what a symbol means in lang (msg: MSG_SYMBOL_C, _Z or _X), the counts of [c] from
 * pol: the area tables' (national 0: a page of area tables), or both scopes' (national 1: a
 * page that shows national figures too; "1 or 2 in an area table or 1 in a national table"
 * when they differ). */
void publish_symbol_line(const struct policy *pol, enum publish_lang lang, enum publish_msg msg,
			 int national, struct strbuf *out);

#endif
