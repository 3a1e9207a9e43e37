#include "sdmx.h"

#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "csvout.h"
#include "pivot.h"

#define NS_MES "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
#define NS_STR "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
#define NS_COM "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
#define CONCEPTS_ID "CS_MAPPA"

enum comp_kind { COMP_DIM, COMP_TIME, COMP_MEASURE, COMP_ATTR };

/* The components, in the order of the DSD and of the CSV columns. */
enum { C_FREQ, C_REF_AREA, C_MEASURE, C_CATEGORY, C_LEVEL, C_TIME_PERIOD, C_OBS_VALUE, C_OBS_STATUS,
       C_CONF_STATUS, C_UNIT_MEASURE, C_UNIT_MULT, C_COUNT };

struct component {
	const char *id;
	enum comp_kind kind;
	const char *codelist;     /* NULL: not coded */
	const char *assignment;   /* attributes: Mandatory or Conditional */
	const char *name;         /* the concept's name */
	const char *description;
};

static const struct component components[] = {
	[C_FREQ] = { "FREQ", COMP_DIM, "CL_FREQ", NULL, "Frequency",
	  "How often the figure is compiled: once a year, for the reporting year or on its last day" },
	[C_REF_AREA] = { "REF_AREA", COMP_DIM, "CL_AREA", NULL, "Reference area",
	  "A MAPPA area (police force area code of the Office for National Statistics), or England and Wales for national figures" },
	[C_MEASURE] = { "MEASURE", COMP_DIM, "CL_MEASURE", NULL, "Statistic",
	  "The statistic: a table of the MAPPA return, or a rate computed from one" },
	[C_CATEGORY] = { "CATEGORY", COMP_DIM, "CL_CATEGORY", NULL, "MAPPA category",
	  "The MAPPA category of the individuals counted, a total over categories, or not applicable" },
	[C_LEVEL] = { "LEVEL", COMP_DIM, "CL_LEVEL", NULL, "MAPPA management level",
	  "The level at which the individuals are managed, a total over levels, or not applicable" },
	[C_TIME_PERIOD] = { "TIME_PERIOD", COMP_TIME, NULL, NULL, "Time period",
	  "The day a stock is counted (31 March), or the reporting year (1 April to 31 March) of a flow" },
	[C_OBS_VALUE] = { "OBS_VALUE", COMP_MEASURE, NULL, NULL, "Observation value",
	  "The figure; NaN when it is withheld, not applicable or not available (see OBS_STATUS)" },
	[C_OBS_STATUS] = { "OBS_STATUS", COMP_ATTR, "CL_OBS_STATUS", "Mandatory", "Observation status",
	  "Whether the figure is a normal value or why it is missing" },
	[C_CONF_STATUS] = { "CONF_STATUS", COMP_ATTR, "CL_CONF_STATUS", "Conditional", "Confidentiality status",
	  "Whether the figure is free for publication or withheld as confidential; one code for every withheld figure, whatever the reason" },
	[C_UNIT_MEASURE] = { "UNIT_MEASURE", COMP_ATTR, "CL_UNIT_MEASURE", "Mandatory", "Unit of measure",
	  "A number (of individuals or orders), or a rate per a number of the population" },
	[C_UNIT_MULT] = { "UNIT_MULT", COMP_ATTR, "CL_UNIT_MULT", "Mandatory", "Unit multiplier",
	  "The power of 10 by which the figure is multiplied" },
};

_Static_assert(sizeof components / sizeof components[0] == SDMX_COMPONENTS && C_COUNT == SDMX_COMPONENTS,
	       "SDMX_COMPONENTS is the number of components");

/* Names of the SDMX cross-domain codes that dataset.h's statuses map to. */
static const struct { const char *code, *name, *description; } status_names[] = {
	{ "A", "Normal value", "A published figure" },
	{ "M", "Missing value; data cannot exist", "Not applicable: the cell cannot exist (Category 3 at level 1)" },
	{ "O", "Missing value", "Not available: the area sent no valid return for the period" },
	{ "Q", "Missing value; suppressed", "Withheld (see CONF_STATUS)" },
	{ "F", "Free", "Free for publication" },
	{ "C", "Confidential statistical information", "Withheld so that no individual can be identified, whatever the reason (a small count, a figure that would reveal one, or Category 4 for an area)" },
};

const char *sdmx_component_id(size_t i)
{
	return i < SDMX_COMPONENTS ? components[i].id : NULL;
}

