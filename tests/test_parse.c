/* Unit tests of the parse and resolve stages through the library API. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>

#include "check.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"
/* jsmn's own tokenizer too, to compare the library's tokens with */
#define JSMN_STATIC
#define JSMN_STRICT
#define SG_JSON_TOKENIZER
#include "json.h"

static struct sg_profile *parse(const char *json, struct sg_diags *d)
{
	sg_diags_init(d);
	return sg_profile_parse("t.json", json, strlen(json), d);
}

static int has_message(const struct sg_diags *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i].message, needle))
			return 1;
	return 0;
}

static struct sg_policy *resolve_on(const struct sg_profile *p, const char *host, struct sg_diags *d)
{
	struct sg_resolve_opts o;
	sg_resolve_opts_init(&o);
	o.host = sg_arch_lookup(host);
	o.kernel[0] = 6, o.kernel[1] = 1, o.kernel[2] = 0;
	return sg_resolve(p, &o, d);
}

static void test_full_object(void)
{
	struct sg_diags d;
	struct sg_profile *p = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\n"
		" \"architectures\":[\"SCMP_ARCH_X86_64\",\"x86\",\"amd64\"],\n"
		" \"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],\"listenerPath\":\"/run/a.sock\",\"listenerMetadata\":\"m\",\n"
		" \"syscalls\":[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\",\"comment\":\"io\"},\n"
		"  {\"name\":\"personality\",\"action\":\"SCMP_ACT_KILL\",\n"
		"   \"args\":[{\"index\":0,\"value\":18446744073709551615,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
		&d);
	CHECK(p != NULL, "full object parses");
	if (!p)
		return;
	CHECK(p->default_action.kind == SG_ACT_ERRNO && p->default_action.has_errno_ret &&
		      p->default_action.errno_ret == 38, "default ERRNO(38)");
	CHECK(p->narches == 2, "amd64 repeats x86_64: %zu arches", p->narches);
	CHECK(has_message(&d, "listed twice"), "duplicate arch warned");
	CHECK(p->has_flags && p->flags == SG_FLAG_LOG, "flags");
	CHECK(p->listener_path && strcmp(p->listener_path, "/run/a.sock") == 0, "listenerPath");
	CHECK(p->nrules == 2 && p->rules[0].nnames == 2 && strcmp(p->rules[0].names[1], "write") == 0, "names");
	CHECK(p->rules[1].action.kind == SG_ACT_KILL_THREAD, "SCMP_ACT_KILL is KILL_THREAD");
	CHECK(p->rules[1].nconds == 1 && p->rules[1].conds[0].value == UINT64_MAX &&
		      p->rules[1].conds[0].op == SG_CMP_MASKED_EQ, "u64 max value");
	CHECK(p->rules[1].loc.line == 5 && strcmp(p->rules[1].loc.path, "/syscalls/1") == 0,
	      "rule location %u %s", p->rules[1].loc.line, p->rules[1].loc.path);
	struct sg_loc nl;
	sg_rule_name_loc(&p->rules[1], 0, &nl);
	CHECK(nl.line == 5 && nl.col == 11 && strcmp(nl.path, "/syscalls/1/name") == 0, "name location %u:%u %s",
	      nl.line, nl.col, nl.path);
	sg_rule_name_loc(&p->rules[0], 1, &nl);
	CHECK(strcmp(nl.path, "/syscalls/0/names/1") == 0, "names location %s", nl.path);
	sg_rule_cond_loc(&p->rules[1], 0, &nl);
	CHECK(nl.line == 6 && nl.col == 12 && strcmp(nl.path, "/syscalls/1/args/0") == 0, "condition location %u:%u %s",
	      nl.line, nl.col, nl.path);
	CHECK(d.errors == 0, "no errors");
	sg_profile_free(p);
	sg_diags_free(&d);
}

static void test_escapes(void)
{
	struct sg_diags d;
	struct sg_profile *p = parse("{\"defaultAction\":\"SCMP_ACT_\\u0041LLOW\",\"syscalls\":[{\"names\":[\"re\\u0061d\"],"
				     "\"action\":\"SCMP_ACT_ERRNO\"}],\"x\\/y\":\"\\ud83d\\ude00\"}",
				     &d);
	CHECK(p && p->default_action.kind == SG_ACT_ALLOW, "escaped action name decodes");
	CHECK(p && strcmp(p->rules[0].names[0], "read") == 0, "escaped syscall name decodes");
	CHECK(has_message(&d, "unknown field \"x/y\""), "unknown field shown decoded");
	CHECK(d.n && strcmp(d.v[d.n - 1].loc.path, "/x~1y") == 0, "JSON pointer escapes '/': %s",
	      d.n ? d.v[d.n - 1].loc.path : "");
	sg_profile_free(p);
	sg_diags_free(&d);
}

