/*
 * mappa-suppress: disclosure control of the national dataset (docs/disclosure-method.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <libxml/parser.h>

#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "fe_main.h"
#include "fe_name.h"
#include "protect.h"
#include "stage_setup.h"
#include "xmlsafe.h"

static const char usage_text[] =
	"usage: mappa-suppress [--policy FILE] [--report FILE] -o OUT DATASET\n"
	"       mappa-suppress --help | --version\n"
	"\n"
	"Reads the national dataset written by mappa-merge, applies the disclosure policy\n"
	"(built-in default: policy/default.xml) over the whole linked system of area and\n"
	"national tables, audits the result for every reader the policy names (the outsider,\n"
	"each area's own data lead, the person alone in a suppressed cell of 1), and writes\n"
	"the suppressed dataset to OUT only when every audit passes. The dataset keeps why\n"
	"each cell is withheld; what is published does not say.\n"
	"\n"
	"  --policy FILE   disclosure policy (schemas/policy.xsd)\n"
	"  --report FILE   write the suppression and audit summary there ('-': standard\n"
	"                  output; default: stderr). A summary that cannot be written,\n"
	"                  wherever it goes, is a write error: 74, nothing written\n"
	"  -o, --output OUT  the suppressed dataset (written atomically; -: standard output)\n"
	"\n"
	"Exit status: 0 written, 65 invalid input or the audit fails (nothing written),\n"
	"64 bad usage, 66 input cannot be read, 70 internal error (out of memory, the LP\n"
	"solver's included), 73 output cannot be created (or is a symbolic link), 74 write\n"
	"error.\n";

static const struct fe_prog prog = { "mappa-suppress", usage_text, NULL };

static void print_summary(FILE *f, const struct dataset *ds, const struct protect_summary *s,
			  const char *policy)
{
	/* the policy's name quoted as every name (QA: an ESC and a 0x9B in it reached the
	   terminal and the --report file raw) */
	fprintf(f, "suppression of %s (period %s) under policy %s\n", ds->national_code, ds->period,
		fe_name_bare(policy));
	fprintf(f, "  linked system: %zu cells, %zu additive relations, %zu inequalities\n",
		s->cells, s->relations, s->inequalities);
	fprintf(f, "  withheld by policy: %ld cells\n", s->withheld);
	fprintf(f, "  primary suppressions: %ld cells\n", s->primary);
	fprintf(f, "  secondary suppressions: %ld cells, sum of their values %lld\n", s->secondary,
		s->secondary_sum);
	if (s->stopped)
		fprintf(f, "  audit: not complete: the suppression stopped at its work budget (S03), not every reader was audited\n");
	else
		fprintf(f, "  audit: %zu suppressed cells, %zu reader%s, %zu narrower than the policy allows (%zu repair round%s)\n",
			s->audited, s->readers, s->readers == 1 ? "" : "s", s->audit_failures,
			s->repair_rounds, s->repair_rounds == 1 ? "" : "s");
	if (s->identified && !s->stopped && s->audit_failures == 0)
		fprintf(f, "  the reader who knows the method: %zu primar%s the pattern shows to be "
			"primary, none pinned\n", s->identified, s->identified == 1 ? "y" : "ies");
	if (s->pinned_zeros)
		fprintf(f, "  published, not withheld: %zu secondary 0%s the published figures show to be 0\n",
			s->pinned_zeros, s->pinned_zeros == 1 ? "" : "s");
	if (s->publish_again)
		fprintf(f, "  last pass: %zu secondar%s published again (%s)\n", s->published_again,
			s->published_again == 1 ? "y" : "ies",
			s->publish_again == 1 ? "every secondary tried"
					      : "stopped at its work budget: the pattern is safe");
	if (s->stopped) /* the audits it ran are in the suppression's time; none ran after */
		fprintf(f, "  time: suppression %.3f s\n", s->seconds_suppress);
	else
		fprintf(f, "  time: suppression %.3f s, audit %.3f s\n", s->seconds_suppress,
			s->seconds_audit);
}

struct summary_arg {
	const struct dataset *ds;
	const struct protect_summary *sum;
};

