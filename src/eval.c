/* Reference evaluator: see include/sysgate/eval.h. Deliberately the plain
 * reading of the rules — every rule for the syscall tested, the deciding one
 * chosen by the precedence's definition, not by the order resolve sorted —
 * so that a mistake in the planner's lowering cannot hide in both. */
#include "sysgate/eval.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* On a 32-bit ABI only the low word of an argument is compared, with the
 * value truncated to 32 bits, as libseccomp does: some kernels (64-bit MIPS
 * running o32 or n32) sign-extend 32-bit arguments into the high word. */
static int cond_holds(const struct sg_cond *c, uint64_t a, unsigned bits)
{
	uint64_t width = bits == 32 ? 0xffffffffu : UINT64_MAX;
	uint64_t v = c->value & width;
	a &= width;
	switch (c->op) {
	case SG_CMP_NE: return a != v;
	case SG_CMP_LT: return a < v;
	case SG_CMP_LE: return a <= v;
	case SG_CMP_EQ: return a == v;
	case SG_CMP_GE: return a >= v;
	case SG_CMP_GT: return a > v;
	case SG_CMP_MASKED_EQ: return (a & v) == (c->value_two & v); /* the datum masked too, as libseccomp */
	}
	return 0;
}

/* The arch policy that rules a call, as the kernel reports it; NULL for a
 * foreign arch. */
static const struct sg_arch_policy *ruling_arch(const struct sg_policy *pol, uint32_t audit_arch, uint32_t nr,
						size_t *which)
{
	const struct sg_arch_policy *ap = NULL, *low = NULL;
	size_t ap_i = 0, low_i = 0;
	/* x86_64 and x32 share an audit arch: the x32 bit picks the ABI */
	for (size_t i = 0; i < pol->narches; i++) {
		const struct sg_arch_policy *a = &pol->arches[i];
		if (a->arch->audit_arch != audit_arch)
			continue;
		int x32 = a->arch->nr_base == SG_X32_SYSCALL_BIT;
		if (!low || !x32)
			low = a, low_i = i;
		if (a->arch->audit_arch != SG_AUDIT_ARCH_X86_64 || (nr >= SG_X32_SYSCALL_BIT) == x32)
			ap = a, ap_i = i;
	}
	if (nr == SG_NR_SKIP && low) /* a tracer's "skip this call" takes the default */
		ap = low, ap_i = low_i;
	*which = ap_i;
	return ap;
}

/* Each argument as the kernel reads it (sg_arg_canon): a rule decides on
 * what the kernel will see, never on bits it drops. */
static int rule_holds(const struct sg_arch_rule *r, const uint64_t args[6], unsigned bits)
{
	size_t k = 0;
	while (k < r->nconds) {
		unsigned i = r->conds[k].index;
		if (!cond_holds(&r->conds[k], sg_arg_canon(args[i], sg_rule_read(r, i)), bits))
			break;
		k++;
	}
	return k == r->nconds;
}

int sg_arch_policy_stubbed(const struct sg_arch_policy *ap, uint32_t nr)
{
	if (!ap->enosys || nr == SG_NR_SKIP)
		return 0;
	if (nr > ap->last_nr)
		return 1;
	size_t lo = 0, hi = ap->nallocated;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ap->allocated[mid] < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == ap->nallocated || ap->allocated[lo] != nr;
}

/* Whether r should decide rather than b (NULL: none yet), both holding. */
static int decides_over(enum sg_precedence prec, const struct sg_arch_rule *r, const struct sg_arch_rule *b)
{
	if (!b)
		return 1;
	int rank = sg_action_rank(r->action), brank = sg_action_rank(b->action);
	if (prec == SG_PRECEDENCE_FIRST || rank == brank)
		return r->rule < b->rule;
	return rank < brank;
}

/* Of the rules for nr whose conditions hold, the one that decides: the
 * first in profile order, or (by default) the one with the most restrictive
 * action, the first in profile order among equals. Found by looking at
 * every rule for nr (through by_nr, when given), whatever order resolve
 * left them in. -1 when none holds. */
