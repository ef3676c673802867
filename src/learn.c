/* Learn stage: see include/sysgate/learn.h. Calls are kept by (arch, number,
 * action) in a hash index; everything is sorted only when written
 * (learn_write.c), so the order calls arrive in never shows in the output. */
#include "sysgate/learn.h"

#include <stdlib.h>
#include <string.h>

#include "learn_impl.h"

/* The argument that tells a syscall's uses apart, for --args. */
static const struct tracked_arg {
	const char *name;
	unsigned index;
} trackable[] = {
	{ "fcntl", 1 },	 /* cmd */
	{ "fcntl64", 1 },
	{ "ioctl", 1 },	 /* request */
	{ "personality", 0 }, /* persona */
	{ "prctl", 0 },	 /* option */
	{ "socket", 0 }, /* domain */
	{ "socketpair", 0 },
};
#define NTRACKABLE (sizeof(trackable) / sizeof(*trackable))

/* Grows *p (of *cap elements of size sz) to hold n. 0, or -1. */
int sg_learn_grow(void *p, size_t *cap, size_t n, size_t sz)
{
	if (n <= *cap)
		return 0;
	size_t c = *cap ? *cap : 8;
	while (c < n)
		c *= 2;
	void *q = realloc(*(void **)p, c * sz);
	if (!q)
		return -1;
	*(void **)p = q;
	*cap = c;
	return 0;
}

struct sg_learn *sg_learn_new(const struct sg_arch *native)
{
	size_t narches;
	sg_arches(&narches);
	struct sg_learn *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->native = native ? native : sg_arch_native();
	l->arches = calloc(narches, 1);
	l->capindex = 64;
	l->index = calloc(l->capindex, sizeof(*l->index));
	if (!l->arches || !l->index) {
		sg_learn_free(l);
		return NULL;
	}
	return l;
}

void sg_learn_free(struct sg_learn *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nseen; i++)
		free(l->seen[i].values);
	for (size_t i = 0; i < l->nrules; i++) {
		free(l->rules[i].name);
		free(l->rules[i].conds);
	}
	free(l->seen);
	free(l->index);
	free(l->arches);
	free(l->rules);
	free(l);
}

const char *sg_learn_trackable(void) { return "fcntl, fcntl64, ioctl, personality, prctl, socket, socketpair"; }

static int trackable_index(const char *name)
{
	for (size_t i = 0; i < NTRACKABLE; i++)
		if (strcmp(trackable[i].name, name) == 0)
			return (int)i;
	return -1;
}

int sg_learn_track(struct sg_learn *l, const char *name, struct sg_diags *d)
{
	int i = trackable_index(name);
	if (i < 0)
		return sg_error(d, NULL, NULL, "--args: \"%s\" is not a syscall whose argument sysgate records (%s)", name,
				sg_learn_trackable());
	l->track |= 1u << i;
	return 0;
}

size_t sg_learn_count(const struct sg_learn *l) { return l->added; }

/* ---- the calls seen ------------------------------------------------------ */

static size_t slot_of(uint32_t audit, uint32_t nr, uint32_t action, size_t cap)
{
	uint64_t h = ((uint64_t)audit * 0x9e3779b97f4a7c15u) ^ ((uint64_t)nr * 0xc2b2ae3d27d4eb4fu) ^ action;
	h ^= h >> 29;
	return (size_t)(h * 0xbf58476d1ce4e5b9u >> 17) & (cap - 1);
}

static int rehash(struct sg_learn *l)
{
	size_t cap = l->capindex * 2;
	uint32_t *index = calloc(cap, sizeof(*index));
	if (!index)
		return -1;
	for (size_t i = 0; i < l->nseen; i++) {
		const struct sg_learn_seen *s = &l->seen[i];
		size_t k = slot_of(s->audit, s->nr, s->action, cap);
		while (index[k])
			k = (k + 1) & (cap - 1);
		index[k] = (uint32_t)i + 1;
	}
	free(l->index);
	l->index = index;
	l->capindex = cap;
	return 0;
}

/* The entry for (audit, nr, action): found, or made (*fresh set; the name
 * is looked up only then: a supervisor calls this for every call). A call
 * sysgate cannot name gets an entry with no name, so that it is told apart
 * when met again. NULL when out of memory. */
