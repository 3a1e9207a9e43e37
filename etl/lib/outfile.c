#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

int outfile_check(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? OUTFILE_FILE : -1;
	if (S_ISLNK(st.st_mode)) {
		errno = ELOOP;
		return -1;
	}
	if (S_ISREG(st.st_mode))
		return OUTFILE_FILE;
	return S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) ? OUTFILE_STREAM : OUTFILE_OTHER;
}

int outfile_open(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
}

const char *outfile_strerror(int errnum)
{
	if (errnum == ELOOP)
		return "a symbolic link (an output is never written through one, nor replaced)";
	return strerror(errnum);
}
