// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "fields.h"
#include "cgroup.h"
#include "hash.h"
#include "json.h"
#include "lookup.h"
#include "quote.h"
#include "width.h"

/* The setters a value function ends with. */
static void none(struct fval *v)
{
	v->type = FV_NULL;
}

static void u64(struct fval *v, __u64 u)
{
	v->type = FV_U64;
	v->u = u;
}

static void boolean(struct fval *v, bool b)
{
	v->type = FV_BOOL;
	v->b = b;
}

static void bytes(struct fval *v, const char *p, size_t n)
{
	v->type = FV_BYTES;
	v->p = p;
	v->n = n;
}

static void cstr(struct fval *v, const char *s)
{
	if (s)
		bytes(v, s, strlen(s));
	else
		none(v);
}

/* A value that put writes where it goes: no copy through a scratch
 * buffer, and nothing but the writing itself for a text. */
static void put(struct fval *v, void (*fn)(struct sbuf *, const struct field_arg *),
		enum fval_type type)
{
	v->type = type;
	v->put = fn;
}

static void list(struct fval *v, const char *p, size_t n,
		 bool (*next)(struct argv_iter *, const char **, size_t *),
		 const struct journal_list *names)
{
	v->type = FV_LIST;
	v->p = p;
	v->n = n;
	v->next = next;
	v->list = names;
}

/* The bytes cut off: null for a cut of unknown size. */
static void cut(struct fval *v, bool truncated, __u64 n)
{
	if (truncated && !n)
		none(v);
	else
		u64(v, n);
}

#define HDR(a)	(&(a)->rec->hdr)

/* A string, or null when there is none (or it is empty). */
static void text(struct fval *v, const char *s)
{
	if (s && *s) {
		v->type = FV_TEXT;
		v->p = s;
		v->n = strlen(s);
	} else {
		none(v);
	}
}

/* What the record is: its kind's name, "exec", "exit", "failed", "check". */
static void v_event(struct fval *v, const struct field_arg *a)
{
	text(v, record_kind(a->rec)->name);
}

/* An exit record's: the status as wait(2) gives it, and the rest. */
#define EXITED(a)	(&(a)->rec->exited)
#define EXIT_SIGNAL(st)	((st) & 0x7f)

const char *signal_name(int sig)
{
	static char names[65][16];
	const char *abbrev;

	if (sig <= 0 || sig > 64)
		return NULL;
	if (!names[sig][0]) {
		abbrev = sigabbrev_np(sig);
		if (abbrev)
			snprintf(names[sig], sizeof(names[sig]), "SIG%s", abbrev);
		else
			snprintf(names[sig], sizeof(names[sig]), "SIG%d", sig);
	}
	return names[sig];
}

static void v_exit_code(struct fval *v, const struct field_arg *a)
{
	__u32 st = EXITED(a)->status;

	if (EXIT_SIGNAL(st))
		none(v);
	else
		u64(v, (st >> 8) & 0xff);
}

static void v_signal(struct fval *v, const struct field_arg *a)
{
	text(v, signal_name(EXIT_SIGNAL(EXITED(a)->status)));
}

static void v_core_dumped(struct fval *v, const struct field_arg *a)
{
	boolean(v, EXITED(a)->status & 0x80);
}

/* from its last traced exec to its end */
static void v_duration_ns(struct fval *v, const struct field_arg *a)
{
	__u64 exec_ns = EXITED(a)->exec_ns;

	u64(v, HDR(a)->ts_ns > exec_ns ? HDR(a)->ts_ns - exec_ns : 0);
}

static void v_run_ns(struct fval *v, const struct field_arg *a) { u64(v, EXITED(a)->run_ns); }

/* The user part of the exact run time, in the proportion of the sampled
 * times, as wait4 and getrusage give it (the kernel's cputime_adjust);
 * all of it user when nothing was sampled. */
static __u64 exit_utime(const struct exit_info *x)
{
	__u64 sampled = x->utime_ns + x->stime_ns;

	if (!sampled)
		return x->runtime_ns;
	if (!x->stime_ns)
		return x->runtime_ns;
	if (!x->utime_ns)
		return 0;
	return (__u64)((unsigned __int128)x->runtime_ns * x->utime_ns / sampled);
}

static void v_utime_ns(struct fval *v, const struct field_arg *a)
{
	u64(v, exit_utime(EXITED(a)));
}

static void v_stime_ns(struct fval *v, const struct field_arg *a)
{
	u64(v, EXITED(a)->runtime_ns - exit_utime(EXITED(a)));
}

static void v_maxrss_kb(struct fval *v, const struct field_arg *a)
{
	static long page_kb;

	if (!page_kb)
		page_kb = sysconf(_SC_PAGESIZE) / 1024;
	u64(v, EXITED(a)->maxrss_pages * page_kb);
}

/* The table's RET of an exit: exit:3, exit:SIGTERM, exit:SIGSEGV+core. */
static void put_exit_status(struct sbuf *b, const struct field_arg *a)
{
	__u32 st = EXITED(a)->status;

	sbuf_puts(b, "exit:");
	if (EXIT_SIGNAL(st))
		sbuf_puts(b, signal_name(EXIT_SIGNAL(st)));
	else
		sbuf_put_u64(b, (st >> 8) & 0xff);
	if (st & 0x80)
		sbuf_puts(b, "+core");
}

static void put_seconds(struct sbuf *b, const char *label, __u64 ns)
{
	sbuf_puts(b, label);
	sbuf_printf(b, "%llu.%03llus", (unsigned long long)(ns / 1000000000),
		    (unsigned long long)(ns / 1000000 % 1000));
}

