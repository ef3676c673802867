/* Emulate stage: the kernel's attach-time checks, an interpreter with the
 * semantics seccomp gives classic BPF, and the kernel's action-cache
 * emulation. Kernel references: net/core/filter.c (bpf_check_classic,
 * check_load_and_stores, bpf_convert_filter), kernel/seccomp.c
 * (seccomp_check_filter, seccomp_is_const_allow). Also an abstract run
 * over the paths a call with unknown fields can take: every answer. */
#include "sysgate/emulate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "sysgate/seccomp.h"

#define OP_ALU(op, src) (SG_BPF_ALU | (op) | (src))
#define OP_JMP(op, src) (SG_BPF_JMP | (op) | (src))

/* What an unchecked program gets for doing something the checker would have
 * refused (running off the end, an unknown opcode, a load outside
 * seccomp_data): the most restrictive action, as the kernel does whenever
 * its own filter state is unexpected. */
#define RET_BROKEN SG_RET_KILL_PROCESS

static int fail(char *why, size_t whylen, const char *fmt, ...) SG_PRINTF(3, 4);
static int fail(char *why, size_t whylen, const char *fmt, ...)
{
	if (why && whylen) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The opcodes seccomp_check_filter lets through, which are a subset of what
 * bpf_check_classic allows. Notably absent: BPF_MOD (classic BPF has it,
 * seccomp does not), byte/halfword and indirect loads, LDX MSH, RET X. */
static int seccomp_opcode(uint16_t code)
{
	switch (code) {
	case SG_BPF_LD | SG_BPF_W | SG_BPF_ABS:
	case SG_BPF_LD | SG_BPF_W | SG_BPF_LEN:
	case SG_BPF_LDX | SG_BPF_W | SG_BPF_LEN:
	case SG_BPF_LD | SG_BPF_IMM:
	case SG_BPF_LDX | SG_BPF_IMM:
	case SG_BPF_LD | SG_BPF_MEM:
	case SG_BPF_LDX | SG_BPF_MEM:
	case SG_BPF_ST:
	case SG_BPF_STX:
	case OP_ALU(SG_BPF_ADD, SG_BPF_K): case OP_ALU(SG_BPF_ADD, SG_BPF_X):
	case OP_ALU(SG_BPF_SUB, SG_BPF_K): case OP_ALU(SG_BPF_SUB, SG_BPF_X):
	case OP_ALU(SG_BPF_MUL, SG_BPF_K): case OP_ALU(SG_BPF_MUL, SG_BPF_X):
	case OP_ALU(SG_BPF_DIV, SG_BPF_K): case OP_ALU(SG_BPF_DIV, SG_BPF_X):
	case OP_ALU(SG_BPF_AND, SG_BPF_K): case OP_ALU(SG_BPF_AND, SG_BPF_X):
	case OP_ALU(SG_BPF_OR, SG_BPF_K): case OP_ALU(SG_BPF_OR, SG_BPF_X):
	case OP_ALU(SG_BPF_XOR, SG_BPF_K): case OP_ALU(SG_BPF_XOR, SG_BPF_X):
	case OP_ALU(SG_BPF_LSH, SG_BPF_K): case OP_ALU(SG_BPF_LSH, SG_BPF_X):
	case OP_ALU(SG_BPF_RSH, SG_BPF_K): case OP_ALU(SG_BPF_RSH, SG_BPF_X):
	case OP_ALU(SG_BPF_NEG, 0):
	case SG_BPF_MISC | SG_BPF_TAX:
	case SG_BPF_MISC | SG_BPF_TXA:
	case OP_JMP(SG_BPF_JA, 0):
	case OP_JMP(SG_BPF_JEQ, SG_BPF_K): case OP_JMP(SG_BPF_JEQ, SG_BPF_X):
	case OP_JMP(SG_BPF_JGT, SG_BPF_K): case OP_JMP(SG_BPF_JGT, SG_BPF_X):
	case OP_JMP(SG_BPF_JGE, SG_BPF_K): case OP_JMP(SG_BPF_JGE, SG_BPF_X):
	case OP_JMP(SG_BPF_JSET, SG_BPF_K): case OP_JMP(SG_BPF_JSET, SG_BPF_X):
	case SG_BPF_RET | SG_BPF_K:
	case SG_BPF_RET | SG_BPF_A:
		return 1;
	}
	return 0;
}

static int is_cond_jump(uint16_t code)
{
	return (code & 0x07) == SG_BPF_JMP && (code & 0xf0) != SG_BPF_JA;
}

static int is_ret(uint16_t code)
{
	return code == (SG_BPF_RET | SG_BPF_K) || code == (SG_BPF_RET | SG_BPF_A);
}

/* The per-instruction operand checks of bpf_check_classic and
 * seccomp_check_filter, for an opcode already known to be allowed. */
static int check_operands(const struct sg_insn *in, size_t pc, size_t len, char *why, size_t whylen)
{
	switch (in->code) {
	case SG_BPF_LD | SG_BPF_W | SG_BPF_ABS:
		if (in->k >= SG_SECCOMP_DATA_SIZE)
			return fail(why, whylen, "instruction %zu: load offset %u is outside seccomp_data (%d bytes)",
				    pc, in->k, SG_SECCOMP_DATA_SIZE);
		if (in->k & 3)
			return fail(why, whylen, "instruction %zu: load offset %u is not 4-byte aligned", pc, in->k);
		return 0;
	case OP_ALU(SG_BPF_DIV, SG_BPF_K):
		if (in->k == 0)
			return fail(why, whylen, "instruction %zu: division by constant 0", pc);
		return 0;
	case OP_ALU(SG_BPF_LSH, SG_BPF_K):
	case OP_ALU(SG_BPF_RSH, SG_BPF_K):
		if (in->k >= 32)
			return fail(why, whylen, "instruction %zu: shift by %u (must be below 32)", pc, in->k);
		return 0;
	case SG_BPF_LD | SG_BPF_MEM:
	case SG_BPF_LDX | SG_BPF_MEM:
	case SG_BPF_ST:
	case SG_BPF_STX:
		if (in->k >= SG_BPF_MEMWORDS)
			return fail(why, whylen, "instruction %zu: scratch memory index %u out of range (0-%d)", pc,
				    in->k, SG_BPF_MEMWORDS - 1);
		return 0;
	case OP_JMP(SG_BPF_JA, 0):
		/* k counts from the next instruction and is 32 bits wide. */
		if ((uint64_t)in->k >= (uint64_t)(len - pc - 1))
			return fail(why, whylen, "instruction %zu: jump out of range", pc);
		return 0;
	default:
		if (is_cond_jump(in->code) && (pc + 1 + in->jt >= len || pc + 1 + in->jf >= len))
			return fail(why, whylen, "instruction %zu: jump out of range", pc);
		return 0;
	}
}

/* check_load_and_stores: a single forward walk with one bit per scratch
 * word. A jump hands its current set to its targets (intersected with what
 * other paths bring) and resets the set, since the instruction after a jump
 * is only reached through jumps. A return does NOT reset it, so the
 * instruction after a return also inherits the return's set: the kernel is
 * stricter than path reachability there, and so are we, so that whatever we
 * accept the kernel accepts too. */
static int check_memory(const struct sg_insn *prog, size_t len, char *why, size_t whylen)
{
	uint16_t masks[SG_BPF_MAXINSNS];
	uint16_t valid = 0;

	for (size_t pc = 0; pc < len; pc++)
		masks[pc] = 0xffff;
	for (size_t pc = 0; pc < len; pc++) {
		const struct sg_insn *in = &prog[pc];

		valid &= masks[pc];
		switch (in->code) {
		case SG_BPF_ST:
		case SG_BPF_STX:
			valid |= (uint16_t)(1u << in->k);
			break;
		case SG_BPF_LD | SG_BPF_MEM:
		case SG_BPF_LDX | SG_BPF_MEM:
			if (!(valid & (1u << in->k)))
				return fail(why, whylen, "instruction %zu: M[%u] is read before it is written on every path",
					    pc, in->k);
			break;
		case OP_JMP(SG_BPF_JA, 0):
			masks[pc + 1 + in->k] &= valid;
			valid = 0xffff;
			break;
		default:
			if (is_cond_jump(in->code)) {
				masks[pc + 1 + in->jt] &= valid;
				masks[pc + 1 + in->jf] &= valid;
				valid = 0xffff;
			}
			break;
		}
	}
	return 0;
}

int sg_bpf_check(const struct sg_insn *prog, size_t len, char *why, size_t whylen)
{
	if (why && whylen)
		why[0] = '\0';
	if (len == 0 || !prog)
		return fail(why, whylen, "empty program");
	if (len > SG_BPF_MAXINSNS)
		return fail(why, whylen, "program has %zu instructions; the kernel allows at most %d", len,
			    SG_BPF_MAXINSNS);
	for (size_t pc = 0; pc < len; pc++) {
		if (!seccomp_opcode(prog[pc].code))
			return fail(why, whylen, "instruction %zu: opcode 0x%04x is not allowed in a seccomp filter", pc,
				    prog[pc].code);
		if (check_operands(&prog[pc], pc, len, why, whylen))
			return -1;
	}
	if (!is_ret(prog[len - 1].code))
		return fail(why, whylen, "instruction %zu: the last instruction is not a return", len - 1);
	return check_memory(prog, len, why, whylen);
}

/* ---- interpreter ------------------------------------------------------- */

static void put32(unsigned char *p, uint32_t v, enum sg_endian e)
{
	for (int i = 0; i < 4; i++) {
		int shift = e == SG_BIG_ENDIAN ? 24 - 8 * i : 8 * i;
		p[i] = (unsigned char)(v >> shift);
	}
}

static uint32_t get32(const unsigned char *p, enum sg_endian e)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++) {
		int shift = e == SG_BIG_ENDIAN ? 24 - 8 * i : 8 * i;
		v |= (uint32_t)p[i] << shift;
	}
	return v;
}

