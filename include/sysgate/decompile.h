/* Decompile stage: a filter (or a stack) -> a profile that compiles to an
 * equivalent filter, written for people.
 *
 * The symbolic stage splits each architecture's inputs into regions; each
 * named syscall's regions become rules: none where the syscall takes the
 * default action, one unconditional rule where it takes one action, and
 * where the arguments decide, one rule per region with each argument's
 * word tests reassembled into one condition (the region itself, or the
 * least superset an OCI operator can say that reaches no region of a less
 * restrictive action: sysgate's restrictive precedence then gives each
 * region its own action). Unconditional rules are grouped by action. The
 * result is then compiled and proven equivalent with the diff stage, under
 * the semantics it was read with (argument widths as the kernel reads them
 * or all 64 bits; the ENOSYS stub or not), which are reported. */
#ifndef SYSGATE_DECOMPILE_H
#define SYSGATE_DECOMPILE_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/arch.h"
#include "sysgate/diag.h"
#include "sysgate/diff.h"
#include "sysgate/learn.h"
#include "sysgate/symbolic.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sg_decompile_opts {
	const struct sg_arch *const *arches; /* the architectures to read; none: those the filter tells apart */
	size_t narches;
	enum sg_endian endian;               /* the byte order of arch values no known architecture has */
	enum sg_learn_format format;         /* OCI or SPO, as the learn stage writes them */
	const char *name;                    /* SPO: metadata.name; NULL: "decompiled" */
};

struct sg_decompiled {
	char *text;             /* the profile */
	size_t len;
	int arg_width_64;       /* compile it with --arg-width 64 (else the kernel's widths) */
	int enosys_off;         /* compile it with --enosys off */
	uint32_t bad_arch;      /* the action it needs for other architectures (--bad-arch) */
	int equivalent;         /* the diff stage proved the compiled profile equivalent */
	struct sg_diff diff;    /* else where they differ (the input is a, the profile b) */
};

/* 0 with *out filled (equivalent or not: out->equivalent says), or -1
 * with the reason in d (nothing a profile can say: a decision that depends
 * on the instruction pointer, an argument set no operator reaches, ...). */
int sg_decompile(const struct sg_sym_input *in, const struct sg_decompile_opts *o, struct sg_decompiled *out,
		 struct sg_diags *d);
void sg_decompiled_free(struct sg_decompiled *out);

#ifdef __cplusplus
}
#endif

#endif
