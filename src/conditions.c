/* Docker's includes/excludes: see include/sysgate/conditions.h. */
#include "sysgate/conditions.h"

#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

/* moby's profiles/seccomp names the host by goToNative[runtime.GOARCH]:
 * that string is what includes/excludes "arches" are compared with, and
 * nativeToSeccomp of it the archMap entry it looks for. Hosts moby has no
 * name for (x32 is never a Go host; mips o32 big-endian; loongarch64 in the
 * moby code read) match no "arches" and ignore archMap; on mipsel moby's
 * second map is keyed "mipsle", so its archMap is ignored too. */
static const struct docker_host {
	const char *arch; /* sysgate's name */
	const char *name; /* Docker's */
	int archmap;
} docker_hosts[] = {
	{ "x86_64", "amd64", 1 },        { "x86", "x86", 1 },         { "aarch64", "arm64", 1 },
	{ "arm", "arm", 1 },             { "riscv64", "riscv64", 1 }, { "s390x", "s390x", 1 },
	{ "s390", "s390", 1 },           { "ppc64le", "ppc64le", 1 }, { "ppc64", "ppc64", 1 },
	{ "ppc", "ppc", 1 },             { "mips64", "mips64", 1 },   { "mipsel64", "mipsel64", 1 },
	{ "mips64n32", "mips64n32", 1 }, { "mipsel64n32", "mips3l64n32", 1 }, { "mipsel", "mipsel", 0 },
};
#define NHOSTS (sizeof(docker_hosts) / sizeof(*docker_hosts))

static const struct docker_host *docker_host(const struct sg_arch *host)
{
	for (size_t i = 0; host && i < NHOSTS; i++)
		if (strcmp(docker_hosts[i].arch, host->name) == 0)
			return &docker_hosts[i];
	return NULL;
}

const char *sg_docker_arch_name(const struct sg_arch *host)
{
	const struct docker_host *h = docker_host(host);
	return h ? h->name : NULL;
}

int sg_docker_reads_archmap(const struct sg_arch *host)
{
	const struct docker_host *h = docker_host(host);
	return h && h->archmap;
}

const struct sg_arch *sg_docker_arch_lookup(const char *name)
{
	for (size_t i = 0; i < NHOSTS; i++)
		if (strcmp(docker_hosts[i].name, name) == 0)
			return sg_arch_lookup(docker_hosts[i].arch);
	return NULL;
}

/* inSlice: exact strings, as moby compares them. */
static int arch_in(const struct sg_filter *f, const char *host)
{
	for (size_t i = 0; host && i < f->narches; i++)
		if (strcmp(f->arches[i], host) == 0)
			return 1;
	return 0;
}

static int has_cap(uint64_t caps, const char *name)
{
	int cap = sg_cap_exact(name);
	return cap >= 0 && (caps >> cap & 1);
}

/* moby compares kernel.major: 3.12.25-gentoo and 3.12 are equal */
static int kernel_at_least(const unsigned kernel[3], const unsigned min[3])
{
	return kernel[0] != min[0] ? kernel[0] > min[0] : kernel[1] >= min[1];
}

int sg_rule_applies(const struct sg_rule *r, const struct sg_arch *host, uint64_t caps, const unsigned kernel[3])
{
	const char *name = sg_docker_arch_name(host);
	if (r->excludes) {
		const struct sg_filter *f = r->excludes;
		if (f->narches && arch_in(f, name))
			return 0;
		for (size_t i = 0; i < f->ncaps; i++)
			if (has_cap(caps, f->caps[i]))
				return 0;
		if (f->has_min_kernel && kernel_at_least(kernel, f->min_kernel))
			return 0;
	}
	if (r->includes) {
		const struct sg_filter *f = r->includes;
		if (f->narches && !arch_in(f, name))
			return 0;
		for (size_t i = 0; i < f->ncaps; i++)
			if (!has_cap(caps, f->caps[i]))
				return 0;
		if (f->has_min_kernel && !kernel_at_least(kernel, f->min_kernel))
			return 0;
	}
	return 1;
}

/* linux/capability.h numbering */
static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
	"CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
	"CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
	"CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};
#define NCAPS (sizeof(cap_names) / sizeof(*cap_names))

int sg_cap_lookup(const char *name)
{
	const char *bare = strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;
	for (size_t i = 0; i < NCAPS; i++)
		if (strcasecmp(bare, cap_names[i] + 4) == 0)
			return (int)i;
	return -1;
}

int sg_cap_exact(const char *name)
{
	/* past the prefix all share, the first letter rules out most */
	if (strncmp(name, "CAP_", 4) != 0)
		return -1;
	for (size_t i = 0; i < NCAPS; i++)
		if (name[4] == cap_names[i][4] && strcmp(name + 4, cap_names[i] + 4) == 0)
			return (int)i;
	return -1;
}

const char *sg_cap_name(unsigned cap) { return cap < NCAPS ? cap_names[cap] : NULL; }

uint64_t sg_caps_docker_default(void)
{
	/* the 14 capabilities Docker grants a container by default */
	static const char *const dflt[] = {
		"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
		"CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
		"CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
	};
	uint64_t caps = 0;
	for (size_t i = 0; i < sizeof(dflt) / sizeof(*dflt); i++)
		caps |= 1ull << sg_cap_exact(dflt[i]);
	return caps;
}

int sg_kernel_parse(const char *s, unsigned v[3], const char **end)
{
	unsigned out[3] = { 0, 0, 0 };
	size_t parts = 0;
	const char *last = s;
	while (parts < 3 && *s >= '0' && *s <= '9') {
		unsigned long x = 0;
		while (*s >= '0' && *s <= '9' && x < 1000000)
			x = x * 10 + (unsigned long)(*s++ - '0');
		out[parts++] = (unsigned)x;
		last = s;
		if (*s != '.')
			break;
		s++;
	}
	if (end)
		*end = last;
	if (parts < 2)
		return -1;
	memcpy(v, out, sizeof(out));
	return 0;
}

int sg_kernel_running(unsigned v[3])
{
	struct utsname u;
	if (uname(&u) == 0 && sg_kernel_parse(u.release, v, NULL) == 0)
		return 0;
	v[0] = v[1] = v[2] = 0;
	return -1;
}

int sg_kernel_ge(const unsigned a[3], const unsigned b[3])
{
	for (int i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] > b[i];
	return 1;
}
