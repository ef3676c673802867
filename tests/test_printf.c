/* The static binary's own vfprintf and getdelim (src/cli/static/), built
 * here under their test names (sg_vformat, sg_getdelim) and compared with
 * glibc's vsnprintf and getdelim:
 *  - every conversion pattern sysgate's sources write with (PRIu32 and the
 *    like included), with values of their kind;
 *  - flags (every subset of - + space # 0) x widths x precisions x lengths
 *    (hh h none l ll z j t) x d i o u x X over edge values; the same for
 *    %s (null and long strings too), %c, %p and %f %F; * for width and
 *    precision, negative ones included;
 *  - %f: edge doubles (0, -0, ties such as 0.125 and 2.5, 0.005, 9.505,
 *    99.995, 1e15, 2^53, DBL_MAX, the smallest subnormal, inf, nan) at
 *    precisions up to 2000, random doubles of every exponent at precisions
 *    0..20, ratios as stats prints them and values next to decimal ties;
 *    the formatter is exact for every double at every precision, rounding
 *    to nearest, ties to even (the default rounding mode, the only one
 *    tested);
 *  - output over the formatter's 256-byte buffer, the count returned, -1
 *    and errno on a write error (/dev/full);
 *  - what the formatter leaves out writes nothing and takes its argument:
 *    %e %g %a, %n, %lc, %ls;
 *  - getdelim: empty input, lines with and without their delimiter, NUL
 *    bytes, long lines, other delimiters, a reused buffer.
 * SYSGATE_QUICK=1 (the valgrind run) takes every 4th systematic case. */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <wchar.h>

#include "check.h"
#include "sysgate/diag.h"

int sg_vformat(FILE *restrict f, const char *restrict fmt, va_list ap);
ssize_t sg_getdelim(char **restrict s, size_t *restrict n, int delim, FILE *restrict f);

static FILE *mem;
static char membuf[1 << 16], want[1 << 16];
static unsigned long cases, stride = 1, tick;

/* what sg_vformat writes, in membuf: returns its count */
static int vmine(size_t *len, const char *fmt, va_list ap) SG_PRINTF(2, 0);
static int vmine(size_t *len, const char *fmt, va_list ap)
{
	rewind(mem);
	int m = sg_vformat(mem, fmt, ap);
	fflush(mem);
	*len = (size_t)ftell(mem);
	return m;
}

static void vsame(const char *fmt, va_list ap) SG_PRINTF(1, 0);
static void vsame(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(want, sizeof want, fmt, ap);
	size_t len;
	int m = vmine(&len, fmt, aq);
	va_end(aq);
	cases++;
	int ok = n == m && len == (size_t)n && !memcmp(membuf, want, len);
	if (ok || check_failed >= 30) {
		ok ? check_passed++ : check_failed++;
		return;
	}
	CHECK(ok, "format \"%s\": glibc %d \"%.*s\", sg_vformat %d \"%.*s\"", fmt, n, n < 300 ? n : 300, want, m,
	      (int)(len < 300 ? len : 300), membuf);
}

/* a literal format, checked by the compiler */
static void same(const char *fmt, ...) SG_PRINTF(1, 2);
static void same(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsame(fmt, ap);
	va_end(ap);
}

/* built formats, and incomplete ones: not checked by the compiler */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* a built format: every stride-th one */
static void built(const char *fmt, ...)
{
	if (tick++ % stride)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsame(fmt, ap);
	va_end(ap);
}

static const char *mine(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t len;
	vmine(&len, fmt, ap);
	va_end(ap);
	membuf[len] = 0;
	return membuf;
}
#pragma GCC diagnostic pop

