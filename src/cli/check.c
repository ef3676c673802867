/* sysgate check: parse + resolve + compile each profile, then a summary a
 * reviewer can read, a JSON array a CI job can, or (-q) the exit status. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sysgate/eval.h"

#define OPT_JSON 0x201

/* Per arch: each syscall's decision when its arguments are not considered:
 * the first rule naming it decides if unconditional, else it is conditional. */
static int cmp_rule_nr(const void *a, const void *b)
{
	const struct sg_arch_rule *x = *(const struct sg_arch_rule *const *)a, *y = *(const struct sg_arch_rule *const *)b;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return (x > y) - (x < y); /* keep profile order */
}

struct tally {
	size_t syscalls, conditional, allowed, nt;
	struct {
		uint32_t action;
		size_t count;
	} t[16];
};

static int count_arch(const struct sg_arch_policy *ap, struct tally *t)
{
	const struct sg_arch_rule **byn = malloc((ap->nrules + 1) * sizeof(*byn));
	memset(t, 0, sizeof(*t));
	if (!byn)
		return -1;
	for (size_t i = 0; i < ap->nrules; i++)
		byn[i] = &ap->rules[i];
	qsort(byn, ap->nrules, sizeof(*byn), cmp_rule_nr);
	for (size_t i = 0, j; i < ap->nrules; i = j) {
		const struct sg_arch_rule *first = byn[i];
		size_t k = 0;
		for (j = i; j < ap->nrules && byn[j]->nr == first->nr; j++)
			;
		t->syscalls++;
		if (first->nconds) {
			t->conditional++;
			continue;
		}
		uint32_t act = first->action & SG_RET_ACTION_FULL;
		t->allowed += act == SG_RET_ALLOW || act == SG_RET_LOG;
		while (k < t->nt && t->t[k].action != first->action)
			k++;
		if (k == t->nt && t->nt < 16)
			t->t[t->nt++].action = first->action;
		if (k < t->nt)
			t->t[k].count++;
	}
	free(byn);
	return 0;
}

static void print_arch(const struct sg_arch_policy *ap)
{
	struct tally t;
	if (count_arch(ap, &t))
		return;
	char buf[48];
	printf("  %-12s %zu syscalls:", ap->arch->name, t.syscalls);
	for (size_t k = 0; k < t.nt; k++) {
		sg_action_format(t.t[k].action, buf, sizeof(buf));
		printf(" %s %zu,", buf, t.t[k].count);
	}
	sg_action_format(ap->default_action, buf, sizeof(buf));
	printf(" argument-dependent %zu; all others %s", t.conditional, buf);
	if (ap->enosys) /* runc's stub, and the numbers the table leaves free */
		printf(", SCMP_ACT_ERRNO(ENOSYS) above %" PRIu32 " and where unallocated", ap->last_nr);
	printf("\n");
}

static void summarise(const struct cli_built *b, const struct sg_resolve_opts *o)
{
	const struct sg_profile *p = b->profile;
	const struct sg_policy *pol = b->policy;
	char buf[48];
	sg_action_format(pol->arches[0].default_action, buf, sizeof(buf));
	printf("profile:       %s", p->file);
	if (p->kubernetes)
		printf(" (Kubernetes SeccompProfile%s%s)", p->name ? " " : "", p->name ? p->name : "");
	printf("\n");
	for (size_t i = 0; i < p->nbase_files; i++)
		printf("base:          %s (baseProfileName, merged)\n", p->base_files[i]);
	printf("default:       %s\n", buf);
	printf("architectures:");
	for (size_t i = 0; i < pol->narches; i++)
		printf(" %s", pol->arches[i].arch->name);
	if (o->ntargets)
		printf("  (named with --arch)\n");
	else
		printf("  (%s on %s)\n", p->has_archmap ? "archMap entry" : p->has_architectures ? "listed, plus native" : "native only",
		       o->host->name);
	printf("flags:        ");
	for (size_t i = 0; i < SG_NFLAGS; i++)
		if (pol->flags & sg_flags[i].flag)
			printf(" %s", sg_flags[i].name);
	printf("%s\n", pol->flags ? (p->has_flags ? "" : "  (runc's default: no \"flags\" key)") : " none");
	size_t names = 0;
	for (size_t i = 0; i < p->nrules; i++)
		names += p->rules[i].nnames;
	printf("rules:         %zu naming %zu syscalls; %zu excluded by includes/excludes, %zu same as the default\n",
	       p->nrules, names, pol->rules_excluded, pol->rules_dropped);
	if (p->listener_path)
		printf("listener:      %s\n", p->listener_path);
	printf("program:       %zu instructions\n", b->prog.len);
	for (size_t a = 0; a < pol->narches; a++)
		print_arch(&pol->arches[a]);
}

