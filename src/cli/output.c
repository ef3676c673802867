/* Where the learning commands (record, exec --complain, import-log, merge)
 * write a profile. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* An output never takes descriptor 0, 1 or 2: with stderr closed it would
 * receive sysgate's messages, and the workload's stderr too. */
static int open_above_std(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);
	if (fd >= 0 && fd <= 2) {
		int high = fcntl(fd, F_DUPFD_CLOEXEC, 3), err = errno;
		close(fd);
		errno = err;
		fd = high;
	}
	return fd;
}

int cli_open_output(const char *path, int *created)
{
	int fd = open_above_std(path, O_WRONLY | O_CREAT | O_EXCL);
	*created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = open_above_std(path, O_WRONLY);
	if (fd < 0)
		fprintf(stderr, "sysgate: %s: %s\n", path, strerror(errno));
	return fd;
}

int cli_learn_format(const char *arg, enum sg_learn_format *f)
{
	if (strcmp(arg, "oci") == 0 || strcmp(arg, "spo") == 0) {
		*f = arg[0] == 's' ? SG_LEARN_SPO : SG_LEARN_OCI;
		return 0;
	}
	fprintf(stderr, "sysgate: --format is oci or spo, not \"%s\"\n", arg);
	return -1;
}

int cli_write_profile(int fd, const char *name, int rewrite, const char *text, size_t len)
{
	struct stat st;
	int file = rewrite && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	size_t off = 0;
	ssize_t k = 0;
	if (file && lseek(fd, 0, SEEK_SET) != 0)
		k = -1;
	while (k >= 0 && off < len && ((k = write(fd, text + off, len - off)) > 0 || (k < 0 && errno == EINTR)))
		off += k > 0 ? (size_t)k : 0, k = 0;
	if (off == len && (!file || ftruncate(fd, (off_t)len) == 0))
		return 0;
	fprintf(stderr, "sysgate: %s: %s\n", name, k == 0 && off < len ? "short write" : strerror(errno));
	return -1;
}

int cli_write_file(const char *path, const char *text, size_t len)
{
	int fd = path ? open_above_std(path, O_WRONLY | O_CREAT | O_TRUNC) : 1;
	if (fd < 0) {
		fprintf(stderr, "sysgate: %s: %s\n", path, strerror(errno));
		return -1;
	}
	int rc = cli_write_profile(fd, path ? path : "<stdout>", path != NULL, text, len);
	if (path && close(fd) != 0 && !rc) {
		fprintf(stderr, "sysgate: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	return rc;
}
