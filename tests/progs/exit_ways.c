// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * exit_ways HOW [N]: ends in a known way, for the exit records' tests.
 *   code N     exits with status N
 *   wait       sleeps until killed
 *   segv       dereferences NULL (a core, where the limit allows one)
 *   burn MS    spends MS ms of user CPU time, then exits 0
 *   touch MB   writes MB megabytes of fresh memory, then exits 0
 *   threads N  starts N threads; the main one ends first (pthread_exit),
 *              the others a moment later, the last with exit(0) of them all
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *thread_main(void *arg)
{
	usleep(50000 + 10000 * (long)arg);
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 0;

	if (argc < 2) {
		fprintf(stderr, "usage: exit_ways code|wait|segv|burn|touch|threads [N]\n");
		return 64;
	}
	if (!strcmp(argv[1], "code"))
		return (int)n;
	if (!strcmp(argv[1], "wait")) {
		for (;;)
			pause();
	}
	if (!strcmp(argv[1], "segv")) {
		volatile int *p = NULL;

		*p = 1;
		return 0;
	}
	if (!strcmp(argv[1], "burn")) {
		volatile unsigned long x = 0;
		double end = cpu_ms() + n;

		while (cpu_ms() < end)
			for (int i = 0; i < 100000; i++)
				x += i;
		return 0;
	}
	if (!strcmp(argv[1], "touch")) {
		size_t size = (size_t)n << 20;
		char *p = malloc(size);

		if (!p)
			return 1;
		memset(p, 1, size);
		return p[size / 2] == 1 ? 0 : 1;
	}
	if (!strcmp(argv[1], "threads")) {
		for (long i = 0; i < n; i++) {
			pthread_t t;

			if (pthread_create(&t, NULL, thread_main, (void *)i))
				return 1;
		}
		/* the process ends with its last thread, after this one */
		pthread_exit(NULL);
	}
	fprintf(stderr, "exit_ways: unknown way '%s'\n", argv[1]);
	return 64;
}
