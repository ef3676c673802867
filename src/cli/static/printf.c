/* The formatter of the static binary (make static only; other builds use
 * their libc's): musl's printf core with its floating-point half is about
 * 10 KB, this is about 3. musl's printf, fprintf, snprintf, vsnprintf,
 * dprintf and asprintf all end in vfprintf with a FILE of their own, and
 * this one hands what it formats to fwrite, which writes to any of them.
 *
 * What it does is C99's fprintf, as glibc does it, for everything sysgate
 * writes and more: flags - + space # 0, width and precision (digits or *),
 * lengths hh h l ll j z t L, conversions d i u o x X c s p % f F. The
 * choices C leaves open are glibc's: a null %s is "(null)" (nothing when
 * the precision is under 6), a null %p "(nil)", %p is %#lx, a NaN "nan"
 * or "-nan" by its sign bit. %f is exact for every double at every
 * precision: the value is written out in 32-bit limbs, its integer digits
 * divided out and its fraction's multiplied out, then rounded to nearest,
 * ties to even, as glibc and musl round under the default rounding mode
 * (the only mode sysgate runs in). Not done, since no source of sysgate
 * uses them: %e %E %g %G %a %A consume their argument and write nothing,
 * %n stores nothing (its pointer is read as a void *), %lc and %ls write
 * nothing, %Lf is rounded to a double first, + and space do nothing to a
 * %p (glibc signs it), and there are no positional arguments (%1$d).
 * tests/test_printf.c compares it with glibc's vsnprintf.
 *
 * Compiled into the test under its own name, sg_vformat; SG_STATIC_LIBC
 * (make static) makes it the C library's vfprintf. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef SG_STATIC_LIBC
#define sg_vformat vfprintf
#endif

int sg_vformat(FILE *restrict f, const char *restrict fmt, va_list ap);

enum { MINUS = 1, PLUS = 2, SPACE = 4, ALT = 8, ZERO = 16 };

struct out {
	FILE *f;
	size_t n, total;
	int err;
	char buf[256];
};

/* len bytes from s (step 1), or len copies of *s (step 0) */
static void emit(struct out *o, const char *s, size_t len, int step)
{
	o->total += len;
	while (len--) {
		if (o->n == sizeof o->buf) {
			o->err |= fwrite(o->buf, 1, o->n, o->f) != o->n;
			o->n = 0;
		}
		o->buf[o->n++] = *s;
		s += step;
	}
}

/* the field: padding, prefix (sign, 0x), zeros, the digits or text, more
 * zeros (a precision beyond the exact digits of a double), padding */
static void field(struct out *o, int fl, size_t w, const char *pre, size_t zeros, const char *s, size_t len,
		  size_t tail)
{
	size_t np = strlen(pre), n = np + zeros + len + tail, pad = w > n ? w - n : 0;
	if ((fl & (MINUS | ZERO)) == ZERO) { /* zeros after the sign, not spaces before it */
		zeros += pad;
		pad = 0;
	}
	if (!(fl & MINUS))
		emit(o, " ", pad, 0);
	emit(o, pre, np, 1);
	emit(o, "0", zeros, 0);
	emit(o, s, len, 1);
	emit(o, "0", tail, 0);
	if (fl & MINUS)
		emit(o, " ", pad, 0);
}

#define FL 34 /* fraction limbs: 1088 bits, past the 1074 of the smallest double */
#define IL 33 /* integer limbs: 1056 bits, past the 1024 of the largest */
#define IDIG 312 /* the largest double's 309 integer digits and a carry */

/* The finite |x| (its bits) to prec places (when under FL * 32, the rest
 * being zeros, *tail of them): the digits end at the returned start + *len. */
