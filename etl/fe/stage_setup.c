#include "stage_setup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "diag.h"
#include "fe_name.h"

int stage_load_reference(const struct fe_prog *prog, struct defs *defs, struct areas *areas,
			 const char *reference)
{
	struct diag_list d = DIAG_LIST_INIT;
	int status = EX_OK;

	/* every problem is a diagnostic of its file; prog names the program when none can be kept */
	if (defs_load_default(defs, &d) != 0) {
		fe_diags(&d);
		if (d.count == 0) /* out of memory before a diagnostic could be kept */
			fprintf(stderr, "%s: cannot load the statistics' definitions: out of memory\n",
				prog->name);
		status = EX_SOFTWARE;
		goto out;
	}
	/* -2 (cannot be read) or -1 (not valid): the diagnostics say which, and give the status */
	if (areas_load_path(areas, reference, &d) != 0)
		status = fe_diags(&d);
out:
	diag_clear(&d);
	return status;
}

int stage_release_option(const struct fe_prog *prog, int opt, const char *arg,
			 struct publish_release *release, enum bundle_format *fmt)
{
	switch (opt) {
	case STAGE_OPT_FORMAT:
		if (bundle_format_parse(arg, fmt) != 0)
			return fe_usage_error(prog, "--format must be tar.gz or zip, not %s",
					      fe_name(arg));
		return EX_OK;
	case STAGE_OPT_RELEASE_DATE: release->date = arg; return EX_OK;
	case STAGE_OPT_NEXT_RELEASE: release->next = arg; return EX_OK;
	case STAGE_OPT_PRODUCER: release->producer = arg; return EX_OK;
	case STAGE_OPT_CONTACT: release->contact = arg; return EX_OK;
	case STAGE_OPT_EMAIL: release->email = arg; return EX_OK;
	case STAGE_OPT_PHONE: release->phone = arg; return EX_OK;
	case STAGE_OPT_METHODOLOGY: release->methodology = arg; return EX_OK;
	default: return -1;
	}
}

int stage_check_release_options(const struct fe_prog *prog, const struct publish_release *release)
{
	struct diag_list d = DIAG_LIST_INIT;

	enum publish_release_field f;
	int status = EX_OK;

	/* one line naming the option and the rule, as a date against the period is said (QA:
	   "PROG: email 'x' is not an address ..." and then the whole --help text) */
	f = publish_release_check(release, NULL, NULL, &d);
	if (f == PUBLISH_RELEASE_FIELD_NONE)
		goto out;
	if (d.count == 0) {
		fprintf(stderr, "%s: cannot check the release metadata: out of memory\n", prog->name);
		status = EX_SOFTWARE;
		goto out;
	}
	fprintf(stderr, "%s: %s: error[%s]: %s\n", prog->name, publish_release_option_name(f),
		d.items[0].rule, d.items[0].message);
	status = EX_USAGE;
out:
	diag_clear(&d);
	return status;
}

int stage_load_release(const struct fe_prog *prog, const char *path,
		       struct publish_release *release, struct publish_release_file **file)
{
	struct diag_list d = DIAG_LIST_INIT;
	enum publish_release_field f;
	int status = EX_OK, r;

	*file = NULL;
	if (!path)
		return EX_OK;
	*file = malloc(sizeof **file);
	if (!*file)
		return EX_SOFTWARE;
	r = publish_release_load_path(*file, path, &d);
	if (r == -2) {
		status = fe_diags(&d);
		goto out;
	}
	if (r != 0) {
		status = fe_diags(&d);
		fprintf(stderr, "%s: %s is not a valid publication file: nothing written\n", prog->name,
			fe_name(path));
		goto out;
	}
	/* the file first, then the options over it (the file alone passed: the options are to
	   blame, so this is a usage error, not a diagnostic of the file) */
	publish_release_merge(release, &(*file)->release, release);
	f = publish_release_check(release, path, NULL, &d);
	if (f != PUBLISH_RELEASE_FIELD_NONE && d.count == 0) {
		fprintf(stderr, "%s: cannot check the release metadata: out of memory\n", prog->name);
		status = EX_SOFTWARE;
	} else if (f != PUBLISH_RELEASE_FIELD_NONE) {
		/* the options passed alone: only the dates can contradict the file's; a next release
		   of the file blames the --release-date given over it */
		if (f == PUBLISH_RELEASE_FIELD_NEXT && release->next == (*file)->release.next)
			f = PUBLISH_RELEASE_FIELD_DATE;
		fprintf(stderr, "%s: %s: error[%s]: %s (the options over %s)\n", prog->name,
			publish_release_option_name(f), d.items[d.count - 1].rule,
			d.items[d.count - 1].message, fe_name(path));
		status = EX_USAGE;
	}
out:
	diag_clear(&d);
	return status;
}

