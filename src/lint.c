/* Lint stage: see include/sysgate/lint.h. This file asks the policy what
 * it answers (through the reference evaluator), keeps the findings, turns
 * check's warnings into findings, and holds the checks about the workload's
 * own calls, the default action and argument widths; lint_checks.c holds
 * those that read the curated tables. */
#include "lint_impl.h"
#include "sysgate/source.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widths.h"

const char *sg_lint_severity_name(enum sg_lint_severity s)
{
	return s == SG_LINT_ERROR ? "error" : s == SG_LINT_WARNING ? "warning" : "info";
}

int lint_runs(uint32_t ret)
{
	enum sg_action_kind k;
	return sg_action_kind_of(ret, &k) == 0 && (k == SG_ACT_ALLOW || k == SG_ACT_LOG);
}

int lint_refuses(uint32_t ret)
{
	enum sg_action_kind k;
	return sg_action_kind_of(ret, &k) == 0 &&
	       (k == SG_ACT_KILL_PROCESS || k == SG_ACT_KILL_THREAD || k == SG_ACT_TRAP || k == SG_ACT_ERRNO);
}

/* ---- findings ------------------------------------------------------------- */

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static void finding_free(struct sg_finding *f)
{
	free(f->message);
	free(f->why);
	free(f->fix);
}

void lint_add(struct lint_ctx *c, const char *id, enum sg_lint_severity sev, const struct sg_loc *loc,
	      const struct sg_arch *arch, const char *why, const char *fix, const char *fmt, ...)
{
	struct sg_lint *l = c->out;
	if (c->failed)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct sg_finding *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			c->failed = 1;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	struct sg_finding *f = &l->v[l->n];
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->severity = sev;
	if (loc)
		f->loc = *loc;
	if (arch)
		snprintf(f->arches, sizeof(f->arches), "%s", arch->name);
	char msg[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->message = dup_str(msg);
	f->why = dup_str(why ? why : "");
	f->fix = dup_str(fix ? fix : "");
	if (!f->message || !f->why || !f->fix) {
		finding_free(f);
		c->failed = 1;
		return;
	}
	l->n++;
}

static int cmp_finding(const void *x, const void *y)
{
	const struct sg_finding *a = *(const struct sg_finding *const *)x, *b = *(const struct sg_finding *const *)y;
	int r;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.col != b->loc.col)
		return a->loc.col < b->loc.col ? -1 : 1;
	if ((r = strcmp(a->id, b->id)) || (r = strcmp(a->loc.path, b->loc.path)) || (r = strcmp(a->message, b->message)))
		return r;
	return (a > b) - (a < b); /* the order they were found in: arches in the policy's order */
}

static int same_finding(const struct sg_finding *a, const struct sg_finding *b)
{
	return a->loc.line == b->loc.line && a->loc.col == b->loc.col && strcmp(a->id, b->id) == 0 &&
	       strcmp(a->loc.path, b->loc.path) == 0 && strcmp(a->message, b->message) == 0 &&
	       a->severity == b->severity && strcmp(a->why, b->why) == 0 && strcmp(a->fix, b->fix) == 0;
}

/* Sorted, and a finding made on several arches kept once, naming them. */
static int sort_and_merge(struct sg_lint *l)
{
	if (l->n < 2)
		return 0;
	struct sg_finding **by = malloc(l->n * sizeof(*by)), *v = malloc(l->n * sizeof(*v));
	if (!by || !v) {
		free(by);
		free(v);
		return -1;
	}
	for (size_t i = 0; i < l->n; i++)
		by[i] = &l->v[i];
	qsort(by, l->n, sizeof(*by), cmp_finding);
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct sg_finding *f = by[i];
		if (n && same_finding(&v[n - 1], f)) {
			struct sg_finding *m = &v[n - 1];
			size_t len = strlen(m->arches);
			if (f->arches[0] && !strstr(m->arches, f->arches) && len + strlen(f->arches) + 3 < sizeof(m->arches))
				snprintf(m->arches + len, sizeof(m->arches) - len, "%s%s", len ? ", " : "", f->arches);
			finding_free(f);
			continue;
		}
		v[n++] = *f;
	}
	free(by);
	free(l->v);
	l->v = v;
	l->n = n;
	l->cap = n;
	return 0;
}

