# execmon where containers run it: in a pid namespace, a time namespace, a
# user namespace; and a thread id given where a process is wanted. Needs
# root.
SUITE=namespaces
. "$(dirname "$0")/lib.sh"

needs_root

# A user namespace's capabilities are not the initial namespace's: the
# message says so, not a security module, with status 1 and nothing on
# stdout; with root mapped (a rootless container's root) and without.
for how in "-r" ""; do
	name="in a user namespace${how:+ as its root}"
	rc=0
	[ -n "$DRY" ] || unshare -U $how "$EXECMON" -- /usr/bin/true >"$TMP/userns.out" 2>"$TMP/userns.err" || rc=$?
	check "$name: exit status 1" test $rc -eq 1
	check "$name: nothing on stdout" test ! -s "$TMP/userns.out"
	if [ -n "$DRY" ] || { [ "$(wc -l <"$TMP/userns.err")" -eq 1 ] &&
		grep -qE 'initial user namespace.*runs in another one \(user:\[[0-9]+\]\)' "$TMP/userns.err" &&
		! grep -qE 'SELinux|AppArmor|sudo' "$TMP/userns.err"; }; then
		pass "$name: the message names the user namespace, not a security module"
	else
		fail "$name: the message names the user namespace, not a security module" "$(cat "$TMP/userns.err")"
	fi
done

# --tree with a thread's id: refused as usage (64) before anything is
# loaded, naming the thread and its process; its process is fine.
tid_of() {
	python3 - "$TMP/threads" <<'EOF' &
import os, sys, threading, time
def run():
    with open(sys.argv[1] + ".tmp", "w") as f:
        print(os.getpid(), threading.get_native_id(), file=f)
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    # told to go: an exec from this thread, which becomes the process
    for _ in range(1200):
        if os.path.exists(sys.argv[1] + ".go"):
            os.execv("/usr/bin/true", ["true", "thread-exec"])
        time.sleep(0.05)
t = threading.Thread(target=run)
t.start()
t.join()
EOF
	THREADS_PID=$!
	for _ in $(seq 200); do [ -s "$TMP/threads" ] && return 0; sleep 0.05; done
	return 1
}
tree_checks=("--tree with a thread id: exit status 64" "--tree with a thread id: nothing on stdout"
	"--tree with a thread id: names the thread and its process"
	"--tree with that thread's process: traces")
if [ -n "$DRY" ] || tid_of; then
	read -r tgid tid <"$TMP/threads" 2>/dev/null
	rc=0
	[ -n "$DRY" ] || timeout 20 "$EXECMON" --tree "$tid" >"$TMP/tid.out" 2>"$TMP/tid.err" || rc=$?
	check "${tree_checks[0]}" test $rc -eq 64
	check "${tree_checks[1]}" test ! -s "$TMP/tid.out"
	check "${tree_checks[2]}" grep -q "invalid --tree '$tid': a thread of process $tgid.*--tree $tgid\$" "$TMP/tid.err"
	start_tracer "$TMP/tgid.out" --tree "$tgid"
	check "${tree_checks[3]}" test $? -eq 0
	stop_tracer
	for opt in --pid --ppid; do
		rc=0
		[ -n "$DRY" ] || timeout 20 "$EXECMON" "$opt" "$tid" >"$TMP/tid.out" 2>"$TMP/tid.err" || rc=$?
		check "$opt with a thread id: exit status 64, nothing on stdout" test $rc -eq 64 -a ! -s "$TMP/tid.out"
		check "$opt with a thread id: names its process" \
			grep -q "invalid $opt '$tid': a thread of process $tgid.*$opt=$tgid\$" "$TMP/tid.err"
	done
	# what the message advises: the thread's exec is its process's
	start_tracer "$TMP/pid.out" --pid "$tgid" -H -o pid,args
	[ -n "$DRY" ] || touch "$TMP/threads.go"
	wait_for "$TMP/pid.out" thread-exec
	stop_tracer
	check "--pid with the thread's process: the thread's exec traced" grep -qE "^ *$tgid true thread-exec\$" "$TMP/pid.out"
	[ -n "$DRY" ] || { kill "$THREADS_PID"; wait "$THREADS_PID"; } 2>/dev/null