/* The ARGS of an exit: what it took, in a '[' that no argument starts. */
static void put_exit_usage(struct sbuf *b, const struct field_arg *a)
{
	struct fval v;

	v_duration_ns(&v, a);
	put_seconds(b, "[ran ", v.u);
	put_seconds(b, " user ", exit_utime(EXITED(a)));
	put_seconds(b, " sys ", EXITED(a)->runtime_ns - exit_utime(EXITED(a)));
	v_maxrss_kb(&v, a);
	sbuf_puts(b, " maxrss ");
	sbuf_put_u64(b, v.u);
	sbuf_puts(b, "kB]");
}

/* RFC 3339 in UTC, with nanoseconds. */
static void p_time(struct sbuf *t, const struct field_arg *a)
{
	static struct time_cache utc;
	__s64 real_ns = (__s64)HDR(a)->ts_ns + a->mono_to_real_ns;

	sbuf_puts(t, time_text(&utc, real_ns / 1000000000, true));
	sbuf_putc(t, '.');
	sbuf_put_digits(t, real_ns % 1000000000, 9);
	sbuf_putc(t, 'Z');
}

static void v_time(struct fval *v, const struct field_arg *a)
{
	put(v, p_time, FV_PUT);
}

static void c_time(struct sbuf *b, const struct field_arg *a)
{
	static struct time_cache local;
	time_t secs = (time_t)((__s64)HDR(a)->ts_ns + a->mono_to_real_ns) / 1000000000;

	sbuf_puts(b, time_text(&local, secs, false));
}

static void c_timestamp(struct sbuf *b, const struct field_arg *a)
{
	__u64 ts = HDR(a)->ts_ns;

	sbuf_printf(b, "%.3f", ts >= a->start_ns ? (double)(ts - a->start_ns) / 1e9 : 0.0);
}

static void v_mono_ns(struct fval *v, const struct field_arg *a) { u64(v, HDR(a)->ts_ns); }
static void v_pid(struct fval *v, const struct field_arg *a) { u64(v, HDR(a)->pid); }
static void v_ppid(struct fval *v, const struct field_arg *a) { u64(v, HDR(a)->ppid); }
static void v_uid(struct fval *v, const struct field_arg *a) { u64(v, HDR(a)->uid); }
static void v_gid(struct fval *v, const struct field_arg *a) { u64(v, HDR(a)->gid); }
static void v_user(struct fval *v, const struct field_arg *a) { cstr(v, user_name(HDR(a)->uid)); }

/* A table cell that is a name when there is one, else the number. */
static void cell_name_or_id(struct sbuf *b, const char *name, __u64 id)
{
	if (name)
		shell_quote(b, name, strlen(name));
	else
		sbuf_put_u64(b, id);
}

static void c_user(struct sbuf *b, const struct field_arg *a)
{
	cell_name_or_id(b, user_name(HDR(a)->uid), HDR(a)->uid);
}

static void v_comm(struct fval *v, const struct field_arg *a)
{
	bytes(v, HDR(a)->comm, strnlen(HDR(a)->comm, sizeof(HDR(a)->comm)));
}

/* (a descriptor that named no file: no path at all) */
static void v_exe(struct fval *v, const struct field_arg *a)
{
	const struct exec_record *rec = a->rec;

	if ((rec->hdr.flags & EV_EXE_FAULT) || ((rec->hdr.flags & EV_EXE_FD) && !rec->exe_len))
		none(v);
	else
		bytes(v, rec->exe, rec->exe_len);
}

/* A cut is marked with its size, when known. In a path the mark has no
 * space, [+N-bytes-cut]: a column that is one word stays one, for awk. */
static void put_cut(struct sbuf *b, __u64 n, char space)
{
	if (!n) {
		sbuf_puts(b, "[cut]");
		return;
	}
	sbuf_puts(b, "[+");
	sbuf_put_u64(b, n);
	sbuf_putc(b, space);
	sbuf_puts(b, "bytes");
	sbuf_putc(b, space);
	sbuf_puts(b, "cut]");
}

/* The kernel's " (deleted)", without the space that would split the
 * column: "(" is never left bare, so this cannot be part of a name. */
static void put_deleted(struct sbuf *b, bool deleted)
{
	if (deleted)
		sbuf_puts(b, "(deleted)");
}

/* The mark is on the side that was cut: a resolved path keeps its end, and
 * the path a failed exec asked for keeps its start. The quoting never leaves
 * a '[' bare, so the mark cannot be taken for a part of the path. */
static inline __attribute__((always_inline)) void c_exe(struct sbuf *b, const struct field_arg *a)
{
	const struct exec_record *rec = a->rec;
	__u32 flags = rec->hdr.flags;
	/* a resolved path was cut at its front; the one asked for, at its end */
	bool truncated = flags & EV_EXE_TRUNCATED, at_end = record_exe_asked(rec);

	if (record_is_exit(rec)) {
		sbuf_putc(b, '-');
		return;
	}
	/* a file asked for by descriptor: the descriptor, then the file it
	 * named, if any */
	if (flags & EV_EXE_FD)
		sbuf_printf(b, "[fd:%u]", rec->exe_fd);
	if (truncated && !at_end)
		put_cut(b, exe_cut_bytes(rec), '-');
	/* '?' only for what could not be read: an empty path asked for is '' */
	if (flags & EV_EXE_FAULT)
		sbuf_putc(b, '?');
	else if (rec->exe_len || !(flags & EV_EXE_FD))
		shell_quote(b, rec->exe, rec->exe_len);
	if (truncated && at_end)
		put_cut(b, exe_cut_bytes(rec), '-');
	if (flags & (EV_EXE_MEMFD | EV_EXE_ANON | EV_EXE_DELETED))
		sbuf_puts(b, exe_kind_marks[exe_kind_of(flags)]);
}

static const struct journal_list args_list = { "EXECMON_ARG", "EXECMON_CMDLINE", "EXECMON_ARGC" };
static const struct journal_list env_list = { "EXECMON_ENV", "EXECMON_ENVIRON", "EXECMON_ENVC" };

