/* sysgate diff: where two filters decide differently, exactly (the diff
 * stage); each side a profile, a raw filter or a stack of raw filters. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sysgate/diff.h"

#define MAX_STACK 16

struct side {
	const char *spec;
	struct cli_input in;
	struct sg_prog progs[MAX_STACK];
	size_t n;
	struct cli_built b;
	int built;
};

static int load_side(struct side *s, const struct cli_profile_opts *po, enum sg_endian e)
{
	if (s->in.raw)
		return cli_read_stack(&s->in, e, s->progs, &s->n, MAX_STACK);
	if (cli_build(s->spec, s->in.text, s->in.len, po, &s->b))
		return -1;
	s->built = 1;
	s->progs[0] = s->b.prog;
	s->n = 1;
	return 0;
}

static void free_side(struct side *s)
{
	cli_input_free(&s->in);
	if (s->built)
		cli_built_free(&s->b);
	else
		for (size_t i = 0; i < s->n; i++)
			sg_prog_free(&s->progs[i]);
}

/* The ABI of a run: by its audit value and number (x32's numbers carry
 * x86_64's audit value), else the first arch with that audit value. */
static const char *arch_name(const struct sg_diff_entry *e)
{
	const struct sg_arch *a = sg_arch_for_call(e->arch, e->nr_first);
	if (!e->arch_known)
		return NULL;
	if (!a || (a->nr_base == 0x40000000u && !(e->nr_first & 0x40000000u))) /* x32's bit clear: not x32's */
		a = sg_arch_by_audit(e->arch);
	return a ? a->name : NULL;
}

void cli_diff_print(FILE *out, const struct sg_diff_entry *e, const char *an, const char *bn)
{
	char where[64], what[96], ra[48], rb[48];
	const char *arch = arch_name(e), *name = e->syscall;
	if (arch)
		snprintf(where, sizeof(where), "%s", arch);
	else
		snprintf(where, sizeof(where), "other arch (e.g. 0x%08" PRIx32 ")", e->arch);
	if (name)
		snprintf(what, sizeof(what), "%s (%" PRIu32 ")", name, e->nr_first);
	else if (e->nr_first == e->nr_last)
		snprintf(what, sizeof(what), "nr %" PRIu32, e->nr_first);
	else if (e->nr_first == 0 && e->nr_last == UINT32_MAX)
		snprintf(what, sizeof(what), "every number");
	else
		snprintf(what, sizeof(what), "nr %" PRIu32 "..%" PRIu32, e->nr_first, e->nr_last);
	sg_action_format(e->a, ra, sizeof(ra));
	sg_action_format(e->b, rb, sizeof(rb));
	fprintf(out, "%-8s %-28s %s: %-22s %s: %s", where, what, an, ra, bn, rb);
	if (e->args) {
		fprintf(out, "  e.g. args");
		for (unsigned i = 0; i < SG_MAX_ARGS; i++)
			fprintf(out, " %#" PRIx64, e->witness.args[i]);
		if (e->witness.ip)
			fprintf(out, " ip %#" PRIx64, e->witness.ip);
	}
	fputc('\n', out);
}

static void print_json(const struct sg_diff *r)
{
	printf("{\"equivalent\": %s, \"undecided\": %zu, \"regions\": %zu, \"differences\": [",
	       r->n || r->undecided ? "false" : "true", r->undecided, r->regions);
	for (size_t i = 0; i < r->n; i++) {
		const struct sg_diff_entry *e = &r->v[i];
		const char *arch = arch_name(e), *name = e->syscall;
		char ra[48], rb[48];
		sg_action_format(e->a, ra, sizeof(ra));
		sg_action_format(e->b, rb, sizeof(rb));
		printf("%s\n  {\"arch\": ", i ? "," : "");
		if (arch)
			printf("\"%s\"", arch);
		else
			printf("null, \"arch_value\": %" PRIu32, e->arch);
		printf(", \"syscall\": ");
		printf(name ? "\"%s\"" : "null", name);
		printf(", \"nr\": %" PRIu32 ", \"nr_last\": %" PRIu32 ", \"a\": \"%s\", \"b\": \"%s\", \"args\": [", e->nr_first,
		       e->nr_last, ra, rb);
		for (unsigned k = 0; k < SG_MAX_ARGS; k++)
			printf("%s\"%#" PRIx64 "\"", k ? ", " : "", e->witness.args[k]);
		printf("], \"ip\": \"%#" PRIx64 "\", \"argument_dependent\": %s}", e->witness.ip,
		       e->args ? "true" : "false");
	}
	printf("%s]%s", r->n ? "\n" : "", r->truncated ? ", \"truncated\": true" : "");
	if (r->undecided)
		printf(", \"why_undecided\": \"%s\"", r->why);
	printf("}\n");
}

