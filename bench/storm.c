// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * storm: runs a program as many times as it can, from several workers at
 * once, and prints how many execs per second that made. It is the load that
 * bench/run puts on the tracers.
 *
 * Each worker posix_spawn()s the program and waits for it: glibc's
 * posix_spawn is a vfork-style clone, so the cost measured is mostly the
 * exec itself rather than the copying of the parent's page tables.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ARGV_BYTES_MAX	65536
#define PAD_ARG_MAX	63	/* bytes of one padding argument */
#define LONG_PATH_LEN	3000	/* aimed-at length of the -l path */
#define LONG_DIR_LEN	200	/* one directory name in that path */
#define DEPTH_MAX	1000	/* -d: components, with one-byte directory names */

struct worker_count {
	long ok;
	long failed;
};

static volatile sig_atomic_t stop;
static char top_dir[PATH_MAX];		/* -l: the temporary directory */
static char long_exe[PATH_MAX];		/* -l: the copy at the bottom */
static pid_t main_pid;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: storm [-w WORKERS] [-n EXECS] [-a BYTES] [-r] [-u] [-l | -d DEPTH] [-e PATH] [-m WORD]\n"
"Runs PATH (default /bin/true) EXECS times in all from WORKERS processes, each\n"
"spawning it and waiting for it, and prints the exec rate on one line:\n"
"  execs=N seconds=S rate=R workers=W argv_bytes=B exe_bytes=E\n"
"\n"
"  -w WORKERS  parallel workers (default 2)\n"
"  -n EXECS    execs in all (default 20000)\n"
"  -a BYTES    total argv size, NULs included, 0 to %d; extra arguments\n"
"              pad it (default: just PATH and WORD)\n"
"  -r          mixed sizes: each exec drops a random number of the padding\n"
"              arguments, so argv is anywhere from a few bytes to BYTES\n"
"  -u          make each exec's first argument unique: WORD-<index>, index\n"
"              0 to EXECS-1, so that a tracer's output can be checked for\n"
"              every exec exactly once\n"
"  -l          run a copy of PATH at the bottom of a ~%d-byte directory chain\n"
"              made in $TMPDIR (or /tmp) and removed at exit\n"
"  -d DEPTH    the same through a path of DEPTH components, 3 to %d (the\n"
"              first two are $TMPDIR's and the chain's top, the last the file)\n"
"  -e PATH     the program to run (default /bin/true)\n"
"  -m WORD     its first argument (default x): lets a tracer's output be\n"
"              matched to this run\n",
		ARGV_BYTES_MAX, LONG_PATH_LEN, DEPTH_MAX);
}

static long number(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (!*arg || *end || errno || v < min || v > max) {
		fprintf(stderr, "storm: invalid %s '%s': expected a number from %ld to %ld\n",
			opt, arg, min, max);
		exit(2);
	}
	return v;
}

/* Removes what make_long_path() made, deepest first. */
static void remove_long_path(void)
{
	char dir[PATH_MAX];
	size_t top = strlen(top_dir);
	char *slash;

	if (getpid() != main_pid || !top)
		return;
	if (*long_exe && unlink(long_exe) && errno != ENOENT)
		fprintf(stderr, "storm: can't remove %s: %s\n", long_exe, strerror(errno));
	strcpy(dir, long_exe);
	while ((slash = strrchr(dir, '/')) && (size_t)(slash - dir) > top) {
		*slash = '\0';
		rmdir(dir);
	}
	if (rmdir(top_dir))
		fprintf(stderr, "storm: can't remove %s: %s\n", top_dir, strerror(errno));
	top_dir[0] = '\0';
}

