// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include <time.h>
#include "output.h"
#include "ecs.h"
#include "json.h"
#include "lookup.h"

void output_init(struct output *o, FILE *out)
{
	memset(o, 0, sizeof(*o));
	o->out = out;
	o->header = true;
}

void output_free(struct output *o)
{
	sbuf_free(&o->line);
}

static void add_field(struct output *o, enum field f)
{
	for (int i = 0; i < o->nfields; i++)
		if (o->fields[i] == f)
			return;
	o->fields[o->nfields++] = f;
}

const char *output_add_fields(struct output *o, char *list)
{
	char *save = NULL;

	for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		enum field f = field_by_name(name);

		if (f == FIELD_NONE)
			return name;
		add_field(o, f);
	}
	return NULL;
}

bool output_wants(const struct output *o, enum field_flags flag)
{
	for (int i = 0; i < o->nfields; i++)
		if (field_column(o->fields[i])->flags & flag)
			return true;
	return false;
}

bool output_has_field(const struct output *o, enum field f)
{
	for (int i = 0; i < o->nfields; i++)
		if (o->fields[i] == f)
			return true;
	return false;
}

void output_insert_field(struct output *o, enum field f, enum field before)
{
	int i;

	if (output_has_field(o, f))
		return;
	for (i = 0; i < o->nfields && o->fields[i] != before; i++)
		;
	memmove(&o->fields[i + 1], &o->fields[i], (o->nfields - i) * sizeof(o->fields[0]));
	o->fields[i] = f;
	o->nfields++;
}

static void move_to_end(struct output *o, enum field f)
{
	int i;

	for (i = 0; i < o->nfields; i++)
		if (o->fields[i] == f)
			break;
	if (i < o->nfields) {
		memmove(&o->fields[i], &o->fields[i + 1], (o->nfields - i - 1) * sizeof(o->fields[0]));
		o->fields[o->nfields - 1] = f;
	}
}

void output_finish_fields(struct output *o)
{
	/* ENV and ARGS hold spaces: the columns after them could not be told
	 * apart, so they come last, the words of ENV before those of ARGS */
	move_to_end(o, FIELD_ENV);
	move_to_end(o, FIELD_ARGS);
}

void output_header(struct output *o)
{
	struct sbuf *b = &o->line;

	if (o->json || !o->header)
		return;
	b->len = 0;
	for (int i = 0; i < o->nfields; i++) {
		const struct field_desc *d = field_column(o->fields[i]);
		size_t start = b->len;

		sbuf_puts(b, d->header);
		field_end_cell(b, start, d, i == o->nfields - 1);
	}
	sbuf_putc(b, '\n');
	fwrite(b->p, 1, b->len, o->out);
}

void output_format(struct output *o, const struct exec_record *rec)
{
	struct sbuf *b = &o->line;

	b->len = 0;
	if (o->json) {
		struct field_arg a = {
			.rec = rec, .ctx = record_ctx(rec), .mono_to_real_ns = o->mono_to_real_ns,
			.start_ns = o->start_ns,
		};

		if (o->ecs)
			ecs_format(b, &a);
		else
			fields_json(b, &a);
		return;
	}
	fields_table(b, rec, o->mono_to_real_ns, o->start_ns, o->fields, o->nfields);
}

void output_event(struct output *o, const struct exec_record *rec)
{
	output_format(o, rec);
	fwrite_unlocked(o->line.p, 1, o->line.len, o->out);
}

void output_lost(struct output *o, __u64 lost, int cpu, __s64 real_ns)
{
	struct sbuf *b = &o->line;

	b->len = 0;
	if (o->ecs) {
		ecs_format_lost(b, lost, cpu, real_ns);
	} else if (o->json) {
		json_format_lost(b, lost, cpu, real_ns);
	} else {
		static struct time_cache utc;

		sbuf_puts(b, "[lost ");
		sbuf_put_u64(b, lost);
		sbuf_puts(b, " events");
		if (cpu >= 0) {
			sbuf_puts(b, " on CPU ");
			sbuf_put_u64(b, cpu);
		}
		sbuf_puts(b, ", ");
		sbuf_puts(b, time_text(&utc, real_ns / 1000000000, true));
		sbuf_puts(b, "Z]\n");
	}
	fwrite_unlocked(b->p, 1, b->len, o->out);
}
