/* The symbolic stage against brute force. Random programs test three words
 * of seccomp_data (nr, arch, args[0]'s low word) with constants and masks
 * drawn from a small set of bits; every word value then falls into one of
 * 32 classes that no test tells apart, and a domain of one value per class
 * covers the whole 32-bit space exactly. Over it, every input must lie in
 * exactly one region, which must predict what the emulator returns; the
 * regions' witnesses must reproduce it too. Two families: the low four bits
 * (domain 0..31) and the top four (domain t<<28 and t<<28|1). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sysgate/diff.h"
#include "sysgate/emulate.h"
#include "sysgate/seccomp.h"
#include "sysgate/symbolic.h"

#define NDOM 32
static const unsigned words[3] = { SG_SYM_WORD_NR, SG_SYM_WORD_ARCH, 4 };

struct family {
	uint32_t dom[NDOM];
	int top;
};

static void family_init(struct family *f, int top)
{
	f->top = top;
	for (uint32_t i = 0; i < NDOM; i++)
		f->dom[i] = top ? ((i >> 1) << 28) | (i & 1) : i;
}

static uint32_t value(const struct family *f, uint64_t *s)
{
	uint32_t v = (uint32_t)splitmix64(s) & 15;
	return f->top ? v << 28 : v;
}

static const uint32_t rets[] = { SG_RET_ALLOW, SG_RET_ERRNO | 1, SG_RET_ERRNO | 2, SG_RET_KILL_PROCESS,
				 SG_RET_TRAP, SG_RET_LOG, SG_RET_ERRNO | 5000 };

static struct sg_insn ins(uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	return (struct sg_insn){ code, jt, jf, k };
}

/* A random program of n instructions: loads, masks, compares (with K or a
 * constant X), scratch memory, moves; forward jumps; returns at the end.
 * With arith, sometimes an ADD on a loaded word (undecided). */
static void gen(const struct family *f, uint64_t *s, struct sg_insn *p, size_t n, int arith)
{
	p[0] = ins(SG_BPF_ST, 0, 0, 0);
	for (size_t i = 1; i < n; i++) {
		size_t left = n - i - 1;
		unsigned r = (unsigned)(splitmix64(s) % 16);
		uint32_t k = value(f, s);
		uint8_t jt = (uint8_t)(left ? splitmix64(s) % (left < 6 ? left : 6) : 0);
		uint8_t jf = (uint8_t)(left ? splitmix64(s) % (left < 6 ? left : 6) : 0);
		if (left == 0 || r == 0) {
			p[i] = ins(SG_BPF_RET | SG_BPF_K, 0, 0, rets[splitmix64(s) % 7]);
		} else if (r <= 3) {
			p[i] = ins(SG_BPF_LD | SG_BPF_W | SG_BPF_ABS, 0, 0, 4 * words[splitmix64(s) % 3]);
		} else if (r == 4) {
			p[i] = ins(SG_BPF_ALU | SG_BPF_AND | SG_BPF_K, 0, 0, k);
		} else if (r <= 9) {
			static const uint16_t ops[] = { SG_BPF_JEQ, SG_BPF_JGT, SG_BPF_JGE, SG_BPF_JSET };
			p[i] = ins(SG_BPF_JMP | ops[splitmix64(s) % 4], jt, jf, k);
		} else if (r == 10) {
			p[i] = ins(SG_BPF_LDX | SG_BPF_IMM, 0, 0, k);
		} else if (r == 11) {
			static const uint16_t ops[] = { SG_BPF_JEQ, SG_BPF_JGT, SG_BPF_JGE, SG_BPF_JSET };
			p[i] = ins(SG_BPF_JMP | ops[splitmix64(s) % 4] | SG_BPF_X, jt, jf, 0);
		} else if (r == 12) {
			p[i] = ins(splitmix64(s) & 1 ? SG_BPF_ST : SG_BPF_LD | SG_BPF_MEM, 0, 0, 0);
		} else if (r == 13) {
			/* X from A: a compare of two words, undecided */
			p[i] = ins(SG_BPF_MISC | (arith && splitmix64(s) & 1 ? SG_BPF_TAX : SG_BPF_TXA), 0, 0, 0);
		} else if (r == 14 && arith) {
			p[i] = ins(SG_BPF_ALU | SG_BPF_ADD | SG_BPF_K, 0, 0, 1);
		} else {
			p[i] = ins(SG_BPF_LD | SG_BPF_IMM, 0, 0, k);
		}
	}
}

