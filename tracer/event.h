/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Decoding one perf record into an exec, checking every length first. */
#ifndef EXECMON_EVENT_H
#define EXECMON_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "execmon.h"

enum decode_status {
	DECODE_OK = 0,
	DECODE_SHORT,		/* shorter than the header it claims */
	DECODE_VERSION,		/* an ABI version this tracer does not know */
	DECODE_LENGTHS,		/* path or argv lengths point past the end */
	DECODE_KIND,		/* a kind of record this tracer does not know */
};

/* A decoded exec. hdr is an aligned copy; exe, argv, script and cwd, one
 * member and its length for each part of EVENT_SECTIONS, point into the
 * record, which must outlive this. */
struct exec_record {
	const char *exe;
	size_t exe_len;
	const char *argv;
	size_t argv_len;
	const char *script;	/* the name a #! script was run by, if EV_SCRIPT */
	size_t script_len;
	const char *cwd;	/* when captured */
	size_t cwd_len;
	const char *ctx;	/* when captured (EV_CTX): sizeof(struct exec_ctx) bytes */
	size_t ctx_len;
	struct exec_ctx context; /* an aligned copy of ctx, decoded; zero without it */
	const char *env;	/* the environment, if EV_ENV (--env) */
	size_t env_len;
	__u64 env_full_len;	/* the whole environment's length */
	const char *exit;	/* an exit record's (EV_EXIT): sizeof(struct exit_info) bytes */
	size_t exit_len;
	struct exit_info exited; /* an aligned copy of exit; zero without it */
	__u32 exe_fd;		/* the descriptor asked for, if EV_EXE_FD; exe is then
				 * the file it named, empty when none */
	struct event hdr;	/* last: it ends in a flexible array */
};

/*
 * What each kind of record (event.kind, EV_KIND_*) is to the tracer, in
 * one table, record_kinds in event.c: a new kind is an entry there and
 * its BPF producer.
 */
struct record_kind {
	const char *name;	/* for people: "exec", "failed", ... */
	const char *message_id;	/* the journal's MESSAGE_ID */
	bool hidden;		/* never shown: execmon's own */
	const char *ret_label;	/* the table's RET before the error: "check" */
	bool exe_asked;		/* exe is the path the call asked for, as given,
				 * not a resolved one (EV_NO_RETURN and EV_EXE_FD
				 * aside) */
	bool secure;		/* the exec decided its privileges (AT_SECURE):
				 * a failed exec never got so far, and a check
				 * decides none */
};

extern const struct record_kind record_kinds[EV_KINDS];

/* decode_event returns only the kinds of the table. */
static inline const struct record_kind *record_kind(const struct exec_record *rec)
{
	return &record_kinds[rec->hdr.kind];
}

/* What kind of record it is: readers ask these, not the header's bits. */
static inline bool record_is_self_check(const struct exec_record *rec)
{
	return rec->hdr.kind == EV_KIND_SELF_CHECK;
}

static inline bool record_is_failed(const struct exec_record *rec)
{
	return rec->hdr.kind == EV_KIND_FAILED;
}

static inline bool record_is_check(const struct exec_record *rec)
{
	return rec->hdr.kind == EV_KIND_CHECK;
}

/* An exit record (--exits): no exec's parts, the exit part instead. */
static inline bool record_is_exit(const struct exec_record *rec)
{
	return rec->hdr.kind == EV_KIND_EXIT;
}

/* Whether the record is shown at all: a self-check marker is not. */
static inline bool record_shown(const struct exec_record *rec)
{
	return !record_kind(rec)->hidden;
}

/* The ctx part, decoded, or NULL when it was not captured. */
static inline const struct exec_ctx *record_ctx(const struct exec_record *rec)
{
	return rec->ctx_len ? &rec->context : NULL;
}

/* exe is the path the call asked for, as given, not a resolved one. */
static inline bool record_exe_asked(const struct exec_record *rec)
{
	if (rec->hdr.flags & EV_EXE_FD)
		return false;
	/* past the point of no return, a failed exec's file was resolved */
	return record_kind(rec)->exe_asked &&
	       !(record_is_failed(rec) && (rec->hdr.flags & EV_NO_RETURN));
}

