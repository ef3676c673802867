/* The lint stage: each check on small inline profiles, firing and not
 * firing; the seeds' profiles (profiles/, and those written out in
 * ../shared/seeds' documents); Docker's default's socket width; --json
 * output for every corpus and seed profile read back by the strict JSON
 * check and jsmn; the same findings twice. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"
#include "lint_impl.h"
#include "sysgate/lint.h"

static const char *shared = "../shared";

static void opts_for(struct sg_resolve_opts *o, const char *arch)
{
	sg_resolve_opts_init(o);
	o->kernel[0] = 6, o->kernel[1] = 12, o->kernel[2] = 0; /* not the running kernel: the same answers anywhere */
	if (arch) {
		o->host = sg_arch_lookup(arch);
		o->targets[0] = o->host;
		o->ntargets = 1;
	}
}

/* Lints text on arch (NULL: the profile's own targets); -1 invalid. */
static int lint_on(const char *text, const char *arch, struct sg_lint *l)
{
	struct sg_resolve_opts o;
	struct sg_diags d;
	opts_for(&o, arch);
	sg_diags_init(&d);
	int rc = sg_lint_text("p.json", text, strlen(text), NULL, &o, l, &d);
	sg_diags_free(&d);
	return rc;
}

/* The findings of id whose message holds needle (NULL: any). */
static size_t count(const struct sg_lint *l, const char *id, const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += strcmp(l->v[i].id, id) == 0 && (!needle || strstr(l->v[i].message, needle));
	return n;
}

static const struct sg_finding *find(const struct sg_lint *l, const char *id, const char *needle)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0 && (!needle || strstr(l->v[i].message, needle)))
			return &l->v[i];
	return NULL;
}

/* One case: text linted on arch has (want) or has not (!want) a finding
 * of id holding needle, of severity sev when it has. */
static void expect(const char *what, const char *text, const char *arch, const char *id, const char *needle, int want,
		   enum sg_lint_severity sev)
{
	struct sg_lint l;
	int rc = lint_on(text, arch, &l);
	CHECK(rc == 0, "%s: lints", what);
	const struct sg_finding *f = find(&l, id, needle);
	CHECK(want ? f != NULL : f == NULL, "%s: %s %s", what, id, want ? "expected" : "not expected");
	if (want && f)
		CHECK(f->severity == sev, "%s: severity %s", what, sg_lint_severity_name(f->severity));
	if (!want && f)
		fprintf(stderr, "  unexpected: %s\n", f->message);
	sg_lint_free(&l);
}

#define ALLOWLIST_START "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"write\","
#define RUNS "\"exit\",\"exit_group\",\"execve\""

static void test_own_calls(void)
{
	expect("too restrictive", ALLOWLIST_START "\"exit\",\"exit_group\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64",
	       "workload-cannot-start", "\"execve\"", 1, SG_LINT_ERROR);
	expect("execve allowed", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64",
	       "workload-cannot-start", NULL, 0, 0);
	const char *noexit = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"exit_group\",\"exit\"],"
			     "\"action\":\"SCMP_ACT_ERRNO\"}]}";
	expect("no way to end", noexit, "x86_64", "cannot-exit", "both", 1, SG_LINT_ERROR);
	expect("exit_group only", "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"exit_group\"],"
	       "\"action\":\"SCMP_ACT_ERRNO\"}]}", "x86_64", "cannot-exit", "\"exit_group\" is", 1, SG_LINT_WARNING);
	expect("exits allowed", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64", "cannot-exit", NULL,
	       0, 0);
	/* the listener handoff: sendmsg refused under a NOTIFY profile */
	expect("handoff", "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/a.sock\",\"syscalls\":["
	       "{\"names\":[\"sendmsg\"],\"action\":\"SCMP_ACT_ERRNO\"},{\"names\":[\"mkdir\"],\"action\":"
	       "\"SCMP_ACT_NOTIFY\"}]}", "x86_64", "workload-cannot-start", "listener", 1, SG_LINT_ERROR);
	expect("no handoff", "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"sendmsg\"],"
	       "\"action\":\"SCMP_ACT_ERRNO\"}]}", "x86_64", "workload-cannot-start", NULL, 0, 0);
}

