#include "unambiguous.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZLIB_CONST /* next_in of const data */
#include <zlib.h>

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* A tar header's size field (12 bytes at 124): octal, or base-256 when its first byte has the
   high bit. 0, or -1 when it is neither or does not fit in *size. */
static int tar_size(const unsigned char *h, size_t *size)
{
	const unsigned char *f = h + 124;
	size_t v = 0;
	int digits = 0;

	if (f[0] & 0x80) {
		if ((f[0] & 0x7f) != 0)
			return -1;
		for (int i = 1; i < 12; i++) {
			if (v > (SIZE_MAX >> 8))
				return -1;
			v = v << 8 | f[i];
		}
		*size = v;
		return 0;
	}
	for (int i = 0; i < 12; i++) {
		if (f[i] == ' ' && digits == 0)
			continue;
		if (f[i] == '\0' || f[i] == ' ')
			break;
		if (f[i] < '0' || f[i] > '7' || v > (SIZE_MAX >> 3))
			return -1;
		v = v << 3 | (size_t)(f[i] - '0');
		digits++;
	}
	*size = v;
	return 0;
}

/*
 * Whether the pax records of an extended header (n bytes, "LEN KEY=VALUE\n" each) are well
 * formed and change nothing but what every reader takes alike: a size (which the walk below
 * would not follow) or GNU's sparse files are refused.
 */
static int pax_plain(const unsigned char *p, size_t n)
{
	size_t at = 0;

	while (at < n) {
		size_t len = 0, k = at;
		while (k < n && p[k] >= '0' && p[k] <= '9' && len < n)
			len = len * 10 + (size_t)(p[k++] - '0');
		if (k == at || k >= n || p[k] != ' ' || len > n - at || len < k - at + 3 ||
		    p[at + len - 1] != '\n')
			return 0;
		k++;
		if ((at + len - k >= 5 && memcmp(p + k, "size=", 5) == 0) ||
		    (at + len - k >= 10 && memcmp(p + k, "GNU.sparse", 10) == 0))
			return 0;
		at += len;
	}
	return 1;
}

/* The tar stream t (n bytes): entries of the kinds every reader reads alike, and only zeros
   after its end-of-archive marker. */
static int tar_exact(const unsigned char *t, size_t n, char *why, size_t whysize)
{
	size_t pos = 0;

	while (pos + 512 <= n && !all_zero(t + pos, 512)) {
		size_t size, blocks;
		unsigned char type = t[pos + 156];
		if (tar_size(t + pos, &size) != 0) {
			snprintf(why, whysize, "a damaged tar header at byte %zu of the archive", pos);
			return -1;
		}
		blocks = size / 512 + (size % 512 != 0);
		if (blocks > (n - pos) / 512) {
			snprintf(why, whysize, "a tar entry at byte %zu runs past the end of the archive",
				 pos);
			return -1;
		}
		/*
		 * Files, folders, links and devices (refused later, by name: H02), pax headers of one
		 * entry and GNU long names, which every reader applies alike. A pax global header ('g') is not:
		 * GNU tar and Python give its path to the next entry, libarchive does not (QA: a
		 * second observations.csv so, never audited); nor are GNU's sparse and volume
		 * entries.
		 */
		if (!((type >= '0' && type <= '7') || type == '\0' || type == 'L' || type == 'K' ||
		      type == 'x')) {
			snprintf(why, whysize,
				 "a tar entry of type '%c' at byte %zu, which readers do not all read "
				 "alike",
				 type >= 0x21 && type < 0x7f ? type : '?', pos);
			return -1;
		}
		if (type == 'x' && !pax_plain(t + pos + 512, size)) {
			snprintf(why, whysize,
				 "a pax header at byte %zu that sets a size or a sparse file, or is "
				 "damaged",
				 pos);
			return -1;
		}
		pos += 512 + blocks * 512;
	}
	if (pos < n && !all_zero(t + pos, n - pos)) {
		snprintf(why, whysize,
			 "data after the tar's end-of-archive marker (byte %zu of %zu), which some "
			 "readers (tar -i) unpack and others do not",
			 pos, n);
		return -1;
	}
	return 0;
}

