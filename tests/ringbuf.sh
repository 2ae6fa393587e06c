# --ring=bpf, the BPF ring buffer beside the per-CPU perf buffers: the same
# records, in time order across CPUs, and its losses said exactly. Needs
# root, but for the bad values.
SUITE=ringbuf
. "$(dirname "$0")/lib.sh"

# Bad values are usage errors: status 64, the value named, nothing on
# standard output, nothing traced.
for bad in foo "" BPF "bpf,perf"; do
	out=$("$EXECMON" --ring="$bad" 2>"$TMP/bad.err")
	rc=$?
	check "--ring='$bad' is a usage error (status $rc)" test $rc -eq 64
	check "--ring='$bad': nothing on standard output" test -z "$out"
	check "--ring='$bad': the error names the value" grep -qF "invalid ring '$bad'" "$TMP/bad.err"
done

needs_root
STORM=$BUILD/storm
# Programs of the suite's own, so that a comm filter lets in only their execs.
PROG=$TMP/rbxtrue
[ -n "$DRY" ] || cp /usr/bin/true "$PROG"

# The same execs under both rings at once: the JSON records are the same
# but for the times, which each program reads for itself. A failed exec
# (-x, whose program reads the ring from a load-time constant), a script,
# long and odd arguments.
mkdir -p "$TMP/script"
if [ -z "$DRY" ]; then
	printf '#!%s\n' "$PROG" >"$TMP/script/rbxtrue"
	chmod 755 "$TMP/script/rbxtrue"
fi
if start_tracer "$TMP/perf" --json -x; then
	perf_pid=$TRACER_PID
	if start_tracer "$TMP/bpf" --json -x --ring=bpf; then
		for i in $(seq 20); do
			"$PROG" same-$i "$(printf 'x%.0s' $(seq $((i * 50))))" 'a b' "$(printf 'tab\there')"
		done
		"$TMP/script/rbxtrue" same-script
		python3 - "$TMP/rbmissing" <<'PY'
import os, sys
try:
    os.execv(sys.argv[1], [sys.argv[1], "same-missing"])
except OSError:
    pass
PY
		wait_for "$TMP/perf" same-missing
		wait_for "$TMP/bpf" same-missing
		stop_tracer
	fi
	TRACER_PID=$perf_pid
	stop_tracer
	strip() { python3 -c 'import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    args = r.get("args") or []
    if args and args[0].startswith(sys.argv[2]) and any(a.startswith("same-") for a in args):
        r.pop("time"); r.pop("mono_ns")
        print(json.dumps(r, sort_keys=True))' "$1" "$TMP/"; }
	strip "$TMP/perf" >"$TMP/perf.same"
	strip "$TMP/bpf" >"$TMP/bpf.same"
	check "the same workload makes 22 records under each ring ($(wc -l <"$TMP/perf.same"), $(wc -l <"$TMP/bpf.same"))" \
		test "$(wc -l <"$TMP/perf.same")" = 22 -a "$(wc -l <"$TMP/bpf.same")" = 22
	check "--ring=bpf's records are the perf buffer's, but for their times" \
		cmp -s "$TMP/perf.same" "$TMP/bpf.same"
else
	fail "execmon --json -x starts"
fi

# Time order across CPUs: one CPU execs with long arguments, the other
# with short ones, so that records committed to the one ring often come
# out of the order of their times; the output is in time order.
# (A third of the burst suites' count: under emulation, 200 execs fill a
# one-page ring as surely, at a third of the time.)
N=$((${BURST_EXECS:-3000} / 3))
if start_tracer "$TMP/order" --json --ring=bpf -c rbxtrue; then
	if [ -z "$DRY" ]; then
		taskset -c 0 "$STORM" -n "$N" -w 1 -u -m slow -a 4000 -e "$PROG" >/dev/null &
		taskset -c 1 "$STORM" -n "$N" -w 1 -u -m fast -e "$PROG" >/dev/null
		wait $!
	fi
	stop_tracer
	read -r count inversions <<<"$(python3 -c 'import json, sys
last = n = bad = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "mono_ns" in r:
        n += 1
        bad += r["mono_ns"] < last
        last = r["mono_ns"]
print(n, bad)' "$TMP/order")"
	check "both CPUs' execs are printed ($count of $((2 * N)))" test "$count" = $((2 * N))
	check "the records are in time order ($inversions out of order)" test "$inversions" = 0
else
	fail "execmon --ring=bpf starts"
fi

# A burst into a one-page-per-CPU ring: losses from a full ring, which the
# kernel does not report, said from the BPF side's count, once each, as
# they happen.
if start_tracer "$TMP/burst" --json --stats --ring=bpf -b 1 -c rbxtrue; then
	[ -n "$DRY" ] || "$STORM" -n "$N" -w 4 -u -m burst -a 3000 -e "$PROG" >/dev/null
	stop_tracer
	read -r printed lost counted _ <<<"$(tally "$TMP/burst" burst-)"
	check "a burst into --ring=bpf -b 1 loses some execs ($printed printed, $lost lost)" \
		test "${lost:-0}" -gt 0
	check "the lost records add up to the failed sends --stats counts ($lost, $counted)" \
		test "$lost" = "$counted"
	check "printed and lost add up to the execs made ($printed + $lost of $N)" \
		test $((printed + lost)) = "$N"
else
	fail "execmon --ring=bpf -b 1 starts"
fi

# A reader stopped during a storm: what its ring could not hold is said
# lost, as it is seen, with the rest printed once it runs again.
if start_tracer "$TMP/stall" -H --ring=bpf -b 1 -c rbxtrue; then
	if [ -z "$DRY" ]; then
		kill -STOP "$TRACER_PID"
		"$STORM" -n "$N" -w 2 -u -m stall -e "$PROG" >/dev/null
		kill -CONT "$TRACER_PID"
	fi
	wait_for "$TMP/stall.err" 'BPF ring buffer was full'
	stop_tracer
	printed=$(grep -c ' stall-' "$TMP/stall")
	lost=$(sed -n 's/^execmon: lost \([0-9]*\) events: the BPF ring buffer was full$/\1/p' \
		"$TMP/stall.err" | awk '{ s += $1 } END { print s + 0 }')
	check "a stopped reader: printed and said lost add up ($printed + $lost of $N)" \
		test "$lost" -gt 0 -a $((printed + lost)) = "$N"
else
	fail "execmon --ring=bpf -b 1 starts (stopped reader)"
fi

# Storms under the ring buffer, as tests/storm.sh runs them under the perf
# buffers, at a quarter of their size: every exec printed once or counted
# lost.
RB_EXECMON=$TMP/execmon
mkdir -p "$RB_EXECMON"
printf '#!/bin/sh\nexec "%s" --ring=bpf "$@"\n' "$EXECMON" >"$RB_EXECMON/execmon"
chmod 755 "$RB_EXECMON/execmon"
EXECMON=$RB_EXECMON/execmon storm_check "$((${STORM_EXECS:-5000} / 4))" -r -a 20000
