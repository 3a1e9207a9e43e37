/*
 * Unit tests of the publication bundle: CSV quoting, pivoting observations into tables, the ODS
 * package, SHA-256 and the manifest, entry names, determinism and the publication checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <zip.h>

#include "areas.h"
#include "bundle.h"
#include "csvout.h"
#include "dataset.h"
#include "defs.h"
#include "digest.h"
#include "htmlesc.h"
#include "ods.h"
#include "pivot.h"
#include "policy.h"
#include "protect.h"
#include "publish_check.h"
#include "publish.h"
#include "publish_html.h"
#include "publish_lang.h"
#include "ptable.h"
#include "publish_csv.h"
#include "publish_layout.h"
#include "publish_private.h"
#include "publish_text.h"
#include "publish_release_file.h"
#include "run.h"
#include "sample.h"
#include "strbuf.h"

static struct defs defs;
static struct areas ref;

/* publish_bundle that must succeed: 0 and no diagnostic at all. */
static void publish_ok(const struct dataset *ds, const struct publish_options *opt, struct bundle *b)
{
	struct diag_list d = DIAG_LIST_INIT;

	assert_int_equal(publish_bundle(ds, &defs, &ref, opt, b, &d), 0);
	assert_int_equal(d.count, 0);
	diag_clear(&d);
}

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

static void make_ds(struct dataset *ds, size_t nareas, const char *missing)
{
	assert_int_equal(sample_dataset(ds, &defs, &ref, nareas, 7, "2022-23", missing), 0);
}

static unsigned stat_of(const char *name)
{
	int s = dataset_stat_find(&defs, name);
	assert_true(s >= 0);
	return (unsigned)s;
}

/* ---- CSV ---- */

static void csv_quoting(void **state)
{
	struct strbuf b = STRBUF_INIT;
	static const char *const row[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "", NULL,
					   " lead", "cr\rhere", "Ynys Môn" };
	(void)state;
	csv_row(&b, row, sizeof row / sizeof row[0]);
	assert_int_equal(strbuf_ok(&b), 0);
	assert_string_equal(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,,\" lead\",\"cr\rhere\",Ynys Môn\r\n");
	assert_false(csv_needs_quotes("E23000001"));
	assert_true(csv_needs_quotes("\""));
	strbuf_release(&b);
}

static void csv_empty_row(void **state)
{
	struct strbuf b = STRBUF_INIT;
	static const char *const row[] = { "", "" };
	(void)state;
	csv_row(&b, row, 2);
	assert_string_equal(b.data, ",\r\n");
	strbuf_release(&b);
}

/* ---- pivoting ---- */

static void pivot_area_grid(void **state)
{
	struct dataset ds;
	struct pivot_grid g;
	unsigned e = stat_of("eligible");
	(void)state;
	make_ds(&ds, 3, NULL);
	pivot_grid(&ds, &defs, "E23000001", e, &g);
	assert_int_equal(g.nrows, 4);   /* levels 1-3 and total */
	assert_int_equal(g.ncols, 4);   /* categories 1-3 and the 1-3 total: no category 4 */
	assert_int_equal(g.col_cat[3], CAT_1_3);
	assert_int_equal(g.row_level[3], LEVEL_ALL);
	/* category 3 at level 1 is [z] */
	assert_false(g.cell[0][2].published);
	assert_string_equal(g.cell[0][2].symbol, "[z]");
	/* published values are the dataset's */
	for (size_t r = 0; r < g.nrows; r++)
		for (size_t c = 0; c < g.ncols; c++) {
			const struct obs *o = dataset_find(&ds, "E23000001", e, g.col_cat[c], g.row_level[r]);
			if (g.cell[r][c].published) {
				assert_non_null(o);
				assert_int_equal(o->status, OBS_OK);
				assert_int_equal(g.cell[r][c].value, o->value);
			} else {
				assert_int_equal(g.cell[r][c].value, 0);
			}
		}
	dataset_release(&ds);
}

static void pivot_national_grid(void **state)
{
	struct dataset ds;
	struct pivot_grid g;
	(void)state;
	make_ds(&ds, 3, NULL);
	pivot_grid(&ds, &defs, ds.national_code, stat_of("eligible"), &g);
	assert_int_equal(g.ncols, 5);   /* categories 1-4 and the total over 1-4 */
	assert_int_equal(g.col_cat[3], 4);
	assert_int_equal(g.col_cat[4], CAT_ALL);
	assert_true(g.cell[3][4].published);
	pivot_grid(&ds, &defs, ds.national_code, stat_of("shpoBreach"), &g);
	assert_int_equal(g.ncols, 1);
	assert_int_equal(g.nrows, 3);   /* levels 2, 3 and total */
	pivot_grid(&ds, &defs, ds.national_code, stat_of("shpo"), &g);
	assert_int_equal(g.ncols, 1);
	assert_int_equal(g.nrows, 1);
	dataset_release(&ds);
}

static void pivot_never_publishes_area_category4(void **state)
{
	struct dataset ds;
	struct obs *o;
	struct pivot_value v;
	unsigned e = stat_of("eligible");
	(void)state;
	make_ds(&ds, 3, NULL);
	/* even when a faulty suppression left it publishable */
	o = dataset_find(&ds, "E23000002", e, 4, 1);
	assert_non_null(o);
	o->status = OBS_OK;
	v = pivot_get(&ds, &defs, "E23000002", e, 4, 1);
	assert_false(v.published);
	assert_string_equal(v.symbol, "[c]");
	o = dataset_find(&ds, "E23000002", e, CAT_ALL, LEVEL_ALL);
	assert_non_null(o);
	o->status = OBS_OK;
	v = pivot_get(&ds, &defs, "E23000002", e, CAT_ALL, LEVEL_ALL);
	assert_false(v.published);
	dataset_release(&ds);
}

static void pivot_keys_area_and_national(void **state)
{
	int cats[32], levels[32];
	size_t n;
	unsigned e = stat_of("eligible");
	(void)state;
	n = pivot_keys(&defs, e, 0, cats, levels, 32);
	assert_int_equal(n, 5 * 4);     /* categories 1,2,3,4,1-3 x levels 1,2,3,all */
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(cats[i], CAT_ALL);
	n = pivot_keys(&defs, e, 1, cats, levels, 32);
	assert_int_equal(n, 5 * 4);     /* categories 1,2,3,4,all */
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(cats[i], CAT_1_3);
	n = pivot_keys(&defs, stat_of("notificationOrder"), 0, cats, levels, 32);
	assert_int_equal(n, 1);
	assert_int_equal(cats[0], CAT_NONE);
	assert_int_equal(levels[0], LEVEL_NONE);
}

static void pivot_missing_area_is_x(void **state)
{
	struct dataset ds;
	struct pivot_value v;
	(void)state;
	make_ds(&ds, 3, "E23000003");
	v = pivot_get(&ds, &defs, "E23000003", stat_of("eligible"), 1, 1);
	assert_false(v.published);
	assert_string_equal(v.symbol, "[x]");
	v = pivot_get(&ds, &defs, "E23000003", stat_of("notificationRate"), CAT_NONE, LEVEL_NONE);
	assert_string_equal(v.symbol, "[x]");
	dataset_release(&ds);
}

static void number_format(void **state)
{
	char buf[32];
	(void)state;
	assert_string_equal(pivot_format_number(0, buf, sizeof buf), "0");
	assert_string_equal(pivot_format_number(999, buf, sizeof buf), "999");
	assert_string_equal(pivot_format_number(1000, buf, sizeof buf), "1,000");
	assert_string_equal(pivot_format_number(7754000, buf, sizeof buf), "7,754,000");
	assert_string_equal(pivot_format_number(-12345, buf, sizeof buf), "-12,345");
}

/* ---- the long form ---- */

/* Splits a CSV line without quotes into fields (enough for observations.csv's fields); returns
   how many it found. The f[] past them, which a short line lacks, are empty, not undefined. */
static size_t split(char *line, char **f, size_t max)
{
	size_t n = 0, got;
	char *end = line + strlen(line);
	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == ',') {
			*p = '\0';
			f[n++] = p + 1;
		}
	for (got = n; n < max; n++)
		f[n] = end;
	return got;
}

