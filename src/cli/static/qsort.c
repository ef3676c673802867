/* qsort for the static binary (make static only): a heapsort, about 200
 * bytes where musl's smoothsort is about 2 KB. O(n log n) in the worst case
 * too, O(n) on input already in order (smoothsort's best case), and not
 * stable, as musl's is not: every comparator sysgate sorts with orders all
 * that it writes out (the glibc and musl builds write the same bytes), so
 * any correct sort gives the same output. */
#include <stdlib.h>

static void swap(char *a, char *b, size_t w)
{
	while (w--) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* The element at i sinks to its place in the heap base[0..n). */
static void sift(char *base, size_t i, size_t n, size_t w, int (*cmp)(const void *, const void *))
{
	for (size_t c; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && cmp(base + c * w, base + (c + 1) * w) < 0)
			c++;
		if (cmp(base + i * w, base + c * w) >= 0)
			return;
		swap(base + i * w, base + c * w, w);
	}
}

void qsort(void *b, size_t n, size_t w, int (*cmp)(const void *, const void *))
{
	char *base = b;
	size_t s = 1;
	while (s < n && cmp(base + (s - 1) * w, base + s * w) <= 0)
		s++;
	if (s >= n) /* already in order, as the parser's lists of keys often are */
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift(base, i, n, w, cmp);
	for (size_t k = n; k-- > 1;) {
		swap(base, base + k * w, w);
		sift(base, 0, k, w, cmp);
	}
}
