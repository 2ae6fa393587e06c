// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "cli.h"
#include "arch.h"
#include "cpus.h"
#include "diagnose.h"
#include "loader.h"
#include "log.h"

#define TRACKED_MAX	65536	/* processes a follow mode can hold */
#define CALLS_MAX	1024	/* execs in flight at once, for --fails */
#define EXECD_MAX	65536	/* processes alive that --exits will see end */
#define ATTACH_NOW	'a'

/* What the child says, before the fds that come with it. */
struct load_msg {
	int err;		/* 0, or the negative errno; the child said why */
	int nfds;
	unsigned int maps;	/* which of the maps came, one bit each (a map not created sends none) */
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

/* The functions of the exec calls, which -x hooks (arch.h's names). */
static const char *const exec_fns[] = { FN_EXECVE, FN_EXECVEAT, FN32_EXECVE, FN32_EXECVEAT };
#define EXEC_FNS	(sizeof(exec_fns) / sizeof(exec_fns[0]))
/* where a refused call is seen */
#define FN_REFUSED	"__secure_computing"
/* where fexit sees an exec fail past the point of no return */
#define FN_LATE		"bprm_execve"
/* where a kprobe sees an exec pass it (execmon_kprobe_late's target) */
#define FN_NEW_EXEC	"begin_new_exec"

/* How -x hooks the exec calls: BPF trampolines (fexit, on the exec calls
 * and FN_LATE); else kprobes (arm64 before 6.0 has no trampolines); else,
 * on a kernel that has neither or refuses them, the raw tracepoints
 * sys_enter and sys_exit, which every system call runs. EXECMON_FAILS_HOOK
 * names one, for tests. */
enum fails_hook { HOOK_FEXIT, HOOK_KPROBE, HOOK_TRACEPOINT };
static const char *const hook_names[] = { "fexit", "kprobe", "tracepoint" };

/* The functions -x looks up in the kernel's BTF: the exec calls', then
 * FN_REFUSED's, FN_LATE's and FN_NEW_EXEC's. Their ids (negative where
 * the kernel lacks one) come from one parse of it, made once: each lookup
 * by libbpf's name parses it anew, and those parses took longer than the
 * rest of -x's set-up. */
#define KERNEL_FN_REFUSED	EXEC_FNS
#define KERNEL_FN_LATE		(EXEC_FNS + 1)
#define KERNEL_FN_NEW_EXEC	(EXEC_FNS + 2)
#define KERNEL_FNS		(EXEC_FNS + 3)
static const char *kernel_fn_name(size_t i)
{
	return i == KERNEL_FN_REFUSED ? FN_REFUSED : i == KERNEL_FN_LATE ? FN_LATE :
	       i == KERNEL_FN_NEW_EXEC ? FN_NEW_EXEC : exec_fns[i];
}

static int kernel_fn_ids[KERNEL_FNS];
static __u32 kernel_fn_protos[KERNEL_FNS];	/* the BTF id of each one's prototype */

static int kernel_fn_id(size_t i)
{
	static bool read;

	if (!read) {
		struct btf *btf = btf__load_vmlinux_btf();

		for (size_t j = 0; j < KERNEL_FNS; j++) {
			kernel_fn_ids[j] = !btf ? -ENOENT :
				btf__find_by_name_kind(btf, kernel_fn_name(j), BTF_KIND_FUNC);
			if (kernel_fn_ids[j] > 0)
				kernel_fn_protos[j] = btf__type_by_id(btf, kernel_fn_ids[j])->type;
		}
		btf__free(btf);
		read = true;
	}
	return kernel_fn_ids[i];
}

/* Whether the kernel attaches an fexit program to execve: a two-
 * instruction one, loaded and attached for a moment, says. */
static bool kernel_has_trampolines(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int id = kernel_fn_id(0);	/* FN_EXECVE */
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FEXIT,
		    .attach_btf_id = id);
	int fd, link;

	if (id < 0)
		return false;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", insns, 2, &opts);
	if (fd < 0)
		return false;
	link = bpf_raw_tracepoint_open(NULL, fd);
	close(fd);
	if (link < 0)
		return false;
	close(link);
	return true;
}

/* Whether the kernel has kprobes (CONFIG_KPROBES), as libbpf attaches
 * them: its perf event type, or tracefs's older interface. */
static bool kernel_has_kprobes(void)
{
	return !access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
	       !access("/sys/kernel/tracing/kprobe_events", F_OK) ||
	       !access("/sys/kernel/debug/tracing/kprobe_events", F_OK);
}

