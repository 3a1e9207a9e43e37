/*
 * mappa-audit: what can a reader deduce about each suppressed cell from what is published?
 * See docs/disclosure-method.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <libxml/parser.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "fe_main.h"
#include "fe_name.h"
#include "history.h"
#include "stage_setup.h"
#include "protect.h"
#include "published.h"
#include "series.h"
#include "xmlsafe.h"

static const char usage_text[] =
	"usage: mappa-audit [--attackers LIST] [--dataset FILE] [--earlier EARLIER]...\n"
	"                   [--policy FILE] [--reference FILE] [--intervals] [--exact] INPUT\n"
	"       mappa-audit --help | --version\n"
	"\n"
	"Computes, for every suppressed cell, the interval of values a reader can deduce from\n"
	"what is published and what that reader knows: the table sums, national = sum of\n"
	"areas, non-negative counts, the published rules between tables and the published\n"
	"rates with their populations (linear programs, GLPK). INPUT is a bundle (.tar.gz,\n"
	".zip: its manifest checked, its observations.csv audited, which every other file\n"
	"is written from), a bundle's observations.csv or a suppressed dataset. The readers\n"
	"(LIST, comma-separated):\n"
	"  outsider   knows only what is published\n"
	"  insider    each area's data lead, who knows the area's own figures (the policy's\n"
	"             coalition size: that many areas together)\n"
	"  singleton  the one person in a suppressed cell of 1, who knows that cell\n"
	"  all        every reader\n"
	"The default is the readers the policy names (every one in the shipped policy).\n"
	"The outsider must not narrow any suppressed cell; insiders and singletons must not\n"
	"narrow a primary or withheld one (a secondary they deduce identifies no one). They\n"
	"know withheld figures, so their audit needs the true values: INPUT a suppressed\n"
	"dataset, or --dataset with the suppressed dataset behind a published bundle or\n"
	"observations.csv. Given only what is published, the default is the outsider.\n"
	"Every reader knows the method: with the true values at hand, each primary the\n"
	"pattern shows to be one (a [c] no reader can have needed as a complement) is in the\n"
	"primary range to every reader, and no withheld cell may then be narrower than\n"
	"minWidth (docs/disclosure-method.md, \"The reader who knows the method\").\n"
	"A period published again: with --earlier, every figure an earlier publication of the\n"
	"period published for an area whose figures did not change is known to every reader\n"
	"too, and each is solved with INPUT as one linear system when some area's figures\n"
	"changed (the audit of the publications together).\n"
	"\n"
	"  --attackers LIST  the readers to audit (default: the policy's, as far as the input\n"
	"                    allows)\n"
	"  --dataset FILE    the suppressed dataset behind a bundle or observations.csv\n"
	"                    INPUT (the true values)\n"
	"  --earlier EARLIER an earlier publication of the period: its bundle (.tar.gz, .zip)\n"
	"                    or its observations.csv; repeatable (at most 16)\n"
	"  --policy FILE     disclosure policy: minimum width, protection range, readers\n"
	"                    (default: built in)\n"
	"  --reference FILE  reference data with the populations (default: built in)\n"
	"  --intervals       print every suppressed cell's interval for the outsider, and every\n"
	"                    cell that fails for another reader\n"
	"  --exact           compute every interval exactly (otherwise a cell proven wide\n"
	"                    enough early shows a proven inner interval, marked ~)\n"
	"\n"
	"Exit status: 0 every suppressed cell meets the policy for every reader audited, 65 some\n"
	"cell is narrower than the policy allows (or the input is invalid), 64 bad usage, 66\n"
	"input (or an earlier publication) cannot be read, 70 internal error (out of memory,\n"
	"the LP solver's included), 74 standard output cannot be written, or a line on standard\n"
	"error was lost.\n";

static const struct fe_prog prog = { "mappa-audit", usage_text, "E" };

/* LIST of reader names into PROTECT_* bits; 0 when a name is unknown or empty, *empty then
   the number (from 1) of the first empty one, else 0: "all," was taken (QA), and
   "outsider,,insider" called an unknown reader. */