static void test_numbers(void)
{
	static const struct {
		const char *value;
		int ok;
		uint64_t want;
	} cases[] = {
		{ "0", 1, 0 },
		{ "-0", 1, 0 },
		{ "4294967296", 1, 4294967296ull },
		{ "18446744073709551615", 1, UINT64_MAX },
		{ "18446744073709551616", 0, 0 },
		{ "99999999999999999999999", 0, 0 },
		{ "-1", 0, 0 },
		{ "1.0", 0, 0 },
		{ "1E2", 0, 0 },
		{ "null", 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char json[256];
		snprintf(json, sizeof(json),
			 "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
			 "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"op\":\"SCMP_CMP_EQ\",\"value\":%s}]}]}",
			 cases[i].value);
		struct sg_diags d;
		struct sg_profile *p = parse(json, &d);
		CHECK((p != NULL) == cases[i].ok, "value %s: parse %s", cases[i].value, p ? "ok" : "failed");
		if (p && cases[i].ok)
			CHECK(p->rules[0].conds[0].value == cases[i].want, "value %s", cases[i].value);
		if (!cases[i].ok)
			CHECK(d.errors == 1 && strcmp(d.v[0].loc.path, "/syscalls/0/args/0/value") == 0,
			      "value %s: one error at the value, got %zu", cases[i].value, d.errors);
		sg_profile_free(p);
		sg_diags_free(&d);
	}
}

/* Every error is reported, not just the first. */
static void test_all_errors(void)
{
	struct sg_diags d;
	struct sg_profile *p = parse("{\"defaultAction\":\"X\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"Y\"},"
				     "{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":9}]}]}",
				     &d);
	CHECK(p == NULL, "invalid");
	CHECK(d.errors == 3, "three errors, got %zu", d.errors);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
}

/* A list of names: each problem at its element (line:col and path), in
 * order, the good names kept, past the first growth of the list. */
static void test_names_list(void)
{
	struct sg_diags d;
	struct sg_profile *p = parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_ERRNO\",\n"
				     "\"names\":[\"a0\",\"a1\",\"a2\",\"a3\",\"a4\",\"a5\",\"a6\",\"a7\",5,\"\",\"x\\u0000\",\n"
				     " \"b\\u0030\",\"b1\",\"b2\",\"b3\",\"b4\",\"b5\",\"b6\",\"b7\",\"b8\",\"b9\",null]}]}",
				     &d);
	static const char *const want[] = {
		"t.json:2:50: /syscalls/0/names/8: expected a string, found number",
		"t.json:2:52: /syscalls/0/names/9: empty syscall name",
		"t.json:2:55: /syscalls/0/names/10: string contains a NUL character (\\u0000)",
		"t.json:3:57: /syscalls/0/names/21: expected a string, found null",
	};
	size_t k = 0, ok = p == NULL && d.n == 4;
	for (size_t i = 0; ok && i < d.n; i++, k++) {
		char line[256];
		snprintf(line, sizeof(line), "%s:%u:%u: %s: %s", d.v[i].file, d.v[i].loc.line, d.v[i].loc.col,
			 d.v[i].loc.path, d.v[i].message);
		ok = strcmp(line, want[k]) == 0;
		if (!ok)
			fprintf(stderr, "got %s\nwant %s\n", line, want[k]);
	}
	CHECK(ok, "errors in a names list: %zu", d.n);
	sg_profile_free(p);
	sg_diags_free(&d);
	p = parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_ERRNO\",\"names\":"
		  "[\"a0\",\"a1\",\"a2\",\"a3\",\"a4\",\"a5\",\"a6\",\"a7\",\"a8\",\"a\\u0039\"],\"name\":\"n\"},"
		  "{\"action\":\"SCMP_ACT_ERRNO\",\"names\":[\"c0\"],\"names\":[\"c1\",\"c2\"]}]}",
		  &d);
	CHECK(p == NULL && d.errors == 2, "names and name, and names twice: %zu errors", d.errors);
	sg_profile_free(p);
	sg_diags_free(&d);
	p = parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_ERRNO\",\"names\":"
		  "[\"a0\",\"a1\",\"a2\",\"a3\",\"a4\",\"a5\",\"a6\",\"a7\",\"a8\",\"a\\u0039\"]}]}",
		  &d);
	CHECK(p && p->rules[0].nnames == 10 && strcmp(p->rules[0].names[9], "a9") == 0 &&
		      p->rules[0].name_pos[9].col == 128,
	      "ten names kept, the last decoded, at its column");
	sg_profile_free(p);
	sg_diags_free(&d);
}

static const struct sg_arch_policy *arch_of(const struct sg_policy *pol, const char *name)
{
	for (size_t i = 0; i < pol->narches; i++)
		if (strcmp(pol->arches[i].arch->name, name) == 0)
			return &pol->arches[i];
	return NULL;
}

