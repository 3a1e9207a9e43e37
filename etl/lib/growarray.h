/*
 * growarray: growing a heap array by doubling, with the overflow check in one place.
 */
#ifndef MAPPA_GROWARRAY_H
#define MAPPA_GROWARRAY_H

#include <stddef.h>

/*
 * Grows the array *ptr of *cap elements of elsize bytes to hold at least need elements.
 * Returns 0 (*ptr and *cap updated, or unchanged when already large enough), or -1 on size
 * overflow or when out of memory (then *ptr and *cap are unchanged).
 */
int grow_array(void **ptr, size_t *cap, size_t need, size_t elsize);

#endif