/* A u64 is two u32 words; which comes first is the target's byte order. */
static void put64(unsigned char *p, uint64_t v, enum sg_endian e)
{
	uint32_t lo = (uint32_t)v, hi = (uint32_t)(v >> 32);

	put32(p, e == SG_BIG_ENDIAN ? hi : lo, e);
	put32(p + 4, e == SG_BIG_ENDIAN ? lo : hi, e);
}

/* struct seccomp_data as the target's kernel lays it out in memory. */
static void layout(unsigned char buf[SG_SECCOMP_DATA_SIZE], const struct sg_seccomp_data *d, enum sg_endian e)
{
	put32(buf + SG_OFF_NR, d->nr, e);
	put32(buf + SG_OFF_ARCH, d->arch, e);
	put64(buf + SG_OFF_IP, d->ip, e);
	for (int i = 0; i < 6; i++)
		put64(buf + SG_OFF_ARGS + 8 * i, d->args[i], e);
}

struct machine {
	uint32_t a, x;
	uint32_t mem[SG_BPF_MEMWORDS];
	unsigned char data[SG_SECCOMP_DATA_SIZE];
	enum sg_endian e;
};

/* 32-bit ALU as the kernel runs it after converting classic BPF to eBPF
 * ALU32 operations: unsigned, wrapping modulo 2^32. Shifts by X use the low
 * five bits of X: the eBPF interpreter masks the amount with 31 explicitly
 * (kernel/bpf/core.c, since the 2021 "silence KUBSAN" fix), and the JITs
 * emit the CPU's 32-bit shift, which masks the same way on x86 and arm64.
 * Shifts by K never reach here with K >= 32 (the checker refuses them); we
 * mask anyway so an unchecked program cannot cause undefined behaviour.
 * Returns 0, or 1 when a division by X == 0 ends the program. */
