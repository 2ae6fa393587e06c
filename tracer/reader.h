/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reading the per-CPU perf buffers in exec order. The kernel writes each
 * CPU's events in its own ring; the reader merges the rings by timestamp,
 * holding back the newest few milliseconds so that an event still being
 * written on another CPU is not overtaken. Records are handed out in place
 * (copied only when they wrap around the end of a ring).
 */
#ifndef EXECMON_READER_H
#define EXECMON_READER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "execmon.h"

struct perf_event_mmap_page;

struct reader;

struct reader_ops {
	/* One sample, in timestamp order across CPUs. */
	void (*event)(void *ctx, int cpu, const void *data, size_t size);
	/* The kernel dropped `lost` records on `cpu`: its ring was full. */
	void (*lost)(void *ctx, int cpu, __u64 lost);
	/* Opens CPU cpu's ring and bell and stores them in the BPF side's
	 * maps, as reader_open_cpu() does: fds[0] the ring, fds[1] the bell.
	 * Returns 0 or -errno. */
	int (*open)(void *ctx, int cpu, int fds[2]);
	void *ctx;
};

/* reader_drain() found no record left */
#define READER_EMPTY	(~0ULL)
/* the epoll data of the bell's fds */
#define READER_BELL_MARK (~1ULL)
/* how often reader_watch() reads the online CPUs, at most */
#define READER_LOOK_NS	1000000000ULL

/* Opens a ring of `pages` pages (a power of two) on every online CPU, and
 * a bell, which the BPF side rings when the `bell` flag of its counter slot
 * is set. Returns NULL with errno set. */
struct reader *reader_new(struct counters *slots, int nslots, size_t pages, __u64 holdback_ns,
			  const struct reader_ops *ops);

/* A reader of the BPF ring buffer rb_fd (--ring=bpf), which all CPUs
 * share: no per-CPU rings, no ops.open or ops.lost (the kernel reports no
 * loss; the slots' emit_failed counts them). The records are handed out in
 * time order as reader_new()'s are, with cpu -1. NULL with errno set. */
struct reader *reader_new_bpf(int rb_fd, struct counters *slots, int nslots, __u64 holdback_ns,
			      const struct reader_ops *ops);

/* What ops.open does: opens the perf events of CPU cpu, the ring's and the
 * bell's, and stores them in the perf event array maps map_fd and
 * bell_map_fd. Needs the privileges of tracing. */
int reader_open_cpu(int map_fd, int bell_map_fd, size_t pages, int cpu, int fds[2]);

/* Follows the CPUs: opens rings for those that came online or came back,
 * and retires those of CPUs gone. Cheap unless a second has passed or the
 * BPF side found no ring somewhere. Returns 0, or -errno with the CPU whose
 * ring could not be opened in *bad_cpu. */
int reader_watch(struct reader *r, __u64 now_ns, int *bad_cpu);
void reader_free(struct reader *r);

/* A ring in memory, laid out as the kernel lays one out: `meta` (a struct
 * perf_event_mmap_page, whose data_head and data_tail count), then `size`
 * bytes of data (a power of two). */
struct reader_mem_ring {
	struct perf_event_mmap_page *meta;
	const void *data;
	__u64 size;
	int cpu;
};

/* A reader of rings that the caller owns and fills, with no perf events,
 * epoll or bell: reader_drain() merges them as it merges the kernel's, so
 * that the merge and the wrap-around are tested without a kernel. Only
 * reader_drain() and reader_free() apply. */
struct reader *reader_new_mem(const struct reader_mem_ring *rings, int n, __u64 holdback_ns,
			      const struct reader_ops *ops);

/* reader_new_bpf() over a ring the caller owns and fills, laid out as the
 * kernel lays one out: the consumer and producer positions, and the data
 * (`size` bytes, a power of two, followed by the same bytes again). As
 * reader_new_mem(), for reader_drain() and reader_free() only. */
struct reader *reader_new_bpf_mem(unsigned long *consumer, const unsigned long *producer,
				  const void *data, __u64 size, __u64 holdback_ns,
				  const struct reader_ops *ops);

/* The fd to wait on: readable when a ring has passed its watermark, or
 * the bell rang. */
int reader_epoll_fd(const struct reader *r);

/* Delivers, in order, every record older than now_ns - holdback (all of
 * them when `all`), or until *stop becomes true. Returns the time of the
 * oldest record left, or READER_EMPTY. */
__u64 reader_drain(struct reader *r, __u64 now_ns, bool all, volatile sig_atomic_t *stop);

/* Asks for the bell on the next record. Returns false when one came in
 * already: then there is no need to wait for it. */
bool reader_arm(struct reader *r);
/* Takes the request back and empties the bell; call it once awake. */
void reader_disarm(struct reader *r);

#endif
