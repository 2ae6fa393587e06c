# --json=ecs: every record an ECS document that tests/ecs/schema.json (ECS
# 8.17.0's names and types, nothing else at each ECS level) accepts, and
# holding the values of the --json record of the same exec: needs root.
SUITE=ecs
. "$(dirname "$0")/lib.sh"

SCHEMA=$(cd "$(dirname "$0")" && pwd)/ecs/schema.json

# A bad format is a usage error that names it and the valid ones, and
# traces nothing (a tracer that started anyway is stopped by timeout).
timeout 20 "$EXECMON" --json=elastic >"$TMP/bad.out" 2>"$TMP/bad.err" </dev/null
rc=$?
check "--json=elastic: exit 64" test "$rc" -eq 64
check "--json=elastic: names the value and the valid ones" \
	grep -q "invalid --json format 'elastic'.*ecs.*execmon" "$TMP/bad.err"
check "--json=elastic: nothing on stdout" test ! -s "$TMP/bad.out"
timeout 20 "$EXECMON" --json=ecs --journal >"$TMP/bad.out" 2>"$TMP/bad.err" </dev/null
check "--json=ecs --journal: exit 64" test $? -eq 64

needs_root
have python3 && python3 -c 'import jsonschema' 2>/dev/null || dry_run "python3-jsonschema missing: make deps"

# The tracers of the suite start together: a loaded machine takes seconds
# to start each. spawn OUT OPTIONS... starts one writing to OUT; attached
# waits, as start_tracer does, until each holds its BPF link; finish PID
# stops one as stop_tracer does.
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; cleanup' EXIT
spawn() {
	local out=$1
	shift
	[ -n "$DRY" ] && return 0
	"$EXECMON" "$@" >"$out" 2>"$out.err" &
	PIDS+=($!)
}
attached() {
	local p
	[ -n "$DRY" ] && return 0
	for p in "${PIDS[@]}"; do
		for _ in $(seq 1200); do
			ls -l /proc/"$p"/fd 2>/dev/null | grep -q 'anon_inode:bpf_link' && continue 2
			kill -0 "$p" 2>/dev/null || break
			sleep 0.05
		done
		return 1
	done
}
finish() {
	[ -n "$DRY" ] && return 0
	kill -INT "$1" 2>/dev/null
	wait "$1"
}

# The same execs, the suite's own (--tree), seen by --json and --json=ecs
# (and --json=execmon); a fourth, with a one-page buffer, is stopped to
# lose execs.
JSON=$TMP/json
ECS=$TMP/ecs
NAMED=$TMP/named
LOSS=$TMP/loss
cp /usr/bin/true "$TMP/ecsloss"
spawn "$JSON" --json -x --env --tree $$
spawn "$ECS" --json=ecs -x --env -S --tree $$
spawn "$NAMED" --json=execmon --tree $$
spawn "$LOSS" --json=ecs -c ecsloss -b 1 --tree $$
attached || fail "the four tracers start" "$(cat "$TMP"/*.err)"

/usr/bin/true ecs-plain "a b" café $'\xff\xfe' ''
env -i ECS_VAR='x y' ECS_RAW=$'\xff' /usr/bin/true ecs-env
/nonexistent/ecs-fail ecs-fail 2>/dev/null
/usr/bin/true ecs-cut "$(printf '%020000d' 0)"
printf '#!/bin/sh\nexit 0\n' >"$TMP/ecs-script"
chmod +x "$TMP/ecs-script"
(cd "$TMP" && ./ecs-script ecs-script)
# a terminal: process.tty's numbers
have script && script -qec "/usr/bin/true ecs-tty" /dev/null >/dev/null </dev/null
/usr/bin/true ecs-last

for f in "$JSON" "$ECS" "$NAMED"; do
	wait_for "$f" '"ecs-last"' || fail "the last exec reaches $(basename "$f")"
done
# a loss is an ECS document too
[ -n "$DRY" ] || kill -STOP "${PIDS[3]}"
for i in $(seq 60); do "$TMP/ecsloss" "ecs-loss-$(printf '%0200d' "$i")"; done
[ -n "$DRY" ] || kill -CONT "${PIDS[3]}"
wait_for "$LOSS.err" '^execmon: lost'
wait_for "$LOSS" '"events-lost"'
for p in "${PIDS[@]}"; do
	finish "$p"
done
PIDS=()
check "--json=ecs --stats: the totals on stderr, not in the stream" \
	grep -q 'execs' "$ECS.err"

cat >"$TMP/check.py" <<'PY'
import datetime, json, socket, sys
import jsonschema

