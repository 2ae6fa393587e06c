// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include "event.h"

enum decode_status decode_event(const void *data, size_t size, struct exec_record *rec)
{
	const char *bytes = data;
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
	/* Compare against what is left, so that no sum can overflow. */
	size -= hdr_len;
	if (rec->hdr.exe_len > EXE_MAX || rec->hdr.argv_len > ARGV_MAX ||
	    rec->hdr.script_len > SCRIPT_MAX || rec->hdr.cwd_len > CWD_MAX ||
	    rec->hdr.exe_len > size || rec->hdr.argv_len > size - rec->hdr.exe_len ||
	    rec->hdr.script_len > size - rec->hdr.exe_len - rec->hdr.argv_len ||
	    rec->hdr.cwd_len > size - rec->hdr.exe_len - rec->hdr.argv_len - rec->hdr.script_len)
		return DECODE_LENGTHS;
	rec->exe = bytes + hdr_len;
	rec->exe_len = rec->hdr.exe_len;
	rec->argv = rec->exe + rec->exe_len;
	rec->argv_len = rec->hdr.argv_len;
	rec->script = rec->argv + rec->argv_len;
	rec->script_len = rec->hdr.script_len;
	rec->cwd = rec->script + rec->script_len;
	rec->cwd_len = rec->hdr.cwd_len;
	return DECODE_OK;
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
