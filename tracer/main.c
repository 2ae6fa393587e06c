// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* execmon: trace every program that starts, with the binary that really ran
 * and its exact arguments. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "event.h"
#include "follow.h"
#include "loader.h"
#include "output.h"
#include "privs.h"
#include "reader.h"
#include "stats.h"

#define HOLDBACK_NS	(10 * 1000000ULL)	/* see reader.h */
/* A wakeup costs more than the rest of an event's handling, so the reader
 * batches: after a wakeup that printed something it sleeps this long
 * before the next, unless a ring gets a quarter full. A lone exec, after a
 * quiet spell, shows HOLDBACK_NS after it rings the bell; no event waits
 * longer than BATCH_NS + HOLDBACK_NS, 85 ms. */
#define BATCH_NS	(75 * 1000000ULL)
#define SELF_CHECK_NS	(1000 * 1000000ULL)
/* Where the BPF side can miss the bell (before 5.12), the longest sleep
 * with nothing to read. */
#define INEXACT_BELL_MS	50
/* argv[1] of the start-up marker, which execmon runs as itself */
#define SELF_CHECK_ARG	"--execmon-self-check"

#define TRACKED_MAX	65536	/* processes a follow mode can hold */
#define CALLS_MAX	1024	/* execs in flight at once, for --fails */
#define FOLLOW_EPOLL_MARK (~0ULL)



