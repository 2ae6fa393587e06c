/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --json=ecs: the records of --json in the Elastic Common Schema, so that
 * Elasticsearch, OpenSearch and Kibana take them without a pipeline of
 * their own. A field of --json is named here once, in ecs.c's ecs_names;
 * one it does not name goes under execmon.KEY, as --json names it.
 */
#ifndef EXECMON_ECS_H
#define EXECMON_ECS_H

#include <linux/types.h>
#include "fields.h"
#include "sbuf.h"

/* The ECS release whose names and types are used (tests/ecs/schema.json). */
#define ECS_VERSION	"8.17.0"

/* Reads the host's names and ids, once, before the first record. */
void ecs_init(void);
/* Appends one exec as an ECS document and a newline to b. */
void ecs_format(struct sbuf *b, const struct field_arg *a);
/* A loss, as an ECS document of its own (execmon.lost, execmon.cpu). */
void ecs_format_lost(struct sbuf *b, __u64 lost, int cpu, __s64 real_ns);

#endif
