/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Shell quoting of arbitrary bytes: what is printed can be pasted back into
 * bash or zsh and gives the same bytes, and never holds a control byte. */
#ifndef EXECMON_QUOTE_H
#define EXECMON_QUOTE_H

#include <stddef.h>

struct sbuf;

/* Decodes one UTF-8 sequence at s (n bytes available). Returns its length
 * and the code point, or 0 when the bytes there are not valid UTF-8. */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned int *cp);

/* Writes s[0..n) as one shell word:
 *   bare      when every byte is in [A-Za-z0-9_@%+=:,./-] (and n > 0), but
 *             for an = at the start or after = or : (zsh's =cmd expansion)
 *   '...'     when it holds other printable text (valid UTF-8, no controls)
 *   $'...'    otherwise, with \a \b \t \n \v \f \r \E \\ \' and \xHH for
 *             other control bytes, invalid UTF-8, and each byte of C1
 *             controls, format characters (zero-width, bidi...) and line
 *             separators: \u escapes would depend on the locale
 */
void shell_quote(struct sbuf *out, const char *s, size_t n);

#endif