static void v_args(struct fval *v, const struct field_arg *a)
{
	list(v, a->rec->argv, a->rec->argv_len, argv_next, &args_list);
}

/* The words of a list, shell-quoted, and a mark for what is missing; "-"
 * when there is nothing at all and empty says so. */
static inline __attribute__((always_inline)) bool put_words(struct sbuf *b, const struct fval *v)
{
	struct argv_iter it;
	const char *s;
	size_t len;
	bool first = true;

	argv_iter_init(&it, v->p, v->n);
	while (v->next(&it, &s, &len)) {
		if (!first)
			sbuf_putc(b, ' ');
		shell_quote(b, s, len);
		first = false;
	}
	return first;
}

static inline __attribute__((always_inline)) void c_args(struct sbuf *b, const struct field_arg *a)
{
	const struct exec_record *rec = a->rec;
	__u64 n = argv_cut_bytes(rec);
	struct fval v;
	bool empty;

	if (record_is_exit(rec)) {
		put_exit_usage(b, a);
		return;
	}
	v_args(&v, a);
	empty = put_words(b, &v);
	/* '[' is never left bare by the quoting, so this cannot be an argument */
	if (!n && !(rec->hdr.flags & (EV_ARGV_TRUNCATED | EV_ARGV_FAULT)))
		return;
	if (!empty)
		sbuf_putc(b, ' ');
	if (n || (rec->hdr.flags & EV_ARGV_TRUNCATED))
		put_cut(b, n, ' ');
	else
		sbuf_puts(b, "[argv unreadable]");
}

static void v_exe_truncated(struct fval *v, const struct field_arg *a)
{
	cut(v, HDR(a)->flags & EV_EXE_TRUNCATED, exe_cut_bytes(a->rec));
}

static void v_exe_deleted(struct fval *v, const struct field_arg *a)
{
	boolean(v, HDR(a)->flags & EV_EXE_DELETED);
}

static void v_exe_kind(struct fval *v, const struct field_arg *a)
{
	text(v, exe_kind(a->rec));
}

static void v_exe_fd(struct fval *v, const struct field_arg *a)
{
	if (HDR(a)->flags & EV_EXE_FD)
		u64(v, a->rec->exe_fd);
	else
		none(v);
}

static void v_args_truncated(struct fval *v, const struct field_arg *a)
{
	cut(v, HDR(a)->flags & EV_ARGV_TRUNCATED, argv_cut_bytes(a->rec));
}

/* what could not be read from the process's memory at all */
static void v_exe_unreadable(struct fval *v, const struct field_arg *a)
{
	boolean(v, HDR(a)->flags & EV_EXE_FAULT);
}

static void v_args_unreadable(struct fval *v, const struct field_arg *a)
{
	boolean(v, HDR(a)->flags & EV_ARGV_FAULT);
}

static void v_ret(struct fval *v, const struct field_arg *a)
{
	v->type = FV_S64;
	v->s = HDR(a)->ret;
}

/* A kind whose outcome is not an exec's says so: "check", "check:EACCES". */
static void c_ret(struct sbuf *b, const struct field_arg *a)
{
	const struct exec_record *rec = a->rec;
	const char *label = record_kind(rec)->ret_label;

	if (record_is_exit(rec)) {
		put_exit_status(b, a);
		return;
	}
	if (label) {
		sbuf_puts(b, label);
		if (rec->hdr.ret)
			sbuf_putc(b, ':');
	}
	if (rec->hdr.ret)
		sbuf_puts(b, errno_name(-rec->hdr.ret));
	else if (!label)
		sbuf_putc(b, '0');
}

static void v_error(struct fval *v, const struct field_arg *a)
{
	text(v, HDR(a)->ret ? errno_name(-HDR(a)->ret) : NULL);
}

static void v_check(struct fval *v, const struct field_arg *a)
{
	boolean(v, record_is_check(a->rec));
}

static void v_cwd(struct fval *v, const struct field_arg *a)
{
	if (a->rec->cwd_len)
		bytes(v, a->rec->cwd, a->rec->cwd_len);
	else
		none(v);
}

static void c_cwd(struct sbuf *b, const struct field_arg *a)
{
	const struct exec_record *rec = a->rec;

	if (!rec->cwd_len) {
		sbuf_putc(b, '-');
		return;
	}
	if (rec->hdr.flags & EV_CWD_TRUNCATED)
		put_cut(b, cwd_cut_bytes(rec), '-');
	shell_quote(b, rec->cwd, rec->cwd_len);
	put_deleted(b, rec->hdr.flags & EV_CWD_DELETED);
}

/* The journal has no cut without a cwd; JSON has its 0. */
static void v_cwd_truncated(struct fval *v, const struct field_arg *a)
{
	if (a->journal && !a->rec->cwd_len)
		none(v);
	else
		cut(v, HDR(a)->flags & EV_CWD_TRUNCATED, cwd_cut_bytes(a->rec));
}

static void v_cwd_deleted(struct fval *v, const struct field_arg *a)
{
	if (a->rec->cwd_len)
		boolean(v, HDR(a)->flags & EV_CWD_DELETED);
	else
		none(v);
}

static void v_cgroup_id(struct fval *v, const struct field_arg *a) { u64(v, HDR(a)->cgroup_id); }
static void v_cgroup(struct fval *v, const struct field_arg *a) { cstr(v, cgroup_path(HDR(a)->cgroup_id)); }

/* The path when known, else the id. */
static void c_cgroup(struct sbuf *b, const struct field_arg *a)
{
	cell_name_or_id(b, cgroup_path(HDR(a)->cgroup_id), HDR(a)->cgroup_id);
}

static void v_mntns(struct fval *v, const struct field_arg *a) { u64(v, HDR(a)->mntns); }

