/* Differential test: sysgate's compiled filters against libseccomp's, built
 * from the same profiles, both run through sysgate's BPF emulator and both
 * compared with sg_policy_eval, the reference semantics.
 *
 * libseccomp (2.5.4, Debian's libseccomp-dev) is an independent oracle: its
 * filter is built from the parsed profile with libseccomp's own syscall
 * tables and rule handling, the way runc does it (a rule whose action equals
 * the default is skipped, a rule that tests one argument twice becomes one
 * rule per condition, the bad-arch action is KILL_PROCESS). Only the choice
 * of rules (Docker's includes/excludes: sg_policy.rule_used) and the errno
 * numbers of errno names come from sysgate. Two libseccomp filters are
 * compared: the default linear one and SCMP_FLTATR_CTL_OPTIMIZE = 2 (binary
 * tree). libseccomp's API level is set to 6, not probed: the filters are only
 * exported (seccomp_export_bpf, in the target's byte order), never loaded.
 *
 * Usage: test_libseccomp [SHARED_DIR]   (the corpus is SHARED_DIR/corpus;
 * without it the corpus is skipped with a message)
 *   SYSGATE_QUICK=1       (the valgrind pass) each profile on two arch sets,
 *                         in turn, so that every set still runs, and a tenth
 *                         of the random inputs (never the number sweep)
 *   SYSGATE_JOBS=N        threads (default: one per core, at most 8)
 *   SYSGATE_SHOW_NAMED=1  also print inputs where a named difference shows
 *
 * Profiles: the *.json files in profiles/, the corpus (not libcontainer's format), and
 * profiles written here (synthetic-*: every operator on 64-bit constants,
 * edge constants, overlapping rules, four random ones), which are saved next
 * to the binary so that the printed explain command lines work.
 *
 * Arch sets: x86_64+x86+x32 (Docker on an x86_64 host), aarch64, arm,
 * riscv64, s390x, ppc64le and mips alone; with a quarter of the random
 * inputs: x86_64 alone (x32 numbers are then a foreign ABI), ppc64, s390,
 * ppc, mipsel64n32, and the profile's own architectures/archMap on x86_64,
 * aarch64 and mips64 hosts (worked out here as Docker and runc do, and
 * compared with the targets sysgate chose). minKernel is compared with 6.1,
 * not the running kernel.
 *
 * Inputs, per profile and target architecture:
 *   - every number from the arch's base to base+600, with zero arguments;
 *     for x86_64 without x32, also the x32 numbers 0x40000000|nr;
 *   - nr -1 (a tracer's "skip"), numbers just below the base, large numbers;
 *   - the other supported architectures' audit values (bad-arch action);
 *   - random arguments for every syscall that has conditions (100000 inputs
 *     in all), drawn from the conditions' constants (value, valueTwo) +-1, 0,
 *     ~0, 0xffffffff, 0x100000000, 0x7fffffff, 0x80000000, words of one
 *     constant mixed with words of another, masked matches with random
 *     other bits, and random 64-bit values.
 * 32-bit ABI: zero-extended arguments. Where arch->bits == 32 the kernel
 * zero-extends a 32-bit argument into seccomp_data's 64-bit slot, so the
 * arguments are drawn with the high word zero; except x32, whose 64-bit
 * registers reach seccomp_data whole (a quarter of its inputs keep their
 * high words; see D_X32_WIDE).
 *
 * Deliberate differences are named (enum diff below) and decided before any
 * input runs; inputs that fall into one are checked against sg_policy_eval
 * instead of libseccomp. Everything else that differs is a failure, printed
 * with the command that reproduces it (build/sysgate explain). sysgate's own
 * filter must agree with sg_policy_eval on every input.
 *
 * libseccomp behaviour accommodated (beyond the named differences):
 *   - a cross-endian export (s390x, ppc, mips from this x86_64 host) has
 *     the returns it duplicates for long jumps in host byte order
 *     (repair_cross_endian, in lsc_build.c);
 *   - x86_64 needs no native-arch removal; for the other sets the native
 *     arch is removed before the targets are added (libseccomp refuses to
 *     mix byte orders), and a profile whose own arch list mixes them is
 *     skipped for that host (runc could not load it either). */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "lsc_build.h"
#include "sysgate/arch.h"
#include "sysgate/decompile.h"
#include "sysgate/diff.h"
#include "sysgate/emit.h"
#include "sysgate/emulate.h"
#include "sysgate/eval.h"
#include "sysgate/plan.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SWEEP 600          /* numbers base .. base+SWEEP */
#define INPUTS 100000      /* per profile and target arch; a tenth with SYSGATE_QUICK */
#define MAX_SHOWN 5        /* mismatches printed per profile and arch set */
#define MAX_SHOWN_TOTAL 40 /* and in all */
#define KERNEL_MAJOR 6     /* minKernel is compared with this, not the host's kernel */
#define KERNEL_MINOR 1
#define X32_BIT 0x40000000u
#define ARM_PRIVATE 0x0f0000u /* __ARM_NR_BASE */
#define BAD_ARCH SG_RET_KILL_PROCESS
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#else
#define SANITIZED 0
#endif

/* ---- the named deliberate differences ------------------------------------ */

enum diff {
	D_NONE,
	/* One syscall has rules with different actions. sysgate: of the rules
	 * whose conditions hold, the most restrictive action decides (README:
	 * "when several rules match"). libseccomp merges a syscall's rules its
	 * own way: of two unconditional rules the first added wins, whatever
	 * its action; an unconditional rule overrides the conditional ones.
	 * Deliberate, but one-sided: on these inputs sysgate must never be more
	 * permissive than either libseccomp filter (checked). */
	D_PRECEDENCE,
	/* A name the profile uses that libseccomp 2.5.4's tables do not have
	 * on this arch (newer syscalls), so libseccomp (and runc) skip the
	 * rule and the syscall takes the default action. */
	D_LIB_UNKNOWN,
	/* libseccomp rewrites a rule for a socket or SysV IPC call on an arch
	 * with the socketcall/ipc multiplexers (x86, s390x, ppc, mips o32)
	 * into an extra rule on the multiplexer with arg0 == the call's
	 * number; sysgate gives the multiplexer only the rules that name it. */
	D_MUX,
	/* A 32-bit ABI and a condition whose constant has a non-zero high word:
	 * both compare only the low 32 bits (sysgate warns); named so these
	 * inputs are counted, and they must match. */
	D_32BIT_CONST,
	/* x32 with an argument whose high word is not zero. x32 passes 64-bit
	 * registers and seccomp_data holds them whole (no zero-extension, unlike
	 * the compat ABIs); libseccomp and sysgate both model x32 as a 32-bit
	 * ABI and compare only the low word; they must match. */
	D_X32_WIDE,
	/* libseccomp 2.5.4 bug: one syscall, two rules (after runc's split)
	 * comparing the same argument with ordering operators, one of them LT
	 * or LE. Its merged 64-bit chains reach a high-word test with the low
	 * word still in the accumulator (no reload), e.g. rules "arg1 < 5" and
	 * "arg1 >= 0x100000000" (both KILL, default ALLOW) kill arg1 = 7.
	 * Found by this test (synthetic-random*); pairs of single-condition
	 * rules fail for LT or LE with LT, LE, GE or GT when one of the two
	 * constants is 2^32 or more; other pairs do not. */
	D_LIB_ORDER,
	/* MASKED_EQ whose valueTwo has bits outside the mask. libseccomp
	 * (so runc and crun) masks the datum too, (arg & mask) == (valueTwo &
	 * mask); sysgate compares (arg & mask) == valueTwo, which never holds.
	 * Not deliberate: reported as a sysgate bug, so these inputs still
	 * fail (diff_is_bug); they are named to make the failure readable. */
	D_MASKED_OUTSIDE,
	ND
};

static const char *const diff_name[ND] = {
	[D_NONE] = "none",
	[D_PRECEDENCE] = "rule precedence (sysgate: the most restrictive matching rule)",
	[D_LIB_UNKNOWN] = "syscall unknown to libseccomp 2.5.4 on this arch (rule skipped)",
	[D_MUX] = "socketcall/ipc multiplexer rewrite (must match)",
	[D_32BIT_CONST] = "32-bit ABI: constant with a non-zero high word",
	[D_LIB_ORDER] = "libseccomp bug: LT/LE with another ordering rule, same arg",
	[D_X32_WIDE] = "x32: argument with a non-zero high word",
	[D_MASKED_OUTSIDE] = "MASKED_EQ valueTwo with bits outside the mask (must match)",
};
static const char *const diff_tag[ND] = {
	[D_PRECEDENCE] = "precedence", [D_LIB_UNKNOWN] = "lib-unknown", [D_MUX] = "mux",
	[D_32BIT_CONST] = "32bit-const", [D_LIB_ORDER] = "lib-order-bug", [D_X32_WIDE] = "x32-wide", [D_MASKED_OUTSIDE] = "masked-outside",
};
/* Differences that are failures all the same: sysgate bugs, reported. */
static const int diff_is_bug[ND] = { [D_MASKED_OUTSIDE] = 1, [D_MUX] = 1, [D_32BIT_CONST] = 1, [D_X32_WIDE] = 1 };
static size_t diff_inputs[ND], diff_differ[ND];

