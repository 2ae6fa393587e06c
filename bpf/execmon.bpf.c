// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * execmon's kernel side: one program on the raw tracepoint
 * sched_process_exec. It runs after the new program image is in place, so
 * it sees every successful exec whatever the syscall (execve, execveat,
 * fexecve, binfmt_misc) and reads the argv the new process really got.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "execmon.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Filters, fixed before load: the verifier sees them as constants and drops
 * the code of the filters that are off. */
const volatile __u32 filter_pids[FILTER_IDS_MAX] = {};
const volatile __u32 filter_pid_cnt = 0;
const volatile __u32 filter_ppids[FILTER_IDS_MAX] = {};
const volatile __u32 filter_ppid_cnt = 0;
const volatile __u32 filter_uids[FILTER_IDS_MAX] = {};
const volatile __u32 filter_uid_cnt = 0;
const volatile char filter_comm[COMM_LEN] = {};
const volatile bool filter_comm_on = false;

/* Written by userspace while running: the pid of execmon's start-up marker,
 * which is sent whatever the filters say. */
__u32 self_check_pid = 0;
struct counters counters[COUNTER_SLOTS] = {};

static __always_inline struct counters *cpu_counters(void)
{
	return &counters[bpf_get_smp_processor_id() & (COUNTER_SLOTS - 1)];
}

/* One slot holds the event as it is serialized, the other is scratch room
 * where the path is assembled backwards, leaf to root. Both live in a per-CPU
 * array because the BPF stack is 512 bytes. */
#define HEAP_SLOT_SIZE	(sizeof(struct event) + EXE_MAX + ARGV_MAX + SCRIPT_MAX)
#define SLOT_EVENT	0
#define SLOT_PATH	1

struct heap_slot {
	char bytes[HEAP_SLOT_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct heap_slot);
} execmon_heap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} execmon_events SEC(".maps");

static __always_inline struct event *event_slot(void)
{
	__u32 key = SLOT_EVENT;

	return bpf_map_lookup_elem(&execmon_heap, &key);
}

static __always_inline char *path_scratch(void)
{
	__u32 key = SLOT_PATH;

	return bpf_map_lookup_elem(&execmon_heap, &key);
}

static __always_inline bool comm_matches(const char *comm)
{
	for (int i = 0; i < COMM_LEN; i++) {
		if (comm[i] != filter_comm[i])
			return false;
		if (!comm[i])
			return true;
	}
	return true;
}

static __always_inline bool id_in(const volatile __u32 *set, __u32 cnt, __u32 id)
{
	for (int i = 0; i < FILTER_IDS_MAX; i++) {
		if (i >= cnt)
			return false;
		if (set[i] == id)
			return true;
	}
	return false;
}

/*
 * d_path() for the executed file, which BPF cannot call from a tracepoint:
 * walk the dentries up to the root of their mount, hop to the mount point in
 * the parent mount, and repeat until the root of the mount namespace.
 * The path is written backwards so that it ends at scratch[EXE_MAX].
 * Components that do not fit are still counted in full_len so that
 * userspace can say how much was cut.
 */
struct path_walk {
	__u64 dentry;		/* kernel pointers, kept as numbers: a global */
	__u64 mnt;		/* function's arguments cannot hold them */
	__u64 mnt_root;
	__u32 pos;		/* where the path starts in the scratch slot */
	__u32 full_len;
	__u32 flags;
	__u32 pad;
};

/*
 * One step of the walk. It is a global function so that the verifier checks
 * it once rather than once per iteration of the caller's loop, which would
 * not fit in its budget at PATH_DEPTH_MAX. Returns 1 when the walk is over.
 */
__noinline int path_step(struct path_walk *w)
{
	char *scratch = path_scratch();

	if (!w || !scratch)
		return 1;

	struct dentry *dentry = (struct dentry *)w->dentry;
	struct mount *mnt = (struct mount *)w->mnt;
	struct {
		struct dentry *parent;
		struct qstr name;
	} link;
	__u32 parent_off = bpf_core_field_offset(struct dentry, d_parent);

	/* d_name follows d_parent in every kernel with BTF: one read for both,
	 * as helper calls are most of the cost of the walk */
	if (bpf_core_field_offset(struct dentry, d_name) == parent_off + sizeof(void *)) {
		if (bpf_probe_read_kernel(&link, sizeof(link), (void *)dentry + parent_off))
			return 1;
	} else {
		link.parent = BPF_CORE_READ(dentry, d_parent);
		link.name = BPF_CORE_READ(dentry, d_name);
	}

	struct dentry *parent = link.parent;

	if (w->dentry == w->mnt_root || dentry == parent) {
		struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);

		/* The root of the namespace, or a file on an internal mount
		 * (memfd, pipe) that is not attached anywhere. */
		if (w->dentry != w->mnt_root || mnt == mnt_parent)
			return 1;
		w->dentry = (__u64)BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = (__u64)mnt_parent;
		w->mnt_root = (__u64)BPF_CORE_READ(mnt_parent, mnt.mnt_root);
		return 0;
	}

	__u32 len = link.name.len, pos = w->pos;

	if (len > NAME_MAX_LEN)
		len = NAME_MAX_LEN;
	w->full_len += len + 1;
	w->dentry = (__u64)parent;
	if ((w->flags & EV_EXE_TRUNCATED) || pos > EXE_MAX || len + 1 > pos) {
		w->flags |= EV_EXE_TRUNCATED;
		return 0;
	}
	pos -= len;
	/* pos < EXE_MAX here; the masks only show it to the verifier */
	if (bpf_probe_read_kernel(scratch + (pos & (EXE_MAX - 1)), len & NAME_MAX_LEN, link.name.name))
		w->flags |= EV_EXE_FAULT;
	pos--;
	scratch[pos & (EXE_MAX - 1)] = '/';
	w->pos = pos;
	return 0;
}