static void test_siblings(void)
{
	const char *chmod = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"chmod\"],"
			    "\"action\":\"SCMP_ACT_ERRNO\"}]}";
	expect("chmod alone", chmod, "x86_64", "sibling-gap", "\"fchmodat2\"", 1, SG_LINT_WARNING);
	struct sg_lint l;
	if (lint_on(chmod, "x86_64", &l) == 0) {
		const struct sg_finding *f = find(&l, "sibling-gap", "\"chmod\" is refused");
		CHECK(f && f->loc.line == 1 && strcmp(f->loc.path, "/syscalls/0/names/0") == 0 &&
			      strstr(f->fix, "refuse") && strstr(f->fix, "fchmodat2"),
		      "sibling-gap names the refusing rule and the fix");
		sg_lint_free(&l);
	}
	expect("the whole family", "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"chmod\",\"fchmod\","
	       "\"fchmodat\",\"fchmodat2\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", "x86_64", "sibling-gap", NULL, 0, 0);
	/* the sibling allowed for some arguments only: an info */
	expect("conditional sibling", "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[" RUNS "],"
	       "\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"unlink\"],\"action\":\"SCMP_ACT_KILL\"},{\"names\":"
	       "[\"unlinkat\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":2,\"value\":0,\"op\":"
	       "\"SCMP_CMP_EQ\"}]}]}", "x86_64", "sibling-gap", "\"unlinkat\"", 1, SG_LINT_INFO);
	/* an allowlist leaving a call out is no gap */
	expect("allowlist", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64", "sibling-gap", NULL, 0,
	       0);
	/* refused with ENOSYS so that libc falls back: Docker's clone3 */
	expect("clone3 ENOSYS", "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"clone3\"],"
	       "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}", "x86_64", "sibling-gap", NULL, 0, 0);
}

static void test_fallbacks(void)
{
	expect("clone3 EPERM", "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"clone3\"],"
	       "\"action\":\"SCMP_ACT_ERRNO\"}]}", "x86_64", "enosys-trap", "\"clone3\"", 1, SG_LINT_WARNING);
	expect("clone3 ENOSYS", "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"clone3\"],"
	       "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}", "x86_64", "enosys-trap", NULL, 0, 0);
	/* the ENOSYS stub answers numbers above the last one named */
	expect("stubbed", ALLOWLIST_START RUNS ",\"clone\",\"close\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64",
	       "enosys-trap", NULL, 0, 0);
	/* ... unless the profile names a later call: then the default's EPERM */
	expect("not stubbed", ALLOWLIST_START RUNS ",\"clone\",\"close\",\"openat2\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
	       "x86_64", "enosys-trap", "\"clone3\"", 1, SG_LINT_WARNING);
	expect("no fallback allowed", ALLOWLIST_START RUNS ",\"openat2\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64",
	       "enosys-trap", "\"clone3\"", 0, 0);
}

static void test_dangers(void)
{
	expect("bpf allowed", ALLOWLIST_START RUNS ",\"bpf\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64",
	       "dangerous-allow", "\"bpf\" is allowed unconditionally", 1, SG_LINT_WARNING);
	struct sg_lint l;
	if (lint_on(ALLOWLIST_START RUNS ",\"bpf\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64", &l) == 0) {
		const struct sg_finding *f = find(&l, "dangerous-allow", "\"bpf\"");
		CHECK(f && strstr(f->why, "CAP_SYS_ADMIN"), "dangerous-allow names the capability");
		sg_lint_free(&l);
	}
	expect("nothing dangerous", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64",
	       "dangerous-allow", NULL, 0, 0);
	expect("personality bare", ALLOWLIST_START RUNS ",\"personality\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64",
	       "dangerous-allow", "without an argument test", 1, SG_LINT_WARNING);
	expect("personality tested", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"personality\"],"
	       "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}", "x86_64",
	       "dangerous-allow", NULL, 0, 0);
	expect("keyctl tested", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"keyctl\"],"
	       "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}", "x86_64",
	       "dangerous-allow", "for some arguments", 1, SG_LINT_INFO);
	expect("by default", "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", "x86_64", "dangerous-allow", "the default action",
	       1, SG_LINT_WARNING);
}

