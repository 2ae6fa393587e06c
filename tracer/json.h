/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* JSON lines: one object per exec, always valid UTF-8. */
#ifndef EXECMON_JSON_H
#define EXECMON_JSON_H

#include <stdbool.h>
#include "output.h"

/* Appends s[0..n) as a JSON string. Bytes that are not valid UTF-8 become
 * U+FFFD; returns false when that happened. */
bool json_string(struct sbuf *b, const char *s, size_t n);
void base64(struct sbuf *b, const unsigned char *s, size_t n);

/* Formats one exec into o->line as a JSON object and a newline. */
void json_format(struct output *o, const struct exec_record *rec);

#endif
