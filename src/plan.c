/* Plan stage: a policy becomes a decision graph (see include/sysgate/plan.h);
 * emit.c lays the graph out as instructions. The sketches of BPF in this
 * file show a `ld` wherever a test reads a word; the emitter leaves it out
 * when every way in already left that word in A.
 *
 * A worked example, compiled for x86_64 alone:
 *
 *   defaultAction SCMP_ACT_ERRNO (errno 1); read, write: SCMP_ACT_ALLOW;
 *   personality: SCMP_ACT_ALLOW if args[0] == 0xffffffff (a query: it changes nothing)
 *
 * Runs: the 32-bit number space cut where the decision changes.
 *
 *   0 .. 1                    ALLOW         read and write: one decision, one run
 *   2 .. 134                  ERRNO(1)      no rule: the default
 *   135                       personality's block
 *   136 .. 0x3fffffff         ERRNO(1)
 *   0x40000000 .. 0xfffffffe  KILL_PROCESS  x32's half, not a target: a foreign arch
 *   0xffffffff                ERRNO(1)      -1, a call a tracer cancelled
 *
 * Search tree: runs touching 0..470 (the table) are hot; the two cold ones
 * fold into one subtree. Five items need three levels; of the splits that
 * keep three, 136 balances the weight best (the table's numbers weigh most).
 *
 *   nr >= 136?  no:  nr >= 2?           no: ALLOW   yes: nr >= 135? block : ERRNO
 *               yes: nr >= 0x40000000?  no: ERRNO   yes: nr >= 0xffffffff? ERRNO : KILL_PROCESS
 *
 * Program (sysgate compile --arch x86_64, sysgate disasm):
 *
 *   0000: ld  [arch]
 *   0001: jeq #0xc000003e (x86_64)    jt 0002  jf 0013   any other arch: bad-arch action
 *   0002: ld  [nr]
 *   0003: jge #0x88 (ustat)           jt 0011  jf 0004   136: the root split
 *   0004: jge #0x2 (open)             jt 0005  jf 0010
 *   0005: jge #0x87 (personality)     jt 0006  jf 0014
 *   0006: ld  [args[0] lo]                               the block: low word first,
 *   0007: jeq #0xffffffff             jt 0008  jf 0014   it tells values apart sooner
 *   0008: ld  [args[0] hi]
 *   0009: jset #0xffffffff            jt 0014  jf 0010   high word == 0: no bit set
 *   0010: ret ALLOW                                      hash-consed: one node, three ways in
 *   0011: jge #0x40000000 (x32 base)  jt 0012  jf 0014
 *   0012: jge #0xffffffff             jt 0014  jf 0013
 *   0013: ret KILL_PROCESS
 *   0014: ret ERRNO(1) */
#include "sysgate/plan.h"

#include <stdlib.h>
#include <string.h>

#include "sysgate/bpf.h"
#include "sysgate/seccomp.h"

#include "plan_impl.h"
#include "sort.h"

void sg_compile_opts_init(struct sg_compile_opts *o) { o->bad_arch_action = SG_RET_KILL_PROCESS; }

/* ---- hash-consed nodes ---------------------------------------------------- */

uint32_t sg_planner_failed(struct planner *pl)
{
	pl->failed = 1;
	return 0;
}

static uint32_t hash_node(const struct sg_node *n)
{
	/* the fields packed into three words, each mixed in by a multiply */
	uint64_t h = ((uint64_t)n->kind | (uint64_t)n->off << 8 | (uint64_t)n->op << 16 | (uint64_t)n->ret << 32) *
		     0x9e3779b97f4a7c15u;
	h = (h ^ ((uint64_t)n->mask | (uint64_t)n->k << 32)) * 0xbf58476d1ce4e5b9u;
	h = (h ^ ((uint64_t)n->jt | (uint64_t)n->jf << 32)) * 0x94d049bb133111ebu;
	return (uint32_t)(h >> 32);
}

static int same_node(const struct sg_node *a, const struct sg_node *b)
{
	return a->kind == b->kind && a->ret == b->ret && a->off == b->off && a->op == b->op && a->mask == b->mask &&
	       a->k == b->k && a->jt == b->jt && a->jf == b->jf;
}

