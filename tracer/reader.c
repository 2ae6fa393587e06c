// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <linux/perf_event.h>
#include <bpf/libbpf.h>
#include "event.h"
#include "reader.h"

struct ring {
	struct perf_event_mmap_page *meta;
	const unsigned char *data;
	__u64 size;		/* bytes of data, a power of two */
	__u64 head, tail;
	__u64 told;		/* the tail the kernel was last told of */
	int cpu;
	bool peeked;		/* ts below holds the next sample's time */
	__u64 ts;
};

struct reader {
	struct perf_buffer *pb;
	struct perf_buffer *bell;	/* woken by every record: see reader_arm() */
	struct counters *slots;		/* the BPF side's flags that ask for the bell */
	int nslots;
	bool armed;
	struct ring *rings;
	int nrings;
	int *active;		/* rings with records, during a drain */
	__u64 holdback_ns;
	struct reader_ops ops;
	unsigned char *wrap;	/* a record that wraps is made whole here */
	size_t wrap_cap;
};

/* Records are delivered by the reader itself; libbpf's callback is unused. */
static enum bpf_perf_event_ret unused_cb(void *ctx, int cpu, struct perf_event_header *e)
{
	return LIBBPF_PERF_EVENT_CONT;
}

/* A bell's record says nothing but that it rang. */
static void bell_cb(void *ctx, int cpu, void *data, __u32 size)
{
}

/* The online CPUs, from the kernel's range list ("0-3,5"). */
static int online_cpus(int **cpus)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	int n = 0, cap = 0, a, b;
	char sep;

	*cpus = NULL;
	if (!f)
		return -errno;
	while (fscanf(f, "%d", &a) == 1) {
		b = a;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-') {
			if (fscanf(f, "%d", &b) != 1)
				break;
			if (fscanf(f, "%c", &sep) != 1)
				sep = '\n';
		}
		for (int c = a; c <= b; c++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				int *p = realloc(*cpus, cap * sizeof(int));
				if (!p) {
					fclose(f);
					return -ENOMEM;
				}
				*cpus = p;
			}
			(*cpus)[n++] = c;
		}
		if (sep != ',')
			break;
	}
	fclose(f);
	return n ? n : -ENOENT;
}

/* One page a CPU, woken by every record it gets, in the reader's epoll set. */
static int open_bell(struct reader *r, int bell_fd)
{
	int epfd = perf_buffer__epoll_fd(r->pb);

	r->bell = perf_buffer__new(bell_fd, 1, bell_cb, NULL, r, NULL);
	if (!r->bell)
		return errno;
	for (size_t i = 0; i < perf_buffer__buffer_cnt(r->bell); i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = READER_BELL_MARK };

		if (epoll_ctl(epfd, EPOLL_CTL_ADD, perf_buffer__buffer_fd(r->bell, i), &ev))
			return errno;
	}
	return 0;
}

struct reader *reader_new(int map_fd, int bell_fd, struct counters *slots, int nslots,
			  size_t pages, __u64 holdback_ns, const struct reader_ops *ops)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		/* Wake the reader only when a ring is a quarter full: a wakeup
		 * per event would cost more in the BPF program than all the
		 * rest. The other three quarters are the room for a reader that
		 * is late. The bell and a timer cover the quiet times. */
		.watermark = 1,
	};
	size_t page = sysconf(_SC_PAGESIZE);
	struct reader *r;
	int *cpus = NULL, n, err;

	n = online_cpus(&cpus);
	if (n < 0) {
		errno = -n;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		goto nomem;
	r->rings = calloc(n, sizeof(*r->rings));
	r->active = calloc(n, sizeof(*r->active));
	if (!r->rings || !r->active)
		goto nomem;
	r->nrings = n;
	r->slots = slots;
	r->nslots = nslots;
	r->holdback_ns = holdback_ns;
	r->ops = *ops;
	attr.wakeup_watermark = pages * page / 4;

	LIBBPF_OPTS(perf_buffer_raw_opts, opts, .cpu_cnt = n, .cpus = cpus, .map_keys = cpus);
	r->pb = perf_buffer__new_raw(map_fd, pages, &attr, unused_cb, r, &opts);
	if (!r->pb) {
		err = errno;
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		struct ring *ring = &r->rings[i];
		void *base;
		size_t size;

		err = -perf_buffer__buffer(r->pb, i, &base, &size);
		if (err)
			goto fail;
		ring->meta = base;
		ring->data = (const unsigned char *)base + page;
		ring->size = size;
		ring->cpu = cpus[i];
		ring->tail = ring->meta->data_tail;
		ring->told = ring->tail;
	}
	err = open_bell(r, bell_fd);
	if (err)
		goto fail;
	free(cpus);
	return r;
nomem:
	err = ENOMEM;
fail:
	free(cpus);
	reader_free(r);
	errno = err;
	return NULL;
}

