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
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "execmon.h"
#include "arch.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * What older kernels need, in one place; the tracer picks by probing the
 * running kernel, never by its version:
 * - BPF atomic exchange exists from 5.12 on. 5.10 refuses a program that
 *   holds one, even where it cannot run, so each program that sends events
 *   comes twice: the *_nx builds ring the bell after a plain load (see
 *   emit()) and the reader adds a timer for the wakeup that may miss.
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

/* x = min(x, max), done on the register that the next use reads. x must
 * be a 64-bit unsigned variable. */
#define clamp(x, max)								\
	asm volatile("if %[v] <= %[m] goto .Lclamp%=; %[v] = %[m]; .Lclamp%=:"	\
		     : [v] "+r"(x) : [m] "i"(max))

/* What bpf_perf_event_output returns for a full ring (uapi errno-base.h,
 * which the BPF build does not include). */
#define ENOSPC		28

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
const volatile long sys_execve_nr = -1;		/* the architecture's numbers */
const volatile long sys_execveat_nr = -1;
const volatile long sys_execve_nr32 = -1;	/* and its 32-bit ABI's (x86: ia32) */
const volatile long sys_execveat_nr32 = -1;
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
struct counters counters[COUNTER_SLOTS] = {};
/* The type's alignment puts the slots on cache lines of their own, past
 * the two fields above, in the .bss that userspace maps. */
_Static_assert(__alignof__(counters) == 64, "counter slots share cache lines");

static __always_inline struct counters *cpu_counters(void)
{
	return &counters[bpf_get_smp_processor_id() & (COUNTER_SLOTS - 1)];
}

/*
 * Adds one to a counter of this CPU's slot. sched_process_exec's programs
 * run in process context with preemption off, and none of execmon's runs
 * in interrupt context, so nothing interleaves with them on one CPU: where
 * the slot is this CPU's alone, a plain add is enough (plain). CPUs past
 * COUNTER_SLOTS share slots, where it must be atomic; so must sys_exit's,
 * on the system call tracepoints that may fault, which keep preemption
 * off around BPF programs today but need not always: a single atomic
 * instruction cannot be cut in two by the exec program's plain add.
 */
static __always_inline void count(__u64 *counter, bool plain)
{
	if (plain && slot_per_cpu)
		*counter += 1;
	else
		__sync_fetch_and_add(counter, 1);
}

/*
 * The bench build (make EXECMON_STAGES=1) times on_exec stage by stage:
 * each STAGE(s) adds the time since the last mark to stage s of this
 * CPU's slot, which bench/run reads from .bss. ST_EMPTY times nothing but
 * the mark itself, which is what each stage's figure carries too. In the
 * normal build the marks are nothing at all.
 */
#ifdef EXECMON_STAGES
enum { ST_EMPTY, ST_HEADER, ST_FILTERED, ST_EXE, ST_ARGV, ST_SCRIPT, ST_CWD, ST_ENV, ST_CTX,
       ST_OUTPUT, ST_COUNT };

/* Per slot: the ns of each stage, then how often it ran; plain types, so
 * that the skeleton needs no declaration of them. */
__u64 stage_slots[COUNTER_SLOTS][2 * ST_COUNT] __attribute__((aligned(64))) = {};

#define STAGE_START()								\
	__u64 *stage_ = stage_slots[bpf_get_smp_processor_id() & (COUNTER_SLOTS - 1)]; \
	__u64 stage_t_ = bpf_ktime_get_ns()
#define STAGE(s) do {								\
	__u64 now_ = bpf_ktime_get_ns();					\
										\
	stage_[s] += now_ - stage_t_;						\
	stage_[ST_COUNT + s]++;							\
	stage_t_ = now_;							\
} while (0)
#else
#define STAGE_START()
#define STAGE(s)
#endif

/* The per-CPU heap, because the BPF stack is 512 bytes: one slot holds the
 * event as it is serialized, the other is scratch room where a path is
 * assembled backwards, leaf to root. Each is only as large as it needs to
 * be, so each has a map of its own. A per-CPU value cannot exceed 32 KiB,
 * which the event with its environment does: its slots are the entries of
 * a plain array instead, one per possible CPU (sized at load). */
#define EVENT_MAX	(sizeof(struct event) + EV_DATA_MAX)
#define PATH_SCRATCH	(EXE_MAX + NAME_MAX_LEN + 1)

