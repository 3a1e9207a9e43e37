/*
 * Unit tests of the disclosure control of MAPPA datasets (protect.h): the 42 fixture returns
 * and many random linked datasets go through validate -> normalise -> merge -> protect, and
 * the result must be safe (the exact LP audit of what is published finds no suppressed cell
 * narrower than the policy allows), complete (no unsafe count or withheld cell published) and
 * reproducible (the same input gives the same pattern).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "merge.h"
#include "normalise.h"
#include "protect.h"
#include "series.h"
#include "validator.h"

static struct defs defs;
static struct areas areas;
static struct validator *validator;

static int setup(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	if (defs_load_default(&defs, &d) || areas_load_default(&areas, &d))
		return -1;
	validator = validator_new(&defs, &areas, NULL, 0, NULL, &d);
	return validator ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	validator_free(validator);
	xmlCleanupParser();
	return 0;
}

/* Merges returns (one per area) into a national dataset; allow_missing for partial sets. */
static void merge_returns(const struct area_return *r, size_t n, int allow_missing,
			  struct dataset *out)
{
	struct merge_options mo = { "2022-23", allow_missing, "test", 0 };
	struct merge *m = merge_new(&defs, &areas, &mo);
	struct diag_list d = DIAG_LIST_INIT;
	assert_non_null(m);
	for (size_t i = 0; i < n; i++) {
		struct dataset ds;
		assert_int_equal(normalise_return(&ds, &defs, &areas, &r[i], r[i].area_code, &d), 0);
		assert_int_equal(merge_add(m, r[i].area_code, &ds, &d), 0);
		dataset_release(&ds);
	}
	if (merge_finish(m, out, &d) != 0)
		diag_print(&d, stderr);
	assert_int_equal(out->stage, STAGE_MERGED);
	merge_free(m);
	diag_clear(&d);
}

static void load_fixtures(struct dataset *out)
{
	glob_t g;
	struct area_return *r;
	struct diag_list d = DIAG_LIST_INIT;
	assert_int_equal(glob("fixtures/returns/2022-23/*.xml", 0, NULL, &g), 0);
	assert_int_equal(g.gl_pathc, 42);
	r = calloc(g.gl_pathc, sizeof *r);
	for (size_t i = 0; i < g.gl_pathc; i++)
		assert_int_equal(validator_check_file(validator, g.gl_pathv[i], &r[i], &d), VALIDATOR_VALID);
	merge_returns(r, g.gl_pathc, 0, out);
	free(r);
	globfree(&g);
	diag_clear(&d);
}

/*
 * Every suppressed row's exact interval meets the policy for the outsider, and every reader of
 * the policy (insiders, singletons) finds no cell narrower than it allows; returns the number
 * audited.
 */
static size_t assert_audit_passes_as(const struct dataset *ds, const struct policy *pol,
				     int exact_all)
{
	struct protect_interval *iv;
	struct protect_summary sum;
	size_t n;
	struct diag_list d = DIAG_LIST_INIT;
	/* exact: every reader's every interval by its own LPs, none of the proofs the
	   suppression itself relies on (restricted views, bulk clearing) */
	assert_int_equal(protect_audit(ds, &defs, pol, PROTECT_ALL, exact_all, "test", &iv, &n, &sum, &d), 0);
	for (size_t i = 0; i < n; i++)
		if (!iv[i].pass) {
			const struct obs *o = &ds->obs[iv[i].row];
			print_error("disclosed to the %s: %s %s %s %s in [%lld, %lld]\n", iv[i].who,
				    o->area, dataset_stat_name(&defs, o->stat),
				    defs_category_name(o->category), defs_level_name(o->level), iv[i].lo,
				    iv[i].hi);
		}
	assert_int_equal(sum.audit_failures, 0);
	free(iv);
	assert_int_equal(protect_audit(ds, &defs, pol, PROTECT_OUTSIDER, 1, "test", &iv, &n, &sum, &d), 0);
	for (size_t i = 0; i < n; i++) {
		if (!iv[i].pass) {
			const struct obs *o = &ds->obs[iv[i].row];
			print_error("disclosed: %s %s %s %s in [%lld, %lld]\n", o->area,
				    dataset_stat_name(&defs, o->stat), defs_category_name(o->category),
				    defs_level_name(o->level), iv[i].lo, iv[i].hi);
		}
		assert_true(iv[i].pass);
		assert_true(iv[i].exact);
	}
	assert_int_equal(sum.audit_failures, 0);
	free(iv);
	return n;
}

/* The small tables: every reader audited exactly. */
static size_t assert_audit_passes(const struct dataset *ds, const struct policy *pol)
{
	return assert_audit_passes_as(ds, pol, 1);
}

/* Nothing the policy forbids is published. */
static void assert_policy_holds(const struct dataset *ds, const struct policy *pol)
{
	for (size_t i = 0; i < ds->nobs; i++) {
		const struct obs *o = &ds->obs[i];
		int national = strcmp(o->area, ds->national_code) == 0;
		long long lo = national ? pol->national.min : pol->area.min;
		long long hi = national ? pol->national.max : pol->area.max;
		if (o->stat >= defs.ntables || o->status == OBS_MISSING || o->status == OBS_NA)
			continue;
		if (!national && (o->category == 4 || o->category == CAT_ALL))
			assert_int_equal(o->status, OBS_WITHHELD);
		if (o->value >= lo && o->value <= hi)
			assert_int_not_equal(o->status, OBS_OK);
	}
}

