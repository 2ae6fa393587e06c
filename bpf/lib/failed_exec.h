/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Failed execs (-x): the call's arguments, from the registers the syscall
 * wrapper takes (its one argument, the call's pt_regs), and what its
 * return reads when the call failed: a descriptor's path for fexecve, argv
 * one argument at a time, and --comm's name of an exec that never got one.
 * fexit reads the registers at the return, a kprobe at the entry. A call
 * that seccomp refuses never enters the function: its arguments are read
 * from the registers after __secure_computing() instead. Where the kernel
 * has neither trampolines nor kprobes, sys_enter and sys_exit do the same
 * at every system call. Part of execmon.bpf.c, included after its knobs
 * (--comm's, the call numbers), emit.h, path.h and exe_kind.h.
 */
#ifndef EXECMON_LIB_FAILED_EXEC_H
#define EXECMON_LIB_FAILED_EXEC_H

#include "clamp.h"

/* An exec in flight, from the call's entry to its return. */
struct exec_call {
	__u64 filename;		/* user pointers */
	__u64 argv;
	__u64 compat;		/* a 32-bit call: argv holds 4-byte pointers */
	__u64 mm;		/* the caller's memory, which a late failure replaces */
	__u32 argc;		/* how many strings of the kernel's copy a late failure
				 * shows: the kernel's own count (fexit, kprobes), or
				 * the caller's (sys_enter; at most FAILED_ARGS_MAX + 1) */
	__u32 at_flags;		/* execveat's flags; 0 for execve */
	__s32 dirfd;		/* execveat's; AT_FDCWD for execve */
	__u32 pad;
	__u64 late_mm;		/* fexit's note: the memory the exec failed in */
};

/* the kernel's values (linux/fcntl.h) */
#define AT_FDCWD		-100
#define AT_EMPTY_PATH		0x1000

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
 * like path_step (path.h). Returns 1 when done. */
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

#endif
