/* Learn stage: see include/sysgate/learn.h. Calls are kept by (arch, number,
 * action) in a hash index; everything is sorted only when written, so the
 * order calls arrive in never shows in the output. */
#include "sysgate/learn.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

struct seen {
	const struct sg_arch *arch;
	const char *name; /* the arch table's */
	uint32_t audit, nr, action;
	uint64_t count;
	int tracked;       /* index in trackable[], or -1 */
	int unconditional; /* a tracked call came without its arguments */
	uint64_t *values;  /* tracked: distinct values, unsorted */
	size_t nvalues, capvalues;
};

/* A rule kept from a base profile, one name each. */
struct cond_rule {
	char *name;
	struct sg_cond *conds; /* NULL for a recorded value: then value_cond */
	size_t nconds;
	struct sg_cond value_cond;
};

struct sg_learn {
	const struct sg_arch *native;
	unsigned track;       /* bit i: trackable[i] */
	unsigned char *arches; /* per sg_arches() index: seen or in a base */
	struct seen *seen;
	size_t nseen, capseen;
	uint32_t *index;      /* open addressing: seen index + 1, 0 empty */
	size_t capindex;      /* a power of two, at least twice nseen */
	size_t added;         /* sg_learn_count */
	char **names;         /* base's unconditional ALLOW names */
	size_t nnames, capnames;
	struct cond_rule *rules; /* base's conditional ALLOW rules */
	size_t nrules, caprules;
};

/* Grows *p (of *cap elements of size sz) to hold n. 0, or -1. */
static int grow(void *p, size_t *cap, size_t n, size_t sz)
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
	for (size_t i = 0; i < l->nnames; i++)
		free(l->names[i]);
	for (size_t i = 0; i < l->nrules; i++) {
		free(l->rules[i].name);
		free(l->rules[i].conds);
	}
	free(l->seen);
	free(l->index);
	free(l->arches);
	free(l->names);
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
		const struct seen *s = &l->seen[i];
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

static size_t arch_index(const struct sg_arch *a);

/* The entry for (audit, nr, action): found, or made (*fresh set; the name
 * is looked up only then: a supervisor calls this for every call). NULL
 * when sysgate has no name for the call (*unknown set) or out of memory. */
static struct seen *entry_for(struct sg_learn *l, uint32_t audit, uint32_t nr, uint32_t action, int *fresh,
			      int *unknown)
{
	size_t k = slot_of(audit, nr, action, l->capindex);
	for (; l->index[k]; k = (k + 1) & (l->capindex - 1)) {
		struct seen *s = &l->seen[l->index[k] - 1];
		if (s->audit == audit && s->nr == nr && s->action == action)
			return s;
	}
	const struct sg_arch *arch = sg_arch_for_call(audit, nr);
	const char *name = arch ? sg_syscall_name(arch, nr) : NULL;
	if (!name) {
		*unknown = 1;
		return NULL;
	}
	if ((l->nseen + 1) * 2 > l->capindex) {
		if (rehash(l))
			return NULL;
		return entry_for(l, audit, nr, action, fresh, unknown);
	}
	if (grow(&l->seen, &l->capseen, l->nseen + 1, sizeof(*l->seen)))
		return NULL;
	int t = trackable_index(name);
	struct seen *s = &l->seen[l->nseen];
	*s = (struct seen){ .arch = arch, .name = name, .audit = audit, .nr = nr, .action = action,
			    .tracked = t >= 0 && (l->track & (1u << t)) ? t : -1 };
	l->index[k] = (uint32_t)++l->nseen;
	l->arches[arch_index(arch)] = 1;
	*fresh = 1;
	return s;
}

static size_t arch_index(const struct sg_arch *a)
{
	size_t n;
	const struct sg_arch *const *all = sg_arches(&n);
	for (size_t i = 0; i < n; i++)
		if (all[i] == a)
			return i;
	return 0; /* every arch is in the table */
}

/* A tracked call's value: 1 new, 0 known, -1 out of memory. */
static int add_value(struct seen *s, uint64_t v)
{
	for (size_t i = 0; i < s->nvalues; i++)
		if (s->values[i] == v)
			return 0;
	if (grow(&s->values, &s->capvalues, s->nvalues + 1, sizeof(*s->values)))
		return -1;
	s->values[s->nvalues++] = v;
	return 1;
}

int sg_learn_add(struct sg_learn *l, uint32_t audit_arch, uint32_t nr, const uint64_t *args, uint32_t action,
		 struct sg_diags *d)
{
	int fresh = 0, unknown = 0, r;
	struct seen *s = entry_for(l, audit_arch, nr, action, &fresh, &unknown);
	if (!s)
		return unknown ? -1 : (sg_oom(d, NULL), -2);
	s->count++;
	if (s->tracked < 0 || !args) {
		if (s->tracked >= 0 && !s->unconditional)
			fresh = s->unconditional = 1;
		l->added += (size_t)fresh;
		return fresh;
	}
	r = add_value(s, args[trackable[s->tracked].index]);
	if (r < 0)
		return sg_oom(d, NULL), -2;
	l->added += (size_t)(fresh | r);
	return fresh | r;
}

