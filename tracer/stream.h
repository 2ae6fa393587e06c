/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The record stream: from the reader's records to the output. */
#ifndef EXECMON_STREAM_H
#define EXECMON_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "output.h"
#include "stats.h"

struct stream {
	struct output out;
	struct stats reported;	/* the losses already reported */
	__u64 lost;		/* records the perf buffers dropped, as said */
	__u64 told_early;	/* of those, said before their ring's lost record */
	__u64 untold_since;	/* when drops no ring had reported were first seen */
	__u64 malformed;
	__u64 printed;
	__u64 unsent;		/* journal entries refused one by one */
	bool header_done;
	bool wrote;
	int write_errno;
	bool write_said;	/* the write error was reported */
};

/* The reader's ops (reader.h), with a struct stream as ctx: one record,
 * in time order; records the kernel dropped on a CPU. */
void stream_event(void *ctx, int cpu, const void *data, size_t size);
void stream_lost(void *ctx, int cpu, __u64 lost);

/* Reads the BPF side's counters into *st and says every loss not said yet,
 * as of now (CLOCK_MONOTONIC ns); `final` at the end, for the drops no ring
 * reported. */
void stream_check_losses(struct stream *s, struct counters *counters, struct stats *st,
			 __u64 now, bool final);

/* True when the output can still be written; keeps the error otherwise. */
bool stream_flush(struct stream *s);
/* Says a write error of the output, followed by `then`. */
void stream_say_write_error(int err, const char *then);
/* After SIGHUP with --output: the records go to the file opened anew. */
void stream_reopen(struct stream *s);
/* --stats: the statistics, to stderr, or to the output with --json. */
void stream_stats(struct stream *s, const struct stats *st);

#endif
