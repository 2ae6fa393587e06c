// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
/* no CODE_FILE= and CODE_LINE= of execmon's own in every entry */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>
#include "cgroup.h"
#include "journal.h"
#include "json.h"
#include "lookup.h"

/* Fixed for good, so that journalctl MESSAGE_ID=... finds them on any
 * machine and in any version. */
#define MESSAGE_ID_EXEC	"09fe182f222545de8b0ab53c97aa0d29"
#define MESSAGE_ID_LOST	"1f1094f8889b43369c937c93a042b5f5"
/* an exec check (AT_EXECVE_CHECK): nothing ran, so not an exec's */
#define MESSAGE_ID_CHECK	"25353cbe9a9f4164819f5a8553bd5771"
#define PRIORITY_EXEC	"6"	/* info */
#define PRIORITY_LOST	"4"	/* warning */

/*
 * sd_journal_sendv passes each field in 2 iovecs, or 5 when its value holds
 * a newline, and fails with EINVAL past IOV_MAX (1024) of them, in its
 * datagram as in its memory file: about 500 fields, which an exec with as
 * many arguments would reach. Its own fields (a SYSLOG_IDENTIFIER of its
 * own and so on) take a few more; an entry is kept to this many.
 */
#define JOURNAL_IOVS		1000
#define FIELD_IOVS(nl)		((nl) ? 5 : 2)
/* what the fields after the argument and variable ones may take at most:
 * EXECMON_ARGC, _CMDLINE, _ENVC, _ENVIRON, _ENV_TRUNCATED, _ENV_UNREADABLE */
#define LIST_TAIL_IOVS		(6 * FIELD_IOVS(true))

/* The fields are laid out in one buffer, then pointed at: the buffer may
 * move while it grows. */
struct fields {
	struct sbuf b;
	struct { size_t off, len; } *part;
	size_t n, cap;
	size_t iovs;		/* what sd_journal_sendv makes of them */
	struct iovec *iov;
	size_t iov_cap;
};

static struct fields jf;

static void field_begin(struct fields *f)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->part = realloc(f->part, f->cap * sizeof(*f->part));
		if (!f->part)
			abort();
	}
	f->part[f->n].off = f->b.len;
}

static void field_end(struct fields *f)
{
	f->part[f->n].len = f->b.len - f->part[f->n].off;
	f->iovs += FIELD_IOVS(memchr(f->b.p + f->part[f->n].off, '\n', f->part[f->n].len));
	f->n++;
}

/* The last field, taken back. */
static void field_drop(struct fields *f)
{
	f->n--;
	f->iovs -= FIELD_IOVS(memchr(f->b.p + f->part[f->n].off, '\n', f->part[f->n].len));
	f->b.len = f->part[f->n].off;
}

/* KEY=bytes, the bytes as they are: the journal's native protocol is
 * binary-safe, and sd_journal_sendv takes each field's length. */
static void put_bytes(struct fields *f, const char *key, const char *s, size_t n)
{
	field_begin(f);
	sbuf_puts(&f->b, key);
	sbuf_putc(&f->b, '=');
	sbuf_add(&f->b, s, n);
	field_end(f);
}

static void put_str(struct fields *f, const char *key, const char *s)
{
	put_bytes(f, key, s, strlen(s));
}

static void put_u64(struct fields *f, const char *key, unsigned long long v)
{
	field_begin(f);
	sbuf_puts(&f->b, key);
	sbuf_putc(&f->b, '=');
	sbuf_put_u64(&f->b, v);
	field_end(f);
}

static void put_bool(struct fields *f, const char *key, bool v)
{
	put_str(f, key, v ? "true" : "false");
}

static void put_time(struct fields *f, __s64 real_ns)
{
	static struct time_cache utc;

	field_begin(f);
	sbuf_puts(&f->b, "EXECMON_TIME=");
	sbuf_puts(&f->b, time_text(&utc, real_ns / 1000000000, true));
	sbuf_putc(&f->b, '.');
	sbuf_put_digits(&f->b, real_ns % 1000000000, 9);
	sbuf_putc(&f->b, 'Z');
	field_end(f);
}

