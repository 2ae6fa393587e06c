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
