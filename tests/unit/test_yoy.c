/*
 * Unit tests of the year-on-year checks (yoy): the limits parser, and Y01-Y03 with known answers
 * on returns built cell by cell, at each side of every threshold, then on a fixture return read
 * by the validator, and against what an earlier bundle published (withheld cells never).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "validator.h"
#include "yoy.h"

static struct defs defs;
static struct areas areas;
static struct area_return before, now;
static struct yoy_limits lim;

static int setup(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	if (defs_load_default(&defs, &d) || areas_load_default(&areas, &d))
		return -1;
	diag_clear(&d);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xmlCleanupParser();
	return 0;
}

/* A complete return of area code for the period starting in year, every cell = value, the
 * cells on lines 100, 101, ... in table order. */
static void fill(struct area_return *r, const char *code, int year, long long value)
{
	long line = 100;

	memset(r, 0, sizeof *r);
	snprintf(r->area_code, sizeof r->area_code, "%s", code);
	snprintf(r->period, sizeof r->period, "%04d-%02d", year, (year + 1) % 100);
	r->area_line = 6;
	r->period_line = 7;
	r->submission_line = 8;
	for (size_t ti = 0; ti < defs.ntables; ti++)
		for (int c = 0; c <= 4; c++)
			for (int l = 0; l <= 3; l++)
				if (defs_has_cell(&defs.tables[ti], c, l)) {
					r->cells[ti][c][l].value = value;
					r->cells[ti][c][l].line = line++;
					r->cells[ti][c][l].present = 1;
				}
}

static struct return_cell *cell(struct area_return *r, const char *table, int c, int l)
{
	int ti = defs_find(&defs, table);
	assert_true(ti >= 0);
	assert_true(defs_has_cell(&defs.tables[ti], c, l));
	return &r->cells[ti][c][l];
}

static int reset(void **state)
{
	(void)state;
	yoy_limits_default(&lim);
	fill(&before, "E23000002", 2021, 40);
	fill(&now, "E23000002", 2022, 40);
	return 0;
}

/* Compares before and now; checks the count and returns the list (caller clears it). */
static struct diag_list compare(int expected)
{
	struct diag_list d = DIAG_LIST_INIT;
	assert_int_equal(yoy_compare(&defs, &lim, &before, &now, "now.xml", &d), expected);
	assert_int_equal(d.count, (size_t)expected);
	assert_int_equal(d.warnings, (size_t)expected);
	assert_int_equal(d.errors, 0);
	return d;
}

/* One eligible cell goes from a to b: the rule that fires ("" none), at the cell's line. */
static void one_change(long long a, long long b, const char *rule)
{
	struct diag_list d;
	struct return_cell *x;

	cell(&before, "eligible", 1, 2)->value = a;
	x = cell(&now, "eligible", 1, 2);
	x->value = b;
	d = compare(*rule ? 1 : 0);
	if (*rule) {
		assert_string_equal(d.items[0].rule, rule);
		assert_int_equal(d.items[0].line, x->line);
		assert_int_equal(d.items[0].severity, DIAG_WARNING);
		assert_string_equal(d.items[0].file, "now.xml");
		assert_non_null(strstr(d.items[0].message, "eligible, category 1, level 2"));
		assert_non_null(strstr(d.items[0].message, "2021-22"));
	}
	diag_clear(&d);
}

