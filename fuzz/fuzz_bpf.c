/* Fuzz target: raw BPF bytes -> the kernel checker, the disassembler, the
 * cache predictor and, for programs the checker accepts, the interpreter,
 * whose answer must be among those sg_bpf_answers finds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sysgate/disasm.h"
#include "sysgate/emit.h"
#include "sysgate/emulate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first byte picks the byte order and the seccomp_data */
	if (size < 1)
		return 0;
	enum sg_endian e = data[0] & 1 ? SG_BIG_ENDIAN : SG_LITTLE_ENDIAN;
	struct sg_diags d;
	struct sg_prog p;
	sg_diags_init(&d);
	size_t len = (size - 1) / 8 * 8;
	if (sg_prog_from_raw(data + 1, len, e, &p, &d, "fuzz.bpf") == 0) {
		char why[160];
		int ok = sg_bpf_check(p.insns, p.len, why, sizeof(why)) == 0;
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			sg_disasm(null, p.insns, p.len);
			fclose(null);
		}
		for (size_t i = 0; i < p.len; i++) {
			char line[160];
			sg_disasm_insn(line, sizeof(line), p.insns, p.len, i);
		}
		struct sg_seccomp_data sd = { .nr = data[0], .arch = 0xc000003eu, .args = { size, data[0], ~0ull } };
		size_t executed = 0;
		uint32_t trace[64];
		/* unchecked programs too: the interpreter must stay in bounds */
		sg_bpf_run(p.insns, p.len, &sd, e, &executed, trace, 64);
		if (ok && executed == 0)
			abort();
		/* what it returned is among the answers with some fields unknown */
		struct sg_bpf_answers a;
		if (ok && sg_bpf_answers(p.insns, p.len, &sd, size * 0x9e3779b9u, e, &a) == 0) {
			uint32_t got = sg_bpf_run(p.insns, p.len, &sd, e, NULL, NULL, 0);
			size_t i = 0;
			while (i < a.n && a.ret[i] != got)
				i++;
			if (i == a.n && !a.open)
				abort();
		}
		sg_bpf_cacheable(p.insns, p.len, sd.arch, sd.nr);
		sg_prog_free(&p);
	}
	sg_diags_free(&d);
	return 0;
}
