/* Supervise stage: a filter whose notifications go to a supervisor process
 * that looks at each call and lets it run (SECCOMP_USER_NOTIF_FLAG_CONTINUE,
 * Linux 5.5; 5.9 for the hangup that ends it): `sysgate record` and
 * `exec --complain`. The caller keeps its PID and goes on to exec the
 * workload; the supervisor is detached from it (see sg_supervise_start).
 *
 * The listener handoff. Once the filter is in place, every call of the
 * caller's waits for a supervisor, so the caller cannot send the listener
 * anywhere: a sendmsg would wait for the very supervisor it is addressed
 * to. pidfd_getfd(2) would need ptrace rights over the parent, which Yama
 * (ptrace_scope >= 1) denies to a child, and Linux 5.6. So the supervisor
 * is started sharing the caller's file table (clone(CLONE_FILES)): the
 * caller says which descriptor the listener will get (the lowest free one,
 * before the load; nothing allocates one in between), loads, and the
 * supervisor finds the listener there, takes it, and unshares the table.
 * The listener is close-on-exec (the kernel makes it so), so the workload
 * never holds it. */
#ifndef SYSGATE_SUPERVISE_H
#define SYSGATE_SUPERVISE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sysgate/bpf.h"
#include "sysgate/diag.h"
#include "sysgate/seccomp.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sg_supervisor {
	int ctl[2];   /* pipe: the caller's word on the load (the fd it expects, or -1: failed) */
	int caller;   /* a pidfd of the caller: the supervisor learns of its end */
	int listener; /* in the supervisor, once accepted */
};

/* Whether this kernel can: user notification, CONTINUE (Linux 5.5), and
 * the listener's hangup once no task uses the filter (5.9). 0, or -1 with
 * the reason. */
int sg_supervise_supported(struct sg_diags *d);

/* In the caller: starts the supervisor sharing the caller's file table,
 * detached: through an intermediate child that ends at once (reaped here),
 * so that it is nobody's child but init's (a workload that reaps all its
 * children, as an init does, never waits for it), in a session of its own,
 * ignoring the signals meant for the workload (Ctrl-C, a hangup, a group
 * kill). 1 in the caller, 0 in the supervisor, -1 on failure (d). */
int sg_supervise_start(struct sg_supervisor *s, struct sg_diags *d);

/* In the caller: loads prog (flags | NEW_LISTENER) for the supervisor to
 * take. 0; or -1 with d, nothing loaded and the supervisor told (it ends,
 * as it does when the caller ends). */
int sg_supervise_load(struct sg_supervisor *s, const struct sg_prog *prog, uint32_t flags, struct sg_diags *d);

/* In the supervisor: waits for the caller's load and takes the listener,
 * then stops sharing the file table and closes every descriptor but the
 * listener and keep[]. 0, or -1 when there is nothing to supervise (the
 * load failed, the caller ended) or on error (d; the listener is then
 * closed, so that the caller's waiting calls fail with ENOSYS). */
int sg_supervise_accept(struct sg_supervisor *s, const int *keep, size_t nkeep, struct sg_diags *d);

struct sg_notification {
	uint64_t id;
	uint32_t pid; /* the calling thread, in the supervisor's PID namespace; 0 if outside it */
	struct sg_seccomp_data data;
};

/* Called for each notification, before the call runs. */
typedef void (*sg_notify_fn)(void *ctx, const struct sg_notification *n);

/* In the supervisor: each notification to fn, then the call runs, until no
 * task uses the filter any more. An error is reported and serving goes on
 * (a supervisor that ends leaves the workload's calls failing): -1 with d
 * at the end then, else 0. */
int sg_supervise_serve(struct sg_supervisor *s, sg_notify_fn fn, void *ctx, struct sg_diags *d);

#ifdef __cplusplus
}
#endif

#endif
