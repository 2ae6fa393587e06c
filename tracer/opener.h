/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A CPU that comes online, or back, needs perf events of its own, and
 * opening them needs the privileges execmon drops once tracing runs. A
 * child forked before the drop keeps them for that one thing: it reads a
 * CPU number, opens that CPU's ring and bell, stores them in the BPF side's
 * maps and passes the two fds back. It ends when execmon closes its end.
 */
#ifndef EXECMON_OPENER_H
#define EXECMON_OPENER_H

#include <stddef.h>
#include <sys/types.h>

struct opener {
	pid_t pid;	/* 0 when not running */
	int sock;
};

int opener_start(struct opener *o, int map_fd, int bell_map_fd, size_t pages);
/* As reader_open_cpu(), through the child. Returns 0 or -errno. */
int opener_open(struct opener *o, int cpu, int fds[2]);
void opener_stop(struct opener *o);

#endif
