/* JSON layer of the parse stage (see json.h), and sg_read_file, which reads
 * the text it starts from. */
#include "json.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sysgate/profile.h"

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* Length of a well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned lo = 0x80, hi = 0xbf;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
	return len;
}

/* Which of the 8 bytes at s need a look of their own: a quote, a
 * backslash, a control character, a byte above 0x7f. A byte's high bit is
 * set in (x - 1) & ~x where x is 0 (x: the byte xor a quote, or xor a
 * backslash), in (b - 0x20) & ~b where b < 0x20, and in b above 0x7f; a
 * borrow runs from a flagged byte to the ones above it, never below, so
 * the lowest flag is a byte to look at (the bytes in the order of the
 * text, lowest first, whatever the machine's order). */
static uint64_t special8(const char *s)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t v, q, b;
	memcpy(&v, s, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	q = v ^ (ones * '"');
	b = v ^ (ones * '\\');
	return (((q - ones) & ~q) | ((b - ones) & ~b) | ((v - ones * 0x20) & ~v) | v) & high;
}

/* Scans a string starting at s[*i] == '"'; leaves *i past the closing quote. */
static const char *scan_string(const char *s, size_t n, size_t *i)
{
	size_t k = *i + 1;
	/* most strings, 8 bytes at a time up to their closing quote */
	for (uint64_t m; k + 8 <= n; k += 8)
		if ((m = special8(s + k))) {
			k += (size_t)__builtin_ctzll(m) / 8;
			break;
		}
	while (k < n) {
		unsigned char c = (unsigned char)s[k];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') { /* the rest of it */
			k++;
			continue;
		}
		if (c == '"') {
			*i = k + 1;
			return NULL;
		}
		if (c < 0x20) {
			*i = k;
			return "control character in string (must be escaped)";
		}
		if (c == '\\') {
			if (k + 1 >= n)
				break;
			char e = s[k + 1];
			if (e == 'u') {
				for (size_t h = 2; h < 6; h++)
					if (k + h >= n || !is_hex(s[k + h])) {
						*i = k;
						return "invalid \\u escape in string";
					}
				k += 6;
			} else if (strchr("\"\\/bfnrt", e) && e) {
				k += 2;
			} else {
				*i = k;
				return "invalid escape in string";
			}
			continue;
		}
		size_t len = utf8_len((const unsigned char *)s + k, n - k);
		if (!len) {
			*i = k;
			return "invalid UTF-8 in string";
		}
		k += len;
	}
	*i = n; /* parsing stops at the end of the input */
	return "unexpected end of input inside a string";
}

static const char *scan_number(const char *s, size_t n, size_t *i)
{
	size_t k = *i;
	if (s[k] == '-')
		k++;
	if (k >= n || !is_digit(s[k]))
		goto bad;
	if (s[k] == '0')
		k++;
	else
		while (k < n && is_digit(s[k]))
			k++;
	if (k < n && s[k] == '.') {
		k++;
		if (k >= n || !is_digit(s[k]))
			goto bad;
		while (k < n && is_digit(s[k]))
			k++;
	}
	if (k < n && (s[k] == 'e' || s[k] == 'E')) {
		k++;
		if (k < n && (s[k] == '+' || s[k] == '-'))
			k++;
		if (k >= n || !is_digit(s[k]))
			goto bad;
		while (k < n && is_digit(s[k]))
			k++;
	}
	*i = k;
	return NULL;
bad:
	*i = k;
	return "malformed number";
}

static const char *scan_literal(const char *s, size_t n, size_t *i)
{
	static const char *const lits[] = { "true", "false", "null" };
	for (size_t l = 0; l < 3; l++) {
		size_t len = strlen(lits[l]);
		if (n - *i >= len && memcmp(s + *i, lits[l], len) == 0) {
			*i += len;
			return NULL;
		}
	}
	return "expected a JSON value";
}

/* A pushdown check of the RFC 8259 grammar with a depth limit. */
enum expect { VALUE, VALUE_OR_CLOSE, KEY, KEY_OR_CLOSE, COLON, COMMA_OR_CLOSE, DONE };

struct grammar {
	enum expect st;
	char stack[SG_JSON_MAX_DEPTH]; /* '{' or '[' per open level */
	size_t depth;
	size_t tokens; /* values and keys: the tokens jsmn will make */
};

/* After a value or a closing bracket: what the enclosing level expects. */
static void value_done(struct grammar *g) { g->st = g->depth ? COMMA_OR_CLOSE : DONE; }

static void close_level(struct grammar *g, size_t *i)
{
	g->depth--;
	(*i)++;
	value_done(g);
}

