/* sysgate's benchmark harness (make bench): per-syscall filter latency of
 * sysgate and libseccomp filters built from the same profiles, exact figures
 * from the emulator, compile time and start-up, and the cost per MB of the
 * worst shapes of input. See README.md, Performance.
 *
 *   main.c     options, profiles, filters, exact figures, the stats check
 *   latency.c  syscall classes, one forked child per filter and round
 *   timing.c   compile time in-process, whole-process runs, start-up
 *   linear.c   the cost per MB of the worst shapes of input (tests/shapes.c),
 *              and its table and its parts of the CSV, JSON and summary files
 *   record.c   recording overhead: workloads plain, under `sysgate record`
 *              and under `sysgate record --base`, and its table and its
 *              parts of the CSV, JSON and summary files
 *   report.c   the table on stdout, CSV, JSON and the SVG chart
 *   common.c   names of filters, classes and compilers, sample statistics,
 *              the clock, progress(), quoting, how a profile is resolved
 *
 * main.c calls latency.c, timing.c, linear.c, record.c and report.c;
 * report.c calls linear.c's and record.c's writers, and otherwise those
 * five call only common.c, never each other or main.c; common.c calls none
 * of them.
 */
#ifndef SYSGATE_BENCH_H
#define SYSGATE_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sysgate/bpf.h"
#include "sysgate/measure.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- filters and syscall classes ---------------------------------------------------- */

enum filter_id { F_NONE, F_SYSGATE, F_LSC, F_LSC_TREE, NFILTERS };

enum class_id { C_CACHED, C_ARGCHECK, C_DENIED, C_UNKNOWN, C_X32, NCLASSES };

/* Order statistics of a sample set. */
struct summary {
	double median, min, p25, p75, max;
	size_t n;
};

struct samples {
	double *v;
	size_t n, cap;
};

/* The call a class makes on one profile. */
struct class_pick {
	int available;     /* 0: n/a for this profile, see why */
	char why[128];
	char label[64];    /* "getppid()", "personality(0xffffffff)", "nr 1000", ... */
	uint32_t nr;       /* as the kernel sees it in seccomp_data.nr */
	uint64_t args[6];
	uint32_t action;   /* what the profile's rules say (sg_policy_eval) */
	int argfree;       /* the decision needs no argument */
};

/* One class x filter on one profile. */
struct cell {
	int runnable;       /* the call does not kill or trap under this filter */
	uint32_t action;    /* the filter's action, emulated */
	size_t executed;    /* instructions the filter executes for the call, emulated */
	int cached;         /* the kernel's action cache skips the filter */
	struct samples ns;  /* ns per call, one per batch */
	struct summary s;
	int observed;       /* the child reported the call's result */
	long ret;           /* the first call's return value and errno, in the child */
	int err;
};

struct filter {
	struct sg_prog prog;          /* empty for F_NONE */
	struct sg_arch_stats st[SG_MAX_ARCHES];
	size_t lib_unknown;           /* libseccomp: names it does not know (rules skipped) */
};

/* Compile time in process: microseconds per repetition. */
enum compile_id { K_SYSGATE, K_SYSGATE_NOPARSE, K_LSC, K_LSC_TREE, NCOMPILE };

struct bench_profile {
	const char *key;   /* "docker-default" */
	const char *title; /* "Docker's default" */
	char path[512];
	int present;
	char *text;
	size_t len;
	struct sg_profile *p;
	struct sg_policy *pol;
	struct filter f[NFILTERS];
	struct class_pick cls[NCLASSES];
	struct cell cells[NCLASSES][NFILTERS];
	struct samples compile[NCOMPILE];
	struct summary compile_s[NCOMPILE];
};

/* Whole-process timings (milliseconds per run). */
#define MAX_CMDS 8
struct command {
	const char *key;   /* "true", "exec-default", ... */
	const char *label; /* what the table shows */
	char *argv[16];
	int group;         /* 0: start-up, 1: compile (whole process) */
	int baseline;      /* the command the others in its group are compared with */
	struct samples ms;
	struct summary s;
	double hf_mean, hf_stddev; /* hyperfine's, ms; 0 when not run */
};

/* The cost of the worst shapes of input (tests/shapes.c) as they grow: ms
 * per command at each size, the minimum over the runs (-1: not run). */
#define LINEAR_SIZES 3
enum linear_cmd { L_CHECK, L_COMPILE, L_EXEC, NLINEAR_CMDS };
struct linear_row {
	const char *shape, *what;
	double ms[NLINEAR_CMDS][LINEAR_SIZES];  /* wall */
	double cpu[NLINEAR_CMDS][LINEAR_SIZES]; /* user + system */
};

/* Recording overhead (record.c): each workload plain, under `sysgate record
 * -o /dev/null` and under `sysgate record --base B -o /dev/null`, B its own
 * recording. */
