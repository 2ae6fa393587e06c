# JSON lines, table columns, the kernel's --ppid and --uid filters, order
# across CPUs and #! scripts, against the real tool: needs root.
SUITE=output
. "$(dirname "$0")/lib.sh"

needs_root
OUT=$TMP/out

# JSON: every line parses, and args are the argv exactly, byte for byte
# (through args_b64 where an argument is not valid UTF-8).
start_tracer "$OUT" --json || fail "execmon --json starts"
/usr/bin/true "" $'\t' $'a\nb' $'\e[0m' "\"q'" 'back\slash' "café" $'\xff\xfe' "a b" &
pid=$!
wait $pid
wait_for "$OUT" "\"pid\":$pid,"
stop_tracer
cat >"$TMP/check.py" <<'PY'
import base64, json, sys
want = [b"/usr/bin/true", b"", b"\t", b"a\nb", b"\x1b[0m", b"\"q'", b"back\\slash",
        "café".encode(), b"\xff\xfe", b"a b"]
pid = int(sys.argv[2])
found = None
for line in open(sys.argv[1], "rb"):
    line.decode("utf-8")                # valid UTF-8, always
    ev = json.loads(line)
    for key in ("time", "pid", "ppid", "uid", "comm", "exe", "args", "args_truncated", "exe_truncated"):
        assert key in ev, key
    if ev["pid"] == pid:
        found = ev
assert found, "no event for the pid"
got = [base64.b64decode(a) for a in found["args_b64"]]
assert got == want, got
assert len(found["args"]) == len(want)
assert found["args"][:8] == [w.decode() for w in want[:8]], found["args"]
assert found["args"][8] == "\ufffd\ufffd" and found["args"][9] == "a b"
assert found["exe"] == "/usr/bin/true" and found["comm"] == "true"
assert found["args_truncated"] == 0 and found["exe_truncated"] == 0
assert found["time"].endswith("Z") and len(found["time"]) == 30, found["time"]
PY
check "JSON args equal the argv passed" python3 "$TMP/check.py" "$OUT" "$pid"

# --no-header: the first line is an exec.
start_tracer "$OUT" --no-header
/usr/bin/true no-header &
pid=$!
wait $pid
wait_for "$OUT" no-header
stop_tracer
check "--no-header: no header" bash -c "! grep -q '^ *PID ' '$OUT'"
check "--no-header: the exec's line" has_line "$OUT" "$(line $pid /usr/bin/true '/usr/bin/true no-header')"

# --fields: each field alone, then all of them with ARGS moved last.
declare -A header=([time]=TIME [timestamp]='TIME(s)' [pid]=PID [ppid]=PPID [uid]=UID
	[user]=USER [comm]=COMM [exe]=EXEC [args]=ARGS)
declare -A value=([time]='[0-2][0-9]:[0-5][0-9]:[0-5][0-9]' [timestamp]='[0-9]+\.[0-9]{3}'
	[ppid]=$$ [uid]=0 [user]=root [comm]=true [exe]=/usr/bin/true [args]='/usr/bin/true field-test')
for f in time timestamp pid ppid uid user comm exe args; do
	start_tracer "$OUT" -o "$f"
	/usr/bin/true field-test &
	pid=$!
	wait $pid
	value[pid]=$pid
	# the exec's own line: the one whose value is there, for fields that
	# cannot tell execs apart, after the marker has arrived
	sleep 0.15
	stop_tracer
	got_header=$(head -n 1 "$OUT" | sed 's/^ *//; s/ *$//')
	if [ "$got_header" = "${header[$f]}" ] &&
		sed 1d "$OUT" | sed 's/^ *//; s/ *$//' | grep -qxE -- "${value[$f]}"; then
		pass "--fields $f"
	else
		fail "--fields $f" "$(head -n 3 "$OUT")"
	fi
done
start_tracer "$OUT" -o args,ppid,uid,user,comm,exe -T -U
/usr/bin/true all-fields &
pid=$!
wait $pid
wait_for "$OUT" all-fields
stop_tracer
check "--fields with shortcuts: header" grep -qxE 'TIME +UID +PPID +USER +COMM +EXEC +ARGS' "$OUT"
check "--fields with shortcuts: line" grep -qxE "[0-9:]{8} +0 +$$ +root +true +/usr/bin/true +/usr/bin/true all-fields" "$OUT"

