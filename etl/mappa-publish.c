/*
 * mappa-publish: writes the publication bundle of a suppressed dataset (docs/publication.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <sysexits.h>

#include <libxml/parser.h>

#include "areas.h"
#include "bundle.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "embedded.h"
#include "fe_main.h"
#include "fe_name.h"
#include "policy.h"
#include "protect.h"
#include "stage_setup.h"
#include "publish.h"
#include "publish_check.h"
#include "publish_release_file.h"
#include "series.h"
#include "xmlsafe.h"

static const char usage_text[] =
	"usage: mappa-publish [--format=tar.gz|zip] [-o DIR] [--history DIR] [--reference FILE]\n"
	"           [--policy FILE] [--release FILE] [--release-date DATE]\n"
	"           [--next-release DATE] [--producer TEXT] [--contact TEXT]\n"
	"           [--email ADDRESS] [--phone NUMBER] [--methodology URL] DATASET\n"
	"       mappa-publish --help | --version\n"
	"\n"
	"Reads a suppressed observations dataset (the output of mappa-suppress) and\n"
	"writes its publication bundle DIR/mappa-PERIOD.tar.gz (or .zip): README, CSV\n"
	"tables, observations (CSV and SDMX-CSV), an ODS workbook, each area's\n"
	"statistics as HTML and text, a national summary page and MANIFEST.sha256. The\n"
	"same dataset always gives the same bytes. The bundle is written under a\n"
	"temporary name and renamed into place: DIR never holds half a bundle, and an\n"
	"existing bundle is replaced only by a complete new one.\n"
	"\n"
	"  --format=F      tar.gz (default) or zip\n"
	"  -o, --output D  folder to write the bundle into (default: the current folder)\n"
	"  --history H     folder of the bundles already published (default: DIR): each\n"
	"                  mappa-YYYY-YY.tar.gz (or .zip) of an earlier period is read back\n"
	"                  (checked like any input) for the time series and the previous\n"
	"                  period on the area pages; a bundle of this period marks what\n"
	"                  changed since ([r], revisions.csv). A damaged or foreign bundle\n"
	"                  there stops the run (65); nothing there is ever changed\n"
	"  --reference F   reference data (areas) instead of the built-in copy\n"
	"  --policy F      the disclosure policy the dataset was suppressed under\n"
	"                  (default: the built-in policy/default.xml): the categories an\n"
	"                  area never publishes and the counts the text says are withheld\n"
	"\n"
	"Release metadata, the same in README.txt, the workbook's cover and every page\n"
	"(the licence is always the Open Government Licence v3.0). Each has a demo\n"
	"default, derived from the period only; give them all for a real publication,\n"
	"in a publication file or as options (an option overrides the file):\n"
	"  --release FILE       publication file (XML, schemas/release.xsd; example:\n"
	"                       docs/examples/release.xml)\n"
	STAGE_RELEASE_HELP
	"\n"
	"Exit status:\n"
	"  0   bundle written\n"
	"  64  bad usage, release metadata that fails its check, or an input that\n"
	"      is the file the bundle would replace\n"
	"  65  the dataset, the policy or the publication file is invalid, the dataset\n"
	"      is not suppressed or not publishable, or a bundle in the history folder\n"
	"      is refused (diagnostics on stderr)\n"
	"  66  the dataset, the reference data, the policy, the publication file or the\n"
	"      history folder cannot be read\n"
	"  70  internal error (out of memory, reading the history's bundles included)\n"
	"  73  the bundle cannot be created in DIR, or DIR/mappa-PERIOD.* is a symbolic\n"
	"      link (DIR is left as it was)\n"
	"  74  standard output cannot be written (--help, --version), or a line on standard\n"
	"      error was lost\n";

static const struct fe_prog prog = { "mappa-publish", usage_text, NULL };

/*
 * P09: every dataset has its pattern audited for every reader of the policy it is published
 * under (the outsider, each area's data lead, the person alone in a cell of 1), from its true
 * values, as mappa-audit --dataset does, before anything is written. A dataset suppressed under
 * a weaker policy was published, exit 0, with a README that promised protection it did not
 * have; one edited after its suppression (a secondary made publishable, resealed) was trusted
 * because it named, and then held the SHA-256 of, the policy it was published under (QA, twice).
 * The dataset's policy and policy-sha256 lines say only why it fails. given NULL: the built-in
 * policy; given_path its file. 0, or the exit status with the diagnostics in d.
 */
