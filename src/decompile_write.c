/* Decompile stage, writing and proof: the model -> the profile's text ->
 * compiled again and compared with the input (see include/sysgate/decompile.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "decompile_impl.h"
#include "sysgate/emit.h"
#include "sysgate/resolve.h"
#include "textout.h"

/* A rule as written: one of the model's, its arches aside. */
struct wrule {
	const char *name;
	uint32_t action;
	const struct sg_cond *conds;
	size_t nconds;
};

static int cmp_cond(const struct sg_cond *a, const struct sg_cond *b)
{
	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	if (a->op != b->op)
		return a->op < b->op ? -1 : 1;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	return (a->value_two > b->value_two) - (a->value_two < b->value_two);
}

/* Least restrictive action first, then its data; conditions. */
static int cmp_decision(const struct wrule *a, const struct wrule *b)
{
	int ra = sg_action_rank(a->action), rb = sg_action_rank(b->action);
	if (ra != rb)
		return rb - ra;
	if (a->action != b->action)
		return a->action < b->action ? -1 : 1;
	if (a->nconds != b->nconds)
		return a->nconds < b->nconds ? -1 : 1;
	for (size_t i = 0; i < a->nconds; i++) {
		int c = cmp_cond(&a->conds[i], &b->conds[i]);
		if (c)
			return c;
	}
	return 0;
}

/* Unconditional rules grouped by action, then by name; conditional ones
 * by name, then decision. */
static int cmp_wrule(const void *x, const void *y)
{
	const struct wrule *a = x, *b = y;
	if (!a->nconds != !b->nconds)
		return a->nconds ? 1 : -1;
	if (a->nconds) {
		int c = strcmp(a->name, b->name);
		return c ? c : cmp_decision(a, b);
	}
	int c = cmp_decision(a, b);
	return c ? c : strcmp(a->name, b->name);
}

static int same_rule(const struct dc_rule *a, const struct dc_rule *b)
{
	return a->action == b->action && a->nconds == b->nconds &&
	       !memcmp(a->conds, b->conds, a->nconds * sizeof(*a->conds));
}

/* Whether name's rules on arch x equal those on arch y. */
static int same_on(const struct dc_model *m, const char *name, const struct sg_arch *x, const struct sg_arch *y)
{
	for (int pass = 0; pass < 2; pass++) {
		const struct sg_arch *p = pass ? y : x, *q = pass ? x : y;
		for (size_t i = 0; i < m->nrules; i++) {
			const struct dc_rule *r = &m->rules[i];
			if (r->arch != p || strcmp(r->name, name))
				continue;
			int found = 0;
			for (size_t k = 0; k < m->nrules && !found; k++)
				found = m->rules[k].arch == q && !strcmp(m->rules[k].name, name) && same_rule(r, &m->rules[k]);
			if (!found)
				return 0;
		}
	}
	return 1;
}

/* Whether name's rules on arch are one unconditional ERRNO(ENOSYS): where
 * the input has the stub, what the stub answers (its start differs by
 * architecture, since their numbers do). */
static int stub_only(const struct dc_model *m, const char *name, const struct sg_arch *arch)
{
	size_t n = 0, stub = 0;
	for (size_t i = 0; i < m->nrules; i++)
		if (m->rules[i].arch == arch && !strcmp(m->rules[i].name, name))
			n++, stub += !m->rules[i].nconds && !m->rules[i].keep && m->rules[i].action == dc_enosys(arch);
	return m->enosys && n == 1 && stub == 1;
}

static int has_name(const struct sg_arch *arch, const char *name)
{
	uint32_t nr;
	return sg_syscall_nr(arch, name, &nr) == 0;
}

/* The rules of one name: those of the first arch that has it and where
 * it is more than the stub's answer. Every other arch with the name should
 * decide it alike (or answer it as the stub), which is all one profile can
 * say; where one does not (libseccomp skips a name it does not know on one
 * arch), that is warned and the proof lists the difference. 0. */
