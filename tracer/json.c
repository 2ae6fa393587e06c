// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include <time.h>
#include "cgroup.h"
#include "json.h"
#include "lookup.h"
#include "quote.h"

/* Printable ASCII other than '"' and '\\' goes out as it is. */
static bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

bool json_string(struct sbuf *b, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	bool exact = true;
	unsigned int cp;

	sbuf_putc(b, '"');
	for (size_t i = 0; i < n;) {
		size_t run = i, len;

		while (run < n && json_plain(s[run]))
			run++;
		if (run > i) {
			sbuf_add(b, s + i, run - i);
			i = run;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (!len) {
			sbuf_add(b, "\xef\xbf\xbd", 3);	/* U+FFFD */
			exact = false;
			i++;
			continue;
		}
		switch (cp) {
		case '"': sbuf_add(b, "\\\"", 2); break;
		case '\\': sbuf_add(b, "\\\\", 2); break;
		case '\n': sbuf_add(b, "\\n", 2); break;
		case '\t': sbuf_add(b, "\\t", 2); break;
		case '\r': sbuf_add(b, "\\r", 2); break;
		/* valid JSON raw, but not in JavaScript source */
		case 0x2028: sbuf_add(b, "\\u2028", 6); break;
		case 0x2029: sbuf_add(b, "\\u2029", 6); break;
		default:
			if (cp < 0x20 || cp == 0x7f) {
				char esc[6] = { '\\', 'u', '0', '0', hex[cp >> 4], hex[cp & 15] };

				sbuf_add(b, esc, sizeof(esc));
			} else {
				sbuf_add(b, s + i, len);
			}
		}
		i += len;
	}
	sbuf_putc(b, '"');
	return exact;
}

void base64(struct sbuf *b, const unsigned char *s, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	sbuf_putc(b, '"');
	for (size_t i = 0; i < n; i += 3) {
		unsigned int v = s[i] << 16;
		char out[4];

		if (i + 1 < n)
			v |= s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		out[0] = tab[(v >> 18) & 63];
		out[1] = tab[(v >> 12) & 63];
		out[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[3] = i + 2 < n ? tab[v & 63] : '=';
		sbuf_add(b, out, 4);
	}
	sbuf_putc(b, '"');
}

/* RFC 3339 in UTC, with nanoseconds. */
static void put_time(struct sbuf *b, __s64 real_ns)
{
	static struct time_cache utc;

	sbuf_putc(b, '"');
	sbuf_puts(b, time_text(&utc, real_ns / 1000000000, true));
	sbuf_putc(b, '.');
	sbuf_put_digits(b, real_ns % 1000000000, 9);
	sbuf_puts(b, "Z\"");
}

/* ,"key":value */
static void put_num(struct sbuf *b, const char *key, unsigned long long v)
{
	sbuf_puts(b, key);
	sbuf_put_u64(b, v);
}

/* The bytes cut; null for a cut of unknown size. */
static void put_cut(struct sbuf *b, const char *key, bool cut, unsigned long long bytes)
{
	if (cut && !bytes) {
		sbuf_puts(b, key);
		sbuf_puts(b, "null");
	} else {
		put_num(b, key, bytes);
	}
}

static bool put_args(struct sbuf *b, const struct exec_record *rec)
{
	struct argv_iter it;
	const char *arg;
	size_t len;
	bool exact = true, first = true;

	sbuf_putc(b, '[');
	argv_iter_init(&it, rec->argv, rec->argv_len);
	while (argv_next(&it, &arg, &len)) {
		if (!first)
			sbuf_putc(b, ',');
		exact &= json_string(b, arg, len);
		first = false;
	}
	sbuf_putc(b, ']');
	return exact;
}

static void put_args_b64(struct sbuf *b, const struct exec_record *rec)
{
	struct argv_iter it;
	const char *arg;
	size_t len;
	bool first = true;

	sbuf_puts(b, ",\"args_b64\":[");
	argv_iter_init(&it, rec->argv, rec->argv_len);
	while (argv_next(&it, &arg, &len)) {
		if (!first)
			sbuf_putc(b, ',');
		base64(b, (const unsigned char *)arg, len);
		first = false;
	}
	sbuf_putc(b, ']');
}

/* The major numbers of the Unix 98 pty slaves, /dev/pts/N */
#define PTS_MAJOR_FIRST	136
#define PTS_MAJOR_LAST	143

/* A name every output can show as it is (the kernel's are): else the
 * numbers are shown. */
static bool tty_name_plain(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

bool ctx_put_tty(struct sbuf *b, const struct exec_ctx *c)
{
	unsigned int major = c->tty >> 20, minor = c->tty & 0xfffff;
	size_t n = strnlen(c->tty_name, sizeof(c->tty_name));

	if (!c->tty)
		return false;
	if (major >= PTS_MAJOR_FIRST && major <= PTS_MAJOR_LAST) {
		sbuf_puts(b, "pts/");
		sbuf_put_u64(b, (major - PTS_MAJOR_FIRST) * 256 + minor);
	} else if (n && tty_name_plain(c->tty_name, n)) {
		sbuf_add(b, c->tty_name, n);
	} else {
		sbuf_put_u64(b, major);
		sbuf_putc(b, ':');
		sbuf_put_u64(b, minor);
	}
	return true;
}

bool ctx_put_exec_id(struct sbuf *b, const struct exec_record *rec)
{
	const struct exec_ctx *c = record_ctx(rec);

	if (!c)
		return false;
	sbuf_put_u64(b, rec->hdr.pid);
	sbuf_putc(b, '@');
	sbuf_put_u64(b, c->start_ns);
	return true;
}

bool ctx_put_parent_exec_id(struct sbuf *b, const struct exec_ctx *c)
{
	if (!c->nancestors)
		return false;
	sbuf_put_u64(b, c->ancestors[0].pid);
	sbuf_putc(b, '@');
	sbuf_put_u64(b, c->parent_start_ns);
	return true;
}

const char *ctx_loginuser(const struct exec_ctx *c)
{
	return c->auid == CTX_ID_UNSET ? NULL : user_name(c->auid);
}

void json_ancestors(struct sbuf *b, const struct exec_record *rec)
{
	const struct exec_ctx *c = record_ctx(rec);
	__u32 n;

	if (!c) {
		sbuf_puts(b, "null");
		return;
	}
	n = c->nancestors < ANCESTORS_MAX ? c->nancestors : ANCESTORS_MAX;
	sbuf_putc(b, '[');
	for (__u32 i = 0; i < n; i++) {
		const struct exec_ancestor *a = &c->ancestors[i];
		size_t n_comm = strnlen(a->comm, sizeof(a->comm));

		put_num(b, i ? ",{\"pid\":" : "{\"pid\":", a->pid);
		sbuf_puts(b, ",\"comm\":");
		/* the kernel cuts a comm at 15 bytes, often inside a character */
		if (!json_string(b, a->comm, n_comm)) {
			sbuf_puts(b, ",\"comm_b64\":");
			base64(b, (const unsigned char *)a->comm, n_comm);
		}
		sbuf_putc(b, '}');
	}
	sbuf_putc(b, ']');
}

/* Closes the string that the quote before start opened, or makes it a
 * null when nothing was written into it. */
static void end_text(struct sbuf *b, size_t start)
{
	if (b->len == start) {
		b->len--;
		sbuf_puts(b, "null");
	} else {
		sbuf_putc(b, '"');
	}
}

/* The ctx part's keys, each null when unknown or not captured. False
 * when pcomm's bytes had to be replaced. */
static bool put_ctx(struct sbuf *b, const struct exec_record *rec)
{
	const struct exec_ctx *c = record_ctx(rec);
	const char *login;
	size_t start;
	bool pcomm_exact = true;

	if (!c) {
		sbuf_puts(b, ",\"auid\":null,\"loginuser\":null,\"sid\":null,\"tty\":null"
			  ",\"euid\":null,\"egid\":null,\"secure\":null,\"pcomm\":null"
			  ",\"ancestors\":null,\"exec_id\":null,\"parent_exec_id\":null"
			  ",\"pidfs_ino\":null,\"nspid\":null,\"pidns\":null");
		return true;
	}
	sbuf_puts(b, ",\"auid\":");
	if (c->auid != CTX_ID_UNSET)
		sbuf_put_u64(b, c->auid);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"loginuser\":");
	login = ctx_loginuser(c);
	if (login)
		json_string(b, login, strlen(login));
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"sid\":");
	if (c->sid != CTX_ID_UNSET)
		sbuf_put_u64(b, c->sid);
	else
		sbuf_puts(b, "null");
	/* tty (the kernel's names are plain ASCII, as is ctx_put_tty's form)
	 * and the ids need no escapes */
	sbuf_puts(b, ",\"tty\":\"");
	start = b->len;
	ctx_put_tty(b, c);
	end_text(b, start);
	put_num(b, ",\"euid\":", c->euid);
	put_num(b, ",\"egid\":", c->egid);
	sbuf_puts(b, !record_has_secure(rec) ? ",\"secure\":null" :
		  rec->hdr.flags & EV_SECURE ? ",\"secure\":true" : ",\"secure\":false");
	sbuf_puts(b, ",\"pcomm\":");
	if (c->nancestors)
		pcomm_exact = json_string(b, c->ancestors[0].comm,
					  strnlen(c->ancestors[0].comm, COMM_LEN));
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"ancestors\":");
	json_ancestors(b, rec);
	sbuf_puts(b, ",\"exec_id\":\"");
	ctx_put_exec_id(b, rec);
	sbuf_puts(b, "\",\"parent_exec_id\":\"");
	start = b->len;
	ctx_put_parent_exec_id(b, c);
	end_text(b, start);
	sbuf_puts(b, ",\"pidfs_ino\":");
	if (c->pidfs_ino)
		sbuf_put_u64(b, c->pidfs_ino);
	else
		sbuf_puts(b, "null");
	put_num(b, ",\"nspid\":", c->nspid);
	put_num(b, ",\"pidns\":", c->pidns);
	return pcomm_exact;
}

