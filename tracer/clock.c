// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include "clock.h"

/* The initial time namespace's inode number, fixed (PROC_TIME_INIT_INO). */
#define TIMENS_INIT_INO		0xEFFFFFFAUL
/* Two clock readings around a third, closer than this, date it well. */
#define READING_SPAN_NS		20000
/* A change of the wall clock's offset smaller than this is a reading's
 * jitter, not a step. */
#define STEP_MIN_NS		100000

static __s64 timens_mono_ns;	/* execmon's CLOCK_MONOTONIC minus the kernel's */

__s64 clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* /proc/self/timens_offsets gives the offsets of the namespace that
 * execmon's children get (Linux 5.6 on); they are execmon's own when both
 * namespaces are the same, as they are but right after unshare(2). */
int clock_setup(void)
{
	struct stat own, children;
	long long sec, nsec;
	char line[128];
	FILE *fp;

	if (stat("/proc/self/ns/time", &own))
		return 0;	/* no time namespaces: before 5.6 */
	if (own.st_ino == TIMENS_INIT_INO)
		return 0;
	if (stat("/proc/self/ns/time_for_children", &children) || children.st_ino != own.st_ino)
		return -ENOTSUP;
	fp = fopen("/proc/self/timens_offsets", "r");
	if (!fp)
		return -errno;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "monotonic %lld %lld", &sec, &nsec) == 2 ||
		    sscanf(line, "1 %lld %lld", &sec, &nsec) == 2)	/* the clock's id, before 5.7 */
			timens_mono_ns = sec * 1000000000LL + nsec;
	fclose(fp);
	return 0;
}

__u64 kernel_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC) - timens_mono_ns;
}

__s64 clock_wall_offset(__s64 prev)
{
	__s64 before, real, after, off, moved;

	/* a preemption between the readings would date the wall clock wrong */
	for (int i = 0; i < 3; i++) {
		before = kernel_now_ns();
		real = clock_ns(CLOCK_REALTIME);
		after = kernel_now_ns();
		if (after - before < READING_SPAN_NS)
			break;
	}
	off = real - (before + (after - before) / 2);
	moved = off - prev;
	return prev && moved < STEP_MIN_NS && moved > -STEP_MIN_NS ? prev : off;
}
