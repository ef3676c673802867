/* Syscall names across every architecture: see names.h. */
#include "names.h"

#include <stdlib.h>
#include <string.h>

#include "sysgate/arch.h"
#include "sysgate/diag.h"

#include "../arch/arches.h"

_Static_assert(SG_NARCHES <= 32, "sg_known_name.arches has a bit per architecture");
_Static_assert(SG_NAME_POOL_SIZE < 0xffff, "sg_pool_index keeps an offset + 1 in 16 bits");

/* A bit per character, case-folded as sg_suggest compares them: a name
 * within edit distance k of another lacks at most k of its bits, and the
 * other way round (each edit changes one character). */
static uint64_t letters(const char *s, size_t n)
{
	uint64_t m = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned f = (unsigned char)(s[i] | 0x20);
		unsigned bit = f >= 'a' && f <= 'z' ? f - 'a' : f >= '0' && f <= '9' ? 26 + f - '0' : 36 + f % 28;
		m |= 1ull << bit;
	}
	return m;
}

/* More than k bits set (k is at most 3: a few steps, no popcount call). */
static int more_bits(uint64_t m, size_t k)
{
	while (m && k--)
		m &= m - 1;
	return m != 0;
}

/* Stable counting sort of idx[0..n) by key(v[idx[i]]) < nkeys into out. */
static void sort_by(const struct sg_known_name *v, const uint16_t *idx, size_t n, uint16_t *out, size_t nkeys,
		    size_t (*key)(const struct sg_known_name *), size_t *start)
{
	for (size_t k = 0; k <= nkeys; k++)
		start[k] = 0;
	for (size_t i = 0; i < n; i++)
		start[key(&v[idx[i]]) + 1]++;
	for (size_t k = 0; k < nkeys; k++)
		start[k + 1] += start[k];
	size_t at[SG_NAMES_MAXLEN + 2];
	for (size_t k = 0; k < nkeys; k++)
		at[k] = start[k];
	for (size_t i = 0; i < n; i++)
		out[at[key(&v[idx[i]])]++] = idx[i];
}

static size_t first_arch(const struct sg_known_name *e) { return e->order >> 16; }
static size_t length(const struct sg_known_name *e) { return e->len; }

/* The did-you-mean's candidates: by length, then in table order. */
static int by_length(struct sg_names *x)
{
	uint16_t *idx = malloc((x->n + 1) * sizeof(*idx));
	x->by_len = malloc((x->n + 1) * sizeof(*x->by_len));
	if (!idx || !x->by_len) {
		free(idx);
		return -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < x->n; i++)
		if (x->v[i].len <= SG_NAMES_MAXLEN)
			idx[k++] = (uint16_t)i;
	size_t start[SG_NAMES_MAXLEN + 2];
	sort_by(x->v, idx, k, x->by_len, SG_NARCHES, first_arch, start); /* in table order */
	sort_by(x->v, x->by_len, k, idx, SG_NAMES_MAXLEN + 1, length, x->len_start);
	memcpy(x->by_len, idx, k * sizeof(*idx));
	free(idx);
	return 0;
}

int sg_names_init(struct sg_names *x)
{
	size_t narches;
	const struct sg_arch *const *all = sg_arches(&narches);
	memset(x, 0, sizeof(*x));
	uint32_t *mask = calloc(SG_NAME_POOL_SIZE, sizeof(*mask)); /* by offset in the name pool */
	if (!mask)
		return -1;
	for (size_t a = 0; a < narches; a++)
		for (size_t c = 0; c < all[a]->nsyscalls; c++)
			mask[all[a]->by_name[c].name] |= 1u << a;
	for (size_t off = 0; off < SG_NAME_POOL_SIZE; off++)
		x->n += mask[off] != 0;
	x->v = malloc((x->n + 1) * sizeof(*x->v));
	if (!x->v) {
		free(mask);
		return -1;
	}
	size_t k = 0;
	for (size_t off = 0; off < SG_NAME_POOL_SIZE; off++) {
		if (!mask[off])
			continue;
		struct sg_known_name *e = &x->v[k++];
		e->name = sg_name_pool + off;
		e->len = strlen(e->name);
		e->arches = mask[off];
		e->letters = letters(e->name, e->len);
	}
	free(mask);
	/* in pool order: sorted, as arch/gen-tables writes the pool (test_arch checks) */
	/* sg_suggest over the tables in order meets names by their first
	 * architecture, then by name (each table is sorted) */
	for (size_t i = 0; i < x->n; i++)
		x->v[i].order = (uint32_t)__builtin_ctz(x->v[i].arches) << 16 | (uint32_t)i;
	if (by_length(x)) {
		sg_names_free(x);
		return -1;
	}
	return 0;
}

