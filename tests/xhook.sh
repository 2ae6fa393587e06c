# Where -x hooks the exec calls: the hook the kernel gives (fexit, else
# kprobes) and each one forced with EXECMON_FAILS_HOOK show the
# same failed execs; no program of -x sits on the raw sys_enter/sys_exit
# tracepoints; a process that makes many system calls but no exec runs none
# of them. Needs root.
SUITE=xhook
. "$(dirname "$0")/lib.sh"

needs_root

jqe() { jq -e "$@" >/dev/null; }
# (Debian's, without the detour of a version manager's shims in PATH)
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
D=$TMP/d
mkdir -p "$D"
DENY=$TMP/seccomp_deny
have_deny=
test_prog seccomp_deny "$DENY" && have_deny=1

# A few failed execs, each as the caller made it; prints what the kernel said.
cat >"$TMP/calls.py" <<'EOF'
import ctypes, os, sys
from execcall import libc, SYS_execve, SYS_execveat, AT_EMPTY_PATH, argv, tell
d, tag = sys.argv[1], sys.argv[2]

tell("enoent", libc.syscall(SYS_execve, (d + "/no-such").encode(),
                            argv("xhook-enoent-" + tag, "two words", ""), None))
tell("eacces", libc.syscall(SYS_execve, (d + "/not-exec").encode(),
                            argv("xhook-eacces-" + tag), None))
tell("efault", libc.syscall(SYS_execve, b"/usr/bin/true", ctypes.c_void_p(8), None))
fd = os.open(d + "/not-exec", os.O_RDONLY)
os.close(fd)
tell("ebadf", libc.syscall(SYS_execveat, fd, b"", argv("xhook-ebadf-" + tag), None, AT_EMPTY_PATH))
tell("enotdir", libc.syscall(SYS_execveat, os.open(d + "/not-exec", os.O_RDONLY), b"x",
                             argv("xhook-enotdir-" + tag), None, 0))

# Past the point of no return, which kills the caller: a binary, and a
# script whose interpreter is that binary (run by a relative path, which
# the kernel's copy of argv holds as given).
def late(name, path, words):
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(d)
            os.execv(path, words)
        finally:
            os._exit(127)
    print(name, os.waitpid(pid, 0)[1], flush=True)

late("late", d + "/late-elf", ["xhook-late-" + tag, "two words"])
script = "xhook-lscript-" + tag
with open(d + "/" + script, "w") as f:
    f.write("#!" + d + "/late-elf\n")
os.chmod(d + "/" + script, 0o755)
late("lscript", script, ["lscript", "one", "last"])
EOF
printf 'not a program\n' >"$D/not-exec"
chmod 644 "$D/not-exec"
python3 "$TOOLS/late_elf.py" "$D/late-elf"

