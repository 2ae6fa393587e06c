# Where execmon cannot trace, it says why in one line on stderr that names
# the cause and the fix, exits with status 1, prints nothing on stdout and
# leaves nothing loaded. Each part makes such a place: no capabilities, a
# seccomp filter, no BTF, too few open files, a small perf buffer budget,
# a small RLIMIT_MEMLOCK (before 5.11), kernel lockdown. Needs root.
SUITE=diag
. "$(dirname "$0")/lib.sh"

needs_root

# Objects of execmon's that exist: "prog ID" and "map ID" lines.
execmon_objects() {
	{
		bpftool prog show 2>/dev/null | sed -n 's/^\([0-9]*\): .* name execmon[^ ]* .*/prog \1/p'
		bpftool map show 2>/dev/null | sed -n 's/^\([0-9]*\): .* name execmon[^ ]* .*/map \1/p'
	} | sort
}

# Every BPF object some process holds, itself or (maps) through a program.
held_objects() {
	local fds progs
	fds=$(cat /proc/[0-9]*/fdinfo/* 2>/dev/null | sed -n 's/^\(prog\|map\)_id:[[:space:]]*/\1 /p')
	progs=$(awk '$1 == "prog" { printf "%s%s", s, $2; s = "," }' <<<"$fds")
	{
		echo "$fds"
		bpftool -j prog show 2>/dev/null | jq -r --argjson held "[$progs]" \
			'.[] | select(.id as $i | $held | index($i)) | .map_ids[]? | "map \(.)"'
	} | sort -u
}

# nothing_left BEFORE SID: no process of session SID runs, and no object of
# execmon's that did not exist in BEFORE is left without a process to hold
# it (pinned, say). Those of other tracers, held by them, do not count. The
# kernel frees objects after a grace period: a few seconds are allowed.
nothing_left() {
	local before=$1 sid=$2 new
	[ -n "$DRY" ] && return 0
	for _ in $(seq 50); do
		new=$(comm -13 <(echo "$before") <(execmon_objects) | comm -23 - <(held_objects))
		if [ -z "$new" ] && ! pgrep -s "$sid" >/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "left: ${new:-none}; running: $(pgrep -s "$sid" | tr '\n' ' ')" >&2
	return 1
}

# Under lockdown=confidentiality every start is refused for it first: only
# that part runs, and the others skip each of their checks.
lockdown=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/security/lockdown 2>/dev/null)
[ -z "$DRY" ] || lockdown=
confidential() { [ "$lockdown" = confidentiality ]; }
why_skipped="under lockdown=confidentiality, which comes first"

# refused NAME PATTERN COMMAND...: COMMAND (which starts execmon, in a
# session of its own) exits with status 1, with nothing on stdout, one line
# on stderr that matches the grep -E PATTERN, and nothing left loaded.
refused() {
	local name=$1 pattern=$2 before rc=0 sid c
	shift 2
	if confidential && [ "${name#lockdown=confidentiality}" = "$name" ]; then
		for c in "exit status 1" "nothing on stdout" "one line on stderr that names the cause" \
			"nothing left loaded"; do
			skip "$name: $c" "$why_skipped"
		done
		return
	fi
	if [ -z "$DRY" ]; then
		before=$(execmon_objects)
		# bounded, should execmon trace after all
		setsid timeout -k 5 120 "$@" >"$TMP/ref.out" 2>"$TMP/ref.err" &
		sid=$!
		wait $sid || rc=$?
	fi
	check "$name: exit status 1" test "$rc" -eq 1
	check "$name: nothing on stdout" test ! -s "$TMP/ref.out"
	if [ -n "$DRY" ] || { [ "$(wc -l <"$TMP/ref.err")" -eq 1 ] && grep -qE -- "$pattern" "$TMP/ref.err"; }; then
		pass "$name: one line on stderr that names the cause"
	else
		fail "$name: one line on stderr that names the cause" "$(head -c 600 "$TMP/ref.err")"
	fi
	check "$name: nothing left loaded" nothing_left "$before" "$sid"
}

# traces NAME COMMAND...: COMMAND (execmon ... -- /usr/bin/true WORD)
# exits 0 having shown the exec.
traces() {
	local name=$1 rc=0
	shift
	if confidential; then
		skip "$name" "$why_skipped"
		return
	fi
	[ -n "$DRY" ] || "$@" >"$TMP/tr.out" 2>"$TMP/tr.err" || rc=$?
	if [ -n "$DRY" ] || { [ $rc -eq 0 ] && grep -q diag-probe "$TMP/tr.out"; }; then
		pass "$name"
	else
		fail "$name" "status $rc: $(head -c 600 "$TMP/tr.err")"
	fi
}

