// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "opener.h"
#include "reader.h"

static void serve(int sock, int map_fd, int bell_map_fd, size_t pages)
{
	int cpu;

	while (recv(sock, &cpu, sizeof(cpu), 0) == sizeof(cpu)) {
		int fds[2], err = reader_open_cpu(map_fd, bell_map_fd, pages, cpu, fds);
		char ctl[CMSG_SPACE(sizeof(fds))] = {};
		struct iovec iov = { .iov_base = &err, .iov_len = sizeof(err) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

		if (!err) {
			struct cmsghdr *c;

			msg.msg_control = ctl;
			msg.msg_controllen = sizeof(ctl);
			c = CMSG_FIRSTHDR(&msg);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(fds));
			memcpy(CMSG_DATA(c), fds, sizeof(fds));
		}
		if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
			break;
		if (!err) {
			close(fds[0]);
			close(fds[1]);
		}
	}
}

int opener_start(struct opener *o, int map_fd, int bell_map_fd, size_t pages)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return -errno;
	}
	if (pid == 0) {
		/* execmon's signals are its own: this ends with execmon */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGPIPE, SIG_IGN);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(sv[0]);
		if (getppid() != 1)
			serve(sv[1], map_fd, bell_map_fd, pages);
		_exit(0);
	}
	close(sv[1]);
	o->pid = pid;
	o->sock = sv[0];
	return 0;
}

int opener_open(struct opener *o, int cpu, int fds[2])
{
	char ctl[CMSG_SPACE(2 * sizeof(int))];
	int err = -EIO;
	struct iovec iov = { .iov_base = &err, .iov_len = sizeof(err) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;

	if (!o->pid)
		return -ENOTCONN;
	if (send(o->sock, &cpu, sizeof(cpu), MSG_NOSIGNAL) != sizeof(cpu))
		return -errno;
	if (recvmsg(o->sock, &msg, MSG_CMSG_CLOEXEC) != sizeof(err))
		return -EIO;
	if (err)
		return err;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(2 * sizeof(int)))
		return -EIO;
	memcpy(fds, CMSG_DATA(c), 2 * sizeof(int));
	return 0;
}

void opener_stop(struct opener *o)
{
	if (!o->pid)
		return;
	close(o->sock);
	while (waitpid(o->pid, NULL, 0) < 0 && errno == EINTR)
		;
	o->pid = 0;
}
