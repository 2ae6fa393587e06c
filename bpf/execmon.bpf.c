// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * execmon's kernel side: one program on the raw tracepoint
 * sched_process_exec. It runs after the new program image is in place, so
 * it sees every successful exec whatever the syscall (execve, execveat,
 * fexecve, binfmt_misc) and reads the argv the new process really got.
 * Optional programs, loaded only when asked for: sched_process_fork and
 * sched_process_exit keep the set of processes a follow mode traces, and
 * hooks on the exec calls' functions catch the execs that fail.
 *
 * This file holds the configuration, the maps the programs share, the
 * filters and the programs; bpf/lib/ a header per concern, all of one
 * object: emit.h (the event slot, sending it, the counters), path.h (the
 * path walk and its scratch slot), identity.h (the ctx part), exe_kind.h
 * and failed_exec.h (what the -x programs read), file_id.h (the executed
 * file's inode).
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "execmon.h"
#include "arch.h"
#include "lib/clamp.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * What older kernels need, in one place; the tracer picks by probing the
 * running kernel, never by its version:
 * - BPF atomic exchange exists from 5.12 on. 5.10 refuses a program that
 *   holds one, even where it cannot run, so each program that sends events
 *   comes twice: the *_nx builds ring the bell after a plain load (see
 *   emit(), lib/emit.h) and the reader adds a timer for the wakeup that
 *   may miss.
 * - Global functions take pointer arguments from 5.12 on: the walks keep
 *   their state in the per-CPU scratch slot instead.
 * - bpf_get_current_task_btf() exists from 5.11 on: the failed-exec
 *   program reads the current task with CO-RE reads.
 * - EMPTY_STR: bpf_probe_read_user_str() of an empty string returns 0 on
 *   5.10 (strncpy_from_user_nofault() counts the NUL only after a
 *   non-empty string) and 1 on 6.18; a fault is negative on both. 0 and
 *   1 are an empty string alike.
 * - The verifiers of 5.10, 6.1 and (in places) 6.12 keep the bound that a
 *   compare taught them only in the register compared, which need not be the one clang uses next, and
 *   lose it when a 32-bit value is zero-extended again. Offsets into the
 *   event are therefore 64-bit and go through clamp() right before use.
 *   They also follow a compare into the registers that are copies of the
 *   one compared, even along a path that cannot be taken, and end up with
 *   a minimum above their maximum: so no compare is made on a value that
 *   an offset was copied from.
 */

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
const volatile bool want_ctx = false;
const volatile bool want_env = false;
const volatile bool want_file_id = false;	/* the exe_dev ... exe_ctime fields */
const volatile bool want_cgroup_mntns = false;	/* the cgroup_id and mntns fields */
const volatile bool want_ppid = false;		/* an exec's ppid: its field, --ppid, the tree */
const volatile long sys_execve_nr = -1;		/* the architecture's numbers */
const volatile long sys_execveat_nr = -1;
const volatile long sys_execve_nr32 = -1;	/* and its 32-bit ABI's (x86: ia32) */
const volatile long sys_execveat_nr32 = -1;
/* -x by kprobes: execmon_kprobe_late gives a late failure its count of
 * arguments, which the entry need not count then. */
const volatile bool late_kprobe = false;
/* Each CPU has a counter slot of its own: no more CPUs than COUNTER_SLOTS. */
const volatile bool slot_per_cpu = false;

/* execmon's pid namespace when it is not the initial one, else 0. The
 * pids execmon is given (the --pid and --ppid filters, the followed
 * processes in execmon_tracked, its start-up marker) are then that
 * namespace's, while the events carry the kernel's global ones. */
const volatile __u32 pidns_ino = 0;

/* Written by userspace while running: the pid of execmon's start-up marker,
 * which is sent whatever the filters say. */
__u32 self_check_pid = 0;
__u32 self_check_hits = 0;	/* set when it ran, even if its event is lost */
/* The level of pidns_ino, which execmon cannot learn from inside it: set
 * when the marker, which runs there, execs. 0 until then. */
__u32 pidns_level = 0;

#include "lib/emit.h"
#include "lib/path.h"

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

/* The number that execmon's pid namespace gives task's process: 0 where
 * that namespace does not see it, or before its level is known. Only when
 * pidns_ino is set. */
static __always_inline __u32 pid_in_ns(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, group_leader, thread_pid);
	__u32 level = pidns_level;
	struct upid up;

	if (!level || BPF_CORE_READ(pid, level) < level ||
	    bpf_core_read(&up, sizeof(up), &pid->numbers[level]))
		return 0;
	return BPF_CORE_READ(up.ns, ns.inum) == pidns_ino ? up.nr : 0;
}

