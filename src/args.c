/* sg_syscall_arg: how the kernel reads each argument, from the tables
 * arch/gen-widths generates into arch/args.c out of the kernel's own
 * SYSCALL_DEFINE / COMPAT_SYSCALL_DEFINE declarations. */
#include <stdlib.h>
#include <string.h>

#include <sysgate/arch.h>

#include "../arch/args.h"
#include "widths.h"

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

/* The signature of a call on arch: the arch's own where it has one, else
 * the one the fewest architectures differ from. */
static uint16_t signature(const struct sg_arch *arch, uint16_t rank)
{
	for (size_t i = 0; i < SG_NARCHES; i++) {
		if (sg_arch_table[i] != arch)
			continue;
		const struct sg_arg_arch *a = &sg_arg_arches[i];
		const struct sg_arg_override *o =
			a->count ? bsearch(&rank, sg_arg_overrides + a->first, a->count, sizeof(sg_arg_overrides[0]),
					   cmp_override)
				 : NULL;
		return o ? o->sig : sg_arg_sig[rank];
	}
	return SG_ARG_NONE;
}

/* Argument index of a call whose signature on arch is sig, as sg_syscall_arg says. */
static int arg_of(const struct sg_arch *arch, uint16_t sig, unsigned index, struct sg_arg_decl *out)
{
	if (sig == SG_ARG_NONE)
		return -1;
	if (index >= (sig & 7u))
		return 0;
	/* The word unless the slot names a type narrower than arch's word: the
	 * shared signatures are written for 64-bit ABIs, whose 32-bit
	 * arguments a 32-bit ABI reads whole. */
	struct sg_arg_decl d = { NULL, NULL, arch->bits, 0 };
	unsigned slot = sg_arg_slots[(sig >> 3) + index];
	if (slot) {
		uint16_t pair = sg_arg_pairs[slot - 1], t = sg_arg_types[pair >> SG_ARG_NAME_BITS];
		unsigned bits = t & 2 ? 32 : 16;
		if (bits < arch->bits)
			d = (struct sg_arg_decl){ sg_arg_pool + (pair & ((1u << SG_ARG_NAME_BITS) - 1)),
						  sg_arg_pool + (t >> 2), bits, t & 1 };
	}
	if (out)
		*out = d;
	return 1;
}

int sg_syscall_arg(const struct sg_arch *arch, uint32_t nr, unsigned index, struct sg_arg_decl *out)
{
	const char *name = sg_syscall_name(arch, nr);
	if (!name)
		return -1;
	return arg_of(arch, signature(arch, (uint16_t)name_rank(name)), index, out);
}

int sg_syscall_args_named(const struct sg_arch *arch, const char *name, struct sg_arg_decl out[6])
{
	uint16_t sig = signature(arch, (uint16_t)name_rank(name));
	for (unsigned i = 0; i < 6; i++)
		if (arg_of(arch, sig, i, &out[i]) < 0)
			return -1;
	return (int)(sig & 7u);
}
