// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "cpus.h"

/* sysfs lists no more than the kernel's NR_CPUS; a list past this is not one */
#define CPUS_MAX	(1 << 16)

int cpus_parse(const char *list, int **cpus)
{
	const char *p = list;
	int n = 0, cap = 0;

	*cpus = NULL;
	while (*p && *p != '\n') {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (end == p || a < 0)
			goto bad;
		p = end;
		if (*p == '-') {
			b = strtol(++p, &end, 10);
			if (end == p)
				goto bad;
			p = end;
		}
		if (b < a || b >= CPUS_MAX)
			goto bad;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			goto bad;
		for (long c = a; c <= b; c++) {
			if (n == cap) {
				int *more;

				cap = cap ? cap * 2 : 64;
				more = realloc(*cpus, cap * sizeof(int));
				if (!more) {
					free(*cpus);
					*cpus = NULL;
					return -ENOMEM;
				}
				*cpus = more;
			}
			(*cpus)[n++] = c;
		}
	}
	if (n)
		return n;
bad:
	free(*cpus);
	*cpus = NULL;
	return -EINVAL;
}

int cpus_read(const char *path, int **cpus)
{
	/* "0-4095" at the most, or a list of single ids as long as a page */
	char buf[4096 + 1];
	FILE *f = fopen(path, "r");
	size_t len;

	*cpus = NULL;
	if (!f)
		return -errno;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	return cpus_parse(buf, cpus);
}

int cpus_online(int **cpus)
{
	return cpus_read(CPUS_ONLINE, cpus);
}

int cpus_possible(void)
{
	int *cpus, n = cpus_read(CPUS_POSSIBLE, &cpus), max = -1;

	for (int i = 0; i < n; i++)
		if (cpus[i] > max)
			max = cpus[i];
	if (n > 0)
		free(cpus);
	return n < 0 ? n : max + 1;
}
