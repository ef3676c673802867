/* The kernel's seccomp ABI, in one place: what a filter returns, the flags
 * it is attached with, the data it reads, and the architecture facts the
 * code relies on (linux/seccomp.h, linux/audit.h, asm/unistd.h). No other
 * file spells these values; each table of names exists once, here. */
#ifndef SYSGATE_SECCOMP_H
#define SYSGATE_SECCOMP_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- return values: SECCOMP_RET_* action | 16 bits of data ---------------- */

#define SG_RET_KILL_PROCESS 0x80000000u
#define SG_RET_KILL_THREAD 0x00000000u
#define SG_RET_TRAP 0x00030000u
#define SG_RET_ERRNO 0x00050000u
#define SG_RET_USER_NOTIF 0x7fc00000u
#define SG_RET_TRACE 0x7ff00000u
#define SG_RET_LOG 0x7ffc0000u
#define SG_RET_ALLOW 0x7fff0000u
#define SG_RET_ACTION_FULL 0xffff0000u
#define SG_RET_DATA 0x0000ffffu
#define SG_ERRNO_MAX 4095 /* MAX_ERRNO: the kernel returns at most this for ERRNO data */
#define SG_ERRNO_LIBSECCOMP_MAX 4094 /* libseccomp (so runc) refuses an ERRNO action above this */

/* The actions by the names profiles use (libseccomp's). */
enum sg_action_kind {
	SG_ACT_KILL_PROCESS,
	SG_ACT_KILL_THREAD, /* also SCMP_ACT_KILL, as libseccomp defines it */
	SG_ACT_TRAP,
	SG_ACT_ERRNO,
	SG_ACT_TRACE,
	SG_ACT_LOG,
	SG_ACT_ALLOW,
	SG_ACT_NOTIFY,
};
#define SG_NACTIONS 8

struct sg_action_info {
	const char *name; /* "SCMP_ACT_ERRNO" */
	uint32_t ret;     /* SG_RET_ERRNO */
	int has_data;     /* the 16 data bits mean something: ERRNO's errno, TRACE's message */
};

/* Indexed by enum sg_action_kind. */
extern const struct sg_action_info sg_actions[SG_NACTIONS];

/* "SCMP_ACT_ERRNO" -> SG_ACT_ERRNO, and libseccomp's older "SCMP_ACT_KILL"
 * -> SG_ACT_KILL_THREAD. 0, or -1 for an unknown name. */
int sg_action_lookup(const char *name, enum sg_action_kind *out);
const char *sg_action_kind_name(enum sg_action_kind k); /* "SCMP_ACT_ERRNO"; "?" if out of range */

/* The kernel's precedence between the actions of stacked filters, which
 * sysgate applies between a syscall's rules: KILL_PROCESS, KILL_THREAD,
 * TRAP, ERRNO, USER_NOTIF, TRACE, LOG, ALLOW, most restrictive first (the
 * action part compared as a signed 32-bit value; the data never counts).
 * 0 for KILL_PROCESS up to 7 for ALLOW; 8 for a value that is no action. */
int sg_action_rank(uint32_t ret);

/* The action of a return value (its data aside): 0, or -1 for a value that
 * is no action. SCMP_ACT_KILL_THREAD for 0, never the older SCMP_ACT_KILL. */
int sg_action_kind_of(uint32_t ret, enum sg_action_kind *out);

/* A return value as text: "SCMP_ACT_ERRNO(1)", "SCMP_ACT_ALLOW", or
 * "0x%08x" for a value that is no action. */
void sg_action_format(uint32_t ret, char *buf, size_t n);

/* ---- filter flags: SECCOMP_FILTER_FLAG_* ---------------------------------- */

#define SG_FLAG_TSYNC 1u
#define SG_FLAG_LOG 2u
#define SG_FLAG_SPEC_ALLOW 4u
#define SG_FLAG_NEW_LISTENER 8u
#define SG_FLAG_TSYNC_ESRCH 16u
#define SG_FLAG_WAIT_KILLABLE_RECV 32u
#define SG_NFLAGS 6
#define SG_FLAG_PREFIX "SECCOMP_FILTER_FLAG_"

struct sg_flag_info {
	const char *name; /* "SECCOMP_FILTER_FLAG_TSYNC" */
	uint32_t flag;
	int by_runtime;   /* set by whoever loads the filter when needed, never by a profile */
};

/* In bit order. */
extern const struct sg_flag_info sg_flags[SG_NFLAGS];

const char *sg_flag_name(uint32_t flag); /* "SECCOMP_FILTER_FLAG_TSYNC"; "?" if not one flag */

/* A flag a user may ask for, by its name with or without the prefix, in any
 * case ("tsync", "SECCOMP_FILTER_FLAG_LOG"): 0, or -1 when unknown or set
 * only by the runtime. */
int sg_flag_lookup(const char *name, uint32_t *flag);

/* The flags as the kernel will take them for a filter that does (notify)
 * or does not use SCMP_ACT_NOTIFY: NEW_LISTENER with notify, TSYNC_ESRCH
 * beside TSYNC and a listener (TSYNC's failure report and the listener fd
 * share the return value), and WAIT_KILLABLE_RECV dropped, with a warning
 * naming file, without a listener (the kernel refuses it there). */
uint32_t sg_flags_complete(uint32_t flags, int notify, const char *file, struct sg_diags *d);

/* ---- struct seccomp_data: what a filter reads ---------------------------- */

#define SG_MAX_ARGS 6
#define SG_OFF_NR 0
#define SG_OFF_ARCH 4
#define SG_OFF_IP 8
#define SG_OFF_ARGS 16 /* args[i] at 16 + 8 i, each u64 in the arch's byte order */
#define SG_SECCOMP_DATA_SIZE 64

/* The fields as values; the emulator lays them out in the target's byte
 * order, so big-endian filters see the high word of an argument at the
 * lower offset, as they do on their own kernel. */
struct sg_seccomp_data {
	uint32_t nr;
	uint32_t arch;
	uint64_t ip;
	uint64_t args[SG_MAX_ARGS];
};

/* ---- architecture facts ------------------------------------------------- */

/* AUDIT_ARCH_X86_64: x86_64 and x32 report the same value in
 * seccomp_data.arch; the x32 bit in the number tells them apart. */
#define SG_AUDIT_ARCH_X86_64 0xc000003eu
#define SG_X32_SYSCALL_BIT 0x40000000u /* __X32_SYSCALL_BIT */

/* nr -1: a tracer cancelled the call; it reaches the filter again as -1. */
#define SG_NR_SKIP 0xffffffffu

/* Numbers base+0 .. base+470 of every ABI: all syscalls of the tables
 * (Linux 6.17 ends at 469) and the next one still to come. The planner
 * gives these the shortest paths; stats and bench sweep them. */
#define SG_SYSCALL_SPAN 471

#ifdef __cplusplus
}
#endif

#endif
