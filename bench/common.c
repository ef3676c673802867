/* What every part of the bench shares: the names of filters, syscall
 * classes and compilers, sample statistics, the clock, progress on stderr,
 * quoting in JSON and CSV, and how a profile is resolved. It calls none of the other files. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

/* ---- names --------------------------------------------------------------------------------- */

const char *const filter_name[NFILTERS] = { "none", "sysgate", "libseccomp", "libseccomp tree" };
const char *const filter_key[NFILTERS] = { "none", "sysgate", "libseccomp", "libseccomp_tree" };

const char *const class_name[NCLASSES] = {
	[C_CACHED] = "allowed, cached",
	[C_ARGCHECK] = "allowed, argument check",
	[C_DENIED] = "denied (ERRNO)",
	[C_UNKNOWN] = "above every syscall",
	[C_X32] = "x32 number",
};
const char *const class_key[NCLASSES] = {
	[C_CACHED] = "cached", [C_ARGCHECK] = "argcheck", [C_DENIED] = "denied",
	[C_UNKNOWN] = "unknown", [C_X32] = "x32",
};

const char *const compile_name[NCOMPILE] = {
	[K_SYSGATE] = "sysgate: JSON parse + resolve + compile + raw",
	[K_SYSGATE_NOPARSE] = "sysgate: resolve + compile + raw (parsed)",
	[K_LSC] = "libseccomp: rule adds + export",
	[K_LSC_TREE] = "libseccomp tree: rule adds + export",
};

/* ---- sample statistics and the clock ------------------------------------------------------- */

double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

void samples_add(struct samples *s, double x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v) {
			perror("realloc");
			exit(1);
		}
	}
	s->v[s->n++] = x;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The value at quantile q, interpolated between neighbours. */
static double quantile(const double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;
	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (pos - (double)i) * (v[i + 1] - v[i]);
}

void summarize(const struct samples *s, struct summary *out)
{
	*out = (struct summary){ 0 };
	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	out->n = s->n;
	out->min = s->v[0];
	out->max = s->v[s->n - 1];
	out->p25 = quantile(s->v, s->n, 0.25);
	out->median = quantile(s->v, s->n, 0.5);
	out->p75 = quantile(s->v, s->n, 0.75);
}

double spread_pct(const struct summary *s)
{
	return s->median > 0 ? 100.0 * (s->p75 - s->p25) / 2 / s->median : 0;
}

/* ---- progress ------------------------------------------------------------------------------ */

void progress(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- quoting in results files ---------------------------------------------------------------- */

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void json_summary(FILE *f, const struct summary *s)
{
	fprintf(f, "{\"median\": %.3f, \"min\": %.3f, \"p25\": %.3f, \"p75\": %.3f, \"max\": %.3f, \"n\": %zu}",
		s->median, s->min, s->p25, s->p75, s->max, s->n);
}

void csv_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* ---- how a profile is resolved ------------------------------------------------------------- */

/* Docker's default is resolved as `sysgate stats --arch x86_64 --arch x86
 * --arch x32` does (Docker's archMap on an x86_64 host gives the same
 * targets); the seeds from their own architectures, as `sysgate exec -p`. */
static const char *const docker_arches[] = { "x86_64", "x86", "x32" };

int docker_explicit(const struct bench_profile *bp)
{
	const struct sg_arch *native = sg_arch_native();
	return strcmp(bp->key, "docker-default") == 0 && native && strcmp(native->name, "x86_64") == 0;
}

void bench_resolve_opts(const struct bench_profile *bp, struct sg_resolve_opts *ro)
{
	sg_resolve_opts_init(ro);
	if (docker_explicit(bp)) {
		for (size_t i = 0; i < N(docker_arches); i++)
			ro->targets[ro->ntargets++] = sg_arch_lookup(docker_arches[i]);
		ro->host = ro->targets[0];
	}
}
