/*
 * The bundle and its zip writer report through diag (etl/lib/diag.h), the one error value of the
 * library: every failure is a diagnostic naming the file, at line 0 (an archive as a whole), with
 * its rule id (B01 the archive cannot be built, B02 it cannot be written in place) and, for a
 * failed system call, the errno that decides the program's exit status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bundle.h"
#include "diag.h"
#include "zipmem.h"

static const struct zipmem_time when = { 2023, 10, 26, 0, 0, 0 };

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_bundle.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char path[128];
	(void)state;
	snprintf(path, sizeof path, "%s/link.tar.gz", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/mappa-2022-23.tar.gz", dir);
	unlink(path);
	return rmdir(dir);
}

/* The one error d holds: its file, line, rule and errno. */
static void expect_one(const struct diag_list *d, const char *file, const char *rule, int errnum)
{
	if (d->count != 1 || strcmp(d->items[0].file, file) != 0 ||
	    strcmp(d->items[0].rule, rule) != 0 || d->items[0].line != 0 ||
	    d->items[0].errnum != errnum || d->items[0].severity != DIAG_ERROR) {
		diag_print(d, stderr);
		fail_msg("expected one error %s of %s at line 0 with errno %d", rule, file, errnum);
	}
	assert_int_equal(d->errors, 1);
	assert_int_equal(diag_errnum(d), errnum);
}

/* bundle_add and bundle_add_manifest that must succeed: 0 and no diagnostic. */
static void add_ok(struct bundle *b, const char *path, const void *data, size_t len)
{
	struct diag_list d = DIAG_LIST_INIT;

	assert_int_equal(bundle_add(b, path, data, len, &d), 0);
	assert_int_equal(d.count, 0);
}

static void manifest_ok(struct bundle *b)
{
	struct diag_list d = DIAG_LIST_INIT;

	assert_int_equal(bundle_add_manifest(b, &d), 0);
	assert_int_equal(d.count, 0);
}

static void make_bundle(struct bundle *b, const char *top)
{
	bundle_init(b, top, &when);
	add_ok(b, "README.txt", "hello\n", 6);
	manifest_ok(b);
}

/* A top folder that is not a bundle name: B01, nothing built. */
static void test_archive_bad_top(void **state)
{
	struct bundle b;
	struct strbuf out = STRBUF_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	make_bundle(&b, "../escape");
	assert_int_equal(bundle_archive(&b, BUNDLE_TAR_GZ, &out, &d), -1);
	expect_one(&d, "-", "B01", 0);
	assert_non_null(strstr(d.items[0].message, "bad top folder name '../escape'"));
	diag_clear(&d);
	strbuf_release(&out);
	bundle_release(&b);
}

/* Written into a folder that is not there: B02 of the bundle's path, ENOENT kept. */
static void test_write_no_folder(void **state)
{
	struct bundle b;
	struct diag_list d = DIAG_LIST_INIT;
	char missing[128], dest[160];
	(void)state;
	make_bundle(&b, "mappa-2022-23");
	snprintf(missing, sizeof missing, "%s/not-there", dir);
	snprintf(dest, sizeof dest, "%s/mappa-2022-23.tar.gz", missing);
	assert_int_equal(bundle_write_atomic(&b, BUNDLE_TAR_GZ, missing, "mappa-2022-23.tar.gz", &d),
			 -1);
	expect_one(&d, dest, "B02", ENOENT);
	assert_non_null(strstr(d.items[0].message, "cannot create the temporary file"));
	diag_clear(&d);
	bundle_release(&b);
}

