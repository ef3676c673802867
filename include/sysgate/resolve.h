/* Resolve stage: a parsed profile -> per-architecture rules with syscall
 * numbers and encoded actions, after Docker's includes/excludes, runc's
 * argument splitting and dropping of rules equal to the default. */
#ifndef SYSGATE_RESOLVE_H
#define SYSGATE_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/arch.h"
#include "sysgate/conditions.h"
#include "sysgate/diag.h"
#include "sysgate/profile.h"

#define SG_MAX_ARCHES 8

/* Which of a syscall's rules decides when several match. */
enum sg_precedence {
	SG_PRECEDENCE_RESTRICTIVE, /* the most restrictive action (sg_action_rank), profile order among
				      equals: never more permissive than libseccomp's merge, so than runc */
	SG_PRECEDENCE_FIRST,       /* the first in profile order (sysgate before 2026-12) */
};

struct sg_resolve_opts {
	const struct sg_arch *host; /* plays the native arch: archMap entry, includes.arches */
	const struct sg_arch *targets[SG_MAX_ARCHES]; /* explicit targets; none: from the profile */
	size_t ntargets;
	uint64_t caps;        /* bit n = capability n */
	unsigned kernel[3];   /* major, minor, patch */
	int strict;           /* a name unknown on a target arch is an error, not a warning */
	enum sg_precedence precedence;
};

/* Native arch, Docker's default capabilities, the running kernel. */
void sg_resolve_opts_init(struct sg_resolve_opts *o);

/* One syscall's rule on one architecture. A syscall's rules are in the
 * order in which they are tried, the first whose conditions all hold
 * deciding: most restrictive action first (profile order among equals), or
 * profile order under SG_PRECEDENCE_FIRST. */
struct sg_arch_rule {
	uint32_t nr;
	uint32_t action;
	const struct sg_cond *conds; /* into the profile or pol->owned; ANDed */
	size_t nconds;
	size_t rule; /* index in profile->rules */
	size_t name; /* index in that rule's names */
};

struct sg_arch_policy {
	const struct sg_arch *arch;
	uint32_t default_action;
	struct sg_arch_rule *rules;
	size_t nrules;
	size_t nunknown; /* names skipped: unknown on this arch */
};

struct sg_policy {
	const struct sg_profile *profile; /* borrowed: must outlive the policy */
	struct sg_arch_policy arches[SG_MAX_ARCHES];
	size_t narches;
	uint32_t flags;           /* effective SECCOMP_FILTER_FLAG_* (runc's default applied) */
	enum sg_precedence precedence;
	size_t rules_excluded;    /* by includes/excludes */
	size_t rules_dropped;     /* same action as the default, on the first arch */
	unsigned char *rule_used; /* per profile rule: admitted by includes/excludes */
	struct sg_cond **owned;   /* condition arrays of multiplexer rules, freed with the policy */
	size_t nowned;
};

/* An action as one arch's filter returns it (SECCOMP_RET_* | data): errno
 * names differ between architectures (ENOSYS is 38 on most, 89 on MIPS).
 * ERRNO and TRACE without an errno get runc's EPERM. 0, or -1 with d for a
 * name the arch has no errno of. */
int sg_action_encode(const struct sg_profile *p, const struct sg_action *a, const struct sg_arch *arch, uint32_t *out,
		     struct sg_diags *d);

struct sg_policy *sg_resolve(const struct sg_profile *p, const struct sg_resolve_opts *o, struct sg_diags *d);
void sg_policy_free(struct sg_policy *pol);

#endif
