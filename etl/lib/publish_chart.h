/*
 * publish_chart: the chart of the national summary page: the rate per 100,000 of each area as a
 * horizontal bar, highest first, with the national rate as a dashed line, as an inline SVG
 * figure that scales with its viewBox. Its text alternative (title, desc) names the highest and
 * lowest areas and points at the table of the same figures below the chart.
 */
#ifndef MAPPA_PUBLISH_CHART_H
#define MAPPA_PUBLISH_CHART_H

#include "dataset.h"
#include "defs.h"
#include "xhtml.h"

/* Writes the <figure> with the chart of the first rate of defs into the page h (nothing when
 * defs has no rate), through libxml2 as the rest of the page. */
void publish_chart_rates(const struct dataset *ds, const struct defs *defs, struct xhtml *h);

#endif