int sg_lint_max_severity(const struct sg_lint *l)
{
	int max = -1;
	for (size_t i = 0; i < l->n; i++)
		if ((int)l->v[i].severity > max)
			max = (int)l->v[i].severity;
	return max;
}

void sg_lint_free(struct sg_lint *l)
{
	for (size_t i = 0; i < l->n; i++)
		finding_free(&l->v[i]);
	free(l->v);
	free(l->file);
	memset(l, 0, sizeof(*l));
}

/* ---- what the policy answers ----------------------------------------------- */

uint32_t lint_eval(const struct lint_ctx *c, const struct sg_policy *pol, size_t a, uint32_t nr,
		   const uint64_t args[6], long *rule)
{
	const struct sg_arch_policy *ap;
	uint32_t audit = pol->arches[a].arch->audit_arch;
	if (pol == c->pol)
		return sg_policy_eval_by_nr(pol, c->by_nr, audit, nr, args, 0, &ap, rule);
	return sg_policy_eval(pol, audit, nr, args, 0, &ap, rule);
}

void lint_decider_loc(const struct lint_ctx *c, const struct sg_policy *pol, size_t a, long rule,
		      struct sg_loc *out)
{
	if (rule >= 0) {
		const struct sg_arch_rule *r = &pol->arches[a].rules[rule];
		sg_rule_name_loc(&c->p->rules[r->rule], r->name, out);
	} else {
		*out = c->p->default_action.loc;
	}
}

void lint_decider_name(const struct lint_ctx *c, const struct sg_policy *pol, size_t a, long rule, char *buf,
		       size_t n)
{
	if (rule >= 0)
		snprintf(buf, n, "the rule %s", c->p->rules[pol->arches[a].rules[rule].rule].loc.path);
	else if (rule == SG_RULE_ENOSYS)
		snprintf(buf, n, "the ENOSYS stub (numbers the profile does not reach, default refusing)");
	else
		snprintf(buf, n, "the default action");
}

/* A value for the argument that holds the condition (pass) or fails it. */
static uint64_t witness(const struct sg_cond *k, int pass)
{
	uint64_t v = k->value;
	switch (k->op) {
	case SG_CMP_EQ: return pass ? v : v ^ 1;
	case SG_CMP_NE: return pass ? v ^ 1 : v;
	case SG_CMP_LT: return pass && v ? v - 1 : v;
	case SG_CMP_LE: return pass || v == UINT64_MAX ? v : v + 1;
	case SG_CMP_GE: return pass || !v ? v : v - 1;
	case SG_CMP_GT: return pass && v != UINT64_MAX ? v + 1 : v;
	case SG_CMP_MASKED_EQ: return pass ? (k->value_two & v) : (k->value_two & v) ^ v;
	}
	return v;
}

static void note_answer(struct answers *o, uint32_t ret, long rule, int *first, uint32_t *seen)
{
	if (*first)
		*seen = ret, *first = 0;
	else if (ret != *seen)
		o->varies = 1;
	if (lint_runs(ret) && !o->runs)
		o->runs = 1, o->allow = ret, o->allow_rule = rule;
	else if (lint_refuses(ret) && !o->refused)
		o->refused = 1, o->refusal = ret, o->refusal_rule = rule;
	else if (!lint_runs(ret) && !lint_refuses(ret))
		o->other = 1;
}

/* At most this many rules of one syscall give witnesses: a profile no
 * person writes should not make lint quadratic. */
#define MAX_WITNESS_RULES 64

int lint_answers(const struct lint_ctx *c, size_t a, const char *name, struct answers *out)
{
	const struct sg_arch_policy *ap = &c->pol->arches[a];
	uint32_t nr, seen = 0;
	memset(out, 0, sizeof(*out));
	if (sg_syscall_nr(ap->arch, name, &nr))
		return -1;
	int first = 1;
	uint64_t args[6] = { 0 };
	long rule;
	uint32_t ret = lint_eval(c, c->pol, a, nr, args, &rule);
	note_answer(out, ret, rule, &first, &seen);
	size_t n = 0;
	for (size_t i = sg_rules_first(&c->by_nr[a], nr); i != SG_NO_RULE && n < MAX_WITNESS_RULES;
	     i = c->by_nr[a].next[i], n++) {
		const struct sg_arch_rule *r = &ap->rules[i];
		for (size_t fail = 0; fail <= r->nconds; fail++) { /* all hold, then each one failing */
			memset(args, 0, sizeof(args));
			for (size_t k = 0; k < r->nconds; k++)
				args[r->conds[k].index] = witness(&r->conds[k], k + 1 != fail);
			ret = lint_eval(c, c->pol, a, nr, args, &rule);
			note_answer(out, ret, rule, &first, &seen);
		}
	}
	return 0;
}