static void rehash(struct planner *pl)
{
	struct sg_plan *plan = pl->plan;
	size_t n = plan->nslots ? plan->nslots * 2 : 1024; /* room for 512 nodes, as below */
	uint32_t *slots = calloc(n, sizeof(*slots));
	if (!slots) {
		sg_planner_failed(pl);
		return;
	}
	for (size_t i = 0; i < plan->nnodes; i++) {
		size_t s = hash_node(&plan->nodes[i]) & (n - 1);
		while (slots[s])
			s = (s + 1) & (n - 1);
		slots[s] = (uint32_t)i + 1;
	}
	free(plan->slots);
	plan->slots = slots;
	plan->nslots = n;
}

static uint32_t intern(struct planner *pl, const struct sg_node *n)
{
	struct sg_plan *plan = pl->plan;
	if (!pl->failed && (plan->nnodes + 1) * 2 > plan->nslots)
		rehash(pl);
	if (pl->failed)
		return 0;
	size_t s = hash_node(n) & (plan->nslots - 1);
	for (; plan->slots[s]; s = (s + 1) & (plan->nslots - 1))
		if (same_node(&plan->nodes[plan->slots[s] - 1], n))
			return plan->slots[s] - 1;
	if (plan->nnodes == plan->cap) {
		/* a profile like Docker's makes a few hundred nodes: room for
		 * them at once, not copied from smaller arrays */
		size_t cap = plan->cap ? plan->cap * 2 : 512;
		struct sg_node *v = realloc(plan->nodes, cap * sizeof(*v));
		if (!v)
			return sg_planner_failed(pl);
		plan->nodes = v;
		plan->cap = cap;
	}
	plan->nodes[plan->nnodes] = *n;
	plan->slots[s] = (uint32_t)plan->nnodes + 1;
	return (uint32_t)plan->nnodes++;
}

/* Inline: asked once a rule, and mostly answered from rets. */
static inline uint32_t ret_node(struct planner *pl, uint32_t action)
{
	/* a filter returns a few actions, asked for per rule: remembered, the
	 * one asked for last first (runs of rules share one) */
	if (pl->nrets && pl->rets[pl->last].action == action)
		return pl->rets[pl->last].node;
	for (size_t i = 0; i < pl->nrets; i++)
		if (pl->rets[i].action == action) {
			pl->last = i;
			return pl->rets[i].node;
		}
	struct sg_node n = { .kind = SG_NODE_RET, .ret = action };
	uint32_t node = intern(pl, &n);
	if (!pl->failed && pl->nrets < sizeof(pl->rets) / sizeof(*pl->rets))
		pl->rets[pl->nrets++] = (struct ret_seen){ action, node };
	return node;
}

/* "if ((word(off) & mask) op k) jt else jf", folded when both ways agree. */
uint32_t sg_planner_test(struct planner *pl, unsigned off, uint32_t mask, unsigned op, uint32_t k, uint32_t jt,
			 uint32_t jf)
{
	if (jt == jf)
		return jt;
	struct sg_node n = { .kind = SG_NODE_TEST, .off = (uint8_t)off, .op = (uint8_t)op, .mask = mask, .k = k,
			     .jt = jt, .jf = jf };
	return intern(pl, &n);
}

/* ---- searches over runs of a word's values ---------------------------------- */

struct run {
	uint32_t lo;
	uint32_t node;
	uint64_t weight;
};

struct runs {
	struct run *v;
	size_t n, cap;
};

/* Starts a run at lo (runs are added in increasing order of lo). Does
 * nothing once the planner has failed. Inline: called once a run, and
 * what it does is mostly a test or two. */
static inline void add_run(struct planner *pl, struct runs *rs, uint32_t lo, uint32_t node)
{
	if (pl->failed)
		return;
	if (rs->n && rs->v[rs->n - 1].lo == lo) { /* a syscall's block where the default began */
		rs->n--;
		if (!rs->n || rs->v[rs->n - 1].node != node)
			rs->v[rs->n++].node = node;
		return;
	}
	if (rs->n && rs->v[rs->n - 1].node == node)
		return; /* same decision: the run grows */
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct run *v = realloc(rs->v, cap * sizeof(*v));
		if (!v) {
			sg_planner_failed(pl);
			return;
		}
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n++] = (struct run){ .lo = lo, .node = node };
}

