// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The capability bits, which the start-up check and the diagnosis share. */
#include "privs.h"
#include "unit.h"

int main(void)
{
	unsigned long long eff = 0;

	CHECK("caps: CapEff read", caps_parse("CapEff:\t000001ffffffffff\n", &eff));
	CHECK_EQ("caps: CapEff's value", eff, 0x000001ffffffffffULL);
	CHECK("caps: another line is not CapEff", !caps_parse("CapPrm:\t0000000000000000\n", &eff));
	CHECK("caps: CAP_SYS_ADMIN traces", caps_allow_tracing(1ULL << CAP_SYS_ADMIN_BIT));
	CHECK("caps: CAP_BPF and CAP_PERFMON trace",
	      caps_allow_tracing(1ULL << CAP_BPF_BIT | 1ULL << CAP_PERFMON_BIT));
	CHECK("caps: CAP_BPF alone does not", !caps_allow_tracing(1ULL << CAP_BPF_BIT));
	CHECK("caps: CAP_IPC_LOCK does not", !caps_allow_tracing(1ULL << CAP_IPC_LOCK_BIT));
	UNIT_EXIT();
}
