/*
 * The observations format (etl/lib/dataset.c): round trip, truncation, checksum, unknown
 * stage / version / statistic / cell / status, duplicates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "outfile.h"
#include "published.h"

static struct defs defs;
static struct areas areas;

static int setup(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	if (defs_load_default(&defs, &d) != 0 || areas_load_default(&areas, &d) != 0) {
		diag_print(&d, stderr);
		diag_clear(&d);
		return -1;
	}
	return 0;
}

/* A small normalised dataset: London's eligible and two single counts. */
static void small_dataset(struct dataset *ds)
{
	int e = defs_find(&defs, "eligible"), s = defs_find(&defs, "shpo");
	dataset_init(ds);
	ds->stage = STAGE_NORMALISED;
	strcpy(ds->period, "2022-23");
	strcpy(ds->national_code, "K04000001");
	strcpy(ds->national_name, "England and Wales");
	strcpy(ds->population_source, "a source, with spaces");
	ds->nareas = 1;
	strcpy(ds->areas[0].code, "E23000001");
	strcpy(ds->areas[0].name, "London");
	ds->areas[0].state = AREA_PRESENT;
	ds->areas[0].revision = 2;
	strcpy(ds->areas[0].submitted, "2023-05-15");
	ds->areas[0].population = 7754000;
	ds->areas[0].population_approximate = 1;
	strcpy(ds->areas[0].source, "returns/london.xml");
	assert_int_equal(dataset_add(ds, "E23000001", (unsigned)s, CAT_NONE, LEVEL_NONE, 548, OBS_OK), 0);
	assert_int_equal(dataset_add(ds, "E23000001", (unsigned)e, 3, 1, 0, OBS_NA), 0);
	assert_int_equal(dataset_add(ds, "E23000001", (unsigned)e, 1, 1, 6867, OBS_OK), 0);
	assert_int_equal(dataset_add(ds, "E23000001", (unsigned)e, 1, 2, 31, OBS_OK), 0);
}

/* Writes ds into a malloc'ed buffer. */
static char *write_mem(struct dataset *ds, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	assert_non_null(f);
	assert_int_equal(dataset_write(ds, &defs, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* back (a dataset read from buf, len bytes) written again: the same bytes. */
static void written_again(struct dataset *back, const char *buf, size_t len)
{
	size_t len2;
	char *buf2 = write_mem(back, &len2);

	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	free(buf2);
}

/* Reads buf; returns dataset_read's result, the diagnostics in d. */
static int read_mem(struct dataset *ds, const char *buf, size_t len, struct diag_list *d)
{
	return dataset_read(ds, &defs, "test.obs", buf, len, d);
}

static int has_rule(const struct diag_list *d, const char *rule)
{
	for (size_t i = 0; i < d->count; i++)
		if (strcmp(d->items[i].rule, rule) == 0)
			return 1;
	return 0;
}

/* Rewrites the end line of an edited file so that count and checksum match again. */
static char *reseal(const char *text)
{
	const char *end = strstr(text, "end\t");
	size_t n, lines = 0;
	uLong crc = crc32(0L, Z_NULL, 0);
	char *out;

	assert_non_null(end);
	n = (size_t)(end - text);
	out = malloc(n + 64);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++)
		lines += text[i] == '\n';
	crc = crc32(crc, (const Bytef *)text, (uInt)n);
	memcpy(out, text, n);
	snprintf(out + n, 64, "end\t%zu\t%08lx\n", lines, (unsigned long)crc);
	return out;
}

/* Replaces the first `from` in text by `to` (a new string). */
static char *replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);
	assert_non_null(at);
	assert_non_null(out);
	snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return out;
}

/* Expects an edited (and resealed) file to be refused with rule. */
static void expect_refused(const char *text, const char *from, const char *to, const char *rule)
{
	char *edited = replace(text, from, to), *sealed = reseal(edited);
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;

	assert_int_equal(read_mem(&ds, sealed, strlen(sealed), &d), -1);
	if (!has_rule(&d, rule)) {
		diag_print(&d, stderr);
		fail_msg("'%s' -> '%s': expected %s", from, to, rule);
	}
	assert_int_equal(has_rule(&d, "O07"), 0); /* the seal is right: only the edit is wrong */
	diag_clear(&d);
	free(edited);
	free(sealed);
}

/* The same, and the diagnostic of rule says what (its message holds words). */
static void expect_message(const char *text, const char *from, const char *to, const char *rule,
			   const char *words)
{
	char *edited = replace(text, from, to), *sealed = reseal(edited);
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	int said = 0;

	assert_int_equal(read_mem(&ds, sealed, strlen(sealed), &d), -1);
	for (size_t i = 0; i < d.count; i++)
		said |= strcmp(d.items[i].rule, rule) == 0 && strstr(d.items[i].message, words) != NULL;
	if (!said) {
		diag_print(&d, stderr);
		fail_msg("'%s' -> '%s': expected %s: %s", from, to, rule, words);
	}
	diag_clear(&d);
	free(edited);
	free(sealed);
}