static unsigned parse_attackers(const char *list, size_t *empty)
{
	unsigned bits = 0;
	const char *p = list;

	*empty = 0;
	for (size_t item = 1;; item++) {
		size_t n = strcspn(p, ",");
		if (n == 0) {
			*empty = item;
			return 0;
		}
		if (n == 8 && strncmp(p, "outsider", n) == 0)
			bits |= PROTECT_OUTSIDER;
		else if (n == 7 && strncmp(p, "insider", n) == 0)
			bits |= PROTECT_INSIDER;
		else if (n == 9 && strncmp(p, "singleton", n) == 0)
			bits |= PROTECT_SINGLETON;
		else if (n == 3 && strncmp(p, "all", n) == 0)
			bits |= PROTECT_ALL;
		else
			return 0;
		p += n;
		if (*p == '\0')
			break;
		p++; /* the comma */
	}
	return bits;
}

/* Reads a suppressed dataset (the true values) from path into ds; an exit status. */
static int read_truth(const char *path, const struct defs *defs, struct dataset *ds)
{
	struct diag_list d = DIAG_LIST_INIT;
	int r = dataset_read_path(ds, defs, path, &d), status = EX_OK;

	if (r != 0) {
		/* O08 "cannot read: REASON" keeps its errno (66), other O-rules are 65 */
		status = fe_diags(&d);
	} else if (ds->stage != STAGE_SUPPRESSED) {
		diag_add(&d, path, ds->stage_line, "S01", DIAG_ERROR, "not a suppressed dataset");
		status = fe_diags(&d);
	}
	diag_clear(&d);
	return status;
}

#define MAX_EARLIER 16

/*
 * The figures the earlier publications (paths) published for the areas whose figures did not
 * change, known to every reader, into known (series.h); ds holds the true values when
 * now_true. An exit status.
 */
