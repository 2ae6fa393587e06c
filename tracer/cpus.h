/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The CPUs, as the loader and the reader both see them: the possible ones
 * (every CPU id the kernel may ever run, which sizes the BPF side's per-CPU
 * maps) and the online ones (which get a ring each). Both come from the
 * kernel's range lists in sysfs, read by one parser.
 */
#ifndef EXECMON_CPUS_H
#define EXECMON_CPUS_H

#define CPUS_POSSIBLE	"/sys/devices/system/cpu/possible"
#define CPUS_ONLINE	"/sys/devices/system/cpu/online"

/* Parses a range list ("0-3,5\n") into a malloc'd array of CPU ids, in
 * the list's order. Returns their count, or -errno: -EINVAL for a list
 * that is not one (a range that runs backwards, a stray character). */
int cpus_parse(const char *list, int **cpus);

/* Reads the range list in the file at path (CPUS_POSSIBLE, CPUS_ONLINE);
 * as cpus_parse(), and -errno when the file cannot be read. */
int cpus_read(const char *path, int **cpus);

/* The online CPUs: cpus_read(CPUS_ONLINE). */
int cpus_online(int **cpus);

/* How many CPU ids the per-CPU maps need: the highest possible CPU + 1,
 * or -errno. */
int cpus_possible(void);

#endif