/* Runs i, i+1, i+2 read "A x A" with x a single number: one JEQ on x tells
 * the three apart, where JGE alone needs two tests. */
static int eq_triple(const struct run *v, size_t n, size_t i)
{
	return i + 2 < n && v[i].node == v[i + 2].node && v[i + 2].lo - v[i + 1].lo == 1;
}

/* A search over runs v[0..n) of one word's values (the syscall number, or
 * an argument's word): JGE splits, and JEQ for an "A x A" triple at the
 * bottom. reach[d][i] is the furthest j such that runs [i, j) fit under d
 * tests; greedy is exact because a part of runs that fit also fits, so the
 * tree can have the least depth possible. */
struct search {
	struct planner *pl;
	const struct run *v;
	size_t n;
	const uint64_t *prefix;
	unsigned off; /* the word searched */
	size_t *reach; /* (depth + 1) rows of n + 1 */
};

#define REACH(s, d, i) ((s)->reach[(size_t)(d) * ((s)->n + 1) + (i)])

static uint32_t search_build(const struct search *s, size_t i, size_t j, unsigned depth)
{
	struct planner *pl = s->pl;
	const struct run *v = s->v;
	if (j - i == 1)
		return v[i].node;
	if (j - i == 3 && eq_triple(v, s->n, i))
		return sg_planner_test(pl, s->off, WORD, SG_BPF_JEQ, v[i + 1].lo, v[i + 1].node, v[i].node);
	/* split at k: [i, k) and [k, j) must each fit under depth - 1 tests;
	 * among those, the one that balances the weight best */
	size_t kmax = REACH(s, depth - 1, i) < j - 1 ? REACH(s, depth - 1, i) : j - 1, kmin = i + 1;
	while (kmin < kmax && REACH(s, depth - 1, kmin) < j)
		kmin++;
	size_t best = kmin;
	uint64_t total = s->prefix[j] - s->prefix[i], bestd = UINT64_MAX;
	for (size_t k = kmin; k <= kmax; k++) {
		uint64_t left = s->prefix[k] - s->prefix[i], right = total - left;
		uint64_t diff = left > right ? left - right : right - left;
		if (diff < bestd) {
			bestd = diff;
			best = k;
		}
	}
	uint32_t left = search_build(s, i, best, depth - 1);
	uint32_t right = search_build(s, best, j, depth - 1);
	return sg_planner_test(pl, s->off, WORD, SG_BPF_JGE, v[best].lo, right, left);
}

/* The shallowest search over v[0..n), plus `slack` levels for balancing.
 * For the runs 0..1 ALLOW, 2..134 ERRNO, 135 block (the example at the top):
 *   ld [off]; jge #2, 1f, ALLOW;  1: jge #135, block, ERRNO
 * JGE alone needs no leaf test, as the runs cover the space. For three runs
 * "A x A" (2..134 ERRNO, 135 block, 136.. ERRNO):  jeq #135, block, ERRNO */
static uint32_t search_over(struct planner *pl, unsigned off, const struct run *v, size_t n, const uint64_t *prefix,
			    unsigned slack)
{
	unsigned maxd = slack;
	while (((size_t)1 << (maxd - slack)) < n)
		maxd++; /* JGE alone fits n runs in maxd - slack tests */
	struct search s = { .pl = pl, .v = v, .n = n, .prefix = prefix, .off = off,
			    .reach = malloc((size_t)(maxd + 1) * (n + 1) * sizeof(size_t)) };
	if (!s.reach)
		return sg_planner_failed(pl);
	unsigned depth = 0;
	for (size_t i = 0; i <= n; i++) { /* no test: one run; one: two, or an "A x A" triple */
		REACH(&s, 0, i) = i < n ? i + 1 : n;
		if (maxd >= 1)
			REACH(&s, 1, i) = i + 2 >= n ? n : eq_triple(v, n, i) ? i + 3 : i + 2;
	}
	for (unsigned d = 2; d <= maxd; d++) { /* d tests: d - 1 tests, twice */
		const size_t *prev = &REACH(&s, d - 1, 0);
		size_t *row = &REACH(&s, d, 0);
		for (size_t i = 0; i <= n; i++)
			row[i] = prev[prev[i]];
	}
	while (REACH(&s, depth, 0) < n)
		depth++;
	uint32_t root = search_build(&s, 0, n, depth + slack);
	free(s.reach);
	return root;
}