static int read_earlier(const char *const *paths, size_t n, const struct defs *defs,
			const struct areas *areas, const struct dataset *ds, int now_true,
			struct dataset *known, size_t *ntruth)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct series *sp = malloc(sizeof *sp); /* 90 KB: off the stack frame */
	int status = EX_OK;

	*ntruth = 0;
	if (!sp)
		return fe_cannot(&prog, "read", paths[0], ENOMEM, EX_SOFTWARE);
	for (size_t i = 0; i < n && status == EX_OK; i++) {
		struct series *s = sp;
		int r = series_load_earlier(s, defs, areas, paths[i], ds->period, &d);
		if (r == 0 && now_true && series_attach_run_truth(s, defs, paths[i], NULL) == 1)
			(*ntruth)++;
		if (r != 0)
			status = fe_diags(&d); /* -2: H01 "cannot read" of the path, with its errno */
		else if ((i ? series_known_more(s, ds, defs, now_true, "0123456789abcdef"[i], known)
			    : series_known_earlier(s, ds, defs, now_true, known)) != 0)
			/* each earlier publication a system of its own beside this one */
			status = fe_cannot(&prog, "read", paths[i], ENOMEM, EX_SOFTWARE);
		series_release(s);
	}
	free(sp);
	diag_clear(&d);
	return status;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "reference", required_argument, NULL, 'r' },
		{ "intervals", no_argument, NULL, 'i' },
		{ "exact", no_argument, NULL, 'e' },
		{ "attackers", required_argument, NULL, 'a' },
		{ "dataset", required_argument, NULL, 'd' },
		{ "earlier", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy_path = NULL, *reference = NULL, *in, *truth_path = NULL, *name;
	static char member[4200]; /* a bundle's observations.csv, named as history_read names it */
	const char *earlier[MAX_EARLIER];
	size_t nearlier = 0, untrue = 0; /* earlier publications without their true values */
	unsigned attackers = 0;
	size_t empty;
	int is_dataset = 0, mismatch = 0;
	static struct dataset truth, known; /* static: frames stay small (ulimit -v) */
	int intervals = 0, exact = 0, opt, r, status = EX_OK;
	size_t unsafe;
	static struct defs defs;
	static struct areas areas;
	static struct dataset ds;
	struct diag_list d = DIAG_LIST_INIT;
	struct policy pol;
	struct protect_summary sum;
	struct protect_interval *iv = NULL;
	size_t niv = 0;
	char *buf = NULL;
	size_t len;

	fe_start(&prog, argv);
	while ((opt = fe_getopt(&prog, argc, argv, "hV", longopts)) != -1) {
		if (opt == FE_OPT_EMPTY)
			return EX_USAGE;
		switch (opt) {
		case 'p': policy_path = optarg; break;
		case 'r': reference = optarg; break;
		case 'i': intervals = 1; break;
		case 'e': exact = 1; break;
		case 'a':
			attackers = parse_attackers(optarg, &empty);
			if (empty) {
				return fe_usage_error(&prog, "empty reader (item %zu) in %s (outsider, "
						      "insider, singleton, all)", empty, fe_name(optarg));
			}
			if (!attackers) {
				return fe_usage_error(&prog, "unknown reader in %s (outsider, insider, "
						      "singleton, all)", fe_name(optarg));
			}
			break;
		case 'd': truth_path = optarg; break;
		case 'E':
			if (nearlier == MAX_EARLIER)
				return fe_usage_error(&prog, "at most %d --earlier", MAX_EARLIER);
			earlier[nearlier++] = optarg;
			break;
		default: return fe_option(&prog, opt);
		}
	}
	if (optind != argc - 1)
		return fe_usage_error(&prog, "give exactly one input");
	in = argv[optind];
	dataset_init(&ds);
	dataset_init(&truth);
	dataset_init(&known);
	status = stage_load_reference(&prog, &defs, &areas, reference);
	if (status != EX_OK)
		goto out;
	/* -2 (cannot be read, 66) or -1 (not valid, 65): the diagnostics say which */
	if (protect_policy_load(&pol, policy_path, &d) != 0) {
		status = fe_diags(&d);
		goto out;
	}
	/* O08 at line 0, as every reader of an observations file: larger than 256 MiB (65), or
	   "cannot read: REASON" keeping the errno (66) */
	if (xmlsafe_read_path(in, (size_t)256 << 20, "O08", &buf, &len, &d) != 0) {
		status = fe_diags(&d);
		goto out;
	}
	if (len >= 18 && memcmp(buf, "mappa-observations", 18) == 0) {
		is_dataset = 1;
		r = dataset_read(&ds, &defs, in, buf, len, &d);
		if (r == 0 && ds.stage != STAGE_SUPPRESSED) {
			diag_add(&d, in, ds.stage_line, "S01", DIAG_ERROR,
				 "not a suppressed dataset: nothing is suppressed yet");
			r = -1;
		}
		if (r == 0 && published_complete(&ds, &defs, in, 0, "A01", &d) != 0)
			r = -1;
		/* a figure relabelled 'missing' or 'na' is no figure of the system the audit
		   solves, and its readers take it from its total (QA: audited clean) */
		if (r == 0 && protect_statuses_agree(&ds, &defs, in, "A01", &d) != 0)
			r = -1;
	} else if ((len >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b) ||
		   (len >= 4 && memcmp(buf, "PK\003\004", 4) == 0) ||
		   (len >= 3 && memcmp(buf, "BZh", 3) == 0) ||
		   (len >= 6 && memcmp(buf, "\3757zXZ\0", 6) == 0) ||
		   (len >= 4 && memcmp(buf, "\050\265\057\375", 4) == 0) ||
		   (len >= 262 && memcmp(buf + 257, "ustar", 5) == 0)) {
		/* the bundle as published (.tar.gz, .zip): its observations.csv, with its manifest
		   checked, as --earlier reads one (QA: "P02: a NUL byte" at line 1 of the bundle a
		   new user gave); another archive (a plain tar, bzip2, xz, zstd) is refused there as
		   not one of the two (H01; QA: read as an observations.csv, "a NUL byte") */
		r = history_read_mem(&ds, &defs, &areas, in, buf, len, NULL, NULL, NULL, &d);
		snprintf(member, sizeof member, "%s(mappa-%s/observations.csv)", in, ds.period);
		if (r == 0 && published_complete(&ds, &defs, member, 1, "P03", &d) != 0)
			r = -1;
	} else {
		r = published_read_named(&ds, &defs, &areas, in, buf, len, &d);
		if (r == 0 && published_complete(&ds, &defs, in, 1, "P03", &d) != 0)
			r = -1;
	}
	if (r != 0) {
		status = fe_diags(&d);
		goto out;
	}
	name = member[0] ? member : in; /* a diagnostic at a line: of observations.csv */
	if (truth_path && is_dataset) {
		/* it was ignored without a word, even naming a file that does not exist (QA) */
		status = fe_usage_error(&prog, "--dataset gives the true values behind an "
					"observations.csv; INPUT is a suppressed dataset, which holds them");
		goto out;
	}
	/* the readers the policy names, as mappa-suppress protected against (every one in the
	   shipped policy); the outsider alone when the input has no true values */
	if (!attackers)
		attackers = is_dataset || truth_path ? protect_attackers(&pol) : PROTECT_OUTSIDER;
	if ((attackers & (PROTECT_INSIDER | PROTECT_SINGLETON)) && !is_dataset && !truth_path) {
		status = fe_usage_error(&prog, "insiders and singletons know withheld figures: "
					"their audit needs the suppressed dataset (--dataset FILE)");
		goto out;
	}
	if (truth_path && !is_dataset) {
		status = read_truth(truth_path, &defs, &truth);
		if (status != EX_OK)
			goto out;
		/* the true values must add up before they complete the publication: a total of
		   the dataset that did not was blamed on a line of observations.csv, where the
		   figure is [c] (QA); named here at the dataset's own line */
		if (protect_adds_up(&truth, &defs, truth_path, "A03", &d) != 0) {
			status = fe_diags(&d);
			goto out;
		}
		if (protect_attach_truth(&ds, &truth, &defs, truth_path, &d) != 0) {
			/* not the publication of that dataset (A03): what it publishes is audited all
			   the same, for the outsider, who needs no true values (QA: only the A03 was
			   said of a bundle whose published figures pinned a primary, which the
			   audit without --dataset reported) */
			mismatch = 1;
			truth_path = NULL;
			attackers = PROTECT_OUTSIDER;
		}
	}
	{
		/* the dataset says the policy it was suppressed under: what the pattern shows, the
		   readers and the primary range are that policy's, and an audit under another one
		   answers another question (QA: the built-in policy's audit of a coalition-2
		   dataset named three false failures, and of a 1-to-3 one 12 primaries for 60) */
		const struct dataset *src = is_dataset ? &ds : truth_path ? &truth : NULL;
		if (src && src->policy_sha256[0] && strcmp(src->policy_sha256, pol.sha256) != 0)
			diag_add(&d, is_dataset ? in : truth_path, 0, "A04", DIAG_WARNING,
				 "the dataset was suppressed under %s, and this audit's policy (%s) "
				 "is another: its readers, its primary range and what its pattern "
				 "shows are the other's; give that policy (--policy) to audit it as "
				 "it was made", fe_name(src->policy),
				 policy_path ? fe_name(policy_path) : "the built-in one");
	}
	if (nearlier) {
		size_t nsys = 0, nareas = 0, nkept = 0, ntruth = 0;
		char changed[AREAS_MAX][AREA_CODE_MAX]; /* each area once, whatever publication */
		status = read_earlier(earlier, nearlier, &defs, &areas, &ds, is_dataset || truth_path,
				      &known, &ntruth);
		if (status != EX_OK)
			goto out;
		for (size_t j = 0; j < known.nobs; j++) {
			const struct obs *o = &known.obs[j];
			if (o->area[0] != DATASET_EARLIER) {
				nkept += o->status != OBS_OK; /* withheld again: not a figure */
				continue;
			}
			nsys++;
			/* an area changed since two earlier publications is one area (QA: "3 changed
			   areas" where 2 changed, one of them since both) */
			if (strcmp(o->area + 2, known.national_code) != 0) {
				size_t k = 0;
				while (k < nareas && strcmp(changed[k], o->area + 2) != 0)
					k++;
				if (k == nareas && nareas < AREAS_MAX)
					snprintf(changed[nareas++], AREA_CODE_MAX, "%s", o->area + 2);
			}
		}
		fprintf(stderr, "mappa-audit: %zu figures of %zu earlier publication%s known to every reader",
			known.nobs - nsys - nkept, nearlier, nearlier == 1 ? "" : "s");
		if (nsys)
			fprintf(stderr, "; their figures of %zu changed area%s and the nation solved "
				"with this one (%zu rows; the true values of %zu of them from their run "
				"folders)", nareas, nareas == 1 ? "" : "s", nsys, ntruth);
		fputc('\n', stderr);
		/* without an earlier publication's true values its readings are not exact: with
		   now's true values a change behind [c] then is not seen (every area may be taken
		   as unchanged, and its figures as known); else the areas that changed are a
		   reader's guess and their withheld figures a completion */
		untrue = (nsys || is_dataset || truth_path) && ntruth < nearlier ? nearlier - ntruth : 0;
	}
	if (protect_audit_known(&ds, &defs, &pol, nearlier ? &known : NULL, attackers, exact, name,
				&iv, &niv, &sum, &d) != 0) {
		status = fe_diags(&d);
		goto out;
	}
	if (intervals) {
		printf("area\ttable\tcategory\tlevel\tlow\thigh\tverdict\treader\n");
		for (size_t i = 0; i < niv; i++) {
			const struct protect_interval *o = &iv[i];
			char hi[32];
			if (iv[i].hi < 0)
				snprintf(hi, sizeof hi, "inf");
			else
				snprintf(hi, sizeof hi, "%lld", iv[i].hi);
			printf("%s%s\t%s\t%s\t%s\t%s%lld\t%s\t%s\t%s\n", o->earlier ? "earlier " : "",
			       o->area, dataset_stat_name(&defs, o->stat), defs_category_name(o->category),
			       defs_level_name(o->level), iv[i].exact ? "" : "~", iv[i].lo, hi,
			       iv[i].pass ? "ok" : "DISCLOSED", iv[i].who);
		}
	}
	for (size_t i = 0; i < niv; i++)
		if (!iv[i].pass) {
			char words[640];
			/* at the figure's row when it is one of this file's (it said line 0, QA) */
			long line = iv[i].row < ds.nobs ? ds.obs[iv[i].row].line : 0;
			diag_add(&d, name, line, "A02", DIAG_ERROR, "%s",
				 protect_interval_words(&iv[i], &defs, words, sizeof words));
		}
	/* a count published that the policy never publishes: known exactly to every reader (a
	   primary marked publishable in an edited dataset was audited clean) */
	unsafe = protect_published_unsafe(&ds, &defs, &pol, name, "A02", &d);
	fe_diags(&d);
	fprintf(stderr, "mappa-audit: %zu suppressed cells audited for %zu reader%s in %.3f s (%zu cells, %zu relations, %zu inequalities): %zu narrower than the policy allows",
		sum.audited, sum.readers, sum.readers == 1 ? "" : "s", sum.seconds_audit, sum.cells,
		sum.relations, sum.inequalities, sum.audit_failures);
	if (sum.identified)
		fprintf(stderr, "; %zu primar%s the pattern shows to be primary", sum.identified,
			sum.identified == 1 ? "y" : "ies");
	if (unsafe)
		fprintf(stderr, "; %zu published count%s the policy never publishes", unsafe,
			unsafe == 1 ? "" : "s");
	if (mismatch)
		fprintf(stderr, "; the outsider alone: the publication is not the dataset's (A03)");
	fputc('\n', stderr);
	if (sum.audit_failures && untrue)
		/* a copy of an earlier bundle away from its run folder: a change behind its [c]
		   is not seen, its withheld figures are a completion, and a changed area's data
		   lead is read as knowing those values, not its own (QA: valid revisions failed
		   here, and passed with the run folder's copy; a revision of West Midlands'
		   Category 4 behind [c] failed, the first bundle's national 8 taken as known,
		   with no word of why) */
		fprintf(stderr, "mappa-audit: note: the true values of %zu earlier publication%s are "
			"not at hand (its bundle is not in its run folder): a change it hid behind "
			"[c] is not seen, so an area that changed there may be taken as unchanged and "
			"its figures then as known; a figure it withheld is read at a value the "
			"published figures allow (complete.h), and a changed area's data lead as "
			"knowing that value, not its own; a failure may not hold for the true values: "
			"give --earlier the bundle in its run folder (OUTDIR/runs/RUN-ID/bundle/) for "
			"the exact audit\n",
			untrue, untrue == 1 ? "" : "s");
	if (sum.audit_failures || unsafe || mismatch)
		status = EX_DATAERR;
out:
	free(iv);
	free(buf);
	dataset_release(&ds);
	dataset_release(&truth);
	dataset_release(&known);
	diag_clear(&d);
	xmlCleanupParser();
	return fe_exit(&prog, status);
}
