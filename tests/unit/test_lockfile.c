/*
 * The lock of an OUTDIR (etl/lib/lockfile.c): another process cannot take it while it is
 * held, and closing a second descriptor of the same file does not give it up (QA: a name in
 * OUTDIR linked to .lock, read as a bundle and closed, let a second run in).
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
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lockfile.h"

/* Whether another process can take the lock of path now: 1 yes, 0 no (held), -1 error. */
static int other_can_take(const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			_exit(2);
		if (lockfile_take(fd) == 0)
			_exit(1);
		_exit(errno == EWOULDBLOCK || errno == EACCES ? 0 : 3);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return -1;
	return WEXITSTATUS(status);
}

/* Whether another process's flock(2), as flock(1) takes it, gets path now: 1 yes, 0 no. */
static int flock_can_take(const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			_exit(2);
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			_exit(1);
		_exit(errno == EWOULDBLOCK ? 0 : 3);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return -1;
	return WEXITSTATUS(status);
}

/* An operator's flock(1) holding the file: the lock is not taken. */
static void test_flock_holder_keeps_out(void **state)
{
	char path[] = "/tmp/test_lockfile.XXXXXX";
	int fd = mkstemp(path), other;

	(void)state;
	assert_true(fd >= 0);
	other = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(other >= 0);
	assert_int_equal(flock(other, LOCK_EX | LOCK_NB), 0);
	errno = 0;
	assert_int_equal(lockfile_take(fd), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	assert_int_equal(close(other), 0);
	assert_int_equal(lockfile_take(fd), 0);
	assert_int_equal(close(fd), 0);
	unlink(path);
}

static void test_held_until_closed(void **state)
{
	char path[] = "/tmp/test_lockfile.XXXXXX";
	int fd = mkstemp(path), second;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(other_can_take(path), 1);
	assert_int_equal(lockfile_take(fd), 0);
	assert_int_equal(other_can_take(path), 0);
	/* a second descriptor of the same file, opened and closed: the lock stays */
	second = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(second >= 0);
	assert_int_equal(close(second), 0);
	assert_int_equal(other_can_take(path), 0);
	/* taken again by its holder: no change */
	assert_int_equal(lockfile_take(fd), 0);
	assert_int_equal(other_can_take(path), 0);
	/* flock(1)'s kind of lock: the one taken, as flock -n .lock would see it */
	assert_int_equal(flock_can_take(path), 0);
	/* closed by its holder: free */
	assert_int_equal(close(fd), 0);
	assert_int_equal(other_can_take(path), 1);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_held_until_closed),
		cmocka_unit_test(test_flock_holder_keeps_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