struct region {
	struct sg_sym_atom *atoms;
	size_t natoms;
	uint32_t ret[2];
	int undecided;
};

struct collect {
	struct region *v;
	size_t n, cap;
};

static int keep(void *ctx, const struct sg_sym_region *r)
{
	struct collect *c = ctx;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
	}
	struct region *g = &c->v[c->n++];
	g->atoms = malloc((r->natoms + 1) * sizeof(*g->atoms));
	if (r->natoms)
		memcpy(g->atoms, r->atoms, r->natoms * sizeof(*g->atoms));
	g->natoms = r->natoms;
	g->undecided = r->undecided != NULL;
	if (!r->undecided)
		memcpy(g->ret, r->ret, sizeof(g->ret));
	return 0;
}

static void collect_free(struct collect *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].atoms);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int atom_holds(const struct sg_sym_atom *t, const uint32_t w[SG_SYM_WORDS])
{
	uint32_t v = w[t->word] & t->mask;
	switch (t->op) {
	case SG_SYM_EQ: return v == t->k;
	case SG_SYM_NE: return v != t->k;
	case SG_SYM_GE: return v >= t->k;
	default: return v < t->k;
	}
}

static int region_has(const struct region *g, const uint32_t w[SG_SYM_WORDS])
{
	for (size_t i = 0; i < g->natoms; i++)
		if (!atom_holds(&g->atoms[i], w))
			return 0;
	return 1;
}

static struct sg_seccomp_data data_of(const uint32_t w[SG_SYM_WORDS])
{
	struct sg_seccomp_data d = { .nr = w[0], .arch = w[1] };
	d.args[0] = (uint64_t)w[5] << 32 | w[4];
	return d;
}

/* Each region's witness reproduces its returns. */
static void check_witnesses(const struct collect *c, const struct sg_prog *p, size_t np)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct region *g = &c->v[i];
		uint32_t w[SG_SYM_WORDS] = { 0 };
		int ok = 1;
		for (unsigned k = 0; k < SG_SYM_WORDS; k++)
			ok &= sg_sym_solve(g->atoms, g->natoms, k, &w[k]) == 1;
		CHECK(ok, "region %zu has no witness", i);
		CHECK(region_has(g, w), "region %zu: the witness is outside it", i);
		struct sg_seccomp_data d = data_of(w);
		for (size_t j = 0; j < np && !g->undecided; j++) {
			uint32_t r = sg_bpf_run(p[j].insns, p[j].len, &d, SG_LITTLE_ENDIAN, NULL, NULL, 0);
			CHECK(r == g->ret[j], "region %zu, program %zu: witness returns %#x, region says %#x", i, j, r,
			      g->ret[j]);
		}
	}
}

/* Over the domain: exactly one region per input, and its returns. */
static void check_domain(const struct family *f, const struct collect *c, const struct sg_prog *p, size_t np)
{
	unsigned bad = 0;
	for (uint32_t x = 0; x < NDOM * NDOM * NDOM; x++) {
		uint32_t w[SG_SYM_WORDS] = { 0 };
		w[0] = f->dom[x % NDOM], w[1] = f->dom[x / NDOM % NDOM], w[4] = f->dom[x / NDOM / NDOM];
		struct sg_seccomp_data d = data_of(w);
		size_t in = 0, which = 0;
		for (size_t i = 0; i < c->n; i++)
			if (region_has(&c->v[i], w))
				in++, which = i;
		if (in != 1) {
			bad++;
			continue;
		}
		for (size_t j = 0; j < np && !c->v[which].undecided; j++)
			bad += sg_bpf_run(p[j].insns, p[j].len, &d, SG_LITTLE_ENDIAN, NULL, NULL, 0) != c->v[which].ret[j];
	}
	CHECK(bad == 0, "%u domain inputs outside every region, in two, or mispredicted", bad);
}

/* sg_diff over the pair: a difference listed exactly when some input of
 * the domain (which covers every class) is answered differently, and every
 * listed witness answered as listed. */
