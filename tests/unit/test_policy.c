/*
 * test_policy.c - loading and validating the disclosure policy.
 * Run from the repository root, or set MAPPA_SOURCE_DIR to it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "policy.h"

static char xsd_path[4096], default_path[4096];

static const char *srcdir(void)
{
	const char *d = getenv("MAPPA_SOURCE_DIR");

	return d ? d : ".";
}

static int setup(void **state)
{
	(void)state;
	snprintf(xsd_path, sizeof(xsd_path), "%s/schemas/policy.xsd", srcdir());
	snprintf(default_path, sizeof(default_path), "%s/policy/default.xml",
		 srcdir());
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The first diagnostic of a refused policy as one line ("file:line: message"), for the
   needles of these tests; the list is cleared. */
static int first_message(int rc, struct diag_list *d, char *err, size_t errlen)
{
	const struct diag *f = d->count ? &d->items[0] : NULL;

	err[0] = '\0';
	if (rc != POLICY_OK) {
		if (!f)
			snprintf(err, errlen, "out of memory");
		else if (f->line > 0)
			snprintf(err, errlen, "%s:%ld: %s", f->file, f->line, f->message);
		else
			snprintf(err, errlen, "%s: %s", f->file, f->message);
	}
	diag_clear(d);
	return rc;
}

static int load_file(const char *path, const struct policy_schema *xsd, struct policy *pol,
		     char *err, size_t errlen)
{
	struct diag_list d = DIAG_LIST_INIT;

	return first_message(policy_read_file(path, xsd, pol, &d), &d, err, errlen);
}

static int load_memory(const char *buf, size_t len, const char *name,
		       const struct policy_schema *xsd, struct policy *pol, char *err,
		       size_t errlen)
{
	struct diag_list d = DIAG_LIST_INIT;

	return first_message(policy_read_memory(buf, len, name, xsd, pol, &d), &d, err, errlen);
}

static int load_str(const char *doc, struct policy *pol, char *err,
		    size_t errlen)
{
	struct policy_schema xsd = { xsd_path, NULL, 0 };

	return load_memory(doc, strlen(doc), "test.xml", &xsd, pol, err, errlen);
}

#define HEAD "<?xml version=\"1.0\"?>\n"
#define OPEN "<policy xmlns=\"urn:mappa:policy:1\" version=\"1\">\n"
#define WITHHELD "<withheld scope=\"area\"><category>4</category></withheld>\n"
#define AREA "<primary scope=\"area\" min=\"1\" max=\"2\" protectZeros=\"false\"/>\n"
#define NATIONAL "<primary scope=\"national\" min=\"1\" max=\"2\" protectZeros=\"false\"/>\n"
#define INTERVAL "<interval minWidth=\"1\"/>\n"
#define CLOSE "</policy>\n"

static void assert_policy_equal(const struct policy *a,
				const struct policy *b)
{
	assert_int_equal(a->withheld_categories, b->withheld_categories);
	assert_int_equal(a->area.min, b->area.min);
	assert_int_equal(a->area.max, b->area.max);
	assert_int_equal(a->area.protect_zeros, b->area.protect_zeros);
	assert_int_equal(a->national.min, b->national.min);
	assert_int_equal(a->national.max, b->national.max);
	assert_int_equal(a->national.protect_zeros, b->national.protect_zeros);
	assert_int_equal(a->min_width, b->min_width);
	assert_int_equal(a->protection_range, b->protection_range);
	assert_int_equal(a->insiders, b->insiders);
	assert_int_equal(a->coalition, b->coalition);
	assert_int_equal(a->singletons, b->singletons);
}

