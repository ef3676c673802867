/* The code generator against the reference semantics: random profiles, the
 * compiled filter run by the emulator vs sg_policy_eval reading the rules
 * directly; plus the edges: x32 numbers, -1, far jumps, the size limit,
 * 32-bit arches and values above 2^32, determinism. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sysgate/emit.h"
#include "sysgate/emulate.h"
#include "sysgate/eval.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r) { return splitmix64(&r->s); }

static uint64_t below(struct rng *r, uint64_t n) { return next(r) % n; }

struct buf {
	char *s;
	size_t len, cap;
};

static void put(struct buf *b, const char *fmt, ...) SG_PRINTF(2, 3);
static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort(); /* test harness: out of memory is fatal */
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

struct compiled {
	struct sg_profile *p;
	struct sg_policy *pol;
	struct sg_prog prog;
	struct sg_compile_opts co;
};

/* The rule precedence, argument widths and ENOSYS stub build() resolves
 * with: the random test alternates them. */
static enum sg_precedence precedence = SG_PRECEDENCE_RESTRICTIVE;
static enum sg_arg_width arg_width = SG_ARG_WIDTH_KERNEL;
static int enosys_off;

static int build(const char *json, const char *const *arches, size_t narches, struct compiled *c,
		 struct sg_diags *d)
{
	memset(c, 0, sizeof(*c));
	sg_diags_init(d);
	c->p = sg_profile_parse("gen.json", json, strlen(json), d);
	if (!c->p)
		return -1;
	struct sg_resolve_opts o;
	sg_resolve_opts_init(&o);
	o.kernel[0] = 6, o.kernel[1] = 1, o.kernel[2] = 0;
	for (size_t i = 0; i < narches; i++)
		o.targets[o.ntargets++] = sg_arch_lookup(arches[i]);
	o.host = o.targets[0];
	o.precedence = precedence;
	o.arg_width = arg_width;
	o.enosys_off = enosys_off;
	c->pol = sg_resolve(c->p, &o, d);
	if (!c->pol)
		return -1;
	sg_compile_opts_init(&c->co);
	return sg_compile(c->pol, &c->co, &c->prog, d);
}

static void release(struct compiled *c, struct sg_diags *d)
{
	sg_prog_free(&c->prog);
	sg_policy_free(c->pol);
	sg_profile_free(c->p);
	sg_diags_free(d);
}

/* ---- random profiles ------------------------------------------------------ */

static const char *const ops[] = { "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
				   "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ" };

static uint64_t interesting(struct rng *r)
{
	static const uint64_t v[] = { 0, 1, 2, 8, 40, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
				      0x100000001ull, 0xffffffff00000000ull, 0x8000000000000000ull, UINT64_MAX,
				      /* the edges of narrow arguments: int's sign, umode_t's 16 bits */
				      0xffffffff80000000ull, 0xffffffff7fffffffull, 0xffffffff80000001ull, 0xffff,
				      0x10000, 0x1ffff, 0xfffffffffffffff6ull, 0x1ffffffffull };
	switch (below(r, 4)) {
	case 0: return v[below(r, sizeof(v) / sizeof(*v))];
	case 1: return below(r, 64);
	case 2: return next(r) & 0xffffffff;
	default: return next(r);
	}
}

static void random_action(struct rng *r, struct buf *b)
{
	static const char *const acts[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL_PROCESS",
					    "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_LOG",
					    "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO" };
	const char *a = acts[below(r, sizeof(acts) / sizeof(*acts))];
	put(b, "\"action\":\"%s\"", a);
	if ((strcmp(a, "SCMP_ACT_ERRNO") == 0 || strcmp(a, "SCMP_ACT_TRACE") == 0) && below(r, 2))
		put(b, ",\"errnoRet\":%u", (unsigned)below(r, 4));
}

