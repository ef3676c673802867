/* Learn stage, writing: the profile and the summary (see
 * include/sysgate/learn.h). Everything is sorted here, so that the same
 * calls and bases give the same bytes in whatever order they came. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn_impl.h"
#include "textout.h"

/* ---- what to write ------------------------------------------------------- */

/* A rule to write, one name: a view of a base's rule or of a tracked value. */
struct wrule {
	const char *name;
	uint32_t action;
	const struct sg_cond *conds; /* NULL: &value */
	size_t nconds;
	struct sg_cond value;
	unsigned input; /* a base rule's; UINT32_MAX for a call seen */
};

static const struct sg_cond *wrule_conds(const struct wrule *r) { return r->conds ? r->conds : &r->value; }

/* Canonical: name, action (then its data: both are in the return value), conditions. */
static int cmp_wrule(const void *pa, const void *pb)
{
	const struct wrule *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->action != b->action)
		return a->action < b->action ? -1 : 1;
	if (a->nconds != b->nconds)
		return a->nconds < b->nconds ? -1 : 1;
	for (size_t i = 0; i < a->nconds; i++)
		if ((c = sg_learn_cmp_cond(&wrule_conds(a)[i], &wrule_conds(b)[i])))
			return c;
	return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The profile's rules, sorted and without repeats: the names allowed
 * outright, the conditional ALLOW rules of the other names, the refusals. */
struct plan {
	uint32_t default_action;
	const char **names, **seen; /* seen: every name a call was seen with */
	size_t nnames, nseen;
	struct wrule *outright; /* the bases' unconditional ALLOW rules, by name: whose input allows what */
	size_t noutright;
	struct wrule *allow, *refuse;
	size_t nallow, nrefuse;
};

static void unique_strings(const char **v, size_t *n)
{
	qsort(v, *n, sizeof(*v), cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < *n; i++)
		if (!k || strcmp(v[k - 1], v[i]) != 0)
			v[k++] = v[i];
	*n = k;
}

static void unique_rules(struct wrule *v, size_t *n)
{
	qsort(v, *n, sizeof(*v), cmp_wrule);
	size_t k = 0;
	for (size_t i = 0; i < *n; i++)
		if (!k || cmp_wrule(&v[k - 1], &v[i]) != 0)
			v[k++] = v[i];
	*n = k;
}

static int has_string(const char *const *v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(*v), cmp_str) != NULL;
}

static struct wrule view(const struct sg_learn_rule *r)
{
	return (struct wrule){ .name = r->name, .action = r->action, .conds = r->conds, .nconds = r->nconds,
			       .input = r->input };
}

static void collect_names(const struct sg_learn *l, struct plan *pl)
{
	for (size_t i = 0; i < l->nrules; i++)
		if (l->rules[i].action == SG_RET_ALLOW && !l->rules[i].nconds) {
			pl->names[pl->nnames++] = l->rules[i].name;
			pl->outright[pl->noutright++] = view(&l->rules[i]);
		}
	for (size_t i = 0; i < l->nseen; i++) {
		if (!l->seen[i].name)
			continue;
		pl->seen[pl->nseen++] = l->seen[i].name;
		if (l->seen[i].tracked < 0 || l->seen[i].unconditional)
			pl->names[pl->nnames++] = l->seen[i].name;
	}
	unique_strings(pl->names, &pl->nnames);
	unique_strings(pl->seen, &pl->nseen);
	qsort(pl->outright, pl->noutright, sizeof(*pl->outright), cmp_wrule);
}

/* Whether an input other than the refusal's allows its name outright: the
 * output allows what any input allows, so that input's refusal yields. */
static int allowed_elsewhere(const struct plan *pl, const struct wrule *refusal)
{
	size_t lo = 0, hi = pl->noutright;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(pl->outright[mid].name, refusal->name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < pl->noutright && strcmp(pl->outright[lo].name, refusal->name) == 0; lo++)
		if (pl->outright[lo].input != refusal->input)
			return 1;
	return 0;
}

