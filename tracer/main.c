// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* execmon: trace every program that starts, with the binary that really ran
 * and its exact arguments. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <systemd/sd-daemon.h>
#include "cli.h"
#include "clock.h"
#include "diagnose.h"
#include "event.h"
#include "follow.h"
#include "journal.h"
#include "loader.h"
#include "log.h"
#include "opener.h"
#include "output.h"
#include "privs.h"
#include "reader.h"
#include "sink.h"
#include "stats.h"
#include "hash.h"
#include "stream.h"
#include "summary.h"

#define HOLDBACK_NS	(10 * 1000000ULL)	/* see reader.h */
/* A wakeup costs more than the rest of an event's handling, so the reader
 * batches: after a wakeup that printed something it sleeps this long
 * before the next, unless a ring gets a quarter full. A lone exec, after a
 * quiet spell, shows HOLDBACK_NS after it rings the bell; no event waits
 * longer than BATCH_NS + HOLDBACK_NS, 85 ms. */
#define BATCH_NS	(75 * 1000000ULL)
#define SELF_CHECK_NS	(1000 * 1000000LL)
/* Where the BPF side can miss the bell (before 5.12), the longest sleep
 * with nothing to read. */
#define INEXACT_BELL_MS	50
/* argv[1] of the start-up marker, which execmon runs as itself */
#define SELF_CHECK_ARG	"--execmon-self-check"

#define FOLLOW_EPOLL_MARK (~0ULL)
#define WAKE_EPOLL_MARK (~2ULL)	/* ~1 is the reader's bell */



static volatile sig_atomic_t exiting;
static volatile sig_atomic_t stop_drain;
static volatile pid_t command_pid;	/* the command being followed */
static volatile sig_atomic_t signals;
static volatile sig_atomic_t reopen;	/* SIGHUP with --output */
static volatile int wake_fd = -1;	/* an eventfd the trace loop waits on */

/* A signal that came after the loop looked at the flags, and before it
 * went to sleep, would not end the sleep by itself: the loop waits on
 * this too. */
static void wake_loop(void)
{
	__u64 one = 1;

	if (wake_fd >= 0 && write(wake_fd, &one, sizeof(one)) < 0) {
		/* full: the loop is awake already */
	}
}

/*
 * The first signal stops tracing, and what was captured is still written
 * (waiting, if need be, for a reader that has stalled). Following a
 * command, execmon ends when it does: a signal sent to execmon alone is
 * passed on (one from the terminal reached the command already). A second
 * signal ends execmon at once, with the status a shell gives a process
 * the signal ended; the command, if any, runs on. The kernel drops the
 * programs and maps with the last descriptor.
 */
static void on_signal(int sig, siginfo_t *si, void *uc)
{
	static const char msg[] = P_PREFIX "stopped at once by a second signal\n";

	/* logrotate's way to say the file was moved: the loop opens it again
	 * between two records */
	if (sig == SIGHUP && options.output) {
		reopen = 1;
		wake_loop();
		return;
	}
	if (signals++) {
		if (write(2, msg, sizeof(msg) - 1) < 0) {
			/* nothing more to do: exiting anyway */
		}
		_exit(128 + sig);
	}
	if (command_pid > 0) {
		if (si->si_code <= 0)
			kill(command_pid, sig);
		return;
	}
	exiting = 1;
	stop_drain = 1;
	wake_loop();
}

struct tracer {
	struct stream s;	/* first: the reader's ops get &t->s */
	struct bpf_side bpf;
	struct reader *reader;
	struct opener opener;	/* opens rings once privileges are dropped */
	bool watch_said;	/* a ring that could not be opened was said */
	struct follow follow;	/* pid 0 when not following */
	bool followed_gone;	/* the command or tree root has exited */
};

/* Rings follow the CPUs (see reader_watch); one that cannot be opened is
 * said once, and its CPU's execs are counted as sends that found no ring. */
static void watch_cpus(struct tracer *t, __u64 now)
{
	int cpu = -1, err = reader_watch(t->reader, now, &cpu);

	if (err && !t->watch_said) {
		p_err("can't open the perf buffer of CPU %d, which came online: %s; its execs "
		      "are counted as lost", cpu, strerror(-err));
		t->watch_said = true;
	} else if (!err) {
		t->watch_said = false;
	}
}