static void test_resolve_semantics(void)
{
	struct sg_diags d;
	/* runc: repeated index -> one rule per condition; same-as-default dropped;
	 * a name unknown on one arch skipped there */
	struct sg_profile *p = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86\"],\"syscalls\":["
		"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
		"  {\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"},{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]},"
		"{\"names\":[\"mmap\",\"arch_prctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
		"  {\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"},{\"index\":1,\"value\":8,\"op\":\"SCMP_CMP_GE\"}]},"
		"{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\"},"
		"{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1},"
		"{\"names\":[\"gettid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":2}]}",
		&d);
	CHECK(p != NULL, "parses");
	if (!p)
		return;
	struct sg_policy *pol = resolve_on(p, "x86_64", &d);
	CHECK(pol != NULL, "resolves");
	if (!pol)
		goto out;
	CHECK(pol->narches == 2 && pol->arches[0].arch == sg_arch_lookup("x86_64"), "native first, then x86");
	CHECK(pol->flags == SG_FLAG_SPEC_ALLOW, "no flags key: runc's SPEC_ALLOW");
	const struct sg_arch_policy *x64 = arch_of(pol, "x86_64"), *x86 = arch_of(pol, "x86");
	CHECK(x64 && x64->default_action == (SG_RET_ERRNO | 1), "default ERRNO(EPERM)");
	/* personality x2 (split), mmap (2 conds ANDed), arch_prctl, gettid; getpid, getppid dropped */
	CHECK(x64 && x64->nrules == 5, "x86_64 rules: %zu", x64 ? x64->nrules : 0);
	/* in the order they are tried: most restrictive action first, profile order among equals */
	if (x64 && x64->nrules == 5) {
		CHECK(x64->rules[0].nr == 186 && x64->rules[0].action == (SG_RET_ERRNO | 2), "gettid ERRNO(2) first");
		CHECK(x64->rules[1].nr == 135 && x64->rules[1].nconds == 1 && x64->rules[1].conds[0].value == 0 &&
			      x64->rules[2].conds[0].value == 8, "personality split into ORed rules");
		CHECK(x64->rules[3].nr == 9 && x64->rules[3].nconds == 2, "mmap keeps ANDed conditions");
		CHECK(x64->rules[4].nr == 158, "arch_prctl on x86_64");
	}
	CHECK(pol->rules_dropped == 2, "two rules equal the default: %zu", pol->rules_dropped);
	/* on i386 mmap is 90 (old_mmap) and arch_prctl is 384 */
	CHECK(x86 && x86->nrules == 5, "x86 rules: %zu", x86 ? x86->nrules : 0);
	sg_policy_free(pol);
out:
	sg_profile_free(p);
	sg_diags_free(&d);
}

static void test_archmap_and_filters(void)
{
	struct sg_diags d;
	struct sg_profile *p = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":["
		"{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]},"
		"{\"architecture\":\"SCMP_ARCH_AARCH64\",\"subArchitectures\":[\"SCMP_ARCH_ARM\"]},"
		"{\"architecture\":\"SCMP_ARCH_PARISC\",\"subArchitectures\":null}],"
		"\"syscalls\":["
		"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"arch_prctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"amd64\"]}},"
		"{\"names\":[\"reboot\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_BOOT\"]}},"
		"{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
		"{\"names\":[\"bpf\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"minKernel\":\"5.8\"}}]}",
		&d);
	CHECK(p != NULL, "parses");
	CHECK(has_message(&d, "SCMP_ARCH_PARISC\" is not supported"), "unsupported arch warned, not fatal");
	if (!p)
		return;
	struct sg_policy *pol = resolve_on(p, "x86_64", &d);
	CHECK(pol && pol->narches == 3 && arch_of(pol, "x32") && arch_of(pol, "x86"), "archMap entry for x86_64");
	/* kernel 6.1, Docker caps: read, arch_prctl, clone3 apply; reboot (no CAP_SYS_BOOT), bpf (5.8 <= 6.1) not */
	CHECK(pol && pol->rules_excluded == 2, "two excluded: %zu", pol ? pol->rules_excluded : 0);
	/* the includes arch is the host's, as in Docker: x86 gets arch_prctl too */
	const struct sg_arch_policy *x86 = pol ? arch_of(pol, "x86") : NULL;
	int found = 0;
	for (size_t i = 0; x86 && i < x86->nrules; i++)
		found |= x86->rules[i].nr == 384;
	CHECK(found, "arch_prctl (384) on the x86 sub-architecture");
	sg_policy_free(pol);

	pol = resolve_on(p, "aarch64", &d);
	CHECK(pol && pol->narches == 2 && arch_of(pol, "arm"), "archMap entry for aarch64");
	CHECK(pol && pol->rules_excluded == 3, "arch_prctl excluded on arm64: %zu", pol ? pol->rules_excluded : 0);
	sg_policy_free(pol);

	pol = resolve_on(p, "riscv64", &d);
	CHECK(pol && pol->narches == 1, "no entry: native only");
	CHECK(has_message(&d, "archMap has no entry for SCMP_ARCH_RISCV64"), "warned");
	sg_policy_free(pol);
	sg_profile_free(p);
	sg_diags_free(&d);
}