/* The container and pod, from the cgroup's path: plain ASCII, or null. */

static void v_container_id(struct fval *v, const struct field_arg *a)
{
	const struct container *ct = cgroup_container(HDR(a)->cgroup_id);

	text(v, ct ? ct->id : NULL);
}

/* The table shows the first 12 hex digits, as docker ps does. */
static void c_container_id(struct sbuf *b, const struct field_arg *a)
{
	const struct container *ct = cgroup_container(HDR(a)->cgroup_id);

	if (ct && ct->id[0])
		sbuf_add(b, ct->id, CONTAINER_SHORT_LEN);
	else
		sbuf_putc(b, '-');
}

static void v_container_runtime(struct fval *v, const struct field_arg *a)
{
	const struct container *ct = cgroup_container(HDR(a)->cgroup_id);

	text(v, ct ? ct->runtime : NULL);
}

static void v_pod_uid(struct fval *v, const struct field_arg *a)
{
	const struct container *ct = cgroup_container(HDR(a)->cgroup_id);

	text(v, ct ? ct->pod_uid : NULL);
}

/* The executed file's identity, as the kernel read it at the exec: null
 * without it (a failed exec has no file, and it is read only when asked). */
#define EXE_ID_NUMBER(k, expr)							\
static void v_##k(struct fval *v, const struct field_arg *a)			\
{										\
	if (HDR(a)->flags & EV_EXE_ID)						\
		u64(v, expr);							\
	else									\
		none(v);							\
}
EXE_ID_NUMBER(exe_ino, HDR(a)->exe_ino)
EXE_ID_NUMBER(exe_size, HDR(a)->exe_size)

/* MAJOR:MINOR, as the kernel splits its dev_t and ls -l shows it */
static void p_exe_dev(struct sbuf *t, const struct field_arg *a)
{
	if (!(HDR(a)->flags & EV_EXE_ID))
		return;
	sbuf_put_u64(t, HDR(a)->exe_dev >> 20);
	sbuf_putc(t, ':');
	sbuf_put_u64(t, HDR(a)->exe_dev & 0xfffff);
}

static void v_exe_dev(struct fval *v, const struct field_arg *a)
{
	put(v, p_exe_dev, FV_PUT);
}

/* RFC 3339 in UTC with nanoseconds, as the time field */
static void put_file_time(struct sbuf *t, struct time_cache *c, __s64 secs, __u32 nsec)
{
	sbuf_puts(t, time_text(c, secs, true));
	sbuf_putc(t, '.');
	sbuf_put_digits(t, nsec % 1000000000, 9);
	sbuf_putc(t, 'Z');
}

static void p_exe_mtime(struct sbuf *t, const struct field_arg *a)
{
	static struct time_cache utc;

	if (HDR(a)->flags & EV_EXE_ID)
		put_file_time(t, &utc, HDR(a)->exe_mtime_sec, HDR(a)->exe_mtime_nsec);
}

static void p_exe_ctime(struct sbuf *t, const struct field_arg *a)
{
	static struct time_cache utc;

	if (HDR(a)->flags & EV_EXE_ID)
		put_file_time(t, &utc, HDR(a)->exe_ctime_sec, HDR(a)->exe_ctime_nsec);
}

static void v_exe_mtime(struct fval *v, const struct field_arg *a)
{
	put(v, p_exe_mtime, FV_PUT);
}

static void v_exe_ctime(struct fval *v, const struct field_arg *a)
{
	put(v, p_exe_ctime, FV_PUT);
}

/* --hash: the file's SHA-256, or why there is none; both null without
 * --hash, and for a record that ran no file. */
static void v_exe_sha256(struct fval *v, const struct field_arg *a)
{
	const struct hash_result *r = hash_of(a->rec);

	text(v, r->none || r->error ? NULL : r->hex);
}

static void v_exe_hash_error(struct fval *v, const struct field_arg *a)
{
	const struct hash_result *r = hash_of(a->rec);

	text(v, r->none ? NULL : r->error);
}

/* The ctx part's: each null when unknown or not captured. A plain number
 * is ctx->KEY, and null when it is UNSET (CTX_NUMBER_UNLESS). */
#define CTX_NUMBER_IF(k, known)							\
static void v_##k(struct fval *v, const struct field_arg *a)			\
{										\
	if (a->ctx && (known))							\
		u64(v, a->ctx->k);						\
	else									\
		none(v);							\
}
#define CTX_NUMBER(k)			CTX_NUMBER_IF(k, true)
#define CTX_NUMBER_UNLESS(k, unset)	CTX_NUMBER_IF(k, a->ctx->k != (unset))
CTX_NUMBER_UNLESS(auid, CTX_ID_UNSET)
CTX_NUMBER_UNLESS(sid, CTX_ID_UNSET)
CTX_NUMBER(euid)
CTX_NUMBER(egid)
CTX_NUMBER_UNLESS(pidfs_ino, 0)		/* 0 without pidfs */
CTX_NUMBER(nspid)
CTX_NUMBER(pidns)

static void v_loginuser(struct fval *v, const struct field_arg *a)
{
	cstr(v, a->ctx ? ctx_loginuser(a->ctx) : NULL);
}

/* the kernel's names are plain ASCII, as is ctx_put_tty's form */
static void p_tty(struct sbuf *t, const struct field_arg *a)
{
	ctx_put_tty(t, a->ctx);
}

static void v_tty(struct fval *v, const struct field_arg *a)
{
	put(v, p_tty, FV_PUT);
}

/* a failed exec never got so far as to decide; a check decides nothing */
static void v_secure(struct fval *v, const struct field_arg *a)
{
	if (a->ctx && record_has_secure(a->rec))
		boolean(v, HDR(a)->flags & EV_SECURE);
	else
		none(v);
}

