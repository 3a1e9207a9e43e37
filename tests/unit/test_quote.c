/*
 * Names printed safely (etl/lib/quote.c): plain names unchanged, control characters and
 * invalid UTF-8 escaped as git's quote_c_style does, text-hiding characters escaped, and a
 * bounded form that never ends inside an escape.
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

static char *quoted(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	quote_name(&sb, name);
	strbuf_puts(&sb, "");
	return strbuf_detach(&sb, &len);
}

static void expect(const char *name, const char *want)
{
	char *got = quoted(name);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_plain_names(void **state)
{
	(void)state;
	expect("returns/E23000001.xml", "returns/E23000001.xml");
	expect("with space.xml", "with space.xml");
	expect("Ynys M\xc3\xb4n.xml", "Ynys M\xc3\xb4n.xml"); /* valid UTF-8 stays readable */
	assert_int_equal(quote_needed("plain.xml"), 0);
	/* no edge to see: an empty name, one of spaces, one that begins or ends with a space */
	expect("", "\"\"");
	expect("   ", "\"   \"");
	expect(" lead.xml", "\" lead.xml\"");
	expect("trail.xml ", "\"trail.xml \"");
}

static void test_controls_escaped(void **state)
{
	(void)state;
	expect("x.xml\n:1: error[R99]: forged", "\"x.xml\\n\\0721: error[R99]: forged\"");
	/* no line end, and still a FILE:LINE: to a script that matches diagnostics (QA) */
	expect("E23000002.xml:7: error[R11]: x", "\"E23000002.xml\\0727: error[R11]: x\"");
	expect("a:b.xml", "a:b.xml");
	expect("t:12.xml", "t:12.xml");
	expect("t:12:.xml", "\"t\\07212:.xml\"");
	/* a text that is no name (a lock's note) keeps its time, and is quoted for the rest */
	{
		char buf[128];
		assert_string_equal(quote_text_buf(buf, sizeof buf, "run X pid 7 started 2026-12-08T02:37:01Z"),
				    "run X pid 7 started 2026-12-08T02:37:01Z");
		assert_string_equal(quote_text_buf(buf, sizeof buf, "at 02:37:01\n:1: error[R99]: x"),
				    "\"at 02:37:01\\n:1: error[R99]: x\"");
		assert_string_equal(quote_name_buf(buf, sizeof buf, "02:37:01"), "\"02\\07237:01\"");
	}
	expect("\x1b[31mred.xml", "\"\\033[31mred.xml\"");
	expect("tab\there", "\"tab\\there\"");
	expect("cr\rhere", "\"cr\\rhere\"");
	expect("bell\a", "\"bell\\a\"");
	expect("del\x7f", "\"del\\177\"");
	expect("quote\"d", "\"quote\\\"d\"");
	expect("back\\slash", "\"back\\\\slash\"");
	assert_int_equal(quote_needed("a\nb"), 1);
}

