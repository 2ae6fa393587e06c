// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* execmon: trace every program that starts, with the binary that really ran
 * and its exact arguments. */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "execmon.skel.h"
#include "event.h"
#include "output.h"
#include "reader.h"

#define PID_MAX_LIMIT	4194304	/* the kernel's ceiling for pid_max */
#define RING_PAGES	128	/* per CPU; a power of two */
#define HOLDBACK_NS	(10 * 1000000ULL)	/* see reader.h */
#define IDLE_POLL_MS	40	/* with HOLDBACK_NS, a lone exec shows within 50 ms */

static struct env {
	bool verbose;
	__u32 pids[FILTER_PIDS_MAX];
	int npids;
	const char *comm;
} env;

const char *argp_program_version = "execmon " EXECMON_VERSION;
const char *argp_program_bug_address = NULL;

static const char doc[] =
"Trace every program that starts: the binary that really ran and its exact arguments.\n"
"\n"
"USAGE: execmon [OPTIONS]\n"
"\n"
"EXAMPLES:\n"
"  execmon                 trace all execs\n"
"  execmon -p 1234         execs by process 1234\n"
"  execmon -c curl         execs whose new name is curl\n"
"  execmon | grep ssh      output reaches a pipe at once\n"
"\n"
"Arguments are printed as shell words: bare, 'single-quoted', or $'escaped'\n"
"for control bytes and invalid UTF-8, so that every exec is one line.";