/* The one check of a period's name, which the programs, the history and SDMX share. */
static void test_period(void **state)
{
	(void)state;
	assert_int_equal(dataset_period_year("2022-23"), 2022);
	assert_int_equal(dataset_period_year("2099-00"), 2099);
	assert_true(dataset_period_valid("2099-00"));
	/* the range every stage handles (dataset.h): 2001-02 to 2099-00, and nothing outside */
	assert_int_equal(dataset_period_year("2001-02"), 2001);
	assert_int_equal(dataset_period_year("2000-01"), -1);
	assert_int_equal(dataset_period_year("1999-00"), -1);
	assert_int_equal(dataset_period_year("2100-01"), -1);
	assert_int_equal(dataset_period_year("9998-99"), -1);
	assert_int_equal(dataset_period_year("0000-01"), -1);
	assert_true(dataset_period_year_ok(DATASET_PERIOD_FIRST_YEAR));
	assert_true(dataset_period_year_ok(DATASET_PERIOD_LAST_YEAR));
	assert_false(dataset_period_year_ok(DATASET_PERIOD_FIRST_YEAR - 1));
	assert_false(dataset_period_year_ok(DATASET_PERIOD_LAST_YEAR + 1));
	assert_int_equal(dataset_period_year("2022-24"), -1);
	assert_int_equal(dataset_period_year("2023-22"), -1);
	assert_int_equal(dataset_period_year("2022-2"), -1);
	assert_int_equal(dataset_period_year("2022-233"), -1);
	assert_int_equal(dataset_period_year("2022_23"), -1);
	assert_int_equal(dataset_period_year("+022-23"), -1);
	assert_int_equal(dataset_period_year(""), -1);
	assert_false(dataset_period_valid("2022"));
}

