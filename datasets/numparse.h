/* numparse: strict, exact, fast decimal parsing for CSV cells.
 *
 * Accepts [+-]?(digits[.digits]|.digits)([eE][+-]?digits)? with optional
 * surrounding spaces or tabs, and nothing else: no hex, no thousands
 * separators, no inf/nan words.  The result is exactly the double strtod
 * gives (correctly rounded): short inputs take Clinger's exact fast path
 * (<= 19 digits, mantissa <= 2^53, |power of ten| <= 22), the rest go to
 * strtod in the "C" locale.  Thread-safe; no allocation. */
#ifndef NUMPARSE_H
#define NUMPARSE_H

#include <stddef.h>

typedef enum {
    NUM_OK = 0,
    NUM_EMPTY,      /* only whitespace */
    NUM_SYNTAX,     /* not a number */
    NUM_NONFINITE,  /* inf, infinity or nan spelled out */
    NUM_RANGE       /* overflows a double (e.g. 1e999) */
} num_result;

num_result num_parse(const char *text, size_t len, double *value /* OUT */);

/* Human words for a num_result, for error messages. */
const char *num_result_text(num_result result);

#endif
