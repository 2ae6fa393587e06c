// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * execmon's kernel side: one program on the raw tracepoint
 * sched_process_exec. It runs after the new program image is in place, so
 * it sees every successful exec whatever the syscall (execve, execveat,
 * fexecve, binfmt_misc) and reads the argv the new process really got.
 * Optional programs, loaded only when asked for: sched_process_fork and
 * sched_process_exit keep the set of processes a follow mode traces, and
 * sys_enter/sys_exit catch the execs that fail.
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
const volatile bool filter_cgroup_on = false;	/* execmon_cgroup holds it */
const volatile bool follow_on = false;		/* only what execmon_tracked holds */
const volatile bool want_cwd = false;
const volatile long sys_execve_nr = -1;		/* the architecture's numbers */
const volatile long sys_execveat_nr = -1;

/* Written by userspace while running: the pid of execmon's start-up marker,
 * which is sent whatever the filters say. */
__u32 self_check_pid = 0;
__u32 self_check_hits = 0;	/* set when it ran, even if its event is lost */
struct counters counters[COUNTER_SLOTS] = {};

static __always_inline struct counters *cpu_counters(void)
{
	return &counters[bpf_get_smp_processor_id() & (COUNTER_SLOTS - 1)];
}

/* The per-CPU heap, because the BPF stack is 512 bytes: one slot holds the
 * event as it is serialized, the other is scratch room where a path is
 * assembled backwards, leaf to root. Each is only as large as it needs to
 * be; as entries of one map both would have the size of the larger, and a
 * per-CPU value cannot exceed 32 KiB, so each has a map of its own. */
#define EVENT_MAX	(sizeof(struct event) + EXE_MAX + ARGV_MAX + SCRIPT_MAX + CWD_MAX)
#define PATH_SCRATCH	(EXE_MAX + NAME_MAX_LEN + 1)

struct event_buf {
	char bytes[EVENT_MAX];
};

struct path_buf {
	char bytes[PATH_SCRATCH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct path_buf);
} execmon_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct event_buf);
} execmon_heap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} execmon_events SEC(".maps");

/* Wakes the reader: its rings wake it only when a quarter full, and with
 * nothing left to read it sleeps until the next event rings this. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} execmon_bell SEC(".maps");

/* The processes a follow mode traces, by tgid; sized at load (one entry
 * when not following). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8);
} execmon_tracked SEC(".maps");

/* --cgroup: the cgroup whose tasks (and its descendants') are traced. */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} execmon_cgroup SEC(".maps");

/* An exec in flight, from sys_enter to sys_exit, by thread id. */
struct exec_call {
	__u64 filename;		/* user pointers */
	__u64 argv;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_call);
} execmon_calls SEC(".maps");

static __always_inline struct event *event_slot(void)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&execmon_heap, &key);
}

static __always_inline char *path_scratch(void)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&execmon_scratch, &key);
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
 * Reads two fields of *ptr into the two members of *dst. Helper calls are
 * most of the cost of the walk, and the pairs read here (d_parent and
 * d_name, mnt_parent and mnt_mountpoint) sit side by side in every kernel
 * with BTF: one read then serves, two CO-RE reads otherwise. The first
 * member of dst is a pointer. Evaluates to non-zero on a fault.
 */
#define read_pair(dst, ptr, type, first, second) ({				\
	__u32 off_ = bpf_core_field_offset(type, first);			\
	long err_ = 0;								\
										\
	if (bpf_core_field_offset(type, second) == off_ + sizeof(void *))	\
		err_ = bpf_probe_read_kernel(dst, sizeof(*(dst)), (void *)(ptr) + off_); \
	else									\
		err_ = bpf_core_read(dst, sizeof(void *), &(ptr)->first) ||	\
		       bpf_core_read((void *)(dst) + sizeof(void *),		\
				     sizeof(*(dst)) - sizeof(void *), &(ptr)->second); \
	err_;									\
})

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

	if (w->dentry == w->mnt_root) {
		struct {
			struct mount *parent;
			struct dentry *mountpoint;
		} up;

		if (read_pair(&up, mnt, struct mount, mnt_parent, mnt_mountpoint))
			return 1;
		/* (a plain local: a CO-RE read must not start in an unnamed struct) */
		struct mount *up_mnt = up.parent;

		/* the root of the namespace */
		if (mnt == up_mnt)
			return 1;
		w->dentry = (__u64)up.mountpoint;
		w->mnt = (__u64)up_mnt;
		w->mnt_root = (__u64)BPF_CORE_READ(up_mnt, mnt.mnt_root);
		return 0;
	}

	struct {
		struct dentry *parent;
		struct qstr name;
	} link;

	if (read_pair(&link, dentry, struct dentry, d_parent, d_name))
		return 1;

	struct dentry *parent = link.parent;

	/* a root that is not its mount's: a file on an internal mount (memfd,
	 * pipe) that is not attached anywhere */
	if (dentry == parent)
		return 1;

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

