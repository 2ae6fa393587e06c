# execmon as a service: --output and its rotation, the loss records in the
# stream, the unit file. Root for everything that traces.
SUITE=service
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$(dirname "$0")/.." && pwd)
STORM=$TOP/$BUILD/storm

needs_root

# --output (refused COMMAND...): refused as root when it is a link or another user's file; no
# stdout, non-zero, and nothing traced.
refused() {
	local name=$1 want=$2 out rc
	shift 2
	out=$("$@" 2>"$TMP/err")
	rc=$?
	if [ $rc -ne 0 ] && [ -z "$out" ] && grep -qF -- "$want" "$TMP/err"; then
		pass "$name"
	else
		fail "$name" "status $rc, stdout [$out], stderr [$(cat "$TMP/err" 2>/dev/null)]"
	fi
}
touch "$TMP/target"
ln -sf "$TMP/target" "$TMP/link"
refused "--output: a symbolic link refused as root" "'$TMP/link': it is a symbolic link" "$EXECMON" -w "$TMP/link"
touch "$TMP/theirs"
chown nobody "$TMP/theirs" 2>/dev/null
refused "--output: another user's file refused as root" "'$TMP/theirs': it is owned by uid" "$EXECMON" -w "$TMP/theirs"
touch "$TMP/ro" && chmod 600 "$TMP/ro" && chmod 755 "$TMP"
refused "--output: an unwritable file" "can't write to '$TMP/ro': Permission denied" \
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$EXECMON" -w "$TMP/ro"
chmod 700 "$TMP"

# Appends, any format; a new file is made 0600.
cp /usr/bin/true "$TMP/outprobe"
echo "kept" >"$TMP/out.log"
start_tracer "$TMP/stdout" -c outprobe -H -o args -w "$TMP/out.log"
"$TMP/outprobe" table-line
wait_for "$TMP/out.log" table-line
stop_tracer
check "--output: the table appended after what was there" \
	diff <(printf 'kept\n%s\n' "$TMP/outprobe table-line") "$TMP/out.log"
check "--output: nothing on stdout" test ! -s "$TMP/stdout"
start_tracer "$TMP/stdout" -c outprobe -j -w "$TMP/new.log"
"$TMP/outprobe" json-line
wait_for "$TMP/new.log" json-line
stop_tracer
check "--output: JSON lines" bash -c "jq -e 'select(.args[1] == \"json-line\")' '$TMP/new.log' >/dev/null"
check "--output: a new file is 0600" test "$(stat -c %a "$TMP/new.log" 2>/dev/null)" = 600

# Under systemd (Type=notify): "READY=1" on NOTIFY_SOCKET once tracing
# runs, so an exec made the moment it arrives is traced; the command does
# not inherit the socket. A listener in its place runs the exec when told;
# its socket is open to every user, as systemd's is, since execmon says it
# after leaving root.
notify_listen() {
	python3 - "$TMP/notify" "$TMP/outprobe" "$TMP/notify.msg" <<'PY' &
import os, socket, subprocess, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
s.settimeout(60)
msg = s.recv(4096).decode()
subprocess.run([sys.argv[2], "notify-mark"])
open(sys.argv[3], "w").write(msg + "\n")
PY
	LISTENER=$!
	for _ in $(seq 200); do [ -S "$TMP/notify" ] && return 0; sleep 0.05; done
}
if [ -z "$DRY" ]; then
	rm -f "$TMP/notify" "$TMP/notify.msg"
	chmod 711 "$TMP"
	notify_listen
	NOTIFY_SOCKET=$TMP/notify "$EXECMON" -c outprobe -H -o args >"$TMP/notify.out" 2>"$TMP/notify.err" &
	TRACER_PID=$!
	wait "$LISTENER"
	wait_for "$TMP/notify.out" notify-mark
	stop_tracer
	# the command's environment, told apart from execmon's message on stderr
	NOTIFY_SOCKET=$TMP/notify "$EXECMON" -c nothing -- sh -c 'echo "command-env:${NOTIFY_SOCKET:-unset}"' \
		>"$TMP/notify.cmd" 2>/dev/null
	chmod 700 "$TMP"
