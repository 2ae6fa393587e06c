# Failed execs (-x) and exec checks that earlier versions showed wrongly or
# not at all, each against what the caller itself saw. Needs root.
SUITE=fails
. "$(dirname "$0")/lib.sh"

needs_root

OUT=$TMP/out
D=$TMP/d
mkdir -p "$D"
# nobody runs the check below, from here
chmod 755 "$TMP" "$D"
jqe() { jq -e "$@" >/dev/null; }

CHECK_PROG=$TMP/exec_check
have_check=
cc -O2 -o "$CHECK_PROG" "$(dirname "$0")/progs/exec_check.c" 2>/dev/null && have_check=1
cp /usr/bin/true "$D/suid-true"
chmod 4755 "$D/suid-true"

# (larger buffers: the machine may be busy with other execs)
start_tracer "$OUT" -x --json -b 1024 || { fail "execmon -x --json starts"; exit 0; }

# The check of a set-user-ID file by nobody, and a real exec of it, which
# changes privileges (AT_SECURE): the check decides none.
[ -n "$have_check" ] && setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$CHECK_PROG" "$D/suid-true" >"$TMP/check.out"
setpriv --reuid=65534 --regid=65534 --clear-groups "$D/suid-true" fails-suid-run
/usr/bin/true fails-done
wait_for "$OUT" '"fails-done"'
stop_tracer

q() { jq -c "select($1)" "$OUT"; }

# --- a check of a set-user-ID file --------------------------------------------
suid_checks=("set-user-ID file: a real exec by nobody changes privileges"
	"set-user-ID file: its check says nothing of privileges")
if [ -z "$have_check" ] && [ -z "$DRY" ]; then
	for t in "${suid_checks[@]}"; do skip "$t" "no C compiler"; done
else
	check "${suid_checks[0]}" jqe -s 'length == 1 and .[0].secure == true and .[0].euid == 0' \
		<<<"$(q '.args == ["'"$D"'/suid-true", "fails-suid-run"] and .ret == 0')"
	check "${suid_checks[1]}" jqe -s 'length == 1 and .[0].check == true and .[0].secure == null' \
		<<<"$(q '.args == ["check-probe", "'"$D"'/suid-true"]')"
fi


# --- the same in the table ------------------------------------------------------
start_tracer "$OUT.table" -x -H -b 1024 -o ret,secure,exe,args || { fail "execmon -x -o ... starts"; exit 0; }
[ -n "$have_check" ] && setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$CHECK_PROG" "$D/suid-true" >/dev/null
/usr/bin/true fails-table-done
wait_for "$OUT.table" 'fails-table-done'
stop_tracer
T=$OUT.table
if [ -z "$have_check" ] && [ -z "$DRY" ]; then
	skip "table: a check's SECURE is -" "no C compiler"
else
	check "table: a check's SECURE is -" grep -qE "^check(:[A-Z]+)? +- +$D/suid-true +check-probe " "$T"
fi
