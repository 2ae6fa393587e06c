# Who an exec's process is: login uid and session, terminal, effective ids
# and AT_SECURE, ancestors, exec ids and the pidfs inode, the pid and pid
# namespace from inside; in JSON and in the table, against what /proc, ps
# and pidfd_open say of processes the test makes. Needs root.
SUITE=identity
. "$(dirname "$0")/lib.sh"

needs_root
# ancestors is JSON's and the journal's: asked for in the table, said so
out=$("$EXECMON" -o pid,ancestors 2>"$TMP/anc.err")
rc=$?
check "-o ancestors: status 64, nothing on stdout" test "$rc" = 64 -a -z "$out"
check "-o ancestors: says where it is" grep -qF "'ancestors' is a list, in JSON (--json)" "$TMP/anc.err"

JSON=$TMP/json
TABLE=$TMP/table
D=$TMP/id
mkdir -p "$D"
# nobody runs the set-user-ID copies, from a directory it can reach
chmod 711 "$TMP"
mkdir -p "$TMP/pub"
chmod 755 "$TMP/pub"
cp /usr/bin/true "$TMP/pub/suid-true"
chmod 6755 "$TMP/pub/suid-true"
cp /usr/bin/true "$TMP/pub/plain-true"

# idprobe NAME: notes what /proc, ps and a pidfd say of its own process in
# $D/NAME.*, then becomes the exec the checks look for, "true idprobe-NAME".
cat >"$D/idprobe" <<'EOF'
#!/bin/sh
d=$(dirname "$0")
cat /proc/$$/stat >"$d/$1.stat"
cat /proc/$$/loginuid >"$d/$1.loginuid"
cat /proc/$$/sessionid >"$d/$1.sessionid"
readlink /proc/$$/ns/pid >"$d/$1.pidns"
ps -o tty= -p $$ >"$d/$1.tty"
python3 -c 'import os, sys; print(os.fstat(os.pidfd_open(int(sys.argv[1]))).st_ino)' $$ \
	>"$d/$1.ino" 2>/dev/null
echo $$ >"$d/$1.pid"
exec /usr/bin/true "idprobe-$1"
EOF
# anc1 runs anc2, which runs anc3, which runs the probe: each a process of
# its own (the last command is not exec'd), with its /proc/PID/stat noted
for i in 1 2 3; do
	next="\"\$d/anc$((i + 1))\""
	[ $i = 3 ] && next="\"\$d/idprobe\" anc"
	printf '#!/bin/sh\nd=$(dirname "$0")\ncat /proc/$$/stat >"$d/anc%s.stat"\n%s\ntrue\n' \
		"$i" "$next" >"$D/anc$i"
done
chmod 755 "$D/idprobe" "$D"/anc?

ctx_fields=auid,loginuser,sid,tty,euid,egid,secure,pcomm,exec_id,parent_exec_id,pidfs_ino,nspid,pidns
start_tracer "$JSON" --json -x --tree $$ -b 512 || fail "execmon --json starts"
JSON_PID=$TRACER_PID
start_tracer "$TABLE" -x -H --tree $$ -b 512 -o "pid,$ctx_fields,comm,args" ||
	fail "execmon -o $ctx_fields starts"
TABLE_PID=$TRACER_PID
# Both read only once every process below is gone, so that what they show
# was read in the kernel at the exec, not looked up later.
[ -z "$DRY" ] && kill -STOP "$JSON_PID" "$TABLE_PID"

"$D/idprobe" plain
# a login uid set (CAP_AUDIT_CONTROL), then another user, as sudo -u would
( echo 4321 >/proc/self/loginuid && cat /proc/self/sessionid >"$D/login.sessionid" &&
	exec setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/true idprobe-login )
login_rc=$?
( echo 65534 >/proc/self/loginuid && exec "$D/idprobe" auidnobody )
# a terminal of its own, and none
script -qc "$D/idprobe tty" /dev/null </dev/null >/dev/null
setsid -w "$D/idprobe" notty </dev/null >/dev/null 2>&1
# set-user-ID and set-group-ID root, by nobody; the same file without
setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/pub/suid-true" idprobe-suid
setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/pub/plain-true" idprobe-nosuid
"$D/anc1"
# pid 1 of a pid namespace of its own
unshare --pid --fork --mount-proc "$D/idprobe" ns
# an exec that fails, by a subshell with a login uid
( echo 4321 >/proc/self/loginuid && cat /proc/$BASHPID/stat >"$D/failed.stat" &&
	exec "$TMP/no-such-idprobe" ) 2>/dev/null
# and one by a thread that is not the process's main one
python3 - "$TMP/no-such-thread-idprobe" "$D" <<'PY' 2>/dev/null
import os, sys, threading
d = sys.argv[2]
def run():
    try:
        os.execv(sys.argv[1], [sys.argv[1]])
    except OSError:
        pass
