/* profiles/runtime-default.json, the profile `sysgate exec` embeds, against
 * Docker's current default (../shared/corpus/moby-default-current.json): for
 * every host architecture of its archMap (and a few without an entry), a
 * range of capability sets and kernel versions, both profiles must resolve
 * to the same targets, and the reference semantics (sg_policy_eval) and the
 * compiled filters (sg_bpf_run) must give the same action for every syscall
 * number nr_base..nr_base+600, -1, and, for syscalls with argument rules, a
 * set of argument values built from every constant in either profile.
 * Without ../shared the comparison is skipped, but runtime-default.json must
 * still parse, resolve and compile, and a few decisions are checked directly.
 * SYSGATE_QUICK=1 (valgrind) compares fewer argument values, capability sets,
 * kernels and compiled filters, and sweeps every number only on x86_64 (on the
 * other hosts: the numbers the rules name and their neighbours). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sysgate/emit.h"
#include "sysgate/emulate.h"
#include "sysgate/eval.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"

#define OURS "profiles/runtime-default.json"
#define MOBY "/corpus/moby-default-current.json"
#define SWEEP 600 /* numbers nr_base .. nr_base+SWEEP */

static int quick;
static size_t inputs_compared, filter_inputs_compared, configs_compared, configs_compiled, mismatches;

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r) { return splitmix64(&r->s); }

static struct sg_profile *load(const char *path)
{
	struct sg_diags d;
	sg_diags_init(&d);
	char *text = NULL;
	size_t len = 0;
	struct sg_profile *p = NULL;
	if (sg_read_file(path, &text, &len, &d) == 0)
		p = sg_profile_parse(path, text, len, &d);
	if (!p || d.n)
		sg_diags_print(&d, stderr);
	CHECK(p != NULL, "%s parses", path);
	CHECK(d.warnings == 0, "%s parses without warnings (%zu)", path, d.warnings);
	free(text);
	sg_diags_free(&d);
	return p;
}

/* ---- one profile resolved (and compiled) for one configuration -------------- */

struct built {
	struct sg_policy *pol;
	struct sg_prog prog; /* empty when not compiled */
	struct sg_compile_opts co;
	struct sg_diags d;
};

static int build(const struct sg_profile *p, const struct sg_arch *host, uint64_t caps, const unsigned kernel[3],
		 int compile, struct built *b)
{
	memset(b, 0, sizeof(*b));
	sg_diags_init(&b->d);
	sg_compile_opts_init(&b->co);
	struct sg_resolve_opts o;
	sg_resolve_opts_init(&o);
	o.host = host;
	o.caps = caps;
	memcpy(o.kernel, kernel, sizeof(o.kernel));
	b->pol = sg_resolve(p, &o, &b->d);
	if (!b->pol)
		return -1;
	if (!compile)
		return 0;
	if (sg_compile(b->pol, &b->co, &b->prog, &b->d))
		return -1;
	char why[128];
	CHECK(sg_bpf_check(b->prog.insns, b->prog.len, why, sizeof(why)) == 0, "%s: kernel checks: %s", p->file, why);
	return 0;
}

static void release(struct built *b)
{
	sg_prog_free(&b->prog);
	sg_policy_free(b->pol);
	sg_diags_free(&b->d);
}

/* ---- argument values --------------------------------------------------------- */

struct values {
	uint64_t *v;
	size_t n, cap;
};