static struct sg_learn_seen *entry_for(struct sg_learn *l, uint32_t audit, uint32_t nr, uint32_t action, int *fresh)
{
	size_t k = slot_of(audit, nr, action, l->capindex);
	for (; l->index[k]; k = (k + 1) & (l->capindex - 1)) {
		struct sg_learn_seen *s = &l->seen[l->index[k] - 1];
		if (s->audit == audit && s->nr == nr && s->action == action)
			return s;
	}
	if ((l->nseen + 1) * 2 > l->capindex) {
		if (rehash(l))
			return NULL;
		return entry_for(l, audit, nr, action, fresh);
	}
	if (sg_learn_grow(&l->seen, &l->capseen, l->nseen + 1, sizeof(*l->seen)))
		return NULL;
	const struct sg_arch *arch = sg_arch_for_call(audit, nr);
	const char *name = arch ? sg_syscall_name(arch, nr) : NULL;
	int t = name ? trackable_index(name) : -1;
	struct sg_learn_seen *s = &l->seen[l->nseen];
	*s = (struct sg_learn_seen){ .arch = arch, .name = name, .audit = audit, .nr = nr, .action = action,
			    .tracked = t >= 0 && (l->track & (1u << t)) ? t : -1 };
	if (s->tracked >= 0)
		s->arg = trackable[t].index;
	l->index[k] = (uint32_t)++l->nseen;
	if (name)
		l->arches[sg_learn_arch_index(arch)] = 1;
	*fresh = 1;
	return s;
}

size_t sg_learn_arch_index(const struct sg_arch *a)
{
	size_t n;
	const struct sg_arch *const *all = sg_arches(&n);
	for (size_t i = 0; i < n; i++)
		if (all[i] == a)
			return i;
	return 0; /* every arch is in the table */
}

/* A tracked call's value: 1 new, 0 known, -1 out of memory. */
static int add_value(struct sg_learn_seen *s, uint64_t v)
{
	for (size_t i = 0; i < s->nvalues; i++)
		if (s->values[i] == v)
			return 0;
	if (sg_learn_grow(&s->values, &s->capvalues, s->nvalues + 1, sizeof(*s->values)))
		return -1;
	s->values[s->nvalues++] = v;
	return 1;
}

int sg_learn_add(struct sg_learn *l, uint32_t audit_arch, uint32_t nr, const uint64_t *args, uint32_t action,
		 struct sg_diags *d)
{
	int fresh = 0, r;
	struct sg_learn_seen *s = entry_for(l, audit_arch, nr, action, &fresh);
	if (!s)
		return sg_oom(d, NULL), SG_LEARN_OOM;
	s->count++;
	if (!s->name)
		return fresh ? SG_LEARN_UNNAMED : SG_LEARN_UNNAMED_AGAIN;
	if (s->tracked < 0 || !args) {
		if (s->tracked >= 0 && !s->unconditional)
			fresh = s->unconditional = 1;
		l->added += (size_t)fresh;
		return fresh;
	}
	r = add_value(s, args[s->arg]);
	if (r < 0)
		return sg_oom(d, NULL), SG_LEARN_OOM;
	l->added += (size_t)(fresh | r);
	return fresh | r;
}


/* ---- a base profile ------------------------------------------------------ */

int sg_learn_cmp_cond(const struct sg_cond *a, const struct sg_cond *b)
{
	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	if (a->op != b->op)
		return a->op < b->op ? -1 : 1;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->op == SG_CMP_MASKED_EQ && a->value_two != b->value_two)
		return a->value_two < b->value_two ? -1 : 1;
	return 0;
}

static int cmp_cond_q(const void *a, const void *b) { return sg_learn_cmp_cond(a, b); }

/* One name of a base rule. Its conditions are sorted: a rule's conditions
 * are ANDed, or ORed by runc when one argument is tested twice, both
 * indifferent to order, so the output's bytes need not depend on the
 * order an input wrote them in. They are never deduplicated: runc's OR
 * would then become an AND. */
