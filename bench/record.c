/* Recording overhead: each workload run plain, under `sysgate record -o
 * /dev/null` (every syscall a round trip to the supervisor through seccomp
 * user notification) and under `sysgate record --base B -o /dev/null`, B the
 * workload's own recording, made once before the timed runs (what B allows,
 * the kernel answers from its action cache; only the rest is notified). The
 * three take turns within each round, in an order that rotates from round to
 * round, so that machine noise hits them alike.
 *
 * The workloads: `python3 -c pass` as PATH finds it; the interpreter itself
 * (sys.executable) when that is another file — a pyenv shim is a bash script
 * that starts dozens of processes before the interpreter; and
 * bench/syscalls.c's N cheap calls, for the cost per notified call. The
 * notifications are counted in one more run of each recording with -v (its
 * per-syscall summary on stderr). Each run has a deadline: past it the
 * workload's process group is killed and the part fails. The part is
 * skipped, with a message, where user notification is unavailable
 * (`sysgate record -- true` exits 125: Linux < 5.5, or under valgrind). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

extern char **environ;

#define RUN_TIMEOUT_S 120 /* per run: the slowest, 100000 notified calls, takes about 2 s */
#define WARMUP_ROUNDS 1   /* full runs; in the quick one the counting runs are the warm-up */
#define TARGET_RATIO 3.0  /* the record issue's target: recording python3 -c pass costs at most 3x */

const char *const record_cfg_name[NRECORD_CFGS] = { "plain", "record", "record --base" };
static const char *const cfg_key[NRECORD_CFGS] = { "plain", "record", "record_base" };

/* ---- running a command ------------------------------------------------------------------- */

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

/* Waits for pid, or with pid negative for every child in the group -pid
 * until none is left; at the deadline (SIGALRM) the group is killed. The
 * bench is the group's subreaper while the record part runs, so record's
 * supervisor, which outlives the workload a little (-v's summary comes
 * then), is its child by the time the workload has ended. */
static void reap(pid_t pid, int *status, int *killed)
{
	int st;
	for (;;) {
		pid_t r = waitpid(pid, &st, 0);
		if (r > 0 && status) {
			*status = st;
			return;
		}
		if (r < 0 && errno != EINTR)
			return; /* ECHILD: nothing (more) to wait for */
		if (alarmed && !*killed) {
			*killed = 1;
			kill(pid > 0 ? -pid : pid, SIGKILL);
		}
	}
}

/* Runs argv in a process group of its own, stdin and stdout /dev/null,
 * stderr to err (NULL: /dev/null). The wall time in ms until argv[0]'s
 * process ends (the rest of its group is waited for after) and its wait
 * status in *status; -1 when it could not start, or ran past the deadline
 * and was killed with its group. */
static double run_timed(char *const argv[], const char *err, int *status)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, err ? err : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&at, 0);
	pid_t pid;
	int killed = 0;
	*status = 0;
	alarmed = 0;
	double t0 = now_ns(), t1 = t0;
	int rc = posix_spawn(&pid, argv[0], &fa, &at, argv, environ);
	if (rc == 0) {
		alarm(RUN_TIMEOUT_S);
		reap(pid, status, &killed);
		t1 = now_ns();
		reap(-pid, NULL, &killed);
		alarm(0);
	}
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0)
		fprintf(stderr, "bench: record: cannot run %s: %s\n", argv[0], strerror(rc));
	else if (killed)
		fprintf(stderr, "bench: record: `%s %s ...` or its group still ran after %d s: killed\n", argv[0],
			argv[1] ? argv[1] : "", RUN_TIMEOUT_S);
	return rc || killed ? -1 : (t1 - t0) / 1e6;
}

static int exited_0(int status) { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

/* One run that must succeed: its ms, or -1 (said why). */
static double run_ok(char *const argv[], const char *err)
{
	int status;
	double ms = run_timed(argv, err, &status);
	if (ms >= 0 && !exited_0(status)) {
		fprintf(stderr, "bench: record: `%s", argv[0]);
		for (size_t k = 1; argv[k] && k < 12; k++)
			fprintf(stderr, " %s", argv[k]);
		fprintf(stderr, "` failed (status 0x%x)\n", (unsigned)status);
		return -1;
	}
	return ms;
}

/* The last line of path that is not empty: sysgate's own message comes last. */
static void last_line(const char *path, char *buf, size_t n)
{
	char line[512];
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		size_t len = strlen(line) < n ? strlen(line) : n - 1;
		if (len) {
			memcpy(buf, line, len);
			buf[len] = '\0';
		}
	}
	if (f)
		fclose(f);
}

