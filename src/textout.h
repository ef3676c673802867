/* Text built in memory, for the stages that write profiles (learn,
 * decompile) and the YAML reader's JSON. Internal to the library. */
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
/* n bytes as they are. */
void sg_out_bytes(struct sg_out *o, const char *s, size_t n);
/* A JSON string: the quotes, \" \\ and control bytes escaped; the _n form
 * takes n bytes, NUL among them (a YAML scalar may hold one). */
void sg_out_string(struct sg_out *o, const char *s);
void sg_out_string_n(struct sg_out *o, const char *s, size_t n);
/* A Kubernetes metadata.name (a DNS-1123 subdomain) made of name's
 * letters, quoted; fallback when none is left. */
void sg_out_k8s_name(struct sg_out *o, const char *name, const char *fallback);

#endif