/* Whether this exec is execmon's start-up marker. In a pid namespace, the
 * marker is told by its number in its own namespace, the innermost, which
 * is execmon's: that gives the namespace's level too. */
static __always_inline bool is_self_check(struct task_struct *task, __u32 pid)
{
	__u32 want = self_check_pid, level;
	struct pid *p;
	struct upid up;

	if (!pidns_ino || !want)
		return want && pid == want;
	p = BPF_CORE_READ(task, group_leader, thread_pid);
	level = BPF_CORE_READ(p, level);
	if (bpf_core_read(&up, sizeof(up), &p->numbers[level]) || up.nr != want ||
	    BPF_CORE_READ(up.ns, ns.inum) != pidns_ino)
		return false;
	pidns_level = level;
	return true;
}

/* True when the filters leave this exec out; --comm only with by_comm. */
static __always_inline bool filtered_out(struct task_struct *task, __u32 pid, __u32 ppid,
					 __u32 uid, const char *comm, bool by_comm)
{
	/* in a pid namespace, the pids execmon was given are its own */
	if (pidns_ino && (filter_pid_cnt || follow_on))
		pid = pid_in_ns(task);
	if (pidns_ino && filter_ppid_cnt)
		ppid = pid_in_ns(BPF_CORE_READ(task, real_parent));
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
	return by_comm && filter_comm_on && !comm_matches(comm);
}

/* --exits: the processes that exec'd while traced, by tgid, with the time
 * of their last exec; sized at load (one entry without --exits). Only
 * these get an exit record: a shell's subshell, forked and never exec'd,
 * makes none, and the exit of a process left out costs one lookup. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} execmon_execd SEC(".maps");

#include "lib/identity.h"
#include "lib/exe_kind.h"
#include "lib/failed_exec.h"
#include "lib/file_id.h"

/* The exec calls in flight, by the calling task's address: a thread other
 * than the leader takes the leader's thread id as its exec passes the
 * point of no return, and the call's exit must still find what was noted
 * (at its entry, or where the exec failed past that point). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, struct exec_call);
} execmon_calls SEC(".maps");

/* Argument n of a tp_btf program, loaded again where it is used: kept in
 * a register from the start instead, it would cost the code around it
 * spills even where it is not used. */
#define tp_arg(ctx, n)	((void *)((__u64 *)(ctx))[n])

/* --env: the new process's environment as the env part, at offset off of
 * the event's data; returns the part's length. */
static __always_inline __u64 put_env(struct event *ev, struct mm_struct *mm, __u64 off,
				     __u32 *flags)
{
	__u64 start = mm->env_start, end = mm->env_end;
	__u64 full = end > start ? end - start : 0;
	__u64 len = full;
	struct env_head head;

	clamp(len, ENV_MAX);
	clamp(off, EV_START_MAX(env));
	head.len = len;
	if (bpf_probe_read_user(ev->data + off + sizeof(head), len, (void *)start)) {
		*flags |= EV_ENV_FAULT;
		head.len = 0;
		len = 0;
	}
	/* like argv, the environment is at most 6 MB: full_len fits */
	head.full_len = full;
	*flags |= EV_ENV | (full > ENV_MAX ? EV_ENV_TRUNCATED : 0);
	__builtin_memcpy(ev->data + off, &head, sizeof(head));
	return sizeof(head) + len;
}

/* Both kinds of exec write the parts of a record in the order of
 * EVENT_SECTIONS, each where the one before ended: a change there must be
 * made here too. */
_Static_assert(EV_START_MAX(exe) == 0 && EV_SECTION_FOLLOWS(exe, argv) &&
	       EV_SECTION_FOLLOWS(argv, script) && EV_SECTION_FOLLOWS(script, cwd) &&
	       EV_SECTION_FOLLOWS(cwd, env) && EV_SECTION_FOLLOWS(env, ctx) &&
	       EV_SECTION_FOLLOWS(ctx, exit) &&
	       EV_START_MAX(exit) + sizeof(struct exit_info) == EV_DATA_MAX,
	       "on_exec and on_call_exit write the parts in another order");

static __always_inline int on_exec(void *ctx, struct task_struct *task, pid_t old_pid,
				   struct linux_binprm *bprm, bool xchg, bool rb)
{
	/* plain loads rather than the get_current helpers: task is current */
	__u32 pid = task->tgid;
	const struct cred *cred = task->cred;
	__u64 uid_gid = (__u64)cred->gid.val << 32 | cred->uid.val;
	/* the parent's task is a cache line of its own, cold at an exec */
	__u32 ppid = want_ppid ? task->real_parent->tgid : 0;
	struct counters *cnt = cpu_counters();
	char comm[COMM_LEN];
	__u8 kind = EV_KIND_EXEC;
	__u32 flags = 0;
	STAGE_START();