int stage_check_release_dates(const struct fe_prog *prog, const struct publish_release *release,
			      const char *path, const struct publish_release_file *file,
			      const char *period)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct publish_release_lines at = { 0 };
	enum publish_release_field f;
	int status = EX_OK, from_file;

	/* a date is the file's when the option did not override it: then it has the line of its
	   element */
	if (file && release->date && release->date == file->release.date)
		at.date = file->lines.date;
	if (file && release->next && release->next == file->release.next)
		at.next = file->lines.next;
	f = publish_release_check_dates(release, period, path, &at, &d);
	if (f == PUBLISH_RELEASE_FIELD_NONE)
		goto out;
	if (d.count == 0) {
		fprintf(stderr, "%s: cannot check the release dates: out of memory\n", prog->name);
		status = EX_SOFTWARE;
		goto out;
	}
	from_file = f == PUBLISH_RELEASE_FIELD_DATE ? file && release->date == file->release.date
						    : file && release->next == file->release.next;
	if (from_file) {
		fe_diags(&d);
		fprintf(stderr, "%s: %s is not a valid publication file for %s: nothing written\n",
			prog->name, fe_name(path), period);
		status = EX_DATAERR;
	} else {
		fprintf(stderr, "%s: %s: error[L04]: %s\n", prog->name,
			publish_release_option_name(f), d.items[0].message);
		status = EX_USAGE;
	}
out:
	diag_clear(&d);
	return status;
}

int stage_write_dataset(const struct fe_prog *prog, struct dataset *ds,
			const struct defs *defs, const char *path, struct diag_list *d, int status)
{
	if (path == NULL || strcmp(path, "-") == 0)
		return dataset_write(ds, defs, stdout) != 0 ? fe_stdout_failed(prog, errno) : status;
	if (dataset_write_path(ds, defs, path, d) != 0)
		return fe_diags_io(d, FE_WRITE);
	return status;
}

/* "PATH:0: error[O10]: cannot write: REASON" on stderr; returns status. */
static int report_failed(const struct outfile *o, const char *path, int errnum, int status)
{
	struct diag_list d = DIAG_LIST_INIT;

	diag_add_errno(&d, path, "O10", errnum ? errnum : EIO, "cannot write: %s",
		       outfile_why(o, errnum ? errnum : EIO));
	diag_print(&d, stderr);
	diag_clear(&d);
	return status;
}

int stage_report_write(const struct fe_prog *prog, struct outfile *o, const char *path,
		       int (*write)(FILE *f, void *arg), void *arg)
{
	FILE *f;
	int e;

	if (strcmp(path, "-") == 0) {
		/* a report that is lost (a full disk, a closed pipe) is a failed run */
		if (write(stdout, arg) != 0 || fflush(stdout) != 0 || ferror(stdout))
			return fe_stdout_failed(prog, errno);
		return EX_OK;
	}
	f = outfile_begin(o, path);
	if (!f) {
		e = errno;
		return report_failed(o, path, e, o->not_a_file ? EX_CANTCREAT : fe_status_write(e));
	}
	errno = 0;
	if (write(f, arg) != 0 || outfile_finish(o) != 0) {
		e = errno ? errno : EIO;
		outfile_abort(o);
		return report_failed(o, path, e, fe_status_write(e));
	}
	return EX_OK;
}

int stage_report_commit(struct outfile *o)
{
	int e;

	if (!o->path || outfile_commit(o) == 0)
		return EX_OK;
	e = errno;
	return report_failed(o, o->path, e, e == ENOMEM ? EX_SOFTWARE : EX_CANTCREAT);
}
