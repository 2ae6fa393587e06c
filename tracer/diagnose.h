/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Why execmon cannot trace here, in one line that names the cause and the
 * fix. The cause is read from what the kernel says: the errno of the call
 * that failed, with the capability sets, the rlimits, the seccomp mode and
 * the lockdown state of the system, and harmless calls that show what a
 * seccomp filter or the kernel lets through.
 */
#ifndef EXECMON_DIAGNOSE_H
#define EXECMON_DIAGNOSE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <bpf/libbpf.h>

/* The step of the start-up that failed. */
enum diag_step {
	DIAG_START,		/* before anything is loaded: diag_preflight() */
	DIAG_LOAD,		/* creating the maps and loading the programs */
	DIAG_RINGS,		/* opening and mapping the perf buffers */
	DIAG_ATTACH,		/* attaching the programs */
};

/* Checks made before anything is loaded: set-ID start, the kernel's BTF,
 * lockdown, the capabilities, seccomp. Returns 0, or 1 once the reason has
 * been printed. */
int diag_preflight(void);

/* Prints why `step` failed with the positive errno `err`. */
void diag_failed(enum diag_step step, int err);

/* libbpf's messages: looked at by diag_failed(), shown with --verbose. */
int diag_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args);

/* What diag_failed() and diag_preflight() go by. Unknown values are -1
 * (numbers), "" (strings) or false. */
struct diag_facts {
	enum diag_step step;
	int err;			/* the failed call's errno; 0 at DIAG_START */
	bool setid;			/* started with privileges its user has not */
	bool file_caps;			/* ... from file capabilities (setcap) */
	int btf_err;			/* errno of reading /sys/kernel/btf/vmlinux, or 0 */
	char lockdown[24];		/* the mode /sys/kernel/security/lockdown selects */
	bool lockdown_unknown;		/* that file could not be read */
	bool caps_tracing;		/* CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN */
	bool cap_ipc_lock;
	bool cap_sys_admin;
	unsigned long userns;		/* the inode of execmon's user namespace when it
					 * is not the initial one, else 0 */
	int seccomp;			/* Seccomp: of /proc/self/status: 0, 1, 2 */
	int bpf_blocked;		/* errno a harmless bpf() got where the kernel
					 * would have said EINVAL; 0 when it got that */
	int perf_blocked;		/* the same for perf_event_open(), EFAULT */
	bool memlock_charged;		/* the kernel charges BPF maps to RLIMIT_MEMLOCK */
	long long memlock_cur;		/* RLIMIT_MEMLOCK in bytes, -2 for unlimited */
	long long nofile_cur;		/* RLIMIT_NOFILE, -2 for unlimited */
	int tp_btf_err;			/* errno of loading an empty program on the
					 * BTF-enabled tracepoint; 0 when it loaded */
	bool tp_btf_no_type;		/* the kernel's BTF has no such tracepoint */
	bool log_read_kernel_refused;	/* the verifier refused bpf_probe_read_kernel */
	long perf_mlock_kb;		/* kernel.perf_event_mlock_kb */
	long perf_paranoid;		/* kernel.perf_event_paranoid */
	int ncpus;			/* online CPUs */
	long pages;			/* -b, perf buffer pages per CPU */
	long page_size;
	char release[65];		/* uname -r */
};

/* Writes the reason for `f` (without "execmon: " and the newline) into
 * buf; returns false when the facts show nothing wrong, which only
 * happens at DIAG_START. */
bool diag_explain(const struct diag_facts *f, char *buf, size_t len);

#endif
