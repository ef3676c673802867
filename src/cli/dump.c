/* sysgate dump: the seccomp filters of a running task, printed or written raw. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "sysgate/disasm.h"
#include "sysgate/dump.h"

static void print_filters(const struct sg_prog *progs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *age = i == 0 ? " (newest)" : i == n - 1 ? " (oldest)" : "";
		printf("%sfilter %zu%s: %zu instructions\n", i ? "\n" : "", i, age, progs[i].len);
		sg_disasm(stdout, progs[i].insns, progs[i].len);
	}
}

/* One filter as out, several as out.0, out.1, ...; on a failure, the files
 * this run wrote are removed again. 0, or -1 said. */
static int write_filters(const char *out, const struct sg_prog *progs, size_t n)
{
	size_t plen = strlen(out) + 24, done = 0;
	char *path = malloc(plen);
	int rc = path ? 0 : -1;
	if (!path)
		fprintf(stderr, "sysgate: out of memory\n");
	for (; rc == 0 && done < n; done++) {
		unsigned char *raw = NULL;
		size_t len = 0;
		struct stat st;
		snprintf(path, plen, n == 1 ? "%s" : "%s.%zu", out, done);
		int existed = lstat(path, &st) == 0;
		if (sg_prog_to_raw(&progs[done], sg_arch_native()->endian, &raw, &len)) {
			fprintf(stderr, "sysgate: out of memory\n");
			rc = -1;
		} else if (cli_write_file(path, (const char *)raw, len) != 0) {
			rc = -1;
			if (!existed) /* a file that was there, not opened, stays */
				unlink(path);
		}
		free(raw);
	}
	/* named once all are written; removed again when one failed */
	for (size_t i = 0; path && n > 1 && i < (rc ? done - 1 : n); i++) {
		snprintf(path, plen, "%s.%zu", out, i);
		if (rc)
			unlink(path);
		else
			fprintf(stderr, "sysgate: filter %zu%s: %zu instructions written to %s\n", i,
				i == 0 ? " (newest)" : i == n - 1 ? " (oldest)" : "", progs[i].len, path);
	}
	free(path);
	return rc;
}

static int parse_tid(const char *s, int *tid)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > INT_MAX) {
		fprintf(stderr, "sysgate: \"%s\" is not a process or thread ID\n", s);
		return -1;
	}
	*tid = (int)v;
	return 0;
}

int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	int c, tid;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		if (c == 'o') {
			out = optarg;
			continue;
		}
		return cli_usage(CLI_HELP_DUMP, c, argv);
	}
	if (optind != argc - 1 || (out && !*out))
		return cli_usage(CLI_HELP_DUMP, 0, argv);
	if (parse_tid(argv[optind], &tid))
		return EXIT_INVALID;
	struct sg_diags d;
	struct sg_prog *progs;
	size_t n;
	sg_diags_init(&d);
	int status = EXIT_INVALID;
	if (sg_dump_task(tid, &progs, &n, &d) == 0) {
		if (out) {
			status = write_filters(out, progs, n) ? EXIT_INVALID : 0;
		} else {
			print_filters(progs, n);
			status = fflush(stdout) || ferror(stdout) ? EXIT_INVALID : 0;
		}
		sg_dump_free(progs, n);
	}
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	return status;
}
