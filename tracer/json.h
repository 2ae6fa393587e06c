/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* JSON lines: one object per exec, always valid UTF-8. */
#ifndef EXECMON_JSON_H
#define EXECMON_JSON_H

#include <stdbool.h>
#include <linux/types.h>
#include "event.h"
#include "sbuf.h"

/* Appends s[0..n) as a JSON string. Bytes that are not valid UTF-8 become
 * U+FFFD; returns false when that happened. */
bool json_string(struct sbuf *b, const char *s, size_t n);
/* The same without the quotes: a part of a string. */
bool json_chars(struct sbuf *b, const char *s, size_t n);
/* A time as a JSON string: RFC 3339 in UTC, with nanoseconds. */
void json_time(struct sbuf *b, __s64 real_ns);
void base64(struct sbuf *b, const unsigned char *s, size_t n);

/* What the ctx part holds, in the forms every output shows: each false
 * (and b untouched) when it is unknown. */
/* The controlling terminal as ps shows it: pts/3, tty1, ttyS0. */
bool ctx_put_tty(struct sbuf *b, const struct exec_ctx *c);
/* The process's exec_id, PID@START (START its start, nanoseconds since boot). */
bool ctx_put_exec_id(struct sbuf *b, const struct exec_record *rec);
/* The parent's, the same way. */
bool ctx_put_parent_exec_id(struct sbuf *b, const struct exec_ctx *c);
/* The login uid's name: NULL when unset or unknown. */
const char *ctx_loginuser(const struct exec_ctx *c);

/* The ancestors of the ctx part, as JSON's "ancestors" holds them:
 * [{"pid":N,"comm":"..."},...], parent first; null without the part. */
void json_ancestors(struct sbuf *b, const struct exec_record *rec);

/* Appends a loss as a JSON object and a newline: {"lost":N,"cpu":k,"time":...},
 * cpu null (cpu < 0) when the kernel could not tell where. */
void json_format_lost(struct sbuf *b, __u64 lost, int cpu, __s64 real_ns);

#endif
