/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --summary and --timeline: the processes that a followed command or tree
 * ran, kept from their exec and exit records, and written out at the end:
 * a tree for people, a Chrome trace for Perfetto and chrome://tracing.
 */
#ifndef EXECMON_SUMMARY_H
#define EXECMON_SUMMARY_H

#include <stdio.h>
#include "event.h"

/* Notes an exec (the process, under its parent) or an exit (its end). */
void summary_add(const struct exec_record *rec);

/* The tree: a line per process, in start order, each child under its
 * parent: "STATUS RUN-TIME  COMMAND", the command indented by depth. */
void summary_write(FILE *f);

/* The Chrome trace: a complete event ("ph":"X") per process, named by its
 * comm, ts and dur in microseconds from the first exec, its argv, exe,
 * status and parent in args. */
void summary_timeline(FILE *f);

/* Writes what --summary and --timeline ask for; 0, or -1 once said. */
int summary_finish(void);

#endif
