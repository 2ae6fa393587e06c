// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Text that is not ASCII: table columns padded by the width a terminal
 * shows, and JSON's exact form of a comm the kernel cut inside a
 * character. Like execmon, this never calls setlocale: it runs in the C
 * locale, whatever the environment says. */
#include <stdio.h>
#include <stdlib.h>
#include "json.h"
#include "output.h"
#include "width.h"
#include "unit.h"

/* CJK, an emoji, a precomposed accent and a combining one: 12 bytes, 6
 * columns (2 + 2 + 1 + 1 + 0) */
#define NAME	"\u4e2d\U0001F600\u00e9e\u0301"
#define SHELL	"\u58f3\u00e9"		/* 5 bytes, 3 columns */
#define SP(n)	(n), ""			/* n spaces, for "%*s" */

static unsigned char buf[sizeof(struct event) + 512 + sizeof(struct exec_ctx)];
static struct exec_record rec;

/* An exec of exe with argv (argv_n bytes), named comm; with a working
 * directory and a ctx part when given. */
static void make(const char *comm, const char *exe, const char *argv, size_t argv_n,
		 const char *cwd, const struct exec_ctx *ctx)
{
	struct event e = {
		.version = EXECMON_ABI_VERSION, .hdr_len = sizeof(struct event),
		.kind = EV_KIND_EXEC, .pid = 4242, .ppid = 1,
		.exe_len = strlen(exe), .exe_full_len = strlen(exe),
		.argv_len = argv_n, .argv_full_len = argv_n,
		.cwd_len = cwd ? strlen(cwd) : 0, .cwd_full_len = cwd ? strlen(cwd) : 0,
		.flags = ctx ? EV_CTX : 0,
	};
	size_t n = sizeof(e);

	memcpy(e.comm, comm, strnlen(comm, sizeof(e.comm)));
	memcpy(buf, &e, sizeof(e));
	memcpy(buf + n, exe, e.exe_len);
	n += e.exe_len;
	memcpy(buf + n, argv, argv_n);
	n += argv_n;
	if (cwd)
		memcpy(buf + n, cwd, e.cwd_len);
	n += e.cwd_len;
	if (ctx) {
		memcpy(buf + n, ctx, sizeof(*ctx));
		n += sizeof(*ctx);
	}
	if (decode_event(buf, n, &rec) != DECODE_OK)
		abort();
}

static void fields(struct output *o, const char *list)
{
	char l[128];

	output_init(o, NULL);
	snprintf(l, sizeof(l), "%s", list);
	if (output_add_fields(o, l))
		abort();
	output_finish_fields(o);
}

#define HAS(s) (memmem(o.line.p, o.line.len, s, strlen(s)) != NULL)
#define LINE(name, want) CHECK_STR(name, o.line.p, o.line.len, want)

static void check_width(const char *name, const char *s, size_t want)
{
	size_t got = text_width(s, strlen(s), 100);

	if (got == want) {
		printf("PASS %s\n", name);
	} else {
		printf("FAIL %s: got %zu columns, want %zu\n", name, got, want);
		unit_failed = 1;
	}
}

