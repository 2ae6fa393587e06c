# What differs by architecture, tested where it can be: a 32-bit ARM
# program under an arm64 kernel (CONFIG_COMPAT), whose calls are numbered
# in AArch32's table, where arm64's own execve (221) and execveat (281)
# are fcntl64 and socket. x86's 32-bit calls are hard.sh's. Needs root.
SUITE=arch
. "$(dirname "$0")/lib.sh"

needs_root

# is_arm32 FILE: FILE is a 32-bit ARM ELF program (EI_CLASS 1, e_machine
# 40), whatever its name.
is_arm32() {
	[ -f "$1" ] && [ "$(od -An -tx1 -N5 "$1" 2>/dev/null | tr -d ' \n')" = 7f454c4601 ] &&
		[ "$(od -An -tu2 -j18 -N2 "$1" 2>/dev/null | tr -d ' ')" = 40 ]
}

# A busybox of its own (Debian's busybox-static:armhf, say), which the
# arm64 guests of the kernel matrix have as /bin/busybox.
bb=
for f in ${ARM32_PROG:-} /bin/busybox /usr/bin/busybox "$(command -v busybox 2>/dev/null)"; do
	if is_arm32 "$f"; then
		bb=$f
		break
	fi
done

OUT=$TMP/out
checks=("32-bit ARM: its redirection of a closed descriptor and its socket past its limit failed"
	"32-bit ARM: a failed execve shown with its error and argv"
	"32-bit ARM: calls numbered as arm64's execve and execveat (fcntl64, socket) not shown")
if [ "$(uname -m)" != aarch64 ]; then
	for t in "${checks[@]}"; do skip "$t" "an arm64 kernel is needed"; done
elif [ -z "$bb" ]; then
	for t in "${checks[@]}"; do skip "$t" "no 32-bit ARM busybox here (busybox-static:armhf)"; done
elif [ "$("$bb" sh -c 'echo ok' 2>/dev/null)" != ok ]; then
	for t in "${checks[@]}"; do skip "$t" "this kernel runs no 32-bit ARM programs (CONFIG_COMPAT)"; done
else
	start_tracer "$OUT" -x --json || { fail "execmon -x --json starts"; exit 0; }
	missing=$TMP/no-such-arm32
	# A redirection from a closed descriptor (fcntl64 on it fails, EBADF),
	# a socket past the limit of descriptors (EMFILE), then an exec of a
	# path that is not there (ENOENT).
	# shellcheck disable=SC2016
	"$bb" sh -c '{ :; } 7<&9 2>/dev/null || echo redirection-failed
		(ulimit -n 3; exec "$0" nc 127.0.0.1 9) 2>/dev/null || echo socket-failed
		exec "$1" "one two"' "$bb" "$missing" >"$TMP/bb.out" 2>&1 &
	pid=$!
	wait $pid
	/usr/bin/true arch-done
	# generous: a guest under emulation is slow to print
	for _ in $(seq 300); do
		grep -q '"arch-done"' "$OUT" && break
		sleep 0.1
	done
	stop_tracer
	mine=$(jq -c "select((.pid == $pid or .ppid == $pid) and .ret != 0)" "$OUT")
	check "${checks[0]}" test "$(grep -c 'redirection-failed\|socket-failed' "$TMP/bb.out")" = 2
	check "${checks[1]}" test "$(jq -c 'select(.pid == '"$pid"') | [.exe, .args, .ret]' <<<"$mine")" \
		= "[\"$missing\",[\"$missing\",\"one two\"],-2]"
	if [ "$(grep -c . <<<"$mine")" = 1 ]; then
		pass "${checks[2]}"
	else
		fail "${checks[2]}" "$(tr '\n' ' ' <<<"$mine")"
	fi
fi
