/*
 * validator: checks area returns against the return schema and every rule of the statistics
 * (docs/rules.md lists the rule ids). Compile once, check many files.
 */
#ifndef MAPPA_VALIDATOR_H
#define MAPPA_VALIDATOR_H

#include <stddef.h>

#include "areas.h"
#include "areturn.h"
#include "defs.h"
#include "diag.h"

#define RETURN_NS "urn:mappa:return:1"

enum validator_result {
	VALIDATOR_VALID = 0,      /* no error (warnings possible) */
	VALIDATOR_INVALID = 1,    /* at least one error, in d */
	VALIDATOR_UNREADABLE = 2, /* the file could not be read: R03 "cannot read" in d, with its
				     errno (diag_errnum) */
	VALIDATOR_FAILED = -1     /* out of memory or similar */
};

struct validator;

/*
 * Compiles the return schema (xsd, len bytes, named xsdname in diagnostics; xsd NULL for the
 * compiled-in schemas/return.xsd). defs and areas must outlive the validator. Returns NULL on
 * failure, with the schema's problems appended to d (rule R00, at their line of the schema;
 * none when out of memory).
 */
struct validator *validator_new(const struct defs *defs, const struct areas *areas,
				const unsigned char *xsd, size_t len, const char *xsdname,
				struct diag_list *d);

void validator_free(struct validator *v);

/*
 * Checks buf (len bytes) as the return named file: parses it safely, applies every rule, then
 * the schema, and appends every problem to d. Fills r (when not NULL) with what could be read.
 */
enum validator_result validator_check(struct validator *v, const char *file, const char *buf,
				      size_t len, struct area_return *r, struct diag_list *d);

/*
 * Reads path and checks it. A file larger than XMLSAFE_MAX_BYTES is an error R03 at line 1
 * (VALIDATOR_INVALID); a file that cannot be read (no such file, no permission, a folder, a FIFO
 * or a device: xmlsafe_read_file) an error R03 "cannot read: REASON" at line 0 that keeps the
 * errno (diag_errnum; REASON xmlsafe_strerror's), VALIDATOR_UNREADABLE.
 */
enum validator_result validator_check_file(struct validator *v, const char *path,
					   struct area_return *r, struct diag_list *d);

#endif