/* ---- one syscall's block ---------------------------------------------------- */

/* A rule that is one "arg == value" test. */
static int single_eq(const struct sg_arch_rule *r)
{
	return r->nconds == 1 && r->conds[0].op == SG_CMP_EQ;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* "The word at off is one of vals[0..n)" (in profile order). A few values
 * are tested one after another, in that order, so the first listed is
 * reached first; 0 is a jset (see word_eq):
 *   ld [off]; jeq #8, yes, 1f;  1: jset #0xffffffff, 2f, yes;  2: jeq #0x20008, yes, no
 * Many: the values in and out of the set form runs, searched like syscall
 * numbers, so k values cost about log2(2k) tests, or two for a range
 * (socketcall's call numbers 1..20):
 *   ld [off]; jge #1, 1f, no;  1: jge #21, no, yes */
static uint32_t word_in(struct planner *pl, unsigned off, const uint32_t *vals, size_t n, uint32_t yes, uint32_t no)
{
	uint32_t *sorted = malloc(n * sizeof(*sorted));
	struct runs rs = { 0 };
	uint64_t *prefix = NULL;
	uint32_t node = no;
	size_t distinct = 0;
	if (!sorted)
		return sg_planner_failed(pl);
	memcpy(sorted, vals, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u32);
	add_run(pl, &rs, 0, no);
	for (size_t k = 0; k < n; k++) {
		if (k && sorted[k] == sorted[k - 1])
			continue;
		distinct++;
		add_run(pl, &rs, sorted[k], yes);
		if (sorted[k] < WORD)
			add_run(pl, &rs, sorted[k] + 1, no);
	}
	free(sorted);
	unsigned depth = 0; /* a JGE-only search's; JEQ triples can only shorten it */
	while (((size_t)1 << depth) < rs.n)
		depth++;
	if (pl->failed) {
		node = 0;
	} else if (depth + 2 >= distinct) {
		uint32_t firsts[64]; /* the few distinct values (depth + 2 at most), first listed first */
		size_t nf = 0;
		for (size_t k = 0; k < n && nf < 64; k++) {
			size_t f = 0;
			while (f < nf && firsts[f] != vals[k])
				f++;
			if (f == nf)
				firsts[nf++] = vals[k];
		}
		while (nf > 0)
			node = sg_planner_word_eq(pl, off, WORD, firsts[--nf], yes, node);
	} else if (!(prefix = malloc((rs.n + 1) * sizeof(*prefix)))) {
		node = sg_planner_failed(pl);
	} else {
		for (size_t k = 0; k <= rs.n; k++)
			prefix[k] = k; /* nothing says which values are likely: runs weigh alike */
		node = search_over(pl, off, rs.v, rs.n, prefix, 0);
	}
	free(prefix);
	free(rs.v);
	return node;
}

/* Rules [i, j) are single EQ tests of one argument with one action, so
 * their order does not matter: "the argument is one of these values". On
 * 64-bit ABIs each high word is tested once, then a search over its low
 * words; A is loaded once per word, not once per rule:
 *   ld [hi]; jeq #h0, 1f, 2f;   1: ld [lo]; word_in(lows with h0), yes, next
 *   2: jeq #h1, 3f, next;       3: ld [lo]; word_in(lows with h1), yes, next
 * A value has one high word, so a low word's "no" goes to next, not to the
 * next high word. 32-bit ABIs compare the low word only (see cond_node). */
static uint32_t eq_set(struct planner *pl, const struct sg_arch *arch, const struct sg_arch_rule *const *rules,
		       size_t i, size_t j, uint32_t next)
{
	unsigned lo, hi;
	sg_planner_arg_words(arch, rules[i]->conds[0].index, &lo, &hi);
	uint32_t yes = ret_node(pl, rules[i]->action), node = next;
	size_t n = j - i;
	enum sg_arg_read rd = sg_rule_read(rules[i], rules[i]->conds[0].index); /* one syscall: alike for all */
	if (rd != SG_READ_WORD) {
		/* a 32-bit argument of a 64-bit ABI: its low words, no high test;
		 * a value it cannot have never matches */
		uint32_t *lows = malloc(n * sizeof(*lows));
		size_t m = 0;
		if (!lows)
			return sg_planner_failed(pl);
		for (size_t k = 0; k < n; k++)
			if (sg_planner_narrow_holds(rules[i + k]->conds[0].value, rd))
				lows[m++] = (uint32_t)rules[i + k]->conds[0].value;
		node = m ? word_in(pl, lo, lows, m, yes, next) : next;
		free(lows);
		return node;
	}
	/* per rule: its place by high word (order), where its group begins
	 * there if it comes first in it (group), its high word; then the low
	 * words by high word */
	size_t *order = malloc(n * (2 * sizeof(size_t) + 2 * sizeof(uint32_t))), *group = order + n;
	uint32_t *high = (uint32_t *)(group + n), *vals = high + n;
	/* high words in reverse order of first appearance, so the result tests
	 * them in profile order; a 32-bit ABI has one group and no high test.
	 * Sorted by high word, a group is adjacent and in profile order. */
	int wide = arch->bits == 64;
	for (size_t k = 0; order && k < n; k++) {
		high[k] = wide ? (uint32_t)(rules[i + k]->conds[0].value >> 32) : 0;
		group[k] = SIZE_MAX;
	}
	if (!order || sg_sort_by_key(high, n, order)) {
		free(order);
		return sg_planner_failed(pl);
	}
	for (size_t k = 0; k < n; k++) {
		vals[k] = (uint32_t)rules[i + order[k]]->conds[0].value;
		if (k == 0 || high[order[k]] != high[order[k - 1]])
			group[order[k]] = k;
	}
	for (size_t h = n; h-- > 0;) {
		size_t g = group[h], m = 0;
		while (g != SIZE_MAX && g + m < n && high[order[g + m]] == high[order[g]])
			m++;
		if (m) {
			uint32_t low = word_in(pl, lo, vals + g, m, yes, next);
			node = wide ? sg_planner_word_eq(pl, hi, WORD, high[order[g]], low, node) : low;
		}
	}
	free(order);
	return node;
}

/* Rules are tried in the order resolve gives them (most restrictive first,
 * or profile order) and the first whose conditions all hold
 * decides; built back to front so each rule's "no" leads to the next:
 *   r1: ld [args[0] lo]; jeq #1, 1f, r2;  1: ...; ret ALLOW     its conditions, ANDed
 *   r2: ...                                                     tried when r1 fails
 *   ret default
 * A rule without conditions is a bare ret; rules after it are unreachable.
 * Runs of single-EQ rules with one action are one set (eq_set). */
static uint32_t syscall_block(struct planner *pl, const struct sg_arch_policy *ap,
			      const struct sg_arch_rule *const *rules, size_t n, uint32_t dflt)
{
	uint32_t next = dflt; /* ret_node(pl, ap->default_action) */
	for (size_t i = n; i-- > 0;) {
		const struct sg_arch_rule *r = rules[i];
		uint32_t yes = ret_node(pl, r->action);
		if (r->nconds == 0) {
			next = yes; /* unconditional: later rules are unreachable */
			continue;
		}
		size_t g = i; /* rules [g, i] form a set of EQ values */
		while (single_eq(r) && sg_rule_read(r, r->conds[0].index) != SG_READ_U16 && g > 0 && single_eq(rules[g - 1]) &&
		       rules[g - 1]->action == r->action && rules[g - 1]->conds[0].index == r->conds[0].index)
			g--;
		if (g < i) {
			next = eq_set(pl, ap->arch, rules, g, i + 1, next);
			i = g;
			continue;
		}
		uint32_t all = yes;
		for (size_t k = r->nconds; k-- > 0;)
			all = sg_planner_cond(pl, ap->arch, &r->conds[k], sg_rule_read(r, r->conds[k].index), all, next);
		next = all;
	}
	return next;
}

/* ---- number runs and the search tree ---------------------------------------- */

/* The runs of [from, to], numbers no rule decides: the default, or with
 * the ENOSYS stub (resolve.h) the default only at numbers the table
 * allocates up to last_nr, stub runs between them and above. cur walks
 * ap->allocated as the calls come in ascending order. */
static void gap_runs(struct planner *pl, struct runs *rs, const struct sg_arch_policy *ap, uint32_t dflt,
		     uint32_t stub, uint32_t from, uint32_t to, size_t *cur)
{
	if (!ap->enosys) {
		add_run(pl, rs, from, dflt);
		return;
	}
	while (*cur < ap->nallocated && ap->allocated[*cur] < from)
		(*cur)++;
	for (uint64_t x = from; x <= to;) {
		if (x > ap->last_nr) {
			add_run(pl, rs, (uint32_t)x, stub);
			return;
		}
		if (*cur < ap->nallocated && ap->allocated[*cur] == x) {
			add_run(pl, rs, (uint32_t)x, dflt);
			x++;
			(*cur)++;
			continue;
		}
		add_run(pl, rs, (uint32_t)x, stub);
		x = *cur < ap->nallocated && ap->allocated[*cur] <= ap->last_nr ? ap->allocated[*cur]
										  : (uint64_t)ap->last_nr + 1;
	}
}

/* Adds the runs of [lo, hi] for one arch: its rules' blocks, the default
 * (or the ENOSYS stub) between them. */
static void arch_runs(struct planner *pl, struct runs *rs, const struct sg_arch_policy *ap, uint32_t lo, uint32_t hi)
{
	/* by number, in profile order within a syscall */
	const struct sg_arch_rule **byn = malloc((ap->nrules + 1) * sizeof(*byn));
	uint32_t *nrs = malloc((ap->nrules + 1) * sizeof(*nrs));
	size_t *order = malloc((ap->nrules + 1) * sizeof(*order));
	for (size_t i = 0; nrs && i < ap->nrules; i++)
		nrs[i] = ap->rules[i].nr;
	if (!byn || !nrs || !order || sg_sort_by_key(nrs, ap->nrules, order)) {
		free(byn);
		free(nrs);
		free(order);
		sg_planner_failed(pl);
		return;
	}
	for (size_t i = 0; i < ap->nrules; i++)
		byn[i] = &ap->rules[order[i]];
	free(nrs);
	free(order);
	uint32_t dflt = ret_node(pl, ap->default_action), stub = ap->enosys ? ret_node(pl, ap->enosys) : dflt;
	uint64_t next = lo; /* the first number not yet given a run */
	size_t cur = 0;
	for (size_t i = 0; i < ap->nrules && !pl->failed;) {
		size_t j = i;
		uint32_t nr = byn[i]->nr;
		while (j < ap->nrules && byn[j]->nr == nr)
			j++;
		/* the stub comes before any rule: a multiplexer above last_nr is stubbed */
		if (nr >= lo && nr <= hi && !(ap->enosys && nr > ap->last_nr)) {
			if (nr > next)
				gap_runs(pl, rs, ap, dflt, stub, (uint32_t)next, nr - 1, &cur);
			add_run(pl, rs, nr, syscall_block(pl, ap, byn + i, j - i, dflt));
			next = (uint64_t)nr + 1;
		}
		i = j;
	}
	if (next <= hi)
		gap_runs(pl, rs, ap, dflt, stub, (uint32_t)next, hi, &cur);
	free(byn);
}

/* Numbers a program is likely to use weigh more, so the search reaches them
 * in fewer steps: each arch's table span, the first (native) arch most;
 * runs touching the span are marked in hot, when given. */
static void weigh(struct run *v, size_t n, uint32_t hot_lo, uint32_t hot_hi, uint64_t factor, unsigned char *hot)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t a = v[i].lo, b = (i + 1 < n ? v[i + 1].lo : (uint64_t)SG_NR_SKIP + 1) - 1;
		uint64_t x = a > hot_lo ? a : hot_lo, y = b < hot_hi ? b : hot_hi;
		if (x <= y) {
			v[i].weight += (y - x + 1) * factor;
			if (hot)
				hot[i] = 1;
		}
	}
}