static int gzip_exact(const unsigned char *data, size_t len, size_t max, char *why, size_t whysize)
{
	z_stream z;
	unsigned char *out = NULL;
	size_t cap = 0, used = 0;
	int ret = Z_OK, result = -1;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 16) != Z_OK) {
		snprintf(why, whysize, "out of memory");
		return -1;
	}
	z.next_in = data;
	while (ret == Z_OK) {
		size_t in_step = len - (size_t)(z.next_in - data);
		unsigned char *grown;
		if (used == cap) {
			/* the files, their headers and the padding to the tar's last record */
			size_t limit = max + ((size_t)1 << 20), want = cap ? cap * 2 : 65536;
			if (want > limit)
				want = limit;
			if (cap >= limit) {
				snprintf(why, whysize, "more than %zu bytes unpacked: not a publication bundle",
					 max);
				goto out;
			}
			grown = realloc(out, want);
			if (!grown) {
				snprintf(why, whysize, "out of memory");
				goto out;
			}
			out = grown;
			cap = want;
		}
		z.avail_in = in_step > UINT_MAX ? UINT_MAX : (uInt)in_step;
		z.next_out = out + used;
		z.avail_out = cap - used > UINT_MAX ? UINT_MAX : (uInt)(cap - used);
		{
			uInt before = z.avail_out;
			ret = inflate(&z, Z_NO_FLUSH);
			used += before - z.avail_out;
		}
		if (ret == Z_BUF_ERROR && z.avail_out > 0) /* input ended inside the stream */
			break;
		if (ret == Z_BUF_ERROR)
			ret = Z_OK;
	}
	if (ret != Z_STREAM_END) {
		snprintf(why, whysize, "a damaged or cut gzip stream");
		goto out;
	}
	if ((size_t)(z.next_in - data) != len) {
		snprintf(why, whysize,
			 "%zu bytes after the end of the gzip stream (another member, or other data), "
			 "which some readers unpack and others do not",
			 len - (size_t)(z.next_in - data));
		goto out;
	}
	result = tar_exact(out, used, why, whysize);
out:
	inflateEnd(&z);
	free(out);
	return result;
}

struct zent {
	size_t offset, csize, namelen;
	const unsigned char *name;
	uint32_t flags, method, crc, usize;
};

static int zent_cmp(const void *pa, const void *pb)
{
	const struct zent *a = pa, *b = pb;
	return a->offset < b->offset ? -1 : a->offset > b->offset;
}

/* Where the zip end record whose comment ends the data starts, or SIZE_MAX. */
static size_t zip_end_record(const unsigned char *d, size_t len)
{
	for (size_t back = 0; len >= 22 && back <= 65535 && back <= len - 22; back++) {
		size_t at = len - 22 - back;
		if (le32(d + at) == 0x06054b50 && le16(d + at + 20) == back)
			return at;
	}
	return SIZE_MAX;
}

