// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Shell quoting: every kind of argument, and that bash reads back the same
 * bytes from what is printed. */
#include <stdlib.h>
#include <unistd.h>
#include "quote.h"
#include "sbuf.h"
#include "unit.h"

static struct sbuf b;

static void quote(const char *s, size_t n)
{
	b.len = 0;
	shell_quote(&b, s, n);
}

#define Q(name, in, want) do { quote(in, sizeof(in) - 1); CHECK_STR("quote " name, b.p, b.len, want); } while (0)

/* bash must turn the quoted word back into the original bytes */
static void roundtrip(const char *name, const char *in, size_t n)
{
	char script[] = "/tmp/execmon-quote-XXXXXX", cmd[64], got[256];
	int fd = mkstemp(script);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	size_t got_n = 0;

	quote(in, n);
	if (!f) {
		CHECK(name, 0);
		return;
	}
	fputs("printf %s ", f);
	fwrite(b.p, 1, b.len, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "bash %s", script);
	f = popen(cmd, "r");
	if (f) {
		got_n = fread(got, 1, sizeof(got), f);
		if (pclose(f))
			got_n = (size_t)-1;
	}
	unlink(script);
	CHECK(name, got_n == n && !memcmp(got, in, n));
}

int main(void)
{
	Q("plain word", "ls", "ls");
	Q("path and options", "--color=auto", "--color=auto");
	Q("empty", "", "''");
	Q("space", "a b", "'a b'");
	Q("single quote", "it's", "'it'\\''s'");
	Q("double quote", "say \"hi\"", "'say \"hi\"'");
	Q("dollar and glob", "$HOME/*", "'$HOME/*'");
	Q("backslash", "a\\b", "'a\\b'");
	Q("tab", "a\tb", "$'a\\tb'");
	Q("newline", "line1\nline2", "$'line1\\nline2'");
	Q("escape", "\033[31mred", "$'\\E[31mred'");
	Q("quote and control", "it's\n", "$'it\\'s\\n'");
	Q("backslash and control", "a\\\n", "$'a\\\\\\n'");
	Q("invalid byte", "a\xff", "$'a\\xff'");
	Q("delete", "\x7f", "$'\\x7f'");
	Q("utf-8 text", "caf\xc3\xa9", "'caf\xc3\xa9'");
	Q("overlong utf-8", "\xc0\xaf", "$'\\xc0\\xaf'");
	Q("surrogate", "\xed\xa0\x80", "$'\\xed\\xa0\\x80'");
	Q("truncated utf-8", "\xe2\x82", "$'\\xe2\\x82'");
	Q("bidi override", "a\xe2\x80\xae" "b", "$'a\\u202eb'");
	Q("c1 control", "\xc2\x9b" "1m", "$'\\u009b1m'");
	Q("tilde", "~root", "'~root'");

	/* a newline never reaches the line, whatever the argument */
	for (int c = 0; c < 256; c++) {
		char in[2] = { 'x', (char)c };

		quote(in, 2);
		if (memchr(b.p, '\n', b.len) || memchr(b.p, '\033', b.len) ||
		    memchr(b.p, '\r', b.len)) {
			CHECK("no raw control byte for any byte value", 0);
			break;
		}
		if (c == 255)
			CHECK("no raw control byte for any byte value", 1);
	}

	roundtrip("bash reads back: space", "a b", 3);
	roundtrip("bash reads back: quotes", "it's \"x\"", 8);
	roundtrip("bash reads back: controls", "\t\n\033\\'", 5);
	roundtrip("bash reads back: invalid utf-8", "\xff\xfe" "a", 3);
	roundtrip("bash reads back: empty", "", 0);
	sbuf_free(&b);
	UNIT_EXIT();
}
