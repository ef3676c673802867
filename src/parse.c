/* Parse stage: the profile schema. JSON (walked by walk.c) -> struct
 * sg_profile, every problem reported at its line:col and JSON path: the
 * fields of an OCI runtime-spec seccomp object, Docker's and
 * containers/common's additions, and a Kubernetes SeccompProfile's spec.
 * Handlers are named f_FIELD (a field's value) and el_THING (one element of
 * an array), as walk.h explains. Architecture-specific meaning (syscall
 * numbers, errno names) is left to the resolve stage. */
#include "sysgate/profile.h"

#include <stdlib.h>
#include <string.h>

#include "sysgate/conditions.h"
#include "parse_impl.h"

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

void sg_rule_name_loc(const struct sg_rule *r, size_t k, struct sg_loc *out)
{
	int one = r->singular_name;
	size_t at = r->name_at ? r->name_at[k] : k;
	sg_walk_member_loc(r->loc.path, one ? "name" : "names", one ? SIZE_MAX : at, r->name_pos[k], out);
}

void sg_rule_cond_loc(const struct sg_rule *r, size_t k, struct sg_loc *out)
{
	sg_walk_member_loc(r->loc.path, "args", k, r->cond_pos[k], out);
}

static int parse_action_kind(struct walker *w, int t, const struct sg_loc *at, struct sg_action *a)
{
	/* SCMP_ACT_KILL is libseccomp's old name for KILL_THREAD */
	if (sg_json_str_eq(&w->j, t, "SCMP_ACT_KILL")) {
		a->kind = SG_ACT_KILL_THREAD;
		a->loc = *at;
		return 0;
	}
	const char *names[SG_NACTIONS];
	for (size_t i = 0; i < SG_NACTIONS; i++)
		names[i] = sg_actions[i].name;
	int k;
	if (sg_walk_name(w, t, at, names, SG_NACTIONS, "action", &k))
		return -1;
	a->kind = (enum sg_action_kind)k;
	a->loc = *at;
	return 0;
}

static int parse_errno_ret(struct walker *w, int t, const struct sg_loc *at, struct sg_action *a)
{
	uint64_t v;
	if (sg_json_is_null(&w->j, t))
		return 0;
	/* SECCOMP_RET_DATA holds 16 bits (TRACE's message may use them all) */
	if (sg_walk_u64(w, t, at, SG_RET_DATA, &v))
		return -1;
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

static int parse_errno_name(struct walker *w, int t, const struct sg_loc *at, struct sg_action *a)
{
	if (sg_json_is_null(&w->j, t))
		return 0;
	char *s = sg_walk_string(w, t, at);
	if (!s)
		return -1;
	if (!errno_known(s)) {
		char shown[80];
		sg_quote(shown, sizeof(shown), s, strlen(s));
		free(s);
		return sg_walk_error(w, at, "unknown errno name \"%s\" (expected a name such as \"EPERM\")", shown);
	}
	free(a->errno_name);
	a->errno_name = s;
	if (!a->has_errno_ret)
		a->errno_loc = *at;
	return 0;
}

/* The semantic checks shared by defaultAction and rule actions. */
static int check_action(struct walker *w, const struct sg_action *a)
{
	if ((a->has_errno_ret || a->errno_name) && a->kind != SG_ACT_ERRNO && a->kind != SG_ACT_TRACE)
		return sg_walk_error(w, &a->errno_loc, "an errno is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not %s",
				     sg_action_kind_name(a->kind));
	/* the kernel would cap it at 4095, but runc would not start at all */
	if (a->kind == SG_ACT_ERRNO && a->has_errno_ret && a->errno_ret > SG_ERRNO_LIBSECCOMP_MAX)
		return sg_walk_error(w, &a->errno_loc, "errno %u is above %d: libseccomp, and so runc, refuses it",
				     a->errno_ret, SG_ERRNO_LIBSECCOMP_MAX);
	return 0;
}

static int lookup_arch(struct walker *w, int t, const struct sg_loc *at, const struct sg_arch **out)
{
	char *s = sg_walk_string(w, t, at);
	if (!s)
		return -1;
	*out = sg_arch_lookup(s);
	int rc = 0;
	if (!*out) {
		char shown[80];
		sg_quote(shown, sizeof(shown), s, strlen(s));
		if (sg_arch_known_unsupported(s)) {
			sg_walk_warning(w, at, "architecture \"%s\" is not supported by sysgate; ignored", shown);
		} else {
			const struct sg_arch *hint = sg_arch_suggest(s);
			rc = sg_walk_error(w, at, "unknown architecture \"%s\"%s%s%s", shown, hint ? " (did you mean " : "",
					   hint ? hint->scmp_name : "", hint ? "?)" : "");
		}
	}
	free(s);
	return rc;
}

/* An architecture runc passes to libseccomp: only SCMP_ARCH_* names. */
static int push_arch(struct walker *w, int t, const struct sg_loc *at, const struct sg_arch ***v, size_t *n)
{
	const struct sg_arch *a;
	if (lookup_arch(w, t, at, &a))
		return -1;
	if (!a)
		return 0;
	if (!sg_json_str_eq(&w->j, t, a->scmp_name))
		sg_walk_warning(w, at, "runc takes only SCMP_ARCH_* names here: write \"%s\"", a->scmp_name);
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i] == a) {
			sg_walk_warning(w, at, "architecture %s listed twice", a->scmp_name);
			return 0;
		}
	if (sg_walk_grow((void **)v, *n, sizeof(**v)))
		return sg_walk_oom(w, at);
	(*v)[(*n)++] = a;
	return 0;
}

