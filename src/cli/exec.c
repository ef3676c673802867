/* sysgate exec: compile (or read) a filter, load it, exec the command.
 * Fails closed: whatever goes wrong before the filter is in place, the
 * command is not run. Exit statuses follow env(1): 125 sysgate's own
 * failure, 126 the command cannot be run, 127 it was not found. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "sysgate/emulate.h"
#include "sysgate/load.h"
#include "sysgate/notify.h"

enum { EXIT_OWN = 125, EXIT_CANNOT_RUN = 126, EXIT_NOT_FOUND = 127 };

static const char exec_help[] =
	"usage: sysgate exec [-p FILE | --bpf FILE.bpf] [OPTIONS] -- CMD [ARG...]\n"
	"\n"
	"Runs CMD under a seccomp filter: the profile FILE, a raw filter from\n"
	"`sysgate compile`, or with neither the embedded default profile (see\n"
	"`sysgate default`). If anything fails before the filter is in place, CMD is\n"
	"not run. A profile using SCMP_ACT_NOTIFY must name a listenerPath: sysgate\n"
	"sends the listener fd there (OCI container process state, SCM_RIGHTS).\n"
	"\n"
	"  -p, --profile FILE  seccomp profile (JSON)\n"
	"  --bpf FILE          precompiled raw filter (this machine's byte order)\n"
	"  --flags LIST        filter flags added to the profile's: tsync, log,\n"
	"                      spec_allow, wait_killable_recv (SECCOMP_FILTER_FLAG_* names too)\n"
	"  -v, --verbose       show the profile's warnings (shown anyway under --strict)\n" CLI_PROFILE_HELP
	"\n"
	"exit status: CMD's own; 125 sysgate failed, 126 CMD cannot run, 127 CMD not found\n";

static int parse_flags(const char *arg, uint32_t *flags)
{
	char *copy = strdup(arg);
	int rc = copy ? 0 : -1;
	for (char *save = NULL, *t = copy ? strtok_r(copy, ",", &save) : NULL; t && !rc; t = strtok_r(NULL, ",", &save)) {
		uint32_t f;
		if (sg_flag_lookup(t, &f)) {
			fprintf(stderr, "sysgate: unknown filter flag \"%s\"\n", t);
			rc = -1;
		} else {
			*flags |= f;
		}
	}
	free(copy);
	return rc;
}

/* execvp's search, done before the filter is loaded so that the filter
 * only ever sees one execve, and "not found" never costs a filter. */
static int find_command(const char *cmd, char *out, size_t outsz)
{
	if (strchr(cmd, '/')) {
		struct stat st;
		if ((size_t)snprintf(out, outsz, "%s", cmd) >= outsz || stat(cmd, &st) != 0)
			return EXIT_NOT_FOUND;
		return S_ISREG(st.st_mode) && access(cmd, X_OK) == 0 ? 0 : EXIT_CANNOT_RUN;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/bin:/usr/bin";
	int found_unusable = 0;
	for (const char *p = path;; p++) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		struct stat st;
		/* a cut-off path could name another file: skip it */
		int fits = (size_t)snprintf(out, outsz, "%.*s%s%s", (int)n, p, n ? "/" : "", cmd) < outsz;
		if (fits && stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(out, X_OK) == 0)
				return 0;
			found_unusable = 1;
		}
		if (!e)
			break;
		p = e;
	}
	return found_unusable ? EXIT_CANNOT_RUN : EXIT_NOT_FOUND;
}

/* A filter that kills execve as this machine makes it (say, one compiled for
 * another architecture) would kill sysgate before CMD could start: refuse. */