static void test_limits_parse(void **state)
{
	static const char *const bad[] = {
		"", "5,5", "50,20", "50,20,10,1", "0,20,10", "50,20,0", "-1,20,10", "+50,20,10",
		" 50,20,10", "50, 20,10", "50,20,10 ", "50,20,10x", "a,20,10", "10000000,20,10",
		"50,99999999999999999999,10", "50,,10", ",20,10", "50.5,20,10",
	};
	struct yoy_limits l;
	(void)state;

	yoy_limits_default(&l);
	assert_int_equal(l.percent, 50);
	assert_int_equal(l.amount, 20);
	assert_int_equal(l.large, 10);
	assert_int_equal(yoy_parse_limits("25,0,3", &l), 0);
	assert_int_equal(l.percent, 25);
	assert_int_equal(l.amount, 0);
	assert_int_equal(l.large, 3);
	assert_int_equal(yoy_parse_limits("9999999,9999999,9999999", &l), 0);
	assert_int_equal(l.amount, 9999999);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		yoy_limits_default(&l);
		assert_int_equal(yoy_parse_limits(bad[i], &l), -1);
		assert_int_equal(l.percent, 50); /* unchanged */
		assert_int_equal(l.amount, 20);
		assert_int_equal(l.large, 10);
	}
	assert_int_equal(yoy_parse_limits(NULL, &l), -1);
	/* why, naming the number and its range (QA: a bare "bad --yoy-limits" for 10000000) */
	{
		static const struct {
			const char *s, *why;
		} said[] = {
			{ "10000000,20,10", "PERCENT 10000000 is out of range: it is from 1 to 9999999" },
			{ "50,10000000,10", "AMOUNT 10000000 is out of range: it is from 0 to 9999999" },
			{ "50,20,0", "LARGE 0 is out of range: it is from 1 to 9999999" },
			{ "50,99999999999999999999999,10",
			  "AMOUNT 99999999999999999999... is out of range: it is from 0 to 9999999" },
			{ "50,20", "nothing follows AMOUNT: three whole numbers are needed" },
			{ "50,,10", "AMOUNT is missing" },
			{ "50,20,10,1", "more than three numbers" },
			{ "50,20,x", "LARGE is not a whole number written in digits" },
		};
		char why[160];
		for (size_t i = 0; i < sizeof said / sizeof *said; i++) {
			assert_int_equal(yoy_parse_limits_why(said[i].s, &l, why, sizeof why), -1);
			if (strcmp(why, said[i].why) != 0 && !strstr(why, said[i].why))
				fail_msg("--yoy-limits %s: said '%s', not '%s'", said[i].s, why, said[i].why);
		}
		assert_int_equal(yoy_parse_limits_why("9999999,0,1", &l, why, sizeof why), 0);
		assert_int_equal(l.percent, 9999999);
	}
}

static void test_same_figures_quiet(void **state)
{
	struct diag_list d;
	(void)state;
	d = compare(0);
	diag_clear(&d);
}

/* Y01 needs both: more than 50% and more than 20 people. */
static void test_y01_thresholds(void **state)
{
	(void)state;
	one_change(40, 61, "Y01");   /* +21, +52.5% */
	one_change(40, 60, "");      /* +20: not more than 20 */
	one_change(40, 19, "Y01");   /* -21, -52.5% */
	one_change(40, 20, "");      /* -20 */
	one_change(100, 150, "");    /* +50%: not more than 50% */
	one_change(100, 151, "Y01"); /* +51% */
	one_change(100, 49, "Y01");  /* -51% */
	one_change(5, 25, "");       /* +400% but 20 people */
	one_change(5, 26, "Y01");    /* +420%, 21 people */
	one_change(6000, 8000, "");  /* +2000 people, +33% */
	one_change(6000, 9001, "Y01");
	one_change(6000, 60000, "Y01"); /* tenfold */
}

static void test_y01_message(void **state)
{
	struct diag_list d;
	(void)state;
	cell(&before, "eligible", 1, 2)->value = 40;
	cell(&now, "eligible", 1, 2)->value = 95;
	d = compare(1);
	assert_string_equal(d.items[0].message,
			    "eligible, category 1, level 2 is 95, but was 40 in 2021-22: +55 (+138%), "
			    "more than 50% and 20 people; check it");
	diag_clear(&d);
	/* a change that rounds to the limit shows one decimal (QA: "+268 (+50%), more than 50%") */
	cell(&before, "eligible", 1, 2)->value = 534;
	cell(&now, "eligible", 1, 2)->value = 802;
	d = compare(1);
	assert_non_null(strstr(d.items[0].message, ": +268 (+50.2%), more than 50% and"));
	diag_clear(&d);
	cell(&now, "eligible", 1, 2)->value = 266;
	d = compare(1);
	assert_non_null(strstr(d.items[0].message, ": -268 (-50.2%), more than 50% and"));
	diag_clear(&d);
}

/* Y02: 0 in one year and at least 10 in the other; never Y01 then. */
static void test_y02_zero(void **state)
{
	struct diag_list d;
	(void)state;
	one_change(0, 10, "Y02");
	one_change(0, 9, "");
	one_change(10, 0, "Y02");
	one_change(9, 0, "");
	one_change(0, 0, "");
	one_change(0, 5000, "Y02");
	one_change(5000, 0, "Y02");
	one_change(1, 12, "");       /* not 0: Y01's to judge, and 11 people is not more than 20 */
	cell(&before, "shpo", CAT_NONE, LEVEL_NONE)->value = 548;
	cell(&now, "shpo", CAT_NONE, LEVEL_NONE)->value = 0;
	cell(&now, "eligible", 1, 2)->value = 40;
	cell(&before, "eligible", 1, 2)->value = 40;
	d = compare(1);
	assert_string_equal(d.items[0].message,
			    "shpo is 0, but was 548 in 2021-22: check it "
			    "(a figure of 10 or more rarely falls to 0 in a year)");
	assert_int_equal(d.items[0].line, cell(&now, "shpo", CAT_NONE, LEVEL_NONE)->line);
	diag_clear(&d);
}

