// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ecs.h"
#include "json.h"
#include "log.h"

/* How a value of --json becomes ECS's. */
enum ecs_conv {
	ECS_SAME,	/* as --json writes it */
	ECS_ID,		/* a number as a string: ECS's user and group ids are keywords */
};

/*
 * The fields of --json that ECS has a name for, one line each: the key
 * (fields.c's), its ECS name, and how its value changes. The fields not
 * named here go under execmon.KEY with --json's value, so a new field of
 * fields.c is in ECS documents at once, and moves to an ECS name by a
 * line here. Names and types: tests/ecs/schema.json, from ECS_VERSION.
 */
static const struct ecs_name {
	const char *key, *name;
	enum ecs_conv conv;
} ecs_names[] = {
	{ "time",		"@timestamp",	ECS_SAME },
	{ "exec_id",		"process.entity_id",	ECS_SAME },
	{ "pid",		"process.pid",	ECS_SAME },
	{ "nspid",		"process.vpid",	ECS_SAME },
	{ "exe",		"process.executable",	ECS_SAME },
	{ "exe_sha256",		"process.hash.sha256",	ECS_SAME },
	{ "args",		"process.args",	ECS_SAME },
	{ "cwd",		"process.working_directory",	ECS_SAME },
	{ "euid",		"process.user.id",		ECS_ID },
	{ "egid",		"process.group.id",		ECS_ID },
	{ "uid",		"process.real_user.id",		ECS_ID },
	{ "user",		"process.real_user.name",	ECS_SAME },
	{ "gid",		"process.real_group.id",	ECS_ID },
	{ "sid",		"process.session_leader.pid",	ECS_SAME },
	{ "env",		"process.env_vars",	ECS_SAME },
	{ "parent_exec_id",	"process.parent.entity_id",	ECS_SAME },
	{ "ppid",		"process.parent.pid",	ECS_SAME },
	{ "pcomm",		"process.parent.name",	ECS_SAME },
	{ "error",		"error.code",	ECS_SAME },
	{ "container_id",	"container.id",	ECS_SAME },
	{ "container_runtime",	"container.runtime",	ECS_SAME },
	{ "exit_code",		"process.exit_code",	ECS_SAME },
};

/* What ECS shows of a kind of record: its event.action and event.type. A
 * kind without a line here has its own name as the action, and "info". */
static const struct ecs_kind {
	const char *action, *type;
} ecs_kinds[EV_KINDS] = {
	[EV_KIND_EXEC]		= { "exec", "start" },
	[EV_KIND_FAILED]	= { "exec-failed", "start" },	/* with event.outcome failure */
	[EV_KIND_CHECK]		= { "exec-check", "info" },	/* nothing ran */
	[EV_KIND_EXIT]		= { "exit", "end" },
};

/* The host, read once: empty when unknown, and then left out. */
static struct {
	char hostname[256], id[64], boot_id[64];
} host;

static const struct field_desc *exe_desc, *args_desc;

#define LIT(b, lit)	sbuf_add(b, lit, sizeof(lit) - 1)

/* The values ECS has that are no field of --json: each writes its value
 * and returns true, or writes nothing and returns false (left out). */
static bool e_ecs_version(struct sbuf *b, const struct field_arg *a)
{
	(void)a;
	LIT(b, "\"" ECS_VERSION "\"");
	return true;
}

static bool e_kind(struct sbuf *b, const struct field_arg *a)
{
	(void)a;
	LIT(b, "\"event\"");
	return true;
}

static bool e_category(struct sbuf *b, const struct field_arg *a)
{
	(void)a;
	LIT(b, "[\"process\"]");
	return true;
}

static bool e_type(struct sbuf *b, const struct field_arg *a)
{
	const char *type = ecs_kinds[a->rec->hdr.kind].type;

	sbuf_puts(b, "[\"");
	sbuf_puts(b, type ? type : "info");
	sbuf_puts(b, "\"]");
	return true;
}

