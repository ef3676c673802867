/* Plan stage, argument tests: a rule's conditions as tests of 32-bit
 * words of seccomp_data, the ones that cannot fail dropped (see plan.h). */
#include "plan_impl.h"

/* ---- 32-bit word tests, with the ones that cannot fail dropped ------------ */

/* (word & mask) == value, as the cheapest test that decides it:
 *   ld [off]; jeq #value, t, f              the whole word
 *   ld [off]; and #mask; jeq #value, t, f   a mask
 *   ld [off]; jset #mask, f, t              value 0: no bit of the mask set; A keeps the
 *                                           whole word, so the next test of it needs no load
 *   ld [off]; jset #mask, t, f              a one-bit mask, that bit set
 * and no test where the answer is fixed: value has bits outside the mask
 * (never), or the mask is 0 (always). */
uint32_t sg_planner_word_eq(struct planner *pl, unsigned off, uint32_t mask, uint32_t value, uint32_t t, uint32_t f)
{
	if (value & ~mask)
		return f;
	if (mask == 0)
		return t;
	if (value == 0) /* no bit of the mask set: JSET, and A keeps the word */
		return sg_planner_test(pl, off, WORD, SG_BPF_JSET, mask, f, t);
	if (mask == WORD)
		return sg_planner_test(pl, off, WORD, SG_BPF_JEQ, value, t, f);
	if (value == mask && (mask & (mask - 1)) == 0)
		return sg_planner_test(pl, off, WORD, SG_BPF_JSET, mask, t, f);
	return sg_planner_test(pl, off, mask, SG_BPF_JEQ, value, t, f);
}

/* word > k: ld [off]; jgt #k, t, f. No word is above 0xffffffff: no test. */
static uint32_t word_gt(struct planner *pl, unsigned off, uint32_t k, uint32_t t, uint32_t f)
{
	return k == WORD ? f : sg_planner_test(pl, off, WORD, SG_BPF_JGT, k, t, f);
}

/* word >= k: ld [off]; jge #k, t, f. Every word is >= 0: no test. */
static uint32_t word_ge(struct planner *pl, unsigned off, uint32_t k, uint32_t t, uint32_t f)
{
	return k == 0 ? t : sg_planner_test(pl, off, WORD, SG_BPF_JGE, k, t, f);
}

/* Unsigned 64-bit a > v (or >= when ge): the high word decides unless equal.
 *   ld [hi]; jgt #vh, t, 1f
 *   1: jeq #vh, 2f, f                 A still holds the high word
 *   2: ld [lo]; jgt #vl, t, f         jge for >=
 * A low test that always holds (>= 0) leaves "hi >= vh", one that never
 * does (> 0xffffffff) "hi > vh": one test either way. */
static uint32_t gt64(struct planner *pl, unsigned hi, unsigned lo, uint64_t v, int ge, uint32_t t, uint32_t f)
{
	uint32_t vh = (uint32_t)(v >> 32), vl = (uint32_t)v;
	uint32_t low = ge ? word_ge(pl, lo, vl, t, f) : word_gt(pl, lo, vl, t, f);
	if (low == t)
		return word_ge(pl, hi, vh, t, f);
	if (low == f)
		return word_gt(pl, hi, vh, t, f);
	return word_gt(pl, hi, vh, t, sg_planner_word_eq(pl, hi, WORD, vh, low, f));
}

/* Offsets of an argument's low and high words: args are u64 in the
 * target's byte order inside seccomp_data. */
void sg_planner_arg_words(const struct sg_arch *arch, unsigned index, unsigned *lo, unsigned *hi)
{
	unsigned base = SG_OFF_ARGS + 8 * index;
	*lo = base + (arch->endian == SG_BIG_ENDIAN ? 4 : 0);
	*hi = base + (arch->endian == SG_BIG_ENDIAN ? 0 : 4);
}

/* ---- arguments the kernel reads narrower than the word --------------------- */

/* Whether v is a value the canonical register of such an argument can
 * hold (resolve.h, sg_arg_canon): the low bits zero- or sign-extended. */
