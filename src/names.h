/* Syscall names across every architecture, for the resolve stage: the pool
 * index, which finds a profile's name among the 512 distinct names of the
 * 7,000 table entries in a probe or two (its pool offset, the name's
 * identity in every table); and the did-you-mean for a name no table has,
 * over those 512 (sorted, with the architectures that have each) instead
 * of every table entry, skipping by length and letters the names too far
 * from it. Internal to the library. */
#ifndef SYSGATE_SRC_NAMES_H
#define SYSGATE_SRC_NAMES_H

#include <stddef.h>
#include <stdint.h>

#define SG_NAMES_MAXLEN 64 /* sg_suggest never proposes a name longer, or for a longer word */

struct sg_known_name {
	const char *name;
	size_t len;
	uint32_t arches;  /* bit i: sg_arches()[i] has it */
	uint32_t order;   /* its place when the tables are read in order, as sg_suggest would */
	uint64_t letters; /* which characters it has, case-folded (see letters()) */
};

struct sg_names {
	struct sg_known_name *v; /* sorted by name (strcmp) */
	size_t n;
	uint16_t *by_len; /* indices into v by length, then order: the did-you-mean's candidates */
	size_t len_start[SG_NAMES_MAXLEN + 2];
};

/* 0, or -1 out of memory (nothing to free then). */
int sg_names_init(struct sg_names *x);
void sg_names_free(struct sg_names *x);

/* The index of name in x->v, or -1 when no architecture has it. */
long sg_names_find(const struct sg_names *x, const char *name);

/* Every syscall name in sg_name_pool, hashed, so that a profile's name is
 * found in a probe or two (a search of the 512 sorted names takes nine
 * strcmp calls). Its offset in the pool is the name's identity: each
 * table is sorted by name, so by offset too, and a table entry's name is
 * that offset. Built per use, in a few thousand steps: nothing global.
 * Syscall names are lower case, errno names upper case (arch/gen-tables
 * checks): that is how the pool's errno names are left out. */
#define SG_POOL_SLOTS 1024 /* a power of two, at least twice the syscall names */

struct sg_pool_index {
	uint16_t slot[SG_POOL_SLOTS]; /* pool offset + 1; 0: free */
};

void sg_pool_index_init(struct sg_pool_index *x);

/* name's offset in sg_name_pool when some architecture has the syscall,
 * else -1. */
long sg_pool_index_find(const struct sg_pool_index *x, const char *name);

/* FNV-1a over a NUL-terminated name: the resolve stage's hash of the
 * names no table has. */
uint64_t sg_name_hash(const char *s);

/* What sg_suggest would propose for word over every architecture's table in
 * sg_arches() order (the closest name; the first met among equals), or NULL. */
const char *sg_names_suggest(const struct sg_names *x, const char *word);

#endif
