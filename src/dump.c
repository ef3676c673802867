/* Dump stage: see include/sysgate/dump.h.
 *
 * What the kernel answers, and what each answer means here (Linux 6.12's
 * kernel/ptrace.c and kernel/seccomp.c):
 *   PTRACE_SEIZE      ESRCH: no such task. EPERM (ptrace_attach): a kernel
 *                     thread, our own thread group, an exiting task, one
 *                     already traced, or __ptrace_may_access refusing
 *                     (another owner without CAP_SYS_PTRACE, not dumpable,
 *                     an LSM such as Yama).
 *   PTRACE_SECCOMP_GET_FILTER (seccomp_get_filter)
 *                     EACCES: the caller lacks CAP_SYS_ADMIN or is itself
 *                     under seccomp (one test for both: told apart here
 *                     from capget and /proc/self/status). EINVAL: the task
 *                     is not in filter mode (none, or strict) — or the
 *                     kernel lacks CONFIG_CHECKPOINT_RESTORE, whose stub in
 *                     include/linux/seccomp.h returns EINVAL too: told
 *                     apart from /proc/TID/status. ENOENT: past the last
 *                     filter. EMEDIUMTYPE: not a classic BPF filter. EIO:
 *                     a kernel older than the request (ptrace_request's
 *                     default). ESRCH: the task is no longer stopped under
 *                     us (it died).
 * The index counts from the OLDEST filter, the first installed: ptrace(2)
 * says "the most recently installed filter has the index 0", but
 * get_nth_filter counts the task's filters, takes filter_off from the
 * count and walks that many from the newest less one (count -= filter_off;
 * while count > 1: filter = filter->prev), so index 0 is the oldest and
 * count - 1 the newest; Linux 6.18 answers so. sg_dump_task turns the list
 * around: newest first, the order the kernel runs them in. */
#include "sysgate/dump.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/ptrace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysgate/emulate.h"

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif
#define CAP_BIT_SYS_ADMIN 21

/* The raw call: no libc wrapper's PEEK conventions, one signature. */
static long pt(long req, int tid, unsigned long addr, void *data)
{
	return syscall(SYS_ptrace, req, (long)tid, addr, data);
}

/* What /proc/TID/status says (-1 where it says nothing). */
struct facts {
	int readable;
	long seccomp, filters, tracer, tgid, kthread;
	char state;
};

/* A small /proc file whole, NUL-terminated (without stdio: the static
 * binary links no scanf). Its length, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t k = 0;
	if (fd < 0)
		return -1;
	while (n + 1 < size && ((k = read(fd, buf + n, size - 1 - n)) > 0 || (k < 0 && errno == EINTR)))
		n += k > 0 ? (size_t)k : 0;
	close(fd);
	buf[n] = '\0';
	return k < 0 ? -1 : (ssize_t)n;
}

static void read_status(int tid, struct facts *f)
{
	static const char *const keys[] = { "Seccomp:", "Seccomp_filters:", "TracerPid:", "Tgid:", "Kthread:", "State:" };
	char path[64], text[4096];
	long *vals[] = { &f->seccomp, &f->filters, &f->tracer, &f->tgid, &f->kthread, NULL };
	memset(f, 0, sizeof(*f));
	f->seccomp = f->filters = f->tracer = f->tgid = f->kthread = -1;
	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/status", tid);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	if (read_small(path, text, sizeof(text)) < 0)
		return;
	f->readable = 1;
	for (const char *line = text; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
			size_t k = strlen(keys[i]);
			if (strncmp(line, keys[i], k) != 0)
				continue;
			const char *at = line + k + strspn(line + k, " \t");
			if (vals[i])
				*vals[i] = strtol(at, NULL, 10);
			else
				f->state = *at;
		}
}

/* Whether this process holds CAP_SYS_ADMIN in its effective set. */
static int have_sys_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct c[_LINUX_CAPABILITY_U32S_3];
	memset(c, 0, sizeof(c));
	if (syscall(SYS_capget, &h, c) != 0)
		return -1;
	return (c[0].effective >> CAP_BIT_SYS_ADMIN) & 1;
}

/* /proc/sys/kernel/yama/ptrace_scope, or -1 without Yama. */
static int yama_scope(void)
{
	char text[16];
	if (read_small("/proc/sys/kernel/yama/ptrace_scope", text, sizeof(text)) <= 0)
		return -1;
	return (int)strtol(text, NULL, 10);
}

static const char need_admin[] = "reading a task's seccomp filters needs CAP_SYS_ADMIN: run sysgate dump as root";

