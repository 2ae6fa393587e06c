# Names that are not ASCII, through the real tracer: the table's columns
# line up by the width a terminal shows (CJK and emoji take two columns, a
# combining accent none), and JSON keeps the exact bytes of a comm the
# kernel cut inside a character. Needs root.
SUITE=text
. "$(dirname "$0")/lib.sh"

needs_root

# The EXEC cell must fit its 24 columns for the next to line up: the
# programs live in a directory with a short path of their own.
BIN=
trap '[ -n "$BIN" ] && rm -rf "$BIN"; cleanup' EXIT
BIN=$(mktemp -d /tmp/tx.XXXXXX)

# The names in UTF-8 bytes, which unlike \u escapes do not depend on the
# locale the suite runs in. CJK, an emoji, a precomposed and a combining
# accent: 12 bytes, 6 columns.
ZH=$'\xe4\xb8\xad' WEN=$'\xe6\x96\x87' SMILE=$'\xf0\x9f\x98\x80' SHELL_CJK=$'\xe5\xa3\xb3'
PROG=$ZH$SMILE$'\xc3\xa9e\xcc\x81'
SHELL_COPY=$SHELL_CJK$'\xc3\xa9'
CWD=$BIN/$'\xe7\x9b\xae'
ARG="$ZH$WEN $SMILE"
# 19 and 16 bytes: the kernel cuts both at 15, inside a character
CUT_PROG=a$ZH$WEN$SMILE$'\xc3\xbc'$ZH$WEN
CUT_SHELL=s$SHELL_CJK$SHELL_CJK$SHELL_CJK$SHELL_CJK$SHELL_CJK
cp /usr/bin/true "$BIN/$PROG"
cp /usr/bin/true "$BIN/$CUT_PROG"
cp /usr/bin/dash "$BIN/$SHELL_COPY"
cp /usr/bin/dash "$BIN/$CUT_SHELL"
mkdir -p "$CWD"

# The display width of stdin's first line, measured by wc, not execmon.
columns() { LC_ALL=C.UTF-8 wc -L | tr -d ' '; }

# starts LINE: the column where each cell after the first starts, on one
# line. Cells hold no space here (each is one quoted word), and all are
# left-aligned.
starts() {
	local line=$1 k
	for k in 1 2 3 4; do
		[[ $line =~ ^([^ ]+ +){$k} ]] || return 1
		printf '%s\n' "${BASH_REMATCH[0]}" | columns
	done | tr '\n' ' '
}
# same_starts LINE HEADER: the four cells start where their headers do.
same_starts() {
	local want
	want=$(starts "$2")
	[ "$(wc -w <<<"$want")" = 4 ] && [ "$(starts "$1")" = "$want" ]
}

# The shell copy runs the program in CWD; "; :" keeps it from exec'ing in
# place, so that it is the program's parent.
OUT=$TMP/table
( cd "$CWD" && "$EXECMON" -o comm,pcomm,cwd,exe,args -- "$BIN/$SHELL_COPY" -c \
	'"$0" x "$1"; :' "$BIN/$PROG" "$ARG" >"$OUT" 2>"$OUT.err" )
rc=$?
check "execmon -o comm,pcomm,cwd,exe,args -- COMMAND exits 0" test "$rc" = 0
header=$(head -n 1 "$OUT")
# the program's line: the only one whose ARGS end so
line=$(grep -F -- "'$BIN/$PROG' x '$ARG'" "$OUT")
read -r comm pcomm _ <<<"$line"
check "the program's line has its name in COMM and its parent's in PCOMM" \
	test "$comm $pcomm" = "'$PROG' '$SHELL_COPY'"
# the premise: each cell fits its column (COMM 16, PCOMM 16, CWD 20, EXEC
# 24) by its width, though not all by their bytes
fits() { [ "$(printf '%s\n' "$1" | columns)" -le "$2" ]; }
cells_fit() {
	fits "'$PROG'" 16 && fits "'$SHELL_COPY'" 16 && fits "'$CWD'" 20 && fits "'$BIN/$PROG'" 24
}
check "each cell fits its column" cells_fit
check "PCOMM, CWD, EXEC and ARGS start where their headers do" \
	same_starts "$line" "$header"

# JSON: the comm and the parent's comm, cut at 15 bytes, keep their exact
# bytes in comm_b64, pcomm_b64 and the ancestor's comm_b64.
OUT=$TMP/json
"$EXECMON" --json -- "$BIN/$CUT_SHELL" -c '"$0" x; :' "$BIN/$CUT_PROG" >"$OUT" 2>"$OUT.err"
check "execmon --json -- COMMAND exits 0" test $? = 0
rec=$(jq -c --arg exe "$BIN/$CUT_PROG" 'select(.exe == $exe)' "$OUT" 2>/dev/null)
# the first 15 bytes of a name, and a base64 string decoded, in hex
first15() { printf '%s' "$1" | head -c 15 | od -An -tx1 | tr -d ' \n'; }
b64() { jq -r "$1 // empty" <<<"$rec" | base64 -d | od -An -tx1 | tr -d ' \n'; }
is() { jq -e "$1" <<<"$rec" >/dev/null; }
check "a comm cut inside a character: comm has U+FFFD" is '.comm | endswith("\ufffd")'
check "a comm cut inside a character: comm_b64 holds its exact 15 bytes" \
	test "$(b64 .comm_b64)" = "$(first15 "$CUT_PROG")"
check "a parent's comm cut inside a character: pcomm_b64 holds its exact bytes" \
	test "$(b64 .pcomm_b64)" = "$(first15 "$CUT_SHELL")"
check "the same ancestor's comm_b64" \
	test "$(b64 '.ancestors[0].comm_b64')" = "$(first15 "$CUT_SHELL")"
check "a whole comm has no comm_b64" \
	is '.ancestors[1] | has("comm") and (has("comm_b64") | not)'
