/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The body of the ctx part's two readers, included by identity.h once for
 * each, with CTX_FN the function's name and ctx_read(), ctx_copy() and
 * ctx_secure() the way it reads: no include guard, on purpose. A field
 * read here is read by both.
 *
 * A subprogram, not inlined, so that the code of an exec without it stays
 * as it was (clang allocates the caller's registers around even a branch
 * the verifier drops).
 */
static __noinline __u64 CTX_FN(struct event *ev, __u64 off, struct task_struct *task,
			       struct linux_binprm *bprm, __u32 *flags)
{
	clamp(off, EV_START_MAX(ctx));

	struct exec_ctx *c = (struct exec_ctx *)(ev->data + off);
	const struct cred *cred = ctx_read(task, cred);
	struct signal_struct *signal = ctx_read(task, signal);
	struct tty_struct *tty = ctx_read(signal, tty);
	/* the process's pid, not the thread's: a failed exec may be a thread's */
	struct task_struct *leader = ctx_read(task, group_leader);
	struct pid *pid = ctx_read(leader, thread_pid);
	struct task_struct *t = task;
	struct upid up_nr;
	__u32 n = 0;

	__builtin_memset(c, 0, sizeof(*c));
	c->start_ns = ctx_read(leader, start_boottime);
	if (bpf_core_field_exists(pid->ino))
		c->pidfs_ino = ctx_read(pid, ino);
	c->auid = CTX_ID_UNSET;
	c->sid = CTX_ID_UNSET;
	if (bpf_core_field_exists(task->loginuid)) {
		c->auid = ctx_read(task, loginuid.val);
		c->sid = ctx_read(task, sessionid);
	}
	c->euid = ctx_read(cred, euid.val);
	c->egid = ctx_read(cred, egid.val);
	if (tty) {
		/* tty_devnum() */
		struct tty_driver *driver = ctx_read(tty, driver);
		__u32 major = ctx_read(driver, major);
		__u32 minor = ctx_read(driver, minor_start) + ctx_read(tty, index);

		c->tty = major << 20 | (minor & 0xfffff);
		bpf_core_read_str(c->tty_name, sizeof(c->tty_name), &tty->name);
	}
	/* the pid as its own namespace, the innermost, numbers it: indexed by
	 * a level known only at run time, which a plain load cannot take, so
	 * read with the helper either way, and what it points to with CO-RE */
	__u32 level = ctx_read(pid, level);

	if (!bpf_core_read(&up_nr, sizeof(up_nr), &pid->numbers[level])) {
		c->nspid = up_nr.nr;
		c->pidns = BPF_CORE_READ(up_nr.ns, ns.inum);
	}
	/* up the real parents to init, each process by its group leader */
	for (int i = 0; i < ANCESTORS_MAX; i++) {
		struct task_struct *up = ctx_read(t, real_parent);

		if (!up || up == t)
			break;
		up = ctx_read(up, group_leader);

		__u32 tgid = ctx_read(up, tgid);

		if (!tgid)	/* the idle task, init's and kthreadd's parent */
			break;
		c->ancestors[i].pid = tgid;
		ctx_copy(c->ancestors[i].comm, up, comm);
		if (!i)
			c->parent_start_ns = ctx_read(up, start_boottime);
		n = i + 1;
		if (tgid == 1)
			break;
		t = up;
	}
	c->nancestors = n;
	if (ctx_secure(bprm))
		*flags |= EV_SECURE;
	*flags |= EV_CTX;
	return sizeof(*c);
}
