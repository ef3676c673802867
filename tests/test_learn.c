/* Unit tests of the learning stages, checked with the emulator:
 *  - divert: for every syscall number (and a spread of arguments) on each
 *    x86 ABI, the diverted filter answers exactly as the original where the
 *    original allows or logs, USER_NOTIF where it refuses, USER_NOTIF for
 *    exit_group always; the kernel caches the same syscalls (but exit_group);
 *  - learn: the same calls in any order give the same bytes; names come from
 *    each call's architecture (i386, x32's bit); tracked arguments become one
 *    rule per value; the written profile parses and allows what was added;
 *  - bases: their refusals kept with action and errno, dropped for a call
 *    seen or allowed outright by another input; the most restrictive
 *    default; the same bytes whatever the order of inputs and conditions;
 *  - complain: calls without a name said once per decision, with their
 *    number; the summary lists each syscall once.
 * argv[1]: the profiles directory (default: profiles). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sysgate/complain.h"
#include "sysgate/divert.h"
#include "sysgate/emit.h"
#include "sysgate/emulate.h"
#include "sysgate/eval.h"
#include "sysgate/learn.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"

static const struct sg_arch *x86fam[3];

static int compile(const char *file, const char *text, size_t len, struct sg_profile **p, struct sg_policy **pol,
		   struct sg_prog *prog)
{
	struct sg_diags d;
	struct sg_resolve_opts o;
	struct sg_compile_opts co;
	sg_diags_init(&d);
	sg_resolve_opts_init(&o);
	for (size_t i = 0; i < 3; i++)
		o.targets[o.ntargets++] = x86fam[i];
	o.host = x86fam[0];
	*p = sg_profile_parse(file, text, len, &d);
	*pol = *p ? sg_resolve(*p, &o, &d) : NULL;
	sg_compile_opts_init(&co);
	int rc = *pol ? sg_compile(*pol, &co, prog, &d) : -1;
	sg_diags_free(&d);
	return rc;
}

static int refuses(uint32_t r) { return (r & SG_RET_ACTION_FULL) != SG_RET_ALLOW && (r & SG_RET_ACTION_FULL) != SG_RET_LOG; }

static void check_divert_on(const char *file, const struct sg_prog *orig, const struct sg_prog *div)
{
	uint64_t seed = 42;
	for (size_t a = 0; a < 3; a++) {
		const struct sg_arch *arch = x86fam[a];
		uint32_t exit_group;
		sg_syscall_nr(arch, "exit_group", &exit_group);
		for (uint32_t k = 0; k < SG_SYSCALL_SPAN + 2; k++) {
			struct sg_seccomp_data sd = { .nr = k == SG_SYSCALL_SPAN + 1 ? SG_NR_SKIP : arch->nr_base + k,
						      .arch = arch->audit_arch };
			for (int t = 0; t < 4; t++) {
				for (int i = 0; i < SG_MAX_ARGS; i++)
					sd.args[i] = t == 0 ? 0 : splitmix64(&seed) >> (t * 16);
				uint32_t o = sg_bpf_run(orig->insns, orig->len, &sd, SG_LITTLE_ENDIAN, NULL, NULL, 0);
				uint32_t v = sg_bpf_run(div->insns, div->len, &sd, SG_LITTLE_ENDIAN, NULL, NULL, 0);
				uint32_t want = sd.nr == exit_group || refuses(o) ? SG_RET_USER_NOTIF : o;
				CHECK(v == want, "%s: %s nr %u: original 0x%08x, diverted 0x%08x", file, arch->name, sd.nr, o, v);
			}
			int oc = sg_bpf_cacheable(orig->insns, orig->len, sd.arch, sd.nr);
			int vc = sg_bpf_cacheable(div->insns, div->len, sd.arch, sd.nr);
			CHECK(vc == (oc && sd.nr != exit_group), "%s: %s nr %u: cached %d, diverted %d", file, arch->name,
			      sd.nr, oc, vc);
		}
	}
}

static void test_divert(const char *dir)
{
	static const char *const files[] = { "runtime-default.json", "nginx.json", "deny-dangerous.json",
					     "audit.json", "minimal-strict.json" };
	for (size_t f = 0; f < sizeof(files) / sizeof(*files); f++) {
		char path[512], *text = NULL;
		size_t len = 0;
		struct sg_diags d;
		struct sg_profile *p = NULL;
		struct sg_policy *pol = NULL;
		struct sg_prog orig = { 0 }, div = { 0 };
		sg_diags_init(&d);
		snprintf(path, sizeof(path), "%s/%s", dir, files[f]);
		if (sg_read_file(path, &text, &len, &d) || compile(path, text, len, &p, &pol, &orig)) {
			CHECK(0, "%s does not compile", path);
		} else if (sg_divert(&orig, x86fam, 3, &div, &d)) {
			CHECK(0, "%s: divert failed", path);
		} else {
			check_divert_on(files[f], &orig, &div);
		}
		sg_prog_free(&div);
		sg_prog_free(&orig);
		sg_policy_free(pol);
		sg_profile_free(p);
		free(text);
		sg_diags_free(&d);
	}
	/* what divert refuses: a notifying filter, a computed return */
	struct sg_insn notify = { SG_BPF_RET | SG_BPF_K, 0, 0, SG_RET_USER_NOTIF }, reta = { SG_BPF_RET | SG_BPF_A, 0, 0, 0 };
	struct sg_prog pn = { &notify, 1 }, pa = { &reta, 1 }, out;
	struct sg_diags d;
	sg_diags_init(&d);
	CHECK(sg_divert(&pn, x86fam, 3, &out, &d) == -1 && d.errors == 1, "a notifying filter is diverted");
	CHECK(sg_divert(&pa, x86fam, 3, &out, &d) == -1 && d.errors == 2, "ret a is diverted");
	sg_diags_free(&d);
}

