/* User notification: the listener fd a filter with SCMP_ACT_NOTIFY returns
 * (SECCOMP_FILTER_FLAG_NEW_LISTENER), handed to an OCI seccomp agent as the
 * runtime spec says: over the unix socket named by the profile's
 * listenerPath, the "container process state" (JSON: ociVersion, fds,
 * pid, metadata, state) with the fd in SCM_RIGHTS.
 *
 * Everything that can fail is done before the filter is loaded (prepare);
 * after it, only the send remains, and the listener is closed at once. */
#ifndef SYSGATE_NOTIFY_H
#define SYSGATE_NOTIFY_H

#include <stddef.h>

#include "sysgate/diag.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SG_HANDOFF_STATE_MAX 8192

struct sg_handoff {
	int sock;                         /* connected to listenerPath, or -1 */
	char path[108];                   /* listenerPath, for messages */
	char state[SG_HANDOFF_STATE_MAX]; /* the container process state */
	size_t len;
};

/* Before the filter: checks that the profile can be handed off (it names a
 * listenerPath, and notifies none of the calls the caller still makes once
 * the filter is in place: sendmsg and close for the send, execve to start
 * the command), writes the state for this process (its pid and cwd: getpid
 * and getcwd may be among the notified calls) and connects. 0, or -1 with
 * the reason in d. */
int sg_handoff_prepare(struct sg_handoff *h, const struct sg_profile *p, const struct sg_policy *pol,
		       struct sg_diags *d);

/* After the filter: sends the state and the listener fd, then closes both
 * (the filter may route the caller's own write(2) to that listener, so on
 * failure it is closed before anything is reported). 0, or -1 and d. */
int sg_handoff_send(struct sg_handoff *h, int listener, struct sg_diags *d);

/* Closes the socket, if still open; safe to call twice. */
void sg_handoff_close(struct sg_handoff *h);

#ifdef __cplusplus
}
#endif

#endif
