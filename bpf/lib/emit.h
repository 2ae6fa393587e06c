/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The event slot, where a record is serialized, its header, and sending
 * it: emit() to the per-CPU rings, the bell that wakes the reader, and the
 * counters of what each CPU saw, filtered out and sent; the bench build's
 * stage timing too. Part of execmon.bpf.c, included after its knobs
 * (count() reads slot_per_cpu).
 */
#ifndef EXECMON_LIB_EMIT_H
#define EXECMON_LIB_EMIT_H

#include "clamp.h"

/* What bpf_perf_event_output returns for a full ring (uapi errno-base.h,
 * which the BPF build does not include). */
#define ENOSPC		28

/* --ring=bpf: the records go to one BPF ring buffer that all CPUs share
 * (5.8 and later) instead of the per-CPU perf buffers. Fixed before load,
 * so each program holds only the send it makes (see emit_to()). ring_quarter_shift is
 * log2 of a quarter of that ring, where it wakes the reader as the perf
 * buffers' watermark does. */
const volatile bool ring_bpf = false;
const volatile __u32 ring_quarter_shift = 0;

struct counters counters[COUNTER_SLOTS] = {};
/* The type's alignment puts the slots on cache lines of their own, past
 * the fields that execmon.bpf.c defines before it, in the .bss that
 * userspace maps. */
_Static_assert(__alignof__(counters) == 64, "counter slots share cache lines");

static __always_inline struct counters *cpu_counters(void)
{
	return &counters[bpf_get_smp_processor_id() & (COUNTER_SLOTS - 1)];
}

/*
 * Adds one to a counter of this CPU's slot. sched_process_exec's programs
 * run in process context with preemption off, and none of execmon's runs
 * in interrupt context, so nothing interleaves with them on one CPU: where
 * the slot is this CPU's alone, a plain add is enough (plain). CPUs past
 * COUNTER_SLOTS share slots, where it must be atomic; so must sys_exit's,
 * on the system call tracepoints that may fault, which keep preemption
 * off around BPF programs today but need not always: a single atomic
 * instruction cannot be cut in two by the exec program's plain add.
 */
static __always_inline void count(__u64 *counter, bool plain)
{
	if (plain && slot_per_cpu)
		*counter += 1;
	else
		__sync_fetch_and_add(counter, 1);
}

/*
 * The bench build (make EXECMON_STAGES=1) times on_exec stage by stage:
 * each STAGE(s) adds the time since the last mark to stage s of this
 * CPU's slot, which bench/run reads from .bss. ST_EMPTY times nothing but
 * the mark itself, which is what each stage's figure carries too. In the
 * normal build the marks are nothing at all.
 */
#ifdef EXECMON_STAGES
enum { ST_EMPTY, ST_HEADER, ST_FILTERED, ST_EXE, ST_FILE_ID, ST_ARGV, ST_SCRIPT, ST_CWD, ST_ENV,
       ST_CTX, ST_OUTPUT, ST_COUNT };

/* Per slot: the ns of each stage, then how often it ran; plain types, so
 * that the skeleton needs no declaration of them. A slot fills whole cache
 * lines: one that two CPUs shared would go back and forth between them,
 * and the stage that first wrote to it would carry that cost. */
#define STAGE_SLOT_LEN	((2 * ST_COUNT + 7) / 8 * 8)
__u64 stage_slots[COUNTER_SLOTS][STAGE_SLOT_LEN] __attribute__((aligned(64))) = {};

#define STAGE_START()								\
	__u64 *stage_ = stage_slots[bpf_get_smp_processor_id() & (COUNTER_SLOTS - 1)]; \
	__u64 stage_t_ = bpf_ktime_get_ns()
#define STAGE(s) do {								\
	__u64 now_ = bpf_ktime_get_ns();					\
										\
	stage_[s] += now_ - stage_t_;						\
	stage_[ST_COUNT + s]++;							\
	stage_t_ = now_;							\
} while (0)
#else
#define STAGE_START()
#define STAGE(s)
#endif

/* The per-CPU heap, because the BPF stack is 512 bytes: one slot holds the
 * event as it is serialized, the other (path.h) is scratch room where a
 * path is assembled backwards, leaf to root. Each is only as large as it
 * needs to be, so each has a map of its own. A per-CPU value cannot exceed 32 KiB,
 * which the event with its environment does: its slots are the entries of
 * a plain array instead, one per possible CPU (sized at load). */
#define EVENT_MAX	(sizeof(struct event) + EV_DATA_MAX)