static void test_round_trip(void **state)
{
	struct dataset ds, back;
	struct diag_list d = DIAG_LIST_INIT;
	size_t len;
	char *buf;
	const struct obs *o;
	(void)state;

	small_dataset(&ds);
	buf = write_mem(&ds, &len);
	assert_int_equal(read_mem(&back, buf, len, &d), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(back.stage, STAGE_NORMALISED);
	assert_string_equal(back.period, "2022-23");
	assert_string_equal(back.national_name, "England and Wales");
	assert_string_equal(back.population_source, "a source, with spaces");
	assert_int_equal(back.nareas, 1);
	assert_string_equal(back.areas[0].source, "returns/london.xml");
	assert_int_equal(back.areas[0].revision, 2);
	assert_int_equal(back.areas[0].population, 7754000);
	assert_int_equal(back.nobs, 4);
	o = dataset_find(&back, "E23000001", (unsigned)defs_find(&defs, "eligible"), 1, 1);
	assert_non_null(o);
	assert_int_equal(o->value, 6867);
	o = dataset_find(&back, "E23000001", (unsigned)defs_find(&defs, "eligible"), 3, 1);
	assert_non_null(o);
	assert_int_equal(o->status, OBS_NA);
	written_again(&back, buf, len);
	free(buf);
	dataset_release(&ds);
	dataset_release(&back);

	/* texts of the reference data with a no-break space or a quote are text: written as they
	   are and read back (the population source was written quoted and refused, O03, by the
	   next stage); a source name with a character that makes it look like another is quoted */
	small_dataset(&ds);
	strcpy(ds.population_source, "ONS\xc2\xa0" "estimates, \"mid-2021\"");
	strcpy(ds.national_name, "England \"and\" Wales");
	strcpy(ds.areas[0].name, "Lon\xc2\xa0" "don");
	strcpy(ds.areas[0].source, "E23000001\xef\xb8\x8f.xml");
	buf = write_mem(&ds, &len);
	assert_non_null(strstr(buf, "population-source\tONS\xc2\xa0" "estimates, \"mid-2021\"\n"));
	assert_non_null(strstr(buf, "\t\"E23000001\\357\\270\\217.xml\"\n"));
	assert_int_equal(read_mem(&back, buf, len, &d), 0);
	assert_string_equal(back.population_source, ds.population_source);
	assert_string_equal(back.national_name, ds.national_name);
	assert_string_equal(back.areas[0].name, ds.areas[0].name);
	assert_string_equal(back.areas[0].source, ds.areas[0].source);
	written_again(&back, buf, len);
	free(buf);
	dataset_release(&ds);
	dataset_release(&back);
}

/* the digest of the policy a dataset was suppressed under (mappa-publish's P09): written when
   known, read back, refused unless 64 lower-case hex digits; a dataset without it reads as "" */
static void test_policy_sha256(void **state)
{
	static const char hex[] =
	    "027aa3a281abfb621cbc4fb01bba14addf7c7e2065170394821cd19024bb6ba1";
	struct dataset ds, back;
	struct diag_list d = DIAG_LIST_INIT;
	size_t len;
	char *buf;
	(void)state;

	small_dataset(&ds);
	ds.stage = STAGE_SUPPRESSED;
	snprintf(ds.policy, sizeof ds.policy, "policy/default.xml");
	memcpy(ds.policy_sha256, hex, sizeof hex);
	buf = write_mem(&ds, &len);
	assert_non_null(strstr(buf, "\npolicy\tpolicy/default.xml\npolicy-sha256\t027aa3a2"));
	assert_int_equal(read_mem(&back, buf, len, &d), 0);
	assert_string_equal(back.policy_sha256, hex);
	dataset_release(&back);
	expect_refused(buf, "\t027aa3a2", "\t027AA3A2", "O03");
	expect_refused(buf, "\t027aa3a2", "\t027aa3a", "O03");
	expect_refused(buf, "\t027aa3a2", "\t027aa3a2a", "O03");
	expect_refused(buf, "\t027aa3a2", "\t027aa3g2", "O03");
	free(buf);
	/* not known: no line, and read back as not known */
	ds.policy_sha256[0] = '\0';
	buf = write_mem(&ds, &len);
	assert_null(strstr(buf, "policy-sha256"));
	assert_int_equal(read_mem(&back, buf, len, &d), 0);
	assert_string_equal(back.policy_sha256, "");
	dataset_release(&back);
	free(buf);
	dataset_release(&ds);
}

static void test_round_trip_merged(void **state)
{
	struct dataset ds, back;
	struct diag_list d = DIAG_LIST_INIT;
	unsigned e = (unsigned)defs_find(&defs, "eligible");
	unsigned rate = (unsigned)defs.ntables;
	struct dataset_superseded s = { "E23000001", 1, "old.xml", 2, 0 };
	size_t len;
	char *buf;
	(void)state;

	small_dataset(&ds);
	ds.stage = STAGE_MERGED;
	ds.incomplete = 1;
	/* an area missing, as the flag says (the reader refuses a flag the area lines deny) */
	ds.nareas = 2;
	strcpy(ds.areas[1].code, "E23000002");
	strcpy(ds.areas[1].name, "Cumbria");
	ds.areas[1].state = AREA_MISSING;
	ds.areas[1].population = 443000;
	assert_int_equal(dataset_add_superseded(&ds, &s), 0);
	assert_int_equal(dataset_add(&ds, "K04000001", e, CAT_ALL, LEVEL_ALL, 91040, OBS_OK), 0);
	assert_int_equal(dataset_add(&ds, "K04000001", e, CAT_1_3, 1, 5, OBS_OK), 0);
	assert_int_equal(dataset_add(&ds, "E23000001", e, 2, LEVEL_ALL, 3669, OBS_OK), 0);
	assert_int_equal(dataset_add(&ds, "E23000001", rate, CAT_NONE, LEVEL_NONE, 89, OBS_OK), 0);
	buf = write_mem(&ds, &len);
	assert_int_equal(read_mem(&back, buf, len, &d), 0);
	assert_int_equal(back.stage, STAGE_MERGED);
	assert_int_equal(back.incomplete, 1);
	assert_int_equal(back.nsuperseded, 1);
	assert_int_equal(back.superseded[0].by_revision, 2);
	assert_int_equal(back.nobs, 8);
	/* each row knows its line, for diagnostics about it (P07, S02, A03 named line 0) */
	for (size_t i = 0; i < back.nobs; i++)
		assert_true(back.obs[i].line > 7);
	/* the national rows sort first */
	assert_string_equal(back.obs[0].area, "K04000001");
	assert_int_equal(dataset_find(&back, "E23000001", rate, CAT_NONE, LEVEL_NONE)->value, 89);
	free(buf);
	dataset_release(&ds);
	dataset_release(&back);
}

/* A source name with a control character is written C-quoted, not made spaces: x<LF>y.xml and
   'x y.xml' stay two names (QA: the lineage said revision 1 came from revision 2's file), and
   what is read back is written the same again. */
static void test_source_names_quoted(void **state)
{
	struct dataset ds, back;
	struct diag_list d = DIAG_LIST_INIT;
	/* each replaced by the revision the area holds (the reader checks it) */
	struct dataset_superseded s1 = { "E23000001", 1, "x\ny.xml", 5, 0 };
	struct dataset_superseded s2 = { "E23000001", 2, "x\ty.xml", 5, 0 };
	struct dataset_superseded s3 = { "E23000001", 3, "\"x\\ty.xml\"", 5, 0 };
	size_t len;
	char *buf;
	(void)state;

	small_dataset(&ds);
	ds.stage = STAGE_MERGED;
	snprintf(ds.areas[0].source, sizeof ds.areas[0].source, "-"); /* a file named '-' */
	ds.areas[0].revision = 5;
	assert_int_equal(dataset_add_superseded(&ds, &s1), 0);
	assert_int_equal(dataset_add_superseded(&ds, &s2), 0);
	assert_int_equal(dataset_add_superseded(&ds, &s3), 0);
	memset(&s3, 0, sizeof s3); /* 511 control bytes: quoted, not cut */
	snprintf(s3.code, sizeof s3.code, "E23000001");
	s3.revision = 4;
	s3.by_revision = 5;
	memset(s3.source, '\033', sizeof s3.source - 1);
	assert_int_equal(dataset_add_superseded(&ds, &s3), 0);
	buf = write_mem(&ds, &len);
	assert_non_null(strstr(buf, "\t\"x\\ny.xml\"\n"));
	/* a name that is itself a quoted form ("x\ty.xml" with its quotes) is quoted again, and
	   stays another name than x<TAB>y.xml (QA) */
	assert_non_null(strstr(buf, "\t\"\\\"x\\\\ty.xml\\\"\"\n"));
	assert_int_equal(read_mem(&back, buf, len, &d), 0);
	assert_string_equal(back.areas[0].source, "-"); /* not "" (no name): QA round 3 */
	assert_int_equal(back.nsuperseded, 4);
	assert_string_equal(back.superseded[0].source, "x\ny.xml");
	assert_string_equal(back.superseded[1].source, "x\ty.xml");
	assert_string_equal(back.superseded[2].source, "\"x\\ty.xml\"");
	assert_string_equal(back.superseded[3].source, s3.source);
	written_again(&back, buf, len);
	free(buf);
	dataset_release(&ds);
	dataset_release(&back);
	diag_clear(&d);
}

static void test_truncation_every_byte(void **state)
{
	struct dataset ds, back;
	size_t len;
	char *buf;
	(void)state;

	small_dataset(&ds);
	buf = write_mem(&ds, &len);
	for (size_t cut = 0; cut < len; cut++) {
		struct diag_list d = DIAG_LIST_INIT;
		char *copy = malloc(cut + 1);
		assert_non_null(copy);
		memcpy(copy, buf, cut);
		if (read_mem(&back, copy, cut, &d) != -1)
			fail_msg("a file cut at byte %zu of %zu was accepted", cut, len);
		assert_true(d.errors > 0);
		assert_int_equal(back.nobs, 0); /* nothing half-read is left behind */
		diag_clear(&d);
		free(copy);
	}
	free(buf);
	dataset_release(&ds);
}

static void test_changed_digit(void **state)
{
	struct dataset ds, back;
	struct diag_list d = DIAG_LIST_INIT;
	size_t len;
	char *buf, *at;
	(void)state;

	small_dataset(&ds);
	buf = write_mem(&ds, &len);
	at = strstr(buf, "\t6867\t");
	assert_non_null(at);
	at[2] = '9'; /* 6867 -> 6967 */
	assert_int_equal(read_mem(&back, buf, len, &d), -1);
	assert_true(has_rule(&d, "O07"));
	diag_clear(&d);
	at[2] = '8';
	/* every single digit of the file changed in turn is caught */
	for (size_t i = 0; i < len; i++) {
		char saved = buf[i];
		if (saved < '0' || saved > '9')
			continue;
		buf[i] = saved == '9' ? '0' : (char)(saved + 1);
		if (read_mem(&back, buf, len, &d) != -1)
			fail_msg("changing byte %zu went unnoticed", i);
		diag_clear(&d);
		buf[i] = saved;
	}
	free(buf);
	dataset_release(&ds);
}

static void test_unknown_things(void **state)
{
	struct dataset ds;
	size_t len;
	char *buf, *sealed;
	struct dataset back;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;

	small_dataset(&ds);
	buf = write_mem(&ds, &len);
	/* resealing an unedited file gives it back as written */
	sealed = reseal(buf);
	assert_string_equal(sealed, buf);
	assert_int_equal(read_mem(&back, sealed, strlen(sealed), &d), 0);
	dataset_release(&back);
	free(sealed);

	expect_refused(buf, "stage\tnormalised", "stage\tfrozen", "O03");
	expect_refused(buf, "mappa-observations\t1", "mappa-observations\t2", "O01");
	expect_refused(buf, "mappa-observations\t1", "mappa-observationz\t1", "O01");
	expect_refused(buf, "\teligible\t1\t1\t", "\teligable\t1\t1\t", "O05");
	expect_refused(buf, "\teligible\t1\t1\t", "\teligible\t5\t1\t", "O05");
	expect_refused(buf, "\teligible\t1\t1\t", "\teligible\t1\t4\t", "O05");
	expect_refused(buf, "\tshpo\t-\t-\t", "\tshpo\t1\t-\t", "O05");
	expect_refused(buf, "6867\tok", "6867\tfine", "O05");
	expect_refused(buf, "6867\tok", "-6867\tok", "O05");
	expect_refused(buf, "6867\tok", "68x7\tok", "O05");
	/* a value of more than 15 digits is refused for its digits, not as out of range: 19
	   digits of 6867 with leading zeros (QA: "not a whole number from 0 to 999999999999") */
	{
		char *edited = replace(buf, "\t6867\tok", "\t0000000000000006867\tok"),
		     *resealed = reseal(edited);
		assert_int_equal(read_mem(&back, resealed, strlen(resealed), &d), -1);
		assert_true(d.count > 0);
		assert_string_equal(d.items[0].rule, "O05");
		if (!strstr(d.items[0].message, "value '0000000000000006867' has more than 15 digits")) {
			diag_print(&d, stderr);
			fail_msg("a value of 19 digits: not said");
		}
		diag_clear(&d);
		free(edited);
		free(resealed);
	}
	expect_refused(buf, "obs\tE23000001", "obs\tE23000002", "O05");
	expect_refused(buf, "\tpresent\t", "\there\t", "O04");
	expect_refused(buf, "period\t2022-23", "period\t2022/23", "O03");
	expect_refused(buf, "period\t2022-23", "period\tabcd-ef", "O03");
	expect_refused(buf, "incomplete\t0", "incomplete\tno", "O03");
	/* no code with the mark of an earlier publication's rows (QA: taken for history) */
	expect_refused(buf, "area\tE23000001\t", "area\t~0E23000001\t", "O04");
	expect_refused(buf, "national\tK04000001\t", "national\t~0K04000001\t", "O03");
	/* each header line once (a second period line published a year as another, QA) */
	expect_refused(buf, "period\t2022-23\n", "period\t2022-23\nperiod\t2023-24\n", "O03");
	expect_refused(buf, "incomplete\t0\n", "incomplete\t0\nincomplete\t0\n", "O03");
	/* a line of another stage (the suppression's summary read and dropped in a merged or
	   normalised dataset, a merge's superseded return in a normalised one: QA) */
	expect_message(buf, "incomplete\t0\n", "incomplete\t0\npolicy\tx.xml\n", "O03",
		       "a 'policy' line in a normalised dataset: only a suppressed dataset has one");
	expect_message(buf, "incomplete\t0\n", "incomplete\t0\nsuppression\t1\t2\t3\t4\n", "O03",
		       "a 'suppression' line in a normalised dataset");
	{
		char *merged = replace(buf, "stage\tnormalised", "stage\tmerged");
		expect_message(merged, "incomplete\t0\n",
			       "incomplete\t0\npolicy-sha256\t"
			       "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
			       "O03", "a 'policy-sha256' line in a merged dataset");
		free(merged);
	}
	expect_message(buf, "obs\tE23000001\teligible\t1\t1\t",
		       "superseded\tE23000001\t1\t2\tlondon-1.xml\nobs\tE23000001\teligible\t1\t1\t",
		       "O04", "a 'superseded' line in a normalised dataset");
	/* a field too long for its place is refused, never cut (two codes would become one) */
	expect_refused(buf, "area\tE23000001\t", "area\tE23000001XXXXXXXA\t", "O04");
	expect_refused(buf, "\t2023-05-15\t", "\t2023-05-15-and-more\t", "O04");
	expect_refused(buf, "national\tK04000001\t", "national\tK04000001XXXXXXXXXX\t", "O03");
	expect_refused(buf, "\t7754000\t1\t", "\t7754000\tyes\t", "O04");
	expect_refused(buf, "\tpresent\t2\t", "\tpresent\t+2\t", "O04");
	/* a superseded return's code as plain as an area's: with a byte that is not UTF-8 it was
	   written quoted, too long to be read back (fuzz_dataset) */
	expect_refused(buf, "incomplete\t0\n", "incomplete\t0\nsuperseded\tE230\320\3172\t1\t2\tx.xml\n",
		       "O04");
	free(buf);
	dataset_release(&ds);
}

static void test_duplicates(void **state)
{
	struct dataset ds;
	size_t len, n;
	char *buf, *line, *dup, *sealed;
	struct dataset back;
	struct diag_list d = DIAG_LIST_INIT;
	unsigned e = (unsigned)defs_find(&defs, "eligible");
	(void)state;

	/* the same cell twice, even with another value: at the later of its lines, not line 0 (QA) */
	small_dataset(&ds);
	assert_int_equal(dataset_add(&ds, "E23000001", e, 1, 1, 1, OBS_OK), 0);
	buf = write_mem(&ds, &len);
	assert_int_equal(read_mem(&back, buf, len, &d), -1);
	assert_true(has_rule(&d, "O06"));
	{
		const char *first = strstr(buf, "obs\tE23000001\teligible\t1\t1\t");
		long l1 = 1, l2;
		assert_non_null(first);
		for (const char *c = buf; c < first; c++)
			l1 += *c == '\n';
		l2 = l1 + 1; /* written sorted: the two rows are neighbours */
		assert_int_equal(d.items[0].line, l2);
		assert_non_null(strstr(d.items[0].message, "appears twice (also at line"));
		assert_int_equal(strtol(strstr(d.items[0].message, "also at line ") + 13, NULL, 10), l1);
	}
	diag_clear(&d);
	free(buf);
	dataset_release(&ds);

	/* the same area twice */
	small_dataset(&ds);
	buf = write_mem(&ds, &len);
	line = strstr(buf, "area\t");
	assert_non_null(line);
	n = (size_t)(strchr(line, '\n') - line) + 1;
	dup = malloc(len + n + 1);
	assert_non_null(dup);
	snprintf(dup, len + n + 1, "%.*s%.*s%s", (int)(line - buf), buf, (int)n, line, line);
	sealed = reseal(dup);
	assert_int_equal(read_mem(&back, sealed, strlen(sealed), &d), -1);
	assert_true(has_rule(&d, "O06"));
	diag_clear(&d);
	free(sealed);
	free(dup);
	free(buf);
	dataset_release(&ds);

	/* an area's code again as the national code, on a national line after the area line: it
	   was read, and written back national first it was refused (fuzz_dataset, CI) */
	sealed = reseal("mappa-observations\t1\nstage\tnormalised\nperiod\t2022-23\n"
			"area\tE23000001\tLondon\tpresent\t1\t2023-05-01\t7754000\t1\tx.xml\n"
			"national\tE23000001\tEngland and Wales\npopulation-source\tONS\n"
			"incomplete\t0\nend\t0\t0\n");
	assert_int_equal(read_mem(&back, sealed, strlen(sealed), &d), -1);
	assert_true(has_rule(&d, "O06"));
	diag_clear(&d);
	free(sealed);
}

/*
 * Writes ds (released after) and reads it back: with rule, the reader refuses it with that rule
 * first, at the line that starts with at; without, it is read into back (the caller releases it).
 */
static void written_read(struct dataset *ds, const char *rule, const char *at,
			 struct dataset *back)
{
	struct diag_list d = DIAG_LIST_INIT;
	size_t len;
	char *buf = write_mem(ds, &len);

	if (rule) {
		const char *where = strstr(buf, at);
		long line = 1;
		assert_int_equal(read_mem(back, buf, len, &d), -1);
		assert_true(has_rule(&d, rule));
		assert_non_null(where);
		for (const char *c = buf; c < where; c++)
			line += *c == '\n';
		assert_true(d.count > 0);
		assert_int_equal(d.items[0].line, line);
	} else {
		assert_int_equal(read_mem(back, buf, len, &d), 0);
	}
	diag_clear(&d);
	free(buf);
	dataset_release(ds);
}

/* The superseded lines against the area lines, and their number (QA: a code that is no area,
   revision 0, a revision replaced by a lower one or by one the area does not hold, the same line
   9.9 million times: all taken, the last in 5.6 GB) */
static void test_superseded_checked(void **state)
{
	static const struct {
		struct dataset_superseded s;
		const char *rule;
	} cases[] = {
		{ { "E23000009", 1, "x.xml", 2, 0 }, "O04" }, /* no such area in the file */
		{ { "E23000001", 0, "x.xml", 2, 0 }, "O04" }, /* revision 0 */
		{ { "E23000001", 1, "x.xml", 3, 0 }, "O04" }, /* the area holds revision 2 */
		{ { "E23000001", 2, "x.xml", 2, 0 }, "O04" }, /* replaced by itself */
		{ { "E23000001", 1, "x.xml", 2, 0 }, NULL },  /* as the merge writes it */
	};
	struct dataset ds, back;
	struct diag_list d = DIAG_LIST_INIT;
	size_t len;
	char *buf;
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		small_dataset(&ds); /* E23000001 present, revision 2 */
		ds.stage = STAGE_MERGED;
		assert_int_equal(dataset_add_superseded(&ds, &cases[i].s), 0);
		written_read(&ds, cases[i].rule, "superseded\t", &back);
		if (!cases[i].rule)
			dataset_release(&back);
	}
	/* revision 0 is said to be that, not a revision the area does not hold (QA) */
	{
		struct dataset_superseded s = { "E23000001", 0, "x.xml", 2, 0 };
		small_dataset(&ds);
		ds.stage = STAGE_MERGED;
		assert_int_equal(dataset_add_superseded(&ds, &s), 0);
		buf = write_mem(&ds, &len);
		assert_int_equal(read_mem(&back, buf, len, &d), -1);
		assert_true(d.count > 0);
		assert_non_null(strstr(d.items[0].message, "revision 0, but a revision is 1 or more"));
		diag_clear(&d);
		free(buf);
		dataset_release(&ds);
	}
	/* the same line twice: O06; one line more than DATASET_SUPERSEDED_MAX: O04, before the
	   rest of the file is read */
	for (size_t n = 2; n <= DATASET_SUPERSEDED_MAX + 1; n += DATASET_SUPERSEDED_MAX - 1) {
		small_dataset(&ds);
		ds.stage = STAGE_MERGED;
		for (size_t k = 0; k < n; k++) {
			struct dataset_superseded s = { "E23000001", 1, "x.xml", 2, 0 };
			if (n > 2)
				snprintf(s.source, sizeof s.source, "x%zu.xml", k);
			assert_int_equal(dataset_add_superseded(&ds, &s), 0);
		}
		buf = write_mem(&ds, &len);
		assert_int_equal(read_mem(&back, buf, len, &d), -1);
		assert_true(has_rule(&d, n == 2 ? "O06" : "O04"));
		diag_clear(&d);
		free(buf);
		dataset_release(&ds);
	}
}

