/* Decompile stage, reading: each architecture's regions -> each named
 * syscall's rules (see include/sysgate/decompile.h). */
#include <stdlib.h>
#include <string.h>

#include "decompile_impl.h"
#include "sysgate/emulate.h"
#include "sysgate/resolve.h"
#include "widths.h"

#define FULL 0xffffffffu
#define X32_BIT 0x40000000u
#define MAX_IVS 8   /* intervals of one argument's values that are read as a shape */
#define MAX_ENUM 64 /* values of one argument written as one rule each, when no shape will do */

struct region {
	struct sg_sym_atom *atoms;
	size_t n;
	uint32_t ret;
};

struct reader {
	const struct sg_arch *arch;
	struct region *v;
	size_t n, cap;
	struct sg_diags *d;
	int failed;
};

/* ---- the regions of one architecture ---------------------------------------------- */

static int keep_region(void *ctx, const struct sg_sym_region *r)
{
	struct reader *rd = ctx;
	if (r->undecided || r->unsure) {
		rd->failed = sg_error(rd->d, NULL, NULL, "%s: %s", rd->arch->name,
				      r->undecided ? r->undecided : "a word's conditions are beyond the search budget");
		return 1;
	}
	if (rd->n == rd->cap) {
		size_t cap = rd->cap ? 2 * rd->cap : 64;
		struct region *v = realloc(rd->v, cap * sizeof(*v));
		if (!v)
			return rd->failed = sg_oom(rd->d, NULL), 1;
		rd->v = v, rd->cap = cap;
	}
	struct region *g = &rd->v[rd->n];
	g->atoms = malloc((r->natoms + 1) * sizeof(*g->atoms));
	if (!g->atoms)
		return rd->failed = sg_oom(rd->d, NULL), 1;
	memcpy(g->atoms, r->atoms, r->natoms * sizeof(*g->atoms));
	g->n = r->natoms;
	g->ret = r->ret[0];
	rd->n++;
	return 0;
}

static void regions_free(struct reader *rd)
{
	for (size_t i = 0; i < rd->n; i++)
		free(rd->v[i].atoms);
	free(rd->v);
}

static int atom_holds(const struct sg_sym_atom *t, uint32_t w)
{
	uint32_t v = w & t->mask;
	switch (t->op) {
	case SG_SYM_EQ: return v == t->k;
	case SG_SYM_NE: return v != t->k;
	case SG_SYM_GE: return v >= t->k;
	default: return v < t->k;
	}
}

static int has_nr(const struct region *g, uint32_t nr)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->atoms[i].word == SG_SYM_WORD_NR && !atom_holds(&g->atoms[i], nr))
			return 0;
	return 1;
}

/* The arch's inputs: its audit value, and x86_64's and x32's numbers apart. */
static int read_arch(const struct sg_sym_input *in, const struct sg_arch *arch, struct reader *rd)
{
	struct sg_sym_atom pre[2] = { { SG_SYM_WORD_ARCH, SG_SYM_EQ, FULL, arch->audit_arch } };
	size_t npre = 1;
	if (arch->audit_arch == 0xc000003eu) /* AUDIT_ARCH_X86_64: x32 is the numbers with its bit */
		pre[npre++] = (struct sg_sym_atom){ SG_SYM_WORD_NR, arch->nr_base ? SG_SYM_NE : SG_SYM_EQ, X32_BIT, 0 };
	rd->arch = arch;
	return sg_sym_explore(in, 1, pre, npre, keep_region, rd, rd->d) || rd->failed ? -1 : 0;
}

/* ---- an argument's values, as an OCI condition can say them ----------------------- */

/* How one argument reads: only its low word (a 32-bit ABI, or an argument
 * the kernel reads narrower, under its widths), or both words. */
struct argspace {
	unsigned lo, hi;   /* word indexes */
	int lo_only;
	uint32_t vmask;    /* lo_only: the bits compared (0xffff for a 16-bit argument) */
	enum sg_arg_read read;
};

static struct argspace space_of(const struct dc_model *m, const struct sg_arch *arch, uint32_t nr, unsigned i)
{
	struct argspace s = { 4 + 2 * i, 5 + 2 * i, 0, FULL, SG_READ_WORD };
	if (arch->endian == SG_BIG_ENDIAN)
		s.lo = 5 + 2 * i, s.hi = 4 + 2 * i;
	if (!m->mode64)
		s.read = sg_rule_read(&(struct sg_arch_rule){ .reads = sg_widths_reads(arch, nr) }, i);
	if (arch->bits == 32 && s.read != SG_READ_U16) /* a 32-bit ABI: its word is the low word */
		s.read = SG_READ_U32;
	s.lo_only = s.read != SG_READ_WORD;
	if (s.read == SG_READ_U16)
		s.vmask = 0xffff;
	return s;
}

/* A condition to try for a region's argument: exact (the region's values
 * themselves) or a superset; none: no condition. */
struct cand {
	int none;
	struct sg_cond c;
	size_t nvals; /* > 0: one EQ rule per value instead (c is the first) */
	uint64_t vals[MAX_ENUM];
};