fi
check "systemd: READY=1 said once tracing runs" grep -qx READY=1 "$TMP/notify.msg"
check "systemd: an exec the moment READY=1 arrives is traced" grep -qx "$TMP/outprobe notify-mark" "$TMP/notify.out"
check "systemd: the command does not inherit NOTIFY_SOCKET" grep -qx "command-env:unset" "$TMP/notify.cmd"

# A full filesystem while tracing: said with the path, status 1.
full=$TMP/full
mkdir -p "$full"
if have mount && mount -t tmpfs -o size=64k tmpfs "$full" 2>/dev/null; then
	start_tracer "$TMP/stdout" -j -w "$full/x.log"
	for _ in $(seq 100); do
		kill -0 "$TRACER_PID" 2>/dev/null || break
		"$STORM" -n 50 -a 2000 -e /usr/bin/true >/dev/null
	done
	wait "$TRACER_PID"
	rc=$?
	TRACER_PID=
	check "--output on a full filesystem: status 1" test $rc -eq 1
	check "--output on a full filesystem: said with the path" \
		grep -q "can't write to '$full/x.log': No space left on device" "$TMP/stdout.err"
	umount "$full"
else
	skip "--output on a full filesystem: status 1" "no tmpfs"
	skip "--output on a full filesystem: said with the path" "no tmpfs"
fi

# logrotate in create mode against a running execmon under a storm: every
# exec in exactly one of the files, every line whole.
rot=$TMP/rot
mkdir -p "$rot"
cat >"$rot/conf" <<CONF
$rot/exec.log {
	create 0600 root root
	rotate 1000
	nocompress
	missingok
	postrotate
		kill -HUP \$(cat $rot/pid)
	endscript
}
CONF
n=5000 word=rot$$
if have logrotate; then
	start_tracer "$TMP/stdout" -j -c true -w "$rot/exec.log"
	echo "$TRACER_PID" >"$rot/pid"
	"$STORM" -n $n -w 2 -u -m "$word" -e /usr/bin/true >"$TMP/storm.out" &
	storm=$!
	rotations=0
	while kill -0 $storm 2>/dev/null; do
		sleep 0.5
		logrotate -f -s "$rot/state" "$rot/conf" 2>>"$TMP/logrotate.err" && rotations=$((rotations + 1))
	done
	wait $storm
	sleep 0.5
	stop_tracer
	check "logrotate: execmon still ran to the end (exit 0)" test $? -eq 0
	files=$(ls "$rot"/exec.log* | wc -l)
	check "logrotate: rotated during the storm ($rotations times, $files files)" test "$files" -ge 4
	check "logrotate: every exec in exactly one file, no line split" python3 - "$n" "$word" "$rot" <<'PY'
import glob, json, sys
n, word, d = int(sys.argv[1]), sys.argv[2], sys.argv[3]
seen, used = {}, 0
for name in glob.glob(d + "/exec.log*"):
    lines = open(name, "rb").read().split(b"\n")[:-1]
    used += bool(lines)
    for line in lines:
        rec = json.loads(line)  # a split line would not parse
        a = rec.get("args", [])
        if len(a) > 1 and a[1].startswith(word + "-"):
            i = int(a[1][len(word) + 1:])
            seen[i] = seen.get(i, 0) + 1
dups = sum(1 for c in seen.values() if c > 1)
missing = n - sum(1 for i in seen if 0 <= i < n)
if dups or missing or used < 3:
    sys.exit("%d duplicated, %d missing, %d files written" % (dups, missing, used))
PY
	check "logrotate: the new files are 0600" test "$(stat -c %a "$rot/exec.log")" = 600
else
	skip "logrotate: execmon still ran to the end (exit 0)" "logrotate is not installed (make deps)"
	skip "logrotate: rotated during the storm" "logrotate is not installed (make deps)"
	skip "logrotate: every exec in exactly one file, no line split" "logrotate is not installed (make deps)"
	skip "logrotate: the new files are 0600" "logrotate is not installed (make deps)"
