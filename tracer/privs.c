// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include "privs.h"

bool caps_parse(const char *line, unsigned long long *eff)
{
	return sscanf(line, "CapEff: %llx", eff) == 1;
}

bool caps_allow_tracing(unsigned long long eff)
{
	return (eff & (1ULL << CAP_SYS_ADMIN_BIT)) ||
	       ((eff & (1ULL << CAP_BPF_BIT)) && (eff & (1ULL << CAP_PERFMON_BIT)));
}

/* The effective set, read from /proc so as not to need libcap. */
static bool cap_effective(unsigned long long *eff)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = caps_parse(line, eff);
	fclose(f);
	return found;
}

bool have_tracing_caps(void)
{
	unsigned long long eff;

	if (!cap_effective(&eff))
		return true;	/* cannot tell: let the kernel decide */
	return caps_allow_tracing(eff);
}

bool is_setid(void)
{
	return getauxval(AT_SECURE) || getuid() != geteuid() || getgid() != getegid();
}

int drop_privileges(bool switch_user)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};

	/* The bounding set first: dropping it needs CAP_SETPCAP, which goes
	 * away below. Errors are fine: without CAP_SETPCAP there is nothing
	 * in it this process could use anyway. */
	for (int cap = 0; cap <= 63; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno == EINVAL)
			break;
	if (switch_user && geteuid() == 0) {
		struct passwd *pw = getpwnam("nobody");

		if (pw && (setgroups(0, NULL) || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) ||
			   setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid)))
			return -errno;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}
