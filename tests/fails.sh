# Failed execs (-x) that earlier versions showed wrongly or not at all, each
# against what the caller itself saw: a refusal by seccomp, an argv array
# that cannot be read, the check of a set-user-ID file, a file asked for by
# descriptor (fexecve) and an empty path. Needs root.
SUITE=fails
. "$(dirname "$0")/lib.sh"

needs_root

OUT=$TMP/out
D=$TMP/d
mkdir -p "$D"
# nobody runs the check below, from here
chmod 755 "$TMP" "$D"
jqe() { jq -e "$@" >/dev/null; }

DENY=$TMP/seccomp_deny
CHECK_PROG=$TMP/exec_check
have_deny= have_check=
test_prog seccomp_deny "$DENY" && have_deny=1
test_prog exec_check "$CHECK_PROG" && have_check=1
cp /usr/bin/true "$D/suid-true"
chmod 4755 "$D/suid-true"
printf 'not a program\n' >"$D/fd-target"
chmod 644 "$D/fd-target"

# (larger buffers: the machine may be busy with other execs)
start_tracer "$OUT" -x --json -b 1024 || { fail "execmon -x --json starts"; exit 0; }

# A seccomp filter that fails execve with EPERM, as a container's profile
# may: it runs before the call's function. seccomp_deny's own exec of
# the program is the one refused.
[ -n "$have_deny" ] && "$DENY" execve /usr/bin/true fails-seccomp "two words" 2>"$TMP/deny.err"

# Each failed call as the caller made it; prints what the kernel said.
PYTHONPATH=$TOOLS python3 - "$D" >"$TMP/truth" <<'EOF'
import ctypes, mmap, os, sys
from execcall import libc, SYS_execve, SYS_execveat, AT_EMPTY_PATH, argv, tell
d = sys.argv[1]

# argv a bad pointer: EFAULT, from a file that exists
tell("efault", libc.syscall(SYS_execve, b"/usr/bin/true", ctypes.c_void_p(8), None))
# argv an array in a page never touched (a file mapped, not read): the exec
# fails (ENOENT) before the kernel reads it
words = argv("fails-untouched", "x")
f = d + "/array"
open(f, "wb").write(bytes(words).ljust(mmap.PAGESIZE, b"\0"))
m = mmap.mmap(os.open(f, os.O_RDONLY), mmap.PAGESIZE, flags=mmap.MAP_PRIVATE,
              prot=mmap.PROT_READ | mmap.PROT_WRITE)
untouched = ctypes.addressof(ctypes.c_char.from_buffer(m))  # the address only
tell("untouched", libc.syscall(SYS_execve, (d + "/no-such-untouched").encode(),
                               ctypes.c_void_p(untouched), None))
# an empty argument
tell("emptyarg", libc.syscall(SYS_execve, (d + "/no-such-emptyarg").encode(),
                              argv("fails-emptyarg", "", "x"), None))
# argv NULL: an empty argv, nothing unreadable
tell("null", libc.syscall(SYS_execve, (d + "/no-such-null").encode(), None, None))
# fexecve: a file open at a descriptor, not a program
fd = os.open(d + "/fd-target", os.O_RDONLY)
print("fd", fd, os.readlink(f"/proc/self/fd/{fd}"))
tell("fd-file", libc.syscall(SYS_execveat, fd, b"", argv("fails-fd-file"), None, AT_EMPTY_PATH))
# a descriptor that names no file
os.close(fd)
tell("fd-none", libc.syscall(SYS_execveat, fd, b"", argv("fails-fd-none"), None, AT_EMPTY_PATH))
# a memfd that holds no program
mfd = os.memfd_create("fails-mem")
os.write(mfd, b"not a program\n")
tell("fd-memfd", libc.syscall(SYS_execveat, mfd, b"", argv("fails-fd-memfd"), None, AT_EMPTY_PATH))
# an empty path, without AT_EMPTY_PATH: ENOENT
tell("empty", libc.syscall(SYS_execve, b"", argv("fails-empty"), None))
EOF

