/*
 * publish_release_file: the publication file, an XML file (schemas/release.xsd) holding the
 * release metadata of one publication: release date, next release, producer, contact (name,
 * email, telephone), methodology and licence. Read through the project's one XML loader
 * (xmlsafe_load: the input gate, no DOCTYPE, validated against the compiled-in schema), then
 * checked as the options are (publish_release_validate). mappa-publish --release FILE reads it;
 * its options override what the file says; what neither says takes the demo default.
 */
#ifndef MAPPA_PUBLISH_RELEASE_FILE_H
#define MAPPA_PUBLISH_RELEASE_FILE_H

#include <stddef.h>

#include "diag.h"
#include "publish_release.h"

struct publish_release_file {
	/* the file's values: fields the file leaves out are NULL; the strings point into the
	 * buffers below, so keep the struct alive (and unmoved) while release is used */
	struct publish_release release;
	struct publish_release_lines lines;   /* each field's line in the file (0: not there) */
	char date[16], next[16];
	char producer[801], contact[801], email[801], phone[161], methodology[801];
};

/*
 * Loads a publication file from buf (len bytes) named file. Returns 0, or -1 with the reasons
 * appended to d, each at its line: L00 the compiled-in schema does not compile, L01 not
 * well-formed, L02 a DOCTYPE, L03 breaks the schema, L04 fails the checks of the release
 * metadata (publish_release_validate: a date that does not exist, a next release not after the
 * release), at the line of the element that holds the value.
 */
int publish_release_load(struct publish_release_file *f, const char *file, const char *buf,
			 size_t len, struct diag_list *d);

/* Loads path. Returns 0; -1 invalid (reasons in d; L05: too large); -2 unreadable (an error
 * L05 at line 0 with the errno, diag_errnum: no such file, not a regular file, ...). */
int publish_release_load_path(struct publish_release_file *f, const char *path,
			      struct diag_list *d);

/*
 * Puts over base (the file's values, or nothing) the fields over sets: a field of over that is
 * not NULL wins. dst may be base. The strings stay borrowed from base and over.
 */
void publish_release_merge(struct publish_release *dst, const struct publish_release *base,
			   const struct publish_release *over);

#endif
