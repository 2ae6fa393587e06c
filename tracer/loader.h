/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Loading the BPF programs in a short-lived child. CO-RE needs the kernel's
 * BTF, which libbpf reads whole (over 10 MB at its peak on a current
 * kernel); the child does that, loads, hands the program and map fds over
 * and exits, so that the long-running tracer never holds that memory.
 */
#ifndef EXECMON_LOADER_H
#define EXECMON_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include "event.h"		/* the ABI types, which the skeleton uses */
#include "execmon.skel.h"

#define LOADER_PROGS_MAX 8

struct bpf_side {
	int events_fd;		/* the perf event array */
	int bell_fd;		/* the perf event array that wakes the reader */
	int tracked_fd;		/* follow mode's set of processes */
	int cgroup_fd;		/* --cgroup's cgroup array */
	int bss_fd;
	struct execmon_bpf__bss *bss;	/* mapped: counters, self_check_pid */
	size_t bss_len;
	int prog_fds[LOADER_PROGS_MAX];
	int link_fds[LOADER_PROGS_MAX];
	int nprogs;
	bool bell_exact;	/* the BPF side never misses the reader's bell */
};

/* Opens the skeleton in a child, lets configure() set its read-only data
 * and what to load, loads it and receives the fds. Returns 0, or -1 once
 * the reason has been printed. */
int bpf_side_load(struct bpf_side *b, void (*configure)(struct execmon_bpf *skel));

/* Attaches every loaded program; returns 0 or a negative errno. */
int bpf_side_attach(struct bpf_side *b);
void bpf_side_detach(struct bpf_side *b);
void bpf_side_close(struct bpf_side *b);

#endif
