/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Why execmon cannot trace here, in one line that names the cause and the
 * fix. The cause is read from what the kernel says: the errno of the call
 * that failed, with the capability sets, the rlimits, the seccomp mode and
 * the lockdown state of the system.
 */
#ifndef EXECMON_DIAGNOSE_H
#define EXECMON_DIAGNOSE_H

#include <stdarg.h>
#include <bpf/libbpf.h>

/* The step of the start-up that failed. */
enum diag_step {
	DIAG_LOAD,		/* creating the maps and loading the programs */
	DIAG_RINGS,		/* opening and mapping the perf buffers */
	DIAG_ATTACH,		/* attaching the programs */
};

/* Checks made before anything is loaded: set-ID start, the kernel's BTF,
 * the capabilities. Returns 0, or 1 once the reason has been printed. */
int diag_preflight(void);

/* Prints why `step` failed with the positive errno `err`. */
void diag_failed(enum diag_step step, int err);

/* libbpf's messages: kept for diag_failed(), and shown with --verbose. */
int diag_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args);

#endif
