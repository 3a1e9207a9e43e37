/*
 * history: an earlier period's published bundle read back (see history.h).
 */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "bundle.h"
#include "dataset.h"
#include "digest.h"
#include "publish_release.h"
#include "published.h"
#include "quote.h"
#include "regfile.h"
#include "unambiguous.h"
#include "xmlsafe.h"

#define MANIFEST "MANIFEST.sha256"
#define OBSERVATIONS "observations.csv"
#define REVISIONS "revisions.csv"
#define SHOWN_MAX 24 /* periods of a series header read (SERIES_MAX_PERIODS is 20) */
#define TOP_PREFIX "mappa-"

/* What one reading needs: the archive's name for messages, and the files read so far. */
struct hread {
	const char *path;
	struct diag_list *d;
	struct bundle b;            /* the files, relative to the top folder */
	char top[64];               /* "mappa-2021-22"; "" until the first entry */
	const unsigned char *data;  /* the archive's bytes (a zip's names as it holds them) */
	size_t len;
	size_t unpacked, entries;
	int errors;
};

static struct zipmem_time const no_time = { 1980, 1, 1, 0, 0, 0 };

/* A member's name for diagnostics: "ARCHIVE(TOP/NAME)", raw (diag_format quotes it once). */
static void member(char *buf, size_t size, const struct hread *h, const char *name)
{
	snprintf(buf, size, "%s(%s/%s)", h->path, h->top, name);
}

/* Splits an entry name into its top folder (checked or recorded) and the rest (into rest). */
static int split_name(struct hread *h, const char *name, int is_dir, char *rest, size_t restsize)
{
	char q[300];
	const char *slash;
	size_t toplen, n;

	quote_arg_buf(q, sizeof q, name);
	slash = strchr(name, '/');
	toplen = slash ? (size_t)(slash - name) : strlen(name);
	if (name[0] == '/' || toplen == 0 || toplen >= sizeof h->top ||
	    (!slash && !is_dir)) {
		diag_add(h->d, h->path, 0, "H02", DIAG_ERROR,
			 "entry %s is not inside one top folder mappa-PERIOD/", q);
		return -1;
	}
	if (h->top[0] == '\0') {
		memcpy(h->top, name, toplen);
		h->top[toplen] = '\0';
		if (strncmp(h->top, TOP_PREFIX, strlen(TOP_PREFIX)) != 0 ||
		    !dataset_period_valid(h->top + strlen(TOP_PREFIX)) || !bundle_name_ok(h->top)) {
			char qt[100];
			quote_arg_buf(qt, sizeof qt, h->top);
			diag_add(h->d, h->path, 0, "H04",
				 DIAG_ERROR, "top folder %s is not mappa-PERIOD (e.g. mappa-2021-22): not a MAPPA publication bundle",
				 qt);
			return -1;
		}
	} else if (strlen(h->top) != toplen || memcmp(h->top, name, toplen) != 0) {
		diag_add(h->d, h->path, 0, "H02", DIAG_ERROR,
			 "entry %s is outside the top folder '%s/'", q, h->top);
		return -1;
	}
	n = slash ? strlen(slash + 1) : 0;
	if (n >= restsize) {
		diag_add(h->d, h->path, 0, "H02", DIAG_ERROR, "entry %s: name too long", q);
		return -1;
	}
	memcpy(rest, slash ? slash + 1 : "", n + 1);
	if (is_dir && n > 0 && rest[n - 1] == '/')
		rest[--n] = '\0';
	if ((n > 0 || !is_dir) && !bundle_name_ok(rest)) {
		diag_add(h->d, h->path, 0, "H02", DIAG_ERROR,
			 "entry %s has a name a bundle never holds (absolute, '..', hidden, or "
			 "characters other than letters, digits, '.', '_', '-')", q);
		return -1;
	}
	return 0;
}

