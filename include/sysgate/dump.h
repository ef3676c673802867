/* Dump stage: the classic-BPF seccomp filters attached to a running task,
 * read back through ptrace(PTRACE_SECCOMP_GET_FILTER).
 *
 * The kernel hands them out only to a tracer that holds CAP_SYS_ADMIN and
 * is not itself under seccomp (kernel/seccomp.c, seccomp_get_filter), on a
 * kernel built with CONFIG_CHECKPOINT_RESTORE; the task must be stopped
 * under that tracer. */
#ifndef SYSGATE_DUMP_H
#define SYSGATE_DUMP_H

#include <stddef.h>

#include "sysgate/bpf.h"
#include "sysgate/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads every filter of task tid (a process or thread ID): attaches with
 * PTRACE_SEIZE, stops it with PTRACE_INTERRUPT, reads its filters one by
 * one until ENOENT and detaches, on every path, so that the task runs on as
 * before (a signal that arrived meanwhile is delivered; a task that was
 * stopped stays stopped). On success *progs holds *n >= 1 programs in the
 * host's byte order, newest first — the order the kernel runs them in,
 * though it numbers them from the oldest (see src/dump.c) — each passing
 * sg_bpf_check; free them with sg_dump_free. On failure (-1) nothing is
 * returned and the error names the cause: no such task, no filter (or
 * strict mode), not permitted (CAP_SYS_ADMIN, sysgate itself under
 * seccomp, ptrace access), a kernel without the interface. */
int sg_dump_task(int tid, struct sg_prog **progs, size_t *n, struct sg_diags *d);

void sg_dump_free(struct sg_prog *progs, size_t n);

#ifdef __cplusplus
}
#endif

#endif
