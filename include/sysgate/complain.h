/* Complain stage: for a filter run with its refusals diverted to a
 * supervisor (divert.h), what the original would have done to each call
 * the supervisor hears of, and the rule that decides it: a line the first
 * time each (arch, syscall, decision) is seen, a summary, and the additions
 * a profile needs (learn.h). For development: a notifier is no security
 * boundary (the workload's calls run whatever the supervisor concludes). */
#ifndef SYSGATE_COMPLAIN_H
#define SYSGATE_COMPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/bpf.h"
#include "sysgate/diag.h"
#include "sysgate/learn.h"
#include "sysgate/resolve.h"
#include "sysgate/seccomp.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sg_complain;

/* orig is the filter as compiled (borrowed). pol (borrowed, may be NULL
 * for a raw filter) names the deciding rules; bad_arch_action is what orig
 * was compiled with. NULL when memory runs out. */
struct sg_complain *sg_complain_new(const struct sg_prog *orig, const struct sg_policy *pol, uint32_t bad_arch_action);
void sg_complain_free(struct sg_complain *c);

/* A call the supervisor heard of (pid: the caller's). 1 with a line in
 * line ("x86_64 mkdir(0x..., ...) ..." without a newline; "arch x86_64 nr
 * 999(" or "arch 0x... nr 1(" for a call sysgate has no name for) the
 * first time its (arch, syscall, decision) is refused; 0 when it was
 * refused before, or the original allows it (the supervisor also hears of
 * exit_group); -1 when memory ran out (d). Calls without a name are told
 * apart for the first 64 (arch, syscall, decision); beyond, each is a line. */
int sg_complain_call(struct sg_complain *c, const struct sg_seccomp_data *call, uint32_t pid, char *line,
		     size_t linesz, struct sg_diags *d);

/* "3 syscalls would have been refused (7 calls): mkdir, rmdir, x86:open",
 * or "nothing would have been refused": each syscall once, whatever the
 * decisions ("nr 999", "arch 0x... nr 1" for one without a name). */
void sg_complain_summary(const struct sg_complain *c, char *buf, size_t n);

/* The calls that would have been refused, as a set (learn.h): to write
 * them as a profile of ALLOW rules. */
const struct sg_learn *sg_complain_additions(const struct sg_complain *c);

#ifdef __cplusplus
}
#endif

#endif
