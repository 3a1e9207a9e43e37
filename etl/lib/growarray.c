#include "growarray.h"

#include <stdint.h>
#include <stdlib.h>

int grow_array(void **ptr, size_t *cap, size_t need, size_t elsize)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / elsize)
		return -1;
	np = realloc(*ptr, ncap * elsize);
	if (np == NULL)
		return -1;
	*ptr = np;
	*cap = ncap;
	return 0;
}
