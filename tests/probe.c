/* probe: the command tests/exec.sh runs under `sysgate exec`. Each argument
 * is one operation; each prints one line, "NAME -> RESULT" or
 * "NAME -> -1 errno N", so that the test can see what the filter did.
 *
 *   getpid getppid gettid uname    the raw syscalls
 *   mkdir:PATH chmod:PATH          mkdir(PATH, 0700), chmod(PATH, 0700)
 *   personality:HEX socket:DOMAIN  personality(HEX), socket(DOMAIN, SOCK_STREAM, 0) (DOMAIN: 64 bits)
 *   syscall:NR                     syscall NR (any number: x32's, -1) with zero arguments
 *   marker:PATH                    creates PATH: proof that the command ran
 *   fds                            lists the open file descriptors
 *   thread:OP                      OP in a second thread ("thread OP -> ..."), then
 *                                  "main alive" from the first once it has ended
 *   trap:OP                        OP with a SIGSYS handler that prints the siginfo
 *                                  and exits 0 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static void report(const char *prefix, const char *name, long rc, int err)
{
	if (rc < 0)
		printf("%s%s -> %ld errno %d\n", prefix, name, rc, err);
	else
		printf("%s%s -> %ld\n", prefix, name, rc);
}

static void list_fds(const char *prefix)
{
	DIR *d = opendir("/proc/self/fd");
	int self = d ? dirfd(d) : -1;
	printf("%sfds ->", prefix);
	for (struct dirent *e; d && (e = readdir(d));)
		if (e->d_name[0] != '.' && atoi(e->d_name) != self)
			printf(" %s", e->d_name);
	printf("\n");
	if (d)
		closedir(d);
}

/* Runs one operation; returns -1 for an unknown one. */
static int run_op(const char *op, const char *prefix)
{
	const char *colon = strchr(op, ':');
	const char *arg = colon ? colon + 1 : "";
	size_t n = colon ? (size_t)(colon - op) : strlen(op);
	char name[32];
	long rc;
	snprintf(name, sizeof(name), "%.*s", (int)n, op);
	errno = 0;
	if (strcmp(name, "getpid") == 0)
		rc = syscall(SYS_getpid);
	else if (strcmp(name, "getppid") == 0)
		rc = syscall(SYS_getppid);
	else if (strcmp(name, "gettid") == 0)
		rc = syscall(SYS_gettid);
	else if (strcmp(name, "uname") == 0) {
		struct utsname u;
		rc = syscall(SYS_uname, &u);
	} else if (strcmp(name, "mkdir") == 0)
		rc = syscall(SYS_mkdir, arg, 0700); /* the tests name mkdir, not mkdirat */
	else if (strcmp(name, "chmod") == 0)
		rc = syscall(SYS_chmod, arg, 0700);
	else if (strcmp(name, "personality") == 0)
		rc = syscall(SYS_personality, strtoul(arg, NULL, 16));
	else if (strcmp(name, "socket") == 0) {
		/* the raw call: a family's high bits reach the filter, as written */
		rc = syscall(SYS_socket, strtoul(arg, NULL, 0), SOCK_STREAM, 0);
		if (rc >= 0)
			close((int)rc);
	} else if (strcmp(name, "syscall") == 0) {
		rc = syscall((long)strtoul(arg, NULL, 0), 0, 0, 0, 0, 0, 0);
	} else if (strcmp(name, "marker") == 0) {
		rc = open(arg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (rc >= 0)
			rc = close((int)rc);
	} else if (strcmp(name, "fds") == 0) {
		list_fds(prefix);
		return 0;
	} else {
		return -1;
	}
	report(prefix, name, rc, errno);
	return 0;
}

static void *thread_main(void *op)
{
	if (run_op(op, "thread ") < 0)
		printf("thread %s -> unknown operation\n", (char *)op);
	return NULL;
}

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	char line[160];
	(void)sig, (void)ctx;
	int n = snprintf(line, sizeof(line), "SIGSYS si_syscall=%d si_arch=0x%x si_code=%d si_errno=%d\n",
			 si->si_syscall, si->si_arch, si->si_code, si->si_errno);
	if (write(STDOUT_FILENO, line, (size_t)n) < 0)
		_exit(2);
	_exit(0);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* a killed probe keeps the lines it printed */
	for (int i = 1; i < argc; i++) {
		const char *op = argv[i];
		int rc;
		if (strncmp(op, "thread:", 7) == 0) {
			pthread_t t;
			rc = pthread_create(&t, NULL, thread_main, (void *)(op + 7));
			if (rc == 0)
				rc = pthread_join(t, NULL);
			if (rc == 0)
				printf("main alive\n");
			else
				printf("thread -> pthread error %d\n", rc);
			continue;
		}
		if (strncmp(op, "trap:", 5) == 0) {
			struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
			sigemptyset(&sa.sa_mask);
			sigaction(SIGSYS, &sa, NULL);
			op += 5;
		}
		if (run_op(op, "") < 0) {
			fprintf(stderr, "probe: unknown operation \"%s\"\n", op);
			return 2;
		}
	}
	return 0;
}
