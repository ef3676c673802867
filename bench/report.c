/* The results: a table on stdout, CSV and JSON files and an SVG chart of
 * the overhead per class and filter. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* ---- derived figures --------------------------------------------------------------------- */

static const struct cell *cell(const struct bench_profile *bp, int k, int f)
{
	return &bp->cells[k][f];
}

static int measured(const struct bench_profile *bp, int k, int f)
{
	return bp->cls[k].available && cell(bp, k, f)->runnable && cell(bp, k, f)->s.n > 0;
}

/* Median over the median without a filter, ns. */
static double overhead(const struct bench_profile *bp, int k, int f)
{
	return cell(bp, k, f)->s.median - cell(bp, k, F_NONE)->s.median;
}

/* sysgate's latency over the peer's, and its overhead over the peer's (0 when not both positive). */
static double latency_ratio(const struct bench_profile *bp, int k, int peer)
{
	return cell(bp, k, F_SYSGATE)->s.median / cell(bp, k, peer)->s.median;
}

static double overhead_ratio(const struct bench_profile *bp, int k, int peer)
{
	double s = overhead(bp, k, F_SYSGATE), p = overhead(bp, k, peer);
	if (cell(bp, k, F_SYSGATE)->cached || cell(bp, k, peer)->cached)
		return 0; /* neither filter runs: the overhead is the kernel's slow path, not the filter's */
	return s > 0 && p > 0 ? s / p : 0;
}

/* The difference is within the noise: less than either side's half interquartile range. */
static int within_spread(const struct summary *a, const struct summary *b)
{
	double d = fabs(a->median - b->median);
	return d <= (a->p75 - a->p25) / 2 || d <= (b->p75 - b->p25) / 2;
}

static const char *arch_list(const struct bench_profile *bp, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t a = 0; a < bp->pol->narches && len < n; a++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", a ? " " : "", bp->pol->arches[a].arch->name);
	return buf;
}

static void insns_text(const struct cell *c, char *buf, size_t n)
{
	snprintf(buf, n, "%zu%s", c->executed, c->cached ? " (cached)" : "");
}

/* ---- the table on stdout ------------------------------------------------------------------- */

static void print_header(const struct bench *b)
{
	printf("sysgate benchmark, %s (%s run, %.0f s)\n", b->date, b->quick ? "QUICK" : "full", b->seconds);
	printf("machine:    %s, %d CPU%s, %s, clocksource %s, BPF JIT %s\n", b->cpu_model, b->ncpus,
	       b->ncpus == 1 ? "" : "s", b->kernel, b->clocksource[0] ? b->clocksource : "?",
	       b->bpf_jit > 0 ? "on" : b->bpf_jit == 0 ? "off" : "?");
	printf("kernel:     meltdown: %s; x32 ABI %s\n", b->meltdown[0] ? b->meltdown : "?",
	       b->x32_abi > 0 ? "on" : b->x32_abi == 0 ? "off (x32 calls end in ENOSYS once the filter allows them)" : "n/a");
	printf("conditions: load average %.2f at the start, %.2f at the end; bench at nice %d; libseccomp %s; gcc %s\n",
	       b->loadavg_start, b->loadavg_end, b->nice, b->lsc_version, b->compiler);
	printf("command:    make bench%s\n\n", b->quick ? " QUICK=1" : "");
}