/* sysgate's own patterns, as its sources write them */
static void sources(void)
{
	const char *names[] = {"", "x86_64", "read", "a rather longer name than any column holds", NULL};
	uint64_t u64[] = {0, 1, 0xffffffff, 0x7fffffffffffffff, UINT64_MAX, 0xc000003e};
	for (int i = 0; i < 4; i++) {
		const char *s = names[i];
		size_t z = strlen(s) * 977;
		same("sysgate: %s: %s\n", s, "No such file or directory");
		same("%-3s [%s] %-12s %-24s %-26s %-10s|", s, s, s, s, s, s);
		same("%10s %9s %7s %6s %4s %14s|", s, s, s, s, s, s);
		same("%.*s%s%s", (int)strlen(s) / 2, s, *s ? "/" : "", "cmd");
		same("first %d bytes: comparing \"%.*s\"\n", 15, 15, s);
		same("%zu %7zu %6zu/%zu %4zu %11zu %04zu", z, z, z, z, z, z, z);
		same("%c%c \\%c", s[0] ? s[0] : 'q', '"', '\\');
	}
	for (int i = 0; i < 6; i++) {
		uint64_t v = u64[i];
		uint32_t w = (uint32_t)v;
		same("%u %d %x %08x %04x %02x %04u|", w, (int)w, w, w, w & 0xffff, w & 0xff, w & 0xffff);
		same("%llx %llu %lld %04llu %ld|", (unsigned long long)v, (unsigned long long)v, (long long)v,
		     (unsigned long long)v, (long)v);
		same("arch 0x%08" PRIx32 " nr %" PRIu32 "(%s0x%" PRIx64 ") %" PRIu64 " %" PRId64, w, w, ", ", v, v,
		     (int64_t)v);
		same("%-24s %-12s %10" PRIu64 "  %s\n", "openat", "x86_64", v, "SCMP_ACT_ALLOW");
	}
	double stats[][3] = {{9.508, 12.25, 50}, {0.005, 99.995, 99.5}, {1, 100, 0.5}, {9.505, 123456.789, 2.5}};
	for (int i = 0; i < 4; i++)
		same("%-12s %7zu %6.2f %4zu %12.2f %11zu %6zu/%zu (%.0f%%)\n", "x86_64", (size_t)373, stats[i][0],
		     (size_t)12, stats[i][1], (size_t)9, (size_t)3, (size_t)6, stats[i][2]);
	same("100%% %%s %s", "done");
}

static const char *const int_flags = "-+ #0";
static const char *const widths[] = {"", "1", "5", "25"};
static const char *const precs[] = {"", ".", ".0", ".1", ".3", ".12", ".25"};
static const char *const lens[] = {"hh", "h", "", "l", "ll", "z", "j", "t"};

static void flags_of(char *out, unsigned bits, const char *all)
{
	for (unsigned i = 0; all[i]; i++)
		if (bits >> i & 1)
			*out++ = all[i];
	*out = 0;
}

static void one_int(const char *fmt, const char *len, uint64_t v)
{
	if (!strcmp(len, "l"))
		built(fmt, (long)v);
	else if (!strcmp(len, "ll"))
		built(fmt, (long long)v);
	else if (!strcmp(len, "z"))
		built(fmt, (size_t)v);
	else if (!strcmp(len, "j"))
		built(fmt, (intmax_t)v);
	else if (!strcmp(len, "t"))
		built(fmt, (ptrdiff_t)v);
	else
		built(fmt, (int)v);
}

static void integers(void)
{
	const uint64_t vals[] = {0, 1, (uint64_t)-1, 7, 8, 255, 256, (uint64_t)-128, 32767, (uint64_t)-32768, 65535,
				 INT_MAX, (uint64_t)INT_MIN, UINT32_MAX, 123456789, (uint64_t)LLONG_MIN, LLONG_MAX,
				 0x123456789abcdef0, 0xc000003e};
	char fl[8], fmt[64];
	for (unsigned b = 0; b < 32; b++) {
		flags_of(fl, b, int_flags);
		for (size_t w = 0; w < sizeof widths / sizeof *widths; w++)
			for (size_t p = 0; p < sizeof precs / sizeof *precs; p++)
				for (size_t l = 0; l < sizeof lens / sizeof *lens; l++)
					for (const char *c = "diouxX"; *c; c++) {
						snprintf(fmt, sizeof fmt, "[%%%s%s%s%s%c]", fl, widths[w], precs[p],
							 lens[l], *c);
						for (size_t v = 0; v < sizeof vals / sizeof *vals; v++)
							one_int(fmt, lens[l], vals[v]);
					}
	}
}

static void strings(void)
{
	static char longs[3000];
	memset(longs, 'x', sizeof longs - 1);
	const char *vals[] = {"", "a", "hello", "(null)", "tab\there", longs, NULL};
	const char *sfl[] = {"", "-", "0", "-0", " +#"};
	const char *sw[] = {"", "1", "5", "6", "12", "3500"};
	const char *sp[] = {"", ".", ".0", ".1", ".5", ".6", ".7", ".100"};
	char fmt[64];
	for (size_t f = 0; f < 5; f++)
		for (size_t w = 0; w < 6; w++) {
			for (size_t p = 0; p < 8; p++) {
				snprintf(fmt, sizeof fmt, "<%%%s%s%ss>", sfl[f], sw[w], sp[p]);
				for (size_t v = 0; v < sizeof vals / sizeof *vals; v++)
					built(fmt, vals[v]);
			}
			snprintf(fmt, sizeof fmt, "<%%%s%sc>", sfl[f], sw[w]);
			for (int c = -1; c < 256; c += 16)
				built(fmt, c);
			built(fmt, 0);
			if (f == 4)
				continue; /* + and space: glibc signs a %p, C99 has them act on signed conversions only */
			snprintf(fmt, sizeof fmt, "<%%%s%sp>", sfl[f], sw[w]);
			built(fmt, (void *)0x7ffe1234);
			built(fmt, (void *)NULL);
			built(fmt, (void *)UINTPTR_MAX);
			snprintf(fmt, sizeof fmt, "<%%%s%s.3p>", sfl[f], sw[w]);
			built(fmt, (void *)0x12);
		}
	same("%p %p", (void *)&cases, (void *)NULL);
}