open(d + "/thread.stat", "w").write(open("/proc/self/stat").read())
try:
    ino = os.fstat(os.pidfd_open(os.getpid())).st_ino
except OSError:
    ino = 0
open(d + "/thread.ino", "w").write("%d\n" % ino)
t = threading.Thread(target=run)
t.start()
t.join()
PY
if [ -z "$DRY" ]; then
	gone=yes
	for f in "$D"/anc?.stat; do
		p=$(cut -d' ' -f1 "$f")
		kill -0 "$p" 2>/dev/null && gone="no: $p is still there"
	done
	check "the ancestors are gone before execmon reads ($gone)" test "$gone" = yes
	kill -CONT "$JSON_PID" "$TABLE_PID"
else
	check "the ancestors are gone before execmon reads" true
fi
wait_for "$JSON" no-such-thread-idprobe
wait_for "$TABLE" no-such-thread-idprobe
TRACER_PID=$JSON_PID stop_tracer
TRACER_PID=$TABLE_PID stop_tracer
TRACER_PID=

cat >"$TMP/check.py" <<'PY'
import json, os, pwd, sys

D, what = sys.argv[1], sys.argv[2]
SHELL_PID = int(sys.argv[3])
TICK = 10**9 // os.sysconf("SC_CLK_TCK")
events = [json.loads(l) for l in open(os.path.join(D, "..", "json"))]

def ev(marker, kind="true"):
    """The exec whose last argument is marker (the probe's true, not the
    command that ran it)."""
    found = [e for e in events if e["args"] and e["args"][-1] == marker and
             e["comm"] not in ("setpriv", "setsid", "unshare", "script")]
    assert len(found) == 1, (marker, len(found))
    return found[0]

def note(name, ext):
    return open(os.path.join(D, name + "." + ext)).read().strip()

def stat(name):
    """/proc/PID/stat as noted, split after the comm."""
    s = open(os.path.join(D, name + ".stat")).read()
    pid = int(s.split()[0])
    return pid, s[s.rindex(")") + 2:].split()

def start_ticks(name):
    return int(stat(name)[1][19])	# field 22, starttime

def id_ticks(exec_id):
    pid, ns = exec_id.split("@")
    return int(pid), int(ns) // TICK

def unset(v):
    return None if v == "4294967295" else int(v)

def kernel_has_pidfs():
    major, minor = (int(x) for x in os.uname().release.split(".")[:2])
    return (major, minor) >= (6, 9)

if what == "auid":
    p = ev("idprobe-plain")
    assert p["auid"] == unset(note("plain", "loginuid")), p["auid"]
    assert p["sid"] == unset(note("plain", "sessionid")), p["sid"]
    assert p["loginuser"] is None or p["auid"] is not None, p
    e = ev("idprobe-login")
    assert e["uid"] == 65534 and e["auid"] == 4321, (e["uid"], e["auid"])
    assert e["sid"] == int(note("login", "sessionid")) and e["sid"] != p["sid"], e["sid"]
    assert e["loginuser"] is None, e["loginuser"]	# 4321 has no name here
    n = ev("idprobe-auidnobody")
    assert n["auid"] == 65534 == int(note("auidnobody", "loginuid")), n["auid"]
    assert n["loginuser"] == pwd.getpwuid(65534).pw_name, n["loginuser"]
    assert n["sid"] == int(note("auidnobody", "sessionid")), n["sid"]
elif what == "tty":
    e = ev("idprobe-tty")
    ps = note("tty", "tty")
    assert ps.startswith("pts/") and e["tty"] == ps, (e["tty"], ps)
    nr = int(stat("tty")[1][4])			# field 7, tty_nr
    major, minor = (nr >> 8) & 0xfff, (nr & 0xff) | ((nr >> 12) & 0xfff00)
    assert e["tty"] == "pts/%d" % ((major - 136) * 256 + minor), (e["tty"], major, minor)
    n = ev("idprobe-notty")
    assert note("notty", "tty") == "?" and n["tty"] is None, n["tty"]
elif what == "creds":
    s = ev("idprobe-suid")
    assert (s["uid"], s["gid"], s["euid"], s["egid"]) == (65534, 65534, 0, 0), s
    assert s["secure"] is True, s["secure"]
    n = ev("idprobe-nosuid")
    assert (n["uid"], n["euid"], n["egid"]) == (65534, 65534, 65534), n
    assert n["secure"] is False, n["secure"]
    p = ev("idprobe-plain")
    assert (p["euid"], p["egid"], p["secure"]) == (0, 0, False), p
