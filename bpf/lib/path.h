/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The path walk: d_path() done by hand, for the executable, the working
 * directory and a descriptor's file, in the per-CPU scratch slot that
 * this header owns (a failed exec's argv walk keeps its state there too).
 * Part of execmon.bpf.c, included after emit.h.
 */
#ifndef EXECMON_LIB_PATH_H
#define EXECMON_LIB_PATH_H

#include "clamp.h"

#define PATH_SCRATCH	(EXE_MAX + NAME_MAX_LEN + 1)

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

static __always_inline struct path_buf *path_scratch(void)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&execmon_scratch, &key);
}

/* Whether field second starts where pointer field first ends. */
#define fields_follow(type, first, second)					\
	(bpf_core_field_offset(type, second) == bpf_core_field_offset(type, first) + sizeof(void *))

/*
 * Reads two fields of *ptr into the two members of *dst. Helper calls are
 * most of the cost of the walk, and the pairs read here (d_parent and
 * d_name, mnt_parent and mnt_mountpoint) sit side by side in every kernel
 * with BTF: one read then serves, two CO-RE reads otherwise. The first
 * member of dst is a pointer. Evaluates to non-zero on a fault.
 */
#define read_pair(dst, ptr, type, first, second) ({				\
	long err_ = 0;								\
										\
	if (fields_follow(type, first, second))					\
		err_ = bpf_probe_read_kernel(dst, sizeof(*(dst)),		\
					     (void *)(ptr) + bpf_core_field_offset(type, first)); \
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

/* How many components put_path_typed() takes at most: enough for most
 * executables and working directories (a JVM's java, a virtual
 * environment's python), few enough that they always fit in the part they
 * are written to; each one more costs the verification of every exec
 * program some 3k steps (6.18). */
#define PATH_TYPED_STEPS	6
_Static_assert(PATH_TYPED_STEPS * (NAME_MAX_LEN + 1) <= CWD_MAX && CWD_MAX <= EXE_MAX,
	       "put_path_typed() can run out of room");

/*
 * The walk's fast way, where its start is typed (the exec tracepoint's
 * arguments) and lies at most PATH_TYPED_STEPS components below the root
 * of the mount namespace's root mount, as most executables and working
 * directories do: the dentries are read with plain loads, and their names
 * copied straight to the event, root first, at ev->data + off (off at
 * most max_off). No scratch slot, no copy from it and no subprogram:
 * cache lines that are cold at an exec and helper calls are most of what
 * the walk costs. Returns the path's length, or 0 where it needs more
 * (another mount, a detached dentry, a longer path): resolve_path() then.
 * full: the record's field for the full length, which is also where the
 * write loop keeps its place (see there).
 */
static __always_inline __u64 put_path_typed(struct event *ev, __u64 off, __u64 max_off,
					    struct vfsmount *vfsmnt, struct dentry *mnt_root,
					    struct dentry *dentry, __u32 *full, __u32 *flags)
{
	/* (zeroed: older verifiers cannot tell which ones the walk set) */
	const unsigned char *names[PATH_TYPED_STEPS] = {};
	__u64 lens[PATH_TYPED_STEPS] = {};
	__u64 total = 0;
	bool done = false;
	int i;

	/* (no early exit: clang unrolls only a loop without one) */
#pragma unroll
	for (i = 0; i < PATH_TYPED_STEPS; i++) {
		if (done || dentry == mnt_root) {
			done = true;
			continue;
		}

		struct dentry *parent = dentry->d_parent;
		__u64 len = dentry->d_name.len;

		if (parent == dentry || len > NAME_MAX_LEN) {
			done = true;
			continue;
		}
		names[i] = dentry->d_name.name;
		lens[i] = len;
		total += len + 1;
		dentry = parent;
	}
	if (dentry != mnt_root || !total)
		return 0;

	/* The mount must be the namespace's root, which is its own parent, or
	 * be mounted on that root's root directory, as a system's / is on
	 * the initramfs's after switch_root: the walk's hop up adds nothing
	 * to the path then. (container_of(), as in resolve_path().) */
	struct mount *mnt = (void *)vfsmnt - bpf_core_field_offset(struct mount, mnt);
	struct {
		struct mount *parent;
		struct dentry *mountpoint;
	} up;
	struct {
		struct mount *parent;
		struct dentry *mountpoint;
		struct dentry *root;
	} top;

