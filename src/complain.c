/* Complain stage: see include/sysgate/complain.h. */
#include "sysgate/complain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysgate/emulate.h"
#include "sysgate/eval.h"

struct sg_complain {
	const struct sg_prog *orig;
	const struct sg_policy *pol;
	uint32_t bad_arch_action;
	struct sg_learn *refused; /* keyed by (arch, nr, decision) */
	struct sg_learn *listed;  /* keyed by (arch, nr): each call once in the summary */
	uint64_t calls;           /* refusals heard of, repeats included */
	size_t distinct;          /* syscalls in the summary */
	char names[1024];         /* for the summary, in the order first seen */
	size_t nnames;
	int names_cut;
};

struct sg_complain *sg_complain_new(const struct sg_prog *orig, const struct sg_policy *pol, uint32_t bad_arch_action)
{
	struct sg_complain *c = calloc(1, sizeof(*c));
	if (!c || !(c->refused = sg_learn_new(NULL)) || !(c->listed = sg_learn_new(NULL))) {
		if (c)
			sg_learn_free(c->refused);
		free(c);
		return NULL;
	}
	c->orig = orig;
	c->pol = pol;
	c->bad_arch_action = bad_arch_action;
	return c;
}

void sg_complain_free(struct sg_complain *c)
{
	if (c) {
		sg_learn_free(c->refused);
		sg_learn_free(c->listed);
	}
	free(c);
}

const struct sg_learn *sg_complain_additions(const struct sg_complain *c) { return c->refused; }

/* ", the default action (FILE:L:C /defaultAction)", " by FILE:L:C /syscalls/N",
 * or "" when the rules do not say (a raw filter, or they disagree). */
static void decider(const struct sg_complain *c, const struct sg_seccomp_data *call, uint32_t ret, char *buf,
		    size_t n)
{
	const struct sg_arch_policy *ap;
	long rule;
	buf[0] = '\0';
	if (!c->pol || sg_policy_eval(c->pol, call->arch, call->nr, call->args, c->bad_arch_action, &ap, &rule) != ret)
		return;
	const struct sg_profile *p = c->pol->profile;
	if (!ap)
		snprintf(buf, n, ", the bad-arch action (the profile does not target this architecture)");
	else if (rule == SG_RULE_ENOSYS) {
		char why[160];
		sg_stub_reason(ap, call->nr, why, sizeof(why));
		snprintf(buf, n, ", the ENOSYS stub (%s)", why);
	} else if (rule < 0)
		snprintf(buf, n, ", the default action (%s:%u:%u %s)", p->file, p->default_action.loc.line,
			 p->default_action.loc.col, p->default_action.loc.path);
	else {
		const struct sg_rule *r = &p->rules[ap->rules[rule].rule];
		snprintf(buf, n, " by %s:%u:%u %s", sg_rule_file(p, r), r->loc.line, r->loc.col, r->loc.path);
	}
}

/* The summary's list: "getpid", "x86:open", "nr 999", "arch 0xdeadbeef nr 1". */
static void note_name(struct sg_complain *c, const struct sg_arch *a, const char *name, uint32_t audit, uint32_t nr)
{
	const struct sg_arch *native = sg_arch_native();
	const char *sep = c->nnames ? ", " : "", *an = a && a != native ? a->name : "", *colon = *an ? ":" : "";
	size_t room = sizeof(c->names) - c->nnames;
	int k = name ? snprintf(c->names + c->nnames, room, "%s%s%s%s", sep, an, colon, name)
		: a ? snprintf(c->names + c->nnames, room, "%s%s%snr %" PRIu32, sep, an, colon, nr)
		    : snprintf(c->names + c->nnames, room, "%sarch 0x%08" PRIx32 " nr %" PRIu32, sep, audit, nr);
	c->distinct++;
	if (k < 0 || (size_t)k >= room) {
		c->names[c->nnames] = '\0';
		c->names_cut = 1;
	} else {
		c->nnames += (size_t)k;
	}
}

/* "x86_64 mkdir(", "arch x86_64 nr 999(", "arch 0xdeadbeef nr 1(" and the arguments. */
static int format_call(char *line, size_t linesz, const struct sg_arch *a, const char *name,
		       const struct sg_seccomp_data *call)
{
	int k = name ? snprintf(line, linesz, "%s %s(", a->name, name)
		: a ? snprintf(line, linesz, "arch %s nr %" PRIu32 "(", a->name, call->nr)
		    : snprintf(line, linesz, "arch 0x%08" PRIx32 " nr %" PRIu32 "(", call->arch, call->nr);
	for (int i = 0; i < SG_MAX_ARGS && k >= 0 && (size_t)k < linesz; i++)
		k += snprintf(line + k, linesz - (size_t)k, "%s0x%" PRIx64, i ? ", " : "", call->args[i]);
	return k;
}

int sg_complain_call(struct sg_complain *c, const struct sg_seccomp_data *call, uint32_t pid, char *line,
		     size_t linesz, struct sg_diags *d)
{
	const struct sg_arch *a = sg_arch_for_call(call->arch, call->nr);
	uint32_t ret = sg_bpf_run(c->orig->insns, c->orig->len, call, a ? a->endian : SG_LITTLE_ENDIAN, NULL, NULL, 0);
	uint32_t act = ret & SG_RET_ACTION_FULL;
	if (act == SG_RET_ALLOW || act == SG_RET_LOG)
		return 0;
	c->calls++;
	/* said once per (arch, syscall, decision), listed once per (arch, syscall) */
	int fresh = sg_learn_add(c->refused, call->arch, call->nr, call->args, ret, d);
	if (fresh == SG_LEARN_OOM)
		return -1;
	if (fresh != 1 && fresh != SG_LEARN_UNNAMED)
		return 0;
	int new_call = sg_learn_add(c->listed, call->arch, call->nr, NULL, 0, d);
	if (new_call == SG_LEARN_OOM)
		return -1;
	const char *name = a ? sg_syscall_name(a, call->nr) : NULL;
	char act_text[48], why[300];
	sg_action_format(ret, act_text, sizeof(act_text));
	decider(c, call, ret, why, sizeof(why));
	if (new_call == 1 || new_call == SG_LEARN_UNNAMED)
		note_name(c, a, name, call->arch, call->nr);
	int k = format_call(line, linesz, a, name, call);
	if (k >= 0 && (size_t)k < linesz)
		snprintf(line + k, linesz - (size_t)k, ") pid %" PRIu32 ": would be %s%s", pid, act_text, why);
	return 1;
}

void sg_complain_summary(const struct sg_complain *c, char *buf, size_t n)
{
	size_t distinct = c->distinct;
	if (!c->calls)
		snprintf(buf, n, "nothing would have been refused");
	else
		snprintf(buf, n, "%zu syscall%s would have been refused (%" PRIu64 " call%s): %s%s", distinct,
			 distinct == 1 ? "" : "s", c->calls, c->calls == 1 ? "" : "s", c->names,
			 c->names_cut ? ", ..." : "");
}
