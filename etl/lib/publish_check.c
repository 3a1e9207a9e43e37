/*
 * publish_check: the checks before publishing (see publish_check.h).
 */
#include "publish_check.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "pivot.h"
#include "policy.h"
#include "protect.h"
#include "publish.h"
#include "publish_private.h"


/*
 * The simplest disclosure: a line (a table row or column with its total, or one cell across
 * the areas with the national figure) where exactly one figure is withheld and the rest are
 * published gives that figure away by subtraction. The suppression's audit proves much more;
 * this is the publisher's own last look, and it never passes a cell that the published
 * figures pin to a value unless the policy says that value discloses no one
 * (policy_exact_allowed: a zero while zeros are published).
 */
struct line_part {
	const char *area;
	int cat, level;
	long long value;
	int published, counted;
};

static int line_check(const char *file, const struct dataset *ds, const struct defs *defs,
		      const struct policy *pol, unsigned stat, const struct line_part *total, const struct line_part *parts,
		      size_t n, struct diag_list *d)
{
	size_t hidden = 0, which = 0;
	long long sum = 0;
	char w[160];

	if (!total->counted)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!parts[i].counted)
			continue;
		sum += parts[i].value;
		if (!parts[i].published) {
			hidden++;
			which = i;
		}
	}
	if (total->published && hidden == 1 &&
	    !policy_exact_allowed(pol, strcmp(parts[which].area, ds->national_code) == 0, parts[which].value)) {
		diag_add(d, file, 0, "P06", DIAG_ERROR,
			 "%s is withheld but equals a published total less published figures: the "
			 "suppression left it recoverable",
			 dataset_cell_words(defs, parts[which].area, stat, parts[which].cat,
					    parts[which].level, w, sizeof w));
		return -1;
	}
	if (!total->published && hidden == 0 && n > 0 &&
	    !policy_exact_allowed(pol, strcmp(total->area, ds->national_code) == 0, total->value) &&
	    !(total->cat == CAT_1_3 && strcmp(total->area, ds->national_code) == 0)) {
		diag_add(d, file, 0, "P06", DIAG_ERROR, "%s is withheld but is the sum of published figures",
			 dataset_cell_words(defs, total->area, stat, total->cat, total->level, w,
					    sizeof w));
		return -1;
	}
	(void)sum;
	return 0;
}

static struct line_part part_of(const struct dataset *ds, const struct defs *defs,
				const struct policy *pol, const char *area, unsigned stat, int cat,
				int level)
{
	struct line_part p;
	struct pivot_value v = pivot_get_policy(ds, defs, pol, area, stat, cat, level);
	const struct obs *o = dataset_find(ds, area, stat, cat, level);

	p.area = area;
	p.cat = cat;
	p.level = level;
	p.value = o ? o->value : 0;
	p.published = v.published;
	/* cells that cannot exist and areas without a return are in no sum */
	p.counted = v.status != OBS_NA && v.status != OBS_MISSING;
	if (strcmp(area, ds->national_code) == 0 && cat == CAT_1_3) {
		/* the nation publishes no 1-3 total, but its total less the categories the policy
		   withholds for areas (published nationally) gives it */
		struct pivot_value all = pivot_get_policy(ds, defs, pol, area, stat, CAT_ALL, level);
		const struct obs *oa = dataset_find(ds, area, stat, CAT_ALL, level);
		p.published = all.published;
		p.value = oa ? oa->value : 0;
		p.counted = oa != NULL;
		for (int c = 1; c <= 4; c++) {
			const struct obs *oc;
			if (!policy_withheld(pol, c))
				continue;
			oc = dataset_find(ds, area, stat, c, level);
			p.published = p.published && pivot_get_policy(ds, defs, pol, area, stat, c, level).published;
			p.value -= oc ? oc->value : 0;
			p.counted = p.counted && oc;
		}
	}
	return p;
}

