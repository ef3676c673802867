/* Architecture lookups over the tables generated into arch/ by arch/gen-tables. */
#include <stdlib.h>
#include <string.h>

#include <sysgate/arch.h>
#include <sysgate/diag.h>

#include "../arch/arches.h"

const struct sg_arch *const *sg_arches(size_t *count)
{
	if (count)
		*count = SG_NARCHES;
	return sg_arch_table;
}

/* ASCII-only, so the result does not depend on the locale. */
static int ascii_tolower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int ascii_casecmp(const char *a, const char *b)
{
	for (; *a && ascii_tolower((unsigned char)*a) == ascii_tolower((unsigned char)*b); a++, b++)
		;
	return ascii_tolower((unsigned char)*a) - ascii_tolower((unsigned char)*b);
}

static int is_scmp_form(const char *name)
{
	static const char prefix[] = "scmp_arch_";
	size_t i;

	for (i = 0; i < sizeof(prefix) - 1; i++)
		if (ascii_tolower((unsigned char)name[i]) != prefix[i])
			return 0;
	return 1;
}

/* Names used for x86 besides "x86" and Go's "386". */
static const char *const x86_extra_names[] = { "i386", "i686" };

const struct sg_arch *sg_arch_lookup(const char *name)
{
	size_t i;

	if (!name || !*name)
		return NULL;
	/* the SCMP_ form as written most often, compared exactly first: the
	 * names differ even ignoring case, so this is the match below too (a
	 * first character that differs rules out most, before any strcmp) */
	static const char prefix[] = "SCMP_ARCH_";
	const size_t np = sizeof(prefix) - 1;
	if (strncmp(name, prefix, np) == 0)
		for (i = 0; i < SG_NARCHES; i++)
			if (name[np] == sg_arch_table[i]->scmp_name[np] && strcmp(name + np, sg_arch_table[i]->scmp_name + np) == 0)
				return sg_arch_table[i];
	int scmp = is_scmp_form(name);
	for (i = 0; i < SG_NARCHES; i++) {
		const struct sg_arch *a = sg_arch_table[i];

		if (scmp) {
			if (ascii_casecmp(name, a->scmp_name) == 0)
				return a;
		} else if ((*name == *a->name && strcmp(name, a->name) == 0) ||
			   (*name == *a->go_name && strcmp(name, a->go_name) == 0)) {
			return a;
		}
	}
	for (i = 0; i < sizeof(x86_extra_names) / sizeof(x86_extra_names[0]); i++)
		if (strcmp(name, x86_extra_names[i]) == 0)
			return &sg_arch_x86;
	return NULL;
}

/* Names other tools give an architecture: Debian's, uname -m's. */
static const struct {
	const char *name, *arch;
} other_names[] = {
	{ "armhf", "arm" }, { "armel", "arm" }, { "armv7l", "arm" }, { "armv7", "arm" }, { "ppc64el", "ppc64le" },
	{ "loong64", "loongarch64" }, { "x64", "x86_64" },
};

const struct sg_arch *sg_arch_guess(const char *name)
{
	char low[32];
	size_t n = 0;
	if (!name)
		return NULL;
	if (is_scmp_form(name))
		name += sizeof("SCMP_ARCH_") - 1;
	for (; *name && n < sizeof(low) - 1; name++) /* the case dropped, '-' read as '_' */
		low[n++] = *name == '-' ? '_' : (char)ascii_tolower((unsigned char)*name);
	low[n] = '\0';
	if (*name) /* longer than any name */
		return NULL;
	const struct sg_arch *a = sg_arch_lookup(low);
	for (size_t i = 0; !a && i < sizeof(other_names) / sizeof(*other_names); i++)
		if (strcmp(low, other_names[i].name) == 0)
			a = sg_arch_lookup(other_names[i].arch);
	return a;
}

const struct sg_arch *sg_arch_suggest(const char *name)
{
	const struct sg_arch *a = sg_arch_guess(name);
	if (a || !name)
		return a;
	struct sg_suggester s;
	sg_suggest_init(&s, name);
	for (size_t i = 0; i < SG_NARCHES; i++) {
		sg_suggest_try(&s, sg_arch_table[i]->scmp_name);
		sg_suggest_try(&s, sg_arch_table[i]->name);
		sg_suggest_try(&s, sg_arch_table[i]->go_name);
	}
	return s.best ? sg_arch_guess(s.best) : NULL;
}

/* Architectures libseccomp knows that sysgate has no tables for. */
static const char *const unsupported[] = {
	"parisc", "parisc64", "m68k", "sh", "sheb",
};

