/* Parse stage: profile JSON (OCI runtime-spec seccomp object, Docker's and
 * containers/common's additions, a Kubernetes SeccompProfile) -> rules.
 * Nothing here depends on the target architecture; see resolve.h. */
#ifndef SYSGATE_PROFILE_H
#define SYSGATE_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "sysgate/arch.h"
#include "sysgate/diag.h"
#include "sysgate/seccomp.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SG_MAX_INPUT (16u << 20) /* bytes */

/* An action as written: the errno may be a number (errnoRet) or a name
 * (containers/common's "errno"), which is resolved per architecture. */
struct sg_action {
	enum sg_action_kind kind;
	int has_errno_ret;
	uint16_t errno_ret;
	char *errno_name; /* NULL unless given */
	struct sg_loc loc;
	struct sg_loc errno_loc;
};

enum sg_op { SG_CMP_NE, SG_CMP_LT, SG_CMP_LE, SG_CMP_EQ, SG_CMP_GE, SG_CMP_GT, SG_CMP_MASKED_EQ };

struct sg_cond {
	unsigned index; /* 0..5 */
	enum sg_op op;
	uint64_t value;
	uint64_t value_two; /* MASKED_EQ: (arg & value) == (value_two & value) */
};

/* Docker's includes/excludes. */
struct sg_filter {
	char **caps;
	size_t ncaps;
	char **arches; /* Go architecture names as written ("amd64", "x32") */
	size_t narches;
	int has_min_kernel;
	unsigned min_kernel[3]; /* major, minor, patch */
	struct sg_loc loc;
};

struct sg_rule {
	char **names;
	struct sg_pos *name_pos; /* where each name is written: see sg_rule_name_loc */
	size_t nnames;
	int singular_name;       /* the name is given as "name" (the older form), not "names" */
	struct sg_action action;
	struct sg_cond *conds;
	struct sg_pos *cond_pos; /* where each condition is written: see sg_rule_cond_loc */
	size_t nconds;
	struct sg_filter *includes, *excludes; /* NULL when absent (most rules: not kept inline) */
	struct sg_loc loc;
	/* A rule merged from a base profile (baseProfileName): the file it is
	 * written in (one of the profile's base_files), and, where a name was
	 * merged away, each kept name's index as written. NULL otherwise. */
	const char *origin;
	size_t *name_at;
};

struct sg_archmap_entry {
	const struct sg_arch *arch;
	int exact; /* written as arch's SCMP_ARCH_* name: Docker matches no other spelling */
	const struct sg_arch **subs;
	size_t nsubs;
	struct sg_loc loc;
};

struct sg_profile {
	char *file;
	struct sg_action default_action;
	int has_architectures; /* the flat OCI list */
	const struct sg_arch **arches;
	size_t narches;
	int has_archmap;
	struct sg_archmap_entry *archmap;
	size_t narchmap;
	int has_flags; /* runc: no "flags" key means SPEC_ALLOW, [] means none */
	uint32_t flags;
	char *listener_path;
	char *listener_metadata;
	struct sg_rule *rules;
	size_t nrules;
	int kubernetes; /* read from a SeccompProfile object's spec */
	char *name;     /* a SeccompProfile's metadata.name, when given */
	/* spec.baseProfileName, as written; base_merged once the source stage
	 * (source.h) has merged the chain of bases, from base_files. */
	char *base_name;
	struct sg_loc base_loc;
	int base_merged;
	char **base_files;
	size_t nbase_files;
	struct sg_strings *strings; /* where the strings of its lists (names, caps, arches) are kept */
};

/* Reads a whole file ("-" is standard input), refusing more than SG_MAX_INPUT bytes. */
int sg_read_file(const char *path, char **text, size_t *len, struct sg_diags *d);

/* Parses a profile, JSON or YAML (see source.h for documents, bundles and
 * bases); NULL when there are errors (all of them are in d). The text is not
 * referenced after the call. file names the input in messages. A text of
 * several profiles (a multi-document YAML, a kind: List) is refused: the
 * source stage chooses among them. */
struct sg_profile *sg_profile_parse(const char *file, const char *text, size_t len, struct sg_diags *d);
void sg_profile_free(struct sg_profile *p);

const char *sg_op_name(enum sg_op op); /* "SCMP_CMP_EQ" */

/* Where a rule's name k, or its condition k, is written: line:col and the
 * JSON path (the rule's path and "/names/K", "/name" or "/args/K"). */
void sg_rule_name_loc(const struct sg_rule *r, size_t k, struct sg_loc *out);
void sg_rule_cond_loc(const struct sg_rule *r, size_t k, struct sg_loc *out);
/* The file rule r is written in: p's own, or a base profile's. */
const char *sg_rule_file(const struct sg_profile *p, const struct sg_rule *r);

#ifdef __cplusplus
}
#endif

#endif
