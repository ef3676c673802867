/* sysgate import-log: the kernel's seccomp records in a log (dmesg,
 * kern.log, journalctl -k, auditd's audit.log) -> the profile that allows
 * the calls they name, on the architecture each names. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sysgate/auditlog.h"
#include "sysgate/learn.h"

/* The kernel keeps this much of a command name (TASK_COMM_LEN 16, with the NUL). */
#define COMM_MAX 15

/* Warnings are kept in memory until the profile is written, and a log can
 * hold millions of records: a call sysgate cannot name is said once (the
 * learn set tells), for the first few such calls, and each reason a record
 * cannot be read for its first few lines; the rest are counted. */
#define UNKNOWN_MAX 64
#define MALFORMED_LINES 10
#define MALFORMED_KINDS 8

struct import {
	struct cli_profile_opts po;
	struct sg_learn_opts out;
	const char *path, *base, *comm, *exe;
	size_t comm_len; /* what is compared: at most COMM_MAX bytes */
	long pid; /* -1: any */
	struct sg_learn *learn;
	size_t records, kept;
	size_t unknown_said, unknown_unsaid; /* calls sysgate cannot name: said, beyond those */
	struct {
		const char *why; /* sg_audit_parse_line's static text */
		size_t count;
	} malformed[MALFORMED_KINDS];
	size_t nmalformed;
};