/* The environment's variables as strings, as put_args; with b64, the
 * array of their exact bytes instead. */
static bool put_env(struct sbuf *b, const struct exec_record *rec, bool b64)
{
	struct argv_iter it;
	const char *var;
	size_t len;
	bool exact = true, first = true;

	sbuf_putc(b, '[');
	argv_iter_init(&it, rec->env, rec->env_len);
	while (env_next(&it, &var, &len)) {
		if (!first)
			sbuf_putc(b, ',');
		if (b64)
			base64(b, (const unsigned char *)var, len);
		else
			exact &= json_string(b, var, len);
		first = false;
	}
	sbuf_putc(b, ']');
	return exact;
}

void json_format(struct sbuf *b, const struct exec_record *rec, __s64 mono_to_real_ns)
{
	const struct event *e = &rec->hdr;
	const char *user = user_name(e->uid);
	bool comm_exact, exe_exact = true, args_exact, script_exact = true, cwd_exact = true;
	bool pcomm_exact, env_exact = true;
	size_t comm_len = strnlen(e->comm, sizeof(e->comm));
	const char *cgroup, *kind = exe_kind(rec);

	sbuf_puts(b, "{\"time\":");
	put_time(b, (__s64)e->ts_ns + mono_to_real_ns);
	put_num(b, ",\"mono_ns\":", e->ts_ns);
	put_num(b, ",\"pid\":", e->pid);
	put_num(b, ",\"ppid\":", e->ppid);
	put_num(b, ",\"uid\":", e->uid);
	put_num(b, ",\"gid\":", e->gid);
	sbuf_puts(b, ",\"user\":");
	if (user)
		json_string(b, user, strlen(user));
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"comm\":");
	comm_exact = json_string(b, e->comm, comm_len);
	sbuf_puts(b, ",\"exe\":");
	/* (a descriptor that named no file: no path at all) */
	if ((e->flags & EV_EXE_FAULT) || ((e->flags & EV_EXE_FD) && !rec->exe_len))
		sbuf_puts(b, "null");
	else
		exe_exact = json_string(b, rec->exe, rec->exe_len);
	sbuf_puts(b, ",\"args\":");
	args_exact = put_args(b, rec);
	put_cut(b, ",\"exe_truncated\":", e->flags & EV_EXE_TRUNCATED, exe_cut_bytes(rec));
	sbuf_puts(b, e->flags & EV_EXE_DELETED ? ",\"exe_deleted\":true" : ",\"exe_deleted\":false");
	sbuf_puts(b, ",\"exe_kind\":");
	if (kind) {
		sbuf_putc(b, '"');
		sbuf_puts(b, kind);
		sbuf_putc(b, '"');
	} else {
		sbuf_puts(b, "null");
	}
	sbuf_puts(b, ",\"exe_fd\":");
	if (e->flags & EV_EXE_FD)
		sbuf_put_u64(b, rec->exe_fd);
	else
		sbuf_puts(b, "null");
	put_cut(b, ",\"args_truncated\":", e->flags & EV_ARGV_TRUNCATED, argv_cut_bytes(rec));
	/* what could not be read from the process's memory at all */
	sbuf_puts(b, e->flags & EV_EXE_FAULT ? ",\"exe_unreadable\":true" : ",\"exe_unreadable\":false");
	sbuf_puts(b, e->flags & EV_ARGV_FAULT ? ",\"args_unreadable\":true" :
		  ",\"args_unreadable\":false");
	sbuf_puts(b, ",\"ret\":");
	sbuf_put_s64(b, e->ret);
	sbuf_puts(b, ",\"error\":");
	if (e->ret) {
		sbuf_putc(b, '"');
		sbuf_puts(b, errno_name(-e->ret));
		sbuf_putc(b, '"');
	} else {
		sbuf_puts(b, "null");
	}
	sbuf_puts(b, record_is_check(rec) ? ",\"check\":true" : ",\"check\":false");
	sbuf_puts(b, ",\"cwd\":");
	if (rec->cwd_len)
		cwd_exact = json_string(b, rec->cwd, rec->cwd_len);
	else
		sbuf_puts(b, "null");
	put_cut(b, ",\"cwd_truncated\":", e->flags & EV_CWD_TRUNCATED, cwd_cut_bytes(rec));
	sbuf_puts(b, !rec->cwd_len ? ",\"cwd_deleted\":null" :
		  e->flags & EV_CWD_DELETED ? ",\"cwd_deleted\":true" : ",\"cwd_deleted\":false");
	put_num(b, ",\"cgroup_id\":", e->cgroup_id);
	sbuf_puts(b, ",\"cgroup\":");
	cgroup = cgroup_path(e->cgroup_id);
	if (cgroup)
		json_string(b, cgroup, strlen(cgroup));
	else
		sbuf_puts(b, "null");
	put_num(b, ",\"mntns\":", e->mntns);
	pcomm_exact = put_ctx(b, rec);
	if (e->flags & EV_SCRIPT) {
		sbuf_puts(b, ",\"interpreter\":");
		json_string(b, rec->exe, rec->exe_len);
		sbuf_puts(b, ",\"script\":");
		script_exact = json_string(b, rec->script, rec->script_len);
	} else {
		sbuf_puts(b, ",\"interpreter\":null,\"script\":null");
	}
	sbuf_puts(b, ",\"env\":");
	if (e->flags & EV_ENV) {
		env_exact = put_env(b, rec, false);
		put_cut(b, ",\"env_truncated\":", false, env_cut_bytes(rec));
		sbuf_puts(b, e->flags & EV_ENV_FAULT ? ",\"env_unreadable\":true" :
			  ",\"env_unreadable\":false");
	} else {
		sbuf_puts(b, "null,\"env_truncated\":null,\"env_unreadable\":null");
	}
	/* the exact bytes, when the strings above had to replace some */
	if (!comm_exact) {
		sbuf_puts(b, ",\"comm_b64\":");
		base64(b, (const unsigned char *)e->comm, comm_len);
	}
	if (!exe_exact) {
		sbuf_puts(b, ",\"exe_b64\":");
		base64(b, (const unsigned char *)rec->exe, rec->exe_len);
	}
	if (!args_exact)
		put_args_b64(b, rec);
	if (!cwd_exact) {
		sbuf_puts(b, ",\"cwd_b64\":");
		base64(b, (const unsigned char *)rec->cwd, rec->cwd_len);
	}
	if (!pcomm_exact) {
		const struct exec_ancestor *parent = &record_ctx(rec)->ancestors[0];

		sbuf_puts(b, ",\"pcomm_b64\":");
		base64(b, (const unsigned char *)parent->comm, strnlen(parent->comm, COMM_LEN));
	}
	if (!script_exact) {
		sbuf_puts(b, ",\"script_b64\":");
		base64(b, (const unsigned char *)rec->script, rec->script_len);
	}
	if (!env_exact) {
		sbuf_puts(b, ",\"env_b64\":");
		put_env(b, rec, true);
	}
	sbuf_puts(b, "}\n");
}

void json_format_lost(struct sbuf *b, __u64 lost, int cpu, __s64 real_ns)
{
	put_num(b, "{\"lost\":", lost);
	sbuf_puts(b, ",\"cpu\":");
	if (cpu >= 0)
		sbuf_put_u64(b, cpu);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"time\":");
	put_time(b, real_ns);
	sbuf_puts(b, "}\n");
}