static void test_default_file(void **state)
{
	struct policy_schema xsd = { xsd_path, NULL, 0 };
	struct policy pol, def;
	char err[256] = "";

	(void)state;
	assert_int_equal(load_file(default_path, &xsd, &pol, err,
					  sizeof(err)), POLICY_OK);
	policy_init_default(&def);
	assert_policy_equal(&pol, &def);
	assert_true(policy_withheld(&pol, 4));
	assert_false(policy_withheld(&pol, 3));
	assert_false(policy_withheld(&pol, 0));
	assert_false(policy_primary(&pol, 0, 0));
	assert_true(policy_primary(&pol, 0, 1));
	assert_true(policy_primary(&pol, 1, 2));
	assert_false(policy_primary(&pol, 1, 3));
	assert_int_equal(pol.min_width, 1);
	assert_int_equal(pol.interval_line, 25);
	policy_init_default(&def);
	assert_int_equal(def.interval_line, 0);
	/* every reader, and the protection range, by default */
	assert_int_equal(pol.protection_range, 1);
	assert_int_equal(pol.insiders, 1);
	assert_int_equal(pol.coalition, 1);
	assert_int_equal(pol.singletons, 1);
	assert_string_equal(def.sha256, ""); /* not read from anything */
}

/* the SHA-256 of the bytes a policy was read from (a dataset's policy-sha256): the same bytes
   from a file or from memory give the same digest; one byte more, another */
static void test_sha256(void **state)
{
	static const char doc[] = HEAD OPEN WITHHELD AREA NATIONAL INTERVAL CLOSE;
	struct policy_schema xsd = { xsd_path, NULL, 0 };
	struct policy a, b;
	char err[256] = "", want[65], path[] = "/tmp/test_policy_sha256_XXXXXX";
	int fd;

	(void)state;
	assert_int_equal(load_str(doc, &a, err, sizeof err), POLICY_OK);
	digest_sha256_hex(doc, strlen(doc), want);
	assert_string_equal(a.sha256, want);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
	close(fd);
	assert_int_equal(load_file(path, &xsd, &b, err, sizeof err), POLICY_OK);
	unlink(path);
	assert_string_equal(b.sha256, want);
	assert_int_equal(load_str(HEAD OPEN WITHHELD AREA NATIONAL INTERVAL CLOSE "\n", &b, err,
				  sizeof err), POLICY_OK);
	assert_policy_equal(&a, &b);
	assert_string_not_equal(b.sha256, want);
}

/* policy_reason: the one answer to "is this count withheld, and why" */
static void test_reason(void **state)
{
	struct policy pol;

	(void)state;
	policy_init_default(&pol);
	/* category 4 per area, and every total that holds it; never nationally */
	assert_int_equal(policy_reason(&pol, 0, 4, 50), POLICY_WITHHELD);
	assert_int_equal(policy_reason(&pol, 0, CAT_ALL, 50), POLICY_WITHHELD);
	assert_int_equal(policy_reason(&pol, 0, CAT_1_3, 50), POLICY_PUBLISHED);
	assert_int_equal(policy_reason(&pol, 1, 4, 50), POLICY_PUBLISHED);
	assert_int_equal(policy_reason(&pol, 1, CAT_ALL, 1), POLICY_PRIMARY);
	/* the thresholds of each scope, zeros published */
	assert_int_equal(policy_reason(&pol, 0, 1, 0), POLICY_PUBLISHED);
	assert_int_equal(policy_reason(&pol, 0, 1, 1), POLICY_PRIMARY);
	assert_int_equal(policy_reason(&pol, 0, 2, 2), POLICY_PRIMARY);
	assert_int_equal(policy_reason(&pol, 0, 3, 3), POLICY_PUBLISHED);
	assert_int_equal(policy_reason(&pol, 0, CAT_NONE, 2), POLICY_PRIMARY);
	/* a withheld cell is withheld whatever its value */
	assert_int_equal(policy_reason(&pol, 0, 4, 0), POLICY_WITHHELD);
	/* another policy: category 3 withheld, national 1-5 with zeros protected */
	pol.withheld_categories = 1u << 3;
	pol.national.max = 5;
	pol.national.protect_zeros = 1;
	assert_int_equal(policy_reason(&pol, 0, 3, 9), POLICY_WITHHELD);
	assert_int_equal(policy_reason(&pol, 0, CAT_1_3, 9), POLICY_WITHHELD);
	assert_int_equal(policy_reason(&pol, 0, CAT_ALL, 9), POLICY_WITHHELD);
	assert_int_equal(policy_reason(&pol, 0, 4, 9), POLICY_PUBLISHED);
	assert_int_equal(policy_reason(&pol, 1, 3, 0), POLICY_PRIMARY);
	assert_int_equal(policy_reason(&pol, 1, 3, 5), POLICY_PRIMARY);
	assert_int_equal(policy_reason(&pol, 1, 3, 6), POLICY_PUBLISHED);
	/* none withheld */
	pol.withheld_categories = 0;
	assert_int_equal(policy_reason(&pol, 0, CAT_ALL, 9), POLICY_PUBLISHED);
}

