# A real shipper carries execmon's JSON file: rsyslog's imfile reads
# execmon --json --output while logrotate rotates it (the package's snippet),
# and forwards over TCP on 127.0.0.1 to a second rsyslog, which parses each
# message as JSON (mmjsonparse) and writes it out. Every exec of a storm
# arrives exactly once (or is counted in a lost record), every line parses,
# and a long argv arrives whole. The README's rsyslog configuration is the
# one used here. Needs root; Debian's rsyslog is unpacked into a cache
# (SHIPPER_CACHE), not installed: installing it would start the machine's
# syslog daemon. Host only.
SUITE=shipper
. "$(dirname "$0")/lib.sh"

needs_root
STORM=$BUILD/storm
N=${SHIPPER_EXECS:-3000}
CACHE=${SHIPPER_CACHE:-/var/cache/execmon-rsyslog}
CHECKS=("rsyslog forwards execmon's file: every exec arrives once or counted lost"
	"every line arrives as JSON that the far side parses"
	"the file was rotated while the storm ran"
	"a 16 KiB argv arrives as execmon wrote it"
	"the lost records agree with --stats")

skip_all() { for c in "${CHECKS[@]}"; do skip "$c" "$1"; done; exit 0; }

# rsyslog and the libraries it needs that a machine may lack, from the
# machine's own apt sources, unpacked once.
fetch_rsyslog() {
	local ver root
	ver=$(apt-cache policy rsyslog 2>/dev/null | sed -n 's/^ *Candidate: //p')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || return 1
	root=$CACHE/$ver
	if ! [ -x "$root/usr/sbin/rsyslogd" ]; then
		rm -rf "$root.tmp" && mkdir -p "$root.tmp/debs" || return 1
		(cd "$root.tmp/debs" && apt-get -q -o APT::Sandbox::User=root download \
			rsyslog libestr0 libfastjson4 liblognorm5 >/dev/null) || return 1
		for d in "$root.tmp"/debs/*.deb; do dpkg-deb -x "$d" "$root.tmp" || return 1; done
		rm -rf "$root.tmp/debs" "$root" && mv "$root.tmp" "$root"
	fi
	RSYSLOG_ROOT=$root
}

[ -n "$DRY" ] && skip_all "$DRY"
have logrotate || skip_all "logrotate is not installed (make deps installs it)"
fetch_rsyslog || skip_all "rsyslog could not be fetched from the apt sources into $CACHE"
LIBDIR=$(dirname "$(find "$RSYSLOG_ROOT" -name libestr.so.0 | head -n 1)")
# exec: so that a background one's $! is rsyslogd itself, which the trap
# below stops
rsyslogd() {
	LD_LIBRARY_PATH=$LIBDIR exec "$RSYSLOG_ROOT/usr/sbin/rsyslogd" -M "$LIBDIR/rsyslog" "$@"
}
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# The two configurations are the README's, with this test's paths and
# port; the collector also keeps what it could not parse, to show it.
L=$TMP/log
mkdir -p "$L" "$TMP/send" "$TMP/recv"
readme_conf() {
	sed -n "/^# rsyslog: $1\$/,/^\`\`\`\$/p" README.md | sed '1d;$d' |
		sed -e "s|/var/log/execmon/exec.lo|$L/exec.lo|" -e "s|/var/log/execmon/all.json|$TMP/received.json|" \
			-e "s|collector.example.net|127.0.0.1|" -e "s|port=\"10514\"|port=\"$PORT\"|"
	echo "global(workDirectory=\"$TMP/$2\")"
}
readme_conf execmon.conf send >"$TMP/send.conf"
{
	echo "template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")"
	readme_conf collector.conf recv |
		sed -e "s|^input(type=\"imtcp\"|& address=\"127.0.0.1\"|" \
			-e "s|^\(\t*\)action(type=\"mmjsonparse\".*|&\n\1if \$parsesuccess != \"OK\" then action(type=\"omfile\" file=\"$TMP/bad.log\" template=\"raw\")|"
} >"$TMP/recv.conf"
if ! grep -q imfile "$TMP/send.conf" || ! grep -q 'bad.log' "$TMP/recv.conf"; then
	fail "${CHECKS[0]}" "README.md has no rsyslog configuration to test"
	exit 0
fi
for c in send recv; do
	if ! out=$( (rsyslogd -N1 -f "$TMP/$c.conf") 2>&1); then
		fail "${CHECKS[0]}" "rsyslog refuses the $c configuration: $out"
		exit 0
	fi
done
rsyslogd -n -f "$TMP/recv.conf" -i "$TMP/recv.pid" >"$TMP/recv.out" 2>&1 &
RECV=$!
for _ in $(seq 200); do ss -Htln "sport = :$PORT" | grep -q . && break; sleep 0.05; done
SEND=
stop_rsyslog() {
	kill $RECV $SEND 2>/dev/null
	wait $RECV $SEND 2>/dev/null
	RECV= SEND=
}
trap 'stop_rsyslog; cleanup' EXIT

PROG=$TMP/shiptrue
cp /usr/bin/true "$PROG"
start_tracer "$TMP/stdout" --json --stats -c shiptrue --output "$L/exec.log" || skip_all "execmon did not start"
# once the file is there, which imfile would otherwise warn of
rsyslogd -n -f "$TMP/send.conf" -i "$TMP/send.pid" >"$TMP/send.out" 2>&1 &
SEND=$!
# The package's logrotate configuration (compress, delaycompress), with
# this test's path, rotations kept and signal.
sed -e "s|/var/log/execmon/exec.log|$L/exec.log|" -e "s|rotate 14|rotate 100|" \
	-e "s|systemctl kill .*|kill -HUP $TRACER_PID|" systemd/execmon.logrotate >"$TMP/logrotate.conf"
"$STORM" -n "$N" -w 2 -u -m ship -e "$PROG" >"$TMP/storm.out" 2>&1 &
storm=$!
rotations=0
while kill -0 $storm 2>/dev/null && [ $rotations -lt 6 ]; do
	sleep 0.5
	logrotate -f -s "$TMP/logrotate.state" "$TMP/logrotate.conf" && rotations=$((rotations + 1))
done
wait $storm
"$PROG" long "$(head -c 16384 /dev/zero | tr '\0' 'a')"
sleep 0.5
stop_tracer
lost=$(sed -n 's/^execmon: lost \([0-9]*\) events in all$/\1/p' "$TMP/stdout.err")

# Wait until everything written has arrived: the far side's count stops
# growing and holds every line of the files (current and rotated).
want=$(cat "$L"/exec.log "$L"/exec.log.1 | grep -c .)
want=$((want + $(zcat "$L"/exec.log.*.gz 2>/dev/null | grep -c .)))
for _ in $(seq 600); do
	[ "$(cat "$TMP/received.json" "$TMP/bad.log" 2>/dev/null | grep -c .)" -ge "$want" ] && break
	sleep 0.1
done
sleep 0.5
cat "$L"/exec.log "$L"/exec.log.1 2>/dev/null | grep '"args":\["[^"]*","long"' >"$TMP/long.written"
python3 - "$TMP/received.json" "$N" "${lost:-0}" "$TMP/long.written" >"$TMP/verdict" <<'PY'
import collections, json, sys
path, n, said_lost = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
written = [json.loads(l) for l in open(sys.argv[4])]
seen, lost, bad, long_ok = collections.Counter(), 0, 0, False
try:
    lines = open(path).read().splitlines()
except FileNotFoundError:
    lines = []
for line in lines:
    try:
        r = json.loads(line)
    except ValueError:
        bad += 1
        continue
    if "lost" in r:
        lost += r["lost"]
        continue
    args = r.get("args", [])
    if len(args) > 1 and args[1].startswith("ship-"):
        seen[args[1]] += 1
    if args[1:2] == ["long"] and len(written) == 1 and r == written[0] and len(args[2]) > 16000:
        long_ok = True
dups = sum(1 for c in seen.values() if c > 1)
missing = n - len(seen)
print("arrived", len(seen), "dups", dups, "missing", missing, "lost", lost, "bad", bad,
      "long", int(long_ok), "said_lost", said_lost)
PY
read -r _ arrived _ dups _ missing _ lost_recs _ bad _ long_ok _ said <"$TMP/verdict"
check "${CHECKS[0]} ($arrived of $N, $dups twice, $missing missing, $lost_recs lost)" \
	test "$dups" = 0 -a "$missing" -le "$lost_recs"
check "${CHECKS[1]} ($(cat "$TMP/bad.log" 2>/dev/null | grep -c .) refused, $bad unreadable, $want written)" \
	test ! -s "$TMP/bad.log" -a "$bad" = 0 -a "$(grep -c . "$TMP/received.json" 2>/dev/null)" -ge "$want"
check "${CHECKS[2]} ($rotations times, $(ls "$L" | grep -c 'exec\.log\.') files)" test "$rotations" -ge 2
check "${CHECKS[3]}" test "$long_ok" = 1
check "${CHECKS[4]} ($lost_recs, $said)" test "$lost_recs" = "$said"
[ -s "$TMP/send.out" ] && sed 's/^/rsyslog (sending): /' "$TMP/send.out" >&2
[ -s "$TMP/recv.out" ] && sed 's/^/rsyslog (receiving): /' "$TMP/recv.out" >&2
exit 0
