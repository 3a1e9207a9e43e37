/*
 * Unit tests of the history reader: an earlier period's bundle, written by the bundle module
 * as mappa-publish writes it (the golden observations.csv and README.txt), is read back as
 * .tar.gz and .zip; damaged and foreign bundles (a file changed after publication, no or a
 * short manifest, an unlisted file, another period, another top folder, links and "..",
 * truncated or not an archive at all) are refused with the rule that says why, and the file
 * read is never changed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <zip.h>
#include <libxml/parser.h>

#include "areas.h"
#include "bundle.h"
#include "dataset.h"
#include "defs.h"
#include "history.h"
#include "strbuf.h"
#include "xmlsafe.h"

#define GOLDEN "tests/golden/publish/expected/"

static struct defs defs;
static struct areas areas;
static char dir[] = "/tmp/mappa-test-history.XXXXXX";
static char *obs_csv, *readme;
static size_t obs_len, readme_len;
static const struct zipmem_time when = { 2023, 7, 27, 9, 30, 0 };
/* what building the test bundles (bundle_add, bundle_add_manifest) reports: each call is
   asserted to succeed, and the list must stay empty (checked in teardown) */
static struct diag_list nodiag = DIAG_LIST_INIT;

static int setup(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	if (defs_load_default(&defs, &d) || areas_load_default(&areas, &d))
		return -1;
	if (!mkdtemp(dir))
		return -1;
	if (xmlsafe_read_file(GOLDEN "observations.csv", 1 << 24, &obs_csv, &obs_len) ||
	    xmlsafe_read_file(GOLDEN "README.txt", 1 << 24, &readme, &readme_len))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int rc;
	(void)state;
	free(obs_csv);
	free(readme);
	while (dp && (e = readdir(dp)) != NULL) {
		char path[300];
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (dp)
		closedir(dp);
	xmlCleanupParser();
	rc = rmdir(dir);
	if (nodiag.count) {
		diag_print(&nodiag, stderr);
		rc = -1;
	}
	diag_clear(&nodiag);
	return rc;
}

/* A bundle like the published one: README.txt, observations.csv (csv, or the golden one). */
static void make(struct bundle *b, const char *top, const char *csv)
{
	bundle_init(b, top, &when);
	assert_int_equal(bundle_add(b, "README.txt", readme, readme_len, &nodiag), 0);
	if (csv)
		assert_int_equal(bundle_add(b, "observations.csv", csv, strlen(csv), &nodiag), 0);
	else
		assert_int_equal(bundle_add(b, "observations.csv", obs_csv, obs_len, &nodiag), 0);
}

/* Writes b as dir/name and returns the path (static buffer). */
static const char *put(const struct bundle *b, enum bundle_format fmt, const char *name)
{
	static char path[256];
	struct diag_list d = DIAG_LIST_INIT;
	assert_int_equal(bundle_write_atomic(b, fmt, dir, name, &d), 0);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

/* Reads path expecting failure by rule (the first error's rule) with text in its message. */
static void refused(const char *path, const char *period, const char *rule, const char *text)
{
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	if (history_read(&ds, &defs, &areas, path, period, &d) != -1)
		fail_msg("'%s' was accepted", path);
	assert_true(d.errors > 0);
	if (strcmp(d.items[0].rule, rule) != 0 || !strstr(d.items[0].message, text)) {
		diag_print(&d, stderr);
		fail_msg("expected %s '%s'", rule, text);
	}
	assert_int_equal(ds.nobs, 0);
	dataset_release(&ds);
	diag_clear(&d);
}

/* The whole file, for comparing before and after. */
static char *slurp(const char *path, size_t *len)
{
	char *buf;
	assert_int_equal(xmlsafe_read_file(path, 1 << 26, &buf, len), XMLSAFE_READ_OK);
	return buf;
}

static void read_ok(enum bundle_format fmt, const char *name)
{
	struct bundle b;
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	struct stat st1, st2;
	const struct obs *o;
	const char *path;
	char *before, *after;
	size_t n1, n2;

	make(&b, "mappa-2022-23", NULL);
	assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
	path = put(&b, fmt, name);
	bundle_release(&b);
	before = slurp(path, &n1);
	assert_int_equal(stat(path, &st1), 0);

	assert_int_equal(history_read(&ds, &defs, &areas, path, "2022-23", &d), 0);
	assert_int_equal(d.count, 0);
	assert_string_equal(ds.period, "2022-23");
	assert_int_equal(ds.nobs, 300); /* one per row of the golden file */
	o = dataset_find(&ds, "K04000001", (unsigned)defs_find(&defs, "eligible"), 1, 1);
	assert_non_null(o);
	assert_int_equal(o->value, 6694);      /* the golden observations.csv's second line */
	assert_int_equal(o->status, OBS_OK);
	dataset_release(&ds);

	assert_int_equal(history_read(&ds, &defs, &areas, path, NULL, &d), 0); /* any period */
	dataset_release(&ds);

	/* the release date of its README.txt ("Release date  26 October 2023") */
	{
		struct history_about about;
		assert_int_equal(history_read_about(&ds, &defs, &areas, path, "2022-23", NULL,
						    NULL, &about, &d), 0);
		assert_string_equal(about.release, "2023-10-26");
		assert_string_equal(about.shown, ""); /* no time series */
		dataset_release(&ds);
	}

	/* never changed */
	after = slurp(path, &n2);
	assert_int_equal(stat(path, &st2), 0);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	assert_int_equal(st1.st_mtime, st2.st_mtime);
	assert_int_equal(st1.st_mode, st2.st_mode);
	free(before);
	free(after);
	diag_clear(&d);
}

/* A README.txt whose release line is no date this project writes: "" and no error (the
   bundle is read as before; only the revision's release-date warning is lost). */
static void test_release_date_unreadable(void **state)
{
	static const char *lines[] = { "Release date  31 June 2023\n", "Release date  1  May 2023\n",
				       "Release date  01 May 2023\n", "Release date  1 may 2023\n",
				       "Release date\n", "Release: 1 May 2023\n" };
	(void)state;
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct bundle b;
		struct dataset ds;
		struct diag_list d = DIAG_LIST_INIT;
		struct history_about about;
		const char *path;
		bundle_init(&b, "mappa-2022-23", &when);
		assert_int_equal(bundle_add(&b, "README.txt", lines[i], strlen(lines[i]), &nodiag), 0);
		assert_int_equal(bundle_add(&b, "observations.csv", obs_csv, obs_len, &nodiag), 0);
		assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
		path = put(&b, BUNDLE_TAR_GZ, "mappa-2022-23.tar.gz");
		bundle_release(&b);
		assert_int_equal(history_read_about(&ds, &defs, &areas, path, "2022-23", NULL, NULL,
						    &about, &d), 0);
		if (about.release[0])
			fail_msg("'%s' read as %s", lines[i], about.release);
		assert_int_equal(d.count, 0);
		dataset_release(&ds);
	}
}

/* The periods a bundle's time series shows with figures: a column all [x] is not one, and
   the last column is the bundle's own period. */
static void test_series_shown(void **state)
{
	static const struct { const char *csv, *shown; } cases[] = {
		{ "category,level,2020-21,2021-22,2022-23\n1,1,5,6,7\n1,2,[c],[x],3\n",
		  "2020-21 2021-22 " },
		{ "category,level,2020-21,2021-22,2022-23\r\n1,1,[x],6,7\r\n1,2,[x],[c],3\r\n",
		  "2021-22 " },
		{ "category,level,2021-22,2022-23\n1,1,[x],7\n", "" },
		{ "category,level,2022-23\n1,1,7\n", "" },
		{ "category,level,x,2022-23\n1,1,5,7\n", "" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct bundle b;
		struct dataset ds;
		struct diag_list d = DIAG_LIST_INIT;
		struct history_about about;
		const char *path;
		make(&b, "mappa-2022-23", NULL);
		assert_int_equal(bundle_add(&b, "tables/series-national-eligible.csv", cases[i].csv,
					    strlen(cases[i].csv), &nodiag), 0);
		assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
		path = put(&b, BUNDLE_TAR_GZ, "mappa-2022-23.tar.gz");
		bundle_release(&b);
		assert_int_equal(history_read_about(&ds, &defs, &areas, path, "2022-23", NULL, NULL,
						    &about, &d), 0);
		assert_string_equal(about.shown, cases[i].shown);
		assert_string_equal(about.release, "2023-10-26");
		dataset_release(&ds);
	}
}

static void test_read_targz(void **state)
{
	(void)state;
	read_ok(BUNDLE_TAR_GZ, "mappa-2022-23.tar.gz");
}

static void test_read_zip(void **state)
{
	(void)state;
	read_ok(BUNDLE_ZIP, "mappa-2022-23.zip");
}

static void test_other_period(void **state)
{
	struct bundle b;
	const char *path;
	(void)state;
	make(&b, "mappa-2022-23", NULL);
	assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
	path = put(&b, BUNDLE_TAR_GZ, "period.tar.gz");
	bundle_release(&b);
	refused(path, "2021-22", "H04", "the bundle is for 2022-23, not for 2021-22");
}

/*
 * A bundle with a TAB and a line end in its name: a diagnostic names the file (or the member,
 * "ARCHIVE(TOP/NAME)") as it is, and diag_format quotes it once. It was quoted twice: the
 * reader quoted the path and the printer quoted the quoted form again.
 */
static void test_odd_name_quoted_once(void **state)
{
	struct bundle b;
	const struct bundle_file *f;
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	struct strbuf sb = STRBUF_INIT;
	char want[400], odd[300], *at;
	const char *path;
	(void)state;
	make(&b, "mappa-2022-23", NULL);
	assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
	f = bundle_find(&b, "observations.csv");
	assert_non_null(f);
	at = strstr((char *)f->data, ",6694,");
	assert_non_null(at);
	at[4] = '5';
	path = put(&b, BUNDLE_TAR_GZ, "odd.tar.gz");
	bundle_release(&b);
	snprintf(odd, sizeof odd, "%s/odd\tna\nme.tar.gz", dir);
	assert_int_equal(rename(path, odd), 0);
	assert_int_equal(history_read(&ds, &defs, &areas, odd, "2022-23", &d), -1);
	assert_true(d.count > 0);
	snprintf(want, sizeof want, "%s(mappa-2022-23/MANIFEST.sha256)", odd);
	assert_string_equal(d.items[0].rule, "H03");
	assert_string_equal(d.items[0].file, want);
	diag_format(&sb, &d.items[0]);
	snprintf(want, sizeof want, "\"%s/odd\\tna\\nme.tar.gz(mappa-2022-23/MANIFEST.sha256)\":",
		 dir);
	assert_true(strbuf_ok(&sb) == 0);
	if (strncmp(sb.data, want, strlen(want)) != 0)
		fail_msg("got %s", sb.data);
	strbuf_release(&sb);
	diag_clear(&d);

	/* and the bundle that cannot be read at all: its path as it is */
	assert_int_equal(unlink(odd), 0);
	assert_int_equal(mkfifo(odd, 0600), 0);
	assert_int_equal(history_read(&ds, &defs, &areas, odd, "2022-23", &d), -1);
	assert_string_equal(d.items[0].file, odd);
	assert_non_null(strstr(d.items[0].message, "cannot read: not a regular file"));
	assert_int_equal(diag_errnum(&d), EINVAL);
	diag_clear(&d);
	assert_int_equal(unlink(odd), 0);
}

/* A figure changed after publication: the manifest no longer matches. */
static void test_changed_after_publication(void **state)
{
	struct bundle b;
	const struct bundle_file *f;
	char *at;
	const char *path;
	(void)state;
	make(&b, "mappa-2022-23", NULL);
	assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
	f = bundle_find(&b, "observations.csv");
	assert_non_null(f);
	at = strstr((char *)f->data, ",6694,");
	assert_non_null(at);
	at[4] = '5';
	path = put(&b, BUNDLE_TAR_GZ, "changed.tar.gz");
	bundle_release(&b);
	refused(path, "2022-23", "H03", "'observations.csv' does not match its checksum");
}

static void test_no_manifest(void **state)
{
	struct bundle b;
	const char *path;
	(void)state;
	make(&b, "mappa-2022-23", NULL);
	path = put(&b, BUNDLE_TAR_GZ, "nomanifest.tar.gz");
	bundle_release(&b);
	refused(path, NULL, "H03", "no mappa-2022-23/MANIFEST.sha256");
}

static void test_unlisted_file(void **state)
{
	struct bundle b;
	const char *path;
	(void)state;
	make(&b, "mappa-2022-23", NULL);
	assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
	assert_int_equal(bundle_add(&b, "extra.csv", "a,b\n", 4, &nodiag), 0);
	path = put(&b, BUNDLE_ZIP, "unlisted.zip");
	bundle_release(&b);
	refused(path, NULL, "H03", "'extra.csv' is in the bundle but not listed");
}

static void test_bad_manifest_line(void **state)
{
	struct bundle b;
	const char *path;
	(void)state;
	make(&b, "mappa-2022-23", NULL);
	assert_int_equal(bundle_add(&b, "MANIFEST.sha256", "not a checksum\n", 15, &nodiag), 0);
	path = put(&b, BUNDLE_TAR_GZ, "badmanifest.tar.gz");
	bundle_release(&b);
	refused(path, NULL, "H03", "not a line of sha256sum");
}

static void test_foreign_top_folder(void **state)
{
	struct bundle b;
	const char *path;
	(void)state;
	make(&b, "backup-2022-23", NULL);
	assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
	path = put(&b, BUNDLE_TAR_GZ, "foreign.tar.gz");
	bundle_release(&b);
	refused(path, NULL, "H04", "top folder 'backup-2022-23' is not mappa-PERIOD");
	make(&b, "mappa-2022-24", NULL);    /* not a reporting year */
	assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
	path = put(&b, BUNDLE_TAR_GZ, "foreign2.tar.gz");
	bundle_release(&b);
	refused(path, NULL, "H04", "is not mappa-PERIOD");
}

static void test_no_observations(void **state)
{
	struct bundle b;
	const char *path;
	(void)state;
	bundle_init(&b, "mappa-2022-23", &when);
	assert_int_equal(bundle_add(&b, "README.txt", readme, readme_len, &nodiag), 0);
	assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
	path = put(&b, BUNDLE_TAR_GZ, "noobs.tar.gz");
	bundle_release(&b);
	refused(path, NULL, "H04", "no mappa-2022-23/observations.csv");
}

/* observations.csv for 2022-23 in a folder for 2021-22 */
static void test_observations_other_period(void **state)
{
	struct bundle b;
	const char *path;
	(void)state;
	make(&b, "mappa-2021-22", NULL);
	assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
	path = put(&b, BUNDLE_TAR_GZ, "mixed.tar.gz");
	bundle_release(&b);
	refused(path, NULL, "H04", "the observations are for 2022-23, but the bundle's folder is mappa-2021-22");
}

/* A bundle in order whose observations.csv is not one: the reader's own rule, in the member. */
static void test_bad_observations(void **state)
{
	struct bundle b;
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	const char *path;
	(void)state;
	make(&b, "mappa-2022-23", "hello\n");
	assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
	path = put(&b, BUNDLE_TAR_GZ, "badobs.tar.gz");
	bundle_release(&b);
	assert_int_equal(history_read(&ds, &defs, &areas, path, NULL, &d), -1);
	assert_string_equal(d.items[0].rule, "P01");
	assert_non_null(strstr(d.items[0].file, "badobs.tar.gz(mappa-2022-23/observations.csv)"));
	assert_int_equal(d.items[0].line, 1);
	dataset_release(&ds);
	diag_clear(&d);
}

/* Writes a tar.gz by hand: entries (name, type, data); data NULL for a folder. */
static const char *handmade(const char *name, const char *const *names, const mode_t *types,
			    size_t n)
{
	static char path[256];
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_non_null(a);
	assert_non_null(e);
	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		archive_entry_clear(e);
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_filetype(e, types[i]);
		archive_entry_set_perm(e, 0644);
		if (types[i] == AE_IFLNK)
			archive_entry_set_symlink(e, "/etc/passwd");
		archive_entry_set_size(e, types[i] == AE_IFREG ? 2 : 0);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (types[i] == AE_IFREG)
			assert_int_equal(archive_write_data(a, "x\n", 2), 2);
	}
	archive_entry_free(e);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return path;
}

static void test_links_and_escapes(void **state)
{
	static const char *const link[] = { "mappa-2022-23/", "mappa-2022-23/observations.csv" };
	static const mode_t link_t[] = { AE_IFDIR, AE_IFLNK };
	static const char *const up[] = { "mappa-2022-23/", "mappa-2022-23/../../evil.csv" };
	static const char *const abs[] = { "/etc/cron.d/evil" };
	static const char *const two[] = { "mappa-2022-23/a.csv", "mappa-2021-22/b.csv" };
	static const char *const loose[] = { "observations.csv" };
	static const char *const dup[] = { "mappa-2022-23/a.csv", "mappa-2022-23/a.csv" };
	static const mode_t files2[] = { AE_IFREG, AE_IFREG };
	static const mode_t dir_file[] = { AE_IFDIR, AE_IFREG };
	static const mode_t fifo[] = { AE_IFIFO };
	static const char *const fifo_n[] = { "mappa-2022-23/pipe" };
	static const char *const esc[] = { "mappa-2022-23/", "mappa-2022-23/a\033[2Jb.txt" };
	static const char *const esc_top[] = { "mappa-2022-23\tb.txt" };
	(void)state;
	refused(handmade("link.tar.gz", link, link_t, 2), NULL, "H02", "not a plain file or folder");
	refused(handmade("up.tar.gz", up, dir_file, 2), NULL, "H02", "a name a bundle never holds");
	refused(handmade("abs.tar.gz", abs, files2, 1), NULL, "H02", "not inside one top folder");
	refused(handmade("two.tar.gz", two, files2, 2), NULL, "H02", "outside the top folder 'mappa-2022-23/'");
	refused(handmade("loose.tar.gz", loose, files2, 1), NULL, "H02", "not inside one top folder");
	refused(handmade("dup.tar.gz", dup, files2, 2), NULL, "H02", "given twice");
	refused(handmade("fifo.tar.gz", fifo_n, fifo, 1), NULL, "H02", "not a plain file or folder");
	refused(handmade("empty.tar.gz", NULL, NULL, 0), NULL, "H01", "empty");
	/* a name with a control character: C-quoted once, as every message quotes one, not also
	   put in single quotes (QA: '"mappa-2021-22/a\033[2Jb.txt"') */
	refused(handmade("esc.tar.gz", esc, dir_file, 2), NULL, "H02",
		"entry \"mappa-2022-23/a\\033[2Jb.txt\" has a name a bundle never holds");
	refused(handmade("esc-top.tar.gz", esc_top, files2, 1), NULL, "H02",
		"entry \"mappa-2022-23\\tb.txt\" is not inside one top folder");
}

/* Writes a zip with libzip (as Python's zipfile writes one, made by Unix): files named names
   (UTF-8 as given, a '\\' kept), each holding "x\n". */
static const char *zipmade(const char *name, const char *const *names, size_t n)
{
	static char path[256];
	int err = 0;
	zip_t *za;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(za);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *src = zip_source_buffer(za, "x\n", 2, 0);
		assert_non_null(src);
		assert_true(zip_file_add(za, names[i], src, ZIP_FL_ENC_UTF_8) >= 0);
		assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0), 0);
	}
	assert_int_equal(zip_close(za), 0);
	return path;
}

