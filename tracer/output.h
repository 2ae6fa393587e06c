/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Turning decoded execs into table lines. */
#ifndef EXECMON_OUTPUT_H
#define EXECMON_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include "event.h"
#include "fields.h"
#include "sbuf.h"

struct output {
	FILE *out;
	enum field fields[FIELD_COUNT];
	int nfields;
	bool header;		/* the table's header line */
	bool json;		/* one JSON object per line instead of the table */
	bool ecs;		/* with json: in the Elastic Common Schema (ecs.h) */
	__u64 start_ns;		/* the kernel's CLOCK_MONOTONIC (see clock.h) when tracing started */
	__s64 mono_to_real_ns;	/* add to an event's stamp for wall clock */
	struct sbuf line;
};

void output_init(struct output *o, FILE *out);
void output_free(struct output *o);

/* Adds the fields named in a comma-separated list (time, pid, ...), once
 * each; returns the first unknown name, or NULL. */
const char *output_add_fields(struct output *o, char *list);
/* Once all are added: ENV and ARGS move to the end, in that order. */
void output_finish_fields(struct output *o);
bool output_has_field(const struct output *o, enum field f);
/* Adds f just before `before` (or at the end), unless it is there. */
void output_insert_field(struct output *o, enum field f, enum field before);
/* Whether a column of the table has flag: F_CTX, one of the ctx part's;
 * F_EXE_ID, the executed file's identity; F_CGROUP_MNTNS, the cgroup or
 * the mount namespace. */
bool output_wants(const struct output *o, enum field_flags flag);


/* The table's header line, when there is one. */
void output_header(struct output *o);
/* Formats one exec into o->line (which is cleared first) and writes it. */
void output_format(struct output *o, const struct exec_record *rec);
void output_event(struct output *o, const struct exec_record *rec);
/* A loss, as a record of its own where it was seen: JSON's {"lost":...},
 * or a table line "[lost N events on CPU k, TIME]" (a '[' never starts an
 * exec's line). cpu < 0: the kernel could not send them, CPU unknown. */
void output_lost(struct output *o, __u64 lost, int cpu, __s64 real_ns);

#endif