/* A base's refusal is kept unless the workload was seen making the call
 * (it must run), another input allows it outright, or it refuses as the
 * output's default does (resolve and runc would ignore it). */
static int refusal_kept(const struct plan *pl, const struct wrule *r)
{
	return r->action != pl->default_action && !has_string(pl->seen, pl->nseen, r->name) &&
	       !allowed_elsewhere(pl, r);
}

static void collect_rules(const struct sg_learn *l, struct plan *pl)
{
	for (size_t i = 0; i < l->nrules; i++) {
		struct wrule r = view(&l->rules[i]);
		if (r.action == SG_RET_ALLOW && r.nconds && !has_string(pl->names, pl->nnames, r.name))
			pl->allow[pl->nallow++] = r;
		else if (r.action != SG_RET_ALLOW && refusal_kept(pl, &r))
			pl->refuse[pl->nrefuse++] = r;
	}
	for (size_t i = 0; i < l->nseen; i++) {
		const struct sg_learn_seen *s = &l->seen[i];
		for (size_t v = 0; s->tracked >= 0 && !has_string(pl->names, pl->nnames, s->name) && v < s->nvalues; v++)
			pl->allow[pl->nallow++] = (struct wrule){
				.name = s->name,
				.action = SG_RET_ALLOW,
				.nconds = 1,
				.value = { .index = s->arg, .op = SG_CMP_EQ, .value = s->values[v] },
				.input = UINT32_MAX,
			};
	}
	unique_rules(pl->allow, &pl->nallow);
	unique_rules(pl->refuse, &pl->nrefuse);
}

static void plan_free(struct plan *pl)
{
	free(pl->names);
	free(pl->seen);
	free(pl->outright);
	free(pl->allow);
	free(pl->refuse);
}

static int plan(const struct sg_learn *l, struct plan *pl)
{
	size_t nvalues = 0;
	for (size_t i = 0; i < l->nseen; i++)
		nvalues += l->seen[i].nvalues;
	memset(pl, 0, sizeof(*pl));
	pl->default_action = l->ninputs ? l->default_action : SG_RET_ERRNO | 1;
	pl->names = malloc((l->nrules + l->nseen + 1) * sizeof(*pl->names));
	pl->seen = malloc((l->nseen + 1) * sizeof(*pl->seen));
	pl->outright = malloc((l->nrules + 1) * sizeof(*pl->outright));
	pl->allow = malloc((l->nrules + nvalues + 1) * sizeof(*pl->allow));
	pl->refuse = malloc((l->nrules + 1) * sizeof(*pl->refuse));
	if (!pl->names || !pl->seen || !pl->outright || !pl->allow || !pl->refuse) {
		plan_free(pl);
		return -1;
	}
	collect_names(l, pl);
	collect_rules(l, pl);
	return 0;
}

/* ---- the profile --------------------------------------------------------- */

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
		if (done[sg_learn_arch_index(fam[f])] && !taken[sg_learn_arch_index(fam[f])]) {
			taken[sg_learn_arch_index(fam[f])] = 1;
			out[n++] = fam[f];
		}
	for (size_t i = 0; i < narches && i < sizeof(taken); i++)
		if (done[i] && !taken[i])
			out[n++] = all[i];
	return n;
}

static enum sg_action_kind kind_of(uint32_t ret)
{
	enum sg_action_kind k = SG_ACT_KILL_PROCESS; /* never left so: every action kept is one of the table's */
	sg_action_kind_of(ret, &k);
	return k;
}

/* One rule: its name, its action (with ERRNO's or TRACE's data written
 * out, whatever the input spelled), its conditions. */
