/* Resolve stage. The semantics follow what runc and Docker do with the same
 * profile, so that a profile means the same thing under sysgate. */
#include "sysgate/resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../arch/arches.h"
#include "names.h"
#include "widths.h"

void sg_resolve_opts_init(struct sg_resolve_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->host = sg_arch_native();
	o->caps = sg_caps_docker_default();
	sg_kernel_running(o->kernel); /* unknown: 0.0.0, and every minKernel test fails */
}

/* Docker compares a rule's capabilities with the container's exactly. */
static void warn_cap(const struct sg_profile *p, const struct sg_filter *f, const char *cap, struct sg_diags *d)
{
	if (sg_cap_exact(cap) >= 0)
		return;
	int lenient = sg_cap_lookup(cap);
	char shown[80];
	sg_quote(shown, sizeof(shown), cap, strlen(cap));
	if (lenient < 0) {
		struct sg_suggester s;
		sg_suggest_init(&s, cap);
		for (unsigned i = 0; sg_cap_name(i); i++)
			sg_suggest_try(&s, sg_cap_name(i));
		sg_strict_warning(d, p->file, &f->loc, "unknown capability \"%s\" is never held%s%s%s", shown,
				  s.best ? " (did you mean \"" : "", s.best ? s.best : "", s.best ? "\"?)" : "");
	} else {
		sg_strict_warning(d, p->file, &f->loc,
				  "capability \"%s\" is never held: Docker compares names exactly (\"%s\")", shown,
				  sg_cap_name((unsigned)lenient));
	}
}

static void warn_unknown_caps(const struct sg_profile *p, struct sg_diags *d)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sg_rule *r = &p->rules[i];
		const struct sg_filter *fs[2] = { r->includes, r->excludes };
		for (int k = 0; k < 2; k++)
			for (size_t c = 0; fs[k] && c < fs[k]->ncaps; c++)
				warn_cap(p, fs[k], fs[k]->caps[c], d);
	}
}

int sg_action_encode(const struct sg_profile *p, const struct sg_action *a, const struct sg_arch *arch,
			 uint32_t *out, struct sg_diags *d)
{
	uint16_t data = 1; /* runc's default errno for ERRNO and TRACE: EPERM */
	if (a->kind == SG_ACT_ERRNO || a->kind == SG_ACT_TRACE) {
		uint16_t named;
		int have_named = a->errno_name && sg_errno_value(arch, a->errno_name, &named) == 0;
		if (a->errno_name && !have_named && !a->has_errno_ret)
			return sg_error(d, p->file, &a->errno_loc, "errno \"%s\" does not exist on %s", a->errno_name,
					arch->name);
		if (a->has_errno_ret) {
			data = a->errno_ret;
			if (have_named && named != data)
				sg_warning(d, p->file, &a->errno_loc,
					   "errno \"%s\" is %u on %s but errnoRet says %u; errnoRet wins", a->errno_name,
					   named, arch->name, data);
		} else if (have_named) {
			data = named;
		}
	}
	*out = sg_actions[a->kind].ret | (sg_actions[a->kind].has_data ? data : 0);
	return 0;
}

static int add_target(struct sg_policy *pol, const struct sg_arch *a)
{
	for (size_t i = 0; i < pol->narches; i++)
		if (pol->arches[i].arch == a)
			return 0;
	if (pol->narches == SG_MAX_ARCHES)
		return -1;
	pol->arches[pol->narches++].arch = a;
	return 0;
}

