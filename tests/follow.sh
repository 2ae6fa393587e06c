# Follow mode (a command, a process tree), failed execs, cgroups, mount
# namespaces and the working directory, against the real tool: needs root.
SUITE=follow
. "$(dirname "$0")/lib.sh"

needs_root
OUT=$TMP/out

# Unrelated execs run beside the followed ones and must never show: ten
# a second, which under emulation, where an exec takes tens of
# milliseconds, leaves the followed commands most of the guest's time.
(while :; do /usr/bin/true unrelated; sleep 0.1; done) &
noise=$!
trap 'kill $noise 2>/dev/null; cleanup' EXIT

# -- COMMAND: its execs and its descendants', its exit status.
"$EXECMON" -- bash -c '/usr/bin/true follow-a; (/usr/bin/true follow-b); bash -c "/usr/bin/true follow-c; exit 0"; exit 3' >"$OUT" 2>"$OUT.err"
rc=$?
check "-- COMMAND: exit status of the command" test $rc -eq 3
check "-- COMMAND: the command's own exec" grep -q "/usr/bin/bash  *bash -c '/usr/bin/true follow-a" "$OUT"
check "-- COMMAND: children and grandchildren" test "$(grep -c 'follow-[abc]$' "$OUT")" = 3
check "-- COMMAND: nothing unrelated" bash -c "! grep -q unrelated '$OUT'"

# No race at start: a command that execs at once is still seen.
"$EXECMON" -H -- /usr/bin/true first-exec >"$OUT"
check "-- COMMAND: the first exec is seen" grep -q '/usr/bin/true first-exec$' "$OUT"

# The reader of the output goes away: the command still runs to its end,
# and its status is execmon's. The command writes nothing: only execmon
# meets the closed pipe.
rm -f "$TMP/cmd-done"
"$EXECMON" -- sh -c "sleep 1; /usr/bin/true after-reader; touch '$TMP/cmd-done'; exit 5" 2>"$OUT.err" | head -c 1 >/dev/null
rc=${PIPESTATUS[0]}
check "-- COMMAND: runs to its end when the reader goes away" test -e "$TMP/cmd-done"
check "-- COMMAND: its status when the reader went away" test "$rc" -eq 5

# A process whose first thread ends before the others is still followed:
# another thread forks after it.
"$EXECMON" -H -- python3 -c '
import ctypes, os, threading, time
def late():
    time.sleep(0.5)
    os.system("/usr/bin/true after-leader-exit")
    os._exit(0)
threading.Thread(target=late).start()
ctypes.CDLL(None).pthread_exit(None)' >"$OUT"
check "-- COMMAND: followed after its first thread ends" grep -q '/usr/bin/true after-leader-exit$' "$OUT"

# Killed by a signal: 128 + the signal, as a shell reports it.
"$EXECMON" -- sh -c 'kill -TERM $$' >/dev/null
check "-- COMMAND killed: status 143" test $? -eq 143

# A signal sent to execmon alone is passed on; execmon then ends with it.
"$EXECMON" -- sleep 30 >/dev/null &
pid=$!
for _ in $(seq 100); do pgrep -P $pid -x sleep >/dev/null && break; sleep 0.05; done
kill -TERM $pid
wait $pid
check "-- COMMAND: SIGTERM passed on to the command" test $? -eq 143

# --tree: a running process, its descendants from now on, and the end.
mkfifo "$TMP/go"
bash -c 'read <"$1"; /usr/bin/true tree-a; bash -c "/usr/bin/true tree-b; exit 0"; exit 0' _ "$TMP/go" &
root=$!
start_tracer "$OUT" --tree $root
echo >"$TMP/go"
wait $root
for _ in $(seq 100); do kill -0 "$TRACER_PID" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$TRACER_PID" 2>/dev/null; then
	fail "--tree: exits when the process does"
	stop_tracer
else
	wait "$TRACER_PID"
	check "--tree: exits 0 when the process does" test $? -eq 0
	TRACER_PID=