static void test_errno_names(void)
{
	struct sg_diags d;
	struct sg_profile *p = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"defaultErrno\":\"ENOSYS\","
				     "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"EAGAIN\"}]}",
				     &d);
	CHECK(p != NULL, "parses");
	if (!p)
		return;
	struct sg_policy *pol = resolve_on(p, "mips", &d);
	CHECK(pol && pol->arches[0].default_action == (SG_RET_ERRNO | 38), "errnoRet wins over the name");
	CHECK(has_message(&d, "\"ENOSYS\" is 89 on mips but errnoRet says 38"), "disagreement warned");
	CHECK(pol && pol->arches[0].nrules == 1 && pol->arches[0].rules[0].action == (SG_RET_ERRNO | 11),
	      "EAGAIN is 11 on mips");
	sg_policy_free(pol);
	sg_profile_free(p);
	sg_diags_free(&d);
}

static void test_kernel_object(void)
{
	struct sg_diags d;
	struct sg_profile *p = parse("{\"apiVersion\":\"security-profiles-operator.x-k8s.io/v1beta1\",\"kind\":\"SeccompProfile\","
				     "\"metadata\":{\"name\":\"a\"},\"spec\":{\"defaultAction\":\"SCMP_ACT_LOG\","
				     "\"baseProfileName\":\"runc-v1.2.0\",\"disabled\":false}}",
				     &d);
	CHECK(p && p->kubernetes && p->default_action.kind == SG_ACT_LOG, "SeccompProfile spec read");
	CHECK(p && p->name && !strcmp(p->name, "a"), "metadata.name read");
	CHECK(p && p->base_name && !strcmp(p->base_name, "runc-v1.2.0") && !p->base_merged, "baseProfileName recorded");
	CHECK(d.warnings == 0, "nothing warned: %zu", d.warnings);
	/* fail closed: a base named but not merged (sg_source_*) is refused */
	struct sg_policy *pol = p ? resolve_on(p, "x86_64", &d) : NULL;
	CHECK(!pol && has_message(&d, "is not merged"), "an unmerged base refused by resolve");
	sg_policy_free(pol);
	sg_profile_free(p);
	sg_diags_free(&d);
}

static void test_kernel_version(void)
{
	unsigned v[3];
	const char *end;
	CHECK(sg_kernel_parse("6.1.0-18-amd64", v, NULL) == 0 && v[0] == 6 && v[1] == 1 && v[2] == 0, "uname release");
	CHECK(sg_kernel_parse("4.8", v, &end) == 0 && *end == '\0' && v[0] == 4 && v[1] == 8, "X.Y");
	CHECK(sg_kernel_parse("6", v, NULL) != 0, "major alone refused");
	CHECK(sg_kernel_parse("4.8.1", v, &end) == 0 && *end == '\0' && v[2] == 1, "X.Y.Z");
	/* minKernel wants nothing after the version: each of these leaves some */
	CHECK(sg_kernel_parse("4.8.", v, &end) == 0 && strcmp(end, ".") == 0, "4.8. ends before the dot");
	CHECK(sg_kernel_parse("4.8.1.2", v, &end) == 0 && strcmp(end, ".2") == 0, "a fourth part is left");
	CHECK(sg_kernel_parse("4..8", v, NULL) != 0 && sg_kernel_parse(".4.8", v, NULL) != 0, "empty parts refused");
	CHECK(sg_cap_lookup("sys_admin") == 21 && sg_cap_lookup("CAP_BPF") == 39 && sg_cap_lookup("CAP_NOPE") < 0,
	      "capability names");
	uint64_t dflt = sg_caps_docker_default();
	CHECK(__builtin_popcountll(dflt) == 14, "Docker's 14 default capabilities");
}

/* Whatever the bytes, parsing returns a profile or errors, never crashes:
 * mutated and truncated copies of a valid profile (run under ASan/valgrind). */
/* The library makes the tokens jsmn (JSMN_STRICT, JSMN_PARENT_LINKS) makes
 * of the text its check accepts, and fails where jsmn does (a number or
 * literal that ends the input): the same type, span, size and parent. */
static size_t jsmn_compared;