struct event_buf {
	char bytes[EVENT_MAX];
};

/*
 * d_path() for the executed file, which BPF cannot call from a tracepoint:
 * walk the dentries up to the root of their mount, hop to the mount point in
 * the parent mount, and repeat until the root of the mount namespace.
 * The path is written backwards so that it ends at bytes[EXE_MAX].
 * Components that do not fit are still counted in full_len so that
 * userspace can say how much was cut.
 */
struct path_walk {
	__u64 dentry;		/* kernel pointers, kept as numbers: a global */
	__u64 mnt;		/* function's state cannot hold them */
	__u64 mnt_root;
	__u32 pos;		/* where the path starts in bytes[] */
	__u32 full_len;
	__u32 flags;
	__u32 pad;
};

/* A failed exec's argv, read one argument per step. */
struct argv_walk {
	__u64 argv;		/* user pointer to the argv array */
	__u32 base;		/* where argv starts in the event's data */
	__u32 idx;
	__u32 off;		/* bytes of argv so far */
	__u32 flags;
	__u64 compat;		/* 4-byte pointers */
	__u32 argc;		/* strings to read, when contig */
	__u32 contig;		/* argv is argc strings end to end at argv */
};

/* The scratch slot: the state of the walk under way, and the room where a
 * path is assembled. */
struct path_buf {
	struct path_walk pw;
	struct argv_walk aw;
	char bytes[PATH_SCRATCH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct path_buf);
} execmon_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
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
	__u64 compat;		/* a 32-bit call: argv holds 4-byte pointers */
	__u64 mm;		/* the caller's memory, which a late failure replaces */
	__u32 argc;		/* arguments counted at the call, at most FAILED_ARGS_MAX + 1 */
	__u32 at_flags;		/* execveat's flags; 0 for execve */
	__s32 dirfd;		/* execveat's; AT_FDCWD for execve */
	__u32 pad;
};

/* the kernel's values (linux/fcntl.h) */
#define AT_FDCWD		-100
#define AT_EMPTY_PATH		0x1000

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_call);
} execmon_calls SEC(".maps");

static __always_inline struct event *event_slot(void)
{
	/* programs run with migration disabled: the CPU stays this one */
	__u32 key = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&execmon_heap, &key);
}

static __always_inline struct path_buf *path_scratch(void)
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
__noinline int path_step(void)
{
	struct path_buf *buf = path_scratch();

	if (!buf)
		return 1;

	struct path_walk *w = &buf->pw;
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

	/* A root that is not its mount's: a file on an internal mount, never
	 * linked anywhere (memfd_create). d_path() names it by its own name,
	 * marked deleted; further up a path, the walk just ends there. */
	bool detached = dentry == parent;

	if (detached) {
		if (w->pos != EXE_MAX)
			return 1;
		w->flags |= EV_EXE_DELETED;
	}

	__u64 len = link.name.len, pos = w->pos;

	if (len > NAME_MAX_LEN)
		len = NAME_MAX_LEN;
	w->full_len += len + 1;
	w->dentry = (__u64)parent;
	if ((w->flags & EV_EXE_TRUNCATED) || pos > EXE_MAX || len + 1 > pos) {
		w->flags |= EV_EXE_TRUNCATED;
		return detached;
	}
	pos -= len + 1;
	/* pos < EXE_MAX and len <= NAME_MAX_LEN here, as the verifier is shown */
	clamp(pos, EXE_MAX - 1);
	clamp(len, NAME_MAX_LEN);
	buf->bytes[pos] = '/';
	if (bpf_probe_read_kernel(buf->bytes + pos + 1, len, link.name.name))
		w->flags |= EV_EXE_FAULT;
	w->pos = pos;
	return detached;
}

/* d_unlinked(): a dentry taken out of the hash that is not a root, which
 * d_path() marks " (deleted)". Given its d_hash.pprev and d_parent. */
static __always_inline bool unlinked(void *hash_pprev, struct dentry *parent, struct dentry *dentry)
{
	return !hash_pprev && parent != dentry;
}

