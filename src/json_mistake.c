/* JSON layer of the parse stage: what stopped the strict check (json.c),
 * said as the mistake a person makes. Runs only on an error. */
#include "json.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#ifdef SG_STATIC_LIBC

/* The static binary's size limit: the check's own message, at its place. */
const char *sg_json_mistake(const char *s, size_t n, size_t *at, const char *err, char *buf, size_t bufsz)
{
	(void)s, (void)n, (void)at, (void)buf, (void)bufsz;
	return err;
}

#else

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '$' || c == '-' ||
	       c == '.';
}

/* What stopped the check at s[*at], said as the mistake it most likely is
 * (a comment, a trailing comma, single quotes, a word not quoted), into buf
 * with *at moved to the mistake; else err. Runs only on an error. */
const char *sg_json_mistake(const char *s, size_t n, size_t *at, const char *err, char *buf, size_t bufsz)
{
	size_t i = *at, prev = i, w = i;
	char c = i < n ? s[i] : 0, close = c;
	while (prev > 0 && is_ws(s[prev - 1]))
		prev--;
	while (w < n && w - i < 40 && is_word_char(s[w]))
		w++;
	int in_key = strcmp(err, "expected a string key") == 0, in_value = strcmp(err, "expected a JSON value") == 0;
	if (i == 0 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		return "the text starts with a byte order mark (U+FEFF): JSON allows none";
	if (c == '#' || (c == '/' && i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '*'))) {
		snprintf(buf, bufsz, "a comment (\"%.*s\"): JSON allows none", c == '#' ? 1 : 2, s + i);
		return buf;
	}
	if (((in_key && close == '}') || (in_value && close == ']')) && prev > 0 && s[prev - 1] == ',') {
		*at = prev - 1;
		snprintf(buf, bufsz, "trailing comma before \"%c\" (JSON allows none)", close);
		return buf;
	}
	if (c == '\'' && (in_key || in_value))
		return "a single-quoted string: JSON strings take double quotes";
	if (w > i && !is_digit(c) && c != '-' && (in_key || in_value)) {
		int literal = (w - i == 4 && (!strncasecmp(s + i, "true", 4) || !strncasecmp(s + i, "null", 4))) ||
			      (w - i == 5 && !strncasecmp(s + i, "false", 5));
		snprintf(buf, bufsz, literal ? "\"%.*s\": JSON's literals are true, false and null, in lower case"
				 : in_key ? "unquoted key \"%.*s\": JSON keys take double quotes"
					  : "unquoted string \"%.*s\": JSON strings take double quotes",
			 (int)(w - i), s + i);
		return buf;
	}
	if (!strncmp(err, "expected ','", 12) && (c == '"' || c == '{' || c == '[' || is_digit(c))) {
		snprintf(buf, bufsz, "%s: a comma is missing before this", err);
		return buf;
	}
	return err;
}

#endif
