# The shell words execmon prints for arguments, read back by bash and zsh:
# in the C locale and a UTF-8 one, non-interactive and interactive (where
# ! is history expansion and # a comment), and with the zsh options that
# change how a word is read. Each must give the original bytes, as one
# word. The quoting is that of the tracer (tests/unit/test_quote --quote):
# no privileges needed. Then, with root, the marks of cut paths.
SUITE=quoting
. "$(dirname "$0")/lib.sh"

case $BUILD in
/*) QUOTE=$BUILD/tests/test_quote ;;
*) QUOTE=$PWD/$BUILD/tests/test_quote ;;
esac
if [ ! -x "$QUOTE" ] || ! have python3; then
	skip "bash and zsh read back every argument" "needs make unit-tests and python3"
	exit 0
fi

# The arguments, NUL-terminated: the tricky ones by hand, every byte value
# after a letter and alone, every pair of the bytes shells care about, each
# format character, long ones, and random ones (QUOTING_SEED picks others).
cat >"$TMP/args.py" <<'PY'
import os, random, sys, unicodedata

args = [b"", b" ", b"a b", b"'", b"''", b"it's", b'"', b'say "hi"', b"$HOME", b"${x}",
        b"$(id)", b"`id`", b"\\", b"a\\b", b"\\'", b"!", b"!!", b"!$", b"a!b", b"!-1",
        b"^a^b", b"=ls", b"=nosuch", b"=", b"==", b"pkg==1.2", b"x=a:=ls", b"a=b",
        b"--color=auto", b"a=~", b"~", b"~root", b"~/x", b"a:~", b"#", b"#x", b"a#b",
        b"%", b"%1", b"%x", b"@", b"@(a)", b"+(a)", b":", b",", b"+", b"-", b"--", b".",
        b"..", b"/", b"*", b"?", b"[", b"]", b"[a]", b"a*b", b"{}", b"{a,b}", b"{1..3}",
        b"}", b"(", b")", b"<", b">", b"|", b"&", b";", b"^", b"a^b", b"x~y", b"\n",
        b"a\nb", b"\t", b"\r", b"\x1b[31mred", b"\x7f", b"\x01", b"\x1f", b"\xff",
        b"\xfe\xff", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
        "café".encode(), "\U0001f600".encode(), "日本語".encode(), "\u00a0".encode(),
        "\xc2\x9b".encode("latin-1"), "\u200b".encode(), "\u202e".encode(),
        "\u2066x\u2069".encode(), "\ufeff".encode(), "\U000e0041".encode(),
        "é\n".encode(), "\x01f", "\u200bf".encode(), b"a b\tc\nd'e\"f$g\\h!i#j=k~l"]
args = [a.encode() if isinstance(a, str) else a for a in args]
args += [bytes([c]) for c in range(1, 256)] + [b"x" + bytes([c]) for c in range(1, 256)]
special = b" \t\n!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\x1b\x7fa\xc3\xa9\xff"
args += [bytes([a, b]) for a in special for b in special]
args += [chr(c).encode() for c in range(0x80, 0x110000)
         if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp", "Zs")]
args += [b"x" * 4096, (b"a '\\$!\n\xe2\x80\xae\xff=" * 2000)[:16384],
         ("é\u200b" * 30000).encode()[:100000]]
rng = random.Random(int(os.environ.get("QUOTING_SEED", "2026")))
pool = [bytes([c]) for c in range(1, 256)] + [chr(c).encode() for c in
        (0x85, 0xa0, 0xad, 0xe9, 0x61c, 0x200b, 0x200e, 0x2028, 0x202e, 0x2066, 0xfeff,
         0x1f600, 0xe0041)]
for _ in range(3000):
    args.append(b"".join(rng.choice(pool) for _ in range(rng.randrange(1, 24))))
sys.stdout.buffer.write(b"".join(a + b"\0" for a in args))
PY

# check_words: the quoted words, one a line, without a control byte or
# another character that would not show as it is, and valid UTF-8.
cat >"$TMP/check.py" <<'PY'
import sys, unicodedata
args = open(sys.argv[1], "rb").read().split(b"\0")[:-1]
words = open(sys.argv[2], "rb").read().split(b"\n")[:-1]
assert len(words) == len(args), (len(words), len(args))
for a, w in zip(args, words):
    t = w.decode("utf-8")
    bad = [c for c in t if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]
    assert not bad, (a, w)
PY

# script PREFIX: a script printing each word, NUL-terminated.
script() {
	python3 -c '
import sys
for w in open(sys.argv[1], "rb").read().split(b"\n")[:-1]:
    sys.stdout.buffer.write(b"printf \"%s\\0\" " + w + b"\n")
' "$TMP/words"
}

# readback NAME: compares $TMP/got with the arguments; the first that
# differs, when one does.
readback() {
	if cmp -s "$TMP/got" "$TMP/args"; then
		pass "$1"
		return
	fi
	fail "$1" "$(python3 -c '
import sys
a = open(sys.argv[1], "rb").read().split(b"\0")
g = open(sys.argv[2], "rb").read().split(b"\0")
w = open(sys.argv[3], "rb").read().split(b"\n")
for i, (x, y) in enumerate(zip(a, g)):
    if x != y:
        print("argument %d: %r read back as %r from %r" % (i, x[:60], y[:60], w[i][:80]))
        break
else:
    print("%d arguments, %d read back" % (len(a) - 1, len(g) - 1))
' "$TMP/args" "$TMP/got" "$TMP/words")"
}

python3 "$TMP/args.py" >"$TMP/args"
"$QUOTE" --quote <"$TMP/args" >"$TMP/words"
check "one printable line per argument" python3 "$TMP/check.py" "$TMP/args" "$TMP/words"
script >"$TMP/script"

# NAME|COMMAND|-i when it is run interactive as well, from stdin: with
# history expansion, comments and prompts (on stderr). bash reads its
# stdin a byte at a time there: slow, so once.
shells=("bash|bash --norc --noprofile|-i"
	"bash --posix -O extglob|bash --norc --noprofile --posix -O extglob|"
	"zsh|zsh -f|-i"
	"zsh with the options that change words|zsh -f -o magicequalsubst -o extendedglob -o kshglob -o rcquotes -o braceccl -o cshjunkiequotes -o interactivecomments|-i"
	"zsh as sh|zsh --emulate sh -f|-i")
export HISTFILE=	# an interactive bash would save its history
for loc in C C.UTF-8; do
	for s in "${shells[@]}"; do
		IFS='|' read -r name cmd interactive <<<"$s"
		if ! have "${cmd%% *}"; then
			skip "$name reads back every argument ($loc)" "no ${cmd%% *}"
			[ -z "$interactive" ] || skip "$name -i reads back every argument ($loc)" "no ${cmd%% *}"
			continue
		fi
		LC_ALL=$loc $cmd "$TMP/script" >"$TMP/got" 2>"$TMP/err"
		readback "$name reads back every argument ($loc)"
		[ -n "$interactive" ] || continue
		LC_ALL=$loc $cmd -i <"$TMP/script" >"$TMP/got" 2>"$TMP/err"
		readback "$name -i reads back every argument ($loc)"
	done
done

# A path cut by execmon is still one column (RET EXEC ARGS: awk's $3 is the
# whole mark and path, $4 argv[0]). A resolved path keeps its end; the path
# a failed exec asked for, longer than the kernel takes, keeps its start.
needs_root
comp=$(printf 'd%.0s' $(seq 200))
long=$(printf "$TMP/$comp%.0s" $(seq 21))
OUT=$TMP/out
start_tracer "$OUT" -x || { fail "execmon -x starts"; exit 0; }
# (bash would exec ./t by its whole path, which is too long)
python3 -c 'import os, shutil, sys
os.chdir(sys.argv[1])
for _ in range(25):
    os.mkdir(sys.argv[2])
    os.chdir(sys.argv[2])
shutil.copy("/usr/bin/true", "t")
os.execv("./t", ["./t", "deep-exec"])' "$TMP" "$comp"
python3 -c 'import os, sys
try:
    os.execv(sys.argv[1], ["too-long"])
except OSError:
    pass' "$long"
/usr/bin/true cut-marks-done
wait_for "$OUT" cut-marks-done
stop_tracer
check "a cut path is one column" awk '
	$2 == "0" && $4 == "./t" && $5 == "deep-exec" { found = $3 ~ /^\[\+[0-9]+-bytes-cut\][d\/]*\/t$/ }
	END { exit !found }' "$OUT"
check "a failed exec's path is cut at its end, one column" awk -v start="${long:0:40}" '
	$2 == "ENAMETOOLONG" && $4 == "too-long" { found = index($3, start) == 1 && $3 ~ /d\[cut\]$/ }
	END { exit !found }' "$OUT"
