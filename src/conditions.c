/* Docker's includes/excludes: see include/sysgate/conditions.h. */
#include "sysgate/conditions.h"

#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

static int arch_in(const struct sg_filter *f, const struct sg_arch *host)
{
	for (size_t i = 0; i < f->narches; i++)
		if (sg_arch_lookup(f->arches[i]) == host)
			return 1;
	return 0;
}

static int has_cap(uint64_t caps, const char *name)
{
	int cap = sg_cap_lookup(name);
	return cap >= 0 && (caps >> cap & 1);
}

int sg_rule_applies(const struct sg_rule *r, const struct sg_arch *host, uint64_t caps, const unsigned kernel[3])
{
	if (r->has_excludes) {
		const struct sg_filter *f = &r->excludes;
		if (f->narches && arch_in(f, host))
			return 0;
		for (size_t i = 0; i < f->ncaps; i++)
			if (has_cap(caps, f->caps[i]))
				return 0;
		if (f->has_min_kernel && sg_kernel_ge(kernel, f->min_kernel))
			return 0;
	}
	if (r->has_includes) {
		const struct sg_filter *f = &r->includes;
		if (f->narches && !arch_in(f, host))
			return 0;
		for (size_t i = 0; i < f->ncaps; i++)
			if (!has_cap(caps, f->caps[i]))
				return 0;
		if (f->has_min_kernel && !sg_kernel_ge(kernel, f->min_kernel))
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
		caps |= 1ull << sg_cap_lookup(dflt[i]);
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
