/* Emulate stage: run a seccomp classic-BPF program the way the kernel does,
 * after checking it with the kernel's rules, and predict which syscalls the
 * kernel's action cache will allow without running the filter. */
#ifndef SYSGATE_EMULATE_H
#define SYSGATE_EMULATE_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/arch.h"
#include "sysgate/bpf.h"
#include "sysgate/seccomp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The checks the kernel makes when a filter is attached (seccomp_check_filter
 * and bpf_check_classic): 1..4096 instructions, only opcodes seccomp allows,
 * loads of 4 bytes at aligned offsets inside seccomp_data, jumps inside the
 * program, scratch memory written before it is read, last instruction a
 * return. 0 if accepted, else -1 with the reason and instruction index in why. */
int sg_bpf_check(const struct sg_insn *prog, size_t len, char *why, size_t whylen);

/* Runs a checked program; returns the SECCOMP_RET_* value. If trace is not
 * NULL, the indexes of executed instructions are written to it (at most
 * tracecap); *executed (if not NULL) counts them all. An unchecked program
 * never reads out of bounds: whatever the checker would refuse returns
 * SECCOMP_RET_KILL_PROCESS. */
uint32_t sg_bpf_run(const struct sg_insn *prog, size_t len, const struct sg_seccomp_data *d, enum sg_endian e,
		    size_t *executed, uint32_t *trace, size_t tracecap);

/* A stack of filters as the kernel runs it (kernel/seccomp.c,
 * seccomp_run_filters): every filter, the newest first (progs[0]); the
 * action of the highest precedence wins (KILL_PROCESS over KILL_THREAD over
 * TRAP, ERRNO, USER_NOTIF, TRACE, LOG, ALLOW), the newer among equal
 * actions. *which (if not NULL) is the deciding filter; 0 when all allow. */
uint32_t sg_bpf_run_stack(const struct sg_prog *progs, size_t n, const struct sg_seccomp_data *d, enum sg_endian e,
			  size_t *which);

/* A port of the kernel's seccomp_is_const_allow (kernel/seccomp.c): true when
 * the program returns SECCOMP_RET_ALLOW for (arch, nr) whatever the arguments
 * and instruction pointer, using only the instructions the kernel's cache
 * emulator understands, so the kernel skips the filter for that syscall. */
int sg_bpf_cacheable(const struct sg_insn *prog, size_t len, uint32_t arch, uint32_t nr);

/* The fields of seccomp_data, as bits of a mask. */
#define SG_FIELD_NR 0x001u
#define SG_FIELD_ARCH 0x002u
#define SG_FIELD_IP 0x004u
#define SG_FIELD_ARG(i) (0x008u << (i)) /* i = 0..5 */
#define SG_FIELD_ALL 0x1ffu

#define SG_ANSWERS_MAX 8

/* What a program can return for a call of which only some fields are known. */
struct sg_bpf_answers {
	uint32_t ret[SG_ANSWERS_MAX]; /* distinct return values, in the order first reached */
	size_t n;
	int open;          /* others are possible too: a RET A of a value that depends on an
			    * unknown field, or more than SG_ANSWERS_MAX values */
	unsigned unknown;  /* SG_FIELD_* bits of the unknown fields a reachable instruction loads */
};

/* Every value a checked program can return when the fields that `known`
 * names (SG_FIELD_*) hold their values in *d and the others may hold
 * anything: the paths the known values select are followed, both ways out
 * of a test on an unknown value are taken, and where paths meet, a register
 * or scratch word that differs between them becomes unknown. The result is
 * a superset of what the program can return: when it holds one value and is
 * not open, that value is the answer for every value of the unknown fields
 * (a program that never tests an unknown field always gets there). 0, or
 * -1 when sg_bpf_check refuses the program or memory runs out. */
int sg_bpf_answers(const struct sg_insn *prog, size_t len, const struct sg_seccomp_data *d, unsigned known,
		   enum sg_endian e, struct sg_bpf_answers *out);

#ifdef __cplusplus
}
#endif

#endif
