// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "follow.h"
#include "log.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int follow_watch(struct follow *f, pid_t pid)
{
	f->pid = pid;
	f->pidfd = syscall(SYS_pidfd_open, pid, 0);
	return f->pidfd < 0 ? -errno : 0;
}

int follow_spawn(struct follow *f, char **argv)
{
	int go[2];
	pid_t pid;

	f->go_fd = -1;
	if (pipe2(go, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(go[0]);
		close(go[1]);
		return err;
	}
	if (pid == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);	/* execmon could not start tracing */
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		p_err("can't run '%s': %s", argv[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(go[0]);
	f->go_fd = go[1];
	return follow_watch(f, pid);
}

int follow_release(struct follow *f)
{
	int err = write(f->go_fd, "g", 1) == 1 ? 0 : -errno;

	close(f->go_fd);
	f->go_fd = -1;
	return err;
}

/* A process's parent, from /proc/PID/stat; 0 when it cannot be read. The
 * name in parentheses may hold anything, so the fields after its last ')'
 * are parsed. */
static pid_t parent_of(const char *pid)
{
	char path[64], buf[512], *p;
	int ppid = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return 0;
	return ppid;
}

void follow_descendants(pid_t root, void (*add)(void *ctx, pid_t pid), void *ctx)
{
	struct { pid_t pid, ppid; } *procs = NULL;
	size_t n = 0, cap = 0;
	pid_t *found;
	size_t nfound = 1, i;
	struct dirent *de;
	DIR *dir = opendir("/proc");

	add(ctx, root);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		if (n == cap) {
			void *p = realloc(procs, (cap = cap ? cap * 2 : 256) * sizeof(*procs));

			if (!p)
				break;
			procs = p;
		}
		procs[n].pid = atoi(de->d_name);
		procs[n].ppid = parent_of(de->d_name);
		n++;
	}
	closedir(dir);
	/* breadth first from the root: every process found adds its children */
	found = malloc((n + 1) * sizeof(*found));
	if (found) {
		found[0] = root;
		for (i = 0; i < nfound; i++)
			for (size_t j = 0; j < n; j++)
				if (procs[j].ppid == found[i] && procs[j].pid != root) {
					found[nfound++] = procs[j].pid;
					add(ctx, procs[j].pid);
				}
	}
	free(found);
	free(procs);
}

static int exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int follow_exit_code(struct follow *f)
{
	int status;

	if (waitpid(f->pid, &status, WNOHANG) != f->pid)
		return 0;	/* not our child: a --tree root */
	return exit_code(status);
}

int follow_wait(struct follow *f, volatile sig_atomic_t *stop)
{
	int status;

	while (waitpid(f->pid, &status, 0) != f->pid)
		if (errno != EINTR || *stop)
			return -1;
	return exit_code(status);
}
