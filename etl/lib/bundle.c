#include "bundle.h"
#include "dataset.h"
#include "digest.h"
#include "outfile.h"
#include "quote.h"
#include "regfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#define MANIFEST_NAME "MANIFEST.sha256"

void bundle_init(struct bundle *b, const char *top, const struct zipmem_time *when)
{
	memset(b, 0, sizeof *b);
	snprintf(b->top, sizeof b->top, "%s", top);
	b->when = *when;
}

void bundle_release(struct bundle *b)
{
	for (size_t i = 0; i < b->nfiles; i++) {
		free(b->files[i].path);
		free(b->files[i].data);
	}
	free(b->files);
	b->files = NULL;
	b->nfiles = b->alloc = 0;
}

int bundle_name_ok(const char *path)
{
	size_t n = strlen(path), comp = 0;

	if (n == 0 || n > BUNDLE_NAME_MAX || path[0] == '/' || path[n - 1] == '/')
		return 0;
	for (const char *p = path; ; p++) {
		if (*p == '/' || *p == '\0') {
			const char *start = p - comp;
			if (comp == 0 || start[0] == '.')
				return 0; /* empty, ".", "..", or hidden */
			if (*p == '\0')
				return 1;
			comp = 0;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-'))
			return 0;
		comp++;
	}
}

const struct bundle_file *bundle_find(const struct bundle *b, const char *path)
{
	for (size_t i = 0; i < b->nfiles; i++)
		if (strcmp(b->files[i].path, path) == 0)
			return &b->files[i];
	return NULL;
}

/* B01 about entry path of b (line 0 of the top folder), errnum kept when not 0. */
static void add_error(const struct bundle *b, const char *path, int errnum, const char *why,
		      struct diag_list *d)
{
	char q[BUNDLE_NAME_MAX + 80];

	quote_arg_buf(q, sizeof q, path); /* 'plain' or "C-quoted" */
	if (errnum)
		diag_add_errno(d, b->top, "B01", errnum, "cannot add %s to the bundle: %s", q, why);
	else
		diag_add(d, b->top, 0, "B01", DIAG_ERROR, "cannot add %s to the bundle: %s", q, why);
}

int bundle_add(struct bundle *b, const char *path, const void *data, size_t len,
	       struct diag_list *d)
{
	struct bundle_file *f;
	int result = -1;

	if (!bundle_name_ok(path)) {
		add_error(b, path, 0, "not a valid entry name", d);
		goto out;
	}
	if (bundle_find(b, path)) {
		add_error(b, path, 0, "it is there already", d);
		goto out;
	}
	if (b->nfiles == b->alloc) {
		size_t n = b->alloc ? b->alloc * 2 : 32;
		struct bundle_file *p = realloc(b->files, n * sizeof *p);
		if (!p) {
			add_error(b, path, ENOMEM, "out of memory", d);
			goto out;
		}
		b->files = p;
		b->alloc = n;
	}
	f = &b->files[b->nfiles];
	f->path = strdup(path);
	f->data = malloc(len ? len : 1);
	if (!f->path || !f->data) {
		free(f->path);
		free(f->data);
		add_error(b, path, ENOMEM, "out of memory", d);
		goto out;
	}
	if (len)
		memcpy(f->data, data, len);
	f->len = len;
	b->nfiles++;
	result = 0;
out:
	return result;
}

int bundle_add_strbuf(struct bundle *b, const char *path, const struct strbuf *sb,
		      struct diag_list *d)
{
	if (strbuf_ok(sb) != 0) {
		add_error(b, path, ENOMEM, "out of memory", d);
		return -1;
	}
	return bundle_add(b, path, sb->data ? sb->data : "", sb->len, d);
}

int bundle_sha256_file(int dirfd, const char *path, size_t max, char hex[65])
{
	uint8_t buf[8192];
	struct sha256_ctx ctx;
	struct stat st;
	ssize_t got;
	size_t total = 0;
	/* a FIFO at the name (QA: the run waited for a writer for ever, holding its lock) is
	   refused unread */
	int fd = regfile_open(dirfd, path, O_NOFOLLOW, &st), rc = 0, e;

	if (fd < 0)
		return -1;
	if ((uintmax_t)st.st_size > max) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	sha256_init(&ctx);
	while ((got = read(fd, buf, sizeof buf)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = -1;
			break;
		}
		total += (size_t)got;
		if (total > max) { /* grown since the fstat */
			errno = EFBIG;
			rc = -1;
			break;
		}
		sha256_update(&ctx, (size_t)got, buf);
	}
	e = errno;
	close(fd);
	errno = e;
	if (rc == 0)
		digest_sha256_finish(&ctx, hex);
	return rc;
}

static int file_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct bundle_file *)pa)->path, ((const struct bundle_file *)pb)->path);
}

