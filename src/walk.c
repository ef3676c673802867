/* The parse stage's JSON walker: see walk.h. */
#include "walk.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define NUL_IN_STRING "string contains a NUL character (\\u0000)"

/* base + "/" + comp, RFC 6901-escaped, cut short (with "...") rather than
 * overflow. Called for every field, so no printf. */
static void path_append(char *out, size_t outsz, const char *base, const char *comp, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = strnlen(base, outsz - 5);
	memmove(out, base, o);
	out[o++] = '/';
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)comp[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '~' && ch != '/' && o + 5 <= outsz) {
			out[o++] = (char)ch; /* most characters: themselves, with room to spare */
			continue;
		}
		char esc[4];
		size_t el = 1;
		esc[0] = (char)ch;
		if (ch == '~' || ch == '/')
			esc[0] = '~', esc[1] = ch == '~' ? '0' : '1', el = 2;
		else if (ch < 0x20 || ch >= 0x7f)
			esc[0] = '\\', esc[1] = 'x', esc[2] = hex[ch >> 4], esc[3] = hex[ch & 15], el = 4;
		if (o + el + 4 > outsz) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, esc, el);
		o += el;
	}
	out[o] = '\0';
}

void sg_walk_loc_key(struct walker *w, int valtok, const struct sg_loc *parent, const char *key, struct sg_loc *out)
{
	sg_json_loc(&w->j, valtok, out, "");
	path_append(out->path, sizeof(out->path), parent->path, key, strlen(key));
}

/* i in decimal at out (at most 20 digits, no NUL); how many. */
static size_t put_index(char *out, size_t i)
{
	size_t len = 1;
	for (size_t v = i; v >= 10; v /= 10)
		len++;
	for (size_t k = len; k-- > 0; i /= 10)
		out[k] = (char)('0' + i % 10);
	return len;
}

static void path_index(char *out, size_t outsz, const char *base, size_t i)
{
	char num[24];
	path_append(out, outsz, base, num, put_index(num, i));
}

static void loc_index(struct walker *w, int valtok, const struct sg_loc *parent, size_t i, struct sg_loc *out)
{
	sg_json_loc(&w->j, valtok, out, "");
	path_index(out->path, sizeof(out->path), parent->path, i);
}

void sg_walk_member_loc(const char *parent, const char *key, size_t index, struct sg_pos pos, struct sg_loc *out)
{
	char array[sizeof(out->path)];
	out->line = pos.line;
	out->col = pos.col;
	if (index == SIZE_MAX) {
		path_append(out->path, sizeof(out->path), parent, key, strlen(key));
		return;
	}
	path_append(array, sizeof(array), parent, key, strlen(key));
	path_index(out->path, sizeof(out->path), array, index);
}

int sg_walk_error(struct walker *w, const struct sg_loc *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_vdiag(w->d, SG_ERROR, w->file, at, fmt, ap);
	va_end(ap);
	return -1;
}

void sg_walk_warning(struct walker *w, const struct sg_loc *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sg_vdiag(w->d, SG_WARNING, w->file, at, fmt, ap);
	va_end(ap);
}


int sg_walk_oom(struct walker *w, const struct sg_loc *at)
{
	return sg_walk_error(w, at, "out of memory");
}

int sg_walk_want(struct walker *w, int t, const struct sg_loc *at, jsmntype_t type, const char *what)
{
	if (w->j.tok[t].type == type && !(type == JSMN_PRIMITIVE && sg_json_is_null(&w->j, t)))
		return 0;
	return sg_walk_error(w, at, "expected %s, found %s", what, sg_json_type_name(&w->j, t));
}

char *sg_walk_string(struct walker *w, int t, const struct sg_loc *at)
{
	if (sg_walk_want(w, t, at, JSMN_STRING, "a string"))
		return NULL;
	int nul;
	char *s = sg_json_str(&w->j, t, &nul);
	if (!s) {
		if (nul)
			sg_walk_error(w, at, NUL_IN_STRING);
		else
			sg_walk_oom(w, at);
	}
	return s;
}

