/* Plan stage: per-architecture rules -> a decision graph.
 *
 * For each audit arch the 32-bit syscall number space is cut into maximal
 * runs of numbers that share one decision (numbers without rules take the
 * default action, or the ENOSYS stub's: resolve.h), and a binary search over the run boundaries picks the
 * run: JGE splits (the runs cover the space, so no leaf needs an equality
 * test), and one JEQ where runs "A x A" surround a single number x.
 * x86_64 and x32 share an audit arch: their runs meet at 0x40000000, so a
 * number of one ABI never reaches the other's rules.
 * Number -1 (tracers skipping a call) takes the default action. A syscall
 * with argument rules gets a block that tries its rules in the order resolve
 * left them (most restrictive action first, see resolve.h):
 * the first whose conditions all hold decides, else the default. 64-bit
 * argument tests are lowered to 32-bit word tests (plan_args.c), an argument
 * the kernel reads narrower to tests of its low word alone. Every node is hash-consed,
 * so identical blocks and returns exist once. */
#ifndef SYSGATE_PLAN_H
#define SYSGATE_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/diag.h"
#include "sysgate/resolve.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sg_compile_opts {
	uint32_t bad_arch_action; /* for an arch the profile does not target */
};

/* KILL_PROCESS for a foreign arch. */
void sg_compile_opts_init(struct sg_compile_opts *o);

enum sg_node_kind { SG_NODE_RET, SG_NODE_TEST };

/* A node is a return, or a test "A = word at off (& mask); if (A op k) jt else jf".
 * The emitter leaves the load out when every path in already left A so. */
struct sg_node {
	enum sg_node_kind kind;
	uint32_t ret;    /* SG_NODE_RET: SECCOMP_RET_* value */
	uint8_t off;     /* offset in seccomp_data */
	uint8_t op;      /* SG_BPF_JEQ, SG_BPF_JGT, SG_BPF_JGE or SG_BPF_JSET */
	uint32_t mask;   /* 0xffffffff: no AND */
	uint32_t k;
	uint32_t jt, jf; /* node indexes; always smaller than this node's */
};

struct sg_plan {
	struct sg_node *nodes;
	size_t nnodes, cap;
	uint32_t root;
	size_t runs; /* number runs over all audit arches, for statistics */
	/* hash-consing index: node index + 1 per slot, 0 empty */
	uint32_t *slots;
	size_t nslots;
};

struct sg_plan *sg_plan_build(const struct sg_policy *pol, const struct sg_compile_opts *o, struct sg_diags *d);
void sg_plan_free(struct sg_plan *plan);

#ifdef __cplusplus
}
#endif

#endif