/* A symbolic link where the bundle goes: refused, B02 with ELOOP; a bad name: EINVAL. */
static void test_write_refused(void **state)
{
	struct bundle b;
	struct diag_list d = DIAG_LIST_INIT;
	char link[128];
	(void)state;
	make_bundle(&b, "mappa-2022-23");
	snprintf(link, sizeof link, "%s/link.tar.gz", dir);
	assert_int_equal(symlink("/tmp/elsewhere.tar.gz", link), 0);
	assert_int_equal(bundle_write_atomic(&b, BUNDLE_TAR_GZ, dir, "link.tar.gz", &d), -1);
	expect_one(&d, link, "B02", ELOOP);
	diag_clear(&d);
	assert_int_equal(bundle_write_atomic(&b, BUNDLE_TAR_GZ, dir, "../up.tar.gz", &d), -1);
	expect_one(&d, dir, "B02", EINVAL);
	assert_non_null(strstr(d.items[0].message, "bad bundle name"));
	diag_clear(&d);
	/* and where it can be written, nothing is reported */
	assert_int_equal(bundle_write_atomic(&b, BUNDLE_TAR_GZ, dir, "mappa-2022-23.tar.gz", &d), 0);
	assert_int_equal(d.count, 0);
	bundle_release(&b);
}

/* What libzip refuses (an entry given twice) is a diagnostic of the archive naming the entry. */
static void test_zip_refused(void **state)
{
	const struct zipmem_entry e[] = {
		{ "a.txt", "1", 1, 0, 0644 },
		{ "a.txt", "2", 1, 0, 0644 },
	};
	struct strbuf out = STRBUF_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_int_equal(zipmem_archive(e, 2, &when, &out, "x.ods", "B01", &d), -1);
	expect_one(&d, "x.ods", "B01", 0);
	assert_non_null(strstr(d.items[0].message, "cannot add 'a.txt'"));
	diag_clear(&d);
	/* and a good archive reports nothing */
	strbuf_release(&out);
	strbuf_init(&out);
	assert_int_equal(zipmem_archive(e, 1, &when, &out, "x.ods", "B01", &d), 0);
	assert_int_equal(d.count, 0);
	assert_true(out.len > 0);
	strbuf_release(&out);
}

/* diag_add_errno keeps the errno; diag_errnum finds the first error that carries one. */
static void test_diag_errnum(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_int_equal(diag_add(&d, "a.xml", 3, "R05", DIAG_ERROR, "bad"), 0);
	assert_int_equal(diag_errnum(&d), 0);
	assert_int_equal(d.items[0].errnum, 0);
	assert_int_equal(diag_add_errno(&d, "b.xml", "F05", ENOENT, "cannot read: %s", "gone"), 0);
	assert_int_equal(diag_add_errno(&d, "c.xml", "F05", EACCES, "cannot read"), 0);
	assert_int_equal(diag_errnum(&d), ENOENT);
	assert_int_equal(d.items[1].line, 0);
	assert_int_equal(d.items[1].severity, DIAG_ERROR);
	assert_string_equal(d.items[1].message, "cannot read: gone");
	assert_int_equal(d.errors, 3);
	diag_clear(&d);
	assert_int_equal(diag_errnum(&d), 0);
	/* past DIAG_KEEP a diagnostic is only counted, but its errno still decides the status */
	for (int i = 0; i < DIAG_KEEP; i++)
		assert_int_equal(diag_add(&d, "a.xml", i + 1, "R08", DIAG_ERROR, "twice"), 0);
	/* (DIAG_KEEP is per file: another file's is kept, one more of the same is counted) */
	assert_int_equal(diag_add_errno(&d, "a.xml", "M11", EACCES, "cannot read"), 0);
	assert_int_equal(d.count, DIAG_KEEP);
	assert_int_equal(d.dropped, 1);
	assert_int_equal(diag_errnum(&d), EACCES);
	assert_int_equal(diag_add(&d, "b.xml", 1, "R08", DIAG_ERROR, "once"), 0);
	assert_int_equal(d.count, DIAG_KEEP + 1);
	diag_clear(&d);
}