static int audit_pattern(const struct dataset *ds, const struct defs *defs,
			 const struct policy *given, const char *given_path, const char *path,
			 const struct dataset *known, const char *revised, struct diag_list *d)
{
	struct policy def;
	const struct policy *pol = given;
	struct protect_interval *iv = NULL;
	struct protect_summary sum;
	size_t niv = 0, failing = 0;
	const char *name = given && given_path ? given_path : "policy/default.xml", *why;
	char under[600];
	int status = EX_OK;

	if (!pol) {
		if (protect_policy_load(&def, NULL, d) != 0)
			return EX_SOFTWARE; /* the built-in policy: out of memory */
		pol = &def;
	}
	if (protect_audit_known(ds, defs, pol, known, protect_attackers(pol), 0, path, &iv, &niv,
				&sum, d) != 0)
		return diag_errnum(d) == ENOMEM ? EX_SOFTWARE : EX_DATAERR;
	/* why, as far as the dataset says */
	if (known) {
		snprintf(under, sizeof under, "a reader who kept the bundle it revises (%s) solves "
			 "both: a revision is suppressed together with its earlier publications, "
			 "which mappa-run does (docs/operations.md, \"A resubmission\")",
			 fe_name(revised));
		why = under;
	} else if (ds->policy_sha256[0] && strcmp(ds->policy_sha256, pol->sha256) == 0)
		why = "the dataset was suppressed under this very policy, and changed after (suppress "
		      "it again)";
	else {
		snprintf(under, sizeof under, "the dataset was suppressed under %s%s: give that policy "
			 "(--policy), or suppress it again under this one", fe_name(ds->policy),
			 !ds->policy_sha256[0] ? " (or so its policy line says: it does not hold the "
						 "policy's SHA-256)"
			 : strcmp(ds->policy, name) == 0 ? " as its file read then (its SHA-256 differs)"
							 : "");
		why = under;
	}
	for (size_t i = 0; i < niv; i++) {
		char words[640];
		if (iv[i].pass || failing++)
			continue;
		/* at the figure's row, as mappa-audit's A02 (it said line 0); an earlier
		   publication's figure is no line of this file */
		diag_add(d, path, !iv[i].earlier && iv[i].row < ds->nobs ? ds->obs[iv[i].row].line : 0,
			 "P09", DIAG_ERROR, "%s under the policy it is published under "
			 "(%s); %s", protect_interval_words(&iv[i], defs, words, sizeof words),
			 given ? "--policy" : "the built-in one", why);
	}
	if (failing) {
		if (failing > 1)
			diag_add(d, path, 0, "P09", DIAG_ERROR, "and %zu more figures narrower than "
				 "the policy allows", failing - 1);
		status = EX_DATAERR;
	}
	free(iv);
	return status;
}

/*
 * The audit of a revision (s->republished) with the bundle it revises (at bundle): the figures it
 * published that still hold are known to every reader, and the changed areas' figures and the
 * nation's are a system of their own beside this one (series_revision_known). An exit status.
 */