static void test_schema_in_memory(void **state)
{
	size_t xlen, dlen;
	char *x = slurp(xsd_path, &xlen);
	char *d = slurp(default_path, &dlen);
	struct policy_schema xsd = { NULL, x, xlen };
	struct policy pol, def;
	char err[256] = "";

	(void)state;
	assert_int_equal(load_memory(d, dlen, "default.xml", &xsd, &pol,
					    err, sizeof(err)), POLICY_OK);
	policy_init_default(&def);
	assert_policy_equal(&pol, &def);
	free(x);
	free(d);
}

static void test_custom(void **state)
{
	struct policy pol;
	char err[256] = "";
	const char *doc = HEAD OPEN
		"<withheld scope=\"area\"><category>3</category>"
		"<category>4</category></withheld>\n"
		"<primary scope=\"national\" min=\"1\" max=\"3\" "
		"protectZeros=\"true\"/>\n"
		"<primary scope=\"area\" min=\"1\" max=\"9\" "
		"protectZeros=\"false\"/>\n"
		"<interval minWidth=\"2\"/>\n" CLOSE;

	(void)state;
	assert_int_equal(load_str(doc, &pol, err, sizeof(err)), POLICY_OK);
	assert_true(policy_withheld(&pol, 3));
	assert_true(policy_withheld(&pol, 4));
	assert_false(policy_withheld(&pol, 1));
	assert_int_equal(pol.area.max, 9);
	assert_int_equal(pol.national.max, 3);
	assert_int_equal(pol.national.protect_zeros, 1);
	assert_true(policy_primary(&pol, 1, 0));
	assert_false(policy_primary(&pol, 0, 0));
	assert_int_equal(pol.min_width, 2);
	/* the line of the interval element, for a policy a suppression cannot meet (S03) */
	assert_int_equal(pol.interval_line, 6);
	/* nothing withheld is allowed */
	assert_int_equal(load_str(HEAD OPEN "<withheld scope=\"area\"/>"
				  AREA NATIONAL INTERVAL CLOSE, &pol, err,
				  sizeof(err)), POLICY_OK);
	assert_int_equal(pol.withheld_categories, 0);
	/* no attackers element: every reader; one that names them */
	assert_int_equal(pol.insiders, 1);
	assert_int_equal(pol.singletons, 1);
	assert_int_equal(load_str(HEAD OPEN WITHHELD AREA NATIONAL
				  "<interval minWidth=\"5\" protectionRange=\"false\"/>"
				  "<attackers insiders=\"false\" coalition=\"2\" singletons=\"false\"/>"
				  CLOSE, &pol, err, sizeof(err)), POLICY_OK);
	assert_int_equal(pol.min_width, 5);
	assert_int_equal(pol.protection_range, 0);
	assert_int_equal(pol.insiders, 0);
	assert_int_equal(pol.coalition, 2);
	assert_int_equal(pol.singletons, 0);
	/* the last pass: off unless asked for */
	assert_int_equal(pol.publish_again, 0);
	assert_int_equal(load_str(HEAD OPEN WITHHELD AREA NATIONAL INTERVAL
				  "<attackers/><secondaries publishAgain=\"true\"/>"
				  CLOSE, &pol, err, sizeof(err)), POLICY_OK);
	assert_int_equal(pol.publish_again, 1);
	assert_int_equal(pol.insiders, 1);
	assert_int_equal(load_str(HEAD OPEN WITHHELD AREA NATIONAL INTERVAL
				  "<secondaries/>" CLOSE, &pol, err, sizeof(err)), POLICY_OK);
	assert_int_equal(pol.publish_again, 0);
	policy_init_default(&pol);
	assert_int_equal(pol.publish_again, 0);
	/* the schema collapses white space in a boolean before it checks it: " true" is valid and
	   is true (it read as false: a policy naming every reader protected against the outsider
	   only, and published, QA); so is "false\t" false */
	assert_int_equal(load_str(HEAD OPEN WITHHELD
				  "<primary scope=\"area\" min=\"1\" max=\"2\" protectZeros=\" true\"/>\n"
				  "<primary scope=\"national\" min=\"1\" max=\"2\" protectZeros=\"true\n\"/>\n"
				  "<interval minWidth=\" 2 \" protectionRange=\"\ttrue \"/>"
				  "<attackers insiders=\" true\" coalition=\" 2\" singletons=\"true \"/>"
				  "<secondaries publishAgain=\"  true  \"/>"
				  CLOSE, &pol, err, sizeof(err)), POLICY_OK);
	assert_int_equal(pol.area.protect_zeros, 1);
	assert_int_equal(pol.national.protect_zeros, 1);
	assert_int_equal(pol.min_width, 2);
	assert_int_equal(pol.protection_range, 1);
	assert_int_equal(pol.insiders, 1);
	assert_int_equal(pol.coalition, 2);
	assert_int_equal(pol.singletons, 1);
	assert_int_equal(pol.publish_again, 1);
	assert_int_equal(load_str(HEAD OPEN WITHHELD AREA NATIONAL
				  "<interval minWidth=\"1\" protectionRange=\" false\"/>"
				  "<attackers insiders=\"false\t\" singletons=\" false \"/>"
				  CLOSE, &pol, err, sizeof(err)), POLICY_OK);
	assert_int_equal(pol.protection_range, 0);
	assert_int_equal(pol.insiders, 0);
	assert_int_equal(pol.singletons, 0);
}

