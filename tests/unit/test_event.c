// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Decoding records, well-formed and not. */
#include <stdlib.h>
#include "event.h"
#include "unit.h"

static unsigned char rec[sizeof(struct event) + 64];

/* A record with the given path and argv (NUL-separated, argv_n bytes). */
static size_t make(const char *exe, const char *argv, size_t argv_n)
{
	struct event e = {
		.version = EXECMON_ABI_VERSION, .hdr_len = sizeof(struct event),
		.pid = 42, .ppid = 1, .ts_ns = 123,
		.exe_len = strlen(exe), .exe_full_len = strlen(exe),
		.argv_len = argv_n, .argv_full_len = argv_n,
	};

	memcpy(rec, &e, sizeof(e));
	memcpy(rec + sizeof(e), exe, e.exe_len);
	memcpy(rec + sizeof(e) + e.exe_len, argv, argv_n);
	return sizeof(e) + e.exe_len + argv_n;
}

static void set_u32(size_t off, __u32 v)
{
	memcpy(rec + off, &v, sizeof(v));
}

int main(void)
{
	struct exec_record r;
	size_t n = make("/bin/ls", "ls\0-l\0", 6);
	struct argv_iter it;
	const char *arg;
	size_t len;
	__u64 ts;

	CHECK("decode: well-formed", decode_event(rec, n, &r) == DECODE_OK);
	CHECK_STR("decode: exe", r.exe, r.exe_len, "/bin/ls");
	CHECK("decode: pid", r.hdr.pid == 42);
	/* records sit at 4-byte offsets in the ring */
	unsigned char *odd = malloc(n + 4);
	memcpy(odd + 4, rec, n);
	CHECK("decode: unaligned record", decode_event(odd + 4, n, &r) == DECODE_OK && r.hdr.ts_ns == 123);
	free(odd);

	argv_iter_init(&it, "ls\0\0-l\0", 7);
	CHECK("argv: first", argv_next(&it, &arg, &len) && len == 2 && !memcmp(arg, "ls", 2));
	CHECK("argv: empty argument kept", argv_next(&it, &arg, &len) && len == 0);
	CHECK("argv: third", argv_next(&it, &arg, &len) && len == 2);
	CHECK("argv: end", !argv_next(&it, &arg, &len));
	argv_iter_init(&it, "ls\0-la", 6);
	argv_next(&it, &arg, &len);
	CHECK("argv: cut last argument kept", argv_next(&it, &arg, &len) && len == 3);
	CHECK("argv: cut end", !argv_next(&it, &arg, &len));

	CHECK("decode: empty record", decode_event(rec, 0, &r) == DECODE_SHORT);
	CHECK("decode: shorter than header", decode_event(rec, sizeof(struct event) - 1, &r) == DECODE_SHORT);
	CHECK("decode: data cut off", decode_event(rec, n - 1, &r) == DECODE_LENGTHS);

	make("/bin/ls", "ls\0", 3);
	set_u32(offsetof(struct event, exe_len), 1000);
	CHECK("decode: exe_len past the end", decode_event(rec, n, &r) == DECODE_LENGTHS);
	make("/bin/ls", "ls\0", 3);
	set_u32(offsetof(struct event, argv_len), 0xffffffff);
	CHECK("decode: argv_len past the end", decode_event(rec, n, &r) == DECODE_LENGTHS);
	make("/bin/ls", "ls\0", 3);
	set_u32(offsetof(struct event, exe_len), 0xfffffffe);
	set_u32(offsetof(struct event, argv_len), 5);
	CHECK("decode: lengths that overflow a sum", decode_event(rec, n, &r) == DECODE_LENGTHS);
	n = make("/bin/ls", "ls\0", 3);
	rec[0] = 99;
	CHECK("decode: unknown version", decode_event(rec, n, &r) == DECODE_VERSION);
	n = make("/bin/ls", "ls\0", 3);
	set_u32(0, EXECMON_ABI_VERSION | (2u << 16));
	CHECK("decode: header length too small", decode_event(rec, n, &r) == DECODE_SHORT);

	n = make("/x", "", 0);
	CHECK("peek: timestamp", event_peek_ts(rec, n, &ts) && ts == 123);
	CHECK("peek: too short", !event_peek_ts(rec, 8, &ts));
	UNIT_EXIT();
}
