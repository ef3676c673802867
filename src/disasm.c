/* Disassemble stage. One line per instruction; jump targets are absolute
 * instruction indexes. A forward pass over the program (jumps only go
 * forward) works out, per instruction, what the accumulator holds (nr, arch
 * or something else) and which architecture, if a single one, the arch tests
 * on every path to it selected; that names compared values and loads. */
#include "sysgate/disasm.h"

#include <stdlib.h>
#include <string.h>

#include "sysgate/seccomp.h"

enum holds { H_OTHER, H_NR, H_ARCH };

/* What is known on entry to one instruction. */
struct insn_known {
	unsigned char reached; /* some feasible path leads here */
	unsigned char a, x;    /* enum holds */
	unsigned char known;   /* audit is the arch every path here selected */
	uint32_t audit;
};

/* ---- names ---------------------------------------------------------------- */

/* The seccomp_data field a word load at offset k reads; its halves follow
 * the byte order of the arch known at that point (little when unknown). */
static void field_name(char *buf, size_t n, uint32_t k, const struct insn_known *c)
{
	const struct sg_arch *arch = c && c->known ? sg_arch_by_audit(c->audit) : NULL;
	int big = arch && arch->endian == SG_BIG_ENDIAN;
	const char *half;

	if (k == SG_OFF_NR) {
		snprintf(buf, n, "nr");
		return;
	}
	if (k == SG_OFF_ARCH) {
		snprintf(buf, n, "arch");
		return;
	}
	if (k >= SG_SECCOMP_DATA_SIZE || k < SG_OFF_IP || (k & 3)) {
		snprintf(buf, n, "0x%x", k);
		return;
	}
	/* The first word of a u64 is its low half on little-endian. */
	half = ((k & 4) == 0) != big ? "lo" : "hi";
	if (k < SG_OFF_ARGS)
		snprintf(buf, n, "ip %s", half);
	else
		snprintf(buf, n, "args[%u] %s", (k - SG_OFF_ARGS) / 8, half);
}

static void action_name(char *buf, size_t n, uint32_t k)
{
	static const char prefix[] = "SCMP_ACT_";
	char tmp[64];

	sg_action_format(k, tmp, sizeof tmp);
	snprintf(buf, n, "%s", strncmp(tmp, prefix, sizeof prefix - 1) ? tmp : tmp + sizeof prefix - 1);
}

/* " (x86_64)" after a compare of [arch], " (openat)" after a compare of [nr]
 * on a known arch, "" when nothing is known. */
static void compare_note(char *buf, size_t n, const struct sg_insn *in, const struct insn_known *c)
{
	uint32_t op = in->code & 0xf0;
	const struct sg_arch *arch;
	const char *name;

	buf[0] = '\0';
	if (!c || (in->code & SG_BPF_X) || op == SG_BPF_JSET)
		return;
	if (c->a == H_ARCH) {
		if ((arch = sg_arch_by_audit(in->k)))
			snprintf(buf, n, " (%s)", arch->name);
		return;
	}
	if (c->a != H_NR || !c->known || !(arch = sg_arch_for_call(c->audit, in->k)))
		return;
	/* A range test at a number base (x32, MIPS) splits ABIs, not syscalls. */
	if (op != SG_BPF_JEQ && arch->nr_base && in->k == arch->nr_base)
		snprintf(buf, n, " (%s base)", arch->name);
	else if ((name = sg_syscall_name(arch, in->k)))
		snprintf(buf, n, " (%s)", name);
}

/* ---- one instruction ------------------------------------------------------ */

static const char *const alu_ops[] = { "add", "sub", "mul", "div", "or", "and", "lsh", "rsh", "neg", "mod", "xor" };
static const char *const jmp_ops[] = { "ja", "jeq", "jgt", "jge", "jset" };

static void format_load(char *buf, size_t n, const struct sg_insn *in, const struct insn_known *c)
{
	const char *mn = (in->code & 0x07) == SG_BPF_LDX ? "ldx" : "ld";
	char field[32];

	switch (in->code & 0xe0) {
	case SG_BPF_ABS:
		field_name(field, sizeof field, in->k, c);
		snprintf(buf, n, "%-3s [%s]", mn, field);
		return;
	case SG_BPF_LEN: snprintf(buf, n, "%-3s #len", mn); return;
	case SG_BPF_MEM: snprintf(buf, n, "%-3s M[%u]", mn, in->k); return;
	default: snprintf(buf, n, "%-3s #0x%x", mn, in->k); return;
	}
}