/* Jobs (one profile, one arch set) run on a thread per core; results, the
 * CHECK counters and the totals are updated under this lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
#define TCHECK(...)                          \
	do {                                 \
		pthread_mutex_lock(&lock);   \
		CHECK(__VA_ARGS__);          \
		pthread_mutex_unlock(&lock); \
	} while (0)

/* ---- random numbers (a fixed seed per job: reproducible) ------------------ */

static _Thread_local uint64_t rng_state;

static uint64_t rnd(void) { return splitmix64(&rng_state); }

/* ---- growable arrays -------------------------------------------------------- */

struct u64s {
	uint64_t *v;
	size_t n, cap;
};

static void push(struct u64s *a, uint64_t x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 32;
		a->v = realloc(a->v, a->cap * sizeof(*a->v));
		if (!a->v) {
			perror("realloc");
			exit(2);
		}
	}
	a->v[a->n++] = x;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void sort_unique(struct u64s *a)
{
	if (!a->n)
		return;
	qsort(a->v, a->n, sizeof(*a->v), cmp_u64);
	size_t k = 1;
	for (size_t i = 1; i < a->n; i++)
		if (a->v[i] != a->v[k - 1])
			a->v[k++] = a->v[i];
	a->n = k;
}

static int contains(const struct u64s *a, uint64_t x)
{
	return a->n && bsearch(&x, a->v, a->n, sizeof(*a->v), cmp_u64) != NULL;
}

/* libseccomp's pseudo numbers for the multiplexed socket calls (-101..-120)
 * and SysV IPC calls (-201..-224): it adds a rule on the multiplexer. */
static int mux_pseudo(int nr)
{
	return (nr <= -101 && nr >= -120) || (nr <= -201 && nr >= -224);
}

/* ---- one test target --------------------------------------------------------- */

#define MAX_SET SG_MAX_ARCHES

struct arch_set {
	const char *label;
	const char *names[MAX_SET]; /* the targets, the first playing the host */
	const char *host;           /* or: on this host, the targets the profile names */
	unsigned share;             /* random inputs: INPUTS / share per arch (extra sets: 4) */
	int first;                  /* resolved with --precedence first, the opt-out */
	int kernel;                 /* sysgate's own semantics (argument widths, the ENOSYS stub):
				       libseccomp sees each argument as the kernel reads it; the
				       other sets resolve with --arg-width 64 --enosys off, runc's */
};

static const struct arch_set arch_sets[] = {
	{ "x86_64+x86+x32", { "x86_64", "x86", "x32" }, NULL, 1, 0, 0 }, /* Docker on an x86_64 host */
	{ "aarch64", { "aarch64" }, NULL, 1, 0, 0 },
	{ "arm", { "arm" }, NULL, 1, 0, 0 },
	{ "riscv64", { "riscv64" }, NULL, 1, 0, 0 },
	{ "s390x", { "s390x" }, NULL, 1, 0, 0 },
	{ "ppc64le", { "ppc64le" }, NULL, 1, 0, 0 },
	{ "mips", { "mips" }, NULL, 1, 0, 0 },
	/* extra sets, a quarter of the random inputs: their arches are covered
	 * above, or they add an ABI the issue does not ask for */
	{ "x86_64", { "x86_64" }, NULL, 4, 0, 0 },           /* x32 numbers are a foreign ABI here */
	{ "ppc64", { "ppc64" }, NULL, 4, 0, 0 },             /* big-endian, 64-bit */
	{ "s390", { "s390" }, NULL, 4, 0, 0 },               /* big-endian, 31-bit, multiplexers */
	{ "ppc", { "ppc" }, NULL, 4, 0, 0 },                 /* big-endian, 32-bit */
	{ "mipsel64n32", { "mipsel64n32" }, NULL, 4, 0, 0 }, /* little-endian, 32-bit pointers in 64-bit registers */
	/* the profile's own architectures/archMap, worked out here as runc and
	 * Docker do and compared with what sysgate chose */
	{ "profile@x86_64", { NULL }, "x86_64", 4, 0, 0 },
	{ "profile@aarch64", { NULL }, "aarch64", 4, 0, 0 },
	{ "profile@mips64", { NULL }, "mips64", 4, 0, 0 },
	/* the opt-out, --precedence first: the same differences are named, but
	 * first-match may be more permissive than libseccomp there (that is why
	 * it is not the default), so only the one-sided check is left out */
	{ "x86_64+x86+x32 first", { "x86_64", "x86", "x32" }, NULL, 4, 1, 0 },
	/* the default semantics, every arch family, both byte orders */
	{ "x86_64+x86+x32 kernel", { "x86_64", "x86", "x32" }, NULL, 2, 0, 1 },
	{ "aarch64 kernel", { "aarch64" }, NULL, 4, 0, 1 },
	{ "arm kernel", { "arm" }, NULL, 4, 0, 1 },
	{ "riscv64 kernel", { "riscv64" }, NULL, 4, 0, 1 },
	{ "s390x kernel", { "s390x" }, NULL, 4, 0, 1 },
	{ "s390 kernel", { "s390" }, NULL, 4, 0, 1 },
	{ "ppc64le kernel", { "ppc64le" }, NULL, 4, 0, 1 },
	{ "ppc64 kernel", { "ppc64" }, NULL, 4, 0, 1 },
	{ "mips kernel", { "mips" }, NULL, 4, 0, 1 },
	{ "mips64 kernel", { "mips64" }, NULL, 4, 0, 1 },
};

/* An argument as the kernel reads it (arch.h's declarations, read here
 * apart from resolve): the low bits, sign-extended for a signed type. The
 * register a C caller passes for that value, so libseccomp's 64-bit
 * compare of it is what the profile means. */
static uint64_t kernel_view(const struct sg_arch *arch, uint32_t nr, unsigned i, uint64_t a)
{
	struct sg_arg_decl decl;
	if (sg_syscall_arg(arch, nr, i, &decl) != 1 || decl.bits >= arch->bits)
		return a;
	uint64_t m = decl.bits == 16 ? 0xffffu : 0xffffffffu, low = a & m;
	return decl.is_signed && (low >> (decl.bits - 1) & 1) ? low | ~m : low;
}

/* Docker: the host's archMap entry and its subArchitectures; runc with a
 * flat list: the native arch (libseccomp always keeps it) and the list. */
static size_t profile_targets(const struct sg_profile *p, const struct sg_arch *host, const struct sg_arch **out)
{
	size_t n = 0;
	const struct sg_arch *cand[2 * MAX_SET + 1];
	cand[n++] = host;
	if (p->has_archmap) {
		for (size_t i = 0; i < p->narchmap; i++)
			if (p->archmap[i].arch == host)
				for (size_t j = 0; j < p->archmap[i].nsubs && n < N(cand); j++)
					cand[n++] = p->archmap[i].subs[j];
	} else {
		for (size_t i = 0; i < p->narches && n < N(cand); i++)
			cand[n++] = p->arches[i];
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < m && out[j] != cand[i])
			j++;
		if (j == m && m < MAX_SET)
			out[m++] = cand[i];
	}
	return m;
}

struct lib_filter {
	const char *label; /* "libseccomp", "libseccomp-tree" */
	struct sg_prog prog;
};

/* Per target arch: which numbers fall into which named difference. */
struct arch_info {
	const struct sg_arch *arch;
	uint32_t token;
	int x32;
	struct u64s diff[ND]; /* sorted numbers */
	struct u64s cond_nrs; /* numbers with conditional rules */
	struct u64s seen[2];  /* numbers where sampling saw sysgate and libseccomp[i] differ */
};

struct target {
	const char *file;
	const struct sg_profile *p;
	const struct arch_set *set;
	const struct sg_arch *arches[MAX_SET];
	size_t narches;
	struct sg_policy *pol;
	struct sg_prog sg;
	struct lib_filter lib[2];
	struct arch_info info[MAX_SET];
	size_t inputs, mismatches, shown, shown_named[ND], sg_wrong;
	size_t more_permissive; /* D_PRECEDENCE inputs where sysgate allows more than libseccomp: must be 0 */
	size_t stubbed;         /* kernel sets: inputs the ENOSYS stub answers */
	size_t covered[ND], differ[ND];
	size_t repaired; /* libseccomp returns in the wrong byte order, swapped back */
	size_t lib_unknown, lib_refused; /* names libseccomp does not know; rules it refuses */
	size_t exact;    /* runs of differing inputs sysgate diff's engine found */
	size_t decompiled; /* of libseccomp's filters, those decompiled and proven equivalent */
	char out[1024];  /* the result line */
};

static unsigned long quick_div = 1;
static size_t shown_total; /* under lock */
static int show_named;
static const char *const lib_labels[2] = { "libseccomp", "libseccomp-tree" };

static void print_cmd(const struct target *t, size_t k, uint32_t nr, const uint64_t args[6])
{
	if (k >= t->narches) {
		fprintf(stderr, "    (a foreign audit arch: explain cannot show it; the filter must return the "
				"bad-arch action, SCMP_ACT_KILL_PROCESS)\n");
		return;
	}
	/* explain evaluates its first --arch: put the input's arch first */
	fprintf(stderr, "    reproduce: build/sysgate explain --kernel %d.%d --arch %s", KERNEL_MAJOR, KERNEL_MINOR,
		t->arches[k]->name);
	for (size_t i = 0; i < t->narches; i++)
		if (i != k)
			fprintf(stderr, " --arch %s", t->arches[i]->name);
	fprintf(stderr, " %s %u", t->file, nr);
	for (int i = 0; i < 6; i++)
		fprintf(stderr, " 0x%llx", (unsigned long long)args[i]);
	fputc('\n', stderr);
	if (k != 0)
		fprintf(stderr, "    (with %s first, includes/excludes see %s as the host, not %s)\n",
			t->arches[k]->name, t->arches[k]->name, t->arches[0]->name);
}

