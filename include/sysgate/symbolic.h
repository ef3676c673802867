/* Symbolic stage: classic-BPF seccomp programs run on every input at once.
 *
 * seccomp_data is 16 unknown 32-bit words (nr, arch, the instruction
 * pointer's two, two per argument). The programs libseccomp, sysgate and
 * the kernel's own users write only load words, mask them with AND and
 * compare them with constants (JEQ, JGT, JGE, JSET), so every path through
 * them is a conjunction of atoms (word & mask) OP k, one word at a time,
 * and whether such a conjunction has a solution is decided exactly (a
 * search over the word's bits). Running several stacks of filters on the
 * same unknowns splits the input space into regions, on each of which
 * every stack returns one value: what `diff` compares and `decompile`
 * writes. What falls outside (arithmetic on a loaded word, a compare of
 * two loaded words, RET A of one) makes its region undecided, never
 * guessed. */
#ifndef SYSGATE_SYMBOLIC_H
#define SYSGATE_SYMBOLIC_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/bpf.h"
#include "sysgate/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SG_SYM_WORDS 16 /* seccomp_data in 32-bit words: offset / 4 */
#define SG_SYM_WORD_NR 0
#define SG_SYM_WORD_ARCH 1

enum sg_sym_op { SG_SYM_EQ, SG_SYM_NE, SG_SYM_GE, SG_SYM_LT };

/* (word & mask) op k, unsigned */
struct sg_sym_atom {
	uint8_t word, op;
	uint32_t mask, k;
};

/* A stack of filters as the kernel runs it: progs[0] the newest. */
struct sg_sym_input {
	const struct sg_prog *progs;
	size_t n;
};

/* One region of the input space: the atoms that define it (a conjunction,
 * satisfiable unless `unsure`), and what each input returns on all of it
 * (the stack's combined return value, as seccomp_run_filters picks it). */
struct sg_sym_region {
	const struct sg_sym_atom *atoms;
	size_t natoms;
	const uint32_t *ret;   /* one per input */
	int unsure;            /* a word's satisfiability exceeded the search budget */
	const char *undecided; /* non-NULL: why the returns are unknown here (ret unset) */
};

/* Called for each region; nonzero stops the exploration. */
typedef int (*sg_sym_visit)(void *ctx, const struct sg_sym_region *r);

/* Explores every region of the inputs, restricted to where the `npre`
 * atoms hold. Each input must have passed sg_bpf_check. 0 when every
 * region was visited, 1 when the visitor stopped, -1 on a failure said in
 * d (out of memory, more paths than a program of 4096 instructions per
 * filter can sensibly have). */
int sg_sym_explore(const struct sg_sym_input *in, size_t nin, const struct sg_sym_atom *pre, size_t npre,
		   sg_sym_visit visit, void *ctx, struct sg_diags *d);

/* Whether the atoms on `word` have a solution: 1 (the smallest in *out if
 * out is not NULL), 0 none, -1 undecided (the search budget ran out) or
 * out of memory. Atoms on other words are ignored. */
int sg_sym_solve(const struct sg_sym_atom *atoms, size_t n, unsigned word, uint32_t *out);

/* The values of `word` that satisfy the atoms on it, as maximal intervals
 * in ascending order, each passed to emit (nonzero stops). 0, 1 stopped,
 * -1 undecided or out of memory. */
int sg_sym_intervals(const struct sg_sym_atom *atoms, size_t n, unsigned word,
		     int (*emit)(void *ctx, uint32_t first, uint32_t last), void *ctx);

/* What the kernel does with a return value: the action kept; data kept
 * only where it is used (ERRNO, clamped to MAX_ERRNO as the kernel does;
 * TRAP; TRACE); an action the kernel does not know kills the process. Two
 * values with the same effect are the same decision. */
uint32_t sg_sym_effect(uint32_t ret);

#ifdef __cplusplus
}
#endif

#endif