struct call {
	uint32_t arch, nr;
	uint64_t arg1;
};

static char *learn_text(const struct call *calls, size_t n, const size_t *order, int track)
{
	struct sg_diags d;
	sg_diags_init(&d);
	struct sg_learn *l = sg_learn_new(x86fam[0]);
	if (track)
		sg_learn_track(l, "ioctl", &d);
	for (size_t i = 0; i < n; i++) {
		const struct call *c = &calls[order ? order[i] : i];
		uint64_t args[6] = { 3, c->arg1, 0, 0, 0, 0 };
		sg_learn_add(l, c->arch, c->nr, args, SG_RET_ALLOW, &d);
	}
	char *text = NULL;
	size_t len;
	struct sg_learn_opts o = { SG_LEARN_OCI, NULL };
	if (sg_learn_write(l, &o, &text, &len, &d))
		text = NULL;
	sg_learn_free(l);
	sg_diags_free(&d);
	return text;
}

static void test_learn(void)
{
	const uint32_t x64 = x86fam[0]->audit_arch, i386 = x86fam[1]->audit_arch;
	const struct call calls[] = {
		{ x64, 0, 0 },           /* read */
		{ x64, 16, 0x5401 },     /* ioctl TCGETS */
		{ x64, 16, 0x541b },     /* ioctl FIONREAD */
		{ x64, 16, 0x5401 },     /* again */
		{ i386, 5, 0 },          /* i386 open */
		{ x64, 0x40000000 + 2, 0 }, /* x32 open */
		{ x64, 231, 0 },         /* exit_group */
	};
	const size_t n = sizeof(calls) / sizeof(*calls);
	char *base = learn_text(calls, n, NULL, 1);
	const char *shown = base ? base : "(nothing)";
	CHECK(base && strstr(base, "\"SCMP_ARCH_X86_64\",\n    \"SCMP_ARCH_X86\",\n    \"SCMP_ARCH_X32\""), "arches: %s", shown);
	CHECK(base && strstr(base, "\"exit_group\",\n        \"open\",\n        \"read\""), "names: %s", shown);
	CHECK(base && strstr(base, "\"value\": 21505,") && strstr(base, "\"value\": 21531,"), "ioctl values: %s", shown);
	CHECK(base && !strstr(base, "\"ioctl\",\n"), "ioctl is conditional: %s", shown);
	uint64_t seed = 7;
	for (int round = 0; round < 50; round++) {
		size_t order[16];
		for (size_t i = 0; i < n; i++)
			order[i] = i;
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = (size_t)(splitmix64(&seed) % (i + 1)), t = order[i];
			order[i] = order[j], order[j] = t;
		}
		char *again = learn_text(calls, n, order, 1);
		CHECK(base && again && strcmp(base, again) == 0, "order %d gives other bytes", round);
		free(again);
	}
	/* the profile parses, and its filter allows exactly what was added (and on x86_64, i386's open too:
	 * OCI rules name syscalls, not an architecture's) */
	struct sg_profile *p = NULL;
	struct sg_policy *pol = NULL;
	struct sg_prog prog = { 0 };
	CHECK(base && compile("learned.json", base, strlen(base), &p, &pol, &prog) == 0, "learned profile: %s", shown);
	for (size_t i = 0; pol && i < n; i++) {
		struct sg_seccomp_data sd = { .nr = calls[i].nr, .arch = calls[i].arch, .args = { 3, calls[i].arg1 } };
		CHECK(sg_bpf_run(prog.insns, prog.len, &sd, SG_LITTLE_ENDIAN, NULL, NULL, 0) == SG_RET_ALLOW, "call %zu", i);
	}
	struct sg_seccomp_data other = { .nr = 16, .arch = x64, .args = { 3, 0x5402 } };
	CHECK(!pol || sg_bpf_run(prog.insns, prog.len, &other, SG_LITTLE_ENDIAN, NULL, NULL, 0) == (SG_RET_ERRNO | 1),
	      "an ioctl request never seen is allowed");
	sg_prog_free(&prog);
	sg_policy_free(pol);
	sg_profile_free(p);
	char *untracked = learn_text(calls, n, NULL, 0);
	CHECK(untracked && strstr(untracked, "\"ioctl\",\n") && !strstr(untracked, "args"), "untracked: %s",
	      untracked ? untracked : "(nothing)");
	free(untracked);
	free(base);

	struct sg_diags d;
	sg_diags_init(&d);
	struct sg_learn *l = sg_learn_new(x86fam[0]);
	CHECK(sg_learn_add(l, 0xdeadbeef, 1, NULL, 0, &d) == -1 && sg_learn_add(l, x64, 999, NULL, 0, &d) == -1,
	      "unknown calls are refused");
	CHECK(sg_learn_add(l, x64, 0, NULL, 0, &d) == 1 && sg_learn_add(l, x64, 0, NULL, 0, &d) == 0 &&
		      sg_learn_count(l) == 1, "count");
	CHECK(sg_learn_track(l, "open", &d) == -1 && d.errors == 1, "open is not trackable");
	sg_learn_free(l);
	sg_diags_free(&d);

	/* nine architectures: more than sysgate reads back, so not written */
	static const char *const nine[] = { "x86_64", "x86",     "aarch64", "arm",    "s390x",
					    "s390",   "ppc64le", "ppc64",   "riscv64" };
	sg_diags_init(&d);
	l = sg_learn_new(x86fam[0]);
	for (size_t i = 0; i < 9; i++)
		sg_learn_add(l, sg_arch_lookup(nine[i])->audit_arch, 1, NULL, 0, &d);
	char *text = NULL;
	size_t len = 0;
	struct sg_learn_opts o = { SG_LEARN_OCI, NULL };
	CHECK(sg_learn_write(l, &o, &text, &len, &d) == -1 && !text && d.errors == 1, "nine architectures are written");
	sg_learn_free(l);
	sg_diags_free(&d);
}