const char *sdmx_category_code(int cat)
{
	static const char *const codes[CAT_CODES] = { "_Z", "1", "2", "3", "4", "_T", "1_3" };
	return cat >= 0 && cat < CAT_CODES ? codes[cat] : "_Z";
}

const char *sdmx_level_code(int level)
{
	static const char *const codes[LEVEL_CODES] = { "_Z", "1", "2", "3", "_T" };
	return level >= 0 && level < LEVEL_CODES ? codes[level] : "_Z";
}

int sdmx_is_stock(const struct defs *defs, unsigned stat)
{
	const char *t;
	size_t n;

	if (stat >= defs->ntables + defs->nrates)
		return 0;
	if (stat >= defs->ntables)
		stat = (unsigned)defs->rates[stat - defs->ntables].table;
	t = defs->tables[stat].title;
	n = strlen(t);
	return n >= 8 && strcmp(t + n - 8, "31 March") == 0;
}

/* The first year of a period "2022-23" from 1990 on, or -1. */
static int period_year(const char *period)
{
	int y = period ? dataset_period_year(period) : -1;
	return y < 1990 ? -1 : y;
}

const char *sdmx_time_period(const struct defs *defs, unsigned stat, const char *period,
			     char *buf, size_t size)
{
	int y = period_year(period);

	if (y < 0)
		return NULL;
	if (sdmx_is_stock(defs, stat))
		snprintf(buf, size, "%d-03-31", y + 1);
	else
		snprintf(buf, size, "%d-04-01/P1Y", y);
	return buf;
}

const char *sdmx_unit_measure(const struct defs *defs, unsigned stat, char *buf, size_t size)
{
	if (stat >= defs->ntables && stat < defs->ntables + defs->nrates)
		snprintf(buf, size, "PER_%ld", defs->rates[stat - defs->ntables].per);
	else
		snprintf(buf, size, "NR");
	return buf;
}

/* ---- the structure message ---- */

struct xw {
	xmlTextWriterPtr w;
	int rc;
};

static void start(struct xw *x, const char *name)
{
	if (xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
		x->rc = -1;
}

static void end(struct xw *x)
{
	if (xmlTextWriterEndElement(x->w) < 0)
		x->rc = -1;
}

static void attr(struct xw *x, const char *name, const char *value)
{
	if (xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value) < 0)
		x->rc = -1;
}

static void text_el(struct xw *x, const char *name, const char *text)
{
	if (xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST text) < 0)
		x->rc = -1;
}

/* com:Name (and com:Description when description is not NULL), in English. */
static void names(struct xw *x, const char *name, const char *description)
{
	start(x, "com:Name");
	attr(x, "xml:lang", "en");
	if (xmlTextWriterWriteString(x->w, BAD_CAST name) < 0)
		x->rc = -1;
	end(x);
	if (description) {
		start(x, "com:Description");
		attr(x, "xml:lang", "en");
		if (xmlTextWriterWriteString(x->w, BAD_CAST description) < 0)
			x->rc = -1;
		end(x);
	}
}

/* Starts a maintainable artefact of the agency: element, id, names. */
static void maintainable(struct xw *x, const char *element, const char *agency, const char *id,
			 const char *name, const char *description)
{
	start(x, element);
	attr(x, "id", id);
	attr(x, "agencyID", agency);
	attr(x, "version", SDMX_VERSION);
	names(x, name, description);
}

static void code(struct xw *x, const char *id, const char *name, const char *description)
{
	start(x, "str:Code");
	attr(x, "id", id);
	names(x, name, description);
	end(x);
}

/* <Ref .../> to an artefact of the agency. */
static void ref(struct xw *x, const char *id, const char *cls, const char *package)
{
	start(x, "Ref");
	attr(x, "id", id);
	attr(x, "version", SDMX_VERSION);
	attr(x, "agencyID", SDMX_AGENCY);
	attr(x, "class", cls);
	attr(x, "package", package);
	end(x);
}

static const char *status_name(const char *c, const char **description)
{
	for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
		if (strcmp(status_names[i].code, c) == 0) {
			*description = status_names[i].description;
			return status_names[i].name;
		}
	return NULL;
}

