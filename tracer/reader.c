// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include "cpus.h"
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
	int fd, bell_fd;
	struct perf_event_mmap_page *bell;
	bool retired;		/* its CPU went: read to its end, then closed */
	bool borrowed;		/* the caller's memory (reader_new_mem): not ours to unmap */
};

/* A record of the BPF ring buffer, seen and not yet handed out. */
struct pending {
	__u64 pos;		/* of its header in the ring */
	__u64 ts;
	__u32 len;		/* of its data */
	bool done;		/* handed out */
};

/*
 * --ring=bpf's one ring that all CPUs share. Records come in the order
 * they were reserved, which across CPUs is not quite the order of their
 * times: the reader notes each committed record (pos, ts) as it passes,
 * hands them out by time once due, and gives the kernel back the room of
 * those before the first one still held. A record is read in place: the
 * kernel maps the data twice in a row, so none wraps.
 */
struct bpf_ring {
	int fd;			/* the map's: the BPF side's, not closed here */
	unsigned long *consumer;	/* the page where the reader says how far it read */
	const unsigned long *producer;	/* then the kernel's page, then the data twice */
	const unsigned char *data;
	__u64 size;
	__u64 scan;		/* records before this are noted or skipped */
	struct pending *p;	/* in ring order */
	int *order;		/* indexes into p, by time */
	int np, cap;
	bool borrowed;		/* the caller's memory (reader_new_bpf_mem): not ours to unmap */
};

struct reader {
	int epfd;
	struct bpf_ring rb;	/* unmapped: the per-CPU perf buffers */
	struct counters *slots;		/* the BPF side's flags that ask for the bell */
	int nslots;
	bool armed;
	struct ring *rings;
	int nrings, cap;
	int *active;		/* rings with records, during a drain */
	__u64 *unsent;		/* each slot's count of sends with no ring, when last seen */
	__u64 next_look;	/* when to read the online CPUs again */
	size_t pages;
	__u64 holdback_ns;
	struct reader_ops ops;
	unsigned char *wrap;	/* a record that wraps is made whole here */
	size_t wrap_cap;
};

static int perf_open(struct perf_event_attr *attr, int cpu)
{
	int fd = syscall(__NR_perf_event_open, attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int reader_open_cpu(int map_fd, int bell_map_fd, size_t pages, int cpu, int fds[2])
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
		.wakeup_watermark = pages * sysconf(_SC_PAGESIZE) / 4,
	};
	/* one page, woken by every record it gets */
	struct perf_event_attr bell = {
		.size = sizeof(bell),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	__u32 key = cpu;
	int err;

	fds[0] = perf_open(&attr, cpu);
	if (fds[0] < 0)
		return fds[0];
	fds[1] = perf_open(&bell, cpu);
	if (fds[1] < 0) {
		close(fds[0]);
		return fds[1];
	}
	if (bpf_map_update_elem(map_fd, &key, &fds[0], BPF_ANY) ||
	    bpf_map_update_elem(bell_map_fd, &key, &fds[1], BPF_ANY)) {
		err = -errno;
		close(fds[0]);
		close(fds[1]);
		return err;
	}
	return 0;
}

static void ring_close(struct reader *r, struct ring *ring)
{
	size_t page = sysconf(_SC_PAGESIZE);

	if (ring->meta && !ring->borrowed)
		munmap(ring->meta, ring->size + page);
	if (ring->bell)
		munmap(ring->bell, 2 * page);
	if (ring->fd >= 0)
		close(ring->fd);
	if (ring->bell_fd >= 0)
		close(ring->bell_fd);
}

/* Opens CPU cpu's ring and bell (through ops.open), maps them and adds them
 * to the epoll set. Returns 0 or -errno. */
static int ring_add(struct reader *r, int cpu)
{
	size_t page = sysconf(_SC_PAGESIZE);
	struct epoll_event ev = { .events = EPOLLIN };
	struct ring ring = { .cpu = cpu, .fd = -1, .bell_fd = -1 };
	int fds[2], err;
	void *p;

	if (r->nrings == r->cap) {
		int cap = r->cap ? r->cap * 2 : 8;
		struct ring *rings = realloc(r->rings, cap * sizeof(*rings));
		int *active;

		if (!rings)
			return -ENOMEM;
		r->rings = rings;
		active = realloc(r->active, cap * sizeof(*active));
		if (!active)
			return -ENOMEM;
		r->active = active;
		r->cap = cap;
	}
	err = r->ops.open(r->ops.ctx, cpu, fds);
	if (err)
		return err;
	ring.fd = fds[0];
	ring.bell_fd = fds[1];
	ring.size = r->pages * page;
	p = mmap(NULL, ring.size + page, PROT_READ | PROT_WRITE, MAP_SHARED, ring.fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	ring.meta = p;
	ring.data = (const unsigned char *)p + page;
	p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, ring.bell_fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	ring.bell = p;
	ring.tail = ring.told = ring.meta->data_tail;
	ev.data.u64 = cpu;
	if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, ring.fd, &ev))
		goto fail;
	ev.data.u64 = READER_BELL_MARK;
	if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, ring.bell_fd, &ev))
		goto fail;
	r->rings[r->nrings++] = ring;
	return 0;