static void print_latency(const struct bench *b)
{
	printf("Latency per syscall, ns per call: median and min over %u rounds x %u batches of %u calls, each filter\n"
	       "in its own child pinned to CPU %d, filters interleaved; spread = half the interquartile range over\n"
	       "the median; overhead = median - median without a filter; executed = filter instructions the call\n"
	       "runs (emulated; \"cached\": the kernel's action cache skips the filter); last column: sysgate's\n"
	       "median over the peer's, and sysgate's overhead over the peer's.\n",
	       b->rounds, b->batches, b->calls, b->cpu);
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		if (!bp->present)
			continue;
		char arches[128];
		printf("\n%s: %s\n", bp->title, arch_list(bp, arches, sizeof(arches)));
		printf("%-26s %-16s %9s %9s %7s %9s  %-13s %s\n", "class / call", "filter", "median", "min", "spread",
		       "overhead", "executed", "sysgate/peer");
		for (int k = 0; k < NCLASSES; k++) {
			const struct class_pick *cp = &bp->cls[k];
			if (!cp->available) {
				printf("%-26s n/a: %s\n", class_name[k], cp->why);
				continue;
			}
			for (int f = 0; f < NFILTERS; f++) {
				const struct cell *c = cell(bp, k, f);
				char first[40] = "";
				if (f == 0)
					snprintf(first, sizeof(first), "%s", class_name[k]);
				else if (f == 1)
					snprintf(first, sizeof(first), "  %s", cp->label);
				printf("%-26s %-16s", first, filter_name[f]);
				if (!measured(bp, k, f)) {
					char act[64];
					sg_action_format(c->action, act, sizeof(act));
					printf(" n/a: the call would end the child (%s)\n", act);
					continue;
				}
				printf(" %9.1f %9.1f %6.1f%%", c->s.median, c->s.min, spread_pct(&c->s));
				if (f == F_NONE) {
					printf(" %9s\n", "-");
					continue;
				}
				char ins[32];
				insns_text(c, ins, sizeof(ins));
				printf(" %+9.1f  %-13s", overhead(bp, k, f), ins);
				if (f >= F_LSC && measured(bp, k, F_SYSGATE)) {
					double orat = overhead_ratio(bp, k, f);
					printf(" %.3fx", latency_ratio(bp, k, f));
					if (orat > 0)
						printf(", overhead %.2fx", orat);
				}
				putchar('\n');
			}
		}
	}
	/* where sysgate is slower, plainly */
	printf("\nWhere sysgate's median is above a peer's:");
	int any = 0;
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		for (int k = 0; k < NCLASSES && bp->present; k++)
			for (int f = F_LSC; f < NFILTERS; f++) {
				if (!measured(bp, k, F_SYSGATE) || !measured(bp, k, f))
					continue;
				const struct summary *s = &cell(bp, k, F_SYSGATE)->s, *p = &cell(bp, k, f)->s;
				if (s->median <= p->median)
					continue;
				printf("\n  %s, %s: sysgate %.1f ns, %s %.1f ns (+%.1f ns, +%.1f%%; %s)", bp->key,
				       class_name[k], s->median, filter_name[f], p->median, s->median - p->median,
				       100 * (s->median / p->median - 1),
				       within_spread(s, p) ? "within the spread" : "beyond the spread");
				any = 1;
			}
	}
	printf("%s\n", any ? "" : " nowhere");
}

static void print_figures(const struct bench *b)
{
	printf("\nExact figures (emulator): program size; per arch, filter instructions executed for numbers\n"
	       "base+0..470 with zero arguments (mean/max, and over argument-free numbers), and the argument-free\n"
	       "ALLOW syscalls the kernel's action cache allows without running the filter; differ: numbers where\n"
	       "the filter's action is not what the profile's rules say (libseccomp: syscalls it does not know).\n");
	printf("%-16s %-16s %6s  %-7s %7s %4s %8s %4s %9s %7s\n", "profile", "filter", "insns", "arch", "mean", "max",
	       "af-mean", "af-max", "cached", "differ");
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		if (!bp->present)
			continue;
		for (int f = F_SYSGATE; f < NFILTERS; f++)
			for (size_t a = 0; a < bp->pol->narches; a++) {
				const struct sg_arch_stats *s = &bp->f[f].st[a];
				char cached[32];
				snprintf(cached, sizeof(cached), "%zu/%zu", s->cacheable, s->allow_free);
				if (a == 0)
					printf("%-16s %-16s %6zu ", f == F_SYSGATE ? bp->key : "", filter_name[f],
					       bp->f[f].prog.len);
				else
					printf("%-16s %-16s %6s ", "", "", "");
				printf(" %-7s %7.2f %4zu %8.2f %6zu %9s %7zu\n", bp->pol->arches[a].arch->name, s->mean,
				       s->max, s->free_mean, s->free_max, cached, s->mismatches);
			}
	}
	if (b->stats_checked)
		printf("Docker's default: these figures %s `%s`%s%s\n",
		       b->stats_match ? "match" : "DO NOT MATCH", b->stats_cmd, b->stats_note[0] ? ": " : "",
		       b->stats_note);
	else
		printf("Docker's default: not checked against `sysgate stats` (profile absent or not an x86_64 host)\n");
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		if (!bp->present || strcmp(bp->key, "docker-default") != 0 || !b->stats_checked)
			continue;
		const struct sg_arch_stats *s = &bp->f[F_SYSGATE].st[0];
		size_t all = 0, cached = 0;
		for (size_t a = 0; a < bp->pol->narches; a++)
			all += bp->f[F_SYSGATE].st[a].allow_free, cached += bp->f[F_SYSGATE].st[a].cacheable;
		printf("Code generator targets, Docker's default on x86_64: mean %.2f <= 10 %s; max %zu <= 16 %s; "
		       "argument-free max %zu <= 10 %s;\n  program %zu <= 450 instructions %s; argument-free ALLOW cached "
		       "%zu/%zu %s\n",
		       s->mean, s->mean <= 10 ? "met" : "NOT MET", s->max, s->max <= 16 ? "met" : "NOT MET", s->free_max,
		       s->free_max <= 10 ? "met" : "NOT MET", bp->f[F_SYSGATE].prog.len,
		       bp->f[F_SYSGATE].prog.len <= 450 ? "met" : "NOT MET", cached, all, cached == all ? "met" : "NOT MET");
	}
}

