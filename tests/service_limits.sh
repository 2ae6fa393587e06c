# execmon as a service, at the limits a user or the machine sets: an exec
# with more arguments or variables than one journal entry takes fields, a
# journal that refuses one entry, the unit under Debian's
# perf_event_paranoid=3, --output on a full file system and on a FIFO
# without a reader. Root for everything that traces.
SUITE=service_limits
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$(dirname "$0")/.." && pwd)
STORM=$TOP/$BUILD/storm

needs_root

# tracer_gone SECONDS: whether execmon ended within SECONDS; if not, it is
# killed. The status of an ended one is in $RC.
RC=
tracer_gone() {
	local left=$(($1 * 20))
	while [ $left -gt 0 ] && kill -0 "$TRACER_PID" 2>/dev/null; do sleep 0.05; left=$((left - 1)); done
	if kill -0 "$TRACER_PID" 2>/dev/null; then
		kill -KILL "$TRACER_PID"
		wait "$TRACER_PID"
		TRACER_PID=
		return 1
	fi
	wait "$TRACER_PID"
	RC=$?
	TRACER_PID=
}

# --output naming a FIFO that no one reads yet: execmon waits for a reader,
# and the first SIGINT or SIGTERM ends the wait, with status 0 and nothing
# loaded, as any signal before tracing does.
for sig in INT TERM; do
	name="--output on a FIFO without a reader: the first SIG$sig ends it, status 0"
	if [ -n "$DRY" ]; then
		skip "$name" "$DRY"
		continue
	fi
	rm -f "$TMP/fifo"
	mkfifo "$TMP/fifo"
	"$EXECMON" -w "$TMP/fifo" >"$TMP/fifo.out" 2>"$TMP/fifo.err" &
	TRACER_PID=$!
	# waiting: it runs as execmon (not the shell), asleep, and still there
	for _ in $(seq 100); do
		[ "$(readlink /proc/$TRACER_PID/exe 2>/dev/null)" = "$EXECMON" ] &&
			[ "$(awk '{ print $3 }' /proc/$TRACER_PID/stat 2>/dev/null)" = S ] && break
		sleep 0.05
	done
	sleep 0.3
	kill -"$sig" "$TRACER_PID"
	if tracer_gone 5 && [ "$RC" = 0 ] && [ ! -s "$TMP/fifo.out" ]; then
		pass "$name"
	else
		fail "$name" "status ${RC:-none: still running after 5 s}, stderr [$(cat "$TMP/fifo.err")]"
	fi
	RC=
done
# a reader that comes later gets the records
cp /usr/bin/true "$TMP/fifoprobe"
fifo_reader() {
	local reader
	rm -f "$TMP/fifo"
	mkfifo "$TMP/fifo"
	"$EXECMON" -H -c fifoprobe -o args -w "$TMP/fifo" >"$TMP/fifo.out" 2>"$TMP/fifo.err" &
	TRACER_PID=$!
	sleep 0.5
	cat "$TMP/fifo" >"$TMP/fifo.read" &
	reader=$!
	for _ in $(seq 200); do
		ls -l /proc/"$TRACER_PID"/fd 2>/dev/null | grep -q 'anon_inode:bpf_link' && break
		sleep 0.05
	done
	"$TMP/fifoprobe" through-the-fifo
	wait_for "$TMP/fifo.read" through-the-fifo
	local found=$?
	stop_tracer
	wait $reader
	[ $found = 0 ] || echo "stderr [$(cat "$TMP/fifo.err")]" >&2
	return $found
}
check "--output on a FIFO: a reader that comes later gets the records" fifo_reader