fail:
	err = -errno;
	ring_close(r, &ring);
	return err;
}

struct reader *reader_new(struct counters *slots, int nslots, size_t pages, __u64 holdback_ns,
			  const struct reader_ops *ops)
{
	struct reader *r;
	int *cpus = NULL, n, err;

	n = cpus_online(&cpus);
	if (n < 0) {
		errno = -n;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (r)
		r->epfd = -1;
	if (!r || !(r->unsent = calloc(nslots, sizeof(*r->unsent)))) {
		err = ENOMEM;
		goto fail;
	}
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epfd < 0) {
		err = errno;
		goto fail;
	}
	r->slots = slots;
	r->nslots = nslots;
	r->pages = pages;
	r->holdback_ns = holdback_ns;
	r->ops = *ops;
	for (int i = 0; i < n; i++) {
		err = -ring_add(r, cpus[i]);
		if (err)
			goto fail;
	}
	free(cpus);
	return r;
fail:
	free(cpus);
	reader_free(r);
	errno = err;
	return NULL;
}

struct reader *reader_new_mem(const struct reader_mem_ring *rings, int n, __u64 holdback_ns,
			      const struct reader_ops *ops)
{
	struct reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->epfd = -1;
	r->holdback_ns = holdback_ns;
	r->ops = *ops;
	r->rings = calloc(n, sizeof(*r->rings));
	r->active = calloc(n, sizeof(*r->active));
	if (!r->rings || !r->active) {
		reader_free(r);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		struct ring *ring = &r->rings[i];

		ring->meta = rings[i].meta;
		ring->data = rings[i].data;
		ring->size = rings[i].size;
		ring->cpu = rings[i].cpu;
		ring->fd = ring->bell_fd = -1;
		ring->borrowed = true;
		ring->tail = ring->told = ring->meta->data_tail;
	}
	r->nrings = r->cap = n;
	return r;
}

struct reader *reader_new_bpf(int rb_fd, struct counters *slots, int nslots, __u64 holdback_ns,
			      const struct reader_ops *ops)
{
	size_t page = sysconf(_SC_PAGESIZE);
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	/* edge-triggered: the ring stays readable while records are held
	 * back, and the reader must sleep then, woken by the kernel only */
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	struct reader *r = calloc(1, sizeof(*r));
	void *p;
	int err;

	if (!r)
		return NULL;
	r->epfd = -1;
	r->rb.fd = rb_fd;
	r->slots = slots;
	r->nslots = nslots;
	r->holdback_ns = holdback_ns;
	r->ops = *ops;
	if (bpf_obj_get_info_by_fd(rb_fd, &info, &len))
		goto fail;
	r->rb.size = info.max_entries;
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, rb_fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	r->rb.consumer = p;
	p = mmap(NULL, page + 2 * r->rb.size, PROT_READ, MAP_SHARED, rb_fd, page);
	if (p == MAP_FAILED)
		goto fail;
	r->rb.producer = p;
	r->rb.data = (const unsigned char *)p + page;
	r->rb.scan = __atomic_load_n(r->rb.consumer, __ATOMIC_ACQUIRE);
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epfd < 0 || epoll_ctl(r->epfd, EPOLL_CTL_ADD, rb_fd, &ev))
		goto fail;
	return r;