fi
check "--tree: the tree's execs" test "$(grep -c 'tree-[ab]$' "$OUT")" = 2
check "--tree: nothing unrelated" bash -c "! grep -q unrelated '$OUT'"
bad=$("$EXECMON" --tree 4194303 2>&1)
check "--tree: a process that does not exist is an error" grep -q "no such process" <<<"$bad"

# --fails: the path asked for, the argv passed, the error; a success once.
printf 'not a program\n' >"$TMP/noexec"
chmod 644 "$TMP/noexec"
start_tracer "$OUT" -x
python3 - "$TMP/noexec" <<'PY'
import os, sys
for path in ("/nonexistent/prog", sys.argv[1]):
    try:
        os.execv(path, [path, "failed arg", "x"])
    except OSError:
        pass
# a failed exec's arguments are read up to 4096 bytes each, NUL included
for n in (4095, 4096):
    try:
        os.execv("/nonexistent/long%d" % n, ["long%d" % n, "y" * n])
    except OSError:
        pass
PY
/usr/bin/true fails-ok
wait_for "$OUT" 'fails-ok$'
stop_tracer
check "--fails: ENOENT" grep -qE "^ *[0-9]+ ENOENT +/nonexistent/prog +/nonexistent/prog 'failed arg' x$" "$OUT"
check "--fails: EACCES" grep -qE "^ *[0-9]+ EACCES +$TMP/noexec +$TMP/noexec 'failed arg' x$" "$OUT"
check "--fails: a 4095-byte argument is whole" grep -qE "/nonexistent/long4095 +long4095 y{4095}$" "$OUT"
check "--fails: a 4096-byte argument is cut" grep -qE "/nonexistent/long4096 +long4096 y{4095} \\[cut\\]$" "$OUT"
check "--fails: a success is reported once" test "$(grep -c 'fails-ok$' "$OUT")" = 1
check "--fails: a success has RET 0" grep -qE '^ *[0-9]+ 0 +/usr/bin/true +/usr/bin/true fails-ok$' "$OUT"
# With --comm, a failed exec matches by the name it would have had: the
# last component of the path, whatever the caller is called.
start_tracer "$OUT" -x --comm failprobe
python3 -c 'import os
for path in ("/nonexistent/failprobe", "/nonexistent/otherprobe"):
    try: os.execv(path, [path, "c"])
    except OSError: pass'
wait_for "$OUT" /nonexistent/failprobe
stop_tracer
check "--fails --comm: by the name the exec would have had" grep -qE "ENOENT +/nonexistent/failprobe +/nonexistent/failprobe c$" "$OUT"
check "--fails --comm: nothing else" bash -c "! grep -q otherprobe '$OUT'"
start_tracer "$OUT" -x --json
python3 -c 'import os
for path, arg in (("/nonexistent/jsonlong", "z" * 5000), ("/nonexistent/json", "j")):
    try: os.execv(path, [path, arg])
    except OSError: pass'
wait_for "$OUT" '"exe":"/nonexistent/json"'
stop_tracer
check "--fails --json: ret and error" python3 -c "
import json
ev = [e for e in map(json.loads, open('$OUT')) if e['exe'] == '/nonexistent/json'][0]
assert ev['ret'] == -2 and ev['error'] == 'ENOENT', ev
assert ev['exe'] == '/nonexistent/json' and ev['args'] == ['/nonexistent/json', 'j'], ev
assert ev['args_truncated'] == 0, ev
"
check "--fails --json: a cut of unknown size is null" python3 -c "
import json
ev = [e for e in map(json.loads, open('$OUT')) if e['exe'] == '/nonexistent/jsonlong'][0]
assert ev['args_truncated'] is None and ev['args'][1] == 'z' * 4095, ev['args_truncated']
"