struct ivs {
	uint64_t a[MAX_IVS], b[MAX_IVS];
	size_t n;
	int over;      /* more pieces than kept */
	uint64_t last; /* the end of the last piece */
};

static int add_iv(void *ctx, uint32_t a, uint32_t b)
{
	struct ivs *v = ctx;
	if (v->n < MAX_IVS)
		v->a[v->n] = a, v->b[v->n] = b, v->n++;
	else
		v->over = 1;
	v->last = b;
	return 0;
}

/* The atoms of g on word w, with a 16-bit argument's "& 0xffff" made a
 * whole-word test of a word below 0x10000. 0, or -1 for a mask that is
 * not the argument's. */
static int word_atoms(const struct region *g, unsigned w, uint32_t vmask, struct sg_sym_atom *out, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < g->n; i++) {
		struct sg_sym_atom t = g->atoms[i];
		if (t.word != w)
			continue;
		if (*n == 62) /* more tests of one argument word than any filter makes */
			return -1;
		if (vmask != FULL && (t.mask & ~vmask))
			return -1;
		if (t.mask == vmask)
			t.mask = FULL;
		out[(*n)++] = t;
	}
	if (vmask != FULL)
		out[(*n)++] = (struct sg_sym_atom){ (uint8_t)w, SG_SYM_LT, FULL, vmask + 1 };
	return 0;
}

/* The masked tests of one word, when they are all "(w & m) == k": 1 with
 * their union, 0 when there are none, -1 when they are of another kind. */
static int masked_eq(const struct sg_sym_atom *t, size_t n, int bound, uint32_t *mask, uint32_t *val)
{
	int any = 0, other = 0;
	*mask = *val = 0;
	for (size_t i = 0; i + (bound != 0) < n; i++) { /* the 16-bit bound aside */
		if (t[i].mask == FULL)
			other = 1;
		else if (t[i].op != SG_SYM_EQ)
			other = 1;
		else
			*mask |= t[i].mask, *val |= t[i].k, any = 1;
	}
	return other && any ? -1 : any;
}

static uint64_t canon(uint64_t v, const struct argspace *s)
{
	return s->lo_only ? sg_arg_canon(v, s->read) : v;
}

/* The shape of a set of values in [0, top], as conditions to try. */
static size_t shapes(const struct ivs *v, uint64_t top, const struct argspace *s, struct cand *out)
{
	size_t n = 0;
	uint64_t a = v->a[0], b = v->b[v->n - 1];
#define CAND(o, x) (out[n++] = (struct cand){ 0, { 0, (o), canon((x), s), 0 }, 0, { 0 } })
	if (v->n == 1 && a == 0 && b == top)
		return out[0] = (struct cand){ 1, { 0 }, 0, { 0 } }, 1;
	if (v->n == 1 && a == b)
		return CAND(SG_CMP_EQ, a), n;
	if (v->n == 1 && (a == 0 || b == top))
		return a == 0 ? CAND(SG_CMP_LE, b) : CAND(SG_CMP_GE, a), n;
	if (v->n == 2 && a == 0 && b == top && v->a[1] == v->b[0] + 2)
		return CAND(SG_CMP_NE, v->b[0] + 1), n;
	if (a > 0)
		CAND(SG_CMP_GE, a);
	if (b < top)
		CAND(SG_CMP_LE, b);
#undef CAND
	uint64_t count = 0; /* a few values: each its own EQ rule */
	for (size_t i = 0; i < v->n && count <= MAX_ENUM; i++)
		count += v->b[i] - v->a[i] + 1;
	if (count <= MAX_ENUM && !v->over) {
		struct cand *e = &out[n++];
		*e = (struct cand){ 0, { 0, SG_CMP_EQ, canon(v->a[0], s), 0 }, 0, { 0 } };
		for (size_t i = 0; i < v->n; i++)
			for (uint64_t x = v->a[i]; x <= v->b[i]; x++)
				e->vals[e->nvals++] = canon(x, s);
	}
	out[n++] = (struct cand){ 1, { 0 }, 0, { 0 } };
	return n;
}

/* The 64-bit values of an argument whose words take the sets h and l. */
static int join_words(const struct ivs *h, const struct ivs *l, struct ivs *v)
{
	v->n = 0;
	if (l->n == 1 && l->a[0] == 0 && l->b[0] == FULL) {
		for (size_t i = 0; i < h->n; i++)
			v->a[v->n] = h->a[i] << 32, v->b[v->n++] = h->b[i] << 32 | FULL;
	} else if (h->n == 1 && h->a[0] == h->b[0]) {
		for (size_t i = 0; i < l->n; i++)
			v->a[v->n] = h->a[0] << 32 | l->a[i], v->b[v->n++] = h->a[0] << 32 | l->b[i];
	} else { /* a box: only its hull is a shape */
		v->a[0] = h->a[0] << 32 | l->a[0], v->b[0] = h->b[h->n - 1] << 32 | l->b[l->n - 1], v->n = 1;
		return 1;
	}
	size_t k = 0; /* adjacent pieces joined */
	for (size_t i = 0; i < v->n; i++) {
		if (k && v->b[k - 1] + 1 == v->a[i])
			v->b[k - 1] = v->b[i];
		else
			v->a[k] = v->a[i], v->b[k] = v->b[i], k++;
	}
	v->n = k;
	return 0;
}

