/*
 * mappa-normalise: one valid MAPPA return as an observations file (docs/merge.md,
 * docs/observations-format.md).
 */
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <libxml/parser.h>

#include "areas.h"
#include "areturn.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "fe_main.h"
#include "fe_name.h"
#include "normalise.h"
#include "stage_setup.h"
#include "validator.h"
#include "xmlsafe.h"

static const char usage_text[] =
	"usage: mappa-normalise [--reference FILE] [--source NAME] [-o OUT] RETURN\n"
	"       mappa-normalise [--reference FILE] -d DIR RETURN...\n"
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
	"  --source NAME     the return's name recorded in the output (default: RETURN as given;\n"
	"                    at most 511 bytes: never cut)\n"
	"  -d, --directory D normalise every RETURN into D/NAME.obs (NAME: the return's file\n"
	"                    name without .xml), in one process; goes on past an invalid one\n"
	"\n"
	"Exit status: 0 written (the return's warnings, if any, on stderr), 65 a return is\n"
	"invalid (its diagnostics on stderr; with -d the valid ones are still written), 64 bad usage, 66 a file cannot be read,\n"
	"73 the output cannot be created (or is a symbolic link), 74 write error, 70 internal error.\n";

static const struct fe_prog prog = { "mappa-normalise", usage_text, NULL };

/* Exit status of the worse of two outcomes (a file that cannot be read outranks the rest). */
static int worse(int a, int b)
{
	static const int order[] = { EX_OK, EX_DATAERR, EX_IOERR, EX_CANTCREAT, EX_NOINPUT, EX_SOFTWARE };
	int ra = 0, rb = 0;
	for (int i = 0; i < (int)(sizeof order / sizeof order[0]); i++) {
		if (order[i] == a)
			ra = i;
		if (order[i] == b)
			rb = i;
	}
	return ra >= rb ? a : b;
}

/* Validates, normalises and writes one return; returns its exit status. */
static int normalise_one(struct validator *v, const struct defs *defs, const struct areas *areas,
			 const char *path, const char *source, const char *out_path)
{
	static struct area_return r; /* static: frames stay small under ulimit -v (one at a time) */
	static struct dataset ds;
	struct diag_list diags = DIAG_LIST_INIT;
	enum validator_result vr;
	int status = EX_OK;

	memset(&r, 0, sizeof r);
	vr = validator_check_file(v, path, &r, &diags);
	diag_sort(&diags);
	fe_diags(&diags);
	if (vr == VALIDATOR_UNREADABLE) {
		/* its R03 "cannot read: REASON", printed above, keeps the errno: 66 (70 for ENOMEM) */
		status = fe_status(&diags, FE_READ);
		goto out;
	}
	if (vr != VALIDATOR_VALID) {
		fprintf(stderr, "mappa-normalise: %s is invalid (%zu error%s): not normalised\n", fe_name(path),
			diags.errors, diags.errors == 1 ? "" : "s");
		status = EX_DATAERR;
		goto out;
	}
	diag_clear(&diags);
	if (normalise_return(&ds, defs, areas, &r, source, &diags) != 0) {
		fe_diags(&diags);
		status = EX_SOFTWARE;
		goto out;
	}
	status = stage_write_dataset(&prog, &ds, defs, out_path, &diags, status);
	dataset_release(&ds);
out:
	diag_clear(&diags);
	return status;
}

/* The name -d gives a return: its last name less ".xml" (length in *n). */
static const char *output_base(const char *path, size_t *n)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	*n = strlen(base);
	if (*n > 4 && strcmp(base + *n - 4, ".xml") == 0)
		*n -= 4;
	return base;
}

/* Whether -d writes returns a and b to the same file. */
static int same_output(const char *a, const char *b)
{
	size_t na, nb;
	const char *ba = output_base(a, &na), *bb = output_base(b, &nb);
	return na == nb && memcmp(ba, bb, na) == 0;
}

