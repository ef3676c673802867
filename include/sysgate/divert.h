/* Divert stage: a compiled filter -> the same filter with its refusals sent
 * to a supervisor. Every return of ERRNO, KILL_*, TRAP or TRACE becomes
 * SECCOMP_RET_USER_NOTIF (the supervisor finds out what the original would
 * have done by running it); ALLOW and LOG returns, and every path to them,
 * stay as they were, so the kernel caches the same allowed syscalls.
 *
 * A prelude also notifies exit_group on the given architectures whatever
 * the filter says, so that a supervisor hears of a process's end while
 * the process still waits: it writes its findings before the parent of
 * the workload can see the exit. The prelude loads only arch and nr and
 * uses JEQ and JA, which the kernel's cache emulator follows:
 *
 *     ld  [4]                  ; arch
 *     jeq AUDIT_ARCH_X86_64, 0, next
 *     ld  [0]                  ; nr
 *     jeq 231, notify, 0       ; exit_group
 *     jeq 0x400000e7, notify, 0 ; x32's
 *     ja  original
 *   next: ... (the other architectures)
 *   notify: ret USER_NOTIF
 *   original: and #0                ; A = 0, as the kernel starts a filter
 *     the filter as compiled */
#ifndef SYSGATE_DIVERT_H
#define SYSGATE_DIVERT_H

#include <stddef.h>

#include "sysgate/arch.h"
#include "sysgate/bpf.h"
#include "sysgate/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* out is a new program. -1 with d when the filter already notifies (its
 * notifications would go to sysgate's supervisor), returns a computed value
 * (RET A: what it refuses cannot be known), or would be too long. */
int sg_divert(const struct sg_prog *in, const struct sg_arch *const *arches, size_t narches, struct sg_prog *out,
	      struct sg_diags *d);

#ifdef __cplusplus
}
#endif

#endif