/* ---- the workload's own calls ---------------------------------------------- */

/* Refused whatever the arguments: no call of name runs on arch a. */
static int never_runs(const struct lint_ctx *c, size_t a, const char *name, struct answers *an)
{
	return lint_answers(c, a, name, an) == 0 && an->refused && !an->runs && !an->other;
}

static void refused_finding(struct lint_ctx *c, size_t a, const struct answers *an, const char *id,
			    enum sg_lint_severity sev, const char *why, const char *fix, const char *what)
{
	char act[48], by[128];
	struct sg_loc at;
	sg_action_format(an->refusal, act, sizeof(act));
	lint_decider_name(c, c->pol, a, an->refusal_rule, by, sizeof(by));
	lint_decider_loc(c, c->pol, a, an->refusal_rule, &at);
	lint_add(c, id, sev, &at, c->pol->arches[a].arch, why, fix, "%s refused (%s, decided by %s)", what, act, by);
}

static void lint_own_calls(struct lint_ctx *c)
{
	int notify = 0;
	for (size_t i = 0; i < c->p->nrules; i++)
		notify |= c->pol->rule_used[i] && c->p->rules[i].action.kind == SG_ACT_NOTIFY;
	for (size_t a = 0; a < c->pol->narches && !c->failed; a++) {
		struct answers ex, eg, e1, w1, w2;
		if (never_runs(c, a, "execve", &ex))
			refused_finding(c, a, &ex, "workload-cannot-start", SG_LINT_ERROR,
					"sysgate exec, runc and crun load the filter and then execve the workload: "
					"no program can start under it",
					"allow execve (and execveat)", "\"execve\" is");
		int g = never_runs(c, a, "exit_group", &eg), t = never_runs(c, a, "exit", &e1);
		if (g && t)
			refused_finding(c, a, &eg, "cannot-exit", SG_LINT_ERROR,
					"no process under this filter can end: libc's _exit retries both forever or "
					"ends in a fault",
					"allow exit_group and exit", "\"exit_group\" and \"exit\" are both");
		else if (g)
			refused_finding(c, a, &eg, "cannot-exit", SG_LINT_WARNING,
					"a process cannot end as a whole: libc's _exit falls back to exit, which ends "
					"only the calling thread, so a process with threads hangs",
					"allow exit_group", "\"exit_group\" is");
		else if (t)
			refused_finding(c, a, &e1, "cannot-exit", SG_LINT_WARNING,
					"a thread cannot end: pthread_exit and a thread function's return end the thread "
					"with exit", "allow exit", "\"exit\" is");
		if (notify && (never_runs(c, a, "sendmsg", &w1) || never_runs(c, a, "close", &w1)))
			refused_finding(c, a, &w1, "workload-cannot-start", SG_LINT_ERROR,
					"with SCMP_ACT_NOTIFY, sysgate exec sends the listener to the agent with sendmsg "
					"and closes it after loading the filter",
					"allow sendmsg and close", "a call the listener handoff makes is");
		if (never_runs(c, a, "write", &w1) && never_runs(c, a, "writev", &w2))
			refused_finding(c, a, &w1, "exec-messages-lost", SG_LINT_INFO,
					"once the filter is in place neither sysgate exec (a failed execve) nor the "
					"workload can write a message",
					"allow write if anything under the filter is to report an error",
					"\"write\" and \"writev\" are both");
	}
}

/* ---- the default action ---------------------------------------------------- */