static void observations_rules(void **state)
{
	struct dataset ds;
	struct strbuf b = STRBUF_INIT;
	char *p, *line, *save = NULL;
	size_t rows = 0;
	(void)state;
	make_ds(&ds, 3, "E23000002");
	publish_csv_observations(&ds, &defs, NULL, &b);
	assert_int_equal(strbuf_ok(&b), 0);
	assert_memory_equal(b.data, "period,area_code,area_name,table,category,level,value,status\r\n", 62);
	p = b.data;
	for (line = strtok_r(p, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[10];
		size_t n, len = strlen(line);
		assert_true(len > 0 && line[len - 1] == '\r');
		line[len - 1] = '\0';
		n = split(line, f, 10);
		assert_int_equal(n, 8);
		if (rows++ == 0)
			continue;
		assert_string_equal(f[0], "2022-23");
		/* value empty exactly when status holds a symbol */
		assert_true((f[6][0] == '\0') == (f[7][0] != '\0'));
		if (f[7][0])
			assert_true(strcmp(f[7], "[c]") == 0 || strcmp(f[7], "[z]") == 0 || strcmp(f[7], "[x]") == 0);
		if (strcmp(f[1], "K04000001") == 0) {
			assert_string_not_equal(f[4], "1-3");
		} else {
			assert_string_not_equal(f[4], "all");        /* area totals over 1-4: never */
			if (strcmp(f[4], "4") == 0) {
				assert_string_equal(f[6], "");
				assert_string_equal(f[7], strcmp(f[1], "E23000002") == 0 ? "[x]" : "[c]");
			}
		}
		/* single counts and rates: both empty */
		if (strcmp(f[3], "shpo") == 0 || strcmp(f[3], "notificationRate") == 0)
			assert_true(f[4][0] == '\0' && f[5][0] == '\0');
	}
	/* per area and nation: 20 + 15 + 15 + 3 + 6 single counts + 1 rate = 60 rows */
	assert_int_equal(rows, 1 + 4 * 60);
	strbuf_release(&b);
	dataset_release(&ds);
}

static void table_csv_layout(void **state)
{
	struct dataset ds;
	struct strbuf b = STRBUF_INIT;
	(void)state;
	make_ds(&ds, 3, NULL);
	publish_csv_published(&ds, &defs, NULL, stat_of("eligible"), 1, &b);
	assert_true(strncmp(b.data, "Level,Category 1: subject to sex offender notification requirements,", 67) == 0);
	assert_non_null(strstr(b.data, "\r\nLevel 1,"));
	assert_non_null(strstr(b.data, "\r\nTotal,"));
	strbuf_release(&b);
	publish_csv_published(&ds, &defs, NULL, stat_of("eligible"), 0, &b);
	assert_true(strncmp(b.data, "Area code,Area name,", 20) == 0);
	assert_non_null(strstr(b.data, "\r\nE23000001,London,"));
	assert_null(strstr(b.data, "Category 4"));
	strbuf_release(&b);
	dataset_release(&ds);
}

static void area_sections(void **state)
{
	struct dataset ds;
	struct strbuf b = STRBUF_INIT;
	(void)state;
	make_ds(&ds, 3, NULL);
	publish_html_area(&ds, &defs, NULL, "E23000001", NULL, &b);
	assert_non_null(strstr(b.data, "<html lang=\"en\">"));
	assert_non_null(strstr(b.data, "<caption id=\"table1\">MAPPA-eligible individuals on 31 March 2023</caption>"));
	assert_non_null(strstr(b.data, "<th scope=\"col\">"));
	assert_non_null(strstr(b.data, "<th scope=\"row\">Level 1</th>"));
	assert_null(strstr(b.data, "Category 4:"));
	strbuf_release(&b);
	publish_text_area(&ds, &defs, NULL, "E23000001", NULL, &b);
	assert_true(strncmp(b.data, "MAPPA statistics: London, 2022/23\n", 34) == 0);
	assert_non_null(strstr(b.data, "per 100,000"));
	strbuf_release(&b);
	dataset_release(&ds);
}

static void slug_and_period(void **state)
{
	char buf[64];
	int a, b;
	(void)state;
	assert_string_equal(publish_slug("Devon and Cornwall", buf, sizeof buf), "devon-and-cornwall");
	assert_string_equal(publish_slug("  ../etc/Passwd ", buf, sizeof buf), "etc-passwd");
	assert_string_equal(publish_slug("Dyfed-Powys", buf, sizeof buf), "dyfed-powys");
	assert_int_equal(publish_period_years("2022-23", &a, &b), 0);
	assert_int_equal(a, 2022);
	assert_int_equal(b, 2023);
	assert_int_equal(publish_period_years("2022-24", &a, &b), -1);
	assert_int_equal(publish_period_years("22-23", &a, &b), -1);
	assert_int_equal(publish_period_years("2099-00", &a, &b), 0);
}

/* ---- checks ---- */

static void check_refuses_unsuppressed(void **state)
{
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	make_ds(&ds, 3, NULL);
	assert_int_equal(publish_check(&ds, &defs, &ref, "s.obs", &d), 0);
	/* its one diagnostic: 3 of the reference data's 42 areas, a warning (P03) */
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].rule, "P03");
	assert_int_equal(d.items[0].severity, DIAG_WARNING);
	assert_non_null(strstr(d.items[0].message, "holds 3 of the reference data's 42 areas: 39, "));
	assert_non_null(strstr(d.items[0].message, " and others, are neither present nor missing"));
	diag_clear(&d);
	ds.stage = STAGE_MERGED;
	assert_int_equal(publish_check(&ds, &defs, &ref, "s.obs", &d), -1);
	assert_string_equal(d.items[0].rule, "P01");
	assert_string_equal(d.items[0].file, "s.obs"); /* the dataset's name, from the library */
	diag_clear(&d);
	dataset_release(&ds);
}

static void check_refuses_publishable_category4(void **state)
{
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	make_ds(&ds, 3, NULL);
	dataset_find(&ds, "E23000003", stat_of("returnedToCustody"), 4, 2)->status = OBS_OK;
	assert_int_equal(publish_check(&ds, &defs, &ref, "s.obs", &d), -1);
	assert_string_equal(d.items[0].rule, "P04");
	diag_clear(&d);
	dataset_release(&ds);
}

static void check_refuses_unknown_area(void **state)
{
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	make_ds(&ds, 3, NULL);
	snprintf(ds.areas[1].code, sizeof ds.areas[1].code, "../x");
	assert_int_equal(publish_check(&ds, &defs, &ref, "s.obs", &d), -1);
	assert_string_equal(d.items[0].rule, "P03");
	/* the areas of the reference data it holds are counted, not its own (QA: "42 of the
	   reference data's 42 areas: 1 ... is neither present nor missing") */
	{
		size_t warned = 0;
		for (size_t i = 0; i < d.count; i++)
			if (d.items[i].severity == DIAG_WARNING && strcmp(d.items[i].rule, "P03") == 0 &&
			    strstr(d.items[i].message, "holds 2 of the reference data's 42 areas: 40, "))
				warned++;
		assert_int_equal(warned, 1);
	}
	diag_clear(&d);
	dataset_release(&ds);
}

static void check_refuses_missing_rows(void **state)
{
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	make_ds(&ds, 3, NULL);
	dataset_find(&ds, "E23000001", stat_of("shpo"), CAT_NONE, LEVEL_NONE)->stat = stat_of("eligible");
	dataset_sort(&ds);
	assert_int_equal(publish_check(&ds, &defs, &ref, "s.obs", &d), -1);
	assert_string_equal(d.items[0].rule, "P05");
	diag_clear(&d);
	dataset_release(&ds);
}

static void check_refuses_recoverable_cell(void **state)
{
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	struct obs *o;
	(void)state;
	make_ds(&ds, 3, NULL);
	/* London's level 1 row: category 1 withheld alone, category 2 and the 1-3 total published */
	o = dataset_find(&ds, "E23000001", stat_of("eligible"), 1, 1);
	assert_non_null(o);
	assert_int_equal(o->status, OBS_OK);
	assert_true(o->value > 0);
	o->status = OBS_PRIMARY;
	assert_int_equal(publish_check(&ds, &defs, &ref, "s.obs", &d), -1);
	assert_string_equal(d.items[0].rule, "P06");
	assert_non_null(strstr(d.items[0].message, "E23000001 eligible category '1' level '1'"));
	diag_clear(&d);
	dataset_release(&ds);
}

static void check_refuses_single_area_withheld_across_areas(void **state)
{
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	struct obs *o;
	unsigned s = stat_of("notificationOrder");
	(void)state;
	make_ds(&ds, 3, NULL);
	for (size_t a = 0; a < ds.nareas; a++)
		dataset_find(&ds, ds.areas[a].code, s, CAT_NONE, LEVEL_NONE)->status = OBS_OK;
	o = dataset_find(&ds, "E23000002", s, CAT_NONE, LEVEL_NONE);
	/* a 2, the national total still the sum of the areas (P07 refuses one that is not) */
	dataset_find(&ds, ds.national_code, s, CAT_NONE, LEVEL_NONE)->value += 2 - o->value;
	o->value = 2;
	o->status = OBS_PRIMARY;
	/* the national figure less the other two areas gives it away */
	assert_int_equal(publish_check(&ds, &defs, &ref, "s.obs", &d), -1);
	assert_string_equal(d.items[0].rule, "P06");
	diag_clear(&d);
	/* a second area withheld too: no longer a single subtraction */
	dataset_find(&ds, "E23000003", s, CAT_NONE, LEVEL_NONE)->status = OBS_SECONDARY;
	assert_int_equal(publish_check(&ds, &defs, &ref, "s.obs", &d), 0);
	diag_clear(&d);
	dataset_release(&ds);
}

