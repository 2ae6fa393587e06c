// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The record stream: each record the reader hands out, decoded and written
 * to the output (table, JSON, file or journal), the losses said where they
 * are seen, and the output's flushes, errors and reopening. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "clock.h"
#include "event.h"
#include "journal.h"
#include "log.h"
#include "sbuf.h"
#include "sink.h"
#include "stream.h"
#include "summary.h"

/* A journal gone ends tracing, as a file that cannot be written does.
 * Another refusal is of that one entry (what libsystemd makes of it, say):
 * the entry is left out, said, and tracing goes on, so that no exec a user
 * can shape stops it. */
static void journal_sent(struct stream *s, int err, __u32 pid)
{
	if (err >= 0 || s->write_errno)
		return;
	if (journal_gone(-err)) {
		s->write_errno = -err;
		return;
	}
	if (s->unsent++ >= 10)
		return;
	if (pid)
		p_err("can't send the entry of process %u to the journal (%s): %s; it is left out, "
		      "tracing goes on", pid, JOURNAL_SOCKET, strerror(-err));
	else
		p_err("can't send a loss's entry to the journal (%s): %s; it is left out, "
		      "tracing goes on", JOURNAL_SOCKET, strerror(-err));
}

void stream_event(void *ctx, int cpu, const void *data, size_t size)
{
	struct stream *s = ctx;
	struct exec_record rec;
	enum decode_status st = decode_event(data, size, &rec);

	if (st != DECODE_OK) {
		if (s->malformed++ < 10)
			p_err("skipped a malformed record on CPU %d: %s", cpu, decode_strerror(st));
		return;
	}
	if (options.summary || options.timeline)
		summary_add(&rec);
	/* exits that only --summary or --timeline asked for are not shown */
	if (!record_shown(&rec) || (record_is_exit(&rec) && !options.exits))
		return;
	if (!s->header_done) {
		output_header(&s->out);
		s->header_done = true;
	}
	if (options.journal) {
		journal_sent(s, journal_exec(&s->out, &rec), rec.hdr.pid);
	} else {
		output_event(&s->out, &rec);
	}
	s->printed++;
	s->wrote = true;
}

/* With --json, --output or --journal the records may travel far from this
 * stderr: a loss is also a record of the stream, where it was seen. */
static void stream_loss(struct stream *s, __u64 lost, int cpu)
{
	if (options.journal) {
		journal_sent(s, journal_lost(lost, cpu, (__s64)clock_ns(CLOCK_REALTIME)), 0);
		return;
	}
	if (!options.json && !options.output)
		return;
	output_lost(&s->out, lost, cpu, (__s64)clock_ns(CLOCK_REALTIME));
	s->wrote = true;
}

void stream_lost(void *ctx, int cpu, __u64 lost)
{
	struct stream *s = ctx;
	/* drops said already, from the BPF side's count, while the ring had
	 * not reported them: each loss is said once */
	__u64 said = lost < s->told_early ? lost : s->told_early;

	s->told_early -= said;
	lost -= said;
	if (!lost)
		return;
	s->lost += lost;
	p_err("lost %llu events on CPU %d", (unsigned long long)lost, cpu);
	stream_loss(s, lost, cpu);
}

/* How long a full ring's drops may wait for its lost record. */
#define UNTOLD_WAIT_NS	1000000000ULL

/* The kernel's counters with this side's; every loss is reported once, as
 * soon as it is seen. A full perf buffer reports its own drops, as a lost
 * record (on_lost), but only with the next record written to it: the BPF
 * side's count of them comes first, and those are left to the ring for a
 * second. A ring that stays silent longer (its CPU runs no more traced
 * execs) has its drops said from that count, and its lost record, when it
 * comes, is not said again. The BPF ring buffer never reports its drops:
 * they are said from the count at once, as are the sends that no ring will
 * report (no ring on that CPU, see reader_watch). */
void stream_check_losses(struct stream *s, struct counters *counters, struct stats *st,
			  __u64 now, bool final)
{
	__u64 unsent, untold;

	stats_read(st, counters, COUNTER_SLOTS);
	st->lost = s->lost;
	st->malformed = s->malformed;
	st->printed = s->printed;
	unsent = st->unsent - s->reported.unsent;
	if (unsent) {
		p_err("the kernel could not send %llu events: no buffer on that CPU",
		      (unsigned long long)unsent);
		stream_loss(s, unsent, -1);
	}
	/* the sends that failed on a full ring, of which st->lost are said */
	untold = st->emit_failed - st->unsent;
	untold = untold > st->lost ? untold - st->lost : 0;
	/* the wait starts with the first drop not reported, and again with
	 * each loss the rings report */
	if (!untold || !s->untold_since || st->lost != s->reported.lost)
		s->untold_since = untold ? now : 0;
	if (untold && !final && !options.ring_bpf && now - s->untold_since < UNTOLD_WAIT_NS)
		untold = 0;
	if (untold) {
		if (options.ring_bpf)
			p_err("lost %llu events: the BPF ring buffer was full",
			      (unsigned long long)untold);
		else
			p_err("lost %llu events that the full buffers did not report",
			      (unsigned long long)untold);
		stream_loss(s, untold, -1);
		s->lost = st->lost += untold;
		s->told_early += untold;
		s->untold_since = 0;
	}
	s->reported = *st;
}

/* With --output, the message names the file. */
void stream_say_write_error(int err, const char *then)
{
	if (options.output)
		p_err("can't write to '%s': %s%s", options.output, strerror(err), then);
	else if (options.journal)
		p_err("the journal went away (%s: %s)%s", JOURNAL_SOCKET, strerror(err), then);
	else
		p_err("can't write the output: %s%s", strerror(err), then);
}

/* True when the output can still be written. A reader that went away is a
 * normal end; other write errors are kept for the exit status. */
bool stream_flush(struct stream *s)
{
	if (s->write_errno)
		return false;
	if (s->wrote) {
		s->wrote = false;
		if (fflush(s->out.out) == 0)
			return true;
		s->write_errno = errno ? errno : EIO;
		/* no half record left in the file, and nothing more written */
		if (options.output)
			s->out.out = sink_cut(s->out.out);
		return false;
	}
	return true;
}

/* SIGHUP with --output, once what was written is flushed: a rotation has
 * moved the file, and the records from now on go to a new one (its header
 * first, so that each file reads on its own). When it cannot be opened the
 * records stay in the old file, which is said, and the next SIGHUP tries
 * again. */
void stream_reopen(struct stream *s)
{
	const char *why;
	FILE *f;

	f = sink_open(options.output, NULL, &why);
	if (!f) {
		p_err("can't reopen '%s': %s; still writing to the file that was open",
		      options.output, why);
		return;
	}
	if (fclose(s->out.out) && !s->write_errno)
		s->write_errno = errno ? errno : EIO;
	s->out.out = f;
	output_header(&s->out);
	s->wrote = true;
}

void stream_stats(struct stream *s, const struct stats *st)
{
	struct sbuf b = {};
	/* an ECS stream holds ECS documents only: the totals go to stderr */
	bool json = options.json && !options.ecs;

	stats_format(&b, st, json);
	fwrite(b.p, 1, b.len, json ? s->out.out : stderr);
	s->wrote = json;
	sbuf_free(&b);
}
