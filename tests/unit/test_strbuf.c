/*
 * The string buffer (etl/lib/strbuf.c): strbuf_vformat, the one printf-into-a-new-string of
 * the library (ptable's titles and headings, xhtml's formatted attributes and text), and
 * strbuf_addf past the room it reserves first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strbuf.h"

/* strbuf_vformat through "..." as its callers use it. No format attribute on purpose: the
 * empty format is one of the cases (gcc's -Wformat-zero-length would refuse it). */
static char *format(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = strbuf_vformat(fmt, ap);
	va_end(ap);
	return s;
}

/* got is want (got is freed). */
static void expect(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* A string of n copies of c (the caller frees it). */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void vformat_plain(void **state)
{
	(void)state;
	expect(format("%s-%d-%zu-%lld", "a", -1, (size_t)2, 3LL), "a--1-2-3");
}

static void vformat_empty(void **state)
{
	(void)state;
	expect(format(""), "");
	expect(format("%s", ""), "");
}

static void vformat_percent(void **state)
{
	(void)state;
	expect(format("%%"), "%");
	expect(format("100%% of %d%%, %s%%%%", 5, "x"), "100% of 5%, x%%");
	/* a "%" in an argument is not a conversion */
	expect(format("%s", "%d %s %%"), "%d %s %%");
}

static void vformat_long(void **state)
{
	const size_t n = 3 * 4096 + 17;     /* past 4 KiB, and past any fixed buffer of a page */
	char *arg = repeat('x', n), *want, *s;

	(void)state;
	s = format("[%s]", arg);
	assert_non_null(s);
	assert_int_equal(strlen(s), n + 2);
	assert_int_equal(s[0], '[');
	assert_memory_equal(s + 1, arg, n);
	assert_string_equal(s + 1 + n, "]");
	free(s);
	/* a long result from a short format: a field width */
	want = repeat(' ', 5000);
	want[4999] = '7';
	expect(format("%*d", 5000, 7), want);
	free(want);
	/* two long arguments, and %% between them */
	s = format("%s%%%s", arg, arg);
	assert_non_null(s);
	assert_int_equal(strlen(s), 2 * n + 1);
	assert_int_equal(s[n], '%');
	assert_memory_equal(s + n + 1, arg, n);
	free(s);
	free(arg);
}

/* strbuf_addf reserves 64 bytes first and grows for a longer result. */
static void addf_long(void **state)
{
	struct strbuf b = STRBUF_INIT;
	char *arg = repeat('y', 5000);
	size_t len;
	char *s;

	(void)state;
	strbuf_addf(&b, "%s", "ab");
	strbuf_addf(&b, "<%s>%%", arg);
	assert_int_equal(strbuf_ok(&b), 0);
	assert_int_equal(b.len, 2 + 5000 + 3);
	s = strbuf_detach(&b, &len);
	assert_int_equal(len, 5005);
	assert_memory_equal(s, "ab<", 3);
	assert_memory_equal(s + 3, arg, 5000);
	assert_string_equal(s + 5003, ">%");
	free(s);
	free(arg);
	strbuf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vformat_plain),
		cmocka_unit_test(vformat_empty),
		cmocka_unit_test(vformat_percent),
		cmocka_unit_test(vformat_long),
		cmocka_unit_test(addf_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