# --output on a file system that fills up: only whole records in the file,
# and a later run appends whole records after them.
full=$TMP/full
mkdir -p "$full"
cp /usr/bin/true "$TMP/fullprobe"
whole_json() {
	python3 - "$1" "${2:-}" <<'PY'
import json, sys
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\n"), "ends in half a record: %r" % data[-60:]
found = False
for line in data.split(b"\n")[:-1]:
    rec = json.loads(line)
    found |= sys.argv[2] != "" and sys.argv[2] in rec.get("args", [])
assert sys.argv[2] == "" or found, "no record of " + sys.argv[2]
PY
}
if have mount && mount -t tmpfs -o size=64k tmpfs "$full" 2>/dev/null; then
	for i in 1 2 3; do
		start_tracer "$TMP/full.out" -j -w "$full/x.log" 2>/dev/null
		for _ in $(seq 100); do
			kill -0 "$TRACER_PID" 2>/dev/null || break
			"$STORM" -n 50 -a 2000 -e /usr/bin/true >/dev/null
		done
		tracer_gone 5
		[ -n "$DRY" ] || echo "run $i: status $RC, $(stat -c %s "$full/x.log") bytes" >>"$TMP/full.runs"
	done
	check "--output on a full file system: only whole records, run after run" whole_json "$full/x.log"
	# room again: the next run's records parse, after the cut
	mount -o remount,size=256k "$full"
	start_tracer "$TMP/full.out" -j -c fullprobe -w "$full/x.log"
	"$TMP/fullprobe" after-the-cut
	wait_for "$full/x.log" after-the-cut
	stop_tracer
	check "--output after a cut: the next record on a line of its own" whole_json "$full/x.log" after-the-cut
	umount "$full"
else
	skip "--output on a full file system: only whole records, run after run" "no tmpfs"
	skip "--output after a cut: the next record on a line of its own" "no tmpfs"
fi
# a file left with half a line (a crash, another writer): execmon's first
# record starts on a line of its own
printf '{"half":' >"$TMP/half.log"
start_tracer "$TMP/half.out" -j -c fullprobe -w "$TMP/half.log"
"$TMP/fullprobe" after-half
wait_for "$TMP/half.log" after-half
stop_tracer
check "--output after half a line: the first record on a line of its own" \
	bash -c "head -n 1 '$TMP/half.log' | grep -qx '{\"half\":' && tail -n +2 '$TMP/half.log' | jq -e . >/dev/null"

# --journal against a journald of the suite's own, in a mount namespace
# where its socket and files are the suite's (tests/lib.sh: pj_setup)
pj_setup
PARANOID=
restore_paranoid() { [ -z "$PARANOID" ] || sysctl -q kernel.perf_event_paranoid="$PARANOID"; PARANOID=; }
trap 'restore_paranoid; pj_stop; cleanup' EXIT
pj_entries() {
	journalctl -q -D "$PJ/log" -t execmon EXECMON_COMM="$1" -o json --no-pager --all 2>/dev/null
}
# pj_wait COMM PATTERN: waits up to 10 s for an entry for COMM that holds PATTERN
pj_wait() {
	for _ in $(seq 200); do
		pj_entries "$1" | grep -q -- "$2" && return 0
		sleep 0.05
	done
	return 1
}

PJ_CHECKS=("journal: 600 arguments, the entry whole and tracing on"
	"journal: 20000 arguments, the entry whole as far as captured and tracing on"
	"journal: 600 variables with --env, the entry whole and tracing on"
	"journal: a few arguments, one field each and no EXECMON_CMDLINE"
	"journal refusing one entry (EINVAL): said, tracing on, status 0"
	"perf_event_paranoid=3 without CAP_SYS_ADMIN: the diagnosis names both, status 1"
	"the unit's ExecStart under perf_event_paranoid=3: it traces"
	"the unit's ExecStart under perf_event_paranoid=3: SIGTERM, status 0")