/* The profile learned from bases (resolved for x86_64) and calls (x86_64 numbers, no arguments). */
static char *merged(const char *const *bases, size_t nbases, const uint32_t *nrs, size_t ncalls, size_t *warnings)
{
	struct sg_diags d;
	sg_diags_init(&d);
	struct sg_learn *l = sg_learn_new(x86fam[0]);
	for (size_t i = 0; i < nbases; i++) {
		struct sg_resolve_opts o;
		sg_resolve_opts_init(&o);
		o.host = x86fam[0];
		struct sg_profile *p = sg_profile_parse("base.json", bases[i], strlen(bases[i]), &d);
		struct sg_policy *pol = p ? sg_resolve(p, &o, &d) : NULL;
		CHECK(pol && sg_learn_add_base(l, pol, &d) == 0, "base %zu is refused", i);
		sg_policy_free(pol);
		sg_profile_free(p);
	}
	for (size_t i = 0; i < ncalls; i++)
		sg_learn_add(l, x86fam[0]->audit_arch, nrs[i], NULL, SG_RET_ALLOW, &d);
	char *text = NULL;
	size_t len;
	struct sg_learn_opts o = { SG_LEARN_OCI, NULL };
	if (sg_learn_write(l, &o, &text, &len, &d))
		text = NULL;
	if (warnings)
		*warnings = d.warnings;
	sg_learn_free(l);
	sg_diags_free(&d);
	return text;
}

