# Exit records (--exits), --summary and --timeline, against ground truth the
# test makes: each process's status and rusage as wait4 gives them to its
# parent. Needs root.
SUITE=exits
. "$(dirname "$0")/lib.sh"

needs_root

WAYS=$TMP/exit_ways
test_prog exit_ways "$WAYS"
OUT=$TMP/out
start_tracer "$OUT" --exits --json -x -c exit_ways || { fail "execmon --exits --json starts"; exit 0; }

# The truth: each way run from python, which forks, execs and wait4s it;
# one line "NAME PID STATUS UTIME_NS MAXRSS_KB" each. The core goes to a
# file of the test's own, and the machine's core_pattern comes back after.
CORE_PATTERN=$(cat /proc/sys/kernel/core_pattern 2>/dev/null)
[ -n "$DRY" ] || echo "$TMP/core.%p" >/proc/sys/kernel/core_pattern
python3 - "$WAYS" "$TMP" >"$TMP/truth" <<'EOF'
import os, resource, signal, sys, time
ways, tmp = sys.argv[1], sys.argv[2]

def run(name, args, kill=None):
    pid = os.fork()
    if pid == 0:
        if name == "segv":
            resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        try:
            os.execv(args[0], args)
        finally:
            os._exit(127)
    if kill:
        # killed once it runs the program: its comm is the program's
        for _ in range(400):
            try:
                if open(f"/proc/{pid}/comm").read().strip() == "exit_ways":
                    break
            except OSError:
                pass
            time.sleep(0.01)
        os.kill(pid, kill)
    _, st, ru = os.wait4(pid, 0)
    print(name, pid, st, int(ru.ru_utime * 1e9), ru.ru_maxrss, flush=True)

run("code3", [ways, "code", "3"])
run("term", [ways, "wait"], signal.SIGTERM)
run("segv", [ways, "segv"])
run("burn", [ways, "burn", "200"])
run("touch", [ways, "touch", "100"])
run("threads", [ways, "threads", "4"])
# a failed exec that the comm filter selects: its basename is exit_ways
try:
    os.execv(tmp + "/none/exit_ways", ["exit_ways"])
except OSError:
    pass
# a process the filter leaves out (comm sh), that exits with 7
run("other", ["/bin/sh", "-c", "exit 7"])
EOF
[ -n "$DRY" ] || printf '%s\n' "$CORE_PATTERN" >/proc/sys/kernel/core_pattern
truth() { awk -v n="$1" -v f="$2" '$1 == n { print $f }' "$TMP/truth"; }
# (an exit's keys: event first, then pid)
wait_for "$OUT" "\"event\":\"exit\".*\"pid\":$(truth threads 2),"
stop_tracer

# One python for every check of the JSON (python starts slowly on a busy
# machine): a line "WHAT ok" or "WHAT why" each, then a check each below.
[ -n "$DRY" ] || python3 - "$OUT" "$TMP/truth" >"$TMP/verdicts" 2>&1 <<'EOF'
import json, signal, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
truth = {l.split()[0]: [int(x) for x in l.split()[1:]] for l in open(sys.argv[2])}

def exits(pid):
    return [r for r in recs if r.get("event") == "exit" and r["pid"] == pid]

def one(name):
    pid = truth[name][0]
    e = exits(pid)
    assert len(e) == 1, f"{name}: {len(e)} exit records for pid {pid}"
    return e[0], truth[name]

def status(name):
    e, (pid, st, ut, rss) = one(name)
    sig = st & 0x7f
    assert e["exit_code"] == (None if sig else st >> 8), (e, st)
    assert e["signal"] == (signal.Signals(sig).name if sig else None), (e, st)
    assert e["core_dumped"] == bool(st & 0x80), (e, st)

def utime():
    e, (pid, st, ut, rss) = one("burn")
    # split as the kernel splits it for wait4, read a moment earlier
    assert abs(e["utime_ns"] - ut) <= max(20e6, ut * 0.1), (e["utime_ns"], ut)
    # the program ran until its clock of CPU time passed 200 ms
    assert e["utime_ns"] + e["stime_ns"] >= 195e6, e
    assert e["duration_ns"] >= e["utime_ns"] * 0.9 and e["run_ns"] >= e["duration_ns"], e