static void check_lines(const char *file, const struct dataset *ds, const struct defs *defs,
			const struct policy *pol, struct diag_list *d)
{
	size_t before = d->errors;

	for (unsigned s = 0; s < defs->ntables && d->errors - before < 20; s++) {
		int cats[8], levels[8];
		size_t nc = 0, nl = 0;
		struct pivot_grid g;
		struct line_part parts[AREAS_MAX + 1], total;

		if (!ds->nareas)
			return;
		pivot_grid_policy(ds, defs, pol, ds->areas[0].code, s, &g);
		for (size_t c = 0; c < g.ncols; c++)
			cats[nc++] = g.col_cat[c];
		for (size_t r = 0; r < g.nrows; r++)
			levels[nl++] = g.row_level[r];
		/* within each area: rows and columns of its table */
		for (size_t a = 0; a < ds->nareas; a++) {
			const char *code = ds->areas[a].code;
			if (ds->areas[a].state == AREA_MISSING)
				continue;
			if (nc > 1)
				for (size_t r = 0; r < nl; r++) {
					for (size_t c = 0; c + 1 < nc; c++)
						parts[c] = part_of(ds, defs, pol, code, s, cats[c], levels[r]);
					total = part_of(ds, defs, pol, code, s, cats[nc - 1], levels[r]);
					line_check(file, ds, defs, pol, s, &total, parts, nc - 1, d);
				}
			if (nl > 1)
				for (size_t c = 0; c < nc; c++) {
					for (size_t r = 0; r + 1 < nl; r++)
						parts[r] = part_of(ds, defs, pol, code, s, cats[c], levels[r]);
					total = part_of(ds, defs, pol, code, s, cats[c], levels[nl - 1]);
					line_check(file, ds, defs, pol, s, &total, parts, nl - 1, d);
				}
		}
		/* across the areas: each cell and total against the national figure (the withheld
		   categories included: withheld in every area, published nationally) */
		for (int k = 0; k <= 4; k++) {
			int cat = k == 0 ? (nc > 1 ? CAT_1_3 : CAT_NONE) : k;
			if (k > 0 && (nc <= 1 || !(defs->tables[s].categories >> k & 1u)))
				continue;
			for (size_t r = 0; r < nl; r++) {
				size_t n = 0;
				for (size_t a = 0; a < ds->nareas; a++)
					parts[n++] = part_of(ds, defs, pol, ds->areas[a].code, s, cat, levels[r]);
				total = part_of(ds, defs, pol, ds->national_code, s, cat, levels[r]);
				line_check(file, ds, defs, pol, s, &total, parts, n, d);
			}
		}
	}
}

int publish_check(const struct dataset *ds, const struct defs *defs, const struct areas *ref,
		  const char *file, struct diag_list *d)
{
	return publish_check_policy(ds, defs, NULL, ref, file, d);
}

