# The manual page, the shell completions and `make install` against the
# options execmon really has: no privileges needed.
SUITE=docs
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$(dirname "$0")/.." && pwd)
MAN=$TOP/man/execmon.8
BASH_COMP=$TOP/completions/execmon.bash
ZSH_COMP=$TOP/completions/_execmon
FISH_COMP=$TOP/completions/execmon.fish

# Every option --help lists, one per line. Option lines start with 2 to 6
# spaces, descriptions further right; the option column ends at two spaces.
help_options() {
	"$EXECMON" --help | sed -nE 's/^ {2,6}(-[^ ].*)$/\1/p' | sed -E 's/  .*//' |
		grep -oE -- '--?[A-Za-z?][A-Za-z0-9-]*' | sort -u
}

# The field names --help lists after "Fields for --fields:", one per line.
help_fields() {
	# the list may wrap over several lines, up to its final full stop
	"$EXECMON" --help | sed -n '/^Fields for --fields:/,/\.$/p' | tr '\n' ' ' |
		sed -nE 's/^Fields for --fields: (.*)\. *$/\1/p' | tr -d ' ' | tr , '\n'
}

# option_tokens: the --long and -x options named in stdin, one per line:
# the words (split at anything but letters, digits, _, ? and -) that have
# an option's shape. -\? is zsh's and fish's way to write -?.
option_tokens() {
	sed 's/\\?/?/g' | tr -c 'A-Za-z0-9_?-' '\n' |
		grep -xE -- '--[A-Za-z][A-Za-z0-9-]*|-[A-Za-z?]' | sort -u
}