static enum diff classify(const struct target *t, size_t k, uint32_t audit, uint32_t nr, const uint64_t args[6])
{
	if (k >= t->narches || t->arches[k]->audit_arch != audit)
		return D_NONE;
	for (int d = D_NONE + 1; d < ND; d++) { /* the deliberate ones first */
		if (d == D_X32_WIDE) {
			if (t->info[k].x32 && contains(&t->info[k].cond_nrs, nr))
				for (int i = 0; i < 6; i++)
					if (args[i] >> 32)
						return D_X32_WIDE;
		} else if (contains(&t->info[k].diff[d], nr)) {
			return (enum diff)d;
		}
	}
	return D_NONE;
}

/* One input through the reference, sysgate's filter and both of libseccomp's. */
static void compare(struct target *t, size_t k, uint32_t audit, uint32_t nr, const uint64_t args[6])
{
	const struct sg_arch *arch = t->arches[k < t->narches ? k : 0];
	struct sg_seccomp_data sd = { .nr = nr, .arch = audit };
	memcpy(sd.args, args, sizeof(sd.args));
	const struct sg_arch_policy *ap;
	long rule;
	uint32_t ref = sg_policy_eval(t->pol, audit, nr, args, BAD_ARCH, &ap, &rule);
	uint32_t sg = sg_bpf_run(t->sg.insns, t->sg.len, &sd, arch->endian, NULL, NULL, 0);
	uint32_t lib[2];
	struct sg_seccomp_data lsd = sd;
	int stubbed = t->set->kernel && ap && sg_arch_policy_stubbed(ap, nr);
	for (int i = 0; t->set->kernel && ap && i < 6; i++)
		lsd.args[i] = kernel_view(ap->arch, nr, (unsigned)i, args[i]);
	for (int i = 0; i < 2; i++)
		lib[i] = stubbed ? ap->enosys /* the stub: checked below, not libseccomp's */
				 : sg_bpf_run(t->lib[i].prog.insns, t->lib[i].prog.len, &lsd, arch->endian, NULL, NULL, 0);
	enum diff d = classify(t, k, audit, nr, args);
	t->inputs++;
	t->stubbed += stubbed;
	int bad = sg != ref || (stubbed && sg != ap->enosys);
	t->sg_wrong += bad;
	int differs = lib[0] != sg || lib[1] != sg;
	for (int i = 0; i < 2 && !t->set->kernel && k < t->narches; i++)
		if (lib[i] != sg)
			push(&t->info[k].seen[i], nr);
	if (d != D_NONE) {
		t->covered[d]++;
		t->differ[d] += differs;
	}
	if (d == D_NONE || diff_is_bug[d])
		bad |= differs;
	/* never more permissive than runc: the one-sided promise of D_PRECEDENCE */
	if (d == D_PRECEDENCE && !t->set->first && (sg_action_rank(sg) > sg_action_rank(lib[0]) || sg_action_rank(sg) > sg_action_rank(lib[1]))) {
		t->more_permissive++;
		bad = 1;
	}
	if (bad)
		t->mismatches++;
	/* SYSGATE_SHOW_NAMED=1 also shows inputs a named difference covers */
	if (bad ? t->shown++ >= MAX_SHOWN : !(differs && show_named && t->shown_named[d]++ < MAX_SHOWN))
		return;
	pthread_mutex_lock(&lock);
	int over = bad && shown_total++ >= MAX_SHOWN_TOTAL;
	pthread_mutex_unlock(&lock);
	if (over)
		return;
	char a[4][48];
	sg_action_format(ref, a[0], sizeof(a[0]));
	sg_action_format(sg, a[1], sizeof(a[1]));
	sg_action_format(lib[0], a[2], sizeof(a[2]));
	sg_action_format(lib[1], a[3], sizeof(a[3]));
	const char *name = audit == arch->audit_arch ? sg_syscall_name(arch, nr) : NULL;
	flockfile(stderr);
	fprintf(stderr, "%s %s [%s] arch %s (audit 0x%08x) nr %u (%s) args", bad ? "MISMATCH" : "NAMED", t->file,
		t->set->label, arch->name, audit, nr, name ? name : "?");
	for (int i = 0; i < 6; i++)
		fprintf(stderr, " 0x%llx", (unsigned long long)args[i]);
	fprintf(stderr, "\n    reference %s, sysgate %s, libseccomp %s, libseccomp-tree %s%s%s\n", a[0], a[1], a[2],
		a[3], d != D_NONE ? "; named difference: " : "", d != D_NONE ? diff_name[d] : "");
	print_cmd(t, k, nr, args);
	funlockfile(stderr);
}

/* ---- building libseccomp's filter (tests/lsc_build.c) ------------------------- */

/* The profile's rules as runc gives them to libseccomp. */
static int build_lib(struct target *t, int tree, struct sg_prog *out)
{
	char what[256];
	snprintf(what, sizeof(what), "%s [%s] %s", t->file, t->set->label, lib_labels[tree]);
	struct lsc_opts o = { .p = t->p, .rule_used = t->pol->rule_used, .arches = t->arches,
			      .narches = t->narches, .tree = tree, .note_refused = !tree, .what = what };
	struct lsc_counts c = { 0 };
	int rc = lsc_build(&o, out, &c);
	if (!tree) {
		t->lib_unknown += c.unknown;
		t->lib_refused += c.refused;
	}
	t->repaired += c.repaired;
	return rc;
}

/* ---- the named differences, decided before any input is run --------------------- */

static int ordering(enum sg_op op)
{
	return op == SG_CMP_LT || op == SG_CMP_LE || op == SG_CMP_GE || op == SG_CMP_GT;
}

static void find_diffs(struct target *t, size_t k)
{
	struct arch_info *ai = &t->info[k];
	const struct sg_profile *p = t->p;
	const struct sg_arch_policy *ap = &t->pol->arches[k];
	const struct sg_arch *arch = ai->arch;

	/* D_PRECEDENCE: numbers whose rules have different actions;
	 * D_LIB_ORDER: two rules ordering the same argument, one with LT or LE */
	for (size_t i = 0; i < ap->nrules; i++) {
		const struct sg_arch_rule *r = &ap->rules[i];
		if (r->nconds)
			push(&ai->cond_nrs, r->nr);
		for (size_t j = 0; j < ap->nrules; j++) {
			const struct sg_arch_rule *s = &ap->rules[j];
			if (s->nr == r->nr && s->action != r->action) {
				push(&ai->diff[D_PRECEDENCE], r->nr);
				break;
			}
		}
		for (size_t j = 0; j < ap->nrules; j++) {
			const struct sg_arch_rule *s = &ap->rules[j];
			if (j == i || s->nr != r->nr)
				continue;
			for (size_t a = 0; a < r->nconds; a++)
				for (size_t b = 0; b < s->nconds; b++)
					if (r->conds[a].index == s->conds[b].index && ordering(r->conds[a].op) &&
					    ordering(s->conds[b].op) &&
					    (r->conds[a].op == SG_CMP_LT || r->conds[a].op == SG_CMP_LE) &&
					    (r->conds[a].value | s->conds[b].value) >> 32)
						push(&ai->diff[D_LIB_ORDER], r->nr);
		}
	}
	sort_unique(&ai->cond_nrs);

	for (size_t i = 0; i < p->nrules; i++) {
		const struct sg_rule *r = &p->rules[i];
		if (!t->pol->rule_used[i] || lsc_action(&r->action, t->arches[0]) ==
						     lsc_action(&p->default_action, t->arches[0]))
			continue;
		for (size_t n = 0; n < r->nnames; n++) {
			uint32_t snr;
			int have = sg_syscall_nr(arch, r->names[n], &snr) == 0;
			int lnr = seccomp_syscall_resolve_name_arch(ai->token, r->names[n]);
			for (size_t c = 0; have && c < r->nconds; c++) {
				const struct sg_cond *cd = &r->conds[c];
				if (arch->bits == 32 && (cd->value | cd->value_two) >> 32)
					push(&ai->diff[D_32BIT_CONST], snr);
				if (cd->op == SG_CMP_MASKED_EQ && (cd->value_two & ~cd->value))
					push(&ai->diff[D_MASKED_OUTSIDE], snr);
			}
			/* D_MUX: libseccomp adds a rule on the multiplexer (and on
			 * the direct number, where the arch has one) */
			if (mux_pseudo(lnr)) {
				int64_t mux = lnr > -200 ? arch->socketcall_nr : arch->ipc_nr;
				if (mux >= 0)
					push(&ai->diff[D_MUX], (uint64_t)mux);
			} else if (have && lnr < 0) {
				push(&ai->diff[D_LIB_UNKNOWN], snr);
			} else if (have && (uint32_t)lnr != snr) {
				TCHECK(0, "%s: %s: \"%s\" is %u in sysgate's table but %d in libseccomp's", t->file,
				       arch->name, r->names[n], snr, lnr);
			} else if (!have && lnr >= 0) {
				TCHECK(0, "%s: %s: \"%s\" is %d in libseccomp's table but missing from sysgate's",
				       t->file, arch->name, r->names[n], lnr);
			}
		}
	}
	for (int d = 0; d < ND; d++)
		sort_unique(&ai->diff[d]);
}