static char *random_profile(struct rng *r, const struct sg_arch *arch)
{
	struct buf b = { 0 };
	static const char *const dflt[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL_PROCESS",
					    "SCMP_ACT_LOG", "SCMP_ACT_TRAP" };
	size_t which = below(r, 5);
	put(&b, "{\"defaultAction\":\"%s\",", dflt[which]);
	if (which == 1 && below(r, 2))
		put(&b, "\"defaultErrnoRet\":%u,", (unsigned)below(r, 4));
	put(&b, "\"syscalls\":[");
	size_t nrules = 1 + below(r, 30);
	/* a small pool of syscalls, so rules often share one and must keep order */
	uint32_t pool[8];
	for (size_t i = 0; i < 8; i++)
		pool[i] = (uint32_t)below(r, arch->nsyscalls);
	for (size_t i = 0; i < nrules; i++) {
		put(&b, "%s{\"names\":[", i ? "," : "");
		size_t nn = 1 + below(r, 3);
		for (size_t k = 0; k < nn; k++) {
			uint32_t idx = below(r, 3) ? pool[below(r, 8)] : (uint32_t)below(r, arch->nsyscalls);
			put(&b, "%s\"%s\"", k ? "," : "", sg_syscall_str(&arch->by_name[idx]));
		}
		put(&b, "],");
		random_action(r, &b);
		size_t nc = below(r, 4);
		if (nc) {
			put(&b, ",\"args\":[");
			for (size_t k = 0; k < nc; k++) {
				unsigned op = (unsigned)below(r, 7);
				uint64_t v = interesting(r), v2 = op == 6 ? interesting(r) & v : 0;
				if (op == 6 && below(r, 4) == 0)
					v2 = interesting(r); /* bits outside the mask: never matches */
				put(&b, "%s{\"index\":%u,\"value\":%llu,\"valueTwo\":%llu,\"op\":\"%s\"}", k ? "," : "",
				    (unsigned)below(r, 3), (unsigned long long)v, (unsigned long long)v2, ops[op]);
			}
			put(&b, "]");
		}
		put(&b, "}");
	}
	put(&b, "]}");
	return b.s;
}

/* Values a filter distinguishes: its constants and their neighbours. */
static uint64_t pick_arg(struct rng *r, const struct sg_policy *pol, unsigned bits)
{
	uint64_t v;
	size_t total = 0;
	for (size_t a = 0; a < pol->narches; a++)
		total += pol->arches[a].nrules;
	if (total && below(r, 4)) {
		const struct sg_arch_policy *ap = &pol->arches[below(r, pol->narches)];
		if (!ap->nrules)
			return 0;
		const struct sg_arch_rule *ru = &ap->rules[below(r, ap->nrules)];
		if (!ru->nconds)
			return 0;
		const struct sg_cond *c = &ru->conds[below(r, ru->nconds)];
		uint64_t base = below(r, 3) ? c->value : c->value_two;
		v = base + (uint64_t)((int64_t)below(r, 3) - 1);
		if (below(r, 5) == 0)
			v = base ^ (1ull << below(r, 64));
	} else {
		v = interesting(r);
	}
	/* 32-bit ABIs, and narrow arguments anywhere: bits the kernel drops
	 * are noise the filter must ignore */
	(void)bits;
	if (below(r, 4) == 0)
		v = (v & (below(r, 2) ? 0xffffffffu : 0xffffu)) | next(r) << (below(r, 2) ? 32 : 16);
	return v;
}

/* sg_bpf_answers with some fields unknown holds what the filter returns with
 * them set, and a single answer when no unknown field is read; with every
 * field known, exactly what the filter returns. */
static void check_answers(const struct compiled *c, const struct sg_seccomp_data *d, enum sg_endian e, uint32_t got,
			  unsigned known, const char *what)
{
	struct sg_bpf_answers a;
	known |= SG_FIELD_NR | SG_FIELD_ARCH;
	CHECK(sg_bpf_answers(c->prog.insns, c->prog.len, d, known, e, &a) == 0, "%s: answers", what);
	size_t i = 0;
	while (i < a.n && a.ret[i] != got)
		i++;
	CHECK(i < a.n || a.open, "%s: nr %u, fields 0x%x known: the filter's 0x%08x is not among the answers", what,
	      d->nr, known, got);
	CHECK(a.unknown != 0 || (a.n == 1 && !a.open), "%s: nr %u: %zu answers without an unknown field", what, d->nr,
	      a.n);
	sg_bpf_answers(c->prog.insns, c->prog.len, d, SG_FIELD_ALL, e, &a);
	CHECK(a.n == 1 && a.ret[0] == got && !a.open && !a.unknown, "%s: nr %u, every field known: not exact", what,
	      d->nr);
}