static void add(struct values *vs, uint64_t x)
{
	if (vs->n == vs->cap) {
		vs->cap = vs->cap ? vs->cap * 2 : 64;
		vs->v = realloc(vs->v, vs->cap * sizeof(*vs->v));
		if (!vs->v)
			abort(); /* test harness: out of memory is fatal */
	}
	vs->v[vs->n++] = x;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Every constant either profile compares with and its neighbours, the edges of
 * 32 and 64 bits, values built from the masks, random values from a fixed
 * seed (quick: fewer) and, unless quick, each single bit. Sorted, without
 * duplicates. */
static void collect_values(struct values *vs, const struct sg_profile *const *ps, size_t np)
{
	static const uint64_t fixed[] = { 0, 1, ~0ull, 0xffffffffull, 0x100000000ull, 0x7fffffffull, 0x80000000ull,
					  0x8000000000000000ull, 0xffffffff00000000ull };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		add(vs, fixed[i]);
	for (size_t i = 0; i < np; i++)
		for (size_t r = 0; r < ps[i]->nrules; r++)
			for (size_t c = 0; c < ps[i]->rules[r].nconds; c++) {
				const struct sg_cond *k = &ps[i]->rules[r].conds[c];
				uint64_t base[2] = { k->value, k->value_two };
				for (int j = 0; j < 2; j++) {
					add(vs, base[j]);
					add(vs, base[j] + 1);
					add(vs, base[j] - 1);
				}
				if (k->op == SG_CMP_MASKED_EQ) {
					add(vs, k->value_two | ~k->value);
					add(vs, k->value | 0x11);     /* every masked bit, plus others */
					add(vs, k->value_two | 0x11); /* masked bits as wanted, plus others */
					for (unsigned bit = 0; bit < 64; bit++)
						if (k->value >> bit & 1)
							add(vs, 1ull << bit | 0x11); /* one masked bit set */
				}
			}
	for (unsigned bit = 0; bit < 64 && !quick; bit++)
		add(vs, 1ull << bit);
	struct rng r = { 0xdefa017 };
	for (int i = 0; i < (quick ? 6 : 48); i++) {
		uint64_t x = next(&r);
		add(vs, i % 3 == 0 ? x : i % 3 == 1 ? (x & 0xffffffff) : (x & 0xff));
	}
	qsort(vs->v, vs->n, sizeof(*vs->v), cmp_u64);
	size_t k = 0;
	for (size_t i = 0; i < vs->n; i++)
		if (!k || vs->v[k - 1] != vs->v[i])
			vs->v[k++] = vs->v[i];
	vs->n = k;
}

/* ---- comparison ------------------------------------------------------------------ */

struct pair {
	const struct built *ours, *moby;
	const char *what;
	size_t bad;
};

static void compare_one(struct pair *pr, uint32_t audit, enum sg_endian e, uint32_t nr, const uint64_t args[6])
{
	const struct sg_arch_policy *apo, *apm;
	long ro, rm;
	uint32_t eo = sg_policy_eval(pr->ours->pol, audit, nr, args, pr->ours->co.bad_arch_action, &apo, &ro);
	uint32_t em = sg_policy_eval(pr->moby->pol, audit, nr, args, pr->moby->co.bad_arch_action, &apm, &rm);
	uint32_t fo = eo, fm = em;
	inputs_compared++;
	if (pr->ours->prog.len && pr->moby->prog.len) {
		struct sg_seccomp_data sd = { .nr = nr, .arch = audit };
		memcpy(sd.args, args, sizeof(sd.args));
		fo = sg_bpf_run(pr->ours->prog.insns, pr->ours->prog.len, &sd, e, NULL, NULL, 0);
		fm = sg_bpf_run(pr->moby->prog.insns, pr->moby->prog.len, &sd, e, NULL, NULL, 0);
		filter_inputs_compared++;
	}
	if (eo == em && fo == fm && fo == eo)
		return;
	if (pr->bad++ < 5) {
		char a[4][40];
		sg_action_format(eo, a[0], sizeof(a[0]));
		sg_action_format(em, a[1], sizeof(a[1]));
		sg_action_format(fo, a[2], sizeof(a[2]));
		sg_action_format(fm, a[3], sizeof(a[3]));
		fprintf(stderr,
			"%s: arch 0x%08x nr %u args 0x%llx 0x%llx 0x%llx: rules ours %s moby %s, filter ours %s moby %s\n",
			pr->what, audit, nr, (unsigned long long)args[0], (unsigned long long)args[1],
			(unsigned long long)args[2], a[0], a[1], a[2], a[3]);
	}
}

static int has_arg_rule(const struct sg_arch_policy *ap, uint32_t nr)
{
	for (size_t i = 0; i < ap->nrules; i++)
		if (ap->rules[i].nr == nr && ap->rules[i].nconds)
			return 1;
	return 0;
}

static int names_nr(const struct sg_arch_policy *ap, uint32_t nr)
{
	for (size_t i = 0; i < ap->nrules; i++)
		if (ap->rules[i].nr == nr)
			return 1;
	return 0;
}

static void compare_args(struct pair *pr, const struct sg_arch *arch, uint32_t nr, const struct values *vs,
			 struct rng *r)
{
	uint64_t args[6] = { 0 };
	/* one argument at a time */
	for (unsigned idx = 0; idx < 3; idx++) {
		for (size_t i = 0; i < vs->n; i++) {
			args[idx] = vs->v[i];
			compare_one(pr, arch->audit_arch, arch->endian, nr, args);
		}
		args[idx] = 0;
	}
	/* all of them at once, drawn from the same values */
	size_t mixed = quick ? 16 : 96;
	for (size_t i = 0; i < mixed; i++) {
		for (unsigned idx = 0; idx < 6; idx++)
			args[idx] = idx < 3 ? vs->v[next(r) % vs->n] : next(r);
		compare_one(pr, arch->audit_arch, arch->endian, nr, args);
	}
}

/* Same targets in the same order, same defaults and flags; then every number. */
static void compare_config(const struct built *ours, const struct built *moby, const char *what,
			   const struct values *vs, int sweep_all)
{
	struct pair pr = { ours, moby, what, 0 };
	const struct sg_policy *po = ours->pol, *pm = moby->pol;
	int same = po->narches == pm->narches && po->flags == pm->flags;
	for (size_t a = 0; same && a < po->narches; a++)
		same = po->arches[a].arch == pm->arches[a].arch &&
		       po->arches[a].default_action == pm->arches[a].default_action &&
		       po->arches[a].nunknown == pm->arches[a].nunknown;
	CHECK(same, "%s: the same targets, defaults, flags and unknown names", what);
	if (!same)
		return;
	struct rng r = { 0x5eed };
	for (size_t a = 0; a < po->narches; a++) {
		const struct sg_arch_policy *ao = &po->arches[a], *am = &pm->arches[a];
		const struct sg_arch *arch = ao->arch;
		uint64_t zero[6] = { 0 };
		for (uint32_t k = 0; k <= SWEEP; k++) {
			uint32_t nr = arch->nr_base + k;
			/* quick: every number only for host x86_64, elsewhere the
			 * numbers any rule names and their neighbours */
			if (!sweep_all && !names_nr(ao, nr) && !names_nr(am, nr) && !names_nr(ao, nr - 1) &&
			    !names_nr(am, nr - 1) && !names_nr(ao, nr + 1) && !names_nr(am, nr + 1))
				continue;
			compare_one(&pr, arch->audit_arch, arch->endian, nr, zero);
			if (has_arg_rule(ao, nr) || has_arg_rule(am, nr))
				compare_args(&pr, arch, nr, vs, &r);
		}
		/* rule numbers outside the sweep, if any */
		for (int side = 0; side < 2; side++) {
			const struct sg_arch_policy *ap = side ? am : ao;
			for (size_t i = 0; i < ap->nrules; i++)
				if (ap->rules[i].nr - arch->nr_base > SWEEP)
					compare_one(&pr, arch->audit_arch, arch->endian, ap->rules[i].nr, zero);
		}
		compare_one(&pr, arch->audit_arch, arch->endian, 0xffffffffu, zero);
		compare_one(&pr, arch->audit_arch, arch->endian, arch->nr_base + 0x10000, zero);
	}
	/* a foreign arch takes the bad-arch action in both */
	uint64_t zero[6] = { 0 };
	compare_one(&pr, 0x12345678u, po->arches[0].arch->endian, 0, zero);
	configs_compared++;
	mismatches += pr.bad;
	CHECK(pr.bad == 0, "%s: %zu inputs differ", what, pr.bad);
}

/* ---- the grid --------------------------------------------------------------------- */

struct capset {
	char name[64];
	uint64_t caps;
};

static size_t capsets(struct capset *out, size_t max, const struct sg_profile *const *ps, size_t np)
{
	const uint64_t dflt = sg_caps_docker_default();
	int sys_admin = sg_cap_lookup("CAP_SYS_ADMIN"), ptrace = sg_cap_lookup("CAP_SYS_PTRACE");
	int bpf = sg_cap_lookup("CAP_BPF"), perfmon = sg_cap_lookup("CAP_PERFMON");
	int nice = sg_cap_lookup("CAP_SYS_NICE"), dac = sg_cap_lookup("CAP_DAC_READ_SEARCH");
	size_t n = 0;
	out[n++] = (struct capset){ "docker-default", dflt };
	out[n++] = (struct capset){ "all", ~0ull };
	out[n++] = (struct capset){ "none", 0 };
	out[n++] = (struct capset){ "default+SYS_ADMIN", dflt | 1ull << sys_admin };
	out[n++] = (struct capset){ "default+SYS_PTRACE", dflt | 1ull << ptrace };
	out[n++] = (struct capset){ "default+BPF+PERFMON", dflt | 1ull << bpf | 1ull << perfmon };
	out[n++] = (struct capset){ "default+SYS_NICE", dflt | 1ull << nice };
	out[n++] = (struct capset){ "default+SYS_ADMIN+SYS_PTRACE+DAC_READ_SEARCH",
				    dflt | 1ull << sys_admin | 1ull << ptrace | 1ull << dac };
	if (quick)
		return n;
	/* every capability either profile tests, alone, added to the default and
	 * taken from all */
	uint64_t seen = 0;
	for (size_t i = 0; i < np; i++)
		for (size_t r = 0; r < ps[i]->nrules; r++) {
			const struct sg_rule *ru = &ps[i]->rules[r];
			const struct sg_filter *fs[2] = { ru->includes, ru->excludes };
			for (int k = 0; k < 2; k++)
				for (size_t c = 0; fs[k] && c < fs[k]->ncaps; c++) {
					int cap = sg_cap_lookup(fs[k]->caps[c]);
					CHECK(cap >= 0, "known capability %s", fs[k]->caps[c]);
					if (cap < 0 || (seen >> cap & 1) || n + 3 > max)
						continue;
					seen |= 1ull << cap;
					const char *nm = sg_cap_name((unsigned)cap) + 4;
					snprintf(out[n].name, sizeof(out[n].name), "only %s", nm);
					out[n++].caps = 1ull << cap;
					snprintf(out[n].name, sizeof(out[n].name), "default+%s", nm);
					out[n++].caps = dflt | 1ull << cap;
					snprintf(out[n].name, sizeof(out[n].name), "all-%s", nm);
					out[n++].caps = ~0ull & ~(1ull << cap);
				}
		}
	return n;
}

static void compare_with_moby(const struct sg_profile *ours, const struct sg_profile *moby)
{
	/* the fixed facts first */
	CHECK(ours->default_action.kind == moby->default_action.kind &&
		      ours->default_action.has_errno_ret == moby->default_action.has_errno_ret &&
		      ours->default_action.errno_ret == moby->default_action.errno_ret,
	      "same default action");
	CHECK(ours->has_flags == moby->has_flags && ours->flags == moby->flags, "same flags");
	CHECK(ours->has_archmap && moby->has_archmap && ours->narchmap == moby->narchmap, "same archMap size");
	for (size_t i = 0; i < moby->narchmap; i++) {
		const struct sg_archmap_entry *m = &moby->archmap[i], *o = NULL;
		for (size_t j = 0; j < ours->narchmap && !o; j++)
			if (ours->archmap[j].arch == m->arch)
				o = &ours->archmap[j];
		int same = o && o->nsubs == m->nsubs;
		for (size_t k = 0; same && k < m->nsubs; k++)
			same = o->subs[k] == m->subs[k];
		CHECK(same, "archMap entry %s: same sub-architectures", m->arch->name);
	}

	const struct sg_profile *both[2] = { ours, moby };
	struct values vs = { 0 };
	collect_values(&vs, both, 2);
	struct capset cs[160];
	size_t ncs = capsets(cs, sizeof(cs) / sizeof(*cs), both, 2);
	static const unsigned kernels[][3] = { { 4, 7, 0 }, { 4, 8, 0 }, { 5, 8, 0 }, { 6, 1, 0 }, { 6, 17, 0 } };
	static const char *const hosts[] = { "x86_64",    "aarch64",  "s390x",       "ppc64le", "riscv64",
					     "mips64",    "loongarch64", "mips64n32", "mipsel64", "mipsel64n32",
					     "x86",       "arm",      "s390",        "x32" };
	const size_t nbase = 8, brief_hosts = 7; /* the first capability sets and hosts: every kernel */
	size_t nhosts = sizeof(hosts) / sizeof(*hosts);
	const size_t nkernels = sizeof(kernels) / sizeof(*kernels);
	for (size_t h = 0; h < nhosts; h++) {
		const struct sg_arch *host = sg_arch_lookup(hosts[h]);
		CHECK(host != NULL, "arch %s", hosts[h]);
		if (!host)
			continue;
		for (size_t c = 0; c < ncs; c++)
			for (size_t k = 0; k < nkernels; k++) {
				/* every kernel for the base capability sets on the main hosts
				 * (quick: Docker's default capabilities only); elsewhere 4.7
				 * and 6.17, either side of the one minKernel (4.8);
				 * the single-capability sets on x86_64 and s390x (the two clone
				 * variants) only: includes and excludes do not depend on the host
				 * otherwise */
				int edge = k == 0 || k == nkernels - 1;
				if (!edge && (c >= nbase || h >= brief_hosts || (quick && c != 0)))
					continue;
				if (c >= nbase && strcmp(hosts[h], "x86_64") != 0 && strcmp(hosts[h], "s390x") != 0)
					continue;
				/* compiling is the slow part: both filters are compiled and run
				 * for the base capability sets at 4.7 and 6.17 (quick: Docker's
				 * default and +CAP_SYS_ADMIN); the rest compares the rules */
				int compile = edge && c < nbase && (!quick || c == 0 || c == 3);
				char what[192];
				snprintf(what, sizeof(what), "host %.16s, caps %.63s, kernel %u.%u", hosts[h], cs[c].name,
					 kernels[k][0], kernels[k][1]);
				struct built bo, bm;
				int ro = build(ours, host, cs[c].caps, kernels[k], compile, &bo);
				int rm = build(moby, host, cs[c].caps, kernels[k], compile, &bm);
				configs_compiled += compile && ro == 0 && rm == 0;
				CHECK(ro == 0 && rm == 0, "%s: both resolve and compile", what);
				if (ro || rm) {
					sg_diags_print(&bo.d, stderr);
					sg_diags_print(&bm.d, stderr);
				} else {
					CHECK(bo.d.errors == 0 && bo.d.warnings == bm.d.warnings,
					      "%s: the same number of warnings (%zu, %zu)", what, bo.d.warnings,
					      bm.d.warnings);
					size_t overlaps = sg_policy_warn_overlaps(bo.pol, &bo.d);
					CHECK(overlaps == 0, "%s: no overlapping rules with different actions", what);
					compare_config(&bo, &bm, what, &vs, !quick || h == 0);
				}
				release(&bo);
				release(&bm);
			}
	}
	printf("default: %zu configurations (%zu hosts, %zu capability sets, kernels 4.7..6.17), %zu argument "
	       "values: %zu inputs compared by the rules, %zu of them also by both compiled filters (%zu "
	       "configurations), %zu mismatches\n",
	       configs_compared, nhosts, ncs, vs.n, inputs_compared, filter_inputs_compared, configs_compiled,
	       mismatches);
	free(vs.v);
}

/* ---- runtime-default.json on its own ----------------------------------------------- */

static uint32_t decide(const struct built *b, const char *arch, const char *name, uint64_t a0, uint64_t a1)
{
	const struct sg_arch *a = sg_arch_lookup(arch);
	uint32_t nr;
	if (!a || sg_syscall_nr(a, name, &nr)) {
		CHECK(0, "%s has %s", arch, name);
		return 0xdeadu;
	}
	uint64_t args[6] = { a0, a1 };
	const struct sg_arch_policy *ap;
	long rule;
	uint32_t rules = sg_policy_eval(b->pol, a->audit_arch, nr, args, b->co.bad_arch_action, &ap, &rule);
	struct sg_seccomp_data sd = { .nr = nr, .arch = a->audit_arch, .args = { a0, a1 } };
	uint32_t filter = sg_bpf_run(b->prog.insns, b->prog.len, &sd, a->endian, NULL, NULL, 0);
	CHECK(rules == filter, "%s %s(0x%llx, 0x%llx): rules 0x%08x, filter 0x%08x", arch, name,
	      (unsigned long long)a0, (unsigned long long)a1, rules, filter);
	return rules;
}

static void test_ours_alone(const struct sg_profile *p)
{
	/* names sorted within every rule, as the file promises */
	for (size_t r = 0; r < p->nrules; r++)
		for (size_t k = 1; k < p->rules[r].nnames; k++)
			CHECK(strcmp(p->rules[r].names[k - 1], p->rules[r].names[k]) < 0, "rule %zu: %s before %s", r,
			      p->rules[r].names[k - 1], p->rules[r].names[k]);

	const uint32_t allow = SG_RET_ALLOW, eperm = SG_RET_ERRNO | 1, enosys = SG_RET_ERRNO | 38;
	const uint64_t dflt = sg_caps_docker_default();
	const uint64_t admin = dflt | 1ull << sg_cap_lookup("CAP_SYS_ADMIN");
	const unsigned k61[3] = { 6, 1, 0 }, k47[3] = { 4, 7, 0 };
	struct built b;
	CHECK(build(p, sg_arch_lookup("x86_64"), dflt, k61, 1, &b) == 0, "resolves and compiles for x86_64");
	if (!b.pol) {
		sg_diags_print(&b.d, stderr);
		release(&b);
		return;
	}
	char why[128];
	CHECK(sg_bpf_check(b.prog.insns, b.prog.len, why, sizeof(why)) == 0, "kernel checks: %s", why);
	CHECK(b.pol->narches == 3 && b.pol->arches[1].arch == sg_arch_lookup("x86") &&
		      b.pol->arches[2].arch == sg_arch_lookup("x32"),
	      "x86_64 targets x86_64, x86, x32");
	CHECK(b.d.errors == 0, "no errors");
	for (size_t i = 0; i < b.d.n; i++)
		CHECK(strstr(b.d.v[i].message, "not on this architecture") != NULL, "only unknown-name warnings: %s",
		      b.d.v[i].message);
	CHECK(decide(&b, "x86_64", "getpid", 0, 0) == allow, "getpid");
	CHECK(decide(&b, "x86_64", "socket", 2, 0) == allow, "socket(AF_INET)");
	CHECK(decide(&b, "x86_64", "socket", 38, 0) == eperm, "socket(AF_ALG)");
	CHECK(decide(&b, "x86_64", "socket", 39, 0) == allow, "socket(AF_NFC)");
	CHECK(decide(&b, "x86_64", "socket", 40, 0) == eperm, "socket(AF_VSOCK)");
	CHECK(decide(&b, "x86_64", "socket", 41, 0) == allow, "socket(AF_KCM)");
	CHECK(decide(&b, "x86_64", "personality", 8, 0) == allow, "personality(PER_LINUX32)");
	CHECK(decide(&b, "x86_64", "personality", 0xffffffff, 0) == allow, "personality(query)");
	CHECK(decide(&b, "x86_64", "personality", 0x0040000, 0) == eperm, "personality(ADDR_NO_RANDOMIZE)");
	CHECK(decide(&b, "x86_64", "clone", 0x11, 0) == allow, "clone(SIGCHLD)");
	CHECK(decide(&b, "x86_64", "clone", 0x10000011, 0) == eperm, "clone(CLONE_NEWUSER)");
	CHECK(decide(&b, "x86_64", "clone3", 0, 0) == enosys, "clone3: ENOSYS");
	CHECK(decide(&b, "x86_64", "mount", 0, 0) == eperm, "mount");
	CHECK(decide(&b, "x86_64", "ptrace", 0, 0) == allow, "ptrace on 6.1");
	CHECK(decide(&b, "x86_64", "arch_prctl", 0, 0) == allow, "arch_prctl");
	CHECK(decide(&b, "x86", "modify_ldt", 0, 0) == allow, "modify_ldt on x86 under an x86_64 host");
	CHECK(decide(&b, "x86", "socketcall", 0, 0) == allow, "socketcall (not argument-checked)");
	CHECK(decide(&b, "x32", "clone3", 0, 0) == enosys, "x32 clone3: ENOSYS");
	CHECK(decide(&b, "x86_64", "chroot", 0, 0) == allow, "chroot: CAP_SYS_CHROOT is a default capability");
	CHECK(decide(&b, "x86_64", "reboot", 0, 0) == eperm, "reboot");
	release(&b);

	CHECK(build(p, sg_arch_lookup("x86_64"), dflt, k47, 1, &b) == 0, "resolves for 4.7");
	if (b.pol)
		CHECK(decide(&b, "x86_64", "ptrace", 0, 0) == eperm, "ptrace on 4.7");
	release(&b);

	CHECK(build(p, sg_arch_lookup("x86_64"), admin, k61, 1, &b) == 0, "resolves with CAP_SYS_ADMIN");
	if (b.pol) {
		CHECK(decide(&b, "x86_64", "clone", 0x10000011, 0) == allow, "CAP_SYS_ADMIN: clone(CLONE_NEWUSER)");
		CHECK(decide(&b, "x86_64", "clone3", 0, 0) == allow, "CAP_SYS_ADMIN: clone3");
		CHECK(decide(&b, "x86_64", "mount", 0, 0) == allow, "CAP_SYS_ADMIN: mount");
	}
	release(&b);

	CHECK(build(p, sg_arch_lookup("s390x"), dflt, k61, 1, &b) == 0, "resolves for s390x");
	if (b.pol) {
		CHECK(decide(&b, "s390x", "clone", 0x10000011, 0x11) == allow, "s390x clone: flags are argument 1");
		CHECK(decide(&b, "s390x", "clone", 0x11, 0x10000011) == eperm, "s390x clone(CLONE_NEWUSER)");
		CHECK(decide(&b, "s390", "clone", 0x11, 0x10000011) == eperm, "s390 clone(CLONE_NEWUSER)");
	}
	release(&b);

	CHECK(build(p, sg_arch_lookup("mips64"), dflt, k61, 1, &b) == 0, "resolves for mips64");
	if (b.pol)
		CHECK(decide(&b, "mips64", "clone3", 0, 0) == enosys, "mips64 clone3: errno 38, as Docker writes it");
	release(&b);
}

int main(int argc, char **argv)
{
	const char *q = getenv("SYSGATE_QUICK");
	quick = q && *q == '1';
	struct sg_profile *ours = load(OURS);
	if (ours)
		test_ours_alone(ours);

	char path[4096];
	snprintf(path, sizeof(path), "%s" MOBY, argc > 1 ? argv[1] : "../shared");
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("SKIP: %s is absent: runtime-default.json is not compared with Docker's default\n", path);
	} else {
		fclose(f);
		struct sg_profile *moby = load(path);
		if (ours && moby)
			compare_with_moby(ours, moby);
		sg_profile_free(moby);
	}
	sg_profile_free(ours);
	return check_summary("default");
}