def maxrss():
    e, (pid, st, ut, rss) = one("touch")
    assert abs(e["maxrss_kb"] - rss) <= rss * 0.05 + 1024, (e["maxrss_kb"], rss)
    assert rss >= 100 * 1024, rss

def threads():
    e, (pid, st, ut, rss) = one("threads")
    assert e["exit_code"] == 0 and e["signal"] is None, e
    assert e["comm"] == "exit_ways", e
    # the record is the last thread's: the main one ended at once, the
    # last of the others after 80 ms
    assert e["duration_ns"] >= 80e6, e

def exec_id():
    for name in ("code3", "term", "burn", "threads"):
        e, t = one(name)
        ex = [r for r in recs if r.get("event") == "exec" and r["pid"] == t[0]]
        assert len(ex) == 1 and ex[0]["exec_id"] == e["exec_id"], (name, ex, e)
        assert e["mono_ns"] >= ex[0]["mono_ns"], (ex[0], e)

def keys():
    e, _ = one("code3")
    types = {"event": str, "time": str, "mono_ns": int, "pid": int, "ppid": int, "uid": int,
             "comm": str, "exec_id": str, "exit_code": int, "signal": type(None),
             "core_dumped": bool, "duration_ns": int, "run_ns": int, "utime_ns": int,
             "stime_ns": int, "maxrss_kb": int}
    for k, t in types.items():
        assert type(e.get(k, KeyError)) is t, (k, e)
    # and nothing of an exec's
    assert "exe" not in e and "args" not in e, e
    e, _ = one("term")
    assert e["exit_code"] is None and type(e["signal"]) is str, e

def event():
    kinds = {}
    for r in recs:
        kinds[r.get("event")] = kinds.get(r.get("event"), 0) + 1
    assert set(kinds) == {"exec", "exit", "failed"}, kinds
    f = [r for r in recs if r["event"] == "failed"]
    assert f[0]["error"] == "ENOENT", f

def filtered():
    pid = truth["other"][0]
    assert truth["other"][1] >> 8 == 7
    assert not [r for r in recs if r["pid"] == pid], pid

for what, fn in (("code3", lambda: status("code3")), ("term", lambda: status("term")),
                 ("segv", lambda: status("segv")), ("utime", utime), ("maxrss", maxrss),
                 ("threads", threads), ("exec_id", exec_id), ("keys", keys), ("event", event),
                 ("filtered", filtered)):
    try:
        fn()
        print(what, "ok")
    except Exception as e:
        print(what, repr(e)[:300])
EOF
# verdict WHAT NAME: the check NAME, as the python above found WHAT.
verdict() {
	local why
	why=$(awk -v w="$1" '$1 == w { $1 = ""; print substr($0, 2) }' "$TMP/verdicts" 2>/dev/null)
	if [ "$why" = ok ]; then pass "$2"; else fail "$2" "${why:-no verdict: $(head -c 300 "$TMP/verdicts")}"; fi
}
verdict code3 "a program exiting 3: exit_code 3, no signal, no core"
verdict term "a program killed by SIGTERM: signal SIGTERM, exit_code null"
verdict segv "a program dumping core: signal SIGSEGV, core_dumped true"
check "the core went where the test put it, and core_pattern is back" \
	eval 'ls "$TMP"/core.* >/dev/null 2>&1 && [ "$(cat /proc/sys/kernel/core_pattern)" = "$CORE_PATTERN" ]'
verdict utime "200 ms of CPU: utime_ns within 20 ms or 10 % of wait4's"
verdict maxrss "100 MB touched: maxrss_kb within 5 % of wait4's"
verdict threads "a program whose main thread ends first exits once, with its name"
verdict exec_id "an exit's exec_id is that of its exec"
verdict keys "an exit's JSON keys and their types"
verdict event "every JSON record says its event: exec, exit, failed"
verdict filtered "a process the filter leaves out has no exit record"

# The table, following a command: an exit is a line whose RET is exit:N,
# which awk tells from an exec's 0. A subshell, forked and never exec'd,
# has no exit record; the program it ran has one, under its pid.
run_logged() { [ -n "$DRY" ] || "$@"; }
run_logged "$EXECMON" -e -H -o pid,ppid,exe,args -- \
	sh -c "\"$WAYS\" code 3; (\"$WAYS\" code 6; exit 5); exit 4" >"$TMP/table" 2>"$TMP/table.err"