/* P07: figures that do not add up are refused, naming the first (a dataset changed after the
   suppression, its checksum made again, was published with them). */
static void check_refuses_figures_that_do_not_add_up(void **state)
{
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	struct obs *o;
	unsigned s = stat_of("notificationOrder");
	(void)state;
	make_ds(&ds, 3, NULL);
	o = dataset_find(&ds, "E23000002", s, CAT_NONE, LEVEL_NONE);
	o->value += 1; /* the national figure is no longer the sum of the areas */
	assert_int_equal(publish_check(&ds, &defs, &ref, "s.obs", &d), -1);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.items[0].rule, "P07");
	assert_string_equal(d.items[0].file, "s.obs");
	assert_non_null(strstr(d.items[0].message, "K04000001 notificationOrder is "));
	assert_non_null(strstr(d.items[0].message, "but the 3 figures it totals sum to"));
	diag_clear(&d);
	o->value -= 1;
	/* a published rule broken: more returned to custody than were managed */
	o = dataset_find(&ds, "E23000001", stat_of("returnedToCustody"), 1, 2);
	assert_non_null(o);
	{
		const struct obs *m = dataset_find(&ds, "E23000001", stat_of("managedAtLevel23"), 1, 2);
		long long delta = m->value + 1 - o->value;
		/* the cell and every total over it, so that only the rule is broken */
		static const int cats[] = { 1, CAT_1_3, CAT_ALL };
		static const int levels[] = { 2, LEVEL_ALL };
		const char *areas[] = { "E23000001", ds.national_code };
		for (size_t a = 0; a < 2; a++)
			for (size_t c = 0; c < 3; c++)
				for (size_t l = 0; l < 2; l++) {
					struct obs *t = dataset_find(&ds, areas[a], stat_of("returnedToCustody"),
								     cats[c], levels[l]);
					if (t)
						t->value += delta;
				}
	}
	assert_int_equal(publish_check(&ds, &defs, &ref, "s.obs", &d), -1);
	assert_string_equal(d.items[0].rule, "P07");
	assert_non_null(strstr(d.items[0].message, "E23000001 returnedToCustody category '1' level '2' is "));
	assert_non_null(strstr(d.items[0].message, "above E23000001 managedAtLevel23 category '1' level '2'"));
	diag_clear(&d);
	dataset_release(&ds);
}

static void check_passes_sample_datasets(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 5; seed++) {
		struct dataset ds;
		struct diag_list d = DIAG_LIST_INIT;
		assert_int_equal(sample_dataset(&ds, &defs, &ref, 42, seed, "2022-23", seed == 3 ? "E23000010" : NULL), 0);
		if (publish_check(&ds, &defs, &ref, "s.obs", &d) != 0)
			diag_print(&d, stderr);
		assert_int_equal(d.errors, 0);
		diag_clear(&d);
		dataset_release(&ds);
	}
}

/*
 * An earlier publication's rates (publish_check_earlier): one beside its withheld count tells
 * the count, an error before any audit; one that does not fit this reference data's
 * populations, a warning only (revised since), the period still shown again.
 */
static void earlier_rates(void **state)
{
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	struct policy pol;
	unsigned rate = stat_of("notificationRate");
	struct obs *r, *count;
	(void)state;
	assert_int_equal(protect_policy_load(&pol, NULL, &d), 0);
	make_ds(&ds, 3, NULL);
	r = dataset_find(&ds, "E23000002", rate, CAT_NONE, LEVEL_NONE);
	assert_non_null(r);
	assert_int_equal(r->status, OBS_OK);
	count = dataset_rate_count(&ds, &defs, r);
	assert_non_null(count);
	/* as published: nothing said of its rates */
	assert_int_equal(publish_check_earlier(&ds, &defs, &pol, "b.tar.gz", &d), 0);
	assert_int_equal(d.count, 0);
	/* a rate that does not fit: a warning naming it, its value and the one its count gives */
	r->value += 1000;
	assert_int_equal(publish_check_earlier(&ds, &defs, &pol, "b.tar.gz", &d), 0);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].rule, "H06");
	assert_int_equal(d.items[0].severity, DIAG_WARNING);
	assert_non_null(strstr(d.items[0].message, "E23000002 notificationRate is"));
	assert_non_null(strstr(d.items[0].message, "1 of them"));
	diag_clear(&d);
	r->value -= 1000;
	/* its count withheld, the rate left: an error, whatever the audit would say */
	count->status = OBS_SECONDARY;
	assert_int_equal(publish_check_earlier(&ds, &defs, &pol, "b.tar.gz", &d), -1);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.items[0].rule, "H06");
	assert_non_null(strstr(d.items[0].message, "withholds the count it is the rate of"));
	diag_clear(&d);
	dataset_release(&ds);
}

/* ---- SHA-256 and manifest ---- */

