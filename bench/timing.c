/* Compile time in process (profile -> BPF, many repetitions), and whole
 * processes: `sysgate compile` against a static `true`, start-up of
 * `sysgate exec` against /bin/true; measured with an interleaved
 * posix_spawn/wait loop, and with hyperfine when it is installed. */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "lsc_build.h"
#include "sysgate/emit.h"
#include "sysgate/plan.h"

extern char **environ;

/* ---- in process --------------------------------------------------------------------- */

/* One sysgate compile from the profile's text; *parsed gets the time the parse took. */
static int sysgate_once(const struct bench_profile *bp, double *total, double *parsed)
{
	struct sg_diags d;
	sg_diags_init(&d);
	double t0 = now_ns();
	struct sg_profile *p = sg_profile_parse(bp->path, bp->text, bp->len, &d);
	double t1 = now_ns();
	struct sg_resolve_opts ro;
	bench_resolve_opts(bp, &ro);
	struct sg_policy *pol = p ? sg_resolve(p, &ro, &d) : NULL;
	struct sg_compile_opts co;
	sg_compile_opts_init(&co);
	struct sg_prog prog = { 0 };
	unsigned char *raw = NULL;
	size_t rawlen = 0;
	int ok = pol && sg_compile(pol, &co, &prog, &d) == 0 &&
		 sg_prog_to_raw(&prog, pol->arches[0].arch->endian, &raw, &rawlen) == 0;
	double t2 = now_ns();
	/* the very program the latency runs load */
	const struct sg_prog *want = &bp->f[F_SYSGATE].prog;
	ok = ok && prog.len == want->len && memcmp(prog.insns, want->insns, prog.len * sizeof(*prog.insns)) == 0;
	free(raw);
	sg_prog_free(&prog);
	sg_policy_free(pol);
	sg_profile_free(p);
	sg_diags_free(&d);
	*total = (t2 - t0) / 1e3;
	*parsed = (t1 - t0) / 1e3;
	return ok ? 0 : -1;
}

/* One libseccomp build from the parsed profile: rule adds and export. */
static int lsc_once(const struct bench_profile *bp, int tree, int fd, double *us)
{
	const struct sg_arch *arches[SG_MAX_ARCHES];
	for (size_t i = 0; i < bp->pol->narches; i++)
		arches[i] = bp->pol->arches[i].arch;
	struct lsc_opts o = { .p = bp->p, .rule_used = bp->pol->rule_used, .arches = arches,
			      .narches = bp->pol->narches, .tree = tree, .what = bp->path };
	if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	double t0 = now_ns();
	scmp_filter_ctx ctx = lsc_build_ctx(&o, NULL);
	int rc = ctx ? seccomp_export_bpf(ctx, fd) : -1;
	double t1 = now_ns();
	if (ctx)
		seccomp_release(ctx);
	*us = (t1 - t0) / 1e3;
	return rc == 0 && lseek(fd, 0, SEEK_END) == (off_t)(bp->f[tree ? F_LSC_TREE : F_LSC].prog.len * 8) ? 0 : -1;
}

int run_compile_inprocess(struct bench *b)
{
	int fd = memfd_create("sysgate-bench", 0);
	if (fd < 0) {
		perror("memfd_create");
		return -1;
	}
	const unsigned warm = 3;
	progress("compile in process: %u repetitions per profile and compiler", b->compile_reps);
	for (unsigned rep = 0; rep < warm + b->compile_reps; rep++) {
		for (size_t i = 0; i < b->nprof; i++) {
			struct bench_profile *bp = &b->prof[i];
			if (!bp->present)
				continue;
			for (unsigned j = 0; j < 3; j++) { /* interleaved, the order rotating */
				unsigned which = (j + rep) % 3;
				double us, parsed;
				int rc = which == 0 ? sysgate_once(bp, &us, &parsed) : lsc_once(bp, which == 2, fd, &us);
				if (rc != 0) {
					fprintf(stderr, "bench: %s: %s compile failed or gave another program\n", bp->key,
						which == 0 ? "sysgate" : filter_name[which + 1]);
					close(fd);
					return -1;
				}
				if (rep < warm)
					continue;
				if (which == 0) {
					samples_add(&bp->compile[K_SYSGATE], us);
					samples_add(&bp->compile[K_SYSGATE_NOPARSE], us - parsed);
				} else {
					samples_add(&bp->compile[which == 1 ? K_LSC : K_LSC_TREE], us);
				}
			}
		}
	}
	close(fd);
	for (size_t i = 0; i < b->nprof; i++)
		for (int k = 0; k < NCOMPILE; k++)
			summarize(&b->prof[i].compile[k], &b->prof[i].compile_s[k]);
	return 0;
}

