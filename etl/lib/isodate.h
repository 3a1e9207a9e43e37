/*
 * isodate: a calendar date written YYYY-MM-DD, as a return's submission date and the area lines
 * of the observations format hold it.
 */
#ifndef MAPPA_ISODATE_H
#define MAPPA_ISODATE_H

#include <stddef.h>

/* Reads s, YYYY-MM-DD exactly, into its parts (any may be NULL). 0 when it is a date that
   exists (no year 0, as XML Schema 1.0's xs:date; 29 February only in a leap year); else -1. */
int isodate_parse(const char *s, int *y, int *m, int *d);

/* Today's date in UTC, YYYY-MM-DD, into buf (at least 11 bytes). 0; -1 when the clock cannot
   be read (buf then ""). */
int isodate_today(char *buf, size_t size);

#endif