/* ---- the profile's fields ---------------------------------------------- */

static int f_default_action(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (parse_action_kind(w, t, at, &p->default_action))
		return -1;
	if (p->default_action.kind == SG_ACT_NOTIFY)
		return sg_walk_error(w, at, "SCMP_ACT_NOTIFY cannot be the default action (the listener would receive every syscall, including its own)");
	return 0;
}

static int f_default_errno_ret(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return parse_errno_ret(w, t, at, &((struct sg_profile *)obj)->default_action);
}

static int f_default_errno(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return parse_errno_name(w, t, at, &((struct sg_profile *)obj)->default_action);
}

static int el_arch(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	return push_arch(w, t, at, &p->arches, &p->narches);
}

static int f_architectures(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (sg_json_is_null(&w->j, t))
		return 0;
	p->has_architectures = 1;
	return sg_walk_array(w, t, at, el_arch, p);
}

struct archmap_seen {
	struct sg_archmap_entry *e;
	int architecture;
};

static int f_archmap_arch(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct archmap_seen *s = obj;
	s->architecture = 1;
	s->e->loc = *at;
	if (lookup_arch(w, t, at, &s->e->arch))
		return -1;
	/* Docker looks for its host's SCMP_ARCH_* name and nothing else */
	s->e->exact = s->e->arch && sg_json_str_eq(&w->j, t, s->e->arch->scmp_name);
	if (s->e->arch && !s->e->exact)
		sg_walk_warning(w, at, "Docker matches an archMap entry only by its exact name \"%s\": this entry never applies",
				s->e->arch->scmp_name);
	return 0;
}

static int el_subarch(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_archmap_entry *e = obj;
	return push_arch(w, t, at, &e->subs, &e->nsubs);
}

static int f_archmap_subs(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return sg_walk_array(w, t, at, el_subarch, ((struct archmap_seen *)obj)->e);
}

static const struct sg_field archmap_fields[] = {
	{ "architecture", f_archmap_arch },
	{ "subArchitectures", f_archmap_subs },
	{ NULL, NULL },
};

static int el_archmap(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (sg_walk_grow((void **)&p->archmap, p->narchmap, sizeof(*p->archmap)))
		return sg_walk_oom(w, at);
	struct sg_archmap_entry *e = &p->archmap[p->narchmap++];
	memset(e, 0, sizeof(*e));
	e->loc = *at;
	struct archmap_seen s = { .e = e };
	int rc = sg_walk_object(w, t, at, archmap_fields, &s, 1);
	if (!rc && !s.architecture)
		rc = sg_walk_error(w, at, "archMap entry without \"architecture\"");
	if (!e->arch) { /* unsupported (warned) or invalid: keep nothing of it */
		free(e->subs);
		p->narchmap--;
	}
	return rc;
}

static int f_archmap(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (sg_json_is_null(&w->j, t))
		return 0;
	p->has_archmap = 1;
	return sg_walk_array(w, t, at, el_archmap, p);
}

static int el_flag(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	const char *names[SG_NFLAGS];
	for (size_t i = 0; i < SG_NFLAGS; i++)
		names[i] = sg_flags[i].name;
	int k;
	if (sg_walk_name(w, t, at, names, SG_NFLAGS, "seccomp flag", &k))
		return -1;
	if (sg_flags[k].by_runtime)
		return sg_walk_error(w, at, "%s is set by the runtime when needed, not by the profile", names[k]);
	p->flags |= sg_flags[k].flag;
	return 0;
}

