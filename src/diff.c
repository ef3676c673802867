/* Diff stage: the regions where two stacks of filters act differently. */
#include <stdlib.h>
#include <string.h>

#include "sysgate/diff.h"
#include "sysgate/emulate.h"

/* Runs of numbers listed per region; more are counted as truncation (a
 * mask on a number's low bits can make millions). */
#define MAX_RUNS 4096

struct differ {
	const struct sg_sym_input *in; /* a, b */
	const struct sg_diff_opts *o;
	struct sg_diff *out;
	size_t cap;
	struct sg_diags *d;
	int failed;
	/* the region being listed */
	const struct sg_sym_region *r;
	uint32_t w[SG_SYM_WORDS];
	const struct sg_arch *arch;
	int arch_known, args;
	size_t runs;
	uint32_t *named; /* numbers with a name on named_audit's arches, sorted */
	size_t nnamed;
	uint32_t named_audit;
};

struct sg_seccomp_data sg_diff_data(const uint32_t w[SG_SYM_WORDS], enum sg_endian e)
{
	/* a 64-bit field's low word comes first in a little-endian layout */
	unsigned lo = e == SG_LITTLE_ENDIAN ? 0 : 1;
	struct sg_seccomp_data d = { .nr = w[0], .arch = w[1] };
	d.ip = (uint64_t)w[2 + !lo] << 32 | w[2 + lo];
	for (unsigned i = 0; i < SG_MAX_ARGS; i++)
		d.args[i] = (uint64_t)w[4 + 2 * i + !lo] << 32 | w[4 + 2 * i + lo];
	return d;
}

static int push(struct differ *f, const struct sg_diff_entry *e)
{
	struct sg_diff *out = f->out;
	if (out->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 32;
		struct sg_diff_entry *v = realloc(out->v, cap * sizeof(*v));
		if (!v)
			return -1;
		out->v = v, f->cap = cap;
	}
	out->v[out->n++] = *e;
	return 0;
}

/* The name of nr on the architectures with this audit value (x86_64's
 * covers x32's numbers). */
static const char *name_of(uint32_t audit, uint32_t nr)
{
	const struct sg_arch *a = sg_arch_for_call(audit, nr);
	return a ? sg_syscall_name(a, nr) : NULL;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a > b) - (a < b);
}

/* The numbers some table names on the arches with audit value audit,
 * sorted, into f->named (kept while the value stays the same). */
static int load_named(struct differ *f, uint32_t audit)
{
	if (f->named_audit == audit && f->named)
		return 0;
	size_t n, total = 0;
	const struct sg_arch *const *all = sg_arches(&n);
	for (size_t i = 0; i < n; i++)
		total += all[i]->audit_arch == audit ? all[i]->nsyscalls : 0;
	uint32_t *v = realloc(f->named, (total + 1) * sizeof(*v));
	if (!v)
		return -1;
	f->named = v, f->nnamed = 0, f->named_audit = audit;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; all[i]->audit_arch == audit && k < all[i]->nsyscalls; k++)
			v[f->nnamed++] = sg_syscall_num(all[i], &all[i]->by_name[k]);
	qsort(v, f->nnamed, sizeof(*v), cmp_u32);
	return 0;
}

/* The first named number at or above first, or 2^32. */
static uint64_t next_named(const struct differ *f, uint32_t first)
{
	size_t lo = 0, hi = f->nnamed;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->named[mid] < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->nnamed ? f->named[lo] : (uint64_t)1 << 32;
}

/* One run: its first number is the witness's, replayed on both sides
 * before it is listed. */
static int add_piece(struct differ *f, uint32_t first, uint32_t last, const char *name)
{
	uint32_t w[SG_SYM_WORDS];
	memcpy(w, f->w, sizeof(w));
	w[SG_SYM_WORD_NR] = first;
	/* the layout of a known arch's kernel; else the filters' own */
	enum sg_endian e = f->arch_known ? f->arch->endian : f->o->endian;
	struct sg_diff_entry en = { .arch = w[SG_SYM_WORD_ARCH], .arch_known = f->arch_known, .nr_first = first,
				    .nr_last = last, .syscall = name, .a = f->r->ret[0], .b = f->r->ret[1],
				    .args = f->args, .witness = sg_diff_data(w, e) };
	uint32_t ra = sg_bpf_run_stack(f->in[0].progs, f->in[0].n, &en.witness, e, NULL);
	uint32_t rb = sg_bpf_run_stack(f->in[1].progs, f->in[1].n, &en.witness, e, NULL);
	if (ra != en.a || rb != en.b) {
		f->failed = sg_error(f->d, NULL, NULL, "internal error: a witness (nr %u, arch 0x%08x) returns 0x%08x and "
						       "0x%08x in the emulator, 0x%08x and 0x%08x symbolically",
				     first, en.arch, ra, rb, en.a, en.b);
		return 1;
	}
	if (push(f, &en)) {
		f->failed = sg_oom(f->d, NULL);
		return 1;
	}
	return 0;
}

/* [first, last] of a known arch, each named syscall a run of its own. */
static int add_named(struct differ *f, uint32_t first, uint32_t last)
{
	for (uint64_t at = first; at <= last;) {
		uint64_t n = next_named(f, (uint32_t)at);
		if (n > at && add_piece(f, (uint32_t)at, n > last ? last : (uint32_t)(n - 1), NULL))
			return 1;
		if (n > last)
			return 0;
		if (add_piece(f, (uint32_t)n, (uint32_t)n, name_of(f->w[SG_SYM_WORD_ARCH], (uint32_t)n)))
			return 1;
		at = n + 1;
	}
	return 0;
}

