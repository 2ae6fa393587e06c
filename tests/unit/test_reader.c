// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The reader's merge of the per-CPU rings in time order, its holdback, and
 * records that wrap around the end of a ring: rings laid out in memory as
 * the kernel lays them out, fed to the reader with no kernel. */
#include <stdlib.h>
#include <linux/perf_event.h>
#include "event.h"
#include "reader.h"
#include "unit.h"

#define RING_SIZE 4096

static volatile sig_atomic_t no_stop;

struct memring {
	struct perf_event_mmap_page meta;
	unsigned char data[RING_SIZE];
};

/* What the reader handed out, in the order it did. */
struct got {
	int n;
	int cpu[64];
	__u64 ts[64];
	__u32 pid[64];
	unsigned char bytes[64][512];
	size_t size[64];
	__u64 lost;
	int lost_cpu;
	int malformed;
};

static void on_event(void *ctx, int cpu, const void *data, size_t size)
{
	struct got *g = ctx;
	struct exec_record rec;

	if (decode_event(data, size, &rec) != DECODE_OK || g->n == 64 ||
	    size > sizeof(g->bytes[0])) {
		g->malformed++;
		return;
	}
	g->cpu[g->n] = cpu;
	g->ts[g->n] = rec.hdr.ts_ns;
	g->pid[g->n] = rec.hdr.pid;
	memcpy(g->bytes[g->n], data, size);
	g->size[g->n++] = size;
}

static void on_lost(void *ctx, int cpu, __u64 lost)
{
	struct got *g = ctx;

	g->lost += lost;
	g->lost_cpu = cpu;
}

/* Writes n bytes at the ring's head, across the end of the ring. */
static void put(struct memring *m, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		m->data[(m->meta.data_head + i) & (RING_SIZE - 1)] = ((const unsigned char *)p)[i];
	m->meta.data_head += n;
}

/* A sample as the kernel writes one: perf header, u32 size, the record,
 * padded to 8 bytes. */
static size_t put_sample(struct memring *m, const void *rec, __u32 n)
{
	struct perf_event_header hdr = {
		.type = PERF_RECORD_SAMPLE,
		.size = (sizeof(hdr) + sizeof(n) + n + 7) & ~7u,
	};
	static const unsigned char pad[8];

	put(m, &hdr, sizeof(hdr));
	put(m, &n, sizeof(n));
	put(m, rec, n);
	put(m, pad, hdr.size - sizeof(hdr) - sizeof(n) - n);
	return hdr.size;
}

/* An exec record of pid at time ts, with an argv long enough to matter. */
static size_t make(unsigned char *buf, size_t cap, __u32 pid, __u64 ts, const char *argv,
		   size_t argv_n)
{
	struct exec_record r = {
		.hdr = { .kind = EV_KIND_EXEC, .pid = pid, .ppid = 1, .ts_ns = ts,
			 .exe_full_len = 7, .argv_full_len = argv_n },
		.exe = "/bin/ls", .exe_len = 7,
		.argv = argv, .argv_len = argv_n,
	};

	return encode_event(buf, cap, &r);
}

static void put_exec(struct memring *m, __u32 pid, __u64 ts)
{
	unsigned char rec[256];

	put_sample(m, rec, make(rec, sizeof(rec), pid, ts, "ls\0-l\0", 6));
}

static void put_lost(struct memring *m, __u64 lost)
{
	struct perf_event_header hdr = { .type = PERF_RECORD_LOST, .size = sizeof(hdr) + 16 };
	__u64 id = 0;

	put(m, &hdr, sizeof(hdr));
	put(m, &id, sizeof(id));
	put(m, &lost, sizeof(lost));
}

/* Rings start where the kernel's counters may be after a long run: far
 * from zero, and not at the start of the data. */
static void start_at(struct memring *m, __u64 pos)
{
	m->meta.data_head = m->meta.data_tail = pos;
}

static struct reader *open_mem(struct memring *m, int n, __u64 holdback, struct got *g)
{
	struct reader_mem_ring rings[8];
	struct reader_ops ops = { .event = on_event, .lost = on_lost, .ctx = g };