struct bad_case {
	const char *doc;
	int code;
	const char *needle;
};

static void test_invalid(void **state)
{
	static const struct bad_case cases[] = {
		{ HEAD "<policy xmlns=\"urn:other\" version=\"1\">" WITHHELD
		  AREA NATIONAL INTERVAL CLOSE, POLICY_EINVALID, "test.xml:2:" },
		{ HEAD OPEN WITHHELD
		  "<primary scope=\"area\" min=\"+1\" max=\"2\" "
		  "protectZeros=\"false\"/>" NATIONAL INTERVAL CLOSE,
		  POLICY_EINVALID, NULL },
		{ HEAD OPEN WITHHELD
		  "<primary scope=\"area\" min=\"0\" max=\"2\" "
		  "protectZeros=\"false\"/>" NATIONAL INTERVAL CLOSE,
		  POLICY_EINVALID, NULL },
		{ HEAD OPEN WITHHELD
		  "<primary scope=\"area\" min=\"3\" max=\"2\" "
		  "protectZeros=\"false\"/>" NATIONAL INTERVAL CLOSE,
		  POLICY_EINVALID, "min 3 is above max 2" },
		/* a rule starting above 1 would publish the 1s and 2s (QA): refused in each scope */
		{ HEAD OPEN WITHHELD
		  "<primary scope=\"area\" min=\"3\" max=\"10\" "
		  "protectZeros=\"false\"/>" NATIONAL INTERVAL CLOSE,
		  POLICY_EINVALID, "test.xml:4: primary rule: min 3 is not 1: a primary "
		  "rule suppresses the counts from 1 up to max, and one starting at 3 would publish "
		  "the counts below it" },
		{ HEAD OPEN WITHHELD AREA
		  "<primary scope=\"national\" min=\"2\" max=\"2\" "
		  "protectZeros=\"false\"/>" INTERVAL CLOSE,
		  POLICY_EINVALID, "test.xml:5: primary rule: min 2 is not 1" },
		{ HEAD OPEN WITHHELD
		  "<primary scope=\"area\" min=\"1\" max=\"2\" "
		  "protectZeros=\"1\"/>" NATIONAL INTERVAL CLOSE,
		  POLICY_EINVALID, NULL },
		{ HEAD OPEN WITHHELD AREA AREA INTERVAL CLOSE,
		  POLICY_EINVALID, NULL },
		{ HEAD OPEN WITHHELD AREA INTERVAL CLOSE, POLICY_EINVALID,
		  NULL },
		{ HEAD OPEN "<withheld scope=\"area\"><category>4</category>"
		  "<category>4</category></withheld>" AREA NATIONAL INTERVAL
		  CLOSE, POLICY_EINVALID, NULL },
		{ HEAD OPEN "<withheld scope=\"area\"><category>5</category>"
		  "</withheld>" AREA NATIONAL INTERVAL CLOSE,
		  POLICY_EINVALID, NULL },
		{ HEAD OPEN WITHHELD AREA NATIONAL CLOSE, POLICY_EINVALID,
		  NULL },
		{ HEAD OPEN WITHHELD AREA NATIONAL "<interval minWidth=\"0\"/>"
		  CLOSE, POLICY_EINVALID, NULL },
		{ HEAD "<policy xmlns=\"urn:mappa:policy:1\" version=\"2\">"
		  WITHHELD AREA NATIONAL INTERVAL CLOSE, POLICY_EINVALID,
		  NULL },
		{ HEAD OPEN WITHHELD AREA NATIONAL INTERVAL
		  "<extra/>" CLOSE, POLICY_EINVALID, NULL },
		{ HEAD OPEN WITHHELD AREA NATIONAL INTERVAL, POLICY_EPARSE,
		  "test.xml:" },
		{ "", POLICY_EPARSE, NULL },
		{ HEAD OPEN WITHHELD "<primary scope=\"area\" min=\"1\" "
		  "max=\"99999999999999999999\" protectZeros=\"false\"/>"
		  NATIONAL INTERVAL CLOSE, POLICY_EINVALID, NULL },
		/* bounded in cost: a huge minWidth, a coalition of 3 areas */
		{ HEAD OPEN WITHHELD AREA NATIONAL "<interval minWidth=\"11\"/>"
		  CLOSE, POLICY_EINVALID, NULL },
		{ HEAD OPEN WITHHELD AREA NATIONAL "<interval minWidth=\"9999999\"/>"
		  CLOSE, POLICY_EINVALID, NULL },
		{ HEAD OPEN WITHHELD AREA NATIONAL INTERVAL
		  "<attackers coalition=\"3\"/>" CLOSE, POLICY_EINVALID, NULL },
		{ HEAD OPEN WITHHELD AREA NATIONAL INTERVAL
		  "<attackers outsider=\"false\"/>" CLOSE, POLICY_EINVALID, NULL },
		{ HEAD OPEN WITHHELD AREA NATIONAL INTERVAL
		  "<attackers singletons=\"1\"/>" CLOSE, POLICY_EINVALID, NULL },
		{ HEAD OPEN WITHHELD AREA NATIONAL INTERVAL
		  "<secondaries publishAgain=\"1\"/>" CLOSE, POLICY_EINVALID, NULL },
		/* after the attackers, once */
		{ HEAD OPEN WITHHELD AREA NATIONAL INTERVAL
		  "<secondaries/><attackers/>" CLOSE, POLICY_EINVALID, NULL },
		{ HEAD OPEN WITHHELD AREA NATIONAL INTERVAL
		  "<secondaries/><secondaries/>" CLOSE, POLICY_EINVALID, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy pol;
		char err[256] = "";
		int rc = load_str(cases[i].doc, &pol, err, sizeof(err));

		if (rc != cases[i].code)
			fail_msg("case %zu: got %d (%s)", i, rc, err);
		assert_true(strlen(err) > 0);
		if (cases[i].needle && strstr(err, cases[i].needle) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, err,
				 cases[i].needle);
	}
}

static void test_doctype_refused(void **state)
{
	static const char *docs[] = {
		HEAD "<!DOCTYPE policy [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
		OPEN WITHHELD AREA NATIONAL INTERVAL "<!-- &x; -->" CLOSE,
		HEAD "<!DOCTYPE policy SYSTEM \"http://example.invalid/p.dtd\">\n"
		OPEN WITHHELD AREA NATIONAL INTERVAL CLOSE,
		HEAD "<!DOCTYPE lolz [<!ENTITY a \"aaaaaaaaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
		"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
		"<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
		"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">]>\n"
		"<policy>&f;&f;&f;&f;</policy>\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct policy pol;
		char err[256] = "";

		assert_int_equal(load_str(docs[i], &pol, err, sizeof(err)),
				 POLICY_EPARSE);
		assert_non_null(strstr(err, "DOCTYPE"));
	}
}

