/* Audit log stage: see include/sysgate/auditlog.h. */
#include "sysgate/auditlog.h"

#include <string.h>

/* auditd's ENRICHED separator: what follows is its interpretation of the
 * record, not the record. */
#define GS '\x1d'

struct span {
	const char *p;
	size_t n;
};

struct scan {
	const char *p, *end;
};

/* The fields read, as bits of the masks in parse_fields. */
enum { K_ARCH, K_NR, K_CODE, K_PID, K_SIG, K_COMPAT, K_COMM, K_EXE, NKEYS };
static const char *const key_names[NKEYS] = { "arch", "syscall", "code", "pid", "sig", "compat", "comm", "exe" };

static int is_sep(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static int span_is(struct span s, const char *text)
{
	size_t n = strlen(text);
	return s.n == n && memcmp(s.p, text, n) == 0;
}

/* 1 when [p, end) starts with word, 2 when it is a proper beginning of word
 * (the line was cut inside it, or right before it), 0 otherwise. */
static int starts(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word), have = (size_t)(end - p);
	if (have >= n)
		return memcmp(p, word, n) == 0;
	return memcmp(p, word, have) == 0 ? 2 : 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 1 to 8 hex digits and nothing else: 0, or -1. */
static int parse_hex32(struct span v, uint32_t *out)
{
	uint32_t x = 0;
	if (v.n == 0 || v.n > 8)
		return -1;
	for (size_t i = 0; i < v.n; i++) {
		int d = hex_digit(v.p[i]);
		if (d < 0)
			return -1;
		x = x << 4 | (uint32_t)d;
	}
	*out = x;
	return 0;
}

/* Decimal digits, after a '-' when min is negative, within [min, max]
 * (both well inside int64_t): 0, or -1. */
static int parse_dec(struct span v, int64_t min, int64_t max, int64_t *out)
{
	int neg = min < 0 && v.n > 0 && v.p[0] == '-';
	int64_t limit = neg ? -min : max, x = 0;
	size_t i = (size_t)neg;
	if (i == v.n)
		return -1;
	for (; i < v.n; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return -1;
		x = x * 10 + (v.p[i] - '0');
		if (x > limit)
			return -1;
	}
	*out = neg ? -x : x;
	return 0;
}

/* comm= or exe=: a "quoted" value as it is, a bare one decoded from hex.
 * 0, with nothing kept, for (null) (not hex), a value cut inside its quotes,
 * odd or non-hex digits, or one that does not fit with its NUL. */
static int take_text(struct span v, int quoted, int cut, char *buf, size_t cap, size_t *len)
{
	size_t n = quoted ? v.n : v.n / 2;
	int ok = !cut && n < cap && (quoted || (v.n > 0 && v.n % 2 == 0));
	for (size_t i = 0; ok && !quoted && i < v.n; i++)
		ok = hex_digit(v.p[i]) >= 0;
	if (!ok) {
		buf[0] = 0;
		*len = 0;
		return 0;
	}
	if (quoted)
		memcpy(buf, v.p, n);
	else
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)(hex_digit(v.p[2 * i]) << 4 | hex_digit(v.p[2 * i + 1]));
	buf[n] = 0;
	*len = n;
	return 1;
}

/* The next key=value token, skipping words without '='. A "quoted" value
 * ends at its closing quote (the kernel quotes only values without spaces
 * or quotes), anything glued after that belonging to the same token;
 * *cut when the line ends inside the quotes. 0 at the end. */
static int next_field(struct scan *s, struct span *key, struct span *val, int *quoted, int *cut)
{
	const char *t;
	for (;;) {
		while (s->p < s->end && is_sep(*s->p))
			s->p++;
		if (s->p == s->end)
			return 0;
		t = s->p;
		while (s->p < s->end && !is_sep(*s->p) && *s->p != '=')
			s->p++;
		if (s->p < s->end && *s->p == '=')
			break;
	}
	*key = (struct span){ t, (size_t)(s->p - t) };
	s->p++;
	*quoted = s->p < s->end && *s->p == '"';
	val->p = s->p + *quoted;
	const char *q = *quoted ? memchr(val->p, '"', (size_t)(s->end - val->p)) : NULL;
	*cut = *quoted && !q;
	if (*quoted)
		s->p = q ? q + 1 : s->end;
	while (s->p < s->end && !is_sep(*s->p))
		s->p++;
	val->n = (size_t)((*quoted ? (q ? q : s->end) : s->p) - val->p);
	return 1;
}

/* The record: the first token "type=", which must say 1326 or SECCOMP,
 * then the stamp, audit(...): from the kernel or msg=audit(...): from
 * auditd (ausearch -i puts a space before the colon). SG_AUDIT_SECCOMP
 * with s->p at the fields; SG_AUDIT_MALFORMED when the line ends before
 * them; SG_AUDIT_OTHER for any other text. */
static enum sg_audit_kind find_journal_record(struct scan *s);

