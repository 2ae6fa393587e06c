// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include <time.h>
#include "output.h"
#include "cgroup.h"
#include "json.h"
#include "lookup.h"
#include "quote.h"
#include "width.h"

struct field_desc {
	const char *name;
	const char *header;
	int width;		/* columns, ARGS excepted */
	bool right;		/* numbers are right-aligned */
};

static const struct field_desc fields[FIELD_COUNT] = {
	[FIELD_TIME]      = { "time",      "TIME",     8,  false },
	[FIELD_TIMESTAMP] = { "timestamp", "TIME(s)",  9,  true },
	[FIELD_PID]       = { "pid",       "PID",      7,  true },
	[FIELD_PPID]      = { "ppid",      "PPID",     7,  true },
	[FIELD_UID]       = { "uid",       "UID",      6,  true },
	[FIELD_USER]      = { "user",      "USER",     8,  false },
	[FIELD_COMM]      = { "comm",      "COMM",     16, false },
	[FIELD_RET]       = { "ret",       "RET",      6,  false },
	[FIELD_CWD]       = { "cwd",       "CWD",      20, false },
	[FIELD_CGROUP]    = { "cgroup",    "CGROUP",   24, false },
	[FIELD_MNTNS]     = { "mntns",     "MNTNS",    10, true },
	[FIELD_AUID]      = { "auid",      "AUID",     6,  true },
	[FIELD_LOGINUSER] = { "loginuser", "LOGINUSER", 9, false },
	[FIELD_SID]       = { "sid",       "SID",      6,  true },
	[FIELD_TTY]       = { "tty",       "TTY",      7,  false },
	[FIELD_EUID]      = { "euid",      "EUID",     6,  true },
	[FIELD_EGID]      = { "egid",      "EGID",     6,  true },
	[FIELD_SECURE]    = { "secure",    "SECURE",   6,  false },
	[FIELD_PCOMM]     = { "pcomm",     "PCOMM",    16, false },
	[FIELD_EXEC_ID]   = { "exec_id",   "EXEC_ID",  22, false },
	[FIELD_PARENT_EXEC_ID] = { "parent_exec_id", "PARENT_EXEC_ID", 22, false },
	[FIELD_PIDFS_INO] = { "pidfs_ino", "PIDFS_INO", 9, true },
	[FIELD_NSPID]     = { "nspid",     "NSPID",    7,  true },
	[FIELD_PIDNS]     = { "pidns",     "PIDNS",    10, true },
	[FIELD_EXE_KIND]  = { "exe_kind",  "KIND",     7,  false },
	[FIELD_ENV]       = { "env",       "ENV",      0,  false },
	[FIELD_EXE]       = { "exe",       "EXEC",     24, false },
	[FIELD_ARGS]      = { "args",      "ARGS",     0,  false },
};

void output_init(struct output *o, FILE *out)
{
	memset(o, 0, sizeof(*o));
	o->out = out;
	o->header = true;
}

void output_free(struct output *o)
{
	sbuf_free(&o->line);
}

const char *field_names(void)
{
	/* the longest name is 14 bytes, and each is followed by ", " */
	static char names[FIELD_COUNT * 16];

	if (!names[0]) {
		size_t n = 0;

		for (int f = 0; f < FIELD_COUNT; f++)
			n += snprintf(names + n, sizeof(names) - n, "%s%s", f ? ", " : "",
				      fields[f].name);
	}
	return names;
}

static void add_field(struct output *o, enum field f)
{
	for (int i = 0; i < o->nfields; i++)
		if (o->fields[i] == f)
			return;
	o->fields[o->nfields++] = f;
}

const char *output_add_fields(struct output *o, char *list)
{
	char *save = NULL;

	for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		int f;

		for (f = 0; f < FIELD_COUNT; f++)
			if (!strcmp(name, fields[f].name))
				break;
		if (f == FIELD_COUNT)
			return name;
		add_field(o, f);
	}
	return NULL;
}

bool output_wants_ctx(const struct output *o)
{
	for (int i = 0; i < o->nfields; i++)
		if (o->fields[i] >= FIELD_AUID && o->fields[i] <= FIELD_PIDNS)
			return true;
	return false;
}

bool output_has_field(const struct output *o, enum field f)
{
	for (int i = 0; i < o->nfields; i++)
		if (o->fields[i] == f)
			return true;
	return false;
}