/* Reads the current entry's data (a regular file called rest) into the bundle. */
static int read_data(struct hread *h, struct archive *a, const char *rest)
{
	unsigned char *buf = NULL;
	size_t len = 0, alloc = 0;
	int result = -1;

	for (;;) {
		la_ssize_t n;
		if (len == alloc) {
			size_t grow = alloc ? alloc * 2 : 65536;
			unsigned char *p;
			if (h->unpacked + grow / 2 > (size_t)HISTORY_MAX_UNPACKED)
				grow = alloc + 65536;
			p = realloc(buf, grow);
			if (!p) {
				diag_add_errno(h->d, h->path, "H01", ENOMEM, "out of memory reading '%s'",
					 rest);
				goto out;
			}
			buf = p;
			alloc = grow;
		}
		n = archive_read_data(a, buf + len, alloc - len);
		if (n < 0) {
			diag_add(h->d, h->path, 0, "H01", DIAG_ERROR, "damaged archive at '%s/%s': %s",
				 h->top, rest, archive_error_string(a));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		h->unpacked += (size_t)n;
		if (h->unpacked > (size_t)HISTORY_MAX_UNPACKED) {
			diag_add(h->d, h->path, 0, "H01", DIAG_ERROR,
				 "the files unpack to more than %ld bytes: not a publication bundle",
				 HISTORY_MAX_UNPACKED);
			goto out;
		}
	}
	if (bundle_find(&h->b, rest)) {
		diag_add(h->d, h->path, 0, "H02", DIAG_ERROR, "entry '%s/%s' is given twice",
			 h->top, rest);
		goto out;
	}
	if (bundle_add(&h->b, rest, buf, len, h->d) != 0) /* out of memory: B01, ENOMEM */
		goto out;
	result = 0;
out:
	free(buf);
	return result;
}

/* Whether name is held with '/' where it has '\\' and is otherwise the same. */
static int same_but_slashes(const char *name, const char *held)
{
	for (; *name && *held; name++, held++)
		if (*name != *held && !(*name == '/' && *held == '\\'))
			return 0;
	return *name == *held;
}

/* Reads every entry of the open archive. Returns 0, or -1 after the first problem. */
static int read_entries(struct hread *h, struct archive *a)
{
	struct archive_entry *ae;
	int r;

	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(ae);
		mode_t type = archive_entry_filetype(ae);
		char rest[BUNDLE_NAME_MAX + 2], held[1024];

		/* a zip entry's name as the archive holds it: libarchive gives none for a UTF-8
		   name the locale cannot show, and turns the '\' of a name without '/' into '/'
		   (QA: 'mappa-2021-22/é.txt' was "an entry has no name", and
		   'mappa-2021-22\..\..\evil' was shown as 'mappa-2021-22/../../evil') */
		if ((archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP &&
		    unambiguous_zip_name(h->data, h->len, h->entries, held, sizeof held) >= 0 &&
		    (!name || same_but_slashes(name, held)))
			name = held;

		if (++h->entries > HISTORY_MAX_ENTRIES) {
			diag_add(h->d, h->path, 0, "H01", DIAG_ERROR,
				 "more than %d entries: not a publication bundle", HISTORY_MAX_ENTRIES);
			return -1;
		}
		if (!name) {
			diag_add(h->d, h->path, 0, "H02", DIAG_ERROR,
				 "the name of entry %zu cannot be read: %s", h->entries,
				 archive_error_string(a) ? archive_error_string(a) : "it has none");
			return -1;
		}
		if (type != AE_IFREG && type != AE_IFDIR) {
			char q[300];
			quote_arg_buf(q, sizeof q, name);
			diag_add(h->d, h->path, 0, "H02", DIAG_ERROR,
				 "entry %s is not a plain file or folder (a link or a device): a bundle never holds one",
				 q);
			return -1;
		}
		if (split_name(h, name, type == AE_IFDIR, rest, sizeof rest) != 0)
			return -1;
		/* a size the entry declares beyond the budget is refused before anything is read */
		if (type == AE_IFREG && archive_entry_size_is_set(ae) &&
		    archive_entry_size(ae) > (la_int64_t)(HISTORY_MAX_UNPACKED - (long)h->unpacked)) {
			char q[300];
			quote_arg_buf(q, sizeof q, name);
			diag_add(h->d, h->path, 0, "H01", DIAG_ERROR,
				 "entry %s says it holds %lld bytes: the files would unpack to more than "
				 "%ld bytes, not a publication bundle", q, (long long)archive_entry_size(ae),
				 HISTORY_MAX_UNPACKED);
			return -1;
		}
		if (type == AE_IFREG && read_data(h, a, rest) != 0)
			return -1;
	}
	if (r != ARCHIVE_EOF) {
		diag_add(h->d, h->path, 0, "H01", DIAG_ERROR,
			 "not a readable .tar.gz or .zip archive, or a damaged one: %s",
			 archive_error_string(a) ? archive_error_string(a) : "unknown error");
		return -1;
	}
	if (h->top[0] == '\0') {
		diag_add(h->d, h->path, 0, "H01", DIAG_ERROR, "the archive is empty");
		return -1;
	}
	return 0;
}

/* The next line of [*p, end): 1 with it at *s, n bytes without its '\n', and *p past it; 0 at
   the end. */
static int next_line(const char **p, const char *end, const char **s, size_t *n)
{
	const char *nl;

	if (*p >= end)
		return 0;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	*s = *p;
	*n = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	*p += *n + (nl ? 1 : 0);
	return 1;
}

/* H03: every file listed in MANIFEST.sha256 with its checksum, and nothing else. */
static int check_manifest(struct hread *h)
{
	const struct bundle_file *m = bundle_find(&h->b, MANIFEST);
	unsigned char *listed = NULL;
	char where[4400];
	const char *p, *end, *ln;
	size_t n;
	long line = 0;
	int bad = 0;

	if (!m) {
		diag_add(h->d, h->path, 0, "H03", DIAG_ERROR,
			 "no %s/%s: the bundle cannot be checked, so it is not used", h->top, MANIFEST);
		return -1;
	}
	listed = calloc(h->b.nfiles + 1, 1);
	if (!listed) {
		diag_add_errno(h->d, h->path, "H01", ENOMEM, "out of memory");
		return -1;
	}
	member(where, sizeof where, h, MANIFEST);
	p = (const char *)m->data;
	end = p + m->len;
	while (bad < 20 && next_line(&p, end, &ln, &n)) {
		char name[BUNDLE_NAME_MAX + 1], hex[65], listed_hex[65];
		const char *nm;
		size_t nm_len;
		const struct bundle_file *f;

		line++;
		if (!digest_sha256_line(ln, n, listed_hex, &nm, &nm_len) || nm_len > BUNDLE_NAME_MAX) {
			diag_add(h->d, where, line, "H03", DIAG_ERROR,
				 "not a line of sha256sum: 64 hex digits, two spaces, a name");
			bad++;
		} else {
			memcpy(name, nm, nm_len);
			name[nm_len] = '\0';
			f = bundle_find(&h->b, name);
			if (!f || !bundle_name_ok(name)) {
				char q[300];
				quote_arg_buf(q, sizeof q, name);
				diag_add(h->d, where, line, "H03", DIAG_ERROR,
					 "lists %s, which is not in the bundle", q);
				bad++;
			} else if (listed[f - h->b.files]++) {
				diag_add(h->d, where, line, "H03", DIAG_ERROR, "lists '%s' twice", name);
				bad++;
			} else {
				digest_sha256_hex(f->data, f->len, hex);
				if (strcmp(hex, listed_hex) != 0) {
					diag_add(h->d, where, line, "H03", DIAG_ERROR,
						 "'%s' does not match its checksum: it was changed after publication, or damaged",
						 name);
					bad++;
				}
			}
		}
	}
	for (size_t i = 0; i < h->b.nfiles && bad < 20; i++)
		if (!listed[i] && strcmp(h->b.files[i].path, MANIFEST) != 0) {
			diag_add(h->d, where, 0, "H03", DIAG_ERROR,
				 "'%s' is in the bundle but not listed: added after publication",
				 h->b.files[i].path);
			bad++;
		}
	free(listed);
	return bad ? -1 : 0;
}

/* Copies the bytes of the bundle's revisions.csv into *rev (NUL-terminated), when rev. */
static int take_revisions(struct hread *h, char **rev, size_t *rlen)
{
	const struct bundle_file *f;

	if (!rev)
		return 0;
	f = bundle_find(&h->b, REVISIONS);
	if (!f)
		return 0;
	*rev = malloc(f->len + 1);
	if (!*rev) {
		diag_add_errno(h->d, h->path, "H01", ENOMEM, "out of memory");
		return -1;
	}
	memcpy(*rev, f->data, f->len);
	(*rev)[f->len] = '\0';
	*rlen = f->len;
	return 0;
}

/* The release date of the bundle's README.txt into release (rsize bytes; "" when none). */
static void take_release(const struct hread *h, char *release, size_t rsize)
{
	static const char label[] = "Release date ";
	const struct bundle_file *f = bundle_find(&h->b, "README.txt");
	const char *p, *end, *ln;
	size_t n;

	release[0] = '\0';
	if (!f)
		return;
	p = (const char *)f->data;
	end = p + f->len;
	while (next_line(&p, end, &ln, &n))
		if (n > sizeof label - 1 && memcmp(ln, label, sizeof label - 1) == 0) {
			const char *v = ln + sizeof label - 1;
			while (v < ln + n && *v == ' ')
				v++;
			(void)publish_release_date_iso(v, (size_t)(ln + n - v), release, rsize);
			return; /* the first such line: the release section's */
		}
}

/*
 * The earlier periods the bundle's time series shows with figures, into shown (size bytes):
 * the header of its first tables/series-national-*.csv ("category,level,2020-21,2021-22,
 * 2022-23"), each period but the last (the bundle's own) whose column holds something other
 * than [x] in some row. "" when it has no series, or one this does not read.
 */
static void take_shown(const struct hread *h, char *shown, size_t size)
{
	static const char prefix[] = "tables/series-national-";
	const struct bundle_file *f = NULL;
	char periods[SHOWN_MAX][8];
	unsigned char with[SHOWN_MAX] = { 0 };
	size_t np = 0, w = 0, n;
	const char *p, *end, *ln;
	long line = 0;

	shown[0] = '\0';
	for (size_t i = 0; i < h->b.nfiles && !f; i++)
		if (strncmp(h->b.files[i].path, prefix, sizeof prefix - 1) == 0)
			f = &h->b.files[i];
	if (!f)
		return;
	p = (const char *)f->data;
	end = p + f->len;
	while (next_line(&p, end, &ln, &n)) {
		const char *q = ln, *qe = ln + n;
		size_t col = 0;
		while (q <= qe) {
			const char *c = memchr(q, ',', (size_t)(qe - q));
			size_t len = c ? (size_t)(c - q) : (size_t)(qe - q);
			if (len && q[len - 1] == '\r')
				len--;
			if (col >= 2 && col - 2 < SHOWN_MAX) {
				size_t k = col - 2;
				if (line == 0) {
					if (len != 7)
						return; /* not a header of periods */
					memcpy(periods[k], q, 7);
					periods[k][7] = '\0';
					np = k + 1;
				} else if (k < np && !(len == 3 && memcmp(q, "[x]", 3) == 0)) {
					with[k] = 1;
				}
			}
			col++;
			if (!c)
				break;
			q = c + 1;
		}
		line++;
	}
	for (size_t k = 0; k + 1 < np; k++) /* the last column is the bundle's own period */
		if (with[k] && w + 9 < size) {
			memcpy(shown + w, periods[k], 7);
			shown[w + 7] = ' ';
			w += 8;
			shown[w] = '\0';
		}
}

/* The archive a, opened: its entries, the manifest, the period, observations.csv into ds. */
static int read_bundle(struct hread *h, struct archive *a, struct dataset *ds,
		       const struct defs *defs, const struct areas *areas, const char *period)
{
	const struct bundle_file *obs;
	char where[4400];

	if (read_entries(h, a) != 0 || check_manifest(h) != 0)
		return -1;
	if (period && strcmp(h->top + strlen(TOP_PREFIX), period) != 0) {
		diag_add(h->d, h->path, 0, "H04", DIAG_ERROR,
			 "the bundle is for %s, not for %s", h->top + strlen(TOP_PREFIX), period);
		return -1;
	}
	obs = bundle_find(&h->b, OBSERVATIONS);
	if (!obs) {
		diag_add(h->d, h->path, 0, "H04", DIAG_ERROR,
			 "no %s/%s: not a MAPPA publication bundle", h->top, OBSERVATIONS);
		return -1;
	}
	member(where, sizeof where, h, OBSERVATIONS);
	if (published_read(ds, defs, areas, where, (const char *)obs->data, obs->len, h->d) != 0)
		return -1;
	if (strcmp(ds->period, h->top + strlen(TOP_PREFIX)) != 0) {
		diag_add(h->d, where, 2, "H04", DIAG_ERROR,
			 "the observations are for %s, but the bundle's folder is %s", ds->period, h->top);
		return -1;
	}
	return 0;
}

/* A reader of gzip'd tar, tar and zip, or NULL (an H01 diagnostic added). */
static struct archive *new_reader(struct hread *h)
{
	struct archive *a = archive_read_new();

	if (!a || archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_support_format_zip(a) != ARCHIVE_OK) {
		diag_add_errno(h->d, h->path, "H01", ENOMEM, "out of memory");
		if (a)
			archive_read_free(a);
		return NULL;
	}
	return a;
}

int history_holds_period(const char *path, const char *period)
{
	struct archive *a = NULL;
	struct archive_entry *e;
	struct stat st;
	char top[32];
	int fd = regfile_open(AT_FDCWD, path, 0, &st), hit = 0;

	if (fd < 0)
		return -1;
	if (st.st_size > HISTORY_MAX_BYTES)
		goto out;
	snprintf(top, sizeof top, "mappa-%s/", period);
	a = archive_read_new();
	if (!a || archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_support_format_zip(a) != ARCHIVE_OK ||
	    archive_read_open_fd(a, fd, 65536) != ARCHIVE_OK)
		goto out;
	if (archive_read_next_header(a, &e) == ARCHIVE_OK && archive_entry_pathname(e))
		hit = strncmp(archive_entry_pathname(e), top, strlen(top)) == 0;
out:
	if (a)
		archive_read_free(a);
	close(fd);
	return hit;
}

/* h for path, ds empty, and *revisions NULL (when revisions is not). */
static void hread_start(struct hread *h, struct dataset *ds, const char *path, char **revisions,
			size_t *rlen, struct diag_list *d)
{
	dataset_init(ds);
	memset(h, 0, sizeof *h);
	h->path = path;
	h->d = d;
	bundle_init(&h->b, "history", &no_time);
	if (revisions) {
		*revisions = NULL;
		*rlen = 0;
	}
}

int history_read(struct dataset *ds, const struct defs *defs, const struct areas *areas,
		 const char *path, const char *period, struct diag_list *d)
{
	return history_read_revisions(ds, defs, areas, path, period, NULL, NULL, d);
}

/*
 * The bundle in data (len bytes), for hread_start's h: the archive, the bundle, its revisions.
 * ds is emptied again when it fails.
 */
static int read_archive(struct hread *h, struct dataset *ds, const struct defs *defs,
			const struct areas *areas, const void *data, size_t len,
			const char *period, char **revisions, size_t *rlen,
			struct history_about *about)
{
	struct archive *a = NULL;
	char why[256];
	int result = -1;

	/* what one reader of the bundle sees and another not is never audited (QA) */
	switch (unambiguous_archive(data, len, (size_t)HISTORY_MAX_UNPACKED, why, sizeof why)) {
	case 0:
		break;
	case -2:
		diag_add(h->d, h->path, 0, "H01", DIAG_ERROR,
			 "not a .tar.gz or .zip archive, or a damaged one: %s", why);
		goto out;
	default:
		diag_add(h->d, h->path, 0, "H01", DIAG_ERROR,
			 "not a sound publication bundle: %s: refused, as a reader of it could see "
			 "figures that were never audited", why);
		goto out;
	}
	a = new_reader(h);
	if (!a)
		goto out;
	h->data = data;
	h->len = len;
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		diag_add(h->d, h->path, 0, "H01", DIAG_ERROR,
			 "not a .tar.gz or .zip archive, or a damaged one: %s",
			 archive_error_string(a) ? archive_error_string(a) : "unknown format");
		goto out;
	}
	result = read_bundle(h, a, ds, defs, areas, period);
	if (result == 0)
		result = take_revisions(h, revisions, rlen);
	if (result == 0 && about) {
		take_release(h, about->release, sizeof about->release);
		take_shown(h, about->shown, sizeof about->shown);
	}
out:
	if (a)
		archive_read_free(a);
	bundle_release(&h->b);
	if (result != 0) {
		dataset_release(ds);
		dataset_init(ds);
	}
	return result;
}

