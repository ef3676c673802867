/* The dump stage against children this test sets up itself: two filters
 * loaded by sg_load (read back newest first), a thread with a filter of its
 * own (read by its TID), strict mode, no filter, sysgate's own process, a
 * reaped PID; each child blocked on a pipe and checked to run on and exit 0
 * once released. Needs CAP_SYS_ADMIN (skipped otherwise) and a kernel that
 * loads filters (skipped under valgrind: SYSGATE_UNDER_VALGRIND=1). */
#include <errno.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "sysgate/dump.h"
#include "sysgate/emulate.h"
#include "sysgate/load.h"

#define RET_K(v) { SG_BPF_RET | SG_BPF_K, 0, 0, (v) }
/* two allow-everything filters that differ: a return, and a load first */
static struct sg_insn f_old[] = { RET_K(0x7fff0000u) };
static struct sg_insn f_new[] = { { SG_BPF_LD | SG_BPF_W | SG_BPF_ABS, 0, 0, 0 }, RET_K(0x7fff0000u) };

struct child {
	pid_t pid;
	int go;  /* written to: the child ends */
	int tid; /* the task to read, told by the child */
};

static int load(const struct sg_insn *insns, size_t len)
{
	struct sg_diags d;
	struct sg_prog p = { (struct sg_insn *)insns, len };
	int listener;
	sg_diags_init(&d);
	int rc = sg_load(&p, 0, &listener, &d);
	sg_diags_free(&d);
	return rc;
}

static int ready_fd, go_fd;

static void *thread_main(void *arg)
{
	(void)arg;
	int tid = (int)syscall(SYS_gettid);
	char c;
	if (load(f_new, 2) == 0 && write(ready_fd, &tid, sizeof(tid)) == (ssize_t)sizeof(tid))
		while (read(go_fd, &c, 1) < 0 && errno == EINTR)
			;
	return NULL;
}

/* what the child does before it tells its TID and waits */
enum kind { NONE, TWO, THREAD, STRICT };