	STAGE(ST_EMPTY);
	count(&cnt->seen, true);
	if (is_self_check(task, pid)) {
		kind = EV_KIND_SELF_CHECK;
		self_check_hits = 1;
	} else if (filtered_out(task, pid, ppid, (__u32)uid_gid, task->comm, true)) {
		count(&cnt->filtered, true);
		STAGE(ST_FILTERED);
		return 0;
	}
	/* (copied only now: most filters need no comm) */
	__builtin_memcpy(comm, task->comm, COMM_LEN);

	struct event *ev = event_slot();

	if (!ev)
		return 0;
	fill_header(ev, kind, pid, ppid, uid_gid,
		    want_cgroup_mntns ? task->nsproxy->mnt_ns->ns.inum : 0, comm);
	ev->old_pid = old_pid;
	STAGE(ST_HEADER);

	struct vfsmount *exe_mnt = bprm->file->f_path.mnt;
	struct dentry *exe_dentry = bprm->file->f_path.dentry;
	__u64 exe_len = put_path_at(ev, NULL, 0, 0, exe_mnt, exe_mnt->mnt_root, exe_dentry,
				    &ev->exe_full_len, &flags, true);

	if (!exe_len)
		flags |= EV_EXE_FAULT;
	if (unlinked(exe_dentry->d_hash.pprev, exe_dentry->d_parent, exe_dentry))
		flags |= EV_EXE_DELETED;
	flags |= exe_kind(exe_dentry);
	ev->exe_len = exe_len;
	/* Read back from the record, where the verifier knows no bounds: the
	 * walk's ends (one for each length of path taken in one go) then go
	 * on as one state, not each through the rest of the program. */
	exe_len = *(volatile __u32 *)&ev->exe_len;
	STAGE(ST_EXE);
	if (want_file_id)
		flags |= put_file_id(ev, bprm->file->f_inode);
	STAGE(ST_FILE_ID);

	__u64 arg_start = task->mm->arg_start;
	__u64 arg_end = task->mm->arg_end;
	__u64 argv_full = arg_end > arg_start ? arg_end - arg_start : 0;
	__u64 argv_len = argv_full;

	if (argv_full > ARGV_MAX)
		flags |= EV_ARGV_TRUNCATED;
	clamp(argv_len, ARGV_MAX);
	clamp(exe_len, EV_START_MAX(argv));
	if (bpf_probe_read_user(ev->data + exe_len, argv_len, (void *)arg_start)) {
		flags |= EV_ARGV_FAULT;
		argv_len = 0;
	}
	ev->argv_len = argv_len;
	/* exec caps argv and the environment at 6 MB together: this fits.
	 * (A saturating compare here would also break 5.10 and 6.1; see the
	 * top of the file.) */
	ev->argv_full_len = argv_full;
	STAGE(ST_ARGV);

	__u64 off = exe_len + argv_len;

	/* A #! script (or binfmt_misc) replaced the name that was asked for
	 * with its interpreter's; keep the name that was asked for. */
	if (bprm->filename != bprm->interp) {
		long n;

		clamp(off, EV_START_MAX(script));
		n = bpf_probe_read_kernel_str(ev->data + off, SCRIPT_MAX, bprm->filename);
		ev->script_len = n > 0 ? n - 1 : 0;	/* without its NUL */
		off += ev->script_len;
		flags |= EV_SCRIPT;
	}
	STAGE(ST_SCRIPT);
	if (want_cwd) {
		struct vfsmount *mnt = task->fs->pwd.mnt;
		struct dentry *dentry = task->fs->pwd.dentry;

		flags |= put_cwd(ev, NULL, mnt, mnt->mnt_root, dentry, off, true);
		if (unlinked(dentry->d_hash.pprev, dentry->d_parent, dentry))
			flags |= EV_CWD_DELETED;
	}
	STAGE(ST_CWD);
	/* (read back as exe_len is; 0 without want_cwd) */
	off += *(volatile __u32 *)&ev->cwd_len;
	__u64 env_len = want_env ? put_env(ev, task->mm, off, &flags) : 0;

	STAGE(ST_ENV);
	__u64 ctx_len = want_ctx ? put_exec_ctx_typed(ev, off + env_len,
						      tp_arg(ctx, 0), tp_arg(ctx, 2), &flags) : 0;

	STAGE(ST_CTX);
	ev->flags = flags;
	emit_to(ctx, cnt, ev, off + env_len + ctx_len, xchg, true, rb);
	STAGE(ST_OUTPUT);
	return 0;
}

/* A BTF-enabled raw tracepoint: the arguments are typed, so the pointers
 * reached from them are read with plain loads instead of helper calls.
 * Four builds of one program: with and without the atomic exchange (see
 * the top of the file), to the perf buffers or, --ring=bpf, the ring
 * buffer. */
