/* YAML layer of the parse stage (see yaml_json.h): libyaml's events written out as
 * JSON, one position recorded per JSON token in the order jsmn will number
 * them (a container, then its keys and values, depth first). */
#include "yaml_json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysgate/profile.h"
#include "textout.h"

int sg_yaml_wanted(const char *file, const char *text, size_t len)
{
	size_t n = file ? strlen(file) : 0;
	if ((n >= 5 && !strcmp(file + n - 5, ".yaml")) || (n >= 4 && !strcmp(file + n - 4, ".yml")))
		return 1;
	if (n >= 5 && !strcmp(file + n - 5, ".json"))
		return 0;
	size_t i = 0;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	return i < len && text[i] != '{' && text[i] != '[';
}

#ifdef SG_STATIC_LIBC

/* The static binary has no room for libyaml (its size limit): say which
 * build reads YAML rather than misreading it as JSON. */
int sg_yaml_load(struct sg_json *j, const char *file, const char *text, size_t len, struct sg_diags *d)
{
	(void)text;
	(void)len;
	memset(j, 0, sizeof(*j));
	return sg_error(d, file, NULL, "this is YAML, which the static binary does not read: use the full build "
				       "of sysgate, or convert it to JSON (e.g. yq -o json)");
}

#else

#include <yaml.h>

/* The JSON written, and where each of its tokens came from. */
struct yaml_out {
	struct sg_out text;
	struct sg_pos *pos;
	size_t npos, cappos; /* out of memory for them: text.failed */
};

static void put(struct yaml_out *o, const char *s, size_t n) { sg_out_bytes(&o->text, s, n); }

static void puts_(struct yaml_out *o, const char *s) { put(o, s, strlen(s)); }

static void put_string(struct yaml_out *o, const unsigned char *s, size_t n)
{
	sg_out_string_n(&o->text, (const char *)s, n);
}

/* One JSON token starts here. */
static void token_at(struct yaml_out *o, const yaml_mark_t *m)
{
	if (o->text.failed)
		return;
	if (o->npos == o->cappos) {
		size_t cap = o->cappos ? o->cappos * 2 : 256;
		struct sg_pos *p = realloc(o->pos, cap * sizeof(*p));
		if (!p) {
			o->text.failed = 1;
			return;
		}
		o->pos = p;
		o->cappos = cap;
	}
	o->pos[o->npos].line = (unsigned)m->line + 1;
	o->pos[o->npos].col = (unsigned)m->column + 1;
	o->npos++;
}

static int all_in(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]))
			return 0;
	return n > 0;
}

/* A JSON number (RFC 8259's grammar): written as it is. */
static int json_number(const char *s, size_t n)
{
	size_t i = s[0] == '-';
	if (i >= n || !(s[i] >= '0' && s[i] <= '9') || (s[i] == '0' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9'))
		return 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i < n && s[i] == '.') {
		if (++i >= n || !(s[i] >= '0' && s[i] <= '9'))
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i += i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-');
		if (++i >= n || !(s[i] >= '0' && s[i] <= '9'))
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}

static int one_of(const char *s, size_t n, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == n && !memcmp(s, *words, n))
			return 1;
	return 0;
}

/* A plain scalar typed by YAML 1.2's core schema: null, a boolean, an
 * integer (0x and 0o ones written in decimal), a float, else a string.
 * Returns a message for what the two YAML versions read differently. */
static const char *put_plain(struct yaml_out *o, const char *s, size_t n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	if (one_of(s, n, nulls))
		return puts_(o, "null"), NULL;
	if (one_of(s, n, trues))
		return puts_(o, "true"), NULL;
	if (one_of(s, n, falses))
		return puts_(o, "false"), NULL;
	int sign = n > 1 && (s[0] == '-' || s[0] == '+');
	const char *d = s + sign;
	size_t dn = n - (size_t)sign;
	if (dn > 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'o') &&
	    all_in(d + 2, dn - 2, d[1] == 'x' ? "0123456789abcdefABCDEF" : "01234567") && dn - 2 <= 22) {
		char digits[32], out[40];
		memcpy(digits, d + 2, dn - 2);
		digits[dn - 2] = '\0';
		errno = 0;
		uintmax_t v = strtoumax(digits, NULL, d[1] == 'x' ? 16 : 8);
		if (errno || v > UINT64_MAX)
			return "an integer above 2^64-1";
		snprintf(out, sizeof(out), "%s%" PRIuMAX, s[0] == '-' ? "-" : "", v);
		return puts_(o, out), NULL;
	}
	if (dn > 1 && d[0] == '0' && all_in(d, dn, "0123456789"))
		return "ambiguous: YAML 1.1 (Kubernetes' parser) reads a leading 0 as octal, YAML 1.2 as decimal; "
		       "write the number without it, or 0o... for octal";
	if (s[0] == '+' && json_number(s + 1, n - 1))
		return put(o, s + 1, n - 1), NULL;
	if (json_number(s, n))
		return put(o, s, n), NULL;
	put_string(o, (const unsigned char *)s, n);
	return NULL;
}

struct yaml_reader {
	yaml_parser_t parser;
	struct yaml_out out;
	const char *file;
	struct sg_diags *d;
	unsigned depth;
};

static int fail_at(struct yaml_reader *r, const yaml_mark_t *m, const char *fmt, ...) SG_PRINTF(3, 4);
static int fail_at(struct yaml_reader *r, const yaml_mark_t *m, const char *fmt, ...)
{
	struct sg_loc loc = { .line = (unsigned)m->line + 1, .col = (unsigned)m->column + 1 };
	va_list ap;
	va_start(ap, fmt);
	sg_vdiag(r->d, SG_ERROR, r->file, &loc, fmt, ap);
	va_end(ap);
	return -1;
}

