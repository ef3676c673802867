/* Fuzz target: the learning path. Bytes are a log (lines, as import-log
 * reads them) or, when they start with '{', a base profile; the calls the
 * log names and the base's rules go into a learn set, which is
 * written in both formats. Nothing may crash or leak; a write may be
 * refused (more architectures than sysgate reads back: an error in d, no
 * text), but a profile written must parse and resolve without an error, be
 * written the same way twice, and its filter must allow every call the log
 * named. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sysgate/auditlog.h"
#include "sysgate/emit.h"
#include "sysgate/emulate.h"
#include "sysgate/learn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CALLS 64

struct calls {
	uint32_t arch[MAX_CALLS], nr[MAX_CALLS];
	size_t n;
};

static void from_log(struct sg_learn *l, const char *text, size_t size, struct calls *c, struct sg_diags *d)
{
	for (size_t at = 0; at < size;) {
		const char *nl = memchr(text + at, '\n', size - at);
		size_t len = nl ? (size_t)(nl - (text + at)) + 1 : size - at;
		struct sg_audit_call a;
		const char *why;
		if (sg_audit_parse_line(text + at, len, &a, &why) == SG_AUDIT_SECCOMP) {
			uint64_t args[6] = { a.nr, a.arch, 0, 0, 0, 0 };
			if (sg_learn_add(l, a.arch, a.nr, a.has_pid ? args : NULL, a.code, d) >= 0 && c->n < MAX_CALLS) {
				c->arch[c->n] = a.arch;
				c->nr[c->n++] = a.nr;
			}
		}
		at += len;
	}
}

static void from_base(struct sg_learn *l, const char *text, size_t size, struct sg_diags *d)
{
	struct sg_profile *p = sg_profile_parse("base.json", text, size, d);
	struct sg_resolve_opts o;
	sg_resolve_opts_init(&o);
	o.host = sg_arch_lookup("x86_64");
	o.kernel[0] = 6, o.kernel[1] = 1, o.kernel[2] = 0;
	struct sg_policy *pol = p ? sg_resolve(p, &o, d) : NULL;
	if (pol)
		sg_learn_add_base(l, pol, d);
	sg_policy_free(pol);
	sg_profile_free(p);
}

/* The written profile parses, resolves, compiles, and allows each call. */
static void check_output(const char *text, size_t len, const struct calls *c)
{
	struct sg_diags d;
	sg_diags_init(&d);
	struct sg_profile *p = sg_profile_parse("learned.json", text, len, &d);
	if (!p)
		abort();
	struct sg_resolve_opts o;
	sg_resolve_opts_init(&o);
	o.host = sg_arch_lookup("x86_64");
	struct sg_policy *pol = sg_resolve(p, &o, &d);
	struct sg_compile_opts co;
	struct sg_prog prog = { 0 };
	sg_compile_opts_init(&co);
	if (!pol || d.errors)
		abort();
	int compiled = sg_compile(pol, &co, &prog, &d) == 0;
	for (size_t i = 0; compiled && i < c->n; i++) {
		const struct sg_arch *a = sg_arch_for_call(c->arch[i], c->nr[i]);
		struct sg_seccomp_data sd = { .nr = c->nr[i], .arch = c->arch[i], .args = { c->nr[i], c->arch[i] } };
		if (sg_bpf_run(prog.insns, prog.len, &sd, a->endian, NULL, NULL, 0) != SG_RET_ALLOW)
			abort();
	}
	sg_prog_free(&prog);
	sg_policy_free(pol);
	sg_profile_free(p);
	sg_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_diags d;
	struct calls c = { .n = 0 };
	sg_diags_init(&d);
	struct sg_learn *l = sg_learn_new(sg_arch_lookup("x86_64"));
	if (!l)
		return 0;
	sg_learn_track(l, "ioctl", &d);
	sg_learn_track(l, "personality", &d);
	if (size && data[0] == '{')
		from_base(l, (const char *)data, size, &d);
	else
		from_log(l, (const char *)data, size, &c, &d);
	for (int f = 0; f < 2; f++) {
		struct sg_learn_opts o = { f ? SG_LEARN_SPO : SG_LEARN_OCI, "fuzz" };
		char *a = NULL, *b = NULL;
		size_t na = 0, nb = 0;
		/* refused: nothing to check */
		if (sg_learn_write(l, &o, &a, &na, &d) == 0 && sg_learn_write(l, &o, &b, &nb, &d) == 0) {
			if (na != nb || memcmp(a, b, na) != 0)
				abort();
			check_output(a, na, &c);
		}
		free(a);
		free(b);
	}
	char *sum = NULL;
	size_t ns;
	if (sg_learn_summary(l, &sum, &ns, &d) == 0)
		free(sum);
	sg_learn_free(l);
	sg_diags_free(&d);
	return 0;
}
