/* Fuzz target: bytes -> the whole pipeline for several arch sets, checked by
 * oracles: the program passes the kernel's checks, is within 4096
 * instructions or refused cleanly, compiles to the same bytes twice, and the
 * emulator agrees with the reference evaluator on inputs drawn from the data,
 * under sysgate's semantics and runc's (--arg-width 64, --enosys off). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sysgate/emit.h"
#include "sysgate/emulate.h"
#include "sysgate/eval.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const sets[][3] = {
	{ "x86_64", "x86", "x32" }, { "aarch64", "arm", NULL }, { "s390x", "s390", NULL }, { "mips64n32", NULL, NULL },
};

static uint64_t take(const uint8_t *data, size_t size, size_t *at)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | (size ? data[(*at)++ % size] : 0);
	return v;
}

/* mode: bit 0 --arg-width 64, bit 1 --enosys off; the semantics vary with
 * the set and the input's length, so each is reached without a second pass. */
static void check_set(const struct sg_profile *p, const char *const *set, const uint8_t *data, size_t size,
		      unsigned mode)
{
	struct sg_diags d;
	struct sg_resolve_opts o;
	sg_diags_init(&d);
	sg_resolve_opts_init(&o);
	o.kernel[0] = 6, o.kernel[1] = 1, o.kernel[2] = 0;
	for (size_t i = 0; i < 3 && set[i]; i++)
		o.targets[o.ntargets++] = sg_arch_lookup(set[i]);
	o.host = o.targets[0];
	o.arg_width = mode & 1 ? SG_ARG_WIDTH_64 : SG_ARG_WIDTH_KERNEL;
	o.enosys_off = (mode & 2) != 0;
	struct sg_policy *pol = sg_resolve(p, &o, &d);
	struct sg_compile_opts co;
	sg_compile_opts_init(&co);
	struct sg_prog a = { 0 }, b = { 0 };
	if (pol && sg_compile(pol, &co, &a, &d) == 0) {
		char why[160];
		if (a.len == 0 || a.len > SG_BPF_MAXINSNS || sg_bpf_check(a.insns, a.len, why, sizeof(why)))
			abort();
		if (sg_compile(pol, &co, &b, &d) || b.len != a.len || memcmp(a.insns, b.insns, a.len * sizeof(*a.insns)))
			abort(); /* not deterministic */
		size_t at = 0;
		for (int n = 0; n < 64; n++) {
			const struct sg_arch_policy *ap = &pol->arches[n % pol->narches];
			struct sg_seccomp_data sd = { .arch = ap->arch->audit_arch };
			uint64_t r = take(data, size, &at);
			if (ap->nrules && (r & 3))
				sd.nr = ap->rules[(r >> 8) % ap->nrules].nr;
			else
				sd.nr = (uint32_t)(r >> 16);
			/* whole 64-bit words on 32-bit ABIs too: 64-bit MIPS kernels
			 * sign-extend o32/n32 arguments, and x32 passes registers whole */
			for (int k = 0; k < 6; k++)
				sd.args[k] = take(data, size, &at);
			const struct sg_arch_policy *which;
			long rule;
			size_t executed;
			uint32_t want = sg_policy_eval(pol, sd.arch, sd.nr, sd.args, co.bad_arch_action, &which, &rule);
			if (sg_bpf_run(a.insns, a.len, &sd, ap->arch->endian, &executed, NULL, 0) != want)
				abort(); /* the filter and the rules disagree */
		}
	} else if (pol && d.errors == 0 && !d.oom) {
		abort(); /* refused without a message */
	}
	sg_prog_free(&a);
	sg_prog_free(&b);
	sg_policy_free(pol);
	sg_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_diags d;
	sg_diags_init(&d);
	struct sg_profile *p = sg_profile_parse("fuzz.json", (const char *)data, size, &d);
	sg_diags_free(&d);
	if (!p)
		return 0;
	for (size_t i = 0; i < sizeof(sets) / sizeof(*sets); i++)
		check_set(p, sets[i], data, size, (unsigned)(i + size));
	sg_profile_free(p);
	return 0;
}