static void test_default(void)
{
	expect("allow default", "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", "x86_64", "denylist-default", NULL, 1,
	       SG_LINT_WARNING);
	expect("log default", "{\"defaultAction\":\"SCMP_ACT_LOG\"}", "x86_64", "denylist-default", NULL, 1,
	       SG_LINT_WARNING);
	expect("errno default", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64", "denylist-default",
	       NULL, 0, 0);
	expect("rule = default", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"mkdir\"],"
	       "\"action\":\"SCMP_ACT_ERRNO\"}]}", "x86_64", "rule-equals-default", NULL, 1, SG_LINT_INFO);
	expect("rule != default", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"mkdir\"],"
	       "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}", "x86_64", "rule-equals-default", NULL, 0, 0);
}

static void test_widths(void)
{
	const char *gt = ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"socket\"],\"action\":"
			 "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":40,\"op\":\"SCMP_CMP_GT\"}]}]}";
	expect("socket > 40", gt, "x86_64", "arg-width", "0x100000028", 1, SG_LINT_WARNING);
	expect("socket > 40 on aarch64", gt, "aarch64", "arg-width", "0x100000028", 1, SG_LINT_WARNING);
	expect("32-bit ABI", gt, "x86", "arg-width", NULL, 0, 0);
	expect("socket == 2", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"socket\"],\"action\":"
	       "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}]}", "x86_64", "arg-width",
	       NULL, 0, 0);
	expect("a full-width argument", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"mmap\"],"
	       "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,\"value\":4096,\"op\":\"SCMP_CMP_LT\"}]}]}",
	       "x86_64", "arg-width", NULL, 0, 0);
}

static void test_multiplexers(void)
{
	const char *sock = ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"socket\"],\"action\":"
			   "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}]}";
	expect("socket by domain on x86", sock, "x86", "multiplexer-widening", "socketcall(1, ...)", 1, SG_LINT_WARNING);
	expect("socket by domain on x86_64", sock, "x86_64", "multiplexer-widening", NULL, 0, 0);
	expect("socketcall allowed, connect refused", ALLOWLIST_START RUNS ",\"socketcall\"],\"action\":"
	       "\"SCMP_ACT_ALLOW\"}]}", "x86", "multiplexer-widening", "\"connect\" itself is refused (", 1,
	       SG_LINT_WARNING);
	expect("socket allowed", ALLOWLIST_START RUNS ",\"socket\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86",
	       "multiplexer-widening", NULL, 0, 0);
	/* a deny list's refusal applies through the multiplexer too */
	expect("connect refused", "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"connect\"],"
	       "\"action\":\"SCMP_ACT_ERRNO\"}]}", "x86", "multiplexer-widening", NULL, 0, 0);
}

static void test_check_warnings(void)
{
	expect("typo", ALLOWLIST_START RUNS ",\"ptrce\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64", "unknown-syscall",
	       "did you mean \"ptrace\"", 1, SG_LINT_WARNING);
	expect("overlap", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"read\"],\"action\":"
	       "\"SCMP_ACT_KILL\"}]}", "x86_64", "rule-overlap", NULL, 1, SG_LINT_WARNING);
	expect("masked", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"mmap\"],\"action\":"
	       "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":2,\"value\":4,\"valueTwo\":6,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
	       "x86_64", "masked-eq-mask", NULL, 1, SG_LINT_WARNING);
	expect("unknown field", "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscals\":[]}", "x86_64", "unknown-field", NULL,
	       1, SG_LINT_WARNING);
	expect("width value", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"socket\"],\"action\":"
	       "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":4294967298,\"op\":\"SCMP_CMP_EQ\"}]}]}", "x86_64",
	       "arg-width-value", NULL, 1, SG_LINT_WARNING);
	expect("clean", ALLOWLIST_START RUNS "],\"action\":\"SCMP_ACT_ALLOW\"}]}", "x86_64", "check-warning", NULL, 0, 0);
	/* a located error for an invalid profile, no findings */
	struct sg_resolve_opts o;
	struct sg_diags d;
	struct sg_lint l;
	opts_for(&o, "x86_64");
	sg_diags_init(&d);
	const char *bad = "{\n  \"defaultAction\": \"SCMP_ACT_ALOW\"\n}";
	CHECK(sg_lint_text("bad.json", bad, strlen(bad), NULL, &o, &l, &d) == -1 && !l.valid && l.n == 0,
	      "an invalid profile is refused");
	CHECK(d.errors == 1 && d.n && d.v[0].loc.line == 2 && strcmp(d.v[0].loc.path, "/defaultAction") == 0,
	      "the error is located: %zu errors", d.errors);
	sg_lint_free(&l);
	sg_diags_free(&d);
}