/* The arch of a group that comes first among the targets: its numbers get
 * the shortest paths. */
static const struct sg_arch_policy *group_first(const struct sg_policy *pol, uint32_t audit)
{
	for (size_t i = 0; i < pol->narches; i++)
		if (pol->arches[i].arch->audit_arch == audit)
			return &pol->arches[i];
	return NULL;
}

/* The search tree for one audit arch. Runs outside the hot spans are
 * folded, a stretch at a time, into one leaf (a subtree of their own);
 * over the resulting items the tree has the least depth possible, so every
 * hot number is reached in as few tests as the search allows, and within
 * that depth each split balances the weight on both sides. */
static uint32_t search_tree(struct planner *pl, const struct run *v, size_t n, const uint64_t *prefix,
			    const unsigned char *hot)
{
	struct run *items = malloc(n * sizeof(*items));
	uint64_t *ipre = malloc((n + 1) * sizeof(*ipre));
	uint32_t root = 0;
	size_t ni = 0;
	if (!items || !ipre) {
		sg_planner_failed(pl);
		goto out;
	}
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		if (!hot[i])
			while (j < n && !hot[j])
				j++;
		items[ni].lo = v[i].lo;
		items[ni].weight = prefix[j] - prefix[i];
		items[ni].node = j - i == 1 ? v[i].node : search_over(pl, SG_OFF_NR, v + i, j - i, prefix + i, 1);
		ni++;
		i = j;
	}
	ipre[0] = 0;
	for (size_t i = 0; i < ni; i++)
		ipre[i + 1] = ipre[i] + items[i].weight;
	root = search_over(pl, SG_OFF_NR, items, ni, ipre, 0);