static bool e_action(struct sbuf *b, const struct field_arg *a)
{
	const char *action = ecs_kinds[a->rec->hdr.kind].action;

	sbuf_putc(b, '"');
	sbuf_puts(b, action ? action : record_kind(a->rec)->name);
	sbuf_putc(b, '"');
	return true;
}

static bool e_outcome(struct sbuf *b, const struct field_arg *a)
{
	/* an end is neither: its status is process.exit_code, or execmon.signal */
	if (record_is_exit(a->rec))
		return false;
	if (a->rec->hdr.ret)
		LIT(b, "\"failure\"");
	else
		LIT(b, "\"success\"");
	return true;
}

static bool put_text(struct sbuf *b, const char *s)
{
	if (!*s)
		return false;
	json_string(b, s, strlen(s));
	return true;
}

static bool e_hostname(struct sbuf *b, const struct field_arg *a)
{
	(void)a;
	return put_text(b, host.hostname);
}

static bool e_host_id(struct sbuf *b, const struct field_arg *a)
{
	(void)a;
	return put_text(b, host.id);
}

static bool e_boot_id(struct sbuf *b, const struct field_arg *a)
{
	(void)a;
	return put_text(b, host.boot_id);
}

static bool e_agent_type(struct sbuf *b, const struct field_arg *a)
{
	(void)a;
	LIT(b, "\"execmon\"");
	return true;
}

static bool e_agent_version(struct sbuf *b, const struct field_arg *a)
{
	(void)a;
	LIT(b, "\"" EXECMON_VERSION "\"");
	return true;
}

/* ECS's process.name is the program's name, the file's: the executable's
 * last part. The comm, cut at 15 bytes, stays execmon.comm. */
static bool e_name(struct sbuf *b, const struct field_arg *a)
{
	struct fval v;
	const char *slash;

	if (record_is_exit(a->rec))
		return false;
	field_value(exe_desc, a, &v);
	if (v.type != FV_BYTES)
		return false;
	slash = memrchr(v.p, '/', v.n);
	if (slash) {
		v.n -= slash + 1 - v.p;
		v.p = slash + 1;
	}
	if (!v.n)
		return false;
	json_string(b, v.p, v.n);
	return true;
}

static bool e_args_count(struct sbuf *b, const struct field_arg *a)
{
	struct argv_iter it;
	struct fval v;
	const char *s;
	size_t len;
	__u64 n = 0;

	if (record_is_exit(a->rec))
		return false;
	field_value(args_desc, a, &v);
	argv_iter_init(&it, v.p, v.n);
	while (v.next(&it, &s, &len))
		n++;
	sbuf_put_u64(b, n);
	return true;
}

/* The arguments joined by spaces, as ECS's command_line is: for people and
 * searches; process.args keeps where each begins. */
static bool e_command_line(struct sbuf *b, const struct field_arg *a)
{
	struct argv_iter it;
	struct fval v;
	const char *s;
	size_t len;
	bool first = true;

	field_value(args_desc, a, &v);
	argv_iter_init(&it, v.p, v.n);
	sbuf_putc(b, '"');
	while (v.next(&it, &s, &len)) {
		if (!first)
			sbuf_putc(b, ' ');
		json_chars(b, s, len);
		first = false;
	}
	sbuf_putc(b, '"');
	return !first;
}

/* ECS's process.tty is the device's numbers; its name is execmon.tty. */
static bool e_tty_major(struct sbuf *b, const struct field_arg *a)
{
	if (!a->ctx || !a->ctx->tty)
		return false;
	sbuf_put_u64(b, a->ctx->tty >> 20);
	return true;
}

static bool e_tty_minor(struct sbuf *b, const struct field_arg *a)
{
	if (!a->ctx || !a->ctx->tty)
		return false;
	sbuf_put_u64(b, a->ctx->tty & 0xfffff);
	return true;
}

/* In this order, with ecs_names' in theirs; a document keeps the order
 * of first appearance, each object's members together. */
