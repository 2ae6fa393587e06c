/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* How many terminal columns a table cell takes, so that the columns after
 * it line up whatever its characters: a CJK character or an emoji takes
 * two, a combining accent none. */
#ifndef EXECMON_WIDTH_H
#define EXECMON_WIDTH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* text_width() past its first ascii bytes, which are not ASCII. */
size_t text_width_utf8(const unsigned char *s, size_t n, size_t ascii, size_t max);

/* The display width of the UTF-8 text s[0..n), as a terminal shows it;
 * counting stops once it reaches max (the result is then at least max).
 * A byte that is not UTF-8, or a character without a width, counts one
 * column: the quoting leaves neither in a cell, so this is only a bound.
 * Inline, as nearly every cell is ASCII: a column a byte, no lookup, and
 * its bytes looked at eight at a time. */
static inline size_t text_width(const char *str, size_t n, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	for (uint64_t v; n - i >= 8; i += 8) {
		memcpy(&v, s + i, 8);
		if (v & 0x8080808080808080ULL)
			break;
	}
	while (i < n && s[i] < 0x80)
		i++;
	return i == n ? n : text_width_utf8(s, n, i, max);
}

#endif
