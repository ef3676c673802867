/* A stable sort by a 32-bit key, in linear time, for the planner: the
 * rules of an arch by syscall number (in profile order within a number),
 * an EQ set's values by high word. Internal to the library. */
#ifndef SYSGATE_SRC_SORT_H
#define SYSGATE_SRC_SORT_H

#include <stddef.h>
#include <stdint.h>

/* order[0..n) becomes the indices 0..n-1 of key, by key and then by index.
 * 0, or -1 when memory runs out. */
int sg_sort_by_key(const uint32_t *key, size_t n, size_t *order);

#endif
