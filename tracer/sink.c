// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sink.h"

#define SINK_BUFFER	(1 << 16)

FILE *sink_open(const char *path, const char **why)
{
	static char text[160];
	bool root = geteuid() == 0;
	int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | (root ? O_NOFOLLOW : 0);
	struct stat st;
	FILE *f;
	int fd;

	fd = open(path, flags, 0600);
	if (fd < 0) {
		if (errno == ELOOP && root)
			*why = "it is a symbolic link, which execmon as root does not follow "
			       "(name the file it points to)";
		else if (errno == EISDIR)
			*why = "it is a directory (name a file in it)";
		else
			*why = strerror(errno);
		return NULL;
	}
	if (fstat(fd, &st)) {
		*why = strerror(errno);
		close(fd);
		return NULL;
	}
	if (root && st.st_uid != 0) {
		snprintf(text, sizeof(text), "it is owned by uid %u, not root, who could then "
			 "read or replace the trace (chown it to root, or name another file)",
			 (unsigned int)st.st_uid);
		*why = text;
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "a");
	if (!f) {
		*why = strerror(errno);
		close(fd);
		return NULL;
	}
	/* a whole buffer per write: lines stay whole unless one is longer */
	setvbuf(f, NULL, _IOFBF, SINK_BUFFER);
	return f;
}
