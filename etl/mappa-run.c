/*
 * mappa-run: the unattended run of the MAPPA returns pipeline, in one process over the library
 * (run.h; docs/operations.md, docs/man/mappa-run.1).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/resource.h>
#include <getopt.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "fe_main.h"
#include "fe_name.h"
#include "publish_release_file.h"
#include "quote.h"
#include "run.h"
#include "yoy.h"
#include "stage_setup.h"
#include "xmlsafe.h"

static const char usage_text[] =
	"usage: mappa-run [--period YYYY-YY] [--policy FILE] [--reference FILE] [--allow-missing]\n"
	"                 [--release FILE] [--format=tar.gz|zip] [--history DIR]\n"
	"                 [--yoy-limits P,A,L] [--max-return-size BYTES]\n"
	"                 [--max-return-seconds SECONDS] [--release-date DATE]\n"
	"                 [--next-release DATE] [--producer TEXT] [--contact TEXT]\n"
	"                 [--email ADDRESS] [--phone NUMBER] [--methodology URL] [-q]\n"
	"                 INBOX OUTDIR\n"
	"       mappa-run --help | --version\n"
	"\n"
	"Runs the whole pipeline over every return in INBOX (INBOX is only read; each entry is\n"
	"accounted for in the report: used, superseded, duplicate, invalid, or not a regular\n"
	"file and why) and writes one run folder OUTDIR/runs/RUN-ID/ with the copied returns\n"
	"and their checksums, each stage's outputs, a time-stamped log (run.log) and the run\n"
	"report (report.txt, report.html). Only when every return is valid, every area is\n"
	"present (or --allow-missing) and every stage and the audit of the bundle as a reader\n"
	"reads it succeeded, OUTDIR/latest is pointed at the run by one rename, which publishes\n"
	"the run's bundle as OUTDIR/mappa-PERIOD.tar.gz (a link through latest) at the same\n"
	"instant; then the run's status is written. One run at a time per OUTDIR (a lock on\n"
	"OUTDIR/.lock).\n"
	"\n"
	"  --period YYYY-YY   the period to publish (default: the period of most returns)\n"
	"  --policy FILE      disclosure policy (default: the built-in policy/default.xml)\n"
	"  --reference FILE   reference data (areas, populations) instead of the built-in copy\n"
	"  --release FILE     release metadata of the publication (schemas/release.xsd; as\n"
	"                     mappa-publish --release; default: the demo defaults)\n"
	"  --allow-missing    publish without the areas that sent no return ([x]); exit 0\n"
	"  --format=F         tar.gz (default) or zip\n"
	"  --history DIR      folder of the bundles already published (default: OUTDIR): the\n"
	"                     earlier periods' bundles give the time series and the year-on-year\n"
	"                     warnings; a bundle of this period makes the run a revision ([r],\n"
	"                     revisions.csv). A damaged or foreign bundle there stops the run\n"
	"                     (65) and is never changed. A revision is run in the OUTDIR that\n"
	"                     published the period, with DIR that OUTDIR or not given: with\n"
	"                     another DIR it is refused (65)\n"
	"  --yoy-limits P,A,L year-on-year warnings (report only, never an error): a change of\n"
	"                     more than P per cent and A people (Y01), or 0 one year and at\n"
	"                     least L the other (Y02); default 50,20,10\n"
	"  --max-return-size BYTES\n"
	"                     the size budget of one return: a larger file is invalid (R03)\n"
	"                     (default and most: 1048576)\n"
	"  --max-return-seconds SECONDS\n"
	"                     the time budget of one return: one that takes longer to read,\n"
	"                     validate and normalise is invalid (R19) (default: 10)\n"
	"  -q, --quiet        no summary line on standard output when the run publishes\n"
	"\n"
	"Release metadata of the bundle, as mappa-publish takes it: the same in README.txt,\n"
	"the workbook's cover and every page (the licence is always the Open Government\n"
	"Licence v3.0). Each has a demo default, derived from the period only; give them all\n"
	"for a real publication (cron: put them in the job's command line):\n"
	STAGE_RELEASE_HELP
	"\n"
	"Exit status: 0 published, 65 a return is invalid or an area missing (or the data fails\n"
	"a later stage, or a bundle in the history folder is refused; nothing published), or\n"
	"the --release file is invalid, 64 bad usage or release metadata that fails its check,\n"
	"66 INBOX, a given file or the history folder cannot be read, 70 internal error, 73\n"
	"OUTDIR or the run folder cannot be created, too little free space, or the lock, latest\n"
	"or the bundle's name is taken by something else, 74 write error (disk full, or\n"
	"standard output), 75 another run holds OUTDIR/.lock.\n";

static const char *kill_at, *pause_at, *pause_until;

static const struct fe_prog prog = { "mappa-run", usage_text, NULL };

/*
 * The descriptors free below limit, counted up to want: the limit alone says nothing of those
 * the parent left open (QA: ulimit -n 16 and five inherited descriptors gave 42 returns that
 * "cannot be read", or 70 "out of memory", or 66 and 73 with a run folder left behind).
 * Stops at want, so a large limit costs no more than the descriptors open below it.
 */