/* Every kind of cell is compared: categories and levels, levels only, single counts. */
static void test_every_table(void **state)
{
	struct diag_list d;
	(void)state;
	cell(&now, "managedAtLevel23", 4, 3)->value = 100;
	cell(&now, "shpoBreach", CAT_NONE, 2)->value = 0;
	cell(&now, "sroBreach", CAT_NONE, LEVEL_NONE)->value = 1;
	d = compare(3);
	diag_sort(&d);
	assert_non_null(strstr(d.items[0].message, "managedAtLevel23, category 4, level 3 is 100"));
	assert_string_equal(d.items[0].rule, "Y01");
	assert_non_null(strstr(d.items[1].message, "shpoBreach, level 2 is 0"));
	assert_string_equal(d.items[1].rule, "Y02");
	assert_non_null(strstr(d.items[2].message, "sroBreach is 1, but was 40"));
	assert_string_equal(d.items[2].rule, "Y01");
	assert_true(d.items[0].line < d.items[1].line && d.items[1].line < d.items[2].line);
	diag_clear(&d);
}

/* A cell missing from either return is not compared. */
static void test_absent_cells_skipped(void **state)
{
	struct diag_list d;
	(void)state;
	cell(&now, "eligible", 1, 1)->value = 1000;
	cell(&now, "eligible", 1, 1)->present = 0;
	cell(&before, "eligible", 2, 1)->present = 0;
	cell(&now, "eligible", 2, 1)->value = 1000;
	d = compare(0);
	diag_clear(&d);
}

static void test_custom_limits(void **state)
{
	(void)state;
	assert_int_equal(yoy_parse_limits("10,5,3", &lim), 0);
	one_change(100, 111, "Y01");
	one_change(100, 110, "");
	one_change(40, 46, "Y01");  /* +15%, 6 people */
	one_change(40, 45, "");     /* 5 people */
	one_change(0, 3, "Y02");
	one_change(2, 0, "");
}

/* Y03: another area, or not the period just before; then no figure is compared. */
static void test_y03(void **state)
{
	struct diag_list d;
	(void)state;
	cell(&now, "eligible", 1, 1)->value = 4000; /* a jump that is not reported under Y03 */

	snprintf(before.area_code, sizeof before.area_code, "E23000003");
	d = compare(1);
	assert_string_equal(d.items[0].rule, "Y03");
	assert_int_equal(d.items[0].line, now.area_line);
	assert_string_equal(d.items[0].message,
			    "the earlier return is for area E23000003, this one for E23000002: "
			    "no year-on-year comparison");
	diag_clear(&d);

	fill(&before, "E23000002", 2020, 40);
	d = compare(1);
	assert_string_equal(d.items[0].rule, "Y03");
	assert_int_equal(d.items[0].line, now.period_line);
	assert_string_equal(d.items[0].message,
			    "the earlier return is for 2020-21, not for the period just before 2022-23: "
			    "no year-on-year comparison");
	diag_clear(&d);

	fill(&before, "E23000002", 2022, 40); /* the same period (a revision) */
	d = compare(1);
	assert_string_equal(d.items[0].rule, "Y03");
	diag_clear(&d);

	fill(&before, "E23000002", 2023, 40); /* the period after */
	d = compare(1);
	assert_string_equal(d.items[0].rule, "Y03");
	diag_clear(&d);

	fill(&before, "E23000002", 2021, 40); /* the period before: the jump is seen */
	d = compare(1);
	assert_string_equal(d.items[0].rule, "Y01");
	diag_clear(&d);
}

/* Two returns read by the validator: London 2022-23 against itself one year on. */
static void test_read_returns(void **state)
{
	struct validator *v;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;

	v = validator_new(&defs, &areas, NULL, 0, NULL, &d);
	assert_non_null(v);
	assert_int_equal(validator_check_file(v, "fixtures/returns/2021-22/E23000001.xml", &before, &d),
			 VALIDATOR_VALID);
	assert_int_equal(validator_check_file(v, "fixtures/returns/2022-23/E23000001.xml", &now, &d),
			 VALIDATOR_VALID);
	assert_int_equal(d.count, 0);
	assert_string_equal(before.period, "2021-22");
	d = compare(0);
	diag_clear(&d);
	/* eligible category 1 level 2 is 31 in 2022-23 (line 13 of the file) */
	assert_int_equal(cell(&now, "eligible", 1, 2)->value, 31);
	assert_int_equal(cell(&now, "eligible", 1, 2)->line, 13);
	cell(&before, "eligible", 1, 2)->value = 310;
	d = compare(1);
	assert_string_equal(d.items[0].rule, "Y01");
	assert_int_equal(d.items[0].line, 13);
	diag_clear(&d);
	validator_free(v);
}