static void test_fixtures(void **state)
{
	struct dataset ds, again;
	struct policy pol;
	struct protect_summary sum;
	struct diag_list d = DIAG_LIST_INIT;
	int eligible = defs_find(&defs, "eligible");
	(void)state;
	policy_init_default(&pol);
	load_fixtures(&ds);
	assert_int_equal(protect_dataset(&ds, &defs, &pol, "test", &sum, &d), 0);
	assert_int_equal(ds.stage, STAGE_SUPPRESSED);
	assert_true(sum.primary > 0);
	assert_true(sum.secondary > 0);
	assert_int_equal(ds.secondary_count, sum.secondary);
	assert_policy_holds(&ds, &pol);
	assert_true(assert_audit_passes_as(&ds, &pol, 0) > 0);
	/* London publishes exactly the seed's tables: nothing of categories 1-3 is suppressed */
	for (size_t i = 0; i < ds.nobs; i++) {
		const struct obs *o = &ds.obs[i];
		if (strcmp(o->area, "E23000001") != 0 || o->category == 4 || o->category == CAT_ALL)
			continue;
		assert_true(o->status == OBS_OK || o->status == OBS_NA);
	}
	assert_int_equal(dataset_find(&ds, "E23000001", (unsigned)eligible, CAT_1_3, LEVEL_ALL)->value, 10621);
	/* the same input gives the same pattern */
	load_fixtures(&again);
	assert_int_equal(protect_dataset(&again, &defs, &pol, "test", NULL, &d), 0);
	assert_int_equal(again.nobs, ds.nobs);
	for (size_t i = 0; i < ds.nobs; i++)
		assert_int_equal(again.obs[i].status, ds.obs[i].status);
	dataset_release(&again);
	dataset_release(&ds);
}

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* A small count: many zeros, ones and twos, some larger. */
static long long small_count(void)
{
	unsigned k = rnd(10);
	return k < 3 ? 0 : k < 5 ? 1 : k < 6 ? 2 : (long long)rnd(12);
}

/* A random return for the area, satisfying every rule. */
static void random_return(struct area_return *r, const char *code)
{
	int el = defs_find(&defs, "eligible"), ma = defs_find(&defs, "managedAtLevel23");
	int rc = defs_find(&defs, "returnedToCustody"), sh = defs_find(&defs, "shpo");
	int sf = defs_find(&defs, "shpoForeignTravel");
	memset(r, 0, sizeof *r);
	snprintf(r->area_code, sizeof r->area_code, "%s", code);
	snprintf(r->period, sizeof r->period, "2022-23");
	snprintf(r->period_start, sizeof r->period_start, "2022-04-01");
	snprintf(r->period_end, sizeof r->period_end, "2023-03-31");
	snprintf(r->submitted, sizeof r->submitted, "2023-05-01");
	r->revision = 1;
	for (size_t t = 0; t < defs.ntables; t++)
		for (int c = 0; c <= 4; c++)
			for (int l = 0; l <= 3; l++)
				if (defs_has_cell(&defs.tables[t], c, l)) {
					r->cells[t][c][l].present = 1;
					r->cells[t][c][l].line = 1;
					r->cells[t][c][l].value = (l == 1 && (int)t == el) ? 20 + rnd(200)
											    : small_count();
				}
	for (int c = 1; c <= 4; c++)
		for (int l = 2; l <= 3; l++) {
			r->cells[ma][c][l].value += r->cells[el][c][l].value; /* managed >= eligible */
			r->cells[rc][c][l].value = r->cells[rc][c][l].value % (r->cells[ma][c][l].value + 1);
		}
	r->cells[sh][0][0].value += r->cells[sf][0][0].value; /* foreign travel <= shpo */
}

static void test_random_linked_tables(void **state)
{
	struct policy pol;
	(void)state;
	int refused = 0;
	policy_init_default(&pol);
	for (int round = 0; round < 40; round++) {
		size_t n = 2 + rnd(9);
		struct area_return *r = calloc(n, sizeof *r);
		struct dataset ds, again;
		struct diag_list d = DIAG_LIST_INIT;
		size_t used[AREAS_MAX] = { 0 };
		int r_ok;
		for (size_t i = 0; i < n; i++) {
			size_t a;
			do
				a = rnd((unsigned)areas.count);
			while (used[a]);
			used[a] = 1;
			random_return(&r[i], areas.items[a].code);
		}
		if (round % 4 == 3)
			pol.area.protect_zeros = pol.national.protect_zeros = 1;
		else
			pol.area.protect_zeros = pol.national.protect_zeros = 0;
		merge_returns(r, n, 1, &ds);
		merge_returns(r, n, 1, &again);
		r_ok = protect_dataset(&ds, &defs, &pol, "test", NULL, &d);
		if (r_ok == -2 && pol.area.protect_zeros && d.count &&
		    strstr(d.items[0].message, "who knows the method")) {
			/* zeros protected, and every cell of a national sum a primary (0-2): the
			   reader who knows the method knows the national figure is at most 2, and
			   the area that holds 2 of it that the others hold 0. No pattern protects
			   them: refused, and said so (round 35: three areas, 0, 2 and 0) */
			refused++;
			dataset_release(&ds);
			dataset_release(&again);
			diag_clear(&d);
			free(r);
			continue;
		}
		if (r_ok != 0)
			print_error("round %d: %s\n", round, d.count ? d.items[0].message : "");
		assert_int_equal(r_ok, 0);
		assert_int_equal(protect_dataset(&again, &defs, &pol, "test", NULL, &d), 0);
		assert_policy_holds(&ds, &pol);
		assert_audit_passes(&ds, &pol);
		for (size_t i = 0; i < ds.nobs; i++)
			assert_int_equal(again.obs[i].status, ds.obs[i].status);
		dataset_release(&ds);
		dataset_release(&again);
		free(r);
	}
	assert_true(refused <= 2); /* of the 10 rounds with zeros protected */
}

/* One area with a single small cell among large ones: the national total minus the other
 * areas would give it away unless a complement is suppressed in another area too. */
static void test_differencing_across_areas(void **state)
{
	struct area_return r[3];
	struct dataset ds;
	struct policy pol;
	struct diag_list d = DIAG_LIST_INIT;
	int el = defs_find(&defs, "eligible");
	(void)state;
	policy_init_default(&pol);
	for (int i = 0; i < 3; i++) {
		random_return(&r[i], areas.items[i].code);
		for (int c = 1; c <= 3; c++)
			for (int l = 1; l <= 3; l++)
				if (r[i].cells[el][c][l].present)
					r[i].cells[el][c][l].value = 50 + 10 * c + l;
	}
	r[1].cells[el][2][3].value = 1;
	for (int i = 0; i < 3; i++) { /* keep managed >= eligible */
		int ma = defs_find(&defs, "managedAtLevel23");
		for (int c = 1; c <= 4; c++)
			for (int l = 2; l <= 3; l++)
				if (r[i].cells[ma][c][l].value < r[i].cells[el][c][l].value)
					r[i].cells[ma][c][l].value = r[i].cells[el][c][l].value;
	}
	merge_returns(r, 3, 1, &ds);
	assert_int_equal(protect_dataset(&ds, &defs, &pol, "test", NULL, &d), 0);
	assert_int_equal(dataset_find(&ds, areas.items[1].code, (unsigned)el, 2, 3)->status, OBS_PRIMARY);
	{
		int others = 0;
		for (int i = 0; i < 3; i++)
			if (i != 1 && dataset_find(&ds, areas.items[i].code, (unsigned)el, 2, 3)->status != OBS_OK)
				others++;
		/* either another area's cell or the national cell is suppressed with it */
		assert_true(others > 0 ||
			    dataset_find(&ds, ds.national_code, (unsigned)el, 2, 3)->status != OBS_OK);
	}
	assert_audit_passes(&ds, &pol);
	dataset_release(&ds);
}

