/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* --output: the file the records are appended to, opened again on SIGHUP
 * so that a log rotation can move it away and have a new one made. */
#ifndef EXECMON_SINK_H
#define EXECMON_SINK_H

#include <signal.h>
#include <stdio.h>

/* Opens path for appending, creating it with mode 0600. As root, a
 * symbolic link or a file another user owns is refused: whoever could
 * plant one could have execmon write where they cannot. A FIFO without a
 * reader is waited for while stop is given and *stop is not set. Returns
 * the stream, or NULL with *why saying what is wrong and how to fix it,
 * or NULL for *why when *stop was set while waiting. */
FILE *sink_open(const char *path, const volatile sig_atomic_t *stop, const char **why);

/* After a write error: the file opened last is cut back to its last
 * whole record, what was not written yet is dropped, and the stream is
 * closed. Returns a stream that writes nowhere, for what comes after. */
FILE *sink_cut(FILE *f);

#endif
