/*
 * The release metadata report through diag: publish_release_validate gives an error L04 of the
 * file at the line of the field to blame, publish_release_load finds those lines in the
 * publication file, and publish_release_load_path reports what cannot be read (L05, with the
 * errno) as a diagnostic too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "diag.h"
#include "publish_release.h"
#include "publish_release_file.h"

static void expect_error(const struct diag_list *d, const char *file, long line, const char *rule,
			 const char *text)
{
	if (d->count < 1 || strcmp(d->items[0].file, file) != 0 || d->items[0].line != line ||
	    strcmp(d->items[0].rule, rule) != 0 || !strstr(d->items[0].message, text)) {
		diag_print(d, stderr);
		fail_msg("expected %s:%ld: error[%s] saying '%s'", file, line, rule, text);
	}
}

/* Each field at its own line: the error stands at the line of the field to blame. */
static void test_validate_lines(void **state)
{
	static const struct publish_release_lines at = { 2, 3, 4, 5, 6, 7, 8 };
	struct publish_release r;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;

	publish_release_init(&r);
	r.date = "2023-10-26";
	r.next = "2024-10";
	r.email = "a@example.org";
	assert_int_equal(publish_release_validate(&r, "rel.xml", &at, &d), 0);
	assert_int_equal(d.count, 0);

	r.date = "2023-02-30";
	assert_int_equal(publish_release_validate(&r, "rel.xml", &at, &d), -1);
	expect_error(&d, "rel.xml", 2, "L04", "release date '2023-02-30' is not a date");
	assert_int_equal(d.count, 1);
	assert_int_equal(diag_errnum(&d), 0);
	diag_clear(&d);

	r.date = "2024-11-01";
	assert_int_equal(publish_release_validate(&r, "rel.xml", &at, &d), -1);
	expect_error(&d, "rel.xml", 3, "L04", "is not after the release date");
	diag_clear(&d);

	r.date = "2023-10-26";
	r.email = "nobody";
	assert_int_equal(publish_release_validate(&r, "rel.xml", &at, &d), -1);
	expect_error(&d, "rel.xml", 6, "L04", "email 'nobody'");
	diag_clear(&d);

	/* options: no file, no lines */
	assert_int_equal(publish_release_validate(&r, NULL, NULL, &d), -1);
	expect_error(&d, "-", 0, "L04", "email 'nobody'");
	diag_clear(&d);
}

/*
 * One line of text on every page: bytes that are not UTF-8 (0xFF made the workbook's XML not
 * well-formed, and the bundle was published), a line or paragraph separator, a character that
 * reverses or hides text, are refused; the limit counts characters, not bytes (101 letters
 * with accents were refused as more than 200); a value echoed in a message is quoted.
 */
/* A release date comes after the period it publishes: 31 March of its second year is too soon. */
static void test_check_period(void **state)
{
	struct publish_release r;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;

	publish_release_init(&r);
	assert_int_equal(publish_release_check_period(&r, "2022-23", "x", 0, &d), 0); /* no date */
	r.date = "2023-04-01";
	assert_int_equal(publish_release_check_period(&r, "2022-23", "x", 0, &d), 0);
	assert_int_equal(publish_release_check_period(&r, NULL, "x", 0, &d), 0);
	assert_int_equal(d.count, 0);
	r.date = "2023-03-31";
	assert_int_equal(publish_release_check_period(&r, "2022-23", "rel.xml", 4, &d), -1);
	expect_error(&d, "rel.xml", 4, "L04", "is not after the end of the period 2022-23 (31 March 2023)");
	diag_clear(&d);
	r.date = "2020-01-01";
	assert_int_equal(publish_release_check_period(&r, "2022-23", NULL, 0, &d), -1);
	expect_error(&d, "-", 0, "L04", "release date '2020-01-01'");
	diag_clear(&d);
	r.date = "2023-02-30"; /* not a date: publish_release_validate says so */
	assert_int_equal(publish_release_check_period(&r, "2022-23", NULL, 0, &d), 0);
}

