/*
 * The run module (etl/lib/run.c): sha256sum lines for hostile names, HTML escaping, and
 * run_execute on small inboxes in a fresh temporary folder: every odd entry accounted for, a
 * lock that is a symbolic link refused with its target untouched, INBOX = OUTDIR refused, a
 * folder at latest refused, an inbox with no valid return kept as a report and a status, a
 * suppression that fails reported as failed, release dates against the period refused before
 * the suppression and a publish that fails naming its rule;
 * run_history_load reporting only through diag (H01 of the folder with its errno, a refused
 * bundle's own diagnostics without one).
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sysexits.h>
#include <unistd.h>

#include <cmocka.h>

#include "areas.h"
#include "defs.h"
#include "diag.h"
#include "protect.h"
#include "run.h"
#include "run_history.h"
#include "strbuf.h"

static struct defs defs;
static struct areas areas;
static char top[256];

static char *text(struct strbuf *sb)
{
	size_t len;
	strbuf_puts(sb, "");
	return strbuf_detach(sb, &len);
}

static void test_sha256_line(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *got;
	(void)state;
	run_sha256_line(&sb, "ab", "plain name.xml");
	run_sha256_line(&sb, "cd", "a\nb\\c.xml");
	run_sha256_line(&sb, "ef", "tab\there.xml");
	run_sha256_line(&sb, "01", "E9\rE23000099-FORGED.xml"); /* a CR: sha256sum's \r (QA) */
	got = text(&sb);
	assert_string_equal(got, "ab  plain name.xml\n\\cd  a\\nb\\\\c.xml\nef  tab\there.xml\n"
				 "\\01  E9\\rE23000099-FORGED.xml\n");
	free(got);
}