static void lint_default(struct lint_ctx *c)
{
	enum sg_action_kind k = c->p->default_action.kind;
	if (k == SG_ACT_ALLOW || k == SG_ACT_LOG)
		lint_add(c, "denylist-default", SG_LINT_WARNING, &c->p->default_action.loc, NULL,
			 "a deny list: every syscall the kernel adds later, and every equivalent of a refused one, "
			 "is allowed",
			 "write an allowlist: defaultAction SCMP_ACT_ERRNO and ALLOW rules for what the workload "
			 "calls (`sysgate record` writes one)",
			 "the default action is %s: whatever no rule names runs", sg_action_kind_name(k));
	for (size_t i = 0; i < c->p->nrules && c->pol->narches; i++) {
		const struct sg_rule *r = &c->p->rules[i];
		uint32_t act;
		struct sg_diags scratch;
		sg_diags_init(&scratch);
		int same = c->pol->rule_used[i] && r->nnames &&
			   sg_action_encode(c->p, &r->action, c->pol->arches[0].arch, &act, &scratch) == 0 &&
			   act == c->pol->arches[0].default_action;
		sg_diags_free(&scratch);
		if (same)
			lint_add(c, "rule-equals-default", SG_LINT_INFO, &r->loc, NULL,
				 "runc drops a rule whose action is the default action, and so does sysgate",
				 "remove the rule, or give it the action that was meant",
				 "this rule's action is the default action (%s): it has no effect",
				 sg_action_kind_name(r->action.kind));
	}
}

/* ---- argument widths ------------------------------------------------------- */

/* The bits the kernel keeps of an argument read as rd, and register values
 * with the same low bits and others set above them: what runc compares
 * whole and the kernel drops. */
static uint64_t kept_bits(enum sg_arg_read rd) { return rd == SG_READ_U16 ? 0xffffu : 0xffffffffu; }

#define MAX_WIDTH_CONDS 16

/* Whether some register value v for argument i (its low bits one of the
 * values the rules compare with, or next to one) runs when all 64 bits are
 * compared and is refused as the kernel reads it; the first such, said. */
static int width_escape(struct lint_ctx *c, size_t a, uint32_t nr, unsigned i, enum sg_arg_read rd)
{
	const struct sg_arch_policy *ap = &c->polk->arches[a];
	const uint64_t highs[2] = { rd == SG_READ_U16 ? 0x10000u : 0x100000000u, 0xffffffff00000000u };
	size_t nconds = 0;
	for (size_t j = sg_rules_first(&c->by_nr[a], nr); j != SG_NO_RULE && nconds < MAX_WIDTH_CONDS; j = c->by_nr[a].next[j])
		for (size_t k = 0; k < ap->rules[j].nconds && nconds < MAX_WIDTH_CONDS; k++) {
			const struct sg_cond *cd = &ap->rules[j].conds[k];
			if (cd->index != i)
				continue;
			nconds++;
			for (int d = 0; d < 3; d++) /* the value itself first, then the next one, then the one before */
				for (int h = 0; h < 2; h++) {
					uint64_t args[6] = { 0 }, low = (cd->value + (d == 2 ? UINT64_MAX : (uint64_t)d)) & kept_bits(rd);
					long rk, rw;
					args[i] = highs[h] | low;
					uint32_t k_ret = lint_eval(c, c->polk, a, nr, args, &rk);
					uint32_t w_ret = lint_eval(c, c->pol64, a, nr, args, &rw);
					if (!lint_runs(w_ret) || lint_runs(k_ret))
						continue;
					const struct sg_policy *at_pol = rw >= 0 ? c->pol64 : c->polk;
					long at_rule = rw >= 0 ? rw : rk;
					struct sg_loc at;
					lint_decider_loc(c, at_pol, a, at_rule, &at);
					if (at_rule >= 0) { /* the condition on this argument, when the rule has one */
						const struct sg_rule *r = &c->p->rules[at_pol->arches[a].rules[at_rule].rule];
						for (size_t q = 0; q < r->nconds; q++)
							if (r->conds[q].index == i) {
								sg_rule_cond_loc(r, q, &at);
								break;
							}
					}
					struct sg_arg_decl decl = { 0 };
					char act[48], wby[128], kby[128], seen[32];
					const char *name = sg_syscall_name(ap->arch, nr);
					sg_syscall_arg(ap->arch, nr, i, &decl);
					sg_action_format(k_ret, act, sizeof(act));
					lint_decider_name(c, c->pol64, a, rw, wby, sizeof(wby));
					lint_decider_name(c, c->polk, a, rk, kby, sizeof(kby));
					if (rd == SG_READ_S32)
						snprintf(seen, sizeof(seen), "%d", (int)(int32_t)(uint32_t)low);
					else
						snprintf(seen, sizeof(seen), "%llu", (unsigned long long)low);
					lint_add(c, "arg-width", SG_LINT_WARNING, &at, ap->arch,
						 "runc, crun and libseccomp compare all 64 bits of an argument the kernel "
						 "reads narrower: bits the kernel drops can carry a value past a test the "
						 "value itself fails",
						 "load the profile with sysgate, which compares the bits the kernel reads "
						 "(--arg-width kernel, the default); under runc, add a rule refusing the "
						 "argument's values above its type's range",
						 "%s(args[%u] = 0x%llx) is allowed when all 64 bits are compared (runc; "
						 "--arg-width 64), by %s, but the kernel reads args[%u] (%s, %s) as %s, which "
						 "is refused (%s, by %s)",
						 name ? name : "the call", i, (unsigned long long)args[i], wby, i,
						 decl.name ? decl.name : "?", decl.type ? decl.type : "?", seen, act, kby);
					return 1;
				}
		}
	return 0;
}