/*
 * A date given alone against the other's default for the period (2022-23: 2023-10-26 and
 * 2024-10-31): the field given is blamed, at its line; both given, or neither, is left to
 * publish_release_validate.
 */
static void test_check_dates(void **state)
{
	static const struct publish_release_lines at = { 2, 3, 4, 5, 6, 7, 8 };
	static const struct { const char *date, *next; enum publish_release_field blame; long line; const char *text; } c[] = {
		{ NULL, NULL, PUBLISH_RELEASE_FIELD_NONE, 0, NULL },
		{ NULL, "2023-11", PUBLISH_RELEASE_FIELD_NONE, 0, NULL },
		{ NULL, "2023-10-27", PUBLISH_RELEASE_FIELD_NONE, 0, NULL },
		{ "2024-10-30", NULL, PUBLISH_RELEASE_FIELD_NONE, 0, NULL },
		{ "2025-01-01", "2025-10", PUBLISH_RELEASE_FIELD_NONE, 0, NULL },
		{ "2023-10-26", "2023-01", PUBLISH_RELEASE_FIELD_NONE, 0, NULL }, /* validate's */
		{ NULL, "2023-10", PUBLISH_RELEASE_FIELD_NEXT, 3,
		  "next release '2023-10' is not after the release date '2023-10-26', the default for 2022-23" },
		{ NULL, "2023-10-26", PUBLISH_RELEASE_FIELD_NEXT, 3, "not after the release date '2023-10-26'" },
		{ NULL, "2023-01-01", PUBLISH_RELEASE_FIELD_NEXT, 3, "not after the release date '2023-10-26'" },
		{ "2024-10-31", NULL, PUBLISH_RELEASE_FIELD_DATE, 2,
		  "release date '2024-10-31' is not before the next release '2024-10-31', the default for 2022-23" },
		{ "2025-01-01", NULL, PUBLISH_RELEASE_FIELD_DATE, 2, "not before the next release '2024-10-31'" },
		{ "2023-03-31", NULL, PUBLISH_RELEASE_FIELD_DATE, 2, "is not after the end of the period 2022-23" },
		{ "2023-03-31", "2024-10", PUBLISH_RELEASE_FIELD_DATE, 2, "is not after the end of the period 2022-23" },
		{ NULL, "2023-02", PUBLISH_RELEASE_FIELD_NEXT, 3, "not after the release date" },
		{ NULL, "2023-13", PUBLISH_RELEASE_FIELD_NONE, 0, NULL }, /* not a date: validate's */
	};
	struct publish_release r;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;

	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		publish_release_init(&r);
		r.date = c[i].date;
		r.next = c[i].next;
		assert_int_equal(publish_release_check_dates(&r, "2022-23", "rel.xml", &at, &d), c[i].blame);
		if (c[i].text)
			expect_error(&d, "rel.xml", c[i].line, "L04", c[i].text);
		assert_int_equal(d.count, c[i].text ? 1 : 0);
		diag_clear(&d);
	}
	/* no period yet, or none that is one: nothing to say */
	publish_release_init(&r);
	r.next = "2023-10";
	assert_int_equal(publish_release_check_dates(&r, NULL, NULL, NULL, &d), PUBLISH_RELEASE_FIELD_NONE);
	assert_int_equal(publish_release_check_dates(&r, "2022", NULL, NULL, &d), PUBLISH_RELEASE_FIELD_NONE);
	/* options: no file, no line */
	assert_int_equal(publish_release_check_dates(&r, "2022-23", NULL, NULL, &d), PUBLISH_RELEASE_FIELD_NEXT);
	expect_error(&d, "-", 0, "L04", "next release '2023-10'");
	diag_clear(&d);
}

