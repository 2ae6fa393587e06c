# Loss accounting, the start-up check, teardown and privileges, against the
# real tool: needs root (the option checks are in cli.sh).
SUITE=robust
. "$(dirname "$0")/lib.sh"

needs_root
OUT=$TMP/out

# --stats: counts at exit, on stderr for the table.
cp /usr/bin/true "$TMP/statsprobe"
start_tracer "$OUT" --stats --comm statsprobe
"$TMP/statsprobe" stats-1
"$TMP/statsprobe" stats-2
/usr/bin/true stats-3
wait_for "$OUT" stats-2
stop_tracer
rc=$?
stats=$(grep 'execs seen' "$OUT.err")
check "--stats exits 0" test $rc -eq 0
check "--stats: printed count" grep -q ', 2 printed$' <<<"$stats"
check "--stats: filtered count" grep -qE ', [1-9][0-9]* filtered out' <<<"$stats"
check "--stats: nothing lost" grep -q '0 failed to send, 0 lost in the buffers, 0 malformed' <<<"$stats"
check "self-check marker hidden" bash -c "! grep -q execmon-self-check '$OUT'"

# With nothing to print, execmon sleeps until an event rings it awake, or
# for a second, to look for a CPU that came online (the only timer).
# Everything but the probe is filtered out in the kernel. Where the
# kernel has no BPF atomic exchange (before 5.12: execmon then loads the
# _nx build of its program) the bell can miss, and a 50 ms timer is allowed.
cp /usr/bin/true "$TMP/bellprobe"
start_tracer "$OUT" --comm bellprobe
sleep 0.5
woken() { awk '/^voluntary_ctxt_switches/ { print $2 }' /proc/"$TRACER_PID"/status; }
loaded_progs() {
	bpf_ids "$TRACER_PID" | while read -r kind id; do
		[ "$kind" = prog ] && bpftool prog show id "$id"
	done
}
before=$(woken) t0=$(date +%s%N)
sleep 2
wakeups=$(( $(woken) - before )) ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if loaded_progs | grep -q 'name execmon_exec_nx'; then
	name="idle: wakes only on the 50 ms timer (no BPF atomic exchange)" most=$((ms / 50 + 20))
else
	name="idle: woken once a second at most" most=$((ms / 1000 + 1))
fi
if [ "$wakeups" -le $most ]; then
	pass "$name"
else
	fail "$name" "woken $wakeups times in $ms ms"
fi
"$TMP/bellprobe" lone-exec
check "lone exec shown while execmon runs" wait_for "$OUT" lone-exec
stop_tracer

# In JSON, the stats are the last line, as an object of their own.
start_tracer "$OUT" --json --stats --comm statsprobe
"$TMP/statsprobe" stats-json
wait_for "$OUT" stats-json
stop_tracer
check "--json --stats: a final stats object" python3 -c "
import json
lines = open('$OUT').read().splitlines()
st = json.loads(lines[-1])['stats']
assert st['printed'] == 1 and st['lost'] == 0, st
assert st['seen'] == st['filtered'] + st['emitted'] + st['emit_failed'], st
"

# Losses: a stopped reader and a one-page buffer overflow; each is reported
# as it is found, and --strict makes it exit status 3.
start_tracer "$OUT" --strict --buffer-pages 1 --stats
kill -STOP "$TRACER_PID"
for i in $(seq 300); do /usr/bin/true overflow-padding-padding-padding-padding-$i; done
kill -CONT "$TRACER_PID"
wait_for "$OUT.err" '^execmon: lost'
stop_tracer
rc=$?
check "--strict: exit status 3 after a loss" test $rc -eq 3
check "loss reported as it happened" grep -qE '^execmon: lost [0-9]+ events on CPU [0-9]+$' "$OUT.err"
check "loss total at exit" grep -qE '^execmon: lost [0-9]+ events in all$' "$OUT.err"
printed=$(grep -c overflow-padding "$OUT")
lost=$(sed -n 's/^execmon: lost \([0-9]*\) events in all$/\1/p' "$OUT.err")
check "--strict: every exec printed or counted lost ($printed + $lost)" test $((printed + lost)) -ge 300
# A full buffer reports its drops only with its next record: with no
# traced exec after them, they are said all the same, while tracing.
cp /usr/bin/true "$TMP/quietloss"
start_tracer "$OUT" --buffer-pages 1 -c quietloss
kill -STOP "$TRACER_PID"
for i in $(seq 60); do "$TMP/quietloss" "quiet-loss-$(printf '%0200d' "$i")"; done
kill -CONT "$TRACER_PID"
wait_for "$OUT.err" '^execmon: lost'
check "a loss with no record after it: said while tracing" \
	grep -qE '^execmon: lost [0-9]+ events that the full buffers did not report$' "$OUT.err"
# then an exec on each CPU brings the buffers' own reports, of the same drops
cpus=$(nproc)
for c in $(seq 0 $((cpus - 1))); do taskset -c "$c" "$TMP/quietloss" "quiet-loss-after-$c"; done
wait_for "$OUT" "quiet-loss-after-$((cpus - 1))"
stop_tracer
printed=$(grep -c quiet-loss "$OUT")
lost=$(sed -n 's/^execmon: lost \([0-9]*\) events in all$/\1/p' "$OUT.err")
check "a loss with no record after it: every exec printed or counted lost, once ($printed + $lost of $((60 + cpus)))" \
	test "$((printed + ${lost:-0}))" -eq $((60 + cpus)) -a "$(grep -c '^execmon: lost' "$OUT.err")" = 2
start_tracer "$OUT" --strict
/usr/bin/true no-loss
wait_for "$OUT" no-loss
stop_tracer
check "--strict: exit 0 without losses" test $? -eq 0

# Teardown on SIGHUP: exit 0, nothing left behind.
check_teardown SIGHUP

# A full disk: the write error is reported and the exit status is 1.
"$EXECMON" >/dev/full 2>"$TMP/err" &
pid=$!
for _ in $(seq 100); do
	kill -0 $pid 2>/dev/null || break
	/usr/bin/true fill
	sleep 0.05
done
ids=$(bpf_ids $pid)
kill $pid 2>/dev/null
wait $pid
rc=$?
check "write error: exit status 1" test $rc -eq 1
check "write error reported" grep -q "can't write the output: No space left on device" "$TMP/err"

# Least privilege: once tracing, no capability and not root.
start_tracer "$OUT"
sleep 0.2
status=$(cat /proc/"$TRACER_PID"/status)
stop_tracer
check "privileges dropped: no capability" grep -qE '^CapEff:\s+0+$' <<<"$status"
check "privileges dropped: empty bounding set" grep -qE '^CapBnd:\s+0+$' <<<"$status"
check "privileges dropped: runs as nobody" grep -qE "^Uid:\s+$(id -u nobody)\s" <<<"$status"
check "privileges dropped: no new privileges" grep -qE '^NoNewPrivs:\s+1$' <<<"$status"

# Set-user-ID: refused, even before option parsing could matter.
cp "$EXECMON" "$TMP/suid"
chmod 4755 "$TMP/suid"
chmod 755 "$TMP"
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/suid" 2>&1)
rc=$?
check "set-user-ID refused" test $rc -eq 1
check "set-user-ID refusal explained" grep -q 'refusing to run set-user-ID' <<<"$out"