static void test_bad_utf8_and_hiding(void **state)
{
	(void)state;
	expect("bad\xff.xml", "\"bad\\377.xml\"");
	expect("cut\xc3", "\"cut\\303\"");              /* truncated sequence */
	expect("over\xc0\xaf", "\"over\\300\\257\"");   /* overlong '/' */
	expect("sur\xed\xa0\x80", "\"sur\\355\\240\\200\""); /* a surrogate */
	expect("c1\xc2\x9b", "\"c1\\302\\233\"");         /* C1 CSI */
	expect("rlo\xe2\x80\xaelmx.xml", "\"rlo\\342\\200\\256lmx.xml\""); /* U+202E */
	expect("bom\xef\xbb\xbf", "\"bom\\357\\273\\277\"");
	/* what hides a character or breaks a line without a control byte */
	expect("E23000002\xe2\x80\x8b.xml", "\"E23000002\\342\\200\\213.xml\""); /* U+200B */
	expect("ls\xe2\x80\xa8x.xml", "\"ls\\342\\200\\250x.xml\"");             /* U+2028 */
	expect("soft\xc2\xadhyphen", "\"soft\\302\\255hyphen\"");                   /* U+00AD */
	expect("wj\xe2\x81\xa0.xml", "\"wj\\342\\201\\240.xml\"");               /* U+2060 */
	/* noncharacters (QA: U+FFFE was printed raw) */
	expect("n-\xef\xbf\xbe-.xml", "\"n-\\357\\277\\276-.xml\"");             /* U+FFFE */
	expect("n\xef\xbf\xbf", "\"n\\357\\277\\277\"");                         /* U+FFFF */
	expect("n\xef\xb7\x90", "\"n\\357\\267\\220\"");                         /* U+FDD0 */
	expect("n\xf0\x9f\xbf\xbe", "\"n\\360\\237\\277\\276\"");             /* U+1FFFE */
	expect("n\xef\xb7\xb0", "n\xef\xb7\xb0");         /* U+FDF0, a letter: as it is */
	/* a space that is not U+0020, anywhere in a name: escaped, so that names that differ by
	   one do not look alike (QA: "E23000002.xml" and the same with U+00A0 at its end); in
	   text it is a space (not hidden) */
	expect("E23000002.xml\xc2\xa0", "\"E23000002.xml\\302\\240\"");       /* U+00A0 */
	expect("a\xe2\x80\x80" "b", "\"a\\342\\200\\200b\"");                  /* U+2000 */
	expect("a\xe2\x80\x8a" "b", "\"a\\342\\200\\212b\"");                  /* U+200A */
	expect("a\xe2\x80\xaf" "b", "\"a\\342\\200\\257b\"");                  /* U+202F */
	expect("a\xe2\x81\x9f" "b", "\"a\\342\\201\\237b\"");                  /* U+205F */
	expect("a\xe3\x80\x80" "b", "\"a\\343\\200\\200b\"");                  /* U+3000 */
	expect("a\xe1\x9a\x80" "b", "\"a\\341\\232\\200b\"");                  /* U+1680 */
	expect("a\xe2\xa0\x80" "b", "\"a\\342\\240\\200b\"");                  /* U+2800 */
	assert_int_equal(quote_hidden_len("\xc2\xa0"), 0);
	assert_int_equal(quote_hidden_len("\xe2\x80\xae"), 3);
	assert_int_equal(quote_hidden_len("\xc3\xb4"), 0); /* a letter */
	assert_int_equal(quote_hidden_len("a"), 0);
	/* names that look alike (QA: each printed raw beside the other): a variation selector or
	   a combining mark on an ASCII character is escaped, as is a format control U+13430 */
	expect("E23000002\xef\xb8\x8f.xml", "\"E23000002\\357\\270\\217.xml\"");   /* U+FE0F */
	expect("cafe\xcc\x81.xml", "\"cafe\\314\\201.xml\"");                     /* e U+0301 */
	expect("caf\xc3\xa9.xml", "caf\xc3\xa9.xml");                              /* U+00E9 */
	expect("E2\xf0\x93\x90\xb0" "1.xml", "\"E2\\360\\223\\220\\260" "1.xml\""); /* U+13430 */
	expect("\xcc\x81x", "\"\\314\\201x\"");                                   /* at the start */
	/* on a letter that is not ASCII they are text: an emoji's selector, a Welsh letter's mark */
	expect("\xe2\x9d\xa4\xef\xb8\x8f.xml", "\xe2\x9d\xa4\xef\xb8\x8f.xml");     /* U+2764 U+FE0F */
	expect("\xc5\xb5\xcc\x81", "\xc5\xb5\xcc\x81");                             /* U+0175 U+0301 */
	assert_int_equal(quote_needed("E2\xef\xb8\x8f"), 1);
	/* text as it is: a no-break space or a quote is text; no hidden character, no edge space */
	assert_int_equal(quote_text_plain("ONS\xc2\xa0" "estimates \"2021\""), 1);
	assert_int_equal(quote_text_plain(""), 1);
	assert_int_equal(quote_text_plain("a\xe2\x80\xae" "b"), 0);
	assert_int_equal(quote_text_plain("a\tb"), 0);
	assert_int_equal(quote_text_plain(" a"), 0);
	assert_int_equal(quote_text_plain("bad\xff"), 0);
}

/* A message carries text from inside a file (an attribute value): nothing in it may reorder
   or hide the line it is printed on. */