static void format_jump(char *buf, size_t n, const struct sg_insn *in, size_t i, const struct insn_known *c)
{
	const char *mn = jmp_ops[(in->code & 0xf0) >> 4];
	char operand[96], note[64];

	if ((in->code & 0xf0) == SG_BPF_JA) {
		snprintf(buf, n, "ja  %04llu", (unsigned long long)i + 1 + in->k);
		return;
	}
	compare_note(note, sizeof note, in, c);
	if (in->code & SG_BPF_X)
		snprintf(operand, sizeof operand, "%-3s x", mn);
	else
		snprintf(operand, sizeof operand, "%-3s #0x%x%s", mn, in->k, note);
	snprintf(buf, n, "%-26s  jt %04zu  jf %04zu", operand, i + 1 + in->jt, i + 1 + in->jf);
}

/* A well-formed instruction of a form this disassembler names; anything
 * else is printed raw. */
static int known_form(uint16_t code)
{
	uint16_t mode = code & 0xe0;

	if (code > 0xff)
		return 0;
	switch (code & 0x07) {
	case SG_BPF_LD:
	case SG_BPF_LDX:
		return (code & 0x18) == SG_BPF_W &&
		       (mode == SG_BPF_IMM || mode == SG_BPF_MEM || mode == SG_BPF_LEN ||
			(mode == SG_BPF_ABS && (code & 0x07) == SG_BPF_LD));
	case SG_BPF_ST:
	case SG_BPF_STX: return code == SG_BPF_ST || code == SG_BPF_STX;
	case SG_BPF_ALU:
		if ((code & 0xf0) == SG_BPF_NEG)
			return code == (SG_BPF_ALU | SG_BPF_NEG);
		return (code >> 4) <= (SG_BPF_XOR >> 4);
	case SG_BPF_JMP:
		if ((code & 0xf0) == SG_BPF_JA)
			return code == (SG_BPF_JMP | SG_BPF_JA);
		return (code >> 4) <= (SG_BPF_JSET >> 4);
	case SG_BPF_RET: return code == (SG_BPF_RET | SG_BPF_K) || code == (SG_BPF_RET | SG_BPF_A);
	default: return code == (SG_BPF_MISC | SG_BPF_TAX) || code == (SG_BPF_MISC | SG_BPF_TXA);
	}
}

static void format_insn(char *buf, size_t n, const struct sg_insn *in, size_t i, const struct insn_known *c)
{
	char name[64];

	if (!known_form(in->code)) {
		snprintf(buf, n, ".insn code 0x%04x jt %u jf %u k 0x%x", in->code, in->jt, in->jf, in->k);
		return;
	}
	switch (in->code & 0x07) {
	case SG_BPF_LD:
	case SG_BPF_LDX: format_load(buf, n, in, c); return;
	case SG_BPF_ST: snprintf(buf, n, "st  M[%u]", in->k); return;
	case SG_BPF_STX: snprintf(buf, n, "stx M[%u]", in->k); return;
	case SG_BPF_ALU:
		if ((in->code & 0xf0) == SG_BPF_NEG)
			snprintf(buf, n, "neg");
		else if (in->code & SG_BPF_X)
			snprintf(buf, n, "%-3s x", alu_ops[in->code >> 4]);
		else
			snprintf(buf, n, "%-3s #0x%x", alu_ops[in->code >> 4], in->k);
		return;
	case SG_BPF_JMP: format_jump(buf, n, in, i, c); return;
	case SG_BPF_RET:
		if (in->code & SG_BPF_A) {
			snprintf(buf, n, "ret a");
		} else {
			action_name(name, sizeof name, in->k);
			snprintf(buf, n, "ret %s", name);
		}
		return;
	default: snprintf(buf, n, "%s", in->code == (SG_BPF_MISC | SG_BPF_TAX) ? "tax" : "txa"); return;
	}
}

void sg_disasm_insn(char *buf, size_t n, const struct sg_insn *prog, size_t len, size_t i)
{
	if (!buf || !n)
		return;
	if (!prog || i >= len) {
		buf[0] = '\0';
		return;
	}
	format_insn(buf, n, &prog[i], i, NULL);
}