/* Whether `sysgate record` works here: 1; 0 when seccomp user notification
 * is unavailable (b->record_skip says so); -1 when it fails otherwise. */
static int record_works(struct bench *b)
{
	char err[sizeof(b->tmpdir) + 32], line[200];
	snprintf(err, sizeof(err), "%.*s/record-check.txt", (int)sizeof(b->tmpdir), b->tmpdir);
	char *const argv[] = { (char *)b->sysgate, "record", "-o", "/dev/null", "--", (char *)b->true_static, NULL };
	int status;
	double ms = run_timed(argv, err, &status);
	last_line(err, line, sizeof(line));
	unlink(err);
	if (ms >= 0 && exited_0(status))
		return 1;
	if (ms >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 125) {
		snprintf(b->record_skip, sizeof(b->record_skip),
			 "seccomp user notification is unavailable here (`sysgate record -- true` exits 125: %s)", line);
		return 0;
	}
	fprintf(stderr, "bench: record: `%s record -o /dev/null -- %s` failed (status 0x%x): %s\n", b->sysgate,
		b->true_static, (unsigned)status, line);
	return -1;
}

/* ---- the workloads ---------------------------------------------------------------------- */

/* name as execvp finds it, into out: 0, or -1 when it is nowhere on PATH. */
static int on_path(const char *name, char *out, size_t n)
{
	const char *path = getenv("PATH");
	if (strchr(name, '/') || !path) {
		snprintf(out, n, "%s", name);
		return access(out, X_OK);
	}
	for (const char *p = path; *p;) {
		size_t len = strcspn(p, ":");
		snprintf(out, n, "%.*s%s%s", (int)len, p, len ? "/" : "", name);
		if (access(out, X_OK) == 0)
			return 0;
		p += len + (p[len] == ':');
	}
	return -1;
}

/* The interpreter py runs in the end (sys.executable) into out, when that
 * is another file than py: 0; -1 when it is the same file or unknown. */
static int python_itself(const char *py, char *out, size_t n)
{
	char cmd[PATH_MAX + 64], a[PATH_MAX], c[PATH_MAX];
	snprintf(cmd, sizeof(cmd), "'%s' -c 'import sys; print(sys.executable)' 2>/dev/null", py);
	FILE *p = popen(cmd, "r");
	out[0] = '\0';
	if (p && fgets(out, (int)n, p))
		out[strcspn(out, "\n")] = '\0';
	if (p)
		pclose(p);
	if (!out[0] || !realpath(py, a) || !realpath(out, c))
		return -1;
	return strcmp(a, c) ? 0 : -1;
}

/* dst: pre (NULL-terminated), then cmd (NULL-terminated), each copied. */
static void set_argv(char **dst, size_t cap, const char *const *pre, const char *const *cmd)
{
	size_t k = 0;
	for (; *pre && k + 1 < cap; pre++)
		dst[k++] = strdup(*pre);
	for (; *cmd && k + 1 < cap; cmd++)
		dst[k++] = strdup(*cmd);
	dst[k] = NULL;
}

static void add_workload(struct bench *b, const char *key, const char *label, const char *const *cmd, long calls)
{
	struct record_workload *w = &b->rec[b->nrec++];
	w->key = key;
	w->calls = calls;
	snprintf(w->label, sizeof(w->label), "%s", label);
	snprintf(w->path, sizeof(w->path), "%s", cmd[0]);
	snprintf(w->base, sizeof(w->base), "%.*s/base-%s.json", (int)sizeof(b->tmpdir), b->tmpdir, key);
	const char *const none[] = { NULL };
	const char *const rec[] = { b->sysgate, "record", "-o", "/dev/null", "--", NULL };
	const char *const base[] = { b->sysgate, "record", "--base", w->base, "-o", "/dev/null", "--", NULL };
	set_argv(w->argv[R_PLAIN], N(w->argv[R_PLAIN]), none, cmd);
	set_argv(w->argv[R_RECORD], N(w->argv[R_RECORD]), rec, cmd);
	set_argv(w->argv[R_BASE], N(w->argv[R_BASE]), base, cmd);
}