int sg_walk_u64(struct walker *w, int t, const struct sg_loc *at, uint64_t max, uint64_t *out)
{
	const char *why;
	char shown[64];
	if (w->j.tok[t].type != JSMN_PRIMITIVE || sg_json_is_null(&w->j, t) ||
	    w->j.text[w->j.tok[t].start] == 't' || w->j.text[w->j.tok[t].start] == 'f')
		return sg_walk_error(w, at, "expected a non-negative integer, found %s", sg_json_type_name(&w->j, t));
	if (sg_json_u64(&w->j, t, out, &why)) {
		sg_json_show(&w->j, t, shown, sizeof(shown));
		return sg_walk_error(w, at, "%s: %s", why, shown);
	}
	if (*out > max) {
		sg_json_show(&w->j, t, shown, sizeof(shown));
		return sg_walk_error(w, at, "%s is out of range (at most %llu)", shown, (unsigned long long)max);
	}
	return 0;
}

/* Each key once; a duplicate is an error at its second occurrence. Keys are
 * compared decoded, so "a" and "\u0061" collide; a key without an escape is
 * read in place (a million keys, a million mallocs fewer). */
struct keyref {
	const char *key; /* len bytes, no NUL */
	size_t len;
	uint64_t prefix; /* the first 8 bytes, big-endian, zero-padded: orders as the bytes do */
	int tok;
	int owned; /* decoded into a copy */
};

static int cmp_key(const struct keyref *x, const struct keyref *y)
{
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	if (x->len <= 8 && y->len <= 8) /* no NUL in a key: the same prefix is the same key */
		return 0;
	size_t m = x->len < y->len ? x->len : y->len;
	int r = m > 8 ? memcmp(x->key + 8, y->key + 8, m - 8) : 0;
	return r ? r : (x->len > y->len) - (x->len < y->len);
}

static int cmp_keyref(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int r = cmp_key(x, y);
	return r ? r : (x->tok > y->tok) - (x->tok < y->tok);
}

/* A key with an escape, decoded into a copy; -1 after an error. */
static int decode_key(struct walker *w, int kt, const struct sg_loc *at, struct keyref *k)
{
	int nul;
	char *s = sg_json_str(&w->j, kt, &nul);
	if (!s) {
		struct sg_loc l;
		sg_json_loc(&w->j, kt, &l, at->path);
		return nul ? sg_walk_error(w, &l, "key contains a NUL character (\\u0000)") : sg_walk_oom(w, at);
	}
	k->key = s;
	k->len = strlen(s);
	k->owned = 1;
	return 0;
}

/* Key token kt, decoded; -1 after an error. */
static int read_key(struct walker *w, int kt, const struct sg_loc *at, struct keyref *k)
{
	const jsmntok_t *tok = &w->j.tok[kt];
	k->tok = kt;
	k->key = w->j.text + tok->start;
	k->len = (size_t)(tok->end - tok->start);
	if (memchr(k->key, '\\', k->len) && decode_key(w, kt, at, k))
		return -1;
	k->prefix = 0;
	for (size_t i = 0; i < 8; i++)
		k->prefix = k->prefix << 8 | (i < k->len ? (unsigned char)k->key[i] : 0);
	return 0;
}

static int duplicate(struct walker *w, const struct keyref *k, const struct sg_loc *at)
{
	struct sg_loc l;
	char shown[80];
	sg_json_loc(&w->j, k->tok, &l, "");
	path_append(l.path, sizeof(l.path), at->path, k->key, k->len);
	sg_quote(shown, sizeof(shown), k->key, k->len);
	return sg_walk_error(w, &l, "duplicate key \"%s\"", shown);
}

/* The duplicates in the order a sort by key, then place, gives them: keys in
 * an open hash, each later occurrence chained to the first; only the keys
 * that repeat are sorted. 1 when keys collide too often for the hash (made
 * to): the caller sorts them all instead. */