/* Whether the kernel has exec call i's function (a 32-bit call's wrapper
 * is missing without the 32-bit ABI), or KERNEL_FN_REFUSED's or
 * KERNEL_FN_LATE's. */
static bool kernel_has_fn(size_t i)
{
	return kernel_fn_id(i) >= 0;
}

/* Why fexit can't be had, or NULL: it needs trampolines, and FN_LATE in
 * the BTF (a function the compiler inlined is not there). */
static const char *fexit_missing(void)
{
	if (!kernel_has_trampolines())
		return "refuses an fexit program on " FN_EXECVE;
	return kernel_has_fn(KERNEL_FN_LATE) ? NULL : "has no " FN_LATE " in its BTF";
}

/* The hook, or -EINVAL once EXECMON_FAILS_HOOK's bad value is said. */
static int pick_fails_hook(void)
{
	const char *want = getenv("EXECMON_FAILS_HOOK");

	if (want && *want) {
		for (int i = 0; i < (int)(sizeof(hook_names) / sizeof(hook_names[0])); i++) {
			const char *missing = NULL;

			if (strcmp(want, hook_names[i]))
				continue;
			if (i == HOOK_FEXIT)
				missing = fexit_missing();
			else if (i == HOOK_KPROBE && !kernel_has_kprobes())
				missing = "has no kprobes (CONFIG_KPROBES)";
			if (missing) {
				p_err("EXECMON_FAILS_HOOK=%s: this kernel %s; unset it to let "
				      "execmon pick", want, missing);
				return -EINVAL;
			}
			return i;
		}
		p_err("EXECMON_FAILS_HOOK=%s: not fexit, kprobe or tracepoint; unset it to "
		      "let execmon pick", want);
		return -EINVAL;
	}
	if (!fexit_missing())
		return HOOK_FEXIT;
	return kernel_has_kprobes() ? HOOK_KPROBE : HOOK_TRACEPOINT;
}

/* Whether exec call i is an execveat whose fexit program jumps to
 * execve's (of the same ABI, the call before it in exec_fns): where the
 * kernel has both wrappers, of the same prototype, which the kernel
 * requires of a tail call's two ends. */
static bool tails_to_execve(size_t i)
{
	return (i == 1 || i == 3) && kernel_has_fn(i) && kernel_has_fn(i - 1) &&
	       kernel_fn_protos[i] == kernel_fn_protos[i - 1];
}

/* The initial pid namespace's inode number, fixed (PROC_PID_INIT_INO). */
#define PIDNS_INIT_INO	0xEFFFFFFCUL

unsigned long own_pid_namespace(void)
{
	struct stat st;

	if (stat("/proc/self/ns/pid", &st) || st.st_ino == PIDNS_INIT_INO)
		return 0;
	return st.st_ino;
}

/* Of each program that comes in two builds (see the BPF side), loads the
 * one this kernel takes, if it is wanted at all. */
static void pick_build(struct bpf_program *xchg, struct bpf_program *nx, bool want, bool has_xchg)
{
	bpf_program__set_autoload(xchg, want && has_xchg);
	bpf_program__set_autoload(nx, want && !has_xchg);
}

/* The largest BPF ring buffer execmon asks for; the kernel takes up to
 * 2 GiB less a page. */
#define RING_BPF_MAX	(1UL << 30)

/*
 * --ring=bpf: one ring buffer that every CPU shares, as large as the perf
 * buffers of all CPUs together would be (rounded up to a power of two),
 * so that the two hold as much. The perf buffers' maps stay (empty arrays,
 * no rings); with --ring=perf the ring buffer is not created at all.
 * Returns 0, or a negative errno once the reason has been printed.
 */
static int configure_ring(struct execmon_bpf *skel, const struct options *o, int ncpus)
{
	unsigned long size = (unsigned long)o->ring_pages * getpagesize();
	int shift = 0, probe;

	skel->rodata->ring_bpf = o->ring_bpf;
	if (!o->ring_bpf)
		return bpf_map__set_autocreate(skel->maps.execmon_rb, false);
	probe = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL);
	if (probe <= 0) {
		p_err("--ring=bpf needs the BPF ring buffer (Linux 5.8 or later), which this "
		      "kernel does not have%s%s; use --ring=perf", probe < 0 ? ": " : "",
		      probe < 0 ? strerror(-probe) : "");
		return -EOPNOTSUPP;
	}
	while (size < RING_BPF_MAX && ncpus > 1) {
		size *= 2;
		ncpus = (ncpus + 1) / 2;
	}
	if (size > RING_BPF_MAX || ncpus > 1) {
		p_err("--ring=bpf with -b %ld: one ring for all CPUs would be over %lu MiB, the most "
		      "execmon asks for; use a smaller -b", o->ring_pages, RING_BPF_MAX >> 20);
		return -EINVAL;
	}
	while ((1UL << shift) < size)
		shift++;
	skel->rodata->ring_quarter_shift = shift - 2;
	return bpf_map__set_max_entries(skel->maps.execmon_rb, size);
}

