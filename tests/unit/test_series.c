/*
 * Unit tests of the publication across years (series.h, publish_series.h): the earlier bundles
 * of a folder, written as mappa-publish writes them from the golden dataset, are read back;
 * a gap between them is [x]; the time series equal what the earlier bundles published; a
 * damaged bundle is refused and left as it was; a republished period gives revisions.csv and
 * [r]; series_known_published gives the earlier figures of the unrevised areas only (the data
 * of the combined audit), and series_load_earlier / series_known_earlier theirs for mappa-audit
 * --earlier; a link at a bundle's name is read only when it stays inside the folder; the
 * year-on-year warnings of a run fire on a jump.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "areas.h"
#include "bundle.h"
#include "dataset.h"
#include "defs.h"
#include "publish.h"
#include "publish_series.h"
#include "series.h"
#include "yoy.h"

#define GOLDEN_DS "tests/golden/publish/input.ds"
#define ELIGIBLE ((unsigned)dataset_stat_find(&defs, "eligible"))

static struct defs defs;
static struct areas areas;

/* publish_bundle that must succeed: 0 and no diagnostic at all. */
static void publish_ok(const struct dataset *ds, const struct publish_options *opt, struct bundle *b)
{
	struct diag_list d = DIAG_LIST_INIT;

	assert_int_equal(publish_bundle(ds, &defs, &areas, opt, b, &d), 0);
	assert_int_equal(d.count, 0);
	diag_clear(&d);
}
static struct dataset golden;
static char dir[] = "/tmp/mappa-test-series.XXXXXX";

static void empty_dir(void)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	while (dp && (e = readdir(dp)) != NULL) {
		char path[300];
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (dp)
		closedir(dp);
}

