/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ctx part: who the process is (login uid and session, effective ids,
 * terminal, its pid as its own namespace numbers it, its ancestors). Part
 * of execmon.bpf.c, included after emit.h.
 */
#ifndef EXECMON_LIB_IDENTITY_H
#define EXECMON_LIB_IDENTITY_H

#include "clamp.h"

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

#endif
