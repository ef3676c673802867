/* Unit tests of the emulate and disassemble stages: hand-assembled programs
 * for each opcode's semantics, the kernel's attach-time checks, the action
 * cache port and a disassembly smoke test. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sysgate/disasm.h"
#include "sysgate/emulate.h"
#include "sysgate/resolve.h"

#define STMT(c, k) ((struct sg_insn){ (uint16_t)(c), 0, 0, (uint32_t)(k) })
#define JUMP(c, k, t, f) ((struct sg_insn){ (uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(k) })
#define N(a) (sizeof(a) / sizeof((a)[0]))

enum {
	LD_ABS = SG_BPF_LD | SG_BPF_W | SG_BPF_ABS,
	LD_IMM = SG_BPF_LD | SG_BPF_IMM,
	LDX_IMM = SG_BPF_LDX | SG_BPF_IMM,
	LD_MEM = SG_BPF_LD | SG_BPF_MEM,
	LDX_MEM = SG_BPF_LDX | SG_BPF_MEM,
	LD_LEN = SG_BPF_LD | SG_BPF_W | SG_BPF_LEN,
	LDX_LEN = SG_BPF_LDX | SG_BPF_W | SG_BPF_LEN,
	RET_K = SG_BPF_RET | SG_BPF_K,
	RET_A = SG_BPF_RET | SG_BPF_A,
	JA = SG_BPF_JMP | SG_BPF_JA,
	JEQ = SG_BPF_JMP | SG_BPF_JEQ | SG_BPF_K,
	JGT = SG_BPF_JMP | SG_BPF_JGT | SG_BPF_K,
	JGE = SG_BPF_JMP | SG_BPF_JGE | SG_BPF_K,
	JSET = SG_BPF_JMP | SG_BPF_JSET | SG_BPF_K,
	TAX = SG_BPF_MISC | SG_BPF_TAX,
	TXA = SG_BPF_MISC | SG_BPF_TXA,
};

#define AUDIT_X86_64 0xc000003eu
#define ERRNO(e) (SG_RET_ERRNO | (e))

static uint32_t run(const struct sg_insn *p, size_t n, const struct sg_seccomp_data *d, enum sg_endian e)
{
	return sg_bpf_run(p, n, d, e, NULL, NULL, 0);
}

static int accepted(const struct sg_insn *p, size_t n)
{
	char why[160];
	return sg_bpf_check(p, n, why, sizeof why) == 0;
}

/* ---- ALU ---------------------------------------------------------------- */

struct alu_case {
	uint16_t op;
	uint32_t a, v, want;
};

static const struct alu_case alu_cases[] = {
	{ SG_BPF_ADD, 0xffffffffu, 2, 1 }, /* wraps */
	{ SG_BPF_ADD, 40, 2, 42 },
	{ SG_BPF_SUB, 1, 2, 0xffffffffu }, /* wraps */
	{ SG_BPF_MUL, 0x10000, 0x10000, 0 }, /* wraps */
	{ SG_BPF_MUL, 0x12345678, 0x10, 0x23456780 },
	{ SG_BPF_DIV, 100, 7, 14 },
	{ SG_BPF_DIV, 0xffffffffu, 2, 0x7fffffff }, /* unsigned */
	{ SG_BPF_OR, 0xf0, 0x0f, 0xff },
	{ SG_BPF_AND, 0xf0f0, 0xff00, 0xf000 },
	{ SG_BPF_XOR, 0xff00, 0x0ff0, 0xf0f0 },
	{ SG_BPF_LSH, 1, 31, 0x80000000u },
	{ SG_BPF_LSH, 0x80000001u, 1, 2 },
	{ SG_BPF_RSH, 0x80000000u, 31, 1 }, /* logical, not arithmetic */
};

static void test_alu(void)
{
	struct sg_seccomp_data d = { 0 };

	for (size_t i = 0; i < N(alu_cases); i++) {
		const struct alu_case *c = &alu_cases[i];
		struct sg_insn k[] = { STMT(LD_IMM, c->a), STMT(SG_BPF_ALU | c->op | SG_BPF_K, c->v), STMT(RET_A, 0) };
		struct sg_insn x[] = { STMT(LD_IMM, c->a), STMT(LDX_IMM, c->v), STMT(SG_BPF_ALU | c->op | SG_BPF_X, 0),
				       STMT(RET_A, 0) };

		CHECK(accepted(k, N(k)), "alu case %zu (K) rejected", i);
		CHECK(accepted(x, N(x)), "alu case %zu (X) rejected", i);
		CHECK(run(k, N(k), &d, SG_LITTLE_ENDIAN) == c->want, "alu op 0x%x K case %zu: got 0x%x want 0x%x", c->op,
		      i, run(k, N(k), &d, SG_LITTLE_ENDIAN), c->want);
		CHECK(run(x, N(x), &d, SG_LITTLE_ENDIAN) == c->want, "alu op 0x%x X case %zu: got 0x%x want 0x%x", c->op,
		      i, run(x, N(x), &d, SG_LITTLE_ENDIAN), c->want);
	}

	/* NEG: two's complement in 32 bits. */
	struct sg_insn neg[] = { STMT(LD_IMM, 1), STMT(SG_BPF_ALU | SG_BPF_NEG, 0), STMT(RET_A, 0) };
	CHECK(accepted(neg, N(neg)), "neg rejected");
	CHECK(run(neg, N(neg), &d, SG_LITTLE_ENDIAN) == 0xffffffffu, "neg 1");
	neg[0].k = 0;
	CHECK(run(neg, N(neg), &d, SG_LITTLE_ENDIAN) == 0, "neg 0");

	/* Shifts by X use the low five bits of X, as the kernel's 32-bit ALU. */
	struct sg_insn shx[] = { STMT(LD_IMM, 1), STMT(LDX_IMM, 33), STMT(SG_BPF_ALU | SG_BPF_LSH | SG_BPF_X, 0),
				 STMT(RET_A, 0) };
	CHECK(accepted(shx, N(shx)), "lsh x rejected");
	CHECK(run(shx, N(shx), &d, SG_LITTLE_ENDIAN) == 2, "1 << (33 & 31)");
	shx[0].k = 0x80000000u;
	shx[1].k = 32;
	shx[2].code = SG_BPF_ALU | SG_BPF_RSH | SG_BPF_X;
	CHECK(run(shx, N(shx), &d, SG_LITTLE_ENDIAN) == 0x80000000u, "x >> (32 & 31) leaves A alone");

	/* Division by X == 0 ends the program with 0, whatever follows. */
	struct sg_insn div0[] = { STMT(LD_IMM, 5), STMT(LDX_IMM, 0), STMT(SG_BPF_ALU | SG_BPF_DIV | SG_BPF_X, 0),
				  STMT(RET_K, SG_RET_ALLOW) };
	size_t executed = 0;
	CHECK(accepted(div0, N(div0)), "div x rejected");
	CHECK(sg_bpf_run(div0, N(div0), &d, SG_LITTLE_ENDIAN, &executed, NULL, 0) == 0, "div by X=0 returns 0");
	CHECK(executed == 3, "div by X=0 stops there: executed %zu", executed);
}

