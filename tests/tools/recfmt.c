// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Each record file given, as the tracer would write it: a line "json"
 * and the JSON object, then a line "journal" and each journal field as
 * KEY and its value in hex, then "end"; or a line "undecodable" and its
 * name. For tests that compare the
 * outputs with each other (tests/structure.sh).
 *
 * A record's container and digest come from the machine, not from the
 * record: the cgroup's path and the file. Here they are stand-ins, linked
 * in place of the real lookups (-Wl,--wrap), so that every field reaches
 * the formatters: cgroup 0xc0 is a pod's docker container, and a file
 * with its identity has a digest, or, a memfd, the reason it has none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cgroup.h"
#include "event.h"
#include "hash.h"
#include "journal.h"
#include "json.h"
#include "output.h"

#define RECFMT_CGROUP	0xc0

const struct container *__wrap_cgroup_container(__u64 id);
const struct hash_result *__wrap_hash_of(const struct exec_record *rec);

const struct container *__wrap_cgroup_container(__u64 id)
{
	static const struct container c = {
		.id = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899",
		.runtime = "docker",
		.pod_uid = "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
	};

	return id == RECFMT_CGROUP ? &c : NULL;
}

const struct hash_result *__wrap_hash_of(const struct exec_record *rec)
{
	static struct hash_result r;

	memset(&r, 0, sizeof(r));
	if (rec->hdr.kind != EV_KIND_EXEC || !(rec->hdr.flags & EV_EXE_ID))
		r.none = true;
	else if (rec->hdr.flags & EV_EXE_MEMFD)
		r.error = "gone";
	else
		memcpy(r.hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 65);
	return &r;
}

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
			printf("undecodable %s\n", argv[i]);
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
