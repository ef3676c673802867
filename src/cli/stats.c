/* sysgate stats: exact figures of a compiled profile, from the emulator. */
#include <stdlib.h>

#include "cli.h"
#include "sysgate/measure.h"

int cmd_stats(int argc, char **argv)
{
	struct cli_profile_opts po;
	struct cli_built b;
	int rc = cli_profile_args(argc, argv, CLI_HELP_STATS, &po);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1) {
		cli_help(CLI_HELP_STATS, stderr);
		return EXIT_INVALID;
	}
	int status = EXIT_INVALID;
	if (cli_build(argv[optind], NULL, 0, &po, &b) == 0) {
		const struct sg_policy *pol = b.policy;
		status = 0;
		printf("program: %zu instructions (%zu bytes)\n", b.prog.len, b.prog.len * 8);
		printf("%-12s %7s %6s %4s %10s %9s %14s\n", "arch", "numbers", "mean", "max", "argfree-mean",
		       "argfree-max", "cacheable");
		for (size_t a = 0; a < pol->narches; a++) {
			struct sg_arch_stats s;
			if (sg_measure(&b.prog, pol, a, po.compile.bad_arch_action, &s)) {
				fprintf(stderr, "sysgate: out of memory\n");
				status = EXIT_INVALID;
				break;
			}
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
	cli_built_free(&b);
	return status;
}