/* The fexit programs of exec call i (in exec_fns' order): the whole ones
 * and, for an execveat, the one that jumps through the array exit to
 * execve's (tails_to_execve()). */
struct exec_hook {
	struct bpf_program *fexit, *fexit_nx, *fexit_tail;
	struct bpf_map *exit;
};

static struct exec_hook exec_hook(const struct execmon_bpf *skel, size_t i)
{
	const struct exec_hook hooks[EXEC_FNS] = {
		{ .fexit = skel->progs.execmon_fexit_execve,
		  .fexit_nx = skel->progs.execmon_fexit_execve_nx },
		{ .fexit = skel->progs.execmon_fexit_execveat,
		  .fexit_nx = skel->progs.execmon_fexit_execveat_nx,
		  .fexit_tail = skel->progs.execmon_fexit_execveat_tail,
		  .exit = skel->maps.execmon_exit_tail },
		{ .fexit = skel->progs.execmon_fexit_execve32,
		  .fexit_nx = skel->progs.execmon_fexit_execve32_nx },
		{ .fexit = skel->progs.execmon_fexit_execveat32,
		  .fexit_nx = skel->progs.execmon_fexit_execveat32_nx,
		  .fexit_tail = skel->progs.execmon_fexit_execveat32_tail,
		  .exit = skel->maps.execmon_exit_tail32 },
	};

	return hooks[i];
}

/* Read-only data, map sizes and the programs to load: what the options
 * fix before the load. Returns 0, or a negative errno once the reason has
 * been printed. */