/* Walks a path into the scratch slot; returns where it starts there. */
static __always_inline __u64 resolve_path(struct path_buf *buf, struct vfsmount *vfsmnt,
					  struct dentry *mnt_root, struct dentry *dentry,
					  __u32 *full_len, __u32 *flags)
{
	struct path_walk *w = &buf->pw;
	int i;

	w->dentry = (__u64)dentry;
	/* container_of(), with the kernel's offset rather than the header's */
	w->mnt = (__u64)vfsmnt - bpf_core_field_offset(struct mount, mnt);
	w->mnt_root = (__u64)mnt_root;
	w->pos = EXE_MAX;
	w->full_len = 0;
	w->flags = 0;
	for (i = 0; i < PATH_DEPTH_MAX; i++)
		if (path_step())
			break;
	if (i == PATH_DEPTH_MAX)
		w->flags |= EV_EXE_DEPTH | EV_EXE_TRUNCATED;
	if (w->pos >= EXE_MAX) {
		/* the root directory itself */
		buf->bytes[EXE_MAX - 1] = '/';
		w->pos = EXE_MAX - 1;
		w->full_len = 1;
	}
	*full_len = w->full_len;
	*flags |= w->flags;
	return w->pos;
}

/* Copies the path that resolve_path left in the scratch slot to the event,
 * at offset off (at most max_off); returns its length. */
static __always_inline __u64 put_path(struct event *ev, struct path_buf *buf, __u64 pos,
				      __u64 off, __u64 max_off)
{
	clamp(pos, EXE_MAX - 1);

	__u64 len = EXE_MAX - pos;

	clamp(len, EXE_MAX);
	clamp(off, max_off);
	if (bpf_probe_read_kernel(ev->data + off, len, buf->bytes + pos))
		return 0;
	return len;
}

/* The working directory pwd, at offset off of the event's data; returns
 * the flags to add. */
static __always_inline __u32 put_cwd(struct event *ev, struct path_buf *buf,
				     struct vfsmount *mnt, struct dentry *mnt_root,
				     struct dentry *dentry, __u64 off)
{
	__u32 full, flags = 0;
	__u64 pos = resolve_path(buf, mnt, mnt_root, dentry, &full, &flags);

	ev->cwd_len = put_path(ev, buf, pos, off, EV_START_MAX(cwd));
	ev->cwd_full_len = full;
	return (flags & EV_EXE_TRUNCATED ? EV_CWD_TRUNCATED : 0) |
	       (flags & EV_EXE_DELETED ? EV_CWD_DELETED : 0);
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

/* The header fields that every kind of record has. */
static __always_inline void fill_header(struct event *ev, __u8 kind, __u32 pid, __u32 ppid,
					__u64 uid_gid, __u32 mntns, const char *comm)
{
	ev->version = EXECMON_ABI_VERSION;
	ev->kind = kind;
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
	ev->mntns = mntns;
	ev->cwd_full_len = 0;
	__builtin_memcpy(ev->comm, comm, COMM_LEN);
}

/* Sends the event, its header and its data up to end (where the last part
 * ends) and, when the reader sleeps, rings its bell; xchg says whether the
 * kernel has BPF atomic exchange (5.12 and later). */
static __always_inline void emit(void *ctx, struct counters *cnt, struct event *ev, __u64 end,
				 bool xchg, bool plain)
{
	__u64 size = sizeof(*ev) + end;

	clamp(size, EVENT_MAX);
	long err = bpf_perf_event_output(ctx, &execmon_events, BPF_F_CURRENT_CPU, ev, size);

	if (err) {
		count(&cnt->emit_failed, plain);
		/* A full ring counts the record, and says so with a lost record
		 * once it has room: any other failure is said by nothing else. */
		if (err != -ENOSPC)
			count(&cnt->unsent, plain);
	} else {
		count(&cnt->emitted, plain);
	}
	if (xchg) {
		/* The exchange is a full barrier: either the reader, which sets
		 * the flag and then looks at the rings, sees this record, or this
		 * sees the flag. A plain load first would let both miss. */
		if (!__sync_lock_test_and_set(&cnt->bell, 0))
			return;
	} else {
		/* Without it, both can miss: the reader's timer covers that. */
		volatile __u64 *bell = &cnt->bell;

		if (!*bell)
			return;
		*bell = 0;
	}

	__u64 one = 1;

	bpf_perf_event_output(ctx, &execmon_bell, BPF_F_CURRENT_CPU, &one, sizeof(one));
}

/* Argument n of a tp_btf program, loaded again where it is used: kept in
 * a register from the start instead, it would cost the code around it
 * spills even where it is not used. */
#define tp_arg(ctx, n)	((void *)((__u64 *)(ctx))[n])

/*
 * The ctx part, at offset off of the event's data, for a failed exec by
 * task (bprm NULL: its secureexec was never decided; put_exec_ctx_typed
 * below serves a successful one). CO-RE reads throughout: the failed one
 * has no typed task (bpf_get_current_task_btf() is 5.11 on). Called only
 * with want_ctx; returns the part's length. A subprogram, not
 * inlined, so that the code of an exec without it stays as it was (clang
 * allocates on_exec's registers around even a branch the verifier drops);
 * static, so that its pointer arguments pass 5.10's verifier.
 */
static __noinline __u64 put_exec_ctx(struct event *ev, __u64 off, struct task_struct *task,
				     struct linux_binprm *bprm, __u32 *flags)
{
	clamp(off, EV_START_MAX(ctx));

