/* regfile: see regfile.h. */
#include "regfile.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int regfile_open(int dirfd, const char *path, int flags, struct stat *st)
{
	struct stat own;
	int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | flags), e;

	if (!st)
		st = &own;
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0)
		e = errno;
	else if (S_ISREG(st->st_mode))
		return fd;
	else
		e = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
	close(fd);
	errno = e;
	return -1;
}