static void sha256_vectors(void **state)
{
	char hex[65];
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char *million = malloc(1000000);
	(void)state;
	/* FIPS 180-4 examples (NIST CSRC example values) */
	digest_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	digest_sha256_hex(two_blocks, strlen(two_blocks), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_non_null(million);
	memset(million, 'a', 1000000);
	digest_sha256_hex(million, 1000000, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

static const struct zipmem_time fixed = { 2023, 4, 1, 0, 0, 0 };

static void manifest_text(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct bundle b;
	struct strbuf m = STRBUF_INIT;
	const struct bundle_file *f;
	(void)state;
	bundle_init(&b, "mappa-2022-23", &fixed);
	assert_int_equal(bundle_add(&b, "z.txt", "abc", 3, &d), 0);
	assert_int_equal(bundle_add(&b, "areas/a.txt", "", 0, &d), 0);
	assert_int_equal(bundle_add_manifest(&b, &d), 0);
	assert_int_equal(d.count, 0);
	f = bundle_find(&b, "MANIFEST.sha256");
	assert_non_null(f);
	bundle_manifest_text(&b, &m);
	assert_string_equal(m.data,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  areas/a.txt\n"
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  z.txt\n");
	assert_int_equal(f->len, m.len);
	assert_memory_equal(f->data, m.data, m.len);
	/* adding it again replaces it */
	assert_int_equal(bundle_add_manifest(&b, &d), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(b.nfiles, 3);
	strbuf_release(&m);
	bundle_release(&b);
}

static void entry_names(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct bundle b;
	(void)state;
	assert_true(bundle_name_ok("README.txt"));
	assert_true(bundle_name_ok("areas/E23000001-london.html"));
	assert_false(bundle_name_ok("/etc/passwd"));
	assert_false(bundle_name_ok("../x"));
	assert_false(bundle_name_ok("a/../x"));
	assert_false(bundle_name_ok("a//x"));
	assert_false(bundle_name_ok("a/"));
	assert_false(bundle_name_ok(".hidden"));
	assert_false(bundle_name_ok("a b"));
	assert_false(bundle_name_ok(""));
	/* a name the bundle refuses is B01 of the top folder, naming the entry; no errno: a fault
	   of ours, not of the system (exit 70) */
	bundle_init(&b, "top", &fixed);
	assert_int_equal(bundle_add(&b, "../evil", "x", 1, &d), -1);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].file, "top");
	assert_int_equal(d.items[0].line, 0);
	assert_string_equal(d.items[0].rule, "B01");
	assert_string_equal(d.items[0].message, "cannot add '../evil' to the bundle: not a valid entry name");
	assert_int_equal(diag_errnum(&d), 0);
	assert_int_equal(b.nfiles, 0);
	diag_clear(&d);
	assert_int_equal(bundle_add(&b, "ok", "x", 1, &d), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(bundle_add(&b, "ok", "y", 1, &d), -1);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].rule, "B01");
	assert_string_equal(d.items[0].message, "cannot add 'ok' to the bundle: it is there already");
	assert_int_equal(b.nfiles, 1);
	assert_int_equal(b.files[0].data[0], 'x');
	diag_clear(&d);
	/* a name with a control character is quoted, never printed raw */
	assert_int_equal(bundle_add(&b, "a\033[2Jb", "x", 1, &d), -1);
	assert_string_equal(d.items[0].message, "cannot add \"a\\033[2Jb\" to the bundle: not a valid entry name");
	diag_clear(&d);
	/* a buffer that had failed is out of memory, with ENOMEM for the exit status (70) */
	{
		struct strbuf failed = STRBUF_INIT;
		failed.failed = 1;
		assert_int_equal(bundle_add_strbuf(&b, "m.txt", &failed, &d), -1);
		assert_int_equal(d.count, 1);
		assert_string_equal(d.items[0].rule, "B01");
		assert_string_equal(d.items[0].message, "cannot add 'm.txt' to the bundle: out of memory");
		assert_int_equal(diag_errnum(&d), ENOMEM);
		diag_clear(&d);
	}
	bundle_release(&b);
}

/* ---- ODS ---- */

static void ods_package(void **state)
{
	struct ods o;
	struct strbuf out = STRBUF_INIT, content = STRBUF_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	const unsigned char *p;
	zip_source_t *src;
	zip_t *za;
	zip_error_t ze;
	zip_stat_t st;
	(void)state;
	ods_init(&o, "Title", "Subject");
	ods_add_sheet(&o, "Cover");
	ods_row(&o);
	ods_text(&o, "A & B <c>", ODS_TITLE);
	ods_row(&o);
	ods_number(&o, 1234);
	ods_text(&o, "[c]", ODS_PLAIN);
	assert_int_equal(ods_write(&o, &fixed, &out, "t.ods", &d), 0);
	assert_int_equal(d.count, 0);
	p = (const unsigned char *)out.data;
	/* local header of the first entry: signature, no flags (no data descriptor), stored,
	   name "mimetype", no extra field, then the media type itself */
	assert_memory_equal(p, "PK\003\004", 4);
	assert_int_equal(p[6] | p[7] << 8, 0);
	assert_int_equal(p[8] | p[9] << 8, 0);
	assert_int_equal(p[26] | p[27] << 8, 8);
	assert_int_equal(p[28] | p[29] << 8, 0);
	assert_memory_equal(p + 30, "mimetype", 8);
	assert_memory_equal(p + 38, ODS_MIMETYPE, strlen(ODS_MIMETYPE));
	/* the package reads back with the parts the manifest names */
	zip_error_init(&ze);
	src = zip_source_buffer_create(out.data, out.len, 0, &ze);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	assert_non_null(za);
	assert_int_equal(zip_get_num_entries(za, 0), 5);
	assert_string_equal(zip_get_name(za, 0, 0), "mimetype");
	assert_int_equal(zip_stat_index(za, 0, 0, &st), 0);
	assert_int_equal(st.comp_method, ZIP_CM_STORE);
	assert_true(zip_name_locate(za, "content.xml", 0) >= 0);
	assert_true(zip_name_locate(za, "styles.xml", 0) >= 0);
	assert_true(zip_name_locate(za, "meta.xml", 0) >= 0);
	assert_true(zip_name_locate(za, "META-INF/manifest.xml", 0) >= 0);
	zip_close(za);
	zip_error_fini(&ze);
	/* numbers stored as numbers, text escaped by the writer */
	assert_int_equal(ods_content_xml(&o, &content), 0);
	assert_non_null(strstr(content.data, "office:value-type=\"float\" office:value=\"1234\""));
	assert_non_null(strstr(content.data, "A &amp; B &lt;c&gt;"));
	assert_null(strstr(content.data, "number-columns-spanned"));
	strbuf_release(&content);
	strbuf_release(&out);
	ods_release(&o);
}

/* ---- the bundle and determinism ---- */

static void bundle_deterministic(void **state)
{
	struct dataset ds;
	struct bundle b1, b2;
	struct strbuf a1 = STRBUF_INIT, a2 = STRBUF_INIT, z1 = STRBUF_INIT, z2 = STRBUF_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	make_ds(&ds, 5, NULL);
	publish_ok(&ds, NULL, &b1);
	publish_ok(&ds, NULL, &b2);
	assert_int_equal(bundle_archive(&b1, BUNDLE_TAR_GZ, &a1, &d), 0);
	assert_int_equal(bundle_archive(&b2, BUNDLE_TAR_GZ, &a2, &d), 0);
	assert_int_equal(a1.len, a2.len);
	assert_memory_equal(a1.data, a2.data, a1.len);
	/* gzip header: no name flag, no time stamp */
	assert_int_equal((unsigned char)a1.data[0], 0x1f);
	assert_int_equal((unsigned char)a1.data[3] & 0x08, 0);
	assert_int_equal(a1.data[4] | a1.data[5] | a1.data[6] | a1.data[7], 0);
	assert_int_equal(bundle_archive(&b1, BUNDLE_ZIP, &z1, &d), 0);
	assert_int_equal(bundle_archive(&b2, BUNDLE_ZIP, &z2, &d), 0);
	assert_int_equal(z1.len, z2.len);
	assert_memory_equal(z1.data, z2.data, z1.len);
	/* every expected file */
	assert_non_null(bundle_find(&b1, "README.txt"));
	assert_non_null(bundle_find(&b1, "observations.csv"));
	assert_non_null(bundle_find(&b1, "observations-sdmx.csv"));
	assert_non_null(bundle_find(&b1, "observations-sdmx-structure.xml"));
	assert_non_null(bundle_find(&b1, "mappa-2022-23.ods"));
	assert_non_null(bundle_find(&b1, "index.html"));
	assert_non_null(bundle_find(&b1, "MANIFEST.sha256"));
	assert_non_null(bundle_find(&b1, "areas/E23000001-london.html"));
	assert_non_null(bundle_find(&b1, "areas/E23000005-greater-manchester.txt"));
	assert_non_null(bundle_find(&b1, "tables/national-eligible.csv"));
	assert_non_null(bundle_find(&b1, "tables/areas-notificationRate.csv"));
	strbuf_release(&a1);
	strbuf_release(&a2);
	strbuf_release(&z1);
	strbuf_release(&z2);
	bundle_release(&b1);
	bundle_release(&b2);
	dataset_release(&ds);
}

static size_t count_of(const char *s, const char *what);
static char *bundle_text(const struct bundle *b, const char *path);

/* The decimal integer s starts with (a failed test when it does not start with one). */
static int int_at(const char *s)
{
	char *end;
	long v;
	errno = 0;
	v = strtol(s, &end, 10);
	assert_true(end != s && errno == 0 && v >= INT_MIN && v <= INT_MAX);
	return (int)v;
}

static void summary_chart(void **state)
{
	struct dataset ds;
	struct bundle b;
	const struct bundle_file *f;
	char *html;
	(void)state;
	make_ds(&ds, 42, NULL);
	publish_ok(&ds, NULL, &b);
	f = bundle_find(&b, "index.html");
	assert_non_null(f);
	html = strndup((const char *)f->data, f->len);
	assert_non_null(strstr(html, "role=\"img\""));
	assert_non_null(strstr(html, "<title id=\"chart-title\">"));
	assert_non_null(strstr(html, "<desc id=\"chart-desc\">"));
	assert_non_null(strstr(html, "England and Wales: "));
	assert_non_null(strstr(html, ">Devon and Cornwall</text>"));
	{
		/* the chart scales: a viewBox and no fixed width */
		const char *svg = strstr(html, "<svg "), *end = svg ? strchr(svg, '>') : NULL;
		char tag[400];
		const char *p;
		int xnat;
		assert_non_null(end);
		snprintf(tag, sizeof tag, "%.*s", (int)(end - svg), svg);
		assert_non_null(strstr(tag, "viewBox="));
		assert_null(strstr(tag, " width="));
		/* its figures also as a table, which the text alternative points at */
		assert_non_null(strstr(html, "is in the table below the chart, 'Rate per 100,000 population aged 10 and over, by MAPPA area, 2022/23'"));
		assert_non_null(strstr(html, "<caption id=\"table1\">Rate per 100,000 population aged 10 and over, by MAPPA area, 2022/23</caption>"));
		assert_int_equal(count_of(html, "<th scope=\"row\">") >= 42, 1);
		/* no value label under the national line */
		p = strstr(html, "stroke=\"#d4351c\"");
		assert_non_null(p);
		while (p > html && strncmp(p, "<line x1=\"", 10) != 0)
			p--;
		xnat = int_at(p + 10);
		for (p = strstr(html, "<text x=\""); p; p = strstr(p + 1, "<text x=\"")) {
			const char *v = strstr(p, "paint-order=\"stroke\">");
			int x = int_at(p + 9);
			if (!v || v > strchr(p, '\n'))
				continue;
			v += strlen("paint-order=\"stroke\">");
			assert_false(x - 3 <= xnat && xnat <= x + 8 * (int)strcspn(v, "<") + 3);
		}
	}
	free(html);
	bundle_release(&b);
	/* the text alternative prints the figures as the chart does, with thousands separators
	   (QA: "Highest: Cumbria (6772008)" beside "England and Wales: 57,356") */
	{
		unsigned rate = stat_of("notificationRate"), shpo = stat_of("shpo");
		struct obs *o = (struct obs *)dataset_find(&ds, "E23000003", rate, CAT_NONE, LEVEL_NONE);
		struct obs *n = (struct obs *)dataset_find(&ds, "E23000003", shpo, CAT_NONE, LEVEL_NONE);
		assert_non_null(o);
		assert_non_null(n);
		n->value = 9999999;
		for (size_t i = 0; i < ds.nareas; i++)
			if (strcmp(ds.areas[i].code, "E23000003") == 0)
				o->value = 9999999LL * 100000 / ds.areas[i].population;
		publish_ok(&ds, NULL, &b);
		html = bundle_text(&b, "index.html");
		assert_non_null(strstr(html, "Highest: Lancashire ("));
		assert_null(strstr(strstr(html, "Highest: Lancashire ("), "0). Lowest"));
		{
			const char *p = strstr(html, "Highest: Lancashire (") + strlen("Highest: Lancashire (");
			assert_non_null(memchr(p, ',', 6));
		}
		free(html);
		bundle_release(&b);
	}
	dataset_release(&ds);
}


/* ---- release metadata, populations, the workbook's table markup ---- */

static char *bundle_text(const struct bundle *b, const char *path)
{
	const struct bundle_file *f = bundle_find(b, path);
	assert_non_null(f);
	return strndup((const char *)f->data, f->len);
}

/* publish_release_validate of release metadata given as options: no file, no line. */
static void release_fails(const struct publish_release *r, const char *what)
{
	struct diag_list d = DIAG_LIST_INIT;

	assert_int_equal(publish_release_validate(r, NULL, NULL, &d), -1);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].file, "-");
	assert_int_equal(d.items[0].line, 0);
	assert_string_equal(d.items[0].rule, "L04");
	assert_non_null(strstr(d.items[0].message, what));
	diag_clear(&d);
}