static int copy_file(const char *src, const char *dst)
{
	char buf[1 << 16];
	ssize_t n = 0;
	int in = open(src, O_RDONLY | O_CLOEXEC), out, err = 0;

	if (in < 0)
		return -1;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (out < 0) {
		err = errno;
		close(in);
		errno = err;
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	err = errno;
	close(in);
	/* a file still open for writing cannot be executed (ETXTBSY) */
	if (close(out) && n >= 0) {
		n = -1;
		err = errno;
	}
	errno = err;
	return n < 0 ? -1 : 0;
}

/*
 * A deep directory chain with a copy of src at the bottom: a copy, because
 * a hard link can't cross filesystems and a symlink would make the exec
 * resolve to the short path.
 */
static const char *make_long_path(const char *src, long depth)
{
	const char *tmp = getenv("TMPDIR");
	const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
	char name[LONG_DIR_LEN + 1];
	size_t len;

	snprintf(top_dir, sizeof(top_dir), "%s/storm.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(top_dir)) {
		fprintf(stderr, "storm: can't make a directory in %s: %s\n",
			tmp && *tmp ? tmp : "/tmp", strerror(errno));
		top_dir[0] = '\0';
		return NULL;
	}
	atexit(remove_long_path);
	/* -d: one-byte names, as many as make the depth asked for */
	size_t dir_len = depth ? 1 : LONG_DIR_LEN;
	long dirs = 0, have = 0;

	memset(name, 'd', dir_len);
	name[dir_len] = '\0';
	strcpy(long_exe, top_dir);
	len = strlen(long_exe);
	for (const char *c = long_exe; *c; c++)
		have += *c == '/';
	/* the components so far, and the file's */
	dirs = depth ? depth - have - 1 : 0;
	if (depth && dirs < 0) {
		fprintf(stderr, "storm: -d %ld: %s is already %ld components deep\n", depth, top_dir, have);
		return NULL;
	}
	while (depth ? dirs-- > 0 : len + 1 + LONG_DIR_LEN + 1 + strlen(base) <= LONG_PATH_LEN) {
		if (len + 1 + dir_len + 1 + strlen(base) >= sizeof(long_exe)) {
			fprintf(stderr, "storm: -d %ld: the path under %s would be longer than %d bytes\n",
				depth, top_dir, PATH_MAX - 1);
			return NULL;
		}
		long_exe[len++] = '/';
		strcpy(long_exe + len, name);
		len += dir_len;
		if (mkdir(long_exe, 0700)) {
			fprintf(stderr, "storm: can't make the directory chain under %s: %s\n",
				top_dir, strerror(errno));
			return NULL;
		}
	}
	long_exe[len++] = '/';
	strcpy(long_exe + len, base);
	if (copy_file(src, long_exe)) {
		fprintf(stderr, "storm: can't copy %s into the directory chain under %s: %s\n",
			src, top_dir, strerror(errno));
		return NULL;
	}
	return long_exe;
}

/* argv = { exe, word, padding... } adding up to want bytes when it can. */
static char **make_argv(const char *exe, const char *word, size_t want, size_t *bytes)
{
	size_t used = strlen(exe) + 1 + strlen(word) + 1;
	/* room for the padding even if it is all empty (one-byte) args */
	char **argv = calloc(want + 3, sizeof(*argv));
	int argc = 0;

	if (!argv)
		return NULL;
	argv[argc++] = (char *)exe;
	argv[argc++] = (char *)word;
	while (used < want) {
		size_t len = want - used - 1;

		if (len > PAD_ARG_MAX)
			len = PAD_ARG_MAX;
		argv[argc] = malloc(len + 1);
		if (!argv[argc])
			return NULL;
		memset(argv[argc], 'p', len);
		argv[argc++][len] = '\0';
		used += len + 1;
	}
	*bytes = used;
	return argv;
}

static void report_failure(const char *exe, int err, int status)
{
	if (err)
		fprintf(stderr, "storm: can't run %s: %s\n", exe, strerror(err));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "storm: %s was killed by signal %d\n", exe, WTERMSIG(status));
	else
		fprintf(stderr, "storm: %s exited with status %d\n", exe, WEXITSTATUS(status));
}

static bool mixed_sizes, unique;

/* Worker w of W runs execs w, w + W, w + 2W, ...: with -u, argv[1] names
 * its index; with -r, a random tail of the padding is left out. */
static void worker(const char *exe, char **argv, long n, long w, long nworkers, int go,
		   struct worker_count *c)
{
	/* an empty environment: the same exec cost whoever starts the storm */
	char *envp[] = { NULL };
	char b, id[64];
	const char *word = argv[1];
	int argc = 0;

	while (argv[argc])
		argc++;
	srandom(w + 1);

