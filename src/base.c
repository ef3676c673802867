/* Source stage, bases (see source.h): a SeccompProfile's baseProfileName
 * chain, found in files and merged as the Security Profiles Operator merges
 * it. The operator (its reconciler's mergeBaseProfile) keeps the profile's
 * own defaultAction, architectures and flags, and replaces its syscalls by
 * the union of its own and each base's, recursively, to a fixed depth; the
 * union gives each syscall the less restrictive decision of the two sides,
 * a syscall on one side only keeping that side's rules. */
#include "sysgate/source.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parse_impl.h"
#include "walk.h"

#ifdef SG_STATIC_LIBC

/* The static binary's size limit leaves no room for the merge: it refuses
 * the profile (fail closed) and names the build that reads it. */
int sg_source_merge_bases(struct sg_profile *p, const char *file, const char *text, size_t len,
			  const struct sg_source_opts *o, struct sg_diags *d)
{
	(void)text, (void)len, (void)o;
	return sg_error(d, file, &p->base_loc, "baseProfileName: the static binary does not merge base profiles; "
					       "use the full build of sysgate, or compile the profile with it");
}

#else

/* ---- finding a base --------------------------------------------------- */

static char *join(const char *dir, const char *name, const char *ext)
{
	size_t n = strlen(dir) + strlen(name) + strlen(ext) + 2;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s/%s%s", dir, name, ext);
	return s;
}

static char *dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	if (!slash || !strcmp(file, "-"))
		return strdup(".");
	size_t n = slash == file ? 1 : (size_t)(slash - file);
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, file, n);
		s[n] = '\0';
	}
	return s;
}

struct found {
	struct sg_profile *p;
	char *text; /* the base's file, where its own base may be too */
	size_t len;
};

/* NAME.yaml, NAME.yml or NAME.json in dir: 1 found (or refused: f->p NULL
 * after an error), 0 absent. */
static int in_dir(const char *dir, const char *name, struct found *f, struct sg_diags *d)
{
	static const char *const exts[] = { ".yaml", ".yml", ".json" };
	for (size_t i = 0; i < sizeof(exts) / sizeof(*exts); i++) {
		struct stat st;
		char *path = join(dir, name, exts[i]);
		if (!path)
			return sg_oom(d, name), 1;
		if (stat(path, &st) != 0) {
			free(path);
			continue;
		}
		if (sg_read_file(path, &f->text, &f->len, d) == 0)
			f->p = sg_parse_text(path, f->text, f->len, name, 0, d);
		free(path);
		return 1;
	}
	return 0;
}

/* A base named name: among the documents of the text it is named in, then
 * beside that file, then along the profile path. */
static int find_base(const char *name, const char *file, const char *text, size_t len,
		     const struct sg_source_opts *o, struct found *f, struct sg_diags *d)
{
	memset(f, 0, sizeof(*f));
	struct sg_diags quiet;
	sg_diags_init(&quiet);
	struct sg_profile *here = text ? sg_parse_text(file, text, len, name, 0, &quiet) : NULL;
	sg_diags_free(&quiet);
	if (here) {
		sg_profile_free(here);
		f->p = sg_parse_text(file, text, len, name, 0, d); /* again, for its warnings */
		if (!f->p)
			return -1;
		if (!(f->text = malloc(len ? len : 1))) {
			sg_profile_free(f->p);
			f->p = NULL;
			return sg_oom(d, file);
		}
		memcpy(f->text, text, len);
		f->len = len;
		return 1;
	}
	char *dir = dir_of(file);
	if (!dir)
		return sg_oom(d, file);
	int hit = in_dir(dir, name, f, d);
	free(dir);
	for (size_t i = 0; !hit && i < o->nprofile_path; i++)
		hit = in_dir(o->profile_path[i], name, f, d);
	return hit && !f->p ? -1 : hit;
}

/* ---- the union of the syscalls ------------------------------------------- */