/* ---- loads, stores, registers ------------------------------------------- */

static void test_loads(void)
{
	struct sg_seccomp_data d = { .nr = 59, .arch = AUDIT_X86_64, .ip = 0x00007fff12345678ull };

	struct sg_insn len[] = { STMT(LD_LEN, 0), STMT(RET_A, 0) };
	CHECK(accepted(len, N(len)) && run(len, N(len), &d, SG_LITTLE_ENDIAN) == 64, "ld len is 64");
	struct sg_insn xlen[] = { STMT(LDX_LEN, 0), STMT(TXA, 0), STMT(RET_A, 0) };
	CHECK(accepted(xlen, N(xlen)) && run(xlen, N(xlen), &d, SG_LITTLE_ENDIAN) == 64, "ldx len is 64");

	/* Scratch memory, TAX/TXA. */
	struct sg_insn mem[] = {
		STMT(LD_ABS, SG_OFF_NR), STMT(SG_BPF_ST, 3),	  /* M[3] = nr */
		STMT(TAX, 0),		 STMT(SG_BPF_STX, 15),	  /* M[15] = nr */
		STMT(LD_IMM, 1000),	 STMT(LDX_MEM, 3),	  /* X = nr */
		STMT(SG_BPF_ALU | SG_BPF_ADD | SG_BPF_X, 0),	  /* A = 1000 + nr */
		STMT(LDX_MEM, 15),	 STMT(SG_BPF_ALU | SG_BPF_ADD | SG_BPF_X, 0),
		STMT(RET_A, 0),
	};
	CHECK(accepted(mem, N(mem)), "memory program rejected");
	CHECK(run(mem, N(mem), &d, SG_LITTLE_ENDIAN) == 1000 + 2 * 59, "memory: %u",
	      run(mem, N(mem), &d, SG_LITTLE_ENDIAN));
	struct sg_insn ldmem[] = { STMT(LD_IMM, 7), STMT(SG_BPF_ST, 0), STMT(LD_IMM, 0), STMT(LD_MEM, 0),
				   STMT(RET_A, 0) };
	CHECK(run(ldmem, N(ldmem), &d, SG_LITTLE_ENDIAN) == 7, "ld M[0]");

	/* A and X start at 0. */
	struct sg_insn zero[] = { STMT(SG_BPF_ALU | SG_BPF_ADD | SG_BPF_X, 0), STMT(RET_A, 0) };
	CHECK(run(zero, N(zero), &d, SG_LITTLE_ENDIAN) == 0, "A and X start at 0");

	/* ip halves on little-endian. */
	struct sg_insn ip[] = { STMT(LD_ABS, SG_OFF_IP), STMT(RET_A, 0) };
	CHECK(run(ip, N(ip), &d, SG_LITTLE_ENDIAN) == 0x12345678, "ip lo at 8 (LE)");
	ip[0].k = SG_OFF_IP + 4;
	CHECK(run(ip, N(ip), &d, SG_LITTLE_ENDIAN) == 0x7fff, "ip hi at 12 (LE)");
	ip[0].k = SG_OFF_ARCH;
	CHECK(run(ip, N(ip), &d, SG_LITTLE_ENDIAN) == AUDIT_X86_64, "arch at 4");
}

/* On a big-endian target each u64 has its high word first. */
static void test_byte_order(void)
{
	struct sg_seccomp_data d = { .nr = 0x11, .arch = 0x80000016u };
	struct sg_insn p[] = { STMT(LD_ABS, 0), STMT(RET_A, 0) };

	for (int i = 0; i < 6; i++)
		d.args[i] = ((uint64_t)(0x10 + i) << 32) | (uint32_t)(0x20 + i);
	for (uint32_t i = 0; i < 6; i++) {
		p[0].k = SG_OFF_ARGS + 8 * i;
		CHECK(run(p, N(p), &d, SG_BIG_ENDIAN) == 0x10 + i, "BE args[%u] first word is hi", i);
		CHECK(run(p, N(p), &d, SG_LITTLE_ENDIAN) == 0x20 + i, "LE args[%u] first word is lo", i);
		p[0].k += 4;
		CHECK(run(p, N(p), &d, SG_BIG_ENDIAN) == 0x20 + i, "BE args[%u] second word is lo", i);
		CHECK(run(p, N(p), &d, SG_LITTLE_ENDIAN) == 0x10 + i, "LE args[%u] second word is hi", i);
	}
	p[0].k = SG_OFF_NR;
	CHECK(run(p, N(p), &d, SG_BIG_ENDIAN) == 0x11, "BE nr is a whole word");
	p[0].k = SG_OFF_ARCH;
	CHECK(run(p, N(p), &d, SG_BIG_ENDIAN) == 0x80000016u, "BE arch is a whole word");
	d.ip = 0x0000000100000002ull;
	p[0].k = SG_OFF_IP;
	CHECK(run(p, N(p), &d, SG_BIG_ENDIAN) == 1, "BE ip hi at 8");
}

