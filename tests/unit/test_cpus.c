// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The kernel's CPU range lists, which the loader and the reader share. */
#include <errno.h>
#include <stdlib.h>
#include "cpus.h"
#include "unit.h"

/* The ids of a list, joined by spaces, or the error. */
static const char *ids(const char *list)
{
	static char out[256];
	int *cpus, n = cpus_parse(list, &cpus);
	size_t len = 0;

	if (n < 0) {
		snprintf(out, sizeof(out), "error %d", n);
		return out;
	}
	out[0] = '\0';
	for (int i = 0; i < n && len < sizeof(out) - 16; i++)
		len += snprintf(out + len, sizeof(out) - len, "%s%d", i ? " " : "", cpus[i]);
	free(cpus);
	return out;
}

int main(void)
{
	char bad[32];
	int *cpus;

	snprintf(bad, sizeof(bad), "error %d", -EINVAL);
	CHECK_STREQ("cpus: one CPU", ids("0\n"), "0");
	CHECK_STREQ("cpus: a range", ids("0-3\n"), "0 1 2 3");
	CHECK_STREQ("cpus: ranges and single ids", ids("0-1,4,6-7\n"), "0 1 4 6 7");
	CHECK_STREQ("cpus: no newline", ids("2,5"), "2 5");
	CHECK_STREQ("cpus: an empty list is no list", ids("\n"), bad);
	CHECK_STREQ("cpus: a range that runs backwards", ids("3-1\n"), bad);
	CHECK_STREQ("cpus: a stray character", ids("0-1,x\n"), bad);
	CHECK_STREQ("cpus: a range with no end", ids("0-\n"), bad);
	CHECK_STREQ("cpus: a negative id", ids("-1\n"), bad);
	CHECK_STREQ("cpus: past any kernel's CPUs", ids("0-99999999\n"), bad);
	CHECK_EQ("cpus: a file that is not there", cpus_read("/nonexistent/cpus", &cpus), -ENOENT);
	CHECK("cpus: the possible CPUs cover the online ones", ({
		int *on, n = cpus_online(&on), max = -1;

		for (int i = 0; i < n; i++)
			max = on[i] > max ? on[i] : max;
		if (n > 0)
			free(on);
		n > 0 && cpus_possible() > max;
	}));
	UNIT_EXIT();
}
