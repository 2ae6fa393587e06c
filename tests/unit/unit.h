/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A minimal test harness: one PASS or FAIL line per check, which tests/run
 * counts; the exit status is non-zero when any check failed. */
#ifndef EXECMON_UNIT_H
#define EXECMON_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed;

#define CHECK(name, cond) do {						\
	if (cond) {							\
		printf("PASS %s\n", name);				\
	} else {							\
		printf("FAIL %s (%s:%d: %s)\n", name, __FILE__, __LINE__, #cond); \
		unit_failed = 1;					\
	}								\
} while (0)

/* Compares a produced byte string with the expected C string. */
#define CHECK_STR(name, got, got_len, want) do {			\
	size_t wl_ = strlen(want);					\
	if ((got_len) == wl_ && !memcmp((got), (want), wl_)) {		\
		printf("PASS %s\n", name);				\
	} else {							\
		printf("FAIL %s: got [%.*s] want [%s]\n", name,		\
		       (int)(got_len), (const char *)(got), want);	\
		unit_failed = 1;					\
	}								\
} while (0)

#define UNIT_EXIT() return unit_failed

#endif
