#include "publish_release_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "embedded.h"
#include "xmlsafe.h"

#define RELEASE_NS "urn:mappa:release:1"

static const struct xmlsafe_load_rules release_rules = { { "L01", "L02" }, "L00", "L03" };

/* Copies e's text into buf (size bytes) and returns buf. */
static const char *copy_text(char *buf, size_t size, const xmlNode *e)
{
	xmlChar *text = xmlNodeGetContent(e);
	snprintf(buf, size, "%s", text ? (const char *)text : "");
	xmlFree(text);
	return buf;
}

/* Copies e's attribute name into buf and returns buf, or NULL when e has no such attribute. */
static const char *copy_attr(char *buf, size_t size, const xmlNode *e, const char *name)
{
	char *v = xmlsafe_attr(e, name);
	if (!v)
		return NULL;
	snprintf(buf, size, "%s", v);
	xmlFree(v);
	return buf;
}

int publish_release_load(struct publish_release_file *f, const char *file, const char *buf,
			 size_t len, struct diag_list *d)
{
	xmlDocPtr doc;
	int result = -1;

	memset(f, 0, sizeof *f);
	publish_release_init(&f->release);
	doc = xmlsafe_load(file, buf, len, mappa_embed_release_xsd, mappa_embed_release_xsd_len,
			   "release.xsd", &release_rules, d);
	if (!doc)
		goto out;
	for (const xmlNode *e = xmlDocGetRootElement(doc)->children; e; e = e->next) {
		struct publish_release *r = &f->release;
		struct publish_release_lines *at = &f->lines;
		long line = xmlsafe_line(e);
		if (xmlsafe_is(e, RELEASE_NS, "date")) {
			r->date = copy_text(f->date, sizeof f->date, e);
			at->date = line;
		} else if (xmlsafe_is(e, RELEASE_NS, "next")) {
			r->next = copy_text(f->next, sizeof f->next, e);
			at->next = line;
		} else if (xmlsafe_is(e, RELEASE_NS, "producer")) {
			r->producer = copy_text(f->producer, sizeof f->producer, e);
			at->producer = line;
		} else if (xmlsafe_is(e, RELEASE_NS, "methodology")) {
			r->methodology = copy_text(f->methodology, sizeof f->methodology, e);
			at->methodology = line;
		} else if (xmlsafe_is(e, RELEASE_NS, "contact")) {
			r->contact = copy_attr(f->contact, sizeof f->contact, e, "name");
			r->email = copy_attr(f->email, sizeof f->email, e, "email");
			r->phone = copy_attr(f->phone, sizeof f->phone, e, "phone");
			at->contact = at->email = at->phone = line;
		}
		/* the licence: the schema allows only the one every output states */
	}
	if (publish_release_validate(&f->release, file, &f->lines, d) != 0)
		goto out;
	result = 0;
out:
	xmlFreeDoc(doc);
	return result;
}

int publish_release_load_path(struct publish_release_file *f, const char *path,
			      struct diag_list *d)
{
	char *buf = NULL;
	size_t len;
	int r;

	memset(f, 0, sizeof *f);
	r = xmlsafe_read_path(path, XMLSAFE_MAX_BYTES, "L05", &buf, &len, d);
	if (r == 0)
		r = publish_release_load(f, path, buf, len, d);
	free(buf);
	return r;
}

void publish_release_merge(struct publish_release *dst, const struct publish_release *base,
			   const struct publish_release *over)
{
	struct publish_release m;

	if (base)
		m = *base;
	else
		publish_release_init(&m);
	if (over) {
		if (over->date) m.date = over->date;
		if (over->next) m.next = over->next;
		if (over->producer) m.producer = over->producer;
		if (over->contact) m.contact = over->contact;
		if (over->email) m.email = over->email;
		if (over->phone) m.phone = over->phone;
		if (over->methodology) m.methodology = over->methodology;
	}
	*dst = m;
}