int sg_arch_known_unsupported(const char *name)
{
	static const char prefix[] = "SCMP_ARCH_";
	size_t i;

	if (!name)
		return 0;
	if (is_scmp_form(name))
		name += sizeof(prefix) - 1;
	for (i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (ascii_casecmp(name, unsupported[i]) == 0)
			return 1;
	return 0;
}

const struct sg_arch *sg_arch_native(void)
{
#if defined(__x86_64__) && defined(__ILP32__)
	return &sg_arch_x32;
#elif defined(__x86_64__)
	return &sg_arch_x86_64;
#elif defined(__i386__)
	return &sg_arch_x86;
#elif defined(__aarch64__)
	return &sg_arch_aarch64;
#elif defined(__arm__) && (defined(__ARM_EABI__) || defined(__thumb__))
	return &sg_arch_arm;
#elif defined(__riscv) && defined(__riscv_xlen) && __riscv_xlen == 64
	return &sg_arch_riscv64;
#elif defined(__s390x__)
	return &sg_arch_s390x;
#elif defined(__s390__)
	return &sg_arch_s390;
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
	return &sg_arch_ppc64le;
#elif defined(__powerpc64__)
	return &sg_arch_ppc64;
#elif defined(__powerpc__)
	return &sg_arch_ppc;
#elif defined(__mips__) && defined(_MIPS_SIM) && defined(_ABIO32) && _MIPS_SIM == _ABIO32
#if defined(__MIPSEL__)
	return &sg_arch_mipsel;
#else
	return &sg_arch_mips;
#endif
#elif defined(__mips__) && defined(_MIPS_SIM) && defined(_ABI64) && _MIPS_SIM == _ABI64
#if defined(__MIPSEL__)
	return &sg_arch_mipsel64;
#else
	return &sg_arch_mips64;
#endif
#elif defined(__mips__) && defined(_MIPS_SIM) && defined(_ABIN32) && _MIPS_SIM == _ABIN32
#if defined(__MIPSEL__)
	return &sg_arch_mipsel64n32;
#else
	return &sg_arch_mips64n32;
#endif
#elif defined(__loongarch64)
	return &sg_arch_loongarch64;
#else
	/* ARM OABI, 32-bit RISC-V, and everything else: no table. */
	return NULL;
#endif
}

const struct sg_arch *sg_arch_by_audit(uint32_t audit_arch)
{
	for (size_t i = 0; i < SG_NARCHES; i++)
		if (sg_arch_table[i]->audit_arch == audit_arch)
			return sg_arch_table[i];
	return NULL;
}

const struct sg_arch *sg_arch_for_call(uint32_t audit_arch, uint32_t nr)
{
	const struct sg_arch *best = NULL;
	for (size_t i = 0; i < SG_NARCHES; i++) {
		const struct sg_arch *a = sg_arch_table[i];
		if (a->audit_arch == audit_arch && nr >= a->nr_base && (!best || a->nr_base > best->nr_base))
			best = a;
	}
	return best;
}

/* Groups of ABIs one kernel runs side by side (its native and compat ABIs). */
static const struct sg_arch *const families[][3] = {
	{ &sg_arch_x86_64, &sg_arch_x86, &sg_arch_x32 },
	{ &sg_arch_aarch64, &sg_arch_arm, NULL },
	{ &sg_arch_s390x, &sg_arch_s390, NULL },
	{ &sg_arch_ppc64, &sg_arch_ppc, NULL },
	{ &sg_arch_mips64, &sg_arch_mips64n32, &sg_arch_mips },
	{ &sg_arch_mipsel64, &sg_arch_mipsel64n32, &sg_arch_mipsel },
};

size_t sg_arch_family(const struct sg_arch *arch, const struct sg_arch **out, size_t cap)
{
	size_t n = 0;
	if (!arch)
		return 0;
	if (n < cap)
		out[n] = arch;
	n++;
	for (size_t f = 0; f < sizeof(families) / sizeof(*families); f++) {
		int member = 0;
		for (size_t k = 0; k < 3; k++)
			member |= families[f][k] == arch;
		for (size_t i = 0; member && i < SG_NARCHES; i++)
			for (size_t k = 0; k < 3; k++)
				if (families[f][k] == sg_arch_table[i] && sg_arch_table[i] != arch) {
					if (n < cap)
						out[n] = sg_arch_table[i];
					n++;
				}
	}
	return n;
}

static int cmp_syscall(const void *name, const void *entry) { return strcmp(name, sg_syscall_str(entry)); }
static int cmp_errno(const void *name, const void *entry) { return strcmp(name, sg_errno_str(entry)); }

int sg_syscall_nr(const struct sg_arch *arch, const char *name, uint32_t *nr)
{
	const struct sg_syscall *s =
		arch && name ? bsearch(name, arch->by_name, arch->nsyscalls, sizeof(*s), cmp_syscall) : NULL;
	if (s && nr)
		*nr = sg_syscall_num(arch, s);
	return s ? 0 : -1;
}

const char *sg_syscall_name(const struct sg_arch *arch, uint32_t nr)
{
	/* A scan: a few hundred entries, and no second index to carry in every
	 * binary. Where a number has two names (arm's sync_file_range2), the
	 * kernel table's own sorts first; the generator checks that. */
	if (!arch)
		return NULL;
	for (size_t i = 0; i < arch->nsyscalls; i++)
		if (sg_syscall_num(arch, &arch->by_name[i]) == nr)
			return sg_syscall_str(&arch->by_name[i]);
	return NULL;
}

int sg_errno_value(const struct sg_arch *arch, const char *name, uint16_t *value)
{
	const struct sg_errno *e =
		arch && name ? bsearch(name, arch->errnos, arch->nerrnos, sizeof(*e), cmp_errno) : NULL;
	if (e && value)
		*value = e->value;
	return e ? 0 : -1;
}