# Options named by the man page: in examples, only what follows "execmon"
# up to a pipe (the rest are other commands' options); .OP may cluster
# flags, as in [-HjtTUv].
man_options() {
	sed -e '/^\.\\"/d' -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(aq/'"'"'/g' "$MAN" |
		awk '/^\.EX/ { ex = 1; next } /^\.EE/ { ex = 0; next }
			ex { i = index($0, "execmon"); if (!i) next
				s = substr($0, i); sub(/\|.*/, "", s); print s; next }
			/^\.OP -[A-Za-z?][A-Za-z?]+/ {
				n = split(substr($2, 2), c, ""); for (k = 1; k <= n; k++) print " -" c[k]; next }
			{ print }' | option_tokens
}

# Options named by a bash or zsh completion. What follows another command
# on a line (ps -e, compgen -W, helper functions such as _arguments -s),
# and local's own flags, are not execmon's.
script_options() {
	sed -E -e 's/(^|[[:space:]])#.*//' \
		-e 's/(^|[[:space:]])(local|typeset|declare)([[:space:]]+-[A-Za-z]+)*//' \
		-e 's/(^|[^A-Za-z0-9_])(ps|getent|cut|sort|compgen|compopt|compadd|complete|zparseopts|_[A-Za-z_]+|test|\[\[?)([[:space:]].*|$)//' \
		"$1" | option_tokens
}

# Options named by the fish completion: complete's -s/-l (and long) forms.
fish_options() {
	grep -E '^[[:space:]]*complete[[:space:]]' "$1" | grep -oE -- \
		"(^|[[:space:]])(-s|--short-option|-l|--long-option|-o|--old-option)[[:space:]=]+'?[^[:space:]']+" |
		sed -E "s/^[[:space:]]*(-s|--short-option)[[:space:]=]+'?/-/; s/^[[:space:]]*(-l|--long-option|-o|--old-option)[[:space:]=]+'?/--/" |
		sort -u
}

all=$(help_options)
# argp's own --help, -? and --usage need not be documented everywhere.
required=$(grep -vxE -- '--help|-\?|--usage' <<<"$all")
if [ "$(wc -l <<<"$required")" -lt 10 ] || ! grep -qx -- --json <<<"$required"; then
	fail "options read from --help" "found only: ${all//$'\n'/ }"
fi

# check_options NAME LIST: LIST (one per line) names every option execmon
# has and none that it lacks.
check_options() {
	local name=$1 list=$2 missing unknown
	missing=$(comm -23 <(echo "$required") <(echo "$list"))
	unknown=$(comm -13 <(echo "$all") <(echo "$list"))
	if [ -z "$missing" ] && [ -z "$unknown" ]; then
		pass "$name names every option and no other"
	else
		fail "$name names every option and no other" \
			"missing [${missing//$'\n'/ }], not execmon's [${unknown//$'\n'/ }]"
	fi
}

check_options "man page" "$(man_options)"
check_options "bash completion" "$(script_options "$BASH_COMP")"
check_options "zsh completion" "$(script_options "$ZSH_COMP")"
check_options "fish completion" "$(fish_options "$FISH_COMP")"

# The field names. --help lists those of the table --fields reads
# (tracer/output.c); every other list of them must name the same ones.
fields=$(help_fields | sort)
if ! grep -qx pid <<<"$fields" || ! grep -qx args <<<"$fields"; then
	fail "field names read from --help" "found only: ${fields//$'\n'/ }"
fi
# check_fields NAME LIST: LIST (one per line) names every field and no other.
check_fields() {
	local missing unknown
	missing=$(comm -23 <(echo "$fields") <(sort -u <<<"$2"))
	unknown=$(comm -13 <(echo "$fields") <(sort -u <<<"$2"))
	if [ -z "$missing" ] && [ -z "$unknown" ]; then
		pass "$1 names every field and no other"
	else
		fail "$1 names every field and no other" \
			"missing [${missing//$'\n'/ }], not a field [${unknown//$'\n'/ }]"
	fi
}
words() { tr -s ' \t' '\n' | sed '/^$/d'; }
check_fields "bash completion" "$(sed -nE "s/^ *local fields='([^']*)'.*/\1/p" "$BASH_COMP" | words)"
check_fields "zsh completion" "$(sed -nE "s/.*_values -s , field ([^']*)'.*/\1/p" "$ZSH_COMP" | words)"
check_fields "fish completion" "$(sed -nE 's/^ *for f in (.*)$/\1/p' "$FISH_COMP" | words)"
# (each field of the man page's list is the .B line after a .TP)
check_fields "man page" "$(awk '/^The fields, with their headers, are:/ { on = 1 }
	on && /^\.PP/ { exit } on && prev ~ /^\.TP/ && $1 == ".B" { print $2 } { prev = $0 }' "$MAN")"
check_fields "README" "$(awk '/^`-o` chooses the columns from/, /^$/' "$TOP/README.md" |
	grep -oE '`[a-z0-9_]+`' | tr -d '`')"

# bash_complete LINE: what the bash completion offers for LINE (the cursor
# at its end), one per line; words are split at spaces and at '=', as
# readline does.
bash_complete() {
	bash -c '
		bc=/usr/share/bash-completion/bash_completion
		[ -r "$bc" ] && . "$bc"
		. "$1" || exit 1
		func=$(complete -p execmon | sed -nE "s/.* -F ([^ ]+) .*/\1/p")
		COMP_LINE=$2
		COMP_POINT=${#2}
		read -ra COMP_WORDS <<<"${2//=/ = }"
		[[ $2 == *[\ =] ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		"$func" execmon "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
		printf "%s\n" "${COMPREPLY[@]}"' _ "$BASH_COMP" "$1"
}

# expect_completion LINE WANT: the bash completion of LINE is WANT (sorted,
# space-separated).
expect_completion() {
	local got
	got=$(bash_complete "$1" | sort | xargs)
	if [ "$got" = "$2" ]; then
		pass "bash completes '$1'"
	else
		fail "bash completes '$1'" "got [$got], want [$2]"
	fi
}

if [ -r /usr/share/bash-completion/bash_completion ]; then
	fields=$(help_fields | sort | xargs)
	expect_completion "execmon --j" "--journal --json --json="
	expect_completion "execmon --json=" "ecs execmon"
	expect_completion "execmon --fields " "$fields"
	expect_completion "execmon -o " "$fields"
	expect_completion "execmon -o pid,ti" "pid,time pid,timestamp"
	expect_completion "execmon --fields=u" "uid user"
else
	skip "bash completion" "bash-completion is not installed (make deps)"
fi

# The man page renders without a warning, through man-db and groff alike.
if command -v man >/dev/null && command -v groff >/dev/null; then
	warn=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$MAN" 2>&1 >/dev/null)
	warn+=$(groff -man -ww -z "$MAN" 2>&1)
	if [ -z "$warn" ]; then
		pass "man page renders without warnings"
	else
		fail "man page renders without warnings" "$(head -n 5 <<<"$warn" | tr '\n' ' ')"
	fi
else
	skip "man page renders without warnings" "man-db or groff is not installed (make deps)"
fi

if command -v zsh >/dev/null; then
	check "zsh completion parses" zsh -n "$ZSH_COMP"
else
	skip "zsh completion parses" "zsh is not installed (make deps)"
fi
if command -v fish >/dev/null; then
	check "fish completion parses" fish -n "$FISH_COMP"
else
	skip "fish completion parses" "fish is not installed (make deps)"
fi

# make install into a staging directory, then make uninstall.
root=$TMP/root
installed=(
	usr/local/sbin/execmon
	usr/local/share/man/man8/execmon.8
	usr/local/share/bash-completion/completions/execmon
	usr/local/share/zsh/site-functions/_execmon
	usr/local/share/fish/vendor_completions.d/execmon.fish
	usr/local/lib/systemd/system/execmon.service
	etc/logrotate.d/execmon
	etc/default/execmon
)
if make -s -C "$TOP" install DESTDIR="$root" PREFIX=/usr/local >"$TMP/make.out" 2>&1; then
	absent=
	for f in "${installed[@]}"; do
		[ -f "$root/$f" ] || absent+=" $f"
	done
	if [ -z "$absent" ]; then
		pass "make install puts every file in place"
	else
		fail "make install puts every file in place" "missing:$absent"
	fi
	check "installed man page is the source" cmp -s "$MAN" "$root/usr/local/share/man/man8/execmon.8"
	out=$("$root/usr/local/sbin/execmon" --version 2>&1)
	check "installed execmon --version runs" grep -q '^execmon [0-9]' <<<"$out"
	unit=$root/usr/local/lib/systemd/system/execmon.service
	check "installed unit runs the installed execmon" \
		grep -qx 'ExecStart=/usr/local/sbin/execmon .*' "$unit"
	# verify looks for the binary and the man page: those of the staging
	# tree, in a copy of the unit that names them there
	if command -v systemd-analyze >/dev/null; then
		mkdir -p "$TMP/unit"
		sed "s|/usr/local/sbin/|$root/usr/local/sbin/|" "$unit" >"$TMP/unit/execmon.service"
		out=$(MANPATH=$root/usr/local/share/man: systemd-analyze verify \
			"$TMP/unit/execmon.service" 2>&1)
		check "systemd-analyze verify: the unit is clean${out:+ ($out)}" test -z "$out"
		score=$(systemd-analyze security --offline=yes "$TMP/unit/execmon.service" 2>/dev/null |
			sed -n 's/.*Overall exposure level for execmon.service: \([0-9.]*\).*/\1/p')
		check "systemd-analyze security: exposure ${score:-?}, the README's" \
			grep -qF "exposure level ${score:-?}" "$TOP/README.md"
	else
		skip "systemd-analyze verify: the unit is clean" "systemd is not installed (make deps)"
		skip "systemd-analyze security: exposure, the README's" "systemd is not installed (make deps)"
	fi
	if command -v logrotate >/dev/null; then
		check "logrotate reads the installed snippet" bash -c \
			"logrotate -d -s '$TMP/lr.state' '$root/etc/logrotate.d/execmon' >/dev/null 2>&1"
	else
		skip "logrotate reads the installed snippet" "logrotate is not installed (make deps)"
	fi
else
	fail "make install" "$(tail -n 5 "$TMP/make.out" | tr '\n' ' ')"
fi
if make -s -C "$TOP" uninstall DESTDIR="$root" PREFIX=/usr/local >"$TMP/make.out" 2>&1; then
	left=$(find "$root" -type f 2>/dev/null)
	check "make uninstall leaves no file" test -z "$left"
else
	fail "make uninstall" "$(tail -n 5 "$TMP/make.out" | tr '\n' ' ')"
fi
