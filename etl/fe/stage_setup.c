#include "stage_setup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "diag.h"
#include "fe_name.h"

int stage_load_reference(const struct fe_prog *prog, struct defs *defs, struct areas *areas,
			 const char *reference)
{
	struct diag_list d = DIAG_LIST_INIT;
	int status = EX_OK, r;

	if (defs_load_default(defs, &d) != 0) {
		fe_diags(&d);
		status = EX_SOFTWARE;
		goto out;
	}
	r = areas_load_path(areas, reference, &d);
	if (r == -2)
		status = fe_cannot(prog, "read", reference, errno, fe_status_read(errno));
	else if (r != 0)
		status = fe_diags(&d);
out:
	diag_clear(&d);
	return status;
}

int stage_load_release(const struct fe_prog *prog, const char *path,
		       struct publish_release *release, struct publish_release_file **file)
{
	struct diag_list d = DIAG_LIST_INIT;
	char err[512];
	int status = EX_OK, r;

	*file = NULL;
	if (!path)
		return EX_OK;
	*file = malloc(sizeof **file);
	if (!*file)
		return EX_SOFTWARE;
	r = publish_release_load_path(*file, path, &d);
	if (r == -2) {
		status = fe_cannot(prog, "read", path, errno, EX_NOINPUT);
		goto out;
	}
	if (r != 0) {
		fe_diags(&d);
		fprintf(stderr, "%s: %s is not a valid publication file: nothing written\n", prog->name,
			fe_name(path));
		status = EX_DATAERR;
		goto out;
	}
	/* the file first, then the options over it */
	publish_release_merge(release, &(*file)->release, release);
	if (publish_release_check(release, err, sizeof err) != 0) {
		fprintf(stderr, "%s: %s (the options over %s)\n", prog->name, err, fe_name(path));
		status = EX_USAGE;
	}
out:
	diag_clear(&d);
	return status;
}
