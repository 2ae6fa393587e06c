// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sink.h"

#define SINK_BUFFER	(1 << 16)
/* how often a FIFO is tried again for a reader */
#define FIFO_RETRY_NS	(50 * 1000000L)

/* where the records of the file opened last begin: a cut never goes
 * further back */
static off_t sink_start;
/* the same file for reading, where it may be read (-1 where not): the
 * records' descriptor is write-only, as the file may be */
static int sink_rfd = -1;

/* A FIFO without a reader blocks open() for writing, and a signal then
 * would only restart it (SA_RESTART): it is opened without blocking, and
 * tried again until a reader comes or *stop is set, the signals that set
 * it let in only while waiting. */
static int open_waiting(const char *path, int flags, const volatile sig_atomic_t *stop)
{
	const struct timespec retry = { .tv_nsec = FIFO_RETRY_NS };
	sigset_t block, old;
	struct stat st;
	int fd, err;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	while ((fd = open(path, flags | O_NONBLOCK, 0600)) < 0 && errno == ENXIO && stop && !*stop &&
	       !stat(path, &st) && S_ISFIFO(st.st_mode))
		ppoll(NULL, 0, &retry, &old);
	err = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd >= 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)) {
		err = errno;
		close(fd);
		fd = -1;
	}
	errno = err;
	return fd;
}

/* A file that ends in half a line (a crash, another writer) gets a newline
 * first, so that the first record is a line of its own. */
static int end_line(int fd, const struct stat *st)
{
	char last;

	if (sink_rfd < 0 || !st->st_size)
		return 0;
	if (pread(sink_rfd, &last, 1, st->st_size - 1) != 1)
		return -1;
	if (last != '\n' && write(fd, "\n", 1) != 1)
		return -1;
	return 0;
}

FILE *sink_open(const char *path, const volatile sig_atomic_t *stop, const char **why)
{
	static char text[160];
	bool root = geteuid() == 0;
	int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | (root ? O_NOFOLLOW : 0);
	struct stat st;
	FILE *f;
	int fd;

	fd = open_waiting(path, flags, stop);
	if (fd < 0 && stop && *stop) {
		*why = NULL;
		return NULL;
	}
	if (fd < 0) {
		if (errno == ENXIO && !stat(path, &st) && S_ISFIFO(st.st_mode))
			*why = "it is a FIFO that nothing reads (start its reader first)";
		else if (errno == ELOOP && root)
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
	if (sink_rfd >= 0)
		close(sink_rfd);
	sink_rfd = -1;
	if (S_ISREG(st.st_mode)) {
		snprintf(text, sizeof(text), "/proc/self/fd/%d", fd);
		sink_rfd = open(text, O_RDONLY | O_CLOEXEC);
	}
	if (end_line(fd, &st)) {
		*why = strerror(errno);
		close(fd);
		return NULL;
	}
	sink_start = S_ISREG(st.st_mode) ? lseek(fd, 0, SEEK_END) : 0;
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

static ssize_t discard(void *cookie, const char *buf, size_t size)
{
	(void)cookie;
	(void)buf;
	return size;
}

FILE *sink_cut(FILE *f)
{
	static const cookie_io_functions_t nowhere = { .write = discard };
	int fd = fileno(f);
	struct stat st;

	__fpurge(f);
	if (sink_rfd >= 0 && !fstat(fd, &st) && st.st_size > sink_start) {
		/* back to the end of the last whole record (each ends a line) */
		off_t end = st.st_size;
		char buf[4096], *nl = NULL;

		while (end > sink_start && !nl) {
			size_t n = end - sink_start < (off_t)sizeof(buf) ? (size_t)(end - sink_start) :
					sizeof(buf);

			if (pread(sink_rfd, buf, n, end - n) != (ssize_t)n)
				break;
			nl = memrchr(buf, '\n', n);
			end = nl ? end - n + (nl - buf) + 1 : end - n;
		}
		if ((nl || end == sink_start) && ftruncate(fd, end)) {
			/* nothing better to do: the write error is said already */
		}
	}
	fclose(f);
	f = fopencookie(NULL, "w", nowhere);
	return f ? f : fopen("/dev/null", "w");
}
