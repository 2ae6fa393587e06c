/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* --journal: each exec one entry of the systemd journal, with every field
 * of the JSON record as a native field (EXECMON_PID=, ...) and argv as
 * EXECMON_ARG0=, EXECMON_ARG1=, ... with their exact bytes. */
#ifndef EXECMON_JOURNAL_H
#define EXECMON_JOURNAL_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>
#include "output.h"

/* The socket journald listens on, as libsystemd sends to it. */
#define JOURNAL_SOCKET	"/run/systemd/journal/socket"

/* 0 when journald can be reached, else a negative errno. */
int journal_check(void);

/* True for the errors (positive) that say journald is gone: nothing
 * listens on its socket, or the socket is no more. */
bool journal_gone(int err);

/* One exec, MESSAGE= being o's table line. 0 or a negative errno: an
 * entry that journald is too slow to take is sent again until it is. */
int journal_exec(struct output *o, const struct exec_record *rec);

/* What journal_exec sends, without sending it: the number of fields, then
 * journal_iovecs() for them (KEY=bytes each), valid until the next call. */
size_t journal_format(struct output *o, const struct exec_record *rec);
const struct iovec *journal_iovecs(void);

/* A loss (cpu < 0: not known) seen at real_ns, with a MESSAGE_ID of its own. */
int journal_lost(__u64 lost, int cpu, __s64 real_ns);

#endif