static void release_passes(const struct publish_release *r)
{
	struct diag_list d = DIAG_LIST_INIT;

	assert_int_equal(publish_release_validate(r, NULL, NULL, &d), 0);
	assert_int_equal(d.count, 0);
}

static void release_defaults_and_checks(void **state)
{
	struct publish_release r;
	char buf[64];
	(void)state;
	publish_release_init(&r);
	release_passes(&r);
	publish_release_fill(&r, "2022-23");
	assert_string_equal(r.date, "2023-10-26");     /* the last Thursday of October 2023 */
	assert_string_equal(r.next, "2024-10-31");
	release_passes(&r);
	assert_string_equal(publish_release_date_text("2023-10-26", buf, sizeof buf), "26 October 2023");
	assert_string_equal(publish_release_date_text("2024-10", buf, sizeof buf), "October 2024");
	r.date = "2023-02-29";
	release_fails(&r, "release date");
	r.date = "2024-11-01";
	release_fails(&r, "not after");
	r.date = "2023-10-26";
	r.next = "2024-10";
	release_passes(&r);
	r.email = "no-at-sign.example.org";
	release_fails(&r, "email 'no-at-sign.example.org'");
	r.email = "a@example.org";
	r.phone = "call us";
	release_fails(&r, "phone 'call us'");
	r.phone = "+44 (0)20 7946 0000";
	r.methodology = "javascript:alert(1)";
	release_fails(&r, "methodology 'javascript:alert(1)'");
	r.methodology = "https://example.org/m";
	r.producer = "two\nlines";
	release_fails(&r, "producer");
	r.producer = "Ministry";
	release_passes(&r);
}

static void release_everywhere(void **state)
{
	struct dataset ds;
	struct bundle b;
	struct publish_options opt = { .series = NULL };
	char *text;
	const char *const files[] = { "README.txt", "index.html", "areas/E23000001-london.html",
				      "areas/E23000001-london.txt" };
	(void)state;
	make_ds(&ds, 3, NULL);
	publish_release_init(&opt.release);
	opt.release.date = "2023-10-19";
	opt.release.next = "2024-10";
	opt.release.producer = "Test Producer";
	opt.release.email = "stats@example.net";
	opt.release.phone = "0161 496 0000";
	publish_ok(&ds, &opt, &b);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		text = bundle_text(&b, files[i]);
		assert_non_null(strstr(text, "19 October 2023"));
		assert_non_null(strstr(text, "October 2024"));
		assert_non_null(strstr(text, "Test Producer"));
		assert_non_null(strstr(text, "stats@example.net"));
		assert_non_null(strstr(text, "0161 496 0000"));
		assert_non_null(strstr(text, "Open Government Licence v3.0"));
		/* every population is an approximation: nothing credits the official estimates */
		assert_null(strstr(text, "ONS mid-2021"));
		free(text);
	}
	text = bundle_text(&b, "README.txt");
	assert_non_null(strstr(text, "approximations, not official estimates"));
	assert_null(strstr(text, "econdary"));
	free(text);
	bundle_release(&b);
	/* a bad date is refused, and nothing is left in the bundle: publish_release_validate's
	   own L04, naming the bundle (no file or line of release metadata is known here), relayed
	   as it is */
	opt.release.date = "2023-13-01";
	{
		struct diag_list d = DIAG_LIST_INIT;
		assert_int_equal(publish_bundle(&ds, &defs, &ref, &opt, &b, &d), -1);
		assert_int_equal(d.count, 1);
		assert_string_equal(d.items[0].file, "mappa-2022-23");
		assert_int_equal(d.items[0].line, 0);
		assert_string_equal(d.items[0].rule, "L04");
		assert_string_equal(d.items[0].message,
				    "release date '2023-13-01' is not a date like 2023-10-26");
		assert_int_equal(diag_errnum(&d), 0);
		assert_int_equal(b.nfiles, 0);
		diag_clear(&d);
	}
	dataset_release(&ds);
}

/* The workbook's content.xml, unpacked with libzip. */
static char *workbook_content(const struct bundle *b)
{
	const struct bundle_file *f = bundle_find(b, "mappa-2022-23.ods");
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_file_t *zf;
	zip_stat_t st;
	char *xml;

	assert_non_null(f);
	zip_error_init(&ze);
	src = zip_source_buffer_create(f->data, f->len, 0, &ze);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(za);
	assert_int_equal(zip_stat(za, "content.xml", 0, &st), 0);
	xml = calloc(1, (size_t)st.size + 1);
	assert_non_null(xml);
	zf = zip_fopen(za, "content.xml", 0);
	assert_non_null(zf);
	assert_int_equal(zip_fread(zf, xml, st.size), (zip_int64_t)st.size);
	zip_fclose(zf);
	zip_close(za);
	zip_error_fini(&ze);
	return xml;
}