static int choose_targets(struct sg_policy *pol, const struct sg_profile *p, const struct sg_resolve_opts *o,
			  struct sg_diags *d)
{
	const struct sg_arch *host = o->host;
	int rc = 0;
	if (o->ntargets) {
		for (size_t i = 0; i < o->ntargets; i++)
			rc |= add_target(pol, o->targets[i]);
	} else if (p->has_archmap) {
		/* Docker: the host's entry and its sub-architectures */
		const struct sg_archmap_entry *e = NULL;
		int docker = sg_docker_reads_archmap(host);
		for (size_t i = 0; i < p->narchmap && !e && docker; i++)
			if (p->archmap[i].arch == host && p->archmap[i].exact)
				e = &p->archmap[i];
		rc |= add_target(pol, host);
		if (e)
			for (size_t i = 0; i < e->nsubs; i++)
				rc |= add_target(pol, e->subs[i]);
		else if (docker)
			sg_warning(d, p->file, NULL, "archMap has no entry for %s: only %s is filtered",
				   host->scmp_name, host->name);
		else
			sg_warning(d, p->file, NULL, "Docker reads no archMap on %s: only %s is filtered", host->name,
				   host->name);
	} else {
		/* runc/libseccomp: the native arch is always in the filter */
		rc |= add_target(pol, host);
		for (size_t i = 0; i < p->narches; i++)
			rc |= add_target(pol, p->arches[i]);
	}
	if (rc)
		return sg_error(d, p->file, NULL, "more than %d target architectures", SG_MAX_ARCHES);
	return 0;
}


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

/* socketcall(2) and ipc(2): on x86, s390, powerpc and MIPS o32 the socket
 * and System V IPC calls can also be made through a multiplexer whose first
 * argument names the call (linux/net.h SYS_*, linux/ipc.h). As libseccomp
 * does (and so runc), a rule naming such a call also applies to the
 * multiplexer with "arg0 == call" in place of the rule's own test of arg0;
 * its tests of the other arguments are kept, as libseccomp keeps them, though
 * there they see the multiplexer's arguments (arg1 is a pointer to the real
 * ones), so such a rule rarely matches through the multiplexer. */
/* The calls, generated into arch/mux.c from the kernel's headers: sorted
 * by name, each named by its offset in sg_name_pool. */
int sg_mux_call(size_t i, const char **name, int *ipc, uint32_t *call)
{
	if (i >= SG_NMUX)
		return -1;
	*name = sg_name_pool + sg_mux_calls[i].name;
	*ipc = sg_mux_calls[i].ipc;
	*call = sg_mux_calls[i].call;
	return 0;
}

/* m on this arch (and the multiplexer's number), or NULL when the arch has
 * no such multiplexer. */
static const struct sg_mux *mux_on(const struct sg_arch *arch, const struct sg_mux *m, uint32_t *mux_nr)
{
	int64_t nr = !m ? -1 : m->ipc ? arch->ipc_nr : arch->socketcall_nr;
	if (nr < 0)
		return NULL;
	*mux_nr = (uint32_t)nr;
	return m;
}

/* The multiplexer rule's conditions: "arg0 == call", then the rule's tests
 * of arguments 1..5, in an array the policy owns. */
/* n conditions the policy owns, or NULL. */
static struct sg_cond *own(struct sg_policy *pol, size_t n)
{
	struct sg_cond *v = malloc(n * sizeof(*v));
	if (v && !(pol->nowned & (pol->nowned - 1))) { /* capacity doubles at powers of two */
		struct sg_cond **o = realloc(pol->owned, (pol->nowned ? pol->nowned * 2 : 1) * sizeof(*o));
		if (o)
			pol->owned = o;
		else {
			free(v);
			v = NULL;
		}
	}
	if (v)
		pol->owned[pol->nowned++] = v;
	return v;
}

static int mux_conds(struct sg_policy *pol, const struct sg_mux *mc, const struct sg_cond *c, size_t n,
		     struct sg_arch_rule *ar)
{
	size_t keep = 0;
	for (size_t i = 0; i < n; i++)
		keep += c[i].index != 0;
	/* "arg0 == call" alone (most such rules): one of a table of them the
	 * policy owns, made once, not an array a rule */
	if (!keep && !pol->mux_eq && !(pol->mux_eq = own(pol, 256)))
		return -1;
	struct sg_cond *v = keep ? own(pol, keep + 1) : pol->mux_eq + mc->call;
	if (!v)
		return -1;
	v[0] = (struct sg_cond){ .index = 0, .op = SG_CMP_EQ, .value = mc->call };
	ar->nconds = 1;
	for (size_t i = 0; i < n; i++)
		if (c[i].index != 0)
			v[ar->nconds++] = c[i];
	ar->conds = v;
	return 0;
}

/* ---- the rules' syscall names, each looked up once ----------------------- */

/* A distinct name of the applying rules, in the order first met: a known
 * one (some architecture has it: name points into sg_name_pool) or an
 * unknown one (name as written). */
