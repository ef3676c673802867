/* Audit log stage: the kernel's seccomp records (audit type 1326,
 * AUDIT_SECCOMP) read back from the text logs that hold them, one line at a
 * time, as structured calls: which syscall, on which architecture, got which
 * action, from which program. Feeds a profile from what a program did.
 *
 * Accepted, with whatever prefix the log adds before "type=" (dmesg's
 * "[12345.678901] ", syslog's "Dec  1 18:00:00 host kernel: ", journalctl's):
 *   audit: type=1326 audit(1701450000.123:456): ... arch=c000003e syscall=165 ...
 *   type=SECCOMP msg=audit(1701450000.123:456): ... arch=c000003e syscall=165 ...
 *   type=1326 msg=audit(...): ...             (auditd, numeric type)
 *   audit[1234]: SECCOMP auid=... arch=c000003e syscall=165 ... (journald's audit transport)
 * and auditd's ENRICHED form, which appends interpretations (ARCH=x86_64
 * SYSCALL=close) after a 0x1d byte or a space. Only the lowercase numeric
 * fields are read: they are what the filter saw, while the interpretations
 * depend on the tables of the machine that wrote the log.
 *
 * A log is data, not a profile: a line that is no seccomp record is the
 * common case, and one that is cut or garbled is a result to count, not a
 * failure of the stage. So the parser returns what the line is and never
 * touches a struct sg_diags; the caller knows the file and line number, and
 * decides whether a MALFORMED line is worth a warning. It allocates nothing
 * and keeps no state between lines. */
#ifndef SYSGATE_AUDITLOG_H
#define SYSGATE_AUDITLOG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* comm is at most 16 bytes today (TASK_COMM_LEN), exe at most PATH_MAX;
 * each buffer keeps a NUL after the bytes. */
#define SG_AUDIT_COMM_MAX 64
#define SG_AUDIT_EXE_MAX 4096

/* One record. Only arch and nr are always there; the kernel writes every
 * field, but a line may be cut or come from a tool that drops some. A field
 * whose value cannot be read (not a number, out of range, cut, too long)
 * counts as absent. */
struct sg_audit_call {
	uint32_t arch;   /* arch=: AUDIT_ARCH_*, 1 to 8 hex digits */
	uint32_t nr;     /* syscall=: seccomp_data.nr as the filter saw it (x32 bit and MIPS base included),
			  * decimal; the kernel prints it as an int, so -1 reads as 0xffffffff */
	int has_code;
	uint32_t code;   /* code=0x...: the filter's SECCOMP_RET_* action | data */
	int has_pid;
	long pid;
	int has_sig;
	int sig;         /* sig=: the signal the action sends (31, SIGSYS, for a kill), 0 for none */
	int compat;      /* compat=: 1 for a compat (32-bit) call, 0 for a native one, -1 when absent */
	/* comm= and exe= as bytes: the kernel writes a value "quoted", or in hex
	 * when it holds a space, a quote, a control or non-ASCII byte; the hex is
	 * decoded here and the bytes kept as they are (sg_quote shows them
	 * safely). "(null)", the kernel's word for none, leaves has_* at 0. */
	int has_comm;
	size_t comm_len;
	char comm[SG_AUDIT_COMM_MAX];
	int has_exe;
	size_t exe_len;
	char exe[SG_AUDIT_EXE_MAX];
};

enum sg_audit_kind {
	SG_AUDIT_OTHER,     /* no seccomp record: other audit types, any other text, an empty line */
	SG_AUDIT_SECCOMP,   /* a seccomp record with a usable arch and syscall */
	SG_AUDIT_MALFORMED, /* type=1326 or type=SECCOMP, but no usable arch or syscall (a cut line) */
};

/* Reads one line of len bytes (a trailing newline is fine; no NUL needed).
 * *out is reset first and holds every field read, also for a MALFORMED
 * line. For MALFORMED, *why (when why is not NULL) is a short static text,
 * "no syscall= field"; otherwise NULL.
 *
 * The record is found at the first "type=" that starts a token (after a
 * space or at the start of the line) and must go on with its
 * "audit(...):" or "msg=audit(...):" stamp. Its fields are then read as
 * key=value tokens separated by spaces, keys only at token starts and a
 * "quoted" value up to its closing quote, so a comm="syscall=5" is a comm;
 * a token without '=' (AppArmor's "(enforce)" after subj=) is skipped and
 * the first of repeated keys counts. A line cut after a number's first
 * digit reads as a smaller number: nothing in the line can tell. */
enum sg_audit_kind sg_audit_parse_line(const char *line, size_t len, struct sg_audit_call *out, const char **why);

#ifdef __cplusplus
}
#endif

#endif
