/* history: the velocity is the least-squares slope of health on months,
 * checked against the normal equations solved directly; dates become
 * whole months whether snapshots fall on month firsts or month ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "history.h"

/* The slope from the 2x2 normal equations of y = a + b t, by Cramer's rule:
 * a different formula from history_slope's centred sums.  Months since
 * year 0 (about 24,000) would cancel n sum t^2 - (sum t)^2 to noise, so t
 * is taken from the first point (the slope does not change). */
static double direct_slope(const double *t, const double *y, size_t n)
{
    double st = 0, sy = 0, stt = 0, sty = 0;
    for (size_t i = 0; i < n; i++) {
        double u = t[i] - t[0];
        st += u;
        sy += y[i];
        stt += u * u;
        sty += u * y[i];
    }
    return ((double)n * sty - st * sy) / ((double)n * stt - st * st);
}

static void history_should_match_direct_least_squares(void **state)
{
    (void)state;
    uint64_t seed = 99;
    for (int trial = 0; trial < 2000; trial++) {
        size_t n = 2 + (size_t)trial % 11;
        double t[16], y[16];
        double month = 24000;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            month += 0.5 + (double)(seed >> 40) / 16777216.0 * 2; /* gaps of 0.5 to 2.5 months */
            t[i] = month;
            y[i] = (double)((seed >> 20) % 101);
        }
        double got = history_slope(t, y, n), want = direct_slope(t, y, n);
        assert_true(fabs(got - want) <= 1e-9 * (1 + fabs(want)));
    }
}

static void history_should_give_minus_six_for_six_points_a_month(void **state)
{
    (void)state;
    double t[] = {24290, 24291, 24292}, y[] = {90, 84, 78};
    assert_true(fabs(history_slope(t, y, 3) + 6) < 1e-12);
    assert_true(fabs(history_slope(t, y, 2) + 6) < 1e-12);
    /* the order of the points does not matter (the ring is used as it lies) */
    double t2[] = {24292, 24290, 24291}, y2[] = {78, 90, 84};
    assert_true(fabs(history_slope(t2, y2, 3) + 6) < 1e-12);
}

static void history_should_refuse_one_point_or_one_date(void **state)
{
    (void)state;
    double t[] = {5, 5}, y[] = {1, 2};
    assert_true(isnan(history_slope(t, y, 1)));
    assert_true(isnan(history_slope(t, y, 2)));
}

static void history_should_read_month_firsts_and_ends_as_whole_months(void **state)
{
    (void)state;
    double first = 0, end = 0, next = 0;
    long key = 0;
    assert_int_equal(history_parse_date("2024-02-01", 10, &first, &key), 0);
    assert_int_equal(key, 20240201);
    assert_true(first == 2024 * 12 + 1);
    assert_int_equal(history_parse_date("2024-02-29", 10, &end, &key), 0); /* a leap year's last day */
    assert_true(end == 2024 * 12 + 2);
    assert_int_equal(history_parse_date("2024-03-31", 10, &next, &key), 0);
    assert_true(next - end == 1);
    assert_int_equal(history_parse_date("2024-02-15", 10, &first, &key), 0);
    assert_true(first == 2024 * 12 + 1 + 14.0 / 29);
}

static void history_should_refuse_bad_dates(void **state)
{
    (void)state;
    static const char *const bad[] = {"2023-02-29", "2024-13-01", "2024-00-10", "2024-1-01", "2024/01/01",
                                      "24-01-01", "2024-01-32", "2024-01-01T00", "", "abcd-ef-gh"};
    double months = 0;
    long key = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(history_parse_date(bad[i], strlen(bad[i]), &months, &key), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(history_should_match_direct_least_squares),
        cmocka_unit_test(history_should_give_minus_six_for_six_points_a_month),
        cmocka_unit_test(history_should_refuse_one_point_or_one_date),
        cmocka_unit_test(history_should_read_month_firsts_and_ends_as_whole_months),
        cmocka_unit_test(history_should_refuse_bad_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
