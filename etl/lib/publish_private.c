/*
 * publish_private: the names, titles, labels and shared sentences of the publication (see
 * publish_private.h).
 */
#include "publish_private.h"

#include <stdio.h>
#include <string.h>

#include "pivot.h"
#include "publish.h"

const struct policy *publish_policy(const struct policy *pol, struct policy *def)
{
	if (pol)
		return pol;
	policy_init_default(def);
	return def;
}

const char *publish_threshold_words(const struct policy_threshold *t, enum publish_lang lang,
				    char *buf, size_t size)
{
	long long lo = (long long)t->min, hi = (long long)t->max;
	const char *sep = lang == PUBLISH_CY ? ", neu " : ", or ";
	const char *prefix = "";

	if (t->protect_zeros && lo == 1)
		lo = 0;	/* 0 to 2 */
	else if (t->protect_zeros)
		prefix = "0";	/* 0, or 3 to 5 */
	if (lo == hi)
		snprintf(buf, size, "%s%s%lld", prefix, *prefix ? sep : "", lo);
	else
		snprintf(buf, size, lo + 1 == hi && !*prefix
				 ? (lang == PUBLISH_CY ? "%s%s%lld neu %lld" : "%s%s%lld or %lld")
				 : (lang == PUBLISH_CY ? "%s%s%lld i %lld" : "%s%s%lld to %lld"),
			 prefix, *prefix ? sep : "", lo, hi);
	return buf;
}

int publish_same_threshold(const struct policy *pol)
{
	return pol->area.min == pol->national.min && pol->area.max == pol->national.max &&
	       !pol->area.protect_zeros == !pol->national.protect_zeros;
}

void publish_counts_rule(const struct policy *pol, struct strbuf *out)
{
	char a[64], n[64];

	publish_threshold_words(&pol->area, PUBLISH_EN, a, sizeof a);
	if (publish_same_threshold(pol)) {
		strbuf_addf(out, "%s in area and national tables", a);
		return;
	}
	strbuf_addf(out, "%s in area tables and %s in national tables", a,
		    publish_threshold_words(&pol->national, PUBLISH_EN, n, sizeof n));
}

void publish_zeros_rule(const struct policy *pol, struct strbuf *out)
{
	if (!pol->area.protect_zeros && !pol->national.protect_zeros)
		strbuf_puts(out, "; zeros are published");
	else if (!pol->area.protect_zeros)
		strbuf_puts(out, "; zeros are published in area tables");
	else if (!pol->national.protect_zeros)
		strbuf_puts(out, "; zeros are published in national tables");
}

size_t publish_stat_order(const struct defs *defs, unsigned *out)
{
	static const char *const seed[] = { "eligible", "managedAtLevel23", "notificationBreach",
		"notificationRevoked", "shpo", "shpoForeignTravel", "notificationOrder", "sroBreach",
		"returnedToCustody", "shpoBreach" };
	size_t n = 0;
	unsigned total = dataset_stat_count(defs);
	unsigned char used[DEFS_MAX_TABLES + DEFS_MAX_RATES] = { 0 };

	for (size_t i = 0; i < sizeof seed / sizeof seed[0]; i++) {
		int s = dataset_stat_find(defs, seed[i]);
		if (s >= 0 && (unsigned)s < defs->ntables) {
			out[n++] = (unsigned)s;
			used[s] = 1;
		}
	}
	for (unsigned s = 0; s < total; s++)
		if (!used[s])
			out[n++] = s;
	return n;
}

int publish_is_single(const struct defs *defs, unsigned stat)
{
	return stat < defs->ntables && !pivot_has_categories(defs, stat) && !pivot_has_levels(defs, stat);
}

const char *publish_area_name(const struct dataset *ds, const char *code)
{
	if (strcmp(code, ds->national_code) == 0)
		return ds->national_name;
	for (size_t i = 0; i < ds->nareas; i++)
		if (strcmp(ds->areas[i].code, code) == 0)
			return ds->areas[i].name;
	return code;
}

