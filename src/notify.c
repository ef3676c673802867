/* User notification: see include/sysgate/notify.h. */
#include "sysgate/notify.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sysgate/seccomp.h"

/* Calls made after the filter is loaded and before the command runs
 * (socketcall: sendmsg where it is multiplexed). If the profile sent one of
 * them to the listener, under any arguments, the caller would wait on an
 * agent that does not have the fd yet. */
static const char *const own_calls[] = { "sendmsg", "close", "execve", "socketcall" };

static int own_calls_notified(const struct sg_policy *pol, struct sg_diags *d)
{
	const struct sg_arch_policy *ap = &pol->arches[0]; /* the native arch: targets start with it */
	for (size_t i = 0; i < sizeof(own_calls) / sizeof(*own_calls); i++) {
		uint32_t nr;
		if (sg_syscall_nr(ap->arch, own_calls[i], &nr))
			continue;
		for (size_t r = 0; r < ap->nrules; r++)
			if (ap->rules[r].nr == nr && (ap->rules[r].action & SG_RET_ACTION_FULL) == SG_RET_USER_NOTIF)
				return sg_error(d, pol->profile->file, NULL,
						"the profile sends %s to the listener, which sysgate needs itself "
						"before the listener has its fd",
						own_calls[i]);
	}
	return 0;
}

/* A bounded text buffer: appends stop (and stay stopped) when it is full. */
struct text {
	char *buf;
	size_t len, cap;
	int full;
};

static void put(struct text *t, const char *fmt, ...) SG_PRINTF(2, 3);
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

/* The runtime spec's container process state; -1 if it does not fit. */
static int oci_state(struct sg_handoff *h, const struct sg_profile *p)
{
	struct text t = { .buf = h->state, .cap = sizeof(h->state) };
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
	h->len = t.len;
	return t.full ? -1 : 0;
}

static int connect_unix(const char *path)
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

int sg_handoff_prepare(struct sg_handoff *h, const struct sg_profile *p, const struct sg_policy *pol,
		       struct sg_diags *d)
{
	h->sock = -1;
	h->len = 0;
	h->path[0] = '\0';
	if (!p->listener_path || !*p->listener_path)
		return sg_error(d, p->file, NULL, "the profile uses SCMP_ACT_NOTIFY but names no listenerPath");
	snprintf(h->path, sizeof(h->path), "%s", p->listener_path);
	if (own_calls_notified(pol, d))
		return -1;
	if (oci_state(h, p))
		return sg_error(d, p->file, NULL, "listenerMetadata too long for the container state (%d bytes at most)",
				SG_HANDOFF_STATE_MAX);
	if ((h->sock = connect_unix(p->listener_path)) < 0)
		return sg_error(d, p->file, NULL, "listenerPath %s: %s", p->listener_path, strerror(errno));
	return 0;
}

/* The state, with the fd passed alongside in SCM_RIGHTS. */
static int send_fd(int sock, int fd, char *state, size_t len)
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

int sg_handoff_send(struct sg_handoff *h, int listener, struct sg_diags *d)
{
	int rc = send_fd(h->sock, listener, h->state, h->len);
	int err = errno;
	close(listener);
	sg_handoff_close(h);
	if (rc)
		return sg_error(d, NULL, NULL, "sending the listener fd to %s: %s", h->path, strerror(err));
	return 0;
}

void sg_handoff_close(struct sg_handoff *h)
{
	if (h->sock >= 0)
		close(h->sock);
	h->sock = -1;
}
