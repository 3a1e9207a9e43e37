/*
 * defs: the statistics of the return, loaded from schemas/definitions.xml (compiled in by
 * default). A table is a set of cells keyed by (category, level); rules compare two tables cell
 * by cell; a rate divides a category total by a population.
 */
#ifndef MAPPA_DEFS_H
#define MAPPA_DEFS_H

#include <stddef.h>

#include "diag.h"

#define DEFS_MAX_TABLES 24
#define DEFS_MAX_RULES 16
#define DEFS_MAX_RATES 4
/* Every count a return gives for one of an area's cells is below this (DESIGN.md, rule R07);
 * every stage that reads an area's cells refuses more. */
#define DEFS_COUNT_LIMIT 10000000LL

/* Category codes of a cell key: 1-4 are the categories. */
enum { CAT_NONE = 0, CAT_ALL = 5, CAT_1_3 = 6, CAT_CODES = 7 };
/* Level codes of a cell key: 1-3 are the levels. */
enum { LEVEL_NONE = 0, LEVEL_ALL = 4, LEVEL_CODES = 5 };

enum defs_op { DEFS_LE, DEFS_GE };

struct defs_table {
	char name[33];
	char title[201];
	char title_cy[801];      /* the Welsh title (<title xml:lang="cy">, 200 characters), or "" */
	char explanation[8];     /* the seed's explanation letter(s) */
	unsigned categories;     /* bit c set for each category c in 1-4; 0: no category dimension */
	unsigned levels;         /* bit l set for each level l in 1-3; 0: no level dimension */
	unsigned char na[5];     /* na[c] bit l: cell (c, l) cannot exist */
};

struct defs_rule {
	char id[4];
	size_t table, other;     /* indexes into defs.tables */
	enum defs_op op;         /* table OP other, cell by cell over their common cells */
	char message[201];
};

struct defs_rate {
	char name[33];
	size_t table;
	int category;
	long per;
	char title[201];
	char title_cy[801];      /* the Welsh title, or "" */
};

struct defs {
	size_t ntables, nrules, nrates;
	struct defs_table tables[DEFS_MAX_TABLES];
	struct defs_rule rules[DEFS_MAX_RULES];
	struct defs_rate rates[DEFS_MAX_RATES];
};

/*
 * Loads definitions from buf (len bytes) named file, validated against the definitions schema.
 * Returns 0, or -1 with the reasons appended to d.
 */
int defs_load(struct defs *defs, const char *file, const char *buf, size_t len,
	      struct diag_list *d);

/* Loads the compiled-in schemas/definitions.xml. */
int defs_load_default(struct defs *defs, struct diag_list *d);

/* The title of a table or rate (t: its title, t_cy: its Welsh one) in the language lang ("en",
 * "cy"): the Welsh title when lang is "cy" and there is one, else the English. */
const char *defs_title(const char *title, const char *title_cy, const char *lang);

/* The index of the table called name, or -1. */
int defs_find(const struct defs *defs, const char *name);

/* Whether the table has the inner cell (cat, level); use CAT_NONE / LEVEL_NONE for absent
 * dimensions. */
int defs_has_cell(const struct defs_table *t, int cat, int level);

/* Whether statistic stat (a table's index, or a rate's: ntables + i) with (cat, level) is a
 * count a return holds, so below DEFS_COUNT_LIMIT (R07) when it is an area's: an inner cell
 * of a table, not a total over categories or levels, not a rate. */
int defs_is_return_count(const struct defs *defs, unsigned stat, int cat, int level);

/* Whether statistic stat with (cat, level) is an inner cell of a table that cannot exist (a
 * category 1-4 and level 1-3 the table does not have): a dataset holds no row for it, and
 * observations.csv shows it as [z]. */
int defs_is_not_applicable(const struct defs *defs, unsigned stat, int cat, int level);

/* Number of inner cells of the table. */
size_t defs_cell_count(const struct defs_table *t);

/* Text of a category or level code: "1".."4", "all", "1-3", or "" for none. */
const char *defs_category_name(int cat);
const char *defs_level_name(int level);

/* Parses a category or level code written as above; returns -1 when it is not one. */
int defs_parse_category(const char *s);
int defs_parse_level(const char *s);

#endif
