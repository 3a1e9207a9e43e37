/*
 * Unit tests of the reference data (areas), the statistics definitions and the safe XML
 * reader they share.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "areas.h"
#include "defs.h"
#include "diag.h"
#include "xmlsafe.h"

static void test_areas_default(void **state)
{
	struct areas a;
	struct diag_list d = DIAG_LIST_INIT;
	const struct area *london;
	(void)state;
	assert_int_equal(areas_load_default(&a, &d), 0);
	assert_int_equal(a.count, 42);
	assert_null(areas_find(&a, "E23000034")); /* City of London is folded into London */
	london = areas_find(&a, "E23000001");
	assert_non_null(london);
	assert_string_equal(london->name, "London");
	/* the seed's rate: 6,901 category 1 individuals give 89 per 100,000 */
	assert_int_equal((long)floor(6901.0 * 100000.0 / (double)london->population + 0.5), 89);
	for (int w = 1; w <= 4; w++) {
		char code[24];
		snprintf(code, sizeof code, "W1500000%d", w);
		assert_non_null(areas_find(&a, code));
		assert_string_equal(areas_find(&a, code)->country, "Wales");
	}
	for (size_t i = 0; i < a.count; i++)
		assert_true(a.items[i].population > 100000);
	assert_string_equal(a.national_code, "K04000001");
	assert_true(strstr(a.population_source, "ONS") != NULL);
	assert_string_equal(a.population_year, "2021");
	assert_int_equal(d.count, 0);
}

static void test_areas_refuses_bad_files(void **state)
{
	static const char *bad[] = {
		"",
		"<reference xmlns=\"urn:mappa:reference:1\" version=\"1\"/>",
		"<!DOCTYPE r [<!ENTITY e SYSTEM \"/etc/passwd\">]><reference>&e;</reference>",
		"<reference xmlns=\"urn:other\"/>",
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct areas a;
		struct diag_list d = DIAG_LIST_INIT;
		assert_int_equal(areas_load(&a, "r.xml", bad[i], strlen(bad[i]), &d), -1);
		assert_true(d.errors > 0);
		diag_clear(&d);
	}
}

/* What the schema cannot say: E23 codes are English and W15 Welsh; a population that is not
 * approximate is the ONS mid-2021 estimate. */
static void test_areas_cross_checks(void **state)
{
	static const struct { const char *from, *to, *rule; } cases[] = {
		{ "code=\"W15000001\" name=\"North Wales\" country=\"Wales\"",
		  "code=\"W15000001\" name=\"North Wales\" country=\"England\"", "F06" },
		{ "population=\"460000\" approximate=\"true\"",
		  "population=\"460000\" approximate=\"false\"", "F07" },
	};
	char *text;
	size_t len;
	(void)state;
	assert_int_equal(xmlsafe_read_file("reference/areas.xml", XMLSAFE_MAX_BYTES, &text, &len), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct areas a;
		struct diag_list d = DIAG_LIST_INIT;
		const char *at = strstr(text, cases[i].from);
		char *edited;
		size_t n;
		assert_non_null(at);
		n = len - strlen(cases[i].from) + strlen(cases[i].to);
		edited = malloc(n + 1);
		assert_non_null(edited);
		snprintf(edited, n + 1, "%.*s%s%s", (int)(at - text), text, cases[i].to,
			 at + strlen(cases[i].from));
		assert_int_equal(areas_load(&a, "r.xml", edited, strlen(edited), &d), -1);
		assert_true(d.count > 0);
		assert_string_equal(d.items[d.count - 1].rule, cases[i].rule);
		diag_clear(&d);
		free(edited);
	}
	free(text);
}

static void test_areas_path(void **state)
{
	struct areas a;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_int_equal(areas_load_path(&a, "reference/areas.xml", &d), 0);
	assert_int_equal(a.count, 42);
	assert_int_equal(d.count, 0);
	/* cannot be read: F05 at line 0 of the file, the errno kept for the exit status */
	assert_int_equal(areas_load_path(&a, "/nonexistent.xml", &d), -2);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].file, "/nonexistent.xml");
	assert_int_equal(d.items[0].line, 0);
	assert_string_equal(d.items[0].rule, "F05");
	assert_int_equal(diag_errnum(&d), ENOENT);
	assert_string_equal(d.items[0].message, "cannot read: No such file or directory");
	diag_clear(&d);
	/* not reference data: located diagnostics of the file, no errno */
	assert_int_equal(areas_load_path(&a, "fixtures/valid/london-2022-23.xml", &d), -1);
	assert_true(d.count > 0);
	assert_string_equal(d.items[0].file, "fixtures/valid/london-2022-23.xml");
	assert_true(d.items[0].line > 0);
	assert_string_equal(d.items[0].rule, "F03");
	assert_int_equal(diag_errnum(&d), 0);
	diag_clear(&d);
}