/* ---- a base profile ------------------------------------------------------ */

static int add_name(struct sg_learn *l, const char *name)
{
	if (grow(&l->names, &l->capnames, l->nnames + 1, sizeof(*l->names)))
		return -1;
	if (!(l->names[l->nnames] = strdup(name)))
		return -1;
	l->nnames++;
	return 0;
}

static int add_cond_rule(struct sg_learn *l, const char *name, const struct sg_cond *conds, size_t n)
{
	if (grow(&l->rules, &l->caprules, l->nrules + 1, sizeof(*l->rules)))
		return -1;
	struct cond_rule *r = &l->rules[l->nrules];
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	r->conds = malloc(n * sizeof(*conds));
	if (!r->name || !r->conds) {
		free(r->name);
		free(r->conds);
		return -1;
	}
	memcpy(r->conds, conds, n * sizeof(*conds));
	r->nconds = n;
	l->nrules++;
	return 0;
}

/* Whether a rule's action is the output's default: ERRNO(EPERM). */
static int refuses_as_default(const struct sg_action *a)
{
	return a->kind == SG_ACT_ERRNO && !a->errno_name && (!a->has_errno_ret || a->errno_ret == 1);
}

static int add_base_rule(struct sg_learn *l, const struct sg_profile *p, const struct sg_rule *r, struct sg_diags *d)
{
	enum sg_action_kind k = r->action.kind;
	if (k != SG_ACT_ALLOW && k != SG_ACT_LOG) {
		if (!(refuses_as_default(&r->action) && r->nconds == 0))
			sg_warning(d, p->file, &r->loc,
				   "this %s rule is left out: the learned profile allows what its inputs "
				   "allow and refuses the rest with EPERM",
				   sg_action_kind_name(k));
		return 0;
	}
	if (k == SG_ACT_LOG)
		sg_warning(d, p->file, &r->loc, "this SCMP_ACT_LOG rule is kept as SCMP_ACT_ALLOW");
	for (size_t n = 0; n < r->nnames; n++)
		if (r->nconds ? add_cond_rule(l, r->names[n], r->conds, r->nconds) : add_name(l, r->names[n]))
			return sg_oom(d, p->file);
	return 0;
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
	for (size_t i = 0; i < base->narches; i++)
		l->arches[arch_index(base->arches[i].arch)] = 1;
	for (size_t r = 0; r < p->nrules; r++)
		if ((!base->rule_used || base->rule_used[r]) && add_base_rule(l, p, &p->rules[r], d))
			return -1;
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

struct out {
	char *buf;
	size_t len, cap;
	int failed;
};

static void put(struct out *o, const char *fmt, ...) SG_PRINTF(2, 3);
static void put(struct out *o, const char *fmt, ...)
{
	for (int tries = 0; tries < 2 && !o->failed; tries++) {
		va_list ap;
		va_start(ap, fmt);
		size_t room = o->cap - o->len;
		int n = vsnprintf(o->buf ? o->buf + o->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			o->failed = 1;
		} else if ((size_t)n < room) {
			o->len += (size_t)n;
			return;
		} else if (grow(&o->buf, &o->cap, o->len + (size_t)n + 1, 1)) {
			o->failed = 1;
		}
	}
}

/* A JSON string: the quotes, \" \\ and control bytes escaped. */
static void put_string(struct out *o, const char *s)
{
	put(o, "\"");
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			put(o, "\\%c", *c);
		else if (*c < 0x20)
			put(o, "\\u%04x", *c);
		else
			put(o, "%c", *c);
	}
	put(o, "\"");
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int cmp_cond(const struct sg_cond *a, const struct sg_cond *b)
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

static const struct sg_cond *rule_conds(const struct cond_rule *r) { return r->conds ? r->conds : &r->value_cond; }

static int cmp_rule(const void *pa, const void *pb)
{
	const struct cond_rule *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->nconds != b->nconds)
		return a->nconds < b->nconds ? -1 : 1;
	for (size_t i = 0; i < a->nconds; i++)
		if ((c = cmp_cond(&rule_conds(a)[i], &rule_conds(b)[i])))
			return c;
	return 0;
}

/* What the profile allows, sorted and without repeats: the names allowed
 * unconditionally, and the conditional rules for the other names. */
struct allowed {
	char **names; /* borrowed */
	size_t nnames;
	struct cond_rule *rules; /* shallow copies */
	size_t nrules;
};