static size_t compare_inputs(struct rng *r, const struct compiled *c, size_t count, const char *what)
{
	size_t bad = 0, by_nr_bad = 0;
	/* sg_policy_eval_by_nr, which stats uses for its sweeps, answers the same */
	struct sg_rules_by_nr by_nr[SG_MAX_ARCHES];
	for (size_t a = 0; a < c->pol->narches; a++)
		CHECK(sg_rules_by_nr_init(&by_nr[a], &c->pol->arches[a]) == 0, "%s: index by number", what);
	for (size_t i = 0; i < count; i++) {
		const struct sg_arch_policy *ap = &c->pol->arches[below(r, c->pol->narches)];
		struct sg_seccomp_data d = { .arch = ap->arch->audit_arch };
		switch (below(r, 8)) {
		case 0: d.nr = ap->arch->nr_base + (uint32_t)below(r, 600); break;
		case 1: d.nr = (uint32_t)next(r); break;
		case 2: d.nr = 0xffffffffu; break;
		case 3: d.arch = (uint32_t)next(r) | 1; break; /* (almost surely) foreign */
		default:
			d.nr = ap->nrules ? ap->rules[below(r, ap->nrules)].nr : 0;
			d.nr += (uint32_t)((int32_t)below(r, 5) - 2) * (below(r, 3) == 0);
		}
		for (int k = 0; k < 6; k++)
			d.args[k] = pick_arg(r, c->pol, ap->arch->bits);
		size_t executed;
		uint32_t got = sg_bpf_run(c->prog.insns, c->prog.len, &d, ap->arch->endian, &executed, NULL, 0);
		const struct sg_arch_policy *which;
		long rule;
		uint32_t want = sg_policy_eval(c->pol, d.arch, d.nr, d.args, c->co.bad_arch_action, &which, &rule);
		const struct sg_arch_policy *which2;
		long rule2;
		uint32_t want2 = sg_policy_eval_by_nr(c->pol, by_nr, d.arch, d.nr, d.args, c->co.bad_arch_action, &which2,
						      &rule2);
		if ((want2 != want || which2 != which || rule2 != rule) && by_nr_bad++ < 3)
			fprintf(stderr, "%s: arch 0x%x nr %u: by number 0x%08x rule %ld, rules 0x%08x rule %ld\n", what,
				d.arch, d.nr, want2, rule2, want, rule);
		if (got != want && bad++ < 3)
			fprintf(stderr, "%s: arch 0x%x nr %u args %llx %llx %llx: filter 0x%08x, rules 0x%08x\n", what,
				d.arch, d.nr, (unsigned long long)d.args[0], (unsigned long long)d.args[1],
				(unsigned long long)d.args[2], got, want);
		if (i % 16 == 0)
			check_answers(c, &d, ap->arch->endian, got, (unsigned)next(r), what);
	}
	CHECK(by_nr_bad == 0, "%s: sg_policy_eval_by_nr differs from sg_policy_eval on %zu inputs", what, by_nr_bad);
	for (size_t a = 0; a < c->pol->narches; a++)
		sg_rules_by_nr_free(&by_nr[a]);
	return bad;
}

