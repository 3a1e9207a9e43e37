/*
 * The diagnostics list (etl/lib/diag.c): one message is kept whole, however long its quoted
 * names make it, and made one printable line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "quote.h"
#include "strbuf.h"

/* Two names of 120 control bytes each (480 bytes quoted): the message was cut at 511 bytes,
   inside the second name's escapes, leaving it unclosed and the rest gone (QA). */
static void test_long_message_whole(void **state)
{
	struct diag_list l = DIAG_LIST_INIT;
	char raw[128], q1[1024], q2[1024];
	struct strbuf out = STRBUF_INIT;
	const char *tail = ", which has the same revision (other counts): a revision must not change";

	(void)state;
	memset(raw, 1, 120);
	raw[120] = '\0';
	quote_name_buf(q1, sizeof q1, raw);
	quote_name_buf(q2, sizeof q2, raw);
	assert_true(strlen(q1) > 480);
	assert_int_equal(diag_add(&l, raw, 7, "M05", DIAG_ERROR, "area E23000002 differs from %s%s", q2,
				  tail), 0);
	assert_int_equal(l.count, 1);
	assert_true(strlen(l.items[0].message) > 511);
	assert_non_null(strstr(l.items[0].message, q2));
	assert_true(strlen(l.items[0].message) >= strlen(tail));
	assert_string_equal(l.items[0].message + strlen(l.items[0].message) - strlen(tail), tail);
	diag_format(&out, &l.items[0]);
	assert_int_equal(strbuf_ok(&out), 0);
	assert_non_null(strstr(out.data, q1)); /* the file's name quoted whole too */
	assert_null(strchr(out.data, '\001'));
	strbuf_release(&out);
	diag_clear(&l);
}

/* A message of control bytes and line ends is one printable line, without trailing spaces. */
static void test_message_one_line(void **state)
{
	struct diag_list l = DIAG_LIST_INIT;

	(void)state;
	assert_int_equal(diag_add(&l, "f.xml", 1, "R01", DIAG_WARNING, "a\nb\rc\td\001e  "), 0);
	assert_string_equal(l.items[0].message, "a b c d?e");
	diag_clear(&l);
}

/* A value cut short in a message is cut before a letter of two bytes, never inside it, and
   marked "..." (QA: '1234567890123456789?...') */
static void test_quote_cut_whole_letters(void **state)
{
	char q[80];
	(void)state;
	diag_quote_arg(q, sizeof q, "1234567890123456789\xc3\xa9xyz", 20);
	assert_string_equal(q, "'1234567890123456789...'");
	diag_quote_arg(q, sizeof q, "123456789012345678\xc3\xa9xyz", 20);
	assert_string_equal(q, "'123456789012345678\xc3\xa9...'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_message_whole),
		cmocka_unit_test(test_message_one_line),
		cmocka_unit_test(test_quote_cut_whole_letters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