static void v_pcomm(struct fval *v, const struct field_arg *a)
{
	if (a->ctx && a->ctx->nancestors)
		bytes(v, a->ctx->ancestors[0].comm, strnlen(a->ctx->ancestors[0].comm, COMM_LEN));
	else
		none(v);
}

/* a JSON array in the journal too: a comm may hold any byte */
static void p_ancestors(struct sbuf *t, const struct field_arg *a)
{
	json_ancestors(t, a->rec);
}

static void v_ancestors(struct fval *v, const struct field_arg *a)
{
	put(v, p_ancestors, FV_PUT_JSON);
}

static void p_exec_id(struct sbuf *t, const struct field_arg *a)
{
	ctx_put_exec_id(t, a->rec);
}

static void v_exec_id(struct fval *v, const struct field_arg *a)
{
	put(v, p_exec_id, FV_PUT);
}

static void p_parent_exec_id(struct sbuf *t, const struct field_arg *a)
{
	ctx_put_parent_exec_id(t, a->ctx);
}

static void v_parent_exec_id(struct fval *v, const struct field_arg *a)
{
	put(v, p_parent_exec_id, FV_PUT);
}

/* A #! script: the interpreter ran, by the name in exe. */
static void v_interpreter(struct fval *v, const struct field_arg *a)
{
	if (HDR(a)->flags & EV_SCRIPT)
		bytes(v, a->rec->exe, a->rec->exe_len);
	else
		none(v);
}

static void v_script(struct fval *v, const struct field_arg *a)
{
	if (HDR(a)->flags & EV_SCRIPT)
		bytes(v, a->rec->script, a->rec->script_len);
	else
		none(v);
}

static void v_env(struct fval *v, const struct field_arg *a)
{
	if (HDR(a)->flags & EV_ENV)
		list(v, a->rec->env, a->rec->env_len, env_next, &env_list);
	else
		none(v);
}

/* The variables, as ARGS's words, then the cut as argv's; "-" when none
 * is left (an empty environment, or none of --env's names). */
static void c_env(struct sbuf *b, const struct field_arg *a)
{
	const struct exec_record *rec = a->rec;
	struct fval v;
	bool empty;

	v_env(&v, a);
	if (v.type == FV_NULL) {
		sbuf_putc(b, '-');
		return;
	}
	empty = put_words(b, &v);
	if (rec->hdr.flags & (EV_ENV_TRUNCATED | EV_ENV_FAULT)) {
		if (!empty)
			sbuf_putc(b, ' ');
		if (rec->hdr.flags & EV_ENV_FAULT)
			sbuf_puts(b, "[env unreadable]");
		else
			put_cut(b, env_cut_bytes(rec), ' ');
	} else if (empty) {
		sbuf_putc(b, '-');
	}
}

static void v_env_truncated(struct fval *v, const struct field_arg *a)
{
	if (HDR(a)->flags & EV_ENV)
		u64(v, env_cut_bytes(a->rec));
	else
		none(v);
}

static void v_env_unreadable(struct fval *v, const struct field_arg *a)
{
	if (HDR(a)->flags & EV_ENV)
		boolean(v, HDR(a)->flags & EV_ENV_FAULT);
	else
		none(v);
}

/*
 * Every field, in JSON's order (the journal's too, F_TAIL last):
 *   C(key, column, header, width, align, journal, flags, cell): a column of
 *     the table named as its JSON key; cell, its own cell or NULL
 *   K(key, journal, flags): a key of JSON and a field of the journal only
 *   T(column, name, header, width, align, cell): a column of the table only
 * A key's value is v_KEY; journal NULL for a list, whose names its value
 * has.
 */
#define FIELDS(C, K, T)	FIELDS_HEAD(C, K, T) FIELDS_CTX(C, K, T) FIELDS_TAIL(C, K, T)

/* The ctx part's fields, F_CTX, together (FIELDS_CTX, in fields.h, where
 * they make their columns too): JSON writes them all as null at once
 * without it. */