static int duplicates_by_hash(struct walker *w, const struct keyref *k, size_t n, const struct sg_loc *at, int *rc)
{
	size_t nslots = 64, ndup = 0, bad = 0;
	while (nslots < 2 * n)
		nslots *= 2;
	uint32_t *slot = calloc(nslots, sizeof(*slot)); /* index + 1 of a key's first occurrence */
	size_t *next = malloc(2 * n * sizeof(*next)), *last = next + n; /* per key: the next, the last of its chain */
	struct keyref *dup = malloc(n * sizeof(*dup)); /* the keys that repeat; tok: their first place in k */
	for (size_t i = 0; slot && next && dup && i < n && !bad; i++) {
		uint64_t h = k[i].prefix * 0x9e3779b97f4a7c15u ^ k[i].len;
		for (size_t j = 8; j < k[i].len; j++)
			h = (h ^ (unsigned char)k[i].key[j]) * 0x100000001b3u;
		size_t at_slot = (size_t)(h ^ h >> 31) & (nslots - 1), probes = 0;
		while (slot[at_slot] && cmp_key(&k[slot[at_slot] - 1], &k[i]) && !(bad = ++probes > 64))
			at_slot = (at_slot + 1) & (nslots - 1);
		next[i] = SIZE_MAX;
		last[i] = i;
		if (bad || !slot[at_slot]) {
			slot[at_slot] = (uint32_t)(i + 1);
			continue;
		}
		size_t f = slot[at_slot] - 1;
		if (last[f] == f)
			dup[ndup++] = (struct keyref){ .key = k[f].key, .len = k[f].len, .prefix = k[f].prefix, .tok = (int)f };
		next[last[f]] = i;
		last[f] = i;
	}
	int fallback = !slot || !next || !dup || bad;
	if (!fallback) {
		qsort(dup, ndup, sizeof(*dup), cmp_keyref);
		for (size_t d = 0; d < ndup; d++)
			for (size_t i = next[dup[d].tok]; i != SIZE_MAX; i = next[i])
				*rc = duplicate(w, &k[i], at);
	}
	free(slot);
	free(next);
	free(dup);
	return fallback;
}

/* True when object t has a few keys, none with an escape, all different
 * (nearly every object): compared in place, nothing allocated. */
static int few_distinct_keys(const struct walker *w, int t, size_t n)
{
	const char *key[8];
	size_t len[8];
	if (n > 8)
		return 0;
	int kt = t + 1;
	for (size_t i = 0; i < n; i++) {
		key[i] = w->j.text + w->j.tok[kt].start;
		len[i] = (size_t)(w->j.tok[kt].end - w->j.tok[kt].start);
		if (memchr(key[i], '\\', len[i]))
			return 0;
		for (size_t k = 0; k < i; k++)
			if (len[k] == len[i] && memcmp(key[k], key[i], len[i]) == 0)
				return 0;
		kt = sg_json_next(&w->j, kt + 1);
	}
	return 1;
}

static int check_duplicates(struct walker *w, int t, const struct sg_loc *at)
{
	size_t n = (size_t)w->j.tok[t].size;
	if (n < 2 || few_distinct_keys(w, t, n))
		return 0;
	struct keyref *k = calloc(n, sizeof(*k));
	if (!k)
		return sg_walk_oom(w, at);
	int rc = 0;
	int kt = t + 1;
	for (size_t i = 0; i < n; i++) {
		if ((rc = read_key(w, kt, at, &k[i]))) {
			n = i;
			break;
		}
		kt = sg_json_next(&w->j, kt + 1);
	}
	if (!rc && duplicates_by_hash(w, k, n, at, &rc)) {
		qsort(k, n, sizeof(*k), cmp_keyref);
		for (size_t i = 1; i < n; i++)
			if (!cmp_key(&k[i], &k[i - 1]))
				rc = duplicate(w, &k[i], at);
	}
	for (size_t i = 0; i < n; i++)
		if (k[i].owned)
			free((char *)k[i].key);
	free(k);
	return rc;
}