/* ---- jumps and the trace ------------------------------------------------ */

static void test_jumps(void)
{
	struct sg_seccomp_data d = { 0 };
	uint32_t trace[8];
	size_t executed = 0;

	/* JSET: the x32 bit. */
	struct sg_insn jset[] = { STMT(LD_ABS, SG_OFF_NR), JUMP(JSET, 0x40000000, 1, 0), STMT(RET_K, ERRNO(1)),
				  STMT(RET_K, SG_RET_ALLOW) };
	CHECK(accepted(jset, N(jset)), "jset rejected");
	d.nr = 0x40000001;
	CHECK(run(jset, N(jset), &d, SG_LITTLE_ENDIAN) == SG_RET_ALLOW, "jset taken");
	d.nr = 1;
	CHECK(run(jset, N(jset), &d, SG_LITTLE_ENDIAN) == ERRNO(1), "jset not taken");

	/* JA skips; the trace lists what ran. */
	struct sg_insn ja[] = { STMT(JA, 1), STMT(RET_K, SG_RET_KILL_PROCESS), STMT(RET_K, SG_RET_ALLOW) };
	CHECK(accepted(ja, N(ja)), "ja rejected");
	CHECK(sg_bpf_run(ja, N(ja), &d, SG_LITTLE_ENDIAN, &executed, trace, N(trace)) == SG_RET_ALLOW, "ja");
	CHECK(executed == 2 && trace[0] == 0 && trace[1] == 2, "ja trace: %zu [%u %u]", executed, trace[0], trace[1]);

	/* JEQ/JGT/JGE on both sides of their boundary, with K and with X. */
	static const struct {
		uint16_t op;
		uint32_t a, v;
		int taken;
	} cmp[] = {
		{ SG_BPF_JEQ, 5, 5, 1 },  { SG_BPF_JEQ, 5, 6, 0 },	    { SG_BPF_JGT, 6, 5, 1 },
		{ SG_BPF_JGT, 5, 5, 0 },  { SG_BPF_JGE, 5, 5, 1 },	    { SG_BPF_JGE, 4, 5, 0 },
		{ SG_BPF_JGT, 0x80000000u, 1, 1 }, /* unsigned */ { SG_BPF_JSET, 6, 1, 0 },
		{ SG_BPF_JSET, 6, 2, 1 },
	};
	for (size_t i = 0; i < N(cmp); i++) {
		struct sg_insn k[] = { STMT(LD_IMM, cmp[i].a), JUMP(SG_BPF_JMP | cmp[i].op | SG_BPF_K, cmp[i].v, 0, 1),
				       STMT(RET_K, 1), STMT(RET_K, 2) };
		struct sg_insn x[] = { STMT(LD_IMM, cmp[i].a), STMT(LDX_IMM, cmp[i].v),
				       JUMP(SG_BPF_JMP | cmp[i].op | SG_BPF_X, 0, 0, 1), STMT(RET_K, 1), STMT(RET_K, 2) };
		uint32_t want = cmp[i].taken ? 1 : 2;

		CHECK(run(k, N(k), &d, SG_LITTLE_ENDIAN) == want, "compare case %zu (K)", i);
		CHECK(accepted(x, N(x)) && run(x, N(x), &d, SG_LITTLE_ENDIAN) == want, "compare case %zu (X)", i);
	}

	/* executed counts everything, the trace keeps only tracecap entries. */
	struct sg_insn four[] = { STMT(LD_IMM, 1), STMT(TAX, 0), STMT(TXA, 0), STMT(RET_A, 0) };
	memset(trace, 0xff, sizeof trace);
	CHECK(sg_bpf_run(four, N(four), &d, SG_LITTLE_ENDIAN, &executed, trace, 2) == 1, "four");
	CHECK(executed == 4, "executed %zu", executed);
	CHECK(trace[0] == 0 && trace[1] == 1 && trace[2] == 0xffffffffu, "trace capped at 2");
}

/* ---- the checker -------------------------------------------------------- */

static void expect_reject(const struct sg_insn *p, size_t n, const char *what, const char *needle)
{
	char why[160] = "";
	int r = sg_bpf_check(p, n, why, sizeof why);

	CHECK(r == -1, "%s: accepted", what);
	CHECK(strstr(why, needle) != NULL, "%s: message \"%s\" lacks \"%s\"", what, why, needle);
}