static int report(const struct sg_diff *r, int json, const char *a, const char *b)
{
	if (json) {
		print_json(r);
	} else {
		for (size_t i = 0; i < r->n; i++)
			cli_diff_print(stdout, &r->v[i], "A", "B");
		if (r->truncated)
			printf("(a region has more runs of numbers than are listed)\n");
		if (r->n)
			printf("A (%s) and B (%s) differ: %zu run%s listed, %zu regions compared\n", a, b, r->n,
			       r->n == 1 ? "" : "s", r->regions);
		else if (!r->undecided)
			printf("equivalent: A (%s) and B (%s) decide alike on every input (%zu regions)\n", a, b,
			       r->regions);
	}
	if (r->undecided)
		fprintf(stderr, "sysgate: diff: %zu of %zu regions undecided: %s\n", r->undecided, r->regions, r->why);
	return r->n ? EXIT_WARNINGS : r->undecided ? EXIT_INVALID : EXIT_VALID;
}

/* --arch's audit values, x86_64's and x32's once. */
static size_t audits(const struct cli_profile_opts *po, uint32_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < po->resolve.ntargets; i++) {
		size_t k = 0;
		while (k < n && out[k] != po->resolve.targets[i]->audit_arch)
			k++;
		if (k == n)
			out[n++] = po->resolve.targets[i]->audit_arch;
	}
	return n;
}

static int compare(struct side *s, const struct cli_profile_opts *po, int json)
{
	const struct sg_arch *targets[SG_MAX_ARCHES];
	enum sg_endian e = SG_LITTLE_ENDIAN;
	/* each read once: either may be standard input or a pipe */
	if (cli_input_read(&s[0].in, s[0].spec) | cli_input_read(&s[1].in, s[1].spec)) {
		if (!cli_raw_targets(po, targets))
			return EXIT_INVALID;
		e = targets[0]->endian;
	} else if (sg_arch_native()) {
		e = sg_arch_native()->endian;
	}
	if (load_side(&s[0], po, e) || load_side(&s[1], po, e))
		return EXIT_INVALID;
	uint32_t arches[SG_MAX_ARCHES];
	struct sg_diff_opts o = { arches, audits(po, arches), e };
	struct sg_sym_input a = { s[0].progs, s[0].n }, b = { s[1].progs, s[1].n };
	struct sg_diff r;
	struct sg_diags d;
	sg_diags_init(&d);
	int status = EXIT_INVALID;
	if (sg_diff(&a, &b, &o, &r, &d) == 0) {
		status = report(&r, json, s[0].spec, s[1].spec);
		sg_diff_free(&r);
	}
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	return status;
}

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_PROFILE_LONGOPTS,
		CLI_NAME_LONGOPT,
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_profile_opts po;
	int c, json = 0;
	cli_profile_opts_init(&po);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		int r = cli_profile_option(&po, c, optarg);
		if (r < 0)
			return EXIT_INVALID;
		if (r > 0)
			continue;
		if (c == 'j') {
			json = 1;
			continue;
		}
		return cli_usage(CLI_HELP_DIFF, c, argv);
	}
	if (optind != argc - 2)
		return cli_usage(CLI_HELP_DIFF, 0, argv);
	struct side s[2] = { { .spec = argv[optind] }, { .spec = argv[optind + 1] } };
	int status = compare(s, &po, json);
	free_side(&s[0]);
	free_side(&s[1]);
	return status;
}
