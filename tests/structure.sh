# The outputs against each other, from the one description of the fields
# (tracer/fields.c), which needs no privileges; then the loader's limits.
SUITE=structure
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$(dirname "$0")/.." && pwd)
RECFMT=$TOP/${BUILD:-build}/recfmt

if [ ! -x "$RECFMT" ]; then
	skip "journal and JSON: every key the same value" "no $RECFMT: make test builds it"
else
	"$RECFMT" "$TOP"/tests/fuzz/corpus/* >"$TMP/records"
	# Every key of every JSON record has its journal field with the same
	# value, and a null none; every journal field is a JSON key's.
	check "journal and JSON: every key the same value, a null none, no other field" \
		python3 - "$TMP/records" <<'PY'
import base64, json, sys
lists = {"args": ("EXECMON_ARG", "EXECMON_ARGC", "EXECMON_CMDLINE"),
         "env": ("EXECMON_ENV", "EXECMON_ENVC", "EXECMON_ENVIRON")}
# the journal's own and the lists' fields; cwd_truncated is left out
# without a cwd, where JSON has its 0
own = {"MESSAGE", "MESSAGE_ID", "PRIORITY", "SYSLOG_IDENTIFIER"}
records, cur, part, bad = [], None, None, []
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line.startswith("undecodable "):
        bad.append(line.split("/")[-1])
    elif line.startswith("record "):
        cur = {"name": line[7:], "journal": {}}
        records.append(cur)
    elif line in ("json", "journal"):
        part = line
    elif line == "end":
        part = None
    elif part == "json":
        cur["json"] = json.loads(line)
    elif part == "journal":
        k, v = line.split(" ", 1)
        assert k not in cur["journal"], (cur["name"], "twice", k)
        cur["journal"][k] = bytes.fromhex(v)
# only the seed cut short on purpose; the others, of an older ABI, are
# regenerated as tests/fuzz/seeds.c says
assert bad == ["short"], ("undecodable seeds", bad)
assert len(records) >= 10, len(records)
keys = set()
for r in records:
    j, e, name = r["json"], r["journal"], r["name"]
    used = set(own)
    def raw(key, s):
        # a string's exact bytes: its _b64 when it had to replace some
        return base64.b64decode(j[key + "_b64"]) if key + "_b64" in j else s.encode()
    for k, v in j.items():
        if k.endswith("_b64"):
            continue
        keys.add(k)
        if k in lists:
            prefix, count, whole = lists[k]
            if v is None:
                assert count not in e, (name, k)
                continue
            items = v if k + "_b64" not in j else [base64.b64decode(x) for x in j[k + "_b64"]]
            items = [x.encode() if isinstance(x, str) else x for x in items]
            assert int(e[count]) == len(items), (name, k, e[count], len(items))
            used.add(count)
            if whole in e:
                assert e[whole] == b"".join(x + b"\0" for x in items), (name, k)
                used.add(whole)
            else:
                got = [e["%s%d" % (prefix, i)] for i in range(len(items))]
                assert got == items, (name, k, got, items)
                used.update("%s%d" % (prefix, i) for i in range(len(items)))
            continue
        jk = "EXECMON_" + k.upper()
        if v is None or (k == "cwd_truncated" and j["cwd"] is None):
            assert jk not in e, (name, k, e.get(jk))
            continue
        assert jk in e, (name, "no journal field for", k)
        used.add(jk)
        if isinstance(v, bool):
            want = b"true" if v else b"false"
        elif isinstance(v, (int, float)):
            want = str(v).encode()
        elif isinstance(v, str):
            want = raw(k, v)
        else:	# an array: the same JSON in the journal
            assert json.loads(e[jk]) == v, (name, k, e[jk], v)
            continue
        assert e[jk] == want, (name, k, e[jk], want)
    extra = set(e) - used
    assert not extra, (name, "journal fields of no JSON key", extra)
# every key was seen with a value somewhere, so that each was compared
seen = {k for r in records for k, v in r["json"].items() if v is not None}
assert keys - seen == set(), ("never compared", keys - seen)
PY
fi

# What follows starts execmon: it needs root.
needs_root

# The possible CPUs size the map of event slots, one per CPU: when their
# list can't be read (here a file that is no list, bound over it in a mount
# namespace of its own), execmon says so and does not start, where a
# negative count went in as a map of 4 G entries and the load failed with
# "Cannot allocate memory".
rc=0
if [ -z "$DRY" ]; then
	printf 'no list\n' >"$TMP/possible"
	timeout -k 5 120 unshare -m sh -c \
		'mount --bind "$0" /sys/devices/system/cpu/possible && exec "$1" -- /usr/bin/true' \
		"$TMP/possible" "$EXECMON" >"$TMP/cpus.out" 2>"$TMP/cpus.err" || rc=$?
fi
check "unreadable possible CPUs: exit status 1" test "$rc" -eq 1
check "unreadable possible CPUs: nothing on stdout" test ! -s "$TMP/cpus.out"
if [ -n "$DRY" ] || { [ "$(wc -l <"$TMP/cpus.err")" -eq 1 ] &&
	grep -qE '^execmon: can.t read the possible CPUs from /sys/devices/system/cpu/possible: .*sysfs' \
		"$TMP/cpus.err"; }; then
	pass "unreadable possible CPUs: one line on stderr that names the file and the fix"
else
	fail "unreadable possible CPUs: one line on stderr that names the file and the fix" \
		"$(head -c 600 "$TMP/cpus.err")"
fi
