# The build: with gcc and with clang, warnings as errors; the compiler the
# caller names; no include cycle in the tracer; and where the build machine
# has no BTF. Each build goes to a directory of its own.
SUITE=build
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$(dirname "$0")/.." && pwd)

# module_edges DIR: "A B" for each module A of DIR (A.c and A.h) that
# includes B.h, another of DIR's modules.
module_edges() {
	local f a b
	for f in "$1"/*.[ch]; do
		a=$(basename "${f%.?}")
		sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"/]+)\.h".*/\1/p' "$f" |
			while read -r b; do
				[ "$b" != "$a" ] && [ -e "$1/$b.h" ] && echo "$a $b"
			done
	done | sort -u
}
# Two modules that include each other cannot be built or read one at a
# time; tsort names the modules of any loop.
edges=$(module_edges "$TOP/tracer")
loops=$(tsort <<<"$edges" 2>&1 >/dev/null)
if [ -n "$edges" ] && [ -z "$loops" ]; then
	pass "no include cycle among the tracer's modules"
else
	fail "no include cycle among the tracer's modules" \
		"$(sed -n 's/^tsort: \([^-].*\)/\1/p' <<<"$loops" | tr '\n' ' ')"
fi

# make_commands [VAR=VALUE...]: what make would run for one tracer object,
# one unit test (with the tracer's objects built for it) and the BPF
# object, into a build directory that stays empty.
make_commands() {
	make -n -B -C "$TOP" BUILD="$TMP/dry" "$@" "$TMP/dry/output.o" \
		"$TMP/dry/tests/test_output" "$TMP/dry/execmon.bpf.o" 2>&1
}
# made_by CMDS REGEX OUTPUT...: each OUTPUT (under the build directory) is
# made by a line of CMDS that matches REGEX.
made_by() {
	local cmds=$1 re=$2 o
	shift 2
	for o; do
		grep -E -- "$re" <<<"$cmds" | grep -q -- " -o [^ ]*/dry/$o\$" || return 1
	done
}
C_OUTPUTS=(output.o san/output.o tests/test_output)
# The compiler named on the command line or in the environment is the one
# used: make's own default (cc) is the only one replaced.
check "CC from the command line compiles the tracer and unit tests" \
	made_by "$(make_commands CC=execmon-probe-cc)" '^execmon-probe-cc ' "${C_OUTPUTS[@]}"
check "CC from the environment compiles the tracer and unit tests" \
	made_by "$(CC=execmon-probe-cc make_commands)" '^execmon-probe-cc ' "${C_OUTPUTS[@]}"
check "a plain make never uses -Werror" bash -c '! grep -q -- -Werror <<<"$1"' _ "$(make_commands)"
check "WERROR=1 adds -Werror to the tracer, unit test and BPF compiles" \
	made_by "$(make_commands WERROR=1)" ' -Werror ' "${C_OUTPUTS[@]}" execmon.bpf.o.tmp

# gcc and clang for the tracer and the unit tests, a warning failing the
# build.
for cc in gcc clang; do
	name="builds with $cc and WERROR=1"
	if ! have "$cc"; then
		skip "$name" "$cc is not installed (make deps)"
		continue
	fi
	out=$(make -j2 -C "$TOP" CC="$cc" WERROR=1 BUILD="$TMP/$cc" "$TMP/$cc/execmon" unit-tests 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && "$TMP/$cc/execmon" --version >/dev/null; then
		pass "$name"
	else
		fail "$name" "status $rc: $(grep -m 3 'warning:\|error:' <<<"$out")"
	fi
	rm -rf "${TMP:?}/$cc"
done

# The other architecture, cross-built (make ARCH=arm64 on x86-64, ARCH=x86
# on arm64): its own default folder and compiler, and a binary and a BPF
# object for it. A BUILD shared by both, built one way and then the other
# and back, holds each time the binary of the last ARCH asked for, never
# a stale one. The machine is read from the ELF header (e_machine: 62
# x86-64, 183 AArch64), the BPF object's target from its registers' type.
elf_machine() { od -An -tu2 -j18 -N2 "$1" 2>/dev/null | tr -d ' '; }
case $(uname -m) in
x86_64)	other=arm64 other_cc=aarch64-linux-gnu-gcc other_m=183 own_m=62 other_reg=syscallno ;;
*)	other=x86 other_cc=x86_64-linux-gnu-gcc other_m=62 own_m=183 other_reg=orig_ax ;;
esac
cross_checks=("make ARCH=$other: its own folder, build-$other, and $other_cc"
	"make ARCH=$other: the BPF object is built for $other"
	"make ARCH=$other: an execmon for $other"
	"make ARCH=$other: the BPF object has $other's registers"
	"a shared BUILD: this machine's make after ARCH=$other builds for this machine"
	"a shared BUILD: ARCH=$other again builds for $other"
	"make ARCH=$other with this machine's CC: refused, naming CC")
