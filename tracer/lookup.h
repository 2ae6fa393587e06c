/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What both the table and JSON print of an exec's numbers: a user's name,
 * an error's name, a time; each kept from one exec to the next, as execs
 * come many to a second. */
#ifndef EXECMON_LOOKUP_H
#define EXECMON_LOOKUP_H

#include <stdbool.h>
#include <time.h>
#include <linux/types.h>

/* ENOENT for 2; E<number> when the C library has no name for it. */
const char *errno_name(int err);
/* A user's name, from a small cache; NULL when the uid has none. */
const char *user_name(__u32 uid);

/* secs as an RFC 3339 date and time in UTC (to the second), or as the
 * local time of day; each cache formats once a second. */
struct time_cache {
	time_t secs;
	char text[32];
};
const char *time_text(struct time_cache *c, time_t secs, bool utc);

#endif