fi

# Losses in the stream: a stopped reader and a one-page buffer lose execs;
# with --json (to stdout or --output) and with a table in --output, each
# loss is a record where it was seen.
cp /usr/bin/true "$TMP/lossprobe"
lose() {
	local out=$1
	shift
	start_tracer "$out" -c lossprobe -b 1 "$@" || return
	kill -STOP "$TRACER_PID"
	for i in $(seq 300); do "$TMP/lossprobe" loss-padding-padding-padding-padding-padding-$i; done
	kill -CONT "$TRACER_PID"
	wait_for "$out.err" '^execmon: lost'
	sleep 0.2
	stop_tracer
}
loss_records() {
	python3 - "$1" <<'PY'
import json, re, sys
lost = printed = 0
for line in open(sys.argv[1]):
    rec = json.loads(line)
    if "lost" in rec:
        assert set(rec) == {"event", "lost", "cpu", "time"} and rec["event"] == "lost", rec
        assert rec["lost"] > 0 and (rec["cpu"] is None or rec["cpu"] >= 0), rec
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z", rec["time"]), rec
        lost += rec["lost"]
    elif any(a.startswith("loss-padding") for a in rec["args"]):
        printed += 1
assert lost > 0, "no loss record"
assert lost + printed >= 300, (lost, printed)
PY
}
lose "$TMP/loss.json" -j
check "losses: JSON records in stdout" loss_records "$TMP/loss.json"
check "losses: still said on stderr" grep -qE '^execmon: (lost [0-9]+ events (on CPU [0-9]+|that the full buffers did not report)|the kernel could not send [0-9]+ events: no buffer on that CPU)$' "$TMP/loss.json.err"
lose "$TMP/loss.out" -j -w "$TMP/loss.log"
check "losses: JSON records in --output" loss_records "$TMP/loss.log"
lose "$TMP/loss.out" -H -w "$TMP/loss.table"
check "losses: a table line in --output" \
	grep -qE '^\[lost [0-9]+ events( on CPU [0-9]+)?, [0-9-]{10}T[0-9:]{8}Z\]$' "$TMP/loss.table"
lose "$TMP/loss.plain" -H
check "losses: no record in a table on stdout" bash -c "! grep -q '^\[lost' '$TMP/loss.plain'"

# --journal, against the machine's journald or one started here for the
# test (without systemd as PID 1, journald runs by itself).
JOURNALD=
stop_journald() { [ -n "$JOURNALD" ] && kill "$JOURNALD" 2>/dev/null && wait "$JOURNALD" 2>/dev/null; JOURNALD=; }
trap 'stop_journald; cleanup' EXIT
# journald_up: its socket takes a datagram (a socket file may outlive it)
journald_up() {
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.connect("/run/systemd/journal/socket")' 2>/dev/null
}
if have journalctl && [ -z "$DRY" ] && ! journald_up &&
	[ -x /lib/systemd/systemd-journald ]; then
	mkdir -p /run/systemd/journal
	/lib/systemd/systemd-journald >/dev/null 2>&1 &
	JOURNALD=$!
	for _ in $(seq 100); do journald_up && break; sleep 0.05; done
fi
# journal_entries COMM: the entries of execmon for COMM, as JSON lines
journal_entries() { journalctl -q -t execmon EXECMON_COMM="$1" -o json --no-pager 2>/dev/null; }
if have journalctl && { [ -n "$DRY" ] || journald_up; }; then
	true_copy jcomm jprobe
	start_tracer "$TMP/journal.out" --journal -c "$jcomm"
	"$TMP/$jcomm" "" $'a\xffb' "two words" $'new\nline' -x
	for _ in $(seq 100); do journal_entries "$jcomm" | grep -q . && break; sleep 0.05; done
	stop_tracer
	check "--journal: exits 0, nothing on stdout" test $? -eq 0 -a ! -s "$TMP/journal.out"
	journal_entries "$jcomm" >"$TMP/journal.json"
	check "--journal: one entry, the exact argv in order (empty, not UTF-8, newline)" \
		python3 - "$TMP/journal.json" "$TMP/$jcomm" <<'PY'
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
assert len(entries) == 1, len(entries)
e = entries[0]
def raw(v):
    return bytes(v) if isinstance(v, list) else v.encode()
