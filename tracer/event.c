// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include "event.h"

/*
 * Where each part's length is: in the header (exe to cwd), or for a later
 * part, which the header had no room for, at the part's start when its flag
 * says the part is there. Each gives the part's bytes in all (*len) and
 * where its content starts in them (*at); false when that does not fit.
 */
#define LEN_IN_HEADER(name)							\
static bool part_##name(struct exec_record *rec, const char *part, size_t left,	\
			size_t *len, size_t *at)				\
{										\
	(void)part;								\
	(void)left;								\
	*len = rec->hdr.name##_len;						\
	*at = 0;								\
	return true;								\
}
LEN_IN_HEADER(exe)
LEN_IN_HEADER(argv)
LEN_IN_HEADER(script)
LEN_IN_HEADER(cwd)
#undef LEN_IN_HEADER

static bool part_env(struct exec_record *rec, const char *part, size_t left, size_t *len,
		     size_t *at)
{
	struct env_head head;

	*len = *at = 0;
	if (!(rec->hdr.flags & EV_ENV))
		return true;
	if (left < sizeof(head))
		return false;
	memcpy(&head, part, sizeof(head));
	rec->env_full_len = head.full_len;
	*at = sizeof(head);
	*len = sizeof(head) + head.len;
	return true;
}

/* ctx, when there, is a struct exec_ctx: its flag is its length. */
static bool part_ctx(struct exec_record *rec, const char *part, size_t left, size_t *len,
		     size_t *at)
{
	(void)part;
	(void)left;
	*len = rec->hdr.flags & EV_CTX ? sizeof(struct exec_ctx) : 0;
	*at = 0;
	return true;
}

/* exit, when there, is a struct exit_info: its flag is its length. */
static bool part_exit(struct exec_record *rec, const char *part, size_t left, size_t *len,
		      size_t *at)
{
	(void)part;
	(void)left;
	*len = rec->hdr.flags & EV_EXIT ? sizeof(struct exit_info) : 0;
	*at = 0;
	return true;
}

/* MESSAGE_IDs are fixed for good, so that journalctl MESSAGE_ID=... finds
 * them on any machine and in any version. */
const struct record_kind record_kinds[EV_KINDS] = {
	[EV_KIND_EXEC] = {
		.name = "exec", .message_id = "09fe182f222545de8b0ab53c97aa0d29", .secure = true,
	},
	[EV_KIND_FAILED] = {
		.name = "failed", .message_id = "09fe182f222545de8b0ab53c97aa0d29",
		.exe_asked = true,
	},
	/* execmon's own start-up marker */
	[EV_KIND_SELF_CHECK] = {
		.name = "self-check", .message_id = "09fe182f222545de8b0ab53c97aa0d29",
		.hidden = true, .secure = true,
	},
	/* an exec check (AT_EXECVE_CHECK): nothing ran, so not an exec's */
	[EV_KIND_CHECK] = {
		.name = "check", .message_id = "25353cbe9a9f4164819f5a8553bd5771",
		.ret_label = "check", .exe_asked = true,
	},
	/* a traced process ended (--exits) */
	[EV_KIND_EXIT] = {
		.name = "exit", .message_id = "7a3e5c1d90b84f2a9c6d1e8f4b2a7c35",
	},
};

enum decode_status decode_event(const void *data, size_t size, struct exec_record *rec)
{
	const char *bytes = data, *part;
	size_t hdr_len, len, at;