static void print_compile(const struct bench *b)
{
	printf("\nCompile time in process, us (median / min over %u repetitions, interleaved): profile -> BPF.\n"
	       "libseccomp's figures start from the parsed profile (runc parses the JSON in Go).\n",
	       b->compile_reps);
	printf("%-16s", "profile");
	for (int k = 0; k < NCOMPILE; k++)
		printf(" %22s", k == K_SYSGATE ? "sysgate (with parse)" : k == K_SYSGATE_NOPARSE ? "sysgate (no parse)"
			       : k == K_LSC ? "libseccomp" : "libseccomp tree");
	printf("\n");
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		if (!bp->present)
			continue;
		printf("%-16s", bp->key);
		for (int k = 0; k < NCOMPILE; k++) {
			char v[48];
			snprintf(v, sizeof(v), "%.0f / %.0f", bp->compile_s[k].median, bp->compile_s[k].min);
			printf(" %22s", v);
		}
		printf("\n");
	}
}

static const struct command *baseline(const struct bench *b, int group)
{
	for (size_t i = 0; i < b->ncmds; i++)
		if (b->cmds[i].group == group && b->cmds[i].baseline)
			return &b->cmds[i];
	return NULL;
}

/* The instruction count of a whole compile (timing.c), beside its budget. */
#define COMPILE_IR_BUDGET 1500000ull

static void print_compile_ir(const struct bench *b)
{
	if (!b->compile_ir[0] || !b->compile_ir[1]) {
		printf("\ninstructions of sysgate compile PROFILE: not counted (%s)\n", b->ir_note);
		return;
	}
	printf("\ninstructions of the whole process sysgate compile PROFILE -o /dev/null (callgrind, total Ir):\n"
	       "  %s (glibc) %llu%s\n  %s (static) %llu\n", b->sysgate, b->compile_ir[0],
	       b->compile_ir[0] > COMPILE_IR_BUDGET ? " -- over the 1,500,000 budget" : " (budget 1,500,000)",
	       b->sysgate_static, b->compile_ir[1]);
}

static void print_processes(const struct bench *b)
{
	if (!b->ncmds)
		return;
	printf("\nWhole processes, ms (posix_spawn + wait, %u runs each, interleaved: median, min, spread; the\n"
	       "difference of medians to the baseline%s); sysgate = %s (static, musl), PROFILE = %s\n",
	       b->process_runs, b->hyperfine ? "; hyperfine -N mean +- sd" : "", b->sysgate_static, b->process_profile);
	for (int g = 0; g < 2; g++) {
		printf("%-62s %7s %7s %7s %8s%s\n", g == 0 ? "start-up" : "compile, whole process", "median", "min",
		       "spread", "+", b->hyperfine ? "   hyperfine" : "");
		const struct command *base = baseline(b, g);
		for (size_t i = 0; i < b->ncmds; i++) {
			const struct command *c = &b->cmds[i];
			if (c->group != g)
				continue;
			printf("%-62s %7.3f %7.3f %6.1f%%", c->label, c->s.median, c->s.min, spread_pct(&c->s));
			if (c->baseline || !base)
				printf(" %8s", "-");
			else
				printf(" %+8.3f", c->s.median - base->s.median);
			if (b->hyperfine)
				printf("   %.3f +- %.3f", c->hf_mean, c->hf_stddev);
			printf("\n");
		}
	}
	print_compile_ir(b);
}

void print_report(const struct bench *b)
{
	print_header(b);
	print_latency(b);
	print_figures(b);
	print_compile(b);
	print_processes(b);
	print_linear(b);
	print_record(b);
}

/* ---- files ------------------------------------------------------------------------------------ */

static FILE *open_out(const struct bench *b, const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", b->out_dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "bench: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

static int close_out(FILE *f, const char *name)
{
	int bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		fprintf(stderr, "bench: writing %s failed\n", name);
		return -1;
	}
	return 0;
}