static int setup(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	if (defs_load_default(&defs, &d) || areas_load_default(&areas, &d))
		return -1;
	if (dataset_read_path(&golden, &defs, GOLDEN_DS, &d) != 0)
		return -1;
	if (!mkdtemp(dir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	empty_dir();
	dataset_release(&golden);
	xmlCleanupParser();
	return rmdir(dir);
}

static int each_setup(void **state)
{
	(void)state;
	empty_dir();
	return 0;
}

/* A deep copy of src (rows only; no superseded returns). */
static void copy_ds(struct dataset *dst, const struct dataset *src)
{
	*dst = *src;
	dst->superseded = NULL;
	dst->nsuperseded = dst->superseded_alloc = 0;
	dst->obs = malloc(src->nobs * sizeof *dst->obs);
	assert_non_null(dst->obs);
	memcpy(dst->obs, src->obs, src->nobs * sizeof *dst->obs);
	dst->obs_alloc = src->nobs;
}

/* The golden dataset as period p ("2021-22"). */
static void as_period(struct dataset *dst, const char *p)
{
	copy_ds(dst, &golden);
	snprintf(dst->period, sizeof dst->period, "%s", p);
}

/* Publishes ds into dir as mappa-PERIOD.tar.gz (with the series s, or none). */
static void publish_to_dir(const struct dataset *ds, const struct series *s)
{
	struct publish_options opt = { .series = s };
	struct bundle b;
	struct diag_list d = DIAG_LIST_INIT;
	char name[64];

	publish_release_init(&opt.release);
	publish_ok(ds, &opt, &b);
	snprintf(name, sizeof name, "mappa-%s.tar.gz", ds->period);
	assert_int_equal(bundle_write_atomic(&b, BUNDLE_TAR_GZ, dir, name, &d), 0);
	bundle_release(&b);
}

/* The rows of a known dataset that are figures of now's cells (not the earlier publication's
   own system, nor cells withheld again). */
static size_t count_plain(const struct dataset *k)
{
	size_t n = 0;
	for (size_t i = 0; i < k->nobs; i++)
		n += k->obs[i].area[0] != DATASET_EARLIER && k->obs[i].status == OBS_OK;
	return n;
}

/* The known rows of one area (not the earlier system's). */
static size_t count_plain_of(const struct dataset *k, const char *area)
{
	size_t n = 0;
	for (size_t i = 0; i < k->nobs; i++)
		n += strcmp(k->obs[i].area, area) == 0 && k->obs[i].status == OBS_OK;
	return n;
}

/* The rows of the earlier publication's own system for area (DATASET_EARLIER + area). */
static size_t count_earlier(const struct dataset *k, const char *area)
{
	size_t n = 0;
	for (size_t i = 0; i < k->nobs; i++)
		n += k->obs[i].area[0] == DATASET_EARLIER && strcmp(k->obs[i].area + 2, area) == 0;
	return n;
}

static struct obs *first_ok(struct dataset *ds, const char *area, unsigned stat, int cat, int level)
{
	struct obs *o;
	(void)stat;
	o = dataset_find(ds, area, (unsigned)dataset_stat_find(&defs, "eligible"), cat, level);
	assert_non_null(o);
	assert_int_equal(o->status, OBS_OK);
	return o;
}

/* The text of a bundle's file, NUL-terminated (caller frees), or NULL. */
static char *bundle_text(const struct bundle *b, const char *path)
{
	const struct bundle_file *f = bundle_find(b, path);
	char *s;
	if (!f)
		return NULL;
	s = malloc(f->len + 1);
	assert_non_null(s);
	memcpy(s, f->data, f->len);
	s[f->len] = '\0';
	return s;
}

static void no_history(void **state)
{
	struct series s;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_int_equal(series_load(&s, &defs, &areas, dir, "2022-23", &d), 0);
	assert_int_equal(s.nperiods, 0);
	assert_int_equal(s.republished, 0);
	assert_null(series_previous(&s));
	assert_int_equal(publish_series_active(&s), 0);
	series_release(&s);
	series_release(NULL);
	assert_int_equal(series_load(&s, &defs, &areas, "/nonexistent/mappa", "2022-23", &d), -2);
	series_release(&s);
	diag_clear(&d);
}

static void gap_is_x_and_series_equal_earlier(void **state)
{
	struct dataset p1, p3;
	struct series s;
	struct diag_list d = DIAG_LIST_INIT;
	struct bundle b;
	struct publish_options opt = { .series = NULL };
	char *csv, *html, *readme, line[200];
	(void)state;

	as_period(&p1, "2019-20");
	as_period(&p3, "2021-22");
	/* a figure of 2021-22 different from 2022-23's, to tell the columns apart */
	first_ok(&p3, p3.national_code, 0, 1, 1)->value += 1000;
	publish_to_dir(&p1, NULL);
	publish_to_dir(&p3, NULL);
	assert_int_equal(series_load(&s, &defs, &areas, dir, "2022-23", &d), 0);
	assert_int_equal(d.errors, 0);
	assert_int_equal(s.nperiods, 3);
	assert_string_equal(s.periods[0].period, "2019-20");
	assert_string_equal(s.periods[1].period, "2020-21");
	assert_string_equal(s.periods[2].period, "2021-22");
	assert_int_equal(s.periods[0].present, 1);
	assert_int_equal(s.periods[1].present, 0);
	assert_int_equal(s.periods[2].present, 1);
	assert_int_equal(s.republished, 0);
	assert_non_null(series_previous(&s));

	publish_release_init(&opt.release);
	opt.series = &s;
	publish_ok(&golden, &opt, &b);
	csv = bundle_text(&b, "tables/series-national-eligible.csv");
	assert_non_null(csv);
	assert_non_null(strstr(csv, "category,level,2019-20,2020-21,2021-22,2022-23\r\n"));
	{
		long long v = first_ok(&golden, golden.national_code, 0, 1, 1)->value;
		snprintf(line, sizeof line, "\n1,1,%lld,[x],%lld,%lld\r\n", v, v + 1000, v);
		assert_non_null(strstr(csv, line));
	}
	/* a cell that cannot exist stays [z] in every published period, [x] without a bundle */
	assert_non_null(strstr(csv, "\n3,1,[z],[x],[z],[z]\r\n"));
	assert_null(bundle_find(&b, "revisions.csv"));
	html = bundle_text(&b, "index.html");
	assert_non_null(strstr(html, "<h2 id=\"series\">Time series</h2>"));
	assert_non_null(strstr(html, "<svg"));
	readme = bundle_text(&b, "README.txt");
	assert_non_null(strstr(readme, "(2020-21: none, [x])"));
	free(csv);
	free(html);
	free(readme);
	html = bundle_text(&b, "areas/E23000001-london.html");
	assert_non_null(strstr(html, "<h2 id=\"previous\">2022/23 beside 2021/22</h2>"));
	free(html);
	bundle_release(&b);
	series_release(&s);
	dataset_release(&p1);
	dataset_release(&p3);
	diag_clear(&d);
}

static void damaged_bundle_refused_and_kept(void **state)
{
	struct series s;
	struct diag_list d = DIAG_LIST_INIT;
	char path[300];
	struct stat before, after;
	FILE *f;
	(void)state;
	snprintf(path, sizeof path, "%s/mappa-2021-22.tar.gz", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a bundle at all\n", f);
	fclose(f);
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(series_load(&s, &defs, &areas, dir, "2022-23", &d), -1);
	assert_true(d.errors > 0);
	assert_string_equal(d.items[0].rule, "H01");
	assert_int_equal(s.nperiods, 0);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_size, after.st_size);
	assert_int_equal(before.st_mtime, after.st_mtime);
	series_release(&s);
	diag_clear(&d);
}

/*
 * A symbolic link at a bundle's name: followed when it leads to a file inside the folder (the
 * layout of mappa-run's OUTDIR), refused (H01) when it leads out of it, and left as it was.
 */
static void links_inside_read_outside_refused(void **state)
{
	struct series s;
	struct diag_list d = DIAG_LIST_INIT;
	char sub[300], target[400], link[300], outside[] = "/tmp/mappa-test-series-out.XXXXXX", got[400];
	struct dataset p21;
	ssize_t n;
	(void)state;

	/* inside: dir/runs/mappa-2021-22.tar.gz, linked from dir/mappa-2021-22.tar.gz */
	as_period(&p21, "2021-22");
	publish_to_dir(&p21, NULL);
	snprintf(sub, sizeof sub, "%s/runs", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(target, sizeof target, "%s/mappa-2021-22.tar.gz", sub);
	snprintf(link, sizeof link, "%s/mappa-2021-22.tar.gz", dir);
	assert_int_equal(rename(link, target), 0);
	assert_int_equal(symlink("runs/mappa-2021-22.tar.gz", link), 0);
	assert_int_equal(series_load(&s, &defs, &areas, dir, "2022-23", &d), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(s.nperiods, 1);
	assert_int_equal(s.periods[0].present, 1);
	series_release(&s);

	/* outside: the same bundle moved out of the folder, the link naming it by an absolute path */
	assert_non_null(mkdtemp(outside));
	snprintf(sub, sizeof sub, "%s/mappa-2021-22.tar.gz", outside);
	assert_int_equal(rename(target, sub), 0);
	assert_int_equal(unlink(link), 0);
	assert_int_equal(symlink(sub, link), 0);
	assert_int_equal(series_load(&s, &defs, &areas, dir, "2022-23", &d), -1);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.items[0].rule, "H01");
	assert_non_null(strstr(d.items[0].message, "symbolic link that leads out of the history folder"));
	assert_int_equal(s.nperiods, 0);
	n = readlink(link, got, sizeof got - 1);
	assert_true(n > 0);
	got[n] = '\0';
	assert_string_equal(got, sub);
	/* a link that leads nowhere: a published period whose bundle is gone (its run folder
	   removed), refused with where it leads, never skipped (mappa-run removes what a killed
	   run leaves before it reads the history) */
	diag_clear(&d);
	assert_int_equal(unlink(sub), 0);
	assert_int_equal(rmdir(outside), 0);
	assert_int_equal(series_load(&s, &defs, &areas, dir, "2022-23", &d), -1);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.items[0].rule, "H01");
	assert_non_null(strstr(d.items[0].message, sub));
	assert_non_null(strstr(d.items[0].message, "which is not there"));
	assert_int_equal(s.nperiods, 0);
	series_release(&s);
	{
		char gone[400];
		assert_true(series_name_lost(link, dir, gone, sizeof gone));
		assert_string_equal(gone, sub);
		/* inside the folder: named relative to it, a '..' read by name */
		assert_int_equal(unlink(link), 0);
		assert_int_equal(symlink("runs/x/../gone/mappa-2021-22.tar.gz", link), 0);
		assert_true(series_name_lost(link, dir, gone, sizeof gone));
		assert_string_equal(gone, "runs/gone/mappa-2021-22.tar.gz");
		snprintf(got, sizeof got, "%s/runs/x", dir);
		assert_int_equal(mkdir(got, 0755), 0);
		assert_true(series_name_lost(link, dir, gone, sizeof gone));
		assert_string_equal(gone, "runs/gone/mappa-2021-22.tar.gz");
		assert_int_equal(rmdir(got), 0);
		assert_false(series_name_lost(dir, dir, gone, sizeof gone)); /* not a link */
	}
	diag_clear(&d);
	unlink(link);
	snprintf(sub, sizeof sub, "%s/runs", dir);
	rmdir(sub);
	dataset_release(&p21);
	diag_clear(&d);
}

/* Writes text to path (the run folder's record in the test below). */
static void put_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/*
 * A bundle in a run folder of mappa-run is the one the folder's record (RUN/bundle.sha256) names:
 * with no record it is read as before (a run folder written before the record was kept); with the
 * record naming it, read; with another SHA-256 in the record (a bundle put in its place, restored
 * from another backup: QA, its figures went into the next year's series), or a record damaged,
 * refused, H03. The bundle is left as it was.
 */
/* series_load of dir with the run folder's record rec holding text (as it is when NULL):
   refused with H03 saying phrase, nothing read */
static void record_refused(const char *rec, const char *text, const char *phrase)
{
	struct series s;
	struct diag_list d = DIAG_LIST_INIT;

	if (text)
		put_text(rec, text);
	assert_int_equal(series_load(&s, &defs, &areas, dir, "2022-23", &d), -1);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.items[0].rule, "H03");
	assert_non_null(strstr(d.items[0].message, phrase));
	assert_int_equal(s.nperiods, 0);
	series_release(&s);
	diag_clear(&d);
}

static void run_record_names_the_bundle(void **state)
{
	struct series s;
	struct diag_list d = DIAG_LIST_INIT;
	char runs[300], run[310], bdir[320], target[400], link[300], rec[400], hex[65], text[200];
	struct dataset p21;
	(void)state;

	as_period(&p21, "2021-22");
	publish_to_dir(&p21, NULL);
	snprintf(runs, sizeof runs, "%s/runs", dir);
	snprintf(run, sizeof run, "%s/R", runs);
	snprintf(bdir, sizeof bdir, "%s/bundle", run);
	snprintf(target, sizeof target, "%s/mappa-2021-22.tar.gz", bdir);
	snprintf(link, sizeof link, "%s/mappa-2021-22.tar.gz", dir);
	snprintf(rec, sizeof rec, "%s/bundle.sha256", run);
	assert_int_equal(mkdir(runs, 0755), 0);
	assert_int_equal(mkdir(run, 0755), 0);
	assert_int_equal(mkdir(bdir, 0755), 0);
	assert_int_equal(rename(link, target), 0);
	assert_int_equal(symlink("runs/R/bundle/mappa-2021-22.tar.gz", link), 0);
	assert_int_equal(bundle_sha256_file(AT_FDCWD, target, HISTORY_MAX_BYTES, hex), 0);

	/* no record: read */
	assert_int_equal(series_load(&s, &defs, &areas, dir, "2022-23", &d), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(s.periods[0].present, 1);
	series_release(&s);
	/* the record names it: read, as series_load_earlier reads it too */
	snprintf(text, sizeof text, "%s  bundle/mappa-2021-22.tar.gz\n", hex);
	put_text(rec, text);
	assert_int_equal(series_load(&s, &defs, &areas, dir, "2022-23", &d), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(s.periods[0].present, 1);
	series_release(&s);
	assert_int_equal(series_load_earlier(&s, &defs, &areas, target, "2021-22", &d), 0);
	assert_int_equal(d.count, 0);
	series_release(&s);
	/* another bundle's SHA-256: refused, naming the record; by series_load_earlier too (QA: a
	   bundle put in place of an earlier publication of the period was solved with as that
	   one) */
	text[0] = text[0] == '0' ? '1' : '0';
	put_text(rec, text);
	assert_int_equal(series_load(&s, &defs, &areas, dir, "2022-23", &d), -1);
	assert_string_equal(d.items[0].file, link);
	series_release(&s);
	diag_clear(&d);
	record_refused(rec, NULL, "this is not the bundle its run published");
	record_refused(rec, NULL, "bundle.sha256");
	assert_int_equal(series_load_earlier(&s, &defs, &areas, target, "2021-22", &d), -1);
	assert_string_equal(d.items[0].rule, "H03");
	assert_non_null(strstr(d.items[0].message, "this is not the bundle its run published"));
	series_release(&s);
	diag_clear(&d);
	/* a record that is damaged, or names another file: refused */
	record_refused(rec, "not a line of sha256sum\n", "is damaged");
	snprintf(text, sizeof text, "%s  bundle/mappa-2020-21.tar.gz\n", hex);
	record_refused(rec, text, "does not name this bundle");
	/* its line with a CR (edited elsewhere): damaged, not read as another name */
	snprintf(text, sizeof text, "%s  bundle/mappa-2021-22.tar.gz\r\n", hex);
	record_refused(rec, text, "is damaged");
	/* a right line with a wrong one beside it, either order; two lines for it that disagree:
	   damaged (QA: the right line won, and of two the last) */
	snprintf(text, sizeof text, "%s  bundle/mappa-2021-22.tar.gz\ngarbage\n", hex);
	record_refused(rec, text, "is damaged");
	snprintf(text, sizeof text, "%064d  bundle/mappa-2021-22.tar.gz\n%s  bundle/mappa-2021-22.tar.gz\n",
		 0, hex);
	record_refused(rec, text, "is damaged");
	/* a FIFO in its place: refused at once, never waited on */
	assert_int_equal(unlink(rec), 0);
	assert_int_equal(mkfifo(rec, 0600), 0);
	record_refused(rec, NULL, "not a regular file");
	/* the bundle left as it was */
	{
		char again[65];
		assert_int_equal(bundle_sha256_file(AT_FDCWD, target, HISTORY_MAX_BYTES, again), 0);
		assert_string_equal(again, hex);
	}
	unlink(link);
	unlink(target);
	unlink(rec);
	rmdir(bdir);
	rmdir(run);
	rmdir(runs);
	dataset_release(&p21);
}

/*
 * For mappa-audit --earlier: the earlier bundle read with series_load_earlier; the known figures
 * from the true values equal series_known_published's; from the published figures alone, a
 * figure published then and withheld now may have changed, so its area is not taken as
 * unchanged (a sweep: the audit of the bundles alone assumed London's earlier 7 for a figure
 * now 1), and a change of a figure published in both is seen; another period's bundle is
 * refused (H04); two earlier publications together are one set of figures.
 */
static void earlier_for_the_audit(void **state)
{
	struct series s, s2;
	struct diag_list d = DIAG_LIST_INIT;
	struct dataset now, pub, k_true, k_pub, k_run, more;
	char path[300], ar[AREA_CODE_MAX] = "", other[AREA_CODE_MAX];
	struct obs *o = NULL;
	int cat = 0, lev = 0;
	(void)state;

	publish_to_dir(&golden, NULL);
	snprintf(path, sizeof path, "%s/mappa-2022-23.tar.gz", dir);
	assert_int_equal(series_load_earlier(&s, &defs, &areas, path, "2022-23", &d), 0);
	assert_int_equal(s.republished, 1);
	assert_int_equal(d.count, 0);
	/* an area's figures: one published inner cell changes and is suppressed now */
	copy_ds(&now, &golden);
	for (size_t i = 0; i < now.nobs && !o; i++) {
		struct obs *c = &now.obs[i], *t;
		if (strcmp(c->area, now.national_code) == 0 || c->status != OBS_OK || c->stat != ELIGIBLE ||
		    c->value <= 2 || c->category < 1 || c->category > 3 || c->level < 1 || c->level > 3)
			continue;
		t = dataset_find(&now, c->area, ELIGIBLE, c->category, LEVEL_ALL);
		if (t && t->status == OBS_OK)
			o = c;
	}
	assert_non_null(o);
	if (!o) { /* (assert_non_null has stopped already; gcc and clang-tidy do not know it) */
		dataset_release(&now);
		series_release(&s);
		return;
	}
	snprintf(ar, sizeof ar, "%s", o->area);
	cat = o->category;
	lev = o->level;
	snprintf(other, sizeof other, "%s", strcmp(ar, "E23000002") == 0 ? "E23000001" : "E23000002");
	assert_non_null(dataset_find(&golden, other, ELIGIBLE, 1, LEVEL_ALL));
	o->value += 1;
	o->status = OBS_SECONDARY;
	assert_int_equal(series_known_earlier(&s, &now, &defs, 1, &k_true), 0);
	assert_int_equal(series_known_published(&s, &now, &defs, &k_run), 0);
	assert_int_equal(k_true.nobs, k_run.nobs);
	assert_null(dataset_find(&k_true, ar, ELIGIBLE, cat, lev));
	assert_non_null(dataset_find(&k_true, other, ELIGIBLE, 1, LEVEL_ALL));
	/* the changed area's and the nation's earlier figures, as a system of their own; the
	   unchanged areas' are shared */
	assert_true(count_earlier(&k_true, ar) > 0);
	assert_true(count_earlier(&k_true, now.national_code) > 0);
	assert_int_equal(count_earlier(&k_true, other), 0);
	/* what a reader sees of now: the suppressed value is not there to compare */
	copy_ds(&pub, &now);
	for (size_t i = 0; i < pub.nobs; i++)
		if (pub.obs[i].status != OBS_OK)
			pub.obs[i].value = 0;
	assert_int_equal(series_known_earlier(&s, &pub, &defs, 0, &k_pub), 0);
	assert_true(count_plain(&k_pub) > 0);
	/* the suppression takes no national figure as known (withheld now, no reader knows that
	   it did not change: QA, a count moved between two areas was refused); the audit of what
	   is published knows one published again with its value. The areas' known figures: what
	   the suppression took as known holds every one the bundle shows */
	assert_int_equal(count_plain_of(&k_true, now.national_code), 0);
	assert_true(count_plain_of(&k_pub, now.national_code) > 0);
	assert_true(count_plain(&k_pub) - count_plain_of(&k_pub, now.national_code) <=
		    count_plain(&k_true));
	assert_null(dataset_find(&k_pub, ar, ELIGIBLE, cat, lev));
	assert_non_null(dataset_find(&k_pub, other, ELIGIBLE, 1, LEVEL_ALL));
	assert_true(count_earlier(&k_pub, ar) > 0); /* a system of its own */
	/* two earlier publications: the union, each figure once */
	assert_int_equal(series_load_earlier(&s2, &defs, &areas, path, "2022-23", &d), 0);
	assert_int_equal(series_known_earlier(&s2, &now, &defs, 1, &more), 0);
	assert_int_equal(more.nobs, k_true.nobs);
	assert_int_equal(series_known_merge(&more, &k_pub), 0);
	assert_int_equal(count_plain(&more),
			 count_plain(&k_true) + count_plain_of(&k_pub, now.national_code));
	assert_null(dataset_find(&more, ar, ELIGIBLE, cat, lev));
	for (size_t i = 1; i < more.nobs; i++) {
		const struct obs *x = &more.obs[i - 1], *y = &more.obs[i];
		assert_false(strcmp(x->area, y->area) == 0 && x->stat == y->stat &&
			     x->category == y->category && x->level == y->level);
	}
	series_release(&s2);
	dataset_release(&k_pub);
	/* a change both publications show with a value: the area is revised */
	o = dataset_find(&pub, ar, ELIGIBLE, cat, LEVEL_ALL);
	assert_non_null(o);
	assert_int_equal(o->status, OBS_OK);
	o->value += 1;
	assert_int_equal(series_known_earlier(&s, &pub, &defs, 0, &k_pub), 0);
	assert_null(dataset_find(&k_pub, ar, ELIGIBLE, cat, lev));
	assert_non_null(dataset_find(&k_pub, other, ELIGIBLE, 1, LEVEL_ALL));
	/* another period */
	assert_int_equal(series_load_earlier(&s2, &defs, &areas, path, "2021-22", &d), -1);
	assert_true(d.errors > 0);
	assert_string_equal(d.items[d.count - 1].rule, "H04");
	series_release(&s2);
	diag_clear(&d);
	/* a file that is not there */
	snprintf(path, sizeof path, "%s/no-such.tar.gz", dir);
	assert_int_equal(series_load_earlier(&s2, &defs, &areas, path, "2022-23", &d), -2);
	series_release(&s2);
	dataset_release(&more);
	dataset_release(&k_pub);
	dataset_release(&k_true);
	dataset_release(&k_run);
	dataset_release(&pub);
	dataset_release(&now);
	series_release(&s);
	diag_clear(&d);
}

static void revision_gives_revisions_csv_and_r(void **state)
{
	struct dataset now, known;
	struct series s;
	struct diag_list d = DIAG_LIST_INIT;
	struct bundle b;
	struct publish_options opt = { .series = NULL };
	char *rev, *table, areas_buf[400];
	struct obs *o;
	long long old, cumbria;
	(void)state;

	publish_to_dir(&golden, NULL);
	copy_ds(&now, &golden);
	o = first_ok(&now, "E23000001", 0, 1, 1);
	old = o->value;
	o->value += 5;
	first_ok(&now, now.national_code, 0, 1, 1)->value += 5;
	assert_int_equal(series_load(&s, &defs, &areas, dir, "2022-23", &d), 0);
	assert_int_equal(s.republished, 1);
	assert_int_equal(s.nperiods, 0);
	assert_int_equal(series_area_revised(&s, &now, &defs, "E23000001"), 1);
	assert_int_equal(series_area_revised(&s, &now, &defs, "E23000002"), 0);
	assert_int_equal(series_area_revised(&s, &now, &defs, now.national_code), 1);
	assert_int_equal(publish_series_revised_areas(&s, &now, 0, &defs, areas_buf, sizeof areas_buf), 1);
	assert_string_equal(areas_buf, "London (E23000001)");
	/* a published figure changed: a reader of both bundles sees it too */
	assert_int_equal(series_area_shown_revised(&s, &now, &defs, "E23000001"), 1);
	assert_int_equal(series_area_shown_revised(&s, &now, &defs, "E23000002"), 0);
	assert_int_equal(publish_series_revised_areas(&s, &now, 1, &defs, areas_buf, sizeof areas_buf), 1);
	assert_string_equal(areas_buf, "London (E23000001)");
	/* what it shows differs from the bundle revised; that bundle's own figures do not (the
	   golden dataset lacks rows the bundle has: tests/e2e/test_series.sh runs the same
	   returns again) */
	assert_int_equal(series_shown_changed(&s, &now), 1);
	assert_int_equal(series_shown_changed(&s, &s.before.ds), 0);
	/* the release date its README.txt gives (publish's default for 2022-23), against a
	   revision's: the same day 1, before 2, after 0, none 0 */
	assert_string_equal(s.before.about.release, "2023-10-26");
	assert_int_equal(series_release_stale(&s, "2023-10-26"), 1);
	assert_int_equal(series_release_stale(&s, "2023-10-25"), 2);
	assert_int_equal(series_release_stale(&s, "2023-10-27"), 0);
	assert_int_equal(series_release_stale(&s, NULL), 0);
	assert_int_equal(series_release_stale(NULL, "2023-10-26"), 0);

	/* item 5: what a reader who kept the first bundle knows and still holds */
	assert_int_equal(series_known_published(&s, &now, &defs, &known), 0);
	assert_true(known.nobs > 0);
	assert_null(dataset_find(&known, "E23000001", ELIGIBLE, 1, 1));
	assert_null(dataset_find(&known, known.national_code, ELIGIBLE, 1, 1));
	for (size_t i = 0; i < known.nobs; i++) {
		const struct obs *k = &known.obs[i], *g;
		if (k->area[0] == DATASET_EARLIER) {
			/* the earlier system: London's and the nation's figures as published */
			assert_true(strcmp(k->area + 2, "E23000001") == 0 ||
				    strcmp(k->area + 2, known.national_code) == 0);
			g = dataset_find(&golden, k->area + 2, k->stat, k->category, k->level);
			if (k->status == OBS_NA)
				continue; /* [z]: a cell the tables do not have */
			assert_non_null(g);
			if (k->status == OBS_OK)
				assert_true(g->status == OBS_OK && g->value == k->value);
			else { /* withheld then, or a row it does not show (an area's total over
				  categories 1-4): unknown, taken as protected */
				assert_int_equal(k->status, OBS_PRIMARY);
				assert_true(k->value == -1);
			}
			continue;
		}
		g = dataset_find(&golden, k->area, k->stat, k->category, k->level);
		assert_string_not_equal(k->area, "E23000001");
		assert_int_equal(k->status, OBS_OK);
		assert_non_null(g);
		assert_int_equal(g->status, OBS_OK);
		assert_true(g->value == k->value);
	}
	{
		/* every figure E23000002 (not revised) published is known */
		size_t n = 0;
		for (size_t i = 0; i < golden.nobs; i++) {
			const struct obs *g = &golden.obs[i], *k;
			if (strcmp(g->area, "E23000002") != 0 || g->status != OBS_OK || g->category == 4 ||
			    g->category == CAT_ALL)
				continue;
			k = dataset_find(&known, g->area, g->stat, g->category, g->level);
			assert_non_null(k);
			assert_true(k->value == g->value);
			n++;
		}
		assert_true(n > 0);
	}
	dataset_release(&known);

	publish_release_init(&opt.release);
	opt.series = &s;
	publish_ok(&now, &opt, &b);
	rev = bundle_text(&b, "revisions.csv");
	assert_non_null(rev);
	assert_non_null(strstr(rev, PUBLISH_SERIES_REVISIONS_HEADER "\r\n"));
	{
		char line[200];
		snprintf(line, sizeof line, "E23000001,London,eligible,1,1,%lld,%lld\r\n", old, old + 5);
		assert_non_null(strstr(rev, line));
	}
	table = bundle_text(&b, "tables/areas-eligible.csv");
	assert_non_null(table);
	{
		char cell[40];
		snprintf(cell, sizeof cell, ",%lld [r],", old + 5);
		assert_non_null(strstr(table, cell));
	}
	free(table);
	table = bundle_text(&b, "README.txt");
	assert_non_null(strstr(table, "\nRevisions\n---------\n"));
	assert_non_null(strstr(table, "London (E23000001)"));
	free(table);
	/* the observations in long form keep their format: no [r] there */
	table = bundle_text(&b, "observations.csv");
	assert_null(strstr(table, "[r]"));
	free(table);
	free(rev);
	bundle_release(&b);

	/* the revised bundle published, then the same figures again (the next night's run): the
	   revision is carried, compared with the first publication */
	/* ... where an unrevised area's figure (Cumbria's category 1 at level 1) is withheld
	   this time */
	o = first_ok(&now, "E23000002", 0, 1, 1);
	cumbria = o->value;
	o->status = OBS_SECONDARY;
	publish_to_dir(&now, &s);
	{
		struct series s2;
		char line[200];
		const struct obs *k;
		assert_int_equal(series_load(&s2, &defs, &areas, dir, "2022-23", &d), 0);
		assert_true(s2.ncarried > 0);
		assert_non_null(series_first_published(&s2, "E23000002", ELIGIBLE, 1, 1));
		assert_int_equal(series_area_revised(&s2, &now, &defs, "E23000001"), 1);
		assert_int_equal(series_area_revised(&s2, &now, &defs, "E23000002"), 0);
		{
			/* the same bundle as mappa-audit --earlier reads it (the file read once, the
			   archive from those bytes): the same revisions carried */
			struct series s3;
			char path[300];
			snprintf(path, sizeof path, "%s/mappa-2022-23.tar.gz", dir);
			assert_int_equal(series_load_earlier(&s3, &defs, &areas, path, "2022-23", &d), 0);
			assert_int_equal(s3.republished, 1);
			assert_int_equal(s3.ncarried, s2.ncarried);
			assert_non_null(series_first_published(&s3, "E23000002", ELIGIBLE, 1, 1));
			series_release(&s3);
		}
		/* a reader who kept the first publication knows that figure: it is in the known
		   figures although the bundle being revised withheld it */
		assert_int_equal(series_known_published(&s2, &now, &defs, &known), 0);
		k = dataset_find(&known, "E23000002", ELIGIBLE, 1, 1);
		assert_non_null(k);
		assert_true(k->value == cumbria);
		/* nothing changed since the bundle being revised: its pattern is kept whole, every
		   figure it published known (London's revised one too), every cell it withheld
		   withheld again, and no earlier system */
		k = dataset_find(&known, "E23000001", ELIGIBLE, 1, 1);
		assert_non_null(k);
		assert_int_equal(k->status, OBS_OK);
		assert_true(k->value == old + 5);
		assert_int_equal(count_earlier(&known, "E23000001"), 0);
		for (size_t i = 0; i < now.nobs; i++) {
			const struct obs *x = &now.obs[i];
			int national = strcmp(x->area, now.national_code) == 0;
			/* a row no table shows (the nation's total over categories 1-3, an area's
			   over 1-4) is in no publication */
			if ((national && x->category == CAT_1_3) || (!national && x->category == CAT_ALL))
				continue;
			if (x->status == OBS_SECONDARY || x->status == OBS_PRIMARY) {
				k = dataset_find(&known, x->area, x->stat, x->category, x->level);
				assert_non_null(k);
				/* withheld again, or known from the first publication (Cumbria's) */
				assert_true(k->status == OBS_SECONDARY ||
					    (k->status == OBS_OK && k->value == x->value));
			}
		}
		dataset_release(&known);
		opt.series = &s2;
		publish_ok(&now, &opt, &b);
		rev = bundle_text(&b, "revisions.csv");
		assert_non_null(rev);
		snprintf(line, sizeof line, "E23000001,London,eligible,1,1,%lld,%lld\r\n", old, old + 5);
		assert_non_null(strstr(rev, line));
		free(rev);
		bundle_release(&b);
		series_release(&s2);
		opt.series = &s;
	}

	/* the same figures again: no revision, the same bundle as the first publication */
	publish_ok(&golden, &opt, &b);
	assert_null(bundle_find(&b, "revisions.csv"));
	table = bundle_text(&b, "tables/areas-eligible.csv");
	assert_null(strstr(table, "[r]"));
	free(table);
	bundle_release(&b);
	series_release(&s);
	dataset_release(&now);
	diag_clear(&d);
}

static void yoy_warns_on_a_jump(void **state)
{
	struct dataset prev, now;
	struct series s;
	struct diag_list d = DIAG_LIST_INIT, w = DIAG_LIST_INIT;
	struct yoy_limits lim;
	(void)state;

	as_period(&prev, "2021-22");
	publish_to_dir(&prev, NULL);
	assert_int_equal(series_load(&s, &defs, &areas, dir, "2022-23", &d), 0);
	yoy_limits_default(&lim);
	assert_int_equal(series_yoy(&s, &golden, &defs, &lim, NULL, 0, &w), 0);
	copy_ds(&now, &golden);
	first_ok(&now, "E23000001", 0, 2, 1)->value *= 10;
	assert_int_equal(series_yoy(&s, &now, &defs, &lim, NULL, 0, &w), 1);
	assert_string_equal(w.items[0].rule, "Y01");
	assert_int_equal(w.items[0].severity, DIAG_WARNING);
	assert_int_equal(w.errors, 0);
	assert_non_null(strstr(w.items[0].file, "E23000001"));
	assert_int_equal(w.items[0].line, 0);
	{
		/* with the run's return: the warning at the line of the figure in it, named as it */
		struct area_return *ret = calloc(1, sizeof *ret);
		struct series_return used[2];
		struct dataset_area *a;
		struct diag_list w2 = DIAG_LIST_INIT;
		size_t ai = 0;
		assert_non_null(ret);
		/* (an index, not a pointer left NULL when the area is missing: clang-tidy does not
		   know that the assertion ends the test) */
		while (ai < now.nareas && strcmp(now.areas[ai].code, "E23000001") != 0)
			ai++;
		assert_true(ai < now.nareas);
		a = &now.areas[ai];
		snprintf(a->source, sizeof a->source, "inbox-london-r%ld.xml", a->revision);
		snprintf(ret->area_code, sizeof ret->area_code, "E23000001");
		snprintf(ret->period, sizeof ret->period, "%s", now.period);
		ret->revision = a->revision;
		for (size_t ti = 0; ti < defs.ntables; ti++)
			for (int cat = 0; cat <= 4; cat++)
				for (int lev = 0; lev <= 3; lev++) {
					const struct obs *o = dataset_find(&now, "E23000001", (unsigned)ti, cat, lev);
					if (!o || !defs_has_cell(&defs.tables[ti], cat, lev))
						continue;
					ret->cells[ti][cat][lev].value = o->value;
					ret->cells[ti][cat][lev].present = 1;
					ret->cells[ti][cat][lev].line =
						(long)(100 + ti * 20) + (long)cat * 4 + lev;
				}
		/* another return of the same area (an older revision) is not the one used */
		used[0] = (struct series_return){ ret, "inbox-london-r0.xml" };
		used[1] = (struct series_return){ ret, a->source };
		assert_int_equal(series_yoy(&s, &now, &defs, &lim, used, 2, &w2), 1);
		assert_string_equal(w2.items[0].rule, "Y01");
		assert_string_equal(w2.items[0].file, a->source);
		assert_int_equal(w2.items[0].line, 100 + ELIGIBLE * 20 + 2 * 4 + 1);
		diag_clear(&w2);
		free(ret);
	}
	series_release(&s);
	dataset_release(&now);
	dataset_release(&prev);
	diag_clear(&d);
	diag_clear(&w);
}

/*
 * The folder rules of a revision (series_renamed_bundle, series_other_bundle) and what it needs
 * to be audited (series_revision_known): a bundle of the period under another name is found, in
 * any case of its extension, and the bundle's own names and other periods are not; a dataset
 * shown otherwise than a bundle without its true values is refused (P09), the same one again
 * is not.
 */
static void revision_folder_rules(void **state)
{
	struct series s;
	struct diag_list d = DIAG_LIST_INIT;
	struct dataset now, known;
	char found[300], path[300], sub[300];
	FILE *f;
	(void)state;

	publish_to_dir(&golden, NULL);
	assert_int_equal(series_renamed_bundle(dir, "2022-23", found, sizeof found), 0);
	static const char *const renamed[] = { "mappa-2022-23-old.tar.gz", "copy of mappa-2022-23.ZIP",
					       "MAPPA-2022-23.tgz" };
	for (size_t i = 0; i < sizeof renamed / sizeof *renamed; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, renamed[i]);
		assert_non_null(f = fopen(path, "w"));
		if (f)
			fclose(f);
		assert_int_equal(series_renamed_bundle(dir, "2022-23", found, sizeof found), 1);
		assert_string_equal(found, renamed[i]);
		assert_int_equal(series_renamed_bundle(dir, "2021-22", found, sizeof found), 0);
		unlink(path);
	}
	/* the period alone in the name of a file that is no archive (QA round 3: refused) */
	snprintf(path, sizeof path, "%s/police-budget-2022-23.zip", dir);
	assert_non_null(f = fopen(path, "w"));
	if (f)
		fclose(f);
	assert_int_equal(series_renamed_bundle(dir, "2022-23", found, sizeof found), 0);
	unlink(path);
	snprintf(path, sizeof path, "%s/mappa-2022-23.txt", dir);
	assert_non_null(f = fopen(path, "w"));
	if (f)
		fclose(f);
	assert_int_equal(series_renamed_bundle(dir, "2022-23", found, sizeof found), 0);
	unlink(path);
	assert_int_equal(series_renamed_bundle("/nonexistent-folder", "2022-23", found, sizeof found), 0);
	/* a folder or a FIFO so named holds no publication (QA round 2: refused); a link to the
	   bundle, or a copy under a name without the period, is one */
	snprintf(path, sizeof path, "%s/old-2022-23.zip", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(sub, sizeof sub, "%s/fifo-2022-23.tar.gz", dir);
	assert_int_equal(mkfifo(sub, 0600), 0);
	assert_int_equal(series_renamed_bundle(dir, "2022-23", found, sizeof found), 0);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(unlink(sub), 0);
	snprintf(path, sizeof path, "%s/link-2022-23.tar.gz", dir);
	assert_int_equal(symlink("mappa-2022-23.tar.gz", path), 0);
	assert_int_equal(series_renamed_bundle(dir, "2022-23", found, sizeof found), 1);
	assert_string_equal(found, "link-2022-23.tar.gz");
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof path, "%s/mappa-2022-23.tar.gz", dir);
	snprintf(sub, sizeof sub, "%s/previous.tar.gz", dir);
	assert_int_equal(link(path, sub), 0);
	assert_int_equal(series_renamed_bundle(dir, "2022-23", found, sizeof found), 1);
	assert_string_equal(found, "previous.tar.gz");
	assert_int_equal(series_renamed_bundle(dir, "2021-22", found, sizeof found), 0);
	assert_int_equal(unlink(sub), 0);
	/* another period's bundle under its own name is series_load's */
	snprintf(sub, sizeof sub, "%s/mappa-2021-22.tar.gz", dir);
	assert_int_equal(link(path, sub), 0);
	assert_int_equal(series_renamed_bundle(dir, "2022-23", found, sizeof found), 0);
	assert_int_equal(unlink(sub), 0);

	/* the period's bundle in dir, the history folder elsewhere */
	snprintf(sub, sizeof sub, "%s/h", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(series_other_bundle(dir, sub, "2022-23", path, sizeof path), 1);
	assert_non_null(strstr(path, "/mappa-2022-23.tar.gz"));
	assert_int_equal(series_other_bundle(dir, dir, "2022-23", path, sizeof path), 0);
	assert_int_equal(series_other_bundle(dir, sub, "2021-22", path, sizeof path), 0);
	assert_int_equal(rmdir(sub), 0);

	/* a bundle copied alone (no run folder): the same figures again pass, a change is refused */
	snprintf(path, sizeof path, "%s/mappa-2022-23.tar.gz", dir);
	assert_int_equal(series_load_earlier(&s, &defs, &areas, path, "2022-23", &d), 0);
	/* (the golden dataset lacks rows the bundle shows as [z]: the same publication again) */
	assert_int_equal(series_revision_known(&s, &golden, &defs, path, "now.obs", &known, &d), 0);
	assert_int_equal(d.count, 0);
	assert_true(known.nobs > 0);
	dataset_release(&known);
	copy_ds(&now, &golden);
	for (size_t i = 0; i < now.nobs; i++)
		if (now.obs[i].status == OBS_OK && now.obs[i].stat == ELIGIBLE &&
		    strcmp(now.obs[i].area, now.national_code) != 0) {
			now.obs[i].value += 1;
			break;
		}
	assert_int_equal(series_revision_known(&s, &now, &defs, path, "now.obs", &known, &d), -1);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].rule, "P09");
	assert_string_equal(d.items[0].file, "now.obs");
	assert_non_null(strstr(d.items[0].message, "whose true values are not at hand"));
	dataset_release(&known);
	dataset_release(&now);
	series_release(&s);
	diag_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(no_history, each_setup),
		cmocka_unit_test_setup(gap_is_x_and_series_equal_earlier, each_setup),
		cmocka_unit_test_setup(damaged_bundle_refused_and_kept, each_setup),
		cmocka_unit_test_setup(run_record_names_the_bundle, each_setup),
		cmocka_unit_test_setup(links_inside_read_outside_refused, each_setup),
		cmocka_unit_test_setup(earlier_for_the_audit, each_setup),
		cmocka_unit_test_setup(revision_gives_revisions_csv_and_r, each_setup),
		cmocka_unit_test_setup(yoy_warns_on_a_jump, each_setup),
		cmocka_unit_test_setup(revision_folder_rules, each_setup),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