out:
	free(items);
	free(ipre);
	return root;
}

struct member {
	const struct sg_arch_policy *ap;
	uint32_t lo, hi;
};

/* The members of one audit arch and their number ranges, lowest first:
 * x86_64 below the x32 bit, x32 above it; any other arch has all numbers
 * but -1. Returns how many (1 or 2). */
static size_t audit_members(const struct sg_policy *pol, uint32_t audit, struct member m[2])
{
	size_t nm = 0;
	for (size_t i = 0; i < pol->narches; i++) {
		const struct sg_arch_policy *ap = &pol->arches[i];
		if (ap->arch->audit_arch != audit)
			continue;
		int x32 = ap->arch->nr_base == SG_X32_SYSCALL_BIT;
		int shares = ap->arch->audit_arch == SG_AUDIT_ARCH_X86_64; /* x86_64 and x32 */
		m[nm].ap = ap;
		m[nm].lo = shares && x32 ? SG_X32_SYSCALL_BIT : 0;
		m[nm].hi = shares && !x32 ? SG_X32_SYSCALL_BIT - 1 : SG_NR_SKIP - 1;
		nm++;
	}
	if (nm == 2 && m[0].lo > m[1].lo) {
		struct member t = m[0];
		m[0] = m[1];
		m[1] = t;
	}
	return nm;
}

