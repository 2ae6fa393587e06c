// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <argp.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "cgroup.h"
#include "cli.h"
#include "ecs.h"
#include "log.h"

#define PID_MAX_LIMIT	4194304	/* the kernel's ceiling for pid_max */
#define RING_PAGES	128	/* per CPU, by default: 512 KiB with 4 KiB pages */
#define RING_PAGES_MAX	65536
#define DEFAULT_FIELDS	"pid,exe,args"

struct options options = {
	.ring_pages = RING_PAGES,
};


/* Why --cgroup and --container cannot be given here (cgroup_open() and
 * cgroup_find_container() say -ENODEV). */
#define NO_CGROUP_V2	"no cgroup v2 is mounted (at /sys/fs/cgroup or /sys/fs/cgroup/unified)"

/* Why cgroup_open() failed with err, said for a person. */
static const char *cgroup_open_error(int err)
{
	static char msg[PATH_MAX + 160];

	switch (err) {
	case -ENOENT:
		snprintf(msg, sizeof(msg), "no such cgroup in %s (the cgroup v2 mount); give the "
			 "path that /proc/PID/cgroup shows after 0::, or a directory of that mount",
			 cgroup_root());
		return msg;
	case -ENODEV:
		return NO_CGROUP_V2;
	case -ENOTDIR:
		return "not a cgroup v2 directory";
	default:
		return strerror(-err);
	}
}

static const char doc[] =
"Trace every program that starts: the binary that really ran and its exact arguments.\n"
"\n"
"EXAMPLES:\n"
"  execmon                  trace all execs\n"
"  execmon -p 1234          execs by process 1234\n"
"  execmon -P 1234          execs by children of process 1234\n"
"  execmon -c curl          execs whose new name is curl\n"
"  execmon -u www-data      execs by user www-data\n"
"  execmon -T -U            with TIME and UID columns\n"
"  execmon -o time,user,exe,args\n"
"  execmon --json | jq .args\n"
"  execmon --json=ecs       ECS documents, for Elasticsearch or OpenSearch\n"
"  execmon -- make -j4      execs of make and its descendants only\n"
"  execmon --tree 1234      execs of process 1234's tree from now on\n"
"  execmon -x               successful and failed execs (and exec checks)\n"
"  execmon -e               execs, and how each process ended: status, CPU, RSS\n"
"  execmon --summary -- make -j4\n"
"                           at the end: the tree of what ran, status and time\n"
"  execmon --env=LD_PRELOAD with the LD_PRELOAD each program got\n"
"  execmon | grep ssh       output reaches a pipe at once\n"
"  execmon -j -w exec.log   append JSON lines to exec.log (SIGHUP reopens it)\n"
"\n"
"Filters of different kinds must all match; a filter given more than once\n"
"matches any of its values. Arguments are printed as shell words: bare,\n"
"'single-quoted', or $'escaped' for control bytes and invalid UTF-8, so that\n"
"every exec is one line.\v"
"Fields for --fields:";	/* the list is output.c's: see help_filter */

enum { OPT_CGROUP = 0x100, OPT_TREE, OPT_JOURNAL, OPT_ENV,
	OPT_CONTAINER, OPT_HASH,
};
enum { OPT_SUMMARY = 0x200, OPT_TIMELINE };
enum { OPT_RING = 0x140 };