static void test_check(void)
{
	struct sg_insn good[] = { STMT(LD_ABS, SG_OFF_ARCH), JUMP(JEQ, AUDIT_X86_64, 1, 0),
				  STMT(RET_K, SG_RET_KILL_PROCESS), STMT(LD_ABS, SG_OFF_NR),
				  JUMP(JEQ, 59, 0, 1), STMT(RET_K, ERRNO(1)), STMT(RET_K, SG_RET_ALLOW) };
	char why[160] = "x";

	CHECK(sg_bpf_check(good, N(good), why, sizeof why) == 0 && why[0] == '\0', "good program: %s", why);

	expect_reject(good, 0, "empty", "empty");
	struct sg_insn *big = calloc(SG_BPF_MAXINSNS + 1, sizeof *big);
	if (big) {
		for (size_t i = 0; i <= SG_BPF_MAXINSNS; i++)
			big[i] = STMT(RET_K, SG_RET_ALLOW);
		CHECK(accepted(big, SG_BPF_MAXINSNS), "4096 instructions rejected");
		expect_reject(big, SG_BPF_MAXINSNS + 1, "4097 instructions", "4096");
		free(big);
	}

	struct sg_insn p[] = { STMT(LD_ABS, 2), STMT(RET_A, 0) };
	expect_reject(p, N(p), "misaligned load", "instruction 0: load offset 2 is not 4-byte aligned");
	p[0].k = 64;
	expect_reject(p, N(p), "load at 64", "instruction 0: load offset 64 is outside");
	p[0].k = 60;
	CHECK(accepted(p, N(p)), "load at 60 rejected");
	p[0] = STMT(SG_BPF_LD | SG_BPF_B | SG_BPF_ABS, 0);
	expect_reject(p, N(p), "ld b", "instruction 0: opcode 0x0030");
	p[0] = STMT(SG_BPF_LD | SG_BPF_H | SG_BPF_ABS, 0);
	expect_reject(p, N(p), "ld h", "not allowed");
	p[0] = STMT(SG_BPF_LD | SG_BPF_W | SG_BPF_IND, 0);
	expect_reject(p, N(p), "ld ind", "not allowed");
	p[0] = STMT(SG_BPF_LDX | SG_BPF_B | SG_BPF_MSH, 0);
	expect_reject(p, N(p), "ldx msh", "not allowed");
	p[0] = STMT(SG_BPF_ALU | SG_BPF_MOD | SG_BPF_K, 3); /* classic BPF has it, seccomp does not */
	expect_reject(p, N(p), "mod", "not allowed");
	p[0] = STMT(0x17, 0); /* MISC with an unknown operation */
	expect_reject(p, N(p), "unknown opcode", "instruction 0: opcode 0x0017 is not allowed");
	p[0] = STMT(0xffff, 0);
	expect_reject(p, N(p), "opcode 0xffff", "not allowed");
	p[0] = STMT(SG_BPF_ALU | SG_BPF_DIV | SG_BPF_K, 0);
	expect_reject(p, N(p), "div by K=0", "instruction 0: division by constant 0");
	p[0] = STMT(SG_BPF_ALU | SG_BPF_LSH | SG_BPF_K, 32);
	expect_reject(p, N(p), "lsh 32", "shift by 32");
	p[0] = STMT(SG_BPF_ALU | SG_BPF_RSH | SG_BPF_K, 31);
	CHECK(accepted(p, N(p)), "rsh 31 rejected");
	p[0] = STMT(SG_BPF_ST, 16);
	expect_reject(p, N(p), "st M[16]", "scratch memory index 16");
	p[1] = STMT(SG_BPF_RET | SG_BPF_X, 0);
	p[0] = STMT(LD_IMM, 0);
	expect_reject(p, N(p), "ret x", "instruction 1: opcode 0x000e");

	struct sg_insn jmp[] = { JUMP(JEQ, 0, 0, 2), STMT(RET_K, 0), STMT(RET_K, 0) };
	expect_reject(jmp, N(jmp), "jf past the end", "instruction 0: jump out of range");
	jmp[0] = JUMP(JEQ, 0, 1, 0);
	CHECK(accepted(jmp, N(jmp)), "jump to last rejected");
	jmp[0] = STMT(JA, 2);
	expect_reject(jmp, N(jmp), "ja past the end", "instruction 0: jump out of range");
	jmp[0] = STMT(JA, 0xffffffffu);
	expect_reject(jmp, N(jmp), "ja 2^32-1", "jump out of range");
	jmp[0] = STMT(JA, 1);
	CHECK(accepted(jmp, N(jmp)), "ja to last rejected");

	struct sg_insn noret[] = { STMT(RET_K, 0), STMT(LD_IMM, 0) };
	expect_reject(noret, N(noret), "last not ret", "instruction 1: the last instruction is not a return");

	struct sg_insn unwritten[] = { STMT(LD_IMM, 0), STMT(SG_BPF_ST, 2), STMT(LD_MEM, 3), STMT(RET_A, 0) };
	expect_reject(unwritten, N(unwritten), "read of M[3]", "instruction 2: M[3] is read before");
	/* Written on one path only. */
	struct sg_insn onepath[] = { STMT(LD_ABS, SG_OFF_NR), JUMP(JEQ, 1, 0, 1), STMT(SG_BPF_ST, 0),
				     STMT(LDX_MEM, 0), STMT(RET_A, 0) };
	expect_reject(onepath, N(onepath), "written on one path", "instruction 3: M[0]");
	onepath[2] = STMT(SG_BPF_STX, 0);
	onepath[1] = JUMP(JEQ, 1, 0, 0);
	CHECK(accepted(onepath, N(onepath)), "written on both paths (jt == jf) rejected");
	/* The kernel's walk does not reset its state after a return, so the
	 * instruction after one inherits it: M[1] at 6 is written on the only
	 * path there (via 2, 3), yet the kernel refuses the program. */
	struct sg_insn quirk[] = { STMT(LD_IMM, 0),	JUMP(JEQ, 0, 2, 0), STMT(SG_BPF_ST, 1),	 STMT(JA, 2),
				   STMT(RET_K, 0),	STMT(RET_K, 1),	    STMT(LD_MEM, 1),	 STMT(RET_A, 0) };
	expect_reject(quirk, N(quirk), "store before a return", "instruction 6: M[1]");

	/* why may be NULL or empty. */
	CHECK(sg_bpf_check(noret, N(noret), NULL, 0) == -1, "NULL why");
}

/* ---- the action cache --------------------------------------------------- */

/* x86_64 only: read allowed, write allowed only when fd == 1, open gets
 * ERRNO(1), everything else and every other arch are killed. */
static const struct sg_insn filter[] = {
	/* 0 */ STMT(LD_ABS, SG_OFF_ARCH),
	/* 1 */ JUMP(JEQ, AUDIT_X86_64, 1, 0),
	/* 2 */ STMT(RET_K, SG_RET_KILL_PROCESS),
	/* 3 */ STMT(LD_ABS, SG_OFF_NR),
	/* 4 */ JUMP(JEQ, 0, 6, 0),
	/* 5 */ JUMP(JEQ, 2, 0, 1),
	/* 6 */ STMT(RET_K, ERRNO(1)),
	/* 7 */ JUMP(JEQ, 1, 0, 2),
	/* 8 */ STMT(LD_ABS, SG_OFF_ARGS),
	/* 9 */ JUMP(JEQ, 1, 1, 0),
	/* 10 */ STMT(RET_K, SG_RET_KILL_PROCESS),
	/* 11 */ STMT(RET_K, SG_RET_ALLOW),
};

