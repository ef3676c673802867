/* sysgate exec: compile (or read) a filter, load it, exec the command.
 * Fails closed: whatever goes wrong before the filter is in place, the
 * command is not run. Exit statuses follow env(1): 125 sysgate's own
 * failure, 126 the command cannot be run, 127 it was not found. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "sysgate/emulate.h"
#include "sysgate/load.h"

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

/* A bounded text buffer: appends stop (and stay stopped) when it is full. */
struct text {
	char *buf;
	size_t len, cap;
	int full;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = t->full ? -1 : vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len)
		t->full = 1;
	else
		t->len += (size_t)n;
}

static void put_json_string(struct text *t, const char *s)
{
	put(t, "\"");
	for (; *s && !t->full; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			put(t, "\\%c", c);
		else if (c < 0x20)
			put(t, "\\u%04x", c);
		else
			put(t, "%c", c);
	}
	put(t, "\"");
}

/* The OCI runtime spec's "container process state", written before the
 * filter is loaded: getpid and getcwd may be among the calls it notifies. */
static int oci_state(char *buf, size_t size, const struct sg_profile *p)
{
	struct text t = { .buf = buf, .cap = size };
	char cwd[4096], id[32];
	long pid = (long)getpid();
	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), "/");
	snprintf(id, sizeof(id), "sysgate-%ld", pid);
	put(&t, "{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"],\"pid\":%ld,\"metadata\":", pid);
	put_json_string(&t, p->listener_metadata ? p->listener_metadata : "");
	put(&t, ",\"state\":{\"ociVersion\":\"1.0.2\",\"id\":");
	put_json_string(&t, id);
	put(&t, ",\"status\":\"creating\",\"pid\":%ld,\"bundle\":", pid);
	put_json_string(&t, cwd);
	put(&t, "}}");
	return t.full ? -1 : (int)t.len;
}