/* ---- --json ------------------------------------------------------------------ */
#ifndef SG_STATIC_LIBC /* not in the static binary, held to 200,000 bytes: a CI job's, on the host */

/* s as a JSON string: quotes and backslashes escaped, and control and
 * non-ASCII bytes as \u00XX of their value, as lint writes them (a file
 * name need not be UTF-8: the JSON stays valid). */
static void json_str(const char *s)
{
	putchar('"');
	for (const unsigned char *c = (const unsigned char *)s; c && *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c < 0x20 || *c >= 0x7f)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

static void json_diags(const struct sg_diags *d, enum sg_severity sev)
{
	printf("[");
	for (size_t i = 0, n = 0; i < d->n; i++) {
		const struct sg_diag *g = &d->v[i];
		if (g->severity != sev)
			continue;
		printf("%s{\"line\": %u, \"col\": %u, \"path\": ", n++ ? ", " : "", g->loc.line, g->loc.col);
		json_str(g->loc.path);
		printf(", \"message\": ");
		json_str(g->message);
		printf("}");
	}
	if (sev == SG_ERROR && d->oom)
		printf("%s{\"line\": 0, \"col\": 0, \"path\": \"\", \"message\": \"out of memory\"}", d->errors ? ", " : "");
	printf("]");
}

static void json_arch(const struct sg_arch_policy *ap)
{
	struct tally t;
	char buf[48];
	if (count_arch(ap, &t))
		memset(&t, 0, sizeof(t));
	sg_action_format(ap->default_action, buf, sizeof(buf));
	printf("{\"arch\": \"%s\", \"syscalls\": %zu, \"allowed\": %zu, \"denied\": %zu, \"conditional\": %zu, "
	       "\"default\": \"%s\", \"actions\": {",
	       ap->arch->name, t.syscalls, t.allowed, t.syscalls - t.allowed - t.conditional, t.conditional, buf);
	for (size_t k = 0; k < t.nt; k++) {
		sg_action_format(t.t[k].action, buf, sizeof(buf));
		printf("%s\"%s\": %zu", k ? ", " : "", buf, t.t[k].count);
	}
	printf("}, \"unknown\": %zu}", ap->nunknown);
}

static void json_file(const char *file, size_t index, const struct cli_built *b, const struct sg_diags *d, int first)
{
	printf("%s\n{\"file\": ", first ? "" : ",");
	json_str(file);
	if (index)
		printf(", \"index\": %zu", index);
	if (b->profile && b->profile->name) {
		printf(", \"name\": ");
		json_str(b->profile->name);
	}
	printf(", \"valid\": %s, \"errors\": ", b->prog.len ? "true" : "false");
	json_diags(d, SG_ERROR);
	printf(", \"warnings\": ");
	json_diags(d, SG_WARNING);
	if (b->prog.len) {
		printf(", \"kubernetes\": %s, \"instructions\": %zu, \"arches\": [",
		       b->profile->kubernetes ? "true" : "false", b->prog.len);
		for (size_t a = 0; a < b->policy->narches; a++) {
			printf("%s\n  ", a ? "," : "");
			json_arch(&b->policy->arches[a]);
		}
		printf("]");
	}
	printf("}");
}

#endif

/* ---- the command ------------------------------------------------------------- */

enum mode { TEXT, QUIET, JSON };

/* -q: errors only, as they come */
static void errors_only(const struct sg_diag *g, void *out)
{
	if (g->severity == SG_ERROR)
		sg_diag_print(g, out);
}

/* One file: 0 valid, -1 not; b filled as far as it got (a valid one has a program). */
static int check_one(const char *file, const char *text, size_t len, const struct cli_profile_opts *po, enum mode m,
		     struct cli_built *b, struct sg_diags *d)
{
	struct sg_diag_printer pr; /* diagnostics printed as they come */
	memset(b, 0, sizeof(*b));
	sg_diags_init(d);
	d->strict = po->resolve.strict;
	if (m == TEXT) {
		sg_diag_printer_init(&pr, stderr, 0);
		d->sink = sg_diag_printer_sink;
		d->sink_arg = &pr;
	} else if (m == QUIET) {
		d->sink = errors_only;
		d->sink_arg = stderr;
	}
	b->profile = text ? sg_source_parse(file, text, len, &po->source, d) : sg_source_load(file, &po->source, d);
	if (b->profile)
		b->policy = sg_resolve(b->profile, &po->resolve, d);
	if (b->policy) {
		sg_policy_warn_overlaps(b->policy, d);
		sg_compile(b->policy, &po->compile, &b->prog, d);
	}
	if (m == TEXT)
		sg_diag_printer_end(&pr, 1);
	if (m != JSON) /* what is left: "out of memory" */
		sg_diags_print(d, stderr);
	return b->prog.len ? 0 : -1;
}

/* index: which of the file's profiles this is (from 1), 0 when it has one */
static void report_text(const char *file, size_t index, const struct cli_built *b, const struct sg_diags *d,
			const struct sg_resolve_opts *o)
{
	if (index && !b->prog.len)
		printf("profile:       %s (profile %zu of the stream)\n", file, index);
	if (b->prog.len) {
		summarise(b, o);
		printf("result:        valid (%zu warning%s)\n", d->warnings, d->warnings == 1 ? "" : "s");
	} else {
		printf("result:        invalid (%zu error%s)\n", d->errors + (size_t)d->oom,
		       d->errors + (size_t)d->oom == 1 ? "" : "s");
	}
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_PROFILE_LONGOPTS,
		CLI_NAME_LONGOPT,
#ifndef SG_STATIC_LIBC
		{ "json", no_argument, NULL, OPT_JSON },
#endif
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_profile_opts po;
	enum mode m = TEXT;
	int c, status = EXIT_VALID;
	cli_profile_opts_init(&po);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hq", opts, NULL)) != -1) {
		int r = cli_profile_option(&po, c, optarg);
		if (r < 0)
			return EXIT_INVALID;
		if (r == 0 && (c == 'q' || c == OPT_JSON))
			m = c == 'q' ? QUIET : JSON;
		else if (r == 0)
			return cli_usage(CLI_HELP_CHECK, c, argv);
	}
	if (optind == argc)
		return cli_usage(CLI_HELP_CHECK, 0, argv);
	if (m == JSON)
		printf("[");
	for (int i = optind, done = 0; i < argc; i++) {
		char *text;
		size_t len, n = cli_profiles_in(argv[i], &po, &text, &len);
		for (size_t k = n > 1; k <= (n > 1 ? n : 0); k++, done++) {
			struct cli_built b;
			struct sg_diags d;
			po.source.index = k;
			if (check_one(argv[i], text, len, &po, m, &b, &d))
				status = EXIT_INVALID;
			if (m == TEXT && done)
				printf("\n");
			if (m == TEXT)
				report_text(argv[i], k, &b, &d, &po.resolve);
#ifndef SG_STATIC_LIBC
			else if (m == JSON)
				json_file(argv[i], k, &b, &d, !done);
#endif
			cli_built_free(&b);
			sg_diags_free(&d);
		}
		free(text);
	}
	if (m == JSON)
		printf("\n]\n");
	return status;
}