elif what == "ancestors":
    e = ev("idprobe-anc")
    want = [(stat("anc%d" % i)[0], "anc%d" % i) for i in (3, 2, 1)] + [(SHELL_PID, "bash")]
    got = [(a["pid"], a["comm"]) for a in e["ancestors"]]
    assert got[:4] == want, got
    assert e["pcomm"] == "anc3", e["pcomm"]
    assert len(got) == 8 or got[-1][0] == 1, got	# up to 8, or to init
    assert e["ppid"] == got[0][0]
elif what == "exec_id":
    e = ev("idprobe-anc")
    assert id_ticks(e["exec_id"]) == (e["pid"], start_ticks("anc")), (e["exec_id"], start_ticks("anc"))
    assert id_ticks(e["parent_exec_id"]) == (stat("anc3")[0], start_ticks("anc3")), e["parent_exec_id"]
    # the parent's own exec has the id its child names, the script's exec
    # before the probe's the same (an exec keeps the process)
    parent = [x for x in events if x["comm"] == "anc3" and x["pid"] == stat("anc3")[0]]
    assert len(parent) == 1 and parent[0]["exec_id"] == e["parent_exec_id"], parent
    script = [x for x in events if x["pid"] == e["pid"] and x["comm"] == "idprobe"]
    assert len(script) == 1 and script[0]["exec_id"] == e["exec_id"], script
elif what == "pidfs":
    for name in ("plain", "anc", "tty"):
        e = ev("idprobe-" + name)
        if kernel_has_pidfs():
            assert e["pidfs_ino"] == int(note(name, "ino")), (name, e["pidfs_ino"], note(name, "ino"))
        else:
            assert e["pidfs_ino"] is None, e["pidfs_ino"]
elif what == "ns":
    e = ev("idprobe-ns")
    assert note("ns", "pid") == "1" and e["nspid"] == 1, (e["nspid"], e["pid"])
    assert e["pid"] != 1
    assert "pid:[%d]" % e["pidns"] == note("ns", "pidns"), (e["pidns"], note("ns", "pidns"))
    p = ev("idprobe-plain")
    assert p["nspid"] == p["pid"] and "pid:[%d]" % p["pidns"] == note("plain", "pidns"), p
    assert p["pidns"] != e["pidns"]
elif what == "failed":
    f = [x for x in events if x["exe"] and x["exe"].endswith("/no-such-idprobe")]
    assert len(f) == 1 and f[0]["error"] == "ENOENT", f
    f = f[0]
    assert f["auid"] == 4321 and f["secure"] is None and f["euid"] == 0, f
    assert id_ticks(f["exec_id"]) == (f["pid"], start_ticks("failed")), f["exec_id"]
    assert f["pcomm"] == "bash" and f["ancestors"][0]["pid"] == SHELL_PID, f["ancestors"]
elif what == "thread":
    f = [x for x in events if x["exe"] and x["exe"].endswith("/no-such-thread-idprobe")]
    assert len(f) == 1, f
    f = f[0]
    pid = stat("thread")[0]
    assert f["pid"] == pid and f["nspid"] == pid, (f["pid"], f["nspid"], pid)
    assert id_ticks(f["exec_id"]) == (pid, start_ticks("thread")), f["exec_id"]
    if kernel_has_pidfs():
        assert f["pidfs_ino"] == int(note("thread", "ino")), (f["pidfs_ino"], note("thread", "ino"))
elif what == "table":
    # every exec's ctx columns in the table show what JSON has
    keys = "auid loginuser sid tty euid egid secure pcomm exec_id parent_exec_id pidfs_ino nspid pidns".split()
    rows = {}
    for line in open(os.path.join(D, "..", "table")):
        w = line.split()
        rows[(int(w[0]), w[1 + len(keys)], w[-1])] = w[1:1 + len(keys)]
    seen = 0
    for e in events:
        last = e["args"][-1] if e["args"] else ""
        if not (last.startswith("idprobe-") or last.endswith("-idprobe")):
            continue
        def show(v):
            return "-" if v is None else "yes" if v is True else "no" if v is False else str(v)
        want = [show(e[k]) for k in keys]
        got = rows.get((e["pid"], e["comm"], last))
        assert got == want, (last, got, want)
        seen += 1
    assert seen >= 10, seen
else:
    sys.exit("no check " + what)
PY
chk() { check "$1" python3 "$TMP/check.py" "$D" "$2" $$; }
check "root sets a login uid (CAP_AUDIT_CONTROL)" test "$login_rc" = 0
chk "auid, sid, loginuser: /proc's loginuid and sessionid, kept across a change of user" auid
chk "tty: what ps and tty_nr say, null without one" tty
chk "euid, egid, secure: set-user-ID root run by nobody, and a plain exec" creds
chk "ancestors, pcomm: three of the test's, then the test's shell, up to init" ancestors
chk "exec_id, parent_exec_id: pid and /proc start time; a parent's id is its exec's" exec_id
chk "pidfs_ino: fstat of a pidfd (null before 6.9)" pidfs
chk "nspid, pidns: pid 1 of a new pid namespace, and the initial one" ns
chk "a failed exec: login uid, exec_id, ancestors; secure null" failed
chk "a failed exec by a thread: the process's pid, exec_id and pidfs_ino" thread
chk "table: every ctx column shows what JSON has" table