/* Each syscall with a test of an argument the kernel reads narrower, on
 * the 64-bit ABIs (a 32-bit one compares 32 bits either way). */
static void lint_widths(struct lint_ctx *c)
{
	for (size_t a = 0; a < c->polk->narches && !c->failed; a++) {
		const struct sg_arch_policy *ap = &c->polk->arches[a];
		if (ap->arch->bits != 64)
			continue;
		for (size_t j = 0; j < ap->nrules; j++) {
			/* each syscall once, at its first rule; its rules with
			 * conditions all read the arguments alike */
			const struct sg_arch_rule *r = NULL;
			if (sg_rules_first(&c->by_nr[a], ap->rules[j].nr) != j)
				continue;
			for (size_t q = j; q != SG_NO_RULE && !r; q = c->by_nr[a].next[q])
				if (ap->rules[q].nconds && ap->rules[q].reads)
					r = &ap->rules[q];
			for (unsigned i = 0; r && i < 6; i++)
				if (sg_rule_read(r, i) != SG_READ_WORD)
					width_escape(c, a, r->nr, i, sg_rule_read(r, i));
		}
	}
}

/* ---- check's warnings ------------------------------------------------------ */

static const struct {
	const char *id, *needle, *needle2, *why, *fix;
} warning_kinds[] = {
	{ "unknown-syscall", "unknown syscall", NULL, "no architecture has this name: the rule does nothing for it",
	  "correct the name (a did-you-mean is given where one is close)" },
	{ "syscall-not-on-arch", "not on this architecture", NULL,
	  "these names have no number on the architecture, so the rules skip them there (as runc does)",
	  "nothing, if the names are meant for other architectures" },
	{ "rule-overlap", "never reaches this rule", NULL, "two rules decide the same calls differently",
	  "remove the rule that never decides, or narrow one of them" },
	{ "rule-overlap", "overlap", NULL, "two rules decide the same calls differently: which one wins depends "
	  "on the precedence (sysgate's and libseccomp's differ)", "narrow one of the rules so they no longer overlap" },
	{ "arg-width-value", "bits on ", "as the kernel reads it",
	  "the kernel reads the argument narrower than the value written", "write the value as the kernel reads it" },
	{ "masked-eq-mask", "outside the mask", NULL, "SCMP_CMP_MASKED_EQ compares only the bits of the mask",
	  "clear the datum's bits outside the mask" },
	{ "wide-value", "32-bit ABI", NULL, "a 32-bit ABI compares 32-bit values",
	  "write a value that fits in 32 bits, or limit the rule to 64-bit architectures" },
	{ "unknown-field", "unknown field", NULL, "runc ignores fields it does not know: a misspelt one is lost",
	  "correct or remove the field" },
};