static void test_io_and_schema_errors(void **state)
{
	struct policy_schema xsd = { xsd_path, NULL, 0 };
	struct policy_schema nox = { "/nonexistent/policy.xsd", NULL, 0 };
	struct policy_schema badx = { NULL, "<notaschema/>", 13 };
	struct policy pol;
	char err[256] = "";

	(void)state;
	assert_int_equal(load_file("/nonexistent/p.xml", &xsd, &pol,
					  err, sizeof(err)), POLICY_EIO);
	assert_non_null(strstr(err, "/nonexistent/p.xml"));
	assert_int_equal(load_file(default_path, &nox, &pol, err,
					  sizeof(err)), POLICY_ESCHEMA);
	assert_int_equal(load_file(default_path, &badx, &pol, err,
					  sizeof(err)), POLICY_ESCHEMA);
	assert_int_equal(load_file(default_path, NULL, &pol, err,
					  sizeof(err)), POLICY_ESCHEMA);
	assert_string_equal(policy_strerror(POLICY_EINVALID), "invalid policy");
}

/* policy_read_memory into d: the status, and the diagnostics in d. */
static int read_str(const char *doc, struct policy *pol, struct diag_list *d)
{
	struct policy_schema xsd = { xsd_path, NULL, 0 };

	return policy_read_memory(doc, strlen(doc), "test.xml", &xsd, pol, d);
}

