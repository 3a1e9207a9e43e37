#include "fe_name.h"

#include <stdio.h>

#include "quote.h"

#define FE_NAME_SIZE 1024

static char *next_buffer(void)
{
	static char bufs[4][FE_NAME_SIZE + 2];
	static unsigned next;
	return bufs[next++ % 4];
}

const char *fe_name(const char *name)
{
	char *b = next_buffer();

	if (name && !quote_needed(name)) {
		char plain[FE_NAME_SIZE];
		snprintf(b, FE_NAME_SIZE + 2, "'%s'", quote_name_buf(plain, sizeof plain, name));
		return b;
	}
	return quote_name_buf(b, FE_NAME_SIZE, name);
}

const char *fe_name_bare(const char *name)
{
	return quote_name_buf(next_buffer(), FE_NAME_SIZE, name);
}