static int configure(struct execmon_bpf *skel, const struct options *o, bool want_cwd,
		     bool want_ctx, bool has_xchg, int hook)
{
	bool follow = o->command || o->tree;

	memcpy((void *)skel->rodata->filter_pids, o->pids, sizeof(o->pids));
	skel->rodata->filter_pid_cnt = o->npids;
	memcpy((void *)skel->rodata->filter_ppids, o->ppids, sizeof(o->ppids));
	skel->rodata->filter_ppid_cnt = o->nppids;
	memcpy((void *)skel->rodata->filter_uids, o->uids, sizeof(o->uids));
	skel->rodata->filter_uid_cnt = o->nuids;
	if (o->comm) {
		strncpy((char *)skel->rodata->filter_comm, o->comm, COMM_LEN - 1);
		skel->rodata->filter_comm_on = true;
	}
	skel->rodata->filter_cgroup_on = o->cgroup != NULL;
	skel->rodata->pidns_ino = own_pid_namespace();
	skel->rodata->want_cwd = want_cwd;
	int ncpus = cpus_possible();

	/* (a negative count would make the event slots' map 4 G entries) */
	if (ncpus < 0) {
		p_err("can't read the possible CPUs from "
			CPUS_POSSIBLE ": %s; execmon needs sysfs mounted on /sys",
			strerror(-ncpus));
		return ncpus;
	}
	skel->rodata->want_ctx = want_ctx;
	skel->rodata->want_env = o->env;
	skel->rodata->want_file_id = o->exe_id;
	skel->rodata->want_cgroup_mntns = o->cgroup_mntns;
	skel->rodata->want_ppid = o->ppid;
	skel->rodata->slot_per_cpu = ncpus > 0 && ncpus <= COUNTER_SLOTS;
	/* one event slot per CPU that can run the programs */
	bpf_map__set_max_entries(skel->maps.execmon_heap, ncpus);
	int err = configure_ring(skel, o, ncpus);

	if (err)
		return err;

	pick_build(skel->progs.execmon_exec, skel->progs.execmon_exec_nx, !o->ring_bpf, has_xchg);
	pick_build(skel->progs.execmon_exec_rb, skel->progs.execmon_exec_rb_nx, o->ring_bpf,
		   has_xchg);
	/* the follow and failure programs, and their maps, only when asked for */
	skel->rodata->follow_on = follow;
	bpf_program__set_autoload(skel->progs.execmon_fork, follow);
	bpf_program__set_autoload(skel->progs.execmon_exit, follow);
	if (follow) {
		bpf_map__set_max_entries(skel->maps.execmon_tracked, TRACKED_MAX);
		bpf_map__set_map_flags(skel->maps.execmon_tracked, BPF_F_NO_PREALLOC);
	}
	/* --summary and --timeline need the exits, which only --exits shows */
	bool exits = o->exits || o->summary || o->timeline;

	bpf_program__set_autoload(skel->progs.execmon_exec_note, exits);
	pick_build(skel->progs.execmon_exit_rec, skel->progs.execmon_exit_rec_nx, exits, has_xchg);
	if (exits) {
		bpf_map__set_max_entries(skel->maps.execmon_execd, EXECD_MAX);
		bpf_map__set_map_flags(skel->maps.execmon_execd, BPF_F_NO_PREALLOC);
	}
	bool fexit = o->fails && hook == HOOK_FEXIT, kprobe = o->fails && hook == HOOK_KPROBE;
	bool tp = o->fails && hook == HOOK_TRACEPOINT;
	for (size_t i = 0; i < EXEC_FNS; i++) {
		struct exec_hook h = exec_hook(skel, i);
		bool on = fexit && kernel_has_fn(i), tail = on && tails_to_execve(i);

		pick_build(h.fexit, h.fexit_nx, on && !tail, has_xchg);
		if (h.fexit_tail)
			bpf_program__set_autoload(h.fexit_tail, tail);
	}
	bpf_program__set_autoload(skel->progs.execmon_fexit_late, fexit);
	/* (no seccomp, no refusals to see) */
	bool refused = o->fails && kernel_has_fn(KERNEL_FN_REFUSED);

	pick_build(skel->progs.execmon_fexit_refused, skel->progs.execmon_fexit_refused_nx,
		   fexit && refused, has_xchg);
	bpf_program__set_autoload(skel->progs.execmon_kprobe_exec, kprobe);
	/* (without it, the entry counts the caller's arguments) */
	bool late_kprobe = kprobe && kernel_has_fn(KERNEL_FN_NEW_EXEC);

	bpf_program__set_autoload(skel->progs.execmon_kprobe_late, late_kprobe);
	skel->rodata->late_kprobe = late_kprobe;
	pick_build(skel->progs.execmon_kretprobe_exec, skel->progs.execmon_kretprobe_exec_nx,
		   kprobe, has_xchg);
	pick_build(skel->progs.execmon_kretprobe_refused, skel->progs.execmon_kretprobe_refused_nx,
		   kprobe && refused, has_xchg);
	bpf_program__set_autoload(skel->progs.execmon_sys_enter, tp);
	pick_build(skel->progs.execmon_sys_exit, skel->progs.execmon_sys_exit_nx, tp, has_xchg);
	if (o->fails) {
		skel->rodata->sys_execve_nr = NR_EXECVE;
		skel->rodata->sys_execveat_nr = NR_EXECVEAT;
		skel->rodata->sys_execve_nr32 = NR32_EXECVE;
		skel->rodata->sys_execveat_nr32 = NR32_EXECVEAT;
		bpf_map__set_max_entries(skel->maps.execmon_calls, CALLS_MAX);
	}
	return 0;
}

static int send_msg(int sock, const struct load_msg *msg, const int *fds)
{
	char ctl[CMSG_SPACE(sizeof(int) * (MAP_COUNT + LOADER_LINKS_MAX))] = {};
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = sizeof(*msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (msg->nfds) {
		struct cmsghdr *cm;

		mh.msg_control = ctl;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * msg->nfds);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * msg->nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * msg->nfds);
	}
	return sendmsg(sock, &mh, 0) == sizeof(*msg) ? 0 : -1;
}

/* Receives a message and up to max fds; -1 when the child sent nothing
 * whole (it has said why, or died). */
static int recv_msg(int sock, struct load_msg *msg, int *fds, int max)
{
	char ctl[CMSG_SPACE(sizeof(int) * (MAP_COUNT + LOADER_LINKS_MAX))];
	struct iovec iov = { .iov_base = msg, .iov_len = sizeof(*msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	ssize_t n;

	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != sizeof(*msg) || msg->nfds < 0 || msg->nfds > max)
		return -1;
	if (!msg->nfds)
		return 0;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int) * msg->nfds))
		return -1;
	memcpy(fds, CMSG_DATA(cm), sizeof(int) * msg->nfds);
	return 0;
}

