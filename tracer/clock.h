/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The kernel's clock, which stamps the events (bpf_ktime_get_ns(): the
 * initial time namespace's CLOCK_MONOTONIC), as seen from execmon's own,
 * and the wall clock's offset from it.
 */
#ifndef EXECMON_CLOCK_H
#define EXECMON_CLOCK_H

#include <linux/types.h>
#include <time.h>

/* Reads the offset of execmon's time namespace, if it is in one; before
 * any other call. Returns 0, or a negative errno when the offset cannot be
 * known (then it is taken as 0). */
int clock_setup(void);

/* Now on clock clk, as read by execmon (in its time namespace). */
__s64 clock_ns(clockid_t clk);

/* Now, on the clock the BPF side stamps events with. */
__u64 kernel_now_ns(void);

/* What to add to an event's stamp for the wall clock (CLOCK_REALTIME, in
 * ns). It moves when the wall clock is stepped (settimeofday, NTP at
 * boot): a new value is returned only then, beyond a reading's jitter,
 * so that the times of events do not wobble from one batch to the next. */
__s64 clock_wall_offset(__s64 prev);

#endif