/* What the learned profile's filter returns for an x86_64 call. */
static uint32_t verdict(const char *text, uint32_t nr, uint64_t arg0)
{
	struct sg_profile *p = NULL;
	struct sg_policy *pol = NULL;
	struct sg_prog prog = { 0 };
	uint32_t r = 0xdeadbeef;
	struct sg_seccomp_data sd = { .nr = nr, .arch = x86fam[0]->audit_arch, .args = { arg0 } };
	if (text && compile("learned.json", text, strlen(text), &p, &pol, &prog) == 0)
		r = sg_bpf_run(prog.insns, prog.len, &sd, SG_LITTLE_ENDIAN, NULL, NULL, 0);
	sg_prog_free(&prog);
	sg_policy_free(pol);
	sg_profile_free(p);
	return r;
}

static void test_bases(void)
{
	const uint32_t ptrace = 101, read_ = 0, getpid = 39, clone3 = 435;
	const char *ptrace_base = "{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
				  "\"syscalls\":[{\"names\":[\"read\",\"ptrace\"],\"action\":\"SCMP_ACT_ALLOW\"},"
				  "{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
	const char *allow_ptrace = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"ptrace\"],"
				   "\"action\":\"SCMP_ACT_ALLOW\"}]}";
	const char *enosys = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"clone3\"],"
			     "\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"ENOSYS\"}]}";
	size_t warnings = 0;
	char *t = merged(&ptrace_base, 1, NULL, 0, NULL);
	CHECK(verdict(t, ptrace, 0) == (SG_RET_ERRNO | 1), "a base's refused ptrace is allowed: %s", t ? t : "");
	CHECK(verdict(t, read_, 0) == SG_RET_ALLOW && verdict(t, getpid, 0) == SG_RET_KILL_PROCESS, "ptrace base: %s",
	      t ? t : "");
	free(t);
	t = merged(&enosys, 1, NULL, 0, NULL);
	CHECK(verdict(t, clone3, 0) == (SG_RET_ERRNO | 38) && t && strstr(t, "\"errnoRet\": 38"), "ENOSYS: %s",
	      t ? t : "");
	free(t);
	t = merged(&ptrace_base, 1, &ptrace, 1, NULL);
	CHECK(verdict(t, ptrace, 0) == SG_RET_ALLOW, "a call seen keeps the base's refusal: %s", t ? t : "");
	free(t);
	const char *both[2] = { ptrace_base, allow_ptrace }, *swapped[2] = { allow_ptrace, ptrace_base };
	t = merged(both, 2, NULL, 0, &warnings);
	char *u = merged(swapped, 2, NULL, 0, NULL);
	CHECK(verdict(t, ptrace, 0) == SG_RET_ALLOW && verdict(t, getpid, 0) == SG_RET_KILL_PROCESS && warnings == 1,
	      "another input's allow: %zu warnings, %s", warnings, t ? t : "");
	CHECK(t && u && strcmp(t, u) == 0, "the inputs' order shows");
	free(t);
	free(u);
	const char *conds[2] = {
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_TRAP\","
		"\"args\":[{\"index\":1,\"value\":9,\"op\":\"SCMP_CMP_EQ\"},{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_GT\"}]}]}",
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_TRAP\","
		"\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_GT\"},{\"index\":1,\"value\":9,\"op\":\"SCMP_CMP_EQ\"}]}]}",
	};
	t = merged(&conds[0], 1, NULL, 0, NULL);
	u = merged(&conds[1], 1, NULL, 0, NULL);
	CHECK(t && u && strcmp(t, u) == 0 && strstr(t, "SCMP_ACT_TRAP"), "condition order shows: %s", t ? t : "");
	free(t);
	free(u);
}