fail:
	err = errno;
	reader_free(r);
	errno = err;
	return NULL;
}

struct reader *reader_new_bpf_mem(unsigned long *consumer, const unsigned long *producer,
				  const void *data, __u64 size, __u64 holdback_ns,
				  const struct reader_ops *ops)
{
	struct reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->epfd = -1;
	r->rb.consumer = consumer;
	r->rb.producer = producer;
	r->rb.data = data;
	r->rb.size = size;
	r->rb.scan = *consumer;
	r->rb.borrowed = true;
	r->holdback_ns = holdback_ns;
	r->ops = *ops;
	return r;
}

void reader_free(struct reader *r)
{
	size_t page = sysconf(_SC_PAGESIZE);

	if (!r)
		return;
	if (r->armed)
		reader_disarm(r);
	if (r->rb.consumer && !r->rb.borrowed)
		munmap(r->rb.consumer, page);
	if (r->rb.producer && !r->rb.borrowed)
		munmap((void *)r->rb.producer, page + 2 * r->rb.size);
	free(r->rb.p);
	free(r->rb.order);
	for (int i = 0; i < r->nrings; i++)
		ring_close(r, &r->rings[i]);
	if (r->epfd >= 0)
		close(r->epfd);
	free(r->rings);
	free(r->active);
	free(r->unsent);
	free(r->wrap);
	free(r);
}

static bool ring_empty(const struct ring *ring)
{
	return __atomic_load_n(&ring->meta->data_head, __ATOMIC_ACQUIRE) == ring->tail;
}

static struct ring *live_ring(struct reader *r, int cpu)
{
	for (int i = 0; i < r->nrings; i++)
		if (r->rings[i].cpu == cpu && !r->rings[i].retired)
			return &r->rings[i];
	return NULL;
}

/*
 * The kernel takes a CPU's perf events out of use when the CPU goes offline,
 * and does not put them back when it returns; a CPU that was offline at the
 * start has none. Such a CPU needs rings of its own, opened anew. Two things
 * tell: the online CPUs, read once a second (the loop wakes at least that
 * often: a CPU with no ring cannot ring the bell); and the BPF side's count
 * of sends that found no ring, per slot, which the loop reads anyway and
 * which catches a CPU that went and came back between two looks. Nothing of
 * this is done per record.
 */
int reader_watch(struct reader *r, __u64 now_ns, int *bad_cpu)
{
	bool grew = false;
	int *cpus = NULL, n, err = 0;

	if (r->rb.consumer)
		return 0;	/* one ring for all CPUs, whichever are online */

	for (int i = 0; i < r->nslots; i++) {
		__u64 v = __atomic_load_n(&r->slots[i].unsent, __ATOMIC_RELAXED);

		if (v != r->unsent[i]) {
			r->unsent[i] = v;
			grew = true;
			/* the rings of the CPUs of this slot are dead or missing */
			for (int j = 0; j < r->nrings; j++)
				if ((r->rings[j].cpu & (r->nslots - 1)) == i)
					r->rings[j].retired = true;
		}
	}
	if (!grew && now_ns < r->next_look)
		return 0;
	r->next_look = now_ns + READER_LOOK_NS;
	/* a retired ring read to its end is closed; its CPU wrote its last */
	for (int i = 0; i < r->nrings; i++) {
		if (r->rings[i].retired && ring_empty(&r->rings[i])) {
			ring_close(r, &r->rings[i]);
			r->rings[i--] = r->rings[--r->nrings];
		}
	}
	n = cpus_online(&cpus);
	if (n < 0)
		return n;
	for (int i = 0; i < r->nrings; i++) {
		bool online = false;

		for (int j = 0; j < n; j++)
			online |= cpus[j] == r->rings[i].cpu;
		if (!online)
			r->rings[i].retired = true;
	}
	for (int j = 0; j < n && !err; j++) {
		if (live_ring(r, cpus[j]))
			continue;
		err = ring_add(r, cpus[j]);
		if (err)
			*bad_cpu = cpus[j];
	}
	free(cpus);
	return err;
}

