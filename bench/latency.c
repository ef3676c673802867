/* Latency per syscall class: each filter in its own forked child, pinned to
 * one CPU, which loads the filter (none, sysgate's, libseccomp's default or
 * binary-tree export, all with the profile's flags) and times batches of
 * calls. Filters take turns within each round, in an order that rotates from
 * round to round, so that machine noise hits them alike. The children report
 * through shared memory: a filter may deny write(2). */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "sysgate/arch.h"
#include "sysgate/emulate.h"
#include "sysgate/eval.h"
#include "sysgate/load.h"

#define UNKNOWN_OFFSET 1000 /* nr_base + 1000: above every syscall of every table */
#define WARMUP_BATCHES 2    /* per class and child, not recorded */
#define MAX_BATCHES 64

/* ---- choosing the calls -------------------------------------------------------------- */

static int kills(uint32_t action)
{
	uint32_t a = action & SG_RET_ACTION_FULL;
	return a == SG_RET_KILL_PROCESS || a == SG_RET_KILL_THREAD || a == SG_RET_TRAP;
}

static int is_errno(uint32_t action)
{
	return (action & SG_RET_ACTION_FULL) == SG_RET_ERRNO;
}

static uint32_t eval(const struct bench_profile *bp, uint32_t nr, const uint64_t args[6])
{
	const struct sg_arch_policy *ap;
	long rule;
	return sg_policy_eval(bp->pol, bp->pol->arches[0].arch->audit_arch, nr, args, SG_RET_KILL_PROCESS, &ap, &rule);
}

struct candidate {
	const char *name;
	uint64_t args[6];
	const char *label;
};

/* The first candidate whose action the test accepts. */
static int pick(const struct bench_profile *bp, struct class_pick *cp, const struct candidate *cands, size_t n,
		int (*accept)(uint32_t action, int argfree))
{
	const struct sg_arch_policy *ap = &bp->pol->arches[0];
	for (size_t i = 0; i < n; i++) {
		uint32_t nr;
		if (sg_syscall_nr(ap->arch, cands[i].name, &nr) != 0)
			continue;
		uint32_t act = eval(bp, nr, cands[i].args);
		int af = sg_argument_free(ap, nr);
		if (!accept(act, af))
			continue;
		cp->available = 1;
		cp->nr = nr;
		memcpy(cp->args, cands[i].args, sizeof(cp->args));
		cp->action = act;
		cp->argfree = af;
		snprintf(cp->label, sizeof(cp->label), "%s", cands[i].label);
		return 0;
	}
	return -1;
}

static int accept_cached(uint32_t act, int argfree) { return act == SG_RET_ALLOW && argfree; }
static int accept_allowed(uint32_t act, int argfree) { return (void)argfree, act == SG_RET_ALLOW; }
static int accept_errno(uint32_t act, int argfree) { return (void)argfree, is_errno(act); }

