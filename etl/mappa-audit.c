/*
 * mappa-audit: what can a reader deduce about each suppressed cell from what is published?
 * See docs/disclosure-method.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <libxml/parser.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "fe_name.h"
#include "stage_setup.h"
#include "protect.h"
#include "published.h"
#include "xmlsafe.h"

static const char usage_text[] =
	"usage: mappa-audit [--policy FILE] [--reference FILE] [--intervals] [--exact] INPUT\n"
	"       mappa-audit --help | --version\n"
	"\n"
	"Reads only what is published - INPUT is a bundle's observations.csv, or a suppressed\n"
	"dataset whose suppressed values are then ignored - and computes, for every suppressed\n"
	"cell, the interval of values consistent with everything published: the table sums,\n"
	"national = sum of areas, non-negative counts, the published rules between tables and\n"
	"the published rates with their populations (linear programs, GLPK).\n"
	"\n"
	"  --policy FILE     disclosure policy giving the minimum width (default: built in)\n"
	"  --reference FILE  reference data with the populations (default: built in)\n"
	"  --intervals       print every suppressed cell's interval\n"
	"  --exact           compute every interval exactly (otherwise a cell proven wide\n"
	"                    enough early shows a proven inner interval, marked ~)\n"
	"\n"
	"Exit status: 0 every suppressed cell meets the policy, 65 some cell is narrower than\n"
	"the policy allows (or the input is invalid), 64 bad usage, 66 input cannot be read.\n";

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "reference", required_argument, NULL, 'r' },
		{ "intervals", no_argument, NULL, 'i' },
		{ "exact", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy_path = NULL, *reference = NULL, *in;
	int intervals = 0, exact = 0, opt, r, status = EX_OK;
	struct defs defs;
	struct areas areas;
	struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	struct protect_policy pol;
	struct protect_summary sum;
	struct protect_interval *iv = NULL;
	size_t niv = 0;
	char *buf = NULL, err[512];
	size_t len;

	while ((opt = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p': policy_path = optarg; break;
		case 'r': reference = optarg; break;
		case 'i': intervals = 1; break;
		case 'e': exact = 1; break;
		case 'h': fputs(usage_text, stdout); return EX_OK;
		case 'V': puts("mappa-audit " MAPPA_VERSION); return EX_OK;
		default: fputs(usage_text, stderr); return EX_USAGE;
		}
	}
	if (optind != argc - 1) {
		fputs("mappa-audit: give exactly one input\n", stderr);
		fputs(usage_text, stderr);
		return EX_USAGE;
	}
	in = argv[optind];
	dataset_init(&ds);
	status = stage_load_reference("mappa-audit", &defs, &areas, reference);
	if (status != EX_OK)
		goto out;
	r = protect_policy_load(&pol, policy_path, &d);
	if (r != 0) {
		if (r == -2)
			fprintf(stderr, "mappa-audit: cannot read %s: %s\n", fe_name(policy_path), xmlsafe_strerror(errno));
		diag_print(&d, stderr);
		status = r == -2 ? EX_NOINPUT : EX_DATAERR;
		goto out;
	}
	r = xmlsafe_read_file(in, (size_t)256 << 20, &buf, &len);
	if (r != XMLSAFE_READ_OK) {
		fprintf(stderr, "mappa-audit: cannot read %s: %s\n", fe_name(in),
			r == XMLSAFE_READ_TOO_BIG ? "larger than 256 MiB" : strerror(errno));
		status = r == XMLSAFE_READ_TOO_BIG ? EX_DATAERR : EX_NOINPUT;
		goto out;
	}
	if (len >= 18 && memcmp(buf, "mappa-observations", 18) == 0) {
		r = dataset_read(&ds, &defs, in, buf, len, &d);
		if (r == 0 && ds.stage != STAGE_SUPPRESSED) {
			diag_add(&d, in, 1, "S01", DIAG_ERROR,
				 "not a suppressed dataset: nothing is suppressed yet");
			r = -1;
		}
	} else {
		r = published_read(&ds, &defs, &areas, in, buf, len, &d);
	}
	if (r != 0) {
		diag_print(&d, stderr);
		status = EX_DATAERR;
		goto out;
	}
	if (protect_audit(&ds, &defs, &pol, exact, &iv, &niv, &sum, err, sizeof err) != 0) {
		fprintf(stderr, "%s:0: error[A01]: %s\n", fe_name_bare(in), err);
		status = EX_DATAERR;
		goto out;
	}
	if (intervals) {
		printf("area\ttable\tcategory\tlevel\tlow\thigh\tverdict\n");
		for (size_t i = 0; i < niv; i++) {
			const struct obs *o = &ds.obs[iv[i].row];
			char hi[32];
			if (iv[i].hi < 0)
				snprintf(hi, sizeof hi, "inf");
			else
				snprintf(hi, sizeof hi, "%lld", iv[i].hi);
			printf("%s\t%s\t%s\t%s\t%s%lld\t%s\t%s\n", o->area,
			       dataset_stat_name(&defs, o->stat), defs_category_name(o->category),
			       defs_level_name(o->level), iv[i].exact ? "" : "~", iv[i].lo, hi,
			       iv[i].pass ? "ok" : "DISCLOSED");
		}
	}
	for (size_t i = 0; i < niv; i++)
		if (!iv[i].pass) {
			const struct obs *o = &ds.obs[iv[i].row];
			fprintf(stderr, "%s:0: error[A02]: %s %s category '%s' level '%s' can be deduced to lie in [%lld, %lld]: narrower than the policy allows\n",
				in, o->area, dataset_stat_name(&defs, o->stat),
				defs_category_name(o->category), defs_level_name(o->level), iv[i].lo,
				iv[i].hi);
		}
	fprintf(stderr, "mappa-audit: %zu suppressed cells audited in %.3f s (%zu cells, %zu relations, %zu inequalities): %zu narrower than the policy allows\n",
		sum.audited, sum.seconds_audit, sum.cells, sum.relations, sum.inequalities,
		sum.audit_failures);
	if (sum.audit_failures)
		status = EX_DATAERR;
out:
	free(iv);
	free(buf);
	dataset_release(&ds);
	diag_clear(&d);
	xmlCleanupParser();
	return status;
}