static void test_html_escape(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *got;
	(void)state;
	run_html_escape(&sb, "broken & <old> \"x\" 'y'.xml");
	got = text(&sb);
	assert_string_equal(got, "broken &amp; &lt;old&gt; &quot;x&quot; &#39;y&#39;.xml");
	free(got);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc((size_t)n + 1, 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void put(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(s, f);
	assert_int_equal(fclose(f), 0);
}

static void path(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", top, rel);
}

/* An inbox of odd entries only: nothing valid, 65, and each entry named in the report. */
static void test_odd_inbox(void **state)
{
	char in[512], out[512], p[600], q[600];
	struct run_options o;
	struct run_result res;
	char *report, *status;
	(void)state;
	path(in, sizeof in, "odd-in");
	path(out, sizeof out, "odd-out");
	assert_int_equal(mkdir(in, 0755), 0);
	snprintf(p, sizeof p, "%s/not xml.xml", in);
	put(p, "hello\n");
	snprintf(p, sizeof p, "%s/.hidden", in);
	put(p, "x");
	snprintf(p, sizeof p, "%s/sub", in);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/pipe", in);
	assert_int_equal(mkfifo(p, 0644), 0);
	snprintf(p, sizeof p, "%s/link.xml", in);
	assert_int_equal(symlink("/etc/passwd", p), 0);

	run_options_init(&o);
	o.inbox = in;
	o.outdir = out;
	o.min_free_kb = 0;
	assert_int_equal(run_execute(&o, &defs, &areas, &res), EX_DATAERR);
	assert_non_null(strstr(res.message, "no valid return"));
	assert_non_null(res.report_path);
	report = slurp(res.report_path);
	assert_non_null(report);
	assert_non_null(strstr(report, "  not xml.xml: invalid\n"));
	assert_non_null(strstr(report, "  .hidden: a dot file"));
	assert_non_null(strstr(report, "  sub: a folder"));
	assert_non_null(strstr(report, "  pipe: a FIFO"));
	assert_non_null(strstr(report, "  link.xml: a symbolic link"));
	assert_null(strstr(report, "root:")); /* the link was not followed */
	snprintf(q, sizeof q, "%s/status", res.run_dir);
	status = slurp(q);
	assert_non_null(status);
	assert_string_equal(status, "status 65\n");
	snprintf(q, sizeof q, "%s/latest", out);
	assert_int_equal(access(q, F_OK), -1); /* nothing published */
	free(report);
	free(status);
	run_result_release(&res);
}

static void test_lock_symlink(void **state)
{
	char in[512], out[512], p[600], target[600];
	struct run_options o;
	struct run_result res;
	char *kept;
	(void)state;
	path(in, sizeof in, "lock-in");
	path(out, sizeof out, "lock-out");
	path(target, sizeof target, "precious");
	assert_int_equal(mkdir(in, 0755), 0);
	assert_int_equal(mkdir(out, 0755), 0);
	put(target, "precious\n");
	snprintf(p, sizeof p, "%s/.lock", out);
	assert_int_equal(symlink(target, p), 0);
	run_options_init(&o);
	o.inbox = in;
	o.outdir = out;
	assert_int_equal(run_execute(&o, &defs, &areas, &res), EX_CANTCREAT);
	assert_non_null(strstr(res.message, "symbolic link"));
	kept = slurp(target);
	assert_non_null(kept);
	assert_string_equal(kept, "precious\n");
	free(kept);
	run_result_release(&res);
}

static void test_refusals(void **state)
{
	char in[512], out[512], p[600];
	struct run_options o;
	struct run_result res;
	(void)state;
	path(in, sizeof in, "same");
	assert_int_equal(mkdir(in, 0755), 0);
	run_options_init(&o);
	o.inbox = in;
	o.outdir = in;
	assert_int_equal(run_execute(&o, &defs, &areas, &res), EX_USAGE);
	run_result_release(&res);

	path(out, sizeof out, "latest-out");
	assert_int_equal(mkdir(out, 0755), 0);
	snprintf(p, sizeof p, "%s/latest", out);
	assert_int_equal(mkdir(p, 0755), 0);
	o.outdir = out;
	o.min_free_kb = 0;
	assert_int_equal(run_execute(&o, &defs, &areas, &res), EX_CANTCREAT);
	assert_non_null(strstr(res.message, "latest"));
	snprintf(p, sizeof p, "%s/runs", out);
	assert_int_equal(access(p, F_OK), -1); /* refused before a run folder was made */
	run_result_release(&res);

	path(p, sizeof p, "no-such-inbox");
	o.inbox = p;
	assert_int_equal(run_execute(&o, &defs, &areas, &res), EX_NOINPUT);
	run_result_release(&res);
}

/*
 * RUN-ID is the second and the process id: in a container every run is process 1, and a run
 * that found its folder there already stopped with 73 ("File exists"). Folders of this
 * second's and the next two seconds' names made beforehand: the run takes "-2".
 */
static void test_run_id_taken(void **state)
{
	char in[512], out[512], p[700], stamp[32];
	struct run_options o;
	struct run_result res;
	time_t now = time(NULL);
	size_t n;
	(void)state;
	path(in, sizeof in, "id-in");
	path(out, sizeof out, "id-out");
	assert_int_equal(mkdir(in, 0755), 0);
	snprintf(p, sizeof p, "%s/junk.xml", in);
	put(p, "not a return\n");
	snprintf(p, sizeof p, "%s/runs", out);
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(mkdir(p, 0755), 0);
	for (int k = 0; k < 3; k++) {
		time_t t = now + k;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
		snprintf(p, sizeof p, "%s/runs/%s-%07ld", out, stamp, (long)getpid());
		assert_int_equal(mkdir(p, 0755), 0);
	}
	run_options_init(&o);
	o.inbox = in;
	o.outdir = out;
	o.min_free_kb = 0;
	assert_int_equal(run_execute(&o, &defs, &areas, &res), EX_DATAERR); /* not 73 */
	assert_non_null(res.run_dir);
	n = strlen(res.run_dir);
	assert_true(n > 2 && strcmp(res.run_dir + n - 2, "-2") == 0);
	assert_non_null(strstr(res.run_id, "-2"));
	run_result_release(&res);
}

/*
 * A suppression that fails (an error of the engine, not the work budget nor the audit): the
 * linker sends run.c's call to __wrap_protect_dataset_known (the Makefile links this test with
 * --wrap), which fails when fail_suppression is set. The report says that it ran and why it
 * failed, not "not run".
 */
static int fail_suppression;

int __real_protect_dataset_known(struct dataset *ds, const struct defs *d,
				 const struct policy *pol, const struct dataset *known,
				 const char *name, struct protect_summary *sum,
				 struct diag_list *dl);
int __wrap_protect_dataset_known(struct dataset *ds, const struct defs *d,
				 const struct policy *pol, const struct dataset *known,
				 const char *name, struct protect_summary *sum,
				 struct diag_list *dl);
int __wrap_protect_dataset_known(struct dataset *ds, const struct defs *d,
				 const struct policy *pol, const struct dataset *known,
				 const char *name, struct protect_summary *sum,
				 struct diag_list *dl)
{
	if (!fail_suppression)
		return __real_protect_dataset_known(ds, d, pol, known, name, sum, dl);
	memset(sum, 0, sizeof *sum);
	(void)diag_add(dl, name, 0, "S02", DIAG_ERROR,
		       "the published figures admit no non-negative solution");
	return -1;
}

static void test_suppression_failed(void **state)
{
	char out[512], q[600];
	struct run_options o;
	struct run_result res;
	char *report, *html;
	(void)state;
	path(out, sizeof out, "failed-out");
	run_options_init(&o);
	o.inbox = "fixtures/returns/2022-23";
	o.outdir = out;
	o.min_free_kb = 0;
	fail_suppression = 1;
	assert_int_equal(run_execute(&o, &defs, &areas, &res), EX_DATAERR);
	fail_suppression = 0;
	assert_non_null(strstr(res.message, "the suppression failed: error[S02]: the published figures admit "
					    "no non-negative solution: nothing published"));
	assert_non_null(res.report_path);
	report = slurp(res.report_path);
	assert_non_null(report);
	assert_non_null(strstr(report, "\nSuppression and audit:\n  failed: error[S02]: the published figures "
				       "admit no non-negative solution: no pattern, nothing published\n"));
	assert_null(strstr(report, "not run"));
	assert_non_null(strstr(report, "  none published by this run\n"));
	snprintf(q, sizeof q, "%s/report.html", res.run_dir);
	html = slurp(q);
	assert_non_null(html);
	assert_non_null(strstr(html, "<h2>Suppression and audit</h2>\n<p>Failed: error[S02]: the published "
				     "figures admit no non-negative solution: no pattern, nothing "
				     "published.</p>"));
	assert_null(strstr(html, "Not run"));
	snprintf(q, sizeof q, "%s/latest", out);
	assert_int_equal(access(q, F_OK), -1); /* nothing published */
	free(report);
	free(html);
	run_result_release(&res);
}

/*
 * The release dates against the period the returns say, before the suppression: an option's is
 * 64 naming the option and the rule, the --release file's 65 at the line of its element; and
 * a failure of the publish itself names its rule (it said "cannot build the bundle: MESSAGE").
 */
static void test_release_dates(void **state)
{
	char out[512], q[700];
	struct run_options o;
	struct run_result res;
	char *report;
	(void)state;

	path(out, sizeof out, "dates-out");
	run_options_init(&o);
	o.inbox = "fixtures/returns/2022-23";
	o.outdir = out;
	o.min_free_kb = 0;
	o.release.next = "2023-10"; /* the default release date is 2023-10-26 */
	assert_int_equal(run_execute(&o, &defs, &areas, &res), EX_USAGE);
	assert_non_null(strstr(res.message, "--next-release: error[L04]: next release '2023-10' is "
					    "not after the release date '2023-10-26', the default for 2022-23"));
	snprintf(q, sizeof q, "%s/suppressed.obs", res.run_dir);
	assert_int_equal(access(q, F_OK), -1); /* before the suppression */
	report = slurp(res.report_path);
	assert_non_null(report);
	assert_non_null(strstr(report, "\nresult:   failed: --next-release: error[L04]: "));
	free(report);
	run_result_release(&res);

	o.release.next = NULL;
	o.release.date = "2025-01-01"; /* the default next release is 2024-10-31 */
	o.release_file = "release.xml";
	o.release_date_line = 7;
	assert_int_equal(run_execute(&o, &defs, &areas, &res), EX_DATAERR);
	assert_int_equal(res.setup.count, 1);
	assert_string_equal(res.setup.items[0].file, "release.xml");
	assert_int_equal(res.setup.items[0].line, 7);
	assert_string_equal(res.setup.items[0].rule, "L04");
	assert_non_null(strstr(res.message, "(error[L04] at its line 7)"));
	snprintf(q, sizeof q, "%s/suppressed.obs", res.run_dir);
	assert_int_equal(access(q, F_OK), -1);
	run_result_release(&res);

	/* a value the bundle refuses (run_execute leaves the option checks to its caller) */
	o.release.date = NULL;
	o.release_file = NULL;
	o.release_date_line = 0;
	o.release.email = "nobody";
	assert_int_equal(run_execute(&o, &defs, &areas, &res), EX_SOFTWARE);
	assert_non_null(strstr(res.message, "cannot build the bundle: error[L04]: email 'nobody'"));
	report = slurp(res.report_path);
	assert_non_null(report);
	assert_non_null(strstr(report, "\nresult:   failed: cannot build the bundle: error[L04]: "));
	free(report);
	snprintf(q, sizeof q, "%s/latest", out);
	assert_int_equal(access(q, F_OK), -1); /* nothing published */
	run_result_release(&res);
}

/* run_history_load on dir: its result, and (when it fails) the one error it must leave. */
static void history_load(const char *dir, int want, const char *file, const char *rule, int errnum,
			 const char *msg)
{
	struct run_history h;
	struct dataset merged;
	struct yoy_limits lim;
	struct policy pol;
	struct diag_list d = DIAG_LIST_INIT;

	memset(&h, 0, sizeof h);
	dataset_init(&merged);
	snprintf(merged.period, sizeof merged.period, "2022-23");
	yoy_limits_default(&lim);
	assert_int_equal(protect_policy_load(&pol, NULL, &d), 0);
	assert_int_equal(run_history_load(&h, &defs, &areas, &pol, dir, dir, &merged, NULL, 0, &lim, &d),
			 want);
	if (want == 0) {
		assert_int_equal(d.count, 0);
		assert_int_equal(h.loaded, 1);
	} else {
		if (d.count != 1)
			diag_print(&d, stderr);
		assert_int_equal(d.count, 1);
		assert_string_equal(d.items[0].file, file);
		assert_int_equal(d.items[0].line, 0);
		assert_string_equal(d.items[0].rule, rule);
		assert_int_equal(diag_errnum(&d), errnum);
		assert_non_null(strstr(d.items[0].message, msg));
	}
	diag_clear(&d);
	run_history_release(&h);
	dataset_release(&merged);
}

static void test_history_load(void **state)
{
	char dir[512], p[600];
	(void)state;
	/* a folder that cannot be listed: H01 of the folder, its errno for the status (66) */
	path(dir, sizeof dir, "no-such-history");
	history_load(dir, -1, dir, "H01", ENOENT, "cannot read: No such file or directory");
	path(dir, sizeof dir, "history-file");
	put(dir, "not a folder\n");
	history_load(dir, -1, dir, "H01", ENOTDIR, "cannot read: Not a directory");
	/* an empty one: no history, nothing to say */
	path(dir, sizeof dir, "history-empty");
	assert_int_equal(mkdir(dir, 0755), 0);
	history_load(dir, 0, NULL, NULL, 0, NULL);
	/* a damaged bundle: its own H01, no errno (65: refused, not unreadable) */
	snprintf(p, sizeof p, "%s/mappa-2021-22.tar.gz", dir);
	put(p, "not an archive\n");
	history_load(dir, -1, p, "H01", 0, "archive");
}

static int setup(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	const char *tmp = getenv("TMPDIR");
	(void)state;
	snprintf(top, sizeof top, "%s/test_run.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(top) || defs_load_default(&defs, &d) != 0 || areas_load_default(&areas, &d) != 0)
		return -1;
	diag_clear(&d);
	return 0;
}

static int teardown(void **state)
{
	char cmd[400];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_line),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_odd_inbox),
		cmocka_unit_test(test_lock_symlink),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_suppression_failed),
		cmocka_unit_test(test_release_dates),
		cmocka_unit_test(test_run_id_taken),
		cmocka_unit_test(test_history_load),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
