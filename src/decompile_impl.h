/* The decompile stage's model, between its reading (decompile.c) and its
 * writing and proof (decompile_write.c). Internal to the library. */
#ifndef SYSGATE_SRC_DECOMPILE_IMPL_H
#define SYSGATE_SRC_DECOMPILE_IMPL_H

#include "sysgate/decompile.h"
#include "sysgate/profile.h"
#include "sysgate/seccomp.h"

/* One rule of one syscall on one architecture (no conditions: all of it). */
struct dc_rule {
	const struct sg_arch *arch;
	const char *name;
	uint32_t action;
	struct sg_cond conds[SG_MAX_ARGS];
	size_t nconds;
	int keep; /* written even where the stub would answer alike: the input names it */
};

struct dc_model {
	const struct sg_arch *arches[SG_MAX_ARCHES];
	size_t narches;
	uint32_t fallback; /* the profile's defaultAction */
	uint32_t bad_arch;
	int mode64;        /* arguments reassembled as 64-bit values throughout */
	int enosys;        /* the input answers unallocated numbers ENOSYS: the stub */
	struct dc_rule *rules;
	size_t nrules, cap;
};

/* What the ENOSYS stub returns on arch: ERRNO(ENOSYS), 38 but on MIPS (89). */
static inline uint32_t dc_enosys(const struct sg_arch *arch)
{
	uint16_t v = 38;
	sg_errno_value(arch, "ENOSYS", &v);
	return SG_RET_ERRNO | v;
}

int dc_read(const struct sg_sym_input *in, const struct sg_decompile_opts *o, struct dc_model *m, struct sg_diags *d);
int dc_add_rule(struct dc_model *m, const struct dc_rule *r);
void dc_model_free(struct dc_model *m);

#endif
