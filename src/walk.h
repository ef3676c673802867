/* The parse stage's JSON walker, apart from the profile schema it serves
 * (parse.c): walks objects and arrays of jsmn tokens, gives each value its
 * location (line:col and RFC 6901 path), reads typed values, and reports
 * every problem at that location. Internal to the library.
 *
 * A schema is tables of struct sg_field, and two kinds of handler:
 *   f_NAME   handles the value of the object field NAME (an sg_field entry);
 *   el_NAME  handles one element of an array (given to sg_walk_array).
 * Both are sg_field_fn: the walker, the value's token, its location, and
 * obj, the C object being filled. They return 0, or -1 after an error. */
#ifndef SYSGATE_SRC_WALK_H
#define SYSGATE_SRC_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "sysgate/diag.h"

struct walker {
	struct sg_json j;
	struct sg_diags *d;
	const char *file; /* names the input in diagnostics */
	struct sg_strings **kept; /* where sg_walk_push_string keeps its strings */
};

typedef int (*sg_field_fn)(struct walker *w, int t, const struct sg_loc *at, void *obj);

struct sg_field {
	const char *name;
	sg_field_fn fn; /* NULL: accepted and ignored */
};

/* Walks object t: each key once (a duplicate, compared decoded, is an
 * error), known keys to their handlers, unknown ones warned about (when
 * warn_unknown; --strict refuses them, with the field meant) and skipped. -1 if anything failed. */
int sg_walk_object(struct walker *w, int t, const struct sg_loc *at, const struct sg_field *fields, void *obj,
		   int warn_unknown);

/* Calls fn for each element of array t; null counts as an empty array. */
int sg_walk_array(struct walker *w, int t, const struct sg_loc *at, sg_field_fn fn, void *obj);

/* The location of the value token valtok of key in the object at parent. */
void sg_walk_loc_key(struct walker *w, int valtok, const struct sg_loc *parent, const char *key, struct sg_loc *out);

/* Diagnostics at a location; sg_walk_error and sg_walk_oom return -1. */
int sg_walk_error(struct walker *w, const struct sg_loc *at, const char *fmt, ...) SG_PRINTF(3, 4);
void sg_walk_warning(struct walker *w, const struct sg_loc *at, const char *fmt, ...) SG_PRINTF(3, 4);
int sg_walk_oom(struct walker *w, const struct sg_loc *at);

/* 0 if token t has the type (null is never a primitive here), else an error
 * "expected WHAT, found ...". */
int sg_walk_want(struct walker *w, int t, const struct sg_loc *at, jsmntype_t type, const char *what);

/* A decoded string value (malloc'd), or NULL after reporting why not. */
char *sg_walk_string(struct walker *w, int t, const struct sg_loc *at);

/* A non-negative integer up to max, or -1 after reporting why not. */
int sg_walk_u64(struct walker *w, int t, const struct sg_loc *at, uint64_t max, uint64_t *out);

/* The string value's index in names[0..n) (NULL entries skipped) in *out,
 * or -1 after an "unknown WHAT" error with a did-you-mean. */
int sg_walk_name(struct walker *w, int t, const struct sg_loc *at, const char *const *names, size_t n,
		 const char *what, int *out);

/* Makes room to append element n to *v (8 at first, then capacity doubles
 * at powers of two, so appending is amortised O(1)): 0, or -1 out of
 * memory (nothing reported). */
int sg_walk_grow(void **v, size_t n, size_t size);

/* Appends string value t to *v (and its line and column to *pos, when pos).
 * The string is kept in *w->kept, a list of blocks (a profile's names are
 * most of its strings: one allocation for many, and no free of each), and
 * lives until sg_walk_kept_free frees the list. */
int sg_walk_push_string(struct walker *w, int t, const struct sg_loc *at, char ***v, size_t *n, struct sg_pos **pos);
void sg_walk_kept_free(struct sg_strings *kept);
/* Moves the blocks of *from to *into (a base profile's strings, with its
 * rules, to the profile that merges them). */
void sg_walk_kept_join(struct sg_strings **into, struct sg_strings **from);

/* sg_walk_array of sg_walk_push_string over array t (null: nothing), then
 * an error bad(s) names (NULL: none) at the element: a profile's lists of
 * names, most of its values, without the path of each element, which only
 * a diagnostic needs (built then). */
int sg_walk_strings(struct walker *w, int t, const struct sg_loc *at, char ***v, size_t *n, struct sg_pos **pos,
		    const char *(*bad)(const char *s));

/* The location at pos of the value of key (index SIZE_MAX), or of element
 * index of the array key, in the object at path parent: its path built as
 * the walk builds it. */
void sg_walk_member_loc(const char *parent, const char *key, size_t index, struct sg_pos pos, struct sg_loc *out);

#endif