static void test_validate_text(void **state)
{
	static const struct { const char *text; const char *why; } bad[] = {
		{ "Prod\xffX", "producer: not UTF-8 text" },
		{ "P\xc3", "producer: not UTF-8 text" },			/* cut short */
		{ "P\xc0\xafQ", "producer: not UTF-8 text" },		/* overlong '/' */
		{ "P\xed\xa0\x80Q", "producer: not UTF-8 text" },	/* a surrogate */
		{ "P\xf4\x90\x80\x80", "producer: not UTF-8 text" },	/* above U+10FFFF */
		{ "a\tb", "producer: 1 to 200 characters on one line" },
		{ "a\xc2\x85" "b", "producer: 1 to 200 characters on one line" },	/* U+0085 */
		{ "Ab\xe2\x80\xae" "cd", "producer: a character that hides, reorders or breaks text" },
		{ "a\xe2\x80\xa8" "b", "producer: a character that hides, reorders or breaks text" },
		{ "a\xe2\x80\x8b" "b", "producer: a character that hides, reorders or breaks text" },
		{ "", "producer: 1 to 200 characters on one line" },
	};
	char accents[2 * 201 + 1];
	struct publish_release r;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		publish_release_init(&r);
		r.producer = bad[i].text;
		assert_int_equal(publish_release_validate(&r, NULL, NULL, &d), -1);
		expect_error(&d, "-", 0, "L04", bad[i].why);
		diag_clear(&d);
	}
	/* 200 letters of two bytes each: accepted; 201: refused */
	for (size_t i = 0; i < 200; i++)
		memcpy(accents + 2 * i, "\xc3\xa9", 2);
	accents[400] = '\0';
	publish_release_init(&r);
	r.producer = accents;
	r.contact = "Tîm ystadegau MAPPA, Ynys Môn";
	assert_int_equal(publish_release_validate(&r, NULL, NULL, &d), 0);
	memcpy(accents + 400, "\xc3\xa9", 3);
	assert_int_equal(publish_release_validate(&r, NULL, NULL, &d), -1);
	expect_error(&d, "-", 0, "L04", "producer: 1 to 200 characters on one line");
	diag_clear(&d);
	/* an address, not a mailto: query (it added mail headers to the pages' link) */
	publish_release_init(&r);
	r.email = "a@b.example?subject=x&body=y";
	assert_int_equal(publish_release_validate(&r, NULL, NULL, &d), -1);
	expect_error(&d, "-", 0, "L04", "is not an address like name@example.org");
	diag_clear(&d);
	r.email = "first.last+mappa@statistics.example.org";
	assert_int_equal(publish_release_validate(&r, NULL, NULL, &d), 0);
	/* a methodology link over 200 characters is too long, not "not an address" (QA); the
	   check names the field it blames */
	{
		static char link[260];
		memcpy(link, "https://example.org/", 20);
		memset(link + 20, 'a', 181);
		link[201] = '\0';
		publish_release_init(&r);
		r.methodology = link;
		assert_int_equal(publish_release_check(&r, NULL, NULL, &d),
				 PUBLISH_RELEASE_FIELD_METHODOLOGY);
		expect_error(&d, "-", 0, "L04", "is too long: 201 characters, at most 200");
		diag_clear(&d);
		link[200] = '\0';
		assert_int_equal(publish_release_check(&r, NULL, NULL, &d), PUBLISH_RELEASE_FIELD_NONE);
		assert_string_equal(publish_release_option_name(PUBLISH_RELEASE_FIELD_METHODOLOGY),
				    "--methodology");
	}
	/* a value echoed in a message is quoted: it cannot colour or move the terminal */
	publish_release_init(&r);
	r.date = "2023\x1b[31m";
	assert_int_equal(publish_release_validate(&r, NULL, NULL, &d), -1);
	expect_error(&d, "-", 0, "L04", "release date \"2023\\033[31m\" is not a date");
	diag_clear(&d);
}