/* A value starting at s[*i]: opens a level, or scans a scalar whole. */
static const char *value(struct grammar *g, const char *s, size_t n, size_t *i)
{
	char c = s[*i];
	const char *err;
	g->tokens++;
	if (c == '{' || c == '[') {
		if (g->depth == SG_JSON_MAX_DEPTH)
			return "nesting deeper than 64 levels";
		g->stack[g->depth++] = c;
		(*i)++;
		g->st = c == '{' ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
		return NULL;
	}
	if (c == '"')
		err = scan_string(s, n, i);
	else if (c == '-' || is_digit(c))
		err = scan_number(s, n, i);
	else
		err = scan_literal(s, n, i);
	if (!err)
		value_done(g);
	return err;
}

/* One step at s[*i] (not whitespace); *at moves to where an error is. */
static const char *step(struct grammar *g, const char *s, size_t n, size_t *i, size_t *at)
{
	char c = s[*i];
	const char *err = NULL;
	char open = g->depth ? g->stack[g->depth - 1] : 0;
	switch (g->st) {
	case DONE:
		return "unexpected text after the JSON value";
	case VALUE_OR_CLOSE:
		if (c == ']') {
			close_level(g, i);
			return NULL;
		}
		/* fall through */
	case VALUE:
		if ((err = value(g, s, n, i)))
			*at = *i;
		return err;
	case KEY_OR_CLOSE:
		if (c == '}') {
			close_level(g, i);
			return NULL;
		}
		/* fall through */
	case KEY:
		if (c != '"')
			return "expected a string key";
		g->tokens++;
		if ((err = scan_string(s, n, i)))
			*at = *i;
		g->st = COLON;
		return err;
	case COLON:
		if (c != ':')
			return "expected ':' after key";
		(*i)++;
		g->st = VALUE;
		return NULL;
	case COMMA_OR_CLOSE:
		if (c == ',') {
			(*i)++;
			g->st = open == '{' ? KEY : VALUE;
			return NULL;
		}
		if (c == (open == '{' ? '}' : ']')) {
			close_level(g, i);
			return NULL;
		}
		return open == '{' ? "expected ',' or '}'" : "expected ',' or ']'";
	}
	return NULL;
}

static const char *validate(const char *s, size_t n, size_t *at, size_t *tokens)
{
	struct grammar g = { .st = VALUE };
	*tokens = 0;
	size_t i = 0;
	for (;;) {
		while (i < n && is_ws(s[i]))
			i++;
		*at = i;
		if (i == n)
			break;
		const char *err = step(&g, s, n, &i, at);
		if (err)
			return err;
	}
	*tokens = g.tokens;
	if (g.st == DONE)
		return NULL;
	if (g.depth == 0)
		return n == 0 || g.st == VALUE ? "empty input: expected a JSON value" : "unexpected end of input";
	return g.stack[g.depth - 1] == '{' ? "unexpected end of input: unclosed object"
					   : "unexpected end of input: unclosed array";
}

