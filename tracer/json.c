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

/* The string's characters, escaped, without the quotes around them. */
static inline __attribute__((always_inline)) bool json_escape(struct sbuf *b, const char *str,
							      size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	bool exact = true;
	unsigned int cp;

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
	return exact;
}

bool json_string(struct sbuf *b, const char *s, size_t n)
{
	bool exact;

	sbuf_putc(b, '"');
	exact = json_escape(b, s, n);
	sbuf_putc(b, '"');
	return exact;
}

bool json_chars(struct sbuf *b, const char *s, size_t n)
{
	return json_escape(b, s, n);
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
void json_time(struct sbuf *b, __s64 real_ns)
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
	__u64 start_ns;

	/* an exit carries its process's start in its own part */
	if (c)
		start_ns = c->start_ns;
	else if (record_is_exit(rec))
		start_ns = rec->exited.start_ns;
	else
		return false;
	sbuf_put_u64(b, rec->hdr.pid);
	sbuf_putc(b, '@');
	sbuf_put_u64(b, start_ns);
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

void json_format_lost(struct sbuf *b, __u64 lost, int cpu, __s64 real_ns)
{
	put_num(b, "{\"event\":\"lost\",\"lost\":", lost);
	sbuf_puts(b, ",\"cpu\":");
	if (cpu >= 0)
		sbuf_put_u64(b, cpu);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"time\":");
	json_time(b, real_ns);
	sbuf_puts(b, "}\n");
}
