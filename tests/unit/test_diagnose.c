// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The reason given for each set of facts, including those no test machine
 * can make: a kernel without BTF-enabled tracepoints, lockdown seen only in
 * the verifier's log, and the errors of each step. */
#include <errno.h>
#include <string.h>
#include "diagnose.h"
#include "unit.h"

/* A machine where everything is fine: root, 2 CPUs, 6.1. */
static struct diag_facts fine(enum diag_step step, int err)
{
	struct diag_facts f = {
		.step = step, .err = err, .caps_tracing = true, .cap_ipc_lock = true,
		.memlock_cur = 8 << 20, .nofile_cur = 1024, .tp_btf_err = -1,
		.perf_mlock_kb = 516, .perf_paranoid = 2, .ncpus = 2, .pages = 128, .page_size = 4096,
	};

	strcpy(f.lockdown, "none");
	strcpy(f.release, "6.1.0-57-amd64");
	return f;
}

static char msg[1024];

static bool says(struct diag_facts f, const char *part)
{
	msg[0] = '\0';
	diag_explain(&f, msg, sizeof(msg));
	if (!strstr(msg, part)) {
		printf("  got: %s\n", msg);
		return false;
	}
	return true;
}

int main(void)
{
	struct diag_facts f;

	f = fine(DIAG_START, 0);
	CHECK("start: nothing wrong, nothing said", !diag_explain(&f, msg, sizeof(msg)));

	f = fine(DIAG_START, 0);
	strcpy(f.lockdown, "integrity");
	CHECK("start: lockdown=integrity is fine", !diag_explain(&f, msg, sizeof(msg)));

	f = fine(DIAG_START, 0);
	strcpy(f.lockdown, "confidentiality");
	CHECK("start: lockdown=confidentiality", says(f, "kernel lockdown is in confidentiality mode"));

	f = fine(DIAG_START, 0);
	f.btf_err = ENOENT;
	CHECK("start: no BTF", says(f, "CONFIG_DEBUG_INFO_BTF=y"));

	f = fine(DIAG_START, 0);
	f.seccomp = 2;
	f.bpf_blocked = EPERM;
	CHECK("start: bpf() blocked by seccomp", says(f, "the bpf() system call is blocked by a seccomp filter"));

	f = fine(DIAG_START, 0);
	f.seccomp = 0;
	f.bpf_blocked = EPERM;
	CHECK("start: no seccomp filter, no seccomp message", !diag_explain(&f, msg, sizeof(msg)));

	f = fine(DIAG_START, 0);
	f.caps_tracing = false;
	f.seccomp = 2;
	f.bpf_blocked = EPERM;
	CHECK("start: without the capability, a refused bpf() is not seccomp's",
	      says(f, "tracing needs root, or the capabilities CAP_BPF and CAP_PERFMON, and this"));

	f = fine(DIAG_START, 0);
	f.nofile_cur = 20;
	CHECK("start: too few open files", says(f, "RLIMIT_NOFILE, ulimit -n) is 20"));

	f = fine(DIAG_START, 0);
	f.ncpus = 1024;
	f.nofile_cur = 1024;
	CHECK("start: 1024 CPUs need more than 1024 files", says(f, "ulimit -n 4096 in the shell"));

	f = fine(DIAG_START, 0);
	f.setid = f.file_caps = true;
	CHECK("start: file capabilities", says(f, "refusing to run with file capabilities"));

	/* A kernel before 5.5 with BTF: the empty tp_btf program is refused. */
	f = fine(DIAG_LOAD, EINVAL);
	strcpy(f.release, "5.4.0");
	f.tp_btf_err = EINVAL;
	CHECK("load: no BTF-enabled tracepoints", says(f, "BTF-enabled tracepoints (tp_btf: Invalid argument), which came in Linux 5.5"));

	f = fine(DIAG_LOAD, EINVAL);
	f.tp_btf_err = ENOENT;
	f.tp_btf_no_type = true;
	CHECK("load: no such tracepoint in the BTF", says(f, "has no sched_process_exec tracepoint"));

	f = fine(DIAG_LOAD, EINVAL);
	f.tp_btf_err = 0;
	CHECK("load: tp_btf works: the verifier's log", says(f, "Invalid argument (run with --verbose for the verifier's log)"));

	f = fine(DIAG_LOAD, EINVAL);
	f.lockdown[0] = '\0';
	f.lockdown_unknown = true;
	f.log_read_kernel_refused = true;
	CHECK("load: lockdown seen only in the verifier's log", says(f, "mount securityfs"));

	f = fine(DIAG_LOAD, EPERM);
	strcpy(f.release, "5.10.0-46-amd64");
	f.memlock_charged = true;
	f.memlock_cur = 64 << 10;
	CHECK("load: RLIMIT_MEMLOCK before 5.11", says(f, "RLIMIT_MEMLOCK, which is 64 KB here"));

	f = fine(DIAG_LOAD, EPERM);
	f.memlock_charged = true;
	f.memlock_cur = -2;
	CHECK("load: an unlimited RLIMIT_MEMLOCK is not the cause", says(f, "a security module"));

	f = fine(DIAG_LOAD, EPERM);
	f.seccomp = 2;
	f.bpf_blocked = EPERM;
	CHECK("load: EPERM under seccomp", says(f, "can't load the BPF program: Operation not permitted: the bpf() system call is blocked"));

	f = fine(DIAG_RINGS, EPERM);
	f.cap_ipc_lock = false;
	f.perf_mlock_kb = 64;
	f.memlock_cur = 0;
	CHECK("rings: the perf_event_mlock_kb budget names the -b that fits", says(f, "use -b 8 or less"));

	f = fine(DIAG_RINGS, EACCES);
	f.cap_ipc_lock = false;
	f.perf_paranoid = 3;
	CHECK("rings: EACCES at perf_event_paranoid 3 without CAP_SYS_ADMIN",
	      says(f, "kernel.perf_event_paranoid is 3, at which this kernel lets only CAP_SYS_ADMIN"));

	f = fine(DIAG_RINGS, EMFILE);
	CHECK("rings: EMFILE", says(f, "the limit of open files"));

	f = fine(DIAG_ATTACH, ENOENT);
	CHECK("attach: the errno", says(f, "can't attach to the sched_process_exec tracepoint: No such file or directory"));
	UNIT_EXIT();
}