#define EXEC_PROG(name, xchg, rb)						\
SEC("tp_btf/sched_process_exec")						\
int BPF_PROG(name, struct task_struct *task, pid_t old_pid,			\
	     struct linux_binprm *bprm)						\
{										\
	return on_exec(ctx, task, old_pid, bprm, xchg, rb);			\
}

EXEC_PROG(execmon_exec, true, false)
EXEC_PROG(execmon_exec_nx, false, false)
EXEC_PROG(execmon_exec_rb, true, true)
EXEC_PROG(execmon_exec_rb_nx, false, true)

/* Follow mode: a child of a traced process is traced; an exited one is
 * forgotten. Threads share their process's tgid and need nothing. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(execmon_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	__u8 one = 1;

	if (ptgid == ctgid)
		return 0;
	if (pidns_ino) {
		ptgid = pid_in_ns(parent);
		ctgid = pid_in_ns(child);
	}
	if (ptgid && ctgid && bpf_map_lookup_elem(&execmon_tracked, &ptgid))
		bpf_map_update_elem(&execmon_tracked, &ctgid, &one, BPF_ANY);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(execmon_exit, struct task_struct *task)
{
	__u32 tgid = task->tgid;

	/* only with its last thread: a leader can end before the others, which
	 * may still fork. The count drops before this tracepoint fires. */
	if (task->signal->live.counter)
		return 0;
	if (pidns_ino)
		tgid = pid_in_ns(task);
	if (tgid)
		bpf_map_delete_elem(&execmon_tracked, &tgid);
	return 0;
}

/* --exits: notes the execs that the filters select, for the exit program.
 * A program of its own, loaded only then, so that the exec program's cost
 * stays what it was without it; its stamp is a few hundred ns after the
 * exec record's. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(execmon_exec_note, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u32 pid = task->tgid;
	const struct cred *cred = task->cred;
	__u64 now;

	/* execmon's own start-up marker has no end to show */
	if (is_self_check(task, pid) ||
	    filtered_out(task, pid, task->real_parent->tgid, cred->uid.val, task->comm, true))
		return 0;
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&execmon_execd, &pid, &now, BPF_ANY);
	return 0;
}

/*
 * --exits: a process's end, once, when its last thread exits. The
 * tracepoint runs in do_exit() for each thread, after signal->live has
 * dropped: the thread that takes it to 0 is the last (group_dead), whether
 * the leader ended first (pthread_exit) or all went at once (exit_group);
 * the decrement is atomic, so only one sees 0. By then the kernel has
 * folded the mm's peak into signal->maxrss and set the status: the group's
 * (SIGNAL_GROUP_EXIT: exit_group, a fatal signal, a core dump, which adds
 * 0x80), else the leader's own, as wait(2) picks it. The CPU times are
 * those of the threads already reaped (signal->utime) plus this thread's
 * and the leader's, which is not reaped before its parent waits: what
 * wait4 would give, but for a thread that ended a moment before this one
 * and is not yet reaped; the scheduler's exact run time too, which the
 * tracer splits in the proportion of the sampled user and system times,
 * as the kernel does for wait4 (cputime_adjust).
 * sched_process_free would come later still and fires for each thread
 * without the group's state; a kprobe on do_exit would not be stable.
 */
#define SIGNAL_GROUP_EXIT	0x00000004	/* include/linux/sched/signal.h, 5.10 to 6.18 */