static void same_as_jsmn(const char *text, size_t len, const char *what)
{
	struct sg_json j;
	struct sg_diags d;
	sg_diags_init(&d);
	int rc = sg_json_load(&j, "t.json", text, len, &d);
	const char *msg = d.n ? d.v[0].message : "";
	/* the one-pass path accepts nothing the strict check alone refuses */
	int valid = sg_json_valid(text, len) == 0;
	CHECK(valid ? rc == 0 || strstr(msg, "tokenizer error") : rc != 0 && strstr(msg, "invalid JSON: "),
	      "%s: loaded as the check alone says (%s: %s)", what, valid ? "well-formed" : "malformed", msg);
	if (rc == 0 || strstr(msg, "tokenizer error")) {
		jsmntok_t *tok = malloc((len + 1) * sizeof(*tok));
		jsmn_parser p;
		jsmn_init(&p);
		int n = tok ? jsmn_parse(&p, text, len, tok, (unsigned)len + 1) : 0;
		int same = rc == 0 ? n == j.ntok : n < 0;
		for (int i = 0; same && rc == 0 && i < n; i++)
			same = tok[i].type == j.tok[i].type && tok[i].start == j.tok[i].start && tok[i].end == j.tok[i].end &&
			       tok[i].size == j.tok[i].size && tok[i].parent == j.tok[i].parent;
		/* what sg_json_next and sg_json_loc say of each token, as the token
		 * sizes and the text say it (tokens come in the order of the text) */
		size_t at = 0, line = 1, col = 1;
		for (int t = 0; same && rc == 0 && t < n; t++) {
			int u = t, pending = 1;
			while (pending > 0 && u < n)
				pending += tok[u++].size - 1;
			size_t begin = (size_t)tok[t].start - (tok[t].type == JSMN_STRING);
			for (; at < begin; at++)
				col = text[at] == '\n' ? (line++, 1) : col + 1;
			struct sg_loc l;
			sg_json_loc(&j, t, &l, "");
			same = sg_json_next(&j, t) == u && l.line == line && l.col == col;
		}
		char want[64];
		snprintf(want, sizeof(want), "tokenizer error %d", n);
		CHECK(same && (rc == 0 || strstr(msg, want)),
		      "%s: tokens as jsmn's, next and line:col as the text says (%d of them; %s)", what, n, msg);
		jsmn_compared++;
		free(tok);
	}
	sg_json_free(&j);
	sg_diags_free(&d);
}

/* Every file of the committed fuzz corpora and of profiles/. */
static void test_tokens_as_jsmn(void)
{
	static const char *const dirs[] = { "profiles", "fuzz/corpus/parse", "fuzz/corpus/compile" };
	static const char *const texts[] = { "5", "5 ", "true", "\"s\"", "[1,-0.5e3,true,null]", "{\"a\":{\"b\":[[],{}]},\"c\":\"\\\"\"}" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		same_as_jsmn(texts[i], strlen(texts[i]), texts[i]);
	/* 64 levels and 65 (refused), and more tokens than a byte in four */
	char deep[200], dense[200];
	for (int levels = 64; levels <= 65; levels++) {
		memset(deep, '[', (size_t)levels);
		memset(deep + levels, ']', (size_t)levels);
		same_as_jsmn(deep, 2 * (size_t)levels, "nested arrays");
	}
	size_t nd = 0;
	dense[nd++] = '[';
	for (int k = 0; k < 60; k++)
		nd += (size_t)snprintf(dense + nd, sizeof(dense) - nd, "%s1", k ? "," : "");
	dense[nd++] = ']';
	same_as_jsmn(dense, nd, "dense array");
	for (size_t k = 0; k < sizeof(dirs) / sizeof(*dirs); k++) {
		DIR *dir = opendir(dirs[k]);
		CHECK(dir != NULL, "%s: run from the repository root", dirs[k]);
		for (struct dirent *e; dir && (e = readdir(dir));) {
			char path[512];
			struct sg_diags d;
			char *text;
			size_t len;
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[k], e->d_name);
			sg_diags_init(&d);
			if (sg_read_file(path, &text, &len, &d) == 0) {
				same_as_jsmn(text, len, path);
				free(text);
			}
			sg_diags_free(&d);
		}
		if (dir)
			closedir(dir);
	}
	CHECK(jsmn_compared > 1000, "tokens compared with jsmn's for %zu inputs", jsmn_compared);
}

