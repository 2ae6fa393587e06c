# The BPF side as it is split (bpf/lib/): the object is built again when
# any header of bpf/ changes (make knows them all, from clang's .d file),
# and the ctx part's two readers, the typed one of an exec and the CO-RE
# one of a failed exec, read the same fields. The second needs root.
SUITE=bpf_layout
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${BUILD:-build}
OBJ=$B/execmon.bpf.o

# make for the object, its target file (remade every time, on purpose)
# taken as old: -n prints clang's command if it would build the object,
# -p what the object depends on (-q: without building anything).
make_obj() {
	make -C "$TOP" --no-print-directory BUILD="$B" -o "$B/target" "$@" "$OBJ" 2>&1
}
if ! have make || [ ! -f "$TOP/$OBJ" ]; then
	skip "the object is up to date" "no make, or no $OBJ: make builds it"
	skip "the object depends on every header of bpf/" "no make, or no $OBJ"
else
	check "the object is up to date" test -z "$(make_obj -n | grep -F 'execmon.bpf.c')"
	deps=" $(make_obj -pq | sed -n "s|^$OBJ:||p" | tr '\n' ' ') "
	missed=
	for h in $(cd "$TOP" && find bpf -name '*.h' | sort); do
		case $deps in *" $h "*) ;; *) missed="$missed $h" ;; esac
	done
	if [ -z "$missed" ]; then
		pass "the object depends on every header of bpf/"
	else
		fail "the object depends on every header of bpf/" "not on$missed"
	fi
fi

# What follows starts execmon: it needs root.
needs_root

# The ctx fields, from their one description in tracer/fields.h (those
# flagged F_CTX). A process of nobody's with a login uid, a terminal and a
# pid namespace of its own fails an exec (put_exec_ctx, CO-RE reads), then
# execs (put_exec_ctx_typed, plain loads): it is the same process, so
# every ctx field of the two records is the same, but secure, which only
# an exec has. A field that one reader reads and the other does not, or
# reads from elsewhere, differs.
OUT=$TMP/out
chmod 755 "$TMP"
cat >"$TMP/probe.py" <<'PY'
import os, sys
try:
    os.execv(sys.argv[1] + "/no-such-layout-probe", ["layout-probe"])
except OSError:
    pass
os.execv("/usr/bin/true", ["true", "layout-probe"])
PY
start_tracer "$OUT" --json -x --tree $$ || fail "execmon --json -x starts"
# (nobody runs /usr/bin/python3: a python3 found first in root's PATH may
# be out of its reach)
( echo 65534 >/proc/self/loginuid &&
	exec script -qc "unshare --pid --fork setpriv --reuid=65534 --regid=65534 --clear-groups \
		/usr/bin/python3 $TMP/probe.py $TMP" /dev/null ) \
	</dev/null >/dev/null 2>&1
wait_for "$OUT" '"layout-probe"\]'
stop_tracer
check "the ctx part: the same from the CO-RE and the typed reader, but secure" \
	python3 - "$OUT" "$TOP/tracer/fields.h" "$TMP" <<'PY'
import json, re, sys
src = open(sys.argv[2]).read().replace("\\\n", " ")
keys = [m.group(1) for m in re.finditer(r"\b[CK]\((\w+),([^()]*)\)", src) if "F_CTX" in m.group(2)]
assert len(keys) >= 13 and "secure" in keys, ("ctx fields in fields.h", keys)
events = [json.loads(l) for l in open(sys.argv[1])]
failed = [e for e in events if e["exe"] == sys.argv[3] + "/no-such-layout-probe"]
done = [e for e in events if e["args"] == ["true", "layout-probe"]]
assert len(failed) == 1 and len(done) == 1, (len(failed), len(done))
f, d = failed[0], done[0]
assert f["error"] == "ENOENT" and f["pid"] == d["pid"], (f["error"], f["pid"], d["pid"])
assert f["secure"] is None and d["secure"] is False, (f["secure"], d["secure"])
differ = {k: (f[k], d[k]) for k in keys if k != "secure" and f[k] != d[k]}
assert not differ, ("failed exec, exec", differ)
# what is compared is there: the login uid, terminal and namespace set
# above, and the rest (pidfs_ino is null before 6.9)
unset = [k for k in keys if d[k] in (None, []) and k not in ("secure", "pidfs_ino")]
assert not unset, ("null in both", unset)
assert d["auid"] == 65534 and d["tty"].startswith("pts/"), (d["auid"], d["tty"])
assert d["euid"] == 65534 == d["egid"], (d["euid"], d["egid"])
assert d["nspid"] != d["pid"], (d["nspid"], d["pid"])
PY