static void test_cacheable(void)
{
	const enum sg_endian le = SG_LITTLE_ENDIAN;
	struct sg_seccomp_data d = { .arch = AUDIT_X86_64, .args = { 1 } };

	CHECK(accepted(filter, N(filter)), "filter rejected");
	CHECK(sg_bpf_cacheable(filter, N(filter), AUDIT_X86_64, 0), "read: ALLOW via nr/arch only");
	CHECK(!sg_bpf_cacheable(filter, N(filter), AUDIT_X86_64, 1), "write loads args[0]");
	CHECK(!sg_bpf_cacheable(filter, N(filter), AUDIT_X86_64, 2), "open returns ERRNO");
	CHECK(!sg_bpf_cacheable(filter, N(filter), AUDIT_X86_64, 3), "close is killed");
	CHECK(!sg_bpf_cacheable(filter, N(filter), 0x40000003u, 0), "other arch is killed");

	/* Whatever is cacheable must be what the filter returns for any args. */
	for (uint32_t nr = 0; nr < 64; nr++) {
		d.nr = nr;
		if (sg_bpf_cacheable(filter, N(filter), AUDIT_X86_64, nr))
			CHECK(run(filter, N(filter), &d, le) == SG_RET_ALLOW, "nr %u cacheable but not allowed", nr);
	}
	d.nr = 1;
	CHECK(run(filter, N(filter), &d, le) == SG_RET_ALLOW, "write(1)");
	d.args[0] = 2;
	CHECK(run(filter, N(filter), &d, le) == SG_RET_KILL_PROCESS, "write(2)");

	/* ALU AND K on nr is followed. */
	struct sg_insn and[] = { STMT(LD_ABS, SG_OFF_NR), STMT(SG_BPF_ALU | SG_BPF_AND | SG_BPF_K, 0xff),
				 JUMP(JEQ, 1, 0, 1), STMT(RET_K, SG_RET_ALLOW), STMT(RET_K, SG_RET_KILL_THREAD) };
	CHECK(sg_bpf_cacheable(and, N(and), AUDIT_X86_64, 0x101), "and #0xff on nr followed");
	CHECK(!sg_bpf_cacheable(and, N(and), AUDIT_X86_64, 0x102), "and #0xff: killed");
	/* JA is followed; JGE/JGT/JSET with K are evaluated. */
	struct sg_insn ja[] = { STMT(LD_ABS, SG_OFF_NR), STMT(JA, 1), STMT(RET_K, 0), JUMP(JGE, 10, 0, 1),
				STMT(RET_K, SG_RET_ALLOW), JUMP(JSET, 4, 2, 0), JUMP(JGT, 1, 0, 1),
				STMT(RET_K, SG_RET_ALLOW), STMT(RET_K, SG_RET_LOG) };
	CHECK(accepted(ja, N(ja)), "ja program rejected");
	CHECK(sg_bpf_cacheable(ja, N(ja), 0, 10), "jge taken");
	CHECK(sg_bpf_cacheable(ja, N(ja), 0, 2), "jset not taken, jgt taken");
	CHECK(!sg_bpf_cacheable(ja, N(ja), 0, 1), "jgt not taken: LOG");
	CHECK(!sg_bpf_cacheable(ja, N(ja), 0, 4), "jset taken: LOG");
	/* ALLOW with data is not SECCOMP_RET_ALLOW. */
	struct sg_insn data[] = { STMT(RET_K, SG_RET_ALLOW | 1) };
	CHECK(!sg_bpf_cacheable(data, 1, 0, 0), "ALLOW|1");
	/* Instructions the kernel's emulator does not understand. */
	struct sg_insn other[][3] = {
		{ STMT(LD_ABS, SG_OFF_NR), JUMP(SG_BPF_JMP | SG_BPF_JEQ | SG_BPF_X, 0, 0, 0), STMT(RET_K, SG_RET_ALLOW) },
		{ STMT(LD_ABS, SG_OFF_NR), STMT(RET_A, 0), STMT(RET_K, SG_RET_ALLOW) },
		{ STMT(LD_LEN, 0), STMT(RET_K, SG_RET_ALLOW), STMT(RET_K, SG_RET_ALLOW) },
		{ STMT(LD_IMM, 0), STMT(RET_K, SG_RET_ALLOW), STMT(RET_K, SG_RET_ALLOW) },
		{ STMT(LD_ABS, SG_OFF_IP), STMT(RET_K, SG_RET_ALLOW), STMT(RET_K, SG_RET_ALLOW) },
		{ STMT(SG_BPF_ALU | SG_BPF_OR | SG_BPF_K, 0), STMT(RET_K, SG_RET_ALLOW), STMT(RET_K, SG_RET_ALLOW) },
	};
	for (size_t i = 0; i < N(other); i++)
		CHECK(!sg_bpf_cacheable(other[i], 3, 0, 0), "unsupported instruction case %zu", i);
	struct sg_insn plain[] = { STMT(RET_K, SG_RET_ALLOW) };
	CHECK(sg_bpf_cacheable(plain, 1, 0, 12345), "ret allow");
}

/* ---- robustness on unchecked programs ----------------------------------- */

static void test_unchecked(void)
{
	struct sg_seccomp_data d = { 0 };
	size_t executed = 0;

	struct sg_insn off_end[] = { STMT(LD_IMM, 0) };
	CHECK(sg_bpf_run(off_end, 1, &d, SG_LITTLE_ENDIAN, &executed, NULL, 0) == SG_RET_KILL_PROCESS,
	      "running off the end");
	struct sg_insn far[] = { STMT(JA, 0xffffffffu), STMT(RET_K, SG_RET_ALLOW) };
	CHECK(run(far, N(far), &d, SG_LITTLE_ENDIAN) == SG_RET_KILL_PROCESS, "ja far");
	struct sg_insn bad[] = { STMT(LD_ABS, 62), STMT(RET_A, 0) };
	CHECK(run(bad, N(bad), &d, SG_LITTLE_ENDIAN) == SG_RET_KILL_PROCESS, "load past seccomp_data");
	bad[0] = STMT(LD_MEM, 99);
	CHECK(run(bad, N(bad), &d, SG_LITTLE_ENDIAN) == SG_RET_KILL_PROCESS, "M[99]");
	bad[0] = STMT(0xffff, 0);
	CHECK(run(bad, N(bad), &d, SG_LITTLE_ENDIAN) == SG_RET_KILL_PROCESS, "unknown opcode");
	CHECK(!sg_bpf_cacheable(far, N(far), 0, 0), "cacheable: ja far");
	CHECK(!sg_bpf_cacheable(off_end, 0, 0, 0), "cacheable: empty");
}