static int f_flags(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	if (sg_json_is_null(&w->j, t))
		return 0;
	p->has_flags = 1;
	return sg_walk_array(w, t, at, el_flag, p);
}

/* A string field that null leaves unset: 0, or -1 after an error. */
static int set_string(struct walker *w, int t, const struct sg_loc *at, char **field)
{
	if (sg_json_is_null(&w->j, t))
		return 0;
	free(*field);
	return (*field = sg_walk_string(w, t, at)) ? 0 : -1;
}

static int f_listener_path(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	int rc = set_string(w, t, at, &p->listener_path);
	if (!rc && p->listener_path && !p->listener_path[0])
		sg_walk_warning(w, at, "empty listenerPath");
	return rc;
}

static int f_listener_metadata(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return set_string(w, t, at, &((struct sg_profile *)obj)->listener_metadata);
}

/* ---- includes / excludes ------------------------------------------------ */

static int el_cap(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_filter *f = obj;
	return sg_walk_push_string(w, t, at, &f->caps, &f->ncaps, NULL);
}

static int el_goarch(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_filter *f = obj;
	if (sg_walk_push_string(w, t, at, &f->arches, &f->narches, NULL))
		return -1;
	const char *a = f->arches[f->narches - 1];
	/* Docker compares its host's name exactly; x32 is never a host, but Docker's own profile names it */
	if (sg_docker_arch_lookup(a) || strcmp(a, "x32") == 0)
		return 0;
	const struct sg_arch *host = sg_arch_suggest(a);
	const char *docker = host ? sg_docker_arch_name(host) : NULL;
	char shown[80];
	sg_quote(shown, sizeof(shown), a, strlen(a));
	if (docker)
		sg_strict_warning(w->d, w->file, at, "architecture \"%s\" never matches: Docker names this host \"%s\"", shown,
				       docker);
	else
		sg_strict_warning(w->d, w->file, at, "architecture \"%s\" never matches: Docker names hosts amd64, x86, arm64, "
					      "arm, riscv64, s390x, s390, ppc64le, ppc64, ppc, mips64, mipsel64, "
					      "mips64n32, mips3l64n32, mipsel",
				       shown);
	return 0;
}

static int f_caps(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return sg_walk_array(w, t, at, el_cap, obj);
}

static int f_goarches(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return sg_walk_array(w, t, at, el_goarch, obj);
}

/* Docker reads "<kernel>.<major>", each 0..255 and not both 0, and compares
 * those two; "" means no condition. A patch level is accepted here (and
 * ignored, as in the comparison), with a warning that Docker refuses it. */
static int f_min_kernel(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_filter *f = obj;
	if (sg_json_is_null(&w->j, t))
		return 0;
	char *s = sg_walk_string(w, t, at);
	if (!s)
		return -1;
	unsigned v[3];
	const char *end;
	char shown[64];
	sg_quote(shown, sizeof(shown), s, strlen(s));
	int empty = !*s, ok = empty || (sg_kernel_parse(s, v, &end) == 0 && *end == '\0');
	int docker = ok && !empty && !strchr(strchr(s, '.') + 1, '.') && v[0] <= 255 && v[1] <= 255 && (v[0] || v[1]);
	free(s);
	if (!ok)
		return sg_walk_error(w, at, "minKernel \"%s\" is not a kernel version like \"4.8\"", shown);
	if (empty)
		return 0;
	if (!docker)
		sg_walk_warning(w, at, "Docker refuses minKernel \"%s\": it takes \"<kernel>.<major>\", each 0 to 255; "
				       "compared here as %u.%u", shown, v[0], v[1]);
	memcpy(f->min_kernel, v, sizeof(v));
	f->has_min_kernel = 1;
	return 0;
}

static const struct sg_field filter_fields[] = {
	{ "caps", f_caps },
	{ "arches", f_goarches },
	{ "minKernel", f_min_kernel },
	{ NULL, NULL },
};

static int parse_filter(struct walker *w, int t, const struct sg_loc *at, struct sg_filter **f)
{
	if (sg_json_is_null(&w->j, t))
		return 0;
	if (!*f && !(*f = calloc(1, sizeof(**f)))) /* a duplicate key reads into the same one */
		return sg_walk_oom(w, at);
	(*f)->loc = *at;
	return sg_walk_object(w, t, at, filter_fields, *f, 1);
}