/*
 * Every numeric setting has a bound that keeps suppression's cost bounded, documented in
 * docs/disclosure-policy.md: at the bound it is read, one past it is refused at the line of its
 * element, with a message that says why (not only the schema's "greater than the maximum").
 */
static void test_bounds_say_why(void **state)
{
	static const struct {
		const char *ok, *over, *why;
		long line;
	} cases[] = {
		{ HEAD OPEN WITHHELD "<primary scope=\"area\" min=\"1\" max=\"10\" protectZeros=\"true\"/>\n"
		  NATIONAL INTERVAL CLOSE,
		  HEAD OPEN WITHHELD "<primary scope=\"area\" min=\"1\" max=\"11\" protectZeros=\"true\"/>\n"
		  NATIONAL INTERVAL CLOSE, "and max are at most 10", 4 },
		{ HEAD OPEN WITHHELD AREA
		  "<primary scope=\"national\" min=\"1\" max=\"10\" protectZeros=\"false\"/>\n" INTERVAL CLOSE,
		  HEAD OPEN WITHHELD AREA
		  "<primary scope=\"national\" min=\"1\" max=\"9999999\" protectZeros=\"false\"/>\n" INTERVAL CLOSE,
		  "and max are at most 10", 5 },
		{ HEAD OPEN WITHHELD AREA NATIONAL "<interval minWidth=\"5\"/>\n" CLOSE,
		  HEAD OPEN WITHHELD AREA NATIONAL "<interval minWidth=\"6\"/>\n" CLOSE,
		  "minWidth is at most 5", 6 },
		{ HEAD OPEN WITHHELD AREA NATIONAL INTERVAL "<attackers coalition=\"2\"/>\n" CLOSE,
		  HEAD OPEN WITHHELD AREA NATIONAL INTERVAL "<attackers coalition=\"3\"/>\n" CLOSE,
		  "; the coalition is 1 or 2: every k areas are audited together, and 3 would mean "
		  "11,480 coalitions", 7 },
		{ HEAD OPEN "<withheld scope=\"area\"><category>1</category><category>2</category>"
		  "<category>3</category><category>4</category></withheld>\n" AREA NATIONAL INTERVAL CLOSE,
		  HEAD OPEN "<withheld scope=\"area\"><category>5</category></withheld>\n"
		  AREA NATIONAL INTERVAL CLOSE, "category", 3 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diag_list d = DIAG_LIST_INIT;
		struct policy pol;

		if (read_str(cases[i].ok, &pol, &d) != POLICY_OK) {
			diag_print(&d, stderr);
			fail_msg("case %zu: the bound itself is refused", i);
		}
		assert_int_equal(d.count, 0);
		assert_int_equal(read_str(cases[i].over, &pol, &d), POLICY_EINVALID);
		assert_true(d.count > 0);
		assert_string_equal(d.items[0].file, "test.xml");
		assert_string_equal(d.items[0].rule, "C03");
		if (d.items[0].line != cases[i].line || !strstr(d.items[0].message, cases[i].why)) {
			diag_print(&d, stderr);
			fail_msg("case %zu: expected line %ld saying '%s'", i, cases[i].line,
				 cases[i].why);
		}
		diag_clear(&d);
	}
	/* why the maximum is what it is explains no other error: not a sign, not a value below
	   the minimum */
	for (int k = 0; k < 2; k++) {
		struct diag_list d = DIAG_LIST_INIT;
		struct policy pol;
		assert_int_equal(read_str(k ? HEAD OPEN WITHHELD AREA NATIONAL "<interval minWidth=\"+1\"/>\n" CLOSE
					    : HEAD OPEN WITHHELD AREA NATIONAL "<interval minWidth=\"0\"/>\n" CLOSE,
					  &pol, &d), POLICY_EINVALID);
		assert_true(d.count > 0);
		assert_null(strstr(d.items[0].message, "at most 5"));
		diag_clear(&d);
	}
}

/* Problems are diagnostics at their line: min above max, a DOCTYPE, a file that is not there. */
static void test_diagnostics_located(void **state)
{
	struct policy_schema xsd = { xsd_path, NULL, 0 };
	struct diag_list d = DIAG_LIST_INIT;
	struct policy pol;

	(void)state;
	assert_int_equal(read_str(HEAD OPEN WITHHELD
				  "<primary scope=\"area\" min=\"3\" max=\"2\" protectZeros=\"false\"/>\n"
				  NATIONAL INTERVAL CLOSE, &pol, &d), POLICY_EINVALID);
	assert_int_equal(d.count, 1);
	assert_int_equal(d.items[0].line, 4);
	assert_string_equal(d.items[0].rule, "C03");
	assert_int_equal(d.items[0].errnum, 0);
	assert_string_equal(d.items[0].message, "primary rule: min 3 is above max 2");
	diag_clear(&d);
	/* not well-formed (the element left open): C01 where the parser stopped */
	assert_int_equal(read_str(HEAD OPEN WITHHELD AREA NATIONAL INTERVAL, &pol, &d), POLICY_EPARSE);
	assert_true(d.count > 0 && d.items[0].line > 0);
	assert_string_equal(d.items[0].file, "test.xml");
	assert_string_equal(d.items[0].rule, "C01");
	diag_clear(&d);
	/* a DOCTYPE: C02 at its line */
	assert_int_equal(read_str("<?xml version=\"1.0\"?>\n<!DOCTYPE policy>\n" OPEN WITHHELD AREA
				  NATIONAL INTERVAL CLOSE, &pol, &d), POLICY_EPARSE);
	assert_true(d.count > 0);
	assert_string_equal(d.items[0].rule, "C02");
	assert_int_equal(d.items[0].line, 2);
	diag_clear(&d);
	/* a file that is not there: C01 at line 0, with the errno kept in the diagnostic */
	errno = 0;
	assert_int_equal(policy_read_file("/nonexistent/p.xml", &xsd, &pol, &d), POLICY_EIO);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].file, "/nonexistent/p.xml");
	assert_string_equal(d.items[0].rule, "C01");
	assert_int_equal(d.items[0].line, 0);
	assert_int_equal(d.items[0].errnum, ENOENT);
	assert_int_equal(diag_errnum(&d), ENOENT);
	assert_non_null(strstr(d.items[0].message, "cannot read: "));
	diag_clear(&d);
	/* a device is not a regular file: refused before it is read, EINVAL kept */
	assert_int_equal(policy_read_file("/dev/null", &xsd, &pol, &d), POLICY_EIO);
	assert_int_equal(diag_errnum(&d), EINVAL);
	assert_non_null(strstr(d.items[0].message, "not a regular file"));
	diag_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_file),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_reason),
		cmocka_unit_test(test_schema_in_memory),
		cmocka_unit_test(test_custom),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_doctype_refused),
		cmocka_unit_test(test_io_and_schema_errors),
		cmocka_unit_test(test_bounds_say_why),
		cmocka_unit_test(test_diagnostics_located),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
