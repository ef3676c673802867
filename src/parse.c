/* Parse stage: JSON tokens -> struct sg_profile, with every problem reported
 * at its line:col and JSON path. Architecture-specific meaning (syscall
 * numbers, errno names) is left to the resolve stage. */
#include "sysgate/profile.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "sysgate/conditions.h"

struct ctx {
	struct sg_json j;
	struct sg_diags *d;
	const char *file;
	struct sg_profile *p;
	int failed_alloc;
};

typedef int (*field_fn)(struct ctx *c, int t, const struct sg_loc *at, void *obj);

struct field {
	const char *name;
	field_fn fn; /* NULL: accepted and ignored */
};

/* ---- small helpers ------------------------------------------------------ */

/* base + "/" + comp, RFC 6901-escaped, cut short (with "...") rather than
 * overflow. Called for every field, so no printf. */
static void path_append(char *out, size_t outsz, const char *base, const char *comp, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = strnlen(base, outsz - 5);
	memmove(out, base, o);
	out[o++] = '/';
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)comp[i];
		char esc[4];
		size_t el = 1;
		esc[0] = (char)ch;
		if (ch == '~' || ch == '/')
			esc[0] = '~', esc[1] = ch == '~' ? '0' : '1', el = 2;
		else if (ch < 0x20 || ch >= 0x7f)
			esc[0] = '\\', esc[1] = 'x', esc[2] = hex[ch >> 4], esc[3] = hex[ch & 15], el = 4;
		if (o + el + 4 > outsz) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, esc, el);
		o += el;
	}
	out[o] = '\0';
}

static void loc_key(struct ctx *c, int valtok, const struct sg_loc *parent, const char *key, struct sg_loc *out)
{
	sg_json_loc(&c->j, valtok, out, "");
	path_append(out->path, sizeof(out->path), parent->path, key, strlen(key));
}

static void loc_index(struct ctx *c, int valtok, const struct sg_loc *parent, size_t i, struct sg_loc *out)
{
	char num[24];
	size_t n = sizeof(num);
	do
		num[--n] = (char)('0' + i % 10);
	while ((i /= 10) && n);
	sg_json_loc(&c->j, valtok, out, "");
	path_append(out->path, sizeof(out->path), parent->path, num + n, sizeof(num) - n);
}

static int err(struct ctx *c, const struct sg_loc *at, const char *fmt, ...) SG_PRINTF(3, 4);
static int err(struct ctx *c, const struct sg_loc *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sg_error(c->d, c->file, at, "%s", msg);
}

static void warn(struct ctx *c, const struct sg_loc *at, const char *fmt, ...) SG_PRINTF(3, 4);
static void warn(struct ctx *c, const struct sg_loc *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sg_warning(c->d, c->file, at, "%s", msg);
}

static int oom(struct ctx *c, const struct sg_loc *at)
{
	c->failed_alloc = 1;
	return err(c, at, "out of memory");
}

static int want_type(struct ctx *c, int t, const struct sg_loc *at, jsmntype_t type, const char *what)
{
	if (c->j.tok[t].type == type && !(type == JSMN_PRIMITIVE && sg_json_is_null(&c->j, t)))
		return 0;
	return err(c, at, "expected %s, found %s", what, sg_json_type_name(&c->j, t));
}

/* A decoded string value, or NULL after reporting why not. */
static char *get_string(struct ctx *c, int t, const struct sg_loc *at)
{
	if (want_type(c, t, at, JSMN_STRING, "a string"))
		return NULL;
	int nul;
	char *s = sg_json_str(&c->j, t, &nul);
	if (!s) {
		if (nul)
			err(c, at, "string contains a NUL character (\\u0000)");
		else
			oom(c, at);
	}
	return s;
}

static int get_u64(struct ctx *c, int t, const struct sg_loc *at, uint64_t max, uint64_t *out)
{
	const char *why;
	char shown[64];
	if (c->j.tok[t].type != JSMN_PRIMITIVE || sg_json_is_null(&c->j, t) ||
	    c->j.text[c->j.tok[t].start] == 't' || c->j.text[c->j.tok[t].start] == 'f')
		return err(c, at, "expected a non-negative integer, found %s", sg_json_type_name(&c->j, t));
	if (sg_json_u64(&c->j, t, out, &why)) {
		sg_json_show(&c->j, t, shown, sizeof(shown));
		return err(c, at, "%s: %s", why, shown);
	}
	if (*out > max) {
		sg_json_show(&c->j, t, shown, sizeof(shown));
		return err(c, at, "%s is out of range (at most %llu)", shown, (unsigned long long)max);
	}
	return 0;
}

