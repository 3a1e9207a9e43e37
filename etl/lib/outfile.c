#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NAME_MAX
#define NAME_MAX 255
#endif

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

int outfile_tmpname(char *dst, size_t size, const char *path)
{
	char suffix[32];
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0, base = strlen(path) - dirlen;
	int n = snprintf(suffix, sizeof suffix, ".tmp.%ld", (long)getpid());

	if (n < 0 || (size_t)n >= NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (base + (size_t)n > NAME_MAX)
		base = NAME_MAX - (size_t)n; /* cut: bytes of a UTF-8 letter may be split, which
						 only the temporary name, never shown, carries */
	if (dirlen + base + (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dst, path, dirlen + base);
	memcpy(dst + dirlen + base, suffix, (size_t)n + 1);
	return 0;
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
