// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "fields.h"
#include "json.h"
#include "log.h"
#include "quote.h"
#include "sbuf.h"
#include "summary.h"

#define HASH_BUCKETS	4096

struct proc {
	__u32 pid, ppid;
	int parent;		/* index of the parent's proc, -1 for none */
	int next;		/* the next in this pid's hash chain */
	int child, sibling;	/* made when written */
	bool exited;
	__u32 status;		/* as wait(2) gives it */
	__u64 exec_ns, exit_ns;	/* CLOCK_MONOTONIC */
	char comm[COMM_LEN + 1];
	char *exe;
	char *argv;		/* NUL-separated, as the record has it */
	size_t argv_len;
};

static struct proc *procs;
static int nprocs, cap;
static int buckets[HASH_BUCKETS];
static bool buckets_set;
static __u64 last_ns;		/* the latest record's stamp: "now" for the running */

/* The newest process by that pid that has not ended; -1 for none. */
static int find_alive(__u32 pid)
{
	for (int i = buckets[pid % HASH_BUCKETS]; i >= 0; i = procs[i].next)
		if (procs[i].pid == pid && !procs[i].exited)
			return i;
	return -1;
}

static char *dup_bytes(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* The exec's command, for the latest exec of a process. */
static void set_command(struct proc *p, const struct exec_record *rec)
{
	free(p->exe);
	free(p->argv);
	memcpy(p->comm, rec->hdr.comm, COMM_LEN);
	p->comm[COMM_LEN] = '\0';
	p->exe = dup_bytes(rec->exe, rec->exe_len);
	p->argv = dup_bytes(rec->argv, rec->argv_len);
	p->argv_len = p->argv ? rec->argv_len : 0;
}

/* Its parent: the nearest ancestor that exec'd while followed (a subshell
 * between them never exec'd), else by ppid. */
static int find_parent(const struct exec_record *rec)
{
	const struct exec_ctx *c = record_ctx(rec);
	int i;

	if (c)
		for (__u32 a = 0; a < c->nancestors && a < ANCESTORS_MAX; a++)
			if ((i = find_alive(c->ancestors[a].pid)) >= 0)
				return i;
	return find_alive(rec->hdr.ppid);
}

void summary_add(const struct exec_record *rec)
{
	struct proc *p;
	int i;

	if (!buckets_set) {
		memset(buckets, -1, sizeof(buckets));
		buckets_set = true;
	}
	if (rec->hdr.ts_ns > last_ns)
		last_ns = rec->hdr.ts_ns;
	if (record_is_exit(rec)) {
		i = find_alive(rec->hdr.pid);
		if (i >= 0) {
			procs[i].exited = true;
			procs[i].status = rec->exited.status;
			procs[i].exit_ns = rec->hdr.ts_ns;
		}
		return;
	}
	if (rec->hdr.kind != EV_KIND_EXEC)
		return;
	i = find_alive(rec->hdr.pid);
	if (i >= 0) {
		/* exec'd again: the same process, a new command */
		set_command(&procs[i], rec);
		return;
	}
	if (nprocs == cap) {
		int n = cap ? cap * 2 : 256;
		struct proc *np = realloc(procs, n * sizeof(*np));

		if (!np)
			return;
		procs = np;
		cap = n;
	}
	p = &procs[nprocs];
	memset(p, 0, sizeof(*p));
	p->pid = rec->hdr.pid;
	p->ppid = rec->hdr.ppid;
	p->parent = find_parent(rec);
	p->exec_ns = rec->hdr.ts_ns;
	set_command(p, rec);
	p->next = buckets[p->pid % HASH_BUCKETS];
	buckets[p->pid % HASH_BUCKETS] = nprocs++;
}

/* exit:3, exit:SIGTERM, exit:SIGSEGV+core, or running */
static void put_status(struct sbuf *b, const struct proc *p)
{
	if (!p->exited) {
		sbuf_puts(b, "running");
		return;
	}
	sbuf_puts(b, "exit:");
	if (p->status & 0x7f)
		sbuf_puts(b, signal_name(p->status & 0x7f));
	else
		sbuf_put_u64(b, (p->status >> 8) & 0xff);
	if (p->status & 0x80)
		sbuf_puts(b, "+core");
}

static __u64 proc_end(const struct proc *p)
{
	return p->exited ? p->exit_ns : last_ns;
}

/* Each process's children, in start order: the index order. */
static void link_children(void)
{
	for (int i = 0; i < nprocs; i++)
		procs[i].child = procs[i].sibling = -1;
	for (int i = nprocs - 1; i >= 0; i--) {
		int up = procs[i].parent;

		if (up >= 0) {
			procs[i].sibling = procs[up].child;
			procs[up].child = i;
		}
	}
}

static void write_tree(FILE *f, struct sbuf *b, int i, int depth)
{
	for (; i >= 0; i = procs[i].sibling) {
		const struct proc *p = &procs[i];
		__u64 ns = proc_end(p) - p->exec_ns;
		struct argv_iter it;
		const char *arg;
		size_t len, start;
		bool first = true;

		b->len = 0;
		put_status(b, p);
		sbuf_pad(b, b->len < 16 ? 16 - b->len : 1);
		start = b->len;
		sbuf_printf(b, "%llu.%03llus", (unsigned long long)(ns / 1000000000),
			    (unsigned long long)(ns / 1000000 % 1000));
		sbuf_pad(b, b->len - start < 10 ? 10 - (b->len - start) : 1);
		sbuf_pad(b, 2 * depth);
		argv_iter_init(&it, p->argv, p->argv_len);
		while (argv_next(&it, &arg, &len)) {
			if (!first)
				sbuf_putc(b, ' ');
			shell_quote(b, arg, len);
			first = false;
		}
		if (first)
			shell_quote(b, p->comm, strlen(p->comm));
		sbuf_putc(b, '\n');
		fwrite(b->p, 1, b->len, f);
		write_tree(f, b, p->child, depth + 1);
	}
}

void summary_write(FILE *f)
{
	struct sbuf b = {};

	link_children();
	fprintf(f, "%d processes ran: status, run time since exec, command\n", nprocs);
	for (int i = 0; i < nprocs; i++)
		if (procs[i].parent < 0) {
			/* the roots one by one: write_tree follows siblings */
			int sibling = procs[i].sibling;

			procs[i].sibling = -1;
			write_tree(f, &b, i, 0);
			procs[i].sibling = sibling;
		}
	sbuf_free(&b);
}

static void put_us(struct sbuf *b, __u64 ns)
{
	sbuf_printf(b, "%llu.%03llu", (unsigned long long)(ns / 1000), (unsigned long long)(ns % 1000));
}

void summary_timeline(FILE *f)
{
	struct sbuf b = {};
	__u64 first = nprocs ? procs[0].exec_ns : 0;

	fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[", f);
	for (int i = 0; i < nprocs; i++) {
		const struct proc *p = &procs[i];
		struct argv_iter it;
		const char *arg;
		size_t len;
		bool one = true;

		b.len = 0;
		sbuf_puts(&b, i ? ",\n{\"name\":" : "\n{\"name\":");
		json_string(&b, p->comm, strlen(p->comm));
		sbuf_puts(&b, ",\"cat\":\"process\",\"ph\":\"X\",\"ts\":");
		put_us(&b, p->exec_ns - first);
		sbuf_puts(&b, ",\"dur\":");
		put_us(&b, proc_end(p) - p->exec_ns);
		sbuf_printf(&b, ",\"pid\":%u,\"tid\":%u,\"args\":{\"ppid\":%u,\"parent\":", p->pid, p->pid,
			    p->ppid);
		if (p->parent >= 0)
			sbuf_put_u64(&b, procs[p->parent].pid);
		else
			sbuf_puts(&b, "null");
		sbuf_puts(&b, ",\"status\":\"");
		put_status(&b, p);
		sbuf_puts(&b, "\",\"exe\":");
		json_string(&b, p->exe ? p->exe : "", p->exe ? strlen(p->exe) : 0);
		sbuf_puts(&b, ",\"argv\":[");
		argv_iter_init(&it, p->argv, p->argv_len);
		while (argv_next(&it, &arg, &len)) {
			if (!one)
				sbuf_putc(&b, ',');
			json_string(&b, arg, len);
			one = false;
		}
		sbuf_puts(&b, "]}}");
		fwrite(b.p, 1, b.len, f);
	}
	fputs("\n]}\n", f);
	sbuf_free(&b);
}

static int write_to(const char *path, const char *what, void (*fn)(FILE *))
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stderr;

	if (!f) {
		p_err("can't write the %s to '%s': %s", what, path, strerror(errno));
		return -1;
	}
	fn(f);
	if (f != stderr ? fclose(f) : fflush(f)) {
		p_err("can't write the %s to '%s': %s", what, path, strerror(errno));
		return -1;
	}
	return 0;
}

int summary_finish(void)
{
	int err = 0;

	if (options.summary)
		err |= write_to(options.summary, "summary", summary_write);
	if (options.timeline)
		err |= write_to(options.timeline, "timeline", summary_timeline);
	return err;
}
