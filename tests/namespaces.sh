# execmon where containers run it: in a pid namespace, a time namespace, a
# user namespace; and a thread id given where a process is wanted. Needs
# root.
SUITE=namespaces
. "$(dirname "$0")/lib.sh"

needs_root

# A user namespace's capabilities are not the initial namespace's: the
# message says so, not a security module, with status 1 and nothing on
# stdout; with root mapped (a rootless container's root) and without.
for how in "-r" ""; do
	name="in a user namespace${how:+ as its root}"
	rc=0
	[ -n "$DRY" ] || unshare -U $how "$EXECMON" -- /usr/bin/true >"$TMP/userns.out" 2>"$TMP/userns.err" || rc=$?
	check "$name: exit status 1" test $rc -eq 1
	check "$name: nothing on stdout" test ! -s "$TMP/userns.out"
	if [ -n "$DRY" ] || { [ "$(wc -l <"$TMP/userns.err")" -eq 1 ] &&
		grep -qE 'initial user namespace.*runs in another one \(user:\[[0-9]+\]\)' "$TMP/userns.err" &&
		! grep -qE 'SELinux|AppArmor|sudo' "$TMP/userns.err"; }; then
		pass "$name: the message names the user namespace, not a security module"
	else
		fail "$name: the message names the user namespace, not a security module" "$(cat "$TMP/userns.err")"
	fi
done

# --tree with a thread's id: refused as usage (64) before anything is
# loaded, naming the thread and its process; its process is fine.
tid_of() {
	python3 - "$TMP/threads" <<'EOF' &
import os, sys, threading
done = threading.Event()
def run():
    with open(sys.argv[1] + ".tmp", "w") as f:
        print(os.getpid(), threading.get_native_id(), file=f)
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    done.wait(60)
t = threading.Thread(target=run)
t.start()
t.join()
EOF
	THREADS_PID=$!
	for _ in $(seq 200); do [ -s "$TMP/threads" ] && return 0; sleep 0.05; done
	return 1
}
tree_checks=("--tree with a thread id: exit status 64" "--tree with a thread id: nothing on stdout"
	"--tree with a thread id: names the thread and its process"
	"--tree with that thread's process: traces")
if [ -n "$DRY" ] || tid_of; then
	read -r tgid tid <"$TMP/threads" 2>/dev/null
	rc=0
	[ -n "$DRY" ] || timeout 20 "$EXECMON" --tree "$tid" >"$TMP/tid.out" 2>"$TMP/tid.err" || rc=$?
	check "${tree_checks[0]}" test $rc -eq 64
	check "${tree_checks[1]}" test ! -s "$TMP/tid.out"
	check "${tree_checks[2]}" grep -q "invalid --tree '$tid': a thread of process $tgid.*--tree $tgid\$" "$TMP/tid.err"
	start_tracer "$TMP/tgid.out" --tree "$tgid"
	check "${tree_checks[3]}" test $? -eq 0
	stop_tracer
	[ -n "$DRY" ] || { kill "$THREADS_PID"; wait "$THREADS_PID"; } 2>/dev/null
else
	for t in "${tree_checks[@]}"; do fail "$t" "no thread to test with"; done
fi
