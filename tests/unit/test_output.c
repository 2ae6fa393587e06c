// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The table and JSON formatters on synthetic execs. */
#include <stdlib.h>
#include "json.h"
#include "output.h"
#include "unit.h"

static unsigned char buf[sizeof(struct event) + 256 + sizeof(struct exec_ctx)];
static size_t buf_len;
static struct exec_record rec;

static void make(const char *exe, const char *argv, size_t argv_n, __u32 argv_full,
		 const char *script, __u32 flags)
{
	struct event e = {
		.version = EXECMON_ABI_VERSION, .hdr_len = sizeof(struct event),
		.kind = flags & EV_FAILED ? EV_KIND_FAILED : EV_KIND_EXEC,
		.pid = 4242, .ppid = 1, .uid = 0, .flags = flags,
		.ts_ns = 2500000000ULL,
		.exe_len = strlen(exe), .exe_full_len = strlen(exe),
		.argv_len = argv_n, .argv_full_len = argv_full ? argv_full : argv_n,
		.script_len = script ? strlen(script) : 0,
	};
	size_t n;

	memcpy(e.comm, "my prog", 8);
	memcpy(buf, &e, sizeof(e));
	n = sizeof(e);
	memcpy(buf + n, exe, e.exe_len);
	n += e.exe_len;
	memcpy(buf + n, argv, argv_n);
	n += argv_n;
	if (script)
		memcpy(buf + n, script, e.script_len);
	n += e.script_len;
	buf_len = n;
	if (decode_event(buf, n, &rec) != DECODE_OK)
		abort();
}

/* Adds a working directory to the record make() built last. */
static void add_cwd(const char *cwd, __u32 full_len, __u32 flags)
{
	struct event e;

	memcpy(&e, buf, sizeof(e));
	e.cwd_len = strlen(cwd);
	e.cwd_full_len = full_len;
	e.flags |= flags;
	memcpy(buf, &e, sizeof(e));
	memcpy(buf + buf_len, cwd, e.cwd_len);
	buf_len += e.cwd_len;
	if (decode_event(buf, buf_len, &rec) != DECODE_OK)
		abort();
}

/* Adds a ctx part to the record make() (and add_cwd()) built last, at an
 * odd offset, as the BPF program may leave it. */
static void add_ctx(const struct exec_ctx *c, __u32 flags)
{
	struct event e;

	memcpy(&e, buf, sizeof(e));
	e.flags |= EV_CTX | flags;
	memcpy(buf, &e, sizeof(e));
	memcpy(buf + buf_len, c, sizeof(*c));
	buf_len += sizeof(*c);
	if (decode_event(buf, buf_len, &rec) != DECODE_OK)
		abort();
}

/* Adds an environment (n bytes, of full_len in all) to the record make()
 * built last, after its cwd if any. */
static void add_env(const char *env, __u32 n, __u32 full_len, __u32 flags)
{
	struct env_head head = { n, full_len ? full_len : n };
	struct event e;

	memcpy(&e, buf, sizeof(e));
	e.flags |= EV_ENV | flags;
	memcpy(buf, &e, sizeof(e));
	memcpy(buf + buf_len, &head, sizeof(head));
	memcpy(buf + buf_len + sizeof(head), env, n);
	buf_len += sizeof(head) + n;
	if (decode_event(buf, buf_len, &rec) != DECODE_OK)
		abort();
}

/* A ctx part with every field known. */
static const struct exec_ctx full_ctx = {
	.start_ns = 5000000123ULL, .parent_start_ns = 77, .pidfs_ino = 9001,
	.auid = 0, .sid = 3, .euid = 0, .egid = 5,
	.tty = 136 << 20 | 3, .tty_name = "pts3",
	.nspid = 1, .pidns = 4026532000u, .nancestors = 2,
	.ancestors = { { 4000, "sudo" }, { 1, "systemd" } },
};
/* Sets the kind and ret of the record make() built last. */
static void set_kind(__u8 kind, __s32 ret)
{
	struct event e;

	memcpy(&e, buf, sizeof(e));
	e.kind = kind;
	e.ret = ret;
	memcpy(buf, &e, sizeof(e));
	if (decode_event(buf, buf_len, &rec) != DECODE_OK)
		abort();
}

/* Marks the path of the record make() built last as cut from full_len. */
static void cut_exe(__u32 full_len)
{
	struct event e;

	memcpy(&e, buf, sizeof(e));
	e.exe_full_len = full_len;
	e.flags |= EV_EXE_TRUNCATED;
	memcpy(buf, &e, sizeof(e));
	if (decode_event(buf, buf_len, &rec) != DECODE_OK)
		abort();
}