/* Walks a path into the scratch slot; returns where it starts there. */
static __always_inline __u32 resolve_path(struct vfsmount *vfsmnt, struct dentry *dentry,
					  __u32 *full_len, __u32 *flags)
{
	struct path_walk w = {
		.dentry = (__u64)dentry,
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

/* Copies the path that resolve_path left in the scratch slot to the event,
 * at offset off (at most max_off); returns its length. */
static __always_inline __u32 put_path(struct event *ev, const char *scratch, __u32 pos,
				      __u32 off, __u32 max_off)
{
	__u32 len = EXE_MAX - pos;

	if (len > EXE_MAX)
		len = 0;
	if (off > max_off)
		off = max_off;
	barrier_var(len);
	if (len > EXE_MAX)
		len = EXE_MAX;
	if (bpf_probe_read_kernel(ev->data + off, len, scratch + (pos & (EXE_MAX - 1))))
		return 0;
	return len;
}

/* The working directory, at offset off of the event's data; returns the
 * flags to add. */
static __always_inline __u32 put_cwd(struct event *ev, struct task_struct *task,
				     const char *scratch, __u32 off)
{
	__u32 full, flags = 0;
	__u32 pos = resolve_path(task->fs->pwd.mnt, task->fs->pwd.dentry, &full, &flags);

	ev->cwd_len = put_path(ev, scratch, pos, off, EXE_MAX + ARGV_MAX + SCRIPT_MAX);
	ev->cwd_full_len = full;
	return flags & EV_EXE_TRUNCATED ? EV_CWD_TRUNCATED : 0;
}

/* True when the filters leave this exec out; --comm only with by_comm. */
static __always_inline bool filtered_out(struct task_struct *task, __u32 pid, __u32 ppid,
					 __u32 uid, char *comm, bool by_comm)
{
	if (filter_pid_cnt && !id_in(filter_pids, filter_pid_cnt, pid))
		return true;
	if (filter_ppid_cnt && !id_in(filter_ppids, filter_ppid_cnt, ppid))
		return true;
	if (filter_uid_cnt && !id_in(filter_uids, filter_uid_cnt, uid))
		return true;
	if (follow_on && !bpf_map_lookup_elem(&execmon_tracked, &pid))
		return true;
	if (filter_cgroup_on && bpf_current_task_under_cgroup(&execmon_cgroup, 0) != 1)
		return true;
	__builtin_memcpy(comm, task->comm, COMM_LEN);
	return by_comm && filter_comm_on && !comm_matches(comm);
}

/* The header fields that successful and failed execs share. */
static __always_inline void fill_header(struct event *ev, struct task_struct *task,
					__u32 pid, __u32 ppid, __u64 uid_gid, const char *comm)
{
	ev->version = EXECMON_ABI_VERSION;
	ev->hdr_len = sizeof(*ev);
	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = pid;
	ev->ppid = ppid;
	ev->uid = (__u32)uid_gid;
	ev->gid = uid_gid >> 32;
	ev->script_len = 0;
	ev->cwd_len = 0;
	ev->ret = 0;
	ev->cgroup_id = bpf_get_current_cgroup_id();
	ev->mntns = task->nsproxy->mnt_ns->ns.inum;
	ev->cwd_full_len = 0;
	__builtin_memcpy(ev->comm, comm, COMM_LEN);
}

/* The event slot, its header filled, and the path scratch slot. */
static __always_inline struct event *new_event(struct task_struct *task, __u32 pid, __u32 ppid,
					       __u64 uid_gid, const char *comm, char **scratch)
{
	struct event *ev = event_slot();

	*scratch = path_scratch();
	if (!ev || !*scratch)
		return NULL;
	fill_header(ev, task, pid, ppid, uid_gid, comm);
	return ev;
}

/* Sends the event; size is checked against the slot for the verifier. */
static __always_inline void emit(void *ctx, struct counters *cnt, struct event *ev, __u64 size)
{
	barrier_var(size);
	if (size > EVENT_MAX)
		size = EVENT_MAX;
	if (bpf_perf_event_output(ctx, &execmon_events, BPF_F_CURRENT_CPU, ev, size))
		__sync_fetch_and_add(&cnt->emit_failed, 1);
	else
		__sync_fetch_and_add(&cnt->emitted, 1);
	/* The exchange is a full barrier: either the reader, which sets the
	 * flag and then looks at the rings, sees this record, or this sees
	 * the flag. A plain load first would let both miss. */
	if (__sync_lock_test_and_set(&cnt->bell, 0)) {
		__u64 one = 1;

		bpf_perf_event_output(ctx, &execmon_bell, BPF_F_CURRENT_CPU, &one, sizeof(one));
	}
}

/* A BTF-enabled raw tracepoint: the arguments are typed, so the pointers
 * reached from them are read with plain loads instead of helper calls. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(execmon_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	/* plain loads rather than the get_current helpers: task is current */
	__u32 pid = task->tgid;
	const struct cred *cred = task->cred;
	__u64 uid_gid = (__u64)cred->gid.val << 32 | cred->uid.val;
	__u32 ppid = task->real_parent->tgid;
	struct counters *cnt = cpu_counters();
	char comm[COMM_LEN];
	__u32 flags = 0;

	__sync_fetch_and_add(&cnt->seen, 1);
	if (sys_execve_nr >= 0) {
		/* this exec succeeded: sys_exit has nothing to report */
		__u32 tid = old_pid;

		bpf_map_delete_elem(&execmon_calls, &tid);
	}
	if (pid == self_check_pid) {
		flags = EV_SELF_CHECK;
		self_check_hits = 1;
		__builtin_memcpy(comm, task->comm, COMM_LEN);
	} else if (filtered_out(task, pid, ppid, (__u32)uid_gid, comm, true)) {
		__sync_fetch_and_add(&cnt->filtered, 1);
		return 0;
	}

	char *scratch;
	struct event *ev = new_event(task, pid, ppid, uid_gid, comm, &scratch);

	if (!ev)
		return 0;
	ev->old_pid = old_pid;

	__u32 full = 0;
	__u32 pos = resolve_path(bprm->file->f_path.mnt, bprm->file->f_path.dentry, &full, &flags);
	__u32 exe_len = put_path(ev, scratch, pos, 0, 0);

	if (!exe_len)
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

	__u32 off = exe_len + argv_len;

	/* A #! script (or binfmt_misc) replaced the name that was asked for
	 * with its interpreter's; keep the name that was asked for. */
	if (bprm->filename != bprm->interp) {
		long n;

		barrier_var(off);
		if (off > EXE_MAX + ARGV_MAX)
			off = EXE_MAX + ARGV_MAX;
		n = bpf_probe_read_kernel_str(ev->data + off, SCRIPT_MAX, bprm->filename);
		ev->script_len = n > 0 ? n - 1 : 0;	/* without its NUL */
		off += ev->script_len;
		flags |= EV_SCRIPT;
	}
	if (want_cwd)
		flags |= put_cwd(ev, task, scratch, off);
	ev->flags = flags;
	emit(ctx, cnt, ev, sizeof(*ev) + exe_len + argv_len + ev->script_len + ev->cwd_len);
	return 0;
}

/* Follow mode: a child of a traced process is traced; an exited one is
 * forgotten. Threads share their process's tgid and need nothing. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(execmon_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	__u8 one = 1;

	if (ptgid != ctgid && bpf_map_lookup_elem(&execmon_tracked, &ptgid))
		bpf_map_update_elem(&execmon_tracked, &ctgid, &one, BPF_ANY);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(execmon_exit, struct task_struct *task)
{
	__u32 tgid = task->tgid;

	/* only with its last thread: a leader can end before the others, which
	 * may still fork. The count drops before this tracepoint fires. */
	if (!task->signal->live.counter)
		bpf_map_delete_elem(&execmon_tracked, &tgid);
	return 0;
}