static unsigned free_descriptors(rlim_t limit, unsigned want)
{
	unsigned n = 0;

	for (rlim_t fd = 0; fd < limit && fd <= INT_MAX && n < want; fd++)
		if (fcntl((int)fd, F_GETFD) < 0 && errno == EBADF)
			n++;
	return n;
}

/* Test hooks (tests/e2e/test_run_faults.sh): MAPPA_RUN_KILL_AT=STEP kills the run with
   SIGKILL at STEP; MAPPA_RUN_PAUSE_AT=STEP sleeps 2 seconds there (STEP "read NAME": after
   reading the inbox's file NAME, within its time budget; "reading NAME": before opening it,
   in the thread that reads it, as a file system whose read blocks), or, with MAPPA_RUN_PAUSE_UNTIL=FILE,
   until FILE exists (at most 5 minutes), having made FILE.reached: a test can then hold a run
   at a step for as long as it needs, whatever the machine's load, and know it is there. */
static void step_hook(const char *step)
{
	if (pause_at && strcmp(pause_at, step) == 0) {
		struct timespec ts = { 2, 0 };
		if (pause_until && *pause_until) {
			struct stat st;
			char reached[4096];
			int fd;
			if (snprintf(reached, sizeof reached, "%s.reached", pause_until) < (int)sizeof reached &&
			    (fd = open(reached, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) >= 0)
				close(fd);
			ts.tv_sec = 0;
			ts.tv_nsec = 20L * 1000 * 1000;
			for (int i = 0; i < 5 * 60 * 50 && stat(pause_until, &st) != 0; i++)
				nanosleep(&ts, NULL);
		} else {
			nanosleep(&ts, NULL);
		}
	}
	if (kill_at && strcmp(kill_at, step) == 0)
		raise(SIGKILL);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "period", required_argument, NULL, 'p' },
		{ "policy", required_argument, NULL, 'P' },
		{ "reference", required_argument, NULL, 'r' },
		{ "allow-missing", no_argument, NULL, 'm' },
		{ "release", required_argument, NULL, 'R' },
		{ "history", required_argument, NULL, 'H' },
		{ "yoy-limits", required_argument, NULL, 'Y' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-return-size", required_argument, NULL, 'S' },
		{ "max-return-seconds", required_argument, NULL, 'T' },
		STAGE_RELEASE_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static struct run_options o;
	static struct run_result res;
	static struct defs defs;
	static struct areas areas;
	const char *reference = NULL, *release = NULL, *env;
	struct publish_release_file *rf = NULL;
	struct diag_list d = DIAG_LIST_INIT;
	char why[160]; /* why --yoy-limits is refused */
	int opt, quiet = 0, status;

	run_options_init(&o);
	memset(&res, 0, sizeof res);
	fe_start(&prog, argv);
	fe_on_fatal(run_fatal); /* the LP solver out of memory: status 70 in the run folder */
	while ((opt = fe_getopt(&prog, argc, argv, "qhV", longopts)) != -1) {
		if (opt == FE_OPT_EMPTY)
			return EX_USAGE;
		if ((status = stage_release_option(&prog, opt, optarg, &o.release, &o.format)) >= 0) {
			if (status != EX_OK)
				return status;
			continue;
		}
		switch (opt) {
		case 'p':
			if (!dataset_period_valid(optarg))
				return fe_usage_error(&prog, "--period must be a period like 2022-23 (the second year the one after the first), from " DATASET_PERIOD_RANGE ", not %s", fe_name(optarg));
			o.period = optarg;
			break;
		case 'P':
			/* its name is recorded in the datasets: never cut (QA: a path of 600 bytes
			   was kept as its first 511, a file that is not there) */
			if (strlen(optarg) >= DATASET_PATH_MAX)
				return fe_usage_error(&prog, "--policy is %zu bytes long: a policy's name "
						      "is at most %d bytes", strlen(optarg),
						      DATASET_PATH_MAX - 1);
			o.policy = optarg;
			break;
		case 'r': reference = optarg; break;
		case 'R': release = optarg; break;
		case 'm': o.allow_missing = 1; break;
		case 'H': o.history = optarg; break;
		case 'Y':
			if (yoy_parse_limits_why(optarg, &o.yoy, why, sizeof why) != 0)
				return fe_usage_error(&prog, "--yoy-limits must be PERCENT,AMOUNT,LARGE (e.g. 50,20,10), not %s: %s",
						      fe_name(optarg), why);
			break;
		case 'S': {
			char *end;
			long long v = strtoll(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' || v < 1 ||
			    v > (long long)XMLSAFE_MAX_BYTES)
				return fe_usage_error(&prog, "--max-return-size must be a number of bytes from 1 to 1048576, not %s",
						      fe_name(optarg));
			o.max_return_bytes = (size_t)v;
			break;
		}
		case 'T': {
			char *end;
			double v = strtod(optarg, &end);
			/* decimal digits and one point only: strtod also takes 0x10, 1e1, inf; .5 as
			   well as 0.5 (QA) */
			if (!isdigit((unsigned char)optarg[*optarg == '.']) || *end != '\0' || !(v > 0) ||
			    v > 86400 ||
			    strspn(optarg, "0123456789.") != strlen(optarg))
				return fe_usage_error(&prog, "--max-return-seconds must be a number of seconds above 0 and at most 86400, not %s",
						      fe_name(optarg));
			o.max_return_seconds = v;
			break;
		}
		case 'q': quiet = 1; break;
		default: return fe_option(&prog, opt);
		}
	}
	if (argc - optind != 2)
		return fe_usage_error(&prog, "expected INBOX and OUTDIR");
	if (!argv[optind][0] || !argv[optind + 1][0])
		return fe_usage_error(&prog, "%s is empty", !argv[optind][0] ? "INBOX" : "OUTDIR");
	/* '-' is standard output to every stage program: 'mappa-run -q inbox -' published into a
	   folder named '-' (QA); one of that name is still given as ./- */
	if (strcmp(argv[optind + 1], "-") == 0) {
		fprintf(stderr, "mappa-run: OUTDIR '-' is refused: the run writes a folder, not standard "
			"output (give ./- for a folder named '-')\n");
		return EX_USAGE;
	}
	if ((status = stage_check_release_options(&prog, &o.release)) != EX_OK)
		return status;
	o.inbox = argv[optind];
	o.outdir = argv[optind + 1];
	kill_at = getenv("MAPPA_RUN_KILL_AT");
	pause_at = getenv("MAPPA_RUN_PAUSE_AT");
	pause_until = getenv("MAPPA_RUN_PAUSE_UNTIL");
	if (kill_at || pause_at)
		o.hook = step_hook;
	env = getenv("MAPPA_RUN_MIN_FREE_KB");
	if (env && *env) { /* set but empty: the default, as when unset (QA: it gave 64) */
		char *end;
		long long v;
		errno = 0;
		v = strtoll(env, &end, 10);
		/* digits only: strtoll also takes " 5", "+5", and clamps what overflows */
		if (*end != '\0' || v < 0 || errno == ERANGE ||
		    strspn(env, "0123456789") != strlen(env)) {
			/* the environment's fault, not the command line's: no usage text (QA) */
			fprintf(stderr, "%s: MAPPA_RUN_MIN_FREE_KB must be a number of KiB, not %s\n",
				prog.name, fe_name(env));
			return EX_USAGE;
		}
		o.min_free_kb = v;
	}
	{
		/* a few descriptors are open at once (the lock, OUTDIR, the run folder, the inbox,
		   a return, the log, a folder walked): a limit that cannot give them would stop the
		   run halfway, with a run folder it could not remove; raised, or refused at once */
		struct rlimit rl;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 64) {
			rl.rlim_cur = rl.rlim_max < 64 ? rl.rlim_max : 64;
			setrlimit(RLIMIT_NOFILE, &rl);
			if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 16) {
				fprintf(stderr, "mappa-run: only %ju file descriptors may be open (ulimit -n); "
					"the run needs 16: nothing done\n", (uintmax_t)rl.rlim_cur);
				status = EX_SOFTWARE;
				goto out;
			}
		}
		/* and free, whatever the limit: 12 (measured: the run on the 42 fixtures fails with 7
		   free and passes with 8; four more for what it opens with --history and the other
		   format), so a limit of 16 still leaves room for one descriptor the caller leaked */
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
			unsigned got = free_descriptors(rl.rlim_cur, 12);
			if (got < 12) {
				fprintf(stderr, "mappa-run: only %u file descriptors are free (ulimit -n %ju, "
					"the others already open, left open by the caller); the run needs "
					"12 free: nothing done\n", got, (uintmax_t)rl.rlim_cur);
				status = EX_SOFTWARE;
				goto out;
			}
		}
	}
