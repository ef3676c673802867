/* The allocator of the static binary (make static only; other builds use
 * their libc's): musl's mallocng is about 7 KB, this is under one. sysgate
 * is one thread (its forks copy memory, never share it), so no locks.
 *
 * A block is a power of two from 32 bytes: a 16-byte header (the block's
 * size) and then what the caller gets, 16-byte aligned. Blocks under
 * 128 KiB come from 1 MiB arenas and go back to a free list per size, to
 * serve the next request of that size; larger ones are mapped and unmapped
 * one by one (their header's size has its low bit set). What the lists
 * hold never goes back to the kernel, and serves only its own size: for a
 * command that runs once and ends, a fair trade for the bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define HDR 16
#define MIN_SHIFT 5
#define BIG_SHIFT 17
#define ARENA ((size_t)1 << 20)

static void *lists[BIG_SHIFT];
static char *arena_next, *arena_end;

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void *malloc(size_t n)
{
	if (n > SIZE_MAX / 2 - 4096) {
		errno = ENOMEM;
		return NULL;
	}
	unsigned k = MIN_SHIFT;
	while (((size_t)1 << k) < n + HDR)
		k++;
	size_t size = (size_t)1 << k;
	char *b;
	if (k >= BIG_SHIFT) {
		size = (n + HDR + 4095) & ~(size_t)4095;
		b = map(size);
		size |= 1;
	} else if (lists[k]) {
		b = lists[k];
		lists[k] = *(void **)(b + HDR);
	} else {
		if ((size_t)(arena_end - arena_next) < size) {
			arena_next = map(ARENA);
			arena_end = arena_next ? arena_next + ARENA : NULL;
		}
		b = arena_next;
		if (b)
			arena_next += size;
	}
	if (!b) {
		errno = ENOMEM;
		return NULL;
	}
	*(size_t *)b = size;
	return b + HDR;
}

void free(void *p)
{
	if (!p)
		return;
	char *b = (char *)p - HDR;
	size_t size = *(size_t *)b;
	if (size & 1) {
		munmap(b, size - 1);
		return;
	}
	unsigned k = MIN_SHIFT;
	while (((size_t)1 << k) < size)
		k++;
	*(void **)p = lists[k];
	lists[k] = b;
}

void *calloc(size_t m, size_t n)
{
	if (n && m > SIZE_MAX / n) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(m * n);
	return p ? memset(p, 0, m * n) : NULL;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	size_t have = (*(size_t *)((char *)p - HDR) & ~(size_t)1) - HDR;
	if (n <= have)
		return p;
	void *q = malloc(n);
	if (q) {
		memcpy(q, p, have);
		free(p);
	}
	return q;
}