static char *fixed(char *buf, uint64_t bits, size_t prec, int dot, size_t *len, size_t *tail)
{
	uint32_t a[FL + IL] = {0}, any;
	unsigned e = bits >> 52 & 0x7ff;
	uint64_t m = bits & ((1ull << 52) - 1);
	if (e)
		m |= 1ull << 52;
	else
		e = 1;
	/* |x| = m * 2^(e - 1075), that times 2^(FL * 32) an integer in a[] */
	unsigned at = e - 1075 + FL * 32, sh = at % 32;
	a[at / 32] = (uint32_t)(m << sh);
	m >>= 32 - sh;
	a[at / 32 + 1] = (uint32_t)m;
	a[at / 32 + 2] = (uint32_t)(m >> 32);
	char *q = buf + IDIG, *r = q;
	do { /* the integer part's digits, last first */
		uint64_t rem = 0;
		any = 0;
		for (int i = FL + IL; i-- > FL;) {
			rem = rem << 32 | a[i];
			a[i] = (uint32_t)(rem / 10);
			any |= a[i];
			rem %= 10;
		}
		*--q = (char)('0' + rem);
	} while (any);
	if (prec || dot)
		*r++ = '.';
	size_t nf = prec < FL * 32 ? prec : FL * 32;
	*tail = prec - nf;
	while (nf--) { /* the fraction's, first first */
		uint64_t c = 0;
		for (int i = 0; i < FL; i++) {
			c += (uint64_t)a[i] * 10;
			a[i] = (uint32_t)c;
			c >>= 32;
		}
		*r++ = (char)('0' + c);
	}
	/* round up when what is left is over a half, or a half and the last digit odd */
	any = a[FL - 1] & 0x7fffffff;
	for (int i = 0; i < FL - 1; i++)
		any |= a[i];
	char *d = r - 1 - (r[-1] == '.');
	if (a[FL - 1] >> 31 && (any || (*d & 1))) {
		for (; d >= q; d--) {
			if (*d == '.')
				continue;
			if (*d < '9') {
				++*d;
				break;
			}
			*d = '0';
		}
		if (d < q)
			*--q = '1';
	}
	*len = (size_t)(r - q);
	return q;
}

/* a width or precision: digits, or * and the next argument */
static int number(const char **s, va_list *ap)
{
	const char *f = *s;
	int n = 0;
	if (*f == '*') {
		*s = f + 1;
		return va_arg(*ap, int);
	}
	while ((unsigned)(*f - '0') < 10)
		n = 10 * n + *f++ - '0';
	*s = f;
	return n;
}

/* an integer argument of length modifier len, of bits bits */
static uintmax_t integer(va_list *ap, int len, int *bits)
{
	switch (len) {
	case 'l':
		*bits = sizeof(long) * CHAR_BIT;
		return va_arg(*ap, unsigned long);
	case 'L': /* ll */
		*bits = sizeof(long long) * CHAR_BIT;
		return va_arg(*ap, unsigned long long);
	case 'j':
		*bits = sizeof(uintmax_t) * CHAR_BIT;
		return va_arg(*ap, uintmax_t);
	case 'z':
		*bits = sizeof(size_t) * CHAR_BIT;
		return va_arg(*ap, size_t);
	case 't':
		*bits = sizeof(ptrdiff_t) * CHAR_BIT;
		return (uintmax_t)va_arg(*ap, ptrdiff_t);
	}
	*bits = len == 'H' ? CHAR_BIT : len == 'h' ? sizeof(short) * CHAR_BIT : sizeof(int) * CHAR_BIT;
	return va_arg(*ap, unsigned);
}

struct spec {
	int fl, w, p, len, conv; /* p -1 when none; len 'H' for hh, 'L' for ll and L */
};

/* A conversion's flags, width, precision, length and letter, *s past the
 * '%' and then past them: 0 when the format ends first. */
static int parse(const char **s, va_list *ap, struct spec *sp)
{
	const char *f = *s, *c;
	int fl = 0, w, p = -1, len = 0;
	while (*f && (c = strchr("-+ #0", *f))) {
		fl |= 1 << (c - "-+ #0");
		f++;
	}
	w = number(&f, ap);
	if (w < 0) {
		fl |= MINUS;
		w = w == INT_MIN ? INT_MAX : -w;
	}
	if (*f == '.') {
		f++;
		p = number(&f, ap);
		p = p < 0 ? -1 : p;
	}
	if (*f && strchr("hlLjzt", *f)) {
		len = *f++;
		if ((len == 'h' || len == 'l') && *f == len) {
			len &= ~32;
			f++;
		}
	}
	*sp = (struct spec){fl, w, p, len, *f};
	*s = f + !!*f;
	return *f;
}

/* what a conversion writes, beside the spec's padding */
struct piece {
	const char *pre, *body; /* sign or 0x, then the digits or text */
	size_t n, zeros, tail; /* the body's length, zeros before it and after */
};

/* v's digits, ending at end, and the precision's zeros */
static void digits(struct spec *sp, struct piece *pc, uintmax_t v, char *end)
{
	unsigned base = sp->conv == 'o' ? 8 : sp->conv == 'x' || sp->conv == 'X' ? 16 : 10;
	char *t = end;
	if (sp->fl & ALT && v && base == 16)
		pc->pre = sp->conv == 'x' ? "0x" : "0X";
	for (; v; v /= base)
		*--t = "0123456789abcdef0123456789ABCDEF"[v % base + (sp->conv == 'X' ? 16 : 0)];
	pc->body = t;
	pc->n = (size_t)(end - t);
	if (sp->p >= 0)
		sp->fl &= ~ZERO;
	else
		sp->p = 1;
	if (sp->fl & ALT && base == 8 && (size_t)sp->p <= pc->n) /* the first digit a 0 */
		sp->p = (int)pc->n + 1;
	pc->zeros = (size_t)sp->p > pc->n ? (size_t)sp->p - pc->n : 0;
}