/* ---- inputs ----------------------------------------------------------------------------- */

struct pool {
	struct u64s vals;  /* constants and their neighbours */
	struct u64s masks; /* MASKED_EQ: mask, valueTwo pairs */
};

static void build_pool(const struct sg_arch_policy *ap, uint32_t nr, struct pool *pl)
{
	static const uint64_t fixed[] = { 0, ~0ull, 0xffffffffull, 0x100000000ull, 0x7fffffffull, 0x80000000ull, 1 };
	pl->vals.n = pl->masks.n = 0;
	for (size_t i = 0; i < N(fixed); i++)
		push(&pl->vals, fixed[i]);
	/* a multiplexer: its call numbers (SYS_SOCKET = 1 .., SEMOP = 1 .. SHMCTL = 24) */
	if (nr == (uint64_t)ap->arch->socketcall_nr || nr == (uint64_t)ap->arch->ipc_nr)
		for (uint64_t c = 0; c <= 24; c++)
			push(&pl->vals, c);
	for (size_t i = 0; i < ap->nrules; i++) {
		const struct sg_arch_rule *r = &ap->rules[i];
		if (r->nr != nr)
			continue;
		for (size_t c = 0; c < r->nconds; c++) {
			const struct sg_cond *cd = &r->conds[c];
			uint64_t v[2] = { cd->value, cd->value_two };
			for (int j = 0; j < 2; j++) {
				push(&pl->vals, v[j]);
				push(&pl->vals, v[j] + 1);
				push(&pl->vals, v[j] - 1);
			}
			if (cd->op == SG_CMP_MASKED_EQ) {
				push(&pl->masks, cd->value);
				push(&pl->masks, cd->value_two);
			}
		}
	}
}

static uint64_t draw(const struct pool *pl)
{
	uint64_t r = rnd();
	const struct u64s *v = &pl->vals;
	switch (r % 8) {
	case 0: case 1: case 2: case 3:
		return v->v[(r >> 8) % v->n];
	case 4: { /* one constant's low word, another's high word */
		uint64_t a = v->v[(r >> 8) % v->n], b = v->v[(r >> 24) % v->n];
		return (a & 0xffffffffull) | (b & ~0xffffffffull);
	}
	case 5:
		if (pl->masks.n) { /* a masked match, the other bits random */
			size_t m = ((r >> 8) % (pl->masks.n / 2)) * 2;
			return (rnd() & ~pl->masks.v[m]) | pl->masks.v[m + 1];
		}
		return rnd();
	case 6:
		return rnd() & 0xffffffffull;
	default:
		return rnd();
	}
}

static void run_arch(struct target *t, size_t k)
{
	const struct sg_arch *arch = t->arches[k];
	uint32_t audit = arch->audit_arch, base = arch->nr_base;
	uint64_t zero[6] = { 0 };
	size_t start = t->inputs;

	/* the number sweep, zero arguments */
	for (uint32_t n = 0; n <= SWEEP; n++)
		compare(t, k, audit, base + n, zero);
	int has_x32 = 0;
	for (size_t i = 0; i < t->narches; i++)
		has_x32 |= strcmp(t->arches[i]->name, "x32") == 0;
	if (strcmp(arch->name, "x86_64") == 0 && !has_x32)
		for (uint32_t n = 0; n <= SWEEP; n++)
			compare(t, k, audit, X32_BIT | n, zero);
	static const uint32_t odd[] = { 0xffffffffu, 0xfffffffeu, 0x7fffffffu, 0x80000000u, X32_BIT - 1, X32_BIT,
					0x3fffffffu, 1024, 4095, 4096, 65535, 65536 };
	for (size_t i = 0; i < N(odd); i++)
		compare(t, k, audit, odd[i], zero);
	for (uint32_t n = base > 64 ? base - 64 : 0; n < base; n++)
		compare(t, k, audit, n, zero);
	if (strcmp(arch->name, "arm") == 0) /* ARM's private calls: breakpoint .. set_tls */
		for (uint32_t n = ARM_PRIVATE; n < ARM_PRIVATE + 16; n++)
			compare(t, k, audit, n, zero);
	for (int i = 0; i < 64; i++)
		compare(t, k, audit, (uint32_t)rnd(), zero);
	/* foreign audit values: the bad-arch action */
	size_t nall;
	const struct sg_arch *const *all = sg_arches(&nall);
	for (size_t i = 0; i < nall; i++) {
		int ours = 0;
		for (size_t j = 0; j < t->narches; j++)
			ours |= all[i]->audit_arch == t->arches[j]->audit_arch;
		if (!ours)
			for (uint32_t n = 0; n < 8; n++)
				compare(t, t->narches, all[i]->audit_arch, all[i]->nr_base + n * 37, zero);
	}
	compare(t, t->narches, 0, 0, zero);
	compare(t, t->narches, 0xffffffffu, 0, zero);

	/* random arguments for the syscalls that have conditions; when there
	 * are none, for random numbers of the sweep (arguments must not matter) */
	size_t target = INPUTS / quick_div / t->set->share, done = t->inputs - start;
	const struct u64s *cn = &t->info[k].cond_nrs, *mux = &t->info[k].diff[D_MUX];
	struct pool pl = { { 0 }, { 0 } };
	/* 32-bit ABI: mostly zero-extended arguments; a quarter of the inputs
	 * for syscalls with conditions keep high words, as x32's 64-bit
	 * registers and 64-bit MIPS kernels' sign-extension give them */
	uint64_t mask32 = arch->bits == 32 ? 0xffffffffull : ~0ull, mask = mask32;
	size_t left = target > done ? target - done : 0;
	/* an eighth for the multiplexers, where libseccomp adds rules to them */
	for (size_t j = 0; j < mux->n; j++) {
		uint32_t nr = (uint32_t)mux->v[j];
		build_pool(&t->pol->arches[k], nr, &pl);
		for (size_t i = 0; i < left / 8 / mux->n; i++) {
			uint64_t args[6];
			for (int a = 0; a < 6; a++)
				args[a] = draw(&pl) & mask;
			compare(t, k, audit, nr, args);
		}
	}
	if (mux->n)
		left -= left / 8 / mux->n * mux->n;
	if (cn->n == 0) {
		build_pool(&t->pol->arches[k], 0xffffffffu, &pl);
		for (size_t i = 0; i < left; i++) {
			uint64_t args[6];
			for (int a = 0; a < 6; a++)
				args[a] = draw(&pl) & mask;
			compare(t, k, audit, base + (uint32_t)(rnd() % (SWEEP + 1)), args);
		}
	}
	for (size_t j = 0; j < cn->n; j++) {
		uint32_t nr = (uint32_t)cn->v[j];
		build_pool(&t->pol->arches[k], nr, &pl);
		size_t m = left / cn->n + (j < left % cn->n);
		for (size_t i = 0; i < m; i++) {
			uint64_t args[6];
			mask = i % 4 == 3 ? ~0ull : mask32;
			for (int a = 0; a < 6; a++) {
				args[a] = draw(&pl) & mask;
				/* sysgate's semantics: high bits the kernel may drop */
				if (t->set->kernel && arch->bits == 64 && i % 4 == 1)
					args[a] ^= rnd() << (rnd() % 2 ? 32 : 16);
			}
			compare(t, k, audit, nr, args);
		}
	}
	free(pl.vals.v);
	free(pl.masks.v);
}

/* ---- one profile, one arch set ------------------------------------------------------------ */

static size_t total_inputs, total_mismatches, targets_run, lib_refused, lib_swapped_rets;
/* libseccomp's filters decompiled and proven: of the shipped and corpus profiles' (all must be),
 * and of the synthetic ones', whose random conditions may layer beyond one profile's means */
static size_t decompiled[2], decompile_tries[2];

/* Appends to a result line. */
static void out_add(struct target *t, const char *fmt, ...) SG_PRINTF(2, 3);
static void out_add(struct target *t, const char *fmt, ...)
{
	size_t len = strlen(t->out);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->out + len, sizeof(t->out) - len, fmt, ap);
	va_end(ap);
}

/* True when an explicit arch set has the same targets with the same host. */
static int same_as_explicit(const struct target *t)
{
	for (size_t i = 0; i < N(arch_sets) && !arch_sets[i].host; i++) {
		size_t n = 0;
		int all = 1;
		while (n < MAX_SET && arch_sets[i].names[n])
			n++;
		if (n != t->narches || strcmp(arch_sets[i].names[0], t->set->host) != 0)
			continue;
		for (size_t k = 0; k < n && all; k++) {
			int found = 0;
			for (size_t j = 0; j < t->narches; j++)
				found |= strcmp(arch_sets[i].names[k], t->arches[j]->name) == 0;
			all = found;
		}
		if (all)
			return 1;
	}
	return 0;
}

