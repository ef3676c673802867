#include "sysgate/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void sg_diags_init(struct sg_diags *d) { memset(d, 0, sizeof(*d)); }

/* A diagnostic's file name is one copy shared by consecutive diagnostics
 * about the same file (a million warnings need not carry a million copies). */
static int shares_file(const struct sg_diags *d, size_t i)
{
	return i > 0 && d->v[i].file && d->v[i].file == d->v[i - 1].file;
}

void sg_diags_free(struct sg_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (!shares_file(d, i))
			free(d->v[i].file);
		free(d->v[i].message);
	}
	free(d->v);
	sg_diags_init(d);
}

/* Room for a message formatted once: one a little longer is formatted
 * twice (a list of the syscalls an architecture lacks runs to a few
 * hundred bytes). */
#define SMALL 2048

/* The message, in small when it fits (*heap 0), else malloc'd (*heap 1);
 * NULL when memory runs out. */
static char *vformat(char small[SMALL], int *heap, const char *fmt, va_list ap) SG_PRINTF(3, 0);
static char *vformat(char small[SMALL], int *heap, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, SMALL, fmt, ap2);
	va_end(ap2);
	*heap = n >= SMALL;
	if (n < 0)
		return NULL;
	if (n < SMALL)
		return small;
	char *s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static void to_sink(struct sg_diags *d, struct sg_diag *g, const char *fmt, va_list ap) SG_PRINTF(3, 0);
static void to_sink(struct sg_diags *d, struct sg_diag *g, const char *fmt, va_list ap)
{
	char small[SMALL];
	int heap;
	g->message = vformat(small, &heap, fmt, ap);
	if (!g->message) {
		d->oom = 1;
		return;
	}
	d->sink(g, d->sink_arg);
	if (heap)
		free(g->message);
}