static void check_diff(const struct family *f, const struct sg_sym_input *in)
{
	struct sg_diff r;
	struct sg_diags d;
	struct sg_diff_opts o = { NULL, 0, SG_LITTLE_ENDIAN };
	sg_diags_init(&d);
	int ok = sg_diff(&in[0], &in[1], &o, &r, &d) == 0;
	CHECK(ok && r.undecided == 0, "sg_diff failed or undecided");
	sg_diags_free(&d);
	if (!ok)
		return;
	int differ = 0;
	for (uint32_t x = 0; x < NDOM * NDOM * NDOM && !differ; x++) {
		uint32_t w[SG_SYM_WORDS] = { 0 };
		w[0] = f->dom[x % NDOM], w[1] = f->dom[x / NDOM % NDOM], w[4] = f->dom[x / NDOM / NDOM];
		struct sg_seccomp_data sd = data_of(w);
		differ = sg_sym_effect(sg_bpf_run_stack(in[0].progs, 1, &sd, SG_LITTLE_ENDIAN, NULL)) !=
			 sg_sym_effect(sg_bpf_run_stack(in[1].progs, 1, &sd, SG_LITTLE_ENDIAN, NULL));
	}
	CHECK((r.n > 0) == differ, "sg_diff lists %zu runs; the domain %s", r.n, differ ? "differs" : "does not");
	for (size_t i = 0; i < r.n; i++) {
		const struct sg_diff_entry *e = &r.v[i];
		CHECK(sg_bpf_run_stack(in[0].progs, 1, &e->witness, SG_LITTLE_ENDIAN, NULL) == e->a &&
			      sg_bpf_run_stack(in[1].progs, 1, &e->witness, SG_LITTLE_ENDIAN, NULL) == e->b &&
			      sg_sym_effect(e->a) != sg_sym_effect(e->b),
		      "run %zu: its witness is no difference", i);
	}
	sg_diff_free(&r);
}

static void random_pairs(int top, unsigned count, int arith, unsigned *undecided)
{
	struct family f;
	family_init(&f, top);
	uint64_t s = 0x5eed0000u + (unsigned)top * 7 + (unsigned)arith;
	struct sg_insn a[40], b[40];
	for (unsigned t = 0; t < count; t++) {
		size_t na = 4 + splitmix64(&s) % 36, nb = 4 + splitmix64(&s) % 36;
		char why[160];
		do
			gen(&f, &s, a, na, arith);
		while (sg_bpf_check(a, na, why, sizeof(why)));
		do
			gen(&f, &s, b, nb, arith);
		while (sg_bpf_check(b, nb, why, sizeof(why)));
		struct sg_prog p[2] = { { a, na }, { b, nb } };
		struct sg_sym_input in[2] = { { &p[0], 1 }, { &p[1], 1 } };
		struct collect c = { 0 };
		struct sg_diags d;
		sg_diags_init(&d);
		CHECK(sg_sym_explore(in, 2, NULL, 0, keep, &c, &d) == 0, "explore failed");
		for (size_t i = 0; i < c.n; i++)
			*undecided += c.v[i].undecided;
		check_witnesses(&c, p, 2);
		check_domain(&f, &c, p, 2);
		if (!arith)
			check_diff(&f, in);
		collect_free(&c);
		sg_diags_free(&d);
	}
}

/* ---- one word: solve and intervals against the domain ------------------------ */

struct ivs {
	uint32_t first[4096], last[4096];
	size_t n;
};

static int add_iv(void *ctx, uint32_t first, uint32_t last)
{
	struct ivs *v = ctx;
	v->first[v->n] = first, v->last[v->n] = last;
	return ++v->n == 4096; /* a mask on low bits makes millions */
}

static int all_hold(const struct sg_sym_atom *t, size_t n, uint32_t x)
{
	uint32_t w[SG_SYM_WORDS] = { x };
	for (size_t i = 0; i < n; i++)
		if (!atom_holds(&t[i], w))
			return 0;
	return 1;
}

