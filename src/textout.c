/* Text built in memory (see textout.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textout.h"

static int grow(struct sg_out *o, size_t n)
{
	size_t c = o->cap ? o->cap : 256;
	while (c < n)
		c *= 2;
	char *b = realloc(o->buf, c);
	if (!b)
		return -1;
	o->buf = b, o->cap = c;
	return 0;
}

void sg_out_put(struct sg_out *o, const char *fmt, ...)
{
	for (int tries = 0; tries < 2 && !o->failed; tries++) {
		va_list ap;
		va_start(ap, fmt);
		size_t room = o->cap - o->len;
		int n = vsnprintf(o->buf ? o->buf + o->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			o->failed = 1;
		else if ((size_t)n < room) {
			o->len += (size_t)n;
			return;
		} else if (grow(o, o->len + (size_t)n + 1))
			o->failed = 1;
	}
}

void sg_out_bytes(struct sg_out *o, const char *s, size_t n)
{
	if (o->failed || (o->len + n + 1 > o->cap && grow(o, o->len + n + 1))) {
		o->failed = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

void sg_out_string_n(struct sg_out *o, const char *s, size_t n)
{
	sg_out_bytes(o, "\"", 1);
	size_t plain = 0; /* bytes not yet written that need no escape */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != '"' && c != '\\' && c >= 0x20)
			continue;
		sg_out_bytes(o, s + plain, i - plain);
		plain = i + 1;
		if (c < 0x20)
			sg_out_put(o, "\\u%04x", c);
		else
			sg_out_put(o, "\\%c", c);
	}
	sg_out_bytes(o, s + plain, n - plain);
	sg_out_bytes(o, "\"", 1);
}

void sg_out_string(struct sg_out *o, const char *s)
{
	sg_out_string_n(o, s, strlen(s));
}

void sg_out_k8s_name(struct sg_out *o, const char *name, const char *fallback)
{
	char buf[254];
	size_t n = 0;
	for (const char *c = name ? name : ""; *c && n < sizeof(buf) - 1; c++) {
		char ch = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
		if (ok || ((ch == '-' || ch == '.') && n && buf[n - 1] != '-' && buf[n - 1] != '.'))
			buf[n++] = ch;
		else if (n && buf[n - 1] != '-' && buf[n - 1] != '.')
			buf[n++] = '-';
	}
	while (n && (buf[n - 1] == '-' || buf[n - 1] == '.'))
		n--;
	buf[n] = '\0';
	sg_out_put(o, "\"%s\"", n ? buf : fallback);
}