/* ---- profiles from files ------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
	struct sg_diags d;
	char *text = NULL;
	sg_diags_init(&d);
	if (sg_read_file(path, &text, len, &d))
		text = NULL;
	sg_diags_free(&d);
	/* sg_read_file's buffer holds len bytes and no terminator: the
	 * documents are searched as strings */
	char *z = text ? malloc(*len + 1) : NULL;
	if (z) {
		memcpy(z, text, *len);
		z[*len] = '\0';
	}
	free(text);
	return z;
}

static int lint_file(const char *path, const char *arch, struct sg_lint *l)
{
	size_t len;
	char *text = slurp(path, &len);
	struct sg_resolve_opts o;
	struct sg_diags d;
	opts_for(&o, arch);
	sg_diags_init(&d);
	int rc = text ? sg_lint_text(path, text, len, NULL, &o, l, &d) : -1;
	if (!text)
		memset(l, 0, sizeof(*l));
	sg_diags_free(&d);
	free(text);
	return rc;
}

static void test_seed_profiles(void)
{
	struct sg_lint l;
	if (lint_file("profiles/block-chmod.json", "x86_64", &l) == 0) {
		CHECK(count(&l, "sibling-gap", "\"fchmodat2\"") == 3, "block-chmod: chmod, fchmod, fchmodat vs fchmodat2");
		CHECK(count(&l, "denylist-default", NULL) == 1, "block-chmod: a deny list");
		sg_lint_free(&l);
	}
	if (lint_file("profiles/deny-dangerous.json", NULL, &l) == 0) {
		static const char *const open[] = { "\"fsopen\"", "\"fsmount\"", "\"move_mount\"", "\"open_tree\"" };
		for (size_t i = 0; i < 4; i++)
			CHECK(count(&l, "sibling-gap", open[i]) >= 1, "deny-dangerous: mount refused, %s open", open[i]);
		const struct sg_finding *f = find(&l, "sibling-gap", "\"mount\" is refused");
		CHECK(f && strstr(f->arches, "x86_64") && strstr(f->arches, "x32"),
		      "deny-dangerous: one finding naming the arches: %s", f ? f->arches : "none");
		sg_lint_free(&l);
	}
	if (lint_file("profiles/too-restrictive.json", NULL, &l) == 0) {
		CHECK(count(&l, "workload-cannot-start", "\"execve\"") == 1, "too-restrictive: execve refused");
		CHECK(sg_lint_max_severity(&l) == SG_LINT_ERROR, "too-restrictive: an error");
		sg_lint_free(&l);
	}
	if (lint_file("profiles/runtime-default.json", "x86_64", &l) == 0) {
		CHECK(count(&l, "sibling-gap", NULL) == 0 && count(&l, "enosys-trap", NULL) == 0 &&
			      count(&l, "workload-cannot-start", NULL) == 0 && count(&l, "cannot-exit", NULL) == 0,
		      "runtime-default: no gap, trap or start/exit finding");
		CHECK(count(&l, "arg-width", "0x1000000") == 1, "runtime-default: socket's width");
		sg_lint_free(&l);
	}
}

