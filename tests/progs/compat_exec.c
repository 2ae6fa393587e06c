// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* 32-bit system calls from a 64-bit process, through int 0x80: a failed
 * execve (11 in the ia32 table) of PATH with argv "c32" "arg one", the
 * same by execveat (358) with argv "c32at" "arg one", and two calls
 * whose ia32 numbers are the x86-64 numbers of execve and execveat
 * (oldolduname 59, timerfd_create 322), both failing; then the 64-bit
 * call numbered 11 (munmap), failing. Prints each result. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* An arm64 process makes no AArch32 calls: a whole program is one or the
 * other (tests/arch.sh runs a 32-bit ARM program instead). Built there all
 * the same, with the other helpers, it says so and exits 77. */
#ifndef __x86_64__
int main(void)
{
	fputs("compat_exec: 32-bit calls from a 64-bit process are x86's (int 0x80)\n", stderr);
	return 77;
}
#else
static long int80(long nr, long a, long b, long c, long d, long e)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			 : "memory");
	return ret;
}

int main(int argc, char **argv)
{
	/* the 32-bit ABI sees only the low 4 GB */
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
			 -1, 0);
	uint32_t *args = (uint32_t *)(low + 2048);

	if (argc != 2 || low == MAP_FAILED)
		return 2;
	strcpy(low, argv[1]);
	strcpy(low + 1024, "c32");
	strcpy(low + 1100, "arg one");
	args[0] = (uint32_t)(uintptr_t)(low + 1024);
	args[1] = (uint32_t)(uintptr_t)(low + 1100);
	args[2] = 0;
	strcpy(low + 1200, "c32at");
	args[3] = (uint32_t)(uintptr_t)(low + 1200);
	args[4] = args[1];
	args[5] = 0;
	printf("execve %ld\n", int80(11, (long)(uintptr_t)low, (long)(uintptr_t)args, 0, 0, 0));
	printf("execveat %ld\n", int80(358, -100 /* AT_FDCWD */, (long)(uintptr_t)low,
					 (long)(uintptr_t)(args + 3), 0, 0));
	printf("oldolduname %ld\n", int80(59, 0, 0, 0, 0, 0));
	printf("timerfd_create %ld\n", int80(322, -1, 0, 0, 0, 0));
	printf("munmap %ld\n", syscall(SYS_munmap, 1, 1) ? -1L : 0L);
	return 0;
}
#endif
