// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "diagnose.h"
#include "privs.h"

int diag_preflight(void)
{
	if (is_setid()) {
		fprintf(stderr, "execmon: refusing to run set-user-ID or set-group-ID: that would "
			"show every exec to every user; run it as root or with CAP_BPF and "
			"CAP_PERFMON\n");
		return 1;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "execmon: this kernel has no BTF (/sys/kernel/btf/vmlinux: %s); "
			"execmon needs a kernel built with CONFIG_DEBUG_INFO_BTF=y\n",
			strerror(errno));
		return 1;
	}
	if (!have_tracing_caps()) {
		fprintf(stderr, "execmon: tracing needs root, or the capabilities CAP_BPF and "
			"CAP_PERFMON (try sudo)\n");
		return 1;
	}
	return 0;
}

void diag_failed(enum diag_step step, int err)
{
	switch (step) {
	case DIAG_LOAD:
		if (err == EPERM)
			fprintf(stderr, "execmon: can't load the BPF program: %s; tracing needs "
				"root, or the capabilities CAP_BPF and CAP_PERFMON (try sudo)\n",
				strerror(err));
		else
			fprintf(stderr, "execmon: can't load the BPF program: %s (run with "
				"--verbose for the verifier's log)\n", strerror(err));
		break;
	case DIAG_RINGS:
		fprintf(stderr, "execmon: can't open the perf buffers: %s\n", strerror(err));
		break;
	case DIAG_ATTACH:
		fprintf(stderr, "execmon: can't attach to the sched_process_exec tracepoint: %s\n",
			strerror(err));
		break;
	}
}

__attribute__((format(printf, 2, 0)))
int diag_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (!env.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}
