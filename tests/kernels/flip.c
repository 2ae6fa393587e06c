// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// flip [N]: attaches a program that does nothing to the raw tracepoint
// sys_enter and detaches it again, N times (1000 by default). Each attach
// and detach switches the tracepoint's static key, so the kernel patches
// its own text while the other CPUs make system calls: the step during
// which TCG guests were seen to stall (see the README's matrix section).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

int main(int argc, char **argv)
{
	struct bpf_insn prog[] = {
		{ .code = 0xb7, .dst_reg = 0, .imm = 0 },	/* r0 = 0 */
		{ .code = 0x95 },				/* exit */
	};
	long n = argc > 1 ? atol(argv[1]) : 1000;
	int pfd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "flip", "GPL", prog, 2, NULL);

	if (pfd < 0) {
		fprintf(stderr, "flip: cannot load a program: %s\n", strerror(errno));
		return 1;
	}
	for (long i = 1; i <= n; i++) {
		int fd = bpf_raw_tracepoint_open("sys_enter", pfd);

		if (fd < 0) {
			fprintf(stderr, "flip: cannot attach to sys_enter: %s\n", strerror(errno));
			return 1;
		}
		close(fd);
		if (i % 100 == 0) {
			printf("flip: %ld\n", i);
			fflush(stdout);
		}
	}
	return 0;
}