/*
 * The person alone in a cell of 1. In one area's category 2 row, level 1 and the total are
 * published and levels 2 and 3 hold 2 and 1: the outsider sees only that they sum to 3, but
 * the person in level 3 knows it is 1 and gets level 2 exactly. A pattern made for the
 * outsider alone must fail for that singleton (and name it); the default policy must suppress
 * a third cell of the row.
 */
static void singleton_row(struct dataset *ds)
{
	struct area_return r[3];
	int el = defs_find(&defs, "eligible"), ma = defs_find(&defs, "managedAtLevel23");
	for (int i = 0; i < 3; i++) {
		random_return(&r[i], areas.items[i].code);
		for (int c = 1; c <= 3; c++)
			for (int l = 1; l <= 3; l++)
				if (r[i].cells[el][c][l].present)
					r[i].cells[el][c][l].value = 50 + 10 * c + l;
	}
	for (int i = 0; i < 3; i++) /* zeros around: the cheapest complements */
		for (int c = 1; c <= 3; c++)
			for (int l = 2; l <= 3; l++)
				r[i].cells[el][c][l].value = 0;
	r[1].cells[el][2][2].value = 2;
	r[1].cells[el][2][3].value = 1;
	r[2].cells[el][2][2].value = 1;
	r[2].cells[el][2][3].value = 2;
	for (int i = 0; i < 3; i++)
		for (int c = 1; c <= 4; c++)
			for (int l = 2; l <= 3; l++)
				if (r[i].cells[ma][c][l].value < r[i].cells[el][c][l].value)
					r[i].cells[ma][c][l].value = r[i].cells[el][c][l].value;
	merge_returns(r, 3, 1, ds);
}

/*
 * The policy's last pass, stopped by its budget: the pattern before the stop is safe, and the
 * dataset is written (a stop was taken for a cell no pattern protects, and refused).
 */
static void test_last_pass_stopped(void **state)
{
	struct dataset ds, plain;
	struct policy pol;
	struct protect_summary sum;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	policy_init_default(&pol);
	load_fixtures(&plain);
	assert_int_equal(protect_dataset(&plain, &defs, &pol, "test", NULL, &d), 0);
	pol.publish_again = 1;
	pol.publish_again_lps = 1;
	load_fixtures(&ds);
	memset(&sum, 0, sizeof sum);
	if (protect_dataset(&ds, &defs, &pol, "test", &sum, &d) != 0) {
		diag_print(&d, stderr);
		fail_msg("a pass stopped by its budget refused the dataset");
	}
	assert_int_equal(sum.publish_again, 2);
	assert_int_equal(sum.published_again, 0);
	assert_int_equal(sum.audit_failures, 0);
	for (size_t i = 0; i < ds.nobs; i++)
		assert_int_equal(ds.obs[i].status, plain.obs[i].status);
	dataset_release(&ds);
	dataset_release(&plain);
	diag_clear(&d);
}

static void test_singleton_in_a_row(void **state)
{
	struct dataset ds;
	struct policy pol;
	struct protect_interval *iv;
	size_t n, found = 0;
	struct diag_list d = DIAG_LIST_INIT;
	int el = defs_find(&defs, "eligible");
	const char *code = areas.items[1].code;
	(void)state;
	policy_init_default(&pol);
	pol.insiders = pol.singletons = 0; /* the outsider alone */
	singleton_row(&ds);
	assert_int_equal(protect_dataset(&ds, &defs, &pol, "test", NULL, &d), 0);
	assert_int_equal(dataset_find(&ds, code, (unsigned)el, 2, 2)->status, OBS_PRIMARY);
	assert_int_equal(dataset_find(&ds, code, (unsigned)el, 2, 3)->status, OBS_PRIMARY);
	assert_int_equal(dataset_find(&ds, code, (unsigned)el, 2, 1)->status, OBS_OK);
	assert_int_equal(dataset_find(&ds, code, (unsigned)el, 2, LEVEL_ALL)->status, OBS_OK);
	policy_init_default(&pol);
	assert_int_equal(protect_audit(&ds, &defs, &pol, PROTECT_ALL, 1, "test", &iv, &n, NULL, &d), 0);
	for (size_t i = 0; i < n; i++) {
		const struct obs *o = &ds.obs[iv[i].row];
		if (iv[i].pass)
			continue;
		assert_int_not_equal(iv[i].attacker, PROTECT_OUTSIDER); /* the outsider passes */
		if (iv[i].attacker == PROTECT_SINGLETON && strcmp(o->area, code) == 0 &&
		    o->stat == (unsigned)el && o->category == 2 &&
		    o->level == 2) {
			const struct protect_cell_key *k = &iv[i].alone;
			assert_true(iv[i].has_alone);
			assert_false(k->earlier);
			assert_int_equal(iv[i].lo, 2);
			assert_int_equal(iv[i].hi, 2);
			/* the person in its level-3 cell of 1, or in a total of 1 over it (who
			   knows that cell too) */
			assert_true(k->category == 2 || k->category == CAT_ALL || k->category == CAT_1_3);
			assert_int_equal(k->level, 3);
			found++;
		}
	}
	assert_true(found >= 1); /* the person in the cell of 1, and in a total of 1 over it */
	free(iv);
	dataset_release(&ds);
	/* the default policy protects the row from its singleton */
	singleton_row(&ds);
	assert_int_equal(protect_dataset(&ds, &defs, &pol, "test", NULL, &d), 0);
	assert_true(dataset_find(&ds, code, (unsigned)el, 2, 1)->status != OBS_OK ||
		    dataset_find(&ds, code, (unsigned)el, 2, LEVEL_ALL)->status != OBS_OK);
	assert_audit_passes(&ds, &pol);
	dataset_release(&ds);
}