struct name_info {
	const char *name;
	const struct sg_mux *mux; /* its call through socketcall(2) or ipc(2), or NULL */
	const char *hint;           /* the did-you-mean, once hinted (unknown names) */
	uint32_t on;                /* bit a: target a has it, as number nr[row][a] */
	uint32_t row;               /* known names: its row in nr and the reads caches */
	unsigned known : 1;
	unsigned hinted : 1;
};

struct names {
	struct sg_pool_index *pool;
	/* per name in sg_name_pool, at half its offset (a name and its NUL
	 * take two bytes at least): row + 1 of a known name */
	uint16_t *by_off;
	uint32_t *known;               /* per row: the known name's index in v */
	struct sg_names all;           /* for the did-you-mean: built when a name is unknown everywhere */
	int have_all;
	uint32_t (*nr)[SG_MAX_ARCHES]; /* per known name (row): its numbers on the targets */
	size_t nknown;
	struct name_info *v;
	size_t n, cap, nunknown;
	uint32_t *slot; /* open hash of the unknown names: index + 1 into v, 0 when free */
	size_t nslots;  /* a power of two, at least twice the unknown names */
	size_t *first;  /* per rule: where its names begin in of */
	uint32_t *of;   /* per name of an applying rule: its entry in v */
};

static void names_free(struct names *nm)
{
	free(nm->pool);
	free(nm->by_off);
	free(nm->known);
	if (nm->have_all)
		sg_names_free(&nm->all);
	free(nm->nr);
	free(nm->v);
	free(nm->slot);
	free(nm->first);
	free(nm->of);
}

/* A probe is cut short there: names made to collide cost a lookup each,
 * not a search of all the others. */
#define MAX_PROBES 64

/* Room for one more entry, and for one more unknown name in the hash
 * (rebuilt at half full). */
static int names_grow(struct names *nm, int unknown)
{
	if (nm->n == nm->cap) {
		size_t cap = nm->cap * 2;
		struct name_info *v = realloc(nm->v, cap * sizeof(*v));
		if (!v)
			return -1;
		nm->v = v;
		nm->cap = cap;
	}
	if (!unknown || 2 * (nm->nunknown + 1) <= nm->nslots)
		return 0;
	size_t nslots = nm->nslots ? nm->nslots * 2 : 1024;
	uint32_t *slot = calloc(nslots, sizeof(*slot));
	if (!slot)
		return -1;
	for (size_t i = 0; i < nm->n; i++) {
		if (nm->v[i].known)
			continue;
		size_t h = (size_t)sg_name_hash(nm->v[i].name) & (nslots - 1), probes = 0;
		while (slot[h] && probes++ < MAX_PROBES)
			h = (h + 1) & (nslots - 1);
		if (!slot[h])
			slot[h] = (uint32_t)(i + 1);
	}
	free(nm->slot);
	nm->slot = slot;
	nm->nslots = nslots;
	return 0;
}

/* The entry of name (a new one when first met); -1 out of memory. */
static long names_entry(struct names *nm, const char *name)
{
	long off = sg_pool_index_find(nm->pool, name);
	if (off >= 0 && nm->by_off[off / 2])
		return (long)nm->known[nm->by_off[off / 2] - 1];
	if (names_grow(nm, off < 0))
		return -1;
	struct name_info *e = &nm->v[nm->n];
	memset(e, 0, sizeof(*e));
	if (off >= 0) {
		e->name = sg_name_pool + off;
		e->known = 1;
		e->row = (uint32_t)nm->nknown;
		nm->known[nm->nknown++] = (uint32_t)nm->n;
		nm->by_off[off / 2] = (uint16_t)nm->nknown;
		return (long)nm->n++;
	}
	size_t h = (size_t)sg_name_hash(name) & (nm->nslots - 1), probes = 0;
	for (; nm->slot[h] && probes++ < MAX_PROBES; h = (h + 1) & (nm->nslots - 1))
		if (strcmp(nm->v[nm->slot[h] - 1].name, name) == 0)
			return (long)nm->slot[h] - 1;
	if (!nm->slot[h]) /* else names made to collide: each gets an entry of its own */
		nm->slot[h] = (uint32_t)(nm->n + 1);
	e->name = name; /* no multiplexed call: those are known names (test_arch) */
	nm->nunknown++;
	return (long)nm->n++;
}