caps_cause='tracing needs root, or the capabilities CAP_BPF and CAP_PERFMON'
refused "without CAP_BPF and CAP_PERFMON" "^execmon: $caps_cause \(try sudo\)$" \
	capsh --drop=cap_bpf,cap_perfmon,cap_sys_admin -- -c 'exec "$0" -- /usr/bin/true' "$EXECMON"

# Seccomp filters such as a container's default profile: root with every
# capability is refused all the same, and the message says so.
deny=$TMP/seccomp_deny
seccomp_checks=("bpf() blocked by seccomp" "perf_event_open() blocked by seccomp"
	"both blocked by seccomp" "seccomp and no capabilities")
if ! test_prog seccomp_deny "$deny" && [ -z "$DRY" ]; then
	for t in "${seccomp_checks[@]}"; do
		for c in "exit status 1" "nothing on stdout" "one line on stderr that names the cause" \
			"nothing left loaded"; do
			skip "$t: $c" "no helper from make test-progs, and no C compiler"
		done
	done
else
	fix='--security-opt seccomp=unconfined.*allows bpf and perf_event_open.*--cap-add BPF --cap-add PERFMON'
	refused "${seccomp_checks[0]}" \
		"^execmon: the bpf\(\) system call is blocked by a seccomp filter .*Seccomp: 2.*root alone is not enough: .*$fix" \
		"$deny" bpf "$EXECMON" -- /usr/bin/true
	refused "${seccomp_checks[1]}" \
		"^execmon: the perf_event_open\(\) system call is blocked by a seccomp filter .*root alone is not enough: .*$fix" \
		"$deny" perf_event_open "$EXECMON" -- /usr/bin/true
	refused "${seccomp_checks[2]}" \
		"^execmon: the bpf\(\) and perf_event_open\(\) system calls are blocked by a seccomp filter" \
		"$deny" bpf,perf_event_open "$EXECMON" -- /usr/bin/true
	refused "${seccomp_checks[3]}" "^execmon: $caps_cause, .*seccomp filter.*$fix" \
		capsh --drop=cap_bpf,cap_perfmon,cap_sys_admin -- -c 'exec "$0" bpf "$1" -- /usr/bin/true' "$deny" "$EXECMON"
fi

# No BTF: /sys/kernel/btf hidden under an empty tmpfs, in a mount
# namespace of its own.
refused "no BTF" \
	'^execmon: this kernel has no BTF \(/sys/kernel/btf/vmlinux: No such file or directory\).*CONFIG_DEBUG_INFO_BTF=y' \
	unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf && exec "$0" -- /usr/bin/true' "$EXECMON"

# Too few open files for the maps, programs and perf buffers.
refused "ulimit -n 16" \
	'^execmon: the limit of open files \(RLIMIT_NOFILE, ulimit -n\) is 16, and execmon needs about [0-9]+ .*ulimit -n [0-9]+.*LimitNOFILE=' \
	sh -c 'ulimit -n 16 && exec "$0" -- /usr/bin/true' "$EXECMON"
traces "ulimit -n 64: traces" sh -c 'ulimit -n 64 && exec "$0" -H -- /usr/bin/true diag-probe' "$EXECMON"