/* KEY=, then what put writes; the field is left out when it writes
 * nothing. */
#define put_with(f, key, put) do {						\
	field_begin(f);								\
	sbuf_puts(&(f)->b, key "=");						\
	if (put)								\
		field_end(f);							\
	else									\
		(f)->b.len = (f)->part[(f)->n].off;				\
} while (0)

/*
 * The arguments (or variables): PREFIX0, PREFIX1, ... one field each, as
 * long as they take no more than budget iovecs; when some are left out,
 * every one of them in WHOLE too, each ended by a NUL byte, as in
 * /proc/PID/cmdline. Returns how many there are.
 */
static unsigned int put_list(struct fields *f, const char *prefix, const char *whole,
			     const struct argv_iter *items,
			     bool (*next)(struct argv_iter *, const char **, size_t *), size_t budget)
{
	size_t limit = f->iovs + budget, len;
	struct argv_iter it = *items;
	unsigned int n = 0;
	bool all = true;
	const char *s;

	while (next(&it, &s, &len)) {
		if (all) {
			char key[32];

			snprintf(key, sizeof(key), "%s%u", prefix, n);
			put_bytes(f, key, s, len);
			if (f->iovs > limit) {
				field_drop(f);
				all = false;
			}
		}
		n++;
	}
	if (all)
		return n;
	field_begin(f);
	sbuf_puts(&f->b, whole);
	sbuf_putc(&f->b, '=');
	it = *items;
	while (next(&it, &s, &len)) {
		sbuf_add(&f->b, s, len);
		sbuf_putc(&f->b, '\0');
	}
	field_end(f);
	return n;
}

/* The ctx part's fields; those JSON has as null are left out. */
static void put_ctx(struct fields *f, const struct exec_record *rec)
{
	const struct exec_ctx *c = record_ctx(rec);
	const char *login;

	if (!c)
		return;
	if (c->auid != CTX_ID_UNSET)
		put_u64(f, "EXECMON_AUID", c->auid);
	login = ctx_loginuser(c);
	if (login)
		put_str(f, "EXECMON_LOGINUSER", login);
	if (c->sid != CTX_ID_UNSET)
		put_u64(f, "EXECMON_SID", c->sid);
	put_with(f, "EXECMON_TTY", ctx_put_tty(&f->b, c));
	put_u64(f, "EXECMON_EUID", c->euid);
	put_u64(f, "EXECMON_EGID", c->egid);
	if (record_has_secure(rec))
		put_bool(f, "EXECMON_SECURE", rec->hdr.flags & EV_SECURE);
	if (c->nancestors)
		put_bytes(f, "EXECMON_PCOMM", c->ancestors[0].comm,
			  strnlen(c->ancestors[0].comm, COMM_LEN));
	/* the same JSON array as "ancestors": a comm may hold any byte */
	field_begin(f);
	sbuf_puts(&f->b, "EXECMON_ANCESTORS=");
	json_ancestors(&f->b, rec);
	field_end(f);
	put_with(f, "EXECMON_EXEC_ID", ctx_put_exec_id(&f->b, rec));
	put_with(f, "EXECMON_PARENT_EXEC_ID", ctx_put_parent_exec_id(&f->b, c));
	if (c->pidfs_ino)
		put_u64(f, "EXECMON_PIDFS_INO", c->pidfs_ino);
	put_u64(f, "EXECMON_NSPID", c->nspid);
	put_u64(f, "EXECMON_PIDNS", c->pidns);
}

/* sd_journal_sendv drops an entry silently, and keeps errno as it was,
 * when the socket is missing (ENOENT): its absence is looked for after a
 * send, at most every 100 ms, as a look costs more than the send. */
static int socket_gone(void)
{
	static struct timespec last;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if ((now.tv_sec - last.tv_sec) * 1000000000LL + now.tv_nsec - last.tv_nsec < 100000000LL)
		return 0;
	last = now;
	return access(JOURNAL_SOCKET, F_OK) && errno == ENOENT ? -ENOENT : 0;
}