static void test_mutations(void)
{
	static const char base[] =
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"archMap\":[{\"architecture\":"
		"\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\"]}],\"syscalls\":[{\"names\":"
		"[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"],"
		"\"minKernel\":\"4.8\"}},{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":"
		"[{\"index\":0,\"value\":131080,\"valueTwo\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}";
	static const char alphabet[] = "{}[]:,\"\\u0009 -1eE.ntf\x00\xff\xc3";
	char buf[sizeof(base)];
	uint32_t seed = 12345;
	size_t parsed = 0, rejected = 0, silent = 0;
	for (int iter = 0; iter < 20000; iter++) {
		memcpy(buf, base, sizeof(base));
		size_t len = sizeof(base) - 1;
		int edits = 1 + iter % 4;
		for (int e = 0; e < edits; e++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = (seed >> 8) % len;
			seed = seed * 1103515245u + 12345u;
			if (seed % 5 == 0)
				len = pos; /* truncate */
			else
				buf[pos] = alphabet[(seed >> 8) % (sizeof(alphabet) - 1)];
			if (len == 0)
				break;
		}
		same_as_jsmn(buf, len, "a mutation");
		struct sg_diags d;
		sg_diags_init(&d);
		struct sg_profile *p = sg_profile_parse("m.json", buf, len, &d);
		if (p) {
			parsed++;
			struct sg_policy *pol = resolve_on(p, "x86_64", &d);
			sg_policy_free(pol);
		} else {
			rejected++;
			silent += d.errors == 0;
		}
		sg_profile_free(p);
		sg_diags_free(&d);
	}
	CHECK(parsed > 100 && rejected > 100, "mutations: %zu parsed, %zu rejected", parsed, rejected);
	CHECK(silent == 0, "%zu inputs rejected without an error message", silent);
}

/* Duplicate keys come out sorted by key, then by place, whether the walker
 * finds them with its hash or, when keys collide too often, by sorting. */
static void check_duplicates_in(const char *json, const char *const *want, size_t nwant, const char *what)
{
	struct sg_diags d;
	struct sg_profile *p = parse(json, &d);
	size_t k = 0, ok = p == NULL;
	for (size_t i = 0; i < d.n; i++) {
		const char *m = d.v[i].message;
		if (strncmp(m, "duplicate key ", 14) != 0)
			continue;
		ok &= k < nwant && strcmp(m + 14, want[k]) == 0;
		k++;
	}
	CHECK(ok && k == nwant, "%s: %zu duplicate errors, want %zu, in order", what, k, nwant);
	sg_profile_free(p);
	sg_diags_free(&d);
}

/* The walker's hash of a key (src/walk.c), to make keys collide. */
static size_t key_slot(const char *key, size_t nslots)
{
	size_t len = strlen(key);
	uint64_t prefix = 0;
	for (size_t i = 0; i < 8; i++)
		prefix = prefix << 8 | (i < len ? (unsigned char)key[i] : 0);
	uint64_t h = prefix * 0x9e3779b97f4a7c15u ^ len;
	for (size_t j = 8; j < len; j++)
		h = (h ^ (unsigned char)key[j]) * 0x100000001b3u;
	return (size_t)(h ^ h >> 31) & (nslots - 1);
}

static void test_duplicate_keys(void)
{
	static const char *const want1[] = { "\"a\"", "\"a\"", "\"abcdefgh1\"", "\"b\"", "\"b\"" };
	check_duplicates_in("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"b\":1,\"a\":1,\"abcdefgh1\":1,\"b\":2,"
			    "\"abcdefgh\":1,\"a\":2,\"abcdefgh2\":1,\"a\":3,\"\\u0062\":3,\"abcdefgh1\":2}",
			    want1, 5, "a few");
	/* 100 keys in one slot of the 256 an object of 106 keys gets: the hash gives up */
	char json[8192] = "{\"defaultAction\":\"SCMP_ACT_ALLOW\"", key[16], first[3][16];
	size_t n = 0;
	for (unsigned i = 0; n < 100 && i < 1000000; i++) {
		snprintf(key, sizeof(key), "k%u", i);
		if (key_slot(key, 256) != 7)
			continue;
		if (n < 3)
			strcpy(first[n], key);
		snprintf(json + strlen(json), sizeof(json) - strlen(json), ",\"%s\":%zu", key, n++);
	}
	for (int r = 0; r < 5; r++) /* then the first three again, the first of them three times */
		snprintf(json + strlen(json), sizeof(json) - strlen(json), ",\"%s\":0", first[r < 3 ? 0 : r - 2]);
	strcat(json, "}");
	char want[5][24];
	const char *wantp[5];
	/* sorted by key: the three first keys in the order strcmp gives them */
	int order[3] = { 0, 1, 2 };
	for (int a = 0; a < 3; a++)
		for (int b = a + 1; b < 3; b++)
			if (strcmp(first[order[b]], first[order[a]]) < 0) {
				int t = order[a];
				order[a] = order[b];
				order[b] = t;
			}
	for (int a = 0, w = 0; a < 3; a++)
		for (int c = 0; c < (order[a] == 0 ? 3 : 1); c++, w++) {
			snprintf(want[w], sizeof(want[w]), "\"%s\"", first[order[a]]);
			wantp[w] = want[w];
		}
	CHECK(n == 100, "100 colliding keys found: %zu", n);
	check_duplicates_in(json, wantp, 5, "colliding keys");
}

/* Unknown syscall names made to collide in resolve's hash (FNV-1a, 1024
 * slots at first) are still each warned about, in order. */