static void test_random_profiles(size_t profiles, size_t inputs)
{
	static const char *const sets[][3] = {
		{ "x86_64", "x86", "x32" }, { "aarch64", NULL, NULL }, { "s390x", "s390", NULL },
		{ "arm", NULL, NULL },      { "mips64n32", "mips", NULL }, { "ppc64", NULL, NULL },
		{ "riscv64", NULL, NULL },  { "x32", NULL, NULL },       { "x86_64", NULL, NULL },
		/* every other arch, each byte order */
		{ "ppc64le", NULL, NULL },  { "ppc", NULL, NULL },       { "mips64", "mips", NULL },
		{ "mipsel64", "mipsel", NULL }, { "mipsel64n32", NULL, NULL }, { "loongarch64", NULL, NULL },
	};
	size_t nsets = sizeof(sets) / sizeof(*sets), mismatches = 0, failed = 0, compared = 0;
	struct rng r = { 0x5ea7 };
	for (size_t i = 0; i < profiles; i++) {
		const char *const *set = sets[i % nsets];
		size_t n = 0;
		while (n < 3 && set[n])
			n++;
		char *json = random_profile(&r, sg_arch_lookup(set[0]));
		struct compiled c;
		struct sg_diags d;
		/* rules often share a syscall: both precedences, every other
		 * profile; both argument widths and with or without the stub, as
		 * the next bits of the round count */
		size_t round = i / nsets;
		precedence = round % 2 ? SG_PRECEDENCE_FIRST : SG_PRECEDENCE_RESTRICTIVE;
		arg_width = round / 2 % 2 ? SG_ARG_WIDTH_64 : SG_ARG_WIDTH_KERNEL;
		enosys_off = round / 4 % 2;
		int rc = build(json, set, n, &c, &d);
		precedence = SG_PRECEDENCE_RESTRICTIVE;
		arg_width = SG_ARG_WIDTH_KERNEL;
		enosys_off = 0;
		if (rc) {
			failed++;
			sg_diags_print(&d, stderr);
		} else {
			char why[128];
			CHECK(sg_bpf_check(c.prog.insns, c.prog.len, why, sizeof(why)) == 0, "profile %zu: %s", i, why);
			size_t bad = compare_inputs(&r, &c, inputs, set[0]);
			if (bad)
				fprintf(stderr, "profile %zu (%s): %zu mismatches:\n%s\n", i, set[0], bad, json);
			mismatches += bad;
			compared += inputs;
		}
		release(&c, &d);
		free(json);
	}
	printf("random: %zu profiles, %zu inputs compared, %zu mismatches\n", profiles, compared, mismatches);
	CHECK(failed == 0, "%zu random profiles failed to compile", failed);
	CHECK(mismatches == 0, "%zu mismatches between the filter and the rules", mismatches);
}

/* ---- edges ------------------------------------------------------------------ */

static uint32_t run1(const struct compiled *c, const char *arch, uint32_t nr, uint64_t a0)
{
	const struct sg_arch *a = sg_arch_lookup(arch);
	struct sg_seccomp_data d = { .nr = nr, .arch = a->audit_arch, .args = { a0 } };
	size_t executed;
	return sg_bpf_run(c->prog.insns, c->prog.len, &d, a->endian, &executed, NULL, 0);
}

static void test_x32_and_minus_one(void)
{
	static const char *const x86_64[] = { "x86_64" };
	struct compiled c;
	struct sg_diags d;
	const char *json = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"getpid\"],"
			   "\"action\":\"SCMP_ACT_ALLOW\"}]}";
	CHECK(build(json, x86_64, 1, &c, &d) == 0, "x86_64-only profile compiles");
	CHECK(run1(&c, "x86_64", 39, 0) == SG_RET_ALLOW, "getpid allowed");
	CHECK(run1(&c, "x86_64", 0x40000000u | 39, 0) == SG_RET_KILL_PROCESS,
	      "an x32 number never reaches an x86_64 rule: bad arch");
	CHECK(run1(&c, "x86_64", 0x40000000u | 40, 0) == SG_RET_KILL_PROCESS, "any x32 number: bad arch");
	CHECK(run1(&c, "x86_64", 0xffffffffu, 0) == (SG_RET_ERRNO | 1), "-1 takes the default action");
	CHECK(run1(&c, "x86", 20, 0) == SG_RET_KILL_PROCESS, "i386 is a foreign arch");
	release(&c, &d);

	static const char *const x32[] = { "x32" };
	CHECK(build(json, x32, 1, &c, &d) == 0, "x32-only profile compiles");
	CHECK(run1(&c, "x32", 0x40000000u | 39, 0) == SG_RET_ALLOW, "x32 getpid allowed");
	CHECK(run1(&c, "x32", 39, 0) == SG_RET_KILL_PROCESS, "an x86_64 number under an x32-only filter: bad arch");
	CHECK(run1(&c, "x32", 0xffffffffu, 0) == (SG_RET_ERRNO | 1), "-1 takes the default action (x32)");
	release(&c, &d);
}

/* The multiplexers read their call number narrower than the register:
 * ipc(2) keeps the low 16 bits (the high half is a version), socketcall(2)
 * an int. A deny rule on semop or connect holds for every form the kernel
 * runs as that call; --arg-width 64 gives runc's 64-bit compare back. */