/* The known names' numbers on each target, one pass over each target's
 * table (a table entry names its call by pool offset), and their
 * multiplexed calls. */
static void names_number(struct names *nm, const struct sg_policy *pol)
{
	for (size_t a = 0; a < pol->narches; a++) {
		const struct sg_arch *arch = pol->arches[a].arch;
		for (size_t c = 0; c < arch->nsyscalls; c++) {
			uint16_t row = nm->by_off[arch->by_name[c].name / 2];
			if (!row)
				continue;
			struct name_info *e = &nm->v[nm->known[row - 1]];
			nm->nr[e->row][a] = sg_syscall_num(arch, &arch->by_name[c]);
			e->on |= 1u << a;
		}
	}
	for (size_t m = 0; m < SG_NMUX; m++) {
		uint16_t row = nm->by_off[sg_mux_calls[m].name / 2];
		if (row)
			nm->v[nm->known[row - 1]].mux = &sg_mux_calls[m];
	}
}

static int names_init(struct names *nm, const struct sg_profile *p, const struct sg_policy *pol)
{
	size_t total = 0;
	memset(nm, 0, sizeof(*nm));
	for (size_t i = 0; i < p->nrules; i++)
		total += p->rules[i].nnames;
	nm->cap = SG_NAME_POOL_SYSCALLS; /* every known name: no copying as they come */
	nm->pool = malloc(sizeof(*nm->pool));
	nm->by_off = calloc(SG_NAME_POOL_SIZE / 2 + 1, sizeof(*nm->by_off));
	nm->known = malloc(SG_NAME_POOL_SYSCALLS * sizeof(*nm->known));
	nm->v = malloc(nm->cap * sizeof(*nm->v));
	nm->first = malloc((p->nrules + 1) * sizeof(*nm->first));
	nm->of = malloc((total + 1) * sizeof(*nm->of));
	if (!nm->pool || !nm->by_off || !nm->known || !nm->v || !nm->first || !nm->of)
		return -1;
	sg_pool_index_init(nm->pool);
	for (size_t i = 0, at = 0; i < p->nrules; at += p->rules[i++].nnames) {
		nm->first[i] = at;
		for (size_t k = 0; pol->rule_used[i] && k < p->rules[i].nnames; k++) {
			long e = names_entry(nm, p->rules[i].names[k]);
			if (e < 0)
				return -1;
			nm->of[at + k] = (uint32_t)e;
		}
	}
	if (!(nm->nr = malloc((nm->nknown + 1) * sizeof(*nm->nr))))
		return -1;
	names_number(nm, pol);
	return 0;
}

static struct name_info *name_of(const struct names *nm, size_t rule, size_t k)
{
	return &nm->v[nm->of[nm->first[rule] + k]];
}

static void report_unknown_everywhere(const struct sg_profile *p, const struct sg_policy *pol, struct names *nm,
				      const struct sg_resolve_opts *o, struct sg_diags *d)
{
	for (size_t i = 0; i < p->nrules; i++) {
		if (!pol->rule_used[i])
			continue;
		const struct sg_rule *r = &p->rules[i];
		for (size_t k = 0; k < r->nnames; k++) {
			struct name_info *e = name_of(nm, i, k);
			if ((e->on & 1) || e->known)
				continue;
			/* every table's names, for the did-you-mean: only now, as most
			 * profiles name no call that no architecture has */
			if (!nm->have_all && sg_names_init(&nm->all)) {
				sg_oom(d, p->file);
				return;
			}
			nm->have_all = 1;
			if (!e->hinted) { /* once per distinct name */
				e->hint = sg_names_suggest(&nm->all, e->name);
				e->hinted = 1;
			}
			char shown[80];
			sg_quote(shown, sizeof(shown), r->names[k], strlen(r->names[k]));
			char hint[96] = "";
			if (e->hint)
				snprintf(hint, sizeof(hint), " (did you mean \"%s\"?)", e->hint);
			struct sg_loc at;
			sg_rule_name_loc(r, k, &at);
			if (o->strict || d->strict)
				sg_error(d, sg_rule_file(p, r), &at, "unknown syscall \"%s\"%s", shown, hint);
			else
				sg_warning(d, sg_rule_file(p, r), &at, "unknown syscall \"%s\" on every architecture; skipped%s", shown,
					   hint);
		}
	}
}

