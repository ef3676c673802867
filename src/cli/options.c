/* The options every command that reads a profile takes, and the read ->
 * parse -> resolve -> compile those commands share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sysgate/emulate.h"

/* --arch, in every command: a name of any of the three sets
 * (SCMP_ARCH_AARCH64, aarch64, arm64), or the AUDIT_ARCH_* value audit
 * logs print (arch=c00000b7), with or without 0x. */
int cli_arch(const char *arg, const struct sg_arch **out)
{
	char *end;
	size_t digits = strspn(arg + (arg[0] == '0' && (arg[1] | 0x20) == 'x' ? 2 : 0), "0123456789abcdefABCDEF");
	unsigned long v = strtoul(arg, &end, 16);
	*out = sg_arch_lookup(arg);
	if (!*out && *arg && !*end && digits && digits <= 8)
		*out = sg_arch_by_audit((uint32_t)v);
	if (*out)
		return 0;
	const struct sg_arch *hint = sg_arch_suggest(arg);
	size_t n;
	const struct sg_arch *const *all = sg_arches(&n);
	fprintf(stderr, "sysgate: unknown architecture \"%s\"", arg);
	if (hint) /* in the form asked */
		fprintf(stderr, " (did you mean %s?)", strncmp(arg, "SCMP_", 5) ? hint->name : hint->scmp_name);
	fprintf(stderr, "; --arch takes");
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %s", all[i]->name);
	fprintf(stderr, ", their SCMP_ARCH_* or Go names, or an audit arch value (c000003e)\n");
	return -1;
}

int cli_usage(enum cli_text help, int c, char **argv)
{
	const char *cmd = argv[0], *opt = optind > 1 ? argv[optind - 1] : "";
	if (c == 'h') {
		cli_help(help, stdout);
		return EXIT_VALID;
	}
	if (c == 0) { /* the operands: the help's usage line */
		size_t len;
		char *text = cli_text(help, &len);
		fprintf(stderr, "%.*s", text ? (int)strcspn(text, "\n") : 0, text ? text : "");
		free(text);
	} else {
		/* getopt leaves optopt 0 for an unknown long option, the option's
		 * value for one without its value or with one it takes none of */
		int eq = strchr(opt, '=') != NULL, len = 0;
		if (strncmp(opt, "--", 2) == 0 && (optopt == 0 || c == ':' || eq))
			len = (int)strcspn(opt, "=");
		char one[3] = { '-', (char)optopt, 0 };
		fprintf(stderr, "sysgate %s: %s '%.*s'%s", cmd, c == ':' || (len && optopt) ? "option" : "unknown option",
			len ? len : 2, len ? opt : one, c == ':' ? " needs a value" : len && optopt ? " takes no value" : "");
	}
	fprintf(stderr, " (try 'sysgate help %s')\n", cmd);
	return EXIT_INVALID;
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
	if (sg_kernel_parse(arg, v, NULL) == 0)
		return 0;
	fprintf(stderr, "sysgate: --kernel wants a version like 6.1, not \"%s\"\n", arg);
	return -1;
}

void cli_profile_opts_init(struct cli_profile_opts *o)
{
	memset(o, 0, sizeof(*o));
	sg_resolve_opts_init(&o->resolve);
	sg_compile_opts_init(&o->compile);
}

/* Only actions that stop the call: a foreign arch must never run unfiltered. */
static int parse_bad_arch(const char *arg, uint32_t *out)
{
	char name[32];
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
	enum sg_action_kind k;
	if (n < sizeof(name)) {
		memcpy(name, arg, n);
		name[n] = '\0';
	}
	if (n < sizeof(name) && sg_action_lookup(name, &k) == 0 &&
	    (k == SG_ACT_KILL_PROCESS || k == SG_ACT_KILL_THREAD || k == SG_ACT_TRAP || k == SG_ACT_ERRNO)) {
		if (!colon) {
			*out = sg_actions[k].ret | (k == SG_ACT_ERRNO ? 1 : 0); /* EPERM, as runc */
			return 0;
		}
		char *end;
		unsigned long v = strtoul(colon + 1, &end, 10);
		if (k == SG_ACT_ERRNO && *end == '\0' && end != colon + 1 && colon[1] != '-' && v <= SG_ERRNO_LIBSECCOMP_MAX) {
			*out = sg_actions[k].ret | (uint32_t)v;
			return 0;
		}
	}
	fprintf(stderr, "sysgate: --bad-arch takes SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP "
			"or SCMP_ACT_ERRNO[:N], not \"%s\"\n", arg);
	return -1;
}

/* An option of two values: *out 0 for the first (the default), 1 for the
 * second; 1 handled, -1 after saying what it takes. */