int main(void)
{
	struct exec_ctx ctx = { .auid = CTX_ID_UNSET, .sid = CTX_ID_UNSET, .nancestors = 2,
				.ancestors = { { 100, SHELL }, { 1, "systemd" } } };
	struct output o;
	char want[512];

	setenv("TZ", "UTC", 1);

	check_width("width: ASCII, a column a byte", "/usr/bin/true", 13);
	check_width("width: CJK, two columns each", "\u4e2d\u6587", 4);
	check_width("width: an emoji, two columns", "\U0001F600", 2);
	check_width("width: precomposed and combining accents, one column each",
		    "\u00e9e\u0301", 2);
	check_width("width: a byte that is not UTF-8, one column", "a\xff", 2);
	CHECK("width: counting stops at the column's width",
	      text_width("\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587", 18, 3) >= 3);

	/* each cell narrower than its column, and more bytes than columns */
	make(NAME, "/t/" NAME, "x\0\u4e2d\u6587 \U0001F600\0", 14, "/t/\u76ee", &ctx);
	fields(&o, "comm,pcomm,cwd,exe,args");
	output_format(&o, &rec);
	snprintf(want, sizeof(want), "'%s'%*s '%s'%*s '%s'%*s '%s'%*s %s\n",
		 NAME, SP(16 - 8), SHELL, SP(16 - 5), "/t/\u76ee", SP(20 - 7),
		 "/t/" NAME, SP(24 - 11), "x '\u4e2d\u6587 \U0001F600'");
	LINE("table: CJK, emoji and accents padded by the columns they show", want);
	output_free(&o);

	/* the kernel cut the comm inside a character: its bytes are escaped,
	 * and the padding counts the escapes' columns */
	make("\u4e2d\xe4\xb8", "/t/x", "x\0", 2, NULL, NULL);
	fields(&o, "comm,pid,args");
	output_format(&o, &rec);
	snprintf(want, sizeof(want), "$'\u4e2d\\xe4\\xb8'%*s    4242 x\n", SP(16 - 13));
	LINE("table: a comm cut inside a character, escaped and padded", want);
	output_free(&o);

	/* wider than its column: no padding, one space, as for ASCII */
	make("x", "/\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587",
	     "x\0", 2, NULL, NULL);
	fields(&o, "exe,pid,args");
	output_format(&o, &rec);
	LINE("table: a cell wider than its column",
	     "'/\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587'    4242 x\n");
	output_free(&o);

	/* JSON: comm, pcomm and each ancestor's comm cut inside a character
	 * keep their exact bytes in a _b64 key, as exe and args do */
	memcpy(ctx.ancestors[0].comm, "s\u58f3\u58f3\u58f3\u58f3\xe5\xa3", 16);
	make("abcdefghijklm\xe4\xb8", "/t/x", "x\0", 2, NULL, &ctx);
	output_init(&o, NULL);
	o.json = true;
	output_format(&o, &rec);
	CHECK("json: a cut comm has U+FFFD for its lost bytes",
	      HAS("\"comm\":\"abcdefghijklm\ufffd\ufffd\","));
	CHECK("json: a cut comm's exact bytes in comm_b64",
	      HAS(",\"comm_b64\":\"YWJjZGVmZ2hpamtsbeS4\""));
	CHECK("json: a cut pcomm's exact bytes in pcomm_b64",
	      HAS("\"pcomm\":\"s\u58f3\u58f3\u58f3\u58f3\ufffd\ufffd\",") &&
	      HAS(",\"pcomm_b64\":\"c+Wjs+Wjs+Wjs+Wjs+Wj\""));
	CHECK("json: a cut ancestor's comm with its comm_b64, a whole one without",
	      HAS("\"ancestors\":[{\"pid\":100,\"comm\":\"s\u58f3\u58f3\u58f3\u58f3\ufffd\ufffd\","
		  "\"comm_b64\":\"c+Wjs+Wjs+Wjs+Wjs+Wj\"},{\"pid\":1,\"comm\":\"systemd\"}],"));
	/* the journal's EXECMON_ANCESTORS= is this same array */
	o.line.len = 0;
	json_ancestors(&o.line, &rec);
	LINE("journal: the ancestors' exact comms",
	     "[{\"pid\":100,\"comm\":\"s\u58f3\u58f3\u58f3\u58f3\ufffd\ufffd\","
	     "\"comm_b64\":\"c+Wjs+Wjs+Wjs+Wjs+Wj\"},{\"pid\":1,\"comm\":\"systemd\"}]");

	/* valid UTF-8, however far from ASCII, needs no exact form */
	memcpy(ctx.ancestors[0].comm, SHELL, sizeof(SHELL));
	make(NAME, "/t/x", "x\0", 2, NULL, &ctx);
	o.line.len = 0;
	output_format(&o, &rec);
	CHECK("json: a whole comm and pcomm, no _b64",
	      HAS("\"comm\":\"" NAME "\",") && HAS("\"pcomm\":\"" SHELL "\",") &&
	      !HAS("comm_b64"));
	output_free(&o);

	UNIT_EXIT();
}
