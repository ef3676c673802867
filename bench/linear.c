/* Linear in the input: each of the worst shapes of input (tests/shapes.c)
 * at three sizes growing fourfold (1, 4 and 16 MiB; --quick: 64 KiB to
 * 1 MiB), through `sysgate check`, `compile` and, where tests/linear.sh runs
 * it, `exec`, each a whole process with its output to /dev/null. The cost
 * per MB at the largest size, and how the time grows from the middle size to
 * the largest: 4 is linear, 16 quadratic. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "shapes.h"

extern char **environ;

const char *const linear_cmd_name[NLINEAR_CMDS] = { "check", "compile", "exec" };

/* One run: wall and CPU ms; -1 when it could not run or was killed (a
 * nonzero exit is expected: these inputs are full of errors). */
static double run_shape(char *const argv[], double *cpu_ms)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	struct rusage ru;
	int status = 0;
	double t0 = now_ns();
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	if (rc == 0)
		while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
			;
	double t1 = now_ns();
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0 || !WIFEXITED(status)) {
		fprintf(stderr, "bench: `%s %s ...` failed (%s, status 0x%x)\n", argv[0], argv[1],
			rc ? strerror(rc) : "killed", (unsigned)status);
		return -1;
	}
	*cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	return (t1 - t0) / 1e6;
}

/* The minimum over reps runs of one command on one file. */
static int measure(const struct bench *b, enum linear_cmd c, const char *file, unsigned reps, double *ms,
		   double *cpu)
{
	char *const check[] = { (char *)b->sysgate, "check", (char *)file, NULL };
	char *const compile[] = { (char *)b->sysgate, "compile", (char *)file, "-o", "/dev/null", NULL };
	char *const exec[] = { (char *)b->sysgate, "exec", "-p", (char *)file, "--", (char *)b->true_static, NULL };
	char *const *argv = c == L_CHECK ? check : c == L_COMPILE ? compile : exec;
	*ms = *cpu = -1;
	for (unsigned r = 0; r < reps; r++) {
		double t_cpu, t = run_shape(argv, &t_cpu);
		if (t < 0)
			return -1;
		if (*ms < 0 || t < *ms)
			*ms = t;
		if (*cpu < 0 || t_cpu < *cpu)
			*cpu = t_cpu;
	}
	return 0;
}

static int run_row(struct bench *b, const struct shape *s, struct linear_row *row, const char *file)
{
	row->shape = s->key;
	row->what = s->what;
	for (int c = 0; c < NLINEAR_CMDS; c++)
		for (int z = 0; z < LINEAR_SIZES; z++)
			row->ms[c][z] = row->cpu[c][z] = -1;
	for (int z = 0; z < LINEAR_SIZES; z++) {
		if (sg_shape_write(s, b->linear_bytes[z], file) != 0) {
			fprintf(stderr, "bench: %s: %s\n", file, strerror(errno));
			return -1;
		}
		/* the largest size once (seconds), the others the best of two */
		unsigned reps = b->quick || z == LINEAR_SIZES - 1 ? 1 : 2;
		for (int c = 0; c < NLINEAR_CMDS; c++) {
			if (c == L_EXEC && !strstr(s->commands, "exec"))
				continue; /* a filter that may stop `true` from exiting */
			if (measure(b, (enum linear_cmd)c, file, reps, &row->ms[c][z], &row->cpu[c][z]) != 0)
				return -1;
		}
	}
	unlink(file);
	return 0;
}

int run_linear(struct bench *b)
{
	size_t unit = b->quick ? (size_t)64 << 10 : (size_t)1 << 20;
	for (int z = 0; z < LINEAR_SIZES; z++)
		b->linear_bytes[z] = unit << (2 * z);
	char file[sizeof(b->tmpdir) + 32];
	snprintf(file, sizeof(file), "%.*s/shape.json", (int)sizeof(b->tmpdir), b->tmpdir);
	int failed = 0;
	for (size_t i = 0; i < sg_nshapes && b->nlinear < N(b->linear); i++) {
		progress("linear: %s", sg_shapes[i].key);
		if (run_row(b, &sg_shapes[i], &b->linear[b->nlinear], file) != 0) {
			failed = 1;
			unlink(file);
			continue;
		}
		b->nlinear++;
	}
	return failed ? -1 : 0;
}

/* ---- the report --------------------------------------------------------------------- */

static double mib(size_t bytes) { return (double)bytes / (1 << 20); }

/* ms per MiB at the largest size, and the growth from the middle size to it. */
static void figures(const struct bench *b, const struct linear_row *r, int c, double *per_mb, double *growth)
{
	const double *ms = r->ms[c];
	*per_mb = ms[LINEAR_SIZES - 1] / mib(b->linear_bytes[LINEAR_SIZES - 1]);
	*growth = ms[LINEAR_SIZES - 2] > 0 ? ms[LINEAR_SIZES - 1] / ms[LINEAR_SIZES - 2] : 0;
}

