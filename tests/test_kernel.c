/* Kernel tests: filters compiled by sysgate are loaded with seccomp(2) into
 * forked children, which then make syscalls and report what happened to the
 * parent through a pipe and their exit status. Nothing here ever installs a
 * filter in the test process itself.
 *
 * 1. Every profile (profiles/, the corpus) loads with the flags sysgate
 *    computes, and a set of harmless probe syscalls behaves as the rules
 *    (sg_policy_eval) say. 2. The seeds' scenarios: chmod, ptrace and mkdir
 *    denied, Docker's personality and socket argument rules, defaultErrnoRet,
 *    KILL_PROCESS/KILL_THREAD, TRAP's siginfo, NOTIFY through the listener,
 *    profile flags, and a foreign ABI (x32 numbers, int $0x80) killed.
 *    3. The kernel's 4096-instruction limit, by hand-built filters.
 *
 * usage: test_kernel [SHARED_DIR]   (SHARED_DIR/corpus holds the real-world
 * profiles; without it those parts are skipped with a SKIP line). Run from the
 * source tree: profiles/ is read from the current directory.
 *
 * SYSGATE_UNDER_VALGRIND=1 (set by the Makefile when WRAP runs valgrind) skips,
 * with a message, what cannot work under valgrind: every filter load. Valgrind
 * (3.19) does not implement seccomp(2) (syscall 317: "unhandled", ENOSYS); and
 * even through prctl(PR_SET_SECCOMP), which cannot pass flags, valgrind's own
 * syscalls in the child would be filtered too, and valgrind answers unknown
 * syscall numbers, int $0x80 and SIGSYS itself instead of the kernel. Under
 * valgrind the profiles are still compiled and checked, so the library's
 * memory use is still checked. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "sysgate/bpf.h"
#include "sysgate/emit.h"
#include "sysgate/emulate.h"
#include "sysgate/eval.h"
#include "sysgate/load.h"
#include "sysgate/plan.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"

/* Syscall numbers, int $0x80 and ud2 are x86_64's: elsewhere, say so and pass. */
#if defined(__x86_64__) && !defined(__ILP32__)

_Static_assert(sizeof(struct sg_insn) == sizeof(struct sock_filter), "sg_insn is struct sock_filter");
_Static_assert(offsetof(struct sg_insn, k) == offsetof(struct sock_filter, k), "sg_insn is struct sock_filter");

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef AF_NFC
#define AF_NFC 39
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_mseal
#define SYS_mseal 462
#endif
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

#define SI_SYS_SECCOMP 1 /* si_code of a seccomp SIGSYS (SYS_SECCOMP) */
#define X32_BIT 0x40000000L
#define I386_GETPID 20

/* Child exit status when seccomp() itself failed: LOAD_FAILED + errno. */
#define LOAD_FAILED 100
/* Child exit status when a step before seccomp() failed. */
#define SETUP_FAILED 99

static int under_valgrind;
static int have_int80; /* int $0x80 works here (ia32 emulation enabled) */
static const char *tmpdir;
static char shared[4096];
static int have_shared;

/* ---- profiles -> programs ------------------------------------------------ */

struct compiled {
	struct sg_profile *p;
	struct sg_policy *pol;
	struct sg_prog prog;
};

static void compiled_free(struct compiled *c)
{
	sg_prog_free(&c->prog);
	sg_policy_free(c->pol);
	sg_profile_free(c->p);
	memset(c, 0, sizeof(*c));
}

/* The rule precedence, argument widths and ENOSYS stub compile_path
 * resolves with (test_precedence, test_widths_enosys set them). */
static enum sg_precedence precedence = SG_PRECEDENCE_RESTRICTIVE;
static enum sg_arg_width arg_width = SG_ARG_WIDTH_KERNEL;
static int enosys_off;

/* Reads, parses, resolves for the host (default options) and compiles. */
static int compile_path(const char *path, struct compiled *c)
{
	struct sg_diags d;
	char *text = NULL;
	size_t len = 0;
	int ok = 0;

	memset(c, 0, sizeof(*c));
	sg_diags_init(&d);
	if (sg_read_file(path, &text, &len, &d) == 0) {
		c->p = sg_profile_parse(path, text, len, &d);
		free(text);
		if (c->p) {
			struct sg_resolve_opts ro;
			sg_resolve_opts_init(&ro);
			ro.precedence = precedence;
			ro.arg_width = arg_width;
			ro.enosys_off = enosys_off;
			c->pol = sg_resolve(c->p, &ro, &d);
			if (c->pol) {
				struct sg_compile_opts co;
				sg_compile_opts_init(&co);
				ok = sg_compile(c->pol, &co, &c->prog, &d) == 0 && !sg_diags_failed(&d);
			}
		}
	}
	if (!ok)
		sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	if (!ok)
		compiled_free(c);
	return ok ? 0 : -1;
}

/* The same for a profile the test writes: into a temporary file first, so
 * that the whole path from a file is exercised. */
static int compile_json(const char *json, struct compiled *c)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/profile-XXXXXX", tmpdir);
	int fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		return -1;
	}
	size_t n = strlen(json);
	int bad = write(fd, json, n) != (ssize_t)n;
	bad |= close(fd) != 0;
	int rc = bad ? -1 : compile_path(path, c);
	unlink(path);
	return rc;
}

/* The action the rules give a syscall on this host: the reference the kernel's
 * behaviour is compared with. */
static uint32_t predict(const struct compiled *c, uint32_t audit_arch, uint32_t nr, uint64_t a0)
{
	uint64_t args[6] = { a0, 0, 0, 0, 0, 0 };
	const struct sg_arch_policy *ap;
	long rule;
	return sg_policy_eval(c->pol, audit_arch, nr, args, SG_RET_KILL_PROCESS, &ap, &rule);
}

/* ---- children -------------------------------------------------------------- */

/* Ends the child without libc's or a sanitizer's exit work (which would make
 * syscalls the filter may refuse). If the filter refuses exit_group with an
 * errno (or TRACE without a tracer), exit is tried; if that is refused too, a
 * trap instruction ends the process with SIGILL, which needs no syscall.
 * A macro, not a noreturn function, and ud2 in asm, not __builtin_trap:
 * ASan precedes every noreturn call (clang counts the trap builtin as one)
 * with __asan_handle_no_return, whose sigaltstack() a filter may refuse, and
 * ASan then hangs trying to report that. */
#define raw_exit(code)                                  \
	do {                                            \
		long raw_exit_code_ = (code);           \
		syscall(SYS_exit_group, raw_exit_code_); \
		syscall(SYS_exit, raw_exit_code_);       \
		for (;;)                                \
			__asm__ volatile("ud2");        \
	} while (0)

/* Child -> parent: a stream of longs. Reading errno before writing keeps it. */
static void put(int fd, long v)
{
	ssize_t r = write(fd, &v, sizeof(v));
	(void)r;
}

static void report(int fd, long rc)
{
	long e = rc < 0 ? errno : 0;
	put(fd, rc);
	put(fd, e);
}

typedef void (*body_fn)(int fd, void *arg);

struct outcome {
	pid_t pid;
	int status;
	long v[128];
	size_t n;
};

/* In a child: what seccomp() returned (the listener fd with NEW_LISTENER). */
static long child_seccomp_rc = -1;

static char status_text[128];

