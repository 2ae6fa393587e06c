/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Loading and attaching the BPF programs in a short-lived child. CO-RE
 * needs the kernel's BTF, which libbpf reads whole (over 10 MB at its peak
 * on a current kernel); the child does that, loads, hands the map fds
 * over, attaches when told and hands the links over, then exits, so that
 * the long-running tracer never holds that memory. The child attaches with
 * libbpf's own attach, so a program of any type needs nothing here.
 */
#ifndef EXECMON_LOADER_H
#define EXECMON_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "event.h"		/* the ABI types, which the skeleton uses */
#include "execmon.skel.h"

struct options;

/* The maps the tracer uses once loaded, by their skeleton names: adding
 * one is a line here, and bpf_side_map_fd(b, MAP_name) gives its fd. */
#define BPF_SIDE_MAPS(X)	\
	X(EVENTS, execmon_events)	/* the perf event array */		\
	X(BELL, execmon_bell)		/* the perf event array that wakes the reader */ \
	X(TRACKED, execmon_tracked)	/* follow mode's set of processes */	\
	X(CGROUP, execmon_cgroup)	/* --cgroup's cgroup array */		\
	X(BSS, bss)			/* mapped: counters, self_check_pid */	\
	X(RB, execmon_rb)		/* --ring=bpf's ring buffer, or -1 */	\
	/* -x's tail calls (a program array is emptied once no fd is left) */	\
	X(EXIT_TAIL, execmon_exit_tail)						\
	X(EXIT_TAIL32, execmon_exit_tail32)

enum bpf_side_map {
#define BPF_SIDE_MAP_ENUM(id, name) MAP_##id,
	BPF_SIDE_MAPS(BPF_SIDE_MAP_ENUM)
#undef BPF_SIDE_MAP_ENUM
	MAP_COUNT
};

/* Room for a link per program of the skeleton, each attached once: the
 * count follows the BPF side's programs, so that none is ever left out.
 * (-x's kprobe and kretprobe take four links each, but then its eight
 * fexit programs, and more, are not loaded.) */
#define LOADER_LINKS_MAX	(sizeof(((struct execmon_bpf *)0)->progs) / sizeof(struct bpf_program *))

struct bpf_side {
	bool opened;		/* bpf_side_load() ran: there is something to close */
	int map_fds[MAP_COUNT];
	struct execmon_bpf__bss *bss;
	size_t bss_len;
	int link_fds[LOADER_LINKS_MAX];
	int nlinks;
	bool bell_exact;	/* the BPF side never misses the reader's bell */
	pid_t loader;		/* the child, until the programs are attached */
	int sock;
	long loader_peak_kb;	/* the child's peak RSS, once it has exited */
};

/* The inode number of execmon's pid namespace, or 0 in the initial one
 * (the host's), where pids are the kernel's global ones. */
unsigned long own_pid_namespace(void);

/* Opens the skeleton in a child, sets its read-only data and what to load
 * from the options, loads it and receives the map fds. Returns 0, or a
 * negative errno once the reason has been printed. */
int bpf_side_load(struct bpf_side *b, const struct options *opts, bool want_cwd, bool want_ctx);

static inline int bpf_side_map_fd(const struct bpf_side *b, enum bpf_side_map m)
{
	return b->map_fds[m];
}

/* Has the child attach every program it loaded; returns 0, or a negative
 * errno once the reason has been printed. Once done, the child is gone. */
int bpf_side_attach(struct bpf_side *b);
/* Detaching is closing the links: nothing runs from then on. */
void bpf_side_detach(struct bpf_side *b);
void bpf_side_close(struct bpf_side *b);

#endif