/* A codelist of the distinct non-empty codes that fn gives the statuses. */
static void status_codelist(struct xw *x, const char *id, const char *name,
			    const char *(*fn)(enum obs_status))
{
	maintainable(x, "str:Codelist", SDMX_AGENCY, id, name, NULL);
	for (int s = 0; s < OBS_STATUS_COUNT; s++) {
		const char *c = fn((enum obs_status)s), *cname, *description = NULL;
		int seen = 0;
		for (int t = 0; t < s; t++)
			seen |= strcmp(fn((enum obs_status)t), c) == 0;
		if (seen || !*c)
			continue;
		cname = status_name(c, &description);
		if (!cname) {
			x->rc = -1;
			continue;
		}
		code(x, c, cname, description);
	}
	end(x);
}

static void codelists(struct xw *x, const struct defs *defs, const struct areas *ref_areas)
{
	char buf[64], num[32], name[96];

	start(x, "str:Codelists");
	maintainable(x, "str:Codelist", SDMX_AGENCY, "CL_AREA", "MAPPA area",
		     "The MAPPA areas of England and Wales (police force areas; London is the Metropolitan and City of London police areas together), and England and Wales");
	code(x, ref_areas->national_code, ref_areas->national_name, NULL);
	for (size_t i = 0; i < ref_areas->count; i++)
		code(x, ref_areas->items[i].code, ref_areas->items[i].name, NULL);
	end(x);

	maintainable(x, "str:Codelist", SDMX_AGENCY, "CL_CATEGORY", "MAPPA category", NULL);
	for (int c = 1; c < CAT_CODES; c++)
		code(x, sdmx_category_code(c), pivot_category_label(c), NULL);
	code(x, sdmx_category_code(CAT_NONE), "Not applicable", "The statistic has no categories");
	end(x);

	status_codelist(x, "CL_CONF_STATUS", "Confidentiality status", obs_status_sdmx_conf);

	maintainable(x, "str:Codelist", SDMX_AGENCY, "CL_FREQ", "Frequency", NULL);
	code(x, "A", "Annual", NULL);
	end(x);

	maintainable(x, "str:Codelist", SDMX_AGENCY, "CL_LEVEL", "MAPPA management level", NULL);
	for (int l = 1; l < LEVEL_ALL; l++)
		code(x, sdmx_level_code(l), pivot_level_label(l), NULL);
	code(x, sdmx_level_code(LEVEL_ALL), "Total (all levels)", NULL);
	code(x, sdmx_level_code(LEVEL_NONE), "Not applicable", "The statistic has no levels");
	end(x);

	maintainable(x, "str:Codelist", SDMX_AGENCY, "CL_MEASURE", "MAPPA statistic",
		     "The tables of the MAPPA return (schemas/definitions.xml) and the rates computed from them");
	for (unsigned s = 0; s < dataset_stat_count(defs); s++)
		code(x, dataset_stat_name(defs, s),
		     s < defs->ntables ? defs->tables[s].title : defs->rates[s - defs->ntables].title,
		     NULL);
	end(x);

	status_codelist(x, "CL_OBS_STATUS", "Observation status", obs_status_sdmx_obs);

	maintainable(x, "str:Codelist", SDMX_AGENCY, "CL_UNIT_MEASURE", "Unit of measure", NULL);
	if (defs->ntables)
		code(x, "NR", "Number", "A number of individuals or orders");
	for (size_t r = 0; r < defs->nrates; r++) {
		int seen = 0;
		for (size_t q = 0; q < r; q++)
			seen |= defs->rates[q].per == defs->rates[r].per;
		if (seen)
			continue;
		sdmx_unit_measure(defs, (unsigned)(defs->ntables + r), buf, sizeof buf);
		snprintf(name, sizeof name, "Per %s population",
			 pivot_format_number(defs->rates[r].per, num, sizeof num));
		code(x, buf, name, NULL);
	}
	end(x);

	maintainable(x, "str:Codelist", SDMX_AGENCY, "CL_UNIT_MULT", "Unit multiplier", NULL);
	code(x, "0", "Units", "The figure as it is (multiplied by 10 to the power 0)");
	end(x);
	end(x);
}

static void concepts(struct xw *x)
{
	start(x, "str:Concepts");
	maintainable(x, "str:ConceptScheme", SDMX_AGENCY, CONCEPTS_ID, "MAPPA statistics concepts", NULL);
	for (size_t i = 0; i < SDMX_COMPONENTS; i++) {
		start(x, "str:Concept");
		attr(x, "id", components[i].id);
		names(x, components[i].name, components[i].description);
		end(x);
	}
	end(x);
	end(x);
}

