# The hard cases, each against ground truth the test makes itself: failed
# execs that would lose data, deleted and fileless binaries. Needs root.
SUITE=hard
. "$(dirname "$0")/lib.sh"

needs_root

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
# Fileless and deleted binaries: a copy of readlink, run from a memfd, from
# a file unlinked (and replaced by another) after it was opened, and from
# an O_TMPFILE file, prints what the kernel calls /proc/self/exe; and true
# run in a directory removed after entering it. Each prints its own truth.
mkdir -p "$TMP/bin"
python3 - "$TMP/bin" >"$TMP/truth" <<'EOF'
import os, shutil, sys
d = sys.argv[1]
src = open("/usr/bin/readlink", "rb").read()
def run(fd, name, what="exe"):
    pid = os.fork()
    if pid == 0:
        os.execve(fd, [name, "/proc/self/" + what], {})
    os.waitpid(pid, 0)
def tell(name):
    print(name, end=" ", flush=True)
tell("memfd"); fd = os.memfd_create("hard-mem"); os.write(fd, src); run(fd, "memfd")
tell("deleted"); p = d + "/victim"; shutil.copy("/usr/bin/readlink", p); os.chmod(p, 0o755)
fd = os.open(p, os.O_RDONLY); os.unlink(p); shutil.copy("/usr/bin/true", p); run(fd, "deleted")
tell("tmpfile"); fd = os.open(d, os.O_TMPFILE | os.O_RDWR, 0o755); os.write(fd, src)
ro = os.open(f"/proc/self/fd/{fd}", os.O_RDONLY); os.close(fd); run(ro, "tmpfile")
tell("file"); run(os.open("/usr/bin/readlink", os.O_RDONLY), "file")
tell("cwd"); g = d + "/gone"; os.mkdir(g); os.chdir(g); os.rmdir(g)
run(os.open("/usr/bin/readlink", os.O_RDONLY), "cwd", "cwd")
EOF
wait_for "$OUT" '"p4095"' && wait_for "$OUT" '"args":\["cwd"'
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

# what the kernel said for each, and what execmon said
truth() { sed -n "s/^$1 //p" "$TMP/truth"; }
said() { jq -r "select(.args[0] == \"$1\") | .$2 + (if .$2_deleted then \" (deleted)\" else \"\" end)" "$OUT"; }
check "memfd exec: the kernel's name" test "$(said memfd exe)" = "$(truth memfd)"
check "memfd exec: marked deleted" grep -q '^/memfd:hard-mem (deleted)$' <<<"$(said memfd exe)"
check "deleted binary: marked deleted" test "$(said deleted exe)" = "$(truth deleted)"
check "O_TMPFILE binary: marked deleted" test "$(said tmpfile exe)" = "$(truth tmpfile)"
check "a linked binary: not marked" test "$(said file exe)" = /usr/bin/readlink
check "removed working directory: marked deleted" test "$(said cwd cwd)" = "$(truth cwd)"
check "a working directory that is there: not marked" test "$(said file cwd)" = "$(pwd)"

# 32-bit system calls (x86's ia32 ABI, through int 0x80): a failed execve
# is shown with its argv, and calls whose 32-bit numbers are the 64-bit
# execve's and execveat's, or whose 64-bit number is the 32-bit execve's,
# are not execs at all.
compat_prog=$TMP/compat_exec
compat_checks=("32-bit failed execve: the call failed" "32-bit failed execve shown"
	"32-bit calls numbered as 64-bit execs: not shown")
if [ "$(uname -m)" != x86_64 ] || ! cc -O2 -o "$compat_prog" "$(dirname "$0")/progs/compat_exec.c" 2>/dev/null; then
	for t in "${compat_checks[@]}"; do skip "$t" "x86-64 and a C compiler are needed"; done
elif ! "$compat_prog" /nonexistent >/dev/null 2>&1; then
	for t in "${compat_checks[@]}"; do skip "$t" "this kernel runs no 32-bit system calls (int 0x80)"; done
else
	start_tracer "$OUT" -x --json || { fail "execmon -x --json starts"; exit 0; }
	"$compat_prog" "$TMP/no-such-compat" >"$TMP/compat.out" &
	pid=$!
	wait $pid
	/usr/bin/true compat-done
	wait_for "$OUT" '"compat-done"'
	stop_tracer
	mine=$(jq -c "select(.pid == $pid and .ret != 0)" "$OUT")
	check "${compat_checks[0]}" grep -qx 'execve -2' "$TMP/compat.out"
	check "${compat_checks[1]}" \
		test "$(jq -c '[.exe, .args, .ret]' <<<"$mine")" = "[\"$TMP/no-such-compat\",[\"c32\",\"arg one\"],-2]"
	check "${compat_checks[2]}" test "$(grep -c . <<<"$mine")" = 1
fi