	struct exec_ctx *c = (struct exec_ctx *)(ev->data + off);
	const struct cred *cred = BPF_CORE_READ(task, cred);
	struct tty_struct *tty = BPF_CORE_READ(task, signal, tty);
	/* the process's pid, not the thread's: a failed exec may be a thread's */
	struct pid *pid = BPF_CORE_READ(task, group_leader, thread_pid);
	__u32 level = BPF_CORE_READ(pid, level);
	__u64 t = (__u64)task;
	__u32 n = 0;

	__builtin_memset(c, 0, sizeof(*c));
	c->start_ns = BPF_CORE_READ(task, group_leader, start_boottime);
	if (bpf_core_field_exists(pid->ino))
		c->pidfs_ino = BPF_CORE_READ(pid, ino);
	c->auid = CTX_ID_UNSET;
	c->sid = CTX_ID_UNSET;
	if (bpf_core_field_exists(task->loginuid)) {
		c->auid = BPF_CORE_READ(task, loginuid.val);
		c->sid = BPF_CORE_READ(task, sessionid);
	}
	c->euid = BPF_CORE_READ(cred, euid.val);
	c->egid = BPF_CORE_READ(cred, egid.val);
	if (tty) {
		/* tty_devnum() */
		__u32 major = BPF_CORE_READ(tty, driver, major);
		__u32 minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);

		c->tty = major << 20 | (minor & 0xfffff);
		bpf_core_read_str(c->tty_name, sizeof(c->tty_name), &tty->name);
	}
	/* the pid as its own namespace, the innermost, numbers it */
	c->nspid = BPF_CORE_READ(pid, numbers[level].nr);
	c->pidns = BPF_CORE_READ(pid, numbers[level].ns, ns.inum);
	/* up the real parents to init, each process by its group leader */
	for (int i = 0; i < ANCESTORS_MAX; i++) {
		struct task_struct *up = BPF_CORE_READ((struct task_struct *)t, real_parent);

		if (!up || (__u64)up == t)
			break;
		up = BPF_CORE_READ(up, group_leader);

		__u32 tgid = BPF_CORE_READ(up, tgid);

		if (!tgid)	/* the idle task, init's and kthreadd's parent */
			break;
		c->ancestors[i].pid = tgid;
		bpf_core_read(c->ancestors[i].comm, COMM_LEN, &up->comm);
		if (!i)
			c->parent_start_ns = BPF_CORE_READ(up, start_boottime);
		n = i + 1;
		if (tgid == 1)
			break;
		t = (__u64)up;
	}
	c->nancestors = n;
	if (bprm && BPF_CORE_READ_BITFIELD_PROBED(bprm, secureexec))
		*flags |= EV_SECURE;
	*flags |= EV_CTX;
	return sizeof(*c);
}

/*
 * The same for a successful exec, whose task and bprm are typed (tp_btf):
 * plain loads instead of a helper call per field, a tenth of the cost.
 * Only the pid's numbers, indexed by a level known at run time, which a
 * plain load cannot take, are read with the helper. Static, as the typed
 * arguments must stay typed.
 */
static __noinline __u64 put_exec_ctx_typed(struct event *ev, __u64 off, struct task_struct *task,
					   struct linux_binprm *bprm, __u32 *flags)
{
	clamp(off, EV_START_MAX(ctx));