/* The values of an argument whose words pass the whole-word tests lo and
 * hi, as intervals (or their hull, v->over). 0, or -1. */
static int value_set(const struct sg_sym_atom *lo, size_t nlo, const struct sg_sym_atom *hi, size_t nhi,
		     const struct argspace *s, struct ivs *v)
{
	struct ivs l = { .n = 0 }, h = { .n = 0 };
	v->n = 0;
	if (sg_sym_intervals(lo, nlo, s->lo, add_iv, &l) < 0 ||
	    (!s->lo_only && sg_sym_intervals(hi, nhi, s->hi, add_iv, &h) < 0) || !l.n || (!s->lo_only && !h.n))
		return -1;
	/* many pieces: only the hull's ends are a shape */
	if (l.over)
		l.b[0] = l.last, l.n = 1;
	if (h.over)
		h.b[0] = h.last, h.n = 1;
	if (l.over || h.over)
		l.n = h.n = 1, l.over = 1;
	if (s->lo_only)
		*v = l;
	else
		l.over |= join_words(&h, &l, v);
	v->over = l.over;
	return 0;
}

/* What to try for argument i of region g, tightest first: 0 and the
 * candidates, or -1 when the argument's tests fit no reading. */
static int arg_cands(const struct region *g, const struct argspace *s, unsigned i, struct cand *out, size_t *n)
{
	struct sg_sym_atom lo[64], hi[64];
	size_t nlo, nhi;
	if (word_atoms(g, s->lo, s->lo_only ? s->vmask : FULL, lo, &nlo) ||
	    word_atoms(g, s->hi, FULL, hi, &nhi) || (s->lo_only && nhi))
		return -1;
	uint32_t ml, vl, mh, vh;
	int bound = s->lo_only && s->vmask != FULL;
	int kl = masked_eq(lo, nlo, bound, &ml, &vl), kh = s->lo_only ? 0 : masked_eq(hi, nhi, 0, &mh, &vh);
	if (kl || kh) {
		*n = 0;
		if (kl >= 0 && kh >= 0 && (kl || nlo == (size_t)bound) && (kh || !nhi)) { /* all masked equalities */
			uint64_t m = (uint64_t)(kh ? mh : 0) << 32 | (kl ? ml : 0);
			uint64_t v = (uint64_t)(kh ? vh : 0) << 32 | (kl ? vl : 0);
			out[(*n)++] = (struct cand){ 0, { i, SG_CMP_MASKED_EQ, m, v }, 0, { 0 } };
		}
		out[(*n)++] = (struct cand){ 1, { 0 }, 0, { 0 } };
		return 0;
	}
	struct ivs v = { .n = 0 };
	if (value_set(lo, nlo, hi, nhi, s, &v))
		return -1;
	*n = shapes(&v, s->lo_only ? s->vmask : UINT64_MAX, s, out);
	if (v.over && !out[0].none && *n == 1) /* a hull read as one exact shape is a superset all the same */
		out[(*n)++] = (struct cand){ 1, { 0 }, 0, { 0 } };
	for (size_t k = 0; k < *n; k++)
		out[k].c.index = i;
	return 0;
}

/* ---- a rule's conditions as word tests, to see which regions it reaches ------------- */

/* One way a condition holds: at most two word tests. */
struct term {
	struct sg_sym_atom t[2];
	size_t n;
};

static struct sg_sym_atom atom(unsigned w, unsigned op, uint32_t mask, uint32_t k)
{
	return (struct sg_sym_atom){ (uint8_t)w, (uint8_t)op, mask, k };
}

