/* The command-line layer: one file per subcommand, sharing option parsing. */
#ifndef SYSGATE_CLI_H
#define SYSGATE_CLI_H

#include <stdio.h>

#include "sysgate/resolve.h"

/* Exit statuses shared by the subcommands. */
enum { EXIT_VALID = 0, EXIT_WARNINGS = 1, EXIT_INVALID = 2 };

int cmd_check(int argc, char **argv);
int cmd_syscalls(int argc, char **argv);
int cmd_resolve(int argc, char **argv);

/* Option values shared by several subcommands; each returns 0 or prints why
 * not to stderr and returns -1. */
int cli_arch(const char *arg, const struct sg_arch **out);
int cli_caps(const char *arg, uint64_t *caps);
int cli_kernel(const char *arg, unsigned v[3]);

/* True when argv[i] asks for help. */
int cli_wants_help(int argc, char **argv);

#endif