static void test_docker_default(void)
{
	char path[256];
	struct sg_lint l;
	snprintf(path, sizeof(path), "%s/corpus/moby-default-current.json", shared);
	if (lint_file(path, "x86_64", &l) != 0) {
		printf("lint: SKIP Docker's default: %s not readable\n", path);
		return;
	}
	const struct sg_finding *f = find(&l, "arg-width", "socket(args[0] = 0x1000000");
	CHECK(f != NULL, "Docker's default: socket's domain compared as 64 bits lets a value through");
	CHECK(f && strcmp(f->loc.path + strlen(f->loc.path) - 7, "/args/0") == 0, "located at the condition: %s",
	      f ? f->loc.path : "");
	sg_lint_free(&l);
	if (lint_file(path, "x86", &l) == 0) {
		CHECK(count(&l, "multiplexer-widening", "socketcall(1, ...)") == 1, "Docker's default on x86: socketcall");
		sg_lint_free(&l);
	}
}

/* ---- JSON ------------------------------------------------------------------------ */

/* Strict RFC 8259 and jsmn, then the shape: an array of n objects with a
 * findings array each. */
static int json_valid(const char *text, size_t len, size_t n)
{
	struct sg_json j;
	struct sg_diags d;
	sg_diags_init(&d);
	int ok = sg_json_load(&j, "out.json", text, len, &d) == 0;
	sg_diags_free(&d);
	if (!ok)
		return 0;
	ok = j.ntok > 0 && j.tok[0].type == JSMN_ARRAY && (size_t)j.tok[0].size == n;
	for (int t = 1; ok && t < j.ntok; t = sg_json_next(&j, t)) {
		int keys = 0;
		ok = j.tok[t].type == JSMN_OBJECT;
		for (int k = t + 1; ok && k < sg_json_next(&j, t); k = sg_json_next(&j, k + 1))
			keys += sg_json_str_eq(&j, k, "file") || sg_json_str_eq(&j, k, "valid") ||
				sg_json_str_eq(&j, k, "errors") ||
				(sg_json_str_eq(&j, k, "findings") && j.tok[k + 1].type == JSMN_ARRAY);
		ok = ok && keys == 4;
	}
	sg_json_free(&j);
	return ok;
}

static void json_one(const char *name, const char *text, size_t len)
{
	struct sg_resolve_opts o;
	struct sg_diags d;
	struct sg_lint l[2];
	opts_for(&o, NULL);
	sg_diags_init(&d);
	int rc = sg_lint_text(name, text, len, NULL, &o, &l[0], &d);
	l[1] = l[0];
	const struct sg_diags *errs[2] = { &d, &d };
	size_t n = 0, tn = 0;
	char *out = sg_lint_format_json(l, errs, 2, &n), *txt = sg_lint_format_text(l, 1, &tn);
	CHECK(out && json_valid(out, n, 2), "%s: --json is valid JSON (%s)", name, rc ? "invalid profile" : "linted");
	CHECK(txt != NULL, "%s: text", name);
	/* the same again: deterministic */
	struct sg_lint again;
	struct sg_diags d2;
	sg_diags_init(&d2);
	sg_lint_text(name, text, len, NULL, &o, &again, &d2);
	size_t n2 = 0;
	char *out2 = sg_lint_format_text(&again, 1, &n2);
	CHECK(txt && out2 && n2 == tn && memcmp(txt, out2, tn) == 0, "%s: the same findings twice", name);
	free(out);
	free(out2);
	free(txt);
	sg_lint_free(&l[0]);
	sg_lint_free(&again);
	sg_diags_free(&d);
	sg_diags_free(&d2);
}