/* A journald that is slow (its socket's queue full) blocks the send or,
 * where the kernel is short of memory, fails it with EAGAIN or ENOBUFS:
 * the entry is sent again, after a pause that grows to a quarter of a
 * second, for as long as it takes, as a stalled reader holds --output. */
static int send_again(struct fields *f)
{
	unsigned int pause_ms = 1, waited_ms = 0;
	bool said = false;
	int err;

	for (;;) {
		err = sd_journal_sendv(f->iov, f->n);
		if (!err)
			return socket_gone();
		if (err != -EAGAIN && err != -ENOBUFS && err != -EINTR)
			return err;
		if (!said && waited_ms >= 5000) {
			fprintf(stderr, "execmon: the journal at %s takes no entry (%s): still trying\n",
				JOURNAL_SOCKET, strerror(-err));
			said = true;
		}
		nanosleep(&(struct timespec){ .tv_nsec = pause_ms * 1000000L }, NULL);
		waited_ms += pause_ms;
		if (pause_ms < 256)
			pause_ms *= 2;
	}
}

static int send_fields(struct fields *f)
{
	int err;

	if (f->iov_cap < f->n) {
		f->iov_cap = f->cap;
		f->iov = realloc(f->iov, f->iov_cap * sizeof(*f->iov));
		if (!f->iov)
			abort();
	}
	for (size_t i = 0; i < f->n; i++)
		f->iov[i] = (struct iovec){ f->b.p + f->part[i].off, f->part[i].len };
	err = send_again(f);
	f->n = 0;
	f->iovs = 0;
	f->b.len = 0;
	return err;
}

bool journal_gone(int err)
{
	return err == ECONNREFUSED || err == ENOENT;
}

int journal_check(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = JOURNAL_SOCKET };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		err = -errno;
	close(fd);
	return err;
}