/* ConceptIdentity and LocalRepresentation of component i. */
static void identity(struct xw *x, size_t i)
{
	const struct component *c = &components[i];

	start(x, "str:ConceptIdentity");
	start(x, "Ref");
	attr(x, "id", c->id);
	attr(x, "maintainableParentID", CONCEPTS_ID);
	attr(x, "maintainableParentVersion", SDMX_VERSION);
	attr(x, "agencyID", SDMX_AGENCY);
	attr(x, "class", "Concept");
	attr(x, "package", "conceptscheme");
	end(x);
	end(x);
	start(x, "str:LocalRepresentation");
	if (c->codelist) {
		start(x, "str:Enumeration");
		ref(x, c->codelist, "Codelist", "codelist");
		end(x);
	} else {
		start(x, "str:TextFormat");
		attr(x, "textType", c->kind == COMP_TIME ? "ObservationalTimePeriod" : "Double");
		end(x);
	}
	end(x);
}

static void data_structure(struct xw *x)
{
	char pos[16];
	int position = 0;

	start(x, "str:DataStructures");
	maintainable(x, "str:DataStructure", SDMX_AGENCY, SDMX_DSD_ID, "MAPPA statistics",
		     "The published MAPPA statistics of England and Wales: one observation per area (or England and Wales), statistic, category, level and period");
	start(x, "str:DataStructureComponents");
	start(x, "str:DimensionList");
	attr(x, "id", "DimensionDescriptor");
	for (size_t i = 0; i < SDMX_COMPONENTS; i++) {
		if (components[i].kind != COMP_DIM && components[i].kind != COMP_TIME)
			continue;
		snprintf(pos, sizeof pos, "%d", ++position);
		start(x, components[i].kind == COMP_TIME ? "str:TimeDimension" : "str:Dimension");
		attr(x, "id", components[i].id);
		attr(x, "position", pos);
		identity(x, i);
		end(x);
	}
	end(x);
	start(x, "str:AttributeList");
	attr(x, "id", "AttributeDescriptor");
	for (size_t i = 0; i < SDMX_COMPONENTS; i++) {
		if (components[i].kind != COMP_ATTR)
			continue;
		start(x, "str:Attribute");
		attr(x, "id", components[i].id);
		attr(x, "assignmentStatus", components[i].assignment);
		identity(x, i);
		start(x, "str:AttributeRelationship");
		start(x, "str:PrimaryMeasure");
		start(x, "Ref");
		attr(x, "id", "OBS_VALUE");
		end(x);
		end(x);
		end(x);
		end(x);
	}
	end(x);
	start(x, "str:MeasureList");
	attr(x, "id", "MeasureDescriptor");
	for (size_t i = 0; i < SDMX_COMPONENTS; i++) {
		if (components[i].kind != COMP_MEASURE)
			continue;
		start(x, "str:PrimaryMeasure");
		attr(x, "id", components[i].id);
		identity(x, i);
		end(x);
	}
	end(x);
	end(x);
	end(x);
	end(x);
}

int sdmx_structure(const struct defs *defs, const struct areas *ref_areas, const char *period,
		   struct strbuf *out, struct diag_list *d)
{
	struct xw x = { NULL, 0 };
	xmlBufferPtr xb = NULL;
	char id[32], prepared[32];
	int y = period_year(period);

	if (y < 0) {
		char q[40];
		diag_quote(q, sizeof q, period, 20);
		diag_add(d, SDMX_STRUCTURE_FILE, 0, "P02", DIAG_ERROR, "bad period '%s' (like 2022-23)", q);
		return -1;
	}
	snprintf(id, sizeof id, "MAPPA_%04d_%02d", y, (y + 1) % 100);
	snprintf(prepared, sizeof prepared, "%04d-04-01T00:00:00Z", y + 1);
	xb = xmlBufferCreate();
	x.w = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
	if (!x.w) {
		x.rc = -1;
		goto out;
	}
	if (xmlTextWriterSetIndent(x.w, 1) < 0 || xmlTextWriterSetIndentString(x.w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL) < 0)
		x.rc = -1;
	start(&x, "mes:Structure");
	attr(&x, "xmlns:mes", NS_MES);
	attr(&x, "xmlns:str", NS_STR);
	attr(&x, "xmlns:com", NS_COM);

	start(&x, "mes:Header");
	text_el(&x, "mes:ID", id);
	text_el(&x, "mes:Test", "false");
	text_el(&x, "mes:Prepared", prepared);
	start(&x, "mes:Sender");
	attr(&x, "id", SDMX_AGENCY);
	end(&x);
	end(&x);

