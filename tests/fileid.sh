# The executed file's identity (exe_dev, exe_ino, exe_size, exe_mtime,
# exe_ctime), read in the kernel at the exec, against what stat(1) says of
# the file the test runs; and --hash, the file's SHA-256, against
# sha256sum. Needs root.
SUITE=fileid
. "$(dirname "$0")/lib.sh"

needs_root
JSON=$TMP/json
TABLE=$TMP/table
D=$TMP/fid
mkdir -p "$D"

# stat_id FILE: "MAJOR:MINOR INO SIZE MTIME CTIME" as stat(2) has them
# (the times as seconds.nanoseconds); st_dev is glibc's makedev() of the
# kernel's numbers.
stat_id() {
	local d i s m c
	read -r d i s m c < <(stat -c '%d %i %s %.9Y %.9Z' "$1")
	printf '%d:%d %s %s %s %s\n' $(((d >> 8 & 0xfff) | (d >> 32 & ~0xfff))) \
		$(((d & 0xff) | (d >> 12 & ~0xff))) "$i" "$s" "$m" "$c"
}

# json_id FILE MARKER: the same from FILE's record of MARKER, the times
# read back from RFC 3339.
json_id() {
	json_get "$1" "$2" exe_dev exe_ino exe_size exe_mtime exe_ctime | python3 -c '
import sys, datetime
v = sys.stdin.read().split()
if len(v) != 5 or "null" in v:
    sys.exit(0)
def epoch(t):
    base, frac = t.rstrip("Z").split(".")
    s = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return "%d.%s" % (s.timestamp(), frac)
print(v[0], v[1], v[2], epoch(v[3]), epoch(v[4]))'
}

# The binary, with an mtime that has nanoseconds, and another to replace it.
cp /usr/bin/true "$D/fid-true"
touch -d '2001-02-03 04:05:06.123456789' "$D/fid-true"
cp /usr/bin/sleep "$D/fid-other"
before=$(stat_id "$D/fid-true")
# on a tmpfs too, whose device numbers are not those of the disk
SHM=
if [ -z "$DRY" ] && [ -d /dev/shm ] && SHM=$(mktemp -d /dev/shm/execmon-fid.XXXXXX); then
	cp /usr/bin/true "$SHM/fid-true"
	shm_before=$(stat_id "$SHM/fid-true")
fi

start_tracer "$JSON" --json -x --tree $$ -b 512 || fail "execmon --json starts"
JSON_PID=$TRACER_PID
start_tracer "$TABLE" -H --tree $$ -o exe_dev,exe_ino,exe_size,exe_mtime,exe_ctime,args ||
	fail "execmon -o exe_dev,... starts"
TABLE_PID=$TRACER_PID
# each reads only once the file is replaced: what it shows was read at the exec
[ -z "$DRY" ] && kill -STOP "$JSON_PID" "$TABLE_PID"

"$D/fid-true" fid-renamed
mv -f "$D/fid-other" "$D/fid-true"
[ -n "$SHM" ] && "$SHM/fid-true" fid-shm
"$D/no-such-fid" fid-failed 2>/dev/null
# the marker that says both have read everything before it
/usr/bin/true fid-end

[ -z "$DRY" ] && kill -CONT "$JSON_PID" "$TABLE_PID"
wait_for "$JSON" '"fid-end"' || fail "the JSON tracer saw the end marker"
wait_for "$TABLE" 'fid-end' || fail "the table tracer saw the end marker"
kill -INT "$JSON_PID" "$TABLE_PID" 2>/dev/null
wait "$JSON_PID" "$TABLE_PID" 2>/dev/null
TRACER_PID=

after=$(stat_id "$D/fid-true")
got=$(json_id "$JSON" fid-renamed)
check "JSON: the identity is stat's of the file that ran ($before)" test -n "$got" -a "$got" = "$before"
check "JSON: the file replaced by rename after the exec is not the one named" \
	test -n "$got" -a "${got#* }" != "${after#* }"
if [ -n "$SHM" ] || [ -n "$DRY" ]; then
	got=$(json_id "$JSON" fid-shm)
	check "JSON: a tmpfs file's device is stat's ($shm_before)" test -n "$got" -a "$got" = "$shm_before"
else
	skip "JSON: a tmpfs file's device is stat's" "no /dev/shm"
fi
check "JSON: a failed exec has no identity" \
	test "$(json_get "$JSON" "$D/no-such-fid" exe_dev exe_ino exe_size exe_mtime exe_ctime | sort -u)" = null
# the table's cells: the numbers as JSON's, the times as JSON writes them
row=$(grep -F fid-renamed "$TABLE" 2>/dev/null | head -n1)
want="$(json_get "$JSON" fid-renamed exe_dev exe_ino exe_size exe_mtime exe_ctime | tr '\n' ' ')$D/fid-true fid-renamed"
check "table: -o exe_dev,exe_ino,exe_size,exe_mtime,exe_ctime shows the same" \
	test -n "$row" -a "$(echo $row)" = "$(echo $want)"
[ -n "$SHM" ] && rm -rf "$SHM"