/* The line (0-based) of byte off: the last whose start is not after it. */
static size_t line_of(const struct sg_json *j, size_t off)
{
	size_t lo = 0, hi = j->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (j->line_start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* off's line:col, on line lo (0-based), and path. */
static void loc_on(const struct sg_json *j, size_t off, size_t lo, struct sg_loc *loc, const char *path)
{
	loc->line = (unsigned)lo + 1;
	loc->col = (unsigned)(off - j->line_start[lo]) + 1;
	size_t n = path && *path ? strnlen(path, sizeof(loc->path) - 1) : 0;
	if (n)
		memcpy(loc->path, path, n);
	loc->path[n] = '\0';
}

static size_t tok_begin(const struct sg_json *j, int t)
{
	size_t s = (size_t)j->tok[t].start;
	return j->tok[t].type == JSMN_STRING && s > 0 ? s - 1 : s;
}

/* What scan() makes, growing as it goes: the tokens and, per token, its
 * sg_json_next and line (struct sg_json), and the lines' starts. */
struct scanned {
	jsmntok_t *tok;
	int *next;
	unsigned *line;
	size_t cap; /* room for tokens in each */
	size_t *line_start;
	size_t nlines, lcap;
};

/* Room for twice the tokens, or twice the line starts: 0, or -1. */
static int grow_tokens(struct scanned *o)
{
	size_t cap = 2 * o->cap;
	void *t = cap <= INT_MAX ? realloc(o->tok, cap * sizeof(*o->tok)) : NULL;
	o->tok = t ? t : o->tok;
	void *x = t ? realloc(o->next, cap * sizeof(*o->next)) : NULL;
	o->next = x ? x : o->next;
	void *l = x ? realloc(o->line, cap * sizeof(*o->line)) : NULL;
	o->line = l ? l : o->line;
	if (!l)
		return -1;
	o->cap = cap;
	return 0;
}

static int grow_lines(struct scanned *o)
{
	size_t *ls = realloc(o->line_start, 2 * o->lcap * sizeof(*ls));
	if (!ls)
		return -1;
	o->line_start = ls;
	o->lcap *= 2;
	return 0;
}

/* Closes the container *open at s[i], nt tokens made: its end and next,
 * and its key's next; then *super is what the next token belongs to, and
 * *open the innermost open container. */
static void close_open(struct scanned *o, size_t i, int nt, int *open, int *super)
{
	jsmntok_t *v = o->tok;
	v[*open].end = (int)i + 1;
	o->next[*open] = nt;
	*super = *open = v[*open].parent;
	if (*super >= 0 && v[*super].type == JSMN_STRING) { /* the value of a key */
		o->next[*super] = nt;
		*open = v[*super].parent;
	}
}

/* The strict check and the tokens in one pass: the grammar of step(), with
 * its scanners, making the tokens jsmn (JSMN_STRICT, JSMN_PARENT_LINKS)
 * makes of checked text. As jsmn: a container's size counts its keys or
 * elements, a key's is 1 (its value); a key's parent is its object, a
 * value's its key, an element's its array; a string token spans its
 * content. super is what a new token belongs to (the open container, or
 * the key whose value comes next), open the innermost open container. A
 * token's next is the one after it, a container's the one after its
 * close, a key's its value's (the walker asks for next and the line of
 * every value). JSMN_ERROR_INVAL when the text is malformed: validate()
 * then says what is wrong and where (step() keeps the messages;
 * test_parse holds the two to the same verdicts). A number or literal
 * that ends the input is JSMN_ERROR_PART, as jsmn finds no delimiter
 * after it; JSMN_ERROR_NOMEM when memory runs out. */
static int scan(const char *s, size_t n, struct scanned *o)
{
	enum expect st = VALUE;
	int nt = 0, super = -1, open = -1;
	size_t depth = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (is_ws(c)) {
			if (c != '\n')
				continue;
			if (o->nlines == o->lcap && grow_lines(o))
				return JSMN_ERROR_NOMEM;
			o->line_start[o->nlines++] = i + 1;
			while (i + 1 < n && (s[i + 1] == '\t' || s[i + 1] == ' ')) /* the indentation, in a tight loop */
				i++;
			continue;
		}
		jsmntok_t *v = o->tok;
		if (st == COLON) {
			if (c != ':')
				return JSMN_ERROR_INVAL;
			super = nt - 1;
			st = VALUE;
			continue;
		}
		if (st == COMMA_OR_CLOSE && c == ',') {
			super = open;
			st = v[open].type == JSMN_OBJECT ? KEY : VALUE;
			continue;
		}
		if ((st == COMMA_OR_CLOSE || st == KEY_OR_CLOSE || st == VALUE_OR_CLOSE) && (c == '}' || c == ']')) {
			if (c != (v[open].type == JSMN_OBJECT ? '}' : ']'))
				return JSMN_ERROR_INVAL;
			close_open(o, i, nt, &open, &super);
			depth--;
			st = open < 0 ? DONE : COMMA_OR_CLOSE;
			continue;
		}
		int key = st == KEY || st == KEY_OR_CLOSE;
		if (st == DONE || st == COMMA_OR_CLOSE || (key && c != '"'))
			return JSMN_ERROR_INVAL;
		if ((size_t)nt == o->cap && grow_tokens(o))
			return JSMN_ERROR_NOMEM;
		v = o->tok;
		jsmntok_t *t = &v[nt];
		*t = (jsmntok_t){ .type = JSMN_PRIMITIVE, .start = (int)i, .end = -1, .size = 0, .parent = super };
		o->line[nt] = (unsigned)o->nlines - 1;
		o->next[nt] = nt + 1;
		if (super >= 0)
			v[super].size++;
		if (c == '{' || c == '[') {
			if (depth++ == SG_JSON_MAX_DEPTH)
				return JSMN_ERROR_INVAL;
			t->type = c == '{' ? JSMN_OBJECT : JSMN_ARRAY;
			open = super = nt++;
			st = c == '{' ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
			continue;
		}
		size_t end = i; /* not i's address to the scanners: i stays in a register */
		if (c == '"') {
			if (scan_string(s, n, &end))
				return JSMN_ERROR_INVAL;
			*t = (jsmntok_t){ .type = JSMN_STRING, .start = t->start + 1, .end = (int)end - 1, .size = 0, .parent = super };
		} else {
			if (c == '-' || is_digit(c) ? scan_number(s, n, &end) : scan_literal(s, n, &end))
				return JSMN_ERROR_INVAL;
			if (end == n)
				return open < 0 ? JSMN_ERROR_PART : JSMN_ERROR_INVAL;
			t->end = (int)end;
		}
		i = end - 1; /* past the value: the loop steps to what follows */
		nt++;
		if (!key && super >= 0 && v[super].type == JSMN_STRING) /* the value of a key */
			o->next[super] = nt;
		st = key ? COLON : open < 0 ? DONE : COMMA_OR_CLOSE;
	}
	return st == DONE ? nt : JSMN_ERROR_INVAL;
}

int sg_json_valid(const char *text, size_t len)
{
	size_t at, count;
	return validate(text, len, &at, &count) ? -1 : 0;
}

int sg_json_load(struct sg_json *j, const char *file, const char *text, size_t len, struct sg_diags *d)
{
	memset(j, 0, sizeof(*j));
	j->file = file;
	j->text = text;
	j->len = len;

	/* room for the tokens of a profile as written (a token or so for every
	 * six bytes) and its lines (one for every 16 bytes or so); a denser
	 * text makes them grow */
	struct scanned o = { .cap = len / 4 + 16, .lcap = len / 8 + 16, .nlines = 1 };
	o.tok = o.cap <= INT_MAX ? malloc(o.cap * sizeof(*o.tok)) : NULL;
	o.next = malloc(o.cap * sizeof(*o.next));
	o.line = malloc(o.cap * sizeof(*o.line));
	o.line_start = malloc(o.lcap * sizeof(*o.line_start));
	if (o.tok && o.next && o.line && o.line_start) {
		o.line_start[0] = 0;
		j->ntok = scan(text, len, &o);
	} else {
		j->ntok = JSMN_ERROR_NOMEM;
	}
	j->tok = o.tok;
	if (j->ntok >= 0) {
		j->next = o.next;
		j->line = o.line;
		j->line_start = o.line_start;
		j->nlines = o.nlines;
		return 0;
	}
	free(o.next);
	free(o.line);
	free(o.line_start);
	if (j->ntok == JSMN_ERROR_NOMEM)
		return sg_error(d, file, NULL, "out of memory for %zu JSON tokens", o.cap);
	/* malformed, or jsmn's error: the lines of all the text, to say where */
	size_t lines = 1;
	for (const char *nl = text; (nl = memchr(nl, '\n', (size_t)(text + len - nl))); nl++)
		lines++;
	j->line_start = malloc(lines * sizeof(size_t));
	if (!j->line_start)
		return sg_error(d, file, NULL, "out of memory");
	j->line_start[0] = 0;
	size_t l = 1;
	for (const char *nl = text; (nl = memchr(nl, '\n', (size_t)(text + len - nl))); nl++)
		j->line_start[l++] = (size_t)(nl - text) + 1;
	j->nlines = lines;
	size_t at = 0, count;
	const char *err = validate(text, len, &at, &count);
	if (err) {
		struct sg_loc loc;
		char why[128];
		err = sg_json_mistake(text, len, &at, err, why, sizeof(why));
		loc_on(j, at, line_of(j, at), &loc, "");
		return sg_error(d, file, &loc, "invalid JSON: %s", err);
	}
	return sg_error(d, file, NULL, "invalid JSON (tokenizer error %d)", j->ntok);
}

void sg_json_free(struct sg_json *j)
{
	free(j->owned_text);
	free(j->tokpos);
	free(j->next);
	free(j->line);
	free(j->tok);
	free(j->line_start);
	memset(j, 0, sizeof(*j));
}

void sg_json_loc(const struct sg_json *j, int t, struct sg_loc *loc, const char *path)
{
	size_t off = tok_begin(j, t);
	loc_on(j, off, j->line ? j->line[t] : line_of(j, off), loc, path);
	if (j->tokpos) { /* read from YAML: where the YAML wrote it */
		loc->line = j->tokpos[t].line;
		loc->col = j->tokpos[t].col;
	}
}

int sg_json_next(const struct sg_json *j, int t)
{
	if (j->next && t < j->ntok)
		return j->next[t];
	int pending = 1;
	while (pending > 0 && t < j->ntok) {
		pending += j->tok[t].size - 1;
		t++;
	}
	return t;
}

static unsigned hex4(const char *s)
{
	unsigned v = 0;
	for (int k = 0; k < 4; k++) {
		char c = s[k];
		v = v * 16 + (unsigned)(is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Decodes a validated string body; the output is never longer than the input. */
static size_t decode(const char *s, size_t n, char *o, int *nul)
{
	size_t k = 0, w = 0;
	*nul = 0;
	while (k < n) {
		if (s[k] != '\\') {
			o[w++] = s[k++];
			continue;
		}
		char e = s[k + 1];
		k += 2;
		switch (e) {
		case 'b': o[w++] = '\b'; break;
		case 'f': o[w++] = '\f'; break;
		case 'n': o[w++] = '\n'; break;
		case 'r': o[w++] = '\r'; break;
		case 't': o[w++] = '\t'; break;
		case 'u': {
			unsigned cp = hex4(s + k);
			k += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && k + 6 <= n && s[k] == '\\' && s[k + 1] == 'u') {
				unsigned lo = hex4(s + k + 2);
				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					k += 6;
				}
			}
			if (cp >= 0xd800 && cp < 0xe000)
				cp = 0xfffd; /* a lone surrogate has no UTF-8 form */
			if (cp == 0)
				*nul = 1;
			w += put_utf8(o + w, cp);
			break;
		}
		default: o[w++] = e; break;
		}
	}
	return w;
}

size_t sg_json_decode(const struct sg_json *j, int t, char *out, int *nul)
{
	const jsmntok_t *k = &j->tok[t];
	size_t n = (size_t)(k->end - k->start), w = n;
	*nul = 0;
	if (memchr(j->text + k->start, '\\', n)) /* else nothing to decode: the text itself */
		w = decode(j->text + k->start, n, out, nul);
	else
		memcpy(out, j->text + k->start, n);
	out[w] = '\0';
	return w;
}

char *sg_json_str(const struct sg_json *j, int t, int *nul)
{
	const jsmntok_t *k = &j->tok[t];
	char *o = malloc((size_t)(k->end - k->start) + 1);
	*nul = 0;
	if (!o)
		return NULL;
	sg_json_decode(j, t, o, nul);
	if (*nul) {
		free(o);
		return NULL;
	}
	return o;
}

int sg_json_str_eq(const struct sg_json *j, int t, const char *s)
{
	const jsmntok_t *k = &j->tok[t];
	size_t n = (size_t)(k->end - k->start);
	if (k->type != JSMN_STRING)
		return 0;
	size_t len = strnlen(s, n + 1);
	if (len > n) /* decoding never makes a string longer */
		return 0;
	if (!memchr(j->text + k->start, '\\', n))
		return len == n && memcmp(j->text + k->start, s, n) == 0;
	int nul;
	char *d = sg_json_str(j, t, &nul);
	int eq = d && strcmp(d, s) == 0;
	free(d);
	return eq;
}

int sg_json_is_null(const struct sg_json *j, int t)
{
	return j->tok[t].type == JSMN_PRIMITIVE && j->text[j->tok[t].start] == 'n';
}

int sg_json_u64(const struct sg_json *j, int t, uint64_t *out, const char **why)
{
	const jsmntok_t *k = &j->tok[t];
	const char *s = j->text + k->start;
	size_t n = (size_t)(k->end - k->start);
	char c = s[0];
	if (k->type != JSMN_PRIMITIVE || !(c == '-' || is_digit(c))) {
		*why = "expected a non-negative integer";
		return -1;
	}
	if (c == '-') {
		/* "-0" is zero; anything else below zero is refused */
		int zero = 1;
		for (size_t i = 1; i < n && s[i] != '.' && s[i] != 'e' && s[i] != 'E'; i++)
			zero &= s[i] == '0';
		if (!zero || n != 2) {
			*why = "negative values are not allowed";
			return -1;
		}
		*out = 0;
		return 0;
	}
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i])) {
			*why = "expected an integer (no fraction or exponent)";
			return -1;
		}
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10) {
			*why = "value does not fit in 64 bits";
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

void sg_json_show(const struct sg_json *j, int t, char *out, size_t outsz)
{
	const jsmntok_t *k = &j->tok[t];
	sg_quote(out, outsz, j->text + k->start, (size_t)(k->end - k->start));
}

const char *sg_json_type_name(const struct sg_json *j, int t)
{
	switch (j->tok[t].type) {
	case JSMN_OBJECT: return "object";
	case JSMN_ARRAY: return "array";
	case JSMN_STRING: return "string";
	default: break;
	}
	char c = j->text[j->tok[t].start];
	return c == 'n' ? "null" : (c == 't' || c == 'f') ? "boolean" : "number";
}

/* sg_read_file (profile.h): the text every parse starts from. */
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