/* Lists, in one diagnostic per arch, the names this arch lacks (runc skips them). */
static void report_unknown_on_arch(const struct sg_profile *p, struct sg_policy *pol, size_t a, struct names *nm,
				   struct sg_diags *d)
{
	struct sg_arch_policy *ap = &pol->arches[a];
	size_t len = 0, count = 0, cap = 256;
	char *list = malloc(cap);
	if (!list) {
		sg_oom(d, p->file);
		return;
	}
	list[0] = '\0';
	/* the distinct names, in the order the applying rules first name them */
	for (size_t i = 0; i < nm->n; i++) {
		const struct name_info *e = &nm->v[i];
		uint32_t mux_nr;
		if ((e->on >> a & 1) || mux_on(ap->arch, e->mux, &mux_nr) || !e->known)
			continue;
		size_t nl = strlen(e->name);
		if (len + nl + 2 > cap) {
			char *nlist = realloc(list, (cap + nl) * 2);
			if (!nlist) {
				sg_oom(d, p->file);
				free(list);
				return;
			}
			list = nlist;
			cap = (cap + nl) * 2;
		}
		if (len)
			list[len++] = ' ';
		memcpy(list + len, e->name, nl + 1);
		len += nl;
		count++;
	}
	ap->nunknown = count;
	/* never an error, even under --strict: a profile for several
	 * architectures names calls some of them lack (Docker's default) */
	if (count)
		sg_warning(d, p->file, NULL, "%s: %zu syscall%s not on this architecture, skipped: %s", ap->arch->name,
			   count, count == 1 ? "" : "s", list);
	free(list);
}

/* Most restrictive first, profile order among equals: a stable counting
 * sort on the rank (the rules of all syscalls at once: only their order
 * within one syscall matters). */
static int order_by_precedence(struct sg_arch_policy *ap)
{
	size_t start[10] = { 0 };
	if (ap->nrules < 2)
		return 0; /* nothing to order (and rules may be NULL) */
	struct sg_arch_rule *v = malloc(ap->nrules * sizeof(*v));
	unsigned char *rank = malloc(ap->nrules);
	if (!v || !rank) {
		free(v);
		free(rank);
		return -1;
	}
	for (size_t i = 0; i < ap->nrules; i++) {
		rank[i] = (unsigned char)sg_action_rank(ap->rules[i].action);
		start[rank[i] + 1]++;
	}
	for (int r = 1; r < 10; r++)
		start[r] += start[r - 1];
	for (size_t i = 0; i < ap->nrules; i++)
		v[start[rank[i]]++] = ap->rules[i];
	free(ap->rules);
	ap->rules = v;
	free(rank);
	return 0;
}

/* ---- the ENOSYS stub --------------------------------------------------------- */

#define LOW_NRS 1024 /* a table's stored numbers are below, but for arm's private calls */

/* The ENOSYS stub's facts for an arch: runc's rules (enosys_linux.go's
 * generatePatch): none when the default allows, logs or traces (a tracer
 * handles new calls itself); else numbers above the largest one any
 * applying rule names on this arch (any action, even the default's; names
 * unknown here skipped; none named, or only number 0: no stub, as runc's
 * largestSyscall != 0 test). And the step beyond runc:
 * numbers no row of the arch's kernel table allocates, for any of the
 * ABIs the table file serves (x86_64.tbl: x86_64 and x32; s390.tbl,
 * powerpc.tbl, generic.tbl): the kernel answers ENOSYS there. A number the
 * file gives a sibling ABI (x86_64's 13 rt_sigaction, 0x4000000d on x32)
 * keeps the default: in use, and no run of its own in the tree. */
