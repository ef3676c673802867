/* Fuzz target: bytes read as YAML (libyaml, then the positions kept per
 * token) -> parse -> resolve. Nothing may crash, leak or read out of
 * bounds, a rejected input must say why, and every location must lie inside
 * the input's lines. */
#include <stdint.h>
#include <stdlib.h>

#include "sysgate/profile.h"
#include "sysgate/eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_diags d;
	sg_diags_init(&d);
	struct sg_profile *p = sg_profile_parse("fuzz.yaml", (const char *)data, size, &d);
	if (!p && d.errors == 0 && !d.oom)
		abort(); /* refused without a message */
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n' || data[i] == '\r'; /* YAML breaks lines at either */
	for (size_t i = 0; i < d.n; i++)
		if (d.v[i].loc.line > lines + 1)
			abort(); /* a position past the input */
	if (p) {
		struct sg_resolve_opts o;
		sg_resolve_opts_init(&o);
		o.host = sg_arch_lookup("x86_64");
		o.kernel[0] = 6, o.kernel[1] = 1, o.kernel[2] = 0;
		struct sg_policy *pol = sg_resolve(p, &o, &d);
		if (pol)
			sg_policy_warn_overlaps(pol, &d);
		sg_policy_free(pol);
	}
	sg_profile_free(p);
	sg_diags_free(&d);
	return 0;
}