/* Returns where the path starts in the scratch slot. */
static __always_inline __u32 resolve_path(struct file *file, __u32 *full_len, __u32 *flags)
{
	struct vfsmount *vfsmnt = file->f_path.mnt;
	struct path_walk w = {
		.dentry = (__u64)file->f_path.dentry,
		.mnt = (__u64)container_of(vfsmnt, struct mount, mnt),
		.mnt_root = (__u64)vfsmnt->mnt_root,
		.pos = EXE_MAX,
	};
	int i;

	for (i = 0; i < PATH_DEPTH_MAX; i++)
		if (path_step(&w))
			break;
	if (i == PATH_DEPTH_MAX)
		w.flags |= EV_EXE_DEPTH | EV_EXE_TRUNCATED;
	if (w.pos == EXE_MAX) {
		/* the root directory itself */
		char *scratch = path_scratch();

		if (scratch)
			scratch[EXE_MAX - 1] = '/';
		w.pos = EXE_MAX - 1;
		w.full_len = 1;
	}
	*full_len = w.full_len;
	*flags |= w.flags;
	return w.pos;
}

/* A BTF-enabled raw tracepoint: the arguments are typed, so the pointers
 * reached from them are read with plain loads instead of helper calls. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(execmon_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 uid_gid = bpf_get_current_uid_gid();
	__u32 ppid = task->real_parent->tgid;
	struct counters *cnt = cpu_counters();
	char comm[COMM_LEN];
	__u32 flags = 0;

	__sync_fetch_and_add(&cnt->seen, 1);
	if (pid == self_check_pid) {
		flags = EV_SELF_CHECK;
		bpf_get_current_comm(comm, sizeof(comm));
		goto emit;
	}
	/* Filters first, so that an exec filtered out costs next to nothing;
	 * the verifier removes the tests of filters that are off. */
	if (filter_pid_cnt && !id_in(filter_pids, filter_pid_cnt, pid))
		goto filtered;
	if (filter_ppid_cnt && !id_in(filter_ppids, filter_ppid_cnt, ppid))
		goto filtered;
	if (filter_uid_cnt && !id_in(filter_uids, filter_uid_cnt, (__u32)uid_gid))
		goto filtered;
	bpf_get_current_comm(comm, sizeof(comm));
	if (filter_comm_on && !comm_matches(comm))
		goto filtered;

emit:;
	struct event *ev = event_slot();
	char *scratch = path_scratch();

	if (!ev || !scratch)
		return 0;

	ev->version = EXECMON_ABI_VERSION;
	ev->hdr_len = sizeof(*ev);
	ev->flags = 0;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = pid;
	ev->old_pid = old_pid;
	ev->ppid = ppid;
	ev->uid = (__u32)uid_gid;
	ev->gid = uid_gid >> 32;
	__builtin_memcpy(ev->comm, comm, sizeof(comm));

	__u32 full = 0;
	__u32 pos = resolve_path(bprm->file, &full, &flags);
	__u32 exe_len = EXE_MAX - pos;

	if (exe_len > EXE_MAX)
		exe_len = 0;
	barrier_var(exe_len);
	if (bpf_probe_read_kernel(ev->data, exe_len & (2 * EXE_MAX - 1),
				  scratch + (pos & (EXE_MAX - 1))))
		flags |= EV_EXE_FAULT;
	ev->exe_len = exe_len;
	ev->exe_full_len = full;

	unsigned long arg_start = task->mm->arg_start;
	unsigned long arg_end = task->mm->arg_end;
	__u64 argv_full = arg_end > arg_start ? arg_end - arg_start : 0;
	__u32 argv_len = argv_full > ARGV_MAX ? ARGV_MAX : argv_full;

	if (argv_full > ARGV_MAX)
		flags |= EV_ARGV_TRUNCATED;
	barrier_var(argv_len);
	if (argv_len > ARGV_MAX)
		argv_len = ARGV_MAX;
	if (bpf_probe_read_user(ev->data + (exe_len & (2 * EXE_MAX - 1)),
				argv_len, (void *)arg_start)) {
		flags |= EV_ARGV_FAULT;
		argv_len = 0;
	}
	ev->argv_len = argv_len;
	ev->argv_full_len = argv_full > 0xffffffffULL ? 0xffffffffU : argv_full;

	/* A #! script (or binfmt_misc) replaced the name that was asked for
	 * with its interpreter's; keep the name that was asked for. */
	const char *filename = bprm->filename;
	__u32 script_len = 0;

	if (filename != bprm->interp) {
		__u32 off = exe_len + argv_len;
		long n;

		barrier_var(off);
		if (off > EXE_MAX + ARGV_MAX)
			off = EXE_MAX + ARGV_MAX;
		n = bpf_probe_read_kernel_str(ev->data + off, SCRIPT_MAX, filename);
		script_len = n > 0 ? n - 1 : 0;	/* without its NUL */
		flags |= EV_SCRIPT;
	}
	ev->script_len = script_len;
	ev->flags = flags;

	__u64 size = sizeof(*ev) + exe_len + argv_len + script_len;

	barrier_var(size);
	if (size > HEAP_SLOT_SIZE)
		size = HEAP_SLOT_SIZE;
	if (bpf_perf_event_output(ctx, &execmon_events, BPF_F_CURRENT_CPU, ev, size))
		__sync_fetch_and_add(&cnt->emit_failed, 1);
	else
		__sync_fetch_and_add(&cnt->emitted, 1);
	return 0;
filtered:
	__sync_fetch_and_add(&cnt->filtered, 1);
	return 0;
}
