/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A growable byte buffer, reused from line to line so that formatting an
 * exec allocates nothing once it has reached its working size. */
#ifndef EXECMON_SBUF_H
#define EXECMON_SBUF_H

#include <stddef.h>
#include <string.h>

struct sbuf {
	char *p;
	size_t len, cap;
};

void sbuf_grow(struct sbuf *b, size_t more);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_free(struct sbuf *b);
/* Decimal numbers without printf, which costs more than the rest of a line. */
void sbuf_put_u64(struct sbuf *b, unsigned long long v);
void sbuf_put_s64(struct sbuf *b, long long v);
/* v in exactly `digits` digits, zero-padded (the low ones when it has more) */
void sbuf_put_digits(struct sbuf *b, unsigned long long v, unsigned int digits);

static inline void sbuf_add(struct sbuf *b, const void *s, size_t n)
{
	if (b->cap - b->len < n)
		sbuf_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static inline void sbuf_putc(struct sbuf *b, char c)
{
	if (b->cap == b->len)
		sbuf_grow(b, 1);
	b->p[b->len++] = c;
}

static inline void sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

static inline void sbuf_pad(struct sbuf *b, size_t n)
{
	if (b->cap - b->len < n)
		sbuf_grow(b, n);
	memset(b->p + b->len, ' ', n);
	b->len += n;
}

#endif