static int ascii_lower(unsigned c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

/* Go's encoding/json, which runc, Docker, containerd and CRI-O decode
 * with, matches a key to a field case-insensitively when no field matches
 * exactly (foldName: ASCII letters in either case, and the runes whose fold
 * is an ASCII letter: U+017F long s is s, U+212A Kelvin is k, U+0131 and
 * U+0130 are i). True when decoded key folds to the ASCII name. */
static int go_fold_eq(const char *key, const char *name)
{
	const unsigned char *k = (const unsigned char *)key;
	for (; *name; name++) {
		unsigned c;
		if (k[0] && k[0] < 0x80)
			c = *k++;
		else if (k[0] == 0xc5 && k[1] == 0xbf)
			c = 's', k += 2;
		else if (k[0] == 0xc4 && (k[1] == 0xb0 || k[1] == 0xb1))
			c = 'i', k += 2;
		else if (k[0] == 0xe2 && k[1] == 0x84 && k[2] == 0xaa)
			c = 'k', k += 3;
		else
			return 0;
		if (ascii_lower(c) != ascii_lower((unsigned char)*name))
			return 0;
	}
	return *k == 0;
}

/* Whether object t also has name exactly, as a key. */
static int has_key(struct walker *w, int t, const char *name)
{
	int kt = t + 1;
	for (int i = 0; i < w->j.tok[t].size; i++, kt = sg_json_next(&w->j, kt + 1))
		if (sg_json_str_eq(&w->j, kt, name))
			return 1;
	return 0;
}

/* A key no field has, even folded: runc ignores it, so a misspelt
 * "syscalls" leaves a profile with its default action alone. --strict
 * refuses it; the field it was probably meant as is named. */
static void unknown_field(struct walker *w, const struct sg_loc *l, const char *key, const char *shown,
			  const struct sg_field *fields)
{
	struct sg_suggester s;
	sg_suggest_init(&s, key);
	for (const struct sg_field *f = fields; f->name; f++)
		sg_suggest_try(&s, f->name);
	char hint[64] = "";
	if (s.best)
		snprintf(hint, sizeof(hint), " (did you mean \"%s\"?)", s.best);
	sg_strict_warning(w->d, w->file, l, "unknown field \"%s\"%s%s", shown, w->d->strict ? "" : " ignored", hint);
}

/* A key no field has exactly: an error if Go would read it as a field
 * (sysgate must not ignore what runc obeys), else a warning. -1 on error. */
static int unknown_key(struct walker *w, int t, int kt, const struct sg_loc *at, const struct sg_field *fields,
		       int warn_unknown)
{
	char shown[80];
	struct sg_loc l;
	int nul, rc = 0;
	char *key = sg_json_str(&w->j, kt, &nul);
	if (!key) {
		sg_json_loc(&w->j, kt, &l, at->path);
		return nul ? sg_walk_error(w, &l, "key contains a NUL character (\\u0000)") : sg_walk_oom(w, at);
	}
	const struct sg_field *f = fields;
	while (f->name && !go_fold_eq(key, f->name))
		f++;
	sg_quote(shown, sizeof(shown), key, strlen(key));
	sg_json_loc(&w->j, kt, &l, "");
	path_append(l.path, sizeof(l.path), at->path, key, strlen(key));
	if (f->name && has_key(w, t, f->name))
		rc = sg_walk_error(w, &l, "duplicate key: Go's JSON decoder (runc, Docker) reads \"%s\" as \"%s\" too, "
					  "and keeps the last; write one \"%s\"",
				   shown, f->name, f->name);
	else if (f->name)
		rc = sg_walk_error(w, &l, "Go's JSON decoder (runc, Docker) reads this key as \"%s\": write \"%s\"",
				   f->name, f->name);
	else if (warn_unknown)
		unknown_field(w, &l, key, shown, fields);
	free(key);
	return rc;
}

/* The field key token kt names exactly (the terminating entry when none):
 * a key without an escape is compared in place. */
static const struct sg_field *field_of(const struct walker *w, int kt, const struct sg_field *fields)
{
	const char *key = w->j.text + w->j.tok[kt].start;
	size_t len = (size_t)(w->j.tok[kt].end - w->j.tok[kt].start);
	const struct sg_field *f = fields;
	if (memchr(key, '\\', len)) {
		while (f->name && !sg_json_str_eq(&w->j, kt, f->name))
			f++;
		return f;
	}
	while (f->name && !(*f->name == *key && strncmp(f->name, key, len) == 0 && f->name[len] == '\0'))
		f++;
	return f;
}

int sg_walk_object(struct walker *w, int t, const struct sg_loc *at, const struct sg_field *fields, void *obj,
		   int warn_unknown)
{
	if (sg_walk_want(w, t, at, JSMN_OBJECT, "an object"))
		return -1;
	int rc = check_duplicates(w, t, at);
	int kt = t + 1;
	/* the fields' paths: the object's and a '/', written once (as for an
	 * array's elements, below), then the name where it cannot be cut short */
	char base[sizeof(at->path)];
	size_t nb = strnlen(at->path, sizeof(base) - 5);
	memcpy(base, at->path, nb);
	base[nb++] = '/';
	for (int i = 0; i < w->j.tok[t].size; i++) {
		int vt = kt + 1;
		const struct sg_field *f = field_of(w, kt, fields);
		size_t len = f->name ? strlen(f->name) : 0;
		if (f->name && nb + len + 1 + 4 <= sizeof(base)) { /* a field's name needs no escape */
			struct sg_loc l;
			sg_json_loc(&w->j, vt, &l, NULL);
			memcpy(l.path, base, nb);
			memcpy(l.path + nb, f->name, len + 1);
			if (f->fn && f->fn(w, vt, &l, obj))
				rc = -1;
		} else if (f->name) {
			struct sg_loc l;
			sg_walk_loc_key(w, vt, at, f->name, &l);
			if (f->fn && f->fn(w, vt, &l, obj))
				rc = -1;
		} else if (unknown_key(w, t, kt, at, fields, warn_unknown)) {
			rc = -1;
		}
		kt = sg_json_next(&w->j, vt);
	}
	return rc;
}

int sg_walk_array(struct walker *w, int t, const struct sg_loc *at, sg_field_fn fn, void *obj)
{
	if (sg_json_is_null(&w->j, t))
		return 0;
	if (sg_walk_want(w, t, at, JSMN_ARRAY, "an array"))
		return -1;
	int rc = 0, et = t + 1;
	/* the elements' paths: the array's and a '/', written once, then the
	 * index, when no index can make path_append cut the path short */
	char base[sizeof(at->path)];
	size_t nb = strnlen(at->path, sizeof(base) - 5);
	int whole = nb + 1 + 20 + 1 + 4 <= sizeof(base); /* '/', digits, NUL, path_append's margin */
	memcpy(base, at->path, nb);
	base[nb++] = '/';
	for (int i = 0; i < w->j.tok[t].size; i++) {
		struct sg_loc l;
		if (whole) {
			sg_json_loc(&w->j, et, &l, NULL);
			memcpy(l.path, base, nb);
			l.path[nb + put_index(l.path + nb, (size_t)i)] = '\0';
		} else {
			loc_index(w, et, at, (size_t)i, &l);
		}
		if (fn(w, et, &l, obj))
			rc = -1;
		et = sg_json_next(&w->j, et);
	}
	return rc;
}

int sg_walk_grow(void **v, size_t n, size_t size)
{
	/* room for 8 at first (most lists are short: one allocation), then
	 * twice as much at each power of two: appending is amortised O(1) */
	if (n ? n < 8 || (n & (n - 1)) : 0)
		return 0;
	void *nv = realloc(*v, (n ? n * 2 : 8) * size);
	if (!nv)
		return -1;
	*v = nv;
	return 0;
}

struct sg_strings {
	struct sg_strings *next;
	size_t used, cap;
	char s[];
};

void sg_walk_kept_join(struct sg_strings **into, struct sg_strings **from)
{
	struct sg_strings **tail = from;
	while (*tail)
		tail = &(*tail)->next;
	*tail = *into;
	*into = *from;
	*from = NULL;
}

void sg_walk_kept_free(struct sg_strings *kept)
{
	while (kept) {
		struct sg_strings *next = kept->next;
		free(kept);
		kept = next;
	}
}

/* Room for n bytes in the kept blocks (a new one of 4 KB or more when the
 * first is full), or NULL. Inline: once a name. */
static inline char *keep(struct walker *w, size_t n)
{
	struct sg_strings *b = *w->kept;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 4096 ? n : 4096;
		if (!(b = malloc(sizeof(*b) + cap)))
			return NULL;
		*b = (struct sg_strings){ .next = *w->kept, .cap = cap };
		*w->kept = b;
	}
	b->used += n;
	return b->s + b->used - n;
}