# Set-ID starts: file capabilities are refused like set-user-ID, since
# any user who may run the file would see every exec; with the same
# capabilities as ambient ones, the process of that user traces.
# Before 5.11 BPF maps count against RLIMIT_MEMLOCK, and against the same
# per-user count as the perf buffers.
read -r major minor _ <<<"$(uname -r | tr '.-' '  ')"
memlock_maps() { [ "$major" -lt 5 ] || { [ "$major" -eq 5 ] && [ "$minor" -lt 11 ]; }; }
uid=$((60000 + $$ % 4000))	# a user of its own: perf buffers count per user
as_user=(setpriv --reuid=$uid --regid=$uid --clear-groups)
with_caps=("${as_user[@]}" --inh-caps=+bpf,+perfmon --ambient-caps=+bpf,+perfmon)
# Sysctls are the system's: each is put back once its part is done, and
# on exit.
declare -A sysctl_saved=()
sysctl_set() {
	[ -n "$DRY" ] && return
	[ -n "${sysctl_saved[$1]:-}" ] || sysctl_saved[$1]=$(sysctl -n "$1")
	sysctl -qw "$1=$2"
}
sysctl_restore() {
	local k
	for k in "${!sysctl_saved[@]}"; do sysctl -qw "$k=${sysctl_saved[$k]}"; done
	sysctl_saved=()
}
trap 'sysctl_restore; cleanup' EXIT
# Debian's kernels default to a level 3 that lets only CAP_SYS_ADMIN open
# perf events (checked below): the user parts run at the upstream 2.
sysctl_set kernel.perf_event_paranoid 2
chmod 755 "$TMP"
cp "$EXECMON" "$TMP/execmon-fcaps"
[ -n "$DRY" ] || setcap cap_bpf,cap_perfmon+ep "$TMP/execmon-fcaps"
refused "file capabilities" \
	'^execmon: refusing to run with file capabilities \(setcap\).*setpriv --ambient-caps.*AmbientCapabilities=' \
	"${as_user[@]}" "$TMP/execmon-fcaps" -- /usr/bin/true
cp "$EXECMON" "$TMP/execmon-user"
traces "a user with CAP_BPF and CAP_PERFMON (ambient) traces" \
	prlimit --memlock=8388608:8388608 "${with_caps[@]}" "$TMP/execmon-user" -H -- /usr/bin/true diag-probe

# The perf buffers of a process without CAP_IPC_LOCK count against
# kernel.perf_event_mlock_kb, then RLIMIT_MEMLOCK (0 here): the message
# names the -b that fits, which then works. The sysctl is the system's:
# restored at once, and on exit.
budget_checks=("perf_event_mlock_kb 64, -b 128: exit status 1" "perf_event_mlock_kb 64, -b 128: nothing on stdout"
	"perf_event_mlock_kb 64, -b 128: one line on stderr that names the cause"
	"perf_event_mlock_kb 64, -b 128: nothing left loaded" "perf_event_mlock_kb 64: the -b named traces"
	"perf_event_mlock_kb 64: twice that is refused" "-v: libbpf's log, then the same reason")
if [ -z "$DRY" ] && memlock_maps; then
	# the maps would take the budget first, and fail at a small limit
	for t in "${budget_checks[@]}"; do skip "$t" "BPF maps count against the same limit before 5.11"; done
else
	sysctl_set kernel.perf_event_mlock_kb 64
	refused "perf_event_mlock_kb 64, -b 128" \
		'^execmon: can.t open the perf buffers: Operation not permitted: 128 pages per CPU \(-b\) on [0-9]+ CPUs lock .*kernel.perf_event_mlock_kb \(64 KB per CPU.*RLIMIT_MEMLOCK \(0 bytes\); use -b [0-9]+ or less' \
		prlimit --memlock=0:0 "${with_caps[@]}" "$TMP/execmon-user" -b 128 -- /usr/bin/true
	fit=$(sed -n 's/.*use -b \([0-9]*\) or less.*/\1/p' "$TMP/ref.err" 2>/dev/null)
	traces "perf_event_mlock_kb 64: the -b named (${fit:-none}) traces" \
		prlimit --memlock=0:0 "${with_caps[@]}" "$TMP/execmon-user" -b "${fit:-0}" -H -- /usr/bin/true diag-probe
	double=$(( ${fit:-0} * 2 ))
	[ -n "$DRY" ] || prlimit --memlock=0:0 "${with_caps[@]}" "$TMP/execmon-user" -b "$double" -H -- /usr/bin/true >/dev/null 2>&1
	rc=$?
	if confidential; then
		skip "perf_event_mlock_kb 64: twice that is refused" "$why_skipped"
	else
		check "perf_event_mlock_kb 64: twice that (-b $double) is refused" test $rc -eq 1
	fi
	# to a file: libbpf's log of every program is more than one argument may hold
	prlimit --memlock=0:0 "${with_caps[@]}" "$TMP/execmon-user" -v -b 128 -- /usr/bin/true 2>"$TMP/verbose.err" >/dev/null
	if confidential; then
		skip "-v: libbpf's log, then the same reason" "$why_skipped"
	else
		check "-v: libbpf's log, then the same reason" bash -c 'grep -q "^libbpf: " "$1" && tail -n 1 "$1" | grep -q "^execmon: can.t open the perf buffers: .*perf_event_mlock_kb"' _ "$TMP/verbose.err"
	fi