/* An area line's submission date is one that exists, after the period, or none (QA: 2023-02-30
   was merged and printed in the report). */
static void test_area_date_checked(void **state)
{
	static const struct {
		const char *date;
		int ok;
	} cases[] = {
		{ "2023-02-30", 0 }, { "1999-13-01", 0 }, { "0000-01-01", 0 }, { "2023-02-29", 0 },
		{ "2024-02-29", 1 }, { "2023-05-04", 1 },
		/* none, for an area that sent its return (QA: '-' went through every stage) */
		{ "", 0 },
		/* after the period 2022-23, as R18 of a return (QA: 1900-01-01 was merged) */
		{ "1900-01-01", 0 }, { "2023-03-31", 0 }, { "2023-04-01", 1 },
	};
	struct dataset ds, back;
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		small_dataset(&ds);
		snprintf(ds.areas[0].submitted, sizeof ds.areas[0].submitted, "%s", cases[i].date);
		written_read(&ds, cases[i].ok ? NULL : "O04", "area\t", &back);
		if (cases[i].ok) {
			assert_string_equal(back.areas[0].submitted, cases[i].date);
			dataset_release(&back);
		}
	}
}

static void test_data_after_end_and_garbage(void **state)
{
	struct dataset ds, back;
	struct diag_list d = DIAG_LIST_INIT;
	size_t len;
	char *buf, *more;
	(void)state;

	small_dataset(&ds);
	buf = write_mem(&ds, &len);
	more = malloc(len + 8);
	assert_non_null(more);
	memcpy(more, buf, len);
	memcpy(more + len, "obs\t", sizeof "obs\t"); /* 4 bytes read, and a terminator */
	assert_int_equal(read_mem(&back, more, len + 4, &d), -1);
	assert_true(has_rule(&d, "O02"));
	diag_clear(&d);
	assert_int_equal(read_mem(&back, "", 0, &d), -1);
	diag_clear(&d);
	assert_int_equal(read_mem(&back, "hello\n", 6, &d), -1);
	assert_true(has_rule(&d, "O01"));
	diag_clear(&d);
	free(more);
	free(buf);
	dataset_release(&ds);
}

