/* Syscall names across every architecture, for the resolve stage: the 512
 * distinct names of the 7,000 table entries, sorted, with the architectures
 * that have each, so that a profile's name is looked up once (one search)
 * instead of once per table; and the did-you-mean for an unknown name, over
 * those 512 instead of every table entry, skipping by length and letters
 * the names too far from it. Internal to the library. */
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
 * found in one probe or two (a search of the 512 sorted names takes nine
 * strcmp calls). Its offset in the pool is the name's identity: each
 * table is sorted by name, so by offset too, and a table entry's name is
 * that offset. Built per use, in a few thousand steps: nothing global.
 * Syscall names are lower case, errno names upper case; arch/gen-tables
 * checks both, and that is how the pool's errno names are left out. */
struct sg_pool_index {
	uint16_t *slot; /* pool offset + 1; 0: free */
	size_t mask;    /* slots - 1 (a power of two, at least twice the names) */
};

/* 0, or -1 out of memory (nothing to free then). */
int sg_pool_index_init(struct sg_pool_index *x);
void sg_pool_index_free(struct sg_pool_index *x);

/* FNV-1a over a NUL-terminated name: the pool index's hash, and the
 * resolve stage's for the names no table has. */
uint64_t sg_name_hash(const char *s);

/* name's offset in sg_name_pool when some architecture has the syscall,
 * else -1; hash is sg_name_hash(name). */
long sg_pool_index_find(const struct sg_pool_index *x, const char *name, uint64_t hash);

/* What sg_suggest would propose for word over every architecture's table in
 * sg_arches() order (the closest name; the first met among equals), or NULL. */
const char *sg_names_suggest(const struct sg_names *x, const char *word);

#endif
