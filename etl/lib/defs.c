#include "defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "embedded.h"
#include "xmlsafe.h"

#define DEFS_NS "urn:mappa:definitions:1"

static const struct xmlsafe_load_rules defs_rules = { { "D01", "D02" }, "D00", "D04" };

/* Parses "1 2 3" into a bit set of the digits 1..max; the schema already checked the form. */
static unsigned parse_set(const char *s, int max)
{
	unsigned set = 0;
	for (; s && *s; s++)
		if (*s >= '1' && *s <= '0' + max)
			set |= 1u << (*s - '0');
	return set;
}

/*
 * Copies the <title xml:lang="cy"> child of e into buf, if e has one. The schema cannot check
 * xml:lang (it cannot import the xml namespace's schema), so this does: "cy" only (D05).
 */
static int load_translation(char *buf, size_t size, const xmlNode *e, const char *file,
			    struct diag_list *d)
{
	int result = 0;
	for (const xmlNode *c = e->children; c; c = c->next) {
		xmlChar *lang, *text;
		if (!xmlsafe_is(c, DEFS_NS, "title"))
			continue;
		lang = xmlGetNsProp(c, (const xmlChar *)"lang", XML_XML_NAMESPACE);
		if (!lang || strcmp((const char *)lang, "cy") != 0) {
			diag_add(d, file, xmlsafe_line(c), "D05", DIAG_ERROR,
				 "a translated <title> needs xml:lang=\"cy\" (Welsh), not '%s'",
				 lang ? (const char *)lang : "");
			result = -1;
		} else {
			text = xmlNodeGetContent(c);
			snprintf(buf, size, "%s", text ? (const char *)text : "");
			xmlFree(text);
		}
		xmlFree(lang);
	}
	return result;
}

static int load_table(struct defs_table *t, const xmlNode *e)
{
	char *v;

	memset(t, 0, sizeof *t);
	xmlsafe_copy_attr(t->name, sizeof t->name, e, "name");
	xmlsafe_copy_attr(t->title, sizeof t->title, e, "title");
	xmlsafe_copy_attr(t->explanation, sizeof t->explanation, e, "explanation");
	v = xmlsafe_attr(e, "categories");
	t->categories = parse_set(v, 4);
	xmlFree(v);
	v = xmlsafe_attr(e, "levels");
	t->levels = parse_set(v, 3);
	xmlFree(v);
	for (const xmlNode *c = e->children; c; c = c->next) {
		char *cat, *lev;
		if (!xmlsafe_is(c, DEFS_NS, "notApplicable"))
			continue;
		cat = xmlsafe_attr(c, "category");
		lev = xmlsafe_attr(c, "level");
		if (cat && lev)
			t->na[cat[0] - '0'] |= (unsigned char)(1u << (lev[0] - '0'));
		xmlFree(cat);
		xmlFree(lev);
	}
	return 0;
}

static int find_or_fail(const struct defs *defs, const xmlNode *e, const char *attr,
			const char *file, struct diag_list *d, size_t *out)
{
	char *v = xmlsafe_attr(e, attr);
	int i = v ? defs_find(defs, v) : -1;
	xmlFree(v);
	if (i < 0) {
		diag_add(d, file, xmlsafe_line(e), "D03", DIAG_ERROR,
			 "'%s' names no table declared before it", attr);
		return -1;
	}
	*out = (size_t)i;
	return 0;
}

int defs_load(struct defs *defs, const char *file, const char *buf, size_t len,
	      struct diag_list *d)
{
	xmlDocPtr doc;
	int result = -1;

