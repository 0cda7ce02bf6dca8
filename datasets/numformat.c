#include "numformat.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* 10^k for k = 0..27: exact in a long double's 64-bit mantissa. */
static const long double power_of_ten[28] = {
    1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L, 1e12L, 1e13L,
    1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};

size_t num_format_uint(unsigned long long value, char *out)
{
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    for (size_t i = 0; i < n; i++)
        out[i] = digits[n - 1 - i];
    return n;
}

static size_t format_slow(double value, char *out)
{
    char text[NUM_FORMAT_MAX + 8];
    int len = snprintf(text, sizeof text, "%.17g", value);
    memcpy(out, text, (size_t)len);
    return (size_t)len;
}

size_t num_format(double value, char *out)
{
    double magnitude = fabs(value);
    if (value == 0) {
        out[0] = '0';
        return 1;
    }
    if (!(magnitude >= 1e-11 && magnitude < 1e16))
        return format_slow(value, out);
    /* Decimal exponent e with 10^e <= magnitude < 10^(e+1), then the 17
     * digits m = round(magnitude * 10^(16 - e)). */
    int binary_exponent;
    frexp(magnitude, &binary_exponent);
    /* log10(2) * (exponent - 1) is within one of the decimal exponent; the
     * loop below corrects it. */
    int e = (int)floor((binary_exponent - 1) * 0.30102999566398120);
    uint64_t m = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        int shift = 16 - e;
        if (shift < 0 || shift > 27)
            return format_slow(value, out);
        /* Round half away from zero, as llroundl, without the libm call. */
        m = (uint64_t)((long double)magnitude * power_of_ten[shift] + 0.5L);
        if (m >= UINT64_C(100000000000000000))
            e++;
        else if (m < UINT64_C(10000000000000000))
            e--;
        else
            break;
    }
    if (m < UINT64_C(10000000000000000) || m >= UINT64_C(100000000000000000))
        return format_slow(value, out);
    char digits[17];
    for (int i = 16; i >= 0; i--, m /= 10)
        digits[i] = (char)('0' + m % 10);
    int n_digits = 17;
    while (n_digits > 1 && digits[n_digits - 1] == '0')
        n_digits--;
    size_t len = 0;
    if (value < 0)
        out[len++] = '-';
    if (e < 0) { /* 0.000ddd */
        out[len++] = '0';
        out[len++] = '.';
        for (int zeros = -e - 1; zeros > 0; zeros--)
            out[len++] = '0';
        memcpy(out + len, digits, (size_t)n_digits);
        return len + (size_t)n_digits;
    }
    for (int i = 0; i < n_digits || i <= e; i++) { /* ddd.ddd */
        if (i == e + 1)
            out[len++] = '.';
        out[len++] = i < n_digits ? digits[i] : '0';
    }
    return len;
}
