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
#include "sysgate/eval.h"
#include "sysgate/load.h"
#include "sysgate/notify.h"

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

static int not_found(const char *cmd, int status)
{
	fprintf(stderr, "sysgate: %s: %s\n", cmd, status == EXIT_NOT_FOUND ? "command not found" : "not executable");
	return status;
}

/* execvp's search, done before the filter is loaded so that the filter
 * only ever sees one execve, and "not found" never costs a filter. */
int cli_find_command(const char *cmd, char *out, size_t outsz)
{
	if (strchr(cmd, '/')) {
		struct stat st;
		if ((size_t)snprintf(out, outsz, "%s", cmd) >= outsz || stat(cmd, &st) != 0)
			return not_found(cmd, EXIT_NOT_FOUND);
		return S_ISREG(st.st_mode) && access(cmd, X_OK) == 0 ? 0 : not_found(cmd, EXIT_CANNOT_RUN);
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
	return not_found(cmd, found_unusable ? EXIT_CANNOT_RUN : EXIT_NOT_FOUND);
}

static int has_notify(const struct sg_prog *p)
{
	for (size_t i = 0; i < p->len; i++)
		if (p->insns[i].code == (SG_BPF_RET | SG_BPF_K) &&
		    (p->insns[i].k & SG_RET_ACTION_FULL) == SG_RET_USER_NOTIF)
			return 1;
	return 0;
}

static int read_bpf(const char *file, int complain, struct sg_prog *prog)
{
	const struct sg_arch *native = sg_arch_native();
	if (cli_read_raw(file, NULL, 0, native ? native->endian : SG_LITTLE_ENDIAN, prog))
		return -1;
	if (has_notify(prog) && !complain) {
		fprintf(stderr, "sysgate: %s returns SCMP_ACT_NOTIFY, which needs a listenerPath: use -p\n", file);
		sg_prog_free(prog);
		return -1;
	}
	return 0;
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
	int complain;
	const char *complain_out;
	char **cmd;           /* CMD [ARG...] */
};

/* 1. The options: -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, struct exec_opts *o)
{
	static const struct option opts[] = {
		CLI_PROFILE_LONGOPTS,
		CLI_NAME_LONGOPT,
		{ "profile", required_argument, NULL, 'p' },
		{ "bpf", required_argument, NULL, 'b' },
		{ "flags", required_argument, NULL, 'F' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "complain", no_argument, NULL, 'C' },
		{ "complain-out", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	memset(o, 0, sizeof(*o));
	cli_profile_opts_init(&o->po);
	o->po.quiet = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:hvp:", opts, NULL)) != -1) {
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
		else if (c == 'C')
			o->complain = 1;
		else if (c == 'O')
			o->complain_out = optarg;
		else if (c == 'F') {
			if (parse_flags(optarg, &o->extra_flags))
				return EXIT_OWN;
		} else {
			return cli_usage(CLI_HELP_EXEC, c, argv) ? EXIT_OWN : 0;
		}
	}
	if (o->complain_out && !o->complain) {
		fprintf(stderr, "sysgate: --complain-out goes with --complain\n");
		return EXIT_OWN;
	}
	if (optind >= argc || (o->profile && o->bpf)) {
		cli_usage(CLI_HELP_EXEC, 0, argv);
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
		if (read_bpf(o->bpf, o->complain, &b->prog))
			return -1;
	} else if (!o->profile && !o->po.changed && !o->complain && use_embedded_bpf(&o->po, &b->prog, flags)) {
		/* the build compiled the default for exactly this case */
	} else {
		size_t len = 0;
		char *text = o->profile ? NULL : cli_default_profile(&len);
		if (!o->profile && !text) {
			fprintf(stderr, "sysgate: out of memory\n");
			return -1;
		}
		int rc = cli_build(o->profile ? o->profile : "<embedded runtime-default.json>", text, len, &o->po, b);
		free(text);
		if (rc)
			return -1;
		*flags |= b->policy->flags;
	}
	/* --flags may add what the kernel refuses in this combination */
	struct sg_diags d;
	sg_diags_init(&d);
	*flags = sg_flags_complete(*flags, o->complain || (*flags & SG_FLAG_NEW_LISTENER), "sysgate", &d);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	return 0;
}

