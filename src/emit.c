/* Emit stage: see include/sysgate/emit.h. */
#include "sysgate/emit.h"

#include <stdlib.h>
#include <string.h>

/* The emitter's invariants, checked in debug and test builds (SG_DEBUG: make
 * DEBUG=1, SAN=1 and the fuzzers). A release build never aborts: there the
 * condition is only type-checked, never evaluated. */
#ifdef SG_DEBUG
#include <assert.h>
#define EMIT_ASSERT(x) assert(x)
#else
#define EMIT_ASSERT(x) ((void)sizeof(x))
#endif

#define WORD 0xffffffffu
#define UNSET UINT64_MAX
#define UNKNOWN (UINT64_MAX - 1)

void sg_prog_free(struct sg_prog *p)
{
	free(p->insns);
	p->insns = NULL;
	p->len = 0;
}

/* What a test leaves in A: the word it read, after its mask. */
static uint64_t a_after(const struct sg_node *n) { return (uint64_t)n->off << 32 | n->mask; }

struct layout {
	uint32_t *order;    /* nodes in program order */
	size_t n;
	size_t *pos;        /* first instruction of each node */
	size_t len;         /* program length, once placed */
	uint64_t *a_in;     /* what A holds on entry to each node */
	unsigned char *far; /* bit 0: jt needs a stub after the jump, bit 1: jf */
};

/* Reverse postorder, with the false branch visited last so it lands right
 * after its test (the common fallthrough); iterative, as chains can be long. */
static int order_nodes(const struct sg_plan *pl, struct layout *l)
{
	size_t nn = pl->nnodes;
	unsigned char *seen = calloc(nn, 1);
	uint32_t *stack = malloc(nn * 2 * sizeof(*stack));
	uint32_t *post = malloc(nn * sizeof(*post));
	size_t sp = 0, np = 0;
	if (!seen || !stack || !post) {
		free(seen), free(stack), free(post);
		return -1;
	}
	/* stack entries: node*2 (enter) or node*2+1 (leave) */
	stack[sp++] = pl->root * 2;
	while (sp) {
		uint32_t e = stack[--sp], id = e / 2;
		if (e & 1) {
			post[np++] = id;
			continue;
		}
		if (seen[id])
			continue;
		seen[id] = 1;
		stack[sp++] = e | 1;
		const struct sg_node *n = &pl->nodes[id];
		if (n->kind == SG_NODE_TEST) {
			/* pushed last = visited first: jt, then jf, so jf finishes last */
			if (!seen[n->jf])
				stack[sp++] = n->jf * 2;
			if (!seen[n->jt])
				stack[sp++] = n->jt * 2;
		}
	}
	for (size_t i = 0; i < np; i++)
		l->order[i] = post[np - 1 - i];
	l->n = np;
	free(seen), free(stack), free(post);
	return 0;
}

/* A load is left out when every way into a test already left the same word in A. */
static void track_a(const struct sg_plan *pl, struct layout *l)
{
	for (size_t i = 0; i < pl->nnodes; i++)
		l->a_in[i] = UNSET;
	l->a_in[pl->root] = UNKNOWN;
	for (size_t i = 0; i < l->n; i++) { /* program order visits predecessors first */
		const struct sg_node *n = &pl->nodes[l->order[i]];
		if (n->kind != SG_NODE_TEST)
			continue;
		uint32_t succ[2] = { n->jt, n->jf };
		for (int s = 0; s < 2; s++) {
			uint64_t *in = &l->a_in[succ[s]];
			*in = *in == UNSET ? a_after(n) : *in == a_after(n) ? *in : UNKNOWN;
		}
	}
}

static size_t node_size(const struct sg_plan *pl, const struct layout *l, uint32_t id)
{
	const struct sg_node *n = &pl->nodes[id];
	if (n->kind == SG_NODE_RET)
		return 1;
	size_t size = 1 + ((l->far[id] & 1) != 0) + ((l->far[id] & 2) != 0);
	if (l->a_in[id] != a_after(n))
		size += 1 + (n->mask != WORD);
	return size;
}

/* Places nodes; returns the program length. */
static size_t place(const struct sg_plan *pl, struct layout *l)
{
	size_t at = 0;
	for (size_t i = 0; i < l->n; i++) {
		l->pos[l->order[i]] = at;
		at += node_size(pl, l, l->order[i]);
	}
	return l->len = at;
}

