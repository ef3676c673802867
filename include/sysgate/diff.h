/* Diff stage: where two filters (or stacks of filters) decide differently,
 * exactly. The symbolic stage splits the input space into regions on which
 * both return one value each; a region where the kernel would act
 * differently (sg_sym_effect) is a difference, reported per run of syscall
 * numbers with one witness input, replayed in the emulator before it is
 * believed. Nothing is sampled: no difference means none exists, unless a
 * region was undecided, which is said. */
#ifndef SYSGATE_DIFF_H
#define SYSGATE_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/arch.h"
#include "sysgate/diag.h"
#include "sysgate/seccomp.h"
#include "sysgate/symbolic.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sg_diff_opts {
	const uint32_t *arches; /* AUDIT_ARCH values to compare on; none: every 32-bit arch value */
	size_t narches;
	enum sg_endian endian;  /* the byte order for arch values no known architecture has */
};

struct sg_diff_entry {
	uint32_t arch;     /* the witness's arch value */
	int arch_known;    /* the region holds this arch value alone, and it is an architecture's */
	uint32_t nr_first, nr_last; /* the numbers, a run of the region's: one named syscall, or
				     * numbers none of the arch's tables names */
	const char *syscall;        /* the syscall's name (a run of one), or NULL */
	uint32_t a, b;     /* what each side returns there */
	int args;          /* the region depends on the arguments or the instruction pointer */
	struct sg_seccomp_data witness; /* nr_first, and values of the region's other words */
};

struct sg_diff {
	struct sg_diff_entry *v; /* sorted by arch, number, then the rest; adjacent runs of
				  * unnamed numbers with the same answers and no argument test joined */
	size_t n;
	size_t regions;          /* regions compared */
	size_t undecided;        /* regions whose answers could not be known exactly */
	char why[200];           /* the first undecided region's reason */
	int truncated;           /* a region had more runs of numbers than are listed */
};

/* Compares stack a with stack b (each filter checked by sg_bpf_check).
 * 0 with the result in *out (equivalent when out->n == 0 and
 * out->undecided == 0), or -1 with the reason in d. */
int sg_diff(const struct sg_sym_input *a, const struct sg_sym_input *b, const struct sg_diff_opts *o,
	    struct sg_diff *out, struct sg_diags *d);
void sg_diff_free(struct sg_diff *out);

/* The seccomp_data of 16 word values, laid out in byte order e. */
struct sg_seccomp_data sg_diff_data(const uint32_t w[SG_SYM_WORDS], enum sg_endian e);

#ifdef __cplusplus
}
#endif

#endif
