/*
 * regfile: opening a file that is read whole, in one way everywhere. A FIFO with no writer
 * would block an open for ever (QA: a FIFO at a run folder's status kept the run waiting,
 * holding its lock), and a device or a socket is no file of ours: they are refused unread.
 */
#ifndef MAPPA_REGFILE_H
#define MAPPA_REGFILE_H

#include <sys/stat.h>

/*
 * Opens path (relative to dirfd, or AT_FDCWD) for reading, without blocking, close-on-exec and
 * never as a controlling terminal; flags adds to that (O_NOFOLLOW, say). Returns the
 * descriptor, which the caller closes, with *st (when st is not NULL) the file's status; or -1
 * with errno: the open's or fstat's, EISDIR for a folder, EINVAL for anything else that is not
 * a regular file (xmlsafe_strerror says "not a regular file" for it).
 */
int regfile_open(int dirfd, const char *path, int flags, struct stat *st);

#endif