static int choice(const char *opt, const char *arg, const char *first, const char *second, int *out)
{
	if (strcmp(arg, first) == 0 || strcmp(arg, second) == 0) {
		*out = strcmp(arg, second) == 0;
		return 1;
	}
	fprintf(stderr, "sysgate: --%s is %s or %s, not \"%s\"\n", opt, first, second, arg);
	return -1;
}

int cli_profile_option(struct cli_profile_opts *o, int c, const char *arg)
{
	struct sg_resolve_opts *r = &o->resolve;
	int rc, second = 0;
	if (c == 'a' || c == 'c' || c == 'k' || c == 's' || c == 'B' || c == 'P' || c == CLI_OPT_ARG_WIDTH ||
	    c == CLI_OPT_ENOSYS)
		o->changed = 1;
	switch (c) {
	case 'a': {
		const struct sg_arch *a;
		if (cli_arch(arg, &a))
			return -1;
		if (r->ntargets == SG_MAX_ARCHES) {
			fprintf(stderr, "sysgate: at most %d --arch\n", SG_MAX_ARCHES);
			return -1;
		}
		if (r->ntargets == 0)
			r->host = a; /* the first named arch plays the native one */
		r->targets[r->ntargets++] = a;
		return 1;
	}
	case 'c': return cli_caps(arg, &r->caps) ? -1 : 1;
	case 'k': return cli_kernel(arg, r->kernel) ? -1 : 1;
	case 's': r->strict = 1; return 1;
	case 'B': return parse_bad_arch(arg, &o->compile.bad_arch_action) ? -1 : 1;
	case 'P':
		rc = choice("precedence", arg, "restrictive", "first", &second);
		r->precedence = second ? SG_PRECEDENCE_FIRST : SG_PRECEDENCE_RESTRICTIVE;
		return rc;
	case CLI_OPT_ARG_WIDTH:
		rc = choice("arg-width", arg, "kernel", "64", &second);
		r->arg_width = second ? SG_ARG_WIDTH_64 : SG_ARG_WIDTH_KERNEL;
		return rc;
	case CLI_OPT_ENOSYS: return choice("enosys", arg, "on", "off", &r->enosys_off);
	case CLI_OPT_NAME: o->source.name = arg; return 1;
	case CLI_OPT_PROFILE_PATH:
		if (o->source.nprofile_path == sizeof(o->profile_path) / sizeof(*o->profile_path)) {
			fprintf(stderr, "sysgate: at most %zu --profile-path\n", sizeof(o->profile_path) / sizeof(*o->profile_path));
			return -1;
		}
		o->profile_path[o->source.nprofile_path++] = arg;
		o->source.profile_path = o->profile_path;
		return 1;
	default: return 0;
	}
}

/* Parses and resolves; prints the diagnostics (warnings only when asked). */
static int parse_and_resolve(const char *file, const char *text, size_t len, const struct cli_profile_opts *o,
			     struct sg_profile **p, struct sg_policy **pol, struct sg_diags *d)
{
	/* printed as they come (a profile can yield millions); exec's quiet
	 * mode holds them back unless something fails */
	struct sg_diag_printer pr;
	sg_diag_printer_init(&pr, stderr, o->quiet && !o->resolve.strict);
	d->strict = o->resolve.strict;
	d->sink = sg_diag_printer_sink;
	d->sink_arg = &pr;
	*p = text ? sg_source_parse(file, text, len, &o->source, d) : sg_source_load(file, &o->source, d);
	if (*p)
		*pol = sg_resolve(*p, &o->resolve, d);
	sg_diag_printer_end(&pr, !*pol);
	if (!o->quiet || o->resolve.strict || !*pol)
		sg_diags_print(d, stderr); /* what is left: "out of memory" */
	sg_diags_free(d);
	if (*pol)
		return 0;
	sg_profile_free(*p);
	*p = NULL;
	return -1;
}

static int cli_load_text(const char *name, const char *text, size_t len, const struct cli_profile_opts *o,
		  struct sg_profile **p, struct sg_policy **pol)
{
	struct sg_diags d;
	sg_diags_init(&d);
	*p = NULL;
	*pol = NULL;
	return parse_and_resolve(name, text, len, o, p, pol, &d);
}

static int cli_load(const char *file, const struct cli_profile_opts *o, struct sg_profile **p, struct sg_policy **pol)
{
	struct sg_diags d;
	sg_diags_init(&d);
	*p = NULL;
	*pol = NULL;
	return parse_and_resolve(file, NULL, 0, o, p, pol, &d);
}

int cli_profile_args(int argc, char **argv, enum cli_text help, struct cli_profile_opts *o)
{
	static const struct option opts[] = {
		CLI_PROFILE_LONGOPTS,
		CLI_NAME_LONGOPT,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	cli_profile_opts_init(o);
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		int r = cli_profile_option(o, c, optarg);
		if (r < 0)
			return EXIT_INVALID;
		if (r == 0)
			return cli_usage(help, c, argv);
	}
	return -1;
}

