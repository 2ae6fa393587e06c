/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The executed file's identity (device, inode, size, mtime, ctime), read
 * from its inode at the exec: it names the very file that ran even if its
 * path names another a moment later. Part of execmon.bpf.c.
 */
#ifndef EXECMON_LIB_FILE_ID_H
#define EXECMON_LIB_FILE_ID_H

/* 6.13 on keeps a flag in the top bit of i_ctime_nsec (I_CTIME_QUERIED,
 * multigrain timestamps): never part of the time. */
#define CTIME_NSEC_MASK		0x7fffffffu

/*
 * The inode's times moved three times; each member is probed on its own,
 * as the kernel renamed ctime (6.6) a release before mtime (6.7):
 * - up to 6.5: struct timespec64 i_mtime, i_ctime
 * - 6.6 to 6.10: struct timespec64 __i_ctime, and __i_mtime from 6.7
 * - 6.11 on: i_mtime_sec, i_mtime_nsec, i_ctime_sec, i_ctime_nsec
 * Plain loads: inode is typed, reached from the tracepoint's bprm.
 * Inlined: as a subprogram, its code sat in an image of its own, cold at
 * each exec, a cost of its own in the stage timing. The branch the
 * verifier drops costs the program without it 19 instructions of
 * register moves. Returns EV_EXE_ID.
 */
static __always_inline __u32 put_file_id(struct event *ev, struct inode *inode)
{
	struct inode___ts_hidden *hidden = (void *)inode;
	struct inode___ts *ts = (void *)inode;

	ev->exe_dev = inode->i_sb->s_dev;
	ev->exe_ino = inode->i_ino;
	ev->exe_size = inode->i_size;
	if (bpf_core_field_exists(inode->i_mtime_sec)) {
		ev->exe_mtime_sec = inode->i_mtime_sec;
		ev->exe_mtime_nsec = inode->i_mtime_nsec;
	} else if (bpf_core_field_exists(hidden->__i_mtime)) {
		ev->exe_mtime_sec = hidden->__i_mtime.tv_sec;
		ev->exe_mtime_nsec = hidden->__i_mtime.tv_nsec;
	} else {
		ev->exe_mtime_sec = ts->i_mtime.tv_sec;
		ev->exe_mtime_nsec = ts->i_mtime.tv_nsec;
	}
	if (bpf_core_field_exists(inode->i_ctime_sec)) {
		ev->exe_ctime_sec = inode->i_ctime_sec;
		ev->exe_ctime_nsec = inode->i_ctime_nsec & CTIME_NSEC_MASK;
	} else if (bpf_core_field_exists(hidden->__i_ctime)) {
		ev->exe_ctime_sec = hidden->__i_ctime.tv_sec;
		ev->exe_ctime_nsec = hidden->__i_ctime.tv_nsec;
	} else {
		ev->exe_ctime_sec = ts->i_ctime.tv_sec;
		ev->exe_ctime_nsec = ts->i_ctime.tv_nsec;
	}
	return EV_EXE_ID;
}

#endif