#define FIELDS_HEAD(C, K, T)								\
	K(event, "EXECMON_EVENT", 0)							\
	C(time, FIELD_TIME, "TIME", 8, LEFT, "EXECMON_TIME", 0, c_time)			\
	T(FIELD_TIMESTAMP, "timestamp", "TIME(s)", 9, RIGHT, c_timestamp)		\
	K(mono_ns, "EXECMON_MONO_NS", 0)						\
	C(pid, FIELD_PID, "PID", 7, RIGHT, "EXECMON_PID", 0, NULL)			\
	C(ppid, FIELD_PPID, "PPID", 7, RIGHT, "EXECMON_PPID", F_PPID, NULL)		\
	C(uid, FIELD_UID, "UID", 6, RIGHT, "EXECMON_UID", 0, NULL)			\
	K(gid, "EXECMON_GID", 0)							\
	C(user, FIELD_USER, "USER", 8, LEFT, "EXECMON_USER", 0, c_user)			\
	C(comm, FIELD_COMM, "COMM", 16, LEFT, "EXECMON_COMM", F_B64, NULL)		\
	C(exe, FIELD_EXE, "EXEC", 24, LEFT, "EXECMON_EXE", F_B64, c_exe)		\
	C(args, FIELD_ARGS, "ARGS", 0, LEFT, NULL, F_B64 | F_TAIL, c_args)		\
	K(exe_truncated, "EXECMON_EXE_TRUNCATED", 0)					\
	K(exe_deleted, "EXECMON_EXE_DELETED", 0)					\
	C(exe_kind, FIELD_EXE_KIND, "KIND", 7, LEFT, "EXECMON_EXE_KIND", 0, NULL)	\
	K(exe_fd, "EXECMON_EXE_FD", 0)							\
	C(exe_dev, FIELD_EXE_DEV, "DEV", 7, LEFT, "EXECMON_EXE_DEV", F_EXE_ID, NULL)	\
	C(exe_ino, FIELD_EXE_INO, "INO", 10, RIGHT, "EXECMON_EXE_INO", F_EXE_ID, NULL)	\
	C(exe_size, FIELD_EXE_SIZE, "SIZE", 10, RIGHT, "EXECMON_EXE_SIZE", F_EXE_ID, NULL) \
	C(exe_mtime, FIELD_EXE_MTIME, "MTIME", 30, LEFT, "EXECMON_EXE_MTIME", F_EXE_ID, NULL) \
	C(exe_ctime, FIELD_EXE_CTIME, "CTIME", 30, LEFT, "EXECMON_EXE_CTIME", F_EXE_ID, NULL) \
	C(exe_sha256, FIELD_EXE_SHA256, "SHA256", 64, LEFT, "EXECMON_EXE_SHA256", F_EXE_ID, NULL) \
	K(exe_hash_error, "EXECMON_EXE_HASH_ERROR", F_EXE_ID)				\
	K(args_truncated, "EXECMON_ARGS_TRUNCATED", 0)					\
	K(exe_unreadable, "EXECMON_EXE_UNREADABLE", 0)					\
	K(args_unreadable, "EXECMON_ARGS_UNREADABLE", 0)				\
	C(ret, FIELD_RET, "RET", 6, LEFT, "EXECMON_RET", 0, c_ret)			\
	K(error, "EXECMON_ERROR", 0)							\
	K(check, "EXECMON_CHECK", 0)							\
	C(cwd, FIELD_CWD, "CWD", 20, LEFT, "EXECMON_CWD", F_B64, c_cwd)			\
	K(cwd_truncated, "EXECMON_CWD_TRUNCATED", 0)					\
	K(cwd_deleted, "EXECMON_CWD_DELETED", 0)					\
	K(cgroup_id, "EXECMON_CGROUP_ID", F_CGROUP_MNTNS)				\
	C(cgroup, FIELD_CGROUP, "CGROUP", 24, LEFT, "EXECMON_CGROUP", F_CGROUP_MNTNS,	\
	  c_cgroup)									\
	C(mntns, FIELD_MNTNS, "MNTNS", 10, RIGHT, "EXECMON_MNTNS", F_CGROUP_MNTNS, NULL) \
	C(container_id, FIELD_CONTAINER_ID, "CONTAINER", 12, LEFT, "EXECMON_CONTAINER_ID", \
	  F_CGROUP_MNTNS, c_container_id)						\
	C(container_runtime, FIELD_CONTAINER_RUNTIME, "RUNTIME", 10, LEFT,		\
	  "EXECMON_CONTAINER_RUNTIME", F_CGROUP_MNTNS, NULL)				\
	C(pod_uid, FIELD_POD_UID, "POD_UID", 36, LEFT, "EXECMON_POD_UID", F_CGROUP_MNTNS, NULL)

#define FIELDS_TAIL(C, K, T)								\
	K(interpreter, "EXECMON_INTERPRETER", 0)					\
	K(script, "EXECMON_SCRIPT", F_B64)						\
	C(env, FIELD_ENV, "ENV", 0, LEFT, NULL, F_B64 | F_TAIL, c_env)			\
	K(env_truncated, "EXECMON_ENV_TRUNCATED", F_TAIL)				\
	K(env_unreadable, "EXECMON_ENV_UNREADABLE", F_TAIL)

/*
 * An exit record's fields (--exits), in JSON's order: a few of an exec's,
 * then its own (FIELDS_EXIT_ONLY). The same forms as FIELDS; an exit is
 * written from this list alone, so that an exec carries none of these.
 */
#define FIELDS_EXIT(C, K, T)	FIELDS_EXIT_COMMON(C, K, T) FIELDS_EXIT_ONLY(C, K, T)
#define FIELDS_EXIT_COMMON(C, K, T)							\
	K(event, "EXECMON_EVENT", 0)							\
	K(time, "EXECMON_TIME", 0)							\
	K(mono_ns, "EXECMON_MONO_NS", 0)						\
	K(pid, "EXECMON_PID", 0)							\
	K(ppid, "EXECMON_PPID", 0)							\
	K(uid, "EXECMON_UID", 0)							\
	K(gid, "EXECMON_GID", 0)							\
	K(user, "EXECMON_USER", 0)							\
	K(comm, "EXECMON_COMM", F_B64)							\
	K(exec_id, "EXECMON_EXEC_ID", 0)						\
	K(cgroup_id, "EXECMON_CGROUP_ID", 0)						\
	K(cgroup, "EXECMON_CGROUP", 0)							\
	K(mntns, "EXECMON_MNTNS", 0)
#define FIELDS_EXIT_ONLY(C, K, T)							\
	K(exit_code, "EXECMON_EXIT_CODE", 0)						\
	K(signal, "EXECMON_SIGNAL", 0)							\
	K(core_dumped, "EXECMON_CORE_DUMPED", 0)					\
	K(duration_ns, "EXECMON_DURATION_NS", 0)					\
	K(run_ns, "EXECMON_RUN_NS", 0)							\
	K(utime_ns, "EXECMON_UTIME_NS", 0)						\
	K(stime_ns, "EXECMON_STIME_NS", 0)						\
	K(maxrss_kb, "EXECMON_MAXRSS_KB", 0)

#define LEFT	false
#define RIGHT	true

