/* The learn stage's state, shared by its two halves: learn.c gathers
 * (calls seen, base profiles), learn_write.c writes the profile and the
 * summary. Internal to the library. */
#ifndef SYSGATE_SRC_LEARN_IMPL_H
#define SYSGATE_SRC_LEARN_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/learn.h"

struct sg_learn_seen {
	const struct sg_arch *arch; /* NULL, as name, for a call sysgate cannot name */
	const char *name; /* the arch table's */
	uint32_t audit, nr, action;
	uint64_t count;
	int tracked;         /* an index in learn.c's table of trackable syscalls, or -1 */
	unsigned arg;        /* tracked: the argument whose values are kept */
	int unconditional;   /* a tracked call came without its arguments */
	uint64_t *values;    /* tracked: distinct values, unsorted */
	size_t nvalues, capvalues;
};

/* A rule kept from a base profile, one name each; an unconditional ALLOW
 * rule is a name the output allows outright. */
struct sg_learn_rule {
	char *name;
	uint32_t action;       /* SECCOMP_RET_*, data encoded on the base's first architecture */
	struct sg_cond *conds; /* sorted (sg_learn_cmp_cond); NULL when none */
	size_t nconds;
	unsigned input;        /* which sg_learn_add_base call it came from */
};

struct sg_learn {
	const struct sg_arch *native;
	unsigned track;        /* bit i: the i-th trackable syscall */
	unsigned char *arches; /* per sg_arches() index: seen or in a base */
	struct sg_learn_seen *seen;
	size_t nseen, capseen;
	uint32_t *index;       /* open addressing: seen index + 1, 0 empty */
	size_t capindex;       /* a power of two, at least twice nseen */
	size_t added;          /* sg_learn_count */
	struct sg_learn_rule *rules; /* the bases' rules */
	size_t nrules, caprules;
	unsigned ninputs;      /* sg_learn_add_base calls */
	uint32_t default_action; /* the inputs' most restrictive default, once ninputs > 0 */
};

/* Grows *p (of *cap elements of size sz) to hold n. 0, or -1. */
int sg_learn_grow(void *p, size_t *cap, size_t n, size_t sz);

/* a's index in sg_arches(). */
size_t sg_learn_arch_index(const struct sg_arch *a);

/* The canonical order of conditions: index, op, value, valueTwo (MASKED_EQ's only: no other op reads it). */
int sg_learn_cmp_cond(const struct sg_cond *a, const struct sg_cond *b);

#endif