/* ---- whole processes --------------------------------------------------------------------- */

static struct command *add_cmd(struct bench *b, const char *key, const char *label, int group, int baseline,
			       const char *const *argv)
{
	struct command *c = &b->cmds[b->ncmds++];
	c->key = key;
	c->label = label;
	c->group = group;
	c->baseline = baseline;
	for (size_t i = 0; argv[i] && i + 1 < N(c->argv); i++)
		c->argv[i] = strdup(argv[i]);
	return c;
}

/* Runs argv once with its output to /dev/null; the wall time in ms, or -1 if it fails. */
static double run_once(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	double t0 = now_ns();
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	int status = 0;
	if (rc == 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	double t1 = now_ns();
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: `%s ...` failed (%s, status 0x%x)\n", argv[0], rc ? strerror(rc) : "ran",
			(unsigned)status);
		return -1;
	}
	return (t1 - t0) / 1e6;
}

/* hyperfine's mean and standard deviation per command, from its JSON export
 * (results in the order given): ms. */
static void run_hyperfine(struct bench *b)
{
	if (system("command -v hyperfine >/dev/null 2>&1") != 0) {
		progress("hyperfine not installed: only the bench's own loop (apt-get install hyperfine adds it)");
		return;
	}
	char json[400], cmd[8192];
	snprintf(json, sizeof(json), "%s/hyperfine.json", b->tmpdir);
	size_t len = (size_t)snprintf(cmd, sizeof(cmd), "hyperfine -N --style basic -w 20 -r %u --export-json '%s'",
				      b->process_runs, json);
	for (size_t i = 0; i < b->ncmds; i++) {
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, " '");
		for (size_t k = 0; b->cmds[i].argv[k]; k++)
			len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, "%s%s", k ? " " : "", b->cmds[i].argv[k]);
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, "'");
	}
	len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, " >&2");
	progress("running: %s", cmd);
	if (len >= sizeof(cmd) || system(cmd) != 0) {
		progress("hyperfine failed: its figures are left out");
		return;
	}
	FILE *f = fopen(json, "r");
	static char text[1 << 20];
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	if (f)
		fclose(f);
	text[n] = '\0';
	const char *pos = text;
	for (size_t i = 0; i < b->ncmds; i++) {
		const char *mean = strstr(pos, "\"mean\":"), *sd = mean ? strstr(mean, "\"stddev\":") : NULL;
		if (!mean || !sd) {
			progress("hyperfine's JSON: no result for %s", b->cmds[i].key);
			return;
		}
		b->cmds[i].hf_mean = strtod(mean + 7, NULL) * 1e3;
		b->cmds[i].hf_stddev = strtod(sd + 9, NULL) * 1e3;
		pos = sd;
	}
	b->hyperfine = 1;
}

/* What `bin compile profile -o /dev/null` executes under callgrind: its
 * total Ir (callgrind.out's "summary:" line), or 0. A count the machine's
 * noise does not move: the figure the compile-cost work is held to. */
static unsigned long long compile_ir(const struct bench *b, const char *bin, const char *profile)
{
	char out[400], cmd[1400], line[256];
	snprintf(out, sizeof(out), "%s/callgrind.out", b->tmpdir);
	snprintf(cmd, sizeof(cmd), "valgrind --tool=callgrind --callgrind-out-file='%s' '%s' compile '%s' -o /dev/null "
		 ">/dev/null 2>&1", out, bin, profile);
	if (system(cmd) != 0)
		return 0;
	FILE *f = fopen(out, "r");
	unsigned long long ir = 0;
	while (f && !ir && fgets(line, sizeof(line), f))
		if (strncmp(line, "summary:", 8) == 0)
			ir = strtoull(line + 8, NULL, 10);
	if (f)
		fclose(f);
	return ir;
}

