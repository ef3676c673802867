/* sg_syscall_arg: how the kernel reads each argument, from the tables
 * arch/gen-widths generates into arch/args.c out of the kernel's own
 * SYSCALL_DEFINE / COMPAT_SYSCALL_DEFINE declarations. */
#include <stdlib.h>

#include <sysgate/arch.h>

#include "../arch/args.h"

static int cmp_call(const void *key, const void *entry)
{
	uint16_t name = *(const uint16_t *)key, other = ((const struct sg_arg_call *)entry)->name;
	return (name > other) - (name < other);
}

static int cmp_override(const void *key, const void *entry)
{
	uint16_t call = *(const uint16_t *)key, other = ((const struct sg_arg_override *)entry)->call;
	return (call > other) - (call < other);
}

/* The signature of call number `call` (index in sg_arg_calls) on arch: the
 * arch's own where it differs from the one most architectures share. */
static uint16_t signature(const struct sg_arch *arch, uint16_t call)
{
	for (size_t i = 0; i < SG_NARCHES; i++) {
		if (sg_arch_table[i] != arch)
			continue;
		const struct sg_arg_arch *a = &sg_arg_arches[i];
		const struct sg_arg_override *o = a->count ?
			bsearch(&call, sg_arg_overrides + a->first, a->count, sizeof(*o), cmp_override) : NULL;
		return o ? o->sig : sg_arg_calls[call].sig[a->column];
	}
	return SG_ARG_NONE;
}

int sg_syscall_arg(const struct sg_arch *arch, uint32_t nr, unsigned index, struct sg_arg_decl *out)
{
	const char *name = sg_syscall_name(arch, nr);
	if (!name)
		return -1;
	/* sg_name_pool is sorted, so its offsets are in name order: sg_arg_calls
	 * is searched by offset, no string compared. */
	uint16_t key = (uint16_t)(name - sg_name_pool);
	const struct sg_arg_call *c = bsearch(&key, sg_arg_calls, SG_ARG_NCALLS, sizeof(*c), cmp_call);
	if (!c)
		return -1;
	uint16_t sig = signature(arch, (uint16_t)(c - sg_arg_calls));
	if (sig == SG_ARG_NONE)
		return -1;
	if (index >= (sig & 7u))
		return 0;
	unsigned slot = (sig >> 3) + index;
	uint16_t type = sg_arg_types[sg_arg_slot_type[slot]];
	static const unsigned type_bits[] = { [SG_ARG_16] = 16, [SG_ARG_32] = 32, [SG_ARG_WORD] = 64 };
	unsigned bits = type_bits[type >> 1 & 3];
	if (out) {
		out->name = sg_arg_pool + sg_arg_slot_name[slot];
		out->type = sg_arg_pool + (type >> 3);
		/* the kernel keeps the low bits of the type, at most the ABI's word;
		 * sign extension only matters below the word */
		out->bits = bits < arch->bits ? bits : arch->bits;
		out->is_signed = (type & 1) && out->bits < arch->bits;
	}
	return 1;
}
