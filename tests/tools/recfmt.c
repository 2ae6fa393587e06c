// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Each record file given, as the tracer would write it: a line "json"
 * and the JSON object, then a line "journal" and each journal field as
 * KEY and its value in hex, then "end". For tests that compare the
 * outputs with each other (tests/structure.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "journal.h"
#include "json.h"
#include "output.h"

int main(int argc, char **argv)
{
	static unsigned char buf[1 << 16];
	struct output o;
	char fields[] = "pid,exe,args";

	output_init(&o, stdout);
	output_add_fields(&o, fields);
	output_finish_fields(&o);
	for (int i = 1; i < argc; i++) {
		struct exec_record rec;
		const struct iovec *iov;
		unsigned char *copy;
		size_t n, nf;
		FILE *f = fopen(argv[i], "rb");

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		copy = malloc(n ? n : 1);
		memcpy(copy, buf, n);
		if (decode_event(copy, n, &rec) != DECODE_OK) {
			free(copy);
			continue;
		}
		printf("record %s\njson\n", argv[i]);
		o.json = true;
		output_format(&o, &rec);
		fwrite(o.line.p, 1, o.line.len, stdout);
		o.json = false;
		puts("journal");
		nf = journal_format(&o, &rec);
		iov = journal_iovecs();
		for (size_t k = 0; k < nf; k++) {
			const char *p = iov[k].iov_base, *eq = memchr(p, '=', iov[k].iov_len);

			printf("%.*s ", (int)(eq - p), p);
			for (const char *c = eq + 1; c < p + iov[k].iov_len; c++)
				printf("%02x", (unsigned char)*c);
			putchar('\n');
		}
		puts("end");
		free(copy);
	}
	output_free(&o);
	return 0;
}
