/*
 * publish_release: the release metadata of a publication (docs/publication.md, "Release
 * metadata"): release date, next release, producer, contact email and phone, methodology link
 * and licence. mappa-publish takes them as options; what is not given takes a documented demo
 * default derived from the period only (never the clock), so the same dataset still gives the
 * same bytes. README.txt, the workbook's cover and every page print the same struct.
 *
 * The struct borrows its strings: the caller keeps them alive while it is used. The defaults
 * point at static text or at the struct's own buffers.
 */
#ifndef MAPPA_PUBLISH_RELEASE_H
#define MAPPA_PUBLISH_RELEASE_H

#include <stddef.h>

#include "diag.h"

#define PUBLISH_LICENCE "Open Government Licence v3.0"
#define PUBLISH_LICENCE_URL "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

struct publish_release {
	const char *date;         /* release date, YYYY-MM-DD */
	const char *next;         /* next release, YYYY-MM-DD or YYYY-MM (a month) */
	const char *producer;     /* who produces the statistics */
	const char *contact;      /* who users write to (a team's name) */
	const char *email;
	const char *phone;
	const char *methodology;  /* an http(s) address of the methodology */
	char date_buf[16], next_buf[16];
};

/* Every field NULL: publish_release_fill gives each the demo default. */
void publish_release_init(struct publish_release *r);

/*
 * Gives every NULL field its demo default for the period "2022-23": release on the last
 * Thursday of October of the period's second year (2023-10-26), the next one a year later,
 * producer and contact "National MAPPA statistics team", mappa.statistics@example.org,
 * 020 7946 0000 (an Ofcom number reserved for drama), https://example.org/mappa/methodology.
 */
void publish_release_fill(struct publish_release *r, const char *period);

/* The line of each field in the file it was read from (publish_release_file); 0: no line (an
 * option, a default). */
struct publish_release_lines {
	long date, next, producer, contact, email, phone, methodology;
};

/*
 * Checks the fields that are set: dates real and in ISO form, the next release after the
 * release date, an address with one '@' and a dotted domain, a phone number of digits, spaces
 * and "+()-" with 6 to 15 digits, an http(s) address without spaces, texts of 1 to 200 bytes
 * without control characters, a methodology link of at most 200 characters (one longer is
 * said to be too long, with its length). Returns 0, or -1 with the first problem appended to d as an error
 * L04 of file (NULL: "-") at the field's line in lines (NULL: 0; the next release's line for a
 * next release not after the release date).
 */
int publish_release_validate(const struct publish_release *r, const char *file,
			     const struct publish_release_lines *lines, struct diag_list *d);

/*
 * The release date against the period it publishes (like 2022-23): a publication comes out after
 * the period ends, 31 March of its second year (--release-date 2020-01-01 for 2022-23 was
 * printed on every page). Returns 0 (also when either is not set or not valid: the other checks
 * say so), or -1 with an L04 error of file (NULL: "-") at line in d.
 */
int publish_release_check_period(const struct publish_release *r, const char *period,
				 const char *file, long line, struct diag_list *d);

/* The field publish_release_check_dates or publish_release_check blames. */
enum publish_release_field {
	PUBLISH_RELEASE_FIELD_NONE = 0,
	PUBLISH_RELEASE_FIELD_DATE,       /* the release date */
	PUBLISH_RELEASE_FIELD_NEXT,       /* the next release */
	PUBLISH_RELEASE_FIELD_PRODUCER,
	PUBLISH_RELEASE_FIELD_CONTACT,
	PUBLISH_RELEASE_FIELD_EMAIL,
	PUBLISH_RELEASE_FIELD_PHONE,
	PUBLISH_RELEASE_FIELD_METHODOLOGY
};

/*
 * publish_release_validate, saying which field failed: PUBLISH_RELEASE_FIELD_NONE when every
 * field that is set passes, else the field to blame (the next release for a next release not
 * after the release date), with its L04 error appended to d as publish_release_validate does.
 */
enum publish_release_field publish_release_check(const struct publish_release *r,
						   const char *file,
						   const struct publish_release_lines *lines,
						   struct diag_list *d);

/* The option of mappa-publish and mappa-run that gives field f ("--release-date", ...), or
 * NULL for PUBLISH_RELEASE_FIELD_NONE. */
const char *publish_release_option_name(enum publish_release_field f);

/*
 * The two dates as the bundle of the period will print them, checked as soon as the period is
 * known: the release date after the end of the period (publish_release_check_period), and a
 * date given alone against the other's demo default for the period (publish_release_fill):
 * for 2022-23, a next release of 2023-10 is not after the default release date 2023-10-26, a
 * release date of 2025-01-01 not before the default next release 2024-10-31 (the bundle
 * refused both, after the suppression, as an internal error). Both dates given are checked by
 * publish_release_validate, without the period. Returns PUBLISH_RELEASE_FIELD_NONE (also when
 * the period or a date is not valid: the other checks say so), or the field to blame, always
 * one that is set, with an L04 error in d of file (NULL: "-") at that field's line in lines
 * (NULL: 0).
 */
enum publish_release_field publish_release_check_dates(const struct publish_release *r,
							 const char *period, const char *file,
							 const struct publish_release_lines *lines,
							 struct diag_list *d);

/*
 * dst: a copy of src (NULL: nothing given) with the demo defaults of the period where src says
 * nothing. dst may then point into src: keep src alive while dst is used.
 */
void publish_release_resolve(struct publish_release *dst, const struct publish_release *src,
			     const char *period);

/* One labelled line of the release metadata, as README, cover sheet and pages print it. */
struct publish_release_item {
	const char *label;
	char value[300];
	char href[320];          /* a link for the value, or "" */
};

#define PUBLISH_RELEASE_ITEMS 9

/*
 * Fills it[PUBLISH_RELEASE_ITEMS]: release date, next release, producer, source, contact,
 * email, telephone, methodology, licence (r resolved: no NULL field).
 */
void publish_release_items(const struct publish_release *r, struct publish_release_item *it);

/* "2023-10-26" as "26 October 2023", "2024-10" as "October 2024"; other text unchanged. */
const char *publish_release_date_text(const char *iso, char *buf, size_t size);

/*
 * The other way: the len bytes of text "26 October 2023" (as publish_release_date_text writes a
 * day's date: a day of the month without a leading 0, the month's English name, the year;
 * nothing before or after) as "2023-10-26" in iso (at least 11 bytes). Returns 0, or -1 (iso
 * "") for anything else, a day the month does not have included.
 */
int publish_release_date_iso(const char *text, size_t len, char *iso, size_t size);

#endif