/* ---- syscall rules ------------------------------------------------------ */

static const char *bad_name(const char *s) { return *s ? NULL : "empty syscall name"; }

static int el_name(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_rule *r = obj;
	if (sg_walk_push_string(w, t, at, &r->names, &r->nnames, &r->name_pos))
		return -1;
	const char *why = bad_name(r->names[r->nnames - 1]);
	return why ? sg_walk_error(w, at, "%s", why) : 0;
}

/* Marks which of name/names were given, in the rule's loc.col-independent flags. */
struct rule_seen {
	struct sg_rule *r;
	int name, names, action;
	struct sg_loc name_loc;
};


static int f_names(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct rule_seen *s = obj;
	s->names = 1;
	return sg_walk_strings(w, t, at, &s->r->names, &s->r->nnames, &s->r->name_pos, bad_name);
}

static int f_name(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct rule_seen *s = obj;
	s->name = 1;
	s->name_loc = *at;
	s->r->singular_name = 1;
	return el_name(w, t, at, s->r);
}

static int f_action(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct rule_seen *s = obj;
	s->action = 1;
	return parse_action_kind(w, t, at, &s->r->action);
}

static int f_errno_ret(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return parse_errno_ret(w, t, at, &((struct rule_seen *)obj)->r->action);
}

static int f_errno(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return parse_errno_name(w, t, at, &((struct rule_seen *)obj)->r->action);
}

struct arg_seen {
	struct sg_cond *cond;
	int index, value, op;
};

static int f_arg_index(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct arg_seen *a = obj;
	uint64_t v;
	if (sg_walk_u64(w, t, at, UINT64_MAX, &v))
		return -1;
	if (v >= SG_MAX_ARGS)
		return sg_walk_error(w, at, "argument index %llu is out of range (a syscall has arguments 0 to 5)",
				     (unsigned long long)v);
	a->cond->index = (unsigned)v;
	a->index = 1;
	return 0;
}

static int f_arg_value(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct arg_seen *a = obj;
	a->value = 1;
	return sg_walk_u64(w, t, at, UINT64_MAX, &a->cond->value);
}

static int f_arg_value_two(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct arg_seen *a = obj;
	return sg_walk_u64(w, t, at, UINT64_MAX, &a->cond->value_two);
}

static int f_arg_op(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct arg_seen *a = obj;
	int k;
	if (sg_walk_name(w, t, at, op_names, sizeof(op_names) / sizeof(*op_names), "operator", &k))
		return -1;
	a->cond->op = (enum sg_op)k;
	a->op = 1;
	return 0;
}

static const struct sg_field arg_fields[] = {
	{ "index", f_arg_index },
	{ "value", f_arg_value },
	{ "valueTwo", f_arg_value_two },
	{ "op", f_arg_op },
	{ NULL, NULL },
};

static int el_arg(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_rule *r = obj;
	if (sg_walk_grow((void **)&r->conds, r->nconds, sizeof(*r->conds)) ||
	    sg_walk_grow((void **)&r->cond_pos, r->nconds, sizeof(*r->cond_pos)))
		return sg_walk_oom(w, at);
	r->cond_pos[r->nconds] = (struct sg_pos){ at->line, at->col };
	struct sg_cond *cond = &r->conds[r->nconds++];
	memset(cond, 0, sizeof(*cond));
	struct arg_seen a = { .cond = cond };
	if (sg_walk_object(w, t, at, arg_fields, &a, 1))
		return -1;
	const char *missing = !a.index ? "index" : !a.op ? "op" : !a.value ? "value" : NULL;
	if (missing)
		return sg_walk_error(w, at, "argument condition without \"%s\"", missing);
	if (cond->op != SG_CMP_MASKED_EQ && cond->value_two != 0)
		sg_walk_warning(w, at, "valueTwo is only used by SCMP_CMP_MASKED_EQ; ignored for %s", sg_op_name(cond->op));
	if (cond->op == SG_CMP_MASKED_EQ && (cond->value_two & ~cond->value))
		sg_walk_warning(w, at, "SCMP_CMP_MASKED_EQ: valueTwo 0x%llx has bits outside the mask 0x%llx; they are ignored, as libseccomp does",
				(unsigned long long)cond->value_two, (unsigned long long)cond->value);
	return 0;
}

