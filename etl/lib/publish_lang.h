/*
 * publish_lang: the words of the published pages in each language they are written in, in one
 * table keyed by language (English, Welsh), so that a translator reviews one place. The labels
 * of the statistics are data (schemas/definitions.xml, <title xml:lang="cy">; an area's Welsh
 * name in reference/areas.xml); this holds the page prose and the labels the writers make.
 *
 * The English strings are exactly those the English pages always had. The Welsh strings are a
 * machine-assisted draft: a fluent Welsh reviewer must check them before the first publication
 * (docs/publication.md, "Welsh pages").
 */
#ifndef MAPPA_PUBLISH_LANG_H
#define MAPPA_PUBLISH_LANG_H

#include <stddef.h>

enum publish_lang { PUBLISH_EN, PUBLISH_CY, PUBLISH_LANGS };

enum publish_msg {
	MSG_LANG_CODE,          /* "en", "cy": the lang and hreflang attribute */
	MSG_LANG_NAME,          /* the language's name in itself: "English", "Cymraeg" */
	MSG_OTHER_LANG_INTRO,   /* before the link to the page in the other language */
	MSG_PAGE_TITLE,         /* "MAPPA statistics: %s, %s" (area, period) */
	MSG_INTRO,              /* the first paragraph of an area page */
	MSG_SUMMARY_LINK,       /* the link to the national summary (in English) */
	MSG_AREA_MISSING,
	MSG_CATEGORY4,
	MSG_SYMBOLS_KEY,        /* the short key before the tables, without its link */
	MSG_SYMBOLS_LINK,
	MSG_SYMBOLS_HEADING,
	MSG_SYMBOL_C,           /* what [c] means (the list under the heading); a format: %s the
	                           counts never published ("1 or 2", publish_threshold_words) */
	MSG_SYMBOL_Z,
	MSG_SYMBOL_X,
	MSG_SYMBOL_R,           /* what [r] means: a figure revised since an earlier publication */
	MSG_ABBR_C,             /* the symbols' titles */
	MSG_ABBR_Z,
	MSG_ABBR_X,
	MSG_ABBR_R,
	MSG_LEVEL,              /* table labels */
	MSG_MEASURE,
	MSG_NUMBER,
	MSG_AREA,
	MSG_TOTAL,
	MSG_LEVEL_N,            /* "Level %d" */
	MSG_CATEGORY_1,         /* the category columns */
	MSG_CATEGORY_2,
	MSG_CATEGORY_3,
	MSG_CATEGORY_4,
	MSG_CATEGORY_ALL,
	MSG_CATEGORY_1_3,
	MSG_POPULATION,         /* "Population aged 10 and over" */
	MSG_APPROXIMATE,        /* " (approximate)" */
	MSG_RATE_PER,           /* "Rate per %s population aged 10 and over" */
	MSG_SINGLES_TITLE,      /* the small tables of Category 1 orders */
	MSG_POP_NOTE,           /* "The rate is ... aged 10 and over (" then the population */
	MSG_POP_OFFICIAL,       /* "), using %s." (the source) */
	MSG_POP_APPROXIMATE,    /* "). This population is an approximation ..." */
	MSG_REL_DATE,           /* the release metadata's labels, in publish_release_items order */
	MSG_REL_NEXT,
	MSG_REL_PRODUCER,
	MSG_REL_SOURCE,
	MSG_REL_CONTACT,
	MSG_REL_EMAIL,
	MSG_REL_PHONE,
	MSG_REL_METHODOLOGY,
	MSG_REL_LICENCE,
	MSG_REL_PROVISIONAL,    /* " (provisional)" after the next release */
	MSG_REL_SOURCE_TEXT,    /* the source, as the release line states it */
	MSG_REL_LICENCE_TEXT,
	MSG_REL_LICENCE_URL,
	MSG_MONTHS,             /* the twelve months, separated by '|' */
	MSG_CATEGORY_N,         /* "Category %d": a category's short column label (text files) */
	MSG_WELSH_SUMMARY,      /* README.txt and index.html, in Welsh: what the bundle holds;
	                           %d %d the period's years, %s the Welsh areas' names */
	MSG_WELSH_FILES,        /* the Welsh files, after MSG_WELSH_SUMMARY */
	MSG_COUNT
};

/* The text of msg in lang (never NULL; lang out of range: English). */
const char *publish_msg(enum publish_lang lang, enum publish_msg msg);

/* "26 October 2023" / "26 Hydref 2023" for 2023-10-26, "October 2024" for 2024-10; other text
 * as it is. Returns buf. */
const char *publish_lang_date(enum publish_lang lang, const char *iso, char *buf, size_t size);

/* Whether the area has Welsh pages as well as English ones: the Welsh areas (codes W15...). */
int publish_lang_has_welsh(const char *code);

/* An area page's file under areas/: "W15000002-gwent.html", "W15000002-gwent.cy.html". */
void publish_lang_area_file(const char *code, const char *name, enum publish_lang lang,
			    char *buf, size_t size);

#endif