	struct exec_ctx *c = (struct exec_ctx *)(ev->data + off);
	const struct cred *cred = task->cred;
	struct tty_struct *tty = task->signal->tty;
	struct task_struct *leader = task->group_leader;
	struct pid *pid = leader->thread_pid;
	struct task_struct *t = task;
	struct upid up_nr;
	__u32 n = 0;

	__builtin_memset(c, 0, sizeof(*c));
	c->start_ns = leader->start_boottime;
	if (bpf_core_field_exists(pid->ino))
		c->pidfs_ino = pid->ino;
	c->auid = CTX_ID_UNSET;
	c->sid = CTX_ID_UNSET;
	if (bpf_core_field_exists(task->loginuid)) {
		c->auid = task->loginuid.val;
		c->sid = task->sessionid;
	}
	c->euid = cred->euid.val;
	c->egid = cred->egid.val;
	if (tty) {
		struct tty_driver *driver = tty->driver;
		__u32 major = driver->major, minor = driver->minor_start + tty->index;

		c->tty = major << 20 | (minor & 0xfffff);
		bpf_core_read_str(c->tty_name, sizeof(c->tty_name), &tty->name);
	}
	__u32 level = pid->level;

	if (!bpf_core_read(&up_nr, sizeof(up_nr), &pid->numbers[level])) {
		c->nspid = up_nr.nr;
		c->pidns = BPF_CORE_READ(up_nr.ns, ns.inum);
	}
	for (int i = 0; i < ANCESTORS_MAX; i++) {
		struct task_struct *up = t->real_parent;

		if (!up || up == t)
			break;
		up = up->group_leader;

		__u32 tgid = up->tgid;

		if (!tgid)
			break;
		c->ancestors[i].pid = tgid;
		__builtin_memcpy(c->ancestors[i].comm, up->comm, COMM_LEN);
		if (!i)
			c->parent_start_ns = up->start_boottime;
		n = i + 1;
		if (tgid == 1)
			break;
		t = up;
	}
	c->nancestors = n;
	if (BPF_CORE_READ_BITFIELD(bprm, secureexec))
		*flags |= EV_SECURE;
	*flags |= EV_CTX;
	return sizeof(*c);
}

#define TMPFS_MAGIC		0x01021994
#define HUGETLBFS_MAGIC		0x958458f6

/*
 * What kind of file a detached executable is (dentry is its own parent: a
 * root that is not its mount's, which the walk marks deleted). memfd_create
 * names its file "memfd:NAME" on the internal mount of tmpfs, or of
 * hugetlbfs with MFD_HUGETLB, which no path reaches: nothing else can have
 * that name there. Anything else detached was never linked either (a
 * SysV shm segment, a file of another internal mount). Only the dentry's
 * parent is read for a file that has a name.
 */
static __always_inline __u32 exe_kind(struct dentry *dentry)
{
	if (dentry->d_parent != dentry)
		return 0;

	unsigned long magic = dentry->d_sb->s_magic;
	char name[6] = {};

	if (magic != TMPFS_MAGIC && magic != HUGETLBFS_MAGIC)
		return EV_EXE_ANON;
	if (bpf_probe_read_kernel(name, sizeof(name), dentry->d_name.name) ||
	    name[0] != 'm' || name[1] != 'e' || name[2] != 'm' || name[3] != 'f' ||
	    name[4] != 'd' || name[5] != ':')
		return EV_EXE_ANON;
	return EV_EXE_MEMFD;
}

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
	       EV_START_MAX(ctx) + sizeof(struct exec_ctx) == EV_DATA_MAX,
	       "on_exec and on_sys_exit write the parts in another order");

static __always_inline int on_exec(void *ctx, struct task_struct *task, pid_t old_pid,
				   struct linux_binprm *bprm, bool xchg)
{
	/* plain loads rather than the get_current helpers: task is current */
	__u32 pid = task->tgid;
	const struct cred *cred = task->cred;
	__u64 uid_gid = (__u64)cred->gid.val << 32 | cred->uid.val;
	__u32 ppid = task->real_parent->tgid;
	struct counters *cnt = cpu_counters();
	char comm[COMM_LEN];
	__u8 kind = EV_KIND_EXEC;
	__u32 flags = 0;
	STAGE_START();