long long publish_population_of(const struct dataset *ds, const char *code, int *approximate)
{
	const struct dataset_area *a = dataset_area_find(ds, code);

	*approximate = 0;
	if (a) {
		*approximate = a->population_approximate;
		return a->population;
	}
	if (strcmp(code, ds->national_code) != 0)
		return 0;
	for (size_t i = 0; i < ds->nareas; i++)
		if (ds->areas[i].state == AREA_PRESENT)
			*approximate |= ds->areas[i].population_approximate;
	return dataset_national_population(ds);
}

size_t publish_count_approximate(const struct dataset *ds)
{
	size_t n = 0;
	for (size_t i = 0; i < ds->nareas; i++)
		n += ds->areas[i].population_approximate != 0;
	return n;
}

void publish_stat_title(const struct dataset *ds, const struct defs *defs, unsigned stat,
			char *buf, size_t size)
{
	publish_stat_title_lang(ds, defs, stat, PUBLISH_EN, buf, size);
}

void publish_stat_title_lang(const struct dataset *ds, const struct defs *defs, unsigned stat,
			     enum publish_lang lang, char *buf, size_t size)
{
	int y1 = 0, y2 = 0;
	const char *code = publish_msg(lang, MSG_LANG_CODE);
	const char *t = stat < defs->ntables
		? defs_title(defs->tables[stat].title, defs->tables[stat].title_cy, code)
		: defs_title(defs->rates[stat - defs->ntables].title,
			     defs->rates[stat - defs->ntables].title_cy, code);
	char day[40];
	size_t n = strlen(t), k;
	/* "31 March", "31 Mawrth": the day the stock is counted, in the title's language */
	publish_lang_date(lang, "2000-03-31", day, sizeof day);
	k = strlen(day) - 5;
	publish_period_years(ds->period, &y1, &y2);
	if (n >= k && strncmp(t + n - k, day, k) == 0)
		snprintf(buf, size, "%s %d", t, y2);
	else
		snprintf(buf, size, "%s", t);
}

const char *publish_category_label(int cat, enum publish_lang lang)
{
	switch (cat) {
	case 1: return publish_msg(lang, MSG_CATEGORY_1);
	case 2: return publish_msg(lang, MSG_CATEGORY_2);
	case 3: return publish_msg(lang, MSG_CATEGORY_3);
	case 4: return publish_msg(lang, MSG_CATEGORY_4);
	case CAT_ALL: return publish_msg(lang, MSG_CATEGORY_ALL);
	case CAT_1_3: return publish_msg(lang, MSG_CATEGORY_1_3);
	default: return publish_msg(lang, MSG_NUMBER);
	}
}

const char *publish_level_label(int level, enum publish_lang lang, char *buf, size_t size)
{
	if (level == LEVEL_ALL)
		return publish_msg(lang, MSG_TOTAL);
	if (level < 1 || level > 3)
		return "";
	snprintf(buf, size, publish_msg(lang, MSG_LEVEL_N), level);
	return buf;
}

void publish_period_label(const struct dataset *ds, char *buf, size_t size)
{
	int y1 = 0, y2 = 0;
	publish_period_years(ds->period, &y1, &y2);
	snprintf(buf, size, "%d/%02d", y1, y2 % 100);
}

void publish_missing_sentence(const struct dataset *ds, struct strbuf *out)
{
	size_t n = dataset_areas_in(ds, AREA_MISSING), k = 0;

	for (size_t i = 0; i < ds->nareas; i++) {
		if (ds->areas[i].state != AREA_MISSING)
			continue;
		k++;
		strbuf_puts(out, k == 1 ? "" : k == n ? " and " : ", ");
		strbuf_puts(out, ds->areas[i].name);
	}
	strbuf_addf(out, " sent no valid return for the period: %s figures are not "
		    "available [x], and the national figures cover the other %zu area%s.",
		    n == 1 ? "its" : "their", ds->nareas - n, ds->nareas - n == 1 ? "" : "s");
}

