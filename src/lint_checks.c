/* Lint stage, the checks that read the curated tables (lint_table.c):
 * sibling-gap, enosys-trap, dangerous-allow, multiplexer-widening. Each
 * asks the policy through lint_answers, so the ENOSYS stub, the includes
 * and the precedence are the filter's own. */
#include <stdio.h>
#include <string.h>

#include "lint_impl.h"

/* Refused whatever the arguments. */
static int never_runs(const struct answers *an) { return an->refused && !an->runs && !an->other; }
/* Runs whatever the arguments. */
static int always_runs(const struct answers *an) { return an->runs && !an->refused && !an->other; }

/* pre, s and post at the end of buf (cut at its size). */
static void append(char *buf, size_t n, const char *pre, const char *s, const char *post)
{
	size_t len = strlen(buf);
	if (len < n)
		snprintf(buf + len, n - len, "%s%s%s", pre, s, post);
}

#define MAX_CLASS 16

/* Whether name is a newer call whose fallback runs on arch a: refused with
 * ENOSYS, callers go there. */
static int redirects(const struct lint_ctx *c, size_t a, const char *name)
{
	for (size_t i = 0; i < sg_lint_nfallbacks; i++) {
		struct answers old;
		if (strcmp(sg_lint_fallbacks[i].newer, name) == 0 &&
		    lint_answers(c, a, sg_lint_fallbacks[i].older, &old) == 0 && old.runs)
			return 1;
	}
	return 0;
}

/* One class on arch a: each member refused whatever its arguments, against
 * the members that run. */
static void sibling_class(struct lint_ctx *c, size_t a, const char *const *cls)
{
	struct answers an[MAX_CLASS];
	int present[MAX_CLASS];
	size_t n = 0;
	const struct sg_arch *arch = c->pol->arches[a].arch;
	uint16_t enosys = 0;
	int has_enosys = sg_errno_value(arch, "ENOSYS", &enosys) == 0;
	for (; cls[n] && n < MAX_CLASS; n++)
		present[n] = lint_answers(c, a, cls[n], &an[n]) == 0;
	for (size_t x = 0; x < n; x++) {
		/* a refusal the default makes is an allowlist leaving a call out,
		 * not a refusal with a way around it */
		if (!present[x] || !never_runs(&an[x]) || an[x].refusal_rule < 0)
			continue;
		char open[512] = "", refuse[512] = "";
		size_t count = 0;
		int always = 0;
		for (size_t y = 0; y < n; y++) {
			if (y == x || !present[y] || !an[y].runs)
				continue;
			always |= always_runs(&an[y]);
			append(open, sizeof(open), count ? ", \"" : "\"", cls[y], "\"");
			append(refuse, sizeof(refuse), count ? ", " : "", cls[y], "");
			count++;
		}
		/* ENOSYS is how a profile sends libc to the older call, which it
		 * may then restrict by argument (Docker's clone3 and clone) */
		if (!count || (has_enosys && an[x].refusal == (SG_RET_ERRNO | enosys) && redirects(c, a, cls[x])))
			continue;
		char act[48], by[128], fix[700];
		struct sg_loc at;
		sg_action_format(an[x].refusal, act, sizeof(act));
		lint_decider_name(c, c->pol, a, an[x].refusal_rule, by, sizeof(by));
		lint_decider_loc(c, c->pol, a, an[x].refusal_rule, &at);
		snprintf(fix, sizeof(fix), "refuse %s too, or allow %s", refuse, cls[x]);
		lint_add(c, "sibling-gap", always ? SG_LINT_WARNING : SG_LINT_INFO, &at, arch,
			 "these calls reach the same kernel operation: refusing one while another runs leaves the "
			 "operation open to any program that uses the other",
			 fix, "\"%s\" is refused (%s, by %s) but %s %s allowed%s", cls[x], act, by, open,
			 count == 1 ? "is" : "are", always ? "" : " for some arguments");
	}
}

void lint_siblings(struct lint_ctx *c)
{
	for (size_t s = 0; s < sg_lint_nsiblings; s++)
		for (size_t a = 0; a < c->pol->narches && !c->failed; a++)
			sibling_class(c, a, sg_lint_siblings[s]);
}

void lint_fallbacks(struct lint_ctx *c)
{
	for (size_t i = 0; i < sg_lint_nfallbacks; i++) {
		const struct sg_lint_fallback *f = &sg_lint_fallbacks[i];
		for (size_t a = 0; a < c->pol->narches && !c->failed; a++) {
			struct answers nw, old;
			uint16_t enosys;
			const struct sg_arch *arch = c->pol->arches[a].arch;
			if (lint_answers(c, a, f->newer, &nw) || !never_runs(&nw) || lint_answers(c, a, f->older, &old) ||
			    !old.runs || sg_errno_value(arch, "ENOSYS", &enosys) ||
			    nw.refusal == (SG_RET_ERRNO | enosys))
				continue;
			char act[48], by[128], why[400], fix[300];
			struct sg_loc at;
			sg_action_format(nw.refusal, act, sizeof(act));
			lint_decider_name(c, c->pol, a, nw.refusal_rule, by, sizeof(by));
			lint_decider_loc(c, c->pol, a, nw.refusal_rule, &at);
			snprintf(why, sizeof(why), "%s (Linux %s) is tried first by %s, which falls back to %s only when it "
				 "fails with ENOSYS: any other answer is taken as the call's own failure", f->newer, f->since,
				 f->who, f->older);
			snprintf(fix, sizeof(fix), "refuse %s with ENOSYS (SCMP_ACT_ERRNO with errnoRet 38; 89 on MIPS), "
				 "as Docker's default refuses clone3", f->newer);
			lint_add(c, "enosys-trap", SG_LINT_WARNING, &at, arch, why, fix,
				 "\"%s\" is refused with %s (by %s), not ENOSYS, while \"%s\" is allowed: callers never "
				 "fall back to it", f->newer, act, by, f->older);
		}
	}
}

