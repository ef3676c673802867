/* Measure stage: see include/sysgate/measure.h. */
#include "sysgate/measure.h"

#include "sysgate/emulate.h"
#include "sysgate/eval.h"

int sg_argument_free(const struct sg_arch_policy *ap, uint32_t nr)
{
	for (size_t i = 0; i < ap->nrules; i++)
		if (ap->rules[i].nr == nr)
			return ap->rules[i].nconds == 0;
	return 1;
}

/* How a sweep learns what a number gets: 1 when the answer does not depend
 * on the arguments, 0 when it does, -1 on failure; *ret the answer with
 * zero arguments (unset for a raw program's argument-dependent number). */
typedef int (*decide_fn)(void *ctx, uint32_t nr, uint32_t *ret);

/* The sweep over base+0..470 and the table's argument-free ALLOWs, shared
 * by a profile's figures and a raw program's; checks: compare the
 * program with *ret on every number (a profile's rules). */
static int sweep(const struct sg_prog *prog, const struct sg_arch *a, decide_fn decide, void *ctx, int checks,
		 struct sg_arch_stats *out)
{
	size_t total = 0, free_total = 0, free_n = 0;
	uint32_t ret = 0;
	for (uint32_t off = 0; off < SG_SYSCALL_SPAN; off++) {
		struct sg_seccomp_data d = { .nr = a->nr_base + off, .arch = a->audit_arch };
		size_t executed = 0;
		uint32_t got = sg_bpf_run(prog->insns, prog->len, &d, a->endian, &executed, NULL, 0);
		int fixed = decide(ctx, d.nr, &ret);
		if (fixed < 0)
			return -1;
		out->mismatches += checks && got != ret;
		total += executed;
		out->max = executed > out->max ? executed : out->max;
		if (fixed) {
			free_total += executed;
			free_n++;
			out->free_max = executed > out->free_max ? executed : out->free_max;
		}
	}
	out->swept = SG_SYSCALL_SPAN;
	out->mean = (double)total / SG_SYSCALL_SPAN;
	out->free_mean = free_n ? (double)free_total / (double)free_n : 0;
	/* the kernel's cache is a bitmap per native/compat arch indexed by the
	 * number: x32's (x32 bit set) and arm's private calls (0x0f0000 + n)
	 * lie beyond it and always run the filter */
	int beyond_cache = a->nr_base >= SG_X32_SYSCALL_BIT;
	for (size_t i = 0; i < a->nsyscalls; i++) {
		uint32_t nr = sg_syscall_num(a, &a->by_name[i]);
		int fixed = decide(ctx, nr, &ret);
		if (fixed < 0)
			return -1;
		if (!fixed || ret != SG_RET_ALLOW)
			continue;
		out->allow_free++;
		if (!beyond_cache && a->by_name[i].nr < SG_NR_PRIVATE)
			out->cacheable += (size_t)sg_bpf_cacheable(prog->insns, prog->len, a->audit_arch, nr);
	}
	return 0;
}

/* A profile's numbers: the rules decide, each arch's indexed by number (a
 * scan of every rule per number made stats quadratic in the profile). */
struct by_rules {
	const struct sg_policy *pol;
	const struct sg_rules_by_nr *by_nr;
	size_t arch;
	uint32_t bad_arch_action;
};

static int decide_by_rules(void *ctx, uint32_t nr, uint32_t *ret)
{
	const struct by_rules *c = ctx;
	const struct sg_arch_policy *ap = &c->pol->arches[c->arch], *which;
	static const uint64_t zero[6];
	long rule;
	*ret = sg_policy_eval_by_nr(c->pol, c->by_nr, ap->arch->audit_arch, nr, zero, c->bad_arch_action, &which, &rule);
	size_t first = sg_rules_first(&c->by_nr[c->arch], nr);
	return first == SG_NO_RULE || ap->rules[first].nconds == 0;
}

int sg_measure(const struct sg_prog *prog, const struct sg_policy *pol, size_t arch, uint32_t bad_arch_action,
	       struct sg_arch_stats *out)
{
	struct sg_rules_by_nr by_nr[SG_MAX_ARCHES];
	size_t n = 0;
	int rc = -1;
	*out = (struct sg_arch_stats){ 0 };
	while (n < pol->narches && sg_rules_by_nr_init(&by_nr[n], &pol->arches[n]) == 0)
		n++;
	if (n == pol->narches) {
		struct by_rules c = { pol, by_nr, arch, bad_arch_action };
		rc = sweep(prog, pol->arches[arch].arch, decide_by_rules, &c, 1, out);
	}
	while (n > 0)
		sg_rules_by_nr_free(&by_nr[--n]);
	return rc;
}

/* A raw program's numbers: its own answers with the arguments unknown. */
struct by_answers {
	const struct sg_prog *prog;
	const struct sg_arch *arch;
};

static int decide_by_answers(void *ctx, uint32_t nr, uint32_t *ret)
{
	const struct by_answers *c = ctx;
	struct sg_seccomp_data d = { .nr = nr, .arch = c->arch->audit_arch };
	struct sg_bpf_answers ans;
	if (sg_bpf_answers(c->prog->insns, c->prog->len, &d, SG_FIELD_NR | SG_FIELD_ARCH, c->arch->endian, &ans))
		return -1;
	if (ans.n != 1 || ans.open)
		return 0;
	*ret = ans.ret[0];
	return 1;
}

int sg_measure_prog(const struct sg_prog *prog, const struct sg_arch *arch, struct sg_arch_stats *out)
{
	struct by_answers c = { prog, arch };
	*out = (struct sg_arch_stats){ 0 };
	return sweep(prog, arch, decide_by_answers, &c, 0, out);
}