/* One job; its result line (or nothing) is left in out. */
/* The target arch a run of sg_diff's is on. */
static size_t target_of(const struct target *t, const struct sg_diff_entry *e)
{
	const struct sg_arch *arch = sg_arch_for_call(e->arch, e->nr_first);
	size_t k = 0;
	while (k < t->narches && t->arches[k] != arch)
		k++;
	if (k == t->narches) /* a number no target's table reaches: the first with the audit value */
		for (k = 0; k < t->narches && t->arches[k]->audit_arch != e->arch; k++)
			;
	return k;
}

/* ---- the exact comparison: sysgate diff's engine against the sampling ---------- */

static int in_runs(const struct sg_diff *r, uint32_t audit, uint32_t nr)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].arch == audit && r->v[i].nr_first <= nr && nr <= r->v[i].nr_last)
			return 1;
	return 0;
}

/* sg_diff between sysgate's filter and libseccomp's (lib), on the targets'
 * arch values: it must decide (nothing undecided); every run it finds is
 * fed to compare() as inputs (its witness at both ends), so it must be a
 * named difference, never an unexplained one; and under runc's semantics
 * every number where the random sampling saw the two differ must lie in
 * one of its runs (an exact engine misses nothing sampling finds). */
static void exact_diff(struct target *t, int lib)
{
	uint32_t audits[MAX_SET];
	size_t na = 0;
	for (size_t k = 0; k < t->narches; k++) {
		size_t j = 0;
		while (j < na && audits[j] != t->arches[k]->audit_arch)
			j++;
		if (j == na)
			audits[na++] = t->arches[k]->audit_arch;
	}
	struct sg_sym_input a = { &t->sg, 1 }, b = { &t->lib[lib].prog, 1 };
	struct sg_diff_opts o = { audits, na, t->arches[0]->endian };
	struct sg_diff r;
	struct sg_diags d;
	sg_diags_init(&d);
	int ok = sg_diff(&a, &b, &o, &r, &d) == 0;
	if (!ok)
		sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	TCHECK(ok, "%s [%s]: sg_diff against %s failed", t->file, t->set->label, lib_labels[lib]);
	if (!ok)
		return;
	TCHECK(r.undecided == 0 && !r.truncated, "%s [%s] %s: %zu regions undecided (%s)", t->file, t->set->label,
	       lib_labels[lib], r.undecided, r.why);
	for (size_t i = 0; i < r.n; i++) {
		const struct sg_diff_entry *e = &r.v[i];
		size_t k = target_of(t, e);
		TCHECK(e->arch_known && k < t->narches, "%s [%s] %s: a difference on arch 0x%08x, not a target",
		       t->file, t->set->label, lib_labels[lib], e->arch);
		compare(t, k, e->arch, e->nr_first, e->witness.args);
		if (e->nr_last != e->nr_first)
			compare(t, k, e->arch, e->nr_last, e->witness.args);
		t->exact++;
	}
	for (size_t k = 0; k < t->narches && !t->set->kernel; k++) {
		struct u64s *seen = &t->info[k].seen[lib];
		sort_unique(seen);
		size_t missed = 0;
		for (size_t i = 0; i < seen->n; i++)
			missed += !in_runs(&r, t->arches[k]->audit_arch, (uint32_t)seen->v[i]);
		TCHECK(missed == 0, "%s [%s] %s %s: sampling saw %zu numbers differ that sg_diff did not", t->file,
		       t->set->label, t->arches[k]->name, lib_labels[lib], missed);
	}
	sg_diff_free(&r);
}

/* libseccomp's filter decompiled: the profile must compile (under the
 * semantics decompile names) to a filter proven equivalent to it, but for
 * names libseccomp does not know on one arch of several (it skips them
 * there, which no profile can say: decompile warns, the proof lists them). */
static void decompile_lib(struct target *t, int lib)
{
	struct sg_sym_input in = { &t->lib[lib].prog, 1 };
	struct sg_decompile_opts o = { t->arches, t->narches, t->arches[0]->endian, SG_LEARN_OCI, NULL };
	struct sg_decompiled r;
	struct sg_diags d;
	sg_diags_init(&d);
	int ok = sg_decompile(&in, &o, &r, &d) == 0, synthetic = strstr(t->file, "synthetic-") != NULL;
	if (!ok && !synthetic)
		sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	size_t other = 0;
	for (size_t i = 0; ok && i < r.diff.n; i++) {
		const struct sg_diff_entry *e = &r.diff.v[i];
		size_t k = target_of(t, e);
		other += k == t->narches || !contains(&t->info[k].diff[D_LIB_UNKNOWN], e->nr_first);
	}
	int good = ok && other == 0 && r.diff.undecided == 0;
	if (!synthetic)
		TCHECK(good, "%s [%s] %s: decompiled%s (%zu differences, %zu unexplained)", t->file, t->set->label,
		       lib_labels[lib], ok ? " but not equivalent" : ": failed", ok ? r.diff.n : 0, other);
	if (good)
		t->decompiled++;
	pthread_mutex_lock(&lock);
	decompile_tries[synthetic]++;
	decompiled[synthetic] += good;
	pthread_mutex_unlock(&lock);
	if (ok)
		sg_decompiled_free(&r);
}

