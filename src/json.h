/* JSON layer of the parse stage: a strict RFC 8259 check that makes the
 * tokens as it goes, in jsmn's form (jsmntok_t, as jsmn makes them:
 * JSMN_STRICT and JSMN_PARENT_LINKS), a second pass only to say what is
 * wrong with malformed text, plus helpers that map tokens back to line:col.
 * Internal to the library.
 *
 * jsmn's configuration is here because it changes jsmntok_t. Only its
 * types are used; a file that wants jsmn's own tokenizer too (tests/,
 * to compare with it) defines SG_JSON_TOKENIZER and JSMN_STATIC before
 * including this. JSMN_PARENT_LINKS: each token records its parent. */
#ifndef SYSGATE_SRC_JSON_H
#define SYSGATE_SRC_JSON_H

#define JSMN_PARENT_LINKS
#ifndef SG_JSON_TOKENIZER
#define JSMN_HEADER
#endif
#include <jsmn.h>
#undef JSMN_HEADER

#include <stddef.h>
#include <stdint.h>

#include "sysgate/diag.h"

#define SG_JSON_MAX_DEPTH 64

struct sg_json {
	const char *file;
	const char *text;
	size_t len;
	jsmntok_t *tok;
	int ntok;
	size_t *line_start; /* byte offset of each line's first byte */
	size_t nlines;
	/* per token, found as the tokens are made (NULL: found when asked, as
	 * sg_json_next and sg_json_loc then do): */
	int *next;      /* what sg_json_next returns */
	unsigned *line; /* the line (0-based) of its first byte */
	/* Set by the YAML layer (yaml_json.h): text is JSON written from YAML, owned
	 * here, and each token's place is where the YAML wrote it. */
	char *owned_text;
	struct sg_pos *tokpos;
	int documents; /* the top-level array holds a multi-document stream's documents */
};

/* Checks and tokenizes text (which must outlive j). On failure an error
 * naming where parsing stopped is added to d and -1 returned. */
int sg_json_load(struct sg_json *j, const char *file, const char *text, size_t len, struct sg_diags *d);
void sg_json_free(struct sg_json *j);

/* What stopped the strict check at text[*at] (its message err), said as the
 * mistake it most likely is (a comment, a trailing comma, single quotes, a
 * word not quoted), into buf with *at moved to the mistake; else err
 * (json_mistake.c). */
const char *sg_json_mistake(const char *text, size_t len, size_t *at, const char *err, char *buf, size_t bufsz);

/* The strict check alone: 0 when text is well-formed (for tests). */
int sg_json_valid(const char *text, size_t len);

/* Line/column of token t's first byte (the opening quote of a string). */
void sg_json_loc(const struct sg_json *j, int t, struct sg_loc *loc, const char *path);

/* Index just past token t and everything nested in it. */
int sg_json_next(const struct sg_json *j, int t);

/* Decoded string value of a string token, malloc'd; NULL when it holds U+0000
 * (which C strings cannot carry) or on allocation failure (*nul tells which). */
char *sg_json_str(const struct sg_json *j, int t, int *nul);

/* Decodes string token t into out (room for its raw length and a NUL),
 * NUL-terminated: its length; *nul when it holds U+0000. */
size_t sg_json_decode(const struct sg_json *j, int t, char *out, int *nul);

/* True when string token t decodes to exactly s. */
int sg_json_str_eq(const struct sg_json *j, int t, const char *s);

int sg_json_is_null(const struct sg_json *j, int t);

/* An unsigned 64-bit integer; on failure returns -1 and *why says what is wrong. */
int sg_json_u64(const struct sg_json *j, int t, uint64_t *out, const char **why);

/* The raw source text of token t (quotes excluded for strings), made printable. */
void sg_json_show(const struct sg_json *j, int t, char *out, size_t outsz);

/* JSON type as a word for messages: "object", "array", "string", "number", ... */
const char *sg_json_type_name(const struct sg_json *j, int t);

#endif
