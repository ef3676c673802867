/* Divert stage: see include/sysgate/divert.h. */
#include "sysgate/divert.h"

#include <stdlib.h>
#include <string.h>

#include "sysgate/emulate.h"
#include "sysgate/seccomp.h"

static struct sg_insn stmt(uint16_t code, uint32_t k) { return (struct sg_insn){ code, 0, 0, k }; }

static struct sg_insn jump(uint16_t code, uint32_t k, size_t jt, size_t jf)
{
	return (struct sg_insn){ code, (uint8_t)jt, (uint8_t)jf, k };
}

/* Whether a return value refuses the call: everything but ALLOW and LOG
 * (a value that is no action, the kernel takes as KILL_PROCESS). */
static int refuses(uint32_t ret)
{
	uint32_t a = ret & SG_RET_ACTION_FULL;
	return a != SG_RET_ALLOW && a != SG_RET_LOG;
}

/* exit_group's numbers, grouped by audit value: at most SG_MAX_ARGS arches
 * are ever given (a family), so fixed sizes do. */
struct group {
	uint32_t audit;
	uint32_t nr[4];
	size_t n;
};

static size_t exit_groups(const struct sg_arch *const *arches, size_t narches, struct group *g, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < narches; i++) {
		uint32_t nr;
		if (sg_syscall_nr(arches[i], "exit_group", &nr))
			continue;
		size_t k = 0;
		while (k < n && g[k].audit != arches[i]->audit_arch)
			k++;
		if (k == n) {
			if (n == cap)
				continue;
			g[n++] = (struct group){ .audit = arches[i]->audit_arch };
		}
		if (g[k].n < sizeof(g[k].nr) / sizeof(*g[k].nr))
			g[k].nr[g[k].n++] = nr;
	}
	return n;
}

/* The prelude (see divert.h) into p; returns its length. p has room:
 * 1 + per group 3 + its numbers, + the notify return and the A reset. */
static size_t prelude(const struct group *g, size_t ngroups, struct sg_insn *p)
{
	size_t len = 1;
	for (size_t k = 0; k < ngroups; k++)
		len += 3 + g[k].n;
	size_t notify = len, original = len + 1, i = 0;
	p[i++] = stmt(SG_BPF_LD | SG_BPF_W | SG_BPF_ABS, SG_OFF_ARCH);
	for (size_t k = 0; k < ngroups; k++) {
		size_t next = i + 3 + g[k].n; /* the next group's test, or (last) the original */
		if (k + 1 == ngroups)
			next = original;
		p[i] = jump(SG_BPF_JMP | SG_BPF_JEQ | SG_BPF_K, g[k].audit, 0, next - i - 1);
		i++;
		p[i++] = stmt(SG_BPF_LD | SG_BPF_W | SG_BPF_ABS, SG_OFF_NR);
		for (size_t m = 0; m < g[k].n; m++, i++)
			p[i] = jump(SG_BPF_JMP | SG_BPF_JEQ | SG_BPF_K, g[k].nr[m], notify - i - 1, 0);
		p[i] = stmt(SG_BPF_JMP | SG_BPF_JA, (uint32_t)(original - i - 1));
		i++;
	}
	p[i++] = stmt(SG_BPF_RET | SG_BPF_K, SG_RET_USER_NOTIF);
	/* the original starts with A = 0, as the kernel starts a filter (AND
	 * with a constant: the cache emulator follows it) */
	p[i++] = stmt(SG_BPF_ALU | SG_BPF_AND | SG_BPF_K, 0);
	return i;
}

/* Copies in, refusals turned into notifications. */
static int divert_returns(const struct sg_prog *in, struct sg_insn *out, struct sg_diags *d)
{
	for (size_t i = 0; i < in->len; i++) {
		struct sg_insn x = in->insns[i];
		if (x.code == (SG_BPF_RET | SG_BPF_A))
			return sg_error(d, NULL, NULL, "instruction %zu returns a computed value (ret a): what the "
							"filter refuses cannot be known, so it cannot be diverted", i);
		if (x.code == (SG_BPF_RET | SG_BPF_K) && (x.k & SG_RET_ACTION_FULL) == SG_RET_USER_NOTIF)
			return sg_error(d, NULL, NULL, "the filter itself returns SCMP_ACT_NOTIFY (instruction %zu): "
							"its notifications would reach sysgate's supervisor, not their agent", i);
		if (x.code == (SG_BPF_RET | SG_BPF_K) && refuses(x.k))
			x.k = SG_RET_USER_NOTIF;
		out[i] = x;
	}
	return 0;
}

int sg_divert(const struct sg_prog *in, const struct sg_arch *const *arches, size_t narches, struct sg_prog *out,
	      struct sg_diags *d)
{
	struct group g[SG_MAX_ARGS];
	size_t ngroups = exit_groups(arches, narches, g, SG_MAX_ARGS), room = 3;
	char why[160];
	for (size_t k = 0; k < ngroups; k++)
		room += 3 + g[k].n;
	out->insns = NULL;
	out->len = 0;
	if (sg_bpf_check(in->insns, in->len, why, sizeof(why)))
		return sg_error(d, NULL, NULL, "the kernel would refuse this filter: %s", why);
	if (in->len + room > SG_BPF_MAXINSNS)
		return sg_error(d, NULL, NULL, "the filter has %zu instructions: with the %zu the supervisor adds, more "
					       "than the kernel's %d", in->len, room, SG_BPF_MAXINSNS);
	struct sg_insn *p = malloc((in->len + room) * sizeof(*p));
	if (!p)
		return sg_oom(d, NULL);
	size_t n = ngroups ? prelude(g, ngroups, p) : 0;
	if (divert_returns(in, p + n, d)) {
		free(p);
		return -1;
	}
	out->insns = p;
	out->len = n + in->len;
	return 0;
}