static const struct ecs_made {
	const char *name;
	bool (*put)(struct sbuf *b, const struct field_arg *a);
} ecs_made[] = {
	{ "ecs.version",			e_ecs_version },
	{ "event.kind",				e_kind },
	{ "event.category",			e_category },
	{ "event.type",				e_type },
	{ "event.action",			e_action },
	{ "event.outcome",			e_outcome },
	{ "host.hostname",			e_hostname },
	{ "host.name",				e_hostname },
	{ "host.id",				e_host_id },
	{ "host.boot.id",			e_boot_id },
	{ "agent.type",				e_agent_type },
	{ "agent.version",			e_agent_version },
	{ "process.name",			e_name },
	{ "process.args_count",			e_args_count },
	{ "process.command_line",		e_command_line },
	{ "process.tty.char_device.major",	e_tty_major },
	{ "process.tty.char_device.minor",	e_tty_minor },
};

#define ECS_DEPTH	5	/* process.tty.char_device.major is 4 */
#define ECS_SLOTS	(2 * 64 + sizeof(ecs_made) / sizeof(ecs_made[0]))

/* One member of the document, with where each part of its dotted name
 * starts, and what writes its value. */
struct ecs_slot {
	const char *name;		/* "process.parent.pid" */
	char own[48];			/* execmon.KEY, execmon.KEY_b64 */
	unsigned char nparts, at[ECS_DEPTH], len[ECS_DEPTH];
	/* obj[k]: the first slot whose name has the same first k + 1 parts:
	 * two slots are in the same object when these are equal */
	unsigned char obj[ECS_DEPTH];
	const struct field_desc *d;	/* a field's value, or its exact bytes with b64 */
	enum ecs_conv conv;
	bool b64;
	bool (*put)(struct sbuf *b, const struct field_arg *a);
};

/* A kind of document: an exec's (and a failed exec's, a check's), from
 * field_descs, or an exit's, from exit_field_descs. */
struct ecs_doc {
	const struct field_desc *descs;
	unsigned int ndescs, nslots;
	struct ecs_slot slots[ECS_SLOTS];
	/* the first slot of each name's first k parts: the order of objects */
	unsigned char first[ECS_SLOTS][ECS_DEPTH];
};

static struct ecs_doc exec_doc, exit_doc;

static bool same_part(const struct ecs_slot *x, const struct ecs_slot *y, int k)
{
	return x->len[k] == y->len[k] && !memcmp(x->name + x->at[k], y->name + y->at[k], x->len[k]);
}

static struct ecs_slot *add_slot(struct ecs_doc *doc, const char *name)
{
	struct ecs_slot *s = &doc->slots[doc->nslots++];
	const char *p = name;

	s->name = name;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (s->nparts == ECS_DEPTH) {
			p_err("ECS name %s is deeper than %d parts", name, ECS_DEPTH);
			abort();
		}
		s->at[s->nparts] = p - name;
		s->len[s->nparts++] = n;
		if (!dot)
			break;
		p = dot + 1;
	}
	return s;
}

