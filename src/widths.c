/* Resolve stage, argument widths: how the kernel reads each argument of a
 * rule's syscall (sg_syscall_arg, the kernel's own declarations), and the
 * warnings where a profile's value means something else there. */
#include "widths.h"

#include <stdio.h>

/* How the kernel reads each argument of nr on arch: narrower than the
 * compared word only where it declares so (on a 32-bit ABI the word is
 * already 32 bits; 16-bit reads narrow it there too). */
uint16_t sg_widths_reads_named(const struct sg_arch *arch, const char *name)
{
	struct sg_arg_decl decl[6];
	int n = sg_syscall_args_named(arch, name, decl);
	if (n < 0)
		return 0; /* no declaration: every argument as written */
	uint16_t reads = 0;
	for (unsigned i = 0; i < 6; i++) {
		enum sg_arg_read rd = SG_READ_WORD;
		if ((int)i < n && decl[i].bits == 16)
			rd = SG_READ_U16;
		else if ((int)i < n && decl[i].bits == 32 && arch->bits == 64)
			rd = decl[i].is_signed ? SG_READ_S32 : SG_READ_U32;
		reads |= (uint16_t)(rd << (2 * i));
	}
	return reads;
}

uint16_t sg_widths_reads(const struct sg_arch *arch, uint32_t nr)
{
	const char *name = sg_syscall_name(arch, nr);
	return name ? sg_widths_reads_named(arch, name) : 0;
}

/* Whether (canonical & m) == d holds for some value of an argument read
 * as rd (the planner's narrow MASKED_EQ, asked the other way). */
static int narrow_masked_possible(uint64_t m, uint64_t d, enum sg_arg_read rd)
{
	if (rd != SG_READ_S32)
		return !(d & ~(uint64_t)(rd == SG_READ_U16 ? 0xffffu : 0xffffffffu));
	uint64_t mhi = m >> 32, dhi = d >> 32;
	if (mhi == 0)
		return 1;
	if (dhi != 0 && dhi != mhi)
		return 0; /* the high word is the sign, repeated */
	uint64_t sign = dhi ? 0x80000000u : 0; /* what the high word asks of bit 31 */
	return !(m & 0x80000000u) || (d & 0x80000000u) == sign;
}

/* A condition whose meaning as the kernel reads the argument differs from
 * its 64-bit reading: say so, once per condition, and what it means now. */
void sg_widths_warn(const struct sg_profile *p, size_t ri, const struct sg_arch *arch, uint32_t nr, uint16_t reads,
		    unsigned char *warned, struct sg_diags *d)
{
	const struct sg_rule *r = &p->rules[ri];
	for (size_t k = 0; k < r->nconds; k++) {
		const struct sg_cond *c = &r->conds[k];
		enum sg_arg_read rd = (enum sg_arg_read)(reads >> (2 * c->index) & 3);
		uint64_t top = arch->bits == 32 ? 0xffffffffu : UINT64_MAX; /* truncated first, as libseccomp does */
		uint64_t v = c->value & top, low = v & (rd == SG_READ_U16 ? 0xffffu : 0xffffffffu);
		uint64_t m = v, dd = c->value_two & m;
		int masked = c->op == SG_CMP_MASKED_EQ;
		if (rd == SG_READ_WORD || warned[k] ||
		    (masked ? narrow_masked_possible(m, dd, rd) : sg_arg_canon(v, rd) == v))
			continue;
		warned[k] = 1;
		struct sg_arg_decl decl;
		struct sg_loc at;
		const char *name = sg_syscall_name(arch, nr);
		if (sg_syscall_arg(arch, nr, c->index, &decl) != 1)
			continue;
		sg_rule_cond_loc(r, k, &at);
		char what[160];
		if (masked)
			snprintf(what, sizeof(what), "no value of it has (arg & 0x%llx) == 0x%llx, so the condition never holds",
				 (unsigned long long)m, (unsigned long long)dd);
		else if (c->op == SG_CMP_EQ || c->op == SG_CMP_NE)
			snprintf(what, sizeof(what), "it is never 0x%llx (a register holding that is 0x%llx to the kernel), so the "
				 "condition %s", (unsigned long long)v, (unsigned long long)sg_arg_canon(low, rd),
				 c->op == SG_CMP_EQ ? "never holds" : "always holds");
		else
			snprintf(what, sizeof(what), "0x%llx lies outside its values, so the comparison is decided by the value "
				 "the kernel reads alone", (unsigned long long)v);
		sg_warning(d, p->file, &at, "%s's args[%u] %s is %s, %u bits on %s: as the kernel reads it, %s "
			   "(--arg-width 64: all 64 bits, as runc)", name ? name : "the call", c->index, decl.name, decl.type,
			   decl.bits, arch->name, what);
	}
}
