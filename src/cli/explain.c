/* sysgate explain: which rule decides one syscall, and what the filter runs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sysgate/disasm.h"
#include "sysgate/emulate.h"
#include "sysgate/eval.h"

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno || *end || end == s || s[0] == '-')
		return -1;
	*v = x;
	return 0;
}

static void print_cond(const struct sg_cond *c)
{
	static const char *const sym[] = { "!=", "<", "<=", "==", ">=", ">", "&" };
	if (c->op == SG_CMP_MASKED_EQ)
		printf("(args[%u] & 0x%llx) == 0x%llx", c->index, (unsigned long long)c->value,
		       (unsigned long long)c->value_two);
	else
		printf("args[%u] %s 0x%llx", c->index, sym[c->op], (unsigned long long)c->value);
}

/* The width each tested argument is compared at, where the kernel reads
 * it narrower than the word: "args[0] family: int, 32 bits". */
static void print_widths(const struct sg_arch_rule *r, const struct sg_arch *arch)
{
	unsigned done = 0;
	for (size_t k = 0; k < r->nconds; k++) {
		unsigned i = r->conds[k].index;
		struct sg_arg_decl decl;
		if (done >> i & 1 || sg_rule_read(r, i) == SG_READ_WORD || sg_syscall_arg(arch, r->nr, i, &decl) != 1)
			continue;
		done |= 1u << i;
		printf("  args[%u] %s: %s, %u bits (compared as the kernel reads it; --arg-width 64: all 64)\n", i,
		       decl.name, decl.type, decl.bits);
	}
}

/* SYSCALL as a number on arch: a number, or a name in its table; -1 after
 * saying the arch has none. */
static int call_nr(const struct sg_arch *arch, const char *what, uint32_t *nr)
{
	uint64_t v;
	if (parse_u64(what, &v) == 0 && v <= UINT32_MAX) {
		*nr = (uint32_t)v;
		return 0;
	}
	if (sg_syscall_nr(arch, what, nr) == 0)
		return 0;
	printf("%s: no syscall \"%s\" on this architecture\n", arch->name, what);
	return -1;
}

/* "x86_64 socket(0x28, ...) [nr 41] -> SCMP_ACT_ERRNO(1)" */
static void print_call(const struct sg_arch *arch, uint32_t nr, const uint64_t args[6], uint32_t got)
{
	char act[48];
	const char *name = sg_syscall_name(arch, nr);
	sg_action_format(got, act, sizeof(act));
	printf("%s %s(", arch->name, name ? name : "?");
	for (int i = 0; i < 6; i++)
		printf("%s0x%llx", i ? ", " : "", (unsigned long long)args[i]);
	printf(") [nr %u] -> %s\n", nr, act);
}

/* "executed N instructions:" and each, disassembled as on arch. */
static void print_trace(const struct sg_prog *prog, const uint32_t *trace, size_t executed, const struct sg_arch *arch)
{
	printf("executed %zu instructions:\n", executed);
	sg_disasm_trace(stdout, "  ", prog->insns, prog->len, trace, executed < SG_BPF_MAXINSNS ? executed : SG_BPF_MAXINSNS,
			arch);
}

/* One arch: 0, 3 on a mismatch, or -1 when the arch has no such syscall. */
static int explain_on(const struct sg_profile *p, const struct sg_policy *pol, const struct sg_arch *arch,
		      const struct sg_compile_opts *co, const struct sg_prog *prog, const char *what,
		      const uint64_t args[6])
{
	uint32_t nr;
	if (call_nr(arch, what, &nr))
		return -1;
	const struct sg_arch_policy *ap;
	long rule;
	uint32_t want = sg_policy_eval(pol, arch->audit_arch, nr, args, co->bad_arch_action, &ap, &rule);

	struct sg_seccomp_data sd = { .nr = nr, .arch = arch->audit_arch };
	memcpy(sd.args, args, sizeof(sd.args));
	uint32_t trace[SG_BPF_MAXINSNS];
	size_t executed = 0;
	uint32_t got = sg_bpf_run(prog->insns, prog->len, &sd, arch->endian, &executed, trace, SG_BPF_MAXINSNS);

	print_call(arch, nr, args, got);
	if (rule >= 0) {
		const struct sg_arch_rule *r = &ap->rules[rule];
		const struct sg_rule *src = &p->rules[r->rule];
		printf("decided by %s:%u:%u %s (\"%s\")", sg_rule_file(p, src), src->loc.line, src->loc.col, src->loc.path,
		       src->names[r->name]);
		for (size_t k = 0; k < r->nconds; k++) {
			printf(k ? " && " : ": ");
			print_cond(&r->conds[k]);
		}
		printf("\n");
		print_widths(r, arch);
	} else if (rule == SG_RULE_ENOSYS) {
		char why[160];
		sg_stub_reason(ap, nr, why, sizeof(why));
		printf("decided by the ENOSYS stub (--enosys): %s\n", why);
	} else if (ap) {
		printf("decided by the default action (no rule for this syscall matches)\n");
	} else {
		printf("decided by the bad-arch action (the profile does not target this architecture)\n");
	}
	print_trace(prog, trace, executed, arch);
	if (got != want) {
		char w[48], act[48];
		sg_action_format(want, w, sizeof(w));
		sg_action_format(got, act, sizeof(act));
		printf("MISMATCH: the rules give %s but the filter returns %s\n", w, act);
		return 3;
	}
	return 0;
}

