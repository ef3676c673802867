/* Diagnostics: every error and warning carries file:line:col and a JSON path.
 * The library never prints or exits; it appends here and returns a status.
 *
 * The library's one return convention:
 *   - a function that can fail returns int, 0 on success and -1 on failure;
 *     one that builds an object returns it, or NULL on failure;
 *   - a failure has always left an error in the caller's sg_diags (through
 *     sg_error or sg_oom), so the caller tests the return value and prints
 *     the diagnostics, and never has to guess why;
 *   - warnings never make a function fail: the caller decides (--strict);
 *   - a stage that runs several checks reports every error it finds before
 *     failing, and compares d->errors before and after to know.
 * Internal helpers may return a node or a count instead; they then record
 * failure in their own context (see plan.c) and the stage's entry point
 * turns it into this convention. */
#ifndef SYSGATE_DIAG_H
#define SYSGATE_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SG_STRICT is only ever passed to sg_vdiag, never stored: a warning about
 * what is almost surely a mistake (a name no architecture has, a key no
 * profile has), which --strict (d->strict) makes an error. */
enum sg_severity { SG_WARNING, SG_ERROR, SG_STRICT };

/* Where in the input something is: 1-based line and byte column (0 when the
 * problem is not tied to a position) and an RFC 6901 JSON pointer. */
struct sg_loc {
	unsigned line, col;
	char path[96];
};

/* The same without the path, where there can be millions and the path
 * follows from a parent's (a rule's names and conditions). */
struct sg_pos {
	unsigned line, col;
};

struct sg_diag {
	enum sg_severity severity;
	char *file; /* owned by the sg_diags; consecutive diagnostics about one file share it */
	struct sg_loc loc;
	char *message;
};

struct sg_diags {
	struct sg_diag *v;
	size_t n, cap;
	size_t errors, warnings;
	int oom; /* memory ran out (set only through sg_oom or by a failed append): an error */
	int strict; /* set by the caller (--strict): SG_STRICT diagnostics are errors, not warnings */
	/* Optional: each diagnostic is handed to sink as it is made instead of
	 * being kept in v (errors, warnings and oom still count). A caller that
	 * prints them as they come (struct sg_diag_printer) needs no memory for
	 * a million of them. */
	void (*sink)(const struct sg_diag *g, void *arg);
	void *sink_arg;
};

void sg_diags_init(struct sg_diags *d);
void sg_diags_free(struct sg_diags *d);

#if defined(__GNUC__)
#define SG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SG_PRINTF(a, b)
#endif

/* Appends a diagnostic; returns -1 for errors so callers can `return sg_error(...)`. */
int sg_error(struct sg_diags *d, const char *file, const struct sg_loc *loc, const char *fmt, ...)
	SG_PRINTF(4, 5);
void sg_warning(struct sg_diags *d, const char *file, const struct sg_loc *loc, const char *fmt, ...)
	SG_PRINTF(4, 5);
/* A warning that d->strict makes an error (SG_STRICT). */
void sg_strict_warning(struct sg_diags *d, const char *file, const struct sg_loc *loc, const char *fmt, ...)
	SG_PRINTF(4, 5);
/* The same with a va_list, for wrappers that add their own context. */
void sg_vdiag(struct sg_diags *d, enum sg_severity sev, const char *file, const struct sg_loc *loc, const char *fmt,
	      va_list ap) SG_PRINTF(5, 0);
/* Memory ran out: an "out of memory" error (or, if even that cannot be
 * stored, d->oom); returns -1 like sg_error. */
int sg_oom(struct sg_diags *d, const char *file);

static inline int sg_diags_failed(const struct sg_diags *d) { return d->errors > 0 || d->oom; }

/* "file:line:col: path: message", warnings marked "warning:". */
void sg_diag_print(const struct sg_diag *diag, FILE *out);
void sg_diags_print(const struct sg_diags *d, FILE *out);

/* Prints diagnostics as they come, each line as sg_diags_print would,
 * gathered into blocks of 64 KiB (stderr is unbuffered). With hold, lines
 * are kept back until the first error, which prints them and everything
 * after; sg_diag_printer_end prints (show) or drops what is still held, and
 * writes the last block. Set d->sink = sg_diag_printer_sink and d->sink_arg
 * to the printer. */
struct sg_diag_printer {
	FILE *out;
	int hold;
	char *buf;
	size_t n, cap;
	int lost; /* memory ran out while holding lines back: later ones were dropped, and it is said at the end */
};
void sg_diag_printer_init(struct sg_diag_printer *pr, FILE *out, int hold);
void sg_diag_printer_sink(const struct sg_diag *g, void *printer);
void sg_diag_printer_end(struct sg_diag_printer *pr, int show);

/* Makes a copy of untrusted text safe to show: non-printable bytes become \xNN,
 * and long text is cut with "...". Always NUL-terminates. */
void sg_quote(char *out, size_t outsz, const char *s, size_t len);

/* The candidate closest to word by edit distance (case-insensitive), or NULL
 * when none is close enough to be a plausible typo. */
const char *sg_suggest(const char *word, const char *const *cands, size_t n);

/* The same, fed one candidate at a time. */
struct sg_suggester {
	const char *word;
	size_t limit, best_distance;
	const char *best;
};
void sg_suggest_init(struct sg_suggester *s, const char *word);
void sg_suggest_try(struct sg_suggester *s, const char *cand);
/* The edit distance from s->word to cand (case-insensitive), or more than
 * s->limit when it is farther than that. */
size_t sg_suggest_distance(const struct sg_suggester *s, const char *cand);

#ifdef __cplusplus
}
#endif

#endif