/*
 * A revision: the earlier bundle of the period published a cell that the new pattern would
 * withhold. Whoever kept the first bundle knows it; if it is the only complement of a primary
 * cell, the pair of publications pins that cell. protect_dataset_known must choose a pattern
 * that holds with that figure known to every reader.
 */
static void test_known_from_an_earlier_publication(void **state)
{
	struct dataset ds, again, known;
	struct policy pol;
	struct protect_interval *iv;
	struct protect_summary sum;
	size_t n, tries = 0;
	struct diag_list d = DIAG_LIST_INIT;
	const struct obs *hit = NULL;
	(void)state;
	policy_init_default(&pol);
	load_fixtures(&ds);
	assert_int_equal(protect_dataset(&ds, &defs, &pol, "test", NULL, &d), 0);
	/* a secondary cell whose publication would disclose a cell to the outsider */
	for (size_t i = 0; i < ds.nobs && !hit && tries < 80; i++) {
		const struct obs *o = &ds.obs[i];
		if (o->status != OBS_SECONDARY || o->value == 0)
			continue;
		tries++;
		dataset_init(&known);
		assert_int_equal(dataset_add(&known, o->area, o->stat, o->category, o->level,
					     o->value, OBS_OK), 0);
		assert_int_equal(protect_audit_known(&ds, &defs, &pol, &known, PROTECT_OUTSIDER, 0,
						     "test", &iv, &n, &sum, &d), 0);
		free(iv);
		if (sum.audit_failures > 0)
			hit = o;
		else
			dataset_release(&known);
	}
	assert_non_null(hit);
	/* the pattern made knowing that figure holds for every reader */
	load_fixtures(&again);
	assert_int_equal(protect_dataset_known(&again, &defs, &pol, &known, "test", &sum, &d),
			 0);
	assert_int_equal(sum.audit_failures, 0);
	assert_int_equal(protect_audit_known(&again, &defs, &pol, &known, PROTECT_ALL, 0, "test", &iv, &n,
					     &sum, &d), 0);
	free(iv);
	assert_int_equal(sum.audit_failures, 0);
	assert_int_equal(protect_audit_known(&again, &defs, &pol, &known, PROTECT_OUTSIDER, 1, "test", &iv,
					     &n, &sum, &d), 0);
	free(iv);
	assert_int_equal(sum.audit_failures, 0);
	dataset_release(&known);
	dataset_release(&again);
	dataset_release(&ds);
}

/*
 * The 2022-23 fixtures merged with one change: area's count (table, cat, lev) set to value
 * (area NULL: none), and the return of drop left out (NULL: none; the merge then allows a
 * missing area).
 */
static void load_fixtures_edit(struct dataset *out, const char *area, int table, int cat, int lev,
			       long long value, const char *drop)
{
	glob_t g;
	struct area_return *r;
	struct diag_list d = DIAG_LIST_INIT;
	size_t n = 0;
	assert_int_equal(glob("fixtures/returns/2022-23/*.xml", 0, NULL, &g), 0);
	r = calloc(g.gl_pathc, sizeof *r);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		assert_int_equal(validator_check_file(validator, g.gl_pathv[i], &r[n], &d), VALIDATOR_VALID);
		if (drop && strcmp(r[n].area_code, drop) == 0)
			continue;
		if (area && strcmp(r[n].area_code, area) == 0) {
			assert_true(r[n].cells[table][cat][lev].present);
			r[n].cells[table][cat][lev].value = value;
		}
		n++;
	}
	merge_returns(r, n, drop != NULL, out);
	free(r);
	globfree(&g);
	diag_clear(&d);
}

/* What a reader who kept the publication of src has: its figures, every withheld one "[c]". */
static void published_form(struct dataset *dst, const struct dataset *src)
{
	*dst = *src;
	dst->superseded = NULL;
	dst->nsuperseded = dst->superseded_alloc = 0;
	dst->obs = malloc((src->nobs + 1) * sizeof *dst->obs);
	assert_non_null(dst->obs);
	memcpy(dst->obs, src->obs, src->nobs * sizeof *dst->obs);
	dst->obs_alloc = src->nobs;
	for (size_t i = 0; i < dst->nobs; i++) {
		struct obs *o = &dst->obs[i];
		if (o->status == OBS_PRIMARY || o->status == OBS_SECONDARY || o->status == OBS_WITHHELD) {
			o->status = OBS_SECONDARY;
			o->value = 0;
		}
	}
}

/* The audit of both publications: every reader, and the outsider's every interval exact (the
   readers' own LPs for what no restricted view proves); the failures. */
static size_t joint_failures(const struct dataset *now, const struct dataset *known,
			     const struct policy *pol)
{
	struct protect_interval *iv;
	struct protect_summary sum;
	struct diag_list d = DIAG_LIST_INIT;
	size_t n, fails;
	assert_int_equal(protect_audit_known(now, &defs, pol, known, PROTECT_ALL, 0, "test", &iv, &n,
					     &sum, &d), 0);
	fails = sum.audit_failures;
	free(iv);
	assert_int_equal(protect_audit_known(now, &defs, pol, known, PROTECT_OUTSIDER, 1, "test", &iv,
					     &n, &sum, &d), 0);
	free(iv);
	diag_clear(&d);
	return fails + sum.audit_failures;
}

/*
 * A period published again after a revision (the leak a sweep found on 3 December): the
 * earlier national totals less the earlier figures of the changed area are the sum of the
 * unchanged areas, which the new national totals share, so a pattern chosen for the new
 * figures alone can pin the changed area's new protected cell, or its old figures, from the
 * pair of bundles. Three revisions of the fixtures: London's eligible category 1 level 1
 * turned into 1 (a new primary cell), Durham's return gone (its earlier figures, withheld
 * category 4 among them, are the differences of the national totals), and Durham's return
 * arriving late (missing in the first publication). For each: the pattern made without the
 * earlier publication fails the audit of both publications (the test is not vacuous), and
 * protect_dataset_known's pattern passes it for every reader; or it is refused (-2, S03): for
 * Durham gone, every national difference is one of Durham's earlier figures, its withheld
 * category 4 among them, and no pattern of these tables hides them all; for London's 1, every
 * other figure of London is tied to what the first bundle published (it did not change).
 */