/* A value of observations.csv that is digits but too large is said to be too large, with the
   largest there is, and shown whole or marked as cut (QA: 29 digits were shown as their first
   20, with no "...", and called "not a whole number of 0 or more") */
static void test_published_value_said(void **state)
{
	static const struct {
		const char *value, *said;
	} cases[] = {
		{ "12345678901234567890123456789",
		  "value '12345678901234567890...' is too large: a value is at most 999999999999" },
		{ "1000000000000", "value '1000000000000' is too large: a value is at most 999999999999" },
		{ "12a", "value '12a' is not a whole number of 0 or more" },
		{ "-5", "value '-5' is not a whole number of 0 or more" },
		{ "123456789012345678901234x", "value '12345678901234567890...' is not a whole number" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char csv[512];
		struct dataset ds;
		struct diag_list d = DIAG_LIST_INIT;
		int n = snprintf(csv, sizeof csv, PUBLISHED_CSV_HEADER "\r\n"
				 "2022-23,K04000001,England and Wales,eligible,1,1,%s,\r\n",
				 cases[i].value);
		assert_true(n > 0 && (size_t)n < sizeof csv);
		assert_int_equal(published_read(&ds, &defs, &areas, "o.csv", csv, (size_t)n, &d), -1);
		assert_true(d.count > 0);
		assert_string_equal(d.items[0].rule, "P04");
		assert_int_equal(d.items[0].line, 2);
		if (!strstr(d.items[0].message, cases[i].said)) {
			diag_print(&d, stderr);
			fail_msg("value %s: not said as '%s'", cases[i].value, cases[i].said);
		}
		diag_clear(&d);
		dataset_release(&ds);
	}
}

/* text, read as an observations file, is refused: its first diagnostic is rule's and says said. */
static void refused_saying(const char *text, const char *rule, const char *said)
{
	struct dataset back;
	struct diag_list d = DIAG_LIST_INIT;

	assert_int_equal(read_mem(&back, text, strlen(text), &d), -1);
	assert_true(d.count > 0);
	assert_string_equal(d.items[0].rule, rule);
	if (!strstr(d.items[0].message, said)) {
		diag_print(&d, stderr);
		fail_msg("not said as '%s'", said);
	}
	diag_clear(&d);
}

/* A malformed end line is said for what it is: with no checksum, with a field more, or with a
   count that is not digits it was said "does not count N lines" though it did (QA) */
static void test_end_line_said(void **state)
{
	static const struct {
		const char *tail, *said; /* the end line: its count, then its checksum */
	} cases[] = {
		{ "end\t%s\n", "the end line has no checksum" },
		{ "end\n", "the end line has no line count and no checksum" },
		{ "end\t%s\t%s\tx\n", "the end line has 4 fields, not 3" },
		{ "end\t+%s\t%s\n", "the end line's count '+" },
		{ "end\t\t%.0s%s\n", "the end line's count is empty" },
		{ "end\t1%s\t%s\n", "the end line does not count" },
	};
	struct dataset ds;
	size_t len;
	char *buf;
	(void)state;

	small_dataset(&ds);
	buf = write_mem(&ds, &len);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *end = strstr(buf, "end\t"), count[32], crc[32], text[4096];
		size_t at;
		int n;

		assert_non_null(end);
		at = (size_t)(end - buf);
		assert_int_equal(sscanf(end, "end\t%31[0-9]\t%31[0-9a-f]", count, crc), 2);
		assert_true(at < sizeof text);
		memcpy(text, buf, at);
		/* the count, then the checksum (a format without them ignores them) */
		n = snprintf(text + at, sizeof text - at, cases[i].tail, count, crc);
		assert_true(n > 0 && (size_t)n < sizeof text - at);
		refused_saying(text, "O02", cases[i].said);
	}
	{
		/* a checksum with a CR after it: quoted, not shown as two equal values (QA) */
		size_t n = strlen(buf);
		char *crlf = malloc(n + 2);
		assert_non_null(crlf);
		memcpy(crlf, buf, n - 1); /* the text less its last \n */
		memcpy(crlf + n - 1, "\r\n", 3);
		refused_saying(crlf, "O07", "\\r\" does not match the content (");
		free(crlf);
	}
	free(buf);
	dataset_release(&ds);
}