static int write_latency_csv(const struct bench *b)
{
	FILE *f = open_out(b, "latency.csv");
	if (!f)
		return -1;
	fprintf(f, "profile,class,call,nr,filter,action,executed,cached,median_ns,min_ns,p25_ns,p75_ns,samples,"
		   "overhead_ns,sysgate_latency_ratio,sysgate_overhead_ratio\n");
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		for (int k = 0; k < NCLASSES && bp->present; k++)
			for (int fl = 0; fl < NFILTERS; fl++) {
				const struct class_pick *cp = &bp->cls[k];
				const struct cell *c = cell(bp, k, fl);
				char act[64] = "";
				if (cp->available && fl != F_NONE)
					sg_action_format(c->action, act, sizeof(act));
				fprintf(f, "%s,%s,", bp->key, class_key[k]);
				csv_str(f, cp->available ? cp->label : cp->why);
				fprintf(f, ",%u,%s,%s,", cp->nr, filter_key[fl], act);
				if (!measured(bp, k, fl)) {
					fprintf(f, ",,,,,,0,,,\n");
					continue;
				}
				if (fl == F_NONE)
					fprintf(f, ",,");
				else
					fprintf(f, "%zu,%d,", c->executed, c->cached);
				fprintf(f, "%.2f,%.2f,%.2f,%.2f,%zu,", c->s.median, c->s.min, c->s.p25, c->s.p75, c->s.n);
				if (fl == F_NONE)
					fprintf(f, ",,\n");
				else if (fl == F_SYSGATE)
					fprintf(f, "%.2f,,\n", overhead(bp, k, fl));
				else if (measured(bp, k, F_SYSGATE))
					fprintf(f, "%.2f,%.4f,%.4f\n", overhead(bp, k, fl), latency_ratio(bp, k, fl),
						overhead_ratio(bp, k, fl));
				else
					fprintf(f, "%.2f,,\n", overhead(bp, k, fl));
			}
	}
	return close_out(f, "latency.csv");
}

static int write_figures_csv(const struct bench *b)
{
	FILE *f = open_out(b, "figures.csv");
	if (!f)
		return -1;
	fprintf(f, "profile,filter,program_insns,arch,sweep_numbers,mean,max,argfree_mean,argfree_max,allow_free,"
		   "cacheable,differ\n");
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		for (int fl = F_SYSGATE; fl < NFILTERS && bp->present; fl++)
			for (size_t a = 0; a < bp->pol->narches; a++) {
				const struct sg_arch_stats *s = &bp->f[fl].st[a];
				fprintf(f, "%s,%s,%zu,%s,%zu,%.4f,%zu,%.4f,%zu,%zu,%zu,%zu\n", bp->key, filter_key[fl],
					bp->f[fl].prog.len, bp->pol->arches[a].arch->name, s->swept, s->mean, s->max,
					s->free_mean, s->free_max, s->allow_free, s->cacheable, s->mismatches);
			}
	}
	return close_out(f, "figures.csv");
}

static int write_compile_csv(const struct bench *b)
{
	static const char *const keys[NCOMPILE] = { "sysgate", "sysgate_noparse", "libseccomp", "libseccomp_tree" };
	FILE *f = open_out(b, "compile.csv");
	if (!f)
		return -1;
	fprintf(f, "profile,compiler,what,median_us,min_us,p25_us,p75_us,repetitions\n");
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		for (int k = 0; k < NCOMPILE && bp->present; k++) {
			const struct summary *s = &bp->compile_s[k];
			fprintf(f, "%s,%s,", bp->key, keys[k]);
			csv_str(f, compile_name[k]);
			fprintf(f, ",%.2f,%.2f,%.2f,%.2f,%zu\n", s->median, s->min, s->p25, s->p75, s->n);
		}
	}
	return close_out(f, "compile.csv");
}

static void command_line(const struct command *c, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t k = 0; c->argv[k] && len < n; k++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", k ? " " : "", c->argv[k]);
}

static int write_processes_csv(const struct bench *b)
{
	FILE *f = open_out(b, "processes.csv");
	if (!f)
		return -1;
	fprintf(f, "group,key,command,median_ms,min_ms,p25_ms,p75_ms,runs,over_baseline_ms,hyperfine_mean_ms,"
		   "hyperfine_stddev_ms\n");
	for (size_t i = 0; i < b->ncmds; i++) {
		const struct command *c = &b->cmds[i];
		const struct command *base = baseline(b, c->group);
		char line[1024];
		command_line(c, line, sizeof(line));
		fprintf(f, "%s,%s,", c->group ? "compile" : "startup", c->key);
		csv_str(f, line);
		fprintf(f, ",%.4f,%.4f,%.4f,%.4f,%zu,", c->s.median, c->s.min, c->s.p25, c->s.p75, c->s.n);
		if (!c->baseline && base)
			fprintf(f, "%.4f", c->s.median - base->s.median);
		if (b->hyperfine)
			fprintf(f, ",%.4f,%.4f\n", c->hf_mean, c->hf_stddev);
		else
			fprintf(f, ",,\n");
	}
	return close_out(f, "processes.csv");
}