int publish_check_policy(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
			 const struct areas *ref, const char *file, struct diag_list *d)
{
	struct policy def;
	static const char *const stages[] = { "normalised", "merged", "suppressed" };
	size_t before = d->errors;
	int y1, y2;

	pol = publish_policy(pol, &def);
	if (ds->stage != STAGE_SUPPRESSED) { /* nothing else about it is worth saying */
		diag_add(d, file, ds->stage_line, "P01", DIAG_ERROR,
			 "the dataset is %s, not suppressed: only a suppressed dataset may be published (run mappa-suppress)",
			 stages[ds->stage]);
		return -1;
	}
	if (publish_period_years(ds->period, &y1, &y2) != 0)
		diag_add(d, file, 0, "P02", DIAG_ERROR, "bad period '%s' (like 2022-23)", ds->period);
	else {
		/* a return is sent after its period ends (R18): a period line edited and the file
		   resealed published 2022-23's figures as 2023-24's (QA) */
		char end[16];
		snprintf(end, sizeof end, "%04d-03-31", y2);
		for (size_t i = 0; i < ds->nareas; i++)
			if (ds->areas[i].state == AREA_PRESENT && ds->areas[i].submitted[0] &&
			    strcmp(ds->areas[i].submitted, end) <= 0) {
				diag_add(d, file, ds->areas[i].line, "P02", DIAG_ERROR,
					 "area %s's return was submitted on %s, before the period %s "
					 "ended on %s: the dataset is not of that period",
					 ds->areas[i].code, ds->areas[i].submitted, ds->period, end);
				break;
			}
	}
	if (ds->nareas == 0)
		diag_add(d, file, 0, "P03", DIAG_ERROR, "the dataset has no areas");
	for (size_t i = 0; i < ds->nareas; i++) {
		const struct area *a = areas_find(ref, ds->areas[i].code);
		char q[40];
		if (!a) {
			diag_quote(q, sizeof q, ds->areas[i].code, 20);
			diag_add(d, file, ds->areas[i].line, "P03", DIAG_ERROR,
				 "area '%s' is not a reference area code", q);
		} else if (ds->areas[i].population != a->population ||
			   !ds->areas[i].population_approximate != !a->approximate) {
			/* the pages and rates are published with the dataset's populations: Durham's
			   edited to 1,000 (the reference's 564,000) and Cumbria's to 1,443,000 with a
			   rate to match were published with exit 0, and London's approximate one as
			   the ONS estimate (QA) */
			diag_add(d, file, ds->areas[i].line, "P03", DIAG_ERROR,
				 "area %s has the population %lld%s, but the reference data gives "
				 "%lld%s: publish with the reference data it was merged with "
				 "(--reference), or merge it again", a->code, ds->areas[i].population,
				 ds->areas[i].population_approximate ? " (approximate)" : "",
				 a->population, a->approximate ? " (approximate)" : "");
		} else if (strcmp(ds->areas[i].name, a->name) != 0) {
			/* the pages, the tables and the page names are made with the dataset's
			   names: one from other reference data, or edited, was published, and
			   mappa-audit then refused the bundle (QA) */
			char qn[200];
			diag_quote(qn, sizeof qn, ds->areas[i].name, 90);
			diag_add(d, file, ds->areas[i].line, "P03", DIAG_ERROR,
				 "area %s is named '%s', but the reference data names it '%s': publish "
				 "with the reference data it was merged with (--reference), or merge it "
				 "again", a->code, qn, a->name);
		}
	}
	if (strcmp(ds->national_code, ref->national_code) != 0)
		diag_add(d, file, 0, "P03", DIAG_ERROR, "national code '%s' is not '%s'",
			 ds->national_code, ref->national_code);
	else if (strcmp(ds->national_name, ref->national_name) != 0) {
		/* in every national row of every file: an edited one (a spreadsheet formula) was
		   published, as area names are not (QA) */
		char qn[200];
		diag_quote(qn, sizeof qn, ds->national_name, 90);
		diag_add(d, file, 0, "P03", DIAG_ERROR,
			 "the national figures are named '%s', but the reference data names them "
			 "'%s': publish with the reference data it was merged with (--reference), or "
			 "merge it again", qn, ref->national_name);
	}
	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		if (o->status == OBS_OK &&
		    policy_reason(pol, strcmp(o->area, ds->national_code) == 0, o->category,
				  o->value) == POLICY_WITHHELD) {
			char w[160];
			diag_add(d, file, o->line, "P04", DIAG_ERROR,
				 "%s is marked publishable: the policy's withheld categories and totals "
				 "over categories 1-4 are never published for an area (was the "
				 "suppression run?)",
				 dataset_cell_words(defs, o->area, o->stat, o->category, o->level, w,
						    sizeof w));
			if (d->errors - before > 20)
				break;
		}
	}
	/* a rate is published only with the count behind it (protect.c writes it so; one marked
	   publishable by hand beside its withheld count was published, QA) */
	for (size_t i = 0; i < ds->nobs && d->errors - before <= 20; i++) {
		const struct obs *o = &ds->obs[i];
		const struct defs_rate *rate;
		char w[160], c[160];
		if (!dataset_rate_shown_alone(ds, defs, o))
			continue;
		rate = &defs->rates[o->stat - defs->ntables];
		diag_add(d, file, o->line, "P04", DIAG_ERROR,
			 "%s is marked publishable, but the count it is the rate of (%s) is not: a "
			 "rate is published only with its count",
			 dataset_cell_words(defs, o->area, o->stat, o->category, o->level, w, sizeof w),
			 dataset_cell_words(defs, o->area, (unsigned)rate->table, rate->category,
					    LEVEL_ALL, c, sizeof c));
	}
	/* nor a count the policy never publishes (a primary marked publishable in a dataset edited
	   after the suppression was published, exit 0, its README saying such counts never are) */
	if (d->errors == before)
		(void)protect_published_unsafe(ds, defs, pol, file, "P08", d);
	/* every row the tables need, for the nation and for each area that sent a return */
	for (size_t a = 0; a <= ds->nareas && d->errors - before <= 20; a++) {
		const char *code = a == 0 ? ds->national_code : ds->areas[a - 1].code;
		if (a > 0 && ds->areas[a - 1].state == AREA_MISSING)
			continue;
		for (unsigned s = 0; s < dataset_stat_count(defs); s++) {
			int cats[32], levels[32];
			size_t n = pivot_keys_policy(defs, pol, s, a == 0, cats, levels, 32);
			for (size_t k = 0; k < n; k++) {
				if (defs_is_not_applicable(defs, s, cats[k], levels[k]))
					continue;
				if (!dataset_find(ds, code, s, cats[k], levels[k])) {
					char w[160];
					diag_add(d, file, 0, "P05", DIAG_ERROR, "there is no row for %s",
						 dataset_cell_words(defs, code, s, cats[k], levels[k], w,
								    sizeof w));
					break;
				}
			}
		}
	}
	/* the figures it would publish add up (a dataset changed after the suppression, its
	   checksum made again, was published with totals that were not the sums of their parts) */
	if (d->errors == before)
		(void)protect_adds_up(ds, defs, file, "P07", d);
	/* and their statuses agree with the returns: a primary of an area that sent its return
	   relabelled 'missing' (published [x]), its secondaries published, was published with
	   exit 0, and the [x] was its total less its other parts (QA) */
	if (d->errors == before)
		(void)protect_statuses_agree(ds, defs, file, "P07", d);
	if (d->errors == before)
		check_lines(file, ds, defs, pol, d);
	/* last, after the errors: every area of the reference data, present or missing, in a
	   dataset mappa-merge made. One left out by hand was published with the nation's figures
	   of the others under its name, no [x] and no notice (QA). A warning, not an error: a
	   dataset of a few areas (mappa-sample, the tests) is published so, and its README counts
	   the areas it covers */
	{
		size_t absent = 0, first = SIZE_MAX;
		for (size_t i = 0; i < ref->count; i++)
			if (!dataset_area_find(ds, ref->items[i].code)) {
				absent++;
				if (first == SIZE_MAX)
					first = i;
			}
		/* of the reference's areas (QA: an area renamed to a code not in it, "42 of the
		   reference data's 42 areas: 1 ... is neither present nor missing") */
		if (absent > 0 && ds->nareas > 0)
			diag_add(d, file, 0, "P03", DIAG_WARNING,
				 "the dataset holds %zu of the reference data's %zu areas: %zu, %s (%s)%s, "
				 "%s neither present nor missing, so the national figures are the sum of "
				 "the others, and %s no [x]: a dataset of mappa-merge holds every area",
				 ref->count - absent, ref->count, absent, ref->items[first].code,
				 ref->items[first].name,
				 absent == 1 ? "" : absent == 2 ? " and 1 other" : " and others",
				 absent > 1 ? "are" : "is", absent > 1 ? "they have" : "it has");
	}
	return d->errors > before ? -1 : 0;
}


