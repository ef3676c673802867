/* libseccomp's filter for a sysgate-parsed profile: see lsc_build.h. */
#include "lsc_build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sysgate/emit.h"

uint32_t lsc_action(const struct sg_action *a, const struct sg_arch *arch)
{
	uint32_t data = 1;
	uint16_t named;
	if (a->has_errno_ret)
		data = a->errno_ret;
	else if (a->errno_name && sg_errno_value(arch, a->errno_name, &named) == 0)
		data = named;
	switch (a->kind) {
	case SG_ACT_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case SG_ACT_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case SG_ACT_TRAP: return SCMP_ACT_TRAP;
	case SG_ACT_ERRNO: return SCMP_ACT_ERRNO(data);
	case SG_ACT_TRACE: return SCMP_ACT_TRACE(data);
	case SG_ACT_LOG: return SCMP_ACT_LOG;
	case SG_ACT_ALLOW: return SCMP_ACT_ALLOW;
	case SG_ACT_NOTIFY: return SCMP_ACT_NOTIFY;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static const enum scmp_compare scmp_ops[] = {
	[SG_CMP_NE] = SCMP_CMP_NE, [SG_CMP_LT] = SCMP_CMP_LT, [SG_CMP_LE] = SCMP_CMP_LE,
	[SG_CMP_EQ] = SCMP_CMP_EQ, [SG_CMP_GE] = SCMP_CMP_GE, [SG_CMP_GT] = SCMP_CMP_GT,
	[SG_CMP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

static int repeats_index(const struct sg_rule *r)
{
	unsigned seen = 0;
	for (size_t i = 0; i < r->nconds; i++) {
		if (seen >> r->conds[i].index & 1)
			return 1;
		seen |= 1u << r->conds[i].index;
	}
	return 0;
}

/* The filter's actions, for repair_cross_endian. */
struct actions {
	uint32_t *v;
	size_t n, cap;
};

static void actions_add(struct actions *a, uint32_t x)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i] == x)
			return;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->v = realloc(a->v, a->cap * sizeof(*a->v));
		if (!a->v) {
			perror("realloc");
			exit(2);
		}
	}
	a->v[a->n++] = x;
}

static int actions_have(const struct actions *a, uint32_t x)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i] == x)
			return 1;
	return 0;
}

static scmp_filter_ctx build_ctx(const struct lsc_opts *o, struct lsc_counts *counts, struct actions *acts)
{
	const struct sg_profile *p = o->p;
	const struct sg_arch *first = o->arches[0];
	const char *what = o->what ? o->what : "libseccomp";
	uint32_t dflt = lsc_action(&p->default_action, first);
	scmp_filter_ctx ctx = seccomp_init(dflt);
	if (!ctx) {
		fprintf(stderr, "%s: seccomp_init(0x%08x) failed\n", what, dflt);
		return NULL;
	}
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (!rc && o->tree)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	actions_add(acts, dflt);
	actions_add(acts, SCMP_ACT_KILL_PROCESS);
	int native_in = 0;
	for (size_t i = 0; i < o->narches; i++)
		native_in |= seccomp_arch_resolve_name(o->arches[i]->name) == seccomp_arch_native();
	if (!rc && !native_in) /* first: arches of another byte order cannot be mixed */
		rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
	for (size_t i = 0; i < o->narches && !rc; i++) {
		uint32_t token = seccomp_arch_resolve_name(o->arches[i]->name);
		if (token != seccomp_arch_native())
			rc = seccomp_arch_add(ctx, token);
	}
	if (rc) {
		fprintf(stderr, "%s: setting up the filter: %s\n", what, strerror(-rc));
		seccomp_release(ctx);
		return NULL;
	}
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sg_rule *r = &p->rules[i];
		if (o->rule_used && !o->rule_used[i])
			continue;
		uint32_t act = lsc_action(&r->action, first);
		if (act == dflt)
			continue; /* runc: libseccomp refuses it (EACCES) */
		actions_add(acts, act);
		struct scmp_arg_cmp cmp[SG_MAX_ARGS];
		for (size_t c = 0; c < r->nconds && c < SG_MAX_ARGS; c++)
			cmp[c] = (struct scmp_arg_cmp){ r->conds[c].index, scmp_ops[r->conds[c].op], r->conds[c].value,
							r->conds[c].value_two };
		int split = repeats_index(r);
		for (size_t k = 0; k < r->nnames; k++) {
			int nr = seccomp_syscall_resolve_name(r->names[k]);
			if (nr == __NR_SCMP_ERROR) {
				if (counts)
					counts->unknown++;
				continue;
			}
			for (size_t g = 0; g < (split ? r->nconds : 1); g++) {
				rc = split ? seccomp_rule_add_array(ctx, act, nr, 1, &cmp[g])
					   : seccomp_rule_add_array(ctx, act, nr, (unsigned)r->nconds, cmp);
				if (rc < 0) {
					if (counts)
						counts->refused++;
					if (o->note_refused)
						fprintf(stderr, "note: %s: libseccomp refuses rule %zu (%s): %s\n", what, i,
							r->names[k], strerror(-rc));
				}
			}
		}
	}
	return ctx;
}

