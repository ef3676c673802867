/* sysgate syscalls / sysgate resolve: the architecture tables. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* --arch A (repeatable, or all): the architectures in *list (named, or
 * every one), *n of them; -1 to go on, else the exit status. */
static int parse_arch_opt(int argc, char **argv, enum cli_text help, const struct sg_arch *named[SG_MAX_ARCHES],
			  const struct sg_arch *const **list, size_t *n)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	*list = named;
	*n = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		if (c == 'a' && strcmp(optarg, "all") == 0) {
			*list = sg_arches(n);
		} else if (c == 'a' && *list == named) {
			if (*n == SG_MAX_ARCHES || cli_arch(optarg, &named[*n]))
				return EXIT_INVALID;
			++*n;
		} else if (c != 'a') {
			return cli_usage(help, c, argv);
		}
	}
	if (!*n && !(named[(*n)++] = sg_arch_native())) {
		fprintf(stderr, "sysgate: unknown native architecture; use --arch\n");
		return EXIT_INVALID;
	}
	return -1;
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

static int print_table(const struct sg_arch *a)
{
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

int cmd_syscalls(int argc, char **argv)
{
	const struct sg_arch *named[SG_MAX_ARCHES], *const *list;
	size_t n;
	int rc = parse_arch_opt(argc, argv, CLI_HELP_SYSCALLS, named, &list, &n);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage(CLI_HELP_SYSCALLS, 0, argv);
	for (size_t i = 0; i < n && rc < 0; i++)
		if (print_table(list[i]))
			rc = EXIT_INVALID;
	return rc < 0 ? 0 : rc;
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
	const struct sg_arch *named[SG_MAX_ARCHES], *const *list;
	size_t n, found = 0;
	int rc = parse_arch_opt(argc, argv, CLI_HELP_RESOLVE, named, &list, &n);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1)
		return cli_usage(CLI_HELP_RESOLVE, 0, argv);
	const char *what = argv[optind];
	char *end;
	errno = 0;
	unsigned long long v = strtoull(what, &end, 0);
	int numeric = what[0] >= '0' && what[0] <= '9' && *end == '\0' && errno == 0;
	if (numeric && v > UINT32_MAX) {
		fprintf(stderr, "sysgate: %s is not a 32-bit syscall number\n", what);
		return EXIT_INVALID;
	}
	for (size_t i = 0; i < n; i++)
		found += (size_t)resolve_one(list[i], what, numeric, (uint32_t)v);
	if (!found) {
		fprintf(stderr, "sysgate: %s: no such syscall on %s", what, n > 1 ? "any of these architectures" : list[0]->name);
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
