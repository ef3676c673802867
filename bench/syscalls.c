/* The bench's syscall-heavy workload (make bench, the record part): N cheap
 * syscalls (default 100000), taking turns through four kinds — getppid, a
 * 1-byte read of /dev/zero, fstat of that descriptor and stat of "/" — so
 * that a recording sees distinct calls, each repeated N / 4 times. Built
 * static with musl, like true.c, so that the few calls around the loop are
 * the same from run to run. Exit status 0, or 1 when a call fails. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	int fd = open("/dev/zero", O_RDONLY);
	if (fd < 0)
		return 1;
	struct stat st;
	char c;
	int bad = 0;
	for (long i = 0; i < n; i++) {
		switch (i & 3) {
		case 0: bad |= getppid() <= 0; break;
		case 1: bad |= read(fd, &c, 1) != 1; break;
		case 2: bad |= fstat(fd, &st) != 0; break;
		default: bad |= stat("/", &st) != 0; break;
		}
	}
	return bad;
}