/* Failed execs: the call's arguments are noted on the way in and read on
 * the way out, when the exec failed and the caller's memory is intact. */
SEC("tp_btf/sys_enter")
int BPF_PROG(execmon_sys_enter, struct pt_regs *regs, long id)
{
	struct exec_call call;
	__u32 tid;

	if (id != sys_execve_nr && id != sys_execveat_nr)
		return 0;
	if (id == sys_execve_nr) {
		call.filename = PT_REGS_PARM1_CORE_SYSCALL(regs);
		call.argv = PT_REGS_PARM2_CORE_SYSCALL(regs);
	} else {
		call.filename = PT_REGS_PARM2_CORE_SYSCALL(regs);
		call.argv = PT_REGS_PARM3_CORE_SYSCALL(regs);
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&execmon_calls, &tid, &call, BPF_ANY);
	return 0;
}

struct argv_walk {
	__u64 argv;		/* user pointer to the argv array */
	__u32 base;		/* where argv starts in the event's data */
	__u32 idx;
	__u32 off;		/* bytes of argv so far */
	__u32 flags;
};

/* Reads one argument of a failed exec; a global function, checked once,
 * like path_step. Returns 1 when done. */
__noinline int argv_step(struct argv_walk *w)
{
	struct event *ev = event_slot();
	const char *arg;
	long n;

	if (!w || !ev)
		return 1;
	if (bpf_probe_read_user(&arg, sizeof(arg), (void *)(w->argv + w->idx * sizeof(arg))) || !arg)
		return 1;
	if (w->off > ARGV_MAX - FAILED_ARG_MAX) {
		w->flags |= EV_ARGV_TRUNCATED;
		return 1;
	}
	n = bpf_probe_read_user_str(ev->data + (w->base & (2 * EXE_MAX - 1)) +
				    (w->off & (ARGV_MAX - 1)), FAILED_ARG_MAX, arg);
	if (n <= 0) {
		w->flags |= EV_ARGV_FAULT;
		return 1;
	}
	if (n == FAILED_ARG_MAX) {
		char last;

		/* the room is full: cut, unless the string ended right there */
		if (bpf_probe_read_user(&last, 1, arg + FAILED_ARG_MAX - 1) || last)
			w->flags |= EV_ARGV_TRUNCATED;
	}
	w->off += n;
	w->idx++;
	return 0;
}