static int stub_init(const struct sg_profile *p, struct sg_arch_policy *ap, int off, int named, uint32_t last)
{
	enum sg_action_kind k = p->default_action.kind;
	uint16_t enosys;
	if (off || !named || last == 0 || k == SG_ACT_ALLOW || k == SG_ACT_LOG || k == SG_ACT_TRACE ||
	    sg_errno_value(ap->arch, "ENOSYS", &enosys))
		return 0;
	/* arch's table and its siblings' of the same file (less their private
	 * calls), marked in a bitmap of the stored numbers: read back, sorted
	 * and each once, as the stored form orders as the number does. A table
	 * stores its numbers below LOW_NRS, and arm's private calls from
	 * SG_NR_PRIVATE, above all its others (arch/gen-tables and test_arch
	 * check both): the last word marks those. */
	const struct sg_arch *arch = ap->arch;
	size_t narches, total = 0;
	const struct sg_arch *const *all = sg_arches(&narches);
	uint64_t marked[LOW_NRS / 64 + 1] = { 0 };
	for (size_t a = 0; a < narches; a++) {
		const struct sg_arch *b = all[a];
		if (b != arch && strcmp(b->source, arch->source) != 0)
			continue;
		total += b->nsyscalls;
		for (size_t i = 0; i < b->nsyscalls; i++) {
			unsigned nr = b->by_name[i].nr;
			if (nr < LOW_NRS)
				marked[nr / 64] |= 1ull << (nr % 64);
			else if (b == arch && nr - SG_NR_PRIVATE < 64)
				marked[LOW_NRS / 64] |= 1ull << (nr - SG_NR_PRIVATE);
		}
	}
	if (!(ap->allocated = malloc((total + 1) * sizeof(*ap->allocated))))
		return -1;
	size_t n = 0;
	for (size_t w = 0; w <= LOW_NRS / 64; w++)
		for (uint64_t m = marked[w]; m; m &= m - 1) {
			unsigned bit = (unsigned)__builtin_ctzll(m);
			struct sg_syscall sc = { .nr = (uint16_t)(w < LOW_NRS / 64 ? w * 64 + bit : SG_NR_PRIVATE + bit) };
			ap->allocated[n++] = sg_syscall_num(arch, &sc);
		}
	ap->nallocated = n;
	ap->last_nr = last;
	ap->enosys = SG_RET_ERRNO | enosys;
	return 0;
}

/* Per applying condition, whether sg_widths_warn spoke of it already. */
struct narrow_warned {
	size_t *base; /* per rule: its first condition's flag */
	unsigned char *flag;
};

/* resolve_arch's rules; named and last: whether a rule names a call here, the largest such number. */
static int resolve_rules(const struct sg_profile *p, struct sg_policy *pol, size_t a, const struct names *nm,
			 struct narrow_warned *nw, int kernel, uint32_t *rcache, uint32_t mux_reads[2], int *named,
			 uint32_t *last, struct sg_diags *d)
{
	struct sg_arch_policy *ap = &pol->arches[a];
	int muxes = ap->arch->socketcall_nr >= 0 || ap->arch->ipc_nr >= 0;
	uint32_t top = *last; /* kept in locals, as out: stored at the end */
	struct sg_arch_rule *out = ap->rules + ap->nrules;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sg_rule *r = &p->rules[i];
		if (!pol->rule_used[i])
			continue;
		uint32_t action;
		if (sg_action_encode(p, &r->action, ap->arch, &action, d))
			return -1;
		int dropped = action == ap->default_action;
		pol->rules_dropped += dropped && a == 0; /* runc ignores such a rule */
		/* runc: when one rule tests an argument twice, every condition
		 * becomes a rule of its own, so they are ORed */
		int split = repeats_index(r);
		size_t groups = split ? r->nconds : 1;
		const uint32_t *of = nm->of + nm->first[i];
		for (size_t k = 0; k < r->nnames; k++) {
			const struct name_info *e = &nm->v[of[k]];
			if (e->on >> a & 1) { /* a dropped rule's names count here too */
				uint32_t nr = nm->nr[e->row][a];
				top = nr > top ? nr : top;
				*named = 1;
			}
			if (dropped)
				continue;
			uint32_t mux_nr;
			const struct sg_mux *mc = muxes ? mux_on(ap->arch, e->mux, &mux_nr) : NULL;
			for (size_t g = 0; mc && g < groups; g++) {
				struct sg_arch_rule ar = { .nr = mux_nr, .action = action, .rule = i, .name = k };
				if (kernel && mux_reads[mc->ipc] == UINT32_MAX)
					mux_reads[mc->ipc] = sg_widths_reads(ap->arch, mux_nr);
				ar.reads = kernel ? (uint16_t)mux_reads[mc->ipc] : 0;
				if (mux_conds(pol, mc, split ? &r->conds[g] : r->conds, split ? 1 : r->nconds, &ar))
					return sg_oom(d, p->file);
				*out++ = ar;
			}
			if (!(e->on >> a & 1))
				continue;
			uint32_t nr = nm->nr[e->row][a];
			size_t ei = e->row;
			if (kernel && r->nconds && rcache[ei] == UINT32_MAX)
				rcache[ei] = sg_widths_reads_named(ap->arch, e->name);
			uint16_t reads = kernel && r->nconds ? (uint16_t)rcache[ei] : 0;
			if (reads)
				sg_widths_warn(p, i, ap->arch, nr, reads, nw->flag + nw->base[i], d);
			for (size_t g = 0; g < groups; g++) {
				struct sg_arch_rule ar = {
					.nr = nr,
					.action = action,
					.conds = split ? &r->conds[g] : r->conds,
					.nconds = split ? 1 : r->nconds,
					.rule = i,
					.name = k,
					.reads = reads,
				};
				*out++ = ar;
			}
		}
	}
	*last = top;
	ap->nrules = (size_t)(out - ap->rules);
	return 0;
}

