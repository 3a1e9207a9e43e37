/*
 * Whether a bundle's bytes give every reader the same files (etl/lib/unambiguous.c): a .tar.gz
 * is one gzip member ending at the end, with only zeros after the tar's end marker; a .zip's
 * entries follow one another from its first byte to its central directory (QA: data after a
 * .tar.gz, or a zip entry its directory did not list, showed a suppressed figure to some
 * readers and not to the audit).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define ZLIB_CONST /* next_in of const data */
#include <zlib.h>

#include "unambiguous.h"

#define MAX ((size_t)1 << 20)

/* A tar of one file "a" of n bytes of 'x', then pad zero bytes (the marker and more). */
static size_t make_tar(unsigned char *t, size_t n, size_t pad)
{
	size_t blocks = (n + 511) / 512;
	memset(t, 0, 512 + blocks * 512 + pad);
	t[0] = 'a';
	snprintf((char *)t + 124, 12, "%011lo", (unsigned long)n);
	t[156] = '0';
	memset(t + 512, 'x', n);
	return 512 + blocks * 512 + pad;
}

static size_t gz(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	n = z.total_out;
	deflateEnd(&z);
	return n;
}

static void test_tar_gz(void **state)
{
	static unsigned char tar[8192], out[8192];
	char why[200];
	size_t n, len;

	(void)state;
	n = make_tar(tar, 600, 1024 + 512);
	len = gz(tar, n, out, sizeof out);
	assert_int_equal(unambiguous_archive(out, len, MAX, why, sizeof why), 0);
	/* a second member after it */
	len += gz(tar, n, out + len, sizeof out - len);
	assert_int_equal(unambiguous_archive(out, len, MAX, why, sizeof why), -1);
	assert_non_null(strstr(why, "after the end of the gzip stream"));
	/* one byte of anything after it */
	len = gz(tar, n, out, sizeof out);
	out[len++] = 0;
	assert_int_equal(unambiguous_archive(out, len, MAX, why, sizeof why), -1);
	/* cut */
	len = gz(tar, n, out, sizeof out);
	assert_int_equal(unambiguous_archive(out, len - 5, MAX, why, sizeof why), -1);
	assert_non_null(strstr(why, "damaged or cut"));
	/* a byte that is not zero after the end marker, inside the one member */
	tar[n - 1] = 'y';
	len = gz(tar, n, out, sizeof out);
	assert_int_equal(unambiguous_archive(out, len, MAX, why, sizeof why), -1);
	assert_non_null(strstr(why, "end-of-archive marker"));
	/* a pax global header ('g'), which GNU tar and Python apply to the next entry and
	   libarchive does not (QA): refused; a pax header of one entry that sets only a time
	   passes, one that sets a size is refused */
	n = make_tar(tar, 600, 1024);
	tar[156] = 'g';
	len = gz(tar, n, out, sizeof out);
	assert_int_equal(unambiguous_archive(out, len, MAX, why, sizeof why), -1);
	assert_non_null(strstr(why, "type 'g'"));
	{
		static const char mtime[] = "20 mtime=1700000000\n", size[] = "12 size=9999\n";
		n = make_tar(tar, sizeof mtime - 1, 1024 + 1024);
		tar[156] = 'x';
		memcpy(tar + 512, mtime, sizeof mtime - 1);
		len = gz(tar, n, out, sizeof out);
		assert_int_equal(unambiguous_archive(out, len, MAX, why, sizeof why), 0);
		n = make_tar(tar, sizeof size - 1, 1024 + 1024);
		tar[156] = 'x';
		memcpy(tar + 512, size, sizeof size - 1);
		len = gz(tar, n, out, sizeof out);
		assert_int_equal(unambiguous_archive(out, len, MAX, why, sizeof why), -1);
		assert_non_null(strstr(why, "pax header"));
	}
	/* a header whose size runs past the end */
	n = make_tar(tar, 600, 1024);
	snprintf((char *)tar + 124, 12, "%011o", 077777u);
	len = gz(tar, n, out, sizeof out);
	assert_int_equal(unambiguous_archive(out, len, MAX, why, sizeof why), -1);
}

/* A gzip bomb: more than max bytes (and the 1 MiB of headers and padding allowed over it)
   unpacked is refused, not inflated to the end. */
