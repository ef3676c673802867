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

/* sg_argument_free through an index of the rules by number. */
static int argument_free(const struct sg_arch_policy *ap, const struct sg_rules_by_nr *x, uint32_t nr)
{
	size_t first = sg_rules_first(x, nr);
	return first == SG_NO_RULE || ap->rules[first].nconds == 0;
}

/* The sweeps, with each arch's rules indexed by number (by_nr, one per
 * pol->arches entry): a sweep asks about 471 numbers and each table's, and
 * a scan of every rule for each made stats quadratic in the profile. */
static void sweep(const struct sg_prog *prog, const struct sg_policy *pol, const struct sg_rules_by_nr *by_nr,
		  size_t arch, uint32_t bad_arch_action, struct sg_arch_stats *out)
{
	const struct sg_arch_policy *ap = &pol->arches[arch];
	const struct sg_arch *a = ap->arch;
	static const uint64_t zero[6];
	size_t total = 0, free_total = 0, free_n = 0;
	for (uint32_t off = 0; off < SG_SYSCALL_SPAN; off++) {
		struct sg_seccomp_data d = { .nr = a->nr_base + off, .arch = a->audit_arch };
		size_t executed = 0;
		uint32_t got = sg_bpf_run(prog->insns, prog->len, &d, a->endian, &executed, NULL, 0);
		const struct sg_arch_policy *which;
		long rule;
		if (got != sg_policy_eval_by_nr(pol, by_nr, a->audit_arch, d.nr, zero, bad_arch_action, &which, &rule))
			out->mismatches++;
		total += executed;
		if (executed > out->max)
			out->max = executed;
		if (argument_free(ap, &by_nr[arch], d.nr)) {
			free_total += executed;
			free_n++;
			if (executed > out->free_max)
				out->free_max = executed;
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
		const struct sg_arch_policy *which;
		long rule;
		if (!argument_free(ap, &by_nr[arch], nr) ||
		    sg_policy_eval_by_nr(pol, by_nr, a->audit_arch, nr, zero, bad_arch_action, &which, &rule) != SG_RET_ALLOW)
			continue;
		out->allow_free++;
		if (!beyond_cache && a->by_name[i].nr < SG_NR_PRIVATE)
			out->cacheable += (size_t)sg_bpf_cacheable(prog->insns, prog->len, a->audit_arch, nr);
	}
}

int sg_measure(const struct sg_prog *prog, const struct sg_policy *pol, size_t arch, uint32_t bad_arch_action,
	       struct sg_arch_stats *out)
{
	struct sg_rules_by_nr by_nr[SG_MAX_ARCHES];
	size_t n = 0;
	int rc = 0;
	*out = (struct sg_arch_stats){ 0 };
	while (n < pol->narches && sg_rules_by_nr_init(&by_nr[n], &pol->arches[n]) == 0)
		n++;
	if (n == pol->narches)
		sweep(prog, pol, by_nr, arch, bad_arch_action, out);
	else
		rc = -1;
	while (n > 0)
		sg_rules_by_nr_free(&by_nr[--n]);
	return rc;
}

/* The program's one answer for (arch, nr) whatever the arguments: 0 and
 * *ret set, 1 when it depends on them, -1 on failure. */
static int fixed_answer(const struct sg_prog *prog, const struct sg_arch *a, uint32_t nr, uint32_t *ret)
{
	struct sg_seccomp_data d = { .nr = nr, .arch = a->audit_arch };
	struct sg_bpf_answers ans;
	if (sg_bpf_answers(prog->insns, prog->len, &d, SG_FIELD_NR | SG_FIELD_ARCH, a->endian, &ans))
		return -1;
	if (ans.n != 1 || ans.open)
		return 1;
	*ret = ans.ret[0];
	return 0;
}

int sg_measure_prog(const struct sg_prog *prog, const struct sg_arch *a, struct sg_arch_stats *out)
{
	size_t total = 0, free_total = 0, free_n = 0;
	uint32_t ret;
	*out = (struct sg_arch_stats){ 0 };
	for (uint32_t off = 0; off < SG_SYSCALL_SPAN; off++) {
		struct sg_seccomp_data d = { .nr = a->nr_base + off, .arch = a->audit_arch };
		size_t executed = 0;
		sg_bpf_run(prog->insns, prog->len, &d, a->endian, &executed, NULL, 0);
		int fixed = fixed_answer(prog, a, d.nr, &ret);
		if (fixed < 0)
			return -1;
		total += executed;
		out->max = executed > out->max ? executed : out->max;
		if (fixed == 0) {
			free_total += executed;
			free_n++;
			out->free_max = executed > out->free_max ? executed : out->free_max;
		}
	}
	out->swept = SG_SYSCALL_SPAN;
	out->mean = (double)total / SG_SYSCALL_SPAN;
	out->free_mean = free_n ? (double)free_total / (double)free_n : 0;
	int beyond_cache = a->nr_base >= SG_X32_SYSCALL_BIT; /* see sweep */
	for (size_t i = 0; i < a->nsyscalls; i++) {
		uint32_t nr = sg_syscall_num(a, &a->by_name[i]);
		int fixed = fixed_answer(prog, a, nr, &ret);
		if (fixed < 0)
			return -1;
		if (fixed || ret != SG_RET_ALLOW)
			continue;
		out->allow_free++;
		if (!beyond_cache && a->by_name[i].nr < SG_NR_PRIVATE)
			out->cacheable += (size_t)sg_bpf_cacheable(prog->insns, prog->len, a->audit_arch, nr);
	}
	return 0;
}
