// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include "event.h"

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
	if (rec->hdr.name##_len > (max) || rec->hdr.name##_len > size)		\
		return DECODE_LENGTHS;						\
	rec->name = part;							\
	rec->name##_len = rec->hdr.name##_len;					\
	part += rec->name##_len;						\
	size -= rec->name##_len;
	EVENT_SECTIONS(TAKE_PART)
#undef TAKE_PART
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
#define PART_LEN(name, max)							\
	hdr.name##_len = rec->name##_len;					\
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