static void random_words(int top, unsigned count)
{
	struct family f;
	family_init(&f, top);
	uint64_t s = 0xa70a0000u + (unsigned)top;
	for (unsigned t = 0; t < count; t++) {
		struct sg_sym_atom at[8];
		size_t n = 1 + splitmix64(&s) % 8;
		for (size_t i = 0; i < n; i++) {
			uint32_t m = splitmix64(&s) % 3 ? 0xffffffffu : value(&f, &s);
			at[i] = (struct sg_sym_atom){ 0, (uint8_t)(splitmix64(&s) % 4), m, value(&f, &s) };
		}
		int any = 0;
		for (size_t i = 0; i < NDOM; i++)
			any |= all_hold(at, n, f.dom[i]);
		uint32_t w = 0;
		int r = sg_sym_solve(at, n, 0, &w);
		CHECK(r == any, "case %u: solve says %d, the domain %d", t, r, any);
		CHECK(r != 1 || all_hold(at, n, w), "case %u: the witness %#x fails", t, w);
		struct ivs v = { .n = 0 };
		int stopped = sg_sym_intervals(at, n, 0, add_iv, &v);
		CHECK(stopped == (v.n == 4096), "case %u: intervals failed", t);
		for (size_t i = 0; i < v.n; i++) {
			CHECK(all_hold(at, n, v.first[i]) && all_hold(at, n, v.last[i]) && v.first[i] <= v.last[i],
			      "case %u: interval %zu's ends fail", t, i);
			CHECK(v.first[i] == 0 || !all_hold(at, n, v.first[i] - 1), "case %u: interval %zu not maximal", t, i);
			CHECK(v.last[i] == 0xffffffffu || !all_hold(at, n, v.last[i] + 1), "case %u: interval %zu not maximal",
			      t, i);
			CHECK(i == 0 || v.first[i] > v.last[i - 1] + 1, "case %u: intervals %zu unordered or adjacent", t, i);
		}
		for (size_t i = 0; i < NDOM && (!stopped || f.dom[i] <= v.last[v.n - 1]); i++) {
			int in = 0;
			for (size_t j = 0; j < v.n; j++)
				in |= f.dom[i] >= v.first[j] && f.dom[i] <= v.last[j];
			CHECK(in == all_hold(at, n, f.dom[i]), "case %u: %#x misplaced by the intervals", t, f.dom[i]);
		}
	}
}

/* A libseccomp-shaped chain: hundreds of "nr != k" atoms and a mask. */
static void many_holes(void)
{
	static struct sg_sym_atom at[602];
	size_t n = 0;
	for (uint32_t k = 0; k < 600; k++)
		at[n++] = (struct sg_sym_atom){ 0, SG_SYM_NE, 0xffffffffu, k };
	at[n++] = (struct sg_sym_atom){ 0, SG_SYM_EQ, 0x3ff, 0x100 };
	uint32_t w = 0;
	CHECK(sg_sym_solve(at, n, 0, &w) == 1 && w == 0x500, "600 holes and a mask: %#x, want 0x500", w);
	at[n++] = (struct sg_sym_atom){ 0, SG_SYM_LT, 0xffffffffu, 0x500 };
	CHECK(sg_sym_solve(at, n, 0, &w) == 0, "600 holes, a mask and a bound: satisfiable");
	struct ivs v = { .n = 0 };
	at[n - 1] = (struct sg_sym_atom){ 0, SG_SYM_LT, 0xffffffffu, 1000 };
	at[n - 2] = (struct sg_sym_atom){ 0, SG_SYM_GE, 0xffffffffu, 500 };
	CHECK(sg_sym_intervals(at, n, 0, add_iv, &v) == 0 && v.n == 1 && v.first[0] == 600 && v.last[0] == 999,
	      "[500, 1000) less 0..599: %zu intervals", v.n);
}

static void effects(void)
{
	CHECK(sg_sym_effect(SG_RET_ALLOW | 7) == SG_RET_ALLOW, "ALLOW's data counts");
	CHECK(sg_sym_effect(SG_RET_ERRNO | 5000) == (SG_RET_ERRNO | 4095), "ERRNO not clamped");
	CHECK(sg_sym_effect(0x00010000) == SG_RET_KILL_PROCESS, "an unknown action does not kill the process");
	CHECK(sg_sym_effect(SG_RET_TRAP | 3) == (SG_RET_TRAP | 3), "TRAP's data lost");
}

int main(void)
{
	const char *quick = getenv("SYSGATE_QUICK");
	unsigned scale = quick && *quick == '1' ? 1 : 10, undecided = 0;
	effects();
	many_holes();
	random_words(0, 300 * scale);
	random_words(1, 300 * scale);
	random_pairs(0, 20 * scale, 0, &undecided);
	random_pairs(1, 20 * scale, 0, &undecided);
	CHECK(undecided == 0, "%u undecided regions without arithmetic", undecided);
	random_pairs(0, 10 * scale, 1, &undecided);
	CHECK(undecided > 0, "arithmetic on a word never made a region undecided");
	return check_summary("symbolic");
}