int sg_planner_narrow_holds(uint64_t v, enum sg_arg_read rd)
{
	switch (rd) {
	case SG_READ_U16: return v >> 16 == 0;
	case SG_READ_U32: return v >> 32 == 0;
	case SG_READ_S32: return v >> 31 == 0 || v >> 31 == 0x1ffffffffu;
	case SG_READ_WORD: break;
	}
	return 1;
}

/* The least low bits L whose canonical register is >= v; lmask + 1 when
 * none is. The register grows with L: a negative int's sign extension
 * sorts above every non-negative one, as its low word does. */
static uint64_t narrow_least_from(uint64_t v, enum sg_arg_read rd, uint32_t lmask)
{
	if (rd != SG_READ_S32)
		return v <= lmask ? v : (uint64_t)lmask + 1;
	if (v <= 0x7fffffffu)
		return v;
	if (v <= 0xffffffff80000000u)
		return 0x80000000u; /* the least negative int, -2^31 */
	return v & 0xffffffffu;
}

/* canonical >= v, as a test of the low bits alone:
 *   ld [lo]; jge #L, t, f                 int, unsigned int: the low word
 *   ld [lo]; and #0xffff; jge #L, t, f    umode_t, ipc's call */
static uint32_t narrow_ge(struct planner *pl, unsigned lo, uint32_t lmask, enum sg_arg_read rd, uint64_t v, uint32_t t,
			  uint32_t f)
{
	uint64_t l = narrow_least_from(v, rd, lmask);
	if (l == 0)
		return t;
	if (l > lmask)
		return f;
	return sg_planner_test(pl, lo, lmask, SG_BPF_JGE, (uint32_t)l, t, f);
}

/* (canonical & m) == d of a signed 32-bit argument: the high word is the
 * sign bit repeated, so the mask's high half asks for a sign, tested with
 * the low word's own mask:
 *   ld [lo]; and #(mlo | 0x80000000); jeq #(dlo | sign << 31), t, f */
static uint32_t narrow_masked_s32(struct planner *pl, unsigned lo, uint64_t m, uint64_t d, uint32_t t, uint32_t f)
{
	uint32_t mlo = (uint32_t)m, mhi = (uint32_t)(m >> 32), dlo = (uint32_t)d, dhi = (uint32_t)(d >> 32);
	if (mhi == 0)
		return sg_planner_word_eq(pl, lo, mlo, dlo, t, f);
	uint32_t sign;
	if (dhi == 0)
		sign = 0;
	else if (dhi == mhi)
		sign = 0x80000000u;
	else
		return f; /* the high word is all zeros or all ones */
	if ((mlo & 0x80000000u) && (dlo & 0x80000000u) != sign)
		return f;
	return sg_planner_word_eq(pl, lo, mlo | 0x80000000u, (dlo & ~0x80000000u) | sign, t, f);
}

/* A condition on an argument the kernel reads narrower than the word
 * (int, unsigned int, umode_t, ipc's call): decided on the low bits L
 * the kernel keeps, the way the reference decides it on the canonical
 * register (resolve.h) — the high word is never loaded. On a 32-bit ABI
 * the value is first truncated to 32 bits, as there for every argument. */
static uint32_t narrow_node(struct planner *pl, const struct sg_arch *arch, unsigned lo, const struct sg_cond *cd,
			    enum sg_arg_read rd, uint32_t t, uint32_t f)
{
	uint64_t top = arch->bits == 32 ? WORD : UINT64_MAX;
	uint32_t lmask = rd == SG_READ_U16 ? 0xffffu : WORD;
	uint64_t v = cd->value & top;
	switch (cd->op) {
	case SG_CMP_EQ:
	case SG_CMP_NE: {
		uint32_t yes = cd->op == SG_CMP_EQ ? t : f, no = cd->op == SG_CMP_EQ ? f : t;
		return sg_planner_narrow_holds(v, rd) ? sg_planner_word_eq(pl, lo, lmask, (uint32_t)v & lmask, yes, no) : no;
	}
	case SG_CMP_GE: return narrow_ge(pl, lo, lmask, rd, v, t, f);
	case SG_CMP_LT: return narrow_ge(pl, lo, lmask, rd, v, f, t);
	case SG_CMP_GT: return v == top ? f : narrow_ge(pl, lo, lmask, rd, v + 1, t, f);
	case SG_CMP_LE: return v == top ? t : narrow_ge(pl, lo, lmask, rd, v + 1, f, t);
	case SG_CMP_MASKED_EQ: {
		uint64_t m = v, d = cd->value_two & m; /* libseccomp masks the datum too */
		if (rd == SG_READ_S32)
			return narrow_masked_s32(pl, lo, m, d, t, f);
		return d & ~(uint64_t)lmask ? f : sg_planner_word_eq(pl, lo, (uint32_t)m & lmask, (uint32_t)d, t, f);
	}
	}
	return f;
}

