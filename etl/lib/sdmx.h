/*
 * sdmx: the published figures for SDMX tools (docs/publication.md, "SDMX").
 *
 * Two files that belong together:
 * - an SDMX-ML 2.1 structure message: the agency, a codelist for every coded component
 *   (frequency, areas from the reference data with England and Wales, statistics from the
 *   definitions, categories, levels, observation and confidentiality statuses, unit of measure, unit multiplier), the
 *   concept scheme, the data structure definition (DSD) and the dataflow;
 * - the long form as SDMX-CSV 2.0.0 (the SDMX 3.0 CSV data message) for that dataflow: one row
 *   per published cell, every column a component of the DSD, every code one of its codelist.
 *
 * Both are made from struct defs and struct areas; a statistic added to the definitions appears
 * in both without a change here. One table of components drives the DSD and the CSV header, so
 * they cannot disagree. The writers append to the caller's strbuf and keep nothing; they never
 * print. What is published (values, symbols) follows pivot.h.
 */
#ifndef MAPPA_SDMX_H
#define MAPPA_SDMX_H

#include <stddef.h>

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "diag.h"
#include "strbuf.h"

#define SDMX_AGENCY "MAPPA"
#define SDMX_VERSION "1.0"
#define SDMX_DATAFLOW_ID "DF_MAPPA"
#define SDMX_DSD_ID "DSD_MAPPA"
/* The dataflow as SDMX-CSV's STRUCTURE_ID names it. */
#define SDMX_DATAFLOW SDMX_AGENCY ":" SDMX_DATAFLOW_ID "(" SDMX_VERSION ")"
/* The bundle's file names. */
#define SDMX_CSV_FILE "observations-sdmx.csv"
#define SDMX_STRUCTURE_FILE "observations-sdmx-structure.xml"

/* Number of components of the DSD (dimensions, time dimension, primary measure, attributes),
 * and the id of component i (< SDMX_COMPONENTS) in the order of the DSD and of the CSV columns
 * that follow STRUCTURE, STRUCTURE_ID and ACTION. */
#define SDMX_COMPONENTS 11
const char *sdmx_component_id(size_t i);

/* Codes of a cell key: categories "1".."4", "_T" (all), "1_3" (total over 1-3), "_Z" (the
 * statistic has no categories); levels "1".."3", "_T", "_Z". */
const char *sdmx_category_code(int cat);
const char *sdmx_level_code(int level);

/* Whether stat is a stock counted on the last day of the period (a table whose title ends in
 * "31 March", and every rate of such a table) rather than a flow over the year. */
int sdmx_is_stock(const struct defs *defs, unsigned stat);

/* TIME_PERIOD of stat in period "2022-23": the day of a stock ("2023-03-31") or the reporting
 * year of a flow ("2022-04-01/P1Y"). Returns buf, or NULL when period is not like "2022-23". */
const char *sdmx_time_period(const struct defs *defs, unsigned stat, const char *period,
			     char *buf, size_t size);

/* UNIT_MEASURE code of stat: "NR" (a number of people or orders) for a table, "PER_<per>"
 * ("PER_100000") for a rate. Returns buf. */
const char *sdmx_unit_measure(const struct defs *defs, unsigned stat, char *buf, size_t size);

/*
 * Appends the SDMX-ML 2.1 structure message for the statistics of defs and the areas of ref
 * (with ref's national code), prepared 1 April of the period's second year, 00:00 UTC (the
 * bundle's time). Written with libxml2's xmlTextWriter. Returns 0, or -1 with an error appended
 * to d naming SDMX_STRUCTURE_FILE (P02 a bad period; P99 out of memory, or a status without an
 * SDMX name); on -1 nothing is appended (or out is failed).
 */
int sdmx_structure(const struct defs *defs, const struct areas *ref, const char *period,
		   struct strbuf *out, struct diag_list *d);

/*
 * Appends the SDMX-CSV 2.0.0 data message of ds: header STRUCTURE,STRUCTURE_ID,ACTION and the
 * components; one row per key of pivot_keys (nation first, then the areas in ds's order),
 * action I (information). A withheld, not applicable or not available figure is NaN (a number
 * intentionally missing) with its OBS_STATUS and CONF_STATUS.
 */
void sdmx_csv(const struct dataset *ds, const struct defs *defs, struct strbuf *out);

#endif