#define DESC_C(k, col, hdr, w, r, j, fl, c)					\
	{ .column = col, .name = #k, .header = hdr, .width = w, .right = r,	\
	  .key = #k, .journal = j, .flags = fl, .value = v_##k, .cell = c },
#define DESC_K(k, j, fl)							\
	{ .column = FIELD_NONE, .key = #k, .journal = j, .flags = fl, .value = v_##k },
#define DESC_T(col, nm, hdr, w, r, c)						\
	{ .column = col, .name = nm, .header = hdr, .width = w, .right = r, .cell = c },

const struct field_desc field_descs[] = { FIELDS(DESC_C, DESC_K, DESC_T) };
const unsigned int field_ndescs = sizeof(field_descs) / sizeof(field_descs[0]);
const struct field_desc exit_field_descs[] = { FIELDS_EXIT(DESC_C, DESC_K, DESC_T) };
const unsigned int exit_field_ndescs = sizeof(exit_field_descs) / sizeof(exit_field_descs[0]);

/* Each field's place in field_descs, as IDX_key. */
#define IDX_C(k, ...)		IDX_##k,
#define IDX_K(k, ...)		IDX_##k,
#define IDX_T(col, ...)		IDX_##col,
enum { FIELDS(IDX_C, IDX_K, IDX_T) FIELD_NDESCS };
/* (an exit's own keys have no _b64, and no place in field_descs) */
enum { IDX_EXIT_BEFORE_ = FIELD_NDESCS - 1, FIELDS_EXIT_ONLY(IDX_C, IDX_K, IDX_T) };

/* F_CTX is exactly the fields of FIELDS_CTX. */
#define CTX_OUT_C(k, col, hdr, w, r, j, fl, c)	+ !!((fl) & F_CTX)
#define CTX_OUT_K(k, j, fl)			+ !!((fl) & F_CTX)
#define CTX_IN_C(k, col, hdr, w, r, j, fl, c)	+ !((fl) & F_CTX)
#define CTX_IN_K(k, j, fl)			+ !((fl) & F_CTX)
#define CTX_NONE_T(...)
_Static_assert(0 FIELDS_HEAD(CTX_OUT_C, CTX_OUT_K, CTX_NONE_T)
	       FIELDS_TAIL(CTX_OUT_C, CTX_OUT_K, CTX_NONE_T) == 0, "F_CTX outside FIELDS_CTX");
_Static_assert(0 FIELDS_CTX(CTX_IN_C, CTX_IN_K, CTX_NONE_T) == 0, "FIELDS_CTX without F_CTX");

/* JSON marks the keys that need a _b64 in one 64-bit word. */
_Static_assert(FIELD_NDESCS <= 64, "more fields than fields_json's mask");

/* The items of a list as a JSON array: strings, or with b64 the base64 of
 * their exact bytes. False when a string had to replace some. */
static bool json_list(struct sbuf *b, const struct fval *v, bool b64)
{
	struct argv_iter it;
	const char *s;
	size_t len;
	bool exact = true, first = true;

	sbuf_putc(b, '[');
	argv_iter_init(&it, v->p, v->n);
	while (v->next(&it, &s, &len)) {
		if (!first)
			sbuf_putc(b, ',');
		if (b64)
			base64(b, (const unsigned char *)s, len);
		else
			exact &= json_string(b, s, len);
		first = false;
	}
	sbuf_putc(b, ']');
	return exact;
}

/* A value as JSON writes it, after its key: false when a string had to
 * replace some bytes. (JSON_K writes a null, true or false with its key.) Inlined
 * with each field's value function, it comes down to the code for the
 * types that function gives. */
static inline __attribute__((always_inline)) bool json_value(struct sbuf *b, const struct fval *v,
							     const struct field_arg *a)
{
	switch (v->type) {
	case FV_NULL:
		sbuf_puts(b, "null");
		break;
	case FV_U64:
		sbuf_put_u64(b, v->u);
		break;
	case FV_S64:
		sbuf_put_s64(b, v->s);
		break;
	case FV_BOOL:
		sbuf_puts(b, v->b ? "true" : "false");
		break;
	case FV_BYTES:
		return json_string(b, v->p, v->n);
	case FV_TEXT:
		sbuf_putc(b, '"');
		sbuf_add(b, v->p, v->n);
		sbuf_putc(b, '"');
		break;
	case FV_PUT:
		sbuf_putc(b, '"');
		if (fval_put(b, v, a)) {
			sbuf_putc(b, '"');
		} else {
			b->len--;
			sbuf_puts(b, "null");
		}
		break;
	case FV_PUT_JSON:
		if (!fval_put(b, v, a))
			sbuf_puts(b, "null");
		break;
	case FV_LIST:
		return json_list(b, v, false);
	}
	return true;
}

/* One key and its value, written out in line for each field, so that no
 * field costs a call through a pointer or a test of its type: the value
 * function's type is known where it is inlined. */
#define JSON_LIT(lit)	sbuf_add(b, lit, sizeof(lit) - 1)
#define JSON_K(k, j, fl) {						\
	struct fval v;								\
										\
	v_##k(&v, a);								\
	/* a null, true or false goes out with its key, as one string */	\
	if (v.type == FV_NULL) {						\
		JSON_LIT(",\"" #k "\":null");					\
	} else if (v.type == FV_BOOL) {						\
		if (v.b)							\
			JSON_LIT(",\"" #k "\":true");				\
		else								\
			JSON_LIT(",\"" #k "\":false");				\
	} else {								\
		JSON_LIT(",\"" #k "\":");					\
		/* (an exit's own keys, past the mask, have no F_B64) */	\
		if (!json_value(b, &v, a) && ((fl) & F_B64))			\
			inexact |= 1ULL << ((fl) & F_B64 ? IDX_##k : 0);	\
	}									\
}
#define JSON_C(k, col, hdr, w, r, j, fl, c)	JSON_K(k, j, fl)
#define JSON_T(...)

/* Every key of the ctx part, null: JSON's when it was not captured. */
#define NULL_K(k, j, fl)			",\"" #k "\":null"
#define NULL_C(k, col, hdr, w, r, j, fl, c)	NULL_K(k, j, fl)
static const char ctx_nulls[] = FIELDS_CTX(NULL_C, NULL_K, JSON_T);

/* The exact bytes of the fields in inexact, whose strings above had to
 * replace some, then the object's end. */
static void json_end(struct sbuf *b, const struct field_arg *a, __u64 inexact)
{
	for (unsigned int i = 0; inexact && i < field_ndescs; i++) {
		const struct field_desc *d = &field_descs[i];
		struct fval v = { .type = FV_NULL };

		if (!(inexact & (1ULL << i)))
			continue;
		sbuf_puts(b, ",\"");
		sbuf_puts(b, d->key);
		sbuf_puts(b, "_b64\":");
		field_value(d, a, &v);
		fields_json_b64(b, &v);
	}
	sbuf_puts(b, "}\n");
}

bool fields_json_value(struct sbuf *b, const struct fval *v, const struct field_arg *a)
{
	return json_value(b, v, a);
}

void fields_json_b64(struct sbuf *b, const struct fval *v)
{
	if (v->type == FV_LIST)
		json_list(b, v, true);
	else
		base64(b, (const unsigned char *)v->p, v->n);
}

static void fields_json_exit(struct sbuf *b, const struct field_arg *a)
{
	size_t start = b->len;
	__u64 inexact = 0;

	FIELDS_EXIT(JSON_C, JSON_K, JSON_T)
	b->p[start] = '{';
	json_end(b, a, inexact);
}

__attribute__((flatten)) void fields_json(struct sbuf *b, const struct field_arg *a)
{
	size_t start = b->len;
	__u64 inexact = 0;	/* the fields that need their _b64 */

	if (record_is_exit(a->rec)) {
		fields_json_exit(b, a);
		return;
	}
	FIELDS_HEAD(JSON_C, JSON_K, JSON_T)
	if (a->ctx) {
		FIELDS_CTX(JSON_C, JSON_K, JSON_T)
	} else {
		sbuf_add(b, ctx_nulls, sizeof(ctx_nulls) - 1);
	}
	FIELDS_TAIL(JSON_C, JSON_K, JSON_T)
	b->p[start] = '{';	/* for the first key's comma */
	json_end(b, a, inexact);
}


const struct field_desc *field_columns[FIELD_COUNT];

/* The columns' index, made before main. */
__attribute__((constructor)) static void index_columns(void)
{
	for (unsigned int i = 0; i < field_ndescs; i++)
		if (field_descs[i].column != FIELD_NONE)
			field_columns[field_descs[i].column] = &field_descs[i];
}

enum field field_by_name(const char *name)
{
	for (int f = 0; f < FIELD_COUNT; f++)
		if (!strcmp(name, field_columns[f]->name))
			return f;
	return FIELD_NONE;
}

const char *field_names(void)
{
	/* the longest name is 14 bytes, and each is followed by ", " */
	static char names[FIELD_COUNT * 16];

	if (!names[0]) {
		size_t n = 0;

		for (int f = 0; f < FIELD_COUNT; f++)
			n += snprintf(names + n, sizeof(names) - n, "%s%s", f ? ", " : "",
				      field_columns[f]->name);
	}
	return names;
}

/* A value as the table shows it ("-" for none). */
static inline __attribute__((always_inline)) void cell_value(struct sbuf *b, const struct fval *v,
							     const struct field_arg *a)
{
	switch (v->type) {
	case FV_U64:
		sbuf_put_u64(b, v->u);
		break;
	case FV_S64:
		sbuf_put_s64(b, v->s);
		break;
	case FV_BOOL:
		sbuf_puts(b, v->b ? "yes" : "no");
		break;
	case FV_BYTES:
		shell_quote(b, v->p, v->n);
		break;
	case FV_TEXT:
		sbuf_add(b, v->p, v->n);
		break;
	case FV_PUT:
		if (!fval_put(b, v, a))
			sbuf_putc(b, '-');
		break;
	/* a list or JSON column has a cell of its own */
	case FV_NULL:
	case FV_PUT_JSON:
	case FV_LIST:
		sbuf_putc(b, '-');
		break;
	}
}

/* Each column's cell, in line: its cell function, else its value. */
#define CELL_C(k, col, hdr, w, r, j, fl, c)					\
	case col: {								\
		void (*cell)(struct sbuf *, const struct field_arg *) = c;	\
		struct fval v;							\
										\
		if (cell) {							\
			cell(b, a);						\
		} else if (((fl) & F_CTX) && !a->ctx) {				\
			sbuf_putc(b, '-');					\
		} else {							\
			v_##k(&v, a);						\
			cell_value(b, &v, a);					\
		}								\
		break;								\
	}
#define CELL_K(...)
#define CELL_T(col, nm, hdr, w, r, c)	case col: c(b, a); break;

static inline __attribute__((always_inline))
void field_cell(enum field f, const struct field_arg *a, struct sbuf *b)
{
	switch (f) {
	FIELDS(CELL_C, CELL_K, CELL_T)
	case FIELD_NONE:
		break;
	}
}

/* Pads the cell that began at `start` to the field's width, then a space.
 * The width is the one the terminal shows, not the bytes: a name in CJK,
 * emoji or accents would shift the columns after it. */
void field_end_cell(struct sbuf *b, size_t start, const struct field_desc *d, bool last)
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

/* In one function with the cells', so that a cell costs no call. */
void fields_table(struct sbuf *b, const struct exec_record *rec, __s64 mono_to_real_ns,
		  __u64 start_ns, const enum field *cols, int n)
{
	const struct field_arg arg = {
		.rec = rec, .ctx = record_ctx(rec), .mono_to_real_ns = mono_to_real_ns,
		.start_ns = start_ns,
	}, *a = &arg;

	for (int i = 0; i < n; i++) {
		size_t start = b->len;

		field_cell(cols[i], a, b);
		field_end_cell(b, start, field_column(cols[i]), i == n - 1);
	}
	sbuf_putc(b, '\n');
}
