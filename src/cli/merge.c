/* sysgate merge: profiles that allow calls (recorded ones, complain mode's
 * additions, a base) -> one allowlist that allows what any of them allows. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sysgate/learn.h"

struct merge_opts {
	struct cli_profile_opts po;
	struct sg_learn_opts out;
	const char *path;
};

static int parse_options(int argc, char **argv, struct merge_opts *m)
{
	static const struct option opts[] = {
		CLI_PROFILE_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	cli_profile_opts_init(&m->po);
	m->po.quiet = 0; /* an input's warnings (names unknown here, a rule never applied) bear on the result */
	optind = 1;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		int r = cli_profile_option(&m->po, c, optarg);
		if (r < 0)
			return EXIT_INVALID;
		if (r > 0)
			continue;
		if (c == 'o')
			m->path = optarg;
		else if (c == 'n')
			m->out.name = optarg;
		else if (c == 'f' && cli_learn_format(optarg, &m->out.format))
			return EXIT_INVALID;
		else if (c != 'f')
			return cli_usage(CLI_HELP_MERGE, c, argv);
	}
	if (optind >= argc)
		return cli_usage(CLI_HELP_MERGE, 0, argv);
	return -1;
}

int cmd_merge(int argc, char **argv)
{
	struct merge_opts m = { 0 };
	int status = parse_options(argc, argv, &m);
	if (status >= 0)
		return status;
	struct sg_diags d;
	sg_diags_init(&d);
	struct sg_learn *l = sg_learn_new(NULL);
	status = l ? 0 : EXIT_INVALID;
	for (int i = optind; i < argc && !status; i++) {
		struct cli_built b;
		status = cli_build(argv[i], NULL, 0, &m.po, &b) || sg_learn_add_base(l, b.policy, &d) ? EXIT_INVALID : 0;
		cli_built_free(&b);
	}
	char *text = NULL;
	size_t len = 0;
	if (!status && (sg_learn_write(l, &m.out, &text, &len, &d) || cli_write_file(m.path, text, len)))
		status = EXIT_INVALID;
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	free(text);
	sg_learn_free(l);
	return status;
}
