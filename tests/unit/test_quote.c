// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Shell quoting: every kind of argument, and that bash and zsh, in the C
 * locale and in a UTF-8 one, read back the same bytes from what is printed.
 * With --quote it is the quoter of tests/quoting.sh: each NUL-terminated
 * string on stdin is printed as one word a line. */
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

static const struct { const char *name, *cmd; } shells[] = {
	{ "bash", "bash --norc --noprofile" }, { "zsh", "zsh -f" },
};
static int have_zsh;
static const char *const locales[] = { "C", "C.UTF-8" };

/* Each shell, in each locale, must turn the quoted word back into the
 * original bytes, as one word. */
static void roundtrip(const char *name, const char *in, size_t n)
{
	char script[] = "/tmp/execmon-quote-XXXXXX", cmd[128], check[160];
	char *got = malloc(n + 64), failed[160] = "";
	int fd = mkstemp(script);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	quote(in, n);
	if (!f || !got) {
		CHECK(name, 0);
		free(got);
		return;
	}
	fputs("printf '[%s]' ", f);
	fwrite(b.p, 1, b.len, f);
	fputc('\n', f);
	fclose(f);
	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++) {
		if (!have_zsh && !strcmp(shells[i].name, "zsh"))
			continue;
		for (size_t j = 0; j < sizeof(locales) / sizeof(locales[0]); j++) {
			size_t got_n = 0;

			snprintf(cmd, sizeof(cmd), "LC_ALL=%s %s %s 2>&1", locales[j], shells[i].cmd, script);
			f = popen(cmd, "r");
			if (f) {
				got_n = fread(got, 1, n + 64, f);
				if (pclose(f))
					got_n = 0;
			}
			/* the brackets show a word split in two or lost */
			if (got_n != n + 2 || got[0] != '[' || memcmp(got + 1, in, n) || got[n + 1] != ']')
				snprintf(failed + strlen(failed), sizeof(failed) - strlen(failed),
					 " %s/%s", shells[i].name, locales[j]);
		}
	}
	unlink(script);
	free(got);
	snprintf(check, sizeof(check), "reads back in bash and zsh, C and UTF-8: %s", name);
	if (failed[0]) {
		printf("FAIL %s: not in%s: %.*s\n", check, failed, b.len > 200 ? 200 : (int)b.len, b.p);
		unit_failed = 1;
	} else {
		printf("PASS %s\n", check);
	}
}

#define RT(name, in) roundtrip(name, in, sizeof(in) - 1)

static int quote_stdin(void)
{
	struct sbuf in = { 0 };
	char chunk[65536];
	size_t n, start = 0;

	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		sbuf_add(&in, chunk, n);
	for (size_t i = 0; i < in.len; i++) {
		if (in.p[i])
			continue;
		quote(in.p + start, i - start);
		sbuf_putc(&b, '\n');
		fwrite(b.p, 1, b.len, stdout);
		start = i + 1;
	}
	sbuf_free(&in);
	sbuf_free(&b);
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--quote"))
		return quote_stdin();

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
	Q("bidi override as bytes", "a\xe2\x80\xae" "b", "$'a\\xe2\\x80\\xaeb'");
	Q("c1 control as bytes", "\xc2\x9b" "1m", "$'\\xc2\\x9b1m'");
	Q("zero-width space", "a\xe2\x80\x8b", "$'a\\xe2\\x80\\x8b'");
	Q("arabic letter mark", "\xd8\x9c", "$'\\xd8\\x9c'");
	Q("tag character", "\xf3\xa0\x81\x81", "$'\\xf3\\xa0\\x81\\x81'");
	Q("4-byte utf-8 text", "\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'");
	Q("tilde", "~root", "'~root'");
	Q("leading =", "=ls", "'=ls'");
	Q("= alone", "=", "'='");
	Q("== inside", "pkg==1.2", "'pkg==1.2'");
	Q(":= after =", "x=a:=ls", "'x=a:=ls'");
	Q("= inside", "a=b:c", "a=b:c");
	Q("leading #", "#x", "'#x'");
	Q("leading %", "%1", "%1");
	Q("braces", "{a,b}", "'{a,b}'");
	Q("bang", "!!", "'!!'");

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

	have_zsh = !system("command -v zsh >/dev/null 2>&1");
	if (!have_zsh)
		printf("SKIP reading back in zsh (no zsh)\n");
	RT("empty", "");
	RT("plain", "--color=auto");
	RT("space", "a b");
	RT("quotes", "it's \"x\"");
	RT("dollar and backslash", "$HOME\\n`id`$(id)");
	RT("bang", "!! !$ a!b");
	RT("leading =", "=ls");
	RT("== inside", "pkg==1.2");
	RT("tilde", "~root");
	RT("comment", "#x");
	RT("globs", "*?[a]");
	RT("braces", "{a,b}");
	RT("controls", "\t\n\033\\'\x7f\x01");
	RT("invalid utf-8", "\xff\xfe" "a\xc3");
	RT("utf-8 text", "caf\xc3\xa9 \xf0\x9f\x98\x80");
	RT("c1 control", "\xc2\x9b" "1m");
	RT("zero-width and bidi", "a\xe2\x80\x8b\xe2\x80\xae\xe2\x81\xa6" "b");
	RT("tag character", "\xf3\xa0\x81\x81");
	RT("utf-8 and a control", "\xc3\xa9\n");
	RT("hex digit after an escape", "\x01" "f\xe2\x80\x8b" "c");
	{
		char big[6000];

		for (size_t i = 0; i < sizeof(big); i++)
			big[i] = "a '\\$!\n\xe2\x80\xae\xff="[i % 12];
		roundtrip("6000 mixed bytes", big, sizeof(big));
	}
	sbuf_free(&b);
	UNIT_EXIT();
}
