/* YAML layer of the parse stage, beside the JSON one (json.h): YAML text,
 * read by libyaml, becomes the JSON the rest of the parse reads, each token
 * keeping the line:col where the YAML wrote it. So one profile written as
 * YAML or as JSON parses to the same rules, and compiles to the same bytes.
 * Internal to the library. */
#ifndef SYSGATE_SRC_YAML_JSON_H
#define SYSGATE_SRC_YAML_JSON_H

#include <stddef.h>

#include "json.h"

/* Whether text is to be read as YAML: a name ending in .yaml or .yml, or
 * text whose first character is not '{' or '[' (JSON's). */
int sg_yaml_wanted(const char *file, const char *text, size_t len);

/* Reads YAML into j as sg_json_load reads JSON. A stream of several
 * documents is a top-level array of them, with j->documents set. Scalars
 * are typed as Kubernetes reads them (YAML 1.2's core schema), except that
 * an integer with a leading zero, which YAML 1.1 (Kubernetes' parser)
 * reads as octal and YAML 1.2 as decimal, is an error naming both. Anchors and
 * aliases are refused. In a build without libyaml (the static binary),
 * an error says so. */
int sg_yaml_load(struct sg_json *j, const char *file, const char *text, size_t len, struct sg_diags *d);

#endif