static void stars(void)
{
	const int n[] = {-1000, -30, -10, -1, 0, 1, 3, 10, 30};
	for (size_t i = 0; i < 9; i++) {
		for (size_t j = 0; j < 9; j++) {
			same("[%*d][%-*d][%.*d][%*.*d]", n[i], n[j], n[i], n[j], n[i], n[j], n[i], n[j] % 40, 42);
			same("[%*s][%.*s][%*.*s][%-*c]", n[j] % 40, "abc", n[i], "abcdef", n[i] % 40, n[j], "xyz", n[j] % 40,
			     'q');
			same("[%*.*f][%0*.*f][%-*.*F]", n[i] % 40, n[j] % 40, 2.5, n[i] % 40, n[j] % 40, -0.125,
			     n[i] % 40, n[j] % 40, 1e10 / 3);
		}
	}
}

static const double edges[] = {0, -0.0, 0.005, 0.015, 0.025, 0.125, 0.375, 0.5, 1.5, 2.5, 3.5, 9.505, 9.995,
				99.995, 100, 1e6, 123456.789, 9.508, 0.1, 1.0 / 3, 2.0 / 3, 1e15, 1e15 + 0.3, 9007199254740992.0,
				18446744073709551616.0, 1e22, 1e23, 1e300, DBL_MAX, DBL_MIN, DBL_TRUE_MIN, 5e-7, 4.9999995e-7,
				-1.5, -9.505, -99.995, -DBL_MAX, INFINITY, -INFINITY, NAN, -NAN};

static void floats(void)
{
	const char *fw[] = {"", "1", "8", "14", "30"};
	const char *fp[] = {"", ".", ".0", ".1", ".2", ".3", ".5", ".6", ".10", ".17", ".25"};
	char fl[8], fmt[64];
	for (unsigned b = 0; b < 32; b++) {
		flags_of(fl, b, int_flags);
		for (size_t w = 0; w < 5; w++)
			for (size_t p = 0; p < sizeof fp / sizeof *fp; p++)
				for (const char *c = "fF"; *c; c++) {
					snprintf(fmt, sizeof fmt, "[%%%s%s%s%c]", fl, fw[w], fp[p], *c);
					for (size_t v = 0; v < sizeof edges / sizeof *edges; v++)
						built(fmt, edges[v]);
				}
	}
	for (size_t v = 0; v < sizeof edges / sizeof *edges; v++) {
		same("%.330f|%.1074f|%.1100f", edges[v], edges[v], edges[v]);
		same("%#.2000f", edges[v]);
		if (isfinite(edges[v])) /* valgrind's long double has no infinities */
			same("%Lf|%.3Lf", (long double)edges[v], (long double)edges[v]);
	}
}

/* random doubles: every exponent, the ratios stats prints, and values next to decimal ties */
static void random_floats(void)
{
	uint64_t seed = 20240611;
	char fmt[32];
	for (unsigned long i = 0; i < 300000 / stride; i++) {
		uint64_t r = splitmix64(&seed);
		double x;
		memcpy(&x, &r, sizeof x);
		snprintf(fmt, sizeof fmt, "%%.%uf", (unsigned)(r >> 7) % 21);
		built(fmt, x);
		double a = (double)(splitmix64(&seed) % 1000000), d = (double)(1 + splitmix64(&seed) % 100000);
		same("%6.2f %12.2f (%.0f%%) %.1f %.3f", a / d, a / d * 1000, 100 * a / (a + d), a / d, a / d / 1000);
		/* (2k+1) / 2 * 10^-p: a decimal tie, in binary a little over or under it, or on it */
		unsigned p = (unsigned)(r % 7);
		double k = (double)(splitmix64(&seed) % 100000000), tie = (2 * k + 1) / (2 * pow(10, p));
		snprintf(fmt, sizeof fmt, "%%.%uf %%.%uf %%.%uf", p, p, p);
		built(fmt, tie, nextafter(tie, 0), nextafter(tie, INFINITY));
		/* binary fractions: exact ties at their last place but one */
		unsigned j = 1 + (unsigned)(r >> 40) % 12;
		double y = ldexp((double)(splitmix64(&seed) % 100000), -(int)j);
		snprintf(fmt, sizeof fmt, "%%.%uf %%.%uf", j - 1, j);
		built(fmt, y, -y);
	}
}