/* The ways condition c holds, as sysgate compiles it: 1 or 2 terms. */
static size_t lower(const struct sg_cond *c, const struct argspace *s, struct term *out)
{
	uint32_t vh = (uint32_t)(c->value >> 32), vl = (uint32_t)c->value, m = s->lo_only ? s->vmask : FULL;
	if (c->op == SG_CMP_MASKED_EQ) {
		uint32_t mh = (uint32_t)(c->value >> 32), ml = (uint32_t)c->value & m;
		uint64_t v = c->value_two & c->value;
		out[0].n = 0;
		if (ml)
			out[0].t[out[0].n++] = atom(s->lo, SG_SYM_EQ, ml, (uint32_t)v & ml);
		if (mh && !s->lo_only)
			out[0].t[out[0].n++] = atom(s->hi, SG_SYM_EQ, mh, (uint32_t)(v >> 32));
		return 1;
	}
	if (s->lo_only) { /* the low word, or its low 16 bits, alone */
		unsigned op = c->op == SG_CMP_EQ ? SG_SYM_EQ : c->op == SG_CMP_NE ? SG_SYM_NE : c->op == SG_CMP_GE ? SG_SYM_GE
											 : SG_SYM_LT;
		uint32_t k = c->op == SG_CMP_LE ? vl + 1 : vl;
		out[0] = (struct term){ { atom(s->lo, op, m, k) }, (c->op == SG_CMP_LE && vl == m) ? 0 : 1 };
		return 1;
	}
	switch (c->op) {
	case SG_CMP_EQ: out[0] = (struct term){ { atom(s->hi, SG_SYM_EQ, FULL, vh), atom(s->lo, SG_SYM_EQ, FULL, vl) }, 2 }; return 1;
	case SG_CMP_NE:
		out[0] = (struct term){ { atom(s->hi, SG_SYM_NE, FULL, vh) }, 1 };
		out[1] = (struct term){ { atom(s->hi, SG_SYM_EQ, FULL, vh), atom(s->lo, SG_SYM_NE, FULL, vl) }, 2 };
		return 2;
	case SG_CMP_GE:
		out[0] = (struct term){ { atom(s->hi, SG_SYM_EQ, FULL, vh), atom(s->lo, SG_SYM_GE, FULL, vl) }, 2 };
		out[1] = (struct term){ { atom(s->hi, SG_SYM_GE, FULL, vh + 1) }, 1 };
		return vh == FULL ? 1 : 2;
	default: /* LE */
		out[0] = (struct term){ { atom(s->hi, SG_SYM_EQ, FULL, vh), atom(s->lo, SG_SYM_LT, FULL, vl + 1) },
					vl == FULL ? 1 : 2 };
		out[1] = (struct term){ { atom(s->hi, SG_SYM_LT, FULL, vh) }, 1 };
		return vh == 0 ? 1 : 2;
	}
}

/* Whether the conditions (one per argument at most) reach region g: for
 * some way each holds, the tests on the words they read, g's and theirs,
 * have a solution (g's others have one: it is a region). */
static int reaches(const struct region *g, const struct sg_cond *c, const struct argspace *sp, size_t nc)
{
	struct term terms[SG_MAX_ARGS][2];
	size_t nt[SG_MAX_ARGS], pick[SG_MAX_ARGS] = { 0 }, base = 0;
	struct sg_sym_atom all[96];
	for (size_t i = 0; i < nc; i++)
		nt[i] = lower(&c[i], &sp[i], terms[i]);
	for (size_t i = 0; i < g->n; i++) { /* g's tests of the arguments' words */
		int on = 0;
		for (size_t k = 0; k < nc && !on; k++)
			on = g->atoms[i].word == sp[k].lo || g->atoms[i].word == sp[k].hi;
		if (on && base == 80)
			return 1; /* cannot tell: as if it did, which only refuses the candidate */
		if (on)
			all[base++] = g->atoms[i];
	}
	for (;;) {
		size_t n = base;
		for (size_t i = 0; i < nc; i++)
			for (size_t k = 0; k < terms[i][pick[i]].n; k++)
				all[n++] = terms[i][pick[i]].t[k];
		int sat = 1;
		for (size_t k = base; k < n && sat; k++)
			sat = sg_sym_solve(all, n, all[k].word, NULL) != 0;
		if (sat)
			return 1;
		size_t i = 0; /* the next combination of terms */
		while (i < nc && ++pick[i] == nt[i])
			pick[i++] = 0;
		if (i == nc)
			return 0;
	}
}

/* ---- one syscall: its regions -> rules --------------------------------------------- */

struct syscall {
	const struct sg_arch *arch;
	uint32_t nr;
	const char *name;
	const struct region **g; /* its regions */
	size_t n;
	struct argspace sp[SG_MAX_ARGS];
	uint32_t fallback;
	int *ruled;              /* region k has a rule */
	struct cand (*chosen)[SG_MAX_ARGS]; /* and its conditions, per argument */
};

static int same_atom(const struct sg_sym_atom *x, const struct sg_sym_atom *y)
{
	return x->word == y->word && x->op == y->op && x->mask == y->mask && x->k == y->k;
}

/* Regions x and y test the other arguments (than s's) alike. */
static int same_elsewhere(const struct region *x, const struct region *y, const struct argspace *s)
{
	for (int pass = 0; pass < 2; pass++) {
		const struct region *p = pass ? y : x, *q = pass ? x : y;
		for (size_t i = 0; i < p->n; i++) {
			const struct sg_sym_atom *t = &p->atoms[i];
			int found = t->word < 4 || t->word == s->lo || t->word == s->hi;
			for (size_t k = 0; k < q->n && !found; k++)
				found = same_atom(t, &q->atoms[k]);
			if (!found)
				return 0;
		}
	}
	return 1;
}

static int cmp_piece(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;
	return (a[0] > b[0]) - (a[0] < b[0]);
}

/* Shapes of the union of argument i's values over the regions of region
 * j's action that test every other argument as j does: a condition split
 * into several paths (64-bit NE: the high word differs, or it is equal
 * and the low one differs) read as one. How many candidates, no "none". */