static __always_inline int on_exit_rec(void *ctx, struct task_struct *task, bool xchg)
{
	__u32 pid = task->tgid;
	struct signal_struct *sig = task->signal;

	if (sig->live.counter)
		return 0;

	__u64 *seen = bpf_map_lookup_elem(&execmon_execd, &pid);

	if (!seen)
		return 0;

	struct exit_info info = { .exec_ns = *seen };
	struct task_struct *leader = task->group_leader;
	const struct cred *cred = task->cred;
	__u64 uid_gid = (__u64)cred->gid.val << 32 | cred->uid.val;
	struct counters *cnt = cpu_counters();
	struct event *ev = event_slot();

	bpf_map_delete_elem(&execmon_execd, &pid);
	if (!ev)
		return 0;
	info.status = sig->flags & SIGNAL_GROUP_EXIT ? sig->group_exit_code : leader->exit_code;
	info.utime_ns = sig->utime + task->utime + (leader != task ? leader->utime : 0);
	info.stime_ns = sig->stime + task->stime + (leader != task ? leader->stime : 0);
	info.runtime_ns = sig->sum_sched_runtime + task->se.sum_exec_runtime +
			  (leader != task ? leader->se.sum_exec_runtime : 0);
	info.maxrss_pages = sig->maxrss;
	info.start_ns = leader->start_boottime;
	info.run_ns = bpf_ktime_get_boot_ns() - info.start_ns;
	info.tid = task->pid;
	/* the leader's comm: the last thread's may be a thread's name */
	fill_header(ev, EV_KIND_EXIT, pid, task->real_parent->tgid, uid_gid,
		    want_cgroup_mntns ? task->nsproxy->mnt_ns->ns.inum : 0, leader->comm);
	ev->old_pid = task->pid;
	ev->flags = EV_EXIT;
	ev->exe_len = 0;
	ev->exe_full_len = 0;
	ev->argv_len = 0;
	ev->argv_full_len = 0;
	__builtin_memcpy(ev->data, &info, sizeof(info));
	emit(ctx, cnt, ev, sizeof(info), xchg, false);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(execmon_exit_rec, struct task_struct *task)
{
	return on_exit_rec(ctx, task, true);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(execmon_exit_rec_nx, struct task_struct *task)
{
	return on_exit_rec(ctx, task, false);
}

/* Failed execs, with kprobes or sys_enter: the call's arguments are noted
 * on the way in and read on the way out, when the exec failed and the
 * caller's memory is intact. regs are the call's, which the syscall
 * wrapper takes. (fexit needs no entry: see on_call_exit().) */
static __always_inline int on_call_enter(struct pt_regs *regs, bool count)
{
	struct exec_call call;

	if (!call_args(regs, syscall_nr(regs), &call))
		return 0;
	/* Past the point of no return, a failing exec has already replaced
	 * the caller's memory: argv is then read from the copy the kernel
	 * made for the new program. Its count is the kernel's where a kprobe
	 * on begin_new_exec() notes it (execmon_kprobe_late); sys_enter has
	 * only the call's array to count, which a script's interpreter line
	 * lengthens in the kernel's copy. */
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	call.mm = (__u64)BPF_CORE_READ(task, mm);
	for (__u32 i = 0; i <= FAILED_ARGS_MAX && count; i++) {
		__u64 arg = 0;

		if (bpf_probe_read_user(&arg, call.compat ? 4 : 8,
					(void *)(call.argv + i * (call.compat ? 4 : 8))) || !arg)
			break;
		call.argc++;
	}
	__u64 key = (__u64)task;

	bpf_map_update_elem(&execmon_calls, &key, &call, BPF_ANY);
	return 0;
}

/* The current task's user registers: bpf_task_pt_regs() from 5.15 on;
 * before, the top of the task's kernel stack, as task_pt_regs() says. */
static __always_inline struct pt_regs *current_regs(void)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs))
		return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());

	void *stack = BPF_CORE_READ((struct task_struct___stack *)bpf_get_current_task(), stack);

	return (struct pt_regs *)(stack + THREAD_SIZE - bpf_core_type_size(struct pt_regs));
}

/* How the end of a call finds what the call was (on_call_exit()). */
enum call_from {
	CALL_NOTED,	/* kprobes, sys_exit: noted at the entry */
	CALL_FEXIT,	/* fexit: the registers, and execmon_fexit_late's note */
	CALL_REFUSED,	/* refused by seccomp: the registers alone */
};

/*
 * The end of a call: ret is its return value.
 * - CALL_NOTED: the exec noted on the way in is looked up.
 * - CALL_FEXIT: nothing was noted on the way in. A call that failed before
 *   the point of no return left its arguments in the registers (the
 *   syscall wrapper's regs, which only its return overwrites, and only a
 *   successful exec clears) and its memory intact: they are read from
 *   there, as a refused call's are. One that failed past it was noted by
 *   execmon_fexit_late. A call that worked costs one compare (before
 *   6.14, which adds checks that work without an exec): the programs
 *   run at every exec of the machine, and nearly all work.
 * - CALL_REFUSED, or a call that sys_exit sees and sys_enter did not: a
 *   seccomp filter (or its supervisor in user space) refused it with an
 *   error; the call's function, and the hooks on it, never ran. It is told
 *   apart by its number.
 * A filter that traps (SIGSYS) leaves no error: not shown; one that kills
 * never returns.
 */
