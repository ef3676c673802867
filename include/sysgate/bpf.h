/* Classic BPF as seccomp uses it: the instruction layout of the kernel's
 * struct sock_filter and the opcodes sysgate emits. */
#ifndef SYSGATE_BPF_H
#define SYSGATE_BPF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sg_insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

struct sg_prog {
	struct sg_insn *insns;
	size_t len;
};

#define SG_BPF_MAXINSNS 4096 /* BPF_MAXINSNS: the kernel refuses longer filters */

/* linux/bpf_common.h */
#define SG_BPF_LD 0x00
#define SG_BPF_LDX 0x01
#define SG_BPF_ST 0x02
#define SG_BPF_STX 0x03
#define SG_BPF_ALU 0x04
#define SG_BPF_JMP 0x05
#define SG_BPF_RET 0x06
#define SG_BPF_MISC 0x07
#define SG_BPF_W 0x00
#define SG_BPF_H 0x08
#define SG_BPF_B 0x10
#define SG_BPF_IMM 0x00
#define SG_BPF_ABS 0x20
#define SG_BPF_IND 0x40
#define SG_BPF_MEM 0x60
#define SG_BPF_LEN 0x80
#define SG_BPF_MSH 0xa0
#define SG_BPF_ADD 0x00
#define SG_BPF_SUB 0x10
#define SG_BPF_MUL 0x20
#define SG_BPF_DIV 0x30
#define SG_BPF_OR 0x40
#define SG_BPF_AND 0x50
#define SG_BPF_LSH 0x60
#define SG_BPF_RSH 0x70
#define SG_BPF_NEG 0x80
#define SG_BPF_MOD 0x90
#define SG_BPF_XOR 0xa0
#define SG_BPF_JA 0x00
#define SG_BPF_JEQ 0x10
#define SG_BPF_JGT 0x20
#define SG_BPF_JGE 0x30
#define SG_BPF_JSET 0x40
#define SG_BPF_K 0x00
#define SG_BPF_X 0x08
#define SG_BPF_A 0x10
#define SG_BPF_TAX 0x00
#define SG_BPF_TXA 0x80
#define SG_BPF_MEMWORDS 16

void sg_prog_free(struct sg_prog *p);

#ifdef __cplusplus
}
#endif

#endif
