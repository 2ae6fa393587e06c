/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The container of a cgroup, read from its path alone, as the runtimes
 * name their cgroups: no runtime socket, no Kubernetes API. */
#ifndef EXECMON_CONTAINER_H
#define EXECMON_CONTAINER_H

#include <stdbool.h>

#define CONTAINER_ID_LEN	64	/* hex digits */
#define POD_UID_LEN		36	/* 8-4-4-4-12, dashed */
/* docker ps shows this many of an id; --container wants at least this many */
#define CONTAINER_SHORT_LEN	12

struct container {
	char id[CONTAINER_ID_LEN + 1];		/* "" outside a container */
	const char *runtime;			/* "docker", ...; NULL: the path does not say */
	char pod_uid[POD_UID_LEN + 1];		/* "" when the path has none */
};

/* Reads the container from a cgroup path ("/system.slice/docker-ID.scope").
 * The innermost container wins: a container nested in another is the one
 * the process is in. False when the path names neither a container nor a
 * pod. */
bool container_parse(const char *path, struct container *c);

#endif