static int parse_options(int argc, char **argv, struct import *im)
{
	static const struct option opts[] = {
		CLI_PROFILE_LONGOPTS,
		{ "output", required_argument, NULL, 'o' }, { "base", required_argument, NULL, 'b' },
		{ "comm", required_argument, NULL, 'C' },   { "exe", required_argument, NULL, 'E' },
		{ "pid", required_argument, NULL, 'p' },    { "format", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },   { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;
	cli_profile_opts_init(&im->po);
	im->po.quiet = 0; /* the base's warnings bear on the result */
	optind = 1;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		int r = cli_profile_option(&im->po, c, optarg);
		if (r < 0)
			return EXIT_INVALID;
		if (r > 0)
			continue;
		if (c == 'o')
			im->path = optarg;
		else if (c == 'b')
			im->base = optarg;
		else if (c == 'C')
			im->comm = optarg, im->comm_len = strlen(optarg);
		else if (c == 'E')
			im->exe = optarg;
		else if (c == 'n')
			im->out.name = optarg;
		else if (c == 'p' && (errno = 0, im->pid = strtol(optarg, &end, 10), !errno && *optarg && !*end && im->pid >= 0))
			continue;
		else if (c == 'f' && cli_learn_format(optarg, &im->out.format))
			return EXIT_INVALID;
		else if (c == 'p') {
			fprintf(stderr, "sysgate: --pid takes a process ID, not \"%s\"\n", optarg);
			return EXIT_INVALID;
		} else if (c != 'f')
			return cli_usage(CLI_HELP_IMPORT_LOG, c, argv);
	}
	if (im->comm_len > COMM_MAX) {
		im->comm_len = COMM_MAX;
		fprintf(stderr,
			"sysgate: --comm: the kernel keeps the first %d bytes of a command name: comparing \"%.*s\"\n",
			COMM_MAX, COMM_MAX, im->comm);
	}
	return -1;
}

/* Whether the record passes --comm, --exe and --pid. */
static int wanted(const struct import *im, const struct sg_audit_call *a)
{
	if (im->comm && (!a->has_comm || im->comm_len != a->comm_len || memcmp(im->comm, a->comm, a->comm_len)))
		return 0;
	if (im->exe && (!a->has_exe || strlen(im->exe) != a->exe_len || memcmp(im->exe, a->exe, a->exe_len)))
		return 0;
	return im->pid < 0 || (a->has_pid && a->pid == im->pid);
}

/* Whether to say that a record cannot be read: the first lines of each reason. */
static int say_malformed(struct import *im, const char *why)
{
	size_t k = 0;
	while (k < im->nmalformed && strcmp(im->malformed[k].why, why) != 0)
		k++;
	if (k == MALFORMED_KINDS)
		return 1; /* more reasons than the parser has today: each said rather than lost */
	if (k == im->nmalformed)
		im->malformed[im->nmalformed++].why = why;
	return ++im->malformed[k].count <= MALFORMED_LINES;
}

static void import_line(struct import *im, const char *file, size_t lineno, const char *line, size_t len,
			struct sg_diags *d)
{
	struct sg_audit_call a;
	const char *why = NULL;
	struct sg_loc at = { .line = (unsigned)lineno, .col = 1, .path = "" };
	enum sg_audit_kind k = sg_audit_parse_line(line, len, &a, &why);
	if (k == SG_AUDIT_MALFORMED && say_malformed(im, why))
		sg_warning(d, file, &at, "a seccomp record sysgate cannot read (%s): skipped", why);
	if (k != SG_AUDIT_SECCOMP)
		return;
	im->records++;
	if (!wanted(im, &a))
		return;
	int r = sg_learn_add(im->learn, a.arch, a.nr, NULL, a.has_code ? a.code : 0xffffffffu, d);
	if (r == SG_LEARN_UNNAMED && im->unknown_said == UNKNOWN_MAX) {
		im->unknown_unsaid++;
	} else if (r == SG_LEARN_UNNAMED) {
		im->unknown_said++;
		sg_warning(d, file, &at,
			   "arch=%x syscall=%u: sysgate has no name for this call on this architecture: skipped "
			   "(here and on any later line)",
			   a.arch, a.nr);
	}
	im->kept += r >= 0;
}

/* The counts of what was not said line by line. */
static void say_counts(const struct import *im, struct sg_diags *d)
{
	for (size_t k = 0; k < im->nmalformed; k++)
		if (im->malformed[k].count > MALFORMED_LINES)
			sg_warning(d, NULL, NULL, "%zu more seccomp records sysgate cannot read (%s): skipped",
				   im->malformed[k].count - MALFORMED_LINES, im->malformed[k].why);
	if (im->unknown_unsaid)
		sg_warning(d, NULL, NULL,
			   "%zu more calls sysgate has no name for (beyond the %d named above): skipped",
			   im->unknown_unsaid, UNKNOWN_MAX);
}

static int import_file(struct import *im, const char *file, struct sg_diags *d)
{
	int stdin_ = strcmp(file, "-") == 0;
	FILE *f = stdin_ ? stdin : fopen(file, "re");
	if (!f)
		return sg_error(d, file, NULL, "%s", strerror(errno));
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	while (!sg_diags_failed(d) && (n = getline(&line, &cap, f)) >= 0)
		import_line(im, stdin_ ? "<stdin>" : file, ++lineno, line, (size_t)n, d);
	int rc = ferror(f) ? sg_error(d, file, NULL, "read: %s", strerror(errno)) : 0;
	free(line);
	if (!stdin_)
		fclose(f);
	return rc;
}

static int write_out(const struct import *im, struct sg_diags *d)
{
	char *text = NULL, *sum = NULL;
	size_t len = 0, slen = 0;
	/* memory that ran out may have lost a warning: nothing is written then */
	int rc = sg_learn_write(im->learn, &im->out, &text, &len, d) || sg_learn_summary(im->learn, &sum, &slen, d) ||
		 sg_diags_failed(d) || cli_write_file(im->path, text, len);
	if (sum)
		fprintf(stderr, "%s%zu seccomp records read, %zu imported\n", sum, im->records, im->kept);
	free(text);
	free(sum);
	return rc ? -1 : 0;
}

int cmd_import_log(int argc, char **argv)
{
	struct import im = { .pid = -1 };
	int status = parse_options(argc, argv, &im);
	if (status >= 0)
		return status;
	struct sg_diags d;
	struct cli_built b = { 0 };
	sg_diags_init(&d);
	status = (im.learn = sg_learn_new(NULL)) ? 0 : sg_oom(&d, NULL);
	if (!status && im.base)
		status = cli_build(im.base, NULL, 0, &im.po, &b) ? -1 : sg_learn_add_base(im.learn, b.policy, &d);
	for (int i = optind; !status && i < argc; i++)
		status = import_file(&im, argv[i], &d);
	if (!status && optind == argc)
		status = import_file(&im, "-", &d);
	say_counts(&im, &d);
	if (sg_diags_failed(&d)) /* memory ran out: the profile would lack calls */
		status = -1;
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	sg_diags_init(&d);
	if (!status)
		status = write_out(&im, &d);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	cli_built_free(&b);
	sg_learn_free(im.learn);
	return status ? EXIT_INVALID : 0;
}