static long deciding_rule(enum sg_precedence prec, const struct sg_arch_policy *ap, const struct sg_rules_by_nr *by_nr,
			  uint32_t nr, const uint64_t args[6])
{
	long best = -1;
	size_t i = by_nr ? sg_rules_first(by_nr, nr) : 0;
	for (; by_nr ? i != SG_NO_RULE : i < ap->nrules; i = by_nr ? by_nr->next[i] : i + 1) {
		const struct sg_arch_rule *r = &ap->rules[i];
		if (r->nr == nr && rule_holds(r, args, ap->arch->bits) &&
		    decides_over(prec, r, best >= 0 ? &ap->rules[best] : NULL))
			best = (long)i;
	}
	return best;
}

void sg_stub_reason(const struct sg_arch_policy *ap, uint32_t nr, char *buf, size_t n)
{
	const char *last = sg_syscall_name(ap->arch, ap->last_nr);
	if (nr > ap->last_nr)
		snprintf(buf, n, "%" PRIu32 " is above %" PRIu32 " (%s), the last syscall the profile names on %s", nr,
			 ap->last_nr, last ? last : "?", ap->arch->name);
	else
		snprintf(buf, n, "%s allocates no syscall %" PRIu32, ap->arch->name, nr);
}

static uint32_t eval(const struct sg_policy *pol, const struct sg_rules_by_nr *by_nr, uint32_t audit_arch,
		     uint32_t nr, const uint64_t args[6], uint32_t bad_arch_action, const struct sg_arch_policy **ap_out,
		     long *rule_out)
{
	size_t which;
	const struct sg_arch_policy *ap = ruling_arch(pol, audit_arch, nr, &which);
	*rule_out = -1;
	*ap_out = ap;
	if (!ap)
		return bad_arch_action;
	if (nr == SG_NR_SKIP)
		return ap->default_action;
	if (sg_arch_policy_stubbed(ap, nr)) { /* before any rule, as runc's stub runs first */
		*rule_out = SG_RULE_ENOSYS;
		return ap->enosys;
	}
	*rule_out = deciding_rule(pol->precedence, ap, by_nr ? &by_nr[which] : NULL, nr, args);
	return *rule_out >= 0 ? ap->rules[*rule_out].action : ap->default_action;
}

uint32_t sg_policy_eval(const struct sg_policy *pol, uint32_t audit_arch, uint32_t nr, const uint64_t args[6],
			uint32_t bad_arch_action, const struct sg_arch_policy **ap_out, long *rule_out)
{
	return eval(pol, NULL, audit_arch, nr, args, bad_arch_action, ap_out, rule_out);
}

uint32_t sg_policy_eval_by_nr(const struct sg_policy *pol, const struct sg_rules_by_nr *by_nr, uint32_t audit_arch,
			      uint32_t nr, const uint64_t args[6], uint32_t bad_arch_action,
			      const struct sg_arch_policy **ap_out, long *rule_out)
{
	return eval(pol, by_nr, audit_arch, nr, args, bad_arch_action, ap_out, rule_out);
}

/* ---- rules by number ------------------------------------------------------- */

static size_t nr_slot(const struct sg_rules_by_nr *x, uint32_t nr)
{
	size_t h = (size_t)((nr * 0x9e3779b97f4a7c15u) >> 32) & (x->nslots - 1);
	while (x->slot[h].first != SG_NO_RULE && x->slot[h].nr != nr)
		h = (h + 1) & (x->nslots - 1);
	return h;
}

/* Twice the slots, when half are taken. */
static int nr_grow(struct sg_rules_by_nr *x)
{
	struct sg_rules_by_nr g = { .nslots = x->nslots * 2, .used = x->used };
	g.slot = malloc(g.nslots * sizeof(*g.slot));
	if (!g.slot)
		return -1;
	for (size_t i = 0; i < g.nslots; i++)
		g.slot[i].first = SG_NO_RULE;
	for (size_t i = 0; i < x->nslots; i++)
		if (x->slot[i].first != SG_NO_RULE)
			g.slot[nr_slot(&g, x->slot[i].nr)] = x->slot[i];
	free(x->slot);
	x->slot = g.slot;
	x->nslots = g.nslots;
	return 0;
}