static void test_multiplexer_widths(void)
{
	static const char *const x86[] = { "x86" }, *const s390x[] = { "s390x" };
	const char *json = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
			   "{\"names\":[\"semop\",\"connect\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
	struct compiled c;
	struct sg_diags d;
	for (int wide = 0; wide < 2; wide++) {
		arg_width = wide ? SG_ARG_WIDTH_64 : SG_ARG_WIDTH_KERNEL;
		uint32_t hi_ipc = wide ? SG_RET_ALLOW : SG_RET_ERRNO | 1;
		CHECK(build(json, x86, 1, &c, &d) == 0, "x86 deny list compiles");
		CHECK(run1(&c, "x86", 117, 1) == (SG_RET_ERRNO | 1), "ipc(SEMOP) refused");
		CHECK(run1(&c, "x86", 117, 0x10001) == hi_ipc, "ipc(0x10001), semop to the kernel (width %s)",
		      wide ? "64" : "kernel");
		CHECK(run1(&c, "x86", 117, 0xffff0001u) == hi_ipc, "ipc(0xffff0001): version 0xffff, semop");
		CHECK(run1(&c, "x86", 117, 2) == SG_RET_ALLOW, "ipc(SEMGET) allowed");
		CHECK(run1(&c, "x86", 102, 3) == (SG_RET_ERRNO | 1), "x86 socketcall(SYS_CONNECT) refused");
		release(&c, &d);
		CHECK(build(json, s390x, 1, &c, &d) == 0, "s390x deny list compiles");
		CHECK(run1(&c, "s390x", 102, 3) == (SG_RET_ERRNO | 1), "s390x socketcall(SYS_CONNECT) refused");
		CHECK(run1(&c, "s390x", 102, 0x100000003ull) == (wide ? SG_RET_ALLOW : SG_RET_ERRNO | 1),
		      "s390x socketcall(0x100000003), connect to the kernel (width %s)", wide ? "64" : "kernel");
		CHECK(run1(&c, "s390x", 102, 0x100000001ull) == SG_RET_ALLOW, "s390x socketcall(SYS_SOCKET) allowed");
		release(&c, &d);
	}
	arg_width = SG_ARG_WIDTH_KERNEL;
}