/* The kprobe and kretprobe of the exec calls, which have no target of
 * their own: attached to each exec call's function the kernel has. True
 * when prog is one of them; msg.err is then set if one failed. */
static bool attach_exec_probes(struct bpf_program *prog, int *fds, struct load_msg *msg)
{
	const char *name = bpf_program__name(prog);
	bool ret = strstr(name, "execmon_kretprobe_exec") == name;

	if (!ret && strcmp(name, "execmon_kprobe_exec"))
		return false;
	for (size_t i = 0; i < EXEC_FNS; i++) {
		struct bpf_link *link;

		if (!kernel_has_fn(i))
			continue;
		link = bpf_program__attach_kprobe(prog, ret, exec_fns[i]);
		if (!link) {
			msg->err = -errno;
			diag_failed(DIAG_ATTACH, errno);
			return true;
		}
		fds[msg->nfds++] = bpf_link__fd(link);
	}
	return true;
}

/* -x by fexit: execve's program into the array through which execveat's
 * jumps to it, for each ABI where it does. Returns 0, or a negative errno
 * once the reason has been printed. */
static int fill_tails(const struct execmon_bpf *skel)
{
	for (size_t i = 0; i < EXEC_FNS; i++) {
		if (!tails_to_execve(i))
			continue;
		struct exec_hook at = exec_hook(skel, i), to = exec_hook(skel, i - 1);
		int key = 0, exit = bpf_program__fd(to.fexit);

		if (exit < 0)
			exit = bpf_program__fd(to.fexit_nx);
		if (bpf_map_update_elem(bpf_map__fd(at.exit), &key, &exit, BPF_ANY)) {
			int err = -errno;

			p_err("can't point %s's fexit program at %s's: %s", exec_fns[i],
			      exec_fns[i - 1], strerror(-err));
			return err;
		}
	}
	return 0;
}

/* The child: everything that needs the kernel's BTF or the loaded object.
 * It loads, sends the maps, waits for the word, attaches and sends the
 * links. If the tracer goes away first, it just exits. */
static void load_child(int sock, const struct options *o, bool want_cwd, bool want_ctx)
{
	struct execmon_bpf *skel = execmon_bpf__open();
	struct load_msg msg = {};
	struct bpf_program *prog;
	int fds[MAP_COUNT + LOADER_LINKS_MAX];
	char c;

	if (!skel) {
		p_err("can't open the BPF object: %s", strerror(errno));
		_exit(1);
	}
	msg.bell_exact = kernel_has_xchg();
	int hook = o->fails ? pick_fails_hook() : HOOK_FEXIT;

	msg.err = hook < 0 ? hook : configure(skel, o, want_cwd, want_ctx, msg.bell_exact, hook);
	if (msg.err)
		_exit(send_msg(sock, &msg, NULL) ? 1 : 0);
	msg.err = execmon_bpf__load(skel);
	if (msg.err) {
		diag_failed(DIAG_LOAD, -msg.err);
		_exit(send_msg(sock, &msg, NULL) ? 1 : 0);
	}
	if (o->fails && hook == HOOK_FEXIT && (msg.err = fill_tails(skel)))
		_exit(send_msg(sock, &msg, NULL) ? 1 : 0);
#define BPF_SIDE_MAP_FD(id, name) \
	if (bpf_map__fd(skel->maps.name) >= 0) { \
		fds[msg.nfds++] = bpf_map__fd(skel->maps.name); \
		msg.maps |= 1U << MAP_##id; \
	}
	BPF_SIDE_MAPS(BPF_SIDE_MAP_FD)
#undef BPF_SIDE_MAP_FD
	msg.bss_len = bpf_map__value_size(skel->maps.bss);
	if (send_msg(sock, &msg, fds) || read(sock, &c, 1) != 1 || c != ATTACH_NOW)
		_exit(0);

	msg = (struct load_msg){};
	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_link *link;

		if (bpf_program__fd(prog) < 0)
			continue;	/* not loaded */
		if (attach_exec_probes(prog, fds, &msg)) {
			if (msg.err)
				break;
			continue;
		}
		link = bpf_program__attach(prog);
		if (!link) {
			msg.err = -errno;
			diag_failed(DIAG_ATTACH, errno);
			break;
		}
		fds[msg.nfds++] = bpf_link__fd(link);
	}
	if (!msg.err && o->fails && o->verbose)
		p_err("failed execs hooked by %s: %s%s%s", hook_names[hook],
		      hook == HOOK_FEXIT ? "fexit on the exec calls and " FN_LATE :
		      hook == HOOK_KPROBE ? "kprobes and kretprobes on the exec calls" :
		      "the raw tracepoints sys_enter and sys_exit, at every system call",
		      skel->rodata->late_kprobe ? ", and a kprobe on " FN_NEW_EXEC : "",
		      getenv("EXECMON_FAILS_HOOK") && *getenv("EXECMON_FAILS_HOOK") ?
		      " (EXECMON_FAILS_HOOK)" : "");
	if (msg.err)
		msg.nfds = 0;	/* the links close with this process */
	_exit(send_msg(sock, &msg, fds) ? 1 : 0);
}

