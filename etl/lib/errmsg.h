/*
 * errmsg: the one way library modules that report through a caller's message buffer
 * (char *err, size_t errlen) fill it.
 */
#ifndef MAPPA_ERRMSG_H
#define MAPPA_ERRMSG_H

#include <stddef.h>

/* Formats into err (errlen bytes; err may be NULL or errlen 0: then nothing is written). */
void errmsg_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
