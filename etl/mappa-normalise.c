/*
 * mappa-normalise: one valid MAPPA return as an observations file (docs/merge.md,
 * docs/observations-format.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <libxml/parser.h>

#include "areas.h"
#include "areturn.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "normalise.h"
#include "validator.h"

static const char usage_text[] =
	"usage: mappa-normalise [--reference FILE] [--source NAME] [-o OUT] RETURN\n"
	"       mappa-normalise --help | --version\n"
	"\n"
	"Validates RETURN (as mappa-validate does) and writes the area's observations: every\n"
	"cell of every table, with the reference name and population of the area. The output is\n"
	"the same, byte for byte, for returns that mean the same thing, whatever their encoding,\n"
	"line ends, whitespace, comments or attribute order (given the same source name).\n"
	"\n"
	"  -o, --output OUT  write to OUT (atomically: a temporary file renamed into place);\n"
	"                    '-' or no -o: standard output\n"
	"  --reference F     reference data (areas) to use instead of the built-in copy\n"
	"  --source NAME     the return's name recorded in the output (default: RETURN as given)\n"
	"\n"
	"Exit status: 0 written (the return's warnings, if any, on stderr), 65 the return is\n"
	"invalid (its diagnostics on stderr), 64 bad usage, 66 a file cannot be read,\n"
	"73 the output cannot be created, 74 write error, 70 internal error.\n";

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "reference", required_argument, NULL, 'r' },
		{ "source", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reference = NULL, *out_path = NULL, *source = NULL, *path;
	int opt, status = EX_OK, have_ds = 0;
	struct defs defs;
	struct areas areas;
	struct area_return r;
	struct dataset ds;
	struct diag_list diags = DIAG_LIST_INIT;
	struct validator *v = NULL;
	enum validator_result vr;
	char err[512];

	while ((opt = getopt_long(argc, argv, "o:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o': out_path = optarg; break;
		case 'r': reference = optarg; break;
		case 's': source = optarg; break;
		case 'h': fputs(usage_text, stdout); return EX_OK;
		case 'V': puts("mappa-normalise " MAPPA_VERSION); return EX_OK;
		default: fputs(usage_text, stderr); return EX_USAGE;
		}
	}
	if (argc - optind != 1) {
		fputs(optind >= argc ? "mappa-normalise: no return given\n"
				     : "mappa-normalise: one return at a time\n", stderr);
		fputs(usage_text, stderr);
		return EX_USAGE;
	}
	path = argv[optind];
	if (!source)
		source = path;

	LIBXML_TEST_VERSION
	if (defs_load_default(&defs, &diags) != 0) {
		diag_print(&diags, stderr);
		status = EX_SOFTWARE;
		goto out;
	}
	{
		int rc = areas_load_path(&areas, reference, &diags);
		if (rc == -2) {
			fprintf(stderr, "mappa-normalise: cannot read '%s': %s\n", reference,
				strerror(errno));
			status = EX_NOINPUT;
			goto out;
		}
		if (rc != 0) {
			diag_print(&diags, stderr);
			status = EX_DATAERR;
			goto out;
		}
	}
	v = validator_new(&defs, &areas, NULL, 0, err, sizeof err);
	if (!v) {
		fprintf(stderr, "mappa-normalise: return.xsd: %s\n", err);
		status = EX_SOFTWARE;
		goto out;
	}
	memset(&r, 0, sizeof r);
	errno = 0;
	vr = validator_check_file(v, path, &r, &diags);
	diag_sort(&diags);
	diag_print(&diags, stderr);
	if (vr == VALIDATOR_UNREADABLE) {
		fprintf(stderr, "mappa-normalise: cannot read '%s': %s\n", path, strerror(errno));
		status = EX_NOINPUT;
		goto out;
	}
	if (vr != VALIDATOR_VALID) {
		fprintf(stderr, "%s: invalid, %zu error%s: not normalised\n", path, diags.errors,
			diags.errors == 1 ? "" : "s");
		status = EX_DATAERR;
		goto out;
	}
	diag_clear(&diags);
	if (normalise_return(&ds, &defs, &areas, &r, source, &diags) != 0) {
		diag_print(&diags, stderr);
		status = EX_SOFTWARE;
		goto out;
	}
	have_ds = 1;
	if (!out_path || strcmp(out_path, "-") == 0) {
		if (dataset_write(&ds, &defs, stdout) != 0) {
			fprintf(stderr, "mappa-normalise: cannot write to standard output: %s\n",
				strerror(errno));
			status = EX_IOERR;
		}
	} else if (dataset_write_path(&ds, &defs, out_path) != 0) {
		int e = errno;
		fprintf(stderr, "mappa-normalise: cannot write '%s': %s\n", out_path, strerror(e));
		status = (e == ENOENT || e == EACCES || e == ENOTDIR || e == EROFS ||
			  e == ENAMETOOLONG) ? EX_CANTCREAT : EX_IOERR;
	}
out:
	if (have_ds)
		dataset_release(&ds);
	validator_free(v);
	diag_clear(&diags);
	xmlCleanupParser();
	return status;
}