want = [sys.argv[2].encode(), b"", b"a\xffb", b"two words", b"new\nline", b"-x"]
argc = int(e["EXECMON_ARGC"])
got = [raw(e["EXECMON_ARG%d" % i]) for i in range(argc)]
assert got == want, got
PY
	check "--journal: identifier, priority, MESSAGE_ID and the table line" python3 - "$TMP/journal.json" <<'PY'
import json, sys
e = json.loads(open(sys.argv[1]).readline())
assert e["SYSLOG_IDENTIFIER"] == "execmon" and e["PRIORITY"] == "6", e
assert e["MESSAGE_ID"] == "09fe182f222545de8b0ab53c97aa0d29", e
assert "'two words'" in e["MESSAGE"] and "$'a\\xffb'" in e["MESSAGE"], e["MESSAGE"]
PY
	check "--journal: every JSON field a native one" python3 - "$TMP/journal.json" <<'PY'
import json, sys
e = json.loads(open(sys.argv[1]).readline())
for k in ("time mono_ns pid ppid uid gid user comm exe exe_truncated exe_deleted "
          "args_truncated exe_unreadable args_unreadable ret cwd cwd_truncated "
          "cwd_deleted cgroup_id cgroup mntns").split():
    assert "EXECMON_" + k.upper() in e, k
PY
	# a loss: its own entry and MESSAGE_ID
	start_tracer "$TMP/journal.out" --journal -c "$jcomm" -b 1
	kill -STOP "$TRACER_PID"
	for i in $(seq 300); do "$TMP/$jcomm" loss-padding-padding-padding-padding-padding-$i; done
	kill -CONT "$TRACER_PID"
	wait_for "$TMP/journal.out.err" '^execmon: lost'
	stop_tracer
	sleep 0.5
	check "--journal: a loss is an entry with its own MESSAGE_ID" bash -c \
		"journalctl -q -t execmon MESSAGE_ID=1f1094f8889b43369c937c93a042b5f5 -o json --no-pager |
		jq -e 'select(.EXECMON_LOST | tonumber > 0)' >/dev/null"
	# journald gone: said before tracing, status 1, nothing loaded
	out=$(unshare -m sh -c 'mount -t tmpfs tmpfs /run/systemd/journal && exec "$1" --journal' _ "$EXECMON" 2>"$TMP/err")
	rc=$?
	check "--journal without journald: status 1, nothing on stdout" test $rc -eq 1 -a -z "$out"
	check "--journal without journald: said" \
		grep -qF "can't reach the journal at /run/systemd/journal/socket" "$TMP/err"
else
	for c in "exits 0, nothing on stdout" "one entry, the exact argv in order (empty, not UTF-8, newline)" \
		"identifier, priority, MESSAGE_ID and the table line" "every JSON field a native one" \
		"a loss is an entry with its own MESSAGE_ID" "without journald: status 1, nothing on stdout" \
		"without journald: said"; do
		skip "--journal: $c" "no journald (make deps: systemd)"
	done
fi
stop_journald

