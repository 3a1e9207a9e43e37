/*
 * lockfile: the lock that keeps two runs out of one OUTDIR (run.c), taken on an open file.
 */
#ifndef MAPPA_LOCKFILE_H
#define MAPPA_LOCKFILE_H

/*
 * Takes a write lock on the whole file open at fd, without waiting. Where the system has open
 * file description locks (Linux 3.15 on: F_OFD_SETLK) the lock is one of those: it belongs to
 * this descriptor, and the closing of another descriptor of the same file (a second name of
 * it read as something else) does not give it up. Elsewhere it is a POSIX record lock, which
 * any close of the file by the process gives up. Either way the kernel drops it when the
 * process ends, however it ends, and the two kinds conflict with each other. 0, or -1 with
 * errno: EAGAIN or EACCES when another process holds it.
 */
int lockfile_take(int fd);

#endif
