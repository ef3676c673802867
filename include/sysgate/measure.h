/* Exact figures for a compiled filter, from the emulator: instructions
 * executed per syscall number and what the kernel's action cache will skip. */
#ifndef SYSGATE_MEASURE_H
#define SYSGATE_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/bpf.h"
#include "sysgate/resolve.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sg_arch_stats {
	size_t swept;          /* numbers run (SG_SYSCALL_SPAN), all arguments zero */
	double mean;           /* instructions executed, over the sweep */
	size_t max;
	double free_mean;      /* the same over numbers whose action needs no argument */
	size_t free_max;
	size_t allow_free;     /* table syscalls allowed whatever their arguments */
	size_t cacheable;      /* of those, how many the kernel's action cache allows (none beyond its bitmap: x32, arm private) */
	size_t mismatches;     /* sweep inputs where the filter and the rules disagree: must be 0 */
};

/* True when nr's action does not depend on arguments: no conditional rule
 * comes before its first unconditional one (or it has no rule at all). */
int sg_argument_free(const struct sg_arch_policy *ap, uint32_t nr);

/* Figures for the policy's arch number `arch` (an index into pol->arches):
 * 0, or -1 when memory runs out (*out is then all zero). */
int sg_measure(const struct sg_prog *prog, const struct sg_policy *pol, size_t arch, uint32_t bad_arch_action,
	       struct sg_arch_stats *out);

/* The same figures for a program alone, with no rules to read (a raw
 * filter, one `dump` read): a number is argument-free when the program
 * gives it one answer whatever the arguments and instruction pointer
 * (sg_bpf_answers), and mismatches stays 0. 0, or -1 when the checker
 * refuses the program or memory runs out. */
int sg_measure_prog(const struct sg_prog *prog, const struct sg_arch *arch, struct sg_arch_stats *out);

#ifdef __cplusplus
}
#endif

#endif
