/*
 * run_history: the history in a run (see run_history.h).
 */
#include "run_history.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "publish_check.h"
#include "publish_series.h"
#include "quote.h"
#include "run.h"

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The bundles of periods after period in dir, by name, into h->later (QA: a revision of
 * 2021-22 published after 2022-23 left the 2022-23 bundle's series with the figures first
 * published, and the report said nothing of it). */
static void later_bundles(struct run_history *h, const char *dir, const char *period)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char *names[16];
	size_t n = 0, w = 0;

	h->later[0] = '\0';
	if (!dp)
		return;
	while ((de = readdir(dp)) != NULL && n < sizeof names / sizeof names[0]) {
		char p[8];
		if (bundle_name_parse(de->d_name, p, NULL) < 0 || strcmp(p, period) <= 0)
			continue;
		if ((names[n] = strdup(de->d_name)) != NULL)
			n++;
	}
	closedir(dp);
	qsort(names, n, sizeof names[0], name_cmp);
	for (size_t i = 0; i < n; i++) {
		int k = snprintf(h->later + w, sizeof h->later - w, "%s%s", i ? ", " : "", names[i]);
		if (k > 0 && (size_t)k < sizeof h->later - w)
			w += (size_t)k;
		free(names[i]);
	}
}

int run_history_load(struct run_history *h, const struct defs *defs, const struct areas *areas,
		     const struct policy *pol, const char *dir, const char *qdir,
		     const struct dataset *merged,
		     const struct series_return *returns, size_t nreturns,
		     const struct yoy_limits *limits, struct diag_list *d)
{
	int r, result = -1;

	if (snprintf(h->folder, sizeof h->folder, "%s", qdir) >= (int)sizeof h->folder)
		memcpy(h->folder + sizeof h->folder - 4, "...", 4); /* qdir is printable: cut it */
	r = series_load(&h->series, defs, areas, dir, merged->period, d);
	if (r != 0)
		goto out; /* H01 of the folder with its errno, or the refused bundle's diagnostics */
	h->loaded = 1;
	/* the earlier publications this one shows again, as a reader's audit finds them (an
	   edited bundle, its manifest made again, was shown as published; QA) */
	if (publish_check_series(&h->series, defs, pol, dir, d) != 0)
		r = -1;
	if (r != 0)
		goto out;
	later_bundles(h, dir, merged->period);
	h->nyoy = series_yoy(&h->series, merged, defs, limits, returns, nreturns, &h->yoy);
	if (h->nyoy < 0) {
		diag_add_errno(d, dir, "H01", ENOMEM, "out of memory in the year-on-year checks");
		goto out;
	}
	result = 0;
out:
	return result;
}

size_t run_history_revised(const struct run_history *h, const struct dataset *ds,
			   const struct defs *defs, char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	if (!h || !h->loaded || !h->series.republished)
		return 0;
	return publish_series_revised_areas(&h->series, ds, 0, defs, buf, size);
}

size_t run_history_release_note(const struct run_history *h, const struct dataset *ds,
				char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	if (!h || !h->loaded)
		return 0;
	return series_release_note(&h->series, ds, h->release, buf, size);
}

static void periods_line(const struct run_history *h, struct strbuf *out)
{
	size_t n = 0;

	for (size_t i = 0; i < h->series.nperiods; i++)
		if (h->series.periods[i].present) {
			strbuf_addf(out, "%s%s", n ? ", " : "", h->series.periods[i].file);
			n++;
		}
	/* a republished period's own bundle is no other period's (QA: "no earlier bundle", and
	   the next line said the period was published before; "of another period" when a later
	   period's bundle was named two lines below, QA) */
	if (!n)
		strbuf_puts(out, h->series.republished ? "no bundle of an earlier period"
						      : "no earlier bundle");
}

/* The heading of a return's warnings: "Cumbria (E23000002)", the area whose return file is;
 * the file itself when no area of ds came from it. */
static void area_heading(const struct dataset *ds, const char *file, struct strbuf *out)
{
	for (size_t i = 0; ds && i < ds->nareas; i++)
		if (strcmp(ds->areas[i].source, file) == 0) {
			strbuf_addf(out, "%s (%s)", ds->areas[i].name, ds->areas[i].code);
			return;
		}
	quote_name(out, file);
}

/* One warning located as every diagnostic is: "FILE:LINE: warning[RULE]: message". */
static void warning_text(const struct diag *w, struct strbuf *out)
{
	diag_format(out, w);
}

