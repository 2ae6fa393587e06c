// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdbool.h>
#include "quote.h"
#include "sbuf.h"

size_t utf8_decode(const unsigned char *s, size_t n, unsigned int *cp)
{
	unsigned int c = s[0], min;
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, min = 0x80, c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, min = 0x800, c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates and beyond Unicode are invalid */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

/* A table: every byte of every argument is looked up here. */
static const bool bare[256] = {
	['a' ... 'z'] = true, ['A' ... 'Z'] = true, ['0' ... '9'] = true,
	['_'] = true, ['@'] = true, ['%'] = true, ['+'] = true, ['='] = true,
	[':'] = true, [','] = true, ['.'] = true, ['/'] = true, ['-'] = true,
};

static bool is_bare(unsigned char c)
{
	return bare[c];
}

/* Code points a terminal would act on or hide, which must not be printed as
 * they are: C1 controls, format characters (Unicode category Cf: soft
 * hyphen, zero-width and bidi controls, tags, the BOM...) and the line and
 * paragraph separators. */
static bool is_hidden(unsigned int cp)
{
	static const unsigned int ranges[][2] = {
		{ 0x80, 0x9f }, { 0xad, 0xad }, { 0x600, 0x605 }, { 0x61c, 0x61c },
		{ 0x6dd, 0x6dd }, { 0x70f, 0x70f }, { 0x890, 0x891 }, { 0x8e2, 0x8e2 },
		{ 0x180e, 0x180e }, { 0x200b, 0x200f }, { 0x2028, 0x202e },
		{ 0x2060, 0x206f }, { 0xfeff, 0xfeff }, { 0xfff9, 0xfffb },
		{ 0x110bd, 0x110bd }, { 0x110cd, 0x110cd }, { 0x13430, 0x1343f },
		{ 0x1bca0, 0x1bca3 }, { 0x1d173, 0x1d17a }, { 0xe0001, 0xe0001 },
		{ 0xe0020, 0xe007f },
	};

	if (cp < 0x80)
		return false;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return true;
	return false;
}

/* zsh expands a bare =cmd to the command's path (EQUALS, on by default),
 * and with MAGIC_EQUAL_SUBST also one after = or : as in x==cmd, x=a:=cmd */
static bool is_equals(const unsigned char *s, size_t i)
{
	return s[i] == '=' && (i == 0 || s[i - 1] == '=' || s[i - 1] == ':');
}

enum style { BARE, SINGLE, ANSI_C };

static enum style pick_style(const unsigned char *s, size_t n)
{
	enum style st = n ? BARE : SINGLE;
	unsigned int cp;

	for (size_t i = 0; i < n;) {
		size_t len;

		if (s[i] >= 0x20 && s[i] < 0x7f) {	/* most bytes, decoded or not */
			if (st == BARE && (!is_bare(s[i]) || is_equals(s, i)))
				st = SINGLE;
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (!len || cp < 0x20 || cp == 0x7f || is_hidden(cp))
			return ANSI_C;
		if (len > 1 || !is_bare(s[i]))
			st = SINGLE;
		i += len;
	}
	return st;
}

static void put_hex(struct sbuf *out, unsigned int c)
{
	static const char hex[] = "0123456789abcdef";
	char esc[4] = { '\\', 'x', hex[(c >> 4) & 15], hex[c & 15] };

	sbuf_add(out, esc, sizeof(esc));
}

static void put_ansi_c(struct sbuf *out, const unsigned char *s, size_t n)
{
	unsigned int cp;

	sbuf_add(out, "$'", 2);
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &cp);

		if (!len) {
			put_hex(out, s[i]);
			i++;
			continue;
		}
		switch (cp) {
		case '\a': sbuf_puts(out, "\\a"); break;
		case '\b': sbuf_puts(out, "\\b"); break;
		case '\t': sbuf_puts(out, "\\t"); break;
		case '\n': sbuf_puts(out, "\\n"); break;
		case '\v': sbuf_puts(out, "\\v"); break;
		case '\f': sbuf_puts(out, "\\f"); break;
		case '\r': sbuf_puts(out, "\\r"); break;
		case 0x1b: sbuf_puts(out, "\\E"); break;
		case '\\': sbuf_puts(out, "\\\\"); break;
		case '\'': sbuf_puts(out, "\\'"); break;
		default:
			if (cp < 0x20 || cp == 0x7f)
				put_hex(out, cp);
			else if (is_hidden(cp))
				/* as bytes: what \u escapes give depends on
				 * the locale (C: bash keeps them, zsh fails) */
				for (size_t k = 0; k < len; k++)
					put_hex(out, s[i + k]);
			else
				sbuf_add(out, s + i, len);
		}
		i += len;
	}
	sbuf_putc(out, '\'');
}

void shell_quote(struct sbuf *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	switch (pick_style(s, n)) {
	case BARE:
		sbuf_add(out, s, n);
		break;
	case SINGLE:
		sbuf_putc(out, '\'');
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '\'')
				sbuf_puts(out, "'\\''");
			else
				sbuf_putc(out, s[i]);
		}
		sbuf_putc(out, '\'');
		break;
	case ANSI_C:
		put_ansi_c(out, s, n);
		break;
	}
}
