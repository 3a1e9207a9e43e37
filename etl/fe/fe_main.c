#define _XOPEN_SOURCE 700 /* realpath */
#include "fe_main.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "audit.h"
#include "fe_name.h"
#include "outfile.h"
#include "xmlsafe.h"

int fe_option(const struct fe_prog *p, int opt)
{
	if (opt == 'h' || opt == 'V') {
		int r = opt == 'h' ? fputs(p->usage, stdout) : printf("%s %s\n", p->name, MAPPA_VERSION);
		/* a text longer than stdout's buffer fails here, where errno still says why */
		return r < 0 || fflush(stdout) != 0 ? fe_stdout_failed(p, errno) : EX_OK;
	}
	fputs(p->usage, stderr);
	return EX_USAGE;
}

static const struct fe_prog *started; /* fe_start's program, for the exit check */

/*
 * GLPK ends the process with abort() on a fatal error of its own (out of memory: glp_alloc):
 * exit 134, and a run stopped like a kill. Its hook says what happened and exits 70, as any
 * internal error does; a run stopped there is left as a kill leaves it (the next run repairs).
 */
#define GLPK_FATAL ": the LP solver (GLPK) stopped: out of memory, or an error of its own " \
	"(above); nothing more is done\n"
static char fatal_msg[128 + sizeof GLPK_FATAL];	/* made by fe_start */
static size_t fatal_len;

static void (*on_fatal)(void);

void fe_on_fatal(void (*fn)(void))
{
	on_fatal = fn;
}

/*
 * The first thread to meet a fatal error of the LP solver ends the process; another that meets
 * one too waits for that (the audits and the repairs run in two threads, and both ran out of
 * memory at once: the second removed the first's status file half written, and the run ended
 * with 70 and no status, as if killed, with the message printed twice).
 */
static atomic_flag fatal_taken = ATOMIC_FLAG_INIT;

static void fatal_first_only(void)
{
	if (atomic_flag_test_and_set(&fatal_taken))
		for (;;)
			pause();
}

static void glpk_fatal(void *info)
{
	fatal_first_only();
	/*
	 * Out of memory, the stack may not grow either: fprintf to the unbuffered stderr needed
	 * about 8 KB more of it and the program died with SIGSEGV instead of 70 (under ulimit -v
	 * 55-90 MB). One write(2) of the message made before.
	 */
	static const char generic[] = "mappa" GLPK_FATAL;
	const char *m = fatal_len ? fatal_msg : generic;
	size_t n = fatal_len ? fatal_len : sizeof generic - 1;
	(void)info;
	(void)outfile_write_all(STDERR_FILENO, m, n);
	if (on_fatal)
		on_fatal();
	_exit(EX_SOFTWARE);
}
/* glpk_fatal's message and status from SIGABRT: write(2) and _exit(2) only (async-signal-safe;
   a short write of a message is accepted here). */
static void glpk_abort(int sig)
{
	static const char generic[] = "mappa" GLPK_FATAL;
	ssize_t w;

	fatal_first_only();
	w = write(STDERR_FILENO, fatal_len ? fatal_msg : generic,
		  fatal_len ? fatal_len : sizeof generic - 1);
	(void)sig;
	(void)w;
	if (on_fatal)
		on_fatal();
	_exit(EX_SOFTWARE);
}

static int stdout_reported;            /* fe_stdout_failed said it already */

int fe_stdout_failed(const struct fe_prog *p, int errnum)
{
	if (!stdout_reported)
		fprintf(stderr, "%s: cannot write to standard output: %s\n", p->name,
			errnum ? strerror(errnum) : "a write failed");
	stdout_reported = 1;
	return EX_IOERR;
}

static int stdout_closed;               /* fe_exit closed it */

/* Closes standard output; whether anything written to it was lost (errno set, 0 unknown). */
static int stdout_lost(void)
{
	int lost = ferror(stdout);

	errno = 0;
	stdout_closed = 1;
	if (fclose(stdout) != 0)
		return 1;
	return lost;
}

/* Whether anything written to standard error was lost (a full disk, a closed descriptor):
   nothing can be said about it there. */
static int stderr_lost(void)
{
	return fflush(stderr) != 0 || ferror(stderr);
}

int fe_exit(const struct fe_prog *p, int status)
{
	if (!stdout_closed && stdout_lost()) {
		int r = fe_stdout_failed(p, errno);
		status = status == EX_OK ? r : status;
	}
	/* a diagnostic or a program's line on stderr lost: mappa-publish and mappa-merge exited
	   0, mappa-suppress 74 (its summary goes there); one rule for every program, gnulib's
	   close_stdout (QA) */
	if (stderr_lost() && status == EX_OK)
		status = EX_IOERR;
	return status;
}

