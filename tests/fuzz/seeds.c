// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Writes the seed corpus, one well-formed record of each sort into the
 * directory given, with the encoder, so that the seeds follow the record's
 * layout when it changes (a seed of another ABI version would only reach
 * the version check). After a change of the ABI:
 *   cc -D_GNU_SOURCE -Ibpf -Itracer tests/fuzz/seeds.c tracer/event.c -o /tmp/seeds &&
 *   /tmp/seeds tests/fuzz/corpus
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"

static const char *dir;

/* Parts are given with their sizes, as sizeof - 1 of a literal. */
#define PART(name, s) .name = s, .name##_len = sizeof(s) - 1

static void seed(const char *name, struct exec_record r, size_t keep)
{
	unsigned char buf[2048];
	char path[4096];
	size_t n;
	FILE *f;

	r.hdr.ts_ns = 123456789;
	r.hdr.pid = r.hdr.old_pid = 42;
	r.hdr.ppid = 1;
	if (!r.hdr.cgroup_id)
		r.hdr.cgroup_id = 1;
	r.hdr.mntns = 4026531832u;
	memcpy(r.hdr.comm, "true", 5);
	if (!r.hdr.exe_full_len)
		r.hdr.exe_full_len = r.exe_len;
	if (!r.hdr.argv_full_len)
		r.hdr.argv_full_len = r.argv_len;
	n = encode_event(buf, sizeof(buf), &r);
	if (!n || decode_event(buf, n, &(struct exec_record){ 0 }) != DECODE_OK) {
		fprintf(stderr, "seeds: %s: not a record\n", name);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, keep && keep < n ? keep : n, f) == 0 || fclose(f)) {
		perror(path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seeds DIR\n");
		return 2;
	}
	dir = argv[1];
	seed("plain", (struct exec_record){ PART(exe, "/usr/bin/true"), PART(argv, "true\0x\0"),
					    PART(cwd, "/tmp") }, 0);
	seed("cut", (struct exec_record){ .hdr = { .flags = EV_ARGV_TRUNCATED, .argv_full_len = 100 },
					  PART(exe, "/usr/bin/true"), PART(argv, "true\0xxxx") }, 0);
	seed("failed", (struct exec_record){ .hdr = { .kind = EV_KIND_FAILED, .ret = -2 },
					     PART(exe, "./nope"), PART(argv, "./nope\0a\0") }, 0);
	seed("quoting", (struct exec_record){ PART(exe, "/usr/bin/true"),
					      PART(argv, "true\0a b\0\0\t\n\x1b\0\xff\xfe\0caf\xc3\xa9\0") }, 0);
	seed("script", (struct exec_record){ .hdr = { .flags = EV_SCRIPT },
					     PART(exe, "/usr/bin/dash"), PART(argv, "/bin/sh\0-e\0./s.sh\0"),
					     PART(script, "./s.sh") }, 0);
	seed("self-check", (struct exec_record){ .hdr = { .kind = EV_KIND_SELF_CHECK },
						 PART(exe, "/usr/sbin/execmon"), PART(argv, "execmon\0") }, 0);
	/* who the process is, as --json and --journal capture it */
	static const struct exec_ctx ctx = {
		.start_ns = 5000000000ULL, .parent_start_ns = 100, .pidfs_ino = 4242,
		.auid = 1000, .sid = 3, .euid = 0, .egid = 0, .tty = 136 << 20 | 3,
		.tty_name = "pts3", .nspid = 1, .pidns = 4026531836u, .nancestors = 2,
		.ancestors = { { 1000, "sudo" }, { 1, "systemd" } },
	};
	seed("ctx", (struct exec_record){ .hdr = { .flags = EV_SECURE },
					  PART(exe, "/usr/bin/passwd"), PART(argv, "passwd\0"),
					  PART(cwd, "/home/u"), .ctx = (const char *)&ctx,
					  .ctx_len = sizeof(ctx) }, 0);
	seed("failed-ctx", (struct exec_record){ .hdr = { .kind = EV_KIND_FAILED, .ret = -13 },
						 PART(exe, "./nope"), PART(argv, "./nope\0"),
						 .ctx = (const char *)&ctx, .ctx_len = sizeof(ctx) }, 0);
	seed("memfd", (struct exec_record){ .hdr = { .flags = EV_EXE_DELETED | EV_EXE_MEMFD | EV_EXE_ID,
						    .exe_dev = 1, .exe_ino = 7, .exe_size = 10 },
					    PART(exe, "/memfd:x"), PART(argv, "x\0") }, 0);
	seed("env", (struct exec_record){ .hdr = { .flags = EV_ENV | EV_ENV_TRUNCATED },
					  PART(exe, "/usr/bin/true"), PART(argv, "true\0"),
					  PART(cwd, "/tmp"), PART(env, "A=1\0E=\0X=\xff\0"),
					  .env_full_len = 20000 }, 0);
	seed("check", (struct exec_record){ .hdr = { .kind = EV_KIND_CHECK, .ret = -13 },
					    PART(exe, "./x"), PART(argv, "./x\0") }, 0);
	/* execveat(fd, "", AT_EMPTY_PATH): the descriptor, and the file it named */
	seed("exe-fd", (struct exec_record){ .hdr = { .flags = EV_EXE_FD }, .exe_fd = 3,
					     PART(exe, "/usr/bin/true"), PART(argv, "true\0") }, 0);
	/* the file that ran, as the kernel saw it at exec */
	seed("exe-id", (struct exec_record){ .hdr = { .flags = EV_EXE_ID, .exe_dev = 8 << 20 | 1,
						    .exe_ino = 1234567, .exe_size = 39256,
						    .exe_mtime_sec = 1700000000, .exe_mtime_nsec = 5,
						    .exe_ctime_sec = 1700000001, .exe_ctime_nsec = 999999999 },
					     PART(exe, "/usr/bin/true"), PART(argv, "true\0") }, 0);
	/* how a traced process ended: killed by SIGSEGV, with a core */
	static const struct exit_info ended = {
		.exec_ns = 100, .start_ns = 5000000000ULL, .run_ns = 2000000, .utime_ns = 1000000,
		.stime_ns = 500000, .runtime_ns = 1500000, .maxrss_pages = 300, .status = 11 | 0x80,
		.tid = 43,
	};
	seed("exit", (struct exec_record){ .hdr = { .kind = EV_KIND_EXIT, .flags = EV_EXIT },
					   .exit = (const char *)&ended, .exit_len = sizeof(ended) }, 0);
	/* and one that exited with a status of its own */
	static const struct exit_info exited = { .start_ns = 5000000000ULL, .status = 3 << 8, .tid = 42 };
	seed("exit-code", (struct exec_record){ .hdr = { .kind = EV_KIND_EXIT, .flags = EV_EXIT },
						.exit = (const char *)&exited, .exit_len = sizeof(exited) }, 0);
	/* in a container: tests/tools/recfmt.c knows this cgroup's id */
	seed("container", (struct exec_record){ .hdr = { .cgroup_id = 0xc0 },
						PART(exe, "/usr/bin/true"), PART(argv, "true\0") }, 0);
	/* a header cut short */
	seed("short", (struct exec_record){ PART(exe, "/usr/bin/true") }, 40);
	return 0;
}