/* A bad area line names the field and why: it was a bare "bad area line" for a revision, state,
   approximate flag or population out of range (QA) */
static void test_area_line_said(void **state)
{
	static const struct {
		const char *from, *to, *said;
	} cases[] = {
		{ "\tpresent\t2\t", "\tpresent\t1000001\t",
		  "bad area line: the revision '1000001' is too large: a revision is from 0 to 1000000" },
		{ "\tpresent\t2\t", "\tpresent\tx\t",
		  "bad area line: the revision 'x' is not a whole number written in digits" },
		{ "\tpresent\t2\t", "\tPresent\t2\t",
		  "bad area line: the state 'Present' is not 'present' or 'missing'" },
		{ "\t7754000\t1\t", "\t7754000\t2\t",
		  "bad area line: the approximate-population flag '2' is not 0 or 1" },
		{ "\t7754000\t1\t", "\t9999999999999999\t1\t",
		  "bad area line: the population '9999999999999999' has more than 15 digits" },
		{ "\t7754000\t1\t", "\t9999999999999\t1\t",
		  "bad area line: the population '9999999999999' is too large: a population is from 0 to 1099511627776" },
	};
	struct dataset ds;
	size_t len;
	char *buf;
	(void)state;

	small_dataset(&ds);
	buf = write_mem(&ds, &len);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *edited = replace(buf, cases[i].from, cases[i].to), *sealed = reseal(edited);

		refused_saying(sealed, "O04", cases[i].said);
		free(edited);
		free(sealed);
	}
	free(buf);
	dataset_release(&ds);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[64];
	size_t n;
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/*
 * dataset_write_path never writes through a symbolic link: neither one at the output (refused,
 * ELOOP, the link left as it was) nor one planted at the temporary name it uses (PATH.tmp.PID:
 * before, it was opened with O_TRUNC and followed, so a link there overwrote its target).
 */
