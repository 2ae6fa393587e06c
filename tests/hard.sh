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
# An exec that fails past the point of no return (an ELF whose segment has
# more file than memory): the kernel has already replaced the caller's
# memory and kills the process. Its path and argv are still shown. The
# truth: the file, the argv given, and the death by SIGSEGV.
python3 "$TOOLS/late_elf.py" "$TMP/late-elf"
python3 - "$TMP" >"$TMP/late" <<'EOF'
import os, signal, sys, threading, time
path = sys.argv[1] + "/late-elf"
# and again with 20 arguments, all in the count a late failure reads; and
# from a thread other than the leader, whose thread id the exec takes from
# the leader's
for argv in (["late", "one", "two words"], ["late20"] + ["a%d" % i for i in range(1, 20)],
             ["late-thread", "x"]):
    pid = os.fork()
    if pid == 0:
        if argv[0] == "late-thread":
            threading.Thread(target=os.execv, args=(path, argv)).start()
            time.sleep(30)
        os.execv(path, argv)
    _, st = os.waitpid(pid, 0)
    print(pid, "SIGSEGV" if os.WIFSIGNALED(st) and os.WTERMSIG(st) == signal.SIGSEGV else st)
EOF
# Arguments in a page the process never touched (a file mapped and never
# read): the kernel may copy them before the exec fails, or not; either
# the argv is whole or it is marked unreadable, never quietly short.
python3 - "$TMP" <<'EOF'
import ctypes, mmap, os, sys
f = sys.argv[1] + "/untouched"
open(f, "wb").write(b"never-touched\0".ljust(mmap.PAGESIZE, b"\0"))
m = mmap.mmap(os.open(f, os.O_RDONLY), mmap.PAGESIZE, flags=mmap.MAP_PRIVATE,
              prot=mmap.PROT_READ | mmap.PROT_WRITE)
arg = ctypes.addressof(ctypes.c_char.from_buffer(m))  # the address only: no access
name = ctypes.create_string_buffer(b"untouched")
argv = (ctypes.c_void_p * 3)(ctypes.addressof(name), arg, None)
libc = ctypes.CDLL(None, use_errno=True)
libc.execv.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
libc.execv(f.encode() + b"-no-such", argv)
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

late_pid=$(sed -n 1p "$TMP/late" | cut -d' ' -f1)
late=$(jq -c "select(.pid == ${late_pid:-0} and .ret != 0)" "$OUT")
check "an exec failing past the point of no return: the process was killed" \
	test "$(cut -d' ' -f2 "$TMP/late" | sort -u)" = SIGSEGV
check "an exec failing past the point of no return: its path, argv and error" \
	test "$(jq -c '[.exe, .args, .error]' <<<"$late")" = \
	"[\"$TMP/late-elf\",[\"late\",\"one\",\"two words\"],\"EINVAL\"]"
late_pid=$(sed -n 2p "$TMP/late" | cut -d' ' -f1)
late=$(jq -c "select(.pid == ${late_pid:-0} and .ret != 0)" "$OUT")
check "the same with 20 arguments: all 20" \
	test "$(jq -c '[.args[0], (.args | length), .args[19]]' <<<"$late")" = '["late20",20,"a19"]'
late_pid=$(sed -n 3p "$TMP/late" | cut -d' ' -f1)
late=$(jq -c "select(.pid == ${late_pid:-0} and .ret != 0)" "$OUT")
check "the same from a thread other than the leader: shown" \
	test "$(jq -c '[.args, .error]' <<<"$late")" = '[["late-thread","x"],"EINVAL"]'
untouched=$(jq -c 'select(.args[0] == "untouched")' "$OUT")
check "argv in an untouched page: whole, or marked unreadable" \
	jq -e '.args == ["untouched", "never-touched"] or
		(.args_unreadable and (.args | length) < 2)' <<<"$untouched"

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
# and a failed execveat are shown with their argv, and calls whose 32-bit
# numbers are the 64-bit execve's and execveat's, or whose 64-bit number
# is the 32-bit execve's, are not execs at all.
compat_prog=$TMP/compat_exec
compat_checks=("32-bit failed execve: the call failed" "32-bit failed execve shown"
	"32-bit failed execveat shown" "32-bit calls numbered as 64-bit execs: not shown")
if [ "$(uname -m)" != x86_64 ] || ! test_prog compat_exec "$compat_prog"; then
	for t in "${compat_checks[@]}"; do skip "$t" "x86-64 and its helper (make test-progs) or a C compiler are needed"; done
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
	check "${compat_checks[1]}" test "$(jq -c 'select(.args[0] == "c32") | [.exe, .args, .ret]' \
		<<<"$mine")" = "[\"$TMP/no-such-compat\",[\"c32\",\"arg one\"],-2]"
	check "${compat_checks[2]}" test "$(jq -c 'select(.args[0] == "c32at") | [.exe, .args, .ret]' \
		<<<"$mine")" = "[\"$TMP/no-such-compat\",[\"c32at\",\"arg one\"],-2]"
	check "${compat_checks[3]}" test "$(grep -c . <<<"$mine")" = 2
fi
