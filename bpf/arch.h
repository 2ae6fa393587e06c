/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What differs between the architectures execmon builds for, x86-64 and
 * arm64, in one place. Both sides include it: the BPF side knows its
 * target by the __TARGET_ARCH_* that bpf_tracing.h reads, and the Makefile
 * gives the tracer the same macro, which its compiler's own must match.
 *
 * - The numbers of execve and execveat: the architecture's own table, and
 *   its 32-bit ABI's, which a 64-bit kernel runs too (x86's ia32; arm64's
 *   AArch32, with CONFIG_COMPAT, which Debian's arm64 kernels have). A
 *   number means another call in the other table: arm64's execve (221)
 *   and execveat (281) are AArch32's fcntl64 and socket.
 * - How a 32-bit call is told apart: on x86 a 64-bit process may make one
 *   (int 0x80), so the task is flagged for the call (TS_COMPAT); on arm64
 *   a task is AArch32 or not, and the pstate saved at its entry says so
 *   (PSR_MODE32_BIT, as the kernel's compat_user_mode()).
 * - Where a 32-bit call's arguments are: ia32's ebx, ecx, edx, esi, edi;
 *   AArch32's r0 to r4, the low halves of x0 to x4, where x0 holds the
 *   return value by sys_exit and the first argument is kept in orig_x0.
 * - Where pt_regs keeps the call's number and its return value.
 * - The names of the functions of execve and execveat, which -x hooks:
 *   the syscall wrappers, which take the call's pt_regs.
 * - THREAD_SIZE, where a task's pt_regs sits on kernels without
 *   bpf_task_pt_regs() (5.10): the top of its kernel stack.
 */
#ifndef EXECMON_ARCH_H
#define EXECMON_ARCH_H

#if defined(__TARGET_ARCH_x86)
#define NR_EXECVE	59	/* asm/unistd_64.h */
#define NR_EXECVEAT	322
#define NR32_EXECVE	11	/* asm/unistd_32.h, whose names clash with the above */
#define NR32_EXECVEAT	358
#define FN_EXECVE		"__x64_sys_execve"
#define FN_EXECVEAT		"__x64_sys_execveat"
#define FN32_EXECVE		"__ia32_compat_sys_execve"
#define FN32_EXECVEAT		"__ia32_compat_sys_execveat"
#elif defined(__TARGET_ARCH_arm64)
#define NR_EXECVE	221	/* asm-generic/unistd.h */
#define NR_EXECVEAT	281
#define NR32_EXECVE	11	/* the kernel's arch/arm64/include/asm/unistd32.h */
#define NR32_EXECVEAT	387
#define FN_EXECVE		"__arm64_sys_execve"
#define FN_EXECVEAT		"__arm64_sys_execveat"
#define FN32_EXECVE		"__arm64_compat_sys_execve"
#define FN32_EXECVEAT		"__arm64_compat_sys_execveat"
#else
#error "execmon builds for ARCH=x86 or ARCH=arm64"
#endif

#ifndef __bpf__
/* make ARCH=arm64 with a CC for x86-64 (or the other way round) would link
 * one architecture's tracer around the other's BPF object. */
#if defined(__TARGET_ARCH_x86) && !defined(__x86_64__) || \
	defined(__TARGET_ARCH_arm64) && !defined(__aarch64__)
#error "CC builds for another architecture than ARCH: leave CC unset, or name the target's compiler (make ARCH=arm64 CC=aarch64-linux-gnu-gcc)"
#endif

#else /* the BPF side */

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

#if defined(__TARGET_ARCH_x86)
struct thread_info {
	__u32 status;
};
#define TS_COMPAT	0x0002	/* arch/x86: a 32-bit system call is under way */

struct task_struct___x86 {
	struct thread_info thread_info;
};

/* The registers of a system call, as bpf_tracing.h reads them. */
struct pt_regs {
	unsigned long bx;
	unsigned long cx;
	unsigned long r10;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long r8;
	unsigned long ax;	/* the return value */
	unsigned long orig_ax;	/* the system call's number */
};
#define THREAD_SIZE	16384	/* x86-64 without KASAN, as Debian builds it */
#else
#define PSR_MODE32_BIT	0x10	/* arch/arm64 uapi ptrace.h */

struct user_pt_regs {		/* what bpf_tracing.h reads x1 to x4 through */
	__u64 regs[31];
};

struct pt_regs {
	__u64 regs[31];
	__u64 pstate;
	__u64 orig_x0;		/* x0 at entry: x0 is the return value by the exit */
	int syscallno;
};
#define THREAD_SIZE	16384	/* arm64 with 4K pages, without KASAN */
#endif

/* the kernel stack, whose top holds the task's user registers */
struct task_struct___stack {
	void *stack;
};

#pragma clang attribute pop

/* The number of the system call under way, and its return value; CO-RE
 * reads, as a kprobe's regs pointer is not one the verifier can follow. */
static __always_inline long syscall_nr(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return BPF_CORE_READ(regs, orig_ax);
#else
	return BPF_CORE_READ(regs, syscallno);
#endif
}

/* the same by a plain load, where regs is a typed argument (tp_btf) */
static __always_inline long syscall_nr_btf(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return regs->orig_ax;
#else
	return regs->syscallno;
#endif
}

static __always_inline long syscall_ret(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return BPF_CORE_READ(regs, ax);
#else
	return BPF_CORE_READ(regs, regs[0]);
#endif
}

/* Whether the system call under way is a 32-bit one (in_compat_syscall()). */
static __always_inline bool in_compat_syscall(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	struct task_struct___x86 *task = (void *)bpf_get_current_task();

	return BPF_CORE_READ(task, thread_info.status) & TS_COMPAT;
#else
	return BPF_CORE_READ(regs, pstate) & PSR_MODE32_BIT;
#endif
}

/* Argument n (0 to 4, a constant) of a 32-bit system call. */
#if defined(__TARGET_ARCH_x86)
#define compat_arg(regs, n)							\
	((__u32)((n) == 0 ? BPF_CORE_READ(regs, bx) : (n) == 1 ? BPF_CORE_READ(regs, cx) :	\
		 (n) == 2 ? BPF_CORE_READ(regs, dx) : (n) == 3 ? BPF_CORE_READ(regs, si) :	\
		 BPF_CORE_READ(regs, di)))
#else
#define compat_arg(regs, n)							\
	((__u32)((n) == 0 ? BPF_CORE_READ(regs, orig_x0) : BPF_CORE_READ(regs, regs[(n)])))
#endif

#endif /* __bpf__ */
#endif /* EXECMON_ARCH_H */
