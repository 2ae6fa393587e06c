// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Decoding records, well-formed and not. */
#include <stdlib.h>
#include "event.h"
#include "unit.h"

static unsigned char rec[sizeof(struct event) + 64 + sizeof(struct exec_ctx)];

/* A record of the given kind with the given path and argv (NUL-separated,
 * argv_n bytes). */
static size_t make_kind(__u8 kind, const char *exe, const char *argv, size_t argv_n)
{
	struct exec_record r = {
		.hdr = { .kind = kind, .pid = 42, .ppid = 1, .ts_ns = 123,
			 .exe_full_len = strlen(exe), .argv_full_len = argv_n },
		.exe = exe, .exe_len = strlen(exe),
		.argv = argv, .argv_len = argv_n,
	};

	return encode_event(rec, sizeof(rec), &r);
}

static size_t make(const char *exe, const char *argv, size_t argv_n)
{
	return make_kind(EV_KIND_EXEC, exe, argv, argv_n);
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
	CHECK_EQ("decode: pid", r.hdr.pid, 42);
	CHECK("decode: an exec", !record_is_failed(&r) && !record_is_self_check(&r));
	/* records sit at 4-byte offsets in the ring */
	unsigned char *odd = malloc(n + 4);
	memcpy(odd + 4, rec, n);
	CHECK("decode: unaligned record", decode_event(odd + 4, n, &r) == DECODE_OK && r.hdr.ts_ns == 123);
	free(odd);

	/* every part, each where the one before it ends */
	struct exec_record all = {
		.exe = "/bin/sh", .exe_len = 7, .argv = "sh\0s\0", .argv_len = 5,
		.script = "./s", .script_len = 3, .cwd = "/tmp", .cwd_len = 4,
	};
	n = encode_event(rec, sizeof(rec), &all);
	CHECK("encode: the header, then each part", n == sizeof(struct event) + 19 &&
	      !memcmp(rec + sizeof(struct event), "/bin/shsh\0s\0./s/tmp", 19));
	CHECK("decode: every part", decode_event(rec, n, &r) == DECODE_OK);
	CHECK("decode: argv", r.argv_len == 5 && !memcmp(r.argv, "sh\0s\0", 5));
	CHECK_STR("decode: script", r.script, r.script_len, "./s");
	CHECK_STR("decode: cwd", r.cwd, r.cwd_len, "/tmp");
	CHECK("decode: the last part cut off", decode_event(rec, n - 1, &r) == DECODE_LENGTHS);
	CHECK("encode: too large for the buffer", encode_event(rec, n - 1, &all) == 0);
	CHECK("decode: no ctx part without EV_CTX", !r.ctx_len && !record_ctx(&r));

	/* the ctx part, last, of its fixed size, said by EV_CTX */
	struct exec_ctx ctx = { .start_ns = 99, .euid = 7, .nancestors = 1,
				.ancestors = { { 1, "init" } } };

	all.ctx = (const char *)&ctx;
	all.ctx_len = sizeof(ctx);
	n = encode_event(rec, sizeof(rec), &all);
	CHECK("encode: the ctx part last, EV_CTX set",
	      n == sizeof(struct event) + 19 + sizeof(ctx) &&
	      !memcmp(rec + sizeof(struct event) + 19, &ctx, sizeof(ctx)) &&
	      (((struct event *)rec)->flags & EV_CTX));
	CHECK("decode: the ctx part", decode_event(rec, n, &r) == DECODE_OK && record_ctx(&r) &&
	      r.context.start_ns == 99 && r.context.euid == 7 &&
	      !strcmp(r.context.ancestors[0].comm, "init"));
	CHECK_STR("decode: cwd before ctx", r.cwd, r.cwd_len, "/tmp");
	CHECK("decode: the ctx part cut short", decode_event(rec, n - 1, &r) == DECODE_LENGTHS);
	/* copied out, whatever its alignment */
	unsigned char *odd_ctx = malloc(n + 1);
	memcpy(odd_ctx + 1, rec, n);
	CHECK("decode: unaligned ctx part", decode_event(odd_ctx + 1, n, &r) == DECODE_OK &&
	      r.context.start_ns == 99);
	free(odd_ctx);
	all.ctx_len = sizeof(ctx) - 1;
	CHECK("encode: a ctx part of another size", encode_event(rec, sizeof(rec), &all) == 0);
	all.ctx = NULL;
	all.ctx_len = 0;
	all.hdr.flags = EV_CTX;
	n = encode_event(rec, sizeof(rec), &all);
	CHECK("encode: EV_CTX follows ctx_len", n && !(((struct event *)rec)->flags & EV_CTX));

	/* the environment says its own length, after cwd */
	struct exec_record envr = {
		.hdr = { .flags = EV_ENV }, .exe = "/x", .exe_len = 2, .cwd = "/tmp", .cwd_len = 4,
		.env = "A=1\0B=\0", .env_len = 7, .env_full_len = 9000,
	};
	n = encode_event(rec, sizeof(rec), &envr);
	CHECK("encode: env after cwd, with its length", n == sizeof(struct event) + 6 + 8 + 7 &&
	      !memcmp(rec + sizeof(struct event), "/x/tmp", 6) &&
	      !memcmp(rec + sizeof(struct event) + 14, "A=1\0B=\0", 7));
	CHECK("decode: env", decode_event(rec, n, &r) == DECODE_OK && r.env_len == 7 &&
	      !memcmp(r.env, "A=1\0B=\0", 7) && r.env_full_len == 9000 && env_cut_bytes(&r) == 8993);
	CHECK("decode: env cut off", decode_event(rec, n - 1, &r) == DECODE_LENGTHS);
	CHECK("decode: env's length cut off",
	      decode_event(rec, sizeof(struct event) + 6 + 4, &r) == DECODE_LENGTHS);
	set_u32(sizeof(struct event) + 6, ENV_MAX + 1);
	CHECK("decode: env longer than ENV_MAX", decode_event(rec, n, &r) == DECODE_LENGTHS);
	set_u32(sizeof(struct event) + 6, 0xfffffff9);
	CHECK("decode: env length that overflows a sum", decode_event(rec, n, &r) == DECODE_LENGTHS);
	envr.hdr.flags = 0;
	n = encode_event(rec, sizeof(rec), &envr);
	CHECK_EQ("encode: no env part without EV_ENV", n, sizeof(struct event) + 6);
	CHECK("decode: no env without EV_ENV", decode_event(rec, n, &r) == DECODE_OK && !r.env_len);

	argv_iter_init(&it, "ls\0\0-l\0", 7);
	CHECK("argv: first", argv_next(&it, &arg, &len) && len == 2 && !memcmp(arg, "ls", 2));
	CHECK("argv: empty argument kept", argv_next(&it, &arg, &len) && len == 0);
	CHECK("argv: third", argv_next(&it, &arg, &len) && len == 2);
	CHECK("argv: end", !argv_next(&it, &arg, &len));
	argv_iter_init(&it, "ls\0-la", 6);
	argv_next(&it, &arg, &len);
	CHECK("argv: cut last argument kept", argv_next(&it, &arg, &len) && len == 3);
	CHECK("argv: cut end", !argv_next(&it, &arg, &len));

	n = make("/bin/ls", "ls\0-l\0", 6);
	CHECK("decode: empty record", decode_event(rec, 0, &r) == DECODE_SHORT);
	CHECK("decode: shorter than header", decode_event(rec, sizeof(struct event) - 1, &r) == DECODE_SHORT);
	CHECK("decode: data cut off", decode_event(rec, n - 1, &r) == DECODE_LENGTHS);

	n = make("/bin/ls", "ls\0", 3);
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
	rec[offsetof(struct event, version)] = 99;
	CHECK("decode: unknown version", decode_event(rec, n, &r) == DECODE_VERSION);
	/* the first ABI's header, whose version was 16 bits */
	n = make("/bin/ls", "ls\0", 3);
	memcpy(rec, &(__u16){ 1 }, 2);
	CHECK("decode: version 1", decode_event(rec, n, &r) == DECODE_VERSION);
	n = make("/bin/ls", "ls\0", 3);
	memcpy(rec + offsetof(struct event, hdr_len), &(__u16){ 2 }, 2);
	CHECK("decode: header length too small", decode_event(rec, n, &r) == DECODE_SHORT);

	n = make_kind(EV_KIND_FAILED, "./nope", "x\0", 2);
	CHECK("decode: a failed exec", decode_event(rec, n, &r) == DECODE_OK &&
	      record_is_failed(&r) && !record_is_self_check(&r));
	CHECK("decode: a failed exec has EV_FAILED", r.hdr.flags & EV_FAILED);
	n = make_kind(EV_KIND_SELF_CHECK, "/x", "", 0);
	CHECK("decode: the self-check marker", decode_event(rec, n, &r) == DECODE_OK &&
	      record_is_self_check(&r) && !record_is_failed(&r) && !(r.hdr.flags & EV_FAILED));
	n = make_kind(EV_KIND_CHECK, "./x", "x\0", 2);
	CHECK("decode: an exec check", decode_event(rec, n, &r) == DECODE_OK &&
	      record_is_check(&r) && !record_is_failed(&r) && !(r.hdr.flags & EV_FAILED) &&
	      record_exe_asked(&r) && !exe_kind(&r));
	/* a file asked for by descriptor: the descriptor comes first in exe */
	{
		struct exec_record w = {
			.hdr = { .kind = EV_KIND_FAILED, .flags = EV_EXE_FD, .exe_full_len = 4 },
			.exe = "/a/b", .exe_len = 4, .exe_fd = 7,
		};

		n = encode_event(rec, sizeof(rec), &w);
		CHECK("decode: a descriptor and its file", decode_event(rec, n, &r) == DECODE_OK &&
		      r.exe_fd == 7 && r.exe_len == 4 && !memcmp(r.exe, "/a/b", 4) &&
		      !record_exe_asked(&r) && !exe_cut_bytes(&r) && !strcmp(exe_kind(&r), "file"));
		w.exe_len = 0;
		n = encode_event(rec, sizeof(rec), &w);
		CHECK("decode: a descriptor without a file", decode_event(rec, n, &r) == DECODE_OK &&
		      r.exe_fd == 7 && r.exe_len == 0 && !exe_kind(&r));
		set_u32(offsetof(struct event, exe_len), EXE_FD_LEN - 1);
		CHECK("decode: a descriptor cut short", decode_event(rec, n, &r) == DECODE_LENGTHS);
	}
	n = make_kind(EV_KINDS, "/x", "", 0);
	CHECK("decode: unknown kind", decode_event(rec, n, &r) == DECODE_KIND);
	n = make_kind(255, "/x", "", 0);
	CHECK("decode: unknown kind 255", decode_event(rec, n, &r) == DECODE_KIND);
	CHECK("decode: unknown kind has a message",
	      !strcmp(decode_strerror(DECODE_KIND), "unknown kind of record"));

	n = make("/x", "", 0);
	CHECK("peek: timestamp", event_peek_ts(rec, n, &ts) && ts == 123);
	CHECK("peek: too short", !event_peek_ts(rec, 8, &ts));
	UNIT_EXIT();
}