/* Dangerous calls the default action allows, one finding per arch at the
 * default action: a deny list names what it refuses, so the rest is here. */
static void dangers_by_default(struct lint_ctx *c, size_t a)
{
	char list[3000] = "";
	size_t count = 0;
	for (size_t i = 0; i < sg_lint_ndangers; i++) {
		const struct sg_lint_danger *dg = &sg_lint_dangers[i];
		struct answers an;
		if (dg->arg_test || lint_answers(c, a, dg->name, &an) || !always_runs(&an) || an.allow_rule != -1)
			continue;
		append(list, sizeof(list), count ? ", " : "", dg->name, " (Docker: ");
		append(list, sizeof(list), "", dg->cap ? dg->cap : "never", ")");
		count++;
	}
	if (count)
		lint_add(c, "dangerous-allow", SG_LINT_WARNING, &c->p->default_action.loc, c->pol->arches[a].arch,
			 "calls that give power over the kernel or other processes, which Docker's default allows only "
			 "with the capability named, or never",
			 "refuse them (or write an allowlist)", "the default action allows %zu dangerous call%s: %s", count,
			 count == 1 ? "" : "s", list);
}

void lint_dangers(struct lint_ctx *c)
{
	for (size_t a = 0; a < c->pol->narches && !c->failed; a++) {
		dangers_by_default(c, a);
		for (size_t i = 0; i < sg_lint_ndangers; i++) {
			const struct sg_lint_danger *dg = &sg_lint_dangers[i];
			struct answers an;
			if (lint_answers(c, a, dg->name, &an) || !an.runs || (always_runs(&an) && an.allow_rule == -1))
				continue;
			int always = always_runs(&an);
			if (!always && dg->arg_test)
				continue; /* narrowed by an argument test: the expected form */
			char docker[96], why[300], fix[300];
			struct sg_loc at;
			lint_decider_loc(c, c->pol, a, an.allow_rule, &at);
			if (dg->cap)
				snprintf(docker, sizeof(docker), "Docker's default allows it only with %s", dg->cap);
			else
				snprintf(docker, sizeof(docker), "Docker's default never allows it");
			snprintf(why, sizeof(why), "%s %s; %s", dg->name, dg->why, docker);
			snprintf(fix, sizeof(fix), "refuse %s unless the workload needs it%s%s%s", dg->name,
				 dg->cap ? " (and then only where it holds " : "", dg->cap ? dg->cap : "", dg->cap ? ")" : "");
			lint_add(c, "dangerous-allow", always && !dg->mild ? SG_LINT_WARNING : SG_LINT_INFO, &at,
				 c->pol->arches[a].arch,
				 why, fix, "\"%s\" is allowed%s", dg->name,
				 always ? (dg->arg_test ? " without an argument test" : " unconditionally")
					: " for some arguments");
		}
	}
}

/* The socket and IPC calls through socketcall(2) and ipc(2): a call the
 * profile restricts, which the multiplexer lets through. */
void lint_multiplexers(struct lint_ctx *c)
{
	const char *name;
	int ipc;
	uint32_t call;
	for (size_t a = 0; a < c->pol->narches && !c->failed; a++) {
		const struct sg_arch *arch = c->pol->arches[a].arch;
		for (size_t i = 0; sg_mux_call(i, &name, &ipc, &call) == 0; i++) {
			int64_t mux = ipc ? arch->ipc_nr : arch->socketcall_nr;
			struct answers dn;
			if (mux < 0 || lint_answers(c, a, name, &dn) || !dn.refused)
				continue;
			/* args[1] points to the real arguments: none, and a plausible address */
			uint64_t args[6] = { call, 0, 0, 0, 0, 0 };
			long rule;
			uint32_t ret = lint_eval(c, c->pol, a, (uint32_t)mux, args, &rule);
			if (!lint_runs(ret)) {
				args[1] = 0x10000;
				ret = lint_eval(c, c->pol, a, (uint32_t)mux, args, &rule);
			}
			if (!lint_runs(ret))
				continue;
			const char *mname = ipc ? "ipc" : "socketcall";
			char act[48], by[128], mby[128], why[500], fix[300];
			struct sg_loc at;
			sg_action_format(dn.refusal, act, sizeof(act));
			lint_decider_name(c, c->pol, a, dn.refusal_rule, by, sizeof(by));
			lint_decider_name(c, c->pol, a, rule, mby, sizeof(mby));
			lint_decider_loc(c, c->pol, a, rule, &at);
			snprintf(why, sizeof(why), "on this ABI programs can make %s through %s(2), whose args[0] names the "
				 "call and args[1] points to the real arguments: a rule's test of them cannot apply there "
				 "(libseccomp and sysgate keep only the call number), so what the profile restricts goes "
				 "through the multiplexer", name, mname);
			snprintf(fix, sizeof(fix), "refuse %s (with ENOSYS, so that libc uses the direct calls, Linux 4.3 and "
				 "later on x86), or do not rely on restricting %s here", mname, name);
			lint_add(c, "multiplexer-widening", SG_LINT_WARNING, &at, arch, why, fix,
				 "%s(%u, ...), which is %s, is allowed (by %s) while \"%s\" itself is refused%s (%s, by %s)",
				 mname, call, name, mby, name, dn.runs ? " for some arguments" : "", act, by);
		}
	}
}