static const char *sign(int neg, int fl)
{
	return neg ? "-" : fl & PLUS ? "+" : fl & SPACE ? " " : "";
}

/* %f %F: into fbuf; 0 for the conversions left out */
static int floating(struct spec *sp, struct piece *pc, va_list *ap, char *fbuf)
{
	double x = sp->len == 'L' ? (double)va_arg(*ap, long double) : va_arg(*ap, double);
	if (sp->conv != 'f' && sp->conv != 'F')
		return 0;
	uint64_t xb;
	memcpy(&xb, &x, sizeof xb);
	pc->pre = sign(xb >> 63, sp->fl);
	if ((xb >> 52 & 0x7ff) == 0x7ff) {
		pc->body = &"infINFnanNAN"[(xb << 12 ? 6 : 0) + (sp->conv == 'F' ? 3 : 0)];
		pc->n = 3;
		sp->fl &= ~ZERO;
	} else {
		pc->body = fixed(fbuf, xb, sp->p < 0 ? 6 : (size_t)sp->p, sp->fl & ALT, &pc->n, &pc->tail);
	}
	return 1;
}

/* One conversion, *s past the '%': its argument formatted into o. */
static void convert(struct out *o, const char **s, va_list *ap)
{
	struct spec sp;
	if (!parse(s, ap, &sp))
		return;
	char tmp[24], fbuf[IDIG + 1 + FL * 32];
	struct piece pc = {.pre = "", .body = tmp, .n = 1};
	uintmax_t v;
	int bits;
	void *ptr = strchr("spn", sp.conv) ? va_arg(*ap, void *) : NULL; /* char * too, as C allows */
	switch (sp.conv) {
	case '%':
		pc.body = "%";
		sp.fl = sp.w = 0;
		break;
	case 'c':
		tmp[0] = (char)integer(ap, 0, &bits); /* an int, or a wint_t for %lc */
		if (sp.len)
			return;
		sp.fl &= ~ZERO;
		break;
	case 's':
		pc.body = ptr;
		if (sp.len)
			return;
		if (!pc.body)
			pc.body = sp.p < 0 || sp.p >= 6 ? "(null)" : "";
		pc.n = sp.p < 0 ? strlen(pc.body) : strnlen(pc.body, (size_t)sp.p);
		sp.fl &= ~ZERO;
		break;
	case 'p':
		v = (uintptr_t)ptr;
		if (!v) {
			pc.body = "(nil)";
			pc.n = 5;
			sp.fl &= ~ZERO;
			break;
		}
		sp.fl |= ALT;
		sp.conv = 'x';
		digits(&sp, &pc, v, tmp + sizeof tmp);
		break;
	case 'd':
	case 'i':
		v = integer(ap, sp.len, &bits);
		if (bits < 64) /* sign-extend */
			v = (uintmax_t)((intmax_t)(v << (64 - bits)) >> (64 - bits));
		pc.pre = sign((intmax_t)v < 0, sp.fl);
		digits(&sp, &pc, (intmax_t)v < 0 ? -v : v, tmp + sizeof tmp);
		break;
	case 'o':
	case 'u':
	case 'x':
	case 'X':
		v = integer(ap, sp.len, &bits);
		digits(&sp, &pc, bits < 64 ? v & (((uintmax_t)1 << bits) - 1) : v, tmp + sizeof tmp);
		break;
	default:
		if (!strchr("fFeEgGaA", sp.conv) || !floating(&sp, &pc, ap, fbuf))
			return;
	}
	field(o, sp.fl, (size_t)sp.w, pc.pre, pc.zeros, pc.body, pc.n, pc.tail);
}

int sg_vformat(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	struct out o = {.f = f};
	va_list aq;
	va_copy(aq, ap);
	for (const char *s = fmt; *s;) {
		if (*s != '%')
			emit(&o, s++, 1, 1);
		else
			s++, convert(&o, &s, &aq);
	}
	va_end(aq);
	if (o.n)
		o.err |= fwrite(o.buf, 1, o.n, f) != o.n;
	if (o.err)
		return -1;
	if (o.total > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)o.total;
}
