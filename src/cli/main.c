/* sysgate: seccomp profiles (OCI / Docker / Kubernetes JSON) to classic BPF. */
#include <string.h>

#include "cli.h"

#ifndef SYSGATE_VERSION
#define SYSGATE_VERSION "0.1.0"
#endif

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{ "exec", cmd_exec, "run a command under a seccomp filter (default: the embedded profile)" },
	{ "record", cmd_record, "run a command and write the profile it needs (rootless)" },
	{ "merge", cmd_merge, "merge allowlist profiles (recordings, complain additions) into one" },
	{ "check", cmd_check, "validate a profile and summarise what it does per architecture" },
	{ "syscalls", cmd_syscalls, "list an architecture's syscall table" },
	{ "resolve", cmd_resolve, "translate a syscall name to its number, or back" },
	{ "compile", cmd_compile, "compile a profile to a BPF program (raw, C or hex)" },
	{ "disasm", cmd_disasm, "disassemble a raw BPF program" },
#ifndef SG_STATIC_LIBC /* not in the static binary, held to 200,000 bytes: a host tool, for a
			 caller outside seccomp, never a container's entrypoint */
	{ "dump", cmd_dump, "read back the seccomp filters of a running process or thread" },
	{ "diff", cmd_diff, "where two filters or profiles decide differently, exactly" },
	{ "decompile", cmd_decompile, "the profile of a raw filter, proven equivalent" },
	{ "lint", cmd_lint, "find what a profile does that was probably not meant (and the fix)" },
	/* the kernel's and auditd's logs are on the host */
	{ "import-log", cmd_import_log, "the profile a kernel or audit log's seccomp records call for" },
#endif
	{ "explain", cmd_explain, "show which rule decides a syscall, and the instructions run" },
	{ "stats", cmd_stats, "size, instructions executed per syscall, kernel-cacheable syscalls" },
	{ "default", cmd_default, "print the embedded default profile" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

static void usage(FILE *out)
{
	fprintf(out, "usage: sysgate COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n`sysgate COMMAND --help` describes a command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_INVALID;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("sysgate %s\n", SYSGATE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
#ifdef SG_STATIC_LIBC
	if (strcmp(argv[1], "dump") == 0 || strcmp(argv[1], "diff") == 0 || strcmp(argv[1], "decompile") == 0 ||
	    strcmp(argv[1], "lint") == 0 || strcmp(argv[1], "import-log") == 0) {
		fprintf(stderr, "sysgate: %s is not in the static binary (held to 200,000 bytes): use the "
				"dynamically linked build, on the host\n", argv[1]);
		return EXIT_INVALID;
	}
#endif
	fprintf(stderr, "sysgate: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_INVALID;
}
