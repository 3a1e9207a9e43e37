/*
 * publish_readme: README.txt (see publish_readme.h).
 */
#include "publish_readme.h"

#include <stdio.h>
#include <string.h>

#include "publish.h"
#include "publish_private.h"
#include "publish_text.h"
#include "sdmx.h"

/* A heading underlined with '-' (or '=' for the title) to its length. */
static void heading(struct strbuf *out, const char *text, char underline)
{
	strbuf_puts(out, text);
	strbuf_puts(out, "\n");
	for (size_t i = strlen(text); i > 0; i--)
		strbuf_add(out, &underline, 1);
	strbuf_puts(out, "\n");
}

void publish_readme_write(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
			  const struct areas *ref,
			  const struct publish_release *rel, struct strbuf *out)
{
	char plabel[16], title[64];
	int y1 = 0, y2 = 0;
	size_t missing = 0;
	struct publish_release_item it[PUBLISH_RELEASE_ITEMS];
	struct strbuf para = STRBUF_INIT;
	struct policy def;

	pol = publish_policy(pol, &def);
	publish_period_label(ds, plabel, sizeof plabel);
	publish_period_years(ds->period, &y1, &y2);
	missing = dataset_areas_in(ds, AREA_MISSING);
	snprintf(title, sizeof title, "MAPPA statistics, England and Wales, %s", plabel);
	heading(out, title, '=');
	strbuf_puts(out, "\n");
	strbuf_addf(&para,
		    "This bundle holds the published statistics of the Multi-Agency Public Protection "
		    "Arrangements (MAPPA) of England and Wales for the year 1 April %d to 31 March %d: the "
		    "national tables, one table per statistic with a row for each MAPPA area, every figure "
		    "in long form, a spreadsheet, and each area's statistics laid out as in its annual report.",
		    y1, y2);
	publish_text_wrap_para(out, &para);
	/* for the readers of the Welsh areas' sections, in Welsh */
	if (publish_welsh_summary(ds, ref, PUBLISH_CY, 1, &para) > 0) {
		strbuf_puts(out, "\nCymraeg\n-------\n");
		publish_text_wrap_para(out, &para);
	}
	strbuf_release(&para);
	strbuf_puts(out, "\nRelease\n-------\n");
	publish_release_items(rel, it);
	for (size_t i = 0; i < PUBLISH_RELEASE_ITEMS; i++) {
		strbuf_addf(out, "%-14s%s", it[i].label, it[i].value);
		if (it[i].href[0] && strcmp(it[i].href, it[i].value) != 0 && strncmp(it[i].href, "mailto:", 7) != 0)
			strbuf_addf(out, "\n%-14s%s", "", it[i].href);
		strbuf_puts(out, "\n");
	}
	strbuf_puts(out, "\nPeriod\n------\n");
	strbuf_addf(&para, "%s (1 April %d to 31 March %d). MAPPA-eligible individuals are counted on "
		    "31 March %d; every other figure covers the whole year.", ds->period, y1, y2, y2);
	publish_text_wrap_para(out, &para);
	strbuf_puts(out, "\nSources\n-------\n");
	strbuf_addf(&para, "The yearly statistical returns of the MAPPA areas: %zu area%s, %zu with a "
		    "valid return%s.", ds->nareas, ds->nareas == 1 ? "" : "s", ds->nareas - missing,
		    missing ? "; national figures cover only the areas with a return" : "");
	publish_text_wrap_para(out, &para);
	if (missing) {
		publish_missing_sentence(ds, &para);
		publish_text_wrap_para(out, &para);
	}
	publish_population_sources(ds, ref, &para);
	publish_text_wrap_para(out, &para);
	strbuf_puts(out, "\nWhat is published\n-----------------\n");
	publish_text_wrap(out, "- Category 4 (terrorism and terrorism risk offenders) is never published for an "
			  "area; it appears only in the national tables.", PUBLISH_TEXT_WIDTH);
	publish_text_wrap(out, "- Area totals are over Categories 1-3 only (category `1-3` in observations.csv), "
			  "so that Category 4 cannot be found by subtracting; an area's total over Categories 1-4 "
			  "is not published in any form. National totals are over Categories 1-4 (category `all`).",
			  PUBLISH_TEXT_WIDTH);
	strbuf_puts(&para, "- Counts of ");
	publish_counts_rule(pol, &para);
	strbuf_puts(&para, " are suppressed");
	publish_zeros_rule(pol, &para);
	strbuf_puts(&para, ".");
	publish_text_wrap_para(out, &para);
	publish_text_wrap(out, "- Further figures are withheld so that no withheld figure can be worked out "
			  "from what is published, neither from an area's own totals nor from the national "
			  "totals less the other areas. Every withheld figure is shown as [c], whatever the "
			  "reason.", PUBLISH_TEXT_WIDTH);
	strbuf_puts(out, "\nSymbols\n-------\n");
	strbuf_puts(out, "[c]  confidential: withheld to protect individuals from identification\n"
			 "[z]  not applicable (Category 3 individuals cannot be managed at level 1)\n"
			 "     (the area reports show \"-\" there, as the annual reports do)\n"
			 "[x]  not available (the area sent no valid return)\n"
			 "In the CSV files the value is empty exactly when the status holds a symbol.\n");
	strbuf_puts(out, "\nFiles\n-----\n");
	strbuf_addf(out,
		"README.txt                   this file\n"
		"index.html                   national summary: chart of the rate by area, national tables\n"
		"mappa-%s.ods            the tables as a spreadsheet (cover, contents, notes, one table a sheet)\n"
		"observations.csv             every figure in long form:\n"
		"                             period,area_code,area_name,table,category,level,value,status\n"
		"observations-sdmx.csv        the same as SDMX-CSV 2.0.0 (dataflow %s)\n"
		"observations-sdmx-structure.xml\n"
		"                             its SDMX-ML 2.1 structure: codelists, concepts, DSD, dataflow\n"
		"tables/national-TABLE.csv    national tables, as in the annual reports\n"
		"tables/areas-TABLE.csv       one row per area\n"
		"areas/CODE-NAME.html, .txt   each area's statistics, as in its annual report\n"
		"areas/CODE-NAME.cy.html, .cy.txt\n"
		"                             the same in Welsh, for the four Welsh areas\n"
		"MANIFEST.sha256              SHA-256 checksums of every other file\n",
		ds->period, SDMX_DATAFLOW);
	strbuf_puts(out, "\nThe tables\n----------\n");
	for (unsigned s = 0; s < dataset_stat_count(defs); s++) {
		char st[PUBLISH_TITLE_SIZE];
		publish_stat_title(ds, defs, s, st, sizeof st);
		strbuf_addf(&para, "- %s: %s", dataset_stat_name(defs, s), st);
		publish_text_wrap_para(out, &para);
	}
	strbuf_puts(out, "\nChecking the bundle\n-------------------\n"
			 "In this folder run:\n\n    sha256sum -c MANIFEST.sha256\n\n"
			 "Every line must end in OK. The bundle is made deterministically: the same data "
			 "give the\nsame bytes, so two copies can be compared with their checksums.\n");
	strbuf_puts(out, "\nContact\n-------\n");
	strbuf_addf(&para, "Questions and comments: %s, %s, telephone %s.", rel->contact,
		    rel->email, rel->phone);
	publish_text_wrap_para(out, &para);
}
