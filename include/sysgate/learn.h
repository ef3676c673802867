/* Learn stage: the system calls a workload was seen to make -> the profile
 * that allows them. Calls come from a recording (user notification), from
 * complain mode (what a profile would have refused) or from a kernel log;
 * base profiles can be folded in, so that runs merge.
 *
 * The profile written is an allowlist: the architectures seen (native group
 * first), one ALLOW rule with the names sorted, and, for syscalls whose
 * arguments are tracked, one ALLOW rule per value seen (SCMP_CMP_EQ). With
 * no base, defaultAction is SCMP_ACT_ERRNO (EPERM, runc's errno for it).
 * With bases, it never allows more than the union of its inputs and keeps
 * how they refuse: see sg_learn_add_base. Rules come in three groups — the
 * unconditional ALLOW, the conditional ALLOW rules, the refusing rules —
 * each sorted (name, action and data, conditions) without repeats, and
 * each rule's conditions sorted: the same calls and bases give the same
 * bytes, in whatever order they were seen or written. */
#ifndef SYSGATE_LEARN_H
#define SYSGATE_LEARN_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/diag.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sg_learn;

enum sg_learn_format {
	SG_LEARN_OCI, /* the runtime spec's seccomp object (runc, crun, Docker, kubelet Localhost) */
	SG_LEARN_SPO, /* a Security Profiles Operator SeccompProfile object, as JSON */
};

struct sg_learn_opts {
	enum sg_learn_format format;
	const char *name; /* SPO: metadata.name (made a DNS-1123 name); NULL: "recorded" */
};

/* An empty set. native orders the architectures written (its group
 * first); NULL: the machine's. NULL when memory runs out. */
struct sg_learn *sg_learn_new(const struct sg_arch *native);
void sg_learn_free(struct sg_learn *l);

/* Records the values of the argument that tells a syscall's uses apart
 * (socket's domain, prctl's option, ioctl's request, personality's persona,
 * ...): its calls then become one rule per value. 0, or -1 with the
 * supported names in d. */
int sg_learn_track(struct sg_learn *l, const char *name, struct sg_diags *d);

/* "personality, socket, ..." the names sg_learn_track takes. */
const char *sg_learn_trackable(void);

/* What sg_learn_add says of a call sysgate has no table for the
 * architecture of, or no name for the number of: nothing is added to the
 * profile and nothing is said in d (the caller knows where the call came
 * from); the set remembers it, so that callers say so once per call. */
#define SG_LEARN_UNNAMED (-1)       /* the first time (arch, number, action) */
#define SG_LEARN_UNNAMED_AGAIN (-3) /* any later time */
#define SG_LEARN_OOM (-2)

/* A call, as seccomp_data reports it (x32's bit in nr). args may be NULL
 * when unknown (a log line): a tracked syscall then gets an unconditional
 * rule. action is what was done or would have been done (SECCOMP_RET_*),
 * kept apart for summaries. 1 when (arch, syscall, action) or a tracked
 * value is new, 0 when already seen, SG_LEARN_UNNAMED(_AGAIN) for a call
 * sysgate cannot name, SG_LEARN_OOM when memory ran out (d). */
int sg_learn_add(struct sg_learn *l, uint32_t audit_arch, uint32_t nr, const uint64_t *args, uint32_t action,
		 struct sg_diags *d);

/* Folds in a base profile as resolved on the host (includes/excludes
 * applied; its first architecture encodes errno names as numbers): its
 * architectures, and its rules one name each, with their conditions:
 *  - ALLOW rules; LOG rules become ALLOW (a warning); NOTIFY rules are left
 *    out (a warning: the output has no listener);
 *  - refusing rules (ERRNO, KILL_*, TRAP, TRACE) with their action and data,
 *    so a refusal a base makes (ENOSYS where libc falls back, a KILL) stays
 *    one, and what the base refuses is not allowed by its own ALLOW rules
 *    (restrictive precedence decides between the rules of one input, as in
 *    the base). A refusal is dropped when its syscall was added with
 *    sg_learn_add (the workload makes it: it must run) or when another base
 *    allows it unconditionally (the output allows what any input allows);
 *    a rule with the base's default action is dropped as resolve drops it.
 * The output's default is the most restrictive of the bases' defaults
 * (sg_action_rank; the first base's among equals), a warning when they
 * differ; a default NOTIFY counts as ERRNO (EPERM). A base whose default
 * lets calls run (ALLOW, LOG) is an error. 0, or -1 with d. */
int sg_learn_add_base(struct sg_learn *l, const struct sg_policy *base, struct sg_diags *d);

/* Distinct calls added (base rules aside): a supervisor rewrites its output
 * file only when this has grown. */
size_t sg_learn_count(const struct sg_learn *l);

/* The profile, as malloc'd text. -1 with d when memory runs out, or when
 * the profile would name more than SG_MAX_ARCHES architectures (sysgate
 * could not read it back). With SG_LEARN_SPO, a warning for each thing
 * the SeccompProfile CRD refuses though the runtime spec takes it: an
 * argument's value or valueTwo above INT64_MAX (int64, minimum 0),
 * SCMP_ARCH_LOONGARCH64 (not in its enum), more than 6 args in a rule. */
int sg_learn_write(const struct sg_learn *l, const struct sg_learn_opts *o, char **out, size_t *len,
		   struct sg_diags *d);

/* One line per (arch, syscall, action) seen, sorted by architecture group
 * order and name: "syscall arch count action", with a header. malloc'd. */
int sg_learn_summary(const struct sg_learn *l, char **out, size_t *len, struct sg_diags *d);

#ifdef __cplusplus
}
#endif

#endif
