#include "stage_setup.h"

#include <errno.h>
#include <sysexits.h>

#include "diag.h"

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