static int alu(struct machine *m, uint16_t code, uint32_t k)
{
	uint32_t v = (code & SG_BPF_X) ? m->x : k;

	switch (code & 0xf0) {
	case SG_BPF_ADD: m->a += v; break;
	case SG_BPF_SUB: m->a -= v; break;
	case SG_BPF_MUL: m->a *= v; break;
	case SG_BPF_OR: m->a |= v; break;
	case SG_BPF_AND: m->a &= v; break;
	case SG_BPF_XOR: m->a ^= v; break;
	case SG_BPF_LSH: m->a <<= (v & 31); break;
	case SG_BPF_RSH: m->a >>= (v & 31); break;
	case SG_BPF_NEG: m->a = 0u - m->a; break;
	case SG_BPF_DIV:
	case SG_BPF_MOD:
		/* The kernel prefixes DIV/MOD by X with "if X == 0, return 0". */
		if (v == 0)
			return 1;
		m->a = (code & 0xf0) == SG_BPF_DIV ? m->a / v : m->a % v;
		break;
	default: return -1;
	}
	return 0;
}

static int cond_true(uint16_t code, uint32_t a, uint32_t v)
{
	switch (code & 0xf0) {
	case SG_BPF_JEQ: return a == v;
	case SG_BPF_JGT: return a > v;
	case SG_BPF_JGE: return a >= v;
	default: return (a & v) != 0; /* JSET */
	}
}