static size_t union_cands(const struct syscall *sc, size_t j, unsigned i, struct cand *out)
{
	const struct argspace *s = &sc->sp[i];
	uint64_t piece[64][2];
	size_t n = 0, regions = 0;
	for (size_t k = 0; k < sc->n; k++) {
		if (sc->g[k]->ret != sc->g[j]->ret || !same_elsewhere(sc->g[j], sc->g[k], s))
			continue;
		struct sg_sym_atom lo[64], hi[64];
		size_t nlo, nhi;
		uint32_t m, v;
		struct ivs set = { .n = 0 };
		if (word_atoms(sc->g[k], s->lo, s->lo_only ? s->vmask : FULL, lo, &nlo) ||
		    word_atoms(sc->g[k], s->hi, FULL, hi, &nhi) || (s->lo_only && nhi) ||
		    masked_eq(lo, nlo, s->lo_only && s->vmask != FULL, &m, &v) || masked_eq(hi, nhi, 0, &m, &v) ||
		    value_set(lo, nlo, hi, nhi, s, &set) || set.over || n + set.n > 64)
			return 0;
		for (size_t p = 0; p < set.n; p++)
			piece[n][0] = set.a[p], piece[n++][1] = set.b[p];
		regions++;
	}
	if (regions < 2)
		return 0;
	qsort(piece, n, sizeof(*piece), cmp_piece);
	struct ivs u = { .n = 0 };
	for (size_t p = 0; p < n; p++) {
		if (u.n && (piece[p][0] <= u.b[u.n - 1] || piece[p][0] == u.b[u.n - 1] + 1)) {
			if (piece[p][1] > u.b[u.n - 1])
				u.b[u.n - 1] = piece[p][1];
		} else if (u.n == MAX_IVS) {
			u.over = 1, u.b[u.n - 1] = piece[p][1];
		} else {
			u.a[u.n] = piece[p][0], u.b[u.n++] = piece[p][1];
		}
	}
	size_t c = shapes(&u, s->lo_only ? s->vmask : UINT64_MAX, s, out);
	while (c && out[c - 1].none)
		c--;
	for (size_t k = 0; k < c; k++)
		out[k].c.index = i;
	return c;
}

/* Whether the combination (one candidate per argument) reaches region g,
 * every value of an enumerated one tried. */
static int combo_reaches(const struct syscall *sc, const struct region *g, const struct cand *pick)
{
	struct sg_cond c[SG_MAX_ARGS];
	struct argspace sp[SG_MAX_ARGS];
	size_t n = 0, en = SIZE_MAX;
	for (unsigned i = 0; i < SG_MAX_ARGS; i++) {
		if (pick[i].none)
			continue;
		if (pick[i].nvals)
			en = n;
		sp[n] = sc->sp[i], c[n++] = pick[i].c;
	}
	if (en == SIZE_MAX)
		return reaches(g, c, sp, n);
	const struct cand *e = NULL;
	for (unsigned i = 0; i < SG_MAX_ARGS && !e; i++)
		if (!pick[i].none && pick[i].nvals)
			e = &pick[i];
	for (size_t v = 0; v < e->nvals; v++) {
		c[en].op = SG_CMP_EQ, c[en].value = e->vals[v];
		if (reaches(g, c, sp, n))
			return 1;
	}
	return 0;
}

/* A rule for region j: of the combinations of candidates (at most one
 * enumerated) that reach no region of another action, bar one more
 * restrictive than the default's and than its own (that region has a rule
 * of its own, which wins there; a rule with the default action is no rule,
 * as in runc), the one reaching the fewest, the tightest among equals. 0,
 * or -1 when none will do. */
static int rule_for(struct syscall *sc, size_t j)
{
	struct cand cands[SG_MAX_ARGS][10];
	size_t nc[SG_MAX_ARGS], pick[SG_MAX_ARGS] = { 0 }, best = SIZE_MAX;
	for (unsigned i = 0; i < SG_MAX_ARGS; i++) {
		size_t u = union_cands(sc, j, i, cands[i]);
		if (arg_cands(sc->g[j], &sc->sp[i], i, cands[i] + u, &nc[i]))
			return -1;
		nc[i] += u;
	}
	int rank = sg_action_rank(sc->g[j]->ret);
	for (;;) {
		struct cand c[SG_MAX_ARGS];
		size_t reached = 0, enums = 0;
		for (unsigned i = 0; i < SG_MAX_ARGS; i++)
			c[i] = cands[i][pick[i]], enums += c[i].nvals > 0;
		int valid = enums <= 1;
		for (size_t k = 0; k < sc->n && valid && reached < best; k++) {
			uint32_t r = sc->g[k]->ret;
			if (r == sc->g[j]->ret || !combo_reaches(sc, sc->g[k], c))
				continue;
			if (sg_action_rank(r) < rank && r != sc->fallback)
				reached++;
			else
				valid = 0;
		}
		if (valid && reached < best) {
			best = reached;
			memcpy(sc->chosen[j], c, sizeof(c));
			sc->ruled[j] = 1;
		}
		unsigned i = 0;
		while (i < SG_MAX_ARGS && ++pick[i] == nc[i])
			pick[i++] = 0;
		if (i == SG_MAX_ARGS || best == 0)
			return sc->ruled[j] ? 0 : -1;
	}
}