/* 3. sysgate's own calls once the filter is in place. After the load it
 * makes only these: execve of CMD (execv; once more, of /bin/sh, for a
 * script without #!), write or writev to stderr for a message when that
 * fails, exit_group or exit to end; with a listener, also sendmsg and close
 * (sg_handoff_prepare refuses a profile that notifies them). Before loading,
 * the filter is asked what it answers to each, on this machine's
 * architecture, by running the very program that will be loaded over every
 * path the call can take (sg_bpf_answers):
 *
 *   - The arguments are known exactly: execv passes the path, argv and
 *     environ pointers that exist now, and the exit calls the status. What
 *     is not known is what the kernel also reports for arguments the call
 *     does not have (the registers as libc leaves them: execve's args[3..5],
 *     exit's args[1..5]) and the instruction pointer (inside libc). An
 *     answer that depends on those is not decidable here: sysgate refuses
 *     the filter (125) rather than guess. Filters compiled from a profile
 *     never read the instruction pointer, and a rule on an argument a call
 *     does not have is the only way to read the others.
 *   - execve answered with ERRNO (any errno, 0 too: the call then returns 0
 *     without running anything), TRACE (with no tracer: ENOSYS), KILL or
 *     TRAP: CMD could never start. 126, nothing loaded.
 *   - exit_group and exit both answered with ERRNO or TRACE: sysgate, and
 *     anything else under the filter, could never end (musl's _Exit retries
 *     them forever, glibc's ends in a fault). 125, nothing loaded. Otherwise
 *     sysgate ends with the one that lets it run, made directly (leave()).
 *   - write/writev answered with KILL or TRAP, or not decidable: messages
 *     after the load are left out. ERRNO just loses them.
 * USER_NOTIF is the agent's to answer, and lets the call run as far as
 * sysgate can know; so do ALLOW and LOG. */

/* What one answer does to a call of sysgate's own, in order of preference. */
enum fate { RUNS, TO_AGENT, ENDS_BY_SIGNAL, REFUSED };

static enum fate fate_of(uint32_t ret)
{
	switch (ret & SG_RET_ACTION_FULL) {
	case SG_RET_ALLOW:
	case SG_RET_LOG: return RUNS;
	case SG_RET_USER_NOTIF: return TO_AGENT;
	case SG_RET_ERRNO:
	case SG_RET_TRACE: return REFUSED;
	default: return ENDS_BY_SIGNAL; /* KILL_*, TRAP (sysgate has no SIGSYS handler), and any other
					 * value, which the kernel takes as KILL_PROCESS */
	}
}

/* The statuses sysgate can end with once the filter is in place. */
enum { FIRST_LATE_STATUS = EXIT_OWN, LATE_STATUSES = 3 };

/* How sysgate ends with one status: the calls to make, in order. */
struct way_out {
	long nr[2];
	size_t n;
};

/* What exec needs once the filter is loaded, all of it decided before. */
struct launch {
	char *path;        /* CMD as found */
	char **argv;       /* CMD [ARG...] */
	char **sh_argv;    /* /bin/sh PATH [ARG...], for a script without #! */
	struct way_out ways[LATE_STATUSES];
	int quiet;         /* a message could kill sysgate: print none */
};

/* One of sysgate's calls, as the filter will see it. */
struct own_call {
	const char *name;
	struct sg_seccomp_data d;
	unsigned known; /* SG_FIELD_* */
	struct sg_bpf_answers a;
};

/* Asks the filter about name(args[0..nargs-1]) on the native arch: 0, or
 * -1 when the arch has no such call (or the program cannot be run). */
static int ask(const struct sg_prog *prog, const struct sg_arch *native, const char *name, const uint64_t *args,
	       unsigned nargs, struct own_call *c)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->d.arch = native->audit_arch;
	c->known = SG_FIELD_NR | SG_FIELD_ARCH;
	for (unsigned i = 0; i < nargs; i++) {
		c->d.args[i] = args[i];
		c->known |= SG_FIELD_ARG(i);
	}
	if (sg_syscall_nr(native, name, &c->d.nr))
		return -1;
	return sg_bpf_answers(prog->insns, prog->len, &c->d, c->known, native->endian, &c->a);
}

static int certain(const struct own_call *c) { return c->a.n == 1 && !c->a.open; }