static int collect_name(const struct dc_model *m, const char *name, struct wrule *out, size_t *n, struct sg_diags *d)
{
	const struct sg_arch *rep = NULL;
	for (size_t a = 0; a < m->narches && !rep; a++)
		if (has_name(m->arches[a], name) && !stub_only(m, name, m->arches[a]))
			rep = m->arches[a];
	if (!rep) /* the stub's answer everywhere: the stub gives it, if the name is left out */
		return 0;
	for (size_t a = 0; a < m->narches; a++)
		if (m->arches[a] != rep && has_name(m->arches[a], name) && !same_on(m, name, rep, m->arches[a]) &&
		    !stub_only(m, name, m->arches[a]))
			sg_warning(d, NULL, NULL, "%s is decided differently on %s and %s, which one profile cannot say "
						  "(it names a syscall once for every architecture): written as on %s",
				   name, rep->name, m->arches[a]->name, rep->name);
	for (size_t i = 0; i < m->nrules; i++) {
		const struct dc_rule *r = &m->rules[i];
		if (r->arch == rep && !strcmp(r->name, name))
			out[(*n)++] = (struct wrule){ r->name, r->action, r->conds, r->nconds };
	}
	return 0;
}

static int collect(const struct dc_model *m, struct wrule *out, size_t *n, struct sg_diags *d)
{
	*n = 0;
	for (size_t i = 0; i < m->nrules; i++) {
		int seen = 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(m->rules[k].name, m->rules[i].name);
		if (!seen && collect_name(m, m->rules[i].name, out, n, d))
			return -1;
	}
	qsort(out, *n, sizeof(*out), cmp_wrule);
	return 0;
}

static void put_action(struct sg_out *o, const char *key, const char *data_key, uint32_t ret)
{
	enum sg_action_kind k;
	if (sg_action_kind_of(ret, &k))
		k = SG_ACT_KILL_PROCESS;
	sg_out_put(o, "\"%s\": \"%s\"", key, sg_actions[k].name);
	if (sg_actions[k].has_data)
		sg_out_put(o, ", \"%s\": %" PRIu32, data_key, ret & SG_RET_DATA);
}

/* One rule: names one per line when there are several, conditions one per line. */
static void put_rule(struct sg_out *o, const struct wrule *w, size_t nw, const char *ind)
{
	sg_out_put(o, "%s  {\n%s    \"names\": [", ind, ind);
	for (size_t i = 0; i < nw; i++) {
		sg_out_put(o, i ? ",%s" : "%s", nw > 1 ? "\n      " : "");
		if (nw > 1)
			sg_out_put(o, "%s", ind);
		sg_out_string(o, w[i].name);
	}
	if (nw > 1)
		sg_out_put(o, "\n%s    ", ind);
	sg_out_put(o, "],\n%s    ", ind);
	put_action(o, "action", "errnoRet", w->action);
	if (w->nconds)
		sg_out_put(o, ",\n%s    \"args\": [", ind);
	for (size_t i = 0; i < w->nconds; i++) {
		const struct sg_cond *c = &w->conds[i];
		sg_out_put(o, "%s\n%s      {\"index\": %u, \"value\": %" PRIu64 ", \"valueTwo\": %" PRIu64 ", \"op\": \"%s\"}",
			   i ? "," : "", ind, c->index, c->value, c->value_two, sg_op_name(c->op));
	}
	if (w->nconds)
		sg_out_put(o, "\n%s    ]", ind);
	sg_out_put(o, "\n%s  }", ind);
}

static void put_body(struct sg_out *o, const struct dc_model *m, const struct wrule *w, size_t n, const char *ind)
{
	sg_out_put(o, "%s", ind);
	put_action(o, "defaultAction", "defaultErrnoRet", m->fallback);
	sg_out_put(o, ",\n%s\"architectures\": [", ind);
	for (size_t a = 0; a < m->narches; a++)
		sg_out_put(o, "%s\"%s\"", a ? ", " : "", m->arches[a]->scmp_name);
	sg_out_put(o, "],\n%s\"syscalls\": [", ind);
	for (size_t i = 0, first = 1; i < n; first = 0) {
		size_t j = i + 1; /* unconditional rules of one action: one rule */
		while (!w[i].nconds && j < n && !w[j].nconds && w[j].action == w[i].action)
			j++;
		sg_out_put(o, first ? "\n" : ",\n");
		put_rule(o, &w[i], j - i, ind);
		i = j;
	}
	sg_out_put(o, "%s%s]\n", n ? "\n" : "", n ? ind : "");
}

