/* The plan stage's planner, shared by its two halves: plan.c builds the
 * number search and the syscall blocks, plan_args.c lowers conditions on
 * arguments to word tests. Internal to the library. */
#ifndef SYSGATE_SRC_PLAN_IMPL_H
#define SYSGATE_SRC_PLAN_IMPL_H

#include <stdint.h>

#include "sysgate/bpf.h"
#include "sysgate/plan.h"
#include "sysgate/resolve.h"
#include "sysgate/seccomp.h"

#define WORD 0xffffffffu

/* The planner: the plan being built, and one failure signal. An allocation
 * that fails calls sg_planner_failed; from then on every builder returns at
 * once (node 0, which nothing will use) and sg_plan_build reports it. */
struct planner {
	struct sg_plan *plan;
	int failed;
	struct ret_seen {
		uint32_t action, node;
	} rets[8]; /* the return nodes made so far (the first 8) */
	size_t nrets, last; /* last: the one ret_node found last */
};

uint32_t sg_planner_failed(struct planner *pl);
/* "if ((word(off) & mask) op k) jt else jf", folded when both ways agree. */
uint32_t sg_planner_test(struct planner *pl, unsigned off, uint32_t mask, unsigned op, uint32_t k, uint32_t jt,
			 uint32_t jf);

/* plan_args.c: (word & mask) == value as the cheapest test that decides it;
 * an argument's word offsets in seccomp_data; whether v is a value an
 * argument read as rd can have (resolve.h, sg_arg_canon); one condition of
 * a rule, t when it holds, else f. */
uint32_t sg_planner_word_eq(struct planner *pl, unsigned off, uint32_t mask, uint32_t value, uint32_t t, uint32_t f);
void sg_planner_arg_words(const struct sg_arch *arch, unsigned index, unsigned *lo, unsigned *hi);
int sg_planner_narrow_holds(uint64_t v, enum sg_arg_read rd);
uint32_t sg_planner_cond(struct planner *pl, const struct sg_arch *arch, const struct sg_cond *cd, enum sg_arg_read rd,
			 uint32_t t, uint32_t f);

#endif
