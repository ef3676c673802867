/* Between the parse stage's schema (parse.c) and the source stage that finds
 * the profile object in a document (source.c). Internal to the library. */
#ifndef SYSGATE_SRC_PARSE_IMPL_H
#define SYSGATE_SRC_PARSE_IMPL_H

#include "sysgate/profile.h"
#include "walk.h"

/* Reads the profile at token t (a runtime-spec profile, or a SeccompProfile
 * object) into p, whose file is set: 0, or -1 with every error in w->d. */
int sg_parse_profile_at(struct walker *w, int t, const struct sg_loc *at, struct sg_profile *p);

/* Loads JSON or YAML text and parses its profile: the SeccompProfile named
 * name, else the index-th (from 1), else the only one (source.c). No base
 * is merged. */
struct sg_profile *sg_parse_text(const char *file, const char *text, size_t len, const char *name, size_t index,
				 struct sg_diags *d);

#endif
