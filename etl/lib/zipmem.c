#include "zipmem.h"

#include <stdio.h>
#include <string.h>

#include <zip.h>

/* The one error of a failed build: what failed and libzip's reason. */
struct zerr {
	const char *file, *rule;
	struct diag_list *d;
};

/* libzip's reason, "out of memory" for its memory errors (libzip says "Malloc failure", which
   no reader takes for the machine's fault: mappa-publish exited 70 saying nothing of memory) */
static const char *reason(zip_error_t *e)
{
	return zip_error_code_zip(e) == ZIP_ER_MEMORY ? "out of memory" : zip_error_strerror(e);
}

static void seterr(const struct zerr *z, const char *what, const char *name, const char *why)
{
	char q[256];

	if (name) {
		diag_quote(q, sizeof q, name, 200);
		diag_add(z->d, z->file, 0, z->rule, DIAG_ERROR, "%s '%s': %s", what, q,
			 why ? why : "unknown error");
	} else
		diag_add(z->d, z->file, 0, z->rule, DIAG_ERROR, "%s: %s", what,
			 why ? why : "unknown error");
}

int zipmem_archive(const struct zipmem_entry *entries, size_t n, const struct zipmem_time *when,
		   struct strbuf *out, const char *file, const char *rule, struct diag_list *d)
{
	const struct zerr z = { file, rule, d };
	int result = -1;
	zip_error_t ze;
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	zip_stat_t st;
	zip_uint16_t dtime, ddate;
	int opened = 0;

	zip_error_init(&ze);
	dtime = (zip_uint16_t)((when->hour << 11) | (when->minute << 5) | (when->second / 2));
	ddate = (zip_uint16_t)(((when->year - 1980) << 9) | (when->month << 5) | when->day);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!src) {
		seterr(&z, "cannot make a zip buffer", NULL, reason(&ze));
		goto out;
	}
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!za) {
		seterr(&z, "cannot start a zip archive", NULL, reason(&ze));
		zip_source_free(src); /* the reference zip_source_keep added */
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct zipmem_entry *e = &entries[i];
		size_t nl = strlen(e->name);
		zip_int64_t idx;

		if (nl && e->name[nl - 1] == '/') {
			idx = zip_dir_add(za, e->name, ZIP_FL_ENC_GUESS);
		} else {
			zip_source_t *s = zip_source_buffer(za, e->data, e->len, 0);
			if (!s) {
				seterr(&z, "cannot add", e->name, reason(zip_get_error(za)));
				goto out;
			}
			idx = zip_file_add(za, e->name, s, ZIP_FL_ENC_GUESS);
			if (idx < 0) {
				zip_source_free(s);
				seterr(&z, "cannot add", e->name, reason(zip_get_error(za)));
				goto out;
			}
			if (zip_set_file_compression(za, (zip_uint64_t)idx,
						     e->store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
						     e->store ? 0 : 9) != 0) {
				seterr(&z, "cannot add", e->name, reason(zip_get_error(za)));
				goto out;
			}
		}
		if (idx < 0) {
			seterr(&z, "cannot add", e->name, reason(zip_get_error(za)));
			goto out;
		}
		if (zip_file_set_dostime(za, (zip_uint64_t)idx, dtime, ddate, 0) != 0 ||
		    (e->mode && zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
				((nl && e->name[nl - 1] == '/' ? 0040000u : 0100000u) | e->mode) << 16) != 0)) {
			seterr(&z, "cannot add", e->name, reason(zip_get_error(za)));
			goto out;
		}
		/* whatever libzip or a source added, no extra field goes out */
		zip_file_extra_field_delete(za, (zip_uint64_t)idx, ZIP_EXTRA_FIELD_ALL, ZIP_FL_LOCAL | ZIP_FL_CENTRAL);
	}
	if (zip_close(za) != 0) {
		seterr(&z, "cannot write the zip archive", NULL, reason(zip_get_error(za)));
		zip_discard(za);
		za = NULL;
		goto out;
	}
	za = NULL;
	if (zip_source_stat(src, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(src) != 0) {
		seterr(&z, "cannot read the zip archive back", NULL,
		       reason(zip_source_error(src)));
		goto out;
	}
	opened = 1;
	{
		char chunk[8192]; /* small: no frame over 16 KB (Makefile FRAME) */
		zip_int64_t got, total = 0;
		while ((got = zip_source_read(src, chunk, sizeof chunk)) > 0) {
			strbuf_add(out, chunk, (size_t)got);
			total += got;
		}
		if (got < 0 || (zip_uint64_t)total != st.size || strbuf_ok(out) != 0) {
			seterr(&z, "cannot read the zip archive back", NULL, "short read or out of memory");
			goto out;
		}
	}
	result = 0;
out:
	if (opened)
		zip_source_close(src);
	if (za)
		zip_discard(za);
	if (src)
		zip_source_free(src);
	zip_error_fini(&ze);
	return result;
}
