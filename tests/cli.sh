# Option parsing and start-up errors: no privileges needed.
SUITE=cli
. "$(dirname "$0")/lib.sh"

# bad_value NAME ARGS... WANT: execmon exits non-zero, prints nothing on
# stdout, and its error names WANT.
bad_value() {
	local name=$1 want=${*: -1} out err rc
	set -- "${@:2:$#-2}"
	out=$("$EXECMON" "$@" 2>"$TMP/err")
	rc=$?
	err=$(cat "$TMP/err")
	if [ $rc -ne 0 ] && [ -z "$out" ] && grep -qF -- "$want" <<<"$err"; then
		pass "$name"
	else
		fail "$name" "status $rc, stdout [$out], stderr [$err]"
	fi
}

bad_value "non-numeric pid" --pid abc "'abc'"
bad_value "pid zero" -p 0 "'0'"
bad_value "negative pid" -p -5 "'-5'"
bad_value "pid out of range" --pid 99999999999 "'99999999999'"
bad_value "pid with trailing junk" --pid 12x "'12x'"
bad_value "empty pid" --pid= "''"
bad_value "comm too long" --comm 0123456789abcdef "'0123456789abcdef'"
bad_value "empty comm" --comm= "''"
bad_value "two different comms" -c a -c b "'b'"
bad_value "bad ppid" --ppid x1 "'x1'"
bad_value "unknown user" --uid no-such-user-here "'no-such-user-here'"
bad_value "uid out of range" -u 4294967295 "'4294967295'"
bad_value "unknown field" -o pid,nope "'nope'"
bad_value "empty field in list" -o pid,,exe "'pid,,exe'"
bad_value "empty field list" --fields= "''"
bad_value "--fields with --json" --json -o pid "--json always carries every field"
bad_value "--time with --json" -j -T "--json always carries every field"
bad_value "buffer pages not a power of two" --buffer-pages 3 "'3'"
bad_value "buffer pages zero" -b 0 "'0'"
bad_value "too many pids" $(for i in $(seq 65); do echo -p $((4194000 + i)); done) "too many --pid values"
bad_value "command that does not exist" -- no-such-command-here "'no-such-command-here'"
bad_value "--output a directory" --output "$TMP" "can't write to '$TMP': it is a directory"
bad_value "--output in no directory" -w "$TMP/none/x.log" "can't write to '$TMP/none/x.log': No such file or directory"
bad_value "--output empty" --output= "invalid --output ''"
bad_value "--journal with --json" --journal --json "--journal and --json both choose where the records go"
bad_value "--journal with --output" --journal -w "$TMP/j" "--journal and --output both choose where the records go"
bad_value "--output given twice" -w "$TMP/a" -w "$TMP/b" "--output given twice"

# COMMAND that cannot be run: the statuses a shell gives, before tracing.
command_status() {
	local name=$1 want=$2 out rc
	shift 2
	out=$("$EXECMON" -- "$@" 2>"$TMP/err")
	rc=$?
	if [ $rc -eq "$want" ] && [ -z "$out" ] && grep -qF -- "'$1'" "$TMP/err"; then
		pass "$name"
	else
		fail "$name" "status $rc, stdout [$out], stderr [$(cat "$TMP/err")]"
	fi
}
printf 'not a program\n' >"$TMP/not-executable"
command_status "COMMAND not found: status 127" 127 no-such-command-here
command_status "COMMAND not found by its path: status 127" 127 "$TMP/no/such/file"
command_status "COMMAND not executable: status 126" 126 "$TMP/not-executable"
bad_value "--tree and a command" --tree 1 -- true "--tree and a COMMAND"
bad_value "--tree twice" --tree 1 --tree 1 "--tree given twice"
bad_value "--tree of no process" --tree 4194303 "'4194303': no such process"
bad_value "missing cgroup" --cgroup /no-such-cgroup-here "'/no-such-cgroup-here'"
bad_value "unknown option" --frobnicate "frobnicate"
bad_value "stray argument" stray "'stray'"
bad_value "missing option value" --pid "requires an argument"

out=$("$EXECMON" --help)
check "--help lists the options" grep -q -- '--pid=PID' <<<"$out"
"$EXECMON" --help >/dev/null
check "--help exits 0" test $? -eq 0
# argp wraps a line too long for the terminal's 80 columns at column 0:
# each example stays one indented line (or two, with the second indented)
check "--help: no example wrapped" \
	awk '/^EXAMPLES:/ { on = 1; next } on && /^$/ { exit } on { n++ } on && /^[^ ]/ { bad = 1 }
	     END { exit bad || !n }' \
	<<<"$out"