#ifdef __GLIBC__
	/* The run allocates and frees in bursts (libxml2, GLPK, the bundle): keep the heap rather
	   than give it back and fault it in again (measured: system time 0.25 s -> 0.04 s, peak
	   memory 12.1 MB -> 12.6 MB; docs/performance.md). */
	{
		/* but never a pad that a memory limit (ulimit -v, -d) cannot take: the run's peak is
		   about 13 MB, and a 64 MiB pad made a 100 MB limit fail its first allocation */
		rlim_t pad = (rlim_t)64 << 20;
		struct rlimit rl;
		if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur / 16 < pad)
			pad = rl.rlim_cur / 16;
		if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur / 16 < pad)
			pad = rl.rlim_cur / 16;
		mallopt(M_TOP_PAD, (int)pad);
		mallopt(M_TRIM_THRESHOLD, (int)(pad * 4));
	}
#endif
	setenv("TZ", "UTC", 1);

	LIBXML_TEST_VERSION
	status = stage_load_reference(&prog, &defs, &areas, reference);
	if (status != EX_OK) {
		/* closed as a bad --policy is (QA: the F01 alone, no line of the program's) */
		if (reference && (status == EX_DATAERR || status == EX_NOINPUT)) {
			char q[600];
			fprintf(stderr, "mappa-run: the reference data %s %s (see above); "
				"report: none\n", quote_arg_buf(q, sizeof q, reference),
				status == EX_NOINPUT ? "cannot be read" : "is not valid");
		}
		goto out;
	}
	status = stage_load_release(&prog, release, &o.release, &rf);
	if (status != EX_OK)
		goto out;
	if (rf) {
		/* a date of the file is checked against the period at its line */
		o.release_file = release;
		if (o.release.date && o.release.date == rf->release.date)
			o.release_date_line = rf->lines.date;
		if (o.release.next && o.release.next == rf->release.next)
			o.release_next_line = rf->lines.next;
	}
	/* with --period the dates are checked against it before anything is done (else the run
	   checks them once the returns say the period, before the suppression) */
	if (o.period) {
		status = stage_check_release_dates(&prog, &o.release, release, rf, o.period);
		if (status != EX_OK)
			goto out;
	}
	status = run_execute(&o, &defs, &areas, &res);
	switch (status) {
	case EX_OK:
		if (res.incomplete)
			fprintf(stderr, "mappa-run: warning: published with missing areas ([x]): see %s\n",
				res.report_path ? res.report_path : "the report");
		if (res.warning[0])
			fprintf(stderr, "mappa-run: warning: %s\n", res.warning);
		if (!quiet)
			printf("mappa-run: %s\n", res.message);
		break;
	case EX_DATAERR:
		diag_print(&res.setup, stderr);
		fprintf(stderr, "mappa-run: %s; report: %s\n", res.message,
			res.report_path ? res.report_path : "none");
		if (res.warning[0])
			fprintf(stderr, "mappa-run: warning: %s\n", res.warning);
		break;
	default:
		diag_print(&res.setup, stderr);
		/* a file that cannot be read (C01 the policy, H01 the history folder): its
		   diagnostic says it all, and no line of the program's own goes beside it
		   (docs/rules.md; QA: "mappa-run: cannot read the policy ..." after the C01) */
		if (!(status == EX_NOINPUT && res.setup.count && diag_errnum(&res.setup)))
			fprintf(stderr, "mappa-run: %s\n", res.message);
		/* a run that kept its folder says where its report is, whatever stopped it (QA:
		   --history with a folder that is not there gave the H01 line alone) */
		if (res.report_path)
			fprintf(stderr, "mappa-run: report: %s\n", res.report_path);
		if (res.warning[0])
			fprintf(stderr, "mappa-run: warning: %s\n", res.warning);
		if (status == EX_IOERR)
			fputs("mappa-run: a write failed: check the free space of OUTDIR (df) and any file size limit (ulimit -f)\n",
			      stderr);
		break;
	}
out:
	run_result_release(&res);
	diag_clear(&d);
	free(rf);
	xmlCleanupParser();
	return fe_exit(&prog, status);
}
