# --hash: the SHA-256 of the executed file (exe_sha256, exe_hash_error),
# against sha256sum of the binary; read once per file version, never of
# another version than the one that ran, and never holding the stream up
# for long. Needs root.
SUITE=hash
. "$(dirname "$0")/lib.sh"

# usage first: it needs no root
out=$("$EXECMON" --help 2>/dev/null)
check "--help lists --hash" grep -q -- '--hash' <<<"$out"
out=$("$EXECMON" --hash=yes 2>"$TMP/usage.err"); rc=$?
check "--hash takes no value: exit 64, nothing on stdout" \
	test "$rc" = 64 -a -z "$out" -a -s "$TMP/usage.err"
out=$("$EXECMON" -o exe_sha256 2>"$TMP/usage.err"); rc=$?
check "-o exe_sha256 without --hash: exit 64, the reason on stderr" \
	eval '[ "$rc" = 64 -a -z "$out" ] && grep -q -- "needs --hash" "$TMP/usage.err"'

needs_root
JSON=$TMP/json
D=$TMP/h
mkdir -p "$D"
# execmon reads the files as nobody: the test's own are reachable by it
chmod 755 "$TMP" "$D"

sha() { sha256sum "$1" | cut -d' ' -f1; }
REASONS=" changed gone timeout unreadable not-a-file "
is_reason() { [[ "$REASONS" == *" $1 "* ]]; }

cp /usr/bin/true "$D/h-true"
cp /usr/bin/true "$D/h-mod"
cp /usr/bin/sleep "$D/h-del"
TRUE_SHA=$(sha "$D/h-true")
FALSE_SHA=$(sha /usr/bin/false)
SLEEP_SHA=$(sha "$D/h-del")

start_tracer "$JSON" --hash --json -x --tree $$ -b 512 || fail "execmon --hash --json starts"
JSON_PID=$TRACER_PID
start_tracer "$TMP/table" --hash -H --tree $$ -o exe_sha256,args || fail "execmon --hash -o exe_sha256 starts"
TABLE_PID=$TRACER_PID
start_tracer "$TMP/ecs" --hash --json=ecs --tree $$ || fail "execmon --hash --json=ecs starts"
ECS_PID=$TRACER_PID

# The first exec may find the worker not yet done (a timeout). Again
# until each tracer has the digest from its cache: under emulation the
# first read can outlast the bound twice over, as three tracers read it.
"$D/h-true" h-plain
PLAIN=
for i in $(seq 10); do
	PLAIN=h-plain2-$i
	"$D/h-true" "$PLAIN"
	[ -z "$DRY" ] || break
	wait_for "$JSON" "\"$PLAIN\"" && wait_for "$TMP/table" " $PLAIN\$" &&
		wait_for "$TMP/ecs" "\"$PLAIN\"" || break
	[ "$(json_get "$JSON" "$PLAIN" exe_sha256)" = "$TRUE_SHA" ] &&
		grep -q "^$TRUE_SHA .* $PLAIN\$" "$TMP/table" &&
		[ "$(json_get "$TMP/ecs" "$PLAIN" process.hash.sha256)" = "$TRUE_SHA" ] && break
	sleep 0.5
done
"$D/no-such-h" h-failed 2>/dev/null
wait_for "$JSON" '"h-failed"' || fail "the JSON tracer saw the first execs"
# rewritten in place (the same inode) before the tracer reads it
[ -z "$DRY" ] && kill -STOP "$JSON_PID"
"$D/h-mod" h-mod
cp /usr/bin/false "$D/h-mod"
[ -z "$DRY" ] && kill -CONT "$JSON_PID"
# deleted while it runs
bash -c 'exec -a h-del "$0" 2' "$D/h-del" &
DEL_PID=$!
for _ in $(seq 200); do
	[ -n "$DRY" ] || [ "$(readlink "/proc/$DEL_PID/exe")" = "$D/h-del" ] && break
	sleep 0.05
done
rm -f "$D/h-del"
# a memfd's, which has no path
[ -z "$DRY" ] && python3 - "$D/h-true" <<'PY'
import os, sys
fd = os.memfd_create("h-memfd", 0)
os.write(fd, open(sys.argv[1], "rb").read())
os.execve(fd, ["h-memfd", "h-memfd"], {})
PY
wait "$DEL_PID" 2>/dev/null
/usr/bin/true h-end

wait_for "$JSON" '"h-end"' || fail "the JSON tracer saw the end marker"
wait_for "$TMP/table" 'h-end' || fail "the table tracer saw the end marker"
wait_for "$TMP/ecs" '"h-end"' || fail "the ECS tracer saw the end marker"
kill -INT "$JSON_PID" "$TABLE_PID" "$ECS_PID" 2>/dev/null
wait "$JSON_PID" "$TABLE_PID" "$ECS_PID" 2>/dev/null
TRACER_PID=