void pick_classes(struct bench *b, struct bench_profile *bp)
{
	const struct sg_arch_policy *ap = &bp->pol->arches[0];
	const struct sg_arch *native = ap->arch;
	char act[64];

	static const struct candidate cached[] = {
		{ "getppid", { 0 }, "getppid()" }, { "getpid", { 0 }, "getpid()" },
		{ "getuid", { 0 }, "getuid()" },   { "gettid", { 0 }, "gettid()" },
	};
	struct class_pick *cp = &bp->cls[C_CACHED];
	if (pick(bp, cp, cached, N(cached), accept_cached) != 0)
		snprintf(cp->why, sizeof(cp->why), "none of getppid, getpid, getuid, gettid is allowed without an argument rule");

	/* personality(0xffffffff) only queries the persona: harmless unfiltered */
	static const struct candidate pers[] = { { "personality", { 0xffffffffu }, "personality(0xffffffff)" } };
	cp = &bp->cls[C_ARGCHECK];
	if (pick(bp, cp, pers, N(pers), accept_allowed) != 0) {
		uint32_t nr;
		uint32_t a = sg_syscall_nr(native, "personality", &nr) == 0 ? eval(bp, nr, pers[0].args) : 0;
		sg_action_format(a, act, sizeof(act));
		snprintf(cp->why, sizeof(cp->why), "personality(0xffffffff) is not allowed (%s)", act);
	}

	/* denied: calls that are harmless when no filter stops them */
	static const struct candidate denied[] = {
		{ "syslog", { 10 }, "syslog(SIZE_BUFFER)" }, /* the log buffer's size */
		{ "uselib", { 0 }, "uselib(NULL)" },          /* EFAULT, or ENOSYS without CONFIG_USELIB */
		{ "quotactl", { 0 }, "quotactl(0, NULL, ...)" }, /* no such command: an error */
	};
	cp = &bp->cls[C_DENIED];
	if (pick(bp, cp, denied, N(denied), accept_errno) != 0)
		snprintf(cp->why, sizeof(cp->why), "none of syslog, uselib, quotactl gets ERRNO");

	cp = &bp->cls[C_UNKNOWN];
	uint32_t top = 0;
	for (size_t i = 0; i < native->nsyscalls; i++)
		if (sg_syscall_num(native, &native->by_name[i]) > top)
			top = sg_syscall_num(native, &native->by_name[i]);
	cp->nr = native->nr_base + UNKNOWN_OFFSET;
	snprintf(cp->label, sizeof(cp->label), "nr %u", cp->nr);
	cp->action = eval(bp, cp->nr, cp->args);
	cp->argfree = 1;
	cp->available = cp->nr > top && !kills(cp->action);
	if (cp->nr <= top)
		snprintf(cp->why, sizeof(cp->why), "%u is a syscall here", cp->nr);
	else if (!cp->available) {
		sg_action_format(cp->action, act, sizeof(act));
		snprintf(cp->why, sizeof(cp->why), "would end the process (%s)", act);
	}

	cp = &bp->cls[C_X32];
	const struct sg_arch *x32 = sg_arch_lookup("x32");
	uint32_t nr;
	if (strcmp(native->name, "x86_64") != 0 || !x32 || sg_syscall_nr(x32, "getppid", &nr) != 0) {
		snprintf(cp->why, sizeof(cp->why), "not an x86_64 host");
	} else {
		cp->nr = nr;
		snprintf(cp->label, sizeof(cp->label), "x32 getppid (0x%x)", nr);
		cp->action = eval(bp, nr, cp->args);
		cp->argfree = 1;
		cp->available = !kills(cp->action);
		if (!cp->available) {
			sg_action_format(cp->action, act, sizeof(act));
			snprintf(cp->why, sizeof(cp->why), "would end the process (%s)", act);
		}
	}

	/* each filter's own action and cost for the call, from the emulator */
	for (int k = 0; k < NCLASSES; k++) {
		cp = &bp->cls[k];
		for (int f = 0; f < NFILTERS && cp->available; f++) {
			struct cell *cl = &bp->cells[k][f];
			if (f == F_NONE) {
				cl->runnable = 1;
				cl->action = SG_RET_ALLOW;
				continue;
			}
			struct sg_seccomp_data d = { .nr = cp->nr, .arch = native->audit_arch };
			memcpy(d.args, cp->args, sizeof(d.args));
			const struct sg_prog *p = &bp->f[f].prog;
			cl->action = sg_bpf_run(p->insns, p->len, &d, native->endian, &cl->executed, NULL, 0);
			/* the kernel's cache covers numbers 0 .. its own count of
			 * native syscalls: not x32 numbers, not numbers above the table */
			cl->cached = cp->nr - native->nr_base < SG_SYSCALL_SPAN &&
				     sg_bpf_cacheable(p->insns, p->len, native->audit_arch, cp->nr);
			cl->runnable = !kills(cl->action);
			if (cl->action != cp->action) {
				char want[64];
				sg_action_format(cl->action, act, sizeof(act));
				sg_action_format(cp->action, want, sizeof(want));
				progress("note: %s %s: %s returns %s, the profile's rules say %s", bp->key, cp->label,
					 filter_name[f], act, want);
			}
		}
	}
	(void)b;
}

/* ---- the children ------------------------------------------------------------------------ */

struct child_out {
	volatile int done;
	char msg[256];
	long ret[NCLASSES];
	int err[NCLASSES];
	double ns[NCLASSES][MAX_BATCHES];
};

