/* A stable sort by a 32-bit key: see sort.h. */
#include "sort.h"

#include <stdlib.h>
#include <string.h>

/* LSD radix sort, a byte at a time, over the bytes in which keys differ
 * (found first: syscall numbers differ in their low two bytes only). */
int sg_sort_by_key(const uint32_t *key, size_t n, size_t *order)
{
	size_t *tmp = malloc((n + 1) * sizeof(*tmp));
	if (!tmp)
		return -1;
	uint32_t differ = 0;
	for (size_t i = 0; i < n; i++) {
		order[i] = i;
		differ |= key[i] ^ key[0];
	}
	size_t *from = order, *to = tmp;
	for (unsigned shift = 0; shift < 32; shift += 8) {
		if (!(differ >> shift & 0xff))
			continue;
		size_t at[256]; /* per byte value: where its keys go */
		memset(at, 0, sizeof(at));
		for (size_t i = 0; i < n; i++)
			at[key[i] >> shift & 0xff]++;
		for (size_t b = 0, sum = 0; b < 256; b++) {
			size_t c = at[b];
			at[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++) {
			size_t k = from[i];
			to[at[key[k] >> shift & 0xff]++] = k;
		}
		size_t *t = from;
		from = to;
		to = t;
	}
	if (from != order)
		memcpy(order, from, n * sizeof(*order));
	free(tmp);
	return 0;
}
