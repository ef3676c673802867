/* Architectures: syscall tables, audit-arch constants and errno names.
 * The tables themselves are generated into arch/ by arch/gen-tables. */
#ifndef SYSGATE_ARCH_H
#define SYSGATE_ARCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum sg_endian { SG_LITTLE_ENDIAN, SG_BIG_ENDIAN };

/* Names live once in sg_name_pool and tables hold offsets: no pointers, so
 * the tables are small read-only data, shared by every process. */
extern const char sg_name_pool[];

/* Four bytes an entry: the tables are most of a static binary's data. */
struct sg_syscall {
	uint16_t name; /* offset in sg_name_pool: use sg_syscall_str() */
	uint16_t nr;   /* relative to the arch's nr_base, or SG_NR_PRIVATE + n: use sg_syscall_num() */
};

#define SG_NR_PRIVATE 0xf000u /* ARM's private calls, nr_private + n */

struct sg_errno {
	uint16_t name; /* offset in sg_name_pool: use sg_errno_str() */
	uint16_t value;
};

static inline const char *sg_syscall_str(const struct sg_syscall *s) { return sg_name_pool + s->name; }
static inline const char *sg_errno_str(const struct sg_errno *e) { return sg_name_pool + e->name; }

struct sg_arch {
	const char *name;      /* libseccomp's short name: "x86_64", "x86", "aarch64", ... */
	const char *scmp_name; /* "SCMP_ARCH_X86_64" */
	const char *go_name;   /* Go's GOARCH, used by Docker's includes/excludes: "amd64" */
	uint32_t audit_arch;   /* AUDIT_ARCH_* as seen in seccomp_data.arch */
	unsigned bits;         /* 32 or 64: the ABI's word size for syscall arguments */
	enum sg_endian endian;
	uint32_t nr_base;      /* added to table numbers: 0x40000000 (x32), 4000/5000/6000 (MIPS) */
	uint32_t nr_private;   /* arm: 0x0f0000, where its private calls (cacheflush, set_tls, ...) begin */
	int64_t socketcall_nr; /* multiplexers, -1 where the arch has none */
	int64_t ipc_nr;
	const struct sg_syscall *by_name; /* sorted by name (strcmp) */
	size_t nsyscalls;      /* entries in by_name; arches with identical tables share it */
	const struct sg_errno *errnos;    /* sorted by name; aliases (EWOULDBLOCK, ...) included */
	size_t nerrnos;
	const char *source;    /* where the table comes from, e.g. "Linux 6.17 syscall tables" */
};

/* The number the kernel sees in seccomp_data.nr (x32 bit, MIPS base included). */
static inline uint32_t sg_syscall_num(const struct sg_arch *arch, const struct sg_syscall *s)
{
	return s->nr >= SG_NR_PRIVATE ? arch->nr_private + (s->nr - SG_NR_PRIVATE) : arch->nr_base + s->nr;
}

/* Every supported architecture, in a fixed order (x86_64 first). */
const struct sg_arch *const *sg_arches(size_t *count);

/* Accepts SCMP_ARCH_X86_64, x86_64, amd64 (any of the three name sets, case-insensitive
 * for the SCMP_ form). NULL when unknown. */
const struct sg_arch *sg_arch_lookup(const char *name);

/* What a name in another convention means: case and an SCMP_ARCH_ prefix
 * dropped, '-' read as '_', then any of the three name sets or another
 * tool's (SCMP_ARCH_ARM64, AARCH64, x86-64, armhf: aarch64, aarch64,
 * x86_64, arm). NULL when it means none. */
const struct sg_arch *sg_arch_guess(const char *name);

/* The same, else the architecture whose name is closest by edit distance:
 * for a "did you mean". NULL when none is close. */
const struct sg_arch *sg_arch_suggest(const char *name);

/* True for a name libseccomp knows but sysgate does not support (parisc, m68k, sh, ...). */
int sg_arch_known_unsupported(const char *name);

/* The architecture this binary runs as, or NULL. */
const struct sg_arch *sg_arch_native(void);

/* Syscall number by name on an arch: 0 and *nr set, or -1 when the arch has no such call. */
int sg_syscall_nr(const struct sg_arch *arch, const char *name, uint32_t *nr);

/* The first architecture with this AUDIT_ARCH value (x86_64 before x32,
 * which shares it), or NULL. */
const struct sg_arch *sg_arch_by_audit(uint32_t audit_arch);

/* The architecture of a call as seccomp_data reports it: by its audit
 * value and, where two ABIs share one (x86_64 and x32), by the number's
 * base. NULL when sysgate has no table for it. */
const struct sg_arch *sg_arch_for_call(uint32_t audit_arch, uint32_t nr);

/* The architectures whose programs a kernel that runs `arch` may also run
 * (x86_64: x86, x32; aarch64: arm; ...): arch first, then the others of its
 * group in sg_arches() order. Writes at most cap, returns how many there are. */
size_t sg_arch_family(const struct sg_arch *arch, const struct sg_arch **out, size_t cap);

/* Name of a number on an arch, or NULL. */
const char *sg_syscall_name(const struct sg_arch *arch, uint32_t nr);

/* How the kernel reads one argument of a syscall: how many low bits of the
 * register it keeps, from the C type its entry point declares
 * (SYSCALL_DEFINE / COMPAT_SYSCALL_DEFINE, generated into arch/ from the
 * kernel's own declarations).  Only an argument narrower than the ABI's
 * word has a name and a type: those are the ones a filter must compare
 * narrower, and the tables keep no names for the others. */
struct sg_arg_decl {
	const char *name; /* "family" when bits < arch->bits, else NULL */
	const char *type; /* "int", "umode_t" when bits < arch->bits, else NULL */
	unsigned bits;    /* low bits the kernel keeps: 16, 32, or the ABI's word (arch->bits) */
	int is_signed;    /* narrower than the word and signed: C sign-extends it (int, pid_t) */
};

/* Argument index (0..5) of the call numbered nr on arch: 1 and *out set;
 * 0 when the call takes fewer arguments (the kernel reads no such
 * register); -1 when sysgate has no declaration for the call. */
int sg_syscall_arg(const struct sg_arch *arch, uint32_t nr, unsigned index, struct sg_arg_decl *out);

/* errno by name ("EPERM") on an arch: 0 and *value set, or -1. */
int sg_errno_value(const struct sg_arch *arch, const char *name, uint16_t *value);

#ifdef __cplusplus
}
#endif

#endif