# The check of a set-user-ID file by nobody, and a real exec of it, which
# changes privileges (AT_SECURE): the check decides none.
[ -n "$have_check" ] && setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$CHECK_PROG" "$D/suid-true" >"$TMP/check.out"
setpriv --reuid=65534 --regid=65534 --clear-groups "$D/suid-true" fails-suid-run
/usr/bin/true fails-done
wait_for "$OUT" '"fails-done"'
stop_tracer

truth() { sed -n "s/^$1 //p" "$TMP/truth"; }
q() { jq -c "select($1)" "$OUT"; }

# --- seccomp ----------------------------------------------------------------
seccomp_checks=("seccomp refusal of execve: the caller got EPERM"
	"seccomp refusal of execve: shown as a failed exec, EPERM, with its path and argv")
if [ -z "$have_deny" ] && [ -z "$DRY" ]; then
	for t in "${seccomp_checks[@]}"; do skip "$t" "no helper from make test-progs, and no C compiler"; done
else
	check "${seccomp_checks[0]}" grep -q 'Operation not permitted' "$TMP/deny.err"
	rec=$(q '.args[1] == "fails-seccomp"')
	check "${seccomp_checks[1]}" jqe -s 'length == 1 and .[0].exe == "/usr/bin/true" and
		.[0].args == ["/usr/bin/true", "fails-seccomp", "two words"] and
		.[0].error == "EPERM" and .[0].args_unreadable == false' <<<"$rec"
fi

# --- argv that cannot be read -------------------------------------------------
check "argv a bad pointer: the call failed with EFAULT" test "$(truth efault)" = "-1 Bad address"
rec=$(q '.exe == "/usr/bin/true" and .error == "EFAULT"')
check "argv a bad pointer: no arguments, marked unreadable" \
	jqe -s 'length == 1 and .[0].args == [] and .[0].args_unreadable == true' <<<"$rec"
rec=$(q ".exe == \"$D/no-such-untouched\"")
check "argv in an untouched page: the call failed" test "$(truth untouched)" = "-1 No such file or directory"
check "argv in an untouched page: whole, or marked unreadable" \
	jqe -s 'length == 1 and (.[0].args == ["fails-untouched", "x"] or
		(.[0].args_unreadable and (.[0].args | length) < 2))' <<<"$rec"
rec=$(q ".exe == \"$D/no-such-emptyarg\"")
check "an empty argument: kept, not taken for an unreadable one" \
	jqe -s 'length == 1 and .[0].args == ["fails-emptyarg", "", "x"] and
		.[0].args_unreadable == false' <<<"$rec"
rec=$(q ".exe == \"$D/no-such-null\"")
check "argv NULL: empty, not marked unreadable" \
	jqe -s 'length == 1 and .[0].args == [] and .[0].args_unreadable == false' <<<"$rec"

# --- a check of a set-user-ID file --------------------------------------------
suid_checks=("set-user-ID file: a real exec by nobody changes privileges"
	"set-user-ID file: its check says nothing of privileges")
if [ -z "$have_check" ] && [ -z "$DRY" ]; then
	for t in "${suid_checks[@]}"; do skip "$t" "no helper from make test-progs, and no C compiler"; done
else
	check "${suid_checks[0]}" jqe -s 'length == 1 and .[0].secure == true and .[0].euid == 0' \
		<<<"$(q '.args == ["'"$D"'/suid-true", "fails-suid-run"] and .ret == 0')"
	check "${suid_checks[1]}" jqe -s 'length == 1 and .[0].check == true and .[0].secure == null' \
		<<<"$(q '.args == ["check-probe", "'"$D"'/suid-true"]')"
fi