static size_t count_of(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static void workbook_markup(void **state)
{
	struct dataset ds;
	struct bundle b;
	char *xml;
	unsigned nstat = dataset_stat_count(&defs);
	(void)state;
	make_ds(&ds, 4, "E23000002");
	publish_ok(&ds, NULL, &b);
	xml = workbook_content(&b);
	/* one marked header row and one named range per table, Contents and Notes included */
	assert_int_equal(count_of(xml, "<table:table-header-rows>"), 2 * nstat + 2);
	assert_int_equal(count_of(xml, "<table:named-range "), 2 * nstat + 2);
	assert_non_null(strstr(xml, "table:name=\"Table_1\" table:base-cell-address=\"$'National_eligible'.$A$"));
	/* the contents link to every sheet */
	assert_non_null(strstr(xml, "xlink:href=\"#National_eligible.A1\""));
	assert_non_null(strstr(xml, "xlink:href=\"#Areas_notificationRate.A1\""));
	assert_non_null(strstr(xml, "xlink:href=\"#Notes.A1\""));
	/* symbols aligned right like the numbers */
	assert_non_null(strstr(xml, "table:style-name=\"ceSym\" office:value-type=\"string\"><text:p>[x]"));
	/* a national table without Cumbria says so through the [x] note */
	assert_non_null(strstr(xml, "Cumbria sent no valid return"));
	/* no sheet promises notes it does not have */
	assert_null(strstr(xml, "Some column headings refer to notes"));
	/* column widths come from the content: no fixed 3.2 cm columns */
	assert_null(strstr(xml, "style:column-width=\"3.20cm\""));
	free(xml);
	/* the summary page names the missing area */
	xml = bundle_text(&b, "index.html");
	assert_non_null(strstr(xml, "Cumbria sent no valid return"));
	free(xml);
	bundle_release(&b);
	dataset_release(&ds);
}

/* ---- Welsh ---- */

/* The Welsh labels are data: every table and the rate have a Welsh title, the Welsh areas a
 * Welsh name; a translated title in another language than Welsh is refused (D05). */
static void welsh_labels_are_data(void **state)
{
	static const char bad[] =
		"<definitions xmlns=\"urn:mappa:definitions:1\" version=\"1\">"
		"<table name=\"eligible\" title=\"Eligible\"><title xml:lang=\"fr\">Eligibles</title></table>"
		"</definitions>";
	static const char good[] =
		"<definitions xmlns=\"urn:mappa:definitions:1\" version=\"1\">"
		"<table name=\"eligible\" title=\"Eligible\"><title xml:lang=\"cy\">Cymwys</title></table>"
		"</definitions>";
	struct defs *other = malloc(sizeof *other);
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_non_null(other);
	for (size_t i = 0; i < defs.ntables; i++)
		assert_true(defs.tables[i].title_cy[0] != '\0');
	assert_string_equal(defs.rates[0].title_cy, "Unigolion sy'n ddarostyngedig i ofynion hysbysu "
			    "troseddwyr rhyw fesul 100,000 o'r boblogaeth 10 oed a throsodd");
	assert_string_equal(defs_title("a", "b", "cy"), "b");
	assert_string_equal(defs_title("a", "b", "en"), "a");
	assert_string_equal(defs_title("a", "", "cy"), "a");
	assert_string_equal(areas_find(&ref, "W15000001")->name_cy, "Gogledd Cymru");
	assert_string_equal(areas_find(&ref, "W15000003")->name_cy, "De Cymru");
	assert_string_equal(areas_find(&ref, "E23000001")->name_cy, "");
	assert_int_equal(defs_load(other, "bad.xml", bad, sizeof bad - 1, &d), -1);
	assert_true(d.count > 0);
	assert_string_equal(d.items[0].rule, "D05");
	diag_clear(&d);
	assert_int_equal(defs_load(other, "good.xml", good, sizeof good - 1, &d), 0);
	assert_string_equal(other->tables[0].title_cy, "Cymwys");
	diag_clear(&d);
	free(other);
}

/* The message table: English as the English pages always said it, Welsh dates, files. */
static void welsh_messages(void **state)
{
	char buf[80];
	(void)state;
	for (int m = 0; m < MSG_COUNT; m++) {
		assert_true(publish_msg(PUBLISH_EN, (enum publish_msg)m)[0] != '\0');
		assert_true(publish_msg(PUBLISH_CY, (enum publish_msg)m)[0] != '\0');
	}
	assert_string_equal(publish_msg(PUBLISH_CY, MSG_LANG_CODE), "cy");
	assert_string_equal(publish_msg(PUBLISH_EN, MSG_SYMBOL_X), "[x] not available: the area sent no valid return for the period.");
	assert_string_equal(publish_lang_date(PUBLISH_CY, "2023-10-26", buf, sizeof buf), "26 Hydref 2023");
	assert_string_equal(publish_lang_date(PUBLISH_CY, "2024-03", buf, sizeof buf), "Mawrth 2024");
	assert_string_equal(publish_lang_date(PUBLISH_EN, "2024-12-31", buf, sizeof buf), "31 December 2024");
	assert_string_equal(publish_lang_date(PUBLISH_CY, "soon", buf, sizeof buf), "soon");
	assert_true(publish_lang_has_welsh("W15000004"));
	assert_false(publish_lang_has_welsh("E23000001"));
	publish_lang_area_file("W15000001", "North Wales", PUBLISH_CY, buf, sizeof buf);
	assert_string_equal(buf, "W15000001-north-wales.cy.html");
}

/* The publication file: read through the one loader, checked, and the options over it. */
static void release_file(void **state)
{
	static const char good[] =
		"<release xmlns=\"urn:mappa:release:1\" version=\"1\"><date>2023-10-19</date>"
		"<next>2024-10</next><producer>P</producer>"
		"<contact name=\"C\" email=\"a@example.net\" phone=\"0161 496 0000\"/>"
		"<licence>Open Government Licence v3.0</licence></release>";
	static const char *const bad[][2] = {
		{ "<release xmlns=\"urn:mappa:release:1\" version=\"1\"><date>2023-02-30</date></release>", "L04" },
		{ "<release xmlns=\"urn:mappa:release:1\" version=\"1\"><date>2024-01-01</date><next>2023-12</next></release>", "L04" },
		{ "<release xmlns=\"urn:mappa:release:1\" version=\"1\"><licence>CC BY 4.0</licence></release>", "L03" },
		{ "<release xmlns=\"urn:mappa:release:1\" version=\"1\"><contact email=\"nobody\"/></release>", "L03" },
		{ "<!DOCTYPE release><release xmlns=\"urn:mappa:release:1\" version=\"1\"/>", "L02" },
		{ "<release xmlns=\"urn:mappa:release:1\" version=\"1\">", "L01" },
	};
	struct publish_release_file *f = malloc(sizeof *f);
	struct publish_release over, m;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_non_null(f);
	assert_int_equal(publish_release_load(f, "r.xml", good, sizeof good - 1, &d), 0);
	assert_string_equal(f->release.date, "2023-10-19");
	assert_string_equal(f->release.next, "2024-10");
	assert_string_equal(f->release.contact, "C");
	assert_string_equal(f->release.phone, "0161 496 0000");
	assert_null(f->release.methodology);
	publish_release_init(&over);
	over.phone = "029 2018 0000";
	publish_release_merge(&m, &f->release, &over);
	assert_string_equal(m.phone, "029 2018 0000");
	assert_string_equal(m.producer, "P");
	assert_null(m.methodology);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(publish_release_load(f, "r.xml", bad[i][0], strlen(bad[i][0]), &d), -1);
		assert_true(d.count > 0);
		assert_string_equal(d.items[0].rule, bad[i][1]);
		diag_clear(&d);
	}
	assert_int_equal(publish_release_load_path(f, "/nonexistent/release.xml", &d), -2);
	diag_clear(&d);
	free(f);
}

/* One escaper for every HTML the programs write: the pages and the run report agree. */
static void one_html_escaper(void **state)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	static const char text[] = "Sy'n <b>\"a\" & b</b>, Môn";
	(void)state;
	htmlesc_append(&a, text);
	htmlesc_append(&a, NULL);
	run_html_escape(&b, text);
	assert_int_equal(strbuf_ok(&a), 0);
	assert_string_equal(a.data, "Sy&#39;n &lt;b&gt;&quot;a&quot; &amp; b&lt;/b&gt;, Môn");
	assert_string_equal(a.data, b.data);
	strbuf_release(&a);
	strbuf_release(&b);
}

/* The table model keeps every string whole, however long, and grows to any number of rows. */
static void table_model_keeps_text_whole(void **state)
{
	struct ptable t;
	char *long_text = malloc(5001);
	(void)state;
	assert_non_null(long_text);
	memset(long_text, 'y', 5000);
	long_text[5000] = '\0';
	memcpy(long_text + 4990, "-the-end-!", 10);
	ptable_init(&t, 3);
	ptable_title(&t, "%s", long_text);
	ptable_head(&t, 2, "head %s", long_text);
	for (size_t r = 0; r < 100; r++)
		assert_int_equal(ptable_add_row(&t), r);
	ptable_set_text(&t, 99, 0, long_text);
	ptable_set_number(&t, 98, 1, 1234567, 1);
	ptable_set_symbol(&t, 97, 2, "[c]", OBS_PRIMARY);
	ptable_set_text(&t, 100, 0, "outside");           /* ignored: no such row */
	assert_int_equal(ptable_ok(&t), 0);
	assert_int_equal(t.nrows, 100);
	assert_string_equal(t.title, long_text);
	assert_int_equal(strlen(ptable_heading(&t, 2)), 5005);
	assert_string_equal(ptable_heading(&t, 1), "");
	assert_string_equal(ptable_cell_text(ptable_at(&t, 99, 0)), long_text);
	assert_int_equal(ptable_at(&t, 98, 1)->kind, PTABLE_NUMBER);
	assert_int_equal(ptable_at(&t, 98, 1)->number, 1234567);
	assert_int_equal(ptable_at(&t, 98, 1)->revised, 1);
	assert_string_equal(ptable_cell_text(ptable_at(&t, 97, 2)), "[c]");
	assert_true(t.symbols & (1u << OBS_PRIMARY));
	assert_null(ptable_at(&t, 100, 0));
	assert_string_equal(ptable_cell_text(ptable_at(&t, 0, 0)), "");
	ptable_release(&t);
	ptable_release(&t);      /* released twice: a no-op */
	ptable_release(NULL);
	free(long_text);
}

/* A Welsh title as long as the definitions allow (800 bytes) reaches every output whole: the
 * tables' captions, the text section and the HTML page (no fixed 160-byte cell cuts it). */
static void table_caption(const struct ptable *t, void *ctx, const char *caption)
{
	const char *want = ctx;
	if (strstr(caption, want))
		assert_non_null(strstr(t->title, want));
}

