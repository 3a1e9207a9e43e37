/*
 * policy.h - the disclosure-control policy file (schemas/policy.xsd,
 * namespace urn:mappa:policy:1; settings in docs/disclosure-policy.md).
 *
 * The file is parsed with XML_PARSE_NONET only (no entity substitution,
 * no DTD loading, no XInclude), any DOCTYPE is refused before its subset
 * is read, and the document is validated against the XSD, given as a
 * path or as a memory buffer.  The library never prints: the readers
 * return POLICY_OK or a negative POLICY_E* code and append what is wrong
 * to a diag list, each at its line of the policy (or of its schema):
 * C00 the schema, C01 the file cannot be read (the errno kept, diag_errnum)
 * or parsed safely, C02 not well-formed, C03 breaks the schema or a bound of
 * docs/disclosure-policy.md (docs/rules.md; the publisher's P01-P08 are
 * another family).
 */
#ifndef MAPPA_POLICY_H
#define MAPPA_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "defs.h"
#include "diag.h"

#define POLICY_NS "urn:mappa:policy:1"

enum policy_error {
	POLICY_OK = 0,
	POLICY_ENOMEM = -1,
	POLICY_EIO = -2,	/* cannot read the file */
	POLICY_EPARSE = -3,	/* not well-formed XML, or a DOCTYPE */
	POLICY_ESCHEMA = -4,	/* the XSD itself cannot be loaded */
	POLICY_EINVALID = -5	/* the document breaks the XSD or a rule */
};

struct policy_threshold {
	int64_t min, max;	/* counts min..max are primary-unsafe */
	int protect_zeros;	/* 1: zeros are primary-unsafe too */
};

struct policy {
	unsigned withheld_categories;	/* bit c: category c (1-4) is
					   withheld in area tables */
	long withheld_line[5];		/* [c]: the line of the policy that
					   withholds category c (0: none, or
					   the built-in default's); [0]: the
					   line of the withheld element */
	struct policy_threshold area;
	struct policy_threshold national;
	int64_t min_width;	/* smallest allowed width of the interval of
				   a suppressed cell (1: not exact), 1-10 */
	int protection_range;	/* 1: no interval may lie inside 1..max */
	long interval_line;	/* the line of the interval element (minWidth,
				   protectionRange); 0: none, or the built-in
				   default's */
	int insiders;		/* 1: protect against each area's data lead */
	int coalition;		/* areas that pool what they know (1-2) */
	int singletons;		/* 1: protect against the person in a cell
				   of 1 */
	int publish_again;	/* 1: the last pass publishes each secondary
				   again where every reader still passes */
	size_t publish_again_lps; /* its budget of LPs; 0: the default
				     (READERS_REPUBLISH_BUDGET). Not in the
				     file: for tests that make it stop */
	char sha256[65];	/* SHA-256 of the bytes it was read from (the
				   file, or the built-in text), lower-case hex;
				   "" for policy_init_default's */
};

/* Where the XSD comes from: path, or buf/len (path NULL). */
struct policy_schema {
	const char *path;
	const char *buf;
	size_t len;
};

/* The shipped default, as in policy/default.xml. */
void policy_init_default(struct policy *pol);

/* Reads the policy file at path; POLICY_EIO (errno set) when it cannot be
 * read. */
int policy_read_file(const char *path, const struct policy_schema *xsd,
		     struct policy *out, struct diag_list *d);
/* The same from memory; name is the file named in diagnostics (may be
 * NULL: "(policy)"). */
int policy_read_memory(const char *buf, size_t len, const char *name,
		       const struct policy_schema *xsd, struct policy *out,
		       struct diag_list *d);

/* 1 if category (1-4) is withheld per area. */
int policy_withheld(const struct policy *pol, int category);
/* 1 if value is primary-unsafe under the threshold of the scope. */
int policy_primary(const struct policy *pol, int national, int64_t value);

/* Why a count is withheld, if it is: the one answer for the suppression stage, the audit and
   the publisher. */
enum policy_reason {
	POLICY_PUBLISHED = 0,	/* may be published (a secondary suppression is the
				   pattern's choice, not the policy's) */
	POLICY_PRIMARY,		/* unsafe by its value (the threshold of its scope) */
	POLICY_WITHHELD		/* never published in its scope (a withheld category) */
};
/* The reason for a count of category (defs.h: 1-4, CAT_ALL, CAT_1_3 or CAT_NONE) in an area
   table (national 0) or a national one, by its true value. A total over categories holds
   each of them, so it is withheld per area whenever one of them is. */
enum policy_reason policy_reason(const struct policy *pol, int national, int category,
				 int64_t value);

const char *policy_strerror(int code);

/* 1 if a withheld figure that the published figures pin to exactly value (an interval
 * [value, value]) discloses no one under the policy: a zero of a scope whose zeros are
 * published. The publisher's last look (P06) asks this. */
int policy_exact_allowed(const struct policy *pol, int national, int64_t value);

#endif