static void buffer_and_errors(void)
{
	static char longs[5000];
	memset(longs, 'y', sizeof longs - 1);
	same("%s|%1000d|%-1000s|%s", longs, 42, "left", longs + 4000);
	char fmt[600];
	memset(fmt, 'z', sizeof fmt - 1);
	fmt[sizeof fmt - 1] = 0;
	fmt[300] = '%', fmt[301] = 'd';
	built(fmt, 1234);
	CHECK(!strcmp(mine("%e|%E|%g|%G|%a|%A|%d", 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7), "||||||7"), "%s", membuf);
	int pos = -1;
	CHECK(!strcmp(mine("a%nb%lc|%ls|%Le|%d", &pos, (wint_t)'x', L"wide", (long double)1, 8), "ab|||8") && pos == -1,
	      "%s %d", membuf, pos);
	CHECK(!strcmp(mine("%"), "") && !strcmp(mine("a%l"), "a"), "%s", membuf);
}

static int to_full(FILE *f, const char *fmt, ...) SG_PRINTF(2, 3);
static int to_full(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = sg_vformat(f, fmt, ap);
	va_end(ap);
	return r;
}

static void write_error(void)
{
	FILE *full = fopen("/dev/full", "w");
	CHECK(full != NULL, "/dev/full: %s", strerror(errno));
	if (!full)
		return;
	setvbuf(full, NULL, _IONBF, 0);
	errno = 0;
	int r = to_full(full, "%s %d", "abc", 42);
	CHECK(r == -1 && errno == ENOSPC, "%d %s", r, strerror(errno));
	fclose(full);
}

static void getdelim_one(const char *text, size_t len, int delim)
{
	FILE *a = fmemopen((void *)text, len ? len : 1, "r"), *b = fmemopen((void *)text, len ? len : 1, "r");
	if (!len) { /* fmemopen wants a size: read the one byte first */
		fgetc(a);
		fgetc(b);
	}
	char *sa = NULL, *sb = NULL;
	size_t na = 0, nb = 0;
	ssize_t ra, rb;
	do {
		ra = getdelim(&sa, &na, delim, a);
		rb = sg_getdelim(&sb, &nb, delim, b);
		CHECK(ra == rb && (ra < 0 || (!memcmp(sa, sb, (size_t)ra + 1) && nb > (size_t)rb)),
		      "getdelim on %zu bytes, delimiter %d: %zd, %zd", len, delim, ra, rb);
	} while (ra >= 0 && ra == rb);
	CHECK(feof(b) && !ferror(b), "getdelim: not at the end");
	free(sa);
	free(sb);
	fclose(a);
	fclose(b);
}

static void getdelims(void)
{
	static char big[300000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = i % 1000 == 999 ? '\n' : i % 70000 == 5 ? 0 : (char)('a' + i % 26);
	for (size_t i = 70000; i < 200000; i++)
		big[i] = 'q'; /* a line of 130,000 bytes */
	const char *texts[] = {"", "\n", "a", "a\n", "a\nb", "a\nb\n", "\n\n\nx", "nul\0in\nline\0", "type=1326 msg=x\n"};
	size_t sizes[] = {0, 1, 1, 2, 3, 4, 5, 13, 16};
	for (size_t i = 0; i < 9; i++) {
		getdelim_one(texts[i], sizes[i], '\n');
		getdelim_one(texts[i], sizes[i], 0);
	}
	getdelim_one(big, sizeof big, '\n');
	getdelim_one(big, sizeof big, 'q');
	getdelim_one(big, sizeof big, 0);
	getdelim_one(big, 127, 'z');
	getdelim_one(big, 128, 'z');
	getdelim_one(big, 129, 'z');
}

int main(void)
{
	const char *quick = getenv("SYSGATE_QUICK");
	stride = quick && *quick && strcmp(quick, "0") ? 4 : 1;
	mem = fmemopen(membuf, sizeof membuf, "w");
	if (!mem)
		return perror("fmemopen"), 1;
	sources();
	integers();
	strings();
	stars();
	floats();
	random_floats();
	buffer_and_errors();
	write_error();
	fclose(mem);
	getdelims();
	printf("test_printf: %lu formats compared with glibc\n", cases);
	return check_summary("test_printf");
}