void reader_free(struct reader *r)
{
	if (!r)
		return;
	if (r->armed)
		reader_disarm(r);
	perf_buffer__free(r->bell);
	perf_buffer__free(r->pb);
	free(r->rings);
	free(r->active);
	free(r->wrap);
	free(r);
}

int reader_epoll_fd(const struct reader *r)
{
	return perf_buffer__epoll_fd(r->pb);
}

/* Copies n bytes at ring position pos, across the end of the ring. */
static void ring_copy(const struct ring *ring, __u64 pos, void *dst, size_t n)
{
	__u64 off = pos & (ring->size - 1);
	size_t first = ring->size - off < n ? ring->size - off : n;

	memcpy(dst, ring->data + off, first);
	memcpy((char *)dst + first, ring->data, n - first);
}

/* Gives the kernel back the room read so far. data_tail shares a cache
 * line with the data_head that the kernel writes at each record, so it is
 * stored once per drain, or per eighth of the ring read, not per record. */
static void ring_release(struct ring *ring)
{
	if (ring->told == ring->tail)
		return;
	ring->told = ring->tail;
	__atomic_store_n(&ring->meta->data_tail, ring->tail, __ATOMIC_RELEASE);
}

static void ring_advance(struct ring *ring, __u64 bytes)
{
	ring->tail += bytes;
	ring->peeked = false;
	if (ring->tail - ring->told >= ring->size / 8)
		ring_release(ring);
}

/* A sample record: perf header, u32 size, then our bytes. */
#define SAMPLE_DATA_OFF (sizeof(struct perf_event_header) + sizeof(__u32))

/*
 * Gets the ring ready for the merge: handles records that are not samples
 * (lost counts) on the spot and reads the next sample's timestamp. Returns
 * false when the ring is empty.
 */
static bool ring_peek(struct reader *r, struct ring *ring)
{
	while (!ring->peeked && ring->tail < ring->head) {
		struct perf_event_header hdr;

		ring_copy(ring, ring->tail, &hdr, sizeof(hdr));
		if (hdr.size < sizeof(hdr) || hdr.size > ring->head - ring->tail) {
			/* cannot happen unless the ring is corrupt: resync */
			ring_advance(ring, ring->head - ring->tail);
			break;
		}
		if (hdr.type == PERF_RECORD_SAMPLE) {
			unsigned char copy[SAMPLE_DATA_OFF + sizeof(struct event)];
			size_t have = hdr.size < sizeof(copy) ? hdr.size : sizeof(copy);
			__u64 off = ring->tail & (ring->size - 1);
			const unsigned char *head = ring->data + off;
			__u32 size = 0;

			/* copied only when it wraps: this runs for every record */
			if (off + have > ring->size) {
				ring_copy(ring, ring->tail, copy, have);
				head = copy;
			}
			if (have >= SAMPLE_DATA_OFF) {
				memcpy(&size, head + sizeof(hdr), sizeof(size));
				if (size > have - SAMPLE_DATA_OFF)
					size = have - SAMPLE_DATA_OFF;
			}
			/* an unreadable time sorts first and is reported by the decoder */
			if (!event_peek_ts(head + SAMPLE_DATA_OFF, size, &ring->ts))
				ring->ts = 0;
			ring->peeked = true;
			return true;
		}
		if (hdr.type == PERF_RECORD_LOST && hdr.size >= sizeof(hdr) + 16) {
			__u64 lost;

			ring_copy(ring, ring->tail + sizeof(hdr) + 8, &lost, sizeof(lost));
			if (r->ops.lost)
				r->ops.lost(r->ops.ctx, ring->cpu, lost);
		}
		ring_advance(ring, hdr.size);
	}
	return ring->peeked;
}

