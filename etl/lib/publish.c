/*
 * publish: the bundle assembled from its writers (see publish.h).
 */
#include "publish.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "publish_csv.h"
#include "publish_html.h"
#include "publish_ods.h"
#include "publish_readme.h"
#include "publish_series.h"
#include "publish_text.h"
#include "sdmx.h"

int publish_period_years(const char *period, int *first, int *second)
{
	int a = dataset_period_year(period);
	if (a < 0)
		return -1;
	*first = a;
	*second = a + 1;
	return 0;
}

const char *publish_slug(const char *name, char *buf, size_t size)
{
	size_t n = 0;
	int dash = 0;

	for (const char *p = name; *p && n + 2 < size; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n)
				buf[n++] = '-';
			buf[n++] = c;
			dash = 0;
		} else {
			dash = 1;
		}
	}
	if (n == 0 && size > 5) {
		memcpy(buf, "area", 4);
		n = 4;
	}
	buf[n] = '\0';
	return buf;
}

/* ---- the bundle ---- */

/* Adds the file built in sb to b as path and empties sb. Returns 0, or -1 with B01 in d. */
static int add(struct bundle *b, const char *path, struct strbuf *sb, struct diag_list *d)
{
	int r = bundle_add_strbuf(b, path, sb, d);

	strbuf_release(sb);
	return r;
}

#define ADD(path, sb) \
	do { \
		if (add(b, (path), (sb), d) != 0) \
			goto out; \
	} while (0)

int publish_bundle(const struct dataset *ds, const struct defs *defs, const struct areas *ref,
		   const struct publish_options *opt, struct bundle *b, struct diag_list *d)
{
	struct strbuf sb = STRBUF_INIT;
	struct zipmem_time when = { 2000, 1, 1, 0, 0, 0 };
	char top[64], path[256], slug[80];
	int y1, y2, result = -1, have_marked = 0;
	struct publish_release rel;
	const struct series *series = opt ? opt->series : NULL;
	const struct policy *pol = opt ? opt->policy : NULL;
	struct dataset *marked = NULL; /* 45 KB: off the stack frame */
	size_t nrevised = 0;

	publish_release_resolve(&rel, opt ? &opt->release : NULL, ds->period);
	snprintf(top, sizeof top, "mappa-%s", ds->period);
	if (publish_release_validate(&rel, top, NULL, d) != 0 ||
	    publish_release_check_period(&rel, ds->period, top, 0, d) != 0) {
		bundle_init(b, "mappa", &when);
		goto out;
	}
	if (publish_period_years(ds->period, &y1, &y2) == 0) {
		when.year = y2;
		when.month = 4;
		when.day = 1;
	}
	bundle_init(b, top, &when);
	if (series && series->republished) {
		/* a period published again: its revised figures are marked [r] (publish_series.h) */
		marked = malloc(sizeof *marked);
		if (!marked || publish_series_mark(series, ds, defs, marked, &nrevised) != 0) {
			diag_add_errno(d, top, "P99", ENOMEM, "out of memory");
			goto out;
		}
		have_marked = 1;
		ds = marked;
	}

	publish_readme_write(ds, defs, pol, ref, &rel, &sb);
	publish_series_readme(series, ds, defs, rel.date, nrevised, &sb);
	ADD("README.txt", &sb);
	publish_csv_observations(ds, defs, pol, &sb);
	ADD("observations.csv", &sb);
	sdmx_csv(ds, defs, &sb);
	ADD(SDMX_CSV_FILE, &sb);
	if (sdmx_structure(defs, ref, ds->period, &sb, d) != 0)
		goto out;
	ADD(SDMX_STRUCTURE_FILE, &sb);
	for (unsigned s = 0; s < dataset_stat_count(defs); s++)
		for (int national = 1; national >= 0; national--) {
			snprintf(path, sizeof path, "tables/%s-%s.csv", national ? "national" : "areas",
				 dataset_stat_name(defs, s));
			publish_csv_published(ds, defs, pol, s, national, &sb);
			ADD(path, &sb);
		}
	for (unsigned s = 0; series && series->nperiods && s < dataset_stat_count(defs); s++) {
		snprintf(path, sizeof path, "tables/series-national-%s.csv", dataset_stat_name(defs, s));
		publish_series_csv(series, ds, defs, s, &sb);
		ADD(path, &sb);
	}
	if (series && series->republished && publish_series_revisions_csv(series, ds, defs, &sb) > 0)
		ADD("revisions.csv", &sb);
	strbuf_release(&sb);
	snprintf(path, sizeof path, "mappa-%s.ods", ds->period);
	if (publish_ods_workbook(ds, defs, pol, ref, &rel, &when, series, nrevised, path, &sb, d) != 0)
		goto out;
	ADD(path, &sb);
	for (size_t i = 0; i < ds->nareas; i++) {
		const struct dataset_area *a = &ds->areas[i];
		publish_slug(a->name, slug, sizeof slug);
		for (int lang = PUBLISH_EN; lang < PUBLISH_LANGS; lang++) {
			/* the Welsh areas' pages also in Welsh, each linking to the other (hreflang) */
			struct publish_html_page page = { (enum publish_lang)lang, NULL, NULL, PUBLISH_CY };
			const struct area *ra = ref ? areas_find(ref, a->code) : NULL;
			char file[160], other[160];
			int welsh = publish_lang_has_welsh(a->code);
			if (lang != PUBLISH_EN && !welsh)
				break;
			if (welsh) {
				page.other_lang = lang == PUBLISH_EN ? PUBLISH_CY : PUBLISH_EN;
				publish_lang_area_file(a->code, a->name, page.other_lang, other, sizeof other);
				page.other_file = other;
				if (lang == PUBLISH_CY && ra && ra->name_cy[0])
					page.area_name = ra->name_cy;
			}
			publish_lang_area_file(a->code, a->name, (enum publish_lang)lang, file, sizeof file);
			snprintf(path, sizeof path, "areas/%s", file);
			publish_html_area_lang(ds, defs, pol, a->code, &rel, &page, &sb);
			/* the previous period and revisions: in English, on the English page only */
			if (lang == PUBLISH_EN)
				publish_series_html_area(series, ds, defs, a->code, &sb);
			ADD(path, &sb);
			if (lang == PUBLISH_EN)
				continue;
			/* the text section in that language too: areas/CODE-NAME.cy.txt */
			snprintf(path, sizeof path, "areas/%s-%s.%s.txt", a->code, slug,
				 publish_msg((enum publish_lang)lang, MSG_LANG_CODE));
			publish_text_area_lang(ds, defs, pol, a->code, (enum publish_lang)lang, page.area_name,
					       &rel, &sb);
			ADD(path, &sb);
		}
		snprintf(path, sizeof path, "areas/%s-%s.txt", a->code, slug);
		publish_text_area(ds, defs, pol, a->code, &rel, &sb);
		ADD(path, &sb);
	}
	publish_html_index(ds, defs, pol, ref, b, &rel, &sb);
	publish_series_html_index(series, ds, defs, nrevised, &sb);
	ADD("index.html", &sb);
	if (bundle_add_manifest(b, d) != 0)
		goto out;
	result = 0;
out:
	strbuf_release(&sb);
	if (result != 0)
		bundle_release(b);
	if (have_marked)
		dataset_release(marked);
	free(marked);
	return result;
}