static const struct argp_option options[] = {
	{ "pid", 'p', "PID", 0, "Only execs by process PID (repeatable)", 0 },
	{ "comm", 'c', "NAME", 0, "Only execs whose new process name is NAME (1 to 15 bytes)", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's log", 0 },
	{ "version", 'V', NULL, 0, "Print the version and the libbpf version, then exit", 0 },
	{},
};

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

/* A decimal number in [min, max]; argp_error names the value otherwise. */
static long parse_num(struct argp_state *state, const char *what, const char *arg,
		      long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (!*arg || *end || errno || v < min || v > max)
		argp_error(state, "invalid %s '%s': expected a number from %ld to %ld",
			   what, arg, min, max);
	return v;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'p':
		if (env.npids == FILTER_PIDS_MAX)
			argp_error(state, "too many --pid values: at most %d", FILTER_PIDS_MAX);
		env.pids[env.npids++] = parse_num(state, "PID", arg, 1, PID_MAX_LIMIT);
		break;
	case 'c':
		if (!*arg || strlen(arg) >= COMM_LEN)
			argp_error(state, "invalid process name '%s': it must be 1 to %d bytes, "
				   "the kernel's limit", arg, COMM_LEN - 1);
		if (env.comm && strcmp(env.comm, arg))
			argp_error(state, "--comm given twice ('%s' and '%s'): only one name can be matched",
				   env.comm, arg);
		env.comm = arg;
		break;
	case 'v':
		env.verbose = true;
		break;
	case 'V':
		printf("execmon %s (built with libbpf %d.%d, running with libbpf %s)\n",
		       EXECMON_VERSION, LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION,
		       libbpf_version_string());
		exit(0);
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (!env.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static volatile sig_atomic_t exiting;
static volatile bool stop_drain;

static void on_signal(int sig)
{
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
	__u64 lost;
	__u64 malformed;
	bool wrote;
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
	output_event(&t->out, &rec);
	t->wrote = true;
}

static void on_lost(void *ctx, int cpu, __u64 lost)
{
	struct tracer *t = ctx;

	t->lost += lost;
	p_err("lost %llu events on CPU %d", (unsigned long long)lost, cpu);
}

/* True when stdout can still be written; a reader that went away is a
 * normal end, other write errors are reported. */
static bool flush_output(struct tracer *t, int *status)
{
	if (t->wrote) {
		t->wrote = false;
		fflush(stdout);
	}
	if (!ferror(stdout))
		return true;
	if (errno != EPIPE) {
		p_err("can't write the output: %s", strerror(errno));
		*status = 1;
	}
	return false;
}

/* Why a load failed, in terms of what to do about it. */
static void explain_load_error(int err)
{
	if (err == EPERM)
		p_err("can't load the BPF program: %s; tracing needs root, or the "
		      "capabilities CAP_BPF and CAP_PERFMON (try sudo)", strerror(err));
	else
		p_err("can't load the BPF program: %s (run with --verbose for the "
		      "verifier's log)", strerror(err));
}

static bool have_tracing_caps(void)
{
	/* CAP_PERFMON is 38 and CAP_BPF 39; CAP_SYS_ADMIN (21) covers both on
	 * kernels before 5.8. Read from /proc so as not to need libcap. */
	unsigned long long eff = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return true;	/* let the kernel decide */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff & (1ULL << 21)) || ((eff & (1ULL << 38)) && (eff & (1ULL << 39)));
}

int main(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL, doc, NULL, NULL, NULL };
	struct execmon_bpf *skel = NULL;
	struct reader *reader = NULL;
	struct tracer t;
	struct sigaction sa = { .sa_handler = on_signal };
	int err, status = 0, epfd;

	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return 2;

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
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	output_init(&t.out, stdout);
	t.lost = t.malformed = 0;
	t.wrote = false;
	t.out.nfields = 3;
	t.out.fields[0] = FIELD_PID;
	t.out.fields[1] = FIELD_EXE;
	t.out.fields[2] = FIELD_ARGS;

	skel = execmon_bpf__open();
	if (!skel) {
		p_err("can't open the BPF object: %s", strerror(errno));
		status = 1;
		goto cleanup;
	}
	for (int i = 0; i < env.npids; i++)
		skel->rodata->filter_pids[i] = env.pids[i];
	skel->rodata->filter_pid_cnt = env.npids;
	if (env.comm) {
		strncpy((char *)skel->rodata->filter_comm, env.comm, COMM_LEN - 1);
		skel->rodata->filter_comm_on = true;
	}

	err = execmon_bpf__load(skel);
	if (err) {
		explain_load_error(-err);
		status = 1;
		goto cleanup;
	}

	struct reader_ops ops = { .event = on_event, .lost = on_lost, .ctx = &t };

	reader = reader_new(bpf_map__fd(skel->maps.execmon_events), RING_PAGES, HOLDBACK_NS, &ops);
	if (!reader) {
		p_err("can't open the perf buffers: %s", strerror(errno));
		status = 1;
		goto cleanup;
	}
	err = execmon_bpf__attach(skel);
	if (err) {
		p_err("can't attach to the sched_process_exec tracepoint: %s", strerror(-err));
		status = 1;
		goto cleanup;
	}

	t.out.start_ns = clock_ns(CLOCK_MONOTONIC);
	t.out.mono_to_real_ns = (__s64)clock_ns(CLOCK_REALTIME) - (__s64)t.out.start_ns;
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (t.out.header) {
		output_header(&t.out);
		t.wrote = true;
	}
	if (!flush_output(&t, &status))
		goto cleanup;

	epfd = reader_epoll_fd(reader);
	while (!exiting) {
		int due = reader_drain(reader, clock_ns(CLOCK_MONOTONIC), false, &stop_drain);
		struct epoll_event evs[8];

		if (!flush_output(&t, &status))
			goto cleanup;
		if (due < 0 || due > IDLE_POLL_MS)
			due = IDLE_POLL_MS;
		if (epoll_wait(epfd, evs, 8, due) < 0 && errno != EINTR) {
			p_err("can't wait for events: %s", strerror(errno));
			status = 1;
			break;
		}
	}
	/* what is already in the rings is shown before leaving */
	stop_drain = false;
	execmon_bpf__detach(skel);
	reader_drain(reader, 0, true, &stop_drain);
	flush_output(&t, &status);

cleanup:
	if (t.lost)
		p_err("lost %llu events in all", (unsigned long long)t.lost);
	reader_free(reader);
	execmon_bpf__destroy(skel);
	output_free(&t.out);
	return status;
}