static int audit_revision(const struct dataset *ds, const struct defs *defs, struct series *s,
			  const struct policy *given, const char *given_path, const char *path,
			  const char *bundle, struct diag_list *d)
{
	static struct dataset known; /* about 45 KB: off the stack frame */
	int status, r = series_revision_known(s, ds, defs, bundle, path, &known, d);

	if (r == -2)
		status = fe_cannot(&prog, "read", bundle, ENOMEM, EX_SOFTWARE);
	else if (r == -1)
		status = EX_DATAERR;
	else
		status = audit_pattern(ds, defs, given, given_path, path, &known, bundle, d);
	dataset_release(&known);
	return status;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		STAGE_RELEASE_LONGOPTS,
		{ "release", required_argument, NULL, 'R' },
		{ "output", required_argument, NULL, 'o' },
		{ "history", required_argument, NULL, 'H' },
		{ "reference", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	enum bundle_format fmt = BUNDLE_TAR_GZ;
	const char *dir = ".", *reference = NULL, *release = NULL, *path, *history = NULL;
	const char *policy_path = NULL;
	struct policy pol;
	static struct series series;
	struct publish_options opt;
	struct publish_release_file *rf = NULL;
	static struct defs defs;
	static struct areas ref;
	static struct dataset ds;
	static struct bundle b;
	struct diag_list d = DIAG_LIST_INIT;
	char name[128], bpath[PATH_MAX + 160];
	int opt_c, status = EX_OK, r, have_ds = 0, have_bundle = 0;
	struct stat st;

	memset(&opt, 0, sizeof opt);
	publish_release_init(&opt.release);
	opt.series = NULL;
	opt.policy = NULL;
	series_init(&series);
	fe_start(&prog, argv);
	while ((opt_c = fe_getopt(&prog, argc, argv, "ho:V", longopts)) != -1) {
		if (opt_c == FE_OPT_EMPTY)
			return EX_USAGE;
		if ((r = stage_release_option(&prog, opt_c, optarg, &opt.release, &fmt)) >= 0) {
			if (r != EX_OK)
				return r;
			continue;
		}
		switch (opt_c) {
		case 'R': release = optarg; break;
		case 'o': dir = optarg; break;
		case 'H': history = optarg; break;
		case 'r': reference = optarg; break;
		case 'y': policy_path = optarg; break;
		default: return fe_option(&prog, opt_c);
		}
	}
	if (optind != argc - 1)
		return fe_usage_error(&prog, "%s", optind >= argc ? "no dataset given" : "one dataset at a time");
	path = argv[optind];
	if ((status = stage_check_release_options(&prog, &opt.release)) != EX_OK)
		return status;
	LIBXML_TEST_VERSION
	status = stage_load_release(&prog, release, &opt.release, &rf);
	if (status != EX_OK)
		goto out;
	if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "mappa-publish: %s is not a folder\n", fe_name(dir ? dir : ""));
		status = EX_CANTCREAT;
		goto out;
	}
	/* zip times are written from fields, but keep every library off the local time zone */
	setenv("TZ", "UTC", 1);
	status = stage_load_reference(&prog, &defs, &ref, reference);
	if (status != EX_OK)
		goto out;
	if (policy_path) {
		/* checked as mappa-suppress, mappa-audit and mappa-run check it: read alone, a
		   policy that withholds nothing per area was taken, and the publisher's guard of
		   Category 4 (P04) asks the policy, so an area's Category 4 was published (QA) */
		r = protect_policy_load(&pol, policy_path, &d);
		if (r == -2) {
			status = fe_diags(&d); /* C01 "cannot read" of the policy, with its errno */
			goto out;
		}
		if (r != 0) {
			status = fe_diags(&d); /* 65, or 70 when out of memory */
			fprintf(stderr, "mappa-publish: %s is not a valid policy: nothing written\n",
				fe_name(policy_path));
			goto out;
		}
		opt.policy = &pol;
	}
	r = dataset_read_path(&ds, &defs, path, &d);
	have_ds = 1;
	if (r != 0) {
		/* -2 (cannot be read, 66) or -1 (not valid, 65): the diagnostics say which */
		status = fe_diags(&d);
		if (r == -1 && status == EX_DATAERR) /* not out of memory (70) */
			fprintf(stderr, "mappa-publish: %s is not a valid dataset: nothing written\n",
				fe_name(path));
		goto out;
	}
	{
		/* an input where the bundle goes would be replaced by it, as every other stage
		   refuses (QA: the dataset, the policy, --release or --reference at
		   DIR/mappa-PERIOD.tar.gz was replaced, exit 0) */
		const char *inputs[] = { path, policy_path, reference, release };
		const char *what[] = { "the input", "the policy", "the reference data",
				       "the publication file" };
		char at[PATH_MAX + 160];
		(void)bundle_name(name, sizeof name, ds.period, fmt);
		snprintf(at, sizeof at, "%s/%s", dir, name);
		for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
			if (fe_same_file(at, inputs[i])) {
				status = fe_usage_error(&prog, "%s is %s: the bundle %s would replace it",
							fe_name(inputs[i]), what[i], name);
				goto out;
			}
	}
	/* the release dates against the period, its end and the default of a date not given: an
	   option 64, the --release file's date 65 at its line (the bundle refused them as an
	   internal error, 70) */
	status = stage_check_release_dates(&prog, &opt.release, release, rf, ds.period);
	if (status != EX_OK)
		goto out;
	if (publish_check_policy(&ds, &defs, opt.policy, &ref, path, &d) != 0) {
		status = fe_diags(&d) == EX_SOFTWARE ? EX_SOFTWARE : EX_DATAERR; /* 70: out of memory */
		fprintf(stderr, "mappa-publish: %s cannot be published: nothing written\n", fe_name(path));
		goto out;
	}
	for (int k = 0; k < 2; k++) {
		const char *folder = k == 0 ? dir : history;
		char other[NAME_MAX + 1];
		int hit = folder ? series_renamed_bundle(folder, ds.period, other, sizeof other) : 0;
		if (hit) {
			char at[PATH_MAX + NAME_MAX + 2];
			snprintf(at, sizeof at, "%s/%s", folder, other);
			if (hit == 2)
				/* passed over, it was published beside (QA round 3) */
				diag_add(&d, at, 0, "P09", DIAG_ERROR, "this cannot be read, so whether it "
					 "is a bundle of %s kept under another name cannot be told: make it "
					 "readable, or move it out of the folder", ds.period);
			else
				diag_add(&d, at, 0, "P09", DIAG_ERROR, "this looks like a bundle of %s kept "
					 "under another name: a revision is audited with the bundle it "
					 "revises, found by its name (mappa-%s.tar.gz or .zip); give it that "
					 "name, or move it out of the folder", ds.period, ds.period);
			status = fe_diags(&d);
			if (hit == 2)
				status = EX_NOINPUT;
			fprintf(stderr, "mappa-publish: %s cannot be published: nothing written\n",
				fe_name(path));
			goto out;
		}
	}
	r = series_load(&series, &defs, &ref, history ? history : dir, ds.period, &d);
	if (r == -2) {
		status = fe_diags(&d); /* H01 "cannot read" of the folder, with its errno */
		goto out;
	}
	if (r != 0) {
		/* out of memory while reading them is the machine's fault (70), not the bundles' */
		status = fe_diags(&d) == EX_SOFTWARE ? EX_SOFTWARE : EX_DATAERR;
		if (status == EX_SOFTWARE)
			fprintf(stderr, "mappa-publish: out of memory reading the published bundles in %s: "
				"nothing written\n", fe_name(history ? history : dir));
		else
			fprintf(stderr, "mappa-publish: a published bundle in %s is refused (damaged, "
				"changed or foreign): nothing written\n", fe_name(history ? history : dir));
		goto out;
	}
	/* the earlier publications whose figures this one shows again: as a reader's audit of
	   them finds them (an edited bundle, its manifest made again, was shown as published) */
	{
		const struct policy *under = opt.policy;
		struct policy def;
		int bad = 0;
		if (!under) {
			if (protect_policy_load(&def, NULL, &d) != 0) {
				status = fe_diags(&d);
				goto out;
			}
			under = &def;
		}
		bad = publish_check_series(&series, &defs, under, history ? history : dir, &d) != 0;
		if (bad) {
			status = fe_diags(&d) == EX_SOFTWARE ? EX_SOFTWARE : EX_DATAERR;
			fprintf(stderr, "mappa-publish: %s cannot be published: an earlier publication "
				"it shows again is refused; nothing written\n", fe_name(path));
			goto out;
		}
	}
	if (series.republished) {
		char gone[200], at[4200];
		if (series_dropped(&series, gone, sizeof gone)) {
			/* a year of its series with no bundle now (H05, as mappa-run says it) */
			snprintf(at, sizeof at, "%s/%s", history ? history : dir, series.before.file);
			diag_add(&d, at, 0, "H05", DIAG_ERROR,
				 "this publication of %s shows %s in its time series, and the history "
				 "folder has no bundle of %s now: put %s back and run again", ds.period,
				 gone, gone, strchr(gone, ',') ? "them" : "it");
			status = fe_diags(&d);
			fprintf(stderr, "mappa-publish: %s cannot be published: its time series would "
				"lose %s without a word; nothing written\n", fe_name(path), gone);
			goto out;
		}
	}
	/* the pattern's own audit after the history is read: a damaged or foreign bundle there
	   is refused without the readers' audits first (0.4 s of CPU, 1.2 s under ASan) */
	status = audit_pattern(&ds, &defs, opt.policy, policy_path, path, NULL, NULL, &d);
	if (status != EX_OK) {
		(void)fe_diags(&d);
		fprintf(stderr, "mappa-publish: %s cannot be published: %s nothing written\n", fe_name(path),
			status == EX_SOFTWARE ? "out of memory;" : "a reader the policy names can narrow "
			"a withheld figure below it;");
		goto out;
	}
	if (series.republished) {
		/*
		 * A revision: whoever kept the bundle it revises solves both. Audited alone, a
		 * revision of Cumbria's 669 to 1 was published with exit 0, and revisions.csv
		 * with the national difference pinned it at [1, 1] (QA). Audited here with that
		 * bundle (and its true values when mappa-run published it: its run folder), as
		 * mappa-audit --earlier does.
		 */
		if (snprintf(bpath, sizeof bpath, "%s/%s", history ? history : dir,
			     series.before.file) >= (int)sizeof bpath)
			snprintf(bpath, sizeof bpath, "%s", series.before.file);
		status = audit_revision(&ds, &defs, &series, opt.policy, policy_path, path, bpath,
					&d);
	} else if (history && series_other_bundle(dir, history, ds.period, bpath, sizeof bpath)) {
		/* the period's bundle in DIR with --history elsewhere: audited with it all the
		   same (it was replaced with no such audit); a file there that is no bundle of the
		   period is no publication, and is replaced as before */
		struct series *e = malloc(sizeof *e); /* 90 KB: off the stack frame */
		struct diag_list scratch = DIAG_LIST_INIT;
		if (!e) {
			status = fe_cannot(&prog, "read", bpath, ENOMEM, EX_SOFTWARE);
			goto out;
		}
		if (series_load_earlier(e, &defs, &ref, bpath, ds.period, &scratch) == 0)
			status = audit_revision(&ds, &defs, e, opt.policy, policy_path, path, bpath,
						&d);
		series_release(e);
		free(e);
		diag_clear(&scratch);
	}
	if (status != EX_OK) {
		(void)fe_diags(&d);
		fprintf(stderr, "mappa-publish: %s cannot be published: %s nothing written\n",
			fe_name(path), status == EX_SOFTWARE ? "out of memory;"
			: "a reader of it and of the bundle it revises could learn what the policy "
			  "protects;");
		goto out;
	}
	opt.series = &series;
	if (publish_bundle(&ds, &defs, &ref, &opt, &b, &d) != 0) {
		fe_diags(&d);
		fprintf(stderr, "mappa-publish: the bundle of %s cannot be made (out of memory, or an "
			"internal error): nothing written\n",
			fe_name(path));
		status = EX_SOFTWARE;
		goto out;
	}
	have_bundle = 1;
	(void)bundle_name(name, sizeof name, ds.period, fmt);
	if (bundle_write_atomic(&b, fmt, dir, name, &d) != 0) {
		/* 73 for every write error: the bundle is one file, not there at all or complete */
		status = fe_diags_io(&d, FE_CREATE);
		goto out;
	}
	/* its warnings too (P03: an area of the reference data the dataset does not hold) */
	if (d.count > 0)
		(void)fe_diags(&d);
	fprintf(stderr, "mappa-publish: wrote %s/%s (%zu files)\n", fe_name_bare(dir), name, b.nfiles);
	{
		/* a revision with its first release's date: said, as mappa-run says it */
		struct publish_release when;
		char note[600];
		const struct dataset_area *latest = NULL;
		publish_release_resolve(&when, &opt.release, ds.period);
		if (series_release_note(&series, &ds, when.date, note, sizeof note))
			fprintf(stderr, "mappa-publish: warning: %s\n", note);
		/* a release dated before a return it publishes was sent: L06, as mappa-run says it
		   (QA: a submission date of 9999-12-31 passed every stage without a word) */
		for (size_t i = 0; i < ds.nareas; i++)
			if (ds.areas[i].state == AREA_PRESENT &&
			    (!latest || strcmp(ds.areas[i].submitted, latest->submitted) > 0))
				latest = &ds.areas[i];
		if (latest && strlen(when.date) == 10 && strcmp(when.date, latest->submitted) < 0) {
			struct diag_list w = DIAG_LIST_INIT;
			diag_add(&w, path, latest->line, "L06", DIAG_WARNING,
				 "%s (%s) sent its return on %s, after the release date the bundle "
				 "gives, %s: a release dated before its data; give the day it is "
				 "released (--release-date, or the publication file's releaseDate)",
				 latest->name, latest->code, latest->submitted, when.date);
			(void)fe_diags(&w);
			diag_clear(&w);
		}
	}
out:
	if (have_bundle)
		bundle_release(&b);
	if (have_ds)
		dataset_release(&ds);
	series_release(&series);
	diag_clear(&d);
	free(rf);
	xmlCleanupParser();
	return fe_exit(&prog, status);
}
