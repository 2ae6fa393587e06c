# Over execmon's life: signals before tracing has begun, output that fails
# while a command is followed, users that appear while it runs. Needs root.
SUITE=lifecycle
. "$(dirname "$0")/lib.sh"

needs_root
OUT=$TMP/out

# handler_ready PID: PID catches SIGINT (SigCgt bit 1). Before that, a
# SIGINT to a background job of a script is ignored, as bash sets it.
handler_ready() {
	local mask
	mask=$(awk '/^SigCgt:/ { print $2 }' /proc/"$1"/status 2>/dev/null)
	[ -n "$mask" ] && (( (0x$mask >> 1) & 1 ))
}

# wait_exit PID: waits for PID, a child of this shell, to end and sets rc
# to its status; kills it after 60 s, so that a hang fails, not stalls.
wait_exit() {
	for _ in $(seq 600); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1"
	rc=$?
}

# A signal at any moment before tracing ends execmon quietly with status
# 0, as one during tracing does, and nothing stays loaded. Where it lands
# (before, during or after the load) depends on the machine's speed.
early_signal() {
	local sig=$1 delay=$2 pid ids name="$1 ${2}s after start"
	"$EXECMON" >"$OUT" 2>"$OUT.err" &
	pid=$!
	for _ in $(seq 1000); do handler_ready $pid && break; sleep 0.02; done
	sleep "$delay"
	ids=$(bpf_ids $pid; for c in $(pgrep -P $pid); do bpf_ids "$c"; done)
	kill -"$sig" $pid
	wait_exit $pid
	if [ $rc -eq 0 ] && [ ! -s "$OUT.err" ]; then
		pass "$name: status 0, quietly"
	else
		fail "$name: status 0, quietly" "status $rc, stderr [$(cat "$OUT.err")]"
	fi
	check "$name: nothing left loaded" bpf_ids_gone "$ids"
}
for delay in 0 0.01 0.05 0.1; do early_signal INT $delay; done
early_signal TERM 0.01