static void child(const struct bench *b, const struct bench_profile *bp, int f, struct child_out *out)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(b->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0) {
		snprintf(out->msg, sizeof(out->msg), "sched_setaffinity(CPU %d): %s", b->cpu, strerror(errno));
		_exit(1);
	}
	if (f != F_NONE) {
		struct sg_diags d;
		sg_diags_init(&d);
		int listener = -1;
		if (sg_load(&bp->f[f].prog, bp->pol->flags, &listener, &d) != 0) {
			snprintf(out->msg, sizeof(out->msg), "%s", d.n ? d.v[0].message : "sg_load failed");
			_exit(1);
		}
	}
	for (int k = 0; k < NCLASSES; k++) {
		const struct class_pick *cp = &bp->cls[k];
		if (!cp->available || !bp->cells[k][f].runnable)
			continue;
		long nr = (long)cp->nr, a0 = (long)cp->args[0], a1 = (long)cp->args[1], a2 = (long)cp->args[2],
		     a3 = (long)cp->args[3], a4 = (long)cp->args[4], a5 = (long)cp->args[5];
		errno = 0;
		out->ret[k] = syscall(nr, a0, a1, a2, a3, a4, a5);
		out->err[k] = out->ret[k] == -1 ? errno : 0;
		for (unsigned batch = 0; batch < WARMUP_BATCHES + b->batches; batch++) {
			double t0 = now_ns();
			for (unsigned i = 0; i < b->calls; i++)
				syscall(nr, a0, a1, a2, a3, a4, a5);
			double t1 = now_ns();
			if (batch >= WARMUP_BATCHES)
				out->ns[k][batch - WARMUP_BATCHES] = (t1 - t0) / b->calls;
		}
	}
	out->done = 1;
	_exit(0);
}

/* The call's first result in the child must be what the filter's action says. */
static int check_result(const struct bench_profile *bp, int k, int f, const struct child_out *out)
{
	const struct cell *cl = &bp->cells[k][f];
	if (f == F_NONE || !is_errno(cl->action))
		return 0;
	int want = (int)(cl->action & SG_RET_DATA);
	if (out->ret[k] == -1 && out->err[k] == want)
		return 0;
	fprintf(stderr, "bench: %s %s under %s returned %ld (errno %d); the filter says errno %d\n", bp->key,
		bp->cls[k].label, filter_name[f], out->ret[k], out->err[k], want);
	return -1;
}

static int run_child(const struct bench *b, struct bench_profile *bp, int f, struct child_out *out)
{
	memset(out, 0, sizeof(*out));
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid == 0)
		child(b, bp, f, out);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("waitpid");
			return -1;
		}
	if (!out->done) {
		fprintf(stderr, "bench: %s under %s: the child %s %d%s%s\n", bp->key, filter_name[f],
			WIFSIGNALED(status) ? "was killed by signal" : "exited with status",
			WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), out->msg[0] ? ": " : "", out->msg);
		return -1;
	}
	int rc = 0;
	for (int k = 0; k < NCLASSES; k++) {
		struct cell *cl = &bp->cells[k][f];
		if (!bp->cls[k].available || !cl->runnable)
			continue;
		if (!cl->observed) {
			cl->observed = 1;
			cl->ret = out->ret[k];
			cl->err = out->err[k];
		}
		rc |= check_result(bp, k, f, out);
		for (unsigned i = 0; i < b->batches; i++)
			samples_add(&cl->ns, out->ns[k][i]);
	}
	return rc;
}

int run_latency(struct bench *b)
{
	if (b->batches > MAX_BATCHES)
		b->batches = MAX_BATCHES;
	struct child_out *out = mmap(NULL, sizeof(*out), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (out == MAP_FAILED) {
		perror("mmap");
		return -1;
	}
	int rc = 0;
	progress("latency: %u rounds x %u batches x %u calls per class and filter, children pinned to CPU %d",
		 b->rounds, b->batches, b->calls, b->cpu);
	for (unsigned r = 0; r < b->rounds && rc == 0; r++) {
		double t0 = now_ns();
		for (size_t i = 0; i < b->nprof && rc == 0; i++) {
			struct bench_profile *bp = &b->prof[i];
			if (!bp->present)
				continue;
			for (int k = 0; k < NFILTERS && rc == 0; k++)
				rc = run_child(b, bp, (int)((k + r + i) % NFILTERS), out);
		}
		progress("latency: round %u/%u (%.1f s)", r + 1, b->rounds, (now_ns() - t0) / 1e9);
	}
	munmap(out, sizeof(*out));
	for (size_t i = 0; i < b->nprof; i++)
		for (int k = 0; k < NCLASSES; k++)
			for (int f = 0; f < NFILTERS; f++)
				summarize(&b->prof[i].cells[k][f].ns, &b->prof[i].cells[k][f].s);
	return rc;
}
