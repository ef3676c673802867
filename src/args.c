/* sg_syscall_arg: how the kernel reads each argument, from the tables
 * arch/gen-widths generates into arch/args.c out of the kernel's own
 * SYSCALL_DEFINE / COMPAT_SYSCALL_DEFINE declarations. */
#include <stdlib.h>
#include <string.h>

#include <sysgate/arch.h>

#include "../arch/args.h"

/* The rank of a name in sg_name_pool, from the nearest mark before it:
 * sg_arg_sig needs no name column of its own. */
static unsigned name_rank(const char *name)
{
	uint16_t off = (uint16_t)(name - sg_name_pool);
	size_t lo = 0, hi = SG_ARG_NMARKS;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (sg_arg_rank_mark[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	unsigned rank = (unsigned)lo * SG_ARG_RANK_STEP;
	for (const char *p = sg_name_pool + sg_arg_rank_mark[lo]; p < name; p += strlen(p) + 1)
		rank++;
	return rank;
}

static int cmp_override(const void *key, const void *entry)
{
	uint16_t rank = *(const uint16_t *)key, other = ((const struct sg_arg_override *)entry)->rank;
	return (rank > other) - (rank < other);
}

static const struct sg_arg_override *find(uint16_t rank, size_t first, size_t count)
{
	return count ? bsearch(&rank, sg_arg_overrides + first, count, sizeof(sg_arg_overrides[0]), cmp_override)
		     : NULL;
}

/* The signature of a call on arch: the arch's own where it has one, then
 * (32-bit ABIs run through compat entries) the compat list's, then the one
 * most 64-bit kernels' native entries share. */
static uint16_t signature(const struct sg_arch *arch, uint16_t rank)
{
	for (size_t i = 0; i < SG_NARCHES; i++) {
		if (sg_arch_table[i] != arch)
			continue;
		const struct sg_arg_arch *a = &sg_arg_arches[i];
		const struct sg_arg_override *o = find(rank, a->first, a->count);
		if (!o && a->compat)
			o = find(rank, 0, SG_ARG_COMPAT_COUNT);
		return o ? o->sig : sg_arg_sig[rank];
	}
	return SG_ARG_NONE;
}

int sg_syscall_arg(const struct sg_arch *arch, uint32_t nr, unsigned index, struct sg_arg_decl *out)
{
	const char *name = sg_syscall_name(arch, nr);
	if (!name)
		return -1;
	uint16_t sig = signature(arch, (uint16_t)name_rank(name));
	if (sig == SG_ARG_NONE)
		return -1;
	if (index >= (sig & 7u))
		return 0;
	unsigned slot = (sig >> 3) + index;
	unsigned type = (unsigned)(sg_arg_slots[slot] >> SG_ARG_NAME_BITS) |
			(unsigned)(sg_arg_type_hi[slot / 2] >> (slot % 2 * 4) & 15u) << 4;
	uint16_t t = sg_arg_types[type];
	static const unsigned type_bits[] = { [SG_ARG_16] = 16, [SG_ARG_32] = 32, [SG_ARG_WORD] = 64 };
	unsigned bits = type_bits[t >> 1 & 3];
	if (out) {
		out->name = sg_arg_pool + (sg_arg_slots[slot] & ((1u << SG_ARG_NAME_BITS) - 1));
		out->type = sg_arg_pool + (t >> 3);
		/* the kernel keeps the low bits of the type, at most the ABI's word;
		 * sign extension only matters below the word */
		out->bits = bits < arch->bits ? bits : arch->bits;
		out->is_signed = (t & 1) && out->bits < arch->bits;
	}
	return 1;
}