static const struct argp_option argp_options[] = {
	{ NULL, 0, NULL, 0, "Filters (in the kernel):", 1 },
	{ "pid", 'p', "PID", 0, "Only execs by process PID (repeatable)", 1 },
	{ "ppid", 'P', "PID", 0, "Only execs whose parent is process PID (repeatable)", 1 },
	{ "uid", 'u', "UID|USER", 0, "Only execs by this user (repeatable)", 1 },
	{ "comm", 'c', "NAME", 0, "Only execs whose new process name is NAME (1 to 15 bytes)", 1 },
	{ "cgroup", OPT_CGROUP, "PATH", 0, "Only execs in this cgroup v2 or below it", 1 },
	{ "container", OPT_CONTAINER, "ID", 0, "Only execs in this container (12 or more hex digits "
	  "of its id, as docker ps shows), found by its cgroup at start", 1 },
	{ "tree", OPT_TREE, "PID", 0, "Only execs of process PID and its descendants; exit with it", 1 },
	{ "fails", 'x', NULL, 0, "Also show failed execs, with the error (RET column)", 1 },
	{ "exits", 'e', NULL, 0, "Also show the end of each process that exec'd while traced: "
	  "status (RET column, exit:N or exit:SIGNAL), run time, CPU times, peak RSS", 1 },
	{ NULL, 0, NULL, 0, "Output:", 2 },
	{ "json", 'j', "FORMAT", OPTION_ARG_OPTIONAL, "One JSON object per exec per line; "
	  "--json=ecs in the Elastic Common Schema (Elasticsearch, OpenSearch)", 2 },
	{ "fields", 'o', "LIST", 0, "Table columns, comma-separated (see below); ARGS stays last", 2 },
	{ "output", 'w', "FILE", 0, "Append to FILE (created 0600) instead of standard output; "
	  "SIGHUP reopens it", 2 },
	{ "journal", OPT_JOURNAL, NULL, 0, "Each exec one entry of the systemd journal, every field "
	  "a native one (EXECMON_PID=, EXECMON_ARG0=, ...)", 2 },
	{ "env", OPT_ENV, "NAME,...", OPTION_ARG_OPTIONAL, "Add the environment of each new program "
	  "(ENV column, JSON env), or only the variables named; off by default: it holds secrets", 2 },
	{ "hash", OPT_HASH, NULL, 0, "Add the SHA-256 of each executed file (SHA256 column, JSON "
	  "exe_sha256), read once per file version; a record waits for it at most 100 ms", 2 },
	{ "summary", OPT_SUMMARY, "FILE", OPTION_ARG_OPTIONAL, "With -- COMMAND or --tree: at the end, "
	  "the tree of what ran, each with its status and run time, on stderr or in FILE", 2 },
	{ "timeline", OPT_TIMELINE, "FILE", 0, "With -- COMMAND or --tree: write the processes to FILE "
	  "as a Chrome trace (Perfetto, chrome://tracing) at the end", 2 },
	{ "no-header", 'H', NULL, 0, "Do not print the table's header line", 2 },
	{ "time", 'T', NULL, 0, "Add a TIME column (HH:MM:SS), as -o time", 2 },
	{ "timestamp", 't', NULL, 0, "Add seconds since execmon started, as -o timestamp", 2 },
	{ "print-uid", 'U', NULL, 0, "Add a UID column, as -o uid", 2 },
	{ NULL, 0, NULL, 0, "Other:", 3 },
	{ "buffer-pages", 'b', "PAGES", 0, "Perf buffer size per CPU, in pages (a power of two; default 128)", 3 },
	{ "ring", OPT_RING, "KIND", 0, "perf: per-CPU perf buffers (the default); bpf: one BPF ring "
	  "buffer for all CPUs, of -b pages per CPU (Linux 5.8 or later)", 3 },
	{ "stats", 'S', NULL, 0, "At exit, print what was seen, filtered, sent, lost and printed", 3 },
	{ "strict", 's', NULL, 0, "Exit with status 3 if any event was lost", 3 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's log", 3 },
	{ "version", 'V', NULL, 0, "Print the version and the libbpf version, then exit", 3 },
	{},
};

/* The field names come from output.c's table, the one --fields reads. */
static char *help_filter(int key, const char *text, void *input)
{
	char *s;

	if (key != ARGP_KEY_HELP_POST_DOC || !text)
		return (char *)text;
	if (asprintf(&s, "%s %s.", text, field_names()) < 0)
		return (char *)text;
	return s;	/* argp frees it */
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

/* --container: a unique prefix of a container's id, filtered in the
 * kernel as --cgroup is, by the container's outermost cgroup. */
static void set_container(struct argp_state *state, const char *arg)
{
	static struct container_match m;
	static char want[CONTAINER_ID_LEN + 1];
	size_t n = strlen(arg);
	int err;

	if (options.container && !strcmp(options.container, arg))
		return;
	if (options.container)
		argp_error(state, "--container given twice ('%s' and '%s'): only one can be traced",
			   options.container, arg);
	if (options.cgroup)
		argp_error(state, "--container '%s' with --cgroup '%s': only one can be traced",
			   arg, options.cgroup);
	if (n < CONTAINER_SHORT_LEN)
		argp_error(state, "invalid container '%s': too short: give at least the first %d hex "
			   "digits of its id (as docker ps shows them), or all %d", arg,
			   CONTAINER_SHORT_LEN, CONTAINER_ID_LEN);
	if (n > CONTAINER_ID_LEN)
		argp_error(state, "invalid container '%s': too long: an id has %d hex digits", arg,
			   CONTAINER_ID_LEN);
	for (size_t i = 0; i <= n; i++) {
		want[i] = (char)tolower((unsigned char)arg[i]);
		if (i < n && !isxdigit((unsigned char)arg[i]))
			argp_error(state, "invalid container '%s': '%c' is not a hex digit (0-9, a-f)",
				   arg, arg[i]);
	}
	err = cgroup_find_container(want, &m);
	if (err == -EEXIST)
		argp_error(state, "invalid container '%s': it begins two containers' ids, %.*s and %.*s: "
			   "give more digits", arg, CONTAINER_SHORT_LEN + 4, m.id, CONTAINER_SHORT_LEN + 4,
			   m.other);
	if (err == -ENODEV)
		argp_error(state, "invalid container '%s': %s", arg, NO_CGROUP_V2);
	if (err)
		argp_error(state, "invalid container '%s': no container's cgroup has an id that begins so "
			   "(is it running?)", arg);
	options.container = arg;
	options.cgroup = m.path;
	options.cgroup_fd = cgroup_open(m.path);
	if (options.cgroup_fd < 0)
		argp_error(state, "invalid container '%s': can't open its cgroup '%s': %s", arg, m.path,
			   cgroup_open_error(options.cgroup_fd));
}

static void add_id(struct argp_state *state, __u32 *set, int *n, const char *opt, __u32 id)
{
	if (*n == FILTER_IDS_MAX)
		argp_error(state, "too many %s values: at most %d", opt, FILTER_IDS_MAX);
	set[(*n)++] = id;
}

/* All digits is a UID; anything else is a name, which may start with a
 * digit ("4qa"). */
static __u32 parse_user(struct argp_state *state, const char *arg)
{
	struct passwd *pw;

	if (*arg && !arg[strspn(arg, "0123456789")])
		return parse_num(state, "UID", arg, 0, 4294967294L);
	pw = *arg ? getpwnam(arg) : NULL;
	if (!pw)
		argp_error(state, "unknown user '%s': not a number nor a name in the user database", arg);
	return pw->pw_uid;
}

static void add_fields(struct argp_state *state, const char *arg)
{
	struct output check;
	char list[sizeof(options.fields)];
	const char *bad;
	size_t used = strlen(options.fields);

	if (!*arg || strlen(arg) + used + 2 > sizeof(options.fields))
		argp_error(state, "invalid field list '%s': %s", arg,
			   *arg ? "too long" : "it is empty");
	snprintf(list, sizeof(list), "%s", arg);
	output_init(&check, NULL);
	bad = output_add_fields(&check, list);
	if (bad && !strcmp(bad, "ancestors"))
		argp_error(state, "'ancestors' is a list, in JSON (--json) and the journal only; "
			   "the table has the parent's name as 'pcomm'");
	if (bad || strstr(arg, ",,") || arg[strlen(arg) - 1] == ',' || *arg == ',')
		argp_error(state, "unknown field '%s' in '%s': the fields are %s",
			   bad ? bad : "", arg, field_names());
	snprintf(options.fields + used, sizeof(options.fields) - used, "%s%s", used ? "," : "", arg);
}

/* --env=NAME[,NAME...]: names as a shell takes them, no '=' nor an empty one. */
static void parse_env(struct argp_state *state, const char *arg)
{
	options.env = true;
	if (!arg)
		return;
	for (const char *p = arg, *end;; p = end + 1) {
		end = strchrnul(p, ',');
		if (end == p)
			argp_error(state, "invalid --env '%s': %s", arg, *arg ? "an empty name in the list" :
				   "name the variables to keep, or give --env alone for all");
		if (memchr(p, '=', end - p))
			argp_error(state, "invalid --env '%s': '%.*s' holds '=', which no variable's "
				   "name has", arg, (int)(end - p), p);
		if (!*end)
			break;
	}
	if (options.env_names && strcmp(options.env_names, arg))
		argp_error(state, "--env given twice ('%s' and '%s'): put all the names in one list",
			   options.env_names, arg);
	options.env_names = arg;
}

/* Whether the --fields lists name f. */
static bool fields_name(enum field f)
{
	struct output check;
	char list[sizeof(options.fields)];

	snprintf(list, sizeof(list), "%s", options.fields);
	output_init(&check, NULL);
	output_add_fields(&check, list);
	return output_has_field(&check, f);
}

/* The process a thread id belongs to (its thread group's id, which is pid
 * itself for a process), from /proc; 0 when it cannot be read. */
static pid_t tgid_of(pid_t pid)
{
	char path[64], line[128];
	int tgid = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fp = fopen(path, "r");
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp) && sscanf(line, "Tgid: %d", &tgid) != 1)
		;
	fclose(fp);
	return tgid;
}

