/* The worst shapes of input: see shapes.h. */
#include "shapes.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ERRNO_RULES "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
/* under an ALLOW default, so that `sysgate exec -- true` runs */
#define ONE_RULE "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_ERRNO\",\"names\":["

static size_t put(char *buf, const char *s)
{
	size_t n = strlen(s);
	memcpy(buf, s, n);
	return n;
}

static size_t empty_object(char *buf, size_t i) { return (void)i, put(buf, "{}"); }
static size_t key(char *buf, size_t i) { return (size_t)sprintf(buf, "\"k%zu\":0", i); }
static size_t same_key(char *buf, size_t i) { return (void)i, put(buf, "\"a\":0"); }
static size_t unknown_name(char *buf, size_t i) { return (size_t)sprintf(buf, "\"nosuch%zu\"", i); }
static size_t unknown_same(char *buf, size_t i) { return (void)i, put(buf, "\"nosuchcall\""); }
static size_t read_name(char *buf, size_t i) { return (void)i, put(buf, "\"read\""); }
static size_t other_arch(char *buf, size_t i) { return (void)i, put(buf, "\"_llseek\""); }

static const char *alternate(size_t i) { return i % 2 ? "SCMP_ACT_ALLOW" : "SCMP_ACT_KILL"; }

static size_t read_arg(char *buf, size_t i)
{
	return (size_t)sprintf(buf, "{\"names\":[\"read\"],\"action\":\"%s\",\"args\":[{\"index\":0,\"value\":%zu,"
				    "\"op\":\"SCMP_CMP_EQ\"}]}", alternate(i), i);
}

static size_t read_rule(char *buf, size_t i)
{
	return (size_t)sprintf(buf, "{\"names\":[\"read\"],\"action\":\"%s\"}", alternate(i));
}

static size_t high_word(char *buf, size_t i)
{
	return (size_t)sprintf(buf, "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
				    "\"value\":%llu,\"op\":\"SCMP_CMP_EQ\"}]}", (unsigned long long)(i + 1) << 32);
}

static size_t nested(char *buf, size_t i)
{
	(void)i;
	memset(buf, '[', 60); /* 60 levels, within the limit of 64 with the two around */
	memset(buf + 60, ']', 60);
	return 120;
}

const struct shape sg_shapes[] = {
	{ "array-of-objects", "rules {}: each an error (jsmn's closing brackets, the diagnostics)", ERRNO_RULES,
	  "]}", empty_object, "check exec" },
	{ "keys", "distinct keys in one object: each an unknown field (duplicate check, warnings)",
	  "{\"defaultAction\":\"SCMP_ACT_ALLOW\",", "}", key, "check" },
	{ "duplicate-keys", "one key repeated: a duplicate error and a warning each",
	  "{\"defaultAction\":\"SCMP_ACT_ALLOW\",", "}", same_key, "check" },
	{ "unknown-names", "distinct unknown syscall names (the did-you-mean)", ONE_RULE, "]}]}", unknown_name,
	  "check exec" },
	{ "unknown-name-repeated", "one unknown syscall name repeated (looked up once)", ONE_RULE, "]}]}",
	  unknown_same, "check" },
	{ "name-repeated", "\"read\" repeated in one rule (rules by number: stats, overlaps, plan)", ONE_RULE,
	  "]}]}", read_name, "check compile stats" },
	{ "other-arch-name", "a name of other arches repeated (the not-on-this-arch list)", ONE_RULE, "]}]}",
	  other_arch, "check" },
	{ "read-rules-args", "rules for read with argument tests (overlap pairs, an EQ set)", ERRNO_RULES, "]}",
	  read_arg, "check compile" },
	{ "read-rules", "unconditional rules for read, actions alternating (overlap warnings)", ERRNO_RULES, "]}",
	  read_rule, "check compile" },
	{ "eq-high-words", "argument values with distinct high words (the planner's EQ sets)", ERRNO_RULES, "]}",
	  high_word, "compile" },
	{ "nesting", "arrays 60 deep, repeated, in an ignored field",
	  "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"comment\":[", "]}", nested, "check" },
	{ "long-name", "one syscall name as long as the input (the edit distance)", ONE_RULE "\"", "\"]}]}", NULL,
	  "check" },
};
const size_t sg_nshapes = sizeof(sg_shapes) / sizeof(*sg_shapes);

const struct shape *sg_shape(const char *k)
{
	for (size_t i = 0; i < sg_nshapes; i++)
		if (strcmp(sg_shapes[i].key, k) == 0)
			return &sg_shapes[i];
	return NULL;
}

static int fill(const struct shape *s, size_t room, FILE *f)
{
	char buf[256];
	if (!s->item) { /* one long string */
		memset(buf, 'a', sizeof(buf));
		for (size_t n; room; room -= n) {
			n = room < sizeof(buf) ? room : sizeof(buf);
			if (fwrite(buf, 1, n, f) != n)
				return -1;
		}
		return 0;
	}
	for (size_t i = 0;; i++) {
		size_t n = s->item(buf + 1, i);
		const char *p = buf + 1;
		if (i > 0) { /* a comma before every item but the first */
			buf[0] = ',';
			p = buf;
			n++;
		}
		if (n > room && i >= 4)
			return 0;
		if (fwrite(p, 1, n, f) != n)
			return -1;
		room = n > room ? 0 : room - n;
	}
}

int sg_shape_write(const struct shape *s, size_t bytes, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	size_t fixed = strlen(s->head) + strlen(s->tail);
	int rc = fputs(s->head, f) < 0 || fill(s, bytes > fixed ? bytes - fixed : 0, f) || fputs(s->tail, f) < 0;
	int saved = errno;
	if (fclose(f) != 0 && !rc)
		return -1;
	errno = saved;
	return rc ? -1 : 0;
}
