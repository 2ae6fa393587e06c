// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include "cgroup.h"
#include "container.h"

/* The cgroup v2 mount: /sys/fs/cgroup, or its unified part on systems
 * that still mount v1 there. */
const char *cgroup_root(void)
{
	static const char *const roots[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	struct statfs fs;

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (!statfs(roots[i], &fs) && fs.f_type == CGROUP2_SUPER_MAGIC)
			return roots[i];
	return NULL;
}

/* id -> path, filled by walking the cgroup tree. Ids only grow, so an id
 * newer than any seen is a new cgroup and triggers a new walk; an older
 * one that is missing was removed, and is looked for at most twice a
 * second. */
struct entry {
	__u64 id;
	char *path;
	struct container *ct;	/* NULL outside a container and a pod */
};

static struct entry *table;
static size_t table_cap, table_used;
static size_t root_len;
static struct timespec last_walk;
static __u64 max_id;		/* the newest cgroup the last walk saw */

/* Moves e into the table, whose room the caller has made. */
static void place(struct entry e)
{
	size_t i;

	for (i = e.id & (table_cap - 1); table[i].path; i = (i + 1) & (table_cap - 1))
		;
	table[i] = e;
	table_used++;
}

static void put(__u64 id, const char *path)
{
	struct container ct;
	size_t i;

	if (table_used * 2 >= table_cap) {
		struct entry *old = table;
		size_t old_cap = table_cap;

		table_cap = table_cap ? table_cap * 2 : 1024;
		table = calloc(table_cap, sizeof(*table));
		if (!table) {
			table = old;
			table_cap = old_cap;
			return;
		}
		table_used = 0;
		for (i = 0; i < old_cap; i++)
			if (old[i].path)
				place(old[i]);
		free(old);
	}
	for (i = id & (table_cap - 1); table[i].path; i = (i + 1) & (table_cap - 1))
		if (table[i].id == id)
			return;
	table[i].path = strdup(path);
	if (!table[i].path)
		return;
	table[i].id = id;
	/* parsed once here, so that an exec's container is a lookup */
	table[i].ct = container_parse(path, &ct) ? malloc(sizeof(ct)) : NULL;
	if (table[i].ct)
		*table[i].ct = ct;
	table_used++;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type == FTW_D) {
		put(st->st_ino, path[root_len] ? path + root_len : "/");
		if (st->st_ino > max_id)
			max_id = st->st_ino;
	}
	return 0;
}

static const struct entry *lookup(__u64 id)
{
	if (!table_cap)
		return NULL;
	for (size_t i = id & (table_cap - 1); table[i].path; i = (i + 1) & (table_cap - 1))
		if (table[i].id == id)
			return &table[i];
	return NULL;
}

static const struct entry *find(__u64 id)
{
	const struct entry *e = lookup(id);
	const char *root;
	struct timespec now;

	if (e)
		return e;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (id <= max_id && (now.tv_sec - last_walk.tv_sec) * 1000000000L +
	    (now.tv_nsec - last_walk.tv_nsec) < 500000000L)
		return NULL;
	last_walk = now;
	root = cgroup_root();
	if (!root)
		return NULL;
	root_len = strlen(root);
	nftw(root, visit, 16, FTW_PHYS | FTW_MOUNT);
	return lookup(id);
}

const char *cgroup_path(__u64 id)
{
	const struct entry *e = find(id);

	return e ? e->path : NULL;
}

const struct container *cgroup_container(__u64 id)
{
	const struct entry *e = find(id);

	return e ? e->ct : NULL;
}

/* --container: the outermost cgroup of each container whose id starts
 * with the prefix. */
static const char *want;
static struct container_match *found;

static int visit_container(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *rel = path[root_len] ? path + root_len : "/";
	struct container ct;

	if (type != FTW_D || !container_parse(rel, &ct) || !ct.id[0] ||
	    strncmp(ct.id, want, strlen(want)))
		return 0;
	if (!found->n) {
		found->n = 1;
		memcpy(found->id, ct.id, sizeof(ct.id));
		snprintf(found->path, sizeof(found->path), "%s", rel);
	} else if (strcmp(found->id, ct.id)) {
		found->n = 2;
		memcpy(found->other, ct.id, sizeof(ct.id));
		return 1;
	}
	/* the same container's inner cgroups (podman's /container) are below
	 * the first, which nftw visits first: it stays */
	return 0;
}

int cgroup_find_container(const char *prefix, struct container_match *m)
{
	const char *root = cgroup_root();

	memset(m, 0, sizeof(*m));
	if (!root)
		return -ENODEV;
	root_len = strlen(root);
	want = prefix;
	found = m;
	nftw(root, visit_container, 16, FTW_PHYS | FTW_MOUNT);
	return m->n == 1 ? 0 : m->n ? -EEXIST : -ENOENT;
}

int cgroup_open(const char *path)
{
	const char *root = cgroup_root();
	char full[4096];
	struct statfs fs;
	int fd;

	if (!root)
		return -ENODEV;
	/* a directory as given, or a path as /proc/PID/cgroup shows it */
	fd = path[0] == '/' ? open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (fd < 0 || strncmp(path, "/sys/", 5)) {
		if (fd >= 0)
			close(fd);
		snprintf(full, sizeof(full), "%s/%s", root, path[0] == '/' ? path + 1 : path);
		fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	if (fstatfs(fd, &fs) || fs.f_type != CGROUP2_SUPER_MAGIC) {
		close(fd);
		return -ENOTDIR;
	}
	return fd;
}