void publish_population_sources(const struct dataset *ds, const struct areas *ref, struct strbuf *out)
{
	size_t approx = publish_count_approximate(ds), n = ds->nareas;

	if (approx == 0) {
		strbuf_addf(out, "Population aged 10 and over, the denominator of the rate per 100,000: %s.",
			    ds->population_source);
		return;
	}
	if (approx == n)
		strbuf_addf(out, "Population aged 10 and over, the denominator of the rate per 100,000: "
			    "the population%s of %s %zu area%s %s approximation%s, not official estimates.",
			    n == 1 ? "" : "s", n == 1 ? "the" : "all", n, n == 1 ? "" : "s",
			    n == 1 ? "is an" : "are", n == 1 ? "" : "s");
	else
		strbuf_addf(out, "Population aged 10 and over, the denominator of the rate per 100,000: "
			    "%s for %zu area%s; the population%s of the other %zu %s approximation%s, not "
			    "official estimates.", ds->population_source, n - approx, n - approx == 1 ? "" : "s",
			    approx == 1 ? "" : "s", approx, approx == 1 ? "is an" : "are", approx == 1 ? "" : "s");
	if (ref && ref->approximation_method[0])
		strbuf_addf(out, " Each approximation is %s.", ref->approximation_method);
	if (ref && ref->approximation_source[0])
		strbuf_addf(out, " Made from: %s.", ref->approximation_source);
	strbuf_puts(out, " The rates per 100,000 that use them are approximate too, and will change "
			 "when the official estimates replace them.");
}

void publish_population_note(const struct dataset *ds, const char *area, struct strbuf *out)
{
	int approx;
	long long pop = publish_population_of(ds, area, &approx);
	char buf[32];

	strbuf_puts(out, publish_msg(PUBLISH_EN, MSG_POP_NOTE));
	strbuf_puts(out, pivot_format_number(pop, buf, sizeof buf));
	if (!approx) {
		strbuf_puts(out, "), using ");
		strbuf_puts(out, ds->population_source);
		strbuf_puts(out, ".");
	} else if (strcmp(area, ds->national_code) == 0) {
		strbuf_puts(out, ", the sum of the areas' populations). ");
		strbuf_puts(out, publish_count_approximate(ds) == ds->nareas ? "Every area's population is"
				 : "Some areas' populations are");
		strbuf_puts(out, " an approximation, not an official estimate (README.txt says how each "
				 "was made), so the rate is approximate too.");
	} else {
		strbuf_puts(out, publish_msg(PUBLISH_EN, MSG_POP_APPROXIMATE));
	}
}

/* An area's population note in Welsh (the national page is in English only). */
static void population_note_cy(const struct dataset *ds, const char *area, struct strbuf *out)
{
	const struct dataset_area *a = dataset_area_find(ds, area);
	char buf[32];

	strbuf_puts(out, publish_msg(PUBLISH_CY, MSG_POP_NOTE));
	strbuf_puts(out, pivot_format_number(a ? a->population : 0, buf, sizeof buf));
	if (a && !a->population_approximate)
		strbuf_addf(out, publish_msg(PUBLISH_CY, MSG_POP_OFFICIAL), ds->population_source);
	else
		strbuf_puts(out, publish_msg(PUBLISH_CY, MSG_POP_APPROXIMATE));
}

void publish_population_note_lang(const struct dataset *ds, const char *area, enum publish_lang lang,
				  struct strbuf *out)
{
	if (lang == PUBLISH_CY && strcmp(area, ds->national_code) != 0)
		population_note_cy(ds, area, out);
	else
		publish_population_note(ds, area, out);
}

/* The release items in lang: labels, dates, source and licence translated; the values the
 * producer configured (names, addresses) as they are. */
void publish_release_items_lang(const struct publish_release *r, enum publish_lang lang,
				struct publish_release_item *it)
{
	char d[60];

