// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The tracer's own work per event, without the kernel: decodes a record
 * like the storm's and formats it, as a table line, as JSON and as ECS, to
 * /dev/null, and prints the time per event of each. What is left of the
 * tracer's CPU per event in a storm is the cost of its wakeups.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ecs.h"
#include "json.h"
#include "output.h"

static double ns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double per_event(bool json, bool ecs, const unsigned char *rec_bytes, size_t n, long count)
{
	char fields[] = "pid,exe,args";
	struct exec_record rec;
	struct output o;
	FILE *null = fopen("/dev/null", "w");
	double t0, t1;

	if (!null) {
		perror("bench/fmt: /dev/null");
		exit(1);
	}
	setvbuf(null, NULL, _IOFBF, 1 << 16);	/* as execmon's stdout */
	output_init(&o, null);
	o.json = json;
	o.ecs = ecs;
	if (ecs)
		ecs_init();
	if (!json && output_add_fields(&o, fields))
		exit(1);
	output_finish_fields(&o);
	t0 = ns_now();
	for (long i = 0; i < count; i++) {
		if (decode_event(rec_bytes, n, &rec) != DECODE_OK)
			exit(1);
		output_event(&o, &rec);
	}
	fflush(null);
	t1 = ns_now();
	output_free(&o);
	fclose(null);
	return (t1 - t0) / count;
}

int main(int argc, char **argv)
{
	static const char exe[] = "/usr/bin/true";
	static const char args[] = "/usr/bin/true\0storm-12345";	/* with its NUL */
	long count = argc > 1 ? atol(argv[1]) : 1000000;
	unsigned char buf[sizeof(struct event) + sizeof(exe) + sizeof(args)];
	struct exec_record r = {
		.hdr = { .ts_ns = 2500000000ULL, .pid = 123456, .ppid = 12345, .comm = "true",
			 .exe_full_len = sizeof(exe) - 1, .argv_full_len = sizeof(args) },
		.exe = exe, .exe_len = sizeof(exe) - 1,
		.argv = args, .argv_len = sizeof(args),
	};
	size_t n = encode_event(buf, sizeof(buf), &r);

	if (count < 1) {
		fprintf(stderr, "usage: fmt [COUNT]\n");
		return 2;
	}
	printf("table_ns=%.0f json_ns=%.0f ecs_ns=%.0f\n", per_event(false, false, buf, n, count),
	       per_event(true, false, buf, n, count), per_event(true, true, buf, n, count));
	return 0;
}