static void add_workloads(struct bench *b)
{
	static char py[PATH_MAX], itself[PATH_MAX], n[32];
	if (on_path("python3", py, sizeof(py)) == 0) {
		const char *const cmd[] = { py, "-c", "pass", NULL };
		add_workload(b, "python3", "python3 -c pass", cmd, 0);
		/* the quick run (a smoke check, inside make test) leaves it out */
		if (!b->quick && python_itself(py, itself, sizeof(itself)) == 0) {
			const char *const cmd2[] = { itself, "-c", "pass", NULL };
			add_workload(b, "python3-itself", "python3 -c pass, the interpreter itself", cmd2, 0);
		}
	} else {
		progress("SKIP record: python3 -c pass: no python3 on PATH (its rows are left out)");
	}
	snprintf(n, sizeof(n), "%ld", b->record_calls);
	const char *const cmd[] = { b->syscalls_bin, n, NULL };
	char label[64];
	snprintf(label, sizeof(label), "bench/syscalls.c: %ld cheap calls", b->record_calls);
	add_workload(b, "syscalls", label, cmd, b->record_calls);
}

/* ---- counting the notifications ------------------------------------------------------------ */

/* `record -v`'s summary (syscall, arch, count, action under a header line)
 * in path: the calls notified, and of them clones and execs. */
static int read_summary(const char *path, long *total, long *clones, long *execs)
{
	FILE *f = fopen(path, "r");
	char line[512], name[64], arch[32];
	long count;
	int in = 0;
	*total = *clones = *execs = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "syscall ", 8) == 0) {
			in = 1;
			continue;
		}
		if (!in || sscanf(line, "%63s %31s %ld", name, arch, &count) != 3)
			continue;
		*total += count;
		if (!strcmp(name, "clone") || !strcmp(name, "clone3") || !strcmp(name, "fork") || !strcmp(name, "vfork"))
			*clones += count;
		if (!strcmp(name, "execve") || !strcmp(name, "execveat"))
			*execs += count;
	}
	if (f)
		fclose(f);
	return in ? 0 : -1;
}

/* One run of each recording with -v: record writes B; record --base
 * counts what B leaves to the supervisor. 0, or -1. */
static int count_notified(struct bench *b, struct record_workload *w)
{
	char err[sizeof(b->tmpdir) + 32];
	snprintf(err, sizeof(err), "%.*s/record-summary.txt", (int)sizeof(b->tmpdir), b->tmpdir);
	for (int cfg = R_RECORD; cfg <= R_BASE; cfg++) {
		const char *const rec[] = { b->sysgate, "record", "-v", "-o", w->base, "--", NULL };
		const char *const base[] = { b->sysgate, "record", "-v", "--base", w->base, "-o", "/dev/null", "--", NULL };
		char *argv[24];
		set_argv(argv, N(argv), cfg == R_RECORD ? rec : base, (const char *const *)w->argv[R_PLAIN]);
		double ms = run_ok(argv, err);
		for (size_t k = 0; argv[k]; k++)
			free(argv[k]);
		long clones, execs;
		if (ms < 0 || read_summary(err, &w->notified[cfg], &clones, &execs) != 0) {
			fprintf(stderr, "bench: record: %s: %s\n", w->key,
				ms < 0 ? "a counting run failed" : "no summary in `record -v`'s output");
			unlink(err);
			return -1;
		}
		if (cfg == R_RECORD)
			w->clones = clones, w->execs = execs;
	}
	unlink(err);
	return 0;
}

/* ---- the reference: a round trip between two processes ------------------------------------------ */

/* What a notification costs at the least: the workload stops, the
 * supervisor runs, the workload runs again — two switches between
 * processes. Here a byte through a pipe and back, n times, between this
 * process and a child, unpinned as record is: ns per round trip, or -1. */