static int write_summary(FILE *f, void *arg)
{
	const struct summary_arg *a = arg;
	print_summary(f, a->ds, a->sum, a->ds->policy);
	return ferror(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "report", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy_path = NULL, *report = NULL, *out = NULL, *in;
	static struct defs defs;
	static struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	struct policy pol;
	struct protect_summary sum;
	int opt, r, status = EX_OK;
	struct outfile rep = OUTFILE_INIT;
	struct summary_arg rarg;

	fe_start(&prog, argv);
	while ((opt = fe_getopt(&prog, argc, argv, "o:hV", longopts)) != -1) {
		if (opt == FE_OPT_EMPTY)
			return EX_USAGE;
		switch (opt) {
		case 'p': policy_path = optarg; break;
		case 'r': report = optarg; break;
		case 'o': out = optarg; break;
		default: return fe_option(&prog, opt);
		}
	}
	if (optind != argc - 1 || !out)
		return fe_usage_error(&prog, "%s", !out ? "-o OUT is required" : "give exactly one dataset");
	in = argv[optind];
	/* its name is recorded in the dataset: never cut (QA: a path of 600 bytes was kept as its
	   first 511, a file that is not there, and published) */
	if (policy_path && strlen(policy_path) >= DATASET_PATH_MAX)
		return fe_usage_error(&prog, "--policy is %zu bytes long: a policy's name is at most "
				      "%d bytes", strlen(policy_path), DATASET_PATH_MAX - 1);
	if (fe_same_file(out, report) || (report && strcmp(out, "-") == 0 && strcmp(report, "-") == 0))
		return fe_usage_error(&prog, "-o and --report name the same file: one would replace the other");
	if (fe_same_file(out, in) || fe_same_file(report, in))
		return fe_usage_error(&prog, "%s is the input: the output would replace it", fe_name(in));
	/* the policy is an input too (QA: -o or --report naming it replaced it, exit 0) */
	if (fe_same_file(out, policy_path) || fe_same_file(report, policy_path))
		return fe_usage_error(&prog, "%s is the policy: the output would replace it",
				      fe_name(policy_path));
	dataset_init(&ds);
	if (defs_load_default(&defs, &d) != 0) {
		fe_diags(&d);
		status = EX_SOFTWARE;
		goto out;
	}
	/* -2 (cannot be read, 66) or -1 (not valid, 65): the diagnostics say which */
	if (protect_policy_load(&pol, policy_path, &d) != 0) {
		status = fe_diags(&d);
		goto out;
	}
	/* -2 (cannot be read, 66) or -1 (not valid, 65): the diagnostics say which */
	if (dataset_read_path(&ds, &defs, in, &d) != 0) {
		status = fe_diags(&d);
		goto out;
	}
	if (ds.stage != STAGE_MERGED) {
		diag_add(&d, in, ds.stage_line, "S01", DIAG_ERROR, "not a merged national dataset (run mappa-merge first)");
		status = fe_diags(&d);
		goto out;
	}
	snprintf(ds.policy, sizeof ds.policy, "%s", policy_path ? policy_path : "policy/default.xml");
	r = protect_dataset(&ds, &defs, &pol, in, &sum, &d);
	/* S02: the whole dataset's, no line of it is to blame */
	if (r == -1) {
		status = fe_diags(&d);
		goto out;
	}
	if (report) {
		/* written whole first (O10 when it cannot be), put in place only once the dataset
		   is: QA found it left beside an -o that failed (73). To standard output ('-', as
		   mappa-merge's --report -), a lost report is a failed run with nothing written */
		rarg.ds = &ds;
		rarg.sum = &sum;
		status = stage_report_write(&prog, &rep, report, write_summary, &rarg);
		if (status != EX_OK)
			goto out;
	} else {
		/* the summary is part of the output, on stderr by default: lost there (2>/dev/full),
		   the run failed as when --report FILE cannot be written: 74, nothing written (QA:
		   exit 0). Nothing more can be said on stderr. */
		clearerr(stderr);
		print_summary(stderr, &ds, &sum, ds.policy);
		if (fflush(stderr) != 0 || ferror(stderr)) {
			status = EX_IOERR;
			goto out;
		}
	}
	if (r == -2) {
		/* S03 says why; nothing is written */
		status = fe_diags(&d);
		goto out;
	}
	status = stage_write_dataset(&prog, &ds, &defs, out, &d, status);
	if (status == EX_OK)
		status = stage_report_commit(&rep);
out:
	outfile_abort(&rep);
	dataset_release(&ds);
	diag_clear(&d);
	xmlCleanupParser();
	return fe_exit(&prog, status);
}