/* The file -d writes path to, DIR/NAME.obs, into out; -1 when there is none (no name, too long). */
static int dir_output(const char *dir, const char *path, char *out, size_t size)
{
	size_t n;
	const char *base = output_base(path, &n);
	int w;

	if (n == 0)
		return -1;
	w = snprintf(out, size, "%s/%.*s.obs", dir, (int)n, base);
	return w < 0 || (size_t)w >= size ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "directory", required_argument, NULL, 'd' },
		{ "reference", required_argument, NULL, 'r' },
		{ "source", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reference = NULL, *out_path = NULL, *source = NULL, *dir = NULL;
	int opt, status = EX_OK;
	static struct defs defs;
	static struct areas areas;
	struct diag_list diags = DIAG_LIST_INIT;
	struct validator *v = NULL;

	fe_start(&prog, argv);
	while ((opt = fe_getopt(&prog, argc, argv, "o:d:hV", longopts)) != -1) {
		if (opt == FE_OPT_EMPTY)
			return EX_USAGE;
		switch (opt) {
		case 'o': out_path = optarg; break;
		case 'd': dir = optarg; break;
		case 'r': reference = optarg; break;
		case 's': source = optarg; break;
		default: return fe_option(&prog, opt);
		}
	}
	if (optind >= argc || (!dir && argc - optind != 1) || (dir && (out_path || source)))
		return fe_usage_error(&prog, "%s", optind >= argc ? "no return given"
				      : dir ? "-d goes without -o and --source"
					    : "one return at a time (or -d DIR)");

	/* the SOURCE field of an observations file holds at most DATASET_PATH_MAX - 1 bytes, and a
	   field is never cut (docs/observations-format.md, O04): one longer is refused here, not
	   cut at 511 bytes, in the middle of a UTF-8 character (QA) */
	if (!dir && strlen(source ? source : argv[optind]) >= DATASET_PATH_MAX)
		return fe_usage_error(&prog, "%s is %zu bytes long: the source name is at most %d bytes%s",
				      source ? "--source" : "RETURN's name",
				      strlen(source ? source : argv[optind]), DATASET_PATH_MAX - 1,
				      source ? "" : " (give a shorter one with --source)");

	for (int i = optind; dir && i < argc; i++)
		if (strlen(argv[i]) >= DATASET_PATH_MAX)
			return fe_usage_error(&prog, "RETURN's name %s is %zu bytes long: the source name is at most %d bytes (normalise it alone, with --source)",
					      fe_name(argv[i]), strlen(argv[i]), DATASET_PATH_MAX - 1);

	LIBXML_TEST_VERSION
	status = stage_load_reference(&prog, &defs, &areas, reference);
	if (status != EX_OK)
		goto out;
	v = validator_new(&defs, &areas, NULL, 0, NULL, &diags);
	if (!v) {
		fe_diags(&diags);
		status = EX_SOFTWARE;
		goto out;
	}
	if (!dir && fe_same_file(out_path, argv[optind])) {
		status = fe_usage_error(&prog, "%s is the input: the output would replace it",
					fe_name(argv[optind]));
		goto out;
	}
	/* the reference data is an input too (QA: -o naming it replaced it, exit 0) */
	if (!dir && fe_same_file(out_path, reference)) {
		status = fe_usage_error(&prog, "%s is the reference data: the output would replace it",
					fe_name(reference));
		goto out;
	}
	if (!dir) {
		status = normalise_one(v, &defs, &areas, argv[optind], source ? source : argv[optind],
				       out_path);
		goto out;
	}
	/*
	 * Two returns whose names end alike (d1/r.xml and d2/r.xml, or r and r.xml) would be
	 * written to one DIR/r.obs, the second over the first, exit 0: refused before anything
	 * is written.
	 */
	for (int i = optind; i < argc; i++)
		for (int j = optind; j < i; j++)
			if (same_output(argv[i], argv[j])) {
				status = fe_usage_error(&prog, "%s and %s would both be written as one "
							"DIR/NAME.obs: give them one at a time (-o)",
							fe_name(argv[j]), fe_name(argv[i]));
				goto out;
			}
	/* nor may one return's DIR/NAME.obs be another input (QA: -d DIR DIR/E.xml DIR/E.obs
	   replaced the return E.obs by E.xml's observations, exit 0 in that order) */
	for (int i = optind; i < argc; i++) {
		char o[4096];
		if (dir_output(dir, argv[i], o, sizeof o) != 0)
			continue; /* said below, for that return alone */
		for (int j = optind; j <= argc; j++) {
			const char *in = j < argc ? argv[j] : reference;
			if (fe_same_file(o, in)) {
				status = fe_usage_error(&prog, "%s would be written as %s, which is %s: "
							"nothing written", fe_name(argv[i]), fe_name(o),
							j < argc ? "an input" : "the reference data");
				goto out;
			}
		}
	}
	{
		/* a folder that is not there: said once (it was one O10 for each return, QA) */
		struct stat st;
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			int e = errno;
			fprintf(stderr, "mappa-normalise: cannot write into %s: %s: nothing written\n",
				fe_name(dir), stat(dir, &st) == 0 ? "not a folder" : strerror(e));
			status = EX_CANTCREAT;
			goto out;
		}
	}
	for (int i = optind; i < argc; i++) {
		const char *path = argv[i];
		char out[4096];
		if (dir_output(dir, path, out, sizeof out) != 0) {
			fprintf(stderr, "mappa-normalise: %s: no output name for it\n", fe_name(path));
			status = worse(status, EX_CANTCREAT);
			continue;
		}
		status = worse(status, normalise_one(v, &defs, &areas, path, path, out));
	}
out:
	validator_free(v);
	diag_clear(&diags);
	xmlCleanupParser();
	return fe_exit(&prog, status);
}
