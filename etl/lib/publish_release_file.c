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
	char err[256];
	int result = -1;

	memset(f, 0, sizeof *f);
	publish_release_init(&f->release);
	doc = xmlsafe_load(file, buf, len, mappa_embed_release_xsd, mappa_embed_release_xsd_len,
			   "release.xsd", &release_rules, d);
	if (!doc)
		goto out;
	for (const xmlNode *e = xmlDocGetRootElement(doc)->children; e; e = e->next) {
		struct publish_release *r = &f->release;
		if (xmlsafe_is(e, RELEASE_NS, "date"))
			r->date = copy_text(f->date, sizeof f->date, e);
		else if (xmlsafe_is(e, RELEASE_NS, "next"))
			r->next = copy_text(f->next, sizeof f->next, e);
		else if (xmlsafe_is(e, RELEASE_NS, "producer"))
			r->producer = copy_text(f->producer, sizeof f->producer, e);
		else if (xmlsafe_is(e, RELEASE_NS, "methodology"))
			r->methodology = copy_text(f->methodology, sizeof f->methodology, e);
		else if (xmlsafe_is(e, RELEASE_NS, "contact")) {
			r->contact = copy_attr(f->contact, sizeof f->contact, e, "name");
			r->email = copy_attr(f->email, sizeof f->email, e, "email");
			r->phone = copy_attr(f->phone, sizeof f->phone, e, "phone");
		}
		/* the licence: the schema allows only the one every output states */
	}
	if (publish_release_check(&f->release, err, sizeof err) != 0) {
		diag_add(d, file, 0, "L04", DIAG_ERROR, "%s", err);
		goto out;
	}
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
	r = xmlsafe_read_file(path, XMLSAFE_MAX_BYTES, &buf, &len);
	if (r == XMLSAFE_READ_TOO_BIG) {
		diag_add(d, path, 0, "L05", DIAG_ERROR, "larger than %zu bytes", (size_t)XMLSAFE_MAX_BYTES);
		r = -1;
		goto out;
	}
	if (r != XMLSAFE_READ_OK) {
		r = -2;
		goto out;
	}
	r = publish_release_load(f, path, buf, len, d);
out:
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
