/*
 * mappa-merge: the normalised datasets of one period into the national dataset
 * (docs/merge.md, docs/observations-format.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <libxml/parser.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "fe_main.h"
#include "fe_name.h"
#include "merge.h"
#include "stage_setup.h"
#include "validator.h"
#include "xmlsafe.h"

static const char usage_text[] =
	"usage: mappa-merge [--allow-missing] [--period YYYY-YY] [--reference FILE]\n"
	"                   [--report FILE] -o OUT INPUT...\n"
	"       mappa-merge --help | --version\n"
	"\n"
	"Reads the observations files written by mappa-normalise (each checked on read), or area\n"
	"returns (XML: validated and normalised in this process, as mappa-validate and\n"
	"mappa-normalise would), and\n"
	"writes the national dataset: every area's cells and totals, the national cells and\n"
	"totals as sums of the areas, and the rate per 100,000 of each area and of the nation.\n"
	"The highest revision of an area wins (lower ones are superseded and reported); the same\n"
	"revision with different content is an error; an area without input is an error unless\n"
	"--allow-missing. The output is the same whatever the order of the inputs.\n"
	"\n"
	"  -o, --output OUT   write to OUT (atomically); '-': standard output\n"
	"  --allow-missing    merge without the areas that sent nothing: their cells are [x]\n"
	"                     and the national totals are of the areas present\n"
	"  --period YYYY-YY   the period to merge (default: the period of most inputs; a tie is\n"
	"                     an error); inputs of another period are refused\n"
	"  --reference F      reference data (areas) to use instead of the built-in copy\n"
	"  --report F         write a plain-text summary to F ('-': standard output)\n"
	"\n"
	"Exit status: 0 merged (warnings allowed), 65 an input is damaged, of another period,\n"
	"conflicting, or an area is missing, 64 bad usage, 66 a file cannot be read, 73 the\n"
	"output or report cannot be created (or is a symbolic link), 74 write error, 70 internal\n"
	"error.\n";

static const struct fe_prog prog = { "mappa-merge", usage_text, NULL };

struct report_arg {
	const struct merge *m;
	const struct dataset *out;
};

static int write_report(FILE *f, void *arg)
{
	const struct report_arg *a = arg;
	return merge_write_report(a->m, a->out, f);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "allow-missing", no_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "period", required_argument, NULL, 'p' },
		{ "reference", required_argument, NULL, 'r' },
		{ "report", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reference = NULL, *out_path = NULL, *report = NULL;
	struct merge_options opts = { NULL, 0, "mappa-merge", 0 };
	int opt, status = EX_OK, merged = 0;
	size_t nunreadable = 0;
	static struct defs defs;
	static struct areas areas;
	static struct dataset out;
	struct diag_list diags = DIAG_LIST_INIT;
	struct merge *m = NULL;
	struct validator *v = NULL;
	struct outfile rep = OUTFILE_INIT;
	struct report_arg rarg;

	fe_start(&prog, argv);
	while ((opt = fe_getopt(&prog, argc, argv, "o:hV", longopts)) != -1) {
		if (opt == FE_OPT_EMPTY)
			return EX_USAGE;
		switch (opt) {
		case 'm': opts.allow_missing = 1; break;
		case 'o': out_path = optarg; break;
		case 'p':
			if (!dataset_period_valid(optarg)) {
				return fe_usage_error(&prog, "bad period %s (like 2022-23: the second year the one after the first, from " DATASET_PERIOD_RANGE ")", fe_name(optarg));
			}
			opts.period = optarg;
			break;
		case 'r': reference = optarg; break;
		case 'R': report = optarg; break;
		default: return fe_option(&prog, opt);
		}
	}
	if (!out_path || optind >= argc)
		return fe_usage_error(&prog, "%s", !out_path ? "no output given (-o OUT)"
							: "no observations file given");
	if (fe_same_file(out_path, report) ||
	    (report && strcmp(out_path, "-") == 0 && strcmp(report, "-") == 0))
		return fe_usage_error(&prog, "-o and --report name the same file: one would replace the other");
	for (int i = optind; i < argc; i++)
		if (fe_same_file(out_path, argv[i]) || fe_same_file(report, argv[i]))
			return fe_usage_error(&prog, "%s is an input: the output would replace it",
					      fe_name(argv[i]));
	/* the reference data is an input too (QA: -o or --report naming it replaced it, exit 0) */
	if (fe_same_file(out_path, reference) || fe_same_file(report, reference))
		return fe_usage_error(&prog, "%s is the reference data: the output would replace it",
				      fe_name(reference));

	LIBXML_TEST_VERSION
	dataset_init(&out);
	status = stage_load_reference(&prog, &defs, &areas, reference);
	if (status != EX_OK)
		goto out;
	v = validator_new(&defs, &areas, NULL, 0, NULL, &diags);
	if (!v) {
		fe_diags(&diags);
		status = EX_SOFTWARE;
		goto out;
	}
	m = merge_new(&defs, &areas, &opts);
	if (!m) {
		fputs("mappa-merge: out of memory\n", stderr);
		status = EX_SOFTWARE;
		goto out;
	}
	for (int i = optind; i < argc; i++) {
		/* one that cannot be read is an error (M11 or O08) kept in diags, printed below */
		if (merge_add_any_path(m, v, argv[i], &diags) == -2)
			nunreadable++;
	}
	merged = merge_finish(m, &out, &diags) == 0 && nunreadable == 0;
	fe_diags(&diags);
	if (report) {
		/* the report is part of the output: written whole first (O10 when it cannot be),
		   put in place only once the dataset is (or after a failed merge: then it is the
		   one output, saying why), so that neither stays without the other */
		rarg.m = m;
		rarg.out = merged ? &out : NULL;
		status = stage_report_write(&prog, &rep, report, write_report, &rarg);
		if (status == EX_OK && !merged)
			status = stage_report_commit(&rep);
		if (status != EX_OK) {
			fprintf(stderr, "mappa-merge: nothing written\n");
			goto out;
		}
	}
	if (!merged) {
		fprintf(stderr, "mappa-merge: nothing written: %zu error%s\n", diags.errors,
			diags.errors == 1 ? "" : "s");
		status = fe_status(&diags, FE_READ); /* 66 when an input could not be read, else 65 */
		goto out;
	}
	status = stage_write_dataset(&prog, &out, &defs, out_path, &diags, status);
	if (status == EX_OK)
		status = stage_report_commit(&rep);
	else if (report)
		fprintf(stderr, "mappa-merge: nothing written\n");
out:
	outfile_abort(&rep);
	dataset_release(&out);
	merge_free(m);
	validator_free(v);
	diag_clear(&diags);
	xmlCleanupParser();
	return fe_exit(&prog, status);
}
