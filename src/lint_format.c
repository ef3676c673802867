/* Lint stage, the findings written out: text for people, JSON for tools
 * (every string escaped, so the output is valid JSON whatever the profile's
 * names hold). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint_impl.h"

struct buf {
	char *s;
	size_t n, cap;
	int failed;
};

static void put(struct buf *b, const char *fmt, ...) SG_PRINTF(2, 3);
static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	for (int tries = 0; tries < 2 && !b->failed; tries++) {
		va_start(ap, fmt);
		int m = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
		va_end(ap);
		if (m < 0) {
			b->failed = 1;
			return;
		}
		if (b->s && b->n + (size_t)m < b->cap) {
			b->n += (size_t)m;
			return;
		}
		size_t cap = (b->cap + (size_t)m + 1) * 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->failed = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

static char *finish(struct buf *b, size_t *len)
{
	if (!b->s && !b->failed)
		put(b, "%s", "");
	if (b->failed) {
		free(b->s);
		return NULL;
	}
	*len = b->n;
	return b->s;
}

char *sg_lint_format_text(const struct sg_lint *l, size_t n, size_t *len)
{
	struct buf b = { 0 };
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < l[i].n; k++) {
			const struct sg_finding *f = &l[i].v[k];
			put(&b, "%s:", l[i].file);
			if (f->loc.line)
				put(&b, "%u:%u:", f->loc.line, f->loc.col);
			put(&b, " %s[%s]: ", sg_lint_severity_name(f->severity), f->id);
			if (f->loc.path[0])
				put(&b, "%s: ", f->loc.path);
			put(&b, "%s", f->message);
			if (f->arches[0])
				put(&b, " (on %s)", f->arches);
			put(&b, "\n    why: %s\n    fix: %s\n", f->why, f->fix);
		}
	return finish(&b, len);
}

/* s as a JSON string: quotes, backslashes and control bytes escaped, and
 * bytes that are not UTF-8 as \u00XX of their value (the JSON stays valid). */
static void put_str(struct buf *b, const char *s)
{
	put(&b[0], "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			put(b, "\\%c", *p);
		else if (*p == '\n')
			put(b, "\\n");
		else if (*p < 0x20 || *p >= 0x7f)
			put(b, "\\u%04x", *p);
		else
			put(b, "%c", *p);
	}
	put(b, "\"");
}

static void put_arches(struct buf *b, const char *arches)
{
	put(b, "[");
	for (const char *p = arches; *p;) {
		size_t k = strcspn(p, ",");
		char one[32];
		snprintf(one, sizeof(one), "%.*s", (int)(k < sizeof(one) ? k : sizeof(one) - 1), p);
		put(b, p == arches ? "" : ",");
		put_str(b, one);
		p += k;
		while (*p == ',' || *p == ' ')
			p++;
	}
	put(b, "]");
}

static void put_finding(struct buf *b, const char *file, const struct sg_finding *f)
{
	put(b, "{\"id\":");
	put_str(b, f->id);
	put(b, ",\"severity\":\"%s\",\"file\":", sg_lint_severity_name(f->severity));
	put_str(b, file);
	put(b, ",\"line\":%u,\"col\":%u,\"path\":", f->loc.line, f->loc.col);
	put_str(b, f->loc.path);
	put(b, ",\"arches\":");
	put_arches(b, f->arches);
	put(b, ",\"message\":");
	put_str(b, f->message);
	put(b, ",\"why\":");
	put_str(b, f->why);
	put(b, ",\"fix\":");
	put_str(b, f->fix);
	put(b, "}");
}

char *sg_lint_format_json(const struct sg_lint *l, const struct sg_diags *const *errs, size_t n, size_t *len)
{
	struct buf b = { 0 };
	put(&b, "[");
	for (size_t i = 0; i < n; i++) {
		put(&b, "%s\n{\"file\":", i ? "," : "");
		put_str(&b, l[i].file ? l[i].file : "");
		put(&b, ",\"valid\":%s,\"errors\":[", l[i].valid ? "true" : "false");
		const struct sg_diags *d = errs ? errs[i] : NULL;
		for (size_t k = 0, m = 0; d && k < d->n; k++) {
			const struct sg_diag *g = &d->v[k];
			if (g->severity != SG_ERROR)
				continue;
			put(&b, "%s{\"line\":%u,\"col\":%u,\"path\":", m++ ? "," : "", g->loc.line, g->loc.col);
			put_str(&b, g->loc.path);
			put(&b, ",\"message\":");
			put_str(&b, g->message);
			put(&b, "}");
		}
		if (d && d->oom)
			put(&b, "%s{\"line\":0,\"col\":0,\"path\":\"\",\"message\":\"out of memory\"}", d->errors ? "," : "");
		put(&b, "],\"findings\":[");
		for (size_t k = 0; k < l[i].n; k++) {
			put(&b, "%s\n  ", k ? "," : "");
			put_finding(&b, l[i].file, &l[i].v[k]);
		}
		put(&b, "]}");
	}
	put(&b, "\n]\n");
	return finish(&b, len);
}