/* The files sorted by path (a sorted array of pointers into b). */
static const struct bundle_file **sorted_files(const struct bundle *b)
{
	struct bundle_file *copy;
	const struct bundle_file **out;

	out = malloc((b->nfiles ? b->nfiles : 1) * sizeof *out);
	copy = malloc((b->nfiles ? b->nfiles : 1) * sizeof *copy);
	if (!out || !copy) {
		free(out);
		free(copy);
		return NULL;
	}
	if (b->nfiles)
		memcpy(copy, b->files, b->nfiles * sizeof *copy);
	if (b->nfiles)
		qsort(copy, b->nfiles, sizeof *copy, file_cmp);
	for (size_t i = 0; i < b->nfiles; i++)
		out[i] = bundle_find(b, copy[i].path);
	free(copy);
	return out;
}

void bundle_manifest_text(const struct bundle *b, struct strbuf *out)
{
	const struct bundle_file **sorted = sorted_files(b);
	char hex[65];

	if (!sorted) {
		out->failed = 1;
		return;
	}
	for (size_t i = 0; i < b->nfiles; i++) {
		if (strcmp(sorted[i]->path, MANIFEST_NAME) == 0)
			continue;
		digest_sha256_hex(sorted[i]->data, sorted[i]->len, hex);
		strbuf_addf(out, "%s  %s\n", hex, sorted[i]->path);
	}
	free(sorted);
}

int bundle_add_manifest(struct bundle *b, struct diag_list *d)
{
	struct strbuf sb = STRBUF_INIT;
	int r;

	for (size_t i = 0; i < b->nfiles; i++)
		if (strcmp(b->files[i].path, MANIFEST_NAME) == 0) {
			free(b->files[i].path);
			free(b->files[i].data);
			b->files[i] = b->files[--b->nfiles];
			break;
		}
	bundle_manifest_text(b, &sb);
	r = bundle_add_strbuf(b, MANIFEST_NAME, &sb, d);
	strbuf_release(&sb);
	return r;
}

/* ---- archives ---- */

/* An entry of the archive: the top folder, every folder on a file's path, every file. */
struct entry {
	char name[BUNDLE_NAME_MAX + 80];
	const struct bundle_file *file;  /* NULL for a folder */
};

static int entry_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct entry *)pa)->name, ((const struct entry *)pb)->name);
}

static struct entry *list_entries(const struct bundle *b, size_t *count)
{
	size_t alloc = 2 * b->nfiles + 2, n = 0;
	struct entry *e = calloc(alloc, sizeof *e);

	if (!e)
		return NULL;
	snprintf(e[n++].name, sizeof e->name, "%s/", b->top);
	for (size_t i = 0; i < b->nfiles; i++) {
		const char *path = b->files[i].path;
		/* folders on the way */
		for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
			char dir[sizeof e->name];
			int dup = 0;
			snprintf(dir, sizeof dir, "%s/%.*s/", b->top, (int)(s - path), path);
			for (size_t j = 0; j < n; j++)
				if (strcmp(e[j].name, dir) == 0)
					dup = 1;
			if (!dup) {
				if (n == alloc) {
					struct entry *p = realloc(e, 2 * alloc * sizeof *e);
					if (!p) {
						free(e);
						return NULL;
					}
					e = p;
					alloc *= 2;
				}
				memset(&e[n], 0, sizeof e[n]);
				snprintf(e[n++].name, sizeof e->name, "%s", dir);
			}
		}
		if (n == alloc) {
			struct entry *p = realloc(e, 2 * alloc * sizeof *e);
			if (!p) {
				free(e);
				return NULL;
			}
			e = p;
			alloc *= 2;
		}
		memset(&e[n], 0, sizeof e[n]);
		snprintf(e[n].name, sizeof e->name, "%s/%s", b->top, path);
		e[n++].file = &b->files[i];
	}
	qsort(e, n, sizeof *e, entry_cmp);
	*count = n;
	return e;
}