static void long_labels_stay_whole(void **state)
{
	struct dataset ds;
	struct defs *d = malloc(sizeof *d);
	struct strbuf b = STRBUF_INIT;
	struct ptable t;
	unsigned s = stat_of("eligible"), symbols = 0;
	char want[801];
	(void)state;
	assert_non_null(d);
	memcpy(d, &defs, sizeof *d);
	memset(want, 'w', 799);
	memcpy(want + 780, "diwedd-y-teitl-hir", 18);
	want[799] = '\0';
	snprintf(d->tables[s].title_cy, sizeof d->tables[s].title_cy, "%s", want);
	memset(d->tables[s].title, 'e', 199);
	memcpy(d->tables[s].title + 180, "end-of-long-title", 17);
	d->tables[s].title[199] = '\0';
	make_ds(&ds, 42, NULL);
	publish_layout_grid(&t, &ds, d, NULL, "W15000001", s, PUBLISH_CY, "Gogledd Cymru");
	assert_int_equal(ptable_ok(&t), 0);
	assert_non_null(strstr(t.title, want));
	assert_non_null(strstr(t.title, "Gogledd Cymru"));
	ptable_release(&t);
	assert_int_equal(publish_layout_area_tables(&ds, d, NULL, "W15000001", PUBLISH_CY, NULL,
						    table_caption, want, &symbols), 0);
	publish_layout_areas(&t, &ds, d, NULL, s);
	assert_int_equal(t.nrows, 42);
	assert_non_null(strstr(t.title, d->tables[s].title));
	ptable_release(&t);
	publish_text_area(&ds, d, NULL, "E23000001", NULL, &b);
	assert_int_equal(strbuf_ok(&b), 0);
	assert_non_null(strstr(b.data, d->tables[s].title));
	strbuf_release(&b);
	dataset_release(&ds);
	free(d);
}

/* The pages are written through libxml2: hostile text in an area name or the release metadata
 * is escaped, and every page is well-formed (XML reads it) with one <main>. */
static void pages_written_by_libxml2(void **state)
{
	static const char *const pages[] = { "index.html", "areas/E23000001-a-b-script-alert-x-script-q.html" };
	struct dataset ds;
	struct bundle b;
	struct publish_options opt;
	(void)state;
	memset(&opt, 0, sizeof opt);
	publish_release_init(&opt.release);
	opt.release.contact = "Team <b>\"T\"</b> & 'Co'";
	make_ds(&ds, 3, NULL);
	snprintf(ds.areas[0].name, sizeof ds.areas[0].name, "%s", "A & B <script>alert(\"x\")</script> 'q'");
	publish_ok(&ds, &opt, &b);
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		const struct bundle_file *f = bundle_find(&b, pages[i]);
		char *html;
		xmlDocPtr doc;
		assert_non_null(f);
		html = strndup((const char *)f->data, f->len);
		assert_non_null(html);
		assert_null(strstr(html, "<script>"));
		assert_null(strstr(html, "<b>"));
		assert_non_null(strstr(html, "A &amp; B &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 'q'"));
		assert_non_null(strstr(html, "Team &lt;b&gt;&quot;T&quot;&lt;/b&gt; &amp; 'Co'"));
		assert_int_equal(count_of(html, "</main>"), 1);
		doc = xmlReadMemory(html, (int)f->len, pages[i], NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
		assert_non_null(doc);
		xmlFreeDoc(doc);
		free(html);
	}
	bundle_release(&b);
	dataset_release(&ds);
}

/* ---- the publisher asks the policy ---- */

/* s with the README's wrapped list items joined again ("\n  " -> " "), in place. */
static char *unwrap(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (r[0] == '\n' && r[1] == ' ' && r[2] == ' ') {
			*w++ = ' ';
			r += 2;
		} else
			*w++ = *r;
	}
	*w = '\0';
	return s;
}

/* The counts never published are the policy's, in every sentence that states them (README, the
 * workbook's notes, the area sections in English and Welsh): nothing says "1 or 2" when the
 * policy's threshold is 1 to 5. */
static void prose_follows_policy_threshold(void **state)
{
	struct dataset ds;
	struct bundle b;
	struct publish_options opt;
	struct policy pol;
	char *readme, *txt, *cy;
	(void)state;
	policy_init_default(&pol);
	pol.area.max = 5;
	memset(&opt, 0, sizeof opt);
	publish_release_init(&opt.release);
	opt.policy = &pol;
	make_ds(&ds, 42, NULL);
	publish_ok(&ds, &opt, &b);
	readme = bundle_text(&b, "README.txt");
	/* the national tables keep the shipped 1 or 2: the README says which is which */
	assert_non_null(strstr(unwrap(readme), "- Counts of 1 to 5 in area tables and 1 or 2 in national "
					       "tables are suppressed; zeros are published."));
	txt = bundle_text(&b, "areas/W15000002-gwent.txt");
	cy = bundle_text(&b, "areas/W15000002-gwent.cy.html");
	assert_non_null(strstr(txt, "A count of 1 to 5 is"));
	assert_null(strstr(txt, "1 or 2"));
	assert_non_null(strstr(cy, "cyfrif o 1 i 5 yn cael"));
	assert_null(strstr(cy, "1 neu 2"));
	free(readme);
	free(txt);
	free(cy);
	bundle_release(&b);
	/* the shipped policy: one threshold for both scopes, zeros published */
	opt.policy = NULL;
	publish_ok(&ds, &opt, &b);
	readme = bundle_text(&b, "README.txt");
	assert_non_null(strstr(unwrap(readme), "- Counts of 1 or 2 in area and national tables are "
					       "suppressed; zeros are published."));
	free(readme);
	bundle_release(&b);
	dataset_release(&ds);
}

/* A policy that protects zeros, or sets another national threshold, is what every sentence
 * says: the README and the workbook said "zeros are published" and the national page "a count
 * of 1 or 2" whatever the policy (found trying policy variants). */
static void prose_follows_policy_zeros(void **state)
{
	struct dataset ds;
	struct bundle b;
	struct publish_options opt;
	struct policy pol;
	char *readme, *ods, *txt, *cy;
	(void)state;
	policy_init_default(&pol);
	pol.area.protect_zeros = 1;
	pol.national.protect_zeros = 1;
	memset(&opt, 0, sizeof opt);
	publish_release_init(&opt.release);
	opt.policy = &pol;
	make_ds(&ds, 42, NULL);
	publish_ok(&ds, &opt, &b);
	readme = bundle_text(&b, "README.txt");
	assert_non_null(strstr(unwrap(readme), "- Counts of 0 to 2 in area and national tables are "
					       "suppressed.\n"));
	assert_null(strstr(readme, "zeros are published"));
	ods = workbook_content(&b);
	assert_non_null(strstr(ods, "Counts of 0 to 2 in area and national tables are not published [c]. "
				    "Further figures"));
	assert_null(strstr(ods, "zeros are published"));
	txt = bundle_text(&b, "areas/W15000002-gwent.txt");
	cy = bundle_text(&b, "areas/W15000002-gwent.cy.html");
	assert_non_null(strstr(txt, "A count of 0 to 2 is"));
	assert_non_null(strstr(cy, "cyfrif o 0 i 2 yn cael"));
	free(readme);
	free(ods);
	free(txt);
	free(cy);
	bundle_release(&b);

	/* zeros protected nationally only, and a national threshold of 1 */
	pol.area.protect_zeros = 0;
	pol.national.max = 1;
	publish_ok(&ds, &opt, &b);
	readme = bundle_text(&b, "README.txt");
	assert_non_null(strstr(unwrap(readme), "- Counts of 1 or 2 in area tables and 0 or 1 in national "
					       "tables are suppressed; zeros are published in area tables."));
	ods = workbook_content(&b);
	assert_non_null(strstr(ods, "Counts of 1 or 2 in area tables and 0 or 1 in national tables are "
				    "not published [c]; zeros are published in area tables. Further"));
	/* the national page (national tables and the areas' rates) states both rules */
	{
		struct strbuf line = STRBUF_INIT;
		publish_symbol_line(&pol, PUBLISH_EN, MSG_SYMBOL_C, 1, &line);
		assert_non_null(strstr(line.data, "A count of 1 or 2 in an area table or 0 or 1 in a "
						  "national table is not published"));
		line.len = 0;
		publish_symbol_line(&pol, PUBLISH_EN, MSG_SYMBOL_C, 0, &line);
		assert_non_null(strstr(line.data, "A count of 1 or 2 is not published"));
		strbuf_release(&line);
	}
	txt = bundle_text(&b, "areas/W15000002-gwent.txt");
	assert_non_null(strstr(txt, "A count of 1 or 2 is"));	/* an area's page: its tables' rule */
	free(readme);
	free(ods);
	free(txt);
	bundle_release(&b);
	dataset_release(&ds);
}