	if (read_pair(&up, mnt, struct mount, mnt_parent, mnt_mountpoint))
		return 0;
	if (up.parent != mnt) {
		struct mount *parent = up.parent;
		long err;

		/* the three side by side, as in every kernel with BTF: one read */
		if (fields_follow(struct mount, mnt_parent, mnt_mountpoint) &&
		    fields_follow(struct mount, mnt_mountpoint, mnt.mnt_root))
			err = bpf_probe_read_kernel(&top, sizeof(top), (void *)parent +
						    bpf_core_field_offset(struct mount, mnt_parent));
		else
			err = bpf_core_read(&top.parent, sizeof(top.parent), &parent->mnt_parent) ||
			      bpf_core_read(&top.root, sizeof(top.root), &parent->mnt.mnt_root);
		if (err || top.parent != parent || up.mountpoint != top.root)
			return 0;
	}

	int k;
	long fault = 0;

	/* Where each name goes is read back from the record, where the
	 * verifier knows no bounds: the paths of each length then meet at
	 * each step, rather than each going through all of them. */
	*(volatile __u32 *)full = off;
#pragma unroll
	for (k = PATH_TYPED_STEPS - 1; k >= 0; k--) {
		__u64 len = lens[k];

		/* (no name is empty: 0 is a step the walk did not take) */
		if (!len)
			continue;

		__u64 at = *(volatile __u32 *)full;

		clamp(at, max_off + (PATH_TYPED_STEPS - 1) * (NAME_MAX_LEN + 1));
		clamp(len, NAME_MAX_LEN);
		ev->data[at] = '/';
		fault |= bpf_probe_read_kernel(ev->data + at + 1, len, names[k]);
		*(volatile __u32 *)full = at + len + 1;
	}
	if (fault)
		*flags |= EV_EXE_FAULT;
	*full = total;
	return total;
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

/*
 * The path of dentry on vfsmnt at ev->data + off (off at most max_off):
 * in one go where its start is typed and the path short, step by step in
 * the scratch slot otherwise. Returns its length, 0 on a fault; *full
 * (the record's field for the full length, which holds anything
 * meanwhile) gets the full length, *flags the walk's EV_EXE_* flags.
 * buf: the scratch slot, or NULL to look it up only where the walk needs
 * it (its map is one more cold cache line at an exec).
 */
static __always_inline __u64 put_path_at(struct event *ev, struct path_buf *buf, __u64 off,
					 __u64 max_off, struct vfsmount *vfsmnt,
					 struct dentry *mnt_root, struct dentry *dentry,
					 __u32 *full, __u32 *flags, bool typed)
{
	__u64 len = typed ? put_path_typed(ev, off, max_off, vfsmnt, mnt_root, dentry, full,
					   flags) : 0;

	if (len)
		return len;
	if (!buf)
		buf = path_scratch();
	if (!buf) {
		*full = 0;
		return 0;
	}

	__u64 pos = resolve_path(buf, vfsmnt, mnt_root, dentry, full, flags);

	return put_path(ev, buf, pos, off, max_off);
}

/* The working directory pwd, at offset off of the event's data; returns
 * the flags to add. buf and typed: as for put_path_at(). */
static __always_inline __u32 put_cwd(struct event *ev, struct path_buf *buf,
				     struct vfsmount *mnt, struct dentry *mnt_root,
				     struct dentry *dentry, __u64 off, bool typed)
{
	__u32 flags = 0;
	__u64 len = put_path_at(ev, buf, off, EV_START_MAX(cwd), mnt, mnt_root, dentry,
				&ev->cwd_full_len, &flags, typed);

	/* (the header has cwd_len at 0) */
	if (!len) {
		ev->cwd_full_len = 0;
		return 0;
	}
	ev->cwd_len = len;
	return (flags & EV_EXE_TRUNCATED ? EV_CWD_TRUNCATED : 0) |
	       (flags & EV_EXE_DELETED ? EV_CWD_DELETED : 0);
}

#endif
