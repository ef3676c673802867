/* The decompile stage's model, between its reading (decompile.c) and its
 * writing and proof (decompile_write.c). Internal to the library. */
#ifndef SYSGATE_SRC_DECOMPILE_IMPL_H
#define SYSGATE_SRC_DECOMPILE_IMPL_H

#include "sysgate/decompile.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"
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


/* ---- decompile_args.c: an argument's values and the conditions that say them ---- */

#define DC_MAX_IVS 8   /* intervals of one argument's values that are read as a shape */
#define DC_MAX_ENUM 64 /* values of one argument written as one rule each, when no shape will do */

/* A region of one architecture's inputs (the symbolic stage's) and what
 * the input returns on it. */
struct region {
	struct sg_sym_atom *atoms;
	size_t n;
	uint32_t ret;
};

/* How one argument reads: only its low word (a 32-bit ABI, or an argument
 * the kernel reads narrower, under its widths), or both words. */
struct argspace {
	unsigned lo, hi;   /* word indexes */
	int lo_only;
	uint32_t vmask;    /* lo_only: the bits compared (0xffff for a 16-bit argument) */
	enum sg_arg_read read;
};

/* A condition to try for a region's argument: exact (the region's values
 * themselves) or a superset; none: no condition. */
struct cand {
	int none;
	struct sg_cond c;
	size_t nvals; /* > 0: one EQ rule per value instead (c is the first) */
	uint64_t vals[DC_MAX_ENUM];
};

struct ivs {
	uint64_t a[DC_MAX_IVS], b[DC_MAX_IVS];
	size_t n;
	int over;      /* more pieces than kept */
	uint64_t last; /* the end of the last piece */
};

/* One way a condition holds: at most two word tests. */
struct term {
	struct sg_sym_atom t[2];
	size_t n;
};

struct argspace dc_space_of(const struct dc_model *m, const struct sg_arch *arch, uint32_t nr, unsigned i);
int dc_word_atoms(const struct region *g, unsigned w, uint32_t vmask, struct sg_sym_atom *out, size_t *n);
int dc_masked_eq(const struct sg_sym_atom *t, size_t n, int bound, uint32_t *mask, uint32_t *val);
size_t dc_shapes(const struct ivs *v, uint64_t top, const struct argspace *s, struct cand *out);
int dc_value_set(const struct sg_sym_atom *lo, size_t nlo, const struct sg_sym_atom *hi, size_t nhi,
		 const struct argspace *s, struct ivs *v);
int dc_arg_cands(const struct region *g, const struct argspace *s, unsigned i, struct cand *out, size_t *n);
int dc_reaches(const struct region *g, const struct sg_cond *c, const struct argspace *sp, size_t nc);
int dc_cond_within(const struct sg_cond *x, const struct sg_cond *y, const struct argspace *s);

int dc_read(const struct sg_sym_input *in, const struct sg_decompile_opts *o, struct dc_model *m, struct sg_diags *d);
int dc_add_rule(struct dc_model *m, const struct dc_rule *r);
void dc_model_free(struct dc_model *m);

#endif