static double pipe_round_trip_ns(unsigned n)
{
	int there[2], back[2];
	if (pipe(there) != 0)
		return -1;
	if (pipe(back) != 0) {
		close(there[0]), close(there[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(there[1]), close(back[0]);
		while (read(there[0], &c, 1) == 1 && write(back[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(there[0]), close(back[1]);
	double t0 = now_ns(), t1 = -1;
	char c = 'x';
	unsigned i = 0;
	while (pid > 0 && i < n && write(there[1], &c, 1) == 1 && read(back[0], &c, 1) == 1)
		i++;
	if (i == n)
		t1 = now_ns();
	close(there[1]), close(back[0]); /* the child's read sees the end */
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	return t1 < 0 ? -1 : (t1 - t0) / n;
}

static void measure_pipe(struct bench *b)
{
	struct samples s = { 0 };
	for (int rep = 0; rep < 5; rep++) {
		double ns = pipe_round_trip_ns(b->quick ? 2000 : 20000);
		if (ns > 0)
			samples_add(&s, ns);
	}
	struct summary sum;
	summarize(&s, &sum);
	b->record_pipe_ns = sum.median;
	free(s.v);
}

/* ---- the timed rounds ------------------------------------------------------------------------ */

static int run_rounds(struct bench *b)
{
	unsigned warm = b->quick ? 0 : WARMUP_ROUNDS;
	for (unsigned r = 0; r < warm + b->record_rounds; r++)
		for (size_t i = 0; i < b->nrec; i++)
			for (unsigned j = 0; j < NRECORD_CFGS; j++) {
				struct record_workload *w = &b->rec[i];
				int cfg = (int)((j + r + i) % NRECORD_CFGS);
				double ms = run_ok(w->argv[cfg], NULL);
				if (ms < 0)
					return -1;
				if (r >= warm)
					samples_add(&w->ms[cfg], ms);
			}
	for (size_t i = 0; i < b->nrec; i++)
		for (int cfg = 0; cfg < NRECORD_CFGS; cfg++)
			summarize(&b->rec[i].ms[cfg], &b->rec[i].s[cfg]);
	return 0;
}

int run_record(struct bench *b)
{
	if (b->quick)
		b->record_rounds = 2, b->record_calls = 5000;
	else
		b->record_rounds = 15, b->record_calls = 100000;
	struct sigaction sa = { 0 };
	sa.sa_handler = on_alarm; /* no SA_RESTART: the wait returns EINTR at the deadline */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	/* orphans of a run (record's supervisor) become the bench's children, to be waited for */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	int works = record_works(b);
	if (works <= 0) {
		if (works == 0)
			progress("SKIP record: %s", b->record_skip);
		prctl(PR_SET_CHILD_SUBREAPER, 0);
		return works;
	}
	add_workloads(b);
	progress("record: %zu workloads, %u rounds of plain, record and record --base, interleaved", b->nrec,
		 b->record_rounds);
	int rc = 0;
	for (size_t i = 0; i < b->nrec && rc == 0; i++)
		rc = count_notified(b, &b->rec[i]);
	if (rc == 0)
		rc = run_rounds(b);
	measure_pipe(b);
	for (size_t i = 0; i < b->nrec; i++)
		unlink(b->rec[i].base);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	return rc;
}

void free_record(struct bench *b)
{
	for (size_t i = 0; i < b->nrec; i++)
		for (int cfg = 0; cfg < NRECORD_CFGS; cfg++) {
			free(b->rec[i].ms[cfg].v);
			for (size_t k = 0; b->rec[i].argv[cfg][k]; k++)
				free(b->rec[i].argv[cfg][k]);
		}
}

/* ---- the report --------------------------------------------------------------------------- */

static int measured(const struct record_workload *w)
{
	return w->s[R_PLAIN].n && w->s[R_RECORD].n && w->s[R_BASE].n;
}

static double ratio(const struct record_workload *w, int cfg)
{
	return w->s[cfg].median / w->s[R_PLAIN].median;
}

/* The cost of a notified call, ns: record's median over record --base's,
 * over the calls record notifies beyond those --base does. Both start
 * the same way (a supervisor, a filter, the profile written at the end),
 * so that cost cancels; 0 when record notifies no more. */
static double per_call_ns(const struct record_workload *w)
{
	long n = w->notified[R_RECORD] - w->notified[R_BASE];
	return n > 0 ? (w->s[R_RECORD].median - w->s[R_BASE].median) * 1e6 / (double)n : 0;
}

/* The python3 workload as PATH finds it, which the target is about. */
static const struct record_workload *target_workload(const struct bench *b)
{
	for (size_t i = 0; i < b->nrec; i++)
		if (!strcmp(b->rec[i].key, "python3") && measured(&b->rec[i]))
			return &b->rec[i];
	return NULL;
}

static void print_target(const struct bench *b, FILE *f)
{
	const struct record_workload *w = target_workload(b);
	if (!w)
		return;
	double x = ratio(w, R_RECORD);
	fprintf(f, "\ntarget (the record issue): recording `python3 -c pass` costs at most %.0fx the plain run: %s, "
		   "%.2fx (%.0f ms against %.0f ms)\n", TARGET_RATIO, x <= TARGET_RATIO ? "met" : "NOT MET", x,
		w->s[R_RECORD].median, w->s[R_PLAIN].median);
}

static void print_workload(const struct record_workload *w)
{
	printf("%s\n    %s\n", w->label, w->path);
	for (int cfg = 0; cfg < NRECORD_CFGS; cfg++) {
		const struct summary *s = &w->s[cfg];
		printf("  %-16s %10.2f %7.1f%% %10.2f", record_cfg_name[cfg], s->median, spread_pct(s), s->min);
		if (cfg == R_PLAIN)
			printf(" %9s %10s\n", "-", "-");
		else
			printf(" %8.2fx %10ld\n", ratio(w, cfg), w->notified[cfg]);
	}
	printf("  over plain: record %+.1f ms, record --base %+.1f ms; per notified call %.1f us\n",
	       w->s[R_RECORD].median - w->s[R_PLAIN].median, w->s[R_BASE].median - w->s[R_PLAIN].median,
	       per_call_ns(w) / 1e3);
	if (w->calls)
		printf("  plain: %.2f us per call of the loop (start-up included)\n", w->s[R_PLAIN].median * 1e3 /
		       (double)w->calls);
	if (w->clones)
		printf("  note: it starts %ld processes or threads (clone calls seen by record) and makes %ld execve\n"
		       "  calls%s: every call of each is notified\n", w->clones, w->execs,
		       strcmp(w->key, "python3") ? "" : " (python3 on PATH is a wrapper, as pyenv's shim is)");
}

void print_record(const struct bench *b)
{
	printf("\nRecording overhead: ms per run (posix_spawn + wait of the whole command; median, spread, min over %u\n"
	       "interleaved rounds), the ratio to the plain run's median, and the calls notified to the supervisor\n"
	       "(a counting run with -v). record = sysgate record -o /dev/null -- CMD; record --base = sysgate record\n"
	       "--base B -o /dev/null -- CMD, B the workload's own recording; sysgate = %s, not pinned.\n"
	       "Per notified call: (record - record --base) / (their difference in notified calls).\n\n",
	       b->record_rounds, b->sysgate);
	if (b->record_skip[0]) {
		printf("skipped: %s\n", b->record_skip);
		return;
	}
	printf("%-18s %10s %8s %10s %9s %10s\n", "workload", "median", "spread", "min", "x plain", "notified");
	for (size_t i = 0; i < b->nrec; i++)
		if (measured(&b->rec[i]))
			print_workload(&b->rec[i]);
	if (b->record_pipe_ns > 0)
		printf("\nreference: a byte through a pipe to another process and back (two switches between processes,\n"
		       "as a notification makes) costs %.1f us here\n", b->record_pipe_ns / 1e3);
	print_target(b, stdout);
}

/* ---- files ----------------------------------------------------------------------------------- */

int write_record_csv(const struct bench *b, FILE *f)
{
	fprintf(f, "workload,config,command,median_ms,min_ms,p25_ms,p75_ms,max_ms,runs,ratio_to_plain,notified,"
		   "clones,execs\n");
	for (size_t i = 0; i < b->nrec; i++) {
		const struct record_workload *w = &b->rec[i];
		for (int cfg = 0; cfg < NRECORD_CFGS && measured(w); cfg++) {
			const struct summary *s = &w->s[cfg];
			char line[1024];
			size_t len = 0;
			line[0] = '\0';
			for (size_t k = 0; w->argv[cfg][k] && len < sizeof(line); k++) /* the base: B, as in the table */
				len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", k ? " " : "",
							strcmp(w->argv[cfg][k], w->base) ? w->argv[cfg][k] : "B");
			fprintf(f, "%s,%s,", w->key, cfg_key[cfg]);
			csv_str(f, line);
			fprintf(f, ",%.3f,%.3f,%.3f,%.3f,%.3f,%zu,%.4f,%ld,%ld,%ld\n", s->median, s->min, s->p25, s->p75,
				s->max, s->n, ratio(w, cfg), w->notified[cfg], w->clones, w->execs);
		}
	}
	return ferror(f) ? -1 : 0;
}

void write_record_json(const struct bench *b, FILE *f)
{
	fprintf(f, "  \"record\": {\"rounds\": %u, \"skipped\": ", b->record_rounds);
	json_str(f, b->record_skip);
	fprintf(f, ", \"target_ratio\": %.1f, \"pipe_round_trip_ns\": %.1f, \"workloads\": [", TARGET_RATIO,
		b->record_pipe_ns);
	int first = 1;
	for (size_t i = 0; i < b->nrec; i++) {
		const struct record_workload *w = &b->rec[i];
		if (!measured(w))
			continue;
		fprintf(f, "%s\n    {\"key\": \"%s\", \"label\": ", first ? "" : ",", w->key);
		first = 0;
		json_str(f, w->label);
		fprintf(f, ", \"path\": ");
		json_str(f, w->path);
		fprintf(f, ", \"loop_calls\": %ld, \"clones\": %ld, \"execs\": %ld, \"ns_per_notified_call\": %.1f",
			w->calls, w->clones, w->execs, per_call_ns(w));
		for (int cfg = 0; cfg < NRECORD_CFGS; cfg++) {
			fprintf(f, ",\n     \"%s\": {\"ms\": ", cfg_key[cfg]);
			json_summary(f, &w->s[cfg]);
			fprintf(f, ", \"ratio_to_plain\": %.4f, \"notified\": %ld}", ratio(w, cfg), w->notified[cfg]);
		}
		fprintf(f, "}");
	}
	fprintf(f, "\n  ]},\n");
}

void write_record_md(const struct bench *b, FILE *f)
{
	fprintf(f, "\nRecording overhead, ms per run (median ± spread over %u interleaved rounds) and the ratio to "
		   "the plain run; notified: calls sent to the supervisor (record / record --base):\n\n", b->record_rounds);
	if (b->record_skip[0]) {
		fprintf(f, "Skipped: %s\n", b->record_skip);
		return;
	}
	fprintf(f, "| workload | plain | record | record --base | notified | per notified call |\n"
		   "|---|--:|--:|--:|--:|--:|\n");
	for (size_t i = 0; i < b->nrec; i++) {
		const struct record_workload *w = &b->rec[i];
		if (!measured(w))
			continue;
		fprintf(f, "| %s (`%s`", w->label, w->path);
		if (w->clones)
			fprintf(f, ", %ld clone and %ld execve calls", w->clones, w->execs);
		fprintf(f, ") | %.1f ± %.1f %% |", w->s[R_PLAIN].median, spread_pct(&w->s[R_PLAIN]));
		for (int cfg = R_RECORD; cfg <= R_BASE; cfg++)
			fprintf(f, " %.1f ± %.1f %% (%.2f×) |", w->s[cfg].median, spread_pct(&w->s[cfg]), ratio(w, cfg));
		fprintf(f, " %ld / %ld | %.1f µs |\n", w->notified[R_RECORD], w->notified[R_BASE], per_call_ns(w) / 1e3);
	}
	if (b->record_pipe_ns > 0)
		fprintf(f, "\nPer notified call: (record − record --base) / (their difference in notified calls). For "
			   "comparison, a byte through a pipe to another process and back costs %.1f µs here.\n",
			b->record_pipe_ns / 1e3);
	print_target(b, f);
}
