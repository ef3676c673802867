/* sysgate's version, in one place: the CLI prints it (sysgate -V), and the
 * Makefile reads it here for the shared library's soname and sysgate.pc. */
#ifndef SYSGATE_VERSION_H
#define SYSGATE_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

#define SYSGATE_VERSION_MAJOR 0
#define SYSGATE_VERSION_MINOR 14
#define SYSGATE_VERSION_PATCH 0
#define SYSGATE_VERSION "0.14.0"

#ifdef __cplusplus
}
#endif

#endif