/* Each key once; a duplicate is an error at its second occurrence. Keys are
 * compared decoded, so "a" and "\u0061" collide. */
struct keyref {
	char *key;
	int tok;
};

static int cmp_keyref(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int r = strcmp(x->key, y->key);
	return r ? r : (x->tok > y->tok) - (x->tok < y->tok);
}

static int check_duplicates(struct ctx *c, int t, const struct sg_loc *at)
{
	size_t n = (size_t)c->j.tok[t].size;
	if (n < 2)
		return 0;
	struct keyref *k = calloc(n, sizeof(*k));
	if (!k)
		return oom(c, at);
	int rc = 0;
	int kt = t + 1;
	for (size_t i = 0; i < n; i++) {
		int nul;
		k[i].tok = kt;
		k[i].key = sg_json_str(&c->j, kt, &nul);
		if (!k[i].key) {
			struct sg_loc l;
			sg_json_loc(&c->j, kt, &l, at->path);
			rc = nul ? err(c, &l, "key contains a NUL character (\\u0000)") : oom(c, at);
			n = i;
			break;
		}
		kt = sg_json_next(&c->j, kt + 1);
	}
	if (!rc) {
		qsort(k, n, sizeof(*k), cmp_keyref);
		for (size_t i = 1; i < n; i++) {
			if (strcmp(k[i].key, k[i - 1].key))
				continue;
			struct sg_loc l;
			loc_key(c, k[i].tok, at, k[i].key, &l);
			char shown[80];
			sg_quote(shown, sizeof(shown), k[i].key, strlen(k[i].key));
			rc = err(c, &l, "duplicate key \"%s\"", shown);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(k[i].key);
	free(k);
	return rc;
}

/* Walks object t, dispatching known keys to their handlers; unknown keys are
 * warned about and skipped. Returns -1 if any handler failed. */
static int walk_object(struct ctx *c, int t, const struct sg_loc *at, const struct field *fields, void *obj,
		       int warn_unknown)
{
	if (want_type(c, t, at, JSMN_OBJECT, "an object"))
		return -1;
	int rc = check_duplicates(c, t, at);
	int kt = t + 1;
	for (int i = 0; i < c->j.tok[t].size; i++) {
		int vt = kt + 1;
		const struct field *f = fields;
		while (f->name && !sg_json_str_eq(&c->j, kt, f->name))
			f++;
		if (f->name) {
			struct sg_loc l;
			loc_key(c, vt, at, f->name, &l);
			if (f->fn && f->fn(c, vt, &l, obj))
				rc = -1;
		} else if (warn_unknown) {
			char shown[80];
			struct sg_loc l;
			int nul;
			char *key = sg_json_str(&c->j, kt, &nul);
			if (!key) {
				struct sg_loc kl;
				sg_json_loc(&c->j, kt, &kl, at->path);
				return nul ? err(c, &kl, "key contains a NUL character (\\u0000)") : oom(c, at);
			}
			sg_quote(shown, sizeof(shown), key, strlen(key));
			sg_json_loc(&c->j, kt, &l, "");
			path_append(l.path, sizeof(l.path), at->path, key, strlen(key));
			free(key);
			warn(c, &l, "unknown field \"%s\" ignored", shown);
		}
		kt = sg_json_next(&c->j, vt);
	}
	return rc;
}

/* Calls fn for each element of array t; null counts as an empty array. */
static int walk_array(struct ctx *c, int t, const struct sg_loc *at, field_fn fn, void *obj)
{
	if (sg_json_is_null(&c->j, t))
		return 0;
	if (want_type(c, t, at, JSMN_ARRAY, "an array"))
		return -1;
	int rc = 0, et = t + 1;
	for (int i = 0; i < c->j.tok[t].size; i++) {
		struct sg_loc l;
		loc_index(c, et, at, (size_t)i, &l);
		if (fn(c, et, &l, obj))
			rc = -1;
		et = sg_json_next(&c->j, et);
	}
	return rc;
}

static int grow(void **v, size_t n, size_t size)
{
	/* grows to powers of two, so appending one element is amortised O(1) */
	if (n & (n - 1))
		return 0;
	void *nv = realloc(*v, (n ? n * 2 : 1) * size);
	if (!nv)
		return -1;
	*v = nv;
	return 0;
}

static int push_string(struct ctx *c, int t, const struct sg_loc *at, char ***v, size_t *n, struct sg_loc **locs)
{
	char *s = get_string(c, t, at);
	if (!s)
		return -1;
	if (grow((void **)v, *n, sizeof(**v)) || (locs && grow((void **)locs, *n, sizeof(**locs)))) {
		free(s);
		return oom(c, at);
	}
	if (locs)
		(*locs)[*n] = *at;
	(*v)[(*n)++] = s;
	return 0;
}

/* ---- actions, operators, flags, architectures --------------------------- */

static const char *const op_names[] = {
	[SG_CMP_NE] = "SCMP_CMP_NE", [SG_CMP_LT] = "SCMP_CMP_LT", [SG_CMP_LE] = "SCMP_CMP_LE",
	[SG_CMP_EQ] = "SCMP_CMP_EQ", [SG_CMP_GE] = "SCMP_CMP_GE", [SG_CMP_GT] = "SCMP_CMP_GT",
	[SG_CMP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

const char *sg_op_name(enum sg_op op)
{
	return (size_t)op < sizeof(op_names) / sizeof(*op_names) ? op_names[op] : "?";
}

/* Looks s up in names[0..n); reports an unknown value with a suggestion. */
static int lookup_name(struct ctx *c, int t, const struct sg_loc *at, const char *const *names, size_t n,
		       const char *what, int *out)
{
	char *s = get_string(c, t, at);
	if (!s)
		return -1;
	int rc = -1;
	for (size_t i = 0; i < n; i++)
		if (names[i] && strcmp(s, names[i]) == 0) {
			*out = (int)i;
			rc = 0;
		}
	if (rc) {
		char shown[80];
		const char *hint = sg_suggest(s, names, n);
		sg_quote(shown, sizeof(shown), s, strlen(s));
		if (hint)
			err(c, at, "unknown %s \"%s\" (did you mean %s?)", what, shown, hint);
		else
			err(c, at, "unknown %s \"%s\"", what, shown);
	}
	free(s);
	return rc;
}

static int parse_action_kind(struct ctx *c, int t, const struct sg_loc *at, struct sg_action *a)
{
	/* SCMP_ACT_KILL is libseccomp's old name for KILL_THREAD */
	if (sg_json_str_eq(&c->j, t, "SCMP_ACT_KILL")) {
		a->kind = SG_ACT_KILL_THREAD;
		a->loc = *at;
		return 0;
	}
	const char *names[SG_NACTIONS];
	for (size_t i = 0; i < SG_NACTIONS; i++)
		names[i] = sg_actions[i].name;
	int k;
	if (lookup_name(c, t, at, names, SG_NACTIONS, "action", &k))
		return -1;
	a->kind = (enum sg_action_kind)k;
	a->loc = *at;
	return 0;
}

static int parse_errno_ret(struct ctx *c, int t, const struct sg_loc *at, struct sg_action *a)
{
	uint64_t v;
	if (sg_json_is_null(&c->j, t))
		return 0;
	/* SECCOMP_RET_DATA holds 16 bits; the kernel caps ERRNO data at 4095 */
	if (get_u64(c, t, at, SG_RET_DATA, &v))
		return -1;
	if (v > SG_ERRNO_MAX)
		warn(c, at, "errno %llu is above %d; the kernel returns %d instead", (unsigned long long)v,
		     SG_ERRNO_MAX, SG_ERRNO_MAX);
	a->has_errno_ret = 1;
	a->errno_ret = (uint16_t)v;
	a->errno_loc = *at;
	return 0;
}

static int errno_known(const char *name)
{
	size_t n;
	const struct sg_arch *const *arches = sg_arches(&n);
	uint16_t v;
	for (size_t i = 0; i < n; i++)
		if (sg_errno_value(arches[i], name, &v) == 0)
			return 1;
	return 0;
}

static int parse_errno_name(struct ctx *c, int t, const struct sg_loc *at, struct sg_action *a)
{
	if (sg_json_is_null(&c->j, t))
		return 0;
	char *s = get_string(c, t, at);
	if (!s)
		return -1;
	if (!errno_known(s)) {
		char shown[80];
		sg_quote(shown, sizeof(shown), s, strlen(s));
		free(s);
		return err(c, at, "unknown errno name \"%s\" (expected a name such as \"EPERM\")", shown);
	}
	free(a->errno_name);
	a->errno_name = s;
	if (!a->has_errno_ret)
		a->errno_loc = *at;
	return 0;
}

/* The semantic checks shared by defaultAction and rule actions. */
static int check_action(struct ctx *c, const struct sg_action *a)
{
	if ((a->has_errno_ret || a->errno_name) && a->kind != SG_ACT_ERRNO && a->kind != SG_ACT_TRACE)
		return err(c, &a->errno_loc, "an errno is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not %s",
			   sg_action_kind_name(a->kind));
	return 0;
}

static int lookup_arch(struct ctx *c, int t, const struct sg_loc *at, const struct sg_arch **out)
{
	char *s = get_string(c, t, at);
	if (!s)
		return -1;
	*out = sg_arch_lookup(s);
	int rc = 0;
	if (!*out) {
		char shown[80];
		sg_quote(shown, sizeof(shown), s, strlen(s));
		if (sg_arch_known_unsupported(s)) {
			warn(c, at, "architecture \"%s\" is not supported by sysgate; ignored", shown);
		} else {
			size_t n;
			const struct sg_arch *const *all = sg_arches(&n);
			const char *names[64];
			size_t k = 0;
			for (size_t i = 0; i < n && k < 64; i++)
				names[k++] = all[i]->scmp_name;
			const char *hint = sg_suggest(s, names, k);
			rc = err(c, at, "unknown architecture \"%s\"%s%s%s", shown, hint ? " (did you mean " : "",
				 hint ? hint : "", hint ? "?)" : "");
		}
	}
	free(s);
	return rc;
}

static int push_arch(struct ctx *c, int t, const struct sg_loc *at, const struct sg_arch ***v, size_t *n)
{
	const struct sg_arch *a;
	if (lookup_arch(c, t, at, &a))
		return -1;
	if (!a)
		return 0;
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i] == a) {
			warn(c, at, "architecture %s listed twice", a->scmp_name);
			return 0;
		}
	if (grow((void **)v, *n, sizeof(**v)))
		return oom(c, at);
	(*v)[(*n)++] = a;
	return 0;
}

/* ---- the profile's fields ---------------------------------------------- */

static int f_default_action(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (parse_action_kind(c, t, at, &p->default_action))
		return -1;
	if (p->default_action.kind == SG_ACT_NOTIFY)
		return err(c, at, "SCMP_ACT_NOTIFY cannot be the default action (the listener would receive every syscall, including its own)");
	return 0;
}

static int f_default_errno_ret(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	return parse_errno_ret(c, t, at, &((struct sg_profile *)obj)->default_action);
}

static int f_default_errno(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	return parse_errno_name(c, t, at, &((struct sg_profile *)obj)->default_action);
}

static int el_arch(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	return push_arch(c, t, at, &p->arches, &p->narches);
}

static int f_architectures(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (sg_json_is_null(&c->j, t))
		return 0;
	p->has_architectures = 1;
	return walk_array(c, t, at, el_arch, p);
}

struct archmap_seen {
	struct sg_archmap_entry *e;
	int architecture;
};

static int f_archmap_arch(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct archmap_seen *s = obj;
	s->architecture = 1;
	s->e->loc = *at;
	return lookup_arch(c, t, at, &s->e->arch);
}

static int el_subarch(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_archmap_entry *e = obj;
	return push_arch(c, t, at, &e->subs, &e->nsubs);
}

static int f_archmap_subs(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	return walk_array(c, t, at, el_subarch, ((struct archmap_seen *)obj)->e);
}

static const struct field archmap_fields[] = {
	{ "architecture", f_archmap_arch },
	{ "subArchitectures", f_archmap_subs },
	{ NULL, NULL },
};

static int el_archmap(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (grow((void **)&p->archmap, p->narchmap, sizeof(*p->archmap)))
		return oom(c, at);
	struct sg_archmap_entry *e = &p->archmap[p->narchmap++];
	memset(e, 0, sizeof(*e));
	e->loc = *at;
	struct archmap_seen s = { .e = e };
	int rc = walk_object(c, t, at, archmap_fields, &s, 1);
	if (!rc && !s.architecture)
		rc = err(c, at, "archMap entry without \"architecture\"");
	if (!e->arch) { /* unsupported (warned) or invalid: keep nothing of it */
		free(e->subs);
		p->narchmap--;
	}
	return rc;
}

static int f_archmap(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (sg_json_is_null(&c->j, t))
		return 0;
	p->has_archmap = 1;
	return walk_array(c, t, at, el_archmap, p);
}

static int el_flag(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	const char *names[SG_NFLAGS];
	for (size_t i = 0; i < SG_NFLAGS; i++)
		names[i] = sg_flags[i].name;
	int k;
	if (lookup_name(c, t, at, names, SG_NFLAGS, "seccomp flag", &k))
		return -1;
	if (sg_flags[k].by_runtime)
		return err(c, at, "%s is set by the runtime when needed, not by the profile", names[k]);
	p->flags |= sg_flags[k].flag;
	return 0;
}

static int f_flags(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (sg_json_is_null(&c->j, t))
		return 0;
	p->has_flags = 1;
	return walk_array(c, t, at, el_flag, p);
}

static int f_listener_path(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (sg_json_is_null(&c->j, t))
		return 0;
	free(p->listener_path);
	p->listener_path = get_string(c, t, at);
	if (p->listener_path && !p->listener_path[0])
		warn(c, at, "empty listenerPath");
	return p->listener_path ? 0 : -1;
}

static int f_listener_metadata(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (sg_json_is_null(&c->j, t))
		return 0;
	free(p->listener_metadata);
	p->listener_metadata = get_string(c, t, at);
	return p->listener_metadata ? 0 : -1;
}

/* ---- includes / excludes ------------------------------------------------ */

static int el_cap(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_filter *f = obj;
	return push_string(c, t, at, &f->caps, &f->ncaps, NULL);
}

static int el_goarch(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_filter *f = obj;
	if (push_string(c, t, at, &f->arches, &f->narches, NULL))
		return -1;
	const char *a = f->arches[f->narches - 1];
	if (!sg_arch_lookup(a) && !sg_arch_known_unsupported(a))
		warn(c, at, "unknown architecture \"%s\" never matches", a);
	return 0;
}

static int f_caps(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	return walk_array(c, t, at, el_cap, obj);
}

static int f_goarches(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	return walk_array(c, t, at, el_goarch, obj);
}

static int f_min_kernel(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_filter *f = obj;
	if (sg_json_is_null(&c->j, t))
		return 0;
	char *s = get_string(c, t, at);
	if (!s)
		return -1;
	unsigned v[3];
	const char *end;
	int ok = sg_kernel_parse(s, v, &end) == 0 && *end == '\0';
	if (!ok) {
		char shown[64];
		sg_quote(shown, sizeof(shown), s, strlen(s));
		free(s);
		return err(c, at, "minKernel \"%s\" is not a kernel version like \"4.8\"", shown);
	}
	free(s);
	memcpy(f->min_kernel, v, sizeof(v));
	f->has_min_kernel = 1;
	return 0;
}

static const struct field filter_fields[] = {
	{ "caps", f_caps },
	{ "arches", f_goarches },
	{ "minKernel", f_min_kernel },
	{ NULL, NULL },
};

static int parse_filter(struct ctx *c, int t, const struct sg_loc *at, struct sg_filter *f, int *has)
{
	if (sg_json_is_null(&c->j, t))
		return 0;
	*has = 1;
	f->loc = *at;
	return walk_object(c, t, at, filter_fields, f, 1);
}

/* ---- syscall rules ------------------------------------------------------ */

static int f_names(struct ctx *c, int t, const struct sg_loc *at, void *obj);
static int el_name(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_rule *r = obj;
	if (push_string(c, t, at, &r->names, &r->nnames, &r->name_locs))
		return -1;
	if (!r->names[r->nnames - 1][0])
		return err(c, at, "empty syscall name");
	return 0;
}

/* Marks which of name/names were given, in the rule's loc.col-independent flags. */
struct rule_seen {
	struct sg_rule *r;
	int name, names, action;
	struct sg_loc name_loc;
};

static int f_names(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct rule_seen *s = obj;
	s->names = 1;
	if (sg_json_is_null(&c->j, t))
		return 0;
	return walk_array(c, t, at, el_name, s->r);
}

static int f_name(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct rule_seen *s = obj;
	s->name = 1;
	s->name_loc = *at;
	return el_name(c, t, at, s->r);
}

static int f_action(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct rule_seen *s = obj;
	s->action = 1;
	return parse_action_kind(c, t, at, &s->r->action);
}

static int f_errno_ret(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	return parse_errno_ret(c, t, at, &((struct rule_seen *)obj)->r->action);
}

static int f_errno(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	return parse_errno_name(c, t, at, &((struct rule_seen *)obj)->r->action);
}

struct arg_seen {
	struct sg_cond *cond;
	int index, value, op;
};

static int f_arg_index(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct arg_seen *a = obj;
	uint64_t v;
	if (get_u64(c, t, at, UINT64_MAX, &v))
		return -1;
	if (v >= SG_MAX_ARGS)
		return err(c, at, "argument index %llu is out of range (a syscall has arguments 0 to 5)",
			   (unsigned long long)v);
	a->cond->index = (unsigned)v;
	a->index = 1;
	return 0;
}

static int f_arg_value(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct arg_seen *a = obj;
	a->value = 1;
	return get_u64(c, t, at, UINT64_MAX, &a->cond->value);
}

static int f_arg_value_two(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct arg_seen *a = obj;
	return get_u64(c, t, at, UINT64_MAX, &a->cond->value_two);
}

static int f_arg_op(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct arg_seen *a = obj;
	int k;
	if (lookup_name(c, t, at, op_names, sizeof(op_names) / sizeof(*op_names), "operator", &k))
		return -1;
	a->cond->op = (enum sg_op)k;
	a->op = 1;
	return 0;
}

static const struct field arg_fields[] = {
	{ "index", f_arg_index },
	{ "value", f_arg_value },
	{ "valueTwo", f_arg_value_two },
	{ "op", f_arg_op },
	{ NULL, NULL },
};

static int el_arg(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_rule *r = obj;
	if (grow((void **)&r->conds, r->nconds, sizeof(*r->conds)) ||
	    grow((void **)&r->cond_locs, r->nconds, sizeof(*r->cond_locs)))
		return oom(c, at);
	r->cond_locs[r->nconds] = *at;
	struct sg_cond *cond = &r->conds[r->nconds++];
	memset(cond, 0, sizeof(*cond));
	struct arg_seen a = { .cond = cond };
	if (walk_object(c, t, at, arg_fields, &a, 1))
		return -1;
	const char *missing = !a.index ? "index" : !a.op ? "op" : !a.value ? "value" : NULL;
	if (missing)
		return err(c, at, "argument condition without \"%s\"", missing);
	if (cond->op != SG_CMP_MASKED_EQ && cond->value_two != 0)
		warn(c, at, "valueTwo is only used by SCMP_CMP_MASKED_EQ; ignored for %s", sg_op_name(cond->op));
	if (cond->op == SG_CMP_MASKED_EQ && (cond->value_two & ~cond->value))
		warn(c, at, "SCMP_CMP_MASKED_EQ: valueTwo 0x%llx has bits outside the mask 0x%llx; they are ignored, as libseccomp does",
		     (unsigned long long)cond->value_two, (unsigned long long)cond->value);
	return 0;
}

static int f_args(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	return walk_array(c, t, at, el_arg, ((struct rule_seen *)obj)->r);
}

static int f_includes(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_rule *r = ((struct rule_seen *)obj)->r;
	return parse_filter(c, t, at, &r->includes, &r->has_includes);
}

static int f_excludes(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_rule *r = ((struct rule_seen *)obj)->r;
	return parse_filter(c, t, at, &r->excludes, &r->has_excludes);
}

static const struct field rule_fields[] = {
	{ "names", f_names },
	{ "name", f_name },
	{ "action", f_action },
	{ "errnoRet", f_errno_ret },
	{ "errno", f_errno },
	{ "args", f_args },
	{ "includes", f_includes },
	{ "excludes", f_excludes },
	{ "comment", NULL },
	{ NULL, NULL },
};

static int el_rule(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (grow((void **)&p->rules, p->nrules, sizeof(*p->rules)))
		return oom(c, at);
	struct sg_rule *r = &p->rules[p->nrules++];
	memset(r, 0, sizeof(*r));
	r->loc = *at;
	struct rule_seen s = { .r = r };
	if (walk_object(c, t, at, rule_fields, &s, 1))
		return -1;
	if (s.name && s.names)
		return err(c, &s.name_loc, "a rule takes \"names\" or the older \"name\", not both");
	if (!s.name && !s.names)
		return err(c, at, "rule without \"names\"");
	if (!s.action)
		return err(c, at, "rule without \"action\"");
	if (r->nnames == 0)
		warn(c, at, "rule with an empty \"names\" list has no effect");
	return check_action(c, &r->action);
}

static int f_syscalls(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	return walk_array(c, t, at, el_rule, obj);
}

static int f_libcontainer(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	(void)t;
	(void)obj;
	return err(c, at, "\"default_action\" is libcontainer's internal format, not an OCI seccomp profile; "
			  "use \"defaultAction\" (and \"architectures\", \"syscalls\" with SCMP_ACT_* names)");
}

static int f_base_profile(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	(void)t;
	(void)obj;
	warn(c, at, "baseProfileName is resolved by the Security Profiles Operator, not here: only this profile's own rules apply");
	return 0;
}

static const struct field profile_fields[] = {
	{ "defaultAction", f_default_action },
	{ "defaultErrnoRet", f_default_errno_ret },
	{ "defaultErrno", f_default_errno },
	{ "architectures", f_architectures },
	{ "archMap", f_archmap },
	{ "flags", f_flags },
	{ "listenerPath", f_listener_path },
	{ "listenerMetadata", f_listener_metadata },
	{ "syscalls", f_syscalls },
	{ "default_action", f_libcontainer },
	{ NULL, NULL },
};

/* The same fields inside a Kubernetes SeccompProfile's spec, plus the
 * operator's own, which do not change the filter. */
static const struct field spo_spec_fields[] = {
	{ "defaultAction", f_default_action },
	{ "defaultErrnoRet", f_default_errno_ret },
	{ "architectures", f_architectures },
	{ "flags", f_flags },
	{ "listenerPath", f_listener_path },
	{ "listenerMetadata", f_listener_metadata },
	{ "syscalls", f_syscalls },
	{ "baseProfileName", f_base_profile },
	{ "disabled", NULL },
	{ NULL, NULL },
};

/* libcontainer's serialisation differs in every field; one error naming
 * the tell-tale key says more than a hundred about the rest. */
static int reject_libcontainer(struct ctx *c, int t, const struct sg_loc *at)
{
	int kt = t + 1, has_default = 0, legacy = -1;
	for (int i = 0; i < c->j.tok[t].size; i++) {
		if (sg_json_str_eq(&c->j, kt, "defaultAction"))
			has_default = 1;
		if (sg_json_str_eq(&c->j, kt, "default_action"))
			legacy = kt + 1;
		kt = sg_json_next(&c->j, kt + 1);
	}
	if (legacy < 0 || has_default)
		return 0;
	struct sg_loc l;
	loc_key(c, legacy, at, "default_action", &l);
	return f_libcontainer(c, legacy, &l, NULL);
}

static int parse_profile_object(struct ctx *c, int t, const struct sg_loc *at, const struct field *fields)
{
	struct sg_profile *p = c->p;
	if (c->j.tok[t].type == JSMN_OBJECT && reject_libcontainer(c, t, at))
		return -1;
	p->default_action.kind = (enum sg_action_kind)-1;
	int rc = walk_object(c, t, at, fields, p, 1);
	if (rc)
		return rc;
	if ((int)p->default_action.kind == -1)
		return err(c, at, "profile without \"defaultAction\"");
	if (p->has_architectures && p->has_archmap)
		return err(c, at, "a profile takes \"architectures\" or \"archMap\", not both");
	return check_action(c, &p->default_action);
}

static int f_spo_spec(struct ctx *c, int t, const struct sg_loc *at, void *obj)
{
	(void)obj;
	return parse_profile_object(c, t, at, spo_spec_fields);
}

static const struct field spo_fields[] = {
	{ "spec", f_spo_spec }, { "apiVersion", NULL }, { "kind", NULL },
	{ "metadata", NULL },   { "status", NULL },     { NULL, NULL },
};

/* A SeccompProfile custom resource names its kind; anything else is read as
 * a runtime-spec profile. */
static int is_kubernetes_object(const struct sg_json *j)
{
	int kt = 1;
	for (int i = 0; i < j->tok[0].size; i++) {
		if (sg_json_str_eq(j, kt, "kind") && sg_json_str_eq(j, kt + 1, "SeccompProfile"))
			return 1;
		kt = sg_json_next(j, kt + 1);
	}
	return 0;
}

/* ---- entry points ------------------------------------------------------- */

static void free_filter(struct sg_filter *f)
{
	for (size_t i = 0; i < f->ncaps; i++)
		free(f->caps[i]);
	for (size_t i = 0; i < f->narches; i++)
		free(f->arches[i]);
	free(f->caps);
	free(f->arches);
}

void sg_profile_free(struct sg_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++) {
		struct sg_rule *r = &p->rules[i];
		for (size_t k = 0; k < r->nnames; k++)
			free(r->names[k]);
		free(r->names);
		free(r->name_locs);
		free(r->conds);
		free(r->cond_locs);
		free(r->action.errno_name);
		free_filter(&r->includes);
		free_filter(&r->excludes);
	}
	free(p->rules);
	for (size_t i = 0; i < p->narchmap; i++)
		free(p->archmap[i].subs);
	free(p->archmap);
	free(p->arches);
	free(p->default_action.errno_name);
	free(p->listener_path);
	free(p->listener_metadata);
	free(p->file);
	free(p);
}

struct sg_profile *sg_profile_parse(const char *file, const char *text, size_t len, struct sg_diags *d)
{
	struct ctx c = { .d = d, .file = file };
	size_t errors_before = d->errors;
	if (len > SG_MAX_INPUT) {
		sg_error(d, file, NULL, "input is %zu bytes; profiles larger than 16 MiB are refused", len);
		return NULL;
	}
	if (sg_json_load(&c.j, file, text, len, d)) {
		sg_json_free(&c.j);
		return NULL;
	}
	c.p = calloc(1, sizeof(*c.p));
	if (!c.p || !(c.p->file = strdup(file ? file : "-"))) {
		sg_error(d, file, NULL, "out of memory");
		sg_json_free(&c.j);
		sg_profile_free(c.p);
		return NULL;
	}
	struct sg_loc root;
	sg_json_loc(&c.j, 0, &root, "");
	if (c.j.tok[0].type != JSMN_OBJECT) {
		err(&c, &root, "a seccomp profile is a JSON object, found %s", sg_json_type_name(&c.j, 0));
	} else if (is_kubernetes_object(&c.j)) {
		c.p->kubernetes = 1;
		struct sg_profile *p = c.p;
		p->default_action.kind = (enum sg_action_kind)-1;
		if (!walk_object(&c, 0, &root, spo_fields, p, 1) && (int)p->default_action.kind == -1)
			err(&c, &root, "SeccompProfile without \"spec\"");
	} else if (parse_profile_object(&c, 0, &root, profile_fields) && d->errors == errors_before) {
		err(&c, &root, "internal error: the profile was refused without a message");
	}
	sg_json_free(&c.j);
	if (d->errors > errors_before || d->oom) {
		sg_profile_free(c.p);
		return NULL;
	}
	return c.p;
}

int sg_read_file(const char *path, char **text, size_t *len, struct sg_diags *d)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sg_error(d, path, NULL, "cannot open: %s", strerror(errno));
	/* read one byte past the limit to tell "exactly 16 MiB" from "more" */
	size_t cap = 1 << 16, n = 0, limit = (size_t)SG_MAX_INPUT + 1;
	char *buf = malloc(cap);
	int rc = buf ? 0 : sg_error(d, path, NULL, "out of memory");
	while (!rc) {
		if (n == cap) {
			if (cap == limit) {
				rc = sg_error(d, path, NULL, "input larger than 16 MiB; refused");
				break;
			}
			size_t ncap = cap * 2 < limit ? cap * 2 : limit;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				rc = sg_error(d, path, NULL, "out of memory");
				break;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			rc = sg_error(d, path, NULL, "read error: %s", strerror(errno));
		else if (r == 0)
			break;
		else
			n += (size_t)r;
	}
	if (!rc && n > SG_MAX_INPUT)
		rc = sg_error(d, path, NULL, "input larger than 16 MiB; refused");
	if (fd > 0)
		close(fd);
	if (rc) {
		free(buf);
		return -1;
	}
	*text = buf;
	*len = n;
	return 0;
}
