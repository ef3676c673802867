/* sysgate stats: exact figures of a compiled profile, from the emulator. */
#include <stdlib.h>

#include "cli.h"
#include "sysgate/measure.h"

static const char stats_help[] =
	"usage: sysgate stats [OPTIONS] FILE\n"
	"\n"
	"Compiles FILE and prints the program size and, per target architecture, the\n"
	"instructions executed for each syscall number base+0..base+470 with all\n"
	"arguments zero (mean and max; also over the numbers whose action needs no\n"
	"argument), and how many syscalls allowed whatever their arguments the kernel's\n"
	"action cache will allow without running the filter.\n"
	"\n" CLI_PROFILE_HELP;

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_PROFILE_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_profile_opts po;
	int c;
	cli_profile_opts_init(&po);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int r = cli_profile_option(&po, c, optarg);
		if (r < 0)
			return EXIT_INVALID;
		if (r > 0)
			continue;
		if (c == 'h') {
			fputs(stats_help, stdout);
			return 0;
		}
		fputs(stats_help, stderr);
		return EXIT_INVALID;
	}
	if (optind != argc - 1) {
		fputs(stats_help, stderr);
		return EXIT_INVALID;
	}
	struct sg_profile *p;
	struct sg_policy *pol;
	if (cli_load(argv[optind], &po, &p, &pol))
		return EXIT_INVALID;
	struct sg_diags d;
	struct sg_prog prog = { 0 };
	sg_diags_init(&d);
	int status = EXIT_INVALID;
	if (sg_compile(pol, &po.compile, &prog, &d) == 0) {
		status = 0;
		printf("program: %zu instructions (%zu bytes)\n", prog.len, prog.len * 8);
		printf("%-12s %7s %6s %4s %10s %9s %14s\n", "arch", "numbers", "mean", "max", "argfree-mean",
		       "argfree-max", "cacheable");
		for (size_t a = 0; a < pol->narches; a++) {
			struct sg_arch_stats s;
			sg_measure(&prog, pol, a, po.compile.bad_arch_action, &s);
			printf("%-12s %7zu %6.2f %4zu %12.2f %11zu %6zu/%zu (%.0f%%)\n", pol->arches[a].arch->name,
			       s.swept, s.mean, s.max, s.free_mean, s.free_max, s.cacheable, s.allow_free,
			       s.allow_free ? 100.0 * (double)s.cacheable / (double)s.allow_free : 100.0);
			if (s.mismatches) {
				fprintf(stderr, "sysgate: internal error: %zu inputs where the filter and the rules disagree\n",
					s.mismatches);
				status = 3;
			}
		}
	}
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	sg_prog_free(&prog);
	sg_policy_free(pol);
	sg_profile_free(p);
	return status;
}