schema_path, json_path, ecs_path, tty = sys.argv[1:5]
validator = jsonschema.Draft202012Validator(json.load(open(schema_path)))
plain = [json.loads(l) for l in open(json_path, "rb")]
ecs = [json.loads(l) for l in open(ecs_path, "rb")]
tags = ("ecs-plain", "ecs-env", "ecs-fail", "ecs-cut", "ecs-script", "ecs-tty", "ecs-last")

def tag(args):
    return next((a for a in args if a in tags), None)

def ours(docs, args_of):
    return [d for d in docs if tag(args_of(d) or [])]

def nulls(v, at=""):
    if v is None:
        yield at
    elif isinstance(v, dict):
        for k, x in v.items():
            yield from nulls(x, at + "." + k)
    elif isinstance(v, list):
        for x in v:
            yield from nulls(x, at)

def stamp(t):
    return datetime.datetime.fromisoformat(t[:26] + "+00:00").timestamp()

def equal(doc, rec):
    p, e, x = doc["process"], doc["event"], doc.get("execmon", {})
    def same(name, got, want):
        assert got == want, "%s: %r, --json has %r" % (name, got, want)
    def maybe(name, obj, key, want):
        if want is None:
            assert key not in obj, "%s: %r where --json has null" % (name, obj.get(key))
        else:
            same(name, obj.get(key), want)
    # two tracers stamp the same exec each in its own program: nearly the same
    same("@timestamp (to the second)", abs(stamp(doc["@timestamp"]) - stamp(rec["time"])) < 1, True)
    same("@timestamp's form", len(doc["@timestamp"]), len(rec["time"]))
    same("process.pid", p["pid"], rec["pid"])
    same("process.parent.pid", p["parent"]["pid"], rec["ppid"])
    same("process.real_user.id", p["real_user"]["id"], str(rec["uid"]))
    maybe("process.real_user.name", p["real_user"], "name", rec["user"])
    same("process.real_group.id", p["real_group"]["id"], str(rec["gid"]))
    same("process.user.id", p["user"]["id"], str(rec["euid"]))
    same("process.group.id", p["group"]["id"], str(rec["egid"]))
    maybe("process.executable", p, "executable", rec["exe"])
    same("process.name", p.get("name"), rec["exe"].rsplit("/", 1)[-1])
    same("process.args", p["args"], rec["args"])
    same("process.args_count", p["args_count"], len(rec["args"]))
    same("process.command_line", p["command_line"], " ".join(rec["args"]))
    maybe("process.working_directory", p, "working_directory", rec["cwd"])
    maybe("process.session_leader.pid", p.get("session_leader", {}), "pid", rec["sid"])
    same("process.entity_id", p["entity_id"], rec["exec_id"])
    maybe("process.parent.entity_id", p["parent"], "entity_id", rec["parent_exec_id"])
    maybe("process.parent.name", p["parent"], "name", rec["pcomm"])
    maybe("process.vpid", p, "vpid", rec["nspid"])
    maybe("process.env_vars", p, "env_vars", rec["env"])
    maybe("error.code", doc.get("error", {}), "code", rec["error"])
    maybe("container.id", doc.get("container", {}), "id", rec["container_id"])
    maybe("container.runtime", doc.get("container", {}), "runtime", rec["container_runtime"])
    tty = p.get("tty", {}).get("char_device")
    if rec["tty"] and rec["tty"].startswith("pts/"):
        n = int(rec["tty"][4:])
        same("process.tty.char_device", tty, {"major": 136 + n // 256, "minor": n % 256})
    else:
        assert rec["tty"] is not None or tty is None, tty
    failed = rec["ret"] != 0
    same("event.kind", e["kind"], "event")
    same("event.category", e["category"], ["process"])
    same("event.type", e["type"], ["info"] if rec["check"] else ["start"])
    same("event.outcome", e["outcome"], "failure" if failed else "success")
    same("event.action", e["action"],
         "exec-check" if rec["check"] else "exec-failed" if failed else "exec")
    # every other key of --json is execmon's, with its value; a null is left out
    mapped = {"time", "pid", "ppid", "uid", "user", "gid", "euid", "egid", "exe", "args",
              "cwd", "sid", "exec_id", "parent_exec_id", "pcomm", "nspid", "env", "error",
              "container_id", "container_runtime"}
    for k, v in rec.items():
        if k == "mono_ns":
            same("execmon.mono_ns (to the second)", abs(x[k] - v) < 10**9, True)
        elif k not in mapped:
            maybe("execmon." + k, x, k, v)
    for k in x:
        assert k in rec, "execmon.%s is no key of --json" % k
    host = doc["host"]
    same("host.hostname", host["hostname"], socket.gethostname())
    same("host.name", host["name"], socket.gethostname())
    # an empty machine id (a root not yet booted once) is left out
    try:
        machine_id = open("/etc/machine-id").read().strip()
    except FileNotFoundError:
        machine_id = ""
    maybe("host.id", host, "id", machine_id or None)
    same("host.boot.id", host["boot"]["id"],
         open("/proc/sys/kernel/random/boot_id").read().strip())

# Each check asked for, in one run (python and jsonschema take seconds
# to start under emulation): a line "WHAT ok", or "WHAT" and why not.
def check(what):
    if what == "schema":
        # every document of the stream, ours or not
        assert ecs, "no documents"
        for i, doc in enumerate(ecs):
            errors = sorted(validator.iter_errors(doc), key=str)
            assert not errors, "document %d: %s at %s" % (i, errors[0].message, list(errors[0].path))
        return
    if what == "nulls":
        for doc in ecs:
            bad = list(nulls({k: v for k, v in doc.items() if k != "execmon"}))
            assert not bad, "null in %s" % bad
        return
    if what == "tags":
        seen = {tag(d["process"]["args"]) for d in ours(ecs, lambda d: d["process"].get("args"))}
        want = set(tags) - ({"ecs-tty"} if tty == "no" else set())
        assert seen == want, "missing: %s" % sorted(want - seen)
        return
    # the same exec in both: its pid, kind and stamp
    byid = {(r["pid"], r["ret"], tuple(r["args"])): r for r in ours(plain, lambda r: r["args"])}
    n = 0
    for doc in ours(ecs, lambda d: d["process"].get("args")):
        if what != "all" and tag(doc["process"]["args"]) != what:
            continue
        rec = byid[(doc["process"]["pid"], doc["execmon"]["ret"], tuple(doc["process"]["args"]))]
        equal(doc, rec)
        n += 1
    assert n, "no document for " + what

for what in sys.argv[5:]:
    try:
        check(what)
        print(what, "ok")
    except Exception as e:
        print(what, "%s: %s" % (type(e).__name__, e))
PY

tty=yes
have script || tty=no
[ -n "$DRY" ] || python3 "$TMP/check.py" "$SCHEMA" "$JSON" "$ECS" "$tty" schema nulls tags \
	ecs-plain ecs-env ecs-fail ecs-cut ecs-script ecs-tty all >"$TMP/checked" 2>&1
ecs_check() { grep -qx "$1 ok" "$TMP/checked" || { grep "^$1 " "$TMP/checked" >&2 || cat "$TMP/checked" >&2; false; }; }
check "every document of the stream valid against the ECS schema" ecs_check schema
check "no null outside execmon" ecs_check nulls
check "a document for each exec" ecs_check tags
check "plain exec: the values of --json" ecs_check ecs-plain
check "--env: process.env_vars and the rest, as --json" ecs_check ecs-env
check "failed exec (-x): outcome failure, error.code, as --json" ecs_check ecs-fail
check "a cut argv: execmon.args_truncated, as --json" ecs_check ecs-cut
check "a #! script: execmon.interpreter and script, as --json" ecs_check ecs-script
if [ $tty = yes ]; then
	check "on a terminal: process.tty.char_device, as --json's tty" ecs_check ecs-tty
else
	skip "on a terminal: process.tty.char_device, as --json's tty" "no script(1)"
fi
check "every exec of the test: the values of --json" ecs_check all

# --json=execmon is --json: the same keys.
check "--json=execmon: --json's record" python3 -c '
import json, sys
def keys(path):
    return [sorted(json.loads(l)) for l in open(path) if "\"ecs-last\"" in l][0]
assert keys(sys.argv[1]) == keys(sys.argv[2])' "$NAMED" "$JSON"

check "a loss: an ECS document, valid against the schema" python3 -c '
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
docs = [json.loads(l) for l in open(sys.argv[2])]
lost = [d for d in docs if d["event"]["action"] == "events-lost"]
assert lost and all(d["event"]["kind"] == "metric" and d["execmon"]["lost"] > 0 for d in lost), lost
for d in docs:
    v.validate(d)' "$SCHEMA" "$LOSS"

# An exit (-e): event.type end, process.exit_code, valid against the schema;
# one a signal ended has no exit code.
EXITS=$TMP/exits.ecs
[ -n "$DRY" ] || timeout 60 "$EXECMON" --json=ecs -e -- sh -c '(exit 3); sh -c "kill -TERM \$\$"; exit 3' \
	>"$EXITS" 2>/dev/null
check "an exit: event.type end, process.exit_code, valid against the schema" python3 -c '
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
docs = [json.loads(l) for l in open(sys.argv[2])]
ends = [d for d in docs if d["event"]["type"] == ["end"]]
assert [d["event"]["action"] for d in ends] == ["exit", "exit"], ends
codes = sorted(str((d["process"].get("exit_code"), d["execmon"].get("signal"))) for d in ends)
assert codes == sorted([str((3, None)), str((None, "SIGTERM"))]), codes
for d in docs:
    v.validate(d)' "$SCHEMA" "$EXITS"
