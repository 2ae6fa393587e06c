# The container of an exec, from cgroups named as each runtime names its
# own (made here, with random ids), and --container. Needs root.
SUITE=container
. "$(dirname "$0")/lib.sh"

needs_root

hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
uuid() { local h; h=$(hex 16); echo "${h:0:8}-${h:8:4}-${h:12:4}-${h:16:4}-${h:20:12}"; }

# The test's cgroups live under one directory of their own on the cgroup
# v2 mount (/sys/fs/cgroup, or /sys/fs/cgroup/unified beside v1); the
# runtimes' names are below it.
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts 2>/dev/null)
BASE=${CG2:+$CG2/execmon-container-$$}
cleanup_cgroups() {
	[ -n "$BASE" ] && [ -d "$BASE" ] && find "$BASE" -depth -type d -exec rmdir {} + 2>/dev/null
	cleanup
}
trap cleanup_cgroups EXIT

DOCKER=$(hex 32) DOCKERFS=$(hex 32) CONTAINERD=$(hex 32) CRIO=$(hex 32) PODMAN=$(hex 32)
PODFS=$(hex 32) OTHER=$(hex 32)
POD1=$(uuid) POD2=$(uuid) POD3=$(uuid)
# name  path under BASE  expected id  runtime  pod uid ("-": none)
CASES="docker system.slice/docker-$DOCKER.scope $DOCKER docker -
docker-cgroupfs docker/$DOCKERFS $DOCKERFS docker -
containerd kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD1//-/_}.slice/cri-containerd-$CONTAINERD.scope $CONTAINERD containerd $POD1
cri-o kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${POD2//-/_}.slice/crio-$CRIO.scope $CRIO cri-o $POD2
cri-o-conmon kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${POD2//-/_}.slice/crio-conmon-$CRIO.scope - - $POD2
podman machine.slice/libpod-$PODMAN.scope/container $PODMAN podman -
podman-conmon machine.slice/libpod-conmon-$PODMAN.scope - - -
pod-cgroupfs kubepods/burstable/pod$POD3/$PODFS $PODFS - $POD3
docker-other system.slice/docker-$OTHER.scope $OTHER docker -"

# in_cgroup PATH WORD: execs /usr/bin/true WORD in the cgroup BASE/PATH.
in_cgroup() {
	[ -n "$DRY" ] && return 0
	sh -c 'echo $$ >"$1/cgroup.procs" && exec /usr/bin/true "$2"' _ "$BASE/$1" "$2"
}

OUT=$TMP/out
made=
if [ -z "$DRY" ] && [ -n "$CG2" ]; then
	made=yes
	while read -r name path _; do
		mkdir -p "$BASE/$path" || made=
	done <<<"$CASES"
fi
if [ -z "$DRY" ] && [ -z "$made" ]; then
	while read -r name _; do
		skip "$name: container_id, container_runtime and pod_uid" "no cgroup v2 directory can be made"
	done <<<"$CASES"
	for t in "outside a container: all three null" "--json=ecs: container.id and container.runtime" "the table shows 12 hex digits and the runtime" \
		"the table: no runtime, a pod" "--container: its execs" "--container: its inner cgroup's" \
		"--container: not another container's" "--container: not outside" "--container: the full id" \
		"--container: two containers share the prefix" "--container with --cgroup: one only"; do
		skip "$t" "no cgroup v2 directory can be made"
	done
else
	# JSON: every field, in each runtime's naming
	start_tracer "$OUT" --json || fail "execmon --json starts"
	while read -r name path _; do
		in_cgroup "$path" "ct-$name"
	done <<<"$CASES"
	/usr/bin/true ct-outside
	wait_for "$OUT" ct-outside
	stop_tracer
	while read -r name path id runtime pod; do
		check "$name: container_id, container_runtime and pod_uid" python3 - "$OUT" "ct-$name" "$id" "$runtime" "$pod" <<'PY'
import json, sys
out, word, *want = sys.argv[1:]
want = [None if w == "-" else w for w in want]
evs = [e for e in map(json.loads, open(out)) if e["args"][1:] == [word]]
got = [evs[0][k] for k in ("container_id", "container_runtime", "pod_uid")] if len(evs) == 1 else evs
if got != want:
    sys.exit(f"{word}: got {got}, expected {want}")
PY
	done <<<"$CASES"
	check "outside a container: all three null" python3 - "$OUT" <<'PY'
import json, sys
ev = [e for e in map(json.loads, open(sys.argv[1])) if e["args"][1:] == ["ct-outside"]][0]
if (ev["container_id"], ev["container_runtime"], ev["pod_uid"]) != (None, None, None):
    sys.exit(f"got {ev}")
PY

	# ECS: container.id and container.runtime
	start_tracer "$OUT" --json=ecs
	in_cgroup "system.slice/docker-$DOCKER.scope" ct-ecs
	wait_for "$OUT" ct-ecs
	stop_tracer
	check "--json=ecs: container.id and container.runtime" python3 - "$OUT" "$DOCKER" <<'PY'
import json, sys
docs = [d for d in map(json.loads, open(sys.argv[1])) if d.get("process", {}).get("args", [])[1:] == ["ct-ecs"]]
got = [docs[0].get("container")] if len(docs) == 1 else docs
if got != [{"id": sys.argv[2], "runtime": "docker"}]:
    sys.exit(f"got {got}")
PY

	# the table: the first 12 hex digits, as docker ps shows them
	start_tracer "$OUT" -o container_id,container_runtime,pod_uid,args
	in_cgroup "system.slice/docker-$DOCKER.scope" ct-table
	in_cgroup "kubepods/burstable/pod$POD3/$PODFS" ct-table-pod
	wait_for "$OUT" ct-table-pod
	stop_tracer
	check "the table shows 12 hex digits and the runtime" \
		grep -qxE "${DOCKER:0:12} +docker +- +/usr/bin/true ct-table" "$OUT"
	check "the table: no runtime, a pod" \
		grep -qxE "${PODFS:0:12} +- +$POD3 +/usr/bin/true ct-table-pod" "$OUT"

	# --container: one of two containers, with what runs in its inner
	# cgroup (podman's /container), by a prefix and by the full id
	start_tracer "$OUT" --container="${PODMAN:0:12}" -o container_id,args
	in_cgroup "machine.slice/libpod-$PODMAN.scope" sel-outer
	in_cgroup "machine.slice/libpod-$PODMAN.scope/container" sel-inner
	in_cgroup "system.slice/docker-$OTHER.scope" sel-other
	/usr/bin/true sel-outside
	in_cgroup "machine.slice/libpod-$PODMAN.scope" sel-last
	wait_for "$OUT" sel-last
	stop_tracer
	check "--container: its execs" grep -q "sel-outer$" "$OUT"
	check "--container: its inner cgroup's" grep -q "sel-inner$" "$OUT"
	check "--container: not another container's" bash -c "! grep -q sel-other '$OUT'"
	check "--container: not outside" bash -c "! grep -q sel-outside '$OUT'"
	start_tracer "$OUT" --container="$OTHER" -o container_id,args
	in_cgroup "system.slice/docker-$OTHER.scope" full-other
	in_cgroup "system.slice/docker-$DOCKER.scope" full-docker
	in_cgroup "system.slice/docker-$OTHER.scope" full-last
	wait_for "$OUT" full-last
	stop_tracer
	check "--container: the full id" bash -c "grep -q full-other '$OUT' && ! grep -q full-docker '$OUT'"

	# two containers whose ids share their first 12 hex digits
	[ -z "$DRY" ] && mkdir "$BASE/system.slice/docker-${DOCKER:0:12}$(hex 26).scope"
	timeout 30 "$EXECMON" --container="${DOCKER:0:12}" >"$TMP/amb.out" 2>"$TMP/amb.err"
	rc=$?
	check "--container: two containers share the prefix" bash -c "[ $rc = 64 ] && [ ! -s '$TMP/amb.out' ] &&
		grep -q \"invalid container '${DOCKER:0:12}': it begins two containers' ids\" '$TMP/amb.err'"
	# one cgroup filter at a time
	"$EXECMON" --cgroup=/ --container="$OTHER" >"$TMP/usage.out" 2>"$TMP/usage.err"
	rc=$?
	check "--container with --cgroup: one only" bash -c "[ $rc = 64 ] && [ ! -s '$TMP/usage.out' ] &&
		grep -qF -- \"--container '$OTHER' with --cgroup '/': only one can be traced\" '$TMP/usage.err'"
fi

# usage errors: exit 64, nothing on stdout, no tracing, the value named
usage_error() {
	local name=$1 arg=$2 why=$3 rc
	shift 3
	"$EXECMON" "$@" >"$TMP/usage.out" 2>"$TMP/usage.err"
	rc=$?
	check "$name" bash -c "[ $rc = 64 ] && [ ! -s '$TMP/usage.out' ] &&
		grep -qF \"invalid container '$arg': $why\" '$TMP/usage.err'"
}
usage_error "--container: 11 hex digits are too short" "${OTHER:0:11}" "too short" --container="${OTHER:0:11}"
usage_error "--container: not hex" "${OTHER:0:11}g" "'g' is not a hex digit" --container="${OTHER:0:11}g"
usage_error "--container: 65 digits" "${OTHER}0" "too long" --container="${OTHER}0"
none=$(hex 6)
usage_error "--container: no such container" "$none" "no container" --container="$none"
