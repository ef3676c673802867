/* Source stage (see source.h): which object of a JSON or YAML text is the
 * profile, and where a path's text is. Merging bases is in base.c. */
#include "sysgate/source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parse_impl.h"
#include "yaml_json.h"

#define MAX_CANDIDATES 64

/* A profile found in the text: its token, path, and metadata.name. */
struct candidate {
	int tok;
	char path[32];
	int name_tok; /* -1: none */
};

struct finder {
	struct walker *w;
	struct candidate c[MAX_CANDIDATES];
	size_t n, more;    /* more: found beyond the table */
	char others[48];   /* the kind of another Kubernetes object, for a message */
	int oci_without;   /* an OCI config without linux.seccomp, its token; -1: none */
};

/* The value token of key in object t, or -1. */
static int member(const struct sg_json *j, int t, const char *key)
{
	if (j->tok[t].type != JSMN_OBJECT)
		return -1;
	int kt = t + 1;
	for (int i = 0; i < j->tok[t].size; i++) {
		if (sg_json_str_eq(j, kt, key))
			return kt + 1;
		kt = sg_json_next(j, kt + 1);
	}
	return -1;
}

static int string_ends(const struct sg_json *j, int t, const char *suffix)
{
	if (t < 0 || j->tok[t].type != JSMN_STRING)
		return 0;
	size_t n = (size_t)(j->tok[t].end - j->tok[t].start), k = strlen(suffix);
	return n >= k && !memcmp(j->text + j->tok[t].end - k, suffix, k);
}

static void add(struct finder *f, int tok, const char *path, int name_tok)
{
	if (f->n == MAX_CANDIDATES) {
		f->more++;
		return;
	}
	struct candidate *c = &f->c[f->n++];
	c->tok = tok;
	snprintf(c->path, sizeof(c->path), "%s", path);
	c->name_tok = name_tok;
}

/* The first other Kubernetes object's kind, for a message. */
static void note_other(struct finder *f, int kind)
{
	if (!f->others[0])
		sg_json_show(&f->w->j, kind, f->others, sizeof(f->others));
}

/* One document, or an item of a List. */
static void find_in(struct finder *f, int t, const char *path, int depth)
{
	const struct sg_json *j = &f->w->j;
	int kind = member(j, t, "kind"), items = member(j, t, "items");
	if (kind >= 0 && string_ends(j, kind, "List") && items >= 0 && j->tok[items].type == JSMN_ARRAY && depth < 2) {
		int it = items + 1;
		for (int i = 0; i < j->tok[items].size; i++) {
			char sub[32];
			snprintf(sub, sizeof(sub), "%s/items/%d", path, i);
			find_in(f, it, sub, depth + 1);
			it = sg_json_next(j, it);
		}
	} else if (kind >= 0 && sg_json_str_eq(j, kind, "SeccompProfile")) {
		int meta = member(j, t, "metadata");
		add(f, t, path, meta >= 0 ? member(j, meta, "name") : -1);
	} else if (kind >= 0 && member(j, t, "apiVersion") >= 0) {
		note_other(f, kind); /* a Pod, a Deployment: not a profile */
	} else if (member(j, t, "ociVersion") >= 0) {
		int linux = member(j, t, "linux"), sc = linux >= 0 ? member(j, linux, "seccomp") : -1;
		if (sc >= 0 && !sg_json_is_null(j, sc))
			add(f, sc, "/linux/seccomp", -1);
		else
			f->oci_without = t;
	} else {
		add(f, t, path, -1);
	}
}

static int name_is(const struct sg_json *j, const struct candidate *c, const char *name)
{
	return c->name_tok >= 0 && sg_json_str_eq(j, c->name_tok, name);
}

/* The names of the candidates, for a message. */
static void list_names(const struct finder *f, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < f->n && n + 4 < size; i++) {
		char shown[48] = "(no name)";
		if (f->c[i].name_tok >= 0)
			sg_json_show(&f->w->j, f->c[i].name_tok, shown, sizeof(shown));
		int k = snprintf(out + n, size - n, "%s%s", i ? ", " : "", shown);
		n = k > 0 && (size_t)k < size - n ? n + (size_t)k : size - 1;
	}
}

/* The candidate to parse (by name, else the index-th, else the only one),
 * or -1 after an error. */
static int choose(struct finder *f, const char *name, size_t index, const struct sg_loc *root)
{
	char names[160];
	list_names(f, names, sizeof(names));
	if (!name && index && index > f->n && f->more)
		return sg_walk_error(f->w, root, "profile %zu of %zu: sysgate reads the first %d profiles of a stream",
				     index, f->n + f->more, MAX_CANDIDATES);
	if (!name && index)
		return index <= f->n ? (int)index - 1
				     : sg_walk_error(f->w, root, "no profile %zu here: %zu found", index, f->n);
	if (name) {
		int found = -1;
		for (size_t i = 0; i < f->n; i++)
			if (name_is(&f->w->j, &f->c[i], name)) {
				if (found >= 0)
					return sg_walk_error(f->w, root, "two SeccompProfiles are named \"%s\" here", name);
				found = (int)i;
			}
		if (found < 0)
			return sg_walk_error(f->w, root, "no SeccompProfile named \"%s\" here (%s%s)", name,
					     f->n ? "found: " : "none found", names);
		return found;
	}
	if (f->n == 1)
		return 0;
	if (f->n > 1)
		return sg_walk_error(f->w, root, "%zu profiles here (%s%s): choose one with --name", f->n + f->more, names,
				     f->more ? ", ..." : "");
	if (f->oci_without >= 0)
		return sg_walk_error(f->w, root, "this OCI config has no linux.seccomp: the container would run "
						 "without a filter");
	return sg_walk_error(f->w, root, "no seccomp profile here%s%s%s", f->others[0] ? " (found " : "", f->others,
			     f->others[0] ? ")" : "");
}