/* No target has the call: said, with the name closest among theirs. */
static int no_such_call(const char *what, const struct sg_arch *const *arches, size_t n)
{
	struct sg_suggester s;
	sg_suggest_init(&s, what);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < arches[i]->nsyscalls; k++)
			sg_suggest_try(&s, sg_syscall_str(&arches[i]->by_name[k]));
	fprintf(stderr, "sysgate: no syscall \"%s\" on any target architecture", what);
	if (s.best)
		fprintf(stderr, " (did you mean \"%s\"?)", s.best);
	fputc('\n', stderr);
	return EXIT_INVALID;
}

static int explain(const struct sg_profile *p, const struct sg_policy *pol, const struct sg_compile_opts *co,
		   const struct sg_prog *prog, const char *what, const uint64_t args[6])
{
	int status = 0, found = 0;
	const struct sg_arch *targets[SG_MAX_ARCHES];
	for (size_t i = 0; i < pol->narches; i++) {
		targets[i] = pol->arches[i].arch;
		if (i)
			printf("\n");
		int rc = explain_on(p, pol, pol->arches[i].arch, co, prog, what, args);
		found |= rc >= 0;
		if (rc > status)
			status = rc;
	}
	return found ? status : no_such_call(what, targets, pol->narches);
}

/* ---- raw filters: a program (or a stack of them) without rules to name -------- */

/* One arch: the stack's answer and each filter's run; -1 when the arch
 * has no such syscall. */
static int explain_raw_on(const struct sg_arch *arch, const struct sg_prog *progs, size_t n, const char *list,
			  const char *what, const uint64_t args[6])
{
	uint32_t nr;
	if (call_nr(arch, what, &nr))
		return -1;
	struct sg_seccomp_data sd = { .nr = nr, .arch = arch->audit_arch };
	memcpy(sd.args, args, sizeof(sd.args));
	size_t which;
	print_call(arch, nr, args, sg_bpf_run_stack(progs, n, &sd, arch->endian, &which));
	if (n > 1)
		printf("decided by filter %zu of %zu (the kernel's precedence over the stack, newest first: %s)\n", which,
		       n, list);
	else
		printf("decided by the filter (a raw program: no rules to name)\n");
	for (size_t k = 0; k < n; k++) {
		uint32_t trace[SG_BPF_MAXINSNS];
		size_t executed = 0;
		uint32_t r = sg_bpf_run(progs[k].insns, progs[k].len, &sd, arch->endian, &executed, trace, SG_BPF_MAXINSNS);
		char act[48];
		sg_action_format(r, act, sizeof(act));
		if (n > 1)
			printf("filter %zu: %s, ", k, act);
		print_trace(&progs[k], trace, executed, arch);
	}
	return 0;
}

/* explain over raw programs: the targets named with --arch (one byte order),
 * else the native arch. */
static int explain_raw(const struct cli_input *in, const struct cli_profile_opts *po, const char *what,
		       const uint64_t args[6])
{
	const struct sg_arch *targets[SG_MAX_ARCHES];
	size_t nt = cli_raw_targets(po, targets);
	if (!nt)
		return EXIT_INVALID;
	struct sg_prog progs[8];
	size_t n = 0;
	int status = EXIT_INVALID;
	if (cli_read_stack(in, targets[0]->endian, progs, &n, 8) == 0) {
		int found = 0;
		for (size_t i = 0; i < nt; i++) {
			if (i)
				printf("\n");
			found |= explain_raw_on(targets[i], progs, n, in->spec, what, args) == 0;
		}
		status = found ? 0 : no_such_call(what, targets, nt);
	}
	for (size_t k = 0; k < n; k++)
		sg_prog_free(&progs[k]);
	return status;
}

int cmd_explain(int argc, char **argv)
{
	struct cli_profile_opts po;
	struct cli_built b;
	int rc = cli_profile_args(argc, argv, CLI_HELP_EXPLAIN, &po);
	if (rc >= 0)
		return rc;
	if (argc - optind < 2 || argc - optind > 8)
		return cli_usage(CLI_HELP_EXPLAIN, 0, argv);
	uint64_t args[6] = { 0 };
	for (int i = optind + 2; i < argc; i++)
		if (parse_u64(argv[i], &args[i - optind - 2])) {
			fprintf(stderr, "sysgate: argument \"%s\" is not an unsigned 64-bit number\n", argv[i]);
			return EXIT_INVALID;
		}
	struct cli_input in;
	int status = EXIT_INVALID;
	if (cli_input_read(&in, argv[optind])) {
		status = explain_raw(&in, &po, argv[optind + 1], args);
	} else {
		if (cli_build(in.spec, in.text, in.len, &po, &b) == 0)
			status = explain(b.profile, b.policy, &po.compile, &b.prog, argv[optind + 1], args);
		cli_built_free(&b);
	}
	cli_input_free(&in);
	return status;
}