got=$(json_get "$JSON" "$PLAIN" exe_sha256 exe_hash_error | tr '\n' ' ')
check "JSON: exe_sha256 is sha256sum's ($TRUE_SHA, $PLAIN)" test "$got" = "$TRUE_SHA null "
got=$(json_get "$JSON" h-plain exe_sha256 exe_hash_error | tr '\n' ' ')
check "JSON: the first exec has the digest too, or a timeout ($got)" \
	test "$got" = "$TRUE_SHA null " -o "$got" = "null timeout "
check "JSON: a failed exec has neither digest nor reason" \
	test "$(json_get "$JSON" h-failed exe_sha256 exe_hash_error | tr '\n' ' ')" = "null null "
read -r h e < <(json_get "$JSON" h-mod exe_sha256 exe_hash_error | tr '\n' ' ')
# (or, on a busy machine, not read within the bound)
check "JSON: a file rewritten after its exec is 'changed' or the original's, never the new one's ($e)" \
	test -n "$h" -a "$h" != "$FALSE_SHA" -a \( "$e" = changed -o "$h" = "$TRUE_SHA" -o "$e" = timeout \)
read -r h e < <(json_get "$JSON" h-del exe_sha256 exe_hash_error | tr '\n' ' ')
check "JSON: a deleted binary has its digest or a reason ($h $e)" \
	eval '[ "$h" = "$SLEEP_SHA" -a "$e" = null ] || { [ "$h" = null ] && is_reason "$e"; }'
read -r k h e < <(json_get "$JSON" h-memfd exe_kind exe_sha256 exe_hash_error | tr '\n' ' ')
check "JSON: a memfd's exec has its digest or a reason ($k $h $e)" \
	eval '[ "$k" = memfd ] && { [ "$h" = "$TRUE_SHA" -a "$e" = null ] || { [ "$h" = null ] && is_reason "$e"; }; }'
row=$(grep " $PLAIN\$" "$TMP/table" 2>/dev/null | head -n1)
check "table: -o exe_sha256 shows the digest" test "$(echo $row)" = "$TRUE_SHA $D/h-true $PLAIN"
check "ECS: process.hash.sha256 is the digest" \
	test "$(json_get "$TMP/ecs" "$PLAIN" process.hash.sha256)" = "$TRUE_SHA"

# without --hash, the keys are there and null
start_tracer "$TMP/nohash" --json --tree $$ || fail "execmon --json starts"
"$D/h-true" h-nohash
wait_for "$TMP/nohash" '"h-nohash"' || fail "the tracer without --hash saw its exec"
stop_tracer
check "JSON without --hash: exe_sha256 and exe_hash_error are null" \
	test "$(json_get "$TMP/nohash" h-nohash exe_sha256 exe_hash_error | tr '\n' ' ')" = "null null "

# overlayfs with its layers on two filesystems and xino off (the default
# of kernels built without OVERLAY_FS_XINO_AUTO): stat(2) gives a file of
# the lower layer that layer's own device, where the kernel's inode has
# the overlay's. The file is the same, and gets its digest.
O=$TMP/ov
ov_down() { umount "$O/m" "$O/lo" "$O/up" 2>/dev/null; }
trap 'ov_down; cleanup' EXIT
mkdir -p "$O/lo" "$O/up" "$O/m"
if [ -n "$DRY" ]; then
	ov=
elif mount -t tmpfs h-lo "$O/lo" && mount -t tmpfs h-up "$O/up" && mkdir "$O/up/u" "$O/up/w" &&
	cp /usr/bin/true "$O/lo/h-ov" && chmod 755 "$O" "$O/lo" &&
	mount -t overlay h-ov -o "lowerdir=$O/lo,upperdir=$O/up/u,workdir=$O/up/w,xino=off" "$O/m"; then
	ov=$(stat -L -c %Hd:%Ld "$O/m/h-ov")
else
	ov=none
fi
if [ "$ov" = none ]; then
	skip "overlayfs: exe_dev is the overlay's, as mountinfo has it" "no overlayfs here"
	skip "overlayfs: a lower layer's file has its digest" "no overlayfs here"