/* One condition of a rule, as tests of the argument's words:
 *   EQ:   ld [lo]; jeq #vl, 1f, f;  1: ld [hi]; jeq #vh, t, f    NE: t and f swapped
 *   GT, GE: gt64;  LE, LT: not GT, not GE (gt64, t and f swapped)
 *   MASKED_EQ: word_eq on each word with its own mask; a word masked to 0 has no test
 * On a 32-bit ABI, one test of the low word; a narrower argument: narrow_node. */
uint32_t sg_planner_cond(struct planner *pl, const struct sg_arch *arch, const struct sg_cond *cd,
			 enum sg_arg_read rd, uint32_t t, uint32_t f)
{
	unsigned lo, hi;
	sg_planner_arg_words(arch, cd->index, &lo, &hi);
	uint64_t v = cd->value;
	if (rd != SG_READ_WORD)
		return narrow_node(pl, arch, lo, cd, rd, t, f);
	if (arch->bits == 32) {
		/* 32-bit ABIs: only the low word is the argument (some kernels
		 * sign-extend it into the high one); values are truncated to 32
		 * bits, as libseccomp does */
		uint32_t k = (uint32_t)v;
		switch (cd->op) {
		case SG_CMP_EQ: return sg_planner_word_eq(pl, lo, WORD, k, t, f);
		case SG_CMP_NE: return sg_planner_word_eq(pl, lo, WORD, k, f, t);
		case SG_CMP_GT: return word_gt(pl, lo, k, t, f);
		case SG_CMP_GE: return word_ge(pl, lo, k, t, f);
		case SG_CMP_LE: return word_gt(pl, lo, k, f, t);
		case SG_CMP_LT: return word_ge(pl, lo, k, f, t);
		case SG_CMP_MASKED_EQ: return sg_planner_word_eq(pl, lo, k, (uint32_t)(cd->value_two & v), t, f);
		}
		return f;
	}
	switch (cd->op) {
	case SG_CMP_EQ:
		/* the low word first: it tells values apart sooner */
		return sg_planner_word_eq(pl, lo, WORD, (uint32_t)v, sg_planner_word_eq(pl, hi, WORD, (uint32_t)(v >> 32), t, f), f);
	case SG_CMP_NE:
		return sg_planner_word_eq(pl, lo, WORD, (uint32_t)v, sg_planner_word_eq(pl, hi, WORD, (uint32_t)(v >> 32), f, t), t);
	case SG_CMP_GT: return gt64(pl, hi, lo, v, 0, t, f);
	case SG_CMP_GE: return gt64(pl, hi, lo, v, 1, t, f);
	case SG_CMP_LE: return gt64(pl, hi, lo, v, 0, f, t);
	case SG_CMP_LT: return gt64(pl, hi, lo, v, 1, f, t);
	case SG_CMP_MASKED_EQ: {
		uint64_t m = cd->value, d = cd->value_two & m; /* libseccomp masks the datum too */
		uint32_t high = sg_planner_word_eq(pl, hi, (uint32_t)(m >> 32), (uint32_t)(d >> 32), t, f);
		return sg_planner_word_eq(pl, lo, (uint32_t)m, (uint32_t)d, high, f);
	}
	}
	return f;
}
