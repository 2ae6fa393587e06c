// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * syscalls: makes many cheap system calls and no exec, as `dd bs=1` does,
 * and prints what they took. bench/run runs it with and without a tracer:
 * the ratio is the tax a tracer puts on every system call of the machine,
 * which a program that execs nothing pays all the same.
 *
 * The time is the process's CPU time: programs attached to the system call
 * path run in the caller's context and are charged to it, while the time
 * the process waits for a CPU on a busy machine is not. The calls are made
 * in blocks, and the figure is the median block's: a block where another
 * process took the caches or an interrupt landed counts for one block, not
 * for the whole run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CALLS_DEFAULT	2000000L
#define BLOCKS		21	/* odd, for a median */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: syscalls [-n CALLS] [-g]\n"
"Makes CALLS system calls (default %ld): a 1-byte read of /dev/zero and a\n"
"1-byte write to /dev/null in turn, or getppid() with -g, in %d blocks, and\n"
"prints\n"
"  calls=N cpu_ns=C wall_ns=W ns_per_call=P min_ns_per_call=M\n"
"where C is the process's CPU time over the calls, P the CPU time per call\n"
"of the median block and M that of the fastest.\n",
		CALLS_DEFAULT, BLOCKS);
}

static long long ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "syscalls: can't open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long calls = CALLS_DEFAULT, per_block, i;
	int opt, in, out, b, getppid_mode = 0;
	long long c0, w0, c1, w1, t, block_ns[BLOCKS];
	char *end, byte;

	while ((opt = getopt(argc, argv, "n:gh")) != -1) {
		switch (opt) {
		case 'n':
			errno = 0;
			calls = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || calls < 2 * BLOCKS || calls > 1000000000L) {
				fprintf(stderr, "syscalls: -n %s: not a number of calls from %d to 1000000000\n",
					optarg, 2 * BLOCKS);
				return 64;
			}
			break;
		case 'g':
			getppid_mode = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 64;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "syscalls: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 64;
	}
	in = open_or_die("/dev/zero", O_RDONLY);
	out = open_or_die("/dev/null", O_WRONLY);

	/* whole read-and-write pairs in each block */
	per_block = calls / BLOCKS / 2 * 2;
	c0 = ns(CLOCK_PROCESS_CPUTIME_ID);
	w0 = ns(CLOCK_MONOTONIC);
	for (b = 0; b < BLOCKS; b++) {
		t = ns(CLOCK_PROCESS_CPUTIME_ID);
		if (getppid_mode) {
			for (i = 0; i < per_block; i++)
				(void)getppid();
		} else {
			for (i = 0; i < per_block / 2; i++) {
				if (read(in, &byte, 1) != 1 || write(out, &byte, 1) != 1) {
					fprintf(stderr, "syscalls: 1-byte copy failed: %s\n",
						strerror(errno));
					return 1;
				}
			}
		}
		block_ns[b] = ns(CLOCK_PROCESS_CPUTIME_ID) - t;
	}
	c1 = ns(CLOCK_PROCESS_CPUTIME_ID);
	w1 = ns(CLOCK_MONOTONIC);
	calls = per_block * BLOCKS;
	qsort(block_ns, BLOCKS, sizeof(block_ns[0]), cmp_ll);

	printf("calls=%ld cpu_ns=%lld wall_ns=%lld ns_per_call=%.1f min_ns_per_call=%.1f\n",
	       calls, c1 - c0, w1 - w0, (double)block_ns[BLOCKS / 2] / per_block,
	       (double)block_ns[0] / per_block);
	return 0;
}