else
	start_tracer "$TMP/ov.json" --hash --json --tree $$ || fail "execmon --hash starts for overlayfs"
	# again while the first read outlasts the bound
	for i in $(seq 10); do
		[ -z "$DRY" ] || break
		"$O/m/h-ov" "h-ov-$i"
		wait_for "$TMP/ov.json" "\"h-ov-$i\"" || break
		[ "$(json_get "$TMP/ov.json" "h-ov-$i" exe_hash_error)" = timeout ] || break
		sleep 0.5
	done
	stop_tracer
	read -r dev h e < <(json_get "$TMP/ov.json" "h-ov-$i" exe_dev exe_sha256 exe_hash_error | tr '\n' ' ')
	mdev=$(awk -v m="$O/m" '$5 == m { print $3 }' /proc/self/mountinfo)
	check "overlayfs: exe_dev is the overlay's, as mountinfo has it ($dev, $mdev; stat says $ov)" \
		test -n "$dev" -a "$dev" = "$mdev"
	if [ "$ov" = "$mdev" ]; then
		skip "overlayfs: a lower layer's file has its digest" "stat gives the overlay's device here"
	else
		check "overlayfs: a lower layer's file has its digest ($h $e)" test "$h $e" = "$TRUE_SHA null"
	fi
fi
ov_down

# a binary run 20 times is read once: the others are cache hits, or
# records that did not wait for the first read (timeouts). One record
# gets the digest by waiting for that read, unless the read ended while
# no record waited, after a timeout: then the count is 20.
cp /usr/bin/true "$D/h-once"
start_tracer "$TMP/once" --hash --json --stats -c h-once || fail "execmon --hash --stats starts"
for i in $(seq 20); do "$D/h-once" "h-once-$i"; done
wait_for "$TMP/once" '"h-once-20"' || fail "the tracer saw the 20th exec"
stop_tracer
read -r hashed hits timeouts < <(sed -n 's/.*hash: \([0-9]*\) files hashed, \([0-9]*\) cache hits, \([0-9]*\) timeouts.*/\1 \2 \3/p' "$TMP/once.err")
check "a binary exec'd 20 times is hashed once (hashed $hashed, hits $hits, timeouts $timeouts)" \
	eval '[ "$hashed" = 1 ] && { [ "$((hits + timeouts))" = 19 ] ||
		{ [ "${timeouts:-0}" -ge 1 ] && [ "$((hits + timeouts))" = 20 ]; }; }'
check "each of the 20 has the digest or a timeout" \
	test "$(grep -c "\"exe_sha256\":\"$TRUE_SHA\"\|\"exe_hash_error\":\"timeout\"" "$TMP/once")" = 20

# A file execmon may not read (execute only, and /proc/PID/exe of root's
# process is not its to open), run in a loop: each record has the reason,
# and the file is tried again at most once a second (HASH_RETRY_MS), not
# at each exec.
cp /usr/bin/true "$D/h-unread"
chmod 711 "$D/h-unread"
start_tracer "$TMP/unread" --hash --json --stats -c h-unread || fail "execmon --hash starts for the unreadable file"
t0=$(date +%s%N)
for i in $(seq 20); do "$D/h-unread" "h-unread-$i"; done
wait_for "$TMP/unread" '"h-unread-20"' || fail "the tracer saw the 20th exec of the unreadable file"
secs=$(( ($(date +%s%N) - t0) / 1000000000 ))
stop_tracer
failed=$(sed -n 's/.*hash: .* \([0-9]*\) not hashed.*/\1/p' "$TMP/unread.err")
check "an unreadable file: each of its 20 execs says 'unreadable' (or 'timeout')" \
	test "$(grep -c '"exe_hash_error":"\(unreadable\|timeout\)"' "$TMP/unread")" = 20
if [ "$secs" -ge 15 ]; then
	skip "an unreadable file run 20 times is tried at most once a second" \
		"its execs took ${secs}s, too far apart to tell"
else
	check "an unreadable file run 20 times in ${secs}s is tried at most once a second (tried ${failed:-?})" \
		test -n "$failed" -a "${failed:-99}" -le $((secs + 2)) -a "${failed:-99}" -lt 20
fi

# A 2 GB file takes longer than the bound: its record says "timeout" and
# the next exec is printed all the same. Not under emulation (the kernel
# matrix sets BURST_EXECS), where reading it would take the run's time.
if [ -n "${BURST_EXECS:-}" ]; then
	skip "a 2 GB binary gets 'timeout'" "under emulation"
	skip "an exec after the 2 GB binary is printed" "under emulation"
else
	cp /usr/bin/true "$D/h-big"
	[ -z "$DRY" ] && truncate -s 2G "$D/h-big"
	start_tracer "$TMP/big" --hash --json --tree $$ || fail "execmon --hash starts for the big file"
	"$D/h-big" h-big
	"$D/h-true" h-after
	wait_for "$TMP/big" '"h-after"'
	stop_tracer
	check "a 2 GB binary gets 'timeout'" test "$(json_get "$TMP/big" h-big exe_hash_error)" = timeout
	check "an exec after the 2 GB binary is printed" grep -q '"h-after"' "$TMP/big"
	rm -f "$D/h-big"
fi
