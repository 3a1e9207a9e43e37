/*
 * htmlesc: the HTML escaper for markup still written as text (the run report, the time-series
 * sections of publish_series), so that text is safe the same way everywhere: in element content
 * and in attribute values quoted with either quote. The bundle's pages and chart are written
 * through libxml2 instead (xhtml.h), which escapes for them.
 */
#ifndef MAPPA_HTMLESC_H
#define MAPPA_HTMLESC_H

#include "strbuf.h"

/* Appends s to out with & < > " ' written as &amp; &lt; &gt; &quot; &#39; (s NULL: nothing). */
void htmlesc_append(struct strbuf *out, const char *s);

#endif
