#include "numparse.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vt.h"

/* Powers of ten that are exact doubles (10^22 is the last one). */
static const double exact_pow10[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int is_blank(char c) { return c == ' ' || c == '\t'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static num_result classify_word(const char *text, size_t len)
{
    const char *p = text;
    if (len > 0 && (*p == '+' || *p == '-')) {
        p++;
        len--;
    }
    if ((len == 3 && strncasecmp(p, "inf", 3) == 0) ||
        (len == 8 && strncasecmp(p, "infinity", 8) == 0) ||
        (len >= 3 && strncasecmp(p, "nan", 3) == 0))
        return NUM_NONFINITE;
    return NUM_SYNTAX;
}

/* Correctly rounded slow path for long mantissas or large exponents. */
static num_result parse_slow(const char *text, size_t len, double *value)
{
    char local[128];
    char *copy = len < sizeof local ? local : vt_malloc(len + 1);
    if (copy == NULL)
        return NUM_SYNTAX;
    memcpy(copy, text, len);
    copy[len] = '\0';
    char *end = NULL;
    double parsed = strtod(copy, &end);
    if (copy != local)
        free(copy);
    if (isinf(parsed))
        return NUM_RANGE;
    *value = parsed;
    return NUM_OK;
}

num_result num_parse(const char *text, size_t len, double *value)
{
    while (len > 0 && is_blank(*text)) {
        text++;
        len--;
    }
    while (len > 0 && is_blank(text[len - 1]))
        len--;
    if (len == 0)
        return NUM_EMPTY;

    const char *p = text, *end = text + len;
    int negative = 0;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';

    uint64_t mantissa = 0;
    int n_significant = 0, n_digits = 0, exp10 = 0, overflowed = 0;
    for (; p < end && is_digit(*p); p++, n_digits++) {
        if (mantissa == 0 && *p == '0')
            continue;
        if (n_significant < 19) {
            mantissa = mantissa * 10 + (uint64_t)(*p - '0');
            n_significant++;
        } else {
            overflowed = 1;
            exp10++;
        }
    }
    if (p < end && *p == '.') {
        for (p++; p < end && is_digit(*p); p++, n_digits++) {
            if (mantissa == 0 && *p == '0') {
                exp10--;
                continue;
            }
            if (n_significant < 19) {
                mantissa = mantissa * 10 + (uint64_t)(*p - '0');
                n_significant++;
                exp10--;
            } else {
                overflowed = 1;
            }
        }
    }
    if (n_digits == 0)
        return classify_word(text, len);
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int exp_negative = 0;
        if (p < end && (*p == '+' || *p == '-'))
            exp_negative = *p++ == '-';
        if (p == end || !is_digit(*p))
            return NUM_SYNTAX;
        long exponent = 0;
        for (; p < end && is_digit(*p); p++)
            if (exponent < 100000)
                exponent = exponent * 10 + (*p - '0');
        exp10 += (int)(exp_negative ? -exponent : exponent);
    }
    if (p != end)
        return NUM_SYNTAX;

    if (mantissa == 0) {
        *value = negative ? -0.0 : 0.0;
        return NUM_OK;
    }
    if (!overflowed && mantissa <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
        double result = (double)mantissa;
        result = exp10 < 0 ? result / exact_pow10[-exp10] : result * exact_pow10[exp10];
        *value = negative ? -result : result;
        return NUM_OK;
    }
    return parse_slow(text, len, value);
}

const char *num_result_text(num_result result)
{
    switch (result) {
    case NUM_OK: return "a number";
    case NUM_EMPTY: return "empty";
    case NUM_SYNTAX: return "not a number";
    case NUM_NONFINITE: return "not a finite number";
    case NUM_RANGE: return "out of the range of a double";
    }
    return "not a number";
}
