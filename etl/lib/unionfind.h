/*
 * unionfind: the root of an element's set in a union-find forest (the components of a linked
 * system: audit.c's LPs, protect.c's cells the method's bounds reach).
 */
#ifndef MAPPA_UNIONFIND_H
#define MAPPA_UNIONFIND_H

#include <stddef.h>

/* The root of x's set in the forest up (up[x] == x at a root), halving the path on the way. */
size_t uf_root(size_t *up, size_t x);

#endif
