/* Lint stage: what a valid profile does that its author probably did not
 * mean — a workload that cannot start or end, a refusal with an open
 * equivalent, an errno that keeps libc from falling back, a dangerous call
 * allowed, a deny-list default, a comparison runc makes wider than the
 * kernel reads, a multiplexer that lets a restricted call through — and
 * every warning `check` gives. Each finding has a stable id, a severity,
 * a place (file:line:col and JSON path), why it matters and the fix. The
 * questions are asked of the resolved policy through the reference
 * evaluator (sg_policy_eval), so they mean what the filter will do. */
#ifndef SYSGATE_LINT_H
#define SYSGATE_LINT_H

#include <stddef.h>

#include "sysgate/diag.h"
#include "sysgate/resolve.h"
#include "sysgate/source.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sg_lint_severity { SG_LINT_INFO, SG_LINT_WARNING, SG_LINT_ERROR };

const char *sg_lint_severity_name(enum sg_lint_severity s); /* "info", "warning", "error" */

struct sg_finding {
	const char *id; /* static: "sibling-gap", "check-warning", ... */
	enum sg_lint_severity severity;
	struct sg_loc loc; /* line 0: about the whole profile */
	char arches[96];   /* where it holds: "x86_64, x86"; empty when it does not depend on one */
	char *message, *why, *fix; /* owned */
};

/* One profile's result: valid, or not (its errors then in the sg_diags
 * given to sg_lint_text). Findings are sorted by line, column, id, message. */
struct sg_lint {
	char *file; /* owned */
	int valid;
	struct sg_finding *v;
	size_t n, cap;
};

/* Reads text (named file in messages; NULL: the file, "-" or OCI bundle
 * directory file names, read by sg_source_load) as the source stage does, with src
 * (which profile of several, where bases are; NULL: none), resolves it with
 * o, and lints it: the parse and resolve warnings become findings too. 0
 * with out filled; -1 for an invalid profile (its errors, and its warnings,
 * in d) or memory running out (out->valid 0, no findings). */
int sg_lint_text(const char *file, const char *text, size_t len, const struct sg_source_opts *src,
		 const struct sg_resolve_opts *o, struct sg_lint *out, struct sg_diags *d);
void sg_lint_free(struct sg_lint *l);

/* The most severe finding's severity, or -1 when there are none. */
int sg_lint_max_severity(const struct sg_lint *l);

/* Findings as text, one line each ("file:line:col: warning[id]: path:
 * message (arches)") with indented why and fix lines; or as JSON, an array
 * with one object per profile ({"file", "valid", "errors", "findings"}).
 * errs[i] holds profile i's errors (may be NULL). A NUL-terminated buffer
 * the caller frees, its length in *len; NULL out of memory. */
char *sg_lint_format_text(const struct sg_lint *l, size_t n, size_t *len);
char *sg_lint_format_json(const struct sg_lint *l, const struct sg_diags *const *errs, size_t n, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