int journal_exec(struct output *o, const struct exec_record *rec)
{
	struct fields *f = &jf;
	const struct event *e = &rec->hdr;
	const char *user = user_name(e->uid), *cgroup;
	struct argv_iter it;
	unsigned int argc;
	size_t left;

	output_format(o, rec);
	put_bytes(f, "MESSAGE", o->line.p, o->line.len ? o->line.len - 1 : 0);
	put_str(f, "MESSAGE_ID", record_is_check(rec) ? MESSAGE_ID_CHECK : MESSAGE_ID_EXEC);
	put_str(f, "PRIORITY", PRIORITY_EXEC);
	put_str(f, "SYSLOG_IDENTIFIER", "execmon");
	put_time(f, (__s64)e->ts_ns + o->mono_to_real_ns);
	put_u64(f, "EXECMON_MONO_NS", e->ts_ns);
	put_u64(f, "EXECMON_PID", e->pid);
	put_u64(f, "EXECMON_PPID", e->ppid);
	put_u64(f, "EXECMON_UID", e->uid);
	put_u64(f, "EXECMON_GID", e->gid);
	/* JSON's nulls are fields left out */
	if (user)
		put_str(f, "EXECMON_USER", user);
	put_bytes(f, "EXECMON_COMM", e->comm, strnlen(e->comm, sizeof(e->comm)));
	if (!(e->flags & EV_EXE_FAULT) && (rec->exe_len || !(e->flags & EV_EXE_FD)))
		put_bytes(f, "EXECMON_EXE", rec->exe, rec->exe_len);
	if (e->flags & EV_EXE_FD)
		put_u64(f, "EXECMON_EXE_FD", rec->exe_fd);
	if (!(e->flags & EV_EXE_TRUNCATED) || exe_cut_bytes(rec))
		put_u64(f, "EXECMON_EXE_TRUNCATED", exe_cut_bytes(rec));
	put_bool(f, "EXECMON_EXE_DELETED", e->flags & EV_EXE_DELETED);
	if (exe_kind(rec))
		put_str(f, "EXECMON_EXE_KIND", exe_kind(rec));
	if (!(e->flags & EV_ARGV_TRUNCATED) || argv_cut_bytes(rec))
		put_u64(f, "EXECMON_ARGS_TRUNCATED", argv_cut_bytes(rec));
	put_bool(f, "EXECMON_EXE_UNREADABLE", e->flags & EV_EXE_FAULT);
	put_bool(f, "EXECMON_ARGS_UNREADABLE", e->flags & EV_ARGV_FAULT);
	field_begin(f);
	sbuf_puts(&f->b, "EXECMON_RET=");
	sbuf_put_s64(&f->b, e->ret);
	field_end(f);
	if (e->ret)
		put_str(f, "EXECMON_ERROR", errno_name(-e->ret));
	put_bool(f, "EXECMON_CHECK", record_is_check(rec));
	if (rec->cwd_len) {
		put_bytes(f, "EXECMON_CWD", rec->cwd, rec->cwd_len);
		if (!(e->flags & EV_CWD_TRUNCATED) || cwd_cut_bytes(rec))
			put_u64(f, "EXECMON_CWD_TRUNCATED", cwd_cut_bytes(rec));
		put_bool(f, "EXECMON_CWD_DELETED", e->flags & EV_CWD_DELETED);
	}
	put_u64(f, "EXECMON_CGROUP_ID", e->cgroup_id);
	cgroup = cgroup_path(e->cgroup_id);
	if (cgroup)
		put_str(f, "EXECMON_CGROUP", cgroup);
	put_u64(f, "EXECMON_MNTNS", e->mntns);
	put_ctx(f, rec);
	if (e->flags & EV_SCRIPT) {
		put_bytes(f, "EXECMON_INTERPRETER", rec->exe, rec->exe_len);
		put_bytes(f, "EXECMON_SCRIPT", rec->script, rec->script_len);
	}
	/* Last, in what the others leave: the arguments, then the variables
	 * in what the arguments leave, half of it at least. */
	left = JOURNAL_IOVS - LIST_TAIL_IOVS - f->iovs;
	argv_iter_init(&it, rec->argv, rec->argv_len);
	argc = put_list(f, "EXECMON_ARG", "EXECMON_CMDLINE", &it, argv_next,
			e->flags & EV_ENV ? left / 2 : left);
	put_u64(f, "EXECMON_ARGC", argc);
	if (e->flags & EV_ENV) {
		unsigned int envc;

		left = JOURNAL_IOVS - (LIST_TAIL_IOVS - 2 * FIELD_IOVS(true)) - f->iovs;
		argv_iter_init(&it, rec->env, rec->env_len);
		envc = put_list(f, "EXECMON_ENV", "EXECMON_ENVIRON", &it, env_next, left);
		put_u64(f, "EXECMON_ENVC", envc);
		put_u64(f, "EXECMON_ENV_TRUNCATED", env_cut_bytes(rec));
		put_bool(f, "EXECMON_ENV_UNREADABLE", e->flags & EV_ENV_FAULT);
	}
	return send_fields(f);
}

int journal_lost(__u64 lost, int cpu, __s64 real_ns)
{
	struct fields *f = &jf;
	char msg[96];

	if (cpu >= 0)
		snprintf(msg, sizeof(msg), "lost %llu events on CPU %d", (unsigned long long)lost, cpu);
	else
		snprintf(msg, sizeof(msg), "the kernel could not send %llu events",
			 (unsigned long long)lost);
	put_str(f, "MESSAGE", msg);
	put_str(f, "MESSAGE_ID", MESSAGE_ID_LOST);
	put_str(f, "PRIORITY", PRIORITY_LOST);
	put_str(f, "SYSLOG_IDENTIFIER", "execmon");
	put_time(f, real_ns);
	put_u64(f, "EXECMON_LOST", lost);
	if (cpu >= 0)
		put_u64(f, "EXECMON_CPU", cpu);
	return send_fields(f);
}
