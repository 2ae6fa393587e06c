// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include "loader.h"

/* fds sent before the programs' */
enum { FD_EVENTS, FD_BELL, FD_TRACKED, FD_CGROUP, FD_BSS, FD_FIXED };

struct load_msg {
	int nprogs;
	size_t bss_len;
	bool bell_exact;
};

/* Whether the kernel has BPF atomic exchange (5.12 and later), which the
 * bell needs to be exact: a five-instruction program says. */
static bool kernel_has_xchg(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_10, .off = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 1 },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = BPF_REG_10,
		  .src_reg = BPF_REG_1, .off = -8, .imm = BPF_XCHG },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", insns,
			       sizeof(insns) / sizeof(insns[0]), NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Of each program that comes in two builds (see the BPF side), loads the
 * one this kernel takes, if configure() asked for it. */
static void pick_build(struct bpf_program *xchg, struct bpf_program *nx, bool has_xchg)
{
	bool want = bpf_program__autoload(xchg);

	bpf_program__set_autoload(xchg, want && has_xchg);
	bpf_program__set_autoload(nx, want && !has_xchg);
}

/* Why a load failed, in terms of what to do about it. */
static void explain_load_error(int err)
{
	if (err == EPERM)
		fprintf(stderr, "execmon: can't load the BPF program: %s; tracing needs root, or "
			"the capabilities CAP_BPF and CAP_PERFMON (try sudo)\n", strerror(err));
	else
		fprintf(stderr, "execmon: can't load the BPF program: %s (run with --verbose for "
			"the verifier's log)\n", strerror(err));
}

static int send_fds(int sock, const struct load_msg *msg, const int *fds, int nfds)
{
	char ctl[CMSG_SPACE(sizeof(int) * (FD_FIXED + LOADER_PROGS_MAX))] = {};
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = sizeof(*msg) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = CMSG_SPACE(sizeof(int) * nfds),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	return sendmsg(sock, &mh, 0) == sizeof(*msg) ? 0 : -1;
}

/* The child: everything that needs the kernel's BTF. */
static void load_child(int sock, void (*configure)(struct execmon_bpf *skel))
{
	struct execmon_bpf *skel = execmon_bpf__open();
	struct bpf_program *prog;
	struct load_msg msg = {};
	int fds[FD_FIXED + LOADER_PROGS_MAX], err;

	if (!skel) {
		fprintf(stderr, "execmon: can't open the BPF object: %s\n", strerror(errno));
		_exit(1);
	}
	configure(skel);
	msg.bell_exact = kernel_has_xchg();
	pick_build(skel->progs.execmon_exec, skel->progs.execmon_exec_nx, msg.bell_exact);
	pick_build(skel->progs.execmon_sys_exit, skel->progs.execmon_sys_exit_nx, msg.bell_exact);
	err = execmon_bpf__load(skel);
	if (err) {
		explain_load_error(-err);
		_exit(1);
	}
	fds[FD_EVENTS] = bpf_map__fd(skel->maps.execmon_events);
	fds[FD_BELL] = bpf_map__fd(skel->maps.execmon_bell);
	fds[FD_TRACKED] = bpf_map__fd(skel->maps.execmon_tracked);
	fds[FD_CGROUP] = bpf_map__fd(skel->maps.execmon_cgroup);
	fds[FD_BSS] = bpf_map__fd(skel->maps.bss);
	msg.bss_len = bpf_map__value_size(skel->maps.bss);
	bpf_object__for_each_program(prog, skel->obj) {
		int fd = bpf_program__fd(prog);

		if (fd >= 0 && msg.nprogs < LOADER_PROGS_MAX)
			fds[FD_FIXED + msg.nprogs++] = fd;
	}
	_exit(send_fds(sock, &msg, fds, FD_FIXED + msg.nprogs) ? 1 : 0);
}

int bpf_side_load(struct bpf_side *b, void (*configure)(struct execmon_bpf *skel))
{
	char ctl[CMSG_SPACE(sizeof(int) * (FD_FIXED + LOADER_PROGS_MAX))];
	struct load_msg msg = {};
	struct iovec iov = { .iov_base = &msg, .iov_len = sizeof(msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	int sv[2], status, fds[FD_FIXED + LOADER_PROGS_MAX];
	ssize_t n;
	pid_t pid;

	memset(b, 0, sizeof(*b));
	b->events_fd = b->bell_fd = b->tracked_fd = b->cgroup_fd = b->bss_fd = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) || (pid = fork()) < 0) {
		fprintf(stderr, "execmon: can't start the loader: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		load_child(sv[1], configure);
	}
	close(sv[1]);
	n = recvmsg(sv[0], &mh, MSG_CMSG_CLOEXEC);
	close(sv[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		n = -1;		/* the child said why */
	cm = n == sizeof(msg) ? CMSG_FIRSTHDR(&mh) : NULL;
	if (!cm || cm->cmsg_type != SCM_RIGHTS || msg.nprogs < 1 || msg.nprogs > LOADER_PROGS_MAX ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int) * (FD_FIXED + msg.nprogs))) {
		if (WIFEXITED(status) && !WEXITSTATUS(status))
			fprintf(stderr, "execmon: the loader sent nothing usable\n");
		return -1;
	}
	memcpy(fds, CMSG_DATA(cm), sizeof(int) * (FD_FIXED + msg.nprogs));
	b->events_fd = fds[FD_EVENTS];
	b->bell_fd = fds[FD_BELL];
	b->tracked_fd = fds[FD_TRACKED];
	b->cgroup_fd = fds[FD_CGROUP];
	b->bss_fd = fds[FD_BSS];
	b->nprogs = msg.nprogs;
	b->bell_exact = msg.bell_exact;
	for (int i = 0; i < b->nprogs; i++) {
		b->prog_fds[i] = fds[FD_FIXED + i];
		b->link_fds[i] = -1;
	}
	b->bss_len = (msg.bss_len + getpagesize() - 1) & ~(size_t)(getpagesize() - 1);
	b->bss = mmap(NULL, b->bss_len, PROT_READ | PROT_WRITE, MAP_SHARED, b->bss_fd, 0);
	if (b->bss == MAP_FAILED) {
		b->bss = NULL;
		fprintf(stderr, "execmon: can't map the BPF program's counters: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int bpf_side_attach(struct bpf_side *b)
{
	for (int i = 0; i < b->nprogs; i++) {
		/* tp_btf programs know their tracepoint: no name is given */
		b->link_fds[i] = bpf_raw_tracepoint_open(NULL, b->prog_fds[i]);
		if (b->link_fds[i] < 0) {
			int err = -errno;

			bpf_side_detach(b);
			return err;
		}
	}
	return 0;
}

void bpf_side_detach(struct bpf_side *b)
{
	for (int i = 0; i < b->nprogs; i++) {
		if (b->link_fds[i] >= 0)
			close(b->link_fds[i]);
		b->link_fds[i] = -1;
	}
}

void bpf_side_close(struct bpf_side *b)
{
	bpf_side_detach(b);
	if (b->bss)
		munmap(b->bss, b->bss_len);
	for (int i = 0; i < b->nprogs; i++)
		close(b->prog_fds[i]);
	int map_fds[] = { b->events_fd, b->bell_fd, b->tracked_fd, b->cgroup_fd, b->bss_fd };

	for (size_t i = 0; i < sizeof(map_fds) / sizeof(map_fds[0]); i++)
		if (map_fds[i] >= 0)
			close(map_fds[i]);
	memset(b, 0, sizeof(*b));
}
