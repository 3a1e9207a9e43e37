/*
 * areas: the reference data (reference/areas.xml, schema schemas/reference.xsd): the 42 MAPPA
 * areas with their names and populations aged 10 and over, and the population's source. The
 * compiled-in copy is the default; --reference FILE loads another, validated the same way.
 */
#ifndef MAPPA_AREAS_H
#define MAPPA_AREAS_H

#include <stddef.h>

#include "diag.h"

#define AREAS_MAX 64
#define AREA_CODE_MAX 16

struct area {
	char code[AREA_CODE_MAX];
	char name[96];          /* the schema allows 80 characters */
	char name_cy[96];       /* the Welsh name (<name xml:lang="cy">), or "" */
	char country[16];
	long long population;   /* aged 10 and over */
	int approximate;        /* the population is an approximation */
};

/* A text of the reference (r:Text: at most 1,000 characters) in UTF-8, whole: four bytes a
   character at most (QA: 1,024 bytes cut a source of 600 'é' inside a character, and every stage
   refused the files the writer wrote) */
#define AREAS_TEXT_MAX (1000 * 4 + 1)

struct areas {
	size_t count;
	struct area items[AREAS_MAX];     /* in the file's order */
	char national_code[AREA_CODE_MAX];
	char national_name[96];
	char population_source[AREAS_TEXT_MAX];
	char population_year[8];
	char approximation_source[AREAS_TEXT_MAX]; /* where the approximations come from ("" if none) */
	char approximation_method[AREAS_TEXT_MAX]; /* how they were made */
	int any_approximate;
};

/* Loads and validates reference data from buf. Returns 0, or -1 with the reasons in d. */
int areas_load(struct areas *a, const char *file, const char *buf, size_t len,
	       struct diag_list *d);

/* Loads the compiled-in reference/areas.xml. */
int areas_load_default(struct areas *a, struct diag_list *d);

/* Loads path (NULL: the compiled-in copy). Returns 0; -1 invalid (reasons in d; F05 larger
 * than XMLSAFE_MAX_BYTES); -2 unreadable (an error F05 at line 0 that keeps the errno,
 * diag_errnum). */
int areas_load_path(struct areas *a, const char *path, struct diag_list *d);

/* The area with this code, or NULL. */
const struct area *areas_find(const struct areas *a, const char *code);

/* Index of the area with this code, or -1. */
int areas_index(const struct areas *a, const char *code);

/* Sum of the areas' populations. */
long long areas_population(const struct areas *a);

#endif
