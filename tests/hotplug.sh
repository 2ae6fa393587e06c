# Losses said once each, and the CPUs that come and go: every exec made is
# either printed or counted in a lost record, once. Needs root.
SUITE=hotplug
. "$(dirname "$0")/lib.sh"

needs_root
STORM=$BUILD/storm
# A program of the suite's own, so that a comm filter lets in only its execs.
PROG=$TMP/hpxtrue
[ -n "$DRY" ] || cp /usr/bin/true "$PROG"

# tally FILE MARK: "PRINTED LOST STATS_LOST" of a JSON run: the execs
# whose argv[1] starts with MARK, the sum of the lost records, and the
# losses --stats counts (every loss is a failed send or a lost record).
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
print(printed, lost, max(stats.get("emit_failed", -1), stats.get("lost", -1)))
PY
}

# A burst into one-page buffers: losses from full rings, each said once.
N=3000
OUT=$TMP/burst
if start_tracer "$OUT" --json --stats -b 1 -c hpxtrue; then
	[ -n "$DRY" ] || "$STORM" -n "$N" -w 4 -u -m burst -a 3000 -e "$PROG" >/dev/null
	stop_tracer
	read -r printed lost counted <<<"$(tally "$OUT" burst-)"
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
