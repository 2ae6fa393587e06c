/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --hash: the SHA-256 of the file each exec ran, read in userspace by one
 * worker thread and kept in a cache keyed by the identity the kernel read
 * at the exec (device, inode, size, change time), so that a program run a
 * million times is read once.
 */
#ifndef EXECMON_HASH_H
#define EXECMON_HASH_H

#include <linux/types.h>
#include "event.h"

/* How long a record waits for its file's digest before it is written
 * with exe_hash_error "timeout"; the digest goes on being computed, and
 * the next exec of that file finds it. */
#define HASH_WAIT_MS		100
/* How long a file that could not be hashed keeps its reason before an
 * exec of it has it read again (a later process may reach it where an
 * earlier one could not). */
#define HASH_RETRY_MS		1000
/* Files whose digest is remembered; the oldest is forgotten first. */
#define HASH_CACHE_ENTRIES	4096
/* Files waiting for the worker; a miss past these is a "timeout" too. */
#define HASH_QUEUE		256

struct hash_result {
	char hex[65];		/* lowercase, when error is NULL */
	const char *error;	/* "changed", "gone", "timeout", ... */
	bool none;		/* no file to hash (a failed exec, a check, an exit), or no --hash */
};

/* --hash: digests are taken from now on; without it, every record has none. */
void hash_enable(void);

/* rec's file's digest, or why there is none; waits at most HASH_WAIT_MS.
 * The result is rec's until the next call for another record. */
const struct hash_result *hash_of(const struct exec_record *rec);

struct hash_stats {
	__u64 hashed;		/* files read to the end */
	__u64 hits;		/* execs whose digest was already known */
	__u64 timeouts;		/* records written before their digest */
	__u64 failed;		/* files that could not be hashed */
};
void hash_stats(struct hash_stats *st);

#endif