static void test_colliding_names(void)
{
	char json[16384] = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_ERRNO\",\"names\":[";
	size_t n = 0;
	for (unsigned i = 0; n < 80 && i < 10000000; i++) {
		char name[16];
		snprintf(name, sizeof(name), "zq%u", i);
		uint64_t h = 0xcbf29ce484222325u;
		for (const char *c = name; *c; c++)
			h = (h ^ (unsigned char)*c) * 0x100000001b3u;
		if ((h & 1023) != 5)
			continue;
		for (int r = 0; r < 2; r++) /* each twice */
			snprintf(json + strlen(json), sizeof(json) - strlen(json), "%s\"%s\"", n || r ? "," : "", name);
		n++;
	}
	strcat(json, "]}]}");
	struct sg_diags d;
	struct sg_profile *p = parse(json, &d);
	struct sg_policy *pol = p ? resolve_on(p, "x86_64", &d) : NULL;
	size_t warned = 0;
	for (size_t i = 0; i < d.n; i++)
		warned += strstr(d.v[i].message, "on every architecture; skipped") != NULL;
	CHECK(n == 80 && pol && warned == 160, "80 colliding unknown names twice: %zu warnings", warned);
	sg_policy_free(pol);
	sg_profile_free(p);
	sg_diags_free(&d);
}

/* The JSON check's error names the mistake a person makes, at its place. */
static void test_syntax_mistakes(void)
{
	static const struct {
		const char *json;
		unsigned line, col;
		const char *message;
	} cases[] = {
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\",\"write\",],\n"
		  "\"action\":\"SCMP_ACT_ERRNO\"}]}",
		  1, 71, "invalid JSON: trailing comma before \"]\" (JSON allows none)" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\n  \"syscalls\":[] ,\n}", 2, 17,
		  "invalid JSON: trailing comma before \"}\" (JSON allows none)" },
		{ "[1,2,\n\n   ]", 1, 5, "invalid JSON: trailing comma before \"]\" (JSON allows none)" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\", // allow\n\"syscalls\":[]}", 1, 36,
		  "invalid JSON: a comment (\"//\"): JSON allows none" },
		{ "/* Docker's */\n{}", 1, 1, "invalid JSON: a comment (\"/*\"): JSON allows none" },
		{ "{\n  # the default\n  \"defaultAction\":\"SCMP_ACT_ALLOW\"}", 2, 3,
		  "invalid JSON: a comment (\"#\"): JSON allows none" },
		{ "{\"defaultAction\":'SCMP_ACT_ALLOW'}", 1, 18,
		  "invalid JSON: a single-quoted string: JSON strings take double quotes" },
		{ "{'defaultAction':\"SCMP_ACT_ALLOW\"}", 1, 2,
		  "invalid JSON: a single-quoted string: JSON strings take double quotes" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\n\tsyscalls: []}", 2, 2,
		  "invalid JSON: unquoted key \"syscalls\": JSON keys take double quotes" },
		{ "{\"defaultAction\": SCMP_ACT_ALLOW}", 1, 19,
		  "invalid JSON: unquoted string \"SCMP_ACT_ALLOW\": JSON strings take double quotes" },
		{ "{\"a\": True}", 1, 7, "invalid JSON: \"True\": JSON's literals are true, false and null, in lower case" },
		{ "{\"a\": 1 \"b\": 2}", 1, 9, "invalid JSON: expected ',' or '}': a comma is missing before this" },
		{ "\xef\xbb\xbf{}", 1, 1, "invalid JSON: the text starts with a byte order mark (U+FEFF): JSON allows none" },
		/* what is no such mistake keeps the check's own words */
		{ "{\"a\":}", 1, 6, "invalid JSON: expected a JSON value" },
		{ "{\"a\" 1}", 1, 6, "invalid JSON: expected ':' after key" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct sg_diags d;
		struct sg_profile *p = parse(cases[i].json, &d);
		CHECK(!p && d.errors == 1 && d.n == 1, "case %zu refused with one error", i);
		if (d.n)
			CHECK(d.v[0].loc.line == cases[i].line && d.v[0].loc.col == cases[i].col &&
				      strcmp(d.v[0].message, cases[i].message) == 0,
			      "case %zu: %u:%u: %s; want %u:%u: %s", i, d.v[0].loc.line, d.v[0].loc.col, d.v[0].message,
			      cases[i].line, cases[i].col, cases[i].message);
		sg_profile_free(p);
		sg_diags_free(&d);
	}
}

/* An unknown field is a warning naming the field meant; --strict
 * (d.strict) makes it an error. Kubernetes' and Docker's own keys are none. */
