# Names that are not ASCII, through the real tracer: the table's columns
# line up by the width a terminal shows (CJK and emoji take two columns, a
# combining accent none). Needs root.
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
cp /usr/bin/true "$BIN/$PROG"
cp /usr/bin/dash "$BIN/$SHELL_COPY"
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
