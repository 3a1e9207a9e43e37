/*
 * mappa-sample: writes a synthetic suppressed dataset (made-up figures) for demonstrations and
 * tests of mappa-publish while the real merge and suppression are not at hand. Never real data.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "fe_main.h"
#include "fe_name.h"
#include "protect.h"
#include "sample.h"
#include "stage_setup.h"

static const char usage_text[] =
	"usage: mappa-sample [--areas N] [--seed N] [--period YYYY-YY] [--missing CODE] [--stage merged|suppressed] OUT\n"
	"       mappa-sample --help | --version\n"
	"\n"
	"Writes a synthetic observations dataset with made-up figures for the first N reference\n"
	"areas (default all 42): merged, as mappa-merge writes it, or (the default) suppressed\n"
	"from it as mappa-suppress does under the built-in policy. For demonstrations and tests\n"
	"only. OUT '-' is standard output.\n"
	"\n"
	"Exit status: 0 written, 64 bad usage, 65 no suppression pattern protects the figures\n"
	"(nothing written), 73 cannot create OUT (or it is a symbolic link), 74 write error (a\n"
	"full disk), 70 internal error.\n";

static const struct fe_prog prog = { "mappa-sample", usage_text, NULL };

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;
	errno = 0;
	/* digits only, as every other number of the project: strtoul also takes " 5" and "+5"
	   (QA), and "-5" as a huge number */
	if (s[0] < '0' || s[0] > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * The merged sample suppressed as mappa-suppress does, under the built-in policy (every reader
 * audited): its own row-and-column pattern let the outsider pin a figure, and mappa-publish,
 * which then trusted a dataset that named the policy it publishes under, published it with
 * exit 0 (QA; mappa-publish audits every dataset now, P09). 0, or the exit status with the
 * diagnostics in d.
 */
static int suppress(struct dataset *ds, const struct defs *defs, const char *out,
		    struct diag_list *d)
{
	struct policy pol;

	if (protect_policy_load(&pol, NULL, d) != 0)
		return EX_SOFTWARE; /* the built-in policy: out of memory */
	snprintf(ds->policy, sizeof ds->policy, "policy/default.xml");
	if (protect_dataset(ds, defs, &pol, out, NULL, d) != 0) /* named at the output */
		return diag_errnum(d) == ENOMEM ? EX_SOFTWARE : EX_DATAERR;
	return EX_OK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "areas", required_argument, NULL, 'a' },
		{ "seed", required_argument, NULL, 's' },
		{ "period", required_argument, NULL, 'p' },
		{ "missing", required_argument, NULL, 'm' },
		{ "stage", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long nareas = 0, seed = 1;
	const char *period = "2022-23", *missing = NULL;
	static struct defs defs;
	static struct areas ref;
	static struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	int opt, status = EX_OK, stage = STAGE_SUPPRESSED;

	fe_start(&prog, argv);
	while ((opt = fe_getopt(&prog, argc, argv, "hV", longopts)) != -1) {
		if (opt == FE_OPT_EMPTY)
			return EX_USAGE;
		switch (opt) {
		case 'a':
			if (parse_uint(optarg, AREAS_MAX, &nareas) != 0) {
				return fe_usage_error(&prog, "bad number of areas %s", fe_name(optarg));
			}
			break;
		case 's':
			if (parse_uint(optarg, 4000000000UL, &seed) != 0) {
				return fe_usage_error(&prog, "bad seed %s", fe_name(optarg));
			}
			break;
		case 'p':
			if (!dataset_period_valid(optarg)) {
				return fe_usage_error(&prog, "bad period %s (like 2022-23, from " DATASET_PERIOD_RANGE ")", fe_name(optarg));
			}
			period = optarg;
			break;
		case 'm':
			/* one area at most: a second --missing (it kept the last without a word, QA)
			   is refused by fe_getopt, as every option given twice */
			missing = optarg;
			break;
		case 't':
			if (strcmp(optarg, "merged") == 0)
				stage = STAGE_MERGED;
			else if (strcmp(optarg, "suppressed") != 0) {
				return fe_usage_error(&prog, "stage %s is not merged or suppressed", fe_name(optarg));
			}
			break;
		default: return fe_option(&prog, opt);
		}
	}
	if (optind != argc - 1)
		return fe_usage_error(&prog, "give exactly one output");
	if (defs_load_default(&defs, &d) != 0 || areas_load_default(&ref, &d) != 0) {
		fe_diags(&d);
		diag_clear(&d);
		return EX_SOFTWARE;
	}
	if (missing) {
		/* an unknown code, or one past the areas written, was let through: the dataset had
		   every area present, as without --missing (QA) */
		const struct area *a = areas_find(&ref, missing);
		size_t n = nareas ? nareas : ref.count;
		if (!a || (size_t)(a - ref.items) >= n) {
			status = fe_usage_error(&prog, "--missing %s is not the code of one of the %zu areas written",
						fe_name(missing), n);
			goto out;
		}
		/* the only area written missing leaves no national figures: nothing to suppress,
		   and the suppression's refusal said "changed after it was written?" (QA). A merged
		   dataset so is still written: the stages' refusal of it is tested with it */
		if (n == 1 && stage == STAGE_SUPPRESSED) {
			status = fe_usage_error(&prog, "--missing %s leaves no area with a return "
						       "(--areas 1): there would be no national figures",
						fe_name(missing));
			goto out;
		}
	}
	if (sample_dataset(&ds, &defs, &ref, nareas, (unsigned)seed, period, missing) != 0 ||
	    sample_merged(&ds, &defs) != 0) {
		fputs("mappa-sample: out of memory\n", stderr);
		status = EX_SOFTWARE;
	} else if (stage == STAGE_SUPPRESSED &&
		   (status = suppress(&ds, &defs, argv[optind], &d)) != EX_OK) {
		fe_diags(&d);
		fprintf(stderr, "mappa-sample: %s not written\n", fe_name(argv[optind]));
	} else {
		/* as every stage writes its dataset: '-' standard output (QA: it made a file named
		   '-'), a full disk 74, a folder that is not there 73 */
		status = stage_write_dataset(&prog, &ds, &defs, argv[optind], &d, status);
	}
	dataset_release(&ds);
out:
	diag_clear(&d);
	return fe_exit(&prog, status);
}
