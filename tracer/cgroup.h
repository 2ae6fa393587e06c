/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* cgroup v2 paths: from the ids the kernel gives, and for --cgroup. */
#ifndef EXECMON_CGROUP_H
#define EXECMON_CGROUP_H

#include <linux/types.h>

/* The path of a cgroup as /proc/PID/cgroup shows it ("/system.slice/x"),
 * or NULL when no cgroup v2 directory has this id. */
const char *cgroup_path(__u64 id);

/* Opens a cgroup v2 directory, given as a path under the cgroup mount
 * ("/system.slice") or as a directory of it ("/sys/fs/cgroup/system.slice").
 * Returns an fd, or a negative errno (-ENOTDIR when it is not a cgroup). */
int cgroup_open(const char *path);

#endif
