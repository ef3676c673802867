/* agent: a seccomp notify agent for tests/exec.sh.
 *
 *   agent SOCKET STATE.json [METADATA]
 *
 * Listens on the unix socket SOCKET (made visible under its name only once
 * it listens), accepts one connection, receives the OCI container process
 * state and the listener fd (SCM_RIGHTS), checks the state ("seccompFd" in
 * "fds", "pid", "metadata" equal to METADATA when given, "state") and saves
 * it to STATE.json. Then it answers notifications: getppid succeeds with
 * 4242, mkdir fails with EACCES, anything else continues. Exits 0 when the
 * target has gone (POLLHUP on the listener), 1 on any error or after 10 s. */
#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 10000

static int fail(const char *what)
{
	fprintf(stderr, "agent: %s%s%s\n", what, errno ? ": " : "", errno ? strerror(errno) : "");
	return 1;
}

static long ms_left(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return TIMEOUT_MS - ((now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000);
}

/* The value of the first "key" in json (no real parser: the tests know the
 * shape sysgate writes), or NULL. */
static const char *value_of(const char *json, const char *key)
{
	char quoted[64];
	snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	const char *p = strstr(json, quoted);
	if (!p)
		return NULL;
	p += strlen(quoted);
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	if (*p++ != ':')
		return NULL;
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	return p;
}

static int check_state(const char *json, const char *metadata)
{
	const char *v;
	errno = 0;
	if (!(v = value_of(json, "fds")) || *v != '[' || !strstr(v, "\"seccompFd\"") ||
	    strchr(v, ']') < strstr(v, "\"seccompFd\""))
		return fail("the state has no \"fds\": [\"seccompFd\"]");
	if (!(v = value_of(json, "pid")) || atol(v) <= 0)
		return fail("the state has no \"pid\"");
	if (!(v = value_of(json, "metadata")) || *v != '"')
		return fail("the state has no \"metadata\" string");
	if (metadata && (strncmp(v + 1, metadata, strlen(metadata)) != 0 || v[1 + strlen(metadata)] != '"'))
		return fail("the state's \"metadata\" is not the profile's listenerMetadata");
	if (!(v = value_of(json, "state")) || *v != '{')
		return fail("the state has no \"state\" object");
	return 0;
}

/* Whether json[0..len) is one whole JSON object: sysgate may make
 * notified calls (close) before it closes its end, so no waiting for EOF. */
static int complete(const char *json, size_t len)
{
	int depth = 0, in_string = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = json[i];
		if (in_string) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_string = 0;
		} else if (ch == '"') {
			in_string = 1;
		} else if (ch == '{' || ch == '[') {
			depth++;
		} else if ((ch == '}' || ch == ']') && --depth == 0) {
			return 1;
		}
	}
	return 0;
}

/* Receives the state and the fd on the accepted connection c: reads until
 * the object is whole or sysgate closes its end. */
static int receive(int c, char *json, size_t size, int *fd, const struct timespec *start)
{
	union {
		char bytes[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	size_t len = 0;
	*fd = -1;
	for (;;) {
		struct pollfd pfd = { .fd = c, .events = POLLIN };
		long left = ms_left(start);
		if (left <= 0 || poll(&pfd, 1, (int)left) != 1)
			return errno = 0, fail("timed out waiting for the container state");
		struct iovec iov = { .iov_base = json + len, .iov_len = size - 1 - len };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.bytes,
				      .msg_controllen = sizeof(ctl.bytes) };
		ssize_t n = recvmsg(c, &msg, MSG_CMSG_CLOEXEC);
		if (n < 0)
			return fail("recvmsg");
		for (struct cmsghdr *h = CMSG_FIRSTHDR(&msg); h; h = CMSG_NXTHDR(&msg, h))
			if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS && *fd < 0)
				memcpy(fd, CMSG_DATA(h), sizeof(int));
		if (msg.msg_flags & MSG_CTRUNC)
			return errno = 0, fail("more than one fd was sent");
		if (n == 0)
			break;
		len += (size_t)n;
		if (complete(json, len))
			break;
		if (len == size - 1)
			return errno = 0, fail("the state is too long");
	}
	json[len] = 0;
	if (*fd < 0)
		return errno = 0, fail("no fd came with the state");
	return 0;
}

static int serve(int fd, const struct timespec *start)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long left = ms_left(start);
		if (left <= 0)
			return errno = 0, fail("timed out: the target did not exit");
		if (poll(&pfd, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return fail("poll");
		}
		if (pfd.revents & POLLIN) {
			struct seccomp_notif req;
			struct seccomp_notif_resp resp;
			memset(&req, 0, sizeof(req));
			if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
				if (errno == EINTR || errno == ENOENT)
					continue; /* the caller went away */
				return fail("SECCOMP_IOCTL_NOTIF_RECV");
			}
			memset(&resp, 0, sizeof(resp));
			resp.id = req.id;
			const char *what;
			if (req.data.nr == SYS_getppid)
				resp.val = 4242, what = "getppid -> 4242";
			else if (req.data.nr == SYS_mkdir)
				resp.error = -EACCES, what = "mkdir -> EACCES";
			else
				resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE, what = "continue";
			printf("agent: pid %u syscall %d: %s\n", req.pid, req.data.nr, what);
			fflush(stdout);
			if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
				return fail("SECCOMP_IOCTL_NOTIF_SEND");
		} else if (pfd.revents & (POLLHUP | POLLERR)) {
			printf("agent: the target has exited\n");
			return 0;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: agent SOCKET STATE.json [METADATA]\n");
		return 2;
	}
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s.tmp", argv[1]) >= sizeof(sa.sun_path))
		return errno = ENAMETOOLONG, fail(argv[1]);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) || listen(s, 1))
		return fail("listening");
	/* connecting to the name only succeeds once it is there */
	if (rename(sa.sun_path, argv[1]))
		return fail("rename");

	struct pollfd pfd = { .fd = s, .events = POLLIN };
	if (poll(&pfd, 1, TIMEOUT_MS) != 1)
		return errno = 0, fail("timed out waiting for a connection");
	int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return fail("accept");
	close(s);
	unlink(argv[1]);

	static char json[65536];
	int fd;
	if (receive(c, json, sizeof(json), &fd, &start))
		return 1;
	close(c);
	FILE *f = fopen(argv[2], "w");
	if (!f || fputs(json, f) < 0 || fclose(f))
		return fail(argv[2]);
	if (check_state(json, argc > 3 ? argv[3] : NULL))
		return 1;
	return serve(fd, &start);
}
