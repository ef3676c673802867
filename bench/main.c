/* sysgate-bench: see bench.h and README.md (Performance).
 *
 * usage: sysgate-bench [--quick] [--out DIR] [--shared DIR] [--sysgate BIN]
 *                      [--static BIN] [--true-static BIN] [--cpu N]
 *
 * The table goes to stdout, progress to stderr, CSV, JSON and the SVG chart
 * to DIR (default bench/results). Exit status 0, or 1 when something is
 * wrong (a filter that does not build or load, a call whose result is not
 * what the filter says, exact figures that differ from `sysgate stats`);
 * never because of a timing. */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "lsc_build.h"
#include "sysgate/emit.h"
#include "sysgate/emulate.h"
#include "sysgate/plan.h"

/* ---- machine and conditions ------------------------------------------------------ */

static void read_line(const char *path, char *buf, size_t n)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(buf, (int)n, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static double read_loadavg(void)
{
	char buf[128];
	read_line("/proc/loadavg", buf, sizeof(buf));
	return atof(buf);
}

static void machine_info(struct bench *b)
{
	time_t t = time(NULL);
	strftime(b->date, sizeof(b->date), "%Y-%m-%d %H:%M UTC", gmtime(&t));
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];
	snprintf(b->cpu_model, sizeof(b->cpu_model), "unknown CPU");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (strncmp(line, "model name", 10) == 0 && colon) {
			snprintf(b->cpu_model, sizeof(b->cpu_model), "%s", colon + 2);
			b->cpu_model[strcspn(b->cpu_model, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	b->ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	struct utsname u;
	if (uname(&u) == 0)
		snprintf(b->kernel, sizeof(b->kernel), "%s %s %s", u.sysname, u.release, u.machine);
	read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource", b->clocksource,
		  sizeof(b->clocksource));
	read_line("/sys/devices/system/cpu/vulnerabilities/meltdown", b->meltdown, sizeof(b->meltdown));
	read_line("/proc/sys/net/core/bpf_jit_enable", line, sizeof(line));
	b->bpf_jit = line[0] ? atoi(line) : -1;
	snprintf(b->compiler, sizeof(b->compiler), "%s", __VERSION__);
	const struct scmp_version *v = seccomp_version();
	snprintf(b->lsc_version, sizeof(b->lsc_version), "%u.%u.%u", v->major, v->minor, v->micro);
	b->x32_abi = -1;
#if defined(__x86_64__) && !defined(__ILP32__)
	{
		uint32_t nr;
		const struct sg_arch *x32 = sg_arch_lookup("x32");
		if (x32 && sg_syscall_nr(x32, "getppid", &nr) == 0)
			b->x32_abi = syscall((long)nr) >= 0;
	}
#endif
	b->loadavg_start = read_loadavg();
}

/* ---- profiles and filters ---------------------------------------------------------- */

static const struct {
	const char *key, *title, *path; /* path: relative to the shared dir when it starts with "corpus/" */
} profile_list[] = {
	{ "docker-default", "Docker's default (moby-default-current.json)", "corpus/moby-default-current.json" },
	{ "production", "production.json (large allowlist)", "profiles/production.json" },
	{ "deny-dangerous", "deny-dangerous.json (denylist)", "profiles/deny-dangerous.json" },
	{ "minimal", "minimal.json (small allowlist)", "profiles/minimal.json" },
};

static int load_profile(struct bench *b, struct bench_profile *bp)
{
	struct sg_diags d;
	sg_diags_init(&d);
	int ok = sg_read_file(bp->path, &bp->text, &bp->len, &d) == 0;
	if (ok)
		bp->p = sg_profile_parse(bp->path, bp->text, bp->len, &d);
	struct sg_resolve_opts ro;
	bench_resolve_opts(bp, &ro);
	if (bp->p)
		bp->pol = sg_resolve(bp->p, &ro, &d);
	struct sg_compile_opts co;
	sg_compile_opts_init(&co);
	ok = bp->pol && sg_compile(bp->pol, &co, &bp->f[F_SYSGATE].prog, &d) == 0;
	if (!ok) {
		sg_diags_print(&d, stderr);
		fprintf(stderr, "bench: %s: sysgate cannot compile it\n", bp->path);
	}
	sg_diags_free(&d);
	if (!ok)
		return -1;

	const struct sg_arch *arches[SG_MAX_ARCHES];
	for (size_t i = 0; i < bp->pol->narches; i++)
		arches[i] = bp->pol->arches[i].arch;
	for (int f = F_LSC; f <= F_LSC_TREE; f++) {
		char what[600];
		snprintf(what, sizeof(what), "%s %s", bp->path, filter_name[f]);
		struct lsc_opts o = { .p = bp->p, .rule_used = bp->pol->rule_used, .arches = arches,
				      .narches = bp->pol->narches, .tree = f == F_LSC_TREE, .note_refused = 1,
				      .what = what };
		struct lsc_counts c = { 0 };
		if (lsc_build(&o, &bp->f[f].prog, &c) != 0) {
			fprintf(stderr, "bench: %s: libseccomp cannot build it\n", what);
			return -1;
		}
		bp->f[f].lib_unknown = c.unknown;
	}
	for (int f = F_SYSGATE; f < NFILTERS; f++) {
		char why[200];
		if (sg_bpf_check(bp->f[f].prog.insns, bp->f[f].prog.len, why, sizeof(why)) != 0) {
			fprintf(stderr, "bench: %s: %s's program: %s\n", bp->path, filter_name[f], why);
			return -1;
		}
		for (size_t a = 0; a < bp->pol->narches; a++)
			if (sg_measure(&bp->f[f].prog, bp->pol, a, SG_RET_KILL_PROCESS, &bp->f[f].st[a])) {
				fprintf(stderr, "bench: %s: out of memory\n", bp->path);
				return -1;
			}
	}
	for (size_t a = 0; a < bp->pol->narches; a++)
		if (bp->f[F_SYSGATE].st[a].mismatches) {
			fprintf(stderr, "bench: %s: sysgate's filter disagrees with the rules on %s\n", bp->path,
				bp->pol->arches[a].arch->name);
			return -1;
		}
	(void)b;
	return 0;
}

/* ---- the stats check ------------------------------------------------------------------ */

/* Docker's default: the figures here must be what `sysgate stats` prints;
 * the lines are formatted as stats formats them and compared as text. */
static void check_stats(struct bench *b, const struct bench_profile *bp)
{
	char expect[2048];
	size_t len = 0;
	const struct filter *f = &bp->f[F_SYSGATE];
	len += (size_t)snprintf(expect + len, sizeof(expect) - len, "program: %zu instructions (%zu bytes)\n",
				f->prog.len, f->prog.len * 8);
	len += (size_t)snprintf(expect + len, sizeof(expect) - len, "%-12s %7s %6s %4s %10s %9s %14s\n", "arch",
				"numbers", "mean", "max", "argfree-mean", "argfree-max", "cacheable");
	for (size_t a = 0; a < bp->pol->narches && len < sizeof(expect); a++) {
		const struct sg_arch_stats *s = &f->st[a];
		len += (size_t)snprintf(expect + len, sizeof(expect) - len, "%-12s %7zu %6.2f %4zu %12.2f %11zu %6zu/%zu (%.0f%%)\n",
					bp->pol->arches[a].arch->name, s->swept, s->mean, s->max, s->free_mean, s->free_max,
					s->cacheable, s->allow_free,
					s->allow_free ? 100.0 * (double)s->cacheable / (double)s->allow_free : 100.0);
	}
	snprintf(b->stats_cmd, sizeof(b->stats_cmd), "%s stats --arch x86_64 --arch x86 --arch x32 %s", b->sysgate,
		 bp->path);
	FILE *p = popen(b->stats_cmd, "r");
	char got[2048];
	size_t n = p ? fread(got, 1, sizeof(got) - 1, p) : 0;
	got[n] = '\0';
	int status = p ? pclose(p) : -1;
	b->stats_checked = 1;
	b->stats_match = status == 0 && strcmp(got, expect) == 0;
	if (!b->stats_match) {
		snprintf(b->stats_note, sizeof(b->stats_note), "exit status %d", status);
		fprintf(stderr, "bench: `%s` printed:\n%sbut the bench measured:\n%s", b->stats_cmd, got, expect);
	}
}

/* ---- main ------------------------------------------------------------------------------- */
static void usage(FILE *out)
{
	fputs("usage: sysgate-bench [--quick] [--out DIR] [--shared DIR] [--sysgate BIN] [--static BIN]\n"
	      "                     [--true-static BIN] [--syscalls BIN] [--cpu N]\n",
	      out);
}

/* The options into b: 0, or the exit status (-1: go on, 0: --help, 2: usage). */
static int parse_args(struct bench *b, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quick", no_argument, NULL, 'q' },         { "out", required_argument, NULL, 'o' },
		{ "shared", required_argument, NULL, 's' },  { "sysgate", required_argument, NULL, 'g' },
		{ "static", required_argument, NULL, 'S' },  { "true-static", required_argument, NULL, 't' },
		{ "cpu", required_argument, NULL, 'c' },     { "help", no_argument, NULL, 'h' },
		{ "syscalls", required_argument, NULL, 'y' }, { NULL, 0, NULL, 0 },
	};
	b->out_dir = "bench/results";
	b->shared = "../shared";
	b->sysgate = "build/sysgate";
	b->sysgate_static = "build/sysgate-static";
	b->true_static = "build/bench/true-static";
	b->syscalls_bin = "build/bench/syscalls-static";
	b->cpu = -1;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'q': b->quick = 1; break;
		case 'o': b->out_dir = optarg; break;
		case 's': b->shared = optarg; break;
		case 'g': b->sysgate = optarg; break;
		case 'S': b->sysgate_static = optarg; break;
		case 't': b->true_static = optarg; break;
		case 'y': b->syscalls_bin = optarg; break;
		case 'c': b->cpu = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return -1;
}

/* Repetitions, the CPU latency children are pinned to, the machine, the
 * priority, the temporary and output directories: 0, or -1. */
static int setup(struct bench *b)
{
	/* Latency: rounds x batches x calls per class and filter; the other
	 * parts: repetitions. Full: about two minutes on 2 cores. */
	if (b->quick) {
		b->rounds = 2, b->batches = 4, b->calls = 300, b->compile_reps = 10, b->process_runs = 15;
	} else {
		b->rounds = 40, b->batches = 10, b->calls = 2000, b->compile_reps = 200, b->process_runs = 300;
	}
	if (b->cpu < 0) { /* the last CPU this process may run on */
		cpu_set_t set;
		if (sched_getaffinity(0, sizeof(set), &set) == 0)
			for (int i = 0; i < CPU_SETSIZE; i++)
				if (CPU_ISSET(i, &set))
					b->cpu = i;
		if (b->cpu < 0)
			b->cpu = 0;
	}
	machine_info(b);
	/* other work on the machine takes less from the measurements at the
	 * highest priority (inherited by every child); root may raise it */
	if (setpriority(PRIO_PROCESS, 0, -20) != 0)
		progress("running at nice %d (raising the priority needs root)", getpriority(PRIO_PROCESS, 0));
	b->nice = getpriority(PRIO_PROCESS, 0);
	snprintf(b->tmpdir, sizeof(b->tmpdir), "/tmp/sysgate-bench-XXXXXX");
	if (!mkdtemp(b->tmpdir)) {
		perror("mkdtemp");
		return -1;
	}
	if (mkdir(b->out_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "bench: cannot create %s: %s\n", b->out_dir, strerror(errno));
		return -1;
	}
	/* libseccomp's filters are only exported here and loaded by the bench
	 * like sysgate's: no probing of the kernel (API level 6: KILL_PROCESS, LOG) */
	seccomp_api_set(6);
	return 0;
}

/* Every profile of profile_list that is present: loaded, its filters built
 * and its classes picked. 0, or -1 when one fails. */
static int load_profiles(struct bench *b)
{
	int failed = 0;
	for (size_t i = 0; i < N(profile_list); i++) {
		struct bench_profile *bp = &b->prof[b->nprof++];
		bp->key = profile_list[i].key;
		bp->title = profile_list[i].title;
		if (strncmp(profile_list[i].path, "corpus/", 7) == 0)
			snprintf(bp->path, sizeof(bp->path), "%s/%s", b->shared, profile_list[i].path);
		else
			snprintf(bp->path, sizeof(bp->path), "%s", profile_list[i].path);
		bp->present = access(bp->path, R_OK) == 0;
		if (!bp->present) {
			progress("SKIP %s: absent (its rows are left out)", bp->path);
			continue;
		}
		if (load_profile(b, bp) != 0) {
			failed = 1;
			bp->present = 0;
			continue;
		}
		pick_classes(b, bp);
		progress("%s: sysgate %zu, libseccomp %zu, libseccomp tree %zu instructions", bp->key,
			 bp->f[F_SYSGATE].prog.len, bp->f[F_LSC].prog.len, bp->f[F_LSC_TREE].prog.len);
		if (docker_explicit(bp))
			check_stats(b, bp);
	}
	if (b->stats_checked && !b->stats_match)
		failed = 1;
	return failed ? -1 : 0;
}

static void cleanup(struct bench *b)
{
	for (size_t i = 0; i < b->nprof; i++) {
		struct bench_profile *bp = &b->prof[i];
		for (int f = 0; f < NFILTERS; f++)
			sg_prog_free(&bp->f[f].prog);
		for (int k = 0; k < NCLASSES; k++)
			for (int f = 0; f < NFILTERS; f++)
				free(bp->cells[k][f].ns.v);
		for (int k = 0; k < NCOMPILE; k++)
			free(bp->compile[k].v);
		sg_policy_free(bp->pol);
		sg_profile_free(bp->p);
		free(bp->text);
	}
	for (size_t i = 0; i < b->ncmds; i++) {
		free(b->cmds[i].ms.v);
		for (size_t k = 0; b->cmds[i].argv[k]; k++)
			free(b->cmds[i].argv[k]);
	}
	free_record(b);
	static const char *const tmpfiles[] = { "docker.bpf", "out.bpf", "hyperfine.json", "callgrind.out" };
	for (size_t i = 0; i < N(tmpfiles); i++) {
		char path[sizeof(b->tmpdir) + 32];
		snprintf(path, sizeof(path), "%.*s/%s", (int)sizeof(b->tmpdir), b->tmpdir, tmpfiles[i]);
		unlink(path);
	}
	if (rmdir(b->tmpdir) != 0)
		progress("could not remove %s: %s", b->tmpdir, strerror(errno));
}

int main(int argc, char **argv)
{
	static struct bench bench;
	struct bench *b = &bench;
	int rc = parse_args(b, argc, argv);
	if (rc >= 0)
		return rc;
	setvbuf(stdout, NULL, _IOLBF, 0);
	double t0 = now_ns();
	if (setup(b) != 0)
		return 1;

	int failed = load_profiles(b) != 0;
	if (run_compile_inprocess(b) != 0)
		failed = 1;
	if (run_latency(b) != 0)
		failed = 1;
	if (run_processes(b) != 0)
		failed = 1;
	if (run_linear(b) != 0)
		failed = 1;
	if (run_record(b) != 0)
		failed = 1;
	b->loadavg_end = read_loadavg();
	b->seconds = (now_ns() - t0) / 1e9;

	print_report(b);
	if (write_results(b) != 0)
		failed = 1;
	progress("done in %.0f s%s", b->seconds, failed ? "; something failed (see above)" : "");
	cleanup(b);
	return failed;
}
