/* libseccomp's filter for a sysgate-parsed profile, built the way runc does
 * it; shared by tests/test_libseccomp.c (the differential oracle) and the
 * benchmark (bench/), which compares sysgate with it. Test and bench code
 * only: sysgate itself never links libseccomp.
 *
 * runc's rules: the default action from the profile; bad-arch action
 * KILL_PROCESS; a rule whose action equals the default is skipped
 * (libseccomp would refuse it); a rule that tests one argument twice becomes
 * one rule per condition; a name libseccomp does not know is skipped. Only
 * the choice of rules (Docker's includes/excludes: sg_policy.rule_used) and
 * the errno numbers of errno names come from sysgate. */
#ifndef SYSGATE_TESTS_LSC_BUILD_H
#define SYSGATE_TESTS_LSC_BUILD_H

#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>

#include "sysgate/arch.h"
#include "sysgate/bpf.h"
#include "sysgate/profile.h"

struct lsc_opts {
	const struct sg_profile *p;
	const unsigned char *rule_used; /* per profile rule: admitted (sg_policy.rule_used); NULL: all */
	const struct sg_arch *const *arches; /* the targets; the first plays the native one */
	size_t narches;
	int tree;          /* SCMP_FLTATR_CTL_OPTIMIZE = 2 (binary tree) instead of the default */
	int note_refused;  /* print a note on stderr for each rule libseccomp refuses */
	const char *what;  /* names the filter in messages */
};

struct lsc_counts {
	size_t unknown;  /* names skipped: unknown to libseccomp */
	size_t refused;  /* rules libseccomp refused */
	size_t repaired; /* returns byte-swapped back in a cross-endian export */
};

/* The action as libseccomp encodes it on arch: errnoRet, else the profile's
 * errno name on that arch, else EPERM (runc's default for ERRNO and TRACE). */
uint32_t lsc_action(const struct sg_action *a, const struct sg_arch *arch);

/* The filter context with every rule added, not yet exported; NULL on
 * failure (reported on stderr). counts may be NULL. */
scmp_filter_ctx lsc_build_ctx(const struct lsc_opts *o, struct lsc_counts *counts);

/* seccomp_export_bpf into a memory file, read back as a program in byte
 * order e. 0 on success. */
int lsc_export(scmp_filter_ctx ctx, enum sg_endian e, struct sg_prog *out, const char *what);

/* lsc_build_ctx + lsc_export, with the returns of a cross-endian export
 * repaired (see lsc_build.c). 0 on success. */
int lsc_build(const struct lsc_opts *o, struct sg_prog *out, struct lsc_counts *counts);

#endif