static void test_defs(void **state)
{
	struct defs defs;
	struct diag_list d = DIAG_LIST_INIT;
	int e, m, s;
	(void)state;
	assert_int_equal(defs_load_default(&defs, &d), 0);
	e = defs_find(&defs, "eligible");
	m = defs_find(&defs, "managedAtLevel23");
	s = defs_find(&defs, "sroBreach");
	assert_true(e >= 0 && m >= 0 && s >= 0);
	assert_int_equal(defs_find(&defs, "nothing"), -1);
	assert_int_equal(defs_cell_count(&defs.tables[e]), 11);
	assert_int_equal(defs_cell_count(&defs.tables[m]), 8);
	assert_int_equal(defs_cell_count(&defs.tables[defs_find(&defs, "shpoBreach")]), 2);
	assert_int_equal(defs_cell_count(&defs.tables[s]), 1);
	assert_false(defs_has_cell(&defs.tables[e], 3, 1));
	assert_true(defs_has_cell(&defs.tables[e], 4, 1));
	assert_false(defs_has_cell(&defs.tables[m], 1, 1));
	assert_true(defs_has_cell(&defs.tables[s], CAT_NONE, LEVEL_NONE));
	assert_int_equal(defs.nrules, 3);
	assert_int_equal(defs.nrates, 1);
	assert_string_equal(defs.rates[0].name, "notificationRate");
	assert_int_equal(defs.rates[0].per, 100000);
	assert_int_equal(defs_parse_category("1-3"), CAT_1_3);
	assert_int_equal(defs_parse_category("all"), CAT_ALL);
	assert_int_equal(defs_parse_category("5"), -1);
	assert_int_equal(defs_parse_level("all"), LEVEL_ALL);
	assert_string_equal(defs_category_name(CAT_1_3), "1-3");
}

static void test_defs_refuses_unknown_table_in_rule(void **state)
{
	static const char text[] =
		"<definitions xmlns=\"urn:mappa:definitions:1\" version=\"1\">"
		"<table name=\"a\" title=\"A\"/>"
		"<rule id=\"R99\" table=\"a\" op=\"le\" other=\"b\" message=\"m\"/>"
		"</definitions>";
	struct defs defs;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_int_equal(defs_load(&defs, "d.xml", text, strlen(text), &d), -1);
	assert_true(d.errors > 0);
	diag_clear(&d);
}

static void test_xmlsafe_refuses_doctype_and_reads_encodings(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	static const struct xmlsafe_rules rules = { "R01", "R02" };
	static const char bomb[] =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>\n<a>&b;</a>";
	static const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>\xe9</a>";
	static const char utf16[] = "\xff\xfe<\0a\0/\0>\0";
	xmlDocPtr doc;
	(void)state;
	assert_null(xmlsafe_parse("b.xml", bomb, strlen(bomb), &rules, &d));
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].rule, "R02");
	assert_int_equal(d.items[0].line, 2);
	diag_clear(&d);
	doc = xmlsafe_parse("l.xml", latin1, strlen(latin1), &rules, &d);
	assert_non_null(doc);
	xmlFreeDoc(doc);
	doc = xmlsafe_parse("u.xml", utf16, sizeof utf16 - 1, &rules, &d);
	assert_non_null(doc);
	xmlFreeDoc(doc);
	assert_int_equal(d.count, 0);
}

static void test_diag_quote_and_sort(void **state)
{
	char q[16];
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	diag_quote(q, sizeof q, "a\nb\x01" "c", 10);
	assert_string_equal(q, "a?b?c");
	diag_quote(q, sizeof q, "abcdefghijklmnop", 4);
	assert_string_equal(q, "abcd...");
	/* a Welsh letter stays (W01 printed 'Ynys M?n'); a bidirectional control, a stray
	   continuation byte and a letter cut by max do not */
	diag_quote(q, sizeof q, "Ynys M\xc3\xb4n", 20);
	assert_string_equal(q, "Ynys M\xc3\xb4n");
	diag_quote(q, sizeof q, "a\xe2\x80\xae" "b\x80", 20);
	assert_string_equal(q, "a?b?");
	diag_quote(q, sizeof q, "ab\xc3\xb4", 3);
	assert_string_equal(q, "ab..."); /* cut before the letter, not a ? for half of it */
	diag_add(&d, "f", 9, "R09", DIAG_ERROR, "x");
	diag_add(&d, "f", 2, "W01", DIAG_WARNING, "y\nz");
	diag_add(&d, "f", 2, "R05", DIAG_ERROR, "z");
	diag_sort(&d);
	assert_string_equal(d.items[0].rule, "R05");
	assert_string_equal(d.items[1].rule, "W01");
	assert_string_equal(d.items[1].message, "y z");
	assert_int_equal(d.errors, 2);
	assert_int_equal(d.warnings, 1);
	assert_true(diag_has_error_at(&d, 9));
	assert_false(diag_has_error_at(&d, 3));
	diag_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_areas_default),
		cmocka_unit_test(test_areas_refuses_bad_files),
		cmocka_unit_test(test_areas_path),
		cmocka_unit_test(test_areas_cross_checks),
		cmocka_unit_test(test_defs),
		cmocka_unit_test(test_defs_refuses_unknown_table_in_rule),
		cmocka_unit_test(test_xmlsafe_refuses_doctype_and_reads_encodings),
		cmocka_unit_test(test_diag_quote_and_sort),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return r;
}