static void test_unpacked_cap(void **state)
{
	size_t big = (size_t)3 << 20, n, len;
	unsigned char *tar = malloc(big + 4096), *out = malloc(big);
	char why[200];

	(void)state;
	assert_non_null(tar);
	assert_non_null(out);
	n = make_tar(tar, big, 1024);
	len = gz(tar, n, out, big);
	assert_int_equal(unambiguous_archive(out, len, (size_t)4 << 20, why, sizeof why), 0);
	assert_int_equal(unambiguous_archive(out, len, (size_t)1 << 20, why, sizeof why), -1);
	assert_non_null(strstr(why, "unpacked"));
	free(tar);
	free(out);
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, unsigned long v)
{
	put16(p, (unsigned)(v & 0xffff));
	put16(p + 2, (unsigned)(v >> 16));
}

/* A stored zip of the files names[i] (2 bytes of data each), at offset skip of z, with a
   gap of gap bytes before the directory; lists only the first listed of them. */
static size_t make_zip(unsigned char *z, const char *const *names, size_t n, size_t listed,
		       size_t skip, size_t gap)
{
	size_t pos = skip, off[8], cd;
	memset(z, 'g', skip);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		off[i] = pos;
		memset(z + pos, 0, 30);
		put32(z + pos, 0x04034b50);
		put32(z + pos + 18, 2);
		put32(z + pos + 22, 2);
		put16(z + pos + 26, (unsigned)l);
		memcpy(z + pos + 30, names[i], l);
		z[pos + 30 + l] = 'h';
		z[pos + 30 + l + 1] = 'i';
		pos += 30 + l + 2;
	}
	memset(z + pos, 0, gap);
	pos += gap;
	cd = pos;
	for (size_t i = 0; i < listed; i++) {
		size_t l = strlen(names[i]);
		memset(z + pos, 0, 46);
		put32(z + pos, 0x02014b50);
		put32(z + pos + 20, 2);
		put32(z + pos + 24, 2);
		put16(z + pos + 28, (unsigned)l);
		put32(z + pos + 42, off[i]);
		memcpy(z + pos + 46, names[i], l);
		pos += 46 + l;
	}
	memset(z + pos, 0, 22);
	put32(z + pos, 0x06054b50);
	put16(z + pos + 8, (unsigned)listed);
	put16(z + pos + 10, (unsigned)listed);
	put32(z + pos + 12, pos - cd);
	put32(z + pos + 16, cd);
	return pos + 22;
}

static void test_zip(void **state)
{
	static unsigned char z[4096];
	const char *const names[] = { "m/a.csv", "m/b.csv", "m/c.csv" };
	char why[200];
	size_t len;

	(void)state;
	len = make_zip(z, names, 3, 3, 0, 0);
	assert_int_equal(unambiguous_archive(z, len, MAX, why, sizeof why), 0);
	/* the last entry not in the directory */
	len = make_zip(z, names, 3, 2, 0, 0);
	assert_int_equal(unambiguous_archive(z, len, MAX, why, sizeof why), -1);
	/* data put before the first entry */
	len = make_zip(z, names, 3, 3, 40, 0);
	assert_int_equal(unambiguous_archive(z, len, MAX, why, sizeof why), -1);
	/* a gap before the directory */
	len = make_zip(z, names, 3, 3, 0, 7);
	assert_int_equal(unambiguous_archive(z, len, MAX, why, sizeof why), -1);
	/* data after the end record */
	len = make_zip(z, names, 3, 3, 0, 0);
	z[len++] = 'x';
	assert_int_equal(unambiguous_archive(z, len, MAX, why, sizeof why), -1);
	/* a local name that is not the directory's */
	len = make_zip(z, names, 3, 3, 0, 0);
	z[30 + 2] = 'X';
	assert_int_equal(unambiguous_archive(z, len, MAX, why, sizeof why), -1);
	assert_non_null(strstr(why, "another name"));
	/* a local header that gives another size than the directory (QA: a streaming reader
	   went by the smaller one and found a hidden entry in the rest) */
	len = make_zip(z, names, 3, 3, 0, 0);
	z[22] = 1; /* the first entry's uncompressed size in its own header */
	assert_int_equal(unambiguous_archive(z, len, MAX, why, sizeof why), -1);
	assert_non_null(strstr(why, "in its own header than in the central directory"));
	/* neither format (a plain tar may hold another archive after it: QA): refused */
	assert_int_equal(unambiguous_archive((const unsigned char *)"plain text", 10, MAX, why,
					     sizeof why),
			 -2);
	assert_non_null(strstr(why, "neither"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tar_gz),
		cmocka_unit_test(test_unpacked_cap),
		cmocka_unit_test(test_zip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