SH_PID=$(awk '$3 == "0" && $5 == "sh" { print $1; exit }' "$TMP/table" 2>/dev/null)
check "table: the exit of a program exiting 3 is one line, RET exit:3, EXEC -" \
	eval '[ "$(awk "\$3 == \"exit:3\" && \$4 == \"-\"" "$TMP/table" | wc -l)" = 1 ]'
check "table: a subshell that never exec'd has no exit line, its program has one" \
	eval '! grep -q "exit:5" "$TMP/table" &&
	sub=$(awk -v sh="$SH_PID" "\$3 == \"0\" && \$7 == \"6\" { print \$2 }" "$TMP/table") &&
	[ -n "$sub" ] && [ "$sub" != "$SH_PID" ] && grep -q " exit:6 " "$TMP/table"'
check "table: the command's own exit is the last line, exit:4" \
	eval '[ "$(tail -n 1 "$TMP/table" | awk "{ print \$1, \$3 }")" = "$SH_PID exit:4" ]'

# --summary and --timeline of one command, whose tree the test knows: the
# shell, its two programs and a second shell between them with one of its
# own (its last command a builtin, so that it stays a shell).
run_logged "$EXECMON" -H --summary="$TMP/summary" --timeline="$TMP/timeline.json" -- \
	sh -c "\"$WAYS\" code 3; sh -c '\"$WAYS\" code 2; true'; \"$WAYS\" code 0; exit 4" \
	>"$TMP/sum.out" 2>"$TMP/sum.err"
SUM_RC=$?
check "--summary: execmon's status is the command's, 4" test "$SUM_RC" = 4
# each line: STATUS TIME, then the command indented two spaces a level
check "--summary: every process, in start order, each under its parent, with its status" \
	python3 - "$TMP/summary" "$WAYS" <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
ways = sys.argv[2]
assert lines[0].startswith("5 processes ran"), lines
got = []
for l in lines[1:]:
    m = re.match(r"(\S+) +(\d+\.\d{3})s( +)(.*)$", l)
    assert m, l
    got.append((m.group(1), m.group(4)))
# the indent: the command starts at column 26, then two spaces a level
depths = [(len(l) - len(l[26:].lstrip(" ")) - 26) // 2 for l in lines[1:]]
want = [(0, "exit:4", "sh -c"), (1, "exit:3", ways + " code 3"), (1, "exit:0", "sh -c"),
        (2, "exit:2", ways + " code 2"), (1, "exit:0", ways + " code 0")]
assert len(got) == len(want), (got, lines)
for (d, st, cmd), (gst, gcmd), gd in zip(want, got, depths):
    assert gst == st and gcmd.startswith(cmd) and gd == d, (d, st, cmd, gd, gst, gcmd)
EOF
check "--timeline: a Chrome trace: complete events, times in order, children inside their parent" \
	python3 - "$TMP/timeline.json" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
ev = t["traceEvents"]
assert len(ev) == 5, ev
by_pid = {}
last = -1
for e in ev:
    for k in ("name", "ph", "ts", "dur", "pid", "tid", "args"):
        assert k in e, (k, e)
    assert e["ph"] == "X" and e["dur"] >= 0 and e["ts"] >= last, e
    assert isinstance(e["args"]["argv"], list) and e["args"]["status"].startswith("exit:"), e
    last = e["ts"]
    by_pid[e["pid"]] = e
kids = 0
for e in ev:
    p = e["args"]["parent"]
    if p is None:
        continue
    kids += 1
    up = by_pid[p]
    assert up["ts"] <= e["ts"] and e["ts"] + e["dur"] <= up["ts"] + up["dur"], (up, e)
assert kids == 4, ev
EOF
check "--summary without a command or --tree: a usage error, nothing on stdout" \
	eval '"$EXECMON" --summary >"$TMP/usage.out" 2>"$TMP/usage.err"; [ $? = 64 ] && [ ! -s "$TMP/usage.out" ] &&
	grep -q -- "-- COMMAND or --tree" "$TMP/usage.err"'