/* A run of the region's numbers, split so that each named syscall is a
 * run of its own, and at each quarter of the number space, where x32's
 * bit (0x40000000) turns on or off under x86_64's arch value. */
static int add_run(void *ctx, uint32_t first, uint32_t last)
{
	struct differ *f = ctx;
	if (++f->runs > MAX_RUNS) {
		f->out->truncated = 1;
		return 1;
	}
	if (!f->arch_known)
		return add_piece(f, first, last, NULL);
	if (load_named(f, f->w[SG_SYM_WORD_ARCH])) {
		f->failed = sg_oom(f->d, NULL);
		return 1;
	}
	for (uint64_t at = first; at <= last;) {
		uint64_t end = (at | 0x3fffffffu) < last ? (at | 0x3fffffffu) : last;
		if (add_named(f, (uint32_t)at, (uint32_t)end))
			return 1;
		at = end + 1;
	}
	return 0;
}

static int one_value(void *ctx, uint32_t first, uint32_t last)
{
	int *single = ctx;
	*single = *single == 0 && first == last ? 1 : -1;
	return *single < 0;
}

static void undecided(struct sg_diff *out, const char *why)
{
	if (out->undecided++ == 0)
		snprintf(out->why, sizeof(out->why), "%s", why);
}

static int on_region(void *ctx, const struct sg_sym_region *r)
{
	struct differ *f = ctx;
	f->out->regions++;
	if (r->undecided) {
		undecided(f->out, r->undecided);
		return 0;
	}
	if (sg_sym_effect(r->ret[0]) == sg_sym_effect(r->ret[1]))
		return 0;
	for (unsigned k = 0; k < SG_SYM_WORDS; k++)
		if (sg_sym_solve(r->atoms, r->natoms, k, &f->w[k]) != 1) {
			undecided(f->out, "the conditions on a word of seccomp_data are beyond the search budget");
			return 0;
		}
	int single = 0;
	sg_sym_intervals(r->atoms, r->natoms, SG_SYM_WORD_ARCH, one_value, &single);
	f->arch = sg_arch_by_audit(f->w[SG_SYM_WORD_ARCH]);
	f->arch_known = single == 1 && f->arch;
	f->args = 0;
	for (size_t i = 0; i < r->natoms; i++)
		f->args |= r->atoms[i].word > SG_SYM_WORD_ARCH;
	f->r = r;
	f->runs = 0;
	if (sg_sym_intervals(r->atoms, r->natoms, SG_SYM_WORD_NR, add_run, f) < 0 && !f->failed)
		undecided(f->out, "the conditions on the syscall number are beyond the search budget");
	return f->failed;
}

static int cmp_entry(const void *x, const void *y)
{
	const struct sg_diff_entry *a = x, *b = y;
	if (a->arch_known != b->arch_known)
		return b->arch_known - a->arch_known;
	if (a->arch != b->arch)
		return a->arch < b->arch ? -1 : 1;
	if (a->nr_first != b->nr_first)
		return a->nr_first < b->nr_first ? -1 : 1;
	if (a->args != b->args)
		return a->args - b->args;
	return memcmp(&a->witness.args, &b->witness.args, sizeof(a->witness.args));
}

/* Adjacent runs with the same answers and no argument test read as one
 * (not across a quarter of a known arch's numbers: x32's bit). */
static void join(struct sg_diff *out)
{
	size_t k = 0;
	for (size_t i = 0; i < out->n; i++) {
		struct sg_diff_entry *p = k ? &out->v[k - 1] : NULL, *e = &out->v[i];
		if (p && !p->args && !e->args && !p->syscall && !e->syscall && p->arch_known == e->arch_known &&
		    p->arch == e->arch && !(p->arch_known && (p->nr_last & 0x3fffffffu) == 0x3fffffffu) &&
		    p->a == e->a && p->b == e->b && p->nr_last != UINT32_MAX && p->nr_last + 1 == e->nr_first) {
			p->nr_last = e->nr_last;
			continue;
		}
		out->v[k++] = *e;
	}
	out->n = k;
}

int sg_diff(const struct sg_sym_input *a, const struct sg_sym_input *b, const struct sg_diff_opts *o,
	    struct sg_diff *out, struct sg_diags *d)
{
	struct sg_sym_input in[2] = { *a, *b };
	struct differ f = { .in = in, .o = o, .out = out, .d = d };
	memset(out, 0, sizeof(*out));
	int rc = 0;
	if (!o->narches)
		rc = sg_sym_explore(in, 2, NULL, 0, on_region, &f, d);
	for (size_t i = 0; i < o->narches && rc == 0; i++) {
		struct sg_sym_atom on = { SG_SYM_WORD_ARCH, SG_SYM_EQ, 0xffffffffu, o->arches[i] };
		rc = sg_sym_explore(in, 2, &on, 1, on_region, &f, d);
	}
	free(f.named);
	if (rc || f.failed) {
		sg_diff_free(out);
		return -1;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_entry);
	join(out);
	return 0;
}

void sg_diff_free(struct sg_diff *out)
{
	free(out->v);
	out->v = NULL;
	out->n = 0;
}