static const char *describe(int st)
{
	if (WIFEXITED(st) && WEXITSTATUS(st) >= LOAD_FAILED)
		snprintf(status_text, sizeof(status_text), "exit %d (seccomp() refused the filter: %s)", WEXITSTATUS(st),
			 strerror(WEXITSTATUS(st) - LOAD_FAILED));
	else if (WIFEXITED(st))
		snprintf(status_text, sizeof(status_text), "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(status_text, sizeof(status_text), "killed by signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	else
		snprintf(status_text, sizeof(status_text), "status 0x%x", st);
	return status_text;
}

static int killed_by(const struct outcome *o, int sig) { return WIFSIGNALED(o->status) && WTERMSIG(o->status) == sig; }
static int exited_with(const struct outcome *o, int code) { return WIFEXITED(o->status) && WEXITSTATUS(o->status) == code; }

/* Forks a child that installs insns[0..len) (none when insns is NULL) with
 * the given flags, runs body (if any) and exits 0. The child has an alarm, so
 * it cannot hang the test; it makes no core dump. 0 when the child ran. */
static int run_child(const struct sg_insn *insns, size_t len, unsigned flags, body_fn body, void *arg,
		     struct outcome *o)
{
	int p[2];
	memset(o, 0, sizeof(*o));
	if (insns && under_valgrind)
		return -1; /* said once, in main */
	if (pipe(p) != 0) {
		perror("pipe");
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		struct rlimit no_core = { 0, 0 };
		if (setrlimit(RLIMIT_CORE, &no_core) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
			raw_exit(SETUP_FAILED);
		alarm(10);
		if (insns) {
			struct sock_fprog fp = { (unsigned short)len, (struct sock_filter *)(void *)insns };
			if (len > 0xffff)
				raw_exit(LOAD_FAILED + EINVAL);
			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
				raw_exit(SETUP_FAILED);
			/* >= 0: 0, or the listener fd with NEW_LISTENER */
			child_seccomp_rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fp);
			if (child_seccomp_rc < 0)
				raw_exit(LOAD_FAILED + errno);
		}
		if (body)
			body(p[1], arg);
		raw_exit(0);
	}
	close(p[1]);
	o->pid = pid;
	size_t got = 0;
	char *buf = (char *)o->v;
	for (;;) {
		ssize_t r = read(p[0], buf + got, sizeof(o->v) - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got == sizeof(o->v))
			break;
	}
	close(p[0]);
	o->n = got / sizeof(long);
	while (waitpid(pid, &o->status, 0) < 0) {
		if (errno != EINTR) {
			perror("waitpid");
			return -1;
		}
	}
	if (killed_by(o, SIGALRM))
		fprintf(stderr, "test_kernel: child %d timed out\n", (int)pid);
	return 0;
}

static int run_prog(const struct compiled *c, body_fn body, void *arg, struct outcome *o)
{
	return run_child(c->prog.insns, c->prog.len, c->pol->flags, body, arg, o);
}

/* Result i of the child's report() calls. */
static long rc_of(const struct outcome *o, size_t i) { return 2 * i + 1 < o->n ? o->v[2 * i] : -12345; }
static long err_of(const struct outcome *o, size_t i) { return 2 * i + 1 < o->n ? o->v[2 * i + 1] : -12345; }
static int failed_with(const struct outcome *o, size_t i, long e) { return rc_of(o, i) == -1 && err_of(o, i) == e; }

/* ---- 1. every profile is accepted -------------------------------------------- */

/* A probe: a harmless syscall whose result the rules predict. */
struct probe {
	const char *what;
	uint32_t audit_arch;
	long nr;
	long a0;
};

static const struct probe probes[] = {
	{ "getpid", AUDIT_ARCH_X86_64, SYS_getpid, 0 },
	{ "getppid", AUDIT_ARCH_X86_64, SYS_getppid, 0 },
	{ "getuid", AUDIT_ARCH_X86_64, SYS_getuid, 0 },
	{ "getgid", AUDIT_ARCH_X86_64, SYS_getgid, 0 },
	{ "sched_yield", AUDIT_ARCH_X86_64, SYS_sched_yield, 0 },
	{ "personality(0xffffffff)", AUDIT_ARCH_X86_64, SYS_personality, 0xffffffffL },
	{ "clone3(NULL, 0)", AUDIT_ARCH_X86_64, SYS_clone3, 0 },
	{ "nr 1000", AUDIT_ARCH_X86_64, 1000, 0 },
	{ "nr -1", AUDIT_ARCH_X86_64, -1, 0 },
	{ "x32 getpid", AUDIT_ARCH_X86_64, X32_BIT | SYS_getpid, 0 },
	{ "i386 getpid (int $0x80)", AUDIT_ARCH_I386, I386_GETPID, 0 }, /* last: may be left out */
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

static long int80(long nr)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory", "r8", "r9", "r10", "r11");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

static long do_probe(const struct probe *pr)
{
	if (pr->audit_arch == AUDIT_ARCH_I386)
		return int80(pr->nr);
	return syscall(pr->nr, pr->a0, 0L, 0L, 0L, 0L, 0L);
}

struct probe_set {
	int run[NPROBES];
};

static void probe_body(int fd, void *arg)
{
	const struct probe_set *ps = arg;
	for (size_t i = 0; i < NPROBES; i++)
		if (ps->run[i])
			report(fd, do_probe(&probes[i]));
}

static int action_is(uint32_t a, uint32_t kind) { return (a & SG_RET_ACTION_FULL) == kind; }

static void int80_body(int fd, void *arg)
{
	(void)arg;
	signal(SIGSEGV, SIG_DFL); /* not ASan's report: the fault is expected */
	report(fd, int80(I386_GETPID));
}

/* The probes' results without a filter, for comparison. */
static struct outcome baseline;
static int have_baseline;

static void check_probes(const char *name, const struct compiled *c)
{
	struct probe_set ps;
	uint32_t want[NPROBES];
	size_t nrun = 0;

	if (!action_is(predict(c, AUDIT_ARCH_X86_64, SYS_write, 0), SG_RET_ALLOW) &&
	    !action_is(predict(c, AUDIT_ARCH_X86_64, SYS_write, 0), SG_RET_LOG)) {
		printf("kernel: %s: write is not allowed: no probes\n", name);
		return;
	}
	for (size_t i = 0; i < NPROBES; i++) {
		want[i] = predict(c, probes[i].audit_arch, (uint32_t)probes[i].nr, (uint64_t)probes[i].a0);
		/* what would end the child is tried in the scenarios below */
		ps.run[i] = (have_int80 || probes[i].audit_arch != AUDIT_ARCH_I386) &&
			    (action_is(want[i], SG_RET_ALLOW) || action_is(want[i], SG_RET_LOG) ||
			     action_is(want[i], SG_RET_ERRNO) || action_is(want[i], SG_RET_TRACE));
		nrun += ps.run[i] != 0;
	}
	struct outcome o;
	if (run_prog(c, probe_body, &ps, &o) != 0)
		return;
	CHECK(o.n == 2 * nrun, "%s: probe child reported %zu of %zu values (%s)", name, o.n, 2 * nrun,
	      describe(o.status));
	size_t k = 0;
	for (size_t i = 0; i < NPROBES; i++) {
		if (!ps.run[i])
			continue;
		long rc = rc_of(&o, k), err = err_of(&o, k);
		char act[64];
		sg_action_format(want[i], act, sizeof(act));
		if (action_is(want[i], SG_RET_ERRNO)) {
			CHECK(rc == -1 && err == (long)(want[i] & SG_RET_DATA), "%s: %s: %s expected, got rc %ld errno %ld",
			      name, probes[i].what, act, rc, err);
		} else if (action_is(want[i], SG_RET_TRACE)) {
			/* no tracer attached: the kernel fails the call with ENOSYS */
			CHECK(rc == -1 && err == ENOSYS, "%s: %s: %s without a tracer, got rc %ld errno %ld", name,
			      probes[i].what, act, rc, err);
		} else if (probes[i].nr == SYS_getpid || probes[i].audit_arch == AUDIT_ARCH_I386) {
			CHECK(rc == o.pid, "%s: %s: %s expected the child's pid %d, got rc %ld errno %ld", name,
			      probes[i].what, act, (int)o.pid, rc, err);
		} else if (probes[i].nr == SYS_getppid) {
			CHECK(rc == getpid(), "%s: %s: %s expected the parent's pid, got rc %ld errno %ld", name,
			      probes[i].what, act, rc, err);
		} else if (have_baseline) {
			CHECK(rc == rc_of(&baseline, i) && err == err_of(&baseline, i),
			      "%s: %s: %s expected what it does unfiltered (rc %ld errno %ld), got rc %ld errno %ld", name,
			      probes[i].what, act, rc_of(&baseline, i), err_of(&baseline, i), rc, err);
		}
		k++;
	}
}

static void get_baseline(void)
{
	struct probe_set ps;
	struct outcome o;
	if (under_valgrind)
		return; /* the probes that compare with the baseline are skipped */
	/* ia32 emulation may be compiled in but off at boot (ia32_emulation=0 or
	 * a hypervisor's choice): int $0x80 then faults (#GP, SIGSEGV) before any
	 * filter could see it, so the i386 probes cannot be made */
	if (run_child(NULL, 0, 0, int80_body, NULL, &o) == 0)
		have_int80 = exited_with(&o, 0) && rc_of(&o, 0) == o.pid;
	if (!have_int80)
		printf("SKIP: int $0x80 does not work on this kernel without a filter (%s): i386 syscalls not tried\n",
		       describe(o.status));
	for (size_t i = 0; i < NPROBES; i++)
		ps.run[i] = have_int80 || probes[i].audit_arch != AUDIT_ARCH_I386;
	if (run_child(NULL, 0, 0, probe_body, &ps, &baseline) != 0)
		return;
	have_baseline = exited_with(&baseline, 0) && baseline.n == 2 * (NPROBES - !have_int80);
	CHECK(have_baseline, "unfiltered probe child: %zu values, %s", baseline.n, describe(baseline.status));
	if (!have_baseline)
		return;
	printf("kernel: without a filter:");
	for (size_t i = 0; i < NPROBES; i++)
		if (ps.run[i] && rc_of(&baseline, i) < 0)
			printf(" %s -> %s;", probes[i].what, strerror((int)err_of(&baseline, i)));
	printf("\n");
	CHECK(rc_of(&baseline, 0) == baseline.pid, "unfiltered getpid");
	CHECK(rc_of(&baseline, 9) == -1 && err_of(&baseline, 9) == ENOSYS,
	      "x32 getpid unfiltered: rc %ld errno %ld (x32 is off on this kernel; ENOSYS expected)",
	      rc_of(&baseline, 9), err_of(&baseline, 9));
}

/* Loads a profile's filter and exits at once. What the child's status means:
 * - exit LOAD_FAILED + errno: seccomp() refused the filter. This status can only
 *   come from a child whose seccomp() failed, and then no filter is installed,
 *   so nothing can stop that exit_group.
 * - exit 0: the filter is installed and allowed exit_group (or, if exit_group
 *   got an errno, exit).
 * - SIGSYS: the filter is installed and killed (or trapped) exit_group/exit.
 * - SIGILL: the filter is installed and answered both with an errno, so
 *   raw_exit fell through to its trap instruction (e.g. too-restrictive.json
 *   allows exit_group, but docker-labs' deny.json allows nothing).
 * So every status but LOAD_FAILED + errno (or SETUP_FAILED, or a timeout)
 * means seccomp() returned success, whatever the profile allows; no pipe is
 * needed, which matters because write may be refused as well. */
static void check_profile(const char *dir, const char *file)
{
	char path[8192];
	struct compiled c;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	int rc = compile_path(path, &c);
	CHECK(rc == 0, "%s compiles", path);
	if (rc != 0)
		return;
	char why[160];
	CHECK(sg_bpf_check(c.prog.insns, c.prog.len, why, sizeof(why)) == 0, "%s: sg_bpf_check: %s", path, why);
	struct outcome o;
	if (run_prog(&c, NULL, NULL, &o) == 0) {
		int ok = exited_with(&o, 0) || killed_by(&o, SIGSYS) || killed_by(&o, SIGILL);
		CHECK(ok, "%s: seccomp(2) with flags 0x%x: %s", path, c.pol->flags, describe(o.status));
		printf("kernel: %s: %zu instructions, flags 0x%x: loaded; child %s\n", path, c.prog.len, c.pol->flags,
		       describe(o.status));
	}
	if (!under_valgrind)
		check_probes(path, &c);
	compiled_free(&c);
}

static int json_name(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 5 && strcmp(e->d_name + n - 5, ".json") == 0;
}

static void test_all_profiles(void)
{
	struct dirent **ents;
	char dir[4200];
	int n;

	if (!have_shared) {
		printf("SKIP: %s/corpus is absent: corpus profiles not loaded\n", shared);
	} else {
		snprintf(dir, sizeof(dir), "%s/corpus", shared);
		n = scandir(dir, &ents, json_name, alphasort);
		CHECK(n > 0, "%s: profiles found", dir);
		for (int i = 0; i < n; i++) {
			/* libcontainer's internal serialisation: rejected by design (test_parse, cli.sh) */
			if (!strstr(ents[i]->d_name, "libcontainer"))
				check_profile(dir, ents[i]->d_name);
			free(ents[i]);
		}
		if (n > 0)
			free(ents);
	}
	n = scandir("profiles", &ents, json_name, alphasort);
	CHECK(n > 0, "profiles/: profiles found (run from the source tree)");
	for (int i = 0; i < n; i++) {
		check_profile("profiles", ents[i]->d_name);
		free(ents[i]);
	}
	if (n > 0)
		free(ents);
}

/* ---- 2. the seeds' scenarios -------------------------------------------------- */

struct paths {
	char file[4200];
	char dir[4200];
};

static void chmod_body(int fd, void *arg)
{
	const struct paths *ps = arg;
	int f = open(ps->file, O_RDONLY);
	report(fd, syscall(SYS_chmod, ps->file, 0600));
	report(fd, syscall(SYS_fchmodat, AT_FDCWD, ps->file, 0600, 0));
	report(fd, syscall(SYS_fchmod, f, 0600));
	report(fd, f);
	report(fd, syscall(SYS_getpid));
}

static void test_block_chmod(void)
{
	struct compiled c;
	struct paths ps;
	struct stat st;
	if (compile_path("profiles/block-chmod.json", &c) != 0) {
		CHECK(0, "profiles/block-chmod.json compiles");
		return;
	}
	snprintf(ps.file, sizeof(ps.file), "%s/chmod-me", tmpdir);
	int f = open(ps.file, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	CHECK(f >= 0, "create %s", ps.file);
	if (f >= 0)
		close(f);
	struct outcome o;
	if (run_prog(&c, chmod_body, &ps, &o) == 0) {
		CHECK(exited_with(&o, 0), "block-chmod child: %s", describe(o.status));
		CHECK(failed_with(&o, 0, EPERM), "block-chmod: chmod: rc %ld errno %ld", rc_of(&o, 0), err_of(&o, 0));
		CHECK(failed_with(&o, 1, EPERM), "block-chmod: fchmodat: rc %ld errno %ld", rc_of(&o, 1), err_of(&o, 1));
		CHECK(rc_of(&o, 3) >= 0, "block-chmod: open allowed");
		CHECK(failed_with(&o, 2, EPERM), "block-chmod: fchmod: rc %ld errno %ld", rc_of(&o, 2), err_of(&o, 2));
		CHECK(rc_of(&o, 4) == o.pid, "block-chmod: getpid still works: %ld, pid %d", rc_of(&o, 4), (int)o.pid);
	}
	CHECK(stat(ps.file, &st) == 0 && (st.st_mode & 07777) == 0644, "block-chmod: mode unchanged: %o",
	      (unsigned)st.st_mode & 07777);
	/* the profile predates fchmodat2 (Linux 6.6), so it leaves that way to
	 * chmod open: a gap in the profile, not in sysgate */
	uint32_t a = predict(&c, AUDIT_ARCH_X86_64, SYS_fchmodat2, 0);
	CHECK(action_is(a, SG_RET_ALLOW), "block-chmod does not name fchmodat2");
	unlink(ps.file);
	compiled_free(&c);
}

static void ptrace_body(int fd, void *arg)
{
	(void)arg;
	report(fd, syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0L, 0L, 0L));
}

static void test_deny_ptrace(void)
{
	static const char *const files[] = { "profiles/deny-ptrace.json", "profiles/no-ptrace.json" };
	for (size_t i = 0; i < 2; i++) {
		struct compiled c;
		if (compile_path(files[i], &c) != 0) {
			CHECK(0, "%s compiles", files[i]);
			continue;
		}
		struct outcome o;
		if (run_prog(&c, ptrace_body, NULL, &o) == 0) {
			CHECK(exited_with(&o, 0), "%s child: %s", files[i], describe(o.status));
			CHECK(failed_with(&o, 0, EPERM), "%s: ptrace(PTRACE_TRACEME): rc %ld errno %ld", files[i],
			      rc_of(&o, 0), err_of(&o, 0));
		}
		compiled_free(&c);
	}
}

static void mkdir_body(int fd, void *arg)
{
	const struct paths *ps = arg;
	report(fd, syscall(SYS_mkdir, ps->dir, 0755));
	report(fd, syscall(SYS_mkdirat, AT_FDCWD, ps->dir, 0755));
	report(fd, syscall(SYS_rmdir, ps->dir)); /* not named: allowed, and fails ENOENT */
}

static void test_mkdir(void)
{
	struct compiled c;
	struct paths ps;
	struct stat st;
	/* allow-default, mkdir and mkdirat get ERRNO without errnoRet: EPERM (runc) */
	if (compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
			 " \"syscalls\": [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\"}]}\n",
			 &c) != 0) {
		CHECK(0, "mkdir profile compiles");
		return;
	}
	snprintf(ps.dir, sizeof(ps.dir), "%s/new-dir", tmpdir);
	struct outcome o;
	if (run_prog(&c, mkdir_body, &ps, &o) == 0) {
		CHECK(exited_with(&o, 0), "mkdir child: %s", describe(o.status));
		CHECK(failed_with(&o, 0, EPERM), "mkdir: rc %ld errno %ld", rc_of(&o, 0), err_of(&o, 0));
		CHECK(failed_with(&o, 1, EPERM), "mkdirat: rc %ld errno %ld", rc_of(&o, 1), err_of(&o, 1));
		CHECK(failed_with(&o, 2, ENOENT), "rmdir reaches the kernel: rc %ld errno %ld", rc_of(&o, 2),
		      err_of(&o, 2));
	}
	CHECK(stat(ps.dir, &st) != 0 && errno == ENOENT, "mkdir: no directory was made");
	/* and without the filter the same call works */
	CHECK(mkdir(ps.dir, 0755) == 0 && rmdir(ps.dir) == 0, "mkdir works unfiltered");
	compiled_free(&c);
}

static int have_moby(struct compiled *c)
{
	char path[4200];
	if (!have_shared) {
		printf("SKIP: %s/corpus is absent: Docker's default profile scenarios not run\n", shared);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/corpus/moby-default-current.json", shared);
	if (compile_path(path, c) != 0) {
		CHECK(0, "%s compiles", path);
		return 0;
	}
	return 1;
}

static void personality_body(int fd, void *arg)
{
	(void)arg;
	report(fd, syscall(SYS_personality, 0xffffffffUL));                   /* query */
	report(fd, syscall(SYS_personality, 0UL));                            /* PER_LINUX */
	report(fd, syscall(SYS_personality, (unsigned long)PER_LINUX32));     /* 8: listed */
	report(fd, syscall(SYS_personality, 0UL));                            /* back */
	report(fd, syscall(SYS_personality, (unsigned long)READ_IMPLIES_EXEC)); /* not listed */
	report(fd, syscall(SYS_personality, (unsigned long)(PER_LINUX32 | READ_IMPLIES_EXEC)));
	report(fd, syscall(SYS_personality, (unsigned long)ADDR_NO_RANDOMIZE));
	/* the kernel reads an unsigned int: all ones is the same 0xffffffff
	 * query, and sysgate compares what the kernel reads */
	report(fd, syscall(SYS_personality, -1L));
	report(fd, syscall(SYS_personality, 0xffffffffUL)); /* still PER_LINUX */
}

static void test_personality(void)
{
	struct compiled c;
	if (!have_moby(&c))
		return;
	struct outcome o;
	if (run_prog(&c, personality_body, NULL, &o) == 0) {
		CHECK(exited_with(&o, 0), "personality child: %s", describe(o.status));
		CHECK(rc_of(&o, 0) >= 0, "personality(0xffffffff) allowed: rc %ld errno %ld", rc_of(&o, 0), err_of(&o, 0));
		CHECK(rc_of(&o, 1) >= 0, "personality(0) allowed: rc %ld errno %ld", rc_of(&o, 1), err_of(&o, 1));
		CHECK(rc_of(&o, 2) == 0, "personality(PER_LINUX32) allowed: rc %ld errno %ld", rc_of(&o, 2),
		      err_of(&o, 2));
		CHECK(rc_of(&o, 3) == PER_LINUX32, "personality(0) allowed, was PER_LINUX32: rc %ld errno %ld",
		      rc_of(&o, 3), err_of(&o, 3));
		CHECK(failed_with(&o, 4, EPERM), "personality(READ_IMPLIES_EXEC): rc %ld errno %ld", rc_of(&o, 4),
		      err_of(&o, 4));
		CHECK(failed_with(&o, 5, EPERM), "personality(PER_LINUX32|READ_IMPLIES_EXEC): rc %ld errno %ld",
		      rc_of(&o, 5), err_of(&o, 5));
		CHECK(failed_with(&o, 6, EPERM), "personality(ADDR_NO_RANDOMIZE): rc %ld errno %ld", rc_of(&o, 6),
		      err_of(&o, 6));
		CHECK(rc_of(&o, 7) >= 0, "personality(-1L), the query as the kernel reads it, allowed: rc %ld errno %ld",
		      rc_of(&o, 7), err_of(&o, 7));
		CHECK(rc_of(&o, 8) == 0, "personality unchanged by the refused calls: %ld", rc_of(&o, 8));
	}
	compiled_free(&c);
}

static void socket_body(int fd, void *arg)
{
	(void)arg;
	report(fd, syscall(SYS_socket, AF_VSOCK, SOCK_STREAM, 0));
	report(fd, syscall(SYS_socket, AF_ALG, SOCK_SEQPACKET, 0));
	report(fd, syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0));
	report(fd, syscall(SYS_socket, AF_NFC, SOCK_SEQPACKET, 0));
	report(fd, syscall(SYS_socket, (1L << 32) | AF_VSOCK, SOCK_STREAM, 0));
	report(fd, syscall(SYS_clone3, 0L, 0L));
	report(fd, syscall(-1L));
	report(fd, syscall(SYS_getpid));
	report(fd, syscall(X32_BIT | SYS_getpid));
}

static void test_moby_args(void)
{
	struct compiled c;
	if (!have_moby(&c))
		return;
	struct outcome o, base;
	/* Docker's rules: socket is allowed for families < 38, == 39, > 40: so
	 * AF_ALG (38) and AF_VSOCK (40) take the default, ERRNO(1) */
	if (run_prog(&c, socket_body, NULL, &o) == 0 && run_child(NULL, 0, 0, socket_body, NULL, &base) == 0) {
		CHECK(exited_with(&o, 0), "moby socket child: %s", describe(o.status));
		CHECK(failed_with(&o, 0, EPERM), "socket(AF_VSOCK): rc %ld errno %ld", rc_of(&o, 0), err_of(&o, 0));
		CHECK(failed_with(&o, 1, EPERM), "socket(AF_ALG): rc %ld errno %ld", rc_of(&o, 1), err_of(&o, 1));
		CHECK(rc_of(&o, 2) >= 0, "socket(AF_UNIX) allowed: rc %ld errno %ld", rc_of(&o, 2), err_of(&o, 2));
		CHECK(rc_of(&o, 3) >= 0 || err_of(&o, 3) != EPERM, "socket(AF_NFC) reaches the kernel: rc %ld errno %ld",
		      rc_of(&o, 3), err_of(&o, 3));
		printf("kernel: unfiltered socket(AF_VSOCK) -> %ld (%s), socket(AF_ALG) -> %ld (%s); "
		       "under Docker's default socket(AF_NFC) -> %ld (%s)\n",
		       rc_of(&base, 0), rc_of(&base, 0) < 0 ? strerror((int)err_of(&base, 0)) : "ok", rc_of(&base, 1),
		       rc_of(&base, 1) < 0 ? strerror((int)err_of(&base, 1)) : "ok", rc_of(&o, 3),
		       rc_of(&o, 3) < 0 ? strerror((int)err_of(&o, 3)) : "ok");
		/* The kernel reads an int: a family with high bits set is
		 * AF_VSOCK to it, and sysgate compares the int (runc and libseccomp
		 * compare 64 bits, and let it through "> 40": test_widths_enosys) */
		CHECK(failed_with(&o, 4, EPERM), "socket((1<<32)|AF_VSOCK): rc %ld errno %ld", rc_of(&o, 4),
		      err_of(&o, 4));
		/* clone3 gets errnoRet 38 without CAP_SYS_ADMIN (Docker's 14 defaults) */
		CHECK(failed_with(&o, 5, ENOSYS), "clone3: rc %ld errno %ld", rc_of(&o, 5), err_of(&o, 5));
		CHECK(failed_with(&base, 5, EINVAL), "clone3(NULL, 0) unfiltered: rc %ld errno %ld", rc_of(&base, 5),
		      err_of(&base, 5));
		/* nr -1 takes the default action: errno 1, not the kernel's ENOSYS */
		CHECK(failed_with(&o, 6, EPERM), "syscall(-1) under Docker's default: rc %ld errno %ld", rc_of(&o, 6),
		      err_of(&o, 6));
		CHECK(failed_with(&base, 6, ENOSYS), "syscall(-1) unfiltered: rc %ld errno %ld", rc_of(&base, 6),
		      err_of(&base, 6));
		/* x32 is a target (archMap) and getpid is allowed: the kernel answers */
		CHECK(failed_with(&o, 8, ENOSYS), "x32 getpid under Docker's default: rc %ld errno %ld", rc_of(&o, 8),
		      err_of(&o, 8));
		CHECK(rc_of(&o, 7) == o.pid, "getpid under Docker's default: %ld, pid %d", rc_of(&o, 7), (int)o.pid);
	}
	compiled_free(&c);
}

static void widths_body(int fd, void *arg)
{
	(void)arg;
	static const long families[4] = { AF_VSOCK, (1L << 32) | AF_VSOCK, (1L << 32) | AF_ALG, AF_UNIX };
	for (int i = 0; i < 4; i++) {
		long rc = syscall(SYS_socket, families[i], i == 2 ? SOCK_SEQPACKET : SOCK_STREAM, 0);
		report(fd, rc); /* before close: report reads errno */
		if (rc >= 0)
			close((int)rc);
	}
	report(fd, syscall(SYS_personality, 0xffffffffUL));
	report(fd, syscall(SYS_personality, (1UL << 32) | 0xffffffffUL));
	report(fd, syscall(SYS_syslog, 10L /* SYSLOG_ACTION_SIZE_BUFFER */, 0L, 0L));
	report(fd, syscall(400L)); /* unallocated on x86_64 */
	report(fd, syscall(471L)); /* newer than any profile here */
	report(fd, syscall(1000L));
}

/* Argument widths and the ENOSYS stub in the kernel, under Docker's
 * default: sysgate's semantics, and each opt-out giving runc's filter back. */
static void test_widths_enosys(void)
{
	struct compiled c;
	struct outcome o, base;
	if (run_child(NULL, 0, 0, widths_body, NULL, &base) != 0)
		return;
	for (int mode = 0; mode < 3; mode++) {
		arg_width = mode == 1 ? SG_ARG_WIDTH_64 : SG_ARG_WIDTH_KERNEL;
		enosys_off = mode == 2;
		int have = have_moby(&c);
		arg_width = SG_ARG_WIDTH_KERNEL;
		enosys_off = 0;
		if (!have)
			return;
		const char *m = mode == 0 ? "default" : mode == 1 ? "--arg-width 64" : "--enosys off";
		if (run_prog(&c, widths_body, NULL, &o) == 0) {
			CHECK(exited_with(&o, 0), "%s: widths child: %s", m, describe(o.status));
			CHECK(failed_with(&o, 0, EPERM), "%s: socket(40): rc %ld errno %ld", m, rc_of(&o, 0), err_of(&o, 0));
			if (mode == 1) /* runc's 64-bit compare: "> 40" lets the kernel see AF_VSOCK */
				CHECK(rc_of(&o, 1) >= 0 || err_of(&o, 1) == err_of(&base, 1),
				      "%s: socket((1<<32)|40) as unfiltered: rc %ld errno %ld, unfiltered %ld %ld", m,
				      rc_of(&o, 1), err_of(&o, 1), rc_of(&base, 1), err_of(&base, 1));
			else
				CHECK(failed_with(&o, 1, EPERM), "%s: socket((1<<32)|40): rc %ld errno %ld", m, rc_of(&o, 1),
				      err_of(&o, 1));
			if (mode != 1)
				CHECK(failed_with(&o, 2, EPERM), "%s: socket((1<<32)|38): rc %ld errno %ld", m, rc_of(&o, 2),
				      err_of(&o, 2));
			CHECK(rc_of(&o, 3) >= 0, "%s: socket(AF_UNIX): rc %ld errno %ld", m, rc_of(&o, 3), err_of(&o, 3));
			CHECK(rc_of(&o, 4) >= 0, "%s: personality(0xffffffff): rc %ld errno %ld", m, rc_of(&o, 4),
			      err_of(&o, 4));
			if (mode == 1)
				CHECK(failed_with(&o, 5, EPERM), "%s: personality((1<<32)|0xffffffff): rc %ld errno %ld", m,
				      rc_of(&o, 5), err_of(&o, 5));
			else
				CHECK(rc_of(&o, 5) >= 0, "%s: personality((1<<32)|0xffffffff): rc %ld errno %ld", m,
				      rc_of(&o, 5), err_of(&o, 5));
			CHECK(failed_with(&o, 6, EPERM), "%s: syslog: rc %ld errno %ld", m, rc_of(&o, 6), err_of(&o, 6));
			long stub = mode == 2 ? EPERM : ENOSYS;
			CHECK(failed_with(&o, 7, stub), "%s: syscall 400: rc %ld errno %ld", m, rc_of(&o, 7), err_of(&o, 7));
			CHECK(failed_with(&o, 8, stub), "%s: syscall 471: rc %ld errno %ld", m, rc_of(&o, 8), err_of(&o, 8));
			CHECK(failed_with(&o, 9, stub), "%s: syscall 1000: rc %ld errno %ld", m, rc_of(&o, 9),
			      err_of(&o, 9));
			if (mode == 1)
				printf("kernel: under Docker's default with --arg-width 64 socket((1<<32)|AF_VSOCK) -> %ld "
				       "(%s), unfiltered %ld\n", rc_of(&o, 1),
				       rc_of(&o, 1) < 0 ? strerror((int)err_of(&o, 1)) : "a vsock socket", rc_of(&base, 1));
		}
		compiled_free(&c);
	}
}

static void errno_body(int fd, void *arg)
{
	(void)arg;
	report(fd, syscall(SYS_getppid));
	report(fd, syscall(SYS_getpid));
	report(fd, syscall(SYS_mseal, 0L, 0L, 0L));
}

static void test_default_errno(void)
{
	struct compiled c;
	if (compile_json("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 42,\n"
			 " \"syscalls\": [{\"names\": [\"read\", \"write\", \"exit\", \"exit_group\",\n"
			 "   \"rt_sigreturn\", \"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}\n",
			 &c) != 0) {
		CHECK(0, "defaultErrnoRet 42 profile compiles");
		return;
	}
	struct outcome o;
	if (run_prog(&c, errno_body, NULL, &o) == 0) {
		CHECK(exited_with(&o, 0), "defaultErrnoRet child: %s", describe(o.status));
		CHECK(failed_with(&o, 0, 42), "getppid under defaultErrnoRet 42: rc %ld errno %ld", rc_of(&o, 0),
		      err_of(&o, 0));
		CHECK(rc_of(&o, 1) == o.pid, "getpid allowed: %ld", rc_of(&o, 1));
	}
	compiled_free(&c);

	/* containers/common: defaultErrnoRet 38 (ENOSYS) for what it does not name */
	char path[4200];
	if (!have_shared) {
		printf("SKIP: %s/corpus is absent: containers/common scenario not run\n", shared);
		return;
	}
	snprintf(path, sizeof(path), "%s/corpus/containers-common-seccomp.json", shared);
	if (compile_path(path, &c) != 0) {
		CHECK(0, "%s compiles", path);
		return;
	}
	struct outcome base;
	CHECK(predict(&c, AUDIT_ARCH_X86_64, SYS_mseal, 0) == (SG_RET_ERRNO | 38), "mseal is not named");
	if (run_prog(&c, errno_body, NULL, &o) == 0 && run_child(NULL, 0, 0, errno_body, NULL, &base) == 0) {
		CHECK(exited_with(&o, 0), "containers-common child: %s", describe(o.status));
		CHECK(rc_of(&o, 0) == getpid(), "containers-common: getppid allowed: %ld", rc_of(&o, 0));
		CHECK(failed_with(&o, 2, ENOSYS), "containers-common: mseal: rc %ld errno %ld", rc_of(&o, 2),
		      err_of(&o, 2));
		CHECK(!failed_with(&base, 2, ENOSYS), "mseal(0, 0, 0) unfiltered is not ENOSYS: rc %ld errno %ld",
		      rc_of(&base, 2), err_of(&base, 2));
	}
	compiled_free(&c);
}

/* TSYNC through the library's loader: a thread that already exists when the
 * filter is loaded is filtered too. */
struct tsync_arg {
	int release[2];
	long rc, err;
};

static void *tsync_thread(void *arg)
{
	struct tsync_arg *t = arg;
	char c;
	while (read(t->release[0], &c, 1) < 0 && errno == EINTR)
		;
	t->rc = syscall(SYS_getppid);
	t->err = t->rc < 0 ? errno : 0;
	return NULL;
}

static void tsync_body(int fd, void *arg)
{
	const struct compiled *c = arg;
	struct tsync_arg t = { .rc = -12345 };
	pthread_t th;
	if (pipe(t.release) != 0 || pthread_create(&th, NULL, tsync_thread, &t) != 0) {
		report(fd, -2);
		return;
	}
	struct sg_diags d;
	int listener;
	sg_diags_init(&d);
	report(fd, sg_load(&c->prog, SG_FLAG_TSYNC, &listener, &d)); /* 0 */
	sg_diags_free(&d);
	if (write(t.release[1], "x", 1) != 1 || pthread_join(th, NULL) != 0)
		t.rc = -3;
	put(fd, t.rc);
	put(fd, t.err);
	report(fd, syscall(SYS_getppid));
}

static void test_tsync(void)
{
	struct compiled c;
	struct outcome o;
	if (compile_json("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
			 "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":42}]}",
			 &c)) {
		CHECK(0, "the TSYNC profile compiles");
		return;
	}
	if (run_child(NULL, 0, 0, tsync_body, &c, &o) == 0 && !under_valgrind) {
		CHECK(exited_with(&o, 0) && rc_of(&o, 0) == 0, "sg_load with TSYNC: %s", describe(o.status));
		CHECK(failed_with(&o, 1, 42), "TSYNC: the thread that existed before the load is filtered: %ld/%ld",
		      rc_of(&o, 1), err_of(&o, 1));
		CHECK(failed_with(&o, 2, 42), "TSYNC: the loading thread is filtered");
	}
	compiled_free(&c);
}