/* runc's ENOSYS stub and the unallocated numbers (README "ENOSYS"). */
static void test_enosys(void)
{
	static const char *const x86_64[] = { "x86_64" }, *const x32[] = { "x32" }, *const x86[] = { "x86" };
	const uint32_t enosys = SG_RET_ERRNO | 38, eperm = SG_RET_ERRNO | 1;
	struct compiled c;
	struct sg_diags d;
	const char *json = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
			   "{\"names\":[\"read\",\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"},"
			   "{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
	CHECK(build(json, x86_64, 1, &c, &d) == 0, "stub profile compiles");
	CHECK(run1(&c, "x86_64", 39, 0) == SG_RET_ALLOW, "getpid allowed");
	CHECK(run1(&c, "x86_64", 1, 0) == eperm, "write: its own rule, the default's action");
	CHECK(run1(&c, "x86_64", 2, 0) == eperm, "open: named nowhere, below the last: the default");
	CHECK(run1(&c, "x86_64", 40, 0) == enosys, "40: above getpid (39), the last named: ENOSYS");
	CHECK(run1(&c, "x86_64", 400, 0) == enosys, "400: ENOSYS");
	CHECK(run1(&c, "x86_64", 0x3fffffffu, 0) == enosys, "the last x86_64 number: ENOSYS");
	CHECK(run1(&c, "x86_64", 0x40000000u | 1, 0) == SG_RET_KILL_PROCESS, "x32 numbers: still a foreign ABI");
	CHECK(run1(&c, "x86_64", 0xffffffffu, 0) == eperm, "-1 keeps the default");
	release(&c, &d);
	enosys_off = 1;
	CHECK(build(json, x86_64, 1, &c, &d) == 0, "--enosys off compiles");
	CHECK(run1(&c, "x86_64", 400, 0) == eperm && run1(&c, "x86_64", 40, 0) == eperm, "--enosys off: the default");
	release(&c, &d);
	enosys_off = 0;
	/* x32 apart, by its own last number; x86_64-only numbers keep its default */
	CHECK(build(json, x32, 1, &c, &d) == 0, "x32 stub profile compiles");
	CHECK(run1(&c, "x32", 0x40000000u | 40, 0) == enosys, "x32 40: above the last");
	CHECK(run1(&c, "x32", 0x40000000u | 2, 0) == eperm, "x32 2: allocated, the default");
	release(&c, &d);
	const char *gaps = "{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"syscalls\":["
			   "{\"names\":[\"getpid\",\"file_setattr\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	CHECK(build(gaps, x86_64, 1, &c, &d) == 0, "gaps profile compiles");
	CHECK(run1(&c, "x86_64", 400, 0) == enosys, "336..423 are unallocated on x86_64: ENOSYS under KILL too");
	CHECK(run1(&c, "x86_64", 335, 0) == SG_RET_KILL_PROCESS, "335 (uretprobe) is allocated: the default");
	CHECK(run1(&c, "x86_64", 424, 0) == SG_RET_KILL_PROCESS, "424 (pidfd_send_signal): the default");
	CHECK(run1(&c, "x86_64", 470, 0) == enosys, "470: above file_setattr (469)");
	release(&c, &d);
	/* a default that allows, logs or traces: no stub (runc's rule) */
	static const char *const lenient[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE" };
	for (size_t i = 0; i < 3; i++) {
		char j[256];
		snprintf(j, sizeof(j), "{\"defaultAction\":\"%s\",\"syscalls\":[{\"names\":[\"getpid\"],"
			 "\"action\":\"SCMP_ACT_ERRNO\"}]}", lenient[i]);
		CHECK(build(j, x86_64, 1, &c, &d) == 0, "%s profile compiles", lenient[i]);
		CHECK(run1(&c, "x86_64", 400, 0) != enosys, "%s default: no stub", lenient[i]);
		release(&c, &d);
	}
	/* runc adds a stub only when the largest named number is not 0 */
	const char *zero = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
			   "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	CHECK(build(zero, x86_64, 1, &c, &d) == 0, "read-only profile compiles");
	CHECK(run1(&c, "x86_64", 1, 0) == eperm && run1(&c, "x86_64", 400, 0) == eperm, "only nr 0 named: no stub");
	release(&c, &d);
	/* runc's stub runs first: ipc (117) above the last named number is
	 * answered ENOSYS, semop's rule there notwithstanding */
	const char *mux = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
			  "{\"names\":[\"read\",\"semop\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	CHECK(build(mux, x86, 1, &c, &d) == 0, "x86 mux profile compiles");
	CHECK(run1(&c, "x86", 3, 0) == SG_RET_ALLOW, "x86 read allowed");
	CHECK(run1(&c, "x86", 117, 1) == enosys, "ipc above read (3): the stub, before semop's rule");
	release(&c, &d);
}

/* 32-bit ABIs: only the low word of an argument counts (64-bit MIPS kernels
 * sign-extend o32/n32 arguments into the high one), and values are
 * truncated to 32 bits, as libseccomp does. */
static void test_32bit_values(void)
{
	static const char *const x86[] = { "x86" };
	struct compiled c;
	struct sg_diags d;
	const char *json = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
			   "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,"
			   "\"value\":4294967297,\"op\":\"SCMP_CMP_EQ\"}]},"
			   "{\"names\":[\"umask\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,"
			   "\"value\":4294967295,\"op\":\"SCMP_CMP_EQ\"}]}]}";
	CHECK(build(json, x86, 1, &c, &d) == 0, "x86 profile compiles");
	int warned = 0;
	for (size_t i = 0; i < d.n; i++)
		warned |= strstr(d.v[i].message, "low 32 bits") != NULL;
	CHECK(warned, "a value above 2^32 on a 32-bit target is warned about");
	CHECK(run1(&c, "x86", 136, 1) == (SG_RET_ERRNO | 1), "EQ 2^32+1 is EQ 1 on x86");
	CHECK(run1(&c, "x86", 136, 0x100000001ull) == (SG_RET_ERRNO | 1), "the high word is not compared");
	CHECK(run1(&c, "x86", 136, 2) == SG_RET_ALLOW, "EQ 1 does not match 2");
	CHECK(run1(&c, "x86", 60, 0xffffffffffffffffull) == (SG_RET_ERRNO | 1),
	      "a sign-extended 0xffffffff still matches 0xffffffff");
	release(&c, &d);
}

/* Consecutive "arg == v" rules with one action become one set: each high
 * word tested once, then its low words, one after another when few, by a
 * search over value runs when many. Values share and differ in high words,
 * repeat, and a rule with another action follows; every value and its
 * neighbours, with the words swapped too, must get what the rules say, and
 * an allowed value must take at most `most` instructions on 64-bit ABIs. */