/* 1 when the name that starts at base in the event's data (len bytes of
 * path in all), cut to 15 bytes as comm is, is --comm's. */
__noinline int name_is_comm(__u32 base, __u32 len)
{
	struct event *ev = event_slot();

	if (!ev)
		return 0;
	for (__u32 j = 0; j < COMM_LEN - 1; j++) {
		__u32 k = base + j;
		char c = k < len ? ev->data[k & (EXE_MAX - 1)] : 0;

		if (c != filter_comm[j])
			return 0;
		if (!c)
			return 1;
	}
	return 1;
}

/* For a failed exec, which never gets a name of its own: 1 when the name
 * it would have had, the last component of the path asked for (the first
 * len bytes of the event's data), is --comm's. Global functions, checked
 * once each; the start of the name only passes through as an argument, so
 * the verifier need not tell apart the paths that lead to each value. */
__noinline int failed_comm_matches(__u32 len)
{
	struct event *ev = event_slot();
	__u32 base = 0;

	if (!ev)
		return 0;
	for (__u32 i = 0; i < EXE_MAX; i++) {
		if (i >= len)
			break;
		if (ev->data[i] == '/')
			base = i + 1;
	}
	return name_is_comm(base, len);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(execmon_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, pid = pid_tgid >> 32;
	struct exec_call *callp = bpf_map_lookup_elem(&execmon_calls, &tid);
	struct task_struct *task = bpf_get_current_task_btf();
	struct counters *cnt = cpu_counters();
	struct exec_call call;
	char comm[COMM_LEN];

	if (!callp)
		return 0;
	call = *callp;
	bpf_map_delete_elem(&execmon_calls, &tid);
	if (ret >= 0)
		return 0;

	__u64 uid_gid = bpf_get_current_uid_gid();
	__u32 ppid = task->real_parent->tgid;

	__sync_fetch_and_add(&cnt->seen, 1);
	if (filtered_out(task, pid, ppid, (__u32)uid_gid, comm, false)) {
		__sync_fetch_and_add(&cnt->filtered, 1);
		return 0;
	}

	char *scratch;
	struct event *ev = new_event(task, pid, ppid, uid_gid, comm, &scratch);

	if (!ev)
		return 0;
	ev->old_pid = tid;
	ev->ret = ret;

	long n = bpf_probe_read_user_str(ev->data, EXE_MAX, (void *)call.filename);
	__u32 exe_len = n > 0 ? n - 1 : 0;
	__u32 flags = EV_FAILED;

	if (n <= 0)
		flags |= EV_EXE_FAULT;
	if (filter_comm_on && !failed_comm_matches(exe_len)) {
		__sync_fetch_and_add(&cnt->filtered, 1);
		return 0;
	}
	ev->exe_len = exe_len;
	ev->exe_full_len = exe_len;

	struct argv_walk w = { .argv = call.argv, .base = exe_len };

	for (int i = 0; i < 1024; i++)
		if (argv_step(&w))
			break;
	if (w.off > ARGV_MAX)
		w.off = ARGV_MAX;
	ev->argv_len = w.off;
	ev->argv_full_len = w.off;
	flags |= w.flags;
	if (want_cwd)
		flags |= put_cwd(ev, task, scratch, exe_len + w.off);
	ev->flags = flags;
	emit(ctx, cnt, ev, sizeof(*ev) + exe_len + w.off + ev->cwd_len);
	return 0;
}
