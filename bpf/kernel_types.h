/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The kernel's types, as far as execmon reads them: only the members used,
 * at no particular offset. preserve_access_index makes every access a CO-RE
 * relocation that libbpf resolves, at load time, against the running
 * kernel's own BTF; so the build needs no BTF and no kernel headers (a
 * container or a package build daemon has neither), and one binary serves
 * every kernel. A member added here is found by name in the kernel's BTF.
 *
 * Exceptions, read whole rather than member by member, whose layout is
 * fixed: struct qstr (read with its neighbour d_parent as a pair) and the
 * one-member wrappers kuid_t, kgid_t and atomic_t.
 */
#ifndef EXECMON_KERNEL_TYPES_H
#define EXECMON_KERNEL_TYPES_H
/* what bpf_tracing.h looks for to name registers as the kernel does */
#define __VMLINUX_H__

#include <stdbool.h>
#include <linux/types.h>
#include <linux/bpf.h>		/* map types and flags: the UAPI */

typedef int pid_t;

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

typedef struct {
	__u32 val;
} kuid_t;

typedef struct {
	__u32 val;
} kgid_t;

typedef struct {
	int counter;
} atomic_t;

struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t euid;
	kgid_t egid;
};

/* Little-endian layout, as on every architecture execmon builds for. */
struct qstr {
	union {
		struct {
			__u32 hash;
			__u32 len;
		};
		__u64 hash_len;
	};
	const unsigned char *name;
};

struct hlist_bl_node {
	struct hlist_bl_node *next, **pprev;
};

struct super_block {
	unsigned long s_magic;
	__u32 s_dev;			/* dev_t: MAJOR << 20 | MINOR */
};

struct dentry {
	struct hlist_bl_node d_hash;	/* unhashed (pprev NULL): deleted */
	struct dentry *d_parent;
	struct qstr d_name;
	struct super_block *d_sb;
};

struct vfsmount {
	struct dentry *mnt_root;
};

/* fs/mount.h: the mount behind a vfsmount, which it embeds as mnt */
struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

struct timespec64 {
	__s64 tv_sec;
	long tv_nsec;
};

/* The inode's times, as 6.11 on has them: seconds and nanoseconds apart.
 * The flavors below are the older shapes, told apart by
 * bpf_core_field_exists() (lib/file_id.h). */
struct inode {
	struct super_block *i_sb;
	unsigned long i_ino;
	__s64 i_size;
	__s64 i_mtime_sec;
	__s64 i_ctime_sec;
	__u32 i_mtime_nsec;
	__u32 i_ctime_nsec;
};

/* 6.6 (ctime) and 6.7 to 6.10 (mtime too): struct timespec64 __i_ctime,
 * __i_mtime, reached only through accessors */
struct inode___ts_hidden {
	struct timespec64 __i_mtime;
	struct timespec64 __i_ctime;
};

/* up to 6.5 (ctime) and 6.6 (mtime): struct timespec64 i_mtime, i_ctime */
struct inode___ts {
	struct timespec64 i_mtime;
	struct timespec64 i_ctime;
};

struct file {
	struct path f_path;
	struct inode *f_inode;
};

struct fs_struct {
	struct path pwd;
};

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

struct files_struct {
	struct fdtable *fdt;
};

struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
	unsigned long env_start;
	unsigned long env_end;
	struct file *exe_file;
};

struct ns_common {
	unsigned int inum;
};

struct mnt_namespace {
	struct ns_common ns;
};

struct nsproxy {
	struct mnt_namespace *mnt_ns;
};

struct tty_driver {
	int major;
	int minor_start;
};

struct tty_struct {
	struct tty_driver *driver;
	int index;
	char name[64];
};

struct signal_struct {
	atomic_t live;
	unsigned int flags;		/* SIGNAL_GROUP_EXIT */
	int group_exit_code;
	__u64 utime;			/* of its threads that are gone */
	__u64 stime;
	unsigned long maxrss;		/* pages */
	unsigned long long sum_sched_runtime;
	struct tty_struct *tty;		/* the controlling terminal, or NULL */
};

struct pid_namespace {
	struct ns_common ns;
};

struct upid {
	int nr;
	struct pid_namespace *ns;
};

struct pid {
	unsigned int level;		/* of the namespace it was made in */
	__u64 ino;			/* pidfs (6.9 on) */
	struct upid numbers[1];		/* level + 1 of them */
};

struct sched_entity {
	__u64 sum_exec_runtime;
};

struct task_struct {
	struct sched_entity se;
	int pid;
	int tgid;
	int exit_code;
	__u64 utime;
	__u64 stime;
	struct task_struct *real_parent;
	const struct cred *cred;
	char comm[16];
	struct mm_struct *mm;
	struct fs_struct *fs;
	struct files_struct *files;
	struct nsproxy *nsproxy;
	struct signal_struct *signal;
	struct task_struct *group_leader;
	struct pid *thread_pid;
	__u64 start_boottime;		/* 5.5 on */
	kuid_t loginuid;		/* CONFIG_AUDIT */
	unsigned int sessionid;
};

struct linux_binprm {
	struct file *file;
	const char *filename;
	const char *interp;
	unsigned int secureexec:1;	/* a bit whose place moved across versions */
	unsigned int point_of_no_return:1;
	int argc;
};

/* 6.14 on: an execveat with AT_EXECVE_CHECK only checks the file */
struct linux_binprm___check {
	unsigned int is_check:1;
};

/* struct pt_regs, and what else differs by architecture: arch.h */

#pragma clang attribute pop

#endif /* EXECMON_KERNEL_TYPES_H */
