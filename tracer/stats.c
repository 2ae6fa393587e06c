// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdbool.h>
#include <stddef.h>
#include "log.h"
#include "stats.h"
#include "execmon.skel.h"

/* The slots are read where the skeleton's type of the mapped .bss puts
 * them: on cache lines of their own, as in the BPF program's .bss. */
_Static_assert(offsetof(struct execmon_bpf__bss, counters) % 64 == 0 &&
	       _Alignof(struct counters) == 64, "counter slots share cache lines");

void stats_read(struct stats *st, const struct counters *slots, int nslots)
{
	st->seen = st->filtered = st->emitted = st->emit_failed = st->unsent = 0;
	for (int i = 0; i < nslots; i++) {
		/* the BPF program updates these as we read: one load each */
		st->seen += __atomic_load_n(&slots[i].seen, __ATOMIC_RELAXED);
		st->filtered += __atomic_load_n(&slots[i].filtered, __ATOMIC_RELAXED);
		st->emitted += __atomic_load_n(&slots[i].emitted, __ATOMIC_RELAXED);
		st->emit_failed += __atomic_load_n(&slots[i].emit_failed, __ATOMIC_RELAXED);
		st->unsent += __atomic_load_n(&slots[i].unsent, __ATOMIC_RELAXED);
	}
}

__u64 stats_lost_total(const struct stats *st)
{
	__u64 full = st->emit_failed > st->unsent ? st->emit_failed - st->unsent : 0;

	return st->unsent + (full > st->lost ? full : st->lost);
}

__u64 stats_losses(const struct stats *st)
{
	return stats_lost_total(st) + st->malformed;
}

void stats_format(struct sbuf *b, const struct stats *st, bool json)
{
	const struct { const char *key, *label; __u64 v; } items[] = {
		{ "seen", "execs seen", st->seen },
		{ "filtered", "filtered out", st->filtered },
		{ "emitted", "sent", st->emitted },
		{ "emit_failed", "failed to send", st->emit_failed },
		{ "lost", "lost in the buffers", st->lost },
		{ "malformed", "malformed", st->malformed },
		{ "printed", "printed", st->printed },
	};
	size_t n = sizeof(items) / sizeof(items[0]);

	sbuf_puts(b, json ? "{\"event\":\"stats\",\"stats\":{" : P_PREFIX);
	for (size_t i = 0; i < n; i++) {
		if (json)
			sbuf_printf(b, "%s\"%s\":%llu", i ? "," : "", items[i].key,
				    (unsigned long long)items[i].v);
		else
			sbuf_printf(b, "%s%llu %s", i ? ", " : "", (unsigned long long)items[i].v,
				    items[i].label);
	}
	sbuf_puts(b, json ? "}}\n" : "\n");
}
