/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Every field an exec is shown with, described once: its column of the
 * table, its JSON key, its journal field and how its value is read from
 * a record. The table, JSON and journal writers, --help, the unknown-field
 * error and the tests all walk the one list in fields.c (its ctx part
 * below); a new field is an entry there (and, if it is a column outside
 * the ctx part, its name in enum field).
 */
#ifndef EXECMON_FIELDS_H
#define EXECMON_FIELDS_H

#include <stdbool.h>
#include <linux/types.h>
#include "event.h"
#include "sbuf.h"

/*
 * The ctx part's fields (who the process is, read only when one is asked
 * for), in the form of fields.c's FIELDS: here, so that each makes its
 * column of enum field too. A field of the ctx part is its line here, its
 * member of struct exec_ctx, its read in bpf/lib/identity_body.h and
 * its value function in fields.c (one line, CTX_NUMBER, for a plain number).
 */
#define FIELDS_CTX(C, K, T)								\
	C(auid, FIELD_AUID, "AUID", 6, RIGHT, "EXECMON_AUID", F_CTX, NULL)		\
	C(loginuser, FIELD_LOGINUSER, "LOGINUSER", 9, LEFT, "EXECMON_LOGINUSER", F_CTX, NULL) \
	C(sid, FIELD_SID, "SID", 6, RIGHT, "EXECMON_SID", F_CTX, NULL)			\
	C(tty, FIELD_TTY, "TTY", 7, LEFT, "EXECMON_TTY", F_CTX, NULL)			\
	C(euid, FIELD_EUID, "EUID", 6, RIGHT, "EXECMON_EUID", F_CTX, NULL)		\
	C(egid, FIELD_EGID, "EGID", 6, RIGHT, "EXECMON_EGID", F_CTX, NULL)		\
	C(secure, FIELD_SECURE, "SECURE", 6, LEFT, "EXECMON_SECURE", F_CTX, NULL)	\
	C(pcomm, FIELD_PCOMM, "PCOMM", 16, LEFT, "EXECMON_PCOMM", F_CTX | F_B64, NULL)	\
	K(ancestors, "EXECMON_ANCESTORS", F_CTX)					\
	C(exec_id, FIELD_EXEC_ID, "EXEC_ID", 22, LEFT, "EXECMON_EXEC_ID", F_CTX, NULL)	\
	C(parent_exec_id, FIELD_PARENT_EXEC_ID, "PARENT_EXEC_ID", 22, LEFT,		\
	  "EXECMON_PARENT_EXEC_ID", F_CTX, NULL)					\
	C(pidfs_ino, FIELD_PIDFS_INO, "PIDFS_INO", 9, RIGHT, "EXECMON_PIDFS_INO", F_CTX, NULL) \
	C(nspid, FIELD_NSPID, "NSPID", 7, RIGHT, "EXECMON_NSPID", F_CTX, NULL)		\
	C(pidns, FIELD_PIDNS, "PIDNS", 10, RIGHT, "EXECMON_PIDNS", F_CTX, NULL)

#define FIELD_ENUM_C(k, col, ...)	col,
#define FIELD_ENUM_K(...)
#define FIELD_ENUM_T(col, ...)		col,

/* The table's columns, in the order --help lists them. */
enum field {
	FIELD_TIME,		/* HH:MM:SS, local */
	FIELD_TIMESTAMP,	/* seconds since execmon started */
	FIELD_PID,
	FIELD_PPID,
	FIELD_UID,
	FIELD_USER,
	FIELD_COMM,
	FIELD_RET,		/* 0, or the error of a failed exec */
	FIELD_CWD,
	FIELD_CGROUP,
	FIELD_MNTNS,
	FIELD_CONTAINER_ID,	/* from the cgroup's path */
	FIELD_CONTAINER_RUNTIME,
	FIELD_POD_UID,
	FIELD_EXE_DEV,		/* the executed file's identity, read at the exec */
	FIELD_EXE_INO,
	FIELD_EXE_SIZE,
	FIELD_EXE_MTIME,
	FIELD_EXE_CTIME,
	FIELD_EXE_SHA256,	/* with --hash */
	/* who the process is: the ctx part, read only when one is asked for */
	FIELDS_CTX(FIELD_ENUM_C, FIELD_ENUM_K, FIELD_ENUM_T)
	FIELD_EXE_KIND,		/* file, memfd, deleted or anon */
	FIELD_ENV,		/* with --env */
	FIELD_EXE,
	FIELD_ARGS,
	FIELD_COUNT,
	FIELD_NONE = FIELD_COUNT /* a field that is no column of the table */
};

/* The journal's names for a list: PREFIX0, PREFIX1..., all of it in
 * WHOLE when they do not fit, and their number in COUNT. */
struct journal_list {
	const char *prefix, *whole, *count;
};

struct field_arg;

