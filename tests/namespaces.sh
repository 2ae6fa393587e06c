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
