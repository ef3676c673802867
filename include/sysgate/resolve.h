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

#ifdef __cplusplus
extern "C" {
#endif

#define SG_MAX_ARCHES 8

/* Which of a syscall's rules decides when several match. */
enum sg_precedence {
	SG_PRECEDENCE_RESTRICTIVE, /* the most restrictive action (sg_action_rank), profile order among
				      equals: never more permissive than libseccomp's merge, so than runc */
	SG_PRECEDENCE_FIRST,       /* the first in profile order (sysgate before 2026-12) */
};

/* How an argument is compared (README "Argument widths"). */
enum sg_arg_width {
	SG_ARG_WIDTH_KERNEL, /* as the kernel reads it: an argument it declares narrower than the
				word (int, umode_t, ipc's call) is compared on those low bits */
	SG_ARG_WIDTH_64,     /* every argument as 64 bits (32 on a 32-bit ABI), as runc and libseccomp */
};

struct sg_resolve_opts {
	const struct sg_arch *host; /* plays the native arch: archMap entry, includes.arches */
	const struct sg_arch *targets[SG_MAX_ARCHES]; /* explicit targets; none: from the profile */
	size_t ntargets;
	uint64_t caps;        /* bit n = capability n */
	unsigned kernel[3];   /* major, minor, patch */
	int strict;           /* a name no architecture has is an error, not a warning (d->strict
				 makes the other SG_STRICT warnings errors) */
	enum sg_precedence precedence;
	enum sg_arg_width arg_width;
	int enosys_off;       /* no ENOSYS stub (README "ENOSYS"): numbers the profile does not
				 reach take the default action, as libseccomp's filter alone */
};

/* Native arch, Docker's default capabilities, the running kernel. */
void sg_resolve_opts_init(struct sg_resolve_opts *o);

/* One syscall's rule on one architecture. A syscall's rules are in the
 * order in which they are tried, the first whose conditions all hold
 * deciding: most restrictive action first (profile order among equals), or
 * profile order under SG_PRECEDENCE_FIRST. */
/* How the kernel reads an argument of the rule's syscall (sg_syscall_arg),
 * two bits an argument in sg_arch_rule.reads. */
enum sg_arg_read {
	SG_READ_WORD, /* the whole register, or no declaration: compared as written */
	SG_READ_U32,  /* unsigned int, uid_t, ...: the low 32 bits */
	SG_READ_S32,  /* int, pid_t, ...: the low 32 bits, signed */
	SG_READ_U16,  /* umode_t, ipc's call: the low 16 bits */
};

/* The register a C caller passes for what the kernel reads of a: the low
 * bits, zero- or sign-extended as their type is. Two registers the kernel
 * cannot tell apart have one canonical form, and a rule decides on it. */
static inline uint64_t sg_arg_canon(uint64_t a, enum sg_arg_read read)
{
	switch (read) {
	case SG_READ_WORD: return a;
	case SG_READ_U32: return a & 0xffffffffu;
	case SG_READ_S32: return (a & 0x80000000u) ? a | 0xffffffff00000000u : a & 0xffffffffu;
	case SG_READ_U16: return a & 0xffffu;
	}
	return a;
}

struct sg_arch_rule {
	uint32_t nr;
	uint32_t action;
	const struct sg_cond *conds; /* into the profile or pol->owned; ANDed */
	size_t nconds;
	size_t rule; /* index in profile->rules */
	size_t name; /* index in that rule's names */
	uint16_t reads; /* enum sg_arg_read of argument i at bits 2i: all WORD under SG_ARG_WIDTH_64 */
};

static inline enum sg_arg_read sg_rule_read(const struct sg_arch_rule *r, unsigned index)
{
	return (enum sg_arg_read)(r->reads >> (2 * index) & 3);
}

struct sg_arch_policy {
	const struct sg_arch *arch;
	uint32_t default_action;
	struct sg_arch_rule *rules;
	size_t nrules;
	size_t nunknown; /* names skipped: unknown on this arch */
	/* runc's ENOSYS stub, and sysgate's step further: where enosys is not
	 * 0 (the default refuses, and the profile names a call here), a number
	 * above last_nr, or one the arch's table does not allocate, returns
	 * enosys (ERRNO(ENOSYS)) before any rule is tried (runc's stub runs
	 * first: a multiplexer above last_nr is stubbed with its rules). -1,
	 * a tracer's skip and no syscall, is never stubbed. */
	uint32_t enosys;
	uint32_t last_nr;     /* the largest number any applying rule names here */
	uint32_t *allocated;  /* numbers the kernel table file allocates (any of its ABIs), ascending */
	size_t nallocated;
};

/* Whether nr takes ap's ENOSYS stub. */
int sg_arch_policy_stubbed(const struct sg_arch_policy *ap, uint32_t nr);

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
	struct sg_cond *mux_eq;   /* in owned: "arg0 == n" at [n], for such rules without other tests */
};

/* An action as one arch's filter returns it (SECCOMP_RET_* | data): errno
 * names differ between architectures (ENOSYS is 38 on most, 89 on MIPS).
 * ERRNO and TRACE without an errno get runc's EPERM. 0, or -1 with d for a
 * name the arch has no errno of. */
int sg_action_encode(const struct sg_profile *p, const struct sg_action *a, const struct sg_arch *arch, uint32_t *out,
		     struct sg_diags *d);

/* The calls socketcall(2) and ipc(2) multiplex, by name: entry i's name,
 * multiplexer (ipc 1: ipc, 0: socketcall) and call number (SYS_*); 0, or
 * -1 past the last. */
int sg_mux_call(size_t i, const char **name, int *ipc, uint32_t *call);

struct sg_policy *sg_resolve(const struct sg_profile *p, const struct sg_resolve_opts *o, struct sg_diags *d);
void sg_policy_free(struct sg_policy *pol);

#ifdef __cplusplus
}
#endif

#endif