# --- a file asked for by descriptor -------------------------------------------
fd=$(truth fd | cut -d' ' -f1)
check "fexecve of a file that is no program: the call failed" test -n "$(truth fd-file | grep -v '^0')"
rec=$(q '.args == ["fails-fd-file"]')
check "fexecve of a file: the descriptor and the file it named" \
	jqe -s --argjson fd "${fd:-0}" --arg path "$(truth fd | cut -d' ' -f2-)" \
	'length == 1 and .[0].exe_fd == $fd and .[0].exe == $path and
		.[0].exe_unreadable == false and .[0].exe_kind == "file"' <<<"$rec"
check "fexecve of a closed descriptor: EBADF" test "$(truth fd-none)" = "-1 Bad file descriptor"
rec=$(q '.args == ["fails-fd-none"]')
check "fexecve of a closed descriptor: the descriptor, no file" \
	jqe -s --argjson fd "${fd:-0}" \
	'length == 1 and .[0].exe_fd == $fd and .[0].exe == null and .[0].exe_unreadable == false and
		.[0].error == "EBADF"' <<<"$rec"
rec=$(q '.args == ["fails-fd-memfd"]')
check "fexecve of a memfd: the kernel's name, marked memfd" \
	jqe -s 'length == 1 and .[0].exe == "/memfd:fails-mem" and .[0].exe_kind == "memfd"' <<<"$rec"
rec=$(q '.args == ["fails-empty"]')
check "an empty path: ENOENT" test "$(truth empty)" = "-1 No such file or directory"
check "an empty path: shown empty, not unreadable" \
	jqe -s 'length == 1 and .[0].exe == "" and .[0].exe_unreadable == false and .[0].exe_fd == null' \
	<<<"$rec"

# --- the same in the table ------------------------------------------------------
start_tracer "$OUT.table" -x -H -b 1024 -o ret,secure,exe,args || { fail "execmon -x -o ... starts"; exit 0; }
PYTHONPATH=$TOOLS python3 - "$D" >"$TMP/table.fd" <<'EOF'
import ctypes, os, sys
from execcall import libc, SYS_execve, SYS_execveat, AT_EMPTY_PATH, argv
d = sys.argv[1]
fd = os.open(d + "/fd-target", os.O_RDONLY)
print(fd)
libc.syscall(SYS_execveat, fd, b"", argv("fails-table-fd"), None, AT_EMPTY_PATH)
os.close(fd)
libc.syscall(SYS_execveat, fd, b"", argv("fails-table-fd"), None, AT_EMPTY_PATH)
libc.syscall(SYS_execve, b"", argv("fails-table-empty"), None)
libc.syscall(SYS_execve, b"/usr/bin/true", ctypes.c_void_p(8), None)
EOF
[ -n "$have_check" ] && setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$CHECK_PROG" "$D/suid-true" >/dev/null
/usr/bin/true fails-table-done
wait_for "$OUT.table" 'fails-table-done'
stop_tracer
T=$OUT.table
fd=$(cat "$TMP/table.fd")
check "table: fexecve of a file shows the descriptor, then the file" \
	grep -qE "^E[A-Z]+ +- +\[fd:$fd\]$D/fd-target +fails-table-fd$" "$T"
check "table: fexecve of a closed descriptor shows the descriptor alone" \
	grep -qE "^EBADF +- +\[fd:$fd\] +fails-table-fd$" "$T"
check "table: an empty path is '', not ?" grep -qE "^ENOENT +- +'' +fails-table-empty$" "$T"
check "table: argv a bad pointer is marked" grep -qE '^EFAULT +- +/usr/bin/true +\[argv unreadable\]$' "$T"
if [ -z "$have_check" ] && [ -z "$DRY" ]; then
	skip "table: a check's SECURE is -" "no helper from make test-progs, and no C compiler"
else
	check "table: a check's SECURE is -" grep -qE "^check(:[A-Z]+)? +- +$D/suid-true +check-probe " "$T"
fi
