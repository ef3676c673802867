/* sysgate default: the embedded default profile, profiles/runtime-default.json,
 * assembled into the binary so `sysgate exec` needs no file at all. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

__asm__(".section .rodata\n"
	".balign 16\n"
	"sg_embedded_default:\n"
	".incbin \"profiles/runtime-default.json\"\n"
	"sg_embedded_default_end:\n"
	".byte 0\n"
	".previous\n");

extern const char sg_embedded_default[], sg_embedded_default_end[];

const char *cli_default_profile(size_t *len)
{
	*len = (size_t)(sg_embedded_default_end - sg_embedded_default);
	return sg_embedded_default;
}

int cmd_default(int argc, char **argv)
{
	static const char help[] =
		"usage: sysgate default [--bpf]\n\nPrints the embedded default profile (what `sysgate exec` uses\n"
		"without -p or --bpf): Docker's default rules, written as sysgate's own profile.\n"
		"--bpf prints instead the filter the build precompiled from it (raw), which\n"
		"`sysgate exec` uses when run with no options on a kernel it suits.\n";
	int bpf = argc == 2 && strcmp(argv[1], "--bpf") == 0;
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc > 1 && !bpf) {
		fputs(help, stderr);
		return EXIT_INVALID;
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
	const char *p = cli_default_profile(&len);
	return fwrite(p, 1, len, stdout) == len ? 0 : EXIT_INVALID;
}