# The suite's own journald (tests/lib.sh: pj_setup).
REMOTE_PID=
pj_setup
stop_remote() { [ -n "$REMOTE_PID" ] && kill "$REMOTE_PID" 2>/dev/null && wait "$REMOTE_PID" 2>/dev/null; REMOTE_PID=; }
trap 'kill -CONT "$PJ_PID" 2>/dev/null; pj_stop; stop_remote; stop_journald; cleanup' EXIT
# pj_entries COMM [JOURNALCTL OPTIONS...]: execmon's entries for COMM in the suite's journal
pj_entries() {
	local comm=$1
	shift
	journalctl -q -D "$PJ/log" "$@" -t execmon EXECMON_COMM="$comm" -o json --no-pager 2>/dev/null
}
# pj_wait COMM N: waits up to 5 s for N entries for COMM
pj_wait() {
	for _ in $(seq 100); do
		[ "$(pj_entries "$1" | wc -l)" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}
# tracer_end: waits up to 5 s for execmon to end by itself; its status
tracer_end() {
	local rc
	for _ in $(seq 100); do kill -0 "$TRACER_PID" 2>/dev/null || break; sleep 0.05; done
	kill -0 "$TRACER_PID" 2>/dev/null && kill -KILL "$TRACER_PID"
	wait "$TRACER_PID"
	rc=$?
	TRACER_PID=
	return $rc
}

PJ_CHECKS=("journal-remote: the entry reached the collector"
	"journal-remote: the exact argv (empty, not UTF-8) and every native field intact"
	"journal gone (killed): execmon ends, status 1, nothing on stdout"
	"journal gone (killed): said with the socket"
	"journal gone (killed): no BPF program or map left"
	"journal gone (socket removed): execmon ends, status 1, said with the socket"
	"journal slow (stopped): execmon waits for it, then goes on"
	"journal slow (stopped): every entry once it goes on, status 0"
	"journal refusing sends (EAGAIN): sent again, status 0, one entry"
	"journal refusing sends (ENOBUFS): sent again, status 0, one entry"
	"a large entry (4000-byte path, 16300-byte argv): sent whole"
	"a large entry in a memory file (datagram refused, EMSGSIZE): sent whole"
	"the installed unit's ExecStart: its entries in the journal"
	"the installed unit's ExecStart: SIGTERM, status 0, nothing on stdout"
	"the installed unit's ExecStart: no BPF program or map left")
if pj_begin "${PJ_CHECKS[@]}"; then
	# journal-remote: an exec sent to the suite's journald, uploaded from
	# its files over HTTP on loopback, read back from the collector's
	true_copy pcomm pjprobe
	remote=$TMP/remote
	mkdir -p "$remote"
	if [ -n "$DRY" ] || [ -x /lib/systemd/systemd-journal-remote ] && [ -x /lib/systemd/systemd-journal-upload ]; then
		port=
		[ -n "$DRY" ] || for _ in 1 2 3; do
			# a free port: the kernel's pick, given back at once
			port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
			/lib/systemd/systemd-journal-remote --listen-http="127.0.0.1:$port" \
				--output="$remote/remote.journal" --split-mode=none >>"$TMP/remote.out" 2>&1 &
			REMOTE_PID=$!
			for _ in $(seq 100); do
				python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
					"$port" 2>/dev/null && break
				kill -0 "$REMOTE_PID" 2>/dev/null || break
				sleep 0.05
			done
			kill -0 "$REMOTE_PID" 2>/dev/null && break
			REMOTE_PID=
		done
		start_tracer "$TMP/pj.out" --journal -c "$pcomm"
		"$TMP/$pcomm" "" $'a\xffb' "two words" -x
		pj_wait "$pcomm" 1
		stop_tracer
		pj_entries "$pcomm" >"$TMP/local.json"
		timeout 30 /lib/systemd/systemd-journal-upload --url="http://127.0.0.1:$port" -D "$PJ/log" \
			--follow=no --save-state="$TMP/upload.state" >"$TMP/upload.out" 2>&1
		got=
		for _ in $(seq 100); do
			journalctl -q --directory="$remote" -t execmon EXECMON_COMM="$pcomm" -o json \
				--no-pager >"$TMP/remote.json" 2>/dev/null
			[ -s "$TMP/remote.json" ] && got=1 && break
			sleep 0.05
		done
		stop_remote
		check "journal-remote: the entry reached the collector" test -n "$got"
		[ -n "$got" ] || cat "$TMP/upload.out" "$TMP/remote.out" >&2
		check "journal-remote: the exact argv (empty, not UTF-8) and every native field intact" \
			python3 - "$TMP/local.json" "$TMP/remote.json" "$TMP/$pcomm" "$pcomm" <<'PY'
import json, sys
local = [json.loads(l) for l in open(sys.argv[1])]
remote = [json.loads(l) for l in open(sys.argv[2])]
assert len(local) == 1 and len(remote) == 1, (len(local), len(remote))
l, r = local[0], remote[0]
def raw(v):
    return bytes(v) if isinstance(v, list) else v.encode()
want = [sys.argv[3].encode(), b"", b"a\xffb", b"two words", b"-x"]
got = [raw(r["EXECMON_ARG%d" % i]) for i in range(int(r["EXECMON_ARGC"]))]
assert got == want, got
assert r["EXECMON_COMM"] == sys.argv[4] and r["EXECMON_EXE"] == sys.argv[3], r
assert r["MESSAGE_ID"] == "09fe182f222545de8b0ab53c97aa0d29" and r["SYSLOG_IDENTIFIER"] == "execmon", r
ours = [k for k in l if not k.startswith("_")]
assert len([k for k in ours if k.startswith("EXECMON_")]) > 20, ours
for k in ours:
    assert raw(r.get(k, "\0missing")) == raw(l[k]), (k, l[k], r.get(k))
PY
	else
		skip "journal-remote: the entry reached the collector" "systemd-journal-remote is not installed (make deps)"
		skip "journal-remote: the exact argv (empty, not UTF-8) and every native field intact" \
			"systemd-journal-remote is not installed (make deps)"
	fi

	# journald killed while tracing: the next entry finds no one listening
	start_tracer "$TMP/gone.out" --journal -c "$pcomm"
	ids=$(bpf_ids "$TRACER_PID")
	for i in 1 2 3; do "$TMP/$pcomm" before-$i; done
	pj_wait "$pcomm" 4
	pj_stop
	for i in 1 2 3; do "$TMP/$pcomm" after-$i; done
	tracer_end
	rc=$?
	check "journal gone (killed): execmon ends, status 1, nothing on stdout" test $rc -eq 1 -a ! -s "$TMP/gone.out"
	check "journal gone (killed): said with the socket" grep -qxF \
		"execmon: the journal went away (/run/systemd/journal/socket: Connection refused)" "$TMP/gone.out.err"
	check "journal gone (killed): no BPF program or map left" bpf_ids_gone "$ids"
	# its socket removed while it runs: libsystemd drops entries quietly then
	[ -n "$DRY" ] || pj_start
	start_tracer "$TMP/gone.out" --journal -c "$pcomm"
	"$TMP/$pcomm" before
	pj_wait "$pcomm" 5
	rm -f "$PJ/sock/socket"
	for i in 1 2 3; do "$TMP/$pcomm" after-$i; sleep 0.1; done
	tracer_end
	rc=$?
	check "journal gone (socket removed): execmon ends, status 1, said with the socket" bash -c \
		"[ $rc -eq 1 ] && [ ! -s '$TMP/gone.out' ] && grep -qxF \
		'execmon: the journal went away (/run/systemd/journal/socket: No such file or directory)' '$TMP/gone.out.err'"
	pj_stop

	# journald stopped: its socket's queue fills and the sends wait; nothing
	# is lost and tracing goes on once it runs again
	[ -n "$DRY" ] || pj_start
	start_tracer "$TMP/slow.out" --journal -c "$pcomm"
	kill -STOP "$PJ_PID"
	n=$(( $(cat /proc/sys/net/unix/max_dgram_qlen 2>/dev/null || echo 10) + 20 ))
	for i in $(seq "$n"); do "$TMP/$pcomm" slow-$i; done
	sleep 1
	check "journal slow (stopped): execmon waits for it, then goes on" kill -0 "$TRACER_PID"
	kill -CONT "$PJ_PID"
	pj_wait "$pcomm" $((n + 6))
	stop_tracer
	rc=$?
	check "journal slow (stopped): every entry once it goes on, status 0" bash -c \
		"[ $rc -eq 0 ] && [ \$(journalctl -q -D '$PJ/log' -t execmon EXECMON_COMM='$pcomm' --no-pager |
		grep -c ' slow-') -eq $n ]"

	# sends refused for want of memory (EAGAIN, ENOBUFS), made so by a
	# sendmsg of the test's own: tried again until taken, not an end
	cat >"$TMP/refuse.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