	publish_release_items(r, it);
	if (lang == PUBLISH_EN)
		return;
	for (size_t i = 0; i < PUBLISH_RELEASE_ITEMS; i++)
		it[i].label = publish_msg(lang, (enum publish_msg)(MSG_REL_DATE + i));
	snprintf(it[0].value, sizeof it[0].value, "%s", publish_lang_date(lang, r->date, d, sizeof d));
	snprintf(it[1].value, sizeof it[1].value, "%s%s", publish_lang_date(lang, r->next, d, sizeof d),
		 publish_msg(lang, MSG_REL_PROVISIONAL));
	snprintf(it[3].value, sizeof it[3].value, "%s", publish_msg(lang, MSG_REL_SOURCE_TEXT));
	snprintf(it[8].value, sizeof it[8].value, "%s", publish_msg(lang, MSG_REL_LICENCE_TEXT));
	snprintf(it[8].href, sizeof it[8].href, "%s", publish_msg(lang, MSG_REL_LICENCE_URL));
}

size_t publish_welsh_summary(const struct dataset *ds, const struct areas *ref, enum publish_lang lang,
			     int files, struct strbuf *out)
{
	struct strbuf names = STRBUF_INIT;
	size_t n = 0;
	int y1 = 0, y2 = 0;

	for (size_t i = 0; i < ds->nareas; i++) {
		const struct area *ra;
		if (!publish_lang_has_welsh(ds->areas[i].code))
			continue;
		ra = ref ? areas_find(ref, ds->areas[i].code) : NULL;
		strbuf_puts(&names, n++ ? ", " : "");
		strbuf_puts(&names, lang == PUBLISH_CY && ra && ra->name_cy[0] ? ra->name_cy : ds->areas[i].name);
	}
	if (n == 0)
		return 0;
	if (strbuf_ok(&names) != 0)
		out->failed = 1;
	publish_period_years(ds->period, &y1, &y2);
	strbuf_addf(out, publish_msg(lang, MSG_WELSH_SUMMARY), y1, y2, names.data ? names.data : "");
	if (files) {
		strbuf_puts(out, " ");
		strbuf_puts(out, publish_msg(lang, MSG_WELSH_FILES));
	}
	strbuf_release(&names);
	return n;
}

size_t publish_notes_at(const char *in)
{
	const char *p = strstr(in, " [note ");
	return p ? (size_t)(p - in) : strlen(in);
}

void publish_strip_notes(const char *in, char *out, size_t size)
{
	size_t n = publish_notes_at(in);
	if (n >= size)
		n = size - 1;
	memcpy(out, in, n);
	out[n] = '\0';
}

void publish_symbol_line(const struct policy *pol, enum publish_lang lang, enum publish_msg msg,
			 int national, struct strbuf *out)
{
	char a[64], n[64], both[200];

	if (msg != MSG_SYMBOL_C) {
		strbuf_puts(out, publish_msg(lang, msg));
		return;
	}
	publish_threshold_words(&pol->area, lang, a, sizeof a);
	if (national && !publish_same_threshold(pol)) {
		publish_threshold_words(&pol->national, lang, n, sizeof n);
		snprintf(both, sizeof both, lang == PUBLISH_CY
				 ? "%s mewn tabl ardal neu %s mewn tabl cenedlaethol"
				 : "%s in an area table or %s in a national table", a, n);
		strbuf_addf(out, publish_msg(lang, msg), both);
	} else
		strbuf_addf(out, publish_msg(lang, msg), a);
}

/* Category 3 at level 1 cannot exist: the annual reports show "-" there. */
const char *publish_display_symbol(const char *symbol, int report_style)
{
	if (report_style && strcmp(symbol, "[z]") == 0)
		return "-";
	return symbol;
}

const char *const publish_symbol_lines[] = {
	"[c] confidential: withheld so that no individual can be identified. A count of %s is "
	"not published, nor any figure from which such a count could be worked out; Category 4 "
	"figures are never published for an area and appear only in the national tables.",
	"- (or [z]) not applicable: Category 3 individuals cannot be managed at level 1.",
	"[x] not available: the area sent no valid return for the period.",
};