static int resolve_arch(const struct sg_profile *p, struct sg_policy *pol, size_t a, const struct names *nm,
			const struct sg_resolve_opts *o, struct narrow_warned *nw, struct sg_diags *d)
{
	struct sg_arch_policy *ap = &pol->arches[a];
	if (sg_action_encode(p, &p->default_action, ap->arch, &ap->default_action, d))
		return -1;
	int kernel = o->arg_width == SG_ARG_WIDTH_KERNEL, named = 0;
	uint32_t last = 0;
	/* reads per known name, looked up once: UINT32_MAX not yet */
	uint32_t *rcache = malloc((nm->nknown + 1) * sizeof(*rcache)), mux_reads[2] = { UINT32_MAX, UINT32_MAX };
	if (!rcache)
		return sg_oom(d, p->file);
	for (size_t i = 0; i < nm->nknown; i++)
		rcache[i] = UINT32_MAX;
	/* room for every rule resolve_rules can make: per name, a rule per
	 * group of conditions, and as many through a multiplexer */
	size_t room = 1, per = ap->arch->socketcall_nr >= 0 || ap->arch->ipc_nr >= 0 ? 2 : 1, most = SIZE_MAX / sizeof(*ap->rules);
	for (size_t i = 0; i < p->nrules && room <= most; i++) {
		const struct sg_rule *r = &p->rules[i];
		size_t each = per * (repeats_index(r) ? r->nconds : 1);
		if (pol->rule_used[i] && r->nnames)
			room = each > (most - room) / r->nnames ? most + 1 : room + r->nnames * each;
	}
	if (room > most || !(ap->rules = malloc(room * sizeof(*ap->rules)))) {
		free(rcache);
		return sg_oom(d, p->file);
	}
	int rc = resolve_rules(p, pol, a, nm, nw, kernel, rcache, mux_reads, &named, &last, d);
	free(rcache);
	if (rc)
		return rc;
	if (stub_init(p, ap, o->enosys_off, named, last))
		return sg_oom(d, p->file);
	return 0;
}

/* A 32-bit ABI compares 32-bit values: say so where a value is wider. */
static void warn_wide_values(const struct sg_profile *p, const struct sg_policy *pol, struct sg_diags *d)
{
	const struct sg_arch *narrow = NULL;
	for (size_t a = 0; a < pol->narches && !narrow; a++)
		if (pol->arches[a].arch->bits == 32)
			narrow = pol->arches[a].arch;
	for (size_t i = 0; narrow && i < p->nrules; i++)
		for (size_t k = 0; pol->rule_used[i] && k < p->rules[i].nconds; k++) {
			const struct sg_cond *c = &p->rules[i].conds[k];
			uint64_t wide = c->value | (c->op == SG_CMP_MASKED_EQ ? c->value_two : 0);
			struct sg_loc at;
			if (!(wide >> 32))
				continue;
			sg_rule_cond_loc(&p->rules[i], k, &at);
			sg_warning(d, sg_rule_file(p, &p->rules[i]), &at, "%s is a 32-bit ABI: this value is compared as its low 32 bits there, "
						    "as libseccomp does", narrow->name);
		}
}

