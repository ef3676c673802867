/* Text built in memory, for the stages that write profiles (learn,
 * decompile). Internal to the library. */
#ifndef SYSGATE_SRC_TEXTOUT_H
#define SYSGATE_SRC_TEXTOUT_H

#include <stddef.h>

#include "sysgate/diag.h"

struct sg_out {
	char *buf;
	size_t len, cap;
	int failed; /* memory ran out: the text is incomplete */
};

void sg_out_put(struct sg_out *o, const char *fmt, ...) SG_PRINTF(2, 3);
/* A JSON string: the quotes, \" \\ and control bytes escaped. */
void sg_out_string(struct sg_out *o, const char *s);
/* A Kubernetes metadata.name (a DNS-1123 subdomain) made of name's
 * letters, quoted; fallback when none is left. */
void sg_out_k8s_name(struct sg_out *o, const char *name, const char *fallback);

#endif
