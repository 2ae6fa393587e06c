// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Asks whether each PATH could be run, without running it:
 * execveat(AT_FDCWD, PATH, {"check-probe", PATH}, envp, AT_EXECVE_CHECK).
 * Prints one line per PATH, "PATH 0" or "PATH ERRNO-NAME"; exits 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef AT_EXECVE_CHECK
#define AT_EXECVE_CHECK	0x10000	/* Linux 6.14 */
#endif

int main(int argc, char **argv)
{
	extern char **environ;

	for (int i = 1; i < argc; i++) {
		/* on the stack: a literal may sit in a page not yet touched, which
		 * the tracer could not read (a kernel that refuses the flag never
		 * touches it) */
		char name[] = "check-probe";
		char *args[] = { name, argv[i], NULL };
		long ret = syscall(SYS_execveat, AT_FDCWD, argv[i], args, environ, AT_EXECVE_CHECK);

		printf("%s %s\n", argv[i], ret ? strerrorname_np(errno) : "0");
	}
	return 0;
}