/* ---- disassembly -------------------------------------------------------- */

static char *disasm(const struct sg_insn *p, size_t n)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	sg_disasm(f, p, n);
	fclose(f);
	return text;
}

static void expect_text(const char *text, const char *needle)
{
	CHECK(text && strstr(text, needle), "disassembly lacks \"%s\":\n%s", needle, text ? text : "(null)");
}

static void test_disasm(void)
{
	const struct sg_arch *s390x = sg_arch_lookup("s390x");
	char *text = disasm(filter, N(filter));
	char buf[128];

	expect_text(text, "0000: ld  [arch]\n");
	expect_text(text, "0001: jeq #0xc000003e (x86_64)");
	expect_text(text, "jt 0003  jf 0002\n");
	expect_text(text, "0002: ret KILL_PROCESS\n");
	expect_text(text, "0003: ld  [nr]\n");
	expect_text(text, "0004: jeq #0x0 (read)");
	expect_text(text, "jt 0011  jf 0005\n");
	expect_text(text, "0005: jeq #0x2 (open)");
	expect_text(text, "0006: ret ERRNO(1)\n");
	expect_text(text, "0008: ld  [args[0] lo]\n");
	expect_text(text, "0011: ret ALLOW\n");
	CHECK(text && !strstr(text, "0009: jeq #0x1 ("), "no name for a compare of an argument");
	free(text);

	/* x32 shares the audit arch; its numbers carry 0x40000000. A big-endian
	 * arch names the first word of an argument its high half. */
	struct sg_insn multi[] = {
		/* 0 */ STMT(LD_ABS, SG_OFF_ARCH),
		/* 1 */ JUMP(JEQ, AUDIT_X86_64, 0, 4),
		/* 2 */ STMT(LD_ABS, SG_OFF_NR),
		/* 3 */ JUMP(JGE, 0x40000000, 0, 1),
		/* 4 */ JUMP(JEQ, 0x40000001, 6, 6),
		/* 5 */ JUMP(JEQ, 1, 5, 5),
		/* 6 */ JUMP(JEQ, s390x ? s390x->audit_arch : 0, 0, 3),
		/* 7 */ STMT(LD_ABS, SG_OFF_ARGS),
		/* 8 */ STMT(LD_ABS, SG_OFF_ARGS + 12),
		/* 9 */ STMT(RET_K, SG_RET_TRACE | 7),
		/* 10 */ STMT(RET_K, SG_RET_LOG),
		/* 11 */ STMT(RET_A, 0),
	};
	CHECK(accepted(multi, N(multi)), "multi rejected");
	text = disasm(multi, N(multi));
	expect_text(text, "0003: jge #0x40000000 (x32 base)");
	expect_text(text, "0004: jeq #0x40000001 (write)");
	expect_text(text, "0005: jeq #0x1 (write)");
	expect_text(text, "0006: jeq #0x80000016 (s390x)");
	expect_text(text, "0007: ld  [args[0] hi]\n");
	expect_text(text, "0008: ld  [args[1] lo]\n");
	expect_text(text, "0009: ret TRACE(7)\n");
	expect_text(text, "0010: ret LOG\n");
	expect_text(text, "0011: ret a\n");
	free(text);

	/* Without context: no names that need one; loads default to little. */
	sg_disasm_insn(buf, sizeof buf, multi, N(multi), 7);
	CHECK(strcmp(buf, "ld  [args[0] lo]") == 0, "insn 7 alone: \"%s\"", buf);
	sg_disasm_insn(buf, sizeof buf, filter, N(filter), 6);
	CHECK(strcmp(buf, "ret ERRNO(1)") == 0, "insn 6 alone: \"%s\"", buf);
	sg_disasm_insn(buf, sizeof buf, filter, N(filter), 4);
	CHECK(strncmp(buf, "jeq #0x0 ", 9) == 0 && strstr(buf, "jt 0011  jf 0005"), "insn 4 alone: \"%s\"", buf);
	sg_disasm_insn(buf, sizeof buf, filter, N(filter), 99);
	CHECK(buf[0] == '\0', "out of range index");

	/* A run's path (explain's trace) is named as on the arch it ran for:
	 * s390x's second word of an argument is its low half, and a compared
	 * number is named from what the path loaded, even where paths join. */
	const struct sg_arch *x32 = sg_arch_lookup("x32");
	uint32_t be_path[] = { 7, 8, 11 }, x32_path[] = { 2, 3, 4, 10 };
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	if (f) {
		sg_disasm_trace(f, "  ", multi, N(multi), be_path, N(be_path), s390x);
		sg_disasm_trace(f, "> ", multi, N(multi), x32_path, N(x32_path), x32);
		sg_disasm_trace(f, "", multi, N(multi), be_path, 1, NULL);
		uint32_t out_of_range[] = { 11, 99, 0 };
		sg_disasm_trace(f, "", multi, N(multi), out_of_range, N(out_of_range), NULL);
		fclose(f);
		expect_text(text, "  0007: ld  [args[0] hi]\n  0008: ld  [args[1] lo]\n  0011: ret a\n");
		expect_text(text, "> 0002: ld  [nr]\n> 0003: jge #0x40000000 (x32 base)");
		expect_text(text, "> 0004: jeq #0x40000001 (write)");
		expect_text(text, "> 0010: ret LOG\n0007: ld  [args[0] lo]\n0011: ret a\n");
		CHECK(text && !strstr(text, "0000:"), "a trace stops at an index out of range:\n%s", text);
		free(text);
	}
	f = open_memstream(&text, &size);
	if (f) {
		uint32_t arg_then_cmp[] = { 7, 5 }; /* A holds an argument: 1 is no syscall here */
		sg_disasm_trace(f, "", multi, N(multi), arg_then_cmp, N(arg_then_cmp), x32);
		fclose(f);
		expect_text(text, "0005: jeq #0x1 ");
		CHECK(text && !strstr(text, "(write)"), "a compare of an argument named as a syscall:\n%s", text);
		free(text);
	}

	/* Every opcode form prints something, and bad ones print raw. */
	struct sg_insn misc[] = { STMT(SG_BPF_ALU | SG_BPF_NEG, 0), STMT(SG_BPF_ALU | SG_BPF_SUB | SG_BPF_X, 0),
				  STMT(SG_BPF_ST, 4),	STMT(SG_BPF_STX, 5), STMT(LDX_MEM, 4), STMT(TAX, 0),
				  STMT(TXA, 0),	STMT(LD_LEN, 0),	STMT(0x30, 7), STMT(JA, 1),
				  STMT(RET_K, SG_RET_KILL_THREAD), STMT(RET_K, SG_RET_USER_NOTIF) };
	text = disasm(misc, N(misc));
	expect_text(text, "0000: neg\n");
	expect_text(text, "0001: sub x\n");
	expect_text(text, "0002: st  M[4]\n");
	expect_text(text, "0003: stx M[5]\n");
	expect_text(text, "0004: ldx M[4]\n");
	expect_text(text, "0005: tax\n0006: txa\n");
	expect_text(text, "0007: ld  #len\n");
	expect_text(text, "0008: .insn code 0x0030 jt 0 jf 0 k 0x7\n");
	expect_text(text, "0009: ja  0011\n");
	expect_text(text, "0010: ret KILL_THREAD\n");
	expect_text(text, "0011: ret NOTIFY\n");
	free(text);
}