static int write_text(const struct dc_model *m, const struct sg_decompile_opts *opts, char **text, size_t *len,
		      struct sg_diags *d)
{
	struct wrule *w = malloc((m->nrules + 1) * sizeof(*w));
	size_t n;
	struct sg_out o = { 0 };
	if (!w)
		return sg_oom(d, NULL);
	if (collect(m, w, &n, d)) {
		free(w);
		return -1;
	}
	if (opts->format == SG_LEARN_SPO) {
		sg_out_put(&o, "{\n  \"apiVersion\": \"security-profiles-operator.x-k8s.io/v1beta1\",\n"
			       "  \"kind\": \"SeccompProfile\",\n  \"metadata\": {\n    \"name\": ");
		sg_out_k8s_name(&o, opts->name, "decompiled");
		sg_out_put(&o, "\n  },\n  \"spec\": {\n");
		put_body(&o, m, w, n, "    ");
		sg_out_put(&o, "  }\n}\n");
	} else {
		sg_out_put(&o, "{\n");
		put_body(&o, m, w, n, "  ");
		sg_out_put(&o, "}\n");
	}
	free(w);
	if (o.failed) {
		free(o.buf);
		return sg_oom(d, NULL);
	}
	*text = o.buf, *len = o.len;
	return 0;
}

/* ---- the proof ---------------------------------------------------------------------- */

/* The text compiled as the model was read (its semantics, targets and
 * bad-arch action), and compared with the input: 0 with out->diff, or -1. */
static int prove(const struct sg_sym_input *in, const struct dc_model *m, const struct sg_decompile_opts *o,
		 struct sg_decompiled *out, struct sg_diags *d)
{
	struct sg_diags quiet; /* its warnings are the profile's own business */
	sg_diags_init(&quiet);
	struct sg_profile *p = sg_profile_parse("<decompiled>", out->text, out->len, &quiet);
	struct sg_resolve_opts ro;
	sg_resolve_opts_init(&ro);
	ro.host = m->arches[0];
	for (size_t a = 0; a < m->narches; a++)
		ro.targets[a] = m->arches[a];
	ro.ntargets = m->narches;
	ro.kernel[0] = ro.kernel[1] = ro.kernel[2] = 0xffff;
	ro.arg_width = m->mode64 ? SG_ARG_WIDTH_64 : SG_ARG_WIDTH_KERNEL;
	ro.enosys_off = !m->enosys;
	struct sg_policy *pol = p ? sg_resolve(p, &ro, &quiet) : NULL;
	struct sg_compile_opts co = { m->bad_arch };
	struct sg_prog prog = { 0 };
	int rc = -1;
	if (pol && sg_compile(pol, &co, &prog, &quiet) == 0) {
		struct sg_sym_input b = { &prog, 1 };
		struct sg_diff_opts dopt = { NULL, 0, o->endian };
		rc = sg_diff(in, &b, &dopt, &out->diff, d);
	} else {
		for (size_t i = 0; i < quiet.n; i++)
			if (quiet.v[i].severity == SG_ERROR)
				sg_error(d, NULL, NULL, "internal error: the decompiled profile does not compile: %s",
					 quiet.v[i].message);
	}
	sg_prog_free(&prog);
	sg_policy_free(pol);
	sg_profile_free(p);
	sg_diags_free(&quiet);
	return rc;
}

/* Where the proof shows the stub misplaced: a syscall the input answers
 * ENOSYS below its stub (the input names it: kept), or one the profile's
 * stub takes that the input gives the default (the input's stub starts
 * later, as a rule naming a later syscall with the default action does:
 * that syscall named again, so). 1 when the model changed. */