struct occurrence {
	const char *name;
	size_t rule, k, layer;
};

static int by_name(const void *a, const void *b)
{
	const struct occurrence *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return (x->k > y->k) - (x->k < y->k);
}

static int same_action(const struct sg_action *a, const struct sg_action *b)
{
	if (a->kind != b->kind || a->has_errno_ret != b->has_errno_ret || (a->has_errno_ret && a->errno_ret != b->errno_ret))
		return 0;
	return !a->errno_name == !b->errno_name && (!a->errno_name || !strcmp(a->errno_name, b->errno_name));
}

static int rank(const struct sg_action *a) { return sg_action_rank(sg_actions[a->kind].ret); }

/* What one side (the profile, or one base) does with a name: each side
 * decides a call by its most restrictive matching rule (restrictive
 * precedence), its default where none matches, and the union takes the
 * least restrictive side at each call (the default being the most
 * restrictive action of all). */
struct side {
	int all_unconditional; /* the side's decision is one action, const_at's */
	int uniform;           /* every rule of the side has uncond_at's action */
	long const_at, uncond_at; /* occurrences; -1: none */
};

static const struct sg_action *action_of(const struct sg_profile *p, const struct occurrence *o)
{
	return &p->rules[o->rule].action;
}

static void read_side(const struct sg_profile *p, const struct occurrence *v, size_t n, size_t layer, struct side *s)
{
	*s = (struct side){ 1, 1, -1, -1 };
	long first = -1;
	for (size_t i = 0; i < n; i++) {
		if (v[i].layer != layer)
			continue;
		const struct sg_rule *r = &p->rules[v[i].rule];
		if (first < 0)
			first = (long)i;
		s->uniform &= same_action(action_of(p, &v[i]), action_of(p, &v[first]));
		if (r->nconds) {
			s->all_unconditional = 0;
			continue;
		}
		if (s->uncond_at < 0)
			s->uncond_at = (long)i;
		if (s->const_at < 0 || rank(&r->action) < rank(action_of(p, &v[s->const_at])))
			s->const_at = (long)i;
	}
}

/* The occurrence that alone decides every call of the name as the union
 * does, or -1: when every side is one action, the least restrictive side's
 * rule; else a side that is one unconditional action everywhere, no rule
 * of any side being less restrictive than it. */
static long sole_rule(const struct sg_profile *p, const struct occurrence *v, size_t n)
{
	struct side sides[SG_MAX_BASE_DEPTH + 1];
	size_t nl = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].layer + 1 > nl)
			nl = v[i].layer + 1;
	int constant = 1;
	for (size_t l = 0; l < nl; l++) {
		read_side(p, v, n, l, &sides[l]);
		constant &= sides[l].all_unconditional;
	}
	long best = -1;
	for (size_t l = 0; l < nl; l++) {
		long at = constant ? sides[l].const_at : sides[l].uniform ? sides[l].uncond_at : -1;
		if (at >= 0 && (best < 0 || rank(action_of(p, &v[at])) > rank(action_of(p, &v[best]))))
			best = at;
	}
	if (best < 0 || constant)
		return best;
	for (size_t i = 0; i < n; i++) /* nothing may be less restrictive */
		if (rank(action_of(p, &v[i])) > rank(action_of(p, &v[best])) ||
		    (rank(action_of(p, &v[i])) == rank(action_of(p, &v[best])) &&
		     !same_action(action_of(p, &v[i]), action_of(p, &v[best]))))
			return -1;
	return best;
}

/* Decides one name present in several sides: 0 (drop[] marks the
 * occurrences merged away), or -1 after an error. */