/* results.json's profiles: filters, exact figures, classes and their latency, compile time. */
static void json_profiles(const struct bench *b, FILE *f)
{
	fprintf(f, "  \"profiles\": [");
	int firstp = 1;
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		if (!bp->present)
			continue;
		char arches[128];
		fprintf(f, "%s\n    {\"key\": \"%s\", \"path\": ", firstp ? "" : ",", bp->key);
		firstp = 0;
		json_str(f, bp->path);
		fprintf(f, ", \"arches\": ");
		json_str(f, arch_list(bp, arches, sizeof(arches)));
		fprintf(f, ",\n     \"filters\": {");
		for (int fl = F_SYSGATE; fl < NFILTERS; fl++) {
			fprintf(f, "%s\n       \"%s\": {\"insns\": %zu, \"arches\": [", fl > F_SYSGATE ? "," : "",
				filter_key[fl], bp->f[fl].prog.len);
			for (size_t a = 0; a < bp->pol->narches; a++) {
				const struct sg_arch_stats *s = &bp->f[fl].st[a];
				fprintf(f, "%s{\"arch\": \"%s\", \"mean\": %.4f, \"max\": %zu, \"argfree_mean\": %.4f, "
					   "\"argfree_max\": %zu, \"allow_free\": %zu, \"cacheable\": %zu, \"differ\": %zu}",
					a ? ", " : "", bp->pol->arches[a].arch->name, s->mean, s->max, s->free_mean,
					s->free_max, s->allow_free, s->cacheable, s->mismatches);
			}
			fprintf(f, "]}");
		}
		fprintf(f, "},\n     \"classes\": [");
		for (int k = 0; k < NCLASSES; k++) {
			const struct class_pick *cp = &bp->cls[k];
			fprintf(f, "%s\n       {\"class\": \"%s\", \"available\": %s, ", k ? "," : "", class_key[k],
				cp->available ? "true" : "false");
			fprintf(f, "\"call\": ");
			json_str(f, cp->available ? cp->label : "");
			fprintf(f, ", \"nr\": %u, \"why\": ", cp->nr);
			json_str(f, cp->why);
			fprintf(f, ", \"filters\": {");
			for (int fl = 0; fl < NFILTERS && cp->available; fl++) {
				const struct cell *c = cell(bp, k, fl);
				char act[64];
				sg_action_format(c->action, act, sizeof(act));
				fprintf(f, "%s\"%s\": {\"action\": ", fl ? ", " : "", filter_key[fl]);
				json_str(f, fl == F_NONE ? "" : act);
				fprintf(f, ", \"executed\": %zu, \"cached\": %s, \"measured\": %s", c->executed,
					c->cached ? "true" : "false", measured(bp, k, fl) ? "true" : "false");
				if (measured(bp, k, fl)) {
					fprintf(f, ", \"ns\": ");
					json_summary(f, &c->s);
					fprintf(f, ", \"overhead_ns\": %.3f", overhead(bp, k, fl));
					if (fl >= F_LSC && measured(bp, k, F_SYSGATE))
						fprintf(f, ", \"sysgate_latency_ratio\": %.4f, \"sysgate_overhead_ratio\": %.4f",
							latency_ratio(bp, k, fl), overhead_ratio(bp, k, fl));
				}
				fprintf(f, "}");
			}
			fprintf(f, "}}");
		}
		fprintf(f, "],\n     \"compile_us\": {");
		static const char *const keys[NCOMPILE] = { "sysgate", "sysgate_noparse", "libseccomp", "libseccomp_tree" };
		for (int k = 0; k < NCOMPILE; k++) {
			fprintf(f, "%s\"%s\": ", k ? ", " : "", keys[k]);
			json_summary(f, &bp->compile_s[k]);
		}
		fprintf(f, "}}");
	}
}