/* A zip entry is named as the archive holds it: a UTF-8 letter the locale cannot show was "an
   entry has no name", and a name with '\\' and no '/' was shown with '/' (libarchive turns one
   into the other), 'mappa-2021-22/../../evil' for 'mappa-2021-22\\..\\..\\evil' (QA) */
static void test_zip_names_as_held(void **state)
{
	static const char *const utf8[] = { "mappa-2022-23/README.txt", "mappa-2022-23/\303\251.txt" };
	static const char *const bs[] = { "mappa-2022-23/README.txt", "mappa-2022-23\\..\\..\\evil" };
	(void)state;
	refused(zipmade("utf8.zip", utf8, 2), NULL, "H02",
		"entry 'mappa-2022-23/\303\251.txt' has a name a bundle never holds");
	refused(zipmade("bs.zip", bs, 2), NULL, "H02",
		"entry \"mappa-2022-23\\\\..\\\\..\\\\evil\" is not inside one top folder");
}

static void test_not_a_bundle(void **state)
{
	struct bundle b;
	char path[300], cut[300];
	char *buf;
	size_t len;
	FILE *f;
	(void)state;

	snprintf(path, sizeof path, "%s/missing.tar.gz", dir);
	refused(path, NULL, "H01", "cannot read: No such file");
	/* a folder in the words of every reader of the project's files (xmlsafe_read_file) */
	refused(dir, NULL, "H01", "cannot read: Is a directory");

	snprintf(path, sizeof path, "%s/text.tar.gz", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("period,area_code\nthis is not an archive at all, only text\n", f);
	assert_int_equal(fclose(f), 0);
	refused(path, NULL, "H01", "");

	/* a good bundle cut short (at 1 KiB: the archive pads the compressed stream with zeros to
	 * 10 KiB, so cutting at half the file would only drop padding) */
	make(&b, "mappa-2022-23", NULL);
	assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
	snprintf(path, sizeof path, "%s", put(&b, BUNDLE_TAR_GZ, "whole.tar.gz"));
	bundle_release(&b);
	buf = slurp(path, &len);
	snprintf(cut, sizeof cut, "%s/cut.tar.gz", dir);
	f = fopen(cut, "wb");
	assert_non_null(f);
	assert_true(len > 1024);
	assert_int_equal(fwrite(buf, 1, 1024, f), 1024);
	assert_int_equal(fclose(f), 0);
	free(buf);
	refused(cut, NULL, "H01", "");
}

/*
 * A member that says it holds more than the bundle's budget is refused before it is read (QA: a
 * 9 MB .tar.gz whose one member declared 2 GiB of zeros took 305 MB of memory before its refusal,
 * and exit 70 under a memory limit); a file over the archive's own budget is not read at all.
 */
static void test_declared_too_big(void **state)
{
	static char zeros[1 << 16];
	struct archive *a = archive_write_new();
	struct archive_entry *ae = archive_entry_new();
	char path[300];
	la_int64_t size = HISTORY_MAX_UNPACKED + 1;
	(void)state;

	snprintf(path, sizeof path, "%s/declared.tar.gz", dir);
	assert_non_null(a);
	assert_non_null(ae);
	assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	archive_entry_set_pathname(ae, "mappa-2022-23/observations.csv");
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0644);
	archive_entry_set_size(ae, size);
	assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
	for (la_int64_t w = 0; w < size; w += (la_int64_t)sizeof zeros)
		assert_true(archive_write_data(a, zeros, size - w < (la_int64_t)sizeof zeros
						   ? (size_t)(size - w) : sizeof zeros) > 0);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_entry_free(ae);
	archive_write_free(a);
	refused(path, NULL, "H01", "says it holds 33554433 bytes: the files would unpack to more than");
}