void output_insert_field(struct output *o, enum field f, enum field before)
{
	int i;

	if (output_has_field(o, f))
		return;
	for (i = 0; i < o->nfields && o->fields[i] != before; i++)
		;
	memmove(&o->fields[i + 1], &o->fields[i], (o->nfields - i) * sizeof(o->fields[0]));
	o->fields[i] = f;
	o->nfields++;
}

static void move_to_end(struct output *o, enum field f)
{
	int i;

	for (i = 0; i < o->nfields; i++)
		if (o->fields[i] == f)
			break;
	if (i < o->nfields) {
		memmove(&o->fields[i], &o->fields[i + 1], (o->nfields - i - 1) * sizeof(o->fields[0]));
		o->fields[o->nfields - 1] = f;
	}
}

void output_finish_fields(struct output *o)
{
	/* ENV and ARGS hold spaces: the columns after them could not be told
	 * apart, so they come last, the words of ENV before those of ARGS */
	move_to_end(o, FIELD_ENV);
	move_to_end(o, FIELD_ARGS);
}

/* Pads the cell that began at `start` to the field's width, then a space.
 * The width is the one the terminal shows, not the bytes: a name in CJK,
 * emoji or accents would shift the columns after it. */
static void end_cell(struct sbuf *b, size_t start, const struct field_desc *d, bool last)
{
	size_t bytes = b->len - start, w;

	if (last)
		return;
	/* the right-aligned are numbers, always ASCII */
	w = d->right ? bytes : text_width(b->p + start, bytes, d->width);
	if (w < (size_t)d->width) {
		size_t pad = d->width - w;

		if (d->right) {
			sbuf_pad(b, pad);
			memmove(b->p + start + pad, b->p + start, bytes);
			memset(b->p + start, ' ', pad);
		} else {
			sbuf_pad(b, pad);
		}
	}
	sbuf_putc(b, ' ');
}

void output_header(struct output *o)
{
	struct sbuf *b = &o->line;

	if (o->json || !o->header)
		return;
	b->len = 0;
	for (int i = 0; i < o->nfields; i++) {
		const struct field_desc *d = &fields[o->fields[i]];
		size_t start = b->len;

		sbuf_puts(b, d->header);
		end_cell(b, start, d, i == o->nfields - 1);
	}
	sbuf_putc(b, '\n');
	fwrite(b->p, 1, b->len, o->out);
}

static void put_user(struct sbuf *b, __u32 uid)
{
	const char *name = user_name(uid);

	if (name)
		shell_quote(b, name, strlen(name));
	else
		sbuf_put_u64(b, uid);
}

/* A cut is marked with its size, when known. In a path the mark has no
 * space, [+N-bytes-cut]: a column that is one word stays one, for awk. */
static void put_cut(struct sbuf *b, __u64 cut, char space)
{
	if (!cut) {
		sbuf_puts(b, "[cut]");
		return;
	}
	sbuf_puts(b, "[+");
	sbuf_put_u64(b, cut);
	sbuf_putc(b, space);
	sbuf_puts(b, "bytes");
	sbuf_putc(b, space);
	sbuf_puts(b, "cut]");
}

static void put_args(struct sbuf *b, const struct exec_record *rec)
{
	struct argv_iter it;
	const char *arg;
	size_t len;
	bool first = true;
	__u64 cut = argv_cut_bytes(rec);

	argv_iter_init(&it, rec->argv, rec->argv_len);
	while (argv_next(&it, &arg, &len)) {
		if (!first)
			sbuf_putc(b, ' ');
		shell_quote(b, arg, len);
		first = false;
	}
	/* '[' is never left bare by the quoting, so this cannot be an argument */
	if (!cut && !(rec->hdr.flags & (EV_ARGV_TRUNCATED | EV_ARGV_FAULT)))
		return;
	if (!first)
		sbuf_putc(b, ' ');
	if (cut || (rec->hdr.flags & EV_ARGV_TRUNCATED))
		put_cut(b, cut, ' ');
	else
		sbuf_puts(b, "[argv unreadable]");
}

/* The mark is on the side that was cut: a resolved path keeps its end, and
 * the path a failed exec asked for keeps its start. The quoting never leaves
 * a '[' bare, so the mark cannot be taken for a part of the path. */
/* The kernel's " (deleted)", without the space that would split the
 * column: "(" is never left bare, so this cannot be part of a name. */
static void put_deleted(struct sbuf *b, bool deleted)
{
	if (deleted)
		sbuf_puts(b, "(deleted)");
}

/* The variables, as ARGS's words, then the cut as argv's; "-" when none
 * is left (an empty environment, or none of --env's names). */