/* Where an earlier bundle's figures are, for a diagnostic at a row's line: its
   observations.csv, as mappa-audit names it ("FILE(mappa-PERIOD/observations.csv)"). */
static const char *observations_at(char *buf, size_t size, const char *file,
				   const struct dataset *ds)
{
	snprintf(buf, size, "%s(mappa-%s/observations.csv)", file, ds->period);
	return buf;
}

/*
 * The rates an earlier publication shows, from its counts and this reference data's
 * populations (merge_rate, as mappa-merge made them). A rate shown beside a withheld count
 * narrows that count (a reader inverts it: add_rate_bounds): an error. One that does not fit
 * its published count: a warning, as the populations may have been revised since (QA: a rate
 * edited to 9999 was shown again with nothing said). Returns -1 after an error.
 */
static int check_earlier_rates(const struct dataset *ds, const struct defs *defs,
			       const char *file, struct diag_list *d)
{
	long long national_pop = dataset_national_population(ds);
	size_t misfit = 0;
	long first_line = 0;
	char w[160], c[160], first[480] = "", at[PATH_MAX + 100];

	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i], *count;
		const struct defs_rate *rate;
		const struct dataset_area *a;
		long long pop, want;

		if (o->stat < defs->ntables || o->status != OBS_OK)
			continue;
		rate = &defs->rates[o->stat - defs->ntables];
		count = dataset_rate_count(ds, defs, o);
		if (dataset_rate_shown_alone(ds, defs, o)) {
			diag_add(d, observations_at(at, sizeof at, file, ds), o->line, "H06",
				 DIAG_ERROR,
				 "this earlier publication shows %s (%lld) and withholds the count it "
				 "is the rate of (%s), which the rate tells: the bundle was changed "
				 "after it was published; restore it as published",
				 dataset_cell_words(defs, o->area, o->stat, o->category, o->level, w,
						    sizeof w), o->value,
				 dataset_cell_words(defs, o->area, (unsigned)rate->table,
						    rate->category, LEVEL_ALL, c, sizeof c));
			return -1;
		}
		a = dataset_area_find(ds, o->area);
		pop = a ? a->population : national_pop;
		if (pop <= 0)
			continue;
		want = merge_rate(count->value, rate->per, pop);
		if (want != o->value && misfit++ == 0) {
			snprintf(first, sizeof first, "%s is %lld, and %lld from its count %lld",
				 dataset_cell_words(defs, o->area, o->stat, o->category, o->level, w,
						    sizeof w), o->value, want, count->value);
			first_line = o->line;
		}
	}
	if (misfit)
		diag_add(d, observations_at(at, sizeof at, file, ds), first_line, "H06", DIAG_WARNING,
			 "this earlier publication's rates do not fit this reference data's "
			 "populations (%zu of them; %s): the populations were revised since it was "
			 "published, or its rates were changed after; this publication shows them "
			 "again as they are", misfit, first);
	return 0;
}