if ! have "$other_cc" || ! have bpftool || [ -z "$DRY" ] && ! echo 'int main(void){return 0;}' |
		"$other_cc" -x c - -lbpf -lelf -lz -o "$TMP/cross-probe" 2>/dev/null; then
	for t in "${cross_checks[@]}"; do skip "$t" "no cross build for $other here (make deps ARCH=$other)"; done
else
	cmds=$(env -u BUILD make -n -B -C "$TOP" ARCH=$other all 2>&1)
	check "${cross_checks[0]}" bash -c 'grep -q "^$2 .* -o build-$1/execmon$" <<<"$3" &&
		! grep -q " -o build/" <<<"$3"' _ "$other" "$other_cc" "$cmds"
	check "${cross_checks[1]}" bash -c 'grep -q -- "-target bpf -D__TARGET_ARCH_$1 " <<<"$2"' _ \
		"$other" "$cmds"
	shared=$TMP/shared
	out=$(make -j2 -C "$TOP" ARCH=$other BUILD="$shared" "$shared/execmon" 2>&1)
	check "${cross_checks[2]}" test "$(elf_machine "$shared/execmon")" = "$other_m"
	check "${cross_checks[3]}" bash -c 'bpftool btf dump file "$1" | grep -q "'\''$2'\''"' _ \
		"$shared/execmon.bpf.o" "$other_reg"
	out=$(make -j2 -C "$TOP" BUILD="$shared" "$shared/execmon" 2>&1)
	check "${cross_checks[4]}" test "$(elf_machine "$shared/execmon")" = "$own_m"
	out=$(make -j2 -C "$TOP" ARCH=$other BUILD="$shared" "$shared/execmon" 2>&1)
	check "${cross_checks[5]}" test "$(elf_machine "$shared/execmon")" = "$other_m"
	out=$(make -C "$TOP" ARCH=$other CC=gcc BUILD="$TMP/mixed" "$TMP/mixed/execmon" 2>&1)
	check "${cross_checks[6]}" bash -c '! test -e "$1" && grep -q "CC builds for another architecture than ARCH" <<<"$2"' _ \
		"$TMP/mixed/execmon" "$out"
	rm -rf "${TMP:?}/shared" "${TMP:?}/mixed"
fi

# What runs the build (the tests, tracing, the benchmark) refused for the
# other architecture at once, before make deps installs anything.
out=$(env -u BUILD timeout 20 make -C "$TOP" ARCH=$other test 2>&1)
rc=$?
check "make test ARCH=$other: refused at once, saying how it is built and tested" \
	bash -c '[ "$1" -ne 0 ] && [ "$1" -ne 124 ] && grep -q "an $2 build cannot run on this" <<<"$3" &&
		! grep -q "DEPS\|  CC\|tests/run" <<<"$3"' _ "$rc" "$other" "$out"

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
		! test -e /sys/kernel/btf/vmlinux && make -j2 -C "$1" BUILD="$2" "$2/execmon"' sh \
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
