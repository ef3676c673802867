/* Load stage: see include/sysgate/load.h. */
#include "sysgate/load.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysgate/seccomp.h"

static long sys_seccomp(unsigned op, unsigned flags, void *arg) { return syscall(SYS_seccomp, op, flags, arg); }

/* Whether the kernel accepts one flag, asked in a child that installs a
 * filter allowing everything and exits: the parent stays unfiltered. */
static int flag_supported(uint32_t flag)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		struct sock_fprog fp = { .len = 1, .filter = &allow };
		/* some flags are only valid beside a listener */
		if (flag == SG_FLAG_WAIT_KILLABLE_RECV || flag == SG_FLAG_TSYNC_ESRCH)
			flag |= SG_FLAG_NEW_LISTENER;
		long rc = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ? -1 : sys_seccomp(SECCOMP_SET_MODE_FILTER, flag, &fp);
		_exit(rc < 0 ? 1 : 0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void explain_failure(uint32_t flags, int err, struct sg_diags *d)
{
	if (err == EINVAL || err == EOPNOTSUPP) {
		for (size_t i = 0; i < SG_NFLAGS; i++)
			if ((flags & sg_flags[i].flag) && flag_supported(sg_flags[i].flag) == 0) {
				sg_error(d, NULL, NULL, "the kernel rejects %s: %s", sg_flags[i].name, strerror(err));
				return;
			}
	}
	if (err == EBUSY && (flags & SG_FLAG_NEW_LISTENER))
		sg_error(d, NULL, NULL, "the kernel allows one seccomp listener per process, and a filter already in "
					 "place has one (a seccomp agent's?): %s", strerror(err));
	else if (err == EFAULT || err == EINVAL)
		sg_error(d, NULL, NULL, "the kernel refused the filter: %s", strerror(err));
	else if (err == ENOSYS)
		sg_error(d, NULL, NULL, "this kernel has no seccomp filter support: %s", strerror(err));
	else
		sg_error(d, NULL, NULL, "seccomp(SECCOMP_SET_MODE_FILTER) failed: %s", strerror(err));
}

int sg_load(const struct sg_prog *prog, uint32_t flags, int *listener, struct sg_diags *d)
{
	*listener = -1;
	if (prog->len == 0 || prog->len > SG_BPF_MAXINSNS)
		return sg_error(d, NULL, NULL, "a filter has 1 to %d instructions, not %zu", SG_BPF_MAXINSNS, prog->len);
	/* struct sg_insn has the layout of struct sock_filter */
	_Static_assert(sizeof(struct sg_insn) == sizeof(struct sock_filter), "sock_filter layout");
	struct sock_fprog fp = { .len = (unsigned short)prog->len, .filter = (struct sock_filter *)prog->insns };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return sg_error(d, NULL, NULL, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
	long rc = sys_seccomp(SECCOMP_SET_MODE_FILTER, flags, &fp);
	if (rc < 0) {
		explain_failure(flags, errno, d);
		return -1;
	}
	if ((flags & SG_FLAG_TSYNC) && !(flags & SG_FLAG_TSYNC_ESRCH) && rc > 0 && !(flags & SG_FLAG_NEW_LISTENER))
		return sg_error(d, NULL, NULL, "TSYNC: thread %ld could not be synchronised", rc);
	if (flags & SG_FLAG_NEW_LISTENER)
		*listener = (int)rc;
	return 0;
}