/* At exit, when main() did not return through fe_exit: the same checks, the status EX_IOERR. */
static void close_stdout(void)
{
	if (!stdout_closed && stdout_lost() && !stdout_reported) {
		fe_stdout_failed(started, errno);
		_exit(EX_IOERR);
	}
	if (!stdout_closed && stderr_lost())
		_exit(EX_IOERR);
}

void fe_start(const struct fe_prog *p, char **argv)
{
	started = p;
	/* getopt names the program by argv[0]: "/usr/local/bin/mappa-validate: unrecognized
	   option" beside every other message's "mappa-validate:" */
	if (argv && argv[0]) {
		static char name[64];
		snprintf(name, sizeof name, "%s", p->name);
		argv[0] = name;
	}
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the lowest free descriptor: fd itself, as those below it are open */
		int got = open("/dev/null", (fd == 0 ? O_WRONLY : O_RDONLY) | O_NOCTTY);
		if (got != fd) {
			/* no /dev/null (a bare chroot): nothing safe to run with (70, as for
			   anything the program cannot run without) */
			fprintf(stderr, "%s: descriptor %d is closed and /dev/null cannot be opened\n",
				p->name, fd);
			_exit(EX_SOFTWARE);
		}
	}
	if (atexit(close_stdout) != 0) {
		fprintf(stderr, "%s: out of memory\n", p->name);
		_exit(EX_SOFTWARE);
	}
	/* a reader that went away (mappa-run | logger, and logger died) is a lost output like
	   any other: a write fails with EPIPE, and the program says so and exits 74 instead of
	   being killed in the middle of its work */
	signal(SIGPIPE, SIG_IGN);
	/* past a file size limit (ulimit -f), write() must fail with EFBIG, so that the program
	   says so, exits 74 and removes its temporary file, rather than the signal killing it
	   halfway with a *.tmp.PID left behind (QA: five programs did) */
	signal(SIGXFSZ, SIG_IGN);
	{
		int n = snprintf(fatal_msg, sizeof fatal_msg, "%.120s" GLPK_FATAL, p->name);
		fatal_len = n > 0 && (size_t)n < sizeof fatal_msg ? (size_t)n : 0;
	}
	/* GLPK that cannot set up its environment (out of memory before its error hook exists,
	   "GLPK initialization failed") calls abort() itself: the same message and 70, never a
	   SIGABRT (134) that leaves a run as a kill would (QA: mappa-merge and mappa-suppress
	   under ulimit -v 49 MB) */
	signal(SIGABRT, glpk_abort);
	audit_on_solver_fatal(glpk_fatal);
}

int fe_usage_error(const struct fe_prog *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", p->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(p->usage, stderr);
	return EX_USAGE;
}

int fe_status_read(int errnum)
{
	return errnum == ENOMEM ? EX_SOFTWARE : EX_NOINPUT;
}

int fe_status_write(int errnum)
{
	switch (errnum) {
	case ENOSPC:
	case EDQUOT:
	case EIO:
	case EFBIG:
		return EX_IOERR;
	case ENOMEM:
		return EX_SOFTWARE;
	default:
		return EX_CANTCREAT;
	}
}

int fe_cannot(const struct fe_prog *p, const char *verb, const char *file, int errnum, int status)
{
	fprintf(stderr, "%s: cannot %s %s: %s\n", p->name, verb, fe_name(file),
		status == EX_NOINPUT ? xmlsafe_strerror(errnum) : outfile_strerror(errnum));
	return status;
}

/* An option getopt_long refused ('?'), said with the argument quoted as every name is: getopt's
   own message printed the argument raw, so one argument could forge a line of stderr (QA). */
static void refused_option(const struct fe_prog *p, int argc, char **argv, const char *shortopts,
			   const struct option *longopts)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";

	if (strncmp(arg, "--", 2) == 0) {
		/* the option it names: its whole name, or a prefix of one alone (as getopt_long
		   takes them; '--per' is --period) */
		size_t n = strcspn(arg + 2, "="), matches = 0;
		const struct option *hit = NULL;
		for (const struct option *o = longopts; o && o->name; o++) {
			if (strncmp(o->name, arg + 2, n) != 0)
				continue;
			if (strlen(o->name) == n) {
				hit = o;
				matches = 1;
				break;
			}
			hit = o;
			matches++;
		}
		/* optopt is 0 for an unknown or ambiguous long option, else its val; another
		   char is a short option's, in a cluster (--quiet -xq: optind is still at -xq) */
		if (optopt == 0 || (matches == 1 && hit->val == optopt)) {
			if (matches == 1 && hit->has_arg == required_argument && arg[2 + n] == '\0')
				(void)fe_usage_error(p, "option --%s needs a value", hit->name);
			else if (matches == 1 && hit->has_arg == no_argument && arg[2 + n] == '=')
				(void)fe_usage_error(p, "option --%s takes no value", hit->name);
			else
				(void)fe_usage_error(p, "%s option %s",
						     matches > 1 ? "ambiguous" : "unrecognized", fe_name(arg));
			return;
		}
	}
	if (optopt > 0 && optopt != ':' && strchr(shortopts, optopt)) {
		(void)fe_usage_error(p, "option -%c needs a value", optopt);
		return;
	}
	{
		char one[3] = { '-', (char)optopt, '\0' };
		(void)fe_usage_error(p, "invalid option %s", fe_name(one));
	}
}

