/* Symbolic stage: every input of a stack of classic-BPF filters at once.
 * See include/sysgate/symbolic.h for the model; here, the exact check of a
 * word's atoms and the exploration of the programs. */
#include <stdlib.h>
#include <string.h>

#include "sysgate/seccomp.h"
#include "sysgate/symbolic.h"

#define FULL 0xffffffffu
/* Nodes of one word's search. It decides only the bits the masked atoms
 * read, and prunes every way that cannot hold, so real filters (a mask of
 * flag bits, a 16-bit mask) take a few nodes; the budget only bounds a
 * pathological mix of masks, and running out is said, never guessed. */
#define SOLVE_BUDGET (1L << 21)
/* Regions of one exploration: 4096 instructions per filter give far fewer
 * on any program libseccomp or sysgate writes. */
#define MAX_REGIONS (1UL << 24)

/* ---- one atom --------------------------------------------------------------- */

static int holds(unsigned op, uint32_t v, uint32_t k)
{
	switch (op) {
	case SG_SYM_EQ: return v == k;
	case SG_SYM_NE: return v != k;
	case SG_SYM_GE: return v >= k;
	default: return v < k;
	}
}

/* 1 when the atom holds for every word, 0 for none, -1 otherwise. */
static int trivial(const struct sg_sym_atom *t)
{
	if (t->mask == 0)
		return holds(t->op, 0, t->k);
	if (t->op == SG_SYM_EQ || t->op == SG_SYM_NE) /* a value the masked word never takes? */
		return t->k & ~t->mask ? t->op == SG_SYM_NE : -1;
	if (t->k == 0 || t->k > t->mask) /* beyond the values of w & mask, 0 to mask */
		return (t->op == SG_SYM_GE) == (t->k == 0);
	return -1;
}

/* Over the words whose bits outside f equal p's (p has f's bits clear):
 * may — some satisfies the atom; all — every one does. (w & m) ranges from
 * p & m (free bits 0) to (p | f) & m (free bits 1), and takes every value
 * between whose fixed bits agree. */
static int atom_may(const struct sg_sym_atom *t, uint32_t p, uint32_t f)
{
	switch (t->op) {
	case SG_SYM_EQ: return ((p ^ t->k) & t->mask & ~f) == 0;
	case SG_SYM_NE: return (t->mask & f) != 0 || (p & t->mask) != t->k;
	case SG_SYM_GE: return ((p | f) & t->mask) >= t->k;
	default: return (p & t->mask) < t->k;
	}
}

static int atom_all(const struct sg_sym_atom *t, uint32_t p, uint32_t f)
{
	switch (t->op) {
	case SG_SYM_EQ: return (t->mask & f) == 0 && (p & t->mask) == t->k;
	case SG_SYM_NE: return ((p ^ t->k) & t->mask & ~f) != 0;
	case SG_SYM_GE: return (p & t->mask) >= t->k;
	default: return ((p | f) & t->mask) < t->k;
	}
}

/* ---- one word: atoms on the whole word become an interval with holes; the
 * masked ones are searched bit by bit, from the top ----------------------- */

