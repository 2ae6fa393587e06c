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

static bool is_bare(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '@' || c == '%' ||
	       c == '+' || c == '=' || c == ':' || c == ',' || c == '.' ||
	       c == '/' || c == '-';
}

/* Code points a terminal would act on or hide: C1 controls, zero-width and
 * bidi controls, the BOM. They are shown as \uHHHH. */
static bool is_hidden(unsigned int cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

enum style { BARE, SINGLE, ANSI_C };

static enum style pick_style(const unsigned char *s, size_t n)
{
	enum style st = n ? BARE : SINGLE;
	unsigned int cp;

	for (size_t i = 0; i < n;) {
		size_t len;

		if (s[i] >= 0x20 && s[i] < 0x7f) {	/* most bytes, decoded or not */
			if (st == BARE && !is_bare(s[i]))
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
				sbuf_printf(out, "\\u%04x", cp);
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
