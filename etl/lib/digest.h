/*
 * digest: SHA-256 as lower-case hex (nettle), for the bundle's manifest and the policy a
 * dataset was suppressed under, and the lines of sha256sum's format that record them. Nothing
 * is allocated.
 */
#ifndef MAPPA_DIGEST_H
#define MAPPA_DIGEST_H

#include <stddef.h>

#include <nettle/sha2.h>

/* Writes ctx's digest as 64 hex digits and a NUL to hex; ctx is reset for new data. */
void digest_sha256_finish(struct sha256_ctx *ctx, char hex[65]);

/* The SHA-256 of len bytes at data, as 64 hex digits and a NUL. */
void digest_sha256_hex(const void *data, size_t len, char hex[65]);

/*
 * One line of sha256sum's format at line (n bytes, its line end not among them): 64 lower-case
 * hex digits, two spaces (or a space and '*', sha256sum's mark of a binary file), a name of at
 * least one byte holding no CR and no NUL. 1 with the digits and a NUL in hex and the name as
 * *name (within line) and *name_len; 0 when it is no such line (hex and *name then unset).
 * Every reader of this format takes its lines through it: a bundle's MANIFEST.sha256 (history),
 * a run folder's bundle.sha256 (series) and publications.sha256 (run).
 */
int digest_sha256_line(const char *line, size_t n, char hex[65], const char **name,
		       size_t *name_len);

#endif