static int kills_own_execve(const struct sg_prog *prog)
{
	const struct sg_arch *native = sg_arch_native();
	uint32_t nr;
	if (!native || sg_syscall_nr(native, "execve", &nr))
		return 0;
	struct sg_seccomp_data d = { .nr = nr, .arch = native->audit_arch };
	size_t executed;
	uint32_t action = sg_bpf_run(prog->insns, prog->len, &d, native->endian, &executed, NULL, 0);
	uint32_t kind = action & SG_RET_ACTION_FULL;
	if (kind != SG_RET_KILL_PROCESS && kind != SG_RET_KILL_THREAD && kind != SG_RET_TRAP)
		return 0;
	char act[48];
	sg_action_format(action, act, sizeof(act));
	fprintf(stderr, "sysgate: the filter answers execve on %s with %s: the command could never start "
			"(does it target this machine's architecture?)\n", native->name, act);
	return 1;
}

static int has_notify(const struct sg_prog *p)
{
	for (size_t i = 0; i < p->len; i++)
		if (p->insns[i].code == (SG_BPF_RET | SG_BPF_K) &&
		    (p->insns[i].k & SG_RET_ACTION_FULL) == SG_RET_USER_NOTIF)
			return 1;
	return 0;
}

static int read_bpf(const char *file, struct sg_prog *prog)
{
	struct sg_diags d;
	char *raw = NULL, why[160];
	size_t len = 0;
	int rc = -1;
	sg_diags_init(&d);
	const struct sg_arch *native = sg_arch_native();
	if (sg_read_file(file, &raw, &len, &d) == 0 &&
	    sg_prog_from_raw((unsigned char *)raw, len, native ? native->endian : SG_LITTLE_ENDIAN, prog, &d, file) == 0) {
		if (sg_bpf_check(prog->insns, prog->len, why, sizeof(why)))
			fprintf(stderr, "sysgate: %s: the kernel would refuse this filter: %s\n", file, why);
		else if (has_notify(prog))
			fprintf(stderr, "sysgate: %s returns SCMP_ACT_NOTIFY, which needs a listenerPath: use -p\n", file);
		else
			rc = 0;
	}
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	free(raw);
	return rc;
}

/* The build's precompiled default applies when nothing it was compiled for
 * differs: the native arch, Docker's capabilities, a kernel at least as new
 * as every minKernel in the profile (then every minKernel test holds). */
static int use_embedded_bpf(const struct cli_profile_opts *po, struct sg_prog *prog, uint32_t *flags)
{
	const struct cli_embedded_bpf *e = &cli_embedded_bpf;
	const struct sg_arch *native = sg_arch_native();
	const unsigned *k = po->resolve.kernel;
	if (!e || !e->len || !native || strcmp(native->name, e->arch) != 0 || e->caps != po->resolve.caps)
		return 0;
	if (!sg_kernel_ge(k, e->kernel))
		return 0;
	prog->insns = malloc(e->len * sizeof(*prog->insns));
	if (!prog->insns)
		return 0;
	memcpy(prog->insns, e->insns, e->len * sizeof(*prog->insns));
	prog->len = e->len;
	*flags |= e->flags;
	return 1;
}

/* ---- the steps ---------------------------------------------------------- */

struct exec_opts {
	struct cli_profile_opts po;
	const char *profile, *bpf;
	uint32_t extra_flags; /* --flags */
	char **cmd;           /* CMD [ARG...] */
};

/* 1. The options: -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, struct exec_opts *o)
{
	static const struct option opts[] = {
		CLI_PROFILE_LONGOPTS,
		{ "profile", required_argument, NULL, 'p' },
		{ "bpf", required_argument, NULL, 'b' },
		{ "flags", required_argument, NULL, 'F' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	memset(o, 0, sizeof(*o));
	cli_profile_opts_init(&o->po);
	o->po.quiet = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+hvp:", opts, NULL)) != -1) {
		int r = cli_profile_option(&o->po, c, optarg);
		if (r < 0)
			return EXIT_OWN;
		if (r > 0)
			continue;
		if (c == 'p')
			o->profile = optarg;
		else if (c == 'b')
			o->bpf = optarg;
		else if (c == 'v')
			o->po.quiet = 0;
		else if (c == 'F') {
			if (parse_flags(optarg, &o->extra_flags))
				return EXIT_OWN;
		} else {
			fputs(exec_help, c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : EXIT_OWN;
		}
	}
	if (optind >= argc || (o->profile && o->bpf)) {
		fputs(exec_help, stderr);
		return EXIT_OWN;
	}
	o->cmd = argv + optind;
	return -1;
}

/* 2. The filter and its flags: a raw file, the build's precompiled default,
 * or a profile compiled now (b->profile and b->policy are then set). */
