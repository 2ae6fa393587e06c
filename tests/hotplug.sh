# Losses said once each, and the CPUs that come and go: every exec made is
# either printed or counted in a lost record, once. Needs root.
SUITE=hotplug
. "$(dirname "$0")/lib.sh"

needs_root
STORM=$BUILD/storm
# A program of the suite's own, so that a comm filter lets in only its execs.
PROG=$TMP/hpxtrue
[ -n "$DRY" ] || cp /usr/bin/true "$PROG"

# A burst into one-page buffers: losses from full rings, each said once.
# Fewer execs under emulation (tests/kernels/run sets BURST_EXECS), where a
# one-page buffer fills as surely and each exec costs far more.
N=${BURST_EXECS:-3000}
OUT=$TMP/burst
if start_tracer "$OUT" --json --stats -b 1 -c hpxtrue; then
	[ -n "$DRY" ] || "$STORM" -n "$N" -w 4 -u -m burst -a 3000 -e "$PROG" >/dev/null
	stop_tracer
	read -r printed lost failed slost <<<"$(tally "$OUT" burst-)"
	# every loss is a failed send or a lost record
	counted=$((failed > slost ? failed : slost))
	check "a burst into -b 1 loses some execs ($printed printed, $lost lost)" test "${lost:-0}" -gt 0
	check "the lost records add up to what --stats counts ($lost, $counted)" test "$lost" = "$counted"
	check "printed and lost add up to the execs made ($printed + $lost of $N)" \
		test $((printed + lost)) = "$N"
else
	fail "execmon --json -b 1 starts"
fi

# The same in a table written to a file: [lost N events ...] lines.
OUT=$TMP/burst.table
if start_tracer "$TMP/stdout" -H --stats -b 1 -c hpxtrue --output "$OUT"; then
	[ -n "$DRY" ] || "$STORM" -n "$N" -w 4 -u -m table -a 3000 -e "$PROG" >/dev/null
	stop_tracer
	printed=$(grep -c ' table-' "$OUT")
	lost=$(sed -n 's/^\[lost \([0-9]*\) events.*/\1/p' "$OUT" | awk '{ s += $1 } END { print s + 0 }')
	check "--output: a burst into -b 1 loses some execs ($lost)" test "$lost" -gt 0
	check "--output: printed and lost lines add up to the execs made ($printed + $lost of $N)" \
		test $((printed + lost)) = "$N"
else
	fail "execmon --output -b 1 starts"
fi

# CPU 1 offline and back, during a run and before it: its execs, pinned
# there, are printed once it is back (a ring opened anew), and whatever was
# made in between is counted as lost, never silently missing. CPU 1 is put
# back online at once, and at exit whatever happens: others use this machine.
CPU1=/sys/devices/system/cpu/cpu1/online
cpu1() { [ -n "$DRY" ] || echo "$1" >"$CPU1"; }
trap 'cpu1 1 2>/dev/null; cleanup' EXIT

# pinned OUT TAG: execs on CPU 1 until one is printed (up to 10 s), then 20
# more; prints how many were made.
pinned() {
	local made=0
	[ -n "$DRY" ] && { echo 0; return; }
	for _ in $(seq 200); do
		taskset -c 1 "$PROG" "$2-$made" 2>/dev/null && made=$((made + 1))
		grep -q "\"$2-" "$1" && break
		sleep 0.05
	done
	for _ in $(seq 20); do taskset -c 1 "$PROG" "$2-$made" && made=$((made + 1)); done
	echo "$made"
}

# hotplug_case NAME WHEN: WHEN is "during" (offline and online while
# tracing) or "before" (offline when execmon starts, online later).
hotplug_case() {
	local name=$1 out=$TMP/$1 made printed lost counted last
	if [ -z "$DRY" ] && [ ! -w "$CPU1" ]; then
		for c in "starts" "execs on CPU 1 printed once it is back" \
			"the last 20 execs on CPU 1 all printed" "printed and lost add up to the execs made"; do
			skip "$name: $c" "CPU 1 cannot go offline here"
		done
		return
	fi
	[ "$2" = before ] && cpu1 0
	if ! start_tracer "$out" --json --stats -c hpxtrue; then
		cpu1 1
		fail "$name: starts"
		return
	fi
	pass "$name: starts"
	if [ "$2" = during ]; then cpu1 0; fi
	cpu1 1
	made=$(pinned "$out" "$name")
	sleep 0.3
	stop_tracer
	read -r printed lost failed slost <<<"$(tally "$out" "$name-")"
	counted=$((failed > slost ? failed : slost))
	check "$name: execs on CPU 1 printed once it is back ($printed of $made)" test "${printed:-0}" -gt 0
	last=$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) for r in [json.loads(l)] if len(r.get("args",[]))>1 and r["args"][1].startswith(sys.argv[2]) and int(r["args"][1].split("-")[-1]) >= int(sys.argv[3]) - 20))' "$out" "$name-" "${made:-0}" 2>/dev/null)
	check "$name: the last 20 execs on CPU 1 all printed ($last)" test "${last:-0}" = 20
	check "$name: printed and lost add up to the execs made ($printed + $lost of $made)" \
		test "$((printed + lost))" = "$made"
}
hotplug_case hotplug-during during
hotplug_case hotplug-before before