static void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void p_err(const char *fmt, ...)
{
	va_list ap;

	fputs("execmon: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

__attribute__((format(printf, 2, 0)))
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (!env.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static volatile sig_atomic_t exiting;
static volatile bool stop_drain;
static volatile pid_t command_pid;	/* the command being followed */
static volatile sig_atomic_t signals;

/* Following a command, execmon ends when it does: a signal sent to execmon
 * alone is passed on (one from the terminal reached the command already),
 * and only a second one ends execmon at once. */
static void on_signal(int sig, siginfo_t *si, void *uc)
{
	if (command_pid > 0 && signals++ == 0) {
		if (si->si_code <= 0)
			kill(command_pid, sig);
		return;
	}
	exiting = 1;
	stop_drain = true;
}

static __u64 clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

struct tracer {
	struct output out;
	struct bpf_side bpf;
	struct reader *reader;
	struct follow follow;	/* pid 0 when not following */
	bool followed_gone;	/* the command or tree root has exited */
	struct stats reported;	/* the losses already reported */
	__u64 lost;		/* records the perf buffers dropped */
	__u64 malformed;
	__u64 printed;
	bool header_done;
	bool wrote;
	int write_errno;
};

static void on_event(void *ctx, int cpu, const void *data, size_t size)
{
	struct tracer *t = ctx;
	struct exec_record rec;
	enum decode_status st = decode_event(data, size, &rec);

	if (st != DECODE_OK) {
		if (t->malformed++ < 10)
			p_err("skipped a malformed record on CPU %d: %s", cpu, decode_strerror(st));
		return;
	}
	if (record_is_self_check(&rec))
		return;
	if (!t->header_done) {
		output_header(&t->out);
		t->header_done = true;
	}
	output_event(&t->out, &rec);
	t->printed++;
	t->wrote = true;
}

static void on_lost(void *ctx, int cpu, __u64 lost)
{
	struct tracer *t = ctx;

	t->lost += lost;
	p_err("lost %llu events on CPU %d", (unsigned long long)lost, cpu);
}

/* The kernel's counters with this side's; every loss is reported once, as
 * soon as it is seen. A full perf buffer shows up both as a failed send
 * and as a lost record, so failures are reported only beyond those. */
static void check_losses(struct tracer *t, struct stats *st)
{
	__u64 failed, lost;

	stats_read(st, t->bpf.bss->counters, COUNTER_SLOTS);
	st->lost = t->lost;
	st->malformed = t->malformed;
	st->printed = t->printed;
	failed = st->emit_failed - t->reported.emit_failed;
	lost = st->lost - t->reported.lost;
	if (failed > lost)
		p_err("the kernel could not send %llu events", (unsigned long long)(failed - lost));
	t->reported = *st;
}

/* True when the output can still be written. A reader that went away is a
 * normal end; other write errors are kept for the exit status. */
static bool flush_output(struct tracer *t)
{
	if (t->write_errno)
		return false;
	if (t->wrote) {
		t->wrote = false;
		if (fflush(stdout) == 0)
			return true;
		t->write_errno = errno ? errno : EIO;
		return false;
	}
	return true;
}

/* Hands every record that is due to on_event, then flushes. */
static void drain(struct tracer *t, bool all)
{
	reader_drain(t->reader, all ? 0 : clock_ns(CLOCK_MONOTONIC), all, &stop_drain);
	flush_output(t);
}

/*
 * Proves that the tracepoint fires before execmon claims to trace: a child
 * of execmon's waits until its pid is known to the BPF program, which sends
 * its exec whatever the filters, then execs execmon itself with an argument
 * that makes it exit at once. Its event is not printed.
 */
static bool ran(struct tracer *t)
{
	return __atomic_load_n(&t->bpf.bss->self_check_hits, __ATOMIC_ACQUIRE);
}

static int self_check(struct tracer *t)
{
	int go[2], status;
	pid_t child;
	__u64 deadline;

	if (pipe2(go, O_CLOEXEC))
		return -errno;
	child = fork();
	if (child < 0)
		return -errno;
	if (child == 0) {
		char c, *argv[] = { "execmon", SELF_CHECK_ARG, NULL };

		close(go[1]);
		if (read(go[0], &c, 1) == 1)
			execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(go[0]);
	t->bpf.bss->self_check_pid = child;
	if (write(go[1], "", 1) != 1)
		kill(child, SIGKILL);
	close(go[1]);
	/* the marker exits at once: a signal meanwhile is seen after it */
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return -ECHILD;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -ECHILD;
	/* The program notes that it ran for the marker, so that a full buffer,
	 * which is reported as a loss, does not pass for a silent tracepoint. */
	deadline = clock_ns(CLOCK_MONOTONIC) + SELF_CHECK_NS;
	while (!ran(t) && !exiting && clock_ns(CLOCK_MONOTONIC) < deadline) {
		struct epoll_event ev;

		drain(t, false);
		epoll_wait(reader_epoll_fd(t->reader), &ev, 1, 10);
	}
	t->bpf.bss->self_check_pid = 0;
	return ran(t) || exiting ? 0 : -ETIMEDOUT;
}

static void print_stats(struct tracer *t, const struct stats *st)
{
	struct sbuf b = {};

	stats_format(&b, st, env.json);
	fwrite(b.p, 1, b.len, env.json ? stdout : stderr);
	t->wrote = env.json;
	sbuf_free(&b);
}

/* How long to sleep, in ms for epoll_wait: -1 until the bell rings when
 * the rings are empty (INEXACT_BELL_MS at most where it can miss), or until
 * the oldest record left is due and a batch has had time to gather. */
static int sleep_ms(struct tracer *t, __u64 now, __u64 oldest, __u64 last_print)
{
	__u64 at;

	if (oldest == READER_EMPTY)
		return !reader_arm(t->reader) ? 0 : t->bpf.bell_exact ? -1 : INEXACT_BELL_MS;
	at = oldest + HOLDBACK_NS;
	if (at < last_print + BATCH_NS)
		at = last_print + BATCH_NS;
	if (at <= now)
		return 0;
	/* a time from the future cannot hold the reader up for longer */
	if (at - now > BATCH_NS + HOLDBACK_NS)
		at = now + BATCH_NS + HOLDBACK_NS;
	return (at - now + 999999) / 1000000;
}

static int trace(struct tracer *t)
{
	int epfd = reader_epoll_fd(t->reader);
	struct stats st = {};
	__u64 last_print = 0;

	if (t->follow.pid) {
		/* the reader's events carry the ring index; this one is marked */
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = FOLLOW_EPOLL_MARK };

		if (epoll_ctl(epfd, EPOLL_CTL_ADD, t->follow.pidfd, &ev)) {
			p_err("can't watch process %d: %s", t->follow.pid, strerror(errno));
			return 1;
		}
	}
	while (!exiting && !t->followed_gone) {
		struct epoll_event evs[8];
		__u64 now = clock_ns(CLOCK_MONOTONIC), handled = t->printed + t->malformed;
		__u64 oldest = reader_drain(t->reader, now, false, &stop_drain);
		int n;

		if (!flush_output(t))
			break;
		check_losses(t, &st);
		if (t->printed + t->malformed != handled)
			last_print = now;
		n = epoll_wait(epfd, evs, 8, sleep_ms(t, now, oldest, last_print));
		if (n < 0 && errno != EINTR) {
			p_err("can't wait for events: %s", strerror(errno));
			return 1;
		}
		reader_disarm(t->reader);
		for (int i = 0; i < n; i++)
			if (evs[i].data.u64 == FOLLOW_EPOLL_MARK)
				t->followed_gone = true;
	}
	return 0;
}

static void add_tracked(void *ctx, pid_t pid)
{
	struct tracer *t = ctx;
	__u32 key = pid;
	__u8 one = 1;

	bpf_map_update_elem(t->bpf.tracked_fd, &key, &one, BPF_ANY);
}

/* Read-only data and map sizes: what is fixed before the load. Runs in the
 * loader's child process. */
static bool want_cwd;

static void configure(struct execmon_bpf *skel)
{
	bool follow = env.command || env.tree;

	memcpy((void *)skel->rodata->filter_pids, env.pids, sizeof(env.pids));
	skel->rodata->filter_pid_cnt = env.npids;
	memcpy((void *)skel->rodata->filter_ppids, env.ppids, sizeof(env.ppids));
	skel->rodata->filter_ppid_cnt = env.nppids;
	memcpy((void *)skel->rodata->filter_uids, env.uids, sizeof(env.uids));
	skel->rodata->filter_uid_cnt = env.nuids;
	if (env.comm) {
		strncpy((char *)skel->rodata->filter_comm, env.comm, COMM_LEN - 1);
		skel->rodata->filter_comm_on = true;
	}
	skel->rodata->filter_cgroup_on = env.cgroup != NULL;
	skel->rodata->want_cwd = want_cwd;

	/* the follow and failure programs, and their maps, only when asked for */
	skel->rodata->follow_on = follow;
	bpf_program__set_autoload(skel->progs.execmon_fork, follow);
	bpf_program__set_autoload(skel->progs.execmon_exit, follow);
	if (follow) {
		bpf_map__set_max_entries(skel->maps.execmon_tracked, TRACKED_MAX);
		bpf_map__set_map_flags(skel->maps.execmon_tracked, BPF_F_NO_PREALLOC);
	}
	bpf_program__set_autoload(skel->progs.execmon_sys_enter, env.fails);
	bpf_program__set_autoload(skel->progs.execmon_sys_exit, env.fails);
	if (env.fails) {
		skel->rodata->sys_execve_nr = SYS_execve;
		skel->rodata->sys_execveat_nr = SYS_execveat;
#ifdef __x86_64__
		/* the ia32 table's, from <asm/unistd_32.h>, whose names clash */
		skel->rodata->sys_execve_nr32 = 11;
		skel->rodata->sys_execveat_nr32 = 358;
#endif
		bpf_map__set_max_entries(skel->maps.execmon_calls, CALLS_MAX);
	}
}

/*
 * Every descriptor execmon opens would take the lowest free number: with
 * stdout closed, the events would go into whatever took 1 (an epoll fd,
 * a BPF map). Closed stdin and stderr are put on /dev/null; a closed
 * stdout leaves nowhere for the events to go. Returns 0, or the exit
 * status once the reason has been given where it can be.
 */
static int check_std_fds(void)
{
	bool closed[3];

	for (int fd = 0; fd < 3; fd++)
		closed[fd] = fcntl(fd, F_GETFD) < 0 && errno == EBADF;
	if (closed[1]) {
		if (!closed[2])
			p_err("standard output is closed: the events have nowhere to go "
			      "(redirect it to a file, or to /dev/null to count with --stats)");
		return 1;
	}
	if ((fcntl(1, F_GETFL) & O_ACCMODE) == O_RDONLY) {
		if (!closed[2])
			p_err("standard output is open for reading only: the events can't be written");
		return 1;
	}
	for (int fd = 0; fd < 3; fd++)
		if (closed[fd] && open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	struct tracer t = {};
	struct stats st = {};
	sigset_t stop_sigs, old_sigs;
	int err = 0, status = 0;
	bool write_said = false;

	if (argc == 2 && !strcmp(argv[1], SELF_CHECK_ARG))
		return 0;
	status = check_std_fds();
	if (status)
		return status;
	/* from the start, so that a signal before tracing ends it quietly too */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	cli_parse(argc, argv);

	if (is_setid()) {
		p_err("refusing to run set-user-ID or set-group-ID: that would show every "
		      "exec to every user; run it as root or with CAP_BPF and CAP_PERFMON");
		return 1;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		p_err("this kernel has no BTF (/sys/kernel/btf/vmlinux: %s); execmon needs a "
		      "kernel built with CONFIG_DEBUG_INFO_BTF=y", strerror(errno));
		return 1;
	}
	if (!have_tracing_caps()) {
		p_err("tracing needs root, or the capabilities CAP_BPF and CAP_PERFMON (try sudo)");
		return 1;
	}

	libbpf_set_print(libbpf_print);
	signal(SIGPIPE, SIG_IGN);
	cli_setup_output(&t.out);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);

	want_cwd = t.out.json || output_has_field(&t.out, FIELD_CWD);
	/* A signal would cut the loader's hand-over short, and the child has
	 * the handler too (a Ctrl-C reaches both): the load runs with them
	 * blocked, in both, and one that came meanwhile is handled after. */
	sigemptyset(&stop_sigs);
	sigaddset(&stop_sigs, SIGINT);
	sigaddset(&stop_sigs, SIGTERM);
	sigaddset(&stop_sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop_sigs, &old_sigs);
	err = bpf_side_load(&t.bpf, configure);
	sigprocmask(SIG_SETMASK, &old_sigs, NULL);
	if (err || exiting) {
		status = err ? 1 : 0;
		goto cleanup;
	}

	struct reader_ops ops = { .event = on_event, .lost = on_lost, .ctx = &t };

	t.reader = reader_new(t.bpf.events_fd, t.bpf.bell_fd, t.bpf.bss->counters, COUNTER_SLOTS,
			      env.ring_pages, HOLDBACK_NS, &ops);
	if (!t.reader) {
		p_err("can't open the perf buffers: %s", strerror(errno));
		status = 1;
		goto cleanup;
	}
	if (env.cgroup) {
		__u32 key = 0, fd = env.cgroup_fd;

		if (bpf_map_update_elem(t.bpf.cgroup_fd, &key, &fd, BPF_ANY)) {
			p_err("can't set cgroup '%s': %s", env.cgroup, strerror(errno));
			status = 1;
			goto cleanup;
		}
	}
	if (env.command) {
		err = follow_spawn(&t.follow, env.command);
		if (!err)
			add_tracked(&t, t.follow.pid);
	} else if (env.tree) {
		/* before attaching, and again after: a fork in between is caught */
		err = follow_watch(&t.follow, env.tree);
		if (!err)
			follow_descendants(env.tree, add_tracked, &t);
	}
	if (err) {
		p_err("can't %s: %s", env.command ? "start the command" : "watch the process",
		      strerror(-err));
		status = 1;
		goto cleanup;
	}
	t.out.start_ns = clock_ns(CLOCK_MONOTONIC);
	t.out.mono_to_real_ns = (__s64)clock_ns(CLOCK_REALTIME) - (__s64)t.out.start_ns;
	err = bpf_side_attach(&t.bpf);
	if (err) {
		p_err("can't attach to the sched_process_exec tracepoint: %s", strerror(-err));
		status = 1;
		goto cleanup;
	}
	err = self_check(&t);
	if (err) {
		if (err == -ETIMEDOUT)
			p_err("the sched_process_exec tracepoint did not fire within a second of "
			      "attaching: execs cannot be traced on this system");
		else
			p_err("can't run the start-up check: %s", strerror(-err));
		status = 1;
		goto cleanup;
	}
	if (env.tree)
		follow_descendants(env.tree, add_tracked, &t);
	/* a user ID of its own would keep execmon from passing signals on to
	 * the command, which runs as the user who started execmon */
	err = drop_privileges(!env.command);
	if (err) {
		p_err("can't drop privileges: %s", strerror(-err));
		status = 1;
		goto cleanup;
	}
	/* stopped before tracing began: nothing shown, no command run (it
	 * waits for a go that now never comes), and a quiet exit, as ever */
	if (exiting)
		goto cleanup;
	if (!t.header_done) {
		output_header(&t.out);
		t.header_done = t.wrote = true;
	}

	if (env.command) {
		command_pid = t.follow.pid;
		err = follow_release(&t.follow);
		if (err) {
			p_err("can't start the command: %s", strerror(-err));
			status = 1;
			goto cleanup;
		}
	}

	status = trace(&t);
	if (!status && t.followed_gone) {
		status = follow_exit_code(&t.follow);
	} else if (!status && env.command && !exiting && t.write_errno) {
		/* The output failed, but the command is the user's work: it
		 * runs to its end, untraced. A reader that went away is a
		 * normal end, and the command's status is ours; another error
		 * (a full disk) is said now, not after the command, and the
		 * status is 1, as for any output that could not be written. */
		bpf_side_detach(&t.bpf);
		if (t.write_errno != EPIPE) {
			p_err("can't write the output: %s; tracing stopped, waiting for "
			      "the command to end", strerror(t.write_errno));
			write_said = true;
		}
		err = follow_wait(&t.follow, &exiting);
		if (err >= 0 && t.write_errno == EPIPE)
			status = err;
	}

	/* what is already in the buffers is shown before leaving */
	stop_drain = false;
	bpf_side_detach(&t.bpf);
	drain(&t, true);
	check_losses(&t, &st);
	if (env.stats)
		print_stats(&t, &st);
	flush_output(&t);
	if (t.write_errno && t.write_errno != EPIPE) {
		if (!write_said)
			p_err("can't write the output: %s", strerror(t.write_errno));
		status = 1;
	}
	/* the kernel's count too: the last losses may not have reached the
	 * buffers as a lost record before the end */
	if (st.lost || st.emit_failed)
		p_err("lost %llu events in all",
		      (unsigned long long)(st.emit_failed > st.lost ? st.emit_failed : st.lost));
	if (env.strict && stats_losses(&st) && (!status || env.command))
		status = EXIT_LOSS;
cleanup:
	reader_free(t.reader);
	bpf_side_close(&t.bpf);
	output_free(&t.out);
	return status;
}
