/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The command line: options, their checks, and what they make of the output. */
#ifndef EXECMON_CLI_H
#define EXECMON_CLI_H

#include <stdbool.h>
#include <linux/types.h>
#include "execmon.h"
#include "output.h"

#define EXIT_LOSS	3	/* --strict: events were lost */
#define EXIT_USAGE	64	/* EX_USAGE: a bad option */
#define EXIT_CANNOT_RUN	126	/* COMMAND is there but cannot be run */
#define EXIT_NOT_FOUND	127	/* COMMAND is not there */

/* What the options asked for. */
struct options {
	bool verbose;
	bool stats, strict;
	bool json;
	bool ecs;			/* --json=ecs: the Elastic Common Schema */
	bool no_header;
	const char *output;		/* --output: the file to append to */
	bool journal;			/* --journal */
	bool time, timestamp, print_uid;	/* shortcuts for --fields */
	char fields[256];			/* --fields lists, joined */
	__u32 pids[FILTER_IDS_MAX], ppids[FILTER_IDS_MAX], uids[FILTER_IDS_MAX];
	int npids, nppids, nuids;
	const char *comm;
	const char *cgroup;		/* --cgroup */
	int cgroup_fd;
	const char *container;		/* --container: it sets cgroup to its own */
	bool fails;			/* --fails */
	bool exits;			/* --exits, or implied by --summary and --timeline */
	const char *summary;		/* --summary[=FILE]: "-" for stderr */
	const char *timeline;		/* --timeline=FILE */
	bool env;			/* --env: capture the environment */
	const char *env_names;		/* --env=NAME,...: keep only these, or NULL */
	__u32 tree;			/* --tree */
	char **command;			/* -- COMMAND [ARGS...] */
	long ring_pages;
	bool ring_bpf;			/* --ring=bpf: one BPF ring buffer */
	bool exe_id;			/* read the executed file's identity: set from the output */
	bool cgroup_mntns;		/* read the cgroup and mount namespace: the same */
	bool ppid;			/* read an exec's parent: the same */
	bool hash;			/* --hash: the executed file's SHA-256 */
};

extern struct options options;

/* Parses argv into options; a bad option ends the process with EXIT_USAGE. */
void cli_parse(int argc, char **argv);

/* The output the options ask for: format and table columns. */
void cli_setup_output(struct output *o);

#endif
