/*
 * errmsg: how the modules that still report through a caller's message buffer (char *err,
 * size_t errlen) fill it. Kept only for audit.c and sdc.c until they are converted (the lead's
 * change): every other module reports through diag.h, the one error value of the library, and
 * new code must too.
 */
#ifndef MAPPA_ERRMSG_H
#define MAPPA_ERRMSG_H

#include <stddef.h>

/* Formats into err (errlen bytes; err may be NULL or errlen 0: then nothing is written). */
void errmsg_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