static int push_rule(struct dc_model *m, const struct syscall *sc, uint32_t action, const struct sg_cond *c, size_t n)
{
	struct dc_rule r = { sc->arch, sc->name, action, { { 0 } }, n, 0 };
	memcpy(r.conds, c, n * sizeof(*c));
	for (size_t i = 0; i < m->nrules; i++) { /* the same rule from another region */
		const struct dc_rule *q = &m->rules[i];
		if (q->arch == r.arch && q->name == r.name && q->action == r.action && q->nconds == n &&
		    !memcmp(q->conds, r.conds, n * sizeof(*c)))
			return 0;
	}
	return dc_add_rule(m, &r);
}

/* Region k's rule, or rules: one per value of an enumerated argument. */
static int push_region(struct dc_model *m, const struct syscall *sc, size_t k)
{
	struct sg_cond c[SG_MAX_ARGS];
	size_t n = 0, en = SIZE_MAX, nvals = 1;
	const uint64_t *vals = NULL;
	for (unsigned i = 0; i < SG_MAX_ARGS; i++) {
		const struct cand *p = &sc->chosen[k][i];
		if (p->none)
			continue;
		if (p->nvals)
			en = n, vals = p->vals, nvals = p->nvals;
		c[n++] = p->c;
	}
	int rc = 0;
	for (size_t v = 0; v < nvals && rc == 0; v++) {
		if (vals)
			c[en].op = SG_CMP_EQ, c[en].value = vals[v];
		rc = push_rule(m, sc, sc->g[k]->ret, c, n);
	}
	return rc;
}

/* The values of condition c as intervals of its argument's value space
 * [0, top] (canonical values, in their unsigned order): how many. */
static size_t cond_set(const struct sg_cond *c, uint64_t top, uint64_t *a, uint64_t *b)
{
	switch (c->op) {
	case SG_CMP_EQ: a[0] = b[0] = c->value; return 1;
	case SG_CMP_GE: a[0] = c->value, b[0] = top; return 1;
	case SG_CMP_LE: a[0] = 0, b[0] = c->value; return 1;
	case SG_CMP_NE: {
		size_t n = 0;
		if (c->value > 0)
			a[n] = 0, b[n++] = c->value - 1;
		if (c->value < top)
			a[n] = c->value + 1, b[n++] = top;
		return n;
	}
	default: return 0; /* MASKED_EQ: compared as written */
	}
}

/* Every value of x is one of y's (same argument). */
static int cond_within(const struct sg_cond *x, const struct sg_cond *y, const struct argspace *s)
{
	if (x->op == SG_CMP_MASKED_EQ || y->op == SG_CMP_MASKED_EQ)
		return !memcmp(x, y, sizeof(*x));
	uint64_t top = !s->lo_only ? UINT64_MAX : s->read == SG_READ_S32 ? UINT64_MAX : s->vmask;
	uint64_t xa[2], xb[2], ya[2], yb[2];
	size_t nx = cond_set(x, top, xa, xb), ny = cond_set(y, top, ya, yb);
	for (size_t i = 0; i < nx; i++) {
		int in = 0;
		for (size_t k = 0; k < ny && !in; k++)
			in = ya[k] <= xa[i] && xb[i] <= yb[k];
		if (!in)
			return 0;
	}
	return 1;
}

/* Rule y allows all rule x does, with the same action: x says nothing more. */
static int subsumes(const struct dc_rule *y, const struct dc_rule *x, const struct argspace *sp)
{
	if (y->action != x->action || y == x)
		return 0;
	for (size_t k = 0; k < y->nconds; k++) {
		const struct sg_cond *xc = NULL;
		for (size_t i = 0; i < x->nconds && !xc; i++)
			if (x->conds[i].index == y->conds[k].index)
				xc = &x->conds[i];
		if (!xc || !cond_within(xc, &y->conds[k], &sp[y->conds[k].index]))
			return 0;
	}
	return 1;
}

/* The syscall's rules from first on, less those another of them covers. */
static void prune(struct dc_model *m, size_t first, const struct argspace *sp)
{
	size_t k = first;
	for (size_t i = first; i < m->nrules; i++) {
		int covered = 0;
		for (size_t j = first; j < m->nrules && !covered; j++)
			covered = subsumes(&m->rules[j], &m->rules[i], sp) &&
				  (!subsumes(&m->rules[i], &m->rules[j], sp) || j < i); /* of equals, keep the first */
		if (!covered)
			m->rules[k++] = m->rules[i];
	}
	m->nrules = k;
}

