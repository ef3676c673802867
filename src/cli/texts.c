/* The packed texts (see cli.h, src/cli/tools/pack.c): an LZ77 stream of 7-bit text.
 * A byte below 0x80 is itself; a byte b at or above it starts a copy of
 * (b >> 4 & 7) + 3 bytes (10 or more: 10 plus the next byte) from
 * ((b & 15) << 8 | the byte after b) + 1 bytes back. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

char *cli_text(enum cli_text id, size_t *len)
{
	size_t start = id ? cli_packed_ends[id - 1] : 0, end = cli_packed_ends[id];
	char *out = malloc(end + 1);
	if (!out)
		return NULL;
	const unsigned char *in = cli_packed;
	size_t o = 0;
	while (o < end) {
		unsigned b = *in++;
		if (b < 0x80) {
			out[o++] = (char)b;
			continue;
		}
		size_t back = ((size_t)(b & 15) << 8 | *in++) + 1, n = (b >> 4 & 7) + 3;
		if (n == 10)
			n += *in++;
		if (n > end - o) /* a copy may run past the text wanted */
			n = end - o;
		for (; n; n--, o++)
			out[o] = out[o - back];
	}
	memmove(out, out + start, end - start);
	out[end - start] = 0;
	*len = end - start;
	return out;
}

void cli_help(enum cli_text id, FILE *out)
{
	size_t len;
	char *text = cli_text(id, &len);
	if (text)
		fwrite(text, 1, len, out);
	else
		fputs("sysgate: out of memory\n", stderr);
	free(text);
}

char *cli_default_profile(size_t *len)
{
	return cli_text(CLI_TEXT_DEFAULT_PROFILE, len);
}