/* The denial that is not about the caller's privilege: the task itself. */
static int denied_by_task(int tid, const struct facts *t, struct sg_diags *d)
{
	if (t->tgid == (long)getpid())
		return sg_error(d, NULL, NULL, "task %d is sysgate itself, which cannot trace its own threads", tid);
	if (t->kthread == 1)
		return sg_error(d, NULL, NULL, "task %d is a kernel thread, which has no seccomp filter", tid);
	if (t->state == 'Z' || t->state == 'X')
		return sg_error(d, NULL, NULL, "task %d has exited (state %c): it has no filters left", tid, t->state);
	if (t->tracer > 0)
		return sg_error(d, NULL, NULL,
				"task %d is already traced by PID %ld (a debugger, strace, another sysgate dump?), and "
				"a task has one tracer at a time: detach it first",
				tid, t->tracer);
	return 0;
}

/* PTRACE_SEIZE failed with err. */
static int attach_failed(int tid, int err, struct sg_diags *d)
{
	if (err == ESRCH)
		return sg_error(d, NULL, NULL, "no such task: %d (no process or thread has that ID)", tid);
	if (err != EPERM && err != EACCES)
		return sg_error(d, NULL, NULL, "cannot attach to task %d with PTRACE_SEIZE: %s", tid, strerror(err));
	struct facts t, self;
	read_status(tid, &t);
	read_status(0, &self);
	if (denied_by_task(tid, &t, d))
		return -1;
	if (self.seccomp > 0)
		return sg_error(d, NULL, NULL,
				"not permitted to trace task %d: sysgate itself runs under seccomp (Seccomp: %ld in "
				"/proc/self/status), whose filter may refuse ptrace; the kernel reads filters only "
				"for a caller outside seccomp: run sysgate dump outside any sandbox",
				tid, self.seccomp);
	if (have_sys_admin() == 0)
		return sg_error(d, NULL, NULL, "not permitted to trace task %d (%s): %s", tid, strerror(err), need_admin);
	int yama = yama_scope();
	if (yama > 0)
		return sg_error(d, NULL, NULL,
				"not permitted to trace task %d: Yama's ptrace_scope is %d "
				"(/proc/sys/kernel/yama/ptrace_scope)%s",
				tid, yama, yama >= 3 ? ", which refuses every attach until reboot" : "");
	return sg_error(d, NULL, NULL,
			"not permitted to trace task %d (%s): another owner's task needs CAP_SYS_PTRACE too, and a "
			"task that is not dumpable or a security module can refuse it",
			tid, strerror(err));
}

/* PTRACE_SECCOMP_GET_FILTER refused with EINVAL: what the task's status says. */
static int not_filter_mode(int tid, struct sg_diags *d)
{
	struct facts t;
	read_status(tid, &t);
	if (t.seccomp == 0)
		return sg_error(d, NULL, NULL,
				"task %d has no seccomp filter (Seccomp: 0 in /proc/%d/status: not under seccomp)", tid,
				tid);
	if (t.seccomp == 1)
		return sg_error(d, NULL, NULL,
				"task %d is in seccomp strict mode (SECCOMP_MODE_STRICT, Seccomp: 1): it may only "
				"read, write, _exit and sigreturn, and has no filter to read",
				tid);
	if (t.seccomp == 2)
		return sg_error(d, NULL, NULL,
				"this kernel cannot read seccomp filters back (task %d has %ld): "
				"PTRACE_SECCOMP_GET_FILTER needs a kernel built with CONFIG_CHECKPOINT_RESTORE",
				tid, t.filters);
	return sg_error(d, NULL, NULL,
			"PTRACE_SECCOMP_GET_FILTER on task %d: %s: either it has no seccomp filter or this kernel "
			"lacks CONFIG_CHECKPOINT_RESTORE (/proc/%d/status does not say which)",
			tid, strerror(EINVAL), tid);
}

/* PTRACE_SECCOMP_GET_FILTER refused filter i with err. */
static int read_failed(int tid, unsigned long i, int err, struct sg_diags *d)
{
	if (err == EINVAL || (err == ENOENT && i == 0))
		return not_filter_mode(tid, d);
	if (err == EACCES) {
		struct facts self;
		read_status(0, &self);
		if (self.seccomp > 0)
			return sg_error(d, NULL, NULL,
					"sysgate itself runs under seccomp (Seccomp: %ld in /proc/self/status), and the "
					"kernel reads a task's filters only for a caller with none of its own: run "
					"sysgate dump outside any sandbox",
					self.seccomp);
		if (have_sys_admin() == 0)
			return sg_error(d, NULL, NULL, "not permitted to read task %d's filters: %s", tid, need_admin);
	}
	if (err == EMEDIUMTYPE)
		return sg_error(d, NULL, NULL,
				"filter %lu (from the oldest) of task %d is not classic BPF (an eBPF program), which "
				"PTRACE_SECCOMP_GET_FILTER cannot return",
				i, tid);
	if (err == EIO)
		return sg_error(d, NULL, NULL,
				"this kernel has no PTRACE_SECCOMP_GET_FILTER (Linux 4.4 or newer, with "
				"CONFIG_CHECKPOINT_RESTORE): %s",
				strerror(err));
	if (err == ESRCH)
		return sg_error(d, NULL, NULL, "task %d exited (or was killed) while its filters were read", tid);
	return sg_error(d, NULL, NULL, "PTRACE_SECCOMP_GET_FILTER on task %d, filter %lu (from the oldest): %s", tid, i,
			strerror(err));
}

