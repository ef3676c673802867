/* sysgate lint: each profile's findings (sg_lint_text), as text or JSON. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sysgate/lint.h"

#define OPT_JSON 0x201
#define OPT_FAIL_ON 0x202

static int parse_fail_on(const char *arg, enum sg_lint_severity *out)
{
	static const enum sg_lint_severity all[] = { SG_LINT_ERROR, SG_LINT_WARNING, SG_LINT_INFO };
	for (size_t i = 0; i < 3; i++)
		if (strcmp(arg, sg_lint_severity_name(all[i])) == 0) {
			*out = all[i];
			return 0;
		}
	fprintf(stderr, "sysgate: --fail-on is error, warning or info, not \"%s\"\n", arg);
	return -1;
}

/* One profile: 0 linted, -1 invalid (its errors printed). */
static int lint_one(const char *file, const struct cli_profile_opts *po, struct sg_lint *l, struct sg_diags *d)
{
	char *text = NULL;
	size_t len = 0;
	int rc = -1;
	if (sg_read_file(file, &text, &len, d) == 0)
		rc = sg_lint_text(file, text, len, &po->source, &po->resolve, l, d);
	else
		l->file = strdup(file);
	free(text);
	sg_diags_print(d, stderr);
	return rc;
}

static int print_all(const struct sg_lint *ls, const struct sg_diags *ds, size_t n, int json)
{
	const struct sg_diags **errs = calloc(n + 1, sizeof(*errs));
	size_t len = 0;
	char *out = NULL;
	for (size_t i = 0; errs && i < n; i++)
		errs[i] = &ds[i];
	if (errs)
		out = json ? sg_lint_format_json(ls, errs, n, &len) : sg_lint_format_text(ls, n, &len);
	free(errs);
	if (!out) {
		fprintf(stderr, "sysgate: out of memory\n");
		return -1;
	}
	int rc = fwrite(out, 1, len, stdout) == len ? 0 : -1;
	free(out);
	return rc;
}

int cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_PROFILE_LONGOPTS,
		CLI_NAME_LONGOPT,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_profile_opts po;
	enum sg_lint_severity fail_on = SG_LINT_WARNING;
	int c, json = 0;
	cli_profile_opts_init(&po);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		int r = c == OPT_JSON || c == OPT_FAIL_ON ? 1 : cli_profile_option(&po, c, optarg);
		if (r < 0 || (c == OPT_FAIL_ON && parse_fail_on(optarg, &fail_on)))
			return EXIT_INVALID;
		json |= c == OPT_JSON;
		if (r > 0)
			continue;
		return cli_usage(CLI_HELP_LINT, c, argv);
	}
	size_t n = (size_t)(argc - optind);
	if (n == 0)
		return cli_usage(CLI_HELP_LINT, 0, argv);
	struct sg_lint *ls = calloc(n, sizeof(*ls));
	struct sg_diags *ds = calloc(n, sizeof(*ds));
	int status = ls && ds ? EXIT_VALID : EXIT_INVALID;
	for (size_t i = 0; ls && ds && i < n; i++) {
		sg_diags_init(&ds[i]);
		if (lint_one(argv[optind + (int)i], &po, &ls[i], &ds[i]))
			status = EXIT_INVALID;
		else if (sg_lint_max_severity(&ls[i]) >= (int)fail_on && status == EXIT_VALID)
			status = EXIT_WARNINGS;
	}
	if (ls && ds && print_all(ls, ds, n, json))
		status = EXIT_INVALID;
	for (size_t i = 0; ls && ds && i < n; i++) {
		sg_lint_free(&ls[i]);
		sg_diags_free(&ds[i]);
	}
	if (!ls || !ds)
		fprintf(stderr, "sysgate: out of memory\n");
	free(ls);
	free(ds);
	return status;
}