static int is_name(const struct allowed *a, const char *name)
{
	return bsearch(&name, a->names, a->nnames, sizeof(*a->names), cmp_str) != NULL;
}

static void dedupe_names(struct allowed *a)
{
	qsort(a->names, a->nnames, sizeof(*a->names), cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < a->nnames; i++)
		if (!k || strcmp(a->names[k - 1], a->names[i]) != 0)
			a->names[k++] = a->names[i];
	a->nnames = k;
}

static void collect_names(const struct sg_learn *l, struct allowed *a)
{
	for (size_t i = 0; i < l->nnames; i++)
		a->names[a->nnames++] = l->names[i];
	for (size_t i = 0; i < l->nseen; i++)
		if (l->seen[i].tracked < 0 || l->seen[i].unconditional)
			a->names[a->nnames++] = (char *)l->seen[i].name;
	dedupe_names(a);
}

static void collect_rules(const struct sg_learn *l, struct allowed *a)
{
	for (size_t i = 0; i < l->nrules; i++)
		if (!is_name(a, l->rules[i].name))
			a->rules[a->nrules++] = l->rules[i];
	for (size_t i = 0; i < l->nseen; i++) {
		const struct seen *s = &l->seen[i];
		for (size_t v = 0; s->tracked >= 0 && !is_name(a, s->name) && v < s->nvalues; v++)
			a->rules[a->nrules++] = (struct cond_rule){
				.name = (char *)s->name,
				.nconds = 1,
				.value_cond = { .index = trackable[s->tracked].index, .op = SG_CMP_EQ, .value = s->values[v] },
			};
	}
	qsort(a->rules, a->nrules, sizeof(*a->rules), cmp_rule);
	size_t k = 0;
	for (size_t i = 0; i < a->nrules; i++)
		if (!k || cmp_rule(&a->rules[k - 1], &a->rules[i]) != 0)
			a->rules[k++] = a->rules[i];
	a->nrules = k;
}

static int collect(const struct sg_learn *l, struct allowed *a)
{
	size_t nvalues = 0;
	for (size_t i = 0; i < l->nseen; i++)
		nvalues += l->seen[i].nvalues;
	memset(a, 0, sizeof(*a));
	a->names = malloc((l->nnames + l->nseen + 1) * sizeof(*a->names));
	a->rules = malloc((l->nrules + nvalues + 1) * sizeof(*a->rules));
	if (!a->names || !a->rules)
		return -1;
	collect_names(l, a);
	collect_rules(l, a);
	return 0;
}

/* The architectures to write: the native group first, then sg_arches() order. */
static size_t arches_in_order(const struct sg_learn *l, const struct sg_arch **out)
{
	size_t narches, n = 0;
	const struct sg_arch *const *all = sg_arches(&narches);
	const struct sg_arch *fam[SG_MAX_ARCHES];
	size_t nfam = sg_arch_family(l->native, fam, SG_MAX_ARCHES);
	const unsigned char *done = l->arches;
	unsigned char taken[64] = { 0 };
	for (size_t f = 0; f < nfam && f < SG_MAX_ARCHES; f++)
		if (done[arch_index(fam[f])] && !taken[arch_index(fam[f])]) {
			taken[arch_index(fam[f])] = 1;
			out[n++] = fam[f];
		}
	for (size_t i = 0; i < narches && i < sizeof(taken); i++)
		if (done[i] && !taken[i])
			out[n++] = all[i];
	return n;
}

static void put_rules(struct out *o, const struct allowed *a, const char *ind)
{
	int first = 1;
	if (a->nnames) {
		put(o, "\n%s  {\n%s    \"names\": [", ind, ind);
		for (size_t i = 0; i < a->nnames; i++) {
			put(o, "%s\n%s      ", i ? "," : "", ind);
			put_string(o, a->names[i]);
		}
		put(o, "\n%s    ],\n%s    \"action\": \"SCMP_ACT_ALLOW\"\n%s  }", ind, ind, ind);
		first = 0;
	}
	for (size_t i = 0; i < a->nrules; i++, first = 0) {
		const struct cond_rule *r = &a->rules[i];
		put(o, "%s\n%s  {\n%s    \"names\": [", first ? "" : ",", ind, ind);
		put_string(o, r->name);
		put(o, "],\n%s    \"action\": \"SCMP_ACT_ALLOW\",\n%s    \"args\": [", ind, ind);
		for (size_t c = 0; c < r->nconds; c++) {
			const struct sg_cond *k = &rule_conds(r)[c];
			put(o, "%s\n%s      { \"index\": %u, \"value\": %" PRIu64, c ? "," : "", ind, k->index, k->value);
			if (k->op == SG_CMP_MASKED_EQ)
				put(o, ", \"valueTwo\": %" PRIu64, k->value_two);
			put(o, ", \"op\": \"%s\" }", sg_op_name(k->op));
		}
		put(o, "\n%s    ]\n%s  }", ind, ind);
	}
}