static void child_main(enum kind k)
{
	int tid = getpid();
	char c;
	if (k == TWO && (load(f_old, 1) || load(f_new, 2)))
		_exit(3);
	if (k == THREAD) {
		pthread_t t;
		if (load(f_old, 1) || pthread_create(&t, NULL, thread_main, NULL))
			_exit(3);
		pthread_join(t, NULL);
		_exit(0);
	}
	if (k == STRICT) {
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT))
			_exit(3);
		if (write(ready_fd, &tid, sizeof(tid)) != (ssize_t)sizeof(tid)) /* write: one of the four */
			syscall(SYS_exit, 3);
		while (read(go_fd, &c, 1) < 0)
			;
		syscall(SYS_exit, 0); /* exit_group is not among strict mode's four */
	}
	if (write(ready_fd, &tid, sizeof(tid)) != (ssize_t)sizeof(tid))
		_exit(3);
	while (read(go_fd, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static int spawn(enum kind k, struct child *c)
{
	int ready[2], go[2];
	if (pipe(ready) || pipe(go))
		return -1;
	c->pid = fork();
	if (c->pid == 0) {
		ready_fd = ready[1];
		go_fd = go[0];
		close(ready[0]);
		close(go[1]);
		child_main(k);
	}
	close(ready[1]);
	close(go[0]);
	c->go = go[1];
	ssize_t r = read(ready[0], &c->tid, sizeof(c->tid));
	close(ready[0]);
	return r == (ssize_t)sizeof(c->tid) ? 0 : -1;
}

/* Releases the child: 0 when it ran on and exited 0 (strict mode: 0 too). */
static int finish(struct child *c)
{
	int st;
	if (write(c->go, "x", 1) != 1)
		return -1;
	close(c->go);
	if (waitpid(c->pid, &st, 0) != c->pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* sg_dump_task on tid: its status; the first error's text in msg */
static int dump(int tid, struct sg_prog **p, size_t *n, char *msg, size_t msgsz)
{
	struct sg_diags d;
	sg_diags_init(&d);
	int rc = sg_dump_task(tid, p, n, &d);
	snprintf(msg, msgsz, "%s", d.n ? d.v[0].message : "");
	if (rc == 0)
		CHECK(d.errors == 0 && *n > 0, "success with %zu errors, %zu filters", d.errors, *n);
	else
		CHECK(d.errors > 0 && *p == NULL && *n == 0, "a failure must say why and return nothing");
	sg_diags_free(&d);
	return rc;
}

static int same(const struct sg_prog *p, const struct sg_insn *insns, size_t len)
{
	return p->len == len && memcmp(p->insns, insns, len * sizeof(*insns)) == 0;
}

static void test_filters(void)
{
	struct child c;
	struct sg_prog *p;
	size_t n;
	char msg[512], why[160];
	CHECK(spawn(TWO, &c) == 0, "two filters: child");
	CHECK(dump(c.tid, &p, &n, msg, sizeof(msg)) == 0, "two filters: %s", msg);
	CHECK(n == 2 && same(&p[0], f_new, 2) && same(&p[1], f_old, 1), "two filters, newest first: %zu", n);
	for (size_t i = 0; i < n; i++)
		CHECK(sg_bpf_check(p[i].insns, p[i].len, why, sizeof(why)) == 0, "filter %zu: %s", i, why);
	sg_dump_free(p, n);
	CHECK(finish(&c) == 0, "two filters: the child ran on");

	CHECK(spawn(THREAD, &c) == 0, "thread: child");
	CHECK(dump(c.tid, &p, &n, msg, sizeof(msg)) == 0, "thread by TID: %s", msg);
	CHECK(n == 2 && same(&p[0], f_new, 2) && same(&p[1], f_old, 1), "the thread's own filters: %zu", n);
	sg_dump_free(p, n);
	CHECK(dump(c.pid, &p, &n, msg, sizeof(msg)) == 0, "thread's process: %s", msg);
	CHECK(n == 1 && same(&p[0], f_old, 1), "the main thread has only the first filter: %zu", n);
	sg_dump_free(p, n);
	CHECK(finish(&c) == 0, "thread: the child ran on");
}

static void test_refusals(void)
{
	struct child c;
	struct sg_prog *p;
	size_t n;
	char msg[512];
	CHECK(spawn(NONE, &c) == 0, "no filter: child");
	CHECK(dump(c.tid, &p, &n, msg, sizeof(msg)) && strstr(msg, "has no seccomp filter"), "no filter: %s", msg);
	CHECK(finish(&c) == 0, "no filter: the child ran on");

	CHECK(spawn(STRICT, &c) == 0, "strict: child");
	CHECK(dump(c.tid, &p, &n, msg, sizeof(msg)) && strstr(msg, "strict mode"), "strict mode: %s", msg);
	CHECK(finish(&c) == 0, "strict: the child ran on");

	pid_t gone = c.pid; /* reaped: no such task, unless reused meanwhile */
	if (kill(gone, 0) != 0)
		CHECK(dump(gone, &p, &n, msg, sizeof(msg)) && strstr(msg, "no such task"), "reaped: %s", msg);
	CHECK(dump(getpid(), &p, &n, msg, sizeof(msg)) && strstr(msg, "sysgate itself"), "own process: %s", msg);
	CHECK(dump(0, &p, &n, msg, sizeof(msg)) && strstr(msg, "not a process"), "tid 0: %s", msg);
	CHECK(dump(-1, &p, &n, msg, sizeof(msg)) && strstr(msg, "not a process"), "tid -1: %s", msg);
}

int main(void)
{
	const char *v = getenv("SYSGATE_UNDER_VALGRIND");
	if (v && *v && strcmp(v, "0") != 0) {
		printf("SKIP: under valgrind, which has no seccomp(2): no filter to read back\n");
		return check_summary("test_dump");
	}
	if (geteuid() != 0) {
		printf("SKIP: reading a task's filters needs CAP_SYS_ADMIN (run as root)\n");
		return check_summary("test_dump");
	}
	test_filters();
	test_refusals();
	return check_summary("test_dump");
}