static void put_rule(struct sg_out *o, const struct wrule *r, const char *ind)
{
	enum sg_action_kind k = kind_of(r->action);
	sg_out_put(o, "\n%s  {\n%s    \"names\": [", ind, ind);
	sg_out_string(o, r->name);
	sg_out_put(o, "],\n%s    \"action\": \"%s\"", ind, sg_action_kind_name(k));
	if (sg_actions[k].has_data)
		sg_out_put(o, ",\n%s    \"errnoRet\": %u", ind, (unsigned)(r->action & SG_RET_DATA));
	if (r->nconds)
		sg_out_put(o, ",\n%s    \"args\": [", ind);
	for (size_t c = 0; c < r->nconds; c++) {
		const struct sg_cond *x = &wrule_conds(r)[c];
		sg_out_put(o, "%s\n%s      { \"index\": %u, \"value\": %" PRIu64, c ? "," : "", ind, x->index, x->value);
		if (x->op == SG_CMP_MASKED_EQ)
			sg_out_put(o, ", \"valueTwo\": %" PRIu64, x->value_two);
		sg_out_put(o, ", \"op\": \"%s\" }", sg_op_name(x->op));
	}
	if (r->nconds)
		sg_out_put(o, "\n%s    ]", ind);
	sg_out_put(o, "\n%s  }", ind);
}

static void put_rules(struct sg_out *o, const struct plan *pl, const char *ind)
{
	int first = 1;
	if (pl->nnames) {
		sg_out_put(o, "\n%s  {\n%s    \"names\": [", ind, ind);
		for (size_t i = 0; i < pl->nnames; i++) {
			sg_out_put(o, "%s\n%s      ", i ? "," : "", ind);
			sg_out_string(o, pl->names[i]);
		}
		sg_out_put(o, "\n%s    ],\n%s    \"action\": \"SCMP_ACT_ALLOW\"\n%s  }", ind, ind, ind);
		first = 0;
	}
	for (size_t i = 0; i < pl->nallow; i++, first = 0) {
		sg_out_put(o, first ? "" : ",");
		put_rule(o, &pl->allow[i], ind);
	}
	for (size_t i = 0; i < pl->nrefuse; i++, first = 0) {
		sg_out_put(o, first ? "" : ",");
		put_rule(o, &pl->refuse[i], ind);
	}
}

/* The runtime profile's fields, each line indented by ind. */
static void put_profile(struct sg_out *o, const struct plan *pl, const struct sg_arch *const *arches, size_t n,
			const char *ind)
{
	enum sg_action_kind k = kind_of(pl->default_action);
	unsigned data = pl->default_action & SG_RET_DATA;
	sg_out_put(o, "%s\"defaultAction\": \"%s\",\n", ind, sg_action_kind_name(k));
	if (sg_actions[k].has_data && data != 1) /* 1, EPERM, is what runc gives when it is not said */
		sg_out_put(o, "%s\"defaultErrnoRet\": %u,\n", ind, data);
	sg_out_put(o, "%s\"architectures\": [", ind);
	for (size_t i = 0; i < n; i++)
		sg_out_put(o, "%s\n%s  \"%s\"", i ? "," : "", ind, arches[i]->scmp_name);
	if (n)
		sg_out_put(o, "\n%s", ind);
	sg_out_put(o, "],\n%s\"syscalls\": [", ind);
	put_rules(o, pl, ind);
	sg_out_put(o, pl->nnames || pl->nallow || pl->nrefuse ? "\n%s]\n" : "]\n", ind);
}

/* What the SeccompProfile CRD (v1beta1) refuses though the runtime spec
 * takes it: the API server would reject the object, so say so. */
static void spo_rule_warnings(const struct wrule *r, struct sg_diags *d)
{
	if (r->nconds > 6)
		sg_warning(d, NULL, NULL,
			   "%s: a rule with %zu args; the SeccompProfile CRD allows at most 6: the API server will "
			   "refuse this object",
			   r->name, r->nconds);
	for (size_t c = 0; c < r->nconds; c++) {
		const struct sg_cond *x = &wrule_conds(r)[c];
		int two = x->op == SG_CMP_MASKED_EQ && x->value_two >> 63;
		if (x->value >> 63 || two)
			sg_warning(d, NULL, NULL,
				   "%s: argument %u compared with %" PRIu64 "; the SeccompProfile CRD takes int64 "
				   "values from 0 to %" PRId64 ": the API server will refuse this object",
				   r->name, x->index, two ? x->value_two : x->value, INT64_MAX);
	}
}