/* dataset_find: a binary search once sorted (a row it misses is not there), a scan for rows
   added since the last sort, in whatever order */
static void test_find_sorted_and_added(void **state)
{
	struct dataset ds;

	(void)state;
	dataset_init(&ds);
	snprintf(ds.national_code, sizeof ds.national_code, "K04000001");
	assert_int_equal(dataset_add(&ds, "E23000002", 0, 1, 1, 5, OBS_OK), 0);
	assert_int_equal(dataset_add(&ds, "E23000001", 0, 1, 1, 3, OBS_OK), 0);
	/* not sorted yet: found by the scan */
	assert_int_equal(dataset_find(&ds, "E23000001", 0, 1, 1)->value, 3);
	dataset_sort(&ds);
	assert_int_equal(dataset_add(&ds, "K04000001", 0, 1, 1, 8, OBS_OK), 0);
	assert_int_equal(dataset_add(&ds, "E23000001", 0, 2, 1, 7, OBS_OK), 0);
	/* added after the sort, out of order: still found */
	assert_int_equal(dataset_find(&ds, "K04000001", 0, 1, 1)->value, 8);
	assert_int_equal(dataset_find(&ds, "E23000001", 0, 2, 1)->value, 7);
	assert_null(dataset_find(&ds, "E23000003", 0, 1, 1));
	dataset_sort(&ds);
	assert_string_equal(ds.obs[0].area, "K04000001");
	assert_int_equal(dataset_find(&ds, "E23000001", 0, 2, 1)->value, 7);
	assert_int_equal(dataset_find(&ds, "E23000002", 0, 1, 1)->value, 5);
	assert_null(dataset_find(&ds, "E23000001", 0, 3, 1));
	assert_null(dataset_find(&ds, "E23000009", 0, 1, 1));
	dataset_release(&ds);
}