static __always_inline int on_call_exit(void *ctx, struct pt_regs *regs, long ret, int from,
					bool xchg)
{
	/* A check (6.14 on) succeeds without an exec: only there is a call
	 * that worked looked at. */
	if (from == CALL_FEXIT && ret >= 0 &&
	    !bpf_core_field_exists(((struct linux_binprm___check *)0)->is_check))
		return 0;

	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, pid = pid_tgid >> 32;
	__u64 key = bpf_get_current_task();
	bool lookup = from == CALL_NOTED || (from == CALL_FEXIT && ret < 0);
	struct exec_call *callp = lookup ? bpf_map_lookup_elem(&execmon_calls, &key) : NULL;
	struct exec_call call;

	__u64 mm_now = (__u64)BPF_CORE_READ((struct task_struct *)key, mm);
	bool noted = false;

	if (callp) {
		call = *callp;
		bpf_map_delete_elem(&execmon_calls, &key);
		/* fexit's note is this exec's only if it names the memory the
		 * exec failed in: not one that a task gone from the same address
		 * left, its call's exit not hooked yet as execmon started */
		noted = from != CALL_FEXIT || call.late_mm == mm_now;
	}
	if (!noted) {
		if (from == CALL_FEXIT)
			regs = current_regs();
		if (!regs || !call_args(regs, syscall_nr(regs), &call))
			return 0;
		call.mm = mm_now;
	}

	/* A check runs nothing, and is shown whether it passed or not; a
	 * kernel without checks refuses the flag (EINVAL). */
	bool check = call.at_flags & EXECMON_AT_EXECVE_CHECK;

	if (ret >= 0 && !check)
		return 0;

	/* CO-RE reads: bpf_get_current_task_btf() is not there before 5.11 */
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct counters *cnt = cpu_counters();
	__u64 uid_gid = bpf_get_current_uid_gid();
	__u32 ppid = BPF_CORE_READ(task, real_parent, tgid);
	char comm[COMM_LEN];

	count(&cnt->seen, false);
	bpf_get_current_comm(comm, sizeof(comm));
	if (filtered_out(task, pid, ppid, (__u32)uid_gid, comm, false)) {
		count(&cnt->filtered, false);
		return 0;
	}

	struct event *ev = event_slot();
	struct path_buf *buf = path_scratch();

	if (!ev || !buf)
		return 0;
	fill_header(ev, check ? EV_KIND_CHECK : EV_KIND_FAILED, pid, ppid, uid_gid,
		    want_cgroup_mntns ? BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum) : 0, comm);
	ev->old_pid = tid;
	ev->ret = ret;

	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	/* Past the point of no return the caller's memory is gone (and the
	 * process is killed): the path is the file's, the arguments are the
	 * kernel's copy in the new memory. */
	bool late = (__u64)mm != call.mm;
	/* (from 0, the 6.12 verifier takes twice the steps over this program) */
	__u32 flags = check ? 0 : late ? EV_FAILED | EV_NO_RETURN : EV_FAILED;
	__u64 exe_len;

	if (late) {
		struct path exe;
		__u32 full = 0;

		BPF_CORE_READ_INTO(&exe, mm, exe_file, f_path);
		exe_len = put_path_at(ev, buf, 0, 0, exe.mnt, BPF_CORE_READ(exe.mnt, mnt_root),
				      exe.dentry, &full, &flags, false);
		if (!exe_len)
			flags |= EV_EXE_FAULT;
		ev->exe_full_len = full;
	} else {
		long n = bpf_probe_read_user_str(ev->data, EXE_MAX, (void *)call.filename);

		if (!n)
			n = 1;	/* EMPTY_STR */
		exe_len = n > 0 ? n - 1 : 0;
		if (n <= 0)
			flags |= EV_EXE_FAULT;
		if (n == EXE_MAX) {
			char last;

			/* longer than the kernel takes (ENAMETOOLONG): cut, of unknown size */
			if (bpf_probe_read_user(&last, 1, (void *)call.filename + EXE_MAX - 1) || last)
				flags |= EV_EXE_TRUNCATED;
		}
		ev->exe_full_len = exe_len;
		/* an empty path: the file open at dirfd */
		if (n == 1 && (call.at_flags & AT_EMPTY_PATH))
			exe_len = put_fd_path(ev, buf, task, call.dirfd, &flags);
	}
	clamp(exe_len, EXE_MAX);
	if (filter_comm_on && !failed_comm_matches(exe_len)) {
		count(&cnt->filtered, false);
		return 0;
	}
	ev->exe_len = exe_len;

	struct argv_walk *w = &buf->aw;

	w->argv = late ? BPF_CORE_READ(mm, arg_start) : call.argv;
	w->compat = call.compat;
	w->contig = late;
	w->argc = call.argc;
	w->base = exe_len;
	w->idx = 0;
	w->off = 0;
	w->flags = late && !w->argv ? EV_ARGV_FAULT : 0;
	/* one step more than the arguments read, to see whether any is left */
	for (int i = 0; i <= FAILED_ARGS_MAX && !w->flags; i++)
		if (argv_step())
			break;

	__u64 argv_len = w->off;

	clamp(argv_len, ARGV_MAX);
	ev->argv_len = argv_len;
	ev->argv_full_len = argv_len;
	flags |= w->flags;

	/* the end of argv, and of the script name, which a failed exec has not */
	__u64 off = exe_len + argv_len;

	if (want_cwd) {
		struct path pwd;
		struct dentry *mnt_root;

		BPF_CORE_READ_INTO(&pwd, task, fs, pwd);
		mnt_root = BPF_CORE_READ(pwd.mnt, mnt_root);
		flags |= put_cwd(ev, buf, pwd.mnt, mnt_root, pwd.dentry, off, false);
		off += ev->cwd_len;
		if (unlinked(BPF_CORE_READ(pwd.dentry, d_hash.pprev), BPF_CORE_READ(pwd.dentry, d_parent),
			     pwd.dentry))
			flags |= EV_CWD_DELETED;
	}
	if (want_ctx)
		off += put_exec_ctx(ev, off, task, NULL, &flags);
	ev->flags = flags;
	emit(ctx, cnt, ev, off, xchg, false);
	return 0;
}

