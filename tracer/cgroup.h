/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* cgroup v2 paths: from the ids the kernel gives, and for --cgroup. */
#ifndef EXECMON_CGROUP_H
#define EXECMON_CGROUP_H

#include <linux/types.h>
#include "container.h"

/* The path of a cgroup as /proc/PID/cgroup shows it ("/system.slice/x"),
 * or NULL when no cgroup v2 directory has this id. */
const char *cgroup_path(__u64 id);

/* The container (or pod) a cgroup's path names, or NULL; parsed once per
 * cgroup, when its path is first found. */
const struct container *cgroup_container(__u64 id);

/* The container whose id starts with prefix (lower-case hex), for
 * --container: 0 and its id and outermost cgroup in m when there is one,
 * -ENOENT when none, -EEXIST when two (m's id and other), -ENODEV when no
 * cgroup v2 is mounted. */
struct container_match {
	int n;
	char id[CONTAINER_ID_LEN + 1], other[CONTAINER_ID_LEN + 1];
	char path[4096];
};
int cgroup_find_container(const char *prefix, struct container_match *m);

/* The cgroup v2 mount: /sys/fs/cgroup, or /sys/fs/cgroup/unified beside
 * v1; NULL when there is none. */
const char *cgroup_root(void);

/* Opens a cgroup v2 directory, given as a path under the cgroup mount
 * ("/system.slice") or as a directory of it ("/sys/fs/cgroup/system.slice").
 * Returns an fd, or a negative errno (-ENOTDIR when it is not a cgroup,
 * -ENODEV when no cgroup v2 is mounted). */
int cgroup_open(const char *path);

#endif