static void eq_set_case(const char *syscall, const uint64_t *vals, size_t nvals, size_t most)
{
	struct buf b = { 0 };
	put(&b, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[");
	for (size_t i = 0; i < nvals; i++)
		put(&b, "{\"names\":[\"%s\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
			"\"value\":%llu,\"op\":\"SCMP_CMP_EQ\"}]},", syscall, (unsigned long long)vals[i]);
	put(&b, "{\"names\":[\"%s\"],\"action\":\"SCMP_ACT_TRAP\",\"args\":[{\"index\":0,"
		"\"value\":16,\"op\":\"SCMP_CMP_EQ\"}]},"
		"{\"names\":[\"%s\"],\"action\":\"SCMP_ACT_LOG\",\"args\":[{\"index\":0,"
		"\"value\":4294967296,\"op\":\"SCMP_CMP_EQ\"}]}]}", syscall, syscall);
	static const char *const sets[][1] = { { "x86_64" }, { "ppc64" }, { "x86" } };
	for (size_t s = 0; s < sizeof(sets) / sizeof(*sets); s++) {
		struct compiled c;
		struct sg_diags d;
		const struct sg_arch *a = sg_arch_lookup(sets[s][0]);
		CHECK(build(b.s, sets[s], 1, &c, &d) == 0, "%s: EQ-set profile compiles", sets[s][0]);
		if (!c.prog.len) {
			release(&c, &d);
			continue;
		}
		uint32_t nr = 0;
		CHECK(sg_syscall_nr(a, syscall, &nr) == 0, "%s on %s", syscall, a->name);
		size_t bad = 0, maxrun = 0, checked = 0;
		for (size_t i = 0; i < nvals + 2; i++) {
			uint64_t base = i < nvals ? vals[i] : i == nvals ? 16 : 0x100000000ull;
			for (int delta = -1; delta <= 1; delta++)
				for (int swap = 0; swap < 2; swap++) {
					uint64_t v = base + (uint64_t)(int64_t)delta;
					if (swap)
						v = v << 32 | v >> 32;
					struct sg_seccomp_data sd = { .nr = nr, .arch = a->audit_arch, .args = { v } };
					size_t executed;
					uint32_t got = sg_bpf_run(c.prog.insns, c.prog.len, &sd, a->endian, &executed,
								  NULL, 0);
					const struct sg_arch_policy *which;
					long rule;
					uint32_t want = sg_policy_eval(c.pol, sd.arch, nr, sd.args, c.co.bad_arch_action,
								       &which, &rule);
					bad += got != want;
					checked++;
					if (want == SG_RET_ALLOW && executed > maxrun)
						maxrun = executed;
				}
		}
		CHECK(bad == 0, "%s %s: %zu of %zu EQ-set inputs differ from the rules", a->name, syscall, bad,
		      checked);
		if (a->bits == 64)
			CHECK(maxrun <= most, "%s %s: an allowed value runs %zu instructions (at most %zu)", a->name,
			      syscall, maxrun, most);
		release(&c, &d);
	}
	free(b.s);
}

static void test_eq_sets(void)
{
	/* 4 fixed + at most 9 number tests; per high word 2; then 1 per distinct low word */
	static const uint64_t few[] = { 0, 8, 0x20000, 0x100000008ull, 8, 0xffffffff, 0x100000000ull, ~0ull };
	eq_set_case("personality", few, sizeof(few) / sizeof(*few), 4 + 9 + 3 * 2 + 6);
	/* 27 distinct low words under one high word: a search, 1 load + at most 6 tests */
	uint64_t many[40];
	size_t n = 0;
	static const uint64_t odd[] = { 0, 3, 5, 7, 0x7fffffff, 0xfffffffe, 0xffffffff, 5, 0x100000003ull };
	for (size_t i = 0; i < sizeof(odd) / sizeof(*odd); i++)
		many[n++] = odd[i];
	for (uint64_t v = 119; v >= 100; v--)
		many[n++] = v;
	eq_set_case("umask", many, n, 4 + 9 + 2 * 2 + 1 + 6);
}

static void test_big_programs(void)
{
	static const char *const x86_64[] = { "x86_64" };
	const struct sg_arch *a = sg_arch_lookup("x86_64");
	struct buf b = { 0 };
	/* many syscalls with distinct argument blocks: far jumps everywhere */
	put(&b, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[");
	for (size_t i = 0; i < 200; i++)
		put(&b, "%s{\"names\":[\"%s\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":%zu,\"value\":%zu,"
			"\"op\":\"SCMP_CMP_EQ\"}]}",
		    i ? "," : "", sg_syscall_str(&a->by_name[i]), i % 6, i * 7919);
	put(&b, "]}");
	struct compiled c;
	struct sg_diags d;
	CHECK(build(b.s, x86_64, 1, &c, &d) == 0, "200 argument blocks compile");
	size_t far = 0;
	for (size_t i = 0; i < c.prog.len; i++)
		far += c.prog.insns[i].code == (SG_BPF_JMP | SG_BPF_JA);
	CHECK(c.prog.len > 600, "a long program: %zu", c.prog.len);
	CHECK(far > 0, "a program this long needs JA trampolines: %zu", far);
	struct rng r = { 7 };
	CHECK(compare_inputs(&r, &c, 20000, "big") == 0, "far jumps keep their meaning (%zu JA, %zu insns)", far,
	      c.prog.len);
	char why[128];
	CHECK(sg_bpf_check(c.prog.insns, c.prog.len, why, sizeof(why)) == 0, "kernel checks: %s", why);

	/* the same twice: bit-identical */
	struct compiled c2;
	struct sg_diags d2;
	CHECK(build(b.s, x86_64, 1, &c2, &d2) == 0, "again");
	CHECK(c.prog.len == c2.prog.len && memcmp(c.prog.insns, c2.prog.insns, c.prog.len * sizeof(struct sg_insn)) == 0,
	      "same profile, same bytes");
	release(&c2, &d2);
	release(&c, &d);
	free(b.s);

	/* over 4096 instructions: refused with the size */
	b = (struct buf){ 0 };
	put(&b, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[");
	for (size_t i = 0; i < 3000; i++)
		put(&b, "%s{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,\"value\":%zu,"
			"\"op\":\"SCMP_CMP_EQ\"}, {\"index\":2,\"value\":%zu,\"op\":\"SCMP_CMP_GT\"}]}",
		    i ? "," : "", i * 3 + 1, i * 5 + 100000);
	put(&b, "]}");
	int rc = build(b.s, x86_64, 1, &c, &d);
	int named = 0;
	for (size_t i = 0; i < d.n; i++)
		named |= strstr(d.v[i].message, "4096") != NULL && strstr(d.v[i].message, "instructions") != NULL;
	CHECK(rc != 0 && named, "a filter over 4096 instructions is refused, naming its size");
	release(&c, &d);
	free(b.s);
}

/* Every argument-free ALLOW path must be one the kernel's cache understands. */
static void test_cacheable(void)
{
	static const char *const x86_64[] = { "x86_64", "x86", "x32" };
	struct compiled c;
	struct sg_diags d;
	const char *json = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"write\","
			   "\"getpid\",\"mmap\"],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"personality\"],"
			   "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}";
	CHECK(build(json, x86_64, 3, &c, &d) == 0, "compiles");
	const struct sg_arch *a = sg_arch_lookup("x86_64");
	CHECK(sg_bpf_cacheable(c.prog.insns, c.prog.len, a->audit_arch, 0), "read cacheable");
	CHECK(sg_bpf_cacheable(c.prog.insns, c.prog.len, a->audit_arch, 39), "getpid cacheable");
	CHECK(!sg_bpf_cacheable(c.prog.insns, c.prog.len, a->audit_arch, 135),
	      "personality (argument test) not cacheable");
	CHECK(!sg_bpf_cacheable(c.prog.insns, c.prog.len, a->audit_arch, 2), "open (ERRNO) not cacheable");
	release(&c, &d);
}

int main(void)
{
	const char *quick = getenv("SYSGATE_QUICK");
	int q = quick && *quick == '1';
	test_x32_and_minus_one();
	test_32bit_values();
	test_cacheable();
	test_eq_sets();
	test_big_programs();
	test_random_profiles(q ? 100 : 1000, q ? 300 : 3000);
	test_multiplexer_widths();
	test_enosys();
	return check_summary("compile");
}
