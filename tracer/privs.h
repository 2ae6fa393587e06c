/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What execmon needs to start, and giving it up once tracing runs. */
#ifndef EXECMON_PRIVS_H
#define EXECMON_PRIVS_H

#include <stdbool.h>

/* The capabilities' bits, as in linux/capability.h, which older headers
 * lack some of (CAP_BPF, CAP_PERFMON: 5.8). */
#define CAP_IPC_LOCK_BIT	14
#define CAP_SYS_ADMIN_BIT	21
#define CAP_PERFMON_BIT		38
#define CAP_BPF_BIT		39

/* Reads the effective set from a line of /proc/PID/status; false when the
 * line is another. */
bool caps_parse(const char *line, unsigned long long *eff);
/* Whether an effective set may load and attach tracing programs. */
bool caps_allow_tracing(unsigned long long eff);

/* True when the process may load and attach tracing programs: CAP_BPF and
 * CAP_PERFMON, or CAP_SYS_ADMIN (which covers both before Linux 5.8). */
bool have_tracing_caps(void);

/* True when started set-user-ID or set-group-ID, which execmon refuses:
 * it would hand every user a view of every exec. */
bool is_setid(void);

/*
 * Once the programs are attached and the buffers mapped, nothing execmon
 * still does needs a privilege: it reads memory it has mapped, writes to
 * descriptors it holds, and closes them at exit. So it gives up every
 * capability, switches from root to nobody when it can and switch_user
 * is set, and forbids regaining privileges through exec. Returns 0 or a
 * negative errno.
 */
int drop_privileges(bool switch_user);

#endif
