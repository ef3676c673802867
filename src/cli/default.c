/* sysgate default: the embedded default profile, profiles/runtime-default.json,
 * assembled into the binary so `sysgate exec` needs no file at all. */
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
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		puts("usage: sysgate default\n\nPrints the embedded default profile (what `sysgate exec` uses\n"
		     "without -p or --bpf): Docker's default rules, written as sysgate's own profile.");
		return 0;
	}
	if (argc > 1) {
		fputs("usage: sysgate default\n", stderr);
		return EXIT_INVALID;
	}
	size_t len;
	const char *p = cli_default_profile(&len);
	return fwrite(p, 1, len, stdout) == len ? 0 : EXIT_INVALID;
}
