// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The container of a cgroup path, in each runtime's naming, and the paths
 * that only look like one. */
#include <stdio.h>
#include "container.h"
#include "unit.h"

#define ID1 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID2 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define UID "5b8f1c2e-3a4d-4e6f-8a9b-0c1d2e3f4a5b"
#define UID_ "5b8f1c2e_3a4d_4e6f_8a9b_0c1d2e3f4a5b"

static const struct {
	const char *name, *path;
	const char *id, *runtime, *pod;	/* NULL: none */
} cases[] = {
	/* docker: the systemd driver, the cgroupfs driver */
	{ "docker systemd", "/system.slice/docker-" ID1 ".scope", ID1, "docker", NULL },
	{ "docker cgroupfs", "/docker/" ID1, ID1, "docker", NULL },
	{ "docker rootless", "/user.slice/user-1000.slice/user@1000.service/app.slice/docker-" ID1 ".scope",
	  ID1, "docker", NULL },
	/* containerd and CRI */
	{ "containerd systemd", "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
	  ".slice/cri-containerd-" ID1 ".scope", ID1, "containerd", UID },
	{ "containerd guaranteed", "/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID1 ".scope",
	  ID1, "containerd", UID },
	{ "containerd colon form", "/kubepods-besteffort-pod" UID_ ".slice:cri-containerd:" ID1,
	  ID1, "containerd", UID },
	{ "cgroupfs pod", "/kubepods/burstable/pod" UID "/" ID1, ID1, NULL, UID },
	{ "cgroupfs pod, besteffort", "/kubepods/besteffort/pod" UID "/" ID2, ID2, NULL, UID },
	{ "pod slice, no container", "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice",
	  NULL, NULL, UID },
	{ "kind's kubelet in a docker container", "/system.slice/docker-" ID1 ".scope/kubelet.slice/"
	  "kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod" UID_
	  ".slice/cri-containerd-" ID2 ".scope", ID2, "containerd", UID },
	/* CRI-O */
	{ "cri-o", "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice/crio-" ID1 ".scope",
	  ID1, "cri-o", UID },
	{ "cri-o conmon", "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
	  ".slice/crio-conmon-" ID1 ".scope", NULL, NULL, UID },
	/* podman */
	{ "podman", "/machine.slice/libpod-" ID1 ".scope", ID1, "podman", NULL },
	{ "podman's container child", "/machine.slice/libpod-" ID1 ".scope/container", ID1, "podman", NULL },
	{ "podman cgroupfs", "/libpod_parent/libpod-" ID1, ID1, "podman", NULL },
	{ "podman conmon", "/machine.slice/libpod-conmon-" ID1 ".scope", NULL, NULL, NULL },
	/* nested: the innermost wins */
	{ "docker in docker", "/system.slice/docker-" ID1 ".scope/docker/" ID2, ID2, "docker", NULL },
	{ "podman in docker", "/docker/" ID1 "/machine.slice/libpod-" ID2 ".scope", ID2, "podman", NULL },
	/* not containers */
	{ "root", "/", NULL, NULL, NULL },
	{ "a service", "/system.slice/ssh.service", NULL, NULL, NULL },
	{ "short id", "/system.slice/docker-0123456789ab.scope", NULL, NULL, NULL },
	{ "63 hex", "/docker/" "123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL, NULL, NULL },
	{ "65 hex", "/docker/0" ID1, NULL, NULL, NULL },
	{ "non-hex", "/system.slice/docker-" "g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" ".scope",
	  NULL, NULL, NULL },
	{ "upper-case hex", "/system.slice/docker-" "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"
	  ".scope", NULL, NULL, NULL },
	{ "two ids in one name", "/system.slice/docker-" ID1 "-" ID2 ".scope", NULL, NULL, NULL },
	{ "no .scope", "/system.slice/docker-" ID1, NULL, NULL, NULL },
	{ "bare id, no docker or pod above", "/system.slice/" ID1, NULL, NULL, NULL },
	{ "scope of a unit named docker", "/system.slice/docker.service", NULL, NULL, NULL },
	{ "pod uid with a bad dash", "/kubepods/burstable/pod5b8f1c2e3-a4d-4e6f-8a9b-0c1d2e3f4a5b/" ID1,
	  NULL, NULL, NULL },
	{ "pod uid cut short", "/kubepods/burstable/pod5b8f1c2e-3a4d-4e6f-8a9b-0c1d2e3f4a5/" ID1, NULL, NULL, NULL },
};

int main(void)
{
	char name[160];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct container c;
		bool any = container_parse(cases[i].path, &c);

		snprintf(name, sizeof(name), "%s: found", cases[i].name);
		CHECK_EQ(name, any, cases[i].id || cases[i].pod);
		snprintf(name, sizeof(name), "%s: id", cases[i].name);
		CHECK_STREQ(name, c.id[0] ? c.id : NULL, cases[i].id);
		snprintf(name, sizeof(name), "%s: runtime", cases[i].name);
		CHECK_STREQ(name, c.runtime, cases[i].runtime);
		snprintf(name, sizeof(name), "%s: pod uid", cases[i].name);
		CHECK_STREQ(name, c.pod_uid[0] ? c.pod_uid : NULL, cases[i].pod);
	}
	return unit_failed;
}
