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
	return quote_arg_buf(next_buffer(), FE_NAME_SIZE + 2, name);
}

const char *fe_name_bare(const char *name)
{
	return quote_name_buf(next_buffer(), FE_NAME_SIZE, name);
}
