/*
 * Unit tests of the SDMX outputs: codes, TIME_PERIOD of stocks and flows, units, the SDMX-CSV
 * 2.0.0 rows (NaN and statuses for every missing figure), and the structure message read back
 * with libxml2: its DSD has exactly the CSV's components, in order, and every code the CSV uses
 * is in the codelist of its component.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "sample.h"
#include "sdmx.h"
#include "strbuf.h"

#define NCOLS (3 + SDMX_COMPONENTS)
/* CSV columns */
enum { F_FREQ = 3, F_AREA, F_MEASURE, F_CATEGORY, F_LEVEL, F_TIME, F_VALUE, F_OBS_STATUS,
       F_CONF_STATUS, F_UNIT, F_MULT };

static struct defs defs;
static struct areas ref;

static int setup_all(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	if (defs_load_default(&defs, &d) != 0 || areas_load_default(&ref, &d) != 0) {
		diag_print(&d, stderr);
		return -1;
	}
	return 0;
}

static unsigned stat_of(const char *name)
{
	int s = dataset_stat_find(&defs, name);
	assert_true(s >= 0);
	return (unsigned)s;
}

/* Splits one CSV line (no quotes in this file: codes and numbers only) into NCOLS fields. The
   fields a short line lacks (the assertion has failed) are empty rather than undefined. */
static void split(char *line, char *f[NCOLS])
{
	size_t n = 0;
	char *p = line, *end = line + strlen(line);
	assert_null(strchr(line, '"'));
	f[n++] = p;
	while ((p = strchr(p, ',')) != NULL) {
		*p++ = '\0';
		assert_true(n < NCOLS);
		f[n++] = p;
	}
	assert_int_equal(n, NCOLS);
	while (n < NCOLS)
		f[n++] = end;
}

/* ---- codes ---- */

static void codes(void **state)
{
	char buf[32];
	(void)state;
	assert_string_equal(sdmx_category_code(1), "1");
	assert_string_equal(sdmx_category_code(4), "4");
	assert_string_equal(sdmx_category_code(CAT_ALL), "_T");
	assert_string_equal(sdmx_category_code(CAT_1_3), "1_3");
	assert_string_equal(sdmx_category_code(CAT_NONE), "_Z");
	assert_string_equal(sdmx_level_code(2), "2");
	assert_string_equal(sdmx_level_code(LEVEL_ALL), "_T");
	assert_string_equal(sdmx_level_code(LEVEL_NONE), "_Z");
	assert_string_equal(sdmx_unit_measure(&defs, stat_of("eligible"), buf, sizeof buf), "NR");
	assert_string_equal(sdmx_unit_measure(&defs, stat_of("shpo"), buf, sizeof buf), "NR");
	assert_string_equal(sdmx_unit_measure(&defs, stat_of("notificationRate"), buf, sizeof buf),
			    "PER_100000");
	assert_string_equal(sdmx_component_id(0), "FREQ");
	assert_string_equal(sdmx_component_id(1), "REF_AREA");
	assert_null(sdmx_component_id(SDMX_COMPONENTS));
}

static void time_periods(void **state)
{
	char buf[32];
	(void)state;
	/* stocks: counted on 31 March, the last day of the period */
	assert_true(sdmx_is_stock(&defs, stat_of("eligible")));
	assert_string_equal(sdmx_time_period(&defs, stat_of("eligible"), "2022-23", buf, sizeof buf),
			    "2023-03-31");
	/* the rate divides a stock by a population: a stock too */
	assert_true(sdmx_is_stock(&defs, stat_of("notificationRate")));
	assert_string_equal(sdmx_time_period(&defs, stat_of("notificationRate"), "2099-00", buf, sizeof buf),
			    "2100-03-31");
	/* flows: the reporting year */
	assert_false(sdmx_is_stock(&defs, stat_of("managedAtLevel23")));
	assert_string_equal(sdmx_time_period(&defs, stat_of("managedAtLevel23"), "2022-23", buf, sizeof buf),
			    "2022-04-01/P1Y");
	assert_string_equal(sdmx_time_period(&defs, stat_of("sroBreach"), "2022-23", buf, sizeof buf),
			    "2022-04-01/P1Y");
	/* not a period */
	assert_null(sdmx_time_period(&defs, 0, "2022-24", buf, sizeof buf));
	assert_null(sdmx_time_period(&defs, 0, "2022/23", buf, sizeof buf));
	assert_null(sdmx_time_period(&defs, 0, "22-23", buf, sizeof buf));
	assert_false(sdmx_is_stock(&defs, dataset_stat_count(&defs)));
}