	STAGE(ST_EMPTY);
	count(&cnt->seen, true);
	if (sys_execve_nr >= 0 && old_pid != pid) {
		/* This exec succeeded, so sys_exit has nothing to report; it
		 * drops the call it noted itself, as the call returns 0, but
		 * under the caller's thread id, which a thread other than the
		 * leader gives up as it takes the leader's: that one goes here. */
		__u32 tid = old_pid;

		bpf_map_delete_elem(&execmon_calls, &tid);
	}
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
	struct path_buf *buf = path_scratch();

	if (!ev || !buf)
		return 0;
	fill_header(ev, kind, pid, ppid, uid_gid, task->nsproxy->mnt_ns->ns.inum, comm);
	ev->old_pid = old_pid;
	STAGE(ST_HEADER);

	struct vfsmount *exe_mnt = bprm->file->f_path.mnt;
	struct dentry *exe_dentry = bprm->file->f_path.dentry;
	__u32 full = 0;
	__u64 pos = resolve_path(buf, exe_mnt, exe_mnt->mnt_root, exe_dentry, &full, &flags);

	if (unlinked(exe_dentry->d_hash.pprev, exe_dentry->d_parent, exe_dentry))
		flags |= EV_EXE_DELETED;
	flags |= exe_kind(exe_dentry);
	__u64 exe_len = put_path(ev, buf, pos, 0, 0);

	if (!exe_len)
		flags |= EV_EXE_FAULT;
	ev->exe_len = exe_len;
	ev->exe_full_len = full;
	STAGE(ST_EXE);

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

		flags |= put_cwd(ev, buf, mnt, mnt->mnt_root, dentry, off);
		if (unlinked(dentry->d_hash.pprev, dentry->d_parent, dentry))
			flags |= EV_CWD_DELETED;
	}
	STAGE(ST_CWD);
	__u64 env_len = want_env ? put_env(ev, task->mm, off + ev->cwd_len, &flags) : 0;

	STAGE(ST_ENV);
	__u64 ctx_len = want_ctx ? put_exec_ctx_typed(ev, off + ev->cwd_len + env_len,
						      tp_arg(ctx, 0), tp_arg(ctx, 2), &flags) : 0;

	STAGE(ST_CTX);
	ev->flags = flags;
	/* (cwd_len is 0 without want_cwd: added here rather than above, it
	 * takes the 6.12 verifier fewer steps) */
	emit(ctx, cnt, ev, off + ev->cwd_len + env_len + ctx_len, xchg, true);
	STAGE(ST_OUTPUT);
	return 0;
}

/* A BTF-enabled raw tracepoint: the arguments are typed, so the pointers
 * reached from them are read with plain loads instead of helper calls. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(execmon_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	return on_exec(ctx, task, old_pid, bprm, true);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(execmon_exec_nx, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	return on_exec(ctx, task, old_pid, bprm, false);
}

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

/* The path and argv of a 32-bit execve or execveat, and execveat's
 * directory and flags. */
static __always_inline bool compat_call_args(struct pt_regs *regs, bool at, struct exec_call *call)
{
	__u32 a0 = compat_arg(regs, 0), a1 = compat_arg(regs, 1), a2 = compat_arg(regs, 2);

	call->filename = at ? a1 : a0;
	call->argv = at ? a2 : a1;
	call->at_flags = at ? compat_arg(regs, 4) : 0;
	call->dirfd = at ? (__s32)a0 : AT_FDCWD;
	return true;
}

/* The path, argv, flags and directory of an exec call id (one of the four
 * numbers), from its registers; false when id is not an exec at all. */
static __always_inline bool call_args(struct pt_regs *regs, long id, struct exec_call *call)
{
	/* The number is looked up in the table of the call's own ABI: a 32-bit
	 * call numbered as a 64-bit exec is something else, and the other way
	 * round. */
	bool compat = in_compat_syscall(regs);

	if (compat ? id != sys_execve_nr32 && id != sys_execveat_nr32
		   : id != sys_execve_nr && id != sys_execveat_nr)
		return false;
	call->compat = compat;
	call->at_flags = 0;
	call->dirfd = AT_FDCWD;
	call->mm = 0;
	call->argc = 0;
	if (compat)
		return compat_call_args(regs, id == sys_execveat_nr32, call);
	if (id == sys_execve_nr) {
		call->filename = PT_REGS_PARM1_CORE_SYSCALL(regs);
		call->argv = PT_REGS_PARM2_CORE_SYSCALL(regs);
	} else {
		call->dirfd = PT_REGS_PARM1_CORE_SYSCALL(regs);
		call->filename = PT_REGS_PARM2_CORE_SYSCALL(regs);
		call->argv = PT_REGS_PARM3_CORE_SYSCALL(regs);
		call->at_flags = PT_REGS_PARM5_CORE_SYSCALL(regs);
	}
	return true;
}