scmp_filter_ctx lsc_build_ctx(const struct lsc_opts *o, struct lsc_counts *counts)
{
	return build_ctx(o, counts, NULL);
}

int lsc_export(scmp_filter_ctx ctx, enum sg_endian e, struct sg_prog *out, const char *what)
{
	int fd = memfd_create("sysgate-libseccomp", 0);
	if (fd < 0) {
		perror("memfd_create");
		return -1;
	}
	int rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0) {
		fprintf(stderr, "%s: seccomp_export_bpf: %s\n", what, strerror(-rc));
		close(fd);
		return -1;
	}
	off_t len = lseek(fd, 0, SEEK_END);
	unsigned char *buf = len > 0 ? malloc((size_t)len) : NULL;
	if (!buf || pread(fd, buf, (size_t)len, 0) != len) {
		fprintf(stderr, "%s: cannot read the exported program back\n", what);
		free(buf);
		close(fd);
		return -1;
	}
	close(fd);
	struct sg_diags d;
	sg_diags_init(&d);
	rc = sg_prog_from_raw(buf, (size_t)len, e, out, &d, what);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	free(buf);
	return rc;
}

static uint32_t bswap32(uint32_t x)
{
	return x >> 24 | (x >> 8 & 0xff00u) | (x << 8 & 0xff0000u) | x << 24;
}

/* libseccomp 2.5.4 bug, accommodated: when a jump to a return is too long
 * for 8 bits, _gen_bpf_build_jmp_ret() puts a copy of the return closer,
 * made by _gen_bpf_action() from the k of the original, which is already in
 * the target's byte order, so it is converted twice: in a cross-endian
 * export (s390x or mips from an x86_64 host) the copy's k is in host order,
 * ALLOW (0x7fff0000) becoming 0x0000ff7f, a KILL_THREAD. The export is
 * repaired here: a RET K whose k is none of the filter's actions but whose
 * byte swap is one is swapped back. Returns how many were repaired. */
static size_t repair_cross_endian(struct sg_prog *prog, const struct actions *acts)
{
	size_t n = 0;
	for (size_t i = 0; i < prog->len; i++) {
		struct sg_insn *in = &prog->insns[i];
		if (in->code == (SG_BPF_RET | SG_BPF_K) && !actions_have(acts, in->k) &&
		    actions_have(acts, bswap32(in->k))) {
			in->k = bswap32(in->k);
			n++;
		}
	}
	return n;
}

int lsc_build(const struct lsc_opts *o, struct sg_prog *out, struct lsc_counts *counts)
{
	struct actions acts = { 0 };
	const struct sg_arch *first = o->arches[0];
	scmp_filter_ctx ctx = build_ctx(o, counts, &acts);
	if (!ctx) {
		free(acts.v);
		return -1;
	}
	int rc = lsc_export(ctx, first->endian, out, o->what ? o->what : "libseccomp");
	seccomp_release(ctx);
	const union {
		uint16_t u;
		uint8_t b[2];
	} probe = { 1 };
	enum sg_endian host = probe.b[0] ? SG_LITTLE_ENDIAN : SG_BIG_ENDIAN;
	if (rc == 0 && first->endian != host) {
		size_t n = repair_cross_endian(out, &acts);
		if (counts)
			counts->repaired += n;
	}
	free(acts.v);
	return rc;
}
