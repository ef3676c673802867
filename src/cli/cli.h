/* The command-line layer: one file per subcommand, sharing option parsing. */
#ifndef SYSGATE_CLI_H
#define SYSGATE_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "sysgate/emit.h"
#include "sysgate/resolve.h"

/* Exit statuses shared by the subcommands. */
enum { EXIT_VALID = 0, EXIT_WARNINGS = 1, EXIT_INVALID = 2 };

/* What the commands that run a command exit with for their own failures,
 * as env(1): sysgate's, CMD cannot be run, CMD not found. */
enum { EXIT_OWN = 125, EXIT_CANNOT_RUN = 126, EXIT_NOT_FOUND = 127 };

/* execvp's search for CMD, made before anything is loaded: 0 with its path
 * in out, or EXIT_NOT_FOUND / EXIT_CANNOT_RUN, said on stderr. */
int cli_find_command(const char *cmd, char *out, size_t outsz);

/* Runs CMD as execvp would (a script without #! under /bin/sh); when it
 * cannot, says why and ends with EXIT_CANNOT_RUN or EXIT_NOT_FOUND. For a
 * process whose every call a supervisor lets run: no care for what a
 * filter answers. */
_Noreturn void cli_exec_command(const char *path, char **argv);

/* A workload watched by a supervisor (watch.c): record, exec --complain. */
struct sg_notification;
struct cli_watch {
	void (*on_call)(void *ctx, const struct sg_notification *n); /* each call notified, before it runs */
	/* the findings are due: the workload's main process is ending (last 0:
	 * it waits until this returns), or no task uses the filter (last 1) */
	void (*at_end)(void *ctx, int last);
	void *ctx;
	int keep[4]; /* descriptors the supervisor keeps (its output) */
	size_t nkeep;
	long workload; /* set by cli_watch_and_exec: the workload's PID, sysgate's own */
};

/* Starts the supervisor (a child), loads prog for it, runs CMD in this
 * process. Returns only when something failed before the load, with the
 * exit status; the supervisor ends by _exit when no task uses the filter. */
/* exec --complain: b's filter with its refusals reported (exec_complain.c). */
struct cli_built;
int cli_exec_complain(const struct cli_built *b, uint32_t bad_arch_action, uint32_t flags, const char *out_path,
		      const char *path, char **argv);

/* A supervisor's output, opened before anything runs (not truncated: it is
 * written from its start when due); *created tells whether it was made
 * now, to be removed if nothing runs. The descriptor, or -1 said. */
int cli_open_output(const char *path, int *created);

/* text to fd; with rewrite (a file sysgate opened itself), as its whole
 * content: rewound and truncated. name is for the message. 0, or -1 said. */
int cli_write_profile(int fd, const char *name, int rewrite, const char *text, size_t len);

/* text as the file path (made or truncated), or standard output when path
 * is NULL. 0, or -1 said. */
int cli_write_file(const char *path, const char *text, size_t len);

int cli_watch_and_exec(struct cli_watch *w, const struct sg_prog *prog, uint32_t flags, const char *path,
		       char **argv);

int cmd_check(int argc, char **argv);
int cmd_syscalls(int argc, char **argv);
int cmd_resolve(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_default(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_import_log(int argc, char **argv);

/* profiles/runtime-default.json, built into the binary */
const char *cli_default_profile(size_t *len);

/* The same, precompiled by the build (`compile --format embed`) for the
 * native arch, Docker's capabilities and kernels at least `kernel` new, so
 * that `sysgate exec` with no options starts without compiling. Weak: the
 * binary that generates it at build time has none. */
struct cli_embedded_bpf {
	const char *arch;
	unsigned kernel[3];
	unsigned long long caps;
	uint32_t flags;
	size_t len;
	const struct sg_insn *insns;
};
extern const struct cli_embedded_bpf cli_embedded_bpf __attribute__((weak));

/* Options every command that reads a profile takes. */
struct cli_profile_opts {
	struct sg_resolve_opts resolve;
	struct sg_compile_opts compile;
	int quiet;   /* print warnings only under --strict (exec's default) */
	int changed; /* an option was given: the build's precompiled default does not apply */
};

#define CLI_PROFILE_LONGOPTS                                                                        \
	{ "arch", required_argument, NULL, 'a' }, { "caps", required_argument, NULL, 'c' },         \
		{ "kernel", required_argument, NULL, 'k' }, { "strict", no_argument, NULL, 's' },   \
		{ "bad-arch", required_argument, NULL, 'B' }, { "precedence", required_argument, NULL, 'P' }, \
		{ "arg-width", required_argument, NULL, CLI_OPT_ARG_WIDTH },                         \
		{ "enosys", required_argument, NULL, CLI_OPT_ENOSYS }
/* long-only options: past every short option's letter */
#define CLI_OPT_ARG_WIDTH 0x101
#define CLI_OPT_ENOSYS 0x102

#define CLI_PROFILE_HELP                                                                            \
	"  --arch A        target architecture (repeatable; default: what the profile\n"                \
	"                  resolves to on this machine)\n"                                               \
	"  --caps LIST     capabilities for includes/excludes (see `sysgate check --help`)\n"          \
	"  --kernel X.Y    kernel version for minKernel (default: the running kernel)\n"                \
	"  --strict        syscall names unknown on a target architecture are errors\n"                 \
	"  --bad-arch ACT  action for other architectures: SCMP_ACT_KILL_PROCESS (default),\n"         \
	"                  SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO[:N]\n"                  \
	"  --precedence P  when several rules of a syscall match: restrictive (default: the\n"       \
	"                  most restrictive action, as the kernel between filters) or first\n"      \
	"                  (the first rule in profile order)\n"                                     \
	"  --arg-width W   kernel (default: an argument the kernel declares narrower, int or\n"     \
	"                  umode_t, is compared on the bits it reads) or 64 (all 64 bits, as runc)\n" \
	"  --enosys on|off on (default): numbers above every syscall the profile names, and\n"    \
	"                  numbers the table leaves unallocated, return ENOSYS when the default\n"  \
	"                  refuses, as runc does above; off: the default action there\n"

void cli_profile_opts_init(struct cli_profile_opts *o);
/* Handles one of CLI_PROFILE_LONGOPTS: 1 handled, 0 not ours, -1 bad value. */
int cli_profile_option(struct cli_profile_opts *o, int c, const char *arg);

/* The option loop of commands that take only the profile options: returns
 * -1 to go on (optind is the first operand), else the exit status. */
int cli_profile_args(int argc, char **argv, const char *help, struct cli_profile_opts *o);

/* A profile, resolved and compiled, for the commands that need all three. */
struct cli_built {
	struct sg_profile *profile;
	struct sg_policy *policy;
	struct sg_prog prog;
};

/* Reads (unless text is given; file names it), parses, resolves and
 * compiles, diagnostics to stderr; 0 when all went well. */
int cli_build(const char *file, const char *text, size_t len, const struct cli_profile_opts *o, struct cli_built *b);
void cli_built_free(struct cli_built *b);

/* Option values shared by several subcommands; each returns 0 or prints why
 * not to stderr and returns -1. */
int cli_arch(const char *arg, const struct sg_arch **out);
int cli_caps(const char *arg, uint64_t *caps);
int cli_kernel(const char *arg, unsigned v[3]);

#endif
