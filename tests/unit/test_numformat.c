/* numformat must print text that strtod reads back to the same double. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numformat.h"

static void assert_round_trips(double value)
{
    char text[NUM_FORMAT_MAX + 1];
    size_t len = num_format(value, text);
    assert_true(len <= NUM_FORMAT_MAX);
    text[len] = '\0';
    double back = strtod(text, NULL);
    if (memcmp(&back, &value, sizeof value) != 0 && !(value == 0 && back == 0))
        fail_msg("%.17g printed as '%s', read back as %.17g", value, text, back);
}

static void numformat_should_round_trip_edge_cases(void **state)
{
    (void)state;
    const double cases[] = {0.0, 1.0, -1.0, 0.5, 0.1, 0.2, 0.3, 1e-11, 9.999999999999999e-12, 1e-5, 0.99999999999999989,
                            0.9999999999999999, 1 - 1e-16, 1e16, 9999999999999998.0, 123456.789, 1e-300, 5e-324,
                            1.7976931348623157e308, 0.12345678901234568, 100.0, 1e15, 3.0e-7, 0.00001};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_round_trips(cases[i]);
    char text[NUM_FORMAT_MAX];
    assert_int_equal(num_format(0.25, text), 4);
    assert_memory_equal(text, "0.25", 4);
    assert_int_equal(num_format(100.0, text), 3);
    assert_memory_equal(text, "100", 3);
}

static void numformat_should_round_trip_random_values(void **state)
{
    (void)state;
    uint64_t seed = 0x2545F4914F6CDD1DULL;
    for (int i = 0; i < 2000000; i++) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        double probability = 1.0 / (1.0 + exp(-((double)(seed >> 11) / 9007199254740992.0 * 60 - 30)));
        assert_round_trips(probability);
        uint64_t bits = seed;
        double any;
        memcpy(&any, &bits, sizeof any);
        if (isfinite(any))
            assert_round_trips(any);
    }
}

static void numformat_should_write_integers(void **state)
{
    (void)state;
    char text[24];
    assert_int_equal(num_format_uint(0, text), 1);
    assert_memory_equal(text, "0", 1);
    assert_int_equal(num_format_uint(18446744073709551615ULL, text), 20);
    assert_memory_equal(text, "18446744073709551615", 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numformat_should_round_trip_edge_cases),
        cmocka_unit_test(numformat_should_round_trip_random_values),
        cmocka_unit_test(numformat_should_write_integers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