/* KILL_PROCESS and KILL_THREAD, from the only thread and from a second one. */
static void *getppid_thread(void *arg)
{
	(void)arg;
	syscall(SYS_getppid);
	return (void *)1;
}

static void kill_body(int fd, void *arg)
{
	int threaded = *(const int *)arg;
	put(fd, 1);
	if (threaded) {
		pthread_t t;
		void *res = NULL;
		if (pthread_create(&t, NULL, getppid_thread, NULL) != 0) {
			put(fd, -1);
			return;
		}
		int j = pthread_join(t, &res);
		/* a thread killed by KILL_THREAD never returns: res stays NULL */
		put(fd, j == 0 && res == NULL ? 2 : 3);
		return;
	}
	syscall(SYS_getppid);
	put(fd, 4);
}

static void test_kill(void)
{
	static const char *const acts[] = { "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL" };
	for (size_t i = 0; i < 3; i++) {
		char json[512];
		struct compiled c;
		snprintf(json, sizeof(json),
			 "{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
			 " \"syscalls\": [{\"names\": [\"getppid\"], \"action\": \"%s\"}]}\n",
			 acts[i]);
		if (compile_json(json, &c) != 0) {
			CHECK(0, "%s profile compiles", acts[i]);
			continue;
		}
		for (int threaded = 0; threaded < 2; threaded++) {
			struct outcome o;
			if (run_prog(&c, kill_body, &threaded, &o) != 0)
				continue;
			if (i == 0 || !threaded) {
				/* KILL_PROCESS; KILL_THREAD of the last thread kills the process too */
				CHECK(killed_by(&o, SIGSYS) && o.n == 1, "%s%s: %s, %zu values", acts[i],
				      threaded ? " from a thread" : "", describe(o.status), o.n);
			} else {
				CHECK(exited_with(&o, 0) && o.n == 2 && o.v[1] == 2,
				      "%s from a second thread: only it dies: %s, %zu values, last %ld", acts[i],
				      describe(o.status), o.n, o.n ? o.v[o.n - 1] : 0);
			}
		}
		compiled_free(&c);
	}
}