static void count_compile_ir(struct bench *b, const char *profile)
{
	if (system("command -v valgrind >/dev/null 2>&1") != 0) {
		snprintf(b->ir_note, sizeof(b->ir_note), "valgrind not installed: no instruction count "
			 "(apt-get install valgrind adds it)");
		progress("%s", b->ir_note);
		return;
	}
	progress("callgrind: sysgate compile PROFILE -o /dev/null, the glibc and the static build");
	b->compile_ir[0] = compile_ir(b, b->sysgate, profile);
	b->compile_ir[1] = compile_ir(b, b->sysgate_static, profile);
	if (!b->compile_ir[0] || !b->compile_ir[1])
		snprintf(b->ir_note, sizeof(b->ir_note), "callgrind failed: a count is missing");
}

int run_processes(struct bench *b)
{
	const char *S = b->sysgate_static;
	if (access(S, X_OK) != 0 || access(b->true_static, X_OK) != 0) {
		fprintf(stderr, "bench: %s or %s is missing (make static; make bench builds both)\n", S, b->true_static);
		return -1;
	}
	/* the profile: Docker's default, else the embedded default's source */
	const char *profile = "profiles/runtime-default.json";
	for (size_t i = 0; i < b->nprof; i++)
		if (b->prof[i].present && strcmp(b->prof[i].key, "docker-default") == 0)
			profile = b->prof[i].path;
	b->process_profile = profile;
	char bpf[400], out[400];
	snprintf(bpf, sizeof(bpf), "%s/docker.bpf", b->tmpdir);
	snprintf(out, sizeof(out), "%s/out.bpf", b->tmpdir);
	const char *prep[] = { S, "compile", profile, "-o", bpf, NULL };
	if (run_once((char *const *)prep) < 0)
		return -1;

	const char *t_true[] = { "/bin/true", NULL };
	const char *t_default[] = { S, "exec", "--", "/bin/true", NULL };
	const char *t_bpf[] = { S, "exec", "--bpf", bpf, "--", "/bin/true", NULL };
	const char *t_profile[] = { S, "exec", "-p", profile, "--", "/bin/true", NULL };
	const char *t_static[] = { b->true_static, NULL };
	const char *t_compile[] = { S, "compile", profile, "-o", out, NULL };
	add_cmd(b, "true", "/bin/true", 0, 1, t_true);
	add_cmd(b, "exec-default", "sysgate exec -- /bin/true (embedded default, precompiled)", 0, 0, t_default);
	add_cmd(b, "exec-bpf", "sysgate exec --bpf docker.bpf -- /bin/true", 0, 0, t_bpf);
	add_cmd(b, "exec-profile", "sysgate exec -p PROFILE -- /bin/true (compiles)", 0, 0, t_profile);
	add_cmd(b, "true-static", "static true (musl)", 1, 1, t_static);
	add_cmd(b, "compile", "sysgate compile PROFILE -o out.bpf", 1, 0, t_compile);

	progress("processes: %u runs of each of %zu commands, interleaved (PROFILE = %s)", b->process_runs, b->ncmds,
		 profile);
	const unsigned warm = 5;
	for (unsigned r = 0; r < warm + b->process_runs; r++)
		for (size_t j = 0; j < b->ncmds; j++) {
			struct command *c = &b->cmds[(j + r) % b->ncmds];
			double ms = run_once(c->argv);
			if (ms < 0)
				return -1;
			if (r >= warm)
				samples_add(&c->ms, ms);
		}
	for (size_t i = 0; i < b->ncmds; i++)
		summarize(&b->cmds[i].ms, &b->cmds[i].s);
	if (!b->quick)
		run_hyperfine(b);
	count_compile_ir(b, profile);
	return 0;
}