static void test_revision_pair(void **state)
{
	static const struct {
		const char *area, *drop_before, *drop_now;
		int table, cat, lev;
		long long value;
	} cases[] = {
		{ "E23000001", NULL, NULL, 0, 1, 1, 1 },
		{ NULL, NULL, "E23000008", 0, 0, 0, 0 },
		{ NULL, "E23000008", NULL, 0, 0, 0, 0 },
	};
	struct policy pol;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	policy_init_default(&pol);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct dataset first, now, blind, known;
		struct series s;
		struct protect_summary sum;
		size_t nearlier = 0;
		int r;
		load_fixtures_edit(&first, NULL, 0, 0, 0, 0, cases[k].drop_before);
		assert_int_equal(protect_dataset(&first, &defs, &pol, "test", NULL, &d), 0);
		series_init(&s);
		s.republished = 1;
		s.before.present = 1;
		published_form(&s.before.ds, &first);
		load_fixtures_edit(&now, cases[k].area, cases[k].table, cases[k].cat, cases[k].lev,
				   cases[k].value, cases[k].drop_now);
		load_fixtures_edit(&blind, cases[k].area, cases[k].table, cases[k].cat, cases[k].lev,
				   cases[k].value, cases[k].drop_now);
		assert_int_equal(series_known_published(&s, &now, &defs, &known), 0);
		for (size_t i = 0; i < known.nobs; i++)
			nearlier += known.obs[i].area[0] == DATASET_EARLIER;
		assert_true(nearlier > 0);
		/* blind: alone it passes, with the earlier publication it does not */
		assert_int_equal(protect_dataset(&blind, &defs, &pol, "test", NULL, &d), 0);
		assert_true(joint_failures(&blind, &known, &pol) > 0);
		r = protect_dataset_known(&now, &defs, &pol, &known, "test", &sum, &d);
		assert_int_equal(sum.earlier, PROTECT_EARLIER_JOINT);
		if (cases[k].drop_now) {
			/* its earlier totals over categories 1-4, which no bundle shows, are in the
			   system too (a sweep: the pair gave away such a total of an area gone) */
			char code[AREA_CODE_MAX];
			snprintf(code, sizeof code, "%c0%s", DATASET_EARLIER, cases[k].drop_now);
			assert_non_null(dataset_find(&known, code, 0, CAT_ALL, LEVEL_ALL));
			assert_non_null(dataset_find(&known, code, 0, CAT_ALL, 3));
			/* every national difference is the area's earlier figure: no pattern of
			   the fixtures protects them all, and nothing is written; or (with the
			   people alone in totals of 1 as readers, whose protection withholds more
			   national cells) a pattern that passes the joint audit */
			if (r == 0) {
				assert_int_equal(joint_failures(&now, &known, &pol), 0);
				goto next;
			}
			assert_int_equal(r, -2);
			assert_true(d.count > 0);
			assert_string_equal(d.items[0].rule, "S03");
			diag_clear(&d);
			goto next;
		}
		if (r == -2) {
			/* London's 1 with every other figure of London tied to what the first
			   bundle published (a figure that did not change is the same figure:
			   tie_unchanged_cells): any total over it published gives it, and the
			   repairs find no pattern; refused, nothing written (S03) */
			assert_true(d.count > 0);
			assert_string_equal(d.items[0].rule, "S03");
			diag_clear(&d);
			goto next;
		}
		assert_int_equal(r, 0);
		assert_int_equal(d.count, 0);
		assert_int_equal(sum.earlier, PROTECT_EARLIER_JOINT);
		assert_int_equal(sum.audit_failures, 0);
		assert_int_equal(joint_failures(&now, &known, &pol), 0);
		if (cases[k].area) {
			/* with the earlier true values (its run folder's suppressed.obs): the same
			   system with true values and reasons for what it withheld, no unknowns */
			struct dataset known_t, now_t;
			size_t unknown = 0;
			assert_int_equal(series_attach_truth(&s, &now), -1); /* not its truth */
			assert_int_equal(s.have_truth, 0);
			assert_int_equal(series_attach_truth(&s, &first), 0);
			assert_int_equal(series_known_published(&s, &blind, &defs, &known_t), 0);
			for (size_t i = 0; i < known_t.nobs; i++)
				unknown += known_t.obs[i].area[0] == DATASET_EARLIER &&
					   known_t.obs[i].value < 0;
			assert_int_equal(unknown, 0);
			load_fixtures_edit(&now_t, cases[k].area, cases[k].table, cases[k].cat,
					   cases[k].lev, cases[k].value, cases[k].drop_now);
			assert_int_equal(protect_dataset_known(&now_t, &defs, &pol, &known_t, "test",
							       &sum, &d), 0);
			assert_int_equal(joint_failures(&now_t, &known_t, &pol), 0);
			dataset_release(&now_t);
			dataset_release(&known_t);
		}
		if (cases[k].area) {
			/* the simplest path closed: the new primary with both national totals and
			   its earlier figure published */
			const struct obs *x = dataset_find(&now, cases[k].area, 0, 1, 1);
			const struct obs *n2 = dataset_find(&now, now.national_code, 0, 1, 1);
			const struct obs *n1 = dataset_find(&first, first.national_code, 0, 1, 1);
			const struct obs *y = dataset_find(&first, cases[k].area, 0, 1, 1);
			assert_int_equal(x->status, OBS_PRIMARY);
			assert_false(n1->status == OBS_OK && y->status == OBS_OK && n2->status == OBS_OK);
		}
	next:
		series_release(&s);
		dataset_release(&known);
		dataset_release(&blind);
		dataset_release(&now);
		dataset_release(&first);
	}
	diag_clear(&d);
}