static long long days_from_civil(int y, int m, int d)
{
	/* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm) */
	long long era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static long long epoch_of(const struct zipmem_time *t)
{
	return days_from_civil(t->year, t->month, t->day) * 86400LL + t->hour * 3600LL +
	       t->minute * 60LL + t->second;
}

static la_ssize_t sb_write(struct archive *a, void *client, const void *buf, size_t n)
{
	struct strbuf *sb = client;
	strbuf_add(sb, buf, n);
	if (strbuf_ok(sb) != 0) {
		archive_set_error(a, ENOMEM, "out of memory");
		return -1;
	}
	return (la_ssize_t)n;
}

/* Where an archive's diagnostics go: the file they name ("TOP.tar.gz" or "TOP.zip"), the list. */
struct where {
	char file[96];
	struct diag_list *d;
};

static int write_targz(const struct bundle *b, const struct entry *e, size_t n, struct strbuf *out,
		       const struct where *w)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ae = NULL;
	int result = -1;
	long long mtime = epoch_of(&b->when);

	if (!a) {
		diag_add_errno(w->d, w->file, "B01", ENOMEM, "out of memory");
		return -1;
	}
	if (archive_write_set_format_ustar(a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(a, 10240) != ARCHIVE_OK ||
	    /* the gzip stream ends the file: padded to the block after it, the file had zero
	       bytes past its end, and `gzip -t` exits 2 on them (QA) */
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    archive_write_open(a, out, NULL, sb_write, NULL) != ARCHIVE_OK) {
		diag_add(w->d, w->file, 0, "B01", DIAG_ERROR, "cannot start the tar.gz archive: %s",
			 archive_error_string(a));
		goto out;
	}
	ae = archive_entry_new();
	if (!ae) {
		diag_add_errno(w->d, w->file, "B01", ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		archive_entry_clear(ae);
		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_uid(ae, 0);
		archive_entry_set_gid(ae, 0);
		archive_entry_set_uname(ae, "root");
		archive_entry_set_gname(ae, "root");
		archive_entry_set_mtime(ae, (time_t)mtime, 0);
		if (e[i].file) {
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, 0644);
			archive_entry_set_size(ae, (la_int64_t)e[i].file->len);
		} else {
			archive_entry_set_filetype(ae, AE_IFDIR);
			archive_entry_set_perm(ae, 0755);
			archive_entry_set_size(ae, 0);
		}
		if (archive_write_header(a, ae) != ARCHIVE_OK ||
		    (e[i].file && e[i].file->len &&
		     archive_write_data(a, e[i].file->data, e[i].file->len) != (la_ssize_t)e[i].file->len)) {
			char q[256];
			diag_quote(q, sizeof q, e[i].name, 200);
			diag_add(w->d, w->file, 0, "B01", DIAG_ERROR, "cannot add '%s' to the archive: %s",
				 q, archive_error_string(a));
			goto out;
		}
	}
	if (archive_write_close(a) != ARCHIVE_OK) {
		diag_add(w->d, w->file, 0, "B01", DIAG_ERROR, "cannot finish the tar.gz archive: %s",
			 archive_error_string(a));
		goto out;
	}
	result = 0;
out:
	archive_entry_free(ae);
	archive_write_free(a);
	return result;
}

static int write_zip(const struct bundle *b, const struct entry *e, size_t n, struct strbuf *out,
		     const struct where *w)
{
	struct zipmem_entry *z = calloc(n ? n : 1, sizeof *z);
	int r;

	if (!z) {
		diag_add_errno(w->d, w->file, "B01", ENOMEM, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		z[i].name = e[i].name;
		z[i].data = e[i].file ? e[i].file->data : NULL;
		z[i].len = e[i].file ? e[i].file->len : 0;
		z[i].store = 0;
		z[i].mode = e[i].file ? 0644 : 0755;
	}
	r = zipmem_archive(z, n, &b->when, out, w->file, "B01", w->d);
	free(z);
	return r;
}

int bundle_archive(const struct bundle *b, enum bundle_format fmt, struct strbuf *out,
		   struct diag_list *d)
{
	struct where w;
	size_t n = 0;
	struct entry *e;
	int r;

	w.d = d;
	if (!bundle_name_ok(b->top)) {
		char q[96];
		diag_quote(q, sizeof q, b->top, 64);
		diag_add(d, "-", 0, "B01", DIAG_ERROR, "bad top folder name '%s'", q);
		return -1;
	}
	/* the top folder is a bundle name: short and plain, so the name fits */
	if (snprintf(w.file, sizeof w.file, "%s.%s", b->top, bundle_format_ext(fmt)) >=
	    (int)sizeof w.file)
		w.file[0] = '\0';
	e = list_entries(b, &n);
	if (!e) {
		diag_add_errno(d, w.file, "B01", ENOMEM, "out of memory");
		return -1;
	}
	r = fmt == BUNDLE_ZIP ? write_zip(b, e, n, out, &w) : write_targz(b, e, n, out, &w);
	free(e);
	return r;
}

/*
 * What failed while writing dir/name in place: B02 at line 0 of dest with the errno, the
 * message naming what failed ("cannot create the temporary file ..."). Returns -1.
 */
static int write_error(struct diag_list *d, const char *dest, int errnum, const char *what,
		       const char *tmp, const char *why)
{
	char q[1024];

	if (tmp)
		diag_add_errno(d, dest, "B02", errnum, "%s %s: %s", what,
			       quote_name_buf(q, sizeof q, tmp), why);
	else
		diag_add_errno(d, dest, "B02", errnum, "%s: %s", what, why);
	return -1;
}

int bundle_write_atomic(const struct bundle *b, enum bundle_format fmt, const char *dir,
			const char *name, struct diag_list *d)
{
	struct strbuf sb = STRBUF_INIT;
	char tmp[4096], dest[4096];
	int fd = -1, dfd, result = -1;

	if (!bundle_name_ok(name) || strchr(name, '/')) {
		char q[1024];
		diag_add_errno(d, dir, "B02", EINVAL, "bad bundle name %s",
			       quote_name_buf(q, sizeof q, name));
		return -1;
	}
	if (snprintf(dest, sizeof dest, "%s/%s", dir, name) >= (int)sizeof dest ||
	    snprintf(tmp, sizeof tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid()) >= (int)sizeof tmp) {
		diag_add_errno(d, dir, "B02", ENAMETOOLONG, "cannot write %s there: folder name too long",
			       name);
		return -1;
	}
	switch (outfile_check(dest)) {
	case OUTFILE_FILE:
		break;
	case -1: {
		int e = errno;
		return write_error(d, dest, e, "cannot write", NULL, outfile_strerror(e));
	}
	default: /* a bundle is a file, renamed into place: never over a device or a FIFO */
		return write_error(d, dest, EEXIST, "cannot write", NULL, OUTFILE_NOT_A_FILE);
	}
	if (bundle_archive(b, fmt, &sb, d) != 0)
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;
		write_error(d, dest, e, "cannot create the temporary file", tmp, strerror(e));
		goto out;
	}
	if (outfile_write_all(fd, sb.data, sb.len) != 0 || fsync(fd) != 0) {
		int e = errno;
		write_error(d, dest, e, "cannot write the temporary file", tmp, strerror(e));
		goto out;
	}
	if (close(fd) != 0) {
		int e = errno;
		fd = -1;
		write_error(d, dest, e, "cannot write the temporary file", tmp, strerror(e));
		goto out;
	}
	fd = -1;
	if (rename(tmp, dest) != 0) {
		int e = errno;
		write_error(d, dest, e, "cannot rename into place the temporary file", tmp, strerror(e));
		goto out;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd); /* the rename is durable; a folder that cannot be synced is no error */
		close(dfd);
	}
	result = 0;
out:
	if (fd >= 0)
		close(fd);
	if (result != 0)
		unlink(tmp);
	strbuf_release(&sb);
	return result;
}

