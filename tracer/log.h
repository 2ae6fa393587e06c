/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The one way execmon says what went wrong: "execmon: " and the message on
 * stderr, lower case, naming the value, the reason and, where one helps,
 * the fix. The function that knows the cause says it, once, and returns a
 * negative errno; its callers pass that on without a second message.
 */
#ifndef EXECMON_LOG_H
#define EXECMON_LOG_H

/* For the few places that cannot call p_err(): a signal handler, which
 * may only write(2) a string made beforehand. */
#define P_PREFIX "execmon: "

void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
