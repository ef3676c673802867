/* Supervise stage: see include/sysgate/supervise.h. */
#include "sysgate/supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysgate/conditions.h"
#include "sysgate/load.h"

static long sys_seccomp(unsigned op, unsigned flags, void *arg) { return syscall(SYS_seccomp, op, flags, arg); }

int sg_supervise_supported(struct sg_diags *d)
{
	unsigned v[3];
	uint32_t action = SECCOMP_RET_USER_NOTIF;
	static const unsigned need[3] = { 5, 9, 0 };
	if (sg_kernel_running(v) == 0 && !sg_kernel_ge(v, need))
		return sg_error(d, NULL, NULL, "a supervisor needs Linux 5.9 (a notified call let run: 5.5; the "
					       "listener's hangup when no task uses the filter: 5.9); this kernel is %u.%u.%u",
				v[0], v[1], v[2]);
	if (sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action))
		return sg_error(d, NULL, NULL, "this kernel has no seccomp user notification (SECCOMP_RET_USER_NOTIF): %s",
				strerror(errno));
	return 0;
}

/* A fork that shares the file table: clone(CLONE_FILES | SIGCHLD) with no
 * new stack, as fork does. s390 takes the stack first. */
static long clone_files(void)
{
#if defined(__s390__)
	return syscall(SYS_clone, 0L, (long)(CLONE_FILES | SIGCHLD), 0L, 0L, 0L);
#else
	return syscall(SYS_clone, (long)(CLONE_FILES | SIGCHLD), 0L, 0L, 0L, 0L);
#endif
}

/* Signals for the workload, not for its supervisor: Ctrl-C, a hangup, a
 * group kill. The supervisor ends when the last process under the filter
 * does, having written what it saw; only SIGKILL stops it earlier. */
static void detach(void)
{
	static const int workload_signals[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE };
	for (size_t i = 0; i < sizeof(workload_signals) / sizeof(*workload_signals); i++)
		signal(workload_signals[i], SIG_IGN);
	setsid(); /* out of the workload's process group and terminal */
}

/* In the intermediate child: starts the supervisor (sharing the table
 * still) and ends, so that the supervisor is nobody's child but init's
 * (or a subreaper's): a workload that waits for all its children, as an
 * init does, must not wait for it. Never returns in the intermediate. */
static int start_detached(void)
{
	long pid = clone_files();
	if (pid != 0)
		_exit(pid < 0 ? 1 : 0);
	detach();
	return 0;
}