/* When several rules of a syscall match, the most restrictive action wins
 * (the kernel's own order between filters, and never more permissive than
 * libseccomp's merge); --precedence first keeps the first in profile order. */
struct call {
	long nr, a0;
};

static void call_body(int fd, void *arg)
{
	const struct call *c = arg;
	report(fd, syscall(c->nr, c->a0, 0, 0, 0, 0, 0));
}

static void test_precedence(void)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [\n"
		" {\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_LOG\", \"args\": [{\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]},\n"
		" {\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},\n"
		" {\"names\": [\"gettid\"], \"action\": \"SCMP_ACT_LOG\", \"args\": [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_GE\"}]},\n"
		" {\"names\": [\"gettid\"], \"action\": \"SCMP_ACT_KILL_PROCESS\", \"args\": [{\"index\": 0, \"value\": 9, \"op\": \"SCMP_CMP_LE\"}]}]}\n";
	static const struct {
		struct call c;
		int killed_restrictive, killed_first;
	} cases[] = {
		{ { SYS_getppid, 8 }, 1, 0 }, { { SYS_getppid, 3 }, 1, 1 }, { { SYS_gettid, 7 }, 1, 0 },
		{ { SYS_gettid, 11 }, 0, 0 }, { { SYS_gettid, 3 }, 1, 1 },
	};
	for (int first = 0; first < 2; first++) {
		struct compiled c;
		precedence = first ? SG_PRECEDENCE_FIRST : SG_PRECEDENCE_RESTRICTIVE;
		int rc = compile_json(json, &c);
		precedence = SG_PRECEDENCE_RESTRICTIVE;
		if (rc != 0) {
			CHECK(0, "precedence profile compiles");
			continue;
		}
		for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
			const struct call *call = &cases[i].c;
			int killed = first ? cases[i].killed_first : cases[i].killed_restrictive;
			uint32_t want = predict(&c, AUDIT_ARCH_X86_64, (uint32_t)call->nr, (uint64_t)call->a0);
			CHECK(action_is(want, killed ? SG_RET_KILL_PROCESS : SG_RET_LOG), "%s: the rules give nr %ld (%ld) %s",
			      first ? "first" : "restrictive", call->nr, call->a0, killed ? "KILL_PROCESS" : "LOG");
			struct outcome o;
			if (run_prog(&c, call_body, (void *)call, &o) != 0)
				continue;
			if (killed)
				CHECK(killed_by(&o, SIGSYS) && o.n == 0, "%s: nr %ld (%ld) killed: %s", first ? "first" : "restrictive",
				      call->nr, call->a0, describe(o.status));
			else
				CHECK(exited_with(&o, 0) && rc_of(&o, 0) > 0, "%s: nr %ld (%ld) logged and run: %s, rc %ld",
				      first ? "first" : "restrictive", call->nr, call->a0, describe(o.status), rc_of(&o, 0));
		}
		compiled_free(&c);
	}
}