static void spo_warnings(const struct plan *pl, const struct sg_arch *const *arches, size_t n,
			 struct sg_diags *d)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(arches[i]->scmp_name, "SCMP_ARCH_LOONGARCH64") == 0)
			sg_warning(d, NULL, NULL,
				   "SCMP_ARCH_LOONGARCH64 is not among the SeccompProfile CRD's architectures: the "
				   "API server will refuse this object");
	for (size_t i = 0; i < pl->nallow; i++)
		spo_rule_warnings(&pl->allow[i], d);
	for (size_t i = 0; i < pl->nrefuse; i++)
		spo_rule_warnings(&pl->refuse[i], d);
}

static int write_text(const struct plan *pl, const struct sg_learn_opts *opts, const struct sg_arch *const *arches,
		      size_t n, struct sg_out *o)
{
	if (opts->format == SG_LEARN_SPO) {
		sg_out_put(o, "{\n  \"apiVersion\": \"security-profiles-operator.x-k8s.io/v1beta1\",\n"
		       "  \"kind\": \"SeccompProfile\",\n  \"metadata\": {\n    \"name\": ");
		sg_out_k8s_name(o, opts->name, "recorded");
		sg_out_put(o, "\n  },\n  \"spec\": {\n");
		put_profile(o, pl, arches, n, "    ");
		sg_out_put(o, "  }\n}\n");
	} else {
		sg_out_put(o, "{\n");
		put_profile(o, pl, arches, n, "  ");
		sg_out_put(o, "}\n");
	}
	return o->failed ? -1 : 0;
}

int sg_learn_write(const struct sg_learn *l, const struct sg_learn_opts *opts, char **text, size_t *len,
		   struct sg_diags *d)
{
	const struct sg_arch *arches[64];
	size_t n = arches_in_order(l, arches);
	/* a profile sysgate could not read back is no use to write */
	if (n > SG_MAX_ARCHES)
		return sg_error(d, NULL, NULL,
				"the profile would name %zu architectures (%s, %s, ..., %s); sysgate reads at most %d "
				"in a profile",
				n, arches[0]->scmp_name, arches[1]->scmp_name, arches[n - 1]->scmp_name, SG_MAX_ARCHES);
	struct plan pl;
	struct sg_out o = { 0 };
	if (plan(l, &pl))
		return sg_oom(d, NULL);
	if (opts->format == SG_LEARN_SPO)
		spo_warnings(&pl, arches, n, d);
	int rc = write_text(&pl, opts, arches, n, &o);
	plan_free(&pl);
	if (rc) {
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
	return SG_MAX_ARCHES + sg_learn_arch_index(a);
}

struct ranked {
	size_t rank;
	const struct sg_learn_seen *s;
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
	struct sg_out o = { 0 };
	if (!r)
		return sg_oom(d, NULL);
	size_t n = 0;
	for (size_t i = 0; i < l->nseen; i++)
		if (l->seen[i].name)
			r[n++] = (struct ranked){ arch_rank(l, l->seen[i].arch), &l->seen[i] };
	qsort(r, n, sizeof(*r), cmp_ranked);
	sg_out_put(&o, "%-24s %-12s %10s  %s\n", "syscall", "arch", "count", "action");
	for (size_t i = 0; i < n; i++) {
		char act[48];
		sg_action_format(r[i].s->action, act, sizeof(act));
		sg_out_put(&o, "%-24s %-12s %10" PRIu64 "  %s\n", r[i].s->name, r[i].s->arch->name, r[i].s->count, act);
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