static void test_unknown_fields(void)
{
	static const char *const json = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\n \"sycalls\":[{\"names\":[\"ptrace\"],"
					"\"action\":\"SCMP_ACT_ERRNO\"}]}";
	struct sg_diags d;
	struct sg_profile *p = parse(json, &d);
	CHECK(p && d.warnings == 1 && d.n == 1 && d.v[0].loc.line == 2 && d.v[0].loc.col == 2 &&
		      strcmp(d.v[0].message, "unknown field \"sycalls\" ignored (did you mean \"syscalls\"?)") == 0,
	      "sycalls: a warning with the field meant: %s", d.n ? d.v[0].message : "");
	sg_profile_free(p);
	sg_diags_free(&d);
	d.strict = 1;
	p = sg_profile_parse("t.json", json, strlen(json), &d);
	CHECK(!p && d.errors == 1 && d.n == 1 && d.v[0].severity == SG_ERROR &&
		      strcmp(d.v[0].message, "unknown field \"sycalls\" (did you mean \"syscalls\"?)") == 0,
	      "sycalls under strict: an error: %s", d.n ? d.v[0].message : "");
	sg_profile_free(p);
	sg_diags_free(&d);
	/* a rule's "arg" would leave it unconditional */
	d.strict = 1;
	static const char *const arg = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"personality\"],"
				       "\"action\":\"SCMP_ACT_ERRNO\",\"arg\":[]}]}";
	p = sg_profile_parse("t.json", arg, strlen(arg), &d);
	CHECK(!p && d.n == 1 && strcmp(d.v[0].loc.path, "/syscalls/0/arg") == 0 &&
		      strstr(d.v[0].message, "(did you mean \"args\"?)"), "arg under strict: %s", d.n ? d.v[0].message : "");
	sg_profile_free(p);
	sg_diags_free(&d);
	static const char *const legit[] = {
		"{\"apiVersion\":\"security-profiles-operator.x-k8s.io/v1beta1\",\"kind\":\"SeccompProfile\","
		"\"metadata\":{\"name\":\"x\",\"namespace\":\"y\"},\"status\":{},\"spec\":{\"defaultAction\":\"SCMP_ACT_LOG\","
		"\"disabled\":false,\"listenerPath\":\"/a\"}}",
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\","
		"\"subArchitectures\":[\"SCMP_ARCH_X86\"]}],\"listenerPath\":\"/a\",\"listenerMetadata\":\"m\",\"syscalls\":"
		"[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"comment\":\"\",\"includes\":{},\"excludes\":{}}]}",
	};
	for (size_t i = 0; i < sizeof(legit) / sizeof(*legit); i++) {
		sg_diags_init(&d);
		d.strict = 1;
		p = sg_profile_parse("t.json", legit[i], strlen(legit[i]), &d);
		CHECK(p && d.n == 0, "real keys %zu pass under strict: %s", i, d.n ? d.v[0].message : "");
		sg_profile_free(p);
		sg_diags_free(&d);
	}
}

/* Architecture names in other conventions are understood (a hint), never taken. */
static void test_arch_guesses(void)
{
	static const struct {
		const char *name, *want;
	} cases[] = {
		{ "SCMP_ARCH_ARM64", "aarch64" }, { "AARCH64", "aarch64" }, { "x86-64", "x86_64" },
		{ "SCMP_ARCH_AMD64", "x86_64" },  { "armhf", "arm" },      { "SCMP_ARCH_I386", "x86" },
		{ "ppc64el", "ppc64le" },        { "SCMP_ARCH_X86_46", "x86_64" }, { "SCMP_ARCH_FOO", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct sg_arch *a = sg_arch_suggest(cases[i].name);
		CHECK(cases[i].want ? a && strcmp(a->name, cases[i].want) == 0 : !a, "%s: %s", cases[i].name,
		      a ? a->name : "none");
	}
	struct sg_diags d;
	struct sg_profile *p = parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_ARM64\"]}", &d);
	CHECK(!p && has_message(&d, "unknown architecture \"SCMP_ARCH_ARM64\" (did you mean SCMP_ARCH_AARCH64?)"),
	      "SCMP_ARCH_ARM64 in a profile");
	sg_profile_free(p);
	sg_diags_free(&d);
	p = parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\","
		  "\"includes\":{\"arches\":[\"SCMP_ARCH_ARM64\"]}}]}",
		  &d);
	CHECK(p && has_message(&d, "architecture \"SCMP_ARCH_ARM64\" never matches: Docker names this host \"arm64\""),
	      "SCMP_ARCH_ARM64 in includes: Docker's name");
	sg_profile_free(p);
	sg_diags_free(&d);
}

int main(void)
{
	test_full_object();
	test_escapes();
	test_numbers();
	test_all_errors();
	test_names_list();
	test_resolve_semantics();
	test_archmap_and_filters();
	test_errno_names();
	test_kernel_object();
	test_kernel_version();
	test_mutations();
	test_tokens_as_jsmn();
	test_duplicate_keys();
	test_colliding_names();
	test_syntax_mistakes();
	test_unknown_fields();
	test_arch_guesses();
	return check_summary("parse");
}
