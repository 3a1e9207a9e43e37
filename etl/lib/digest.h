/*
 * digest: SHA-256 as lower-case hex (nettle), for the bundle's manifest and the policy a
 * dataset was suppressed under. Nothing is allocated.
 */
#ifndef MAPPA_DIGEST_H
#define MAPPA_DIGEST_H

#include <stddef.h>

#include <nettle/sha2.h>

/* Writes ctx's digest as 64 hex digits and a NUL to hex; ctx is reset for new data. */
void digest_sha256_finish(struct sha256_ctx *ctx, char hex[65]);

/* The SHA-256 of len bytes at data, as 64 hex digits and a NUL. */
void digest_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