/*
 * Damage anywhere: a valid bundle with one byte changed, at 300 places spread over the file
 * (a fixed sequence), is either refused with a diagnostic or, when only padding or a field no
 * reader uses was hit, read with exactly the published figures. Never anything in between.
 */
static void damaged_everywhere(enum bundle_format fmt, const char *name)
{
	struct bundle b;
	char path[300], bad[300];
	char *good;
	size_t len;
	unsigned long x = 12345;
	int refusals = 0;

	make(&b, "mappa-2022-23", NULL);
	assert_int_equal(bundle_add_manifest(&b, &nodiag), 0);
	snprintf(path, sizeof path, "%s", put(&b, fmt, name));
	bundle_release(&b);
	good = slurp(path, &len);
	snprintf(bad, sizeof bad, "%s/damaged", dir);
	for (int i = 0; i < 300; i++) {
		struct dataset ds;
		struct diag_list d = DIAG_LIST_INIT;
		size_t at;
		FILE *f;
		int r;

		x = x * 6364136223846793005UL + 1442695040888963407UL;
		at = (size_t)(x >> 33) % len;
		good[at] ^= (char)(1 + (x >> 20) % 255);
		f = fopen(bad, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(good, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
		good[at] ^= (char)(1 + (x >> 20) % 255);
		r = history_read(&ds, &defs, &areas, bad, "2022-23", &d);
		if (r == 0) {
			const struct obs *o = dataset_find(&ds, "K04000001",
							   (unsigned)defs_find(&defs, "eligible"), 1, 1);
			assert_int_equal(d.errors, 0);
			assert_int_equal(ds.nobs, 300);
			assert_non_null(o);
			assert_int_equal(o->value, 6694);
		} else {
			assert_int_equal(r, -1);
			assert_true(d.errors > 0);
			assert_int_equal(ds.nobs, 0);
			refusals++;
		}
		dataset_release(&ds);
		diag_clear(&d);
	}
	assert_true(refusals > 0);
	free(good);
}

static void test_damaged_everywhere(void **state)
{
	(void)state;
	damaged_everywhere(BUNDLE_TAR_GZ, "fuzz.tar.gz");
	damaged_everywhere(BUNDLE_ZIP, "fuzz.zip");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_targz),
		cmocka_unit_test(test_read_zip),
		cmocka_unit_test(test_other_period),
		cmocka_unit_test(test_changed_after_publication),
		cmocka_unit_test(test_odd_name_quoted_once),
		cmocka_unit_test(test_no_manifest),
		cmocka_unit_test(test_unlisted_file),
		cmocka_unit_test(test_bad_manifest_line),
		cmocka_unit_test(test_release_date_unreadable),
		cmocka_unit_test(test_series_shown),
		cmocka_unit_test(test_foreign_top_folder),
		cmocka_unit_test(test_no_observations),
		cmocka_unit_test(test_observations_other_period),
		cmocka_unit_test(test_bad_observations),
		cmocka_unit_test(test_links_and_escapes),
		cmocka_unit_test(test_zip_names_as_held),
		cmocka_unit_test(test_not_a_bundle),
		cmocka_unit_test(test_declared_too_big),
		cmocka_unit_test(test_damaged_everywhere),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
