/* The source stage's baseProfileName merge against its model, on random
 * profiles: each side (the profile, its base, the base's base) decides a
 * call by its own rules under the profile's default, and the merged filter
 * must give, at every call, the least restrictive side's answer, a side's
 * default counting as more restrictive than any rule (the operator's
 * union). A merge sysgate refuses must be refused for different actions
 * under argument conditions, never for anything else. The sides are documents
 * of one YAML stream, so the stream's reading is exercised too. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sysgate/emit.h"
#include "sysgate/emulate.h"
#include "sysgate/resolve.h"
#include "sysgate/source.h"

#define DEFAULT_ERRNO 77 /* the default's errno: no rule uses it */

static const char *const names[] = { "read", "write", "close", "kill", "personality" };
static const char *const actions[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_ERRNO", "SCMP_ACT_TRAP",
				       "SCMP_ACT_KILL_PROCESS" };
#define NNAMES (sizeof(names) / sizeof(*names))
#define NACTIONS (sizeof(actions) / sizeof(*actions))

struct text {
	char s[8192];
	size_t n;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(t->s + t->n, sizeof(t->s) - t->n, fmt, ap);
	va_end(ap);
	if (k > 0 && (size_t)k < sizeof(t->s) - t->n)
		t->n += (size_t)k;
}

static unsigned below(uint64_t *rng, unsigned n) { return (unsigned)(splitmix64(rng) % n); }

/* One side's syscalls: 0 to 3 rules of 1 or 2 names, a third of them with
 * a condition on args[0]. */
static void rules(struct text *t, uint64_t *rng)
{
	unsigned n = below(rng, 4);
	put(t, "\"syscalls\":[");
	for (unsigned i = 0; i < n; i++) {
		const char *a = actions[below(rng, NACTIONS)];
		put(t, "%s{\"action\":\"%s\",%s\"names\":[\"%s\"", i ? "," : "", a,
		    !strcmp(a, "SCMP_ACT_ERRNO") ? "\"errnoRet\":5," : "", names[below(rng, NNAMES)]);
		if (below(rng, 2))
			put(t, ",\"%s\"", names[below(rng, NNAMES)]);
		put(t, "]");
		if (below(rng, 3) == 0)
			put(t, ",\"args\":[{\"index\":0,\"op\":\"SCMP_CMP_EQ\",\"value\":%u}]", below(rng, 3));
		put(t, "}");
	}
	put(t, "]");
}

/* A SeccompProfile document (JSON is YAML's flow style). */
static void document(struct text *t, const char *name, const char *base, const char *syscalls)
{
	put(t, "---\n{\"apiVersion\":\"security-profiles-operator.x-k8s.io/v1beta1\",\"kind\":\"SeccompProfile\","
	       "\"metadata\":{\"name\":\"%s\"},\"spec\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":%d,",
	    name, DEFAULT_ERRNO);
	if (base)
		put(t, "\"baseProfileName\":\"%s\",", base);
	put(t, "%s}}\n", syscalls);
}

static int build(const char *text, const char *name, struct sg_prog *prog, int *refused)
{
	struct sg_diags d;
	sg_diags_init(&d);
	struct sg_source_opts so = { .name = name };
	struct sg_profile *p = sg_source_parse("t.yaml", text, strlen(text), &so, &d);
	struct sg_policy *pol = NULL;
	int rc = -1;
	*refused = 0;
	if (p) {
		struct sg_resolve_opts o;
		sg_resolve_opts_init(&o);
		o.kernel[0] = 6, o.kernel[1] = 1, o.kernel[2] = 0;
		o.targets[o.ntargets++] = o.host = sg_arch_lookup("x86_64");
		o.enosys_off = 1; /* the stub starts above each side's own names */
		pol = sg_resolve(p, &o, &d);
		struct sg_compile_opts co;
		sg_compile_opts_init(&co);
		rc = pol ? sg_compile(pol, &co, prog, &d) : -1;
	} else {
		for (size_t i = 0; i < d.n; i++)
			*refused |= strstr(d.v[i].message, "different actions under argument conditions") != NULL;
	}
	if (rc && !*refused)
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "  %u:%u %s: %s\n", d.v[i].loc.line, d.v[i].loc.col, d.v[i].loc.path,
				d.v[i].message);
	sg_policy_free(pol);
	sg_profile_free(p);
	sg_diags_free(&d);
	return rc;
}

