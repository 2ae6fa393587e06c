# The build: where the build machine has no BTF, and with clang for the
# tracer too. Each build goes to a directory of its own.
SUITE=build
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$(dirname "$0")/.." && pwd)

# clang for the tracer and the unit tests, with no warning at all.
if ! command -v clang >/dev/null; then
	skip "builds with clang" "clang is not installed (make deps)"
else
	out=$(make -C "$TOP" CC=clang BUILD="$TMP/clang" "$TMP/clang/execmon" unit-tests 2>&1)
	rc=$?
	warnings=$(grep -c 'warning:' <<<"$out")
	if [ $rc -eq 0 ] && [ "$warnings" -eq 0 ] && "$TMP/clang/execmon" --version >/dev/null; then
		pass "builds with clang, without warnings"
	else
		fail "builds with clang, without warnings" \
			"status $rc, $warnings warnings: $(grep -m 3 'warning:\|error:' <<<"$out")"
	fi
fi

# The rest makes mount namespaces.
needs_root

# A machine without BTF (a container, a package build daemon): the
# kernel's BTF is hidden under an empty tmpfs in a mount namespace of the
# build's own. The BPF object must come out as it does with BTF there.
if ! unshare -m true 2>/dev/null; then
	for t in "builds without the kernel's BTF" "without BTF, the same BPF object"; do
		skip "$t" "no mount namespace can be made"
	done
else
	out=$(unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf &&
		! test -e /sys/kernel/btf/vmlinux && make -C "$1" BUILD="$2" "$2/execmon"' sh \
		"$TOP" "$TMP/nobtf" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && "$TMP/nobtf/execmon" --version >/dev/null; then
		pass "builds without the kernel's BTF"
	else
		fail "builds without the kernel's BTF" "status $rc: $(tail -n 5 <<<"$out")"
	fi
	check "without BTF, the same BPF object" \
		cmp -s "$TMP/nobtf/execmon.bpf.o" "$TOP/$BUILD/execmon.bpf.o"
fi