/* Loads and stores. Returns 0, or -1 for something only an unchecked program
 * can do. LD W ABS reads the word in the target's byte order, as the kernel
 * rewrites it into a plain 32-bit load from struct seccomp_data; LEN is
 * sizeof(struct seccomp_data), which seccomp substitutes as an immediate. */
static int load_store(struct machine *m, const struct sg_insn *in)
{
	uint32_t *reg = (in->code & 0x07) == SG_BPF_LDX ? &m->x : &m->a;

	switch (in->code) {
	case SG_BPF_LD | SG_BPF_W | SG_BPF_ABS:
		if (in->k > SG_SECCOMP_DATA_SIZE - 4)
			return -1;
		m->a = get32(m->data + in->k, m->e);
		return 0;
	case SG_BPF_LD | SG_BPF_W | SG_BPF_LEN:
	case SG_BPF_LDX | SG_BPF_W | SG_BPF_LEN:
		*reg = SG_SECCOMP_DATA_SIZE;
		return 0;
	case SG_BPF_LD | SG_BPF_IMM:
	case SG_BPF_LDX | SG_BPF_IMM:
		*reg = in->k;
		return 0;
	case SG_BPF_LD | SG_BPF_MEM:
	case SG_BPF_LDX | SG_BPF_MEM:
		if (in->k >= SG_BPF_MEMWORDS)
			return -1;
		*reg = m->mem[in->k];
		return 0;
	case SG_BPF_ST:
	case SG_BPF_STX:
		if (in->k >= SG_BPF_MEMWORDS)
			return -1;
		m->mem[in->k] = in->code == SG_BPF_ST ? m->a : m->x;
		return 0;
	default:
		return -1;
	}
}

uint32_t sg_bpf_run(const struct sg_insn *prog, size_t len, const struct sg_seccomp_data *d, enum sg_endian e,
		    size_t *executed, uint32_t *trace, size_t tracecap)
{
	/* A and X start at 0 (bpf_convert_filter clears them); M[] is left to
	 * the checker, but zeroed here so an unchecked read is deterministic. */
	struct machine m = { .e = e };
	size_t count = 0;
	uint32_t ret = RET_BROKEN;
	uint64_t pc = 0; /* 64-bit: pc + 1 + k cannot wrap, so jumps only go forward */

	layout(m.data, d, e);
	while (prog && pc < len) {
		const struct sg_insn *in = &prog[pc];
		uint16_t cls = in->code & 0x07;

		if (trace && count < tracecap)
			trace[count] = (uint32_t)pc;
		count++;
		if (cls == SG_BPF_RET) {
			ret = in->code == (SG_BPF_RET | SG_BPF_K) ? in->k
			      : in->code == (SG_BPF_RET | SG_BPF_A) ? m.a : RET_BROKEN;
			break;
		} else if (cls == SG_BPF_ALU) {
			int r = alu(&m, in->code, in->k);
			if (r) {
				ret = r > 0 ? 0 : RET_BROKEN;
				break;
			}
		} else if (cls == SG_BPF_JMP) {
			if ((in->code & 0xf0) == SG_BPF_JA)
				pc += in->k;
			else if ((in->code & 0xf0) > SG_BPF_JSET)
				break;
			else
				pc += cond_true(in->code, m.a, (in->code & SG_BPF_X) ? m.x : in->k) ? in->jt : in->jf;
		} else if (in->code == (SG_BPF_MISC | SG_BPF_TAX)) {
			m.x = m.a;
		} else if (in->code == (SG_BPF_MISC | SG_BPF_TXA)) {
			m.a = m.x;
		} else if (load_store(&m, in)) {
			break;
		}
		pc++;
	}
	if (executed)
		*executed = count;
	return ret;
}

/* ---- action cache ------------------------------------------------------- */