static void ring_deliver(struct reader *r, struct ring *ring)
{
	struct perf_event_header hdr;
	const unsigned char *rec;
	__u64 off = ring->tail & (ring->size - 1);
	__u32 size = 0;

	ring_copy(ring, ring->tail, &hdr, sizeof(hdr));
	if (off + hdr.size <= ring->size) {
		rec = ring->data + off;
	} else {
		if (r->wrap_cap < hdr.size) {
			unsigned char *p = realloc(r->wrap, hdr.size);

			if (!p) {	/* skip it rather than read past the end */
				ring_advance(ring, hdr.size);
				return;
			}
			r->wrap = p;
			r->wrap_cap = hdr.size;
		}
		ring_copy(ring, ring->tail, r->wrap, hdr.size);
		rec = r->wrap;
	}
	if (hdr.size >= SAMPLE_DATA_OFF)
		memcpy(&size, rec + sizeof(hdr), sizeof(size));
	/* the kernel pads samples to 8 bytes; never trust size past the record */
	if (hdr.size < SAMPLE_DATA_OFF || size > hdr.size - SAMPLE_DATA_OFF)
		size = hdr.size < SAMPLE_DATA_OFF ? 0 : hdr.size - SAMPLE_DATA_OFF;
	r->ops.event(r->ops.ctx, ring->cpu, rec + SAMPLE_DATA_OFF, size);
	ring_advance(ring, hdr.size);
}

static __u64 drain(struct reader *r, __u64 now_ns, bool all, volatile bool *stop)
{
	__u64 due;
	int nactive = 0;

	if (all)
		due = (__u64)-1;
	else
		due = now_ns > r->holdback_ns ? now_ns - r->holdback_ns : 0;
	for (int i = 0; i < r->nrings; i++) {
		struct ring *ring = &r->rings[i];

		ring->head = __atomic_load_n(&ring->meta->data_head, __ATOMIC_ACQUIRE);
		if (ring_peek(r, ring))
			r->active[nactive++] = i;
	}
	while (nactive && !*stop) {
		int best = 0;

		for (int i = 1; i < nactive; i++)
			if (r->rings[r->active[i]].ts < r->rings[r->active[best]].ts)
				best = i;

		struct ring *ring = &r->rings[r->active[best]];

		if (ring->ts > due)
			return ring->ts;
		ring_deliver(r, ring);
		if (!ring_peek(r, ring))
			r->active[best] = r->active[--nactive];
	}
	return nactive ? 0 : READER_EMPTY;	/* stopped: due at once */
}

__u64 reader_drain(struct reader *r, __u64 now_ns, bool all, volatile bool *stop)
{
	__u64 next = drain(r, now_ns, all, stop);

	for (int i = 0; i < r->nrings; i++)
		ring_release(&r->rings[i]);
	return next;
}

/*
 * The rings wake the reader only when a quarter full. With nothing left to
 * read, rather than poll on a timer, it asks the BPF program to ring the
 * bell with its next event. The flag is set before the rings are looked at
 * once more, and the BPF side reads it with a full barrier after sending:
 * a record sent meanwhile is either seen here or rings the bell.
 */
bool reader_arm(struct reader *r)
{
	for (int i = 0; i < r->nslots; i++)
		__atomic_store_n(&r->slots[i].bell, 1, __ATOMIC_RELAXED);
	r->armed = true;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (int i = 0; i < r->nrings; i++) {
		struct ring *ring = &r->rings[i];

		if (__atomic_load_n(&ring->meta->data_head, __ATOMIC_ACQUIRE) != ring->tail)
			return false;
	}
	return true;
}

void reader_disarm(struct reader *r)
{
	if (!r->armed)
		return;
	for (int i = 0; i < r->nslots; i++)
		__atomic_store_n(&r->slots[i].bell, 0, __ATOMIC_RELAXED);
	r->armed = false;
	perf_buffer__consume(r->bell);
}
