# The smoke test of kernels that run no full suite: execmon loads and
# traces in every mode, and each mode prints the exec made for it. POSIX sh,
# for busybox in an initramfs as well as for the host's shells; as root.
# Prints PASS/FAIL lines and a last "N passed, N failed, N skipped" line,
# like tests/run. Nothing here sleeps for a fixed time: under emulation
# verifying the BPF program alone can take many seconds.
#   sh tests/kernels/smoke.sh       (EXECMON=path, default build/execmon)
EXECMON=${EXECMON:-${BUILD:-build}/execmon}
case $EXECMON in /*) ;; *) EXECMON=$PWD/$EXECMON ;; esac
# How long to wait for execmon to start, and for a line, in tenths of a second.
START_WAIT=${SMOKE_START_WAIT:-1800}
LINE_WAIT=${SMOKE_LINE_WAIT:-300}

TMP=$(mktemp -d /tmp/execmon-smoke.XXXXXX)
npass=0 nfail=0 tracer=
trap '[ -n "$tracer" ] && kill -KILL $tracer 2>/dev/null; rm -rf "$TMP"' EXIT
pass() { echo "PASS smoke: $1"; npass=$((npass + 1)); }
fail() { echo "FAIL smoke: $1${2:+: $2}"; nfail=$((nfail + 1)); }
check() { name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }

TRUE=/bin/true
EXE=$(readlink -f $TRUE)

# start OUT OPTIONS...: starts execmon and waits until it holds a BPF link,
# which it does once it is tracing.
start() {
	out=$1
	shift
	"$EXECMON" "$@" >"$out" 2>"$out.err" &
	tracer=$!
	i=0
	while [ $i -lt "$START_WAIT" ]; do
		for f in /proc/$tracer/fd/*; do
			case $(readlink "$f" 2>/dev/null) in *bpf_link*) return 0 ;; esac
		done
		kill -0 $tracer 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	fail "execmon $* starts" "$(cat "$out.err")"
	kill -KILL $tracer 2>/dev/null
	wait $tracer 2>/dev/null
	tracer=
	return 1
}

# stop: SIGINT, and execmon's exit status.
stop() {
	kill -INT $tracer
	wait $tracer
	rc=$?
	tracer=
	return $rc
}

# Never a bare "wait" while execmon runs: it would wait for execmon too.

# wait_for FILE PATTERN: until a line of FILE matches the grep -E pattern.
wait_for() {
	i=0
	while [ $i -lt "$LINE_WAIT" ]; do
		grep -qE -- "$2" "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# has OUT PATTERN NAME: a check that OUT gets a line matching PATTERN.
has() { if wait_for "$1" "$2"; then pass "$3"; else fail "$3" "no line matching $2 in: $(head -c 600 "$1")"; fi; }
lacks() { if grep -qE -- "$2" "$1"; then fail "$3" "$(grep -E -- "$2" "$1" | head -n 3)"; else pass "$3"; fi; }

# hold, then (read _ <"$TMP/go"; exec ...) &: a process that waits, with its
# PID known, until release.
hold() { mkfifo "$TMP/go"; }
release() { : >"$TMP/go"; rm -f "$TMP/go"; }

echo "smoke: $(uname -r), $("$EXECMON" --version 2>&1 | head -n 1)"

# The default table.
if start "$TMP/table"; then
	$TRUE smoke-table &
	pid=$!
	wait $pid
	has "$TMP/table" "^ *$pid +$EXE +$TRUE smoke-table\$" "table: the exec's line"
	has "$TMP/table" '^ +PID +EXEC +ARGS$' "table: header"
	check "table: exits 0 on SIGINT" stop
fi

# -x: a failed exec of a missing path, with its error, and a good one.
if start "$TMP/fails" -x; then
	sh -c '/nonexistent/smoke-missing arg' 2>/dev/null
	$TRUE smoke-fails &
	wait $!
	has "$TMP/fails" "ENOENT +/nonexistent/smoke-missing +/nonexistent/smoke-missing arg\$" "-x: ENOENT of a missing path"
	has "$TMP/fails" " 0 +$EXE +$TRUE smoke-fails\$" "-x: a successful exec, RET 0"
	check "-x: exits 0" stop
fi

# --json.
if start "$TMP/json" --json; then
	$TRUE smoke-json 'a b' &
	pid=$!
	wait $pid
	has "$TMP/json" "\"pid\":$pid,.*\"exe\":\"$EXE\",\"args\":\[\"$TRUE\",\"smoke-json\",\"a b\"\].*\"ret\":0" "--json: the exec's object"
	check "--json: exits 0" stop
fi

# -o with every field, from a working directory of its own.
mkdir "$TMP/cwd"
fields=time,timestamp,pid,ppid,uid,user,comm,ret,cwd,cgroup,mntns,exe,args
if start "$TMP/fields" -o $fields; then
	(cd "$TMP/cwd" && exec $TRUE smoke-fields) &
	pid=$!
	wait $pid
	mntns=$(readlink /proc/self/ns/mnt | tr -dc 0-9)
	cg=$(sed -n 's/^0:://p' /proc/self/cgroup)
	has "$TMP/fields" '^ *TIME +TIME\(s\) +PID +PPID +UID +USER +COMM +RET +CWD +CGROUP +MNTNS +EXEC +ARGS$' "-o all: header"
	has "$TMP/fields" "^[0-9]{2}:[0-9]{2}:[0-9]{2} +[0-9]+\.[0-9]+ +$pid +$$ +0 +root +true +0 +$TMP/cwd +$cg +$mntns +$EXE +$TRUE smoke-fields\$" "-o all: every field"
	check "-o all: exits 0" stop
fi

# --pid: the exec of a process that was held until the filter was on.
hold
(read _ <"$TMP/go"; exec $TRUE smoke-pid-yes) &
pid=$!
if start "$TMP/pid" --pid $pid; then
	$TRUE smoke-pid-no
	release
	wait $pid
	has "$TMP/pid" "^ *$pid .*smoke-pid-yes\$" "--pid: that process's exec"
	lacks "$TMP/pid" smoke-pid-no "--pid: no other"
	stop
else
	release
	wait
fi

# --ppid: the children of this shell only.
if start "$TMP/ppid" --ppid $$; then
	sh -c "$TRUE smoke-ppid-no; :"
	$TRUE smoke-ppid-yes &
	wait $!
	has "$TMP/ppid" "smoke-ppid-yes\$" "--ppid: a child's exec"
	lacks "$TMP/ppid" " $TRUE smoke-ppid-no\$" "--ppid: no grandchild's"
	stop
fi

# --uid, by name.
if start "$TMP/uid" --uid nobody -o uid,user,args; then
	$TRUE smoke-uid-no
	su -s /bin/sh -c "$TRUE smoke-uid-yes" nobody
	has "$TMP/uid" "^ *65534 +nobody +$TRUE smoke-uid-yes\$" "--uid: that user's exec"
	lacks "$TMP/uid" smoke-uid-no "--uid: no other"
	stop
fi

# --comm: the new process name, from the name of the file exec'd.
ln -s $TRUE "$TMP/smoke-comm"
if start "$TMP/comm" --comm smoke-comm; then
	$TRUE smoke-comm-no
	"$TMP/smoke-comm" yes 2>/dev/null
	has "$TMP/comm" "$EXE +$TMP/smoke-comm yes\$" "--comm: that name's exec"
	lacks "$TMP/comm" smoke-comm-no "--comm: no other"
	stop
fi

# --cgroup: a cgroup of its own.
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$cg2" ] && mkdir "$cg2/execmon-smoke-$$" 2>/dev/null; then
	if start "$TMP/cgroup" --cgroup "/execmon-smoke-$$" -o cgroup,args; then
		$TRUE smoke-cgroup-no
		sh -c "echo \$\$ >$cg2/execmon-smoke-$$/cgroup.procs; exec $TRUE smoke-cgroup-yes"
		has "$TMP/cgroup" "^/execmon-smoke-$$ +$TRUE smoke-cgroup-yes\$" "--cgroup: an exec in it"
		lacks "$TMP/cgroup" smoke-cgroup-no "--cgroup: none outside"
		stop
	fi
	rmdir "$cg2/execmon-smoke-$$"
else
	fail "--cgroup" "cannot make a cgroup under ${cg2:-(no cgroup2 mount)}"
fi

# -- COMMAND: the command's execs, and its exit status.
"$EXECMON" -o args -- sh -c "$TRUE smoke-cmd; exit 7" >"$TMP/cmd" 2>"$TMP/cmd.err"
rc=$?
check "-- COMMAND: exits with the command's status" [ $rc = 7 ]
has "$TMP/cmd" "^$TRUE smoke-cmd\$" "-- COMMAND: the command's exec"

# --tree: a process's execs and its child's; execmon ends with it.
hold
(read _ <"$TMP/go"; $TRUE smoke-tree-child; exec $TRUE smoke-tree-yes) &
pid=$!
if start "$TMP/tree" --tree $pid -o args; then
	$TRUE smoke-tree-no
	release
	wait $pid
	has "$TMP/tree" "^$TRUE smoke-tree-child\$" "--tree: the child's exec"
	has "$TMP/tree" "^$TRUE smoke-tree-yes\$" "--tree: the process's exec"
	lacks "$TMP/tree" smoke-tree-no "--tree: no other"
	i=0
	while kill -0 $tracer 2>/dev/null && [ $i -lt "$LINE_WAIT" ]; do sleep 0.1; i=$((i + 1)); done
	wait $tracer
	rc=$?
	tracer=
	check "--tree: exits 0 when the process has" [ $rc = 0 ]
else
	release
	wait
fi

# --stats, and --strict with nothing lost.
if start "$TMP/stats" --stats --strict; then
	$TRUE smoke-stats &
	wait $!
	has "$TMP/stats" "smoke-stats\$" "--stats --strict: the exec's line"
	check "--stats --strict: exits 0 with nothing lost" stop
	check "--stats: the counts at exit" grep -qE '^execmon: [1-9][0-9]* execs seen, .* [1-9][0-9]* printed$' "$TMP/stats.err"
fi

echo "$npass passed, $nfail failed, 0 skipped"
[ $nfail = 0 ]