/* __secure_computing() said -1: the call is skipped, its error (if any)
 * in the return register. */
static __always_inline int on_refused(void *ctx, bool xchg)
{
	struct pt_regs *regs = current_regs();

	return on_call_exit(ctx, regs, syscall_ret(regs), CALL_REFUSED, xchg);
}

/*
 * The hooks: fexit on each exec call's function where the kernel has BPF
 * trampolines, with fexit on bprm_execve() for the execs that fail past
 * the point of no return; else a kprobe and a kretprobe (one program
 * each, attached to all four); and after __secure_computing(), for the
 * calls a filter refuses. Where the kernel has neither trampolines nor
 * kprobes, the raw tracepoints sys_enter and sys_exit, which run at every
 * system call and see the refused ones too. The tracer picks (loader.c).
 * Each exit comes in two builds (see the top of the file).
 */
/* The wrapper's one argument, the call's pt_regs, is the task's own: read
 * from there, as 5.10's BTF has the argument's type of some of the
 * wrappers as a declaration only, which makes the verifier refuse a load
 * of it. Only the return value is read from the context. */
#define FEXIT_EXEC(name, fn)							\
SEC("fexit/" fn)								\
int execmon_fexit_##name(void *ctx)						\
{										\
	return on_call_exit(ctx, NULL, (long)tp_arg(ctx, 1), CALL_FEXIT, true);	\
}										\
SEC("fexit/" fn)								\
int execmon_fexit_##name##_nx(void *ctx)					\
{										\
	return on_call_exit(ctx, NULL, (long)tp_arg(ctx, 1), CALL_FEXIT, false); \
}

FEXIT_EXEC(execve, FN_EXECVE)
FEXIT_EXEC(execveat, FN_EXECVEAT)
FEXIT_EXEC(execve32, FN32_EXECVE)
FEXIT_EXEC(execveat32, FN32_EXECVEAT)

/* execveat's, where its wrapper has execve's prototype: it jumps to
 * execve's program with a tail call (which tells the two calls apart by
 * their numbers), so that the verifier checks that work once instead of
 * twice (checking the copies was most of -x's start-up). The kernel allows
 * the jump only between functions of the same prototype: the tracer loads
 * this or the whole one above by the kernel's BTF, and puts execve's
 * program in the array (the 32-bit ABI's pair alike). */
#define TAIL_ARRAY(name)							\
struct {									\
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);					\
	__uint(max_entries, 1);							\
	__type(key, __u32);							\
	__type(value, __u32);							\
} name SEC(".maps");

TAIL_ARRAY(execmon_exit_tail)
TAIL_ARRAY(execmon_exit_tail32)

#define FEXIT_EXEC_TAIL(name, fn, exit)						\
SEC("fexit/" fn)								\
int execmon_fexit_##name##_tail(void *ctx)					\
{										\
	bpf_tail_call(ctx, &exit, 0);						\
	return 0;								\
}

FEXIT_EXEC_TAIL(execveat, FN_EXECVEAT, execmon_exit_tail)
FEXIT_EXEC_TAIL(execveat32, FN32_EXECVEAT, execmon_exit_tail32)

/* A traced function's return value, after its nargs arguments before 5.17;
 * bpf_get_func_ret() (5.17 on) knows where it is. One load at ctx + 8 *
 * nargs, as written: clang may otherwise move the pointer first, and the
 * verifier refuses a moved ctx. */
#define FUNC_RET(ctx, nargs)							\
({										\
	__u64 __ret = 0;							\
										\
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_func_ret))\
		bpf_get_func_ret(ctx, &__ret);					\
	else									\
		asm volatile("%0 = *(u64 *)(%1 + %2)"				\
			     : "=r"(__ret) : "r"(ctx), "i"(8 * (nargs)));	\
	__ret;									\
})