/* The 2022-23 fixtures merged with up to two changes: (area[i], table[i], cat, lev) = value. */
static void load_fixtures_edits(struct dataset *out, const char *const *area, const int *table,
				const int *cat, const int *lev, const long long *value, size_t n)
{
	glob_t g;
	struct area_return *r;
	struct diag_list d = DIAG_LIST_INIT;
	assert_int_equal(glob("fixtures/returns/2022-23/*.xml", 0, NULL, &g), 0);
	r = calloc(g.gl_pathc, sizeof *r);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		assert_int_equal(validator_check_file(validator, g.gl_pathv[i], &r[i], &d), VALIDATOR_VALID);
		for (size_t k = 0; k < n; k++)
			if (strcmp(r[i].area_code, area[k]) == 0) {
				assert_true(r[i].cells[table[k]][cat[k]][lev[k]].present);
				r[i].cells[table[k]][cat[k]][lev[k]].value = value[k];
			}
	}
	merge_returns(r, g.gl_pathc, 0, out);
	free(r);
	globfree(&g);
	diag_clear(&d);
}

/*
 * Three publications of a period (a sweep on 3 December): A the fixtures; B London's
 * notificationOrder 7 made 1; C London's made 2 and Durham's eligible category 1 level 1
 * made 1. C solved with B alone was published, and Durham's data lead holding A and C pinned
 * London's 2. Every earlier publication is a system of its own (series_known_more): C made so
 * passes with A and B known; the pattern made with B alone does not.
 */
static void test_revision_three_publications(void **state)
{
	const char *areas2[] = { "E23000001", "E23000008" };
	int no = dataset_stat_find(&defs, "notificationOrder"), tables[] = { 0, 0 };
	int cats[] = { CAT_NONE, 1 }, levs[] = { LEVEL_NONE, 2 };
	long long vb[] = { 1 }, vc[] = { 2, 1 };
	struct dataset a, b, c, cb, known, known_b;
	struct series sa, sb;
	struct policy pol;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	assert_true(no >= 0);
	tables[0] = no;
	policy_init_default(&pol);
	load_fixtures(&a);
	assert_int_equal(protect_dataset(&a, &defs, &pol, "test", NULL, &d), 0);
	series_init(&sa);
	sa.republished = 1;
	sa.before.present = 1;
	published_form(&sa.before.ds, &a);
	/* B, made with A known */
	load_fixtures_edits(&b, areas2, tables, cats, levs, vb, 1);
	assert_int_equal(series_known_published(&sa, &b, &defs, &known), 0);
	assert_int_equal(protect_dataset_known(&b, &defs, &pol, &known, "test", NULL, &d), 0);
	dataset_release(&known);
	series_init(&sb);
	sb.republished = 1;
	sb.before.present = 1;
	published_form(&sb.before.ds, &b);
	/* C with B alone, and C with B and A */
	load_fixtures_edits(&c, areas2, tables, cats, levs, vc, 2);
	load_fixtures_edits(&cb, areas2, tables, cats, levs, vc, 2);
	assert_int_equal(series_known_published(&sb, &c, &defs, &known_b), 0);
	assert_int_equal(series_known_published(&sb, &c, &defs, &known), 0);
	assert_int_equal(series_known_more(&sa, &c, &defs, 1, '1', &known), 0);
	{
		/* made with B alone: it failed with A too; with the figures that did not change
		   tied to B's (6 December), B's pattern may pass with A as well, or no pattern
		   protects it even from B's readers, and nothing is written. What counts is
		   below: made with A and B, it passes every reader of the three */
		int r = protect_dataset_known(&cb, &defs, &pol, &known_b, "test", NULL, &d);
		if (r != 0)
			assert_int_equal(r, -2);
		diag_clear(&d);
	}
	{
		int rr = protect_dataset_known(&c, &defs, &pol, &known, "test", NULL, &d);
		assert_int_equal(rr, 0);
	}
	assert_int_equal(d.count, 0);
	assert_int_equal(joint_failures(&c, &known, &pol), 0);
	series_release(&sa);
	series_release(&sb);
	dataset_release(&known);
	dataset_release(&known_b);
	dataset_release(&cb);
	dataset_release(&c);
	dataset_release(&b);
	dataset_release(&a);
	diag_clear(&d);
}

/* The fixtures with notificationBreach 1 in five areas (FIVE_ONES), 0 in the others but the
   first, which holds first: the table's index. */
static const size_t FIVE_ONES[] = { 3, 11, 19, 27, 35 };

static int load_five_ones(struct dataset *ds, long long first)
{
	const char *area[AREAS_MAX];
	int table[AREAS_MAX], cat[AREAS_MAX], lev[AREAS_MAX];
	long long value[AREAS_MAX];
	int nb = defs_find(&defs, "notificationBreach");
	assert_true(nb >= 0);
	assert_int_equal(areas.count, 42);
	for (size_t i = 0; i < areas.count; i++) {
		area[i] = areas.items[i].code;
		table[i] = nb;
		cat[i] = CAT_NONE;
		lev[i] = LEVEL_NONE;
		value[i] = i == 0 ? first : 0;
	}
	for (size_t k = 0; k < 5; k++)
		value[FIVE_ONES[k]] = 1;
	load_fixtures_edits(ds, area, table, cat, lev, value, areas.count);
	return nb;
}

/*
 * The reader who knows the method (QA, 7 December; docs/disclosure-method.md). Every area's
 * notificationBreach is 0 but five that hold 1: the national figure is 5, and a complement is
 * withheld only where some reader needs one. With only the five withheld under a published
 * national 5, none can have been needed (publishing one leaves four unknown to any one
 * reader), so each is a primary, 1 or 2, and all five are 1: the outsider's plain LP finds
 * each in [0, 5], and the reader who knows the method [1, 1]. The suppression withholds more
 * (the national figure, or another area's), and every reader passes knowing the method.
 */
