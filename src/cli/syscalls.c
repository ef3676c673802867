/* sysgate syscalls / sysgate resolve: the architecture tables. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int parse_arch_opt(int argc, char **argv, enum cli_text help, const struct sg_arch **arch, int *all)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	*arch = sg_arch_native();
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'a') {
			if (all && strcmp(optarg, "all") == 0)
				*all = 1;
			else if (cli_arch(optarg, arch))
				return EXIT_INVALID;
		} else if (c == 'h') {
			cli_help(help, stdout);
			return -1;
		} else {
			cli_help(help, stderr);
			return EXIT_INVALID;
		}
	}
	if (!*arch && !(all && *all)) {
		fprintf(stderr, "sysgate: unknown native architecture; use --arch\n");
		return EXIT_INVALID;
	}
	return 0;
}

/* by number (stored numbers sort as the real ones); a number's names in
 * name order, as sg_syscall_name sees them */
static int cmp_nr(const void *a, const void *b)
{
	const struct sg_syscall *x = *(const struct sg_syscall *const *)a, *y = *(const struct sg_syscall *const *)b;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return (x > y) - (x < y);
}

int cmd_syscalls(int argc, char **argv)
{
	const struct sg_arch *a;
	int rc = parse_arch_opt(argc, argv, CLI_HELP_SYSCALLS, &a, NULL);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (optind != argc) {
		cli_help(CLI_HELP_SYSCALLS, stderr);
		return EXIT_INVALID;
	}
	printf("# %s (%s, Go %s): audit arch 0x%08x, %u-bit %s-endian, %zu syscalls, from %s\n", a->name, a->scmp_name,
	       a->go_name, a->audit_arch, a->bits, a->endian == SG_BIG_ENDIAN ? "big" : "little", a->nsyscalls,
	       a->source);
	if (a->socketcall_nr >= 0 || a->ipc_nr >= 0)
		printf("# multiplexers: socketcall %lld, ipc %lld\n", (long long)a->socketcall_nr, (long long)a->ipc_nr);
	const struct sg_syscall **byn = malloc((a->nsyscalls + 1) * sizeof(*byn));
	if (!byn)
		return EXIT_INVALID;
	for (size_t i = 0; i < a->nsyscalls; i++)
		byn[i] = &a->by_name[i];
	qsort(byn, a->nsyscalls, sizeof(*byn), cmp_nr);
	for (size_t i = 0; i < a->nsyscalls; i++)
		printf("%u %s\n", sg_syscall_num(a, byn[i]), sg_syscall_str(byn[i]));
	free(byn);
	return 0;
}

static int resolve_one(const struct sg_arch *a, const char *what, int numeric, uint32_t nr)
{
	if (numeric) {
		const char *name = sg_syscall_name(a, nr);
		if (name)
			printf("%s %s %u\n", a->name, name, nr);
		return name != NULL;
	}
	if (sg_syscall_nr(a, what, &nr) == 0) {
		printf("%s %s %u\n", a->name, what, nr);
		return 1;
	}
	return 0;
}

int cmd_resolve(int argc, char **argv)
{
	const struct sg_arch *a;
	int all = 0;
	int rc = parse_arch_opt(argc, argv, CLI_HELP_RESOLVE, &a, &all);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (optind != argc - 1) {
		cli_help(CLI_HELP_RESOLVE, stderr);
		return EXIT_INVALID;
	}
	const char *what = argv[optind];
	char *end;
	errno = 0;
	unsigned long long v = strtoull(what, &end, 0);
	int numeric = what[0] >= '0' && what[0] <= '9' && *end == '\0' && errno == 0;
	if (numeric && v > UINT32_MAX) {
		fprintf(stderr, "sysgate: %s is not a 32-bit syscall number\n", what);
		return EXIT_INVALID;
	}
	size_t n = 1, found = 0;
	const struct sg_arch *const *list = &a;
	if (all)
		list = sg_arches(&n);
	for (size_t i = 0; i < n; i++)
		found += (size_t)resolve_one(list[i], what, numeric, (uint32_t)v);
	if (!found) {
		fprintf(stderr, "sysgate: %s: no such syscall on %s", what, all ? "any architecture" : a->name);
		if (!numeric) {
			struct sg_suggester s;
			sg_suggest_init(&s, what);
			for (size_t i = 0; i < n; i++)
				for (size_t k = 0; k < list[i]->nsyscalls; k++)
					sg_suggest_try(&s, sg_syscall_str(&list[i]->by_name[k]));
			if (s.best)
				fprintf(stderr, " (did you mean %s?)", s.best);
		}
		fputc('\n', stderr);
		return 1;
	}
	return 0;
}