static int add_rule(struct sg_learn *l, const char *name, uint32_t action, const struct sg_cond *conds, size_t n)
{
	if (sg_learn_grow(&l->rules, &l->caprules, l->nrules + 1, sizeof(*l->rules)))
		return -1;
	struct sg_learn_rule *r = &l->rules[l->nrules];
	*r = (struct sg_learn_rule){ .action = action, .nconds = n, .input = l->ninputs };
	r->name = strdup(name);
	r->conds = n ? malloc(n * sizeof(*conds)) : NULL;
	if (!r->name || (n && !r->conds)) {
		free(r->name);
		free(r->conds);
		return -1;
	}
	if (n) {
		memcpy(r->conds, conds, n * sizeof(*conds));
		qsort(r->conds, n, sizeof(*conds), cmp_cond_q);
	}
	l->nrules++;
	return 0;
}

static int add_base_rule(struct sg_learn *l, const struct sg_profile *p, const struct sg_rule *r,
			 const struct sg_arch *arch, uint32_t base_default, struct sg_diags *d)
{
	enum sg_action_kind k = r->action.kind;
	if (k == SG_ACT_NOTIFY) {
		sg_warning(d, p->file, &r->loc,
			   "this SCMP_ACT_NOTIFY rule is left out: the learned profile has no listener to notify");
		return 0;
	}
	if (k == SG_ACT_LOG)
		sg_warning(d, p->file, &r->loc, "this SCMP_ACT_LOG rule is kept as SCMP_ACT_ALLOW");
	/* encoded on the base's first architecture: the output writes a number,
	 * the one the host uses */
	uint32_t action = SG_RET_ALLOW;
	if (k != SG_ACT_LOG && sg_action_encode(p, &r->action, arch, &action, d))
		return -1;
	/* resolve drops a rule with the default's action and runc ignores it:
	 * the base never applies it, nor may the output */
	if (action == base_default)
		return 0;
	for (size_t n = 0; n < r->nnames; n++)
		if (add_rule(l, r->names[n], action, r->conds, r->nconds))
			return sg_oom(d, p->file);
	return 0;
}

/* The output refuses by the most restrictive of its inputs' defaults: a
 * call one input kills is not to be answered EPERM because another input
 * answers so. */
static void add_default(struct sg_learn *l, const struct sg_profile *p, uint32_t def, struct sg_diags *d)
{
	if (p->default_action.kind == SG_ACT_NOTIFY) {
		sg_warning(d, p->file, &p->default_action.loc,
			   "the default SCMP_ACT_NOTIFY is not kept (the learned profile has no listener to "
			   "notify): SCMP_ACT_ERRNO (EPERM) instead");
		def = SG_RET_ERRNO | 1;
	}
	if (l->ninputs && def != l->default_action) {
		char was[48], now[48], kept[48];
		uint32_t k = sg_action_rank(def) < sg_action_rank(l->default_action) ? def : l->default_action;
		sg_action_format(def, now, sizeof(now));
		sg_action_format(l->default_action, was, sizeof(was));
		sg_action_format(k, kept, sizeof(kept));
		sg_warning(d, p->file, &p->default_action.loc,
			   "the default action %s differs from the other inputs' %s: the learned profile's is "
			   "the most restrictive, %s",
			   now, was, kept);
		def = k;
	}
	l->default_action = def;
}

int sg_learn_add_base(struct sg_learn *l, const struct sg_policy *base, struct sg_diags *d)
{
	const struct sg_profile *p = base->profile;
	enum sg_action_kind k = p->default_action.kind;
	if (k == SG_ACT_ALLOW || k == SG_ACT_LOG)
		return sg_error(d, p->file, &p->default_action.loc,
				"the default action is %s: a profile to learn from must refuse by default "
				"(an allowlist)",
				sg_action_kind_name(k));
	const struct sg_arch *first = base->narches ? base->arches[0].arch : l->native;
	uint32_t def = SG_RET_ERRNO | 1;
	if (base->narches)
		def = base->arches[0].default_action;
	else if (sg_action_encode(p, &p->default_action, first, &def, d))
		return -1;
	for (size_t i = 0; i < base->narches; i++)
		l->arches[sg_learn_arch_index(base->arches[i].arch)] = 1;
	for (size_t r = 0; r < p->nrules; r++)
		if ((!base->rule_used || base->rule_used[r]) && add_base_rule(l, p, &p->rules[r], first, def, d))
			return -1;
	add_default(l, p, def, d);
	l->ninputs++;
	return 0;
}