const char *bundle_format_ext(enum bundle_format fmt)
{
	return fmt == BUNDLE_ZIP ? "zip" : "tar.gz";
}

int bundle_format_parse(const char *ext, enum bundle_format *fmt)
{
	if (strcmp(ext, "tar.gz") == 0)
		*fmt = BUNDLE_TAR_GZ;
	else if (strcmp(ext, "zip") == 0)
		*fmt = BUNDLE_ZIP;
	else
		return -1;
	return 0;
}

int bundle_name(char *buf, size_t size, const char *period, enum bundle_format fmt)
{
	int n = snprintf(buf, size, "mappa-%s.%s", period, bundle_format_ext(fmt));
	return n >= 0 && (size_t)n < size ? 0 : -1;
}

int bundle_name_other(const char *name, char *buf, size_t size)
{
	char period[8];
	int zip;

	if (bundle_name_parse(name, period, &zip) < 0)
		return -1;
	return bundle_name(buf, size, period, zip ? BUNDLE_TAR_GZ : BUNDLE_ZIP);
}

int bundle_name_parse(const char *name, char *period, int *zip)
{
	char p[8];
	int y;
	enum bundle_format f;

	if (strncmp(name, "mappa-", 6) != 0 || strnlen(name, 6 + 7 + 8) < 6 + 7)
		return -1;
	memcpy(p, name + 6, 7);
	p[7] = '\0';
	if (name[13] != '.' || bundle_format_parse(name + 14, &f) != 0)
		return -1;
	y = dataset_period_year(p);
	if (y < 0)
		return -1;
	if (period)
		memcpy(period, p, sizeof p);
	if (zip)
		*zip = f == BUNDLE_ZIP;
	return y;
}