int cli_build(const char *file, const char *text, size_t len, const struct cli_profile_opts *o, struct cli_built *b)
{
	memset(b, 0, sizeof(*b));
	if (text ? cli_load_text(file, text, len, o, &b->profile, &b->policy) : cli_load(file, o, &b->profile, &b->policy))
		return -1;
	struct sg_diags d;
	sg_diags_init(&d);
	int rc = sg_compile(b->policy, &o->compile, &b->prog, &d);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	return rc;
}

void cli_built_free(struct cli_built *b)
{
	sg_prog_free(&b->prog);
	sg_policy_free(b->policy);
	sg_profile_free(b->profile);
	memset(b, 0, sizeof(*b));
}

/* ---- raw filters ------------------------------------------------------------ */

/* A JSON profile's first non-blank byte is '{'. */
static int starts_json(const char *text, size_t len)
{
	size_t i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	return i < len && text[i] == '{';
}

/* Whether a file holds a raw struct sock_filter program rather than a
 * profile: whole 8-byte instructions, and a NUL byte, which every
 * instruction has (its 16-bit code is below 0x100) and no JSON or YAML
 * text may hold. */
static int looks_raw(const char *text, size_t len)
{
	return len && len % 8 == 0 && !starts_json(text, len) && memchr(text, '\0', len);
}

int cli_read_raw(const char *file, const char *text, size_t len, enum sg_endian e, struct sg_prog *prog)
{
	struct sg_diags d;
	char *raw = NULL, why[160];
	int rc = -1;
	sg_diags_init(&d);
	if (text || sg_read_file(file, &raw, &len, &d) == 0) {
		text = text ? text : raw;
		if (starts_json(text, len))
			fprintf(stderr, "sysgate: %s: a profile, not a raw BPF program\n", file);
		else if (sg_prog_from_raw((const unsigned char *)text, len, e, prog, &d, file) == 0) {
			if (sg_bpf_check(prog->insns, prog->len, why, sizeof(why))) {
				fprintf(stderr, "sysgate: %s: the kernel would refuse this filter: %s\n", file, why);
				sg_prog_free(prog);
			} else {
				rc = 0;
			}
		}
	}
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	free(raw);
	return rc;
}

int cli_read_stack(const struct cli_input *in, enum sg_endian e, struct sg_prog *progs, size_t *n, size_t cap)
{
	char *copy = strdup(in->spec), *save = NULL;
	int rc = copy ? 0 : -1;
	*n = 0;
	for (char *f = copy ? strtok_r(copy, ",", &save) : NULL; f && rc == 0; f = strtok_r(NULL, ",", &save)) {
		if (*n == cap) {
			fprintf(stderr, "sysgate: at most %zu stacked filters\n", cap);
			rc = -1;
		} else if (cli_read_raw(f, in->text, in->len, e, &progs[*n])) {
			rc = -1;
		} else {
			(*n)++;
		}
	}
	free(copy);
	return rc;
}

int cli_input_read(struct cli_input *in, const char *spec)
{
	struct sg_diags d;
	memset(in, 0, sizeof(*in));
	in->spec = spec;
	if (strchr(spec, ','))
		return in->raw = 1;
	sg_diags_init(&d);
	if (sg_read_file(spec, &in->text, &in->len, &d) == 0)
		in->raw = looks_raw(in->text, in->len);
	sg_diags_free(&d);
	return in->raw;
}

void cli_input_free(struct cli_input *in)
{
	free(in->text);
	in->text = NULL;
}

size_t cli_profiles_in(const char *file, const struct cli_profile_opts *po, char **text, size_t *len)
{
	*text = NULL;
	*len = 0;
#ifndef SG_STATIC_LIBC /* the static binary reads no YAML: a stream needs --name there */
	struct sg_diags d;
	long n = 1;
	sg_diags_init(&d);
	/* what is wrong (no such file) is said when the command reads it by name */
	if (sg_read_file(file, text, len, &d) == 0 && !po->source.name)
		n = sg_source_count(file, *text, *len, &d);
	sg_diags_free(&d);
	return n > 1 ? (size_t)n : 1;
#else
	(void)file;
	(void)po;
	return 1;
#endif
}

size_t cli_raw_targets(const struct cli_profile_opts *po, const struct sg_arch **out)
{
	const struct sg_resolve_opts *r = &po->resolve;
	size_t n = r->ntargets;
	for (size_t i = 0; i < n; i++)
		out[i] = r->targets[i];
	if (!n && (out[0] = sg_arch_native()) != NULL)
		n = 1;
	if (!n)
		fprintf(stderr, "sysgate: unknown native architecture: name one with --arch\n");
	for (size_t i = 1; i < n; i++)
		if (out[i]->endian != out[0]->endian) {
			fprintf(stderr, "sysgate: %s and %s differ in byte order: a raw program has one\n", out[0]->name,
				out[i]->name);
			return 0;
		}
	return n;
}