static enum sg_audit_kind find_record(struct scan *s)
{
	const char *t = s->p, *v;
	while (t < s->end && (starts(t, s->end, "type=") != 1 || (t > s->p && !is_sep(t[-1]))))
		t++;
	if (t == s->end)
		return find_journal_record(s);
	for (v = t += 5; t < s->end && !is_sep(*t); t++)
		;
	struct span type = { v, (size_t)(t - v) };
	if (!span_is(type, "1326") && !span_is(type, "SECCOMP"))
		return SG_AUDIT_OTHER;
	while (t < s->end && is_sep(*t))
		t++;
	int m = starts(t, s->end, "msg=");
	if (m == 1)
		t += 4;
	else if (m == 2)
		return SG_AUDIT_MALFORMED;
	m = starts(t, s->end, "audit(");
	if (m != 1)
		return m == 2 ? SG_AUDIT_MALFORMED : SG_AUDIT_OTHER;
	t = memchr(t, ')', (size_t)(s->end - t));
	if (!t)
		return SG_AUDIT_MALFORMED;
	for (t++; t < s->end && *t == ' '; t++)
		;
	if (t == s->end)
		return SG_AUDIT_MALFORMED;
	if (*t != ':')
		return SG_AUDIT_OTHER;
	s->p = t + 1;
	return SG_AUDIT_SECCOMP;
}

/* journald's audit transport, as plain journalctl prints it: the record
 * type as a word after the identifier, "audit[1234]: SECCOMP auid=...". */
static enum sg_audit_kind find_journal_record(struct scan *s)
{
	for (const char *t = s->p; t < s->end; t++) {
		if ((t > s->p && !is_sep(t[-1])) || starts(t, s->end, "audit[") != 1)
			continue;
		const char *q = t + 6;
		while (q < s->end && *q >= '0' && *q <= '9')
			q++;
		int m = q > t + 6 ? starts(q, s->end, "]: SECCOMP ") : 0;
		if (m == 1) {
			s->p = q + 11;
			return SG_AUDIT_SECCOMP;
		}
		if (m == 2 && q + 4 < s->end) /* cut inside "SECCOMP " */
			return SG_AUDIT_MALFORMED;
	}
	return SG_AUDIT_OTHER;
}

/* One field into *c; arch= and syscall= that cannot be read go in *bad. */
static void take_field(struct sg_audit_call *c, int k, struct span v, int quoted, int cut, unsigned *bad)
{
	int num = !quoted; /* the kernel never quotes a number */
	int64_t x = 0;
	switch (k) {
	case K_ARCH:
		if (!num || parse_hex32(v, &c->arch) != 0)
			*bad |= 1u << K_ARCH;
		break;
	case K_NR: /* an int to the kernel, so -1 is 0xffffffff; unsigned values are taken too */
		if (!num || parse_dec(v, INT32_MIN, UINT32_MAX, &x) != 0)
			*bad |= 1u << K_NR;
		c->nr = (uint32_t)x;
		break;
	case K_CODE:
		c->has_code = num && v.n > 2 && memcmp(v.p, "0x", 2) == 0 &&
			      parse_hex32((struct span){ v.p + 2, v.n - 2 }, &c->code) == 0;
		break;
	case K_PID:
		c->has_pid = num && parse_dec(v, 0, INT32_MAX, &x) == 0;
		c->pid = (long)x;
		break;
	case K_SIG:
		c->has_sig = num && parse_dec(v, 0, INT32_MAX, &x) == 0;
		c->sig = (int)x;
		break;
	case K_COMPAT:
		c->compat = num && v.n == 1 && (v.p[0] == '0' || v.p[0] == '1') ? v.p[0] - '0' : -1;
		break;
	case K_COMM:
		c->has_comm = take_text(v, quoted, cut, c->comm, sizeof c->comm, &c->comm_len);
		break;
	case K_EXE:
		c->has_exe = take_text(v, quoted, cut, c->exe, sizeof c->exe, &c->exe_len);
		break;
	}
}

/* Reads the fields up to the end of the record; NULL, or why the record
 * has no usable arch or syscall. */
static const char *parse_fields(struct scan *s, struct sg_audit_call *c)
{
	struct span key = { 0 }, val = { 0 };
	int quoted = 0, cut = 0;
	unsigned seen = 0, bad = 0;
	while (next_field(s, &key, &val, &quoted, &cut)) {
		int k = 0;
		while (k < NKEYS && !span_is(key, key_names[k]))
			k++;
		if (k == NKEYS || (seen & 1u << k))
			continue; /* another field, or a repeat: the first counts */
		seen |= 1u << k;
		take_field(c, k, val, quoted, cut, &bad);
	}
	if (!(seen & 1u << K_ARCH))
		return "no arch= field";
	if (bad & 1u << K_ARCH)
		return "arch= is not 1 to 8 hex digits";
	if (!(seen & 1u << K_NR))
		return "no syscall= field";
	if (bad & 1u << K_NR)
		return "syscall= is not a 32-bit decimal number";
	return NULL;
}

static void reset(struct sg_audit_call *c)
{
	c->arch = c->nr = c->code = 0;
	c->has_code = c->has_pid = c->has_sig = c->has_comm = c->has_exe = 0;
	c->pid = 0;
	c->sig = 0;
	c->compat = -1;
	c->comm_len = c->exe_len = 0;
	c->comm[0] = c->exe[0] = 0;
}

enum sg_audit_kind sg_audit_parse_line(const char *line, size_t len, struct sg_audit_call *out, const char **why)
{
	struct scan s = { line, line + len };
	const char *w = NULL;
	reset(out);
	if (why)
		*why = NULL;
	enum sg_audit_kind kind = find_record(&s);
	if (kind == SG_AUDIT_OTHER)
		return kind;
	if (kind == SG_AUDIT_MALFORMED) {
		w = "the line ends before the record's fields";
	} else {
		const char *gs = memchr(s.p, GS, (size_t)(s.end - s.p));
		if (gs)
			s.end = gs; /* only the record's own fields count */
		w = parse_fields(&s, out);
	}
	if (!w)
		return SG_AUDIT_SECCOMP;
	if (why)
		*why = w;
	return SG_AUDIT_MALFORMED;
}
