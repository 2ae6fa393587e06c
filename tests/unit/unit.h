/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A minimal test harness: one PASS or FAIL line per check, which tests/run
 * counts; the exit status is non-zero when any check failed. A failed
 * check says what it got and what it expected, as the kernel selftests'
 * ASSERT_EQ(actual, expected, name) does, so that a failure reads without
 * a debugger. */
#ifndef EXECMON_UNIT_H
#define EXECMON_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed;

static inline void unit_fail_head(const char *name, const char *file, int line)
{
	printf("FAIL %s (%s:%d): ", name, file, line);
	unit_failed = 1;
}

/* A condition with no single value to show: the failure names it. */
#define CHECK(name, cond) do {						\
	if (cond) {							\
		printf("PASS %s\n", name);				\
	} else {							\
		unit_fail_head(name, __FILE__, __LINE__);		\
		printf("%s is false\n", #cond);				\
	}								\
} while (0)

/* Two integers, signed or not up to 64 bits: the failure shows both, in
 * decimal and in hex (flags read better so). */
#define CHECK_EQ(name, actual, expected) do {				\
	long long a_ = (long long)(actual), e_ = (long long)(expected); \
	if (a_ == e_) {							\
		printf("PASS %s\n", name);				\
	} else {							\
		unit_fail_head(name, __FILE__, __LINE__);		\
		printf("%s is %lld (0x%llx), expected %lld (0x%llx)\n",	\
		       #actual, a_, (unsigned long long)a_, e_,		\
		       (unsigned long long)e_);				\
	}								\
} while (0)

/* Two C strings; NULL is shown as such. */
#define CHECK_STREQ(name, actual, expected) do {			\
	const char *a_ = (actual), *e_ = (expected);			\
	if (a_ == e_ || (a_ && e_ && !strcmp(a_, e_))) {		\
		printf("PASS %s\n", name);				\
	} else {							\
		unit_fail_head(name, __FILE__, __LINE__);		\
		printf("%s is %s%s%s, expected %s%s%s\n", #actual,	\
		       a_ ? "\"" : "", a_ ? a_ : "NULL", a_ ? "\"" : "", \
		       e_ ? "\"" : "", e_ ? e_ : "NULL", e_ ? "\"" : ""); \
	}								\
} while (0)

/* A produced byte string (not NUL-terminated) and the expected C string. */
#define CHECK_STR(name, got, got_len, want) do {			\
	size_t wl_ = strlen(want);					\
	if ((got_len) == wl_ && !memcmp((got), (want), wl_)) {		\
		printf("PASS %s\n", name);				\
	} else {							\
		unit_fail_head(name, __FILE__, __LINE__);		\
		printf("%s is [%.*s] (%zu bytes), expected [%s] (%zu bytes)\n", \
		       #got, (int)(got_len), (const char *)(got),	\
		       (size_t)(got_len), want, wl_);			\
	}								\
} while (0)

#define UNIT_EXIT() return unit_failed

#endif