static void test_diag_message_printable(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_int_equal(diag_add(&d, "x.xml", 3, "R05", DIAG_ERROR, "value '2023\xe2\x80\xae-05-04' "
				  "and '\xe2\x80\xa8' and '\xc2\x9b' and 'M\xc3\xb4n' and 'a\x9b[31mb' and "
				  "'\xe2\x80' and '\xff\xfe'"), 0);
	assert_string_equal(d.items[0].message, "value '2023?-05-04' and '?' and '?' and 'M\xc3\xb4n' and "
			    "'a?[31mb' and '?\?' and '?\?'");
	diag_clear(&d);
}

/* quote_unquote gives back the name quote_name_buf quoted, and refuses what is no such form */
static void test_unquote(void **state)
{
	static const char *const names[] = { "a\tb.xml", "x\ny.xml", "\"a\\ty.xml\"", "esc\033[31m",
					      "\x9b\xff", "rlo\xe2\x80\xae.xml", " lead", "\x01\x7f\\" };
	static const char *const bad[] = { "plain", "\"", "\"open", "\"a\\\"", "\"a\\q\"",
					    "\"a\\09\"", "\"a\\000b\"", "\"in\"side\"" };
	char q[256], back[256];
	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		quote_name_buf(q, sizeof q, names[i]);
		assert_int_equal(q[0], '"');
		assert_int_equal(quote_unquote(q, back, sizeof back), (long)strlen(names[i]));
		assert_string_equal(back, names[i]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(quote_unquote(bad[i], back, sizeof back), -1);
	assert_int_equal(quote_unquote("\"abcdef\"", back, 4), -1); /* does not fit */
	/* characters, not bytes: 'ô' is one, a zero-width space one */
	assert_int_equal(quote_text_chars("M\xc3\xb4n"), 3);
	assert_int_equal(quote_text_chars("a\xe2\x80\x8b"), 2);
	assert_int_equal(quote_text_chars(""), 0);
}

static void test_bounded(void **state)
{
	char buf[16];
	(void)state;
	assert_string_equal(quote_name_buf(buf, sizeof buf, "short.xml"), "short.xml");
	quote_name_buf(buf, sizeof buf, "a-very-long-plain-name.xml");
	assert_true(strlen(buf) < sizeof buf);
	assert_non_null(strstr(buf, "..."));
	quote_name_buf(buf, sizeof buf, "\n\n\n\n\n\n\n\n\n\n");
	assert_true(strlen(buf) < sizeof buf);
	assert_int_equal(buf[0], '"');
	assert_int_equal(buf[strlen(buf) - 1], '"');
	/* never an escape cut in half: every backslash is followed by a whole escape */
	for (const char *p = buf; *p; p++)
		if (*p == '\\') {
			assert_true(p[1] == 'n');
			p++;
		}
	assert_string_equal(quote_name_buf(buf, sizeof buf, NULL), "(null)");
}

/* A name inside a message: 'plain', or "C-quoted" (never both kinds of quotes). */
static void test_arg(void **state)
{
	char buf[16], big[64];
	(void)state;
	assert_string_equal(quote_arg_buf(big, sizeof big, "plain.xml"), "'plain.xml'");
	assert_string_equal(quote_arg_buf(big, sizeof big, "tab\there.xml"), "\"tab\\there.xml\"");
	assert_string_equal(quote_arg_buf(big, sizeof big, "Ynys M\xc3\xb4n.xml"), "'Ynys M\xc3\xb4n.xml'");
	assert_string_equal(quote_arg_buf(big, sizeof big, NULL), "(null)");
	/* cut to fit, the closing quote kept */
	quote_arg_buf(buf, sizeof buf, "a-very-long-plain-name.xml");
	assert_true(strlen(buf) == sizeof buf - 1);
	assert_int_equal(buf[0], '\'');
	assert_int_equal(buf[strlen(buf) - 1], '\'');
	assert_non_null(strstr(buf, "..."));
}

static void test_diag_print_quotes_file(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	char out[512] = "";
	FILE *f = fmemopen(out, sizeof out, "w");
	(void)state;
	assert_non_null(f);
	assert_int_equal(diag_add(&d, "x.xml\n:1: error[R99]: forged", 3, "R01", DIAG_ERROR, "m"), 0);
	diag_print(&d, f);
	fclose(f);
	assert_string_equal(out, "\"x.xml\\n\\0721: error[R99]: forged\":3: error[R01]: m\n");
	diag_clear(&d);
}

/* The cap is per file: a file with many diagnostics does not hide another file's one, and its
 * own "and N more" follows its last one shown (QA: mappa-merge blamed 50 files' errors on
 * another). A list with a keep keeps the old rule: at most keep in all. */
static void test_diag_cap_per_file(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	(void)state;
	assert_non_null(f);
	for (int i = 0; i < 250; i++)
		assert_int_equal(diag_add(&d, "a.xml", i + 1, "R06", DIAG_ERROR, "m"), 0);
	assert_int_equal(diag_add(&d, "b.xml", 7, "R06", DIAG_WARNING, "w"), 0);
	assert_int_equal(diag_add(&d, "a.xml", 300, "R06", DIAG_WARNING, "w"), 0);
	assert_int_equal(d.count, DIAG_KEEP + 1);
	assert_int_equal(d.dropped, 251 - DIAG_KEEP);
	assert_int_equal(d.errors, 250);
	assert_int_equal(d.warnings, 2);
	diag_sort(&d);
	diag_print(&d, f);
	fclose(f);
	assert_non_null(strstr(out, "b.xml:7: warning[R06]: w\n"));
	assert_non_null(strstr(out, "a.xml:100: error[R06]: m\n"
				    "a.xml: and 151 more not shown (250 errors, 1 warning in all)\n"));
	assert_null(strstr(out, "b.xml: and"));
	free(out);
	diag_clear(&d);

	/* a full file keeps its lowest lines: one found later, before its last kept line, takes
	   that one's place (QA: 150 R04 from line 61 on hid an R06 at line 57 found after them) */
	out = NULL;
	f = open_memstream(&out, &len);
	assert_non_null(f);
	for (int i = 0; i < 150; i++)
		assert_int_equal(diag_add(&d, "c.xml", 61 + i, "R04", DIAG_ERROR, "m"), 0);
	assert_int_equal(diag_add(&d, "c.xml", 57, "R06", DIAG_ERROR, "first"), 0);
	assert_int_equal(diag_add(&d, "c.xml", 400, "R06", DIAG_ERROR, "late"), 0);
	assert_int_equal(d.count, DIAG_KEEP);
	assert_int_equal(d.errors, 152);
	assert_int_equal(d.dropped, 52);
	diag_sort(&d);
	assert_int_equal(d.items[0].line, 57);
	assert_string_equal(d.items[0].message, "first");
	assert_int_equal(d.items[DIAG_KEEP - 1].line, 61 + DIAG_KEEP - 2);
	diag_print(&d, f);
	fclose(f);
	assert_non_null(strstr(out, "c.xml: and 52 more not shown (152 errors, 0 warnings in all)\n"));
	free(out);
	diag_clear(&d);

	d.keep = 3;
	for (int i = 0; i < 5; i++)
		assert_int_equal(diag_add(&d, i < 2 ? "a.xml" : "b.xml", i, "R06", DIAG_ERROR, "m"), 0);
	assert_int_equal(d.count, 3);
	assert_int_equal(d.dropped, 2);
	diag_clear(&d);
}

/* The run report formats diagnostics through diag_format: the same quoted name as diag_print. */
static void test_diag_format_quotes_file(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *got;
	size_t len;
	(void)state;
	assert_int_equal(diag_add(&d, "in\033[2Jbox/x.xml", 7, "R02", DIAG_WARNING, "m"), 0);
	diag_format(&sb, &d.items[0]);
	got = strbuf_detach(&sb, &len);
	assert_non_null(got);
	assert_string_equal(got, "\"in\\033[2Jbox/x.xml\":7: warning[R02]: m");
	free(got);
	diag_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_names),
		cmocka_unit_test(test_controls_escaped),
		cmocka_unit_test(test_bad_utf8_and_hiding),
		cmocka_unit_test(test_diag_message_printable),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_unquote),
		cmocka_unit_test(test_arg),
		cmocka_unit_test(test_diag_print_quotes_file),
		cmocka_unit_test(test_diag_format_quotes_file),
		cmocka_unit_test(test_diag_cap_per_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