/* " (decided by FILE:LINE:COL /syscalls/N)" or the like, when the filter was
 * compiled from a profile now; else "". The rules are read directly
 * (sg_policy_eval) with the fields sysgate does not know as 0: the filter's
 * answer does not depend on them (certain()), and it agrees with the rules. */
static void decider(const struct exec_opts *o, const struct cli_built *b, const struct own_call *c, char *buf,
		    size_t n)
{
	const struct sg_arch_policy *ap;
	long rule;
	buf[0] = '\0';
	if (!b->policy || sg_policy_eval(b->policy, c->d.arch, c->d.nr, c->d.args, o->po.compile.bad_arch_action,
					 &ap, &rule) != c->a.ret[0])
		return;
	const struct sg_profile *p = b->profile;
	const struct sg_loc *at = rule >= 0 ? &p->rules[ap->rules[rule].rule].loc : &p->default_action.loc;
	if (ap && rule == SG_RULE_ENOSYS) {
		char why[160];
		sg_stub_reason(ap, c->d.nr, why, sizeof(why));
		snprintf(buf, n, " (the ENOSYS stub: %s)", why);
	} else if (ap)
		snprintf(buf, n, " (decided by %s:%u:%u %s%s)",
			 rule >= 0 ? sg_rule_file(p, &p->rules[ap->rules[rule].rule]) : p->file, at->line, at->col, at->path,
			 rule >= 0 ? "" : ", the default action");
	else
		snprintf(buf, n, " (the bad-arch action: the profile does not target this architecture)");
}

/* "SCMP_ACT_ERRNO(1) (decided by ...)" */
static void answer_text(const struct exec_opts *o, const struct cli_built *b, const struct own_call *c, char *buf,
			size_t n)
{
	char act[48], why[200];
	sg_action_format(c->a.ret[0], act, sizeof(act));
	decider(o, b, c, why, sizeof(why));
	snprintf(buf, n, "%s%s", act, why);
}

/* The answer to c is not decidable before the call: says why. */
static int undecidable(const struct own_call *c, const struct sg_arch *native)
{
	char fields[96] = "", acts[SG_ANSWERS_MAX * 50] = "";
	size_t f = 0, k = 0;
	if (c->a.unknown & SG_FIELD_IP)
		f += (size_t)snprintf(fields, sizeof(fields), " the instruction pointer");
	for (int i = 0; i < SG_MAX_ARGS && f < sizeof(fields); i++)
		if (c->a.unknown & SG_FIELD_ARG(i))
			f += (size_t)snprintf(fields + f, sizeof(fields) - f, "%s args[%d]", f ? "," : "", i);
	for (size_t i = 0; i < c->a.n && k < sizeof(acts); i++) {
		char act[48];
		sg_action_format(c->a.ret[i], act, sizeof(act));
		k += (size_t)snprintf(acts + k, sizeof(acts) - k, "%s%s", i ? ", " : "", act);
	}
	fprintf(stderr, "sysgate: the filter's answer to sysgate's own %s on %s (%s%s) depends on%s, which "
			"sysgate cannot know before the call; nothing loaded\n",
		c->name, native->name, acts, c->a.open ? ", ..." : "", fields);
	return EXIT_OWN;
}

/* execve of CMD: 0 when it can start, else the exit status. */
static int check_execve(const struct exec_opts *o, const struct cli_built *b, const struct sg_arch *native,
			const struct launch *l)
{
	uint64_t args[3] = { (uintptr_t)l->path, (uintptr_t)l->argv, (uintptr_t)environ };
	struct own_call c;
	if (ask(&b->prog, native, "execve", args, 3, &c))
		return -1;
	if (!certain(&c))
		return undecidable(&c, native);
	uint32_t ret = c.a.ret[0];
	enum fate f = fate_of(ret);
	if (f == RUNS || f == TO_AGENT)
		return 0;
	char text[300];
	answer_text(o, b, &c, text, sizeof(text));
	const char *why = f == ENDS_BY_SIGNAL ? (b->policy ? ": it would kill sysgate"
						 : ": it would kill sysgate (is the filter for this architecture?)")
			  : (ret & SG_RET_ACTION_FULL) == SG_RET_TRACE ? ": with no tracer, ENOSYS"
			  : (ret & SG_RET_DATA) == 0 ? ": execve would return 0 without running anything"
						     : "";
	fprintf(stderr, "sysgate: %s could never start: the filter answers execve on %s with %s%s; nothing loaded\n",
		l->argv[0], native->name, text, why);
	return EXIT_CANNOT_RUN;
}

