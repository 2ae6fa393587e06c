// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * seccomp_deny CALL[,CALL...] PROGRAM [ARGS...]: runs PROGRAM under a
 * seccomp filter that fails the named system calls (bpf, perf_event_open,
 * execve, execveat) with EPERM, as a container's default profile does, and
 * lets every other call through. A raw classic-BPF filter: no library
 * needed. With execve denied, the exec of PROGRAM is itself refused: it
 * then says so and exits 127.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#else
#error "seccomp_deny: unknown architecture"
#endif

#define MAX_CALLS 8

static int call_nr(const char *name)
{
	if (!strcmp(name, "bpf"))
		return SYS_bpf;
	if (!strcmp(name, "perf_event_open"))
		return SYS_perf_event_open;
	if (!strcmp(name, "execve"))
		return SYS_execve;
	if (!strcmp(name, "execveat"))
		return SYS_execveat;
	return -1;
}

int main(int argc, char **argv)
{
	struct sock_filter f[4 + 2 * MAX_CALLS + 1];
	struct sock_fprog prog = { .filter = f };
	char names[256], *name, *save;
	int n = 0, calls = 0;

	if (argc < 3 || strlen(argv[1]) >= sizeof(names)) {
		fprintf(stderr, "usage: seccomp_deny CALL[,CALL...] PROGRAM [ARGS...]\n");
		return 64;
	}
	/* a call of another ABI (i386 on x86_64) would have other numbers */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	strcpy(names, argv[1]);
	for (name = strtok_r(names, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		int nr = call_nr(name);

		if (nr < 0 || calls == MAX_CALLS) {
			fprintf(stderr, "seccomp_deny: unknown or one too many call '%s'\n", name);
			return 64;
		}
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						      SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
		calls++;
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = n;
	/* root may install a filter without no_new_privs, as a container
	 * runtime does; others need it */
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) &&
	    (errno != EACCES || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	     prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))) {
		perror("seccomp_deny: can't install the filter");
		return 126;
	}
	execvp(argv[2], argv + 2);
	perror("seccomp_deny: can't run the program");
	return 127;
}