	/* the parent closes its end of the pipe to start all workers at once */
	while (read(go, &b, 1) < 0 && errno == EINTR && !stop)
		;
	close(go);
	for (long i = 0; i < n && !stop; i++) {
		pid_t pid;
		int status = 0, err, cut = argc;
		char *saved = NULL;

		if (unique) {
			snprintf(id, sizeof(id), "%s-%ld", word, w + i * nworkers);
			argv[1] = id;
		}
		if (mixed_sizes && argc > 2) {
			cut = 2 + random() % (argc - 1);
			saved = argv[cut];
			argv[cut] = NULL;
		}
		err = posix_spawn(&pid, exe, NULL, NULL, argv, envp);
		if (cut < argc)
			argv[cut] = saved;

		if (!err)
			while (waitpid(pid, &status, 0) < 0)
				if (errno != EINTR) {
					err = errno;
					break;
				}
		if (!err && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			c->ok++;
			continue;
		}
		c->failed++;
		report_failure(exe, err, status);
		break;	/* one failure is enough to make the run void */
	}
	_exit(0);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *exe = "/bin/true", *word = "x";
	long workers = 2, execs = 20000, argv_want = 0;
	bool long_path = false;
	long depth = 0;
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	struct worker_count *counts;
	size_t argv_bytes;
	char **child_argv;
	pid_t *pids;
	int opt, go[2], status = 0;
	long ok = 0, failed = 0;
	double t0, t1;

	main_pid = getpid();
	while ((opt = getopt(argc, argv, "w:n:a:rud:le:m:h")) != -1) {
		switch (opt) {
		case 'w': workers = number("-w", optarg, 1, 1024); break;
		case 'n': execs = number("-n", optarg, 1, 1000000000); break;
		case 'a': argv_want = number("-a", optarg, 0, ARGV_BYTES_MAX); break;
		case 'r': mixed_sizes = true; break;
		case 'u': unique = true; break;
		case 'l': long_path = true; break;
		case 'd': depth = number("-d", optarg, 3, DEPTH_MAX); long_path = true; break;
		case 'e': exe = optarg; break;
		case 'm': word = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "storm: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (access(exe, X_OK)) {
		fprintf(stderr, "storm: can't run %s: %s\n", exe, strerror(errno));
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (long_path && !(exe = make_long_path(exe, depth)))
		return 1;
	child_argv = make_argv(exe, word, argv_want, &argv_bytes);
	/* the workers' counts, where the parent can read them */
	counts = mmap(NULL, workers * sizeof(*counts), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pids = calloc(workers, sizeof(*pids));
	if (!child_argv || counts == MAP_FAILED || !pids || pipe(go)) {
		fprintf(stderr, "storm: can't set up the workers: %s\n", strerror(errno));
		return 1;
	}
	fflush(NULL);
	for (long i = 0; i < workers; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			fprintf(stderr, "storm: can't start a worker: %s\n", strerror(errno));
			stop = 1;
			workers = i;
			for (long j = 0; j < i; j++)
				kill(pids[j], SIGTERM);
			break;
		}
		if (pids[i] == 0) {
			close(go[1]);
			worker(exe, child_argv, execs / workers + (i < execs % workers), i, workers,
			       go[0], &counts[i]);
		}
	}
	close(go[0]);
	t0 = now();
	close(go[1]);
	for (long i = 0; i < workers; i++) {
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
			if (stop)	/* pass a SIGTERM sent to us alone on */
				for (long j = i; j < workers; j++)
					kill(pids[j], SIGTERM);
	}
	t1 = now();
	for (long i = 0; i < workers; i++) {
		ok += counts[i].ok;
		failed += counts[i].failed;
	}
	if (stop) {
		fprintf(stderr, "storm: interrupted after %ld execs\n", ok);
		status = 130;
	} else if (failed) {
		fprintf(stderr, "storm: stopped: %ld exec%s failed\n", failed, failed == 1 ? "" : "s");
		status = 1;
	} else {
		printf("execs=%ld seconds=%.6f rate=%.1f workers=%ld argv_bytes=%zu exe_bytes=%zu\n",
		       ok, t1 - t0, ok / (t1 - t0), workers, argv_bytes, strlen(exe));
	}
	return status;
}
