// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include "event.h"

/* The length the header gives each part: a field of its own, but for ctx,
 * whose size is fixed, a flag. */
#define HDR_LEN_exe(h)		((h)->exe_len)
#define HDR_LEN_argv(h)		((h)->argv_len)
#define HDR_LEN_script(h)	((h)->script_len)
#define HDR_LEN_cwd(h)		((h)->cwd_len)
#define HDR_LEN_ctx(h)		((h)->flags & EV_CTX ? sizeof(struct exec_ctx) : 0)
#define SET_LEN_exe(h, n)	((h)->exe_len = (n))
#define SET_LEN_argv(h, n)	((h)->argv_len = (n))
#define SET_LEN_script(h, n)	((h)->script_len = (n))
#define SET_LEN_cwd(h, n)	((h)->cwd_len = (n))
#define SET_LEN_ctx(h, n)	((h)->flags = ((h)->flags & ~EV_CTX) | ((n) ? EV_CTX : 0))

enum decode_status decode_event(const void *data, size_t size, struct exec_record *rec)
{
	const char *bytes = data, *part;
	size_t hdr_len;

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
	if (HDR_LEN_##name(&rec->hdr) > (max) || HDR_LEN_##name(&rec->hdr) > size) \
		return DECODE_LENGTHS;						\
	rec->name = part;							\
	rec->name##_len = HDR_LEN_##name(&rec->hdr);				\
	part += rec->name##_len;						\
	size -= rec->name##_len;
	EVENT_SECTIONS(TAKE_PART)
#undef TAKE_PART
	if (rec->ctx_len)
		memcpy(&rec->context, rec->ctx, sizeof(rec->context));
	/* until every reader asks record_is_failed() */
	if (rec->hdr.kind == EV_KIND_FAILED)
		rec->hdr.flags |= EV_FAILED;
	return DECODE_OK;
}

size_t encode_event(void *buf, size_t cap, const struct exec_record *rec)
{
	struct event hdr = rec->hdr;
	size_t size = sizeof(hdr);
	char *p = buf;

	hdr.version = EXECMON_ABI_VERSION;
	hdr.hdr_len = sizeof(hdr);
	if (rec->ctx_len && rec->ctx_len != sizeof(struct exec_ctx))
		return 0;
#define PART_LEN(name, max)							\
	SET_LEN_##name(&hdr, rec->name##_len);					\
	size += rec->name##_len;
	EVENT_SECTIONS(PART_LEN)
#undef PART_LEN
	if (size > cap)
		return 0;
	memcpy(p, &hdr, sizeof(hdr));
	p += sizeof(hdr);
#define PUT_PART(name, max)							\
	if (rec->name##_len)							\
		memcpy(p, rec->name, rec->name##_len);				\
	p += rec->name##_len;
	EVENT_SECTIONS(PUT_PART)
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
