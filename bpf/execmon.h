/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The event ABI shared by the BPF program and the tracer: sizes, kinds,
 * flags, the order of a record's parts and its header. Fixed-width fields
 * only and no includes (hence __builtin_offsetof), so that both the BPF
 * side (kernel_types.h) and userspace (linux/types.h) can use it.
 */
#ifndef EXECMON_H
#define EXECMON_H

/* 2: the record's kind is a field of its own, no longer a flag.
 * 3: parts after cwd (env, ctx), whose length is not in the header.
 * 4: the executed file's identity in the header (EV_EXE_ID). */
#define EXECMON_ABI_VERSION	4

#define COMM_LEN		16
/* The resolved path of the executed file: d_path's limit. */
#define EXE_MAX			4096
/* Bytes of argv sent per exec; anything beyond is cut and marked. */
#define ARGV_MAX		16384
/* The working directory of the exec'ing process. */
#define CWD_MAX			EXE_MAX
/* A failed exec's arguments are read one by one, each up to this, and up
 * to this many. */
#define FAILED_ARG_MAX		4096
#define FAILED_ARGS_MAX		1024
/* The name a #! script was asked for by, as given to exec. */
#define SCRIPT_MAX		4096
/* Bytes of the new process's environment sent per exec, with --env. */
#define ENV_MAX			16384
/* Longest single path component (NAME_MAX). */
#define NAME_MAX_LEN		255
/* Directories walked from the executed file up to the root. */
#define PATH_DEPTH_MAX		512

/* Filter table sizes (set before load, as read-only data). */
#define FILTER_IDS_MAX		64	/* values per kind: --pid, --ppid, --uid */

/* Counter slots, one per CPU (CPUs beyond share); see struct counters. */
#define COUNTER_SLOTS		32

/* event.kind: what a record is. A reader that meets a kind it does not
 * know refuses the record, so a new kind never passes for an exec. 0 is an
 * exec so that a header built field by field is one unless it says so. */
#define EV_KIND_EXEC		0 /* a successful exec */
#define EV_KIND_FAILED		1 /* a failed exec: exe is the path asked for, ret the error */
#define EV_KIND_SELF_CHECK	2 /* an exec of execmon's own, its start-up marker */
#define EV_KIND_CHECK		3 /* execveat(AT_EXECVE_CHECK): asks whether the file could
				   * run, runs nothing; ret says */
#define EV_KIND_EXIT		4 /* a traced process ended (--exits): the exit part says how */
#define EV_KINDS		5 /* the kinds this version knows */

/* execveat()'s flag for a check (Linux 6.14); older kernels refuse it with
 * EINVAL. */
#define EXECMON_AT_EXECVE_CHECK	0x10000

/* event.flags: what is known about an exec, of any kind */
#define EV_EXE_TRUNCATED	(1u << 0) /* exe holds the leaf end of a longer path */
#define EV_EXE_DEPTH		(1u << 1) /* path deeper than PATH_DEPTH_MAX: exe_full_len is a lower bound */
#define EV_ARGV_TRUNCATED	(1u << 2) /* argv holds the first ARGV_MAX bytes of argv_full_len */
#define EV_ARGV_FAULT		(1u << 3) /* argv could not be read from the new process */
#define EV_EXE_FAULT		(1u << 4) /* the executed file's path could not be read */
#define EV_SCRIPT		(1u << 5) /* a #! script: exe is its interpreter */
/* (1u << 6) was the self-check marker's flag: now EV_KIND_SELF_CHECK */
#define EV_CWD_TRUNCATED	(1u << 7) /* cwd holds the leaf end of a longer path */
/* Says again what kind EV_KIND_FAILED says, for readers that test it
 * instead of asking record_is_failed(): the BPF program sets it, and the
 * decoder too in its copy of a failed exec's header that lacks it. */
#define EV_FAILED		(1u << 8)
#define EV_EXE_DELETED		(1u << 9) /* the file is deleted, or was never linked (memfd) */
#define EV_CWD_DELETED		(1u << 10) /* the working directory is deleted */
#define EV_NO_RETURN		(1u << 11) /* failed past the point of no return: the process
					    * is killed; exe is the file's resolved path */
#define EV_CTX			(1u << 12) /* the ctx part is there: sizeof(struct exec_ctx) bytes */
#define EV_SECURE		(1u << 13) /* the exec changed privileges (AT_SECURE) */

/* Ancestors of the exec'ing process sent, nearest first. */
#define ANCESTORS_MAX		8
/* loginuid and sessionid when never set (and where the kernel has no audit) */
#define CTX_ID_UNSET		0xffffffffu
/* The kernel's names of a controlling terminal kept: "pts3", "ttyS0". */
#define TTY_NAME_LEN		16