/* Failed execs: the call's arguments are noted on the way in and read on
 * the way out, when the exec failed and the caller's memory is intact. */
SEC("tp_btf/sys_enter")
int BPF_PROG(execmon_sys_enter, struct pt_regs *regs, long id)
{
	struct exec_call call;
	__u32 tid;

	if (id != sys_execve_nr && id != sys_execveat_nr &&
	    id != sys_execve_nr32 && id != sys_execveat_nr32)
		return 0;
	if (!call_args(regs, id, &call))
		return 0;
	/* Past the point of no return, a failing exec has already replaced
	 * the caller's memory: argv is then read from the copy the kernel
	 * made for the new program, whose count only the call's array says. */
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	call.mm = (__u64)BPF_CORE_READ(task, mm);
	for (__u32 i = 0; i <= FAILED_ARGS_MAX; i++) {
		__u64 arg = 0;

		if (bpf_probe_read_user(&arg, call.compat ? 4 : 8,
					(void *)(call.argv + i * (call.compat ? 4 : 8))) || !arg)
			break;
		call.argc++;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&execmon_calls, &tid, &call, BPF_ANY);
	return 0;
}

/* Like exe_kind(), with CO-RE reads, for a task that is not typed. */
static __always_inline __u32 exe_kind_core(struct dentry *dentry)
{
	if (BPF_CORE_READ(dentry, d_parent) != dentry)
		return 0;

	unsigned long magic = BPF_CORE_READ(dentry, d_sb, s_magic);
	char name[6] = {};

	if (magic != TMPFS_MAGIC && magic != HUGETLBFS_MAGIC)
		return EV_EXE_ANON;
	if (bpf_probe_read_kernel(name, sizeof(name), BPF_CORE_READ(dentry, d_name.name)) ||
	    name[0] != 'm' || name[1] != 'e' || name[2] != 'm' || name[3] != 'f' ||
	    name[4] != 'd' || name[5] != ':')
		return EV_EXE_ANON;
	return EV_EXE_MEMFD;
}

/*
 * A failed exec or check of the file open at descriptor fd (an empty path
 * and AT_EMPTY_PATH: fexecve): the exe part is fd, then the resolved path
 * of the file the task's table holds there, if any (EV_EXE_FD). Only what
 * the path's walk leaves room for is kept after fd. Returns the part's
 * length. A subprogram, so that sys_exit's code stays small.
 */
static __noinline __u64 put_fd_path(struct event *ev, struct path_buf *buf,
				    struct task_struct *task, __s32 fd, __u32 *flags)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *file = NULL;
	__u32 nr = fd;

	*flags |= EV_EXE_FD;
	__builtin_memcpy(ev->data, &nr, EXE_FD_LEN);
	/* (a plain read: the array's elements are pointers, whatever the kernel) */
	if (fd < 0 || nr >= BPF_CORE_READ(fdt, max_fds) ||
	    bpf_probe_read_kernel(&file, sizeof(file), fds + nr) || !file)
		return EXE_FD_LEN;

	struct path p;
	__u32 full = 0, pflags = 0;

	BPF_CORE_READ_INTO(&p, file, f_path);
	__u64 pos = resolve_path(buf, p.mnt, BPF_CORE_READ(p.mnt, mnt_root), p.dentry, &full,
				 &pflags);

	if (pos < EXE_FD_LEN) {
		pos = EXE_FD_LEN;
		pflags |= EV_EXE_TRUNCATED;
	}
	if (unlinked(BPF_CORE_READ(p.dentry, d_hash.pprev), BPF_CORE_READ(p.dentry, d_parent),
		     p.dentry))
		pflags |= EV_EXE_DELETED;
	pflags |= exe_kind_core(p.dentry);
	ev->exe_full_len = full;
	*flags |= pflags;
	return EXE_FD_LEN + put_path(ev, buf, pos, EXE_FD_LEN, EXE_FD_LEN);
}

