// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <locale.h>
#include <stdbool.h>
#include <wchar.h>
#include "quote.h"
#include "width.h"

/* The table is UTF-8 whatever locale execmon runs in: the quoting writes
 * printable characters as they are and escapes everything else. So widths
 * are looked up in C.UTF-8, which glibc always has, not in the locale of
 * the environment: under a service's C locale, wcwidth knows nothing past
 * ASCII. The lookups alone switch to it, so that nothing else (a number's
 * decimal point) follows the environment. NULL if it cannot be had. */
static locale_t utf8_locale(void)
{
	static locale_t loc;
	static bool tried;

	if (!tried) {
		tried = true;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return loc;
}

size_t text_width_utf8(const unsigned char *s, size_t n, size_t ascii, size_t max)
{
	locale_t loc = utf8_locale(), old = (locale_t)0;
	size_t i = ascii, w = ascii;

	if (loc)
		old = uselocale(loc);
	while (i < n && w < max) {
		unsigned int cp;
		size_t len;
		int cw;

		if (s[i] < 0x80) {
			w++;
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (!len) {
			w++;
			i++;
			continue;
		}
		/* without the locale, a character a column: still closer than bytes */
		cw = loc ? wcwidth(cp) : 1;
		w += cw < 0 ? 1 : (size_t)cw;
		i += len;
	}
	if (loc)
		uselocale(old);
	return w;
}
