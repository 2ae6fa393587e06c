/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A bound the verifier keeps: why offsets into the event go through
 * clamp() right before each use is said at the top of execmon.bpf.c,
 * with the kernels that need it.
 */
#ifndef EXECMON_LIB_CLAMP_H
#define EXECMON_LIB_CLAMP_H

/* x = min(x, max), done on the register that the next use reads. x must
 * be a 64-bit unsigned variable. */
#define clamp(x, max)								\
	asm volatile("if %[v] <= %[m] goto .Lclamp%=; %[v] = %[m]; .Lclamp%=:"	\
		     : [v] "+r"(x) : [m] "i"(max))

#endif