static void test_method_reader(void **state)
{
	struct dataset ds;
	struct policy pol;
	struct protect_summary sum;
	struct protect_interval *iv;
	size_t n, pinned = 0, withheld = 0;
	struct diag_list d = DIAG_LIST_INIT;
	int nb;
	(void)state;
	policy_init_default(&pol);
	nb = load_five_ones(&ds, 0);
	assert_int_equal(protect_dataset(&ds, &defs, &pol, "test", &sum, &d), 0);
	assert_true(sum.identified > 0);
	for (size_t k = 0; k < 5; k++)
		assert_int_equal(dataset_find(&ds, areas.items[FIVE_ONES[k]].code, (unsigned)nb, CAT_NONE,
					      LEVEL_NONE)->status, OBS_PRIMARY);
	/* more than the five is withheld in the national sum */
	for (size_t i = 0; i < ds.nobs; i++) {
		const struct obs *o = &ds.obs[i];
		if (o->stat == (unsigned)nb && obs_status_withheld(o->status))
			withheld++;
	}
	assert_true(withheld > 5);
	assert_audit_passes_as(&ds, &pol, 0);

	/* the pattern made as if no reader knew the method: only the five withheld */
	for (size_t i = 0; i < ds.nobs; i++) {
		struct obs *o = &ds.obs[i];
		if (o->stat == (unsigned)nb && o->status != OBS_PRIMARY)
			o->status = OBS_OK;
	}
	assert_int_equal(protect_audit(&ds, &defs, &pol, PROTECT_ALL, 0, "test", &iv, &n, &sum, &d), 0);
	for (size_t i = 0; i < n; i++) {
		const struct obs *o = &ds.obs[iv[i].row];
		if (o->stat != (unsigned)nb || iv[i].pass || iv[i].attacker != PROTECT_OUTSIDER)
			continue;
		assert_int_equal(iv[i].lo, 1);
		assert_int_equal(iv[i].hi, 1);
		assert_int_equal(iv[i].method, 2);
		pinned++;
	}
	assert_int_equal(pinned, 5);
	free(iv);
	/* without the true values the audit cannot tell primaries, and sees only the LP: [0, 5] */
	assert_int_equal(protect_audit(&ds, &defs, &pol, PROTECT_OUTSIDER, 1, "test", &iv, &n, &sum, &d), 0);
	for (size_t i = 0; i < n; i++) {
		const struct obs *o = &ds.obs[iv[i].row];
		if (o->stat != (unsigned)nb)
			continue;
		assert_true(iv[i].pass);
		assert_int_equal(iv[i].lo, 0);
		assert_int_equal(iv[i].hi, 5);
		assert_int_equal(iv[i].method, 0);
	}
	free(iv);
	dataset_release(&ds);
	diag_clear(&d);
}

/*
 * The reader who knows the method, holding both bundles of a revision. The first publication
 * withholds five areas' notificationBreach of 1 and, for this reader, more of the national
 * sum. A revision changes a sixth area's 0 to 3. The pattern of the revision is chosen and
 * audited in the joint system, where this reader identifies primaries in each bundle's
 * pattern (method_identified): the revision passes every reader so, and the same pattern
 * with every national and area figure around the five published that can be (what the
 * joint system's plain audit alone allowed before, when this reader was not read in a
 * revision) pins them.
 */
static void test_method_reader_revision(void **state)
{
	struct dataset first, now, known;
	struct series s;
	struct policy pol;
	struct protect_summary sum;
	struct protect_interval *iv;
	size_t n, method_fails = 0;
	struct diag_list d = DIAG_LIST_INIT;
	int nb;
	(void)state;
	policy_init_default(&pol);
	nb = load_five_ones(&first, 0);
	assert_int_equal(protect_dataset(&first, &defs, &pol, "test", NULL, &d), 0);
	series_init(&s);
	s.republished = 1;
	s.before.present = 1;
	published_form(&s.before.ds, &first);
	assert_int_equal(series_attach_truth(&s, &first), 0);
	(void)load_five_ones(&now, 3);
	assert_int_equal(series_known_published(&s, &now, &defs, &known), 0);
	assert_int_equal(protect_dataset_known(&now, &defs, &pol, &known, "test", &sum, &d), 0);
	assert_int_equal(sum.earlier, PROTECT_EARLIER_JOINT);
	assert_int_equal(sum.audit_failures, 0);
	assert_int_equal(joint_failures(&now, &known, &pol), 0);
	for (size_t k = 0; k < 5; k++)
		assert_int_equal(dataset_find(&now, areas.items[FIVE_ONES[k]].code, (unsigned)nb, CAT_NONE,
					      LEVEL_NONE)->status, OBS_PRIMARY);
	/* every notificationBreach figure that is not one of the five published */
	for (size_t i = 0; i < now.nobs; i++) {
		struct obs *o = &now.obs[i];
		if (o->stat == (unsigned)nb && obs_status_withheld(o->status) &&
		    o->status != OBS_PRIMARY)
			o->status = OBS_OK;
	}
	assert_int_equal(protect_audit_known(&now, &defs, &pol, &known, PROTECT_ALL, 0, "test", &iv,
					     &n, &sum, &d), 0);
	for (size_t i = 0; i < n; i++)
		if (!iv[i].pass && iv[i].method)
			method_fails++;
	free(iv);
	assert_true(method_fails > 0);
	series_release(&s);
	dataset_release(&known);
	dataset_release(&now);
	dataset_release(&first);
	diag_clear(&d);
}

/*
 * Two publications that disagree: London's eligible category 1 level 1 changes where both
 * bundles show it, and Cumbria's category 4 level 1 (never published per area) grows by more
 * than London's earlier category 4 level 1, so that Cumbria looks unchanged and no earlier
 * figures satisfy both publications' national totals (PROTECT_EARLIER_DISAGREES). It is
 * refused (S03 at the dataset), nothing applied: without the earlier true values no audit
 * knows what a reader of both bundles learns. It used to fall back to the figures the earlier
 * publication published for the unchanged areas, and such a pattern, run with a bundle copied
 * alone into --history, let the person in a cell of 1 pin a figure withheld by policy.
 */