/* The runtime profile's fields, each line indented by ind. */
static void put_profile(struct out *o, const struct sg_learn *l, const struct allowed *a, const char *ind)
{
	const struct sg_arch *arches[64];
	size_t n = arches_in_order(l, arches);
	put(o, "%s\"defaultAction\": \"SCMP_ACT_ERRNO\",\n%s\"architectures\": [", ind, ind);
	for (size_t i = 0; i < n; i++)
		put(o, "%s\n%s  \"%s\"", i ? "," : "", ind, arches[i]->scmp_name);
	if (n)
		put(o, "\n%s", ind);
	put(o, "],\n%s\"syscalls\": [", ind);
	put_rules(o, a, ind);
	put(o, a->nnames || a->nrules ? "\n%s]\n" : "]\n", ind);
}

/* metadata.name: a DNS-1123 subdomain made of name's letters. */
static void put_k8s_name(struct out *o, const char *name)
{
	char buf[254];
	size_t n = 0;
	for (const char *c = name ? name : ""; *c && n < sizeof(buf) - 1; c++) {
		char ch = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
		if (ok || ((ch == '-' || ch == '.') && n && buf[n - 1] != '-' && buf[n - 1] != '.'))
			buf[n++] = ch;
		else if (n && buf[n - 1] != '-' && buf[n - 1] != '.')
			buf[n++] = '-';
	}
	while (n && (buf[n - 1] == '-' || buf[n - 1] == '.'))
		n--;
	buf[n] = '\0';
	put(o, "\"%s\"", n ? buf : "recorded");
}

int sg_learn_write(const struct sg_learn *l, const struct sg_learn_opts *opts, char **text, size_t *len,
		   struct sg_diags *d)
{
	struct allowed a;
	struct out o = { 0 };
	int rc = collect(l, &a);
	if (!rc && opts->format == SG_LEARN_SPO) {
		put(&o, "{\n  \"apiVersion\": \"security-profiles-operator.x-k8s.io/v1beta1\",\n"
			"  \"kind\": \"SeccompProfile\",\n  \"metadata\": {\n    \"name\": ");
		put_k8s_name(&o, opts->name);
		put(&o, "\n  },\n  \"spec\": {\n");
		put_profile(&o, l, &a, "    ");
		put(&o, "  }\n}\n");
	} else if (!rc) {
		put(&o, "{\n");
		put_profile(&o, l, &a, "  ");
		put(&o, "}\n");
	}
	free(a.names);
	free(a.rules);
	if (rc || o.failed) {
		free(o.buf);
		return sg_oom(d, NULL);
	}
	*text = o.buf;
	*len = o.len;
	return 0;
}

/* ---- the summary --------------------------------------------------------- */

/* Architecture order for the summary: the native group, then the rest. */
static size_t arch_rank(const struct sg_learn *l, const struct sg_arch *a)
{
	const struct sg_arch *fam[SG_MAX_ARCHES];
	size_t nfam = sg_arch_family(l->native, fam, SG_MAX_ARCHES);
	for (size_t f = 0; f < nfam && f < SG_MAX_ARCHES; f++)
		if (fam[f] == a)
			return f;
	return SG_MAX_ARCHES + arch_index(a);
}

struct ranked {
	size_t rank;
	const struct seen *s;
};

static int cmp_ranked(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	int c;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if ((c = strcmp(a->s->name, b->s->name)))
		return c;
	return a->s->action < b->s->action ? -1 : a->s->action > b->s->action;
}

int sg_learn_summary(const struct sg_learn *l, char **text, size_t *len, struct sg_diags *d)
{
	struct ranked *r = malloc((l->nseen + 1) * sizeof(*r));
	struct out o = { 0 };
	if (!r)
		return sg_oom(d, NULL);
	for (size_t i = 0; i < l->nseen; i++)
		r[i] = (struct ranked){ arch_rank(l, l->seen[i].arch), &l->seen[i] };
	qsort(r, l->nseen, sizeof(*r), cmp_ranked);
	put(&o, "%-24s %-12s %10s  %s\n", "syscall", "arch", "count", "action");
	for (size_t i = 0; i < l->nseen; i++) {
		char act[48];
		sg_action_format(r[i].s->action, act, sizeof(act));
		put(&o, "%-24s %-12s %10" PRIu64 "  %s\n", r[i].s->name, r[i].s->arch->name, r[i].s->count, act);
	}
	free(r);
	if (o.failed) {
		free(o.buf);
		return sg_oom(d, NULL);
	}
	*text = o.buf;
	*len = o.len;
	return 0;
}