static int syscall_rules(struct dc_model *m, struct syscall *sc, struct sg_diags *d)
{
	int uniform = 1;
	for (size_t k = 1; k < sc->n; k++)
		uniform &= sc->g[k]->ret == sc->g[0]->ret;
	if (uniform)
		return sc->g[0]->ret == m->fallback ? 0 : push_rule(m, sc, sc->g[0]->ret, NULL, 0);
	for (size_t k = 0; k < sc->n; k++)
		for (size_t i = 0; i < sc->g[k]->n; i++)
			if (sc->g[k]->atoms[i].word == 2 || sc->g[k]->atoms[i].word == 3)
				return sg_error(d, NULL, NULL, "%s: %s: the filter decides on the instruction pointer, "
							       "which a profile cannot", sc->arch->name, sc->name);
	int rc = 0;
	sc->fallback = m->fallback;
	for (size_t k = 0; k < sc->n && rc == 0; k++)
		if (sc->g[k]->ret != m->fallback)
			rc = rule_for(sc, k);
	if (rc)
		return sg_error(d, NULL, NULL, "%s: %s: its arguments are tested in a way no set of OCI conditions "
					       "says", sc->arch->name, sc->name);
	size_t first = m->nrules;
	for (size_t k = 0; k < sc->n && rc == 0; k++)
		if (sc->ruled[k])
			rc = push_region(m, sc, k);
	prune(m, first, sc->sp);
	return rc;
}

/* ---- the whole filter ----------------------------------------------------------------- */

static uint32_t run(const struct sg_sym_input *in, uint32_t audit, uint32_t nr, enum sg_endian e)
{
	struct sg_seccomp_data sd = { .nr = nr, .arch = audit };
	return sg_bpf_run_stack(in->progs, in->n, &sd, e, NULL);
}

/* The architectures the filter tells from a foreign one: some number of
 * theirs (0..1023 past their base) is answered otherwise. */
static void find_arches(const struct sg_sym_input *in, const struct sg_decompile_opts *o, struct dc_model *m)
{
	size_t n;
	const struct sg_arch *const *all = sg_arches(&n);
	m->bad_arch = run(in, 0, 0, o->endian);
	for (size_t i = 0; i < n && m->narches < SG_MAX_ARCHES; i++) {
		int differs = 0;
		for (uint32_t nr = 0; nr < 1024 && !differs; nr++)
			differs = run(in, all[i]->audit_arch, all[i]->nr_base + nr, all[i]->endian) != m->bad_arch;
		if (differs)
			m->arches[m->narches++] = all[i];
	}
}

/* The actions named syscalls take whatever their arguments: the
 * candidates for the default, most common first. */
static size_t uniform_actions(struct reader *rd, size_t nrd, uint32_t *vals, size_t cap)
{
	size_t counts[16] = { 0 }, nv = 0;
	for (size_t a = 0; a < nrd; a++)
		for (size_t k = 0; k < rd[a].arch->nsyscalls; k++) {
			uint32_t nr = sg_syscall_num(rd[a].arch, &rd[a].arch->by_name[k]), ret = 0;
			int one = 1, seen = 0;
			for (size_t g = 0; g < rd[a].n && one; g++)
				if (has_nr(&rd[a].v[g], nr))
					one = !seen || rd[a].v[g].ret == ret, ret = rd[a].v[g].ret, seen = 1;
			size_t i = 0;
			while (one && i < nv && vals[i] != ret)
				i++;
			if (one && i == nv && nv < cap && nv < 16)
				vals[nv++] = ret;
			if (one && i < nv)
				counts[i]++;
		}
	for (size_t i = 1; i < nv; i++) /* by count, then value: deterministic */
		for (size_t j = i; j > 0 && (counts[j] > counts[j - 1] ||
					     (counts[j] == counts[j - 1] && vals[j] < vals[j - 1])); j--) {
			size_t c = counts[j];
			uint32_t v = vals[j];
			counts[j] = counts[j - 1], vals[j] = vals[j - 1];
			counts[j - 1] = c, vals[j - 1] = v;
		}
	return nv;
}

/* Whether some argument the kernel reads narrower is tested wider (its
 * high word, or beyond a 16-bit argument's 16 bits): then the filter was
 * written for all the bits (runc's), and is read so. */
static int tests_wider(const struct dc_model *m, const struct reader *rd)
{
	for (size_t g = 0; g < rd->n; g++)
		for (size_t t = 0; t < rd->v[g].n; t++) {
			const struct sg_sym_atom *a = &rd->v[g].atoms[t];
			uint32_t nr;
			if (a->word < 4 || sg_sym_solve(rd->v[g].atoms, rd->v[g].n, SG_SYM_WORD_NR, &nr) != 1)
				continue;
			struct argspace s = space_of(m, rd->arch, nr, (a->word - 4) / 2u);
			if (s.lo_only && (a->word == s.hi || (a->mask & ~s.vmask)))
				return 1;
		}
	return 0;
}

