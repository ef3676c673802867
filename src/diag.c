#include "sysgate/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void sg_diags_init(struct sg_diags *d) { memset(d, 0, sizeof(*d)); }

void sg_diags_free(struct sg_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].message);
	}
	free(d->v);
	sg_diags_init(d);
}

static char *vformat(const char *fmt, va_list ap) SG_PRINTF(1, 0);
static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

void sg_vdiag(struct sg_diags *d, enum sg_severity sev, const char *file, const struct sg_loc *loc, const char *fmt,
	      va_list ap)
{
	if (sev == SG_ERROR)
		d->errors++;
	else
		d->warnings++;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct sg_diag *v = realloc(d->v, cap * sizeof(*v));
		if (!v) {
			d->oom = 1;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	struct sg_diag *g = &d->v[d->n];
	memset(g, 0, sizeof(*g));
	g->severity = sev;
	g->file = file ? strdup(file) : NULL;
	if (loc)
		g->loc = *loc;
	g->message = vformat(fmt, ap);
	if ((file && !g->file) || !g->message) {
		free(g->file);
		free(g->message);
		d->oom = 1;
		return;
	}
	d->n++;
}

int sg_error(struct sg_diags *d, const char *file, const struct sg_loc *loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_vdiag(d, SG_ERROR, file, loc, fmt, ap);
	va_end(ap);
	return -1;
}

void sg_warning(struct sg_diags *d, const char *file, const struct sg_loc *loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_vdiag(d, SG_WARNING, file, loc, fmt, ap);
	va_end(ap);
}

int sg_oom(struct sg_diags *d, const char *file)
{
	return sg_error(d, file, NULL, "out of memory");
}

void sg_diag_print(const struct sg_diag *g, FILE *out)
{
	if (g->file)
		fprintf(out, "%s:", g->file);
	if (g->loc.line)
		fprintf(out, "%u:%u:", g->loc.line, g->loc.col);
	if (g->file || g->loc.line)
		fputc(' ', out);
	if (g->severity == SG_WARNING)
		fputs("warning: ", out);
	if (g->loc.path[0])
		fprintf(out, "%s: ", g->loc.path);
	fprintf(out, "%s\n", g->message);
}

void sg_diags_print(const struct sg_diags *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++)
		sg_diag_print(&d->v[i], out);
	if (d->oom)
		fputs("sysgate: out of memory while recording diagnostics\n", out);
}

void sg_quote(char *out, size_t outsz, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	if (outsz == 0)
		return;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int plain = c >= 0x20 && c < 0x7f && c != '\\' && c != '"';
		size_t need = plain ? 1 : 4;
		if (o + need + 4 > outsz) { /* leave room for "..." and NUL */
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

static size_t edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return limit + 1;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best = row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			int same = ((a[i - 1] | 0x20) == (b[j - 1] | 0x20));
			size_t v = diag + !same;
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb];
}

void sg_suggest_init(struct sg_suggester *s, const char *word)
{
	size_t len = strlen(word);
	s->word = word;
	/* about one typo per five characters: closer than that is a guess */
	s->limit = len < 10 ? 1 : len < 15 ? 2 : 3;
	s->best_distance = s->limit + 1;
	s->best = NULL;
}

void sg_suggest_try(struct sg_suggester *s, const char *cand)
{
	size_t dist = edit_distance(s->word, cand, s->limit);
	if (dist < s->best_distance) {
		s->best_distance = dist;
		s->best = cand;
	}
}

const char *sg_suggest(const char *word, const char *const *cands, size_t n)
{
	struct sg_suggester s;
	sg_suggest_init(&s, word);
	for (size_t i = 0; i < n; i++)
		sg_suggest_try(&s, cands[i]);
	return s.best;
}