	memset(defs, 0, sizeof *defs);
	doc = xmlsafe_load(file, buf, len, mappa_embed_definitions_xsd,
			   mappa_embed_definitions_xsd_len, "definitions.xsd", &defs_rules, d);
	if (!doc)
		goto out;
	for (const xmlNode *e = xmlDocGetRootElement(doc)->children; e; e = e->next) {
		if (xmlsafe_is(e, DEFS_NS, "table")) {
			struct defs_table *t = &defs->tables[defs->ntables++];
			load_table(t, e);
			if (load_translation(t->title_cy, sizeof t->title_cy, e, file, d) != 0)
				goto out;
		} else if (xmlsafe_is(e, DEFS_NS, "rule")) {
			struct defs_rule *r = &defs->rules[defs->nrules];
			char *op = xmlsafe_attr(e, "op");
			xmlsafe_copy_attr(r->id, sizeof r->id, e, "id");
			xmlsafe_copy_attr(r->message, sizeof r->message, e, "message");
			r->op = op && strcmp(op, "ge") == 0 ? DEFS_GE : DEFS_LE;
			xmlFree(op);
			if (find_or_fail(defs, e, "table", file, d, &r->table) ||
			    find_or_fail(defs, e, "other", file, d, &r->other))
				goto out;
			defs->nrules++;
		} else if (xmlsafe_is(e, DEFS_NS, "rate")) {
			struct defs_rate *r = &defs->rates[defs->nrates];
			char *v = xmlsafe_attr(e, "category");
			xmlsafe_copy_attr(r->name, sizeof r->name, e, "name");
			xmlsafe_copy_attr(r->title, sizeof r->title, e, "title");
			r->category = v ? v[0] - '0' : 1;
			xmlFree(v);
			v = xmlsafe_attr(e, "per");
			r->per = v ? strtol(v, NULL, 10) : 100000;
			xmlFree(v);
			if (find_or_fail(defs, e, "table", file, d, &r->table) ||
			    load_translation(r->title_cy, sizeof r->title_cy, e, file, d) != 0)
				goto out;
			defs->nrates++;
		}
	}
	result = 0;
out:
	xmlFreeDoc(doc);
	return result;
}

int defs_load_default(struct defs *defs, struct diag_list *d)
{
	return defs_load(defs, "schemas/definitions.xml", (const char *)mappa_embed_definitions_xml,
			 mappa_embed_definitions_xml_len, d);
}

const char *defs_title(const char *title, const char *title_cy, const char *lang)
{
	return lang && strcmp(lang, "cy") == 0 && title_cy && title_cy[0] ? title_cy : title;
}

int defs_find(const struct defs *defs, const char *name)
{
	for (size_t i = 0; i < defs->ntables; i++)
		if (strcmp(defs->tables[i].name, name) == 0)
			return (int)i;
	return -1;
}

int defs_has_cell(const struct defs_table *t, int cat, int level)
{
	if (t->categories == 0 ? cat != CAT_NONE : (cat < 1 || cat > 4 || !(t->categories >> cat & 1u)))
		return 0;
	if (t->levels == 0 ? level != LEVEL_NONE : (level < 1 || level > 3 || !(t->levels >> level & 1u)))
		return 0;
	if (cat >= 1 && cat <= 4 && (t->na[cat] >> level & 1u))
		return 0;
	return 1;
}

int defs_is_return_count(const struct defs *defs, unsigned stat, int cat, int level)
{
	return stat < defs->ntables && defs_has_cell(&defs->tables[stat], cat, level);
}

int defs_is_not_applicable(const struct defs *defs, unsigned stat, int cat, int level)
{
	return stat < defs->ntables && cat >= 1 && cat <= 4 && level >= 1 && level <= 3 &&
	       !defs_has_cell(&defs->tables[stat], cat, level);
}

size_t defs_cell_count(const struct defs_table *t)
{
	size_t n = 0;
	for (int c = 0; c <= 4; c++)
		for (int l = 0; l <= 3; l++)
			n += (size_t)defs_has_cell(t, c, l);
	return n;
}

const char *defs_category_name(int cat)
{
	static const char *const names[CAT_CODES] = { "", "1", "2", "3", "4", "all", "1-3" };
	return cat >= 0 && cat < CAT_CODES ? names[cat] : "?";
}

const char *defs_level_name(int level)
{
	static const char *const names[LEVEL_CODES] = { "", "1", "2", "3", "all" };
	return level >= 0 && level < LEVEL_CODES ? names[level] : "?";
}

int defs_parse_category(const char *s)
{
	for (int c = 0; c < CAT_CODES; c++)
		if (strcmp(s, defs_category_name(c)) == 0)
			return c;
	return -1;
}

int defs_parse_level(const char *s)
{
	for (int l = 0; l < LEVEL_CODES; l++)
		if (strcmp(s, defs_level_name(l)) == 0)
			return l;
	return -1;
}
