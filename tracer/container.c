// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include "container.h"

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* s holds exactly n lower-case hex digits, then end. */
static bool hex_n(const char *s, size_t len, size_t n)
{
	if (len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_hex(s[i]))
			return false;
	return true;
}

/* A pod uid at s: 36 characters, dashes (or the systemd driver's
 * underscores) at 8, 13, 18 and 23, hex elsewhere; then ".slice", a
 * ':' and more, or the end of the component. Written to out dashed. */
static bool pod_uid(const char *s, size_t len, char *out)
{
	const char *rest = s + POD_UID_LEN;
	size_t rest_len = len - POD_UID_LEN;

	if (len < POD_UID_LEN)
		return false;
	if (rest_len >= 6 && !memcmp(rest, ".slice", 6))
		rest += 6, rest_len -= 6;
	if (rest_len && *rest != ':')
		return false;
	for (int i = 0; i < POD_UID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-' && s[i] != '_')
				return false;
			out[i] = '-';
		} else if (is_hex(s[i])) {
			out[i] = s[i];
		} else {
			return false;
		}
	}
	out[POD_UID_LEN] = '\0';
	return true;
}

/* The pod of a component: "pod<uid>" (cgroupfs), or the systemd driver's
 * "kubepods[-<qos>]-pod<uid>.slice" (kind's kubelet puts "kubelet-"
 * before it), which containerd may follow with ":cri-containerd:<id>". */
static bool component_pod(const char *s, size_t len, char *out)
{
	const char *k;

	if (len >= 3 && !memcmp(s, "pod", 3))
		return pod_uid(s + 3, len - 3, out);
	k = memmem(s, len, "kubepods", 8);
	if (!k)
		return false;
	for (const char *p = k + 8; p + 4 <= s + len; p++)
		if (!memcmp(p, "-pod", 4))
			return pod_uid(p + 4, len - (p + 4 - s), out);
	return false;
}

/* A runtime's form of a container's cgroup: PREFIX<id>SUFFIX. CRI-O's and
 * podman's conmon scopes ("crio-conmon-<id>.scope") are the monitor's, not
 * the container's, and have no hex where the id would be. */
static const struct {
	const char *prefix, *suffix, *runtime;
} forms[] = {
	{ "docker-", ".scope", "docker" },
	{ "cri-containerd-", ".scope", "containerd" },
	{ "crio-", ".scope", "cri-o" },
	{ "libpod-", ".scope", "podman" },
	{ "libpod-", "", "podman" },		/* podman's cgroupfs driver */
};

static const char *component_container(const char *s, size_t len, const char *parent,
				       size_t parent_len, bool in_pod, const char **id)
{
	const char *colon;

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t pl = strlen(forms[i].prefix), sl = strlen(forms[i].suffix);

		if (len == pl + CONTAINER_ID_LEN + sl && !memcmp(s, forms[i].prefix, pl) &&
		    !memcmp(s + pl + CONTAINER_ID_LEN, forms[i].suffix, sl) &&
		    hex_n(s + pl, CONTAINER_ID_LEN, CONTAINER_ID_LEN)) {
			*id = s + pl;
			return forms[i].runtime;
		}
	}
	/* "<pod slice>:cri-containerd:<id>", one directory */
	colon = memchr(s, ':', len);
	if (colon && len - (colon - s) == 16 + CONTAINER_ID_LEN &&
	    !memcmp(colon, ":cri-containerd:", 16) &&
	    hex_n(colon + 16, CONTAINER_ID_LEN, CONTAINER_ID_LEN)) {
		*id = colon + 16;
		return "containerd";
	}
	/* the cgroupfs drivers: /docker/<id>, and a pod's /kubepods/.../pod<uid>/<id>,
	 * where the runtime is not in the path */
	if (hex_n(s, len, CONTAINER_ID_LEN)) {
		if (parent_len == 6 && !memcmp(parent, "docker", 6)) {
			*id = s;
			return "docker";
		}
		if (in_pod) {
			*id = s;
			return "";
		}
	}
	return NULL;
}

bool container_parse(const char *path, struct container *c)
{
	const char *s = path, *parent = "", *id = NULL, *runtime;
	size_t parent_len = 0;
	char pod[POD_UID_LEN + 1];
	bool in_pod = false, found = false;

	memset(c, 0, sizeof(*c));
	while (*s) {
		const char *end = strchrnul(s, '/');
		size_t len = end - s;

		if (len) {
			runtime = component_container(s, len, parent, parent_len, in_pod, &id);
			if (component_pod(s, len, pod)) {
				/* a pod inside a container: the outer container is not this one's */
				memcpy(c->pod_uid, pod, sizeof(pod));
				in_pod = found = true;
				if (!runtime) {
					c->id[0] = '\0';
					c->runtime = NULL;
				}
			}
			if (runtime) {
				memcpy(c->id, id, CONTAINER_ID_LEN);
				c->id[CONTAINER_ID_LEN] = '\0';
				c->runtime = *runtime ? runtime : NULL;
				found = true;
			}
			parent = s;
			parent_len = len;
		}
		s = *end ? end + 1 : end;
	}
	return found;
}