/* The words of one primary rule. */
static void threshold_words(void **state)
{
	struct policy_threshold t = { 1, 2, 0 };
	char buf[64];
	(void)state;
	assert_string_equal(publish_threshold_words(&t, PUBLISH_EN, buf, sizeof buf), "1 or 2");
	assert_string_equal(publish_threshold_words(&t, PUBLISH_CY, buf, sizeof buf), "1 neu 2");
	t.max = 1;
	assert_string_equal(publish_threshold_words(&t, PUBLISH_EN, buf, sizeof buf), "1");
	t.protect_zeros = 1;
	assert_string_equal(publish_threshold_words(&t, PUBLISH_EN, buf, sizeof buf), "0 or 1");
	t.max = 5;
	assert_string_equal(publish_threshold_words(&t, PUBLISH_EN, buf, sizeof buf), "0 to 5");
	assert_string_equal(publish_threshold_words(&t, PUBLISH_CY, buf, sizeof buf), "0 i 5");
	t.min = 3;
	assert_string_equal(publish_threshold_words(&t, PUBLISH_EN, buf, sizeof buf), "0, or 3 to 5");
	assert_string_equal(publish_threshold_words(&t, PUBLISH_CY, buf, sizeof buf), "0, neu 3 i 5");
	t.min = t.max = 3;
	assert_string_equal(publish_threshold_words(&t, PUBLISH_EN, buf, sizeof buf), "0, or 3");
}

/* Which categories an area never publishes is the policy's (policy_withheld): a policy that also
 * withholds Category 3 takes it out of every area table, keeps it in the national tables with
 * its note, and P04 refuses an area's Category 3 cell marked publishable. */
static void withheld_categories_follow_policy(void **state)
{
	struct dataset ds;
	struct policy pol;
	struct pivot_grid g;
	struct ptable t;
	struct diag_list d = DIAG_LIST_INIT;
	unsigned s = stat_of("eligible");
	int found3 = 0;
	(void)state;
	policy_init_default(&pol);
	pol.withheld_categories |= 1u << 3;
	make_ds(&ds, 42, NULL);
	pivot_grid_policy(&ds, &defs, &pol, "E23000001", s, &g);
	for (size_t c = 0; c < g.ncols; c++)
		assert_int_not_equal(g.col_cat[c], 3);
	pivot_grid(&ds, &defs, "E23000001", s, &g);             /* the shipped policy: Category 3 shown */
	for (size_t c = 0; c < g.ncols; c++)
		found3 |= g.col_cat[c] == 3;
	assert_true(found3);
	assert_false(pivot_get_policy(&ds, &defs, &pol, "E23000001", s, 3, 2).published);
	assert_true(pivot_get_policy(&ds, &defs, &pol, ds.national_code, s, 3, 2).published);
	publish_layout_grid(&t, &ds, &defs, &pol, ds.national_code, s, PUBLISH_EN, NULL);
	assert_int_equal(ptable_ok(&t), 0);
	assert_non_null(strstr(ptable_heading(&t, 3), "Category 3"));
	assert_non_null(strstr(ptable_heading(&t, 3), "[note 1]"));
	ptable_release(&t);
	for (size_t i = 0; i < ds.nobs; i++) {
		struct obs *o = &ds.obs[i];
		if (strcmp(o->area, "E23000001") == 0 && o->stat == s && o->category == 3 && o->level == 2)
			o->status = OBS_OK;
	}
	assert_int_equal(publish_check_policy(&ds, &defs, &pol, &ref, "s.obs", &d), -1);
	assert_true(d.count > 0);
	assert_string_equal(d.items[0].rule, "P04");
	diag_clear(&d);
	dataset_release(&ds);
}

/* P06 lets a withheld figure pinned to exactly 0 stand only while the policy publishes zeros. */
static void exact_zero_follows_policy(void **state)
{
	struct policy pol;
	(void)state;
	policy_init_default(&pol);
	assert_true(policy_exact_allowed(&pol, 0, 0));
	assert_true(policy_exact_allowed(&pol, 1, 0));
	assert_false(policy_exact_allowed(&pol, 0, 7));
	assert_false(policy_exact_allowed(&pol, 0, 1));
	pol.area.protect_zeros = 1;
	assert_false(policy_exact_allowed(&pol, 0, 0));
	assert_true(policy_exact_allowed(&pol, 1, 0));
}

/* A Welsh area's text section in Welsh says what the English one says: the same tables (the
 * same number of lines of figures), every sentence and label in Welsh. */
static size_t lines_with(const char *s, const char *prefix)
{
	size_t n = 0, k = strlen(prefix);
	for (const char *p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		n += strncmp(p, prefix, k) == 0;
	return n;
}

static void welsh_text_section(void **state)
{
	struct dataset ds;
	struct strbuf en = STRBUF_INIT, cy = STRBUF_INIT;
	(void)state;
	make_ds(&ds, 42, NULL);
	publish_text_area_lang(&ds, &defs, NULL, "W15000001", PUBLISH_EN, NULL, NULL, &en);
	publish_text_area_lang(&ds, &defs, NULL, "W15000001", PUBLISH_CY, "Gogledd Cymru", NULL, &cy);
	assert_int_equal(strbuf_ok(&en), 0);
	assert_int_equal(strbuf_ok(&cy), 0);
	assert_true(strncmp(en.data, "MAPPA statistics: North Wales, 2022/23\n", 39) == 0);
	assert_true(strncmp(cy.data, "Ystadegau MAPPA: Gogledd Cymru, 2022/23\n", 40) == 0);
	assert_non_null(strstr(cy.data, "\nDyddiad cyhoeddi: 26 Hydref 2023\n"));
	assert_non_null(strstr(cy.data, "\nLefel     Categori 1  Categori 2  Categori 3  Cyfanswm\n"));
	assert_non_null(strstr(cy.data, "\nSymbolau\n"));
	assert_non_null(strstr(cy.data, "cyfrif o 1\nneu 2 yn cael ei gyhoeddi"));
	assert_int_equal(lines_with(cy.data, "Lefel 3 "), lines_with(en.data, "Level 3 "));
	assert_int_equal(lines_with(cy.data, "Lefel 1 "), lines_with(en.data, "Level 1 "));
	assert_int_equal(lines_with(cy.data, "Cyfanswm "), lines_with(en.data, "Total "));
	assert_null(strstr(cy.data, "Release date"));
	assert_null(strstr(cy.data, "Figures for Category"));
	assert_null(strstr(cy.data, "\nSymbols\n"));
	strbuf_release(&en);
	strbuf_release(&cy);
	dataset_release(&ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_quoting),
		cmocka_unit_test(csv_empty_row),
		cmocka_unit_test(pivot_area_grid),
		cmocka_unit_test(pivot_national_grid),
		cmocka_unit_test(pivot_never_publishes_area_category4),
		cmocka_unit_test(pivot_keys_area_and_national),
		cmocka_unit_test(pivot_missing_area_is_x),
		cmocka_unit_test(number_format),
		cmocka_unit_test(observations_rules),
		cmocka_unit_test(table_csv_layout),
		cmocka_unit_test(area_sections),
		cmocka_unit_test(slug_and_period),
		cmocka_unit_test(check_refuses_unsuppressed),
		cmocka_unit_test(check_refuses_publishable_category4),
		cmocka_unit_test(check_refuses_unknown_area),
		cmocka_unit_test(check_refuses_missing_rows),
		cmocka_unit_test(check_refuses_recoverable_cell),
		cmocka_unit_test(check_refuses_single_area_withheld_across_areas),
		cmocka_unit_test(check_refuses_figures_that_do_not_add_up),
		cmocka_unit_test(check_passes_sample_datasets),
		cmocka_unit_test(earlier_rates),
		cmocka_unit_test(sha256_vectors),
		cmocka_unit_test(manifest_text),
		cmocka_unit_test(entry_names),
		cmocka_unit_test(ods_package),
		cmocka_unit_test(bundle_deterministic),
		cmocka_unit_test(summary_chart),
		cmocka_unit_test(release_defaults_and_checks),
		cmocka_unit_test(release_everywhere),
		cmocka_unit_test(workbook_markup),
		cmocka_unit_test(welsh_labels_are_data),
		cmocka_unit_test(welsh_messages),
		cmocka_unit_test(release_file),
		cmocka_unit_test(one_html_escaper),
		cmocka_unit_test(table_model_keeps_text_whole),
		cmocka_unit_test(long_labels_stay_whole),
		cmocka_unit_test(pages_written_by_libxml2),
		cmocka_unit_test(prose_follows_policy_threshold),
		cmocka_unit_test(prose_follows_policy_zeros),
		cmocka_unit_test(threshold_words),
		cmocka_unit_test(withheld_categories_follow_policy),
		cmocka_unit_test(exact_zero_follows_policy),
		cmocka_unit_test(welsh_text_section),
	};
	return cmocka_run_group_tests(tests, setup_all, NULL);
}