static void json_dir(const char *dir, const char *suffix, void (*each)(const char *path))
{
	DIR *dp = opendir(dir);
	if (!dp) {
		printf("lint: SKIP %s: not found\n", dir);
		return;
	}
	struct dirent *e;
	while ((e = readdir(dp))) {
		size_t n = strlen(e->d_name), s = strlen(suffix);
		char path[1024];
		if (n <= s || strcmp(e->d_name + n - s, suffix) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		each(path);
	}
	closedir(dp);
}

static void json_file(const char *path)
{
	size_t len;
	char *text = slurp(path, &len);
	CHECK(text != NULL, "%s readable", path);
	if (text)
		json_one(path, text, len);
	free(text);
}

static size_t seed_profiles; /* how many the documents hold */

/* The seeds are documents: each profile written out in one starts with a
 * line "{" and ends with the next line "}". */
static void seed_doc(const char *path)
{
	size_t len;
	char *text = slurp(path, &len);
	int found = 0;
	for (char *p = text; p && (p = strstr(p, "\n{\n"));) {
		char *end = strstr(p + 1, "\n}\n");
		if (!end)
			break;
		char name[1100];
		snprintf(name, sizeof(name), "%s@%zu", path, (size_t)(p - text));
		json_one(name, p + 1, (size_t)(end + 2 - (p + 1)));
		found++;
		p = end;
	}
	seed_profiles += (size_t)found;
	free(text);
}

static void test_json(void)
{
	char dir[256];
	json_dir("profiles", ".json", json_file);
	snprintf(dir, sizeof(dir), "%s/corpus", shared);
	json_dir(dir, ".json", json_file);
	snprintf(dir, sizeof(dir), "%s/seeds", shared);
	json_dir(dir, ".txt", seed_doc);
	DIR *seeds = opendir(dir);
	CHECK(!seeds || seed_profiles >= 15, "the seeds' documents hold %zu profiles", seed_profiles);
	if (seeds)
		closedir(seeds);
	/* strings that need escaping, in a file name and a message */
	const char *odd = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\\\"b\\\\c\\u0001\"],"
			  "\"action\":\"SCMP_ACT_ERRNO\"}]}";
	json_one("we\"ird\\name\t.json", odd, strlen(odd));
}

/* The seeds' too-restrictive.json, as the document writes it. */
static void test_seed_documents(void)
{
	char path[256];
	size_t len;
	snprintf(path, sizeof(path), "%s/seeds/004_64f0dd13ccc11a33.txt", shared);
	char *text = slurp(path, &len), *p = text ? strstr(text, "too-restrictive.json\n{") : NULL;
	char *end = p ? strstr(p, "\n}\n") : NULL;
	if (!end) {
		printf("lint: SKIP the seeds' too-restrictive.json: not in %s\n", path);
		free(text);
		return;
	}
	p += strlen("too-restrictive.json\n");
	struct sg_lint l;
	struct sg_resolve_opts o;
	struct sg_diags d;
	opts_for(&o, NULL);
	sg_diags_init(&d);
	CHECK(sg_lint_text("too-restrictive.json", p, (size_t)(end + 2 - p), NULL, &o, &l, &d) == 0 &&
		      count(&l, "workload-cannot-start", "\"execve\"") == 1,
	      "the seeds' too-restrictive.json: execve refused");
	sg_lint_free(&l);
	sg_diags_free(&d);
	free(text);
}

/* Every name the tables hold is some architecture's syscall. */
static void test_tables(void)
{
	size_t narches;
	const struct sg_arch *const *all = sg_arches(&narches);
	const char *names[512];
	size_t n = 0;
	for (size_t s = 0; s < sg_lint_nsiblings; s++)
		for (const char *const *m = sg_lint_siblings[s]; *m && n < 512; m++)
			names[n++] = *m;
	for (size_t i = 0; i < sg_lint_nfallbacks && n + 2 <= 512; i++)
		names[n++] = sg_lint_fallbacks[i].newer, names[n++] = sg_lint_fallbacks[i].older;
	for (size_t i = 0; i < sg_lint_ndangers && n < 512; i++)
		names[n++] = sg_lint_dangers[i].name;
	for (size_t i = 0; i < n; i++) {
		int known = 0;
		uint32_t nr;
		for (size_t a = 0; a < narches && !known; a++)
			known = sg_syscall_nr(all[a], names[i], &nr) == 0;
		CHECK(known, "\"%s\" in lint's tables is a syscall somewhere", names[i]);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		shared = argv[1];
	test_tables();
	test_own_calls();
	test_siblings();
	test_fallbacks();
	test_dangers();
	test_default();
	test_widths();
	test_multiplexers();
	test_check_warnings();
	test_seed_profiles();
	test_docker_default();
	test_seed_documents();
	test_json();
	return check_summary("lint");
}