static int decide(const struct sg_profile *p, const struct occurrence *v, size_t n, unsigned char *drop,
		  struct sg_diags *d)
{
	size_t same = 1;
	while (same < n && same_action(action_of(p, &v[same]), action_of(p, &v[0])))
		same++;
	if (same == n)
		return 0; /* one action: the union of the conditions, every rule kept */
	long w = sole_rule(p, v, n);
	if (w >= 0) {
		for (size_t i = 0; i < n; i++)
			drop[i] = (long)i != w;
		return 0;
	}
	const struct sg_rule *r = &p->rules[v[0].rule];
	struct sg_loc at;
	sg_rule_name_loc(r, v[0].k, &at);
	return sg_error(d, sg_rule_file(p, r), &at,
			"\"%s\" has rules with different actions under argument conditions here and in a base profile: "
			"the operator merges them per argument region, which sysgate does not reproduce; give \"%s\" "
			"one action in both, or no conditions",
			v[0].name, v[0].name);
}

/* Removes the dropped names from their rules, keeping each name's index as
 * written for its location. */
static int drop_names(struct sg_profile *p, const struct occurrence *v, size_t n, const unsigned char *drop)
{
	for (size_t i = 0; i < n; i++) {
		if (!drop[i])
			continue;
		struct sg_rule *r = &p->rules[v[i].rule];
		if (!r->name_at) {
			if (!(r->name_at = malloc((r->nnames ? r->nnames : 1) * sizeof(size_t))))
				return -1;
			for (size_t k = 0; k < r->nnames; k++)
				r->name_at[k] = k;
		}
		/* v[i].k is an index as written: find it now */
		size_t k = 0;
		while (k < r->nnames && r->name_at[k] != v[i].k)
			k++;
		if (k == r->nnames)
			continue;
		memmove(&r->names[k], &r->names[k + 1], (r->nnames - k - 1) * sizeof(*r->names));
		memmove(&r->name_pos[k], &r->name_pos[k + 1], (r->nnames - k - 1) * sizeof(*r->name_pos));
		memmove(&r->name_at[k], &r->name_at[k + 1], (r->nnames - k - 1) * sizeof(*r->name_at));
		r->nnames--;
	}
	return 0;
}

static int union_names(struct sg_profile *p, const size_t *layer, struct sg_diags *d)
{
	size_t total = 0;
	for (size_t i = 0; i < p->nrules; i++)
		total += p->rules[i].nnames;
	struct occurrence *v = malloc((total ? total : 1) * sizeof(*v));
	unsigned char *drop = calloc(total ? total : 1, 1);
	if (!v || !drop) {
		free(v);
		free(drop);
		return sg_oom(d, p->file);
	}
	size_t n = 0;
	for (size_t i = 0; i < p->nrules; i++)
		for (size_t k = 0; k < p->rules[i].nnames; k++)
			v[n++] = (struct occurrence){ p->rules[i].names[k], i, k, layer[i] };
	qsort(v, n, sizeof(*v), by_name);
	int rc = 0;
	for (size_t i = 0, j; i < n && !rc; i = j) {
		int layers = 0;
		for (j = i + 1; j < n && !strcmp(v[j].name, v[i].name); j++)
			layers |= v[j].layer != v[i].layer;
		if (layers)
			rc = decide(p, v + i, j - i, drop + i, d);
	}
	/* names are compared above, so the removal comes after */
	if (!rc && drop_names(p, v, n, drop))
		rc = sg_oom(d, p->file);
	free(v);
	free(drop);
	return rc;
}

/* Moves the bases' rules into p, after its own. */
static int take_rules(struct sg_profile *p, struct sg_profile **bases, size_t nb, size_t **layer, struct sg_diags *d)
{
	size_t total = p->nrules;
	for (size_t b = 0; b < nb; b++)
		total += bases[b]->nrules;
	struct sg_rule *rules = realloc(p->rules, (total ? total : 1) * sizeof(*rules));
	*layer = malloc((total ? total : 1) * sizeof(**layer));
	p->base_files = calloc(nb ? nb : 1, sizeof(char *));
	if (rules)
		p->rules = rules;
	if (!rules || !*layer || !p->base_files)
		return sg_oom(d, p->file);
	for (size_t i = 0; i < p->nrules; i++)
		(*layer)[i] = 0;
	for (size_t b = 0; b < nb; b++) {
		if (!(p->base_files[b] = strdup(bases[b]->file)))
			return sg_oom(d, p->file);
		p->nbase_files++;
		for (size_t i = 0; i < bases[b]->nrules; i++) {
			(*layer)[p->nrules] = b + 1;
			p->rules[p->nrules] = bases[b]->rules[i];
			p->rules[p->nrules++].origin = p->base_files[b];
		}
		bases[b]->nrules = 0; /* owned by p now, and the strings they name too */
		sg_walk_kept_join(&p->strings, &bases[b]->strings);
	}
	return 0;
}