/* A field's value as JSON and the journal take it. */
enum fval_type {
	FV_NULL,	/* JSON's null, no journal field, the table's "-" */
	FV_U64,
	FV_S64,
	FV_BOOL,	/* true or false; the table's yes or no */
	FV_BYTES,	/* any bytes: a JSON string (U+FFFD for what is not
			 * UTF-8), the journal's bytes as they are, the table's
			 * shell quoting */
	FV_TEXT,	/* printable ASCII that needs no escape */
	FV_PUT,		/* the same, written by put straight into the output,
			 * none when it writes nothing: no scratch copy */
	FV_PUT_JSON,	/* JSON text written by put, in the journal too (an
			 * array), null when it writes nothing */
	FV_LIST,	/* NUL-separated strings: a JSON array, numbered
			 * journal fields */
};

struct fval {
	enum fval_type type;
	union {
		__u64 u;
		__s64 s;
		bool b;
	};
	const char *p;		/* FV_BYTES, FV_TEXT, FV_LIST */
	size_t n;
	/* FV_PUT, FV_PUT_JSON: appends the value to b */
	void (*put)(struct sbuf *b, const struct field_arg *a);
	/* FV_LIST: yields each item (argv_next, env_next) */
	bool (*next)(struct argv_iter *it, const char **s, size_t *len);
	const struct journal_list *list; /* FV_LIST: the journal's names */
};

/* What a field's value is read from. */
struct field_arg {
	const struct exec_record *rec;
	const struct exec_ctx *ctx;	/* record_ctx(rec) */
	__s64 mono_to_real_ns;		/* add to a stamp for wall clock */
	__u64 start_ns;			/* when tracing started (the table's timestamp) */
	bool journal;			/* for the journal, which leaves out a few more */
};

/* FV_PUT, FV_PUT_JSON: appends v's value to b; false when put wrote
 * nothing, which each format then shows as its own empty value. */
static inline bool fval_put(struct sbuf *b, const struct fval *v, const struct field_arg *a)
{
	size_t start = b->len;

	v->put(b, a);
	return b->len != start;
}

enum field_flags {
	F_CTX	= 1 << 0,	/* needs the ctx part, read only when a column asks */
	F_B64	= 1 << 1,	/* JSON adds KEY_b64, the exact bytes, when a string
				 * had to replace some */
	F_TAIL	= 1 << 2,	/* the journal writes it after the others: a list
				 * takes what they leave */
	F_EXE_ID = 1 << 3,	/* the file's identity, read only when asked for */
	F_CGROUP_MNTNS = 1 << 4, /* the cgroup and mount namespace, read only when
				  * asked for */
	F_PPID	= 1 << 5,	/* the parent's pid: the same */
};

struct field_desc {
	enum field column;	/* FIELD_NONE: not a column */
	const char *name;	/* the column's name for --fields */
	const char *header;	/* the table's header */
	int width;		/* columns, ARGS and ENV excepted */
	bool right;		/* numbers are right-aligned */
	const char *key;	/* JSON's key; NULL: none */
	const char *journal;	/* the journal's field; NULL: none, or a list's */
	unsigned int flags;	/* enum field_flags */
	/* The value for JSON and the journal, and for the table's cell
	 * unless cell is given. */
	void (*value)(struct fval *v, const struct field_arg *a);
	/* The table's cell, when it is not the value's. */
	void (*cell)(struct sbuf *b, const struct field_arg *a);
};

/* Every field, in JSON's order; the journal keeps the same, F_TAIL last.
 * They are listed in fields.c's FIELDS. */
extern const struct field_desc field_descs[];
extern const unsigned int field_ndescs;
/* An exit record's fields (--exits), which it is written with instead. */
extern const struct field_desc exit_field_descs[];
extern const unsigned int exit_field_ndescs;
/* "SIGTERM", or NULL for no signal. */
const char *signal_name(int sig);

/* The columns' descriptions, by enum field. */
extern const struct field_desc *field_columns[FIELD_COUNT];

static inline const struct field_desc *field_column(enum field f)
{
	return field_columns[f];
}
/* The column named name, or FIELD_NONE. */
enum field field_by_name(const char *name);
/* Every column's name, in the order of the table: "time, timestamp, ...". */
const char *field_names(void);

/* The value of d for a->rec. Every field of the ctx part is null without it. */
static inline void field_value(const struct field_desc *d, const struct field_arg *a,
			       struct fval *v)
{
	if ((d->flags & F_CTX) && !a->ctx) {
		v->type = FV_NULL;
		return;
	}
	d->value(v, a);
}
/* Appends the table's line of rec to b: the columns cols, each its
 * cell function's or its value as the table shows it ("-" for none). */
void fields_table(struct sbuf *b, const struct exec_record *rec, __s64 mono_to_real_ns,
		  __u64 start_ns, const enum field *cols, int n);
/* Pads the cell of d that began at start to its width, then a space; the
 * last cell is not padded. */
void field_end_cell(struct sbuf *b, size_t start, const struct field_desc *d, bool last);

/* Appends one exec as a JSON object and a newline to b. */
void fields_json(struct sbuf *b, const struct field_arg *a);
/* A value as JSON writes it, after its key: false when a string had to
 * replace some bytes, whose exact ones fields_json_b64 writes (KEY_b64's
 * value). For other writers of JSON (ecs.c); fields_json has its own. */
bool fields_json_value(struct sbuf *b, const struct fval *v, const struct field_arg *a);
void fields_json_b64(struct sbuf *b, const struct fval *v);

#endif
