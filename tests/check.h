/* A minimal test harness: CHECK records a result, check_summary prints
 * "N passed, N failed" and gives the exit status. */
#ifndef SYSGATE_TESTS_CHECK_H
#define SYSGATE_TESTS_CHECK_H

#include <stdint.h>
#include <stdio.h>

static unsigned check_passed, check_failed;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (cond) {                                                     \
			check_passed++;                                         \
		} else {                                                        \
			check_failed++;                                         \
			fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)

/* splitmix64: random tests are reproducible from their seed */
static inline uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline int check_summary(const char *suite)
{
	printf("%s: %u passed, %u failed\n", suite, check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