static int write_json(const struct bench *b)
{
	FILE *f = open_out(b, "results.json");
	if (!f)
		return -1;
	fprintf(f, "{\n  \"date\": ");
	json_str(f, b->date);
	fprintf(f, ",\n  \"quick\": %s,\n  \"seconds\": %.1f,\n  \"machine\": {\"cpu\": ", b->quick ? "true" : "false",
		b->seconds);
	json_str(f, b->cpu_model);
	fprintf(f, ", \"cpus\": %d, \"kernel\": ", b->ncpus);
	json_str(f, b->kernel);
	fprintf(f, ", \"clocksource\": ");
	json_str(f, b->clocksource);
	fprintf(f, ", \"meltdown\": ");
	json_str(f, b->meltdown);
	fprintf(f, ", \"bpf_jit\": %d, \"x32_abi\": %d, \"loadavg_start\": %.2f, \"loadavg_end\": %.2f, \"nice\": %d, "
		   "\"libseccomp\": ", b->bpf_jit, b->x32_abi, b->loadavg_start, b->loadavg_end, b->nice);
	json_str(f, b->lsc_version);
	fprintf(f, ", \"compiler\": ");
	json_str(f, b->compiler);
	fprintf(f, "},\n  \"latency_setup\": {\"rounds\": %u, \"batches\": %u, \"calls\": %u, \"cpu\": %d},\n",
		b->rounds, b->batches, b->calls, b->cpu);
	fprintf(f, "  \"stats_check\": {\"checked\": %s, \"match\": %s, \"command\": ", b->stats_checked ? "true" : "false",
		b->stats_match ? "true" : "false");
	json_str(f, b->stats_cmd);
	fprintf(f, "},\n");
	write_linear_json(b, f);
	write_record_json(b, f);
	json_profiles(b, f);
	fprintf(f, "\n  ],\n  \"processes_ms\": [");
	for (size_t i = 0; i < b->ncmds; i++) {
		const struct command *c = &b->cmds[i];
		char line[1024];
		command_line(c, line, sizeof(line));
		fprintf(f, "%s\n    {\"key\": \"%s\", \"group\": \"%s\", \"command\": ", i ? "," : "", c->key,
			c->group ? "compile" : "startup");
		json_str(f, line);
		fprintf(f, ", \"ms\": ");
		json_summary(f, &c->s);
		if (b->hyperfine)
			fprintf(f, ", \"hyperfine_mean\": %.4f, \"hyperfine_stddev\": %.4f", c->hf_mean, c->hf_stddev);
		fprintf(f, "}");
	}
	fprintf(f, "\n  ],\n  \"compile_instructions\": {\"glibc\": %llu, \"static\": %llu, \"profile\": ",
		b->compile_ir[0], b->compile_ir[1]);
	json_str(f, b->process_profile ? b->process_profile : "");
	fprintf(f, ", \"note\": ");
	json_str(f, b->ir_note);
	fprintf(f, "}\n}\n");
	return close_out(f, "results.json");
}

/* ---- the chart ---------------------------------------------------------------------------------- */

static const char *const bar_color[NFILTERS] = { "#999999", "#1f77b4", "#ff7f0e", "#2ca02c" };

/* A "nice" step for an axis covering span with about n ticks. */
static double nice_step(double span, int n)
{
	double raw = span / n, p = pow(10, floor(log10(raw))), m = raw / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* One panel per profile: per class, a bar per filter for the median
 * overhead over no filter, a whisker from the filter's 25th to 75th
 * percentile (minus the median without a filter). */
static int write_svg(const struct bench *b)
{
	FILE *f = open_out(b, "overhead.svg");
	if (!f)
		return -1;
	const int W = 960, panel_h = 250, top = 90, left = 60, right = 20, gap = 54;
	size_t np = 0;
	for (size_t i = 0; i < b->nprof; i++)
		np += b->prof[i].present;
	int H = top + (int)np * (panel_h + gap) + 30;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		   "font-family=\"sans-serif\" font-size=\"12\">\n", W, H, W, H);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"%d\" y=\"22\" font-size=\"16\" font-weight=\"bold\">Filter overhead per syscall, ns "
		   "(median - median without a filter)</text>\n", left);
	fprintf(f, "<text x=\"%d\" y=\"40\" fill=\"#444\">%s; %s, %d CPUs, %s; make bench%s</text>\n", left,
		b->date, b->cpu_model, b->ncpus, b->kernel, b->quick ? " QUICK=1" : "");
	fprintf(f, "<text x=\"%d\" y=\"56\" fill=\"#444\">Whiskers: 25th to 75th percentile. Under each class: the "
		   "filter instructions the call executes (c: cached, the kernel does not run the filter)</text>\n", left);
	for (int fl = F_SYSGATE; fl < NFILTERS; fl++) {
		int x = left + (fl - 1) * 160;
		fprintf(f, "<rect x=\"%d\" y=\"66\" width=\"12\" height=\"12\" fill=\"%s\"/>"
			   "<text x=\"%d\" y=\"76\">%s</text>\n", x, bar_color[fl], x + 16, filter_name[fl]);
	}
	int y0 = top;
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		if (!bp->present)
			continue;
		/* the value range: every bar and whisker, and zero */
		double lo = 0, hi = 0;
		for (int k = 0; k < NCLASSES; k++)
			for (int fl = F_SYSGATE; fl < NFILTERS; fl++) {
				if (!measured(bp, k, fl))
					continue;
				double base = cell(bp, k, F_NONE)->s.median;
				const struct summary *s = &cell(bp, k, fl)->s;
				lo = fmin(lo, s->p25 - base);
				hi = fmax(hi, s->p75 - base);
			}
		if (hi - lo < 1)
			hi = lo + 1;
		double room = (hi - lo) * 0.1; /* for the labels */
		hi += room;
		if (lo < 0)
			lo -= room;
		double step = nice_step(hi - lo, 5);
		lo = floor(lo / step) * step;
		hi = ceil(hi / step) * step;
		const int ph = panel_h - 40, py = y0 + 20; /* plot area */
		const int pw = W - left - right;