/* What the period before published of area E23000002: every cell 40, published. */
static void published(struct dataset *ds, const char *period, enum area_state state)
{
	dataset_init(ds);
	snprintf(ds->period, sizeof ds->period, "%s", period);
	ds->nareas = 2;
	snprintf(ds->areas[0].code, sizeof ds->areas[0].code, "E23000002");
	ds->areas[0].state = state;
	snprintf(ds->areas[1].code, sizeof ds->areas[1].code, "E23000003");
	ds->areas[1].state = AREA_PRESENT;
	for (size_t ti = 0; ti < defs.ntables; ti++)
		for (int c = 0; c <= 4; c++)
			for (int l = 0; l <= 3; l++)
				if (defs_has_cell(&defs.tables[ti], c, l)) {
					enum obs_status st = state == AREA_PRESENT ? OBS_OK : OBS_MISSING;
					assert_int_equal(dataset_add(ds, "E23000002", (unsigned)ti, c, l,
								     st == OBS_OK ? 40 : 0, st), 0);
					assert_int_equal(dataset_add(ds, "E23000003", (unsigned)ti, c, l, 0,
								     OBS_OK), 0);
				}
}

static int compare_published(const struct dataset *ds, struct diag_list *d)
{
	return yoy_compare_published(&defs, &lim, ds, &now, "now.xml", d);
}

/* Against the earlier bundle: published cells compared, withheld ones never. */
static void test_published(void **state)
{
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	struct obs *o;
	unsigned elig = (unsigned)defs_find(&defs, "eligible");
	(void)state;

	published(&ds, "2021-22", AREA_PRESENT);
	assert_int_equal(compare_published(&ds, &d), 0);
	assert_int_equal(d.count, 0);

	cell(&now, "eligible", 1, 2)->value = 95;
	assert_int_equal(compare_published(&ds, &d), 1);
	assert_string_equal(d.items[0].rule, "Y01");
	assert_int_equal(d.items[0].line, cell(&now, "eligible", 1, 2)->line);
	assert_string_equal(d.items[0].message,
			    "eligible, category 1, level 2 is 95, but was 40 in 2021-22: +55 (+138%), "
			    "more than 50% and 20 people; check it");
	diag_clear(&d);

	/* withheld as published_read gives it: [c] with value 0, not known to the reader */
	o = dataset_find(&ds, "E23000002", elig, 1, 2);
	assert_non_null(o);
	o->status = OBS_SECONDARY;
	o->value = 0;
	assert_int_equal(compare_published(&ds, &d), 0);
	o->status = OBS_OK;
	o->value = 0;                        /* published 0: Y02 */
	assert_int_equal(compare_published(&ds, &d), 1);
	assert_string_equal(d.items[0].rule, "Y02");
	diag_clear(&d);
	dataset_release(&ds);

	published(&ds, "2020-21", AREA_PRESENT);
	assert_int_equal(compare_published(&ds, &d), 1);
	assert_string_equal(d.items[0].rule, "Y03");
	assert_int_equal(d.items[0].line, now.period_line);
	assert_string_equal(d.items[0].message,
			    "the earlier publication is for 2020-21, not for the period just before 2022-23: "
			    "no year-on-year comparison");
	diag_clear(&d);
	dataset_release(&ds);

	/* the area sent no return that year ([x]), or is not in the bundle: nothing to compare */
	published(&ds, "2021-22", AREA_MISSING);
	assert_int_equal(compare_published(&ds, &d), 0);
	ds.nareas = 0;
	assert_int_equal(compare_published(&ds, &d), 0);
	assert_int_equal(d.count, 0);
	dataset_release(&ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits_parse),
		cmocka_unit_test_setup(test_same_figures_quiet, reset),
		cmocka_unit_test_setup(test_y01_thresholds, reset),
		cmocka_unit_test_setup(test_y01_message, reset),
		cmocka_unit_test_setup(test_y02_zero, reset),
		cmocka_unit_test_setup(test_every_table, reset),
		cmocka_unit_test_setup(test_absent_cells_skipped, reset),
		cmocka_unit_test_setup(test_custom_limits, reset),
		cmocka_unit_test_setup(test_y03, reset),
		cmocka_unit_test_setup(test_read_returns, reset),
		cmocka_unit_test_setup(test_published, reset),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
