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
	if (r->natoms)
		memcpy(g->atoms, r->atoms, r->natoms * sizeof(*g->atoms));
	g->n = r->natoms;
	g->ret = sg_sym_effect(r->ret[0]); /* what the kernel does: ALLOW's data, ERRNO over 4095 alike */
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
		if (dc_word_atoms(sc->g[k], s->lo, s->lo_only ? s->vmask : FULL, lo, &nlo) ||
		    dc_word_atoms(sc->g[k], s->hi, FULL, hi, &nhi) || (s->lo_only && nhi) ||
		    dc_masked_eq(lo, nlo, s->lo_only && s->vmask != FULL, &m, &v) || dc_masked_eq(hi, nhi, 0, &m, &v) ||
		    dc_value_set(lo, nlo, hi, nhi, s, &set) || set.over || n + set.n > 64)
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
		} else if (u.n == DC_MAX_IVS) {
			u.over = 1, u.b[u.n - 1] = piece[p][1];
		} else {
			u.a[u.n] = piece[p][0], u.b[u.n++] = piece[p][1];
		}
	}
	size_t c = dc_shapes(&u, s->lo_only ? s->vmask : UINT64_MAX, s, out);
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
		return dc_reaches(g, c, sp, n);
	const struct cand *e = NULL;
	for (unsigned i = 0; i < SG_MAX_ARGS && !e; i++)
		if (!pick[i].none && pick[i].nvals)
			e = &pick[i];
	for (size_t v = 0; v < e->nvals; v++) {
		c[en].op = SG_CMP_EQ, c[en].value = e->vals[v];
		if (dc_reaches(g, c, sp, n))
			return 1;
	}
	return 0;
}

/* A rule for region j: of the combinations of candidates (at most one
 * enumerated) that reach no region of another action but regions of a
 * more restrictive one that is not the default's (those have rules of
 * their own, which win there; a rule with the default action is no rule,
 * as in runc), the one reaching the fewest, the tightest among equals. 0,
 * or -1 when none will do. */
static int rule_for(struct syscall *sc, size_t j)
{
	struct cand cands[SG_MAX_ARGS][10];
	size_t nc[SG_MAX_ARGS], pick[SG_MAX_ARGS] = { 0 }, best = SIZE_MAX;
	for (unsigned i = 0; i < SG_MAX_ARGS; i++) {
		size_t u = union_cands(sc, j, i, cands[i]);
		if (dc_arg_cands(sc->g[j], &sc->sp[i], i, cands[i] + u, &nc[i]))
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
	if (n)
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
		if (!xc || !dc_cond_within(xc, &y->conds[k], &sp[y->conds[k].index]))
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
			struct argspace s = dc_space_of(m, rd->arch, nr, (a->word - 4) / 2u);
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
			sc.sp[i] = dc_space_of(m, a, sc.nr, i);
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

/* The default: the first of these around which every syscall's rules can
 * be built (ALLOW around "flags & mask == 0" cannot): the answer to -1,
 * which no rule names (tracers' "no syscall": the default wherever sysgate
 * or libseccomp wrote the filter), then the actions syscalls take whatever
 * their arguments, most common first; and only one the unallocated numbers
 * agree with: they answer it, or ENOSYS (the stub, which a default of
 * ALLOW, LOG or TRACE never has). */
static int choose_default(const struct sg_sym_input *in, struct dc_model *m, struct reader *rd, struct sg_diags *d)
{
	uint32_t vals[17];
	size_t nv = uniform_actions(rd, m->narches, vals + 1, 16) + 1;
	for (size_t a = 0; a < m->narches; a++)
		m->mode64 |= tests_wider(m, &rd[a]);
	const struct sg_arch *a0 = m->arches[0];
	uint32_t unallocated = sg_sym_effect(run(in, a0->audit_arch, a0->nr_base + 0x0fffffffu, a0->endian));
	int stub = unallocated == dc_enosys(a0);
	vals[0] = sg_sym_effect(run(in, a0->audit_arch, 0xffffffffu, a0->endian));
	uint32_t pick = stub ? dc_enosys(a0) : unallocated; /* if none will do: the proof says so */
	for (size_t i = 0; i < nv; i++) {
		struct sg_diags scratch;
		sg_diags_init(&scratch);
		int fits = (stub ? !stubless(vals[i]) : vals[i] == unallocated) && all_rules(m, rd, vals[i], &scratch) == 0;
		sg_diags_free(&scratch);
		if (fits) {
			pick = vals[i];
			break;
		}
	}
	if (all_rules(m, rd, pick, d))
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