struct word_view {
	uint32_t lo, hi;
	int empty;
	uint32_t *holes; /* NE values inside [lo, hi], sorted, distinct */
	size_t nholes;
	const struct sg_sym_atom **masked;
	size_t nmasked;
	uint32_t bits; /* every bit a masked atom reads */
	long budget;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void narrow(struct word_view *v, const struct sg_sym_atom *t)
{
	switch (t->op) {
	case SG_SYM_EQ:
		v->lo = t->k > v->lo ? t->k : v->lo;
		v->hi = t->k < v->hi ? t->k : v->hi;
		break;
	case SG_SYM_GE: v->lo = t->k > v->lo ? t->k : v->lo; break;
	case SG_SYM_LT: v->hi = t->k - 1 < v->hi ? t->k - 1 : v->hi; break; /* k > 0: not trivial */
	default: v->holes[v->nholes++] = t->k; break;
	}
}

static int view_build(struct word_view *v, const struct sg_sym_atom *atoms, size_t n, unsigned word, long budget)
{
	memset(v, 0, sizeof(*v));
	v->hi = FULL;
	v->budget = budget;
	size_t on = 0;
	for (size_t i = 0; i < n; i++)
		on += atoms[i].word == word;
	v->holes = malloc((on + 1) * sizeof(*v->holes));
	v->masked = malloc((on + 1) * sizeof(*v->masked));
	if (!v->holes || !v->masked)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct sg_sym_atom *t = &atoms[i];
		int tr = t->word == word ? trivial(t) : 1;
		if (tr == 0)
			v->empty = 1;
		else if (tr < 0 && t->mask == FULL)
			narrow(v, t);
		else if (tr < 0)
			v->masked[v->nmasked++] = t, v->bits |= t->mask;
	}
	qsort(v->holes, v->nholes, sizeof(*v->holes), cmp_u32);
	size_t k = 0;
	for (size_t i = 0; i < v->nholes; i++)
		if (v->holes[i] >= v->lo && v->holes[i] <= v->hi && (k == 0 || v->holes[k - 1] != v->holes[i]))
			v->holes[k++] = v->holes[i];
	v->nholes = k;
	if (v->lo > v->hi || (uint64_t)k == (uint64_t)v->hi - v->lo + 1)
		v->empty = 1;
	return 0;
}

static void view_free(struct word_view *v)
{
	free(v->holes);
	free(v->masked);
}