static int next_event(struct yaml_reader *r, yaml_event_t *e)
{
	if (yaml_parser_parse(&r->parser, e))
		return 0;
	yaml_mark_t m = r->parser.problem_mark;
	return fail_at(r, &m, "invalid YAML: %s%s%s", r->parser.problem ? r->parser.problem : "syntax error",
		       r->parser.context ? " " : "", r->parser.context ? r->parser.context : "");
}

static int read_node(struct yaml_reader *r, yaml_event_t *e);

/* The entries of a mapping (key, value, key, ...) or a sequence, up to its
 * end event. */
static int read_entries(struct yaml_reader *r, int mapping)
{
	for (size_t k = 0;; k++) {
		yaml_event_t e;
		if (next_event(r, &e))
			return -1;
		if (e.type == YAML_MAPPING_END_EVENT || e.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&e);
			return 0;
		}
		int key = mapping && k % 2 == 0, rc = 0;
		if (k && (!mapping || key))
			put(&r->out, ",", 1);
		if (key && e.type != YAML_SCALAR_EVENT) {
			rc = fail_at(r, &e.start_mark, "a mapping key here is not a string (JSON keys are strings)");
		} else if (key) {
			token_at(&r->out, &e.start_mark);
			put_string(&r->out, e.data.scalar.value, e.data.scalar.length);
			put(&r->out, ":", 1);
		} else {
			rc = read_node(r, &e);
		}
		yaml_event_delete(&e);
		if (rc)
			return rc;
	}
}

static int read_node(struct yaml_reader *r, yaml_event_t *e)
{
	switch (e->type) {
	case YAML_SCALAR_EVENT: {
		token_at(&r->out, &e->start_mark);
		const char *s = (const char *)e->data.scalar.value;
		size_t n = e->data.scalar.length;
		const char *tag = (const char *)e->data.scalar.tag;
		if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || (tag && !strcmp(tag, YAML_STR_TAG))) {
			put_string(&r->out, e->data.scalar.value, n);
			return 0;
		}
		const char *why = put_plain(&r->out, s, n);
		return why ? fail_at(r, &e->start_mark, "%.*s: %s", (int)(n > 40 ? 40 : n), s, why) : 0;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int mapping = e->type == YAML_MAPPING_START_EVENT;
		if (++r->depth > SG_JSON_MAX_DEPTH)
			return fail_at(r, &e->start_mark, "nested more than %d levels deep", SG_JSON_MAX_DEPTH);
		token_at(&r->out, &e->start_mark);
		put(&r->out, mapping ? "{" : "[", 1);
		int rc = read_entries(r, mapping);
		put(&r->out, mapping ? "}" : "]", 1);
		r->depth--;
		return rc;
	}
	case YAML_ALIAS_EVENT:
		return fail_at(r, &e->start_mark, "YAML aliases (*%s) are not read here: write the value out",
			       (const char *)e->data.alias.anchor);
	default:
		return fail_at(r, &e->start_mark, "unexpected YAML event %d", (int)e->type);
	}
}

/* The documents of the stream, each a JSON value; returns how many. */
static long read_stream(struct yaml_reader *r)
{
	long docs = 0;
	for (;;) {
		yaml_event_t e;
		if (next_event(r, &e))
			return -1;
		yaml_event_type_t type = e.type;
		yaml_event_delete(&e);
		if (type == YAML_STREAM_END_EVENT)
			return docs;
		if (type != YAML_DOCUMENT_START_EVENT)
			continue; /* STREAM_START */
		if (next_event(r, &e))
			return -1;
		if (docs++)
			put(&r->out, ",", 1);
		int rc = read_node(r, &e);
		yaml_event_delete(&e);
		if (rc || next_event(r, &e)) /* DOCUMENT_END */
			return -1;
		yaml_event_delete(&e);
	}
}

int sg_yaml_load(struct sg_json *j, const char *file, const char *text, size_t len, struct sg_diags *d)
{
	memset(j, 0, sizeof(*j));
	struct yaml_reader r = { .file = file, .d = d };
	if (!yaml_parser_initialize(&r.parser))
		return sg_oom(d, file);
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
	/* room for the wrapper of a multi-document stream, filled in below */
	yaml_mark_t top = { 0 };
	token_at(&r.out, &top);
	put(&r.out, "[", 1);
	long docs = read_stream(&r);
	put(&r.out, "]", 1);
	yaml_parser_delete(&r.parser);
	if (docs < 0 || r.out.text.failed) {
		free(r.out.text.buf);
		free(r.out.pos);
		return docs < 0 ? -1 : sg_oom(d, file);
	}
	if (docs == 0) {
		free(r.out.text.buf);
		free(r.out.pos);
		return sg_error(d, file, NULL, "empty YAML: no document");
	}
	/* one document is the value itself, without the wrapper */
	char *text_out = r.out.text.buf;
	size_t n = r.out.text.len, skip = docs == 1;
	if (skip) {
		memmove(text_out, text_out + 1, n - 2);
		n -= 2;
		text_out[n] = '\0';
		memmove(r.out.pos, r.out.pos + 1, (r.out.npos - 1) * sizeof(*r.out.pos));
		r.out.npos--;
	}
	struct sg_diags inner;
	sg_diags_init(&inner);
	int rc = sg_json_load(j, file, text_out, n, &inner);
	sg_diags_free(&inner);
	if (rc || (size_t)j->ntok != r.out.npos) {
		sg_json_free(j);
		free(text_out);
		free(r.out.pos);
		return sg_error(d, file, NULL, "internal error: YAML written as JSON did not read back");
	}
	j->owned_text = text_out;
	j->tokpos = r.out.pos;
	j->documents = docs > 1;
	return 0;
}

#endif