static void run_target(const char *file, const struct sg_profile *p, const struct arch_set *set, char *out,
		       size_t outsz)
{
	static struct target zero;
	struct target t = zero;
	t.file = file, t.p = p, t.set = set;
	const struct sg_arch *want[MAX_SET];
	size_t nwant = 0;
	if (set->host) {
		nwant = profile_targets(p, sg_arch_lookup(set->host), want);
		for (size_t i = 1; i < nwant; i++)
			if (want[i]->endian != want[0]->endian) {
				/* libseccomp refuses the mix (EDOM), so runc cannot run it */
				snprintf(out, outsz, "SKIP %s [%s]: %s and %s differ in byte order\n", file, set->label,
					 want[0]->name, want[i]->name);
				return;
			}
	} else {
		for (size_t i = 0; i < MAX_SET && set->names[i]; i++) {
			want[nwant] = sg_arch_lookup(set->names[i]);
			TCHECK(want[nwant] != NULL, "sysgate does not know arch %s", set->names[i]);
			if (!want[nwant++])
				return;
		}
	}
	for (size_t i = 0; i < nwant; i++) {
		const struct sg_arch *a = want[i];
		t.arches[t.narches] = a;
		t.info[t.narches].arch = a;
		t.info[t.narches].token = seccomp_arch_resolve_name(a->name);
		t.info[t.narches].x32 = strcmp(a->name, "x32") == 0;
		/* libseccomp's tokens are the audit values, x32's aside */
		TCHECK(t.info[t.narches].token == a->audit_arch || strcmp(a->name, "x32") == 0,
		      "%s: libseccomp token 0x%08x, sysgate audit arch 0x%08x", a->name, t.info[t.narches].token,
		      a->audit_arch);
		t.narches++;
	}

	struct sg_resolve_opts ro;
	sg_resolve_opts_init(&ro);
	ro.kernel[0] = KERNEL_MAJOR;
	ro.kernel[1] = KERNEL_MINOR;
	ro.kernel[2] = 0;
	ro.precedence = set->first ? SG_PRECEDENCE_FIRST : SG_PRECEDENCE_RESTRICTIVE;
	ro.arg_width = set->kernel ? SG_ARG_WIDTH_KERNEL : SG_ARG_WIDTH_64;
	ro.enosys_off = !set->kernel;
	ro.host = t.arches[0];
	for (size_t i = 0; i < t.narches && !set->host; i++)
		ro.targets[i] = t.arches[i];
	ro.ntargets = set->host ? 0 : t.narches; /* none: sysgate works them out from the profile */
	struct sg_diags d;
	sg_diags_init(&d);
	t.pol = sg_resolve(p, &ro, &d);
	struct sg_compile_opts co;
	sg_compile_opts_init(&co);
	co.bad_arch_action = BAD_ARCH;
	int ok = t.pol && sg_compile(t.pol, &co, &t.sg, &d) == 0;
	if (!ok)
		sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	TCHECK(ok, "%s [%s]: sysgate does not compile it", file, set->label);
	if (!ok)
		goto out;
	/* the same targets, in the policy's order (find_diffs pairs them by index) */
	int same = t.pol->narches == t.narches;
	for (size_t k = 0; k < t.pol->narches && same; k++) {
		size_t j = 0;
		while (j < t.narches && t.arches[j] != t.pol->arches[k].arch)
			j++;
		same = j < t.narches;
		if (same && j != k) {
			const struct sg_arch *ta = t.arches[j];
			struct arch_info ti = t.info[j];
			t.arches[j] = t.arches[k], t.info[j] = t.info[k];
			t.arches[k] = ta, t.info[k] = ti;
		}
	}
	TCHECK(same, "%s [%s]: sysgate targets %zu arches (%s first), runc/Docker would target %zu (%s first)", file,
	      set->label, t.pol->narches, t.pol->arches[0].arch->name, t.narches, t.arches[0]->name);
	if (!same || (set->host && same_as_explicit(&t)))
		goto out; /* the targets were right; the inputs would repeat an explicit set's */

	/* the default and each rule's action as encoded here agree with sysgate's */
	for (size_t k = 0; k < t.pol->narches; k++) {
		const struct sg_arch_policy *ap = &t.pol->arches[k];
		TCHECK(ap->default_action == lsc_action(&p->default_action, ap->arch), "%s [%s] %s: default 0x%08x",
		      file, set->label, ap->arch->name, ap->default_action);
		for (size_t i = 0; i < ap->nrules; i++)
			TCHECK(ap->rules[i].action == lsc_action(&p->rules[ap->rules[i].rule].action, ap->arch),
			      "%s [%s] %s: rule %zu action 0x%08x", file, set->label, ap->arch->name, i,
			      ap->rules[i].action);
	}

	for (int i = 0; i < 2; i++) {
		t.lib[i].label = lib_labels[i];
		ok = build_lib(&t, i, &t.lib[i].prog) == 0;
		TCHECK(ok, "%s [%s]: %s filter", file, set->label, lib_labels[i]);
		if (!ok)
			goto out;
	}
	char why[200];
	TCHECK(sg_bpf_check(t.sg.insns, t.sg.len, why, sizeof(why)) == 0, "%s [%s]: sysgate's program: %s", file,
	      set->label, why);
	for (int i = 0; i < 2; i++) {
		int good = sg_bpf_check(t.lib[i].prog.insns, t.lib[i].prog.len, why, sizeof(why)) == 0;
		TCHECK(good, "%s [%s]: %s's program: %s", file, set->label, lib_labels[i], why);
		if (!good)
			goto out;
		/* the export is in the target's byte order: it starts by loading the arch */
		TCHECK(t.lib[i].prog.insns[0].code == (SG_BPF_LD | SG_BPF_W | SG_BPF_ABS) &&
			      t.lib[i].prog.insns[0].k == SG_OFF_ARCH,
		      "%s [%s]: %s's program starts 0x%04x k=%u", file, set->label, lib_labels[i],
		      t.lib[i].prog.insns[0].code, t.lib[i].prog.insns[0].k);
	}

	for (size_t k = 0; k < t.narches; k++)
		find_diffs(&t, k);
	for (size_t k = 0; k < t.narches; k++)
		run_arch(&t, k);
	/* the quick run (under valgrind) and the sanitized build compare exactly
	 * and decompile only on the first arch set, libseccomp's default layout:
	 * memory checked, not the whole differential again */
	for (int i = 0; i < 2 && ((quick_div == 1 && !SANITIZED) || (set == &arch_sets[0] && i == 0)); i++) {
		exact_diff(&t, i);
		decompile_lib(&t, i);
	}

	out_add(&t, "%-60s %-16s %4zu/%4zu/%4zu insns %7zu inputs %zu mismatches, %zu exact runs, %zu/2 decompiled",
		file, set->label, t.sg.len, t.lib[0].prog.len, t.lib[1].prog.len, t.inputs, t.mismatches, t.exact,
		t.decompiled);
	for (int dd = 1; dd < ND; dd++)
		if (t.covered[dd])
			out_add(&t, ", %s %zu (%zu differ)", diff_tag[dd], t.covered[dd], t.differ[dd]);
	if (t.repaired)
		out_add(&t, ", %zu libseccomp returns byte-swapped back", t.repaired);
	if (t.stubbed)
		out_add(&t, ", %zu ENOSYS stub", t.stubbed);
	out_add(&t, "\n");
	snprintf(out, outsz, "%s", t.out);
	TCHECK(t.sg_wrong == 0, "%s [%s]: sysgate's filter disagrees with sg_policy_eval on %zu inputs", file, set->label,
	      t.sg_wrong);
	TCHECK(t.mismatches == 0, "%s [%s]: %zu of %zu inputs differ", file, set->label, t.mismatches, t.inputs);
	TCHECK(t.more_permissive == 0, "%s [%s]: sysgate more permissive than libseccomp on %zu precedence inputs", file,
	       set->label, t.more_permissive);
	pthread_mutex_lock(&lock);
	total_inputs += t.inputs;
	total_mismatches += t.mismatches;
	targets_run++;
	lib_refused += t.lib_refused;
	lib_swapped_rets += t.repaired;
	for (int dd = 0; dd < ND; dd++) {
		diff_inputs[dd] += t.covered[dd];
		diff_differ[dd] += t.differ[dd];
	}
	pthread_mutex_unlock(&lock);
out:
	for (size_t k = 0; k < MAX_SET; k++) {
		for (int dd = 0; dd < ND; dd++)
			free(t.info[k].diff[dd].v);
		free(t.info[k].cond_nrs.v);
		free(t.info[k].seen[0].v);
		free(t.info[k].seen[1].v);
	}
	for (int i = 0; i < 2; i++)
		sg_prog_free(&t.lib[i].prog);
	sg_prog_free(&t.sg);
	sg_policy_free(t.pol);
}

static int uses_notify(const struct sg_profile *p)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].action.kind == SG_ACT_NOTIFY)
			return 1;
	return 0;
}

static int notify_ok;

/* The profiles, parsed before any job runs. */
struct loaded {
	char *file;
	struct sg_profile *p;
};
static struct loaded *profiles;
static size_t nprofiles;

static void load_text(const char *file, const char *text, size_t len)
{
	struct sg_diags d;
	sg_diags_init(&d);
	struct sg_profile *p = sg_profile_parse(file, text, len, &d);
	if (!p)
		sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	CHECK(p != NULL, "%s does not parse", file);
	if (!p)
		return;
	if (uses_notify(p) && !notify_ok) {
		printf("SKIP %s: SCMP_ACT_NOTIFY is not supported by this libseccomp\n", file);
		sg_profile_free(p);
		return;
	}
	/* names libseccomp's tables lack everywhere: its rules skip them */
	char list[512] = "";
	size_t unknown = 0;
	for (size_t i = 0; i < p->nrules; i++)
		for (size_t k = 0; k < p->rules[i].nnames; k++)
			if (seccomp_syscall_resolve_name(p->rules[i].names[k]) == __NR_SCMP_ERROR) {
				size_t l = strlen(list);
				if (!strstr(list, p->rules[i].names[k]) && l + strlen(p->rules[i].names[k]) + 2 < sizeof(list))
					snprintf(list + l, sizeof(list) - l, " %s", p->rules[i].names[k]);
				unknown++;
			}
	if (unknown)
		printf("note: %s: %zu name%s unknown to libseccomp %u.%u.%u:%s\n", file, unknown, unknown == 1 ? "" : "s",
		       seccomp_version()->major, seccomp_version()->minor, seccomp_version()->micro, list);
	struct loaded *v = realloc(profiles, (nprofiles + 1) * sizeof(*v));
	char *name = strdup(file);
	if (!v || !name) {
		perror("test_libseccomp");
		exit(2);
	}
	profiles = v;
	profiles[nprofiles].file = name;
	profiles[nprofiles++].p = p;
}

static void load_file(const char *path)
{
	struct sg_diags d;
	sg_diags_init(&d);
	char *text = NULL;
	size_t len = 0;
	int rc = sg_read_file(path, &text, &len, &d);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	CHECK(rc == 0, "cannot read %s", path);
	if (rc == 0)
		load_text(path, text, len);
	free(text);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void load_dir(const char *dir)
{
	DIR *dp = opendir(dir);
	CHECK(dp != NULL, "cannot open %s", dir);
	if (!dp)
		return;
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(dp));) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
			continue;
		if (strstr(e->d_name, "libcontainer")) { /* not the OCI format: refused by design */
			printf("SKIP %s/%s: libcontainer's internal format\n", dir, e->d_name);
			continue;
		}
		names = realloc(names, (n + 1) * sizeof(*names));
		if (!names || !(names[n] = malloc(strlen(dir) + l + 2)))
			exit(2);
		sprintf(names[n++], "%s/%s", dir, e->d_name);
	}
	closedir(dp);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		load_file(names[i]);
		free(names[i]);
	}
	free(names);
}

/* ---- jobs ------------------------------------------------------------------------------ */

struct job {
	char out[1024];
	int done;
};
static struct job *jobs;
static size_t njobs, next_job, next_print;
static size_t sets_per_profile = N(arch_sets); /* 2 with SYSGATE_QUICK */

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&lock);
		size_t j = next_job++;
		pthread_mutex_unlock(&lock);
		if (j >= njobs)
			return NULL;
		rng_state = 0x5eed5a7e5eed5a7eull ^ (uint64_t)j * 0x2545f4914f6cdd1dull;
		size_t p = j / sets_per_profile, set = (p * sets_per_profile + j % sets_per_profile) % N(arch_sets);
		run_target(profiles[p].file, profiles[p].p, &arch_sets[set], jobs[j].out, sizeof(jobs[j].out));
		/* results in job order, as soon as those before are done */
		pthread_mutex_lock(&lock);
		jobs[j].done = 1;
		while (next_print < njobs && jobs[next_print].done)
			fputs(jobs[next_print++].out, stdout);
		pthread_mutex_unlock(&lock);
	}
}

/* ---- profiles written for this test: every operator on 64-bit constants ------------- */