/* The one parser of a bundle's file name: a valid period and one of the two formats. */
static void test_name_parse(void **state)
{
	static const struct {
		const char *name;
		int year, zip;
	} cases[] = {
		{ "mappa-2022-23.tar.gz", 2022, 0 },
		{ "mappa-2022-23.zip", 2022, 1 },
		{ "mappa-2099-00.zip", 2099, 1 },
		{ "mappa-1999-00.zip", -1, 0 },	/* a period out of the range (dataset.h) */
		{ "mappa-2022-24.tar.gz", -1, 0 },	/* not a period */
		{ "mappa-2022-23.tar", -1, 0 },
		{ "mappa-2022-23.tar.gz.tmp", -1, 0 },
		{ "mappa-2022-23.zip~", -1, 0 },
		{ ".mappa-2022-23.zip", -1, 0 },
		{ "mappa-22-23.zip", -1, 0 },
		{ "mappa-2022-23", -1, 0 },
		{ "mappa-", -1, 0 },
		{ "", -1, 0 },
		{ "MAPPA-2022-23.zip", -1, 0 },
		{ "mappa-2022_23.zip", -1, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char period[8] = "";
		int zip = -1, y = bundle_name_parse(cases[i].name, period, &zip);
		assert_int_equal(y, cases[i].year);
		if (y >= 0) {
			assert_int_equal(zip, cases[i].zip);
			assert_memory_equal(period, cases[i].name + 6, 7);
			assert_int_equal(period[7], '\0');
		}
	}
	assert_int_equal(bundle_name_parse("mappa-2022-23.zip", NULL, NULL), 2022);
}

/* A format's extension, its parser and a period's file name: each the other's inverse. */
static void test_format_names(void **state)
{
	static const enum bundle_format fmts[] = { BUNDLE_TAR_GZ, BUNDLE_ZIP };
	enum bundle_format f = BUNDLE_ZIP;
	char name[32], period[8];
	int zip;
	(void)state;
	assert_string_equal(bundle_format_ext(BUNDLE_TAR_GZ), "tar.gz");
	assert_string_equal(bundle_format_ext(BUNDLE_ZIP), "zip");
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(bundle_format_parse(bundle_format_ext(fmts[i]), &f), 0);
		assert_int_equal(f, fmts[i]);
		assert_int_equal(bundle_name(name, sizeof name, "2022-23", fmts[i]), 0);
		assert_int_equal(bundle_name_parse(name, period, &zip), 2022);
		assert_string_equal(period, "2022-23");
		assert_int_equal(zip, fmts[i] == BUNDLE_ZIP);
	}
	assert_string_equal(name, "mappa-2022-23.zip");
	/* the other format's name, both ways; a name that is not a bundle's, or no room: -1 */
	assert_int_equal(bundle_name_other("mappa-2022-23.zip", name, sizeof name), 0);
	assert_string_equal(name, "mappa-2022-23.tar.gz");
	assert_int_equal(bundle_name_other(name, name, sizeof name), 0);
	assert_string_equal(name, "mappa-2022-23.zip");
	assert_int_equal(bundle_name_other("mappa-2022-24.zip", name, sizeof name), -1);
	assert_int_equal(bundle_name_other("mappa-2022-23.zip", name, 10), -1);
	f = BUNDLE_TAR_GZ;
	assert_int_equal(bundle_format_parse("ZIP", &f), -1);
	assert_int_equal(bundle_format_parse("gz", &f), -1);
	assert_int_equal(bundle_format_parse("", &f), -1);
	assert_int_equal(f, BUNDLE_TAR_GZ); /* untouched */
	assert_int_equal(bundle_name(name, 17, "2022-23", BUNDLE_ZIP), -1); /* no room for the NUL */
	assert_int_equal(bundle_name(name, 18, "2022-23", BUNDLE_ZIP), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_archive_bad_top),
		cmocka_unit_test(test_write_no_folder),
		cmocka_unit_test(test_write_refused),
		cmocka_unit_test(test_zip_refused),
		cmocka_unit_test(test_diag_errnum),
		cmocka_unit_test(test_name_parse),
		cmocka_unit_test(test_format_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
