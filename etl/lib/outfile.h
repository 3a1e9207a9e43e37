/*
 * outfile: where a program's output goes (-o, --report, a bundle) is never a symbolic link. A
 * link there is refused, neither written through (it could name any file the user may write)
 * nor replaced by a rename (the user meant the file it names, or someone else put it there):
 * the call fails with errno ELOOP, which the programs report as "a symbolic link" with exit 73.
 * A link in the folders above the file is followed as usual.
 */
#ifndef MAPPA_OUTFILE_H
#define MAPPA_OUTFILE_H

/* 0 when path does not exist or is not a symbolic link; -1 with errno ELOOP when it is one,
 * or with lstat's errno when it cannot be looked at (other than ENOENT). */
int outfile_check(const char *path);

/* open(2) of path for writing, created (mode 0644) or truncated, never through a symbolic
 * link (O_NOFOLLOW: ELOOP), close-on-exec. Returns the descriptor or -1 with errno set. */
int outfile_open(const char *path);

/* The text for an output's errno: ELOOP is "a symbolic link (an output is never written
 * through one)"; any other, strerror's. */
const char *outfile_strerror(int errnum);

#endif