if pj_begin "${PJ_CHECKS[@]}"; then
	true_copy lcomm pjlim

	# many NAME KIND N [OPTIONS]: an exec with N arguments (KIND args) or N
	# variables (KIND env) under execmon --journal, then one with a few
	# arguments: both logged, the first with every captured byte
	many() {
		local name=$1 kind=$2 n=$3
		shift 3
		start_tracer "$TMP/many.out" --journal -c "$lcomm" "$@" || return 1
		python3 - "$TMP/$lcomm" "$kind" "$n" "$name" "$TMP/many.want" <<'PY' || return 1
import os, sys
path, kind, n, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
args = [name.encode()] + [b"%d" % i for i in range(n)] if kind == "args" else [name.encode()]
env = {} if kind == "args" else {b"V%d" % i: b"line\n%d" % i for i in range(n)}
args[1:1] = [b"two\nlines"] if kind == "args" else []
open(sys.argv[5], "wb").write(b"".join(a + b"\0" for a in args) if kind == "args" else
                              b"".join(k + b"=" + v + b"\0" for k, v in env.items()))
pid = os.fork()
if pid == 0:
    os.execve(path.encode(), args, env)
os.waitpid(pid, 0)
PY
		"$TMP/$lcomm" "after-$name"
		pj_wait "$lcomm" "after-$name" || { echo "no entry after $name" >&2; stop_tracer; return 1; }
		stop_tracer || { echo "execmon ended with $?: $(cat "$TMP/many.out.err")" >&2; return 1; }
		pj_entries "$lcomm" >"$TMP/many.json"
		python3 - "$TMP/many.json" "$TMP/many.want" "$name" "$kind" <<'PY'
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
want, name, kind = open(sys.argv[2], "rb").read(), sys.argv[3], sys.argv[4]
def raw(v):
    return bytes(v) if isinstance(v, list) else v.encode()
mine = [e for e in entries if raw(e.get("EXECMON_ARG0", "")) == name.encode()]
assert len(mine) == 1, "%d entries of %s" % (len(mine), name)
e = mine[0]
pre, count, whole = ("ARG", "ARGC", "CMDLINE") if kind == "args" else ("ENV", "ENVC", "ENVIRON")
items = want.split(b"\0")[:-1]
fields = []
while "EXECMON_%s%d" % (pre, len(fields)) in e:
    fields.append(raw(e["EXECMON_%s%d" % (pre, len(fields))]))
cut = int(e["EXECMON_ARGS_TRUNCATED" if kind == "args" else "EXECMON_ENV_TRUNCATED"])
got = raw(e["EXECMON_" + whole]) if "EXECMON_" + whole in e else b"".join(f + b"\0" for f in fields)
assert len(fields) < int(e["EXECMON_" + count]) or "EXECMON_" + whole not in e, "a whole field with every item a field"
assert fields == got.split(b"\0")[:len(fields)], "the fields are not the first items"
if cut:
    # as much as captured: the items cut, the last one maybe part of one
    assert int(e["EXECMON_" + count]) == len(got.rstrip(b"\0").split(b"\0")), e["EXECMON_" + count]
    assert want.startswith(got.rstrip(b"\0")) and len(got) + cut >= len(want) and len(got) > 16000, (len(got), cut)
else:
    assert got == want, (len(got), len(want))
    assert int(e["EXECMON_" + count]) == len(items), e["EXECMON_" + count]
PY
	}
	check "${PJ_CHECKS[0]}" many m600 args 600
	check "${PJ_CHECKS[1]}" many m20000 args 20000
	check "${PJ_CHECKS[2]}" many e600 env 600 --env
	few() {
		local e
		e=$(pj_entries "$lcomm" | grep after-m600) &&
			jq -e '.EXECMON_ARGC == "2" and .EXECMON_ARG1 == "after-m600" and
				(has("EXECMON_CMDLINE") | not)' <<<"$e" >/dev/null
	}
	check "${PJ_CHECKS[3]}" few

	# a send refused for a reason other than a journal gone, made so by a
	# sendmsg of the test's own: that entry is left out, said so, and the
	# next ones go
	cat >"$TMP/refuse.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>