/* What instruction in leaves in A and X (H_*), given what they held. */
static void holds_after(const struct sg_insn *in, unsigned char *a, unsigned char *x)
{
	switch (in->code & 0x07) {
	case SG_BPF_LD:
		*a = in->code != (SG_BPF_LD | SG_BPF_W | SG_BPF_ABS) ? H_OTHER
		     : in->k == SG_OFF_NR ? H_NR : in->k == SG_OFF_ARCH ? H_ARCH : H_OTHER;
		break;
	case SG_BPF_LDX: *x = H_OTHER; break;
	case SG_BPF_ALU: *a = H_OTHER; break;
	case SG_BPF_MISC:
		if (in->code == (SG_BPF_MISC | SG_BPF_TAX))
			*x = *a;
		else
			*a = *x;
		break;
	default: break; /* ST, STX, jumps and returns leave A and X alone */
	}
}

/* A path is one run: what it loaded is known exactly, and its arch is the
 * one the data was for from the first instruction on. */
void sg_disasm_trace(FILE *out, const char *prefix, const struct sg_insn *prog, size_t len, const uint32_t *trace,
		     size_t n, const struct sg_arch *arch)
{
	struct insn_known c = { 1, H_OTHER, H_OTHER, arch != NULL, arch ? arch->audit_arch : 0 };
	char line[192];

	if (!out || !prog || !trace)
		return;
	for (size_t j = 0; j < n && trace[j] < len; j++) {
		const struct sg_insn *in = &prog[trace[j]];
		format_insn(line, sizeof line, in, trace[j], &c);
		fprintf(out, "%s%04u: %s\n", prefix ? prefix : "", trace[j], line);
		holds_after(in, &c.a, &c.x);
	}
}

/* ---- the forward pass ------------------------------------------------------ */

static void merge(struct insn_known *dst, const struct insn_known *src)
{
	if (!dst->reached) {
		*dst = *src;
		dst->reached = 1;
		return;
	}
	if (dst->a != src->a)
		dst->a = H_OTHER;
	if (dst->x != src->x)
		dst->x = H_OTHER;
	if (!src->known || !dst->known || dst->audit != src->audit)
		dst->known = 0;
}

static void edge(struct insn_known *ctx, size_t len, uint64_t target, const struct insn_known *s)
{
	if (target < len)
		merge(&ctx[target], s);
}

/* A conditional jump: a JEQ of [arch] against k selects arch k on its true
 * edge, and an edge that contradicts what is already known is not taken. */
static void cond_edges(struct insn_known *ctx, size_t len, size_t i, const struct sg_insn *in, const struct insn_known *s)
{
	struct insn_known t = *s, f = *s;
	int feasible_t = 1, feasible_f = 1;

	if (in->code == (SG_BPF_JMP | SG_BPF_JEQ | SG_BPF_K) && s->a == H_ARCH) {
		if (s->known) {
			feasible_t = s->audit == in->k;
			feasible_f = s->audit != in->k;
		}
		t.known = 1;
		t.audit = in->k;
	}
	if (feasible_t)
		edge(ctx, len, (uint64_t)i + 1 + in->jt, &t);
	if (feasible_f)
		edge(ctx, len, (uint64_t)i + 1 + in->jf, &f);
}

/* What one instruction does to the context it is entered with. */
static void step(struct insn_known *ctx, size_t len, size_t i, const struct sg_insn *in)
{
	struct insn_known s = ctx[i];

	holds_after(in, &s.a, &s.x);
	switch (in->code & 0x07) {
	case SG_BPF_RET: return;
	case SG_BPF_JMP:
		if ((in->code & 0xf0) == SG_BPF_JA)
			edge(ctx, len, (uint64_t)i + 1 + in->k, &s);
		else
			cond_edges(ctx, len, i, in, &s);
		return;
	default: edge(ctx, len, (uint64_t)i + 1, &s); return;
	}
}

/* Per-instruction contexts, or NULL when out of memory (the listing is then
 * printed without names that need context). */
static struct insn_known *analyse(const struct sg_insn *prog, size_t len)
{
	struct insn_known *ctx = calloc(len, sizeof *ctx);

	if (!ctx)
		return NULL;
	ctx[0].reached = 1; /* A, X: H_OTHER; arch unknown */
	for (size_t i = 0; i < len; i++)
		if (ctx[i].reached)
			step(ctx, len, i, &prog[i]);
	return ctx;
}

void sg_disasm(FILE *out, const struct sg_insn *prog, size_t len)
{
	struct insn_known *ctx;
	char line[192];

	if (!out || !prog || !len)
		return;
	ctx = analyse(prog, len);
	for (size_t i = 0; i < len; i++) {
		/* An unreachable instruction has no context worth naming things by. */
		format_insn(line, sizeof line, &prog[i], i, ctx && ctx[i].reached ? &ctx[i] : NULL);
		fprintf(out, "%04zu: %s\n", i, line);
	}
	free(ctx);
}