else
	for t in "${tree_checks[@]}" "--pid with a thread id" "--pid with a thread id: names its process" \
		"--ppid with a thread id" "--ppid with a thread id: names its process" "--pid with the thread's process"; do
		fail "$t" "no thread to test with"
	done
fi

# start_in OUT WRAPPER... -- OPTIONS...: as start_tracer, with execmon run
# by WRAPPER (unshare --fork ...), which forks it; NS_TRACER is execmon's
# pid, for stop_in.
NS_TRACER=
start_in() {
	local out=$1 wrap=()
	shift
	while [ "$1" != -- ]; do wrap+=("$1"); shift; done
	shift
	[ -n "$DRY" ] && return 0
	"${wrap[@]}" "$EXECMON" "$@" >"$out" 2>"$out.err" &
	TRACER_PID=$!
	tracer_loaded "$out" children && NS_TRACER=$TRACER_LOADED
}
stop_in() {
	[ -n "$TRACER_PID" ] || return 0
	kill -INT "${NS_TRACER:-$TRACER_PID}" 2>/dev/null
	wait "$TRACER_PID"
	local rc=$?
	TRACER_PID= NS_TRACER=
	return $rc
}

# exec_at WORD: runs /usr/bin/true WORD, and prints the wall clock just
# before and just after, in seconds.
exec_at() {
	[ -n "$DRY" ] && return 0
	date +%s.%N
	/usr/bin/true "$1"
	date +%s.%N
}

# timed_right OUT WORD TRUTH: the exec of WORD in OUT (JSON) has a time
# within a second of the TRUTH that exec_at printed.
timed_right() {
	local t
	t=$(jq -r --arg w "$2" 'select(.args[1] == $w) | .time' "$1" | head -n 1)
	t=$(date -d "$t" +%s.%N 2>/dev/null) || { echo "no time for $2 in $1" >&2; return 1; }
	read -r -d '' before after <<<"$3"
	awk -v t="$t" -v b="$before" -v a="$after" 'BEGIN { exit !(t >= b - 1 && t <= a + 1) }' ||
		{ echo "$2: execmon said $t, the exec was between $before and $after" >&2; return 1; }
}

# In a time namespace, CLOCK_MONOTONIC is the kernel's plus an offset; the
# events' stamps are the kernel's. An hour ahead, and behind by half the
# time since boot (it may not go below zero): the exec's time is right,
# and it is shown at once, not held back by the offset.
up=$(cut -d. -f1 /proc/uptime)
for off in 3600 -$((up / 2)); do
	name="in a time namespace, CLOCK_MONOTONIC $off s off"
	if [ -z "$DRY" ] && ! unshare --time --fork --monotonic "$off" true 2>/dev/null; then
		skip "$name: the exec shown at once" "no time namespaces here"
		skip "$name: the exec's time" "no time namespaces here"
		continue
	fi
	if [ -z "$DRY" ] && [ "$off" -gt -10 ] && [ "$off" -lt 0 ]; then
		skip "$name: the exec shown at once" "booted too recently for a negative offset"
		skip "$name: the exec's time" "booted too recently for a negative offset"
		continue
	fi
	start_in "$TMP/timens" unshare --time --fork --monotonic "$off" -- --json ||
		{ fail "$name: execmon starts"; continue; }
	truth=$(exec_at "timens$off")
	check "$name: the exec shown at once" wait_for "$TMP/timens" "\"timens$off\""
	stop_in
	check "$name: the exec's time" timed_right "$TMP/timens" "timens$off" "$truth"
done

# The wall clock stepped while execmon runs (as NTP does at boot): an exec
# after the step has the new time. The step is 3 s forward, taken back as
# soon as the exec is shown (and whatever happens, by the trap).
step_clock() {
	python3 -c 'import sys, time
time.clock_settime(time.CLOCK_REALTIME, time.clock_gettime(time.CLOCK_REALTIME) + float(sys.argv[1]))' "$1"
}
name="the wall clock stepped after start: an exec's time is the new one"
if [ -n "$DRY" ]; then
	skip "$name" "$DRY"
