/* A stable sort by a 32-bit key: see sort.h. */
#include "sort.h"

#include <stdlib.h>
#include <string.h>

/* LSD radix sort, a byte at a time; a byte every key shares is skipped. */
int sg_sort_by_key(const uint32_t *key, size_t n, size_t *order)
{
	size_t *tmp = malloc((n + 1) * sizeof(*tmp));
	if (!tmp)
		return -1;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	size_t *from = order, *to = tmp;
	for (unsigned shift = 0; shift < 32; shift += 8) {
		size_t count[257];
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(key[i] >> shift & 0xff) + 1]++;
		if (n == 0 || count[(key[0] >> shift & 0xff) + 1] == n)
			continue;
		for (size_t b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++) {
			size_t k = from[i];
			to[count[key[k] >> shift & 0xff]++] = k;
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