/* Hands every record that is due to on_event, then flushes. */
static void drain(struct tracer *t, bool all)
{
	t->s.out.mono_to_real_ns = clock_wall_offset(t->s.out.mono_to_real_ns);
	reader_drain(t->reader, all ? 0 : kernel_now_ns(), all, &stop_drain);
	stream_flush(&t->s);
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
	__s64 deadline;

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

/* How long to sleep, in ms for epoll_wait: -1 until the bell rings when
 * the rings are empty (INEXACT_BELL_MS at most where it can miss), or until
 * the oldest record left is due and a batch has had time to gather. */
static int sleep_ms(struct tracer *t, __u64 now, __u64 oldest, __u64 last_print)
{
	__u64 at;

	if (oldest == READER_EMPTY)
		/* a CPU with no ring yet cannot ring the bell: see reader_watch */
		return !reader_arm(t->reader) ? 0 : t->bpf.bell_exact ? READER_LOOK_NS / 1000000
								      : INEXACT_BELL_MS;
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

/* The wait for a signal that must end the sleep: see wake_loop(). */
static int open_wake(int epfd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = WAKE_EPOLL_MARK };
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	if (fd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
		p_err("can't set up the wait for signals: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	wake_fd = fd;
	return 0;
}

static void close_wake(void)
{
	int fd = wake_fd;

	wake_fd = -1;
	close(fd);
}

static int trace(struct tracer *t)
{
	int epfd = reader_epoll_fd(t->reader), status = 0;
	struct stats st = {};
	__u64 last_print = 0, count;

	if (t->follow.pid) {
		/* the reader's events carry the ring index; this one is marked */
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = FOLLOW_EPOLL_MARK };

		if (epoll_ctl(epfd, EPOLL_CTL_ADD, t->follow.pidfd, &ev)) {
			p_err("can't watch process %d: %s", t->follow.pid, strerror(errno));
			return 1;
		}
	}
	if (open_wake(epfd))
		return 1;
	while (!exiting && !t->followed_gone) {
		struct epoll_event evs[8];
		__u64 now = kernel_now_ns(), handled = t->s.printed + t->s.malformed;
		__u64 oldest;

		/* once a batch, as cheap as that: a step of the wall clock
		 * shows from the next batch on */
		t->s.out.mono_to_real_ns = clock_wall_offset(t->s.out.mono_to_real_ns);
		oldest = reader_drain(t->reader, now, false, &stop_drain);
		int n;

		if (!stream_flush(&t->s))
			break;
		if (reopen) {
			reopen = 0;
			stream_reopen(&t->s);
		}
		watch_cpus(t, now);
		stream_check_losses(&t->s, t->bpf.bss->counters, &st, now, false);
		if (t->s.printed + t->s.malformed != handled)
			last_print = now;
		n = epoll_wait(epfd, evs, 8, sleep_ms(t, now, oldest, last_print));
		if (n < 0 && errno != EINTR) {
			p_err("can't wait for events: %s", strerror(errno));
			status = 1;
			break;
		}
		reader_disarm(t->reader);
		for (int i = 0; i < n; i++) {
			if (evs[i].data.u64 == FOLLOW_EPOLL_MARK)
				t->followed_gone = true;
			else if (evs[i].data.u64 == WAKE_EPOLL_MARK && read(wake_fd, &count, sizeof(count)) < 0)
				count = 0;	/* already read: nothing to clear */
		}
	}
	close_wake();
	return status;
}

static void add_tracked(void *ctx, pid_t pid)
{
	struct tracer *t = ctx;
	__u32 key = pid;
	__u8 one = 1;

	bpf_map_update_elem(bpf_side_map_fd(&t->bpf, MAP_TRACKED), &key, &one, BPF_ANY);
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

/* Options, signals and the output: nothing is loaded yet. */
static int prepare(struct tracer *t, int argc, char **argv)
{
	/* SA_RESTART: a signal must not cut a write short (see on_signal) */
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_RESTART };
	int status = check_std_fds();
	FILE *file = NULL;

	if (status)
		return status;
	/* from the start, so that a signal before tracing ends it quietly too */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	cli_parse(argc, argv);
	/* a bad --output is bad input: said before what tracing would need */
	if (options.output) {
		const char *why;

		file = sink_open(options.output, &exiting, &why);
		if (!file && !why)
			return 0;	/* a signal while waiting for a FIFO's reader */
		if (!file) {
			p_err("can't write to '%s': %s", options.output, why);
			return 1;
		}
	}
	if (options.journal) {
		int err = journal_check();

		if (err) {
			p_err("can't reach the journal at %s: %s (is systemd-journald running?)",
			      JOURNAL_SOCKET, strerror(-err));
			return 1;
		}
	}
	if (diag_preflight())
		return 1;
	/* the events are stamped with the initial time namespace's clock */
	if (clock_setup() && options.verbose)
		p_err("can't read this time namespace's offset: times may be off by it");
	libbpf_set_print(diag_libbpf_print);
	signal(SIGPIPE, SIG_IGN);
	cli_setup_output(&t->s.out);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (file)
		t->s.out.out = file;
	return 0;
}

/* The steps of the start-up, in order; each says why it failed. */
static int load(struct tracer *t)
{
	/* JSON and the journal carry every field; the table only its columns */
	bool every = t->s.out.json || options.journal;
	bool want_cwd = every || output_has_field(&t->s.out, FIELD_CWD);
	bool want_ctx = every || output_wants(&t->s.out, F_CTX) ||
			/* --summary and --timeline place a process by its ancestors */
			options.summary || options.timeline;
	options.exe_id = every || output_wants(&t->s.out, F_EXE_ID) || options.hash;
	options.cgroup_mntns = every || output_wants(&t->s.out, F_CGROUP_MNTNS);
	options.ppid = every || output_wants(&t->s.out, F_PPID) || options.nppids ||
		       options.summary || options.timeline;
	sigset_t stop_sigs, old_sigs;
	int err;

	if (options.hash)
		hash_enable();

	/* A signal would cut the loader's hand-over short, and the child has
	 * the handler too (a Ctrl-C reaches both): the load runs with them
	 * blocked, in both, and one that came meanwhile is handled after. */
	sigemptyset(&stop_sigs);
	sigaddset(&stop_sigs, SIGINT);
	sigaddset(&stop_sigs, SIGTERM);
	sigaddset(&stop_sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop_sigs, &old_sigs);
	err = bpf_side_load(&t->bpf, &options, want_cwd, want_ctx);
	sigprocmask(SIG_SETMASK, &old_sigs, NULL);
	return err ? 1 : 0;
}

/* A CPU's ring and bell: opened here while execmon has its privileges,
 * then by the opener, which keeps them. */
static int open_cpu(void *ctx, int cpu, int fds[2])
{
	struct tracer *t = (struct tracer *)((char *)ctx - offsetof(struct tracer, s));

	if (t->opener.pid)
		return opener_open(&t->opener, cpu, fds);
	return reader_open_cpu(bpf_side_map_fd(&t->bpf, MAP_EVENTS),
			       bpf_side_map_fd(&t->bpf, MAP_BELL), options.ring_pages, cpu, fds);
}

static int open_rings(struct tracer *t)
{
	struct reader_ops ops = { .event = stream_event, .lost = stream_lost, .open = open_cpu,
				   .ctx = &t->s };

	if (options.ring_bpf)
		t->reader = reader_new_bpf(bpf_side_map_fd(&t->bpf, MAP_RB), t->bpf.bss->counters,
					   COUNTER_SLOTS, HOLDBACK_NS, &ops);
	else
		t->reader = reader_new(t->bpf.bss->counters, COUNTER_SLOTS, options.ring_pages,
				       HOLDBACK_NS, &ops);
	if (!t->reader) {
		diag_failed(DIAG_RINGS, errno);
		return 1;
	}
	return 0;
}

static int set_cgroup(struct tracer *t)
{
	__u32 key = 0, fd = options.cgroup_fd;

	if (options.cgroup && bpf_map_update_elem(bpf_side_map_fd(&t->bpf, MAP_CGROUP), &key, &fd,
					      BPF_ANY)) {
		p_err("can't set cgroup '%s': %s", options.cgroup, strerror(errno));
		return 1;
	}
	return 0;
}

static int start_follow(struct tracer *t)
{
	int err = 0;

	if (options.command) {
		err = follow_spawn(&t->follow, options.command);
		if (!err)
			add_tracked(t, t->follow.pid);
	} else if (options.tree) {
		/* before attaching, and again after: a fork in between is caught */
		err = follow_watch(&t->follow, options.tree);
		if (!err)
			follow_descendants(options.tree, add_tracked, t);
	}
	if (err)
		p_err("can't %s: %s", options.command ? "start the command" : "watch the process",
		      strerror(-err));
	return err ? 1 : 0;
}

static int attach(struct tracer *t)
{
	t->s.out.start_ns = kernel_now_ns();
	t->s.out.mono_to_real_ns = clock_wall_offset(0);
	if (bpf_side_attach(&t->bpf))
		return 1;
	if (options.verbose)
		p_err("loaded by a child process that peaked at %ld KB", t->bpf.loader_peak_kb);
	return 0;
}

static int check_tracing(struct tracer *t)
{
	int err = self_check(t);

	if (err == -ETIMEDOUT && own_pid_namespace())
		p_err("the sched_process_exec tracepoint did not fire within a second of "
		      "attaching for execmon's own exec, which runs in a pid namespace "
		      "(pid:[%lu]) of its own: if execmon's children are in another (unshare "
		      "--pid without --fork), start it with --fork; else execs cannot be traced "
		      "on this system", own_pid_namespace());
	else if (err == -ETIMEDOUT)
		p_err("the sched_process_exec tracepoint did not fire within a second of "
		      "attaching: execs cannot be traced on this system");
	else if (err)
		p_err("can't run the start-up check: %s", strerror(-err));
	else if (options.tree)
		follow_descendants(options.tree, add_tracked, t);
	return err ? 1 : 0;
}

static int start_opener(struct tracer *t)
{
	/* A ring opened later is mapped by execmon itself, without CAP_IPC_LOCK
	 * by then: past perf_event_mlock_kb (which the BPF maps share before
	 * 5.11) the kernel charges it to RLIMIT_MEMLOCK, raised now while it
	 * still may be. Where it may not, such a ring is said not to open. */
	const struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	int err;

	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	err = opener_start(&t->opener, bpf_side_map_fd(&t->bpf, MAP_EVENTS),
			   bpf_side_map_fd(&t->bpf, MAP_BELL), options.ring_pages);

	if (err)
		p_err("can't start the process that opens the buffers of CPUs that come "
		      "online: %s", strerror(-err));
	return err ? 1 : 0;
}

static int drop_privs(struct tracer *t)
{
	/* a user ID of its own would keep execmon from passing signals on to
	 * the command, which runs as the user who started execmon; and, as
	 * nobody, from opening the --output file again after a rotation (as
	 * root with no capability, it can still open root's own files) */
	int err = drop_privileges(!options.command && !options.output);

	if (err)
		p_err("can't drop privileges: %s", strerror(-err));
	return err ? 1 : 0;
}

/*
 * Under systemd (Type=notify), the address to say "ready" to. It is taken
 * out of the environment at start, so that neither the command nor the
 * self-check inherits it, and given back only to say it.
 */
static char *notify_socket;

static void notify_take(void)
{
	const char *s = getenv("NOTIFY_SOCKET");

	if (s && (notify_socket = strdup(s)))
		unsetenv("NOTIFY_SOCKET");
}

/* Ready once tracing runs: systemctl start returns then, and a start
 * that fails before is a failed start, not a unit that was up a moment. */
static void notify_ready(void)
{
	if (!notify_socket)
		return;
	int err = setenv("NOTIFY_SOCKET", notify_socket, 1) ? -errno : sd_notify(1, "READY=1");

	if (err < 0)
		p_err("can't tell systemd at '%s' that tracing runs: %s; its start waits until it times out",
		      notify_socket, strerror(-err));
	free(notify_socket);
	notify_socket = NULL;
}

static int begin(struct tracer *t)
{
	int err;

	notify_ready();
	if (!t->s.header_done) {
		output_header(&t->s.out);
		t->s.header_done = t->s.wrote = true;
	}
	if (!options.command)
		return 0;
	command_pid = t->follow.pid;
	err = follow_release(&t->follow);
	if (err)
		p_err("can't start the command: %s", strerror(-err));
	return err ? 1 : 0;
}

/* Returns 0 once tracing runs, or when a signal came first (no command
 * run: it waits for a go that now never comes; what was traced since the
 * attach is shown); 1 once the reason it cannot has been given. */
static int start(struct tracer *t)
{
	static int (*const steps[])(struct tracer *) = {
		load, open_rings, set_cgroup, start_follow, attach, check_tracing, start_opener,
		drop_privs,
		begin,
	};

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && !exiting; i++)
		if (steps[i](t))
			return 1;
	return 0;
}

/* Traces until the end: a signal, the followed command or tree gone, or
 * the output failed. Returns the exit status so far. */
static int run(struct tracer *t)
{
	int status = trace(t), err;

	if (!status && t->followed_gone)
		return follow_exit_code(&t->follow);
	if (status || !options.command || exiting || !t->s.write_errno)
		return status;
	/* The output failed, but the command is the user's work: it runs to
	 * its end, untraced. A reader that went away is a normal end, and the
	 * command's status is ours; another error (a full disk) is said now,
	 * not after the command, and the status is 1, as for any output that
	 * could not be written. */
	bpf_side_detach(&t->bpf);
	if (t->s.write_errno != EPIPE) {
		stream_say_write_error(t->s.write_errno, "; tracing stopped, waiting for the command to end");
		t->s.write_said = true;
	}
	err = follow_wait(&t->follow, &exiting);
	return err >= 0 && t->s.write_errno == EPIPE ? err : 0;
}

/* --stats --hash: how often a file was read, and how often it was not
 * needed, on stderr (the stats line's format is kept as it is) */
static void say_hash_stats(void)
{
	struct hash_stats hs;

	hash_stats(&hs);
	fprintf(stderr, P_PREFIX "hash: %llu files hashed, %llu cache hits, %llu timeouts, "
		"%llu not hashed\n", (unsigned long long)hs.hashed, (unsigned long long)hs.hits,
		(unsigned long long)hs.timeouts, (unsigned long long)hs.failed);
}

/* What is already in the buffers is shown before leaving, then the
 * statistics and the losses; returns the exit status. */
static int finish(struct tracer *t, int status)
{
	struct stats st = {};

	stop_drain = 0;
	bpf_side_detach(&t->bpf);
	drain(t, true);
	stream_check_losses(&t->s, t->bpf.bss->counters, &st, kernel_now_ns(), true);
	if (summary_finish() && !status)
		status = 1;
	if (options.stats)
		stream_stats(&t->s, &st);
	if (options.stats && options.hash)
		say_hash_stats();
	stream_flush(&t->s);
	if (t->s.write_errno && t->s.write_errno != EPIPE) {
		if (!t->s.write_said)
			stream_say_write_error(t->s.write_errno, "");
		status = 1;
	}
	if (t->s.unsent > 10)
		p_err("%llu entries could not be sent to the journal in all",
		      (unsigned long long)t->s.unsent);
	/* the kernel's count too: the last losses may not have reached the
	 * buffers as a lost record before the end */
	if (stats_lost_total(&st))
		p_err("lost %llu events in all", (unsigned long long)stats_lost_total(&st));
	if (options.strict && stats_losses(&st) && (!status || options.command))
		status = EXIT_LOSS;
	return status;
}

int main(int argc, char **argv)
{
	struct tracer t = {};
	int status;

	if (argc == 2 && !strcmp(argv[1], SELF_CHECK_ARG))
		return 0;
	notify_take();
	status = prepare(&t, argc, argv);
	if (!status)
		status = start(&t);
	if (!status && !exiting)
		status = finish(&t, run(&t));
	else if (!status && t.bpf.nlinks)
		status = finish(&t, 0);	/* attached: execs may be in the rings */
	reader_free(t.reader);
	opener_stop(&t.opener);
	bpf_side_close(&t.bpf);
	if (options.output && t.s.out.out && fclose(t.s.out.out) && !status) {
		p_err("can't write to '%s': %s", options.output, strerror(errno));
		status = 1;
	}
	output_free(&t.s.out);
	return status;
}