static void lint_warnings(struct lint_ctx *c, const struct sg_diags *w)
{
	for (size_t i = 0; i < w->n && !c->failed; i++) {
		const struct sg_diag *g = &w->v[i];
		size_t k = 0, nk = sizeof(warning_kinds) / sizeof(*warning_kinds);
		while (k < nk && (!strstr(g->message, warning_kinds[k].needle) ||
				  (warning_kinds[k].needle2 && !strstr(g->message, warning_kinds[k].needle2))))
			k++;
		if (g->severity != SG_WARNING)
			continue;
		if (k < nk) /* names other arches have: expected of a multi-arch profile */
			lint_add(c, warning_kinds[k].id, k == 1 ? SG_LINT_INFO : SG_LINT_WARNING, &g->loc, NULL, warning_kinds[k].why,
				 warning_kinds[k].fix, "%s", g->message);
		else
			lint_add(c, "check-warning", SG_LINT_WARNING, &g->loc, NULL, "`sysgate check` warns about this",
				 "see the message", "%s", g->message);
	}
}

/* ---- the stage -------------------------------------------------------------- */

/* An invalid profile's diagnostics, handed to the caller. */
static void pass_on(const struct sg_diags *w, const char *file, struct sg_diags *d)
{
	for (size_t i = 0; i < w->n; i++) {
		const struct sg_diag *g = &w->v[i];
		if (g->severity == SG_ERROR)
			sg_error(d, g->file, &g->loc, "%s", g->message);
		else
			sg_warning(d, g->file, &g->loc, "%s", g->message);
	}
	if (w->oom || (!w->errors && !w->n))
		sg_oom(d, file);
}

static void lint_run(struct lint_ctx *c, const struct sg_diags *w)
{
	lint_warnings(c, w);
	lint_own_calls(c);
	lint_default(c);
	lint_siblings(c);
	lint_fallbacks(c);
	lint_dangers(c);
	lint_widths(c);
	lint_multiplexers(c);
}

int sg_lint_text(const char *file, const char *text, size_t len, const struct sg_source_opts *src,
		 const struct sg_resolve_opts *o, struct sg_lint *out, struct sg_diags *d)
{
	struct sg_diags w, scratch;
	struct sg_rules_by_nr by_nr[SG_MAX_ARCHES];
	size_t nby = 0;
	memset(out, 0, sizeof(*out));
	sg_diags_init(&w);
	sg_diags_init(&scratch);
	struct sg_profile *p = text ? sg_source_parse(file, text, len, src, &w) : sg_source_load(file, src, &w);
	struct sg_policy *pol = p ? sg_resolve(p, o, &w) : NULL, *other = NULL;
	int rc = -1;
	if (!pol) {
		pass_on(&w, file, d);
		goto done;
	}
	sg_policy_warn_overlaps(pol, &w);
	/* the same policy, each argument compared the other way: the rules and
	 * their order are the same, only how arguments are read differs */
	struct sg_resolve_opts o2 = *o;
	o2.arg_width = o->arg_width == SG_ARG_WIDTH_KERNEL ? SG_ARG_WIDTH_64 : SG_ARG_WIDTH_KERNEL;
	other = sg_resolve(p, &o2, &scratch);
	struct lint_ctx c = { .p = p, .pol = pol, .out = out, .by_nr = by_nr };
	c.polk = o->arg_width == SG_ARG_WIDTH_KERNEL ? pol : other;
	c.pol64 = o->arg_width == SG_ARG_WIDTH_KERNEL ? other : pol;
	while (other && nby < pol->narches && sg_rules_by_nr_init(&by_nr[nby], &pol->arches[nby]) == 0)
		nby++;
	out->file = dup_str(p->file); /* a bundle's config.json, where the lines are */
	if (!other || nby < pol->narches || !out->file || w.oom) {
		sg_oom(d, file);
		goto done;
	}
	lint_run(&c, &w);
	if (c.failed || sort_and_merge(out)) {
		sg_oom(d, file);
		goto done;
	}
	out->valid = 1;
	rc = 0;
done:
	for (size_t i = 0; i < nby; i++)
		sg_rules_by_nr_free(&by_nr[i]);
	if (rc) {
		char *f = out->file;
		out->file = NULL;
		sg_lint_free(out);
		out->file = f ? f : dup_str(file);
	}
	sg_policy_free(other);
	sg_policy_free(pol);
	sg_profile_free(p);
	sg_diags_free(&w);
	sg_diags_free(&scratch);
	return rc;
}
