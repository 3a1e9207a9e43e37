#include "lockfile.h"

#include <sys/file.h>

int lockfile_take(int fd)
{
	return flock(fd, LOCK_EX | LOCK_NB);
}
