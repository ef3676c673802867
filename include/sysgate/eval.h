/* The reference evaluator: the meaning of a resolved policy, read straight
 * from its rules, with nothing shared with the compiler it checks (plan,
 * emit). The compiled filter must agree with it on every input: the tests,
 * `explain` and `stats` hold them to that. Also the overlap warnings, which
 * ask the same question of two rules at once. */
#ifndef SYSGATE_EVAL_H
#define SYSGATE_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/diag.h"
#include "sysgate/resolve.h"

/* The reference semantics, read straight from the rules: the action for a
 * syscall as the audit arch and number the kernel reports, with its 64-bit
 * arguments. The compiled filter must agree with this for every input.
 * *ap_out is the arch whose rules applied (NULL for a foreign arch) and
 * *rule_out the index in its rules of the rule that decided, or -1 for the
 * default action. */
uint32_t sg_policy_eval(const struct sg_policy *pol, uint32_t audit_arch, uint32_t nr, const uint64_t args[6],
			uint32_t bad_arch_action, const struct sg_arch_policy **ap_out, long *rule_out);

/* Warns, once per pair, where two rules for one syscall can both match the
 * same call with different actions (the rule that decides there, and what
 * the other precedence and libseccomp would give where they differ),
 * naming a witness argument list. Returns the number of warnings. */
size_t sg_policy_warn_overlaps(const struct sg_policy *pol, struct sg_diags *d);

#endif