static volatile sig_atomic_t trap_seen;
static volatile long trap_syscall, trap_arch, trap_code, trap_errno, trap_signo;
static void *volatile trap_addr;

static void sigsys_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	trap_signo = sig;
	trap_syscall = si->si_syscall;
	trap_arch = (long)si->si_arch;
	trap_code = si->si_code;
	trap_errno = si->si_errno;
	trap_addr = si->si_call_addr;
	trap_seen++;
}

static void trap_body(int fd, void *arg)
{
	(void)arg;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sigsys_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) != 0) {
		put(fd, -1);
		return;
	}
	long rc = syscall(SYS_getppid);
	long e = rc < 0 ? errno : 0;
	put(fd, trap_seen);
	put(fd, trap_signo);
	put(fd, trap_syscall);
	put(fd, trap_arch);
	put(fd, trap_code);
	put(fd, trap_errno);
	put(fd, trap_addr != NULL);
	put(fd, rc);
	put(fd, e);
}

static void test_trap(void)
{
	struct compiled c;
	if (compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
			 " \"syscalls\": [{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_TRAP\"}]}\n",
			 &c) != 0) {
		CHECK(0, "TRAP profile compiles");
		return;
	}
	struct outcome o;
	if (run_prog(&c, trap_body, NULL, &o) == 0) {
		CHECK(exited_with(&o, 0) && o.n == 9, "TRAP child: %s, %zu values", describe(o.status), o.n);
		if (o.n == 9) {
			CHECK(o.v[0] == 1, "SIGSYS handled once: %ld", o.v[0]);
			CHECK(o.v[1] == SIGSYS, "signal %ld", o.v[1]);
			CHECK(o.v[2] == SYS_getppid, "si_syscall %ld", o.v[2]);
			CHECK((uint32_t)o.v[3] == AUDIT_ARCH_X86_64, "si_arch 0x%lx", o.v[3]);
			CHECK(o.v[4] == SI_SYS_SECCOMP, "si_code %ld", o.v[4]);
			CHECK(o.v[5] == 0, "si_errno (SECCOMP_RET_DATA) %ld", o.v[5]);
			CHECK(o.v[6] == 1, "si_call_addr set");
			/* the call is skipped, and the kernel rolls the registers back
			 * for the handler (syscall_rollback): rax holds the syscall
			 * number again, so the "result" is 110, not the parent's pid */
			CHECK(o.v[7] == SYS_getppid && o.v[8] == 0, "trapped getppid returns rc %ld errno %ld", o.v[7],
			      o.v[8]);
		}
	}
	compiled_free(&c);
}