/*
 * An exec that failed past the point of no return, where its caller's
 * memory was already replaced (and the process is killed): noted for the
 * fexit of its call, which finds its registers no longer the caller's.
 * The note holds no caller's memory (so the exit takes the exec as late),
 * the memory the exec failed in (which tells it from a note that a task
 * gone from the same address left) and the count of arguments in the
 * kernel's copy, all that is left of them. An exec that worked, or failed
 * before that point, costs a compare.
 * bprm_execve() takes bprm first: with fd, filename and flags after it
 * in 5.10 and 6.1, alone in 6.12.
 */
SEC("fexit/bprm_execve")
int execmon_fexit_late(void *ctx)
{
	struct linux_binprm *bprm = tp_arg(ctx, 0);

	/* (an int: the register's upper half is not part of it) */
	if ((int)FUNC_RET(ctx, 4) >= 0 || !BPF_CORE_READ_BITFIELD(bprm, point_of_no_return))
		return 0;

	__u64 key = bpf_get_current_task();
	struct exec_call call = { .dirfd = AT_FDCWD, .argc = bprm->argc,
				  .late_mm = (__u64)BPF_CORE_READ((struct task_struct *)key, mm) };

	bpf_map_update_elem(&execmon_calls, &key, &call, BPF_ANY);
	return 0;
}

/* __secure_computing()'s return value: the function took the call's
 * seccomp data in 5.10 to 6.12 and takes nothing in 6.18, so the value's
 * place in the context is not fixed; before 5.17 it follows the one
 * argument. */
static __always_inline int secure_computing_ret(void *ctx)
{
	return (int)FUNC_RET(ctx, 1);
}

SEC("fexit/__secure_computing")
int execmon_fexit_refused(void *ctx)
{
	return secure_computing_ret(ctx) == -1 ? on_refused(ctx, true) : 0;
}

SEC("fexit/__secure_computing")
int execmon_fexit_refused_nx(void *ctx)
{
	return secure_computing_ret(ctx) == -1 ? on_refused(ctx, false) : 0;
}

SEC("kprobe")
int BPF_KPROBE(execmon_kprobe_exec, struct pt_regs *regs)
{
	return on_call_enter(regs, !late_kprobe);
}

/* With kprobes, the count of arguments in the kernel's copy, which a
 * late failure shows: begin_new_exec() is where an exec passes the point
 * of no return, its bprm's argc final (a script's interpreter line and
 * binfmt_misc already counted). It runs at every exec that gets that far;
 * an exec call noted at its entry gets the count. */
SEC("kprobe/begin_new_exec")
int BPF_KPROBE(execmon_kprobe_late, struct linux_binprm *bprm)
{
	__u64 key = bpf_get_current_task();
	struct exec_call *callp = bpf_map_lookup_elem(&execmon_calls, &key);

	if (callp)
		callp->argc = BPF_CORE_READ(bprm, argc);
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(execmon_kretprobe_exec, long ret)
{
	return on_call_exit(ctx, NULL, ret, CALL_NOTED, true);
}

SEC("kretprobe")
int BPF_KRETPROBE(execmon_kretprobe_exec_nx, long ret)
{
	return on_call_exit(ctx, NULL, ret, CALL_NOTED, false);
}

SEC("kretprobe/__secure_computing")
int BPF_KRETPROBE(execmon_kretprobe_refused, int ret)
{
	return ret == -1 ? on_refused(ctx, true) : 0;
}

SEC("kretprobe/__secure_computing")
int BPF_KRETPROBE(execmon_kretprobe_refused_nx, int ret)
{
	return ret == -1 ? on_refused(ctx, false) : 0;
}

/* The last resort: every system call runs these, so the number is
 * checked first, a plain load. */
SEC("tp_btf/sys_enter")
int BPF_PROG(execmon_sys_enter, struct pt_regs *regs, long id)
{
	if (id != sys_execve_nr && id != sys_execveat_nr &&
	    id != sys_execve_nr32 && id != sys_execveat_nr32)
		return 0;
	return on_call_enter(regs, true);
}

static __always_inline int on_sys_exit(void *ctx, struct pt_regs *regs, long ret, bool xchg)
{
	long id = syscall_nr_btf(regs);

	if (id != sys_execve_nr && id != sys_execveat_nr &&
	    id != sys_execve_nr32 && id != sys_execveat_nr32)
		return 0;
	return on_call_exit(ctx, regs, ret, CALL_NOTED, xchg);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(execmon_sys_exit, struct pt_regs *regs, long ret)
{
	return on_sys_exit(ctx, regs, ret, true);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(execmon_sys_exit_nx, struct pt_regs *regs, long ret)
{
	return on_sys_exit(ctx, regs, ret, false);
}
