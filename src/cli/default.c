/* sysgate default: the embedded default profile, profiles/runtime-default.json,
 * assembled into the binary so `sysgate exec` needs no file at all. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_default(int argc, char **argv)
{
	int bpf = argc == 2 && strcmp(argv[1], "--bpf") == 0;
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		cli_help(CLI_HELP_DEFAULT, stdout);
		return 0;
	}
	if (argc > 1 && !bpf) { /* said as getopt would have it */
		optind = 2;
		optopt = argv[1][1] == '-' ? 0 : argv[1][1];
		return cli_usage(CLI_HELP_DEFAULT, argv[1][0] == '-' ? '?' : 0, argv);
	}
	if (bpf) {
		const struct cli_embedded_bpf *e = &cli_embedded_bpf;
		const struct sg_arch *a = e ? sg_arch_lookup(e->arch) : NULL;
		if (!e || !a) {
			fprintf(stderr, "sysgate: this binary carries no precompiled default\n");
			return EXIT_INVALID;
		}
		struct sg_prog prog = { .insns = (struct sg_insn *)e->insns, .len = e->len };
		unsigned char *raw;
		size_t len;
		if (sg_prog_to_raw(&prog, a->endian, &raw, &len))
			return EXIT_INVALID;
		int rc = fwrite(raw, 1, len, stdout) == len ? 0 : EXIT_INVALID;
		free(raw);
		return rc;
	}
	size_t len;
	char *p = cli_default_profile(&len);
	if (!p) {
		fprintf(stderr, "sysgate: out of memory\n");
		return EXIT_INVALID;
	}
	int rc = fwrite(p, 1, len, stdout) == len ? 0 : EXIT_INVALID;
	free(p);
	return rc;
}