static int obtain_filter(const struct exec_opts *o, struct cli_built *b, uint32_t *flags)
{
	memset(b, 0, sizeof(*b));
	*flags = o->extra_flags;
	if (o->bpf) {
		if (read_bpf(o->bpf, &b->prog))
			return -1;
	} else if (!o->profile && !o->po.changed && use_embedded_bpf(&o->po, &b->prog, flags)) {
		/* the build compiled the default for exactly this case */
	} else {
		size_t len = 0;
		const char *text = o->profile ? NULL : cli_default_profile(&len);
		if (cli_build(o->profile ? o->profile : "<embedded runtime-default.json>", text, len, &o->po, b))
			return -1;
		*flags |= b->policy->flags;
	}
	/* --flags may add what the kernel refuses in this combination */
	struct sg_diags d;
	sg_diags_init(&d);
	*flags = sg_flags_complete(*flags, (*flags & SG_FLAG_NEW_LISTENER) != 0, "sysgate", &d);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	return kills_own_execve(&b->prog) ? -1 : 0;
}

/* 3. With SCMP_ACT_NOTIFY, everything the listener's handoff needs, while
 * failing still leaves nothing loaded. */
static int prepare_listener(const struct cli_built *b, uint32_t flags, struct sg_handoff *h)
{
	h->sock = -1;
	if (!(flags & SG_FLAG_NEW_LISTENER))
		return 0;
	if (!b->profile) { /* only a profile names a listenerPath */
		fprintf(stderr, "sysgate: a filter that notifies needs a profile with a listenerPath\n");
		return -1;
	}
	struct sg_diags d;
	sg_diags_init(&d);
	int rc = sg_handoff_prepare(h, b->profile, b->policy, &d);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	return rc;
}

/* 4. Load the filter, hand the listener over, exec. Returns only on
 * failure, with the exit status; from the load on, only CMD may run. */
static int install_and_exec(const char *path, char **cmd, const struct sg_prog *prog, uint32_t flags,
			    struct sg_handoff *h)
{
	int listener = -1;
	struct sg_diags d;
	sg_diags_init(&d);
	fflush(NULL);
	int rc = sg_load(prog, flags, &listener, &d);
	if (!rc && listener >= 0)
		rc = sg_handoff_send(h, listener, &d);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	if (rc)
		return EXIT_OWN;
	execv(path, cmd);
	int status = errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
	fprintf(stderr, "sysgate: %s: %s\n", path, strerror(errno));
	return status;
}

int cmd_exec(int argc, char **argv)
{
	struct exec_opts o;
	int status = parse_options(argc, argv, &o);
	if (status >= 0)
		return status;
	char path[4096];
	int found = find_command(o.cmd[0], path, sizeof(path));
	if (found) {
		fprintf(stderr, "sysgate: %s: %s\n", o.cmd[0], found == EXIT_NOT_FOUND ? "command not found" : "not executable");
		return found;
	}
	struct cli_built b;
	struct sg_handoff h = { .sock = -1 };
	uint32_t flags;
	status = EXIT_OWN;
	if (obtain_filter(&o, &b, &flags) == 0 && prepare_listener(&b, flags, &h) == 0)
		status = install_and_exec(path, o.cmd, &b.prog, flags, &h);
	sg_handoff_close(&h);
	cli_built_free(&b);
	return status;
}