#define YPOS(v) (py + (int)lround((hi - (v)) / (hi - lo) * ph))
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", left, y0 + 10);
		fprintf(f, "%s</text>\n", bp->title);
		for (double v = lo; v <= hi + step / 2; v += step) {
			fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\"/>", left, left + pw, YPOS(v),
				YPOS(v), fabs(v) < step / 2 ? "#000" : "#ddd");
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%g</text>\n", left - 6, YPOS(v) + 4, v);
		}
		const double gw = (double)pw / NCLASSES, bw = gw / 4.5;
		for (int k = 0; k < NCLASSES; k++) {
			double gx = left + k * gw;
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", gx + gw / 2,
				py + ph + 16, class_name[k]);
			if (!bp->cls[k].available) {
				fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#888\">n/a<title>",
					gx + gw / 2, YPOS(0) - 6);
				fprintf(f, "%s</title></text>\n", bp->cls[k].why);
				continue;
			}
			/* under the class: the instructions each filter executes for the call */
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"#555\">",
				gx + gw / 2, py + ph + 29);
			for (int fl = F_SYSGATE; fl < NFILTERS; fl++)
				fprintf(f, "%s%zu%s", fl > F_SYSGATE ? " / " : "", cell(bp, k, fl)->executed,
					cell(bp, k, fl)->cached ? "c" : "");
			fprintf(f, " insns</text>\n");
			for (int fl = F_SYSGATE; fl < NFILTERS; fl++) {
				double x = gx + gw / 2 - 1.5 * bw + (fl - 1) * bw;
				if (!measured(bp, k, fl)) {
					fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#888\">n/a</text>\n",
						x + bw / 2, YPOS(0) - 6);
					continue;
				}
				double base = cell(bp, k, F_NONE)->s.median, v = overhead(bp, k, fl);
				const struct summary *s = &cell(bp, k, fl)->s;
				int ya = YPOS(fmax(v, 0)), yb = YPOS(fmin(v, 0));
				fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s, %s: "
					   "%+.1f ns</title></rect>\n", x + 1, ya, bw - 2, yb - ya > 0 ? yb - ya : 1,
					bar_color[fl], bp->key, filter_name[fl], v);
				fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", x + bw / 2,
					x + bw / 2, YPOS(s->p25 - base), YPOS(s->p75 - base));
				fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%.0f</text>\n",
					x + bw / 2, v >= 0 ? YPOS(s->p75 - base) - 3 : YPOS(s->p25 - base) + 11, v);
			}
		}
#undef YPOS
		y0 += panel_h + gap;
	}
	fprintf(f, "</svg>\n");
	return close_out(f, "overhead.svg");
}

/* ---- summary.md: the tables the README's Performance section carries -------------------- */

static void md_cell(FILE *f, const struct bench_profile *bp, int k, int fl)
{
	const struct cell *c = cell(bp, k, fl);
	if (!measured(bp, k, fl)) {
		fprintf(f, " n/a |");
		return;
	}
	fprintf(f, " %+.0f ns · %zu%s |", overhead(bp, k, fl), c->executed, c->cached ? ", cached" : "");
}

