/* Decompile stage, arguments: a region's tests of one argument -> the OCI
 * conditions that can say them; a condition -> the word tests sysgate
 * compiles it to, to see which regions it reaches. */
#include <stdlib.h>
#include <string.h>

#include "decompile_impl.h"
#include "widths.h"

#define FULL 0xffffffffu
/* ---- an argument's values, as an OCI condition can say them ----------------------- */


struct argspace dc_space_of(const struct dc_model *m, const struct sg_arch *arch, uint32_t nr, unsigned i)
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



static int add_iv(void *ctx, uint32_t a, uint32_t b)
{
	struct ivs *v = ctx;
	if (v->n < DC_MAX_IVS)
		v->a[v->n] = a, v->b[v->n] = b, v->n++;
	else
		v->over = 1;
	v->last = b;
	return 0;
}

/* The atoms of g on word w, with a 16-bit argument's "& 0xffff" made a
 * whole-word test of a word below 0x10000. 0, or -1 for a mask that is
 * not the argument's. */
int dc_word_atoms(const struct region *g, unsigned w, uint32_t vmask, struct sg_sym_atom *out, size_t *n)
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
int dc_masked_eq(const struct sg_sym_atom *t, size_t n, int bound, uint32_t *mask, uint32_t *val)
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
size_t dc_shapes(const struct ivs *v, uint64_t top, const struct argspace *s, struct cand *out)
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
	for (size_t i = 0; i < v->n && count <= DC_MAX_ENUM; i++)
		count += v->b[i] - v->a[i] + 1;
	if (count <= DC_MAX_ENUM && !v->over) {
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
int dc_value_set(const struct sg_sym_atom *lo, size_t nlo, const struct sg_sym_atom *hi, size_t nhi,
		     const struct argspace *s, struct ivs *v)
{
	struct ivs l = { .n = 0 }, h = { .n = 0 };
	v->n = 0;
	if (sg_sym_intervals(lo, nlo, s->lo, add_iv, &l) < 0 ||
	    (!s->lo_only && sg_sym_intervals(hi, nhi, s->hi, add_iv, &h) < 0) || !l.n || (!s->lo_only && !h.n))
		return -1;
	/* many pieces: only the hull's ends are a shape, each word's span */
	if (l.over || h.over) {
		l.b[0] = l.over ? l.last : l.b[l.n - 1];
		if (h.n)
			h.b[0] = h.over ? h.last : h.b[h.n - 1];
		l.n = 1, h.n = h.n ? 1 : 0, l.over = 1;
	}
	if (s->lo_only)
		*v = l;
	else
		l.over |= join_words(&h, &l, v);
	v->over = l.over;
	return 0;
}

/* What to try for argument i of region g, tightest first: 0 and the
 * candidates, or -1 when the argument's tests fit no reading. */
int dc_arg_cands(const struct region *g, const struct argspace *s, unsigned i, struct cand *out, size_t *n)
{
	struct sg_sym_atom lo[64], hi[64];
	size_t nlo, nhi;
	if (dc_word_atoms(g, s->lo, s->lo_only ? s->vmask : FULL, lo, &nlo) ||
	    dc_word_atoms(g, s->hi, FULL, hi, &nhi) || (s->lo_only && nhi))
		return -1;
	uint32_t ml, vl, mh, vh;
	int bound = s->lo_only && s->vmask != FULL;
	int kl = dc_masked_eq(lo, nlo, bound, &ml, &vl), kh = s->lo_only ? 0 : dc_masked_eq(hi, nhi, 0, &mh, &vh);
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
	if (dc_value_set(lo, nlo, hi, nhi, s, &v))
		return -1;
	*n = dc_shapes(&v, s->lo_only ? s->vmask : UINT64_MAX, s, out);
	if (v.over && !out[0].none && *n == 1) /* a hull read as one exact shape is a superset all the same */
		out[(*n)++] = (struct cand){ 1, { 0 }, 0, { 0 } };
	for (size_t k = 0; k < *n; k++)
		out[k].c.index = i;
	return 0;
}

/* ---- a rule's conditions as word tests, to see which regions it reaches ------------- */


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
int dc_reaches(const struct region *g, const struct sg_cond *c, const struct argspace *sp, size_t nc)
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
int dc_cond_within(const struct sg_cond *x, const struct sg_cond *y, const struct argspace *s)
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
