/* sysgate: seccomp profiles (OCI / Docker / Kubernetes JSON) to classic BPF. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "sysgate/version.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{ "exec", cmd_exec, "run a command under a seccomp filter (default: the embedded profile)" },
	{ "record", cmd_record, "run a command and write the profile it needs (rootless)" },
	{ "check", cmd_check, "validate profiles and summarise what each does per architecture" },
	{ "syscalls", cmd_syscalls, "list an architecture's syscall table" },
	{ "resolve", cmd_resolve, "translate a syscall name to its number, or back" },
	{ "compile", cmd_compile, "compile a profile to a BPF program (raw, base64, C or hex)" },
	{ "disasm", cmd_disasm, "disassemble a raw BPF program" },
#ifndef SG_STATIC_LIBC /* not in the static binary, held to 200,000 bytes: a host tool, for a
			 caller outside seccomp (import-log reads the host's kernel or audit log),
			 never a container's entrypoint */
	{ "import-log", cmd_import_log, "the profile a kernel or audit log's seccomp records call for" },
	{ "dump", cmd_dump, "read back the seccomp filters of a running process or thread" },
	{ "diff", cmd_diff, "where two filters or profiles decide differently, exactly" },
	{ "decompile", cmd_decompile, "the profile of a raw filter, proven equivalent" },
	{ "lint", cmd_lint, "find what a profile does that was probably not meant (and the fix)" },
	{ "merge", cmd_merge, "merge allowlist profiles (recordings, complain additions) into one" },
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
	size_t n;
	const struct sg_arch *const *all = sg_arches(&n);
	fprintf(out, "\n--arch A, in every command: one of these, its SCMP_ARCH_* or Go name, or its\naudit value (c000003e):");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i % 9 ? " " : "\n  ", all[i]->name);
	fprintf(out, "\n\n`sysgate help COMMAND` (or `sysgate COMMAND --help`) describes a command and the\n"
		     "options it takes; `sysgate -V` prints the version.\n");
}

int main(int argc, char **argv)
{
	opterr = 0; /* each command says a usage mistake itself, in one line (cli_usage) */
	if (argc < 2) {
		usage(stderr);
		return EXIT_INVALID;
	}
	/* `sysgate help CMD` is `sysgate CMD --help` */
	char *help_argv[] = { argv[0], argv[argc > 2 ? 2 : 1], "--help", NULL };
	int help = strcmp(argv[1], "help") == 0;
	if (help && argc > 2) {
		argc = 3;
		argv = help_argv;
	} else if (help || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "version") == 0) {
		printf("sysgate %s\n", SYSGATE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
#ifdef SG_STATIC_LIBC
	if (strcmp(argv[1], "dump") == 0 || strcmp(argv[1], "diff") == 0 || strcmp(argv[1], "decompile") == 0 ||
	    strcmp(argv[1], "lint") == 0 || strcmp(argv[1], "import-log") == 0 ||
	    strcmp(argv[1], "merge") == 0) {
		fprintf(stderr, "sysgate: %s is not in the static binary (held to 200,000 bytes): use the "
				"dynamically linked build, on the host\n", argv[1]);
		return EXIT_INVALID;
	}
#endif
	fprintf(stderr, "sysgate: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_INVALID;
}