/* Index of a test's jump instruction. */
static size_t jump_index(const struct sg_plan *pl, const struct layout *l, uint32_t id)
{
	const struct sg_node *n = &pl->nodes[id];
	return l->pos[id] + (l->a_in[id] != a_after(n) ? 1 + (n->mask != WORD) : 0);
}

/* Marks jumps longer than 8 bits can hold; 1 if any new one was found.
 * Stubs only lengthen other jumps, so repeating this reaches a fixed point. */
static int mark_far(const struct sg_plan *pl, struct layout *l)
{
	int changed = 0;
	for (size_t i = 0; i < l->n; i++) {
		uint32_t id = l->order[i];
		const struct sg_node *n = &pl->nodes[id];
		if (n->kind != SG_NODE_TEST)
			continue;
		size_t next = jump_index(pl, l, id) + 1; /* offsets count from here */
		if (!(l->far[id] & 1) && l->pos[n->jt] - next > 255)
			l->far[id] |= 1, changed = 1;
		if (!(l->far[id] & 2) && l->pos[n->jf] - next > 255)
			l->far[id] |= 2, changed = 1;
	}
	return changed;
}

static struct sg_insn insn(uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	return (struct sg_insn){ .code = code, .jt = jt, .jf = jf, .k = k };
}

/* The offset of a jump at index at to a node: counted from the next
 * instruction. Classic BPF only jumps forward (the order puts every node
 * after its tests), and never past the end. */
static size_t jump_offset(const struct layout *l, size_t at, uint32_t target)
{
	EMIT_ASSERT(l->pos[target] > at);
	EMIT_ASSERT(l->pos[target] < l->len);
	return l->pos[target] - (at + 1);
}

/* A far target gets a stub right after the jump: a copy of the return it
 * leads to (as short as a JA and one step less to run), or a JA. */
static struct sg_insn stub(const struct sg_plan *pl, const struct layout *l, uint32_t target, size_t at)
{
	const struct sg_node *t = &pl->nodes[target];
	if (t->kind == SG_NODE_RET)
		return insn(SG_BPF_RET | SG_BPF_K, 0, 0, t->ret);
	return insn(SG_BPF_JMP | SG_BPF_JA, 0, 0, (uint32_t)jump_offset(l, at, target));
}

static void write_node(const struct sg_plan *pl, const struct layout *l, uint32_t id, struct sg_insn *out)
{
	const struct sg_node *n = &pl->nodes[id];
	size_t at = l->pos[id];
	if (n->kind == SG_NODE_RET) {
		out[at] = insn(SG_BPF_RET | SG_BPF_K, 0, 0, n->ret);
		return;
	}
	if (l->a_in[id] != a_after(n)) {
		out[at++] = insn(SG_BPF_LD | SG_BPF_W | SG_BPF_ABS, 0, 0, n->off);
		if (n->mask != WORD)
			out[at++] = insn(SG_BPF_ALU | SG_BPF_AND | SG_BPF_K, 0, 0, n->mask);
	}
	size_t j = at++;
	int ft = l->far[id] & 1, ff = (l->far[id] & 2) != 0;
	/* a far branch jumps to its stub: jt's right after the jump, jf's after jt's */
	size_t jt = ft ? 0 : jump_offset(l, j, n->jt);
	size_t jf = ff ? (size_t)ft : jump_offset(l, j, n->jf);
	EMIT_ASSERT(jt <= 255 && jf <= 255); /* mark_far gave every longer jump a stub */
	out[j] = insn(SG_BPF_JMP | n->op | SG_BPF_K, (uint8_t)jt, (uint8_t)jf, n->k);
	if (ft)
		out[at] = stub(pl, l, n->jt, at), at++;
	if (ff)
		out[at] = stub(pl, l, n->jf, at), at++;
	EMIT_ASSERT(at == l->pos[id] + node_size(pl, l, id)); /* as placed */
}

