/* sysgate decompile: a raw filter (or a stack) -> the profile that
 * compiles to an equivalent one, proven by the diff stage. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sysgate/decompile.h"

#define MAX_STACK 16
#define SHOWN 20 /* differences printed when the proof fails */

/* What the proof needs said: the compile options that differ from the defaults. */
static void say_proof(const struct sg_decompiled *r, const char *out)
{
	char opts[160] = "", bad[48];
	if (r->arg_width_64)
		strcat(opts, " --arg-width 64");
	if (r->enosys_off)
		strcat(opts, " --enosys off");
	if (r->bad_arch != SG_RET_KILL_PROCESS) {
		sg_action_format(r->bad_arch, bad, sizeof(bad));
		char *paren = strchr(bad, '(');
		if (paren) { /* SCMP_ACT_ERRNO(5) -> SCMP_ACT_ERRNO:5 */
			*paren = ':';
			bad[strlen(bad) - 1] = '\0';
		}
		snprintf(opts + strlen(opts), sizeof(opts) - strlen(opts), " --bad-arch %s", bad);
	}
	if (r->equivalent) {
		fprintf(stderr, "sysgate: decompile: proven: %s compiles%s%s to a filter equivalent to the input (%zu regions)\n",
			out ? out : "the profile", *opts ? " with" : "", opts, r->diff.regions);
		return;
	}
	fprintf(stderr, "sysgate: decompile: NOT equivalent: %s compiled%s%s differs from the input:\n", out ? out : "the profile",
		*opts ? " with" : "", opts);
	for (size_t i = 0; i < r->diff.n && i < SHOWN; i++)
		cli_diff_print(stderr, &r->diff.v[i], "input", "profile");
	if (r->diff.n > SHOWN)
		fprintf(stderr, "... and %zu more\n", r->diff.n - SHOWN);
	if (r->diff.undecided)
		fprintf(stderr, "%zu regions undecided: %s\n", r->diff.undecided, r->diff.why);
}

static int run(const char *file, const struct cli_profile_opts *po, struct sg_decompile_opts *o, const char *out)
{
	const struct sg_arch *targets[SG_MAX_ARCHES];
	struct sg_prog progs[MAX_STACK];
	size_t n = 0, nt = cli_raw_targets(po, targets);
	struct cli_input input = { .spec = file };
	if (!nt || cli_read_stack(&input, targets[0]->endian, progs, &n, MAX_STACK)) {
		for (size_t i = 0; i < n; i++) /* a stack read in part */
			sg_prog_free(&progs[i]);
		return EXIT_INVALID;
	}
	o->endian = targets[0]->endian;
	o->arches = po->resolve.ntargets ? targets : NULL;
	o->narches = po->resolve.ntargets ? nt : 0;
	struct sg_sym_input in = { progs, n };
	struct sg_decompiled r;
	struct sg_diags d;
	sg_diags_init(&d);
	int status = EXIT_INVALID;
	if (sg_decompile(&in, o, &r, &d) == 0) {
		sg_diags_print(&d, stderr);
		if (cli_write_file(out, r.text, r.len) == 0) {
			say_proof(&r, out);
			status = r.equivalent ? EXIT_VALID : EXIT_WARNINGS;
		}
		sg_decompiled_free(&r);
	} else {
		sg_diags_print(&d, stderr);
	}
	sg_diags_free(&d);
	for (size_t i = 0; i < n; i++)
		sg_prog_free(&progs[i]);
	return status;
}

int cmd_decompile(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' }, { "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' }, { "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },	  { NULL, 0, NULL, 0 },
	};
	struct cli_profile_opts po;
	struct sg_decompile_opts o = { .format = SG_LEARN_OCI };
	const char *out = NULL;
	int c;
	cli_profile_opts_init(&po);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		if (c == 'a' && cli_profile_option(&po, c, optarg) < 0)
			return EXIT_INVALID;
		if (c == 'o')
			out = optarg;
		else if (c == 'n')
			o.name = optarg;
		else if (c == 'f' && cli_learn_format(optarg, &o.format))
			return EXIT_INVALID;
		else if (c != 'a' && c != 'f')
			return cli_usage(CLI_HELP_DECOMPILE, c, argv);
	}
	if (optind != argc - 1)
		return cli_usage(CLI_HELP_DECOMPILE, 0, argv);
	return run(argv[optind], &po, &o, out);
}
