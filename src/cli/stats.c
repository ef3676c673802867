/* sysgate stats: exact figures of a compiled profile, from the emulator. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sysgate/measure.h"

static void print_header(size_t len)
{
	printf("program: %zu instructions (%zu bytes)\n", len, len * 8);
	printf("%-12s %7s %6s %4s %10s %9s %14s\n", "arch", "numbers", "mean", "max", "argfree-mean", "argfree-max",
	       "cacheable");
}

static void print_arch(const struct sg_arch *a, const struct sg_arch_stats *s)
{
	printf("%-12s %7zu %6.2f %4zu %12.2f %11zu %6zu/%zu (%.0f%%)\n", a->name, s->swept, s->mean, s->max, s->free_mean,
	       s->free_max, s->cacheable, s->allow_free,
	       s->allow_free ? 100.0 * (double)s->cacheable / (double)s->allow_free : 100.0);
}

/* stats of a raw program: its own answers say which numbers are argument-free. */
static int stats_raw(const struct cli_input *in, const struct cli_profile_opts *po)
{
	const struct sg_arch *targets[SG_MAX_ARCHES];
	size_t nt = cli_raw_targets(po, targets), n = 0;
	struct sg_prog prog;
	if (!nt || strchr(in->spec, ',')) {
		if (nt)
			fprintf(stderr, "sysgate: stats measures one program, not a stack\n");
		return EXIT_INVALID;
	}
	if (cli_read_stack(in, targets[0]->endian, &prog, &n, 1))
		return EXIT_INVALID;
	int status = 0;
	print_header(prog.len);
	for (size_t a = 0; a < nt && status == 0; a++) {
		struct sg_arch_stats s;
		if (sg_measure_prog(&prog, targets[a], &s)) {
			fprintf(stderr, "sysgate: out of memory\n");
			status = EXIT_INVALID;
		} else {
			print_arch(targets[a], &s);
		}
	}
	sg_prog_free(&prog);
	return status;
}

int cmd_stats(int argc, char **argv)
{
	struct cli_profile_opts po;
	struct cli_built b;
	int rc = cli_profile_args(argc, argv, CLI_HELP_STATS, &po);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1)
		return cli_usage(CLI_HELP_STATS, 0, argv);
	struct cli_input in;
	int status = EXIT_INVALID;
	if (cli_input_read(&in, argv[optind]))
		status = stats_raw(&in, &po);
	else if (cli_build(in.spec, in.text, in.len, &po, &b) == 0) {
		const struct sg_policy *pol = b.policy;
		status = 0;
		print_header(b.prog.len);
		for (size_t a = 0; a < pol->narches; a++) {
			struct sg_arch_stats s;
			if (sg_measure(&b.prog, pol, a, po.compile.bad_arch_action, &s)) {
				fprintf(stderr, "sysgate: out of memory\n");
				status = EXIT_INVALID;
				break;
			}
			print_arch(pol->arches[a].arch, &s);
			if (s.mismatches) {
				fprintf(stderr, "sysgate: internal error: %zu inputs where the filter and the rules disagree\n",
					s.mismatches);
				status = 3;
			}
		}
	}
	if (!in.raw)
		cli_built_free(&b);
	cli_input_free(&in);
	return status;
}
