// A C++ program using the installed library through its public headers
// alone, built by tests/install.sh with the flags `pkg-config sysgate` gives
// (linked once against libsysgate.so, once statically): it compiles a small
// profile for x86_64 and asks the emulator what the filter answers.
// Prints one line and exits 0 when every answer is the expected one.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sysgate/arch.h"
#include "sysgate/bpf.h"
#include "sysgate/diag.h"
#include "sysgate/emit.h"
#include "sysgate/emulate.h"
#include "sysgate/profile.h"
#include "sysgate/resolve.h"
#include "sysgate/seccomp.h"

namespace {

const char profile_json[] = R"({
  "defaultAction": "SCMP_ACT_ERRNO",
  "syscalls": [
    { "names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["personality"], "action": "SCMP_ACT_ALLOW",
      "args": [ { "index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ" } ] },
    { "names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38 }
  ]
})";

// The library's objects, freed whatever path is taken.
struct compiled {
	sg_diags diags;
	sg_profile *profile = nullptr;
	sg_policy *policy = nullptr;
	sg_prog prog = { nullptr, 0 };
	compiled() { sg_diags_init(&diags); }
	~compiled()
	{
		sg_prog_free(&prog);
		sg_policy_free(policy);
		sg_profile_free(profile);
		sg_diags_free(&diags);
	}
	compiled(const compiled &) = delete;
	compiled &operator=(const compiled &) = delete;
};

int failures;

void expect(const char *what, uint32_t got, uint32_t want)
{
	if (got != want) {
		std::fprintf(stderr, "cxx_client: %s: got 0x%08x, want 0x%08x\n", what, got, want);
		failures++;
	}
}

uint32_t run(const sg_prog &prog, const sg_arch *arch, const std::string &name, uint64_t arg0)
{
	uint32_t nr = 0;
	if (sg_syscall_nr(arch, name.c_str(), &nr) != 0) {
		std::fprintf(stderr, "cxx_client: no syscall %s on %s\n", name.c_str(), arch->name);
		failures++;
	}
	sg_seccomp_data d;
	std::memset(&d, 0, sizeof(d));
	d.nr = nr;
	d.arch = arch->audit_arch;
	d.args[0] = arg0;
	return sg_bpf_run(prog.insns, prog.len, &d, arch->endian, nullptr, nullptr, 0);
}

} // namespace

int main()
{
	const sg_arch *x86_64 = sg_arch_lookup("SCMP_ARCH_X86_64");
	const sg_arch *aarch64 = sg_arch_lookup("aarch64");
	if (!x86_64 || !aarch64) {
		std::fprintf(stderr, "cxx_client: architectures x86_64 and aarch64 not found\n");
		return 1;
	}
	compiled c;
	c.profile = sg_profile_parse("client.json", profile_json, sizeof(profile_json) - 1, &c.diags);
	sg_resolve_opts ro;
	sg_resolve_opts_init(&ro);
	ro.host = x86_64;
	ro.targets[ro.ntargets++] = x86_64;
	if (c.profile)
		c.policy = sg_resolve(c.profile, &ro, &c.diags);
	sg_compile_opts co;
	sg_compile_opts_init(&co);
	if (!c.policy || sg_compile(c.policy, &co, &c.prog, &c.diags) != 0) {
		sg_diags_print(&c.diags, stderr);
		return 1;
	}
	char why[160];
	if (c.prog.len == 0 || sg_bpf_check(c.prog.insns, c.prog.len, why, sizeof(why)) != 0) {
		std::fprintf(stderr, "cxx_client: %zu instructions the kernel would refuse: %s\n", c.prog.len, why);
		return 1;
	}
	std::vector<sg_insn> insns(c.prog.insns, c.prog.insns + c.prog.len);

	expect("read", run(c.prog, x86_64, "read", 0), SG_RET_ALLOW);
	expect("personality(0xffffffff)", run(c.prog, x86_64, "personality", 0xffffffffu), SG_RET_ALLOW);
	expect("personality(8)", run(c.prog, x86_64, "personality", 8), SG_RET_ERRNO | 1);
	expect("getpid", run(c.prog, x86_64, "getpid", 0), SG_RET_ERRNO | 38);
	expect("socket", run(c.prog, x86_64, "socket", 0), SG_RET_ERRNO | 1);
	expect("aarch64 read (a foreign arch)", run(c.prog, aarch64, "read", 0), SG_RET_KILL_PROCESS);

	unsigned char *raw = nullptr;
	size_t rawlen = 0;
	if (sg_prog_to_raw(&c.prog, x86_64->endian, &raw, &rawlen) != 0 || rawlen != insns.size() * 8) {
		std::fprintf(stderr, "cxx_client: raw program of %zu bytes for %zu instructions\n", rawlen, insns.size());
		failures++;
	}
	std::free(raw);
	if (failures)
		return 1;
	std::printf("cxx_client: %zu instructions, %zu raw bytes; read allowed, getpid ENOSYS, socket EPERM\n",
		    insns.size(), rawlen);
	return 0;
}