struct exec_ancestor {
	__u32 pid;		/* tgid */
	char comm[COMM_LEN];	/* the group leader's */
};

/*
 * The ctx part: who the exec'ing process is, beyond the header. Captured
 * only when asked for; then sent whole, and EV_CTX says so (the header has
 * no room for a length of its own). Starts at any byte offset: readers copy
 * it out before use.
 */
struct exec_ctx {
	__u64 start_ns;		/* the process's start (its leader's), CLOCK_BOOTTIME */
	__u64 parent_start_ns;	/* that of ancestors[0]; 0 without one */
	__u64 pidfs_ino;	/* the inode of a pidfd of it; 0 without pidfs (before 6.9) */
	__u32 auid;		/* loginuid, CTX_ID_UNSET when unset */
	__u32 sid;		/* audit session id, CTX_ID_UNSET when unset */
	__u32 euid;
	__u32 egid;
	__u32 tty;		/* the controlling terminal, MAJOR << 20 | MINOR; 0 without one */
	__u32 nspid;		/* the pid in its own pid namespace */
	__u32 pidns;		/* the inode of that namespace */
	__u32 nancestors;	/* entries of ancestors used */
	char tty_name[TTY_NAME_LEN];	/* the kernel's name of tty, NUL-terminated */
	struct exec_ancestor ancestors[ANCESTORS_MAX];
};

_Static_assert(sizeof(struct exec_ancestor) == 20, "struct exec_ancestor changed size: bump the ABI");
_Static_assert(sizeof(struct exec_ctx) == 232, "struct exec_ctx changed size: bump the ABI");
_Static_assert(_Alignof(struct exec_ctx) == 8, "struct exec_ctx alignment");
_Static_assert(__builtin_offsetof(struct exec_ctx, ancestors) == 72, "struct exec_ctx layout");
/* What the executed file is, besides EV_EXE_DELETED (which both of these
 * set too): a memfd_create() file, or another file that was never linked
 * anywhere (a root of no mount's that is not a memfd). */
#define EV_EXE_MEMFD		(1u << 16)
#define EV_EXE_ANON		(1u << 17)
#define EV_ENV			(1u << 18) /* the env part is there (--env) */
#define EV_ENV_TRUNCATED	(1u << 19) /* env holds the first ENV_MAX bytes of full_len */
#define EV_ENV_FAULT		(1u << 20) /* the environment could not be read */
/* A failed exec or a check that asked for a file by descriptor (execveat
 * with an empty path and AT_EMPTY_PATH, as fexecve does): the exe part is
 * the descriptor (a __u32) followed by the resolved path of the file it
 * named, or by nothing when it named none. */
#define EV_EXE_FD		(1u << 21)
#define EXE_FD_LEN		4
#define EV_EXIT			(1u << 22) /* the exit part is there: sizeof(struct exit_info) bytes */

/*
 * The exit part: how a process that exec'd while traced ended, read when
 * its last thread exits. An exit record has no other part.
 */
struct exit_info {
	__u64 exec_ns;		/* CLOCK_MONOTONIC at its last traced exec */
	__u64 start_ns;		/* the process's start, CLOCK_BOOTTIME: exec_id's */
	__u64 run_ns;		/* from its start (fork) to its end */
	__u64 utime_ns;		/* the CPU time of all its threads, user, as sampled */
	__u64 stime_ns;		/* and system */
	__u64 runtime_ns;	/* the scheduler's exact sum of the two */
	__u64 maxrss_pages;	/* peak resident set, in pages, as getrusage's */
	__u32 status;		/* as wait(2) gives it: code << 8, or the signal (| 0x80: core) */
	__u32 tid;		/* the thread that ended last */
};
_Static_assert(sizeof(struct exit_info) == 64, "struct exit_info changed size: bump the ABI");
#define EV_EXE_ID		(1u << 23) /* the header's exe_dev ... exe_ctime_nsec are the file's */

/*
 * What follows the header, in this order: X(name, max) for each part, of
 * name_len bytes (a field of the header), at most max. The BPF program,
 * the decoder and whatever builds records take the order and the sizes
 * from here.
 */
#define EVENT_SECTIONS(X)		\
	X(exe, EXE_MAX)			\
	X(argv, ARGV_MAX)		\
	X(script, SCRIPT_MAX)		\
	X(cwd, CWD_MAX)			\
	X(env, ENV_PART_MAX)		\
	X(ctx, sizeof(struct exec_ctx))		\
	X(exit, sizeof(struct exit_info))

/*
 * The header has no room left for the lengths of later parts: such a part
 * is there only when its flag says so. env (EV_ENV) says its own length:
 * a struct env_head and len bytes of the new process's environment,
 * NUL-separated as in /proc/PID/environ. ctx (EV_CTX) is a struct
 * exec_ctx, whole.
 */
