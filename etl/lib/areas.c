#include "areas.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "quote.h"
#include "xmlsafe.h"

#define REF_NS "urn:mappa:reference:1"

static const struct xmlsafe_load_rules ref_rules = { { "F01", "F02" }, "F00", "F03" };

/*
 * The texts of <population> are printed on every page and written into every observations
 * file (its population-source line): one of them holding a control character (C0, DEL, C1
 * such as U+0085 or U+009B) or a character that hides, reorders or breaks text (U+202E,
 * U+200B, ...: quote.h) could forge a line or turn text around (QA). Refused as F09 at the
 * element's line, as such a --producer is refused (L04). Returns 0, or -1 with the error in d.
 */
static int population_texts_ok(const char *file, const xmlNode *e, struct diag_list *d)
{
	static const char *const names[] = { "measure", "source", "approximationSource",
					      "approximationMethod" };
	char q[80];

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *v = xmlsafe_attr(e, names[i]);
		const char *p = v;
		size_t n = 1;

		while (p && *p && (n = quote_visible_len(p)) != 0)
			p += n;
		if (p && *p) {
			diag_add(d, file, xmlsafe_line(e), "F09", DIAG_ERROR,
				 "population %s %s: a control character or one that hides, reorders or "
				 "breaks text is not allowed (it would be printed on every page)",
				 names[i], quote_arg_buf(q, sizeof q, v));
			xmlFree(v);
			return -1;
		}
		xmlFree(v);
	}
	return 0;
}

int areas_load(struct areas *a, const char *file, const char *buf, size_t len,
	       struct diag_list *d)
{
	xmlDocPtr doc;
	int result = -1;

	memset(a, 0, sizeof *a);
	doc = xmlsafe_load(file, buf, len, mappa_embed_reference_xsd, mappa_embed_reference_xsd_len,
			   "reference.xsd", &ref_rules, d);
	if (!doc)
		goto out;
	for (const xmlNode *e = xmlDocGetRootElement(doc)->children; e; e = e->next) {
		if (xmlsafe_is(e, REF_NS, "population")) {
			if (population_texts_ok(file, e, d) != 0)
				goto out;
			xmlsafe_copy_attr(a->population_source, sizeof a->population_source, e, "source");
			xmlsafe_copy_attr(a->population_year, sizeof a->population_year, e, "year");
			xmlsafe_copy_attr(a->approximation_source, sizeof a->approximation_source, e,
					  "approximationSource");
			xmlsafe_copy_attr(a->approximation_method, sizeof a->approximation_method, e,
					  "approximationMethod");
		} else if (xmlsafe_is(e, REF_NS, "national")) {
			xmlsafe_copy_attr(a->national_code, sizeof a->national_code, e, "code");
			xmlsafe_copy_attr(a->national_name, sizeof a->national_name, e, "name");
		} else if (xmlsafe_is(e, REF_NS, "area")) {
			struct area *ar;
			char *v;
			if (a->count == AREAS_MAX) {
				diag_add(d, file, xmlsafe_line(e), "F04", DIAG_ERROR,
					 "more than %d areas", AREAS_MAX);
				goto out;
			}
			ar = &a->items[a->count++];
			xmlsafe_copy_attr(ar->code, sizeof ar->code, e, "code");
			xmlsafe_copy_attr(ar->name, sizeof ar->name, e, "name");
			xmlsafe_copy_attr(ar->country, sizeof ar->country, e, "country");
			v = xmlsafe_attr(e, "population");
			ar->population = v ? strtoll(v, NULL, 10) : 0;
			xmlFree(v);
			v = xmlsafe_attr(e, "approximate");
			ar->approximate = v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
			xmlFree(v);
			a->any_approximate |= ar->approximate;
			/* what the schema cannot say (its comment asks readers to check it) */
			if ((strncmp(ar->code, "E23", 3) == 0 && strcmp(ar->country, "England") != 0) ||
			    (strncmp(ar->code, "W15", 3) == 0 && strcmp(ar->country, "Wales") != 0)) {
				diag_add(d, file, xmlsafe_line(e), "F06", DIAG_ERROR,
					 "area %s is in %s, not %s: E23 codes are English, W15 codes Welsh",
					 ar->code, ar->code[0] == 'E' ? "England" : "Wales", ar->country);
				goto out;
			}
			for (const xmlNode *c = e->children; c; c = c->next) {
				xmlChar *lang, *text;
				if (!xmlsafe_is(c, REF_NS, "name"))
					continue;
				lang = xmlGetNsProp(c, (const xmlChar *)"lang", XML_XML_NAMESPACE);
				text = xmlNodeGetContent(c);
				if (lang && strcmp((const char *)lang, "cy") == 0)
					snprintf(ar->name_cy, sizeof ar->name_cy, "%s", text ? (const char *)text : "");
				else
					diag_add(d, file, xmlsafe_line(c), "F08", DIAG_ERROR,
						 "area %s: a translated <name> needs xml:lang=\"cy\" (Welsh)", ar->code);
				xmlFree(lang);
				xmlFree(text);
				if (!ar->name_cy[0])
					goto out;
			}
			v = xmlsafe_attr(e, "basis");
			if (!ar->approximate && (!v || strcmp(v, "ons-mid2021") != 0)) {
				diag_add(d, file, xmlsafe_line(e), "F07", DIAG_ERROR,
					 "area %s: a population that is not approximate must be the ONS mid-2021 estimate (basis=\"ons-mid2021\")",
					 ar->code);
				xmlFree(v);
				goto out;
			}
			xmlFree(v);
		}
	}
	if (a->national_code[0] == '\0') {
		snprintf(a->national_code, sizeof a->national_code, "K04000001");
		snprintf(a->national_name, sizeof a->national_name, "England and Wales");
	}
	result = 0;
out:
	xmlFreeDoc(doc);
	return result;
}

int areas_load_default(struct areas *a, struct diag_list *d)
{
	return areas_load(a, "reference/areas.xml", (const char *)mappa_embed_reference_xml,
			  mappa_embed_reference_xml_len, d);
}

int areas_load_path(struct areas *a, const char *path, struct diag_list *d)
{
	char *buf;
	size_t len;
	int r;

	if (!path)
		return areas_load_default(a, d);
	r = xmlsafe_read_path(path, XMLSAFE_MAX_BYTES, "F05", &buf, &len, d);
	if (r != 0)
		return r;
	r = areas_load(a, path, buf, len, d);
	free(buf);
	return r;
}

const struct area *areas_find(const struct areas *a, const char *code)
{
	int i = areas_index(a, code);
	return i < 0 ? NULL : &a->items[i];
}

int areas_index(const struct areas *a, const char *code)
{
	for (size_t i = 0; i < a->count; i++)
		if (strcmp(a->items[i].code, code) == 0)
			return (int)i;
	return -1;
}

long long areas_population(const struct areas *a)
{
	long long s = 0;
	for (size_t i = 0; i < a->count; i++)
		s += a->items[i].population;
	return s;
}