static void put_env(struct sbuf *b, const struct exec_record *rec)
{
	struct argv_iter it;
	const char *var;
	size_t len;
	bool first = true;
	__u64 cut = env_cut_bytes(rec);

	argv_iter_init(&it, rec->env, rec->env_len);
	while (env_next(&it, &var, &len)) {
		if (!first)
			sbuf_putc(b, ' ');
		shell_quote(b, var, len);
		first = false;
	}
	if (rec->hdr.flags & (EV_ENV_TRUNCATED | EV_ENV_FAULT)) {
		if (!first)
			sbuf_putc(b, ' ');
		if (rec->hdr.flags & EV_ENV_FAULT)
			sbuf_puts(b, "[env unreadable]");
		else
			put_cut(b, cut, ' ');
	} else if (first) {
		sbuf_putc(b, '-');
	}
}

static void put_exe(struct sbuf *b, const struct exec_record *rec)
{
	__u32 flags = rec->hdr.flags;
	/* a resolved path was cut at its front; the one asked for, at its end */
	bool cut = flags & EV_EXE_TRUNCATED, at_end = record_exe_asked(rec);

	/* a file asked for by descriptor: the descriptor, then the file it
	 * named, if any */
	if (flags & EV_EXE_FD)
		sbuf_printf(b, "[fd:%u]", rec->exe_fd);
	if (cut && !at_end)
		put_cut(b, exe_cut_bytes(rec), '-');
	/* '?' only for what could not be read: an empty path asked for is '' */
	if (flags & EV_EXE_FAULT)
		sbuf_putc(b, '?');
	else if (rec->exe_len || !(flags & EV_EXE_FD))
		shell_quote(b, rec->exe, rec->exe_len);
	if (cut && at_end)
		put_cut(b, exe_cut_bytes(rec), '-');
	/* a file that never had a name is not shown as one that lost it */
	if (flags & EV_EXE_MEMFD)
		sbuf_puts(b, "(memfd)");
	else if (flags & EV_EXE_ANON)
		sbuf_puts(b, "(anon)");
	else
		put_deleted(b, flags & EV_EXE_DELETED);
}

/* A field of the ctx part, "-" when unknown or not captured. */
static void put_ctx_field(struct sbuf *b, enum field f, const struct exec_record *rec)
{
	const struct exec_ctx *c = record_ctx(rec);
	size_t start = b->len;
	const char *s;

	if (c) {
		switch (f) {
		case FIELD_AUID:
			if (c->auid != CTX_ID_UNSET)
				sbuf_put_u64(b, c->auid);
			break;
		case FIELD_LOGINUSER:
			s = ctx_loginuser(c);
			if (s)
				shell_quote(b, s, strlen(s));
			break;
		case FIELD_SID:
			if (c->sid != CTX_ID_UNSET)
				sbuf_put_u64(b, c->sid);
			break;
		case FIELD_TTY:
			ctx_put_tty(b, c);
			break;
		case FIELD_EUID:
			sbuf_put_u64(b, c->euid);
			break;
		case FIELD_EGID:
			sbuf_put_u64(b, c->egid);
			break;
		case FIELD_SECURE:
			/* a failed exec never got so far as to decide; a check
			 * decides nothing */
			if (record_has_secure(rec))
				sbuf_puts(b, rec->hdr.flags & EV_SECURE ? "yes" : "no");
			break;
		case FIELD_PCOMM:
			if (c->nancestors)
				shell_quote(b, c->ancestors[0].comm,
					    strnlen(c->ancestors[0].comm, COMM_LEN));
			break;
		case FIELD_EXEC_ID:
			ctx_put_exec_id(b, rec);
			break;
		case FIELD_PARENT_EXEC_ID:
			ctx_put_parent_exec_id(b, c);
			break;
		case FIELD_PIDFS_INO:
			if (c->pidfs_ino)
				sbuf_put_u64(b, c->pidfs_ino);
			break;
		case FIELD_NSPID:
			sbuf_put_u64(b, c->nspid);
			break;
		case FIELD_PIDNS:
			sbuf_put_u64(b, c->pidns);
			break;
		default:
			break;
		}
	}
	if (b->len == start)
		sbuf_putc(b, '-');
}

