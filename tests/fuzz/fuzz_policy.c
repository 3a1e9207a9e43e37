/*
 * fuzz_policy: the disclosure-control policy reader (policy_read_memory: safe parse, DOCTYPE
 * refused, policy.xsd, then the reader's own rules), with the compiled-in schema, and the two
 * questions every stage then asks of what it loaded.
 */
#include "fuzz_common.h"

#include <string.h>

#include "embedded.h"
#include "policy.h"

static struct policy_schema xsd;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlInitParser();
	fuzz_reset_libxml();
	xsd.path = NULL;
	xsd.buf = (const char *)mappa_embed_policy_xsd;
	xsd.len = mappa_embed_policy_xsd_len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy pol;
	struct diag_list d = DIAG_LIST_INIT;
	int r;

	fuzz_reset_libxml();
	memset(&pol, 0xa5, sizeof pol);
	r = policy_read_memory((const char *)data, size, "policy.xml", &xsd, &pol, &d);
	if (r == POLICY_ESCHEMA || r == POLICY_EIO)
		abort(); /* the compiled-in schema failed, or a memory buffer "cannot be read" */
	if (r != POLICY_OK && r != POLICY_EPARSE && r != POLICY_EINVALID && r != POLICY_ENOMEM)
		abort(); /* a status the header does not list */
	if (r != POLICY_OK && r != POLICY_ENOMEM && d.errors == 0)
		abort(); /* refused without a reason */
	if (r == POLICY_OK && d.errors != 0)
		abort(); /* accepted with an error */
	if (r == POLICY_OK && (pol.min_width > 5 || pol.coalition > 2 || pol.area.max > 10 ||
			       pol.national.max > 10))
		abort(); /* a setting past its bound (docs/disclosure-policy.md) */
	fuzz_touch_diags(&d);
	diag_clear(&d);
	if (r == POLICY_OK) {
		int n = 0;
		for (int c = 1; c <= 4; c++)
			n += policy_withheld(&pol, c);
		for (int64_t v = 0; v <= 12; v++)
			n += policy_primary(&pol, 0, v) + policy_primary(&pol, 1, v);
		(void)n;
		(void)policy_strerror(r);
	}
	return 0;
}
