/* Source stage: the profile in what a user keeps, before the parse stage
 * reads it (profile.h):
 *   - JSON or YAML text (YAML through libyaml; the same profile either way
 *     gives the same rules);
 *   - one profile among several: a multi-document YAML stream, a kind: List
 *     (kubectl get -o yaml|json), chosen by its metadata.name;
 *   - an OCI bundle's config.json (its linux.seccomp), or the bundle's
 *     directory;
 *   - a SeccompProfile's baseProfileName, resolved and merged as the
 *     Security Profiles Operator merges it (see sg_source_merge_bases).
 * Nothing here depends on the target architecture. */
#ifndef SYSGATE_SOURCE_H
#define SYSGATE_SOURCE_H

#include <stddef.h>

#include "sysgate/diag.h"
#include "sysgate/profile.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The Security Profiles Operator stops resolving bases this deep. */
#define SG_MAX_BASE_DEPTH 15

struct sg_source_opts {
	/* The SeccompProfile to take (metadata.name) where a text holds several;
	 * NULL: the text must hold exactly one profile. */
	const char *name;
	/* Without a name: the index-th profile of the text (from 1, in the
	 * order sg_source_count counts them); 0: the text must hold one. */
	size_t index;
	/* Directories searched for a base profile NAME.yaml, NAME.yml or
	 * NAME.json, after the file's own directory. */
	const char *const *profile_path;
	size_t nprofile_path;
};

/* How many profiles text holds: the SeccompProfiles of a stream or a List,
 * else 1 (a profile, an OCI config's). -1 when it is not JSON or YAML
 * (the errors in d). */
long sg_source_count(const char *file, const char *text, size_t len, struct sg_diags *d);

/* A profile from a file, "-" (standard input) or an OCI bundle directory,
 * with its bases merged. NULL when there are errors (all of them in d). */
struct sg_profile *sg_source_load(const char *path, const struct sg_source_opts *o, struct sg_diags *d);

/* The same from text already read; file names it in messages and is where
 * base profiles are looked for beside. */
struct sg_profile *sg_source_parse(const char *file, const char *text, size_t len, const struct sg_source_opts *o,
				   struct sg_diags *d);

/* Merges p's chain of base profiles (baseProfileName) into p, as the
 * operator does: p keeps its own default action, architectures and flags;
 * the syscalls are the union of every profile's, a name on more than one
 * side taking the less restrictive decision. Bases are found by name in
 * text (the same stream's other documents, when not NULL), then beside
 * file, then along o->profile_path. oci:// references, missing bases,
 * cycles and chains deeper than SG_MAX_BASE_DEPTH are errors located at
 * the baseProfileName that names them, and so is a name whose rules the
 * union would decide per argument region with different actions (the
 * operator's merger does; sysgate refuses rather than approximate). */
int sg_source_merge_bases(struct sg_profile *p, const char *file, const char *text, size_t len,
			  const struct sg_source_opts *o, struct sg_diags *d);

#ifdef __cplusplus
}
#endif

#endif