/* The kernel's seccomp_is_const_allow, run when a filter is attached, for
 * each syscall number below the native (and compat) table size: it follows
 * the one path that nr and arch select and gives up on anything that could
 * depend on other data. Its walk, reproduced exactly:
 *   - LD W ABS of nr or arch loads the known value; any other load, any
 *     other instruction (LD IMM, ALU other than AND K, TAX, any X operand,
 *     RET A, memory) means "not cacheable";
 *   - JA follows k; JEQ/JGE/JGT/JSET with K decide on the known value;
 *   - ALU AND K applies to the known value;
 *   - RET K is cacheable exactly when k is SECCOMP_RET_ALLOW (data 0);
 *   - running off the end is "not cacheable".
 * It reads the program as the user passed it, before seccomp rewrites LEN
 * loads, so LD LEN is not understood either. The byte order does not matter:
 * nr and arch are 32-bit fields at offsets 0 and 4 on every architecture.
 * Not modelled: newer kernels (2025, with stable backports) also treat
 * uretprobe, and later uprobe, on the native arch as always allowed before
 * looking at the filter; that is a property of the syscall, not of the
 * program, so a caller that cares adds it. */
int sg_bpf_cacheable(const struct sg_insn *prog, size_t len, uint32_t arch, uint32_t nr)
{
	uint32_t a = 0;

	for (uint64_t pc = 0; prog && pc < len; pc++) {
		const struct sg_insn *in = &prog[pc];

		switch (in->code) {
		case SG_BPF_LD | SG_BPF_W | SG_BPF_ABS:
			if (in->k == SG_OFF_NR)
				a = nr;
			else if (in->k == SG_OFF_ARCH)
				a = arch;
			else
				return 0;
			break;
		case SG_BPF_RET | SG_BPF_K:
			return in->k == SG_RET_ALLOW;
		case OP_JMP(SG_BPF_JA, 0):
			pc += in->k;
			break;
		case OP_JMP(SG_BPF_JEQ, SG_BPF_K):
		case OP_JMP(SG_BPF_JGE, SG_BPF_K):
		case OP_JMP(SG_BPF_JGT, SG_BPF_K):
		case OP_JMP(SG_BPF_JSET, SG_BPF_K):
			pc += cond_true(in->code, a, in->k) ? in->jt : in->jf;
			break;
		case OP_ALU(SG_BPF_AND, SG_BPF_K):
			a &= in->k;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

/* ---- every answer a program can give -------------------------------------- */

/* A 32-bit value, known or not. */
struct aword {
	uint32_t v;
	int known;
};

/* What holds on entry to one instruction, joined over the paths that reach it. */
struct astate {
	int reached;
	struct aword a, x, mem[SG_BPF_MEMWORDS];
};

static const struct aword UNKNOWN = { 0, 0 };

static struct aword join(struct aword p, struct aword q)
{
	return p.known && q.known && p.v == q.v ? p : UNKNOWN;
}

/* Hands a state on to a successor: the first path sets it, others join in. */
static void flow(struct astate *to, const struct astate *from)
{
	if (!to->reached) {
		*to = *from;
		return;
	}
	to->a = join(to->a, from->a);
	to->x = join(to->x, from->x);
	for (int i = 0; i < SG_BPF_MEMWORDS; i++)
		to->mem[i] = join(to->mem[i], from->mem[i]);
}

static void answer(struct sg_bpf_answers *out, uint32_t ret)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->ret[i] == ret)
			return;
	if (out->n < SG_ANSWERS_MAX)
		out->ret[out->n++] = ret;
	else
		out->open = 1;
}

/* The field a word at offset k (aligned, inside seccomp_data) belongs to. */
static unsigned field_at(uint32_t k)
{
	return k < SG_OFF_ARCH ? SG_FIELD_NR : k < SG_OFF_IP ? SG_FIELD_ARCH : k < SG_OFF_ARGS ? SG_FIELD_IP
	       : SG_FIELD_ARG((k - SG_OFF_ARGS) / 8);
}

/* One instruction that is neither a jump nor a return, on s. Returns 1 when
 * it can end the program (a division by an X that is or may be 0: return 0). */
static int astep(struct astate *s, const struct sg_insn *in, const unsigned char *data, unsigned known,
		 enum sg_endian e, struct sg_bpf_answers *out)
{
	uint16_t cls = in->code & 0x07;
	if (cls == SG_BPF_ALU) {
		int by_x = (in->code & SG_BPF_X) != 0;
		struct aword v = by_x ? s->x : (struct aword){ in->k, 1 };
		int div = (in->code & 0xf0) == SG_BPF_DIV;
		if (div && (!v.known || v.v == 0))
			answer(out, 0);
		if (div && v.known && v.v == 0)
			return 1;
		struct machine m = { .a = s->a.v, .x = v.v };
		alu(&m, in->code | SG_BPF_X, 0); /* with the operand in X */
		s->a = s->a.known && v.known ? (struct aword){ m.a, 1 } : UNKNOWN;
	} else if (in->code == (SG_BPF_MISC | SG_BPF_TAX)) {
		s->x = s->a;
	} else if (in->code == (SG_BPF_MISC | SG_BPF_TXA)) {
		s->a = s->x;
	} else if (in->code == (SG_BPF_LD | SG_BPF_W | SG_BPF_ABS)) {
		unsigned f = field_at(in->k);
		s->a = (known & f) ? (struct aword){ get32(data + in->k, e), 1 } : UNKNOWN;
		if (!(known & f))
			out->unknown |= f;
	} else if (in->code == SG_BPF_ST || in->code == SG_BPF_STX) {
		s->mem[in->k] = in->code == SG_BPF_ST ? s->a : s->x;
	} else { /* LD/LDX of M[k], an immediate or the length */
		struct aword *reg = cls == SG_BPF_LDX ? &s->x : &s->a;
		uint16_t mode = in->code & 0xe0;
		*reg = mode == SG_BPF_MEM   ? s->mem[in->k]
		       : mode == SG_BPF_LEN ? (struct aword){ SG_SECCOMP_DATA_SIZE, 1 }
					    : (struct aword){ in->k, 1 };
	}
	return 0;
}

/* A jump or return at pc, handing s on to its successors. */
static void abranch(struct astate *st, size_t pc, const struct sg_insn *in, struct sg_bpf_answers *out)
{
	const struct astate *s = &st[pc];
	if ((in->code & 0x07) == SG_BPF_RET) {
		if (in->code == (SG_BPF_RET | SG_BPF_K))
			answer(out, in->k);
		else if (s->a.known)
			answer(out, s->a.v);
		else
			out->open = 1;
	} else if ((in->code & 0xf0) == SG_BPF_JA) {
		flow(&st[pc + 1 + in->k], s);
	} else {
		struct aword v = (in->code & SG_BPF_X) ? s->x : (struct aword){ in->k, 1 };
		int decided = s->a.known && v.known, taken = decided && cond_true(in->code, s->a.v, v.v);
		if (!decided || taken)
			flow(&st[pc + 1 + in->jt], s);
		if (!decided || !taken)
			flow(&st[pc + 1 + in->jf], s);
	}
}

int sg_bpf_answers(const struct sg_insn *prog, size_t len, const struct sg_seccomp_data *d, unsigned known,
		   enum sg_endian e, struct sg_bpf_answers *out)
{
	*out = (struct sg_bpf_answers){ .n = 0 };
	if (sg_bpf_check(prog, len, NULL, 0))
		return -1;
	struct astate *st = calloc(len, sizeof(*st));
	if (!st)
		return -1;
	unsigned char data[SG_SECCOMP_DATA_SIZE];
	layout(data, d, e);
	/* A and X start at 0; M[] is read only once written (the checker) */
	st[0].reached = 1;
	st[0].a = st[0].x = (struct aword){ 0, 1 };
	/* jumps only go forward: every path into pc is in before pc is run */
	for (size_t pc = 0; pc < len; pc++) {
		const struct sg_insn *in = &prog[pc];
		uint16_t cls = in->code & 0x07;
		if (!st[pc].reached)
			continue;
		if (cls == SG_BPF_RET || cls == SG_BPF_JMP)
			abranch(st, pc, in, out);
		else if (!astep(&st[pc], in, data, known, e, out))
			flow(&st[pc + 1], &st[pc]);
	}
	free(st);
	return 0;
}

/* The kernel's ACTION_ONLY: the action bits read as a signed 32-bit value. */
static int64_t signed_action(uint32_t ret)
{
	uint32_t a = ret & SG_RET_ACTION_FULL;
	return a & 0x80000000u ? (int64_t)a - 0x100000000 : (int64_t)a;
}

uint32_t sg_bpf_run_stack(const struct sg_prog *progs, size_t n, const struct sg_seccomp_data *d, enum sg_endian e,
			  size_t *which)
{
	/* the kernel starts from ALLOW and keeps a filter's answer only when its
	 * action, as a signed value, is lower: KILL_PROCESS (0x80000000) lowest */
	uint32_t ret = SG_RET_ALLOW;
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t cur = sg_bpf_run(progs[i].insns, progs[i].len, d, e, NULL, NULL, 0);
		if (signed_action(cur) < signed_action(ret)) {
			ret = cur;
			w = i;
		}
	}
	if (which)
		*which = w;
	return ret;
}