# --cgroup and the cgroup field: a cgroup of the test's own, on the
# cgroup v2 mount (/sys/fs/cgroup, or /sys/fs/cgroup/unified beside v1).
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
cg=$cg2/execmon-test-$$
if [ -n "$cg2" ] && mkdir "$cg" 2>/dev/null; then
	start_tracer "$OUT" --cgroup "/execmon-test-$$" -o cgroup,exe,args
	bash -c 'echo $$ >"$1/cgroup.procs"; /usr/bin/true in-cgroup; exit 0' _ "$cg"
	/usr/bin/true outside-cgroup
	wait_for "$OUT" in-cgroup
	sleep 0.1
	stop_tracer
	check "--cgroup: execs in it" grep -qE "^/execmon-test-$$ +/usr/bin/true +/usr/bin/true in-cgroup$" "$OUT"
	check "--cgroup: nothing outside it" bash -c "! grep -q -e outside-cgroup -e unrelated '$OUT'"
	rmdir "$cg"
else
	for t in "--cgroup: execs in it" "--cgroup: nothing outside it"; do
		skip "$t" "can't create a cgroup under /sys/fs/cgroup"
	done
fi
bad=$("$EXECMON" --cgroup /no-such-cgroup-here 2>&1)
check "--cgroup: a missing cgroup is an error that names the cgroup v2 mount" \
	grep -qE "^execmon: invalid cgroup '/no-such-cgroup-here': no such cgroup in /sys/fs/cgroup(/unified)? \(the cgroup v2 mount\)" <<<"$bad"
bad=$("$EXECMON" --cgroup /cgroup.procs 2>&1)
check "--cgroup: a file of the cgroup v2 mount is an error that says it is not a cgroup" \
	grep -qx "execmon: invalid cgroup '/cgroup.procs': not a cgroup v2 directory" <<<"$bad"
# a tmpfs over /sys/fs/cgroup, in a mount namespace of its own, hides
# every cgroup v2 mount that execmon looks for
for opt in --cgroup=/x --container=0123456789ab; do
	name=${opt%%=*}
	t="$name without a cgroup v2 mount: an error that says so"
	nomount=$(unshare -m sh -c 'mount -t tmpfs none /sys/fs/cgroup && exec "$0" "$1"' \
		"$EXECMON" "$opt" 2>&1)
	rc=$?
	if [ $rc = 64 ] &&
		grep -qF "execmon: invalid ${name#--} '${opt#*=}': no cgroup v2 is mounted" <<<"$nomount"; then
		pass "$t"
	elif [ $rc = 64 ] || grep -q "^execmon:" <<<"$nomount"; then
		fail "$t"
		echo "$nomount" >&2
	else
		skip "$t" "can't hide /sys/fs/cgroup: ${nomount:0:80}"
	fi
done

# mntns and cwd: a new mount namespace, and a working directory.
host_ns=$(stat -L -c %i /proc/self/ns/mnt)
start_tracer "$OUT" -o mntns,cwd,exe,args
unshare -m /usr/bin/true in-new-ns
(cd /tmp && exec /usr/bin/true in-tmp)
wait_for "$OUT" in-tmp
stop_tracer
line_ns=$(grep 'in-new-ns$' "$OUT" | grep /usr/bin/true | awk '{print $1}')
check "mntns: a new namespace differs" test -n "$line_ns" -a "$line_ns" != "$host_ns"
check "mntns: the host's" grep -qE "^ *$host_ns +/tmp +/usr/bin/true +/usr/bin/true in-tmp$" "$OUT"

# A working directory longer than the 4096 bytes kept: its end, and how
# much was cut.
comp=$(printf 'c%.0s' $(seq 200))
start_tracer "$OUT" --json
(cd "$TMP" && for _ in $(seq 25); do mkdir "$comp" && cd "$comp" || exit 1; done && exec /usr/bin/true in-deep-cwd)
wait_for "$OUT" in-deep-cwd
stop_tracer
check "cwd: a long one keeps its end and counts the cut" python3 -c "
import json, os
ev = [e for e in map(json.loads, open('$OUT')) if e['args'][-1:] == ['in-deep-cwd']][0]
full = len(os.path.realpath('$TMP')) + 25 * 201
assert ev['cwd_truncated'] > 0 and ev['cwd_truncated'] + len(ev['cwd']) == full, (ev['cwd_truncated'], len(ev['cwd']), full)
assert ev['cwd'].endswith('/' + '$comp'), ev['cwd'][-20:]
"
