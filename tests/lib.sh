# Helpers for the shell tests; sourced, not run. Each check prints one line
# starting with PASS, FAIL or SKIP, which tests/run counts.
# shellcheck shell=bash

: "${EXECMON:?run the tests through tests/run}"
TMP=$(mktemp -d /tmp/execmon-test.XXXXXX)
TRACER_PID=
cleanup() {
	[ -n "${KEEP_TMP:-}" ] && return
	[ -n "$TRACER_PID" ] && kill -KILL "$TRACER_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

pass() { echo "PASS $SUITE: $1"; }
fail() { echo "FAIL $SUITE: $1${2:+: $2}"; }
skip() { echo "SKIP $SUITE: $1${2:+ ($2)}"; }

# check NAME COND...: passes when the command succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

is_root() { [ "$(id -u)" = 0 ]; }

# The table line execmon prints for an exec (default columns).
line() { printf '%7s %-24s %s' "$1" "$2" "$3"; }

# start_tracer OUT [OPTIONS...]: starts execmon writing to OUT and waits
# until it is tracing: it attaches once its buffers are ready, and holds a
# BPF link from then on.
start_tracer() {
	local out=$1
	shift
	"$EXECMON" "$@" >"$out" 2>"$out.err" &
	TRACER_PID=$!
	for _ in $(seq 200); do
		ls -l /proc/"$TRACER_PID"/fd 2>/dev/null | grep -q 'anon_inode:bpf_link' && return 0
		kill -0 "$TRACER_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "execmon did not start: $(cat "$out.err")" >&2
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

# wait_for FILE PATTERN: waits up to 5 s for a line matching the grep
# pattern to appear in FILE.
wait_for() {
	for _ in $(seq 100); do
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
# exec printed exactly once". The ids are picked out as the output flows,
# so that a long storm needs no room for the whole output.
storm_check() {
	local n=$1 word=storm$$ ids=$TMP/ids tracer
	shift
	( "$EXECMON" -H --stats | awk -v w="$word-" 'index($4, w) == 1 { print substr($4, length(w) + 1) }' >"$ids" ) 2>"$TMP/storm.err" &
	tracer=$!
	for _ in $(seq 200); do pgrep -x execmon -P "$tracer" >/dev/null && break; sleep 0.05; done
	sleep 1
	if ! "$STORM" -n "$n" -w 2 -u -m "$word" -e /usr/bin/true "$@" >"$TMP/storm.out"; then
		fail "storm of $n ran" "$(cat "$TMP/storm.out")"
	fi
	sleep 1
	pkill -INT -x execmon -P "$tracer"
	wait "$tracer"
	local got dups missing
	got=$(wc -l <"$ids")
	dups=$(sort -n "$ids" | uniq -d | wc -l)
	missing=$(sort -n "$ids" | uniq | awk -v n="$n" '$1 >= 0 && $1 < n { c++ } END { print n - c }')
	if [ "$got" -eq "$n" ] && [ "$dups" -eq 0 ] && [ "$missing" -eq 0 ]; then
		pass "storm of $n execs ($*): every exec printed exactly once"
	else
		fail "storm of $n execs ($*): every exec printed exactly once" \
			"$got lines, $dups duplicated, $missing missing; $(grep -E 'lost|execs seen' "$TMP/storm.err" | tr '\n' ' ')"
	fi
}