/* Fails closed: without its base, a profile would lack the calls the base
 * allows, or allow what the base refuses. */
static struct sg_policy *unmerged_base(const struct sg_profile *p, struct sg_diags *d)
{
	sg_error(d, p->file, &p->base_loc, "baseProfileName \"%s\" is not merged: read the profile with "
					   "sg_source_load or sg_source_parse (source.h), which merge it", p->base_name);
	return NULL;
}

struct sg_policy *sg_resolve(const struct sg_profile *p, const struct sg_resolve_opts *o, struct sg_diags *d)
{
	size_t errors_before = d->errors;
	if (!o->host) {
		sg_error(d, p->file, NULL, "unknown native architecture: name one with --arch");
		return NULL;
	}
	if (p->base_name && !p->base_merged)
		return unmerged_base(p, d);
	struct sg_policy *pol = calloc(1, sizeof(*pol));
	if (!pol || !(pol->rule_used = calloc(p->nrules + 1, 1))) {
		free(pol);
		sg_error(d, p->file, NULL, "out of memory");
		return NULL;
	}
	pol->profile = p;
	pol->precedence = o->precedence;
	pol->flags = p->has_flags ? p->flags : SG_FLAG_SPEC_ALLOW;
	if (choose_targets(pol, p, o, d))
		goto fail;
	warn_unknown_caps(p, d);
	int notify = 0;
	for (size_t i = 0; i < p->nrules; i++) {
		pol->rule_used[i] = (unsigned char)sg_rule_applies(&p->rules[i], o->host, o->caps, o->kernel);
		pol->rules_excluded += !pol->rule_used[i];
		notify |= pol->rule_used[i] && p->rules[i].action.kind == SG_ACT_NOTIFY;
	}
	pol->flags = sg_flags_complete(pol->flags, notify, p->file, d);
	if (notify && !p->listener_path)
		sg_warning(d, p->file, NULL, "SCMP_ACT_NOTIFY is used but there is no listenerPath: "
					     "`sysgate exec` will refuse to run it");
	warn_wide_values(p, pol, d);
	struct names nm;
	if (names_init(&nm, p, pol)) {
		names_free(&nm);
		sg_oom(d, p->file);
		goto fail;
	}
	report_unknown_everywhere(p, pol, &nm, o, d);
	struct narrow_warned nw = { .base = malloc((p->nrules + 1) * sizeof(size_t)) };
	size_t nconds = 0;
	for (size_t i = 0; nw.base && i < p->nrules; i++) {
		nw.base[i] = nconds;
		nconds += p->rules[i].nconds;
	}
	if (!nw.base || !(nw.flag = calloc(nconds + 1, 1))) {
		free(nw.base);
		names_free(&nm);
		sg_oom(d, p->file);
		goto fail;
	}
	for (size_t a = 0; a < pol->narches; a++) {
		report_unknown_on_arch(p, pol, a, &nm, d);
		if (resolve_arch(p, pol, a, &nm, o, &nw, d)) {
			free(nw.base);
			free(nw.flag);
			names_free(&nm);
			goto fail;
		}
		if (pol->precedence == SG_PRECEDENCE_RESTRICTIVE && order_by_precedence(&pol->arches[a])) {
			names_free(&nm);
			free(nw.base);
			free(nw.flag);
			sg_oom(d, p->file);
			goto fail;
		}
	}
	free(nw.base);
	free(nw.flag);
	names_free(&nm);
	if (d->errors > errors_before || d->oom)
		goto fail;
	return pol;
fail:
	sg_policy_free(pol);
	return NULL;
}

void sg_policy_free(struct sg_policy *pol)
{
	if (!pol)
		return;
	for (size_t i = 0; i < pol->narches; i++) {
		free(pol->arches[i].rules);
		free(pol->arches[i].allocated);
	}
	free(pol->rule_used);
	for (size_t i = 0; i < pol->nowned; i++)
		free(pol->owned[i]);
	free(pol->owned);
	free(pol);
}

