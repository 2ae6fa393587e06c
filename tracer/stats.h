/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Loss accounting: the BPF program's counters and the reader's. */
#ifndef EXECMON_STATS_H
#define EXECMON_STATS_H

#include <stdbool.h>
#include <linux/types.h>
#include "execmon.h"
#include "sbuf.h"

struct stats {
	__u64 seen;		/* execs the BPF program ran for */
	__u64 filtered;		/* left out by the filters */
	__u64 emitted;		/* sent to the perf buffers */
	__u64 emit_failed;	/* could not be sent */
	__u64 unsent;		/* of those, the ones no lost record counts */
	__u64 lost;		/* dropped by full perf buffers */
	__u64 malformed;	/* records that could not be decoded */
	__u64 printed;
};

/* Sums the kernel's per-CPU counters into st. */
void stats_read(struct stats *st, const struct counters *slots, int nslots);

/* Events the kernel side sent or meant to send that never reached the
 * reader: those sent where no ring was, and those a full ring dropped. A
 * full ring's drop is counted both as a failed send and, later, as a lost
 * record, hence the larger of the two. */
__u64 stats_lost_total(const struct stats *st);

/* Events that never reached the output: those lost, and those that could
 * not be decoded. */
__u64 stats_losses(const struct stats *st);

/* One line: text for people, or a JSON object {"stats":{...}}. */
void stats_format(struct sbuf *b, const struct stats *st, bool json);

#endif
