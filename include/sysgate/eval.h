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

#ifdef __cplusplus
extern "C" {
#endif

/* The reference semantics, read straight from the rules: the action for a
 * syscall as the audit arch and number the kernel reports, with its 64-bit
 * arguments. The compiled filter must agree with this for every input.
 * *ap_out is the arch whose rules applied (NULL for a foreign arch) and
 * *rule_out the index in its rules of the rule that decided, -1 for the
 * default action, or SG_RULE_ENOSYS for the ENOSYS stub (resolve.h). */
#define SG_RULE_ENOSYS (-2L)
uint32_t sg_policy_eval(const struct sg_policy *pol, uint32_t audit_arch, uint32_t nr, const uint64_t args[6],
			uint32_t bad_arch_action, const struct sg_arch_policy **ap_out, long *rule_out);

/* Why nr takes ap's ENOSYS stub, for people: "471 is above 469
 * (file_setattr), the last syscall the profile names on x86_64" or "x86_64
 * allocates no syscall 400". */
void sg_stub_reason(const struct sg_arch_policy *ap, uint32_t nr, char *buf, size_t n);

/* One arch's rules by syscall number, for callers that ask about many
 * numbers (a sweep, the overlap warnings): the rules for nr, in profile
 * order, are i = sg_rules_first(x, nr), then x->next[i], ..., until
 * SG_NO_RULE. Built in time linear in the rules; -1 out of memory. */
#define SG_NO_RULE SIZE_MAX
struct sg_nr_slot {
	uint32_t nr;
	size_t first; /* SG_NO_RULE: a free slot */
};
struct sg_rules_by_nr {
	size_t *next; /* per rule: the next rule for its number */
	struct sg_nr_slot *slot; /* open hash by number */
	size_t nslots, used;     /* nslots a power of two, at least twice used */
};
int sg_rules_by_nr_init(struct sg_rules_by_nr *x, const struct sg_arch_policy *ap);
void sg_rules_by_nr_free(struct sg_rules_by_nr *x);
size_t sg_rules_first(const struct sg_rules_by_nr *x, uint32_t nr);

/* sg_policy_eval reading only the rules for nr, through by_nr: one index
 * per entry of pol->arches. The same answers, for a sweep over numbers. */
uint32_t sg_policy_eval_by_nr(const struct sg_policy *pol, const struct sg_rules_by_nr *by_nr, uint32_t audit_arch,
			      uint32_t nr, const uint64_t args[6], uint32_t bad_arch_action,
			      const struct sg_arch_policy **ap_out, long *rule_out);

/* Warns, once per pair, where two rules for one syscall can both match the
 * same call with different actions (the rule that decides there, and what
 * the other precedence and libseccomp would give where they differ),
 * naming a witness argument list. Returns the number of warnings. */
size_t sg_policy_warn_overlaps(const struct sg_policy *pol, struct sg_diags *d);

#ifdef __cplusplus
}
#endif

#endif