fi
sysctl_restore

# At perf_event_paranoid 3, kernels with Debian's patch refuse perf events
# to all but CAP_SYS_ADMIN; others take it as 2.
sysctl_set kernel.perf_event_paranoid 3
rc=0
[ -n "$DRY" ] || prlimit --memlock=8388608:8388608 "${with_caps[@]}" "$TMP/execmon-user" -H -- \
	/usr/bin/true diag-probe >"$TMP/p3.out" 2>"$TMP/p3.err" || rc=$?
sysctl_restore
if confidential; then
	skip "perf_event_paranoid 3: traces, or names the sysctl" "$why_skipped"
elif [ -n "$DRY" ] || { [ $rc = 0 ] && grep -q diag-probe "$TMP/p3.out"; }; then
	pass "perf_event_paranoid 3: traces, or names the sysctl (this kernel lets CAP_PERFMON)"
elif [ $rc = 1 ] && [ "$(wc -l <"$TMP/p3.err")" = 1 ] &&
	grep -q "kernel.perf_event_paranoid is 3, at which this kernel lets only CAP_SYS_ADMIN" "$TMP/p3.err"; then
	pass "perf_event_paranoid 3: traces, or names the sysctl (named)"
else
	fail "perf_event_paranoid 3: traces, or names the sysctl" "status $rc: $(head -c 600 "$TMP/p3.err")"
fi

# RLIMIT_MEMLOCK: before 5.11 the kernel charges BPF maps to it, and
# libbpf raises it only with CAP_SYS_RESOURCE. From 5.11 on it does not
# matter.
small_memlock=(capsh --drop=cap_sys_resource -- -c 'exec prlimit --memlock=65536:65536 "$0" "$@"' "$EXECMON")
if [ -n "$DRY" ] || memlock_maps; then
	refused "RLIMIT_MEMLOCK 64 KB before 5.11" \
		'^execmon: can.t load the BPF program: Operation not permitted: this kernel .*charges BPF maps to the locked-memory limit RLIMIT_MEMLOCK, which is 64 KB here.*ulimit -l.*LimitMEMLOCK=' \
		"${small_memlock[@]}" -- /usr/bin/true
	skip "RLIMIT_MEMLOCK 64 KB from 5.11 on: traces" "this kernel charges BPF maps to RLIMIT_MEMLOCK"
else
	for c in "exit status 1" "nothing on stdout" "one line on stderr that names the cause" \
		"nothing left loaded"; do
		skip "RLIMIT_MEMLOCK 64 KB before 5.11: $c" "this kernel ($major.$minor) does not charge BPF maps to RLIMIT_MEMLOCK"
	done
	traces "RLIMIT_MEMLOCK 64 KB from 5.11 on: traces" "${small_memlock[@]}" -H -- /usr/bin/true diag-probe
fi

# Kernel lockdown, as booted (tests/kernels/run boots a kernel with each
# mode): confidentiality forbids BPF to read kernel memory, integrity does
# not matter to execmon.
[ -z "$DRY" ] || lockdown=confidentiality
if [ "$lockdown" = confidentiality ]; then
	refused "lockdown=confidentiality" \
		'^execmon: kernel lockdown is in confidentiality mode \(/sys/kernel/security/lockdown\), which forbids BPF programs to read kernel memory: execmon can.t trace under it' \
		"$EXECMON" -- /usr/bin/true
	# Where the mode cannot be read, the verifier's refusal of the helper
	# that reads kernel memory tells.
	refused "lockdown=confidentiality, no securityfs" \
		'^execmon: can.t load the BPF program: .*the kernel refused bpf_probe_read_kernel\(\), as it does under kernel lockdown in confidentiality mode' \
		unshare -m sh -c 'umount /sys/kernel/security && exec "$0" -- /usr/bin/true' "$EXECMON"
else
	for t in lockdown=confidentiality "lockdown=confidentiality, no securityfs"; do
		for c in "exit status 1" "nothing on stdout" "one line on stderr that names the cause" \
			"nothing left loaded"; do
			skip "$t: $c" "lockdown is ${lockdown:-not in use} here"
		done
	done
fi
if [ "$lockdown" = integrity ]; then
	traces "lockdown=integrity: traces" "$EXECMON" -H -- /usr/bin/true diag-probe
else
	skip "lockdown=integrity: traces" "lockdown is ${lockdown:-not in use} here"
fi