/* complain: a call sysgate has no name for is said once per decision, with its number; the summary
 * counts and lists each syscall once, whatever its decisions. */
static void test_complain(void)
{
	/* args[0] == 0: ERRNO(1), else TRAP */
	struct sg_insn insns[] = {
		{ SG_BPF_LD | SG_BPF_W | SG_BPF_ABS, 0, 0, SG_OFF_ARGS },
		{ SG_BPF_JMP | SG_BPF_JEQ | SG_BPF_K, 0, 1, 0 },
		{ SG_BPF_RET | SG_BPF_K, 0, 0, SG_RET_ERRNO | 1 },
		{ SG_BPF_RET | SG_BPF_K, 0, 0, SG_RET_TRAP },
	};
	struct sg_prog prog = { insns, 4 };
	struct sg_diags d;
	sg_diags_init(&d);
	struct sg_complain *c = sg_complain_new(&prog, NULL, SG_RET_KILL_PROCESS);
	const uint32_t x64 = x86fam[0]->audit_arch;
	struct sg_seccomp_data calls[] = {
		{ .nr = 999, .arch = x64 },                     /* said */
		{ .nr = 999, .arch = x64 },                     /* again: not */
		{ .nr = 999, .arch = x64, .args = { 1 } },      /* another decision: said */
		{ .nr = 0, .arch = x64 },                       /* read: said */
		{ .nr = 0, .arch = x64, .args = { 1 } },        /* read, another decision: said */
		{ .nr = 1, .arch = 0xdeadbeef },                /* said */
		{ .nr = 1, .arch = 0xdeadbeef },                /* again: not */
	};
	const int said[] = { 1, 0, 1, 1, 1, 1, 0 };
	char line[512], sum[512];
	for (size_t i = 0; c && i < sizeof(calls) / sizeof(*calls); i++) {
		int r = sg_complain_call(c, &calls[i], 7, line, sizeof(line), &d);
		CHECK(r == said[i], "complain call %zu: %d", i, r);
		if (i == 0)
			CHECK(strncmp(line, "arch x86_64 nr 999(0x0, ", 24) == 0, "unknown call: %s", line);
		if (i == 5)
			CHECK(strncmp(line, "arch 0xdeadbeef nr 1(", 21) == 0, "unknown arch: %s", line);
	}
	if (c)
		sg_complain_summary(c, sum, sizeof(sum));
	CHECK(c && strcmp(sum, "3 syscalls would have been refused (7 calls): nr 999, read, arch 0xdeadbeef nr 1") == 0,
	      "summary: %s", c ? sum : "(none)");
	sg_complain_free(c);
	sg_diags_free(&d);
}

int main(int argc, char **argv)
{
	x86fam[0] = sg_arch_lookup("x86_64");
	x86fam[1] = sg_arch_lookup("x86");
	x86fam[2] = sg_arch_lookup("x32");
	test_divert(argc > 1 ? argv[1] : "profiles");
	test_learn();
	test_bases();
	test_complain();
	return check_summary("learn");
}