/* exit_group and exit with each status sysgate may end with once the filter
 * is in place: the way out for each (in l->ways), or 125. */
static int plan_exits(const struct exec_opts *o, const struct cli_built *b, const struct sg_arch *native,
		      struct launch *l)
{
	static const char *const calls[2] = { "exit_group", "exit" };
	for (int s = 0; s < LATE_STATUSES; s++) {
		uint64_t status = (uint64_t)(FIRST_LATE_STATUS + s);
		struct own_call c[2];
		enum fate f[2];
		for (int i = 0; i < 2; i++) {
			if (ask(&b->prog, native, calls[i], &status, 1, &c[i]))
				return -1;
			if (!certain(&c[i]))
				return undecidable(&c[i], native);
			f[i] = fate_of(c[i].a.ret[0]);
		}
		/* exit_group first unless exit is better: ends the process cleanly
		 * where exit_group would kill it, say */
		struct way_out *w = &l->ways[s];
		int first = f[1] < f[0];
		w->n = 0;
		for (int k = 0; k < 2; k++) {
			int i = k ? !first : first;
			if (f[i] != REFUSED)
				w->nr[w->n++] = (long)c[i].d.nr;
		}
		if (w->n == 0) {
			char t0[300], t1[300];
			answer_text(o, b, &c[0], t0, sizeof(t0));
			answer_text(o, b, &c[1], t1, sizeof(t1));
			fprintf(stderr, "sysgate: nothing under this filter could ever end: it answers exit_group(%d) on %s "
					"with %s and exit(%d) with %s; nothing loaded\n",
				(int)status, native->name, t0, (int)status, t1);
			return EXIT_OWN;
		}
	}
	return 0;
}

/* Whether a message after the load could kill sysgate (or cannot be known). */
static int messages_risky(const struct sg_prog *prog, const struct sg_arch *native)
{
	static const char *const calls[] = { "write", "writev" };
	const uint64_t fd = 2;
	for (size_t i = 0; i < sizeof(calls) / sizeof(*calls); i++) {
		struct own_call c;
		if (ask(prog, native, calls[i], &fd, 1, &c) || !certain(&c) || fate_of(c.a.ret[0]) == ENDS_BY_SIGNAL)
			return 1;
	}
	return 0;
}

/* CMD for execv and, should it be a script without #!, for /bin/sh, as
 * execvp and env(1) run it: /bin/sh PATH [ARG...]. Made now, since memory
 * may not be had once the filter is in place. 0, or 125. */
static int prepare_launch(struct launch *l)
{
	static char sh[] = "/bin/sh";
	size_t n = 0;
	while (l->argv[n])
		n++;
	l->sh_argv = malloc((n + 2) * sizeof(*l->sh_argv));
	if (!l->sh_argv) {
		fprintf(stderr, "sysgate: out of memory\n");
		return EXIT_OWN;
	}
	l->sh_argv[0] = sh;
	l->sh_argv[1] = l->path;
	memcpy(l->sh_argv + 2, l->argv + 1, n * sizeof(*l->argv)); /* ARG... and the NULL */
	return 0;
}

/* 3. Asks the filter about sysgate's own calls: 0 to go on, else the exit
 * status, with nothing loaded. */
static int check_own_calls(const struct exec_opts *o, const struct cli_built *b, struct launch *l)
{
	const struct sg_arch *native = sg_arch_native();
	int status = native ? check_execve(o, b, native, l) : -1;
	if (!status)
		status = plan_exits(o, b, native, l);
	if (!status)
		l->quiet = messages_risky(&b->prog, native);
	if (status < 0) {
		fprintf(stderr, "sysgate: cannot tell what the filter answers to sysgate's own calls on this machine; "
				"nothing loaded\n");
		status = EXIT_OWN;
	}
	return status;
}

