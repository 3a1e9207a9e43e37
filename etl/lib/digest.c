/* digest: SHA-256 as lower-case hex (digest.h). */
#include "digest.h"

#include <stdint.h>

void digest_sha256_finish(struct sha256_ctx *ctx, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_digest(ctx, sizeof digest, digest);
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = '\0';
}

void digest_sha256_hex(const void *data, size_t len, char hex[65])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	digest_sha256_finish(&ctx, hex);
}
