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

/* One profile (the index-th of the file's, 0: its only one) of text, the
 * file's bytes (NULL: the file read by name, a bundle directory's
 * config.json, or why it cannot be): 0 linted, -1 invalid (its errors
 * printed). */
static int lint_one(const char *file, const char *text, size_t len, size_t index, const struct cli_profile_opts *po,
		    struct sg_lint *l, struct sg_diags *d)
{
	struct sg_source_opts src = po->source;
	src.index = index;
	int rc = sg_lint_text(file, text, len, &src, &po->resolve, l, d);
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
	if (optind == argc)
		return cli_usage(CLI_HELP_LINT, 0, argv);
	/* each file read once, and its profiles: every one of a stream without --name */
	size_t nf = (size_t)(argc - optind), n = 0;
	struct input {
		char *text;
		size_t len, count;
	} *in = calloc(nf, sizeof(*in));
	for (size_t f = 0; in && f < nf; f++)
		n += in[f].count = cli_profiles_in(argv[optind + (int)f], &po, &in[f].text, &in[f].len);
	struct sg_lint *ls = calloc(n + 1, sizeof(*ls));
	struct sg_diags *ds = calloc(n + 1, sizeof(*ds));
	int oom = !in || !ls || !ds, status = oom ? EXIT_INVALID : EXIT_VALID;
	for (size_t i = 0, f = 0, k = 0; !oom && i < n; i++) {
		size_t index = in[f].count > 1 ? ++k : 0;
		sg_diags_init(&ds[i]);
		if (lint_one(argv[optind + (int)f], in[f].text, in[f].len, index, &po, &ls[i], &ds[i]))
			status = EXIT_INVALID;
		else if (sg_lint_max_severity(&ls[i]) >= (int)fail_on && status == EXIT_VALID)
			status = EXIT_WARNINGS;
		if (!index || k == in[f].count)
			f++, k = 0;
	}
	for (size_t f = 0; in && f < nf; f++)
		free(in[f].text);
	free(in);
	if (!oom && print_all(ls, ds, n, json))
		status = EXIT_INVALID;
	for (size_t i = 0; !oom && i < n; i++) {
		sg_lint_free(&ls[i]);
		sg_diags_free(&ds[i]);
	}
	if (oom)
		fprintf(stderr, "sysgate: out of memory\n");
	free(ls);
	free(ds);
	return status;
}