/* ---- SDMX-CSV ---- */

static void csv_rows(void **state)
{
	struct dataset ds;
	struct strbuf b = STRBUF_INIT;
	char *line, *save = NULL, *f[NCOLS];
	size_t rows = 0;
	int nan_q = 0, nan_m = 0, nan_o = 0;
	(void)state;
	assert_int_equal(sample_dataset(&ds, &defs, &ref, 3, 7, "2022-23", "E23000003"), 0);
	sdmx_csv(&ds, &defs, &b);
	assert_int_equal(strbuf_ok(&b), 0);
	assert_true(strncmp(b.data, "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,MEASURE,CATEGORY,LEVEL,"
			    "TIME_PERIOD,OBS_VALUE,OBS_STATUS,CONF_STATUS,UNIT_MEASURE,UNIT_MULT\r\n", 130) == 0);
	assert_non_null(strstr(b.data, "\r\ndataflow,MAPPA:DF_MAPPA(1.0),I,A,K04000001,eligible,_T,_T,2023-03-31,"));
	assert_non_null(strstr(b.data, "\r\ndataflow,MAPPA:DF_MAPPA(1.0),I,A,E23000001,eligible,4,1,2023-03-31,NaN,Q,C,NR,0\r\n"));
	assert_non_null(strstr(b.data, ",eligible,3,1,2023-03-31,NaN,M,,NR,0\r\n"));
	assert_non_null(strstr(b.data, "\r\ndataflow,MAPPA:DF_MAPPA(1.0),I,A,E23000003,shpo,_Z,_Z,2022-04-01/P1Y,NaN,O,,NR,0\r\n"));
	/* an area's total over categories 1-4 is not published in any form */
	assert_null(strstr(b.data, "E23000001,eligible,_T,"));
	/* nor a national total over categories 1-3 */
	assert_null(strstr(b.data, "K04000001,eligible,1_3,"));
	for (line = strtok_r(b.data, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		if (rows++ == 0)
			continue;
		split(line, f);
		assert_string_equal(f[0], "dataflow");
		assert_string_equal(f[1], SDMX_DATAFLOW);
		assert_string_equal(f[2], "I");
		assert_string_equal(f[F_FREQ], "A");
		/* a value, or NaN with the reason in OBS_STATUS: never an empty OBS_VALUE */
		assert_true(f[F_VALUE][0] != '\0');
		/* the area without a return has no figure at all */
		if (strcmp(f[F_AREA], "E23000003") == 0)
			assert_string_equal(f[F_VALUE], "NaN");
		if (strcmp(f[F_VALUE], "NaN") == 0) {
			assert_string_not_equal(f[F_OBS_STATUS], "A");
			nan_q += strcmp(f[F_OBS_STATUS], "Q") == 0 && strcmp(f[F_CONF_STATUS], "C") == 0;
			nan_m += strcmp(f[F_OBS_STATUS], "M") == 0 && f[F_CONF_STATUS][0] == '\0';
			nan_o += strcmp(f[F_OBS_STATUS], "O") == 0 && f[F_CONF_STATUS][0] == '\0';
		} else {
			assert_true(strspn(f[F_VALUE], "0123456789") == strlen(f[F_VALUE]));
			assert_string_equal(f[F_OBS_STATUS], "A");
			assert_string_equal(f[F_CONF_STATUS], "F");
		}
		/* TIME_PERIOD: the day for eligible and the rate, the year for the rest */
		if (strcmp(f[F_MEASURE], "eligible") == 0 || strcmp(f[F_MEASURE], "notificationRate") == 0)
			assert_string_equal(f[F_TIME], "2023-03-31");
		else
			assert_string_equal(f[F_TIME], "2022-04-01/P1Y");
		assert_string_equal(f[F_UNIT], strcmp(f[F_MEASURE], "notificationRate") == 0 ? "PER_100000" : "NR");
		assert_string_equal(f[F_MULT], "0");
	}
	/* the nation and three areas, 60 rows each (as observations.csv) */
	assert_int_equal(rows, 1 + 4 * 60);
	assert_true(nan_q > 0 && nan_m > 0 && nan_o > 0);
	strbuf_release(&b);
	dataset_release(&ds);
}

/* ---- the structure message ---- */

static xmlDocPtr structure_doc(void)
{
	struct strbuf b = STRBUF_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	xmlDocPtr doc;
	assert_int_equal(sdmx_structure(&defs, &ref, "2022-23", &b, &d), 0);
	assert_int_equal(d.count, 0);
	doc = xmlReadMemory(b.data, (int)b.len, "structure.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	strbuf_release(&b);
	return doc;
}

/* The values of xpath (attributes) in doc, as one string " a b c " (caller frees). */
static char *values(xmlDocPtr doc, const char *xpath)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;
	struct strbuf b = STRBUF_INIT;

	assert_non_null(ctx);
	xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure");
	xmlXPathRegisterNs(ctx, BAD_CAST "m", BAD_CAST "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message");
	o = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
	assert_non_null(o);
	strbuf_puts(&b, " ");
	for (int i = 0; o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		strbuf_puts(&b, (const char *)v);
		strbuf_puts(&b, " ");
		xmlFree(v);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	assert_int_equal(strbuf_ok(&b), 0);
	return strbuf_detach(&b, NULL);
}

static size_t count_words(const char *s)
{
	size_t n = 0;
	for (const char *p = s; *p; p++)
		n += *p != ' ' && (p == s || p[-1] == ' ');
	return n;
}

static void structure_content(void **state)
{
	xmlDocPtr doc = structure_doc();
	char *v;
	(void)state;
	v = values(doc, "/m:Structure/m:Header/m:Prepared");
	assert_string_equal(v, " 2023-04-01T00:00:00Z ");
	free(v);
	v = values(doc, "//s:AgencyScheme/s:Agency/@id");
	assert_string_equal(v, " " SDMX_AGENCY " ");
	free(v);
	v = values(doc, "//s:Dataflow/@id");
	assert_string_equal(v, " " SDMX_DATAFLOW_ID " ");
	free(v);
	v = values(doc, "//s:Dataflow/s:Structure/Ref/@id");
	assert_string_equal(v, " " SDMX_DSD_ID " ");
	free(v);
	/* the components: dimensions, the measure, the attributes, as the CSV's columns */
	v = values(doc, "//s:DataStructure/s:DataStructureComponents/s:DimensionList/*/@id"
			" | //s:DataStructure/s:DataStructureComponents/s:MeasureList/*/@id");
	assert_string_equal(v, " FREQ REF_AREA MEASURE CATEGORY LEVEL TIME_PERIOD OBS_VALUE ");
	free(v);
	v = values(doc, "//s:DataStructure/s:DataStructureComponents/s:AttributeList/*/@id");
	assert_string_equal(v, " OBS_STATUS CONF_STATUS UNIT_MEASURE UNIT_MULT ");
	free(v);
	/* every concept is in the concept scheme */
	v = values(doc, "//s:ConceptScheme/s:Concept/@id");
	assert_int_equal(count_words(v), SDMX_COMPONENTS);
	for (size_t i = 0; i < SDMX_COMPONENTS; i++) {
		char word[40];
		snprintf(word, sizeof word, " %s ", sdmx_component_id(i));
		assert_non_null(strstr(v, word));
	}
	free(v);
	/* codelists from the reference data and the definitions */
	v = values(doc, "//s:Codelist[@id='CL_AREA']/s:Code/@id");
	assert_int_equal(count_words(v), ref.count + 1);
	assert_non_null(strstr(v, " K04000001 E23000001 "));
	assert_non_null(strstr(v, " W15000004 "));
	free(v);
	v = values(doc, "//s:Codelist[@id='CL_AREA']/s:Code[@id='E23000005']/*");
	assert_string_equal(v, " Greater Manchester ");
	free(v);
	v = values(doc, "//s:Codelist[@id='CL_MEASURE']/s:Code/@id");
	assert_int_equal(count_words(v), defs.ntables + defs.nrates);
	assert_non_null(strstr(v, " managedAtLevel23 "));
	assert_non_null(strstr(v, " notificationRate "));
	free(v);
	/* one confidentiality code for every withheld figure: C, besides F */
	v = values(doc, "//s:Codelist[@id='CL_CONF_STATUS']/s:Code/@id");
	assert_string_equal(v, " F C ");
	free(v);
	v = values(doc, "//s:Codelist[@id='CL_OBS_STATUS']/s:Code/@id");
	assert_string_equal(v, " A Q M O ");
	free(v);
	v = values(doc, "//s:Codelist[@id='CL_CATEGORY']/s:Code/@id");
	assert_string_equal(v, " 1 2 3 4 _T 1_3 _Z ");
	free(v);
	v = values(doc, "//s:Codelist[@id='CL_FREQ']/s:Code/@id");
	assert_string_equal(v, " A ");
	free(v);
	v = values(doc, "//s:Codelist[@id='CL_UNIT_MEASURE']/s:Code/@id");
	assert_string_equal(v, " NR PER_100000 ");
	free(v);
	xmlFreeDoc(doc);
}

/* Every code of every coded column of the CSV is a code of its component's codelist. */
static void csv_codes_in_codelists(void **state)
{
	xmlDocPtr doc = structure_doc();
	struct dataset ds;
	struct strbuf b = STRBUF_INIT;
	char *lists[NCOLS] = { NULL }, *line, *save = NULL, *f[NCOLS], xpath[300], word[64];
	size_t rows = 0, coded = 0;
	(void)state;
	for (size_t i = 0; i < SDMX_COMPONENTS; i++) {
		char *cl;
		snprintf(xpath, sizeof xpath, "//s:DataStructureComponents/*/*[@id='%s']"
			 "/s:LocalRepresentation/s:Enumeration/Ref/@id", sdmx_component_id(i));
		cl = values(doc, xpath);
		if (count_words(cl) == 1) {
			snprintf(xpath, sizeof xpath, "//s:Codelist[@id='%.*s']/s:Code/@id",
				 (int)(strlen(cl) - 2), cl + 1);
			lists[3 + i] = values(doc, xpath);
			assert_true(count_words(lists[3 + i]) > 0);
			coded++;
		}
		free(cl);
	}
	assert_int_equal(coded, 9);   /* all but TIME_PERIOD and OBS_VALUE */
	assert_int_equal(sample_dataset(&ds, &defs, &ref, 5, 3, "2022-23", "E23000002"), 0);
	sdmx_csv(&ds, &defs, &b);
	for (line = strtok_r(b.data, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		if (rows++ == 0)
			continue;
		split(line, f);
		for (size_t c = 3; c < NCOLS; c++) {
			if (!lists[c] || f[c][0] == '\0')
				continue;
			snprintf(word, sizeof word, " %s ", f[c]);
			if (!strstr(lists[c], word))
				fail_msg("row %zu: %s '%s' is not in its codelist", rows, sdmx_component_id(c - 3), f[c]);
		}
	}
	assert_int_equal(rows, 1 + 6 * 60);
	for (size_t c = 0; c < NCOLS; c++)
		free(lists[c]);
	strbuf_release(&b);
	dataset_release(&ds);
	xmlFreeDoc(doc);
}

static void structure_refuses_bad_period(void **state)
{
	struct strbuf b = STRBUF_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_int_equal(sdmx_structure(&defs, &ref, "2022", &b, &d), -1);
	assert_int_equal(b.len, 0);
	/* the reason as a diagnostic, naming the structure file (one error convention) */
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].file, "observations-sdmx-structure.xml");
	assert_string_equal(d.items[0].rule, "P02");
	assert_non_null(strstr(d.items[0].message, "'2022'"));
	diag_clear(&d);
	strbuf_release(&b);
}

/* The same inputs give the same bytes. */
static void structure_deterministic(void **state)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_int_equal(sdmx_structure(&defs, &ref, "2022-23", &a, &d), 0);
	assert_int_equal(sdmx_structure(&defs, &ref, "2022-23", &b, &d), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_true(strncmp(a.data, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0);
	strbuf_release(&a);
	strbuf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codes),
		cmocka_unit_test(time_periods),
		cmocka_unit_test(csv_rows),
		cmocka_unit_test(structure_content),
		cmocka_unit_test(csv_codes_in_codelists),
		cmocka_unit_test(structure_refuses_bad_period),
		cmocka_unit_test(structure_deterministic),
	};
	return cmocka_run_group_tests(tests, setup_all, NULL);
}
