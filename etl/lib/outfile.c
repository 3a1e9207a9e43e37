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

int outfile_keep_mode(int fd, const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0; /* new: the 0600 it was made with */
	/* a file its owner made read-only is not replaced (QA: a 0400 file was, exit 0, where
	   cp says Permission denied); root may, as cp does */
	if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0)
		return -1;
	/* its group kept (the group a 640 file is shared with), its owner too where this user
	   may (root); neither is a reason to fail */
	if (st.st_uid != geteuid() || st.st_gid != getegid()) {
		if (fchown(fd, st.st_uid, st.st_gid) != 0)
			(void)!fchown(fd, (uid_t)-1, st.st_gid);
	}
	/* the permission bits only: no set-user-ID or the like on a dataset */
	return fchmod(fd, st.st_mode & 0777);
}

int outfile_create_tmp(const char *tmp, const char *path)
{
	int fd, saved;

	/* the temporary name is new: whatever lies there (a link planted by someone) goes, and
	   O_EXCL never opens an existing file, nor follows a link */
	if (unlink(tmp) != 0 && errno != ENOENT)
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);
	if (fd >= 0 && outfile_keep_mode(fd, path) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		fd = -1;
	}
	return fd;
}

const char *outfile_strerror(int errnum)
{
	if (errnum == ELOOP)
		return "a symbolic link (an output is never written through one, nor replaced)";
	return strerror(errnum);
}

FILE *outfile_begin(struct outfile *o, const char *path)
{
	int fd, kind, saved;
	FILE *f;

	o->path = path;
	o->tmp[0] = '\0';
	o->f = NULL;
	o->not_a_file = 0;
	kind = outfile_check(path);
	if (kind < 0)
		return NULL;
	if (kind == OUTFILE_OTHER) {
		o->not_a_file = 1;
		errno = EEXIST;
		return NULL;
	}
	if (kind == OUTFILE_STREAM) {
		/* straight into the device or the FIFO: it is not replaced */
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	} else {
		if (outfile_tmpname(o->tmp, sizeof o->tmp, path) != 0) {
			o->tmp[0] = '\0';
			return NULL;
		}
		fd = outfile_create_tmp(o->tmp, path);
		if (fd < 0)
			o->tmp[0] = '\0';
	}
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f) {
		saved = errno;
		close(fd);
		outfile_abort(o);
		errno = saved;
		return NULL;
	}
	o->f = f;
	return f;
}

int outfile_finish(struct outfile *o)
{
	FILE *f = o->f;
	int rc = 0, saved = 0;

	if (!f)
		return 0;
	o->f = NULL;
	if (fflush(f) != 0 || ferror(f) || (o->tmp[0] && fsync(fileno(f)) != 0)) {
		rc = -1;
		saved = errno ? errno : EIO;
	}
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0) {
		outfile_abort(o);
		errno = saved;
	}
	return rc;
}

int outfile_commit(struct outfile *o)
{
	int saved;

	if (outfile_finish(o) != 0)
		return -1;
	if (!o->tmp[0])
		return 0;
	if (rename(o->tmp, o->path) != 0) {
		saved = errno;
		outfile_abort(o);
		errno = saved;
		return -1;
	}
	o->tmp[0] = '\0';
	return 0;
}

void outfile_abort(struct outfile *o)
{
	int saved = errno;

	if (o->f) {
		fclose(o->f);
		o->f = NULL;
	}
	if (o->tmp[0]) {
		unlink(o->tmp);
		o->tmp[0] = '\0';
	}
	errno = saved;
}

const char *outfile_why(const struct outfile *o, int errnum)
{
	return o->not_a_file ? OUTFILE_NOT_A_FILE : outfile_strerror(errnum);
}

int outfile_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}