static int write_summary(const struct bench *b)
{
	FILE *f = open_out(b, "summary.md");
	if (!f)
		return -1;
	fprintf(f, "Latency: ns per call with no filter (median), and each filter's overhead over it · the filter "
		   "instructions the call executes (\"cached\": the kernel skips the filter); the ratios are sysgate's "
		   "median latency over the peer's. %u rounds × %u batches × %u calls per cell.\n\n",
		b->rounds, b->batches, b->calls);
	fprintf(f, "| profile | class: call | no filter | sysgate | libseccomp | libseccomp tree | sysgate ÷ libseccomp "
		   "| sysgate ÷ tree |\n|---|---|--:|--:|--:|--:|--:|--:|\n");
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		for (int k = 0; k < NCLASSES && bp->present; k++) {
			const struct class_pick *cp = &bp->cls[k];
			fprintf(f, "| %s | %s: ", k == 0 ? bp->key : "", class_name[k]);
			if (!cp->available) {
				fprintf(f, "n/a (%s) | | | | | | |\n", cp->why);
				continue;
			}
			fprintf(f, "`%s` | %.0f ns |", cp->label, cell(bp, k, F_NONE)->s.median);
			for (int fl = F_SYSGATE; fl < NFILTERS; fl++)
				md_cell(f, bp, k, fl);
			for (int fl = F_LSC; fl < NFILTERS; fl++)
				if (measured(bp, k, F_SYSGATE) && measured(bp, k, fl))
					fprintf(f, " %.3f |", latency_ratio(bp, k, fl));
				else
					fprintf(f, " |");
			fprintf(f, "\n");
		}
	}
	fprintf(f, "\nExact figures (emulator), x86_64 numbers 0..470 with zero arguments:\n\n"
		   "| profile | filter | program | mean / max executed | argument-free mean / max | cached ALLOW "
		   "x86_64, x86, x32 |\n|---|---|--:|--:|--:|--:|\n");
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		for (int fl = F_SYSGATE; fl < NFILTERS && bp->present; fl++) {
			const struct sg_arch_stats *s = &bp->f[fl].st[0];
			fprintf(f, "| %s | %s | %zu | %.2f / %zu | %.2f / %zu |", fl == F_SYSGATE ? bp->key : "",
				filter_name[fl], bp->f[fl].prog.len, s->mean, s->max, s->free_mean, s->free_max);
			for (size_t a = 0; a < bp->pol->narches; a++)
				fprintf(f, "%s%zu/%zu", a ? ", " : " ", bp->f[fl].st[a].cacheable, bp->f[fl].st[a].allow_free);
			fprintf(f, " |\n");
		}
	}
	fprintf(f, "\nCompile time in process, µs (median / min over %u repetitions):\n\n"
		   "| profile | sysgate, with JSON parse | sysgate, parsed | libseccomp | libseccomp tree |\n"
		   "|---|--:|--:|--:|--:|\n", b->compile_reps);
	for (size_t i = 0; i < b->nprof; i++) {
		const struct bench_profile *bp = &b->prof[i];
		if (!bp->present)
			continue;
		fprintf(f, "| %s |", bp->key);
		for (int k = 0; k < NCOMPILE; k++)
			fprintf(f, " %.0f / %.0f |", bp->compile_s[k].median, bp->compile_s[k].min);
		fprintf(f, "\n");
	}
	if (b->ncmds) {
		fprintf(f, "\nWhole processes, ms (median / min over %u interleaved runs%s); sysgate is the static "
			   "binary, PROFILE is %s:\n\n"
			   "| command | median / min | over baseline |%s\n|---|--:|--:|%s\n",
			b->process_runs, b->hyperfine ? "; hyperfine -N mean ± σ" : "", b->process_profile,
			b->hyperfine ? " hyperfine |" : "", b->hyperfine ? "--:|" : "");
		for (size_t i = 0; i < b->ncmds; i++) {
			const struct command *c = &b->cmds[i];
			const struct command *base = baseline(b, c->group);
			fprintf(f, "| %s | %.2f / %.2f |", c->label, c->s.median, c->s.min);
			if (c->baseline || !base)
				fprintf(f, " baseline |");
			else
				fprintf(f, " %+.2f |", c->s.median - base->s.median);
			if (b->hyperfine)
				fprintf(f, " %.2f ± %.2f |", c->hf_mean, c->hf_stddev);
			fprintf(f, "\n");
		}
	}
	if (b->compile_ir[0] && b->compile_ir[1])
		fprintf(f, "\nInstructions of the whole process `sysgate compile PROFILE -o /dev/null` (callgrind, "
			   "total Ir): %llu by the glibc build, %llu by the static one.\n",
			b->compile_ir[0], b->compile_ir[1]);
	else
		fprintf(f, "\nInstructions of `sysgate compile PROFILE`: not counted (%s).\n", b->ir_note);
	write_linear_md(b, f);
	write_record_md(b, f);
	return close_out(f, "summary.md");
}

int write_results(const struct bench *b)
{
	int rc = 0;
	rc |= write_latency_csv(b);
	rc |= write_figures_csv(b);
	rc |= write_compile_csv(b);
	rc |= write_processes_csv(b);
	FILE *f = open_out(b, "linear.csv");
	rc |= !f || write_linear_csv(b, f) != 0 ? -1 : close_out(f, "linear.csv");
	f = open_out(b, "record.csv");
	rc |= !f || write_record_csv(b, f) != 0 ? -1 : close_out(f, "record.csv");
	rc |= write_json(b);
	rc |= write_svg(b);
	rc |= write_summary(b);
	if (rc == 0)
		progress("wrote %s/{latency,figures,compile,processes,linear,record}.csv, results.json, summary.md and overhead.svg",
			 b->out_dir);
	return rc;
}
