/*
 * publish_series: what a bundle shows across years (docs/publication.md, "Time series and
 * revisions"), from the history read by series.h. Hooks of publish_bundle; nothing here is
 * written when the series is NULL or holds no earlier period and no earlier publication of the
 * period, so that a bundle without history is the same bytes as before.
 *
 *  - tables/series-national-TABLE.csv for every statistic: one row per national cell
 *    (category, level as in observations.csv), one column per period, oldest first; figures of
 *    earlier periods copied from their bundles as published ([c] stays [c]); [x] for a period
 *    without a bundle;
 *  - the same as one workbook sheet per statistic (Series_TABLE), listed on the contents;
 *  - on index.html a chart of the national total of the first table by year and the tables;
 *  - on each area page the figures published for the previous period beside this one;
 *  - when the period was published before: revisions.csv (every figure whose published form
 *    changed: area, table, category, level, published before, published now), [r] after each
 *    revised figure, and the revised areas named in README.txt, on the cover and the pages.
 */
#ifndef MAPPA_PUBLISH_SERIES_H
#define MAPPA_PUBLISH_SERIES_H

#include <stddef.h>

#include "dataset.h"
#include "defs.h"
#include "ods.h"
#include "series.h"
#include "strbuf.h"

#define PUBLISH_SERIES_REVISIONS_HEADER \
	"area_code,area_name,table,category,level,published_before,published_now"

/* Whether s gives the bundle anything (an earlier period, or an earlier publication). */
int publish_series_active(const struct series *s);

/*
 * revisions.csv of ds against the earlier publication of its period (header above, national
 * rows first, then areas by code; keys in publication order). Returns the number of rows
 * (0: nothing changed; the header is written all the same).
 */
size_t publish_series_revisions_csv(const struct series *s, const struct dataset *ds,
				    const struct defs *defs, struct strbuf *out);

/*
 * Copies ds into marked (initialised here) with obs.revised set on every figure published
 * with a value whose published form changed from the earlier publication, where the area (or
 * the nation) is revised (series_area_revised) or the figure had a value before. *nrevised:
 * how many. Returns 0, or -1 out of memory (marked then empty).
 */
int publish_series_mark(const struct series *s, const struct dataset *ds, const struct defs *defs,
			struct dataset *marked, size_t *nrevised);

/* The codes and names of the revised areas, "Cumbria (E01), Kent (E17)", into buf: with shown,
 * those a reader of both bundles sees revised (series_area_shown_revised: what the bundle
 * says), else every revised area (the team's run report). Returns how many areas. */
size_t publish_series_revised_areas(const struct series *s, const struct dataset *ds, int shown,
				    const struct defs *defs, char *buf, size_t size);

/* tables/series-national-STAT.csv. */
void publish_series_csv(const struct series *s, const struct dataset *ds, const struct defs *defs,
			unsigned stat, struct strbuf *out);

/* README.txt: sections "Time series" and, when revised, "Revisions" (release: its date). */
void publish_series_readme(const struct series *s, const struct dataset *ds, const struct defs *defs,
			   const char *release, size_t nrevised, struct strbuf *out);

/* The workbook: rows for the cover's "Revisions", the contents, and the series sheets. */
void publish_series_ods_cover(const struct series *s, const struct dataset *ds, const struct defs *defs,
			      const char *release, size_t nrevised, struct ods *o);
void publish_series_ods_contents(const struct series *s, const struct defs *defs, struct ods *o);
void publish_series_ods_sheets(const struct series *s, const struct dataset *ds, const struct defs *defs,
			       struct ods *o);

/* The pages: a section inserted before "</main>" of page (index.html, or an area's page). */
void publish_series_html_index(const struct series *s, const struct dataset *ds, const struct defs *defs,
			       size_t nrevised, struct strbuf *page);
void publish_series_html_area(const struct series *s, const struct dataset *ds, const struct defs *defs,
			      const char *area, struct strbuf *page);

#endif
