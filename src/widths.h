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

/* Warns where rule ri's conditions, read with reads, mean something else
 * than their 64-bit reading; warned[k] marks condition k as done. */
void sg_widths_warn(const struct sg_profile *p, size_t ri, const struct sg_arch *arch, uint32_t nr, uint16_t reads,
		    unsigned char *warned, struct sg_diags *d);

#endif
