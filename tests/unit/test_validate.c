/* Splits: stratified, reproducible, the sizes asked for; dates checked. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

enum { N = 1003 };

static double *outcomes(void)
{
    double *y = calloc(N, sizeof(double));
    for (size_t i = 0; i < N; i++)
        y[i] = i % 7 == 0; /* 144 events */
    return y;
}

static void folds_should_be_stratified_and_reproducible(void **state)
{
    (void)state;
    double *y = outcomes();
    int a[N], b[N], c[N];
    validation_options options = {VALIDATE_FOLDS, 0, 5, 42, NULL, NULL};
    vt_err err = {0};
    assert_int_equal(validation_split(&options, y, NULL, NULL, 0, "x", N, a, &err), VT_OK);
    assert_int_equal(validation_split(&options, y, NULL, NULL, 0, "x", N, b, &err), VT_OK);
    options.seed = 43;
    assert_int_equal(validation_split(&options, y, NULL, NULL, 0, "x", N, c, &err), VT_OK);
    assert_memory_equal(a, b, sizeof a);
    assert_memory_not_equal(a, c, sizeof a);
    size_t rows[5] = {0}, events[5] = {0};
    for (size_t i = 0; i < N; i++) {
        assert_true(a[i] >= 0 && a[i] < 5);
        rows[a[i]]++;
        events[a[i]] += y[i] == 1.0;
    }
    for (int f = 0; f < 5; f++) {
        assert_true(rows[f] >= 200 && rows[f] <= 201);
        assert_true(events[f] >= 28 && events[f] <= 29); /* 144 events over 5 folds */
    }
    free(y);
}

static void holdout_should_hold_the_share_of_each_outcome(void **state)
{
    (void)state;
    double *y = outcomes();
    int group[N];
    validation_options options = {VALIDATE_HOLDOUT, 0.25, 0, 7, NULL, NULL};
    vt_err err = {0};
    assert_int_equal(validation_split(&options, y, NULL, NULL, 0, "x", N, group, &err), VT_OK);
    size_t held_events = 0, held_others = 0;
    for (size_t i = 0; i < N; i++)
        if (group[i] == 1) {
            held_events += y[i] == 1.0;
            held_others += y[i] != 1.0;
        }
    assert_int_equal(held_events, 36);  /* round(0.25 x 144) */
    assert_int_equal(held_others, 215); /* round(0.25 x 859) */
    free(y);
}

static void time_split_should_hold_later_rows_and_check_dates(void **state)
{
    (void)state;
    const char *dates[] = {"2026-01-31", "2026-06-30T12:00:00", "2026-07-01", "2026-12-31 08:00"};
    long lines[] = {2, 3, 4, 5};
    double y[] = {0, 1, 0, 1};
    int group[4];
    validation_options options = {VALIDATE_TIME, 0, 0, 0, "snapshot", "2026-06-30"};
    vt_err err = {0};
    assert_int_equal(validation_split(&options, y, dates, lines, 3, "x.csv", 4, group, &err), VT_OK);
    assert_int_equal(group[0], 0);
    assert_int_equal(group[1], 0);
    assert_int_equal(group[2], 1);
    assert_int_equal(group[3], 1);
    const char *bad[] = {"2026-01-31", "31/01/2026", "2026-07-01", "2026-12-31"};
    assert_int_equal(validation_split(&options, y, bad, lines, 3, "x.csv", 4, group, &err), VT_EDATA);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 4);
    assert_false(validation_is_date("2026-13-01"));
    assert_false(validation_is_date("2026-1-01"));
    assert_true(validation_is_date("2026-02-28"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folds_should_be_stratified_and_reproducible),
        cmocka_unit_test(holdout_should_hold_the_share_of_each_outcome),
        cmocka_unit_test(time_split_should_hold_later_rows_and_check_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