void run_history_text(const struct run_history *h, const struct dataset *ds, const struct defs *defs,
		      int publishes, struct strbuf *out)
{
	char areas[2000], note[600];
	const char *file = NULL;
	size_t nrev;

	if (!h || !h->loaded)
		return;
	strbuf_addf(out, "\nHistory (%s): ", h->folder);
	periods_line(h, out);
	strbuf_puts(out, "\n");
	if (h->series.republished) {
		nrev = run_history_revised(h, ds, defs, areas, sizeof areas);
		/* a run that fails publishes nothing (QA: its report said it republished) */
		strbuf_addf(out, "  %s published before: %s; revised areas since the bundle it "
			    "replaces (%zu): %s\n", ds->period,
			    publishes ? "this run republishes it"
				      : "this run would have republished it (it published nothing)",
			    nrev, nrev ? areas : "none");
		if (run_history_release_note(h, ds, note, sizeof note))
			strbuf_addf(out, "  release date: %s\n", note);
		if (h->later[0])
			strbuf_addf(out, "  the bundles of later periods (%s) show %s as it was published "
				    "when they were: run those periods again to carry this revision into "
				    "their time series and previous-period columns\n", h->later,
				    ds->period);
	} else if (h->later[0])
		/* a period published after a later one (QA: backfilled, nothing said) */
		strbuf_addf(out, "  the bundles of later periods (%s) were published without %s: run "
			    "those periods again to add it to their time series and previous-period "
			    "columns\n", h->later, ds->period);
	strbuf_addf(out, "\nYear-on-year warnings (%d; they never stop a return):\n", h->nyoy);
	if (!series_previous(&h->series))
		strbuf_puts(out, "  none: no bundle of the period before\n");
	else if (!h->nyoy)
		strbuf_puts(out, "  none\n");
	for (size_t k = 0; k < h->yoy.count; k++) {
		const struct diag *w = &h->yoy.items[k];
		if (!file || strcmp(file, w->file) != 0) {
			file = w->file;
			strbuf_puts(out, "  ");
			area_heading(ds, file, out);
			strbuf_puts(out, ":\n");
		}
		strbuf_puts(out, "    ");
		warning_text(w, out);
		strbuf_puts(out, "\n");
	}
	if ((size_t)h->nyoy > h->yoy.count)
		strbuf_addf(out, "  and %zu more\n", (size_t)h->nyoy - h->yoy.count);
}

void run_history_html(const struct run_history *h, const struct dataset *ds, const struct defs *defs,
		      int publishes, struct strbuf *out)
{
	char areas[2000], note[600];
	const char *file = NULL;
	struct strbuf tmp = STRBUF_INIT;
	size_t nrev;

	if (!h || !h->loaded)
		return;
	strbuf_puts(out, "<h2>History</h2>\n<p>Earlier bundles read from ");
	run_html_escape(out, h->folder);
	strbuf_puts(out, ": ");
	periods_line(h, &tmp);
	run_html_escape(out, tmp.data ? tmp.data : "");
	strbuf_puts(out, ".</p>\n");
	if (h->series.republished) {
		nrev = run_history_revised(h, ds, defs, areas, sizeof areas);
		strbuf_addf(out, "<p>%s was published before: %s. Revised areas since the bundle it "
			    "replaces (%zu): ", ds->period,
			    publishes ? "this run republishes it"
				      : "this run would have republished it (it published nothing)",
			    nrev);
		run_html_escape(out, nrev ? areas : "none");
		strbuf_puts(out, ".</p>\n");
		if (run_history_release_note(h, ds, note, sizeof note)) {
			strbuf_puts(out, "<p>Release date: ");
			run_html_escape(out, note);
			strbuf_puts(out, ".</p>\n");
		}
		if (h->later[0]) {
			strbuf_puts(out, "<p>The bundles of later periods (");
			run_html_escape(out, h->later);
			strbuf_addf(out, ") show %s as it was published when they were: run those "
				    "periods again to carry this revision into their time series and "
				    "previous-period columns.</p>\n", ds->period);
		}
	} else if (h->later[0]) {
		strbuf_puts(out, "<p>The bundles of later periods (");
		run_html_escape(out, h->later);
		strbuf_addf(out, ") were published without %s: run those periods again to add it to "
			    "their time series and previous-period columns.</p>\n", ds->period);
	}
	strbuf_addf(out, "<h2>Year-on-year warnings (%d)</h2>\n<p>Figures that moved a lot since the "
		    "period before (rules Y01-Y03, docs/rules.md): worth a look, never a reason to "
		    "refuse a return.</p>\n", h->nyoy);
	for (size_t k = 0; k < h->yoy.count; k++) {
		const struct diag *w = &h->yoy.items[k];
		if (!file || strcmp(file, w->file) != 0) {
			if (file)
				strbuf_puts(out, "</ul>\n");
			file = w->file;
			tmp.len = 0;
			area_heading(ds, file, &tmp);
			strbuf_puts(out, "<h3>");
			run_html_escape(out, tmp.data ? tmp.data : "");
			strbuf_puts(out, "</h3>\n<ul>\n");
		}
		tmp.len = 0;
		warning_text(w, &tmp);
		strbuf_puts(out, "<li>");
		run_html_escape(out, tmp.data ? tmp.data : "");
		strbuf_puts(out, "</li>\n");
	}
	if (file)
		strbuf_puts(out, "</ul>\n");
	strbuf_release(&tmp);
}

void run_history_release(struct run_history *h)
{
	if (!h)
		return;
	series_release(&h->series);
	diag_clear(&h->yoy);
	h->loaded = 0;
	h->nyoy = 0;
}