/* ---- the chain ------------------------------------------------------------ */

static int chain_error(const struct sg_profile *at, const char *what, struct sg_diags *d)
{
	return sg_error(d, at->file, &at->base_loc, "base profile \"%s\": %s", at->base_name, what);
}

static int cycle_or_depth(const struct sg_profile *p, const struct sg_profile *cur, struct sg_profile *const *bases,
			  size_t nb, struct sg_diags *d)
{
	int cycle = p->name && !strcmp(p->name, cur->base_name);
	for (size_t i = 0; i < nb; i++)
		cycle |= bases[i]->name && !strcmp(bases[i]->name, cur->base_name);
	if (cycle)
		return chain_error(cur, "a cycle: a profile of this chain is its own base", d);
	if (nb == SG_MAX_BASE_DEPTH) {
		char why[96];
		snprintf(why, sizeof(why), "more than %d bases deep, where the operator stops", SG_MAX_BASE_DEPTH);
		return chain_error(cur, why, d);
	}
	return 0;
}

/* Walks the chain from p, appending each base to bases[]; each base is
 * looked for from the file (and text) of the profile that names it. */
static int walk_chain(struct sg_profile *p, const char *file, const char *text, size_t len,
		      const struct sg_source_opts *o, struct sg_profile **bases, size_t *nb, struct sg_diags *d)
{
	const struct sg_profile *cur = p;
	char *owned = NULL;
	int rc = 0;
	while (!rc && cur->base_name) {
		if (!strncmp(cur->base_name, "oci://", 6)) {
			rc = chain_error(cur, "an OCI artifact, which the operator pulls from a registry: sysgate reads "
					      "files; pull it (e.g. with oras), save the SeccompProfile beside this file "
					      "as NAME.yaml and name it here",
					 d);
			break;
		}
		if ((rc = cycle_or_depth(p, cur, bases, *nb, d)))
			break;
		struct found f;
		int hit = find_base(cur->base_name, file, text, len, o, &f, d);
		if (hit <= 0) {
			rc = hit < 0 ? -1
				     : chain_error(cur, "not found: sysgate looks for a SeccompProfile of that name in this "
							"file's documents, then in NAME.yaml, NAME.yml or NAME.json beside "
							"it, then in each --profile-path directory",
						   d);
			free(f.text);
			break;
		}
		free(owned);
		owned = f.text;
		text = owned;
		len = f.len;
		file = f.p->file;
		bases[(*nb)++] = f.p;
		cur = f.p;
	}
	free(owned);
	return rc;
}

int sg_source_merge_bases(struct sg_profile *p, const char *file, const char *text, size_t len,
			  const struct sg_source_opts *o, struct sg_diags *d)
{
	static const struct sg_source_opts none;
	o = o ? o : &none;
	struct sg_profile *bases[SG_MAX_BASE_DEPTH];
	size_t nb = 0, *layer = NULL;
	int rc = walk_chain(p, file, text, len, o, bases, &nb, d);
	if (!rc)
		rc = take_rules(p, bases, nb, &layer, d);
	if (!rc)
		rc = union_names(p, layer, d);
	for (size_t i = 0; i < nb; i++)
		sg_profile_free(bases[i]);
	free(layer);
	p->base_merged = !rc;
	return rc;
}

#endif