/* with REFUSE_ONE set, the first send to journald fails with EINVAL */
static int refused;

ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);
	const struct sockaddr_un *sa = m->msg_name;

	if (!real)
		real = (ssize_t (*)(int, const struct msghdr *, int))dlsym(RTLD_NEXT, "sendmsg");
	if (sa && sa->sun_family == AF_UNIX && !strcmp(sa->sun_path, "/run/systemd/journal/socket") &&
	    getenv("REFUSE_ONE") && !refused) {
		refused = 1;
		errno = EINVAL;
		return -1;
	}
	return real(fd, m, flags);
}
C
	refuse_one() {
		REFUSE_ONE=1 LD_PRELOAD=$TMP/refuse.so start_tracer "$TMP/refuse.out" --journal -c "$lcomm" ||
			return 1
		"$TMP/$lcomm" refused-first
		sleep 0.5
		"$TMP/$lcomm" refused-second
		pj_wait "$lcomm" refused-second || { stop_tracer; return 1; }
		stop_tracer || { echo "status $?: $(cat "$TMP/refuse.out.err")" >&2; return 1; }
		grep -q "can't send .* to the journal.*Invalid argument" "$TMP/refuse.out.err"
	}
	if [ -n "$DRY" ] || ${CC:-cc} -shared -fPIC -o "$TMP/refuse.so" "$TMP/refuse.c" -ldl 2>"$TMP/cc.err"; then
		check "${PJ_CHECKS[4]}" refuse_one
	else
		skip "${PJ_CHECKS[4]}" "no C compiler: $(head -n 1 "$TMP/cc.err")"
	fi

	# The installed unit's command line with the unit's bounding set (as
	# tests/service.sh runs it), under kernel.perf_event_paranoid=3: Debian's
	# kernels then let only CAP_SYS_ADMIN open perf events. A kernel without
	# that level takes 3 as 2, where the test would prove nothing: it is
	# probed first, with a perf event opened with CAP_PERFMON alone.
	probe_level3() {
		setpriv --inh-caps=-all --bounding-set=-all,+perfmon --no-new-privs python3 -c '
import ctypes, errno, os, sys
attr = bytearray(128)
attr[0:4] = (1).to_bytes(4, "little")          # PERF_TYPE_SOFTWARE
attr[4:8] = (128).to_bytes(4, "little")        # size
attr[8:16] = (10).to_bytes(8, "little")        # PERF_COUNT_SW_BPF_OUTPUT
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(bytes(attr), 128)
fd = libc.syscall({"x86_64": 298, "aarch64": 241}[os.uname().machine], buf, -1, 0, -1, 0)   # perf_event_open
sys.exit(3 if fd < 0 and ctypes.get_errno() == errno.EACCES else 0)'
	}
	true_copy ucomm pjcap
	inst=$TMP/inst
	unit=$inst/usr/local/lib/systemd/system/execmon.service
	why3=
	if [ -z "$DRY" ]; then
		PARANOID=$(cat /proc/sys/kernel/perf_event_paranoid)
		if ! sysctl -q kernel.perf_event_paranoid=3 2>"$TMP/sysctl.err"; then
			why3="this kernel does not take kernel.perf_event_paranoid=3: $(cat "$TMP/sysctl.err")"
		elif probe_level3; then
			why3="this kernel takes perf_event_paranoid=3 as 2 (no CONFIG_SECURITY_PERF_EVENTS_RESTRICT, as Debian's has)"
		elif ! make -s -C "$TOP" install BUILD="$BUILD" DESTDIR="$inst" PREFIX=/usr/local >"$TMP/inst.out" 2>&1; then
			why3="make install failed: $(tail -n 3 "$TMP/inst.out" | tr '\n' ' ')"
		fi
	fi
	if [ -n "$why3" ]; then
		restore_paranoid
		for c in "${PJ_CHECKS[@]:5}"; do skip "$c" "$why3"; done
	else
		# what a unit without CAP_SYS_ADMIN meets: said as such, not "run as root"
		diag_level3() {
			"$PJ/run" setpriv --bounding-set=-all,+bpf,+perfmon,+sys_resource,+setuid,+setgid \
				--no-new-privs "$HOST_EXECMON" >"$TMP/diag.out" 2>"$TMP/diag.err"
			local rc=$?
			cat "$TMP/diag.err" >&2
			[ $rc = 1 ] && [ ! -s "$TMP/diag.out" ] && grep -q 'perf_event_paranoid is 3' "$TMP/diag.err" &&
				grep -q 'CAP_SYS_ADMIN' "$TMP/diag.err" && ! grep -q 'run execmon as root' "$TMP/diag.err"
		}
		check "${PJ_CHECKS[5]}" diag_level3
		echo "EXECMON_OPTS=\"--comm=$ucomm\"" >"$TMP/unit.env"
		unit_execmon "$unit" "$inst"
		if EXECMON=$TMP/unit-execmon start_tracer "$TMP/unit.out" "${words[@]:1}"; then
			"$TMP/$ucomm" unit-level-3
			check "${PJ_CHECKS[6]}" pj_wait "$ucomm" unit-level-3
			kill -TERM "$TRACER_PID"
			wait "$TRACER_PID"
			rc=$?
			TRACER_PID=
			check "${PJ_CHECKS[7]}" test $rc -eq 0 -a ! -s "$TMP/unit.out"
		else
			fail "${PJ_CHECKS[6]}" "$(cat "$TMP/unit.out.err")"
			fail "${PJ_CHECKS[7]}" "it did not start"
		fi
		restore_paranoid
	fi
	pj_end
fi