# --journal: the same values as native fields, sent to a journal socket
# of the test's own, in a mount namespace of its own (so that no journald
# is needed, and the machine's sees nothing)
cat >"$TMP/journal.py" <<'PY'
import os, socket, struct, sys
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)	# as journald's: execmon sends as nobody
open(out + ".up", "w").close()
with open(out, "wb") as f:
    while True:
        d = s.recv(1 << 20)
        f.write(struct.pack("<Q", len(d)) + d)
        f.flush()
PY
cat >"$TMP/journal.sh" <<'SH'
# in a mount namespace of its own, with TMP, EXECMON and D set
mount -t tmpfs tmpfs /run/systemd/journal || exit 1
python3 "$TMP/journal.py" /run/systemd/journal/socket "$TMP/journal.dgrams" &
server=$!
for _ in $(seq 100); do [ -e "$TMP/journal.dgrams.up" ] && break; sleep 0.05; done
"$EXECMON" --journal --tree $$ >"$TMP/journal.out" 2>&1 &
tracer=$!
for _ in $(seq 200); do
	ls -l /proc/$tracer/fd 2>/dev/null | grep -q bpf_link && break
	sleep 0.05
done
"$D/idprobe" journal
sleep 0.3
kill -INT $tracer
wait $tracer
kill $server
SH
if [ -z "$DRY" ]; then
	mkdir -p /run/systemd/journal
	TMP=$TMP EXECMON=$EXECMON D=$D unshare -m --propagation private bash "$TMP/journal.sh"
fi
cat >"$TMP/journal-check.py" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
entries, i = [], 0
while i < len(data):
    n, = struct.unpack_from("<Q", data, i)
    d, i, e = data[i + 8:i + 8 + n], i + 8 + n, {}
    while d:
        nl = d.index(b"\n")
        if b"=" in d[:nl]:
            k, v = d[:nl].split(b"=", 1)
            d = d[nl + 1:]
        else:	# KEY, newline, a 64-bit length, the bytes, newline
            k, (m,) = d[:nl], struct.unpack_from("<Q", d, nl + 1)
            v, d = d[nl + 9:nl + 9 + m], d[nl + 10 + m:]
        e[k.decode()] = v.decode()
    entries.append(e)
e = [x for x in entries if x.get("EXECMON_ARG1") == "idprobe-journal"]
assert len(e) == 1, len(e)
e = e[0]
p = [json.loads(l) for l in open(sys.argv[2])]
p = [x for x in p if x["args"] and x["args"][-1] == "idprobe-plain"][0]
# the same shell, so the same login, terminal and namespace as the plain probe
for k in ("auid", "sid", "loginuser", "tty", "euid", "egid", "secure", "nspid", "pidns"):
    want = p[k] if k != "nspid" else int(e["EXECMON_PID"])
    if want is None:
        assert "EXECMON_" + k.upper() not in e, k
    else:
        assert e["EXECMON_" + k.upper()] == str(want).lower(), (k, e.get("EXECMON_" + k.upper()))
assert e["EXECMON_PCOMM"] == "bash", e["EXECMON_PCOMM"]
assert ("EXECMON_PIDFS_INO" in e) == (p["pidfs_ino"] is not None)
pid, start = e["EXECMON_EXEC_ID"].split("@")
assert pid == e["EXECMON_PID"] and int(start) > 0, e["EXECMON_EXEC_ID"]
assert e["EXECMON_PARENT_EXEC_ID"].split("@")[0] == e["EXECMON_PPID"], e["EXECMON_PARENT_EXEC_ID"]
anc = json.loads(e["EXECMON_ANCESTORS"])
# its shell (which unshare became), then the test's shell and on, as
# the plain probe's
assert anc[0] == {"pid": int(e["EXECMON_PPID"]), "comm": "bash"}, anc
assert anc[1:] == p["ancestors"][:len(anc) - 1], (anc, p["ancestors"])
PY
check "--journal: the ctx fields, EXECMON_ANCESTORS as JSON text" \
	python3 "$TMP/journal-check.py" "$TMP/journal.dgrams" "$JSON"

# Without a ctx field, the records have no ctx part: the table still
# works, and the part is what JSON always carries.
start_tracer "$TABLE" -H --tree $$ -o pid,comm,args
/usr/bin/true idprobe-nofields
wait_for "$TABLE" idprobe-nofields
stop_tracer
check "no ctx field: the table as before" grep -qE '^ *[0-9]+ true +/usr/bin/true idprobe-nofields$' "$TABLE"