int sg_rules_by_nr_init(struct sg_rules_by_nr *x, const struct sg_arch_policy *ap)
{
	memset(x, 0, sizeof(*x));
	x->nslots = 32;
	x->next = malloc((ap->nrules + 1) * sizeof(*x->next));
	x->slot = malloc(x->nslots * sizeof(*x->slot));
	if (!x->next || !x->slot) {
		sg_rules_by_nr_free(x);
		return -1;
	}
	for (size_t i = 0; i < x->nslots; i++)
		x->slot[i].first = SG_NO_RULE;
	for (size_t i = ap->nrules; i-- > 0;) { /* from the last: each rule goes in front */
		size_t h = nr_slot(x, ap->rules[i].nr);
		if (x->slot[h].first == SG_NO_RULE) {
			if (2 * (x->used + 1) > x->nslots) {
				if (nr_grow(x)) {
					sg_rules_by_nr_free(x);
					return -1;
				}
				h = nr_slot(x, ap->rules[i].nr);
			}
			x->used++;
			x->slot[h].nr = ap->rules[i].nr;
		}
		x->next[i] = x->slot[h].first;
		x->slot[h].first = i;
	}
	return 0;
}

void sg_rules_by_nr_free(struct sg_rules_by_nr *x)
{
	free(x->next);
	free(x->slot);
	memset(x, 0, sizeof(*x));
}

size_t sg_rules_first(const struct sg_rules_by_nr *x, uint32_t nr)
{
	return x->slot[nr_slot(x, nr)].first;
}

/* Candidate values for one argument under a set of conditions: every bound
 * and its neighbours, and values built from the masks. Enough to find a
 * witness in the cases profiles use; when none is found no warning is given. */
static size_t candidates(const struct sg_cond *const *cs, size_t n, uint64_t *out)
{
	size_t k = 0;
	out[k++] = 0;
	out[k++] = UINT64_MAX;
	for (size_t i = 0; i < n; i++) {
		uint64_t v = cs[i]->value;
		if (cs[i]->op == SG_CMP_MASKED_EQ) {
			out[k++] = cs[i]->value_two & v;
			out[k++] = (cs[i]->value_two & v) | ~v;
		} else {
			out[k++] = v;
			out[k++] = v + 1;
			out[k++] = v - 1;
		}
	}
	/* combine the masked ones: values satisfying two bit constraints at once */
	size_t base = k;
	for (size_t i = 0; i < base && k < 64; i++)
		for (size_t j = 0; j < n && k < 64; j++)
			if (cs[j]->op == SG_CMP_MASKED_EQ)
				out[k++] = (out[i] & ~cs[j]->value) | (cs[j]->value_two & cs[j]->value);
	return k;
}

static int all_hold(const struct sg_cond *const *cs, size_t n, uint64_t a, unsigned bits)
{
	for (size_t i = 0; i < n; i++)
		if (!cond_holds(cs[i], a, bits))
			return 0;
	return 1;
}

/* A witness that both rules' conditions hold, argument by argument. */
static int both_match(const struct sg_arch_rule *a, const struct sg_arch_rule *b, unsigned bits, uint64_t args[6])
{
	for (unsigned idx = 0; idx < 6; idx++) {
		const struct sg_cond *cs[2 * 6 * 2];
		size_t n = 0;
		const struct sg_arch_rule *rs[2] = { a, b };
		for (int r = 0; r < 2; r++)
			for (size_t i = 0; i < rs[r]->nconds && n < sizeof(cs) / sizeof(*cs); i++)
				if (rs[r]->conds[i].index == idx)
					cs[n++] = &rs[r]->conds[i];
		args[idx] = 0;
		if (!n)
			continue;
		uint64_t cand[64];
		size_t nc = candidates(cs, n > 6 ? 6 : n, cand);
		size_t w = 0;
		enum sg_arg_read rd = sg_rule_read(a, idx); /* one syscall: b reads it alike */
		for (size_t c = 0; c < nc; c++)
			cand[c] = sg_arg_canon(cand[c], rd);
		while (w < nc && !all_hold(cs, n, cand[w], bits))
			w++;
		if (w == nc)
			return 0;
		args[idx] = cand[w];
	}
	return 1;
}