/* The tree for one audit arch: its members' runs (a half no target claims
 * is a foreign arch), then -1, weighed and searched. For x86_64 and x32:
 *   0 .. X32_BIT - 1          x86_64's runs
 *   X32_BIT .. -2             x32's runs (or one run of the bad-arch action)
 *   -1                        the default action
 * (X32_BIT: SG_X32_SYSCALL_BIT), so the tree needs no test of the x32 bit
 * of its own: where the search crosses it, it is a jge like any other (the
 * "x32 base" jge in the example at the top). */
static uint32_t audit_arch_tree(struct planner *pl, const struct sg_policy *pol, uint32_t audit,
				const struct sg_compile_opts *o)
{
	struct member m[2];
	size_t nm = audit_members(pol, audit, m);
	struct runs rs = { 0 };
	uint32_t bad = ret_node(pl, o->bad_arch_action);
	uint32_t next = 0; /* first number not yet covered */
	for (size_t i = 0; i < nm; i++) {
		if (m[i].lo > next)
			add_run(pl, &rs, next, bad);
		arch_runs(pl, &rs, m[i].ap, m[i].lo, m[i].hi);
		next = m[i].hi + 1;
	}
	if (next < SG_NR_SKIP)
		add_run(pl, &rs, next, bad);
	add_run(pl, &rs, SG_NR_SKIP, ret_node(pl, m[0].ap->default_action));
	uint64_t *prefix = malloc((rs.n + 1) * sizeof(*prefix));
	unsigned char *hot = calloc(rs.n, 1); /* rs.n > 0 unless the planner failed */
	uint32_t root = 0;
	if (!prefix || !hot)
		sg_planner_failed(pl);
	if (!pl->failed) {
		for (size_t i = 0; i < rs.n; i++)
			rs.v[i].weight = 1;
		/* the group's first arch (the native one, if in this group) is hot;
		 * the other member's table span counts for the mean only */
		for (size_t i = 0; i < nm; i++) {
			const struct sg_arch *a = m[i].ap->arch;
			int first = m[i].ap == group_first(pol, audit);
			weigh(rs.v, rs.n, a->nr_base, a->nr_base + SG_SYSCALL_SPAN - 1, first ? 64 : 4, first ? hot : NULL);
		}
		prefix[0] = 0;
		for (size_t i = 0; i < rs.n; i++)
			prefix[i + 1] = prefix[i] + rs.v[i].weight;
		root = search_tree(pl, rs.v, rs.n, prefix, hot);
		pl->plan->runs += rs.n;
	}
	free(prefix);
	free(hot);
	free(rs.v);
	return root;
}

