/* sysgate record: run a command with every syscall it makes noted by a
 * supervisor (user notification, no privilege needed), and write the
 * profile that allows them. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "sysgate/divert.h"
#include "sysgate/learn.h"
#include "sysgate/supervise.h"

struct record {
	struct cli_profile_opts po;
	const char *out_path, *base, *args, *name;
	enum sg_learn_format format;
	int verbose;
	char **cmd;
	int out_fd;        /* -o's, opened before anything runs; 1 for stdout */
	struct sg_learn *learn;
	size_t written;    /* sg_learn_count at the last write; (size_t)-1: never */
	size_t calls;      /* calls notified so far */
	size_t summarized; /* calls when -v's summary was last printed; (size_t)-1: never */
};

/* -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, struct record *r)
{
	static const struct option opts[] = {
		CLI_PROFILE_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ "base", required_argument, NULL, 'b' },
		{ "args", required_argument, NULL, 'A' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	cli_profile_opts_init(&r->po);
	r->po.quiet = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:hvo:", opts, NULL)) != -1) {
		int k = cli_profile_option(&r->po, c, optarg);
		if (k < 0 || (c == 'f' && cli_learn_format(optarg, &r->format)))
			return EXIT_OWN;
		if (k > 0 || c == 'f')
			continue;
		if (c == 'o')
			r->out_path = optarg;
		else if (c == 'n')
			r->name = optarg;
		else if (c == 'b')
			r->base = optarg;
		else if (c == 'A')
			r->args = optarg;
		else if (c == 'v')
			r->verbose = 1, r->po.quiet = 0;
		else
			return cli_usage(CLI_HELP_RECORD, c, argv) ? EXIT_OWN : 0;
	}
	if (optind >= argc)
		return cli_usage(CLI_HELP_RECORD, 0, argv) ? EXIT_OWN : 0;
	r->cmd = argv + optind;
	return -1;
}

/* --args, --base: what the set starts with. 0, or -1 said. */
static int prepare_learn(struct record *r, struct cli_built *base)
{
	struct sg_diags d;
	int rc = 0;
	sg_diags_init(&d);
	r->learn = sg_learn_new(NULL);
	if (!r->learn)
		rc = sg_oom(&d, NULL);
	char *list = r->args && !rc ? strdup(r->args) : NULL, *save = NULL;
	for (char *t = list ? strtok_r(list, ",", &save) : NULL; t && !rc; t = strtok_r(NULL, ",", &save))
		rc = sg_learn_track(r->learn, t, &d);
	free(list);
	if (!rc && r->base)
		rc = cli_build(r->base, NULL, 0, &r->po, base) ? -1 : sg_learn_add_base(r->learn, base->policy, &d);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	return rc;
}

/* The recording filter: every call notified, or with --base, the base's
 * filter with its refusals notified (what it allows runs at full speed,
 * kernel-cached); exit_group is notified in both. */
static int recording_filter(const struct cli_built *base, struct sg_prog *prog)
{
	/* no base: a filter that allows nothing */
	static const struct sg_insn refuse_all = { SG_BPF_RET | SG_BPF_K, 0, 0, SG_RET_KILL_PROCESS };
	const struct sg_arch *fam[SG_MAX_ARCHES];
	size_t n = sg_arch_family(sg_arch_native(), fam, SG_MAX_ARCHES);
	struct sg_prog all = { (struct sg_insn *)&refuse_all, 1 };
	struct sg_diags d;
	sg_diags_init(&d);
	int rc = sg_divert(base->policy ? &base->prog : &all, fam, n < SG_MAX_ARCHES ? n : SG_MAX_ARCHES, prog, &d);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	return rc;
}

/* Writes the profile to the output: a file from its start, each time. */
static void write_profile(struct record *r)
{
	struct sg_diags d;
	char *text = NULL;
	size_t len = 0;
	sg_diags_init(&d);
	struct sg_learn_opts o = { r->format, r->name };
	if (sg_learn_write(r->learn, &o, &text, &len, &d) == 0 &&
	    cli_write_profile(r->out_fd, r->out_path ? r->out_path : "<stdout>", r->out_path != NULL, text, len) == 0)
		r->written = sg_learn_count(r->learn);
	free(text);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
}

static void on_call(void *ctx, const struct sg_notification *n)
{
	struct record *r = ctx;
	struct sg_diags d;
	sg_diags_init(&d);
	r->calls++;
	if (sg_learn_add(r->learn, n->data.arch, n->data.nr, n->data.args, SG_RET_ALLOW, &d) == SG_LEARN_UNNAMED)
		fprintf(stderr, "sysgate: record: a call sysgate has no name for: arch 0x%08x, nr %u (not recorded)\n",
			n->data.arch, n->data.nr);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
}

static void print_summary(struct record *r)
{
	char *text = NULL;
	size_t len = 0;
	struct sg_diags d;
	sg_diags_init(&d);
	if (sg_learn_summary(r->learn, &text, &len, &d) == 0)
		fprintf(stderr, "%s", text);
	free(text);
	sg_diags_free(&d);
	r->summarized = r->calls;
}

static void at_end(void *ctx, int last)
{
	struct record *r = ctx;
	int file = r->out_path != NULL;
	/* standard output cannot be rewritten: written once, at the very end */
	if (file ? r->written == (size_t)-1 || sg_learn_count(r->learn) != r->written : last && r->written == (size_t)-1)
		write_profile(r);
	/* the file is written: the supervisor's stderr must not keep a pipe open
	 * for as long as a daemon the workload left behind runs */
	if (file && !last && !r->verbose) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (null >= 0 && null != 2) {
			dup2(null, 2);
			close(null);
		}
	}
	/* -v's summary too is printed while the workload's main process waits,
	 * so whoever waits for it reads it whole; again at the very end only
	 * if a process left behind made calls since */
	if (r->verbose && r->calls != r->summarized)
		print_summary(r);
}

/* --name's default: the output's file name without its extension, or CMD's. */
static void default_name(struct record *r, char *buf, size_t n)
{
	const char *from = r->out_path ? r->out_path : r->cmd[0];
	const char *base = strrchr(from, '/');
	snprintf(buf, n, "%s", base ? base + 1 : from);
	char *dot = strchr(buf, '.');
	if (dot && dot != buf)
		*dot = '\0';
	if (!r->name)
		r->name = buf;
}

int cmd_record(int argc, char **argv)
{
	struct record r = { .out_fd = 1, .written = (size_t)-1, .summarized = (size_t)-1 };
	struct cli_built base = { 0 };
	struct sg_prog prog = { 0 };
	char path[4096], name[256];
	int status = parse_options(argc, argv, &r);
	if (status >= 0)
		return status;
	if ((status = cli_find_command(r.cmd[0], path, sizeof(path))))
		return status;
	default_name(&r, name, sizeof(name));
	int created = 0;
	if (r.out_path && (r.out_fd = cli_open_output(r.out_path, &created)) < 0)
		return EXIT_OWN;
	status = EXIT_OWN;
	if (prepare_learn(&r, &base) == 0 && recording_filter(&base, &prog) == 0) {
		struct cli_watch w = { .on_call = on_call, .at_end = at_end, .ctx = &r, .keep = { 2, r.out_fd },
				       .nkeep = 2 };
		status = cli_watch_and_exec(&w, &prog, 0, path, r.cmd);
	}
	if (created) /* only failures return: nothing ran */
		unlink(r.out_path);
	sg_prog_free(&prog);
	cli_built_free(&base);
	sg_learn_free(r.learn);
	if (r.out_fd > 2)
		close(r.out_fd);
	return status;
}
