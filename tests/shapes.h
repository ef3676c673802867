/* The worst shapes of input for sysgate's cost per byte: profiles up to the
 * 16 MiB limit that once made a command quadratic (or worse) in their size,
 * each as a head, as many items as fit, and a tail. Shared by tests/linear.sh
 * (through tests/mkshape.c: every command within a generous bound at 16 MiB)
 * and the benchmark (bench/linear.c: the cost per MB of each). */
#ifndef SYSGATE_TESTS_SHAPES_H
#define SYSGATE_TESTS_SHAPES_H

#include <stddef.h>

struct shape {
	const char *key;   /* "array-of-objects" */
	const char *what;  /* the input, and the path it once made quadratic */
	const char *head, *tail;
	/* item i (i >= 0) into buf (at least 128 bytes); its length. The items
	 * are joined with commas; 0 (as the only item): the head is followed
	 * by one long string instead (long-name) */
	size_t (*item)(char *buf, size_t i);
	const char *commands; /* what tests/linear.sh runs on it: "check compile stats exec" */
};

extern const struct shape sg_shapes[];
extern const size_t sg_nshapes;

const struct shape *sg_shape(const char *key);

/* The shape at most `bytes` long (and at least a few items) into path: 0, or
 * -1 with errno set. */
int sg_shape_write(const struct shape *s, size_t bytes, const char *path);

#endif
