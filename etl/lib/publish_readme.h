/*
 * publish_readme: README.txt of the publication bundle: what the bundle holds, the release
 * metadata, the period, the sources (areas with a return, the populations), what is published
 * and withheld, the symbols, the files, the tables (from the definitions), how to check the
 * bundle, and the contact. Plain text wrapped at PUBLISH_TEXT_WIDTH. Appends to out (a failed
 * allocation marks out failed).
 */
#ifndef MAPPA_PUBLISH_README_H
#define MAPPA_PUBLISH_README_H

#include "areas.h"
#include "dataset.h"
#include "defs.h"
#include "policy.h"
#include "publish_release.h"
#include "strbuf.h"

/* pol: the disclosure policy (NULL: the shipped default); rel: the resolved release metadata
 * (publish_release_resolve); ref may be NULL. */
void publish_readme_write(const struct dataset *ds, const struct defs *defs, const struct policy *pol,
			  const struct areas *ref,
			  const struct publish_release *rel, struct strbuf *out);

#endif