void sg_vdiag(struct sg_diags *d, enum sg_severity sev, const char *file, const struct sg_loc *loc, const char *fmt,
	      va_list ap)
{
	if (sev == SG_STRICT)
		sev = d->strict ? SG_ERROR : SG_WARNING;
	if (sev == SG_ERROR)
		d->errors++;
	else
		d->warnings++;
	if (d->sink) { /* handed over, not kept: the sink sees the caller's file name */
		struct sg_diag g = { .severity = sev, .file = (char *)file };
		if (loc)
			g.loc = *loc;
		to_sink(d, &g, fmt, ap);
		return;
	}
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
	char *prev = d->n ? d->v[d->n - 1].file : NULL, small[SMALL];
	struct sg_diag *g = &d->v[d->n];
	memset(g, 0, sizeof(*g));
	g->severity = sev;
	g->file = file && prev && strcmp(prev, file) == 0 ? prev : file ? strdup(file) : NULL;
	if (loc)
		g->loc = *loc;
	int heap;
	char *m = vformat(small, &heap, fmt, ap);
	g->message = m && !heap ? strdup(m) : m;
	if ((file && !g->file) || !g->message) {
		if (g->file != prev)
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

void sg_strict_warning(struct sg_diags *d, const char *file, const struct sg_loc *loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_vdiag(d, SG_STRICT, file, loc, fmt, ap);
	va_end(ap);
}

int sg_oom(struct sg_diags *d, const char *file)
{
	return sg_error(d, file, NULL, "out of memory");
}

/* A diagnostic line's pieces: file ":" line:col: " " "warning: " path ": "
 * message "\n", empty where absent; sg_diag_print and sg_diags_print write
 * the same text from them. */
enum { NPIECES = 9 };

static void line_pieces(const struct sg_diag *g, char line_col[32], const char *p[NPIECES])
{
	char *o = line_col;
	if (g->loc.line) {
		unsigned v[2] = { g->loc.line, g->loc.col };
		for (int k = 0; k < 2; k++) { /* "%u:%u:", without printf's cost per line */
			char digits[12];
			size_t n = 0;
			do
				digits[n++] = (char)('0' + v[k] % 10);
			while (v[k] /= 10);
			while (n)
				*o++ = digits[--n];
			*o++ = ':';
		}
	}
	*o = '\0';
	p[0] = g->file ? g->file : g->loc.line ? "" : "sysgate: "; /* a message of no file is sysgate's own */
	p[1] = g->file ? ":" : "";
	p[2] = line_col;
	p[3] = g->file || g->loc.line ? " " : "";
	p[4] = g->severity == SG_WARNING ? "warning: " : "";
	p[5] = g->loc.path;
	p[6] = g->loc.path[0] ? ": " : "";
	p[7] = g->message;
	p[8] = "\n";
}

void sg_diag_print(const struct sg_diag *g, FILE *out)
{
	char line_col[32];
	const char *p[NPIECES];
	line_pieces(g, line_col, p);
	fprintf(out, "%s%s%s%s%s%s%s%s%s", p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]);
}

/* Lines are gathered into blocks of 64 KiB: stderr is unbuffered, and a
 * write per line made printing a million diagnostics take seconds. */
#define BLOCK ((size_t)1 << 16)

void sg_diag_printer_init(struct sg_diag_printer *pr, FILE *out, int hold)
{
	memset(pr, 0, sizeof(*pr));
	pr->out = out;
	pr->hold = hold;
	pr->buf = malloc(BLOCK);
	pr->cap = pr->buf ? BLOCK : 0; /* 0: each piece is written as it comes */
}

static void flush(struct sg_diag_printer *pr)
{
	if (pr->n)
		fwrite(pr->buf, 1, pr->n, pr->out);
	pr->n = 0;
}

static void put(struct sg_diag_printer *pr, const char *s, size_t n)
{
	if (n == 0 || (pr->hold && pr->lost)) /* what is held is incomplete; an error still prints */
		return;
	if (pr->n + n > pr->cap && !pr->hold)
		flush(pr);
	if (pr->n + n > pr->cap && pr->hold) { /* held lines: the buffer grows */
		size_t cap = pr->cap ? pr->cap : BLOCK;
		while (cap < pr->n + n)
			cap *= 2;
		char *buf = realloc(pr->buf, cap);
		if (!buf) {
			pr->lost = 1;
			return;
		}
		pr->buf = buf;
		pr->cap = cap;
	}
	if (pr->n + n > pr->cap) { /* longer than a block */
		fwrite(s, 1, n, pr->out);
		return;
	}
	memcpy(pr->buf + pr->n, s, n);
	pr->n += n;
}

void sg_diag_printer_sink(const struct sg_diag *g, void *printer)
{
	struct sg_diag_printer *pr = printer;
	char line_col[32];
	const char *p[NPIECES];
	if (g->severity == SG_ERROR)
		pr->hold = 0; /* what was held is shown, before this */
	line_pieces(g, line_col, p);
	for (int k = 0; k < NPIECES; k++)
		put(pr, p[k], strlen(p[k]));
	if (!pr->hold && pr->n >= BLOCK)
		flush(pr);
}

void sg_diag_printer_end(struct sg_diag_printer *pr, int show)
{
	if (!pr->hold || show) {
		flush(pr);
		if (pr->lost)
			fputs("sysgate: out of memory while holding diagnostics back\n", pr->out);
	}
	free(pr->buf);
	memset(pr, 0, sizeof(*pr));
}

void sg_diags_print(const struct sg_diags *d, FILE *out)
{
	struct sg_diag_printer pr;
	sg_diag_printer_init(&pr, out, 0);
	for (size_t i = 0; i < d->n; i++)
		sg_diag_printer_sink(&d->v[i], &pr);
	sg_diag_printer_end(&pr, 1);
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

static int same_letter(char x, char y) { return (x | 0x20) == (y | 0x20); }

/* Levenshtein's, with two neighbours swapped one edit ("chmdo" is one from
 * "chmod"): the optimal string alignment distance. A row's least value
 * never falls, so a row past limit ends the count. */
static size_t edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strnlen(a, 65), lb = strnlen(b, 65); /* a word may be megabytes long */
	if (la > 64 || lb > 64 || (la > lb ? la - lb : lb - la) > limit) /* each edit changes the length by one at most */
		return limit + 1;
	size_t rows[3][65], *row = rows[0], *prev = rows[1], *prev2 = rows[2];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *t = prev2; /* the rows move down one */
		prev2 = prev;
		prev = row;
		row = t;
		size_t best = row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t v = prev[j - 1] + !same_letter(a[i - 1], b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			if (i > 1 && j > 1 && same_letter(a[i - 1], b[j - 2]) && same_letter(a[i - 2], b[j - 1]) &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			row[j] = v;
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
	size_t len = strnlen(word, 15);
	s->word = word;
	/* about one typo per five characters: closer than that is a guess */
	s->limit = len < 10 ? 1 : len < 15 ? 2 : 3;
	s->best_distance = s->limit + 1;
	s->best = NULL;
}

size_t sg_suggest_distance(const struct sg_suggester *s, const char *cand)
{
	return edit_distance(s->word, cand, s->limit);
}

void sg_suggest_try(struct sg_suggester *s, const char *cand)
{
	size_t dist = sg_suggest_distance(s, cand);
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
