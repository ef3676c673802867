/* What `make run` runs under sysgate's default profile: ordinary work, then
 * operations a container must not do, each line saying what happened.
 * Exits 0 when everything went as the default profile intends. Also the
 * static program of the scratch-root test. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static int surprises;

/* musl has no strerrorname_np */
static const char *errno_name(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOSYS: return "ENOSYS";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EFAULT: return "EFAULT";
	default: return "another errno";
	}
}

static void expect_ok(const char *what, int failed)
{
	if (failed) {
		printf("UNEXPECTED: %s failed: %s\n", what, strerror(errno));
		surprises++;
	} else {
		printf("ok:      %s\n", what);
	}
}

static void expect_denied(const char *what, long rc, int want)
{
	if (rc >= 0) {
		printf("UNEXPECTED: %s succeeded\n", what);
		surprises++;
	} else if (errno != want) {
		printf("UNEXPECTED: %s failed with %s, not %s\n", what, errno_name(errno), errno_name(want));
		surprises++;
	} else {
		printf("blocked: %s -> %s (%s)\n", what, errno_name(errno), strerror(errno));
	}
}

int main(void)
{
	char path[] = "/tmp/sysgate-demo-XXXXXX", buf[16] = "";
	int fd = mkstemp(path);
	expect_ok("create, write and read back a file",
		  fd < 0 || write(fd, "hello", 5) != 5 || pread(fd, buf, 5, 0) != 5 || strcmp(buf, "hello") != 0);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	struct utsname u;
	expect_ok("uname", uname(&u) != 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	int status = 0;
	expect_ok("fork a child and reap it", pid < 0 || waitpid(pid, &status, 0) != pid || WEXITSTATUS(status) != 7);
	int sv[2];
	expect_ok("a unix socket pair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0);

	/* a fresh directory, unmounted again should the call ever succeed */
	char dir[] = "/tmp/sysgate-demo-mnt-XXXXXX";
	if (mkdtemp(dir)) {
		int rc = mount("none", dir, "tmpfs", 0, NULL);
		int e = errno;
		if (rc == 0)
			umount(dir);
		rmdir(dir);
		errno = e;
		expect_denied("mount a tmpfs", rc, EPERM);
	}
	expect_denied("unshare a user namespace", unshare(CLONE_NEWUSER), EPERM);
	expect_denied("personality(READ_IMPLIES_EXEC)", personality(READ_IMPLIES_EXEC), EPERM);
	expect_denied("socket(AF_VSOCK)", socket(40, SOCK_STREAM, 0), EPERM);
	/* wrong magic numbers: even unconfined this can only fail (EINVAL) */
	expect_denied("reboot", syscall(SYS_reboot, 0, 0, 0, NULL), EPERM);
	expect_denied("clone3 (glibc falls back to clone)", syscall(SYS_clone3, NULL, 0), ENOSYS);
	printf("%s\n", surprises ? "some results were not what the default profile intends"
				 : "every ordinary call worked and every dangerous one was refused");
	return surprises ? 1 : 0;
}
