/* Emit stage: decision graph -> classic BPF instructions. Layout puts a
 * test's false branch right after it; loads the previous test already made
 * are left out; a jump too far for 8 bits becomes a copy of the return it
 * targets or a JA trampoline; the result is refused if the kernel would
 * refuse it (4096 instructions). */
#ifndef SYSGATE_EMIT_H
#define SYSGATE_EMIT_H

#include "sysgate/bpf.h"
#include "sysgate/diag.h"
#include "sysgate/plan.h"

#ifdef __cplusplus
extern "C" {
#endif

int sg_emit(const struct sg_plan *plan, struct sg_prog *out, struct sg_diags *d);

/* plan + emit */
int sg_compile(const struct sg_policy *pol, const struct sg_compile_opts *o, struct sg_prog *out,
	       struct sg_diags *d);

/* The program as bytes: the kernel's struct sock_filter array in the
 * target's byte order (the host's, when compiling for the host), as
 * libseccomp's seccomp_export_bpf writes it. */
int sg_prog_to_raw(const struct sg_prog *p, enum sg_endian e, unsigned char **buf, size_t *len);
int sg_prog_from_raw(const unsigned char *buf, size_t len, enum sg_endian e, struct sg_prog *p, struct sg_diags *d,
		     const char *file);

#ifdef __cplusplus
}
#endif

#endif