	memset(rec, 0, sizeof(*rec));
	/* version and hdr_len come first in every ABI version */
	if (size < 4)
		return DECODE_SHORT;
	memcpy(&rec->hdr, bytes, 4);
	if (rec->hdr.version != EXECMON_ABI_VERSION)
		return DECODE_VERSION;
	hdr_len = rec->hdr.hdr_len;
	if (hdr_len < sizeof(struct event) || size < hdr_len)
		return DECODE_SHORT;
	memcpy(&rec->hdr, bytes, sizeof(struct event));
	if (rec->hdr.kind >= EV_KINDS)
		return DECODE_KIND;
	/* Each length is compared with what is left, so that no sum can
	 * overflow. */
	part = bytes + hdr_len;
	size -= hdr_len;
#define TAKE_PART(name, max)							\
	if (!part_##name(rec, part, size, &len, &at) || len > (max) || len > size) \
		return DECODE_LENGTHS;						\
	rec->name = part + at;							\
	rec->name##_len = len - at;						\
	part += len;								\
	size -= len;
	EVENT_SECTIONS(TAKE_PART)
#undef TAKE_PART
	if (rec->hdr.flags & EV_EXE_FD) {
		if (rec->exe_len < EXE_FD_LEN)
			return DECODE_LENGTHS;
		memcpy(&rec->exe_fd, rec->exe, EXE_FD_LEN);
		rec->exe += EXE_FD_LEN;
		rec->exe_len -= EXE_FD_LEN;
	}
	if (rec->ctx_len)
		memcpy(&rec->context, rec->ctx, sizeof(rec->context));
	if (rec->exit_len)
		memcpy(&rec->exited, rec->exit, sizeof(rec->exited));
	/* until every reader asks record_is_failed() */
	if (rec->hdr.kind == EV_KIND_FAILED)
		rec->hdr.flags |= EV_FAILED;
	return DECODE_OK;
}

/* The parts whose length is in the header, in EVENT_SECTIONS's order. */
#define PARTS_LEN_IN_HEADER(X)	X(exe, 0) X(argv, 0) X(script, 0) X(cwd, 0)
_Static_assert(EV_SECTION_FOLLOWS(cwd, env) && EV_SECTION_FOLLOWS(env, ctx) &&
	       EV_SECTION_FOLLOWS(ctx, exit),
	       "encode_event writes the parts in another order");

size_t encode_event(void *buf, size_t cap, const struct exec_record *rec)
{
	struct event hdr = rec->hdr;
	size_t size = sizeof(hdr);
	char *p = buf;

	hdr.version = EXECMON_ABI_VERSION;
	hdr.hdr_len = sizeof(hdr);
	if ((rec->ctx_len && rec->ctx_len != sizeof(struct exec_ctx)) ||
	    (rec->exit_len && rec->exit_len != sizeof(struct exit_info)))
		return 0;
#define PART_LEN(name, max)							\
	hdr.name##_len = rec->name##_len;					\
	size += rec->name##_len;
	PARTS_LEN_IN_HEADER(PART_LEN)
#undef PART_LEN
	if (hdr.flags & EV_EXE_FD) {
		hdr.exe_len += EXE_FD_LEN;
		size += EXE_FD_LEN;
	}
	if (hdr.flags & EV_ENV)
		size += sizeof(struct env_head) + rec->env_len;
	hdr.flags = (hdr.flags & ~EV_CTX) | (rec->ctx_len ? EV_CTX : 0);
	size += rec->ctx_len;
	hdr.flags = (hdr.flags & ~EV_EXIT) | (rec->exit_len ? EV_EXIT : 0);
	size += rec->exit_len;
	if (size > cap)
		return 0;
	memcpy(p, &hdr, sizeof(hdr));
	p += sizeof(hdr);
	if (hdr.flags & EV_EXE_FD) {
		memcpy(p, &rec->exe_fd, EXE_FD_LEN);
		p += EXE_FD_LEN;
	}
#define PUT_PART(name, max)							\
	if (rec->name##_len)							\
		memcpy(p, rec->name, rec->name##_len);				\
	p += rec->name##_len;
	PARTS_LEN_IN_HEADER(PUT_PART)
	if (hdr.flags & EV_ENV) {
		struct env_head head = { rec->env_len, rec->env_full_len };

		memcpy(p, &head, sizeof(head));
		p += sizeof(head);
		PUT_PART(env, ENV_MAX)
	}
	PUT_PART(ctx, 0)
	PUT_PART(exit, 0)
#undef PUT_PART
	return size;
}

const char *decode_strerror(enum decode_status st)
{
	switch (st) {
	case DECODE_OK:
		return "ok";
	case DECODE_SHORT:
		return "record shorter than its header";
	case DECODE_VERSION:
		return "unknown record version";
	case DECODE_LENGTHS:
		return "lengths point past the end of the record";
	case DECODE_KIND:
		return "unknown kind of record";
	}
	return "unknown error";
}

bool event_peek_ts(const void *data, size_t size, __u64 *ts)
{
	if (size < offsetof(struct event, ts_ns) + sizeof(*ts))
		return false;
	memcpy(ts, (const char *)data + offsetof(struct event, ts_ns), sizeof(*ts));
	return true;
}

bool argv_next(struct argv_iter *it, const char **arg, size_t *len)
{
	const char *nul;

	if (it->p >= it->end)
		return false;
	nul = memchr(it->p, '\0', it->end - it->p);
	*arg = it->p;
	if (nul) {
		*len = nul - it->p;
		it->p = nul + 1;
	} else {
		*len = it->end - it->p;
		it->p = it->end;
	}
	return true;
}

#define EXE_KIND_NAME(id, name) [EXE_KIND_##id] = name,
const char *const exe_kind_names[] = { EXE_KINDS(EXE_KIND_NAME) };
#undef EXE_KIND_NAME
/* a plain file has no mark */
#define EXE_KIND_MARK(id, name) [EXE_KIND_##id] = EXE_KIND_##id == EXE_KIND_FILE ? "" : "(" name ")",
const char *const exe_kind_marks[] = { EXE_KINDS(EXE_KIND_MARK) };
#undef EXE_KIND_MARK

const char *exe_kind(const struct exec_record *rec)
{
	__u32 flags = rec->hdr.flags;

	if (record_exe_asked(rec) || (flags & EV_EXE_FAULT) || !rec->exe_len)
		return NULL;
	return exe_kind_names[exe_kind_of(flags)];
}

static const char *env_names;

void env_keep_only(const char *names)
{
	env_names = names;
}

/* Whether var (NAME=VALUE, or a string without '=') is one of env_names. */
static bool env_kept(const char *var, size_t len)
{
	const char *eq = memchr(var, '=', len);
	size_t name_len = eq ? (size_t)(eq - var) : len;

	if (!env_names)
		return true;
	for (const char *p = env_names, *end; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		if ((size_t)(end - p) == name_len && !memcmp(p, var, name_len))
			return true;
	}
	return false;
}

bool env_next(struct argv_iter *it, const char **var, size_t *len)
{
	while (argv_next(it, var, len))
		if (env_kept(*var, *len))
			return true;
	return false;
}