static void arch_body(int fd, void *arg)
{
	int which = *(const int *)arg;
	report(fd, syscall(SYS_getppid));
	report(fd, syscall(SYS_getpid));
	if (which == 0)
		report(fd, syscall(X32_BIT | SYS_getpid));
	else
		report(fd, int80(I386_GETPID));
	put(fd, 99); /* not reached */
}

static void test_bad_arch(void)
{
	struct compiled c;
	/* the native arch only; one rule, so that the filter is not trivial */
	if (compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
			 " \"syscalls\": [{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\"}]}\n",
			 &c) != 0) {
		CHECK(0, "x86_64-only profile compiles");
		return;
	}
	CHECK(c.pol->narches == 1, "x86_64 only: %zu arches", c.pol->narches);
	for (int which = 0; which < 2; which++) {
		if (which == 1 && !have_int80) {
			if (!under_valgrind)
				printf("SKIP: no int $0x80 on this kernel: the i386 bad-arch case is not tried\n");
			continue;
		}
		const char *what = which == 0 ? "x32 getpid (0x40000000 | 39)" : "i386 getpid (int $0x80)";
		struct outcome o;
		if (run_prog(&c, arch_body, &which, &o) != 0)
			continue;
		CHECK(failed_with(&o, 0, EPERM), "x86_64-only: getppid: rc %ld errno %ld", rc_of(&o, 0), err_of(&o, 0));
		CHECK(rc_of(&o, 1) == o.pid, "x86_64-only: getpid works: %ld", rc_of(&o, 1));
		/* without a filter x32 gives ENOSYS here (CONFIG_X86_X32_ABI off) and
		 * int $0x80 getpid works: the filter must kill before either */
		CHECK(killed_by(&o, SIGSYS) && o.n == 4, "x86_64-only: %s: %s, %zu values", what, describe(o.status),
		      o.n);
	}
	compiled_free(&c);
}