/* Waits for the child, keeping its peak memory for the verbose report. */
static void reap(struct bpf_side *b)
{
	struct rusage ru = {};
	int status;

	if (b->sock >= 0)
		close(b->sock);
	b->sock = -1;
	if (b->loader <= 0)
		return;
	while (wait4(b->loader, &status, 0, &ru) < 0)
		if (errno != EINTR)
			break;
	b->loader_peak_kb = ru.ru_maxrss;
	b->loader = 0;
}

int bpf_side_load(struct bpf_side *b, const struct options *o, bool want_cwd, bool want_ctx)
{
	struct load_msg msg = {};
	int sv[2];

	memset(b, 0, sizeof(*b));
	for (int i = 0; i < MAP_COUNT; i++)
		b->map_fds[i] = -1;
	b->sock = -1;
	b->opened = true;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ||
	    (b->loader = fork()) < 0) {
		int err = -errno;

		p_err("can't start the loader: %s", strerror(-err));
		b->loader = 0;
		return err;
	}
	if (b->loader == 0) {
		close(sv[0]);
		load_child(sv[1], o, want_cwd, want_ctx);
	}
	close(sv[1]);
	b->sock = sv[0];
	int fds[MAP_COUNT];

	if (recv_msg(b->sock, &msg, fds, MAP_COUNT) || msg.err ||
	    msg.nfds != __builtin_popcount(msg.maps) || msg.maps >> MAP_COUNT ||
	    !(msg.maps & 1U << MAP_BSS)) {
		int err = msg.err;

		/* an error the loader sent, it has said */
		if (!err) {
			p_err("the loader sent nothing usable");
			err = -EPROTO;
		}
		reap(b);
		return err;
	}
	for (int i = 0, n = 0; i < MAP_COUNT; i++)
		if (msg.maps & 1U << i)
			b->map_fds[i] = fds[n++];
	b->bell_exact = msg.bell_exact;
	b->bss_len = (msg.bss_len + getpagesize() - 1) & ~(size_t)(getpagesize() - 1);
	b->bss = mmap(NULL, b->bss_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		      b->map_fds[MAP_BSS], 0);
	if (b->bss == MAP_FAILED) {
		int err = -errno;

		b->bss = NULL;
		p_err("can't map the BPF program's counters: %s", strerror(-err));
		return err;
	}
	return 0;
}

int bpf_side_attach(struct bpf_side *b)
{
	struct load_msg msg = {};
	char c = ATTACH_NOW;
	int err;

	if (b->sock >= 0 && write(b->sock, &c, 1) == 1 &&
	    !recv_msg(b->sock, &msg, b->link_fds, LOADER_LINKS_MAX) && !msg.err && msg.nfds > 0) {
		b->nlinks = msg.nfds;
		err = 0;
	} else if (msg.err) {
		err = msg.err;	/* the loader has said why */
	} else {
		p_err("the loader did not attach the programs");
		err = -EPROTO;
	}
	reap(b);
	return err;
}

void bpf_side_detach(struct bpf_side *b)
{
	for (int i = 0; i < b->nlinks; i++)
		close(b->link_fds[i]);
	b->nlinks = 0;
}

void bpf_side_close(struct bpf_side *b)
{
	if (!b->opened)
		return;
	bpf_side_detach(b);
	reap(b);
	if (b->bss)
		munmap(b->bss, b->bss_len);
	for (int i = 0; i < MAP_COUNT; i++)
		if (b->map_fds[i] >= 0)
			close(b->map_fds[i]);
	memset(b, 0, sizeof(*b));
}
