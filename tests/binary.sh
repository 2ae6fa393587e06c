# What ran and with what: the kind of the executed file (a file, a memfd,
# a deleted one), the environment with --env, and exec checks
# (AT_EXECVE_CHECK) with -x; each against ground truth the test makes
# itself, in the table and in JSON. Needs root.
SUITE=binary
. "$(dirname "$0")/lib.sh"

needs_root
OUT=$TMP/out
TAB=$TMP/tab
D=$(realpath "$TMP")
not_in() { ! grep -qF -- "$2" "$1"; }
# jqe FILTER: the record on stdin is there and FILTER holds for it.
jqe() {
	local rec
	rec=$(cat)
	[ -n "$rec" ] && jq -e "$@" <<<"$rec" >/dev/null
}

# The probes. Each runs a copy of readlink on /proc/self/exe, which prints
# what the kernel itself says of the running binary: from a memfd, from a
# file unlinked after it was opened, and from a file, each named by argv[0].
probes() {
	python3 - "$D" "$1" <<'EOF'
import os, shutil, subprocess, sys
d, tag = sys.argv[1], sys.argv[2]
env = {"BIN_TAG": tag}
def run(argv0, fd):
    pid = os.fork()
    if pid == 0:
        os.dup2(os.open(f"{d}/{argv0}.{tag}.truth", os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
        os.execve(fd, [argv0, "/proc/self/exe"], env)
    os.waitpid(pid, 0)
mem = os.memfd_create("bin-mem", 0)
os.write(mem, open("/usr/bin/readlink", "rb").read())
run("bin-memfd", mem)
shutil.copy("/usr/bin/readlink", f"{d}/bin-del")
fd = os.open(f"{d}/bin-del", os.O_RDONLY)
os.unlink(f"{d}/bin-del")
run("bin-deleted", fd)
run("bin-file", "/usr/bin/readlink")
EOF
}
# truth NAME TAG: what the kernel said of probe NAME's binary.
truth() { cat "$D/$1.$2.truth" 2>/dev/null; }

# The environments: chosen variables, one with bytes that are not UTF-8
# and one empty; a secret that only --env may show; one past ENV_MAX.
# (given to execve directly: a command line would show them in argv)
env_probes() {
	python3 - <<'EOF'
import os
for argv0, env in (("bin-env", [(b"BIN_CHOSEN", b"a b"), (b"BIN_EMPTY", b""), (b"BIN_RAW", b"\xff\xfe")]),
                   ("bin-secret", [(b"BIN_SECRET", b"s3cr3t-value")]),
                   ("bin-big", [(b"BIN_BIG", b"x" * 20000)])):
    pid = os.fork()
    if pid == 0:
        os.execve("/usr/bin/true", [argv0], dict(env))
    os.waitpid(pid, 0)
EOF
}

# The checks: asked of an executable and of a file without the x bit.
CHECK_PROG=$TMP/exec_check
cp /usr/bin/true "$D/bin-chk-ok"
printf 'not a program\n' >"$D/bin-chk-no"
chmod 644 "$D/bin-chk-no"
have_check=
test_prog exec_check "$CHECK_PROG" && have_check=1
checks() {
	[ -n "$have_check" ] && "$CHECK_PROG" "$D/bin-chk-ok" "$D/bin-chk-no" >"$TMP/check.$1"
}
# From 6.14 on the kernel checks; before, it refuses the flag (EINVAL).
if [ "$(printf '%s\n' 6.14 "$(uname -r)" | sort -V | head -n 1)" = 6.14 ]; then
	want_ok=0 want_no=EACCES
else
	want_ok=EINVAL want_no=EINVAL
fi

# --- JSON, with --env and -x -----------------------------------------------
start_tracer "$OUT" --json --env -x || { fail "execmon --json --env -x starts"; exit 0; }
probes json
env_probes
checks json
/usr/bin/true bin-done
wait_for "$OUT" '"bin-done"'
stop_tracer

q() { jq -c "select(.args[0] == \"$1\" and .ret == 0 and .check == false)" "$OUT" | tail -n 1; }
kind_of() { jq -r '.exe_kind' <<<"$(q "$1")"; }
# the path, marked as the kernel marks it in /proc/PID/exe
exe_of() { jq -r '.exe + (if .exe_deleted then " (deleted)" else "" end)' <<<"$(q "$1")"; }
check "memfd: the kernel's name" test "$(exe_of bin-memfd)" = "$(truth bin-memfd json)"
check "memfd: exe_kind memfd" test "$(kind_of bin-memfd)" = memfd
check "memfd: exe is /memfd:NAME" test "$(jq -r .exe <<<"$(q bin-memfd)")" = /memfd:bin-mem
check "deleted: the kernel's name" test "$(exe_of bin-deleted)" = "$(truth bin-deleted json)"
check "deleted: exe_kind deleted" test "$(kind_of bin-deleted)" = deleted
check "a file: the kernel's name" test "$(exe_of bin-file)" = "$(truth bin-file json)"
check "a file: exe_kind file, not deleted" \
	jqe '.exe_kind == "file" and .exe_deleted == false' <<<"$(q bin-file)"

e=$(q bin-env)
check "env: the variables, in order" \
	jqe '.env == ["BIN_CHOSEN=a b", "BIN_EMPTY=", "BIN_RAW=\ufffd\ufffd"] and
		.env_truncated == 0 and .env_unreadable == false' <<<"$e"
check "env: the exact bytes in env_b64" test "$(jq -r '.env_b64[2]' <<<"$e" | base64 -d | od -An -tx1 | xargs)" = \
	"$(printf 'BIN_RAW=\xff\xfe' | od -An -tx1 | xargs)"
check "env: an empty value is kept" test "$(jq -r '.env_b64[1]' <<<"$e" | base64 -d)" = BIN_EMPTY=
big=$(q bin-big)
# the environment is BIN_BIG=, 20000 bytes and a NUL
check "env: cut at 16 KiB, the rest counted" \
	jqe '.env_truncated == 20009 - 16384 and (.env | length) == 1 and
		(.env[0] | length) == 16384 and (.env[0] | startswith("BIN_BIG=xxx"))' <<<"$big"

c() { jq -c "select(.args[0] == \"check-probe\" and .exe == \"$D/$1\")" "$OUT"; }
check_checks() {
	local name=$1 file=$2 want=$3 rec
	rec=$(c "$file")
	if [ -z "$have_check" ]; then
		skip "$name" "no helper from make test-progs, and no C compiler"
	elif [ "$(sed -n "s|^$D/$file ||p" "$TMP/check.json")" != "$want" ]; then
		skip "$name" "the kernel said $(cat "$TMP/check.json" | tr '\n' ' '), not $want"
	elif [ "$(grep -c . <<<"$rec")" = 1 ] &&
		jq -e --arg w "$want" '.check == true and
			(if $w == "0" then .ret == 0 and .error == null else .error == $w end)' <<<"$rec" >/dev/null; then
		pass "$name"
	else
		fail "$name" "got [$rec]"
	fi
}
check_checks "check of an executable: one check record, $want_ok" bin-chk-ok "$want_ok"
check_checks "check of a file without x: one check record, $want_no" bin-chk-no "$want_no"
check "a check is neither a success nor a failure" \
	test -z "$(jq -c 'select(.args[0] == "check-probe" and .check == false)' "$OUT")"
check "execs are not checks" \
	test "$(jq -r 'select(.args[0] == "bin-file") | .check' "$OUT" | sort -u)" = false

# --- the table ------------------------------------------------------------
start_tracer "$TAB" -x --env -o exe_kind,pid,ret,exe,args || { fail "execmon table starts"; exit 0; }
probes tab
env_probes
checks tab
/usr/bin/true bin-done
wait_for "$TAB" ' bin-done$'
stop_tracer

# row ARGV0: the line of that probe; its words: KIND PID RET EXEC ENV... ARGS
row() { grep -E " $1( |$)" "$TAB" | grep -v check | tail -n 1; }
col() { awk -v n="$2" '{ print $n }' <<<"$(row "$1")"; }
check "table: a header with KIND and ENV before ARGS" \
	grep -qE '^KIND +PID RET +EXEC +ENV ARGS$' "$TAB"
check "table: memfd marked (memfd), one column" \
	test "$(col bin-memfd 1) $(col bin-memfd 4)" = "memfd /memfd:bin-mem(memfd)"
check "table: deleted marked (deleted), one column" \
	test "$(col bin-deleted 1) $(col bin-deleted 4)" = "deleted $D/bin-del(deleted)"
check "table: a file not marked" \
	test "$(col bin-file 1) $(col bin-file 4)" = "file /usr/bin/readlink"
env_row() {
	local r
	r=$(row bin-env)
	[[ $r =~ ^file\ +[0-9]+\ 0\ +/usr/bin/true\ +(.*)$ ]] && [ "${BASH_REMATCH[1]}" = "$1" ]
}
check "table: env as words before ARGS" env_row "'BIN_CHOSEN=a b' BIN_EMPTY= \$'BIN_RAW=\\xff\\xfe' bin-env"
check "table: a cut environment marked" grep -qE ' BIN_BIG=x+ \[\+3625 bytes cut\] bin-big$' "$TAB"
# RET: check when it passed, check:ERROR when not
ret_of() { [ "$1" = 0 ] && echo check || echo "check:$1"; }
check "table: the check of an executable is '$(ret_of "$want_ok")'" \
	grep -qE "^- +[0-9]+ $(ret_of "$want_ok") +$D/bin-chk-ok " "$TAB"
check "table: the check of a file without x is '$(ret_of "$want_no")'" \
	grep -qE "^- +[0-9]+ $(ret_of "$want_no") +$D/bin-chk-no " "$TAB"

# --- --env=NAMES ------------------------------------------------------------
start_tracer "$OUT.names" --json --env=BIN_EMPTY,BIN_RAW || { fail "execmon --env=NAMES starts"; exit 0; }
env_probes
/usr/bin/true bin-done
wait_for "$OUT.names" '"bin-done"'
stop_tracer
check "--env=NAMES: only those, in order" \
	jqe '.env == ["BIN_EMPTY=", "BIN_RAW=\ufffd\ufffd"] and (.env_b64 | length) == 2' \
	<<<"$(jq -c 'select(.args[0] == "bin-env")' "$OUT.names")"
check "--env=NAMES: none of them, an empty list" \
	jqe '.env == []' <<<"$(jq -c 'select(.args[0] == "bin-secret")' "$OUT.names")"

# --- without --env, and without -x ------------------------------------------
start_tracer "$OUT.plain" --json || { fail "execmon --json starts"; exit 0; }
"$EXECMON" >"$TAB.plain" 2>/dev/null &
plain_tab=$!
sleep 1
env_probes
checks plain
/usr/bin/true bin-done
wait_for "$OUT.plain" '"bin-done"'
wait_for "$TAB.plain" ' bin-done$'
kill -INT $plain_tab
wait $plain_tab
stop_tracer
check "without --env: env null" \
	jqe '.env == null and .env_truncated == null' \
	<<<"$(jq -c 'select(.args[0] == "bin-secret")' "$OUT.plain")"
check "without --env: no variable in JSON" not_in "$OUT.plain" s3cr3t-value
check "without --env: no variable in the table" not_in "$TAB.plain" s3cr3t-value
check "without --env: no ENV column" grep -qE '^ +PID EXEC +ARGS$' "$TAB.plain"
check "without -x: no check shown" not_in "$OUT.plain" check-probe

# --- --comm picks checks as it picks failed execs: by the path's name ---------
start_tracer "$OUT.comm" --json -x -c bin-chk-no || { fail "execmon -x -c starts"; exit 0; }
checks comm
/usr/bin/true bin-done
sleep 0.5
stop_tracer
if [ -n "$have_check" ]; then
	check "--comm: the check of that name only" \
		test "$(jq -r 'select(.check) | .exe' "$OUT.comm" | xargs)" = "$D/bin-chk-no"
else
	skip "--comm: the check of that name only" "no helper from make test-progs, and no C compiler"
fi

# --- bad input: nothing traced, nothing on stdout, status 64 ------------------
bad() {
	local out rc
	out=$("$EXECMON" "$@" 2>"$TMP/bad.err")
	rc=$?
	[ $rc = 64 ] && [ -z "$out" ] && grep -q "$BAD_WANT" "$TMP/bad.err"
}
BAD_WANT="needs --env" check "-o env without --env: refused" bad -o pid,env
BAD_WANT="name the variables" check "--env= (empty): refused" bad --env=
BAD_WANT="holds '='" check "--env=A=B: refused" bad --env=A=B
BAD_WANT="empty name" check "--env=A,,B: refused" bad --env=A,,B