/* NOTIFY: the flags sysgate computes include NEW_LISTENER, so seccomp()
 * returns a listener. The child is the supervisor: a grandchild (which
 * inherits the filter) calls getppid, the child receives the notification and
 * answers 4242. Once the listener is closed, NOTIFY fails the call ENOSYS. */
static void notify_body(int fd, void *arg)
{
	(void)arg;
	int lfd = (int)child_seccomp_rc;
	put(fd, lfd);
	pid_t g = fork();
	if (g < 0) {
		put(fd, -1);
		return;
	}
	if (g == 0) {
		alarm(10);
		report(fd, syscall(SYS_getppid));
		raw_exit(0);
	}
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	memset(&req, 0, sizeof(req));
	int r = ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req);
	put(fd, r);
	put(fd, req.data.nr);
	put(fd, (long)req.data.arch);
	put(fd, req.pid == (uint32_t)g);
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.val = 4242;
	/* the grandchild writes as soon as it is answered: write after it */
	long sent = ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	int st = -1;
	waitpid(g, &st, 0);
	put(fd, sent);
	put(fd, st);
	close(lfd);
	report(fd, syscall(SYS_getppid));
}

static void test_notify(void)
{
	struct compiled c;
	if (compile_json("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
			 " \"syscalls\": [{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}\n",
			 &c) != 0) {
		CHECK(0, "NOTIFY profile compiles");
		return;
	}
	CHECK(c.pol->flags == (SG_FLAG_SPEC_ALLOW | SG_FLAG_NEW_LISTENER), "NOTIFY flags 0x%x", c.pol->flags);
	struct outcome o;
	if (run_prog(&c, notify_body, NULL, &o) == 0) {
		/* lfd, recv, nr, arch, pid, grandchild's rc+errno, send, status, rc+errno */
		CHECK(exited_with(&o, 0) && o.n == 11, "NOTIFY child: %s, %zu values", describe(o.status), o.n);
		if (o.n == 11) {
			CHECK(o.v[0] >= 3, "seccomp() returned a listener fd: %ld", o.v[0]);
			CHECK(o.v[1] == 0 && o.v[2] == SYS_getppid && (uint32_t)o.v[3] == AUDIT_ARCH_X86_64 && o.v[4] == 1,
			      "notification: recv %ld nr %ld arch 0x%lx from the grandchild %ld", o.v[1], o.v[2], o.v[3],
			      o.v[4]);
			CHECK(o.v[5] == 4242 && o.v[6] == 0, "the grandchild's getppid got the supervisor's answer: %ld %ld",
			      o.v[5], o.v[6]);
			CHECK(o.v[7] == 0, "response sent: %ld", o.v[7]);
			CHECK(WIFEXITED(o.v[8]) && WEXITSTATUS(o.v[8]) == 0, "grandchild: %s", describe((int)o.v[8]));
			CHECK(o.v[9] == -1 && o.v[10] == ENOSYS, "NOTIFY without a listener: rc %ld errno %ld", o.v[9],
			      o.v[10]);
		}
	}
	compiled_free(&c);
}