/* The n-th column of the line, split at blanks as awk does. */
static const char *column(const struct output *o, int n)
{
	static char col[256];
	char line[512];
	char *save = NULL, *w;

	snprintf(line, sizeof(line), "%.*s", (int)o->line.len, o->line.p);
	w = strtok_r(line, " \t\n", &save);
	while (w && --n > 0)
		w = strtok_r(NULL, " \t\n", &save);
	snprintf(col, sizeof(col), "%s", w ? w : "");
	return col;
}

static void fields(struct output *o, const char *list)
{
	char l[128];

	output_init(o, NULL);
	snprintf(l, sizeof(l), "%s", list);
	if (output_add_fields(o, l))
		abort();
	output_finish_fields(o);
	o->start_ns = 1000000000ULL;
	o->mono_to_real_ns = 0;
}

#define HAS(s) (memmem(o.line.p, o.line.len, s, strlen(s)) != NULL)
#define LINE(name, want) CHECK_STR(name, o.line.p, o.line.len, want)

int main(void)
{
	struct output o;
	char bad[] = "pid,nope";

	setenv("TZ", "UTC", 1);
	make("/usr/bin/true", "true\0a b\0", 9, 0, NULL, 0);

	fields(&o, "pid,exe,args");
	output_format(&o, &rec);
	LINE("table: default columns", "   4242 /usr/bin/true            true 'a b'\n");
	o.line.len = 0;
	o.out = fmemopen(NULL, 4096, "w");
	output_header(&o);
	fclose(o.out);
	LINE("table: header", "    PID EXEC                     ARGS\n");
	output_free(&o);

	fields(&o, "args,time,timestamp,ppid,uid,user,comm");
	output_format(&o, &rec);
	LINE("table: every field, args moved last",
	     "00:00:02     1.500       1      0 root     'my prog'        true 'a b'\n");
	output_free(&o);

	fields(&o, "auid,loginuser,sid,tty,euid,egid,secure,pcomm,exec_id,parent_exec_id,"
		   "pidfs_ino,nspid,pidns,args");
	CHECK("fields: a ctx field asks for the part", output_wants(&o, F_CTX));
	CHECK("fields: no cgroup field, no cgroup", !output_wants(&o, F_CGROUP_MNTNS));
	CHECK("fields: no ppid field, no parent", !output_wants(&o, F_PPID));
	output_format(&o, &rec);
	LINE("table: ctx fields without the part",
	     "     - -              - -            -      - -      -                "
	     "-                      -                              -       -          - true 'a b'\n");
	make("/usr/bin/true", "true\0", 5, 0, NULL, 0);
	add_cwd("/", 1, 0);
	add_ctx(&full_ctx, EV_SECURE);
	output_format(&o, &rec);
	LINE("table: ctx fields",
	     "     0 root           3 pts/3        0      5 yes    sudo             "
	     "4242@5000000123        4000@77                     9001       1 4026532000 true\n");
	{
		struct exec_ctx c = full_ctx;

		c.tty = 4 << 20 | 1;
		memcpy(c.tty_name, "tty1", 5);
		c.auid = c.sid = CTX_ID_UNSET;
		c.pidfs_ino = 0;
		make("/usr/bin/true", "true\0", 5, 0, NULL, 0);
		add_ctx(&c, 0);
		output_format(&o, &rec);
		LINE("table: a console, unset ids, no pidfs",
		     "     - -              - tty1         0      5 no     sudo             "
		     "4242@5000000123        4000@77                        -       1 4026532000 true\n");
	}
	output_free(&o);
	fields(&o, "pid,cwd,mntns,exe,args");
	CHECK("fields: no ctx field, no part", !output_wants(&o, F_CTX));
	CHECK("fields: mntns asks for the cgroup and mount namespace", output_wants(&o, F_CGROUP_MNTNS));
	output_free(&o);
	fields(&o, "ppid,args");
	CHECK("fields: ppid asks for the parent", output_wants(&o, F_PPID));
	output_free(&o);
	make("/usr/bin/true", "true\0a b\0", 9, 0, NULL, 0);

	output_init(&o, NULL);
	CHECK("fields: unknown name reported", output_add_fields(&o, bad) && !strcmp(bad + 4, "nope"));

	make("/usr/bin/true", "true\0xxxx", 9, 100, NULL, EV_ARGV_TRUNCATED);
	fields(&o, "pid,exe,args");
	output_format(&o, &rec);
	LINE("table: cut argv", "   4242 /usr/bin/true            true xxxx [+91 bytes cut]\n");
	output_free(&o);

	make("/usr/bin/true", "true\0", 5, 0, NULL, 0);
	add_cwd("/leaf", 5000, EV_CWD_TRUNCATED);
	fields(&o, "cwd,args");
	output_format(&o, &rec);
	LINE("table: cut cwd", "[+4995-bytes-cut]/leaf true\n");
	output_free(&o);

	output_init(&o, NULL);
	o.json = true;
	output_format(&o, &rec);
	CHECK("json: cut cwd", HAS("\"cwd\":\"/leaf\",\"cwd_truncated\":4995,"));
	make("/usr/bin/true", "true\0", 5, 0, NULL, 0);
	add_cwd("/home", 5, 0);
	output_format(&o, &rec);
	CHECK("json: whole cwd", HAS("\"cwd\":\"/home\",\"cwd_truncated\":0,"));
	output_free(&o);
	make("/memfd:x", "x\0", 2, 0, NULL, EV_EXE_DELETED);
	add_cwd("/tmp/a b", 8, EV_CWD_DELETED);
	fields(&o, "exe,cwd,args");
	output_format(&o, &rec);
	LINE("table: deleted exe and cwd", "/memfd:x(deleted)        '/tmp/a b'(deleted)  x\n");
	CHECK_STR("table: a deleted exe is one column", column(&o, 1), strlen(column(&o, 1)),
		  "/memfd:x(deleted)");
	output_free(&o);

	/* a file that never had a name is marked as what it is */
	make("/memfd:x", "x\0", 2, 0, NULL, EV_EXE_DELETED | EV_EXE_MEMFD);
	fields(&o, "exe_kind,exe,args");
	output_format(&o, &rec);
	LINE("table: memfd exe", "memfd   /memfd:x(memfd)          x\n");
	make("/SYSV00000000", "x\0", 2, 0, NULL, EV_EXE_DELETED | EV_EXE_ANON);
	output_format(&o, &rec);
	LINE("table: anon exe", "anon    /SYSV00000000(anon)      x\n");
	make("/tmp/gone", "x\0", 2, 0, NULL, EV_EXE_DELETED);
	output_format(&o, &rec);
	LINE("table: deleted exe's kind", "deleted /tmp/gone(deleted)       x\n");
	make("/usr/bin/true", "x\0", 2, 0, NULL, 0);
	output_format(&o, &rec);
	LINE("table: a file's kind", "file    /usr/bin/true            x\n");
	make("./nope", "x\0", 2, 0, NULL, EV_FAILED);
	output_format(&o, &rec);
	LINE("table: no kind for a path asked for", "-       ./nope                   x\n");
	output_free(&o);
	output_init(&o, NULL);
	o.json = true;
	make("/memfd:x", "x\0", 2, 0, NULL, EV_EXE_DELETED | EV_EXE_MEMFD);
	output_format(&o, &rec);
	CHECK("json: memfd exe", HAS("\"exe_deleted\":true,\"exe_kind\":\"memfd\","));
	make("./nope", "x\0", 2, 0, NULL, EV_FAILED);
	output_format(&o, &rec);
	CHECK("json: no kind for a path asked for", HAS("\"exe_kind\":null,"));
	output_free(&o);

	/* the environment: words before ARGS, a cut marked as argv's */
	make("/usr/bin/true", "true\0", 5, 0, NULL, 0);
	add_env("A=1\0E=\0X=\xff\0", 11, 0, 0);
	fields(&o, "env,pid,args");
	output_format(&o, &rec);
	LINE("table: env before args", "   4242 A=1 E= $'X=\\xff' true\n");
	env_keep_only("X,E");
	output_format(&o, &rec);
	LINE("table: env names kept", "   4242 E= $'X=\\xff' true\n");
	env_keep_only("NONE");
	output_format(&o, &rec);
	LINE("table: no env name found", "   4242 - true\n");
	env_keep_only(NULL);
	make("/usr/bin/true", "true\0", 5, 0, NULL, 0);
	add_env("A=1\0B=2", 7, 100, EV_ENV_TRUNCATED);
	output_format(&o, &rec);
	LINE("table: cut env", "   4242 A=1 B=2 [+93 bytes cut] true\n");
	make("/usr/bin/true", "true\0", 5, 0, NULL, 0);
	output_format(&o, &rec);
	LINE("table: env not captured", "   4242 - true\n");
	output_free(&o);
	output_init(&o, NULL);
	o.json = true;
	output_format(&o, &rec);
	CHECK("json: env null without --env",
	      HAS(",\"env\":null,\"env_truncated\":null,\"env_unreadable\":null}"));
	make("/usr/bin/true", "true\0", 5, 0, NULL, 0);
	add_env("A=1\0E=\0X=\xff\0", 11, 0, 0);
	output_format(&o, &rec);
	CHECK("json: env and its exact bytes",
	      HAS(",\"env\":[\"A=1\",\"E=\",\"X=\xef\xbf\xbd\"],\"env_truncated\":0,"
		  "\"env_unreadable\":false,\"env_b64\":[\"QT0x\",\"RT0=\",\"WD3/\"]}"));
	env_keep_only("A");
	output_format(&o, &rec);
	CHECK("json: env names kept", HAS(",\"env\":[\"A=1\"],") && !HAS("env_b64"));
	env_keep_only(NULL);
	make("/usr/bin/true", "true\0", 5, 0, NULL, 0);
	add_env("", 0, 0, 0);
	output_format(&o, &rec);
	CHECK("json: empty env", HAS(",\"env\":[],\"env_truncated\":0,"));

	/* an exec check: neither a failed exec nor a successful one */
	make("./x", "x\0", 2, 0, NULL, 0);
	set_kind(EV_KIND_CHECK, -13);
	output_format(&o, &rec);
	CHECK("json: a failing check", HAS("\"ret\":-13,\"error\":\"EACCES\",\"check\":true,") &&
	      HAS("\"exe\":\"./x\",") && HAS("\"exe_kind\":null,"));
	output_free(&o);
	fields(&o, "pid,ret,exe,args");
	output_format(&o, &rec);
	LINE("table: a failing check", "   4242 check:EACCES ./x                      x\n");
	set_kind(EV_KIND_CHECK, 0);
	output_format(&o, &rec);
	LINE("table: a passing check", "   4242 check  ./x                      x\n");
	output_free(&o);
	fields(&o, "pid,exe,args");

	make("./nope", "./nope\0a\0", 9, 0, NULL, EV_FAILED);
	memcpy(buf + offsetof(struct event, ret), &(__s32){ -2 }, sizeof(__s32));
	decode_event(buf, sizeof(struct event) + 6 + 9, &rec);
	output_free(&o);
	fields(&o, "pid,ret,exe,args");
	output_format(&o, &rec);
	LINE("table: failed exec", "   4242 ENOENT ./nope                   ./nope a\n");
	output_free(&o);
	fields(&o, "pid,exe,args");

	/* a cut path is still one column: awk '{print $2}' gets all of it */
	make("/ddd/x", "x\0a b\0", 6, 0, NULL, 0);
	cut_exe(1022);
	output_format(&o, &rec);
	LINE("table: cut exe", "   4242 [+1016-bytes-cut]/ddd/x  x 'a b'\n");
	CHECK("table: cut exe is one column", !strcmp(column(&o, 2), "[+1016-bytes-cut]/ddd/x") &&
	      !strcmp(column(&o, 3), "x"));
	make("/d d/x", "x\0", 2, 0, NULL, 0);
	cut_exe(1022);
	output_format(&o, &rec);
	LINE("table: cut exe, quoted", "   4242 [+1016-bytes-cut]'/d d/x' x\n");
	make("./long", "./long\0", 7, 0, NULL, EV_FAILED | EV_EXE_TRUNCATED);
	output_format(&o, &rec);
	LINE("table: failed exec's path cut at its end", "   4242 ./long[cut]              ./long\n");

	make("/usr/bin/true", "", 0, 0, NULL, 0);
	output_format(&o, &rec);
	LINE("table: empty argv", "   4242 /usr/bin/true            \n");

	make("/tmp/a\nb", "x\0", 2, 0, NULL, 0);
	output_format(&o, &rec);
	LINE("table: exe with a newline", "   4242 $'/tmp/a\\nb'             x\n");
	output_free(&o);

	make("/usr/bin/true", "true\0a\"\\\t\n\xff\0", 12, 0, NULL, 0);
	output_init(&o, NULL);
	o.json = true;
	output_format(&o, &rec);
	LINE("json: escapes and invalid bytes",
	     "{\"event\":\"exec\",\"time\":\"1970-01-01T00:00:02.500000000Z\",\"mono_ns\":2500000000,\"pid\":4242,"
	     "\"ppid\":1,\"uid\":0,\"gid\":0,\"user\":\"root\",\"comm\":\"my prog\","
	     "\"exe\":\"/usr/bin/true\",\"args\":[\"true\",\"a\\\"\\\\\\t\\n\xef\xbf\xbd\"],"
	     "\"exe_truncated\":0,\"exe_deleted\":false,\"exe_kind\":\"file\",\"exe_fd\":null,\"exe_dev\":null,\"exe_ino\":null,\"exe_size\":null,\"exe_mtime\":null,\"exe_ctime\":null,\"exe_sha256\":null,\"exe_hash_error\":null,\"args_truncated\":0,\"exe_unreadable\":false,\"args_unreadable\":false,\"ret\":0,\"error\":null,\"check\":false,"
	     "\"cwd\":null,\"cwd_truncated\":0,\"cwd_deleted\":null,\"cgroup_id\":0,\"cgroup\":null,\"mntns\":0,"
	     "\"container_id\":null,\"container_runtime\":null,\"pod_uid\":null,"
	     "\"auid\":null,\"loginuser\":null,\"sid\":null,\"tty\":null,\"euid\":null,\"egid\":null,"
	     "\"secure\":null,\"pcomm\":null,\"ancestors\":null,\"exec_id\":null,\"parent_exec_id\":null,"
	     "\"pidfs_ino\":null,\"nspid\":null,\"pidns\":null,\"interpreter\":null,\"script\":null,"
	     "\"env\":null,\"env_truncated\":null,\"env_unreadable\":null,"
	     "\"args_b64\":[\"dHJ1ZQ==\",\"YSJcCQr/\"]}\n");

	make("/usr/bin/true", "x\0", 2, 0, NULL, 0);
	add_ctx(&full_ctx, EV_SECURE);
	output_format(&o, &rec);
	CHECK("json: every ctx key",
	      HAS("\"mntns\":0,\"container_id\":null,\"container_runtime\":null,\"pod_uid\":null,\"auid\":0,\"loginuser\":\"root\",\"sid\":3,\"tty\":\"pts/3\","
		  "\"euid\":0,\"egid\":5,\"secure\":true,\"pcomm\":\"sudo\","
		  "\"ancestors\":[{\"pid\":4000,\"comm\":\"sudo\"},{\"pid\":1,\"comm\":\"systemd\"}],"
		  "\"exec_id\":\"4242@5000000123\",\"parent_exec_id\":\"4000@77\","
		  "\"pidfs_ino\":9001,\"nspid\":1,\"pidns\":4026532000,\"interpreter\""));
	{
		struct exec_ctx c = { .auid = CTX_ID_UNSET, .sid = CTX_ID_UNSET, .tty = 4 << 20 | 64,
				      .tty_name = "ttyS0", .ancestors = { { 7, "a\"b" } } };

		make("/usr/bin/true", "x\0", 2, 0, NULL, EV_FAILED);
		add_ctx(&c, 0);
		output_format(&o, &rec);
		CHECK("json: ctx, unset ids, no ancestors, a failed exec's secure",
		      HAS("\"auid\":null,\"loginuser\":null,\"sid\":null,\"tty\":\"ttyS0\",") &&
		      HAS("\"secure\":null,\"pcomm\":null,\"ancestors\":[],\"exec_id\":\"4242@0\","
			  "\"parent_exec_id\":null,\"pidfs_ino\":null,"));
		c.nancestors = 1;
		c.tty = 0;
		make("/usr/bin/true", "x\0", 2, 0, NULL, 0);
		add_ctx(&c, 0);
		output_format(&o, &rec);
		c.tty = 4 << 20 | 70;
		memcpy(c.tty_name, "a\nb", 4);
		make("/usr/bin/true", "x\0", 2, 0, NULL, 0);
		add_ctx(&c, 0);
		output_format(&o, &rec);
		CHECK("json: a terminal's name that is not plain shows its numbers",
		      HAS("\"tty\":\"4:70\","));
		c.tty = 0;
		make("/usr/bin/true", "x\0", 2, 0, NULL, 0);
		add_ctx(&c, 0);
		output_format(&o, &rec);
		CHECK("json: no tty, an ancestor's comm escaped, not secure",
		      HAS("\"tty\":null,") && HAS("\"secure\":false,\"pcomm\":\"a\\\"b\","
						 "\"ancestors\":[{\"pid\":7,\"comm\":\"a\\\"b\"}]"));
	}

	make("/usr/bin/dash", "/bin/sh\0./s.sh\0", 15, 0, "./s.sh", EV_SCRIPT);
	output_format(&o, &rec);
	CHECK("json: script and interpreter",
	      HAS("\"interpreter\":\"/usr/bin/dash\",\"script\":\"./s.sh\","));

	make("/usr/bin/true", "\x1b\0\xe2\x80\xa8\0", 5, 0, NULL, 0);
	output_format(&o, &rec);
	CHECK("json: control and line separator escaped",
	      HAS("\"args\":[\"\\u001b\",\"\\u2028\"]") && !HAS("args_b64"));
	output_free(&o);
	UNIT_EXIT();
}