int sg_emit(const struct sg_plan *pl, struct sg_prog *out, struct sg_diags *d)
{
	struct layout l = { 0 };
	size_t nn = pl->nnodes, len = 0;
	int rc = -1;
	out->insns = NULL;
	out->len = 0;
	l.order = malloc(nn * sizeof(*l.order));
	l.pos = calloc(nn, sizeof(*l.pos));
	l.a_in = malloc(nn * sizeof(*l.a_in));
	l.far = calloc(nn, 1);
	if (!l.order || !l.pos || !l.a_in || !l.far || order_nodes(pl, &l)) {
		sg_error(d, NULL, NULL, "out of memory while emitting the filter");
		goto out;
	}
	track_a(pl, &l);
	do
		len = place(pl, &l);
	while (mark_far(pl, &l));
	if (len > SG_BPF_MAXINSNS) {
		sg_error(d, NULL, NULL, "the filter is %zu instructions; the kernel accepts at most %d", len,
			 SG_BPF_MAXINSNS);
		goto out;
	}
	out->insns = calloc(len, sizeof(*out->insns));
	if (!out->insns) {
		sg_error(d, NULL, NULL, "out of memory while emitting the filter");
		goto out;
	}
	for (size_t i = 0; i < l.n; i++)
		write_node(pl, &l, l.order[i], out->insns);
	out->len = len;
	rc = 0;
out:
	free(l.order), free(l.pos), free(l.a_in), free(l.far);
	return rc;
}

int sg_compile(const struct sg_policy *pol, const struct sg_compile_opts *o, struct sg_prog *out, struct sg_diags *d)
{
	struct sg_plan *pl = sg_plan_build(pol, o, d);
	if (!pl)
		return -1;
	int rc = sg_emit(pl, out, d);
	sg_plan_free(pl);
	return rc;
}

static void put16(unsigned char *b, uint16_t v, enum sg_endian e)
{
	b[e == SG_BIG_ENDIAN ? 0 : 1] = (unsigned char)(v >> 8);
	b[e == SG_BIG_ENDIAN ? 1 : 0] = (unsigned char)v;
}

static void put32(unsigned char *b, uint32_t v, enum sg_endian e)
{
	int big = e == SG_BIG_ENDIAN; /* the high byte first, or last */
	b[big ? 0 : 3] = (unsigned char)(v >> 24);
	b[big ? 1 : 2] = (unsigned char)(v >> 16);
	b[big ? 2 : 1] = (unsigned char)(v >> 8);
	b[big ? 3 : 0] = (unsigned char)v;
}

static uint16_t get16(const unsigned char *b, enum sg_endian e)
{
	return e == SG_BIG_ENDIAN ? (uint16_t)(b[0] << 8 | b[1]) : (uint16_t)(b[1] << 8 | b[0]);
}

static uint32_t get32(const unsigned char *b, enum sg_endian e)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | b[e == SG_BIG_ENDIAN ? i : 3 - i];
	return v;
}

int sg_prog_to_raw(const struct sg_prog *p, enum sg_endian e, unsigned char **buf, size_t *len)
{
	unsigned char *b = malloc(p->len * 8 + 1);
	if (!b)
		return -1;
	for (size_t i = 0; i < p->len; i++) {
		put16(b + 8 * i, p->insns[i].code, e);
		b[8 * i + 2] = p->insns[i].jt;
		b[8 * i + 3] = p->insns[i].jf;
		put32(b + 8 * i + 4, p->insns[i].k, e);
	}
	*buf = b;
	*len = p->len * 8;
	return 0;
}

int sg_prog_from_raw(const unsigned char *buf, size_t len, enum sg_endian e, struct sg_prog *p, struct sg_diags *d,
		     const char *file)
{
	p->insns = NULL;
	p->len = 0;
	if (len == 0 || len % 8)
		return sg_error(d, file, NULL, "%zu bytes is not a whole number of 8-byte BPF instructions", len);
	if (len / 8 > SG_BPF_MAXINSNS)
		return sg_error(d, file, NULL, "%zu instructions; the kernel accepts at most %d", len / 8,
				SG_BPF_MAXINSNS);
	p->insns = malloc(len / 8 * sizeof(*p->insns));
	if (!p->insns)
		return sg_error(d, file, NULL, "out of memory");
	for (size_t i = 0; i < len / 8; i++)
		p->insns[i] = insn(get16(buf + 8 * i, e), buf[8 * i + 2], buf[8 * i + 3], get32(buf + 8 * i + 4, e));
	p->len = len / 8;
	return 0;
}