static int f_args(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return sg_walk_array(w, t, at, el_arg, ((struct rule_seen *)obj)->r);
}

static int f_includes(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return parse_filter(w, t, at, &((struct rule_seen *)obj)->r->includes);
}

static int f_excludes(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return parse_filter(w, t, at, &((struct rule_seen *)obj)->r->excludes);
}

static const struct sg_field rule_fields[] = {
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

/* The strings in a filter's and a rule's lists are the profile's (kept
 * by sg_walk_push_string): freed with it, not one by one. */
static void free_filter(struct sg_filter *f)
{
	if (!f)
		return;
	free(f->caps);
	free(f->arches);
	free(f);
}

static void free_rule(struct sg_rule *r)
{
	free(r->names);
	free(r->name_pos);
	free(r->name_at);
	free(r->conds);
	free(r->cond_pos);
	free(r->action.errno_name);
	free_filter(r->includes);
	free_filter(r->excludes);
}

static int read_rule(struct walker *w, int t, const struct sg_loc *at, struct sg_rule *r)
{
	struct rule_seen s = { .r = r };
	if (sg_walk_object(w, t, at, rule_fields, &s, 1))
		return -1;
	if (s.name && s.names)
		return sg_walk_error(w, &s.name_loc, "a rule takes \"names\" or the older \"name\", not both");
	if (!s.name && !s.names)
		return sg_walk_error(w, at, "rule without \"names\"");
	if (!s.action)
		return sg_walk_error(w, at, "rule without \"action\"");
	if (r->nnames == 0)
		sg_walk_warning(w, at, "rule with an empty \"names\" list has no effect");
	return check_action(w, &r->action);
}

static int el_rule(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	struct sg_rule *r = &p->rules[p->nrules++]; /* f_syscalls made room */
	memset(r, 0, sizeof(*r));
	r->loc = *at;
	int rc = read_rule(w, t, at, r);
	if (rc) /* the profile is refused: the slot is reused (16 MiB of {} is 5.6 million rules) */
		free_rule(&p->rules[--p->nrules]);
	return rc;
}

static int f_syscalls(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	/* room for every rule at once: a rule is large (400 bytes), and an
	 * array that doubles copies them again and again */
	struct sg_profile *p = obj;
	if (w->j.tok[t].type == JSMN_ARRAY && w->j.tok[t].size) {
		struct sg_rule *v = realloc(p->rules, (p->nrules + (size_t)w->j.tok[t].size) * sizeof(*v));
		if (!v)
			return sg_walk_oom(w, at);
		p->rules = v;
	}
	return sg_walk_array(w, t, at, el_rule, obj);
}

static int f_libcontainer(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	(void)t;
	(void)obj;
	return sg_walk_error(w, at, "\"default_action\" is libcontainer's internal format, not an OCI seccomp profile; "
			  "use \"defaultAction\" (and \"architectures\", \"syscalls\" with SCMP_ACT_* names)");
}

/* Recorded here, merged by the source stage (source.h): the resolve stage
 * refuses a profile whose base was named but never merged. */
static int f_base_profile(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	struct sg_profile *p = obj;
	p->base_loc = *at;
	return set_string(w, t, at, &p->base_name);
}

/* Kubernetes' fields beside a runtime profile's, or the reverse: which of
 * the two a tool reads is a guess, so sysgate reads neither. */
static int f_mixed(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	(void)t;
	(void)obj;
	return sg_walk_error(w, at, "a Kubernetes kind/spec beside top-level profile fields is ambiguous: keep the "
				    "profile in a SeccompProfile's \"spec\", or write the runtime profile alone");
}

static const struct sg_field profile_fields[] = {
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
	{ "kind", f_mixed },
	{ "spec", f_mixed },
	{ NULL, NULL },
};

/* The same fields inside a Kubernetes SeccompProfile's spec, plus the
 * operator's own, which do not change the filter. */
static const struct sg_field spo_spec_fields[] = {
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
static int reject_libcontainer(struct walker *w, int t, const struct sg_loc *at)
{
	int kt = t + 1, has_default = 0, legacy = -1;
	for (int i = 0; i < w->j.tok[t].size; i++) {
		if (sg_json_str_eq(&w->j, kt, "defaultAction"))
			has_default = 1;
		if (sg_json_str_eq(&w->j, kt, "default_action"))
			legacy = kt + 1;
		kt = sg_json_next(&w->j, kt + 1);
	}
	if (legacy < 0 || has_default)
		return 0;
	struct sg_loc l;
	sg_walk_loc_key(w, legacy, at, "default_action", &l);
	return f_libcontainer(w, legacy, &l, NULL);
}

static int parse_profile_object(struct walker *w, int t, const struct sg_loc *at, const struct sg_field *fields,
				struct sg_profile *p)
{
	if (w->j.tok[t].type == JSMN_OBJECT && reject_libcontainer(w, t, at))
		return -1;
	p->default_action.kind = (enum sg_action_kind)-1;
	int rc = sg_walk_object(w, t, at, fields, p, 1);
	if (rc)
		return rc;
	if ((int)p->default_action.kind == -1)
		return sg_walk_error(w, at, "profile without \"defaultAction\"");
	if (p->has_architectures && p->has_archmap)
		return sg_walk_error(w, at, "a profile takes \"architectures\" or \"archMap\", not both");
	return check_action(w, &p->default_action);
}

static int f_spo_spec(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return parse_profile_object(w, t, at, spo_spec_fields, obj);
}

static int f_meta_name(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	return set_string(w, t, at, &((struct sg_profile *)obj)->name);
}

/* metadata: only the name is read (a base profile is found by it) */
static int f_metadata(struct walker *w, int t, const struct sg_loc *at, void *obj)
{
	static const struct sg_field fields[] = { { "name", f_meta_name }, { NULL, NULL } };
	if (sg_json_is_null(&w->j, t))
		return 0;
	if (sg_walk_want(w, t, at, JSMN_OBJECT, "an object"))
		return -1;
	return sg_walk_object(w, t, at, fields, obj, 0);
}

/* the runtime profile's own fields beside "spec": an error, see f_mixed */
static const struct sg_field spo_fields[] = {
	{ "spec", f_spo_spec },		{ "apiVersion", NULL },		{ "kind", NULL },
	{ "metadata", f_metadata },	{ "status", NULL },		{ "defaultAction", f_mixed },
	{ "defaultErrnoRet", f_mixed }, { "defaultErrno", f_mixed },	{ "architectures", f_mixed },
	{ "archMap", f_mixed },		{ "flags", f_mixed },		{ "listenerPath", f_mixed },
	{ "listenerMetadata", f_mixed }, { "syscalls", f_mixed },	{ NULL, NULL },
};

/* A SeccompProfile custom resource names its kind; anything else is read as
 * a runtime-spec profile. */
static int is_kubernetes_object(const struct sg_json *j, int t)
{
	int kt = t + 1;
	for (int i = 0; i < j->tok[t].size; i++) {
		if (sg_json_str_eq(j, kt, "kind") && sg_json_str_eq(j, kt + 1, "SeccompProfile"))
			return 1;
		kt = sg_json_next(j, kt + 1);
	}
	return 0;
}

int sg_parse_profile_at(struct walker *w, int t, const struct sg_loc *at, struct sg_profile *p)
{
	struct sg_diags *d = w->d;
	size_t errors_before = d->errors;
	if (w->j.tok[t].type != JSMN_OBJECT) {
		sg_walk_error(w, at, "a seccomp profile is a JSON object, found %s", sg_json_type_name(&w->j, t));
	} else if (is_kubernetes_object(&w->j, t)) {
		p->kubernetes = 1;
		p->default_action.kind = (enum sg_action_kind)-1;
		if (!sg_walk_object(w, t, at, spo_fields, p, 1) && (int)p->default_action.kind == -1)
			sg_walk_error(w, at, "SeccompProfile without \"spec\"");
	} else if (parse_profile_object(w, t, at, profile_fields, p) && d->errors == errors_before) {
		sg_walk_error(w, at, "internal error: the profile was refused without a message");
	}
	return d->errors > errors_before || d->oom ? -1 : 0;
}

/* ---- entry points ------------------------------------------------------- */

void sg_profile_free(struct sg_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++)
		free_rule(&p->rules[i]);
	free(p->rules);
	for (size_t i = 0; i < p->narchmap; i++)
		free(p->archmap[i].subs);
	free(p->archmap);
	free(p->arches);
	free(p->default_action.errno_name);
	free(p->listener_path);
	free(p->listener_metadata);
	free(p->base_name);
	free(p->name);
	for (size_t i = 0; i < p->nbase_files; i++)
		free(p->base_files[i]);
	free(p->base_files);
	free(p->file);
	sg_walk_kept_free(p->strings);
	free(p);
}