/* 4. With SCMP_ACT_NOTIFY, everything the listener's handoff needs, while
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

/* The way out once the filter is in place: the calls step 3 chose, made
 * directly (exit ends the process too: sysgate has one thread). libc's
 * exit would run atexit handlers (LeakSanitizer's among them) and end in
 * _exit, which retries a refused exit_group and exit forever (musl) or ends
 * in a fault (glibc: hlt, SIGSEGV). */
static _Noreturn void leave(const struct launch *l, int status)
{
	const struct way_out *w = &l->ways[status - FIRST_LATE_STATUS];
	for (size_t i = 0; i < w->n; i++)
		syscall(w->nr[i], (long)status);
	/* only a seccomp agent refusing every way out gets here: end by a fault, never loop */
	__builtin_trap();
}

static _Noreturn void exec_failed(const struct launch *l, int sh, int rc, int err)
{
	/* ERRNO(0) makes execve return 0 without running anything, errno untouched */
	const char *why = rc == 0 ? "the filter answered execve with SCMP_ACT_ERRNO(0)" : strerror(err);
	if (!l->quiet)
		fprintf(stderr, "sysgate: %s: %s%s\n", l->path, sh ? "no #! line, and /bin/sh: " : "", why);
	leave(l, rc != 0 && err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
}

_Noreturn void cli_exec_command(const char *path, char **argv)
{
	int rc = execv(path, argv), err = errno;
	if (rc != 0 && err == ENOEXEC) { /* no #! line: a shell script, as execvp and env(1) run it */
		size_t n = 0;
		while (argv[n])
			n++;
		char **sh = calloc(n + 2, sizeof(*sh));
		if (sh) {
			sh[0] = (char *)"/bin/sh";
			sh[1] = (char *)path;
			memcpy(sh + 2, argv + 1, n * sizeof(*argv));
			execv(sh[0], sh);
		}
		err = errno;
		fprintf(stderr, "sysgate: %s: no #! line, and /bin/sh: %s\n", path, strerror(err));
	} else {
		fprintf(stderr, "sysgate: %s: %s\n", path, strerror(err));
	}
	fflush(stderr);
	_exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
}

/* 5. Load the filter, hand the listener over, exec. Returns only when the
 * load failed, with the exit status; once the filter is in place, sysgate
 * makes only the calls step 3 asked about, and ends by leave(). */
static int install_and_exec(const struct launch *l, const struct sg_prog *prog, uint32_t flags,
			    struct sg_handoff *h)
{
	int listener = -1;
	struct sg_diags d;
	sg_diags_init(&d);
	fflush(NULL);
	if (sg_load(prog, flags, &listener, &d)) {
		sg_diags_print(&d, stderr);
		sg_diags_free(&d);
		return EXIT_OWN;
	}
	if (listener >= 0 && sg_handoff_send(h, listener, &d)) {
		if (!l->quiet)
			sg_diags_print(&d, stderr);
		leave(l, EXIT_OWN);
	}
	int rc = execv(l->path, l->argv), sh = rc != 0 && errno == ENOEXEC;
	if (sh) /* no #! line: a shell script, as execvp and env(1) run it */
		rc = execv(l->sh_argv[0], l->sh_argv);
	exec_failed(l, sh, rc, errno);
}

int cmd_exec(int argc, char **argv)
{
	struct exec_opts o;
	int status = parse_options(argc, argv, &o);
	if (status >= 0)
		return status;
	char path[4096];
	int found = cli_find_command(o.cmd[0], path, sizeof(path));
	if (found)
		return found;
	struct cli_built b;
	struct sg_handoff h = { .sock = -1 };
	struct launch l = { .path = path, .argv = o.cmd };
	uint32_t flags;
	status = obtain_filter(&o, &b, &flags) ? EXIT_OWN : 0;
	/* every refusal goes to the supervisor, so no own-call checks; it returns
	 * only when nothing ran */
	if (!status && o.complain)
		status = cli_exec_complain(&b, o.po.compile.bad_arch_action, flags, o.complain_out, path, o.cmd);
	if (!status)
		status = prepare_launch(&l);
	if (!status)
		status = check_own_calls(&o, &b, &l);
	if (!status)
		status = prepare_listener(&b, flags, &h) ? EXIT_OWN : install_and_exec(&l, &b.prog, flags, &h);
	free(l.sh_argv);
	sg_handoff_close(&h);
	cli_built_free(&b);
	return status;
}
