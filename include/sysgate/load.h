/* Load stage: install a compiled filter on the calling thread (or, with
 * TSYNC, the whole process). Irreversible: call it last, just before exec. */
#ifndef SYSGATE_LOAD_H
#define SYSGATE_LOAD_H

#include <stdint.h>

#include "sysgate/bpf.h"
#include "sysgate/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sets no_new_privs, then seccomp(SECCOMP_SET_MODE_FILTER, flags, prog).
 * flags are SG_FLAG_* (profile.h); with NEW_LISTENER the notification fd is
 * stored in *listener (else -1). On failure nothing is installed, -1 is
 * returned and the error names the cause — for a flag the kernel rejects,
 * the flag (found by trying each one in a short-lived child process). */
int sg_load(const struct sg_prog *prog, uint32_t flags, int *listener, struct sg_diags *d);

#ifdef __cplusplus
}
#endif

#endif
