/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Follow mode: a command execmon starts, or a running process tree. */
#ifndef EXECMON_FOLLOW_H
#define EXECMON_FOLLOW_H

#include <signal.h>
#include <sys/types.h>

struct follow {
	pid_t pid;		/* the command, or the root of --tree */
	int go_fd;		/* the command execs when this is written */
	int pidfd;		/* readable once pid has exited */
	int status;		/* the command's wait status */
};

/*
 * Forks the command, which waits until follow_release() before it execs,
 * so that none of its execs happens before tracing is on. If execmon goes
 * away first, the command exits with status 127 without running.
 */
int follow_spawn(struct follow *f, char **argv);
int follow_release(struct follow *f);

/* Watches an existing process (--tree): sets f->pidfd. */
int follow_watch(struct follow *f, pid_t pid);

/* Calls add() for root and every process now below it, from /proc. */
void follow_descendants(pid_t root, void (*add)(void *ctx, pid_t pid), void *ctx);

/* Once f->pidfd is readable: the command's exit status as a shell gives it
 * (128 + the signal when killed); 0 for a --tree root. */
int follow_exit_code(struct follow *f);

/* Waits for the command to end, unless *stop is set by a signal: its exit
 * code as above, or -1. */
int follow_wait(struct follow *f, volatile sig_atomic_t *stop);

#endif
