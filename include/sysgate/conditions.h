/* Docker's includes/excludes: whether a rule applies to the container being
 * started, by its architecture, its capabilities and the kernel it runs on.
 * Capability names and kernel versions are read here and nowhere else. */
#ifndef SYSGATE_CONDITIONS_H
#define SYSGATE_CONDITIONS_H

#include <stdint.h>

#include "sysgate/arch.h"
#include "sysgate/profile.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Docker's selection: excludes drop a rule if any listed arch, any listed
 * capability or the kernel version matches; includes keep it only if the
 * arch is listed, every capability is held and the kernel is new enough.
 * Compared as moby compares them: arches and capabilities as exact strings
 * (the host's Docker name, "amd64"; "CAP_SYS_ADMIN"), kernels by major and
 * minor only. host is the native arch, caps has bit n for capability n. */
int sg_rule_applies(const struct sg_rule *r, const struct sg_arch *host, uint64_t caps, const unsigned kernel[3]);

/* Docker's name for a host arch ("amd64", "x86", "arm64", ...: Go's
 * runtime.GOARCH as moby renames it), or NULL where moby has none. */
const char *sg_docker_arch_name(const struct sg_arch *host);
/* Whether Docker on that host looks for an archMap entry (its SCMP_ARCH_* name, exactly). */
int sg_docker_reads_archmap(const struct sg_arch *host);
/* The arch a Docker host name stands for, or NULL. */
const struct sg_arch *sg_docker_arch_lookup(const char *name);

/* Capabilities by name: "CAP_SYS_ADMIN" or "sys_admin", any case (for the
 * command line). -1 if unknown. */
int sg_cap_lookup(const char *name);
/* Exactly "CAP_SYS_ADMIN", as Docker compares a profile's caps. -1 otherwise. */
int sg_cap_exact(const char *name);
const char *sg_cap_name(unsigned cap); /* "CAP_SYS_ADMIN"; NULL past the last */
uint64_t sg_caps_docker_default(void); /* the 14 a Docker container gets */

/* Reads "6.1" or "6.1.12" at s: 0 with v set, or -1 when s does not start
 * with at least major.minor. *end (if end is not NULL) is set just past the
 * version, so a caller that wants nothing else checks **end == '\0'; one
 * that reads uname's "6.1.0-18-amd64" ignores the rest. */
int sg_kernel_parse(const char *s, unsigned v[3], const char **end);

/* The running kernel's version: 0, or -1 (and v = 0.0.0) when unknown. */
int sg_kernel_running(unsigned v[3]);

/* Kernel version a >= b. */
int sg_kernel_ge(const unsigned a[3], const unsigned b[3]);

#ifdef __cplusplus
}
#endif

#endif
