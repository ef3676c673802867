/* getdelim for the static binary (make static only; musl's getline calls
 * it): a character at a time through getc_unlocked, about 150 bytes where
 * musl's, which scans the FILE's buffer, is about 1 KB. sysgate reads only
 * audit logs with it (import-log), where the difference in speed is lost
 * in the parsing. POSIX's getdelim otherwise: the line and its delimiter,
 * NUL-terminated, in *s (grown with realloc, *n its size), the count of
 * bytes read returned; -1 at end of file with nothing read, on a read
 * error (ferror tells; what was read of the line is lost, as in musl), or
 * when memory runs out (errno ENOMEM).
 *
 * Compiled into the test under its own name, sg_getdelim; SG_STATIC_LIBC
 * (make static) makes it the C library's getdelim. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#ifdef SG_STATIC_LIBC
#define sg_getdelim getdelim
#endif

ssize_t sg_getdelim(char **restrict s, size_t *restrict n, int delim, FILE *restrict f);

ssize_t sg_getdelim(char **restrict s, size_t *restrict n, int delim, FILE *restrict f)
{
	size_t i = 0;
	int c;
	if (!*s)
		*n = 0;
	do {
		if ((c = getc_unlocked(f)) == EOF) {
			if (!i || ferror(f)) /* as musl: a read error loses the part line */
				return -1;
			break;
		}
		if (i + 2 > *n) {
			size_t m = *n < 64 ? 128 : *n * 2;
			char *p = m > *n && m <= SIZE_MAX / 2 ? realloc(*s, m) : NULL;
			if (!p) {
				errno = ENOMEM;
				return -1;
			}
			*s = p;
			*n = m;
		}
		(*s)[i++] = (char)c;
	} while (c != delim);
	(*s)[i] = 0;
	return (ssize_t)i;
}
