#include "stage_setup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "diag.h"
#include "fe_name.h"
#include "xmlsafe.h"

int stage_load_reference(const char *prog, struct defs *defs, struct areas *areas,
			 const char *reference)
{
	struct diag_list d = DIAG_LIST_INIT;
	int status = EX_OK, r;

	if (defs_load_default(defs, &d) != 0) {
		diag_print(&d, stderr);
		status = EX_SOFTWARE;
		goto out;
	}
	r = areas_load_path(areas, reference, &d);
	if (r == -2) {
		fprintf(stderr, "%s: cannot read %s: %s\n", prog, fe_name(reference), xmlsafe_strerror(errno));
		status = EX_NOINPUT;
	} else if (r != 0) {
		diag_print(&d, stderr);
		status = EX_DATAERR;
	}
out:
	diag_clear(&d);
	return status;
}
