// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "log.h"
#include "sbuf.h"

void sbuf_grow(struct sbuf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 256;

	while (cap - b->len < more)
		cap *= 2;
	b->p = realloc(b->p, cap);
	if (!b->p) {
		p_err("out of memory");
		exit(1);
	}
	b->cap = cap;
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		sbuf_grow(b, (size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += n;
}

void sbuf_put_u64(struct sbuf *b, unsigned long long v)
{
	char d[20];
	size_t n = sizeof(d);

	do {
		d[--n] = '0' + v % 10;
		v /= 10;
	} while (v);
	sbuf_add(b, d + n, sizeof(d) - n);
}

void sbuf_put_s64(struct sbuf *b, long long v)
{
	if (v < 0) {
		sbuf_putc(b, '-');
		sbuf_put_u64(b, -(unsigned long long)v);
	} else {
		sbuf_put_u64(b, v);
	}
}

void sbuf_put_digits(struct sbuf *b, unsigned long long v, unsigned int digits)
{
	char d[20];

	if (digits > sizeof(d))
		digits = sizeof(d);
	for (unsigned int i = digits; i-- > 0; v /= 10)
		d[i] = '0' + v % 10;
	sbuf_add(b, d, digits);
}

void sbuf_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
