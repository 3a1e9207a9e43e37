/*
 * Opening a file that is read whole (etl/lib/regfile.c): a regular file is opened, with its
 * status; a FIFO with no writer is refused at once (QA: a FIFO at a run folder's status kept
 * the run waiting for ever, holding its lock), as are a folder (EISDIR) and a device
 * (EINVAL); O_NOFOLLOW refuses a symbolic link; the descriptor is close-on-exec.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "regfile.h"

static char dir[] = "/tmp/test_regfile.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *names[] = { "file", "fifo", "link", "sub" };
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	(void)state;
	for (size_t i = 0; dfd >= 0 && i < sizeof names / sizeof *names; i++)
		(void)unlinkat(dfd, names[i], strcmp(names[i], "sub") == 0 ? AT_REMOVEDIR : 0);
	if (dfd >= 0)
		close(dfd);
	return rmdir(dir);
}

static void test_kinds(void **state)
{
	struct stat st;
	int dfd, fd, flags;
	FILE *f;
	char path[64];

	(void)state;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	snprintf(path, sizeof path, "%s/file", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs("status 0\n", f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(mkfifoat(dfd, "fifo", 0600), 0);
	assert_int_equal(symlinkat("file", dfd, "link"), 0);
	assert_int_equal(mkdirat(dfd, "sub", 0700), 0);

	/* a regular file: opened, its status given, close-on-exec, no other flag left on */
	fd = regfile_open(dfd, "file", O_NOFOLLOW, &st);
	assert_true(fd >= 0);
	assert_int_equal(st.st_size, 9);
	flags = fcntl(fd, F_GETFD);
	assert_true(flags >= 0 && (flags & FD_CLOEXEC));
	close(fd);
	/* by a path, with no status wanted */
	fd = regfile_open(AT_FDCWD, path, 0, NULL);
	assert_true(fd >= 0);
	close(fd);
	/* a FIFO with no writer: refused at once, never waited on */
	errno = 0;
	assert_int_equal(regfile_open(dfd, "fifo", 0, &st), -1);
	assert_int_equal(errno, EINVAL);
	/* a folder */
	errno = 0;
	assert_int_equal(regfile_open(dfd, "sub", 0, NULL), -1);
	assert_int_equal(errno, EISDIR);
	/* a device */
	errno = 0;
	assert_int_equal(regfile_open(AT_FDCWD, "/dev/null", 0, NULL), -1);
	assert_int_equal(errno, EINVAL);
	/* a symbolic link: followed unless O_NOFOLLOW is asked for */
	fd = regfile_open(dfd, "link", 0, NULL);
	assert_true(fd >= 0);
	close(fd);
	errno = 0;
	assert_int_equal(regfile_open(dfd, "link", O_NOFOLLOW, NULL), -1);
	assert_int_equal(errno, ELOOP);
	/* nothing there */
	errno = 0;
	assert_int_equal(regfile_open(dfd, "none", 0, NULL), -1);
	assert_int_equal(errno, ENOENT);
	close(dfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
