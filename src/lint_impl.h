/* The lint stage's parts (lint.c, lint_checks.c, lint_table.c,
 * lint_format.c). Internal to the library. */
#ifndef SYSGATE_SRC_LINT_IMPL_H
#define SYSGATE_SRC_LINT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/eval.h"
#include "sysgate/lint.h"

/* ---- the curated tables (lint_table.c) ---------------------------------- */

/* Groups of syscalls that reach the same kernel operation: refusing one
 * while allowing another leaves the operation open. NULL-terminated lists. */
extern const char *const *const sg_lint_siblings[];
extern const size_t sg_lint_nsiblings;

/* A newer call libc (or a common library) tries first and gives up on
 * unless it fails with ENOSYS: refused with another errno, the older one
 * is never tried. */
struct sg_lint_fallback {
	const char *newer, *older, *since, *who;
};
extern const struct sg_lint_fallback sg_lint_fallbacks[];
extern const size_t sg_lint_nfallbacks;

/* A call that gives the caller power over the kernel or other processes.
 * cap: the capability Docker's default requires for it (NULL: Docker never
 * allows it); arg_test: allowed as usual when an argument test narrows it
 * (clone's flags, personality's persona), so only the unconditional allow
 * is dangerous; mild: Docker's default allows it too on newer kernels, so
 * only an info. */
struct sg_lint_danger {
	const char *name, *cap, *why;
	int arg_test, mild;
};
extern const struct sg_lint_danger sg_lint_dangers[];
extern const size_t sg_lint_ndangers;

/* ---- what the policy answers (lint.c) ----------------------------------- */

struct lint_ctx {
	const struct sg_profile *p;
	const struct sg_policy *pol;   /* resolved as the options say */
	const struct sg_policy *polk;  /* arguments as the kernel reads them */
	const struct sg_policy *pol64; /* every argument 64 bits (runc, libseccomp) */
	struct sg_rules_by_nr *by_nr;  /* per arch of pol */
	struct sg_lint *out;
	int failed; /* memory ran out */
};

/* The answers a syscall gets over its arguments on one arch: every rule's
 * witness and a few plain argument lists, each asked of the evaluator. */
struct answers {
	unsigned runs : 1;    /* some call runs (ALLOW, LOG) */
	unsigned refused : 1; /* some call is refused (ERRNO, KILL, TRAP) */
	unsigned other : 1;   /* TRACE or USER_NOTIF: for someone else to decide */
	unsigned varies : 1;  /* not one answer for every argument */
	uint32_t refusal, allow; /* the first refusing / running answer met */
	long refusal_rule, allow_rule; /* index in ap->rules, -1 default, SG_RULE_ENOSYS */
};

/* Whether a return value lets the call run, or refuses it. */
int lint_runs(uint32_t ret);
int lint_refuses(uint32_t ret);

/* name's answers on arch a of c->pol: 0, or -1 when the arch has no such call. */
int lint_answers(const struct lint_ctx *c, size_t a, const char *name, struct answers *out);
/* The answer to one call on arch a, and the deciding rule. */
uint32_t lint_eval(const struct lint_ctx *c, const struct sg_policy *pol, size_t a, uint32_t nr,
		   const uint64_t args[6], long *rule);
/* Where the decision was made: the rule's name, or the default action. */
void lint_decider_loc(const struct lint_ctx *c, const struct sg_policy *pol, size_t a, long rule,
		      struct sg_loc *out);
/* "the default action", "the ENOSYS stub", "/syscalls/3" */
void lint_decider_name(const struct lint_ctx *c, const struct sg_policy *pol, size_t a, long rule, char *buf,
		       size_t n);

/* Adds a finding (arch NULL: not tied to one); marks c->failed on a
 * failure. The message is formatted; why and fix are copied. */
void lint_add(struct lint_ctx *c, const char *id, enum sg_lint_severity sev, const struct sg_loc *loc,
	      const struct sg_arch *arch, const char *why, const char *fix, const char *fmt, ...) SG_PRINTF(8, 9);

/* ---- the checks (lint_checks.c) ----------------------------------------- */

void lint_siblings(struct lint_ctx *c);
void lint_fallbacks(struct lint_ctx *c);
void lint_dangers(struct lint_ctx *c);
void lint_multiplexers(struct lint_ctx *c);

#endif