/* libseccomp's merge, where it is simple to state: a syscall's first
 * unconditional rule in profile order decides every call, whatever its
 * other rules say. -1 when the syscall has none. */
static long libseccomp_rule(const struct sg_arch_policy *ap, uint32_t nr)
{
	long u = -1;
	for (size_t i = 0; i < ap->nrules; i++)
		if (ap->rules[i].nr == nr && ap->rules[i].nconds == 0 && (u < 0 || ap->rules[i].rule < ap->rules[u].rule))
			u = (long)i;
	return u;
}

/* ---- overlap warnings -------------------------------------------------------- */

/* Every pair of rules for one syscall is compared, up to a bound: a profile
 * of 16 MiB can hold 370,000 rules for one syscall, 68 billion pairs, and
 * as many warnings. Past the bound one warning says the check stopped. */
#define MAX_PAIRS ((size_t)1 << 22)   /* pairs compared, over all arches */
#define MAX_WARNINGS ((size_t)1000)
#define MAX_NOTE_SCAN ((size_t)8192) /* rules of an arch, for a warning's notes */

/* One warning per pair of profile rules and syscall name: the pairs warned
 * about, in an open hash. */
struct pair_key {
	size_t a, b, name; /* a == SIZE_MAX: a free slot */
};

struct overlaps {
	const struct sg_profile *p;
	struct sg_diags *d;
	struct pair_key *seen;
	size_t nseen, nslots; /* nslots a power of two, at least twice nseen */
	size_t pairs, warned;
	int failed; /* out of memory */
};

static size_t pair_slot(const struct pair_key *v, size_t nslots, const struct pair_key *k)
{
	uint64_t h = ((uint64_t)k->a * 0x9e3779b97f4a7c15u) ^ ((uint64_t)k->b * 0xc2b2ae3d27d4eb4fu) ^
		     ((uint64_t)k->name * 0x165667b19e3779f9u);
	size_t i = (size_t)(h ^ h >> 29) & (nslots - 1);
	while (v[i].a != SIZE_MAX && !(v[i].a == k->a && v[i].b == k->b && v[i].name == k->name))
		i = (i + 1) & (nslots - 1);
	return i;
}

/* Records the pair; 0 when it was already warned about (or memory ran out). */
static int first_time(struct overlaps *o, const struct pair_key *k)
{
	if (2 * (o->nseen + 1) > o->nslots) {
		size_t nslots = o->nslots ? o->nslots * 2 : 64;
		struct pair_key *v = malloc(nslots * sizeof(*v));
		if (!v) {
			o->failed = 1;
			return 0;
		}
		for (size_t i = 0; i < nslots; i++)
			v[i].a = SIZE_MAX;
		for (size_t i = 0; i < o->nslots; i++)
			if (o->seen[i].a != SIZE_MAX)
				v[pair_slot(v, nslots, &o->seen[i])] = o->seen[i];
		free(o->seen);
		o->seen = v;
		o->nslots = nslots;
	}
	size_t i = pair_slot(o->seen, o->nslots, k);
	if (o->seen[i].a != SIZE_MAX)
		return 0;
	o->seen[i] = *k;
	o->nseen++;
	return 1;
}

/* x and y (x tried first) both match args: which rule decides there, and
 * where the other precedence, or libseccomp, would decide differently. */
