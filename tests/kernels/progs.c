// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// progs ID...: prints "ID VERIFIED_INSNS" for each BPF program ID, with "-"
// for a kernel that does not report the count (before 5.16). bpftool
// does not show the count before v7.2, so the matrix asks the kernel itself.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

int main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(atoi(argv[i]));

		memset(&info, 0, sizeof(info));
		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len)) {
			fprintf(stderr, "progs: program %s: %s\n", argv[i], strerror(errno));
			rc = 1;
		} else if (info.verified_insns) {
			printf("%s %u\n", argv[i], info.verified_insns);
		} else {
			printf("%s -\n", argv[i]);
		}
		if (fd >= 0)
			close(fd);
	}
	return rc;
}
