# The hard cases, each against ground truth the test makes itself: failed
# execs that would lose data, deleted and fileless binaries. Needs root.
SUITE=hard
. "$(dirname "$0")/lib.sh"

if ! is_root; then
	for t in "failed exec of 1100 arguments: marked cut" "ENAMETOOLONG: the path marked cut"; do
		skip "$t" "needs root"
	done
	exit 0
fi

OUT=$TMP/out
start_tracer "$OUT" -x --json || { fail "execmon -x --json starts"; exit 0; }

# A failed exec reads at most 1024 arguments: more are marked cut, of an
# unknown size; exactly 1024 are not.
python3 - "$TMP" <<'EOF'
import os, sys
for n, name in ((1100, "many"), (1023, "exact")):
    try:
        os.execv(f"{sys.argv[1]}/no-such-{name}", [name] + ["a"] * n)
    except OSError:
        pass
EOF
# A path longer than the kernel takes (4096 bytes with its NUL) fails with
# ENAMETOOLONG; one byte shorter is taken in full.
python3 - "$TMP" <<'EOF'
import os, sys
for n in (4200, 4095):
    path = (sys.argv[1] + "/" + "p" * 200) * 20
    path = path[:n]
    try:
        os.execv(path, ["p" + str(n)])
    except OSError as e:
        pass
EOF
wait_for "$OUT" '"p4095"'
stop_tracer

q() { jq -c "select($1)" "$OUT"; }
many=$(q '.args[0] == "many"')
exact=$(q '.args[0] == "exact"')
check "failed exec of 1100 arguments: 1024 shown" test "$(jq '.args | length' <<<"$many")" = 1024
check "failed exec of 1100 arguments: marked cut" test "$(jq '.args_truncated' <<<"$many")" = null
check "failed exec of 1024 arguments: all shown" test "$(jq '.args | length' <<<"$exact")" = 1024
check "failed exec of 1024 arguments: not cut" test "$(jq '.args_truncated' <<<"$exact")" = 0
long=$(q '.args[0] == "p4200"')
fits=$(q '.args[0] == "p4095"')
check "ENAMETOOLONG: the error" test "$(jq .ret <<<"$long")" = -36
check "ENAMETOOLONG: the path marked cut" test "$(jq '.exe_truncated' <<<"$long")" = null
check "ENAMETOOLONG: the first 4095 bytes" test "$(jq '.exe | length' <<<"$long")" = 4095
check "a 4095-byte path: not cut" test "$(jq '.exe_truncated' <<<"$fits")" = 0
check "a 4095-byte path: shown whole" test "$(jq '.exe | length' <<<"$fits")" = 4095