int reader_epoll_fd(const struct reader *r)
{
	return r->epfd;
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

static __u64 drain(struct reader *r, __u64 now_ns, bool all, volatile sig_atomic_t *stop)
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

/* The BPF ring buffer's record header (uapi bpf.h: BPF_RINGBUF_*). */
#define RB_HDR_SZ	8
#define RB_BUSY		(1U << 31)
#define RB_DISCARD	(1U << 30)

/* Notes the records committed since the last look, up to the first one
 * still being written. False when out of memory: what is noted stays. */
static bool rb_scan(struct bpf_ring *rb)
{
	__u64 prod = __atomic_load_n(rb->producer, __ATOMIC_ACQUIRE);

	while (rb->scan < prod) {
		const unsigned char *hdr = rb->data + (rb->scan & (rb->size - 1));
		__u32 len = __atomic_load_n((const __u32 *)hdr, __ATOMIC_ACQUIRE);
		__u32 n = len & ~(RB_BUSY | RB_DISCARD);

		if (len & RB_BUSY)
			break;
		/* a bell is 8 bytes, shorter than any event: it only woke us */
		if (!(len & RB_DISCARD) && n > sizeof(__u64)) {
			struct pending *p;

			if (rb->np == rb->cap) {
				int cap = rb->cap ? rb->cap * 2 : 256;
				struct pending *np = realloc(rb->p, cap * sizeof(*np));
				int *order;

				if (!np)
					return false;
				rb->p = np;
				order = realloc(rb->order, cap * sizeof(*order));
				if (!order)
					return false;
				rb->order = order;
				rb->cap = cap;
			}
			p = &rb->p[rb->np++];
			p->pos = rb->scan;
			p->len = n;
			p->done = false;
			/* an unreadable time sorts first and is reported by the decoder */
			if (!event_peek_ts(hdr + RB_HDR_SZ, n, &p->ts))
				p->ts = 0;
		}
		rb->scan += (n + RB_HDR_SZ + 7) & ~7ULL;
	}
	return true;
}

static __u64 drain_bpf(struct reader *r, __u64 due, volatile sig_atomic_t *stop)
{
	struct bpf_ring *rb = &r->rb;
	__u64 next = READER_EMPTY;
	int i, kept = 0;

	rb_scan(rb);
	/* by time, and by ring order for equal times; ring order is nearly
	 * time order already, which insertion sort makes cheap */
	for (i = 0; i < rb->np; i++) {
		int j = i;

		while (j > 0 && rb->p[rb->order[j - 1]].ts > rb->p[i].ts) {
			rb->order[j] = rb->order[j - 1];
			j--;
		}
		rb->order[j] = i;
	}
	for (i = 0; i < rb->np && !*stop; i++) {
		struct pending *p = &rb->p[rb->order[i]];

		if (p->ts > due) {
			next = p->ts;
			break;
		}
		r->ops.event(r->ops.ctx, -1, rb->data + (p->pos & (rb->size - 1)) + RB_HDR_SZ,
			     p->len);
		p->done = true;
	}
	if (i < rb->np && next == READER_EMPTY)
		next = 0;	/* stopped: due at once */
	for (i = 0; i < rb->np; i++)
		if (!rb->p[i].done)
			rb->p[kept++] = rb->p[i];
	rb->np = kept;
	/* the room before the first record held, or all that was scanned */
	__atomic_store_n(rb->consumer, kept ? rb->p[0].pos : rb->scan, __ATOMIC_RELEASE);
	return next;
}

__u64 reader_drain(struct reader *r, __u64 now_ns, bool all, volatile sig_atomic_t *stop)
{
	__u64 next;

	if (r->rb.consumer)
		return drain_bpf(r, all ? (__u64)-1 : now_ns > r->holdback_ns ?
				 now_ns - r->holdback_ns : 0, stop);
	next = drain(r, now_ns, all, stop);

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
	if (r->rb.consumer && __atomic_load_n(r->rb.producer, __ATOMIC_ACQUIRE) != r->rb.scan)
		return false;
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
	/* a bell's records say nothing but that it rang */
	for (int i = 0; i < r->nrings; i++) {
		struct perf_event_mmap_page *bell = r->rings[i].bell;

		__atomic_store_n(&bell->data_tail,
				 __atomic_load_n(&bell->data_head, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
	}
}