/* The profiles of a loaded text, in order. */
static void find_all(struct finder *f)
{
	const struct sg_json *j = &f->w->j;
	if (j->documents) {
		int t = 1;
		for (int i = 0; i < j->tok[0].size; i++) {
			find_in(f, t, "", 0);
			t = sg_json_next(j, t);
		}
	} else if (j->tok[0].type == JSMN_OBJECT) {
		find_in(f, 0, "", 0);
	} else {
		add(f, 0, "", -1); /* the parse says what is wrong with it */
	}
}

/* Parses the chosen profile of a loaded text. */
static struct sg_profile *parse_loaded(struct walker *w, const char *file, const char *name, size_t index)
{
	struct finder f = { .w = w, .oci_without = -1 };
	struct sg_loc root;
	sg_json_loc(&w->j, 0, &root, "");
	find_all(&f);
	int k = choose(&f, name, index, &root);
	if (k < 0)
		return NULL;
	struct sg_profile *p = calloc(1, sizeof(*p));
	if (!p || !(p->file = strdup(file))) {
		free(p);
		sg_oom(w->d, file);
		return NULL;
	}
	w->kept = &p->strings; /* the strings of its lists are the profile's */
	struct sg_loc at;
	sg_json_loc(&w->j, f.c[k].tok, &at, f.c[k].path);
	if (sg_parse_profile_at(w, f.c[k].tok, &at, p)) {
		sg_profile_free(p);
		return NULL;
	}
	return p;
}

/* Text as JSON tokens, read as YAML where it is YAML: 0, or -1 after an error. */
static int load(struct walker *w, const char *text, size_t len)
{
	if (len > SG_MAX_INPUT) {
		sg_error(w->d, w->file, NULL, "input is %zu bytes; profiles larger than 16 MiB are refused", len);
		return -1;
	}
	int yaml = sg_yaml_wanted(w->file, text, len);
	if (yaml ? sg_yaml_load(&w->j, w->file, text, len, w->d) : sg_json_load(&w->j, w->file, text, len, w->d)) {
		sg_json_free(&w->j);
		return -1;
	}
	return 0;
}

struct sg_profile *sg_parse_text(const char *file, const char *text, size_t len, const char *name, size_t index,
				 struct sg_diags *d)
{
	struct walker w = { .d = d, .file = file ? file : "-" };
	if (load(&w, text, len))
		return NULL;
	struct sg_profile *p = parse_loaded(&w, w.file, name, index);
	sg_json_free(&w.j);
	return p;
}

long sg_source_count(const char *file, const char *text, size_t len, struct sg_diags *d)
{
	struct walker w = { .d = d, .file = file ? file : "-" };
	if (load(&w, text, len))
		return -1;
	struct finder f = { .w = &w, .oci_without = -1 };
	find_all(&f);
	sg_json_free(&w.j);
	return (long)(f.n + f.more);
}

/* profile.h: a rule merged from a base names the base's file */
const char *sg_rule_file(const struct sg_profile *p, const struct sg_rule *r)
{
	return r->origin ? r->origin : p->file;
}

struct sg_profile *sg_profile_parse(const char *file, const char *text, size_t len, struct sg_diags *d)
{
	return sg_parse_text(file, text, len, NULL, 0, d);
}

struct sg_profile *sg_source_parse(const char *file, const char *text, size_t len, const struct sg_source_opts *o,
				   struct sg_diags *d)
{
	static const struct sg_source_opts none;
	o = o ? o : &none;
	struct sg_profile *p = sg_parse_text(file, text, len, o->name, o->index, d);
	if (p && p->base_name && sg_source_merge_bases(p, file ? file : "-", text, len, o, d)) {
		sg_profile_free(p);
		return NULL;
	}
	return p;
}

struct sg_profile *sg_source_load(const char *path, const struct sg_source_opts *o, struct sg_diags *d)
{
	struct stat st;
	char *bundle = NULL;
	if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		/* an OCI bundle: its config.json */
		size_t n = strlen(path);
		bundle = malloc(n + sizeof("/config.json"));
		if (!bundle) {
			sg_oom(d, path);
			return NULL;
		}
		memcpy(bundle, path, n);
		strcpy(bundle + n, n && path[n - 1] == '/' ? "config.json" : "/config.json");
		path = bundle;
	}
	char *text = NULL;
	size_t len = 0;
	struct sg_profile *p = NULL;
	if (sg_read_file(path, &text, &len, d) == 0)
		p = sg_source_parse(path, text, len, o, d);
	free(text);
	free(bundle);
	return p;
}