/* The getopt values seen_twice tracks: the characters, and the long-only options' codes above
   them (stage_setup.h's from 0x100; QA: --format and the release metadata given twice took
   the last value in silence while --period was refused). */
#define FE_OPT_CODES 0x200

/* Whether the option opt (a value of getopt's, 1 to FE_OPT_CODES - 1) came before in this
   argv; records it. */
static int seen_twice(char **argv, int opt)
{
	static char **seen_argv;
	static unsigned char seen[FE_OPT_CODES];

	if (argv != seen_argv) { /* another command line (a test's): none seen yet */
		memset(seen, 0, sizeof seen);
		seen_argv = argv;
	}
	if (seen[opt])
		return 1;
	seen[opt] = 1;
	return 0;
}

/* The long option whose value is opt, or NULL. */
static const struct option *long_of(const struct option *longopts, int opt)
{
	for (const struct option *o = longopts; o && o->name; o++)
		if (!o->flag && o->val == opt)
			return o;
	return NULL;
}

int fe_getopt(const struct fe_prog *p, int argc, char **argv, const char *shortopts,
	      const struct option *longopts)
{
	int li = -1, opt;

	opterr = 0; /* refused_option says it */
	opt = getopt_long(argc, argv, shortopts, longopts, &li);
	if (opt == '?') {
		refused_option(p, argc, argv, shortopts, longopts);
		return FE_OPT_EMPTY;
	}

	if (opt != -1 && opt != '?' && optarg && !*optarg) {
		if (li >= 0)
			(void)fe_usage_error(p, "--%s is empty", longopts[li].name);
		else
			(void)fe_usage_error(p, "-%c is empty", opt);
		return FE_OPT_EMPTY;
	}
	if (opt > 0 && opt < FE_OPT_CODES && optarg &&
	    !(p->repeatable && opt < 256 && strchr(p->repeatable, opt)) && seen_twice(argv, opt)) {
		const struct option *o = long_of(longopts, opt);
		if (o && opt < 128 && strchr(shortopts, opt))
			(void)fe_usage_error(p, "option --%s (-%c) given twice: give it once", o->name,
					     opt);
		else if (o)
			(void)fe_usage_error(p, "option --%s given twice: give it once", o->name);
		else
			(void)fe_usage_error(p, "option -%c given twice: give it once", opt);
		return FE_OPT_EMPTY;
	}
	return opt;
}

/* path's folder made real, then its last name, into buf; -1 when the folder is not there. */
static int real_name(const char *path, char *buf, size_t size)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	int w;

	if (n >= sizeof dir)
		return -1;
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (n == 0)
		snprintf(dir, sizeof dir, "/"); /* "/x": the root */
	else {
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	if (!realpath(dir, real))
		return -1;
	w = snprintf(buf, size, "%s/%s", real, slash ? slash + 1 : path);
	return w < 0 || (size_t)w >= size ? -1 : 0;
}

int fe_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	char ra[PATH_MAX + 256], rb[PATH_MAX + 256];

	if (!a || !b || strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return 0;
	if (strcmp(a, b) == 0)
		return 1;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	return real_name(a, ra, sizeof ra) == 0 && real_name(b, rb, sizeof rb) == 0 &&
	       strcmp(ra, rb) == 0;
}

int fe_status(const struct diag_list *l, enum fe_io io)
{
	int errnum = diag_errnum(l);

	if (!l->errors)
		return EX_OK;
	if (errnum) {
		if (io == FE_CREATE)
			return errnum == ENOMEM ? EX_SOFTWARE : EX_CANTCREAT;
		return io == FE_WRITE ? fe_status_write(errnum) : fe_status_read(errnum);
	}
	return io == FE_READ ? EX_DATAERR : EX_SOFTWARE;
}

/* Out of memory whose diagnostic could not be kept (the list could not grow either): said
   all the same, so that the 70 it gives never comes without a word. */
static void say_lost_enomem(const struct diag_list *l)
{
	if (diag_errnum(l) != ENOMEM)
		return;
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].errnum == ENOMEM)
			return;
	fprintf(stderr, "%s: out of memory\n", started ? started->name : "mappa");
}

int fe_diags(const struct diag_list *l)
{
	diag_print(l, stderr);
	say_lost_enomem(l);
	return fe_status(l, FE_READ);
}

int fe_diags_io(const struct diag_list *l, enum fe_io io)
{
	diag_print(l, stderr);
	say_lost_enomem(l);
	return fe_status(l, io);
}