static void put_field(struct output *o, enum field f, const struct exec_record *rec)
{
	struct sbuf *b = &o->line;
	const struct event *e = &rec->hdr;

	switch (f) {
	case FIELD_TIME: {
		static struct time_cache local;
		time_t secs = (time_t)((__s64)e->ts_ns + o->mono_to_real_ns) / 1000000000;

		sbuf_puts(b, time_text(&local, secs, false));
		break;
	}
	case FIELD_TIMESTAMP:
		sbuf_printf(b, "%.3f", e->ts_ns >= o->start_ns ?
			    (double)(e->ts_ns - o->start_ns) / 1e9 : 0.0);
		break;
	case FIELD_PID:
		sbuf_put_u64(b, e->pid);
		break;
	case FIELD_PPID:
		sbuf_put_u64(b, e->ppid);
		break;
	case FIELD_UID:
		sbuf_put_u64(b, e->uid);
		break;
	case FIELD_USER:
		put_user(b, e->uid);
		break;
	case FIELD_COMM:
		shell_quote(b, e->comm, strnlen(e->comm, sizeof(e->comm)));
		break;
	case FIELD_RET:
		/* a check ran nothing: its outcome is not an exec's */
		if (record_is_check(rec))
			sbuf_puts(b, e->ret ? "check:" : "check");
		if (e->ret)
			sbuf_puts(b, errno_name(-e->ret));
		else if (!record_is_check(rec))
			sbuf_putc(b, '0');
		break;
	case FIELD_CWD:
		if (rec->cwd_len) {
			if (e->flags & EV_CWD_TRUNCATED)
				put_cut(b, cwd_cut_bytes(rec), '-');
			shell_quote(b, rec->cwd, rec->cwd_len);
			put_deleted(b, e->flags & EV_CWD_DELETED);
		} else {
			sbuf_putc(b, '-');
		}
		break;
	case FIELD_CGROUP: {
		const char *path = cgroup_path(e->cgroup_id);

		if (path)
			shell_quote(b, path, strlen(path));
		else
			sbuf_put_u64(b, e->cgroup_id);
		break;
	}
	case FIELD_MNTNS:
		sbuf_put_u64(b, e->mntns);
		break;
	case FIELD_AUID:
	case FIELD_LOGINUSER:
	case FIELD_SID:
	case FIELD_TTY:
	case FIELD_EUID:
	case FIELD_EGID:
	case FIELD_SECURE:
	case FIELD_PCOMM:
	case FIELD_EXEC_ID:
	case FIELD_PARENT_EXEC_ID:
	case FIELD_PIDFS_INO:
	case FIELD_NSPID:
	case FIELD_PIDNS:
		put_ctx_field(b, f, rec);
		break;
	case FIELD_EXE_KIND: {
		const char *kind = exe_kind(rec);

		sbuf_puts(b, kind ? kind : "-");
		break;
	}
	case FIELD_ENV:
		if (e->flags & EV_ENV)
			put_env(b, rec);
		else
			sbuf_putc(b, '-');
		break;
	case FIELD_EXE:
		put_exe(b, rec);
		break;
	case FIELD_ARGS:
		put_args(b, rec);
		break;
	case FIELD_COUNT:
		break;
	}
}

void output_format(struct output *o, const struct exec_record *rec)
{
	struct sbuf *b = &o->line;

	b->len = 0;
	if (o->json) {
		json_format(b, rec, o->mono_to_real_ns);
		return;
	}
	for (int i = 0; i < o->nfields; i++) {
		size_t start = b->len;

		put_field(o, o->fields[i], rec);
		end_cell(b, start, &fields[o->fields[i]], i == o->nfields - 1);
	}
	sbuf_putc(b, '\n');
}

void output_event(struct output *o, const struct exec_record *rec)
{
	output_format(o, rec);
	fwrite_unlocked(o->line.p, 1, o->line.len, o->out);
}

void output_lost(struct output *o, __u64 lost, int cpu, __s64 real_ns)
{
	struct sbuf *b = &o->line;

	b->len = 0;
	if (o->json) {
		json_format_lost(b, lost, cpu, real_ns);
	} else {
		static struct time_cache utc;

		sbuf_puts(b, "[lost ");
		sbuf_put_u64(b, lost);
		sbuf_puts(b, " events");
		if (cpu >= 0) {
			sbuf_puts(b, " on CPU ");
			sbuf_put_u64(b, cpu);
		}
		sbuf_puts(b, ", ");
		sbuf_puts(b, time_text(&utc, real_ns / 1000000000, true));
		sbuf_puts(b, "Z]\n");
	}
	fwrite_unlocked(b->p, 1, b->len, o->out);
}
