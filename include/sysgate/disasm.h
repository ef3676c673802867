/* Disassemble stage: a seccomp BPF program as readable text. */
#ifndef SYSGATE_DISASM_H
#define SYSGATE_DISASM_H

#include <stddef.h>
#include <stdio.h>

#include "sysgate/arch.h"
#include "sysgate/bpf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes one line per instruction with labels for jump targets, the
 * architecture a compared AUDIT_ARCH value names, the syscall a compared
 * number names (on the arch the preceding arch test selected), the field a
 * load reads (nr, arch, args[i] hi/lo) and action names for returns. */
void sg_disasm(FILE *out, const struct sg_insn *prog, size_t len);

/* One instruction into buf, without context (for traces): the same text as
 * its sg_disasm line minus the index, but no architecture or syscall names,
 * and argument halves named as on a little-endian arch. "" if i >= len. */
void sg_disasm_insn(char *buf, size_t n, const struct sg_insn *prog, size_t len, size_t i);

/* The instructions one run executed (trace: their indexes into prog, in
 * order), one "PREFIX%04u: text" line each, named as on arch, the
 * architecture the run's data was for (NULL: unknown; halves then as on a
 * little-endian arch): argument words by their half in arch's byte order,
 * compared numbers by the syscall they name, as far as the path itself
 * shows what the accumulator holds. */
void sg_disasm_trace(FILE *out, const char *prefix, const struct sg_insn *prog, size_t len, const uint32_t *trace,
		     size_t n, const struct sg_arch *arch);

#ifdef __cplusplus
}
#endif

#endif