static const char synthetic_ops[] =
	"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [\n"
	"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 5,"
	" \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\", \"value\": 4294967297}]},\n"
	"{\"names\": [\"write\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 6,"
	" \"args\": [{\"index\": 1, \"op\": \"SCMP_CMP_NE\", \"value\": 18446744069414584320}]},\n"
	"{\"names\": [\"openat\"], \"action\": \"SCMP_ACT_TRAP\","
	" \"args\": [{\"index\": 2, \"op\": \"SCMP_CMP_GT\", \"value\": 8589934591}]},\n"
	"{\"names\": [\"close\"], \"action\": \"SCMP_ACT_KILL_PROCESS\","
	" \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_GE\", \"value\": 2147483648}]},\n"
	"{\"names\": [\"lseek\"], \"action\": \"SCMP_ACT_LOG\","
	" \"args\": [{\"index\": 1, \"op\": \"SCMP_CMP_LT\", \"value\": 4294967296}]},\n"
	"{\"names\": [\"dup3\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 7,"
	" \"args\": [{\"index\": 2, \"op\": \"SCMP_CMP_LE\", \"value\": 18446744069414584319}]},\n"
	"{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 25,"
	" \"args\": [{\"index\": 1, \"op\": \"SCMP_CMP_MASKED_EQ\", \"value\": 18374686483966525440,"
	" \"valueTwo\": 1297036693069774848}]},\n"
	"{\"names\": [\"fcntl\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 9,"
	" \"args\": [{\"index\": 1, \"op\": \"SCMP_CMP_MASKED_EQ\", \"value\": 18446744073709551615, \"valueTwo\": 0}]},\n"
	"{\"names\": [\"mprotect\"], \"action\": \"SCMP_ACT_KILL\", \"args\": ["
	"{\"index\": 0, \"op\": \"SCMP_CMP_GE\", \"value\": 4096},"
	"{\"index\": 1, \"op\": \"SCMP_CMP_LT\", \"value\": 65536},"
	"{\"index\": 2, \"op\": \"SCMP_CMP_MASKED_EQ\", \"value\": 4, \"valueTwo\": 4}]},\n"
	"{\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\", \"errno\": \"ESRCH\", \"args\": ["
	"{\"index\": 0, \"op\": \"SCMP_CMP_EQ\", \"value\": 1},"
	"{\"index\": 0, \"op\": \"SCMP_CMP_EQ\", \"value\": 4294967295}]},\n"
	"{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": ["
	"{\"index\": 0, \"op\": \"SCMP_CMP_GT\", \"value\": 4294967295}]},\n"
	"{\"names\": [\"setpgid\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": ["
	"{\"index\": 0, \"op\": \"SCMP_CMP_LE\", \"value\": 4294967295},"
	"{\"index\": 1, \"op\": \"SCMP_CMP_GT\", \"value\": 0}]},\n"
	"{\"names\": [\"umask\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": ["
	"{\"index\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\", \"value\": 18446744069414584320, \"valueTwo\": 0}]},\n"
	"{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": ["
	"{\"index\": 5, \"op\": \"SCMP_CMP_NE\", \"value\": 0}]},\n"
	"{\"names\": [\"sched_yield\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": ["
	"{\"index\": 3, \"op\": \"SCMP_CMP_LT\", \"value\": 1}, {\"index\": 4, \"op\": \"SCMP_CMP_GE\", \"value\": 0}]}\n"
	"]}\n";

/* Edge constants: comparisons that always or never hold, a masked test with
 * bits outside the mask, limits of each word. */
static const char synthetic_edges[] =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, \"syscalls\": [\n"
	"{\"names\": [\"getuid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_GT\", \"value\": 0}]},\n"
	"{\"names\": [\"getgid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_LE\", \"value\": 4294967295}]},\n"
	"{\"names\": [\"geteuid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_GE\", \"value\": 4294967296}]},\n"
	"{\"names\": [\"getegid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_LT\", \"value\": 1}]},\n"
	"{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"op\": \"SCMP_CMP_GT\", \"value\": 18446744073709551615}]},\n"
	"{\"names\": [\"gettid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"op\": \"SCMP_CMP_GE\", \"value\": 0}]},\n"
	"{\"names\": [\"sync\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 2, \"op\": \"SCMP_CMP_LE\", \"value\": 18446744073709551615}]},\n"
	"{\"names\": [\"fsync\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\", \"value\": 255, \"valueTwo\": 256}]},\n"
	"{\"names\": [\"fdatasync\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\", \"value\": 0, \"valueTwo\": 0}]},\n"
	"{\"names\": [\"setsid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_LT\", \"value\": 2147483648}]},\n"
	"{\"names\": [\"getsid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_GT\", \"value\": 2147483647}]},\n"
	"{\"names\": [\"getcwd\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"op\": \"SCMP_CMP_NE\", \"value\": 4294967296}]},\n"
	"{\"names\": [\"chdir\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\", \"value\": 18446744073709551615}]},\n"
	"{\"names\": [\"fchdir\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\", \"value\": 4294967296, \"valueTwo\": 4294967296}]},\n"
	"{\"names\": [\"flock\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"op\": \"SCMP_CMP_MASKED_EQ\", \"value\": 2147483649, \"valueTwo\": 2147483648}]},\n"
	"{\"names\": [\"exit_group\", \"exit\"], \"action\": \"SCMP_ACT_ALLOW\"}\n"
	"]}\n";

/* Overlapping rules with different actions (the precedence difference),
 * and rules on socket calls (the multiplexer difference). */
static const char synthetic_overlap[] =
	"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [\n"
	"{\"names\": [\"openat\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13, \"args\": [{\"index\": 2, \"op\": \"SCMP_CMP_MASKED_EQ\", \"value\": 3, \"valueTwo\": 1}]},\n"
	"{\"names\": [\"openat\"], \"action\": \"SCMP_ACT_TRAP\", \"args\": [{\"index\": 2, \"op\": \"SCMP_CMP_GE\", \"value\": 1}]},\n"
	"{\"names\": [\"openat\"], \"action\": \"SCMP_ACT_LOG\"},\n"
	"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},\n"
	"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\", \"value\": 3}]},\n"
	/* first-match would allow getppid(8) and gettid(7), which libseccomp kills */
	"{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_LOG\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\", \"value\": 8}]},\n"
	"{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},\n"
	"{\"names\": [\"gettid\"], \"action\": \"SCMP_ACT_LOG\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_GE\", \"value\": 5}]},\n"
	"{\"names\": [\"gettid\"], \"action\": \"SCMP_ACT_KILL_PROCESS\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_LE\", \"value\": 9}]},\n"
	"{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 97, \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\", \"value\": 16}]},\n"
	"{\"names\": [\"connect\", \"msgget\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 111}\n"
	"]}\n";

static const struct {
	const char *name;
	const char *text;
} synthetic[] = {
	{ "synthetic-ops64", synthetic_ops },
	{ "synthetic-edges", synthetic_edges },
	{ "synthetic-overlap", synthetic_overlap },
};

/* sysgate's syscall tables against libseccomp's, number by number, on every
 * arch both support: a name both know must have the same number. Names only
 * one of them knows are counted, not failed (libseccomp 2.5.4's tables stop
 * before sysgate's). */
enum { T_BOTH, T_MUXED, T_SG_ONLY, T_LIB_ONLY, T_DIFFER, T_N };

static void compare_number(const struct sg_arch *a, uint32_t token, uint32_t n, size_t count[T_N])
{
	const char *sn = sg_syscall_name(a, n);
	char *ln = seccomp_syscall_resolve_num_arch(token, (int)n);
	if (sn) {
		int lnr = seccomp_syscall_resolve_name_arch(token, sn);
		if (lnr == (int)n) {
			count[T_BOTH]++;
		} else if (mux_pseudo(lnr)) {
			count[T_MUXED]++; /* libseccomp: the direct call and socketcall/ipc */
		} else if (lnr < 0) {
			count[T_SG_ONLY]++;
		} else {
			count[T_DIFFER]++;
			CHECK(0, "%s: \"%s\" is %u in sysgate's table, %d in libseccomp's", a->name, sn, n, lnr);
		}
	}
	if (ln) {
		uint32_t snr;
		if (sg_syscall_nr(a, ln, &snr) != 0) {
			count[T_LIB_ONLY]++;
		} else if (snr != n && !(sn && strcmp(sn, ln) == 0) &&
			   seccomp_syscall_resolve_name_arch(token, ln) != (int)snr) {
			count[T_DIFFER]++;
			CHECK(0, "%s: libseccomp's \"%s\" is %u, sysgate's is %u", a->name, ln, n, snr);
		}
		free(ln);
	}
}

static void compare_tables(void)
{
	size_t nall;
	const struct sg_arch *const *all = sg_arches(&nall);
	for (size_t i = 0; i < nall; i++) {
		const struct sg_arch *a = all[i];
		uint32_t token = seccomp_arch_resolve_name(a->name);
		if (!token) {
			printf("tables %-12s not in libseccomp %u.%u.%u\n", a->name, seccomp_version()->major,
			       seccomp_version()->minor, seccomp_version()->micro);
			continue;
		}
		size_t count[T_N] = { 0 };
		for (uint32_t n = a->nr_base; n < a->nr_base + 1024; n++)
			compare_number(a, token, n, count);
		if (strcmp(a->name, "arm") == 0) /* ARM's private calls */
			for (uint32_t n = ARM_PRIVATE; n < ARM_PRIVATE + 16; n++)
				compare_number(a, token, n, count);
		printf("tables %-12s %3zu names agree, %2zu multiplexed in libseccomp, %2zu only in sysgate's, "
		       "%zu only in libseccomp's, %zu differ\n",
		       a->name, count[T_BOTH], count[T_MUXED], count[T_SG_ONLY], count[T_LIB_ONLY], count[T_DIFFER]);
	}
}

/* Random profiles: every operator, 32- and 64-bit constants, ANDed and
 * repeated-index conditions, every action; each name in one rule only, so
 * rule precedence does not enter (the overlap profile covers it). */
static const char *const random_names[] = {
	"read", "write", "openat", "close", "lseek", "mmap", "mprotect", "munmap", "brk", "ioctl", "pread64",
	"pwrite64", "readv", "writev", "pipe2", "dup", "dup3", "nanosleep", "getpid", "socket", "connect",
	"accept4", "sendto", "recvfrom", "sendmsg", "recvmsg", "shutdown", "bind", "listen", "socketpair",
	"setsockopt", "getsockopt", "clone", "execve", "exit", "wait4", "kill", "uname", "fcntl", "flock",
	"fsync", "truncate", "ftruncate", "getcwd", "chdir", "fchdir", "mkdirat", "unlinkat", "renameat2",
	"linkat", "symlinkat", "readlinkat", "fchmodat", "fchownat", "umask", "gettimeofday", "getrlimit",
	"getrusage", "sysinfo", "times", "ptrace", "getuid", "syslog", "setuid", "setgid", "setpgid", "getppid",
	"setsid", "prctl", "personality", "mount", "umount2", "msgget", "semop", "shmat", "futex", "madvise",
	"mremap", "epoll_ctl", "getrandom", "memfd_create", "statx", "unshare", "setns", "bpf", "open", "stat",
	"ugetrlimit", "arm_fadvise64_64", "s390_runtime_instr", "arch_prctl", "set_thread_area",
};

static void gen_random_profile(char *buf, size_t cap, uint64_t seed)
{
	static const char *const acts[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL_PROCESS",
					    "SCMP_ACT_TRAP", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_KILL" };
	static const char *const ops[] = { "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
					   "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ" };
	static const uint64_t interesting[] = { 0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
						0xffffffff00000000ull, 0x8000000000000000ull, ~0ull };
	rng_state = seed;
	size_t len = 0;
	unsigned char used[N(random_names)] = { 0 };
#define EMIT(...) (len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, __VA_ARGS__))
	unsigned dflt = (unsigned)(rnd() % 5);
	EMIT("{\"defaultAction\": \"%s\"%s, \"syscalls\": [", acts[dflt], dflt == 1 ? ", \"defaultErrnoRet\": 38" : "");
	for (int r = 0; r < 40; r++) {
		EMIT("%s{\"names\": [", r ? ",\n" : "\n");
		int nn = 1 + (int)(rnd() % 3);
		for (int k = 0, emitted = 0; k < nn; k++) {
			size_t i = rnd() % N(random_names);
			if (used[i])
				continue;
			used[i] = 1;
			EMIT("%s\"%s\"", emitted++ ? ", " : "", random_names[i]);
		}
		if (buf[len - 1] == '[') /* every pick was taken: a name nobody has */
			EMIT("\"no_such_syscall_%d\"", r);
		unsigned a = (unsigned)(rnd() % N(acts));
		EMIT("], \"action\": \"%s\"", acts[a]);
		if (a == 1 || a == 5)
			EMIT(", \"errnoRet\": %u", (unsigned)(rnd() % 200));
		int nc = (int)(rnd() % 4);
		int wide = rnd() % 2; /* half the rules: 64-bit constants */
		if (nc)
			EMIT(", \"args\": [");
		for (int c = 0; c < nc; c++) {
			unsigned op = (unsigned)(rnd() % N(ops));
			uint64_t v = rnd() % 3 ? interesting[rnd() % N(interesting)] : rnd();
			if (!wide)
				v &= 0xffffffffu;
			if (rnd() % 4 == 0)
				v += rnd() % 3 - 1;
			EMIT("%s{\"index\": %u, \"op\": \"%s\", \"value\": %llu", c ? ", " : "",
			     (unsigned)(rnd() % 3), ops[op], (unsigned long long)v);
			if (op == 6) /* a datum inside the mask */
				EMIT(", \"valueTwo\": %llu", (unsigned long long)(rnd() % 2 ? v : rnd() & v));
			EMIT("}");
		}
		if (nc)
			EMIT("]");
		EMIT("}");
	}
	EMIT("\n]}\n");
#undef EMIT
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *quick = getenv("SYSGATE_QUICK");
	if (quick && *quick && strcmp(quick, "0") != 0) {
		quick_div = 10;
		sets_per_profile = 2;
	}
	show_named = getenv("SYSGATE_SHOW_NAMED") && strcmp(getenv("SYSGATE_SHOW_NAMED"), "0") != 0;
	const struct scmp_version *v = seccomp_version();
	/* The filters are only exported, never loaded: set the API level to 6
	 * (KILL_PROCESS, LOG, NOTIFY) instead of letting libseccomp probe the
	 * running kernel, so the filters do not depend on the host (and the
	 * probe's seccomp(2) calls do not upset valgrind). */
	int forced = seccomp_api_set(6) == 0;
	notify_ok = seccomp_api_get() >= 6;
	printf("libseccomp %u.%u.%u, API level %u%s; kernel for minKernel pinned to %d.%d; "
	       "%d random inputs per profile and arch%s\n",
	       v->major, v->minor, v->micro, seccomp_api_get(), forced ? " (set, not probed)" : "", KERNEL_MAJOR,
	       KERNEL_MINOR, INPUTS / (int)quick_div, quick_div > 1 ? " (SYSGATE_QUICK)" : "");

	/* the profiles written for this test go next to the binary, so the
	 * explain command lines printed for a mismatch work as they are */
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", argv[0]);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	compare_tables();
	for (size_t i = 0; i < N(synthetic) + 4; i++) {
		static char text[16384];
		char name[64];
		if (i < N(synthetic)) {
			snprintf(text, sizeof(text), "%s", synthetic[i].text);
			snprintf(name, sizeof(name), "%s", synthetic[i].name);
		} else {
			gen_random_profile(text, sizeof(text), 0xc0ffee00u + i);
			snprintf(name, sizeof(name), "synthetic-random%zu", i - N(synthetic));
		}
		CHECK(strlen(text) + 1 < sizeof(text), "%s does not fit", name);
		char path[4200];
		snprintf(path, sizeof(path), "%s/%s.json", dir, name);
		FILE *f = fopen(path, "w");
		int written = f && fputs(text, f) >= 0;
		if (f && fclose(f) != 0)
			written = 0;
		if (written)
			load_file(path);
		else
			load_text(name, text, strlen(text));
	}
	load_dir("profiles");
	const char *shared = argc > 1 ? argv[1] : "../shared";
	char corpus[4096];
	snprintf(corpus, sizeof(corpus), "%s/corpus", shared);
	DIR *dp = opendir(corpus);
	if (dp) {
		closedir(dp);
		load_dir(corpus);
	} else {
		printf("SKIP %s: absent, the real-world corpus is not compared\n", corpus);
	}

	/* one thread per core (SYSGATE_JOBS overrides), at most 8 */
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	const char *js = getenv("SYSGATE_JOBS");
	size_t nthreads = js && atoi(js) > 0 ? (size_t)atoi(js) : ncpu > 0 ? (size_t)ncpu : 1;
	if (nthreads > 8)
		nthreads = 8;
	njobs = nprofiles * sets_per_profile;
	jobs = calloc(njobs + 1, sizeof(*jobs));
	pthread_t tids[8];
	size_t started = 0;
	for (; jobs && started < nthreads; started++)
		if (pthread_create(&tids[started], NULL, worker, NULL) != 0)
			break;
	if (started == 0 && jobs)
		worker(NULL);
	for (size_t i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	CHECK(jobs && next_print == njobs, "%zu of %zu jobs finished", next_print, njobs);
	free(jobs);
	for (size_t i = 0; i < nprofiles; i++) {
		free(profiles[i].file);
		sg_profile_free(profiles[i].p);
	}
	free(profiles);

	if (shown_total > MAX_SHOWN_TOTAL)
		printf("%zu more mismatch reports suppressed (at most %d per profile and arch set, %d in all)\n",
		       shown_total - MAX_SHOWN_TOTAL, MAX_SHOWN, MAX_SHOWN_TOTAL);
	printf("named differences (inputs checked against sg_policy_eval instead; of them, where libseccomp differs):\n");
	for (int d = 1; d < ND; d++)
		printf("  %-66s %8zu inputs, %7zu differ\n", diff_name[d], diff_inputs[d], diff_differ[d]);
	printf("%zu profile/arch-set pairs on %zu thread%s, %zu inputs, %zu mismatches; libseccomp refused %zu rules; "
	       "%zu cross-endian returns repaired\n",
	       targets_run, started ? started : 1, started == 1 ? "" : "s", total_inputs, total_mismatches, lib_refused,
	       lib_swapped_rets);
	printf("decompiled and proven equivalent: %zu of %zu libseccomp filters of shipped and corpus profiles, "
	       "%zu of %zu of synthetic ones\n", decompiled[0], decompile_tries[0], decompiled[1], decompile_tries[1]);
	return check_summary("libseccomp");
}
