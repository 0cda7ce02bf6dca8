/* numparse must give exactly strtod's double, and refuse what is not a
 * plain decimal number. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"

static void assert_same_as_strtod(const char *text)
{
    double ours = 0;
    num_result result = num_parse(text, strlen(text), &ours);
    double theirs = strtod(text, NULL);
    if (result != NUM_OK)
        fail_msg("'%s' refused (%s)", text, num_result_text(result));
    if (memcmp(&ours, &theirs, sizeof ours) != 0)
        fail_msg("'%s': ours %a, strtod %a", text, ours, theirs);
}

static void numparse_should_equal_strtod_on_edge_cases(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "0", "-0", "+0", "0.0", "1", "+1", "-1", ".5", "5.", "-.5", "007", "00000123.4500000",
        "1e10", "1E-5", "1e+22", "1e22", "1e23", "9007199254740992", "9007199254740993",
        "9007199254740995", "18446744073709551615", "18446744073709551616",
        "123456789012345678901234567890", "0.1", "0.2", "0.3", "3.141592653589793238462643383279",
        "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9e-324", "2.4703282292062327e-324",
        "2.4703282292062328e-324", "1e-400", "1.7976931348623157e308", "1.7976931348623158e308",
        "0.000000000000000000000000000001", "123.456e-2", "1234567890123456789", "12345678901234567890",
        "0.1234567890123456789", "1e-22", "1e-23", "8.98846567431158e307", "5e-324", "100000000000000000000000",
        "  42  ", "\t-3.5", "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124", "7.2057594037927933e16",
        "0e999", "0.0000e-5000", "1e-0", "1e0000000000000000000000001"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_same_as_strtod(cases[i]);
}

static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static void numparse_should_equal_strtod_on_random_numbers(void **state)
{
    (void)state;
    uint64_t seed = 88172645463325252ULL;
    char text[64];
    for (int i = 0; i < 700000; i++) { /* 2.1 million numbers */
        /* Random finite doubles printed in several precisions. */
        uint64_t bits = next_random(&seed);
        double value;
        memcpy(&value, &bits, sizeof value);
        if (!isfinite(value))
            continue;
        snprintf(text, sizeof text, "%.*g", (int)(next_random(&seed) % 17) + 1, value);
        if (isfinite(strtod(text, NULL))) /* 2e+308 from rounding DBL_MAX is out of range */
            assert_same_as_strtod(text);
        /* Random digit strings with a decimal point and an exponent. */
        int n_digits = (int)(next_random(&seed) % 25) + 1, point = (int)(next_random(&seed) % (uint64_t)(n_digits + 1));
        size_t len = 0;
        if (next_random(&seed) & 1)
            text[len++] = '-';
        for (int d = 0; d < n_digits; d++) {
            if (d == point)
                text[len++] = '.';
            text[len++] = (char)('0' + next_random(&seed) % 10);
        }
        len += (size_t)snprintf(text + len, sizeof text - len, "e%d", (int)(next_random(&seed) % 80) - 40);
        assert_same_as_strtod(text);
        /* Fixed-point values like a CSV export writes them. */
        snprintf(text, sizeof text, "%.*f", (int)(next_random(&seed) % 7), (double)(int64_t)next_random(&seed) / 1e12);
        assert_same_as_strtod(text);
    }
}

static void numparse_should_refuse_non_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        num_result expected;
    } cases[] = {
        {"", NUM_EMPTY}, {"   ", NUM_EMPTY}, {"abc", NUM_SYNTAX}, {"1.2.3", NUM_SYNTAX}, {"1e", NUM_SYNTAX},
        {"e5", NUM_SYNTAX}, {"0x10", NUM_SYNTAX}, {"1,000", NUM_SYNTAX}, {"--1", NUM_SYNTAX}, {"+", NUM_SYNTAX},
        {".", NUM_SYNTAX}, {"1 2", NUM_SYNTAX}, {"12abc", NUM_SYNTAX}, {"1e+", NUM_SYNTAX},
        {"inf", NUM_NONFINITE}, {"-Infinity", NUM_NONFINITE}, {"nan", NUM_NONFINITE}, {"NaN(123)", NUM_NONFINITE},
        {"1e999", NUM_RANGE}, {"-1e400", NUM_RANGE}, {"1.7976931348623159e308", NUM_RANGE}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double value = 0;
        num_result result = num_parse(cases[i].text, strlen(cases[i].text), &value);
        if (result != cases[i].expected)
            fail_msg("'%s': got %s, expected %s", cases[i].text, num_result_text(result),
                     num_result_text(cases[i].expected));
    }
}

static void numparse_should_not_read_past_the_length(void **state)
{
    (void)state;
    double value = 0;
    assert_int_equal(num_parse("12345", 3, &value), NUM_OK);
    assert_true(value == 123.0);
    assert_int_equal(num_parse("1.5e3xyz", 5, &value), NUM_OK);
    assert_true(value == 1500.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numparse_should_equal_strtod_on_edge_cases),
        cmocka_unit_test(numparse_should_equal_strtod_on_random_numbers),
        cmocka_unit_test(numparse_should_refuse_non_numbers),
        cmocka_unit_test(numparse_should_not_read_past_the_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
