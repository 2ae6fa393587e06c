# Helpers for the shell tests; sourced, not run. Each check prints one line
# starting with PASS, FAIL or SKIP, which tests/run counts.
# shellcheck shell=bash

: "${EXECMON:?run the tests through tests/run}"
TMP=$(mktemp -d /tmp/execmon-test.XXXXXX)
TRACER_PID=
DRY=		# why the checks are skipped, in a dry run (see needs_root)
cleanup() {
	[ -n "${KEEP_TMP:-}" ] && return
	PATH=${REAL_PATH:-$PATH}
	[ -n "$TRACER_PID" ] && kill -KILL "$TRACER_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

pass() { if [ -n "$DRY" ]; then skip "$1" "$DRY"; else echo "PASS $SUITE: $1"; fi; }
fail() { if [ -n "$DRY" ]; then skip "$1" "$DRY"; else echo "FAIL $SUITE: $1${2:+: $2}"; fi; }
skip() { echo "SKIP $SUITE: $1${2:+ ($2)}"; }

# check NAME COND...: passes when the command succeeds.
check() {
	local name=$1
	shift
	if [ -n "$DRY" ]; then
		skip "$name" "$DRY"
	elif "$@"; then
		pass "$name"
	else
		fail "$name"
	fi
}

is_root() { [ "$(id -u)" = 0 ]; }

# have COMMAND: it is installed. A dry run takes everything to be, so that
# it reports the checks a complete machine makes.
have() { [ -n "$DRY" ] || command -v "$1" >/dev/null; }

# needs_root: the rest of the suite needs root. Without root it still runs,
# dry, so that each of its checks is reported SKIP by the very call that
# would make it, and no list of them is kept by hand. A dry run does
# nothing: check, pass and fail report SKIP without evaluating anything,
# the tracer helpers below neither start nor wait for anything, a command
# found through PATH is not run and succeeds, and stderr is dropped. A
# program named by its path still runs, unprivileged. The count is right
# as long as the checks a suite makes do not depend on the branch taken:
# skip every check of a part that cannot run, by name. tests/run, as root,
# compares each suite's count with that of a dry run (TESTS_DRY=1).
needs_root() {
	if [ -n "$DRY" ] || ! is_root; then
		dry_run "needs root"
	fi
}
dry_run() {
	[ -n "$DRY" ] && return
	DRY=$1
	REAL_PATH=$PATH
	PATH=/nonexistent
	command_not_found_handle() { return 0; }
	exec 2>/dev/null
}
[ -z "${TESTS_DRY:-}" ] || dry_run "a dry run"

# The table line execmon prints for an exec (default columns).
line() { printf '%7s %-24s %s' "$1" "$2" "$3"; }

# start_tracer OUT [OPTIONS...]: starts execmon writing to OUT and waits
# until it is tracing: it attaches once its buffers are ready, and holds a
# BPF link from then on.
start_tracer() {
	local out=$1
	shift
	[ -n "$DRY" ] && return 0
	"$EXECMON" "$@" >"$out" 2>"$out.err" &
	TRACER_PID=$!
	tracer_loaded "$out"
}

# tracer_loaded OUT [children]: waits up to 30 s until TRACER_PID holds
# execmon's BPF links, or with "children" one of its children does (the
# execmon that a wrapper such as unshare runs); sets TRACER_LOADED to that
# process. On failure, says what execmon printed to OUT.err.
tracer_loaded() {
	local pid
	for _ in $(seq 600); do
		for pid in $TRACER_PID ${2:+$(pgrep -P "$TRACER_PID")}; do
			if ls -l /proc/"$pid"/fd 2>/dev/null | grep -q 'anon_inode:bpf_link'; then
				TRACER_LOADED=$pid
				return 0
			fi
		done
		kill -0 "$TRACER_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "execmon did not start: $(cat "$1.err")" >&2
	return 1
}

stop_tracer() {
	[ -n "$TRACER_PID" ] || return 0
	kill -INT "$TRACER_PID" 2>/dev/null
	wait "$TRACER_PID"
	local rc=$?
	TRACER_PID=
	return $rc
}

# wait_for FILE PATTERN: waits up to 20 s for a line matching the grep
# pattern to appear in FILE: it returns as soon as it does, and a loaded
# machine (CI beside emulators) can take seconds to schedule a tracer.
wait_for() {
	[ -n "$DRY" ] && return 0
	for _ in $(seq 400); do
		grep -q -- "$2" "$1" && return 0
		sleep 0.05
	done
	return 1
}

# check_teardown SIGNAL: execmon ends on SIGNAL with status 0, and the BPF
# programs and maps it held are gone.
check_teardown() {
	local sig=$1 ids rc
	start_tracer "$TMP/teardown" || { fail "$sig: execmon starts"; return; }
	ids=$(bpf_ids "$TRACER_PID")
	kill -"$sig" "$TRACER_PID"
	wait "$TRACER_PID"
	rc=$?
	TRACER_PID=
	check "$sig exits 0" test $rc -eq 0
	check "$sig: execmon held a program and maps" grep -q prog <<<"$ids"
	check "$sig leaves no program or map behind" bpf_ids_gone "$ids"
}

# has_line FILE LINE: FILE holds exactly this line.
has_line() { grep -qxF -- "$2" "$1"; }

# bpf_ids PID: "prog ID" and "map ID" lines for the BPF objects PID holds.
bpf_ids() {
	cat /proc/"$1"/fdinfo/* 2>/dev/null | sed -n 's/^\(prog\|map\)_id:[[:space:]]*/\1 /p' | sort -u
}

# bpf_ids_gone IDS: none of those objects exists any more. The kernel frees
# them after an RCU grace period, so give it a few seconds.
bpf_ids_gone() {
	local kind id left
	[ -n "$DRY" ] && return 0
	for _ in $(seq 50); do
		left=0
		while read -r kind id; do
			[ -n "$id" ] || continue
			bpftool "$kind" show id "$id" >/dev/null 2>&1 && left=1
		done <<<"$1"
		[ $left = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# storm_check N [STORM OPTIONS...]: runs a storm of N execs, each with a
# unique first argument, under execmon, and prints PASS or FAIL for "every
# exec printed exactly once or counted as lost, and at most 1 in 1,000
# lost". An exec missing unsaid or printed twice fails at once. Losses are
# said and counted, and how many there are depends on the CPU the reader
# gets: when a storm loses more than 1 in 1,000, a second one decides, so
# that a moment of load elsewhere does not fail the run but a reader that
# cannot keep up does. The ids are picked out as the output flows, so that
# a long storm needs no room for the whole output.
storm_check() {
	local n=$1 name="storm of $1 execs (${*:2}): every exec printed once or counted lost" try first=
	shift
	if [ -n "$DRY" ]; then
		pass "$name"
		return
	fi
	for try in 1 2; do
		storm_once "$n" "$@" || return
		if [ "$STORM_DUPS" -ne 0 ] || [ "$STORM_GOT" -ne $((n - STORM_MISSING)) ] ||
			[ "$STORM_MISSING" -gt "$STORM_LOST" ]; then
			fail "$name" "$STORM_SAID"
			return
		fi
		if [ $((STORM_LOST * 1000)) -le "$n" ]; then
			pass "$name${first:+ (the first storm lost $first, more than 1 in 1,000)}"
			return
		fi
		first=$STORM_LOST
		echo "storm: $STORM_LOST of $n lost, more than 1 in 1,000: a second storm decides" >&2
	done
	fail "$name" "more than 1 in 1,000 lost twice: $first, then $STORM_SAID"
}

# storm_once N [STORM OPTIONS...]: one storm under execmon; sets STORM_GOT
# (lines printed), STORM_DUPS, STORM_MISSING, STORM_LOST (said lost) and
# STORM_SAID (all of it, for a failure's message).
storm_once() {
	local n=$1 word=storm$$ ids=$TMP/ids tracer pid=
	shift
	( "$EXECMON" -H --stats | awk -v w="$word-" 'index($4, w) == 1 { print substr($4, length(w) + 1) }' >"$ids" ) 2>"$TMP/storm.err" &
	tracer=$!
	# tracing once execmon holds its BPF link (as start_tracer waits)
	for _ in $(seq 600); do
		pid=${pid:-$(pgrep -x execmon -P "$tracer")}
		[ -n "$pid" ] && ls -l /proc/"$pid"/fd 2>/dev/null | grep -q 'anon_inode:bpf_link' && break
		sleep 0.05
	done
	if ! "$STORM" -n "$n" -w 2 -u -m "$word" -e /usr/bin/true "$@" >"$TMP/storm.out"; then
		pkill -INT -x execmon -P "$tracer"
		wait "$tracer"
		fail "storm of $n ran" "$(cat "$TMP/storm.out")"
		return 1
	fi
	sleep 1
	pkill -INT -x execmon -P "$tracer"
	wait "$tracer"
	STORM_GOT=$(wc -l <"$ids")
	STORM_DUPS=$(sort -n "$ids" | uniq -d | wc -l)
	STORM_MISSING=$(sort -n "$ids" | uniq | awk -v n="$n" '$1 >= 0 && $1 < n { c++ } END { print n - c }')
	STORM_LOST=$(sed -n 's/^execmon: lost \([0-9]*\) events in all$/\1/p' "$TMP/storm.err")
	STORM_LOST=${STORM_LOST:-0}
	STORM_SAID="$STORM_GOT lines, $STORM_DUPS duplicated, $STORM_MISSING missing, $STORM_LOST said lost; $(grep -E 'execs seen|events in all' "$TMP/storm.err" | tr '\n' ' ')"
}

# pj_setup: a journald of the suite's own, in mount namespaces where its
# directories are bound over /run/systemd/journal and /run/log/journal: it
# can be stopped, killed and read without touching the machine's journal
# or another test's. A standalone journald keeps to /run/log/journal
# (nothing has flushed it to /var). $PJ/run COMMAND... runs a command that
# sees it as the journal, $PJ/execmon runs execmon so; pj_start (again),
# pj_stop and pj_up start, stop and probe it.
pj_setup() {
	PJ=$TMP/pj
	PJ_PID=
	mkdir -p "$PJ/sock" "$PJ/log"
	cat >"$PJ/run" <<EOF
#!/bin/sh
exec unshare -m --propagation private sh -c 'mount --bind "$PJ/sock" /run/systemd/journal &&
	mount --bind "$PJ/log" /run/log/journal && exec "\$@"' _ "\$@"
EOF
	printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$PJ/run" "$EXECMON" >"$PJ/execmon"
	chmod 755 "$PJ/run" "$PJ/execmon"
}
pj_up() {
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.connect(sys.argv[1])' "$PJ/sock/socket" 2>/dev/null
}
pj_stop() { [ -n "$PJ_PID" ] && kill "$PJ_PID" 2>/dev/null && wait "$PJ_PID" 2>/dev/null; PJ_PID=; }
pj_start() {
	pj_stop
	"$PJ/run" /lib/systemd/systemd-journald >>"$PJ/journald.out" 2>&1 &
	PJ_PID=$!
	for _ in $(seq 100); do pj_up && return 0; sleep 0.05; done
	return 1
}
# pj_try: starts it, or sets pj_why to why it can't be (nothing is started
# in a dry run).
pj_try() {
	pj_why=
	[ -n "$DRY" ] && return
	if ! [ -x /lib/systemd/systemd-journald ] || ! have journalctl || ! have unshare; then
		pj_why="no systemd-journald, journalctl or unshare (make deps: systemd util-linux)"
	elif ! mkdir -p /run/systemd/journal /run/log/journal || ! pj_start; then
		pj_why="a journald of the suite's own did not start: $(tail -n 2 "$PJ/journald.out" | tr '\n' ' ')"
	fi
}
# pj_begin CHECK...: pj_try, then either skips each CHECK and returns 1,
# or points $EXECMON at that journal until pj_end.
pj_begin() {
	local c

	pj_try
	if [ -n "$pj_why" ]; then
		for c in "$@"; do skip "$c" "$pj_why"; done
		return 1
	fi
	HOST_EXECMON=$EXECMON
	EXECMON=$PJ/execmon
}
pj_end() {
	pj_stop
	EXECMON=$HOST_EXECMON
}

# true_copy VAR PREFIX: sets VAR to PREFIX and this shell's pid, cut to the
# 15 bytes of a comm, and copies /usr/bin/true to $TMP/$VAR: an exec whose
# entries the journal tells apart by that name.
true_copy() {
	local name=$2$$

	printf -v "$1" '%s' "${name:0:15}"
	cp /usr/bin/true "$TMP/${name:0:15}"
}

# unit_execmon UNIT INST: $TMP/unit-execmon runs execmon as the unit UNIT
# (installed under INST) would, with the journal of pj_setup's: under the
# unit's bounding set, without new privileges, with its LimitMEMLOCK=
# (which 5.10 needs for the perf buffers). Sets words to ExecStart's words,
# $EXECMON_OPTS (from $TMP/unit.env) split as systemd splits it, the
# binary the one installed under INST.
unit_execmon() {
	local unit=$1 inst=$2 w caps memlock
	local -a cmd opts

	read -r -a cmd <<<"$(sed -n 's/^ExecStart=//p' "$unit" 2>/dev/null)"
	. "$TMP/unit.env"
	words=()
	for w in "${cmd[@]}"; do
		if [ "$w" = '$EXECMON_OPTS' ]; then
			read -r -a opts <<<"$EXECMON_OPTS"
			words+=("${opts[@]}")
		else
			words+=("$w")
		fi
	done
	caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" 2>/dev/null | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
	memlock=$(sed -n 's/^LimitMEMLOCK=//p' "$unit" 2>/dev/null | sed 's/^infinity$/unlimited/')
	printf '#!/bin/sh\n%bexec "%s" setpriv --bounding-set=-all,%s --no-new-privs "%s" "$@"\n' \
		"${memlock:+ulimit -l $memlock\n}" "$PJ/run" "$caps" "$inst${words[0]}" >"$TMP/unit-execmon"
	chmod 755 "$TMP/unit-execmon"
}

# The suites' Python helpers (late_elf.py, execcall.py for PYTHONPATH).
TOOLS=$(cd "$(dirname "$0")/tools" && pwd)

# test_prog NAME OUT: OUT is the helper tests/progs/NAME.c, as make built it
# for this architecture (make test-progs, which a guest without a compiler
# needs), or compiled here when that one is missing or older than its
# source.
test_prog() {
	local built src
	built=$(dirname "$EXECMON")/test-progs/$1
	src=$(dirname "$0")/progs/$1.c
	if [ -x "$built" ] && ! [ "$built" -ot "$src" ]; then
		cp "$built" "$2"
	else
		cc -O2 -o "$2" "$src" 2>/dev/null
	fi
}

# json_get FILE MARKER KEY...: from FILE's first JSON record whose
# arguments (args, or ECS's process.args) hold MARKER, each KEY's value on
# a line of its own, "null" for null or absent; a dotted KEY goes into
# objects (process.hash.sha256). Nothing when no record has MARKER.
json_get() {
	python3 - "$@" <<'PY'
import json, sys
f, marker, keys = sys.argv[1], sys.argv[2], sys.argv[3:]
for line in open(f):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    args = r.get("args") or (r.get("process") or {}).get("args") or []
    if marker in args:
        for k in keys:
            v = r
            for part in k.split("."):
                v = v.get(part) if isinstance(v, dict) else None
            print("null" if v is None else v)
        break
PY
}

# tally FILE MARK: "PRINTED LOST EMIT_FAILED STATS_LOST" of a run with
# --json --stats: the execs whose argv[1] starts with MARK, the sum of the
# lost records, and the failed sends and the lost records --stats counts
# (-1 for a count it has not).
tally() {
	python3 - "$1" "$2" <<'PY'
import json, sys
printed = lost = 0
stats = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "stats" in r:
        stats = r["stats"]
    elif "lost" in r:
        lost += r["lost"]
    elif len(r.get("args", [])) > 1 and r["args"][1].startswith(sys.argv[2]):
        printed += 1
print(printed, lost, stats.get("emit_failed", -1), stats.get("lost", -1))
PY
}
