/* Argument widths for the resolve stage (widths.c). Internal to the library. */
#ifndef SYSGATE_SRC_WIDTHS_H
#define SYSGATE_SRC_WIDTHS_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/diag.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"

/* sg_arch_rule.reads for the call numbered nr on arch: each argument as
 * the kernel reads it (SG_READ_WORD where it declares none narrower). */
uint16_t sg_widths_reads(const struct sg_arch *arch, uint32_t nr);
/* The same for the call named name, a pointer into sg_name_pool (one
 * lookup of its declaration for all its arguments). */
uint16_t sg_widths_reads_named(const struct sg_arch *arch, const char *name);

/* args.c: what sg_syscall_arg says of each of the six arguments of the
 * call named name (a pointer into sg_name_pool) into out: how many the
 * call takes, or -1 when sysgate has no declaration for it. */
int sg_syscall_args_named(const struct sg_arch *arch, const char *name, struct sg_arg_decl out[6]);

/* Warns where rule ri's conditions, read with reads, mean something else
 * than their 64-bit reading; warned[k] marks condition k as done. */
void sg_widths_warn(const struct sg_profile *p, size_t ri, const struct sg_arch *arch, uint32_t nr, uint16_t reads,
		    unsigned char *warned, struct sg_diags *d);

#endif