static int arch_rules(struct dc_model *m, const struct reader *rd, struct sg_diags *d)
{
	const struct sg_arch *a = rd->arch;
	const struct region **g = malloc((rd->n + 1) * sizeof(*g));
	int *ruled = malloc((rd->n + 1) * sizeof(*ruled));
	struct cand(*chosen)[SG_MAX_ARGS] = malloc((rd->n + 1) * sizeof(*chosen));
	int rc = g && ruled && chosen ? 0 : sg_oom(d, NULL);
	for (size_t k = 0; k < a->nsyscalls && rc == 0; k++) {
		struct syscall sc = { a, sg_syscall_num(a, &a->by_name[k]), sg_syscall_str(&a->by_name[k]), g, 0,
				      { { 0 } }, m->fallback, ruled, chosen };
		for (size_t i = 0; i < rd->n; i++)
			if (has_nr(&rd->v[i], sc.nr))
				ruled[sc.n] = 0, g[sc.n++] = &rd->v[i];
		for (unsigned i = 0; i < SG_MAX_ARGS; i++)
			sc.sp[i] = space_of(m, a, sc.nr, i);
		if (sc.n)
			rc = syscall_rules(m, &sc, d);
	}
	free(g), free(ruled), free(chosen);
	return rc;
}

static int stubless(uint32_t ret)
{
	enum sg_action_kind k;
	return sg_action_kind_of(ret, &k) == 0 && (k == SG_ACT_ALLOW || k == SG_ACT_LOG || k == SG_ACT_TRACE);
}

/* Every syscall's rules under default action fallback: 0, or -1 (said in d). */
static int all_rules(struct dc_model *m, const struct reader *rd, uint32_t fallback, struct sg_diags *d)
{
	m->fallback = fallback;
	m->nrules = 0;
	int rc = 0;
	for (size_t a = 0; a < m->narches && rc == 0; a++)
		rc = arch_rules(m, &rd[a], d);
	return rc;
}

/* The default: of the actions syscalls take whatever their arguments, the
 * one that leaves the fewest rules (a default another action cannot be
 * carved out of, as ALLOW around "flags & mask == 0", leaves none). */
static int choose_default(const struct sg_sym_input *in, struct dc_model *m, struct reader *rd, struct sg_diags *d)
{
	uint32_t vals[16];
	size_t nv = uniform_actions(rd, m->narches, vals, 16), best = SIZE_MAX, pick = 0;
	for (size_t a = 0; a < m->narches; a++)
		m->mode64 |= tests_wider(m, &rd[a]);
	/* numbers no table allocates answer the default, or ENOSYS (the stub,
	 * which only a default other than ALLOW, LOG and TRACE has) */
	const struct sg_arch *a0 = m->arches[0];
	uint32_t probe = run(in, a0->audit_arch, a0->nr_base + 0x0fffffffu, a0->endian);
	int stub = sg_sym_effect(probe) == dc_enosys(a0);
	/* first the answer to -1, which no rule names (tracers' "no syscall"):
	 * the default wherever sysgate or libseccomp wrote the filter */
	uint32_t minus1 = run(in, a0->audit_arch, 0xffffffffu, a0->endian);
	for (size_t i = 0; i <= nv && best == SIZE_MAX; i++) {
		uint32_t v = i == 0 ? minus1 : vals[i - 1];
		if (stub ? stubless(v) : v != probe)
			continue;
		struct sg_diags scratch;
		sg_diags_init(&scratch);
		if (all_rules(m, rd, v, &scratch) == 0)
			best = m->nrules, vals[pick = 0] = v;
		sg_diags_free(&scratch);
	}
	if (best == SIZE_MAX) /* none of them: the default the unallocated numbers show */
		vals[pick] = stub ? dc_enosys(a0) : probe;
	if (all_rules(m, rd, vals[pick], d))
		return -1;
	/* the stub is on by default; it changes nothing where the default is
	 * ENOSYS itself or one it never applies to */
	m->enosys = stub || stubless(m->fallback);
	return 0;
}

int dc_read(const struct sg_sym_input *in, const struct sg_decompile_opts *o, struct dc_model *m, struct sg_diags *d)
{
	memset(m, 0, sizeof(*m));
	find_arches(in, o, m);
	for (size_t i = 0; i < o->narches; i++)
		m->arches[i] = o->arches[i];
	if (o->narches)
		m->narches = o->narches;
	if (!m->narches)
		return sg_error(d, NULL, NULL, "the filter answers every architecture as a foreign one: nothing to write");
	struct reader rd[SG_MAX_ARCHES];
	memset(rd, 0, sizeof(rd));
	int rc = 0;
	for (size_t a = 0; a < m->narches && rc == 0; a++) {
		rd[a].d = d;
		rc = read_arch(in, m->arches[a], &rd[a]);
	}
	if (rc == 0)
		rc = choose_default(in, m, rd, d);
	for (size_t a = 0; a < m->narches; a++)
		regions_free(&rd[a]);
	return rc;
}

int dc_add_rule(struct dc_model *m, const struct dc_rule *r)
{
	if (m->nrules == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct dc_rule *v = realloc(m->rules, cap * sizeof(*v));
		if (!v)
			return -1;
		m->rules = v, m->cap = cap;
	}
	m->rules[m->nrules++] = *r;
	return 0;
}

void dc_model_free(struct dc_model *m)
{
	free(m->rules);
	m->rules = NULL;
	m->nrules = m->cap = 0;
}