void sg_names_free(struct sg_names *x)
{
	free(x->v);
	free(x->by_len);
	memset(x, 0, sizeof(*x));
}

long sg_names_find(const struct sg_names *x, const char *name)
{
	size_t lo = 0, hi = x->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, x->v[mid].name);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

uint64_t sg_name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

_Static_assert(SG_POOL_SLOTS >= 2 * SG_NAME_POOL_SYSCALLS && !(SG_POOL_SLOTS & (SG_POOL_SLOTS - 1)),
	       "the pool index is a power of two, at most half full");

/* The pool index's slot for a name: its first and last 8 bytes (all of a
 * shorter one) and its length, mixed by multiplies; a few steps for any
 * length, where FNV takes a few per byte. Names that agree there (none of
 * today's) only probe further. Inline: once a name. */
static inline size_t pool_slot(const char *s, size_t len)
{
	uint64_t a = 0, b = 0;
	if (len >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + len - 8, 8);
	} else {
		for (size_t i = 0; i < len; i++)
			a = a << 8 | (unsigned char)s[i];
	}
	uint64_t h = ((a * 0x9e3779b97f4a7c15u) ^ b ^ len) * 0xbf58476d1ce4e5b9u;
	return (size_t)(h >> 40) & (SG_POOL_SLOTS - 1);
}

void sg_pool_index_init(struct sg_pool_index *x)
{
	memset(x->slot, 0, sizeof(x->slot));
	for (size_t off = 0, len; off < SG_NAME_POOL_SIZE - 1; off += len + 1) {
		const char *name = sg_name_pool + off;
		len = strlen(name);
		if (*name >= 'A' && *name <= 'Z') /* an errno's */
			continue;
		size_t h = pool_slot(name, len);
		while (x->slot[h])
			h = (h + 1) & (SG_POOL_SLOTS - 1);
		x->slot[h] = (uint16_t)(off + 1);
	}
}

long sg_pool_index_find(const struct sg_pool_index *x, const char *name)
{
	/* the pool is fixed and the index half empty: a few probes at most,
	 * whatever the name */
	for (size_t h = pool_slot(name, strlen(name)); x->slot[h]; h = (h + 1) & (SG_POOL_SLOTS - 1))
		if (strcmp(sg_name_pool + x->slot[h] - 1, name) == 0)
			return (long)x->slot[h] - 1;
	return -1;
}

const char *sg_names_suggest(const struct sg_names *x, const char *word)
{
	size_t len = strnlen(word, SG_NAMES_MAXLEN + 1);
	if (len > SG_NAMES_MAXLEN)
		return NULL;
	struct sg_suggester s;
	sg_suggest_init(&s, word);
	uint64_t have = letters(word, len);
	const struct sg_known_name *best = NULL;
	size_t best_dist = s.limit + 1;
	size_t lo = len > s.limit ? len - s.limit : 0, hi = len + s.limit;
	if (hi > SG_NAMES_MAXLEN)
		hi = SG_NAMES_MAXLEN;
	/* only lengths within the limit can be close enough */
	for (size_t i = x->len_start[lo]; i < x->len_start[hi + 1]; i++) {
		const struct sg_known_name *c = &x->v[x->by_len[i]];
		if (more_bits(have & ~c->letters, s.limit) || more_bits(c->letters & ~have, s.limit))
			continue;
		size_t dist = sg_suggest_distance(&s, c->name);
		if (dist < best_dist || (dist == best_dist && best && c->order < best->order)) {
			best = c;
			best_dist = dist;
		}
	}
	return best ? best->name : NULL;
}