elif start_tracer "$TMP/step" --json; then
	trap 'step_clock -3; cleanup' EXIT
	step_clock 3
	truth=$(exec_at stepped)
	wait_for "$TMP/step" '"stepped"'
	step_clock -3
	trap cleanup EXIT
	stop_tracer
	check "$name" timed_right "$TMP/step" stepped "$truth"
else
	fail "$name" "execmon did not start"
fi

# In a pid namespace (a container's), the events carry the kernel's global
# pids; the start-up check works, and its marker is not shown.
name="in a pid namespace"
start_in "$TMP/pidns" unshare --pid --fork --mount-proc -- --json ||
	fail "$name: execmon starts"
[ -n "$DRY" ] || sh -c 'echo $$ >"$1"; exec /usr/bin/true pidns-host' sh "$TMP/host.pid"
check "$name: an exec is shown" wait_for "$TMP/pidns" '"pidns-host"'
stop_in
check "$name: with its global pid" test "$(jq -r 'select(.args[1] == "pidns-host") | .pid' "$TMP/pidns" 2>/dev/null)" = "$(cat "$TMP/host.pid" 2>/dev/null)"
check "$name: execmon's own start-up marker is not shown" \
	test -z "$(jq -r --arg me "$(readlink -f "$EXECMON")" 'select(.exe == $me and .args[1] == "--execmon-self-check") | .pid' "$TMP/pidns" 2>/dev/null)"

# --pid, --ppid and --tree given the namespace's pid of a shell, which runs
# a child and then execs; an exec from outside matches none. Each execmon
# is started in the namespace and waited for there.
cat >"$TMP/pidns.sh" <<'EOF2'
tmp=$1 execmon=$2
mkfifo "$tmp/go"
sh -c 'read -r _ <"$1"; /usr/bin/true pidns-child; exec /usr/bin/true pidns-target' sh "$tmp/go" &
target=$!
echo "$target" >"$tmp/target"
pids=
for opt in pid ppid tree; do
	"$execmon" -o pid,nspid,args --"$opt"="$target" >"$tmp/$opt.out" 2>"$tmp/$opt.err" &
	pids="$pids $!"
	# the header comes once the start-up check is done
	for _ in $(seq 400); do
		[ -s "$tmp/$opt.out" ] && break
		sleep 0.05
	done
done
/usr/bin/true pidns-other
timeout 10 sh -c 'echo >"$1"' sh "$tmp/go"
wait "$target"
for opt in pid ppid; do
	for _ in $(seq 100); do grep -q ' pidns-target$' "$tmp/pid.out" && grep -q ' pidns-child$' "$tmp/ppid.out" && break; sleep 0.05; done
done
kill -INT $pids 2>/dev/null
wait
EOF2
[ -n "$DRY" ] || timeout -k 5 120 unshare --pid --fork --mount-proc --kill-child bash "$TMP/pidns.sh" "$TMP" "$EXECMON" 2>"$TMP/pidns.err"
# the words execmon showed with --OPT (PID NSPID /usr/bin/true WORD lines)
shown() { awk '$4 ~ /^pidns-/ { print $4 }' "$TMP/$1.out" 2>/dev/null | sort | tr '\n' ' '; }
check "$name: --pid with the namespace's pid" test "$(shown pid)" = "pidns-target "
check "$name: --ppid with the namespace's pid" test "$(shown ppid)" = "pidns-child "
check "$name: --tree with the namespace's pid" test "$(shown tree)" = "pidns-child pidns-target "
check "$name: --pid's exec carries the global pid" test "$(awk -v t="$(cat "$TMP/target" 2>/dev/null)" \
	'$4 == "pidns-target" && $2 == t && $1 != t { print "ok" }' "$TMP/pid.out" 2>/dev/null)" = ok

# -- COMMAND in a pid namespace: followed, with its status.
rc=0
[ -n "$DRY" ] || timeout -k 5 60 unshare --pid --fork --mount-proc --kill-child "$EXECMON" --json -- sh -c '/usr/bin/true pidns-cmd; exit 7' >"$TMP/cmd.out" 2>"$TMP/cmd.err" || rc=$?
check "$name: -- COMMAND: its exit status" test $rc -eq 7
check "$name: -- COMMAND: its execs shown" grep -q '"pidns-cmd"' "$TMP/cmd.out"