static void test_revision_disagrees(void **state)
{
	struct dataset first, now, known;
	struct series s;
	struct policy pol;
	struct protect_summary sum;
	struct diag_list d = DIAG_LIST_INIT;
	const struct obs *l4;
	long long cumbria4 = -1;
	glob_t g;
	(void)state;
	policy_init_default(&pol);
	load_fixtures(&first);
	l4 = dataset_find(&first, "E23000001", 0, 4, 1);
	assert_non_null(l4);
	{
		/* Cumbria's category 4 level 1 in its return */
		struct area_return r;
		assert_int_equal(glob("fixtures/returns/2022-23/E23000002.xml", 0, NULL, &g), 0);
		assert_int_equal(validator_check_file(validator, g.gl_pathv[0], &r, &d), VALIDATOR_VALID);
		globfree(&g);
		assert_true(r.cells[0][4][1].present);
		cumbria4 = r.cells[0][4][1].value;
	}
	assert_int_equal(protect_dataset(&first, &defs, &pol, "test", NULL, &d), 0);
	series_init(&s);
	s.republished = 1;
	s.before.present = 1;
	published_form(&s.before.ds, &first);
	{
		/* both changes: London's visible one, Cumbria's hidden one */
		glob_t gg;
		struct area_return *r;
		size_t n = 0;
		assert_int_equal(glob("fixtures/returns/2022-23/*.xml", 0, NULL, &gg), 0);
		r = calloc(gg.gl_pathc, sizeof *r);
		for (size_t i = 0; i < gg.gl_pathc; i++, n++) {
			assert_int_equal(validator_check_file(validator, gg.gl_pathv[i], &r[n], &d),
					 VALIDATOR_VALID);
			if (strcmp(r[n].area_code, "E23000001") == 0)
				r[n].cells[0][1][1].value = 1;
			if (strcmp(r[n].area_code, "E23000002") == 0)
				r[n].cells[0][4][1].value = cumbria4 + l4->value + 10;
		}
		merge_returns(r, n, 0, &now);
		free(r);
		globfree(&gg);
	}
	assert_int_equal(series_known_published(&s, &now, &defs, &known), 0);
	assert_int_equal(series_area_revised(&s, &now, &defs, "E23000002"), 0);
	assert_int_equal(protect_dataset_known(&now, &defs, &pol, &known, "test", &sum, &d), -2);
	assert_int_equal(sum.earlier, PROTECT_EARLIER_DISAGREES);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].rule, "S03");
	assert_string_equal(d.items[0].file, "test");
	assert_non_null(strstr(d.items[0].message, "disagree for the areas taken as unchanged"));
	for (size_t i = 0; i < now.nobs; i++)
		assert_true(now.obs[i].status == OBS_OK || now.obs[i].status == OBS_NA);
	series_release(&s);
	dataset_release(&known);
	dataset_release(&now);
	dataset_release(&first);
	diag_clear(&d);
}

/*
 * A published bundle completed with its dataset's true values (mappa-audit --dataset) is the
 * system the pattern was chosen in: the figures it never shows (an area's totals over
 * categories 1-4, the nation's over 1-3) come back as unknowns. Without them the bundle's
 * system had 2,537 cells for the dataset's 2,967, the reader who knows the method took a
 * complement of a never-shown total for a primary, and a published bundle failed (A02,
 * "the pattern shows this cell is a primary") where its dataset passed.
 */
static void test_attach_truth_never_published(void **state)
{
	struct dataset truth, pub;
	struct policy pol;
	struct protect_summary sum, psum;
	struct protect_interval *iv = NULL, *piv = NULL;
	size_t n, pn, dropped = 0, j = 0;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	policy_init_default(&pol);
	dataset_init(&truth);
	load_fixtures(&truth);
	assert_int_equal(protect_dataset(&truth, &defs, &pol, "test", &sum, &d), 0);
	published_form(&pub, &truth);
	for (size_t i = 0; i < pub.nobs; i++) {
		const struct obs *o = &pub.obs[i];
		int national = strcmp(o->area, pub.national_code) == 0;
		if ((national && o->category == CAT_1_3) || (!national && o->category == CAT_ALL))
			dropped++;
		else
			pub.obs[j++] = *o;
	}
	pub.nobs = j;
	pub.nobs_sorted = 0;
	assert_true(dropped > 42);
	assert_int_equal(protect_attach_truth(&pub, &truth, &defs, "test", &d), 0);
	assert_int_equal(pub.nobs, truth.nobs);
	for (size_t i = 0; i < truth.nobs; i++) {
		const struct obs *t = &truth.obs[i];
		const struct obs *o = dataset_find(&pub, t->area, t->stat, t->category, t->level);
		assert_non_null(o);
		assert_int_equal(o->value, t->value);
		assert_int_equal(obs_status_withheld(o->status), obs_status_withheld(t->status));
	}
	/* the same audit, every reader: the same cells, the same primaries read from the pattern */
	assert_int_equal(protect_audit(&truth, &defs, &pol, PROTECT_ALL, 0, "test", &iv, &n, &sum, &d), 0);
	assert_int_equal(protect_audit(&pub, &defs, &pol, PROTECT_ALL, 0, "test", &piv, &pn, &psum, &d), 0);
	assert_int_equal(pn, n);
	assert_int_equal(psum.audit_failures, 0);
	assert_int_equal(sum.audit_failures, 0);
	assert_int_equal(psum.identified, sum.identified);
	free(iv);
	free(piv);
	free(pub.obs);
	dataset_release(&truth);
	diag_clear(&d);
}

static void test_refuses_unmerged(void **state)
{
	struct dataset ds;
	struct policy pol;
	struct diag_list d = DIAG_LIST_INIT;
	(void)state;
	dataset_init(&ds);
	policy_init_default(&pol);
	assert_int_equal(protect_dataset(&ds, &defs, &pol, "test", NULL, &d), -1);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].file, "test");
	assert_string_equal(d.items[0].rule, "S02");
	assert_int_equal(d.items[0].line, 0);
	assert_non_null(strstr(d.items[0].message, "merged"));
	diag_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_random_linked_tables),
		cmocka_unit_test(test_differencing_across_areas),
		cmocka_unit_test(test_last_pass_stopped),
		cmocka_unit_test(test_singleton_in_a_row),
		cmocka_unit_test(test_known_from_an_earlier_publication),
		cmocka_unit_test(test_revision_pair),
		cmocka_unit_test(test_revision_disagrees),
		cmocka_unit_test(test_revision_three_publications),
		cmocka_unit_test(test_refuses_unmerged),
		cmocka_unit_test(test_method_reader),
		cmocka_unit_test(test_method_reader_revision),
		cmocka_unit_test(test_attach_truth_never_published),
	};
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, setup, teardown);
}