	start(&x, "mes:Structures");
	start(&x, "str:OrganisationSchemes");
	start(&x, "str:AgencyScheme");
	attr(&x, "id", "AGENCIES");
	attr(&x, "agencyID", "SDMX");
	attr(&x, "version", "1.0");
	names(&x, "Agencies", NULL);
	start(&x, "str:Agency");
	attr(&x, "id", SDMX_AGENCY);
	names(&x, "MAPPA national statistics team, England and Wales",
	      "Publisher of the national MAPPA statistics (Multi-Agency Public Protection Arrangements)");
	end(&x);
	end(&x);
	end(&x);

	start(&x, "str:Dataflows");
	maintainable(&x, "str:Dataflow", SDMX_AGENCY, SDMX_DATAFLOW_ID, "MAPPA statistics, England and Wales",
		     "The yearly MAPPA statistics of England and Wales by area, as published");
	start(&x, "str:Structure");
	ref(&x, SDMX_DSD_ID, "DataStructure", "datastructure");
	end(&x);
	end(&x);
	end(&x);

	codelists(&x, defs, ref_areas);
	concepts(&x);
	data_structure(&x);
	end(&x);
	end(&x);
	if (xmlTextWriterEndDocument(x.w) < 0)
		x.rc = -1;
	xmlFreeTextWriter(x.w);
	x.w = NULL;
	if (x.rc == 0)
		strbuf_add(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
out:
	if (x.w)
		xmlFreeTextWriter(x.w);
	if (xb)
		xmlBufferFree(xb);
	if (x.rc != 0 || strbuf_ok(out) != 0) {
		diag_add(d, SDMX_STRUCTURE_FILE, 0, "P99", DIAG_ERROR,
			 "cannot make the SDMX structure (out of memory, or a status without an SDMX name)");
		return -1;
	}
	return 0;
}

/* ---- SDMX-CSV 2.0.0 ---- */

static void csv_obs(struct strbuf *out, const struct dataset *ds, const struct defs *defs,
		    const char *area, unsigned stat, int cat, int level)
{
	struct pivot_value v = pivot_get(ds, defs, area, stat, cat, level);
	enum obs_status st = v.published ? OBS_OK : v.status;
	char num[32], period[32], unit[32];
	const char *f[3 + SDMX_COMPONENTS];

	snprintf(num, sizeof num, "%lld", v.value);
	f[0] = "dataflow";
	f[1] = SDMX_DATAFLOW;
	f[2] = "I";
	f[3 + C_FREQ] = "A";
	f[3 + C_REF_AREA] = area;
	f[3 + C_MEASURE] = dataset_stat_name(defs, stat);
	f[3 + C_CATEGORY] = sdmx_category_code(cat);
	f[3 + C_LEVEL] = sdmx_level_code(level);
	f[3 + C_TIME_PERIOD] = sdmx_time_period(defs, stat, ds->period, period, sizeof period);
	f[3 + C_OBS_VALUE] = v.published ? num : "NaN";
	f[3 + C_OBS_STATUS] = obs_status_sdmx_obs(st);
	f[3 + C_CONF_STATUS] = obs_status_sdmx_conf(st);
	f[3 + C_UNIT_MEASURE] = sdmx_unit_measure(defs, stat, unit, sizeof unit);
	f[3 + C_UNIT_MULT] = "0";
	csv_row(out, f, 3 + SDMX_COMPONENTS);
}

void sdmx_csv(const struct dataset *ds, const struct defs *defs, struct strbuf *out)
{
	const char *head[3 + SDMX_COMPONENTS] = { "STRUCTURE", "STRUCTURE_ID", "ACTION" };

	for (size_t i = 0; i < SDMX_COMPONENTS; i++)
		head[3 + i] = components[i].id;
	csv_row(out, head, 3 + SDMX_COMPONENTS);
	for (size_t a = 0; a <= ds->nareas; a++) {
		const char *area = a == 0 ? ds->national_code : ds->areas[a - 1].code;
		for (unsigned s = 0; s < dataset_stat_count(defs); s++) {
			int cats[32], levels[32];
			size_t n = pivot_keys(defs, s, a == 0, cats, levels, 32);
			for (size_t k = 0; k < n; k++)
				csv_obs(out, ds, defs, area, s, cats[k], levels[k]);
		}
	}
}
