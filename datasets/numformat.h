/* numformat: print a double so that strtod reads back exactly that double.
 *
 * 17 significant digits, trailing zeros dropped.  For magnitudes in
 * [1e-11, 1e16) (every probability worth printing) the digits come from one
 * long-double multiplication by an exact power of ten: its error is at most
 * 0.51 units of the 17th digit, below half an ulp of the double, so the text
 * always reads back exactly (tests check it against strtod on millions of
 * values).  Other magnitudes use snprintf("%.17g").  Thread-safe. */
#ifndef NUMFORMAT_H
#define NUMFORMAT_H

#include <stddef.h>

#define NUM_FORMAT_MAX 32

/* Writes at most NUM_FORMAT_MAX bytes (no NUL); returns the length. */
size_t num_format(double value, char *out);

/* A non-negative integer; returns the length. */
size_t num_format_uint(unsigned long long value, char *out);

#endif