/* dataset_published_differs: what a reader gets, not why a cell is withheld */
static void test_published_differs(void **state)
{
	struct dataset now, before;
	struct obs *o;
	(void)state;
	small_dataset(&now);
	small_dataset(&before);
	o = dataset_find(&now, "E23000001", 0, 1, 2);
	o->status = OBS_PRIMARY;
	dataset_find(&before, "E23000001", 0, 1, 2)->status = OBS_WITHHELD;
	dataset_find(&before, "E23000001", 0, 1, 2)->value = 0; /* [c] read back: no value */
	assert_null(dataset_published_differs(&now, &before)); /* [c] both ways, any reason */
	o->status = OBS_OK;
	assert_ptr_equal(dataset_published_differs(&now, &before), o); /* withheld then, not now */
	o->status = OBS_SECONDARY;
	dataset_find(&now, "E23000001", 0, 1, 1)->value = 6868;
	assert_ptr_equal(dataset_published_differs(&now, &before), dataset_find(&now, "E23000001", 0, 1, 1));
	dataset_find(&now, "E23000001", 0, 1, 1)->value = 6867;
	dataset_find(&now, "E23000001", 0, 3, 1)->status = OBS_MISSING; /* [z] then, [x] now */
	assert_non_null(dataset_published_differs(&now, &before));
	dataset_find(&now, "E23000001", 0, 3, 1)->status = OBS_NA;
	assert_null(dataset_published_differs(&now, &before));
	/* a row now only is not compared (observations.csv does not hold every figure); a row
	   then only is */
	assert_int_equal(dataset_add(&now, "E23000001", 0, CAT_ALL, LEVEL_ALL, 9000, OBS_SECONDARY), 0);
	assert_null(dataset_published_differs(&now, &before));
	assert_int_equal(dataset_add(&before, "E23000001", 0, 2, 2, 0, OBS_NA), 0);
	assert_null(dataset_published_differs(&now, &before)); /* [z] then; lacking now is [z] */
	assert_int_equal(dataset_add(&before, "E23000001", 0, 2, 1, 5, OBS_OK), 0);
	assert_non_null(dataset_published_differs(&now, &before));
	dataset_release(&now);
	dataset_release(&before);
}

static void test_write_path_symlinks(void **state)
{
	char dir[] = "/tmp/test_dataset.XXXXXX", target[64], out[64], tmp[96];
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	FILE *f;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(target, sizeof target, "%s/target", dir);
	snprintf(out, sizeof out, "%s/out.obs", dir);
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out, (long)getpid());
	f = fopen(target, "w");
	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);
	small_dataset(&ds);

	/* a link planted at the temporary name: the target is untouched, the output written */
	assert_int_equal(symlink(target, tmp), 0);
	assert_int_equal(dataset_write_path(&ds, &defs, out, &d), 0);
	assert_int_equal(d.count, 0);
	assert_string_equal(slurp(target), "precious\n");
	assert_int_equal(strncmp(slurp(out), "mappa-observations", 18), 0);
	assert_int_equal(access(tmp, F_OK), -1);

	/* the output itself a link: refused with ELOOP, the link and its target as they were */
	assert_int_equal(unlink(out), 0);
	assert_int_equal(symlink(target, out), 0);
	assert_int_equal(dataset_write_path(&ds, &defs, out, &d), -1);
	/* reported as an error O10 of the output at line 0 that keeps ELOOP */
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].file, out);
	assert_int_equal(d.items[0].line, 0);
	assert_string_equal(d.items[0].rule, "O10");
	assert_int_equal(diag_errnum(&d), ELOOP);
	assert_non_null(strstr(d.items[0].message, "cannot write: a symbolic link"));
	diag_clear(&d);
	assert_string_equal(slurp(target), "precious\n");
	assert_int_equal(access(tmp, F_OK), -1);

	dataset_release(&ds);
	unlink(out);
	unlink(target);
	rmdir(dir);
}

/* What cannot be read is a diagnostic of the file: O08 at line 0, the errno kept. */
static void test_read_path_unreadable(void **state)
{
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_int_equal(dataset_read_path(&ds, &defs, "/nonexistent/x.obs", &d), -2);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].file, "/nonexistent/x.obs");
	assert_int_equal(d.items[0].line, 0);
	assert_string_equal(d.items[0].rule, "O08");
	assert_string_equal(d.items[0].message, "cannot read: No such file or directory");
	assert_int_equal(diag_errnum(&d), ENOENT);
	assert_int_equal(errno, ENOENT);
	dataset_release(&ds);
	diag_clear(&d);
	assert_int_equal(dataset_read_path(&ds, &defs, "/dev/null", &d), -2);
	assert_int_equal(diag_errnum(&d), EINVAL);
	assert_non_null(strstr(d.items[0].message, "not a regular file"));
	dataset_release(&ds);
	diag_clear(&d);
}

/* the temporary name beside an output: in its folder, short enough for a folder entry */
static void test_outfile_tmpname(void **state)
{
	char t[600], p[400], want[64];
	(void)state;
	snprintf(want, sizeof want, ".tmp.%ld", (long)getpid());
	assert_int_equal(outfile_tmpname(t, sizeof t, "dir/a.obs"), 0);
	assert_string_equal(t + strlen("dir/a.obs"), want);
	assert_memory_equal(t, "dir/a.obs", strlen("dir/a.obs"));
	assert_int_equal(outfile_tmpname(t, sizeof t, "a.obs"), 0);
	assert_memory_equal(t, "a.obs", 5);
	memset(p, 'x', sizeof p);
	memcpy(p, "d/", 2);
	p[2 + 300] = '\0'; /* a name of 300 characters: its temporary name is cut to 255 */
	assert_int_equal(outfile_tmpname(t, sizeof t, p), 0);
	assert_int_equal(strlen(strrchr(t, '/') + 1), 255);
	assert_string_equal(t + strlen(t) - strlen(want), want);
	errno = 0;
	assert_int_equal(outfile_tmpname(t, 8, "dir/a.obs"), -1);
	assert_int_equal(errno, ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_merged),
		cmocka_unit_test(test_source_names_quoted),
		cmocka_unit_test(test_policy_sha256),
		cmocka_unit_test(test_truncation_every_byte),
		cmocka_unit_test(test_changed_digit),
		cmocka_unit_test(test_unknown_things),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_superseded_checked),
		cmocka_unit_test(test_area_date_checked),
		cmocka_unit_test(test_data_after_end_and_garbage),
		cmocka_unit_test(test_find_sorted_and_added),
		cmocka_unit_test(test_published_differs),
		cmocka_unit_test(test_published_value_said),
		cmocka_unit_test(test_end_line_said),
		cmocka_unit_test(test_area_line_said),
		cmocka_unit_test(test_write_path_symlinks),
		cmocka_unit_test(test_read_path_unreadable),
		cmocka_unit_test(test_outfile_tmpname),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