struct env_head {
	__u32 len;		/* environment bytes that follow */
	__u32 full_len;		/* env_end - env_start */
};
_Static_assert(sizeof(struct env_head) == 8, "struct env_head changed size: bump the ABI");
#define ENV_PART_MAX		(sizeof(struct env_head) + ENV_MAX)

/* The parts at their largest: EV_START_MAX(name) is the furthest into the
 * data that name can start, EV_DATA_MAX the most data a record has. */
#define EV_SECTION_MEMBER_(name, max) char name[max];
struct event_sections_max {
	EVENT_SECTIONS(EV_SECTION_MEMBER_)
};
#define EV_START_MAX(name)	__builtin_offsetof(struct event_sections_max, name)
#define EV_DATA_MAX		sizeof(struct event_sections_max)
/* True when part b comes right after part a. */
#define EV_SECTION_FOLLOWS(a, b)						\
	(EV_START_MAX(b) == EV_START_MAX(a) + sizeof(((struct event_sections_max *)0)->a))

/*
 * One record. The header is followed by the parts of EVENT_SECTIONS, in
 * that order and nothing more: exe_len bytes of path (no NUL), argv_len
 * bytes of argv (NUL-separated, as in /proc/PID/cmdline), script_len bytes
 * of script name and cwd_len bytes of working directory (no NUL), then
 * the parts that say their own length (see struct env_head).
 */
struct event {
	__u8 version;		/* EXECMON_ABI_VERSION */
	__u8 kind;		/* EV_KIND_* */
	__u16 hdr_len;		/* sizeof(struct event) */
	__u32 flags;		/* EV_* */
	__u64 ts_ns;		/* CLOCK_MONOTONIC at the exec */
	__u32 pid;		/* tgid after the exec */
	__u32 old_pid;		/* thread id that called exec */
	__u32 ppid;		/* tgid of real_parent */
	__u32 uid;
	__u32 gid;
	__u32 exe_len;		/* path bytes that follow */
	__u32 exe_full_len;	/* length of the whole path */
	__u32 argv_len;		/* argv bytes that follow the path */
	__u32 argv_full_len;	/* arg_end - arg_start */
	__u32 script_len;	/* script name bytes that follow argv */
	__u32 cwd_len;		/* working directory bytes that follow the script */
	__s32 ret;		/* 0, or the negative errno of a failed exec */
	__u64 cgroup_id;	/* cgroup v2 id (the inode of its directory) */
	__u32 mntns;		/* mount namespace inode */
	__u32 cwd_full_len;	/* length of the whole working directory */
	char comm[COMM_LEN];
	/* The executed file as its inode was at the exec, with EV_EXE_ID */
	__u64 exe_ino;
	__u64 exe_size;
	__s64 exe_mtime_sec;
	__s64 exe_ctime_sec;
	__u32 exe_mtime_nsec;
	__u32 exe_ctime_nsec;
	__u32 exe_dev;		/* the kernel's dev_t: MAJOR << 20 | MINOR */
	__u32 exe_id_unused;
	char data[];
};

/* The layout both sides must agree on, checked by both compilers: the BPF
 * program writes the parts at data, the decoder reads them at hdr_len. */
_Static_assert(sizeof(struct event) == 144, "struct event changed size: bump the ABI");
_Static_assert(_Alignof(struct event) == 8, "struct event alignment");
_Static_assert(__builtin_offsetof(struct event, data) == sizeof(struct event),
	       "the parts must start at hdr_len");
_Static_assert(__builtin_offsetof(struct event, version) == 0 &&
	       __builtin_offsetof(struct event, kind) == 1 &&
	       __builtin_offsetof(struct event, hdr_len) == 2,
	       "version, kind and hdr_len are read before the rest");
_Static_assert(__builtin_offsetof(struct event, ts_ns) == 8, "ts_ns is read alone, to order records");

/* What the BPF program did, per CPU slot. Aligned to a cache line of its
 * own so that two CPUs never share one; read by userspace through the
 * mmapped .bss, which is page-aligned. */
struct counters {
	__u64 seen;		/* execs the program ran for */
	__u64 filtered;		/* left out by the filters */
	__u64 emitted;		/* sent to the perf buffer */
	__u64 emit_failed;	/* the perf buffer was full or the send failed */
	__u64 bell;		/* set by the reader: ring execmon_bell on the next send */
	/* the part of emit_failed that no lost record will count: this CPU
	 * had no ring, or its ring went with the CPU (hotplug) */
	__u64 unsent;
	__u64 unused[2];
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct counters) == 64 && _Alignof(struct counters) == 64,
	       "one counter slot per cache line");

#endif /* EXECMON_H */
