/* A workload for tests/record.sh: each argument names something to do, each
 * with a syscall nothing else here makes, so that a recording can be seen
 * to hold it:
 *   thread       a thread calls sched_getscheduler
 *   fork         a child process calls getsid
 *   exec         runs itself again (execve) as "execd": getpriority
 *   run PROG ... runs another program (fork, execve) with the rest of the
 *                arguments, and waits for it: the last operation
 *   extra        getpgid, and times
 *   args         ioctl(0, FIONREAD), prctl(PR_GET_DUMPABLE), fcntl(0, F_GETFD)
 *   i386 FILE    writes a tiny i386 program to FILE and runs it (getpid,
 *                exit through int 0x80): exit 77 when this kernel cannot
 *   reap         waits for every child it has, as an init does
 *   fds          prints where each descriptor it holds leads
 *   pid          prints its PID
 *   exit N       exits with N
 * A plain program, never sanitized: the tests count its calls. */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *thread_main(void *arg)
{
	syscall(SYS_sched_getscheduler, 0);
	return arg;
}

static int run_thread(void)
{
	pthread_t t;
	return pthread_create(&t, NULL, thread_main, NULL) || pthread_join(t, NULL);
}

static int run_fork(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		syscall(SYS_getsid, 0);
		_exit(0);
	}
	int st;
	return pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0;
}

static int run_program(char **argv)
{
	pid_t pid = fork();
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	return pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0;
}

static int run_exec(const char *self)
{
	char *argv[] = { (char *)self, (char *)"execd", NULL };
	return run_program(argv);
}

/* ELF header, one PT_LOAD, then: mov eax,20; int 0x80; mov eax,1; xor ebx,ebx; int 0x80 */
static const unsigned char i386_prog[] = {
	0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* e_ident */
	2, 0, 3, 0, 1, 0, 0, 0,                                  /* EXEC, 386, version */
	0x54, 0x80, 0x04, 0x08,                                  /* e_entry 0x08048054 */
	0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,                   /* phoff 52, shoff, flags */
	0x34, 0, 0x20, 0, 1, 0, 0, 0, 0, 0, 0, 0,                /* ehsize, phentsize, phnum 1 */
	1, 0, 0, 0, 0, 0, 0, 0,                                  /* PT_LOAD, offset 0 */
	0x00, 0x80, 0x04, 0x08, 0x00, 0x80, 0x04, 0x08,          /* vaddr, paddr */
	0x64, 0, 0, 0, 0x64, 0, 0, 0,                            /* filesz, memsz: 100 */
	5, 0, 0, 0, 0x00, 0x10, 0, 0,                            /* R+X, align */
	0xb8, 20, 0, 0, 0, 0xcd, 0x80,                           /* getpid */
	0xb8, 1, 0, 0, 0, 0x31, 0xdb, 0xcd, 0x80,                /* exit(0) */
	0x90, 0x90,
};

static int run_i386(const char *file)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0 || write(fd, i386_prog, sizeof(i386_prog)) != (ssize_t)sizeof(i386_prog) || close(fd))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		execl(file, file, (char *)NULL);
		_exit(77); /* no ia32 emulation here */
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 1;
	if (WEXITSTATUS(st) == 77)
		exit(77);
	return WEXITSTATUS(st) != 0;
}

static int run_args(void)
{
	int n;
	ioctl(0, FIONREAD, &n);
	prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	return fcntl(0, F_GETFD) < 0;
}

static int run_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	if (!d)
		return 1;
	while ((e = readdir(d))) {
		char path[300], to[300];
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		ssize_t n = e->d_name[0] == '.' ? -1 : readlink(path, to, sizeof(to) - 1);
		if (n >= 0)
			printf("%s -> %.*s\n", e->d_name, (int)n, to);
	}
	return closedir(d);
}

int main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc && !rc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "thread"))
			rc = run_thread();
		else if (!strcmp(a, "fork"))
			rc = run_fork();
		else if (!strcmp(a, "exec"))
			rc = run_exec(argv[0]);
		else if (!strcmp(a, "run") && i + 1 < argc) {
			rc = run_program(argv + i + 1);
			break;
		}
		else if (!strcmp(a, "execd"))
			rc = (int)syscall(SYS_getpriority, 0, 0) < 0;
		else if (!strcmp(a, "extra"))
			rc = syscall(SYS_getpgid, 0) < 0 || syscall(SYS_times, NULL) < 0;
		else if (!strcmp(a, "args"))
			rc = run_args();
		else if (!strcmp(a, "i386") && i + 1 < argc)
			rc = run_i386(argv[++i]);
		else if (!strcmp(a, "fds"))
			rc = run_fds();
		else if (!strcmp(a, "reap"))
			while (wait(NULL) > 0)
				;
		else if (!strcmp(a, "pid"))
			printf("%ld\n", (long)getpid());
		else if (!strcmp(a, "exit") && i + 1 < argc)
			exit(atoi(argv[++i]));
		else
			return fprintf(stderr, "workload: %s?\n", a), 2;
	}
	fflush(stdout);
	return rc;
}