/* The state, with the listener fd passed alongside in SCM_RIGHTS. */
static int send_listener(int sock, int fd, char *state, size_t len)
{
	struct iovec iov = { .iov_base = state, .iov_len = len };
	union {
		char bytes[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	memset(&ctl, 0, sizeof(ctl));
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.bytes, .msg_controllen = sizeof(ctl.bytes) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == (ssize_t)iov.iov_len ? 0 : -1;
}

static int connect_listener(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return s;
	int e = errno;
	close(s);
	errno = e;
	return -1;
}

/* After the filter is in place sysgate still calls sendmsg, close and
 * execve: if the profile sent one of those to the listener, under any
 * arguments, sysgate would wait on an agent that does not have the fd yet. */
static int own_calls_notified(const struct sg_policy *pol)
{
	static const char *const own[] = { "sendmsg", "close", "execve", "socketcall" };
	const struct sg_arch_policy *ap = &pol->arches[0]; /* the native arch: targets start with it */
	for (size_t i = 0; i < sizeof(own) / sizeof(*own); i++) {
		uint32_t nr;
		if (sg_syscall_nr(ap->arch, own[i], &nr))
			continue;
		for (size_t r = 0; r < ap->nrules; r++)
			if (ap->rules[r].nr == nr && (ap->rules[r].action & SG_RET_ACTION_FULL) == SG_RET_USER_NOTIF) {
				fprintf(stderr, "sysgate: the profile sends %s to the listener, which sysgate needs itself "
						"before the listener has its fd\n", own[i]);
				return 1;
			}
	}
	return 0;
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

int cmd_exec(int argc, char **argv)
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
	struct cli_profile_opts po;
	const char *profile = NULL, *bpf = NULL;
	uint32_t extra_flags = 0;
	int c;
	cli_profile_opts_init(&po);
	po.quiet = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+hvp:", opts, NULL)) != -1) {
		int r = cli_profile_option(&po, c, optarg);
		if (r < 0)
			return EXIT_OWN;
		if (r > 0)
			continue;
		if (c == 'p')
			profile = optarg;
		else if (c == 'b')
			bpf = optarg;
		else if (c == 'v')
			po.quiet = 0;
		else if (c == 'F') {
			if (parse_flags(optarg, &extra_flags))
				return EXIT_OWN;
		} else if (c == 'h') {
			fputs(exec_help, stdout);
			return 0;
		} else {
			fputs(exec_help, stderr);
			return EXIT_OWN;
		}
	}
	if (optind >= argc || (profile && bpf)) {
		fputs(exec_help, stderr);
		return EXIT_OWN;
	}
	char path[4096];
	int found = find_command(argv[optind], path, sizeof(path));
	if (found) {
		fprintf(stderr, "sysgate: %s: %s\n", argv[optind],
			found == EXIT_NOT_FOUND ? "command not found" : "not executable");
		return found;
	}

	struct cli_built b = { 0 };
	struct sg_prog *prog = &b.prog;
	const struct sg_profile *p = NULL;
	uint32_t flags = extra_flags;
	int sock = -1, listener = -1, status = EXIT_OWN, state_len = 0;
	char state[8192];
	if (bpf) {
		if (read_bpf(bpf, prog))
			goto out;
	} else if (!profile && !po.changed && use_embedded_bpf(&po, prog, &flags)) {
		/* the build compiled the default for exactly this case */
	} else {
		size_t len = 0;
		const char *text = profile ? NULL : cli_default_profile(&len);
		if (cli_build(profile ? profile : "<embedded runtime-default.json>", text, len, &po, &b))
			goto out;
		const struct sg_policy *pol = b.policy;
		p = b.profile;
		flags |= pol->flags;
		if ((flags & SG_FLAG_TSYNC) && (flags & SG_FLAG_NEW_LISTENER))
			flags |= SG_FLAG_TSYNC_ESRCH;
		if (flags & SG_FLAG_NEW_LISTENER) {
			if (!p->listener_path || !*p->listener_path) {
				fprintf(stderr, "sysgate: the profile uses SCMP_ACT_NOTIFY but names no listenerPath\n");
				goto out;
			}
			if (own_calls_notified(pol))
				goto out;
			state_len = oci_state(state, sizeof(state), p);
			if (state_len < 0) {
				fprintf(stderr, "sysgate: listenerMetadata too long for the container state (8 KiB)\n");
				goto out;
			}
			if ((sock = connect_listener(p->listener_path)) < 0) {
				fprintf(stderr, "sysgate: listenerPath %s: %s\n", p->listener_path, strerror(errno));
				goto out;
			}
		}
	}
	if ((flags & SG_FLAG_WAIT_KILLABLE_RECV) && !(flags & SG_FLAG_NEW_LISTENER)) {
		/* the kernel refuses it without a listener, as for the profile's flag */
		fprintf(stderr, "sysgate: warning: wait_killable_recv only applies with SCMP_ACT_NOTIFY; dropped\n");
		flags &= ~SG_FLAG_WAIT_KILLABLE_RECV;
	}
	if (kills_own_execve(prog))
		goto out;
	fflush(NULL);
	struct sg_diags d;
	sg_diags_init(&d);
	int rc = sg_load(prog, flags, &listener, &d);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	if (rc)
		goto out;
	/* the filter is in place: from here on, only the command may run */
	if (listener >= 0) {
		if (send_listener(sock, listener, state, (size_t)state_len)) {
			int err = errno;
			/* the filter may send write(2) to this listener: close it first */
			close(listener);
			listener = -1;
			fprintf(stderr, "sysgate: sending the listener fd to %s: %s\n", p->listener_path, strerror(err));
			goto out;
		}
		close(listener);
		listener = -1;
		close(sock);
		sock = -1;
	}
	execv(path, argv + optind);
	status = errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
	fprintf(stderr, "sysgate: %s: %s\n", path, strerror(errno));
out:
	if (sock >= 0)
		close(sock);
	if (listener >= 0)
		close(listener);
	cli_built_free(&b);
	return status;
}