static void warn_pair(struct overlaps *o, const struct sg_policy *pol, const struct sg_arch_policy *ap,
		      const struct sg_arch_rule *x, const struct sg_arch_rule *y, const uint64_t args[6])
{
	const struct sg_profile *p = o->p;
	const struct sg_rule *ry = &p->rules[y->rule];
	/* each of these scans the arch's rules: past a bound (a profile no person
	 * writes), x stands for the decider and the notes are left out */
	int scan = ap->nrules <= MAX_NOTE_SCAN;
	long r = scan ? deciding_rule(pol->precedence, ap, NULL, x->nr, args) : -1;
	long f = scan ? deciding_rule(SG_PRECEDENCE_FIRST, ap, NULL, x->nr, args) : -1;
	long u = scan ? libseccomp_rule(ap, x->nr) : -1;
	const struct sg_arch_rule *dr = r >= 0 ? &ap->rules[r] : x;
	char ad[48], ay[48], af[48], au[48], note[160] = "";
	sg_action_format(dr->action, ad, sizeof(ad));
	sg_action_format(y->action, ay, sizeof(ay));
	struct sg_loc at;
	sg_rule_name_loc(ry, y->name, &at);
	sg_action_format(f >= 0 ? ap->rules[f].action : 0, af, sizeof(af));
	sg_action_format(u >= 0 ? ap->rules[u].action : 0, au, sizeof(au));
	if (f >= 0 && ap->rules[f].action != dr->action)
		snprintf(note, sizeof(note), "; the first rule in profile order (--precedence first) gives %s", af);
	if (u >= 0 && ap->rules[u].action != dr->action)
		snprintf(note + strlen(note), sizeof(note) - strlen(note), "; libseccomp (runc) gives %s", au);
	if (x->nconds == 0)
		sg_warning(o->d, sg_rule_file(p, ry), &at,
			   "\"%s\" never reaches this rule (%s): %s already decides it (%s) unconditionally%s",
			   ry->names[y->name], ay, p->rules[x->rule].loc.path, ad, note);
	else
		sg_warning(o->d, sg_rule_file(p, ry), &at,
			   "\"%s\" overlaps %s: both match args (0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx); "
			   "%s decides (%s, not %s)%s",
			   ry->names[y->name], p->rules[x->rule].loc.path, (unsigned long long)args[0],
			   (unsigned long long)args[1], (unsigned long long)args[2], (unsigned long long)args[3],
			   (unsigned long long)args[4], (unsigned long long)args[5], p->rules[dr->rule].loc.path, ad, ay,
			   note);
	o->warned++;
}

/* One arch: each rule against the later rules for its syscall from other
 * profile rules, in the order the pairs (i, j) come. 0, or -1 to stop. */
static int arch_overlaps(struct overlaps *o, const struct sg_policy *pol, const struct sg_arch_policy *ap)
{
	struct sg_rules_by_nr x;
	size_t *other = malloc((ap->nrules + 1) * sizeof(*other));
	if (!other || sg_rules_by_nr_init(&x, ap)) {
		free(other);
		o->failed = 1;
		return -1;
	}
	/* a profile rule's arch rules are adjacent, so those for one syscall
	 * are too: other[i] is the first later rule for its syscall from
	 * another profile rule */
	for (size_t i = ap->nrules; i-- > 0;) {
		size_t n = x.next[i];
		other[i] = n != SG_NO_RULE && ap->rules[n].rule == ap->rules[i].rule ? other[n] : n;
	}
	int rc = 0;
	for (size_t i = 0; i < ap->nrules && !rc; i++)
		for (size_t j = other[i]; j != SG_NO_RULE && !rc; j = x.next[j]) {
			const struct sg_arch_rule *a = &ap->rules[i], *b = &ap->rules[j];
			uint64_t args[6];
			if (++o->pairs > MAX_PAIRS) {
				rc = -1;
				break;
			}
			if (a->action == b->action || !both_match(a, b, ap->arch->bits, args))
				continue;
			struct pair_key k = { a->rule, b->rule, b->name };
			if (first_time(o, &k))
				warn_pair(o, pol, ap, a, b, args);
			if (o->failed || o->warned == MAX_WARNINGS)
				rc = -1;
		}
	sg_rules_by_nr_free(&x);
	free(other);
	return rc;
}

size_t sg_policy_warn_overlaps(const struct sg_policy *pol, struct sg_diags *d)
{
	struct overlaps o = { .p = pol->profile, .d = d };
	size_t a = 0;
	while (a < pol->narches && arch_overlaps(&o, pol, &pol->arches[a]) == 0)
		a++;
	if (o.failed)
		sg_oom(d, o.p->file);
	else if (a < pol->narches)
		sg_warning(d, o.p->file, NULL, o.warned == MAX_WARNINGS
				? "overlapping rules: stopped after %zu warnings; further overlaps are not reported"
				: "overlapping rules: stopped after comparing %zu pairs of rules; further overlaps are not reported",
			   o.warned == MAX_WARNINGS ? MAX_WARNINGS : MAX_PAIRS);
	free(o.seen);
	return o.warned;
}
