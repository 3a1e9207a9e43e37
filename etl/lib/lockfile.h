/*
 * lockfile: the lock that keeps two runs out of one OUTDIR (run.c), taken on an open file.
 */
#ifndef MAPPA_LOCKFILE_H
#define MAPPA_LOCKFILE_H

/*
 * Takes an exclusive lock on the file open at fd, without waiting: a flock(2) lock, the kind
 * flock(1) takes (an operator's script guarded with it, or the shell mappa-run of before, is
 * kept out; QA: an fcntl lock let a run publish beside flock -n .lock). It belongs to the open
 * file description, so the closing of another descriptor of the same file (a second name of
 * it read as something else) does not give it up, and the kernel drops it when the process
 * ends, however it ends. 0, or -1 with errno: EWOULDBLOCK (EAGAIN) when another holds it.
 */
int lockfile_take(int fd);

#endif
