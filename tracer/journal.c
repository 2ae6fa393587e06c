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
#include "fields.h"
#include "journal.h"
#include "json.h"
#include "log.h"
#include "lookup.h"

/* Fixed for good, as the record kinds' (event.c): a loss is no record. */
#define MESSAGE_ID_LOST	"1f1094f8889b43369c937c93a042b5f5"
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
			p_err("the journal at %s takes no entry (%s): still trying",
				JOURNAL_SOCKET, strerror(-err));
			said = true;
		}
		nanosleep(&(struct timespec){ .tv_nsec = pause_ms * 1000000L }, NULL);
		waited_ms += pause_ms;
		if (pause_ms < 256)
			pause_ms *= 2;
	}
}

/* The iovecs of the fields, once they are all written: the buffer no
 * longer moves. */
static void make_iovecs(struct fields *f)
{
	if (f->iov_cap < f->n) {
		f->iov_cap = f->cap;
		f->iov = realloc(f->iov, f->iov_cap * sizeof(*f->iov));
		if (!f->iov)
			abort();
	}
	for (size_t i = 0; i < f->n; i++)
		f->iov[i] = (struct iovec){ f->b.p + f->part[i].off, f->part[i].len };
}

static int send_fields(struct fields *f)
{
	int err;

	make_iovecs(f);
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

/* A field's value, as JSON has it but for its nulls, which are fields
 * left out. */
static void put_value(struct fields *f, const char *key, const struct fval *v,
		      const struct field_arg *a)
{
	switch (v->type) {
	case FV_NULL:
	case FV_LIST:
		break;
	case FV_U64:
		put_u64(f, key, v->u);
		break;
	case FV_S64:
		field_begin(f);
		sbuf_puts(&f->b, key);
		sbuf_putc(&f->b, '=');
		sbuf_put_s64(&f->b, v->s);
		field_end(f);
		break;
	case FV_BOOL:
		put_bool(f, key, v->b);
		break;
	case FV_BYTES:
	case FV_TEXT:
		put_bytes(f, key, v->p, v->n);
		break;
	case FV_PUT:
	case FV_PUT_JSON:
		/* written in place; none when put writes nothing */
		field_begin(f);
		sbuf_puts(&f->b, key);
		sbuf_putc(&f->b, '=');
		if (fval_put(&f->b, v, a))
			field_end(f);
		else
			f->b.len = f->part[f->n].off;
		break;
	}
}

/* The fields after the others, the lists first of them: the first list
 * takes what the others leave, half of it at least when another list
 * follows; the next, what is left. */
static void put_tail(struct fields *f, const struct field_arg *a)
{
	const struct field_desc *tail[8];
	struct fval vals[8];
	unsigned int n = 0, lists = 0;

	for (unsigned int i = 0; i < field_ndescs; i++) {
		const struct field_desc *d = &field_descs[i];

		if (!(d->flags & F_TAIL))
			continue;
		if (n == sizeof(tail) / sizeof(tail[0]))
			abort();	/* (a new F_TAIL field wants a larger array) */
		tail[n] = d;
		/* a value points into the record, or is written when put */
		field_value(d, a, &vals[n]);
		lists += vals[n].type == FV_LIST;
		n++;
	}
	for (unsigned int i = 0, done = 0; i < n; i++) {
		const struct journal_list *l = vals[i].list;
		size_t left;
		struct argv_iter it;
		unsigned int count;

		if (vals[i].type != FV_LIST) {
			put_value(f, tail[i]->journal, &vals[i], a);
			continue;
		}
		/* a list done gives back the two fields kept for it */
		left = JOURNAL_IOVS - (LIST_TAIL_IOVS - done * 2 * FIELD_IOVS(true)) - f->iovs;
		if (++done < lists)
			left /= 2;
		argv_iter_init(&it, vals[i].p, vals[i].n);
		count = put_list(f, l->prefix, l->whole, &it, vals[i].next, left);
		put_u64(f, l->count, count);
	}
}

size_t journal_format(struct output *o, const struct exec_record *rec)
{
	struct fields *f = &jf;
	struct field_arg a = {
		.rec = rec, .ctx = record_ctx(rec), .mono_to_real_ns = o->mono_to_real_ns,
		.start_ns = o->start_ns, .journal = true,
	};
	struct fval v;
	/* an exit has a list of its own, and no tail */
	bool exit = record_is_exit(rec);
	const struct field_desc *descs = exit ? exit_field_descs : field_descs;
	unsigned int ndescs = exit ? exit_field_ndescs : field_ndescs;

	f->n = 0;
	f->iovs = 0;
	f->b.len = 0;
	output_format(o, rec);
	put_bytes(f, "MESSAGE", o->line.p, o->line.len ? o->line.len - 1 : 0);
	put_str(f, "MESSAGE_ID", record_kind(rec)->message_id);
	put_str(f, "PRIORITY", PRIORITY_EXEC);
	put_str(f, "SYSLOG_IDENTIFIER", "execmon");
	for (unsigned int i = 0; i < ndescs; i++) {
		const struct field_desc *d = &descs[i];

		if (!d->journal || (d->flags & F_TAIL))
			continue;
		field_value(d, &a, &v);
		put_value(f, d->journal, &v, &a);
	}
	if (!exit)
		put_tail(f, &a);
	return f->n;
}

const struct iovec *journal_iovecs(void)
{
	make_iovecs(&jf);
	return jf.iov;
}

int journal_exec(struct output *o, const struct exec_record *rec)
{
	journal_format(o, rec);
	return send_fields(&jf);
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