static uint32_t run(const struct sg_prog *prog, uint32_t nr, uint64_t a0)
{
	const struct sg_arch *a = sg_arch_lookup("x86_64");
	struct sg_seccomp_data sd = { .nr = nr, .arch = a->audit_arch, .args = { a0 } };
	return sg_bpf_run(prog->insns, prog->len, &sd, a->endian, NULL, NULL, 0);
}

/* The union of the sides' answers; 0 with *ambiguous when two sides give
 * actions of one rank that differ (which the model leaves open). */
static uint32_t model(const uint32_t *side, size_t n, int *ambiguous)
{
	const uint32_t dflt = SG_RET_ERRNO | DEFAULT_ERRNO;
	uint32_t best = dflt;
	*ambiguous = 0;
	for (size_t i = 0; i < n; i++) {
		if (side[i] == dflt)
			continue;
		if (best == dflt || sg_action_rank(side[i]) > sg_action_rank(best))
			best = side[i];
		else if (sg_action_rank(side[i]) == sg_action_rank(best) && side[i] != best)
			*ambiguous = 1;
	}
	return best;
}

int main(void)
{
	uint64_t rng = 14;
	unsigned merged = 0, refused = 0, compared = 0;
	for (int round = 0; round < 400; round++) {
		struct text own = { .n = 0 }, base = { .n = 0 }, root = { .n = 0 };
		rules(&own, &rng);
		rules(&base, &rng);
		rules(&root, &rng);
		int chain = below(&rng, 2); /* the base has a base of its own */
		struct text stream = { .n = 0 }, alone[3];
		document(&stream, "app", "base", own.s);
		document(&stream, "base", chain ? "root" : NULL, base.s);
		if (chain)
			document(&stream, "root", NULL, root.s);
		const char *sides[3] = { own.s, base.s, root.s };
		size_t nsides = chain ? 3 : 2;
		/* the stream's profiles, counted, and chosen by their index: the
		 * last, which has no base, and one past the end */
		struct sg_diags cd;
		struct sg_source_opts last = { .index = nsides }, past = { .index = nsides + 1 };
		sg_diags_init(&cd);
		CHECK(sg_source_count("s.yaml", stream.s, stream.n, &cd) == (long)nsides, "%zu profiles counted (round %d)",
		      nsides, round);
		struct sg_profile *lp = sg_source_parse("s.yaml", stream.s, stream.n, &last, &cd);
		CHECK(lp && lp->name && strcmp(lp->name, chain ? "root" : "base") == 0, "profile %zu by index (round %d)",
		      nsides, round);
		sg_profile_free(lp);
		CHECK(!sg_source_parse("s.yaml", stream.s, stream.n, &past, &cd) && cd.errors == 1 && cd.n &&
			      strstr(cd.v[cd.n - 1].message, "no profile"),
		      "an index past the stream's profiles is an error (round %d)", round);
		sg_diags_free(&cd);
		struct sg_prog side[3], all;
		int ok = 1, no;
		for (size_t i = 0; i < nsides; i++) {
			alone[i].n = 0;
			document(&alone[i], "one", NULL, sides[i]);
			ok &= build(alone[i].s, NULL, &side[i], &no) == 0;
		}
		CHECK(ok, "each side alone compiles (round %d)", round);
		int was_refused;
		if (build(stream.s, "app", &all, &was_refused)) {
			CHECK(was_refused, "the merge fails only by refusing mixed conditions (round %d):\n%s", round,
			      stream.s);
			refused++;
		} else {
			merged++;
			for (size_t k = 0; k < NNAMES; k++) {
				uint32_t nr;
				sg_syscall_nr(sg_arch_lookup("x86_64"), names[k], &nr);
				for (uint64_t a0 = 0; a0 < 4; a0++) {
					uint32_t got[3], ambiguous;
					for (size_t i = 0; i < nsides; i++)
						got[i] = run(&side[i], nr, a0);
					int amb;
					uint32_t want = model(got, nsides, &amb);
					ambiguous = (uint32_t)amb;
					if (ambiguous)
						continue;
					uint32_t have = run(&all, nr, a0);
					compared++;
					CHECK(have == want, "%s(%llu): merged 0x%08x, the union of the sides 0x%08x (round %d):\n%s",
					      names[k], (unsigned long long)a0, have, want, round, stream.s);
				}
			}
			sg_prog_free(&all);
		}
		for (size_t i = 0; i < nsides; i++)
			sg_prog_free(&side[i]);
	}
	printf("source: %u random merges compiled and compared on %u calls, %u refused (mixed conditions)\n", merged,
	       compared, refused);
	CHECK(merged > 200 && refused > 0, "both outcomes seen: %u merged, %u refused", merged, refused);
	return check_summary("source");
}