# Helpers that run no program, so that they are quick even where every
# exec is slow (an emulated VM). first_child PID: its oldest child.
first_child() {
	local kids
	if [ -r /proc/"$1"/task/"$1"/children ]; then
		read -r kids _ 2>/dev/null </proc/"$1"/task/"$1"/children
	else
		kids=$(pgrep -o -P "$1")
	fi
	echo "$kids"
}
# attached PID: PID holds a BPF link (its fdinfo has a link_id).
attached() {
	local f k
	for f in /proc/"$1"/fdinfo/*; do
		while read -r k _; do
			[ "$k" = link_id: ] && return 0
		done 2>/dev/null <"$f"
	done
	return 1
}
# stopped PID: PID is in the stopped state, not running nor a zombie.
stopped() {
	local state
	for _ in $(seq 100); do
		read -r _ _ state _ 2>/dev/null </proc/"$1"/stat || return 1
		[ "$state" = T ] && return 0
		[ "$state" = Z ] && return 1
		sleep 0.01
	done
	return 1
}

# catch_child PHASE ARGS: starts execmon with ARGS and holds its child
# stopped, for certain: with PHASE load, the loader (execmon's only child
# before it attaches), during the load; with PHASE start, the start-up
# check's marker (its first child past the attach), which execmon waits
# for before tracing begins. A try that missed is made again, 20 at most.
# Sets pid and child; fails, child empty, if none was caught.
catch_child() {
	local phase=$1
	shift
	for _ in $(seq 20); do
		child=
		[ -n "$DRY" ] && return 1
		"$EXECMON" "$@" >"$OUT" 2>"$OUT.err" &
		pid=$!
		if [ "$phase" = load ]; then
			while kill -0 $pid 2>/dev/null && ! attached $pid; do
				child=$(first_child $pid)
				if [ -n "$child" ] && kill -STOP "$child" 2>/dev/null; then
					# still not attached once it stopped: it is the loader
					stopped "$child" && ! attached $pid && return 0
					kill -CONT "$child" 2>/dev/null
				fi
			done
		else
			while kill -0 $pid 2>/dev/null && ! attached $pid; do :; done
			child=$(first_child $pid)
			if [ -n "$child" ] && kill -STOP "$child" 2>/dev/null; then
				stopped "$child" && handler_ready $pid && return 0
				kill -CONT "$child" 2>/dev/null
			fi
		fi
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
	done
	child=
	return 1
}

# A signal during the load: the loader is held while it comes. With BOTH,
# the loader gets it too, as from a Ctrl-C to the whole process group.
# ARGS go to execmon. Sets pid to the last try's.
signal_in_load() {
	local sig=$1 both=$2 name=$3
	shift 3
	if ! catch_child load "$@"; then
		skip "$name: status 0, nothing printed" "${DRY:-the load was never caught while it ran}"
		skip "$name: the loader is gone with execmon" "${DRY:-the load was never caught while it ran}"
		return 1
	fi
	kill -"$sig" $pid ${both:+$child}
	sleep 0.2
	kill -CONT "$child"
	wait_exit $pid
	if [ $rc -eq 0 ] && [ ! -s "$OUT.err" ] && [ ! -s "$OUT" ]; then
		pass "$name: status 0, nothing printed"
	else
		fail "$name: status 0, nothing printed" "status $rc, stdout [$(head -c 200 "$OUT")], stderr [$(cat "$OUT.err")]"
	fi
	check "$name: the loader is gone with execmon" bash -c "! kill -0 $child 2>/dev/null"
}
signal_in_load INT "" "INT during the load"
signal_in_load INT both "INT during the load, to the loader too"
signal_in_load TERM "" "TERM during the load"
# the command's file is named after its parent, the try's execmon
if signal_in_load INT both "INT during the load of -- COMMAND" -- sh -c 'touch "$0.$PPID"' "$TMP/ran"; then
	check "INT during the load of -- COMMAND: the command never runs" test ! -e "$TMP/ran.$pid"
else
	skip "INT during the load of -- COMMAND: the command never runs" "the load was never caught while it ran"
fi

# Once attached, before tracing has begun: the start-up check's marker is
# held while an exec runs and the signal comes. The exec was traced: it
# is shown.
if catch_child start -o args; then
	/usr/bin/true after-attach-$pid
	kill -INT $pid
	kill -CONT "$child"
	wait_exit $pid
	check "INT after the attach: status 0" test "$rc" -eq 0
	check "INT after the attach: the exec traced is shown" grep -qx "/usr/bin/true after-attach-$pid" "$OUT"
else
	skip "INT after the attach: status 0" "${DRY:-the start-up check was never caught}"
	skip "INT after the attach: the exec traced is shown" "${DRY:-the start-up check was never caught}"
fi

# The output fails while following a command (a full disk): tracing stops,
# the error is said once, the command runs to its end, and the status is 1.
rm -f "$TMP/done"
"$EXECMON" -- sh -c "sleep 1; echo done >'$TMP/done'; exit 5" >/dev/full 2>"$OUT.err"
rc=$?
check "full disk while following: the command ran to its end" test -e "$TMP/done"
check "full disk while following: exit status 1" test $rc -eq 1
check "full disk while following: the error said once" \
	test "$(grep -c "can't write the output: No space left on device" "$OUT.err")" -eq 1

# A user added while execmon runs shows by name, not as the number it had
# when it had no name; and by number again once removed.
uid=
for u in $(seq $((30000 + $$ % 20000)) $((30000 + $$ % 20000 + 100))); do
	getent passwd "$u" >/dev/null || { uid=$u; break; }
done
name=elc$$
run_as() { setpriv --reuid="$uid" --regid="$uid" --clear-groups /usr/bin/true "$@"; }
# shows_as WANT TAG: runs execs as uid until one shows with WANT in the
# user column (the name cache looks at /etc/passwd once a second).
shows_as() {
	for i in $(seq 20); do
		run_as "$2-$i"
		wait_for "$OUT" "$2-$i\$" || return 1
		grep -qE "^ *$uid +$1 +/usr/bin/true $2-$i\$" "$OUT" && return 0
		sleep 0.5
	done
	return 1
}
# useradd_retry ARGS: useradd, again while another holds the lock.
useradd_retry() {
	for _ in $(seq 10); do
		useradd "$@" 2>"$TMP/useradd.err" && return 0
		grep -q lock "$TMP/useradd.err" || return 1
		sleep 0.5
	done
	return 1
}
user_checks=("user added while tracing: a number before" "user added while tracing: its name after"
	"user removed while tracing: a number again")
if [ -z "$uid" ]; then
	for t in "${user_checks[@]}"; do skip "$t" "no free uid"; done
elif start_tracer "$OUT" -o uid,user,args --uid "$uid"; then
	trap 'userdel "$name" 2>/dev/null; cleanup' EXIT
	run_as nameless
	wait_for "$OUT" nameless
	check "${user_checks[0]}" grep -qE "^ *$uid +$uid +/usr/bin/true nameless$" "$OUT"
	if useradd_retry -u "$uid" -M -N -s /usr/sbin/nologin "$name"; then
		check "${user_checks[1]}" shows_as "$name" named
		userdel "$name"
		check "${user_checks[2]}" shows_as "$uid" removed
	else
		for t in "${user_checks[@]:1}"; do skip "$t" "useradd: $(cat "$TMP/useradd.err")"; done
	fi
	stop_tracer
else
	fail "user added while tracing: execmon starts"
fi

# A second signal ends execmon at once with 128+N, following a command or
# not, and the command it follows runs on.
if start_tracer "$OUT" -- sh -c 'trap "" TERM; sleep 60 & wait; sleep 60'; then
	pid=$TRACER_PID
	TRACER_PID=
	wait_for "$OUT" 'sleep 60$'	# the command runs, its trap set
	kill -TERM "$pid"
	sleep 0.3
	alive_first=$(kill -0 "$pid" 2>/dev/null && echo yes)
	kill -TERM "$pid"
	wait_exit "$pid"
	check "a second signal while following: ends execmon with 128+15" \
		test "$alive_first:$rc" = yes:143
	check "a second signal while following: the command runs on" \
		pgrep -f 'trap "" TERM; sleep 60' >/dev/null
	pkill -KILL -f 'trap "" TERM; sleep 60'
else
	fail "a second signal while following: execmon starts"
fi

# A reader that stalls: the first signal waits to write what was captured,
# a second ends execmon at once. (Not in a dry run: opening the pipe would
# wait for a reader that never comes.)
stall() {
mkfifo "$TMP/stall"
sleep 120 <"$TMP/stall" &
stalled_reader=$!
"$EXECMON" >"$TMP/stall" 2>"$OUT.err" &
pid=$!
for _ in $(seq 100); do
	ls -l /proc/"$pid"/fd 2>/dev/null | grep -q 'anon_inode:bpf_link' && break
	sleep 0.05
done
# more lines than a pipe holds
for i in $(seq 800); do /usr/bin/true "stall-$i-$(printf '%0200d' 0)"; done
sleep 0.3
kill -TERM "$pid"
sleep 0.5
alive_first=$(kill -0 "$pid" 2>/dev/null && echo yes)
kill -TERM "$pid"
wait_exit "$pid"
kill "$stalled_reader" 2>/dev/null
}
[ -n "$DRY" ] || stall
check "a stalled reader: the first signal waits for it" test "$alive_first" = yes
check "a stalled reader: a second signal ends execmon with 128+15" test "$rc" = 143
check "a stalled reader: the second signal says so" grep -q "second signal" "$OUT.err"