/* Whether the exec decided its privileges (AT_SECURE). */
static inline bool record_has_secure(const struct exec_record *rec)
{
	return record_kind(rec)->secure;
}

/* What the executed file is, from its flags, in one place: the exe_kind
 * field's name, and the mark the table puts after the path. A file that
 * never had a name (memfd, anon) is not shown as one that lost it. */
#define EXE_KINDS(X)						\
	X(FILE, "file")						\
	X(DELETED, "deleted")					\
	X(MEMFD, "memfd")					\
	X(ANON, "anon")

enum exe_kind {
#define EXE_KIND_ENUM(id, name) EXE_KIND_##id,
	EXE_KINDS(EXE_KIND_ENUM)
#undef EXE_KIND_ENUM
};

/* "file", "memfd", ...; and "", "(deleted)", "(memfd)", ... for the table */
extern const char *const exe_kind_names[];
extern const char *const exe_kind_marks[];

static inline enum exe_kind exe_kind_of(__u32 flags)
{
	if (flags & EV_EXE_MEMFD)
		return EXE_KIND_MEMFD;
	if (flags & EV_EXE_ANON)
		return EXE_KIND_ANON;
	return flags & EV_EXE_DELETED ? EXE_KIND_DELETED : EXE_KIND_FILE;
}

/* The exe_kind name of a record; NULL when no file was resolved (a failed
 * exec's or a check's path). */
const char *exe_kind(const struct exec_record *rec);

enum decode_status decode_event(const void *data, size_t size, struct exec_record *rec);

/* The other way, for tests and benchmarks: writes rec->hdr, with version,
 * hdr_len and each part's length filled in from rec (EV_CTX from ctx_len),
 * then the parts, into buf. Returns the record's size, 0 when it exceeds
 * cap or ctx_len is neither 0 nor sizeof(struct exec_ctx). */
size_t encode_event(void *buf, size_t cap, const struct exec_record *rec);
const char *decode_strerror(enum decode_status st);

/* Reads the timestamp of a record for ordering; false if too short. */
bool event_peek_ts(const void *data, size_t size, __u64 *ts);

/* Walks argv: each call yields one argument (without its NUL). A last
 * argument without its NUL (a cut argv) is yielded too. */
struct argv_iter {
	const char *p, *end;
};

static inline void argv_iter_init(struct argv_iter *it, const char *argv, size_t len)
{
	it->p = argv;
	it->end = argv + len;
}

bool argv_next(struct argv_iter *it, const char **arg, size_t *len);

/* --env=NAME,...: only these variables are shown (names is a
 * comma-separated list that must outlive the tracing); NULL shows all. */
void env_keep_only(const char *names);

/* Walks the environment, as argv_next, skipping the variables that
 * env_keep_only left out. */
bool env_next(struct argv_iter *it, const char **var, size_t *len);

static inline __u64 env_cut_bytes(const struct exec_record *rec)
{
	return rec->env_full_len > rec->env_len ? rec->env_full_len - rec->env_len : 0;
}

/* Bytes of argv that were not captured. */
static inline __u64 argv_cut_bytes(const struct exec_record *rec)
{
	return rec->hdr.argv_full_len > rec->argv_len ?
	       rec->hdr.argv_full_len - rec->argv_len : 0;
}

static inline __u64 exe_cut_bytes(const struct exec_record *rec)
{
	if (!(rec->hdr.flags & EV_EXE_TRUNCATED))
		return 0;
	return rec->hdr.exe_full_len > rec->exe_len ?
	       rec->hdr.exe_full_len - rec->exe_len : 0;
}

static inline __u64 cwd_cut_bytes(const struct exec_record *rec)
{
	if (!(rec->hdr.flags & EV_CWD_TRUNCATED))
		return 0;
	return rec->hdr.cwd_full_len > rec->cwd_len ?
	       rec->hdr.cwd_full_len - rec->cwd_len : 0;
}

#endif