int sg_walk_push_string(struct walker *w, int t, const struct sg_loc *at, char ***v, size_t *n, struct sg_pos **pos)
{
	int nul;
	if (sg_walk_want(w, t, at, JSMN_STRING, "a string"))
		return -1;
	char *s = keep(w, (size_t)(w->j.tok[t].end - w->j.tok[t].start) + 1);
	if (!s || sg_walk_grow((void **)v, *n, sizeof(**v)) || (pos && sg_walk_grow((void **)pos, *n, sizeof(**pos))))
		return sg_walk_oom(w, at);
	sg_json_decode(&w->j, t, s, &nul);
	if (nul)
		return sg_walk_error(w, at, NUL_IN_STRING);
	if (pos)
		(*pos)[*n] = (struct sg_pos){ at->line, at->col };
	(*v)[(*n)++] = s;
	return 0;
}

int sg_walk_strings(struct walker *w, int t, const struct sg_loc *at, char ***v, size_t *n, struct sg_pos **pos,
		    const char *(*bad)(const char *s))
{
	if (sg_json_is_null(&w->j, t))
		return 0;
	if (sg_walk_want(w, t, at, JSMN_ARRAY, "an array"))
		return -1;
	int rc = 0, et = t + 1;
	for (int i = 0; i < w->j.tok[t].size; i++, et = sg_json_next(&w->j, et)) {
		const jsmntok_t *k = &w->j.tok[et];
		char *s = NULL;
		int nul = 1; /* until decoded */
		if (k->type == JSMN_STRING && (s = keep(w, (size_t)(k->end - k->start) + 1)) &&
		    !sg_walk_grow((void **)v, *n, sizeof(**v)) && !sg_walk_grow((void **)pos, *n, sizeof(**pos)))
			sg_json_decode(&w->j, et, s, &nul);
		const char *why = nul ? NULL : bad(s);
		if (!nul) {
			struct sg_loc l;
			sg_json_loc(&w->j, et, &l, NULL);
			(*pos)[*n] = (struct sg_pos){ l.line, l.col };
			(*v)[(*n)++] = s;
			if (!why)
				continue;
		}
		/* a problem: said at the element's location, the path built now */
		struct sg_loc l;
		loc_index(w, et, at, (size_t)i, &l);
		if (why ? sg_walk_error(w, &l, "%s", why) : sg_walk_push_string(w, et, &l, v, n, pos))
			rc = -1;
	}
	return rc;
}

int sg_walk_name(struct walker *w, int t, const struct sg_loc *at, const char *const *names, size_t n,
		 const char *what, int *out)
{
	char *s = sg_walk_string(w, t, at);
	if (!s)
		return -1;
	int rc = -1;
	for (size_t i = 0; i < n; i++)
		if (names[i] && strcmp(s, names[i]) == 0) {
			*out = (int)i;
			rc = 0;
		}
	if (rc) {
		char shown[80];
		const char *hint = sg_suggest(s, names, n);
		sg_quote(shown, sizeof(shown), s, strlen(s));
		if (hint)
			sg_walk_error(w, at, "unknown %s \"%s\" (did you mean %s?)", what, shown, hint);
		else
			sg_walk_error(w, at, "unknown %s \"%s\"", what, shown);
	}
	free(s);
	return rc;
}