/* Reads one argument of a failed exec; a global function, checked once,
 * like path_step. Returns 1 when done. */
__noinline int argv_step(void)
{
	struct event *ev = event_slot();
	struct path_buf *buf = path_scratch();
	const char *arg = NULL;
	long n;

	if (!ev || !buf)
		return 1;

	struct argv_walk *w = &buf->aw;

	if (w->contig) {
		if (w->idx >= w->argc)
			return 1;
		arg = (const char *)(w->argv + w->off);
	} else if (!w->argv) {
		/* a NULL argv is an empty one, as the kernel takes it */
		return 1;
	} else if (w->compat) {
		__u32 arg32;

		if (bpf_probe_read_user(&arg32, sizeof(arg32), (void *)(w->argv + w->idx * 4)))
			goto unreadable;
		arg = (const char *)(__u64)arg32;
	} else if (bpf_probe_read_user(&arg, sizeof(arg), (void *)(w->argv + w->idx * 8))) {
		goto unreadable;
	}
	if (!arg)
		return 1;
	if (w->idx >= FAILED_ARGS_MAX || w->off > ARGV_MAX - FAILED_ARG_MAX) {
		w->flags |= EV_ARGV_TRUNCATED;
		return 1;
	}

	__u64 base = w->base, off = w->off;

	clamp(base, EV_START_MAX(argv));
	clamp(off, ARGV_MAX - FAILED_ARG_MAX);
	n = bpf_probe_read_user_str(ev->data + base + off, FAILED_ARG_MAX, arg);
	if (!n)
		n = 1;	/* an empty string, as some kernels say (see EMPTY_STR) */
	if (n <= 0) {
		w->flags |= EV_ARGV_FAULT;
		return 1;
	}
	if (n == FAILED_ARG_MAX) {
		char last;

		/* the room is full: cut, unless the string ended right there */
		if (bpf_probe_read_user(&last, 1, arg + FAILED_ARG_MAX - 1) || last) {
			w->flags |= EV_ARGV_TRUNCATED;
			/* end to end, the next one starts past the cut: unknown */
			w->argc = 0;
		}
	}
	w->off += n;
	w->idx++;
	return 0;

unreadable:
	/* the array itself: a bad pointer (EFAULT), or a page the kernel
	 * never touched, as the exec failed before it read argv */
	w->flags |= EV_ARGV_FAULT;
	return 1;
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

static __always_inline int on_sys_exit(void *ctx, struct pt_regs *regs, long ret, bool xchg)
{
	/* This runs at the end of every system call: tell the few that are an
	 * exec by their number, a plain load, before the lookup. */
	long id = syscall_nr(regs);

	if (id != sys_execve_nr && id != sys_execveat_nr &&
	    id != sys_execve_nr32 && id != sys_execveat_nr32)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, pid = pid_tgid >> 32;
	struct exec_call *callp = bpf_map_lookup_elem(&execmon_calls, &tid);
	struct exec_call call;

	if (callp) {
		call = *callp;
		bpf_map_delete_elem(&execmon_calls, &tid);
	} else {
		/*
		 * No sys_enter: a seccomp filter (or a ptracer) refused the call
		 * before that tracepoint, as syscall_trace_enter() runs seccomp
		 * first; the exit's tracepoint still runs, from 5.10 to 6.18, on
		 * x86 (syscall_exit_work() of the generic entry) as on arm64
		 * (el0_svc_common() goes to syscall_trace_exit()). The call never ran, so its arguments
		 * are still in the registers and its memory is the caller's. A
		 * filter that kills or traps (SIGSYS) ends here with no error,
		 * or not at all: not shown. fexit or a kretprobe on the exec
		 * calls would never run for such a refusal, as the call's
		 * function is never entered: only the system call tracepoint
		 * (or a probe on the entry code) sees it.
		 */
		if (ret >= 0 || !call_args(regs, id, &call))
			return 0;
		call.mm = (__u64)BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), mm);
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
		    BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum), comm);
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
		__u64 pos = resolve_path(buf, exe.mnt, BPF_CORE_READ(exe.mnt, mnt_root), exe.dentry,
					 &full, &flags);

		exe_len = put_path(ev, buf, pos, 0, 0);
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
		flags |= put_cwd(ev, buf, pwd.mnt, mnt_root, pwd.dentry, off);
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