/* Stops the seized task. *sig is the signal it was about to take when it
 * stopped (0 for the interrupt or a stop of its own): given back on detach.
 * 0 stopped, 1 the task ended (nothing to detach), -1 failed. */
static int stop_task(int tid, int *sig, struct sg_diags *d)
{
	int st;
	*sig = 0;
	if (pt(PTRACE_INTERRUPT, tid, 0, NULL) != 0) {
		if (errno == ESRCH) {
			sg_error(d, NULL, NULL, "task %d exited before it could be stopped", tid);
			return 1;
		}
		return sg_error(d, NULL, NULL, "PTRACE_INTERRUPT on task %d: %s", tid, strerror(errno));
	}
	for (;;) {
		pid_t w = waitpid(tid, &st, __WALL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return sg_error(d, NULL, NULL, "waiting for task %d to stop: %s", tid, strerror(errno));
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			sg_error(d, NULL, NULL, "task %d exited before it could be read", tid);
			return 1;
		}
		if (WIFSTOPPED(st)) {
			/* a signal-delivery-stop: the signal is the task's, to be delivered */
			if ((st >> 16) == 0)
				*sig = WSTOPSIG(st);
			return 0;
		}
	}
}

static int append(struct sg_prog **v, size_t *n, size_t *cap, const struct sg_insn *insns, size_t len,
		  struct sg_diags *d)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 4;
		struct sg_prog *g = realloc(*v, c * sizeof(*g));
		if (!g)
			return sg_oom(d, NULL);
		*v = g;
		*cap = c;
	}
	struct sg_insn *copy = malloc(len * sizeof(*copy));
	if (!copy)
		return sg_oom(d, NULL);
	memcpy(copy, insns, len * sizeof(*copy));
	(*v)[(*n)++] = (struct sg_prog){ .insns = copy, .len = len };
	return 0;
}

/* Filters 0 (the oldest), 1, ... of the stopped task until ENOENT. Each is read into a
 * buffer of the kernel's maximum, whatever the count said: a TSYNC from
 * another thread could change the filter between the two calls. */
static int read_filters(int tid, struct sg_prog **v, size_t *n, struct sg_diags *d)
{
	_Static_assert(sizeof(struct sg_insn) == 8, "struct sock_filter layout");
	struct sg_insn *buf = malloc(SG_BPF_MAXINSNS * sizeof(*buf));
	size_t cap = 0;
	int rc = buf ? 0 : sg_oom(d, NULL);
	for (unsigned long i = 0; rc == 0; i++) {
		long k = pt(PTRACE_SECCOMP_GET_FILTER, tid, i, NULL);
		if (k < 0 && errno == ENOENT && i > 0)
			break;
		if (k >= 0)
			k = pt(PTRACE_SECCOMP_GET_FILTER, tid, i, buf);
		if (k < 0) {
			rc = read_failed(tid, i, errno, d);
			break;
		}
		char why[160];
		if (k == 0 || k > SG_BPF_MAXINSNS)
			rc = sg_error(d, NULL, NULL, "filter %lu (from the oldest) of task %d has %ld instructions, not 1 to %d", i, tid,
				      k, SG_BPF_MAXINSNS);
		else if (sg_bpf_check(buf, (size_t)k, why, sizeof(why)))
			rc = sg_error(d, NULL, NULL, "filter %lu (from the oldest) of task %d, as read, fails the kernel's checks: %s",
				      i, tid, why);
		else
			rc = append(v, n, &cap, buf, (size_t)k, d);
	}
	free(buf);
	return rc;
}

int sg_dump_task(int tid, struct sg_prog **progs, size_t *n, struct sg_diags *d)
{
	*progs = NULL;
	*n = 0;
	if (tid <= 0)
		return sg_error(d, NULL, NULL, "%d is not a process or thread ID", tid);
	if (pt(PTRACE_SEIZE, tid, 0, NULL) != 0)
		return attach_failed(tid, errno, d);
	int sig, rc = stop_task(tid, &sig, d);
	if (rc == 0)
		rc = read_filters(tid, progs, n, d);
	for (size_t i = 0; rc == 0 && i < *n / 2; i++) { /* newest first */
		struct sg_prog t = (*progs)[i];
		(*progs)[i] = (*progs)[*n - 1 - i];
		(*progs)[*n - 1 - i] = t;
	}
	/* ESRCH: it died meanwhile, and with it our hold on it */
	if (rc != 1 && pt(PTRACE_DETACH, tid, 0, (void *)(long)sig) != 0 && errno != ESRCH)
		rc = sg_error(d, NULL, NULL, "PTRACE_DETACH from task %d: %s", tid, strerror(errno));
	if (rc != 0) {
		sg_dump_free(*progs, *n);
		*progs = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void sg_dump_free(struct sg_prog *progs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sg_prog_free(&progs[i]);
	free(progs);
}