/* the first REFUSE_SENDS sends to journald fail with REFUSE_ERRNO */
ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);
	static int left = -1;
	const struct sockaddr_un *sa = m->msg_name;

	if (!real)
		real = (ssize_t (*)(int, const struct msghdr *, int))dlsym(RTLD_NEXT, "sendmsg");
	if (left < 0)
		left = atoi(getenv("REFUSE_SENDS") ? getenv("REFUSE_SENDS") : "0");
	if (sa && sa->sun_family == AF_UNIX && !strcmp(sa->sun_path, "/run/systemd/journal/socket") &&
	    left > 0) {
		left--;
		errno = atoi(getenv("REFUSE_ERRNO"));
		return -1;
	}
	return real(fd, m, flags);
}
C
	# refused NAME NUMBER: an exec traced while the first 7 sends fail with
	# errno NUMBER: status 0, nothing said, its entry there once
	refused() {
		LD_PRELOAD=$TMP/refuse.so REFUSE_SENDS=7 REFUSE_ERRNO=$2 \
			start_tracer "$TMP/refuse.out" --journal -c "$pcomm" || return 1
		"$TMP/$pcomm" "refused-$1"
		for _ in $(seq 100); do pj_entries "$pcomm" | grep -q "refused-$1" && break; sleep 0.05; done
		stop_tracer || return 1
		[ ! -s "$TMP/refuse.out.err" ] || { cat "$TMP/refuse.out.err" >&2; return 1; }
		[ "$(pj_entries "$pcomm" | grep -c "refused-$1")" = 1 ]
	}
	if [ -n "$DRY" ] || ${CC:-cc} -shared -fPIC -o "$TMP/refuse.so" "$TMP/refuse.c" -ldl 2>"$TMP/cc.err"; then
		check "journal refusing sends (EAGAIN): sent again, status 0, one entry" refused EAGAIN 11
		check "journal refusing sends (ENOBUFS): sent again, status 0, one entry" refused ENOBUFS 105
	else
		skip "journal refusing sends (EAGAIN): sent again, status 0, one entry" "no C compiler: $(head -n 1 "$TMP/cc.err")"
		skip "journal refusing sends (ENOBUFS): sent again, status 0, one entry" "no C compiler: $(head -n 1 "$TMP/cc.err")"
	fi

	# a large entry: a path of 4000 bytes and 16300 bytes of argv, within
	# what execmon captures, is one entry with every byte
	big=$TMP/big
	for _ in $(seq 19); do big=$big/$(printf 'd%.0s' $(seq 199)); done
	bcomm=$(printf 'pjbig%03d' $(($$ % 1000)))
	big=${big}/$(printf 'e%.0s' $(seq $((4000 - ${#big} - 2 - ${#bcomm}))))
	mkdir -p "$big"
	cp /usr/bin/true "$big/$bcomm"
	# big_exec: the exec of 4000 bytes of path and 16300 of argv
	big_exec() {
		python3 - "$big/$bcomm" "$TMP/big.want" <<'PY'
import json, os, sys
path = sys.argv[1]
assert len(path) == 4000, len(path)
argv = [b"bigprobe", b"", b"x\xff\xfey"] + [(b"%04d" % i) * 250 for i in range(15)]
argv.append(b"z" * (16300 - sum(len(a) + 1 for a in argv) - 1))
assert sum(len(a) + 1 for a in argv) == 16300
json.dump({"exe": path, "args": [list(a) for a in argv]}, open(sys.argv[2], "w"))
pid = os.fork()
if pid == 0:
    os.execv(path.encode(), argv)
os.waitpid(pid, 0)
PY
	}
	# big_whole N: the journal holds N entries of it, each whole
	big_whole() {
		python3 - "$TMP/big.want" "$PJ/log" "$bcomm" "$1" <<'PY'
import json, subprocess, sys
want = json.load(open(sys.argv[1]))
out = subprocess.run(["journalctl", "-q", "-D", sys.argv[2], "-t", "execmon", "EXECMON_COMM=" + sys.argv[3],
                      "-o", "json", "--no-pager", "--all"], capture_output=True).stdout
entries = [json.loads(l) for l in out.splitlines()]
assert len(entries) == int(sys.argv[4]), len(entries)
def raw(v):
    return bytes(v) if isinstance(v, list) else v.encode()
for e in entries:
    args = [list(raw(e["EXECMON_ARG%d" % i])) for i in range(int(e["EXECMON_ARGC"]))]
    assert args == want["args"], [len(a) for a in args]
    assert raw(e["EXECMON_EXE"]) == want["exe"].encode(), len(raw(e["EXECMON_EXE"]))
    assert e["EXECMON_EXE_TRUNCATED"] == "0" and e["EXECMON_ARGS_TRUNCATED"] == "0", e
    assert len(raw(e["MESSAGE"])) > 4000 + 16300, len(raw(e["MESSAGE"]))
PY
	}
	start_tracer "$TMP/big.out" --journal -c "$bcomm"
	big_exec
	pj_wait "$bcomm" 1
	stop_tracer
	check "a large entry (4000-byte path, 16300-byte argv): sent whole" big_whole 1
	# too large for a datagram (EMSGSIZE, here made so): libsystemd sends
	# it in a memory file, whole all the same
	if [ -n "$DRY" ] || [ -f "$TMP/refuse.so" ]; then
		LD_PRELOAD=$TMP/refuse.so REFUSE_SENDS=1 REFUSE_ERRNO=90 \
			start_tracer "$TMP/big.out" --journal -c "$bcomm"
		big_exec
		pj_wait "$bcomm" 2
		stop_tracer
		check "a large entry in a memory file (datagram refused, EMSGSIZE): sent whole" big_whole 2
	else
		skip "a large entry in a memory file (datagram refused, EMSGSIZE): sent whole" "no C compiler"
	fi

	# The installed unit's command line, run as systemd would run it
	# (without systemd as PID 1): its options from an EnvironmentFile, the
	# unit's bounding set and no new privileges; SIGTERM is how it stops.
	true_copy ucomm pjunit
	inst=$TMP/inst
	unit=$inst/usr/local/lib/systemd/system/execmon.service
	if [ -n "$DRY" ] || make -s -C "$TOP" install BUILD="$BUILD" DESTDIR="$inst" PREFIX=/usr/local >"$TMP/inst.out" 2>&1; then
		echo "EXECMON_OPTS=\"--comm=$ucomm\"" >"$TMP/unit.env"
		unit_execmon "$unit" "$inst"
		[ -n "$DRY" ] || pj_start
		EXECMON=$TMP/unit-execmon start_tracer "$TMP/unit.out" "${words[@]:1}"
		ids=$(bpf_ids "$TRACER_PID")
		"$TMP/$ucomm" unit-run
		check "the installed unit's ExecStart: its entries in the journal" pj_wait "$ucomm" 1
		kill -TERM "$TRACER_PID"
		wait "$TRACER_PID"
		rc=$?
		TRACER_PID=
		check "the installed unit's ExecStart: SIGTERM, status 0, nothing on stdout" test $rc -eq 0 -a ! -s "$TMP/unit.out"
		held_and_gone() { grep -q prog <<<"$1" && bpf_ids_gone "$1"; }
		check "the installed unit's ExecStart: no BPF program or map left" held_and_gone "$ids"
	else
		for c in "${PJ_CHECKS[@]: -3}"; do fail "$c" "make install: $(tail -n 3 "$TMP/inst.out" | tr '\n' ' ')"; done
	fi
	pj_end
fi
