// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* libFuzzer harness: any bytes, as a perf record, through the decoder and
 * every output. What the kernel sends is trusted no further than this. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "journal.h"
#include "json.h"
#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct output table, json;
	static int ready;
	struct exec_record rec;
	/* a copy of exactly size bytes, so that ASan sees any read past it */
	uint8_t *copy = malloc(size ? size : 1);

	if (!ready) {
		output_init(&table, NULL);
		/* every column there is */
		for (int f = 0; f < FIELD_COUNT; f++) {
			char name[32];

			snprintf(name, sizeof(name), "%s", field_column(f)->name);
			if (output_add_fields(&table, name))
				abort();
		}
		output_finish_fields(&table);
		output_init(&json, NULL);
		json.json = true;
		ready = 1;
	}
	memcpy(copy, data, size);
	if (decode_event(copy, size, &rec) == DECODE_OK) {
		/* only the kinds it knows, a failed exec marked as the table wants */
		if (rec.hdr.kind >= EV_KINDS || (record_is_failed(&rec) && !(rec.hdr.flags & EV_FAILED)))
			abort();
		output_format(&table, &rec);
		output_format(&json, &rec);
		journal_format(&table, &rec);
		/* one exec, one line: no newline but the last */
		if (memchr(table.line.p, '\n', table.line.len - 1) ||
		    memchr(json.line.p, '\n', json.line.len - 1))
			abort();
	}
	free(copy);
	return 0;
}
