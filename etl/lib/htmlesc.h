/*
 * htmlesc: the one HTML escaper of the project. Every HTML the programs write (the bundle's
 * pages, the run report) escapes text through it, so that text is safe the same way everywhere:
 * in element content and in attribute values quoted with either quote.
 */
#ifndef MAPPA_HTMLESC_H
#define MAPPA_HTMLESC_H

#include "strbuf.h"

/* Appends s to out with & < > " ' written as &amp; &lt; &gt; &quot; &#39; (s NULL: nothing). */
void htmlesc_append(struct strbuf *out, const char *s);

#endif