# run_failed TAG OUT [ENV...]: execmon -x --json under ENV, the calls
# above, a refusal by seccomp, then OUT holds the records whose first
# or second argument is one of theirs, ending with TAG (and the one EFAULT of /usr/bin/true, which has
# none), fields that do not depend on the run. 1 when execmon did not start.
run_failed() {
	local tag=$1 out=$2
	shift 2
	[ -n "$DRY" ] && return 0
	env "$@" "$EXECMON" -x --json -v -b 1024 >"$out.raw" 2>"$out.err" &
	TRACER_PID=$!
	local started=
	for _ in $(seq 600); do
		ls -l /proc/"$TRACER_PID"/fd 2>/dev/null | grep -q 'anon_inode:bpf_link' && { started=1; break; }
		kill -0 "$TRACER_PID" 2>/dev/null || break
		sleep 0.05
	done
	[ -n "$started" ] || { wait "$TRACER_PID" 2>/dev/null; TRACER_PID=; return 1; }
	PYTHONPATH=$TOOLS $PY "$TMP/calls.py" "$D" "$tag" >"$out.truth"
	[ -n "$have_deny" ] && "$DENY" execve /usr/bin/true "xhook-seccomp-$tag" 2>/dev/null
	/usr/bin/true "xhook-done-$tag"
	wait_for "$out.raw" "\"xhook-done-$tag\""
	stop_tracer
	jq -c --arg tag "$tag" 'def ours: startswith("xhook-") and endswith("-" + $tag);
		select(.ret != 0 and ((.args[0] // "" | ours) or (.args[1] // "" | ours) or
		(.exe == "/usr/bin/true" and .error == "EFAULT")))
		| {exe, args: (.args | map(sub("-" + $tag + "$"; ""))), error, args_unreadable, exe_fd}' \
		"$out.raw" | sed "s,$D,D,g" | sort >"$out"
}

# the hook execmon says it picked, from its verbose log
hook_of() { sed -n 's/^execmon: failed execs hooked by \([a-z]*\):.*/\1/p' "$1"; }

run_failed default "$TMP/default" || fail "execmon -x starts"
hook=$(hook_of "$TMP/default.err")
[ -n "$DRY" ] && hook=fexit
check "-x says which hook it picked" test -n "$hook"

check "default hook: each failed exec shown once, with the error its caller got" \
	$PY - "$TMP/default" "$TMP/default.truth" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
truth = dict(l.split(" ", 1) for l in open(sys.argv[2]).read().splitlines())
want = {"enoent": "ENOENT", "eacces": "EACCES", "ebadf": "EBADF", "enotdir": "ENOTDIR"}
for name, err in want.items():
    assert truth[name].startswith("-1 "), (name, truth[name])
    got = [r for r in recs if r["args"] and r["args"][0] == "xhook-" + name]
    assert len(got) == 1 and got[0]["error"] == err, (name, got)
assert [r["args"] for r in recs if r["args"] and r["args"][0] == "xhook-enoent"] == \
    [["xhook-enoent", "two words", ""]]
assert len([r for r in recs if r["error"] == "EFAULT" and r["args_unreadable"]]) == 1
late = [r for r in recs if r["args"] and r["args"][0] == "xhook-late"]
assert [(r["exe"], r["args"], r["error"]) for r in late] == \
    [("D/late-elf", ["xhook-late", "two words"], "EINVAL")], late
EOF
# A script that fails late shows the kernel's copy of its argv, which its
# interpreter line changed: the interpreter, the script, then the caller's
# arguments but the first. With the system call tracepoints, the count of
# that copy's strings is the caller's (see the README): one fewer here.
name="default hook: a script failing past the point of no return, with the kernel's argv"
lscript='{"exe":"D/late-elf","args":["D/late-elf","xhook-lscript","one","last"],"error":"EINVAL","args_unreadable":false,"exe_fd":null}'
if [ "$hook" = tracepoint ]; then
	skip "$name" "the system call tracepoints count the caller's arguments"
else
	check "$name" test "$(grep '"xhook-lscript"' "$TMP/default")" = "$lscript"
fi

# same_as_default HOOK: the run with HOOK forced used it, and saw what the
# default one saw; but for the script that fails late where one of the two
# is the system call tracepoints' (above)
same_as_default() {
	local skip='^$'

	[ "$1" = tracepoint ] || [ "$hook" = tracepoint ] && skip='"xhook-lscript"'
	[ "$(hook_of "$TMP/$1.err")" = "$1" ] &&
		cmp -s <(grep -v "$skip" "$TMP/default") <(grep -v "$skip" "$TMP/$1")
}

# Each hook forced gives the same records; a kernel without one says so.
for h in fexit kprobe tracepoint; do
	name="EXECMON_FAILS_HOOK=$h: the same failed execs as the default hook"
	if [ -n "$DRY" ]; then
		skip "$name" "$DRY"
	elif ! run_failed "$h" "$TMP/$h" EXECMON_FAILS_HOOK=$h; then
		if grep -q "EXECMON_FAILS_HOOK=$h: this kernel" "$TMP/$h.err"; then
			skip "$name" "$(sed -n 's/^execmon: EXECMON_FAILS_HOOK=[a-z]*: //p' "$TMP/$h.err")"
		else
			fail "$name" "execmon did not start: $(cat "$TMP/$h.err")"
		fi
	else
		check "$name" same_as_default "$h"
	fi
done
name="the refusal by seccomp is among them"
if [ -z "$have_deny" ] && [ -z "$DRY" ]; then
	skip "$name" "no helper from make test-progs, and no C compiler"
else
	check "$name" grep -q '"args":\["/usr/bin/true","xhook-seccomp"\],"error":"EPERM"' "$TMP/default"
fi

# --- where the programs of -x are -------------------------------------------
last_resort=
[ "$hook" = tracepoint ] &&
	last_resort="this kernel has neither BPF trampolines nor kprobes: -x uses the raw tracepoints"

# xprogs PID: the ids of the programs PID holds, but the exec program's
xprogs() {
	local id
	for id in $(bpf_ids "$1" | sed -n 's/^prog //p'); do
		bpftool prog show id "$id" -j | jq -r 'select(.name | startswith("execmon_exec") | not) | .id'
	done
}

# links PID: each BPF link PID holds, as bpftool shows it (JSON, a line each)
links() {
	local id
	for id in $(cat /proc/"$1"/fdinfo/* 2>/dev/null | sed -n 's/^link_id:[[:space:]]*//p' | sort -u); do
		bpftool link show id "$id" -j
	done
}

start_tracer "$TMP/where" -x || fail "execmon -x starts"
if [ -n "$DRY" ]; then
	:
else
	links "$TRACER_PID" >"$TMP/links"
	xprogs "$TRACER_PID" >"$TMP/xprogs"
fi
name="-x: no program on the raw sys_enter or sys_exit tracepoints"
if [ -n "$last_resort" ]; then
	skip "$name" "$last_resort"
else
	check "$name" jqe -s 'length > 1 and all(.[]; (.tp_name // "") as $t |
		$t != "sys_enter" and $t != "sys_exit")' "$TMP/links"
fi
check "-x: programs of its own besides the exec one" test -s "$TMP/xprogs"

# The run counts of the -x programs, from the kernel's BPF statistics
# (BPF_ENABLE_STATS: on while the descriptor is open, without touching
# the sysctl that others may have set), across N system calls that are no
# exec, then across one failed exec.
cat >"$TMP/stats.py" <<'EOF'
import ctypes, json, os, subprocess, sys
ids = sys.argv[2:]
n = int(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
SYS_bpf, SYS_execve = {"x86_64": (321, 59), "aarch64": (280, 221)}[os.uname().machine]
attr = ctypes.create_string_buffer(8)	# BPF_STATS_RUN_TIME (0)
fd = libc.syscall(SYS_bpf, 32, attr, 8)	# BPF_ENABLE_STATS
if fd < 0:
    sys.exit("BPF_ENABLE_STATS: " + os.strerror(ctypes.get_errno()))

def runs():
    total = 0
    for i in ids:
        p = json.loads(subprocess.run(["bpftool", "prog", "show", "id", i, "-j"],
                                      capture_output=True, check=True).stdout)
        total += p.get("run_cnt", 0)
    return total

zero = os.open("/dev/zero", os.O_RDONLY)
before = runs()
for _ in range(n // 2):
    os.getpid()
    os.read(zero, 1)
after = runs()
libc.syscall(SYS_execve, b"/nonexistent/xhook-stats", None, None)
print(after - before, runs() - after)
EOF
# (fewer under emulation, where tests/kernels/run sets STORM_EXECS)
N=100000
[ -n "${STORM_EXECS:-}" ] && N=20000
stats=
[ -z "$DRY" ] && stats=$($PY "$TMP/stats.py" "$N" $(cat "$TMP/xprogs") 2>"$TMP/stats.err")
stop_tracer
read -r storm one <<<"$stats"
name="-x: $N system calls that are no exec run none of its programs"
if [ -n "$last_resort" ]; then
	skip "$name" "$last_resort"
elif [ -z "$DRY" ] && [ -z "$stats" ]; then
	fail "$name" "no statistics: $(cat "$TMP/stats.err")"
else
	# (other processes' execs run them too: far fewer than one per call)
	check "$name" test "${storm:-0}" -lt $((N / 4))
fi
check "-x: a failed exec runs them (the count is real)" test "${one:-0}" -ge 1
