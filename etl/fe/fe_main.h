/*
 * fe_main: the skeleton every program's main() shares (options, --help, --version, exit
 * statuses, printing diagnostics), so that each main() holds only what is its own. Shared by
 * the programs only; the library never prints.
 *
 * Exit statuses are sysexits.h ones, the same in every program and man page: 0 ok, 64 usage,
 * 65 data error, 66 input cannot be read, 70 internal error, 73 output cannot be created
 * (a symbolic link where an output goes included), 74 write error, 75 locked.
 */
#ifndef MAPPA_FE_MAIN_H
#define MAPPA_FE_MAIN_H

#include <getopt.h>
#include <stdio.h>

#include "diag.h"

struct fe_prog {
	const char *name;  /* "mappa-suppress": begins every message */
	const char *usage; /* the --help text, which docs/man/NAME.1 mirrors */
	const char *repeatable; /* the options (getopt's values) with a value that may be given
				   more than once (mappa-audit's --earlier); NULL: none */
};

/*
 * What every getopt_long loop does with an option that is not the program's own: 'h' prints
 * the usage on stdout and gives EX_OK, 'V' prints "NAME VERSION" and gives EX_OK, anything else
 * (getopt's '?' or ':') prints the usage on stderr and gives EX_USAGE; a --help or --version
 * that standard output cannot take gives EX_IOERR (fe_exit). The caller returns it:
 *     default: return fe_option(&prog, opt);
 */
int fe_option(const struct fe_prog *p, int opt);

/*
 * What every main() calls first. Descriptors 0, 1 and 2 are made to exist: one that is closed
 * (a caller that ran the program with >&- or 2>&-) gets /dev/null opened the wrong way round
 * (0 for writing, 1 and 2 for reading, as gnulib's stdopen does), so that the files the program
 * opens never take its place and a message or an output meant for it is never written into
 * one of them, while writing to it still fails. Standard output is then checked at exit
 * (fe_exit, and an exit handler for any other way out, which makes the status EX_IOERR).
 * argv[0] becomes p->name, so that getopt's own messages name the program as every other
 * message does, not the path it was run by.
 */
void fe_start(const struct fe_prog *p, char **argv);

/* A function the fatal error hook of the LP solver calls before the program exits 70 (one;
   system calls only, as run_fatal of run.h): mappa-run records its status there. */
void fe_on_fatal(void (*fn)(void));

/*
 * What every main() returns: fe_exit(&prog, status). Closes standard output and checks it:
 * when anything written to it was lost (a full disk, a closed descriptor), "NAME: cannot write
 * to standard output: REASON" goes to stderr and an EX_OK status becomes EX_IOERR, so that a
 * caller never takes a lost output for a written one (gnulib's close_stdout). So does a line
 * written to standard error that was lost: a diagnostic, a warning, "wrote FILE" (nothing can
 * say so there). A status that says something failed already is kept: it says more.
 */
int fe_exit(const struct fe_prog *p, int status);

/* A write to standard output that failed with errnum (0: unknown) in the program's own code:
 * prints the message above once (the exit check then stays quiet) and returns EX_IOERR. */
int fe_stdout_failed(const struct fe_prog *p, int errnum);

/* "NAME: MESSAGE" and the usage on stderr; returns EX_USAGE. */
int fe_usage_error(const struct fe_prog *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The status of a read that failed with errnum: EX_SOFTWARE when out of memory, else EX_NOINPUT. */
int fe_status_read(int errnum);

/*
 * The status of a write or create that failed with errnum: EX_IOERR when the data could not be
 * written (ENOSPC, EDQUOT, EIO, EFBIG), EX_SOFTWARE when out of memory, else EX_CANTCREAT (no such
 * folder, no permission, ELOOP: a symbolic link where the output goes, ...).
 */
int fe_status_write(int errnum);

/*
 * "NAME: cannot VERB 'FILE': REASON" on stderr, FILE quoted (fe_name), REASON the errno's text:
 * for a read (status EX_NOINPUT) xmlsafe_strerror's (the input gate's own reasons), for a write
 * outfile_strerror's (ELOOP: "a symbolic link"). Returns status, for "status = fe_cannot(...)".
 */
int fe_cannot(const struct fe_prog *p, const char *verb, const char *file, int errnum, int status);

/*
 * getopt_long, with an option whose value is empty ("--policy ''", "-o ''") refused as bad
 * usage (said with the usage; it was read as a file name and gave 66, "cannot read"), and an
 * unknown option or one without its value said with the argument quoted (fe_name), and an
 * option with a value given a second time refused unless p->repeatable names it (the second
 * silently won: "--policy default.xml --policy weaker.xml" in a cron line ran the weaker policy
 * without a word): FE_OPT_EMPTY then, for the caller to return EX_USAGE.
 */
#define FE_OPT_EMPTY (-2)
int fe_getopt(const struct fe_prog *p, int argc, char **argv, const char *shortopts,
	      const struct option *longopts);

/*
 * Whether paths a and b name the same file: the same string, the same existing file (device
 * and inode: a hard link, "./x" and "x"), or, for one not there yet, the same name in the same
 * folder (its real path). "-" (standard output) and NULL are no file. An output that is also
 * another output or an input would be lost or would destroy it (mappa-merge -o m.obs --report
 * m.obs kept only the dataset; mappa-normalise -o RET RET replaced the return).
 */
int fe_same_file(const char *a, const char *b);

/* What a step that failed was doing with its file: reading it; writing (creating) it; or
 * creating one file whole (written aside, then renamed in place: whatever failed, the file is
 * not there at all, so every failure but out of memory is EX_CANTCREAT). */
enum fe_io { FE_READ, FE_WRITE, FE_CREATE };

/*
 * The one exit status of a step's diagnostics (the errno-to-status helper every program uses):
 * EX_OK when l holds no error. When an error carries an errno (diag_errnum: the file could not
 * be read or written): fe_status_read's status of it (io FE_READ), fe_status_write's
 * (FE_WRITE), or EX_CANTCREAT (FE_CREATE; EX_SOFTWARE for ENOMEM). When none does: EX_DATAERR
 * for a read (the data is wrong), EX_SOFTWARE for a write (what was to be written could not be
 * built: the data was checked before, so it is a fault of ours).
 */
int fe_status(const struct diag_list *l, enum fe_io io);

/* Prints every diagnostic of l on stderr (diag_print). Returns fe_status(l, FE_READ):
 * EX_DATAERR for a data error, EX_NOINPUT when a file could not be read, else EX_OK. */
int fe_diags(const struct diag_list *l);

/* The same for the diagnostics of a step that writes: returns fe_status(l, io). */
int fe_diags_io(const struct diag_list *l, enum fe_io io);

#endif
