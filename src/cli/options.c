#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_arch(const char *arg, const struct sg_arch **out)
{
	*out = sg_arch_lookup(arg);
	if (*out)
		return 0;
	size_t n;
	const struct sg_arch *const *all = sg_arches(&n);
	fprintf(stderr, "sysgate: unknown architecture \"%s\"; known:", arg);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %s", all[i]->name);
	fputc('\n', stderr);
	return -1;
}

/* "CAP_A,CAP_B" sets exactly those; "+CAP_A,-CAP_B" edits Docker's default
 * set; "all", "none" and "default" name whole sets. */
int cli_caps(const char *arg, uint64_t *caps)
{
	char *copy = strdup(arg);
	if (!copy)
		return -1;
	uint64_t set = (arg[0] == '+' || arg[0] == '-') ? sg_caps_docker_default() : 0;
	int rc = 0;
	for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char sign = (*tok == '+' || *tok == '-') ? *tok++ : '+';
		uint64_t bits;
		if (strcmp(tok, "all") == 0)
			bits = ~0ull;
		else if (strcmp(tok, "none") == 0)
			bits = 0, set = sign == '+' ? 0 : set;
		else if (strcmp(tok, "default") == 0)
			bits = sg_caps_docker_default();
		else {
			int cap = sg_cap_lookup(tok);
			if (cap < 0) {
				fprintf(stderr, "sysgate: unknown capability \"%s\"\n", tok);
				rc = -1;
				break;
			}
			bits = 1ull << cap;
		}
		set = sign == '+' ? set | bits : set & ~bits;
	}
	free(copy);
	if (!rc)
		*caps = set;
	return rc;
}

int cli_kernel(const char *arg, unsigned v[3])
{
	if (sg_kernel_parse(arg, v) == 0)
		return 0;
	fprintf(stderr, "sysgate: --kernel wants a version like 6.1, not \"%s\"\n", arg);
	return -1;
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}