struct sg_plan *sg_plan_build(const struct sg_policy *pol, const struct sg_compile_opts *o, struct sg_diags *d)
{
	const char *file = pol->profile->file;
	if (pol->narches == 0) {
		sg_error(d, file, NULL, "no target architecture");
		return NULL;
	}
	for (size_t i = 1; i < pol->narches; i++)
		if (pol->arches[i].arch->endian != pol->arches[0].arch->endian) {
			sg_error(d, file, NULL, "%s and %s differ in byte order: no kernel runs both under one filter",
				 pol->arches[0].arch->name, pol->arches[i].arch->name);
			return NULL;
		}
	struct planner pl = { .plan = calloc(1, sizeof(struct sg_plan)) };
	if (!pl.plan) {
		sg_error(d, file, NULL, "out of memory");
		return NULL;
	}
	/* audit arches in target order (native first: it is tested first):
	 *   ld [arch]; jeq #AUDIT_ARCH_X86_64, tree0, 1f
	 *   1: jeq #AUDIT_ARCH_I386, tree1, bad        A still holds arch
	 *   bad: ret bad-arch action                   KILL_PROCESS unless --bad-arch
	 * each tree beginning with ld [nr] */
	uint32_t audits[SG_MAX_ARCHES], trees[SG_MAX_ARCHES];
	size_t na = 0;
	for (size_t i = 0; i < pol->narches && !pl.failed; i++) {
		uint32_t a = pol->arches[i].arch->audit_arch;
		size_t k = 0;
		while (k < na && audits[k] != a)
			k++;
		if (k < na)
			continue;
		audits[na] = a;
		trees[na] = audit_arch_tree(&pl, pol, a, o);
		na++;
	}
	uint32_t node = ret_node(&pl, o->bad_arch_action);
	for (size_t k = na; k-- > 0;)
		node = sg_planner_test(&pl, SG_OFF_ARCH, WORD, SG_BPF_JEQ, audits[k], trees[k], node);
	pl.plan->root = node;
	if (pl.failed) {
		sg_error(d, file, NULL, "out of memory while planning the filter");
		sg_plan_free(pl.plan);
		return NULL;
	}
	return pl.plan;
}

void sg_plan_free(struct sg_plan *plan)
{
	if (!plan)
		return;
	free(plan->nodes);
	free(plan->slots);
	free(plan);
}
