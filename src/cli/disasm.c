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
	const struct sg_arch *arch = sg_arch_native();
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'a' && cli_arch(optarg, &arch) == 0)
			continue;
		if (c == 'h') {
			cli_help(CLI_HELP_DISASM, stdout);
			return 0;
		}
		if (c != 'a')
			cli_help(CLI_HELP_DISASM, stderr);
		return EXIT_INVALID;
	}
	if (optind != argc - 1 || !arch) {
		cli_help(CLI_HELP_DISASM, stderr);
		return EXIT_INVALID;
	}
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