out=$("$EXECMON" --version)
check "--version names execmon and libbpf" grep -qE '^execmon [0-9.]+ .*libbpf [0-9]+\.[0-9]+' <<<"$out"
out=$("$EXECMON" --usage)
check "--usage shows the short form" grep -q 'Usage: execmon' <<<"$out"

# Without privileges: one clear line, non-zero, nothing traced.
if is_root; then
	unpriv=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all)
else
	unpriv=()
fi
out=$("${unpriv[@]}" "$EXECMON" 2>"$TMP/err")
rc=$?
if [ $rc -ne 0 ] && [ -z "$out" ] && grep -q 'needs root, or the capabilities CAP_BPF and CAP_PERFMON' "$TMP/err" &&
	[ "$(wc -l <"$TMP/err")" -eq 1 ]; then
	pass "unprivileged start explains what is needed"
else
	fail "unprivileged start explains what is needed" "status $rc, stderr [$(cat "$TMP/err")]"
fi

# A value that is not all digits is a user name, even if it starts with one.
bad_value "uid with letters after digits is a name" --uid 12x "unknown user '12x'"

# A closed stdout: said at once, before anything is loaded or run (the
# command would make the file). Without privileges the message is the same.
out=$("$EXECMON" -- touch "$TMP/ran" 2>"$TMP/err" >&-)
rc=$?
check "closed stdout: exit status 1" test $rc -eq 1
check "closed stdout: said so" grep -qx "execmon: standard output is closed: .*" "$TMP/err"
check "closed stdout: one line" test "$(wc -l <"$TMP/err")" -eq 1
check "closed stdout: nothing traced or run" test ! -e "$TMP/ran"
"$EXECMON" >&- 2>&-
check "closed stdout and stderr: exit status 1" test $? -eq 1
out=$("$EXECMON" 2>"$TMP/err" 1</dev/null)
rc=$?
check "read-only stdout: exit status 1" test $rc -eq 1
check "read-only stdout: said so" grep -q "standard output is open for reading only" "$TMP/err"

needs_root

# A user name that starts with a digit.
digit_user=4qa$$
for _ in $(seq 10); do	# again while another holds the lock on /etc/passwd
	useradd -M -N -s /usr/sbin/nologin "$digit_user" 2>"$TMP/err" ||
		useradd --badname -M -N -s /usr/sbin/nologin "$digit_user" 2>"$TMP/err"
	grep -q lock "$TMP/err" || break
	sleep 0.5
done
if id -u "$digit_user" >/dev/null 2>&1; then
	trap 'userdel "$digit_user" 2>/dev/null; cleanup' EXIT
	uid=$(id -u "$digit_user")
	if start_tracer "$TMP/out" -H -o uid,args --uid "$digit_user"; then
		/usr/bin/true not-that-user
		setpriv --reuid="$uid" --regid="$uid" --clear-groups /usr/bin/true digit-user
		wait_for "$TMP/out" digit-user
		stop_tracer
		check "--uid $digit_user: that user's execs" grep -qE "^ *$uid /usr/bin/true digit-user$" "$TMP/out"
		check "--uid $digit_user: no other user's" bash -c "! grep -q not-that-user '$TMP/out'"
	else
		fail "--uid $digit_user: traces" "$(cat "$TMP/out.err")"
	fi
	userdel "$digit_user"
else
	for t in "--uid $digit_user: that user's execs" "--uid $digit_user: no other user's"; do
		skip "$t" "useradd: $(cat "$TMP/err")"
	done
fi

# closed stdin and stderr are taken by /dev/null, not by execmon's own
# descriptors, which the command would otherwise find there
out=$("$EXECMON" -H -o args -- readlink /proc/self/fd/0 <&- 2>&-)
rc=$?
check "closed stdin: traces, exit status 0" test $rc -eq 0
check "closed stdin: the command's stdin is /dev/null" grep -qx /dev/null <<<"$out"
out=$("$EXECMON" -H -o args -- /usr/bin/true stderr-closed 2>&-)
check "closed stderr: traces" grep -qx '/usr/bin/true stderr-closed' <<<"$out"
