/* sysgate disasm: a raw BPF program as text. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sysgate/disasm.h"
#include "sysgate/emulate.h"

int cmd_disasm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_profile_opts po;
	const struct sg_arch *targets[SG_MAX_ARCHES];
	int c;
	cli_profile_opts_init(&po);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c != 'a')
			return cli_usage(CLI_HELP_DISASM, c, argv);
		if (cli_profile_option(&po, c, optarg) < 0)
			return EXIT_INVALID;
	}
	if (optind != argc - 1)
		return cli_usage(CLI_HELP_DISASM, 0, argv);
	/* --arch, as everywhere: the targets, here only their byte order */
	if (!cli_raw_targets(&po, targets))
		return EXIT_INVALID;
	const struct sg_arch *arch = targets[0];
	struct sg_diags d;
	char *raw = NULL;
	size_t len = 0;
	struct sg_prog prog = { 0 };
	sg_diags_init(&d);
	int status = EXIT_INVALID;
	if (sg_read_file(argv[optind], &raw, &len, &d) == 0 &&
	    sg_prog_from_raw((unsigned char *)raw, len, arch->endian, &prog, &d, argv[optind]) == 0) {
		char why[160];
		if (sg_bpf_check(prog.insns, prog.len, why, sizeof(why)))
			fprintf(stderr, "%s: the kernel would refuse this program: %s\n", argv[optind], why);
		else
			status = 0;
		sg_disasm(stdout, prog.insns, prog.len);
	}
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	sg_prog_free(&prog);
	free(raw);
	return status;
}
