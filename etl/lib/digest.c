/* digest: SHA-256 as lower-case hex (digest.h). */
#include "digest.h"

#include <stdint.h>
#include <string.h>

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

int digest_sha256_line(const char *line, size_t n, char hex[65], const char **name,
		       size_t *name_len)
{
	if (n < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
		return 0;
	for (size_t i = 0; i < 64; i++)
		if (!((line[i] >= '0' && line[i] <= '9') || (line[i] >= 'a' && line[i] <= 'f')))
			return 0;
	if (memchr(line + 66, '\r', n - 66) || memchr(line + 66, '\0', n - 66))
		return 0; /* a line edited elsewhere, or not text: not read as another name */
	memcpy(hex, line, 64);
	hex[64] = '\0';
	*name = line + 66;
	*name_len = n - 66;
	return 1;
}