/* Whether execvp() would find cmd: 0, or why not (an errno). */
static int command_error(const char *cmd)
{
	const char *path = getenv("PATH");
	char buf[4096];
	int err = ENOENT;

	if (strchr(cmd, '/'))
		return access(cmd, X_OK) ? errno : 0;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path, *end; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p), end > p ? p : ".", cmd);
		if (!access(buf, X_OK))
			return 0;
		if (errno == EACCES)
			err = EACCES;
	}
	return err;
}

/* A --pid or --ppid: a process. An exec makes the thread that calls it
 * its process's leader, and a parent is a process, so a thread's own id
 * would never match: refused, with its process named. */
static __u32 parse_process(struct argp_state *state, const char *opt, const char *arg)
{
	__u32 id = parse_num(state, "PID", arg, 1, PID_MAX_LIMIT);
	pid_t tgid = tgid_of(id);

	if (tgid > 0 && (__u32)tgid != id)
		argp_error(state, "invalid %s '%s': a thread of process %d, and execs are "
			   "matched by process; give its process: %s=%d", opt, arg, tgid, opt, tgid);
	return id;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	pid_t pid;
	int err;

	switch (key) {
	case 'p':
		add_id(state, options.pids, &options.npids, "--pid", parse_process(state, "--pid", arg));
		break;
	case 'P':
		add_id(state, options.ppids, &options.nppids, "--ppid", parse_process(state, "--ppid", arg));
		break;
	case 'u':
		add_id(state, options.uids, &options.nuids, "--uid", parse_user(state, arg));
		break;
	case 'c':
		if (!*arg || strlen(arg) >= COMM_LEN)
			argp_error(state, "invalid process name '%s': it must be 1 to %d bytes, "
				   "the kernel's limit", arg, COMM_LEN - 1);
		if (options.comm && strcmp(options.comm, arg))
			argp_error(state, "--comm given twice ('%s' and '%s'): only one name can be matched",
				   options.comm, arg);
		options.comm = arg;
		break;
	case 'j':
		options.json = true;
		if (arg && !strcmp(arg, "ecs"))
			options.ecs = true;
		else if (arg && strcmp(arg, "execmon"))
			argp_error(state, "invalid --json format '%s': expected ecs (the Elastic Common "
				   "Schema) or execmon (execmon's own keys, as --json alone)", arg);
		break;
	case 'o':
		add_fields(state, arg);
		break;
	case 'w':
		if (!*arg)
			argp_error(state, "invalid --output '': name a file to append to");
		if (options.output && strcmp(options.output, arg))
			argp_error(state, "--output given twice ('%s' and '%s'): only one file "
				   "can be written", options.output, arg);
		options.output = arg;
		break;
	case OPT_JOURNAL:
		options.journal = true;
		break;
	case 'H':
		options.no_header = true;
		break;
	case 'T':
		options.time = true;
		break;
	case 't':
		options.timestamp = true;
		break;
	case 'U':
		options.print_uid = true;
		break;
	case 'b':
		options.ring_pages = parse_num(state, "page count", arg, 1, RING_PAGES_MAX);
		if (options.ring_pages & (options.ring_pages - 1))
			argp_error(state, "invalid page count '%s': it must be a power of two", arg);
		break;
	case OPT_RING:
		if (!strcmp(arg, "bpf"))
			options.ring_bpf = true;
		else if (strcmp(arg, "perf"))
			argp_error(state, "invalid ring '%s': it must be perf or bpf", arg);
		else
			options.ring_bpf = false;
		break;
	case 'S':
		options.stats = true;
		break;
	case 's':
		options.strict = true;
		break;
	case 'v':
		options.verbose = true;
		break;
	case 'V':
		printf("execmon %s (built with libbpf %d.%d, running with libbpf %s)\n",
		       EXECMON_VERSION, LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION,
		       libbpf_version_string());
		exit(0);
	case OPT_CGROUP:
		if (!*arg)
			argp_error(state, "invalid cgroup ''");
		if (options.container)
			argp_error(state, "--cgroup '%s' with --container '%s': only one can be traced",
				   arg, options.container);
		if (options.cgroup && strcmp(options.cgroup, arg))
			argp_error(state, "--cgroup given twice ('%s' and '%s'): only one can be traced",
				   options.cgroup, arg);
		options.cgroup = arg;
		options.cgroup_fd = cgroup_open(arg);
		if (options.cgroup_fd < 0)
			argp_error(state, "invalid cgroup '%s': %s", arg,
				   cgroup_open_error(options.cgroup_fd));
		break;
	case OPT_CONTAINER:
		set_container(state, arg);
		break;
	case OPT_TREE:
		if (options.tree)
			argp_error(state, "--tree given twice: only one tree can be followed");
		options.tree = parse_num(state, "PID", arg, 1, PID_MAX_LIMIT);
		if (kill(options.tree, 0) && errno == ESRCH)
			argp_error(state, "invalid --tree '%s': no such process", arg);
		/* a thread has a pid of its own, but no tree: its process's
		 * children are the whole process's, and it cannot be watched */
		pid = tgid_of(options.tree);
		if (pid > 0 && (__u32)pid != options.tree)
			argp_error(state, "invalid --tree '%s': a thread of process %d, not a "
				   "process; follow its process: --tree %d", arg, pid, pid);
		break;
	case 'x':
		options.fails = true;
		break;
	case 'e':
		options.exits = true;
		break;
	case OPT_SUMMARY:
		if (arg && !*arg)
			argp_error(state, "invalid --summary '': name a file, or give --summary alone "
				   "for standard error");
		options.summary = arg ? arg : "-";
		break;
	case OPT_TIMELINE:
		if (!*arg)
			argp_error(state, "invalid --timeline '': name the file to write the trace to");
		options.timeline = arg;
		break;
	case OPT_ENV:
		parse_env(state, arg);
		break;
	case OPT_HASH:
		options.hash = true;
		break;
	case ARGP_KEY_ARG:
		/* only after "--", so that a stray word is not run by mistake */
		if (state->next < 2 || strcmp(state->argv[state->next - 2], "--"))
			argp_error(state, "unexpected argument '%s': to trace a command, "
				   "put it after --", arg);
		err = command_error(arg);
		if (err) {
			/* the statuses of a shell, env(1) and nice(1): the command
			 * is not there, or is there and cannot be run */
			p_err("can't run '%s': %s", arg,
				err == ENOENT ? "no such command" : strerror(err));
			exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
		}
		/* the command to follow: it and all that follows are its */
		options.command = &state->argv[state->next - 1];
		state->next = state->argc;
		break;
	case ARGP_KEY_END:
		if (options.command && options.tree)
			argp_error(state, "--tree and a COMMAND both choose what to follow: give one");
		if ((options.summary || options.timeline) && !options.command && !options.tree)
			argp_error(state, "--%s shows the processes that a command or tree ran: give "
				   "-- COMMAND or --tree PID", options.summary ? "summary" : "timeline");
		if (options.journal && (options.json || options.output))
			argp_error(state, "--journal and --%s both choose where the records go: "
				   "give one", options.json ? "json" : "output");
		if (!options.env && fields_name(FIELD_ENV))
			argp_error(state, "-o env needs --env: the environment holds secrets, and is "
				   "captured only when --env asks for it");
		if (!options.hash && fields_name(FIELD_EXE_SHA256))
			argp_error(state, "-o exe_sha256 needs --hash: each executed file is then read "
				   "whole, which only --hash asks for");
		if (options.json && (options.fields[0] || options.time || options.timestamp || options.print_uid))
			argp_error(state, "--fields, --time, --timestamp and --print-uid choose table "
				   "columns; --json always carries every field");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The table's columns: the shortcuts first, then --fields or the default. */
void cli_setup_output(struct output *o)
{
	char list[sizeof(options.fields) + 32];

	output_init(o, stdout);
	o->json = options.json;
	o->ecs = options.ecs;
	if (o->ecs)
		ecs_init();
	o->header = !options.no_header && !options.journal;
	snprintf(list, sizeof(list), "%s%s%s%s", options.time ? "time," : "",
		 options.timestamp ? "timestamp," : "", options.print_uid ? "uid," : "",
		 options.fields[0] ? options.fields : DEFAULT_FIELDS);
	output_add_fields(o, list);
	if (options.fails || options.exits)
		output_insert_field(o, FIELD_RET, FIELD_EXE);
	if (options.env)
		output_insert_field(o, FIELD_ENV, FIELD_ARGS);
	env_keep_only(options.env_names);
	output_finish_fields(o);
}

void cli_parse(int argc, char **argv)
{
	static const struct argp argp = { argp_options, parse_opt, "[-- COMMAND [ARGS...]]", doc,
					   NULL, help_filter, NULL };

	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, NULL))
		exit(EXIT_USAGE);
}