static void size_label(size_t bytes, char *buf, size_t n)
{
	if (bytes >= (size_t)1 << 20)
		snprintf(buf, n, "%zu MiB", bytes >> 20);
	else
		snprintf(buf, n, "%zu KiB", bytes >> 10);
}

void print_linear(const struct bench *b)
{
	if (!b->nlinear)
		return;
	char sz[LINEAR_SIZES][32];
	for (int z = 0; z < LINEAR_SIZES; z++)
		size_label(b->linear_bytes[z], sz[z], sizeof(sz[z]));
	printf("\nLinear in the input: ms per whole process at %s / %s / %s, ms per MiB at %s, and the growth "
	       "%s -> %s (4 is linear, 16 quadratic)\n\n", sz[0], sz[1], sz[2], sz[2], sz[1], sz[2]);
	printf("%-22s %-8s %26s %10s %7s\n", "shape", "command", "ms", "ms/MiB", "growth");
	for (size_t i = 0; i < b->nlinear; i++) {
		const struct linear_row *r = &b->linear[i];
		for (int c = 0; c < NLINEAR_CMDS; c++) {
			double per_mb, growth;
			if (r->ms[c][LINEAR_SIZES - 1] < 0)
				continue;
			figures(b, r, c, &per_mb, &growth);
			printf("%-22s %-8s %8.1f / %6.1f / %7.1f %10.1f %7.2f\n", c == 0 ? r->shape : "",
			       linear_cmd_name[c], r->ms[c][0], r->ms[c][1], r->ms[c][2], per_mb, growth);
		}
	}
}

int write_linear_csv(const struct bench *b, FILE *f)
{
	fprintf(f, "shape,command,bytes,ms,cpu_ms\n");
	for (size_t i = 0; i < b->nlinear; i++)
		for (int c = 0; c < NLINEAR_CMDS; c++)
			for (int z = 0; z < LINEAR_SIZES && b->linear[i].ms[c][z] >= 0; z++)
				fprintf(f, "%s,%s,%zu,%.2f,%.2f\n", b->linear[i].shape, linear_cmd_name[c],
					b->linear_bytes[z], b->linear[i].ms[c][z], b->linear[i].cpu[c][z]);
	return ferror(f) ? -1 : 0;
}

void write_linear_json(const struct bench *b, FILE *f)
{
	fprintf(f, "  \"linear\": {\"bytes\": [%zu, %zu, %zu], \"shapes\": [", b->linear_bytes[0], b->linear_bytes[1],
		b->linear_bytes[2]);
	for (size_t i = 0; i < b->nlinear; i++) {
		const struct linear_row *r = &b->linear[i];
		fprintf(f, "%s\n    {\"shape\": \"%s\", \"what\": ", i ? "," : "", r->shape);
		json_str(f, r->what);
		for (int c = 0; c < NLINEAR_CMDS; c++) {
			double per_mb, growth;
			if (r->ms[c][LINEAR_SIZES - 1] < 0)
				continue;
			figures(b, r, c, &per_mb, &growth);
			fprintf(f, ", \"%s\": {\"ms\": [%.2f, %.2f, %.2f], \"cpu_ms\": [%.2f, %.2f, %.2f], "
				   "\"ms_per_mib\": %.2f, \"growth\": %.3f}", linear_cmd_name[c], r->ms[c][0], r->ms[c][1],
				r->ms[c][2], r->cpu[c][0], r->cpu[c][1], r->cpu[c][2], per_mb, growth);
		}
		fprintf(f, "}");
	}
	fprintf(f, "\n  ]},\n");
}

void write_linear_md(const struct bench *b, FILE *f)
{
	if (!b->nlinear)
		return;
	char sz[LINEAR_SIZES][32];
	for (int z = 0; z < LINEAR_SIZES; z++)
		size_label(b->linear_bytes[z], sz[z], sizeof(sz[z]));
	fprintf(f, "\nLinear in the input: the worst shapes of input (tests/shapes.c), ms per whole process "
		   "(`sysgate check`, `compile`, `exec`) at %s / %s / %s, ms per MiB at %s, and the growth %s -> %s "
		   "(4 is linear, 16 quadratic):\n\n| shape | command | ms | ms/MiB | growth |\n|---|---|--:|--:|--:|\n",
		sz[0], sz[1], sz[2], sz[2], sz[1], sz[2]);
	for (size_t i = 0; i < b->nlinear; i++) {
		const struct linear_row *r = &b->linear[i];
		for (int c = 0; c < NLINEAR_CMDS; c++) {
			double per_mb, growth;
			if (r->ms[c][LINEAR_SIZES - 1] < 0)
				continue;
			figures(b, r, c, &per_mb, &growth);
			fprintf(f, "| %s | %s | %.0f / %.0f / %.0f | %.1f | %.2f |\n", c == 0 ? r->shape : "",
				linear_cmd_name[c], r->ms[c][0], r->ms[c][1], r->ms[c][2], per_mb, growth);
		}
	}
}