static void read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	buf[0] = 0;
	if (!f)
		return;
	if (fgets(buf, size, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

/* Sorts the slots so that each object's members are together, objects and
 * members in the order in which they first appear. */
static int slot_order(const struct ecs_doc *doc, unsigned int ix, unsigned int iy)
{
	const struct ecs_slot *x = &doc->slots[ix], *y = &doc->slots[iy];

	for (int k = 0; k < x->nparts && k < y->nparts; k++)
		if (!same_part(x, y, k))
			return (int)doc->first[ix][k] - (int)doc->first[iy][k];
	return (int)ix - (int)iy;
}

/* A document's members, in their order, from its table of fields. */
static void doc_init(struct ecs_doc *doc, const struct field_desc *descs, unsigned int ndescs)
{
	static struct ecs_slot sorted[ECS_SLOTS];
	unsigned int i, j, order[ECS_SLOTS];
	struct ecs_slot *slots = doc->slots;

	doc->descs = descs;
	doc->ndescs = ndescs;
	doc->nslots = 0;
	/* @timestamp first, then ECS's own, then the fields it names */
	for (i = 0; i < sizeof(ecs_names) / sizeof(ecs_names[0]); i++) {
		const struct field_desc *d = NULL;
		struct ecs_slot *s;

		for (j = 0; j < ndescs; j++)
			if (descs[j].key && !strcmp(descs[j].key, ecs_names[i].key))
				d = &descs[j];
		if (i == 1)
			for (j = 0; j < sizeof(ecs_made) / sizeof(ecs_made[0]); j++)
				add_slot(doc, ecs_made[j].name)->put = ecs_made[j].put;
		/* a field of the other kind of record */
		if (!d)
			continue;
		s = add_slot(doc, ecs_names[i].name);
		s->d = d;
		s->conv = ecs_names[i].conv;
	}
	/* the rest under execmon, then the exact bytes of what was replaced */
	for (int pass = 0; pass < 2; pass++)
		for (i = 0; i < ndescs; i++) {
			const struct field_desc *d = &descs[i];
			struct ecs_slot *s;

			if (!d->key || (pass && !(d->flags & F_B64)))
				continue;
			for (j = 0; !pass && j < sizeof(ecs_names) / sizeof(ecs_names[0]); j++)
				if (!strcmp(d->key, ecs_names[j].key))
					break;
			if (!pass && j < sizeof(ecs_names) / sizeof(ecs_names[0]))
				continue;
			s = &slots[doc->nslots];
			snprintf(s->own, sizeof(s->own), "execmon.%s%s", d->key, pass ? "_b64" : "");
			add_slot(doc, s->own)->d = d;
			s->b64 = pass;
		}
	for (i = 0; i < doc->nslots; i++)
		for (int k = 0; k < slots[i].nparts; k++) {
			for (j = 0; j < i; j++) {
				int m;

				for (m = 0; m <= k && m < slots[j].nparts && same_part(&slots[i], &slots[j], m); m++)
					;
				if (m == k + 1)
					break;
			}
			doc->first[i][k] = j;
			slots[i].obj[k] = j;
		}
	for (i = 0; i < doc->nslots; i++)
		order[i] = i;
	for (i = 1; i < doc->nslots; i++)
		for (j = i; j > 0 && slot_order(doc, order[j - 1], order[j]) > 0; j--) {
			unsigned int t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (i = 0; i < doc->nslots; i++) {
		sorted[i] = slots[order[i]];
		/* own names point into the slot itself */
		if (sorted[i].name == slots[order[i]].own)
			sorted[i].name = NULL;
	}
	memcpy(slots, sorted, sizeof(slots[0]) * doc->nslots);
	for (i = 0; i < doc->nslots; i++)
		if (!slots[i].name)
			slots[i].name = slots[i].own;
}

void ecs_init(void)
{
	unsigned int i, j;

	if (gethostname(host.hostname, sizeof(host.hostname) - 1))
		host.hostname[0] = 0;
	read_line("/etc/machine-id", host.id, sizeof(host.id));
	read_line("/proc/sys/kernel/random/boot_id", host.boot_id, sizeof(host.boot_id));
	for (i = 0; i < field_ndescs; i++) {
		const struct field_desc *d = &field_descs[i];

		if (!strcmp(d->key ? d->key : "", "exe"))
			exe_desc = d;
		else if (!strcmp(d->key ? d->key : "", "args"))
			args_desc = d;
	}
	/* every name of ecs_names is a field of one table or the other */
	for (i = 0; i < sizeof(ecs_names) / sizeof(ecs_names[0]); i++) {
		bool found = false;

		for (j = 0; j < field_ndescs && !found; j++)
			found = field_descs[j].key && !strcmp(field_descs[j].key, ecs_names[i].key);
		for (j = 0; j < exit_field_ndescs && !found; j++)
			found = exit_field_descs[j].key && !strcmp(exit_field_descs[j].key, ecs_names[i].key);
		if (!found) {
			p_err("ECS names a field fields.c has not: %s", ecs_names[i].key);
			abort();
		}
	}
	doc_init(&exec_doc, field_descs, field_ndescs);
	doc_init(&exit_doc, exit_field_descs, exit_field_ndescs);
}

/* A slot's value: false, with nothing written, when it has none. */
static bool slot_value(struct sbuf *b, const struct ecs_doc *doc, const struct ecs_slot *s,
		       const struct field_arg *a, __u64 *inexact)
{
	unsigned int bit = s->d ? s->d - doc->descs : 0;
	struct fval v;
	size_t start;

	if (s->put)
		return s->put(b, a);
	if (s->b64 && !(*inexact & (1ULL << bit)))
		return false;
	field_value(s->d, a, &v);
	if (v.type == FV_NULL)
		return false;
	if (s->b64) {
		fields_json_b64(b, &v);
		return true;
	}
	if (s->conv == ECS_ID && v.type == FV_U64) {
		sbuf_putc(b, '"');
		sbuf_put_u64(b, v.u);
		sbuf_putc(b, '"');
		return true;
	}
	start = b->len;
	if (!fields_json_value(b, &v, a) && (s->d->flags & F_B64))
		*inexact |= 1ULL << bit;
	/* a value written by put may turn out to be none */
	return !(b->len - start == 4 && !memcmp(b->p + start, "null", 4));
}

static void put_part(struct sbuf *b, const struct ecs_slot *s, int k)
{
	sbuf_putc(b, '"');
	sbuf_add(b, s->name + s->at[k], s->len[k]);
	sbuf_puts(b, "\":");
}

void ecs_format(struct sbuf *b, const struct field_arg *a)
{
	/* open[k]: the slot that opened the object k + 1 deep */
	const struct ecs_slot *open[ECS_DEPTH];
	int depth = 0;
	bool comma = false;
	__u64 inexact = 0;	/* the fields whose exact bytes follow */
	const struct ecs_doc *doc = record_is_exit(a->rec) ? &exit_doc : &exec_doc;

	sbuf_putc(b, '{');
	for (unsigned int i = 0; i < doc->nslots; i++) {
		const struct ecs_slot *s = &doc->slots[i], *was[ECS_DEPTH];
		size_t len = b->len;
		int common = 0, was_depth = depth;
		bool was_comma = comma;

		memcpy(was, open, sizeof(was));
		while (common < depth && common < s->nparts - 1 && open[common]->obj[common] == s->obj[common])
			common++;
		for (; depth > common; depth--) {
			sbuf_putc(b, '}');
			comma = true;
		}
		for (; depth < s->nparts - 1; depth++) {
			if (comma)
				sbuf_putc(b, ',');
			put_part(b, s, depth);
			sbuf_putc(b, '{');
			open[depth] = s;
			comma = false;
		}
		if (comma)
			sbuf_putc(b, ',');
		put_part(b, s, depth);
		if (slot_value(b, doc, s, a, &inexact)) {
			comma = true;
		} else {
			b->len = len;
			depth = was_depth;
			comma = was_comma;
			memcpy(open, was, sizeof(was));
		}
	}
	for (; depth > 0; depth--)
		sbuf_putc(b, '}');
	sbuf_puts(b, "}\n");
}

void ecs_format_lost(struct sbuf *b, __u64 lost, int cpu, __s64 real_ns)
{
	sbuf_puts(b, "{\"@timestamp\":");
	json_time(b, real_ns);
	sbuf_puts(b, ",\"ecs\":{\"version\":\"" ECS_VERSION "\"},"
		  "\"event\":{\"kind\":\"metric\",\"action\":\"events-lost\"}");
	if (host.hostname[0]) {
		sbuf_puts(b, ",\"host\":{\"hostname\":");
		e_hostname(b, NULL);
		sbuf_puts(b, ",\"name\":");
		e_hostname(b, NULL);
		sbuf_putc(b, '}');
	}
	sbuf_puts(b, ",\"execmon\":{\"lost\":");
	sbuf_put_u64(b, lost);
	sbuf_puts(b, ",\"cpu\":");
	if (cpu >= 0)
		sbuf_put_u64(b, cpu);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, "}}\n");
}
