# The real tool against execs of the test's own making: needs root.
SUITE=trace
. "$(dirname "$0")/lib.sh"

needs_root

OUT=$TMP/out
start_tracer "$OUT" || { fail "execmon starts"; exit 0; }

# A symlinked binary shows the file it points to.
ln -s /usr/bin/true "$TMP/link"
"$TMP/link" sym &
pid=$!
wait $pid
want=$(line $pid /usr/bin/true "$TMP/link sym")
check "symlink shows the real path" wait_for "$OUT" "^ *$pid "
check "symlink line" has_line "$OUT" "$want"

# A relative exec shows the absolute path.
(cd /usr/bin && exec ./true x) &
pid=$!
wait $pid
check "relative exec shows the real path" wait_for "$OUT" "^ *$pid "
check "relative exec line" has_line "$OUT" "$(line $pid /usr/bin/true './true x')"

# A path of about 4000 bytes, deep in directories of 200-byte names.
deep=$TMP
comp=$(printf 'd%.0s' $(seq 200))
for _ in $(seq 19); do deep=$deep/$comp; done
mkdir -p "$deep" && cp /usr/bin/true "$deep/t"
"$deep/t" long &
pid=$!
wait $pid
check "4000-byte path shown whole" wait_for "$OUT" "^ *$pid "
check "4000-byte path line (${#deep} bytes)" has_line "$OUT" "$(line $pid "$deep/t" "$deep/t long")"

# Arguments that need quoting, and the same words unquoted.
/usr/bin/true "a b" "" $'\t' $'x\ny' $'\e[31m' 'say "hi"' "it's" $'\xff' 'back\slash' &
pid=$!
/usr/bin/true a b &
pid2=$!
wait $pid $pid2
wait_for "$OUT" "^ *$pid2 " && wait_for "$OUT" "^ *$pid "
want=$(line $pid /usr/bin/true "/usr/bin/true 'a b' '' \$'\\t' \$'x\\ny' \$'\\E[31m' 'say \"hi\"' 'it'\\''s' \$'\\xff' 'back\\slash'")
check "arguments shown unambiguously" has_line "$OUT" "$want"
check "quoted and unquoted arguments differ" has_line "$OUT" "$(line $pid2 /usr/bin/true '/usr/bin/true a b')"
check "no raw control byte in the output" bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x08\\x0b-\\x1f\\x7f]' '$OUT'"

# An argv longer than the limit is marked cut, with the amount.
big=$(printf 'x%.0s' $(seq 20000))
/usr/bin/true "$big" &
pid=$!
wait $pid
wait_for "$OUT" "^ *$pid "
# argv is "/usr/bin/true\0" + 20000 bytes + "\0"; 16384 bytes are kept
kept=$((16384 - 14))
want=$(line $pid /usr/bin/true "/usr/bin/true ${big:0:$kept} [+$((14 + 20001 - 16384)) bytes cut]")
check "cut argv marked with the amount" has_line "$OUT" "$want"

stop_tracer
check "SIGINT exits 0" test $? -eq 0

# --pid: a shell that execs twice on cue, and an unrelated exec beside it.
mkfifo "$TMP/go"
bash -c 'read <"$1"; /usr/bin/true pid-filter-a; exec /usr/bin/true pid-filter-b' _ "$TMP/go" &
target=$!
start_tracer "$OUT" --pid "$target" || fail "execmon --pid starts"
/usr/bin/true pid-filter-other
echo >"$TMP/go"
wait $target
wait_for "$OUT" 'pid-filter-b'
sleep 0.1
stop_tracer
check "--pid shows only that process" test "$(grep -c pid-filter "$OUT")" = 1
check "--pid line" has_line "$OUT" "$(line $target /usr/bin/true '/usr/bin/true pid-filter-b')"

# --comm: the new process name, exact.
cp /usr/bin/true "$TMP/commtest"
cp /usr/bin/true "$TMP/commtest2"
start_tracer "$OUT" --comm commtest || fail "execmon --comm starts"
"$TMP/commtest2" comm-other
"$TMP/commtest" comm-match
/usr/bin/true comm-other
wait_for "$OUT" comm-match
sleep 0.1
stop_tracer
check "--comm shows only that name" test "$(grep -c comm- "$OUT")" = 1

# A reader that goes away ends execmon quietly with status 0.
(for _ in $(seq 200); do /usr/bin/true; sleep 0.02; done) &
storm=$!
timeout 20 bash -c '"$1" | head -n 2 >/dev/null; exit ${PIPESTATUS[0]}' _ "$EXECMON" 2>"$TMP/err"
rc=$?
kill $storm 2>/dev/null
wait $storm 2>/dev/null
check "exits when the reader goes away" test $rc -eq 0
check "exits quietly when the reader goes away" test ! -s "$TMP/err"

# SIGTERM detaches: the programs and maps this execmon held are gone.
check_teardown SIGTERM
