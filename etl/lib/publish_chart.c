/*
 * publish_chart: the rates by area as an SVG bar chart (see publish_chart.h).
 */
#include "publish_chart.h"

#include <stdlib.h>
#include <string.h>

#include "pivot.h"
#include "publish_private.h"

struct rate_bar {
	const char *code, *name;
	struct pivot_value v;
};

static int bar_cmp(const void *pa, const void *pb)
{
	const struct rate_bar *a = pa, *b = pb;
	if (a->v.published != b->v.published)
		return a->v.published ? -1 : 1;
	if (a->v.value != b->v.value)
		return a->v.value > b->v.value ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* <text x y ...> at (x, y); the caller adds attributes, the text and ends it. */
static void text_at(struct xhtml *h, int x, int y)
{
	xhtml_start(h, "text");
	xhtml_attrf(h, "x", "%d", x);
	xhtml_attrf(h, "y", "%d", y);
}

/* A line from (x1, y1) to (x2, y2) in colour, width; dash NULL: solid. */
static void line(struct xhtml *h, int x1, int y1, int x2, int y2, const char *colour, const char *width,
		 const char *dash)
{
	xhtml_start(h, "line");
	xhtml_attrf(h, "x1", "%d", x1);
	xhtml_attrf(h, "y1", "%d", y1);
	xhtml_attrf(h, "x2", "%d", x2);
	xhtml_attrf(h, "y2", "%d", y2);
	xhtml_attr(h, "stroke", colour);
	xhtml_attr(h, "stroke-width", width);
	if (dash)
		xhtml_attr(h, "stroke-dasharray", dash);
	xhtml_end_void(h);
	xhtml_nl(h);
}

void publish_chart_rates(const struct dataset *ds, const struct defs *defs, struct xhtml *h)
{
	struct rate_bar *bars;
	struct pivot_value nat;
	unsigned rate = (unsigned)defs->ntables;
	long long max = 1;
	const int left = 210, width = 520, bar = 16, gap = 6, top = 46;
	int height, y, xnat;
	size_t n = ds->nareas, shown = 0;
	char buf[64], plabel[16];

	if (!defs->nrates)
		return;
	if (!(bars = calloc(n ? n : 1, sizeof *bars))) {
		h->failed = 1;
		return;
	}
	publish_period_label(ds, plabel, sizeof plabel);
	nat = pivot_get(ds, defs, ds->national_code, rate, CAT_NONE, LEVEL_NONE);
	for (size_t i = 0; i < n; i++) {
		bars[i].code = ds->areas[i].code;
		bars[i].name = ds->areas[i].name;
		bars[i].v = pivot_get(ds, defs, ds->areas[i].code, rate, CAT_NONE, LEVEL_NONE);
		if (bars[i].v.published) {
			shown++;
			if (bars[i].v.value > max)
				max = bars[i].v.value;
		}
	}
	if (nat.published && nat.value > max)
		max = nat.value;
	max = (max * 11 + 9) / 10;
	xnat = nat.published ? left + (int)(nat.value * width / max) : -100;
	qsort(bars, n, sizeof *bars, bar_cmp);
	height = top + (int)n * (bar + gap) + 30;
	xhtml_start(h, "figure");
	xhtml_nl(h);
	/* no width or height: the viewBox lets the chart scale to the page (CSS width:100%) */
	xhtml_start(h, "svg");
	xhtml_attr(h, "xmlns", "http://www.w3.org/2000/svg");
	xhtml_attr(h, "role", "img");
	xhtml_attr(h, "aria-labelledby", "chart-title chart-desc");
	xhtml_attrf(h, "viewBox", "0 0 %d %d", left + width + 70, height);
	xhtml_attr(h, "preserveAspectRatio", "xMinYMin meet");
	xhtml_attr(h, "font-family", "Arial, Helvetica, sans-serif");
	xhtml_attr(h, "font-size", "13");
	xhtml_nl(h);
	xhtml_start(h, "title");
	xhtml_attr(h, "id", "chart-title");
	xhtml_textf(h, "Individuals subject to sex offender notification requirements per 100,000 "
		    "population aged 10 and over, by MAPPA area, %s", plabel);
	xhtml_end(h);
	xhtml_nl(h);
	xhtml_start(h, "desc");
	xhtml_attr(h, "id", "chart-desc");
	xhtml_text(h, "Horizontal bar chart, one bar per area, highest rate first. ");
	/* the figures as the chart and the tables print them (QA: "Highest: Cumbria (6772008)"
	   beside a line labelled "England and Wales: 57,356") */
	if (shown) {
		const struct rate_bar *hi = &bars[0], *lo = &bars[shown - 1];
		char lbuf[64];
		xhtml_textf(h, "Highest: %s (%s). Lowest: %s (%s). ", hi->name,
			    pivot_format_number(hi->v.value, buf, sizeof buf), lo->name,
			    pivot_format_number(lo->v.value, lbuf, sizeof lbuf));
	}
	if (nat.published)
		xhtml_textf(h, "The line marks the rate for England and Wales, %s.",
			    pivot_format_number(nat.value, buf, sizeof buf));
	xhtml_textf(h, " Every area's rate, and its population, is in the table below the chart, "
		    "'Rate per 100,000 population aged 10 and over, by MAPPA area, %s'.", plabel);
	xhtml_end(h);
	xhtml_nl(h);
	/* bars and names, then the national line over the bars, then the values over the line
	 * (with a white halo), so that no value is hidden behind the line */
	y = top;
	for (size_t i = 0; i < n; i++) {
		const struct rate_bar *b = &bars[i];
		text_at(h, left - 8, y + bar - 3);
		xhtml_attr(h, "text-anchor", "end");
		xhtml_attr(h, "fill", "#0b0c0c");
		xhtml_text(h, b->name);
		xhtml_end(h);
		xhtml_nl(h);
		if (b->v.published) {
			xhtml_start(h, "rect");
			xhtml_attrf(h, "x", "%d", left);
			xhtml_attrf(h, "y", "%d", y);
			xhtml_attrf(h, "width", "%d", (int)(b->v.value * width / max));
			xhtml_attrf(h, "height", "%d", bar);
			xhtml_attr(h, "fill", "#1d70b8");
			xhtml_end_void(h);
			xhtml_nl(h);
		}
		y += bar + gap;
	}
	line(h, left, top - 4, left, y, "#0b0c0c", "1", NULL);
	if (nat.published) {
		line(h, xnat, top - 14, xnat, y, "#d4351c", "2", "6 4");
		text_at(h, xnat, top - 20);
		xhtml_attr(h, "text-anchor", "middle");
		xhtml_attr(h, "fill", "#d4351c");
		xhtml_attr(h, "font-weight", "bold");
		xhtml_textf(h, "England and Wales: %s", pivot_format_number(nat.value, buf, sizeof buf));
		xhtml_end(h);
		xhtml_nl(h);
	}
	y = top;
	for (size_t i = 0; i < n; i++) {
		const struct rate_bar *b = &bars[i];
		if (b->v.published) {
			/* a label that would cross the national line goes just right of it */
			int x = left + (int)(b->v.value * width / max) + 6;
			int w = 8 * (int)strlen(pivot_format_number(b->v.value, buf, sizeof buf));
			if (nat.published && x - 3 <= xnat && xnat <= x + w + 3)
				x = xnat + 5;
			text_at(h, x, y + bar - 3);
			xhtml_attr(h, "fill", "#0b0c0c");
			xhtml_attr(h, "stroke", "#ffffff");
			xhtml_attr(h, "stroke-width", "4");
			xhtml_attr(h, "paint-order", "stroke");
			xhtml_text(h, buf);
		} else {
			text_at(h, left + 6, y + bar - 3);
			xhtml_attr(h, "fill", "#505a5f");
			xhtml_text(h, b->v.symbol);
		}
		xhtml_end(h);
		xhtml_nl(h);
		y += bar + gap;
	}
	xhtml_end(h);   /* svg */
	xhtml_nl(h);
	xhtml_element(h, "figcaption", "Rate per 100,000 population aged 10 and over, by MAPPA area, "
		      "highest first; the dashed line is the rate for England and Wales.");
	xhtml_nl(h);
	xhtml_end(h);   /* figure */
	xhtml_nl(h);
	free(bars);
}
