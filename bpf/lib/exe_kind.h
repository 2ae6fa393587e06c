/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What kind of file a detached executable is: a memfd, or another file
 * that no path reaches. Part of execmon.bpf.c.
 */
#ifndef EXECMON_LIB_EXE_KIND_H
#define EXECMON_LIB_EXE_KIND_H

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

#endif