/* The profile's "flags", with and without a NOTIFY rule: the flags sysgate
 * computes must be ones the kernel takes. It refuses TSYNC with NEW_LISTENER
 * unless TSYNC_ESRCH is added (sysgate adds it), and WAIT_KILLABLE_RECV without
 * NEW_LISTENER (libseccomp only passes WAITKILL along with a listener). */
static void test_flags(void)
{
	static const char *const flag_sets[] = {
		"[]",
		"[\"SECCOMP_FILTER_FLAG_TSYNC\"]",
		"[\"SECCOMP_FILTER_FLAG_LOG\"]",
		"[\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]",
		"[\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_LOG\", \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]",
		"[\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]",
		"[\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]",
	};
	static const char *const acts[] = { "SCMP_ACT_ERRNO", "SCMP_ACT_NOTIFY" };
	for (size_t i = 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
		for (size_t a = 0; a < 2; a++) {
			char json[512];
			struct compiled c;
			snprintf(json, sizeof(json),
				 "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": %s,\n"
				 " \"syscalls\": [{\"names\": [\"getppid\"], \"action\": \"%s\"}]}\n",
				 flag_sets[i], acts[a]);
			if (compile_json(json, &c) != 0) {
				CHECK(0, "flags %s with %s: compiles", flag_sets[i], acts[a]);
				continue;
			}
			struct outcome o;
			if (run_prog(&c, NULL, NULL, &o) == 0)
				CHECK(exited_with(&o, 0), "flags %s with %s: sysgate's flags 0x%x: %s", flag_sets[i], acts[a],
				      c.pol->flags, describe(o.status));
			compiled_free(&c);
		}
	}
}

/* ---- 3. the kernel's limits ---------------------------------------------------- */

static struct sg_insn *nop_prog(size_t n)
{
	struct sg_insn *p = calloc(n, sizeof(*p));
	if (!p)
		return NULL;
	for (size_t i = 0; i + 1 < n; i++)
		p[i] = (struct sg_insn){ SG_BPF_LD | SG_BPF_W | SG_BPF_ABS, 0, 0, SG_OFF_NR };
	p[n - 1] = (struct sg_insn){ SG_BPF_RET | SG_BPF_K, 0, 0, SG_RET_ALLOW };
	return p;
}

static void getpid_body(int fd, void *arg)
{
	(void)arg;
	report(fd, syscall(SYS_getpid));
}

static void test_length_limit(void)
{
	char why[160];
	CHECK(SG_BPF_MAXINSNS == BPF_MAXINSNS, "SG_BPF_MAXINSNS %d, kernel's %d", SG_BPF_MAXINSNS, BPF_MAXINSNS);
	for (size_t n = 4095; n <= 4097; n++) {
		struct sg_insn *p = nop_prog(n);
		struct outcome o;
		int accepted = n <= 4096;
		if (!p)
			continue;
		CHECK((sg_bpf_check(p, n, why, sizeof(why)) == 0) == accepted, "sg_bpf_check agrees for %zu: %s", n,
		      accepted ? why : "accepted");
		if (run_child(p, n, 0, getpid_body, NULL, &o) != 0) {
			free(p);
			continue;
		}
		if (accepted) {
			CHECK(exited_with(&o, 0) && rc_of(&o, 0) == o.pid, "%zu instructions accepted: %s, getpid %ld", n,
			      describe(o.status), rc_of(&o, 0));
		} else {
			CHECK(exited_with(&o, LOAD_FAILED + EINVAL), "%zu instructions refused with EINVAL: %s", n,
			      describe(o.status));
		}
		free(p);
	}
	/* and an empty filter is refused too */
	struct sg_insn ret = { SG_BPF_RET | SG_BPF_K, 0, 0, SG_RET_ALLOW };
	struct outcome o;
	if (run_child(&ret, 0, 0, NULL, NULL, &o) == 0)
		CHECK(exited_with(&o, LOAD_FAILED + EINVAL), "0 instructions refused: %s", describe(o.status));
	if (run_child(&ret, 1, 0, getpid_body, NULL, &o) == 0)
		CHECK(exited_with(&o, 0) && rc_of(&o, 0) == o.pid, "1 instruction accepted: %s", describe(o.status));
}

int main(int argc, char **argv)
{
	struct stat st;
	snprintf(shared, sizeof(shared), "%s", argc > 1 ? argv[1] : "../shared");
	char corpus[4200];
	snprintf(corpus, sizeof(corpus), "%s/corpus", shared);
	have_shared = stat(corpus, &st) == 0 && S_ISDIR(st.st_mode);
	const char *v = getenv("SYSGATE_UNDER_VALGRIND");
	under_valgrind = v && *v && strcmp(v, "0") != 0;
	if (under_valgrind)
		printf("SKIP: under valgrind, which has no seccomp(2): profiles are compiled and checked, "
		       "no filter is loaded\n");

	static char tmpl[] = "/tmp/sysgate-kernel-XXXXXX";
	const char *base = getenv("TMPDIR");
	char tbuf[4200];
	snprintf(tbuf, sizeof(tbuf), "%s/sysgate-kernel-XXXXXX", base && *base ? base : "/tmp");
	tmpdir = mkdtemp(tbuf);
	if (!tmpdir)
		tmpdir = mkdtemp(tmpl);
	if (!tmpdir) {
		perror("mkdtemp");
		return 1;
	}

	get_baseline();
	test_all_profiles();
	test_block_chmod();
	test_deny_ptrace();
	test_mkdir();
	test_personality();
	test_moby_args();
	test_widths_enosys();
	test_default_errno();
	test_kill();
	test_precedence();
	test_trap();
	test_notify();
	test_tsync();
	test_flags();
	test_bad_arch();
	test_length_limit();

	rmdir(tmpdir);
	return check_summary("kernel");
}

#else

int main(void)
{
	printf("SKIP: the kernel tests are written for x86_64\n");
	return check_summary("kernel");
}

#endif