enum record_cfg { R_PLAIN, R_RECORD, R_BASE, NRECORD_CFGS };
#define MAX_RECORD_WORKLOADS 3
struct record_workload {
	const char *key;           /* "python3", "python3-direct", "syscalls" */
	char label[128];           /* what the table shows: "python3 -c pass" */
	char path[256];            /* the program run */
	char base[300];            /* B: the workload's own recording */
	char *argv[NRECORD_CFGS][16];
	long calls;                /* the calls of its loop (bench/syscalls.c), else 0 */
	long notified[NRECORD_CFGS]; /* notifications in a counting run with -v (plain: 0) */
	long clones, execs;        /* clone, clone3, fork, vfork and execve calls seen by record */
	struct samples ms[NRECORD_CFGS];
	struct summary s[NRECORD_CFGS];
};

struct bench {
	int quick;
	const char *out_dir;
	const char *shared;
	const char *sysgate;        /* glibc build, for the stats check */
	const char *sysgate_static; /* what start-up and whole-process compile run */
	const char *true_static;
	int cpu;                    /* the CPU latency children are pinned to */
	unsigned rounds, batches, calls, compile_reps, process_runs;
	struct bench_profile prof[4];
	size_t nprof;
	struct command cmds[MAX_CMDS];
	size_t ncmds;
	int hyperfine; /* hyperfine was found and run */
	char tmpdir[256];
	const char *process_profile; /* PROFILE in the whole-process commands */
	/* the instructions a whole `sysgate compile PROFILE -o /dev/null` executes
	 * (valgrind's callgrind, total Ir: the loader, parse, resolve, plan,
	 * emit, exit), by the glibc build [0] and the static one [1]; 0: not
	 * counted, ir_note says why */
	unsigned long long compile_ir[2];
	char ir_note[160];
	/* the stats check: Docker's default against `sysgate stats` */
	int stats_checked, stats_match;
	char stats_cmd[1024];
	char stats_note[256];
	/* machine and conditions */
	char date[64], cpu_model[128], kernel[256], clocksource[64], meltdown[128], compiler[64], lsc_version[32];
	int ncpus, bpf_jit, x32_abi;
	int nice; /* the bench's priority: -20 when it may raise it (root), else its own */
	struct linear_row linear[16];
	size_t nlinear;
	size_t linear_bytes[LINEAR_SIZES]; /* the sizes, growing fourfold */
	/* recording overhead */
	const char *syscalls_bin;   /* bench/syscalls.c, static */
	unsigned record_rounds;
	long record_calls;          /* the syscall-heavy workload's N */
	char record_skip[320];      /* why the part was skipped; "" when it ran */
	double record_pipe_ns;      /* a round trip between two processes through pipes, ns */
	struct record_workload rec[MAX_RECORD_WORKLOADS];
	size_t nrec;
	double loadavg_start, loadavg_end;
	double seconds;
};

/* latency.c */
void pick_classes(struct bench *b, struct bench_profile *bp);
int run_latency(struct bench *b);

/* timing.c */
int run_compile_inprocess(struct bench *b);
int run_processes(struct bench *b);

/* linear.c: run_linear measures; report.c prints and writes its part */
extern const char *const linear_cmd_name[NLINEAR_CMDS]; /* "check", "compile", "exec" */
int run_linear(struct bench *b);
void print_linear(const struct bench *b);
int write_linear_csv(const struct bench *b, FILE *f);
void write_linear_json(const struct bench *b, FILE *f);
void write_linear_md(const struct bench *b, FILE *f);

/* record.c: run_record measures; report.c prints and writes its part */
extern const char *const record_cfg_name[NRECORD_CFGS]; /* "plain", "record", "record --base" */
int run_record(struct bench *b);
void free_record(struct bench *b);
void print_record(const struct bench *b);
int write_record_csv(const struct bench *b, FILE *f);
void write_record_json(const struct bench *b, FILE *f);
void write_record_md(const struct bench *b, FILE *f);

/* report.c */
void print_report(const struct bench *b);
int write_results(const struct bench *b);

/* common.c: what the others share; it calls none of them */
extern const char *const filter_name[NFILTERS]; /* "none", "sysgate", "libseccomp", "libseccomp tree" */
extern const char *const filter_key[NFILTERS];  /* "none", "sysgate", "libseccomp", "libseccomp_tree" */
extern const char *const class_name[NCLASSES]; /* "allowed, cached", ... */
extern const char *const class_key[NCLASSES];  /* "cached", "argcheck", ... */
extern const char *const compile_name[NCOMPILE];
void samples_add(struct samples *s, double x);
void summarize(const struct samples *s, struct summary *out); /* sorts s->v */
double spread_pct(const struct summary *s);                  /* (p75 - p25) / 2 / median, in % */
double now_ns(void);
void progress(const char *fmt, ...) SG_PRINTF(1, 2);
void json_str(FILE *f, const char *s); /* a JSON string */
void json_summary(FILE *f, const struct summary *s); /* {"median": ..., "n": ...} */
void csv_str(FILE *f, const char *s);  /* a quoted CSV field */
/* how a profile is resolved: Docker's default for x86_64, x86 and x32, as `sysgate stats --arch ...` */
void bench_resolve_opts(const struct bench_profile *bp, struct sg_resolve_opts *ro);
int docker_explicit(const struct bench_profile *bp); /* the profile is Docker's default on an x86_64 host */

#endif
