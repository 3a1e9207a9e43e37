/*
 * publish_chart: the rates by area as an SVG bar chart (see publish_chart.h).
 */
#include "publish_chart.h"

#include <stdlib.h>
#include <string.h>

#include "htmlesc.h"
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

void publish_chart_rates(const struct dataset *ds, const struct defs *defs, struct strbuf *out)
{
	struct rate_bar bars[AREAS_MAX];
	struct pivot_value nat;
	unsigned rate = (unsigned)defs->ntables;
	long long max = 1;
	const int left = 210, width = 520, bar = 16, gap = 6, top = 46;
	int height, y, xnat;
	size_t n = ds->nareas, shown = 0;
	char buf[64], plabel[16];

	if (!defs->nrates)
		return;
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
	/* no width or height: the viewBox lets the chart scale to the page (CSS width:100%) */
	strbuf_addf(out, "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
		    "aria-labelledby=\"chart-title chart-desc\" viewBox=\"0 0 %d %d\" "
		    "preserveAspectRatio=\"xMinYMin meet\" "
		    "font-family=\"Arial, Helvetica, sans-serif\" font-size=\"13\">\n",
		    left + width + 70, height);
	strbuf_addf(out, "<title id=\"chart-title\">Individuals subject to sex offender notification "
		    "requirements per 100,000 population aged 10 and over, by MAPPA area, %s</title>\n", plabel);
	strbuf_puts(out, "<desc id=\"chart-desc\">Horizontal bar chart, one bar per area, highest rate first. ");
	if (shown) {
		const struct rate_bar *hi = &bars[0], *lo = &bars[shown - 1];
		strbuf_puts(out, "Highest: ");
		htmlesc_append(out, hi->name);
		strbuf_addf(out, " (%lld). Lowest: ", hi->v.value);
		htmlesc_append(out, lo->name);
		strbuf_addf(out, " (%lld). ", lo->v.value);
	}
	if (nat.published)
		strbuf_addf(out, "The line marks the rate for England and Wales, %lld.", nat.value);
	strbuf_addf(out, " Every area's rate, and its population, is in the table below the chart, "
		    "'Rate per 100,000 population aged 10 and over, by MAPPA area, %s'.</desc>\n", plabel);
	/* bars and names, then the national line over the bars, then the values over the line
	 * (with a white halo), so that no value is hidden behind the line */
	y = top;
	for (size_t i = 0; i < n; i++) {
		const struct rate_bar *b = &bars[i];
		strbuf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#0b0c0c\">", left - 8, y + bar - 3);
		htmlesc_append(out, b->name);
		strbuf_puts(out, "</text>\n");
		if (b->v.published)
			strbuf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#1d70b8\"/>\n",
				    left, y, (int)(b->v.value * width / max), bar);
		y += bar + gap;
	}
	strbuf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#0b0c0c\" stroke-width=\"1\"/>\n",
		    left, top - 4, left, y);
	if (nat.published) {
		int x = xnat;
		strbuf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d4351c\" "
			    "stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n", x, top - 14, x, y);
		strbuf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#d4351c\" "
			    "font-weight=\"bold\">England and Wales: %s</text>\n", x, top - 20,
			    pivot_format_number(nat.value, buf, sizeof buf));
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
			strbuf_addf(out, "<text x=\"%d\" y=\"%d\" fill=\"#0b0c0c\" stroke=\"#ffffff\" "
				    "stroke-width=\"4\" paint-order=\"stroke\">%s</text>\n",
				    x, y + bar - 3, buf);
		}
		else
			strbuf_addf(out, "<text x=\"%d\" y=\"%d\" fill=\"#505a5f\">%s</text>\n", left + 6,
				    y + bar - 3, b->v.symbol);
		y += bar + gap;
	}
	strbuf_puts(out, "</svg>\n<figcaption>Rate per 100,000 population aged 10 and over, by MAPPA area, "
			 "highest first; the dashed line is the rate for England and Wales.</figcaption>\n</figure>\n");
}

