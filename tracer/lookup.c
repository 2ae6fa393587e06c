// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include "lookup.h"

const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);
	static char num[16];

	if (name)
		return name;
	snprintf(num, sizeof(num), "E%d", err);
	return num;
}

const char *time_text(struct time_cache *c, time_t secs, bool utc)
{
	if (!c->text[0] || c->secs != secs) {
		struct tm tm;
		size_t n = 0;

		if (utc && gmtime_r(&secs, &tm))
			n = strftime(c->text, sizeof(c->text), "%Y-%m-%dT%H:%M:%S", &tm);
		else if (!utc && localtime_r(&secs, &tm))
			n = strftime(c->text, sizeof(c->text), "%H:%M:%S", &tm);
		c->text[n] = '\0';
		c->secs = secs;
	}
	return c->text;
}

#define USER_CACHE	8
#define USER_RECHECK_S	1	/* how often /etc/passwd is looked at, at most */
#define USER_MISS_S	30	/* how long a uid is taken to have no name */

/* Whether /etc/passwd is another file than it was: useradd and its kin
 * replace it, and an edit in place changes its times or size. */
static bool passwd_changed(const struct stat *a, const struct stat *b)
{
	return a->st_ino != b->st_ino || a->st_dev != b->st_dev || a->st_size != b->st_size ||
	       a->st_mtim.tv_sec != b->st_mtim.tv_sec || a->st_mtim.tv_nsec != b->st_mtim.tv_nsec ||
	       a->st_ctim.tv_sec != b->st_ctim.tv_sec || a->st_ctim.tv_nsec != b->st_ctim.tv_nsec;
}

const char *user_name(__u32 uid)
{
	/* The last few lookups are kept: NSS is slow and execs come in runs.
	 * Users come and go while execmon runs, though: the cache is emptied
	 * when /etc/passwd changes, and a uid without a name is asked about
	 * again after a while, for the databases that are not that file. */
	static struct { __u32 uid; char name[33]; bool valid; time_t retry; } cache[USER_CACHE];
	static unsigned int next;
	static time_t next_check;
	static struct stat seen;
	struct timespec now;
	struct passwd *pw;

	/* the coarse clock is read without a system call */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if (now.tv_sec >= next_check) {
		struct stat st;

		next_check = now.tv_sec + USER_RECHECK_S;
		if (stat("/etc/passwd", &st))
			memset(&st, 0, sizeof(st));
		if (passwd_changed(&st, &seen)) {
			memset(cache, 0, sizeof(cache));
			seen = st;
		}
	}
	for (unsigned int i = 0; i < USER_CACHE; i++) {
		if (!cache[i].valid || cache[i].uid != uid)
			continue;
		if (cache[i].name[0])
			return cache[i].name;
		if (now.tv_sec < cache[i].retry)
			return NULL;
		cache[i].valid = false;	/* a miss that is due again */
	}
	pw = getpwuid(uid);
	next = (next + 1) % USER_CACHE;
	cache[next].uid = uid;
	cache[next].valid = true;
	cache[next].retry = now.tv_sec + USER_MISS_S;
	cache[next].name[0] = '\0';
	if (pw && strlen(pw->pw_name) < sizeof(cache[next].name))
		strcpy(cache[next].name, pw->pw_name);
	return cache[next].name[0] ? cache[next].name : NULL;
}