static int name_stub_ends(struct dc_model *m, const struct sg_diff *r)
{
	int added = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct sg_diff_entry *e = &r->v[i];
		const struct sg_arch *arch = sg_arch_for_call(e->arch, e->nr_first);
		if (!e->syscall || e->args || !arch || sg_sym_effect(e->a) != dc_enosys(arch) || e->b != m->fallback)
			continue;
		for (size_t k = 0; k < m->nrules; k++)
			if (!strcmp(m->rules[k].name, e->syscall) && !m->rules[k].keep)
				m->rules[k].keep = added = 1;
	}
	for (size_t a = 0; a < m->narches; a++) {
		const struct sg_diff_entry *last = NULL;
		for (size_t i = 0; i < r->n; i++) {
			const struct sg_diff_entry *e = &r->v[i];
			if (e->syscall && !e->args && e->a == m->fallback && sg_sym_effect(e->b) == dc_enosys(m->arches[a]) &&
			    sg_arch_for_call(e->arch, e->nr_first) == m->arches[a])
				last = e;
		}
		struct dc_rule rule = { m->arches[a], last ? last->syscall : NULL, m->fallback, { { 0 } }, 0, 1 };
		int have = 0;
		for (size_t i = 0; last && i < m->nrules && !have; i++)
			have = m->rules[i].arch == rule.arch && !strcmp(m->rules[i].name, rule.name) && m->rules[i].keep &&
			       m->rules[i].action == rule.action && !m->rules[i].nconds;
		if (last && !have && dc_add_rule(m, &rule) == 0)
			added = 1;
	}
	return added;
}

/* The bad-arch action as --bad-arch can give it. */
static int bad_arch_ok(uint32_t ret)
{
	uint32_t a = ret & SG_RET_ACTION_FULL;
	return a == SG_RET_KILL_PROCESS || a == SG_RET_KILL_THREAD || (ret == SG_RET_TRAP) || a == SG_RET_ERRNO;
}

int sg_decompile(const struct sg_sym_input *in, const struct sg_decompile_opts *o, struct sg_decompiled *out,
		 struct sg_diags *d)
{
	struct dc_model m;
	memset(out, 0, sizeof(*out));
	if (dc_read(in, o, &m, d)) {
		dc_model_free(&m);
		return -1;
	}
	for (size_t i = 0; i <= m.nrules; i++) { /* the kernel's 4095 is one more than a profile may say */
		uint32_t a = i < m.nrules ? m.rules[i].action : m.fallback;
		if ((a & SG_RET_ACTION_FULL) == SG_RET_ERRNO && (a & SG_RET_DATA) > SG_ERRNO_LIBSECCOMP_MAX) {
			sg_error(d, NULL, NULL, "the filter returns SCMP_ACT_ERRNO(%u)%s%s, and a profile's errno is at most "
						"%d (runc refuses more)", a & SG_RET_DATA, i < m.nrules ? " for " : "",
				 i < m.nrules ? m.rules[i].name : " by default", SG_ERRNO_LIBSECCOMP_MAX);
			dc_model_free(&m);
			return -1;
		}
	}
	if (!bad_arch_ok(m.bad_arch)) {
		char buf[48];
		sg_action_format(m.bad_arch, buf, sizeof(buf));
		sg_warning(d, NULL, NULL, "the filter answers other architectures %s, which --bad-arch cannot give: "
					  "the profile is compiled with SCMP_ACT_KILL_PROCESS there", buf);
		m.bad_arch = SG_RET_KILL_PROCESS;
	}
	int rc = 0;
	for (int round = 0; round < 4 && rc == 0; round++) {
		free(out->text);
		sg_diff_free(&out->diff);
		out->text = NULL;
		rc = write_text(&m, o, &out->text, &out->len, d);
		if (rc == 0)
			rc = prove(in, &m, o, out, d);
		if (rc || !m.enosys || !name_stub_ends(&m, &out->diff))
			break;
	}
	out->arg_width_64 = m.mode64;
	out->enosys_off = !m.enosys;
	out->bad_arch = m.bad_arch;
	out->equivalent = rc == 0 && out->diff.n == 0 && out->diff.undecided == 0;
	dc_model_free(&m);
	if (rc)
		sg_decompiled_free(out);
	return rc;
}

void sg_decompiled_free(struct sg_decompiled *out)
{
	free(out->text);
	out->text = NULL;
	sg_diff_free(&out->diff);
}