/* ---- every answer ----------------------------------------------------------- */

static int has(const struct sg_bpf_answers *a, uint32_t ret)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->ret[i] == ret)
			return 1;
	return 0;
}

static void test_answers(void)
{
	const enum sg_endian le = SG_LITTLE_ENDIAN;
	const unsigned nr_arch = SG_FIELD_NR | SG_FIELD_ARCH;
	struct sg_seccomp_data d = { .arch = AUDIT_X86_64, .nr = 0 };
	struct sg_bpf_answers a;

	/* read: decided by nr and arch alone */
	CHECK(sg_bpf_answers(filter, N(filter), &d, nr_arch, le, &a) == 0, "answers of filter");
	CHECK(a.n == 1 && a.ret[0] == SG_RET_ALLOW && !a.open && a.unknown == 0, "read: ALLOW only (%zu)", a.n);
	/* write with args[0] unknown: both ways of its test */
	d.nr = 1;
	sg_bpf_answers(filter, N(filter), &d, nr_arch, le, &a);
	CHECK(a.n == 2 && has(&a, SG_RET_ALLOW) && has(&a, SG_RET_KILL_PROCESS) && !a.open, "write: two answers");
	CHECK(a.unknown == SG_FIELD_ARG(0), "write: args[0] read (0x%x)", a.unknown);
	/* ... and known */
	d.args[0] = 2;
	sg_bpf_answers(filter, N(filter), &d, nr_arch | SG_FIELD_ARG(0), le, &a);
	CHECK(a.n == 1 && a.ret[0] == SG_RET_KILL_PROCESS && a.unknown == 0, "write(2): KILL_PROCESS");
	/* arch unknown: the foreign arch's answer too */
	d.nr = 0;
	sg_bpf_answers(filter, N(filter), &d, SG_FIELD_NR, le, &a);
	CHECK(a.n == 2 && has(&a, SG_RET_KILL_PROCESS) && has(&a, SG_RET_ALLOW), "arch unknown");
	CHECK(a.unknown == SG_FIELD_ARCH, "arch unknown: 0x%x", a.unknown);
	/* the high word of args[5] and the instruction pointer have fields of their own */
	struct sg_insn hi[] = { STMT(LD_ABS, SG_OFF_ARGS + 5 * 8 + 4), JUMP(JEQ, 0, 0, 1), STMT(RET_K, 1),
				STMT(LD_ABS, SG_OFF_IP), STMT(RET_K, 2) };
	sg_bpf_answers(hi, N(hi), &d, SG_FIELD_ALL & ~SG_FIELD_ARG(5) & ~SG_FIELD_IP, le, &a);
	CHECK(a.n == 2 && has(&a, 1) && has(&a, 2) && a.unknown == (SG_FIELD_ARG(5) | SG_FIELD_IP),
	      "args[5] high word: %zu, 0x%x", a.n, a.unknown);
	/* RET A of an unknown value: open; of a known one: that value */
	struct sg_insn reta[] = { STMT(LD_ABS, SG_OFF_ARGS), STMT(RET_A, 0) };
	sg_bpf_answers(reta, N(reta), &d, nr_arch, le, &a);
	CHECK(a.n == 0 && a.open, "RET A unknown: open");
	d.args[0] = 7;
	sg_bpf_answers(reta, N(reta), &d, SG_FIELD_ALL, le, &a);
	CHECK(a.n == 1 && a.ret[0] == 7 && !a.open, "RET A known");
	/* paths that meet with different A: A is unknown after */
	struct sg_insn meet[] = { STMT(LD_ABS, SG_OFF_ARGS), JUMP(JEQ, 1, 0, 2), STMT(LD_IMM, 5), STMT(JA, 1),
				  STMT(LD_IMM, 6), JUMP(JEQ, 5, 0, 1), STMT(RET_K, 10), STMT(RET_K, 11) };
	CHECK(accepted(meet, N(meet)), "meet accepted");
	sg_bpf_answers(meet, N(meet), &d, nr_arch, le, &a);
	CHECK(a.n == 2 && has(&a, 10) && has(&a, 11), "meet: both answers");
	sg_bpf_answers(meet, N(meet), &d, SG_FIELD_ALL, le, &a);
	CHECK(a.n == 1 && a.ret[0] == 11, "meet, args known: 11");
	/* paths that meet with the same A keep it: one answer */
	meet[4] = STMT(LD_IMM, 5);
	sg_bpf_answers(meet, N(meet), &d, nr_arch, le, &a);
	CHECK(a.n == 1 && a.ret[0] == 10, "meet with the same A: 10");
	/* scratch memory and X carry known values through */
	struct sg_insn mem[] = { STMT(LD_ABS, SG_OFF_NR), STMT(SG_BPF_ST, 3), STMT(LDX_IMM, 2), STMT(LD_MEM, 3),
				 STMT(SG_BPF_ALU | SG_BPF_ADD | SG_BPF_X, 0), STMT(TAX, 0), STMT(TXA, 0),
				 STMT(RET_A, 0) };
	d.nr = 40;
	sg_bpf_answers(mem, N(mem), &d, SG_FIELD_NR, le, &a);
	CHECK(a.n == 1 && a.ret[0] == 42, "nr + 2 through M[3] and X: %u", a.n ? a.ret[0] : 0);
	/* a division by an X that may be 0 may return 0; by a known 0, it does */
	struct sg_insn div[] = { STMT(LD_ABS, SG_OFF_ARGS),
				 STMT(TAX, 0), STMT(LD_IMM, 9), STMT(SG_BPF_ALU | SG_BPF_DIV | SG_BPF_X, 0),
				 STMT(RET_K, SG_RET_ALLOW) };
	sg_bpf_answers(div, N(div), &d, nr_arch, le, &a);
	CHECK(a.n == 2 && has(&a, 0) && has(&a, SG_RET_ALLOW), "div by unknown X: 0 or ALLOW");
	d.args[0] = 0;
	sg_bpf_answers(div, N(div), &d, SG_FIELD_ALL, le, &a);
	CHECK(a.n == 1 && a.ret[0] == 0, "div by X == 0: 0");
	/* big-endian: the words of an argument swap places */
	struct sg_insn be[] = { STMT(LD_ABS, SG_OFF_ARGS), JUMP(JEQ, 1, 0, 1), STMT(RET_K, 1), STMT(RET_K, 2) };
	d.args[0] = 1ull << 32;
	sg_bpf_answers(be, N(be), &d, SG_FIELD_ALL, SG_BIG_ENDIAN, &a);
	CHECK(a.n == 1 && a.ret[0] == 1, "big-endian high word first");
	/* more than SG_ANSWERS_MAX: open */
	struct sg_insn many[2 * SG_ANSWERS_MAX + 4];
	size_t k = 0;
	many[k++] = STMT(LD_ABS, SG_OFF_ARGS);
	for (uint32_t i = 0; i <= SG_ANSWERS_MAX; i++) {
		many[k++] = JUMP(JEQ, i, 0, 1);
		many[k++] = STMT(RET_K, 100 + i);
	}
	many[k++] = STMT(RET_K, 1);
	sg_bpf_answers(many, k, &d, nr_arch, le, &a);
	CHECK(a.n == SG_ANSWERS_MAX && a.open, "too many answers: open");
	/* a program the checker refuses has none */
	struct sg_insn bad[] = { STMT(LD_ABS, 3), STMT(RET_K, 0) };
	CHECK(sg_bpf_answers(bad, N(bad), &d, 0, le, &a) == -1, "unchecked program refused");
}