	for (int i = 0; i < n; i++)
		rings[i] = (struct reader_mem_ring){ &m[i].meta, m[i].data, RING_SIZE, 10 + i };
	return reader_new_mem(rings, n, holdback, &ops);
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static void test_merge(void)
{
	/* each CPU's own records in order, the CPUs interleaved; pid i+1 is
	 * at ts[i], on the CPU cpu_of[i] */
	static const __u64 ts[] = { 10, 20, 5, 30, 40, 50, 60, 45, 70 };
	static const int cpu_of[] = { 0, 1, 2, 0, 1, 2, 0, 1, 2 };
	enum { N = sizeof(ts) / sizeof(ts[0]) };
	static struct memring m[3];
	__u64 sorted[N], last_ts[3] = {};
	struct got g = {};
	struct reader *r;
	__u64 next;
	int i, in_order = 1, cpus_right = 1, table_ok = 1;

	memset(m, 0, sizeof(m));
	start_at(&m[0], 7 * RING_SIZE + 64);
	start_at(&m[1], 0);
	start_at(&m[2], 3 * RING_SIZE - 8);
	/* a ring holds its CPU's records in time order, as the kernel's do */
	for (i = 0; i < N; i++) {
		table_ok &= ts[i] > last_ts[cpu_of[i]];
		last_ts[cpu_of[i]] = ts[i];
		put_exec(&m[cpu_of[i]], i + 1, ts[i]);
	}
	CHECK("merge: the table's CPUs write in time order", table_ok);
	put_lost(&m[1], 3);
	r = open_mem(m, 3, 10, &g);
	CHECK("merge: a reader of rings in memory", r);
	if (!r)
		return;

	/* the holdback: at time 45, only what is older than 35 is due */
	next = reader_drain(r, 45, false, &no_stop);
	memcpy(sorted, ts, sizeof(sorted));
	qsort(sorted, N, sizeof(sorted[0]), cmp_u64);
	for (i = 0; i < N && sorted[i] <= 35; i++)
		;
	CHECK_EQ("merge: holds back what is not due", g.n, i);
	CHECK_EQ("merge: returns the oldest record left", next, sorted[i]);

	next = reader_drain(r, 0, true, &no_stop);
	CHECK_EQ("merge: all of them in the end", g.n, N);
	CHECK_EQ("merge: nothing malformed", g.malformed, 0);
	CHECK_EQ("merge: nothing left", next, READER_EMPTY);
	for (i = 0; i < g.n; i++) {
		int k = g.pid[i] - 1;

		in_order &= g.ts[i] == sorted[i];
		cpus_right &= k >= 0 && k < N && g.ts[i] == ts[k] && g.cpu[i] == 10 + cpu_of[k];
		if (g.ts[i] != sorted[i])
			printf("  #%d: %llu, expected %llu\n", i, (unsigned long long)g.ts[i],
			       (unsigned long long)sorted[i]);
	}
	CHECK("merge: in time order across the CPUs", in_order);
	CHECK("merge: each record from its own CPU", cpus_right);
	CHECK_EQ("merge: a lost record is counted", g.lost, 3);
	CHECK_EQ("merge: a lost record names its CPU", g.lost_cpu, 11);
	for (i = 0; i < 3; i++)
		CHECK_EQ("merge: the room read is given back", m[i].meta.data_tail,
			 m[i].meta.data_head);
	reader_free(r);
}

/* A record that ends past the end of the ring comes out whole, wherever
 * it is cut: in the perf header, in the time, in the strings. */
static void test_wrap(void)
{
	static struct memring m;
	unsigned char rec[512];
	char argv[200];
	size_t n;
	int whole = 1, fits = 1, tried = 0;

	for (size_t i = 0; i < sizeof(argv); i++)
		argv[i] = i % 16 == 15 ? '\0' : 'a' + i % 26;
	n = make(rec, sizeof(rec), 7, 1000, argv, sizeof(argv));
	for (__u64 at = RING_SIZE - n - 24; at < RING_SIZE; at += 8) {
		struct got g = {};
		struct reader *r;

		memset(&m, 0, sizeof(m));
		start_at(&m, 5 * RING_SIZE + at);
		put_sample(&m, rec, n);
		put_exec(&m, 8, 2000);
		r = open_mem(&m, 1, 10, &g);
		if (!r)
			break;
		reader_drain(r, 0, true, &no_stop);
		tried++;
		if (g.n != 2 || g.malformed || g.size[0] != n || memcmp(g.bytes[0], rec, n) ||
		    g.ts[0] != 1000 || g.pid[1] != 8) {
			printf("  a record at offset %llu: %d records, %d malformed, %zu bytes of %zu\n",
			       (unsigned long long)at, g.n, g.malformed, g.size[0], n);
			whole = 0;
		}
		fits &= m.meta.data_tail == m.meta.data_head;
		reader_free(r);
	}
	CHECK_EQ("wrap: every cut of the record tried", tried, (n + 24 + 7) / 8);
	CHECK("wrap: a record across the end comes out whole", whole);
	CHECK("wrap: the room read is given back", fits);
}

/* --ring=bpf's ring, as the kernel lays it out: positions, then the data
 * twice in a row. Records are 8-byte headers (length, with the busy and
 * discard bits, and a page offset), then the record, padded to 8 bytes. */
struct bpfring {
	unsigned long consumer, producer;
	unsigned char data[2 * RING_SIZE];
};

static __u64 bpf_put(struct bpfring *b, const void *rec, __u32 n, __u32 bits)
{
	__u64 pos = b->producer;
	__u32 hdr[2] = { n | bits, 0 };

	for (size_t i = 0; i < sizeof(hdr) + n; i++) {
		unsigned char c = i < sizeof(hdr) ? ((unsigned char *)hdr)[i] :
			((const unsigned char *)rec)[i - sizeof(hdr)];
		size_t off = (pos + i) & (RING_SIZE - 1);

		b->data[off] = b->data[off + RING_SIZE] = c;
	}
	b->producer += (sizeof(hdr) + n + 7) & ~7u;
	return pos;
}

static __u64 bpf_put_exec(struct bpfring *b, __u32 pid, __u64 ts, __u32 bits)
{
	unsigned char rec[256];

	return bpf_put(b, rec, make(rec, sizeof(rec), pid, ts, "ls\0-l\0", 6), bits);
}

#define RB_BUSY		(1U << 31)
#define RB_DISCARD	(1U << 30)

static void test_bpf_ring(void)
{
	/* committed out of time order, as CPUs do that share one ring; a
	 * bell and a discarded record among them; then a record still being
	 * written, which holds back the later ones */
	static struct bpfring b;
	struct got g = {};
	struct reader_ops ops = { .event = on_event, .lost = on_lost, .ctx = &g };
	struct reader *r;
	__u64 one = 1, busy, next;

	b.consumer = b.producer = 3 * RING_SIZE + 3000;	/* far from zero, wrapping */
	bpf_put_exec(&b, 1, 300, 0);
	bpf_put_exec(&b, 2, 100, 0);
	bpf_put(&b, &one, sizeof(one), 0);
	bpf_put_exec(&b, 9, 150, RB_DISCARD);
	bpf_put_exec(&b, 3, 200, 0);
	busy = bpf_put_exec(&b, 5, 50, RB_BUSY);
	bpf_put_exec(&b, 6, 60, 0);
	bpf_put_exec(&b, 7, 1000, 0);
	r = reader_new_bpf_mem(&b.consumer, &b.producer, b.data, RING_SIZE, 0, &ops);
	CHECK("bpf ring: reader_new_bpf_mem", r != NULL);
	next = reader_drain(r, 500, false, &no_stop);
	/* the committed records come out by time */
	CHECK_EQ("bpf ring: records handed out before the busy one", g.n, 3);
	CHECK_EQ("bpf ring: first by time", g.pid[0], 2);
	CHECK_EQ("bpf ring: second by time", g.pid[1], 3);
	CHECK_EQ("bpf ring: third by time", g.pid[2], 1);
	CHECK_EQ("bpf ring: a bell or a discarded record is skipped, not malformed", g.malformed, 0);
	CHECK_EQ("bpf ring: nothing noted is left past the busy record", next, READER_EMPTY);
	CHECK_EQ("bpf ring: the room up to the busy record is given back", b.consumer, busy);
	/* committed now: it and the next come out in time order; the last is
	 * not due yet and holds its room */
	((__u32 *)(b.data + (busy & (RING_SIZE - 1))))[0] &= ~RB_BUSY;
	((__u32 *)(b.data + (busy & (RING_SIZE - 1)) + RING_SIZE))[0] &= ~RB_BUSY;
	next = reader_drain(r, 500, false, &no_stop);
	CHECK_EQ("bpf ring: then the busy one, once committed, and the next", g.n, 5);
	CHECK_EQ("bpf ring: the busy one first, by time", g.pid[3], 5);
	CHECK_EQ("bpf ring: then the one after it", g.pid[4], 6);
	CHECK_EQ("bpf ring: the record not due is held", next, 1000);
	CHECK("bpf ring: its room is held", b.consumer < b.producer && b.consumer > busy);
	next = reader_drain(r, 0, true, &no_stop);
	CHECK_EQ("bpf ring: all of it at the end", g.n, 6);
	CHECK_EQ("bpf ring: the last", g.pid[5], 7);
	CHECK_EQ("bpf ring: all the room given back", b.consumer, b.producer);
	reader_free(r);
}

int main(void)
{
	test_merge();
	test_wrap();
	test_bpf_ring();
	UNIT_EXIT();
}