# --ppid: only the children of one shell.
mkfifo "$TMP/go"
# (the exit keeps bash from exec'ing the last command in its own process)
bash -c 'read <"$1"; /usr/bin/true ppid-a; /usr/bin/true ppid-b; exit 0' _ "$TMP/go" &
parent=$!
start_tracer "$OUT" --ppid "$parent"
/usr/bin/true ppid-other
echo >"$TMP/go"
wait $parent
wait_for "$OUT" ppid-b
stop_tracer
check "--ppid shows only that parent's children" test "$(grep -c ppid- "$OUT")" = 2
check "--ppid keeps the order" bash -c "grep -o 'ppid-[ab]' '$OUT' | tr '\n' ' ' | grep -qx 'ppid-a ppid-b '"

# --uid: by name, with another filter (AND), and two values (OR).
start_tracer "$OUT" --uid nobody -c true
setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/true uid-nobody
setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/printf uid-nobody-printf >/dev/null
/usr/bin/true uid-root
wait_for "$OUT" uid-nobody
sleep 0.1
stop_tracer
check "--uid with --comm: only nobody's true" test "$(grep -c uid- "$OUT")" = 1
start_tracer "$OUT" --uid nobody --uid 0 --ppid $$
setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/true uid-or-nobody
/usr/bin/true uid-or-root
setpriv --reuid=daemon --regid=daemon --clear-groups /usr/bin/true uid-or-daemon
wait_for "$OUT" uid-or-root
sleep 0.1
stop_tracer
# (setpriv runs as root before it execs, so count the execs of true)
check "--uid twice: either user" test "$(grep -cE '/usr/bin/true +/usr/bin/true uid-or-' "$OUT")" = 2
check "--uid twice: not a third user" bash -c "! grep -qE '/usr/bin/true +/usr/bin/true uid-or-daemon$' '$OUT'"

# 300 execs one after another print in order, across CPUs.
start_tracer "$OUT" -H
for i in $(seq 300); do /usr/bin/true order-$i; done
wait_for "$OUT" 'order-300$'
stop_tracer
grep -o 'order-[0-9]*$' "$OUT" | cut -d- -f2 >"$TMP/order"
check "300 execs: all printed" test "$(wc -l <"$TMP/order")" = 300
check "300 execs in order" cmp -s "$TMP/order" <(seq 300)

# A parent's exec comes before its child's.
start_tracer "$OUT" -H
bash -c '/usr/bin/true child-of-bash; exit 0' parent-bash &
pid=$!
wait $pid
wait_for "$OUT" child-of-bash
stop_tracer
check "a parent before its child" bash -c "grep -n 'parent-bash\|child-of-bash' '$OUT' | head -n 1 | grep -q parent-bash"

# --json | head: exits by itself.
(for _ in $(seq 200); do /usr/bin/true; sleep 0.02; done) &
storm=$!
timeout 20 bash -c '"$1" --json | head -n 1 >/dev/null; exit ${PIPESTATUS[0]}' _ "$EXECMON"
rc=$?
kill $storm 2>/dev/null
wait $storm 2>/dev/null
check "--json | head exits by itself" test $rc -eq 0

# A #! script: the table shows the interpreter that ran and the rewritten
# argv; JSON names both.
printf '#!/bin/sh -e\nexit 0\n' >"$TMP/script.sh"
chmod +x "$TMP/script.sh"
start_tracer "$OUT"
(cd "$TMP" && exec env ./script.sh arg1) &
pid=$!
wait $pid
wait_for "$OUT" "^ *$pid .*arg1"
stop_tracer
check "#! script: table line" has_line "$OUT" "$(line $pid /usr/bin/dash "/bin/sh -e ./script.sh arg1")"
start_tracer "$OUT" --json
"$TMP/script.sh" arg2 &
pid=$!
wait $pid
wait_for "$OUT" "\"pid\":$pid,"
stop_tracer
check "#! script: JSON interpreter and script" python3 -c "
import json, sys
ev = [json.loads(l) for l in open('$OUT') if '\"pid\":$pid,' in l][0]
assert ev['interpreter'] == '/usr/bin/dash', ev
assert ev['script'] == '$TMP/script.sh', ev
assert ev['args'] == ['/bin/sh', '-e', '$TMP/script.sh', 'arg2'], ev
"