/* A stack of filters answers as the kernel's seccomp_run_filters: the
 * action of the highest precedence (its action bits lowest as a signed
 * value), the newer filter's (lower index) among equal actions. */
static void test_stack(void)
{
	static const uint32_t rets[][2] = {
		{ SG_RET_ERRNO | 5, SG_RET_ERRNO | 7 },   { SG_RET_ALLOW, SG_RET_KILL_PROCESS },
		{ SG_RET_LOG, SG_RET_TRAP },              { SG_RET_ALLOW, SG_RET_ALLOW },
		{ SG_RET_KILL_THREAD, SG_RET_KILL_PROCESS }, { SG_RET_USER_NOTIF, SG_RET_ERRNO | 1 },
		{ SG_RET_TRACE | 3, SG_RET_LOG },
	};
	static const uint32_t want[][2] = {
		{ SG_RET_ERRNO | 5, 0 }, { SG_RET_KILL_PROCESS, 1 }, { SG_RET_TRAP, 1 },         { SG_RET_ALLOW, 0 },
		{ SG_RET_KILL_PROCESS, 1 }, { SG_RET_ERRNO | 1, 1 }, { SG_RET_TRACE | 3, 0 },
	};
	for (size_t i = 0; i < sizeof(rets) / sizeof(*rets); i++) {
		struct sg_insn a = { SG_BPF_RET | SG_BPF_K, 0, 0, rets[i][0] }, b = { SG_BPF_RET | SG_BPF_K, 0, 0, rets[i][1] };
		struct sg_prog progs[2] = { { .insns = &a, .len = 1 }, { .insns = &b, .len = 1 } };
		struct sg_seccomp_data d = { .nr = 1 };
		size_t which = 99;
		uint32_t got = sg_bpf_run_stack(progs, 2, &d, SG_LITTLE_ENDIAN, &which);
		CHECK(got == want[i][0] && which == want[i][1], "stack %zu: 0x%08x from filter %zu, want 0x%08x from %u", i, got,
		      which, want[i][0], want[i][1]);
	}
	size_t which = 99;
	struct sg_seccomp_data d = { .nr = 1 };
	CHECK(sg_bpf_run_stack(NULL, 0, &d, SG_LITTLE_ENDIAN, &which) == SG_RET_ALLOW && which == 0, "no filter: ALLOW");
}

int main(void)
{
	test_alu();
	test_loads();
	test_byte_order();
	test_jumps();
	test_check();
	test_cacheable();
	test_answers();
	test_unchecked();
	test_disasm();
	test_stack();
	return check_summary("emulate");
}