static int zip_exact(const unsigned char *d, size_t len, char *why, size_t whysize)
{
	size_t eocd = zip_end_record(d, len), cd_off, cd_size, count, pos;
	struct zent *e = NULL;
	int result = -1;

	if (eocd == SIZE_MAX) {
		snprintf(why, whysize, "no zip end record at the end of the data");
		return -1;
	}
	count = le16(d + eocd + 10);
	cd_size = le32(d + eocd + 12);
	cd_off = le32(d + eocd + 16);
	if (le16(d + eocd + 4) != 0 || le16(d + eocd + 6) != 0 || le16(d + eocd + 8) != count ||
	    count == 0xffff || cd_size == 0xffffffffu || cd_off == 0xffffffffu) {
		snprintf(why, whysize, "a zip of several parts, or zip64, which no bundle is");
		return -1;
	}
	if (cd_off > eocd || cd_size != eocd - cd_off) {
		snprintf(why, whysize,
			 "the zip's central directory does not end where its end record starts");
		return -1;
	}
	e = calloc(count ? count : 1, sizeof *e);
	if (!e) {
		snprintf(why, whysize, "out of memory");
		return -1;
	}
	pos = cd_off;
	for (size_t i = 0; i < count; i++) {
		if (eocd - pos < 46 || le32(d + pos) != 0x02014b50) {
			snprintf(why, whysize, "a damaged zip central directory (entry %zu)", i + 1);
			goto out;
		}
		e[i].flags = le16(d + pos + 8);
		e[i].method = le16(d + pos + 10);
		e[i].crc = le32(d + pos + 16);
		e[i].usize = le32(d + pos + 24);
		e[i].csize = le32(d + pos + 20);
		e[i].namelen = le16(d + pos + 28);
		e[i].offset = le32(d + pos + 42);
		e[i].name = d + pos + 46;
		if (e[i].csize == 0xffffffffu || le32(d + pos + 24) == 0xffffffffu ||
		    e[i].offset == 0xffffffffu) {
			snprintf(why, whysize, "zip64, which no bundle is");
			goto out;
		}
		{
			size_t step = 46 + e[i].namelen + le16(d + pos + 30) + le16(d + pos + 32);
			if (step > eocd - pos) {
				snprintf(why, whysize, "a damaged zip central directory (entry %zu)", i + 1);
				goto out;
			}
			pos += step;
		}
	}
	if (pos != eocd) {
		snprintf(why, whysize, "data inside the zip's central directory that no entry holds");
		goto out;
	}
	qsort(e, count, sizeof *e, zent_cmp);
	/* each local entry where the one before it ends, from the first byte to the directory */
	pos = 0;
	for (size_t i = 0; i < count; i++) {
		size_t lname, lextra, end;
		if (e[i].offset != pos) {
			snprintf(why, whysize,
				 "%zu bytes of the zip before its entry at byte %zu that the central "
				 "directory does not list, which a streaming reader unpacks",
				 e[i].offset > pos ? e[i].offset - pos : 0, e[i].offset);
			goto out;
		}
		if (cd_off - pos < 30 || le32(d + pos) != 0x04034b50) {
			snprintf(why, whysize, "no zip entry at byte %zu, where the central directory puts one",
				 pos);
			goto out;
		}
		lname = le16(d + pos + 26);
		lextra = le16(d + pos + 28);
		if (lname != e[i].namelen || 30 + lname > cd_off - pos ||
		    memcmp(d + pos + 30, e[i].name, lname) != 0) {
			snprintf(why, whysize,
				 "the zip entry at byte %zu has another name than the central directory's",
				 pos);
			goto out;
		}
		/* the local header says what the directory says: a streaming reader goes by it
		   (QA: a smaller size there than the directory's hid an entry in the rest) */
		if (le16(d + pos + 6) != e[i].flags || le16(d + pos + 8) != e[i].method ||
		    (!(e[i].flags & 8) &&
		     (le32(d + pos + 14) != e[i].crc || le32(d + pos + 18) != e[i].csize ||
		      le32(d + pos + 22) != e[i].usize)) ||
		    ((e[i].flags & 8) &&
		     ((le32(d + pos + 14) != 0 && le32(d + pos + 14) != e[i].crc) ||
		      (le32(d + pos + 18) != 0 && le32(d + pos + 18) != e[i].csize) ||
		      (le32(d + pos + 22) != 0 && le32(d + pos + 22) != e[i].usize)))) {
			snprintf(why, whysize,
				 "the zip entry at byte %zu says another size, checksum or method in its "
				 "own header than in the central directory",
				 pos);
			goto out;
		}
		end = 30 + lname + lextra;
		if (end > cd_off - pos || e[i].csize > cd_off - pos - end) {
			snprintf(why, whysize, "the zip entry at byte %zu runs into the central directory",
				 pos);
			goto out;
		}
		end += pos + e[i].csize;
		if (e[i].flags & 8) { /* a data descriptor, with or without its signature */
			size_t dd = cd_off - end >= 4 && le32(d + end) == 0x08074b50 ? 16 : 12;
			const unsigned char *v;
			if (dd > cd_off - end) {
				snprintf(why, whysize, "the zip entry at byte %zu runs into the central "
						       "directory", pos);
				goto out;
			}
			v = d + end + dd - 12;
			if (le32(v) != e[i].crc || le32(v + 4) != e[i].csize || le32(v + 8) != e[i].usize) {
				snprintf(why, whysize,
					 "the zip entry at byte %zu says another size or checksum after "
					 "its data than in the central directory",
					 pos);
				goto out;
			}
			end += dd;
		}
		pos = end;
	}
	if (pos != cd_off) {
		snprintf(why, whysize,
			 "%zu bytes between the zip's last listed entry and its central directory, "
			 "which a streaming reader may unpack",
			 cd_off - pos);
		goto out;
	}
	result = 0;
out:
	free(e);
	return result;
}

int unambiguous_archive(const unsigned char *data, size_t len, size_t max_unpacked, char *why,
			size_t whysize)
{
	if (whysize)
		why[0] = '\0';
	if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b)
		return gzip_exact(data, len, max_unpacked, why, whysize);
	/* a zip, or data put before one */
	if ((len >= 4 && le32(data) == 0x04034b50) || zip_end_record(data, len) != SIZE_MAX)
		return zip_exact(data, len, why, whysize);
	/* anything else (a plain tar, with another archive after it: QA) is no bundle */
	snprintf(why, whysize, "neither a gzip-compressed tar nor a zip");
	return -2;
}

long unambiguous_zip_name(const unsigned char *data, size_t len, size_t k, char *dst, size_t size)
{
	size_t eocd = zip_end_record(data, len), count, pos;
	struct zent *e;
	long result = -1;

	if (eocd == SIZE_MAX || size == 0)
		return -1;
	count = le16(data + eocd + 10);
	pos = le32(data + eocd + 16);
	if (k >= count || pos > eocd)
		return -1;
	e = calloc(count, sizeof *e);
	if (!e)
		return -1;
	for (size_t i = 0; i < count; i++) {
		size_t step;
		if (eocd - pos < 46 || le32(data + pos) != 0x02014b50)
			goto out;
		e[i].namelen = le16(data + pos + 28);
		e[i].offset = le32(data + pos + 42);
		e[i].name = data + pos + 46;
		step = 46 + e[i].namelen + le16(data + pos + 30) + le16(data + pos + 32);
		if (step > eocd - pos)
			goto out;
		pos += step;
	}
	qsort(e, count, sizeof *e, zent_cmp);
	if (e[k].namelen < size && !memchr(e[k].name, '\0', e[k].namelen)) {
		memcpy(dst, e[k].name, e[k].namelen);
		dst[e[k].namelen] = '\0';
		result = (long)e[k].namelen;
	}
out:
	free(e);
	return result;
}