struct event_buf {
	char bytes[EVENT_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct event_buf);
} execmon_heap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} execmon_events SEC(".maps");

/* Wakes the reader: its rings wake it only when a quarter full, and with
 * nothing left to read it sleeps until the next event rings this. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} execmon_bell SEC(".maps");

/* --ring=bpf's ring: not created unless asked for (see configure(),
 * tracer/loader.c), which sizes it. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
} execmon_rb SEC(".maps");

static __always_inline struct event *event_slot(void)
{
	/* programs run with migration disabled: the CPU stays this one */
	__u32 key = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&execmon_heap, &key);
}

/* The header fields that every kind of record has; the cgroup and the
 * mount namespace (mntns, from the caller) only with want_cgroup_mntns:
 * their reads are chains of loads, cold at an exec, that the default
 * table does not show. */
static __always_inline void fill_header(struct event *ev, __u8 kind, __u32 pid, __u32 ppid,
					__u64 uid_gid, __u32 mntns, const char *comm)
{
	ev->version = EXECMON_ABI_VERSION;
	ev->kind = kind;
	ev->hdr_len = sizeof(*ev);
	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = pid;
	ev->ppid = ppid;
	ev->uid = (__u32)uid_gid;
	ev->gid = uid_gid >> 32;
	ev->script_len = 0;
	ev->cwd_len = 0;
	ev->ret = 0;
	ev->cgroup_id = want_cgroup_mntns ? bpf_get_current_cgroup_id() : 0;
	ev->mntns = mntns;
	ev->cwd_full_len = 0;
	__builtin_memcpy(ev->comm, comm, COMM_LEN);
}

/* Sends the event, its header and its data up to end (where the last part
 * ends) and, when the reader sleeps, rings its bell; xchg says whether the
 * kernel has BPF atomic exchange (5.12 and later), rb whether the records
 * go to the BPF ring buffer (--ring=bpf). The exec program comes in a
 * build for each ring, rb a constant in each: reading ring_bpf instead
 * would cost the verifier steps on every path to here, and the default
 * program its count. */
static __always_inline void emit_to(void *ctx, struct counters *cnt, struct event *ev, __u64 end,
				    bool xchg, bool plain, bool rb)
{
	__u64 size = sizeof(*ev) + end;

	clamp(size, EVENT_MAX);
	long err;

	if (rb) {
		/* Woken when the data waiting crosses a quarter of the ring, as
		 * the perf buffers' watermark does, and by the bell below. */
		__u64 avail = bpf_ringbuf_query(&execmon_rb, BPF_RB_AVAIL_DATA);
		__u64 flags = (avail + size) >> ring_quarter_shift != avail >> ring_quarter_shift ?
			      BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;

		/* A full ring says nothing to the reader: the tracer reports
		 * emit_failed itself, as it sees it grow. */
		err = bpf_ringbuf_output(&execmon_rb, ev, size, flags);
	} else {
		err = bpf_perf_event_output(ctx, &execmon_events, BPF_F_CURRENT_CPU, ev, size);
	}
	if (err) {
		count(&cnt->emit_failed, plain);
		/* A full ring counts the record, and says so with a lost record
		 * once it has room: any other failure is said by nothing else. */
		if (err != -ENOSPC && !rb)
			count(&cnt->unsent, plain);
	} else {
		count(&cnt->emitted, plain);
	}
	if (xchg) {
		/* The exchange is a full barrier: either the reader, which sets
		 * the flag and then looks at the rings, sees this record, or this
		 * sees the flag. A plain load first would let both miss. */
		if (!__sync_lock_test_and_set(&cnt->bell, 0))
			return;
	} else {
		/* Without it, both can miss: the reader's timer covers that. */
		volatile __u64 *bell = &cnt->bell;

		if (!*bell)
			return;
		*bell = 0;
	}

	__u64 one = 1;

	/* The ring's bell is a record of 8 bytes, shorter than any event,
	 * which the reader skips: it wakes the reader in commit order, after
	 * the record it rings for. */
	if (rb)
		bpf_ringbuf_output(&execmon_rb, &one, sizeof(one), BPF_RB_FORCE_WAKEUP);
	else
		bpf_perf_event_output(ctx, &execmon_bell, BPF_F_CURRENT_CPU, &one, sizeof(one));
}

/* emit_to() for the programs that come in one build for both rings. */
static __always_inline void emit(void *ctx, struct counters *cnt, struct event *ev, __u64 end,
				 bool xchg, bool plain)
{
	emit_to(ctx, cnt, ev, end, xchg, plain, ring_bpf);
}

#endif
