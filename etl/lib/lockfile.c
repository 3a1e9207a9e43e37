/* _GNU_SOURCE: F_OFD_SETLK is declared only with it (glibc); nothing else is used here */
#define _GNU_SOURCE
#include "lockfile.h"

#include <fcntl.h>
#include <string.h>

int lockfile_take(int fd)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl); /* l_pid 0, as an open file description lock needs */
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
#ifdef F_OFD_SETLK
	return fcntl(fd, F_OFD_SETLK, &fl);
#else
	return fcntl(fd, F_SETLK, &fl);
#endif
}