int publish_check_earlier(const struct dataset *ds, const struct defs *defs,
			  const struct policy *pol, const char *file, struct diag_list *d)
{
	struct diag_list e = DIAG_LIST_INIT;
	struct protect_interval *iv = NULL;
	struct protect_summary sum;
	struct dataset *c = NULL;
	size_t niv = 0, narrow = 0, first = SIZE_MAX, unsafe;
	char w[160], words[640], at[PATH_MAX + 100];
	const struct obs *cell;
	int result = 0;

	/* what no area's table publishes (a withheld category, a total that holds one) */
	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		if (o->status != OBS_OK || o->stat >= defs->ntables ||
		    policy_reason(pol, strcmp(o->area, ds->national_code) == 0, o->category,
				  o->value) != POLICY_WITHHELD)
			continue;
		diag_add(d, observations_at(at, sizeof at, file, ds), o->line, "H06", DIAG_ERROR,
			 "this earlier publication shows %s (%lld), a figure no area's table publishes: "
			 "the bundle was changed after it was published; restore it as published",
			 dataset_cell_words(defs, o->area, o->stat, o->category, o->level, w, sizeof w),
			 o->value);
		return -1;
	}
	if (check_earlier_rates(ds, defs, file, d) != 0)
		return -1;
	/*
	 * The outsider's audit of it, as mappa-audit audits a bundle, without its rates: they
	 * were made with the populations of their day, and the reference data is revised (QA: a
	 * bundle of this very program refused after the populations were updated, as
	 * docs/reference-data.md says to). Every rate it shows has its count shown beside it
	 * (check_earlier_rates), so they tell a reader nothing more. A copy whose areas have no
	 * population (no rate bounds: add_rate_bounds), its rows shared, never released.
	 */
	c = malloc(sizeof *c);
	if (!c) {
		diag_add_errno(d, file, "H06", ENOMEM, "out of memory");
		return -1;
	}
	*c = *ds;
	for (size_t i = 0; i < c->nareas; i++)
		c->areas[i].population = 0;
	if (protect_audit(c, defs, pol, PROTECT_OUTSIDER, 0, file, &iv, &niv, &sum, &e) != 0) {
		int err = diag_errnum(&e);
		if (err)
			diag_add_errno(d, file, "H06", err, "%s",
				       e.count ? e.items[0].message : "out of memory");
		else if (e.count && e.items[0].line > 0) /* at the row the audit names */
			diag_add(d, observations_at(at, sizeof at, file, ds), e.items[0].line, "H06",
				 DIAG_ERROR,
				 "this earlier publication's figures contradict its tables (%s): the "
				 "bundle was changed after it was published; restore it as published",
				 e.items[0].message);
		else
			diag_add(d, file, 0, "H06", DIAG_ERROR,
				 "this earlier publication's figures contradict its tables (%s): the "
				 "bundle was changed after it was published; restore it as published",
				 e.count ? e.items[0].message : "no reason given");
		result = -1;
		goto out;
	}
	/*
	 * What this policy would not publish: refused too. This publication shows those figures
	 * again, under a README that says such figures are never published, and its audit reads
	 * its observations.csv alone (QA: a [c] replaced by its value, the manifest made again,
	 * was printed on an area's page with a warning only).
	 */
	for (size_t i = 0; i < niv; i++)
		if (!iv[i].pass && narrow++ == 0)
			first = i;
	if (narrow) {
		cell = iv[first].row < ds->nobs ? &ds->obs[iv[first].row] : NULL;
		diag_add(d, observations_at(at, sizeof at, file, ds), cell ? cell->line : 0, "H06",
			 DIAG_ERROR,
			 "%zu withheld figure%s of this earlier publication can be narrowed below this "
			 "publication's policy (%s), and this publication shows its figures again: "
			 "changed after it was published (restore it as published), or published "
			 "under another policy (publish that period again under this one first)",
			 narrow, narrow == 1 ? "" : "s",
			 protect_interval_words(&iv[first], defs, words, sizeof words));
		result = -1;
	}
	diag_clear(&e);
	unsafe = protect_published_unsafe(ds, defs, pol, file, "H06", &e);
	if (unsafe) {
		diag_add(d, observations_at(at, sizeof at, file, ds), e.count ? e.items[0].line : 0,
			 "H06", DIAG_ERROR,
			 "this earlier publication shows %zu count%s this publication's policy never "
			 "publishes (%s), and this publication shows its figures again: changed after "
			 "it was published (restore it as published), or published under another "
			 "policy (publish that period again under this one first)", unsafe,
			 unsafe == 1 ? "" : "s", e.count ? e.items[0].message : "");
		result = -1;
	}
out:
	free(c);
	free(iv);
	diag_clear(&e);
	return result;
}

int publish_check_series(const struct series *s, const struct defs *defs,
			 const struct policy *pol, const char *dir, struct diag_list *d)
{
	int result = 0;

	for (size_t i = 0; i < s->nperiods; i++) {
		char at[PATH_MAX + 100];
		if (!s->periods[i].present)
			continue;
		snprintf(at, sizeof at, "%s/%s", dir, s->periods[i].file);
		if (publish_check_earlier(&s->periods[i].ds, defs, pol, at, d) != 0)
			result = -1;
	}
	return result;
}
