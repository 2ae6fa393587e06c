# The path walk: EXEC across mounts and dentries, each against what the
# kernel itself says of the running process (readlink /proc/PID/exe, read
# from here while it waits). Deleted binaries and paths of about 4000
# bytes are in hard.sh and trace.sh. Needs root.
SUITE=paths
. "$(dirname "$0")/lib.sh"

needs_root
OUT=$TMP/out
D=$(realpath "$TMP")
BUSYBOX=/bin/busybox	# static: it runs in a root of its own

# Each case is a command that ends by exec'ing a copy of sleep (or of
# busybox, as sleep) that waits, in a mount namespace of its own so that
# its mounts go with it; the copy's path ends in /NAME (/NAME/sleep for
# busybox, which takes its applet from its name).
declare -A pids truth cwd
start_case() {
	local name=$1
	shift
	unshare -m --propagation private sh -c "$1" sh "${@:2}" >"$TMP/$name.log" 2>&1 &
	pids[$name]=$!
}
# finish_case NAME: waits until the case's process runs its copy, keeps what
# /proc/PID/exe says, and ends it.
finish_case() {
	local pid=${pids[$1]} exe=
	for _ in $(seq 100); do
		exe=$(readlink /proc/"$pid"/exe 2>/dev/null)
		[[ $exe == */"$1" || $exe == */"$1 (deleted)" || $exe == */"$1"/sleep ]] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	truth[$1]=$exe
	cwd[$1]=$(readlink /proc/"$pid"/cwd 2>/dev/null)
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
# said NAME [FILTER]: the case's last record through jq FILTER (default:
# EXEC, as the kernel marks a deleted file).
said() {
	jq -r --argjson pid "${pids[$1]}" "select(.pid == \$pid) |
		${2:-.exe + (if .exe_deleted then \" (deleted)\" else \"\" end)}" "$OUT" | tail -n 1
}
# agrees NAME WHAT GOT WANT: execmon said GOT of the case where the kernel
# says WANT (none: the case was not set up).
agrees() {
	if [ -z "$4" ]; then
		# a mount or a copy that failed: the machine's, not execmon's
		skip "$2" "not set up: $(head -c 200 "$TMP/$1.log")"
	elif [ "$3" = "$4" ]; then
		pass "$2"
	else
		fail "$2" "execmon [$3], the kernel [$4] $(head -c 300 "$TMP/$1.log")"
	fi
}
# check_case NAME WHAT: EXEC is the kernel's /proc/PID/exe; check_cwd NAME
# WHAT: the working directory is its /proc/PID/cwd.
check_case() { agrees "$1" "$2" "$(said "$1")" "${truth[$1]}"; }
check_cwd() { agrees "$1" "$2" "$(said "$1" .cwd)" "${cwd[$1]}"; }

start_tracer "$OUT" --json || { fail "execmon --json starts"; exit 0; }

# A bind mount of a directory below a file system's root: the walk meets
# the mount's root (not the file system's) and goes on at its mount point.
mkdir -p "$D/src/sub" "$D/bind" && cp /usr/bin/sleep "$D/src/sub/pw-bind"
start_case pw-bind 'mount --bind "$1/src/sub" "$1/bind" && cd "$1/bind" && exec "$1/bind/pw-bind" 30' "$D"
finish_case pw-bind
# A bind mount of one file onto another.
mkdir -p "$D/file" && : >"$D/file/pw-file"
start_case pw-file 'mount --bind /usr/bin/sleep "$1/file/pw-file" && exec "$1/file/pw-file" 30' "$D"
finish_case pw-file
# Mounts stacked on one mount point: the top one is the path's.
mkdir -p "$D/stack"
start_case pw-stack 'mount -t tmpfs none "$1/stack" && mount -t tmpfs none "$1/stack" &&
	cp /usr/bin/sleep "$1/stack/pw-stack" && exec "$1/stack/pw-stack" 30' "$D"
finish_case pw-stack
# A file opened through a bind mount, then deleted: marked so, with the
# bind mount's path.
mkdir -p "$D/dsrc" "$D/dbind" && cp /usr/bin/sleep "$D/dsrc/pw-del"
start_case pw-del 'mount --bind "$1/dsrc" "$1/dbind" && exec python3 -c "
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.unlink(sys.argv[1])
os.execve(fd, [\"pw-del\", \"30\"], {})" "$1/dbind/pw-del"' "$D"
finish_case pw-del
# overlayfs: the path is the overlay's, not its lower layer's.
mkdir -p "$D/lower" "$D/upper" "$D/work" "$D/merged" && cp /usr/bin/sleep "$D/lower/pw-ovl"
start_case pw-ovl 'mount -t overlay overlay -o "lowerdir=$1/lower,upperdir=$1/upper,workdir=$1/work" \
	"$1/merged" && exec "$1/merged/pw-ovl" 30' "$D"
finish_case pw-ovl
# A chroot: the path in the mount namespace, from its root, as
# /proc/PID/exe shows it outside the chroot.
mkdir -p "$D/croot/pw-chroot" && cp "$BUSYBOX" "$D/croot/pw-chroot/sleep"
start_case pw-chroot 'exec chroot "$1/croot" /pw-chroot/sleep 30' "$D"
finish_case pw-chroot
# A mount namespace whose root is another file system (pivot_root): the
# path from that root, which the host cannot reach.
mkdir -p "$D/nsroot"
start_case pw-ns 'mount -t tmpfs none "$1/nsroot" && mkdir -p "$1/nsroot/old" "$1/nsroot/pw-ns" &&
	cp "$2" "$1/nsroot/pw-ns/sleep" && cd "$1/nsroot" && pivot_root . old &&
	exec /pw-ns/sleep 30' "$D" "$BUSYBOX"
finish_case pw-ns
# Six components below the root's mount (with $D, /tmp/execmon-test.*,
# two below it where /tmp is on /), the most the walk takes in one go,
# and seven, where it takes the rest step by step.
mkdir -p "$D/d6/a/b" "$D/d7/a/b/c/d" && cp /usr/bin/sleep "$D/d6/a/b/pw-d6" &&
	cp /usr/bin/sleep "$D/d7/a/b/c/pw-d7"
# The working directories walked the same way: seven components for the
# first, six for the second.
start_case pw-d6 'cd "$1/d7/a/b/c/d" && exec "$1/d6/a/b/pw-d6" 30' "$D"
finish_case pw-d6
start_case pw-d7 'cd "$1/d7/a/b/c" && exec "$1/d7/a/b/c/pw-d7" 30' "$D"
finish_case pw-d7
# A detached copy of a tree of mounts (open_tree): its root is a
# namespace's root of its own, and a mount below it on a subdirectory
# keeps that subdirectory in the path.
mkdir -p "$D/tree/sub"
start_case pw-tree 'mount -t tmpfs none "$1/tree/sub" && cp /usr/bin/sleep "$1/tree/sub/pw-tree" &&
	exec env PYTHONPATH="$2" python3 -c "
import os, sys, ctypes
from execcall import libc
OPEN_TREE_CLONE, AT_RECURSIVE, AT_FDCWD = 1, 0x8000, -100
tree = libc.syscall(428, AT_FDCWD, sys.argv[1].encode(), OPEN_TREE_CLONE | AT_RECURSIVE)
if tree < 0:
    sys.exit(\"open_tree: \" + os.strerror(ctypes.get_errno()))
os.execve(os.open(\"sub/pw-tree\", os.O_RDONLY, dir_fd=tree), [\"pw-tree\", \"30\"], {})" "$1/tree"' \
	"$D" "$TOOLS"
finish_case pw-tree
# A path longer than the 4096 bytes kept, reached by a relative exec from
# deep inside it (step by step: the whole path is too long for a system
# call): its end, and the count of what was cut.
comp=$(printf 'p%.0s' $(seq 200))
long=$D
for _ in $(seq 25); do long=$long/$comp; done
python3 -c 'import os, shutil, sys
os.chdir(sys.argv[1])
for _ in range(25):
    os.mkdir(sys.argv[2])
    os.chdir(sys.argv[2])
shutil.copy("/usr/bin/sleep", "pw-long")
os.execv("./pw-long", ["./pw-long", "30"])' "$D" "$comp" &
long_pid=$!
for _ in $(seq 100); do
	[ "$(cat /proc/$long_pid/comm 2>/dev/null)" = pw-long ] && break
	sleep 0.05
done
kill $long_pid 2>/dev/null
wait $long_pid 2>/dev/null

/usr/bin/true paths-done
wait_for "$OUT" '"paths-done"'
stop_tracer

check_case pw-bind "a bind mount of a subdirectory"
check_case pw-file "a bind mount of a file"
check_case pw-stack "mounts stacked on one mount point"
check_case pw-del "deleted after it was opened through a bind mount"
check_case pw-ovl "overlayfs: the overlay's path"
check_case pw-d6 "$(tr -cd / <<<"${truth[pw-d6]}" | wc -c) components"
check_case pw-d7 "$(tr -cd / <<<"${truth[pw-d7]}" | wc -c) components"
check_cwd pw-d6 "working directory: $(tr -cd / <<<"${cwd[pw-d6]}" | wc -c) components"
check_cwd pw-d7 "working directory: $(tr -cd / <<<"${cwd[pw-d7]}" | wc -c) components"
check_cwd pw-bind "working directory: a bind mount of a subdirectory"
check_case pw-tree "a mount on a subdirectory of a detached tree: the subdirectory kept"
check_case pw-chroot "a chroot: the whole path"
check_case pw-ns "a mount namespace of its own root: the path from that root"
check "a chroot: not the path inside it" test "$(said pw-chroot)" != /pw-chroot/sleep
check "a path past 4096 bytes: its end, and the count of the rest" python3 -c "
import json, sys
want = sys.argv[2] + '/pw-long'
ev = [e for e in map(json.loads, open(sys.argv[1])) if e['pid'] == int(sys.argv[3])][-1]
assert want.endswith(ev['exe']) and ev['exe'].endswith('/pw-long'), ev['exe'][-40:]
assert ev['exe_truncated'] + len(ev['exe']) == len(want), (ev['exe_truncated'], len(ev['exe']), len(want))
" "$OUT" "$long" "$long_pid"
