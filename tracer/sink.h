/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* --output: the file the records are appended to, opened again on SIGHUP
 * so that a log rotation can move it away and have a new one made. */
#ifndef EXECMON_SINK_H
#define EXECMON_SINK_H

#include <stdio.h>

/* Opens path for appending, creating it with mode 0600. As root, a
 * symbolic link or a file another user owns is refused: whoever could
 * plant one could have execmon write where they cannot. Returns the
 * stream, or NULL with *why saying what is wrong and how to fix it. */
FILE *sink_open(const char *path, const char **why);

#endif