/* The first hole at or above x. */
static size_t hole_index(const struct word_view *v, uint32_t x)
{
	size_t lo = 0, hi = v->nholes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->holes[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The smallest w >= x whose bits under d are p's (p within d): 0, or -1
 * when there is none. */
static int next_with(uint32_t x, uint32_t d, uint32_t p, uint32_t *w)
{
	uint32_t diff = (x ^ p) & d;
	if (!diff) {
		*w = x;
		return 0;
	}
	unsigned i = 31u - (unsigned)__builtin_clz(diff); /* the highest bit that disagrees */
	uint32_t upto = i == 31 ? FULL : (2u << i) - 1;  /* bits i..0 */
	if (p >> i & 1) { /* raise bit i: x's bits above, p's below, the rest 0 */
		*w = (x & ~upto) | (p & upto);
		return 0;
	}
	/* lower bit i: only by raising a free bit above it that x has clear */
	uint32_t raise = ~upto & ~d & ~x;
	if (!raise)
		return -1;
	unsigned j = (unsigned)__builtin_ctz(raise);
	uint32_t below = (1u << j) - 1;
	*w = (x & ~below & ~(1u << j)) | 1u << j | (p & below);
	return 0;
}

static int is_hole(const struct word_view *v, uint32_t x)
{
	size_t h = hole_index(v, x);
	return h < v->nholes && v->holes[h] == x;
}

/* The smallest w in [a, b] with (w & d) == p that is no hole: 1, or 0. */
static int first_member(const struct word_view *v, uint32_t a, uint32_t b, uint32_t d, uint32_t p, uint32_t *out)
{
	for (uint32_t x = a;;) {
		uint32_t w;
		if (next_with(x, d, p, &w) || w > b)
			return 0;
		if (!is_hole(v, w)) {
			*out = w;
			return 1;
		}
		if (w == b)
			return 0;
		x = w + 1;
	}
}

/* The masked atoms read only the bits of v->bits, so the search decides
 * those, from the top, and nothing else: d the bits decided, p their
 * values. The smallest word in [a, b] of the set: 1 (in *out), 0 none,
 * -1 the budget ran out. Both ways of a bit are tried in the order of the
 * least word each allows, the second only when it could give less. */
static int find_node(struct word_view *v, uint32_t a, uint32_t b, uint32_t d, uint32_t p, uint32_t *out)
{
	if (--v->budget < 0)
		return -1;
	uint32_t f = v->bits & ~d;
	int all = 1;
	for (size_t i = 0; i < v->nmasked; i++) {
		if (!atom_may(v->masked[i], p, f))
			return 0;
		all &= atom_all(v->masked[i], p, f);
	}
	if (all)
		return first_member(v, a, b, d, p, out);
	uint32_t bit = 1u << (31 - __builtin_clz(f)), low[2];
	int has[2];
	for (int k = 0; k < 2; k++)
		has[k] = next_with(a, d | bit, p | (k ? bit : 0), &low[k]) == 0 && low[k] <= b;
	int first = has[0] && (!has[1] || low[0] <= low[1]) ? 0 : 1, found = 0;
	for (int n = 0; n < 2; n++) {
		int k = n ? !first : first;
		uint32_t w;
		if (!has[k] || (found && *out <= low[k]))
			continue;
		int r = find_node(v, a, b, d | bit, p | (k ? bit : 0), &w);
		if (r < 0)
			return -1;
		if (r && (!found || w < *out))
			*out = w, found = 1;
	}
	return found;
}

static int find(struct word_view *v, uint32_t a, uint32_t b, uint32_t *out)
{
	a = a > v->lo ? a : v->lo;
	b = b < v->hi ? b : v->hi;
	return v->empty || a > b ? 0 : find_node(v, a, b, 0, 0, out);
}

int sg_sym_solve(const struct sg_sym_atom *atoms, size_t n, unsigned word, uint32_t *out)
{
	struct word_view v;
	uint32_t w = 0;
	int r = view_build(&v, atoms, n, word, SOLVE_BUDGET) ? -1 : find(&v, 0, FULL, &w);
	view_free(&v);
	if (r == 1 && out)
		*out = w;
	return r;
}

/* Adjacent intervals are joined before they are emitted. */
struct runs {
	int (*emit)(void *ctx, uint32_t first, uint32_t last);
	void *ctx;
	int have;
	uint32_t first, last;
};

static int run_add(struct runs *r, uint32_t a, uint32_t b)
{
	if (r->have && r->last != FULL && r->last + 1 == a) {
		r->last = b;
		return 0;
	}
	int stop = r->have ? r->emit(r->ctx, r->first, r->last) : 0;
	r->have = 1, r->first = a, r->last = b;
	return stop;
}

/* [a, b] but its holes. */
static int run_add_gaps(struct runs *r, const struct word_view *v, uint32_t a, uint32_t b)
{
	for (size_t h = hole_index(v, a); h < v->nholes && v->holes[h] <= b; h++) {
		if (v->holes[h] > a && run_add(r, a, v->holes[h] - 1))
			return 1;
		if (v->holes[h] == b)
			return 0;
		a = v->holes[h] + 1;
	}
	return run_add(r, a, b);
}

/* The words with prefix p and `free` low bits free, in ascending order:
 * a block every atom holds on whole is added at once, one the set misses
 * is skipped (find decides it exactly), any other is split. */
static int interval_node(struct word_view *v, uint32_t p, unsigned free, struct runs *r)
{
	uint32_t f = free == 32 ? FULL : (1u << free) - 1, w;
	int s = find(v, p, p | f, &w);
	if (s <= 0)
		return s;
	int all = 1;
	for (size_t i = 0; i < v->nmasked; i++)
		all &= atom_all(v->masked[i], p, f);
	if (all)
		return run_add_gaps(r, v, p > v->lo ? p : v->lo, (p | f) < v->hi ? (p | f) : v->hi);
	s = interval_node(v, p, free - 1, r);
	return s ? s : interval_node(v, p | 1u << (free - 1), free - 1, r);
}

int sg_sym_intervals(const struct sg_sym_atom *atoms, size_t n, unsigned word,
		     int (*emit)(void *ctx, uint32_t first, uint32_t last), void *ctx)
{
	struct word_view v;
	struct runs r = { emit, ctx, 0, 0, 0 };
	int s = view_build(&v, atoms, n, word, SOLVE_BUDGET * 4) ? -1 : interval_node(&v, 0, 32, &r);
	view_free(&v);
	if (s == 0 && r.have)
		s = emit(ctx, r.first, r.last);
	return s;
}

uint32_t sg_sym_effect(uint32_t ret)
{
	uint32_t action = ret & SG_RET_ACTION_FULL, data = ret & SG_RET_DATA;
	switch (action) {
	case SG_RET_ERRNO: return action | (data > SG_ERRNO_MAX ? SG_ERRNO_MAX : data);
	case SG_RET_TRAP:
	case SG_RET_TRACE: return ret;
	case SG_RET_ALLOW:
	case SG_RET_LOG:
	case SG_RET_USER_NOTIF:
	case SG_RET_KILL_THREAD:
	case SG_RET_KILL_PROCESS: return action;
	default: return SG_RET_KILL_PROCESS; /* __seccomp_filter's default case */
	}
}

/* ---- exploration ---------------------------------------------------------------- */

/* A register: a constant, or a word of seccomp_data under a mask. */
struct sym {
	uint8_t known, word;
	uint32_t v; /* the constant, or the mask */
};

struct cursor {
	size_t input, filter, pc;
	uint32_t acc; /* the stack's return so far */
	struct sym a, x, m[SG_BPF_MEMWORDS];
	int unsure;
};

struct frame;

struct explorer {
	const struct sg_sym_input *in;
	size_t nin;
	struct sg_sym_atom *atoms;
	size_t natoms, cap;
	uint32_t *ret;
	sg_sym_visit visit;
	void *ctx;
	struct sg_diags *d;
	unsigned long regions;
	struct frame *frames; /* the ways deferred */
	size_t nframes, capframes;
	int stop; /* 1 the visitor stopped, -1 failed */
	char why[200];
};

static struct sym known(uint32_t v)
{
	return (struct sym){ 1, 0, v };
}

/* The kernel keeps a filter's return only when its action, read as a
 * signed 32-bit value, is lower than what it holds: the newest filter
 * wins between equal actions. */
static int64_t signed_action(uint32_t ret)
{
	uint32_t a = ret & SG_RET_ACTION_FULL;
	return a & 0x80000000u ? (int64_t)a - 0x100000000 : (int64_t)a;
}

static void reset(struct cursor *c)
{
	c->pc = 0;
	c->a = c->x = known(0);
	for (size_t i = 0; i < SG_BPF_MEMWORDS; i++)
		c->m[i] = known(0);
}

/* Past filters and inputs that are done (an empty stack allows). */
static void settle(struct explorer *e, struct cursor *c)
{
	while (c->input < e->nin && c->filter == e->in[c->input].n) {
		e->ret[c->input++] = c->acc;
		c->filter = 0;
		c->acc = SG_RET_ALLOW;
	}
	reset(c);
}

static void returned(struct explorer *e, struct cursor *c, uint32_t v)
{
	if (signed_action(v) < signed_action(c->acc))
		c->acc = v;
	c->filter++;
	settle(e, c);
}

static void visit(struct explorer *e, const struct cursor *c, const char *undecided)
{
	struct sg_sym_region r = { e->atoms, e->natoms, e->ret, c->unsure, undecided };
	if (++e->regions > MAX_REGIONS) {
		sg_error(e->d, NULL, NULL, "more than %lu regions: the programs are too large to compare exactly",
			 MAX_REGIONS);
		e->stop = -1;
	} else if (e->visit(e->ctx, &r)) {
		e->stop = 1;
	}
}

static void undecided(struct explorer *e, const struct cursor *c, const char *what)
{
	char where[64] = "";
	if (e->nin > 1)
		snprintf(where, sizeof(where), "input %zu, ", c->input + 1);
	if (e->in[c->input].n > 1)
		snprintf(where + strlen(where), sizeof(where) - strlen(where), "filter %zu of %zu (newest first), ",
			 c->filter + 1, e->in[c->input].n);
	snprintf(e->why, sizeof(e->why), "%sinstruction %zu: %s", where, c->pc, what);
	visit(e, c, e->why);
}

/* A op= v, as the kernel's ALU32 does. 0, 1 when the program returns 0
 * (division by X == 0), -1 when the result is no constant or masked word. */
static int alu(struct sym *a, uint16_t code, struct sym v)
{
	uint32_t op = code & 0xf0u;
	if (a->known && v.known) {
		uint32_t x = a->v, k = v.v;
		switch (op) {
		case SG_BPF_ADD: x += k; break;
		case SG_BPF_SUB: x -= k; break;
		case SG_BPF_MUL: x *= k; break;
		case SG_BPF_OR: x |= k; break;
		case SG_BPF_AND: x &= k; break;
		case SG_BPF_XOR: x ^= k; break;
		case SG_BPF_LSH: x <<= (k & 31); break;
		case SG_BPF_RSH: x >>= (k & 31); break;
		case SG_BPF_NEG: x = 0u - x; break;
		default:
			if (k == 0)
				return 1;
			x = op == SG_BPF_DIV ? x / k : x % k;
		}
		*a = known(x);
		return 0;
	}
	if (op == SG_BPF_AND && (a->known || v.known)) { /* (w & m) & c */
		struct sym w = a->known ? v : *a;
		uint32_t c = a->known ? a->v : v.v;
		*a = (w.v & c) ? (struct sym){ 0, w.word, w.v & c } : known(0);
		return 0;
	}
	if (a->known || !v.known || op == SG_BPF_NEG)
		return -1;
	uint32_t k = v.v, shift = op == SG_BPF_LSH || op == SG_BPF_RSH;
	if ((op == SG_BPF_DIV || op == SG_BPF_MOD) && k == 0)
		return 1;
	if (op == SG_BPF_MUL ? k == 0 : op == SG_BPF_MOD && k == 1) {
		*a = known(0);
		return 0;
	}
	/* what leaves the word as it is */
	if ((op == SG_BPF_MUL || op == SG_BPF_DIV) ? k == 1 : shift ? (k & 31) == 0 : op != SG_BPF_MOD && k == 0)
		return 0;
	return -1;
}

enum { B_TRUE, B_FALSE, B_SPLIT, B_UNDECIDED };

/* A conditional jump: which way it goes, or the atom under which it is
 * taken (its negation is the other way). */
static int branch(const struct cursor *c, const struct sg_insn *in, struct sg_sym_atom *t)
{
	struct sym a = c->a, v = (in->code & SG_BPF_X) ? c->x : known(in->k);
	uint32_t op = in->code & 0xf0u;
	if (a.known && v.known) {
		uint32_t x = a.v, k = v.v;
		int taken = op == SG_BPF_JEQ ? x == k : op == SG_BPF_JGT ? x > k : op == SG_BPF_JGE ? x >= k : (x & k) != 0;
		return taken ? B_TRUE : B_FALSE;
	}
	if (!a.known && !v.known)
		return B_UNDECIDED;
	struct sym w = a.known ? v : a;
	uint32_t k = a.known ? a.v : v.v;
	*t = (struct sg_sym_atom){ w.word, SG_SYM_EQ, w.v, k };
	if (op == SG_BPF_JSET)
		*t = (struct sg_sym_atom){ w.word, SG_SYM_NE, w.v & k, 0 };
	else if (op != SG_BPF_JEQ && !a.known) /* w > k: w >= k + 1; w >= k */
		*t = (struct sg_sym_atom){ w.word, SG_SYM_GE, w.v, k + (op == SG_BPF_JGT) };
	else if (op != SG_BPF_JEQ) /* k > w: w < k; k >= w: w < k + 1 */
		*t = (struct sg_sym_atom){ w.word, SG_SYM_LT, w.v, k + (op == SG_BPF_JGE) };
	if (op == SG_BPF_JGT && !a.known && k == FULL)
		return B_FALSE;
	if (op == SG_BPF_JGE && a.known && k == FULL)
		return B_TRUE;
	int tr = trivial(t);
	return tr == 1 ? B_TRUE : tr == 0 ? B_FALSE : B_SPLIT;
}

static struct sg_sym_atom negation(struct sg_sym_atom t)
{
	static const uint8_t neg[] = { [SG_SYM_EQ] = SG_SYM_NE, [SG_SYM_NE] = SG_SYM_EQ, [SG_SYM_GE] = SG_SYM_LT,
				       [SG_SYM_LT] = SG_SYM_GE };
	t.op = neg[t.op];
	return t;
}

/* Pushes t onto the path: 1 when the path stays satisfiable, 0 when not
 * (t popped), with *unsure raised when that could not be decided. */
static int assume(struct explorer *e, struct sg_sym_atom t, int *unsure)
{
	for (size_t i = e->natoms; i-- > 0;) /* already on the path: nothing changes */
		if (e->atoms[i].word == t.word && e->atoms[i].op == t.op && e->atoms[i].mask == t.mask &&
		    e->atoms[i].k == t.k)
			return 1;
	if (e->natoms == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 64;
		struct sg_sym_atom *p = realloc(e->atoms, cap * sizeof(*p));
		if (!p) {
			e->stop = -1;
			sg_oom(e->d, NULL);
			return 0;
		}
		e->atoms = p, e->cap = cap;
	}
	e->atoms[e->natoms++] = t;
	int s = sg_sym_solve(e->atoms, e->natoms, t.word, NULL);
	if (s == 0) {
		e->natoms--;
		return 0;
	}
	*unsure |= s < 0;
	return 1;
}

/* Loads, stores, moves: 0, or -1 for what a checked program cannot hold. */
static int move(struct cursor *c, const struct sg_insn *in)
{
	struct sym *reg = (in->code & 0x07) == SG_BPF_LDX ? &c->x : &c->a;
	switch (in->code) {
	case SG_BPF_LD | SG_BPF_W | SG_BPF_ABS: c->a = (struct sym){ 0, (uint8_t)(in->k / 4), FULL }; return 0;
	case SG_BPF_LD | SG_BPF_W | SG_BPF_LEN:
	case SG_BPF_LDX | SG_BPF_W | SG_BPF_LEN: *reg = known(64); return 0;
	case SG_BPF_LD | SG_BPF_IMM:
	case SG_BPF_LDX | SG_BPF_IMM: *reg = known(in->k); return 0;
	case SG_BPF_LD | SG_BPF_MEM:
	case SG_BPF_LDX | SG_BPF_MEM: *reg = c->m[in->k % SG_BPF_MEMWORDS]; return 0;
	case SG_BPF_ST: c->m[in->k % SG_BPF_MEMWORDS] = c->a; return 0;
	case SG_BPF_STX: c->m[in->k % SG_BPF_MEMWORDS] = c->x; return 0;
	case SG_BPF_MISC | SG_BPF_TAX: c->x = c->a; return 0;
	case SG_BPF_MISC | SG_BPF_TXA: c->a = c->x; return 0;
	default: return -1;
	}
}

/* One instruction that is not a conditional jump: 0 to go on, 1 when the
 * path has ended (visited). */
static int step(struct explorer *e, struct cursor *c, const struct sg_insn *in)
{
	switch (in->code & 0x07) {
	case SG_BPF_RET:
		if ((in->code & 0x18) == SG_BPF_A && !c->a.known) {
			undecided(e, c, "returns a value computed from seccomp_data (ret a)");
			return 1;
		}
		returned(e, c, (in->code & 0x18) == SG_BPF_A ? c->a.v : in->k);
		return 0;
	case SG_BPF_ALU: {
		int r = alu(&c->a, in->code, (in->code & SG_BPF_X) ? c->x : known(in->k));
		if (r < 0) {
			undecided(e, c, "arithmetic other than AND on a word of seccomp_data");
			return 1;
		}
		if (r > 0)
			returned(e, c, 0); /* division by zero: the filter returns 0 */
		else
			c->pc++;
		return 0;
	}
	case SG_BPF_JMP: c->pc += 1 + in->k; return 0; /* JA */
	default:
		if (move(c, in)) {
			undecided(e, c, "an instruction the kernel's checker refuses");
			return 1;
		}
		c->pc++;
		return 0;
	}
}

/* The other way of a test, to be run once the first way's paths are done:
 * the path up to the test (its atoms up to mark) and the atom to add. */
struct frame {
	struct cursor c;
	size_t mark;
	struct sg_sym_atom t;
};

static int defer(struct explorer *e, const struct cursor *c, struct sg_sym_atom t)
{
	if (e->nframes == e->capframes) {
		size_t cap = e->capframes ? 2 * e->capframes : 64;
		struct frame *f = realloc(e->frames, cap * sizeof(*f));
		if (!f) {
			e->stop = -1;
			sg_oom(e->d, NULL);
			return -1;
		}
		e->frames = f, e->capframes = cap;
	}
	e->frames[e->nframes++] = (struct frame){ *c, e->natoms, t };
	return 0;
}

/* The next deferred way that holds, into *c: 1, or 0 when none is left. */
static int resume(struct explorer *e, struct cursor *c)
{
	while (e->nframes && !e->stop) {
		struct frame *f = &e->frames[--e->nframes];
		e->natoms = f->mark;
		*c = f->c;
		if (assume(e, f->t, &c->unsure))
			return 1;
	}
	return 0;
}

/* Runs every path, depth first: at a test both ways of which hold, the
 * taken way goes on and the other waits on a stack of its own (not the
 * C stack: a stack of filters can nest 30,000 tests). */
static void run(struct explorer *e, struct cursor c)
{
	for (int live = 1; !e->stop; live = 1) {
		while (live && !e->stop) {
			if (c.input == e->nin) {
				visit(e, &c, NULL);
				break;
			}
			const struct sg_prog *p = &e->in[c.input].progs[c.filter];
			const struct sg_insn *in = &p->insns[c.pc];
			if ((in->code & 0x07) != SG_BPF_JMP || (in->code & 0xf0) == SG_BPF_JA) {
				live = !step(e, &c, in);
				continue;
			}
			struct sg_sym_atom t;
			switch (branch(&c, in, &t)) {
			case B_TRUE: c.pc += 1 + in->jt; continue;
			case B_FALSE: c.pc += 1 + in->jf; continue;
			case B_UNDECIDED: undecided(e, &c, "compares two words of seccomp_data"); live = 0; continue;
			default: break;
			}
			struct cursor other = c;
			other.pc += 1 + in->jf;
			if (defer(e, &other, negation(t)))
				return;
			live = assume(e, t, &c.unsure);
			c.pc += 1 + in->jt;
		}
		if (!resume(e, &c))
			return;
	}
}

int sg_sym_explore(const struct sg_sym_input *in, size_t nin, const struct sg_sym_atom *pre, size_t npre,
		   sg_sym_visit visit_fn, void *ctx, struct sg_diags *d)
{
	struct explorer e = { .in = in, .nin = nin, .visit = visit_fn, .ctx = ctx, .d = d };
	struct cursor c = { .acc = SG_RET_ALLOW };
	e.ret = calloc(nin + 1, sizeof(*e.ret));
	if (!e.ret)
		return sg_oom(d, NULL);
	int feasible = 1;
	for (size_t i = 0; i < npre && feasible && !e.stop; i++)
		feasible = assume(&e, pre[i], &c.unsure);
	if (feasible && !e.stop) {
		settle(&e, &c);
		run(&e, c);
	}
	free(e.atoms);
	free(e.ret);
	free(e.frames);
	return e.stop;
}
