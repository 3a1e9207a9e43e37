/*
 * outfile: where a program's output goes (-o, --report, a bundle) is never a symbolic link. A
 * link there is refused, neither written through (it could name any file the user may write)
 * nor replaced by a rename (the user meant the file it names, or someone else put it there):
 * the call fails with errno ELOOP, which the programs report as "a symbolic link" with exit 73.
 * A link in the folders above the file is followed as usual.
 *
 * Nor is anything but a regular file replaced: an output written as a new file renamed into
 * place goes straight to a character device or a FIFO that stands at its name (-o /dev/null
 * writes to the device; run as root, a rename would have put a file in its place), and a
 * folder, a socket or a block device there is refused.
 */
#ifndef MAPPA_OUTFILE_H
#define MAPPA_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

/* What outfile_check finds at a path. */
enum {
	OUTFILE_FILE = 0,	/* nothing, or a regular file: a new file may be renamed there */
	OUTFILE_STREAM = 1,	/* a character device or a FIFO: written to, never replaced */
	OUTFILE_OTHER = 2	/* a folder, a socket, a block device: neither */
};

/* The message for OUTFILE_OTHER (and for a stream where only a file will do). */
#define OUTFILE_NOT_A_FILE "not a regular file (refused, nothing replaced)"

/* OUTFILE_FILE, OUTFILE_STREAM or OUTFILE_OTHER; -1 with errno ELOOP when path is a symbolic
 * link, or with lstat's errno when it cannot be looked at (other than ENOENT). */
int outfile_check(const char *path);

/* open(2) of path for writing, created (mode 0644) or truncated, never through a symbolic
 * link (O_NOFOLLOW: ELOOP), close-on-exec. Returns the descriptor or -1 with errno set. */
int outfile_open(const char *path);

/*
 * The temporary name an output at path is written under before it is renamed there: in the
 * same folder, path's own name with ".tmp.PID" after it, the name cut short enough that the
 * whole fits in a folder entry (NAME_MAX: an output named with 250 characters was refused as
 * "File name too long" because its temporary name was). 0, or -1 (errno ENAMETOOLONG) when
 * dst (size bytes) cannot hold it.
 */
int outfile_tmpname(char *dst, size_t size, const char *path);

/* Writes the n bytes at data to fd, again after EINTR or a short write. 0, or -1 with errno
 * set (EIO for a write that wrote nothing). Async-signal-safe: a fatal handler may use it. */
int outfile_write_all(int fd, const void *data, size_t n);

/*
 * The mode of the file open at fd, written to replace path: path's own permission bits, group
 * and (for root) owner when a regular file stands there (a replaced output is never made more
 * readable: QA, a 0600 suppressed.obs came back 0644), else left as it was made. The
 * programs' outputs other than a bundle (datasets, reports) hold the true values: they are
 * made 0600 (outfile_begin, dataset_write_path). 0; or -1 with errno: EACCES when path is a
 * file this user may not write (a read-only file is not replaced), or fchmod's.
 */
int outfile_keep_mode(int fd, const char *path);

/*
 * Creates tmp (outfile_tmpname of path) for writing, new (whatever stood at that name goes;
 * O_EXCL, never through a link), mode 0600 or path's own (outfile_keep_mode). Returns the
 * descriptor, or -1 with errno set (tmp not left behind).
 */
int outfile_create_tmp(const char *tmp, const char *path);

/* The text for an output's errno: ELOOP is "a symbolic link (an output is never written
 * through one)"; any other, strerror's. */
const char *outfile_strerror(int errnum);

/*
 * An output written whole or not at all (temp + rename), for a program's text outputs such as
 * a --report: outfile_begin gives the stream to write to, outfile_finish closes it (flushed
 * and synced: every write error is known then, the file still under its temporary name),
 * outfile_commit puts it in place with one rename, so that a program with two outputs can put
 * the second in place only once the first is (or drop it: outfile_abort). A character device
 * or a FIFO at path is written to directly and never replaced (commit then does nothing).
 * Usage: struct outfile o = OUTFILE_INIT; ... outfile_abort(&o) on every way out (after a
 * commit it does nothing).
 */
struct outfile {
	const char *path;	/* the caller's: must outlive the outfile */
	char tmp[4096 + 32];	/* the temporary name; "" when there is none (a stream, or gone) */
	FILE *f;		/* the FILE being written, NULL once closed */
	int not_a_file;		/* outfile_begin refused a folder, socket or block device there */
};

#define OUTFILE_INIT { NULL, "", NULL, 0 }

/* Opens the output at path for writing. Returns the FILE (owned by o: close it only through
 * outfile_finish or outfile_abort), or NULL with errno set: ELOOP a symbolic link there, or
 * o->not_a_file set (errno EEXIST) when something that is not a file stands there. */
FILE *outfile_begin(struct outfile *o, const char *path);

/* Flushes, syncs and closes the stream. 0; or -1 with errno set, the temporary file removed. */
int outfile_finish(struct outfile *o);

/* Renames the finished temporary file to its path. 0; or -1 with errno set, the temporary
 * file removed. */
int outfile_commit(struct outfile *o);

/* Closes what is open and removes the temporary file, if any: nothing is left. Accepts an
 * outfile never begun or already committed. */
void outfile_abort(struct outfile *o);

/* The message for a failure of o with errnum: OUTFILE_NOT_A_FILE or outfile_strerror's. */
const char *outfile_why(const struct outfile *o, int errnum);

#endif