int history_read_revisions(struct dataset *ds, const struct defs *defs, const struct areas *areas,
			   const char *path, const char *period, char **revisions, size_t *rlen,
			   struct diag_list *d)
{
	return history_read_about(ds, defs, areas, path, period, revisions, rlen, NULL, d);
}

int history_read_about(struct dataset *ds, const struct defs *defs, const struct areas *areas,
		       const char *path, const char *period, char **revisions, size_t *rlen,
		       struct history_about *about, struct diag_list *d)
{
	struct hread h;
	char *buf = NULL;
	size_t len = 0;
	int result = -1;

	if (about)
		memset(about, 0, sizeof *about);
	hread_start(&h, ds, path, revisions, rlen, d);
	/* the whole file, read as every reader of the project's files reads one (a FIFO or a
	   device refused unopened, errno kept), for unambiguous_archive */
	switch (xmlsafe_read_file(path, (size_t)HISTORY_MAX_BYTES, &buf, &len)) {
	case XMLSAFE_READ_OK:
		result = read_archive(&h, ds, defs, areas, buf, len, period, revisions, rlen, about);
		break;
	case XMLSAFE_READ_TOO_BIG:
		diag_add(d, path, 0, "H01", DIAG_ERROR,
			 "larger than %ld bytes: not a publication bundle", HISTORY_MAX_BYTES);
		break;
	default:
		diag_add_errno(d, path, "H01", errno, "cannot read: %s", xmlsafe_strerror(errno));
		break;
	}
	free(buf);
	return result;
}

int history_read_mem(struct dataset *ds, const struct defs *defs, const struct areas *areas,
		     const char *name, const void *data, size_t len, const char *period,
		     char **revisions, size_t *rlen, struct diag_list *d)
{
	struct hread h;

	hread_start(&h, ds, name, revisions, rlen, d);
	if (len > (size_t)HISTORY_MAX_BYTES) {
		diag_add(d, h.path, 0, "H01", DIAG_ERROR,
			 "larger than %ld bytes: not a publication bundle", HISTORY_MAX_BYTES);
		return -1;
	}
	return read_archive(&h, ds, defs, areas, data, len, period, revisions, rlen, NULL);
}