/* A publication file whose next release is not after its release date: L04 at <next>'s line. */
static void test_load_located(void **state)
{
	static const char text[] =
		"<?xml version=\"1.0\"?>\n"
		"<release xmlns=\"urn:mappa:release:1\" version=\"1\">\n"
		"  <date>2024-01-01</date>\n"
		"  <next>2023-12</next>\n"
		"</release>\n";
	static const char bad_date[] =
		"<?xml version=\"1.0\"?>\n"
		"<release xmlns=\"urn:mappa:release:1\" version=\"1\">\n"
		"\n"
		"  <date>2023-02-30</date>\n"
		"</release>\n";
	struct publish_release_file *f = malloc(sizeof *f);
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_non_null(f);
	assert_int_equal(publish_release_load(f, "r.xml", text, sizeof text - 1, &d), -1);
	expect_error(&d, "r.xml", 4, "L04", "next release '2023-12' is not after");
	assert_int_equal(d.count, 1);
	diag_clear(&d);
	assert_int_equal(publish_release_load(f, "r.xml", bad_date, sizeof bad_date - 1, &d), -1);
	expect_error(&d, "r.xml", 4, "L04", "release date '2023-02-30'");
	diag_clear(&d);
	free(f);
}

/* What cannot be read is a diagnostic of the file too: L05 at line 0 with the errno. */
static void test_load_path_unreadable(void **state)
{
	struct publish_release_file *f = malloc(sizeof *f);
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_non_null(f);
	assert_int_equal(publish_release_load_path(f, "/nonexistent/release.xml", &d), -2);
	expect_error(&d, "/nonexistent/release.xml", 0, "L05", "cannot read: ");
	assert_int_equal(diag_errnum(&d), ENOENT);
	diag_clear(&d);
	assert_int_equal(publish_release_load_path(f, "/dev/null", &d), -2);
	expect_error(&d, "/dev/null", 0, "L05", "not a regular file");
	assert_int_equal(diag_errnum(&d), EINVAL);
	diag_clear(&d);
	free(f);
}

/* "26 October 2023" back to "2023-10-26"; anything publish_release_date_text does not write is
   refused (the release date of an earlier bundle's README.txt, history.c) */
static void test_date_iso(void **state)
{
	static const struct { const char *text, *iso; } ok[] = {
		{ "26 October 2023", "2023-10-26" }, { "1 May 2023", "2023-05-01" },
		{ "29 February 2024", "2024-02-29" }, { "31 December 9999", "9999-12-31" },
	};
	static const char *bad[] = { "", "May 2023", "31 June 2023", "29 February 2023",
				     "01 May 2023", "1  May 2023", "1 may 2023", "1 May 2023 ",
				     " 1 May 2023", "1 May 23", "1 Mayo 2023", "2023-05-01",
				     "1 May 1990", "32 May 2023", "1 May 2023x" };
	char iso[11];
	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(publish_release_date_iso(ok[i].text, strlen(ok[i].text), iso,
							  sizeof iso), 0);
		assert_string_equal(iso, ok[i].iso);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcpy(iso, "x");
		if (publish_release_date_iso(bad[i], strlen(bad[i]), iso, sizeof iso) != -1 || iso[0])
			fail_msg("'%s' was read as '%s'", bad[i], iso);
	}
	/* only len bytes are read: the rest of a line after them is not the date's */
	assert_int_equal(publish_release_date_iso("1 May 2023\nNext", 10, iso, sizeof iso), 0);
	assert_string_equal(iso, "2023-05-01");
	/* too small a buffer */
	assert_int_equal(publish_release_date_iso("1 May 2023", 10, iso, 10), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_lines),
		cmocka_unit_test(test_check_period),
		cmocka_unit_test(test_check_dates),
		cmocka_unit_test(test_validate_text),
		cmocka_unit_test(test_load_located),
		cmocka_unit_test(test_load_path_unreadable),
		cmocka_unit_test(test_date_iso),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);

	xmlCleanupParser();
	return r;
}