int sg_supervise_start(struct sg_supervisor *s, struct sg_diags *d)
{
	s->listener = -1;
	s->caller = -1;
	if (pipe2(s->ctl, O_CLOEXEC))
		return sg_error(d, NULL, NULL, "pipe: %s", strerror(errno));
	/* the supervisor watches the caller through this: were the caller to end
	 * before its load, nothing else would tell (the pipe's ends are shared) */
	s->caller = (int)syscall(SYS_pidfd_open, getpid(), 0u);
	long pid = s->caller >= 0 ? clone_files() : -1;
	int status = 0, err = errno;
	if (pid == 0)
		return start_detached();
	while (pid > 0 && waitpid((pid_t)pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	close(s->ctl[0]);
	close(s->ctl[1]);
	if (s->caller >= 0)
		close(s->caller);
	return sg_error(d, NULL, NULL, "starting the supervisor: %s", pid < 0 ? strerror(err) : "clone failed");
}

/* The descriptor the kernel gives next: the lowest free one. */
static int lowest_free_fd(int any)
{
	int fd = fcntl(any, F_DUPFD_CLOEXEC, 0);
	if (fd >= 0)
		close(fd);
	return fd;
}

int sg_supervise_load(struct sg_supervisor *s, const struct sg_prog *prog, uint32_t flags, struct sg_diags *d)
{
	int expect = lowest_free_fd(s->ctl[1]), listener = -1, failed = -1;
	if (expect < 0 || write(s->ctl[1], &expect, sizeof(expect)) != sizeof(expect))
		return sg_error(d, NULL, NULL, "telling the supervisor: %s", strerror(errno)); /* it sees us end */
	/* from here until the supervisor has the listener, nothing allocates a
	 * descriptor (should one, the supervisor finds the listener elsewhere) */
	if (sg_load(prog, flags | SG_FLAG_NEW_LISTENER, &listener, d)) {
		/* told, or should that fail, it sees us end */
		ssize_t told = write(s->ctl[1], &failed, sizeof(failed));
		(void)told;
		return -1;
	}
	/* from here each of the caller's syscalls waits for the supervisor */
	return 0;
}

/* Whether fd is a seccomp listener: its ID_VALID ioctl knows the request
 * (ENOENT: no such notification; notification ids start at random). */
static int is_listener(int fd)
{
	uint64_t id = 0;
	return ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0 || errno == ENOENT;
}

/* Waits until fd or the caller's pidfd is readable: 1 fd, 0 the caller
 * ended, -1 on error. timeout in ms, -1 none; 2 when it passed. */
static int wait_readable(int fd, int caller, int timeout)
{
	struct pollfd p[2] = { { fd, POLLIN, 0 }, { caller, POLLIN, 0 } };
	int n;
	while ((n = poll(p, 2, timeout)) < 0 && errno == EINTR)
		;
	if (n < 0)
		return -1;
	if (n == 0)
		return 2;
	return p[0].revents ? 1 : 0;
}

/* The caller's word: the descriptor, or -1 (load failed or caller gone). */
static int read_word(int fd, int caller)
{
	int w;
	ssize_t n;
	if (wait_readable(fd, caller, -1) != 1)
		return -1;
	while ((n = read(fd, &w, sizeof(w))) < 0 && errno == EINTR)
		;
	return n == sizeof(w) ? w : -1;
}

/* The listener, should it not be where the caller said: a scan of the
 * shared table (nothing in sysgate allocates there, but a runtime might). */
static int find_listener(void)
{
	for (int fd = 0; fd < 4096; fd++)
		if (is_listener(fd))
			return fd;
	return -1;
}

/* Waits for the listener at fd: the caller's load takes microseconds from
 * its word, so yield, then look less often (and elsewhere too). The
 * listener's descriptor, or -1 when the load failed or the caller ended. */
static int wait_for_listener(int ctl, int caller, int fd)
{
	for (unsigned spins = 0;; spins++) {
		if (is_listener(fd))
			return fd;
		if (spins < 1000) {
			sched_yield();
			continue;
		}
		int found = find_listener();
		if (found >= 0)
			return found;
		if (wait_readable(ctl, caller, 1) != 2) /* a failure word, the caller's end, an error */
			return -1;
	}
}

static int kept(int fd, const int *keep, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (keep[i] == fd)
			return 1;
	return 0;
}

/* Closes every descriptor but keep[] and the listener: the supervisor must
 * not hold the workload's pipes open (a reader waiting for their end). */
static void close_others(int listener, const int *keep, size_t nkeep)
{
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 1 << 20)
		max = 1 << 20;
	int hi = -1;
	for (int fd = 0; fd < (int)max; fd++) {
		if (fd != listener && !kept(fd, keep, nkeep))
			continue;
		/* close (hi, fd) in one call where the kernel has close_range */
		if (fd - hi > 1 && syscall(SYS_close_range, (unsigned)(hi + 1), (unsigned)(fd - 1), 0u) != 0)
			for (int k = hi + 1; k < fd; k++)
				close(k);
		hi = fd;
	}
	if (syscall(SYS_close_range, (unsigned)(hi + 1), ~0u, 0u) != 0)
		for (int k = hi + 1; k < (int)max; k++)
			close(k);
}

int sg_supervise_accept(struct sg_supervisor *s, const int *keep, size_t nkeep, struct sg_diags *d)
{
	/* nothing is closed before the table is unshared: it is the caller's too */
	int fd = read_word(s->ctl[0], s->caller);
	if (fd >= 0)
		fd = wait_for_listener(s->ctl[0], s->caller, fd);
	if (fd < 0)
		return -1;
	s->listener = fd;
	if (unshare(CLONE_FILES)) {
		int err = errno;
		/* the caller's calls wait for a supervisor that cannot serve: closing
		 * the only listener fails them with ENOSYS, its execve too */
		close(fd);
		return sg_error(d, NULL, NULL, "unshare(CLONE_FILES): %s", strerror(err));
	}
	close_others(fd, keep, nkeep);
	return 0;
}

/* Receives one notification into *n: 1, 0 when it went away (the task
 * died, a signal), -1 on error. */
static int receive(int listener, void *req, size_t reqsz, struct sg_notification *n)
{
	memset(req, 0, reqsz);
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) != 0)
		return errno == EINTR || errno == ENOENT ? 0 : -1;
	const struct seccomp_notif *r = req;
	n->id = r->id;
	n->pid = r->pid;
	n->data.nr = (uint32_t)r->data.nr;
	n->data.arch = r->data.arch;
	n->data.ip = r->data.instruction_pointer;
	for (int i = 0; i < SG_MAX_ARGS; i++)
		n->data.args[i] = r->data.args[i];
	return 1;
}

static int let_run(int listener, void *resp, size_t respsz, uint64_t id)
{
	memset(resp, 0, respsz);
	struct seccomp_notif_resp *r = resp;
	r->id = id;
	r->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) == 0 || errno == ENOENT)
		return 0; /* ENOENT: the task is gone, or its call was interrupted */
	return -1;
}

int sg_supervise_serve(struct sg_supervisor *s, sg_notify_fn fn, void *ctx, struct sg_diags *d)
{
	struct seccomp_notif_sizes sz;
	if (sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &sz))
		return sg_error(d, NULL, NULL, "SECCOMP_GET_NOTIF_SIZES: %s", strerror(errno));
	/* the kernel's structures may be larger than these headers' */
	size_t reqsz = sz.seccomp_notif > sizeof(struct seccomp_notif) ? sz.seccomp_notif : sizeof(struct seccomp_notif);
	size_t respsz = sz.seccomp_notif_resp > sizeof(struct seccomp_notif_resp) ? sz.seccomp_notif_resp
										   : sizeof(struct seccomp_notif_resp);
	void *req = malloc(reqsz), *resp = malloc(respsz);
	int rc = req && resp ? 0 : sg_oom(d, NULL);
	/* errors are reported and serving goes on: the workload's calls wait
	 * for this loop. Only failing again and again, never receiving, ends it. */
	for (unsigned failures = 0; req && resp && failures < 1000;) {
		struct pollfd p = { s->listener, POLLIN, 0 };
		if (poll(&p, 1, -1) < 0) {
			failures += errno != EINTR;
			continue;
		}
		if (!(p.revents & POLLIN))
			break; /* POLLHUP: no task uses the filter any more */
		struct sg_notification n;
		int got = receive(s->listener, req, reqsz, &n);
		if (got < 0 && !failures++)
			rc = sg_error(d, NULL, NULL, "SECCOMP_IOCTL_NOTIF_RECV: %s", strerror(errno));
		if (got <= 0)
			continue;
		failures = 0;
		fn(ctx, &n);
		if (let_run(s->listener, resp, respsz, n.id) && !rc)
			rc = sg_error(d, NULL, NULL, "SECCOMP_IOCTL_NOTIF_SEND: %s", strerror(errno));
	}
	free(req);
	free(resp);
	return rc;
}
